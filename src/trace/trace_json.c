#include "config.h"

#include "trace/trace_json.h"
#include "lang/lang_utf8.h"
#include "trace/trace_out.h"
#include "trace/trace_lint.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { PID_THREADS = 1, PID_FUTURES = 2 };

typedef struct json_poll {
	uint32_t future;
	uint32_t poller;
	uint32_t task;
	uint64_t begin;
} json_poll;

/* A thread's open polls (innermost last) and its open blocked span. */
typedef struct json_thread {
	json_poll *polls;
	uint32_t len;
	uint32_t cap;
	uint64_t blocked_since;
	uint32_t blocked_future;
	uint8_t blocked; /* trace_block_reason flags + 1, 0 if running */
} json_thread;

typedef struct json_writer {
	trace_out o;
	const trace_log *log;
	int oom;
	int first;
	uint64_t last; /* time of the latest event */
	uint32_t *fut_names;
	size_t fut_cap;
	uint32_t *thread_names;
	size_t thread_cap;
	json_thread *threads;
	size_t threads_cap;
	uint8_t *queued; /* by task: in the run queue */
	size_t queued_cap;
	uint64_t queue_len;
} json_writer;

typedef void (*json_render)(json_writer *jw, const trace_event *ev);

static const char *const json_future_types[] = {
        [TRACE_FT_ASYNC_FN] = "async fn",
        [TRACE_FT_ASYNC_BLOCK] = "async block",
        [TRACE_FT_SLEEP] = "sleep",
        [TRACE_FT_JOIN_ALL] = "join_all",
        [TRACE_FT_JOIN] = "join!",
        [TRACE_FT_JOIN_HANDLE] = "JoinHandle",
        [TRACE_FT_TASK] = "task",
        [TRACE_FT_OTHER] = "future",
};

/* A JSON string. Program text can hold any bytes; a byte that is not part
 * of valid UTF-8 becomes U+FFFD, so the file always parses. */
static void
jw_str(json_writer *jw, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	trace_out_raw(&jw->o, "\"", 1);
	while (i < n) {
		size_t start = i;
		while (i < n && u[i] >= 0x20 && u[i] != '"' && u[i] != '\\' &&
		       u[i] != 0x7f) {
			size_t k = lang_utf8_decode(u + i, n - i, NULL);
			if (k == 0)
				break;
			i += k;
		}
		trace_out_raw(&jw->o, s + start, i - start);
		if (i >= n)
			break;
		switch (u[i]) {
		case '"':
			trace_out_lit(&jw->o, "\\\"");
			break;
		case '\\':
			trace_out_lit(&jw->o, "\\\\");
			break;
		case '\n':
			trace_out_lit(&jw->o, "\\n");
			break;
		case '\r':
			trace_out_lit(&jw->o, "\\r");
			break;
		case '\t':
			trace_out_lit(&jw->o, "\\t");
			break;
		case '\b':
			trace_out_lit(&jw->o, "\\b");
			break;
		case '\f':
			trace_out_lit(&jw->o, "\\f");
			break;
		default:
			if (u[i] < 0x20 || u[i] == 0x7f)
				trace_out_fmt(&jw->o, "\\u%04x", u[i]);
			else
				trace_out_lit(&jw->o, "\\ufffd");
			break;
		}
		i++;
	}
	trace_out_raw(&jw->o, "\"", 1);
}

static void
jw_cstr(json_writer *jw, const char *s)
{
	jw_str(jw, s, strlen(s));
}

static void
jw_string(json_writer *jw, uint32_t id)
{
	size_t n;
	const char *s = trace_log_string(jw->log, id, &n);
	jw_str(jw, s, n);
}

static void
jw_future(json_writer *jw, uint32_t f)
{
	if (f < jw->fut_cap && jw->fut_names[f] != 0)
		jw_string(jw, jw->fut_names[f]);
	else {
		trace_out_lit(&jw->o, "\"future #");
		trace_out_u64(&jw->o, f);
		trace_out_lit(&jw->o, "\"");
	}
}

static void
jw_thread(json_writer *jw, uint32_t t)
{
	if (t < jw->thread_cap && jw->thread_names[t] != 0)
		jw_string(jw, jw->thread_names[t]);
	else if (t == 0)
		trace_out_lit(&jw->o, "\"main\"");
	else
		trace_out_fmt(&jw->o, "\"thread %" PRIu32 "\"", t);
}

