#include "config.h"

#include "ui/ui_session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_json.h"

/* The speed table, in quarters of 1x so that 0.25x is a whole number and
 * "0.25", "1/4" and ".25x" all find the same entry. */
typedef struct ui_speed {
	const char *name;
	long quarters;
} ui_speed;

static const ui_speed ui_speeds[] = {
        {"0.25x", 1}, {"0.5x", 2}, {"1x", 4},    {"2x", 8},    {"4x", 16},
        {"8x", 32},   {"16x", 64}, {"32x", 128}, {"64x", 256},
};

/* The period at 1x: two steps a second. */
#define UI_SPEED_1X_PERIOD_US 500000u

#define UI_NSPEEDS (sizeof ui_speeds / sizeof ui_speeds[0])
#define UI_SPEED_DEFAULT 2 /* 1x */

/* One run of one program: everything that is replaced together. */
typedef struct ui_run {
	char *name;
	char *text;
	size_t len;
	lang_program *prog;
	trace_log *log;
	trace_lint *lints;
	trace_view *view;
	sim_result res;
	char *out;
	size_t out_len, out_cap;
	int out_failed; /* memory ran out while capturing output */
} ui_run;

struct ui_session {
	sim_options opt;
	signed char lint_on[TRACE_LINT_COUNT];
	trace_view_step step;
	size_t speed;
	int loaded;
	ui_run run;
	/* The last load attempt: what its diagnostics point into. */
	char *attempt_name;
	char *attempt_text;
	size_t attempt_len;
	lang_diags diags;
	char error[512];
	char *course_dir; /* NULL: no course known */
	/* The learner's course (progress) and the lesson open, each either
	 * the session's own or lent by the caller. */
	ui_course *course;
	int course_owned;
	int course_failed; /* opening it failed once: not tried again */
	lesson *lesson;
	int lesson_owned;
	size_t lesson_index, lesson_program;
};

/* ---- small helpers ------------------------------------------------------ */

static void ui_session_fail(ui_session *s, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
ui_session_fail(ui_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof s->error, fmt, ap);
	va_end(ap);
}

static char *
ui_session_strdup(const char *str)
{
	size_t n = strlen(str) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, str, n);
	return d;
}

/* Only the settings a caller may choose; the per-run callbacks are ours. */
static void
ui_session_copy_options(ui_session *s, const sim_options *opt)
{
	if (opt)
		s->opt = *opt;
	else
		sim_options_default(&s->opt);
	if (!s->opt.profile) {
		size_t n;
		s->opt.profile = sim_profile_list(&n);
	}
	s->opt.file_name = NULL;
	s->opt.on_output = NULL;
	s->opt.output_ctx = NULL;
}

static void
ui_run_free(ui_run *r)
{
	trace_view_free(r->view);
	trace_log_free(r->log);
	trace_lint_free(r->lints);
	lang_program_free(r->prog);
	sim_result_free(&r->res);
	free(r->name);
	free(r->text);
	free(r->out);
	memset(r, 0, sizeof *r);
}

static void
ui_session_forget_attempt(ui_session *s)
{
	free(s->attempt_name);
	free(s->attempt_text);
	s->attempt_name = NULL;
	s->attempt_text = NULL;
	s->attempt_len = 0;
	lang_diags_free(&s->diags);
	lang_diags_init(&s->diags);
}

/* ---- building ----------------------------------------------------------- */

ui_session *
ui_session_new(const sim_options *opt)
{
	ui_session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	ui_session_copy_options(s, opt);
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		s->lint_on[i] = 1;
	s->step = TRACE_VIEW_STEP_EVENT;
	s->speed = UI_SPEED_DEFAULT;
	lang_diags_init(&s->diags);
	return s;
}

void
ui_session_free(ui_session *s)
{
	if (!s)
		return;
	ui_run_free(&s->run);
	ui_session_forget_attempt(s);
	free(s->course_dir);
	ui_session_set_lesson(s, NULL, 0, 0, 0);
	if (s->course_owned)
		ui_course_free(s->course);
	free(s);
}

