/* main — the command line: option parsing and the subcommands.
 *
 * Everything a user can type is in two tables: main_commands (the
 * subcommands) and main_run_opts (the options of `run`), plus one option per
 * budget taken from sim_budget_list() at run time, so a new budget needs no
 * change here beyond main_budget_fields. The help text is generated from the
 * same tables, so it cannot drift from what the parser accepts.
 *
 * The core never prints; this file and src/ui/ do.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lang/lang_compile.h"
#include "lang/lang_diag.h"
#include "lesson/lesson_diag.h"
#include "lesson/lesson_export.h"
#include "sim/sim_run.h"
#include "trace/trace_json.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"
#include "trace/trace_plain.h"
#include "ui/tui.h"
#include "ui/ui_cmd.h"
#include "ui/ui_diag.h"
#include "ui/ui_lab.h"
#include "ui/ui_lesson.h"
#include "ui/ui_line.h"
#include "ui/ui_session.h"

#define MAIN_PROG "async-tutorial"

/* The largest program file we read. Real lesson programs are a few
 * kilobytes; the limit only stops a mistaken argument (a video, a disk
 * image) from being read into memory whole. */
#define MAIN_MAX_FILE_BYTES (8u * 1024u * 1024u)

enum main_exit {
	MAIN_EXIT_OK = 0,
	MAIN_EXIT_STOPPED = 1, /* a budget stopped it, or it could never end */
	MAIN_EXIT_USAGE = 2,
	MAIN_EXIT_COMPILE = 3,
	MAIN_EXIT_PANIC = 101
};

/* What `run` prints on stdout. */
typedef enum main_view {
	MAIN_VIEW_DEFAULT, /* not chosen: plain for now */
	MAIN_VIEW_PLAIN,
	MAIN_VIEW_OUTPUT_ONLY
} main_view;

/* --warn and --allow, kept in the order given so the last one wins. */
typedef struct main_lint_choice {
	const char *name;
	int enable;
} main_lint_choice;

/* Everything `run` was asked to do. */
typedef struct main_run {
	const char *file;
	main_view view;
	const char *view_flag; /* the flag that chose the view, for messages */
	int stats;
	int record; /* keep the whole trace in memory, as the visualizer does */
	int no_color;
	int ascii; /* the visualizer draws with ASCII only */
	int present; /* --present: the visualizer for a classroom */
	const char *json_path;
	sim_options sim;
	main_lint_choice *lints;
	size_t nlints;
	int file_optional; /* `shell` starts without a program */
	const char *text;  /* the program, when it is not in a file (a lesson's) */
	size_t text_len;
	const char *title; /* for the visualizer (a lesson's), or NULL */
	const ui_lesson_view *lesson; /* shown beside the run, or NULL */
} main_run;

static void
main_try_help(void)
{
	fprintf(stderr, "Try '" MAIN_PROG " --help'.\n");
}

/* A usage error: one line saying what is wrong, one line saying where to
 * look. Returns the exit status, so that callers can simply return it. */
