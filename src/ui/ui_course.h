/* ui_course — the learner's course, and what a learner does in it.
 *
 * Contract: the one place where the learner's actions on a course are
 * decided, shared by the two front ends: the course's subcommands
 * (`async-tutorial check`, ui_lesson.c), which print for a terminal or a
 * pipe, and the visualizer's `:` commands (`:check`, ui_cmd.c), which
 * answer in a box. A ui_course holds a course directory, its lessons
 * (lesson_course) and the learner's progress (lesson_progress), opened
 * together. The functions below answer a quiz, check, hint, reset and
 * show the solution of an exercise, always with the same rules, and save
 * the progress after every change. They return data (a status, a
 * verdict, which hint) and never print: the front ends choose the words
 * around them, since each names its own commands ("'async-tutorial hint'"
 * or "':hint'").
 *
 * It also works out what the visualizer shows of a lesson beside one of
 * its programs' runs (ui_course_show): the lesson's text, the teacher's
 * narration found in that run, and the quizzes about that program still
 * to be asked, in the lesson's order.
 *
 * Core library: no terminal, no curses, no exit. Running the learner's
 * editor is a front end's business (it must hand the terminal over).
 */
#ifndef ASYNC_TUTORIAL_UI_UI_COURSE_H
#define ASYNC_TUTORIAL_UI_UI_COURSE_H

#include <stddef.h>
#include <stdint.h>

#include "lesson/lesson_check.h"
#include "lesson/lesson_course.h"
#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"
#include "lesson/lesson_progress.h"
#include "trace/trace_log.h"

/* The largest learner's file `check` reads. */
#define UI_COURSE_MAX_CODE (1024u * 1024u)

typedef struct ui_course {
	char *dir;
	int builtin;     /* the course that comes with the program */
	char *key;       /* lesson_progress_course_key */
	lesson_course *course;
	lesson_progress *progress;
	size_t current;  /* the learner's lesson, 0-based */
} ui_course;

/* Opens the course in `dir` and the learner's progress of it. Returns a
 * new course, or NULL with the course's problems in diags (if any) and a
 * sentence in err ("the course in 'x' has no lessons yet"). A notice about
 * a damaged progress file is lesson_progress_notice(c->progress). */
ui_course *
ui_course_open(const char *dir, int builtin, lesson_diags *diags, char *err,
	       size_t errsize);

void
ui_course_free(ui_course *c);

/* Saves the progress. Returns 0, or -1 with a sentence in err. */
int
ui_course_save(ui_course *c, char *err, size_t errsize);

/* Lesson i (0-based), NULL with its problems in diags. */
lesson *
ui_course_load(const ui_course *c, size_t i, lesson_diags *diags);

/* The position of a loaded lesson in the course (by id), or -1. */
int
ui_course_index(const ui_course *c, const lesson *l);

int
ui_course_done(const ui_course *c, size_t i);

/* A lesson can be opened once the one before it is done. */
int
ui_course_locked(const ui_course *c, size_t i);

/* Makes lesson i the learner's and saves. 0, or -1 with err. */
int
ui_course_set_current(ui_course *c, size_t i, char *err, size_t errsize);

/* ---- quizzes --------------------------------------------------------------- */

/* The choice given to quiz q of the lesson (0 = a), -1 if none yet. */
int
ui_course_answer_of(const ui_course *c, const lesson *l, size_t q);

/* Records the answer and saves. 0, or -1 with a sentence in err. */
int
ui_course_answer(ui_course *c, const lesson *l, size_t q, size_t choice,
		 char *err, size_t errsize);

/* ---- exercises ------------------------------------------------------------- */

int
ui_course_exercise_passed(const ui_course *c, const lesson *l, size_t e);

/* The exercise the learner works on: the first not passed, or -1. */
int
ui_course_open_exercise(const ui_course *c, const lesson *l);

/* The exercise the exercise commands act on (the open one, or the last
 * once all are passed) and the path of the learner's copy of its code (a
 * new string). Returns 0; 1 if the lesson has no exercise; -1 with a
 * sentence in err. */
int
ui_course_exercise(const ui_course *c, const lesson *l, size_t *e,
		   char **path, char *err, size_t errsize);

/* Writes the starting code to the learner's copy unless it exists;
 * *created says which. 0, or -1 with err. */
