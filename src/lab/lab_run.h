/* lab_run — what every lab run shares: the real clocks, the process's
 * memory figures, the stop switch, and the one-line summary.
 *
 * Contract: the lab (src/lab/) runs real threads and real futures on the
 * learner's own machine and returns what it measured as data; it never
 * prints. This module is its window on the machine:
 *
 *   - lab_run_now_ns and lab_run_cpu_ns read CLOCK_MONOTONIC and the
 *     process's CPU-time clock;
 *   - lab_run_memory reads the resident size, its peak and the address space
 *     from /proc/self/status, and lab_run_reset_peak starts a new peak, so
 *     a run can measure only what it allocated itself;
 *   - the stop switch is process-wide because a signal handler must reach
 *     it: lab_run_stop_request is async-signal-safe, and every wait in the
 *     lab (lab_run_sleep_until) wakes at once when it is pulled, so Ctrl-C
 *     ends a long sleep early and the run still reports what it saw;
 *   - lab_run_summary is the record behind the line every lab run ends
 *     with, and lab_run_format_line writes that line (without printing it).
 */
#ifndef ASYNC_TUTORIAL_LAB_LAB_RUN_H
#define ASYNC_TUTORIAL_LAB_LAB_RUN_H

#include <stddef.h>
#include <stdint.h>

/* A figure the machine did not give (no such file, no such limit). */
#define LAB_UNKNOWN UINT64_MAX

/* What the lab ran. */
typedef enum lab_run_kind {
	LAB_RUN_THREADS,
	LAB_RUN_FUTURES
} lab_run_kind;

/* The word for a kind in the summary line: "threads" or "futures". */
const char *
lab_run_kind_name(lab_run_kind kind);

uint64_t
lab_run_now_ns(void);

/* CPU time the whole process (every thread) has used. */
uint64_t
lab_run_cpu_ns(void);

/* The process's memory, in KiB; LAB_UNKNOWN where /proc does not say. */
typedef struct lab_run_memory_kb {
	uint64_t rss;  /* resident now (VmRSS) */
	uint64_t peak; /* the most resident since the last reset (VmHWM) */
	uint64_t size; /* address space mapped (VmSize) */
} lab_run_memory_kb;

/* Returns 0, or -1 if /proc/self/status could not be read. */
int
lab_run_memory(lab_run_memory_kb *m);

/* Makes the peak start again from the resident size now (Linux 4.0's
 * "echo 5 > /proc/self/clear_refs"). Returns 0, or -1 when the kernel does
 * not allow it; the peak is then the process's whole-life peak. */
int
lab_run_reset_peak(void);

/* Opens the stop switch (a pipe nobody reads: once a byte is written it
 * stays readable, so every waiter wakes). Idempotent. Returns 0 or -1. */
int
lab_run_stop_open(void);

/* Pulls the switch. Async-signal-safe: call it from a SIGINT handler. */
void
lab_run_stop_request(void);

/* Whether the switch has been pulled. */
int
lab_run_stop_requested(void);

/* Puts the switch back (empties the pipe), for the next run. */
void
lab_run_stop_reset(void);

/* Sleeps until CLOCK_MONOTONIC reaches deadline_ns, in the kernel (no
 * spinning), or until the switch is pulled. Returns 1 if it was pulled, 0
 * when the deadline passed. */
int
lab_run_sleep_until(uint64_t deadline_ns);

/* The same, but also ends when `fd` becomes readable (then returns 2). */
int
lab_run_wait_fd(int fd, uint64_t deadline_ns);

/* The line a script can read, as fields. */
typedef struct lab_run_summary {
	lab_run_kind kind;
	uint64_t n;           /* asked for */
	uint64_t started;     /* threads spawned, futures polled */
	uint64_t failed;      /* threads that could not be spawned */
	uint64_t wall_ns;     /* from the first spawn or poll to the last join */
	uint64_t overhead_ns; /* wall time beyond the sleep */
	uint64_t peak_rss_kb; /* the process's peak resident size */
	uint64_t bytes_per_unit; /* resident bytes each thread or future added */
	int stopped;             /* Ctrl-C ended it early */
} lab_run_summary;

/* Writes "lab: kind=... n=N started=N failed=N wall_s=S overhead_s=S
 * peak_rss_kb=N bytes_per_unit=N" (no newline) into buf, like snprintf.
 * The keys and their order are stable: scripts and make bench read them. */
int
lab_run_format_line(const lab_run_summary *s, char *buf, size_t size);

#endif
