#include "config.h"

#include "lab/lab_futures.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The states of `async fn job() { sleep(d).await }` as the compiler lays
 * them out: not started; suspended at the await with the timer armed; the
 * timer has fired (set by the timer, not by a poll); returned. */
enum {
	LAB_FUT_START,
	LAB_FUT_SLEEPING,
	LAB_FUT_FIRED,
	LAB_FUT_DONE,
	LAB_FUT_NSTATES
};

/* The end of the ready list. */
#define LAB_NIL UINT32_MAX

/* One future: 16 bytes. `next` links it into the sorted run of timers
 * while its timer is armed (if it went there), and into the ready list
 * once its timer fires; it is never in both, so one link serves. */
typedef struct lab_future {
	uint64_t deadline_ns;
	uint32_t state;
	uint32_t next;
} lab_future;

typedef struct lab_exec {
	const lab_futures_options *opt;
	lab_futures_result *res;
	lab_future *futs;
	/* The armed timers, in two lanes that are each in firing order: a
	 * run (a list through `next`) of timers armed at or after the
	 * run's last one, and a binary min-heap of indexes for the rest. */
	uint32_t run_head, run_tail;
	uint32_t *heap;
	uint32_t heap_len;
	uint32_t ready_head, ready_tail;
	uint64_t start_ns;
	uint64_t resolution_ns;
	uint64_t now_ns; /* when the executor last read the clock */
	uint64_t next_progress_ns;
} lab_exec;

/* ---- the timers --------------------------------------------------------- */

/* Whether future a's timer fires before b's: earlier deadline, or the same
 * deadline and made first. */
static inline int
lab_futures_before(const lab_future *futs, uint32_t a, uint32_t b)
{
	uint64_t da = futs[a].deadline_ns, db = futs[b].deadline_ns;
	return da < db || (da == db && a < b);
}

static void
lab_futures_heap_push(lab_exec *ex, uint32_t f)
{
	uint32_t *h = ex->heap;
	uint32_t pos = ex->heap_len++;
	/* Futures are armed in the order they are polled, mostly with
	 * growing deadlines, so this loop usually stops at once. */
	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;
		if (!lab_futures_before(ex->futs, f, h[parent]))
			break;
		h[pos] = h[parent];
		pos = parent;
	}
	h[pos] = f;
}

/* Removes the earliest timer. Floyd's way: walk the hole at the root down
 * to a leaf along the earlier children, then sift the last entry up from
 * there. The last entry is usually among the latest timers, so it belongs
 * near the bottom and this does about half the comparisons of the usual
 * sift-down. */
static uint32_t
lab_futures_heap_pop(lab_exec *ex)
{
	uint32_t *h = ex->heap;
	const lab_future *futs = ex->futs;
	uint32_t top = h[0];
	uint32_t last = h[--ex->heap_len];
	uint32_t len = ex->heap_len;
	if (len == 0)
		return top;
	uint32_t pos = 0;
	for (;;) {
		uint32_t c = 2 * pos + 1;
		if (c >= len)
			break;
		if (c + 1 < len && lab_futures_before(futs, h[c + 1], h[c]))
			c++;
		h[pos] = h[c];
		pos = c;
	}
	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;
		if (!lab_futures_before(futs, last, h[parent]))
			break;
		h[pos] = h[parent];
		pos = parent;
	}
	h[pos] = last;
	return top;
}

/* Arms future f's timer. When every future sleeps as long and they are
 * armed one after another, as in join_all, each new deadline is at or
 * after the last one: the timer goes at the end of the run, O(1), and the
 * heap (and the 4 bytes per future it would touch) is never used. */
static void
lab_futures_arm(lab_exec *ex, uint32_t f)
{
	if (ex->run_head == LAB_NIL) {
		ex->futs[f].next = LAB_NIL;
		ex->run_head = ex->run_tail = f;
	} else if (!lab_futures_before(ex->futs, f, ex->run_tail)) {
		ex->futs[f].next = LAB_NIL;
		ex->futs[ex->run_tail].next = f;
		ex->run_tail = f;
	} else {
		lab_futures_heap_push(ex, f);
	}
}

/* The timer that fires next, or LAB_NIL when none is armed. */
static uint32_t
lab_futures_next_timer(const lab_exec *ex)
{
	uint32_t r = ex->run_head;
	if (ex->heap_len == 0)
		return r;
	uint32_t h = ex->heap[0];
	return r != LAB_NIL && lab_futures_before(ex->futs, r, h) ? r : h;
}

/* Takes out the timer lab_futures_next_timer named. */
static void
lab_futures_disarm_next(lab_exec *ex, uint32_t f)
{
	if (f == ex->run_head) {
		ex->run_head = ex->futs[f].next;
		if (ex->run_head == LAB_NIL)
			ex->run_tail = LAB_NIL;
	} else {
		lab_futures_heap_pop(ex);
	}
}

