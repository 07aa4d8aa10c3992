/* The interpreter's semantics, checked as a learner would see them: each
 * test runs a small program and compares what it prints and how it exits
 * with what the real Rust program prints (Rust 1.73+ panic formats). */
#include "config.h"

#include "check_suites.h"
#include "check_util.h"

#include <stdio.h>
#include <string.h>

/* The line every first panic of a run ends with. */
#define NOTE                                                                 \
	"note: run with `RUST_BACKTRACE=1` environment variable to display a " \
	"backtrace\n"

/* Asserts that src panics on thread main at CHECK_FILE:line:col with exactly
 * `msg` (plus Rust's backtrace note), after printing `out`. */
static void
assert_panics(const char *src, const char *out, unsigned line, unsigned col,
              const char *msg)
{
	char want[1024];
	snprintf(want, sizeof want,
	         "\nthread 'main' panicked at " CHECK_FILE ":%u:%u:\n%s\n" NOTE,
	         line, col, msg);
	prog_run r;
	run_program(&r, src);
	ck_assert_msg(r.compiled, "did not compile: %s",
	              r.diags.len ? r.diags.items[0].message : "?");
	ck_assert_str_eq(r.out, out);
	ck_assert_str_eq(r.err, want);
	ck_assert_int_eq(r.status, 101);
	/* The trace records the panic too, with its message. */
	size_t i = find_event(&r, 0, TRACE_PANIC, 0);
	ck_assert_uint_ne(i, SIZE_MAX);
	ck_assert_str_eq(ev_str(&r, ev_at(&r, i)->a), msg);
	prog_run_free(&r);
}

/* --- arithmetic ------------------------------------------------------------ */

START_TEST(test_arithmetic_precedence_and_integer_division)
{
	assert_run("fn main() {\n"
	           "    println!(\"{}\", 2 + 3 * 4 - 10 / 3);\n"
	           "    println!(\"{}\", (2 + 3) * 4 % 7);\n"
	           "    println!(\"{}\", 1 < 2 && 3 >= 4 || !false);\n"
	           "    println!(\"{}\", 0xff & 0x0f | 0x100 ^ 1);\n"
	           "    println!(\"{}\", 7.5 - 2.0 * 1.5);\n"
	           /* Division truncates toward zero; % keeps the sign. */
	           "    println!(\"{} {}\", -7 / 2, -7 % 3);\n"
	           "    println!(\"{}\", 1 << 4);\n"
	           "}\n",
	           "11\n6\ntrue\n271\n4.5\n-3 -1\n16\n", 0);
}
END_TEST

START_TEST(test_casts_truncate_and_wrap_like_as)
{
	/* `300 as u8` with a literal is rejected by rustc
	 * (overflowing_literals): cast a typed variable. */
	assert_run("fn main() {\n"
	           "    let big: i32 = 300;\n"
	           "    println!(\"{}\", big as u8);\n"
	           "    println!(\"{}\", -1i32 as u32);\n"
	           "    println!(\"{}\", 3.9 as i32);\n"
	           "    println!(\"{}\", 10 as f64 / 4.0);\n"
	           "    println!(\"{}\", u64::MAX);\n"
	           "    println!(\"{}\", i64::MIN);\n"
	           "}\n",
	           "44\n4294967295\n3\n2.5\n18446744073709551615\n"
	           "-9223372036854775808\n",
	           0);
}
END_TEST

START_TEST(test_u8_overflow_panics_at_expression_start)
{
	assert_panics("fn main() {\n"
	              "    let x: u8 = 255;\n"
	              "    let y = x + 1;\n"
	              "    println!(\"{y}\");\n"
	              "}\n",
	              "", 3, 13, "attempt to add with overflow");
}
END_TEST

START_TEST(test_typed_parameter_overflows_in_callee)
{
	assert_panics("fn inc(x: u8) -> u8 {\n"
	              "    x + 1\n"
	              "}\n"
	              "fn main() {\n"
	              "    println!(\"{}\", inc(255));\n"
	              "}\n",
	              "", 2, 5, "attempt to add with overflow");
}
END_TEST

START_TEST(test_usize_subtraction_below_zero_panics)
{
	assert_panics("fn main() {\n"
	              "    let v: Vec<u32> = Vec::new();\n"
	              "    println!(\"start\");\n"
	              "    println!(\"{}\", v.len() - 1);\n"
	              "}\n",
	              "start\n", 4, 20, "attempt to subtract with overflow");
}
END_TEST

START_TEST(test_i32_max_plus_one_panics)
{
	assert_panics("fn main() {\n"
	              "    let m = i32::MAX;\n"
	              "    println!(\"{}\", m + 1);\n"
	              "}\n",
	              "", 3, 20, "attempt to add with overflow");
}
END_TEST

