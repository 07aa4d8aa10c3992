/* ui_lesson — the course on the command line.
 *
 * Contract: the front end of src/lesson. It implements the learner's
 * subcommands (lessons, next, prev, lesson N, answer, check, hint, reset,
 * solution, edit), the teacher's check-course, and resuming with no
 * arguments, printing plain text for a terminal or a pipe. It finds the
 * course (--lessons-dir DIR, else $ASYNC_TUTORIAL_LESSONS, else the source
 * tree's lessons/ when the program runs from its build tree, else
 * PKGDATADIR/lessons) and keeps the learner's progress with
 * lesson_progress, saving after every change.
 *
 * Showing a lesson prints its title and prose, its quizzes (questions and
 * lettered choices, never the answers) and its exercise, then runs the
 * lesson's program through the hook in ui_lesson_env, which main.c points
 * at the ordinary `run` path. On a terminal where the visualizer can run
 * (and without --plain or --no-run), the lesson opens there instead: its
 * text in a pane beside the run, its narration blocks in the NARRATION
 * pane at their moments, its quizzes asked before the run, its variants
 * and its exercise worked on with `:` commands (ui_lesson_view, tui.h);
 * the quizzes and the exercise are printed when the learner leaves it.
 * The rules of quizzes and exercises are ui_course's, shared with the
 * visualizer; this module only says them in words for a terminal. Elsewhere (a pipe, a file, a dumb
 * terminal) the whole lesson is printed as plain text, as before the run.
 *
 * Exit statuses: 0 done; 1 the learner could not move on (a locked lesson,
 * an unsolved exercise, a failed check, a course with problems, progress
 * that could not be saved); 2 a usage error; or the run's own status when
 * the lesson's program ran.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_LESSON_H
#define ASYNC_TUTORIAL_UI_UI_LESSON_H

#include <stddef.h>
#include <stdio.h>

#include "sim/sim_run.h"
#include "trace/trace_log.h"
#include "ui/tui.h"
#include "ui/ui_course.h"
#include "ui/ui_session.h"

struct lesson; /* lesson/lesson_file.h */

/* A lesson opened in the visualizer: the visualizer shows its text beside
 * the run, the teacher's narration at its moments, and asks the quizzes
 * about the program before the run plays; its `:` commands switch to the
 * lesson's variants and work on its exercise, recording everything in the
 * learner's progress (ui_course.h). Everything is lent for the run. */
typedef struct ui_lesson_view {
	ui_course *course;           /* the course and the learner's progress */
	const struct lesson *lesson;
	size_t index;                /* its place in the course, 0-based */
	size_t program;              /* the program run, in lesson->programs */
	int present;                 /* --present (tui_options.present) */
	int ascii;                   /* --ascii (tui_options.ascii) */
	int no_color;                /* --no-color (tui_options.no_color) */
	size_t *left_at;             /* NULL, or set by ui_lesson_tui_left */
} ui_lesson_view;

/* Runs a lesson's program: `name` names it in messages and panics, `title`
 * is the lesson's, `plain` asks for text even on a terminal, `view` (NULL:
 * none) is what the visualizer shows beside the run. Returns run's exit
 * status. */
typedef int (*ui_lesson_run_fn)(void *ctx, const char *name, const char *text,
				size_t len, const sim_profile *profile,
				const char *title, int plain,
				const ui_lesson_view *view);

typedef struct ui_lesson_env {
	ui_lesson_run_fn run;
	void *run_ctx;
} ui_lesson_env;

/* One of the course's subcommands; argv[0] is its name ("lessons",
 * "next", "prev", "lesson", "answer", "check", "hint", "reset",
 * "solution", "edit", "check-course"). Returns the exit status. */
int
ui_lesson_command(int argc, char **argv, const ui_lesson_env *env);

/* `async-tutorial` with no arguments on a terminal: the learner's current
 * lesson, and how to go on. Returns the exit status. */
int
ui_lesson_resume(const ui_lesson_env *env);

/* The course directory to use: `flag` (from --lessons-dir) if given, else
 * the environment, the build tree or PKGDATADIR; *builtin says whether it
 * is the course that comes with the program (its progress is kept under
 * LESSON_PROGRESS_BUILTIN). A new string, NULL if memory ran out. */
char *
ui_lesson_find_course(const char *flag, int *builtin);

/* Lends the lesson, its course and the learner's progress to the session
 * that runs it (ui_session_set_course, ui_session_set_lesson), so that the
 * visualizer shows the lesson and `:lesson N` opens lessons of the same
 * course. Before tui_run; the session must be freed before the view's
 * course and lesson are. Returns 0, or -1 if memory ran out (the lesson
 * is then shown, but `:lesson` looks in the default course). */
int
ui_lesson_tui(const ui_lesson_view *view, ui_session *s, tui_options *o);

/* After tui_run, before the session is freed: stores in *view->left_at
 * (when set) the index of the lesson on screen when the learner left,
 * which `:lesson N` may have changed, so that what is printed next is
 * that lesson's. */
void
ui_lesson_tui_left(const ui_lesson_view *view, const ui_session *s);

/* Runs `editor` (through /bin/sh, so it may hold arguments) on the file
 * at `path` and waits for it. The caller hands the terminal over first.
 * Returns 0, or -1 with a sentence in err (it could not start, or did not
 * exit with status 0). */
int
ui_lesson_run_editor(const char *editor, const char *path, char *err,
		     size_t errsize);

/* Prints one row of --help: the left column, its help, a default or
 * NULL (main.c's main_help_row, so every row lines up). */
typedef void (*ui_lesson_help_row)(FILE *out, const char *left,
				   const char *help, const char *dflt);

/* The course's part of --help: what the commands do and their options. */
void
ui_lesson_print_help(FILE *out, ui_lesson_help_row row);

#endif
