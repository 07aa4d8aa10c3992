#include "config.h"

#include "lab/lab_run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const lab_run_kind_names[] = {
        [LAB_RUN_THREADS] = "threads",
        [LAB_RUN_FUTURES] = "futures",
};

const char *
lab_run_kind_name(lab_run_kind kind)
{
	return lab_run_kind_names[kind];
}

static uint64_t
lab_run_clock_ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
lab_run_now_ns(void)
{
	return lab_run_clock_ns(CLOCK_MONOTONIC);
}

uint64_t
lab_run_cpu_ns(void)
{
	return lab_run_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* The fields of /proc/self/status we read, and where each one goes. */
typedef struct lab_run_status_field {
	const char *key;
	size_t offset;
} lab_run_status_field;

static const lab_run_status_field lab_run_status_fields[] = {
        {"VmRSS:", offsetof(lab_run_memory_kb, rss)},
        {"VmHWM:", offsetof(lab_run_memory_kb, peak)},
        {"VmSize:", offsetof(lab_run_memory_kb, size)},
};

int
lab_run_memory(lab_run_memory_kb *m)
{
	m->rss = m->peak = m->size = LAB_UNKNOWN;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		for (size_t i = 0; i < sizeof lab_run_status_fields /
		                               sizeof lab_run_status_fields[0];
		     i++) {
			const lab_run_status_field *sf =
			        &lab_run_status_fields[i];
			size_t klen = strlen(sf->key);
			uint64_t v;
			if (strncmp(line, sf->key, klen) == 0 &&
			    sscanf(line + klen, "%" SCNu64, &v) == 1)
				*(uint64_t *)(void *)((char *)m + sf->offset) =
				        v;
		}
	}
	fclose(f);
	return m->rss == LAB_UNKNOWN ? -1 : 0;
}

int
lab_run_reset_peak(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, "5", 1);
	close(fd);
	return w == 1 ? 0 : -1;
}

/* The switch: a flag for cheap checks in loops, and a pipe for waits. Both
 * are written by the signal handler, so both are plain statics. */
static volatile sig_atomic_t lab_run_stopped;
static int lab_run_stop_pipe[2] = {-1, -1};

int
lab_run_stop_open(void)
{
	if (lab_run_stop_pipe[0] >= 0)
		return 0;
	int p[2];
	if (pipe(p) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		int fl = fcntl(p[i], F_GETFL);
		fcntl(p[i], F_SETFL, fl | O_NONBLOCK);
		fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	lab_run_stop_pipe[0] = p[0];
	lab_run_stop_pipe[1] = p[1];
	return 0;
}

void
lab_run_stop_request(void)
{
	int saved = errno;
	lab_run_stopped = 1;
	if (lab_run_stop_pipe[1] >= 0) {
		ssize_t w = write(lab_run_stop_pipe[1], "x", 1);
		(void)w; /* a full pipe is already readable */
	}
	errno = saved;
}

int
lab_run_stop_requested(void)
{
	if (lab_run_stopped)
		return 1;
	/* The pipe is shared with the children lab_compare forks, so a stop
	 * pulled in one process is seen in all of them. */
	struct pollfd pfd = {lab_run_stop_pipe[0], POLLIN, 0};
	if (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0) {
		lab_run_stopped = 1;
		return 1;
	}
	return 0;
}

void
lab_run_stop_reset(void)
{
	char buf[64];
	if (lab_run_stop_pipe[0] >= 0)
		while (read(lab_run_stop_pipe[0], buf, sizeof buf) > 0)
			;
	lab_run_stopped = 0;
}

int
lab_run_sleep_until(uint64_t deadline_ns)
{
	return lab_run_wait_fd(-1, deadline_ns);
}

int
lab_run_wait_fd(int fd, uint64_t deadline_ns)
{
	/* A negative descriptor is skipped by ppoll, so both slots can
	 * always be passed. */
	struct pollfd pfd[2] = {{lab_run_stop_pipe[0], POLLIN, 0},
	                        {fd, POLLIN, 0}};
	for (;;) {
		if (lab_run_stopped)
			return 1;
		uint64_t now = lab_run_now_ns();
		if (now >= deadline_ns)
			return 0;
		uint64_t left = deadline_ns - now;
		struct timespec ts = {(time_t)(left / 1000000000u),
		                      (long)(left % 1000000000u)};
		int r = ppoll(pfd, 2, &ts, NULL);
		if (r > 0 && (pfd[0].revents & POLLIN)) {
			lab_run_stopped = 1;
			return 1;
		}
		if (r > 0 && (pfd[1].revents & POLLIN))
			return 2;
	}
}

int
lab_run_format_line(const lab_run_summary *s, char *buf, size_t size)
{
	/* Seconds to the nearest millisecond, as the sentences round. */
	uint64_t wall_ms = (s->wall_ns + 500000u) / 1000000u;
	uint64_t over_ms = (s->overhead_ns + 500000u) / 1000000u;
	return snprintf(buf, size,
	                "lab: kind=%s n=%" PRIu64 " started=%" PRIu64
	                " failed=%" PRIu64 " wall_s=%" PRIu64 ".%03" PRIu64
	                " overhead_s=%" PRIu64 ".%03" PRIu64
	                " peak_rss_kb=%" PRIu64 " bytes_per_unit=%" PRIu64,
	                lab_run_kind_name(s->kind), s->n, s->started, s->failed,
	                wall_ms / 1000u, wall_ms % 1000u, over_ms / 1000u,
	                over_ms % 1000u, s->peak_rss_kb, s->bytes_per_unit);
}