START_TEST(test_shadowing_across_blocks_and_many_locals)
{
	/* Names are looked up through a hash of buckets: shadowing, a
	 * block's end and a closure's capture still find the right one. */
	assert_run("fn main() {\n"
	           "    let x = 1;\n"
	           "    let y = 10;\n"
	           "    {\n"
	           "        let x = 2;\n"
	           "        let x = x + y;\n"
	           "        println!(\"{}\", x);\n"
	           "    }\n"
	           "    let f = move || x + y;\n"
	           "    println!(\"{} {}\", x, f());\n"
	           "    for x in 5..7 {\n"
	           "        println!(\"{}\", x);\n"
	           "    }\n"
	           "    println!(\"{}\", x);\n"
	           "}\n",
	           "12\n1 11\n5\n6\n1\n", 0);
}
END_TEST

START_TEST(test_deeply_nested_values_are_dropped_and_refused_to_print)
{
	/* Built and dropped without recursing in C; printing one stops the
	 * run at the println! instead of overflowing the stack. */
	assert_run("fn main() {\n"
	           "    let mut v = vec![];\n"
	           "    for _ in 0..100000 {\n"
	           "        v = vec![v];\n"
	           "    }\n"
	           "    println!(\"{}\", v.len());\n"
	           "}\n",
	           "1\n", 0);
	prog_run r;
	run_program(&r, "fn main() {\n"
	                "    let mut v = Some(0);\n"
	                "    for _ in 0..10000 {\n"
	                "        v = Some(v);\n"
	                "    }\n"
	                "    println!(\"{:?}\", v);\n"
	                "}\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.res.message, CHECK_FILE ":6:5: "));
	ck_assert_ptr_nonnull(strstr(r.res.message, "nested more than"));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_vec_annotation_types_its_literal)
{
	/* `let v: Vec<u32> = vec![0]` makes the items u32, so v[0] - 1
	 * overflows as it does for real, and so does an array's. */
	assert_panics("fn main() {\n"
	              "    let v: Vec<u32> = vec![0];\n"
	              "    println!(\"{}\", v[0] - 1);\n"
	              "}\n",
	              "", 3, 20, "attempt to subtract with overflow");
	assert_panics("fn main() {\n"
	              "    let v: Vec<u8> = vec![255; 2];\n"
	              "    println!(\"{}\", v[1] + 1);\n"
	              "}\n",
	              "", 3, 20, "attempt to add with overflow");
	assert_panics("fn main() {\n"
	              "    let a: [i8; 2] = [-128, 0];\n"
	              "    println!(\"{}\", -a[0]);\n"
	              "}\n",
	              "", 3, 20, "attempt to negate with overflow");
}
END_TEST

START_TEST(test_u32_addition_overflow_panics)
{
	assert_panics("fn main() {\n"
	              "    let a: u32 = 4_000_000_000;\n"
	              "    let b: u32 = a + a;\n"
	              "}\n",
	              "", 3, 18, "attempt to add with overflow");
}
END_TEST

START_TEST(test_multiplication_and_negation_overflow_panic)
{
	assert_panics("fn main() {\n"
	              "    let x = i64::MAX;\n"
	              "    println!(\"{}\", x * 2);\n"
	              "}\n",
	              "", 3, 20, "attempt to multiply with overflow");
	assert_panics("fn main() {\n"
	              "    let m = i32::MIN;\n"
	              "    println!(\"{}\", -m);\n"
	              "}\n",
	              "", 3, 20, "attempt to negate with overflow");
}
END_TEST

START_TEST(test_division_by_zero_panics)
{
	assert_panics("fn main() {\n"
	              "    let z = 0;\n"
	              "    println!(\"{}\", 10 / z);\n"
	              "}\n",
	              "", 3, 20, "attempt to divide by zero");
	assert_panics("fn main() {\n"
	              "    let z = 0;\n"
	              "    println!(\"{}\", 10 % z);\n"
	              "}\n",
	              "", 3, 20,
	              "attempt to calculate the remainder with a divisor of zero");
}
END_TEST

START_TEST(test_overflow_location_includes_parentheses)
{
	/* rustc lowers `(e)` to e with the parenthesised span, so the
	 * panic location of an operation in parentheses is the `(`; and an
	 * operation whose left operand is parenthesised starts there too. */
	assert_panics("fn main() {\n"
	              "    let x: u8 = 200;\n"
	              "    let z = 1 + (x + 100);\n"
	              "}\n",
	              "", 3, 17, "attempt to add with overflow");
	assert_panics("fn main() {\n"
	              "    let x: u8 = 100;\n"
	              "    let z = (x * 2) + 100;\n"
	              "}\n",
	              "", 3, 13, "attempt to add with overflow");
}
END_TEST

START_TEST(test_compound_assignment_overflow_at_its_start)
{
	/* The span of `x += 100` starts at `x`. */
	assert_panics("fn main() {\n"
	              "    let mut x: u8 = 200;\n"
	              "    x += 100;\n"
	              "}\n",
	              "", 3, 5, "attempt to add with overflow");
}
END_TEST

/* --- panicking library calls ------------------------------------------------ */

START_TEST(test_index_out_of_bounds_at_the_bracket)
{
	/* Rust (1.95 checked) locates a Vec index panic at the `[` of the
	 * failing indexing (HIR's brackets span), not at the base. */
	assert_panics("fn main() {\n"
	              "    let v = vec![1, 2, 3];\n"
	              "    println!(\"{}\", v[5]);\n"
	              "}\n",
	              "", 3, 21,
	              "index out of bounds: the len is 3 but the index is 5");
	assert_panics("fn main() {\n"
	              "    let v = vec![1, 2, 3];\n"
	              "    let w = vec![v];\n"
	              "    let i = 7;\n"
	              "    let a = w[0][i + 1];\n"
	              "}\n",
	              "", 5, 17,
	              "index out of bounds: the len is 3 but the index is 8");
}
END_TEST

START_TEST(test_index_assignment_out_of_bounds_at_the_bracket)
{
	assert_panics("fn main() {\n"
	              "    let mut v = vec![1, 2];\n"
	              "    v[5] = 3;\n"
	              "}\n",
	              "", 3, 6,
	              "index out of bounds: the len is 2 but the index is 5");
	assert_panics("fn main() {\n"
	              "    let mut v = vec![1, 2, 3];\n"
	              "    v[7] += 1;\n"
	              "}\n",
	              "", 3, 6,
	              "index out of bounds: the len is 3 but the index is 7");
}
END_TEST

START_TEST(test_unwrap_on_err_shows_the_error_debug)
{
	/* #[track_caller] on a method call: the method name's column. */
	assert_panics("fn main() {\n"
	              "    let r: Result<i32, String> = "
	              "Err(String::from(\"boom\"));\n"
	              "    r.unwrap();\n"
	              "}\n",
	              "", 3, 7,
	              "called `Result::unwrap()` on an `Err` value: \"boom\"");
}
END_TEST

START_TEST(test_unwrap_on_none)
{
	assert_panics("fn main() {\n"
	              "    let o: Option<i32> = None;\n"
	              "    o.unwrap();\n"
	              "}\n",
	              "", 3, 7, "called `Option::unwrap()` on a `None` value");
}
END_TEST

START_TEST(test_expect_messages)
{
	assert_panics("fn main() {\n"
	              "    let o: Option<i32> = None;\n"
	              "    o.expect(\"need a value\");\n"
	              "}\n",
	              "", 3, 7, "need a value");
	assert_panics("fn main() {\n"
	              "    let r: Result<i32, String> = "
	              "Err(String::from(\"boom\"));\n"
	              "    r.expect(\"need ok\");\n"
	              "}\n",
	              "", 3, 7, "need ok: \"boom\"");
}
END_TEST

START_TEST(test_unwrap_and_expect_on_success_give_the_value)
{
	assert_run("fn main() {\n"
	           "    let r: Result<i32, String> = Ok(3);\n"
	           "    let o = Some(4);\n"
	           "    let n: Option<i32> = None;\n"
	           "    println!(\"{} {} {}\", r.unwrap(), o.expect(\"x\"), "
	           "n.unwrap_or(5));\n"
	           "}\n",
	           "3 4 5\n", 0);
}
END_TEST

START_TEST(test_panic_macro_formats_its_message)
{
	assert_panics("fn main() {\n"
	              "    println!(\"before\");\n"
	              "    panic!(\"bad {}\", 42);\n"
	              "}\n",
	              "before\n", 3, 5, "bad 42");
}
END_TEST

START_TEST(test_assert_messages)
{
	assert_panics("fn main() {\n"
	              "    assert!(1 > 2);\n"
	              "}\n",
	              "", 2, 5, "assertion failed: 1 > 2");
	assert_panics("fn main() {\n"
	              "    assert!(1 > 2, \"custom {}\", 7);\n"
	              "}\n",
	              "", 2, 5, "custom 7");
}
END_TEST

START_TEST(test_assert_eq_uses_the_1_73_format)
{
	assert_panics("fn main() {\n"
	              "    assert_eq!(1, 2);\n"
	              "}\n",
	              "", 2, 5,
	              "assertion `left == right` failed\n  left: 1\n right: 2");
	assert_panics("fn main() {\n"
	              "    assert_ne!(1, 1);\n"
	              "}\n",
	              "", 2, 5,
	              "assertion `left != right` failed\n  left: 1\n right: 1");
	assert_panics("fn main() {\n"
	              "    assert_eq!(\"a\", \"b\", \"values {}\", "
	              "\"differ\");\n"
	              "}\n",
	              "", 2, 5,
	              "assertion `left == right` failed: values differ\n"
	              "  left: \"a\"\n right: \"b\"");
}
END_TEST

START_TEST(test_passing_asserts_print_nothing)
{
	assert_run("fn main() {\n"
	           "    assert!(2 > 1);\n"
	           "    assert_eq!(1 + 1, 2);\n"
	           "    assert_ne!(1, 2);\n"
	           "    println!(\"ok\");\n"
	           "}\n",
	           "ok\n", 0);
}
END_TEST

START_TEST(test_backtrace_note_only_after_first_panic)
{
	/* Rust prints the RUST_BACKTRACE note once per process. */
	prog_run r;
	run_program(&r, "use std::thread;\n"
	                "fn main() {\n"
	                "    let h = thread::spawn(|| {\n"
	                "        panic!(\"first\");\n"
	                "    });\n"
	                "    let _ = h.join();\n"
	                "    panic!(\"second\");\n"
	                "}\n");
	ck_assert_str_eq(r.err,
	                 "\nthread '<unnamed>' panicked at " CHECK_FILE ":4:9:\n"
	                 "first\n" NOTE
	                 "\nthread 'main' panicked at " CHECK_FILE ":7:5:\n"
	                 "second\n");
	ck_assert_int_eq(r.status, 101);
	prog_run_free(&r);
}
END_TEST

/* --- formatting ------------------------------------------------------------- */

START_TEST(test_format_width_alignment_sign_and_precision)
{
	assert_run("fn main() {\n"
	           "    println!(\"[{:>5}]\", 42);\n"
	           "    println!(\"[{:<5}]\", 42);\n"
	           "    println!(\"[{:^5}]\", 42);\n"
	           "    println!(\"[{:05}]\", 42);\n"
	           "    println!(\"[{:05}]\", -42);\n"
	           "    println!(\"[{:+}]\", 42);\n"
	           "    println!(\"[{:.2}]\", 3.14159);\n"
	           "    println!(\"[{:8.3}]\", 2.5);\n"
	           "    println!(\"[{:08.2}]\", -3.14159);\n"
	           "    println!(\"[{:>8}]\", \"ab\");\n"
	           "    println!(\"[{:5}]\", \"ab\");\n"
	           "    println!(\"[{:5}]\", 7);\n"
	           "    println!(\"[{:*^7}]\", \"ab\");\n"
	           "    println!(\"[{:5}]\", true);\n"
	           "    println!(\"[{:x}] [{:X}] [{:b}] [{:o}] [{:#x}]\", 255, "
	           "255, 5, 8, 255);\n"
	           "    println!(\"[{:e}]\", 1234.5);\n"
	           "}\n",
	           "[   42]\n[42   ]\n[ 42  ]\n[00042]\n[-0042]\n[+42]\n"
	           "[3.14]\n[   2.500]\n[-0003.14]\n[      ab]\n[ab   ]\n"
	           "[    7]\n[**ab***]\n[true ]\n[ff] [FF] [101] [10] [0xff]\n"
	           "[1.2345e3]\n",
	           0);
}
END_TEST

START_TEST(test_float_precision_rounds_half_to_even)
{
	/* 2.5 and 0.25 are exact: Rust's formatter rounds ties to even. */
	assert_run("fn main() {\n"
	           "    println!(\"{:.0} {:.1} {:+.1} {:+.2}\", 2.5, 0.25, 1.0, "
	           "-0.004);\n"
	           "}\n",
	           "2 0.2 +1.0 -0.00\n", 0);
}
END_TEST

START_TEST(test_debug_of_strings_tuples_vecs_options)
{
	assert_run("fn main() {\n"
	           "    println!(\"[{:?}]\", \"hi\\n\\\"q\\\"\");\n"
	           "    println!(\"[{:?}]\", (1, \"a\", 2.0));\n"
	           "    println!(\"[{:?}]\", (1,));\n"
	           "    println!(\"[{:?}]\", ());\n"
	           "    println!(\"[{:?}]\", vec![1, 2, 3]);\n"
	           "    println!(\"[{:?}]\", vec![\"a\", \"b\"]);\n"
	           "    println!(\"[{:?}]\", vec![(1, \"x\")]);\n"
	           "    println!(\"[{:?}]\", Vec::<i32>::new());\n"
	           "    println!(\"[{:?}]\", Some(3));\n"
	           "    println!(\"[{:?}]\", None::<i32>);\n"
	           "    let r: Result<i32, String> = Ok(3);\n"
	           "    println!(\"[{:?}]\", r);\n"
	           "    println!(\"[{:?}]\", String::from(\"s\"));\n"
	           "    println!(\"[{:#?}]\", (1, 2));\n"
	           "}\n",
	           "[\"hi\\n\\\"q\\\"\"]\n[(1, \"a\", 2.0)]\n[(1,)]\n[()]\n"
	           "[[1, 2, 3]]\n[[\"a\", \"b\"]]\n[[(1, \"x\")]]\n[[]]\n"
	           "[Some(3)]\n[None]\n[Ok(3)]\n[\"s\"]\n"
	           "[(\n    1,\n    2,\n)]\n",
	           0);
}
END_TEST

START_TEST(test_debug_width_applies_to_each_element)
{
	/* Derived and std Debug impls pass the Formatter, width and
	 * precision included, to every element (checked with Rust 1.95). */
	assert_run("fn main() {\n"
	           "    println!(\"[{:5?}]\", vec![1, 2]);\n"
	           "    println!(\"[{:>4?}]\", (1, 2));\n"
	           "    println!(\"[{:6?}]\", Some(1));\n"
	           "    println!(\"[{:.1?}]\", vec![1.25, 2.0]);\n"
	           "}\n",
	           "[[    1,     2]]\n[(   1,    2)]\n[Some(     1)]\n"
	           "[[1.2, 2.0]]\n",
	           0);
}
END_TEST

START_TEST(test_debug_of_str_ignores_width)
{
	/* str's Debug writes the quoted text directly, without padding,
	 * while Display pads. */
	assert_run("fn main() {\n"
	           "    println!(\"[{:>6?}] [{:6?}] [{:>6}]\", \"a\", "
	           "String::from(\"b\"), \"c\");\n"
	           "    println!(\"[{:6?}]\", Some(\"a\"));\n"
	           "}\n",
	           "[\"a\"] [\"b\"] [     c]\n[Some(\"a\")]\n", 0);
}
END_TEST

START_TEST(test_braces_named_inline_and_positional_arguments)
{
	assert_run("fn main() {\n"
	           "    println!(\"{{}} {{{}}}\", 5);\n"
	           "    let name = \"ann\";\n"
	           "    println!(\"hi {name}, {n}\", n = 3);\n"
	           "    println!(\"{0} {1} {0}\", \"a\", \"b\");\n"
	           "    let w = 6;\n"
	           "    println!(\"[{w:>3}] [{:<3}]\", 1);\n"
	           "    print!(\"no newline\");\n"
	           "    println!();\n"
	           "    eprintln!(\"to stderr\");\n"
	           "    let s = format!(\"{}-{}\", 1, 2);\n"
	           "    println!(\"{s}\");\n"
	           "}\n",
	           "{} {5}\nhi ann, 3\na b a\n[  6] [1  ]\nno newline\n1-2\n", 0);
	prog_run r;
	run_program(&r, "fn main() { eprintln!(\"to stderr\"); }\n");
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "to stderr\n");
	prog_run_free(&r);
}
END_TEST

