#include "config.h"

#include "ui/ui_lab.h"

#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/lab_compare.h"
#include "lab/lab_futures.h"
#include "lab/lab_limits.h"
#include "lab/lab_run.h"
#include "lab/lab_threads.h"

#define UI_LAB_PROG "async-tutorial"

enum ui_lab_exit {
	UI_LAB_EXIT_OK = 0,
	UI_LAB_EXIT_REFUSED = 1,
	UI_LAB_EXIT_USAGE = 2,
	UI_LAB_EXIT_STOPPED = 130 /* as a shell reports a Ctrl-C */
};

/* Whether the terminal takes UTF-8: box-drawing characters and µ, else
 * ASCII. Set once by ui_lab_main. */
static int ui_lab_utf8;

/* ---- words for numbers -------------------------------------------------- */

/* 1234567 -> "1,234,567". */
static const char *
ui_lab_count(char *buf, size_t size, uint64_t v)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* Bytes in binary units: "16 B", "8.4 KiB", "81.2 MiB", "19.6 GiB". */
static const char *
ui_lab_bytes(char *buf, size_t size, uint64_t v)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double d = (double)v;
	size_t u = 0;
	while (d >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
		d /= 1024;
		u++;
	}
	uint64_t unit = (uint64_t)1 << (10 * u);
	if (v % unit == 0)
		snprintf(buf, size, "%" PRIu64 " %s", v / unit, units[u]);
	else
		snprintf(buf, size, "%.1f %s", d, units[u]);
	return buf;
}

/* A duration as people say it: "1.043 s", "43 ms", "512 µs". */
static const char *
ui_lab_secs(char *buf, size_t size, uint64_t ns)
{
	if (ns >= 1000000000u && ns % 1000000000u == 0)
		snprintf(buf, size, "%" PRIu64 " s", ns / 1000000000u);
	else if (ns >= 1000000000u)
		snprintf(buf, size, "%.3f s", (double)ns / 1e9);
	else if (ns >= 10000000u)
		snprintf(buf, size, "%.0f ms", (double)ns / 1e6);
	else if (ns >= 1000000u)
		snprintf(buf, size, "%.1f ms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%.0f %s", (double)ns / 1e3,
		         ui_lab_utf8 ? "\xc2\xb5s" : "us");
	return buf;
}

/* errno values a spawn can fail with, by name: the name is what a search
 * engine finds. */
static const struct {
	int err;
	const char *name;
} ui_lab_errnos[] = {
        {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EPERM, "EPERM"},
        {EINVAL, "EINVAL"}, {ECHILD, "ECHILD"},
};

static const char *
ui_lab_errno_name(int err)
{
	for (size_t i = 0; i < sizeof ui_lab_errnos / sizeof ui_lab_errnos[0];
	     i++)
		if (ui_lab_errnos[i].err == err)
			return ui_lab_errnos[i].name;
	return "errno";
}

/* ---- the command line --------------------------------------------------- */

/* What `lab` was asked to do. */
typedef struct ui_lab_args {
	const char *sub;
	uint64_t n;
	int n_given;
	uint64_t sleep_ns;
	uint64_t max_n;
	int force;
	int plain;
} ui_lab_args;

typedef struct ui_lab_opt ui_lab_opt;

struct ui_lab_opt {
	const char *name; /* without "--" */
	const char *metavar;
	const char *help;
	const char *dflt; /* for --help, or NULL */
	/* Returns 0, or the exit status of the error it reported. */
	int (*set)(ui_lab_args *a, const char *arg);
};

