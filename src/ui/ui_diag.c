#include "config.h"

#include "ui/ui_diag.h"
#include "lang/lang_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How many columns of a source line to show at most. Wider lines are cut
 * around the column so that a megabyte-long line prints as one screen line.
 * The caret is kept this many columns from the left edge of the window. */
enum { UI_DIAG_WINDOW = 110, UI_DIAG_LEAD = 40 };

/* rustc shows a tab as four spaces; doing the same keeps the caret simple
 * to place and the output identical whatever the terminal's tab stops. */
enum { UI_DIAG_TAB = 4 };

#define UI_RESET "\033[0m"
#define UI_BOLD "\033[1m"
#define UI_BLUE "\033[1;34m"

typedef struct ui_sev_style {
	const char *word;
	const char *color;
} ui_sev_style;

/* Indexed by lang_severity. */
static const ui_sev_style ui_sev_styles[] = {
        [LANG_ERROR] = {"error", "\033[1;31m"},
        [LANG_WARNING] = {"warning", "\033[1;33m"},
        [LANG_NOTE] = {"note", "\033[1;32m"},
};

/* One display cell: what a run of source bytes looks like on screen. */
typedef struct ui_cell {
	size_t len;     /* source bytes it stands for */
	unsigned width; /* terminal columns it takes */
	size_t tlen;
	char text[16];
} ui_cell;

int
ui_diag_want_color(FILE *out, int no_color_flag)
{
	if (no_color_flag)
		return 0;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(out));
}


/* Code points that must not reach the terminal as they are: C1 controls
 * (some terminals act on them), and invisible marks that reorder or hide
 * text, which could make the line on screen differ from the code that runs
 * ("Trojan Source"). */
static int
ui_cp_is_hidden(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) ||
	       c == 0xfeff || c == 0xad;
}

/* Terminal columns taken by a printable code point: 0 for combining marks,
 * 2 for the wide East Asian ranges and emoji, 1 otherwise. A small table
 * rather than wcwidth(), which depends on the locale being set up. */
static unsigned
ui_cp_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
	        {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd},
	        {0x0610, 0x061a}, {0x064b, 0x065f}, {0x1ab0, 0x1aff},
	        {0x1dc0, 0x1dff}, {0x20d0, 0x20ff}, {0xfe00, 0xfe0f},
	        {0xfe20, 0xfe2f},
	};
	static const uint32_t wide[][2] = {
	        {0x1100, 0x115f},   {0x2e80, 0x303e},   {0x3041, 0x33ff},
	        {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
	        {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe30, 0xfe4f},
	        {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f300, 0x1f64f},
	        {0x1f900, 0x1f9ff}, {0x20000, 0x3fffd},
	};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

/* Renders the bytes at p (n > 0 of them left) as one display cell. */
static void
ui_next_cell(const unsigned char *p, size_t n, ui_cell *cell)
{
	uint32_t c = 0;
	size_t len = lang_utf8_decode(p, n, &c);
	if (len == 0) {
		cell->len = 1;
		cell->tlen = (size_t)snprintf(cell->text, sizeof cell->text,
		                              "\\x%02x", p[0]);
	} else if (c == '\t') {
		cell->len = 1;
		cell->tlen = UI_DIAG_TAB;
		memset(cell->text, ' ', UI_DIAG_TAB);
	} else if (c < 0x20 || c == 0x7f) {
		cell->len = 1;
		cell->tlen = (size_t)snprintf(cell->text, sizeof cell->text,
		                              "\\x%02x", (unsigned)c);
	} else if (ui_cp_is_hidden(c)) {
		cell->len = len;
		cell->tlen = (size_t)snprintf(cell->text, sizeof cell->text,
		                              "\\u{%x}", (unsigned)c);
	} else {
		cell->len = len;
		cell->tlen = len;
		memcpy(cell->text, p, len);
		cell->width = ui_cp_width(c);
		return;
	}
	cell->width = (unsigned)cell->tlen;
}

void
ui_diag_put_safe(FILE *out, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		ui_cell cell;
		ui_next_cell(p + i, len - i, &cell);
		fwrite(cell.text, 1, cell.tlen, out);
		i += cell.len;
	}
}

static void
ui_put_str_safe(FILE *out, const char *s)
{
	ui_diag_put_safe(out, s, strlen(s));
}

/* Finds line `line` (1-based). Returns 0 when the source has no such line.
 * A line ends at '\n'; a '\r' before it (a CRLF file) is not shown. */
static int
ui_find_line(const ui_source *src, uint32_t line, size_t *start, size_t *len)
{
	const char *p = src->text;
	const char *end = src->text + src->len;
	for (uint32_t l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return 0;
		p = nl + 1;
	}
	if (p == end && line > 1)
		return 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;
	if (stop > p && stop[-1] == '\r')
		stop--;
	*start = (size_t)(p - src->text);
	*len = (size_t)(stop - p);
	return 1;
}

