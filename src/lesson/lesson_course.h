/* lesson_course — a course: a directory of lesson files, in order.
 *
 * Contract: lesson_course_open lists the lessons of a directory, the files
 * named NN-ID.md (lesson_file_name_parse), ordered by their number. It
 * reads only the directory, not the lessons, so that listing a course is
 * cheap and one broken lesson does not hide the others: lesson_course_load
 * reads one lesson when it is needed. Problems with the directory itself
 * (it cannot be read, two lessons share a number or an id) are errors in
 * `diags`; a Markdown file whose name does not follow the pattern is a
 * warning (a teacher probably meant it as a lesson), except README.md.
 * Positions in the course are 0-based here; people count from 1.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_COURSE_H
#define ASYNC_TUTORIAL_LESSON_LESSON_COURSE_H

#include <stddef.h>

#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"

/* The environment variable naming the course directory, over the one
 * installed (and under --lessons-dir). */
#define LESSON_COURSE_ENV "ASYNC_TUTORIAL_LESSONS"

typedef struct lesson_entry {
	char *path;  /* DIR/NN-ID.md */
	char *file;  /* NN-ID.md */
	char *id;
	unsigned number;
} lesson_entry;

typedef struct lesson_course {
	char *dir;
	lesson_entry *lessons;
	size_t nlessons;
} lesson_course;

/* NULL if the directory cannot be read, or two lessons clash (see diags).
 * An empty directory is a course with no lessons. */
lesson_course *
lesson_course_open(const char *dir, lesson_diags *diags);

void
lesson_course_free(lesson_course *c);

/* Loads lesson i (0-based); NULL with the problems in diags. */
lesson *
lesson_course_load(const lesson_course *c, size_t i, lesson_diags *diags);

/* The position of the lesson with that id, or -1. */
int
lesson_course_find(const lesson_course *c, const char *id);

#endif
