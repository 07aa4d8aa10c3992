/* lab_limits — the machine's limits on threads, and where spawning will
 * fail.
 *
 * Contract: lab_limits_read fills a lab_limits from the running machine
 * (getrlimit, /proc/sys, /proc/meminfo, /proc/loadavg, /proc/self/maps, the
 * cgroup files); it only reads. lab_limits_predict is a pure function of a
 * lab_limits: for each limit, how many more threads it lets this process
 * spawn, the limit that runs out first, and how many threads the lab spawns
 * without --force. Tests give it made-up figures.
 *
 * Every limit makes pthread_create fail the same way (EAGAIN, "Resource
 * temporarily unavailable"), so the error alone never says which one was
 * hit: lab_limits_blame reads the machine again at the moment of failure
 * and names the limit with the least room left.
 */
#ifndef ASYNC_TUTORIAL_LAB_LAB_LIMITS_H
#define ASYNC_TUTORIAL_LAB_LAB_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "lab/lab_run.h"

/* The limits a spawn can run into, in the order they are listed. */
typedef enum lab_limit_id {
	LAB_LIMIT_NPROC,         /* RLIMIT_NPROC: tasks of this user */
	LAB_LIMIT_THREADS_MAX,   /* kernel.threads-max: tasks in the system */
	LAB_LIMIT_PID_MAX,       /* kernel.pid_max: process IDs */
	LAB_LIMIT_CGROUP_PIDS,   /* the cgroup's pids.max */
	LAB_LIMIT_MAP_COUNT,     /* vm.max_map_count: this process's mappings */
	LAB_LIMIT_ADDRESS_SPACE, /* RLIMIT_AS: this process's address space */
	LAB_LIMIT_MEMORY,        /* RAM (or the cgroup's, or the commit limit) */
	LAB_LIMIT_COUNT
} lab_limit_id;

/* A limit in words, for the front ends, and where its figures are in a
 * lab_limits (offsets of uint64_t fields: the limit and what is in use). */
typedef struct lab_limit_info {
	const char *name;  /* "kernel.pid_max" */
	const char *where; /* how to see it: "cat /proc/sys/kernel/pid_max" */
	const char *why;   /* one sentence: why threads count against it */
	int in_bytes;      /* the figures are bytes, not counts */
	size_t limit_offset;
	size_t used_offset;
} lab_limit_info;

const lab_limit_info *
lab_limit_info_of(lab_limit_id id);

/* The machine's figures. LAB_UNKNOWN means "no limit" for a limit and
 * "could not read" for a use. */
typedef struct lab_limits {
	uint64_t nproc_limit; /* RLIMIT_NPROC, soft */
	int nproc_exempt;     /* root (or CAP_SYS_RESOURCE): not enforced */
	uint64_t user_tasks;  /* tasks (threads) of this user now */
	uint64_t threads_max;
	uint64_t pid_max;
	uint64_t system_tasks; /* tasks in the whole system now */
	uint64_t cgroup_pids_max;
	uint64_t cgroup_pids_now;
	uint64_t max_map_count;
	uint64_t maps_now;        /* this process's mappings now */
	uint64_t as_limit_bytes;  /* RLIMIT_AS, soft */
	uint64_t as_now_bytes;    /* this process's address space now */
	uint64_t mem_avail_bytes; /* MemAvailable, or less if a cgroup says so */
	uint64_t mem_total_bytes; /* MemTotal, or the cgroup's limit */
	uint64_t mem_used_bytes;  /* total - available */
	int overcommit_never;       /* vm.overcommit_memory = 2 */
	uint64_t commit_room_bytes; /* CommitLimit - Committed_AS then */
	uint64_t stack_bytes;       /* each spawned thread's stack */
	uint64_t guard_bytes;       /* and its guard page */
} lab_limits;

/* The stack the lab gives each thread: Rust's std::thread::spawn default
 * (2 MiB), so the lab's threads cost what a Rust program's would. */
#define LAB_LIMITS_STACK_BYTES (2u * 1024u * 1024u)

/* What a thread costs in memory that is really used, not just reserved:
 * its kernel stack (16 KiB on x86-64), the task and its bookkeeping, the
 * pages of its own stack and thread-local storage it touches, and page
 * tables. Measured at 20 to 40 KiB on Linux 6; this rounds up, because
 * the figure decides when a run is refused. */
#define LAB_LIMITS_THREAD_COST_BYTES (64u * 1024u)

/* The most threads the lab spawns without --force, whatever the machine. */
#define LAB_LIMITS_SAFE_CAP 10000u

/* Fills *lim from this machine. Figures that cannot be read are
 * LAB_UNKNOWN (the prediction then ignores that limit). Always succeeds. */
void
lab_limits_read(lab_limits *lim);

typedef struct lab_prediction {
	/* How many more threads each limit allows; LAB_UNKNOWN when it does
	 * not apply (no limit, exempt, or not readable). */
	uint64_t room[LAB_LIMIT_COUNT];
	int first;            /* the limit that runs out first, or -1 */
	uint64_t max_threads; /* room[first]: spawning fails after this many */
	/* The most the lab spawns without --force: LAB_LIMITS_SAFE_CAP, and
	 * never more than half of any limit's room, so a run leaves the
	 * machine (and the other people on it) plenty. */
	uint64_t safe_threads;
} lab_prediction;

void
lab_limits_predict(const lab_limits *lim, lab_prediction *p);

/* After a spawn failed with errno `err` while `started` threads of ours
 * were alive: which limit most likely stopped it, judged from the figures
 * read at that moment (`now`). Returns a lab_limit_id, or -1 when no limit
 * is near (then the cause is something the lab cannot see). */
int
lab_limits_blame(const lab_limits *now, int err);

#endif
