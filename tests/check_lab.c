/* check_lab — the lab's executor (deadline order, ties, no busy waiting,
 * memory, Ctrl-C), the prediction of where spawning threads fails, a small
 * real thread run, and the summary line. Everything runs for real but
 * small: tens of milliseconds, tens of threads. */
#include "config.h"

#include "check_suites.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab/lab_compare.h"
#include "lab/lab_futures.h"
#include "lab/lab_limits.h"
#include "lab/lab_run.h"
#include "lab/lab_threads.h"

#define MS 1000000u

/* ---- the executor ------------------------------------------------------- */

/* What the futures did, in the order they became Ready. */
typedef struct fired {
	uint32_t n;
	uint32_t *index;
	uint64_t *deadline;
	uint64_t *at;
	uint64_t sleep_a, sleep_b; /* for sleep_two */
} fired;

static void
fired_init(fired *f, uint32_t n)
{
	memset(f, 0, sizeof *f);
	f->index = calloc(n, sizeof *f->index);
	f->deadline = calloc(n, sizeof *f->deadline);
	f->at = calloc(n, sizeof *f->at);
	ck_assert(f->index && f->deadline && f->at);
}

static void
fired_free(fired *f)
{
	free(f->index);
	free(f->deadline);
	free(f->at);
}

static void
on_ready(void *ctx, uint32_t index, uint64_t deadline_ns, uint64_t now_ns)
{
	fired *f = ctx;
	f->index[f->n] = index;
	f->deadline[f->n] = deadline_ns;
	f->at[f->n] = now_ns;
	f->n++;
}

/* Sleeps scattered over 0..37 ms, so timers are armed out of order. */
static uint64_t
sleep_scattered(void *ctx, uint32_t i)
{
	return (uint64_t)((i * 7919u) % 1000u) * 37000u;
}

/* Even futures sleep sleep_a, odd ones sleep_b. */
static uint64_t
sleep_two(void *ctx, uint32_t i)
{
	const fired *f = ctx;
	return i % 2 ? f->sleep_b : f->sleep_a;
}

/* Every future finished, none before its deadline, in deadline order, and
 * equal deadlines in index order. */
static void
assert_fired_in_order(const fired *f, uint32_t n)
{
	ck_assert_uint_eq(f->n, n);
	for (uint32_t k = 0; k < n; k++) {
		ck_assert_msg(f->at[k] >= f->deadline[k],
		              "future %u ran %llu ns before its deadline",
		              f->index[k],
		              (unsigned long long)(f->deadline[k] - f->at[k]));
		if (k == 0)
			continue;
		ck_assert_msg(f->deadline[k - 1] <= f->deadline[k],
		              "future %u (deadline %llu) fired after %u "
		              "(deadline %llu)",
		              f->index[k - 1],
		              (unsigned long long)f->deadline[k - 1],
		              f->index[k], (unsigned long long)f->deadline[k]);
		if (f->deadline[k - 1] == f->deadline[k])
			ck_assert_msg(f->index[k - 1] < f->index[k],
			              "equal deadlines: future %u fired before "
			              "%u",
			              f->index[k - 1], f->index[k]);
	}
}

START_TEST(test_deadlines_fire_in_order)
{
	enum { N = 1000 };
	fired f;
	fired_init(&f, N);
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = N;
	o.resolution_ns = 1; /* exact: no two deadlines alike */
	o.sleep_of = sleep_scattered;
	o.on_ready = on_ready;
	o.ctx = &f;
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	assert_fired_in_order(&f, N);
	ck_assert_uint_eq(r.polled, N);
	ck_assert_uint_eq(r.finished, N);
	/* Two polls a future, and the join once a batch. */
	ck_assert_uint_eq(r.polls, 2 * N + r.timer_batches + 1);
	ck_assert(!r.stopped);
	/* The deadlines really were out of order when armed. */
	int reordered = 0;
	for (uint32_t k = 1; k < N; k++)
		reordered |= f.index[k] < f.index[k - 1];
	ck_assert(reordered);
	fired_free(&f);
}
END_TEST

