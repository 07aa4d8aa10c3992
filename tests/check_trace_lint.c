#include "config.h"

#include "check_suites.h"

#include "trace/trace_lint.h"
#include "trace/trace_log.h"

#include <stdio.h>
#include <string.h>

/* A scenario builder: emits events by hand as the simulator would, on
 * thread 0 unless told otherwise, with time moving 1 us per event. */
typedef struct sc {
	trace_log *log;
	trace_lint *lints;
	uint64_t now;
	uint32_t next_future;
	uint16_t thread;
} sc;

static void
sc_init(sc *s, trace_mode mode)
{
	memset(s, 0, sizeof *s);
	s->log = trace_log_new(mode);
	s->lints = trace_lint_new();
	ck_assert_ptr_nonnull(s->log);
	ck_assert_ptr_nonnull(s->lints);
	trace_log_set_lints(s->log, s->lints);
	s->next_future = 1;
}

static void
sc_free(sc *s)
{
	trace_lint_free(s->lints);
	trace_log_free(s->log);
}

static void
sc_emit(sc *s, trace_kind kind, uint32_t future, uint32_t a, uint32_t b,
        uint8_t flags)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.time_ns = s->now;
	ev.kind = (uint8_t)kind;
	ev.future = future;
	ev.a = a;
	ev.b = b;
	ev.flags = flags;
	ev.thread = s->thread;
	ck_assert_int_eq(trace_log_emit(s->log, &ev), 0);
	s->now += 1000;
}

static uint32_t
sc_str(sc *s, const char *text)
{
	return trace_log_intern(s->log, text, strlen(text));
}

static uint32_t
sc_new(sc *s, const char *name, uint32_t creator, trace_future_type type)
{
	uint32_t f = s->next_future++;
	uint32_t id = trace_log_wants_strings(s->log) ? sc_str(s, name) : 0;
	sc_emit(s, TRACE_FUTURE_CREATED, f, creator, id, (uint8_t)type);
	return f;
}

static void
sc_begin(sc *s, uint32_t f, uint32_t poller, uint32_t task)
{
	sc_emit(s, TRACE_POLL_BEGIN, f, poller, task, 0);
}

static void
sc_end(sc *s, uint32_t f, int result)
{
	sc_emit(s, TRACE_POLL_END, f, 0, 0, (uint8_t)result);
}

/* A poll of a leaf child that returns result at once. */
static void
sc_poll(sc *s, uint32_t f, uint32_t poller, uint32_t task, int result)
{
	sc_begin(s, f, poller, task);
	sc_end(s, f, result);
}

static void
sc_drop(sc *s, uint32_t f, int never_polled)
{
	sc_emit(s, TRACE_FUTURE_DROPPED, f, 0, 0, (uint8_t)never_polled);
}

static void
sc_block(sc *s, uint32_t in_poll, uint8_t reason, uint64_t until_or_thread)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.time_ns = s->now;
	ev.kind = TRACE_THREAD_BLOCKED;
	ev.future = in_poll;
	ev.thread = s->thread;
	ev.flags = (uint8_t)(reason | (in_poll ? TRACE_IN_POLL : 0));
	trace_set_u64(&ev, until_or_thread);
	ck_assert_int_eq(trace_log_emit(s->log, &ev), 0);
	if (reason == TRACE_BLOCK_SLEEP && until_or_thread > s->now)
		s->now = until_or_thread;
	sc_emit(s, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
}

static void
sc_run_end(sc *s, uint32_t status)
{
	sc_emit(s, TRACE_RUN_END, 0, status, 0, 0);
}

/* How many TRACE_LINT events with this id the log holds. */
static int
sc_lint_events(const sc *s, trace_lint_id id)
{
	int n = 0;
	for (size_t i = 0; i < trace_log_stored(s->log); i++) {
		const trace_event *ev = trace_log_at(s->log, i);
		n += ev->kind == TRACE_LINT && ev->a == (uint32_t)id;
	}
	return n;
}

static const char *
sc_names(const sc *s)
{
	static char buf[256];
	trace_lint_fired_names(s->lints, buf, sizeof buf);
	return buf;
}

