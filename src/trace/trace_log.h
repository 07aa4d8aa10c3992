/* trace_log — the append-only event log of one simulated run.
 *
 * Contract: the simulator (src/sim) is the only writer; views (plain text,
 * JSON, the TUI, the shell) only read. A run is deterministic, so the log is
 * the whole truth about it: stepping backward is moving a cursor over it.
 *
 * Every event is a fixed-size record (24 bytes) plus strings in a string
 * table. Events are stored in emission order; their index is the sequence
 * number. Virtual times never decrease along the log.
 *
 * Two modes: TRACE_FULL stores every event and string; TRACE_COUNT stores
 * nothing (for a million futures with --output-only or --stats) but still
 * feeds every event to the lint detectors, so lints work in both modes.
 * In TRACE_COUNT mode trace_log_intern returns 0 and callers must not rely on
 * string ids; the simulator skips formatting names then
 * (trace_log_wants_strings).
 */
#ifndef ASYNC_TUTORIAL_TRACE_TRACE_LOG_H
#define ASYNC_TUTORIAL_TRACE_TRACE_LOG_H

#include <stddef.h>
#include <stdint.h>

/* Ids: futures are numbered from 1 in creation order (0 = none, e.g. "the
 * executor" as a poller). Threads are numbered from 0 in spawn order; thread
 * 0 is `main`. Tasks are numbered from 0: task 0 is the future given to
 * block_on (`#[tokio::main]`'s main), tokio::spawn makes tasks 1, 2, ...
 * String id 0 is the empty string. */

typedef enum trace_kind {
	/* future: the new future. a: the future that created it (the one being
	 * polled or run at the time, 0 if none). b: name string ("foo(3)",
	 * "sleep(1s)", "join_all[10]", "join!", "task 2", "main()").
	 * flags: a trace_future_type. */
	TRACE_FUTURE_CREATED,
	/* future: dropped (went out of scope or its owner dropped it).
	 * flags: 1 if it was never polled. */
	TRACE_FUTURE_DROPPED,
	/* future: being polled. a: the poller (parent future), 0 = the executor
	 * polling a task's root. b: the task id. */
	TRACE_POLL_BEGIN,
	/* future: poll finished. flags: TRACE_PENDING or TRACE_READY.
	 * a: for an async fn/block returning Pending, the await point index
	 * (1-based) it is suspended at; 0 otherwise. b: source line of that await
	 * point (0 if none). */
	TRACE_POLL_END,
	/* A leaf future (sleep, JoinHandle, a join_all child slot) stored the
	 * current waker. future: the leaf. a: task id the waker belongs to.
	 * b: for a per-child waker of a big join_all, the join_all future id;
	 * else 0. */
	TRACE_WAKER_REGISTERED,
	/* A waker fired. future: what becomes runnable — the task's root future
	 * (flags TRACE_WAKE_TASK) or a join_all child (flags TRACE_WAKE_CHILD).
	 * a: the future being polled on this thread when it fired (0 when the
	 * timer driver fired it). b: task id. */
	TRACE_WAKE,
	/* future: the sleep future. a, b: deadline in ns (low, high 32 bits). */
	TRACE_TIMER_ARMED,
	/* future: the sleep future whose deadline passed. */
	TRACE_TIMER_FIRED,
	/* The virtual clock jumped forward because every thread was waiting.
	 * time: the new time. a, b: the old time (low, high). */
	TRACE_CLOCK_ADVANCE,
	/* thread: the new thread. a: the spawning thread. b: name string.
	 * flags: the stack it reserves, in MiB (8 for main, as Linux gives
	 * the main thread; 2 for spawned threads, Rust's default). */
	TRACE_THREAD_SPAWNED,
	/* thread: the thread that could not be spawned would have had this id;
	 * a: the spawning thread. b: message string. */
	TRACE_THREAD_SPAWN_FAILED,
	/* thread: blocked. flags: a trace_block_reason, plus TRACE_IN_POLL if a
	 * future's poll is on that thread's stack (blocking inside async).
	 * a, b: for SLEEP/PARK the wake-up time (low, high); for JOIN the thread
	 * waited for (a). future: the future being polled, if TRACE_IN_POLL. */
	TRACE_THREAD_BLOCKED,
	/* thread: runs again. */
	TRACE_THREAD_RESUMED,
	/* thread: finished. flags: 1 if it panicked. */
	TRACE_THREAD_EXITED,
	/* future: the task's root future. a: the new task id. b: spawning
	 * task id. */
	TRACE_TASK_SPAWNED,
	/* future: root future. a: task id. */
	TRACE_TASK_DONE,
	/* thread printed. a: string (the text, including its '\n' if any).
	 * flags: 1 = stdout, 2 = stderr. */
	TRACE_OUTPUT,
	/* thread moved to a new source line. a: line, b: column. future: the
	 * future being polled (0 if none). */
	TRACE_LINE,
	/* An async fn/block future changed state. future: it. a: state index
	 * (0 = Start, k = suspended at await point k, 0xffffffff = Done). */
	TRACE_STATE,
	/* Value of a live local of a suspended future, right after TRACE_STATE.
	 * future: it. a: local name string. b: value string (Debug format). */
	TRACE_LOCAL,
	/* a: trace_lint_id. future: the future concerned (0 if none).
	 * b: detail string. Emitted by the lint detectors, see trace_lint.h. */
	TRACE_LINT,
	/* thread panicked. a: message string. b: line (flags unused). */
	TRACE_PANIC,
	/* The run ended. a: exit status (0, 1, 101). b: reason string. */
	TRACE_RUN_END,
	TRACE_KIND_COUNT
} trace_kind;

