#include "config.h"

#include "ui/ui_course.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the course and its progress ------------------------------------------- */

ui_course *
ui_course_open(const char *dir, int builtin, lesson_diags *diags, char *err,
	       size_t errsize)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "'%s' is not a directory of lessons",
			 dir);
		return NULL;
	}
	ui_course *c = calloc(1, sizeof *c);
	if (!c || !(c->dir = strdup(dir))) {
		free(c);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	c->builtin = builtin;
	c->course = lesson_course_open(dir, diags);
	if (!c->course) {
		snprintf(err, errsize, "the course in '%s' cannot be opened",
			 dir);
		ui_course_free(c);
		return NULL;
	}
	if (c->course->nlessons == 0) {
		snprintf(err, errsize, "the course in '%s' has no lessons yet",
			 dir);
		ui_course_free(c);
		return NULL;
	}
	char *state = lesson_state_dir();
	if (!state) {
		snprintf(err, errsize, "cannot keep your progress: set HOME (or "
				       "XDG_STATE_HOME) to a directory");
		ui_course_free(c);
		return NULL;
	}
	c->key = lesson_progress_course_key(dir, builtin);
	char *real = builtin ? NULL : realpath(dir, NULL);
	if (c->key)
		c->progress = lesson_progress_open(
			state, c->key, builtin ? "built-in" : real ? real : dir,
			err, errsize);
	else
		snprintf(err, errsize, "out of memory");
	free(real);
	free(state);
	if (!c->progress) {
		ui_course_free(c);
		return NULL;
	}
	const char *cur = lesson_progress_current(c->progress);
	int at = cur ? lesson_course_find(c->course, cur) : -1;
	c->current = at >= 0 ? (size_t)at : 0;
	return c;
}

void
ui_course_free(ui_course *c)
{
	if (!c)
		return;
	lesson_progress_free(c->progress);
	lesson_course_free(c->course);
	free(c->key);
	free(c->dir);
	free(c);
}

int
ui_course_save(ui_course *c, char *err, size_t errsize)
{
	return lesson_progress_save(c->progress, err, errsize) ? -1 : 0;
}

lesson *
ui_course_load(const ui_course *c, size_t i, lesson_diags *diags)
{
	return lesson_course_load(c->course, i, diags);
}

int
ui_course_index(const ui_course *c, const lesson *l)
{
	return l && l->id ? lesson_course_find(c->course, l->id) : -1;
}

int
ui_course_done(const ui_course *c, size_t i)
{
	return lesson_progress_done(c->progress, c->course->lessons[i].id);
}

int
ui_course_locked(const ui_course *c, size_t i)
{
	return i > 0 && i != c->current && !ui_course_done(c, i) &&
	       !ui_course_done(c, i - 1);
}

int
ui_course_set_current(ui_course *c, size_t i, char *err, size_t errsize)
{
	c->current = i;
	if (lesson_progress_set_current(c->progress, c->course->lessons[i].id)) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	return ui_course_save(c, err, errsize);
}

/* ---- quizzes ------------------------------------------------------------------ */

int
ui_course_answer_of(const ui_course *c, const lesson *l, size_t q)
{
	return lesson_progress_answer(c->progress, l->id, q);
}

int
ui_course_answer(ui_course *c, const lesson *l, size_t q, size_t choice,
		 char *err, size_t errsize)
{
	if (lesson_progress_set_answer(c->progress, l->id, q, (int)choice)) {
		snprintf(err, errsize, "Out of memory: your answer was not "
				       "saved.");
		return -1;
	}
	return ui_course_save(c, err, errsize);
}

/* ---- exercises ------------------------------------------------------------------ */

int
ui_course_exercise_passed(const ui_course *c, const lesson *l, size_t e)
{
	const lesson_exercise_progress *x =
		lesson_progress_exercise_get(c->progress, l->id, e);
	return x && x->passed;
}

int
ui_course_open_exercise(const ui_course *c, const lesson *l)
{
	for (size_t e = 0; e < l->nexercises; e++)
		if (!ui_course_exercise_passed(c, l, e))
			return (int)e;
	return -1;
}