/* main() awaits foo(3), which awaits sleep(1s): Pending, then Ready. */
static void
sc_foo_pending_then_ready(sc *s)
{
	uint32_t main_f = sc_new(s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_emit(s, TRACE_TASK_SPAWNED, main_f, 0, 0, 0);
	sc_begin(s, main_f, 0, 0);
	uint32_t foo = sc_new(s, "foo(3)", main_f, TRACE_FT_ASYNC_FN);
	sc_begin(s, foo, main_f, 0);
	uint32_t sl = sc_new(s, "sleep(1s)", foo, TRACE_FT_SLEEP);
	sc_begin(s, sl, foo, 0);
	sc_emit(s, TRACE_TIMER_ARMED, sl, 1000000000u, 0, 0);
	sc_emit(s, TRACE_WAKER_REGISTERED, sl, 0, 0, 0);
	sc_end(s, sl, TRACE_PENDING);
	sc_emit(s, TRACE_POLL_END, foo, 1, 4, TRACE_PENDING);
	sc_end(s, main_f, TRACE_PENDING);
	sc_block(s, 0, TRACE_BLOCK_PARK, 1000000000u);
	sc_emit(s, TRACE_TIMER_FIRED, sl, 0, 0, 0);
	sc_emit(s, TRACE_WAKE, main_f, 0, 0, TRACE_WAKE_TASK);
	sc_begin(s, main_f, 0, 0);
	sc_begin(s, foo, main_f, 0);
	sc_poll(s, sl, foo, 0, TRACE_READY);
	sc_drop(s, sl, 0);
	sc_emit(s, TRACE_OUTPUT, 0, sc_str(s, "end 3\n"), 0, 1);
	sc_end(s, foo, TRACE_READY);
	sc_drop(s, foo, 0);
	sc_end(s, main_f, TRACE_READY);
	sc_emit(s, TRACE_TASK_DONE, main_f, 0, 0, 0);
	sc_run_end(s, 0);
}

START_TEST(test_table)
{
	static const char *const names[] = {
	        "blocking-in-async", "sequential-await", "never-awaited",
	        "lost-wakeup",       "busy-wake",
	};
	ck_assert_int_eq(TRACE_LINT_COUNT, 5);
	for (int i = 0; i < TRACE_LINT_COUNT; i++) {
		const trace_lint_info *info = trace_lint_info_of(i);
		ck_assert_ptr_nonnull(info);
		ck_assert_int_eq(info->id, i);
		ck_assert_str_eq(info->name, names[i]);
		ck_assert_int_eq(trace_lint_lookup(names[i]), i);
		ck_assert_uint_gt(strlen(info->explanation), 20);
		ck_assert_ptr_null(strchr(info->explanation, '\n'));
	}
	ck_assert_ptr_null(trace_lint_info_of(TRACE_LINT_COUNT));
	ck_assert_int_eq(trace_lint_lookup("no-such-lint"), -1);
	ck_assert_int_eq(trace_lint_lookup(""), -1);
}
END_TEST

START_TEST(test_correct_program_is_clean)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	sc_foo_pending_then_ready(&s);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	ck_assert_str_eq(sc_names(&s), "");
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		ck_assert_int_eq(sc_lint_events(&s, i), 0);
	sc_free(&s);
}
END_TEST

/* thread::sleep(1s) inside foo(3)'s poll. */
static void
sc_blocking(sc *s)
{
	uint32_t main_f = sc_new(s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(s, main_f, 0, 0);
	uint32_t foo = sc_new(s, "foo(3)", main_f, TRACE_FT_ASYNC_FN);
	sc_begin(s, foo, main_f, 0);
	sc_block(s, foo, TRACE_BLOCK_SLEEP, s->now + 1000000000u);
	sc_end(s, foo, TRACE_READY);
	sc_end(s, main_f, TRACE_READY);
}

START_TEST(test_blocking_in_async_fires)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	sc_blocking(&s);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
	const trace_lint_hit *h = trace_lint_fired(s.lints, 0);
	ck_assert_int_eq(h->id, TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_uint_eq(h->future, 2);
	ck_assert_uint_eq(h->seq, 4);
	ck_assert_uint_eq(trace_log_at(s.log, 4)->kind, TRACE_THREAD_BLOCKED);
	ck_assert_uint_eq(h->time_ns, 4000);
	ck_assert_str_eq(h->detail, "foo(3) blocked thread main for 1.000 s "
	                            "inside its poll");
	ck_assert_ptr_eq(
	        trace_lint_hit_of(s.lints, TRACE_LINT_BLOCKING_IN_ASYNC), h);
	/* Its event follows the blocking one. */
	const trace_event *ev = trace_log_at(s.log, 5);
	ck_assert_uint_eq(ev->kind, TRACE_LINT);
	ck_assert_uint_eq(ev->a, TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_str_eq(trace_log_string(s.log, ev->b, NULL), h->detail);

	/* At most once per run. */
	uint32_t bar = sc_new(&s, "bar()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, bar, 0, 0);
	sc_block(&s, bar, TRACE_BLOCK_SLEEP, s.now + 5);
	sc_end(&s, bar, TRACE_READY);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_BLOCKING_IN_ASYNC), 1);
	ck_assert_str_eq(sc_names(&s), "blocking-in-async");
	sc_free(&s);
}
END_TEST

START_TEST(test_blocking_outside_poll_is_fine)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	/* A plain thread sleeping, and the executor parking: no poll. */
	sc_block(&s, 0, TRACE_BLOCK_SLEEP, s.now + 1000000000u);
	sc_block(&s, 0, TRACE_BLOCK_PARK, s.now + 1000000000u);
	/* thread::sleep(0) inside a poll does not move the clock. */
	uint32_t foo = sc_new(&s, "foo(1)", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, foo, 0, 0);
	sc_block(&s, foo, TRACE_BLOCK_SLEEP, s.now);
	sc_end(&s, foo, TRACE_READY);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

START_TEST(test_blocking_join_names_threads)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	/* A spawned event's thread is the new thread; a is the spawner. */
	s.thread = 2;
	sc_emit(&s, TRACE_THREAD_SPAWNED, 0, 0, sc_str(&s, "io"), 0);
	uint32_t f = sc_new(&s, "serve()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, f, 0, 0);
	sc_block(&s, f, TRACE_BLOCK_JOIN, 0);
	ck_assert_str_eq(trace_lint_fired(s.lints, 0)->detail,
	                 "serve() blocked thread io joining thread main "
	                 "inside its poll");
	ck_assert_uint_eq(trace_lint_fired(s.lints, 0)->thread, 2);
	sc_free(&s);
}
END_TEST

/* main() made foo(1..3) first, then awaited them one at a time. */
START_TEST(test_sequential_await_fires)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	uint32_t f[3];
	f[0] = sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	f[1] = sc_new(&s, "foo(2)", m, TRACE_FT_ASYNC_FN);
	f[2] = sc_new(&s, "foo(3)", m, TRACE_FT_ASYNC_FN);
	for (int i = 0; i < 3; i++) {
		/* Each foo is Pending on its first poll, Ready on its second.
		 */
		sc_begin(&s, m, 0, 0);
		if (i > 0)
			sc_poll(&s, f[i - 1], m, 0, TRACE_READY);
		sc_poll(&s, f[i], m, 0, TRACE_PENDING);
		sc_end(&s, m, TRACE_PENDING);
		if (i == 1) {
			ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
			const trace_lint_hit *h = trace_lint_fired(s.lints, 0);
			ck_assert_int_eq(h->id, TRACE_LINT_SEQUENTIAL_AWAIT);
			ck_assert_uint_eq(h->future, m);
			ck_assert_str_eq(h->detail,
			                 "main() awaited foo(2) only after "
			                 "foo(1) had finished; they could have "
			                 "run together (join_all or join!)");
			const trace_event *ev = trace_log_at(s.log, h->seq);
			ck_assert_uint_eq(ev->kind, TRACE_POLL_END);
			ck_assert_uint_eq(ev->future, f[1]);
		}
	}
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, f[2], m, 0, TRACE_READY);
	sc_end(&s, m, TRACE_READY);
	sc_run_end(&s, 0);
	ck_assert_str_eq(sc_names(&s), "sequential-await");
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_SEQUENTIAL_AWAIT), 1);
	sc_free(&s);
}
END_TEST

