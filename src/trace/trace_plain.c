#include "config.h"

#include "trace/trace_plain.h"
#include "lang/lang_utf8.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Where each column starts (see the format in trace_plain.h). */
enum { COL_THREAD = 12, COL_VERB = 22, COL_SUBJECT = 31, COL_DETAILS = 50 };

/* Output is gathered here and written in large pieces; see trace_json.c. */
#define PW_BUF_SIZE 65536

typedef struct plain_writer {
	FILE *out;
	const trace_log *log;
	size_t col; /* display column on the current line */
	int err;
	/* Name string ids, filled in as the creating events go by: every
	 * event refers only to futures and threads created before it. */
	uint32_t *fut_names;
	size_t fut_cap;
	uint32_t *thread_names;
	size_t thread_cap;
	size_t len;
	char buf[PW_BUF_SIZE];
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

static int
plain_grow(uint32_t **buf, size_t *cap, size_t i)
{
	if (i < *cap)
		return 0;
	size_t ncap = *cap ? *cap : 64;
	while (ncap <= i) {
		if (ncap > SIZE_MAX / 2 / sizeof **buf)
			return -1;
		ncap *= 2;
	}
	uint32_t *p = realloc(*buf, ncap * sizeof *p);
	if (p == NULL)
		return -1;
	memset(p + *cap, 0, (ncap - *cap) * sizeof *p);
	*buf = p;
	*cap = ncap;
	return 0;
}


static void
pw_flush(plain_writer *pw)
{
	if (pw->len > 0 && fwrite(pw->buf, 1, pw->len, pw->out) != pw->len)
		pw->err = 1;
	pw->len = 0;
}

/* Appends text, counting display columns (one per UTF-8 character). */
static void
pw_raw(plain_writer *pw, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			pw->col++;
	if (n > PW_BUF_SIZE - pw->len) {
		pw_flush(pw);
		if (n > PW_BUF_SIZE) {
			if (fwrite(s, 1, n, pw->out) != n)
				pw->err = 1;
			return;
		}
	}
	memcpy(pw->buf + pw->len, s, n);
	pw->len += n;
}

/* Decimal digits without printf, which dominated the rendering's time. */
static void
pw_u64(plain_writer *pw, uint64_t v)
{
	char d[20];
	size_t i = sizeof d;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	pw_raw(pw, d + i, sizeof d - i);
}

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
	pw_u64(pw, ns / 1000000000u);
	pw_raw(pw, frac, sizeof frac);
}

