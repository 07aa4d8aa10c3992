#include "config.h"

#include "ui/ui_lesson.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lesson/lesson_check.h"
#include "lesson/lesson_course.h"
#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"
#include "lesson/lesson_progress.h"
#include "lesson/lesson_text.h"
#include "ui/tui.h"
#include "ui/ui_diag.h"

#define UI_LESSON_PROG "async-tutorial"

/* The widest a lesson's text is wrapped, even on a wide terminal: long
 * lines are hard to read. */
#define UI_LESSON_MAX_WIDTH 88

/* The largest learner's file `check` reads. */
#define UI_LESSON_MAX_CODE (1024u * 1024u)

typedef struct ui_lesson_ctx {
	const ui_lesson_env *env;
	const char *cmd;
	const char *flag_dir; /* --lessons-dir */
	int plain;            /* --plain */
	int no_run;           /* --no-run */
	int present;          /* --present */
	char *args[4];        /* the positional arguments */
	int nargs;
	char *dir;
	int builtin;
	char *key;
	lesson_course *course;
	lesson_progress *progress;
	size_t current;
	int width;
	int color;
} ui_lesson_ctx;

/* --- messages ---------------------------------------------------------------- */

static void ui_lesson_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A one-line message for the learner on stderr, after what stdout holds. */
static void
ui_lesson_error(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fputs(UI_LESSON_PROG ": ", stderr);
	ui_diag_put_safe(stderr, msg, strlen(msg));
	fputc('\n', stderr);
}

static int
ui_lesson_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
ui_lesson_usage(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ui_lesson_error("%s", msg);
	fputs("Try '" UI_LESSON_PROG " --help'.\n", stderr);
	return 2;
}

static void
ui_lesson_print_diags(const lesson_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->len; i++) {
		char line[2048];
		lesson_diag_format(&d->items[i], line, sizeof line);
		ui_diag_put_safe(out, line, strlen(line));
		fputc('\n', out);
	}
	if (d->no_memory)
		fputs(UI_LESSON_PROG ": out of memory: some problems could "
		      "not be listed\n",
		      out);
}

/* Writes text from a lesson (the teacher's, or a program's output) with
 * its line breaks but nothing else a terminal could act on. */
static void
ui_lesson_put(FILE *out, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		ui_diag_put_safe(out, text, n);
		if (text[n] == '\n')
			fputc('\n', out);
		text += n + (text[n] == '\n');
	}
}

/* Prints text wrapped at the context's width. */
static void
ui_lesson_wrap(const ui_lesson_ctx *c, const char *text, const char *first,
	       const char *rest)
{
	char *w = lesson_text_wrap(text, c->width, first, rest);
	if (w) {
		ui_lesson_put(stdout, w);
		free(w);
	} else {
		fputs(first, stdout);
		ui_lesson_put(stdout, text);
		fputc('\n', stdout);
	}
}

static int
ui_lesson_terminal_width(void)
{
	struct winsize ws;
	int w = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		w = ws.ws_col;
	else if (getenv("COLUMNS"))
		w = atoi(getenv("COLUMNS"));
	if (w <= 0)
		w = 80;
	if (w > UI_LESSON_MAX_WIDTH)
		w = UI_LESSON_MAX_WIDTH;
	if (w < 40)
		w = 40;
	return w - 1;
}

/* --- finding the course ---------------------------------------------------- */

static int
ui_lesson_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

#if defined(ASYNC_TUTORIAL_BUILDDIR) && defined(ASYNC_TUTORIAL_SRCDIR)
/* 1 when this program is the one in its build tree: it then reads the
 * source tree's lessons, so `src/async-tutorial` works straight after
 * `make` with nothing installed. An installed copy is another file. */
static int
ui_lesson_in_build_tree(void)
{
	char *self = realpath("/proc/self/exe", NULL);
	char *built = realpath(ASYNC_TUTORIAL_BUILDDIR "/src/async-tutorial", NULL);
	int same = self && built && strcmp(self, built) == 0;
	free(self);
	free(built);
	return same;
}
#endif

char *
ui_lesson_find_course(const char *flag, int *builtin)
{
	*builtin = 0;
	if (flag)
		return strdup(flag);
	*builtin = 1;
	const char *env = getenv(LESSON_COURSE_ENV);
	if (env && *env)
		return strdup(env);
#if defined(ASYNC_TUTORIAL_BUILDDIR) && defined(ASYNC_TUTORIAL_SRCDIR)
	if (ui_lesson_in_build_tree())
		return strdup(ASYNC_TUTORIAL_SRCDIR "/lessons");
#endif
	return strdup(PKGDATADIR "/lessons");
}

void
ui_lesson_print_help(FILE *out, ui_lesson_help_row row)
{
	fputs("\nThe course: 'lessons' lists it; 'next', 'prev' and 'lesson N' "
	      "show a lesson.\n"
	      "On a terminal it opens in the visualizer, its text beside its "
	      "program's run\n"
	      "(p switches between the text and the source); elsewhere its "
	      "text, quizzes and\n"
	      "exercise are printed, then its program runs as text. Progress "
	      "is saved after\n"
	      "every change in $XDG_STATE_HOME/async-tutorial, your exercise "
	      "code in\n"
	      "$XDG_DATA_HOME/async-tutorial. With no command, on a terminal, "
	      "you are taken\n"
	      "back to your lesson.\n"
	      "\nOptions for the course's commands:\n",
	      out);
	row(out, "--lessons-dir DIR",
	    "use the course in DIR instead of the one installed (it keeps its "
	    "own progress)",
	    NULL);
	row(out, "--plain", "run the lesson's program as plain text", NULL);
	row(out, "--no-run", "show the lesson without running its program",
	    NULL);
	row(out, "--present",
	    "open the lesson in the visualizer for a classroom (see 'run "
	    "--present')",
	    NULL);
}

/* --- loading ------------------------------------------------------------------- */