enum trace_poll_result { TRACE_PENDING = 1, TRACE_READY = 2 };
enum trace_wake_target { TRACE_WAKE_TASK = 1, TRACE_WAKE_CHILD = 2 };

typedef enum trace_future_type {
	TRACE_FT_ASYNC_FN,    /* calling an async fn */
	TRACE_FT_ASYNC_BLOCK, /* async { } */
	TRACE_FT_SLEEP,       /* tokio::time::sleep */
	TRACE_FT_JOIN_ALL,    /* futures::future::join_all */
	TRACE_FT_JOIN,        /* tokio::join! */
	TRACE_FT_JOIN_HANDLE, /* tokio::spawn's JoinHandle */
	TRACE_FT_TASK,        /* a task's root wrapper */
	TRACE_FT_OTHER
} trace_future_type;

typedef enum trace_block_reason {
	TRACE_BLOCK_SLEEP = 1, /* thread::sleep */
	TRACE_BLOCK_JOIN = 2,  /* JoinHandle::join */
	TRACE_BLOCK_PARK = 3,  /* the executor parks until its next timer */
	TRACE_BLOCK_MASK = 0x0f,
	TRACE_IN_POLL = 0x10
} trace_block_reason;

typedef struct trace_event {
	uint64_t time_ns;
	uint32_t future;
	uint32_t a;
	uint32_t b;
	uint16_t thread;
	uint8_t kind;
	uint8_t flags;
} trace_event;

typedef enum trace_mode { TRACE_FULL, TRACE_COUNT } trace_mode;

typedef struct trace_log trace_log;
struct trace_lint; /* trace_lint.h */

trace_log *
trace_log_new(trace_mode mode);

void
trace_log_free(trace_log *log);

trace_mode
trace_log_mode(const trace_log *log);

#define trace_log_wants_strings(log) (trace_log_mode(log) == TRACE_FULL)

/* Copies s[0..len) into the string table; returns its id (never 0 for a
 * stored string; 0 in TRACE_COUNT mode or on allocation failure). */
uint32_t
trace_log_intern(trace_log *log, const char *s, size_t len);

/* The string for an id ("" for 0 or an unknown id). *len may be NULL.
 * Strings are NUL-terminated but may hold NULs; the pointer is valid until
 * the next trace_log_intern (the table may move as it grows). */
const char *
trace_log_string(const trace_log *log, uint32_t id, size_t *len);

/* Appends an event (stores it in TRACE_FULL mode) and feeds the lint
 * detectors attached with trace_log_set_lints. Returns 0 on success, -1 if
 * memory ran out (the event is then lost, the run should stop). */
int
trace_log_emit(trace_log *log, const trace_event *ev);

/* Attach lint detectors; each emitted event is fed to them. The log does not
 * own them. Lint events they produce are appended to the log too. */
void
trace_log_set_lints(trace_log *log, struct trace_lint *lints);

/* The detectors attached, or NULL. */
struct trace_lint *
trace_log_lints(const trace_log *log);

/* Number of events emitted (stored or not). */
uint64_t
trace_log_count(const trace_log *log);

/* Stored events: valid for i < trace_log_stored(log); NULL beyond. */
size_t
trace_log_stored(const trace_log *log);

const trace_event *
trace_log_at(const trace_log *log, size_t i);

/* Bytes used by stored events and strings (for --stats and benchmarks). */
size_t
trace_log_bytes(const trace_log *log);

/* 64-bit payload helpers for events that carry a time in a and b. */
#define trace_u64(ev) (((uint64_t)(ev)->b << 32) | (uint64_t)(ev)->a)
#define trace_set_u64(ev, v) \
	((ev)->a = (uint32_t)(v), (ev)->b = (uint32_t)((uint64_t)(v) >> 32))

#endif