static void
pw_lit(plain_writer *pw, const char *s)
{
	pw_raw(pw, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
pw_fmt(plain_writer *pw, const char *fmt, ...)
{
	/* Every format here is short; anything longer would be cut. */
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		pw_raw(pw, buf,
		       (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
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
		pw_raw(pw, s + start, i - start);
		if (i >= n)
			break;
		if (u[i] == '\t')
			pw_lit(pw, "\\t");
		else if (u[i] == '\r')
			pw_lit(pw, "\\r");
		else if (u[i] == '\n')
			pw_lit(pw, "\\n");
		else
			pw_fmt(pw, "\\x%02x", u[i]);
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
		pw_raw(pw, " ", 1);
	while (pw->col < col);
}

static void
pw_time(plain_writer *pw, uint64_t ns)
{
	pw_raw(pw, "T+", 2);
	pw_secs6(pw, ns);
}

static void
pw_seconds(plain_writer *pw, uint64_t ns)
{
	pw_secs6(pw, ns);
	pw_raw(pw, " s", 2);
}

static void
pw_future(plain_writer *pw, uint32_t f)
{
	if (f < pw->fut_cap && pw->fut_names[f] != 0)
		pw_string(pw, pw->fut_names[f]);
	else {
		pw_lit(pw, "future #");
		pw_u64(pw, f);
	}
}

static void
pw_thread(plain_writer *pw, uint32_t t)
{
	if (t < pw->thread_cap && pw->thread_names[t] != 0)
		pw_string(pw, pw->thread_names[t]);
	else if (t == 0)
		pw_lit(pw, "main");
	else
		pw_fmt(pw, "thread %" PRIu32, t);
}

static void
pw_end_line(plain_writer *pw)
{
	pw_raw(pw, "\n", 1);
	pw->col = 0;
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
	pw_lit(pw, verb);
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
	pw_lit(pw, ev->flags <= TRACE_FT_OTHER ? plain_future_types[ev->flags]
	                                       : "future");
	if (ev->a != 0) {
		pw_lit(pw, ", by ");
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
		pw_lit(pw, "never polled");
	}
}

static void
plain_poll_begin(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "poll");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	pw_lit(pw, "<- ");
	if (ev->a != 0)
		pw_future(pw, ev->a);
	else
		pw_lit(pw, "executor");
	pw_lit(pw, ", task ");
	pw_u64(pw, ev->b);
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
		pw_lit(pw, "at await ");
		pw_u64(pw, ev->a);
		if (ev->b != 0) {
			pw_lit(pw, ", line ");
			pw_u64(pw, ev->b);
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
	pw_lit(pw, "task ");
	pw_u64(pw, ev->a);
	if (ev->b != 0) {
		pw_lit(pw, ", for ");
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
		pw_lit(pw, "join_all child, ");
	pw_lit(pw, "task ");
	pw_u64(pw, ev->b);
	pw_lit(pw, ", by ");
	if (ev->a != 0)
		pw_future(pw, ev->a);
	else
		pw_lit(pw, "timer");
}

static void
plain_timer_armed(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "timer");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	pw_lit(pw, "deadline ");
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
	pw_lit(pw, "+");
	pw_seconds(pw, ev->time_ns >= from ? ev->time_ns - from : 0);
	pw_details(pw);
	pw_lit(pw, "from ");
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
	pw_lit(pw, "new thread");
}

static void
plain_thread_spawn_failed(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->a, "failed");
	pw_subject(pw);
	pw_lit(pw, "thread spawn");
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
		pw_lit(pw, "thread::sleep");
		pw_details(pw);
		pw_lit(pw, "for ");
		pw_seconds(pw, until >= ev->time_ns ? until - ev->time_ns : 0);
		pw_lit(pw, " until ");
		pw_time(pw, until);
		break;
	case TRACE_BLOCK_JOIN:
		pw_lit(pw, "join");
		pw_details(pw);
		pw_thread(pw, ev->a);
		break;
	default:
		pw_lit(pw, "park");
		/* Parking with no timer to wait for has no wake-up time. */
		details = until != 0 && until != UINT64_MAX;
		if (details) {
			pw_details(pw);
			pw_lit(pw, "until ");
			pw_time(pw, until);
		}
		break;
	}
	if (ev->flags & TRACE_IN_POLL) {
		if (details)
			pw_lit(pw, ", ");
		else
			pw_details(pw);
		pw_lit(pw, "inside poll of ");
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
		pw_lit(pw, "panicked");
	}
}

static void
plain_task_spawned(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "spawn");
	pw_subject(pw);
	pw_fmt(pw, "task %" PRIu32, ev->a);
	pw_details(pw);
	pw_lit(pw, "root ");
	pw_future(pw, ev->future);
	if (ev->a != 0)
		pw_fmt(pw, ", by task %" PRIu32, ev->b);
}

static void
plain_task_done(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "done");
	pw_subject(pw);
	pw_fmt(pw, "task %" PRIu32, ev->a);
	pw_details(pw);
	pw_lit(pw, "root ");
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
		pw_lit(pw, nl ? "|" : "~");
		if (end > i) {
			pw_lit(pw, " ");
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
	pw_fmt(pw, "%" PRIu32 ":%" PRIu32, ev->a, ev->b);
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
		pw_lit(pw, "Start");
	else if (ev->a == UINT32_MAX)
		pw_lit(pw, "Done");
	else
		pw_fmt(pw, "await %" PRIu32, ev->a);
}

static void
plain_local(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "local");
	pw_subject(pw);
	pw_future(pw, ev->future);
	pw_details(pw);
	pw_string(pw, ev->a);
	pw_lit(pw, " = ");
	pw_string(pw, ev->b);
}

static void
plain_lint(plain_writer *pw, const trace_event *ev)
{
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)ev->a);
	pw_head(pw, ev, ev->thread, "lint");
	pw_subject(pw);
	if (info != NULL)
		pw_lit(pw, info->name);
	else
		pw_fmt(pw, "lint #%" PRIu32, ev->a);
	pw_details(pw);
	if (ev->b != 0)
		pw_string(pw, ev->b);
	else if (ev->future != 0)
		pw_future(pw, ev->future);
	else if (info != NULL)
		pw_lit(pw, info->explanation);
}