/* join_all of n children, each Pending once: polls all, then the woken. */
static void
sc_join_all(sc *s, int n)
{
	uint32_t m = sc_new(s, "main()", 0, TRACE_FT_ASYNC_FN);
	uint32_t first = s->next_future;
	for (int i = 0; i < n; i++)
		sc_new(s, "foo(i)", m, TRACE_FT_ASYNC_FN);
	uint32_t ja = sc_new(s, "join_all[n]", m, TRACE_FT_JOIN_ALL);
	sc_begin(s, m, 0, 0);
	sc_begin(s, ja, m, 0);
	for (int i = 0; i < n; i++)
		sc_poll(s, first + (uint32_t)i, ja, 0, TRACE_PENDING);
	sc_end(s, ja, TRACE_PENDING);
	sc_end(s, m, TRACE_PENDING);
	sc_begin(s, m, 0, 0);
	sc_begin(s, ja, m, 0);
	for (int i = 0; i < n; i++)
		sc_poll(s, first + (uint32_t)i, ja, 0, TRACE_READY);
	sc_end(s, ja, TRACE_READY);
	sc_end(s, m, TRACE_READY);
	sc_run_end(s, 0);
}

START_TEST(test_join_all_is_not_sequential)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	sc_join_all(&s, 10);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
	sc_init(&s, TRACE_FULL);
	sc_join_all(&s, 40);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

/* for i in 1..=3 { foo(i).await }: each future made when it is awaited. */
START_TEST(test_await_in_loop_creating_each_is_not_flagged)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	uint32_t prev = 0;
	for (int i = 0; i < 3; i++) {
		sc_begin(&s, m, 0, 0);
		if (prev != 0) {
			sc_poll(&s, prev, m, 0, TRACE_READY);
			sc_drop(&s, prev, 0);
		}
		uint32_t f = sc_new(&s, "foo(i)", m, TRACE_FT_ASYNC_FN);
		sc_poll(&s, f, m, 0, TRACE_PENDING);
		sc_end(&s, m, TRACE_PENDING);
		prev = f;
	}
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, prev, m, 0, TRACE_READY);
	sc_end(&s, m, TRACE_READY);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

/* Awaiting JoinHandles in turn is fine (the tasks run anyway), and so is
 * awaiting a second future that turns out to be Ready at once. */
