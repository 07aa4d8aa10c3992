/* The simulated world: the executor, timers, tasks, threads, lints and
 * budgets (design.md section 3). Each test runs a lesson-sized program and
 * asserts what it prints, how long it takes on the virtual clock, and the
 * facts its trace records (who polled whom, how often, in which order),
 * which are what real Tokio 1.x and futures-util 0.3 would do. */
#include "config.h"

#include "check_suites.h"
#include "check_util.h"

#include <stdio.h>
#include <string.h>

#define SEC 1000000000ull

/* foo(n) from the introduction: print, sleep one second, print. */
#define FOO                                                                  \
	"use std::time::Duration;\n"                                         \
	"\n"                                                                 \
	"async fn foo(n: u64) {\n"                                           \
	"    println!(\"start {n}\");\n"                                     \
	"    tokio::time::sleep(Duration::from_secs(1)).await;\n"            \
	"    println!(\"end {n}\");\n"                                       \
	"}\n"                                                                \
	"\n"

/* The same without the start line, for the big join_all runs. */
#define FOO_END                                                              \
	"use std::time::Duration;\n"                                         \
	"\n"                                                                 \
	"async fn foo(n: u64) {\n"                                           \
	"    tokio::time::sleep(Duration::from_secs(1)).await;\n"            \
	"    println!(\"end {n}\");\n"                                       \
	"}\n"                                                                \
	"\n"

/* main() joining foo(1..=N) with join_all; N is spliced in as text. */
#define JOIN_ALL_MAIN(N)                                                     \
	"#[tokio::main]\n"                                                   \
	"async fn main() {\n"                                                \
	"    let mut futures = Vec::new();\n"                                \
	"    for n in 1..=" N " {\n"                                         \
	"        futures.push(foo(n));\n"                                    \
	"    }\n"                                                            \
	"    futures::future::join_all(futures).await;\n"                    \
	"}\n"

static void
assert_ok(const prog_run *r)
{
	ck_assert_msg(r->compiled, "did not compile: %s",
	              r->diags.len ? r->diags.items[0].message : "?");
	ck_assert_msg(r->status == 0, "status %d: %s / %s", r->status,
	              r->res.message ? r->res.message : "", r->err);
}

/* "start 1\nstart 2\n...": `word n` for n in first..=last. */
static void
lines(check_buf *b, const char *word, int first, int last)
{
	char line[64];
	for (int n = first; n <= last; n++) {
		int len = snprintf(line, sizeof line, "%s %d\n", word, n);
		check_buf_put(b, line, (size_t)len);
	}
}

/* --- laziness and timing --------------------------------------------------- */