static unsigned
ui_digits(uint32_t n)
{
	unsigned d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void
ui_gutter(FILE *out, unsigned width, int color)
{
	fprintf(out, "%*s%s|%s", (int)width + 1, "", color ? UI_BLUE : "",
	        color ? UI_RESET : "");
}

/* Prints the source line and the caret under byte column `col`. */
static void
ui_print_snippet(FILE *out, const char *line, size_t len, uint32_t lineno,
                 uint32_t col, const ui_sev_style *sev, int color)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t target = col > 0 ? (size_t)col - 1 : 0;
	if (target > len)
		target = len;

	/* First pass: the display column of the caret and the line's width. */
	size_t total = 0, caret = 0;
	int caret_found = 0;
	for (size_t i = 0; i < len;) {
		ui_cell cell;
		ui_next_cell(p + i, len - i, &cell);
		if (!caret_found && i + cell.len > target) {
			caret = total;
			caret_found = 1;
		}
		total += cell.width;
		i += cell.len;
	}
	if (!caret_found)
		caret = total;

	/* The window of display columns to show. */
	size_t wstart = 0, wend = total;
	if (total > UI_DIAG_WINDOW) {
		wstart = caret > UI_DIAG_LEAD ? caret - UI_DIAG_LEAD : 0;
		if (wstart + UI_DIAG_WINDOW > total)
			wstart = total - UI_DIAG_WINDOW;
		wend = wstart + UI_DIAG_WINDOW;
	}

	unsigned gw = ui_digits(lineno);
	ui_gutter(out, gw, color);
	fputc('\n', out);
	fprintf(out, "%s%*u |%s ", color ? UI_BLUE : "", (int)gw,
	        (unsigned)lineno, color ? UI_RESET : "");
	size_t shown_caret = caret - wstart;
	if (wstart > 0) {
		fputs("…", out);
		shown_caret++;
	}
	size_t at = 0;
	for (size_t i = 0; i < len && at < wend;) {
		ui_cell cell;
		ui_next_cell(p + i, len - i, &cell);
		if (at >= wstart && at + cell.width <= wend)
			fwrite(cell.text, 1, cell.tlen, out);
		else if (at < wstart && at + cell.width > wstart)
			/* A wide cell cut by the left edge is left out, so
			 * what follows moves left by what it would have
			 * shown. */
			shown_caret -= at + cell.width - wstart;
		at += cell.width;
		i += cell.len;
	}
	if (wend < total)
		fputs("…", out);
	fputc('\n', out);

	ui_gutter(out, gw, color);
	fprintf(out, " %*s%s^%s\n", (int)shown_caret, "",
	        color ? sev->color : "", color ? UI_RESET : "");
}

void
ui_diag_print(FILE *out, const ui_source *src, const lang_diag *d, int color)
{
	unsigned sevi = (unsigned)d->severity;
	if (sevi >= sizeof ui_sev_styles / sizeof ui_sev_styles[0])
		sevi = LANG_ERROR;
	const ui_sev_style *sev = &ui_sev_styles[sevi];

	if (color)
		fputs(UI_BOLD, out);
	ui_put_str_safe(out, src->name);
	if (d->pos.line > 0)
		fprintf(out, ":%u:%u", (unsigned)d->pos.line,
		        (unsigned)d->pos.col);
	fprintf(out, ": %s%s:%s%s ", color ? sev->color : "", sev->word,
	        color ? UI_RESET : "", color ? UI_BOLD : "");
	ui_put_str_safe(out, d->message ? d->message : "");
	fprintf(out, "%s\n", color ? UI_RESET : "");

	unsigned gw = ui_digits(d->pos.line);
	size_t start, len;
	if (d->pos.line > 0 && ui_find_line(src, d->pos.line, &start, &len))
		ui_print_snippet(out, src->text + start, len, d->pos.line,
		                 d->pos.col, sev, color);
	else
		gw = 1;
	if (d->hint) {
		fprintf(out, "%*s%s=%s hint: ", (int)gw + 1, "",
		        color ? UI_BLUE : "", color ? UI_RESET : "");
		ui_put_str_safe(out, d->hint);
		fputc('\n', out);
	}
}

static const char *
ui_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
ui_diag_print_all(FILE *out, const ui_source *src, const lang_diags *ds,
                  int color)
{
	size_t nwarn = 0;
	for (size_t i = 0; i < ds->len; i++) {
		if (ds->items[i].severity == LANG_WARNING)
			nwarn++;
		ui_diag_print(out, src, &ds->items[i], color);
		fputc('\n', out);
	}
	const ui_sev_style *err = &ui_sev_styles[LANG_ERROR];
	const ui_sev_style *warn = &ui_sev_styles[LANG_WARNING];
	if (ds->nerrors > 0) {
		if (lang_diags_full(ds))
			fprintf(out,
			        "%snote:%s at most %zu errors are reported at "
			        "a time; fix these and run again to see more\n",
			        color ? ui_sev_styles[LANG_NOTE].color : "",
			        color ? UI_RESET : "", ds->nerrors);
		fprintf(out, "%serror%s%s: could not compile `",
		        color ? err->color : "", color ? UI_RESET : "",
		        color ? UI_BOLD : "");
		ui_put_str_safe(out, src->name);
		fprintf(out, "` due to %zu previous %s", ds->nerrors,
		        ui_plural(ds->nerrors, "error", "errors"));
		if (nwarn > 0)
			fprintf(out, "; %zu %s emitted", nwarn,
			        ui_plural(nwarn, "warning", "warnings"));
		fprintf(out, "%s\n", color ? UI_RESET : "");
	} else if (nwarn > 0) {
		fprintf(out, "%swarning%s%s: `", color ? warn->color : "",
		        color ? UI_RESET : "", color ? UI_BOLD : "");
		ui_put_str_safe(out, src->name);
		fprintf(out, "` generated %zu %s%s\n", nwarn,
		        ui_plural(nwarn, "warning", "warnings"),
		        color ? UI_RESET : "");
	}
}
