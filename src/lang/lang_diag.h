/* lang_diag — diagnostics returned as data.
 *
 * Contract: the core never prints. Every stage that can fail (lexer, parser,
 * compiler, and the simulator for panics) appends lang_diag records to a
 * lang_diags list; a front end prints them rustc-style (see ui_diag.h).
 * Positions are 1-based line and column in bytes of the source text; a line of
 * 0 means "no position". Messages and hints are owned by the list.
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_DIAG_H
#define ASYNC_TUTORIAL_LANG_LANG_DIAG_H

#include <stddef.h>
#include <stdint.h>

typedef enum lang_severity {
	LANG_ERROR,
	LANG_WARNING,
	LANG_NOTE
} lang_severity;

typedef struct lang_pos {
	uint32_t line;
	uint32_t col;
} lang_pos;

typedef struct lang_diag {
	lang_severity severity;
	lang_pos pos;
	char *message;
	char *hint; /* NULL when there is none */
} lang_diag;

typedef struct lang_diags {
	lang_diag *items;
	size_t len;
	size_t cap;
	size_t nerrors;
	size_t max_errors; /* stop recording errors past this; 0 means 20 */
} lang_diags;

void
lang_diags_init(lang_diags *d);

void
lang_diags_free(lang_diags *d);

/* Appends one diagnostic; `hint` may be NULL. Returns 1 if it was recorded,
 * 0 if the error limit was reached (callers may then stop early). */
int
lang_diags_add(lang_diags *d, lang_severity sev, lang_pos pos, const char *hint,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define lang_diags_full(d) \
	((d)->nerrors >= ((d)->max_errors ? (d)->max_errors : 20))

#endif
