#include "config.h"

#include "ui/tui_theme.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

/* Terminals without use_default_colors get a black background, which is
 * what almost all of them show anyway. */
enum { TUI_DEFAULT = -1 };

/* One role's looks. fg/bg are curses colour numbers for 8 and 16 colours,
 * fg256/bg256 for 256; the colour attribute is added to the pair; mono is
 * the whole look without colour. */
typedef struct tui_look {
	short fg, bg;
	short fg256, bg256;
	attr_t color_attr;
	attr_t mono;
} tui_look;

static const tui_look tui_looks[TUI_R_COUNT] = {
        [TUI_R_NORMAL] = {TUI_DEFAULT, TUI_DEFAULT, TUI_DEFAULT, TUI_DEFAULT,
                          A_NORMAL, A_NORMAL},
        [TUI_R_RULE] = {COLOR_BLUE, TUI_DEFAULT, 240, TUI_DEFAULT, A_NORMAL,
                        A_NORMAL},
        [TUI_R_TITLE] = {COLOR_CYAN, TUI_DEFAULT, 75, TUI_DEFAULT, A_BOLD,
                         A_BOLD},
        [TUI_R_DIM] = {TUI_DEFAULT, TUI_DEFAULT, 245, TUI_DEFAULT, A_DIM,
                       A_DIM},
        [TUI_R_SELECTED] = {TUI_DEFAULT, TUI_DEFAULT, TUI_DEFAULT,
                            TUI_DEFAULT, A_REVERSE, A_REVERSE},
        [TUI_R_CURLINE] = {COLOR_BLACK, COLOR_YELLOW, 16, 221, A_NORMAL,
                           A_REVERSE | A_BOLD},
        [TUI_R_AWAIT] = {COLOR_MAGENTA, TUI_DEFAULT, 176, TUI_DEFAULT, A_BOLD,
                         A_BOLD | A_UNDERLINE},
        [TUI_R_STATUS] = {COLOR_BLACK, COLOR_CYAN, 255, 24, A_NORMAL,
                          A_REVERSE},
        [TUI_R_STATUS_KEY] = {COLOR_BLACK, COLOR_CYAN, 227, 24, A_BOLD,
                              A_REVERSE | A_BOLD},
        [TUI_R_PLAYING] = {COLOR_BLACK, COLOR_GREEN, 16, 41, A_BOLD,
                           A_REVERSE | A_BOLD},
        [TUI_R_STDERR] = {COLOR_RED, TUI_DEFAULT, 203, TUI_DEFAULT, A_NORMAL,
                          A_BOLD},
        [TUI_R_LINT] = {COLOR_YELLOW, TUI_DEFAULT, 214, TUI_DEFAULT, A_BOLD,
                        A_BOLD},
        [TUI_R_MESSAGE] = {COLOR_GREEN, TUI_DEFAULT, 114, TUI_DEFAULT,
                           A_BOLD, A_BOLD},
        [TUI_R_ERROR] = {COLOR_RED, TUI_DEFAULT, 203, TUI_DEFAULT, A_BOLD,
                         A_BOLD},
        [TUI_R_OVERLAY] = {COLOR_WHITE, COLOR_BLUE, 255, 236, A_NORMAL,
                           A_NORMAL},
        [TUI_R_F_CREATED] = {TUI_DEFAULT, TUI_DEFAULT, 245, TUI_DEFAULT,
                             A_DIM, A_DIM},
        [TUI_R_F_POLLING] = {COLOR_GREEN, TUI_DEFAULT, 46, TUI_DEFAULT,
                             A_BOLD, A_BOLD | A_UNDERLINE},
        [TUI_R_F_PENDING] = {COLOR_YELLOW, TUI_DEFAULT, 220, TUI_DEFAULT,
                             A_NORMAL, A_NORMAL},
        [TUI_R_F_WOKEN] = {COLOR_MAGENTA, TUI_DEFAULT, 207, TUI_DEFAULT,
                           A_BOLD, A_BOLD},
        [TUI_R_F_READY] = {COLOR_CYAN, TUI_DEFAULT, 39, TUI_DEFAULT, A_NORMAL,
                           A_NORMAL},
        [TUI_R_F_DROPPED] = {COLOR_RED, TUI_DEFAULT, 240, TUI_DEFAULT, A_DIM,
                             A_DIM},
        [TUI_R_T_RUNNING] = {COLOR_GREEN, TUI_DEFAULT, 46, TUI_DEFAULT,
                             A_BOLD, A_BOLD},
        [TUI_R_T_BLOCKED] = {COLOR_YELLOW, TUI_DEFAULT, 220, TUI_DEFAULT,
                             A_NORMAL, A_NORMAL},
        [TUI_R_T_BLOCKED_IN_POLL] = {COLOR_RED, TUI_DEFAULT, 196, TUI_DEFAULT,
                                     A_BOLD, A_BOLD | A_UNDERLINE},
        [TUI_R_T_EXITED] = {TUI_DEFAULT, TUI_DEFAULT, 245, TUI_DEFAULT,
                            A_DIM, A_DIM},
        [TUI_R_T_PANICKED] = {COLOR_RED, TUI_DEFAULT, 196, TUI_DEFAULT,
                              A_BOLD, A_BOLD | A_REVERSE},
};