/* Virtual nanoseconds as the format's microseconds, exactly. */
static void
jw_us(json_writer *jw, uint64_t ns)
{
	char frac[4] = {(char)('.'), (char)('0' + ns / 100u % 10u),
	                (char)('0' + ns / 10u % 10u), (char)('0' + ns % 10u)};
	trace_out_u64(&jw->o, ns / 1000u);
	trace_out_raw(&jw->o, frac, sizeof frac);
}

/* Starts an event object up to its name's value. */
static void
jw_open(json_writer *jw)
{
	trace_out_lit(&jw->o, jw->first ? "\n{\"name\":" : ",\n{\"name\":");
	jw->first = 0;
}

static void
jw_where(json_writer *jw, const char *ph, uint64_t ts, int pid, uint64_t tid)
{
	trace_out_lit(&jw->o, ",\"ph\":\"");
	trace_out_lit(&jw->o, ph);
	trace_out_lit(&jw->o, "\",\"ts\":");
	jw_us(jw, ts);
	trace_out_lit(&jw->o, pid == PID_FUTURES ? ",\"pid\":2,\"tid\":"
	                              : ",\"pid\":1,\"tid\":");
	trace_out_u64(&jw->o, tid);
}

/* An instant event on a track, up to (not including) its args. pid 0 makes
 * it global (drawn across every track), placed on the threads group. */
static void
jw_instant(json_writer *jw, const char *name, uint64_t ts, int pid,
           uint64_t tid)
{
	jw_open(jw);
	jw_cstr(jw, name);
	jw_where(jw, "i", ts, pid != 0 ? pid : PID_THREADS, tid);
	trace_out_lit(&jw->o, pid == 0 ? ",\"s\":\"g\"" : ",\"s\":\"t\"");
}

static void
jw_close(json_writer *jw)
{
	trace_out_lit(&jw->o, "}");
}

static void
jw_meta(json_writer *jw, const char *what, int pid, uint64_t tid)
{
	jw_open(jw);
	jw_cstr(jw, what);
	trace_out_lit(&jw->o, pid == PID_FUTURES ? ",\"ph\":\"M\",\"pid\":2,\"tid\":"
	                              : ",\"ph\":\"M\",\"pid\":1,\"tid\":");
	trace_out_u64(&jw->o, tid);
	trace_out_lit(&jw->o, ",\"args\":");
}

static json_thread *
jw_thread_state(json_writer *jw, uint16_t t)
{
	if (trace_out_grow((void **)&jw->threads, &jw->threads_cap, t,
	              sizeof *jw->threads) != 0) {
		jw->oom = 1;
		return NULL;
	}
	return &jw->threads[t];
}

static void
jw_queue(json_writer *jw, uint64_t ts, uint32_t task, int in)
{
	if (trace_out_grow((void **)&jw->queued, &jw->queued_cap, task, 1) != 0) {
		jw->oom = 1;
		return;
	}
	if (jw->queued[task] == in)
		return;
	jw->queued[task] = (uint8_t)in;
	jw->queue_len = in ? jw->queue_len + 1 : jw->queue_len - 1;
	jw_open(jw);
	trace_out_lit(&jw->o, "\"run queue\"");
	jw_where(jw, "C", ts, PID_THREADS, 0);
	trace_out_lit(&jw->o, ",\"args\":{\"tasks\":");
	trace_out_u64(&jw->o, jw->queue_len);
	trace_out_lit(&jw->o, "}}");
}

static void
jw_poll_done(json_writer *jw, uint16_t thread, const json_poll *p, uint64_t end,
             const char *result)
{
	jw_open(jw);
	trace_out_lit(&jw->o, "\"poll\"");
	jw_where(jw, "X", p->begin, PID_FUTURES, p->future);
	trace_out_lit(&jw->o, ",\"dur\":");
	jw_us(jw, end - p->begin);
	trace_out_lit(&jw->o, ",\"args\":{\"result\":\"");
	trace_out_lit(&jw->o, result);
	trace_out_lit(&jw->o, "\",\"poller\":");
	if (p->poller != 0)
		jw_future(jw, p->poller);
	else
		trace_out_lit(&jw->o, "\"executor\"");
	trace_out_lit(&jw->o, ",\"task\":");
	trace_out_u64(&jw->o, p->task);
	trace_out_lit(&jw->o, "}}");
	if (p->poller != 0)
		return;
	/* A task's poll also shows on the thread that ran it. */
	jw_open(jw);
	jw_future(jw, p->future);
	jw_where(jw, "X", p->begin, PID_THREADS, (uint64_t)thread + 1);
	trace_out_lit(&jw->o, ",\"dur\":");
	jw_us(jw, end - p->begin);
	trace_out_lit(&jw->o, ",\"args\":{\"result\":\"");
	trace_out_lit(&jw->o, result);
	trace_out_lit(&jw->o, "\",\"task\":");
	trace_out_u64(&jw->o, p->task);
	trace_out_lit(&jw->o, "}}");
}

