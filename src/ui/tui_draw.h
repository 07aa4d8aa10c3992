/* tui_draw — one frame of the visualizer, drawn from the view model.
 *
 * Contract: tui_draw_frame paints the whole screen (stdscr-sized window)
 * from a tui_state: the session's trace_view at its cursor plus the few
 * things only the front end knows (playing or paused, the selection, which
 * overlay is open, the last message). It reads; the only thing it writes
 * back is the selection's place (tui_state.sel_row, .sel_future) and the
 * tree's page height, which the key handlers use. It never moves the
 * cursor, never reads a key, and never calls doupdate: the caller decides
 * when the frame goes to the terminal.
 *
 * What a frame shows depends only on the cursor, the selection, the folds,
 * the open overlay and the screen size, never on the way the cursor got
 * there: where a list scrolls is computed from the selected (or running)
 * row each time, so stepping forward then back gives the same screen.
 *
 * Cost: a frame asks the view model only for what is visible (a window of
 * tree rows, one strip per visible row, the last lines of output), so it
 * costs the same with ten futures or a million (design.md section 7: at
 * most 5 ms at 200x60).
 *
 * Layout. Below TUI_MIN_COLS x TUI_MIN_ROWS the frame is only a request to
 * enlarge the terminal. Otherwise: a left column (SOURCE, or the STATE
 * MACHINE with `d`, over PROGRAM OUTPUT) and a right column (FUTURES AND
 * TASKS over THREADS over EXECUTOR), then NARRATION across the screen and
 * the status line at the bottom. The panes are rows of one table
 * (tui_draw.c), which says where each goes and how it grows. A lesson's
 * text takes the SOURCE pane's place (as LESSON) while it is shown, and
 * its teacher's narration the first lines of NARRATION.
 */
#ifndef ASYNC_TUTORIAL_UI_TUI_DRAW_H
#define ASYNC_TUTORIAL_UI_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/trace_view.h"
#include "ui/tui_theme.h"
#include "ui/ui_session.h"

/* The smallest screen the panes are drawn on (documented in the manual). */
#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 16

typedef enum tui_overlay {
	TUI_OVERLAY_NONE,
	TUI_OVERLAY_HELP,    /* ? */
	TUI_OVERLAY_DETAILS, /* Enter */
	TUI_OVERLAY_ANSWER   /* a `:` command's answer too long for a line */
} tui_overlay;

/* One line of the help overlay: keys and what they do. tui.c's key table
 * provides them, so the help cannot drift from the keys. */
typedef struct tui_help_line {
	const char *keys;
	const char *what;
} tui_help_line;

struct tui_quiz; /* tui.h */

typedef struct tui_state {
	ui_session *session;
	tui_theme theme;
	const char *title; /* shown in the source pane's rule; NULL: the
	                      program's name */
	int playing;
	int present;       /* --present (tui.h): big narration, no hints */
	int machine;       /* d: the state machine instead of the source */

	/* A lesson's text (tui_options.prose), shown in the source's place
	 * while prose_shown; the first line shown is prose_top (clamped by
	 * the frame). The narrations are the teacher's (tui.h). */
	const char *prose;
	int prose_shown;
	int prose_top;
	const ui_course_moment *narrations;
	size_t nnarrations;
	/* The quiz asked before the run (tui.h): quiz_open while its box is
	 * up (1 asking, 2 showing the verdict); quiz_choice is the answer
	 * given, -1 until then. end_note is the narration of the run's end
	 * for the predictions answered, "" if none. */
	const struct tui_quiz *quiz;
	int quiz_open;
	int quiz_choice;
	char end_note[768];
	tui_overlay overlay;

	/* The selection: a future id, so it stays on the same future while
	 * the cursor moves. follow = 1 until the user moves it: then the
	 * selection is the future the last event concerned. */
	uint32_t selected;
	int follow;

	/* A one-line message under the narration (a command's answer, a
	 * reminder), shown until the next key. */
	char message[512];
	tui_role message_role;
	/* A longer answer, shown in an overlay, scrolled to answer_top
	 * (in screen lines). Owned (malloc'd). */
	char *answer;
	int answer_top;
	const char *answer_title; /* the box's title; NULL: "Answer" */

	const tui_help_line *help;
	size_t nhelp;

	/* Written by tui_draw_frame for the key handlers. */
	size_t sel_row;    /* display row of the selection, SIZE_MAX: none */
	uint32_t sel_future;
	int tree_page;     /* rows of the tree that fit */
	int answer_rows;   /* screen lines the answer takes, wrapped */
	int answer_page;   /* of which the box shows this many */
	int prose_page;    /* lines of the prose pane */
	/* The prose as laid out for the pane's width, made again only when
	 * the width changes. Owned (malloc'd); freed by tui_draw_free. */
	char *prose_text;
	int prose_width;
	int prose_rows;
} tui_state;

/* The teacher's narration shown at a cursor position: at the run's end
 * the prediction's comparison (end_note) if there is one, else the one
 * reached last (the greatest `at` not after it); NULL if none is reached
 * yet. */
const char *
tui_draw_teacher(const tui_state *st, size_t cursor, int at_end);

/* Frees what frames keep in the state (the laid-out prose). */
void
tui_draw_free(tui_state *st);

/* Paints a frame into w (erasing it first). */
void
tui_draw_frame(WINDOW *w, tui_state *st);

/* The selected future at the cursor as the frame shows it (following the
 * running future if st->follow), and its display row (SIZE_MAX if it is
 * not displayed). Returns the future id, 0 if none. */
uint32_t
tui_draw_selection(tui_state *st, size_t *row);

/* The future the last event concerns and that is displayed (the one the
 * selection follows), 0 if none. */
uint32_t
tui_draw_focus(const trace_view *v);

#endif