START_TEST(test_futures_are_lazy_until_awaited)
{
	prog_run r;
	run_program(&r, FOO "#[tokio::main]\n"
	                    "async fn main() {\n"
	                    "    let f = foo(1);\n"
	                    "    println!(\"created\");\n"
	                    "    f.await;\n"
	                    "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "created\nstart 1\nend 1\n");
	uint32_t foo1 = future_named(&r, "foo(1)", 0);
	ck_assert_uint_ne(foo1, 0);
	/* Creating foo(1) ran none of its body: the first poll comes after
	 * main printed "created", and "start 1" only inside that poll. */
	size_t created = find_event(&r, 0, TRACE_FUTURE_CREATED, foo1);
	size_t printed = find_event(&r, 0, TRACE_OUTPUT, 0);
	size_t polled = find_event(&r, 0, TRACE_POLL_BEGIN, foo1);
	ck_assert_uint_lt(created, printed);
	ck_assert_str_eq(ev_str(&r, ev_at(&r, printed)->a), "created\n");
	ck_assert_uint_lt(printed, polled);
	ck_assert_uint_eq(ev_at(&r, polled)->a, future_named(&r, "main()", 0));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_future_never_awaited_never_runs)
{
	prog_run r;
	run_program(&r, FOO "#[tokio::main]\n"
	                    "async fn main() {\n"
	                    "    let f = foo(1);\n"
	                    "    println!(\"done\");\n"
	                    "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "done\n");
	uint32_t foo1 = future_named(&r, "foo(1)", 0);
	ck_assert_uint_ne(foo1, 0);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN, foo1), 0);
	/* Dropped at the end of main's scope, flagged as never polled. */
	size_t drop = find_event(&r, 0, TRACE_FUTURE_DROPPED, foo1);
	ck_assert_uint_ne(drop, SIZE_MAX);
	ck_assert_uint_eq(ev_at(&r, drop)->flags, 1);
	const trace_lint_hit *h = lint_hit(&r, TRACE_LINT_NEVER_AWAITED);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->future, foo1);
	ck_assert_uint_eq(h->count, 1);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_three_awaits_in_a_row_take_three_seconds)
{
	prog_run r;
	run_program(&r, FOO "#[tokio::main]\n"
	                    "async fn main() {\n"
	                    "    foo(1).await;\n"
	                    "    foo(2).await;\n"
	                    "    foo(3).await;\n"
	                    "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "start 1\nend 1\nstart 2\nend 2\nstart 3\n"
	                        "end 3\n");
	/* Tokio's timer wheel has millisecond ticks and rounds deadlines
	 * up, so each second costs at most a millisecond more. */
	ck_assert_uint_ge(r.res.stats.virtual_ns, 3 * SEC);
	ck_assert_uint_lt(r.res.stats.virtual_ns, 3 * SEC + 10000000);
	/* main(), three foo and three sleeps; main is polled once at the
	 * start and once per timer, each foo and each sleep twice. */
	ck_assert_uint_eq(r.res.stats.futures, 7);
	ck_assert_uint_eq(r.res.stats.polls, 4 + 3 * 2 + 3 * 2);
	ck_assert_uint_eq(count_kind(&r, TRACE_TIMER_FIRED), 3);
	ck_assert_uint_eq(count_kind(&r, TRACE_CLOCK_ADVANCE), 3);
	/* `foo(n).await` in turn is fine: each future is created when it
	 * is awaited, so nothing could have run together. */
	ck_assert_ptr_null(lint_hit(&r, TRACE_LINT_SEQUENTIAL_AWAIT));
	ck_assert_uint_eq(trace_lint_fired_count(r.lints), 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_instant_measures_virtual_time)
{
	/* Instant reads the virtual clock: a Tokio sleep and a blocking
	 * thread::sleep both move it, by (about) what they asked for. */
	assert_run("use std::time::{Duration, Instant};\n"
	           "#[tokio::main]\n"
	           "async fn main() {\n"
	           "    let start = Instant::now();\n"
	           "    tokio::time::sleep(Duration::from_secs(1)).await;\n"
	           "    println!(\"{}\", start.elapsed().as_secs());\n"
	           "    std::thread::sleep(Duration::from_secs(2));\n"
	           "    println!(\"{}\", start.elapsed().as_secs());\n"
	           "    let later = Instant::now();\n"
	           "    println!(\"{}\", later.duration_since(start)"
	           ".as_secs());\n"
	           "}\n",
	           "1\n3\n3\n", 0);
}
END_TEST

START_TEST(test_virtual_time_never_decreases)
{
	prog_run r;
	run_program(&r, FOO JOIN_ALL_MAIN("5"));
	assert_ok(&r);
	for (size_t i = 1; i < ev_count(&r); i++)
		ck_assert_uint_le(ev_at(&r, i - 1)->time_ns,
		                  ev_at(&r, i)->time_ns);
	ck_assert_int_eq(ev_at(&r, ev_count(&r) - 1)->kind, TRACE_RUN_END);
	prog_run_free(&r);
}
END_TEST

/* --- join_all ---------------------------------------------------------------- */

START_TEST(test_join_all_of_ten_takes_one_second)
{
	prog_run r;
	run_program(&r, FOO JOIN_ALL_MAIN("10"));
	assert_ok(&r);
	check_buf want = {0};
	lines(&want, "start", 1, 10);
	lines(&want, "end", 1, 10);
	ck_assert_str_eq(r.out, want.s);
	free(want.s);
	ck_assert_uint_ge(r.res.stats.virtual_ns, SEC);
	ck_assert_uint_lt(r.res.stats.virtual_ns, SEC + 10000000);
	/* Ten timers with one deadline fire in one clock jump. */
	ck_assert_uint_eq(count_kind(&r, TRACE_CLOCK_ADVANCE), 1);
	ck_assert_uint_eq(count_kind(&r, TRACE_TIMER_FIRED), 10);
	ck_assert_uint_eq(trace_lint_fired_count(r.lints), 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_small_join_all_polls_every_unfinished_child)
{
	/* Up to 30 children, join_all polls each unfinished child whenever
	 * it is polled: the child sleeping 3 s is polled at 0, 1, 2, 3 s. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "async fn nap(s: u64) {\n"
	                "    tokio::time::sleep(Duration::from_secs(s))"
	                ".await;\n"
	                "}\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let mut v = Vec::new();\n"
	                "    for s in 1..=3 {\n"
	                "        v.push(nap(s));\n"
	                "    }\n"
	                "    futures::future::join_all(v).await;\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN,
	                                future_named(&r, "nap(1)", 0)),
	                  2);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN,
	                                future_named(&r, "nap(2)", 0)),
	                  3);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN,
	                                future_named(&r, "nap(3)", 0)),
	                  4);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_big_join_all_polls_only_woken_children)
{
	/* 31 children with 31 different deadlines: above 30, join_all is
	 * a FuturesUnordered and a child is polled only when its own waker
	 * fired, so each is polled exactly twice (Pending, then Ready). */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "async fn nap(ms: u64) {\n"
	                "    tokio::time::sleep(Duration::from_millis(ms))"
	                ".await;\n"
	                "}\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let mut v = Vec::new();\n"
	                "    for i in 1..=31 {\n"
	                "        v.push(nap(i * 10));\n"
	                "    }\n"
	                "    futures::future::join_all(v).await;\n"
	                "}\n");
	assert_ok(&r);
	for (int i = 1; i <= 31; i++) {
		char name[32];
		snprintf(name, sizeof name, "nap(%d)", i * 10);
		uint32_t f = future_named(&r, name, 0);
		ck_assert_msg(f != 0, "no future %s", name);
		ck_assert_msg(count_kind_of(&r, TRACE_POLL_BEGIN, f) == 2,
		              "%s polled %zu times", name,
		              count_kind_of(&r, TRACE_POLL_BEGIN, f));
	}
	/* Each wake of a child is a per-child wake. */
	ck_assert_uint_ge(count_kind(&r, TRACE_WAKE), 31);
	size_t child_wakes = 0;
	for (size_t i = 0; i < ev_count(&r); i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind == TRACE_WAKE && e->flags == TRACE_WAKE_CHILD)
			child_wakes++;
	}
	ck_assert_uint_eq(child_wakes, 31);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_thirty_children_still_poll_all_each_time)
{
	/* 30 is still the small join_all: the child sleeping 30 ms is
	 * polled every time one of the 30 timers fires, plus once at 0. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "async fn nap(ms: u64) {\n"
	                "    tokio::time::sleep(Duration::from_millis(ms))"
	                ".await;\n"
	                "}\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let mut v = Vec::new();\n"
	                "    for i in 1..=30 {\n"
	                "        v.push(nap(i));\n"
	                "    }\n"
	                "    futures::future::join_all(v).await;\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN,
	                                future_named(&r, "nap(30)", 0)),
	                  31);
	ck_assert_uint_eq(count_kind_of(&r, TRACE_POLL_BEGIN,
	                                future_named(&r, "nap(1)", 0)),
	                  2);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_big_join_all_yields_after_polling_every_child)
{
	/* FuturesUnordered::poll_next wakes its task and returns Pending
	 * once it has polled `len` children (`polled == len`), so at time 0
	 * main() is polled twice: the second poll finds no woken child. */
	prog_run r;
	run_program(&r, FOO_END JOIN_ALL_MAIN("31"));
	assert_ok(&r);
	uint32_t mainf = future_named(&r, "main()", 0);
	uint32_t ja = future_named(&r, "join_all[31]", 0);
	ck_assert_uint_ne(ja, 0);
	size_t jump = find_event(&r, 0, TRACE_CLOCK_ADVANCE, 0);
	ck_assert_uint_ne(jump, SIZE_MAX);
	size_t main_polls = 0, self_wakes = 0;
	for (size_t i = 0; i < jump; i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind == TRACE_POLL_BEGIN && e->future == mainf)
			main_polls++;
		if (e->kind == TRACE_WAKE && e->future == mainf && e->a == ja)
			self_wakes++;
	}
	ck_assert_uint_eq(main_polls, 2);
	ck_assert_uint_eq(self_wakes, 1);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_coop_budget_orders_join_all_of_300)
{
	/* Tokio gives each task poll a budget of 128 operations; a Sleep
	 * that is Ready spends one. With 300 children woken at 1 s, the
	 * first poll finishes foo(1)..foo(128). foo(129) and foo(130) find
	 * the budget spent: Tokio wakes them (their FuturesUnordered
	 * wakers), which re-queues them at the back, and futures-util
	 * stops the poll after two children yielded (`yielded >= 2`). The
	 * next poll gets 128 more: 131..258, then 259 and 260 yield; the
	 * last runs 261..300 and the four re-queued children in order.
	 * Real Tokio 1.24.2 with futures-util 0.3.21 prints exactly this
	 * when every deadline falls in the same 1 ms tick, as it does here
	 * on the virtual clock (tests/real/research, "shared" deadline). */
	prog_run r;
	run_program(&r, FOO_END JOIN_ALL_MAIN("300"));
	assert_ok(&r);
	check_buf want = {0};
	lines(&want, "end", 1, 128);
	lines(&want, "end", 131, 258);
	lines(&want, "end", 261, 300);
	lines(&want, "end", 129, 130);
	lines(&want, "end", 259, 260);
	ck_assert_str_eq(r.out, want.s);
	free(want.s);
	ck_assert_uint_lt(r.res.stats.virtual_ns, SEC + 10000000);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_coop_budget_with_200_children)
{
	prog_run r;
	run_program(&r, FOO_END JOIN_ALL_MAIN("200"));
	assert_ok(&r);
	check_buf want = {0};
	lines(&want, "end", 1, 128);
	lines(&want, "end", 131, 200);
	lines(&want, "end", 129, 130);
	ck_assert_str_eq(r.out, want.s);
	free(want.s);
	/* A budget-exhausted Sleep wakes its own child waker during the
	 * poll: of the 200 child wakes, only those two are not the timer's
	 * (a wake's `a` is 0 when the timer driver fires it). */
	size_t by_timer = 0, by_poll = 0;
	for (size_t i = 0; i < ev_count(&r); i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind != TRACE_WAKE || e->flags != TRACE_WAKE_CHILD)
			continue;
		if (e->a == 0)
			by_timer++;
		else
			by_poll++;
	}
	ck_assert_uint_eq(by_timer, 200);
	ck_assert_uint_eq(by_poll, 2);
	prog_run_free(&r);
}
END_TEST

