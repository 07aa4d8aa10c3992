/* lesson_file — one lesson: a Markdown file loaded into data.
 *
 * Contract: lesson_load reads a lesson file and parses it with the cmark
 * library (CommonMark), then reads the lesson's own blocks: the title (the
 * first heading), prose, ```rust programs, and the special fenced blocks
 * ```quiz, ```predict-output, ```predict-time, ```narration and
 * ```exercise, whose `key: value` fields are described for teachers in
 * async-tutorial-lessons(5). Every problem found is appended to `diags` as
 * FILE:LINE data, all of them rather than the first, and the lesson is
 * returned only when there were none; it never prints.
 *
 * Loading checks the form of a lesson, not its truth: whether a program
 * compiles, or a predicted output is what the program prints, is
 * lesson_check's business (it runs the programs). Loading is cheap and
 * needs no simulation, so the visualizer can open a lesson at once.
 *
 * The lesson is plain data that callers read directly. Everything in it
 * is owned by it and freed by lesson_free. `items` lists the parts in the
 * order they appear in the file, so a front end can show the prose, the
 * programs and the quizzes where the teacher put them. Hidden parts are
 * marked as such (solutions), and quiz answers and explanations are kept
 * apart from the questions so that a front end shows them only once the
 * learner has answered.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_FILE_H
#define ASYNC_TUTORIAL_LESSON_LESSON_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "lesson/lesson_diag.h"
#include "lesson/lesson_goal.h"
#include "lesson/lesson_run.h"
#include "sim/sim_run.h"

/* The largest lesson file read: a lesson is a few pages; this only stops
 * a mistaken file from being read whole. */
#define LESSON_MAX_FILE_BYTES (1024u * 1024u)

/* How many failed checks open the solution when the lesson does not say. */
#define LESSON_DEFAULT_TRIES 3

/* Predict-time choices count as the real time within this, unless the
 * quiz says otherwise. */
#define LESSON_DEFAULT_TOLERANCE_PCT 10

typedef enum lesson_role {
	LESSON_ROLE_PROGRAM,  /* the lesson's program (the first) or a variant */
	LESSON_ROLE_START,    /* an exercise's starting code */
	LESSON_ROLE_SOLUTION  /* an exercise's solution: hidden */
} lesson_role;

typedef struct lesson_program {
	lesson_role role;
	char *name;                 /* name=ID, or NULL */
	const sim_profile *profile; /* profile=NAME, or the default */
	char *source;               /* the program text, NUL-terminated */
	size_t len;
	uint32_t line;   /* the opening fence; program line k is line + k */
	size_t number;   /* PROGRAM: 1 for the lesson's program, 2, ...;
			    else 0 */
	size_t exercise; /* START, SOLUTION: index of the exercise */
	/* How the differential test against real Rust and Tokio
	 * (tests/check-real.sh, through `check-course --export`) treats it:
	 * the real-* words of the fence, see async-tutorial-lessons(5). */
	char *real_skip;       /* real-skip="REASON": not run for real */
	char *real_sort_lines; /* real-sort-lines[="REASON"]: "" or the
				  reason; NULL when not given */
	int real_exit;         /* real-exit=N: the real exit status (0) */
	const sim_profile *real_profile; /* real-profile=NAME, or NULL: the
					    simulator's profile in that test */
} lesson_program;

typedef enum lesson_quiz_kind {
	LESSON_QUIZ_CHOICE,  /* ```quiz */
	LESSON_QUIZ_OUTPUT,  /* ```predict-output */
	LESSON_QUIZ_TIME     /* ```predict-time */
} lesson_quiz_kind;

typedef struct lesson_choice {
	char *text;      /* as shown; several lines for predict-output */
	int right;
	uint64_t time_ns; /* predict-time: the duration the text starts with */
	uint32_t line;
} lesson_choice;

typedef struct lesson_quiz {
	lesson_quiz_kind kind;
	char *question;
	char *explain;  /* NULL if the teacher gave none */
	lesson_choice *choices;
	size_t nchoices;
	size_t right;   /* index of the one right choice */
	size_t program; /* index in lesson.programs of what it is about */
	lesson_lines lines;    /* predict-output */
	uint32_t tolerance_pct; /* predict-time: used when tolerance_ns is 0 */
	uint64_t tolerance_ns;
	uint32_t line;
} lesson_quiz;

typedef struct lesson_narration {
	lesson_moment at;
	char *say;
	size_t program; /* index in lesson.programs */
	uint32_t line;  /* of its `at:` */
} lesson_narration;

typedef struct lesson_exercise {
	char *task;
	lesson_goal *goals;
	uint32_t *goal_lines;
	size_t ngoals;
	char **hints;
	size_t nhints;
	size_t start;    /* index in lesson.programs of the starting code */
	size_t solution; /* index in lesson.programs of the solution */
	unsigned tries;  /* failed checks before the solution is shown */
	uint32_t line;
} lesson_exercise;

/* Prose: the Markdown of consecutive ordinary blocks, as written. */
typedef struct lesson_prose {
	char *markdown;
	uint32_t line;
} lesson_prose;

typedef enum lesson_item_kind {
	LESSON_ITEM_PROSE,
	LESSON_ITEM_PROGRAM,
	LESSON_ITEM_QUIZ,
	LESSON_ITEM_NARRATION,
	LESSON_ITEM_EXERCISE
} lesson_item_kind;

/* One part of the lesson, in file order; `index` is in the array of its
 * kind. A narration block with several moments is one item per moment. */
typedef struct lesson_item {
	lesson_item_kind kind;
	size_t index;
} lesson_item;

typedef struct lesson {
	char *path;  /* as given to lesson_load */
	char *id;    /* from the file name: "await-in-loop" */
	unsigned number; /* from the file name: 2 */
	char *title;
	lesson_item *items;
	size_t nitems;
	lesson_prose *prose;
	size_t nprose;
	lesson_program *programs;
	size_t nprograms;
	lesson_quiz *quizzes;
	size_t nquizzes;
	lesson_narration *narrations;
	size_t nnarrations;
	lesson_exercise *exercises;
	size_t nexercises;
} lesson;

/* Reads and parses the lesson at `path`. NULL if the file cannot be read
 * or has any error (each in diags; an unreadable file is one error with
 * line 0). Warnings alone still give a lesson. */
lesson *
lesson_load(const char *path, lesson_diags *diags);

/* The same for text already in memory; `path` names it in diags and gives
 * the id and number. */
lesson *
lesson_parse(const char *path, const char *text, size_t len,
	     lesson_diags *diags);

void
lesson_free(lesson *l);

/* Splits a lesson file's name ("dir/02-await-in-loop.md") into its number
 * and id (a new string). Returns 0, or -1 if the name is not NN-ID.md. */
int
lesson_file_name_parse(const char *path, unsigned *number, char **id);

/* The lesson's program (the first ```rust block), NULL if it has none. */
const lesson_program *
lesson_main_program(const lesson *l);

/* The program a block refers to: an ID given as name=ID, or a number (1 is
 * the lesson's program). Only LESSON_ROLE_PROGRAM programs count. Returns
 * the index in l->programs, or -1. */
int
lesson_program_find(const lesson *l, const char *ref);

/* The file line of line `k` (1-based) of a program. */
#define lesson_program_file_line(p, k) ((p)->line + (k))

#endif