int
ui_session_set_course_dir(ui_session *s, const char *dir)
{
	char *copy = NULL;
	if (dir && !(copy = ui_session_strdup(dir)))
		return -1;
	free(s->course_dir);
	s->course_dir = copy;
	return 0;
}

const char *
ui_session_course_dir(const ui_session *s)
{
	return s->course_dir;
}

void
ui_session_set_course(ui_session *s, ui_course *c, int own)
{
	if (s->course_owned && s->course != c)
		ui_course_free(s->course);
	s->course = c;
	s->course_owned = own;
	s->course_failed = 0;
}

ui_course *
ui_session_course(ui_session *s, char *err, size_t errsize)
{
	if (s->course)
		return s->course;
	if (!s->course_dir) {
		snprintf(err, errsize, "no course is known here");
		return NULL;
	}
	if (s->course_failed) {
		snprintf(err, errsize, "your progress in the course in '%s' "
		                       "could not be opened",
		         s->course_dir);
		return NULL;
	}
	lesson_diags d;
	lesson_diags_init(&d);
	s->course = ui_course_open(s->course_dir, 1, &d, err, errsize);
	lesson_diags_free(&d);
	s->course_owned = s->course != NULL;
	s->course_failed = s->course == NULL;
	return s->course;
}

void
ui_session_set_lesson(ui_session *s, lesson *l, size_t index,
                      size_t program, int own)
{
	if (s->lesson_owned && s->lesson != l)
		lesson_free(s->lesson);
	s->lesson = l;
	s->lesson_owned = l ? own : 0;
	s->lesson_index = index;
	s->lesson_program = program;
}

void
ui_session_set_lesson_program(ui_session *s, size_t program)
{
	s->lesson_program = program;
}

const lesson *
ui_session_lesson(const ui_session *s, size_t *index, size_t *program)
{
	if (index)
		*index = s->lesson_index;
	if (program)
		*program = s->lesson_program;
	return s->lesson;
}

/* ---- running ------------------------------------------------------------ */

/* Keeps the program's output as it is produced. If memory runs out the
 * output is cut there and the run says so through out_failed; the trace
 * still has every line, so the view's output is unaffected. */
static void
ui_session_on_output(void *ctx, int stream, const char *text, size_t len)
{
	ui_run *r = ctx;
	if (r->out_failed)
		return;
	if (r->out_len + len + 1 > r->out_cap) {
		size_t cap = r->out_cap ? r->out_cap : 1024;
		while (cap < r->out_len + len + 1)
			cap *= 2;
		char *n = realloc(r->out, cap);
		if (!n) {
			r->out_failed = 1;
			return;
		}
		r->out = n;
		r->out_cap = cap;
	}
	memcpy(r->out + r->out_len, text, len);
	r->out_len += len;
	r->out[r->out_len] = '\0';
}

/* Runs r->prog with the session's settings into a fresh log, lints and
 * view. Returns OK or NO_MEMORY (r's run parts are then freed by the
 * caller with ui_run_free). */
static ui_session_status
ui_session_simulate(ui_session *s, ui_run *r)
{
	r->log = trace_log_new(TRACE_FULL);
	r->lints = trace_lint_new();
	if (!r->log || !r->lints)
		goto oom;
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		trace_lint_set(r->lints,
		               trace_lint_info_of((trace_lint_id)i)->name,
		               s->lint_on[i]);
	trace_log_set_lints(r->log, r->lints);
	sim_options o = s->opt;
	o.file_name = r->name;
	o.on_output = ui_session_on_output;
	o.output_ctx = r;
	if (sim_run(r->prog, &o, r->log, &r->res) != 0)
		goto oom;
	r->view = trace_view_new(r->log, r->prog);
	if (!r->view)
		goto oom;
	return UI_SESSION_OK;
oom:
	ui_session_fail(s, "out of memory: the simulation could not run");
	return UI_SESSION_NO_MEMORY;
}