/* Opens the course and the learner's progress. Returns 0 or an exit
 * status. */
static int
ui_lesson_open(ui_lesson_ctx *c)
{
	c->dir = ui_lesson_find_course(c->flag_dir, &c->builtin);
	if (!c->dir) {
		ui_lesson_error("out of memory");
		return 1;
	}
	if (!ui_lesson_is_dir(c->dir)) {
		if (c->flag_dir)
			ui_lesson_error("'%s' is not a directory of lessons",
					c->dir);
		else
			ui_lesson_error("the course is not installed: there "
					"is no '%s' (set %s to a course "
					"directory, or use --lessons-dir DIR)",
					c->dir, LESSON_COURSE_ENV);
		return 1;
	}
	lesson_diags d;
	lesson_diags_init(&d);
	c->course = lesson_course_open(c->dir, &d);
	if (!c->course) {
		ui_lesson_print_diags(&d, stderr);
		lesson_diags_free(&d);
		return 1;
	}
	lesson_diags_free(&d); /* warnings are for check-course */
	if (c->course->nlessons == 0) {
		ui_lesson_error("the course in '%s' has no lessons yet", c->dir);
		return 1;
	}
	char *state = lesson_state_dir();
	if (!state) {
		ui_lesson_error("cannot keep your progress: set HOME (or "
				"XDG_STATE_HOME) to a directory");
		return 1;
	}
	c->key = lesson_progress_course_key(c->dir, c->builtin);
	char *real = c->builtin ? NULL : realpath(c->dir, NULL);
	char err[1024];
	if (c->key)
		c->progress = lesson_progress_open(
			state, c->key, c->builtin ? "built-in" : real ? real : c->dir,
			err, sizeof err);
	else
		snprintf(err, sizeof err, "out of memory");
	free(real);
	free(state);
	if (!c->progress) {
		ui_lesson_error("%s", err);
		return 1;
	}
	const char *notice = lesson_progress_notice(c->progress);
	if (notice)
		ui_lesson_error("%s", notice);
	const char *cur = lesson_progress_current(c->progress);
	int at = cur ? lesson_course_find(c->course, cur) : -1;
	c->current = at >= 0 ? (size_t)at : 0;
	return 0;
}

static void
ui_lesson_close(ui_lesson_ctx *c)
{
	lesson_progress_free(c->progress);
	lesson_course_free(c->course);
	free(c->key);
	free(c->dir);
}

/* Loads lesson i, printing its problems. */
static lesson *
ui_lesson_load(ui_lesson_ctx *c, size_t i)
{
	lesson_diags d;
	lesson_diags_init(&d);
	lesson *l = lesson_course_load(c->course, i, &d);
	if (!l) {
		ui_lesson_print_diags(&d, stderr);
		ui_lesson_error("lesson %zu has mistakes in it, so it cannot be "
				"shown; its teacher can find them all with '"
				UI_LESSON_PROG " check-course %s'",
				i + 1, c->dir);
	}
	lesson_diags_free(&d);
	return l;
}

static int
ui_lesson_save(ui_lesson_ctx *c)
{
	char err[1024];
	if (lesson_progress_save(c->progress, err, sizeof err) == 0)
		return 0;
	ui_lesson_error("%s", err);
	return 1;
}

/* --- the state of lessons and exercises ------------------------------------------ */

static int
ui_lesson_done(const ui_lesson_ctx *c, size_t i)
{
	return lesson_progress_done(c->progress, c->course->lessons[i].id);
}

/* A lesson can be opened once the one before it is done. */
static int
ui_lesson_locked(const ui_lesson_ctx *c, size_t i)
{
	return i > 0 && i != c->current && !ui_lesson_done(c, i) &&
	       !ui_lesson_done(c, i - 1);
}

static int
ui_lesson_exercise_passed(const ui_lesson_ctx *c, const lesson *l, size_t e)
{
	const lesson_exercise_progress *x =
		lesson_progress_exercise_get(c->progress, l->id, e);
	return x && x->passed;
}

/* The exercise the learner works on: the first not passed, or -1. */
static int
ui_lesson_open_exercise(const ui_lesson_ctx *c, const lesson *l)
{
	for (size_t e = 0; e < l->nexercises; e++)
		if (!ui_lesson_exercise_passed(c, l, e))
			return (int)e;
	return -1;
}

/* --- showing a lesson -------------------------------------------------------------- */

static const char *const ui_lesson_quiz_kinds[] = {
	[LESSON_QUIZ_CHOICE] = "quiz",
	[LESSON_QUIZ_OUTPUT] = "predict the output",
	[LESSON_QUIZ_TIME] = "predict the time",
};

static void
ui_lesson_show_code(const char *code)
{
	const char *p = code;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			fputs("    ", stdout);
		/* Tabs to spaces, since put_safe shows a tab as an escape. */
		for (size_t k = 0; k < n;) {
			size_t run = strcspn(p + k, "\t\n");
			if (run > n - k)
				run = n - k;
			ui_diag_put_safe(stdout, p + k, run);
			k += run;
			if (k < n && p[k] == '\t') {
				fputs("    ", stdout);
				k++;
			}
		}
		fputc('\n', stdout);
		p += n + (p[n] == '\n');
	}
}

