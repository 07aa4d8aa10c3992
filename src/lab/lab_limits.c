#include "config.h"

#include "lab/lab_limits.h"

#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define LAB_FIELD(f) offsetof(lab_limits, f)

/* Indexed by lab_limit_id. */
static const lab_limit_info lab_limit_infos[LAB_LIMIT_COUNT] = {
        [LAB_LIMIT_NPROC] = {"RLIMIT_NPROC", "ulimit -u",
                             "the most processes and threads one user may "
                             "have at once, and every thread counts",
                             0, LAB_FIELD(nproc_limit), LAB_FIELD(user_tasks)},
        [LAB_LIMIT_THREADS_MAX] = {"kernel.threads-max",
                                   "cat /proc/sys/kernel/threads-max",
                                   "the most threads the whole system may "
                                   "have at once, all users together",
                                   0, LAB_FIELD(threads_max),
                                   LAB_FIELD(system_tasks)},
        [LAB_LIMIT_PID_MAX] = {"kernel.pid_max", "cat /proc/sys/kernel/pid_max",
                               "every thread needs an ID from the same pool "
                               "as processes, and the pool has this many",
                               0, LAB_FIELD(pid_max), LAB_FIELD(system_tasks)},
        [LAB_LIMIT_CGROUP_PIDS] = {"the cgroup's pids.max",
                                   "cat /sys/fs/cgroup/.../pids.max",
                                   "the container or service this runs in "
                                   "may have at most this many tasks",
                                   0, LAB_FIELD(cgroup_pids_max),
                                   LAB_FIELD(cgroup_pids_now)},
        [LAB_LIMIT_MAP_COUNT] = {"vm.max_map_count",
                                 "cat /proc/sys/vm/max_map_count",
                                 "a process may have this many memory "
                                 "mappings, and each thread's stack and its "
                                 "guard page are two",
                                 0, LAB_FIELD(max_map_count),
                                 LAB_FIELD(maps_now)},
        [LAB_LIMIT_ADDRESS_SPACE] = {"RLIMIT_AS", "ulimit -v",
                                     "the address space one process may "
                                     "reserve, and each thread reserves its "
                                     "whole stack",
                                     1, LAB_FIELD(as_limit_bytes),
                                     LAB_FIELD(as_now_bytes)},
        [LAB_LIMIT_MEMORY] = {"memory", "free -h",
                              "each thread uses some real memory (its "
                              "kernel stack, its task, the pages of its "
                              "stack it touches); long before it runs out "
                              "the machine would be swapping or killing "
                              "processes",
                              1, LAB_FIELD(mem_total_bytes),
                              LAB_FIELD(mem_used_bytes)},
};

const lab_limit_info *
lab_limit_info_of(lab_limit_id id)
{
	return &lab_limit_infos[id];
}

/* ---- reading ------------------------------------------------------------ */

/* The first number in a file ("max" or a missing file: LAB_UNKNOWN). */
static uint64_t
lab_limits_read_number(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return LAB_UNKNOWN;
	uint64_t v;
	int ok = fscanf(f, "%" SCNu64, &v) == 1;
	fclose(f);
	return ok ? v : LAB_UNKNOWN;
}

/* Lines of a file, or LAB_UNKNOWN. */
static uint64_t
lab_limits_count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return LAB_UNKNOWN;
	uint64_t n = 0;
	int c;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static uint64_t
lab_limits_rlimit(int resource)
{
	struct rlimit rl;
	if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return LAB_UNKNOWN;
	return (uint64_t)rl.rlim_cur;
}

/* The kernel lets root, and anyone with CAP_SYS_RESOURCE or CAP_SYS_ADMIN,
 * go past RLIMIT_NPROC. The capabilities are bits of CapEff. */
static int
lab_limits_nproc_exempt(void)
{
	if (getuid() == 0)
		return 1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	char line[256];
	uint64_t caps = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %" SCNx64, &caps) == 1)
			break;
	fclose(f);
	return (caps >> 21 & 1) || (caps >> 24 & 1);
}

/* Threads of processes whose real user is ours: what RLIMIT_NPROC counts.
 * Processes can end while we look; those simply do not count. */
static uint64_t
lab_limits_user_tasks(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return LAB_UNKNOWN;
	uint64_t total = 0;
	unsigned long uid = (unsigned long)getuid();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		char line[256];
		unsigned long ruid = (unsigned long)-1;
		uint64_t threads = 0;
		while (fgets(line, sizeof line, f)) {
			sscanf(line, "Uid: %lu", &ruid);
			sscanf(line, "Threads: %" SCNu64, &threads);
		}
		fclose(f);
		if (ruid == uid)
			total += threads;
	}
	closedir(d);
	return total;
}

/* Tasks in the system: the number after the slash in /proc/loadavg. */
static uint64_t
lab_limits_system_tasks(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	if (!f)
		return LAB_UNKNOWN;
	uint64_t running, total;
	int ok = fscanf(f, "%*s %*s %*s %" SCNu64 "/%" SCNu64, &running,
	                &total) == 2;
	fclose(f);
	return ok ? total : LAB_UNKNOWN;
}