START_TEST(test_equal_deadlines_fire_in_creation_order)
{
	enum { N = 2000 };
	fired f;
	fired_init(&f, N);
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = N;
	o.sleep_ns = 20 * MS;
	o.resolution_ns = 50 * MS; /* rounds them all to one or two ticks */
	o.on_ready = on_ready;
	o.ctx = &f;
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	assert_fired_in_order(&f, N);
	uint32_t ties = 0;
	for (uint32_t k = 1; k < N; k++) {
		ck_assert_uint_eq(f.index[k], k);
		ties += f.deadline[k] == f.deadline[k - 1];
	}
	ck_assert_uint_ge(ties, N - 2);
	fired_free(&f);
}
END_TEST

/* Even futures 30 ms, odd ones 10 ms: the evens are armed in order, the
 * odds behind them (the heap), and within each group the deadlines tie. */
START_TEST(test_ties_across_both_lanes)
{
	enum { N = 1000 };
	fired f;
	fired_init(&f, N);
	f.sleep_a = 30 * MS;
	f.sleep_b = 10 * MS;
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = N;
	o.resolution_ns = 20 * MS;
	o.sleep_of = sleep_two;
	o.on_ready = on_ready;
	o.ctx = &f;
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	assert_fired_in_order(&f, N);
	/* The odds (shorter) first, each group in index order. */
	for (uint32_t k = 0; k < N / 2; k++)
		ck_assert_uint_eq(f.index[k], 2 * k + 1);
	for (uint32_t k = 0; k < N / 2; k++)
		ck_assert_uint_eq(f.index[N / 2 + k], 2 * k);
	fired_free(&f);
}
END_TEST

static uint64_t
cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A thousand futures asleep for 200 ms: the executor sleeps in the kernel,
 * so the CPU time is a small fraction of the wall time. A spinning
 * executor would use all 200 ms. */
START_TEST(test_no_busy_waiting)
{
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = 1000;
	o.sleep_ns = 200 * MS;
	lab_futures_result r;
	uint64_t cpu0 = cpu_now(), wall0 = wall_now();
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	uint64_t cpu = cpu_now() - cpu0, wall = wall_now() - wall0;
	ck_assert_uint_ge(wall, 200 * MS);
	ck_assert_uint_ge(r.wall_ns, 200 * MS);
	ck_assert_msg(cpu < wall / 10, "CPU %llu ns of %llu ns wall",
	              (unsigned long long)cpu, (unsigned long long)wall);
	ck_assert_uint_le(r.cpu_ns, cpu);
	/* One sleep per distinct deadline (a millisecond apart at most). */
	ck_assert_uint_le(r.wakeups, 20);
	ck_assert_uint_eq(r.finished, 1000);
}
END_TEST

static void
count_progress(void *ctx, const lab_futures_progress *p)
{
	(*(int *)ctx)++;
}

/* Progress reports wake the executor every 10 ms: still sleeping, not
 * spinning. */
START_TEST(test_progress_wakes_without_spinning)
{
	int reports = 0;
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = 1000;
	o.sleep_ns = 200 * MS;
	o.on_progress = count_progress;
	o.progress_ns = 10 * MS;
	o.ctx = &reports;
	lab_futures_result r;
	uint64_t cpu0 = cpu_now();
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	uint64_t cpu = cpu_now() - cpu0;
	ck_assert_int_ge(reports, 10);
	ck_assert_int_le(reports, 25);
	ck_assert_uint_lt(cpu, 20 * MS);
}
END_TEST

/* The budget: at most 40 bytes a future (the executor's own is 16). */
START_TEST(test_bytes_per_future)
{
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = 200000;
	o.sleep_ns = 10 * MS;
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	lab_run_memory_kb m;
	if (lab_run_memory(&m) != 0)
		return; /* no /proc: nothing to measure with */
	ck_assert_uint_ge(r.peak_rss_kb, r.base_rss_kb);
	ck_assert_uint_le(r.bytes_per_future, 40);
	ck_assert_uint_ge(r.bytes_per_future, 12);
}
END_TEST

