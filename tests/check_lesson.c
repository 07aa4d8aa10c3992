/* check_lesson — the lesson loader, quizzes and exercises, goals, moments,
 * check-course's truth checks, courses, and the progress store. */
#include "config.h"

#include "check_suites.h"

#include "lesson/lesson_check.h"
#include "lesson/lesson_course.h"
#include "lesson/lesson_diag.h"
#include "lesson/lesson_export.h"
#include "lesson/lesson_file.h"
#include "lesson/lesson_goal.h"
#include "lesson/lesson_progress.h"
#include "lesson/lesson_run.h"
#include "lesson/lesson_text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- helpers ---------------------------------------------------------------- */

/* Parses text as the lesson "01-test.md"; the diagnostics stay in *d. */
static lesson *
parse(const char *text, lesson_diags *d)
{
	lesson_diags_init(d);
	return lesson_parse("01-test.md", text, strlen(text), d);
}

/* 1 if some diagnostic is an error on `line` whose message contains
 * `part`. */
static int
has_error(const lesson_diags *d, uint32_t line, const char *part)
{
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == LESSON_ERROR &&
		    d->items[i].line == line &&
		    strstr(d->items[i].message, part))
			return 1;
	return 0;
}

static void
dump(const lesson_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		char buf[1024];
		lesson_diag_format(&d->items[i], buf, sizeof buf);
		fprintf(stderr, "  %s\n", buf);
	}
}

/* Expects the text not to load, with an error on `line` saying `part`. */
static void
expect_error(const char *text, uint32_t line, const char *part)
{
	lesson_diags d;
	lesson *l = parse(text, &d);
	if (l || !has_error(&d, line, part)) {
		fprintf(stderr, "expected line %u: %s\n", line, part);
		dump(&d);
	}
	ck_assert_ptr_null(l);
	ck_assert(has_error(&d, line, part));
	lesson_diags_free(&d);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static char *
make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/check-lesson.XXXXXX",
		 base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	return strdup(dir);
}