/* --- tokio::join! -------------------------------------------------------------- */

START_TEST(test_tokio_join_rotates_the_first_branch)
{
	/* tokio::join! skips one more branch at the start of each poll:
	 * polls start with a, then b, then c, then a again; a finished
	 * branch (a MaybeDone) is not polled again. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "async fn work(name: &str, secs: u64) -> u64 {\n"
	                "    tokio::time::sleep(Duration::from_secs(secs))"
	                ".await;\n"
	                "    println!(\"{name} done\");\n"
	                "    secs\n"
	                "}\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let (a, b, c) = tokio::join!(work(\"a\", 1), "
	                "work(\"b\", 2), work(\"c\", 3));\n"
	                "    println!(\"{a} {b} {c}\");\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "a done\nb done\nc done\n1 2 3\n");
	uint32_t a = future_named(&r, "work(\"a\", 1)", 0);
	uint32_t b = future_named(&r, "work(\"b\", 2)", 0);
	uint32_t c = future_named(&r, "work(\"c\", 3)", 0);
	ck_assert(a && b && c);
	/* The join future is the one polling a. */
	uint32_t join = ev_at(&r, find_event(&r, 0, TRACE_POLL_BEGIN, a))->a;
	char seq[64] = "";
	size_t len = 0;
	for (size_t i = 0; i < ev_count(&r) && len + 2 < sizeof seq; i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind != TRACE_POLL_BEGIN)
			continue;
		if (e->future == join)
			seq[len++] = '|';
		else if (e->a == join)
			seq[len++] = e->future == a   ? 'a'
			             : e->future == b ? 'b'
			             : e->future == c ? 'c'
			                              : '?';
		seq[len] = 0;
	}
	ck_assert_str_eq(seq, "|abc|bca|cb|c");
	ck_assert_uint_ge(r.res.stats.virtual_ns, 3 * SEC);
	ck_assert_uint_lt(r.res.stats.virtual_ns, 3 * SEC + 10000000);
	prog_run_free(&r);
}
END_TEST

/* --- tasks ------------------------------------------------------------------------ */

START_TEST(test_spawned_tasks_run_fifo_after_main_yields)
{
	prog_run r;
	/* current_thread, so that the real program's output is
	 * deterministic too: on the multi-threaded runtime the tasks could
	 * start on other workers before main prints "spawned". */
	run_program(&r, "async fn job(n: u64) -> u64 {\n"
	                "    println!(\"job {n}\");\n"
	                "    n * 10\n"
	                "}\n"
	                "#[tokio::main(flavor = \"current_thread\")]\n"
	                "async fn main() {\n"
	                "    let h1 = tokio::spawn(job(1));\n"
	                "    let h2 = tokio::spawn(job(2));\n"
	                "    let h3 = tokio::spawn(async { println!(\"block\");"
	                " 7 });\n"
	                "    println!(\"spawned\");\n"
	                "    let r1 = h1.await;\n"
	                "    println!(\"{:?}\", r1);\n"
	                "    println!(\"{:?} {:?}\", h2.await, "
	                "h3.await.unwrap());\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "spawned\njob 1\njob 2\nblock\nOk(10)\n"
	                        "Ok(20) 7\n");
	/* Tasks 1, 2, 3, each spawned by task 0. */
	ck_assert_uint_eq(count_kind(&r, TRACE_TASK_SPAWNED), 3);
	uint32_t want = 1;
	for (size_t i = 0; i < ev_count(&r); i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind == TRACE_TASK_SPAWNED) {
			ck_assert_uint_eq(e->a, want++);
			ck_assert_uint_eq(e->b, 0);
		}
	}
	/* Each spawned task is done (task 0, main, ends the run). */
	size_t done = 0;
	for (size_t i = 0; i < ev_count(&r); i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind == TRACE_TASK_DONE && e->a != 0)
			done++;
	}
	ck_assert_uint_eq(done, 3);
	/* The JoinHandles are awaited, so nothing is never-awaited. */
	ck_assert_uint_eq(trace_lint_fired_count(r.lints), 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_yield_now_lets_spawned_task_run)
{
	assert_run("#[tokio::main(flavor = \"current_thread\")]\n"
	           "async fn main() {\n"
	           "    tokio::spawn(async { println!(\"task\"); });\n"
	           "    println!(\"before yield\");\n"
	           "    tokio::task::yield_now().await;\n"
	           "    println!(\"after yield\");\n"
	           "}\n",
	           "before yield\ntask\nafter yield\n", 0);
}
END_TEST

