#include "config.h"

#include "check_suites.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/lang_parse.h"

/* ---- helpers ---- */

/* A malloc'd formatted string: test inputs are built from pieces. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	char *s = malloc((size_t)n + 1);
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

/* Parses `src` and returns the tree's S-expression (malloc'd). */
static char *
parse_sx(const char *src, size_t len, lang_diags *d)
{
	lang_ast *ast = lang_parse(src, len, d);
	ck_assert_ptr_nonnull(ast);
	char *s = lang_ast_sexpr(lang_ast_root(ast));
	ck_assert_ptr_nonnull(s);
	lang_ast_free(ast);
	return s;
}

static void
dump_diags(const lang_diags *d, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < d->len; i++) {
		size_t k = strlen(out);
		snprintf(out + k, n - k, "[%u:%u %s] ", d->items[i].pos.line,
		         d->items[i].pos.col, d->items[i].message);
	}
}

static void
assert_clean(const lang_diags *d, const char *src)
{
	char buf[2048];
	dump_diags(d, buf, sizeof buf);
	ck_assert_msg(d->len == 0, "unexpected diagnostics for `%s`: %s", src,
	              buf);
}

/* Asserts that the whole file parses without diagnostics to `want`. */
static void
assert_file(const char *src, const char *want)
{
	lang_diags d;
	lang_diags_init(&d);
	char *got = parse_sx(src, strlen(src), &d);
	assert_clean(&d, src);
	ck_assert_msg(strcmp(got, want) == 0, "`%s`\n got: %s\nwant: %s", src,
	              got, want);
	free(got);
	lang_diags_free(&d);
}

/* Asserts the S-expression of a function body. */
static void
assert_body(const char *body, const char *want)
{
	char *src = fmt("fn f() {\n%s\n}", body);
	char *file = fmt("(file (fn f () _ %s))", want);
	assert_file(src, file);
	free(src);
	free(file);
}

/* Asserts the S-expression of one expression, parsed as the initializer
 * of a `let`, where no statement rules apply. */
static void
assert_expr(const char *expr, const char *want)
{
	char *body = fmt("let e = %s;", expr);
	char *block = fmt("(block (let (pat_ident e) _ %s))", want);
	assert_body(body, block);
	free(body);
	free(block);
}

/* Parses `src` and asserts that its first error is `msg` at line:col and
 * that there are exactly `nerrors` errors. */
static void
assert_errors(const char *src, size_t nerrors, uint32_t line, uint32_t col,
              const char *msg)
{
	lang_diags d;
	lang_diags_init(&d);
	char *got = parse_sx(src, strlen(src), &d);
	char buf[2048];
	dump_diags(&d, buf, sizeof buf);
	ck_assert_msg(d.nerrors == nerrors,
	              "`%s`: %zu errors, expected %zu: %s", src, d.nerrors,
	              nerrors, buf);
	size_t i = 0;
	while (i < d.len && d.items[i].severity != LANG_ERROR)
		i++;
	ck_assert_msg(i < d.len, "`%s`: no error", src);
	ck_assert_msg(strcmp(d.items[i].message, msg) == 0 &&
	                      d.items[i].pos.line == line &&
	                      d.items[i].pos.col == col,
	              "`%s`: got %s\nwant [%u:%u %s]", src, buf, line, col,
	              msg);
	free(got);
	lang_diags_free(&d);
}

static void
assert_error(const char *src, uint32_t line, uint32_t col, const char *msg)
{
	assert_errors(src, 1, line, col, msg);
}

/* ---- expressions ---- */

START_TEST(test_precedence)
{
	assert_expr("a + b * c",
	            "(binary + (path a) (binary * (path b) (path c)))");
	assert_expr("a * b + c",
	            "(binary + (binary * (path a) (path b)) (path c))");
	assert_expr("a - b - c",
	            "(binary - (binary - (path a) (path b)) (path c))");
	assert_expr("-x.pow(2)", "(unary - (method pow (path x) (int 2)))");
	assert_expr("a as u64 * b",
	            "(binary * (cast (path a) (type u64)) (path b))");
	assert_expr("a * b as u64",
	            "(binary * (path a) (cast (path b) (type u64)))");
	assert_expr("-x as i64", "(cast (unary - (path x)) (type i64))");
	assert_expr("x as u8 as char",
	            "(cast (cast (path x) (type u8)) (type char))");
	assert_expr("x().await.y", "(field y (await (call (path x))))");
	assert_expr("a || b && c",
	            "(binary || (path a) (binary && (path b) (path c)))");
	assert_expr("a == b && c != d",
	            "(binary && (binary == (path a) (path b)) "
	            "(binary != (path c) (path d)))");
	assert_expr("a | b ^ c & d << 1 + 2",
	            "(binary | (path a) (binary ^ (path b) (binary & (path c) "
	            "(binary << (path d) (binary + (int 1) (int 2))))))");
	assert_expr("a < b + 1",
	            "(binary < (path a) (binary + (path b) (int 1)))");
	assert_expr(
	        "!a && *b > -c",
	        "(binary && (unary ! (path a)) (binary > (unary * (path b)) "
	        "(unary - (path c))))");
	assert_expr("&mut v", "(unary &mut (path v))");
	assert_expr("&&x", "(unary & (unary & (path x)))");
	assert_expr("- - x", "(unary - (unary - (path x)))");
	assert_expr("a % b / c",
	            "(binary / (binary % (path a) (path b)) (path c))");
	assert_expr("x? + 1", "(binary + (try (path x)) (int 1))");
	assert_expr("f()?.g().await?",
	            "(try (await (method g (try (call (path f))))))");
	assert_expr("v[i][j]", "(index (index (path v) (path i)) (path j))");
	assert_expr("(a + b) * c",
	            "(binary * (binary + (path a) (path b)) (path c))");
}
END_TEST

START_TEST(test_ranges)
{
	assert_expr("1..10", "(range (int 1) (int 10))");
	assert_expr("1..=n + 1",
	            "(range inclusive (int 1) (binary + (path n) (int 1)))");
	assert_expr("..b", "(range _ (path b))");
	assert_expr("a..", "(range (path a))");
	assert_expr("..", "(range)");
	assert_expr("(1..=10).rev()",
	            "(method rev (range inclusive (int 1) (int 10)))");
	assert_expr("v[1..]", "(index (path v) (range (int 1)))");
	assert_expr("a..b || c",
	            "(range (path a) (binary || (path b) (path c)))");
	assert_body("for i in 0.. { }",
	            "(block (for (pat_ident i) (range (int 0)) (block)))");
	assert_error("fn f() { let r = 1..=; }", 1, 19,
	             "inclusive range with no end");
}
END_TEST