START_TEST(test_sequential_exemptions)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	uint32_t h1 = sc_new(&s, "JoinHandle(task 1)", m, TRACE_FT_JOIN_HANDLE);
	uint32_t h2 = sc_new(&s, "JoinHandle(task 2)", m, TRACE_FT_JOIN_HANDLE);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, h1, m, 0, TRACE_PENDING);
	sc_end(&s, m, TRACE_PENDING);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, h1, m, 0, TRACE_READY);
	sc_poll(&s, h2, m, 0, TRACE_PENDING);
	sc_end(&s, m, TRACE_PENDING);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, h2, m, 0, TRACE_READY);
	uint32_t r1 = sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	uint32_t r2 = sc_new(&s, "foo(2)", m, TRACE_FT_ASYNC_FN);
	sc_poll(&s, r1, m, 0, TRACE_PENDING);
	sc_end(&s, m, TRACE_PENDING);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, r1, m, 0, TRACE_READY);
	sc_poll(&s, r2, m, 0, TRACE_READY); /* nothing lost by waiting */
	sc_end(&s, m, TRACE_READY);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

START_TEST(test_never_awaited_dropped)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, m, 0, 0);
	uint32_t polled = sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	sc_poll(&s, polled, m, 0, TRACE_READY);
	sc_drop(&s, polled, 0); /* polled, then dropped: fine */
	uint32_t lazy = sc_new(&s, "foo(2)", m, TRACE_FT_ASYNC_FN);
	uint64_t drop_seq = trace_log_count(s.log);
	uint64_t drop_time = s.now;
	sc_drop(&s, lazy, 1);
	/* A JoinHandle dropped unpolled detaches its task: fine. */
	uint32_t h = sc_new(&s, "JoinHandle", m, TRACE_FT_JOIN_HANDLE);
	sc_drop(&s, h, 1);
	sc_end(&s, m, TRACE_READY);
	/* Reported at the end of the run, pointing back at the drop. */
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
	const trace_lint_hit *hit = trace_lint_fired(s.lints, 0);
	ck_assert_int_eq(hit->id, TRACE_LINT_NEVER_AWAITED);
	ck_assert_uint_eq(hit->future, lazy);
	ck_assert_uint_eq(hit->count, 1);
	ck_assert_uint_eq(hit->seq, drop_seq);
	ck_assert_uint_eq(hit->time_ns, drop_time);
	ck_assert_str_eq(hit->detail,
	                 "foo(2) was dropped without ever being polled");
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_NEVER_AWAITED), 1);
	sc_free(&s);
}
END_TEST

START_TEST(test_never_awaited_left_at_end)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, m, 0, 0);
	sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	sc_new(&s, "foo(2)", m, TRACE_FT_ASYNC_FN);
	sc_new(&s, "foo(3)", m, TRACE_FT_ASYNC_FN);
	sc_end(&s, m, TRACE_READY);
	sc_run_end(&s, 0);
	const trace_lint_hit *hit = trace_lint_fired(s.lints, 0);
	ck_assert_ptr_nonnull(hit);
	ck_assert_uint_eq(hit->future, 2);
	ck_assert_uint_eq(hit->count, 3);
	ck_assert_str_eq(hit->detail, "foo(1) was never polled before the run "
	                              "ended (3 futures in all)");
	sc_free(&s);
}
END_TEST

/* A run that panicked stopped early: unpolled futures may have been
 * awaited later, so only drops count. */
START_TEST(test_never_awaited_not_after_panic)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, m, 0, 0);
	sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	sc_emit(&s, TRACE_PANIC, 0, sc_str(&s, "boom"), 3, 0);
	sc_run_end(&s, 101);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

START_TEST(test_finish_is_explicit_and_idempotent)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	sc_new(&s, "foo(1)", 0, TRACE_FT_ASYNC_FN);
	ck_assert_int_eq(trace_lint_finish(s.lints, s.log), 0);
	ck_assert_int_eq(trace_lint_finish(s.lints, s.log), 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_NEVER_AWAITED), 1);
	/* Events after the end are ignored by the detectors. */
	sc_run_end(&s, 0);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_NEVER_AWAITED), 1);
	sc_free(&s);
}
END_TEST

START_TEST(test_lost_wakeup_from_simulator_event)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_begin(&s, m, 0, 0);
	sc_end(&s, m, TRACE_PENDING);
	sc_emit(&s, TRACE_LINT, m, TRACE_LINT_LOST_WAKEUP,
	        sc_str(&s, "main() is Pending and nothing can wake it"), 0);
	sc_run_end(&s, 1);
	ck_assert_str_eq(sc_names(&s), "lost-wakeup");
	const trace_lint_hit *h = trace_lint_fired(s.lints, 0);
	ck_assert_uint_eq(h->future, m);
	ck_assert_uint_eq(h->seq, 3);
	ck_assert_str_eq(h->detail,
	                 "main() is Pending and nothing can wake it");
	/* Recorded, not emitted a second time. */
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_LOST_WAKEUP), 1);
	sc_free(&s);
}
END_TEST