/* Every glyph in both looks. Each takes one column. */
typedef struct tui_glyph_pair {
	const char *utf8;
	const char *ascii;
} tui_glyph_pair;

static const tui_glyph_pair tui_glyphs[TUI_G_COUNT] = {
        [TUI_G_HLINE] = {"─", "-"},        [TUI_G_VLINE] = {"│", "|"},
        [TUI_G_CROSS_DOWN] = {"┬", "+"},   [TUI_G_CROSS_UP] = {"┴", "+"},
        [TUI_G_CROSS] = {"┼", "+"},        [TUI_G_TEE_LEFT] = {"┤", "+"},
        [TUI_G_TEE_RIGHT] = {"├", "+"},    [TUI_G_CORNER_TL] = {"┌", "+"},
        [TUI_G_CORNER_TR] = {"┐", "+"},    [TUI_G_CORNER_BL] = {"└", "+"},
        [TUI_G_CORNER_BR] = {"┘", "+"},    [TUI_G_CURLINE] = {"▶", ">"},
        [TUI_G_AWAIT] = {"⏸", "="},        [TUI_G_OTHER_LINE] = {"▷", "-"},
        [TUI_G_FOLDED] = {"▸", "+"},       [TUI_G_OPEN] = {"▾", " "},
        [TUI_G_CLOCK] = {"▼", "v"},        [TUI_G_ELLIPSIS] = {"…", "~"},
        [TUI_G_LINT] = {"⚠", "!"},         [TUI_G_PLAY] = {"▶", ">"},
        [TUI_G_PAUSE] = {"⏸", "="},        [TUI_G_ARROW] = {"→", ">"},
};

/* tokio-console's habits: ▶ running, ⏸ idle, ✔ done. */
static const tui_glyph_pair tui_fstate_glyphs[TRACE_VIEW_F_COUNT] = {
        [TRACE_VIEW_F_NONE] = {" ", " "},    [TRACE_VIEW_F_CREATED] = {"○", "o"},
        [TRACE_VIEW_F_POLLING] = {"▶", ">"}, [TRACE_VIEW_F_PENDING] = {"⏸", "="},
        [TRACE_VIEW_F_WOKEN] = {"↻", "*"},   [TRACE_VIEW_F_READY] = {"✔", "v"},
        [TRACE_VIEW_F_DROPPED] = {"✗", "x"},
};

static const tui_role tui_fstate_roles[TRACE_VIEW_F_COUNT] = {
        [TRACE_VIEW_F_NONE] = TUI_R_DIM,
        [TRACE_VIEW_F_CREATED] = TUI_R_F_CREATED,
        [TRACE_VIEW_F_POLLING] = TUI_R_F_POLLING,
        [TRACE_VIEW_F_PENDING] = TUI_R_F_PENDING,
        [TRACE_VIEW_F_WOKEN] = TUI_R_F_WOKEN,
        [TRACE_VIEW_F_READY] = TUI_R_F_READY,
        [TRACE_VIEW_F_DROPPED] = TUI_R_F_DROPPED,
};

/* The Gantt strip: a full block while polled, a light shade while
 * pending, a low bar once ready; ASCII keeps the same heights. */
typedef struct tui_cell_look {
	tui_glyph_pair glyph;
	tui_role role;
} tui_cell_look;