int
ui_course_exercise(const ui_course *c, const lesson *l, size_t *e,
		   char **path, char *err, size_t errsize)
{
	*path = NULL;
	if (l->nexercises == 0)
		return 1;
	int open = ui_course_open_exercise(c, l);
	*e = open >= 0 ? (size_t)open : l->nexercises - 1;
	char *data = lesson_data_dir();
	if (!data) {
		snprintf(err, errsize, "cannot keep your code: set HOME (or "
				       "XDG_DATA_HOME) to a directory");
		return -1;
	}
	*path = lesson_code_path(data, c->key, l->id, *e);
	free(data);
	if (!*path) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	return 0;
}

int
ui_course_ensure_copy(const lesson *l, size_t e, const char *path,
		      int *created, char *err, size_t errsize)
{
	const lesson_program *start = &l->programs[l->exercises[e].start];
	return lesson_code_ensure(path, start->source, start->len, created, err,
				  errsize)
		       ? -1
		       : 0;
}

int
ui_course_check(ui_course *c, const lesson *l, size_t e, const char *path,
		ui_course_checked *r, char *err, size_t errsize)
{
	memset(r, 0, sizeof *r);
	r->saved = 1;
	if (ui_course_ensure_copy(l, e, path, &r->created, err, errsize) ||
	    lesson_read_file(path, UI_COURSE_MAX_CODE, &r->code, &r->len, err,
			     errsize))
		return -1;
	if (lesson_exercise_check(l, e, path, r->code, r->len, &r->v) != 0) {
		snprintf(err, errsize, "out of memory while checking your code");
		return -1;
	}
	for (size_t g = 0; g < r->v.ngoals; g++)
		r->met += r->v.goals[g].met;
	const lesson_exercise *x = &l->exercises[e];
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	if (!xp) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (r->v.passed) {
		xp->passed = 1;
		if (ui_course_open_exercise(c, l) < 0) {
			r->lesson_done = 1;
			if (lesson_progress_set_done(c->progress, l->id, 1)) {
				snprintf(err, errsize, "out of memory");
				return -1;
			}
		}
	} else if (!xp->passed) {
		xp->tries++;
	}
	r->more_hints = xp->hints < x->nhints;
	r->solution_open = !r->v.passed && xp->tries >= x->tries &&
			   !xp->solution_seen;
	if (ui_course_save(c, err, errsize))
		r->saved = 0;
	return 0;
}

void
ui_course_checked_free(ui_course_checked *r)
{
	lesson_verdict_free(&r->v); /* safe on a zeroed verdict */
	free(r->code);
	memset(r, 0, sizeof *r);
}

int
ui_course_hint(ui_course *c, const lesson *l, size_t e, size_t *given,
	       char *err, size_t errsize)
{
	const lesson_exercise *x = &l->exercises[e];
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	if (!xp) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (xp->hints >= x->nhints) {
		*given = x->nhints;
		return 0;
	}
	*given = xp->hints++;
	return ui_course_save(c, err, errsize);
}

int
ui_course_solution(ui_course *c, const lesson *l, size_t e, unsigned *left,
		   char *err, size_t errsize)
{
	const lesson_exercise *x = &l->exercises[e];
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	*left = 0;
	if (errsize)
		err[0] = '\0';
	if (!xp) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (!xp->passed && !xp->solution_seen && xp->tries < x->tries) {
		*left = x->tries - xp->tries;
		return 0;
	}
	/* Shown even if the progress cannot be saved (a full disk): the
	 * learner asked for it and may have it. */
	xp->solution_seen = 1;
	(void)ui_course_save(c, err, errsize);
	return 1;
}

int
ui_course_reset(const lesson *l, size_t e, const char *path, int *had,
		char *err, size_t errsize)
{
	const lesson_program *start = &l->programs[l->exercises[e].start];
	struct stat st;
	*had = stat(path, &st) == 0;
	return lesson_code_reset(path, start->source, start->len, err, errsize)
		       ? -1
		       : 0;
}

const char *
ui_course_editor(void)
{
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	return editor && *editor ? editor : NULL;
}

/* ---- what the visualizer shows -------------------------------------------------- */

static const char *const ui_course_quiz_kinds[] = {
	[LESSON_QUIZ_CHOICE] = "choose one",
	[LESSON_QUIZ_OUTPUT] = "predict the output",
	[LESSON_QUIZ_TIME] = "predict the time",
};

