/* trace_lint — detectors of async mistakes, fed the trace one event at a time.
 *
 * Contract: a trace_lint is attached to a log (trace_log_set_lints) and sees
 * every event the simulator emits, in order, in both trace modes; it keeps
 * about one byte per future (names are looked up in the log only when a lint
 * fires), so a million-future run stays cheap. Each lint fires at most once
 * per run: the first occurrence is recorded (event index, time, future,
 * thread, a one-line detail) and, if a log is given, a TRACE_LINT event is
 * appended to it. Events the detectors append are stored and counted by the
 * log but not fed back to the detectors, so emitting from inside a detector is
 * safe. The end of the run (TRACE_RUN_END, or trace_lint_finish) runs the
 * end-of-run checks; later events are ignored.
 *
 * The lints, their stable names and the heuristics (the table in
 * trace_lint.c carries the one-line explanations shown to users):
 *
 * blocking-in-async: a TRACE_THREAD_BLOCKED with TRACE_IN_POLL, unless it is a
 *   thread::sleep of zero duration. Fires on the event itself.
 *
 * sequential-await: a poller P returns to polling after its child C1, which had
 *   returned Pending at least once, returned Ready; P then polls a child C2
 *   for the first time; C2 was created before C1 finished (a lower future id
 *   than any created after C1's Ready); C2 is not a JoinHandle (a spawned task
 *   runs whether or not it is awaited); and C2's first poll returns Pending
 *   (had C2 been Ready at once, awaiting in turn cost nothing). Fires on that
 *   poll's end. This is `for f in futures { f.await; }`; join_all, join! and
 *   `for i in .. { foo(i).await }` (each future created when awaited) do not
 *   fire.
 *
 * never-awaited: a future, other than a JoinHandle (dropping one detaches its
 *   task), is dropped without ever having been polled, or is still unpolled
 *   when the run ends normally (TRACE_RUN_END with status 0, or
 *   trace_lint_finish; a panic or a lost wakeup stops a run early, and then
 *   only drops count). Fires at the end of the run, naming the first such
 *   future (the first dropped, else the lowest id) and how many there were;
 *   the recorded event index is that of the first drop when there was one.
 *
 * lost-wakeup: detected by the simulator (everything is Pending and nothing
 *   can wake it). Report it with trace_lint_report, which honours --allow;
 *   a TRACE_LINT event the simulator emits itself is also recorded.
 *
 * busy-wake: a task is woken, during its own poll, by one of its own futures
 *   (TRACE_WAKE whose b is the polled task and a is not 0) in
 *   TRACE_LINT_BUSY_WAKE_STREAK consecutive polls of that task in which no
 *   child future became Ready, nothing was printed and no other task was
 *   woken. A poll that made progress resets the count, so Tokio's cooperative
 *   budget (a task that did real work yields and wakes itself) does not fire.
 *
 * All lints are on by default; trace_lint_set turns one off (--allow) or on
 * (--warn).
 */
#ifndef ASYNC_TUTORIAL_TRACE_TRACE_LINT_H
#define ASYNC_TUTORIAL_TRACE_TRACE_LINT_H

#include "trace/trace_log.h"

#include <stddef.h>
#include <stdint.h>

/* The values are stored in TRACE_LINT events (field a): never renumber. */
typedef enum trace_lint_id {
	TRACE_LINT_BLOCKING_IN_ASYNC = 0,
	TRACE_LINT_SEQUENTIAL_AWAIT = 1,
	TRACE_LINT_NEVER_AWAITED = 2,
	TRACE_LINT_LOST_WAKEUP = 3,
	TRACE_LINT_BUSY_WAKE = 4,
	TRACE_LINT_COUNT
} trace_lint_id;

/* Consecutive self-woken polls without progress before busy-wake fires. */
#define TRACE_LINT_BUSY_WAKE_STREAK 100

typedef struct trace_lint_info {
	trace_lint_id id;
	const char *name;        /* stable, for --warn/--allow: "busy-wake" */
	const char *explanation; /* one line, no final period */
} trace_lint_info;

/* One lint's first occurrence. */
typedef struct trace_lint_hit {
	trace_lint_id id;
	uint64_t seq;     /* index of the event where it happened */
	uint64_t time_ns; /* virtual time of that event */
	uint32_t future;  /* the future concerned, 0 if none */
	uint16_t thread;
	uint64_t count;     /* occurrences known (never-awaited: futures) */
	const char *detail; /* one line, e.g. "foo(3) blocked thread main ..." */
} trace_lint_hit;

typedef struct trace_lint trace_lint;

/* The table entry for an id, NULL if out of range. */
const trace_lint_info *
trace_lint_info_of(trace_lint_id id);

/* The id for a stable name, -1 if there is no such lint. */
int
trace_lint_lookup(const char *name);

/* NULL if memory ran out. All lints on. */
trace_lint *
trace_lint_new(void);

void
trace_lint_free(trace_lint *lints);

/* Turns the lint called name on (1) or off (0). Returns 0, or -1 for an
 * unknown name (settings are unchanged then). */
int
trace_lint_set(trace_lint *lints, const char *name, int on);

int
trace_lint_enabled(const trace_lint *lints, trace_lint_id id);

/* Feeds one event; seq is its index in the log. log may be NULL (nothing is
 * appended then, and future names fall back to "future #N"); when it is
 * given, names are read from its string table. trace_log_emit calls this.
 * Returns 0, or -1 if memory ran out. */
int
trace_lint_feed(trace_lint *lints, trace_log *log, const trace_event *ev,
		uint64_t seq);

/* Runs the end-of-run checks as for a normal end (idempotent; TRACE_RUN_END
 * does this itself). Returns 0, or -1 if memory ran out. */
int
trace_lint_finish(trace_lint *lints, trace_log *log);

/* A lint found outside the detectors (the simulator's lost-wakeup): records
 * it and appends its TRACE_LINT event, unless the lint is off or has already
 * fired. The event's time and thread are ev_time_ns and thread; detail is
 * copied. Returns 1 if it was recorded, 0 if not, -1 if memory ran out. */
int
trace_lint_report(trace_lint *lints, trace_log *log, trace_lint_id id,
		  uint32_t future, uint16_t thread, uint64_t ev_time_ns,
		  const char *detail);

/* The lints that fired, in the order they fired: i < trace_lint_fired_count.
 * The detail pointers stay valid until trace_lint_free. */
size_t
trace_lint_fired_count(const trace_lint *lints);

const trace_lint_hit *
trace_lint_fired(const trace_lint *lints, size_t i);

/* The hit of one lint, NULL if it has not fired. */
const trace_lint_hit *
trace_lint_hit_of(const trace_lint *lints, trace_lint_id id);

/* Writes the names of the lints that fired, in order, comma-separated
 * ("blocking-in-async,never-awaited"; "" if none), as snprintf does: returns
 * the length of the whole text; at most size-1 bytes and a NUL are written. */
size_t
trace_lint_fired_names(const trace_lint *lints, char *buf, size_t size);

/* Bytes of memory the detectors hold (for --stats and the memory tests). */
size_t
trace_lint_bytes(const trace_lint *lints);

#endif
