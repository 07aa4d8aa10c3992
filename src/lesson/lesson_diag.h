/* lesson_diag — problems found in a lesson or a course, as data.
 *
 * Contract: the lesson modules never print. Every problem they find in a
 * teacher's files is appended here with the file and the line it is on,
 * and a front end prints each one as `FILE:LINE: error: MESSAGE` (see
 * lesson_diag_format), the form editors and CI logs already understand.
 * Messages are plain, friendly English sentences without a final period,
 * written for a teacher who has never read the C. A line of 0 means the
 * problem is about the whole file (or the whole directory).
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_DIAG_H
#define ASYNC_TUTORIAL_LESSON_LESSON_DIAG_H

#include <stddef.h>
#include <stdint.h>

typedef enum lesson_severity {
	LESSON_ERROR,
	LESSON_WARNING
} lesson_severity;

typedef struct lesson_diag {
	lesson_severity severity;
	char *file; /* as the caller named it */
	uint32_t line;
	char *message;
} lesson_diag;

typedef struct lesson_diags {
	lesson_diag *items;
	size_t len;
	size_t cap;
	size_t nerrors;
	int no_memory; /* an item could not be recorded */
} lesson_diags;

void
lesson_diags_init(lesson_diags *d);

void
lesson_diags_free(lesson_diags *d);

/* Appends one problem. Returns 0, or -1 if memory ran out (then
 * d->no_memory is set, and the front end says so instead). */
int
lesson_diags_add(lesson_diags *d, lesson_severity sev, const char *file,
		 uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Moves every item of `from` to the end of `to`; `from` is left empty. */
int
lesson_diags_move(lesson_diags *to, lesson_diags *from);

/* Orders the items from `from` on by line, keeping the order of items on
 * the same line: a lesson's problems read top to bottom, whichever check
 * found them first. */
void
lesson_diags_sort(lesson_diags *d, size_t from);

/* "FILE:LINE: error: MESSAGE" ("FILE: error: MESSAGE" for line 0), as
 * snprintf does: returns the whole length. */
size_t
lesson_diag_format(const lesson_diag *d, char *buf, size_t size);

#endif