START_TEST(test_literals)
{
	assert_expr("(1, 2.5, 'c', \"s\\n\", true, false, 7u8, 1e3)",
	            "(tuple (int 1) (float 2.5) (char 'c') (str \"s\\n\") "
	            "(bool true) (bool false) (int 7 u8) (float 1000))");
	assert_expr("r#\"raw \"q\"\"#", "(str raw \"raw \\\"q\\\"\")");
	assert_expr("\"a\\0b\"", "(str \"a\\x00b\")");
	assert_expr("'\\u{1F600}'", "(char '\\u{1f600}')");
	assert_expr("0xff_u64", "(int 255 u64)");
	assert_expr("18446744073709551615", "(int 18446744073709551615)");
	assert_expr("-9223372036854775808",
	            "(unary - (int 9223372036854775808))");
	assert_expr("()", "(tuple)");
	assert_expr("(a)", "(path a)");
	assert_expr("(a,)", "(tuple (path a))");
	assert_expr("[1, 2, 3,]", "(array (int 1) (int 2) (int 3))");
	assert_expr("[0; 5]", "(array repeat (int 0) (int 5))");
	assert_expr("[]", "(array)");
}
END_TEST

START_TEST(test_postfix_and_paths)
{
	assert_expr("t.0.1", "(field 1 (field 0 (path t)))");
	assert_expr("t.0 .1", "(field 1 (field 0 (path t)))");
	assert_expr("x.len", "(field len (path x))");
	assert_expr("Vec::<u64>::new()", "(call (path Vec::<u64>::new))");
	assert_expr("Vec::new", "(path Vec::new)");
	assert_expr("std::time::Duration::from_secs(1)",
	            "(call (path std::time::Duration::from_secs) (int 1))");
	assert_expr("v.iter().collect::<Vec<_>>()",
	            "(method collect Vec<_> (method iter (path v)))");
	assert_expr("s.parse::<u64>().unwrap()",
	            "(method unwrap (method parse u64 (path s)))");
	assert_expr("HashMap::<String, Vec<u8>>::new()",
	            "(call (path HashMap::<String, Vec<u8>>::new))");
	assert_expr("f(a, b,)(c)",
	            "(call (call (path f) (path a) (path b)) (path c))");
	assert_expr("self.x", "(field x (path self))");

	/* Segments of a path, without generic arguments. */
	lang_diags d;
	lang_diags_init(&d);
	const char *src = "fn f() { Vec::<u64>::with_capacity }";
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	lang_node *fn = lang_ast_root(ast)->kids[0];
	lang_node *path = fn->b->a;
	ck_assert_int_eq(path->kind, LANG_N_PATH);
	ck_assert_uint_eq(path->nsegs, 2);
	ck_assert_str_eq(path->segs[0], "Vec");
	ck_assert_str_eq(path->segs[1], "with_capacity");
	ck_assert_str_eq(path->name, "with_capacity");
	lang_ast_free(ast);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_closures_and_async)
{
	assert_expr("|x| x + 1",
	            "(closure ((param (pat_ident x))) (binary + (path x) "
	            "(int 1)))");
	assert_expr("|x: u64, y| x * y",
	            "(closure ((param (pat_ident x) (type u64)) "
	            "(param (pat_ident y))) (binary * (path x) (path y)))");
	assert_expr("|| { 1 }", "(closure () (block (int 1)))");
	assert_expr("move || foo(n)",
	            "(closure move () (call (path foo) (path n)))");
	assert_expr("|&x| x", "(closure ((param (pat_ref (pat_ident x)))) "
	                      "(path x))");
	assert_expr("|(a, b)| a", "(closure ((param (pat_tuple (pat_ident a) "
	                          "(pat_ident b)))) (path a))");
	assert_expr("|x| -> u64 { x }", "(closure ((param (pat_ident x))) "
	                                "(block (path x)) (type u64))");
	assert_expr("async move { f().await }",
	            "(async_block move (block (await (call (path f)))))");
	assert_expr("async { 1 }", "(async_block (block (int 1)))");
	assert_expr("thread::spawn(move || foo(n))",
	            "(call (path thread::spawn) (closure move () "
	            "(call (path foo) (path n))))");
	assert_expr("|x| async move { x }",
	            "(closure ((param (pat_ident x))) (async_block move "
	            "(block (path x))))");
}
END_TEST

START_TEST(test_macros)
{
	assert_expr("format!(\"{} {n}\", a)",
	            "(macro format! (str \"{} {n}\") (path a))");
	assert_expr("vec![1, 2]", "(macro vec![] (int 1) (int 2))");
	assert_expr("vec![x; n]", "(macro repeat vec![] (path x) (path n))");
	assert_expr("vec![]", "(macro vec![])");
	assert_expr("tokio::join!(a(), b())",
	            "(macro tokio::join! (call (path a)) (call (path b)))");
	assert_body("println!(\"hi {}\", 1 + 2);",
	            "(block (expr_stmt semi (macro println! (str \"hi {}\") "
	            "(binary + (int 1) (int 2)))))");
	/* A braced macro call ends a statement like a block does. */
	assert_body("m! { a, b }\nx",
	            "(block (expr_stmt (macro m!{} (path a) (path b))) "
	            "(path x))");
	assert_body("let (a, b) = tokio::join!(x(), y());",
	            "(block (let (pat_tuple (pat_ident a) (pat_ident b)) _ "
	            "(macro tokio::join! (call (path x)) (call (path y)))))");

	lang_diags d;
	lang_diags_init(&d);
	const char *src = "fn f() { println!(\"x\"); v![1]; w!{} }";
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	lang_node *body = lang_ast_root(ast)->kids[0]->b;
	ck_assert_int_eq(body->kids[0]->a->op, '(');
	ck_assert_int_eq(body->kids[1]->a->op, '[');
	ck_assert_int_eq(body->a->op, '{');
	ck_assert_str_eq(body->kids[0]->a->name, "println");
	lang_ast_free(ast);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_control_flow)
{
	assert_expr("if a { 1 } else if b { 2 } else { 3 }",
	            "(if (path a) (block (int 1)) (if (path b) (block (int 2)) "
	            "(block (int 3))))");
	/* A block-like expression at the end is the block's value, as in
	 * Rust (where it is `()`). */
	assert_body("while n > 0 { n -= 1; }",
	            "(block (while (binary > (path n) (int 0)) "
	            "(block (expr_stmt semi (assign -= (path n) (int 1))))))");
	assert_body("'outer: for i in v { loop { break 'outer; } "
	            "continue 'outer; }",
	            "(block (for 'outer (pat_ident i) (path v) "
	            "(block (expr_stmt (loop (block (expr_stmt semi "
	            "(break 'outer))))) (expr_stmt semi (continue 'outer)))))");
	assert_expr("loop { break 5; }",
	            "(loop (block (expr_stmt semi (break (int 5)))))");
	assert_expr("'a: loop { break 'a x + 1 }",
	            "(loop 'a (block (break 'a (binary + (path x) (int 1)))))");
	assert_body("'w: while true { }",
	            "(block (while 'w (bool true) (block)))");
	assert_body("return;", "(block (expr_stmt semi (return)))");
	assert_body("return a + 1",
	            "(block (return (binary + (path a) (int 1))))");
	assert_body("x = y = 3;",
	            "(block (expr_stmt semi (assign = (path x) (assign = "
	            "(path y) (int 3)))))");
	/* The condition does not swallow the block as a struct literal. */
	assert_body("if x == y { }",
	            "(block (if (binary == (path x) (path y)) (block)))");
}
END_TEST

/* ---- statements ---- */