/* ---- the future's state machine ----------------------------------------- */

/* A step polls a future in one state: 1 for Ready, 0 for Pending. */
typedef int (*lab_future_step)(lab_exec *ex, uint32_t i);

/* The first poll: sleep(d) reads the clock, arms its timer and is not
 * ready yet, so job() suspends at its await. */
static int
lab_future_start(lab_exec *ex, uint32_t i)
{
	const lab_futures_options *o = ex->opt;
	lab_future *f = &ex->futs[i];
	uint64_t d = o->sleep_of ? o->sleep_of(o->ctx, i) : o->sleep_ns;
	uint64_t now = lab_run_now_ns();
	uint64_t r = ex->resolution_ns;
	uint64_t since = now + d - ex->start_ns;
	f->deadline_ns = ex->start_ns + (since + r - 1) / r * r;
	f->state = LAB_FUT_SLEEPING;
	lab_futures_arm(ex, i);
	ex->res->polled++;
	return 0;
}

/* Polled while its timer is armed: a spurious wake. Still Pending. */
static int
lab_future_sleeping(lab_exec *ex, uint32_t i)
{
	return 0;
}

/* The timer fired: the sleep is Ready, so job() returns. */
static int
lab_future_fired(lab_exec *ex, uint32_t i)
{
	lab_future *f = &ex->futs[i];
	f->state = LAB_FUT_DONE;
	ex->res->finished++;
	if (ex->opt->on_ready)
		ex->opt->on_ready(ex->opt->ctx, i, f->deadline_ns, ex->now_ns);
	return 1;
}

/* A finished future is never polled again by join_all. */
static int
lab_future_done(lab_exec *ex, uint32_t i)
{
	return 1;
}

static const lab_future_step lab_future_steps[LAB_FUT_NSTATES] = {
        [LAB_FUT_START] = lab_future_start,
        [LAB_FUT_SLEEPING] = lab_future_sleeping,
        [LAB_FUT_FIRED] = lab_future_fired,
        [LAB_FUT_DONE] = lab_future_done,
};

/* ---- the executor ------------------------------------------------------- */

static void
lab_futures_report(lab_exec *ex, uint64_t now)
{
	const lab_futures_options *o = ex->opt;
	if (!o->on_progress || now < ex->next_progress_ns)
		return;
	lab_futures_progress p = {ex->res->n, ex->res->polled,
	                          ex->res->finished, now - ex->start_ns};
	o->on_progress(o->ctx, &p);
	ex->next_progress_ns =
	        now + (o->progress_ns ? o->progress_ns : 100000000u);
}

/* The timer driver: every timer due by now wakes its future, which joins
 * the end of the ready list. */
static void
lab_futures_fire(lab_exec *ex)
{
	lab_future *futs = ex->futs;
	for (;;) {
		uint32_t i = lab_futures_next_timer(ex);
		if (i == LAB_NIL || futs[i].deadline_ns > ex->now_ns)
			break;
		lab_futures_disarm_next(ex, i);
		futs[i].state = LAB_FUT_FIRED;
		futs[i].next = LAB_NIL;
		if (ex->ready_head == LAB_NIL)
			ex->ready_head = i;
		else
			futs[ex->ready_tail].next = i;
		ex->ready_tail = i;
	}
	ex->res->timer_batches++;
}

/* One poll of the join: polls every future on the ready list. Returns 1
 * if Ctrl-C came meanwhile. */
static int
lab_futures_poll_join(lab_exec *ex)
{
	lab_future *futs = ex->futs;
	uint64_t polls = 0;
	ex->res->polls++;
	while (ex->ready_head != LAB_NIL) {
		uint32_t i = ex->ready_head;
		ex->ready_head = futs[i].next;
		lab_future_steps[futs[i].state](ex, i);
		/* A first pass over a hundred million futures takes seconds:
		 * look at the switch and the progress now and then. */
		if ((++polls & 0xffff) == 0) {
			if (lab_run_stop_requested()) {
				ex->res->polls += polls;
				return 1;
			}
			lab_futures_report(ex, lab_run_now_ns());
		}
	}
	ex->res->polls += polls;
	return 0;
}

/* Sleeps until the earliest timer is due, waking for progress reports if
 * asked to. Returns 1 if Ctrl-C came. */
static int
lab_futures_park(lab_exec *ex)
{
	uint64_t due = ex->futs[lab_futures_next_timer(ex)].deadline_ns;
	for (;;) {
		uint64_t until = due;
		if (ex->opt->on_progress && ex->next_progress_ns < until)
			until = ex->next_progress_ns;
		int stop = lab_run_sleep_until(until);
		ex->res->wakeups++;
		if (stop)
			return 1;
		ex->now_ns = lab_run_now_ns();
		if (ex->now_ns >= due)
			return 0;
		lab_futures_report(ex, ex->now_ns);
	}
}

