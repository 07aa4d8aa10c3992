/* trace_view — the visualizer's view model: a cursor over a finished trace
 * and everything the screens derive from it at that cursor.
 *
 * Contract: trace_view_new indexes a finished TRACE_FULL log (and, if given,
 * the compiled program, for source text, await points and state machines).
 * The log and the program must outlive the view and must not change while
 * it exists. The view never prints and never touches the terminal: every
 * answer is data, in structs with fixed-size text buffers or in caller
 * buffers. All text the view returns (names, sentences, program output) is
 * printable UTF-8: control characters and invalid bytes are escaped as the
 * plain trace escapes them ("\n", "\x1b"), so a front end can draw it as is.
 * Text that does not fit a buffer is cut on a character boundary.
 *
 * The cursor c lies in [0, N] (N = trace_view_events): the first c events
 * have happened, event c-1 is "the one just shown", and the clock reads the
 * time of event c-1 (0 at c = 0). Every query answers for the cursor as it
 * is now. Seeking anywhere costs about the same (design.md section 7: at
 * most 20 ms with a million futures): per-future and per-thread lists of
 * event indices locate each row's last event by binary search, and periodic
 * snapshots of the global counts (state counts, run queue and timer counts,
 * tick numbers) are replayed forward for at most TRACE_VIEW_SNAPSHOT_EVERY
 * events. Derived state never depends on how the cursor got there.
 *
 * Step sizes: an event step stops after every event; a poll step stops where
 * the event just shown is a POLL_BEGIN or POLL_END; an instant step stops
 * where the clock enters a new instant (after the last event of each).
 * An instant is one millisecond of virtual time (TRACE_VIEW_INSTANT_NS),
 * the resolution of Tokio's timer: every instruction costs virtual time, so
 * distinct clock readings would make nearly every event its own instant,
 * while a millisecond groups "everything that ran before the timers fire".
 * Cursors 0 and N are stops for every step size. "Tick i of M" counts stops:
 * i is the number of stops in (0, c], M the number in (0, N].
 *
 * The futures tree. Each future has one tree parent for the whole run:
 *   - the future that first polled it (POLL_BEGIN's `a`), if that is a
 *     future: so a join_all, join! or async fn owns what it awaits, even
 *     when the caller created the children before the combinator existed;
 *   - none (a top-level row) if the executor polled it first: a task's root
 *     future, including main's;
 *   - its creator (FUTURE_CREATED's `a`, none if 0) if it was never polled.
 * Children are ordered by id (creation order), top-level rows too. At a
 * cursor only the futures created before it are rows, and a row whose tree
 * parent does not exist yet (join_all's children before join_all is built)
 * shows under its nearest existing ancestor, one level shallower: so
 * foo(1..3) sit under main() until join_all[3] is created, then under it.
 * Dropped futures stay in the tree (state dropped) until folded away.
 * Display order is preorder; a folded row hides its descendants.
 *
 * Future states at the cursor: created (never polled yet), polling (a poll
 * of it is on a thread's stack), pending (its last poll returned Pending),
 * woken (created or pending, and a WAKE targeted it since its last
 * POLL_BEGIN: it is runnable, not yet polled again), ready, dropped.
 */
#ifndef ASYNC_TUTORIAL_TRACE_TRACE_VIEW_H
#define ASYNC_TUTORIAL_TRACE_TRACE_VIEW_H

#include "lang/lang_compile.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"

#include <stddef.h>
#include <stdint.h>

/* Events between two snapshots of the global counts: a seek replays at
 * most this many. */
#define TRACE_VIEW_SNAPSHOT_EVERY 1024

/* Sizes of the fixed text buffers below (bytes, NUL included). */
#define TRACE_VIEW_NAME_MAX 64
#define TRACE_VIEW_TEXT_MAX 128
#define TRACE_VIEW_SENTENCE_MAX 256

typedef struct trace_view trace_view;

/* --- building ------------------------------------------------------------ */

