#include "config.h"

#include "lesson/lesson_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_goal.h"

/* The name programs run under in the simulator: compile and runtime
 * messages then say "main.rs:LINE", which is mapped back to the lesson
 * file's lines. */
#define LESSON_CHECK_NAME "main.rs"

/* A learner's run with lints is run again with the full trace, for the
 * futures' names in the lints' details, when it made at most this many
 * futures (the full trace costs a few hundred bytes a future). */
#define LESSON_CHECK_RERUN_FUTURES 100000

int
lesson_choice_matches(const lesson_quiz *q, size_t i, const lesson_run *run)
{
	const lesson_choice *c = &q->choices[i];
	if (q->kind == LESSON_QUIZ_TIME) {
		uint64_t actual = run->stats.virtual_ns;
		uint64_t d = c->time_ns > actual ? c->time_ns - actual
						 : actual - c->time_ns;
		uint64_t tol = q->tolerance_ns
				       ? q->tolerance_ns
				       : actual / 100 * q->tolerance_pct +
						 actual % 100 * q->tolerance_pct / 100;
		return d <= tol;
	}
	if (q->kind != LESSON_QUIZ_OUTPUT)
		return 0;
	char *got = lesson_output_normalize(run->output, run->output_len,
					    &q->lines);
	char *want = lesson_output_normalize(c->text, strlen(c->text), NULL);
	int same = got && want && strcmp(got, want) == 0;
	free(got);
	free(want);
	return same;
}

/* The first lines of a text, for a message: at most 3 lines and 160
 * bytes, quoted, with "..." when cut. */
static void
lesson_excerpt(const char *text, char *buf, size_t size)
{
	size_t n = 0, lines = 0;
	while (text[n] && n < 160) {
		if (text[n] == '\n' && ++lines == 3)
			break;
		n++;
	}
	char shown[200];
	size_t o = 0;
	for (size_t i = 0; i < n && o + 3 < sizeof shown; i++) {
		if (text[i] == '\n') {
			shown[o++] = '\\';
			shown[o++] = 'n';
		} else {
			shown[o++] = text[i];
		}
	}
	shown[o] = '\0';
	snprintf(buf, size, "\"%s%s\"", shown, text[n] ? "..." : "");
}

/* One program's run, done at most once per check. */
typedef struct lesson_prog_run {
	int done;
	int failed; /* did not compile, or ran out of memory */
	lesson_run run;
} lesson_prog_run;

typedef struct lesson_checker {
	const lesson *l;
	lesson_diags *diags;
	size_t errors;
	lesson_prog_run *runs;
} lesson_checker;

