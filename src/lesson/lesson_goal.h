/* lesson_goal — the goals of an exercise, and checking them on a run.
 *
 * Contract: a goal is one line of a lesson's ```exercise block after
 * `goal:` ("elapsed <= 1.1 s", "no lint blocking-in-async", "output
 * contains 3 jobs took 0.5 s"). lesson_goal_parse turns that text into a
 * lesson_goal, or explains in one sentence what is wrong with it;
 * lesson_goal_check decides whether a finished run meets it, and says why
 * in a sentence a learner can act on ("The program took 1.5 s of virtual
 * time; the goal is at most 0.6 s."). Whether the program compiled is the
 * caller's business: a goal is only checked on a run.
 *
 * The goals, their words and their sentences are one table in
 * lesson_goal.c; the grammar is documented for teachers in
 * async-tutorial-lessons(5).
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_GOAL_H
#define ASYNC_TUTORIAL_LESSON_LESSON_GOAL_H

#include <stddef.h>
#include <stdint.h>

#include "lesson/lesson_run.h"

typedef enum lesson_goal_kind {
	LESSON_GOAL_FINISHES,
	LESSON_GOAL_ELAPSED,
	LESSON_GOAL_POLLS,
	LESSON_GOAL_FUTURES,
	LESSON_GOAL_THREADS,
	LESSON_GOAL_TASKS,
	LESSON_GOAL_LINT,
	LESSON_GOAL_NO_LINT,
	LESSON_GOAL_NO_LINTS,
	LESSON_GOAL_OUTPUT_IS,
	LESSON_GOAL_OUTPUT_CONTAINS
} lesson_goal_kind;

typedef enum lesson_cmp {
	LESSON_CMP_LT,
	LESSON_CMP_LE,
	LESSON_CMP_GT,
	LESSON_CMP_GE
} lesson_cmp;

typedef struct lesson_goal {
	lesson_goal_kind kind;
	lesson_cmp cmp;  /* for the counts and elapsed */
	uint64_t value;  /* nanoseconds for elapsed, else a count */
	int lint;        /* LINT, NO_LINT: a trace_lint_id */
	char *text;      /* OUTPUT_*: the text, lines separated by '\n' */
} lesson_goal;

/* Parses the text after `goal:`. Returns 0, or -1 with a sentence in err
 * (nothing to free then). */
int
lesson_goal_parse(const char *text, lesson_goal *g, char *err, size_t errsize);

void
lesson_goal_free(lesson_goal *g);

/* What the goal asks, for the learner: "the program takes at most 0.6 s of
 * virtual time". As snprintf. */
size_t
lesson_goal_describe(const lesson_goal *g, char *buf, size_t size);

/* 1 if the run meets the goal, else 0; `why` gets a sentence saying what
 * the run did, either way. The run must have compiled. */
int
lesson_goal_check(const lesson_goal *g, const lesson_run *run, char *why,
		  size_t size);

#endif