const char *
ui_course_quiz_kind(const lesson_quiz *z)
{
	return ui_course_quiz_kinds[z->kind];
}

size_t
ui_course_quiz_heading(const lesson *l, size_t q, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "Quiz %zu of %zu: %s", q + 1,
				l->nquizzes,
				ui_course_quiz_kinds[l->quizzes[q].kind]);
}

int
ui_course_program_number(const lesson *l, size_t n)
{
	for (size_t i = 0; i < l->nprograms; i++)
		if (l->programs[i].role == LESSON_ROLE_PROGRAM &&
		    l->programs[i].number == n)
			return (int)i;
	return -1;
}

size_t
ui_course_program_count(const lesson *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nprograms; i++)
		n += l->programs[i].role == LESSON_ROLE_PROGRAM;
	return n;
}

/* The lesson's text for the visualizer's pane: its prose blocks, the
 * variants' names and the exercise's task, in the teacher's order;
 * quizzes are left out, since they give away what the run is about to
 * show (the visualizer asks them in a box). */
static char *
ui_course_pane_text(const lesson *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t k = 0; k < l->nitems; k++) {
		const lesson_item *it = &l->items[k];
		if (it->kind == LESSON_ITEM_PROSE) {
			fprintf(f, "%s\n\n", l->prose[it->index].markdown);
		} else if (it->kind == LESSON_ITEM_PROGRAM) {
			const lesson_program *p = &l->programs[it->index];
			if (p->role != LESSON_ROLE_PROGRAM || p->number < 2)
				continue;
			fprintf(f, "*Variant %zu%s%s%s: `v` or `:program %zu` "
				   "runs it.*\n\n",
				p->number, p->name ? " (" : "",
				p->name ? p->name : "", p->name ? ")" : "",
				p->number);
		} else if (it->kind == LESSON_ITEM_EXERCISE) {
			fprintf(f, "**Exercise:** %s\n\n`:edit` opens your "
				   "copy of the code in your editor, `:check` "
				   "checks it, `:hint` gives a hint.\n\n",
				l->exercises[it->index].task);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
ui_course_show_make(const ui_course *c, const lesson *l, size_t program,
		    const trace_log *log, ui_course_show *out)
{
	memset(out, 0, sizeof *out);
	if (!(out->prose = ui_course_pane_text(l)))
		return -1;
	if (l->nnarrations > 0 && log) {
		out->narrations = calloc(l->nnarrations, sizeof *out->narrations);
		if (!out->narrations)
			return -1;
		for (size_t i = 0; i < l->nnarrations; i++) {
			const lesson_narration *nr = &l->narrations[i];
			if (nr->program != program)
				continue;
			int64_t at = lesson_moment_find(&nr->at, log);
			if (at < 0)
				continue; /* check-course reports these */
			out->narrations[out->nnarrations].at = (uint64_t)at;
			out->narrations[out->nnarrations].say = nr->say;
			out->nnarrations++;
		}
	}
	if (l->nquizzes > 0) {
		out->quizzes = calloc(l->nquizzes, sizeof *out->quizzes);
		if (!out->quizzes)
			return -1;
		for (size_t q = 0; q < l->nquizzes; q++)
			if (l->quizzes[q].program == program &&
			    (!c || ui_course_answer_of(c, l, q) < 0))
				out->quizzes[out->nquizzes++] = q;
	}
	return 0;
}

void
ui_course_show_free(ui_course_show *s)
{
	free(s->prose);
	free(s->narrations);
	free(s->quizzes);
	memset(s, 0, sizeof *s);
}

char *
ui_course_outcome(const lesson_quiz *z, uint64_t virtual_ns,
		  const char *output, size_t len)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	if (!f)
		return NULL;
	if (z->kind == LESSON_QUIZ_TIME) {
		char d[64];
		lesson_duration_format(virtual_ns, d, sizeof d);
		fprintf(f, "took %s", d);
	} else {
		char *norm = lesson_output_normalize(output ? output : "", len,
						     &z->lines);
		fputs("printed \"", f);
		for (const char *p = norm ? norm : ""; *p; p++)
			if (*p == '\n')
				fputs(" / ", f);
			else
				fputc(*p, f);
		fputc('"', f);
		free(norm);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