static void
remove_tree(char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
read_all(const char *path)
{
	char *data = NULL, err[256];
	size_t len;
	if (lesson_read_file(path, 1 << 20, &data, &len, err, sizeof err) != 0)
		return NULL;
	return data;
}

static int
exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* How many entries of dir start with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* --- a good lesson ------------------------------------------------------------ */

#define PROGRAM_LOOP                                                          \
	"use std::time::Duration;\n"                                          \
	"\n"                                                                  \
	"async fn job(n: u64) {\n"                                            \
	"    println!(\"job {n} begins\");\n"                                 \
	"    tokio::time::sleep(Duration::from_millis(500)).await;\n"         \
	"    println!(\"job {n} is over\");\n"                                \
	"}\n"                                                                 \
	"\n"                                                                  \
	"#[tokio::main]\n"                                                    \
	"async fn main() {\n"                                                 \
	"    let mut jobs = Vec::new();\n"                                    \
	"    for n in 1..=2 {\n"                                              \
	"        jobs.push(job(n));\n"                                        \
	"    }\n"                                                             \
	"    for j in jobs {\n"                                               \
	"        j.await;\n"                                                  \
	"    }\n"                                                             \
	"    println!(\"done\");\n"                                           \
	"}\n"

#define PROGRAM_JOIN                                                          \
	"use futures::future;\n"                                              \
	"use std::time::Duration;\n"                                          \
	"\n"                                                                  \
	"async fn job(n: u64) {\n"                                            \
	"    println!(\"job {n} begins\");\n"                                 \
	"    tokio::time::sleep(Duration::from_millis(500)).await;\n"         \
	"    println!(\"job {n} is over\");\n"                                \
	"}\n"                                                                 \
	"\n"                                                                  \
	"#[tokio::main]\n"                                                    \
	"async fn main() {\n"                                                 \
	"    future::join_all(vec![job(1), job(2)]).await;\n"                 \
	"    println!(\"done\");\n"                                           \
	"}\n"

/* Line numbers below are those of this text: keep them in step. */
static const char good_lesson[] =
	"# Awaiting *in* a loop\n"                      /* 1 */
	"\n"                                            /* 2 */
	"Some prose, with `code`.\n"                    /* 3 */
	"\n"                                            /* 4 */
	"```rust\n"                                     /* 5 */
	PROGRAM_LOOP                                    /* 6-24 */
	"```\n"                                         /* 25 */
	"\n"                                            /* 26 */
	"```predict-time\n"                             /* 27 */
	"question: How long\n"                          /* 28 */
	"  does it take?\n"                             /* 29 */
	"- [ ] 0.5 s, as one job\n"                     /* 30 */
	"- [x] 1 s\n"                                   /* 31 */
	"tolerance: 50 ms\n"                            /* 32 */
	"explain: One job,\n"                           /* 33 */
	"  then the other.\n"                           /* 34 */
	"  .\n"                                         /* 35 */
	"  A new paragraph.\n"                          /* 36 */
	"```\n"                                         /* 37 */
	"\n"                                            /* 38 */
	"```predict-output\n"                           /* 39 */
	"question: The first two lines?\n"              /* 40 */
	"lines: first 2\n"                              /* 41 */
	"- [x] job 1 begins\n"                          /* 42 */
	"  job 1 is over\n"                             /* 43 */
	"- [ ] job 1 begins\n"                          /* 44 */
	"  job 2 begins\n"                              /* 45 */
	"```\n"                                         /* 46 */
	"\n"                                            /* 47 */
	"```narration\n"                                /* 48 */
	"at: pending job(1)\n"                          /* 49 */
	"say: job(1) waits.\n"                          /* 50 */
	"at: 0.5 s\n"                                   /* 51 */
	"say: Half a second.\n"                         /* 52 */
	"```\n"                                         /* 53 */
	"\n"                                            /* 54 */
	"```rust name=together profile=laptop\n"        /* 55 */
	PROGRAM_JOIN                                    /* 56-69 */
	"```\n"                                         /* 70 */
	"\n"                                            /* 71 */
	"```quiz\n"                                     /* 72 */
	"question: Which is faster?\n"                  /* 73 */
	"program: together\n"                           /* 74 */
	"- [x] join_all\n"                              /* 75 */
	"- [ ] the loop\n"                              /* 76 */
	"```\n"                                         /* 77 */
	"\n"                                            /* 78 */
	"## Your turn\n"                                /* 79 */
	"\n"                                            /* 80 */
	"```exercise\n"                                 /* 81 */
	"task: Make it fast.\n"                         /* 82 */
	"start: 1\n"                                    /* 83 */
	"goal: elapsed <= 0.6 s\n"                      /* 84 */
	"goal: no lint sequential-await\n"              /* 85 */
	"goal: output contains done\n"                  /* 86 */
	"hint: Look at the loop.\n"                     /* 87 */
	"hint: join_all.\n"                             /* 88 */
	"tries: 2\n"                                    /* 89 */
	"```\n"                                         /* 90 */
	"\n"                                            /* 91 */
	"```rust solution\n"                            /* 92 */
	PROGRAM_JOIN                                    /* 93-106 */
	"```\n";                                        /* 107 */

START_TEST(test_good_lesson)
{
	lesson_diags d;
	lesson *l = parse(good_lesson, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(d.len, 0);
	ck_assert_str_eq(l->title, "Awaiting in a loop");
	ck_assert_str_eq(l->id, "test");
	ck_assert_uint_eq(l->number, 1);

	/* The parts in the file's order. */
	static const lesson_item_kind order[] = {
		LESSON_ITEM_PROSE,     LESSON_ITEM_PROGRAM,  LESSON_ITEM_QUIZ,
		LESSON_ITEM_QUIZ,      LESSON_ITEM_NARRATION, LESSON_ITEM_NARRATION,
		LESSON_ITEM_PROGRAM,  LESSON_ITEM_QUIZ,     LESSON_ITEM_PROSE,
		LESSON_ITEM_EXERCISE, LESSON_ITEM_PROGRAM,
	};
	ck_assert_uint_eq(l->nitems, sizeof order / sizeof order[0]);
	for (size_t i = 0; i < l->nitems; i++)
		ck_assert_int_eq(l->items[i].kind, order[i]);

	ck_assert_uint_eq(l->nprose, 2);
	ck_assert_uint_eq(l->prose[0].line, 3);
	ck_assert_str_eq(l->prose[0].markdown, "Some prose, with `code`.\n");
	ck_assert_str_eq(l->prose[1].markdown, "## Your turn\n");

	ck_assert_uint_eq(l->nprograms, 3);
	const lesson_program *p = lesson_main_program(l);
	ck_assert_ptr_eq(p, &l->programs[0]);
	ck_assert_int_eq(p->role, LESSON_ROLE_PROGRAM);
	ck_assert_uint_eq(p->number, 1);
	ck_assert_uint_eq(p->line, 5);
	ck_assert_str_eq(p->source, PROGRAM_LOOP);
	ck_assert_str_eq(p->profile->name, "playground");
	ck_assert_str_eq(l->programs[1].name, "together");
	ck_assert_uint_eq(l->programs[1].number, 2);
	ck_assert_str_eq(l->programs[1].profile->name, "laptop");
	ck_assert_int_eq(l->programs[2].role, LESSON_ROLE_SOLUTION);
	ck_assert_uint_eq(l->programs[2].number, 0);
	ck_assert_int_eq(lesson_program_find(l, "1"), 0);
	ck_assert_int_eq(lesson_program_find(l, "2"), 1);
	ck_assert_int_eq(lesson_program_find(l, "together"), 1);
	ck_assert_int_eq(lesson_program_find(l, "3"), -1);

	ck_assert_uint_eq(l->nquizzes, 3);
	const lesson_quiz *q = &l->quizzes[0];
	ck_assert_int_eq(q->kind, LESSON_QUIZ_TIME);
	ck_assert_str_eq(q->question, "How long does it take?");
	ck_assert_str_eq(q->explain,
			 "One job, then the other.\n\nA new paragraph.");
	ck_assert_uint_eq(q->nchoices, 2);
	ck_assert_uint_eq(q->right, 1);
	ck_assert_uint_eq(q->choices[0].time_ns, 500000000u);
	ck_assert_uint_eq(q->choices[0].line, 30);
	ck_assert_uint_eq(q->choices[1].time_ns, 1000000000u);
	ck_assert_uint_eq(q->tolerance_ns, 50000000u);
	ck_assert_uint_eq(q->program, 0);
	q = &l->quizzes[1];
	ck_assert_int_eq(q->kind, LESSON_QUIZ_OUTPUT);
	ck_assert_str_eq(q->choices[0].text, "job 1 begins\njob 1 is over");
	ck_assert_int_eq(q->lines.kind, LESSON_LINES_FIRST);
	ck_assert_uint_eq(q->lines.from, 2);
	q = &l->quizzes[2];
	ck_assert_int_eq(q->kind, LESSON_QUIZ_CHOICE);
	ck_assert_uint_eq(q->program, 1);
	ck_assert_ptr_null(q->explain);

	ck_assert_uint_eq(l->nnarrations, 2);
	ck_assert_int_eq(l->narrations[0].at.kind, LESSON_MOMENT_PENDING);
	ck_assert_str_eq(l->narrations[0].at.name, "job(1)");
	ck_assert_str_eq(l->narrations[0].say, "job(1) waits.");
	ck_assert_uint_eq(l->narrations[0].line, 49);
	ck_assert_uint_eq(l->narrations[0].program, 0);
	ck_assert_int_eq(l->narrations[1].at.kind, LESSON_MOMENT_TIME);
	ck_assert_uint_eq(l->narrations[1].program, 0);

	ck_assert_uint_eq(l->nexercises, 1);
	const lesson_exercise *e = &l->exercises[0];
	ck_assert_str_eq(e->task, "Make it fast.");
	ck_assert_uint_eq(e->ngoals, 3);
	ck_assert_int_eq(e->goals[0].kind, LESSON_GOAL_ELAPSED);
	ck_assert_uint_eq(e->goal_lines[1], 85);
	ck_assert_uint_eq(e->nhints, 2);
	ck_assert_str_eq(e->hints[1], "join_all.");
	ck_assert_uint_eq(e->tries, 2);
	ck_assert_uint_eq(e->start, 0);
	ck_assert_uint_eq(e->solution, 2);
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

/* The defaults: the nearest program above, three tries, 10%, and a
 * ```rust start block. */
START_TEST(test_defaults)
{
	static const char text[] =
		"# Defaults\n"
		"```predict-time\n"
		"question: Before any program?\n"
		"- [x] 1 s\n"
		"- [ ] 2 s\n"
		"```\n"
		"```rust\nfn main() {}\n```\n"
		"```rust name=second\nfn main() {}\n```\n"
		"```narration\nat: start\nsay: Hello.\n```\n"
		"```exercise\ntask: T.\ngoal: finishes\n"
		"goal: output is\n  one\n    two\n```\n"
		"~~~rust start\nfn main() { panic!(\"no\"); }\n~~~\n"
		"```rust solution\nfn main() {}\n```\n"
		"```rust-snippet\nnot a program\n```\n";
	lesson_diags d;
	lesson *l = parse(text, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(l->quizzes[0].program, 0); /* none above: the first */
	ck_assert_uint_eq(l->quizzes[0].tolerance_pct, 10);
	ck_assert_uint_eq(l->narrations[0].program, 1); /* nearest above */
	ck_assert_uint_eq(l->exercises[0].tries, LESSON_DEFAULT_TRIES);
	/* An expected output keeps its lines, and its indentation past the
	 * two spaces of a continuation. */
	ck_assert_int_eq(l->exercises[0].goals[1].kind, LESSON_GOAL_OUTPUT_IS);
	ck_assert_str_eq(l->exercises[0].goals[1].text, "one\n  two");
	ck_assert_int_eq(l->programs[l->exercises[0].start].role,
			 LESSON_ROLE_START);
	ck_assert_uint_eq(l->nprograms, 4);
	ck_assert_uint_eq(l->nprose, 1); /* the snippet is prose */
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

/* --- every kind of error, with its line --------------------------------------- */

typedef struct bad_case {
	const char *text;
	uint32_t line;
	const char *part;
} bad_case;

#define PROG "```rust\nfn main() {}\n```\n"

static const bad_case bad_cases[] = {
	/* the title */
	{"Prose first.\n\n# Title\n", 1, "starts with its title"},
	{"", 1, "the lesson is empty"},
	{"   \n\n", 1, "the lesson is empty"},
	/* quizzes */
	{"# T\n```quiz\nquestion: Q\n- [x] a\n- [x] b\n- [ ] c\n```\n", 2,
	 "2 right answers (a and b)"},
	{"# T\n```quiz\nquestion: Q\n- [ ] a\n- [ ] b\n```\n", 2,
	 "no right answer"},
	{"# T\n```quiz\nquestion: Q\n- [x] a\n```\n", 2, "at least two choices"},
	{"# T\n```quiz\n- [x] a\n- [ ] b\n```\n", 2, "needs a 'question:' line"},
	{"# T\n```quiz\nquestion: Q\ncolour: blue\n- [x] a\n- [ ] b\n```\n", 4,
	 "has no field 'colour'"},
	{"# T\n```quiz\nquestion: Q\nquestion: R\n- [x] a\n- [ ] b\n```\n", 4,
	 "given twice"},
	{"# T\n```quiz\nquestion: Q\n* [x] a\n- [ ] b\n```\n", 4,
	 "a choice is written"},
	{"# T\n```quiz\nquestion: Q\nno colon here\n```\n", 4, "'key: value'"},
	{"# T\n```quiz\n  orphan\nquestion: Q\n- [x] a\n- [ ] b\n```\n", 3,
	 "but there is none"},
	{"# T\n```quiz\nquestion:\n- [x] a\n- [ ] b\n```\n", 3,
	 "the question is empty"},
	{"# T\n" PROG "```predict-time\nquestion: Q\n- [x] soon\n- [ ] 1 s\n```\n",
	 7, "starts with a duration"},
	{"# T\n" PROG
	 "```predict-time\nquestion: Q\ntolerance: lots\n- [x] 1 s\n- [ ] 2 s\n"
	 "```\n",
	 7, "is not a tolerance"},
	{"# T\n" PROG
	 "```predict-output\nquestion: Q\nlines: some\n- [x] a\n- [ ] b\n```\n",
	 7, "not a choice of lines"},
	{"# T\n" PROG
	 "```predict-output\nquestion: Q\nlines: 3-1\n- [x] a\n- [ ] b\n```\n",
	 7, "not a choice of lines"},
	{"# T\n```predict-output\nquestion: Q\n- [x] a\n- [ ] b\n```\n", 2,
	 "has no ```rust program"},
	{"# T\n" PROG
	 "```quiz\nquestion: Q\nprogram: nine\n- [x] a\n- [ ] b\n```\n",
	 7, "there is no program 'nine'"},
	/* blocks */
	{"# T\n```quizz\nquestion: Q\n```\n", 2, "did you mean '```quiz'"},
	{"# T\n```narrate\nat: start\n```\n", 2, "did you mean '```narration'"},
	{"# T\n```exercice\ntask: T\n```\n", 2, "did you mean '```exercise'"},
	{"# T\n```quiz\nquestion: Q\n- [x] a\n", 2, "never closed"},
	{"# T\n- item\n\n  ```quiz\n  question: Q\n  ```\n", 4,
	 "inside a list or a quote"},
	{"# T\n> ```rust\n> fn main() {}\n> ```\n", 2,
	 "inside a list or a quote"},
	/* programs */
	{"# T\n```rust nmae=x\nfn main() {}\n```\n", 2, "means nothing after"},
	{"# T\n```rust profile=mainframe\nfn main() {}\n```\n", 2,
	 "no profile 'mainframe'"},
	{"# T\n```rust name=a.b\nfn main() {}\n```\n", 2, "a program's name"},
	{"# T\n```rust name=a\nfn main() {}\n```\n```rust name=a\nfn main() "
	 "{}\n```\n",
	 5, "already a program called 'a'"},
	{"# T\n```rust\n\n```\n", 2, "this program is empty"},
	{"# T\n```rust start solution\nfn main() {}\n```\n", 2, "not both"},
	{"# T\n```rust solution\nfn main() {}\n```\n", 2,
	 "there is none"},
	/* the real-* words for the test against real Rust */
	{"# T\n```rust real-skip=\nfn main() {}\n```\n", 2,
	 "real-skip needs a reason"},
	{"# T\n```rust real-skip=\"\"\nfn main() {}\n```\n", 2,
	 "real-skip needs a reason"},
	{"# T\n```rust real-skip=\"too slow\nfn main() {}\n```\n", 2,
	 "never closed"},
	{"# T\n```rust real-exit=256\nfn main() {}\n```\n", 2,
	 "from 0 to 255"},
	{"# T\n```rust real-exit=x\nfn main() {}\n```\n", 2,
	 "from 0 to 255"},
	{"# T\n```rust real-profile=mainframe\nfn main() {}\n```\n", 2,
	 "no profile 'mainframe'"},
	{"# T\n```rust real-sort\nfn main() {}\n```\n", 2,
	 "means nothing after"},
	/* narration */
	{"# T\n" PROG "```narration\nat: sneezes foo(1)\nsay: S\n```\n", 6,
	 "not a kind of moment"},
	{"# T\n" PROG "```narration\nat: pending\nsay: S\n```\n", 6,
	 "needs a future's name"},
	{"# T\n" PROG "```narration\nat: lint sloppy\nsay: S\n```\n", 6,
	 "no lint called 'sloppy'"},
	{"# T\n" PROG "```narration\nat: ready foo(1) #0\nsay: S\n```\n", 6,
	 "count from #1"},
	{"# T\n" PROG "```narration\nat: end now\nsay: S\n```\n", 6,
	 "takes nothing after it"},
	{"# T\n" PROG "```narration\nat: start\nsay: S\nsay: T\n```\n", 8,
	 "must follow an 'at:'"},
	{"# T\n" PROG "```narration\nat: start\nat: end\nsay: S\n```\n", 6,
	 "nothing to say"},
	{"# T\n```narration\nat: start\nsay: S\n```\n", 2,
	 "has no ```rust program"},
	/* exercises and goals */
	{"# T\n" PROG "```exercise\ngoal: finishes\nstart: 1\n```\n"
	 "```rust solution\nfn main() {}\n```\n",
	 5, "needs a 'task:' line"},
	{"# T\n" PROG "```exercise\ntask: T\nstart: 1\n```\n"
	 "```rust solution\nfn main() {}\n```\n",
	 5, "needs a 'goal:' line"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: faster please\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "is not a goal"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: elapsed <= soon\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "not a duration"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: elapsed 1 s\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "needs a comparison"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: polls < many\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "not a whole number"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: no lint sloppy\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "no lint called 'sloppy'"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes soon\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "takes nothing after it"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: output contains\nstart: 1\n"
	 "```\n```rust solution\nfn main() {}\n```\n",
	 7, "needs the text after it"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\ntries: many\n"
	 "start: 1\n```\n```rust solution\nfn main() {}\n```\n",
	 8, "whole number of failed checks"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\nstart: 1\n```\n", 5,
	 "has no solution"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\n```\n"
	 "```rust solution\nfn main() {}\n```\n",
	 5, "has no starting code"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\nstart: 1\n```\n"
	 "```rust start\nfn main() {}\n```\n```rust solution\nfn main() {}\n"
	 "```\n",
	 8, "both 'start:' and a ```rust start block (line 10)"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\nstart: 1\n```\n"
	 "```rust solution\nfn main() {}\n```\n```rust solution\nfn main() "
	 "{}\n```\n",
	 13, "already has its solution (line 10)"},
	{"# T\n" PROG "```exercise\ntask: T\ngoal: finishes\nstart: two\n```\n"
	 "```rust solution\nfn main() {}\n```\n",
	 8, "there is no program 'two'"},
};

START_TEST(test_bad_lesson)
{
	const bad_case *c = &bad_cases[_i];
	expect_error(c->text, c->line, c->part);
}
END_TEST

START_TEST(test_bad_file_name)
{
	lesson_diags d;
	lesson_diags_init(&d);
	lesson *l = lesson_parse("lessons/intro.md", "# T\n", 4, &d);
	ck_assert_ptr_null(l);
	ck_assert(has_error(&d, 0, "file name is a number"));
	lesson_diags_free(&d);

	unsigned n;
	char *id;
	ck_assert_int_eq(lesson_file_name_parse("a/b/07-x_y-z.md", &n, &id), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(id, "x_y-z");
	free(id);
	ck_assert_int_eq(lesson_file_name_parse("07x.md", &n, NULL), -1);
	ck_assert_int_eq(lesson_file_name_parse("-x.md", &n, NULL), -1);
	ck_assert_int_eq(lesson_file_name_parse("07-.md", &n, NULL), -1);
	ck_assert_int_eq(lesson_file_name_parse("07-x.txt", &n, NULL), -1);
	ck_assert_int_eq(lesson_file_name_parse("07-a b.md", &n, NULL), -1);
}
END_TEST

/* Every problem is listed, not only the first, in line order. */
START_TEST(test_all_errors_listed)
{
	static const char text[] =
		"# T\n"
		"```quiz\nquestion: Q\n- [ ] a\n- [ ] b\n```\n" /* 2 */
		"```exercise\ntask: T\ngoal: nonsense\n```\n"  /* 7 */
		"```quizz\n```\n";                            /* 11 */
	lesson_diags d;
	lesson *l = parse(text, &d);
	ck_assert_ptr_null(l);
	ck_assert(has_error(&d, 2, "no right answer"));
	ck_assert(has_error(&d, 9, "is not a goal"));
	ck_assert(has_error(&d, 11, "did you mean"));
	for (size_t i = 1; i < d.len; i++)
		ck_assert_uint_le(d.items[i - 1].line, d.items[i].line);
	char buf[256];
	lesson_diag_format(&d.items[0], buf, sizeof buf);
	ck_assert_str_eq(buf, "01-test.md:2: error: this quiz has no right "
			      "answer; mark exactly one choice with [x]");
	lesson_diags_free(&d);
}
END_TEST

START_TEST(test_load_missing_file)
{
	lesson_diags d;
	lesson_diags_init(&d);
	ck_assert_ptr_null(lesson_load("/nonexistent/01-x.md", &d));
	ck_assert(has_error(&d, 0, "cannot open the lesson"));
	lesson_diags_free(&d);
}
END_TEST

/* --- the small languages ------------------------------------------------------- */

START_TEST(test_durations)
{
	uint64_t ns;
	ck_assert_uint_eq(lesson_duration_parse("500 ms", &ns), 6);
	ck_assert_uint_eq(ns, 500000000u);
	ck_assert_uint_eq(lesson_duration_parse("1.5s, later", &ns), 4);
	ck_assert_uint_eq(ns, 1500000000u);
	ck_assert_uint_eq(lesson_duration_parse("2 us", &ns), 4);
	ck_assert_uint_eq(ns, 2000u);
	ck_assert_uint_eq(lesson_duration_parse("7ns", &ns), 3);
	ck_assert_uint_eq(ns, 7u);
	ck_assert_uint_eq(lesson_duration_parse("1_000 ms", &ns), 8);
	ck_assert_uint_eq(ns, 1000000000u);
	ck_assert_uint_eq(lesson_duration_parse("0.000000001 s", &ns), 13);
	ck_assert_uint_eq(ns, 1u);
	ck_assert_uint_eq(lesson_duration_parse("5 sec", &ns), 0);
	ck_assert_uint_eq(lesson_duration_parse("soon", &ns), 0);
	ck_assert_uint_eq(lesson_duration_parse("5", &ns), 0);

	char buf[32];
	lesson_duration_format(1500000000u, buf, sizeof buf);
	ck_assert_str_eq(buf, "1.5 s");
	lesson_duration_format(2000000000u, buf, sizeof buf);
	ck_assert_str_eq(buf, "2 s");
	lesson_duration_format(21000u, buf, sizeof buf);
	ck_assert_str_eq(buf, "0.000021 s");
	lesson_duration_format(999999999u, buf, sizeof buf);
	ck_assert_str_eq(buf, "1 s");
}
END_TEST

START_TEST(test_lines_and_output)
{
	lesson_lines sel;
	char err[256], buf[64];
	ck_assert_int_eq(lesson_lines_parse("all", &sel, err, sizeof err), 0);
	ck_assert_int_eq(sel.kind, LESSON_LINES_ALL);
	ck_assert_int_eq(lesson_lines_parse("last 2", &sel, err, sizeof err), 0);
	ck_assert_int_eq(sel.kind, LESSON_LINES_LAST);
	lesson_lines_describe(&sel, buf, sizeof buf);
	ck_assert_str_eq(buf, "the last 2 lines");
	ck_assert_int_eq(lesson_lines_parse("3", &sel, err, sizeof err), 0);
	lesson_lines_describe(&sel, buf, sizeof buf);
	ck_assert_str_eq(buf, "line 3");
	ck_assert_int_eq(lesson_lines_parse("2-3", &sel, err, sizeof err), 0);
	ck_assert_int_eq(lesson_lines_parse("first 0", &sel, err, sizeof err),
			 -1);
	ck_assert_int_eq(lesson_lines_parse("0", &sel, err, sizeof err), -1);

	static const char out[] = "a  \r\nb\t\nc\nd\n\n\n";
	char *n = lesson_output_normalize(out, strlen(out), NULL);
	ck_assert_str_eq(n, "a\nb\nc\nd");
	free(n);
	lesson_lines_parse("2-3", &sel, err, sizeof err);
	n = lesson_output_normalize(out, strlen(out), &sel);
	ck_assert_str_eq(n, "b\nc");
	free(n);
	lesson_lines_parse("last 1", &sel, err, sizeof err);
	n = lesson_output_normalize(out, strlen(out), &sel);
	ck_assert_str_eq(n, "d");
	free(n);
	lesson_lines_parse("first 9", &sel, err, sizeof err);
	n = lesson_output_normalize(out, strlen(out), &sel);
	ck_assert_str_eq(n, "a\nb\nc\nd");
	free(n);
	n = lesson_output_normalize("", 0, NULL);
	ck_assert_str_eq(n, "");
	free(n);
}
END_TEST

static lesson_run
run_text(const char *src, int full)
{
	lesson_run r;
	lesson_run_options o = {NULL, NULL, full};
	ck_assert_int_eq(lesson_run_program(src, strlen(src), &o, &r), 0);
	ck_assert(r.compiled);
	return r;
}

START_TEST(test_moments)
{
	lesson_run r = run_text(PROGRAM_LOOP, 1);
	char err[512];
	lesson_moment m;
	ck_assert_int_eq(lesson_moment_parse("start", &m, err, sizeof err), 0);
	ck_assert_int_eq(lesson_moment_find(&m, r.log), 0);
	ck_assert_int_eq(lesson_moment_parse("end", &m, err, sizeof err), 0);
	ck_assert_int_eq(lesson_moment_find(&m, r.log),
			 (int64_t)trace_log_stored(r.log));

	/* job(1) returns Pending once, then Ready. */
	ck_assert_int_eq(lesson_moment_parse("pending job(1)", &m, err,
					     sizeof err), 0);
	int64_t at = lesson_moment_find(&m, r.log);
	ck_assert_int_gt(at, 0);
	const trace_event *ev = trace_log_at(r.log, (size_t)at - 1);
	ck_assert_int_eq(ev->kind, TRACE_POLL_END);
	ck_assert_int_eq(ev->flags, TRACE_PENDING);
	char what[128];
	lesson_moment_describe(&m, what, sizeof what);
	ck_assert_str_eq(what, "job(1) returns Pending");
	lesson_moment_free(&m);

	ck_assert_int_eq(lesson_moment_parse("pending job(1) #2", &m, err,
					     sizeof err), 0);
	ck_assert_uint_eq(m.nth, 2);
	ck_assert_int_eq(lesson_moment_find(&m, r.log), -1);
	lesson_moment_describe(&m, what, sizeof what);
	ck_assert_str_eq(what, "job(1) returns Pending (the 2nd time)");
	lesson_moment_free(&m);

	/* Two sleeps share a name: their occurrences count together. */
	ck_assert_int_eq(lesson_moment_parse("timer sleep(500ms) #2", &m, err,
					     sizeof err), 0);
	ck_assert_int_gt(lesson_moment_find(&m, r.log), 0);
	lesson_moment_free(&m);

	ck_assert_int_eq(lesson_moment_parse("ready job(2)", &m, err,
					     sizeof err), 0);
	int64_t ready2 = lesson_moment_find(&m, r.log);
	ck_assert_uint_ge(trace_log_at(r.log, (size_t)ready2 - 1)->time_ns,
			  1000000000u);
	lesson_moment_free(&m);

	ck_assert_int_eq(lesson_moment_parse("0.6 s", &m, err, sizeof err), 0);
	at = lesson_moment_find(&m, r.log);
	ck_assert_int_gt(at, 0);
	ck_assert_uint_ge(trace_log_at(r.log, (size_t)at - 1)->time_ns,
			  600000000u);
	ck_assert_uint_lt(trace_log_at(r.log, (size_t)at - 2)->time_ns,
			  600000000u);
	ck_assert_int_eq(lesson_moment_parse("9 s", &m, err, sizeof err), 0);
	ck_assert_int_eq(lesson_moment_find(&m, r.log), -1);

	ck_assert_int_eq(lesson_moment_parse("prints job 2 is", &m, err,
					     sizeof err), 0);
	ck_assert_int_gt(lesson_moment_find(&m, r.log), ready2 - 10);
	lesson_moment_free(&m);
	ck_assert_int_eq(lesson_moment_parse("blocked main", &m, err,
					     sizeof err), 0);
	ck_assert_int_gt(lesson_moment_find(&m, r.log), 0);
	lesson_moment_free(&m);
	ck_assert_int_eq(lesson_moment_parse("lint sequential-await", &m, err,
					     sizeof err), 0);
	ck_assert_int_gt(lesson_moment_find(&m, r.log), 0);
	lesson_moment_free(&m);
	ck_assert_int_eq(lesson_moment_parse("panic", &m, err, sizeof err), 0);
	ck_assert_int_eq(lesson_moment_find(&m, r.log), -1);
	lesson_moment_free(&m);
	lesson_run_free(&r);

	/* Without the full trace no moment can be found. */
	r = run_text(PROGRAM_LOOP, 0);
	ck_assert_int_eq(lesson_moment_parse("start", &m, err, sizeof err), 0);
	ck_assert_int_eq(lesson_moment_find(&m, r.log), -1);
	lesson_run_free(&r);
}
END_TEST

/* --- goals ------------------------------------------------------------------------ */

static int
goal(const char *text, const lesson_run *r, char *why, size_t size)
{
	lesson_goal g;
	char err[512];
	if (lesson_goal_parse(text, &g, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", text, err);
		ck_abort();
	}
	int met = lesson_goal_check(&g, r, why, size);
	lesson_goal_free(&g);
	return met;
}

START_TEST(test_goals)
{
	lesson_run loop = run_text(PROGRAM_LOOP, 0);
	lesson_run join = run_text(PROGRAM_JOIN, 0);
	char why[512];

	ck_assert(!goal("elapsed <= 0.6 s", &loop, why, sizeof why));
	ck_assert_str_eq(why, "The program took 1.002003 s of virtual time; "
			      "the goal is at most 0.6 s.");
	ck_assert(goal("elapsed <= 0.6 s", &join, why, sizeof why));
	ck_assert(goal("elapsed > 900ms", &loop, why, sizeof why));
	ck_assert(goal("elapsed < 1 s", &join, why, sizeof why));

	ck_assert(!goal("no lint sequential-await", &loop, why, sizeof why));
	ck_assert(strstr(why, "The lint sequential-await fired: "));
	ck_assert(goal("lint sequential-await", &loop, why, sizeof why));
	ck_assert(goal("no lint sequential-await", &join, why, sizeof why));
	ck_assert_str_eq(why, "The lint sequential-await did not fire.");
	ck_assert(goal("no lints", &join, why, sizeof why));
	ck_assert(!goal("no lints", &loop, why, sizeof why));

	ck_assert(goal("output contains job 2 is over", &loop, why, sizeof why));
	ck_assert(!goal("output contains job 3", &loop, why, sizeof why));
	ck_assert_str_eq(why, "Nothing in the output is \"job 3\".");
	ck_assert(goal("output is job 1 begins\njob 1 is over\njob 2 begins\n"
		       "job 2 is over\ndone",
		       &loop, why, sizeof why));
	ck_assert(!goal("output is job 1 begins\njob 1 is over\njob 2 begins\n"
			"job 2 is over\ndone",
			&join, why, sizeof why));
	ck_assert_str_eq(why, "Line 2 of the output is \"job 2 begins\"; the "
			      "goal expects \"job 1 is over\".");
	ck_assert(!goal("output is job 1 begins", &join, why, sizeof why));
	ck_assert(strstr(why, "goes on after the 1 line"));
	ck_assert(!goal("output is\njob 1 begins\njob 2 begins\njob 1 is over\n"
			"job 2 is over\ndone\nmore",
			&join, why, sizeof why));
	ck_assert(strstr(why, "ends after 5 lines"));

	ck_assert(goal("finishes", &loop, why, sizeof why));
	ck_assert(goal("polls >= 3", &loop, why, sizeof why));
	ck_assert(!goal("threads > 1", &loop, why, sizeof why));
	ck_assert_str_eq(why, "The run had 1 threads; the goal is more than 1.");
	ck_assert(goal("tasks <= 1", &join, why, sizeof why));
	ck_assert(goal("futures >= 5", &join, why, sizeof why));

	lesson_goal g;
	char desc[256], err[256];
	ck_assert_int_eq(lesson_goal_parse("elapsed <= 1.1 s", &g, err,
					   sizeof err), 0);
	lesson_goal_describe(&g, desc, sizeof desc);
	ck_assert_str_eq(desc,
			 "the program takes at most 1.1 s of virtual time");
	ck_assert_int_eq(lesson_goal_parse("no lint blocking-in-async", &g, err,
					   sizeof err), 0);
	lesson_goal_describe(&g, desc, sizeof desc);
	ck_assert_str_eq(desc, "the lint blocking-in-async does not fire");
	lesson_run_free(&loop);
	lesson_run_free(&join);

	lesson_run panic = run_text("fn main() { panic!(\"boom\"); }\n", 0);
	ck_assert(!goal("finishes", &panic, why, sizeof why));
	ck_assert_str_eq(why, "The program panicked.");
	ck_assert(goal("output contains boom", &panic, why, sizeof why));
	lesson_run_free(&panic);
}
END_TEST

/* --- quizzes and exercises ------------------------------------------------------------ */

START_TEST(test_quiz_truth)
{
	lesson_diags d;
	lesson *l = parse(good_lesson, &d);
	ck_assert_ptr_nonnull(l);
	lesson_run r = run_text(PROGRAM_LOOP, 0);
	/* predict-time: 1 s within 50 ms; 0.5 s is not. */
	ck_assert(lesson_choice_matches(&l->quizzes[0], 1, &r));
	ck_assert(!lesson_choice_matches(&l->quizzes[0], 0, &r));
	/* predict-output over the first two lines. */
	ck_assert(lesson_choice_matches(&l->quizzes[1], 0, &r));
	ck_assert(!lesson_choice_matches(&l->quizzes[1], 1, &r));
	/* A plain quiz is never decided by a run. */
	ck_assert(!lesson_choice_matches(&l->quizzes[2], 0, &r));
	lesson_run_free(&r);

	/* The whole lesson is true. */
	ck_assert_uint_eq(lesson_check_lesson(l, &d), 0);
	if (d.len)
		dump(&d);
	ck_assert_uint_eq(d.len, 0);
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

/* A quiz or narration without `program:` is about the nearest program
 * above it that the learner can run as it is: the lesson's program or a
 * variant. An exercise's starting code and its hidden solution never
 * count, even right above the quiz. */
START_TEST(test_default_program_skips_exercise_code)
{
	static const char text[] =
		"# Which program\n"
		"```rust\nfn main() { println!(\"one\"); }\n```\n"
		"```rust name=two\nfn main() { println!(\"two\"); }\n```\n"
		"```exercise\ntask: T.\ngoal: output is three\n```\n"
		"```rust start name=begin\nfn main() { println!(\"start\"); }\n"
		"```\n"
		"```predict-output\nquestion: After the starting code?\n"
		"- [x] two\n- [ ] start\n```\n"
		"```rust solution name=fix\n"
		"fn main() { println!(\"three\"); }\n```\n"
		"```predict-output\nquestion: After the solution?\n"
		"- [x] two\n- [ ] three\n```\n"
		"```narration\nat: prints two\nsay: S.\n```\n";
	lesson_diags d;
	lesson *l = parse(text, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->programs[3].role, LESSON_ROLE_SOLUTION);
	ck_assert_uint_eq(l->quizzes[0].program, 1);
	ck_assert_uint_eq(l->quizzes[1].program, 1);
	ck_assert_uint_eq(l->narrations[0].program, 1);
	/* check-course agrees: each quiz is true of program two. */
	ck_assert_uint_eq(lesson_check_lesson(l, &d), 0);
	if (d.len)
		dump(&d);
	lesson_free(l);
	lesson_diags_free(&d);

	/* Exercise code first, the lesson's program after: the quiz after
	 * the solution is about the lesson's program, below it. */
	static const char later[] =
		"# Later\n"
		"```exercise\ntask: T.\ngoal: output is three\n```\n"
		"```rust start\nfn main() { println!(\"start\"); }\n```\n"
		"```rust solution\nfn main() { println!(\"three\"); }\n```\n"
		"```predict-output\nquestion: Q\n- [x] one\n- [ ] three\n```\n"
		"```rust\nfn main() { println!(\"one\"); }\n```\n";
	l = parse(later, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->programs[l->quizzes[0].program].role,
			 LESSON_ROLE_PROGRAM);
	ck_assert_uint_eq(l->quizzes[0].program, 2);
	lesson_free(l);
	lesson_diags_free(&d);

	/* Naming exercise code is an error that says why. */
	static const char named[] =
		"# Named\n"
		"```rust\nfn main() {}\n```\n"
		"```exercise\ntask: T.\nstart: 1\ngoal: finishes\n```\n"
		"```rust solution name=fix\nfn main() {}\n```\n"
		"```quiz\nquestion: Q\nprogram: fix\n- [x] a\n- [ ] b\n```\n";
	expect_error(named, 15, "'fix' is an exercise's solution (line 10)");
}
END_TEST

/* What a teacher writes for a panic in an expected output: the panic's
 * first line as Rust prints it, with the file named any way (main.rs,
 * src/main.rs, the lesson's NN-ID.rs in the visualizer) and with or
 * without the thread id that Rust 1.89 and later print; and no empty line
 * before it. Only the thread's name and LINE:COL are compared. */
START_TEST(test_panic_output)
{
	static const char sim[] =
		"before\n"
		"\n"
		"thread 'main' panicked at main.rs:3:5:\n"
		"too many cups\n"
		"note: run with `RUST_BACKTRACE=1` environment variable to "
		"display a backtrace\n";
	static const char *const same[] = {
		"before\n"
		"thread 'main' panicked at main.rs:3:5:\n"
		"too many cups\n"
		"note: run with `RUST_BACKTRACE=1` environment variable to "
		"display a backtrace",
		"before\n"
		"\n"
		"thread 'main' panicked at src/main.rs:3:5:\n"
		"too many cups\n"
		"note: run with `RUST_BACKTRACE=1` environment variable to "
		"display a backtrace",
		"before\n"
		"thread 'main' (28438) panicked at 02-tea.rs:3:5:\n"
		"too many cups\n"
		"note: run with `RUST_BACKTRACE=1` environment variable to "
		"display a backtrace\n",
	};
	char *want = lesson_output_normalize(sim, strlen(sim), NULL);
	ck_assert_str_eq(want,
			 "before\n"
			 "thread 'main' panicked at main.rs:3:5:\n"
			 "too many cups\n"
			 "note: run with `RUST_BACKTRACE=1` environment "
			 "variable to display a backtrace");
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *n = lesson_output_normalize(same[i], strlen(same[i]),
						  NULL);
		ck_assert_str_eq(n, want);
		free(n);
	}
	/* `lines:` counts the lines a teacher sees: line 2 is the panic. */
	lesson_lines sel;
	char err[128];
	ck_assert_int_eq(lesson_lines_parse("2", &sel, err, sizeof err), 0);
	char *n = lesson_output_normalize(sim, strlen(sim), &sel);
	ck_assert_str_eq(n, "thread 'main' panicked at main.rs:3:5:");
	free(n);
	free(want);
	/* The line and column still count, and so does the thread. */
	static const char *const differ[] = {
		"before\nthread 'main' panicked at main.rs:4:5:",
		"before\nthread 'main' panicked at main.rs:3:9:",
		"before\nthread 'worker' panicked at main.rs:3:5:",
	};
	ck_assert_int_eq(lesson_lines_parse("first 2", &sel, err, sizeof err),
			 0);
	want = lesson_output_normalize(sim, strlen(sim), &sel);
	for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
		n = lesson_output_normalize(differ[i], strlen(differ[i]), NULL);
		ck_assert_str_ne(n, want);
		free(n);
	}
	free(want);
	/* Other empty lines, and lines that only look like panics, stay. */
	static const char other[] = "a\n\nthread 'main' panicked at nowhere\n";
	n = lesson_output_normalize(other, strlen(other), NULL);
	ck_assert_str_eq(n, "a\n\nthread 'main' panicked at nowhere");
	free(n);

	/* A whole lesson: the teacher copies the panic from a cargo run. */
	static const char text[] =
		"# Panic\n"
		"```rust\n"
		"fn main() {\n"
		"    println!(\"pouring\");\n"
		"    let cups: Vec<u32> = Vec::new();\n"
		"    println!(\"{}\", cups[0]);\n"
		"}\n"
		"```\n"
		"```predict-output\nquestion: Q\nlines: first 3\n"
		"- [x] pouring\n"
		"  thread 'main' panicked at src/main.rs:4:24:\n"
		"  index out of bounds: the len is 0 but the index is 0\n"
		"- [ ] pouring\n"
		"  0\n"
		"```\n";
	lesson_diags d;
	lesson *l = parse(text, &d);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(lesson_check_lesson(l, &d), 0);
	if (d.len)
		dump(&d);
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

/* The event a moment is at (its cursor position minus one). */
static const trace_event *
moment_event(const char *text, const trace_log *log)
{
	lesson_moment m;
	char err[256];
	ck_assert_int_eq(lesson_moment_parse(text, &m, err, sizeof err), 0);
	int64_t at = lesson_moment_find(&m, log);
	lesson_moment_free(&m);
	return at > 0 ? trace_log_at(log, (size_t)at - 1) : NULL;
}

/* `#N` when futures share a name (each job's sleep(500ms)): what happens
 * to all of them counts together, in the order it happens, so #2 is the
 * second time it happens to any of them; it is not the Nth future. */
START_TEST(test_moment_shared_name)
{
	lesson_run r = run_text(PROGRAM_JOIN, 1);
	const trace_event *first = moment_event("created sleep(500ms)", r.log);
	const trace_event *second =
		moment_event("created sleep(500ms) #2", r.log);
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(second);
	ck_assert_uint_ne(first->future, second->future);
	ck_assert_ptr_null(moment_event("created sleep(500ms) #3", r.log));
	/* Each sleep is Pending once: the second Pending is the second
	 * sleep's first, and there is no third. */
	const trace_event *ev = moment_event("pending sleep(500ms) #2", r.log);
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->future, second->future);
	ck_assert_ptr_null(moment_event("pending sleep(500ms) #3", r.log));
	ev = moment_event("ready sleep(500ms) #2", r.log);
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->future, second->future);
	/* A name no other future has counts that future's own events:
	 * job(1) is polled twice (Pending, then Ready). */
	ck_assert_ptr_nonnull(moment_event("polled job(1) #2", r.log));
	ck_assert_ptr_null(moment_event("polled job(1) #3", r.log));
	lesson_run_free(&r);
}
END_TEST

START_TEST(test_lesson_lies)
{
	static const char text[] =
		"# Lies\n"                                         /* 1 */
		"```rust\n"                                        /* 2 */
		"#[tokio::main]\n"                                 /* 3 */
		"async fn main() {\n"                              /* 4 */
		"    tokio::time::sleep(std::time::Duration::from_millis(300)).await;\n"
		"    println!(\"awake\");\n"                       /* 6 */
		"}\n"                                              /* 7 */
		"```\n"                                            /* 8 */
		"```predict-time\nquestion: Q\n"                   /* 9, 10 */
		"- [x] 1 s\n"                                      /* 11 */
		"- [ ] 310 ms\n"                                   /* 12 */
		"```\n"                                            /* 13 */
		"```predict-output\nquestion: Q\n"                 /* 14, 15 */
		"- [x] asleep\n"                                   /* 16 */
		"- [ ] awake\n"                                    /* 17 */
		"```\n"                                            /* 18 */
		"```narration\nat: ready sleep(1s)\nsay: S\n```\n" /* 19-22 */
		"```exercise\ntask: T\nstart: 1\n"                 /* 23-25 */
		"goal: finishes\n"                                 /* 26 */
		"goal: output contains awake\n"                    /* 27 */
		"```\n"                                            /* 28 */
		"```rust solution\n"                               /* 29 */
		"fn main() {\n"                                    /* 30 */
		"    let x = frobnicate();\n"                      /* 31 */
		"}\n"                                              /* 32 */
		"```\n"                                            /* 33 */
		"```rust name=types\n"                             /* 34 */
		"fn main() {\n"                                    /* 35 */
		"    let s = \"a\" + 1;\n"                         /* 36 */
		"}\n"                                              /* 37 */
		"```\n";                                           /* 38 */
	lesson_diags d;
	lesson *l = parse(text, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	size_t errors = lesson_check_lesson(l, &d);
	if (errors != 8)
		dump(&d);
	ck_assert(has_error(&d, 11, "the answer marked right is not what the "
				    "program does: it takes 0.3"));
	ck_assert(has_error(&d, 12, "marked wrong, but the program takes"));
	ck_assert(has_error(&d, 16, "the answer marked right is not what the "
				    "program prints: the whole output is "
				    "\"awake\""));
	ck_assert(has_error(&d, 17, "marked wrong, but it is what the program "
				    "prints"));
	ck_assert(has_error(&d, 20, "never happens in the run of program 1 "
				    "(line 2): sleep(1s) returns Ready"));
	ck_assert(has_error(&d, 23, "already meets every goal"));
	ck_assert(has_error(&d, 31, "does not compile"));
	ck_assert(has_error(&d, 36, "a Rust compiler would reject"));
	ck_assert_uint_eq(errors, 8);
	ck_assert_uint_eq(d.nerrors, 8);
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

START_TEST(test_exercise_check)
{
	lesson_diags d;
	lesson *l = parse(good_lesson, &d);
	ck_assert_ptr_nonnull(l);
	lesson_verdict v;

	/* The starting code fails two goals, with reasons. */
	ck_assert_int_eq(lesson_exercise_check(l, 0, "mine.rs", PROGRAM_LOOP,
					       strlen(PROGRAM_LOOP), &v), 0);
	ck_assert(v.run.compiled);
	ck_assert(!v.passed);
	ck_assert_uint_eq(v.ngoals, 3);
	ck_assert(!v.goals[0].met);
	ck_assert(!v.goals[1].met);
	/* Run again with the full trace: the lint names the futures. */
	ck_assert(strstr(v.goals[1].why, "job(") != NULL);
	ck_assert(v.goals[2].met);
	lesson_verdict_free(&v);

	ck_assert_int_eq(lesson_exercise_check(l, 0, "mine.rs", PROGRAM_JOIN,
					       strlen(PROGRAM_JOIN), &v), 0);
	ck_assert(v.passed);
	lesson_verdict_free(&v);

	static const char broken[] = "fn main() {\n    nope(\n}\n";
	ck_assert_int_eq(lesson_exercise_check(l, 0, "mine.rs", broken,
					       strlen(broken), &v), 0);
	ck_assert(!v.run.compiled);
	ck_assert(!v.passed);
	ck_assert_uint_gt(v.run.diags.nerrors, 0);
	lesson_verdict_free(&v);
	lesson_free(l);
	lesson_diags_free(&d);
}
END_TEST

/* --- courses --------------------------------------------------------------------------- */

/* check-course --export: each program a file named after its lesson and
 * part, its markers for tests/check-real.sh in its first comments, its
 * text unchanged; `start: 1` adds no file. */
START_TEST(test_export)
{
	static const char text[] =
		"# Export\n"
		"```rust real-sort-lines=\"threads, in any order\"\n" /* 2 */
		"fn main() {}\n```\n"
		"```rust name=big-one profile=laptop real-skip=\"too big\"\n"
		"fn main() { println!(\"big\"); }\n```\n"            /* 5 */
		"```rust real-exit=101 real-profile=unlimited\n"
		"fn main() { panic!(\"no\"); }\n```\n"              /* 8 */
		"```exercise\ntask: T.\nstart: 1\ngoal: finishes\n```\n"
		"```rust solution real-sort-lines\nfn main() {}\n```\n"
		"```exercise\ntask: U.\ngoal: finishes\n```\n"
		"```rust start profile=laptop\nfn main() { panic!(); }\n```\n"
		"```rust solution\nfn main() {}\n```\n";
	lesson_diags d;
	lesson *l = parse(text, &d);
	if (!l)
		dump(&d);
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->programs[0].real_sort_lines,
			 "threads, in any order");
	ck_assert_ptr_null(l->programs[0].real_skip);
	ck_assert_str_eq(l->programs[1].real_skip, "too big");
	ck_assert_int_eq(l->programs[2].real_exit, 101);
	ck_assert_str_eq(l->programs[2].real_profile->name, "unlimited");
	ck_assert_str_eq(l->programs[3].real_sort_lines, "");

	char *dir = make_tmpdir();
	size_t written = 0;
	ck_assert_uint_eq(lesson_export_lesson(l, dir, &d, &written), 0);
	ck_assert_uint_eq(written, 6);
	static const struct {
		const char *file, *head;
	} want[] = {
		{"lesson01_program.rs",
		 "// 01-test.md:2: the lesson's program, the starting code of "
		 "exercise 1\n"
		 "// real: sort-lines (threads, in any order)\n\n"
		 "fn main() {}\n"},
		{"lesson01_big_one.rs",
		 "// 01-test.md:5: variant 2 (big-one)\n"
		 "// real: skip (too big)\n"
		 "// sim-args: --profile laptop\n\n"
		 "fn main() { println!(\"big\"); }\n"},
		{"lesson01_variant3.rs",
		 "// 01-test.md:8: variant 3\n"
		 "// real: exit 101\n"
		 "// sim-args: --profile unlimited\n\n"
		 "fn main() { panic!(\"no\"); }\n"},
		{"lesson01_exercise1_solution.rs",
		 "// 01-test.md:16: the solution of exercise 1\n"
		 "// real: sort-lines\n\n"
		 "fn main() {}\n"},
		/* The exercise runs with its starting code's profile, and so
		 * is its solution compared. */
		{"lesson01_exercise2_start.rs",
		 "// 01-test.md:23: the starting code of exercise 2\n"
		 "// sim-args: --profile laptop\n\n"
		 "fn main() { panic!(); }\n"},
		{"lesson01_exercise2_solution.rs",
		 "// 01-test.md:26: the solution of exercise 2\n"
		 "// sim-args: --profile laptop\n\n"
		 "fn main() {}\n"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, want[i].file);
		char *got = read_all(path);
		ck_assert_msg(got != NULL, "no %s", want[i].file);
		ck_assert_str_eq(got, want[i].head);
		free(got);
	}
	lesson_free(l);
	lesson_diags_free(&d);

	/* A file that cannot be written is an error on the program's line,
	 * and the others are still written. */
	lesson_diags_init(&d);
	l = parse("# T\n```rust\nfn main() {}\n```\n", &d);
	ck_assert_ptr_nonnull(l);
	char path[1024];
	snprintf(path, sizeof path, "%s/nowhere", dir);
	written = 0;
	ck_assert_uint_eq(lesson_export_lesson(l, path, &d, &written), 1);
	ck_assert_uint_eq(written, 0);
	ck_assert(has_error(&d, 2, "cannot write this program"));
	lesson_free(l);
	lesson_diags_free(&d);
	remove_tree(dir);
}
END_TEST

START_TEST(test_course)
{
	char *dir = make_tmpdir();
	write_file(dir, "10-last.md", "# Last\n");
	write_file(dir, "2-second.md", "# Second\n");
	write_file(dir, "01-first.md", "# First\n" PROG);
	write_file(dir, "README.md", "not a lesson\n");
	write_file(dir, "notes.md", "not a lesson either\n");
	write_file(dir, "picture.png", "x");
	lesson_diags d;
	lesson_diags_init(&d);
	lesson_course *c = lesson_course_open(dir, &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nlessons, 3);
	ck_assert_str_eq(c->lessons[0].id, "first");
	ck_assert_str_eq(c->lessons[1].id, "second");
	ck_assert_str_eq(c->lessons[2].file, "10-last.md");
	ck_assert_int_eq(lesson_course_find(c, "last"), 2);
	ck_assert_int_eq(lesson_course_find(c, "none"), -1);
	/* notes.md is probably a mistake; README.md is not. */
	ck_assert_uint_eq(d.len, 1);
	ck_assert_int_eq(d.items[0].severity, LESSON_WARNING);
	ck_assert(strstr(d.items[0].message, "'notes.md' is not read"));
	lesson *l = lesson_course_load(c, 0, &d);
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->title, "First");
	lesson_free(l);
	lesson_course_free(c);
	lesson_diags_free(&d);

	/* The course is sound; then two lessons clash. */
	lesson_diags_init(&d);
	ck_assert_uint_eq(lesson_check_course(dir, &d, NULL, NULL), 0);
	write_file(dir, "02-first.md", "# Again\n");
	ck_assert_uint_eq(lesson_check_course(dir, &d, NULL, NULL), 2);
	ck_assert(has_error(&d, 0, "two lessons have the number 2"));
	ck_assert(has_error(&d, 0, "two lessons have the id 'first'"));
	lesson_diags_free(&d);
	remove_tree(dir);

	lesson_diags_init(&d);
	ck_assert_ptr_null(lesson_course_open("/nonexistent/course", &d));
	ck_assert(has_error(&d, 0, "cannot read the course directory"));
	lesson_diags_free(&d);

	dir = make_tmpdir();
	lesson_diags_init(&d);
	ck_assert_uint_eq(lesson_check_course(dir, &d, NULL, NULL), 1);
	ck_assert(has_error(&d, 0, "there are no lessons here"));
	lesson_diags_free(&d);
	remove_tree(dir);
}
END_TEST

/* --- the progress store ---------------------------------------------------------------- */

static lesson_progress *
open_progress(const char *dir, const char *label)
{
	char err[512];
	lesson_progress *p = lesson_progress_open(dir, "course", label, err,
						  sizeof err);
	ck_assert_ptr_nonnull(p);
	return p;
}

START_TEST(test_progress_round_trip)
{
	char *tmp = make_tmpdir();
	char dir[1024], err[512];
	snprintf(dir, sizeof dir, "%s/state/async-tutorial", tmp);
	lesson_progress *p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_FRESH);
	ck_assert_ptr_null(lesson_progress_notice(p));
	ck_assert_ptr_null(lesson_progress_current(p));
	ck_assert_int_eq(lesson_progress_set_current(p, "join-all"), 0);
	ck_assert_int_eq(lesson_progress_set_done(p, "threads", 1), 0);
	ck_assert_int_eq(lesson_progress_set_answer(p, "threads", 2, 1), 0);
	lesson_exercise_progress *x = lesson_progress_exercise(p, "join-all", 1);
	ck_assert_ptr_nonnull(x);
	x->tries = 3;
	x->hints = 1;
	x->solution_seen = 1;
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), 0);
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_LOADED);
	/* The directory was made, and no temporary file is left. */
	ck_assert_int_eq(count_prefix(dir, "course.progress.tmp"), 0);
	char *text = read_all(lesson_progress_path(p));
	ck_assert_str_eq(text, "async-tutorial progress 1\n"
			       "course built-in\n"
			       "current join-all\n"
			       "done threads\n"
			       "answer threads 3 b\n"
			       "exercise join-all 2 tries=3 hints=1 passed=0 "
			       "solution=1\n"
			       "end\n");
	free(text);
	lesson_progress_free(p);

	p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_LOADED);
	ck_assert_str_eq(lesson_progress_current(p), "join-all");
	ck_assert(lesson_progress_done(p, "threads"));
	ck_assert(!lesson_progress_done(p, "join-all"));
	ck_assert_int_eq(lesson_progress_answer(p, "threads", 2), 1);
	ck_assert_int_eq(lesson_progress_answer(p, "threads", 0), -1);
	const lesson_exercise_progress *y =
		lesson_progress_exercise_get(p, "join-all", 1);
	ck_assert_ptr_nonnull(y);
	ck_assert_uint_eq(y->tries, 3);
	ck_assert_uint_eq(y->hints, 1);
	ck_assert(y->solution_seen);
	ck_assert(!y->passed);
	lesson_progress_forget(p, "join-all");
	ck_assert_ptr_null(lesson_progress_exercise_get(p, "join-all", 1));
	lesson_progress_free(p);
	remove_tree(tmp);
}
END_TEST