START_TEST(test_lost_wakeup_reported)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN); /* unpolled, alive */
	ck_assert_int_eq(trace_lint_report(s.lints, s.log,
	                                   TRACE_LINT_LOST_WAKEUP, m, 0, s.now,
	                                   NULL),
	                 1);
	ck_assert_int_eq(trace_lint_report(s.lints, s.log,
	                                   TRACE_LINT_LOST_WAKEUP, m, 0, s.now,
	                                   "again"),
	                 0);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_LOST_WAKEUP), 1);
	const trace_lint_hit *h = trace_lint_fired(s.lints, 0);
	ck_assert_str_eq(
	        h->detail,
	        trace_lint_info_of(TRACE_LINT_LOST_WAKEUP)->explanation);
	ck_assert_uint_eq(h->seq, 2);
	/* The run stopped: the unpolled futures are not blamed. */
	sc_run_end(&s, 1);
	ck_assert_str_eq(sc_names(&s), "lost-wakeup");
	sc_free(&s);

	sc_init(&s, TRACE_FULL);
	ck_assert_int_eq(trace_lint_set(s.lints, "lost-wakeup", 0), 0);
	ck_assert_int_eq(trace_lint_report(s.lints, s.log,
	                                   TRACE_LINT_LOST_WAKEUP, 0, 0, 0,
	                                   "x"),
	                 0);
	ck_assert_uint_eq(trace_log_count(s.log), 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

/* One poll of task 1's root spin(); self_wake: spin() wakes its own task;
 * ready_children: how many child futures become Ready in it. */
static void
sc_spin_poll(sc *s, uint32_t spin, int self_wake, int ready_children)
{
	sc_begin(s, spin, 0, 1);
	for (int i = 0; i < ready_children; i++) {
		uint32_t c = sc_new(s, "recv()", spin, TRACE_FT_OTHER);
		sc_poll(s, c, spin, 1, TRACE_READY);
	}
	if (self_wake)
		sc_emit(s, TRACE_WAKE, spin, spin, 1, TRACE_WAKE_TASK);
	sc_end(s, spin, TRACE_PENDING);
}

START_TEST(test_busy_wake_fires)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t spin = sc_new(&s, "spin()", 0, TRACE_FT_ASYNC_FN);
	sc_emit(&s, TRACE_TASK_SPAWNED, spin, 1, 0, 0);
	for (int i = 0; i < 99; i++)
		sc_spin_poll(&s, spin, 1, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_spin_poll(&s, spin, 1, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 1);
	const trace_lint_hit *h = trace_lint_fired(s.lints, 0);
	ck_assert_int_eq(h->id, TRACE_LINT_BUSY_WAKE);
	ck_assert_uint_eq(h->future, spin);
	ck_assert_uint_eq(h->count, TRACE_LINT_BUSY_WAKE_STREAK);
	ck_assert_str_eq(h->detail, "spin() woke its own task 1 on 100 polls "
	                            "in a row without making progress");
	const trace_event *ev = trace_log_at(s.log, h->seq);
	ck_assert_uint_eq(ev->kind, TRACE_POLL_END);
	for (int i = 0; i < 50; i++)
		sc_spin_poll(&s, spin, 1, 0);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_BUSY_WAKE), 1);
	sc_free(&s);
}
END_TEST

START_TEST(test_busy_wake_needs_consecutive_idle_polls)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	uint32_t spin = sc_new(&s, "spin()", 0, TRACE_FT_ASYNC_FN);
	/* An ordinary poll in between resets the count. */
	for (int i = 0; i < 99; i++)
		sc_spin_poll(&s, spin, 1, 0);
	sc_spin_poll(&s, spin, 0, 0);
	for (int i = 0; i < 99; i++)
		sc_spin_poll(&s, spin, 1, 0);
	/* A self-wake every other poll is not every poll. */
	for (int i = 0; i < 300; i++)
		sc_spin_poll(&s, spin, i % 2, 0);
	/* Tokio's cooperative budget: the task did work (children became
	 * Ready), ran out of budget and woke itself to yield. */
	for (int i = 0; i < 300; i++)
		sc_spin_poll(&s, spin, 1, 3);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	/* Waking another task is progress too. */
	for (int i = 0; i < 200; i++) {
		sc_begin(&s, spin, 0, 1);
		sc_emit(&s, TRACE_WAKE, 999, spin, 2, TRACE_WAKE_TASK);
		sc_emit(&s, TRACE_WAKE, spin, spin, 1, TRACE_WAKE_TASK);
		sc_end(&s, spin, TRACE_PENDING);
	}
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	sc_free(&s);
}
END_TEST