static int main_usage_error(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static int
main_usage_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs(MAIN_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	main_try_help();
	return MAIN_EXIT_USAGE;
}

/* ---- numbers ------------------------------------------------------------ */

/* Units a budget may be given in, and how many of the field's base unit
 * (nanoseconds, bytes or plain counts) one of them is. */
typedef struct main_unit {
	const char *name;
	uint64_t scale;
	const char *word;    /* for messages: "a whole number of WORD" */
	const char *metavar; /* for --help */
} main_unit;

static const main_unit main_units[] = {
        {"", 1, "", "N"},
        {"ns", 1, "nanoseconds", "NS"},
        {"us", 1000, "microseconds", "US"},
        {"ms", 1000000, "milliseconds", "MS"},
        {"s", 1000000000, "seconds", "SECS"},
        {"KiB", 1024, "KiB", "KIB"},
        {"MiB", 1024 * 1024, "MiB", "MIB"},
        {"GiB", 1024 * 1024 * 1024, "GiB", "GIB"},
};

/* The unit of that name; an unknown one counts as a plain number. */
static const main_unit *
main_unit_find(const char *unit)
{
	for (size_t i = 0; i < sizeof main_units / sizeof main_units[0]; i++)
		if (strcmp(main_units[i].name, unit ? unit : "") == 0)
			return &main_units[i];
	return &main_units[0];
}

/* Parses a non-negative decimal number, with `_` allowed between digits as
 * in Rust (1_000_000), multiplied by `scale`. A fraction ("0.5") is accepted
 * only when scale > 1, and what is below the base unit is dropped. Returns 0
 * on success, -1 if the text is not such a number or it overflows. */
static int
main_parse_number(const char *text, uint64_t scale, uint64_t *out)
{
	const char *p = text;
	uint64_t whole = 0;
	int digits = 0;
	for (; *p && *p != '.'; p++) {
		if (*p == '_' && digits > 0 && p[1] >= '0' && p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (whole > (UINT64_MAX - d) / 10)
			return -1;
		whole = whole * 10 + d;
		digits++;
	}
	if (digits == 0)
		return -1;
	if (whole > UINT64_MAX / scale)
		return -1;
	uint64_t value = whole * scale;
	if (*p == '.') {
		if (scale == 1 || p[1] == '\0')
			return -1;
		uint64_t place = scale;
		for (p++; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			place /= 10;
			uint64_t add = place * (uint64_t)(*p - '0');
			if (value > UINT64_MAX - add)
				return -1;
			value += add;
		}
	}
	*out = value;
	return 0;
}

/* ---- budgets ------------------------------------------------------------ */

/* Where each budget flag from sim_budget_list() is stored in sim_options.
 * The budget table itself (names, defaults, units) lives with the
 * simulator; only this mapping is ours. */
typedef struct main_budget_field {
	const char *flag;
	size_t offset;
	int is_u32;
} main_budget_field;

static const main_budget_field main_budget_fields[] = {
        {"--max-instructions", offsetof(sim_options, max_instructions), 0},
        {"--max-time", offsetof(sim_options, max_virtual_ns), 0},
        {"--max-futures", offsetof(sim_options, max_live_futures), 0},
        {"--max-threads", offsetof(sim_options, max_threads), 0},
        {"--max-memory", offsetof(sim_options, max_memory_bytes), 0},
        {"--max-depth", offsetof(sim_options, max_call_depth), 1},
};

static const main_budget_field *
main_budget_field_find(const char *flag)
{
	for (size_t i = 0;
	     i < sizeof main_budget_fields / sizeof main_budget_fields[0]; i++)
		if (strcmp(main_budget_fields[i].flag, flag) == 0)
			return &main_budget_fields[i];
	return NULL;
}

static int
main_set_budget(main_run *run, const sim_budget_info *b, const char *arg)
{
	const main_budget_field *f = main_budget_field_find(b->flag);
	const main_unit *u = main_unit_find(b->unit);
	uint64_t v;
	if (!f)
		return main_usage_error("the option '%s' is not wired up in "
		                        "this build",
		                        b->flag);
	if (main_parse_number(arg, u->scale, &v) != 0 ||
	    (f->is_u32 && v > UINT32_MAX))
		return main_usage_error(
		        "'%s' is not a valid value for %s: give a %s%s%s, e.g. "
		        "%s %" PRIu64,
		        arg, b->flag, u->scale > 1 ? "number" : "whole number",
		        *u->word ? " of " : "", u->word, b->flag,
		        b->default_value);
	if (v == 0)
		return main_usage_error(
		        "%s must be more than 0 (the default is "
		        "%" PRIu64 "%s%s)",
		        b->flag, b->default_value, *u->word ? " " : "",
		        u->word);
	char *field = (char *)&run->sim + f->offset;
	if (f->is_u32)
		*(uint32_t *)(void *)field = (uint32_t)v;
	else
		*(uint64_t *)(void *)field = v;
	return 0;
}

/* ---- lints -------------------------------------------------------------- */

/* Prints the lint names as "a, b, c" for error messages. */
static void
main_lint_names(FILE *out)
{
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		fprintf(out, "%s%s", i ? ", " : "",
		        trace_lint_info_of((trace_lint_id)i)->name);
}

static int
main_choose_lint(main_run *run, const char *name, int enable)
{
	if (trace_lint_lookup(name) < 0) {
		fflush(stdout);
		fprintf(stderr,
		        MAIN_PROG ": unknown lint '%s'; the lints are: ", name);
		main_lint_names(stderr);
		fputs("\n", stderr);
		main_try_help();
		return MAIN_EXIT_USAGE;
	}
	main_lint_choice *l =
	        realloc(run->lints, (run->nlints + 1) * sizeof *run->lints);
	if (!l) {
		fprintf(stderr, MAIN_PROG ": out of memory\n");
		return MAIN_EXIT_STOPPED;
	}
	run->lints = l;
	run->lints[run->nlints].name = name;
	run->lints[run->nlints].enable = enable;
	run->nlints++;
	return 0;
}

/* ---- the options of `run` ----------------------------------------------- */

typedef struct main_opt main_opt;

/* A setter returns 0, or the exit status of the error it reported. */
typedef int (*main_opt_set)(main_run *run, const main_opt *opt,
                            const char *arg);

struct main_opt {
	const char *name; /* without the leading "--" */
	const char *metavar;
	const char *help;
	main_opt_set set;
	/* Writes the default shown in --help into buf, or leaves it empty. */
	void (*show_default)(const sim_options *def, char *buf, size_t size);
};

static int
main_set_view(main_run *run, const char *flag, main_view view)
{
	if (run->view != MAIN_VIEW_DEFAULT && run->view != view)
		return main_usage_error("%s and %s choose different outputs; "
		                        "pick one",
		                        run->view_flag, flag);
	run->view = view;
	run->view_flag = flag;
	return 0;
}

static int
main_opt_plain(main_run *run, const main_opt *opt, const char *arg)
{
	return main_set_view(run, "--plain", MAIN_VIEW_PLAIN);
}

static int
main_opt_output_only(main_run *run, const main_opt *opt, const char *arg)
{
	return main_set_view(run, "--output-only", MAIN_VIEW_OUTPUT_ONLY);
}

static int
main_opt_stats(main_run *run, const main_opt *opt, const char *arg)
{
	run->stats = 1;
	return 0;
}

static int
main_opt_record(main_run *run, const main_opt *opt, const char *arg)
{
	run->record = 1;
	return 0;
}

static int
main_opt_no_color(main_run *run, const main_opt *opt, const char *arg)
{
	run->no_color = 1;
	return 0;
}

static int
main_opt_ascii(main_run *run, const main_opt *opt, const char *arg)
{
	run->ascii = 1;
	return 0;
}

static int
main_opt_present(main_run *run, const main_opt *opt, const char *arg)
{
	run->present = 1;
	return 0;
}

static int
main_opt_json(main_run *run, const main_opt *opt, const char *arg)
{
	if (*arg == '\0' || strcmp(arg, "-") == 0)
		return main_usage_error("--json needs the name of a file to "
		                        "write, e.g. --json trace.json");
	run->json_path = arg;
	return 0;
}

static void
main_list_profiles_inline(FILE *out)
{
	size_t n;
	const sim_profile *p = sim_profile_list(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", p[i].name);
}

static int
main_opt_profile(main_run *run, const main_opt *opt, const char *arg)
{
	const sim_profile *p = sim_profile_find(arg);
	if (!p) {
		fflush(stdout);
		fprintf(stderr,
		        MAIN_PROG ": unknown profile '%s'; the profiles are: ",
		        arg);
		main_list_profiles_inline(stderr);
		fputs("\n", stderr);
		main_try_help();
		return MAIN_EXIT_USAGE;
	}
	run->sim.profile = p;
	return 0;
}

static int
main_opt_seed(main_run *run, const main_opt *opt, const char *arg)
{
	if (main_parse_number(arg, 1, &run->sim.seed) != 0)
		return main_usage_error(
		        "'%s' is not a valid seed: give a whole "
		        "number from 0 to %" PRIu64,
		        arg, UINT64_MAX);
	return 0;
}

static int
main_opt_instr_cost(main_run *run, const main_opt *opt, const char *arg)
{
	if (main_parse_number(arg, 1, &run->sim.instr_cost_ns) != 0)
		return main_usage_error("'%s' is not a valid value for "
		                        "--instr-cost: give a whole number of "
		                        "nanoseconds, e.g. --instr-cost 5",
		                        arg);
	return 0;
}

static int
main_opt_warn(main_run *run, const main_opt *opt, const char *arg)
{
	return main_choose_lint(run, arg, 1);
}

static int
main_opt_allow(main_run *run, const main_opt *opt, const char *arg)
{
	return main_choose_lint(run, arg, 0);
}

static void
main_default_profile(const sim_options *def, char *buf, size_t size)
{
	snprintf(buf, size, "%s", def->profile ? def->profile->name : "");
}

static void
main_default_seed(const sim_options *def, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64, def->seed);
}

static void
main_default_instr_cost(const sim_options *def, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64, def->instr_cost_ns);
}

static const main_opt main_run_opts[] = {
        {"plain", NULL,
         "show the run as text, one line per event, with the program's own "
         "output marked (the default when standard output is not a "
         "terminal; on one, the visualizer opens)",
         main_opt_plain, NULL},
        {"output-only", NULL,
         "print only what the real program would print: its output on "
         "stdout, its errors and panics on stderr",
         main_opt_output_only, NULL},
        {"stats", NULL, "at the end, print one line of counts to stderr",
         main_opt_stats, NULL},
        {"record", NULL,
         "keep every event of the run in memory even when nothing shows "
         "them, as the visualizer does (for measuring, with --stats)",
         main_opt_record, NULL},
        {"json", "FILE",
         "also write the trace to FILE in Chrome's trace format, for "
         "Perfetto or chrome://tracing",
         main_opt_json, NULL},
        {"profile", "NAME",
         "the machine to simulate; 'async-tutorial profiles' lists them",
         main_opt_profile, main_default_profile},
        {"seed", "N", "the seed for anything random in the simulation",
         main_opt_seed, main_default_seed},
        {"instr-cost", "NS",
         "virtual CPU time one VM instruction takes, in nanoseconds",
         main_opt_instr_cost, main_default_instr_cost},
        {"warn", "LINT",
         "report this lint (all are on unless allowed); 'async-tutorial "
         "lints' lists them",
         main_opt_warn, NULL},
        {"allow", "LINT", "do not report this lint", main_opt_allow, NULL},
        {"no-color", NULL,
         "no colours in messages or in the visualizer (so does setting "
         "NO_COLOR)",
         main_opt_no_color, NULL},
        {"ascii", NULL,
         "the visualizer draws with ASCII characters only (so it does when "
         "the locale is not UTF-8)",
         main_opt_ascii, NULL},
        {"present", NULL,
         "the visualizer for a classroom: high contrast, large narration, "
         "no key hints, a run that plays by itself (a key pauses it)",
         main_opt_present, NULL},
};

#define MAIN_NRUN_OPTS (sizeof main_run_opts / sizeof main_run_opts[0])

/* ---- help --------------------------------------------------------------- */

/* Prints "  --name METAVAR" padded to a column, then the help text wrapped
 * to fit 80 columns. */
static void
main_help_row(FILE *out, const char *left, const char *help, const char *dflt)
{
	enum { COL = 28, WIDTH = 79 };
	int used = fprintf(out, "  %s", left);
	if (used >= COL - 1) {
		fputc('\n', out);
		used = 0;
	}
	fprintf(out, "%*s", COL - used, "");

	char text[512];
	if (dflt && *dflt)
		snprintf(text, sizeof text, "%s (default: %s)", help, dflt);
	else
		snprintf(text, sizeof text, "%s", help);

	int col = COL;
	const char *p = text;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wlen = sp ? (size_t)(sp - p) : strlen(p);
		if (col > COL && col + 1 + (int)wlen > WIDTH) {
			fprintf(out, "\n%*s", COL, "");
			col = COL;
		} else if (col > COL) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, wlen, out);
		col += (int)wlen;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/* A subcommand: `fn` gets argc/argv starting at the command's name. */
typedef struct main_command {
	const char *name;
	const char *args;
	const char *summary;
	int (*fn)(int argc, char **argv);
} main_command;

static int main_cmd_run(int argc, char **argv);
static int main_cmd_profiles(int argc, char **argv);
static int main_cmd_lints(int argc, char **argv);
static int main_cmd_help(int argc, char **argv);
static int main_cmd_shell(int argc, char **argv);
static int main_cmd_lesson(int argc, char **argv);
static int main_cmd_check_course(int argc, char **argv);
static int main_cmd_lab(int argc, char **argv);

static const main_command main_commands[] = {
        {"run", "FILE.rs [OPTIONS]",
         "run a Rust program in the simulated world and show what happened",
         main_cmd_run},
        {"profiles", "", "list the machine profiles", main_cmd_profiles},
        {"lints", "", "list the lints and what each one means", main_cmd_lints},
        {"help", "[COMMAND]", "show this help", main_cmd_help},
        {"shell", "[FILE.rs] [OPTIONS]",
         "step through a run by typing commands and reading plain-text "
         "answers (for screen readers and scripted demos); run's options "
         "apply, except those choosing what to print",
         main_cmd_shell},
        {"lessons", "[--lessons-dir DIR]",
         "list the course's lessons, marked done, current or locked",
         main_cmd_lesson},
        {"lesson", "N [--plain] [--no-run]",
         "show lesson N and run its program", main_cmd_lesson},
        {"next", "", "show the next lesson, once this one is done",
         main_cmd_lesson},
        {"prev", "", "show the lesson before", main_cmd_lesson},
        {"answer", "QUIZ LETTER", "answer a quiz of the current lesson",
         main_cmd_lesson},
        {"check", "",
         "check your code for the lesson's exercise against its goals",
         main_cmd_lesson},
        {"hint", "", "give the exercise's next hint", main_cmd_lesson},
        {"reset", "",
         "put the starting code back in your copy (yours is kept as FILE~)",
         main_cmd_lesson},
        {"solution", "", "show a solution, after a few failed checks",
         main_cmd_lesson},
        {"edit", "", "open your copy of the exercise in $VISUAL or $EDITOR",
         main_cmd_lesson},
        {"check-course", "DIR [--export OUTDIR]",
         "check a course for teachers: every program compiles, every answer "
         "is what the program really does, every exercise can be solved; "
         "with --export, write every program instead, as OUTDIR/NAME.rs with "
         "its markers for the test against real Rust (nothing is run)",
         main_cmd_check_course},
        {"lab", "threads|futures|compare|limits [OPTIONS]",
         "not simulated: real threads against real futures on this machine, "
         "measured (the options are below)",
         main_cmd_lab},
};

#define MAIN_NCOMMANDS (sizeof main_commands / sizeof main_commands[0])

static void
main_print_help(FILE *out)
{
	sim_options def;
	sim_options_default(&def);
	char left[96], dflt[64];

	fputs("Usage: " MAIN_PROG " COMMAND [ARGUMENTS]\n"
	      "Watch async Rust run, one poll at a time.\n"
	      "\n"
	      "The program runs in a simulated world: a virtual clock that "
	      "jumps instead of\n"
	      "waiting, simulated OS threads, and an executor that models "
	      "Tokio's\n"
	      "current-thread scheduler (one worker thread). Every poll, "
	      "Pending, Ready,\n"
	      "wake, timer and thread event is recorded.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < MAIN_NCOMMANDS; i++) {
		snprintf(left, sizeof left, "%s%s%s", main_commands[i].name,
		         *main_commands[i].args ? " " : "",
		         main_commands[i].args);
		main_help_row(out, left, main_commands[i].summary, NULL);
	}

	fputs("\nOptions for 'run':\n", out);
	for (size_t i = 0; i < MAIN_NRUN_OPTS; i++) {
		const main_opt *o = &main_run_opts[i];
		snprintf(left, sizeof left, "--%s%s%s", o->name,
		         o->metavar ? " " : "", o->metavar ? o->metavar : "");
		dflt[0] = '\0';
		if (o->show_default)
			o->show_default(&def, dflt, sizeof dflt);
		main_help_row(out, left, o->help, dflt);
	}

	fputs("\nBudgets: a run that goes past one stops with exit status 1 "
	      "and says which.\n",
	      out);
	size_t nb;
	const sim_budget_info *b = sim_budget_list(&nb);
	for (size_t i = 0; i < nb; i++) {
		const main_unit *u = main_unit_find(b[i].unit);
		snprintf(left, sizeof left, "%s %s", b[i].flag, u->metavar);
		snprintf(dflt, sizeof dflt, "%" PRIu64 "%s%s",
		         b[i].default_value, *u->word ? " " : "", u->word);
		char what[160];
		snprintf(what, sizeof what, "the most %s", b[i].what);
		main_help_row(out, left, what, dflt);
	}

	fputs("\nThe lab:\n", out);
	ui_lab_print_options(out, main_help_row);

	ui_lesson_print_help(out, main_help_row);

	fputs("\nOther options:\n", out);
	main_help_row(out, "-h, --help", "show this help and exit", NULL);
	main_help_row(out, "-V, --version", "show the version and exit", NULL);

	fputs("\nOn a terminal, 'run' opens the visualizer: paused at the first "
	      "tick, space\n"
	      "plays, the arrow keys step forward and back, ? lists the keys, q "
	      "quits.\n"
	      "When standard output is not a terminal, or with --plain, the "
	      "run is printed\n"
	      "as text instead.\n"
	      "\n"
	      "Exit status:\n"
	      "  0    the program finished\n"
	      "  1    a budget stopped it, or it can never finish (everything "
	      "is waiting\n"
	      "       and nothing can wake it)\n"
	      "  2    the command line was wrong, or the file could not be "
	      "read\n"
	      "  3    the program could not be compiled (or did something a "
	      "compiler\n"
	      "       would have rejected, found while running)\n"
	      "  101  the program panicked\n"
	      "\n"
	      "Examples:\n"
	      "  " MAIN_PROG " run hello.rs\n"
	      "  " MAIN_PROG " run --output-only --profile laptop threads.rs\n"
	      "  " MAIN_PROG " run --stats --json trace.json join_all.rs\n"
	      "\n"
	      "The manual has the details: man " MAIN_PROG "\n",
	      out);
}

static void
main_print_short_usage(FILE *out)
{
	fputs("Usage: " MAIN_PROG " run FILE.rs [OPTIONS]\n"
	      "       " MAIN_PROG " shell [FILE.rs] [OPTIONS]\n"
	      "       " MAIN_PROG " lab threads|futures|compare|limits "
	      "[OPTIONS]\n"
	      "       " MAIN_PROG " lessons | lesson N | next | prev | check | hint\n"
	      "       " MAIN_PROG " check-course DIR [--export OUTDIR]\n"
	      "       " MAIN_PROG " profiles | lints | help\n"
	      "Try '" MAIN_PROG " --help' for more.\n",
	      out);
}

static int
main_print_version(void)
{
	printf("%s %s\n", MAIN_PROG, PACKAGE_VERSION);
	return MAIN_EXIT_OK;
}

/* ---- reading the program ------------------------------------------------ */

typedef struct main_file {
	char *data;
	size_t len;
} main_file;

/* Reads a whole file ("-" is standard input), any bytes, up to
 * MAIN_MAX_FILE_BYTES. Reports errors itself; returns 0 or an exit status. */
static int
main_read_file(const char *path, main_file *f)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in) {
		fprintf(stderr, MAIN_PROG ": cannot open '");
		ui_diag_put_safe(stderr, path, strlen(path));
		fprintf(stderr, "': %s\n", strerror(errno));
		return MAIN_EXIT_USAGE;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int status = 0;
	while (buf) {
		if (len == cap) {
			if (cap > MAIN_MAX_FILE_BYTES)
				break;
			char *nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, in);
		len += got;
		if (got == 0)
			break;
	}
	if (!buf) {
		fprintf(stderr, MAIN_PROG ": out of memory reading the file\n");
		status = MAIN_EXIT_STOPPED;
	} else if (ferror(in)) {
		fprintf(stderr, MAIN_PROG ": cannot read '");
		ui_diag_put_safe(stderr, path, strlen(path));
		fprintf(stderr, "': %s\n", strerror(errno));
		status = MAIN_EXIT_USAGE;
	} else if (len > MAIN_MAX_FILE_BYTES) {
		fprintf(stderr, MAIN_PROG ": '");
		ui_diag_put_safe(stderr, path, strlen(path));
		fprintf(stderr,
		        "' is larger than %u MiB; that is too big to be a "
		        "program for this tutorial\n",
		        MAIN_MAX_FILE_BYTES / (1024u * 1024u));
		status = MAIN_EXIT_USAGE;
	}
	if (in != stdin)
		fclose(in);
	if (status) {
		free(buf);
		return status;
	}
	f->data = buf;
	f->len = len;
	return 0;
}