START_TEST(test_statements)
{
	/* Block-like expressions end a statement without `;`. */
	assert_body("if a { } - 1", "(block (expr_stmt (if (path a) (block))) "
	                            "(unary - (int 1)))");
	assert_body("{ 1 } { 2 }",
	            "(block (expr_stmt (block (int 1))) (block (int 2)))");
	assert_body("loop { } while c { } for x in v { } async { };",
	            "(block (expr_stmt (loop (block))) (expr_stmt (while "
	            "(path c) (block))) (expr_stmt (for (pat_ident x) (path v) "
	            "(block))) (expr_stmt semi (async_block (block))))");
	/* A method call continues a block-like expression. */
	assert_body("async { }.await;",
	            "(block (expr_stmt semi (await (async_block (block)))))");
	assert_body("if a { b } else { c }.len()",
	            "(block (method len (if (path a) (block (path b)) "
	            "(block (path c)))))");
	/* The last expression without `;` is the block's value. */
	assert_body("let x = 1;\nx + 1",
	            "(block (let (pat_ident x) _ (int 1)) (binary + (path x) "
	            "(int 1)))");
	assert_body("f();\n;;\ng()",
	            "(block (expr_stmt semi (call (path f))) (call (path g)))");
	assert_body("let x;", "(block (let (pat_ident x)))");
	assert_body("let mut v: Vec<u64> = Vec::new();",
	            "(block (let (pat_ident mut v) (type Vec<u64>) "
	            "(call (path Vec::new))))");
	assert_body(
	        "let (a, (b, _), mut c) = t;",
	        "(block (let (pat_tuple (pat_ident a) (pat_tuple "
	        "(pat_ident b) (pat_wild)) (pat_ident mut c)) _ (path t)))");
	assert_body("let _ = f();",
	            "(block (let (pat_wild) _ (call (path f))))");
	assert_body("let ((a)) = 1;", "(block (let (pat_ident a) _ (int 1)))");
	assert_body("let ref x = 1;",
	            "(block (let (pat_ident ref x) _ (int 1)))");
	assert_body("#[allow(unused)]\nlet x = 1;",
	            "(block (let (pat_ident x) _ (int 1)))");
}
END_TEST

START_TEST(test_statement_errors)
{
	assert_error("fn f() {\n    let x = 1\n    let y = 2;\n}", 2, 14,
	             "expected `;`, found `let`");
	assert_error("fn f() {\n    foo()\n    bar();\n}", 2, 10,
	             "expected `;`, found identifier `bar`");
	assert_error("fn f() {\n    fn inner() {}\n}", 2, 5,
	             "items inside functions are not supported yet");
	assert_error("fn f() {\n    use std::thread;\n    let x = 1;\n}", 2, 5,
	             "items inside functions are not supported yet");
	assert_error("fn f() {\n    struct S { a: u64 }\n}", 2, 5,
	             "items inside functions are not supported yet");
	assert_error("fn f() { let x = ; }", 1, 18,
	             "expected expression, found `;`");
	assert_error("fn f() { a < b < c; }", 1, 16,
	             "comparison operators cannot be chained");
	assert_error("fn f() { let x = 1 +; }", 1, 21,
	             "expected expression, found `;`");
	assert_error("fn f() { x.; }", 1, 12,
	             "expected a field or method name after `.`, found `;`");
	assert_error("fn f() { f(1 2); }", 1, 14,
	             "expected `,` or `)`, found integer literal `2`");
	assert_error("fn f() { let v = [1 2]; }", 1, 21,
	             "expected `,`, `;` or `]`, found integer literal `2`");
	assert_error("fn f() { let t = t.0u8; }", 1, 20,
	             "suffixes on a tuple index are invalid");
	assert_error("fn f() {\n    if x > 5 return;\n}", 2, 14,
	             "expected `{`, found `return`");
	assert_error("fn f() { for i in v f(i); }", 1, 21,
	             "expected `{`, found identifier `f`");
	assert_error("fn f() { if i as usize < n {} }", 1, 24,
	             "`<` is interpreted as a start of generic arguments for "
	             "`usize`, not a comparison");
	assert_error("fn f() { let x = a as u64 << 2; }", 1, 27,
	             "`<<` is interpreted as a start of generic arguments for "
	             "`u64`, not a shift");
	assert_expr("(i as usize) < n",
	            "(binary < (cast (path i) (type usize)) (path n))");
	assert_error("use std::{thread, time::Duration", 1, 10,
	             "this `{` is never closed");
}
END_TEST

/* ---- items ---- */

START_TEST(test_use)
{
	assert_file("use std::time::{Duration, Instant};",
	            "(file (use Duration std::time::Duration) "
	            "(use Instant std::time::Instant))");
	assert_file("use futures::future;\nuse std::thread;",
	            "(file (use future futures::future) "
	            "(use thread std::thread))");
	assert_file("use std::collections::*;",
	            "(file (use * std::collections::*))");
	assert_file("use std::io::{self, Write as W, prelude::*};",
	            "(file (use io std::io) (use W std::io::Write) "
	            "(use * std::io::prelude::*))");
	assert_file("use ::std::a::{b::{c, d}, e};",
	            "(file (use c std::a::b::c) (use d std::a::b::d) "
	            "(use e std::a::e))");
	assert_file("pub use a::b as _;", "(file (use pub _ a::b))");
	assert_error("use std::thread\nfn main() {}", 1, 16,
	             "expected `;`, found `fn`");
}
END_TEST

START_TEST(test_functions)
{
	assert_file("fn main() {}", "(file (fn main () _ (block)))");
	assert_file("async fn foo(n: u64) { }",
	            "(file (fn async foo ((param (pat_ident n) (type u64))) _ "
	            "(block)))");
	assert_file("fn f(mut x: i32, v: &mut Vec<u64>, (a, b): (u8, u8)) "
	            "-> Result<(), String> { Ok(()) }",
	            "(file (fn f ((param (pat_ident mut x) (type i32)) "
	            "(param (pat_ident v) (type &mut Vec<u64>)) "
	            "(param (pat_tuple (pat_ident a) (pat_ident b)) "
	            "(type (u8, u8)))) (type Result<(), String>) "
	            "(block (call (path Ok) (tuple)))))");
	assert_file("pub fn f() -> impl Future<Output = ()> { async {} }",
	            "(file (fn pub f () (type impl Future<Output = ()>) "
	            "(block (async_block (block)))))");
	assert_file("#[tokio::main]\nasync fn main() {}",
	            "(file (fn async main () _ (block) "
	            "(list (attr tokio::main))))");
	assert_file("#[tokio::main(flavor = \"current_thread\")]\n"
	            "async fn main() {}",
	            "(file (fn async main () _ (block) (list (attr tokio::main "
	            "\"flavor = \\\"current_thread\\\"\"))))");
	assert_error("fn f(x) {}", 1, 7, "expected `:` and a type, found `)`");
	assert_error("fn f();", 1, 7, "function `f` has no body");
	assert_error("fn () {}", 1, 4, "expected a function name, found `(`");
	assert_error("fn f() { }\n}", 2, 1, "unexpected closing delimiter `}`");
	assert_error("let x = 1;", 1, 1,
	             "expected an item (`fn` or `use`), found `let`");
}
END_TEST