static void
stop_on_first_report(void *ctx, const lab_futures_progress *p)
{
	lab_run_stop_request();
}

/* Ctrl-C: a 10-second sleep ends at the first progress report, and the
 * result says so. */
START_TEST(test_stop_ends_the_wait)
{
	ck_assert_int_eq(lab_run_stop_open(), 0);
	lab_run_stop_reset();
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = 100;
	o.sleep_ns = 10000 * MS;
	o.on_progress = stop_on_first_report;
	o.progress_ns = 20 * MS;
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), 0);
	ck_assert(r.stopped);
	ck_assert_uint_eq(r.polled, 100);
	ck_assert_uint_eq(r.finished, 0);
	ck_assert_uint_lt(r.wall_ns, 1000 * MS);
	ck_assert(lab_run_stop_requested());
	ck_assert_int_eq(lab_run_sleep_until(wall_now() + 5000 * MS), 1);
	lab_run_stop_reset();
	ck_assert(!lab_run_stop_requested());
	ck_assert_int_eq(lab_run_sleep_until(wall_now() + MS), 0);
}
END_TEST

START_TEST(test_futures_refuse_what_cannot_run)
{
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	lab_futures_result r;
	ck_assert_int_eq(lab_futures_run(&o, &r), -1);
	ck_assert_int_eq(r.error, EINVAL);
	o.n = (uint64_t)LAB_FUTURES_MAX + 1;
	ck_assert_int_eq(lab_futures_run(&o, &r), -1);

	uint64_t need;
	ck_assert_int_eq(lab_futures_check(1000000, 1ull << 30, 0, &need), 0);
	ck_assert_uint_eq(need, 1000000ull * LAB_FUTURES_BYTES_EACH);
	/* 100 M futures need 2 GB: more than a quarter of 4 GiB. */
	ck_assert_int_eq(lab_futures_check(100000000, 4ull << 30, 0, &need),
	                 -1);
	ck_assert_int_eq(lab_futures_check(100000000, 4ull << 30, 1, &need), 0);
	ck_assert_int_eq(lab_futures_check(100, LAB_UNKNOWN, 0, &need), 0);
	ck_assert_int_eq(lab_futures_check((uint64_t)LAB_FUTURES_MAX + 1,
	                                   LAB_UNKNOWN, 1, &need),
	                 -1);
}
END_TEST

/* ---- the prediction ------------------------------------------------------ */

/* A made-up machine: a user limit of 4,096 tasks (100 in use), 100,000
 * threads system-wide (500 in use), pid_max 32,768, 65,530 mappings (100
 * in use), 16 GiB free, no cgroup or address-space limit. */
static lab_limits
machine(void)
{
	lab_limits l;
	l.nproc_limit = 4096;
	l.nproc_exempt = 0;
	l.user_tasks = 100;
	l.threads_max = 100000;
	l.pid_max = 32768;
	l.system_tasks = 500;
	l.cgroup_pids_max = LAB_UNKNOWN;
	l.cgroup_pids_now = LAB_UNKNOWN;
	l.max_map_count = 65530;
	l.maps_now = 100;
	l.as_limit_bytes = LAB_UNKNOWN;
	l.as_now_bytes = 100u << 20;
	l.mem_total_bytes = 32ull << 30;
	l.mem_avail_bytes = 16ull << 30;
	l.mem_used_bytes = 16ull << 30;
	l.overcommit_never = 0;
	l.commit_room_bytes = 8ull << 30;
	l.stack_bytes = 2u << 20;
	l.guard_bytes = 4096;
	return l;
}

