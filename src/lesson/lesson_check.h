/* lesson_check — holding lessons to what they claim, by running them.
 *
 * Contract: two users. check-course (a teacher): lesson_check_course
 * loads every lesson of a course and runs its programs in the simulator,
 * and appends to `diags` every place where a lesson would mislead a
 * learner: a program that does not compile (or does something a Rust
 * compiler would reject, found while running), a predict-output or
 * predict-time quiz whose right answer is not what the program does or
 * whose wrong answer is, a narration moment that never happens, an
 * exercise whose starting code already meets every goal or whose
 * solution does not. The quiz form (exactly one right answer and so on)
 * is checked when the lesson is loaded.
 *
 * `check` (a learner): lesson_exercise_check runs the learner's code for
 * one exercise and says, goal by goal, whether it is met and why.
 *
 * Both return data and never print. Each program runs once per check; a
 * full trace is recorded only for programs with narration.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_CHECK_H
#define ASYNC_TUTORIAL_LESSON_LESSON_CHECK_H

#include <stddef.h>

#include "lesson/lesson_course.h"
#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"
#include "lesson/lesson_run.h"

/* 1 if choice i of a predict quiz describes the run: for predict-output,
 * the choice is the selected lines of the output; for predict-time, the
 * choice's duration is within the tolerance of the virtual time. Always 0
 * for a plain quiz, which a run cannot decide. */
int
lesson_choice_matches(const lesson_quiz *q, size_t i, const lesson_run *run);

/* Checks one loaded lesson by running it. Returns the number of errors
 * added to diags. */
size_t
lesson_check_lesson(const lesson *l, lesson_diags *diags);

/* Opens and checks a whole course. `progress`, if not NULL, is called
 * before each lesson with its file name (check-course may take seconds).
 * Returns the number of errors added (a course with no lessons is one). */
size_t
lesson_check_course(const char *dir, lesson_diags *diags,
		    void (*progress)(void *ctx, const char *file), void *ctx);

/* One goal of an exercise, checked. */
typedef struct lesson_goal_result {
	int met;
	char why[512];
} lesson_goal_result;

/* The learner's code, checked against one exercise. */
typedef struct lesson_verdict {
	int passed;       /* compiled, and every goal met */
	lesson_run run;   /* run.compiled, run.diags for compile errors */
	lesson_goal_result *goals; /* one per goal, if it compiled */
	size_t ngoals;
} lesson_verdict;

/* Runs `code` (named `name` in compile errors and panics) for exercise
 * `exercise` of the lesson. Returns 0, or -1 if memory ran out. Free the
 * verdict with lesson_verdict_free either way. */
int
lesson_exercise_check(const lesson *l, size_t exercise, const char *name,
		      const char *code, size_t len, lesson_verdict *v);

void
lesson_verdict_free(lesson_verdict *v);

#endif