START_TEST(test_f64_display_is_shortest_and_never_exponential)
{
	assert_run("fn main() {\n"
	           "    println!(\"{}\", 1.0);\n"
	           "    println!(\"{}\", 0.1);\n"
	           "    println!(\"{}\", 0.1 + 0.2);\n"
	           "    println!(\"{}\", 1e21);\n"
	           "    println!(\"{}\", 1e16);\n"
	           "    println!(\"{}\", 1e-7);\n"
	           "    println!(\"{}\", -0.0);\n"
	           "    println!(\"{}\", 100.0 / 3.0);\n"
	           "    println!(\"{}\", 16.0f64.sqrt());\n"
	           "}\n",
	           "1\n0.1\n0.30000000000000004\n1000000000000000000000\n"
	           "10000000000000000\n0.0000001\n-0\n33.333333333333336\n4\n",
	           0);
}
END_TEST

START_TEST(test_f64_debug_keeps_a_point_and_switches_to_exponent)
{
	/* Debug uses exponent form below 1e-4 and from 1e16 up. */
	assert_run("fn main() {\n"
	           "    println!(\"{:?}\", 1.0);\n"
	           "    println!(\"{:?}\", 0.1);\n"
	           "    println!(\"{:?}\", -1.0);\n"
	           "    println!(\"{:?}\", 1e15);\n"
	           "    println!(\"{:?}\", 1e16);\n"
	           "    println!(\"{:?}\", 1e21);\n"
	           "    println!(\"{:?}\", 1.5e-5);\n"
	           "    println!(\"{:?}\", 1e-7);\n"
	           "}\n",
	           "1.0\n0.1\n-1.0\n1000000000000000.0\n1e16\n1e21\n1.5e-5\n"
	           "1e-7\n",
	           0);
}
END_TEST