/* ---- run ---------------------------------------------------------------- */

/* Streams the program's output as the simulation produces it, so
 * --output-only prints exactly what the real program prints. */
static void
main_on_output(void *ctx, int stream, const char *text, size_t len)
{
	fwrite(text, 1, len, stream == 2 ? stderr : stdout);
}

static uint64_t
main_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const main_opt *
main_run_opt_find(const char *name, size_t len)
{
	for (size_t i = 0; i < MAIN_NRUN_OPTS; i++)
		if (strlen(main_run_opts[i].name) == len &&
		    strncmp(main_run_opts[i].name, name, len) == 0)
			return &main_run_opts[i];
	return NULL;
}

static const sim_budget_info *
main_budget_find(const char *name, size_t len)
{
	size_t n;
	const sim_budget_info *b = sim_budget_list(&n);
	for (size_t i = 0; i < n; i++)
		if (strncmp(b[i].flag, "--", 2) == 0 &&
		    strlen(b[i].flag + 2) == len &&
		    strncmp(b[i].flag + 2, name, len) == 0)
			return &b[i];
	return NULL;
}

/* Parses the arguments of `run` (argv[0] is "run"). Returns -1 when the
 * run should go ahead, else the exit status to end with. A small
 * hand-written loop rather than getopt_long: exact names only (no
 * abbreviations a later option could make ambiguous), `--opt=VALUE` and
 * `--opt VALUE`, options before or after the file, and `--` to end them. */