START_TEST(test_panicking_task_gives_err_and_main_continues)
{
	/* current_thread: the task runs on thread main, as with real Tokio
	 * under this flavour. */
	prog_run r;
	run_program(&r, "async fn bad() -> u64 {\n"
	                "    panic!(\"task failed\");\n"
	                "}\n"
	                "#[tokio::main(flavor = \"current_thread\")]\n"
	                "async fn main() {\n"
	                "    let h = tokio::spawn(bad());\n"
	                "    let r = h.await;\n"
	                "    println!(\"is_err: {}\", r.is_err());\n"
	                "    println!(\"main continues\");\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "is_err: true\nmain continues\n");
	ck_assert_str_eq(r.err,
	                 "\nthread 'main' panicked at " CHECK_FILE ":2:5:\n"
	                 "task failed\n"
	                 "note: run with `RUST_BACKTRACE=1` environment "
	                 "variable to display a backtrace\n");
	prog_run_free(&r);
}
END_TEST

START_TEST(test_task_panic_on_multi_thread_flavor_names_the_worker)
{
	/* Plain #[tokio::main] is the multi-threaded runtime: spawned tasks
	 * run on worker threads, and Tokio 1.24.2 names them in the panic
	 * message (main's own future still runs on thread main). */
	prog_run r;
	run_program(&r, "async fn bad() -> u64 {\n"
	                "    panic!(\"task failed\");\n"
	                "}\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let h = tokio::spawn(bad());\n"
	                "    println!(\"is_err: {}\", h.await.is_err());\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "is_err: true\n");
	ck_assert_str_eq(r.err,
	                 "\nthread 'tokio-runtime-worker' panicked at " CHECK_FILE
	                 ":2:5:\n"
	                 "task failed\n"
	                 "note: run with `RUST_BACKTRACE=1` environment "
	                 "variable to display a backtrace\n");
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join_error_debug_and_unwrap)
{
	prog_run r;
	run_program(&r, "async fn bad() -> u64 {\n"
	                "    panic!(\"task failed\");\n"
	                "}\n"
	                "#[tokio::main(flavor = \"current_thread\")]\n"
	                "async fn main() {\n"
	                "    let r = tokio::spawn(bad()).await;\n"
	                "    println!(\"{:?}\", r);\n"
	                "    r.unwrap();\n"
	                "}\n");
	ck_assert_str_eq(r.out, "Err(JoinError::Panic(Id(1), ...))\n");
	ck_assert_int_eq(r.status, 101);
	ck_assert_ptr_nonnull(
		strstr(r.err, "\nthread 'main' panicked at " CHECK_FILE ":8:7:\n"
		              "called `Result::unwrap()` on an `Err` value: "
		              "JoinError::Panic(Id(1), ...)\n"));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_runtime_shutdown_drops_unfinished_tasks)
{
	/* When main's future is Ready the runtime is dropped, and with it
	 * every task still sleeping: "never" is never printed and the clock
	 * stops at main's end, not at the task's timer. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    tokio::spawn(async {\n"
	                "        tokio::time::sleep(Duration::from_secs(10))"
	                ".await;\n"
	                "        println!(\"never\");\n"
	                "    });\n"
	                "    tokio::time::sleep(Duration::from_millis(10))"
	                ".await;\n"
	                "    println!(\"main done\");\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "main done\n");
	ck_assert_uint_lt(r.res.stats.virtual_ns, SEC);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_tokio_spawn_outside_runtime_panics_at_the_call)
{
	/* tokio::spawn is #[track_caller]: the location is the call
	 * expression, which starts at `tokio`. */
	prog_run r;
	run_program(&r, "fn main() {\n"
	                "    let h = tokio::spawn(async { 1 });\n"
	                "}\n");
	ck_assert_int_eq(r.status, 101);
	ck_assert_str_eq(r.err,
	                 "\nthread 'main' panicked at " CHECK_FILE ":2:13:\n"
	                 "there is no reactor running, must be called from "
	                 "the context of a Tokio 1.x runtime\n"
	                 "note: run with `RUST_BACKTRACE=1` environment "
	                 "variable to display a backtrace\n");
	prog_run_free(&r);
}
END_TEST

START_TEST(test_tokio_spawn_on_a_plain_thread_panics)
{
	/* A thread made by std::thread::spawn has no runtime context even
	 * inside #[tokio::main], so tokio::spawn there panics. */
	prog_run r;
	run_program(&r, "use std::thread;\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let t = thread::spawn(|| {\n"
	                "        tokio::spawn(async { 1 });\n"
	                "    });\n"
	                "    println!(\"{}\", t.join().is_err());\n"
	                "}\n");
	ck_assert_str_eq(r.out, "true\n");
	ck_assert_ptr_nonnull(strstr(r.err, "there is no reactor running"));
	ck_assert_ptr_nonnull(strstr(r.err, "thread '<unnamed>' panicked"));
	ck_assert_int_eq(r.status, 0);
	prog_run_free(&r);
}
END_TEST

/* --- blocking and lints ------------------------------------------------------ */

START_TEST(test_thread_sleep_in_async_blocks_the_executor)
{
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "async fn foo(n: u64) {\n"
	                "    println!(\"start {n}\");\n"
	                "    std::thread::sleep(Duration::from_secs(1));\n"
	                "    println!(\"end {n}\");\n"
	                "}\n" JOIN_ALL_MAIN("3"));
	assert_ok(&r);
	/* One at a time, as in the introduction's tokio_blocking.rs. */
	ck_assert_str_eq(r.out, "start 1\nend 1\nstart 2\nend 2\nstart 3\n"
	                        "end 3\n");
	ck_assert_uint_ge(r.res.stats.virtual_ns, 3 * SEC);
	ck_assert_uint_lt(r.res.stats.virtual_ns, 3 * SEC + 10000000);
	/* The thread blocked with foo(1)'s poll on its stack. */
	size_t i = find_event(&r, 0, TRACE_THREAD_BLOCKED, 0);
	ck_assert_uint_ne(i, SIZE_MAX);
	const trace_event *e = ev_at(&r, i);
	ck_assert_uint_eq(e->flags & TRACE_BLOCK_MASK, TRACE_BLOCK_SLEEP);
	ck_assert(e->flags & TRACE_IN_POLL);
	ck_assert_uint_eq(e->future, future_named(&r, "foo(1)", 0));
	const trace_lint_hit *h = lint_hit(&r, TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->future, future_named(&r, "foo(1)", 0));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_awaiting_futures_in_a_loop_is_sequential)
{
	prog_run r;
	run_program(&r, FOO "#[tokio::main]\n"
	                    "async fn main() {\n"
	                    "    let mut futures = Vec::new();\n"
	                    "    for n in 1..=3 {\n"
	                    "        futures.push(foo(n));\n"
	                    "    }\n"
	                    "    for f in futures {\n"
	                    "        f.await;\n"
	                    "    }\n"
	                    "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "start 1\nend 1\nstart 2\nend 2\nstart 3\n"
	                        "end 3\n");
	ck_assert_uint_ge(r.res.stats.virtual_ns, 3 * SEC);
	const trace_lint_hit *h = lint_hit(&r, TRACE_LINT_SEQUENTIAL_AWAIT);
	ck_assert_ptr_nonnull(h);
	/* Reported on the poller that awaited in turn, naming the future
	 * that could have run with the first. */
	ck_assert_uint_eq(h->future, future_named(&r, "main()", 0));
	ck_assert_ptr_nonnull(strstr(h->detail, "foo(2)"));
	ck_assert_ptr_null(lint_hit(&r, TRACE_LINT_BLOCKING_IN_ASYNC));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join_all_fires_no_lint)
{
	prog_run r;
	run_program(&r, FOO JOIN_ALL_MAIN("3"));
	assert_ok(&r);
	ck_assert_uint_eq(trace_lint_fired_count(r.lints), 0);
	ck_assert_uint_eq(count_kind(&r, TRACE_LINT), 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_chained_join_handles_are_no_lost_wakeup)
{
	/* Every leaf future the subset offers (sleep, yield_now, a
	 * JoinHandle) is woken by the timer, by itself, or by a task that
	 * bottoms out in one of those, and a JoinHandle cannot be handed to
	 * the task it waits for; so no program can lose a wakeup. The
	 * nearest thing, a task whose handle is dropped, must still finish
	 * normally. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    let a = tokio::spawn(async {\n"
	                "        tokio::time::sleep(Duration::from_secs(1))"
	                ".await;\n"
	                "        1\n"
	                "    });\n"
	                "    let b = tokio::spawn(async move { a.await.unwrap()"
	                " + 1 });\n"
	                "    println!(\"{:?}\", b.await);\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "Ok(2)\n");
	ck_assert_ptr_null(lint_hit(&r, TRACE_LINT_LOST_WAKEUP));
	prog_run_free(&r);
}
END_TEST

/* --- threads ---------------------------------------------------------------------- */

#define THREADS(N)                                                           \
	"use std::thread;\n"                                                 \
	"use std::time::Duration;\n"                                         \
	"fn main() {\n"                                                      \
	"    let mut handles = Vec::new();\n"                                \
	"    for i in 0.." N " {\n"                                          \
	"        handles.push(thread::spawn(move || {\n"                     \
	"            thread::sleep(Duration::from_secs(1));\n"               \
	"            i\n"                                                    \
	"        }));\n"                                                     \
	"    }\n"                                                            \
	"    let mut sum = 0;\n"                                             \
	"    for h in handles {\n"                                           \
	"        sum += h.join().unwrap();\n"                                \
	"    }\n"                                                            \
	"    println!(\"{sum}\");\n"                                         \
	"}\n"

static void
run_profile(prog_run *r, const char *src, const char *profile)
{
	sim_options opt;
	check_options(&opt);
	opt.profile = sim_profile_find(profile);
	ck_assert_ptr_nonnull(opt.profile);
	run_with(r, src, &opt, TRACE_FULL);
}

START_TEST(test_threads_run_concurrently)
{
	prog_run r;
	run_program(&r, THREADS("10"));
	assert_ok(&r);
	ck_assert_str_eq(r.out, "45\n");
	/* Ten one-second sleeps on ten threads: about a second. */
	ck_assert_uint_ge(r.res.stats.virtual_ns, SEC);
	ck_assert_uint_lt(r.res.stats.virtual_ns, SEC + 100000000);
	ck_assert_uint_eq(count_kind(&r, TRACE_THREAD_SPAWNED), 11);
	ck_assert_uint_eq(count_kind(&r, TRACE_THREAD_EXITED), 11);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_hundred_threads_work_on_the_playground)
{
	prog_run r;
	run_profile(&r, THREADS("100"), "playground");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "4950\n");
	prog_run_free(&r);
}
END_TEST

START_TEST(test_thousand_threads_fail_on_the_playground)
{
	prog_run r;
	run_profile(&r, THREADS("1000"), "playground");
	ck_assert(r.compiled);
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(r.status, 101);
	ck_assert_ptr_nonnull(strstr(r.err, "\nthread 'main' panicked at "));
	ck_assert_ptr_nonnull(
		strstr(r.err, ":\nfailed to spawn thread: Os { code: 11, kind: "
		              "WouldBlock, message: \"Resource temporarily "
		              "unavailable\" }\n"));
	/* It fails when the profile's limit of live threads is reached. */
	const sim_profile *p = sim_profile_find("playground");
	ck_assert_uint_gt(p->max_threads, 100);
	ck_assert_uint_lt(p->max_threads, 1000);
	ck_assert_uint_eq(count_kind(&r, TRACE_THREAD_SPAWN_FAILED), 1);
	ck_assert_uint_eq(count_kind(&r, TRACE_THREAD_SPAWNED), p->max_threads);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_thousand_threads_work_on_a_laptop)
{
	prog_run r;
	run_profile(&r, THREADS("1000"), "laptop");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "499500\n");
	ck_assert_uint_eq(count_kind(&r, TRACE_THREAD_SPAWN_FAILED), 0);
	ck_assert_uint_eq(r.res.stats.threads, 1001);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join_returns_the_thread_value)
{
	assert_run("use std::thread;\n"
	           "fn main() {\n"
	           "    let h = thread::spawn(|| 6 * 7);\n"
	           "    println!(\"{:?}\", h.join());\n"
	           "}\n",
	           "Ok(42)\n", 0);
}
END_TEST

START_TEST(test_panic_in_thread_makes_join_err)
{
	prog_run r;
	run_program(&r, "use std::thread;\n"
	                "fn main() {\n"
	                "    let h = thread::spawn(|| {\n"
	                "        panic!(\"oops\");\n"
	                "    });\n"
	                "    let r = h.join();\n"
	                "    println!(\"{}\", r.is_err());\n"
	                "}\n");
	assert_ok(&r);
	ck_assert_str_eq(r.out, "true\n");
	ck_assert_str_eq(r.err,
	                 "\nthread '<unnamed>' panicked at " CHECK_FILE ":4:9:\n"
	                 "oops\n"
	                 "note: run with `RUST_BACKTRACE=1` environment "
	                 "variable to display a backtrace\n");
	/* The thread's exit is flagged as a panic. */
	size_t panicked = 0;
	for (size_t i = 0; i < ev_count(&r); i++) {
		const trace_event *e = ev_at(&r, i);
		if (e->kind == TRACE_THREAD_EXITED && e->flags == 1)
			panicked++;
	}
	ck_assert_uint_eq(panicked, 1);
	prog_run_free(&r);
}
END_TEST

/* --- budgets ------------------------------------------------------------------- */

START_TEST(test_endless_loop_hits_max_instructions)
{
	sim_options opt;
	check_options(&opt);
	opt.max_instructions = 100000;
	prog_run r;
	run_with(&r, "fn main() {\n"
	             "    println!(\"spinning\");\n"
	             "    let mut n: u64 = 0;\n"
	             "    loop {\n"
	             "        n += 1;\n"
	             "    }\n"
	             "}\n",
	         &opt, TRACE_FULL);
	ck_assert_str_eq(r.out, "spinning\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(r.res.message);
	ck_assert_ptr_nonnull(strstr(r.res.message, "100000 instructions"));
	ck_assert_ptr_nonnull(r.res.hint);
	ck_assert_ptr_nonnull(strstr(r.res.hint, "--max-instructions"));
	ck_assert_uint_le(r.res.stats.instructions, 100001);
	/* A busy loop burns virtual CPU time. */
	ck_assert_uint_gt(r.res.stats.virtual_ns, 0);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_long_sleep_hits_max_time)
{
	sim_options opt;
	check_options(&opt);
	opt.max_virtual_ns = 10 * SEC;
	prog_run r;
	run_with(&r, "use std::time::Duration;\n"
	             "#[tokio::main]\n"
	             "async fn main() {\n"
	             "    println!(\"before\");\n"
	             "    tokio::time::sleep(Duration::from_secs(100)).await;\n"
	             "    println!(\"after\");\n"
	             "}\n",
	         &opt, TRACE_FULL);
	ck_assert_str_eq(r.out, "before\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(r.res.message);
	ck_assert_ptr_nonnull(strstr(r.res.message, "10 seconds"));
	ck_assert_ptr_nonnull(r.res.hint);
	ck_assert_ptr_nonnull(strstr(r.res.hint, "--max-time"));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_deep_recursion_hits_max_depth)
{
	sim_options opt;
	check_options(&opt);
	opt.max_call_depth = 200;
	prog_run r;
	run_with(&r, "fn depth(n: u64) -> u64 {\n"
	             "    if n == 0 {\n"
	             "        return 0;\n"
	             "    }\n"
	             "    depth(n - 1) + 1\n"
	             "}\n"
	             "fn main() {\n"
	             "    println!(\"{}\", depth(100));\n"
	             "    println!(\"{}\", depth(1000));\n"
	             "}\n",
	         &opt, TRACE_FULL);
	ck_assert_str_eq(r.out, "100\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(r.res.message);
	ck_assert_ptr_nonnull(strstr(r.res.message, "200"));
	ck_assert_ptr_nonnull(r.res.hint);
	ck_assert_ptr_nonnull(strstr(r.res.hint, "--max-depth"));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_too_many_futures_hits_max_futures)
{
	sim_options opt;
	check_options(&opt);
	opt.max_live_futures = 50;
	prog_run r;
	run_with(&r, FOO_END JOIN_ALL_MAIN("100"), &opt, TRACE_FULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(r.res.hint);
	ck_assert_ptr_nonnull(strstr(r.res.hint, "--max-futures"));
	prog_run_free(&r);
}
END_TEST

/* One string that doubles on every turn: the memory budget refuses the
 * allocation that would pass it, whether format! or + makes the string,
 * and says which budget it was. */
static void
assert_memory_budget(const char *src)
{
	sim_options opt;
	check_options(&opt);
	opt.max_memory_bytes = 8u << 20;
	prog_run r;
	run_with(&r, src, &opt, TRACE_COUNT);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(r.res.message);
	ck_assert_str_eq(r.res.message,
	                 "the program used more than 8 MiB of memory");
	ck_assert_ptr_nonnull(r.res.hint);
	ck_assert_str_eq(r.res.hint, "--max-memory");
	prog_run_free(&r);
}

START_TEST(test_growing_strings_hit_max_memory)
{
	assert_memory_budget("fn main() {\n"
	                     "    let mut s = String::from(\"ab\");\n"
	                     "    loop { s = format!(\"{}{}\", s, s); }\n"
	                     "}\n");
	assert_memory_budget("fn main() {\n"
	                     "    let mut s = String::from(\"ab\");\n"
	                     "    loop { s = s.clone() + &s; }\n"
	                     "}\n");
	assert_memory_budget("fn main() {\n"
	                     "    let v = vec![vec![0u8; 1000]; 100000];\n"
	                     "    println!(\"{}\", v.len());\n"
	                     "}\n");
}
END_TEST

START_TEST(test_printing_forever_hits_max_memory_with_a_trace)
{
	/* The stored trace counts against the memory budget, and the run
	 * stops at once, not at the instruction budget. */
	sim_options opt;
	check_options(&opt);
	opt.max_memory_bytes = 4u << 20;
	prog_run r;
	run_with(&r, "fn main() {\n    loop {\n        println!(\"hi\");\n"
	             "    }\n}\n",
	         &opt, TRACE_FULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.res.hint, "--max-memory");
	ck_assert_ptr_nonnull(strstr(r.res.message, "trace"));
	ck_assert_uint_lt(trace_log_bytes(r.log), 5u << 20);
	ck_assert_uint_lt(r.res.stats.instructions, opt.max_instructions);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_joins_wake_each_joiner_once)
{
	/* Threads that end before and after they are joined, each joined
	 * once: every join returns its own thread's value. */
	assert_run("fn main() {\n"
	           "    let mut hs = Vec::new();\n"
	           "    for i in 0..50u64 {\n"
	           "        hs.push(std::thread::spawn(move || {\n"
	           "            std::thread::sleep(std::time::Duration::"
	           "from_millis(50 - i));\n"
	           "            i\n"
	           "        }));\n"
	           "    }\n"
	           "    let mut sum = 0;\n"
	           "    for h in hs { sum += h.join().unwrap(); }\n"
	           "    println!(\"{}\", sum);\n"
	           "}\n",
	           "1225\n", 0);
}
END_TEST

START_TEST(test_sleeping_u64_max_seconds_hits_max_time)
{
	/* Duration::from_secs(u64::MAX) is too long for the nanosecond
	 * clock; sleeping on it sleeps forever, as it does for real, and the
	 * time budget stops the run without jumping the clock past it. */
	static const char *const srcs[] = {
		"use std::time::Duration;\n"
		"#[tokio::main]\n"
		"async fn main() {\n"
		"    tokio::time::sleep(Duration::from_secs(u64::MAX)).await;\n"
		"}\n",
		"use std::time::Duration;\n"
		"fn main() {\n"
		"    std::thread::sleep(Duration::from_secs(u64::MAX));\n"
		"}\n",
	};
	for (size_t i = 0; i < 2; i++) {
		prog_run r;
		run_program(&r, srcs[i]);
		ck_assert_int_eq(r.status, 1);
		ck_assert_ptr_nonnull(r.res.hint);
		ck_assert_str_eq(r.res.hint, "--max-time");
		ck_assert_uint_le(r.res.stats.virtual_ns, 3600000000000u);
		prog_run_free(&r);
	}
	/* Anything else done with it stops at its line. */
	prog_run r;
	run_program(&r, "use std::time::Duration;\n"
	                "fn main() {\n"
	                "    let d = Duration::from_secs(u64::MAX);\n"
	                "    println!(\"{}\", d.as_millis());\n"
	                "}\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.res.message, CHECK_FILE ":4:"));
	ck_assert_ptr_nonnull(strstr(r.res.message, "over 584 years"));
	prog_run_free(&r);
}
END_TEST

START_TEST(test_budget_stop_says_where)
{
	/* A budget points at the line the program was running: the loop,
	 * or the call that went one deeper than --max-depth allows. */
	sim_options opt;
	check_options(&opt);
	opt.max_instructions = 1000;
	prog_run r;
	run_with(&r, "fn main() {\n    loop {}\n}\n", &opt, TRACE_FULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_uint_eq(r.res.stop_line, 2);
	ck_assert_uint_eq(r.res.stop_col, 5);
	prog_run_free(&r);
	run_program(&r, "fn down(n: u64) -> u64 {\n"
	                "    down(n + 1)\n"
	                "}\n"
	                "fn main() {\n"
	                "    down(0);\n"
	                "}\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.res.hint, "--max-depth");
	ck_assert_uint_eq(r.res.stop_line, 2);
	ck_assert_uint_eq(r.res.stop_col, 5);
	prog_run_free(&r);
	/* No code runs: every future waits on a timer past the budget.
	 * The stop points at the `.await` main is suspended at. */
	run_program(&r, "use std::time::Duration;\n"
	                "#[tokio::main]\n"
	                "async fn main() {\n"
	                "    tokio::time::sleep(Duration::from_secs(7200))"
	                ".await;\n"
	                "}\n");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.res.hint, "--max-time");
	ck_assert_uint_eq(r.res.stop_line, 4);
	ck_assert_uint_eq(r.res.stop_col, 51);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_budget_stop_ends_the_trace)
{
	sim_options opt;
	check_options(&opt);
	opt.max_instructions = 1000;
	prog_run r;
	run_with(&r, "fn main() { loop {} }\n", &opt, TRACE_FULL);
	ck_assert_int_eq(r.status, 1);
	const trace_event *last = ev_at(&r, ev_count(&r) - 1);
	ck_assert_int_eq(last->kind, TRACE_RUN_END);
	ck_assert_uint_eq(last->a, 1);
	prog_run_free(&r);
}
END_TEST

/* --- determinism and trace modes ------------------------------------------------ */

static void
assert_same_trace(const prog_run *x, const prog_run *y)
{
	ck_assert_uint_eq(ev_count(x), ev_count(y));
	for (size_t i = 0; i < ev_count(x); i++) {
		const trace_event *a = ev_at(x, i), *b = ev_at(y, i);
		ck_assert_msg(a->time_ns == b->time_ns && a->future == b->future &&
		                      a->a == b->a && a->b == b->b &&
		                      a->thread == b->thread &&
		                      a->kind == b->kind && a->flags == b->flags,
		              "event %zu differs", i);
	}
	ck_assert_str_eq(x->out, y->out);
}

START_TEST(test_same_program_gives_identical_traces)
{
	static const char src[] = FOO_END JOIN_ALL_MAIN("40");
	prog_run x, y;
	run_program(&x, src);
	run_program(&y, src);
	assert_ok(&x);
	assert_same_trace(&x, &y);
	/* The strings behind the ids match too (names, output). */
	for (size_t i = 0; i < ev_count(&x); i++) {
		const trace_event *e = ev_at(&x, i);
		if (e->kind == TRACE_FUTURE_CREATED)
			ck_assert_str_eq(ev_str(&x, e->b), ev_str(&y, e->b));
		else if (e->kind == TRACE_OUTPUT)
			ck_assert_str_eq(ev_str(&x, e->a), ev_str(&y, e->a));
	}
	prog_run_free(&x);
	prog_run_free(&y);
}
END_TEST

START_TEST(test_threads_are_deterministic_too)
{
	prog_run x, y;
	run_program(&x, THREADS("20"));
	run_program(&y, THREADS("20"));
	assert_ok(&x);
	assert_same_trace(&x, &y);
	prog_run_free(&x);
	prog_run_free(&y);
}
END_TEST

START_TEST(test_count_mode_counts_the_same_events)
{
	/* TRACE_COUNT stores nothing but sees every event the lints and
	 * stats need: the same output, stats and lints as the full trace.
	 * Only the view events built from strings (source lines, states and
	 * their locals) are left out. */
	static const char src[] =
		"use std::time::Duration;\n"
		"async fn foo(n: u64) {\n"
		"    println!(\"start {n}\");\n"
		"    std::thread::sleep(Duration::from_secs(1));\n"
		"}\n" JOIN_ALL_MAIN("3");
	prog_run full, count;
	run_program(&full, src);
	run_with(&count, src, NULL, TRACE_COUNT);
	assert_ok(&full);
	assert_ok(&count);
	ck_assert_uint_eq(trace_log_stored(count.log), 0);
	size_t views = count_kind(&full, TRACE_LINE) +
	               count_kind(&full, TRACE_STATE) +
	               count_kind(&full, TRACE_LOCAL);
	ck_assert_uint_eq(trace_log_count(count.log),
	                  trace_log_count(full.log) - views);
	ck_assert_str_eq(count.out, full.out);
	ck_assert_uint_eq(count.res.stats.virtual_ns, full.res.stats.virtual_ns);
	ck_assert_uint_eq(count.res.stats.polls, full.res.stats.polls);
	ck_assert_ptr_nonnull(lint_hit(&count, TRACE_LINT_BLOCKING_IN_ASYNC));
	prog_run_free(&full);
	prog_run_free(&count);
}
END_TEST

Suite *
suite_sim_exec(void)
{
	Suite *s = suite_create("sim_exec");
	TCase *tc = tcase_create("laziness");
	tcase_add_test(tc, test_futures_are_lazy_until_awaited);
	tcase_add_test(tc, test_future_never_awaited_never_runs);
	tcase_add_test(tc, test_three_awaits_in_a_row_take_three_seconds);
	tcase_add_test(tc, test_instant_measures_virtual_time);
	tcase_add_test(tc, test_virtual_time_never_decreases);
	suite_add_tcase(s, tc);

	tc = tcase_create("join_all");
	tcase_add_test(tc, test_join_all_of_ten_takes_one_second);
	tcase_add_test(tc, test_small_join_all_polls_every_unfinished_child);
	tcase_add_test(tc, test_big_join_all_polls_only_woken_children);
	tcase_add_test(tc, test_thirty_children_still_poll_all_each_time);
	tcase_add_test(tc, test_big_join_all_yields_after_polling_every_child);
	tcase_add_test(tc, test_coop_budget_orders_join_all_of_300);
	tcase_add_test(tc, test_coop_budget_with_200_children);
	tcase_add_test(tc, test_tokio_join_rotates_the_first_branch);
	suite_add_tcase(s, tc);

	tc = tcase_create("tasks");
	tcase_add_test(tc, test_spawned_tasks_run_fifo_after_main_yields);
	tcase_add_test(tc, test_yield_now_lets_spawned_task_run);
	tcase_add_test(tc, test_panicking_task_gives_err_and_main_continues);
	tcase_add_test(tc,
	               test_task_panic_on_multi_thread_flavor_names_the_worker);
	tcase_add_test(tc, test_join_error_debug_and_unwrap);
	tcase_add_test(tc, test_runtime_shutdown_drops_unfinished_tasks);
	tcase_add_test(tc, test_tokio_spawn_outside_runtime_panics_at_the_call);
	tcase_add_test(tc, test_tokio_spawn_on_a_plain_thread_panics);
	suite_add_tcase(s, tc);

	tc = tcase_create("lints");
	tcase_add_test(tc, test_thread_sleep_in_async_blocks_the_executor);
	tcase_add_test(tc, test_awaiting_futures_in_a_loop_is_sequential);
	tcase_add_test(tc, test_join_all_fires_no_lint);
	tcase_add_test(tc, test_chained_join_handles_are_no_lost_wakeup);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_add_test(tc, test_threads_run_concurrently);
	tcase_add_test(tc, test_hundred_threads_work_on_the_playground);
	tcase_add_test(tc, test_thousand_threads_fail_on_the_playground);
	tcase_add_test(tc, test_thousand_threads_work_on_a_laptop);
	tcase_add_test(tc, test_join_returns_the_thread_value);
	tcase_add_test(tc, test_panic_in_thread_makes_join_err);
	suite_add_tcase(s, tc);

	tc = tcase_create("budgets");
	tcase_add_test(tc, test_endless_loop_hits_max_instructions);
	tcase_add_test(tc, test_long_sleep_hits_max_time);
	tcase_add_test(tc, test_deep_recursion_hits_max_depth);
	tcase_add_test(tc, test_too_many_futures_hits_max_futures);
	tcase_add_test(tc, test_growing_strings_hit_max_memory);
	tcase_add_test(tc, test_sleeping_u64_max_seconds_hits_max_time);
	tcase_add_test(tc, test_budget_stop_says_where);
	tcase_add_test(tc, test_joins_wake_each_joiner_once);
	tcase_add_test(tc, test_printing_forever_hits_max_memory_with_a_trace);
	tcase_add_test(tc, test_budget_stop_ends_the_trace);
	/* These runs go to their budgets: millions of instructions, and
	 * megabytes of trace, several times slower under the sanitizers on a
	 * busy machine. The timeout is a bound against hangs. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("determinism");
	tcase_add_test(tc, test_same_program_gives_identical_traces);
	tcase_add_test(tc, test_threads_are_deterministic_too);
	tcase_add_test(tc, test_count_mode_counts_the_same_events);
	suite_add_tcase(s, tc);
	return s;
}