START_TEST(test_duration_debug_picks_the_unit)
{
	assert_run("use std::time::Duration;\n"
	           "fn main() {\n"
	           "    println!(\"{:?}\", Duration::from_millis(1500));\n"
	           "    println!(\"{:?}\", Duration::from_millis(250));\n"
	           "    println!(\"{:?}\", Duration::from_micros(1));\n"
	           "    println!(\"{:?}\", Duration::from_nanos(1));\n"
	           "    println!(\"{:?}\", Duration::from_secs(2));\n"
	           "    println!(\"{:?}\", Duration::from_nanos(1500));\n"
	           "    println!(\"{:?}\", Duration::from_secs_f64(0.1));\n"
	           "    println!(\"{:?}\", Duration::from_secs(0));\n"
	           "    println!(\"{:?}\", Duration::from_nanos(1_000_000_123));\n"
	           "    println!(\"{:.2?}\", Duration::from_nanos(1_234_567));\n"

	           "    println!(\"{:?}\", Duration::from_millis(1500) + "
	           "Duration::from_millis(500));\n"
	           "    let d = Duration::from_millis(1500);\n"
	           "    println!(\"{} {} {}\", d.as_secs_f64(), d.as_millis(), "
	           "d.as_secs());\n"
	           "}\n",
	           "1.5s\n250ms\n1µs\n1ns\n2s\n1.5µs\n100ms\n0ns\n"
	           "1.000000123s\n1.23ms\n2s\n1.5 1500 1\n",
	           0);
}
END_TEST