static int
main_run_parse(int argc, char **argv, main_run *run)
{
	int only_files = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || a[1] == '\0') {
			if (run->file)
				return main_usage_error(
				        "give one program file at a time (got "
				        "'%s' and '%s')",
				        run->file, a);
			run->file = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_files = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			main_print_help(stdout);
			return MAIN_EXIT_OK;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)
			return main_print_version();
		if (a[1] != '-')
			return main_usage_error("unknown option '%s'", a);

		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const main_opt *o = main_run_opt_find(name, nlen);
		const sim_budget_info *b =
		        o ? NULL : main_budget_find(name, nlen);
		if (!o && !b)
			return main_usage_error("unknown option '%.*s'",
			                        (int)(nlen + 2), a);
		const char *metavar =
		        o ? o->metavar : main_unit_find(b->unit)->metavar;
		const char *arg = NULL;
		if (o && !o->metavar) {
			if (eq)
				return main_usage_error("the option '--%.*s' "
				                        "does not take a value",
				                        (int)nlen, name);
		} else if (eq) {
			arg = eq + 1;
		} else if (i + 1 < argc) {
			arg = argv[++i];
		} else {
			return main_usage_error(
			        "the option '%s' needs a value: "
			        "%s %s",
			        a, a, metavar);
		}
		int st = o ? o->set(run, o, arg) : main_set_budget(run, b, arg);
		if (st)
			return st;
	}
	if (!run->file && !run->file_optional)
		return main_usage_error(
		        "which program should run? Give a file, "
		        "e.g. '" MAIN_PROG " run hello.rs'");
	return -1;
}

