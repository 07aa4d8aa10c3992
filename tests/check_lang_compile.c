/* The compiler's contract, from the outside: which programs are rejected,
 * with what message at which line:column (rustc's, checked against rustc
 * 1.95 and tokio-macros, where rustc has one), and the static facts a compiled
 * program carries for the views. */
#include "config.h"

#include "check_suites.h"
#include "check_util.h"

#include "lang/lang_code.h"

#include <stdio.h>
#include <string.h>

/* Compiles src, which must fail, and returns its first error. The caller
 * frees `d`. */
static const lang_diag *
compile_error(const char *src, lang_diags *d)
{
	lang_diags_init(d);
	lang_program *p = lang_compile(src, strlen(src), d);
	ck_assert_msg(p == NULL, "the program compiled but should not have");
	ck_assert_uint_gt(d->nerrors, 0);
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == LANG_ERROR)
			return &d->items[i];
	ck_abort_msg("no error diagnostic");
	return NULL;
}

/* One error at line:col whose message contains `msg` and whose hint, when
 * `hint` is not NULL, contains `hint`. A function rather than a macro, so
 * that a NULL hint is an ordinary argument. */
static void
assert_compile_error(const char *src, unsigned line, unsigned col,
                     const char *msg, const char *hint)
{
	lang_diags d;
	const lang_diag *e = compile_error(src, &d);
	ck_assert_msg(strstr(e->message, msg) != NULL,
	              "message \"%s\" lacks \"%s\"", e->message, msg);
	ck_assert_msg(e->pos.line == line && e->pos.col == col,
	              "\"%s\" at %u:%u, expected %u:%u", e->message,
	              (unsigned)e->pos.line, (unsigned)e->pos.col, line, col);
	if (hint) {
		ck_assert_msg(e->hint && strstr(e->hint, hint),
		              "hint \"%s\" lacks \"%s\"",
		              e->hint ? e->hint : "(none)", hint);
	}
	lang_diags_free(&d);
}

static lang_program *
compile_ok(const char *src, lang_diags *d)
{
	lang_diags_init(d);
	lang_program *p = lang_compile(src, strlen(src), d);
	ck_assert_msg(p != NULL, "did not compile: %s",
	              d->len ? d->items[0].message : "?");
	ck_assert_uint_eq(d->nerrors, 0);
	return p;
}

/* --- imports -------------------------------------------------------------- */