/* The fields of /proc/meminfo we need, in bytes. */
typedef struct lab_limits_meminfo {
	uint64_t total, avail, commit_limit, committed;
} lab_limits_meminfo;

static void
lab_limits_meminfo_read(lab_limits_meminfo *m)
{
	static const struct {
		const char *key;
		size_t offset;
	} keys[] = {
	        {"MemTotal:", offsetof(lab_limits_meminfo, total)},
	        {"MemAvailable:", offsetof(lab_limits_meminfo, avail)},
	        {"CommitLimit:", offsetof(lab_limits_meminfo, commit_limit)},
	        {"Committed_AS:", offsetof(lab_limits_meminfo, committed)},
	};
	m->total = m->avail = m->commit_limit = m->committed = LAB_UNKNOWN;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			size_t klen = strlen(keys[i].key);
			uint64_t kb;
			if (strncmp(line, keys[i].key, klen) == 0 &&
			    sscanf(line + klen, "%" SCNu64, &kb) == 1)
				*(uint64_t *)(void *)((char *)m +
				                      keys[i].offset) =
				        kb * 1024;
		}
	}
	fclose(f);
}

/* A cgroup limit, looked up the way the kernel applies it: the smallest
 * limit on the way from our cgroup up to the root, and the use of the
 * cgroup that sets it. `mount` is where the hierarchy is mounted, `path`
 * our cgroup in it ("/a/b"). Values of 2^60 and more mean "no limit" (v1
 * writes a huge number where v2 writes "max"). */
static void
lab_limits_cgroup_min(const char *mount, const char *path,
                      const char *limit_file, const char *use_file,
                      uint64_t *limit, uint64_t *use)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	for (;;) {
		char file[700];
		snprintf(file, sizeof file, "%s%s/%s", mount, dir, limit_file);
		uint64_t l = lab_limits_read_number(file);
		if (l < (1ull << 60) && (*limit == LAB_UNKNOWN || l < *limit)) {
			*limit = l;
			snprintf(file, sizeof file, "%s%s/%s", mount, dir,
			         use_file);
			*use = lab_limits_read_number(file);
		}
		char *slash = strrchr(dir, '/');
		if (!slash || dir[0] == '\0')
			break;
		*slash = '\0';
	}
}

/* Reads the pids and memory limits of the cgroups this process is in,
 * version 2 ("0::/path") or version 1 ("N:pids:/path", "N:memory:/path"). */
static void
lab_limits_cgroups(lab_limits *lim, uint64_t *mem_limit, uint64_t *mem_use)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return;
	char line[600];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *ctrl = c1 + 1, *path = c2 + 1;
		if (strcmp(path, "/") == 0)
			path = "";
		if (*ctrl == '\0') {
			lab_limits_cgroup_min("/sys/fs/cgroup", path,
			                      "pids.max", "pids.current",
			                      &lim->cgroup_pids_max,
			                      &lim->cgroup_pids_now);
			lab_limits_cgroup_min("/sys/fs/cgroup", path,
			                      "memory.max", "memory.current",
			                      mem_limit, mem_use);
		} else if (strstr(ctrl, "pids")) {
			lab_limits_cgroup_min("/sys/fs/cgroup/pids", path,
			                      "pids.max", "pids.current",
			                      &lim->cgroup_pids_max,
			                      &lim->cgroup_pids_now);
		} else if (strstr(ctrl, "memory")) {
			lab_limits_cgroup_min("/sys/fs/cgroup/memory", path,
			                      "memory.limit_in_bytes",
			                      "memory.usage_in_bytes",
			                      mem_limit, mem_use);
		}
	}
	fclose(f);
}