/* Turns a hint that is only a budget's flag ("--max-instructions") into a
 * sentence a learner can act on; other hints are printed as they are. */
static void
main_print_hint(const char *hint, int color)
{
	fprintf(stderr, "%shint%s: ", color ? "\033[1;36m" : "",
	        color ? "\033[0m" : "");
	size_t n;
	const sim_budget_info *b = sim_budget_list(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(hint, b[i].flag) != 0)
			continue;
		const main_unit *u = main_unit_find(b[i].unit);
		fprintf(stderr,
		        "if the program is right and just needs more, "
		        "raise the limit with %s %s (the default is %" PRIu64
		        "%s%s)\n",
		        b[i].flag, u->metavar, b[i].default_value,
		        *u->word ? " " : "", u->word);
		return;
	}
	ui_diag_put_safe(stderr, hint, strlen(hint));
	fputc('\n', stderr);
}

/* Why the simulation stopped early (sim_result.message): a budget or a
 * program that can never finish (status 1), or something a compiler would
 * have rejected, found while running (status 3). A message that comes as
 * "FILE:LINE:COL: message" (status 3, and status 1 when the simulator
 * cannot follow the program at one place) is shown like a compile error,
 * with the source line and a caret. */
static void
main_print_stop(const sim_result *res, const ui_source *src, int color)
{
	size_t nlen = strlen(src->name);
	const char *at = res->message + nlen;
	unsigned line = 0, col = 0;
	int used = 0;
	if (strncmp(res->message, src->name, nlen) == 0 &&
	    sscanf(at, ":%u:%u: %n", &line, &col, &used) == 2 && used > 0) {
		lang_diag d;
		d.severity = LANG_ERROR;
		d.pos.line = line;
		d.pos.col = col;
		d.message = (char *)at + used;
		d.hint = res->hint;
		ui_diag_print(stderr, src, &d, color);
		return;
	}
	if (res->stop_line > 0 && res->hint && strncmp(res->hint, "--", 2) == 0) {
		/* A budget, at the line the program was running: the
		 * source line and a caret, then which flag raises it. */
		lang_diag d;
		d.severity = LANG_ERROR;
		d.pos.line = res->stop_line;
		d.pos.col = res->stop_col;
		d.message = res->message;
		d.hint = NULL;
		ui_diag_print(stderr, src, &d, color);
		main_print_hint(res->hint, color);
		return;
	}
	fprintf(stderr, "%serror%s: ", color ? "\033[1;31m" : "",
	        color ? "\033[0m" : "");
	ui_diag_put_safe(stderr, res->message, strlen(res->message));
	fputc('\n', stderr);
	if (res->hint)
		main_print_hint(res->hint, color);
}

/* Prints the line --stats promises. The keys and their order are stable:
 * scripts and golden tests read them. */
static void
main_print_stats(const sim_result *res, uint64_t wall_ms,
                 const trace_lint *lints, const trace_log *log)
{
	const sim_stats *s = &res->stats;
	fprintf(stderr,
	        "stats: virtual_time_s=%" PRIu64 ".%06" PRIu64 " polls=%" PRIu64
	        " futures=%" PRIu64 " tasks=%" PRIu64 " threads=%" PRIu64
	        " peak_live_futures=%" PRIu64 " wall_ms=%" PRIu64 " lints=",
	        s->virtual_ns / 1000000000u,
	        s->virtual_ns % 1000000000u / 1000u, s->polls, s->futures,
	        s->tasks, s->threads, s->peak_live_futures, wall_ms);
	char names[256];
	size_t need = trace_lint_fired_names(lints, names, sizeof names);
	if (need >= sizeof names) {
		char *all = malloc(need + 1);
		if (all)
			trace_lint_fired_names(lints, all, need + 1);
		fputs(all ? all : names, stderr);
		free(all);
	} else {
		fputs(names, stderr);
	}
	/* Memory, for benchmarks: the process's peak resident size, and
	 * what the stored trace takes. */
	struct rusage ru;
	long peak_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
	fprintf(stderr,
	        " peak_rss_kb=%ld events=%" PRIu64 " trace_bytes=%zu"
	        " peak_stack_mib=%" PRIu64,
	        peak_kb, trace_log_count(log), trace_log_bytes(log),
	        s->peak_stack_bytes >> 20);
	fputc('\n', stderr);
}

/* Tells a session where the course is, so that `lesson` in the shell and
 * on the visualizer's : line opens and completes its lessons. It is the
 * course the learner's own commands use, found the same way (there is no
 * --lessons-dir here: that option is theirs). If memory runs out, `lesson`
 * says no course is known and everything else works as before. */
static void
main_session_course(ui_session *s)
{
	int builtin;
	char *dir = ui_lesson_find_course(NULL, &builtin);
	if (dir)
		(void)ui_session_set_course_dir(s, dir);
	free(dir);
}

/* `run` in the visualizer. Returns the exit status, or -1 when the
 * visualizer cannot start here: a one-line note says why on stderr and the
 * caller prints the plain trace instead. */