static void
plain_panic(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "panic");
	pw_subject(pw);
	pw_thread(pw, ev->thread);
	pw_details(pw);
	if (ev->b != 0)
		pw_fmt(pw, "at line %" PRIu32 ": ", ev->b);
	pw_string(pw, ev->a);
}

static void
plain_run_end(plain_writer *pw, const trace_event *ev)
{
	pw_head(pw, ev, ev->thread, "end");
	pw_subject(pw);
	pw_fmt(pw, "status %" PRIu32, ev->a);
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
		pw_lit(pw, "# lint ");
		pw_lit(pw, info->name);
		pw_lit(pw, ": ");
		pw_lit(pw, info->explanation);
	} else
		pw_fmt(pw, "# lint #%u", (unsigned)id);
	pw_end_line(pw);
	pw_lit(pw, "#   at ");
	pw_time(pw, time_ns);
	pw_lit(pw, ": ");
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
		pw_lit(pw, "# end at ");
		pw_time(pw, last);
		pw_fmt(pw, " (virtual time), %" PRIu64 " event%s", events,
		       plain_s(events));
		pw_end_line(pw);
		pw_fmt(pw,
		       "# futures: %" PRIu64 " created, %" PRIu64
		       " poll%s (%" PRIu64 " Pending, %" PRIu64 " Ready), ",
		       c->futures, c->polls, plain_s(c->polls), c->pending,
		       c->ready);
		pw_fmt(pw, "%" PRIu64 " wake%s, %" PRIu64 " timer%s fired",
		       c->wakes, plain_s(c->wakes), c->fired,
		       plain_s(c->fired));
		pw_end_line(pw);
		pw_fmt(pw, "# threads: %" PRIu64 ", tasks: %" PRIu64,
		       c->threads, c->tasks);
		pw_end_line(pw);
	} else {
		pw_fmt(pw, "# %" PRIu64 " event%s, not stored (count mode)",
		       events, plain_s(events));
		pw_end_line(pw);
	}

	if (lints != NULL) {
		size_t n = trace_lint_fired_count(lints);
		if (n == 0)
			pw_lit(pw, "# lints: none");
		else
			pw_fmt(pw, "# lints: %zu", n);
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
		pw_lit(pw, "# lints: none");
	else
		pw_fmt(pw, "# lints: %zu", n);
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
	plain_writer pw = {.out = out, .log = log};
	plain_counts counts = {.threads = 1};
	uint64_t last = 0;
	int oom = 0;

	pw_lit(&pw, "# async-tutorial trace, plain format 1");
	pw_end_line(&pw);
	pw_lit(&pw, "# time");
	pw_pad(&pw, COL_THREAD);
	pw_lit(&pw, "thread");
	pw_pad(&pw, COL_VERB);
	pw_lit(&pw, "verb");
	pw_pad(&pw, COL_SUBJECT);
	pw_lit(&pw, "subject");
	pw_pad(&pw, COL_DETAILS);
	pw_lit(&pw, "details");
	pw_end_line(&pw);

	size_t n = trace_log_stored(log);
	for (size_t i = 0; i < n && !pw.err; i++) {
		const trace_event *ev = trace_log_at(log, i);
		if (ev->kind == TRACE_FUTURE_CREATED && ev->b != 0) {
			if (plain_grow(&pw.fut_names, &pw.fut_cap,
			               ev->future) != 0) {
				oom = 1;
				break;
			}
			pw.fut_names[ev->future] = ev->b;
		} else if (ev->kind == TRACE_THREAD_SPAWNED && ev->b != 0) {
			if (plain_grow(&pw.thread_names, &pw.thread_cap,
			               ev->thread) != 0) {
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
			pw_fmt(&pw, "? kind %u", (unsigned)ev->kind);
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
	pw_flush(&pw);
	if (fflush(out) != 0 || ferror(out))
		pw.err = 1;
	return pw.err || oom ? -1 : 0;
}

int
trace_plain_print(FILE *out, const trace_log *log, const trace_lint *lints)
{
	return trace_plain_write(out, log, lints, 0);
}