static void lesson_check_error(lesson_checker *c, uint32_t line,
			       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
lesson_check_error(lesson_checker *c, uint32_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lesson_diags_add(c->diags, LESSON_ERROR, c->l->path, line, "%s", msg);
	c->errors++;
}

/* Whether program i has narration (and so needs the full trace). */
static int
lesson_needs_trace(const lesson *l, size_t i)
{
	for (size_t k = 0; k < l->nnarrations; k++)
		if (l->narrations[k].program == i)
			return 1;
	return 0;
}

/* "main.rs:LINE:COL: message" from the simulator, mapped to the file. */
static void
lesson_check_runtime_error(lesson_checker *c, const lesson_program *p,
			   const char *message)
{
	unsigned line = 0, col = 0;
	int used = 0;
	const char *m = message ? message : "";
	if (sscanf(m, LESSON_CHECK_NAME ":%u:%u: %n", &line, &col, &used) == 2 &&
	    used > 0)
		lesson_check_error(c, lesson_program_file_line(p, line),
				   "this program does something a Rust "
				   "compiler would reject: %s",
				   m + used);
	else
		lesson_check_error(c, p->line,
				   "this program does something a Rust "
				   "compiler would reject: %s",
				   m);
}

/* Runs program i (once), reporting compile errors with their lines in
 * the lesson file. NULL if it could not run. */
static const lesson_run *
lesson_check_run(lesson_checker *c, size_t i)
{
	lesson_prog_run *r = &c->runs[i];
	if (r->done)
		return r->failed ? NULL : &r->run;
	r->done = 1;
	const lesson_program *p = &c->l->programs[i];
	lesson_run_options o = {LESSON_CHECK_NAME, p->profile,
				lesson_needs_trace(c->l, i)};
	if (lesson_run_program(p->source, p->len, &o, &r->run) != 0) {
		lesson_diags_add(c->diags, LESSON_ERROR, c->l->path, p->line,
				 "out of memory while running this program");
		c->errors++;
		r->failed = 1;
		return NULL;
	}
	if (!r->run.compiled) {
		for (size_t k = 0; k < r->run.diags.len; k++) {
			const lang_diag *d = &r->run.diags.items[k];
			if (d->severity != LANG_ERROR)
				continue;
			lesson_check_error(
				c,
				d->pos.line ? lesson_program_file_line(p, d->pos.line)
					    : p->line,
				"this program does not compile: %s%s%s%s",
				d->message, d->hint ? " (hint: " : "",
				d->hint ? d->hint : "", d->hint ? ")" : "");
		}
		r->failed = 1;
		return NULL;
	}
	if (r->run.exit_status == 3) {
		lesson_check_runtime_error(c, p, r->run.message);
		r->failed = 1;
		return NULL;
	}
	return &r->run;
}

static void
lesson_check_quiz(lesson_checker *c, const lesson_quiz *q)
{
	if (q->kind == LESSON_QUIZ_CHOICE || q->program >= c->l->nprograms)
		return;
	const lesson_run *run = lesson_check_run(c, q->program);
	if (!run)
		return;
	char got[400], tol[64];
	if (q->kind == LESSON_QUIZ_TIME) {
		lesson_duration_format(run->stats.virtual_ns, got, sizeof got);
		if (q->tolerance_ns)
			lesson_duration_format(q->tolerance_ns, tol, sizeof tol);
		else
			snprintf(tol, sizeof tol, "%u%%",
				 (unsigned)q->tolerance_pct);
	} else {
		char *out = lesson_output_normalize(run->output, run->output_len,
						    &q->lines);
		if (!out) {
			lesson_check_error(c, q->line, "out of memory");
			return;
		}
		char which[64];
		lesson_lines_describe(&q->lines, which, sizeof which);
		char ex[240];
		lesson_excerpt(out, ex, sizeof ex);
		snprintf(got, sizeof got, "%s is %s", which, ex);
		free(out);
	}
	for (size_t i = 0; i < q->nchoices; i++) {
		int matches = lesson_choice_matches(q, i, run);
		const lesson_choice *ch = &q->choices[i];
		if (ch->right && !matches) {
			if (q->kind == LESSON_QUIZ_TIME)
				lesson_check_error(
					c, ch->line,
					"the answer marked right is not what "
					"the program does: it takes %s of "
					"virtual time (a choice counts within "
					"%s of that)",
					got, tol);
			else
				lesson_check_error(
					c, ch->line,
					"the answer marked right is not what "
					"the program prints: %s",
					got);
		} else if (!ch->right && matches) {
			if (q->kind == LESSON_QUIZ_TIME)
				lesson_check_error(
					c, ch->line,
					"this choice is marked wrong, but the "
					"program takes %s of virtual time, "
					"within %s of it; make the wrong "
					"choices further apart",
					got, tol);
			else
				lesson_check_error(
					c, ch->line,
					"this choice is marked wrong, but it "
					"is what the program prints");
		}
	}
}

static void
lesson_check_narration(lesson_checker *c, const lesson_narration *n)
{
	if (n->program >= c->l->nprograms)
		return;
	const lesson_run *run = lesson_check_run(c, n->program);
	if (!run)
		return;
	if (lesson_moment_find(&n->at, run->log) < 0) {
		char what[256];
		lesson_moment_describe(&n->at, what, sizeof what);
		const lesson_program *p = &c->l->programs[n->program];
		if (p->number)
			lesson_check_error(c, n->line,
					   "this moment never happens in the "
					   "run of program %zu (line %u): %s",
					   p->number, (unsigned)p->line, what);
		else
			lesson_check_error(c, n->line,
					   "this moment never happens in the "
					   "run: %s",
					   what);
	}
}

static void
lesson_check_exercise(lesson_checker *c, const lesson_exercise *e)
{
	const lesson_run *start = e->start < c->l->nprograms
					  ? lesson_check_run(c, e->start)
					  : NULL;
	const lesson_run *sol = e->solution < c->l->nprograms
					? lesson_check_run(c, e->solution)
					: NULL;
	char why[512];
	if (start) {
		int all = 1;
		for (size_t g = 0; g < e->ngoals; g++)
			all &= lesson_goal_check(&e->goals[g], start, why,
						 sizeof why);
		if (all)
			lesson_check_error(c, e->line,
					   "the starting code already meets "
					   "every goal, so there is nothing to "
					   "fix; add a goal it fails");
	}
	if (sol) {
		for (size_t g = 0; g < e->ngoals; g++)
			if (!lesson_goal_check(&e->goals[g], sol, why,
					       sizeof why))
				lesson_check_error(c, e->goal_lines[g],
						   "the solution does not meet "
						   "this goal: %s",
						   why);
	}
}

size_t
lesson_check_lesson(const lesson *l, lesson_diags *diags)
{
	lesson_checker c = {l, diags, 0, NULL};
	size_t first_diag = diags->len;
	c.runs = calloc(l->nprograms ? l->nprograms : 1, sizeof *c.runs);
	if (!c.runs) {
		lesson_diags_add(diags, LESSON_ERROR, l->path, 0,
				 "out of memory while checking the lesson");
		return 1;
	}
	/* Every program runs: one that only a real compiler would reject
	 * shows up only when it runs. */
	for (size_t i = 0; i < l->nprograms; i++)
		lesson_check_run(&c, i);
	for (size_t i = 0; i < l->nquizzes; i++)
		lesson_check_quiz(&c, &l->quizzes[i]);
	for (size_t i = 0; i < l->nnarrations; i++)
		lesson_check_narration(&c, &l->narrations[i]);
	for (size_t i = 0; i < l->nexercises; i++)
		lesson_check_exercise(&c, &l->exercises[i]);
	for (size_t i = 0; i < l->nprograms; i++)
		lesson_run_free(&c.runs[i].run);
	free(c.runs);
	lesson_diags_sort(diags, first_diag);
	return c.errors;
}

size_t
lesson_check_course(const char *dir, lesson_diags *diags,
		    void (*progress)(void *ctx, const char *file), void *ctx)
{
	size_t before = diags->nerrors;
	lesson_course *course = lesson_course_open(dir, diags);
	if (!course)
		return diags->nerrors - before;
	if (course->nlessons == 0)
		lesson_diags_add(diags, LESSON_ERROR, dir, 0,
				 "there are no lessons here; a lesson is a "
				 "file named like '01-threads.md'");
	for (size_t i = 0; i < course->nlessons; i++) {
		if (progress)
			progress(ctx, course->lessons[i].file);
		lesson *l = lesson_course_load(course, i, diags);
		if (!l)
			continue;
		lesson_check_lesson(l, diags);
		lesson_free(l);
	}
	lesson_course_free(course);
	return diags->nerrors - before;
}

int
lesson_exercise_check(const lesson *l, size_t exercise, const char *name,
		      const char *code, size_t len, lesson_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (exercise >= l->nexercises)
		return -1;
	const lesson_exercise *e = &l->exercises[exercise];
	const lesson_program *start = &l->programs[e->start];
	lesson_run_options o = {name, start->profile, 0};
	if (lesson_run_program(code, len, &o, &v->run) != 0)
		return -1;
	if (!v->run.compiled)
		return 0;
	/* Without the full trace a lint can name a future only by its
	 * number ("future #2"); the learner deserves "job(1)". Running again
	 * costs little for the small programs of exercises, and the first
	 * run's size says whether it is small. */
	if (trace_lint_fired_count(v->run.lints) > 0 &&
	    v->run.stats.futures <= LESSON_CHECK_RERUN_FUTURES) {
		lesson_run full;
		o.full_trace = 1;
		if (lesson_run_program(code, len, &o, &full) == 0 &&
		    full.compiled) {
			lesson_run_free(&v->run);
			v->run = full;
		} else {
			lesson_run_free(&full);
		}
	}
	v->goals = calloc(e->ngoals ? e->ngoals : 1, sizeof *v->goals);
	if (!v->goals)
		return -1;
	v->ngoals = e->ngoals;
	v->passed = 1;
	for (size_t g = 0; g < e->ngoals; g++) {
		v->goals[g].met = lesson_goal_check(&e->goals[g], &v->run,
						    v->goals[g].why,
						    sizeof v->goals[g].why);
		v->passed &= v->goals[g].met;
	}
	/* Code a compiler would reject is not a pass, whatever it did. */
	if (v->run.exit_status == 3)
		v->passed = 0;
	return 0;
}

void
lesson_verdict_free(lesson_verdict *v)
{
	lesson_run_free(&v->run);
	free(v->goals);
	memset(v, 0, sizeof *v);
}
