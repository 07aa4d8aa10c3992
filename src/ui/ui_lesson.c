#include "config.h"

#include "ui/ui_lesson.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
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
#include "ui/ui_course.h"
#include "ui/ui_diag.h"

#define UI_LESSON_PROG "async-tutorial"

/* The widest a lesson's text is wrapped, even on a wide terminal: long
 * lines are hard to read. */
#define UI_LESSON_MAX_WIDTH 88

typedef struct ui_lesson_ctx {
	const ui_lesson_env *env;
	const char *cmd;
	const char *flag_dir; /* --lessons-dir */
	int plain;            /* --plain */
	int no_run;           /* --no-run */
	int present;          /* --present */
	int ascii;            /* --ascii */
	int no_color;         /* --no-color */
	char *args[4];        /* the positional arguments */
	int nargs;
	char *dir;      /* the course directory, found */
	ui_course *uc;  /* the course and the learner's progress */
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
	      "(p switches between the text and the source), its quizzes "
	      "asked before the\n"
	      "run; there v runs its variants and :edit, :check, :hint work "
	      "on its exercise.\n"
	      "Elsewhere its text, quizzes and exercise are printed, then its "
	      "program runs\n"
	      "as text. Progress is saved after every change, in\n"
	      "$XDG_STATE_HOME/async-tutorial; your exercise code in\n"
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
	    "--present'); any lesson opens, even one still locked",
	    NULL);
	row(out, "--ascii, --no-color",
	    "draw the visualizer with ASCII only, or without colour (as for "
	    "'run')",
	    NULL);
}

/* --- loading ------------------------------------------------------------------- */

/* Opens the course and the learner's progress. Returns 0 or an exit
 * status. */
static int
ui_lesson_open(ui_lesson_ctx *c)
{
	int builtin;
	c->dir = ui_lesson_find_course(c->flag_dir, &builtin);
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
	char err[1024];
	c->uc = ui_course_open(c->dir, builtin, &d, err, sizeof err);
	/* Only errors: warnings are for check-course. */
	if (!c->uc) {
		if (d.nerrors > 0 || d.no_memory)
			ui_lesson_print_diags(&d, stderr);
		else
			ui_lesson_error("%s", err);
		lesson_diags_free(&d);
		return 1;
	}
	lesson_diags_free(&d);
	const char *notice = lesson_progress_notice(c->uc->progress);
	if (notice)
		ui_lesson_error("%s", notice);
	return 0;
}

static void
ui_lesson_close(ui_lesson_ctx *c)
{
	ui_course_free(c->uc);
	free(c->dir);
}

/* Loads lesson i, printing its problems. */
static lesson *
ui_lesson_load(ui_lesson_ctx *c, size_t i)
{
	lesson_diags d;
	lesson_diags_init(&d);
	lesson *l = lesson_course_load(c->uc->course, i, &d);
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
	if (lesson_progress_save(c->uc->progress, err, sizeof err) == 0)
		return 0;
	ui_lesson_error("%s", err);
	return 1;
}

/* --- the state of lessons and exercises ------------------------------------------ */

static int
ui_lesson_done(const ui_lesson_ctx *c, size_t i)
{
	return ui_course_done(c->uc, i);
}

static int
ui_lesson_locked(const ui_lesson_ctx *c, size_t i)
{
	return ui_course_locked(c->uc, i);
}

static int
ui_lesson_exercise_passed(const ui_lesson_ctx *c, const lesson *l, size_t e)
{
	return ui_course_exercise_passed(c->uc, l, e);
}

static int
ui_lesson_open_exercise(const ui_lesson_ctx *c, const lesson *l)
{
	return ui_course_open_exercise(c->uc, l);
}

/* --- showing a lesson -------------------------------------------------------------- */

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
		 ui_course_quiz_kind(z));
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
	int answered = lesson_progress_answer(c->uc->progress, l->id, q);
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
		 c->uc->course->nlessons, l->title);
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

int
ui_lesson_tui(const ui_lesson_view *view, ui_session *s, tui_options *o)
{
	(void)o;
	if (!view || !view->course || !view->lesson)
		return 0;
	/* `:lesson N` and the exercise commands use this course and this
	 * progress, not one of their own. */
	int rc = ui_session_set_course_dir(s, view->course->dir);
	ui_session_set_course(s, view->course, 0);
	ui_session_set_lesson(s, (lesson *)view->lesson, view->index,
			      view->program, 0);
	return rc;
}