static const tui_cell_look tui_cells[] = {
        [TRACE_VIEW_CELL_NONE] = {{" ", " "}, TUI_R_NORMAL},
        [TRACE_VIEW_CELL_CREATED] = {{"·", "."}, TUI_R_F_CREATED},
        [TRACE_VIEW_CELL_POLLING] = {{"█", "#"}, TUI_R_F_POLLING},
        [TRACE_VIEW_CELL_PENDING] = {{"░", "-"}, TUI_R_F_PENDING},
        [TRACE_VIEW_CELL_READY] = {{"▁", "_"}, TUI_R_F_READY},
        [TRACE_VIEW_CELL_DROPPED] = {{" ", " "}, TUI_R_F_DROPPED},
};

#define TUI_NCELLS (sizeof tui_cells / sizeof tui_cells[0])

static const tui_glyph_pair tui_density[9] = {
        {" ", " "}, {"▁", "."}, {"▂", ":"}, {"▃", "-"}, {"▄", "="},
        {"▅", "+"}, {"▆", "*"}, {"▇", "#"}, {"█", "@"},
};

/* Thread looks, by what the lane shows. */
enum tui_tlook {
	TUI_TL_NOT_SPAWNED,
	TUI_TL_RUNNING,
	TUI_TL_BLOCKED,
	TUI_TL_BLOCKED_IN_POLL,
	TUI_TL_EXITED,
	TUI_TL_PANICKED,
	TUI_TL_COUNT
};

static const struct {
	tui_glyph_pair glyph;
	tui_role role;
} tui_tlooks[TUI_TL_COUNT] = {
        [TUI_TL_NOT_SPAWNED] = {{"·", "."}, TUI_R_DIM},
        [TUI_TL_RUNNING] = {{"▶", ">"}, TUI_R_T_RUNNING},
        [TUI_TL_BLOCKED] = {{"⏸", "="}, TUI_R_T_BLOCKED},
        [TUI_TL_BLOCKED_IN_POLL] = {{"⏸", "="}, TUI_R_T_BLOCKED_IN_POLL},
        [TUI_TL_EXITED] = {{"✔", "v"}, TUI_R_T_EXITED},
        [TUI_TL_PANICKED] = {{"✗", "x"}, TUI_R_T_PANICKED},
};

/* Each thread state's look, and the look it takes instead when the thread
 * is blocked inside a poll or exited by a panic. */
static const struct {
	enum tui_tlook look, marked;
} tui_tstate_looks[] = {
        [TRACE_VIEW_T_NOT_SPAWNED] = {TUI_TL_NOT_SPAWNED, TUI_TL_NOT_SPAWNED},
        [TRACE_VIEW_T_RUNNING] = {TUI_TL_RUNNING, TUI_TL_RUNNING},
        [TRACE_VIEW_T_BLOCKED] = {TUI_TL_BLOCKED, TUI_TL_BLOCKED_IN_POLL},
        [TRACE_VIEW_T_EXITED] = {TUI_TL_EXITED, TUI_TL_PANICKED},
};

static enum tui_tlook
tui_tlook_of(const trace_view_thread_row *row)
{
	if ((size_t)row->state >=
	    sizeof tui_tstate_looks / sizeof tui_tstate_looks[0])
		return TUI_TL_NOT_SPAWNED;
	int marked = row->state == TRACE_VIEW_T_BLOCKED ? row->in_poll
	                                                : row->panicked;
	return marked ? tui_tstate_looks[row->state].marked
	              : tui_tstate_looks[row->state].look;
}

void
tui_theme_init(tui_theme *t, int want_color, int ascii)
{
	memset(t, 0, sizeof *t);
	t->ascii = ascii;
	t->colors = TUI_COLORS_NONE;
	if (want_color && has_colors() && start_color() == OK && COLORS >= 8 &&
	    COLOR_PAIRS > TUI_R_COUNT) {
		int dflt = use_default_colors() == OK;
		t->colors = COLORS >= 256  ? TUI_COLORS_256
		            : COLORS >= 16 ? TUI_COLORS_16
		                           : TUI_COLORS_8;
		for (int r = 0; r < TUI_R_COUNT; r++) {
			const tui_look *l = &tui_looks[r];
			int wide = t->colors == TUI_COLORS_256;
			short fg = wide ? l->fg256 : l->fg;
			short bg = wide ? l->bg256 : l->bg;
			if (!dflt) {
				if (fg == TUI_DEFAULT)
					fg = COLOR_WHITE;
				if (bg == TUI_DEFAULT)
					bg = COLOR_BLACK;
			}
			init_pair((short)(r + 1), fg, bg);
			t->attr[r] = COLOR_PAIR(r + 1) | l->color_attr;
		}
		return;
	}
	for (int r = 0; r < TUI_R_COUNT; r++)
		t->attr[r] = tui_looks[r].mono;
}