START_TEST(test_duration_precision_rounds_half_to_even)
{
	/* With a precision, Duration's Debug rounds ties to even, as floats
	 * do (checked with Rust 1.95): 1.5 s and 2.5 s both give "2s". */
	assert_run("use std::time::Duration;\n"
	           "fn main() {\n"
	           "    println!(\"{:.0?}\", Duration::from_millis(1500));\n"
	           "    println!(\"{:.0?}\", Duration::from_millis(2500));\n"
	           "    println!(\"{:.0?}\", Duration::from_millis(2501));\n"
	           "    println!(\"{:.0?}\", Duration::from_millis(3500));\n"
	           "    println!(\"{:.1?}\", Duration::from_micros(1250));\n"
	           "    println!(\"{:.3?}\", Duration::from_nanos(999_999_999));"
	           "\n"
	           "}\n",
	           "2s\n2s\n3s\n4s\n1.2ms\n1000.000ms\n", 0);
}
END_TEST

/* --- functions, closures, control flow ------------------------------------- */

START_TEST(test_closures_capture_by_value_and_move)
{
	assert_run("fn make_adder(k: i32) -> impl Fn(i32) -> i32 {\n"
	           "    move |x| x + k\n"
	           "}\n"
	           "fn main() {\n"
	           "    let add = |a: i32, b: i32| a + b;\n"
	           "    let k = 10;\n"
	           "    let addk = move |a: i32| a + k;\n"
	           "    let f = make_adder(3);\n"
	           "    println!(\"{} {} {}\", add(2, 3), addk(5), f(4));\n"
	           "}\n",
	           "5 15 7\n", 0);
}
END_TEST

