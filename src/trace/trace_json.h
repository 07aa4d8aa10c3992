/* trace_json — a run's trace in Chrome's trace-event format.
 *
 * Contract: writes {"traceEvents":[...]} for Perfetto (ui.perfetto.dev) and
 * chrome://tracing, one event per line, reading only the log. Two groups of
 * tracks: pid 1 "threads" (tid = thread id + 1, since some viewers treat tid
 * 0 specially) and pid 2 "futures" (tid = future id), each named with a
 * thread_name metadata event. Times are virtual, in microseconds with three
 * decimals (nanosecond exact).
 *
 * - Each poll is a complete event ("ph":"X", name "poll") on its future's
 *   track, args {"result":"Pending"|"Ready", "poller", "task"}; a task's
 *   root poll is also shown on its thread's track, named after the future.
 *   A thread's blocked spans are complete events named "blocked
 *   (thread::sleep)", "blocked (join)", "parked".
 * - Instants ("ph":"i"): created, dropped, waker, wake (on the woken
 *   future; args "by", "task"), timer armed (args deadline_us), timer fired,
 *   task spawned/done, stdout/stderr (args text), panic, thread spawned,
 *   spawn failed, exit; lints and the run's end are global instants.
 * - The executor's run queue is a counter ("ph":"C", name "run queue", args
 *   tasks), derived from the trace: a task is queued when spawned or woken
 *   and not already queued, and leaves the queue when the executor polls
 *   its root (TRACE_POLL_BEGIN with a == 0).
 * - Polls or blocked spans still open when the log ends are closed at its
 *   last time, with result "unfinished".
 *
 * Strings are escaped for JSON; bytes that are not valid UTF-8 become
 * U+FFFD. A log in TRACE_COUNT mode gives the metadata and no events.
 */
#ifndef ASYNC_TUTORIAL_TRACE_TRACE_JSON_H
#define ASYNC_TUTORIAL_TRACE_TRACE_JSON_H

#include "trace/trace_log.h"

#include <stdio.h>

/* Writes the whole log to out. Returns 0, or -1 if writing failed (out's
 * error indicator set, or flushing failed) or memory ran out. */
int
trace_json_write(FILE *out, const trace_log *log);

#endif
