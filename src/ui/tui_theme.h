/* tui_theme — how the visualizer looks: colours, glyphs, and the text
 * writer that keeps every cell inside its pane.
 *
 * Contract: tui_theme_init is called once curses is up (after newterm and,
 * when colours are wanted, start_color). It decides three things and never
 * changes them afterwards:
 *   - colour: 256, 16 or 8 colours when the terminal has them and the user
 *     did not say NO_COLOR / --no-color; otherwise monochrome, where every
 *     state still differs by its glyph and by bold, dim, underline or
 *     reverse video;
 *   - glyphs: Unicode (tokio-console's ▶ ⏸ ✔ habits, line drawing and block
 *     elements for the strips) in a UTF-8 locale, plain ASCII with --ascii
 *     or in any other locale. In ASCII mode nothing this module writes is a
 *     byte of 0x80 or more, whatever the text it is given;
 *   - the attribute of each role (a role is "what this text is": a title,
 *     the selected row, a future that is polling...).
 * The other tui modules never name a colour or a glyph: they ask for a
 * role or a glyph here, so the three looks cannot drift apart.
 *
 * tui_put writes UTF-8 text cut to a number of columns: it expands tabs,
 * shows control characters and invalid bytes as '?', and in ASCII mode
 * writes the ASCII look-alike of common symbols (µ as u, … as ~) and '?' for
 * the rest. It never writes past the width it is given, so a long name or
 * a line of program output cannot spill into the next pane.
 */
#ifndef ASYNC_TUTORIAL_UI_TUI_THEME_H
#define ASYNC_TUTORIAL_UI_TUI_THEME_H

#include <curses.h>

#include "trace/trace_view.h"

/* What a piece of text is. Each has a colour look and a monochrome look. */
typedef enum tui_role {
	TUI_R_NORMAL,
	TUI_R_RULE,       /* pane separators */
	TUI_R_TITLE,      /* a pane's name */
	TUI_R_DIM,        /* secondary text: line numbers, counts, hints */
	TUI_R_SELECTED,   /* the selected row of the tree */
	TUI_R_CURLINE,    /* the source line running now */
	TUI_R_AWAIT,      /* an await point's marker and its `.await` */
	TUI_R_STATUS,     /* the status line */
	TUI_R_STATUS_KEY, /* a key name in the status line */
	TUI_R_PLAYING,    /* "playing" in the status line */
	TUI_R_STDERR,     /* program output on stderr */
	TUI_R_LINT,       /* a lint in the narration */
	TUI_R_MESSAGE,    /* the answer of a `:` command */
	TUI_R_ERROR,      /* an error message */
	TUI_R_OVERLAY,    /* the body of the help and details boxes */
	TUI_R_F_CREATED,  /* future states: as many as trace_view_fstate */
	TUI_R_F_POLLING,
	TUI_R_F_PENDING,
	TUI_R_F_WOKEN,
	TUI_R_F_READY,
	TUI_R_F_DROPPED,
	TUI_R_T_RUNNING,  /* thread states */
	TUI_R_T_BLOCKED,
	TUI_R_T_BLOCKED_IN_POLL, /* blocked inside a poll: the classic bug */
	TUI_R_T_EXITED,
	TUI_R_T_PANICKED,
	TUI_R_COUNT
} tui_role;

/* Glyphs other than the per-state ones. */
typedef enum tui_glyph {
	TUI_G_HLINE,
	TUI_G_VLINE,
	TUI_G_CROSS_DOWN, /* where the column separator meets a rule below */
	TUI_G_CROSS_UP,   /* where it meets a rule above */
	TUI_G_CROSS,      /* where it crosses a rule */
	TUI_G_TEE_LEFT,   /* a rule on its left ends at it */
	TUI_G_TEE_RIGHT,  /* a rule on its right starts at it */
	TUI_G_CORNER_TL,  /* the corners of the help and details boxes */
	TUI_G_CORNER_TR,
	TUI_G_CORNER_BL,
	TUI_G_CORNER_BR,
	TUI_G_CURLINE,    /* source gutter: the running line */
	TUI_G_AWAIT,      /* source gutter: an await point */
	TUI_G_OTHER_LINE, /* source gutter: another thread's line */
	TUI_G_FOLDED,     /* a folded row with hidden children */
	TUI_G_OPEN,       /* an unfolded row with children */
	TUI_G_CLOCK,      /* the clock's place above the strips */
	TUI_G_ELLIPSIS,
	TUI_G_LINT,
	TUI_G_PLAY,
	TUI_G_PAUSE,
	TUI_G_ARROW,      /* "→" in sentences */
	TUI_G_COUNT
} tui_glyph;

typedef enum tui_colors {
	TUI_COLORS_NONE, /* monochrome */
	TUI_COLORS_8,
	TUI_COLORS_16,
	TUI_COLORS_256
} tui_colors;

typedef struct tui_theme {
	int ascii;
	tui_colors colors;
	attr_t attr[TUI_R_COUNT];
} tui_theme;

/* Sets up the look. want_color: 0 for monochrome (NO_COLOR, --no-color),
 * 1 to use the terminal's colours if it has any. ascii: 1 for ASCII only.
 * Starts colour (start_color, use_default_colors) itself when it uses it. */
void
tui_theme_init(tui_theme *t, int want_color, int ascii);

/* Makes an initialised theme fit for a projector (--present): bold
 * everywhere, nothing dimmed, and only the eight basic colours. */
void
tui_theme_high_contrast(tui_theme *t);

/* A short name for the colour mode ("256 colours", "monochrome"). */
const char *
tui_theme_colors_name(const tui_theme *t);

attr_t
tui_theme_attr(const tui_theme *t, tui_role role);

/* The role of a future state and of a thread row. */
tui_role
tui_theme_fstate_role(trace_view_fstate state);

tui_role
tui_theme_thread_role(const trace_view_thread_row *row);

/* Glyphs: one column each, as UTF-8 (ASCII in ASCII mode). */
const char *
tui_theme_glyph(const tui_theme *t, tui_glyph g);

const char *
tui_theme_fstate_glyph(const tui_theme *t, trace_view_fstate state);

const char *
tui_theme_thread_glyph(const tui_theme *t, const trace_view_thread_row *row);

const char *
tui_theme_cell_glyph(const tui_theme *t, trace_view_cell cell);

/* A glyph for a density level 0..8 (0 = nothing, 8 = the fullest cell). */
const char *
tui_theme_density_glyph(const tui_theme *t, unsigned level);

/* The role of a strip cell (its future state's colour). */
tui_role
tui_theme_cell_role(trace_view_cell cell);

/* Writes text at (y, x) in `role`, at most `width` columns, and returns
 * the columns written. len is the text's length in bytes, or -1 for a NUL-
 * terminated string. A negative or zero width writes nothing. */
int
tui_put(WINDOW *w, const tui_theme *t, int y, int x, int width, tui_role role,
        const char *text, int len);

/* The same with an explicit attribute (a role's attribute plus A_REVERSE,
 * say) instead of a role. */
int
tui_put_attr(WINDOW *w, const tui_theme *t, int y, int x, int width,
             attr_t attr, const char *text, int len);

/* Columns the text would take (as tui_put draws it, tabs at 4). */
int
tui_text_width(const tui_theme *t, const char *text, int len);

/* Fills columns [x, x + width) of row y with spaces in `attr`. */
void
tui_fill(WINDOW *w, int y, int x, int width, attr_t attr);

#endif