static int ui_lab_usage_error(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static int
ui_lab_usage_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs(UI_LAB_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" UI_LAB_PROG " lab --help'.\n", stderr);
	return UI_LAB_EXIT_USAGE;
}

/* A whole number; "_" and "," may group digits (1_000_000, 1,000,000). */
static int
ui_lab_parse_count(const char *text, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;
	for (const char *p = text; *p; p++) {
		if ((*p == '_' || *p == ',') && digits > 0 && p[1] >= '0' &&
		    p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		digits++;
	}
	if (digits == 0)
		return -1;
	*out = v;
	return 0;
}

/* The units a DURATION may be given in. */
static const struct {
	const char *unit;
	uint64_t ns;
} ui_lab_time_units[] = {
        {"ns", 1},       {"us", 1000},      {"\xc2\xb5s", 1000},
        {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000},
};

/* The longest sleep the lab takes: an hour is already a lot to wait. */
#define UI_LAB_MAX_SLEEP_NS 3600000000000u

/* "1s", "250ms", "1.5s", "500us": a number and a unit. */
static int
ui_lab_parse_duration(const char *text, uint64_t *out)
{
	const char *p = text;
	uint64_t whole = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		if (whole > UI_LAB_MAX_SLEEP_NS)
			return -1;
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	const char *frac = NULL;
	if (*p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	while (*p == ' ')
		p++;
	for (size_t i = 0;
	     i < sizeof ui_lab_time_units / sizeof ui_lab_time_units[0]; i++) {
		if (strcmp(p, ui_lab_time_units[i].unit) != 0)
			continue;
		uint64_t scale = ui_lab_time_units[i].ns;
		if (whole > UI_LAB_MAX_SLEEP_NS / scale)
			return -1;
		uint64_t v = whole * scale;
		for (const char *f = frac; f && *f >= '0' && *f <= '9'; f++) {
			scale /= 10;
			v += scale * (uint64_t)(*f - '0');
		}
		if (v > UI_LAB_MAX_SLEEP_NS)
			return -1;
		*out = v;
		return 0;
	}
	return -1;
}

static int
ui_lab_opt_n(ui_lab_args *a, const char *arg)
{
	if (ui_lab_parse_count(arg, &a->n) != 0 || a->n == 0)
		return ui_lab_usage_error("'%s' is not a valid value for --n: "
		                          "give a whole number of at least 1, "
		                          "e.g. --n 10000",
		                          arg);
	a->n_given = 1;
	return 0;
}

static int
ui_lab_opt_sleep(ui_lab_args *a, const char *arg)
{
	if (ui_lab_parse_duration(arg, &a->sleep_ns) != 0)
		return ui_lab_usage_error(
		        "'%s' is not a valid duration for --sleep: give a "
		        "number and a unit (ns, us, ms, s or m) up to an hour, "
		        "e.g. --sleep 1s or --sleep 250ms",
		        arg);
	return 0;
}

static int
ui_lab_opt_up_to(ui_lab_args *a, const char *arg)
{
	if (ui_lab_parse_count(arg, &a->max_n) != 0 || a->max_n == 0)
		return ui_lab_usage_error("'%s' is not a valid value for "
		                          "--up-to: give a whole number of at "
		                          "least 1, e.g. --up-to 1000",
		                          arg);
	return 0;
}

static int
ui_lab_opt_force(ui_lab_args *a, const char *arg)
{
	a->force = 1;
	return 0;
}

static int
ui_lab_opt_plain(ui_lab_args *a, const char *arg)
{
	a->plain = 1;
	return 0;
}

static const ui_lab_opt ui_lab_opts[] = {
        {"n", "N", "how many threads or futures",
         "1000 for threads, 1000000 for futures", ui_lab_opt_n},
        {"sleep", "DURATION",
         "how long each one sleeps, with a unit: 1s, 250ms, 500us", "1 s",
         ui_lab_opt_sleep},
        {"force", NULL,
         "spawn more threads than this machine can safely spare (see 'lab "
         "limits'), or futures that need more than a quarter of its free "
         "memory",
         NULL, ui_lab_opt_force},
        {"up-to", "N",
         "compare: the largest N (threads stop at the safe number "
         "anyway)",
         "1000000", ui_lab_opt_up_to},
        {"plain", NULL, "compare: print a table instead of charts", NULL,
         ui_lab_opt_plain},
};

#define UI_LAB_NOPTS (sizeof ui_lab_opts / sizeof ui_lab_opts[0])

/* ---- Ctrl-C ------------------------------------------------------------- */

/* SA_RESETHAND makes a second Ctrl-C end the program the usual way, for a
 * learner who does not want to wait for the report. */
static void
ui_lab_on_sigint(int sig)
{
	lab_run_stop_request();
}

static struct sigaction ui_lab_old_sigint;

static void
ui_lab_catch_sigint(void)
{
	lab_run_stop_open();
	lab_run_stop_reset();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_lab_on_sigint;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &ui_lab_old_sigint);
}

static void
ui_lab_release_sigint(void)
{
	sigaction(SIGINT, &ui_lab_old_sigint, NULL);
}

/* ---- progress ----------------------------------------------------------- */

/* Progress goes to stderr, on one line rewritten in place, and only when
 * stderr is a terminal: in a file or a pipe it would be noise. */
static int ui_lab_progress_on;

static void ui_lab_progress(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void
ui_lab_progress(const char *fmt, ...)
{
	if (!ui_lab_progress_on)
		return;
	va_list ap;
	fputc('\r', stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
	fflush(stderr);
}

static void
ui_lab_progress_done(void)
{
	if (ui_lab_progress_on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static void
ui_lab_threads_progress(void *ctx, const lab_threads_progress *p)
{
	char a[32], b[32], c[32], t[32];
	ui_lab_secs(t, sizeof t, p->elapsed_ns);
	if (p->phase == LAB_THREADS_SPAWNING)
		ui_lab_progress("  %s: spawned %s of %s threads", t,
		                ui_lab_count(a, sizeof a, p->started),
		                ui_lab_count(b, sizeof b, p->n));
	else
		ui_lab_progress("  %s: %s of %s threads have woken up "
		                "(Ctrl-C stops)",
		                t, ui_lab_count(a, sizeof a, p->finished),
		                ui_lab_count(c, sizeof c, p->started));
}

static void
ui_lab_futures_progress(void *ctx, const lab_futures_progress *p)
{
	char a[32], b[32], t[32];
	ui_lab_secs(t, sizeof t, p->elapsed_ns);
	if (p->polled < p->n)
		ui_lab_progress("  %s: polled %s of %s futures once", t,
		                ui_lab_count(a, sizeof a, p->polled),
		                ui_lab_count(b, sizeof b, p->n));
	else
		ui_lab_progress("  %s: %s of %s futures finished (Ctrl-C "
		                "stops)",
		                t, ui_lab_count(a, sizeof a, p->finished),
		                ui_lab_count(b, sizeof b, p->n));
}

/* ---- printing results --------------------------------------------------- */

static void
ui_lab_print_line(const lab_run_summary *s)
{
	char line[256];
	lab_run_format_line(s, line, sizeof line);
	puts(line);
}

/* Prints text to `out` wrapped at 79 columns: `first` before the first
 * line, `rest` (as wide) before the others. Columns are counted as
 * characters, so a UTF-8 "\xc2\xb5" is one. */
static void
ui_lab_wrap_to(FILE *out, const char *first, const char *rest, const char *text)
{
	enum { WIDTH = 79 };
	fputs(first, out);
	int indent = (int)strlen(rest), col = (int)strlen(first);
	const char *p = text;
	int at_start = 1;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		int wcols = 0;
		for (size_t i = 0; i < len; i++)
			wcols += ((unsigned char)p[i] & 0xc0) != 0x80;
		if (!at_start && col + 1 + wcols > WIDTH) {
			fprintf(out, "\n%s", rest);
			col = indent;
			at_start = 1;
		}
		if (!at_start) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, len, out);
		col += wcols;
		at_start = 0;
		p += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static void
ui_lab_wrap(const char *first, const char *rest, const char *text)
{
	ui_lab_wrap_to(stdout, first, rest, text);
}

/* Prints a sentence, wrapped. */
static void ui_lab_say(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void
ui_lab_say(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	ui_lab_wrap("", "", text);
}

/* "  label             text", the labels in one column, the text wrapped
 * under itself. */
static void ui_lab_row(const char *label, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
ui_lab_row(const char *label, const char *fmt, ...)
{
	char first[64], text[1024];
	snprintf(first, sizeof first, "  %-17s ", label);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	ui_lab_wrap(first, "                    ", text);
}

static void
ui_lab_print_wall(uint64_t wall_ns, uint64_t sleep_ns, uint64_t over_ns,
                  int stopped)
{
	char w[32], s[32], o[32];
	if (stopped && wall_ns < sleep_ns) {
		ui_lab_row("wall time",
		           "%s, stopped before the %s sleep was "
		           "over",
		           ui_lab_secs(w, sizeof w, wall_ns),
		           ui_lab_secs(s, sizeof s, sleep_ns));
		return;
	}
	ui_lab_row("wall time", "%s: the %s sleep and %s more",
	           ui_lab_secs(w, sizeof w, wall_ns),
	           ui_lab_secs(s, sizeof s, sleep_ns),
	           ui_lab_secs(o, sizeof o, over_ns));
}

/* One sentence on a limit: its name, figures and why it counts, wrapped
 * after `first` (the rest of the lines indented as wide). */
static void
ui_lab_print_limit(const lab_limits *lim, int id, const char *first)
{
	const lab_limit_info *li = lab_limit_info_of((lab_limit_id)id);
	uint64_t limit = *(const uint64_t *)(const void *)((const char *)lim +
	                                                   li->limit_offset);
	uint64_t used = *(const uint64_t *)(const void *)((const char *)lim +
	                                                  li->used_offset);
	const char *(*fmt)(char *, size_t, uint64_t) =
	        li->in_bytes ? ui_lab_bytes : ui_lab_count;
	char a[32], b[32], figures[96] = "", text[512], rest[64];
	if (limit != LAB_UNKNOWN)
		snprintf(figures, sizeof figures, " (%s, %s in use)",
		         fmt(a, sizeof a, limit),
		         used == LAB_UNKNOWN ? "?" : fmt(b, sizeof b, used));
	snprintf(text, sizeof text, "%s%s: %s.", li->name, figures, li->why);
	snprintf(rest, sizeof rest, "%*s", (int)strlen(first), "");
	ui_lab_wrap(first, rest, text);
	printf("%sSee it with: %s\n", rest, li->where);
}

static void
ui_lab_print_prediction(const lab_prediction *p)
{
	char a[32];
	if (p->first < 0) {
		puts("The lab could not read any of this machine's limits on "
		     "threads.");
		return;
	}
	ui_lab_say("This machine would let about %s more threads start (%s "
	           "runs out first).",
	           ui_lab_count(a, sizeof a, p->max_threads),
	           lab_limit_info_of((lab_limit_id)p->first)->name);
}

/* Why a thread run was refused, and what to do instead. */
static void
ui_lab_print_refusal(uint64_t n, const lab_prediction *p)
{
	char a[32], b[32], c[32], text[512];
	fflush(stdout);
	snprintf(text, sizeof text,
	         "spawning %s threads could make this machine unresponsive "
	         "for everyone on it.",
	         ui_lab_count(a, sizeof a, n));
	ui_lab_wrap_to(stderr, UI_LAB_PROG ": ", "", text);
	if (p->first >= 0) {
		snprintf(text, sizeof text,
		         "About %s more threads would start here before %s "
		         "runs out, and the lab stays under half of that and "
		         "under %s threads.",
		         ui_lab_count(b, sizeof b, p->max_threads),
		         lab_limit_info_of((lab_limit_id)p->first)->name,
		         ui_lab_count(c, sizeof c, LAB_LIMITS_SAFE_CAP));
		ui_lab_wrap_to(stderr, "", "", text);
	}
	snprintf(text, sizeof text,
	         "Try --n %" PRIu64 ", or add --force if you really mean it "
	         "('" UI_LAB_PROG " lab limits' shows the limits).",
	         p->safe_threads);
	ui_lab_wrap_to(stderr, "", "", text);
}

static int
ui_lab_threads(ui_lab_args *a)
{
	char b1[32], b2[32], b3[32];
	uint64_t n = a->n_given ? a->n : 1000;
	lab_threads_options o;
	memset(&o, 0, sizeof o);
	o.n = n;
	o.sleep_ns = a->sleep_ns;
	o.force = a->force;
	o.on_progress = ui_lab_threads_progress;

	/* Refuse before saying what would run: the run itself checks
	 * again, right before it spawns. */
	lab_limits lim;
	lab_prediction pred;
	lab_limits_read(&lim);
	lab_limits_predict(&lim, &pred);
	if (n > pred.safe_threads && !a->force) {
		ui_lab_print_refusal(n, &pred);
		return UI_LAB_EXIT_REFUSED;
	}
	printf("Spawning %s threads that each sleep %s, then joining them.\n",
	       ui_lab_count(b1, sizeof b1, n),
	       ui_lab_secs(b2, sizeof b2, a->sleep_ns));
	fflush(stdout);
	lab_threads_result r;
	ui_lab_catch_sigint();
	int st = lab_threads_run(&o, &r);
	ui_lab_release_sigint();
	ui_lab_progress_done();
	if (st > 0) {
		ui_lab_print_refusal(n, &r.prediction);
		return UI_LAB_EXIT_REFUSED;
	}
	if (st < 0) {
		fflush(stdout);
		fprintf(stderr, UI_LAB_PROG ": the lab could not start: %s\n",
		        strerror(r.error));
		return UI_LAB_EXIT_REFUSED;
	}
	ui_lab_print_prediction(&r.prediction);
	putchar('\n');
	if (r.error) {
		ui_lab_row("started", "%s of %s; spawning thread %s failed:",
		           ui_lab_count(b1, sizeof b1, r.started),
		           ui_lab_count(b2, sizeof b2, n),
		           ui_lab_count(b3, sizeof b3, r.started + 1));
		ui_lab_row("", "%s (%s)", strerror(r.error),
		           ui_lab_errno_name(r.error));
		if (r.blamed >= 0) {
			char first[64];
			snprintf(first, sizeof first, "  %-17s ",
			         "most likely");
			ui_lab_print_limit(&r.limits_at_error, r.blamed, first);
		} else {
			ui_lab_row("most likely", "none of the limits the lab "
			                          "reads was close; memory "
			                          "or a limit of your "
			                          "container, perhaps");
		}
	} else {
		ui_lab_row("started", "%s of %s; none failed",
		           ui_lab_count(b1, sizeof b1, r.started),
		           ui_lab_count(b2, sizeof b2, n));
	}
	if (r.stopped)
		ui_lab_row("stopped", "by Ctrl-C: the threads were woken "
		                      "early and joined");
	ui_lab_print_wall(r.wall_ns, r.sleep_ns, r.overhead_ns, r.stopped);
	ui_lab_row("  of which", "%s spawning",
	           ui_lab_secs(b1, sizeof b1, r.spawn_ns));
	ui_lab_row("CPU time", "%s (the threads slept in the kernel)",
	           ui_lab_secs(b1, sizeof b1, r.cpu_ns));
	uint64_t added = r.peak_rss_kb > r.base_rss_kb
	                         ? (r.peak_rss_kb - r.base_rss_kb) * 1024
	                         : 0;
	ui_lab_row("peak memory",
	           "%s resident, %s more than before the "
	           "threads",
	           ui_lab_bytes(b1, sizeof b1, r.peak_rss_kb * 1024),
	           ui_lab_bytes(b2, sizeof b2, added));
	if (r.kernel_per_thread_bytes)
		ui_lab_row(
		        "per thread",
		        "%s resident, and %s of kernel stack, "
		        "which the resident size does not "
		        "show",
		        ui_lab_bytes(b1, sizeof b1, r.rss_per_thread_bytes),
		        ui_lab_bytes(b2, sizeof b2, r.kernel_per_thread_bytes));
	else
		ui_lab_row("per thread", "%s resident",
		           ui_lab_bytes(b1, sizeof b1, r.rss_per_thread_bytes));
	ui_lab_row("stacks reserved",
	           "%s of address space (a %s stack and a "
	           "%s guard page each): reserved, not "
	           "used; only the pages a thread touches "
	           "become memory",
	           ui_lab_bytes(b1, sizeof b1, r.reserved_bytes),
	           ui_lab_bytes(b2, sizeof b2, r.stack_bytes),
	           ui_lab_bytes(b3, sizeof b3, r.guard_bytes));
	lab_run_summary s;
	lab_threads_summary(&r, &s);
	ui_lab_print_line(&s);
	return r.stopped ? UI_LAB_EXIT_STOPPED : UI_LAB_EXIT_OK;
}

static int
ui_lab_futures(ui_lab_args *a)
{
	char b1[32], b2[32], b3[32];
	uint64_t n = a->n_given ? a->n : 1000000;
	lab_limits lim;
	lab_limits_read(&lim);
	uint64_t need;
	if (lab_futures_check(n, lim.mem_avail_bytes, a->force, &need) != 0) {
		fflush(stdout);
		if (n > LAB_FUTURES_MAX)
			fprintf(stderr,
			        UI_LAB_PROG ": the lab runs at most %s futures "
			                    "at once\n",
			        ui_lab_count(b1, sizeof b1, LAB_FUTURES_MAX));
		else
			fprintf(stderr,
			        UI_LAB_PROG
			        ": %s futures need about %s, more "
			        "than a quarter of the %s this "
			        "machine has free.\nTry fewer, or "
			        "add --force if you really mean it.\n",
			        ui_lab_count(b1, sizeof b1, n),
			        ui_lab_bytes(b2, sizeof b2, need),
			        ui_lab_bytes(b3, sizeof b3,
			                     lim.mem_avail_bytes));
		return UI_LAB_EXIT_REFUSED;
	}
	lab_futures_options o;
	memset(&o, 0, sizeof o);
	o.n = n;
	o.sleep_ns = a->sleep_ns;
	o.on_progress = ui_lab_futures_progress;
	printf("Running %s futures that each sleep %s, joined on one "
	       "thread.\n",
	       ui_lab_count(b1, sizeof b1, n),
	       ui_lab_secs(b2, sizeof b2, a->sleep_ns));
	fflush(stdout);
	lab_futures_result r;
	ui_lab_catch_sigint();
	int st = lab_futures_run(&o, &r);
	ui_lab_release_sigint();
	ui_lab_progress_done();
	if (st != 0) {
		fflush(stdout);
		fprintf(stderr, UI_LAB_PROG ": the lab could not start: %s\n",
		        strerror(r.error));
		return UI_LAB_EXIT_REFUSED;
	}
	putchar('\n');
	ui_lab_row("finished", "%s of %s",
	           ui_lab_count(b1, sizeof b1, r.finished),
	           ui_lab_count(b2, sizeof b2, n));
	if (r.stopped)
		ui_lab_row("stopped", "by Ctrl-C: the rest were dropped "
		                      "unfinished");
	ui_lab_print_wall(r.wall_ns, r.sleep_ns, r.overhead_ns, r.stopped);
	ui_lab_row("CPU time",
	           "%s (the executor slept the rest; it woke "
	           "%s times)",
	           ui_lab_secs(b1, sizeof b1, r.cpu_ns),
	           ui_lab_count(b2, sizeof b2, r.wakeups));
	ui_lab_row(
	        "polls", "%s: two for each future, and %s for the join",
	        ui_lab_count(b1, sizeof b1, r.polls),
	        ui_lab_count(b2, sizeof b2, r.polls - r.polled - r.finished));
	uint64_t added = r.peak_rss_kb > r.base_rss_kb
	                         ? (r.peak_rss_kb - r.base_rss_kb) * 1024
	                         : 0;
	ui_lab_row("peak memory", "%s resident, %s of it for the futures",
	           ui_lab_bytes(b1, sizeof b1, r.peak_rss_kb * 1024),
	           ui_lab_bytes(b2, sizeof b2, added));
	if (r.bytes_per_future > 0)
		ui_lab_row("per future", "%" PRIu64 " bytes",
		           r.bytes_per_future);
	else
		ui_lab_row("per future", "too few to measure: they fit in "
		                         "memory the process already had");
	lab_run_summary s;
	lab_futures_summary(&r, &s);
	ui_lab_print_line(&s);
	return r.stopped ? UI_LAB_EXIT_STOPPED : UI_LAB_EXIT_OK;
}

static int
ui_lab_limits(ui_lab_args *a)
{
	char b1[32], b2[32], b3[32];
	lab_limits lim;
	lab_limits_read(&lim);
	lab_prediction p;
	lab_limits_predict(&lim, &p);
	printf("This machine's limits on threads. Each thread takes a %s "
	       "stack (as Rust's\nstd::thread::spawn gives it) and a %s "
	       "guard page.\n\n",
	       ui_lab_bytes(b1, sizeof b1, lim.stack_bytes),
	       ui_lab_bytes(b2, sizeof b2, lim.guard_bytes));
	printf("  %-22s %12s %12s  %s\n", "limit", "value", "in use",
	       "threads it allows");
	for (int i = 0; i < LAB_LIMIT_COUNT; i++) {
		const lab_limit_info *li = lab_limit_info_of((lab_limit_id)i);
		uint64_t limit =
		        *(const uint64_t *)(const void *)((const char *)&lim +
		                                          li->limit_offset);
		uint64_t used =
		        *(const uint64_t *)(const void *)((const char *)&lim +
		                                          li->used_offset);
		const char *(*fmt)(char *, size_t, uint64_t) =
		        li->in_bytes ? ui_lab_bytes : ui_lab_count;
		const char *room;
		if (i == LAB_LIMIT_NPROC && lim.nproc_exempt)
			room = "not enforced for root";
		else if (p.room[i] == LAB_UNKNOWN)
			room = "no limit";
		else
			room = ui_lab_count(b3, sizeof b3, p.room[i]);
		printf("  %-22s %12s %12s  %s%s\n", li->name,
		       limit == LAB_UNKNOWN ? "none"
		                            : fmt(b1, sizeof b1, limit),
		       used == LAB_UNKNOWN ? "-" : fmt(b2, sizeof b2, used),
		       room, i == p.first ? "  <- runs out first" : "");
	}
	putchar('\n');
	ui_lab_print_prediction(&p);
	if (p.first >= 0)
		ui_lab_print_limit(&lim, p.first, "");
	putchar('\n');
	ui_lab_say("Without --force the lab spawns at most %s threads here: "
	           "never more than half of what the limits allow, nor more "
	           "than %s.",
	           ui_lab_count(b1, sizeof b1, p.safe_threads),
	           ui_lab_count(b2, sizeof b2, LAB_LIMITS_SAFE_CAP));
	printf("'" UI_LAB_PROG " run --profile this-machine' simulates "
	       "this limit.\n");
	return UI_LAB_EXIT_OK;
}

/* ---- compare: charts ---------------------------------------------------- */

/* One line of a chart: its points in order of N, on log scales. */
typedef struct ui_lab_series {
	const char *mark; /* one character */
	const char *label;
	double x[32], y[32];
	size_t n;
} ui_lab_series;

enum {
	UI_LAB_COLS_PER_DECADE = 7,
	UI_LAB_ROWS_PER_DECADE = 3,
	UI_LAB_MAX_ROWS = 40,
	UI_LAB_MAX_COLS = 80,
	UI_LAB_LABEL_W = 8
};

/* A decade's label on the y axis: "100 ms", "10 MB". Bytes go in powers
 * of ten here because the scale does. */
static void
ui_lab_decade_label(char *buf, size_t size, int decade, int is_bytes)
{
	static const char *const time_units[] = {"ns", "us", "ms", "s"};
	static const char *const byte_units[] = {"B", "kB", "MB", "GB", "TB"};
	/* Values are in nanoseconds or bytes. */
	int e = decade < 0 ? 0 : decade;
	int group = e / 3, rest = e % 3;
	int ngroups = is_bytes ? 5 : 4;
	if (group >= ngroups) {
		rest += 3 * (group - ngroups + 1);
		group = ngroups - 1;
	}
	const char *unit = is_bytes ? byte_units[group] : time_units[group];
	if (!is_bytes && group == 1 && ui_lab_utf8)
		unit = "\xc2\xb5s";
	int mult = 1;
	while (rest-- > 0)
		mult *= 10;
	snprintf(buf, size, "%d %s", mult, unit);
}

static void
ui_lab_axis_n(char *buf, size_t size, int decade)
{
	static const char *const names[] = {"1",    "10", "100", "1k",   "10k",
	                                    "100k", "1M", "10M", "100M", "1G"};
	snprintf(buf, size, "%s",
	         decade >= 0 && decade < 10 ? names[decade] : "?");
}

/* Draws the series on log-log axes: markers at the measured points, dots
 * between them (straight on log scales), "*" where markers meet. Values
 * below `least` (a run too quick to measure) are drawn at it. */
static void
ui_lab_chart(const char *title, const ui_lab_series *s, size_t ns, int is_bytes,
             double least)
{
	double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
	int any = 0;
	for (size_t k = 0; k < ns; k++)
		for (size_t i = 0; i < s[k].n; i++) {
			double x = log10(s[k].x[i]);
			double y = log10(s[k].y[i] > least ? s[k].y[i] : least);
			xmin = any && xmin < x ? xmin : x;
			xmax = any && xmax > x ? xmax : x;
			ymin = any && ymin < y ? ymin : y;
			ymax = any && ymax > y ? ymax : y;
			any = 1;
		}
	if (!any)
		return;
	int dx0 = (int)floor(xmin + 1e-9), dx1 = (int)ceil(xmax - 1e-9);
	int dy0 = (int)floor(ymin + 1e-9), dy1 = (int)ceil(ymax - 1e-9);
	if (dx1 <= dx0)
		dx1 = dx0 + 1;
	if (dy1 <= dy0)
		dy1 = dy0 + 1;
	int width = (dx1 - dx0) * UI_LAB_COLS_PER_DECADE + 1;
	int height = (dy1 - dy0) * UI_LAB_ROWS_PER_DECADE + 1;
	if (width > UI_LAB_MAX_COLS || height > UI_LAB_MAX_ROWS)
		return;

	const char *cell[UI_LAB_MAX_ROWS][UI_LAB_MAX_COLS];
	for (int r = 0; r < height; r++)
		for (int c = 0; c < width; c++)
			cell[r][c] = " ";
	const char *dot = ui_lab_utf8 ? "\xc2\xb7" : ".";
	for (size_t k = 0; k < ns; k++) {
		for (size_t i = 0; i + 1 < s[k].n; i++) {
			double x0 = log10(s[k].x[i]), x1 = log10(s[k].x[i + 1]);
			double y0 =
			        log10(s[k].y[i] > least ? s[k].y[i] : least);
			double y1 = log10(s[k].y[i + 1] > least ? s[k].y[i + 1]
			                                        : least);
			int c0 = (int)lround((x0 - dx0) *
			                     UI_LAB_COLS_PER_DECADE);
			int c1 = (int)lround((x1 - dx0) *
			                     UI_LAB_COLS_PER_DECADE);
			for (int c = c0; c <= c1 && c1 > c0; c++) {
				double y =
				        y0 + (y1 - y0) * (c - c0) / (c1 - c0);
				int r = (int)lround((dy1 - y) *
				                    UI_LAB_ROWS_PER_DECADE);
				if (r >= 0 && r < height && c >= 0 &&
				    c < width && strcmp(cell[r][c], " ") == 0)
					cell[r][c] = dot;
			}
		}
	}
	for (size_t k = 0; k < ns; k++) {
		for (size_t i = 0; i < s[k].n; i++) {
			double x = log10(s[k].x[i]);
			double y = log10(s[k].y[i] > least ? s[k].y[i] : least);
			int c = (int)lround((x - dx0) * UI_LAB_COLS_PER_DECADE);
			int r = (int)lround((dy1 - y) * UI_LAB_ROWS_PER_DECADE);
			if (r < 0 || r >= height || c < 0 || c >= width)
				continue;
			int other = strlen(cell[r][c]) == 1 &&
			            cell[r][c][0] >= 'A' &&
			            cell[r][c][0] <= 'Z' &&
			            strcmp(cell[r][c], s[k].mark) != 0;
			cell[r][c] = other ? "*" : s[k].mark;
		}
	}

	printf("%s\n", title);
	const char *tick_y = ui_lab_utf8 ? "\xe2\x94\xa4" : "+";
	const char *bar_y = ui_lab_utf8 ? "\xe2\x94\x82" : "|";
	for (int r = 0; r < height; r++) {
		char label[32] = "";
		if (r % UI_LAB_ROWS_PER_DECADE == 0)
			ui_lab_decade_label(label, sizeof label,
			                    dy1 - r / UI_LAB_ROWS_PER_DECADE,
			                    is_bytes);
		/* The labels are ASCII but "µs": pad by columns, not
		 * bytes. */
		int cols = (int)strlen(label) -
		           (strstr(label, "\xc2\xb5") ? 1 : 0);
		printf("%*s%s %s", UI_LAB_LABEL_W - cols, "", label,
		       r % UI_LAB_ROWS_PER_DECADE == 0 ? tick_y : bar_y);
		/* No spaces at the end of a line. */
		int last = width - 1;
		while (last >= 0 && strcmp(cell[r][last], " ") == 0)
			last--;
		for (int c = 0; c <= last; c++)
			fputs(cell[r][c], stdout);
		putchar('\n');
	}
	printf("%*s %s", UI_LAB_LABEL_W, "",
	       ui_lab_utf8 ? "\xe2\x94\x94" : "+");
	for (int c = 0; c < width; c++)
		fputs(c % UI_LAB_COLS_PER_DECADE == 0
		              ? (ui_lab_utf8 ? "\xe2\x94\xac" : "+")
		              : (ui_lab_utf8 ? "\xe2\x94\x80" : "-"),
		      stdout);
	putchar('\n');
	char axis[UI_LAB_MAX_COLS + 16];
	memset(axis, ' ', sizeof axis);
	int end = 0;
	for (int d = dx0; d <= dx1; d++) {
		char name[16];
		ui_lab_axis_n(name, sizeof name, d);
		int len = (int)strlen(name);
		int at = (d - dx0) * UI_LAB_COLS_PER_DECADE + 1 - len / 2;
		if (at < end)
			continue;
		memcpy(axis + at, name, (size_t)len);
		end = at + len + 1;
	}
	axis[end > 0 ? end - 1 : 0] = '\0';
	printf("%*s%s   N at once\n", UI_LAB_LABEL_W, "", axis);
	/* The legend on one line if it fits, else one entry a line. */
	size_t cols = UI_LAB_LABEL_W + 1;
	for (size_t k = 0; k < ns; k++)
		if (s[k].n > 0)
			cols += strlen(s[k].label) + 5;
	const char *sep = cols <= 79 ? "   " : "\n";
	int first = 1;
	for (size_t k = 0; k < ns; k++) {
		if (s[k].n == 0)
			continue;
		if (first || *sep == '\n')
			printf("%s%*s", first ? "" : sep, UI_LAB_LABEL_W + 1,
			       "");
		else
			fputs(sep, stdout);
		printf("%s %s", s[k].mark, s[k].label);
		first = 0;
	}
	putchar('\n');
}

/* ---- compare ------------------------------------------------------------ */

static void
ui_lab_compare_start(void *ctx, lab_run_kind kind, uint64_t n, size_t index,
                     size_t total)
{
	char a[32], t[32];
	ui_lab_progress("  [%zu/%zu] %s %s, each sleeping %s (Ctrl-C stops)",
	                index + 1, total, ui_lab_count(a, sizeof a, n),
	                lab_run_kind_name(kind),
	                ui_lab_secs(t, sizeof t, *(const uint64_t *)ctx));
}

static void
ui_lab_compare_table(const lab_compare_result *r)
{
	/* The columns are the lab: line's keys, and CPU time and the stacks'
	 * address space, which the line does not have. */
	printf("%-7s %7s %7s %6s %6s %10s %6s %11s %14s %11s\n", "kind", "n",
	       "started", "failed", "wall_s", "overhead_s", "cpu_s",
	       "peak_rss_kb", "bytes_per_unit", "reserved_kb");
	for (size_t i = 0; i < r->npoints; i++) {
		const lab_compare_point *p = &r->points[i];
		const lab_run_summary *s = &p->sum;
		if (p->error) {
			printf("%-7s %7" PRIu64 "  could not run: %s\n",
			       lab_run_kind_name(s->kind), s->n,
			       strerror(p->error));
			continue;
		}
		printf("%-7s %7" PRIu64 " %7" PRIu64 " %6" PRIu64
		       " %6.3f %10.4f %6.3f %11" PRIu64 " %14" PRIu64
		       " %11" PRIu64 "\n",
		       lab_run_kind_name(s->kind), s->n, s->started, s->failed,
		       (double)s->wall_ns / 1e9, (double)s->overhead_ns / 1e9,
		       (double)p->cpu_ns / 1e9, s->peak_rss_kb,
		       s->bytes_per_unit, p->reserved_bytes / 1024);
	}
}

static void
ui_lab_compare_charts(const lab_compare_result *r, uint64_t sleep_ns)
{
	ui_lab_series time[2] = {{"T", "threads", {0}, {0}, 0},
	                         {"F", "futures", {0}, {0}, 0}};
	ui_lab_series mem[3] = {
	        {"T", "threads (resident)", {0}, {0}, 0},
	        {"R", "threads' stacks (reserved, not used)", {0}, {0}, 0},
	        {"F", "futures (resident)", {0}, {0}, 0}};
	for (size_t i = 0; i < r->npoints; i++) {
		const lab_compare_point *p = &r->points[i];
		if (p->error || p->sum.stopped)
			continue;
		int t = p->sum.kind == LAB_RUN_THREADS;
		ui_lab_series *ts = &time[t ? 0 : 1];
		ui_lab_series *ms = &mem[t ? 0 : 2];
		ts->x[ts->n] = (double)p->sum.n;
		ts->y[ts->n++] = (double)p->sum.overhead_ns;
		ms->x[ms->n] = (double)p->sum.n;
		ms->y[ms->n++] = (double)p->added_bytes;
		if (t) {
			mem[1].x[mem[1].n] = (double)p->sum.n;
			mem[1].y[mem[1].n++] = (double)p->reserved_bytes;
		}
	}
	char b[32], title[128];
	snprintf(title, sizeof title, "Time beyond the %s sleep (log scales)",
	         ui_lab_secs(b, sizeof b, sleep_ns));
	ui_lab_chart(title, time, 2, 0, 1e3);
	putchar('\n');
	ui_lab_chart("Memory they add (log scales)", mem, 3, 1, 1e3);
}

/* The largest N both kinds ran, in one sentence each. */
static void
ui_lab_compare_verdict(const lab_compare_result *r)
{
	const lab_compare_point *t = NULL, *f = NULL, *fmax = NULL;
	for (size_t i = 0; i < r->npoints; i++) {
		const lab_compare_point *p = &r->points[i];
		if (p->error || p->sum.stopped)
			continue;
		if (p->sum.kind == LAB_RUN_THREADS)
			t = p;
		else
			fmax = p;
	}
	for (size_t i = 0; t && i < r->npoints; i++)
		if (r->points[i].sum.kind == LAB_RUN_FUTURES &&
		    r->points[i].sum.n == t->sum.n && !r->points[i].error)
			f = &r->points[i];
	char a[32], b[32], c[32], d[32];
	if (t && f) {
		printf("At %s: threads took %s beyond their sleep and %s (%s "
		       "each);\n",
		       ui_lab_count(a, sizeof a, t->sum.n),
		       ui_lab_secs(b, sizeof b, t->sum.overhead_ns),
		       ui_lab_bytes(c, sizeof c, t->added_bytes),
		       ui_lab_bytes(d, sizeof d, t->sum.bytes_per_unit));
		if (f->sum.bytes_per_unit > 0)
			printf("%*sfutures took %s and %s (%" PRIu64
			       " bytes each).\n",
			       (int)strlen(a) + 5, "",
			       ui_lab_secs(b, sizeof b, f->sum.overhead_ns),
			       ui_lab_bytes(c, sizeof c, f->added_bytes),
			       f->sum.bytes_per_unit);
		else
			printf("%*sfutures took %s and too little memory to "
			       "measure.\n",
			       (int)strlen(a) + 5, "",
			       ui_lab_secs(b, sizeof b, f->sum.overhead_ns));
	}
	if (fmax && fmax != f)
		printf("%s futures: %s beyond the sleep, %s (%" PRIu64
		       " bytes each).\n",
		       ui_lab_count(a, sizeof a, fmax->sum.n),
		       ui_lab_secs(b, sizeof b, fmax->sum.overhead_ns),
		       ui_lab_bytes(c, sizeof c, fmax->added_bytes),
		       fmax->sum.bytes_per_unit);
}

static int
ui_lab_compare(ui_lab_args *a)
{
	char b1[32], b2[32], b3[32];
	lab_compare_options o;
	memset(&o, 0, sizeof o);
	o.max_n = a->max_n;
	o.sleep_ns = a->sleep_ns;
	o.isolate = 1;
	o.on_start = ui_lab_compare_start;
	o.ctx = &a->sleep_ns;
	lab_compare_result r;
	ui_lab_catch_sigint();
	int st = lab_compare_run(&o, &r);
	ui_lab_release_sigint();
	ui_lab_progress_done();
	if (st != 0) {
		fflush(stdout);
		fprintf(stderr, UI_LAB_PROG ": out of memory\n");
		return UI_LAB_EXIT_REFUSED;
	}
	ui_lab_say("Threads against futures on this machine: N of each, "
	           "every one sleeping %s. Threads go up to %s%s, futures up "
	           "to %s; each run in a process of its own.",
	           ui_lab_secs(b1, sizeof b1, a->sleep_ns),
	           ui_lab_count(b2, sizeof b2, r.max_threads),
	           r.max_threads == r.prediction.safe_threads
	                   ? " (the safe number here)"
	                   : "",
	           ui_lab_count(b3, sizeof b3, r.max_futures));
	if (r.stopped)
		ui_lab_say("Stopped by Ctrl-C after %zu of %zu runs.",
		           r.npoints, r.planned);
	putchar('\n');
	if (a->plain)
		ui_lab_compare_table(&r);
	else
		ui_lab_compare_charts(&r, a->sleep_ns);
	putchar('\n');
	ui_lab_compare_verdict(&r);
	for (size_t i = 0; i < r.npoints; i++)
		if (!r.points[i].error)
			ui_lab_print_line(&r.points[i].sum);
	int stopped = r.stopped;
	lab_compare_result_free(&r);
	return stopped ? UI_LAB_EXIT_STOPPED : UI_LAB_EXIT_OK;
}

/* ---- the subcommands ---------------------------------------------------- */

typedef struct ui_lab_sub {
	const char *name;
	const char *args;
	const char *summary;
	const char *const *opts; /* the options it takes */
	int (*fn)(ui_lab_args *a);
} ui_lab_sub;

static const char *const ui_lab_run_opts[] = {"n", "sleep", "force", NULL};
static const char *const ui_lab_compare_opts[] = {"sleep", "up-to", "plain",
                                                  NULL};
static const char *const ui_lab_no_opts[] = {NULL};

static const ui_lab_sub ui_lab_subs[] = {
        {"threads", "[--n N] [--sleep DURATION] [--force]",
         "spawn N real threads that each sleep, and join them: time, "
         "memory, and where spawning fails",
         ui_lab_run_opts, ui_lab_threads},
        {"futures", "[--n N] [--sleep DURATION] [--force]",
         "run N real futures that each sleep, on one thread: time, polls "
         "and memory",
         ui_lab_run_opts, ui_lab_futures},
        {"compare", "[--plain] [--sleep DURATION] [--up-to N]",
         "both over a range of N, drawn as charts of time and memory",
         ui_lab_compare_opts, ui_lab_compare},
        {"limits", "",
         "this machine's limits on threads, and where spawning would fail",
         ui_lab_no_opts, ui_lab_limits},
};

#define UI_LAB_NSUBS (sizeof ui_lab_subs / sizeof ui_lab_subs[0])

void
ui_lab_print_options(FILE *out, ui_lab_help_row row)
{
	char left[96], help[256];
	for (size_t i = 0; i < UI_LAB_NSUBS; i++) {
		snprintf(left, sizeof left, "lab %s", ui_lab_subs[i].name);
		row(out, left, ui_lab_subs[i].summary, NULL);
	}
	for (size_t i = 0; i < UI_LAB_NOPTS; i++) {
		const ui_lab_opt *o = &ui_lab_opts[i];
		snprintf(left, sizeof left, "--%s%s%s", o->name,
		         o->metavar ? " " : "", o->metavar ? o->metavar : "");
		snprintf(help, sizeof help, "%s", o->help);
		row(out, left, help, o->dflt);
	}
}

static void
ui_lab_print_help(ui_lab_help_row row)
{
	fputs("Usage: " UI_LAB_PROG " lab threads|futures|compare|limits "
	      "[OPTIONS]\n"
	      "Real threads against real futures, on this machine: not "
	      "simulated.\n\n",
	      stdout);
	ui_lab_print_options(stdout, row);
	fputs("\nEach run ends with one line for scripts:\n"
	      "  lab: kind=threads|futures n=N started=N failed=N wall_s=S "
	      "overhead_s=S\n"
	      "       peak_rss_kb=N bytes_per_unit=N\n"
	      "Ctrl-C stops a run early; it still reports.\n\n"
	      "Examples:\n"
	      "  " UI_LAB_PROG " lab threads --n 10000\n"
	      "  " UI_LAB_PROG " lab futures --n 1_000_000 --sleep 1s\n"
	      "  " UI_LAB_PROG " lab compare\n",
	      stdout);
}

static const ui_lab_opt *
ui_lab_opt_find(const char *name, size_t len)
{
	for (size_t i = 0; i < UI_LAB_NOPTS; i++)
		if (strlen(ui_lab_opts[i].name) == len &&
		    strncmp(ui_lab_opts[i].name, name, len) == 0)
			return &ui_lab_opts[i];
	return NULL;
}

static int
ui_lab_sub_takes(const ui_lab_sub *sub, const char *name)
{
	for (const char *const *o = sub->opts; *o; o++)
		if (strcmp(*o, name) == 0)
			return 1;
	return 0;
}

/* Parses the options after the subcommand: --name VALUE or --name=VALUE,
 * exact names only, as `run` does. Returns -1 to go ahead, else the exit
 * status. */
static int
ui_lab_parse(const ui_lab_sub *sub, int argc, char **argv, ui_lab_args *a,
             ui_lab_help_row row)
{
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			ui_lab_print_help(row);
			return UI_LAB_EXIT_OK;
		}
		if (strncmp(arg, "--", 2) != 0)
			return ui_lab_usage_error("'lab %s' takes options "
			                          "only (got '%s')",
			                          sub->name, arg);
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const ui_lab_opt *o = ui_lab_opt_find(name, len);
		if (!o)
			return ui_lab_usage_error("unknown option '%.*s'",
			                          (int)len + 2, arg);
		if (!ui_lab_sub_takes(sub, o->name))
			return ui_lab_usage_error("'lab %s' does not take "
			                          "--%s",
			                          sub->name, o->name);
		const char *val = NULL;
		if (!o->metavar) {
			if (eq)
				return ui_lab_usage_error(
				        "the option '--%s' does not take a "
				        "value",
				        o->name);
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			return ui_lab_usage_error("the option '--%s' needs a "
			                          "value: --%s %s",
			                          o->name, o->name, o->metavar);
		}
		int st = o->set(a, val);
		if (st)
			return st;
	}
	return -1;
}

/* Whether the terminal's character set is UTF-8. Only LC_CTYPE is taken
 * from the environment: LC_NUMERIC would put commas into the `lab:`
 * line's decimals. */
static int
ui_lab_want_utf8(void)
{
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int
ui_lab_main(int argc, char **argv, ui_lab_help_row row)
{
	if (argc < 2) {
		fputs("Usage: " UI_LAB_PROG
		      " lab threads|futures|compare|limits [OPTIONS]\n"
		      "Try '" UI_LAB_PROG " lab --help' for more.\n",
		      stderr);
		return UI_LAB_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		ui_lab_print_help(row);
		return UI_LAB_EXIT_OK;
	}
	const ui_lab_sub *sub = NULL;
	for (size_t i = 0; i < UI_LAB_NSUBS; i++)
		if (strcmp(argv[1], ui_lab_subs[i].name) == 0)
			sub = &ui_lab_subs[i];
	if (!sub)
		return ui_lab_usage_error("'lab' has no '%s'; it has threads, "
		                          "futures, compare and limits",
		                          argv[1]);
	ui_lab_args a;
	memset(&a, 0, sizeof a);
	a.sub = sub->name;
	a.sleep_ns = 1000000000u;
	int st = ui_lab_parse(sub, argc, argv, &a, row);
	if (st >= 0)
		return st;
	ui_lab_utf8 = ui_lab_want_utf8();
	ui_lab_progress_on = isatty(STDERR_FILENO);
	return sub->fn(&a);
}