static void
jw_blocked_done(json_writer *jw, uint16_t thread, json_thread *t, uint64_t end)
{
	static const char *const names[] = {
	        [TRACE_BLOCK_SLEEP] = "blocked (thread::sleep)",
	        [TRACE_BLOCK_JOIN] = "blocked (join)",
	        [TRACE_BLOCK_PARK] = "parked",
	};
	unsigned reason = (unsigned)(t->blocked - 1);
	unsigned r = reason & TRACE_BLOCK_MASK;
	jw_open(jw);
	jw_cstr(jw, r >= 1 && r <= 3 ? names[r] : "blocked");
	jw_where(jw, "X", t->blocked_since, PID_THREADS, (uint64_t)thread + 1);
	trace_out_lit(&jw->o, ",\"dur\":");
	jw_us(jw, end - t->blocked_since);
	if (reason & TRACE_IN_POLL) {
		trace_out_lit(&jw->o, ",\"args\":{\"inside_poll_of\":");
		jw_future(jw, t->blocked_future);
		trace_out_lit(&jw->o, "}");
	}
	jw_close(jw);
	t->blocked = 0;
}

static void
json_future_created(json_writer *jw, const trace_event *ev)
{
	if (ev->b != 0) {
		if (trace_out_grow((void **)&jw->fut_names, &jw->fut_cap, ev->future,
		              sizeof *jw->fut_names) != 0) {
			jw->oom = 1;
			return;
		}
		jw->fut_names[ev->future] = ev->b;
	}
	jw_meta(jw, "thread_name", PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, "{\"name\":");
	jw_future(jw, ev->future);
	trace_out_lit(&jw->o, "}}");
	jw_instant(jw, "created", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, ",\"args\":{\"type\":");
	jw_cstr(jw, ev->flags <= TRACE_FT_OTHER ? json_future_types[ev->flags]
	                                        : "future");
	if (ev->a != 0) {
		trace_out_lit(&jw->o, ",\"by\":");
		jw_future(jw, ev->a);
	}
	trace_out_lit(&jw->o, "}}");
}

static void
json_future_dropped(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "dropped", ev->time_ns, PID_FUTURES, ev->future);
	if (ev->flags & 1)
		trace_out_lit(&jw->o, ",\"args\":{\"never_polled\":true}");
	jw_close(jw);
}

static void
json_poll_begin(json_writer *jw, const trace_event *ev)
{
	json_thread *t = jw_thread_state(jw, ev->thread);
	if (t == NULL)
		return;
	if (t->len == t->cap) {
		size_t ncap = t->cap ? (size_t)t->cap * 2 : 8;
		json_poll *p = ncap <= UINT32_MAX
		                       ? realloc(t->polls, ncap * sizeof *p)
		                       : NULL;
		if (p == NULL) {
			jw->oom = 1;
			return;
		}
		t->polls = p;
		t->cap = (uint32_t)ncap;
	}
	t->polls[t->len++] = (json_poll){ev->future, ev->a, ev->b, ev->time_ns};
	if (ev->a == 0)
		jw_queue(jw, ev->time_ns, ev->b, 0);
}

static void
json_poll_end(json_writer *jw, const trace_event *ev)
{
	if (ev->thread >= jw->threads_cap)
		return;
	json_thread *t = &jw->threads[ev->thread];
	uint32_t k = t->len;
	while (k > 0 && t->polls[k - 1].future != ev->future)
		k--;
	if (k == 0)
		return;
	json_poll p = t->polls[k - 1];
	t->len = k - 1;
	jw_poll_done(jw, ev->thread, &p, ev->time_ns,
	             ev->flags == TRACE_READY ? "Ready" : "Pending");
}

static void
json_waker_registered(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "waker", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, ",\"args\":{\"task\":");
	trace_out_u64(&jw->o, ev->a);
	trace_out_lit(&jw->o, "}}");
}

