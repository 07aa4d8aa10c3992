#include "config.h"

#include "lab/lab_threads.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What every thread reads: one shared block, so a thread costs no
 * allocation of ours beyond its pthread_t. */
typedef struct lab_threads_shared {
	uint64_t sleep_ns;
	atomic_uint_fast64_t finished;
	/* Once spawning is over: how many were started. The thread that
	 * finishes last writes to done_fd, so the main thread, waiting with
	 * progress reports, wakes as soon as the last sleep ends. */
	atomic_uint_fast64_t target;
	int done_fd;
} lab_threads_shared;

/* A thread's whole life: thread::sleep(d), in the kernel. */
static void *
lab_threads_sleeper(void *arg)
{
	lab_threads_shared *sh = arg;
	lab_run_sleep_until(lab_run_now_ns() + sh->sleep_ns);
	uint64_t done = atomic_fetch_add(&sh->finished, 1) + 1;
	if (done == atomic_load(&sh->target) && sh->done_fd >= 0) {
		ssize_t w = write(sh->done_fd, "x", 1);
		(void)w; /* the main thread also checks the count */
	}
	return NULL;
}

/* The system's kernel stacks in bytes (KernelStack in /proc/meminfo), or
 * LAB_UNKNOWN. */
static uint64_t
lab_threads_kernel_stacks(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return LAB_UNKNOWN;
	char line[256];
	uint64_t kb = LAB_UNKNOWN;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "KernelStack: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	return kb == LAB_UNKNOWN ? kb : kb * 1024;
}

/* The kernel-memory sample taken with the most threads alive. */
typedef struct lab_threads_kernel {
	uint64_t base;
	uint64_t best_alive;
	uint64_t best_bytes;
} lab_threads_kernel;

static void
lab_threads_sample_kernel(lab_threads_kernel *k, uint64_t alive)
{
	if (k->base == LAB_UNKNOWN || alive <= k->best_alive)
		return;
	uint64_t now = lab_threads_kernel_stacks();
	if (now == LAB_UNKNOWN || now <= k->base)
		return;
	k->best_alive = alive;
	k->best_bytes = now - k->base;
}

static void
lab_threads_report(const lab_threads_options *opt, lab_threads_phase phase,
                   uint64_t started, uint64_t finished, uint64_t t0)
{
	lab_threads_progress p = {phase, opt->n, started, finished,
	                          lab_run_now_ns() - t0};
	opt->on_progress(opt->ctx, &p);
}