START_TEST(test_prediction_user_limit_first)
{
	lab_limits l = machine();
	lab_prediction p;
	lab_limits_predict(&l, &p);
	ck_assert_uint_eq(p.room[LAB_LIMIT_NPROC], 3996);
	ck_assert_uint_eq(p.room[LAB_LIMIT_THREADS_MAX], 99500);
	ck_assert_uint_eq(p.room[LAB_LIMIT_PID_MAX], 32268);
	ck_assert_uint_eq(p.room[LAB_LIMIT_CGROUP_PIDS], LAB_UNKNOWN);
	ck_assert_uint_eq(p.room[LAB_LIMIT_MAP_COUNT], 32715);
	ck_assert_uint_eq(p.room[LAB_LIMIT_ADDRESS_SPACE], LAB_UNKNOWN);
	ck_assert_uint_eq(p.room[LAB_LIMIT_MEMORY],
	                  (16ull << 30) / LAB_LIMITS_THREAD_COST_BYTES);
	ck_assert_int_eq(p.first, LAB_LIMIT_NPROC);
	ck_assert_uint_eq(p.max_threads, 3996);
	ck_assert_uint_eq(p.safe_threads, 1998);
}
END_TEST

START_TEST(test_prediction_root_skips_user_limit)
{
	lab_limits l = machine();
	l.nproc_exempt = 1;
	lab_prediction p;
	lab_limits_predict(&l, &p);
	ck_assert_uint_eq(p.room[LAB_LIMIT_NPROC], LAB_UNKNOWN);
	ck_assert_int_eq(p.first, LAB_LIMIT_PID_MAX);
	ck_assert_uint_eq(p.max_threads, 32268);
	ck_assert_uint_eq(p.safe_threads, LAB_LIMITS_SAFE_CAP);
}
END_TEST

START_TEST(test_prediction_each_limit_can_bind)
{
	lab_limits l = machine();
	lab_prediction p;
	l.nproc_exempt = 1;

	l.max_map_count = 20000;
	l.maps_now = 1000; /* (20,000 - 1,000) / 2 mappings a thread */
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_MAP_COUNT);
	ck_assert_uint_eq(p.max_threads, 9500);
	ck_assert_uint_eq(p.safe_threads, 4750);

	l = machine();
	l.nproc_exempt = 1;
	l.cgroup_pids_max = 1000;
	l.cgroup_pids_now = 10;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_CGROUP_PIDS);
	ck_assert_uint_eq(p.max_threads, 990);

	l = machine();
	l.nproc_exempt = 1;
	l.as_limit_bytes = 4ull << 30;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_ADDRESS_SPACE);
	ck_assert_uint_eq(p.max_threads,
	                  ((4ull << 30) - (100u << 20)) / ((2u << 20) + 4096));

	/* Overcommit off: every stack is promised in full. */
	l = machine();
	l.nproc_exempt = 1;
	l.overcommit_never = 1;
	l.commit_room_bytes = 1ull << 30;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_MEMORY);
	ck_assert_uint_eq(p.max_threads, (1ull << 30) / ((2u << 20) + 4096));
	ck_assert_uint_eq(p.safe_threads, p.max_threads / 2);

	/* A small machine: memory first, at 64 KiB a thread. */
	l = machine();
	l.nproc_exempt = 1;
	l.mem_avail_bytes = 512u << 20;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_MEMORY);
	ck_assert_uint_eq(p.max_threads, 8192);

	l = machine();
	l.nproc_exempt = 1;
	l.threads_max = 2000;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_THREADS_MAX);
	ck_assert_uint_eq(p.max_threads, 1500);
}
END_TEST

START_TEST(test_prediction_edges)
{
	lab_limits l = machine();
	lab_prediction p;
	/* Already over a limit: no room at all, and nothing is safe. */
	l.user_tasks = 5000;
	lab_limits_predict(&l, &p);
	ck_assert_int_eq(p.first, LAB_LIMIT_NPROC);
	ck_assert_uint_eq(p.max_threads, 0);
	ck_assert_uint_eq(p.safe_threads, 0);

	/* Nothing readable: no prediction, and the fixed cap. */
	lab_limits none;
	memset(&none, 0xff, sizeof none);
	none.nproc_exempt = 0;
	none.overcommit_never = 0;
	none.stack_bytes = 2u << 20;
	none.guard_bytes = 4096;
	lab_limits_predict(&none, &p);
	ck_assert_int_eq(p.first, -1);
	ck_assert_uint_eq(p.max_threads, LAB_UNKNOWN);
	ck_assert_uint_eq(p.safe_threads, LAB_LIMITS_SAFE_CAP);
}
END_TEST

