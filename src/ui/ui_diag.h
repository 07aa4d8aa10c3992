/* ui_diag — print compiler diagnostics the way rustc does.
 *
 * Contract: the core returns diagnostics as data (lang_diag.h); this module
 * is where they become text for a person. Each one is printed as
 *
 *     FILE:LINE:COL: error: MESSAGE
 *       |
 *     3 |     frobnicate();
 *       |     ^
 *       = hint: HINT
 *
 * with `warning:` or `note:` in place of `error:` for the other severities.
 * Whatever bytes the source holds, the printed line is safe for a terminal:
 * tabs are expanded, control bytes, invalid UTF-8 and invisible direction
 * marks are shown as escapes, and a very long line is cut around the column
 * with `…` so one huge line cannot flood the screen. The caret lines up with
 * the column even after all of that.
 *
 * Nothing here decides whether to use colour: callers ask
 * ui_diag_want_color once and pass the answer in.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_DIAG_H
#define ASYNC_TUTORIAL_UI_UI_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "lang/lang_diag.h"

/* The source a diagnostic points into. `text` may hold any bytes, NUL
 * included; `name` is the file name as the user typed it. */
typedef struct ui_source {
	const char *name;
	const char *text;
	size_t len;
} ui_source;

/* 1 when `out` should be coloured: it is a terminal, NO_COLOR is unset or
 * empty (https://no-color.org), and the user did not pass --no-color. */
int
ui_diag_want_color(FILE *out, int no_color_flag);

/* Prints one diagnostic. */
void
ui_diag_print(FILE *out, const ui_source *src, const lang_diag *d, int color);

/* Prints every diagnostic in order, then rustc's closing line when there
 * were errors: "error: could not compile `FILE` due to N previous errors".
 * Warnings alone end with "warning: `FILE` generated N warnings". */
void
ui_diag_print_all(FILE *out, const ui_source *src, const lang_diags *ds,
                  int color);

/* Writes `text[0..len)` to `out` with every byte a terminal could act on
 * (control characters, invalid UTF-8, direction overrides) escaped. For
 * echoing user-controlled strings such as file names in messages. */
void
ui_diag_put_safe(FILE *out, const char *text, size_t len);

#endif