START_TEST(test_allow_and_warn)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	ck_assert_int_eq(trace_lint_enabled(s.lints, TRACE_LINT_BUSY_WAKE), 1);
	ck_assert_int_eq(trace_lint_set(s.lints, "blocking-in-async", 0), 0);
	ck_assert_int_eq(trace_lint_set(s.lints, "blocking_in_async", 0), -1);
	ck_assert_int_eq(trace_lint_set(s.lints, "nope", 1), -1);
	ck_assert_int_eq(
	        trace_lint_enabled(s.lints, TRACE_LINT_BLOCKING_IN_ASYNC), 0);
	ck_assert_int_eq(trace_lint_enabled(s.lints, TRACE_LINT_COUNT), 0);
	sc_blocking(&s);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 0);
	ck_assert_int_eq(sc_lint_events(&s, TRACE_LINT_BLOCKING_IN_ASYNC), 0);
	sc_free(&s);

	/* --allow then --warn: the last word wins. */
	sc_init(&s, TRACE_FULL);
	trace_lint_set(s.lints, "blocking-in-async", 0);
	trace_lint_set(s.lints, "blocking-in-async", 1);
	trace_lint_set(s.lints, "never-awaited", 0);
	sc_blocking(&s);
	sc_new(&s, "unpolled()", 0, TRACE_FT_ASYNC_FN);
	sc_run_end(&s, 0);
	ck_assert_str_eq(sc_names(&s), "blocking-in-async");
	sc_free(&s);
}
END_TEST

START_TEST(test_fired_names_in_order)
{
	sc s;
	sc_init(&s, TRACE_FULL);
	sc_blocking(&s);
	sc_new(&s, "unpolled()", 0, TRACE_FT_ASYNC_FN);
	sc_run_end(&s, 0);
	ck_assert_uint_eq(trace_lint_fired_count(s.lints), 2);
	ck_assert_int_eq(trace_lint_fired(s.lints, 0)->id,
	                 TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_int_eq(trace_lint_fired(s.lints, 1)->id,
	                 TRACE_LINT_NEVER_AWAITED);
	ck_assert_ptr_null(trace_lint_fired(s.lints, 2));
	ck_assert_ptr_null(trace_lint_hit_of(s.lints, TRACE_LINT_BUSY_WAKE));
	ck_assert_str_eq(sc_names(&s), "blocking-in-async,never-awaited");
	char small[8];
	size_t need = trace_lint_fired_names(s.lints, small, sizeof small);
	ck_assert_uint_eq(need, strlen("blocking-in-async,never-awaited"));
	ck_assert_str_eq(small, "blockin");
	ck_assert_uint_eq(trace_lint_fired_names(s.lints, NULL, 0), need);
	sc_free(&s);
}
END_TEST

/* Without strings, futures are "future #N" in details. */
START_TEST(test_count_mode_names)
{
	sc s;
	sc_init(&s, TRACE_COUNT);
	uint32_t m = sc_new(&s, "main()", 0, TRACE_FT_ASYNC_FN);
	uint32_t a = sc_new(&s, "foo(1)", m, TRACE_FT_ASYNC_FN);
	uint32_t b = sc_new(&s, "foo(2)", m, TRACE_FT_ASYNC_FN);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, a, m, 0, TRACE_PENDING);
	sc_end(&s, m, TRACE_PENDING);
	sc_begin(&s, m, 0, 0);
	sc_poll(&s, a, m, 0, TRACE_READY);
	sc_poll(&s, b, m, 0, TRACE_PENDING);
	ck_assert_str_eq(trace_lint_fired(s.lints, 0)->detail,
	                 "future #1 awaited future #3 only after future #2 "
	                 "had finished; they could have run together "
	                 "(join_all or join!)");
	/* The lint event is counted though not stored. */
	ck_assert_uint_eq(trace_log_count(s.log), 13);
	sc_end(&s, m, TRACE_PENDING);
	ck_assert_uint_eq(trace_log_count(s.log), 14);
	ck_assert_uint_eq(trace_log_stored(s.log), 0);
	sc_free(&s);
}
END_TEST

/* A lint detector without a log records, and appends nothing. */
START_TEST(test_feed_without_log)
{
	trace_lint *l = trace_lint_new();
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_FUTURE_CREATED;
	ev.future = 1;
	ck_assert_int_eq(trace_lint_feed(l, NULL, &ev, 0), 0);
	ev.kind = TRACE_FUTURE_DROPPED;
	ck_assert_int_eq(trace_lint_feed(l, NULL, &ev, 1), 0);
	ck_assert_int_eq(trace_lint_finish(l, NULL), 0);
	const trace_lint_hit *h = trace_lint_fired(l, 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->seq, 1);
	ck_assert_str_eq(h->detail,
	                 "future #1 was dropped without ever being polled");
	trace_lint_free(l);
}
END_TEST

/* A million foo futures under join_all, each awaiting a sleep, through the
 * detectors in count mode: the per-future state stays at a byte or two. */
