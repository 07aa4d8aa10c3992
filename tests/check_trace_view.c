#include "config.h"

#include "check_suites.h"
#include "check_util.h"

#include "trace/trace_view.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The first scenario: join_all of three futures that each sleep.
 * Ids: main() 1, foo(1..3) 2..4, join_all[3] 5, the sleeps 6..8. */
static const char JOIN3[] =
        "use futures::future;\n"
        "use std::time::Duration;\n"
        "\n"
        "async fn foo(n: u64) {\n"
        "    println!(\"foo {n} begins\");\n"
        "    tokio::time::sleep(Duration::from_secs(1)).await;\n"
        "    println!(\"foo {n} is over\");\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let mut v = Vec::new();\n"
        "    for n in 1..=3 {\n"
        "        v.push(foo(n));\n"
        "    }\n"
        "    future::join_all(v).await;\n"
        "}\n";

/* Blocking inside async: thread::sleep in a poll. */
static const char BLOCKING[] =
        "use futures::future;\n"
        "use std::thread;\n"
        "use std::time::Duration;\n"
        "\n"
        "async fn job(n: u64) {\n"
        "    println!(\"job {n} begins\");\n"
        "    thread::sleep(Duration::from_millis(500));\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let mut jobs = Vec::new();\n"
        "    for n in 1..=2 {\n"
        "        jobs.push(job(n));\n"
        "    }\n"
        "    future::join_all(jobs).await;\n"
        "}\n";

/* Tasks: tokio::spawn, JoinHandles, the run queue. Ids: main() 1, then
 * per n: square(n) and its JoinHandle. */
static const char SPAWN[] =
        "use std::time::Duration;\n"
        "\n"
        "async fn square(n: u64) -> u64 {\n"
        "    tokio::time::sleep(Duration::from_millis(100 * n)).await;\n"
        "    n * n\n"
        "}\n"
        "\n"
        "#[tokio::main(flavor = \"current_thread\")]\n"
        "async fn main() {\n"
        "    let mut handles = Vec::new();\n"
        "    for n in 1..=3 {\n"
        "        handles.push(tokio::spawn(square(n)));\n"
        "    }\n"
        "    let mut total = 0;\n"
        "    for h in handles {\n"
        "        total += h.await.unwrap();\n"
        "    }\n"
        "    println!(\"total {total}\");\n"
        "}\n";

/* OS threads next to an executor. */
static const char THREADS[] =
        "use std::thread;\n"
        "use std::time::Duration;\n"
        "\n"
        "async fn later() {\n"
        "    tokio::time::sleep(Duration::from_millis(300)).await;\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let t = thread::spawn(|| {\n"
        "        thread::sleep(Duration::from_millis(200));\n"
        "        println!(\"thread done\");\n"
        "    });\n"
        "    later().await;\n"
        "    t.join().unwrap();\n"
        "}\n";

/* join! and an async block, so the tree has another shape. */
static const char JOINMACRO[] =
        "use std::time::Duration;\n"
        "\n"
        "async fn a() -> u32 {\n"
        "    tokio::time::sleep(Duration::from_millis(30)).await;\n"
        "    1\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let b = async {\n"
        "        tokio::time::sleep(Duration::from_millis(20)).await;\n"
        "        2\n"
        "    };\n"
        "    let (x, y) = tokio::join!(a(), b);\n"
        "    println!(\"{}\", x + y);\n"
        "}\n";

/* --- helpers -------------------------------------------------------------- */

static void
run_ok(prog_run *r, const char *src)
{
	run_program(r, src);
	ck_assert_msg(r->compiled, "did not compile: %s",
	              r->diags.len ? r->diags.items[0].message : "?");
	ck_assert_int_eq(r->status, 0);
}

static trace_view *
view_of(const prog_run *r)
{
	trace_view *v = trace_view_new(r->log, r->prog);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* The cursor just after an event (which must exist). */
static void
seek_after(trace_view *v, size_t event)
{
	ck_assert_uint_ne(event, SIZE_MAX);
	trace_view_seek(v, event + 1);
}

static const char *
narration(const trace_view *v)
{
	static char buf[TRACE_VIEW_SENTENCE_MAX];
	trace_view_narrate(v, buf, sizeof buf);
	return buf;
}

/* The visible rows, all of them (the small programs only). */
static size_t
all_rows(const trace_view *v, trace_view_row *rows, size_t max)
{
	size_t n = trace_view_rows(v);
	ck_assert_uint_le(n, max);
	ck_assert_uint_eq(trace_view_window(v, 0, max, rows), n);
	return n;
}

static void
assert_row(const trace_view_row *row, uint32_t future, const char *name,
           uint32_t depth, uint32_t parent, trace_view_fstate state,
           uint64_t polls, const char *waiting)
{
	ck_assert_uint_eq(row->future, future);
	ck_assert_str_eq(row->name, name);
	ck_assert_uint_eq(row->depth, depth);
	ck_assert_uint_eq(row->parent, parent);
	ck_assert_str_eq(trace_view_fstate_name(row->state),
	                 trace_view_fstate_name(state));
	ck_assert_uint_eq(row->polls, polls);
	ck_assert_str_eq(row->waiting, waiting);
}

static void
assert_counts(const trace_view *v, uint64_t created, uint64_t polling,
              uint64_t pending, uint64_t woken, uint64_t ready,
              uint64_t dropped)
{
	uint64_t c[TRACE_VIEW_F_COUNT];
	trace_view_counts(v, c);
	ck_assert_uint_eq(c[TRACE_VIEW_F_CREATED], created);
	ck_assert_uint_eq(c[TRACE_VIEW_F_POLLING], polling);
	ck_assert_uint_eq(c[TRACE_VIEW_F_PENDING], pending);
	ck_assert_uint_eq(c[TRACE_VIEW_F_WOKEN], woken);
	ck_assert_uint_eq(c[TRACE_VIEW_F_READY], ready);
	ck_assert_uint_eq(c[TRACE_VIEW_F_DROPPED], dropped);
}

/* The nth event of a kind (0-based), SIZE_MAX if none. */
static size_t
nth_event(const prog_run *r, trace_kind kind, uint32_t future, int nth)
{
	size_t i = 0;
	for (;;) {
		i = find_event(r, i, kind, future);
		if (i == SIZE_MAX || nth-- == 0)
			return i;
		i++;
	}
}

/* --- digests: everything the view derives, hashed ------------------------ */

typedef struct digest {
	uint64_t h;
} digest;

static void
dg_bytes(digest *d, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		d->h ^= b[i];
		d->h *= 1099511628211u;
	}
}

static void
dg_u64(digest *d, uint64_t x)
{
	dg_bytes(d, &x, sizeof x);
}

static void
dg_str(digest *d, const char *s)
{
	dg_bytes(d, s, strlen(s) + 1);
}

static void
dg_row(digest *d, const trace_view_row *r)
{
	dg_u64(d, r->future);
	dg_u64(d, r->parent);
	dg_u64(d, r->task);
	dg_u64(d, r->depth);
	dg_u64(d, r->type);
	dg_u64(d, r->state);
	dg_u64(d, r->polls);
	dg_u64(d, r->created);
	dg_u64(d, (uint64_t)r->has_children);
	dg_u64(d, (uint64_t)r->folded);
	dg_str(d, r->name);
	dg_str(d, r->waiting);
}

/* Everything at the cursor. `rows` limits the rows and strips hashed
 * (from row `first`), so that big traces stay cheap. */
