#include "config.h"

#include "trace/trace_plain.h"
#include "lang/lang_utf8.h"
#include "trace/trace_out.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Where each column starts (see the format in trace_plain.h). */
enum { COL_THREAD = 12, COL_VERB = 22, COL_SUBJECT = 31, COL_DETAILS = 50 };

typedef struct plain_writer {
	trace_out o;
	const trace_log *log;
	/* Name string ids, filled in as the creating events go by: every
	 * event refers only to futures and threads created before it. */
	uint32_t *fut_names;
	size_t fut_cap;
	uint32_t *thread_names;
	size_t thread_cap;
} plain_writer;

typedef void (*plain_render)(plain_writer *pw, const trace_event *ev);

static const char *const plain_future_types[] = {
        [TRACE_FT_ASYNC_FN] = "async fn",
        [TRACE_FT_ASYNC_BLOCK] = "async block",
        [TRACE_FT_SLEEP] = "sleep",
        [TRACE_FT_JOIN_ALL] = "join_all",
        [TRACE_FT_JOIN] = "join!",
        [TRACE_FT_JOIN_HANDLE] = "JoinHandle",
        [TRACE_FT_TASK] = "task",
        [TRACE_FT_OTHER] = "future",
};

/* Six decimals of seconds (microseconds, rounded down) from nanoseconds. */
static void
pw_secs6(plain_writer *pw, uint64_t ns)
{
	uint64_t us = ns % 1000000000u / 1000u;
	char frac[7];
	frac[0] = '.';
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + us % 10);
		us /= 10;
	}
	trace_out_u64(&pw->o, ns / 1000000000u);
	trace_out_raw(&pw->o, frac, sizeof frac);
}

/* Text from the program or the trace: shown as is when it is printable
 * UTF-8, escaped otherwise, so nothing can move the cursor or switch the
 * terminal's character set. */
static void
pw_esc(plain_writer *pw, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && u[i] >= 0x20 && u[i] != 0x7f) {
			size_t k = lang_utf8_decode(u + i, n - i, NULL);
			if (k == 0)
				break;
			i += k;
		}
		trace_out_raw(&pw->o, s + start, i - start);
		if (i >= n)
			break;
		if (u[i] == '\t')
			trace_out_lit(&pw->o, "\\t");
		else if (u[i] == '\r')
			trace_out_lit(&pw->o, "\\r");
		else if (u[i] == '\n')
			trace_out_lit(&pw->o, "\\n");
		else
			trace_out_fmt(&pw->o, "\\x%02x", u[i]);
		i++;
	}
}

static void
pw_string(plain_writer *pw, uint32_t id)
{
	size_t n;
	const char *s = trace_log_string(pw->log, id, &n);
	pw_esc(pw, s, n);
}

/* Moves to column col, or one space on if the line is already past it. */
static void
pw_pad(plain_writer *pw, size_t col)
{
	do
		trace_out_raw(&pw->o, " ", 1);
	while (pw->o.col < col);
}

static void
pw_time(plain_writer *pw, uint64_t ns)
{
	trace_out_raw(&pw->o, "T+", 2);
	pw_secs6(pw, ns);
}

static void
pw_seconds(plain_writer *pw, uint64_t ns)
{
	pw_secs6(pw, ns);
	trace_out_raw(&pw->o, " s", 2);
}

static void
pw_future(plain_writer *pw, uint32_t f)
{
	if (f < pw->fut_cap && pw->fut_names[f] != 0)
		pw_string(pw, pw->fut_names[f]);
	else {
		trace_out_lit(&pw->o, "future #");
		trace_out_u64(&pw->o, f);
	}
}

static void
pw_thread(plain_writer *pw, uint32_t t)
{
	if (t < pw->thread_cap && pw->thread_names[t] != 0)
		pw_string(pw, pw->thread_names[t]);
	else if (t == 0)
		trace_out_lit(&pw->o, "main");
	else
		trace_out_fmt(&pw->o, "thread %" PRIu32, t);
}

static void
pw_end_line(plain_writer *pw)
{
	trace_out_raw(&pw->o, "\n", 1);
	pw->o.col = 0;
}

/* Time, thread and verb: the start of every event line. */
static void
pw_head(plain_writer *pw, const trace_event *ev, uint32_t thread,
        const char *verb)
{
	pw_time(pw, ev->time_ns);
	pw_pad(pw, COL_THREAD);
	pw_thread(pw, thread);
	pw_pad(pw, COL_VERB);
	trace_out_lit(&pw->o, verb);
}

static void
pw_subject(plain_writer *pw)
{
	pw_pad(pw, COL_SUBJECT);
}