START_TEST(test_blame_names_the_exhausted_limit)
{
	lab_limits l = machine();
	l.nproc_exempt = 1;
	l.system_tasks = 32760; /* pid_max 32,768: 8 left */
	ck_assert_int_eq(lab_limits_blame(&l, EAGAIN), LAB_LIMIT_PID_MAX);
	l = machine();
	l.user_tasks = 4096;
	ck_assert_int_eq(lab_limits_blame(&l, EAGAIN), LAB_LIMIT_NPROC);
	/* Every limit far away: the lab cannot tell. */
	l = machine();
	l.nproc_exempt = 1;
	ck_assert_int_eq(lab_limits_blame(&l, EAGAIN), -1);
}
END_TEST

START_TEST(test_limits_read_this_machine)
{
	lab_limits l;
	lab_limits_read(&l);
	ck_assert_uint_eq(l.stack_bytes, LAB_LIMITS_STACK_BYTES);
	ck_assert_uint_gt(l.guard_bytes, 0);
	ck_assert_uint_ne(l.threads_max, LAB_UNKNOWN);
	ck_assert_uint_ne(l.pid_max, LAB_UNKNOWN);
	ck_assert_uint_ne(l.system_tasks, LAB_UNKNOWN);
	ck_assert_uint_gt(l.system_tasks, 0);
	ck_assert_uint_gt(l.maps_now, 0);
	lab_prediction p;
	lab_limits_predict(&l, &p);
	ck_assert_int_ge(p.first, 0);
	ck_assert_uint_le(p.safe_threads, LAB_LIMITS_SAFE_CAP);
	for (int i = 0; i < LAB_LIMIT_COUNT; i++) {
		const lab_limit_info *li = lab_limit_info_of((lab_limit_id)i);
		ck_assert(li->name && *li->name && li->why && li->where);
	}
}
END_TEST

/* ---- threads ------------------------------------------------------------ */

START_TEST(test_threads_small_run)
{
	lab_threads_options o;
	memset(&o, 0, sizeof o);
	o.n = 20;
	o.sleep_ns = 20 * MS;
	lab_threads_result r;
	ck_assert_int_eq(lab_threads_run(&o, &r), 0);
	ck_assert_uint_eq(r.started, 20);
	ck_assert_uint_eq(r.failed, 0);
	ck_assert_int_eq(r.error, 0);
	ck_assert_uint_ge(r.wall_ns, 20 * MS);
	ck_assert_uint_eq(r.stack_bytes, LAB_LIMITS_STACK_BYTES);
	ck_assert_uint_eq(r.reserved_bytes,
	                  20 * (r.stack_bytes + r.guard_bytes));
	ck_assert(!r.stopped);
	lab_run_summary s;
	lab_threads_summary(&r, &s);
	ck_assert_int_eq(s.kind, LAB_RUN_THREADS);
	ck_assert_uint_eq(s.started, 20);
	ck_assert_uint_eq(s.bytes_per_unit, r.rss_per_thread_bytes);
}
END_TEST

/* Above the safe number, nothing is spawned without force. */
START_TEST(test_threads_refused_above_safe)
{
	lab_threads_options o;
	memset(&o, 0, sizeof o);
	o.n = LAB_LIMITS_SAFE_CAP + 1;
	o.sleep_ns = 1000 * MS;
	lab_threads_result r;
	ck_assert_int_eq(lab_threads_run(&o, &r), 1);
	ck_assert_uint_eq(r.started, 0);
	ck_assert_uint_lt(r.prediction.safe_threads, o.n);
}
END_TEST

/* ---- the summary line and the ranges ------------------------------------ */

