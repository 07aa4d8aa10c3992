/* trace_plain — a run's trace as plain text, one line per event.
 *
 * Contract: reads only the log (and, for the summary, the lints); writes to
 * the caller's FILE*. The format is stable: golden tests compare it byte for
 * byte, and a person or a screen reader reads it line by line. The paragraph
 * below is the format's documentation (it goes into the man page).
 *
 * FORMAT (plain format 1). The first two lines start with "#": a title and
 * the column names. Then each event is one line of five columns separated
 * by spaces and padded to fixed widths (a wider value pushes the rest of its
 * line to the right by one space):
 *
 *   T+0.000001  main      poll     foo(3)             <- main(), task 0
 *
 * TIME is the virtual time as T+seconds with six decimals (microseconds,
 * rounded down), 12 columns. THREAD is the simulated thread the event
 * happens on ("main", a name given to the thread, or "thread N"), 10
 * columns. VERB says what happened, 9 columns:
 *
 *   new      a future was created; details: its type, "by" its creator
 *   drop     a future was dropped ("never polled" if it never was)
 *   poll     a poll begins; details: "<-" the poller, or "<- executor",
 *            and the task
 *   pending  that poll returned Pending ("at await K, line L" when an
 *            async fn is suspended at an await point)
 *   ready    that poll returned Ready
 *   waker    a leaf future stored the waker of a task
 *   wake     a waker fired: the subject becomes runnable; details: the task
 *            and "by" the future that woke it, or "by timer"
 *   timer    a sleep armed its timer; details: the deadline
 *   fire     a timer's deadline passed
 *   clock    the clock jumped forward (every thread was waiting); subject:
 *            the jump, details: the time it jumped from
 *   spawn    a thread (subject "thread N" or its name) or a task (subject
 *            "task N", details its root future) was spawned
 *   failed   a thread could not be spawned; details: Rust's message
 *   block    a thread blocked; subject: how ("thread::sleep", "join",
 *            "park"), details: "for D until T+...", the thread joined, or
 *            "until T+..." (nothing when parked with no timer); then
 *            ", inside poll of FUTURE" when a poll was on its stack
 *   resume   a blocked thread runs again
 *   exit     a thread finished ("panicked" if it did)
 *   done     a task finished; details: its root future
 *   out/err  the program wrote to stdout/stderr: the subject column holds
 *            "| " and one line of the text; a line the program had not
 *            ended with a newline yet is marked "~ " instead of "| "
 *   panic    a thread panicked: the message and its line
 *   lint     a lint fired: subject is its name, details what happened
 *   end      the run ended: subject "status N", details the reason
 *
 * With options, also: line (the source line and column now running, for
 * TRACE_PLAIN_LINES), state (an async fn's state: Start, await K, Done) and
 * local (a live local of a suspended future, "name = value"), for
 * TRACE_PLAIN_STATES. SUBJECT is the future, thread, task or lint the event
 * is about, 19 columns; DETAILS is the rest. Futures are named as the
 * program made them ("foo(3)", "sleep(1s)", "join_all[10]"), or "future #N"
 * when the trace has no name. Control characters and bytes that are not
 * UTF-8 are shown as \t, \r or \xNN, so the text can never disturb a
 * terminal. Lines never end in spaces except when program output does.
 *
 * After the events, a summary of lines starting with "#": the virtual time
 * elapsed and the number of events; futures created, polls with how many
 * returned Pending and Ready, wakes, timers fired; threads and tasks; and
 * the lints that fired, each as "# lint NAME: explanation" then
 * "#   at T+...: what happened". A trace recorded without storing events
 * (count mode) gives the header, the count and the lints only.
 */
#ifndef ASYNC_TUTORIAL_TRACE_TRACE_PLAIN_H
#define ASYNC_TUTORIAL_TRACE_TRACE_PLAIN_H

#include "trace/trace_lint.h"
#include "trace/trace_log.h"

#include <stdio.h>

enum trace_plain_flags {
	TRACE_PLAIN_LINES = 1,  /* include "line" events */
	TRACE_PLAIN_STATES = 2, /* include "state" and "local" events */
	TRACE_PLAIN_ALL = 3
};

/* Writes the whole log, then the summary. lints may be NULL: the summary
 * then lists the TRACE_LINT events of the log. Returns 0, or -1 if writing
 * failed or memory ran out. */
int
trace_plain_write(FILE *out, const trace_log *log, const trace_lint *lints,
		  unsigned flags);

/* trace_plain_write with the default flags (0): what --plain shows. */
int
trace_plain_print(FILE *out, const trace_log *log, const trace_lint *lints);

#endif
