/* seek_bench — how long the visualizer's view model takes to seek.
 *
 * Runs a program with the full trace kept (as the visualizer does), indexes
 * it with trace_view, then seeks to pseudo-random cursors and reports the
 * median, 99th percentile and largest time per seek, each seek followed by
 * the queries one screen makes (a window of rows, threads, the executor,
 * narration), so the figure is what a learner waits for after a jump.
 * Used by `make bench`; prints one line: `seek: ...`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/lang_compile.h"
#include "sim/sim_run.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"
#include "trace/trace_view.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: seek_bench PROGRAM.rs [SEEKS]\n");
		return 2;
	}
	int seeks = argc > 2 ? atoi(argv[2]) : 1000;
	if (seeks < 1)
		seeks = 1;
	size_t len;
	char *src = read_file(argv[1], &len);
	if (!src) {
		fprintf(stderr, "seek_bench: cannot read %s\n", argv[1]);
		return 2;
	}
	lang_diags diags;
	lang_diags_init(&diags);
	lang_program *prog = lang_compile(src, len, &diags);
	if (!prog) {
		fprintf(stderr, "seek_bench: %s does not compile\n", argv[1]);
		return 3;
	}
	trace_log *log = trace_log_new(TRACE_FULL);
	trace_lint *lints = trace_lint_new();
	trace_log_set_lints(log, lints);
	sim_options opt;
	sim_options_default(&opt);
	sim_result res;
	if (sim_run(prog, &opt, log, &res) < 0) {
		fprintf(stderr, "seek_bench: the simulator ran out of memory\n");
		return 1;
	}
	double t0 = now_ms();
	trace_view *v = trace_view_new(log, prog);
	double build_ms = now_ms() - t0;
	if (!v) {
		fprintf(stderr, "seek_bench: cannot index the trace\n");
		return 1;
	}
	size_t n = trace_view_events(v);
	double *ms = malloc((size_t)seeks * sizeof *ms);
	if (!ms)
		return 1;
	/* A fixed linear congruential sequence: the same cursors every run. */
	uint64_t x = 12345;
	trace_view_row rows[60];
	trace_view_thread_row th;
	char sentence[512];
	for (int i = 0; i < seeks; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		size_t c = (size_t)((x >> 11) % (n + 1));
		double s = now_ms();
		trace_view_seek(v, c);
		trace_view_window(v, 0, 60, rows);
		trace_view_thread(v, 0, &th);
		trace_view_narrate(v, sentence, sizeof sentence);
		ms[i] = now_ms() - s;
	}
	qsort(ms, (size_t)seeks, sizeof *ms, cmp_double);
	printf("seek: events=%zu seeks=%d build_ms=%.0f median_ms=%.3f "
	       "p99_ms=%.3f max_ms=%.3f view_bytes=%zu\n",
	       n, seeks, build_ms, ms[seeks / 2], ms[seeks * 99 / 100],
	       ms[seeks - 1], trace_view_bytes(v));
	free(ms);
	trace_view_free(v);
	sim_result_free(&res);
	trace_log_free(log);
	trace_lint_free(lints);
	lang_program_free(prog);
	lang_diags_free(&diags);
	free(src);
	return 0;
}