START_TEST(test_use_of_an_unknown_crate_is_unresolved)
{
	/* As rustc: E0432 on the crate's name, even if nothing uses it. */
	assert_compile_error("use serde::Serialize;\nfn main() {}\n", 1, 5,
	                     "unresolved import `serde`", "std, tokio");
	assert_compile_error("use std::thread;\nuse rand::{self, Rng};\n"
	                     "fn main() {}\n",
	                     2, 5, "unresolved import `rand`", NULL);
	/* A function of std outside the subset exists for rustc: it is
	 * not supported, not missing. */
	assert_compile_error("fn main() {\n    let b = Box::new(1);\n}\n", 2, 13,
	                     "`Box::new` is not supported yet", "THE RUST SUBSET");
	assert_compile_error("use std::sync::Arc;\n"
	                     "fn main() {\n    let a = Arc::new(1);\n}\n",
	                     3, 13, "`Arc::new` is not supported yet", NULL);
	assert_compile_error("fn main() {\n    frob::nicate();\n}\n", 2, 5,
	                     "cannot find function `frob::nicate`", NULL);
	lang_diags d;
	lang_program *p = compile_ok("use std::time::Duration;\n"
	                             "use futures::future::join_all;\n"
	                             "use tokio::time::sleep;\n"
	                             "fn main() {}\n",
	                             &d);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

/* --- .await outside async code ----------------------------------------- */

START_TEST(test_type_names_are_checked)
{
	/* rustc's E0412 for a name nothing defines, at the type. */
	assert_compile_error("fn main() {\n    let x: Frob = 1;\n}\n", 2, 12,
	                     "cannot find type `Frob` in this scope", NULL);
	assert_compile_error("async fn f() -> Vec<Frob> {\n    vec![]\n}\n"
	                     "fn main() {}\n",
	                     1, 17, "cannot find type `Frob` in this scope",
	                     NULL);
	/* A real type outside the subset, by any name it is imported as. */
	assert_compile_error("use std::collections::HashMap as Map;\n"
	                     "fn main() {\n    let m: Map<u32, u32> = 1;\n}\n",
	                     3, 12, "the type `HashMap` is not supported yet",
	                     "THE RUST SUBSET");
	/* Paths, aliases, bounds, associated types, lifetimes and `_`. */
	lang_diags d;
	lang_program *p = compile_ok(
	        "use std::time::Duration as D;\n"
	        "fn f(v: &mut Vec<u64>, s: &'static str) -> Option<u64> {\n"
	        "    None\n}\n"
	        "fn g(h: impl Fn(i32) -> i32) -> impl std::future::Future<Output = ()> {\n"
	        "    async {}\n}\n"
	        "fn main() {\n"
	        "    let d: D = D::from_secs(1);\n"
	        "    let t: std::time::Instant = std::time::Instant::now();\n"
	        "    let v: Vec<_> = vec![1];\n"
	        "    let r: Result<(u8, char), String> = Ok((1, 'a'));\n"
	        "}\n",
	        &d);
	lang_program_free(p);
	lang_diags_free(&d);
	/* After a glob import any name may have come with it. */
	p = compile_ok("use std::time::*;\n"
	               "fn main() {\n    let x: Frob = 1;\n}\n",
	               &d);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_await_in_plain_fn_is_rejected_at_the_await)
{
	/* rustc E0728 points at the `await` keyword, after the dot. */
	assert_compile_error("use std::time::Duration;\n"
	                     "fn foo() {\n"
	                     "    tokio::time::sleep(Duration::from_secs(1))"
	                     ".await;\n"
	                     "}\n"
	                     "fn main() { foo(); }\n",
	                     3, 48,
	                     "`await` is only allowed inside `async` functions "
	                     "and blocks",
	                     "make this function `async fn`");
}
END_TEST

START_TEST(test_await_in_fn_main_hints_at_tokio_main)
{
	assert_compile_error("use std::time::Duration;\n"
	                     "fn main() {\n"
	                     "    tokio::time::sleep(Duration::from_secs(1))"
	                     ".await;\n"
	                     "}\n",
	                     3, 48,
	                     "`await` is only allowed inside `async` functions "
	                     "and blocks",
	                     "#[tokio::main]");
}
END_TEST

START_TEST(test_await_in_closure_hints_at_async_block)
{
	assert_compile_error("use std::time::Duration;\n"
	                     "#[tokio::main]\n"
	                     "async fn main() {\n"
	                     "    let f = || {\n"
	                     "        tokio::time::sleep(Duration::from_secs(1))"
	                     ".await;\n"
	                     "    };\n"
	                     "}\n",
	                     5, 52,
	                     "`await` is only allowed inside `async` functions "
	                     "and blocks",
	                     "async` block");
}
END_TEST

START_TEST(test_await_in_async_block_inside_plain_fn_is_accepted)
{
	/* The async block is async code even though main is not. */
	lang_diags d;
	lang_program *p = compile_ok("use std::time::Duration;\n"
	                             "fn main() {\n"
	                             "    let f = async {\n"
	                             "        tokio::time::sleep("
	                             "Duration::from_secs(1)).await;\n"
	                             "    };\n"
	                             "}\n",
	                             &d);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

/* --- names ---------------------------------------------------------------- */

START_TEST(test_unknown_function_is_named_at_the_call)
{
	assert_compile_error("fn main() {\n"
	                     "    frobnicate(3);\n"
	                     "}\n",
	                     2, 5,
	                     "cannot find function `frobnicate` in this scope",
	                     NULL);
}
END_TEST

START_TEST(test_thread_spawn_without_use_hints_at_the_use)
{
	assert_compile_error("use std::time::Duration;\n"
	                     "fn main() {\n"
	                     "    let h = thread::spawn(|| 1);\n"
	                     "}\n",
	                     3, 13, "thread::spawn", "use std::thread;");
}
END_TEST

START_TEST(test_thread_spawn_with_use_compiles)
{
	lang_diags d;
	lang_program *p = compile_ok("use std::thread;\n"
	                             "fn main() {\n"
	                             "    let h = thread::spawn(|| 1);\n"
	                             "    h.join().unwrap();\n"
	                             "}\n",
	                             &d);
	ck_assert_uint_eq(d.len, 0);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_bare_sleep_hints_at_both_sleeps)
{
	assert_compile_error("use std::time::Duration;\n"
	                     "#[tokio::main]\n"
	                     "async fn main() {\n"
	                     "    sleep(Duration::from_secs(1)).await;\n"
	                     "}\n",
	                     4, 5, "cannot find function `sleep` in this scope",
	                     "tokio::time::sleep");
}
END_TEST

START_TEST(test_unknown_inline_format_argument)
{
	/* rustc points at the name inside the braces. */
	assert_compile_error("fn main() {\n"
	                     "    println!(\"{nope}\");\n"
	                     "}\n",
	                     2, 16, "cannot find value `nope` in this scope",
	                     NULL);
}
END_TEST

/* --- variables ------------------------------------------------------------ */

START_TEST(test_assign_twice_to_immutable_variable)
{
	assert_compile_error("fn main() {\n"
	                     "    let x = 1;\n"
	                     "    x = 2;\n"
	                     "    println!(\"{x}\");\n"
	                     "}\n",
	                     3, 5,
	                     "cannot assign twice to immutable variable `x`",
	                     "mut x");
}
END_TEST

START_TEST(test_assign_to_mutable_variable_compiles)
{
	lang_diags d;
	lang_program *p = compile_ok("fn main() {\n"
	                             "    let mut x = 1;\n"
	                             "    x = 2;\n"
	                             "    println!(\"{x}\");\n"
	                             "}\n",
	                             &d);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

/* --- main ----------------------------------------------------------------- */

START_TEST(test_async_main_without_tokio_main)
{
	/* rustc E0752, at the start of the item. */
	assert_compile_error("async fn main() {\n"
	                     "}\n",
	                     1, 1,
	                     "`main` function is not allowed to be `async`",
	                     "#[tokio::main]");
}
END_TEST

START_TEST(test_tokio_main_on_sync_main)
{
	/* tokio-macros reports this error on the `fn` token of the item
	 * (syn::Error::new_spanned(input.sig.fn_token, ...)), not on the
	 * attribute. */
	assert_compile_error("#[tokio::main]\n"
	                     "fn main() {\n"
	                     "}\n",
	                     2, 1,
	                     "the `async` keyword is missing from the function "
	                     "declaration",
	                     "async fn main()");
}
END_TEST

START_TEST(test_missing_main)
{
	lang_diags d;
	const lang_diag *e = compile_error("fn foo() {}\n", &d);
	ck_assert_ptr_nonnull(
		strstr(e->message, "`main` function not found in crate"));
	ck_assert_ptr_nonnull(e->hint);
	ck_assert_ptr_nonnull(strstr(e->hint, "fn main()"));
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_empty_source_has_no_main)
{
	lang_diags d;
	lang_diags_init(&d);
	lang_program *p = lang_compile("", 0, &d);
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_ptr_nonnull(
		strstr(d.items[0].message, "`main` function not found"));
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_main_with_parameters_is_rejected)
{
	assert_compile_error("fn main(x: i32) {\n"
	                     "}\n",
	                     1, 1, "`main` function has wrong type",
	                     NULL);
}
END_TEST

/* --- calls ---------------------------------------------------------------- */

START_TEST(test_wrong_argument_count_for_user_fn)
{
	/* rustc E0061's primary span is the callee, `foo`. */
	assert_compile_error("fn foo(a: u32) {}\n"
	                     "fn main() {\n"
	                     "    foo(1, 2);\n"
	                     "}\n",
	                     3, 5,
	                     "this function takes 1 argument but 2 arguments "
	                     "were supplied",
	                     NULL);
}
END_TEST

START_TEST(test_wrong_argument_count_for_builtin)
{
	lang_diags d;
	const lang_diag *e = compile_error("use std::time::Duration;\n"
	                                   "fn main() {\n"
	                                   "    let d = Duration::from_secs(1, "
	                                   "2);\n"
	                                   "}\n",
	                                   &d);
	ck_assert_ptr_nonnull(strstr(e->message, "Duration::from_secs"));
	ck_assert_ptr_nonnull(strstr(e->message, "takes 1 argument"));
	/* At the callee, as rustc's E0061. */
	ck_assert_uint_eq(e->pos.line, 3);
	ck_assert_uint_eq(e->pos.col, 13);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_unsupported_method_is_named)
{
	assert_compile_error("fn main() {\n"
	                     "    let v = vec![1];\n"
	                     "    v.frob();\n"
	                     "}\n",
	                     3, 7, "the method `frob` is not supported yet",
	                     NULL);
}
END_TEST

START_TEST(test_iterator_adaptor_suggests_a_for_loop)
{
	assert_compile_error("fn main() {\n"
	                     "    let v = vec![1, 2];\n"
	                     "    let n = v.iter().count();\n"
	                     "}\n",
	                     3, 22, "the method `count` is not supported yet",
	                     "`for` loop");
}
END_TEST

/* --- format strings ------------------------------------------------------- */

START_TEST(test_format_too_few_arguments)
{
	assert_compile_error("fn main() {\n"
	                     "    println!(\"{} {}\", 1);\n"
	                     "}\n",
	                     2, 15,
	                     "2 positional arguments in format string, but "
	                     "there is 1 argument",
	                     NULL);
}
END_TEST

START_TEST(test_format_unused_argument)
{
	/* rustc points at the argument that is never used. */
	assert_compile_error("fn main() {\n"
	                     "    println!(\"{}\", 1, 2);\n"
	                     "}\n",
	                     2, 23, "argument never used", NULL);
}
END_TEST

START_TEST(test_format_unused_named_argument)
{
	assert_compile_error("fn main() {\n"
	                     "    println!(\"{}\", 1, extra = 2);\n"
	                     "}\n",
	                     2, 31, "named argument never used", NULL);
}
END_TEST

START_TEST(test_format_unmatched_open_brace)
{
	lang_diags d;
	const lang_diag *e = compile_error("fn main() {\n"
	                                   "    println!(\"{\", 1);\n"
	                                   "}\n",
	                                   &d);
	ck_assert_ptr_nonnull(strstr(e->message, "invalid format string"));
	ck_assert_ptr_nonnull(strstr(e->message, "{{"));
	/* rustc: "expected `}` but string was terminated", at the closing
	 * quote. */
	ck_assert_uint_eq(e->pos.line, 2);
	ck_assert_uint_eq(e->pos.col, 16);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_format_unmatched_close_brace)
{
	assert_compile_error("fn main() {\n"
	                     "    println!(\"a } b\");\n"
	                     "}\n",
	                     2, 17, "invalid format string: unmatched `}` found",
	                     NULL);
}
END_TEST

START_TEST(test_format_string_must_be_a_literal)
{
	assert_compile_error("fn main() {\n"
	                     "    let s = 1;\n"
	                     "    println!(s);\n"
	                     "}\n",
	                     3, 14, "format argument must be a string literal",
	                     "println!(\"{}\", value)");
}
END_TEST

START_TEST(test_escaped_braces_need_no_argument)
{
	lang_diags d;
	lang_program *p = compile_ok("fn main() {\n"
	                             "    println!(\"{{}}\");\n"
	                             "}\n",
	                             &d);
	ck_assert_uint_eq(d.len, 0);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

/* --- what a compiled program carries -------------------------------------- */

START_TEST(test_runtime_flavour_follows_the_attribute)
{
	lang_diags d;
	lang_program *p = compile_ok("fn main() {}\n", &d);
	ck_assert_int_eq(p->runtime, LANG_RT_NONE);
	ck_assert_str_eq(p->funcs[p->main_func].name, "main");
	ck_assert_int_eq(p->funcs[p->main_func].kind, LANG_FUNC_FN);
	lang_program_free(p);
	lang_diags_free(&d);

	p = compile_ok("#[tokio::main]\nasync fn main() {}\n", &d);
	ck_assert_int_eq(p->runtime, LANG_RT_TOKIO);
	ck_assert_int_eq(p->funcs[p->main_func].kind, LANG_FUNC_ASYNC_FN);
	lang_program_free(p);
	lang_diags_free(&d);

	p = compile_ok("#[tokio::main(flavor = \"current_thread\")]\n"
	               "async fn main() {}\n",
	               &d);
	ck_assert_int_eq(p->runtime, LANG_RT_TOKIO_CURRENT);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

static const lang_func *
func_named(const lang_program *p, const char *name)
{
	for (uint32_t i = 0; i < p->nfuncs; i++)
		if (p->funcs[i].name && strcmp(p->funcs[i].name, name) == 0)
			return &p->funcs[i];
	return NULL;
}

static int
has_live(const lang_await_point *ap, const char *name)
{
	for (uint32_t i = 0; i < ap->nlive; i++)
		if (strcmp(ap->live[i].name, name) == 0)
			return 1;
	return 0;
}

START_TEST(test_await_points_and_their_live_locals)
{
	/* foo's state machine is Start{n} -> Await1{n} -> Await2{n, doubled}
	 * -> Done: the views show exactly these. */
	lang_diags d;
	lang_program *p = compile_ok(
		"use std::time::Duration;\n"
		"async fn foo(n: u64) {\n"
		"    tokio::time::sleep(Duration::from_secs(1)).await;\n"
		"    let doubled = n * 2;\n"
		"    tokio::time::sleep(Duration::from_secs(1)).await;\n"
		"    println!(\"{doubled}\");\n"
		"}\n"
		"#[tokio::main]\n"
		"async fn main() { foo(1).await; }\n",
		&d);
	const lang_func *foo = func_named(p, "foo");
	ck_assert_ptr_nonnull(foo);
	ck_assert_int_eq(foo->kind, LANG_FUNC_ASYNC_FN);
	ck_assert_uint_eq(foo->nparams, 1);
	ck_assert_uint_eq(foo->nawaits, 2);
	ck_assert_uint_eq(foo->awaits[0].pos.line, 3);
	ck_assert_uint_eq(foo->awaits[1].pos.line, 5);
	ck_assert(has_live(&foo->awaits[0], "n"));
	ck_assert(!has_live(&foo->awaits[0], "doubled"));
	ck_assert(has_live(&foo->awaits[1], "n"));
	ck_assert(has_live(&foo->awaits[1], "doubled"));
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_live_locals_are_the_latest_few)
{
	/* 100 locals before one await: the await point keeps the latest
	 * LANG_AWAIT_LIVE_MAX, in the order they were declared. */
	char src[8192];
	size_t n = (size_t)snprintf(src, sizeof src,
	                            "async fn one() -> u64 { 1 }\n"
	                            "async fn many() {\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(src + n, sizeof src - n,
		                      "    let v%d = %d;\n", i, i);
	snprintf(src + n, sizeof src - n,
	         "    one().await;\n}\n"
	         "#[tokio::main]\nasync fn main() { many().await; }\n");
	lang_diags d;
	lang_program *p = compile_ok(src, &d);
	const lang_func *f = func_named(p, "many");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->nawaits, 1);
	const lang_await_point *ap = &f->awaits[0];
	ck_assert_uint_eq(ap->nlive, LANG_AWAIT_LIVE_MAX);
	char want[16];
	snprintf(want, sizeof want, "v%d", 100 - LANG_AWAIT_LIVE_MAX);
	ck_assert_str_eq(ap->live[0].name, want);
	ck_assert_str_eq(ap->live[ap->nlive - 1].name, "v99");
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_unknown_attribute_is_only_a_warning)
{
	lang_diags d;
	lang_program *p = compile_ok("#[inline]\n"
	                             "fn helper() {}\n"
	                             "fn main() { helper(); }\n",
	                             &d);
	ck_assert_uint_eq(d.len, 1);
	ck_assert_int_eq(d.items[0].severity, LANG_WARNING);
	ck_assert_ptr_nonnull(strstr(d.items[0].message, "inline"));
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_compiled_program_keeps_its_source)
{
	static const char src[] = "fn main() {\n    println!(\"hi\");\n}\n";
	lang_diags d;
	lang_program *p = compile_ok(src, &d);
	ck_assert_uint_eq(p->source_len, strlen(src));
	ck_assert_str_eq(p->source, src);
	lang_program_free(p);
	lang_diags_free(&d);
}
END_TEST

Suite *
suite_lang_compile(void)
{
	Suite *s = suite_create("lang_compile");
	TCase *tc = tcase_create("await");
	tcase_add_test(tc, test_await_in_plain_fn_is_rejected_at_the_await);
	tcase_add_test(tc, test_await_in_fn_main_hints_at_tokio_main);
	tcase_add_test(tc, test_await_in_closure_hints_at_async_block);
	tcase_add_test(tc,
	               test_await_in_async_block_inside_plain_fn_is_accepted);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_unknown_function_is_named_at_the_call);
	tcase_add_test(tc, test_thread_spawn_without_use_hints_at_the_use);
	tcase_add_test(tc, test_thread_spawn_with_use_compiles);
	tcase_add_test(tc, test_bare_sleep_hints_at_both_sleeps);
	tcase_add_test(tc, test_unknown_inline_format_argument);
	tcase_add_test(tc, test_assign_twice_to_immutable_variable);
	tcase_add_test(tc, test_assign_to_mutable_variable_compiles);
	suite_add_tcase(s, tc);

	tc = tcase_create("main");
	tcase_add_test(tc, test_async_main_without_tokio_main);
	tcase_add_test(tc, test_tokio_main_on_sync_main);
	tcase_add_test(tc, test_missing_main);
	tcase_add_test(tc, test_empty_source_has_no_main);
	tcase_add_test(tc, test_main_with_parameters_is_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("calls");
	tcase_add_test(tc, test_wrong_argument_count_for_user_fn);
	tcase_add_test(tc, test_wrong_argument_count_for_builtin);
	tcase_add_test(tc, test_unsupported_method_is_named);
	tcase_add_test(tc, test_iterator_adaptor_suggests_a_for_loop);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format_too_few_arguments);
	tcase_add_test(tc, test_format_unused_argument);
	tcase_add_test(tc, test_format_unused_named_argument);
	tcase_add_test(tc, test_format_unmatched_open_brace);
	tcase_add_test(tc, test_format_unmatched_close_brace);
	tcase_add_test(tc, test_format_string_must_be_a_literal);
	tcase_add_test(tc, test_escaped_braces_need_no_argument);
	suite_add_tcase(s, tc);

	tc = tcase_create("program");
	tcase_add_test(tc, test_runtime_flavour_follows_the_attribute);
	tcase_add_test(tc, test_await_points_and_their_live_locals);
	tcase_add_test(tc, test_unknown_attribute_is_only_a_warning);
	tcase_add_test(tc, test_compiled_program_keeps_its_source);
	tcase_add_test(tc, test_use_of_an_unknown_crate_is_unresolved);
	tcase_add_test(tc, test_type_names_are_checked);
	tcase_add_test(tc, test_live_locals_are_the_latest_few);
	suite_add_tcase(s, tc);
	return s;
}