int
lab_threads_run(const lab_threads_options *opt, lab_threads_result *res)
{
	memset(res, 0, sizeof *res);
	res->n = opt->n;
	res->sleep_ns = opt->sleep_ns;
	res->blamed = -1;
	lab_limits_read(&res->limits);
	lab_limits_predict(&res->limits, &res->prediction);
	if (opt->n > res->prediction.safe_threads && !opt->force)
		return 1;

	pthread_t *tids = malloc((opt->n ? opt->n : 1) * sizeof *tids);
	pthread_attr_t attr;
	if (!tids || pthread_attr_init(&attr) != 0) {
		free(tids);
		res->error = ENOMEM;
		return -1;
	}
	res->stack_bytes = res->limits.stack_bytes;
	pthread_attr_setstacksize(&attr, (size_t)res->stack_bytes);
	size_t guard = 0;
	pthread_attr_getguardsize(&attr, &guard);
	res->guard_bytes = guard;

	lab_threads_shared sh;
	sh.sleep_ns = 0;
	atomic_init(&sh.finished, 0);
	atomic_init(&sh.target, UINT64_MAX);
	int done_pipe[2] = {-1, -1};
	if (opt->on_progress && pipe(done_pipe) != 0)
		done_pipe[0] = done_pipe[1] = -1;
	sh.done_fd = done_pipe[1];
	/* One thread first, joined at once: the code and the C library's
	 * bookkeeping for threads become resident now, so the measured run
	 * counts its threads alone. */
	pthread_t warm;
	if (pthread_create(&warm, &attr, lab_threads_sleeper, &sh) == 0)
		pthread_join(warm, NULL);
	sh.sleep_ns = opt->sleep_ns;
	atomic_store(&sh.finished, 0);

	lab_run_memory_kb mem;
	lab_run_reset_peak();
	lab_run_memory(&mem);
	res->base_rss_kb = mem.rss;
	lab_threads_kernel kern = {lab_threads_kernel_stacks(), 0, 0};

	uint64_t every = opt->progress_ns ? opt->progress_ns : 100000000u;
	uint64_t cpu0 = lab_run_cpu_ns();
	uint64_t t0 = lab_run_now_ns();
	uint64_t next_report = t0 + every;
	uint64_t i;
	for (i = 0; i < opt->n; i++) {
		/* Between spawns, now and then: Ctrl-C, progress, and how
		 * much kernel memory the live threads hold. */
		if ((i & 255) == 0 && i > 0) {
			if (lab_run_stop_requested()) {
				res->stopped = 1;
				break;
			}
			uint64_t now = lab_run_now_ns();
			lab_threads_sample_kernel(
			        &kern, i - atomic_load(&sh.finished));
			if (opt->on_progress && now >= next_report) {
				lab_threads_report(opt, LAB_THREADS_SPAWNING, i,
				                   atomic_load(&sh.finished),
				                   t0);
				next_report = now + every;
			}
		}
		int rc = pthread_create(&tids[i], &attr, lab_threads_sleeper,
		                        &sh);
		if (rc != 0) {
			/* Read the limits while our threads still hold what
			 * they took: the one with no room left is the
			 * culprit. */
			res->error = rc;
			lab_limits_read(&res->limits_at_error);
			res->blamed =
			        lab_limits_blame(&res->limits_at_error, rc);
			res->failed = opt->n - i;
			break;
		}
	}
	res->started = i;
	res->spawn_ns = lab_run_now_ns() - t0;
	lab_threads_sample_kernel(&kern,
	                          res->started - atomic_load(&sh.finished));
	pthread_attr_destroy(&attr);

	/* Wait for the sleepers, reporting progress; Ctrl-C wakes them all
	 * (they wait on the same switch) so this ends soon after. Setting
	 * the target and then reading the count, while each thread counts
	 * and then reads the target, means one side always sees the last
	 * thread finish. */
	atomic_store(&sh.target, res->started);
	if (opt->on_progress && done_pipe[0] >= 0) {
		while (atomic_load(&sh.finished) < res->started) {
			int w = lab_run_wait_fd(done_pipe[0],
			                        lab_run_now_ns() + every);
			if (w == 1)
				res->stopped = 1;
			if (w == 0)
				lab_threads_report(opt, LAB_THREADS_SLEEPING,
				                   res->started,
				                   atomic_load(&sh.finished),
				                   t0);
			if (w != 0)
				break;
		}
	}
	for (uint64_t j = 0; j < res->started; j++)
		pthread_join(tids[j], NULL);
	uint64_t end = lab_run_now_ns();
	res->stopped |= lab_run_stop_requested();
	res->wall_ns = end - t0;
	res->overhead_ns =
	        res->wall_ns > res->sleep_ns ? res->wall_ns - res->sleep_ns : 0;
	res->cpu_ns = lab_run_cpu_ns() - cpu0;
	lab_run_memory(&mem);
	res->peak_rss_kb = mem.peak;
	if (res->started > 0 && mem.peak != LAB_UNKNOWN &&
	    mem.peak > res->base_rss_kb)
		res->rss_per_thread_bytes =
		        (mem.peak - res->base_rss_kb) * 1024u / res->started;
	if (kern.best_alive > 0)
		res->kernel_per_thread_bytes =
		        kern.best_bytes / kern.best_alive;
	res->reserved_bytes =
	        res->started * (res->stack_bytes + res->guard_bytes);
	free(tids);
	if (done_pipe[0] >= 0) {
		close(done_pipe[0]);
		close(done_pipe[1]);
	}
	return 0;
}

void
lab_threads_summary(const lab_threads_result *res, lab_run_summary *s)
{
	memset(s, 0, sizeof *s);
	s->kind = LAB_RUN_THREADS;
	s->n = res->n;
	s->started = res->started;
	s->failed = res->failed;
	s->wall_ns = res->wall_ns;
	s->overhead_ns = res->overhead_ns;
	s->peak_rss_kb = res->peak_rss_kb;
	s->bytes_per_unit = res->rss_per_thread_bytes;
	s->stopped = res->stopped;
}