static void
ui_lesson_show_quiz(const ui_lesson_ctx *c, const lesson *l, size_t q)
{
	const lesson_quiz *z = &l->quizzes[q];
	char head[64];
	snprintf(head, sizeof head, "Quiz %zu (%s): ", q + 1,
		 ui_lesson_quiz_kinds[z->kind]);
	ui_lesson_wrap(c, z->question, head, "  ");
	for (size_t i = 0; i < z->nchoices; i++) {
		char letter[16];
		snprintf(letter, sizeof letter, "  %c) ", 'a' + (int)i);
		if (z->kind == LESSON_QUIZ_OUTPUT) {
			/* Outputs are shown as they are, never wrapped. */
			const char *p = z->choices[i].text;
			const char *prefix = letter;
			do {
				size_t n = strcspn(p, "\n");
				fputs(prefix, stdout);
				ui_diag_put_safe(stdout, p, n);
				fputc('\n', stdout);
				prefix = "     ";
				p += n + (p[n] == '\n');
			} while (*p);
		} else {
			ui_lesson_wrap(c, z->choices[i].text, letter, "     ");
		}
	}
	int answered = lesson_progress_answer(c->progress, l->id, q);
	if (answered >= 0)
		printf("  You answered %c.\n", 'a' + answered);
	else
		printf("  Answer with: " UI_LESSON_PROG " answer %zu LETTER\n",
		       q + 1);
}

static void
ui_lesson_show_exercise(const ui_lesson_ctx *c, const lesson *l, size_t e)
{
	const lesson_exercise *x = &l->exercises[e];
	char head[64] = "Exercise: ";
	if (l->nexercises > 1)
		snprintf(head, sizeof head, "Exercise %zu: ", e + 1);
	ui_lesson_wrap(c, x->task, head, "  ");
	puts("  It is done when:");
	for (size_t g = 0; g < x->ngoals; g++) {
		char desc[1024];
		lesson_goal_describe(&x->goals[g], desc, sizeof desc);
		ui_lesson_wrap(c, desc, "  - ", "    ");
	}
	if (ui_lesson_exercise_passed(c, l, e)) {
		puts("  You have solved it.");
		return;
	}
	puts("  Work on your own copy of the code: '" UI_LESSON_PROG
	     " edit' opens it in your\n"
	     "  editor, '" UI_LESSON_PROG " check' checks it, '" UI_LESSON_PROG
	     " hint' gives a hint.");
}

/* Prints lesson i: title, then every part in the teacher's order. */
static void
ui_lesson_show(const ui_lesson_ctx *c, const lesson *l, size_t i)
{
	char head[512];
	snprintf(head, sizeof head, "Lesson %zu of %zu: %s", i + 1,
		 c->course->nlessons, l->title);
	ui_diag_put_safe(stdout, head, strlen(head));
	fputc('\n', stdout);
	size_t w = 0;
	for (const char *p = head; *p; p++)
		w += ((unsigned char)*p & 0xc0) != 0x80;
	for (size_t k = 0; k < w && k < (size_t)c->width; k++)
		fputc('=', stdout);
	fputc('\n', stdout);
	for (size_t k = 0; k < l->nitems; k++) {
		const lesson_item *it = &l->items[k];
		switch (it->kind) {
		case LESSON_ITEM_PROSE: {
			const lesson_prose *p = &l->prose[it->index];
			char *t = lesson_text_render(p->markdown,
						     strlen(p->markdown),
						     c->width);
			if (t && *t) {
				fputc('\n', stdout);
				ui_lesson_put(stdout, t);
			}
			free(t);
			break;
		}
		case LESSON_ITEM_PROGRAM: {
			const lesson_program *p = &l->programs[it->index];
			if (p->role == LESSON_ROLE_SOLUTION)
				break; /* hidden until asked for */
			fputc('\n', stdout);
			if (p->role == LESSON_ROLE_PROGRAM && p->number > 1)
				printf("Variant %zu%s%s%s:\n", p->number,
				       p->name ? " (" : "",
				       p->name ? p->name : "",
				       p->name ? ")" : "");
			else if (p->role == LESSON_ROLE_START)
				puts("The starting code:");
			ui_lesson_show_code(p->source);
			break;
		}
		case LESSON_ITEM_QUIZ:
			fputc('\n', stdout);
			ui_lesson_show_quiz(c, l, it->index);
			break;
		case LESSON_ITEM_EXERCISE:
			fputc('\n', stdout);
			ui_lesson_show_exercise(c, l, it->index);
			break;
		default: /* narration is said by the visualizer, during the run */
			break;
		}
	}
	fputc('\n', stdout);
}

/* What ui_lesson_tui makes for one run. */
typedef struct ui_lesson_extras {
	tui_narration *narrations;
	tui_quiz quiz;
	const char **choices;
	char heading[96];
	char *outcome;
} ui_lesson_extras;

void
ui_lesson_tui_free(void *owned)
{
	ui_lesson_extras *x = owned;
	if (!x)
		return;
	free(x->narrations);
	free(x->choices);
	free(x->outcome);
	free(x);
}

/* What the run did, in the words of a prediction's comparison: "printed
 * \"a / b\"" or "took 1.2 s". A new string, NULL if memory ran out. */
