/* lab_compare — threads against futures over a range of N.
 *
 * Contract: lab_compare_run runs lab_threads and lab_futures for N = 10,
 * 100, 1,000 ... (lab_compare_steps), the two kinds one after the other at
 * each N, so that a run stopped by Ctrl-C still compares like with like.
 * Threads stop at the machine's safe number (lab_limits; never above
 * LAB_LIMITS_SAFE_CAP, --force does not apply here); futures go up to a
 * million by default. With opt->isolate each run happens in a child process
 * of its own (fork), so its peak memory is its own and a thread run's
 * leftovers (glibc keeps freed stacks) do not count against the next; if
 * fork fails the run happens in this process. Results are data; the
 * caller draws them.
 */
#ifndef ASYNC_TUTORIAL_LAB_LAB_COMPARE_H
#define ASYNC_TUTORIAL_LAB_LAB_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "lab/lab_limits.h"
#include "lab/lab_run.h"

/* The default top of the futures' range. */
#define LAB_COMPARE_MAX_FUTURES 1000000u

/* One run of the comparison. */
typedef struct lab_compare_point {
	lab_run_summary sum;
	uint64_t added_bytes;    /* resident memory the run added */
	uint64_t reserved_bytes; /* threads: stack address space reserved */
	uint64_t cpu_ns;
	int error; /* errno when it could not run at all, else 0 */
} lab_compare_point;

typedef struct lab_compare_options {
	uint64_t max_n;   /* the top of both ranges; 0 = the defaults */
	uint64_t sleep_ns;
	int isolate;      /* each run in its own process */
	/* Called before and after each run, if set. */
	void (*on_start)(void *ctx, lab_run_kind kind, uint64_t n,
	                 size_t index, size_t total);
	void (*on_done)(void *ctx, const lab_compare_point *p, size_t index,
	                size_t total);
	void *ctx;
} lab_compare_options;

typedef struct lab_compare_result {
	lab_compare_point *points; /* in the order they ran */
	size_t npoints;
	size_t planned;           /* how many would have run without Ctrl-C */
	lab_prediction prediction; /* the thread limits read before */
	uint64_t max_threads;      /* the top of the threads' range */
	uint64_t max_futures;
	int stopped; /* Ctrl-C ended it early */
} lab_compare_result;

/* The Ns from 10 up to max: the powers of ten, then max itself if it is
 * not one (max below 10: just max). Writes at most cap of them into out;
 * returns how many there are. */
size_t
lab_compare_steps(uint64_t max, uint64_t *out, size_t cap);

/* Returns 0 (the points may be fewer than planned if Ctrl-C came), or -1
 * when out of memory. Free the result with lab_compare_result_free. */
int
lab_compare_run(const lab_compare_options *opt, lab_compare_result *res);

void
lab_compare_result_free(lab_compare_result *res);

#endif
