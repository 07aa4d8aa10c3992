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
 * text in a pane beside the run and its narration blocks in the NARRATION
 * pane at their moments (ui_lesson_view); the quizzes and the exercise are
 * printed when the learner leaves it. Elsewhere (a pipe, a file, a dumb
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
#include "ui/ui_session.h"

struct lesson; /* lesson/lesson_file.h */

/* What the visualizer shows of a lesson beside its run: its text, and the
 * teacher's narration of the program that runs. */
typedef struct ui_lesson_view {
	const char *prose;           /* CommonMark */
	const struct lesson *lesson; /* for its narration blocks */
	size_t program;              /* index in lesson->programs */
	int quiz;       /* the quiz asked before the run, -1: none */
	int (*record)(void *ctx, size_t choice, char *err, size_t errsize);
	void *record_ctx; /* saves the quiz's answer (tui_quiz.record) */
	int present;    /* --present (tui_options.present) */
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

/* Fills the visualizer's options for a lesson's run, once the session
 * has run it: the prose; the teacher's narration of the view's program,
 * each moment found in the run's full trace (lesson_moment_find; moments
 * the run never reaches are left out); the quiz, with what the run did for
 * a prediction. What it makes is kept in *owned, freed by
 * ui_lesson_tui_free after tui_run. Returns 0, or -1 if memory ran out
 * (the options then hold the prose at least). */
int
ui_lesson_tui(const ui_lesson_view *view, const ui_session *s,
	      tui_options *o, void **owned);

void
ui_lesson_tui_free(void *owned);

/* Prints one row of --help: the left column, its help, a default or
 * NULL (main.c's main_help_row, so every row lines up). */
typedef void (*ui_lesson_help_row)(FILE *out, const char *left,
				   const char *help, const char *dflt);

/* The course's part of --help: what the commands do and their options. */
void
ui_lesson_print_help(FILE *out, ui_lesson_help_row row);

#endif