int
ui_course_ensure_copy(const lesson *l, size_t e, const char *path,
		      int *created, char *err, size_t errsize);

/* A check of the learner's code, and what it changed. */
typedef struct ui_course_checked {
	int created;         /* the copy was made from the starting code */
	char *code;          /* what was checked */
	size_t len;
	lesson_verdict v;    /* v.passed; v.run.compiled, v.goals */
	size_t met;          /* goals met */
	int lesson_done;     /* every exercise of the lesson is passed now */
	int more_hints;      /* a hint not taken yet is left */
	int solution_open;   /* failed often enough for the solution */
	int saved;           /* 0: err says why the progress was not saved */
} ui_course_checked;

/* Checks the learner's copy at `path` against exercise e: records a
 * failed try or the pass (and the lesson done once every exercise is),
 * and saves. Returns 0 (see r), or -1 with a sentence in err (the copy
 * could not be made or read, or memory ran out); free r either way. */
int
ui_course_check(ui_course *c, const lesson *l, size_t e, const char *path,
		ui_course_checked *r, char *err, size_t errsize);

void
ui_course_checked_free(ui_course_checked *r);

/* The next hint: its index in *given (the learner's hint count goes up
 * and is saved), or the number of hints when every one was given (nothing
 * changes). 0, or -1 with err. */
int
ui_course_hint(ui_course *c, const lesson *l, size_t e, size_t *given,
	       char *err, size_t errsize);

/* The solution, once the learner has passed, seen it, or failed the
 * exercise's number of tries: returns 1 and records that it was seen (if
 * that could not be saved, err says why; else err is ""); otherwise 0
 * with the failed checks still needed in *left. -1 with err if memory ran
 * out. */
int
ui_course_solution(ui_course *c, const lesson *l, size_t e, unsigned *left,
		   char *err, size_t errsize);

/* Puts the starting code back in the learner's copy, keeping the old one
 * as PATH~ (*had: there was one). 0, or -1 with err. */
int
ui_course_reset(const lesson *l, size_t e, const char *path, int *had,
		char *err, size_t errsize);

/* $VISUAL, else $EDITOR, else NULL. */
const char *
ui_course_editor(void);

/* ---- what the visualizer shows ---------------------------------------------- */

/* The teacher's sentence for one moment of a run: from cursor position
 * `at` (as lesson_moment_find counts) until the next one. */
typedef struct ui_course_moment {
	uint64_t at;
	const char *say; /* the lesson's; valid while it is */
} ui_course_moment;

typedef struct ui_course_show {
	char *prose;                   /* CommonMark, for the text pane */
	ui_course_moment *narrations;  /* those the run reaches */
	size_t nnarrations;
	size_t *quizzes;               /* quizzes (indexes) to ask first */
	size_t nquizzes;
} ui_course_show;

/* What to show beside the run of lesson program `program` (an index in
 * l->programs; any other number, such as the learner's own code, has
 * neither narration nor quizzes): the text; the narration of that
 * program found in `log` (a full trace; NULL: none); the quizzes about it
 * that the learner has not answered in `c` (every one if c is NULL).
 * Returns 0, or -1 if memory ran out (*out then holds what was made;
 * free it with ui_course_show_free). */
int
ui_course_show_make(const ui_course *c, const lesson *l, size_t program,
		    const trace_log *log, ui_course_show *out);

void
ui_course_show_free(ui_course_show *s);

/* The lesson's programs a learner switches between: the lesson's own
 * (number 1) and its variants, not exercise code. The index in
 * l->programs of the one numbered n (1-based), or -1. */
int
ui_course_program_number(const lesson *l, size_t n);

/* How many there are. */
size_t
ui_course_program_count(const lesson *l);

/* What the run did, in the words of a prediction's comparison: "printed
 * \"a / b\"" (the quiz's selected lines of `output`) or "took 1.2 s". A
 * new string, NULL if memory ran out. */
char *
ui_course_outcome(const lesson_quiz *z, uint64_t virtual_ns,
		  const char *output, size_t len);

/* What kind of quiz it is, in words: "choose one", "predict the output",
 * "predict the time". */
const char *
ui_course_quiz_kind(const lesson_quiz *z);

/* "Quiz 2 of 3: predict the output". As snprintf. */
size_t
ui_course_quiz_heading(const lesson *l, size_t q, char *buf, size_t size);

#endif