/* Indexes the log; prog may be NULL (no source, no await-point lines: state
 * machines then come from the STATE events alone). Returns NULL if memory
 * ran out, if the log is not a TRACE_FULL log or has more than
 * UINT32_MAX - 1 events. Costs three passes over the log: under a second
 * and about 14 bytes per event (260 MB) for the million-future trace. */
trace_view *
trace_view_new(const trace_log *log, const lang_program *prog);

void
trace_view_free(trace_view *v);

/* Bytes the view holds (its indexes and snapshots), not counting the log. */
size_t
trace_view_bytes(const trace_view *v);

const trace_log *
trace_view_log(const trace_view *v);

/* --- the cursor ---------------------------------------------------------- */

typedef enum trace_view_step {
	TRACE_VIEW_STEP_EVENT,
	TRACE_VIEW_STEP_POLL,
	TRACE_VIEW_STEP_INSTANT,
	TRACE_VIEW_STEP_COUNT
} trace_view_step;

#define TRACE_VIEW_INSTANT_NS UINT64_C(1000000)

/* "event", "poll", "instant"; NULL for an unknown step. */
const char *
trace_view_step_name(trace_view_step step);

/* The step named `name` (as trace_view_step_name gives it), or -1. */
int
trace_view_step_parse(const char *name);

/* N: the number of events, the last cursor. */
size_t
trace_view_events(const trace_view *v);

size_t
trace_view_cursor(const trace_view *v);

/* The clock at the cursor: the time of event c-1, 0 at cursor 0. */
uint64_t
trace_view_now(const trace_view *v);

/* The time of the last event (the run's length in virtual time). */
uint64_t
trace_view_end_time(const trace_view *v);

/* Moves the cursor to c (clamped to [0, N]). */
void
trace_view_seek(trace_view *v, size_t c);

/* Moves to the first cursor whose clock is at or after ns (N if none) and
 * returns it. */
size_t
trace_view_seek_time(trace_view *v, uint64_t ns);

/* Moves to the next (previous) stop of this step size. Returns 1 if the
 * cursor moved, 0 if it was already at N (at 0). */
int
trace_view_next(trace_view *v, trace_view_step step);

int
trace_view_prev(trace_view *v, trace_view_step step);

void
trace_view_first(trace_view *v);

void
trace_view_last(trace_view *v);

/* "Tick *i of *m" for the status line, in this step size (see above). */
void
trace_view_tick(const trace_view *v, trace_view_step step, uint64_t *i,
                uint64_t *m);

/* --- futures and tasks --------------------------------------------------- */

typedef enum trace_view_fstate {
	TRACE_VIEW_F_NONE, /* not created yet at the cursor (or no such id) */
	TRACE_VIEW_F_CREATED,
	TRACE_VIEW_F_POLLING,
	TRACE_VIEW_F_PENDING,
	TRACE_VIEW_F_WOKEN,
	TRACE_VIEW_F_READY,
	TRACE_VIEW_F_DROPPED,
	TRACE_VIEW_F_COUNT
} trace_view_fstate;

/* "not yet", "created", "polling", "pending", "woken", "ready",
 * "dropped". */
const char *
trace_view_fstate_name(trace_view_fstate state);

/* One row of the futures tree at the cursor. */
typedef struct trace_view_row {
	uint32_t future;
	uint32_t parent;   /* the row it shows under (nearest existing tree
	                      ancestor), 0 for a top-level row */
	uint32_t task;     /* the task it runs in */
	uint32_t depth;    /* 0 for a top-level row */
	trace_future_type type;
	trace_view_fstate state;
	uint64_t polls;    /* polls begun so far */
	size_t created;    /* index of its FUTURE_CREATED event */
	int has_children;  /* some descendant exists at the cursor */
	int folded;
	char name[TRACE_VIEW_NAME_MAX];     /* "foo(3)" */
	char waiting[TRACE_VIEW_TEXT_MAX];  /* what it waits for, in words:
	                                       "timer at 1.001 s", "timer
	                                       fired at 1.001 s", "child
	                                       join_all[10]", "JoinHandle of
	                                       task 2", "children (2 of 3
	                                       done)", "its first poll", "a
	                                       poll: woken by the timer", or
	                                       while polling what blocks its
	                                       thread ("thread::sleep until
	                                       0.500 s", "join thread 3");
	                                       "" if nothing */
} trace_view_row;

