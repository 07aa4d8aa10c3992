/* lab_futures — N real futures on a real single-threaded executor.
 *
 * Contract: lab_futures_run does for real, in C, what the series' program
 * does with Tokio:
 *
 *     async fn job() { sleep(d).await }
 *     join_all((0..n).map(|_| job())).await
 *
 * Each future is a small state machine (16 bytes: its deadline, its state
 * and a link), written by hand the way the Rust compiler would generate
 * it; there is no interpreter. Its first poll reads the real monotonic
 * clock, arms a timer and returns Pending; the timer's wake puts it on the
 * executor's ready list; its second poll returns Ready.
 *
 * Timers fire in deadline order, and equal deadlines in the order the
 * futures were made (the key is deadline, then index). The executor keeps
 * them in two lanes: a timer armed at or after the last one armed (the
 * usual case: equal sleeps, armed one after another) goes at the end of a
 * sorted list threaded through the futures' links, in O(1) and no extra
 * memory; any other goes into a binary min-heap of future indexes (4 bytes
 * each, touched only when used). The earlier head of the two fires first.
 * When nothing is ready the executor sleeps in the kernel until the
 * earliest deadline (lab_run_sleep_until): it never spins.
 *
 * Like Tokio's timer, deadlines are rounded up to a resolution (1 ms by
 * default) counted from the executor's start, so a timer never fires
 * early and timers due in the same millisecond fire in one batch.
 *
 * The run measures itself (wall time, CPU time, polls, wake-ups, the peak
 * resident size and what the futures added to it) and returns it; the
 * caller prints. lab_futures_check says beforehand whether a run fits in
 * memory. Ctrl-C (the lab_run stop switch) ends the wait early: the
 * futures not yet finished are dropped and the result says so.
 */
#ifndef ASYNC_TUTORIAL_LAB_LAB_FUTURES_H
#define ASYNC_TUTORIAL_LAB_LAB_FUTURES_H

#include <stdint.h>

#include "lab/lab_run.h"

/* The most futures one run can have: indexes are 32 bits. */
#define LAB_FUTURES_MAX (UINT32_MAX - 1u)

/* The most one future and its timer take (16 bytes, and 4 in the heap
 * when its timer is armed out of order): what lab_futures_check counts. */
#define LAB_FUTURES_BYTES_EACH 20u

/* Progress, reported now and then during a long run. */
typedef struct lab_futures_progress {
	uint64_t n;
	uint64_t polled;   /* futures polled at least once */
	uint64_t finished; /* futures that returned Ready */
	uint64_t elapsed_ns;
} lab_futures_progress;

typedef struct lab_futures_options {
	uint64_t n;
	uint64_t sleep_ns;
	uint64_t resolution_ns; /* timer resolution; 0 = 1 ms, 1 = exact */
	/* For tests: each future's own sleep (NULL: all sleep_ns). */
	uint64_t (*sleep_of)(void *ctx, uint32_t index);
	/* For tests: called as each future returns Ready, in that order,
	 * with its deadline and the clock when its poll began. */
	void (*on_ready)(void *ctx, uint32_t index, uint64_t deadline_ns,
	                 uint64_t now_ns);
	/* Called about every progress_ns (0: 100 ms) while the run waits,
	 * if set. The executor then wakes that often even with no timer due,
	 * which is still not busy waiting. */
	void (*on_progress)(void *ctx, const lab_futures_progress *p);
	uint64_t progress_ns;
	void *ctx;
} lab_futures_options;

typedef struct lab_futures_result {
	uint64_t n;
	uint64_t polled;        /* futures polled at least once */
	uint64_t finished;      /* futures that returned Ready */
	uint64_t polls;         /* every poll: the futures' and the join's */
	uint64_t wakeups;       /* times the executor slept and woke */
	uint64_t timer_batches; /* times due timers were fired */
	uint64_t wall_ns;       /* from the first poll to the join's Ready */
	uint64_t sleep_ns;      /* the sleep each future asked for */
	uint64_t overhead_ns;   /* wall_ns - sleep_ns */
	uint64_t cpu_ns;        /* CPU time the process used meanwhile */
	uint64_t base_rss_kb;   /* resident before the futures were made */
	uint64_t peak_rss_kb;   /* the peak while they lived */
	uint64_t bytes_per_future; /* (peak - base) / n */
	int stopped;               /* Ctrl-C ended it early */
	int error;                 /* errno when it could not start, else 0 */
} lab_futures_result;

/* Whether n futures fit: 0 if so; else -1 and *need_bytes is what they
 * would take, more than a quarter of the available memory (without
 * force) or more than LAB_FUTURES_MAX at all. */
int
lab_futures_check(uint64_t n, uint64_t mem_avail_bytes, int force,
                  uint64_t *need_bytes);

/* Runs the futures to the end (or to Ctrl-C). Returns 0 when the run
 * happened, -1 when it could not start (res->error: ENOMEM, or EINVAL for
 * n = 0 or n > LAB_FUTURES_MAX). Does not check memory: call
 * lab_futures_check first. */
int
lab_futures_run(const lab_futures_options *opt, lab_futures_result *res);

/* The summary line's fields. */
void
lab_futures_summary(const lab_futures_result *res, lab_run_summary *s);

#endif