/* Writes `text` as the progress file, opens it, and expects it to be moved
 * aside with a notice saying `why`. */
static void
expect_recovered(const char *text, const char *why)
{
	char *dir = make_tmpdir();
	write_file(dir, "course.progress", text);
	lesson_progress *p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_RECOVERED);
	const char *notice = lesson_progress_notice(p);
	ck_assert_ptr_nonnull(notice);
	if (!strstr(notice, why))
		fprintf(stderr, "notice: %s\n", notice);
	ck_assert(strstr(notice, why));
	ck_assert(strstr(notice, "course.progress.damaged-"));
	ck_assert_ptr_null(lesson_progress_current(p));
	/* The damaged file is kept, byte for byte, beside the new one. */
	ck_assert_int_eq(count_prefix(dir, "course.progress.damaged-"), 1);
	ck_assert(!exists(lesson_progress_path(p)));
	char err[512];
	ck_assert_int_eq(lesson_progress_set_current(p, "a"), 0);
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), 0);
	ck_assert(exists(lesson_progress_path(p)));
	lesson_progress_free(p);
	/* A second damaged file gets its own backup. */
	write_file(dir, "course.progress", text);
	p = open_progress(dir, "built-in");
	ck_assert_int_eq(count_prefix(dir, "course.progress.damaged-"), 2);
	lesson_progress_free(p);
	remove_tree(dir);
}