/* Futures in the whole trace (ids are 1..this). */
uint32_t
trace_view_futures(const trace_view *v);

/* Futures created before the cursor (ids 1..this exist at the cursor). */
uint32_t
trace_view_futures_created(const trace_view *v);

/* Rows in display order at the cursor (folded subtrees skipped). */
size_t
trace_view_rows(const trace_view *v);

/* Fills rows[0..k) with display rows first, first+1, ... and returns k
 * (fewer than count at the end, 0 past it). */
size_t
trace_view_window(const trace_view *v, size_t first, size_t count,
                  trace_view_row *rows);

/* The display row of a future at the cursor, or SIZE_MAX if it does not
 * exist yet or is inside a folded subtree. */
size_t
trace_view_row_of(const trace_view *v, uint32_t future);

/* One future at the cursor as a row, whether or not it is displayed.
 * Returns 0, or -1 if the id is unknown (row->state is then NONE). A future
 * not created yet gets its static fields and state NONE. */
int
trace_view_future(const trace_view *v, uint32_t future, trace_view_row *row);

/* Folds (folded = 1) or unfolds a row. Returns 0, -1 for an unknown id or
 * if memory ran out. Folding is kept across seeks. */
int
trace_view_fold(trace_view *v, uint32_t future, int folded);

int
trace_view_is_folded(const trace_view *v, uint32_t future);

/* Unfolds everything. */
void
trace_view_unfold_all(trace_view *v);

/* How many futures are in each state at the cursor (index by
 * trace_view_fstate; counts[TRACE_VIEW_F_NONE] = not created yet). */
void
trace_view_counts(const trace_view *v, uint64_t counts[TRACE_VIEW_F_COUNT]);

/* --- timeline strips ----------------------------------------------------- */

typedef enum trace_view_cell {
	TRACE_VIEW_CELL_NONE,    /* not created yet, or after the cursor */
	TRACE_VIEW_CELL_CREATED, /* exists, never polled */
	TRACE_VIEW_CELL_POLLING, /* polled at some time in the cell: wins */
	TRACE_VIEW_CELL_PENDING,
	TRACE_VIEW_CELL_READY,
	TRACE_VIEW_CELL_DROPPED
} trace_view_cell;

/* One future's Gantt strip over virtual time [t0, t1) cut into w equal
 * cells, using only the events before the cursor (cells after the clock are
 * NONE, so the strip never tells the future). In a cell where the state
 * changed, the first of polling, ready, pending, created, dropped that held
 * there wins. Returns 0, -1 for an unknown future or t1 <= t0. */
int
trace_view_strip(const trace_view *v, uint32_t future, uint64_t t0,
                 uint64_t t1, trace_view_cell *cells, size_t w);

/* Polls begun in each cell over all futures, up to the cursor. Returns the
 * largest cell value (for scaling). */
uint32_t
trace_view_density(const trace_view *v, uint64_t t0, uint64_t t1,
                   uint32_t *polls, size_t w);

/* --- threads ------------------------------------------------------------- */

typedef enum trace_view_tstate {
	TRACE_VIEW_T_NOT_SPAWNED,
	TRACE_VIEW_T_RUNNING,
	TRACE_VIEW_T_BLOCKED,
	TRACE_VIEW_T_EXITED
} trace_view_tstate;