static void
pw_details(plain_writer *pw)
{
	pw_pad(pw, COL_DETAILS);
}

static void
plain_future_created(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "new");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	trace_out_lit(&pw->o, ev->flags <= TRACE_FT_OTHER
	                          ? plain_future_types[ev->flags]
	                          : "future");
	if (ev->a != 0) {
		trace_out_lit(&pw->o, ", by ");
		pw_future(pw, ev->a);
	}
}

static void
plain_future_dropped(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "drop");
	pw_subject(pw);
	pw_future(pw, ev->future);
	if (ev->flags & 1) {
		pw_details(pw);
		trace_out_lit(&pw->o, "never polled");
	}
}

static void
plain_poll_begin(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "poll");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	trace_out_lit(&pw->o, "<- ");
	if (ev->a != 0)
		pw_future(pw, ev->a);
	else
		trace_out_lit(&pw->o, "executor");
	trace_out_lit(&pw->o, ", task ");
	trace_out_u64(&pw->o, ev->b);
}

static void
plain_poll_end(plain_writer *pw, const trace_event *ev)
{
	int ready = ev->flags == TRACE_READY;
	pw_head(pw, ev, ev->thread, ready ? "ready" : "pending");
	pw_subject(pw);
	pw_future(pw, ev->future);
	if (!ready && ev->a != 0) {
		pw_details(pw);
		trace_out_lit(&pw->o, "at await ");
		trace_out_u64(&pw->o, ev->a);
		if (ev->b != 0) {
			trace_out_lit(&pw->o, ", line ");
			trace_out_u64(&pw->o, ev->b);
		}
	}
}

static void
plain_waker_registered(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "waker");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	trace_out_lit(&pw->o, "task ");
	trace_out_u64(&pw->o, ev->a);
	if (ev->b != 0) {
		trace_out_lit(&pw->o, ", for ");
		pw_future(pw, ev->b);
	}
}

static void
plain_wake(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "wake");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	if (ev->flags & TRACE_WAKE_CHILD)
		trace_out_lit(&pw->o, "join_all child, ");
	trace_out_lit(&pw->o, "task ");
	trace_out_u64(&pw->o, ev->b);
	trace_out_lit(&pw->o, ", by ");
	if (ev->a != 0)
		pw_future(pw, ev->a);
	else
		trace_out_lit(&pw->o, "timer");
}

static void
plain_timer_armed(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "timer");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	trace_out_lit(&pw->o, "deadline ");
	pw_time(pw, trace_u64(ev));
}

static void
plain_timer_fired(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "fire");
	pw_subject(pw);
	pw_future(pw, ev->future);
}

static void
plain_clock_advance(plain_writer *pw, const trace_event *ev)
{
	uint64_t from = trace_u64(ev);
	pw_head(pw, ev, ev->thread, "clock");
	pw_subject(pw);
	trace_out_lit(&pw->o, "+");
	pw_seconds(pw, ev->time_ns >= from ? ev->time_ns - from : 0);
	pw_details(pw);
	trace_out_lit(&pw->o, "from ");
	pw_time(pw, from);
}

static void
plain_thread_spawned(plain_writer *pw, const trace_event *ev)
{
	/* The spawner's column, since that is where it happens. The name is
	 * recorded first so that the subject shows it. */
	pw_head(pw, ev, ev->a, "spawn");
	pw_subject(pw);
	pw_thread(pw, ev->thread);
	pw_details(pw);
	trace_out_lit(&pw->o, "new thread");
}

static void
plain_thread_spawn_failed(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->a, "failed");
	pw_subject(pw);
	trace_out_lit(&pw->o, "thread spawn");
	pw_details(pw);
	pw_string(pw, ev->b);
}

static void
plain_thread_blocked(plain_writer *pw, const trace_event *ev)
{
	uint64_t until = trace_u64(ev);
	int details = 1;
	pw_head(pw, ev, ev->thread, "block");
	pw_subject(pw);
	switch (ev->flags & TRACE_BLOCK_MASK) {
	case TRACE_BLOCK_SLEEP:
		trace_out_lit(&pw->o, "thread::sleep");
		pw_details(pw);
		trace_out_lit(&pw->o, "for ");
		pw_seconds(pw, until >= ev->time_ns ? until - ev->time_ns : 0);
		trace_out_lit(&pw->o, " until ");
		pw_time(pw, until);
		break;
	case TRACE_BLOCK_JOIN:
		trace_out_lit(&pw->o, "join");
		pw_details(pw);
		pw_thread(pw, ev->a);
		break;
	default:
		trace_out_lit(&pw->o, "park");
		/* Parking with no timer to wait for has no wake-up time. */
		details = until != 0 && until != UINT64_MAX;
		if (details) {
			pw_details(pw);
			trace_out_lit(&pw->o, "until ");
			pw_time(pw, until);
		}
		break;
	}
	if (ev->flags & TRACE_IN_POLL) {
		if (details)
			trace_out_lit(&pw->o, ", ");
		else
			pw_details(pw);
		trace_out_lit(&pw->o, "inside poll of ");
		pw_future(pw, ev->future);
	}
}

