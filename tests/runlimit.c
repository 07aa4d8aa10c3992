/* runlimit — run a command with a wall-time limit and report what it cost.
 *
 * Usage: runlimit SECONDS REPORT COMMAND [ARGUMENTS...]
 *
 * Runs COMMAND (standard streams inherited) in a process group of its own.
 * If it is still running after SECONDS, the whole group is killed. Then one
 * line is written to the file REPORT:
 *
 *   status=N signal=N killed=0|1 wall_ms=N peak_rss_kb=N
 *
 * status is the exit status (-1 when a signal ended it), signal the signal
 * that ended it (0 if none), killed 1 when runlimit killed it for taking
 * too long, wall_ms the real time it took, and peak_rss_kb its peak resident
 * memory as wait4(2) reports it. runlimit exits 0 when it could run the
 * command and write the report, 99 otherwise (a hard error for the tests).
 *
 * tests/hostile.test uses it to bound each hostile program's time and
 * memory without depending on GNU time(1).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: runlimit SECONDS REPORT COMMAND "
		                "[ARGUMENTS...]\n");
		return 99;
	}
	char *end;
	double secs = strtod(argv[1], &end);
	if (*end || !(secs > 0)) {
		fprintf(stderr, "runlimit: bad time limit '%s'\n", argv[1]);
		return 99;
	}
	long long start = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("runlimit: fork");
		return 99;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "runlimit: cannot run %s: %s\n", argv[3],
		        strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	long long deadline = start + (long long)(secs * 1000);
	int status = 0, killed = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("runlimit: wait4");
			return 99;
		}
		if (!killed && now_ms() >= deadline) {
			killed = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		/* Polling every 10 ms keeps this simple (no signal handlers)
		 * and costs nothing next to the programs measured. */
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	long long wall = now_ms() - start;
	FILE *f = fopen(argv[2], "w");
	if (!f) {
		perror("runlimit: cannot write the report");
		return 99;
	}
	fprintf(f, "status=%d signal=%d killed=%d wall_ms=%lld peak_rss_kb=%ld\n",
	        WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	        WIFSIGNALED(status) ? WTERMSIG(status) : 0, killed, wall,
	        (long)ru.ru_maxrss);
	if (fclose(f) != 0) {
		perror("runlimit: cannot write the report");
		return 99;
	}
	return 0;
}