ui_session_status
ui_session_load_text(ui_session *s, const char *name, const char *text,
                     size_t len)
{
	s->error[0] = '\0';
	ui_session_forget_attempt(s);
	s->attempt_name = ui_session_strdup(name);
	/* One extra byte so an empty program is still a valid pointer. */
	s->attempt_text = malloc(len + 1);
	if (!s->attempt_name || !s->attempt_text) {
		ui_session_forget_attempt(s);
		ui_session_fail(s, "out of memory reading the program");
		return UI_SESSION_NO_MEMORY;
	}
	memcpy(s->attempt_text, text, len);
	s->attempt_text[len] = '\0';
	s->attempt_len = len;

	ui_run r;
	memset(&r, 0, sizeof r);
	r.prog = lang_compile(s->attempt_text, len, &s->diags);
	if (!r.prog) {
		if (s->diags.nerrors == 0) {
			ui_session_fail(s, "out of memory while compiling");
			return UI_SESSION_NO_MEMORY;
		}
		ui_session_fail(s,
		                "%s does not compile: %zu error%s; nothing "
		                "was run",
		                name, s->diags.nerrors,
		                s->diags.nerrors == 1 ? "" : "s");
		return UI_SESSION_COMPILE_ERROR;
	}
	r.name = ui_session_strdup(name);
	r.text = malloc(len + 1);
	if (!r.name || !r.text) {
		ui_run_free(&r);
		ui_session_fail(s, "out of memory reading the program");
		return UI_SESSION_NO_MEMORY;
	}
	memcpy(r.text, text, len);
	r.text[len] = '\0';
	r.len = len;
	ui_session_status st = ui_session_simulate(s, &r);
	if (st != UI_SESSION_OK) {
		ui_run_free(&r);
		return st;
	}
	ui_run_free(&s->run);
	s->run = r;
	s->loaded = 1;
	return UI_SESSION_OK;
}

/* Reads the whole file, any bytes, up to UI_SESSION_MAX_FILE_BYTES. */
static ui_session_status
ui_session_read(ui_session *s, const char *path, char **data, size_t *len)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		ui_session_fail(s, "cannot open '%s': %s", path,
		                strerror(errno));
		return UI_SESSION_UNREADABLE;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ui_session_status st = UI_SESSION_OK;
	while (buf) {
		if (n == cap) {
			if (cap > UI_SESSION_MAX_FILE_BYTES)
				break;
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (got == 0)
			break;
	}
	if (!buf) {
		ui_session_fail(s, "out of memory reading '%s'", path);
		st = UI_SESSION_NO_MEMORY;
	} else if (ferror(in)) {
		/* A directory opens but cannot be read: say what it is. */
		ui_session_fail(s, "cannot read '%s': %s", path,
		                errno == EISDIR ? "it is a directory"
		                                : strerror(errno));
		st = UI_SESSION_UNREADABLE;
	} else if (n > UI_SESSION_MAX_FILE_BYTES) {
		ui_session_fail(s,
		                "'%s' is larger than %u MiB; that is too big "
		                "to be a program for this tutorial",
		                path,
		                UI_SESSION_MAX_FILE_BYTES / (1024u * 1024u));
		st = UI_SESSION_UNREADABLE;
	}
	fclose(in);
	if (st != UI_SESSION_OK) {
		free(buf);
		return st;
	}
	*data = buf;
	*len = n;
	return UI_SESSION_OK;
}

ui_session_status
ui_session_load(ui_session *s, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	ui_session_forget_attempt(s);
	ui_session_status st = ui_session_read(s, path, &data, &len);
	if (st != UI_SESSION_OK)
		return st;
	st = ui_session_load_text(s, path, data, len);
	free(data);
	return st;
}