static void
plain_thread_resumed(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "resume");
	pw_subject(pw);
	pw_thread(pw, ev->thread);
}

static void
plain_thread_exited(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "exit");
	pw_subject(pw);
	pw_thread(pw, ev->thread);
	if (ev->flags & 1) {
		pw_details(pw);
		trace_out_lit(&pw->o, "panicked");
	}
}

static void
plain_task_spawned(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "spawn");
	pw_subject(pw);
	trace_out_fmt(&pw->o, "task %" PRIu32, ev->a);
	pw_details(pw);
	trace_out_lit(&pw->o, "root ");
	pw_future(pw, ev->future);
	if (ev->a != 0)
		trace_out_fmt(&pw->o, ", by task %" PRIu32, ev->b);
}

static void
plain_task_done(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "done");
	pw_subject(pw);
	trace_out_fmt(&pw->o, "task %" PRIu32, ev->a);
	pw_details(pw);
	trace_out_lit(&pw->o, "root ");
	pw_future(pw, ev->future);
}

/* One line per line of output; the marker says whether the program ended
 * that line, since print! and println! look the same otherwise. */
static void
plain_output(plain_writer *pw, const trace_event *ev)
{
	size_t n;
	const char *s = trace_log_string(pw->log, ev->a, &n);
	const char *verb = ev->flags == 2 ? "err" : "out";
	size_t i = 0;
	do {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		if (i > 0)
			pw_end_line(pw);
		pw_head(pw, ev, ev->thread, verb);
		pw_subject(pw);
		trace_out_lit(&pw->o, nl ? "|" : "~");
		if (end > i) {
			trace_out_lit(&pw->o, " ");
			pw_esc(pw, s + i, end - i);
		}
		i = nl ? end + 1 : n;
	} while (i < n);
}

static void
plain_line(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "line");
	pw_subject(pw);
	trace_out_fmt(&pw->o, "%" PRIu32 ":%" PRIu32, ev->a, ev->b);
	if (ev->future != 0) {
		pw_details(pw);
		pw_future(pw, ev->future);
	}
}

static void
plain_state(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "state");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	if (ev->a == 0)
		trace_out_lit(&pw->o, "Start");
	else if (ev->a == UINT32_MAX)
		trace_out_lit(&pw->o, "Done");
	else
		trace_out_fmt(&pw->o, "await %" PRIu32, ev->a);
}

static void
plain_local(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "local");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	pw_string(pw, ev->a);
	trace_out_lit(&pw->o, " = ");
	pw_string(pw, ev->b);
}

static void
plain_lint(plain_writer *pw, const trace_event *ev)
{
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)ev->a);
	pw_head(pw, ev, ev->thread, "lint");
	pw_subject(pw);
	if (info != NULL)
		trace_out_lit(&pw->o, info->name);
	else
		trace_out_fmt(&pw->o, "lint #%" PRIu32, ev->a);
	pw_details(pw);
	if (ev->b != 0)
		pw_string(pw, ev->b);
	else if (ev->future != 0)
		pw_future(pw, ev->future);
	else if (info != NULL)
		trace_out_lit(&pw->o, info->explanation);
}

static void
plain_panic(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "panic");
	pw_subject(pw);
	pw_thread(pw, ev->thread);
	pw_details(pw);
	if (ev->b != 0)
		trace_out_fmt(&pw->o, "at line %" PRIu32 ": ", ev->b);
	pw_string(pw, ev->a);
}

static void
plain_run_end(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "end");
	pw_subject(pw);
	trace_out_fmt(&pw->o, "status %" PRIu32, ev->a);
	if (ev->b != 0) {
		pw_details(pw);
		pw_string(pw, ev->b);
	}
}

