#include "config.h"

#include "ui/ui_cmd.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lesson/lesson_course.h"
#include "ui/ui_course.h"
#include "ui/ui_diag.h"

/* Rows `futures` and `threads` show when not told how many, and lines
 * `output` shows: a screen reader reads every line aloud, so a long answer
 * must be asked for. */
enum { UI_CMD_ROWS = 30, UI_CMD_OUTPUT_LINES = 100 };

/* Candidates `state` completes at most: a million futures must not stall
 * a tab press. */
enum { UI_CMD_MAX_FUTURE_CANDIDATES = 200 };

/* ---- answering ---------------------------------------------------------- */

static ui_cmd_result ui_cmd_error(ui_cmd_env *env, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* A mistake: one plain sentence (or two) on env->out. */
static ui_cmd_result
ui_cmd_error(ui_cmd_env *env, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(env->out, fmt, ap);
	va_end(ap);
	fputc('\n', env->out);
	return UI_CMD_ERROR;
}

/* User-given text (file names, future names typed in) echoed in an
 * answer, with anything a terminal could act on escaped. */
static void
ui_cmd_put(ui_cmd_env *env, const char *text)
{
	ui_diag_put_safe(env->out, text, strlen(text));
}

/* A message from the session ("cannot open 'x.rs': ...") as a sentence of
 * its own: capital first letter, final period. */
static void
ui_cmd_put_sentence(ui_cmd_env *env, const char *msg)
{
	if (msg[0] >= 'a' && msg[0] <= 'z') {
		fputc(msg[0] - 'a' + 'A', env->out);
		msg++;
	}
	ui_cmd_put(env, msg);
	fputs(".\n", env->out);
}

static trace_view *
ui_cmd_need_view(ui_cmd_env *env)
{
	trace_view *v = ui_session_view(env->session);
	if (!v)
		ui_cmd_error(env, "No program is loaded yet. Load one with "
		                  "'run FILE', e.g. run hello.rs");
	return v;
}

/* "1.001 s" */
static const char *
ui_cmd_time(uint64_t ns, char *buf, size_t size)
{
	trace_view_fmt_time(ns, buf, size);
	return buf;
}

/* The position, to start a sentence: "Tick 4 of 57 at 1.001 s". */
static void
ui_cmd_put_position(ui_cmd_env *env, trace_view *v)
{
	uint64_t i, m;
	char t[32];
	trace_view_tick(v, ui_session_step(env->session), &i, &m);
	fprintf(env->out, "Tick %" PRIu64 " of %" PRIu64 " at %s", i, m,
	        ui_cmd_time(trace_view_now(v), t, sizeof t));
}

/* What a move answers: the position and what just happened, one line. */
static ui_cmd_result
ui_cmd_moved(ui_cmd_env *env, trace_view *v)
{
	env->changed |= UI_CMD_CHANGED_CURSOR;
	if (env->quiet_moves)
		return UI_CMD_OK;
	char say[TRACE_VIEW_SENTENCE_MAX * 2];
	trace_view_narrate(v, say, sizeof say);
	ui_cmd_put_position(env, v);
	fprintf(env->out, ": %s\n", say);
	return UI_CMD_OK;
}

/* ---- numbers ------------------------------------------------------------ */

/* A whole number from 0 to max, digits only (with Rust's _ between
 * digits). Returns 0, or -1. */
static int
ui_cmd_parse_count(const char *text, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '_' && digits && p[1] >= '0' && p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
		digits++;
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

typedef struct ui_cmd_unit {
	const char *name;
	uint64_t ns;
} ui_cmd_unit;

/* Longest names first, so "ms" is not read as "s" after an "m". */
static const ui_cmd_unit ui_cmd_units[] = {
        {"ns", 1},       {"us", 1000},      {"\xc2\xb5s", 1000},
        {"ms", 1000000}, {"s", 1000000000},
};

/* A time such as "1.5s", "250ms", "3us", "10 ns" (the words may have been
 * given separately: "1.5 s"). Returns 0, or -1 if it is not a time. */
static int
ui_cmd_parse_time(const char *text, uint64_t *ns)
{
	const char *p = text;
	uint64_t whole = 0;
	int digits = 0;
	for (; (*p >= '0' && *p <= '9') || *p == '_'; p++) {
		if (*p == '_')
			continue;
		if (whole > UINT64_MAX / 10 - 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
		digits++;
	}
	const char *frac = NULL;
	size_t nfrac = 0;
	if (*p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		nfrac = (size_t)(p - frac);
	}
	if (!digits && !nfrac)
		return -1;
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof ui_cmd_units / sizeof ui_cmd_units[0];
	     i++) {
		const ui_cmd_unit *u = &ui_cmd_units[i];
		if (strcmp(p, u->name) != 0)
			continue;
		if (whole > UINT64_MAX / u->ns)
			return -1;
		uint64_t v = whole * u->ns, place = u->ns;
		for (size_t k = 0; k < nfrac; k++) {
			place /= 10;
			v += place * (uint64_t)(frac[k] - '0');
		}
		*ns = v;
		return 0;
	}
	return -1;
}

/* ---- nearest names ------------------------------------------------------ */

/* Edit distance (insertions, deletions, substitutions, and swapping two
 * neighbours, the commonest typo), capped: anything above 3 is 3. */
static size_t
ui_cmd_distance(const char *a, const char *b)
{
	enum { MAXLEN = 32 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAXLEN || lb >= MAXLEN)
		return 3;
	size_t d[MAXLEN + 1][MAXLEN + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb] > 3 ? 3 : d[la][lb];
}

/* The name in names[0..n) nearest to word: one it is a unique prefix of,
 * else the closest within two edits (one for words of three letters or
 * fewer, where two edits turn anything into anything). NULL if none. */
static const char *
ui_cmd_nearest(const char *word, const char *const *names, size_t n)
{
	size_t wlen = strlen(word);
	const char *prefix_of = NULL;
	int nprefix = 0;
	if (wlen > 0)
		for (size_t i = 0; i < n; i++)
			if (strncmp(names[i], word, wlen) == 0) {
				prefix_of = names[i];
				nprefix++;
			}
	if (nprefix == 1)
		return prefix_of;
	size_t limit = wlen <= 3 ? 1 : 2;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t dist = ui_cmd_distance(word, names[i]);
		if (dist < best_d) {
			best = names[i];
			best_d = dist;
		}
	}
	return best;
}

/* ---- words -------------------------------------------------------------- */

static int
ui_cmd_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A growable word being built. */
typedef struct ui_cmd_buf {
	char *s;
	size_t len, cap;
} ui_cmd_buf;

static int
ui_cmd_buf_put(ui_cmd_buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *n = realloc(b->s, cap);
		if (!n)
			return -1;
		b->s = n;
		b->cap = cap;
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
	return 0;
}

/* Makes sure b holds a string, "" if nothing was put yet. */
static int
ui_cmd_buf_init(ui_cmd_buf *b)
{
	if (b->s)
		return 0;
	b->s = malloc(32);
	if (!b->s)
		return -1;
	b->cap = 32;
	b->len = 0;
	b->s[0] = '\0';
	return 0;
}

/* The state of a scan of a line, shared by ui_cmd_split and the
 * completer, which must read a half-typed line the same way. */
typedef struct ui_cmd_scan {
	ui_cmd_args args;
	size_t start; /* where the last word started (its quote included) */
	char quote;   /* the quote still open at the end, or 0 */
	int in_word;  /* the line ends inside a word */
	ui_cmd_buf cur;
} ui_cmd_scan;

static int
ui_cmd_scan_push(ui_cmd_scan *sc)
{
	char **argv = realloc(sc->args.argv,
	                      (size_t)(sc->args.argc + 2) * sizeof *argv);
	if (!argv)
		return -1;
	sc->args.argv = argv;
	if (ui_cmd_buf_init(&sc->cur))
		return -1;
	argv[sc->args.argc++] = sc->cur.s;
	argv[sc->args.argc] = NULL;
	memset(&sc->cur, 0, sizeof sc->cur);
	return 0;
}

/* Scans line[0..len). A word still open at the end (an unfinished quote,
 * or no blank after it) is left in sc->cur with sc->in_word set, so the
 * completer can see it. Returns 0, or -1 if memory ran out. */
static int
ui_cmd_scan_line(const char *line, size_t len, ui_cmd_scan *sc)
{
	memset(sc, 0, sizeof *sc);
	size_t i = 0;
	for (;;) {
		while (i < len && ui_cmd_blank(line[i]))
			i++;
		if (i >= len)
			return 0;
		sc->start = i;
		sc->in_word = 1;
		while (i < len && (sc->quote || !ui_cmd_blank(line[i]))) {
			char c = line[i++];
			if (sc->quote == '\'') {
				if (c == '\'')
					sc->quote = 0;
				else if (ui_cmd_buf_put(&sc->cur, c))
					return -1;
			} else if (sc->quote == '"') {
				if (c == '"') {
					sc->quote = 0;
				} else if (c == '\\' && i < len &&
				           (line[i] == '"' ||
				            line[i] == '\\')) {
					if (ui_cmd_buf_put(&sc->cur, line[i++]))
						return -1;
				} else if (ui_cmd_buf_put(&sc->cur, c)) {
					return -1;
				}
			} else if (c == '"' || c == '\'') {
				sc->quote = c;
				/* An empty quoted word is still a word. */
				if (ui_cmd_buf_init(&sc->cur))
					return -1;
			} else if (c == '\\' && i < len) {
				if (ui_cmd_buf_put(&sc->cur, line[i++]))
					return -1;
			} else if (ui_cmd_buf_put(&sc->cur, c)) {
				return -1;
			}
		}
		if (i >= len)
			return 0; /* the line ends inside this word */
		sc->in_word = 0;
		if (ui_cmd_scan_push(sc))
			return -1;
	}
}

static void
ui_cmd_scan_free(ui_cmd_scan *sc)
{
	ui_cmd_args_free(&sc->args);
	free(sc->cur.s);
	memset(sc, 0, sizeof *sc);
}

int
ui_cmd_split(const char *line, ui_cmd_args *args, char *err, size_t errsize)
{
	memset(args, 0, sizeof *args);
	size_t len = strlen(line);
	const char *p = line;
	while (*p && ui_cmd_blank(*p))
		p++;
	if (*p == '#')
		len = 0; /* a comment: no words */
	ui_cmd_scan sc;
	if (ui_cmd_scan_line(line, len, &sc) != 0) {
		ui_cmd_scan_free(&sc);
		snprintf(err, errsize, "out of memory reading the command");
		return -1;
	}
	if (sc.quote) {
		snprintf(err, errsize,
		         "a quote is not closed: add the closing %c, "
		         "e.g. run \"my program.rs\"",
		         sc.quote);
		ui_cmd_scan_free(&sc);
		return -1;
	}
	if (sc.in_word && ui_cmd_scan_push(&sc) != 0) {
		ui_cmd_scan_free(&sc);
		snprintf(err, errsize, "out of memory reading the command");
		return -1;
	}
	*args = sc.args;
	free(sc.cur.s);
	if (!args->argv) {
		args->argv = calloc(1, sizeof *args->argv);
		if (!args->argv) {
			snprintf(err, errsize,
			         "out of memory reading the command");
			return -1;
		}
	}
	return 0;
}

void
ui_cmd_args_free(ui_cmd_args *args)
{
	for (int i = 0; i < args->argc; i++)
		free(args->argv[i]);
	free(args->argv);
	memset(args, 0, sizeof *args);
}

static int
ui_cmd_needs_quotes(const char *word)
{
	if (!*word)
		return 1;
	for (const char *p = word; *p; p++)
		if (ui_cmd_blank(*p) || *p == '"' || *p == '\'' || *p == '\\')
			return 1;
	return 0;
}

/* Appends word in double quotes (opening quote, escapes; the closing one
 * only if `close`) to b. */
static int
ui_cmd_buf_quoted(ui_cmd_buf *b, const char *word, int close)
{
	if (ui_cmd_buf_put(b, '"'))
		return -1;
	for (const char *p = word; *p; p++)
		if (((*p == '"' || *p == '\\') && ui_cmd_buf_put(b, '\\')) ||
		    ui_cmd_buf_put(b, *p))
			return -1;
	return close ? ui_cmd_buf_put(b, '"') : 0;
}

size_t
ui_cmd_quote(const char *word, char *buf, size_t size)
{
	if (!ui_cmd_needs_quotes(word))
		return (size_t)snprintf(buf, size, "%s", word);
	ui_cmd_buf b = {NULL, 0, 0};
	if (ui_cmd_buf_quoted(&b, word, 1) != 0) {
		free(b.s);
		if (size)
			buf[0] = '\0';
		return 0;
	}
	size_t n = (size_t)snprintf(buf, size, "%s", b.s);
	free(b.s);
	return n;
}

/* ---- the table ---------------------------------------------------------- */

static ui_cmd_result ui_cmd_run(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_lesson(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_program(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_check(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_hint(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_reset(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_solution(ui_cmd_env *env, int argc,
                                     char **argv);
static ui_cmd_result ui_cmd_edit(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_goto(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_step(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_next(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_prev(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_first(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_last(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_speed(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_profile(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_export(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_lints(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_info(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_where(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_futures(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_threads(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_executor(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_output(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_source(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_state(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_help(ui_cmd_env *env, int argc, char **argv);
static ui_cmd_result ui_cmd_quit(ui_cmd_env *env, int argc, char **argv);

static const ui_cmd_entry ui_cmd_entries[] = {
        {"run", "FILE", "load a Rust program, run it, and pause at its start",
         "run \"my program.rs\"", ui_cmd_run},
        {"lesson", "[N|NAME]",
         "open a lesson's program, run on the lesson's profile and paused "
         "at its start; with nothing, list the lessons",
         "lesson 5   lesson 05-join-all   lesson join-all", ui_cmd_lesson},
        {"program", "[N|NAME]",
         "run another of the lesson's programs (its variants; 1 is the "
         "lesson's own); with nothing, list them",
         "program 2   program fixed", ui_cmd_program},
        {"edit", "",
         "open your copy of the exercise's code in $VISUAL or $EDITOR, "
         "then run it",
         NULL, ui_cmd_edit},
        {"check", "",
         "check your code for the lesson's exercise against its goals, "
         "and run it",
         NULL, ui_cmd_check},
        {"hint", "", "the exercise's next hint", NULL, ui_cmd_hint},
        {"reset", "",
         "put the starting code back in your copy (the old one is kept "
         "as FILE~)",
         NULL, ui_cmd_reset},
        {"solution", "",
         "the exercise's solution, once you have tried a few times", NULL,
         ui_cmd_solution},
        {"goto", "TICK | TIME",
         "go to a tick (counted in the current step size) or to a moment "
         "of virtual time",
         "goto 12   goto 1.5s   goto 250ms", ui_cmd_goto},
        {"step", "[event|poll|instant]",
         "set the step size: every event, every poll, or every moment of "
         "virtual time",
         "step poll", ui_cmd_step},
        {"next", "[N]", "move N steps forward (1 if not given)", "next 10",
         ui_cmd_next},
        {"prev", "[N]", "move N steps back (1 if not given)", "prev",
         ui_cmd_prev},
        {"first", "", "go to the first tick, before anything ran", NULL,
         ui_cmd_first},
        {"last", "", "go to the last tick, when the run ended", NULL,
         ui_cmd_last},
        {"speed", "[X]",
         "set how fast the visualizer plays: 0.25x to 64x, 1x being two "
         "steps a second",
         "speed 4x", ui_cmd_speed},
        {"profile", "[NAME]",
         "choose the machine to simulate and run the program again on it",
         "profile laptop", ui_cmd_profile},
        {"export", "json FILE",
         "write the trace for ui.perfetto.dev or chrome://tracing",
         "export json trace.json", ui_cmd_export},
        {"lints", "", "the lints found so far, and what each one means", NULL,
         ui_cmd_lints},
        {"info", "",
         "the loaded program, how its run ended, and the profile it ran on",
         NULL, ui_cmd_info},
        {"where", "", "the tick, the virtual clock, and what just happened",
         NULL, ui_cmd_where},
        {"futures", "[N|all]",
         "the futures tree at this tick: state, polls, what each waits for",
         "futures 50", ui_cmd_futures},
        {"threads", "[N|all]",
         "each thread: running, or blocked on what, and its CPU time", NULL,
         ui_cmd_threads},
        {"executor", "",
         "the executor: its run queue, the armed timers, the last wake", NULL,
         ui_cmd_executor},
        {"output", "[N|all]",
         "what the program has printed so far (the last N lines)", "output all",
         ui_cmd_output},
        {"source", "", "the source line running now, with its number", NULL,
         ui_cmd_source},
        {"state", "[FUTURE]",
         "an async fn's future as the state machine the compiler makes of "
         "it, with its live locals; give its id or its name",
         "state foo(3)   state 4", ui_cmd_state},
        {"help", "[COMMAND]", "list the commands, or explain one", "help goto",
         ui_cmd_help},
        {"quit", "", "leave", NULL, ui_cmd_quit},
        {"exit", "", "leave (the same as quit)", NULL, ui_cmd_quit},
};

#define UI_CMD_N (sizeof ui_cmd_entries / sizeof ui_cmd_entries[0])

const ui_cmd_entry *
ui_cmd_table(size_t *count)
{
	*count = UI_CMD_N;
	return ui_cmd_entries;
}

const ui_cmd_entry *
ui_cmd_find(const char *name)
{
	for (size_t i = 0; i < UI_CMD_N; i++)
		if (strcmp(ui_cmd_entries[i].name, name) == 0)
			return &ui_cmd_entries[i];
	return NULL;
}

const char *
ui_cmd_suggest(const char *name)
{
	const char *names[UI_CMD_N];
	for (size_t i = 0; i < UI_CMD_N; i++)
		names[i] = ui_cmd_entries[i].name;
	return ui_cmd_nearest(name, names, UI_CMD_N);
}

/* ---- running ------------------------------------------------------------ */

ui_cmd_result
ui_cmd_exec_argv(ui_cmd_env *env, int argc, char **argv)
{
	env->changed = 0;
	if (argc <= 0)
		return UI_CMD_EMPTY;
	/* Handlers may rely on argv[argc] == NULL. */
	char **copy = malloc(((size_t)argc + 1) * sizeof *copy);
	if (!copy)
		return ui_cmd_error(env, "Out of memory.");
	memcpy(copy, argv, (size_t)argc * sizeof *copy);
	copy[argc] = NULL;
	ui_cmd_result r;
	const ui_cmd_entry *e = ui_cmd_find(argv[0]);
	if (e) {
		r = e->fn(env, argc, copy);
	} else {
		const char *near = ui_cmd_suggest(argv[0]);
		fputs("There is no command '", env->out);
		ui_cmd_put(env, argv[0]);
		if (near)
			fprintf(env->out, "'. Did you mean '%s'? ", near);
		else
			fputs("'. ", env->out);
		fputs("Type 'help' for the list.\n", env->out);
		r = UI_CMD_ERROR;
	}
	free(copy);
	return r;
}

ui_cmd_result
ui_cmd_exec(ui_cmd_env *env, const char *line)
{
	env->changed = 0;
	ui_cmd_args args;
	char err[160];
	if (ui_cmd_split(line, &args, err, sizeof err) != 0)
		return ui_cmd_error(env, "That line cannot be read: %s.", err);
	ui_cmd_result r = ui_cmd_exec_argv(env, args.argc, args.argv);
	ui_cmd_args_free(&args);
	return r;
}

/* For commands without arguments. */
static int
ui_cmd_no_args(ui_cmd_env *env, int argc, char **argv)
{
	if (argc <= 1)
		return 0;
	fprintf(env->out, "'%s' takes no arguments (got '", argv[0]);
	ui_cmd_put(env, argv[1]);
	fputs("').\n", env->out);
	return -1;
}

static int
ui_cmd_at_most(ui_cmd_env *env, int argc, char **argv, int max)
{
	if (argc <= max + 1)
		return 0;
	const ui_cmd_entry *e = ui_cmd_find(argv[0]);
	fprintf(env->out, "Too many words for '%s': it is used as '%s %s'.\n",
	        argv[0], argv[0], e ? e->args : "");
	return -1;
}

/* ---- run, profile, export ----------------------------------------------- */

/* "1 future" / "2 futures" */
static void
ui_cmd_count(FILE *out, uint64_t n, const char *one, const char *many)
{
	fprintf(out, "%" PRIu64 " %s", n, n == 1 ? one : many);
}

/* What a run was, in a few lines: for `run` and `profile`. */
static void
ui_cmd_summary(ui_cmd_env *env, const char *verb)
{
	ui_session *s = env->session;
	trace_view *v = ui_session_view(s);
	const sim_result *res = ui_session_result(s);
	char t[32];
	fprintf(env->out, "%s ", verb);
	ui_cmd_put(env, ui_session_name(s));
	fprintf(env->out,
	        " on the %s profile: ", ui_session_options(s)->profile->name);
	ui_cmd_count(env->out, trace_view_events(v), "event", "events");
	fputs(", ", env->out);
	ui_cmd_count(env->out, res->stats.futures, "future", "futures");
	fputs(", ", env->out);
	ui_cmd_count(env->out, res->stats.threads, "thread", "threads");
	fprintf(env->out, ", %s of virtual time.\n",
	        ui_cmd_time(res->stats.virtual_ns, t, sizeof t));
	switch (res->exit_status) {
	case 0:
		fputs("It finished normally (exit status 0).\n", env->out);
		break;
	case 101:
		fputs("It panicked (exit status 101); 'output' shows the "
		      "message.\n",
		      env->out);
		break;
	default:
		fprintf(env->out,
		        "It was stopped (exit status %d): ", res->exit_status);
		ui_cmd_put(env,
		           res->message ? res->message : "no reason given");
		fputc('\n', env->out);
		if (res->hint) {
			fputs("Hint: ", env->out);
			ui_cmd_put(env, res->hint);
			fputc('\n', env->out);
		}
		break;
	}
	const trace_lint *lints = ui_session_lints(s);
	size_t nl = trace_lint_fired_count(lints);
	if (nl > 0) {
		fputs("Lints: ", env->out);
		for (size_t i = 0; i < nl; i++)
			fprintf(env->out, "%s%s", i ? ", " : "",
			        trace_lint_info_of(
			                trace_lint_fired(lints, i)->id)
			                ->name);
		fputs(" ('lints' explains them as you reach them).\n",
		      env->out);
	}
	ui_cmd_put_position(env, v);
	fputs(". Type 'next' to step, 'help' for the commands.\n", env->out);
}

static ui_cmd_result
ui_cmd_info(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	if (!ui_cmd_need_view(env))
		return UI_CMD_ERROR;
	ui_cmd_summary(env, "Showing");
	return UI_CMD_OK;
}

/* Prints why a load failed; the compiler's errors as rustc shows them. */
static ui_cmd_result
ui_cmd_load_failed(ui_cmd_env *env, ui_session_status st)
{
	ui_session *s = env->session;
	if (st == UI_SESSION_COMPILE_ERROR) {
		ui_source src = ui_session_attempt_source(s);
		ui_diag_print_all(env->out, &src, ui_session_diags(s),
		                  env->color);
	} else {
		ui_cmd_put_sentence(env, ui_session_error(s));
	}
	if (ui_session_loaded(s)) {
		fputs("Still showing ", env->out);
		ui_cmd_put(env, ui_session_name(s));
		fputs(".\n", env->out);
	}
	return UI_CMD_ERROR;
}

static ui_cmd_result
ui_cmd_run(ui_cmd_env *env, int argc, char **argv)
{
	if (argc < 2)
		return ui_cmd_error(env, "Which program? Give a file, e.g. "
		                         "run hello.rs");
	if (argc > 2)
		return ui_cmd_error(env, "Give one file at a time. A name with "
		                         "spaces goes in quotes: run \"my "
		                         "program.rs\"");
	ui_session_status st = ui_session_load(env->session, argv[1]);
	if (st != UI_SESSION_OK)
		return ui_cmd_load_failed(env, st);
	env->changed |= UI_CMD_CHANGED_RUN | UI_CMD_CHANGED_CURSOR;
	if (ui_session_lesson(env->session, NULL, NULL)) {
		ui_session_set_lesson(env->session, NULL, 0, 0, 0);
		env->changed |= UI_CMD_CHANGED_LESSON;
	}
	/* Warnings of a program that compiled. */
	const lang_diags *d = ui_session_diags(env->session);
	if (d->len > 0) {
		ui_source src = ui_session_source(env->session);
		ui_diag_print_all(env->out, &src, d, env->color);
	}
	ui_cmd_summary(env, "Ran");
	return UI_CMD_OK;
}

/* ---- lessons ------------------------------------------------------------ */

static int
ui_cmd_has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* A course's or a lesson's problems, one "FILE:LINE: error: ..." a line,
 * as check-course shows them. */
static void
ui_cmd_put_lesson_diags(ui_cmd_env *env, const lesson_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		char line[1024];
		lesson_diag_format(&d->items[i], line, sizeof line);
		fputs("  ", env->out);
		ui_cmd_put(env, line);
		fputc('\n', env->out);
	}
	if (d->no_memory)
		fputs("  (memory ran out: some problems are not listed)\n",
		      env->out);
}

/* The session's course, or NULL with the reason said. Opened afresh for
 * each command: it only reads the directory, and a teacher may be adding
 * lessons while the class watches. */
static lesson_course *
ui_cmd_open_course(ui_cmd_env *env)
{
	const char *dir = ui_session_course_dir(env->session);
	if (!dir) {
		ui_cmd_error(env, "No course is known here, so there is no "
		                  "lesson to open; 'run FILE' loads a "
		                  "program.");
		return NULL;
	}
	lesson_diags d;
	lesson_diags_init(&d);
	lesson_course *c = lesson_course_open(dir, &d);
	if (!c) {
		fputs("The course in '", env->out);
		ui_cmd_put(env, dir);
		fputs("' cannot be opened:\n", env->out);
		ui_cmd_put_lesson_diags(env, &d);
	} else if (c->nlessons == 0) {
		fputs("The course in '", env->out);
		ui_cmd_put(env, dir);
		fputs("' has no lessons yet.\n", env->out);
		lesson_course_free(c);
		c = NULL;
	}
	lesson_diags_free(&d); /* warnings are for check-course */
	return c;
}

/* A lesson's file name without ".md": "05-join-all". */
static void
ui_cmd_lesson_stem(const lesson_entry *e, char *buf, size_t size)
{
	size_t n = strlen(e->file);
	if (ui_cmd_has_suffix(e->file, ".md"))
		n -= 3;
	snprintf(buf, size, "%.*s", (int)n, e->file);
}

/* The position of the lesson `arg` names: its place in the course as
 * people count (5, as `async-tutorial lesson 5` takes it), its id
 * (join-all) or its file's name with or without .md (05-join-all). -1 if
 * none does. */
static int
ui_cmd_find_lesson(const lesson_course *c, const char *arg)
{
	uint64_t n;
	if (ui_cmd_parse_count(arg, UINT32_MAX, &n) == 0)
		return n >= 1 && n <= c->nlessons ? (int)(n - 1) : -1;
	int i = lesson_course_find(c, arg);
	if (i >= 0)
		return i;
	char stem[256];
	for (size_t k = 0; k < c->nlessons; k++) {
		ui_cmd_lesson_stem(&c->lessons[k], stem, sizeof stem);
		if (strcmp(c->lessons[k].file, arg) == 0 ||
		    strcmp(stem, arg) == 0)
			return (int)k;
	}
	return -1;
}

/* `lesson` alone: each lesson's place, file and title, in columns. A
 * lesson that does not load is still listed, so the numbers stay right. */
static void
ui_cmd_list_lessons(ui_cmd_env *env, const lesson_course *c)
{
	char stem[256];
	size_t width = 0;
	for (size_t i = 0; i < c->nlessons; i++) {
		ui_cmd_lesson_stem(&c->lessons[i], stem, sizeof stem);
		if (strlen(stem) > width)
			width = strlen(stem);
	}
	fprintf(env->out, "The lessons ('lesson N' opens one):\n");
	for (size_t i = 0; i < c->nlessons; i++) {
		ui_cmd_lesson_stem(&c->lessons[i], stem, sizeof stem);
		lesson_diags d;
		lesson_diags_init(&d);
		lesson *l = lesson_course_load(c, i, &d);
		fprintf(env->out, "%4zu  ", i + 1);
		ui_cmd_put(env, stem);
		fprintf(env->out, "%*s", (int)(width - strlen(stem) + 2), "");
		ui_cmd_put(env, l ? l->title
		                  : "(has problems: 'async-tutorial "
		                    "check-course' lists them)");
		fputc('\n', env->out);
		lesson_free(l);
		lesson_diags_free(&d);
	}
}

/* Unknown lesson: the nearest id or file name, and how the lessons are
 * counted. */
static ui_cmd_result
ui_cmd_no_such_lesson(ui_cmd_env *env, const lesson_course *c,
                      const char *arg)
{
	enum { STEM = 256 };
	size_t n = c->nlessons;
	const char **names = malloc(2 * n * sizeof *names);
	char *stems = malloc(n * STEM);
	const char *near = NULL;
	if (names && stems) {
		for (size_t i = 0; i < n; i++) {
			ui_cmd_lesson_stem(&c->lessons[i], stems + i * STEM,
			                   STEM);
			names[i] = c->lessons[i].id;
			names[n + i] = stems + i * STEM;
		}
		near = ui_cmd_nearest(arg, names, 2 * n);
	}
	fputs("There is no lesson '", env->out);
	ui_cmd_put(env, arg);
	fputs("'. ", env->out);
	if (near) {
		fputs("Did you mean '", env->out);
		ui_cmd_put(env, near);
		fputs("'? ", env->out);
	}
	free(names);
	free(stems);
	return ui_cmd_error(env,
	                    "The lessons are numbered 1 to %zu; 'lesson' "
	                    "alone lists them.",
	                    c->nlessons);
}

/* What a lesson's program is called in messages and panic locations:
 * ID.rs for the lesson's own, as `async-tutorial lesson N` names it,
 * ID-variant-N.rs for a variant. */
static void
ui_cmd_program_name(const lesson *l, const lesson_program *p, char *buf,
                    size_t size)
{
	if (p->number > 1)
		snprintf(buf, size, "%s-variant-%zu.rs", l->id, p->number);
	else
		snprintf(buf, size, "%s.rs", l->id);
}

/* Loads program p of lesson l into the session, on the profile the lesson
 * chose for it (its narration and quizzes speak of times on that
 * machine). All or nothing: on failure the old program keeps its own
 * profile. */
static ui_session_status
ui_cmd_load_program(ui_cmd_env *env, const lesson *l, const lesson_program *p)
{
	ui_session *s = env->session;
	char name[256];
	ui_cmd_program_name(l, p, name, sizeof name);
	const sim_options before = *ui_session_options(s);
	sim_options o = before;
	if (p->profile)
		o.profile = p->profile;
	ui_session_set_options(s, &o);
	ui_session_status st = ui_session_load_text(s, name, p->source, p->len);
	if (st != UI_SESSION_OK) {
		ui_session_set_options(s, &before);
		return st;
	}
	env->changed |= UI_CMD_CHANGED_RUN | UI_CMD_CHANGED_CURSOR;
	if (o.profile != before.profile)
		env->changed |= UI_CMD_CHANGED_SETTINGS;
	return st;
}

/* The compiler's warnings of the program just loaded. */
static void
ui_cmd_put_warnings(ui_cmd_env *env)
{
	ui_session *s = env->session;
	const lang_diags *w = ui_session_diags(s);
	if (w->len > 0) {
		ui_source src = ui_session_source(s);
		ui_diag_print_all(env->out, &src, w, env->color);
	}
}

/* Loads lesson i's program into the session and keeps the lesson there,
 * for `program` and the exercise commands, and for the visualizer, which
 * shows its text and asks its quizzes. */
static ui_cmd_result
ui_cmd_open_lesson(ui_cmd_env *env, const lesson_course *c, size_t i)
{
	ui_session *s = env->session;
	lesson_diags d;
	lesson_diags_init(&d);
	lesson *l = lesson_course_load(c, i, &d);
	if (!l) {
		fprintf(env->out, "Lesson %zu (", i + 1);
		ui_cmd_put(env, c->lessons[i].file);
		fputs(") has problems, so it cannot be opened:\n", env->out);
		ui_cmd_put_lesson_diags(env, &d);
		lesson_diags_free(&d);
		return UI_CMD_ERROR;
	}
	lesson_diags_free(&d);
	const lesson_program *p = lesson_main_program(l);
	if (!p) {
		fprintf(env->out, "Lesson %zu, ", i + 1);
		ui_cmd_put(env, l->title);
		lesson_free(l);
		return ui_cmd_error(env, ", has no program to run.");
	}
	ui_session_status st = ui_cmd_load_program(env, l, p);
	if (st != UI_SESSION_OK) {
		lesson_free(l);
		return ui_cmd_load_failed(env, st);
	}
	env->changed |= UI_CMD_CHANGED_LESSON;
	fprintf(env->out, "Lesson %zu of %zu: ", i + 1, c->nlessons);
	ui_cmd_put(env, l->title);
	fputs(".\n", env->out);
	ui_session_set_lesson(s, l, i, (size_t)(p - l->programs), 1);
	ui_cmd_put_warnings(env);
	ui_cmd_summary(env, "Ran");
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_lesson(ui_cmd_env *env, int argc, char **argv)
{
	if (argc > 2)
		return ui_cmd_error(env, "Give one lesson, by number or name, "
		                         "e.g. lesson 5 or lesson join-all");
	lesson_course *c = ui_cmd_open_course(env);
	if (!c)
		return UI_CMD_ERROR;
	ui_cmd_result r;
	if (argc < 2) {
		ui_cmd_list_lessons(env, c);
		r = UI_CMD_OK;
	} else {
		int i = ui_cmd_find_lesson(c, argv[1]);
		r = i < 0 ? ui_cmd_no_such_lesson(env, c, argv[1])
		          : ui_cmd_open_lesson(env, c, (size_t)i);
	}
	lesson_course_free(c);
	return r;
}

/* ---- the open lesson: its programs and its exercise ------------------------ */

static const lesson *
ui_cmd_need_lesson(ui_cmd_env *env, size_t *index, size_t *program)
{
	const lesson *l = ui_session_lesson(env->session, index, program);
	if (!l)
		ui_cmd_error(env, "No lesson is open: 'lesson N' opens one.");
	return l;
}

static ui_cmd_result
ui_cmd_program(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	size_t index, cur;
	const lesson *l = ui_cmd_need_lesson(env, &index, &cur);
	if (!l)
		return UI_CMD_ERROR;
	size_t n = ui_course_program_count(l);
	if (argc < 2) {
		fputs("The lesson's programs ('program N' runs one):\n",
		      env->out);
		for (size_t k = 1; k <= n; k++) {
			int i = ui_course_program_number(l, k);
			const lesson_program *p = &l->programs[i];
			fprintf(env->out, "%s %zu  %s", (size_t)i == cur ? ">" : " ",
			        k, k == 1 ? "the lesson's program" : "variant");
			if (p->name) {
				fputc(' ', env->out);
				ui_cmd_put(env, p->name);
			}
			fputc('\n', env->out);
		}
		if (cur >= l->nprograms)
			fputs("(Your own code is running now.)\n", env->out);
		return UI_CMD_OK;
	}
	int i = lesson_program_find(l, argv[1]);
	if (i < 0) {
		fputs("This lesson has no program '", env->out);
		ui_cmd_put(env, argv[1]);
		return ui_cmd_error(env, "'; its programs are numbered 1 to %zu "
		                         "('program' lists them).",
		                    n);
	}
	const lesson_program *p = &l->programs[i];
	ui_session_status st = ui_cmd_load_program(env, l, p);
	if (st != UI_SESSION_OK)
		return ui_cmd_load_failed(env, st);
	ui_session_set_lesson_program(env->session, (size_t)i);
	if (p->number > 1) {
		fprintf(env->out, "Variant %zu of the lesson", p->number);
		if (p->name) {
			fputs(" (", env->out);
			ui_cmd_put(env, p->name);
			fputc(')', env->out);
		}
		fputs(".\n", env->out);
	} else {
		fputs("The lesson's own program.\n", env->out);
	}
	ui_cmd_put_warnings(env);
	ui_cmd_summary(env, "Ran");
	return UI_CMD_OK;
}

/* What every exercise command needs: the open lesson, the learner's
 * course, the exercise worked on and the path of the learner's copy (a
 * new string). Returns 0, or -1 with the reason said. */
static int
ui_cmd_need_exercise(ui_cmd_env *env, const lesson **lp, ui_course **cp,
                     size_t *e, char **path)
{
	size_t index;
	const lesson *l = ui_cmd_need_lesson(env, &index, NULL);
	if (!l)
		return -1;
	char err[512];
	ui_course *c = ui_session_course(env->session, err, sizeof err);
	if (!c) {
		ui_cmd_put_sentence(env, err);
		return -1;
	}
	int r = ui_course_exercise(c, l, e, path, err, sizeof err);
	if (r > 0) {
		fputs("This lesson has no exercise.\n", env->out);
		return -1;
	}
	if (r < 0) {
		free(*path);
		ui_cmd_put_sentence(env, err);
		return -1;
	}
	*lp = l;
	*cp = c;
	return 0;
}

/* Loads the learner's code at `path` so what the screen shows is what
 * was checked or edited; the lesson stays, with no program of its own
 * loaded. Returns the load's status (answered if it failed). */
static ui_session_status
ui_cmd_load_own(ui_cmd_env *env, const lesson *l, const char *path)
{
	ui_session_status st = ui_session_load(env->session, path);
	if (st == UI_SESSION_OK) {
		ui_session_set_lesson_program(env->session, l->nprograms);
		env->changed |= UI_CMD_CHANGED_RUN | UI_CMD_CHANGED_CURSOR;
	}
	return st;
}

static ui_cmd_result
ui_cmd_check(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	const lesson *l;
	ui_course *c;
	size_t e;
	char *path;
	if (ui_cmd_need_exercise(env, &l, &c, &e, &path))
		return UI_CMD_ERROR;
	const lesson_exercise *x = &l->exercises[e];
	ui_course_checked r;
	char err[512];
	if (ui_course_check(c, l, e, path, &r, err, sizeof err) != 0) {
		ui_cmd_put_sentence(env, err);
		ui_course_checked_free(&r);
		free(path);
		return UI_CMD_ERROR;
	}
	fputs("Checking your code, ", env->out);
	ui_cmd_put(env, path);
	fputs(":\n", env->out);
	if (!r.v.run.compiled) {
		ui_source src = {path, r.code, r.len};
		ui_diag_print_all(env->out, &src, &r.v.run.diags, env->color);
		fputs("Your code does not compile yet; the compiler's messages "
		      "above say where. 'edit' opens it.\n",
		      env->out);
	} else {
		for (size_t g = 0; g < r.v.ngoals; g++) {
			char desc[1024];
			lesson_goal_describe(&x->goals[g], desc, sizeof desc);
			fputs(r.v.goals[g].met ? "[x] " : "[ ] ", env->out);
			ui_cmd_put(env, desc);
			fputs("\n    ", env->out);
			ui_cmd_put(env, r.v.goals[g].why);
			fputc('\n', env->out);
		}
		if (r.v.run.exit_status == 3 && r.v.run.message) {
			fputs("A compiler would reject this code: ", env->out);
			ui_cmd_put(env, r.v.run.message);
			fputc('\n', env->out);
		}
	}
	if (r.v.passed) {
		fputs("Well done: every goal is met.", env->out);
		if (r.lesson_done)
			fprintf(env->out, " Lesson %d is done; 'async-tutorial "
			                  "next' opens the next one once you "
			                  "leave.\n",
			        ui_course_index(c, l) + 1);
		else
			fputs(" 'check' now checks the lesson's next "
			      "exercise.\n",
			      env->out);
	} else {
		if (r.v.run.compiled)
			fprintf(env->out, "%zu of %zu goals met.", r.met,
			        r.v.ngoals);
		if (r.more_hints)
			fputs(" 'hint' gives a hint.", env->out);
		if (r.solution_open)
			fputs(" If you are stuck, 'solution' shows an answer.",
			      env->out);
		fputc('\n', env->out);
	}
	if (!r.saved) {
		fputs("Your progress could not be saved: ", env->out);
		ui_cmd_put_sentence(env, err);
	}
	/* The run on screen is the code just checked. */
	if (r.v.run.compiled && ui_cmd_load_own(env, l, path) != UI_SESSION_OK)
		fputs("(It could not be shown here.)\n", env->out);
	ui_course_checked_free(&r);
	free(path);
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_hint(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	const lesson *l;
	ui_course *c;
	size_t e, given;
	char *path;
	if (ui_cmd_need_exercise(env, &l, &c, &e, &path))
		return UI_CMD_ERROR;
	free(path);
	const lesson_exercise *x = &l->exercises[e];
	char err[512];
	if (ui_course_hint(c, l, e, &given, err, sizeof err) != 0) {
		ui_cmd_put_sentence(env, err);
		return UI_CMD_ERROR;
	}
	if (x->nhints == 0) {
		fputs("This exercise has no hints. Read the goals again: "
		      "'check' says which ones are not met.\n",
		      env->out);
	} else if (given < x->nhints) {
		fprintf(env->out, "Hint %zu of %zu: ", given + 1, x->nhints);
		ui_cmd_put(env, x->hints[given]);
		fputc('\n', env->out);
	} else {
		fputs("That was the last hint. Here they all are again:\n",
		      env->out);
		for (size_t h = 0; h < x->nhints; h++) {
			fprintf(env->out, "%zu. ", h + 1);
			ui_cmd_put(env, x->hints[h]);
			fputc('\n', env->out);
		}
	}
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_reset(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	const lesson *l;
	ui_course *c;
	size_t e;
	char *path;
	if (ui_cmd_need_exercise(env, &l, &c, &e, &path))
		return UI_CMD_ERROR;
	char err[512];
	int had;
	ui_cmd_result res = UI_CMD_OK;
	if (ui_course_reset(l, e, path, &had, err, sizeof err)) {
		ui_cmd_put_sentence(env, err);
		res = UI_CMD_ERROR;
	} else {
		ui_cmd_put(env, path);
		if (had) {
			fputs(" holds the starting code again; your version "
			      "is kept as ",
			      env->out);
			ui_cmd_put(env, path);
			fputs("~.\n", env->out);
		} else {
			fputs(" holds the starting code.\n", env->out);
		}
		(void)ui_cmd_load_own(env, l, path);
	}
	free(path);
	return res;
}

static ui_cmd_result
ui_cmd_solution(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	const lesson *l;
	ui_course *c;
	size_t e;
	char *path;
	if (ui_cmd_need_exercise(env, &l, &c, &e, &path))
		return UI_CMD_ERROR;
	free(path);
	unsigned left;
	char err[512];
	int r = ui_course_solution(c, l, e, &left, err, sizeof err);
	if (r < 0) {
		ui_cmd_put_sentence(env, err);
		return UI_CMD_ERROR;
	}
	if (r == 0)
		return ui_cmd_error(env, "The solution opens after %u more "
		                         "failed check%s; try 'hint' first.",
		                    left, left == 1 ? "" : "s");
	fputs("One solution (yours may differ and still meet every goal):\n\n",
	      env->out);
	const lesson_program *p = &l->programs[l->exercises[e].solution];
	/* The teacher's code as text: line breaks kept, tabs as spaces,
	 * nothing a terminal could act on. */
	for (size_t k = 0; k < p->len;) {
		size_t run = strcspn(p->source + k, "\t\n");
		if (run > p->len - k)
			run = p->len - k;
		ui_diag_put_safe(env->out, p->source + k, run);
		k += run;
		if (k < p->len)
			fputs(p->source[k++] == '\t' ? "    " : "\n", env->out);
	}
	if (p->len == 0 || p->source[p->len - 1] != '\n')
		fputc('\n', env->out);
	if (*err) {
		fputs("Your progress could not be saved: ", env->out);
		ui_cmd_put_sentence(env, err);
	}
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_edit(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	const lesson *l;
	ui_course *c;
	size_t e;
	char *path;
	if (ui_cmd_need_exercise(env, &l, &c, &e, &path))
		return UI_CMD_ERROR;
	char err[512];
	int created;
	ui_cmd_result res = UI_CMD_OK;
	if (ui_course_ensure_copy(l, e, path, &created, err, sizeof err)) {
		ui_cmd_put_sentence(env, err);
		res = UI_CMD_ERROR;
	} else if (!env->edit) {
		fputs("Edit your copy of the code, ", env->out);
		ui_cmd_put(env, path);
		res = ui_cmd_error(env, ", with any editor ('async-tutorial "
		                        "edit' opens it in yours); 'check' "
		                        "then checks it.");
	} else if (env->edit(env->edit_ctx, path, err, sizeof err) != 0) {
		ui_cmd_put_sentence(env, err);
		res = UI_CMD_ERROR;
	} else {
		ui_session_status st = ui_cmd_load_own(env, l, path);
		if (st != UI_SESSION_OK) {
			(void)ui_cmd_load_failed(env, st);
			fputs("Your code is saved; 'edit' opens it again.\n",
			      env->out);
		} else {
			fputs("Running your code, ", env->out);
			ui_cmd_put(env, path);
			fputs(". 'check' checks it against the goals.\n",
			      env->out);
		}
	}
	free(path);
	return res;
}

static void
ui_cmd_list_profiles(ui_cmd_env *env)
{
	size_t n;
	const sim_profile *p = sim_profile_list(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(env->out, "%s%s", i ? ", " : "", p[i].name);
}

static ui_cmd_result
ui_cmd_profile(ui_cmd_env *env, int argc, char **argv)
{
	ui_session *s = env->session;
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	const sim_profile *cur = ui_session_options(s)->profile;
	if (argc < 2) {
		fprintf(env->out, "The profile is %s: %s.\nThe profiles are ",
		        cur->name, cur->description);
		ui_cmd_list_profiles(env);
		fputs("; choose one with 'profile NAME'.\n", env->out);
		return UI_CMD_OK;
	}
	const sim_profile *p = sim_profile_find(argv[1]);
	if (!p) {
		size_t n;
		const sim_profile *all = sim_profile_list(&n);
		const char *names[16];
		size_t k = n < 16 ? n : 16;
		for (size_t i = 0; i < k; i++)
			names[i] = all[i].name;
		const char *near = ui_cmd_nearest(argv[1], names, k);
		fputs("There is no profile '", env->out);
		ui_cmd_put(env, argv[1]);
		fputs("'. ", env->out);
		if (near)
			fprintf(env->out, "Did you mean '%s'? ", near);
		fputs("The profiles are ", env->out);
		ui_cmd_list_profiles(env);
		fputs(".\n", env->out);
		return UI_CMD_ERROR;
	}
	sim_options o = *ui_session_options(s);
	o.profile = p;
	ui_session_set_options(s, &o);
	env->changed |= UI_CMD_CHANGED_SETTINGS;
	fprintf(env->out, "Profile %s: %s.\n", p->name, p->description);
	if (!ui_session_loaded(s)) {
		fputs("The next program you run will use it.\n", env->out);
		return UI_CMD_OK;
	}
	ui_session_status st = ui_session_rerun(s);
	if (st != UI_SESSION_OK) {
		ui_cmd_put_sentence(env, ui_session_error(s));
		return UI_CMD_ERROR;
	}
	env->changed |= UI_CMD_CHANGED_RUN | UI_CMD_CHANGED_CURSOR;
	ui_cmd_summary(env, "Ran");
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_export(ui_cmd_env *env, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "json") != 0)
		return ui_cmd_error(env, "Export as what? The format is json: "
		                         "export json FILE");
	if (argc < 3)
		return ui_cmd_error(env, "Which file should the trace go to? "
		                         "e.g. export json trace.json");
	if (argc > 3)
		return ui_cmd_error(env, "Give one file. A name with spaces "
		                         "goes in quotes: export json \"my "
		                         "trace.json\"");
	if (!ui_cmd_need_view(env))
		return UI_CMD_ERROR;
	if (ui_session_export_json(env->session, argv[2]) != UI_SESSION_OK) {
		ui_cmd_put_sentence(env, ui_session_error(env->session));
		return UI_CMD_ERROR;
	}
	fputs("Wrote the trace of ", env->out);
	ui_cmd_put(env, ui_session_name(env->session));
	fputs(" to ", env->out);
	ui_cmd_put(env, argv[2]);
	fprintf(env->out,
	        " (%zu events). Open it in ui.perfetto.dev or "
	        "chrome://tracing.\n",
	        trace_view_events(ui_session_view(env->session)));
	return UI_CMD_OK;
}

/* ---- moving ------------------------------------------------------------- */

/* Moves to the tick'th stop of the step size (0 is cursor 0). Ticks grow
 * with the cursor, so a binary search over cursors finds the first cursor
 * that is that tick: a stop. */
static void
ui_cmd_seek_tick(trace_view *v, trace_view_step step, uint64_t tick)
{
	if (step == TRACE_VIEW_STEP_EVENT) {
		trace_view_seek(v, (size_t)tick);
		return;
	}
	size_t lo = 0, hi = trace_view_events(v);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t i, m;
		trace_view_seek(v, mid);
		trace_view_tick(v, step, &i, &m);
		if (i >= tick)
			hi = mid;
		else
			lo = mid + 1;
	}
	trace_view_seek(v, lo);
}

static ui_cmd_result
ui_cmd_goto(ui_cmd_env *env, int argc, char **argv)
{
	if (argc < 2)
		return ui_cmd_error(env,
		                    "Go where? Give a tick or a time, e.g. "
		                    "goto 12 or goto 1.5s");
	if (argc > 3)
		return ui_cmd_error(env, "Give one tick or one time, e.g. goto "
		                         "12 or goto 1.5s");
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	char text[64];
	snprintf(text, sizeof text, "%s%s%s", argv[1], argc > 2 ? " " : "",
	         argc > 2 ? argv[2] : "");
	trace_view_step step = ui_session_step(env->session);
	uint64_t i, m, tick, ns;
	trace_view_tick(v, step, &i, &m);
	if (argc == 2 && ui_cmd_parse_count(argv[1], UINT64_MAX, &tick) == 0) {
		if (tick > m)
			return ui_cmd_error(env,
			                    "There are %" PRIu64
			                    " ticks in %s steps; give 0 to "
			                    "%" PRIu64 ".",
			                    m, trace_view_step_name(step), m);
		ui_cmd_seek_tick(v, step, tick);
		return ui_cmd_moved(env, v);
	}
	if (ui_cmd_parse_time(text, &ns) != 0) {
		fputs("'", env->out);
		ui_cmd_put(env, text);
		return ui_cmd_error(env, "' is neither a tick nor a time. Give "
		                         "a tick number (goto 12) or a time "
		                         "with its unit: goto 1.5s, goto "
		                         "250ms, goto 3us.");
	}
	if (ns > trace_view_end_time(v)) {
		char t[32];
		return ui_cmd_error(
		        env,
		        "The run ends at %s; give a time up "
		        "to that.",
		        ui_cmd_time(trace_view_end_time(v), t, sizeof t));
	}
	trace_view_seek_time(v, ns);
	/* The clock jumps over idle stretches: say so rather than let the
	 * class think the time asked for was reached. */
	if (trace_view_now(v) > ns && !env->quiet_moves) {
		char t[32];
		fprintf(env->out, "Nothing happens at %s; ",
		        ui_cmd_time(ns, t, sizeof t));
		fprintf(env->out, "the next tick is at %s.\n",
		        ui_cmd_time(trace_view_now(v), t, sizeof t));
	}
	return ui_cmd_moved(env, v);
}

/* Reads the optional count of next/prev. */
static int
ui_cmd_steps_arg(ui_cmd_env *env, int argc, char **argv, uint64_t *n)
{
	*n = 1;
	if (ui_cmd_at_most(env, argc, argv, 1))
		return -1;
	if (argc == 2 &&
	    (ui_cmd_parse_count(argv[1], UINT64_MAX, n) != 0 || *n == 0)) {
		fputs("'", env->out);
		ui_cmd_put(env, argv[1]);
		fprintf(env->out,
		        "' is not a number of steps: give a whole number from "
		        "1 up, e.g. %s 10.\n",
		        argv[0]);
		return -1;
	}
	return 0;
}

static ui_cmd_result
ui_cmd_move(ui_cmd_env *env, int argc, char **argv, int forward)
{
	uint64_t n, done = 0;
	if (ui_cmd_steps_arg(env, argc, argv, &n))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	trace_view_step step = ui_session_step(env->session);
	while (done < n &&
	       (forward ? trace_view_next(v, step) : trace_view_prev(v, step)))
		done++;
	if (done == 0) {
		fprintf(env->out, "Already at the %s tick. ",
		        forward ? "last" : "first");
		ui_cmd_put_position(env, v);
		fprintf(env->out, ".%s\n",
		        forward ? " Type 'prev' to go back, or 'first'." : "");
		return UI_CMD_OK;
	}
	if (done < n && !env->quiet_moves)
		fprintf(env->out,
		        "Reached the %s tick after %" PRIu64 " of %" PRIu64
		        " steps.\n",
		        forward ? "last" : "first", done, n);
	return ui_cmd_moved(env, v);
}

static ui_cmd_result
ui_cmd_next(ui_cmd_env *env, int argc, char **argv)
{
	return ui_cmd_move(env, argc, argv, 1);
}

static ui_cmd_result
ui_cmd_prev(ui_cmd_env *env, int argc, char **argv)
{
	return ui_cmd_move(env, argc, argv, 0);
}

static ui_cmd_result
ui_cmd_first(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	trace_view_first(v);
	return ui_cmd_moved(env, v);
}

static ui_cmd_result
ui_cmd_last(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	trace_view_last(v);
	return ui_cmd_moved(env, v);
}

/* ---- settings of the view ----------------------------------------------- */

/* What each step size does, indexed by trace_view_step. */
static const char *const ui_cmd_step_says[TRACE_VIEW_STEP_COUNT] = {
        [TRACE_VIEW_STEP_EVENT] = "each step shows the next event",
        [TRACE_VIEW_STEP_POLL] = "each step stops where a poll begins or "
                                 "ends",
        [TRACE_VIEW_STEP_INSTANT] = "each step moves to the next moment "
                                    "of virtual time",
};

static ui_cmd_result
ui_cmd_step(ui_cmd_env *env, int argc, char **argv)
{
	ui_session *s = env->session;
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	if (argc == 2) {
		int st = trace_view_step_parse(argv[1]);
		if (st < 0) {
			const char *names[TRACE_VIEW_STEP_COUNT];
			for (int i = 0; i < TRACE_VIEW_STEP_COUNT; i++)
				names[i] = trace_view_step_name(
				        (trace_view_step)i);
			const char *near = ui_cmd_nearest(
			        argv[1], names, TRACE_VIEW_STEP_COUNT);
			fputs("There is no step size '", env->out);
			ui_cmd_put(env, argv[1]);
			fputs("'. ", env->out);
			if (near)
				fprintf(env->out, "Did you mean '%s'? ", near);
			fputs("Give event, poll or instant.\n", env->out);
			return UI_CMD_ERROR;
		}
		ui_session_set_step(s, (trace_view_step)st);
		env->changed |= UI_CMD_CHANGED_SETTINGS;
	}
	trace_view_step st = ui_session_step(s);
	fprintf(env->out, "The step size is %s: %s.", trace_view_step_name(st),
	        ui_cmd_step_says[st]);
	trace_view *v = ui_session_view(s);
	if (v) {
		fputc(' ', env->out);
		ui_cmd_put_position(env, v);
		fputc('.', env->out);
	}
	fputc('\n', env->out);
	return UI_CMD_OK;
}

static void
ui_cmd_put_speed(ui_cmd_env *env, size_t i)
{
	uint64_t us = ui_session_speed_period_us(i);
	fprintf(env->out, "Speed %s: playing moves ", ui_session_speed_name(i));
	if (us >= 1000000)
		fprintf(env->out, "one step every %" PRIu64 " second%s",
		        us / 1000000, us >= 2000000 ? "s" : "");
	else
		fprintf(env->out, "%" PRIu64 " steps a second",
		        (1000000 + us / 2) / us);
}

static ui_cmd_result
ui_cmd_speed(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	if (argc == 2) {
		int i = ui_session_speed_parse(argv[1]);
		if (i < 0) {
			fputs("'", env->out);
			ui_cmd_put(env, argv[1]);
			fputs("' is not one of the speeds: ", env->out);
			for (size_t k = 0; k < ui_session_speed_count(); k++)
				fprintf(env->out, "%s%s", k ? ", " : "",
				        ui_session_speed_name(k));
			fputs(".\n", env->out);
			return UI_CMD_ERROR;
		}
		ui_session_set_speed(env->session, (size_t)i);
		env->changed |= UI_CMD_CHANGED_SETTINGS;
	}
	ui_cmd_put_speed(env, ui_session_speed(env->session));
	fprintf(env->out, " (%s steps, the current step size).\n",
	        trace_view_step_name(ui_session_step(env->session)));
	return UI_CMD_OK;
}

/* ---- looking ------------------------------------------------------------ */

/* The optional row count of futures/threads/output: N, or "all". */
static int
ui_cmd_rows_arg(ui_cmd_env *env, int argc, char **argv, size_t dflt, size_t *n)
{
	*n = dflt;
	if (ui_cmd_at_most(env, argc, argv, 1))
		return -1;
	if (argc < 2)
		return 0;
	uint64_t v;
	if (strcmp(argv[1], "all") == 0) {
		*n = SIZE_MAX;
		return 0;
	}
	if (ui_cmd_parse_count(argv[1], SIZE_MAX, &v) != 0 || v == 0) {
		fputs("'", env->out);
		ui_cmd_put(env, argv[1]);
		fprintf(env->out,
		        "' is not a number of lines: give a whole number from "
		        "1 up, or all, e.g. %s 50.\n",
		        argv[0]);
		return -1;
	}
	*n = (size_t)v;
	return 0;
}

static ui_cmd_result
ui_cmd_where(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	char say[TRACE_VIEW_SENTENCE_MAX * 2];
	trace_view_step step = ui_session_step(env->session);
	ui_cmd_put_position(env, v);
	fprintf(env->out, ", counting %s steps (event %zu of %zu in ",
	        trace_view_step_name(step), trace_view_cursor(v),
	        trace_view_events(v));
	ui_cmd_put(env, ui_session_name(env->session));
	fputs(").\n", env->out);
	trace_view_narrate(v, say, sizeof say);
	fprintf(env->out, "%s\n", say);
	if (trace_view_cursor(v) == trace_view_events(v))
		fprintf(env->out,
		        "This is the end of the run: exit status %d.\n",
		        ui_session_exit_status(env->session));
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_futures(ui_cmd_env *env, int argc, char **argv)
{
	size_t max;
	if (ui_cmd_rows_arg(env, argc, argv, UI_CMD_ROWS, &max))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	uint64_t counts[TRACE_VIEW_F_COUNT];
	trace_view_counts(v, counts);
	uint32_t exist = trace_view_futures_created(v);
	if (exist == 0) {
		fputs("No future exists yet at this tick.\n", env->out);
		return UI_CMD_OK;
	}
	ui_cmd_count(env->out, exist, "future exists", "futures exist");
	fputs(" at this tick:", env->out);
	int first = 1;
	for (int k = TRACE_VIEW_F_CREATED; k < TRACE_VIEW_F_COUNT; k++) {
		if (!counts[k])
			continue;
		fprintf(env->out, "%s %" PRIu64 " %s", first ? "" : ",",
		        counts[k],
		        trace_view_fstate_name((trace_view_fstate)k));
		first = 0;
	}
	fputs(".\n", env->out);
	size_t rows = trace_view_rows(v);
	size_t show = rows < max ? rows : max;
	trace_view_row row[64];
	for (size_t at = 0; at < show;) {
		size_t want = show - at < 64 ? show - at : 64;
		size_t got = trace_view_window(v, at, want, row);
		if (got == 0)
			break;
		for (size_t k = 0; k < got; k++) {
			const trace_view_row *r = &row[k];
			fprintf(env->out, "%*s#%" PRIu32 " %s: %s, ",
			        (int)(2 * (r->depth < 20 ? r->depth : 20)), "",
			        r->future, r->name,
			        trace_view_fstate_name(r->state));
			ui_cmd_count(env->out, r->polls, "poll", "polls");
			if (r->waiting[0])
				fprintf(env->out, ", waiting for %s",
				        r->waiting);
			if (r->folded && r->has_children)
				fputs(" (folded)", env->out);
			fputc('\n', env->out);
		}
		at += got;
	}
	if (show < rows)
		fprintf(env->out,
		        "%zu more rows not shown; 'futures all' shows every "
		        "row.\n",
		        rows - show);
	return UI_CMD_OK;
}

static const char *const ui_cmd_tstate_names[] = {
        [TRACE_VIEW_T_NOT_SPAWNED] = "not spawned yet",
        [TRACE_VIEW_T_RUNNING] = "running",
        [TRACE_VIEW_T_BLOCKED] = "blocked",
        [TRACE_VIEW_T_EXITED] = "exited",
};

static ui_cmd_result
ui_cmd_threads(ui_cmd_env *env, int argc, char **argv)
{
	size_t max;
	if (ui_cmd_rows_arg(env, argc, argv, UI_CMD_ROWS, &max))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	uint32_t n = trace_view_threads(v);
	size_t spawned = 0, shown = 0;
	for (uint32_t id = 0; id < n; id++) {
		trace_view_thread_row t;
		if (trace_view_thread(v, id, &t) != 0 ||
		    t.state == TRACE_VIEW_T_NOT_SPAWNED)
			continue;
		spawned++;
		if (shown >= max)
			continue;
		shown++;
		char cpu[32];
		trace_view_fmt_duration(t.cpu_ns, cpu, sizeof cpu);
		fprintf(env->out, "thread %" PRIu32 " %s: %s", t.id, t.name,
		        ui_cmd_tstate_names[t.state]);
		if (t.doing[0] && strcmp(t.doing, ui_cmd_tstate_names[t.state]))
			fprintf(env->out, ", %s", t.doing);
		if (t.in_poll && t.state == TRACE_VIEW_T_BLOCKED)
			fputs(" inside a poll, so nothing else runs on it",
			      env->out);
		if (t.panicked)
			fputs(" (it panicked)", env->out);
		fprintf(env->out, "; CPU %s\n", cpu);
	}
	if (spawned == 0)
		fputs("No thread has started yet at this tick.\n", env->out);
	if (shown < spawned)
		fprintf(env->out,
		        "%zu more threads not shown; 'threads all' shows every "
		        "one.\n",
		        spawned - shown);
	if (spawned < n)
		fprintf(env->out,
		        "%zu more will be spawned later in the run.\n",
		        (size_t)n - spawned);
	return UI_CMD_OK;
}

static void
ui_cmd_put_future(ui_cmd_env *env, trace_view *v, uint32_t f)
{
	char name[TRACE_VIEW_NAME_MAX];
	trace_view_future_name(v, f, name, sizeof name);
	fprintf(env->out, "%s (#%" PRIu32 ")", name, f);
}

static ui_cmd_result
ui_cmd_executor(ui_cmd_env *env, int argc, char **argv)
{
	enum { SHOW = 10 };
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	char t[32];

	trace_view_queued q[SHOW];
	size_t nq = trace_view_run_queue(v, q, SHOW);
	if (nq == 0) {
		fputs("Run queue: empty.\n", env->out);
	} else {
		fprintf(env->out, "Run queue (%zu, next first): ", nq);
		for (size_t i = 0; i < nq && i < SHOW; i++) {
			fprintf(env->out, "%stask %" PRIu32 " ", i ? ", " : "",
			        q[i].task);
			ui_cmd_put_future(env, v, q[i].future);
		}
		fputs(nq > SHOW ? ", ...\n" : ".\n", env->out);
	}

	trace_view_timer tm[SHOW];
	size_t nt = trace_view_timers(v, tm, SHOW);
	if (nt == 0) {
		fputs("Timers: none armed.\n", env->out);
	} else {
		fprintf(env->out, "Timers (%zu armed, soonest first): ", nt);
		for (size_t i = 0; i < nt && i < SHOW; i++) {
			fputs(i ? ", " : "", env->out);
			ui_cmd_put_future(env, v, tm[i].future);
			fprintf(env->out, " at %s",
			        ui_cmd_time(tm[i].deadline_ns, t, sizeof t));
		}
		fputs(nt > SHOW ? ", ...\n" : ".\n", env->out);
	}

	trace_view_wake w;
	if (trace_view_last_wake(v, &w) != 0) {
		fputs("Last wake: no waker has fired yet.\n", env->out);
	} else {
		char say[TRACE_VIEW_SENTENCE_MAX * 2];
		trace_view_narrate_event(v, w.event, say, sizeof say);
		fprintf(env->out, "Last wake (event %zu): %s\n", w.event + 1,
		        say);
	}
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_output(ui_cmd_env *env, int argc, char **argv)
{
	size_t max;
	if (ui_cmd_rows_arg(env, argc, argv, UI_CMD_OUTPUT_LINES, &max))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	size_t n = trace_view_output_lines(v);
	if (n == 0) {
		fputs("The program has printed nothing yet.\n", env->out);
		return UI_CMD_OK;
	}
	size_t from = n > max ? n - max : 0;
	if (from > 0)
		fprintf(env->out,
		        "(%zu earlier lines not shown; 'output all' shows "
		        "them)\n",
		        from);
	char small[512];
	for (size_t i = from; i < n; i++) {
		int stream = 1;
		size_t len = trace_view_output_line(v, i, small, sizeof small,
		                                    &stream);
		const char *text = small;
		char *big = NULL;
		if (len >= sizeof small) {
			big = malloc(len + 1);
			if (big) {
				trace_view_output_line(v, i, big, len + 1,
				                       NULL);
				text = big;
			}
		}
		fprintf(env->out, "%s%s\n", stream == 2 ? "stderr: " : "",
		        text);
		free(big);
	}
	if (trace_view_output_partial(v))
		fputs("(the last line is not finished yet)\n", env->out);
	return UI_CMD_OK;
}

/* The thread of the event just shown: where the action is. */
static uint32_t
ui_cmd_current_thread(ui_cmd_env *env, trace_view *v)
{
	size_t c = trace_view_cursor(v);
	const trace_event *e =
	        c ? trace_log_at(ui_session_log(env->session), c - 1) : NULL;
	return e ? e->thread : 0;
}

static ui_cmd_result
ui_cmd_source(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	uint32_t th = ui_cmd_current_thread(env, v);
	trace_view_pos pos;
	if (trace_view_source_pos(v, th, &pos) != 0 || pos.line == 0) {
		if (th != 0 && trace_view_source_pos(v, 0, &pos) == 0 &&
		    pos.line != 0)
			th = 0;
		else {
			fputs("No line of the program has run yet; 'next' "
			      "starts it.\n",
			      env->out);
			return UI_CMD_OK;
		}
	}
	char tname[TRACE_VIEW_NAME_MAX];
	trace_view_thread_name(v, th, tname, sizeof tname);
	fprintf(env->out, "Line %" PRIu32 ", on thread %s", pos.line, tname);
	if (pos.future) {
		fputs(", in ", env->out);
		ui_cmd_put_future(env, v, pos.future);
	}
	if (pos.await)
		fprintf(env->out,
		        ", suspended at its .await (await point "
		        "%" PRIu32 ")",
		        pos.await);
	fputs(":\n", env->out);
	size_t len;
	const char *text = trace_view_source_line(v, pos.line, &len);
	if (text) {
		fprintf(env->out, "%5" PRIu32 " | ", pos.line);
		ui_diag_put_safe(env->out, text, len);
		fputc('\n', env->out);
	}
	return UI_CMD_OK;
}

/* Finds a future by "#4", "4" or its name at the cursor; the first created
 * if several have that name (*same counts them). 0 if none. */
static uint32_t
ui_cmd_find_future(trace_view *v, const char *arg, size_t *same)
{
	uint64_t id;
	*same = 0;
	const char *num = arg[0] == '#' ? arg + 1 : arg;
	if (ui_cmd_parse_count(num, UINT32_MAX, &id) == 0)
		return id >= 1 && id <= trace_view_futures(v) ? (uint32_t)id
		                                              : 0;
	uint32_t found = 0, n = trace_view_futures(v);
	char name[TRACE_VIEW_NAME_MAX];
	for (uint32_t f = 1; f <= n; f++) {
		trace_view_future_name(v, f, name, sizeof name);
		if (strcmp(name, arg) == 0) {
			if (!found)
				found = f;
			(*same)++;
		}
	}
	return found;
}

static ui_cmd_result
ui_cmd_state(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	uint32_t f = env->selected;
	size_t same = 1;
	if (argc == 2) {
		f = ui_cmd_find_future(v, argv[1], &same);
		if (!f) {
			fputs("There is no future '", env->out);
			ui_cmd_put(env, argv[1]);
			return ui_cmd_error(env,
			                    "' in this run. 'futures' lists "
			                    "them with their ids.");
		}
	} else if (!f) {
		return ui_cmd_error(env, "Which future? Give its id or name, "
		                         "e.g. state 4 or state foo(3); "
		                         "'futures' lists them.");
	}
	trace_view_row row;
	trace_view_machine sm;
	trace_view_future(v, f, &row);
	if (trace_view_sm(v, f, &sm) != 0) {
		ui_cmd_put_future(env, v, f);
		return ui_cmd_error(env, " is not an async fn or async block, "
		                         "so it has no state machine to show; "
		                         "'state' works for those.");
	}
	ui_cmd_put_future(env, v, f);
	if (same > 1)
		fprintf(env->out, ", the first of %zu with that name,", same);
	fprintf(env->out, " is the future of %s", sm.func);
	if (row.state == TRACE_VIEW_F_NONE) {
		fputs("; it is not created yet at this tick.\n", env->out);
		return UI_CMD_OK;
	}
	fprintf(env->out, "; it is %s.\n", trace_view_fstate_name(row.state));
	if (!sm.known)
		fputs("Its function was not found in the program: the states "
		      "are those the run has reached so far.\n",
		      env->out);
	fprintf(env->out, "As a state machine (%" PRIu32 " states):\n",
	        sm.nstates);
	for (uint32_t i = 0; i < sm.nstates; i++) {
		trace_view_machine_state st;
		if (trace_view_sm_state(v, &sm, i, &st) != 0)
			continue;
		fprintf(env->out, "%s %s", i == sm.current ? "  >" : "   ",
		        st.label);
		if (st.line)
			fprintf(env->out,
			        ": the .await on line %" PRIu32
			        ", column %" PRIu32,
			        st.line, st.col);
		if (i == sm.current)
			fputs(sm.polling ? "  (current; being polled now)"
			                 : "  (current)",
			      env->out);
		fputc('\n', env->out);
	}
	if (sm.nlocals == 0) {
		fputs("No live locals are stored in it.\n", env->out);
		return UI_CMD_OK;
	}
	fputs("Live locals stored in it:", env->out);
	for (uint32_t i = 0; i < sm.nlocals; i++) {
		trace_view_local l;
		if (trace_view_sm_local(v, &sm, i, &l) == 0)
			fprintf(env->out, "%s %s = %s", i ? "," : "", l.name,
			        l.value);
	}
	fputs(".\n", env->out);
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_lints(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	trace_view *v = ui_cmd_need_view(env);
	if (!v)
		return UI_CMD_ERROR;
	size_t n = trace_view_lints(v);
	size_t total = trace_lint_fired_count(ui_session_lints(env->session));
	if (n == 0)
		fputs("No lints so far.", env->out);
	else
		fprintf(env->out, "%zu lint%s so far:", n, n == 1 ? "" : "s");
	if (total > n)
		fprintf(env->out, " (%zu more later in the run)", total - n);
	fputc('\n', env->out);
	char t[32];
	for (size_t i = 0; i < n; i++) {
		trace_view_lint_row l;
		if (trace_view_lint(v, i, &l) != 0)
			continue;
		const trace_event *e =
		        trace_log_at(ui_session_log(env->session), l.event);
		fprintf(env->out, "%s at %s: %s\n  %s.\n", l.name,
		        ui_cmd_time(e ? e->time_ns : 0, t, sizeof t), l.detail,
		        l.explanation);
	}
	int off = 0;
	for (int i = 0; i < TRACE_LINT_COUNT; i++) {
		if (ui_session_lint_on(env->session, (trace_lint_id)i))
			continue;
		fprintf(env->out, "%s%s", off ? ", " : "Turned off: ",
		        trace_lint_info_of((trace_lint_id)i)->name);
		off = 1;
	}
	if (off)
		fputs(".\n", env->out);
	return UI_CMD_OK;
}

/* ---- help and quit ------------------------------------------------------ */

/* "  left      help text" with the help wrapped to fit 80 columns, so the
 * list reads well in the visualizer's message area and in a terminal. */
static void
ui_cmd_help_row(FILE *out, const char *left, const char *help)
{
	enum { COL = 28, WIDTH = 79 };
	int col = fprintf(out, "  %s", left);
	if (col >= COL - 1) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", COL - col, "");
	col = COL;
	const char *p = help;
	while (*p) {
		const char *sp = strchr(p, ' ');
		int wlen = (int)(sp ? (size_t)(sp - p) : strlen(p));
		if (col > COL && col + 1 + wlen > WIDTH) {
			fprintf(out, "\n%*s", COL, "");
			col = COL;
		} else if (col > COL) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", wlen, p);
		col += wlen;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static ui_cmd_result
ui_cmd_help(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_at_most(env, argc, argv, 1))
		return UI_CMD_ERROR;
	if (argc == 2) {
		const ui_cmd_entry *e = ui_cmd_find(argv[1]);
		if (!e) {
			const char *near = ui_cmd_suggest(argv[1]);
			fputs("There is no command '", env->out);
			ui_cmd_put(env, argv[1]);
			if (near)
				fprintf(env->out, "'. Did you mean '%s'?",
				        near);
			else
				fputs("'.", env->out);
			return ui_cmd_error(env, " Type 'help' for the list.");
		}
		fprintf(env->out, "%s%s%s: %s.\n", e->name, *e->args ? " " : "",
		        e->args, e->help);
		if (e->example)
			fprintf(env->out, "Example: %s\n", e->example);
		return UI_CMD_OK;
	}
	fputs("Commands (words with spaces go in quotes; 'help COMMAND' "
	      "explains one):\n",
	      env->out);
	for (size_t i = 0; i < UI_CMD_N; i++) {
		const ui_cmd_entry *e = &ui_cmd_entries[i];
		char left[64];
		snprintf(left, sizeof left, "%s%s%s", e->name,
		         *e->args ? " " : "", e->args);
		ui_cmd_help_row(env->out, left, e->help);
	}
	return UI_CMD_OK;
}

static ui_cmd_result
ui_cmd_quit(ui_cmd_env *env, int argc, char **argv)
{
	if (ui_cmd_no_args(env, argc, argv))
		return UI_CMD_ERROR;
	return UI_CMD_QUIT;
}

/* ---- completion --------------------------------------------------------- */

typedef struct ui_cmd_list {
	char **items;
	size_t n, cap;
	int failed;
} ui_cmd_list;

static void
ui_cmd_list_add(ui_cmd_list *l, const char *a, const char *b)
{
	if (l->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **n = realloc(l->items, cap * sizeof *n);
		if (!n) {
			l->failed = 1;
			return;
		}
		l->items = n;
		l->cap = cap;
	}
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	char *s = malloc(la + lb + 1);
	if (!s) {
		l->failed = 1;
		return;
	}
	memcpy(s, a, la);
	if (b)
		memcpy(s + la, b, lb);
	s[la + lb] = '\0';
	l->items[l->n++] = s;
}

static void
ui_cmd_add_matching(ui_cmd_list *l, const char *prefix, const char *name)
{
	if (strncmp(name, prefix, strlen(prefix)) == 0)
		ui_cmd_list_add(l, name, NULL);
}

/* The lessons of the course in `dir` that `word` starts, each once, as
 * the first of these it starts: its file's name without .md
 * (05-join-all), its id (join-all) or its place (5). A Tab with nothing
 * typed thus shows the whole course by file name, and "5" or "join"
 * finish the way they were begun. */
static void
ui_cmd_add_lessons(ui_cmd_list *l, const char *dir, const char *word)
{
	lesson_diags d;
	lesson_diags_init(&d);
	lesson_course *c = lesson_course_open(dir, &d);
	lesson_diags_free(&d);
	if (!c)
		return;
	size_t wlen = strlen(word);
	for (size_t i = 0; i < c->nlessons; i++) {
		char stem[256], place[24];
		ui_cmd_lesson_stem(&c->lessons[i], stem, sizeof stem);
		snprintf(place, sizeof place, "%zu", i + 1);
		if (strncmp(stem, word, wlen) == 0)
			ui_cmd_list_add(l, stem, NULL);
		else if (strncmp(c->lessons[i].id, word, wlen) == 0)
			ui_cmd_list_add(l, c->lessons[i].id, NULL);
		else if (strncmp(place, word, wlen) == 0)
			ui_cmd_list_add(l, place, NULL);
	}
	lesson_course_free(c);
}

/* Files in the directory part of `word` whose names start with its last
 * part; directories get a '/'. With rs_only, only .rs files (and
 * directories, to go on into). */
static void
ui_cmd_add_files(ui_cmd_list *l, const char *word, int rs_only)
{
	const char *slash = strrchr(word, '/');
	size_t dlen = slash ? (size_t)(slash - word) + 1 : 0;
	const char *base = word + dlen;
	char *dir = malloc(dlen + 2);
	if (!dir) {
		l->failed = 1;
		return;
	}
	if (dlen) {
		memcpy(dir, word, dlen);
		dir[dlen] = '\0';
	} else {
		strcpy(dir, ".");
	}
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(name, base, strlen(base)) != 0)
			continue;
		size_t plen = dlen + strlen(name) + 1;
		char *path = malloc(plen);
		if (!path) {
			l->failed = 1;
			break;
		}
		memcpy(path, word, dlen);
		strcpy(path + dlen, name);
		struct stat st;
		int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (is_dir)
			ui_cmd_list_add(l, path, "/");
		else if (!rs_only || ui_cmd_has_suffix(name, ".rs"))
			ui_cmd_list_add(l, path, NULL);
		free(path);
	}
	closedir(d);
	free(dir);
}

static int
ui_cmd_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
ui_cmd_complete(const ui_session *s, const char *line, size_t len,
                ui_cmd_completion *c)
{
	memset(c, 0, sizeof *c);
	ui_cmd_scan sc;
	if (ui_cmd_scan_line(line, len, &sc) != 0) {
		ui_cmd_scan_free(&sc);
		return -1;
	}
	const char *word = sc.in_word && sc.cur.s ? sc.cur.s : "";
	int k = sc.args.argc; /* the index of the word being completed */
	char **argv = sc.args.argv;
	ui_cmd_list l = {NULL, 0, 0, 0};
	c->start = sc.in_word ? sc.start : len;
	c->quote = sc.in_word ? (line[sc.start] == '"' || line[sc.start] == '\''
	                                 ? line[sc.start]
	                                 : 0)
	                      : 0;

	if (k == 0) {
		if (word[0] != '#')
			for (size_t i = 0; i < UI_CMD_N; i++)
				ui_cmd_add_matching(&l, word,
				                    ui_cmd_entries[i].name);
	} else if (k == 1 && strcmp(argv[0], "run") == 0) {
		ui_cmd_add_files(&l, word, 1);
	} else if (k == 1 && strcmp(argv[0], "lesson") == 0 && s &&
	           ui_session_course_dir(s)) {
		ui_cmd_add_lessons(&l, ui_session_course_dir(s), word);
	} else if (k == 1 && strcmp(argv[0], "program") == 0 && s &&
	           ui_session_lesson(s, NULL, NULL)) {
		const lesson *les = ui_session_lesson(s, NULL, NULL);
		for (size_t i = 0; i < les->nprograms; i++) {
			const lesson_program *p = &les->programs[i];
			if (p->role != LESSON_ROLE_PROGRAM)
				continue;
			char num[32];
			snprintf(num, sizeof num, "%zu", p->number);
			ui_cmd_add_matching(&l, word, num);
			if (p->name)
				ui_cmd_add_matching(&l, word, p->name);
		}
	} else if (k == 1 && strcmp(argv[0], "export") == 0) {
		ui_cmd_add_matching(&l, word, "json");
	} else if (k == 2 && strcmp(argv[0], "export") == 0 &&
	           strcmp(argv[1], "json") == 0) {
		ui_cmd_add_files(&l, word, 0);
	} else if (k == 1 && strcmp(argv[0], "profile") == 0) {
		size_t n;
		const sim_profile *p = sim_profile_list(&n);
		for (size_t i = 0; i < n; i++)
			ui_cmd_add_matching(&l, word, p[i].name);
	} else if (k == 1 && strcmp(argv[0], "step") == 0) {
		for (int i = 0; i < TRACE_VIEW_STEP_COUNT; i++)
			ui_cmd_add_matching(
			        &l, word,
			        trace_view_step_name((trace_view_step)i));
	} else if (k == 1 && strcmp(argv[0], "speed") == 0) {
		for (size_t i = 0; i < ui_session_speed_count(); i++)
			ui_cmd_add_matching(&l, word, ui_session_speed_name(i));
	} else if (k == 1 && strcmp(argv[0], "help") == 0) {
		for (size_t i = 0; i < UI_CMD_N; i++)
			ui_cmd_add_matching(&l, word, ui_cmd_entries[i].name);
	} else if (k == 1 && strcmp(argv[0], "state") == 0 && s &&
	           ui_session_loaded(s)) {
		/* The view is only read here; ui_session_view wants a
		 * mutable session because callers move its cursor. */
		trace_view *v = ui_session_view((ui_session *)s);
		uint32_t n = trace_view_futures_created(v);
		char name[TRACE_VIEW_NAME_MAX];
		trace_view_machine sm;
		size_t wlen = strlen(word);
		for (uint32_t f = 1; f <= n; f++) {
			if (l.n >= UI_CMD_MAX_FUTURE_CANDIDATES)
				break;
			/* The name first: it rules out most futures more
			 * cheaply than building a state machine does. */
			trace_view_future_name(v, f, name, sizeof name);
			if (strncmp(name, word, wlen) != 0 ||
			    trace_view_sm(v, f, &sm) != 0)
				continue;
			int dup = 0;
			for (size_t i = 0; i < l.n && !dup; i++)
				dup = strcmp(l.items[i], name) == 0;
			if (!dup)
				ui_cmd_list_add(&l, name, NULL);
		}
	}
	ui_cmd_scan_free(&sc);
	if (l.failed) {
		for (size_t i = 0; i < l.n; i++)
			free(l.items[i]);
		free(l.items);
		memset(c, 0, sizeof *c);
		return -1;
	}
	if (l.n > 1)
		qsort(l.items, l.n, sizeof *l.items, ui_cmd_cmp);
	c->names = l.items;
	c->count = l.n;
	return 0;
}

char *
ui_cmd_completion_text(const ui_cmd_completion *c)
{
	if (c->count == 0)
		return NULL;
	/* The longest common prefix of the candidates. */
	size_t plen = strlen(c->names[0]);
	for (size_t i = 1; i < c->count; i++) {
		size_t k = 0;
		while (k < plen && c->names[i][k] == c->names[0][k])
			k++;
		plen = k;
	}
	char *prefix = malloc(plen + 1);
	if (!prefix)
		return NULL;
	memcpy(prefix, c->names[0], plen);
	prefix[plen] = '\0';
	int whole = c->count == 1;
	int dir = whole && plen > 0 && prefix[plen - 1] == '/';
	int close = whole && !dir;

	ui_cmd_buf b = {NULL, 0, 0};
	int failed = 0;
	if (c->quote == '\'' && !strchr(prefix, '\'')) {
		failed = ui_cmd_buf_put(&b, '\'');
		for (const char *p = prefix; *p && !failed; p++)
			failed = ui_cmd_buf_put(&b, *p);
		if (close && !failed)
			failed = ui_cmd_buf_put(&b, '\'');
	} else if (c->quote || (ui_cmd_needs_quotes(prefix) && plen > 0)) {
		failed = ui_cmd_buf_quoted(&b, prefix, close);
	} else {
		for (const char *p = prefix; *p && !failed; p++)
			failed = ui_cmd_buf_put(&b, *p);
	}
	if (!failed && close)
		failed = ui_cmd_buf_put(&b, ' ');
	/* An empty prefix still gives an empty string, not NULL. */
	if (!failed)
		failed = ui_cmd_buf_init(&b);
	free(prefix);
	if (failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

void
ui_cmd_completion_free(ui_cmd_completion *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->names[i]);
	free(c->names);
	memset(c, 0, sizeof *c);
}