static int
main_run_tui(main_run *run)
{
	uint64_t t0 = main_now_ms();
	char why[256];
	if (!tui_available(why, sizeof why)) {
		fprintf(stderr,
		        MAIN_PROG ": %s, so the run is shown as text "
		                  "(--plain asks for that)\n",
		        why);
		return -1;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int color = ui_diag_want_color(stderr, run->no_color);
	ui_session *s = ui_session_new(&run->sim);
	if (!s) {
		fprintf(stderr, MAIN_PROG ": out of memory\n");
		return MAIN_EXIT_STOPPED;
	}
	main_session_course(s);
	for (size_t i = 0; i < run->nlints; i++)
		ui_session_set_lint(s, run->lints[i].name, run->lints[i].enable);
	ui_session_status st =
	        run->text ? ui_session_load_text(s, run->file, run->text,
	                                         run->text_len)
	                  : ui_session_load(s, run->file);
	uint64_t wall_ms = main_now_ms() - t0;
	const lang_diags *d = ui_session_diags(s);
	size_t warnings = st == UI_SESSION_OK ? d->len : 0;
	if (st != UI_SESSION_OK) {
		ui_source src = ui_session_attempt_source(s);
		if (d->len > 0)
			ui_diag_print_all(stderr, &src, d, color);
		if (st != UI_SESSION_COMPILE_ERROR) {
			const char *e = ui_session_error(s);
			fputs(MAIN_PROG ": ", stderr);
			ui_diag_put_safe(stderr, e, strlen(e));
			fputc('\n', stderr);
		}
		ui_session_free(s);
		return ui_session_exit_code(st);
	}
	if (run->json_path &&
	    ui_session_export_json(s, run->json_path) != UI_SESSION_OK) {
		const char *e = ui_session_error(s);
		fputs(MAIN_PROG ": ", stderr);
		ui_diag_put_safe(stderr, e, strlen(e));
		fputc('\n', stderr);
		ui_session_free(s);
		return MAIN_EXIT_USAGE;
	}
	char note[160] = "";
	if (warnings > 0)
		snprintf(note, sizeof note,
		         "The compiler gave %zu warning%s; %s printed when you "
		         "quit.",
		         warnings, warnings == 1 ? "" : "s",
		         warnings == 1 ? "it is" : "they are");
	tui_options o;
	memset(&o, 0, sizeof o);
	o.no_color = run->no_color;
	o.ascii = run->ascii;
	o.present = run->present || (run->lesson && run->lesson->present);
	o.title = run->title;
	o.note = *note ? note : NULL;
	o.start_ns = (uint64_t)start.tv_sec * 1000000000u +
	             (uint64_t)start.tv_nsec;
	/* Out of memory here only costs `:lesson` its course. */
	if (run->lesson)
		(void)ui_lesson_tui(run->lesson, s, &o);
	tui_result r = tui_run(s, &o, why, sizeof why);
	if (run->lesson)
		ui_lesson_tui_left(run->lesson, s);
	int status;
	if (r == TUI_UNAVAILABLE) {
		fprintf(stderr,
		        MAIN_PROG ": %s, so the run is shown as text "
		                  "(--plain asks for that)\n",
		        why);
		status = -1;
	} else if (r == TUI_FAILED) {
		fprintf(stderr, MAIN_PROG ": %s\n", why);
		status = MAIN_EXIT_STOPPED;
	} else {
		/* After the screen is given back: what would have scrolled
		 * by in plain mode and still matters. */
		ui_source src = ui_session_source(s);
		d = ui_session_diags(s);
		if (d->len > 0 && d->nerrors == 0)
			ui_diag_print_all(stderr, &src, d, color);
		const sim_result *res = ui_session_result(s);
		status = ui_session_exit_status(s);
		if (res && status != MAIN_EXIT_OK &&
		    status != MAIN_EXIT_PANIC && res->message)
			main_print_stop(res, &src, color);
		if (res && run->stats)
			main_print_stats(res, wall_ms, ui_session_lints(s),
			                 ui_session_log(s));
	}
	ui_session_free(s);
	return status;
}

static int
main_cmd_run_parsed(main_run *run)
{
	if (run->view == MAIN_VIEW_DEFAULT && tui_wanted()) {
		int st = main_run_tui(run);
		if (st >= 0)
			return st;
	}
	if (run->view == MAIN_VIEW_DEFAULT)
		run->view = MAIN_VIEW_PLAIN;
	int output_only = run->view == MAIN_VIEW_OUTPUT_ONLY;
	int color = ui_diag_want_color(stderr, run->no_color);

	/* The program's stderr can be a million lines; line buffering would
	 * make each one a system call. Only the order within each stream has
	 * to match the real program, so full buffering is safe. */
	if (output_only && !isatty(STDERR_FILENO))
		setvbuf(stderr, NULL, _IOFBF, 1 << 16);

	main_file file = {NULL, 0};
	int status = 0;
	if (run->text) {
		/* A lesson's program, already in memory. */
		file.data = malloc(run->text_len + 1);
		if (!file.data) {
			fprintf(stderr, MAIN_PROG ": out of memory\n");
			return MAIN_EXIT_STOPPED;
		}
		memcpy(file.data, run->text, run->text_len);
		file.len = run->text_len;
	} else {
		status = main_read_file(run->file, &file);
	}
	if (status)
		return status;
	const char *shown_name =
	        strcmp(run->file, "-") == 0 ? "<stdin>" : run->file;
	ui_source src = {shown_name, file.data, file.len};

	uint64_t t0 = main_now_ms();
	lang_diags diags;
	lang_diags_init(&diags);
	lang_program *prog = lang_compile(file.data, file.len, &diags);
	if (!prog) {
		if (diags.nerrors == 0)
			lang_diags_add(&diags, LANG_ERROR, (lang_pos){0, 0},
			               NULL, "out of memory while compiling");
		ui_diag_print_all(stderr, &src, &diags, color);
		lang_diags_free(&diags);
		free(file.data);
		return MAIN_EXIT_COMPILE;
	}
	/* Warnings are the compiler's, not the program's: --output-only
	 * leaves them out, as cargo run's output of the program would. */
	if (diags.len > 0 && !output_only)
		ui_diag_print_all(stderr, &src, &diags, color);
	lang_diags_free(&diags);

	/* Open the JSON file before the run (finding out that it cannot be
	 * written after a long run would waste the run), but after
	 * compiling, so a program with errors leaves an earlier trace be. */
	FILE *json = NULL;
	int json_failed = 0;
	if (run->json_path) {
		json = fopen(run->json_path, "w");
		if (!json) {
			fprintf(stderr, MAIN_PROG ": cannot write '");
			ui_diag_put_safe(stderr, run->json_path,
			                 strlen(run->json_path));
			fprintf(stderr, "': %s\n", strerror(errno));
			lang_program_free(prog);
			free(file.data);
			return MAIN_EXIT_USAGE;
		}
	}

	int need_events = !output_only || json || run->record;
	trace_log *log = trace_log_new(need_events ? TRACE_FULL : TRACE_COUNT);
	trace_lint *lints = trace_lint_new();
	sim_result res;
	memset(&res, 0, sizeof res);
	int ran = -1;
	if (log && lints) {
		/* In the order given, so that with `--allow x --warn x` the
		 * last word wins, as it does for other options. */
		for (size_t i = 0; i < run->nlints; i++)
			trace_lint_set(lints, run->lints[i].name,
			               run->lints[i].enable);
		trace_log_set_lints(log, lints);
		run->sim.file_name = shown_name;
		if (output_only) {
			run->sim.on_output = main_on_output;
			run->sim.output_ctx = NULL;
		}
		ran = sim_run(prog, &run->sim, log, &res);
	}
	uint64_t wall_ms = main_now_ms() - t0;

	if (ran != 0) {
		fflush(stdout);
		fprintf(stderr, MAIN_PROG ": out of memory: the simulation "
		                          "could not start\n");
		status = MAIN_EXIT_STOPPED;
	} else {
		status = res.exit_status;
		/* A failed write to stdout is reported once, at exit, by
		 * main_close_stdout; only running out of memory is news here.
		 */
		if (!output_only &&
		    trace_plain_print(stdout, log, lints) != 0 &&
		    !ferror(stdout)) {
			fflush(stdout);
			fprintf(stderr,
			        MAIN_PROG ": out of memory while printing "
			                  "the trace\n");
		}
		if (json && trace_json_write(json, log) != 0)
			json_failed = 1;
		if (status != MAIN_EXIT_OK && status != MAIN_EXIT_PANIC &&
		    res.message) {
			fflush(stdout);
			main_print_stop(&res, &src, color);
		}
		if (run->stats) {
			fflush(stdout);
			main_print_stats(&res, wall_ms, lints, log);
		}
	}
	if (json && (fclose(json) != 0 || json_failed)) {
		fprintf(stderr, MAIN_PROG ": could not finish writing '");
		ui_diag_put_safe(stderr, run->json_path,
		                 strlen(run->json_path));
		fprintf(stderr, "': %s\n", strerror(errno));
		if (status == MAIN_EXIT_OK)
			status = MAIN_EXIT_STOPPED;
	}
	sim_result_free(&res);
	trace_log_free(log);
	trace_lint_free(lints);
	lang_program_free(prog);
	free(file.data);
	return status;
}

static int
main_cmd_run(int argc, char **argv)
{
	main_run run;
	memset(&run, 0, sizeof run);
	sim_options_default(&run.sim);
	int status = main_run_parse(argc, argv, &run);
	if (status < 0)
		status = main_cmd_run_parsed(&run);
	free(run.lints);
	return status;
}

/* ---- shell -------------------------------------------------------------- */

/* The REPL behind `shell`: the visualizer's command language (ui_cmd.h),
 * answered in plain text on stdout. A program given on the command line
 * is loaded first, and one that cannot be read or compiled ends the shell
 * with run's exit status, so a scripted demo fails early and clearly. */
/* ui_cmd_env.edit for the shell: the editor has the terminal while it
 * runs, as `async-tutorial edit` gives it. */
static int
main_shell_edit(void *ctx, const char *path, char *err, size_t errsize)
{
	(void)ctx;
	const char *editor = ui_course_editor();
	if (!editor && !isatty(STDIN_FILENO)) {
		snprintf(err, errsize, "set VISUAL or EDITOR to your editor");
		return -1;
	}
	return ui_lesson_run_editor(editor ? editor : "vi", path, err, errsize);
}

static int
main_shell(main_run *run)
{
	const char *flag = run->view != MAIN_VIEW_DEFAULT ? run->view_flag
	                   : run->json_path               ? "--json"
	                   : run->stats                   ? "--stats"
	                                                  : NULL;
	if (flag)
		return main_usage_error("%s is for 'run'; the shell answers in "
		                        "plain text (inside it, 'export json "
		                        "FILE' writes a trace)",
		                        flag);
	ui_session *s = ui_session_new(&run->sim);
	if (!s) {
		fprintf(stderr, MAIN_PROG ": out of memory\n");
		return MAIN_EXIT_STOPPED;
	}
	main_session_course(s);
	for (size_t i = 0; i < run->nlints; i++)
		ui_session_set_lint(s, run->lints[i].name, run->lints[i].enable);
	ui_cmd_env env;
	memset(&env, 0, sizeof env);
	env.session = s;
	env.out = stdout;
	env.color = ui_diag_want_color(stdout, run->no_color);
	env.edit = main_shell_edit;

	if (run->file) {
		ui_session_status st = ui_session_load(s, run->file);
		const lang_diags *d = ui_session_diags(s);
		if (d->len > 0) {
			ui_source src = ui_session_attempt_source(s);
			ui_diag_print_all(stderr, &src, d,
			                  ui_diag_want_color(stderr,
			                                     run->no_color));
		}
		if (st != UI_SESSION_OK) {
			if (st != UI_SESSION_COMPILE_ERROR) {
				fputs(MAIN_PROG ": ", stderr);
				const char *e = ui_session_error(s);
				ui_diag_put_safe(stderr, e, strlen(e));
				fputc('\n', stderr);
			}
			ui_session_free(s);
			return ui_session_exit_code(st);
		}
	}
	ui_line *l = ui_line_new(MAIN_PROG, stdin, stdout, stderr, s);
	if (!l) {
		ui_session_free(s);
		fprintf(stderr, MAIN_PROG ": out of memory\n");
		return MAIN_EXIT_STOPPED;
	}
	if (run->file)
		ui_cmd_exec(&env, "info");
	else if (ui_line_is_terminal(l))
		puts("No program is loaded yet: 'run FILE' loads one. Type "
		     "'help' for the commands.");
	if (ui_line_is_terminal(l))
		puts("Type 'quit' (or press Ctrl-D) to leave.");
	int status = MAIN_EXIT_OK;
	for (;;) {
		char *line;
		fflush(stdout);
		ui_line_status st = ui_line_read(l, "async> ", &line);
		if (st == UI_LINE_CANCELLED)
			continue;
		if (st == UI_LINE_ERROR) {
			fprintf(stderr,
			        MAIN_PROG ": cannot read the next command: %s\n",
			        strerror(errno));
			status = MAIN_EXIT_STOPPED;
		}
		if (st != UI_LINE_OK)
			break;
		ui_cmd_result r = ui_cmd_exec(&env, line);
		free(line);
		if (r == UI_CMD_QUIT)
			break;
	}
	ui_line_free(l);
	ui_session_free(s);
	return status;
}

static int
main_cmd_shell(int argc, char **argv)
{
	main_run run;
	memset(&run, 0, sizeof run);
	sim_options_default(&run.sim);
	run.file_optional = 1;
	int status = main_run_parse(argc, argv, &run);
	if (status < 0)
		status = main_shell(&run);
	free(run.lints);
	return status;
}

/* ---- the other commands ------------------------------------------------- */

/* Commands without arguments still answer --help, and refuse anything else
 * rather than ignore it. */
static int
main_no_args(int argc, char **argv, int *status)
{
	if (argc < 2)
		return 0;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_print_help(stdout);
		*status = MAIN_EXIT_OK;
	} else if (argv[1][0] == '-') {
		*status = main_usage_error("unknown option '%s'", argv[1]);
	} else {
		*status = main_usage_error("'%s' takes no arguments (got '%s')",
		                           argv[0], argv[1]);
	}
	return 1;
}