static char *
ui_lesson_outcome(const lesson_quiz *z, const ui_session *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	if (z->kind == LESSON_QUIZ_TIME) {
		const sim_result *res = ui_session_result(s);
		char d[64];
		lesson_duration_format(res ? res->stats.virtual_ns : 0, d,
				       sizeof d);
		fprintf(f, "took %s", d);
	} else {
		size_t n = 0;
		const char *text = ui_session_output(s, &n);
		char *norm = lesson_output_normalize(text ? text : "", n,
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

int
ui_lesson_tui(const ui_lesson_view *view, const ui_session *s,
	      tui_options *o, void **owned)
{
	*owned = NULL;
	if (!view)
		return 0;
	o->prose = view->prose;
	const lesson *l = view->lesson;
	if (!l)
		return 0;
	ui_lesson_extras *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	*owned = x;
	const trace_log *log = ui_session_log(s);
	if (l->nnarrations > 0 && log) {
		x->narrations = calloc(l->nnarrations, sizeof *x->narrations);
		if (!x->narrations)
			return -1;
		size_t k = 0;
		for (size_t i = 0; i < l->nnarrations; i++) {
			const lesson_narration *nr = &l->narrations[i];
			if (nr->program != view->program)
				continue;
			int64_t at = lesson_moment_find(&nr->at, log);
			if (at < 0)
				continue; /* check-course reports these */
			x->narrations[k].at = (uint64_t)at;
			x->narrations[k].say = nr->say;
			k++;
		}
		o->narrations = x->narrations;
		o->nnarrations = k;
	}
	if (view->quiz >= 0 && (size_t)view->quiz < l->nquizzes) {
		const lesson_quiz *z = &l->quizzes[view->quiz];
		x->choices = calloc(z->nchoices, sizeof *x->choices);
		if (!x->choices)
			return -1;
		for (size_t i = 0; i < z->nchoices; i++)
			x->choices[i] = z->choices[i].text;
		snprintf(x->heading, sizeof x->heading, "Quiz %d of %zu: %s",
			 view->quiz + 1, l->nquizzes,
			 ui_lesson_quiz_kinds[z->kind]);
		if (z->kind != LESSON_QUIZ_CHOICE &&
		    !(x->outcome = ui_lesson_outcome(z, s)))
			return -1;
		x->quiz.heading = x->heading;
		x->quiz.question = z->question;
		x->quiz.choices = x->choices;
		x->quiz.nchoices = z->nchoices;
		x->quiz.right = z->right;
		x->quiz.explain = z->explain;
		x->quiz.outcome = x->outcome;
		x->quiz.record = view->record;
		x->quiz.ctx = view->record_ctx;
		o->quiz = &x->quiz;
	}
	return 0;
}

/* The lesson's text for the visualizer's pane: its prose blocks, the
 * variants' code and the exercise's task, in the teacher's order; quizzes
 * are left out, since they give away what the run is about to show. A
 * new string, NULL if memory ran out. */
static char *
ui_lesson_pane_text(const lesson *l)
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
		} else if (it->kind == LESSON_ITEM_EXERCISE) {
			fprintf(f, "**Exercise:** %s\n\nWhen you leave the "
				   "visualizer (q): `" UI_LESSON_PROG
				   " edit` opens your copy of the code, `"
				   UI_LESSON_PROG " check` checks it.\n\n",
				l->exercises[it->index].task);
		} else if (it->kind == LESSON_ITEM_QUIZ) {
			fputs("*Before the run, a quiz asks what you expect; "
			      "any other quiz is printed when you leave the "
			      "visualizer (q).*\n\n",
			      f);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* What is left to do after the visualizer: the quizzes and exercises,
 * as `lesson N` prints them on a pipe. */
static void
ui_lesson_show_tasks(const ui_lesson_ctx *c, const lesson *l)
{
	for (size_t k = 0; k < l->nitems; k++) {
		const lesson_item *it = &l->items[k];
		if (it->kind == LESSON_ITEM_QUIZ) {
			fputc('\n', stdout);
			ui_lesson_show_quiz(c, l, it->index);
		} else if (it->kind == LESSON_ITEM_EXERCISE) {
			fputc('\n', stdout);
			ui_lesson_show_exercise(c, l, it->index);
		}
	}
}

/* 1 when the lesson opens in the visualizer: a terminal it can use, and
 * neither --plain nor --no-run. */
static int
ui_lesson_visual(const ui_lesson_ctx *c)
{
	char why[256];
	return !c->plain && !c->no_run && c->env && c->env->run &&
	       tui_available(why, sizeof why);
}

/* The quiz the visualizer asks: which one, and where its answer goes. */
typedef struct ui_lesson_asked {
	ui_lesson_ctx *c;
	const lesson *l;
	size_t quiz;
} ui_lesson_asked;

/* tui_quiz.record: saved at once, as `answer` saves it. */
static int
ui_lesson_record(void *ctx, size_t choice, char *err, size_t errsize)
{
	ui_lesson_asked *a = ctx;
	if (lesson_progress_set_answer(a->c->progress, a->l->id, a->quiz,
				       (int)choice)) {
		snprintf(err, errsize, "Out of memory: your answer was not "
				       "saved.");
		return -1;
	}
	return lesson_progress_save(a->c->progress, err, errsize) ? -1 : 0;
}

/* The first quiz about program p not answered yet, or -1. */
static int
ui_lesson_first_unanswered(const ui_lesson_ctx *c, const lesson *l, size_t p)
{
	for (size_t q = 0; q < l->nquizzes; q++)
		if (l->quizzes[q].program == p &&
		    lesson_progress_answer(c->progress, l->id, q) < 0)
			return (int)q;
	return -1;
}

/* Opens lesson i in the visualizer: the text beside the run. Then prints
 * what is left to do. */
static int
ui_lesson_present_visual(ui_lesson_ctx *c, lesson *l, size_t i)
{
	const lesson_program *p = lesson_main_program(l);
	char *prose = ui_lesson_pane_text(l);
	if (!prose) {
		ui_lesson_error("out of memory");
		return 1;
	}
	char title[512];
	snprintf(title, sizeof title, "Lesson %zu of %zu: %s", i + 1,
		 c->course->nlessons, l->title);
	int status = 0;
	if (p) {
		size_t at = (size_t)(p - l->programs);
		ui_lesson_asked asked = {c, l, 0};
		ui_lesson_view view = {prose,
				       l,
				       at,
				       ui_lesson_first_unanswered(c, l, at),
				       ui_lesson_record,
				       &asked,
				       c->present};
		asked.quiz = view.quiz >= 0 ? (size_t)view.quiz : 0;
		char name[256];
		snprintf(name, sizeof name, "%s.rs", l->id);
		status = c->env->run(c->env->run_ctx, name, p->source, p->len,
				     p->profile, title, 0, &view);
		fflush(stdout);
	}
	free(prose);
	char head[600];
	snprintf(head, sizeof head, "%s", title);
	ui_diag_put_safe(stdout, head, strlen(head));
	fputc('\n', stdout);
	ui_lesson_show_tasks(c, l);
	return status;
}

/* Shows lesson i and runs its program, unless --no-run. */
static int
ui_lesson_present(ui_lesson_ctx *c, size_t i)
{
	lesson *l = ui_lesson_load(c, i);
	if (!l)
		return 1;
	int status = 0;
	if (ui_lesson_visual(c)) {
		status = ui_lesson_present_visual(c, l, i);
		if (i + 1 < c->course->nlessons)
			printf("\nWhen you are ready: '" UI_LESSON_PROG
			       " next'.\n");
		else
			printf("\nThis is the last lesson of the course.\n");
		lesson_free(l);
		return status;
	}
	ui_lesson_show(c, l, i);
	const lesson_program *p = lesson_main_program(l);
	if (!c->no_run && p && c->env && c->env->run) {
		int tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
		if (tty && !c->plain) {
			fputs("Press Enter to watch the program run (q leaves "
			      "the visualizer), or Ctrl-C to stop here. ",
			      stdout);
			fflush(stdout);
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			if (ch == EOF) {
				fputc('\n', stdout);
				lesson_free(l);
				return 0;
			}
		} else {
			puts("The lesson's program runs:");
			fflush(stdout);
		}
		char name[256];
		snprintf(name, sizeof name, "%s.rs", l->id);
		status = c->env->run(c->env->run_ctx, name, p->source, p->len,
				     p->profile, l->title, c->plain, NULL);
		fflush(stdout);
	}
	if (i + 1 < c->course->nlessons)
		printf("\nWhen you are ready: '" UI_LESSON_PROG " next'.\n");
	else
		printf("\nThis is the last lesson of the course.\n");
	lesson_free(l);
	return status;
}

/* Moves the learner to lesson i, saves, and shows it. */
static int
ui_lesson_go(ui_lesson_ctx *c, size_t i)
{
	c->current = i;
	if (lesson_progress_set_current(c->progress, c->course->lessons[i].id)) {
		ui_lesson_error("out of memory");
		return 1;
	}
	int save = ui_lesson_save(c);
	int status = ui_lesson_present(c, i);
	return save ? save : status;
}

/* --- the commands -------------------------------------------------------------- */

static int
ui_lesson_cmd_lessons(ui_lesson_ctx *c)
{
	printf("The course in %s:\n\n", c->dir);
	size_t done = 0;
	for (size_t i = 0; i < c->course->nlessons; i++) {
		lesson_diags d;
		lesson_diags_init(&d);
		lesson *l = lesson_course_load(c->course, i, &d);
		lesson_diags_free(&d);
		const char *mark = ui_lesson_done(c, i)    ? "done"
				   : i == c->current      ? "current"
				   : ui_lesson_locked(c, i) ? "locked"
							    : "open";
		done += ui_lesson_done(c, i);
		char line[512];
		snprintf(line, sizeof line, "%s %2zu  %-8s %s",
			 i == c->current ? ">" : " ", i + 1, mark,
			 l ? l->title : "(this lesson has mistakes; see "
					"check-course)");
		ui_diag_put_safe(stdout, line, strlen(line));
		fputc('\n', stdout);
		lesson_free(l);
	}
	printf("\n%zu of %zu done. '" UI_LESSON_PROG " lesson %zu' shows "
	       "the current one.\n",
	       done, c->course->nlessons, c->current + 1);
	return 0;
}

static int
ui_lesson_cmd_lesson(ui_lesson_ctx *c)
{
	char *end;
	const char *a = c->args[0];
	unsigned long n = strtoul(a, &end, 10);
	if (*a < '0' || *a > '9' || *end || n == 0 ||
	    n > c->course->nlessons)
		return ui_lesson_usage("there is no lesson '%s'; the lessons "
				       "are numbered 1 to %zu",
				       a, c->course->nlessons);
	size_t i = n - 1;
	if (ui_lesson_locked(c, i)) {
		size_t first = 0;
		while (first < i && ui_lesson_done(c, first))
			first++;
		ui_lesson_error("lesson %zu is locked: finish lesson %zu first "
				"('" UI_LESSON_PROG " lesson %zu')",
				i + 1, first + 1, first + 1);
		return 1;
	}
	return ui_lesson_go(c, i);
}

static int
ui_lesson_cmd_next(ui_lesson_ctx *c)
{
	lesson *l = ui_lesson_load(c, c->current);
	if (!l)
		return 1;
	int open = ui_lesson_open_exercise(c, l);
	if (open >= 0) {
		ui_lesson_error("lesson %zu's exercise is not solved yet: "
				"'" UI_LESSON_PROG " check' checks your code, "
				"'" UI_LESSON_PROG " hint' helps",
				c->current + 1);
		lesson_free(l);
		return 1;
	}
	lesson_free(l);
	if (lesson_progress_set_done(c->progress,
				     c->course->lessons[c->current].id, 1)) {
		ui_lesson_error("out of memory");
		return 1;
	}
	if (c->current + 1 >= c->course->nlessons) {
		int save = ui_lesson_save(c);
		puts("That was the last lesson: you have finished the course. "
		     "Well done!");
		return save;
	}
	return ui_lesson_go(c, c->current + 1);
}

static int
ui_lesson_cmd_prev(ui_lesson_ctx *c)
{
	if (c->current == 0) {
		ui_lesson_error("this is the first lesson; '" UI_LESSON_PROG
				" lesson 1' shows it again");
		return 1;
	}
	return ui_lesson_go(c, c->current - 1);
}

static int
ui_lesson_cmd_answer(ui_lesson_ctx *c)
{
	lesson *l = ui_lesson_load(c, c->current);
	if (!l)
		return 1;
	int status = 0;
	char *end;
	unsigned long q = strtoul(c->args[0], &end, 10);
	const char *a = c->args[1];
	if (l->nquizzes == 0) {
		ui_lesson_error("lesson %zu has no quiz", c->current + 1);
		status = 1;
	} else if (*c->args[0] < '0' || *c->args[0] > '9' || *end || q == 0 ||
		   q > l->nquizzes) {
		status = ui_lesson_usage("lesson %zu's quizzes are numbered 1 "
					 "to %zu",
					 c->current + 1, l->nquizzes);
	} else if (strlen(a) != 1 || (a[0] | 0x20) < 'a' ||
		   (size_t)((a[0] | 0x20) - 'a') >= l->quizzes[q - 1].nchoices) {
		status = ui_lesson_usage(
			"answer with the letter of a choice, a to %c",
			'a' + (int)l->quizzes[q - 1].nchoices - 1);
	} else {
		const lesson_quiz *z = &l->quizzes[q - 1];
		int choice = (a[0] | 0x20) - 'a';
		if (lesson_progress_set_answer(c->progress, l->id, q - 1,
					       choice)) {
			ui_lesson_error("out of memory");
			lesson_free(l);
			return 1;
		}
		if ((size_t)choice == z->right)
			puts("Right!");
		else
			printf("Not quite: the answer is %c.\n",
			       'a' + (int)z->right);
		if (z->explain)
			ui_lesson_wrap(c, z->explain, "", "");
		if (z->kind != LESSON_QUIZ_CHOICE)
			puts("Run the lesson's program to see it happen: '"
			     UI_LESSON_PROG " lesson N'.");
		status = ui_lesson_save(c);
	}
	lesson_free(l);
	return status;
}

/* The current lesson and its open exercise (the last one once all are
 * solved), for the exercise commands. Returns 0 or an exit status. */
static int
ui_lesson_exercise(ui_lesson_ctx *c, lesson **lp, size_t *ep, char **path)
{
	lesson *l = ui_lesson_load(c, c->current);
	if (!l)
		return 1;
	if (l->nexercises == 0) {
		ui_lesson_error("lesson %zu has no exercise; '" UI_LESSON_PROG
				" next' moves on",
				c->current + 1);
		lesson_free(l);
		return 1;
	}
	int open = ui_lesson_open_exercise(c, l);
	size_t e = open >= 0 ? (size_t)open : l->nexercises - 1;
	char *data = lesson_data_dir();
	if (!data) {
		ui_lesson_error("cannot keep your code: set HOME (or "
				"XDG_DATA_HOME) to a directory");
		lesson_free(l);
		return 1;
	}
	*path = lesson_code_path(data, c->key, l->id, e);
	free(data);
	if (!*path) {
		ui_lesson_error("out of memory");
		lesson_free(l);
		return 1;
	}
	*lp = l;
	*ep = e;
	return 0;
}

/* Makes sure the learner's copy exists. Returns 0 or an exit status. */
static int
ui_lesson_ensure_copy(const lesson *l, size_t e, const char *path)
{
	const lesson_program *start = &l->programs[l->exercises[e].start];
	int created;
	char err[1024];
	if (lesson_code_ensure(path, start->source, start->len, &created, err,
			       sizeof err)) {
		ui_lesson_error("%s", err);
		return 1;
	}
	if (created)
		printf("Your copy of the starting code is %s.\n", path);
	return 0;
}

static int
ui_lesson_cmd_check(ui_lesson_ctx *c)
{
	lesson *l;
	size_t e;
	char *path;
	int status = ui_lesson_exercise(c, &l, &e, &path);
	if (status)
		return status;
	const lesson_exercise *x = &l->exercises[e];
	char *code = NULL;
	size_t len = 0;
	char err[1024];
	if ((status = ui_lesson_ensure_copy(l, e, path)) != 0 ||
	    lesson_read_file(path, UI_LESSON_MAX_CODE, &code, &len, err,
			     sizeof err) != 0) {
		if (!status)
			ui_lesson_error("%s", err);
		free(path);
		lesson_free(l);
		return 1;
	}
	lesson_verdict v;
	if (lesson_exercise_check(l, e, path, code, len, &v) != 0) {
		ui_lesson_error("out of memory while checking your code");
		lesson_verdict_free(&v);
		free(code);
		free(path);
		lesson_free(l);
		return 1;
	}
	printf("Checking %s\n", path);
	ui_lesson_wrap(c, x->task, "The exercise: ", "  ");
	if (!v.run.compiled) {
		fflush(stdout);
		ui_source src = {path, code, len};
		ui_diag_print_all(stderr, &src, &v.run.diags, c->color);
		puts("\nYour code does not compile yet; the compiler's "
		     "messages above say where.");
	} else {
		size_t met = 0;
		for (size_t g = 0; g < v.ngoals; g++) {
			char desc[1024];
			lesson_goal_describe(&x->goals[g], desc, sizeof desc);
			ui_lesson_wrap(c, desc, v.goals[g].met ? "[x] " : "[ ] ",
				       "    ");
			ui_lesson_wrap(c, v.goals[g].why, "    ", "    ");
			met += v.goals[g].met;
		}
		if (v.run.exit_status == 3 && v.run.message)
			ui_lesson_wrap(c, v.run.message,
				       "A compiler would reject this code: ",
				       "    ");
		if (!v.passed)
			printf("\n%zu of %zu goals met.\n", met, v.ngoals);
	}
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	if (!xp) {
		ui_lesson_error("out of memory");
		status = 1;
	} else if (v.passed) {
		xp->passed = 1;
		int all = ui_lesson_open_exercise(c, l) < 0;
		if (all)
			lesson_progress_set_done(c->progress, l->id, 1);
		puts("\nWell done: every goal is met.");
		if (all && c->current + 1 < c->course->nlessons)
			printf("Lesson %zu is done; '" UI_LESSON_PROG " next' "
			       "opens lesson %zu.\n",
			       c->current + 1, c->current + 2);
		else if (all)
			puts("That was the course's last exercise.");
		else
			puts("'" UI_LESSON_PROG " check' now checks the "
			     "lesson's next exercise.");
		status = ui_lesson_save(c);
	} else {
		if (!xp->passed)
			xp->tries++;
		if (xp->hints < x->nhints)
			puts("'" UI_LESSON_PROG " hint' gives a hint.");
		if (xp->tries >= x->tries && !xp->solution_seen)
			puts("If you are stuck, '" UI_LESSON_PROG
			     " solution' shows an answer.");
		status = ui_lesson_save(c);
		if (!status)
			status = 1;
	}
	lesson_verdict_free(&v);
	free(code);
	free(path);
	lesson_free(l);
	return status;
}

static int
ui_lesson_cmd_hint(ui_lesson_ctx *c)
{
	lesson *l;
	size_t e;
	char *path;
	int status = ui_lesson_exercise(c, &l, &e, &path);
	if (status)
		return status;
	free(path);
	const lesson_exercise *x = &l->exercises[e];
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	if (!xp) {
		ui_lesson_error("out of memory");
		status = 1;
	} else if (x->nhints == 0) {
		puts("This exercise has no hints. Read the goals again: '"
		     UI_LESSON_PROG " check' says which ones are not met.");
	} else if (xp->hints < x->nhints) {
		char head[64];
		snprintf(head, sizeof head, "Hint %u of %zu: ", xp->hints + 1,
			 x->nhints);
		ui_lesson_wrap(c, x->hints[xp->hints], head, "  ");
		xp->hints++;
		status = ui_lesson_save(c);
	} else {
		puts("That was the last hint. Here they all are again:");
		for (size_t h = 0; h < x->nhints; h++) {
			char head[32];
			snprintf(head, sizeof head, "%zu. ", h + 1);
			ui_lesson_wrap(c, x->hints[h], head, "   ");
		}
	}
	lesson_free(l);
	return status;
}

static int
ui_lesson_cmd_reset(ui_lesson_ctx *c)
{
	lesson *l;
	size_t e;
	char *path;
	int status = ui_lesson_exercise(c, &l, &e, &path);
	if (status)
		return status;
	const lesson_program *start = &l->programs[l->exercises[e].start];
	char err[1024];
	struct stat st;
	int had = stat(path, &st) == 0;
	if (lesson_code_reset(path, start->source, start->len, err,
			      sizeof err)) {
		ui_lesson_error("%s", err);
		status = 1;
	} else if (had) {
		printf("%s holds the starting code again; your version is "
		       "kept as %s~.\n",
		       path, path);
	} else {
		printf("%s holds the starting code.\n", path);
	}
	free(path);
	lesson_free(l);
	return status;
}

static int
ui_lesson_cmd_solution(ui_lesson_ctx *c)
{
	lesson *l;
	size_t e;
	char *path;
	int status = ui_lesson_exercise(c, &l, &e, &path);
	if (status)
		return status;
	free(path);
	const lesson_exercise *x = &l->exercises[e];
	lesson_exercise_progress *xp =
		lesson_progress_exercise(c->progress, l->id, e);
	if (!xp) {
		ui_lesson_error("out of memory");
		status = 1;
	} else if (!xp->passed && !xp->solution_seen && xp->tries < x->tries) {
		unsigned left = x->tries - xp->tries;
		ui_lesson_error("the solution opens after %u more failed "
				"check%s; try '" UI_LESSON_PROG " hint' first",
				left, left == 1 ? "" : "s");
		status = 1;
	} else {
		puts("One solution (yours may differ and still meet every "
		     "goal):\n");
		ui_lesson_show_code(l->programs[x->solution].source);
		xp->solution_seen = 1;
		status = ui_lesson_save(c);
	}
	lesson_free(l);
	return status;
}

static int
ui_lesson_cmd_edit(ui_lesson_ctx *c)
{
	lesson *l;
	size_t e;
	char *path;
	int status = ui_lesson_exercise(c, &l, &e, &path);
	if (status)
		return status;
	if ((status = ui_lesson_ensure_copy(l, e, path)) != 0) {
		free(path);
		lesson_free(l);
		return status;
	}
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if ((!editor || !*editor) && !isatty(STDIN_FILENO)) {
		ui_lesson_error("set VISUAL or EDITOR to your editor, or edit "
				"%s with any editor",
				path);
		free(path);
		lesson_free(l);
		return 1;
	}
	if (!editor || !*editor)
		editor = "vi";
	fflush(stdout);
	/* Through the shell, as git does, so that EDITOR may hold
	 * arguments ("code --wait"); the file name is passed as $1 so no
	 * quoting of it is needed. */
	size_t n = strlen(editor) + 8;
	char *script = malloc(n);
	pid_t pid = script ? fork() : -1;
	if (script && pid == 0) {
		snprintf(script, n, "%s \"$1\"", editor);
		execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
		_exit(127);
	}
	int wst = 0;
	if (pid < 0) {
		ui_lesson_error("cannot start the editor: %s", strerror(errno));
		status = 1;
	} else {
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
			ui_lesson_error("the editor '%s' did not finish well "
					"(%s %d); your file is %s",
					editor,
					WIFEXITED(wst) ? "exit status"
						       : "signal",
					WIFEXITED(wst) ? WEXITSTATUS(wst)
						       : WTERMSIG(wst),
					path);
			status = 1;
		} else {
			puts("Saved? '" UI_LESSON_PROG " check' checks it.");
		}
	}
	free(script);
	free(path);
	lesson_free(l);
	return status;
}

static void
ui_lesson_progress_line(void *ctx, const char *file)
{
	(void)ctx;
	(void)file;
}

static int
ui_lesson_cmd_check_course(ui_lesson_ctx *c)
{
	const char *dir = c->args[0];
	lesson_diags d;
	lesson_diags_init(&d);
	lesson_course *course = lesson_course_open(dir, &d);
	size_t nlessons = course ? course->nlessons : 0;
	lesson_course_free(course);
	lesson_diags_free(&d);
	lesson_diags_init(&d);
	size_t errors = lesson_check_course(dir, &d, ui_lesson_progress_line,
					    NULL);
	ui_lesson_print_diags(&d, stderr);
	int bad = errors > 0 || d.nerrors > 0 || d.no_memory;
	lesson_diags_free(&d);
	if (bad) {
		fprintf(stderr, "%s: %zu problem%s found.\n", dir, errors,
			errors == 1 ? "" : "s");
		return 1;
	}
	printf("%s: %zu lesson%s, all sound.\n", dir, nlessons,
	       nlessons == 1 ? "" : "s");
	return 0;
}

/* --- the table ------------------------------------------------------------------ */

typedef struct ui_lesson_cmd {
	const char *name;
	int nargs;          /* positional arguments it takes */
	const char *usage;  /* for messages */
	int needs_course;   /* opens the course and progress */
	int (*fn)(ui_lesson_ctx *c);
} ui_lesson_cmd;

static const ui_lesson_cmd ui_lesson_cmds[] = {
	{"lessons", 0, "lessons", 1, ui_lesson_cmd_lessons},
	{"next", 0, "next", 1, ui_lesson_cmd_next},
	{"prev", 0, "prev", 1, ui_lesson_cmd_prev},
	{"lesson", 1, "lesson N", 1, ui_lesson_cmd_lesson},
	{"answer", 2, "answer QUIZ LETTER", 1, ui_lesson_cmd_answer},
	{"check", 0, "check", 1, ui_lesson_cmd_check},
	{"hint", 0, "hint", 1, ui_lesson_cmd_hint},
	{"reset", 0, "reset", 1, ui_lesson_cmd_reset},
	{"solution", 0, "solution", 1, ui_lesson_cmd_solution},
	{"edit", 0, "edit", 1, ui_lesson_cmd_edit},
	{"check-course", 1, "check-course DIR", 0, ui_lesson_cmd_check_course},
};

#define UI_LESSON_NCMDS (sizeof ui_lesson_cmds / sizeof ui_lesson_cmds[0])

/* Options: --lessons-dir DIR (or =DIR), --plain, --no-run, --help. */
static int
ui_lesson_parse(ui_lesson_ctx *c, const ui_lesson_cmd *cmd, int argc,
		char **argv, int *done)
{
	*done = 0;
	int only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			if (c->nargs >= cmd->nargs)
				return ui_lesson_usage(
					"'%s' takes %s (got '%s' too)",
					cmd->name,
					cmd->nargs == 0 ? "no arguments"
					: cmd->nargs == 1 ? "one argument"
							  : "two arguments",
					a);
			c->args[c->nargs++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			only_args = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			*done = 1;
			return 0;
		} else if (strcmp(a, "--plain") == 0) {
			c->plain = 1;
		} else if (strcmp(a, "--no-run") == 0) {
			c->no_run = 1;
		} else if (strcmp(a, "--present") == 0) {
			c->present = 1;
		} else if (strcmp(a, "--lessons-dir") == 0 ||
			   strncmp(a, "--lessons-dir=", 14) == 0) {
			if (a[13] == '=')
				c->flag_dir = a + 14;
			else if (i + 1 < argc)
				c->flag_dir = argv[++i];
			else
				return ui_lesson_usage(
					"the option '--lessons-dir' needs a "
					"value: --lessons-dir DIR");
			if (!*c->flag_dir)
				return ui_lesson_usage(
					"--lessons-dir needs a directory");
		} else {
			return ui_lesson_usage("unknown option '%s' for '%s'",
					       a, cmd->name);
		}
	}
	if (c->nargs < cmd->nargs)
		return ui_lesson_usage("usage: " UI_LESSON_PROG " %s",
				       cmd->usage);
	return 0;
}

int
ui_lesson_command(int argc, char **argv, const ui_lesson_env *env)
{
	const ui_lesson_cmd *cmd = NULL;
	for (size_t i = 0; i < UI_LESSON_NCMDS; i++)
		if (strcmp(argv[0], ui_lesson_cmds[i].name) == 0)
			cmd = &ui_lesson_cmds[i];
	if (!cmd)
		return ui_lesson_usage("there is no command '%s'", argv[0]);
	ui_lesson_ctx c;
	memset(&c, 0, sizeof c);
	c.env = env;
	c.cmd = cmd->name;
	c.width = ui_lesson_terminal_width();
	c.color = ui_diag_want_color(stderr, 0);
	int help;
	int status = ui_lesson_parse(&c, cmd, argc, argv, &help);
	if (status || help)
		return help ? -1 : status;
	if (cmd->needs_course && (status = ui_lesson_open(&c)) != 0) {
		ui_lesson_close(&c);
		return status;
	}
	status = cmd->fn(&c);
	ui_lesson_close(&c);
	return status;
}

int
ui_lesson_resume(const ui_lesson_env *env)
{
	ui_lesson_ctx c;
	memset(&c, 0, sizeof c);
	c.env = env;
	c.cmd = "";
	/* On a terminal the lesson opens in the visualizer, as `lesson N`
	 * opens it; where it cannot, it is only printed (a resumed lesson
	 * does not run its program as text). */
	c.no_run = !ui_lesson_visual(&c);
	c.width = ui_lesson_terminal_width();
	c.color = ui_diag_want_color(stderr, 0);
	int status = ui_lesson_open(&c);
	if (!status) {
		if (!lesson_progress_current(c.progress))
			printf("Welcome to the course: it starts here.\n\n");
		else
			printf("Welcome back: you are at lesson %zu.\n\n",
			       c.current + 1);
		status = ui_lesson_present(&c, c.current);
		printf("'" UI_LESSON_PROG " lesson %zu' shows this lesson "
		       "again and runs its program;\n"
		       "'" UI_LESSON_PROG " lessons' lists the course; '"
		       UI_LESSON_PROG " --help' lists every command.\n",
		       c.current + 1);
	}
	ui_lesson_close(&c);
	return status;
}