START_TEST(test_million_futures_count_mode_memory)
{
	const uint32_t n = 1000000;
	trace_log *log = trace_log_new(TRACE_COUNT);
	trace_lint *lints = trace_lint_new();
	trace_log_set_lints(log, lints);
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	/* Counted, not asserted per event: a check assertion records a
	 * checkpoint each time, which costs a system call. */
	int failed = 0;
#define EMIT(k, f, aa, bb, fl)                                                 \
	do {                                                                   \
		ev.kind = (k);                                                 \
		ev.future = (f);                                               \
		ev.a = (aa);                                                   \
		ev.b = (bb);                                                   \
		ev.flags = (fl);                                               \
		failed += trace_log_emit(log, &ev) != 0;                       \
	} while (0)
	/* Ids: main 1, foo(i) 2..n+1, join_all n+2, sleep(i) n+3.. */
	const uint32_t m = 1, ja = n + 2;
	EMIT(TRACE_FUTURE_CREATED, m, 0, 0, TRACE_FT_ASYNC_FN);
	EMIT(TRACE_TASK_SPAWNED, m, 0, 0, 0);
	for (uint32_t i = 0; i < n; i++)
		EMIT(TRACE_FUTURE_CREATED, 2 + i, m, 0, TRACE_FT_ASYNC_FN);
	EMIT(TRACE_FUTURE_CREATED, ja, m, 0, TRACE_FT_JOIN_ALL);
	EMIT(TRACE_POLL_BEGIN, m, 0, 0, 0);
	EMIT(TRACE_POLL_BEGIN, ja, m, 0, 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t foo = 2 + i, sl = n + 3 + i;
		EMIT(TRACE_POLL_BEGIN, foo, ja, 0, 0);
		EMIT(TRACE_FUTURE_CREATED, sl, foo, 0, TRACE_FT_SLEEP);
		EMIT(TRACE_POLL_BEGIN, sl, foo, 0, 0);
		EMIT(TRACE_TIMER_ARMED, sl, 1000000000u, 0, 0);
		EMIT(TRACE_WAKER_REGISTERED, sl, 0, ja, 0);
		EMIT(TRACE_POLL_END, sl, 0, 0, TRACE_PENDING);
		EMIT(TRACE_POLL_END, foo, 1, 3, TRACE_PENDING);
	}
	EMIT(TRACE_POLL_END, ja, 0, 0, TRACE_PENDING);
	EMIT(TRACE_POLL_END, m, 1, 5, TRACE_PENDING);
	ev.time_ns = 1000000000u;
	for (uint32_t i = 0; i < n; i++) {
		EMIT(TRACE_TIMER_FIRED, n + 3 + i, 0, 0, 0);
		EMIT(TRACE_WAKE, 2 + i, 0, 0, TRACE_WAKE_CHILD);
	}
	EMIT(TRACE_POLL_BEGIN, m, 0, 0, 0);
	EMIT(TRACE_POLL_BEGIN, ja, m, 0, 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t foo = 2 + i, sl = n + 3 + i;
		EMIT(TRACE_POLL_BEGIN, foo, ja, 0, 0);
		EMIT(TRACE_POLL_BEGIN, sl, foo, 0, 0);
		EMIT(TRACE_POLL_END, sl, 0, 0, TRACE_READY);
		EMIT(TRACE_FUTURE_DROPPED, sl, 0, 0, 0);
		EMIT(TRACE_POLL_END, foo, 0, 0, TRACE_READY);
		EMIT(TRACE_FUTURE_DROPPED, foo, 0, 0, 0);
	}
	EMIT(TRACE_POLL_END, ja, 0, 0, TRACE_READY);
	EMIT(TRACE_POLL_END, m, 0, 0, TRACE_READY);
	EMIT(TRACE_RUN_END, 0, 0, 0, 0);
#undef EMIT
	ck_assert_int_eq(failed, 0);
	ck_assert_uint_gt(trace_log_count(log), 15u * n);
	ck_assert_uint_eq(trace_lint_fired_count(lints), 0);
	size_t bytes = trace_lint_bytes(lints) + trace_log_bytes(log);
	/* Two million futures (foo and sleep): about a byte each. */
	ck_assert_uint_le(bytes, 3u * 1024 * 1024);
	trace_lint_free(lints);
	trace_log_free(log);
}
END_TEST

/* The whole-run budget with the trace on is 400 bytes per future, and the
 * trace is most of it: each event is 24 bytes, so what matters is that
 * everything else (names and their index, the detectors, slack) stays small
 * per future. Checked at a tenth of the scale; per-future costs do not
 * depend on n. */