typedef struct trace_view_thread_row {
	uint32_t id;
	trace_view_tstate state;
	unsigned block;     /* when blocked: TRACE_BLOCK_SLEEP/JOIN/PARK */
	int in_poll;        /* blocked inside a poll (blocking in async) */
	uint64_t until_ns;  /* sleep/park wake-up time, 0 if none */
	uint32_t joining;   /* the thread a JOIN waits for */
	uint32_t polling;   /* innermost future being polled on it, 0 none */
	int panicked;       /* exited by a panic */
	uint64_t cpu_ns;    /* virtual time spawned and not blocked, so far */
	uint64_t spawned_ns;
	char name[TRACE_VIEW_NAME_MAX];
	char doing[TRACE_VIEW_TEXT_MAX]; /* "thread::sleep until 1.000 s",
	                                    "join thread 2", "parked until
	                                    1.001 s" (plus " in a poll of
	                                    foo(2)" when blocking inside
	                                    async), "polling foo(3)",
	                                    "running", "exited", "panicked",
	                                    "not yet spawned" */
} trace_view_thread_row;

/* Threads in the whole trace (ids 0..this-1). */
uint32_t
trace_view_threads(const trace_view *v);

/* Returns 0, or -1 for an unknown thread. */
int
trace_view_thread(const trace_view *v, uint32_t thread,
                  trace_view_thread_row *out);

/* The source position running now on a thread: the last TRACE_LINE on it
 * or, if later, the await point its last Pending poll stopped at. */
typedef struct trace_view_pos {
	uint32_t line, col; /* 1-based; line 0: no position yet */
	uint32_t future;    /* whose code it is (0: not in a future) */
	uint32_t await;     /* await point index if it stopped there, else 0 */
	size_t event;       /* the event that set it */
} trace_view_pos;

/* Returns 0, or -1 if the thread has no position at the cursor. */
int
trace_view_source_pos(const trace_view *v, uint32_t thread,
                      trace_view_pos *out);

/* --- source (only with a program) ----------------------------------------- */

/* Lines of the program's source (0 without a program). */
uint32_t
trace_view_source_lines(const trace_view *v);

/* Line n (1-based), without its newline; NULL if out of range. The text is
 * the program's own (not escaped). */
const char *
trace_view_source_line(const trace_view *v, uint32_t n, size_t *len);

/* Whether an .await of the program is on line n. */
int
trace_view_is_await_line(const trace_view *v, uint32_t n);

/* --- executor ------------------------------------------------------------ */

typedef struct trace_view_queued {
	uint32_t task;
	uint32_t future; /* its root future */
	size_t event;    /* the spawn or wake that queued it */
} trace_view_queued;

/* The run queue at the cursor: tasks spawned or woken and not polled since,
 * in the order they will run. Fills out[0..min(n, length)) from the head;
 * returns the length. */
size_t
trace_view_run_queue(const trace_view *v, trace_view_queued *out, size_t n);

typedef struct trace_view_timer {
	uint32_t future; /* the sleep */
	uint64_t deadline_ns;
	size_t event;    /* its TIMER_ARMED */
} trace_view_timer;

/* Timers armed and not yet fired (nor dropped) at the cursor, in firing
 * order (deadline, then arming order). Fills out[0..min(n, count));
 * returns the count. */
size_t
trace_view_timers(const trace_view *v, trace_view_timer *out, size_t n);

typedef struct trace_view_wake {
	size_t event;
	uint32_t target; /* task root or join_all child */
	uint32_t by;     /* future that fired it, 0 = the timer driver */
	uint32_t task;
	int child;       /* a join_all child's own waker */
} trace_view_wake;

/* The last WAKE before the cursor. Returns 0, or -1 if none yet. */
int
trace_view_last_wake(const trace_view *v, trace_view_wake *out);

/* --- program output ------------------------------------------------------ */

/* Lines the program has printed before the cursor, counting an unfinished
 * last line (stdout and stderr interleaved as printed). */
size_t
trace_view_output_lines(const trace_view *v);

/* 1 if the last line is unfinished (no newline yet). */
int
trace_view_output_partial(const trace_view *v);

/* Line i (0-based) as of the cursor, escaped, without its newline, into
 * buf as snprintf does (returns the whole escaped length). *stream (may be
 * NULL) gets 1 (stdout) or 2 (stderr): the stream of its first piece. Out
 * of range: "" and 0. Reading the last n lines costs O(n log N). */