START_TEST(test_attributes)
{
	lang_diags d;
	lang_diags_init(&d);
	const char *src = "#![allow(dead_code)]\n#![feature(x)]\n"
	                  "#[derive(Debug)]\n#[inline]\nfn f() {}\n"
	                  "#[allow(unused)]\n#[tokio::main]\nuse a::b;\n"
	                  "fn g() {\n    #[rustfmt::skip]\n    let x = 1;\n}\n";
	char *got = parse_sx(src, strlen(src), &d);
	ck_assert_str_eq(got,
	                 "(file (attr inner allow \"dead_code\") "
	                 "(attr inner feature \"x\") "
	                 "(fn f () _ (block) (list (attr derive \"Debug\") "
	                 "(attr inline))) (use b a::b) (fn g () _ "
	                 "(block (let (pat_ident x) _ (int 1)))))");
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.len, 5);
	static const struct {
		uint32_t line, col;
		const char *msg;
	} want[] = {
	        {2, 1, "attribute `#![feature]` is ignored"},
	        {3, 1, "attribute `#[derive]` is ignored"},
	        {4, 1, "attribute `#[inline]` is ignored"},
	        {7, 1, "attribute `#[tokio::main]` is ignored"},
	        {10, 5, "attribute `#[rustfmt::skip]` is ignored"},
	};
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(d.items[i].severity, LANG_WARNING);
		ck_assert_str_eq(d.items[i].message, want[i].msg);
		ck_assert_uint_eq(d.items[i].pos.line, want[i].line);
		ck_assert_uint_eq(d.items[i].pos.col, want[i].col);
	}
	free(got);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_types)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
	        {"u64", "u64"},
	        {"&str", "&str"},
	        {"&'a str", "&str"},
	        {"&'static mut  Vec < u64 >", "&mut Vec<u64>"},
	        {"&&x", "&&x"},
	        {"Vec<Vec<u64>>", "Vec<Vec<u64>>"},
	        {"Vec<Vec<Vec<u64>>>", "Vec<Vec<Vec<u64>>>"},
	        {"Result<(), String>", "Result<(), String>"},
	        {"(u64,)", "(u64,)"},
	        {"(u64)", "u64"},
	        {"( u64 , &str )", "(u64, &str)"},
	        {"[u8; 3]", "[u8; 3]"},
	        {"[u64]", "[u64]"},
	        {"impl Future<Output = ()> + Send + 'static",
	         "impl Future<Output = ()> + Send"},
	        {"Box<dyn Fn(u64) -> u64 + Send>",
	         "Box<dyn Fn(u64) -> u64 + Send>"},
	        {"Pin<Box<dyn Future<Output = u64>>>",
	         "Pin<Box<dyn Future<Output = u64>>>"},
	        {"fn(u64, u64) -> bool", "fn(u64, u64) -> bool"},
	        {"fn()", "fn()"},
	        {"Foo<'a, T>", "Foo<T>"},
	        {"Foo<'a>", "Foo"},
	        {"std::sync::Arc<std::sync::Mutex<u64>>",
	         "std::sync::Arc<std::sync::Mutex<u64>>"},
	        {"Vec<_>", "Vec<_>"},
	        {"!", "!"},
	        {"*const u8", "*const u8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = fmt("let x: %s;", cases[i].src);
		char *want = fmt("(block (let (pat_ident x) (type %s)))",
		                 cases[i].want);
		assert_body(body, want);
		free(body);
		free(want);
	}
	/* `>=` right after generics splits too. */
	assert_body("let x: Vec<u64>= v;",
	            "(block (let (pat_ident x) (type Vec<u64>) (path v)))");
}
END_TEST

/* ---- constructs not supported yet ---- */