/* How each kind is shown, and the option a kind needs (0: always). */
static const struct plain_kind {
	unsigned need;
	plain_render render;
} plain_kinds[TRACE_KIND_COUNT] = {
        [TRACE_FUTURE_CREATED] = {0, plain_future_created},
        [TRACE_FUTURE_DROPPED] = {0, plain_future_dropped},
        [TRACE_POLL_BEGIN] = {0, plain_poll_begin},
        [TRACE_POLL_END] = {0, plain_poll_end},
        [TRACE_WAKER_REGISTERED] = {0, plain_waker_registered},
        [TRACE_WAKE] = {0, plain_wake},
        [TRACE_TIMER_ARMED] = {0, plain_timer_armed},
        [TRACE_TIMER_FIRED] = {0, plain_timer_fired},
        [TRACE_CLOCK_ADVANCE] = {0, plain_clock_advance},
        [TRACE_THREAD_SPAWNED] = {0, plain_thread_spawned},
        [TRACE_THREAD_SPAWN_FAILED] = {0, plain_thread_spawn_failed},
        [TRACE_THREAD_BLOCKED] = {0, plain_thread_blocked},
        [TRACE_THREAD_RESUMED] = {0, plain_thread_resumed},
        [TRACE_THREAD_EXITED] = {0, plain_thread_exited},
        [TRACE_TASK_SPAWNED] = {0, plain_task_spawned},
        [TRACE_TASK_DONE] = {0, plain_task_done},
        [TRACE_OUTPUT] = {0, plain_output},
        [TRACE_LINE] = {TRACE_PLAIN_LINES, plain_line},
        [TRACE_STATE] = {TRACE_PLAIN_STATES, plain_state},
        [TRACE_LOCAL] = {TRACE_PLAIN_STATES, plain_local},
        [TRACE_LINT] = {0, plain_lint},
        [TRACE_PANIC] = {0, plain_panic},
        [TRACE_RUN_END] = {0, plain_run_end},
};

/* Threads and tasks are counted by their highest id, since ids are dense
 * from 0: the simulator may or may not announce `main` (thread 0) with a
 * spawn event, and block_on's task 0 has no spawn event at all. */
typedef struct plain_counts {
	uint64_t futures, polls, pending, ready, wakes, fired;
	uint64_t threads; /* highest thread id seen + 1 (main is always) */
	uint64_t tasks;   /* highest task id seen + 1 */
} plain_counts;

static void
plain_seen(uint64_t *count, uint64_t id)
{
	if (id + 1 > *count)
		*count = id + 1;
}

static void
plain_count(plain_counts *c, const trace_event *ev)
{
	switch (ev->kind) {
	case TRACE_FUTURE_CREATED:
		c->futures++;
		break;
	case TRACE_POLL_BEGIN:
		c->polls++;
		if (ev->a == 0)
			plain_seen(&c->tasks, ev->b);
		break;
	case TRACE_POLL_END:
		if (ev->flags == TRACE_READY)
			c->ready++;
		else
			c->pending++;
		break;
	case TRACE_WAKE:
		c->wakes++;
		break;
	case TRACE_TIMER_FIRED:
		c->fired++;
		break;
	case TRACE_THREAD_SPAWNED:
		plain_seen(&c->threads, ev->thread);
		break;
	case TRACE_TASK_SPAWNED:
		plain_seen(&c->tasks, ev->a);
		break;
	default:
		break;
	}
}