/* A closure that changes a captured variable borrows it (FnMut): the
 * change is seen outside. A move closure changes its own copy, which it
 * keeps from one call to the next. */
START_TEST(test_closures_that_change_captured_variables)
{
	assert_run("fn main() {\n"
	           "    let mut count = 0;\n"
	           "    let mut inc = || count += 1;\n"
	           "    inc();\n"
	           "    inc();\n"
	           "    println!(\"count {count}\");\n"
	           "    let mut n = 10;\n"
	           "    let mut own = move || { n += 1; n };\n"
	           "    println!(\"{} {} {n}\", own(), own());\n"
	           "}\n",
	           "count 2\n11 12 10\n", 0);
}
END_TEST

START_TEST(test_char_literals)
{
	assert_run("fn main() {\n"
	           "    let c = 'x';\n"
	           "    let v = vec!['a', '\\n', '\\u{e9}'];\n"
	           "    println!(\"{} {:?} {} {:?} {}\", c, c, c == 'x', v, 'A' as u32);\n"
	           "}\n",
	           "x 'x' true ['a', '\\n', '\xc3\xa9'] 65\n", 0);
}
END_TEST

START_TEST(test_loop_break_with_value)
{
	assert_run("fn main() {\n"
	           "    let mut n = 0;\n"
	           "    let x = loop {\n"
	           "        n += 1;\n"
	           "        if n == 5 {\n"
	           "            break n * 2;\n"
	           "        }\n"
	           "    };\n"
	           "    println!(\"{x}\");\n"
	           "}\n",
	           "10\n", 0);
}
END_TEST

START_TEST(test_while_continue_and_labelled_loops)
{
	assert_run("fn main() {\n"
	           "    let mut i = 0;\n"
	           "    while i < 10 {\n"
	           "        i += 1;\n"
	           "        if i % 2 == 0 {\n"
	           "            continue;\n"
	           "        }\n"
	           "        print!(\"{i} \");\n"
	           "    }\n"
	           "    println!();\n"
	           "    'outer: for a in 0..3 {\n"
	           "        for b in 0..3 {\n"
	           "            if b == 2 {\n"
	           "                continue 'outer;\n"
	           "            }\n"
	           "            if a == 2 {\n"
	           "                break 'outer;\n"
	           "            }\n"
	           "            print!(\"{a}{b} \");\n"
	           "        }\n"
	           "    }\n"
	           "    println!();\n"
	           "}\n",
	           "1 3 5 7 9 \n00 01 10 11 \n", 0);
}
END_TEST

START_TEST(test_for_over_ranges_and_rev)
{
	assert_run("fn main() {\n"
	           "    for j in 0..3 { print!(\"{j}\"); }\n"
	           "    println!();\n"
	           "    for j in 1..=3 { print!(\"{j}\"); }\n"
	           "    println!();\n"
	           "    for j in (1..4).rev() { print!(\"{j}\"); }\n"
	           "    println!();\n"
	           "    for j in 5..5 { print!(\"never {j}\"); }\n"
	           "    println!(\"end\");\n"
	           "}\n",
	           "012\n123\n321\nend\n", 0);
}
END_TEST