static void
json_wake(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "wake", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, ",\"args\":{\"task\":");
	trace_out_u64(&jw->o, ev->b);
	trace_out_lit(&jw->o, ",\"by\":");
	if (ev->a != 0)
		jw_future(jw, ev->a);
	else
		trace_out_lit(&jw->o, "\"timer\"");
	trace_out_lit(&jw->o, "}}");
	jw_queue(jw, ev->time_ns, ev->b, 1);
}

static void
json_timer_armed(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "timer armed", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, ",\"args\":{\"deadline_us\":");
	jw_us(jw, trace_u64(ev));
	trace_out_lit(&jw->o, "}}");
}

static void
json_timer_fired(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "timer fired", ev->time_ns, PID_FUTURES, ev->future);
	jw_close(jw);
}

static void
json_thread_spawned(json_writer *jw, const trace_event *ev)
{
	if (ev->b != 0) {
		if (trace_out_grow((void **)&jw->thread_names, &jw->thread_cap,
		              ev->thread, sizeof *jw->thread_names) != 0) {
			jw->oom = 1;
			return;
		}
		jw->thread_names[ev->thread] = ev->b;
	}
	jw_meta(jw, "thread_name", PID_THREADS, (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, "{\"name\":");
	jw_thread(jw, ev->thread);
	trace_out_lit(&jw->o, "}}");
	jw_instant(jw, "thread spawned", ev->time_ns, PID_THREADS,
	           (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, ",\"args\":{\"by\":");
	jw_thread(jw, ev->a);
	trace_out_lit(&jw->o, "}}");
}

static void
json_thread_spawn_failed(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "spawn failed", ev->time_ns, PID_THREADS,
	           (uint64_t)ev->a + 1);
	trace_out_lit(&jw->o, ",\"args\":{\"message\":");
	jw_string(jw, ev->b);
	trace_out_lit(&jw->o, "}}");
}

static void
json_thread_blocked(json_writer *jw, const trace_event *ev)
{
	json_thread *t = jw_thread_state(jw, ev->thread);
	if (t == NULL)
		return;
	if (t->blocked)
		jw_blocked_done(jw, ev->thread, t, ev->time_ns);
	t->blocked = (uint8_t)(ev->flags + 1);
	t->blocked_since = ev->time_ns;
	t->blocked_future = ev->future;
}

static void
json_thread_resumed(json_writer *jw, const trace_event *ev)
{
	if (ev->thread < jw->threads_cap && jw->threads[ev->thread].blocked)
		jw_blocked_done(jw, ev->thread, &jw->threads[ev->thread],
		                ev->time_ns);
}

static void
json_thread_exited(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "exit", ev->time_ns, PID_THREADS,
	           (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, (ev->flags & 1) ? ",\"args\":{\"panicked\":true}}"
	                           : ",\"args\":{\"panicked\":false}}");
}

static void
json_task_spawned(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "task spawned", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_fmt(&jw->o,
	              ",\"args\":{\"task\":%" PRIu32 ",\"by_task\":%" PRIu32
	              "}}",
	              ev->a, ev->b);
	jw_queue(jw, ev->time_ns, ev->a, 1);
}

static void
json_task_done(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "task done", ev->time_ns, PID_FUTURES, ev->future);
	trace_out_lit(&jw->o, ",\"args\":{\"task\":");
	trace_out_u64(&jw->o, ev->a);
	trace_out_lit(&jw->o, "}}");
}

static void
json_output(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, ev->flags == 2 ? "stderr" : "stdout", ev->time_ns,
	           PID_THREADS, (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, ",\"args\":{\"text\":");
	jw_string(jw, ev->a);
	trace_out_lit(&jw->o, "}}");
}

static void
json_lint(json_writer *jw, const trace_event *ev)
{
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)ev->a);
	jw_instant(jw, info != NULL ? info->name : "lint", ev->time_ns, 0,
	           (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, ",\"args\":{\"detail\":");
	jw_string(jw, ev->b);
	if (ev->future != 0) {
		trace_out_lit(&jw->o, ",\"future\":");
		jw_future(jw, ev->future);
	}
	trace_out_lit(&jw->o, "}}");
}

static void
json_panic(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "panic", ev->time_ns, PID_THREADS,
	           (uint64_t)ev->thread + 1);
	trace_out_lit(&jw->o, ",\"args\":{\"message\":");
	jw_string(jw, ev->a);
	trace_out_fmt(&jw->o, ",\"line\":%" PRIu32 "}}", ev->b);
}