static uint64_t
view_digest(const trace_view *v, size_t first, size_t rows)
{
	digest d = {14695981039346656037u};
	char buf[TRACE_VIEW_SENTENCE_MAX];
	uint64_t counts[TRACE_VIEW_F_COUNT];
	dg_u64(&d, trace_view_cursor(v));
	dg_u64(&d, trace_view_now(v));
	trace_view_counts(v, counts);
	dg_bytes(&d, counts, sizeof counts);
	for (int s = 0; s < TRACE_VIEW_STEP_COUNT; s++) {
		uint64_t i, m;
		trace_view_tick(v, (trace_view_step)s, &i, &m);
		dg_u64(&d, i);
		dg_u64(&d, m);
	}
	dg_u64(&d, trace_view_futures_created(v));
	dg_u64(&d, trace_view_rows(v));
	trace_view_row row[16];
	trace_view_cell cells[24];
	uint32_t dens[24];
	uint64_t end = trace_view_end_time(v) + 1;
	for (size_t at = first; at < first + rows;) {
		size_t want = first + rows - at < 16 ? first + rows - at : 16;
		size_t k = trace_view_window(v, at, want, row);
		for (size_t i = 0; i < k; i++) {
			dg_row(&d, &row[i]);
			ck_assert_int_eq(trace_view_strip(v, row[i].future, 0,
			                                  end, cells, 24),
			                 0);
			dg_bytes(&d, cells, sizeof cells);
			dg_u64(&d, trace_view_row_of(v, row[i].future));
			trace_view_machine sm;
			if (trace_view_sm(v, row[i].future, &sm) == 0) {
				dg_u64(&d, sm.nstates);
				dg_u64(&d, sm.current);
				dg_u64(&d, (uint64_t)sm.polling);
				for (uint32_t l = 0; l < sm.nlocals; l++) {
					trace_view_local loc;
					ck_assert_int_eq(trace_view_sm_local(
					                         v, &sm, l, &loc),
					                 0);
					dg_str(&d, loc.name);
					dg_str(&d, loc.value);
				}
			}
		}
		if (k < want)
			break;
		at += k;
	}
	dg_u64(&d, trace_view_density(v, 0, end, dens, 24));
	dg_bytes(&d, dens, sizeof dens);
	for (uint32_t t = 0; t < trace_view_threads(v); t++) {
		trace_view_thread_row tr;
		trace_view_pos pos;
		ck_assert_int_eq(trace_view_thread(v, t, &tr), 0);
		dg_u64(&d, tr.state);
		dg_u64(&d, tr.block);
		dg_u64(&d, (uint64_t)tr.in_poll);
		dg_u64(&d, tr.until_ns);
		dg_u64(&d, tr.polling);
		dg_u64(&d, tr.cpu_ns);
		dg_str(&d, tr.name);
		dg_str(&d, tr.doing);
		if (trace_view_source_pos(v, t, &pos) == 0) {
			dg_u64(&d, pos.line);
			dg_u64(&d, pos.await);
			dg_u64(&d, pos.event);
		}
	}
	trace_view_queued q[8];
	size_t nq = trace_view_run_queue(v, q, 8);
	dg_u64(&d, nq);
	for (size_t i = 0; i < nq && i < 8; i++) {
		dg_u64(&d, q[i].task);
		dg_u64(&d, q[i].future);
		dg_u64(&d, q[i].event);
	}
	trace_view_timer tm[8];
	size_t nt = trace_view_timers(v, tm, 8);
	dg_u64(&d, nt);
	for (size_t i = 0; i < nt && i < 8; i++) {
		dg_u64(&d, tm[i].future);
		dg_u64(&d, tm[i].deadline_ns);
	}
	trace_view_wake w;
	if (trace_view_last_wake(v, &w) == 0)
		dg_u64(&d, w.event);
	size_t nl = trace_view_output_lines(v);
	dg_u64(&d, nl);
	for (size_t i = nl > 4 ? nl - 4 : 0; i < nl; i++) {
		trace_view_output_line(v, i, buf, sizeof buf, NULL);
		dg_str(&d, buf);
	}
	dg_str(&d, narration(v));
	for (size_t i = 0; i < trace_view_lints(v); i++) {
		trace_view_lint_row l;
		ck_assert_int_eq(trace_view_lint(v, i, &l), 0);
		dg_u64(&d, l.id);
		dg_str(&d, l.detail);
	}
	return d.h;
}

/* The counts must agree with the states of the futures one by one: the
 * snapshots and replay on one side, the per-future lookups on the other. */
static void
assert_counts_match_rows(const trace_view *v)
{
	uint64_t want[TRACE_VIEW_F_COUNT] = {0}, got[TRACE_VIEW_F_COUNT];
	for (uint32_t f = 1; f <= trace_view_futures(v); f++) {
		trace_view_row r;
		ck_assert_int_eq(trace_view_future(v, f, &r), 0);
		want[r.state]++;
	}
	trace_view_counts(v, got);
	for (int s = 0; s < TRACE_VIEW_F_COUNT; s++)
		ck_assert_msg(want[s] == got[s],
		              "cursor %zu: %s: counts say %" PRIu64
		              ", futures say %" PRIu64,
		              trace_view_cursor(v),
		              trace_view_fstate_name((trace_view_fstate)s),
		              got[s], want[s]);
}

/* Walks forward one event at a time, then visits the same cursors in a
 * scrambled order and backward: the derived state must be identical. */
static void
assert_seek_consistent(const char *src)
{
	prog_run r;
	run_ok(&r, src);
	trace_view *v = view_of(&r);
	size_t n = trace_view_events(v);
	uint64_t *fwd = calloc(n + 1, sizeof *fwd);
	ck_assert_ptr_nonnull(fwd);
	trace_view_first(v);
	for (size_t c = 0;; c++) {
		ck_assert_uint_eq(trace_view_cursor(v), c);
		fwd[c] = view_digest(v, 0, 64);
		assert_counts_match_rows(v);
		if (!trace_view_next(v, TRACE_VIEW_STEP_EVENT))
			break;
	}
	ck_assert_uint_eq(trace_view_cursor(v), n);
	/* Backward, one event at a time. */
	for (size_t c = n; c > 0; c--) {
		ck_assert_int_eq(trace_view_prev(v, TRACE_VIEW_STEP_EVENT), 1);
		ck_assert_msg(view_digest(v, 0, 64) == fwd[c - 1],
		              "cursor %zu differs walking back", c - 1);
	}
	ck_assert_int_eq(trace_view_prev(v, TRACE_VIEW_STEP_EVENT), 0);
	/* Jumps: a fixed pseudo-random order. */
	uint64_t x = 88172645463325252u;
	for (size_t k = 0; k < 2 * n; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t c = (size_t)(x % (n + 1));
		trace_view_seek(v, c);
		ck_assert_msg(view_digest(v, 0, 64) == fwd[c],
		              "cursor %zu differs after a jump", c);
	}
	free(fwd);
	trace_view_free(v);
	prog_run_free(&r);
}

/* --- the join_all scenario ------------------------------------------------ */