START_TEST(test_vec_operations)
{
	assert_run("fn main() {\n"
	           "    let mut v = Vec::new();\n"
	           "    v.push(1);\n"
	           "    v.push(2);\n"
	           "    v.push(3);\n"
	           "    println!(\"{} {}\", v.len(), v.is_empty());\n"
	           "    let last = v.pop();\n"
	           "    println!(\"{:?} {:?}\", last, v);\n"
	           "    for x in v.iter() { print!(\"{x}\"); }\n"
	           "    println!();\n"
	           "    v[0] = 9;\n"
	           "    println!(\"{:?} {}\", v, v.contains(&2));\n"
	           "    let w = vec![0; 3];\n"
	           "    println!(\"{:?}\", w);\n"
	           "    let mut e: Vec<i32> = Vec::new();\n"
	           "    println!(\"{:?}\", e.pop());\n"
	           "}\n",
	           "3 false\nSome(3) [1, 2]\n12\n[9, 2] true\n[0, 0, 0]\nNone\n",
	           0);
}
END_TEST

START_TEST(test_tuples_patterns_and_shadowing)
{
	assert_run("fn pair(n: i32) -> (i32, i32) {\n"
	           "    (n, n * n)\n"
	           "}\n"
	           "fn main() {\n"
	           "    let t = (1, \"two\", 3.0);\n"
	           "    let (a, b, c) = t;\n"
	           "    println!(\"{a} {b} {c} {}\", t.1);\n"
	           "    let (n, sq) = pair(4);\n"
	           "    println!(\"{n} {sq}\");\n"
	           "    let s = 5;\n"
	           "    let s = s * 2;\n"
	           "    {\n"
	           "        let s = \"inner\";\n"
	           "        println!(\"{s}\");\n"
	           "    }\n"
	           "    println!(\"{s}\");\n"
	           "}\n",
	           "1 two 3 two\n4 16\ninner\n10\n", 0);
}
END_TEST

START_TEST(test_integer_methods)
{
	assert_run("fn main() {\n"
	           "    println!(\"{}\", 2u64.pow(10));\n"
	           "    println!(\"{}\", (-5i32).abs());\n"
	           "    println!(\"{} {}\", 3.min(7), 3.max(7));\n"
	           "    println!(\"{}\", 42.to_string() + \"!\");\n"
	           "}\n",
	           "1024\n5\n3 7\n42!\n", 0);
}
END_TEST

START_TEST(test_question_mark_on_result_returns_the_error)
{
	assert_run("fn parse(n: i32) -> Result<i32, String> {\n"
	           "    if n < 0 {\n"
	           "        return Err(format!(\"negative: {n}\"));\n"
	           "    }\n"
	           "    Ok(n * 2)\n"
	           "}\n"
	           "fn twice(n: i32) -> Result<i32, String> {\n"
	           "    let a = parse(n)?;\n"
	           "    let b = parse(a)?;\n"
	           "    Ok(b)\n"
	           "}\n"
	           "fn main() {\n"
	           "    println!(\"{:?}\", twice(3));\n"
	           "    println!(\"{:?}\", twice(-1));\n"
	           "}\n",
	           "Ok(12)\nErr(\"negative: -1\")\n", 0);
}
END_TEST

START_TEST(test_question_mark_on_option_returns_none)
{
	assert_run("fn first_plus_one(mut v: Vec<i32>) -> Option<i32> {\n"
	           "    let x = v.pop()?;\n"
	           "    Some(x + 1)\n"
	           "}\n"
	           "fn main() {\n"
	           "    println!(\"{:?}\", first_plus_one(vec![1, 2]));\n"
	           "    println!(\"{:?}\", first_plus_one(Vec::new()));\n"
	           "}\n",
	           "Some(3)\nNone\n", 0);
}
END_TEST