ui_session_status
ui_session_rerun(ui_session *s)
{
	s->error[0] = '\0';
	if (!s->loaded) {
		ui_session_fail(s, "no program is loaded yet; load one with "
		                   "'run FILE'");
		return UI_SESSION_NOTHING_LOADED;
	}
	size_t cursor = trace_view_cursor(s->run.view);
	int at_end = cursor == trace_view_events(s->run.view);
	uint64_t now = trace_view_now(s->run.view);

	/* Compile again rather than share the program: runs own everything
	 * they point into, so the old one can be freed whole. */
	ui_run r;
	memset(&r, 0, sizeof r);
	lang_diags d;
	lang_diags_init(&d);
	r.prog = lang_compile(s->run.text, s->run.len, &d);
	lang_diags_free(&d);
	r.name = ui_session_strdup(s->run.name);
	r.text = malloc(s->run.len + 1);
	if (!r.prog || !r.name || !r.text) {
		ui_run_free(&r);
		ui_session_fail(s, "out of memory: the program could not run "
		                   "again");
		return UI_SESSION_NO_MEMORY;
	}
	memcpy(r.text, s->run.text, s->run.len + 1);
	r.len = s->run.len;
	ui_session_status st = ui_session_simulate(s, &r);
	if (st != UI_SESSION_OK) {
		ui_run_free(&r);
		return st;
	}
	ui_run_free(&s->run);
	s->run = r;
	if (at_end)
		trace_view_last(s->run.view);
	else if (cursor > 0)
		trace_view_seek_time(s->run.view, now);
	return UI_SESSION_OK;
}

const char *
ui_session_error(const ui_session *s)
{
	return s->error;
}

int
ui_session_exit_code(ui_session_status st)
{
	static const int codes[] = {
	        [UI_SESSION_OK] = 0,
	        [UI_SESSION_UNREADABLE] = 2,
	        [UI_SESSION_COMPILE_ERROR] = 3,
	        [UI_SESSION_NO_MEMORY] = 1,
	        [UI_SESSION_NOTHING_LOADED] = 2,
	        [UI_SESSION_WRITE_FAILED] = 1,
	};
	if ((size_t)st >= sizeof codes / sizeof codes[0])
		return 1;
	return codes[st];
}

const lang_diags *
ui_session_diags(const ui_session *s)
{
	return &s->diags;
}

ui_source
ui_session_attempt_source(const ui_session *s)
{
	ui_source src = {s->attempt_name ? s->attempt_name : "",
	                 s->attempt_text ? s->attempt_text : "",
	                 s->attempt_len};
	return src;
}

/* ---- the loaded program ------------------------------------------------- */

int
ui_session_loaded(const ui_session *s)
{
	return s->loaded;
}

const char *
ui_session_name(const ui_session *s)
{
	return s->loaded ? s->run.name : "";
}

ui_source
ui_session_source(const ui_session *s)
{
	ui_source src = {"", "", 0};
	if (s->loaded) {
		src.name = s->run.name;
		src.text = s->run.text;
		src.len = s->run.len;
	}
	return src;
}

const lang_program *
ui_session_program(const ui_session *s)
{
	return s->loaded ? s->run.prog : NULL;
}

const trace_log *
ui_session_log(const ui_session *s)
{
	return s->loaded ? s->run.log : NULL;
}

const trace_lint *
ui_session_lints(const ui_session *s)
{
	return s->loaded ? s->run.lints : NULL;
}

const sim_result *
ui_session_result(const ui_session *s)
{
	return s->loaded ? &s->run.res : NULL;
}

int
ui_session_exit_status(const ui_session *s)
{
	return s->loaded ? s->run.res.exit_status : -1;
}

const char *
ui_session_output(const ui_session *s, size_t *len)
{
	if (len)
		*len = s->loaded ? s->run.out_len : 0;
	return s->loaded && s->run.out ? s->run.out : "";
}

trace_view *
ui_session_view(ui_session *s)
{
	return s->loaded ? s->run.view : NULL;
}

ui_session_status
ui_session_export_json(ui_session *s, const char *path)
{
	s->error[0] = '\0';
	if (!s->loaded) {
		ui_session_fail(s, "there is no trace to export yet; load a "
		                   "program with 'run FILE' first");
		return UI_SESSION_NOTHING_LOADED;
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		ui_session_fail(s, "cannot write '%s': %s", path,
		                strerror(errno));
		return UI_SESSION_WRITE_FAILED;
	}
	errno = 0;
	int failed = trace_json_write(f, s->run.log) != 0;
	int err = errno;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	if (failed) {
		ui_session_fail(s, "could not finish writing '%s': %s", path,
		                err ? strerror(err) : "out of memory");
		return UI_SESSION_WRITE_FAILED;
	}
	return UI_SESSION_OK;
}