void
lab_limits_read(lab_limits *lim)
{
	lim->nproc_limit = lab_limits_rlimit(RLIMIT_NPROC);
	lim->nproc_exempt = lab_limits_nproc_exempt();
	/* Counting a user's tasks means reading every process's status;
	 * skip it when the answer cannot matter. */
	lim->user_tasks = lim->nproc_limit != LAB_UNKNOWN && !lim->nproc_exempt
	                          ? lab_limits_user_tasks()
	                          : LAB_UNKNOWN;
	lim->threads_max =
	        lab_limits_read_number("/proc/sys/kernel/threads-max");
	lim->pid_max = lab_limits_read_number("/proc/sys/kernel/pid_max");
	lim->system_tasks = lab_limits_system_tasks();
	lim->cgroup_pids_max = LAB_UNKNOWN;
	lim->cgroup_pids_now = LAB_UNKNOWN;
	lim->max_map_count =
	        lab_limits_read_number("/proc/sys/vm/max_map_count");
	lim->maps_now = lab_limits_count_lines("/proc/self/maps");
	lim->as_limit_bytes = lab_limits_rlimit(RLIMIT_AS);
	lab_run_memory_kb m;
	lab_run_memory(&m);
	lim->as_now_bytes = m.size == LAB_UNKNOWN ? LAB_UNKNOWN : m.size * 1024;

	lab_limits_meminfo mi;
	lab_limits_meminfo_read(&mi);
	lim->mem_total_bytes = mi.total;
	lim->mem_avail_bytes = mi.avail;
	uint64_t cg_limit = LAB_UNKNOWN, cg_use = LAB_UNKNOWN;
	lab_limits_cgroups(lim, &cg_limit, &cg_use);
	if (cg_limit != LAB_UNKNOWN && cg_use != LAB_UNKNOWN &&
	    (mi.total == LAB_UNKNOWN || cg_limit < mi.total)) {
		lim->mem_total_bytes = cg_limit;
		uint64_t room = cg_limit > cg_use ? cg_limit - cg_use : 0;
		if (mi.avail == LAB_UNKNOWN || room < mi.avail)
			lim->mem_avail_bytes = room;
	}
	lim->mem_used_bytes =
	        lim->mem_total_bytes != LAB_UNKNOWN &&
	                        lim->mem_avail_bytes != LAB_UNKNOWN &&
	                        lim->mem_total_bytes >= lim->mem_avail_bytes
	                ? lim->mem_total_bytes - lim->mem_avail_bytes
	                : LAB_UNKNOWN;
	lim->overcommit_never =
	        lab_limits_read_number("/proc/sys/vm/overcommit_memory") == 2;
	lim->commit_room_bytes =
	        mi.commit_limit != LAB_UNKNOWN && mi.committed != LAB_UNKNOWN
	                ? (mi.commit_limit > mi.committed
	                           ? mi.commit_limit - mi.committed
	                           : 0)
	                : LAB_UNKNOWN;
	lim->stack_bytes = LAB_LIMITS_STACK_BYTES;
	long page = sysconf(_SC_PAGESIZE);
	lim->guard_bytes = page > 0 ? (uint64_t)page : 4096;
}

/* ---- predicting --------------------------------------------------------- */

/* Room under a limit: (limit - used) / per, or LAB_UNKNOWN when either
 * figure is unknown. */
static uint64_t
lab_limits_room(uint64_t limit, uint64_t used, uint64_t per)
{
	if (limit == LAB_UNKNOWN || used == LAB_UNKNOWN || per == 0)
		return LAB_UNKNOWN;
	return limit > used ? (limit - used) / per : 0;
}

void
lab_limits_predict(const lab_limits *lim, lab_prediction *p)
{
	uint64_t per_stack = lim->stack_bytes + lim->guard_bytes;
	p->room[LAB_LIMIT_NPROC] =
	        lim->nproc_exempt
	                ? LAB_UNKNOWN
	                : lab_limits_room(lim->nproc_limit, lim->user_tasks, 1);
	p->room[LAB_LIMIT_THREADS_MAX] =
	        lab_limits_room(lim->threads_max, lim->system_tasks, 1);
	p->room[LAB_LIMIT_PID_MAX] =
	        lab_limits_room(lim->pid_max, lim->system_tasks, 1);
	p->room[LAB_LIMIT_CGROUP_PIDS] =
	        lab_limits_room(lim->cgroup_pids_max, lim->cgroup_pids_now, 1);
	/* glibc maps each stack and then makes its guard page inaccessible,
	 * which splits the mapping in two. */
	p->room[LAB_LIMIT_MAP_COUNT] =
	        lab_limits_room(lim->max_map_count, lim->maps_now, 2);
	p->room[LAB_LIMIT_ADDRESS_SPACE] = lab_limits_room(
	        lim->as_limit_bytes, lim->as_now_bytes, per_stack);
	/* With overcommit off, the kernel promises every stack in full, so
	 * the commit limit runs out first; otherwise only the memory really
	 * used counts. */
	p->room[LAB_LIMIT_MEMORY] =
	        lim->overcommit_never
	                ? lab_limits_room(lim->commit_room_bytes, 0, per_stack)
	                : lab_limits_room(lim->mem_avail_bytes, 0,
	                                  LAB_LIMITS_THREAD_COST_BYTES);

	p->first = -1;
	p->max_threads = LAB_UNKNOWN;
	for (int i = 0; i < LAB_LIMIT_COUNT; i++) {
		if (p->room[i] != LAB_UNKNOWN &&
		    (p->first < 0 || p->room[i] < p->max_threads)) {
			p->first = i;
			p->max_threads = p->room[i];
		}
	}
	p->safe_threads = LAB_LIMITS_SAFE_CAP;
	if (p->max_threads != LAB_UNKNOWN &&
	    p->max_threads / 2 < p->safe_threads)
		p->safe_threads = p->max_threads / 2;
}

/* A limit with at most this much room left when a spawn failed is taken to
 * be the one that stopped it. Other processes start and end meanwhile, so
 * "exactly zero" would be too strict. */
enum { LAB_LIMITS_NEAR = 256 };

int
lab_limits_blame(const lab_limits *now, int err)
{
	lab_prediction p;
	lab_limits_predict(now, &p);
	if (p.first < 0 || p.max_threads > LAB_LIMITS_NEAR)
		return -1;
	return p.first;
}