int
lab_futures_check(uint64_t n, uint64_t mem_avail_bytes, int force,
                  uint64_t *need_bytes)
{
	*need_bytes = n * LAB_FUTURES_BYTES_EACH;
	if (n > LAB_FUTURES_MAX)
		return -1;
	if (!force && mem_avail_bytes != LAB_UNKNOWN &&
	    *need_bytes > mem_avail_bytes / 4)
		return -1;
	return 0;
}

static int
lab_futures_execute(const lab_futures_options *opt, lab_futures_result *res)
{
	memset(res, 0, sizeof *res);
	res->n = opt->n;
	res->sleep_ns = opt->sleep_ns;
	if (opt->n == 0 || opt->n > LAB_FUTURES_MAX) {
		res->error = EINVAL;
		return -1;
	}
	uint32_t n = (uint32_t)opt->n;

	/* What the process holds before the futures exist is not theirs. */
	lab_run_memory_kb mem;
	lab_run_reset_peak();
	lab_run_memory(&mem);
	res->base_rss_kb = mem.rss;

	lab_exec ex;
	memset(&ex, 0, sizeof ex);
	ex.opt = opt;
	ex.res = res;
	ex.resolution_ns = opt->resolution_ns ? opt->resolution_ns : 1000000u;
	/* malloc, not calloc: every byte is written below, and the pages
	 * become resident as they are, which is what we measure. */
	ex.futs = malloc((size_t)n * sizeof *ex.futs);
	ex.heap = malloc((size_t)n * sizeof *ex.heap);
	if (!ex.futs || !ex.heap) {
		free(ex.futs);
		free(ex.heap);
		res->error = ENOMEM;
		return -1;
	}

	uint64_t cpu0 = lab_run_cpu_ns();
	ex.start_ns = ex.now_ns = lab_run_now_ns();
	ex.next_progress_ns = ex.start_ns + (opt->progress_ns ? opt->progress_ns
	                                                      : 100000000u);
	/* join_all(jobs): every job is made, and on the join's first poll
	 * each is polled once, in order. */
	for (uint32_t i = 0; i < n; i++) {
		ex.futs[i].deadline_ns = 0;
		ex.futs[i].state = LAB_FUT_START;
		ex.futs[i].next = i + 1 < n ? i + 1 : LAB_NIL;
	}
	ex.ready_head = 0;
	ex.ready_tail = n - 1;
	ex.run_head = ex.run_tail = LAB_NIL;
	for (;;) {
		if (lab_futures_poll_join(&ex)) {
			res->stopped = 1;
			break;
		}
		if (res->finished == n ||
		    lab_futures_next_timer(&ex) == LAB_NIL)
			break;
		if (lab_futures_park(&ex)) {
			res->stopped = 1;
			break;
		}
		lab_futures_fire(&ex);
	}
	uint64_t end = lab_run_now_ns();
	res->wall_ns = end - ex.start_ns;
	res->overhead_ns =
	        res->wall_ns > res->sleep_ns ? res->wall_ns - res->sleep_ns : 0;
	res->cpu_ns = lab_run_cpu_ns() - cpu0;
	lab_run_memory(&mem);
	res->peak_rss_kb = mem.peak;
	if (mem.peak != LAB_UNKNOWN && mem.peak > res->base_rss_kb)
		res->bytes_per_future =
		        (mem.peak - res->base_rss_kb) * 1024u / n;
	free(ex.futs);
	free(ex.heap);
	return 0;
}

int
lab_futures_run(const lab_futures_options *opt, lab_futures_result *res)
{
	/* One future first, thrown away: the executor's code and the C
	 * library's buffers become resident now, so the measured run counts
	 * its futures alone (it would otherwise add a few hundred KiB, which
	 * is more than a thousand futures take). */
	lab_futures_options warm;
	memset(&warm, 0, sizeof warm);
	warm.n = 1;
	warm.resolution_ns = 1;
	lab_futures_result ignored;
	lab_futures_execute(&warm, &ignored);
	return lab_futures_execute(opt, res);
}

void
lab_futures_summary(const lab_futures_result *res, lab_run_summary *s)
{
	memset(s, 0, sizeof *s);
	s->kind = LAB_RUN_FUTURES;
	s->n = res->n;
	s->started = res->polled;
	s->failed = 0;
	s->wall_ns = res->wall_ns;
	s->overhead_ns = res->overhead_ns;
	s->peak_rss_kb = res->peak_rss_kb;
	s->bytes_per_unit = res->bytes_per_future;
	s->stopped = res->stopped;
}
