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
 * at the ordinary `run` path (the visualizer on a terminal, plain text
 * otherwise). The visualizer does not show the lesson beside the run yet:
 * when it does, it can open a course and a lesson with the same core
 * calls (lesson_course_open, lesson_course_load, lesson_progress_open) and
 * ui_lesson_find_course below.
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

/* Runs a lesson's program: `name` names it in messages and panics, `title`
 * is the lesson's, `plain` asks for text even on a terminal. Returns run's
 * exit status. */
typedef int (*ui_lesson_run_fn)(void *ctx, const char *name, const char *text,
				size_t len, const sim_profile *profile,
				const char *title, int plain);

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

/* Prints one row of --help: the left column, its help, a default or
 * NULL (main.c's main_help_row, so every row lines up). */
typedef void (*ui_lesson_help_row)(FILE *out, const char *left,
				   const char *help, const char *dflt);

/* The course's part of --help: what the commands do and their options. */
void
ui_lesson_print_help(FILE *out, ui_lesson_help_row row);

#endif
