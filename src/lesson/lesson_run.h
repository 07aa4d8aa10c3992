/* lesson_run — running a lesson's program, and reading its run.
 *
 * Contract: lesson_run_program compiles and runs one program text exactly
 * as `async-tutorial run` would (same simulator, default budgets, all lints
 * on) and keeps what lessons make claims about: whether it compiled (with
 * the compiler's diagnostics), how it ended, its statistics (the virtual
 * time is stats.virtual_ns, the "elapsed" of goals and predict-time
 * quizzes), which lints fired, everything it printed (stdout and stderr
 * interleaved in the order printed, as a terminal shows them) and, when
 * asked, the full trace for finding narration moments. It never prints.
 *
 * This module also holds the small languages lessons use to talk about a
 * run: durations ("1.5 s"), line selections of the output ("first 2"),
 * the normalised comparison of outputs, and moments ("pending foo(1) #2",
 * "1.5 s", "end"), each parsed from text and matched against a run. Their
 * grammar is documented for teachers in async-tutorial-lessons(5); keep the
 * two in step.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_RUN_H
#define ASYNC_TUTORIAL_LESSON_LESSON_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_diag.h"
#include "sim/sim_run.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"

/* The most output a run keeps (a lesson's claims are about a few lines;
 * this only bounds a runaway printing loop). Beyond it, output_truncated. */
#define LESSON_RUN_MAX_OUTPUT (4u * 1024u * 1024u)

typedef struct lesson_run_options {
	const char *name;           /* panic locations; NULL: "main.rs" */
	const sim_profile *profile; /* NULL: the default profile */
	int full_trace;             /* keep every event (for moments) */
} lesson_run_options;

typedef struct lesson_run {
	int compiled;      /* 0: see diags for the errors */
	lang_diags diags;  /* the compiler's errors or warnings */
	int exit_status;   /* sim_result's: 0, 1, 3 or 101 (if compiled) */
	sim_stats stats;
	char *message;     /* why a budget or the runtime stopped it, or NULL */
	trace_log *log;    /* NULL if it did not compile */
	trace_lint *lints; /* NULL if it did not compile */
	char *output;      /* NUL-terminated; "" if nothing was printed */
	size_t output_len;
	int output_truncated;
} lesson_run;

/* Returns 0 when the program was compiled (and, if that worked, run): see
 * run->compiled. -1 if memory ran out. Free with lesson_run_free either
 * way. */
int
lesson_run_program(const char *src, size_t len, const lesson_run_options *o,
		   lesson_run *run);

void
lesson_run_free(lesson_run *run);

/* 1 if the lint fired in the run. */
int
lesson_run_lint_fired(const lesson_run *run, trace_lint_id id);

/* --- durations ------------------------------------------------------------ */

/* Parses "500 ms", "1.5s", "2 s", "10 us", "7 ns" at the start of text
 * (spaces before the unit allowed, `_` between digits as in Rust). Stores
 * the nanoseconds and returns the number of bytes used, or 0 if the text
 * does not start with a duration. */
size_t
lesson_duration_parse(const char *text, uint64_t *ns);

/* "1.5 s", "0.000021 s", "2 s": seconds with at most six decimals,
 * trailing zeros dropped. As snprintf. */
size_t
lesson_duration_format(uint64_t ns, char *buf, size_t size);

/* --- output --------------------------------------------------------------- */

/* Which lines of an output a comparison looks at. */
typedef enum lesson_lines_kind {
	LESSON_LINES_ALL,
	LESSON_LINES_FIRST, /* the first n */
	LESSON_LINES_LAST,  /* the last n */
	LESSON_LINES_RANGE  /* lines from..to, 1-based, inclusive */
} lesson_lines_kind;

typedef struct lesson_lines {
	lesson_lines_kind kind;
	uint32_t from, to; /* FIRST/LAST: n in `from` */
} lesson_lines;

/* Parses "all", "first N", "last N", "N" or "N-M". Returns 0, or -1 with
 * a sentence in err. */
int
lesson_lines_parse(const char *text, lesson_lines *sel, char *err,
		   size_t errsize);

/* Describes a selection for messages: "the first 2 lines", "line 3". */
size_t
lesson_lines_describe(const lesson_lines *sel, char *buf, size_t size);

/* The output as compared: every line without the spaces, tabs and
 * carriage returns at its end, empty lines at the end dropped, no final
 * newline; a panic's first line (`thread 'T' panicked at FILE:L:C:`) with
 * FILE made main.rs and the OS thread id Rust 1.89+ prints removed, and
 * the empty line before it dropped, so that a teacher's expected output
 * matches however the program was named; then only the selected lines
 * (sel NULL: all). A new string, NULL if memory ran out. */
char *
lesson_output_normalize(const char *text, size_t len, const lesson_lines *sel);

/* --- moments -------------------------------------------------------------- */

typedef enum lesson_moment_kind {
	LESSON_MOMENT_START,
	LESSON_MOMENT_END,
	LESSON_MOMENT_TIME,
	LESSON_MOMENT_CREATED,
	LESSON_MOMENT_POLLED,
	LESSON_MOMENT_PENDING,
	LESSON_MOMENT_READY,
	LESSON_MOMENT_WOKEN,
	LESSON_MOMENT_DROPPED,
	LESSON_MOMENT_TIMER,
	LESSON_MOMENT_SPAWNED,
	LESSON_MOMENT_BLOCKED,
	LESSON_MOMENT_RESUMED,
	LESSON_MOMENT_EXITED,
	LESSON_MOMENT_PRINTS,
	LESSON_MOMENT_LINT,
	LESSON_MOMENT_PANIC
} lesson_moment_kind;

typedef struct lesson_moment {
	lesson_moment_kind kind;
	char *name;      /* future, thread or text; NULL if the kind has none */
	uint32_t nth;    /* 1 = the first time */
	uint64_t time_ns; /* LESSON_MOMENT_TIME */
	int lint;        /* LESSON_MOMENT_LINT: a trace_lint_id */
} lesson_moment;

/* Parses a moment ("pending foo(1)", "ready join_all[3] #2", "1.5 s",
 * "start", "prints job 3 is over", "lint blocking-in-async"). Returns 0,
 * or -1 with a sentence in err. Free with lesson_moment_free. */
int
lesson_moment_parse(const char *text, lesson_moment *m, char *err,
		    size_t errsize);

void
lesson_moment_free(lesson_moment *m);

/* Where the moment is in a fully recorded run, as a cursor position: the
 * number of events that have happened when it is reached (0 for start,
 * i + 1 for the event at index i). -1 if it never happens (or the log
 * does not keep events). When several futures share the name, #N counts
 * their occurrences together, in run order. */
int64_t
lesson_moment_find(const lesson_moment *m, const trace_log *log);

/* "job(1) returns Pending (the 2nd time)", for messages. As snprintf. */
size_t
lesson_moment_describe(const lesson_moment *m, char *buf, size_t size);

#endif