void
tui_theme_high_contrast(tui_theme *t)
{
	for (int r = 0; r < TUI_R_COUNT; r++) {
		const tui_look *l = &tui_looks[r];
		if (t->colors != TUI_COLORS_NONE) {
			/* The eight basic colours, not the 256-colour greys:
			 * a projector washes the greys out. */
			short fg = l->fg, bg = l->bg;
			if (use_default_colors() != OK) {
				fg = fg == TUI_DEFAULT ? COLOR_WHITE : fg;
				bg = bg == TUI_DEFAULT ? COLOR_BLACK : bg;
			}
			init_pair((short)(r + 1), fg, bg);
			t->attr[r] = COLOR_PAIR(r + 1) |
			             (l->color_attr & ~(attr_t)A_DIM) | A_BOLD;
		} else {
			t->attr[r] = (l->mono & ~(attr_t)A_DIM) | A_BOLD;
		}
	}
}

const char *
tui_theme_colors_name(const tui_theme *t)
{
	static const char *const names[] = {
	        [TUI_COLORS_NONE] = "monochrome",
	        [TUI_COLORS_8] = "8 colours",
	        [TUI_COLORS_16] = "16 colours",
	        [TUI_COLORS_256] = "256 colours",
	};
	return names[t->colors];
}

attr_t
tui_theme_attr(const tui_theme *t, tui_role role)
{
	return role < TUI_R_COUNT ? t->attr[role] : A_NORMAL;
}

tui_role
tui_theme_fstate_role(trace_view_fstate state)
{
	return state < TRACE_VIEW_F_COUNT ? tui_fstate_roles[state]
	                                  : TUI_R_NORMAL;
}

tui_role
tui_theme_thread_role(const trace_view_thread_row *row)
{
	return tui_tlooks[tui_tlook_of(row)].role;
}

static const char *
tui_pick(const tui_theme *t, const tui_glyph_pair *g)
{
	return t->ascii ? g->ascii : g->utf8;
}

const char *
tui_theme_glyph(const tui_theme *t, tui_glyph g)
{
	return g < TUI_G_COUNT ? tui_pick(t, &tui_glyphs[g]) : "?";
}

const char *
tui_theme_fstate_glyph(const tui_theme *t, trace_view_fstate state)
{
	return state < TRACE_VIEW_F_COUNT ? tui_pick(t, &tui_fstate_glyphs[state])
	                                  : "?";
}

const char *
tui_theme_thread_glyph(const tui_theme *t, const trace_view_thread_row *row)
{
	return tui_pick(t, &tui_tlooks[tui_tlook_of(row)].glyph);
}

const char *
tui_theme_cell_glyph(const tui_theme *t, trace_view_cell cell)
{
	return (size_t)cell < TUI_NCELLS ? tui_pick(t, &tui_cells[cell].glyph)
	                                 : "?";
}

tui_role
tui_theme_cell_role(trace_view_cell cell)
{
	return (size_t)cell < TUI_NCELLS ? tui_cells[cell].role : TUI_R_NORMAL;
}

const char *
tui_theme_density_glyph(const tui_theme *t, unsigned level)
{
	return tui_pick(t, &tui_density[level > 8 ? 8 : level]);
}

/* ---- writing text -------------------------------------------------------- */

/* Tab stops every four columns, as the source is indented in Rust. */
enum { TUI_TAB = 4 };

/* Decodes one UTF-8 sequence. Returns its length and sets *cp, or 0 when
 * the bytes are not valid UTF-8 (overlong forms and surrogates included). */
static size_t
tui_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char b = p[0];
	size_t len;
	uint32_t c, min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		len = 2, c = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3, c = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4, c = b & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* ASCII stand-ins for the symbols the view model and our own texts use.
 * Anything else non-ASCII becomes '?' in ASCII mode. */