START_TEST(test_progress_damaged)
{
	expect_recovered("{\"json\": true}\n", "not a progress file");
	expect_recovered("async-tutorial progress 9\ncourse built-in\nend\n",
			 "another version");
	expect_recovered("async-tutorial progress 1\ncourse /my/course\nend\n",
			 "another course");
	expect_recovered("async-tutorial progress 1\ncourse built-in\n"
			 "current x\nbananas\nend\n",
			 "line 4 makes no sense");
	expect_recovered("async-tutorial progress 1\ncourse built-in\n"
			 "exercise x 1 tries=a hints=0 passed=0 solution=0\n"
			 "end\n",
			 "line 3 makes no sense");
	/* An interrupted write by something else: cut short. */
	expect_recovered("async-tutorial progress 1\ncourse built-in\n"
			 "current x\n",
			 "cut short at line 3");
	expect_recovered("async-tutorial progress 1\ncourse built-in\ncurr",
			 "cut short at line 3");
	expect_recovered("", "it is empty");
	expect_recovered("async-tutorial progress 1\ncourse built-in\nend\n"
			 "done x\n",
			 "comes after its end");
}
END_TEST

/* A temporary file left by an interrupted save changes nothing; an old one
 * is swept away. */
START_TEST(test_progress_interrupted)
{
	char *dir = make_tmpdir();
	char err[512], path[1024];
	lesson_progress *p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_set_current(p, "one"), 0);
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), 0);
	lesson_progress_free(p);

	write_file(dir, "course.progress.tmp-abc123", "async-tutorial progr");
	write_file(dir, "course.progress.tmp-old999", "half");
	snprintf(path, sizeof path, "%s/course.progress.tmp-old999", dir);
	struct timespec old[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
	ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);

	p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_LOADED);
	ck_assert_str_eq(lesson_progress_current(p), "one");
	ck_assert(!exists(path));                   /* old: removed */
	ck_assert_int_eq(count_prefix(dir, "course.progress.tmp-abc"), 1);
	ck_assert_int_eq(lesson_progress_set_current(p, "two"), 0);
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), 0);
	lesson_progress_free(p);
	p = open_progress(dir, "built-in");
	ck_assert_str_eq(lesson_progress_current(p), "two");
	lesson_progress_free(p);
	remove_tree(dir);
}
END_TEST

