/* ui_line — reading command lines, with editing, history and completion on
 * a terminal.
 *
 * Contract: when the input and the output are terminals, lines are read
 * with libedit's native <histedit.h> API (emacs keys, the history on
 * up/down, tab completion through ui_cmd_complete); otherwise they are read
 * plainly with getline, with no prompt and no history, so a scripted
 * session reads exactly the commands it is given. This is the only module that includes
 * <histedit.h>; it is not part of the core library.
 *
 * History (terminal only) lives in $XDG_STATE_HOME/async-tutorial/history,
 * or ~/.local/state/async-tutorial/history when XDG_STATE_HOME is unset,
 * empty or not an absolute path (as the XDG base directory specification
 * says). It is loaded when the ui_line is made, holds the last
 * UI_LINE_HISTORY_MAX lines (blank lines and a repeat of the line before
 * are not added), and is saved after every line entered, so a visualizer
 * killed by a signal keeps what was typed. A save writes a temporary file in
 * the same directory and renames it over the history, so the old file is
 * replaced whole or not at all: an unwritable directory or a full disk
 * leaves it untouched and gives one warning on the err stream for the whole
 * session, never one per line. The directory is created (mode 0700) when
 * missing.
 *
 * Ctrl-C while a line is being edited cancels that line (UI_LINE_CANCELLED)
 * instead of ending the program: ui_line_read handles SIGINT itself while
 * it waits and restores the caller's handler before it returns. The
 * visualizer calls ui_line_read after suspending curses (def_prog_mode,
 * endwin) and resumes curses after it returns.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_LINE_H
#define ASYNC_TUTORIAL_UI_UI_LINE_H

#include <stddef.h>
#include <stdio.h>

#include "ui/ui_session.h"

/* Lines of history kept. */
#define UI_LINE_HISTORY_MAX 1000

typedef enum ui_line_status {
	UI_LINE_ERROR = -1,    /* memory ran out, or reading failed */
	UI_LINE_EOF = 0,       /* end of input (Ctrl-D on an empty line) */
	UI_LINE_OK = 1,        /* *line holds a line */
	UI_LINE_CANCELLED = 2  /* Ctrl-C: no line; ask again or go back */
} ui_line_status;

typedef struct ui_line ui_line;

/* A line reader on in/out/err (normally stdin, stdout, stderr). `prog` is
 * libedit's program name (for ~/.editrc sections). `session` is what tab
 * completion looks at for future names; it may be NULL and must outlive
 * the ui_line. The history is loaded now (a history that cannot be read is
 * treated as empty, with one warning). NULL if memory ran out. */
ui_line *
ui_line_new(const char *prog, FILE *in, FILE *out, FILE *err,
            const ui_session *session);

/* Saves nothing more (every line is saved as it is entered) and frees. */
void
ui_line_free(ui_line *l);

/* 1 if lines come from a terminal through libedit, 0 if read plainly. */
int
ui_line_is_terminal(const ui_line *l);

/* Shows `prompt` (terminal only) and reads one line into *line (malloc'd,
 * without its newline; the caller frees it). See ui_line_status. */
ui_line_status
ui_line_read(ui_line *l, const char *prompt, char **line);

/* The history file's path as described above, into buf as snprintf does;
 * 0 (and "") if neither XDG_STATE_HOME nor a home directory is known. */
size_t
ui_line_history_path(char *buf, size_t size);

#endif
