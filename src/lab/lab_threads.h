/* lab_threads — N real POSIX threads that each sleep, joined.
 *
 * Contract: lab_threads_run does for real what the series' thread program
 * does with std::thread: spawn N threads, each sleeping for a while, and
 * join them all. Each thread gets Rust's default stack (2 MiB, plus a guard
 * page) and sleeps in the kernel, so what is measured is the cost of the
 * threads themselves: wall time, CPU time, the resident memory they add,
 * and the address space their stacks reserve.
 *
 * Before spawning it reads the machine's limits (lab_limits) and refuses
 * (returns 1, spawning nothing) when N is above the safe number for this
 * machine, unless opt->force: a run near a system-wide limit would make
 * the machine fail to start processes for everyone on it. The first spawn
 * that fails ends spawning, as the failed unwrap() ends a Rust program's
 * loop; the threads already started still sleep and are joined, and the
 * result has the errno and the limit most likely hit (read again at that
 * moment). Ctrl-C (the lab_run stop switch) wakes every sleeping thread at
 * once; they are joined and the run still reports. The caller prints.
 */
#ifndef ASYNC_TUTORIAL_LAB_LAB_THREADS_H
#define ASYNC_TUTORIAL_LAB_LAB_THREADS_H

#include <stdint.h>

#include "lab/lab_limits.h"
#include "lab/lab_run.h"

typedef enum lab_threads_phase {
	LAB_THREADS_SPAWNING,
	LAB_THREADS_SLEEPING
} lab_threads_phase;

typedef struct lab_threads_progress {
	lab_threads_phase phase;
	uint64_t n;
	uint64_t started;
	uint64_t finished; /* threads whose sleep is over */
	uint64_t elapsed_ns;
} lab_threads_progress;

typedef struct lab_threads_options {
	uint64_t n;
	uint64_t sleep_ns;
	int force; /* spawn even above the safe number */
	/* Called about every progress_ns (0: 100 ms), if set. */
	void (*on_progress)(void *ctx, const lab_threads_progress *p);
	uint64_t progress_ns;
	void *ctx;
} lab_threads_options;

typedef struct lab_threads_result {
	uint64_t n;
	uint64_t started;
	uint64_t failed; /* n - started when a spawn failed, else 0 */
	int error;       /* errno of the failed spawn, or 0 */
	int blamed;      /* the lab_limit_id most likely hit, or -1 */
	lab_limits limits;          /* read before spawning */
	lab_prediction prediction;  /* from those */
	lab_limits limits_at_error; /* read when the spawn failed */
	uint64_t wall_ns;  /* from the first spawn to the last join */
	uint64_t spawn_ns; /* of which spawning */
	uint64_t sleep_ns;
	uint64_t overhead_ns; /* wall_ns - sleep_ns */
	uint64_t cpu_ns;
	uint64_t base_rss_kb;
	uint64_t peak_rss_kb;
	uint64_t rss_per_thread_bytes; /* (peak - base) / started */
	/* The kernel's memory per thread (its kernel stack), which the
	 * resident size does not show: the growth of the system's
	 * KernelStack while most threads were alive, or 0 if unknown. */
	uint64_t kernel_per_thread_bytes;
	uint64_t stack_bytes; /* each thread's stack */
	uint64_t guard_bytes; /* and its guard page */
	uint64_t reserved_bytes; /* started * (stack + guard) */
	int stopped;             /* Ctrl-C ended it early */
} lab_threads_result;

/* Returns 0 when the run happened (whatever it found), 1 when it was
 * refused (res->prediction says why: n > safe_threads), -1 when it could
 * not start (res->error). */
int
lab_threads_run(const lab_threads_options *opt, lab_threads_result *res);

/* The summary line's fields. */
void
lab_threads_summary(const lab_threads_result *res, lab_run_summary *s);

#endif