START_TEST(test_full_trace_overhead_per_future)
{
	const uint32_t n = 100000;
	trace_log *log = trace_log_new(TRACE_FULL);
	trace_lint *lints = trace_lint_new();
	trace_log_set_lints(log, lints);
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	char name[32];
	int failed = 0;
#define EMIT(k, f, aa, bb, fl)                                                 \
	do {                                                                   \
		ev.kind = (k);                                                 \
		ev.future = (f);                                               \
		ev.a = (aa);                                                   \
		ev.b = (bb);                                                   \
		ev.flags = (fl);                                               \
		failed += trace_log_emit(log, &ev) != 0;                       \
	} while (0)
	const uint32_t m = 1, ja = n + 2;
	EMIT(TRACE_FUTURE_CREATED, m, 0, trace_log_intern(log, "main()", 6),
	     TRACE_FT_ASYNC_FN);
	for (uint32_t i = 0; i < n; i++) {
		int len = snprintf(name, sizeof name, "foo(%u)", (unsigned)i);
		EMIT(TRACE_FUTURE_CREATED, 2 + i, m,
		     trace_log_intern(log, name, (size_t)len),
		     TRACE_FT_ASYNC_FN);
	}
	EMIT(TRACE_FUTURE_CREATED, ja, m,
	     trace_log_intern(log, "join_all[100000]", 16), TRACE_FT_JOIN_ALL);
	EMIT(TRACE_POLL_BEGIN, m, 0, 0, 0);
	EMIT(TRACE_POLL_BEGIN, ja, m, 0, 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t foo = 2 + i, sl = n + 3 + i;
		EMIT(TRACE_POLL_BEGIN, foo, ja, 0, 0);
		EMIT(TRACE_FUTURE_CREATED, sl, foo,
		     trace_log_intern(log, "sleep(1s)", 9), TRACE_FT_SLEEP);
		EMIT(TRACE_POLL_BEGIN, sl, foo, 0, 0);
		EMIT(TRACE_TIMER_ARMED, sl, 1000000000u, 0, 0);
		EMIT(TRACE_WAKER_REGISTERED, sl, 0, ja, 0);
		EMIT(TRACE_POLL_END, sl, 0, 0, TRACE_PENDING);
		EMIT(TRACE_POLL_END, foo, 1, 3, TRACE_PENDING);
	}
	EMIT(TRACE_POLL_END, ja, 0, 0, TRACE_PENDING);
	EMIT(TRACE_POLL_END, m, 1, 5, TRACE_PENDING);
	ev.time_ns = 1000000000u;
	for (uint32_t i = 0; i < n; i++) {
		EMIT(TRACE_TIMER_FIRED, n + 3 + i, 0, 0, 0);
		EMIT(TRACE_WAKE, 2 + i, 0, 0, TRACE_WAKE_CHILD);
	}
	EMIT(TRACE_POLL_BEGIN, m, 0, 0, 0);
	EMIT(TRACE_POLL_BEGIN, ja, m, 0, 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t foo = 2 + i, sl = n + 3 + i;
		EMIT(TRACE_POLL_BEGIN, foo, ja, 0, 0);
		EMIT(TRACE_POLL_BEGIN, sl, foo, 0, 0);
		EMIT(TRACE_POLL_END, sl, 0, 0, TRACE_READY);
		EMIT(TRACE_FUTURE_DROPPED, sl, 0, 0, 0);
		EMIT(TRACE_POLL_END, foo, 0, 0, TRACE_READY);
		EMIT(TRACE_FUTURE_DROPPED, foo, 0, 0, 0);
	}
	EMIT(TRACE_POLL_END, ja, 0, 0, TRACE_READY);
	EMIT(TRACE_POLL_END, m, 0, 0, TRACE_READY);
	EMIT(TRACE_RUN_END, 0, 0, 0, 0);
#undef EMIT
	ck_assert_int_eq(failed, 0);
	ck_assert_uint_eq(trace_lint_fired_count(lints), 0);
	size_t bytes = trace_lint_bytes(lints) + trace_log_bytes(log);
	uint64_t events = trace_log_count(log);
	ck_assert_uint_ge(bytes, 24 * events);
	ck_assert_uint_le(bytes - 24 * events, 64u * n);
	trace_lint_free(lints);
	trace_log_free(log);
}
END_TEST

Suite *
suite_trace_lint(void)
{
	Suite *s = suite_create("trace_lint");
	TCase *tc = tcase_create("lints");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_correct_program_is_clean);
	tcase_add_test(tc, test_blocking_in_async_fires);
	tcase_add_test(tc, test_blocking_outside_poll_is_fine);
	tcase_add_test(tc, test_blocking_join_names_threads);
	tcase_add_test(tc, test_sequential_await_fires);
	tcase_add_test(tc, test_join_all_is_not_sequential);
	tcase_add_test(tc, test_await_in_loop_creating_each_is_not_flagged);
	tcase_add_test(tc, test_sequential_exemptions);
	tcase_add_test(tc, test_never_awaited_dropped);
	tcase_add_test(tc, test_never_awaited_left_at_end);
	tcase_add_test(tc, test_never_awaited_not_after_panic);
	tcase_add_test(tc, test_finish_is_explicit_and_idempotent);
	tcase_add_test(tc, test_lost_wakeup_from_simulator_event);
	tcase_add_test(tc, test_lost_wakeup_reported);
	tcase_add_test(tc, test_busy_wake_fires);
	tcase_add_test(tc, test_busy_wake_needs_consecutive_idle_polls);
	tcase_add_test(tc, test_allow_and_warn);
	tcase_add_test(tc, test_fired_names_in_order);
	tcase_add_test(tc, test_count_mode_names);
	tcase_add_test(tc, test_feed_without_log);
	suite_add_tcase(s, tc);

	TCase *big = tcase_create("scale");
	tcase_set_timeout(big, 120);
	tcase_add_test(big, test_million_futures_count_mode_memory);
	tcase_add_test(big, test_full_trace_overhead_per_future);
	suite_add_tcase(s, big);
	return s;
}