START_TEST(test_main_returning_err_prints_error_and_exits_1)
{
	prog_run r;
	run_program(&r, "fn check(n: i32) -> Result<i32, String> {\n"
	                "    if n < 0 {\n"
	                "        return Err(format!(\"negative: {n}\"));\n"
	                "    }\n"
	                "    Ok(n)\n"
	                "}\n"
	                "fn main() -> Result<(), String> {\n"
	                "    println!(\"start\");\n"
	                "    let x = check(-5)?;\n"
	                "    println!(\"unreachable {x}\");\n"
	                "    Ok(())\n"
	                "}\n");
	ck_assert_str_eq(r.out, "start\n");
	ck_assert_str_eq(r.err, "Error: \"negative: -5\"\n");
	ck_assert_int_eq(r.status, 1);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_main_returning_ok_exits_0)
{
	prog_run r;
	run_program(&r, "fn main() -> Result<(), String> {\n"
	                "    println!(\"ok\");\n"
	                "    Ok(())\n"
	                "}\n");
	ck_assert_str_eq(r.out, "ok\n");
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(r.status, 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_type_error_found_while_running_exits_3)
{
	/* No type checker runs ahead: the interpreter reports what rustc
	 * would have, with a position, and stops with status 3. */
	prog_run r;
	run_program(&r, "fn main() {\n"
	                "    println!(\"before\");\n"
	                "    let s = \"a\";\n"
	                "    let x = 1 + s;\n"
	                "}\n");
	ck_assert_str_eq(r.out, "before\n");
	ck_assert_int_eq(r.status, 3);
	ck_assert_ptr_nonnull(r.res.message);
	ck_assert_msg(strncmp(r.res.message, CHECK_FILE ":4:13:",
	                      strlen(CHECK_FILE ":4:13:")) == 0,
	              "message: %s", r.res.message);
	prog_run_free(&r);
}
END_TEST

Suite *
suite_sim_vm(void)
{
	Suite *s = suite_create("sim_vm");
	TCase *tc = tcase_create("arithmetic");
	tcase_add_test(tc, test_arithmetic_precedence_and_integer_division);
	tcase_add_test(tc, test_casts_truncate_and_wrap_like_as);
	tcase_add_test(tc, test_u8_overflow_panics_at_expression_start);
	tcase_add_test(tc, test_typed_parameter_overflows_in_callee);
	tcase_add_test(tc, test_usize_subtraction_below_zero_panics);
	tcase_add_test(tc, test_i32_max_plus_one_panics);
	tcase_add_test(tc, test_vec_annotation_types_its_literal);
	tcase_add_test(tc, test_deeply_nested_values_are_dropped_and_refused_to_print);
	tcase_add_test(tc, test_shadowing_across_blocks_and_many_locals);
	tcase_add_test(tc, test_u32_addition_overflow_panics);
	tcase_add_test(tc, test_multiplication_and_negation_overflow_panic);
	tcase_add_test(tc, test_division_by_zero_panics);
	tcase_add_test(tc, test_overflow_location_includes_parentheses);
	tcase_add_test(tc, test_compound_assignment_overflow_at_its_start);
	suite_add_tcase(s, tc);

	tc = tcase_create("panics");
	tcase_add_test(tc, test_index_out_of_bounds_at_the_bracket);
	tcase_add_test(tc, test_index_assignment_out_of_bounds_at_the_bracket);
	tcase_add_test(tc, test_unwrap_on_err_shows_the_error_debug);
	tcase_add_test(tc, test_unwrap_on_none);
	tcase_add_test(tc, test_expect_messages);
	tcase_add_test(tc, test_unwrap_and_expect_on_success_give_the_value);
	tcase_add_test(tc, test_panic_macro_formats_its_message);
	tcase_add_test(tc, test_assert_messages);
	tcase_add_test(tc, test_assert_eq_uses_the_1_73_format);
	tcase_add_test(tc, test_passing_asserts_print_nothing);
	tcase_add_test(tc, test_backtrace_note_only_after_first_panic);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format_width_alignment_sign_and_precision);
	tcase_add_test(tc, test_float_precision_rounds_half_to_even);
	tcase_add_test(tc, test_debug_of_strings_tuples_vecs_options);
	tcase_add_test(tc, test_debug_width_applies_to_each_element);
	tcase_add_test(tc, test_debug_of_str_ignores_width);
	tcase_add_test(tc, test_braces_named_inline_and_positional_arguments);
	tcase_add_test(tc, test_f64_display_is_shortest_and_never_exponential);
	tcase_add_test(tc,
	               test_f64_debug_keeps_a_point_and_switches_to_exponent);
	tcase_add_test(tc, test_duration_debug_picks_the_unit);
	tcase_add_test(tc, test_duration_precision_rounds_half_to_even);
	suite_add_tcase(s, tc);

	tc = tcase_create("control");
	tcase_add_test(tc, test_closures_capture_by_value_and_move);
	tcase_add_test(tc, test_closures_that_change_captured_variables);
	tcase_add_test(tc, test_char_literals);
	tcase_add_test(tc, test_loop_break_with_value);
	tcase_add_test(tc, test_while_continue_and_labelled_loops);
	tcase_add_test(tc, test_for_over_ranges_and_rev);
	tcase_add_test(tc, test_vec_operations);
	tcase_add_test(tc, test_tuples_patterns_and_shadowing);
	tcase_add_test(tc, test_integer_methods);
	tcase_add_test(tc, test_question_mark_on_result_returns_the_error);
	tcase_add_test(tc, test_question_mark_on_option_returns_none);
	tcase_add_test(tc, test_main_returning_err_prints_error_and_exits_1);
	tcase_add_test(tc, test_main_returning_ok_exits_0);
	tcase_add_test(tc, test_type_error_found_while_running_exits_3);
	suite_add_tcase(s, tc);
	return s;
}