START_TEST(test_summary_line)
{
	lab_run_summary s;
	memset(&s, 0, sizeof s);
	s.kind = LAB_RUN_FUTURES;
	s.n = 1000000;
	s.started = 1000000;
	s.wall_ns = 1043499999;
	s.overhead_ns = 43499999;
	s.peak_rss_kb = 17220;
	s.bytes_per_unit = 16;
	char line[256];
	lab_run_format_line(&s, line, sizeof line);
	ck_assert_str_eq(line, "lab: kind=futures n=1000000 started=1000000 "
	                       "failed=0 wall_s=1.043 overhead_s=0.043 "
	                       "peak_rss_kb=17220 bytes_per_unit=16");
	s.kind = LAB_RUN_THREADS;
	s.n = 50000;
	s.started = 32650;
	s.failed = 17350;
	s.wall_ns = 2999500000u;
	s.overhead_ns = 1999500000u;
	lab_run_format_line(&s, line, sizeof line);
	ck_assert_str_eq(line, "lab: kind=threads n=50000 started=32650 "
	                       "failed=17350 wall_s=3.000 overhead_s=2.000 "
	                       "peak_rss_kb=17220 bytes_per_unit=16");
}
END_TEST

START_TEST(test_compare_steps)
{
	uint64_t v[16];
	ck_assert_uint_eq(lab_compare_steps(1000000, v, 16), 6);
	ck_assert_uint_eq(v[0], 10);
	ck_assert_uint_eq(v[5], 1000000);
	ck_assert_uint_eq(lab_compare_steps(10000, v, 16), 4);
	ck_assert_uint_eq(v[3], 10000);
	ck_assert_uint_eq(lab_compare_steps(5000, v, 16), 4);
	ck_assert_uint_eq(v[2], 1000);
	ck_assert_uint_eq(v[3], 5000);
	ck_assert_uint_eq(lab_compare_steps(7, v, 16), 1);
	ck_assert_uint_eq(v[0], 7);
	ck_assert_uint_eq(lab_compare_steps(10, v, 16), 1);
	ck_assert_uint_eq(v[0], 10);
	ck_assert_uint_eq(lab_compare_steps(0, v, 16), 0);
	/* Counts what does not fit. */
	ck_assert_uint_eq(lab_compare_steps(1000000, v, 2), 6);
}
END_TEST

Suite *
suite_lab(void)
{
	Suite *s = suite_create("lab");
	TCase *ex = tcase_create("executor");
	tcase_set_timeout(ex, 30);
	tcase_add_test(ex, test_deadlines_fire_in_order);
	tcase_add_test(ex, test_equal_deadlines_fire_in_creation_order);
	tcase_add_test(ex, test_ties_across_both_lanes);
	tcase_add_test(ex, test_no_busy_waiting);
	tcase_add_test(ex, test_progress_wakes_without_spinning);
	tcase_add_test(ex, test_bytes_per_future);
	tcase_add_test(ex, test_stop_ends_the_wait);
	tcase_add_test(ex, test_futures_refuse_what_cannot_run);
	suite_add_tcase(s, ex);

	TCase *lim = tcase_create("limits");
	tcase_add_test(lim, test_prediction_user_limit_first);
	tcase_add_test(lim, test_prediction_root_skips_user_limit);
	tcase_add_test(lim, test_prediction_each_limit_can_bind);
	tcase_add_test(lim, test_prediction_edges);
	tcase_add_test(lim, test_blame_names_the_exhausted_limit);
	tcase_add_test(lim, test_limits_read_this_machine);
	suite_add_tcase(s, lim);

	TCase *th = tcase_create("threads");
	tcase_set_timeout(th, 30);
	tcase_add_test(th, test_threads_small_run);
	tcase_add_test(th, test_threads_refused_above_safe);
	suite_add_tcase(s, th);

	TCase *misc = tcase_create("summary");
	tcase_add_test(misc, test_summary_line);
	tcase_add_test(misc, test_compare_steps);
	suite_add_tcase(s, misc);
	return s;
}