static int
main_cmd_profiles(int argc, char **argv)
{
	int status;
	if (main_no_args(argc, argv, &status))
		return status;
	size_t n;
	const sim_profile *p = sim_profile_list(&n);
	puts("Machine profiles: choose one with 'run --profile NAME'.\n");
	for (size_t i = 0; i < n; i++) {
		char text[512];
		snprintf(text, sizeof text, "%s%s", p[i].description,
		         i == 0 ? " (the default)" : "");
		main_help_row(stdout, p[i].name, text, NULL);
	}
	return MAIN_EXIT_OK;
}

static int
main_cmd_lints(int argc, char **argv)
{
	int status;
	if (main_no_args(argc, argv, &status))
		return status;
	puts("Lints point at things in a run that are worth a second look.\n"
	     "All of them are on; turn one off with 'run --allow NAME'.\n");
	for (int i = 0; i < TRACE_LINT_COUNT; i++) {
		const trace_lint_info *l = trace_lint_info_of((trace_lint_id)i);
		main_help_row(stdout, l->name, l->explanation, NULL);
	}
	return MAIN_EXIT_OK;
}

static int
main_cmd_lab(int argc, char **argv)
{
	return ui_lab_main(argc, argv, main_help_row);
}

/* ---- the course --------------------------------------------------------- */