static void
json_run_end(json_writer *jw, const trace_event *ev)
{
	jw_instant(jw, "run end", ev->time_ns, 0, (uint64_t)ev->thread + 1);
	trace_out_fmt(&jw->o, ",\"args\":{\"status\":%" PRIu32 ",\"reason\":", ev->a);
	jw_string(jw, ev->b);
	trace_out_lit(&jw->o, "}}");
}

/* Kinds without an entry (clock, line, state, local) are left out: the
 * timeline shows the clock by itself, and the rest is for the TUI. */
static const json_render json_kinds[TRACE_KIND_COUNT] = {
        [TRACE_FUTURE_CREATED] = json_future_created,
        [TRACE_FUTURE_DROPPED] = json_future_dropped,
        [TRACE_POLL_BEGIN] = json_poll_begin,
        [TRACE_POLL_END] = json_poll_end,
        [TRACE_WAKER_REGISTERED] = json_waker_registered,
        [TRACE_WAKE] = json_wake,
        [TRACE_TIMER_ARMED] = json_timer_armed,
        [TRACE_TIMER_FIRED] = json_timer_fired,
        [TRACE_THREAD_SPAWNED] = json_thread_spawned,
        [TRACE_THREAD_SPAWN_FAILED] = json_thread_spawn_failed,
        [TRACE_THREAD_BLOCKED] = json_thread_blocked,
        [TRACE_THREAD_RESUMED] = json_thread_resumed,
        [TRACE_THREAD_EXITED] = json_thread_exited,
        [TRACE_TASK_SPAWNED] = json_task_spawned,
        [TRACE_TASK_DONE] = json_task_done,
        [TRACE_OUTPUT] = json_output,
        [TRACE_LINT] = json_lint,
        [TRACE_PANIC] = json_panic,
        [TRACE_RUN_END] = json_run_end,
};

int
trace_json_write(FILE *out, const trace_log *log)
{
	json_writer jw = {.o.out = out, .log = log, .first = 1};

	trace_out_lit(&jw.o, "{\"traceEvents\":[");
	jw_meta(&jw, "process_name", PID_THREADS, 0);
	trace_out_lit(&jw.o, "{\"name\":\"threads\"}}");
	jw_meta(&jw, "process_sort_index", PID_THREADS, 0);
	trace_out_lit(&jw.o, "{\"sort_index\":1}}");
	jw_meta(&jw, "process_name", PID_FUTURES, 0);
	trace_out_lit(&jw.o, "{\"name\":\"futures\"}}");
	jw_meta(&jw, "process_sort_index", PID_FUTURES, 0);
	trace_out_lit(&jw.o, "{\"sort_index\":2}}");
	jw_meta(&jw, "thread_name", PID_THREADS, 1);
	trace_out_lit(&jw.o, "{\"name\":\"main\"}}");

	size_t n = trace_log_stored(log);
	for (size_t i = 0; i < n && !jw.o.err && !jw.oom; i++) {
		const trace_event *ev = trace_log_at(log, i);
		jw.last = ev->time_ns;
		if (ev->kind < TRACE_KIND_COUNT && json_kinds[ev->kind] != NULL)
			json_kinds[ev->kind](&jw, ev);
	}

	/* Spans still open when the log ends (a panic, a lost wakeup, a
	 * budget) end there, marked as such. */
	for (size_t t = 0; t < jw.threads_cap; t++) {
		json_thread *th = &jw.threads[t];
		while (th->len > 0) {
			th->len--;
			jw_poll_done(&jw, (uint16_t)t, &th->polls[th->len],
			             jw.last, "unfinished");
		}
		if (th->blocked)
			jw_blocked_done(&jw, (uint16_t)t, th, jw.last);
		free(th->polls);
	}
	trace_out_lit(&jw.o,
	       "\n],\"displayTimeUnit\":\"ms\",\"otherData\":"
	       "{\"generator\":\"async-tutorial\",\"clock\":\"virtual\"}}\n");

	free(jw.threads);
	free(jw.fut_names);
	free(jw.thread_names);
	free(jw.queued);
	trace_out_flush(&jw.o);
	if (fflush(out) != 0 || ferror(out))
		jw.o.err = 1;
	return jw.o.err || jw.oom ? -1 : 0;
}
