#include "config.h"

#include "lab/lab_compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/lab_futures.h"
#include "lab/lab_threads.h"

size_t
lab_compare_steps(uint64_t max, uint64_t *out, size_t cap)
{
	size_t k = 0;
	if (max == 0)
		return 0;
	if (max < 10) {
		if (cap > 0)
			out[0] = max;
		return 1;
	}
	uint64_t v = 10;
	for (;;) {
		if (k < cap)
			out[k] = v;
		k++;
		if (v > max / 10)
			break;
		v *= 10;
	}
	if (v != max) {
		if (k < cap)
			out[k] = max;
		k++;
	}
	return k;
}

/* One run, here in this process. */
static void
lab_compare_one(lab_run_kind kind, uint64_t n, uint64_t sleep_ns,
                lab_compare_point *p)
{
	memset(p, 0, sizeof *p);
	if (kind == LAB_RUN_THREADS) {
		lab_threads_options o;
		memset(&o, 0, sizeof o);
		o.n = n;
		o.sleep_ns = sleep_ns;
		lab_threads_result r;
		int st = lab_threads_run(&o, &r);
		lab_threads_summary(&r, &p->sum);
		if (st != 0)
			p->error = st > 0 ? EAGAIN : r.error;
		p->added_bytes = r.rss_per_thread_bytes * r.started;
		p->reserved_bytes = r.reserved_bytes;
		p->cpu_ns = r.cpu_ns;
	} else {
		lab_futures_options o;
		memset(&o, 0, sizeof o);
		o.n = n;
		o.sleep_ns = sleep_ns;
		lab_futures_result r;
		if (lab_futures_run(&o, &r) != 0)
			p->error = r.error;
		lab_futures_summary(&r, &p->sum);
		p->added_bytes = r.bytes_per_future * r.n;
		p->cpu_ns = r.cpu_ns;
	}
}

/* One run in a child process, the point coming back through a pipe. Falls
 * back to this process when a child cannot be made. */
static void
lab_compare_isolated(lab_run_kind kind, uint64_t n, uint64_t sleep_ns,
                     lab_compare_point *p)
{
	int fds[2];
	if (pipe(fds) != 0) {
		lab_compare_one(kind, n, sleep_ns, p);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		lab_compare_one(kind, n, sleep_ns, p);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		lab_compare_point mine;
		lab_compare_one(kind, n, sleep_ns, &mine);
		const char *b = (const char *)&mine;
		size_t left = sizeof mine;
		while (left > 0) {
			ssize_t w = write(fds[1], b, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(1);
			b += w;
			left -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	char *b = (char *)p;
	size_t got = 0;
	while (got < sizeof *p) {
		/* Ctrl-C reaches the child too; it reports and ends, so
		 * keep reading through the interruption. */
		ssize_t r = read(fds[0], b + got, sizeof *p - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof *p) {
		memset(p, 0, sizeof *p);
		p->sum.kind = kind;
		p->sum.n = n;
		p->error = ECHILD;
	}
}

int
lab_compare_run(const lab_compare_options *opt, lab_compare_result *res)
{
	memset(res, 0, sizeof *res);
	lab_limits lim;
	lab_limits_read(&lim);
	lab_limits_predict(&lim, &res->prediction);
	res->max_threads = res->prediction.safe_threads;
	res->max_futures = LAB_COMPARE_MAX_FUTURES;
	if (opt->max_n) {
		if (opt->max_n < res->max_threads)
			res->max_threads = opt->max_n;
		res->max_futures = opt->max_n;
	}

	/* Each range ends at its own top, which need not be a power of
	 * ten (the safe number of threads on a small machine, say). */
	uint64_t tsteps[32], fsteps[32];
	size_t nt = lab_compare_steps(res->max_threads, tsteps, 32);
	size_t nf = lab_compare_steps(res->max_futures, fsteps, 32);
	res->planned = nt + nf;
	res->points =
	        calloc(res->planned ? res->planned : 1, sizeof *res->points);
	if (!res->points)
		return -1;

	/* Walk both ranges together in order of N, threads first at each. */
	size_t it = 0, jf = 0;
	while (it < nt || jf < nf) {
		lab_run_kind kind;
		uint64_t n;
		if (it < nt && (jf >= nf || tsteps[it] <= fsteps[jf])) {
			kind = LAB_RUN_THREADS;
			n = tsteps[it++];
		} else {
			kind = LAB_RUN_FUTURES;
			n = fsteps[jf++];
		}
		if (lab_run_stop_requested()) {
			res->stopped = 1;
			break;
		}
		size_t idx = res->npoints;
		if (opt->on_start)
			opt->on_start(opt->ctx, kind, n, idx, res->planned);
		lab_compare_point *p = &res->points[idx];
		if (opt->isolate)
			lab_compare_isolated(kind, n, opt->sleep_ns, p);
		else
			lab_compare_one(kind, n, opt->sleep_ns, p);
		res->npoints++;
		if (opt->on_done)
			opt->on_done(opt->ctx, p, idx, res->planned);
		if (p->sum.stopped || lab_run_stop_requested()) {
			res->stopped = 1;
			break;
		}
	}
	return 0;
}

void
lab_compare_result_free(lab_compare_result *res)
{
	free(res->points);
	res->points = NULL;
	res->npoints = 0;
}