static const char *
plain_s(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void
plain_lint_entry(plain_writer *pw, trace_lint_id id, uint64_t time_ns,
                 const char *detail, size_t len)
{
	const trace_lint_info *info = trace_lint_info_of(id);
	if (info != NULL) {
		trace_out_lit(&pw->o, "# lint ");
		trace_out_lit(&pw->o, info->name);
		trace_out_lit(&pw->o, ": ");
		trace_out_lit(&pw->o, info->explanation);
	} else
		trace_out_fmt(&pw->o, "# lint #%u", (unsigned)id);
	pw_end_line(pw);
	trace_out_lit(&pw->o, "#   at ");
	pw_time(pw, time_ns);
	trace_out_lit(&pw->o, ": ");
	pw_esc(pw, detail, len);
	pw_end_line(pw);
}

static void
plain_summary(plain_writer *pw, const plain_counts *c, uint64_t last,
              const trace_lint *lints)
{
	const trace_log *log = pw->log;
	uint64_t events = trace_log_count(log);
	if (trace_log_mode(log) == TRACE_FULL) {
		trace_out_lit(&pw->o, "# end at ");
		pw_time(pw, last);
		trace_out_fmt(&pw->o, " (virtual time), %" PRIu64 " event%s", events,
		       plain_s(events));
		pw_end_line(pw);
		trace_out_fmt(&pw->o,
		       "# futures: %" PRIu64 " created, %" PRIu64
		       " poll%s (%" PRIu64 " Pending, %" PRIu64 " Ready), ",
		       c->futures, c->polls, plain_s(c->polls), c->pending,
		       c->ready);
		trace_out_fmt(&pw->o, "%" PRIu64 " wake%s, %" PRIu64 " timer%s fired",
		       c->wakes, plain_s(c->wakes), c->fired,
		       plain_s(c->fired));
		pw_end_line(pw);
		trace_out_fmt(&pw->o, "# threads: %" PRIu64 ", tasks: %" PRIu64,
		       c->threads, c->tasks);
		pw_end_line(pw);
	} else {
		trace_out_fmt(&pw->o, "# %" PRIu64 " event%s, not stored (count mode)",
		       events, plain_s(events));
		pw_end_line(pw);
	}

	if (lints != NULL) {
		size_t n = trace_lint_fired_count(lints);
		if (n == 0)
			trace_out_lit(&pw->o, "# lints: none");
		else
			trace_out_fmt(&pw->o, "# lints: %zu", n);
		pw_end_line(pw);
		for (size_t i = 0; i < n; i++) {
			const trace_lint_hit *h = trace_lint_fired(lints, i);
			plain_lint_entry(pw, h->id, h->time_ns, h->detail,
			                 strlen(h->detail));
		}
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < trace_log_stored(log); i++)
		n += trace_log_at(log, i)->kind == TRACE_LINT;
	if (n == 0)
		trace_out_lit(&pw->o, "# lints: none");
	else
		trace_out_fmt(&pw->o, "# lints: %zu", n);
	pw_end_line(pw);
	for (size_t i = 0; i < trace_log_stored(log) && n > 0; i++) {
		const trace_event *ev = trace_log_at(log, i);
		if (ev->kind != TRACE_LINT)
			continue;
		size_t len;
		const char *d = trace_log_string(log, ev->b, &len);
		plain_lint_entry(pw, (trace_lint_id)ev->a, ev->time_ns, d, len);
	}
}

int
trace_plain_write(FILE *out, const trace_log *log, const trace_lint *lints,
                  unsigned flags)
{
	plain_writer pw = {.o.out = out, .log = log};
	plain_counts counts = {.threads = 1};
	uint64_t last = 0;
	int oom = 0;

	trace_out_lit(&pw.o, "# async-tutorial trace, plain format 1");
	pw_end_line(&pw);
	trace_out_lit(&pw.o, "# time");
	pw_pad(&pw, COL_THREAD);
	trace_out_lit(&pw.o, "thread");
	pw_pad(&pw, COL_VERB);
	trace_out_lit(&pw.o, "verb");
	pw_pad(&pw, COL_SUBJECT);
	trace_out_lit(&pw.o, "subject");
	pw_pad(&pw, COL_DETAILS);
	trace_out_lit(&pw.o, "details");
	pw_end_line(&pw);

	size_t n = trace_log_stored(log);
	for (size_t i = 0; i < n && !pw.o.err; i++) {
		const trace_event *ev = trace_log_at(log, i);
		if (ev->kind == TRACE_FUTURE_CREATED && ev->b != 0) {
			if (trace_out_grow((void **)&pw.fut_names, &pw.fut_cap,
			                   ev->future,
			                   sizeof *pw.fut_names) != 0) {
				oom = 1;
				break;
			}
			pw.fut_names[ev->future] = ev->b;
		} else if (ev->kind == TRACE_THREAD_SPAWNED && ev->b != 0) {
			if (trace_out_grow((void **)&pw.thread_names,
			                   &pw.thread_cap, ev->thread,
			                   sizeof *pw.thread_names) != 0) {
				oom = 1;
				break;
			}
			pw.thread_names[ev->thread] = ev->b;
		}
		plain_count(&counts, ev);
		last = ev->time_ns;
		if (ev->kind >= TRACE_KIND_COUNT) {
			pw_time(&pw, ev->time_ns);
			pw_pad(&pw, COL_THREAD);
			pw_thread(&pw, ev->thread);
			pw_pad(&pw, COL_VERB);
			trace_out_fmt(&pw.o, "? kind %u", (unsigned)ev->kind);
			pw_end_line(&pw);
			continue;
		}
		const struct plain_kind *k = &plain_kinds[ev->kind];
		if ((k->need & flags) != k->need)
			continue;
		k->render(&pw, ev);
		pw_end_line(&pw);
	}
	if (!oom)
		plain_summary(&pw, &counts, last, lints);
	free(pw.fut_names);
	free(pw.thread_names);
	trace_out_flush(&pw.o);
	if (fflush(out) != 0 || ferror(out))
		pw.o.err = 1;
	return pw.o.err || oom ? -1 : 0;
}

int
trace_plain_print(FILE *out, const trace_log *log, const trace_lint *lints)
{
	return trace_plain_write(out, log, lints, 0);
}