static const struct {
	uint32_t cp;
	const char *ascii;
} tui_translit[] = {
        {0x00b5, "u"},   /* µ, as in µs */
        {0x00b7, "."},   /* · */
        {0x00d7, "x"},   /* × */
        {0x2013, "-"},   {0x2014, "--"}, {0x2018, "'"}, {0x2019, "'"},
        {0x201c, "\""},  {0x201d, "\""}, {0x2026, "..."},
        {0x2190, "<-"},  {0x2192, "->"}, {0x2191, "^"}, {0x2193, "v"},
        {0x2264, "<="},  {0x2265, ">="}, {0x2260, "!="},
};

static const char *
tui_ascii_of(uint32_t cp)
{
	for (size_t i = 0; i < sizeof tui_translit / sizeof tui_translit[0];
	     i++)
		if (tui_translit[i].cp == cp)
			return tui_translit[i].ascii;
	return "?";
}

/* Characters that would move the cursor or reorder text if written as they
 * are: C0 and C1 controls, DEL, and the bidirectional controls. */
static int
tui_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	       (cp >= 0x200e && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* Walks the text as tui_put would draw it, calling `emit` for each piece
 * (a wide character and its width) until `width` columns are used. Returns
 * the columns used. */
typedef void (*tui_emit_fn)(void *ctx, const wchar_t *s, int n);

static int
tui_walk(const tui_theme *t, const char *text, int len, int width,
         tui_emit_fn emit, void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = len < 0 ? strlen(text) : (size_t)len;
	int col = 0;
	wchar_t one[8];
	while (n > 0 && col < width) {
		uint32_t cp;
		size_t k = tui_utf8_decode(p, n, &cp);
		if (k == 0) {
			cp = 0xfffd;
			k = 1;
		}
		p += k;
		n -= k;
		if (cp == '\t') {
			int stop = (col / TUI_TAB + 1) * TUI_TAB;
			while (col < stop && col < width) {
				one[0] = L' ';
				emit(ctx, one, 1);
				col++;
			}
			continue;
		}
		if (tui_is_unsafe(cp))
			cp = t->ascii ? '?' : 0xfffd;
		if (cp >= 0x80 && t->ascii) {
			const char *a = tui_ascii_of(cp);
			int alen = (int)strlen(a);
			if (col + alen > width)
				break;
			for (int i = 0; i < alen; i++)
				one[i] = (wchar_t)a[i];
			emit(ctx, one, alen);
			col += alen;
			continue;
		}
		int cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		if (cw < 0) {
			cp = 0xfffd;
			cw = 1;
		}
		if (cw == 0)
			continue; /* combining marks: dropped, so columns stay
			             predictable on every terminal */
		if (col + cw > width)
			break;
		one[0] = (wchar_t)cp;
		emit(ctx, one, 1);
		col += cw;
	}
	return col;
}

typedef struct tui_put_ctx {
	WINDOW *w;
} tui_put_ctx;

static void
tui_emit_put(void *ctx, const wchar_t *s, int n)
{
	tui_put_ctx *c = ctx;
	waddnwstr(c->w, s, n);
}

static void
tui_emit_none(void *ctx, const wchar_t *s, int n)
{
}

int
tui_put_attr(WINDOW *w, const tui_theme *t, int y, int x, int width,
             attr_t attr, const char *text, int len)
{
	if (width <= 0 || !text)
		return 0;
	int maxx = getmaxx(w);
	if (x < 0 || y < 0 || y >= getmaxy(w) || x >= maxx)
		return 0;
	if (x + width > maxx)
		width = maxx - x;
	wmove(w, y, x);
	wattrset(w, attr);
	tui_put_ctx c = {w};
	int used = tui_walk(t, text, len, width, tui_emit_put, &c);
	wattrset(w, A_NORMAL);
	return used;
}

int
tui_put(WINDOW *w, const tui_theme *t, int y, int x, int width, tui_role role,
        const char *text, int len)
{
	return tui_put_attr(w, t, y, x, width, tui_theme_attr(t, role), text,
	                    len);
}

int
tui_text_width(const tui_theme *t, const char *text, int len)
{
	return tui_walk(t, text, len, INT32_MAX, tui_emit_none, NULL);
}

void
tui_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
	int maxx = getmaxx(w);
	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx)
		return;
	if (x + width > maxx)
		width = maxx - x;
	if (width <= 0)
		return;
	wattrset(w, attr);
	mvwhline(w, y, x, (chtype)' ' | attr, width);
	wattrset(w, A_NORMAL);
}