/* ---- settings ----------------------------------------------------------- */

const sim_options *
ui_session_options(const ui_session *s)
{
	return &s->opt;
}

void
ui_session_set_options(ui_session *s, const sim_options *opt)
{
	ui_session_copy_options(s, opt);
}

int
ui_session_set_lint(ui_session *s, const char *name, int on)
{
	int id = trace_lint_lookup(name);
	if (id < 0)
		return -1;
	s->lint_on[id] = on ? 1 : 0;
	return 0;
}

int
ui_session_lint_on(const ui_session *s, trace_lint_id id)
{
	return (unsigned)id < TRACE_LINT_COUNT && s->lint_on[id];
}

trace_view_step
ui_session_step(const ui_session *s)
{
	return s->step;
}

void
ui_session_set_step(ui_session *s, trace_view_step step)
{
	if ((unsigned)step < TRACE_VIEW_STEP_COUNT)
		s->step = step;
}

void
ui_session_cycle_step(ui_session *s)
{
	s->step = (trace_view_step)((s->step + 1) % TRACE_VIEW_STEP_COUNT);
}

size_t
ui_session_speed_count(void)
{
	return UI_NSPEEDS;
}

const char *
ui_session_speed_name(size_t i)
{
	return i < UI_NSPEEDS ? ui_speeds[i].name : NULL;
}

uint64_t
ui_session_speed_period_us(size_t i)
{
	return i < UI_NSPEEDS ? UI_SPEED_1X_PERIOD_US * 4u /
	                                (uint64_t)ui_speeds[i].quarters
	                      : 0;
}

/* Reads a speed as a number of quarters: "2" is 8, "0.25" and "1/4" are 1.
 * Returns -1 for anything that is not a whole number of quarters. */
static long
ui_session_quarters(const char *t)
{
	long whole = 0, num = 0;
	int digits = 0;
	for (; *t >= '0' && *t <= '9'; t++, digits++) {
		if (whole > 100000)
			return -1;
		whole = whole * 10 + (*t - '0');
	}
	if (*t == '/') {
		/* 1/4, 1/2 */
		long den = 0;
		for (t++; *t >= '0' && *t <= '9'; t++)
			if ((den = den * 10 + (*t - '0')) > 100000)
				return -1;
		if (!digits || den == 0 || (whole * 4) % den != 0)
			return -1;
		num = whole * 4 / den;
	} else if (*t == '.') {
		/* 0.25, .5, 2.0: at most two decimals matter. */
		long frac = 0, place = 100;
		int fdigits = 0;
		for (t++; *t >= '0' && *t <= '9'; t++, fdigits++) {
			if (fdigits < 2)
				frac += (*t - '0') * (place /= 10);
			else if (*t != '0')
				return -1;
		}
		if (!digits && !fdigits)
			return -1;
		if (frac % 25 != 0)
			return -1;
		num = whole * 4 + frac / 25;
	} else {
		if (!digits)
			return -1;
		num = whole * 4;
	}
	/* An optional "x" or "×" (U+00D7) after the number. */
	if (*t == 'x' || *t == 'X')
		t++;
	else if ((unsigned char)t[0] == 0xc3 && (unsigned char)t[1] == 0x97)
		t += 2;
	return *t ? -1 : num;
}

int
ui_session_speed_parse(const char *text)
{
	long q = ui_session_quarters(text);
	if (q <= 0)
		return -1;
	for (size_t i = 0; i < UI_NSPEEDS; i++)
		if (ui_speeds[i].quarters == q)
			return (int)i;
	return -1;
}

size_t
ui_session_speed(const ui_session *s)
{
	return s->speed;
}

void
ui_session_set_speed(ui_session *s, size_t i)
{
	if (i < UI_NSPEEDS)
		s->speed = i;
}

int
ui_session_faster(ui_session *s)
{
	if (s->speed + 1 >= UI_NSPEEDS)
		return 0;
	s->speed++;
	return 1;
}

int
ui_session_slower(ui_session *s)
{
	if (s->speed == 0)
		return 0;
	s->speed--;
	return 1;
}