size_t
trace_view_output_line(const trace_view *v, size_t i, char *buf,
                       size_t size, int *stream);

/* --- narration and lints ------------------------------------------------- */

/* One plain English sentence for the event just before the cursor ("foo(3)
 * returned Pending: its sleep is armed for 1.001 s, so join_all[3] moves on
 * to foo(4)"), or an opening sentence at cursor 0. Written as snprintf
 * does; returns the whole length. */
size_t
trace_view_narrate(const trace_view *v, char *buf, size_t size);

/* The same for any event index (as if the cursor were just after it). */
size_t
trace_view_narrate_event(const trace_view *v, size_t event, char *buf,
                         size_t size);

typedef struct trace_view_lint_row {
	trace_lint_id id;
	const char *name;        /* "blocking-in-async" (static) */
	const char *explanation; /* one line (static) */
	size_t event;            /* its TRACE_LINT event */
	uint32_t future;         /* concerned, 0 if none */
	char detail[TRACE_VIEW_SENTENCE_MAX];
} trace_view_lint_row;

/* Lints fired before the cursor. */
size_t
trace_view_lints(const trace_view *v);

/* Lint i (0-based, in firing order). Returns 0, or -1 if out of range. */
int
trace_view_lint(const trace_view *v, size_t i, trace_view_lint_row *out);

/* --- the state machine of an async fn or block (key d) -------------------- */

typedef struct trace_view_machine {
	uint32_t future;
	int known;         /* its function was found in the program */
	uint32_t nstates;  /* Start, Await1..AwaitN, Done: N + 2 */
	uint32_t current;  /* 0 Start, k = Await k, nstates-1 Done */
	int polling;       /* being polled now (current is where it began) */
	uint32_t nlocals;  /* live locals recorded at its last suspension */
	char func[TRACE_VIEW_NAME_MAX]; /* "foo", "async block (line 7)" */
} trace_view_machine;

typedef struct trace_view_machine_state {
	char label[TRACE_VIEW_NAME_MAX]; /* "Start", "Await1", "Done" */
	uint32_t line;                   /* an await point's line, else 0 */
	uint32_t col;
} trace_view_machine_state;

typedef struct trace_view_local {
	char name[TRACE_VIEW_NAME_MAX];
	char value[TRACE_VIEW_TEXT_MAX]; /* Debug format, cut to fit */
} trace_view_local;

/* The state machine of an async fn/block future at the cursor. Without the
 * program, the await points are those its STATE events reached so far.
 * Returns 0, or -1 if the future is not an async fn or block or the id is
 * unknown. */
int
trace_view_sm(const trace_view *v, uint32_t future, trace_view_machine *out);

/* State i < sm->nstates. Returns 0, or -1 if out of range. */
int
trace_view_sm_state(const trace_view *v, const trace_view_machine *sm, uint32_t i,
                    trace_view_machine_state *out);

/* Local i < sm->nlocals, with its value at the cursor. Returns 0, or -1. */
int
trace_view_sm_local(const trace_view *v, const trace_view_machine *sm, uint32_t i,
                    trace_view_local *out);

/* --- names and times ----------------------------------------------------- */

/* A future's or thread's name, escaped ("future #N" / "thread N" if
 * unnamed), as snprintf does. */
size_t
trace_view_future_name(const trace_view *v, uint32_t future, char *buf,
                       size_t size);

size_t
trace_view_thread_name(const trace_view *v, uint32_t thread, char *buf,
                       size_t size);

/* A virtual time in seconds without rounding: 3 decimals when it is whole
 * milliseconds ("1.001 s"), 6 for whole microseconds, else 9. As
 * snprintf. */
size_t
trace_view_fmt_time(uint64_t ns, char *buf, size_t size);

/* A duration in the largest unit that shows it exactly, as Rust's Debug
 * does: "1 s", "500 ms", "1.5 s", "3 µs", "10 ns". As snprintf. */
size_t
trace_view_fmt_duration(uint64_t ns, char *buf, size_t size);

#endif