START_TEST(test_join3_before_join_all)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	ck_assert_uint_eq(trace_view_futures(v), 8);
	trace_view_row row[16];

	ck_assert_uint_eq(trace_view_cursor(v), 0);
	ck_assert_uint_eq(trace_view_rows(v), 0);
	ck_assert_str_eq(narration(v), "Nothing has happened yet: the program "
	                               "is about to start.");

	/* The three futures exist before join_all does: they show under
	 * main(), their creator and (for now) nearest ancestor. */
	seek_after(v, nth_event(&r, TRACE_FUTURE_CREATED, 4, 0));
	ck_assert_uint_eq(all_rows(v, row, 16), 4);
	assert_row(&row[0], 1, "main()", 0, 0, TRACE_VIEW_F_POLLING, 1, "");
	ck_assert_int_eq(row[0].has_children, 1);
	assert_row(&row[1], 2, "foo(1)", 1, 1, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	assert_row(&row[3], 4, "foo(3)", 1, 1, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	ck_assert_int_eq(row[3].has_children, 0);
	ck_assert_str_eq(narration(v), "main() calls foo(3): that only creates "
	                               "a future; none of its body runs until "
	                               "it is polled.");
	assert_counts(v, 3, 1, 0, 0, 0, 0);

	/* join_all takes them over as soon as it exists. */
	seek_after(v, nth_event(&r, TRACE_FUTURE_CREATED, 5, 0));
	ck_assert_uint_eq(all_rows(v, row, 16), 5);
	assert_row(&row[1], 5, "join_all[3]", 1, 1, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	ck_assert_int_eq(row[1].type, TRACE_FT_JOIN_ALL);
	assert_row(&row[2], 2, "foo(1)", 2, 5, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	assert_row(&row[4], 4, "foo(3)", 2, 5, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	ck_assert_str_eq(narration(v), "main() hands its futures to "
	                               "join_all[3], which will poll them all "
	                               "together.");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join3_first_pending)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_row row[16];

	/* foo(1) has just returned Pending. */
	seek_after(v, nth_event(&r, TRACE_POLL_END, 2, 0));
	ck_assert_str_eq(narration(v), "foo(1) returned Pending: its sleep is "
	                               "armed for 1.001 s, so join_all[3] "
	                               "moves on to foo(2).");
	ck_assert_uint_eq(all_rows(v, row, 16), 6);
	assert_row(&row[0], 1, "main()", 0, 0, TRACE_VIEW_F_POLLING, 1, "");
	assert_row(&row[1], 5, "join_all[3]", 1, 1, TRACE_VIEW_F_POLLING, 1,
	           "");
	assert_row(&row[2], 2, "foo(1)", 2, 5, TRACE_VIEW_F_PENDING, 1,
	           "timer at 1.001 s");
	assert_row(&row[3], 6, "sleep(1s)", 3, 2, TRACE_VIEW_F_PENDING, 1,
	           "timer at 1.001 s");
	assert_row(&row[4], 3, "foo(2)", 2, 5, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	assert_row(&row[5], 4, "foo(3)", 2, 5, TRACE_VIEW_F_CREATED, 0,
	           "its first poll");
	assert_counts(v, 2, 2, 2, 0, 0, 0);

	trace_view_thread_row th;
	ck_assert_uint_eq(trace_view_threads(v), 1);
	ck_assert_int_eq(trace_view_thread(v, 0, &th), 0);
	ck_assert_str_eq(th.name, "main");
	ck_assert_int_eq(th.state, TRACE_VIEW_T_RUNNING);
	ck_assert_uint_eq(th.polling, 5);
	ck_assert_str_eq(th.doing, "polling join_all[3]");
	ck_assert_uint_eq(th.cpu_ns, trace_view_now(v));

	/* The running line is foo(1)'s await point. */
	trace_view_pos pos;
	ck_assert_int_eq(trace_view_source_pos(v, 0, &pos), 0);
	ck_assert_uint_eq(pos.line, 6);
	ck_assert_uint_eq(pos.await, 1);
	ck_assert_uint_eq(pos.future, 2);
	ck_assert(trace_view_is_await_line(v, 6));
	ck_assert(!trace_view_is_await_line(v, 5));
	size_t len;
	const char *text = trace_view_source_line(v, 6, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(strncmp(text, "    tokio::time::sleep(", 23), 0);
	ck_assert_uint_eq(trace_view_source_lines(v), 17);

	trace_view_timer tm[4];
	ck_assert_uint_eq(trace_view_timers(v, tm, 4), 1);
	ck_assert_uint_eq(tm[0].future, 6);
	ck_assert_uint_eq(tm[0].deadline_ns, 1001000000u);

	/* Steps back: foo(1) records its state (the simulator does that
	 * just before the poll ends), and before that its sleep returned
	 * Pending; all the while foo(1) is polling. */
	trace_view_prev(v, TRACE_VIEW_STEP_EVENT);
	ck_assert_str_eq(narration(v),
	                 "foo(1) keeps n = 1 in its state while it waits.");
	trace_view_prev(v, TRACE_VIEW_STEP_EVENT);
	trace_view_prev(v, TRACE_VIEW_STEP_EVENT);
	ck_assert_str_eq(narration(v), "sleep(1s) returned Pending: its timer "
	                               "is armed for 1.001 s, so foo(1) "
	                               "returns Pending too.");
	trace_view_future(v, 2, &row[0]);
	assert_row(&row[0], 2, "foo(1)", 2, 5, TRACE_VIEW_F_POLLING, 1, "");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join3_park_and_wake)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_row row[16];

	seek_after(v, find_event(&r, 0, TRACE_THREAD_BLOCKED, 0));
	ck_assert_str_eq(narration(v), "The executor has nothing to run, so "
	                               "main parks until the next timer, at "
	                               "1.001 s.");
	ck_assert_uint_eq(all_rows(v, row, 16), 8);
	assert_row(&row[0], 1, "main()", 0, 0, TRACE_VIEW_F_PENDING, 1,
	           "child join_all[3]");
	assert_row(&row[1], 5, "join_all[3]", 1, 1, TRACE_VIEW_F_PENDING, 1,
	           "children (0 of 3 done)");
	assert_counts(v, 0, 0, 8, 0, 0, 0);
	trace_view_thread_row th;
	trace_view_thread(v, 0, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_BLOCKED);
	ck_assert_uint_eq(th.block, TRACE_BLOCK_PARK);
	ck_assert_int_eq(th.in_poll, 0);
	ck_assert_uint_eq(th.until_ns, 1001000000u);
	ck_assert_str_eq(th.doing, "parked until 1.001 s");
	ck_assert_uint_eq(th.polling, 0);
	trace_view_timer tm[4];
	ck_assert_uint_eq(trace_view_timers(v, tm, 4), 3);
	ck_assert_uint_eq(tm[0].future, 6);
	ck_assert_uint_eq(tm[1].future, 7);
	ck_assert_uint_eq(tm[2].future, 8);
	trace_view_queued q[4];
	ck_assert_uint_eq(trace_view_run_queue(v, q, 4), 0);
	trace_view_wake w;
	ck_assert_int_eq(trace_view_last_wake(v, &w), -1);
	uint64_t cpu_at_park = th.cpu_ns;

	/* The clock jumps; the park does not count as CPU time. */
	seek_after(v, find_event(&r, 0, TRACE_CLOCK_ADVANCE, 0));
	ck_assert_str_eq(narration(v), "The clock jumps to 1.001 s: nothing "
	                               "can run until the first timer fires.");
	ck_assert_uint_eq(trace_view_now(v), 1001000000u);
	trace_view_thread(v, 0, &th);
	ck_assert_uint_eq(th.cpu_ns, cpu_at_park);

	/* The first timer wakes main's task. */
	seek_after(v, find_event(&r, 0, TRACE_WAKE, 0));
	ck_assert_str_eq(narration(v), "The timer wakes main(): task 0 can be "
	                               "polled again.");
	trace_view_future(v, 1, &row[0]);
	assert_row(&row[0], 1, "main()", 0, 0, TRACE_VIEW_F_WOKEN, 1,
	           "a poll: woken by the timer");
	assert_counts(v, 0, 0, 7, 1, 0, 0);
	ck_assert_uint_eq(trace_view_run_queue(v, q, 4), 1);
	ck_assert_uint_eq(q[0].task, 0);
	ck_assert_uint_eq(q[0].future, 1);
	ck_assert_int_eq(trace_view_last_wake(v, &w), 0);
	ck_assert_uint_eq(w.target, 1);
	ck_assert_uint_eq(w.by, 0);
	ck_assert_int_eq(w.child, 0);
	ck_assert_uint_eq(trace_view_timers(v, tm, 4), 2);
	ck_assert_uint_eq(tm[0].future, 7);

	/* Polled again, the queue is empty and main() is polling. */
	seek_after(v, nth_event(&r, TRACE_POLL_BEGIN, 1, 1));
	ck_assert_str_eq(narration(v), "The executor polls main() (task 0) "
	                               "again.");
	ck_assert_uint_eq(trace_view_run_queue(v, q, 4), 0);
	trace_view_future(v, 1, &row[0]);
	ck_assert_int_eq(row[0].state, TRACE_VIEW_F_POLLING);
	ck_assert_uint_eq(row[0].polls, 2);

	/* foo(1) finishes and join_all moves on. */
	seek_after(v, nth_event(&r, TRACE_POLL_END, 2, 1));
	ck_assert_str_eq(narration(v), "foo(1) returned Ready: it is finished, "
	                               "so join_all[3] moves on to foo(2).");
	trace_view_future(v, 5, &row[0]);
	ck_assert_str_eq(row[0].waiting, "");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_join3_end)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_row row[16];
	trace_view_last(v);
	ck_assert_uint_eq(trace_view_cursor(v), trace_view_events(v));
	ck_assert_str_eq(narration(v), "The run ends with exit status 0.");
	assert_counts(v, 0, 0, 0, 0, 0, 8);
	ck_assert_uint_eq(all_rows(v, row, 16), 8);
	assert_row(&row[2], 2, "foo(1)", 2, 5, TRACE_VIEW_F_DROPPED, 2, "");
	ck_assert_uint_eq(trace_view_output_lines(v), 6);
	ck_assert_int_eq(trace_view_output_partial(v), 0);
	char line[64];
	int stream = 0;
	ck_assert_uint_eq(trace_view_output_line(v, 0, line, sizeof line,
	                                         &stream),
	                  12);
	ck_assert_str_eq(line, "foo 1 begins");
	ck_assert_int_eq(stream, 1);
	trace_view_output_line(v, 5, line, sizeof line, NULL);
	ck_assert_str_eq(line, "foo 3 is over");
	ck_assert_uint_eq(trace_view_output_line(v, 6, line, sizeof line, NULL),
	                  0);
	ck_assert_str_eq(line, "");
	trace_view_thread_row th;
	trace_view_thread(v, 0, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_EXITED);
	ck_assert_str_eq(th.doing, "exited");
	/* main ran everything on one thread; parked for about a second. */
	ck_assert_uint_lt(th.cpu_ns, 20000u);
	ck_assert_uint_eq(trace_view_lints(v), 0);
	uint64_t i, m;
	trace_view_tick(v, TRACE_VIEW_STEP_EVENT, &i, &m);
	ck_assert_uint_eq(i, trace_view_events(v));
	ck_assert_uint_eq(m, trace_view_events(v));
	trace_view_tick(v, TRACE_VIEW_STEP_POLL, &i, &m);
	ck_assert_uint_eq(i, m);
	ck_assert_uint_eq(m, 2 * 16 + 1);
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

/* --- stepping ------------------------------------------------------------- */

static int
is_poll_event(const prog_run *r, size_t i)
{
	uint8_t k = ev_at(r, i)->kind;
	return k == TRACE_POLL_BEGIN || k == TRACE_POLL_END;
}

static int
is_instant_stop(const prog_run *r, size_t c)
{
	size_t n = ev_count(r);
	/* An instant is a millisecond of virtual time. */
	return c == n || (c > 0 && ev_at(r, c - 1)->time_ns / TRACE_VIEW_INSTANT_NS <
	                                   ev_at(r, c)->time_ns / TRACE_VIEW_INSTANT_NS);
}

static void
assert_steps(const char *src)
{
	prog_run r;
	run_ok(&r, src);
	trace_view *v = view_of(&r);
	size_t n = trace_view_events(v);
	for (int s = 0; s < TRACE_VIEW_STEP_COUNT; s++) {
		trace_view_step step = (trace_view_step)s;
		/* The stops, computed the slow way. */
		size_t *stops = calloc(n + 2, sizeof *stops), ns = 0;
		ck_assert_ptr_nonnull(stops);
		stops[ns++] = 0;
		for (size_t c = 1; c <= n; c++)
			if (step == TRACE_VIEW_STEP_EVENT || c == n ||
			    (step == TRACE_VIEW_STEP_POLL
			             ? is_poll_event(&r, c - 1)
			             : is_instant_stop(&r, c)))
				stops[ns++] = c;
		uint64_t i, m;
		trace_view_first(v);
		for (size_t k = 0; k < ns; k++) {
			ck_assert_uint_eq(trace_view_cursor(v), stops[k]);
			trace_view_tick(v, step, &i, &m);
			ck_assert_uint_eq(i, k);
			ck_assert_uint_eq(m, ns - 1);
			ck_assert_int_eq(trace_view_next(v, step), k + 1 < ns);
		}
		for (size_t k = ns; k-- > 0;) {
			ck_assert_uint_eq(trace_view_cursor(v), stops[k]);
			ck_assert_int_eq(trace_view_prev(v, step), k > 0);
		}
		/* From a cursor between stops, next and prev go to the
		 * neighbouring stops. */
		for (size_t k = 0; k + 1 < ns; k++) {
			if (stops[k + 1] - stops[k] < 2)
				continue;
			size_t mid = stops[k] + 1;
			trace_view_seek(v, mid);
			trace_view_tick(v, step, &i, &m);
			ck_assert_uint_eq(i, k);
			trace_view_next(v, step);
			ck_assert_uint_eq(trace_view_cursor(v), stops[k + 1]);
			trace_view_seek(v, mid);
			trace_view_prev(v, step);
			ck_assert_uint_eq(trace_view_cursor(v), stops[k]);
		}
		free(stops);
	}
	trace_view_free(v);
	prog_run_free(&r);
}

START_TEST(test_steps)
{
	assert_steps(JOIN3);
	assert_steps(BLOCKING);
	assert_steps(THREADS);
}
END_TEST

START_TEST(test_seek_time)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	size_t adv = find_event(&r, 0, TRACE_CLOCK_ADVANCE, 0);
	ck_assert_uint_eq(trace_view_seek_time(v, 0), 0);
	/* Between two event times: the first cursor whose clock is at or
	 * after it is the one right after the jump. */
	ck_assert_uint_eq(trace_view_seek_time(v, 500000000u), adv + 1);
	ck_assert_uint_eq(trace_view_cursor(v), adv + 1);
	ck_assert_uint_eq(trace_view_seek_time(v, 1001000000u), adv + 1);
	size_t first_late = 0;
	while (ev_at(&r, first_late)->time_ns < 1)
		first_late++;
	ck_assert_uint_eq(trace_view_seek_time(v, 1u), first_late + 1);
	ck_assert_uint_ge(trace_view_now(v), 1u);
	trace_view_prev(v, TRACE_VIEW_STEP_EVENT);
	ck_assert_uint_eq(trace_view_now(v), 0);
	ck_assert_uint_eq(trace_view_seek_time(v, UINT64_MAX),
	                  trace_view_events(v));
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

/* --- folding -------------------------------------------------------------- */

START_TEST(test_fold)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_row row[16];

	/* Folding join_all before it exists hides nothing: its future
	 * children show under main(). */
	ck_assert_int_eq(trace_view_fold(v, 5, 1), 0);
	ck_assert_int_eq(trace_view_is_folded(v, 5), 1);
	seek_after(v, nth_event(&r, TRACE_FUTURE_CREATED, 4, 0));
	ck_assert_uint_eq(trace_view_rows(v), 4);

	/* Once it exists, its subtree is hidden, and stays hidden across
	 * seeks. */
	seek_after(v, find_event(&r, 0, TRACE_THREAD_BLOCKED, 0));
	ck_assert_uint_eq(all_rows(v, row, 16), 2);
	assert_row(&row[1], 5, "join_all[3]", 1, 1, TRACE_VIEW_F_PENDING, 1,
	           "children (0 of 3 done)");
	ck_assert_int_eq(row[1].folded, 1);
	ck_assert_int_eq(row[1].has_children, 1);
	ck_assert_uint_eq(trace_view_row_of(v, 2), SIZE_MAX);
	ck_assert_uint_eq(trace_view_row_of(v, 5), 1);

	/* Fold a leaf's parent inside: foo(2) (its sleep hidden). */
	ck_assert_int_eq(trace_view_fold(v, 5, 0), 0);
	ck_assert_int_eq(trace_view_fold(v, 3, 1), 0);
	ck_assert_uint_eq(all_rows(v, row, 16), 7);
	ck_assert_uint_eq(row[4].future, 3);
	ck_assert_int_eq(row[4].folded, 1);
	ck_assert_uint_eq(row[5].future, 4);
	ck_assert_uint_eq(trace_view_row_of(v, 4), 5);
	ck_assert_uint_eq(trace_view_row_of(v, 7), SIZE_MAX);

	/* Nested folds: the outer one wins; unfolding it shows the inner. */
	ck_assert_int_eq(trace_view_fold(v, 5, 1), 0);
	ck_assert_uint_eq(trace_view_rows(v), 2);
	ck_assert_int_eq(trace_view_fold(v, 5, 0), 0);
	ck_assert_uint_eq(trace_view_rows(v), 7);
	trace_view_unfold_all(v);
	ck_assert_int_eq(trace_view_is_folded(v, 3), 0);
	ck_assert_uint_eq(trace_view_rows(v), 8);

	/* Windows: rows from the middle, and past the end. */
	ck_assert_uint_eq(trace_view_window(v, 6, 16, row), 2);
	ck_assert_uint_eq(row[0].future, 4);
	ck_assert_uint_eq(row[1].future, 8);
	ck_assert_uint_eq(trace_view_window(v, 8, 16, row), 0);
	ck_assert_int_eq(trace_view_fold(v, 99, 1), -1);
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

/* --- strips --------------------------------------------------------------- */

START_TEST(test_strips)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_cell cells[10];
	uint32_t dens[10];
	uint64_t end = trace_view_end_time(v) + 1;

	trace_view_last(v);
	ck_assert_int_eq(trace_view_strip(v, 2, 0, end, cells, 10), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_POLLING);
	for (int j = 1; j < 9; j++)
		ck_assert_int_eq(cells[j], TRACE_VIEW_CELL_PENDING);
	ck_assert_int_eq(cells[9], TRACE_VIEW_CELL_POLLING);
	/* Polls in the first and the last tenth, none between. */
	ck_assert_uint_eq(trace_view_density(v, 0, end, dens, 10), 8);
	ck_assert_uint_eq(dens[0], 8);
	ck_assert_uint_eq(dens[9], 8);
	ck_assert_uint_eq(dens[5], 0);

	/* foo(1)'s sleep is dropped at 1.001 s, as soon as it is Ready;
	 * foo(1) itself is Ready then, and dropped only at the very end. In
	 * a cell where it was Ready and then dropped, Ready wins. */
	uint64_t t = ev_at(&r, find_event(&r, 0, TRACE_FUTURE_DROPPED, 6))
	                     ->time_ns;
	ck_assert_int_eq(trace_view_strip(v, 6, t + 1, end, cells, 1), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_DROPPED);
	t = ev_at(&r, find_event(&r, 0, TRACE_FUTURE_DROPPED, 2))->time_ns;
	ck_assert_int_eq(trace_view_strip(v, 2, t, t + 1, cells, 1), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_READY);

	/* Never past the cursor: early on, only the first cell is known. */
	seek_after(v, nth_event(&r, TRACE_POLL_END, 2, 0));
	ck_assert_int_eq(trace_view_strip(v, 2, 0, end, cells, 10), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_POLLING);
	for (int j = 1; j < 10; j++)
		ck_assert_int_eq(cells[j], TRACE_VIEW_CELL_NONE);
	/* foo(3) exists but was never polled yet. */
	ck_assert_int_eq(trace_view_strip(v, 4, 0, 1000000, cells, 1), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_CREATED);
	/* Not created yet. */
	ck_assert_int_eq(trace_view_strip(v, 8, 0, end, cells, 10), 0);
	ck_assert_int_eq(cells[0], TRACE_VIEW_CELL_NONE);
	ck_assert_int_eq(trace_view_strip(v, 2, 5, 5, cells, 10), -1);
	ck_assert_int_eq(trace_view_strip(v, 99, 0, end, cells, 10), -1);
	trace_view_density(v, 0, end, dens, 10);
	ck_assert_uint_eq(dens[0], 4); /* main(), join_all, foo(1), its sleep */
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

/* --- state machines ------------------------------------------------------- */

static void
assert_local(const trace_view *v, const trace_view_machine *sm, uint32_t i,
             const char *name, const char *value)
{
	trace_view_local loc;
	ck_assert_int_eq(trace_view_sm_local(v, sm, i, &loc), 0);
	ck_assert_str_eq(loc.name, name);
	ck_assert_str_eq(loc.value, value);
}

START_TEST(test_state_machine)
{
	prog_run r;
	run_ok(&r, JOIN3);
	trace_view *v = view_of(&r);
	trace_view_machine sm;
	trace_view_machine_state st;

	/* foo(2) created, never polled: Start. */
	seek_after(v, nth_event(&r, TRACE_FUTURE_CREATED, 3, 0));
	ck_assert_int_eq(trace_view_sm(v, 3, &sm), 0);
	ck_assert_int_eq(sm.known, 1);
	ck_assert_str_eq(sm.func, "foo");
	ck_assert_uint_eq(sm.nstates, 3);
	ck_assert_uint_eq(sm.current, 0);
	ck_assert_uint_eq(sm.nlocals, 0);
	ck_assert_int_eq(sm.polling, 0);
	ck_assert_int_eq(trace_view_sm_state(v, &sm, 0, &st), 0);
	ck_assert_str_eq(st.label, "Start");
	ck_assert_int_eq(trace_view_sm_state(v, &sm, 1, &st), 0);
	ck_assert_str_eq(st.label, "Await1");
	ck_assert_uint_eq(st.line, 6);
	ck_assert_uint_eq(st.col, 48);
	ck_assert_int_eq(trace_view_sm_state(v, &sm, 2, &st), 0);
	ck_assert_str_eq(st.label, "Done");
	ck_assert_int_eq(trace_view_sm_state(v, &sm, 3, &st), -1);

	/* Being polled the first time: still Start. */
	seek_after(v, nth_event(&r, TRACE_POLL_BEGIN, 3, 0));
	trace_view_sm(v, 3, &sm);
	ck_assert_uint_eq(sm.current, 0);
	ck_assert_int_eq(sm.polling, 1);

	/* Suspended at its await with n = 2: the state and locals come just
	 * before the POLL_END. */
	seek_after(v, nth_event(&r, TRACE_LOCAL, 3, 0));
	trace_view_sm(v, 3, &sm);
	ck_assert_uint_eq(sm.current, 1);
	trace_view_next(v, TRACE_VIEW_STEP_EVENT);
	trace_view_sm(v, 3, &sm);
	ck_assert_uint_eq(sm.current, 1);
	ck_assert_int_eq(sm.polling, 0);
	ck_assert_uint_eq(sm.nlocals, 1);
	assert_local(v, &sm, 0, "n", "2");
	ck_assert_int_eq(trace_view_sm_local(v, &sm, 1, &(trace_view_local){0}),
	                 -1);
	/* And main() keeps its Vec of futures. */
	seek_after(v, nth_event(&r, TRACE_LOCAL, 1, 0));
	trace_view_sm(v, 1, &sm);
	ck_assert_str_eq(sm.func, "main");
	ck_assert_uint_eq(sm.current, 1);
	assert_local(v, &sm, 0, "v", "[{future}, {future}, {future}]");

	/* Done at the end. */
	trace_view_last(v);
	trace_view_sm(v, 3, &sm);
	ck_assert_uint_eq(sm.current, 2);
	ck_assert_uint_eq(sm.nlocals, 0);

	/* Not an async fn. */
	ck_assert_int_eq(trace_view_sm(v, 5, &sm), -1);
	ck_assert_int_eq(trace_view_sm(v, 6, &sm), -1);
	trace_view_free(v);

	/* Without the program, the states come from the trace so far. */
	v = trace_view_new(r.log, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(trace_view_source_lines(v), 0);
	ck_assert_ptr_null(trace_view_source_line(v, 1, NULL));
	seek_after(v, nth_event(&r, TRACE_POLL_BEGIN, 3, 0));
	trace_view_sm(v, 3, &sm);
	ck_assert_int_eq(sm.known, 0);
	ck_assert_str_eq(sm.func, "foo");
	ck_assert_uint_eq(sm.nstates, 2);
	seek_after(v, nth_event(&r, TRACE_LOCAL, 3, 0));
	trace_view_sm(v, 3, &sm);
	ck_assert_uint_eq(sm.nstates, 3);
	ck_assert_uint_eq(sm.current, 1);
	trace_view_sm_state(v, &sm, 1, &st);
	ck_assert_str_eq(st.label, "Await1");
	ck_assert_uint_eq(st.line, 6);
	assert_local(v, &sm, 0, "n", "2");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

/* --- blocking, tasks, threads --------------------------------------------- */

START_TEST(test_blocking_in_async)
{
	prog_run r;
	run_ok(&r, BLOCKING);
	trace_view *v = view_of(&r);
	size_t blk = find_event(&r, 0, TRACE_THREAD_BLOCKED, 0);
	size_t lint = find_event(&r, 0, TRACE_LINT, 0);
	ck_assert_uint_lt(blk, lint);
	seek_after(v, blk);
	ck_assert_str_eq(narration(v), "thread::sleep blocks the whole "
	                               "executor thread for 500 ms while "
	                               "job(1) is being polled: nothing else "
	                               "on it can run.");
	ck_assert_uint_eq(trace_view_lints(v), 0);
	trace_view_thread_row th;
	trace_view_thread(v, 0, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_BLOCKED);
	ck_assert_uint_eq(th.block, TRACE_BLOCK_SLEEP);
	ck_assert_int_eq(th.in_poll, 1);
	ck_assert_uint_eq(th.polling, 2);
	char want[128];
	char until[48];
	trace_view_fmt_time(th.until_ns, until, sizeof until);
	snprintf(want, sizeof want, "thread::sleep until %s in a poll of job(1)",
	         until);
	ck_assert_str_eq(th.doing, want);
	trace_view_row row;
	trace_view_future(v, 2, &row);
	ck_assert_int_eq(row.state, TRACE_VIEW_F_POLLING);
	snprintf(want, sizeof want, "thread::sleep until %s", until);
	ck_assert_str_eq(row.waiting, want);

	seek_after(v, lint);
	ck_assert_uint_eq(trace_view_lints(v), 1);
	trace_view_lint_row l;
	ck_assert_int_eq(trace_view_lint(v, 0, &l), 0);
	ck_assert_int_eq(l.id, TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_str_eq(l.name, "blocking-in-async");
	ck_assert_uint_eq(l.event, lint);
	ck_assert(strlen(l.explanation) > 10);
	snprintf(want, sizeof want, "Lint blocking-in-async: %s.",
	         l.explanation);
	ck_assert_str_eq(narration(v), want);
	ck_assert_int_eq(trace_view_lint(v, 1, &l), -1);
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_tasks)
{
	prog_run r;
	run_ok(&r, SPAWN);
	trace_view *v = view_of(&r);
	trace_view_row row[16];
	trace_view_queued q[4];
	/* Ids: main() 1, square(1) 2, JoinHandle 3, square(2) 4, ... */
	uint32_t sq1 = future_named(&r, "square(1)", 0);
	uint32_t h1 = future_named(&r, "JoinHandle(task 1)", 0);
	ck_assert_uint_eq(sq1, 2);
	ck_assert_uint_eq(h1, 3);

	/* All three spawned, main() still in its first poll: the run queue
	 * holds the tasks in spawn order. */
	seek_after(v, nth_event(&r, TRACE_TASK_SPAWNED, 0, 2));
	ck_assert_uint_eq(trace_view_run_queue(v, q, 4), 3);
	ck_assert_uint_eq(q[0].task, 1);
	ck_assert_uint_eq(q[0].future, 2);
	ck_assert_uint_eq(q[2].task, 3);
	ck_assert_uint_eq(trace_view_run_queue(v, q, 1), 3);
	ck_assert_str_eq(narration(v), "Task 0 spawns task 3 to run square(3): "
	                               "it starts when the executor gets to "
	                               "it, awaited or not.");

	/* main() awaits the first JoinHandle. Task roots are top-level
	 * rows; the handles stay under main(). */
	seek_after(v, nth_event(&r, TRACE_POLL_END, 1, 0));
	size_t n = all_rows(v, row, 16);
	ck_assert_uint_eq(n, 7);
	assert_row(&row[0], 1, "main()", 0, 0, TRACE_VIEW_F_PENDING, 1,
	           "JoinHandle of task 1");
	assert_row(&row[1], h1, "JoinHandle(task 1)", 1, 1,
	           TRACE_VIEW_F_PENDING, 1, "JoinHandle of task 1");
	ck_assert_uint_eq(row[4].future, sq1);
	ck_assert_uint_eq(row[4].depth, 0);
	ck_assert_uint_eq(row[4].task, 1);
	ck_assert_int_eq(row[4].state, TRACE_VIEW_F_CREATED);
	ck_assert_str_eq(narration(v), "main() returned Pending: task 1 has "
	                               "not finished yet, so the executor "
	                               "polls task 1 next.");

	/* Everything ran; the output is there. */
	trace_view_last(v);
	char line[32];
	ck_assert_uint_eq(trace_view_output_lines(v), 1);
	trace_view_output_line(v, 0, line, sizeof line, NULL);
	ck_assert_str_eq(line, "total 14");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_threads)
{
	prog_run r;
	run_ok(&r, THREADS);
	trace_view *v = view_of(&r);
	trace_view_thread_row th;
	ck_assert_uint_eq(trace_view_threads(v), 2);
	ck_assert_int_eq(trace_view_thread(v, 2, &th), -1);
	size_t spawn = nth_event(&r, TRACE_THREAD_SPAWNED, 0, 1);
	trace_view_seek(v, spawn);
	trace_view_thread(v, 1, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_NOT_SPAWNED);
	ck_assert_str_eq(th.doing, "not yet spawned");
	seek_after(v, spawn);
	trace_view_thread(v, 1, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_RUNNING);
	ck_assert_str_eq(th.doing, "running");

	/* Thread 1 sleeps on its own: not inside a poll. */
	size_t blk = SIZE_MAX;
	for (size_t i = 0; i < ev_count(&r); i++)
		if (ev_at(&r, i)->kind == TRACE_THREAD_BLOCKED &&
		    ev_at(&r, i)->thread == 1) {
			blk = i;
			break;
		}
	seek_after(v, blk);
	trace_view_thread(v, 1, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_BLOCKED);
	ck_assert_int_eq(th.in_poll, 0);
	char want[96], until[48], name[32];
	trace_view_fmt_time(th.until_ns, until, sizeof until);
	snprintf(want, sizeof want, "thread::sleep until %s", until);
	ck_assert_str_eq(th.doing, want);
	trace_view_thread_name(v, 1, name, sizeof name);
	ck_assert_str_eq(th.name, name);
	snprintf(want, sizeof want, "%s sleeps for 200 ms (thread::sleep); "
	                            "the other threads go on.",
	         name);
	ck_assert_str_eq(narration(v), want);

	/* main joins the thread, then everything ends. */
	size_t join = SIZE_MAX;
	for (size_t i = 0; i < ev_count(&r); i++)
		if (ev_at(&r, i)->kind == TRACE_THREAD_BLOCKED &&
		    (ev_at(&r, i)->flags & TRACE_BLOCK_MASK) == TRACE_BLOCK_JOIN)
			join = i;
	if (join != SIZE_MAX) {
		seek_after(v, join);
		trace_view_thread(v, 0, &th);
		ck_assert_uint_eq(th.joining, 1);
		snprintf(want, sizeof want, "join %s", name);
		ck_assert_int_eq(strncmp(th.doing, want, strlen(want)), 0);
	}
	trace_view_last(v);
	trace_view_thread(v, 1, &th);
	ck_assert_int_eq(th.state, TRACE_VIEW_T_EXITED);
	/* It slept 200 ms of its life: CPU is the rest. */
	ck_assert_uint_lt(th.cpu_ns, 1000000u);
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_output)
{
	prog_run r;
	run_ok(&r, "fn main() {\n"
	           "    print!(\"a\");\n"
	           "    print!(\"b\\nc\");\n"
	           "    println!(\"d\");\n"
	           "    eprintln!(\"e\");\n"
	           "    println!(\"\\u{1b}[1m!\\t.\");\n"
	           "    println!();\n"
	           "}\n");
	trace_view *v = view_of(&r);
	char line[64];
	int stream;
	size_t first = find_event(&r, 0, TRACE_OUTPUT, 0);
	seek_after(v, first);
	ck_assert_uint_eq(trace_view_output_lines(v), 1);
	ck_assert_int_eq(trace_view_output_partial(v), 1);
	trace_view_output_line(v, 0, line, sizeof line, NULL);
	ck_assert_str_eq(line, "a");
	seek_after(v, nth_event(&r, TRACE_OUTPUT, 0, 1));
	ck_assert_uint_eq(trace_view_output_lines(v), 2);
	trace_view_output_line(v, 0, line, sizeof line, NULL);
	ck_assert_str_eq(line, "ab");
	trace_view_output_line(v, 1, line, sizeof line, NULL);
	ck_assert_str_eq(line, "c");
	ck_assert_str_eq(narration(v), "main prints \"b\\nc\".");
	trace_view_last(v);
	ck_assert_uint_eq(trace_view_output_lines(v), 5);
	ck_assert_int_eq(trace_view_output_partial(v), 0);
	trace_view_output_line(v, 1, line, sizeof line, &stream);
	ck_assert_str_eq(line, "cd");
	ck_assert_int_eq(stream, 1);
	trace_view_output_line(v, 2, line, sizeof line, &stream);
	ck_assert_str_eq(line, "e");
	ck_assert_int_eq(stream, 2);
	/* Control characters are escaped; the text is safe to draw. */
	ck_assert_uint_eq(trace_view_output_line(v, 3, line, sizeof line, NULL),
	                  11);
	ck_assert_str_eq(line, "\\x1b[1m!\\t.");
	trace_view_output_line(v, 4, line, sizeof line, &stream);
	ck_assert_str_eq(line, "");
	/* Cut to the buffer, snprintf-style. */
	ck_assert_uint_eq(trace_view_output_line(v, 3, line, 6, NULL), 11);
	ck_assert_str_eq(line, "\\x1b[");
	ck_assert_uint_eq(trace_view_output_line(v, 3, line, 4, NULL), 11);
	ck_assert_str_eq(line, "");
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

START_TEST(test_text_helpers)
{
	char b[32];
	static const struct {
		uint64_t ns;
		const char *time, *dur;
	} cases[] = {
	        {0, "0.000 s", "0 ns"},
	        {1001000000u, "1.001 s", "1.001 s"},
	        {500000000u, "0.500 s", "500 ms"},
	        {1500000000u, "1.500 s", "1.5 s"},
	        {2000u, "0.000002 s", "2 µs"},
	        {1000994000u, "1.000994 s", "1.000994 s"},
	        {15u, "0.000000015 s", "15 ns"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		trace_view_fmt_time(cases[i].ns, b, sizeof b);
		ck_assert_str_eq(b, cases[i].time);
		trace_view_fmt_duration(cases[i].ns, b, sizeof b);
		ck_assert_str_eq(b, cases[i].dur);
	}
	ck_assert_str_eq(trace_view_step_name(TRACE_VIEW_STEP_INSTANT),
	                 "instant");
	ck_assert_int_eq(trace_view_step_parse("poll"), TRACE_VIEW_STEP_POLL);
	ck_assert_int_eq(trace_view_step_parse("tick"), -1);
	ck_assert_ptr_null(trace_view_step_name(TRACE_VIEW_STEP_COUNT));

	/* A TRACE_COUNT log stores nothing to view. */
	trace_log *log = trace_log_new(TRACE_COUNT);
	ck_assert_ptr_null(trace_view_new(log, NULL));
	trace_log_free(log);
	/* An empty log is a view with one cursor. */
	log = trace_log_new(TRACE_FULL);
	trace_view *v = trace_view_new(log, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(trace_view_events(v), 0);
	ck_assert_int_eq(trace_view_next(v, TRACE_VIEW_STEP_POLL), 0);
	ck_assert_uint_eq(trace_view_rows(v), 0);
	ck_assert_str_eq(narration(v), "The trace is empty.");
	trace_view_free(v);
	trace_log_free(log);
}
END_TEST

/* --- consistency: walking and seeking agree ------------------------------- */

START_TEST(test_walk_equals_seek)
{
	assert_seek_consistent(JOIN3);
	assert_seek_consistent(BLOCKING);
	assert_seek_consistent(SPAWN);
	assert_seek_consistent(THREADS);
	assert_seek_consistent(JOINMACRO);
}
END_TEST

/* A log the simulator would never write: a poll before the creation, a
 * second creation, polls nested the wrong way, a loop of first pollers,
 * an id with no creation. The view must not crash or hang, and its counts
 * must still agree with its rows (the replay path for such futures). */
static void
emit(trace_log *log, uint64_t t, trace_kind kind, uint32_t future,
     uint32_t a, uint32_t b, uint8_t flags)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.time_ns = t;
	ev.kind = (uint8_t)kind;
	ev.future = future;
	ev.a = a;
	ev.b = b;
	ev.flags = flags;
	ck_assert_int_eq(trace_log_emit(log, &ev), 0);
}

START_TEST(test_odd_log)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	ck_assert_ptr_nonnull(log);
	emit(log, 0, TRACE_THREAD_SPAWNED, 0, 0, 0, 0);
	emit(log, 1, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	emit(log, 2, TRACE_FUTURE_CREATED, 1, 0, 0, TRACE_FT_ASYNC_FN);
	emit(log, 3, TRACE_FUTURE_CREATED, 1, 0, 0, TRACE_FT_ASYNC_FN);
	emit(log, 4, TRACE_FUTURE_CREATED, 2, 1, 0, TRACE_FT_OTHER);
	emit(log, 5, TRACE_FUTURE_CREATED, 3, 2, 0, TRACE_FT_OTHER);
	/* 2 first polled by 3, 3 first polled by 2: a loop. */
	emit(log, 6, TRACE_POLL_BEGIN, 2, 3, 0, 0);
	emit(log, 7, TRACE_POLL_BEGIN, 3, 2, 0, 0);
	emit(log, 8, TRACE_POLL_END, 3, 0, 0, TRACE_PENDING);
	emit(log, 9, TRACE_POLL_END, 2, 0, 0, TRACE_READY);
	emit(log, 10, TRACE_POLL_END, 2, 0, 0, TRACE_READY);
	emit(log, 11, TRACE_WAKE, 3, 0, 0, TRACE_WAKE_TASK);
	emit(log, 12, TRACE_FUTURE_CREATED, 5, 0, 0, 99);
	emit(log, 13, TRACE_FUTURE_DROPPED, 5, 0, 0, 0);
	emit(log, 14, TRACE_FUTURE_DROPPED, 5, 0, 0, 0);
	emit(log, 15, TRACE_OUTPUT, 0, 0, 0, 1);
	emit(log, 16, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
	trace_view *v = trace_view_new(log, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(trace_view_futures(v), 5);
	for (size_t c = 0; c <= trace_view_events(v); c++) {
		trace_view_seek(v, c);
		assert_counts_match_rows(v);
		trace_view_row rows[8];
		size_t n = trace_view_window(v, 0, 8, rows);
		ck_assert_uint_eq(n, trace_view_rows(v));
		(void)view_digest(v, 0, 8);
		char buf[TRACE_VIEW_SENTENCE_MAX];
		trace_view_narrate(v, buf, sizeof buf);
	}
	/* The loop was cut: every future is a row. */
	ck_assert_uint_eq(trace_view_rows(v), 5);
	trace_view_free(v);
	trace_log_free(log);
}
END_TEST

/* --- a big run: many snapshots, a deep window ----------------------------- */

/* 20,000 futures under join_all (above 30 children, so each child has its
 * own waker): about 380,000 events, several hundred snapshots. The counts
 * are checked against a plain forward replay done here, independently of
 * the view. */
static const char BIG[] =
        "use futures::future;\n"
        "use std::time::Duration;\n"
        "\n"
        "async fn job(n: u64) {\n"
        "    tokio::time::sleep(Duration::from_millis(1 + n % 7)).await;\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let mut jobs = Vec::new();\n"
        "    for n in 0..20000 {\n"
        "        jobs.push(job(n));\n"
        "    }\n"
        "    future::join_all(jobs).await;\n"
        "}\n";

/* The reference: each future's state replayed naively. */
static uint8_t
ref_state(uint8_t st, const trace_event *ev)
{
	/* low bits: state; 0x80: woken since the last poll began */
	switch (ev->kind) {
	case TRACE_FUTURE_CREATED:
		return TRACE_VIEW_F_CREATED;
	case TRACE_POLL_BEGIN:
		return TRACE_VIEW_F_POLLING;
	case TRACE_POLL_END:
		return (uint8_t)((ev->flags == TRACE_READY ? TRACE_VIEW_F_READY
		                                           : TRACE_VIEW_F_PENDING) |
		                 (st & 0x80));
	case TRACE_FUTURE_DROPPED:
		return TRACE_VIEW_F_DROPPED;
	case TRACE_WAKE:
		return st | 0x80;
	default:
		return st;
	}
}

static trace_view_fstate
ref_shown(uint8_t st)
{
	uint8_t s = st & 0x7f;
	if ((st & 0x80) &&
	    (s == TRACE_VIEW_F_CREATED || s == TRACE_VIEW_F_PENDING))
		return TRACE_VIEW_F_WOKEN;
	return (trace_view_fstate)s;
}

START_TEST(test_big_run)
{
	prog_run r;
	run_ok(&r, BIG);
	trace_view *v = view_of(&r);
	size_t n = trace_view_events(v);
	uint32_t nf = trace_view_futures(v);
	ck_assert_uint_eq(nf, 2 * 20000 + 2);
	ck_assert_uint_gt(n, 300000);

	/* Sorted pseudo-random cursors, checked during one forward pass. */
	enum { NC = 40 };
	size_t cur[NC];
	uint64_t x = 2463534242u;
	for (int k = 0; k < NC; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		cur[k] = (size_t)(x % (n + 1));
	}
	cur[0] = 0;
	cur[1] = n;
	for (int a = 1; a < NC; a++)
		for (int b = a; b > 0 && cur[b - 1] > cur[b]; b--) {
			size_t t = cur[b];
			cur[b] = cur[b - 1];
			cur[b - 1] = t;
		}
	uint8_t *st = calloc(nf + 1, 1);
	uint64_t digests[NC];
	size_t firsts[NC];
	ck_assert_ptr_nonnull(st);
	size_t i = 0;
	for (int k = 0; k < NC; k++) {
		for (; i < cur[k]; i++) {
			const trace_event *ev = ev_at(&r, i);
			if (ev->future >= 1 && ev->future <= nf)
				st[ev->future] = ref_state(st[ev->future], ev);
		}
		uint64_t want[TRACE_VIEW_F_COUNT] = {0}, got[TRACE_VIEW_F_COUNT];
		for (uint32_t f = 1; f <= nf; f++)
			want[ref_shown(st[f])]++;
		trace_view_seek(v, cur[k]);
		trace_view_counts(v, got);
		for (int s = 0; s < TRACE_VIEW_F_COUNT; s++)
			ck_assert_uint_eq(got[s], want[s]);
		for (uint32_t f = 1; f <= nf; f += 97) {
			trace_view_row row;
			trace_view_future(v, f, &row);
			ck_assert_int_eq(row.state, ref_shown(st[f]));
		}
		/* A window deep in the tree: rows agree with the
		 * reference, and each row's parent comes before it. */
		size_t rows = trace_view_rows(v);
		size_t first = rows > 50 ? (size_t)(x % (rows - 50)) : 0;
		trace_view_row win[50];
		size_t got_rows = trace_view_window(v, first, 50, win);
		ck_assert_uint_eq(got_rows, rows - first < 50 ? rows - first : 50);
		for (size_t j = 0; j < got_rows; j++) {
			ck_assert_int_eq(win[j].state, ref_shown(st[win[j].future]));
			ck_assert_uint_eq(trace_view_row_of(v, win[j].future),
			                  first + j);
			if (win[j].parent != 0)
				ck_assert_uint_lt(
				        trace_view_row_of(v, win[j].parent),
				        first + j);
		}
		firsts[k] = first;
		digests[k] = view_digest(v, first, 20);
	}
	/* Seeking to the same cursors again, in reverse order: the same
	 * digests. */
	for (int k = NC; k-- > 0;) {
		trace_view_seek(v, cur[k]);
		ck_assert_msg(view_digest(v, firsts[k], 20) == digests[k],
		              "cursor %zu differs when seeking backward",
		              cur[k]);
	}
	free(st);

	/* The summary for a big run: at the end everything is dropped, and
	 * the view's memory is a few tens of bytes per event. */
	trace_view_last(v);
	assert_counts(v, 0, 0, 0, 0, 0, nf);
	ck_assert_uint_lt(trace_view_bytes(v), 32 * n);
	trace_view_free(v);
	prog_run_free(&r);
}
END_TEST

Suite *
suite_trace_view(void)
{
	Suite *s = suite_create("trace_view");
	TCase *tc = tcase_create("scenarios");
	tcase_add_test(tc, test_join3_before_join_all);
	tcase_add_test(tc, test_join3_first_pending);
	tcase_add_test(tc, test_join3_park_and_wake);
	tcase_add_test(tc, test_join3_end);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_strips);
	tcase_add_test(tc, test_state_machine);
	tcase_add_test(tc, test_blocking_in_async);
	tcase_add_test(tc, test_tasks);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_output);
	tcase_add_test(tc, test_text_helpers);
	tcase_add_test(tc, test_odd_log);
	suite_add_tcase(s, tc);
	TCase *nav = tcase_create("navigation");
	tcase_set_timeout(nav, 60);
	tcase_add_test(nav, test_steps);
	tcase_add_test(nav, test_seek_time);
	tcase_add_test(nav, test_walk_equals_seek);
	tcase_add_test(nav, test_big_run);
	suite_add_tcase(s, nav);
	return s;
}