START_TEST(test_progress_unwritable)
{
	char *tmp = make_tmpdir();
	char dir[1024], err[512];
	/* A file where the directory should be: even root cannot write
	 * there. */
	write_file(tmp, "blocker", "x");
	snprintf(dir, sizeof dir, "%s/blocker/async-tutorial", tmp);
	lesson_progress *p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_FRESH);
	ck_assert_int_eq(lesson_progress_set_current(p, "x"), 0);
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), -1);
	ck_assert(strstr(err, "your progress could not be saved"));
	ck_assert(strstr(err, "blocker"));
	/* Nothing is lost in memory: a later save can still work. */
	ck_assert_str_eq(lesson_progress_current(p), "x");
	lesson_progress_free(p);

	/* A progress "file" that cannot be read is left alone, and never
	 * written over. */
	snprintf(dir, sizeof dir, "%s/state", tmp);
	char sub[1100];
	snprintf(sub, sizeof sub, "%s/course.progress", dir);
	ck_assert_int_eq(lesson_mkdirs(sub, err, sizeof err), 0);
	p = open_progress(dir, "built-in");
	ck_assert_int_eq(lesson_progress_state_of(p), LESSON_PROGRESS_READ_ONLY);
	ck_assert(strstr(lesson_progress_notice(p), "could not be read"));
	ck_assert_int_eq(lesson_progress_save(p, err, sizeof err), -1);
	ck_assert(strstr(err, "is not overwritten"));
	lesson_progress_free(p);
	struct stat st;
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	remove_tree(tmp);
}
END_TEST