START_TEST(test_unsupported)
{
	static const struct {
		const char *src;
		uint32_t line, col;
		const char *msg;
	} cases[] = {
	        {"struct Point { x: u64 }", 1, 1,
	         "`struct` items are not supported yet"},
	        {"enum E { A, B(u64) }", 1, 1,
	         "`enum` items are not supported yet"},
	        {"impl Future for X {\n fn poll(self: Pin<&mut Self>) {}\n}", 1,
	         1, "`impl` blocks are not supported yet"},
	        {"unsafe impl Send for X {}", 1, 8,
	         "`impl` blocks are not supported yet"},
	        {"trait T { fn f(&self); }", 1, 1,
	         "`trait` items are not supported yet"},
	        {"const N: u64 = 5;", 1, 1,
	         "`const` items are not supported yet"},
	        {"static S: [u8; 2] = [1, 2];", 1, 1,
	         "`static` items are not supported yet"},
	        {"mod m;", 1, 1, "`mod` items are not supported yet"},
	        {"mod m { fn f() {} }", 1, 1,
	         "`mod` items are not supported yet"},
	        {"type T = u64;", 1, 1, "type aliases are not supported yet"},
	        {"extern crate tokio;", 1, 1,
	         "`extern crate` is not supported yet"},
	        {"macro_rules! m { () => {} }", 1, 1,
	         "`macro_rules!` macros are not supported yet"},
	        {"fn f<T>(x: T) -> T { x }", 1, 5,
	         "generic functions are not supported yet"},
	        {"fn f<'a>(x: &'a str) -> &'a str { x }", 1, 5,
	         "lifetime parameters are not supported yet"},
	        {"fn f(x: u64) -> u64 where u64: Copy { x }", 1, 21,
	         "`where` clauses are not supported yet"},
	        {"unsafe fn f() {}", 1, 1,
	         "`unsafe` functions are not supported yet"},
	        {"const fn f() {}", 1, 1, "`const fn` is not supported yet"},
	        {"fn f(&self) {}", 1, 6,
	         "`self` parameters are only allowed in `impl` blocks, which "
	         "are "
	         "not supported yet"},
	        {"fn main() {\n    let x = match y { 1 => 2, _ => 3 };\n}", 2,
	         13, "`match` expressions are not supported yet"},
	        {"fn main() {\n    match y { _ => {} }\n    f();\n}", 2, 5,
	         "`match` expressions are not supported yet"},
	        {"fn main() {\n  if let Some(v) = o { }\n}", 2, 3,
	         "`if let` is not supported yet"},
	        {"fn main() {\n  while let Some(v) = o.pop() { }\n}", 2, 3,
	         "`while let` is not supported yet"},
	        {"fn main() { let Some(x) = o; }", 1, 17,
	         "enum and struct patterns are not supported yet"},
	        {"fn main() { let x = y else { return }; }", 1, 23,
	         "`let ... else` is not supported yet"},
	        {"fn main() { let p = Point { x: 1, y: 2 }; }", 1, 21,
	         "struct literals are not supported yet"},
	        {"fn main() { let p = P {}; }", 1, 21,
	         "struct literals are not supported yet"},
	        {"fn main() { unsafe { f(); } }", 1, 13,
	         "`unsafe` blocks are not supported yet"},
	        {"fn main() { 'a: { 1 } }", 1, 13,
	         "labelled blocks are not supported yet"},
	        {"fn main() { let f = async |x| x; }", 1, 21,
	         "async closures are not supported yet"},
	        {"fn main() { let b = b\"bytes\"; }", 1, 21,
	         "byte string literals are not supported yet"},
	        {"fn main() { let b = b'x'; }", 1, 21,
	         "byte literals are not supported yet"},
	        {"fn main() { tokio::select! { a = x => {} } }", 1, 13,
	         "`tokio::select!` is not supported yet"},
	        {"fn main() { let (a, ..) = t; }", 1, 21,
	         "`..` in patterns is not supported yet"},
	        {"fn main() { let [a, b] = t; }", 1, 17,
	         "slice patterns are not supported yet"},
	        {"fn main() { let x = <u64 as Tr>::f(); }", 1, 21,
	         "qualified paths like `<T as Trait>::name` are not supported "
	         "yet"},
	        {"fn main() { if let x = 1 && y {} }", 1, 13,
	         "`if let` is not supported yet"},
	        {"fn main() { let x = (let y = 1); }", 1, 22,
	         "`let` is only allowed as a statement"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_error(cases[i].src, cases[i].line, cases[i].col,
		             cases[i].msg);
	/* Each unsupported item is reported on its own. */
	assert_errors("struct Unit;\nstruct T(u64);\nfn main() {}", 2, 1, 1,
	              "`struct` items are not supported yet");
}
END_TEST

START_TEST(test_recovery)
{
	/* Independent errors are all reported, each once. */
	const char *src = "struct A { x: u64 }\n"
	                  "fn main() {\n"
	                  "    let a = match x { _ => 1 };\n"
	                  "    let b = 1\n"
	                  "    let c = (1 + );\n"
	                  "    if let Some(x) = y { f(1 2); }\n"
	                  "}\n"
	                  "enum E {}\n"
	                  "fn g() -> u64 { 1 }\n";
	lang_diags d;
	lang_diags_init(&d);
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	ck_assert_ptr_nonnull(ast);
	static const struct {
		uint32_t line, col;
		const char *msg;
	} want[] = {
	        {1, 1, "`struct` items are not supported yet"},
	        {3, 13, "`match` expressions are not supported yet"},
	        {4, 14, "expected `;`, found `let`"},
	        {5, 18, "expected expression, found `)`"},
	        {6, 5, "`if let` is not supported yet"},
	        {6, 30, "expected `,` or `)`, found integer literal `2`"},
	        {8, 1, "`enum` items are not supported yet"},
	};
	char buf[2048];
	dump_diags(&d, buf, sizeof buf);
	ck_assert_msg(d.len == sizeof want / sizeof want[0], "%s", buf);
	for (size_t i = 0; i < d.len; i++) {
		ck_assert_msg(strcmp(d.items[i].message, want[i].msg) == 0 &&
		                      d.items[i].pos.line == want[i].line &&
		                      d.items[i].pos.col == want[i].col,
		              "diagnostic %zu: %s", i, buf);
	}
	/* The functions after the errors are still in the tree. */
	lang_node *root = lang_ast_root(ast);
	ck_assert_uint_eq(root->nkids, 2);
	ck_assert_str_eq(root->kids[0]->name, "main");
	ck_assert_str_eq(root->kids[1]->name, "g");
	ck_assert_int_eq(root->kids[1]->b->a->kind, LANG_N_INT);
	lang_ast_free(ast);
	lang_diags_free(&d);

	/* A missing closing brace is reported at the opening one, once. */
	assert_error("fn main() {\n    if x {\n        f();\n", 2, 10,
	             "this block is never closed");
	assert_error("fn main() {\n    f(1, 2\n", 2, 6,
	             "this `(` is never closed");
	assert_error("fn main() { let v = vec![1, 2", 1, 25,
	             "this `[` is never closed");
	assert_error("fn main() {\n    let x = 5", 1, 11,
	             "this block is never closed");
}
END_TEST

START_TEST(test_error_limit)
{
	/* A file full of errors stops at the list's limit. */
	size_t n = 200;
	char *src = malloc(n * 16 + 1);
	src[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(src, "struct S;\n");
	lang_diags d;
	lang_diags_init(&d);
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	ck_assert_ptr_nonnull(ast);
	ck_assert(lang_diags_full(&d));
	ck_assert_uint_eq(d.nerrors, 20);
	lang_ast_free(ast);
	lang_diags_free(&d);

	d.max_errors = 3;
	lang_diags_init(&d);
	d.max_errors = 3;
	ast = lang_parse(src, strlen(src), &d);
	ck_assert_uint_eq(d.nerrors, 3);
	lang_ast_free(ast);
	lang_diags_free(&d);

	/* Warnings are capped too. */
	src[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(src, "#[inline]\n");
	strcat(src, "fn f() {}");
	lang_diags_init(&d);
	ast = lang_parse(src, strlen(src), &d);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_le(d.len, 20);
	lang_ast_free(ast);
	lang_diags_free(&d);
	free(src);
}
END_TEST

/* ---- hostile input ---- */

/* Checks what the header promises about any tree, even after errors: the
 * children a kind always has are there, statements are statements, and the
 * depth is bounded. */
static void
check_tree(const lang_node *n, unsigned depth)
{
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_lt(depth, 4 * LANG_PARSE_MAX_DEPTH + 64);
	ck_assert_int_lt(n->kind, LANG_N_COUNT_);
	ck_assert_ptr_nonnull(n->suffix);
	static const struct {
		lang_node_kind kind;
		const char *need; /* children that are never NULL */
	} rules[] = {
	        {LANG_N_LET, "a"},     {LANG_N_EXPR_STMT, "a"},
	        {LANG_N_PAT_REF, "a"}, {LANG_N_UNARY, "a"},
	        {LANG_N_BINARY, "ab"}, {LANG_N_ASSIGN, "ab"},
	        {LANG_N_CAST, "ab"},   {LANG_N_CALL, "a"},
	        {LANG_N_METHOD, "a"},  {LANG_N_FIELD, "a"},
	        {LANG_N_INDEX, "ab"},  {LANG_N_AWAIT, "a"},
	        {LANG_N_TRY, "a"},     {LANG_N_ASYNC_BLOCK, "a"},
	        {LANG_N_IF, "ab"},     {LANG_N_WHILE, "ab"},
	        {LANG_N_LOOP, "b"},    {LANG_N_FOR, "abc"},
	        {LANG_N_CLOSURE, "a"}, {LANG_N_FN, "b"},
	        {LANG_N_PARAM, "a"},
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i].kind != n->kind)
			continue;
		for (const char *w = rules[i].need; *w; w++) {
			const lang_node *c = *w == 'a'   ? n->a
			                     : *w == 'b' ? n->b
			                                 : n->c;
			ck_assert_msg(c != NULL, "%s without its %c child",
			              lang_node_kind_name(n->kind), *w);
		}
	}
	if (n->kind == LANG_N_METHOD || n->kind == LANG_N_FIELD ||
	    n->kind == LANG_N_FN || n->kind == LANG_N_MACRO ||
	    n->kind == LANG_N_USE || n->kind == LANG_N_ATTR ||
	    n->kind == LANG_N_PAT_IDENT || n->kind == LANG_N_PATH)
		ck_assert_ptr_nonnull(n->name);
	if (n->kind == LANG_N_TYPE || n->kind == LANG_N_STR ||
	    n->kind == LANG_N_USE)
		ck_assert_ptr_nonnull(n->str);
	if (n->kind == LANG_N_ARRAY && (n->flags & LANG_F_REPEAT))
		ck_assert(n->a && n->b);
	if (n->kind == LANG_N_FN) {
		for (uint32_t i = 0; i < n->nkids; i++) {
			ck_assert_int_eq(n->kids[i]->kind, LANG_N_PARAM);
			ck_assert_ptr_nonnull(n->kids[i]->b);
		}
	}
	for (uint32_t i = 0; i < n->nkids; i++) {
		if (n->kind == LANG_N_BLOCK)
			ck_assert(n->kids[i]->kind == LANG_N_LET ||
			          n->kids[i]->kind == LANG_N_EXPR_STMT);
		check_tree(n->kids[i], depth + 1);
	}
	if (n->a)
		check_tree(n->a, depth + 1);
	if (n->b)
		check_tree(n->b, depth + 1);
	if (n->c)
		check_tree(n->c, depth + 1);
	if (n->d)
		check_tree(n->d, depth + 1);
}

/* Parses `prefix` + `unit` * n + `suffix` and returns the diagnostics. */
static void
parse_repeated(lang_diags *d, const char *prefix, const char *unit, size_t n,
               const char *suffix)
{
	size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
	char *src = malloc(pl + ul * n + sl + 1);
	memcpy(src, prefix, pl);
	for (size_t i = 0; i < n; i++)
		memcpy(src + pl + i * ul, unit, ul);
	memcpy(src + pl + ul * n, suffix, sl + 1);
	lang_diags_init(d);
	lang_ast *ast = lang_parse(src, pl + ul * n + sl, d);
	ck_assert_ptr_nonnull(ast);
	check_tree(lang_ast_root(ast), 0);
	free(lang_ast_sexpr(lang_ast_root(ast)));
	lang_ast_free(ast);
	free(src);
}

START_TEST(test_deep_nesting)
{
	static const struct {
		const char *prefix, *unit, *suffix;
	} cases[] = {
	        {"fn main() { let x = ", "(", ""},
	        {"fn main() { let x = ", "[", ""},
	        {"fn main() ", "{", ""},
	        {"fn main() { let x = ", "-", "x; }"},
	        {"fn main() { let x = ", "&&", "x; }"},
	        {"fn main() { let x = a", " + a", "; }"},
	        {"fn main() { let x = a", ".b()", "; }"},
	        {"fn main() { let x = a", "?", "; }"},
	        {"fn main() { let x = ", "|x| ", "1; }"},
	        {"fn main() { ", "if a { ", ""},
	        {"fn main() { ", "if a {} else ", "{} }"},
	        {"fn main() { ", "return ", "; }"},
	        {"fn main() { let ", "(", ""},
	        {"fn main() { let x: ", "Vec<", ""},
	        {"fn main() { let x: ", "&", "u8; }"},
	        {"fn main() { let x: ", "(", ""},
	        {"use ", "{", ";"},
	        {"fn main() { ", "async { ", ""},
	        {"fn main() { ", "f(", ""},
	        {"fn main() { ", "vec![", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		clock_t t0 = clock();
		lang_diags d;
		parse_repeated(&d, cases[i].prefix, cases[i].unit, 100000,
		               cases[i].suffix);
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		ck_assert_msg(d.nerrors == 1, "case %zu: %zu errors", i,
		              d.nerrors);
		ck_assert_str_eq(d.items[0].message,
		                 "nesting is too deep (more than 256 levels)");
		/* Generous: it takes milliseconds, but valgrind is slow. */
		ck_assert_msg(secs < 20, "case %zu took %.1f s", i, secs);
		lang_diags_free(&d);
	}
	/* Wide input is bounded too: a node budget stops huge programs. */
	lang_diags d0;
	parse_repeated(&d0, "fn main() { let v = [", "1,",
	               LANG_PARSE_MAX_NODES + 1, "]; }");
	ck_assert_uint_eq(d0.nerrors, 1);
	ck_assert_str_eq(d0.items[0].message, "the program is too large "
	                                      "(more than 1000000 syntax "
	                                      "nodes)");
	lang_diags_free(&d0);

	/* Reasonable nesting is fine. */
	lang_diags d;
	parse_repeated(&d, "fn main() { let x = ", "(", 100, "1");
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_str_eq(d.items[0].message, "this `(` is never closed");
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_hostile_files)
{
	assert_file("", "(file)");
	assert_file("\n\n// nothing\n", "(file)");
	static const char nul[] = "fn main() {\n    let x = 1;\0 }";
	lang_diags d;
	lang_diags_init(&d);
	free(parse_sx(nul, sizeof nul - 1, &d));
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_str_eq(d.items[0].message, "NUL byte in source");
	ck_assert_uint_eq(d.items[0].pos.line, 2);
	ck_assert_uint_eq(d.items[0].pos.col, 15);
	lang_diags_free(&d);

	assert_error("fn main() {\n    let été = \"\xff\"; }", 2, 16,
	             "invalid UTF-8 in source");
	assert_error("fn main() {\n    let s = \"abc;\n}\n", 2, 13,
	             "unterminated string literal");
	assert_error("fn main() {\n    /* /* */\n}\n", 2, 5,
	             "unterminated block comment");
	assert_error("fn main() { let c = 'ab'; let d = 1; }", 1, 21,
	             "character literal may only contain one codepoint");
	assert_error("fn main() { let x = 99999999999999999999; }", 1, 21,
	             "integer literal is too large");

	/* CRLF line endings give the same tree and positions. */
	assert_file("fn main() {\r\n    let x = 1;\r\n}\r\n",
	            "(file (fn main () _ (block (let (pat_ident x) _ "
	            "(int 1)))))");
	assert_error("fn main() {\r\n    let x = 1\r\n    f();\r\n}\r\n", 2, 14,
	             "expected `;`, found identifier `f`");

	/* A megabyte-long line and string literal. */
	size_t n = 1 << 20;
	char *src = malloc(2 * n + 64);
	strcpy(src, "fn main() { let s = \"");
	size_t k = strlen(src);
	memset(src + k, 'a', n);
	k += n;
	strcpy(src + k, "\"; let t = x");
	k += strlen(src + k);
	for (size_t i = 0; i < 200; i++)
		src[k++] = i % 2 ? '1' : '+';
	strcpy(src + k, "; }");
	lang_diags_init(&d);
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	ck_assert_uint_eq(d.len, 0);
	lang_node *let = lang_ast_root(ast)->kids[0]->b->kids[0];
	ck_assert_uint_eq(let->c->str_len, n);
	lang_ast_free(ast);
	lang_diags_free(&d);
	free(src);
}
END_TEST

START_TEST(test_hostile_random)
{
	/* Random token soup and random bytes never crash or hang. */
	static const char *const words[] = {
	        "fn ",    "main",    "(",        ")",    "{",    "}",
	        "[",      "]",       "let ",     "=",    ";",    "if ",
	        "else ",  "while ",  "loop ",    "for ", "in ",  "match ",
	        "async ", "move ",   "|",        "||",   "x",    "1",
	        "1.5",    "\"s\"",   "'c'",      "'a",   ":",    "::",
	        "<",      ">",       ">>",       "&",    "&&",   "*",
	        "-",      "+",       "!",        ".",    "..",   "..=",
	        ",",      "?",       ".await",   "as ",  "u64",  "#",
	        "#!",     "struct ", "impl ",    "use ", "mut ", "return ",
	        "break ", "vec!",    "println!", "=>",   "->",   "_",
	        "\n",     "/*",      "*/",       "//",   "r#\"", "\"#",
	        "\\",     "\xff",    "\0",
	};
	unsigned seed = 4242;
	char buf[4096];
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;
		size_t nwords = (size_t)(iter % 300) + 1;
		for (size_t i = 0; i < nwords && len < sizeof buf - 16; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned v = (seed >> 16) & 0x7fff;
			if (iter % 5 == 0) {
				buf[len++] = (char)(v & 0xff);
				continue;
			}
			const char *w =
			        words[v % (sizeof words / sizeof words[0])];
			size_t wl = w[0] ? strlen(w) : 1;
			memcpy(buf + len, w, wl);
			len += wl;
		}
		lang_diags d;
		lang_diags_init(&d);
		lang_ast *ast = lang_parse(buf, len, &d);
		ck_assert_ptr_nonnull(ast);
		ck_assert_uint_le(d.nerrors, 20);
		check_tree(lang_ast_root(ast), 0);
		char *s = lang_ast_sexpr(lang_ast_root(ast));
		ck_assert_ptr_nonnull(s);
		free(s);
		lang_ast_free(ast);
		lang_diags_free(&d);
	}
}
END_TEST

/* ---- whole programs ---- */

static const char *const intro_programs[] = {
        /* threads.rs */
        "use std::thread;\n"
        "use std::time::Duration;\n"
        "\n"
        "fn foo(n: u64) {\n"
        "    println!(\"start {n}\");\n"
        "    thread::sleep(Duration::from_secs(1));\n"
        "    println!(\"end {n}\");\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut thread_handles = Vec::new();\n"
        "    for n in 1..=10 {\n"
        "        thread_handles.push(thread::spawn(move || foo(n)));\n"
        "    }\n"
        "    for handle in thread_handles {\n"
        "        handle.join().unwrap();\n"
        "    }\n"
        "}\n",
        /* tokio.rs */
        "use std::time::Duration;\n"
        "\n"
        "async fn foo(n: u64) {\n"
        "    println!(\"start {n}\");\n"
        "    tokio::time::sleep(Duration::from_secs(1)).await;\n"
        "    println!(\"end {n}\");\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    foo(1).await;\n"
        "    foo(2).await;\n"
        "    foo(3).await;\n"
        "}\n",
        /* tokio_10_dbg.rs */
        "use futures::future;\n"
        "use std::time::{Duration, Instant};\n"
        "\n"
        "async fn foo(n: u64) {\n"
        "    println!(\"start {n}\");\n"
        "    tokio::time::sleep(Duration::from_secs(1)).await;\n"
        "    println!(\"end {n}\");\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let mut futures = Vec::new();\n"
        "    for n in 1..=10 {\n"
        "        futures.push(foo(n));\n"
        "    }\n"
        "    println!(\"Joining the foo futures...\");\n"
        "    let start = Instant::now();\n"
        "    let joined_future = future::join_all(futures);\n"
        "    println!(\"That didn't take any time.\");\n"
        "    std::thread::sleep(Duration::from_secs(1));\n"
        "    println!(\"Awaiting the joined futures...\");\n"
        "    joined_future.await;\n"
        "    println!(\"{:.3} seconds\", start.elapsed().as_secs_f64());\n"
        "}\n",
        /* tokio_serial.rs and a few more shapes the lessons use. */
        "#![allow(unused)]\n"
        "use std::time::Duration;\n"
        "use std::sync::{Arc, Mutex};\n"
        "\n"
        "async fn foo(n: u64) -> u64 {\n"
        "    std::thread::sleep(Duration::from_secs(1)); // Oops!\n"
        "    n * 2\n"
        "}\n"
        "\n"
        "async fn bar(v: &mut Vec<u64>, total: &Arc<Mutex<u64>>) {\n"
        "    let (a, b) = tokio::join!(foo(1), foo(2));\n"
        "    v.push(a + b);\n"
        "    *total.lock().unwrap() += a;\n"
        "}\n"
        "\n"
        "#[tokio::main(flavor = \"current_thread\")]\n"
        "async fn main() {\n"
        "    let mut futures = Vec::new();\n"
        "    for n in 1..=10 {\n"
        "        futures.push(foo(n));\n"
        "    }\n"
        "    for future in futures {\n"
        "        future.await; // Oops!\n"
        "    }\n"
        "    let handles: Vec<_> = (0..3)\n"
        "        .map(|i| tokio::spawn(async move { foo(i).await }))\n"
        "        .collect::<Vec<_>>();\n"
        "    let mut sum = 0;\n"
        "    for h in handles {\n"
        "        sum += h.await.unwrap();\n"
        "    }\n"
        "    let evens: Vec<u64> = (1..=10).rev().filter(|&x| x % 2 == 0)"
        ".collect();\n"
        "    let mut i = 0;\n"
        "    'outer: loop {\n"
        "        while i < 10 {\n"
        "            i += 1;\n"
        "            if i == 7 { break 'outer; } else if i % 2 == 0 "
        "{ continue; }\n"
        "        }\n"
        "    }\n"
        "    let found = loop { break 42u64; };\n"
        "    let label = if sum > 10 { \"big\" } else { \"small\" };\n"
        "    let grid = [[0u8; 3]; 3];\n"
        "    let t = ((1, 2), 3);\n"
        "    let x = t.0.1 as f64 / 2.0;\n"
        "    let task = async {\n"
        "        tokio::time::sleep(Duration::from_millis(500)).await;\n"
        "        println!(\"done after {:?}\", Duration::from_millis(500));\n"
        "    };\n"
        "    task.await;\n"
        "    let s = format!(\"{label}: {found} {x:.1} {}\", grid[0][1]);\n"
        "    assert_eq!(s.len() > 0, true, \"empty\");\n"
        "    let v = vec![0u64; 4];\n"
        "    let r: Result<u64, String> = Ok(v[0]);\n"
        "    let _ = r.map_err(|e| e.to_string());\n"
        "    eprintln!(\"{}\", u64::MAX);\n"
        "}\n",
};

START_TEST(test_intro_programs)
{
	for (size_t i = 0; i < sizeof intro_programs / sizeof intro_programs[0];
	     i++) {
		lang_diags d;
		lang_diags_init(&d);
		const char *src = intro_programs[i];
		lang_ast *ast = lang_parse(src, strlen(src), &d);
		ck_assert_ptr_nonnull(ast);
		char buf[2048];
		dump_diags(&d, buf, sizeof buf);
		ck_assert_msg(d.len == 0, "program %zu: %s", i, buf);
		lang_ast_free(ast);
		lang_diags_free(&d);
	}
	/* The main of tokio_10.rs, in full. */
	assert_file("#[tokio::main]\n"
	            "async fn main() {\n"
	            "    let mut futures = Vec::new();\n"
	            "    for n in 1..=10 {\n"
	            "        futures.push(foo(n));\n"
	            "    }\n"
	            "    let joined_future = future::join_all(futures);\n"
	            "    joined_future.await;\n"
	            "}\n",
	            "(file (fn async main () _ (block "
	            "(let (pat_ident mut futures) _ (call (path Vec::new))) "
	            "(expr_stmt (for (pat_ident n) (range inclusive (int 1) "
	            "(int 10)) (block (expr_stmt semi (method push "
	            "(path futures) (call (path foo) (path n))))))) "
	            "(let (pat_ident joined_future) _ (call "
	            "(path future::join_all) (path futures))) "
	            "(expr_stmt semi (await (path joined_future)))) "
	            "(list (attr tokio::main))))");
}
END_TEST

/* ---- the tree API ---- */

START_TEST(test_tree_api)
{
	ck_assert_str_eq(lang_node_kind_name(LANG_N_BINARY), "binary");
	ck_assert_str_eq(lang_node_kind_name(LANG_N_PAT_IDENT), "pat_ident");
	ck_assert_str_eq(lang_node_kind_name((lang_node_kind)9999), "?");
	ck_assert_str_eq(lang_op_symbol(LANG_OP_SHL), "<<");
	ck_assert_str_eq(lang_op_symbol(LANG_OP_REF_MUT), "&mut");
	ck_assert_str_eq(lang_op_symbol(-1), "");

	lang_diags d;
	lang_diags_init(&d);
	const char *src = "fn f() {\n    a.b(1) + c * d;\n}";
	lang_ast *ast = lang_parse(src, strlen(src), &d);
	lang_node *e = lang_ast_root(ast)->kids[0]->b->kids[0]->a;
	ck_assert_int_eq(e->kind, LANG_N_BINARY);
	ck_assert_int_eq(e->op, LANG_OP_ADD);
	/* Binary nodes sit at their operator; the start is the operand's. */
	ck_assert_uint_eq(e->pos.col, 12);
	ck_assert_uint_eq(lang_node_start(e).col, 5);
	ck_assert_uint_eq(e->a->pos.col, 7); /* the method name */
	ck_assert_uint_eq(e->b->pos.col, 16);
	ck_assert_uint_eq(lang_node_start(e->b).col, 14);
	ck_assert_uint_eq(lang_node_start(NULL).line, 0);
	lang_ast_free(ast);
	lang_diags_free(&d);

	/* A call sits at its callee's start. */
	lang_diags_init(&d);
	src = "fn f() {\n    let x = s.f(1).g(2);\n    h::i(3);\n}";
	ast = lang_parse(src, strlen(src), &d);
	lang_node *body = lang_ast_root(ast)->kids[0]->b;
	lang_node *call = body->kids[1]->a;
	ck_assert_int_eq(call->kind, LANG_N_CALL);
	ck_assert_uint_eq(call->pos.line, 3);
	ck_assert_uint_eq(call->pos.col, 5);
	lang_node *g = body->kids[0]->c;
	ck_assert_int_eq(g->kind, LANG_N_METHOD);
	ck_assert_uint_eq(g->pos.col, 20);
	ck_assert_uint_eq(lang_node_start(g).col, 13);
	lang_ast_free(ast);
	lang_diags_free(&d);

	/* Parentheses belong to the span, as in rustc. */
	lang_diags_init(&d);
	src = "fn f() {\n    let z = 1 + (x + 100);\n    ((a)) * b;\n"
	      "    (v)[0].f()?;\n}";
	ast = lang_parse(src, strlen(src), &d);
	body = lang_ast_root(ast)->kids[0]->b;
	lang_node *sum = body->kids[0]->c;
	ck_assert_uint_eq(lang_node_start(sum).col, 13);
	ck_assert_uint_eq(lang_node_start(sum->b).col, 17);
	ck_assert_uint_eq(sum->b->pos.col, 20);
	ck_assert_uint_eq(lang_node_start(body->kids[1]->a).col, 5);
	ck_assert_uint_eq(lang_node_start(body->kids[1]->a->a).col, 5);
	ck_assert_uint_eq(body->kids[1]->a->a->pos.col, 7);
	lang_node *try = body->kids[2]->a;
	ck_assert_int_eq(try->kind, LANG_N_TRY);
	ck_assert_uint_eq(lang_node_start(try).col, 5);
	ck_assert_uint_eq(lang_node_start(try->a->a).col, 5);
	ck_assert_uint_eq(try->a->a->pos.col, 8);
	char *s = lang_ast_sexpr(NULL);
	ck_assert_str_eq(s, "nil");
	free(s);
	lang_ast_free(ast);
	lang_ast_free(NULL);
	lang_diags_free(&d);

	/* The tree does not point into the source. */
	char *copy = strdup("use a::b; fn g(x: u64) { let s = \"str\"; }");
	lang_diags_init(&d);
	ast = lang_parse(copy, strlen(copy), &d);
	memset(copy, 'z', strlen(copy));
	free(copy);
	s = lang_ast_sexpr(lang_ast_root(ast));
	ck_assert_str_eq(s, "(file (use b a::b) (fn g ((param (pat_ident x) "
	                    "(type u64))) _ (block (let (pat_ident s) _ "
	                    "(str \"str\")))))");
	free(s);
	lang_ast_free(ast);
	lang_diags_free(&d);
}
END_TEST

Suite *
suite_lang_parse(void)
{
	Suite *s = suite_create("lang_parse");
	TCase *te = tcase_create("expressions");
	tcase_add_test(te, test_precedence);
	tcase_add_test(te, test_ranges);
	tcase_add_test(te, test_literals);
	tcase_add_test(te, test_postfix_and_paths);
	tcase_add_test(te, test_closures_and_async);
	tcase_add_test(te, test_macros);
	tcase_add_test(te, test_control_flow);
	suite_add_tcase(s, te);
	TCase *ts = tcase_create("statements and items");
	tcase_add_test(ts, test_statements);
	tcase_add_test(ts, test_statement_errors);
	tcase_add_test(ts, test_use);
	tcase_add_test(ts, test_functions);
	tcase_add_test(ts, test_attributes);
	tcase_add_test(ts, test_types);
	tcase_add_test(ts, test_tree_api);
	suite_add_tcase(s, ts);
	TCase *tu = tcase_create("errors");
	tcase_add_test(tu, test_unsupported);
	tcase_add_test(tu, test_recovery);
	tcase_add_test(tu, test_error_limit);
	suite_add_tcase(s, tu);
	TCase *th = tcase_create("hostile");
	tcase_set_timeout(th, 120);
	tcase_add_test(th, test_deep_nesting);
	tcase_add_test(th, test_hostile_files);
	tcase_add_test(th, test_hostile_random);
	suite_add_tcase(s, th);
	TCase *tp = tcase_create("programs");
	tcase_add_test(tp, test_intro_programs);
	suite_add_tcase(s, tp);
	return s;
}