void
ui_lesson_tui_left(const ui_lesson_view *view, const ui_session *s)
{
	size_t index;
	if (view && view->left_at && ui_session_lesson(s, &index, NULL))
		*view->left_at = index;
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

/* Opens lesson i in the visualizer: the text beside the run. Then prints
 * what is left to do in the lesson on screen when the learner left it
 * (`:lesson N` may have opened another). */
static int
ui_lesson_present_visual(ui_lesson_ctx *c, lesson *l, size_t i)
{
	const lesson_program *p = lesson_main_program(l);
	char title[512];
	snprintf(title, sizeof title, "Lesson %zu of %zu: %s", i + 1,
		 c->uc->course->nlessons, l->title);
	int status = 0;
	size_t left = i;
	if (p) {
		ui_lesson_view view = {c->uc, l, i, (size_t)(p - l->programs),
				       c->present, c->ascii, c->no_color,
				       &left};
		char name[256];
		snprintf(name, sizeof name, "%s.rs", l->id);
		status = c->env->run(c->env->run_ctx, name, p->source, p->len,
				     p->profile, title, 0, &view);
		fflush(stdout);
	}
	lesson *shown = l;
	if (left != i && left < c->uc->course->nlessons &&
	    (shown = ui_lesson_load(c, left)) != NULL)
		snprintf(title, sizeof title, "Lesson %zu of %zu: %s",
			 left + 1, c->uc->course->nlessons, shown->title);
	else
		shown = l;
	ui_diag_put_safe(stdout, title, strlen(title));
	fputc('\n', stdout);
	ui_lesson_show_tasks(c, shown);
	if (shown != l) {
		printf("\nYou left the visualizer in lesson %zu; '"
		       UI_LESSON_PROG " lesson %zu' opens it again.\n",
		       left + 1, left + 1);
		lesson_free(shown);
	}
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
		if (i + 1 < c->uc->course->nlessons)
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
	if (i + 1 < c->uc->course->nlessons)
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
	c->uc->current = i;
	if (lesson_progress_set_current(c->uc->progress, c->uc->course->lessons[i].id)) {
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
	for (size_t i = 0; i < c->uc->course->nlessons; i++) {
		lesson_diags d;
		lesson_diags_init(&d);
		lesson *l = lesson_course_load(c->uc->course, i, &d);
		lesson_diags_free(&d);
		const char *mark = ui_lesson_done(c, i)    ? "done"
				   : i == c->uc->current      ? "current"
				   : ui_lesson_locked(c, i) ? "locked"
							    : "open";
		done += ui_lesson_done(c, i);
		char line[512];
		snprintf(line, sizeof line, "%s %2zu  %-8s %s",
			 i == c->uc->current ? ">" : " ", i + 1, mark,
			 l ? l->title : "(this lesson has mistakes; see "
					"check-course)");
		ui_diag_put_safe(stdout, line, strlen(line));
		fputc('\n', stdout);
		lesson_free(l);
	}
	printf("\n%zu of %zu done. '" UI_LESSON_PROG " lesson %zu' shows "
	       "the current one.\n",
	       done, c->uc->course->nlessons, c->uc->current + 1);
	return 0;
}

static int
ui_lesson_cmd_lesson(ui_lesson_ctx *c)
{
	char *end;
	const char *a = c->args[0];
	unsigned long n = strtoul(a, &end, 10);
	if (*a < '0' || *a > '9' || *end || n == 0 ||
	    n > c->uc->course->nlessons)
		return ui_lesson_usage("there is no lesson '%s'; the lessons "
				       "are numbered 1 to %zu",
				       a, c->uc->course->nlessons);
	size_t i = n - 1;
	/* A classroom follows the teacher, not one learner's progress: with
	 * --present any lesson opens, and the learner's place stays. */
	if (ui_lesson_locked(c, i) && c->present)
		return ui_lesson_present(c, i);
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
	lesson *l = ui_lesson_load(c, c->uc->current);
	if (!l)
		return 1;
	int open = ui_lesson_open_exercise(c, l);
	if (open >= 0) {
		ui_lesson_error("lesson %zu's exercise is not solved yet: "
				"'" UI_LESSON_PROG " check' checks your code, "
				"'" UI_LESSON_PROG " hint' helps",
				c->uc->current + 1);
		lesson_free(l);
		return 1;
	}
	lesson_free(l);
	if (lesson_progress_set_done(c->uc->progress,
				     c->uc->course->lessons[c->uc->current].id, 1)) {
		ui_lesson_error("out of memory");
		return 1;
	}
	if (c->uc->current + 1 >= c->uc->course->nlessons) {
		int save = ui_lesson_save(c);
		puts("That was the last lesson: you have finished the course. "
		     "Well done!");
		return save;
	}
	return ui_lesson_go(c, c->uc->current + 1);
}

static int
ui_lesson_cmd_prev(ui_lesson_ctx *c)
{
	if (c->uc->current == 0) {
		ui_lesson_error("this is the first lesson; '" UI_LESSON_PROG
				" lesson 1' shows it again");
		return 1;
	}
	return ui_lesson_go(c, c->uc->current - 1);
}

static int
ui_lesson_cmd_answer(ui_lesson_ctx *c)
{
	lesson *l = ui_lesson_load(c, c->uc->current);
	if (!l)
		return 1;
	int status = 0;
	char *end;
	unsigned long q = strtoul(c->args[0], &end, 10);
	const char *a = c->args[1];
	if (l->nquizzes == 0) {
		ui_lesson_error("lesson %zu has no quiz", c->uc->current + 1);
		status = 1;
	} else if (*c->args[0] < '0' || *c->args[0] > '9' || *end || q == 0 ||
		   q > l->nquizzes) {
		status = ui_lesson_usage("lesson %zu's quizzes are numbered 1 "
					 "to %zu",
					 c->uc->current + 1, l->nquizzes);
	} else if (strlen(a) != 1 || (a[0] | 0x20) < 'a' ||
		   (size_t)((a[0] | 0x20) - 'a') >= l->quizzes[q - 1].nchoices) {
		status = ui_lesson_usage(
			"answer with the letter of a choice, a to %c",
			'a' + (int)l->quizzes[q - 1].nchoices - 1);
	} else {
		const lesson_quiz *z = &l->quizzes[q - 1];
		int choice = (a[0] | 0x20) - 'a';
		char err[1024];
		status = ui_course_answer(c->uc, l, q - 1, (size_t)choice, err,
					  sizeof err);
		if (status)
			ui_lesson_error("%s", err);
		status = status ? 1 : 0;
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
	}
	lesson_free(l);
	return status;
}

/* The current lesson and its open exercise (the last one once all are
 * solved), for the exercise commands. Returns 0 or an exit status. */
static int
ui_lesson_exercise(ui_lesson_ctx *c, lesson **lp, size_t *ep, char **path)
{
	lesson *l = ui_lesson_load(c, c->uc->current);
	if (!l)
		return 1;
	char err[1024];
	int r = ui_course_exercise(c->uc, l, ep, path, err, sizeof err);
	if (r != 0) {
		if (r > 0)
			ui_lesson_error("lesson %zu has no exercise; '"
					UI_LESSON_PROG " next' moves on",
					c->uc->current + 1);
		else
			ui_lesson_error("%s", err);
		free(*path);
		lesson_free(l);
		return 1;
	}
	*lp = l;
	return 0;
}

/* Makes sure the learner's copy exists. Returns 0 or an exit status. */
static int
ui_lesson_ensure_copy(const lesson *l, size_t e, const char *path)
{
	int created;
	char err[1024];
	if (ui_course_ensure_copy(l, e, path, &created, err, sizeof err)) {
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
	ui_course_checked r;
	char err[1024];
	if (ui_course_check(c->uc, l, e, path, &r, err, sizeof err) != 0) {
		ui_lesson_error("%s", err);
		ui_course_checked_free(&r);
		free(path);
		lesson_free(l);
		return 1;
	}
	if (r.created)
		printf("Your copy of the starting code is %s.\n", path);
	printf("Checking %s\n", path);
	ui_lesson_wrap(c, x->task, "The exercise: ", "  ");
	if (!r.v.run.compiled) {
		fflush(stdout);
		ui_source src = {path, r.code, r.len};
		ui_diag_print_all(stderr, &src, &r.v.run.diags, c->color);
		puts("\nYour code does not compile yet; the compiler's "
		     "messages above say where.");
	} else {
		for (size_t g = 0; g < r.v.ngoals; g++) {
			char desc[1024];
			lesson_goal_describe(&x->goals[g], desc, sizeof desc);
			ui_lesson_wrap(c, desc,
				       r.v.goals[g].met ? "[x] " : "[ ] ",
				       "    ");
			ui_lesson_wrap(c, r.v.goals[g].why, "    ", "    ");
		}
		if (r.v.run.exit_status == 3 && r.v.run.message)
			ui_lesson_wrap(c, r.v.run.message,
				       "A compiler would reject this code: ",
				       "    ");
		if (!r.v.passed)
			printf("\n%zu of %zu goals met.\n", r.met, r.v.ngoals);
	}
	if (r.v.passed) {
		puts("\nWell done: every goal is met.");
		if (r.lesson_done && c->uc->current + 1 < c->uc->course->nlessons)
			printf("Lesson %zu is done; '" UI_LESSON_PROG " next' "
			       "opens lesson %zu.\n",
			       c->uc->current + 1, c->uc->current + 2);
		else if (r.lesson_done)
			puts("That was the course's last exercise.");
		else
			puts("'" UI_LESSON_PROG " check' now checks the "
			     "lesson's next exercise.");
	} else {
		if (r.more_hints)
			puts("'" UI_LESSON_PROG " hint' gives a hint.");
		if (r.solution_open)
			puts("If you are stuck, '" UI_LESSON_PROG
			     " solution' shows an answer.");
	}
	if (!r.saved) {
		ui_lesson_error("%s", err);
		status = 1;
	} else {
		status = r.v.passed ? 0 : 1;
	}
	ui_course_checked_free(&r);
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
	size_t given;
	char err[1024];
	if (ui_course_hint(c->uc, l, e, &given, err, sizeof err) != 0) {
		ui_lesson_error("%s", err);
		status = 1;
	} else if (x->nhints == 0) {
		puts("This exercise has no hints. Read the goals again: '"
		     UI_LESSON_PROG " check' says which ones are not met.");
	} else if (given < x->nhints) {
		char head[64];
		snprintf(head, sizeof head, "Hint %zu of %zu: ", given + 1,
			 x->nhints);
		ui_lesson_wrap(c, x->hints[given], head, "  ");
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
	char err[1024];
	int had;
	if (ui_course_reset(l, e, path, &had, err, sizeof err)) {
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
	unsigned left;
	char err[1024];
	int r = ui_course_solution(c->uc, l, e, &left, err, sizeof err);
	if (r < 0) {
		ui_lesson_error("%s", err);
		status = 1;
	} else if (r == 0) {
		ui_lesson_error("the solution opens after %u more failed "
				"check%s; try '" UI_LESSON_PROG " hint' first",
				left, left == 1 ? "" : "s");
		status = 1;
	} else {
		puts("One solution (yours may differ and still meet every "
		     "goal):\n");
		ui_lesson_show_code(l->programs[x->solution].source);
		if (*err) {
			ui_lesson_error("%s", err);
			status = 1;
		}
	}
	lesson_free(l);
	return status;
}

int
ui_lesson_run_editor(const char *editor, const char *path, char *err,
		     size_t errsize)
{
	/* Through the shell, as git does, so that EDITOR may hold
	 * arguments ("code --wait"); the file name is passed as $1 so no
	 * quoting of it is needed. */
	size_t n = strlen(editor) + 8;
	char *script = malloc(n);
	if (!script) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	snprintf(script, n, "%s \"$1\"", editor);
	fflush(stdout);
	fflush(stderr);
	/* While the editor runs, Ctrl-C and Ctrl-\ are the editor's (vi
	 * cancels a command with Ctrl-C): we ignore them, as git does, so
	 * they neither end us nor leave the visualizer behind the learner's
	 * back; the editor gets them with their usual meaning. */
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	sigemptyset(&ign.sa_mask);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
		_exit(127);
	}
	int rc = 0;
	if (pid < 0) {
		snprintf(err, errsize, "cannot start the editor: %s",
			 strerror(errno));
		rc = -1;
	} else {
		int wst = 0;
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
			snprintf(err, errsize,
				 "the editor '%s' did not finish well (%s %d); "
				 "your file is %s",
				 editor,
				 WIFEXITED(wst) ? "exit status" : "signal",
				 WIFEXITED(wst) ? WEXITSTATUS(wst)
						: WTERMSIG(wst),
				 path);
			rc = -1;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(script);
	return rc;
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
	const char *editor = ui_course_editor();
	if (!editor && !isatty(STDIN_FILENO)) {
		ui_lesson_error("set VISUAL or EDITOR to your editor, or edit "
				"%s with any editor",
				path);
		free(path);
		lesson_free(l);
		return 1;
	}
	char err[1024];
	if (ui_lesson_run_editor(editor ? editor : "vi", path, err,
				 sizeof err) != 0) {
		ui_lesson_error("%s", err);
		status = 1;
	} else {
		puts("Saved? '" UI_LESSON_PROG " check' checks it.");
	}
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
		} else if (strcmp(a, "--ascii") == 0) {
			c->ascii = 1;
		} else if (strcmp(a, "--no-color") == 0) {
			c->no_color = 1;
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
		if (!lesson_progress_current(c.uc->progress))
			printf("Welcome to the course: it starts here.\n\n");
		else
			printf("Welcome back: you are at lesson %zu.\n\n",
			       c.uc->current + 1);
		status = ui_lesson_present(&c, c.uc->current);
		printf("'" UI_LESSON_PROG " lesson %zu' shows this lesson "
		       "again and runs its program;\n"
		       "'" UI_LESSON_PROG " lessons' lists the course; '"
		       UI_LESSON_PROG " --help' lists every command.\n",
		       c.uc->current + 1);
	}
	ui_lesson_close(&c);
	return status;
}