/* ui_lesson's hook: a lesson's program goes through `run` itself, so it is
 * shown exactly as `run FILE.rs` would show it. */
static int
main_lesson_run(void *ctx, const char *name, const char *text, size_t len,
                const sim_profile *profile, const char *title, int plain,
                const ui_lesson_view *view)
{
	main_run run;
	memset(&run, 0, sizeof run);
	sim_options_default(&run.sim);
	if (profile)
		run.sim.profile = profile;
	run.file = name;
	run.text = text;
	run.text_len = len;
	run.title = title;
	run.lesson = view;
	if (view) {
		run.ascii = view->ascii;
		run.no_color = view->no_color;
	}
	if (plain) {
		run.view = MAIN_VIEW_PLAIN;
		run.view_flag = "--plain";
	}
	return main_cmd_run_parsed(&run);
}

static const ui_lesson_env main_lesson_env = {main_lesson_run, NULL};

static int
main_cmd_lesson(int argc, char **argv)
{
	int status = ui_lesson_command(argc, argv, &main_lesson_env);
	if (status < 0) { /* --help */
		main_print_help(stdout);
		status = MAIN_EXIT_OK;
	}
	return status;
}

/* `check-course DIR --export OUTDIR`: every program of the course written
 * out for tests/check-real.sh (lesson_export.h says how). Without
 * --export, check-course is a lesson command like the others. */
static int
main_cmd_check_course(int argc, char **argv)
{
	const char *outdir = NULL, *dir = NULL;
	int export = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--export") == 0) {
			export = 1;
			if (i + 1 >= argc)
				return main_usage_error(
				        "the option '--export' needs a value: "
				        "--export OUTDIR");
			outdir = argv[++i];
		} else if (strncmp(argv[i], "--export=", 9) == 0) {
			export = 1;
			outdir = argv[i] + 9;
		} else if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
		}
	}
	if (!export)
		return main_cmd_lesson(argc, argv);
	if (!*outdir)
		return main_usage_error("--export needs a directory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--export") == 0) {
			i++;
		} else if (strncmp(a, "--export=", 9) == 0) {
			continue;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			main_print_help(stdout);
			return MAIN_EXIT_OK;
		} else if (a[0] == '-') {
			return main_usage_error(
			        "'check-course --export' takes no other "
			        "option (got '%s')",
			        a);
		} else if (a != dir) {
			return main_usage_error("'check-course' takes one "
			                        "course directory (got '%s' "
			                        "too)",
			                        a);
		}
	}
	if (!dir)
		return main_usage_error(
		        "usage: " MAIN_PROG " check-course DIR --export OUTDIR");
	/* The directory is made if need be (one level, as mkdir does). */
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, MAIN_PROG ": cannot make the directory '%s': %s\n",
		        outdir, strerror(errno));
		return MAIN_EXIT_USAGE;
	}
	lesson_diags d;
	lesson_diags_init(&d);
	size_t written = 0;
	size_t errors = lesson_export_course(dir, outdir, &d, &written);
	char line[2048];
	for (size_t i = 0; i < d.len; i++) {
		lesson_diag_format(&d.items[i], line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	if (d.no_memory)
		fprintf(stderr, MAIN_PROG ": out of memory\n");
	int bad = errors > 0 || d.nerrors > 0 || d.no_memory;
	lesson_diags_free(&d);
	if (bad) {
		fprintf(stderr, "%s: %zu problem%s found; %zu program%s "
		                "written to %s.\n",
		        dir, errors, errors == 1 ? "" : "s", written,
		        written == 1 ? "" : "s", outdir);
		return MAIN_EXIT_STOPPED;
	}
	printf("%s: %zu program%s written to %s.\n", dir, written,
	       written == 1 ? "" : "s", outdir);
	return MAIN_EXIT_OK;
}

static int
main_cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return main_usage_error(
		        "'help' takes at most one command name");
	if (argc == 2) {
		int known = 0;
		for (size_t i = 0; i < MAIN_NCOMMANDS; i++)
			known |= strcmp(argv[1], main_commands[i].name) == 0;
		if (!known)
			return main_usage_error("there is no command '%s'",
			                        argv[1]);
	}
	main_print_help(stdout);
	return MAIN_EXIT_OK;
}

/* At exit: if stdout could not be written (a full disk, a closed pipe that
 * did not kill us), say so rather than exit 0 with lost output. */
static int
main_close_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr,
			        MAIN_PROG ": could not write the output: "
			                  "%s\n",
			        strerror(errno));
		if (status == MAIN_EXIT_OK)
			status = MAIN_EXIT_STOPPED;
	}
	return status;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		/* On a terminal the learner is taken back to their lesson;
		 * in a script, a bare command is more likely a mistake. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return main_close_stdout(
			        ui_lesson_resume(&main_lesson_env));
		main_print_short_usage(stderr);
		return MAIN_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		main_print_help(stdout);
		return main_close_stdout(MAIN_EXIT_OK);
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
		return main_close_stdout(main_print_version());
	for (size_t i = 0; i < MAIN_NCOMMANDS; i++)
		if (strcmp(cmd, main_commands[i].name) == 0)
			return main_close_stdout(
			        main_commands[i].fn(argc - 1, argv + 1));
	if (cmd[0] == '-')
		return main_usage_error("unknown option '%s'", cmd);
	fflush(stdout);
	fprintf(stderr,
	        MAIN_PROG ": unknown command '%s'; the commands are: ", cmd);
	for (size_t i = 0; i < MAIN_NCOMMANDS; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", main_commands[i].name);
	fputc('\n', stderr);
	main_try_help();
	return MAIN_EXIT_USAGE;
}