START_TEST(test_progress_dirs)
{
	char *saved_state = getenv("XDG_STATE_HOME")
				    ? strdup(getenv("XDG_STATE_HOME"))
				    : NULL;
	char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("XDG_STATE_HOME", "/x/state", 1);
	char *d = lesson_state_dir();
	ck_assert_str_eq(d, "/x/state/async-tutorial");
	free(d);
	/* A relative XDG variable is ignored, as the specification says. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/me", 1);
	d = lesson_state_dir();
	ck_assert_str_eq(d, "/home/me/.local/state/async-tutorial");
	free(d);
	unsetenv("XDG_DATA_HOME");
	d = lesson_data_dir();
	ck_assert_str_eq(d, "/home/me/.local/share/async-tutorial");
	free(d);
	unsetenv("HOME");
	unsetenv("XDG_STATE_HOME");
	ck_assert_ptr_null(lesson_state_dir());
	if (saved_state)
		setenv("XDG_STATE_HOME", saved_state, 1);
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_state);
	free(saved_home);

	char *k = lesson_progress_course_key("/nonexistent/My Course", 0);
	ck_assert(strncmp(k, "course-My_Course-", 17) == 0);
	char *k2 = lesson_progress_course_key("/nonexistent/My Course", 0);
	char *k3 = lesson_progress_course_key("/nonexistent/other/My Course", 0);
	ck_assert_str_eq(k, k2);
	ck_assert_str_ne(k, k3);
	free(k);
	free(k2);
	free(k3);
	k = lesson_progress_course_key("/anything", 1);
	ck_assert_str_eq(k, LESSON_PROGRESS_BUILTIN);
	free(k);
}
END_TEST

START_TEST(test_learner_code)
{
	char *tmp = make_tmpdir();
	char err[512];
	char *path = lesson_code_path(tmp, "course", "join-all", 0);
	char *path2 = lesson_code_path(tmp, "course", "join-all", 1);
	ck_assert(strstr(path, "/course/join-all.rs"));
	ck_assert(strstr(path2, "/course/join-all-2.rs"));
	int created;
	ck_assert_int_eq(lesson_code_ensure(path, "start\n", 6, &created, err,
					    sizeof err), 0);
	ck_assert(created);
	write_file(tmp, "course/join-all.rs", "mine\n");
	ck_assert_int_eq(lesson_code_ensure(path, "start\n", 6, &created, err,
					    sizeof err), 0);
	ck_assert(!created);
	char *text = read_all(path);
	ck_assert_str_eq(text, "mine\n");
	free(text);
	ck_assert_int_eq(lesson_code_reset(path, "start\n", 6, err, sizeof err),
			 0);
	text = read_all(path);
	ck_assert_str_eq(text, "start\n");
	free(text);
	char backup[1100];
	snprintf(backup, sizeof backup, "%s~", path);
	text = read_all(backup);
	ck_assert_str_eq(text, "mine\n");
	free(text);
	free(path);
	free(path2);
	remove_tree(tmp);
}
END_TEST

/* --- text ------------------------------------------------------------------------------- */

START_TEST(test_text)
{
	static const char md[] =
		"# Title\n\nA paragraph with *emphasis*, `code` and a\n"
		"[link](https://example.org) that wraps at a narrow width.\n\n"
		"- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
		"    indented code\n";
	char *t = lesson_text_render(md, strlen(md), 30);
	ck_assert_str_eq(t, "Title\n"
			    "=====\n"
			    "\n"
			    "A paragraph with emphasis,\n"
			    "`code` and a link\n"
			    "(https://example.org) that\n"
			    "wraps at a narrow width.\n"
			    "\n"
			    "- one\n"
			    "- two\n"
			    "\n"
			    "1. first\n"
			    "2. second\n"
			    "\n"
			    "> quoted\n"
			    "\n"
			    "    indented code\n");
	free(t);
	t = lesson_text_wrap("one two three four five six seven\n\nnext",
			     24, "Hint: ", "  ");
	ck_assert_str_eq(t, "Hint: one two three four\n"
			    "  five six seven\n"
			    "\n"
			    "  next\n");
	free(t);
}
END_TEST

Suite *
suite_lesson(void)
{
	Suite *s = suite_create("lesson");
	TCase *file = tcase_create("file");
	tcase_add_test(file, test_good_lesson);
	tcase_add_test(file, test_defaults);
	tcase_add_loop_test(file, test_bad_lesson, 0,
			    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(file, test_bad_file_name);
	tcase_add_test(file, test_all_errors_listed);
	tcase_add_test(file, test_load_missing_file);
	tcase_add_test(file, test_text);
	suite_add_tcase(s, file);

	TCase *run = tcase_create("run");
	tcase_set_timeout(run, 30);
	tcase_add_test(run, test_durations);
	tcase_add_test(run, test_lines_and_output);
	tcase_add_test(run, test_moments);
	tcase_add_test(run, test_goals);
	tcase_add_test(run, test_quiz_truth);
	tcase_add_test(run, test_lesson_lies);
	tcase_add_test(run, test_exercise_check);
	tcase_add_test(run, test_course);
	tcase_add_test(run, test_export);
	tcase_add_test(run, test_default_program_skips_exercise_code);
	tcase_add_test(run, test_panic_output);
	tcase_add_test(run, test_moment_shared_name);
	suite_add_tcase(s, run);

	TCase *prog = tcase_create("progress");
	tcase_add_test(prog, test_progress_round_trip);
	tcase_add_test(prog, test_progress_damaged);
	tcase_add_test(prog, test_progress_interrupted);
	tcase_add_test(prog, test_progress_unwritable);
	tcase_add_test(prog, test_progress_dirs);
	tcase_add_test(prog, test_learner_code);
	suite_add_tcase(s, prog);
	return s;
}
