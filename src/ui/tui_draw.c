#include "config.h"

#include "ui/tui_draw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_text.h"
#include "trace/trace_log.h"
#include "ui/tui.h"

/* The most rows of one list a frame draws. Taller screens leave the rest
 * blank; the buffers for them live in static storage, not on the stack. */
enum { TUI_MAX_LIST = 256, TUI_MAX_STRIP = 512 };

/* Everything one frame works with. */
typedef struct tui_frame {
	WINDOW *w;
	tui_state *st;
	trace_view *v;
	const tui_theme *th;
	int rows, cols;
	uint64_t t0, t1;    /* the strips' time range */
	uint32_t thread;    /* the thread of the event just shown */
	uint32_t sel;       /* the selected future, 0 none */
	size_t sel_row;     /* its display row, SIZE_MAX none */
	int box_x, box_w;   /* where boxes are centred: the screen, or the
	                       run's panes while a quiz sits beside the
	                       lesson's text */
} tui_frame;

/* A pane's place: its rule (title) is row y, its content the h - 1 rows
 * below, columns x .. x + w - 1. */
typedef struct tui_rect {
	int y, x, h, w;
} tui_rect;

/* ---- small text helpers ------------------------------------------------- */

/* "1,000,002": counts on screen are read from across a classroom. */
static void
tui_fmt_count(uint64_t n, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (size > 0)
		buf[o < size ? o : size - 1] = '\0';
}

/* A duration to three significant digits ("7.99 µs", "1.00 s"): CPU use
 * only needs its size, and the exact figure would not fit a lane. */
static void
tui_fmt_dur(uint64_t ns, char *buf, size_t size)
{
	static const struct {
		uint64_t scale;
		const char *unit;
	} units[] = {{1, "ns"}, {1000, "µs"}, {1000000, "ms"},
	             {1000000000, "s"}};
	size_t u = 0;
	while (u + 1 < sizeof units / sizeof units[0] &&
	       ns >= units[u + 1].scale)
		u++;
	if (u == 0) {
		snprintf(buf, size, "%" PRIu64 " ns", ns);
		return;
	}
	double x = (double)ns / (double)units[u].scale;
	if (x >= 99.95)
		snprintf(buf, size, "%.0f %s", x, units[u].unit);
	else if (x >= 9.995)
		snprintf(buf, size, "%.1f %s", x, units[u].unit);
	else
		snprintf(buf, size, "%.2f %s", x, units[u].unit);
}

static int
tui_clamp(long x, long lo, long hi)
{
	if (x > hi)
		x = hi;
	if (x < lo)
		x = lo;
	return (int)x;
}

/* Writes text cut to width with an ellipsis when it does not fit. Returns
 * the columns written. */
static int
tui_put_cut(tui_frame *f, int y, int x, int width, attr_t attr,
            const char *text)
{
	if (width <= 0)
		return 0;
	int need = tui_text_width(f->th, text, -1);
	if (need <= width)
		return tui_put_attr(f->w, f->th, y, x, width, attr, text, -1);
	int used = tui_put_attr(f->w, f->th, y, x, width - 1, attr, text, -1);
	return used + tui_put_attr(f->w, f->th, y, x + used, 1, attr,
	                           tui_theme_glyph(f->th, TUI_G_ELLIPSIS), -1);
}

static attr_t
tui_attr(tui_frame *f, tui_role role)
{
	return tui_theme_attr(f->th, role);
}

/* A run of one glyph (rules, strips of one state). */
static void
tui_repeat(tui_frame *f, int y, int x, int n, attr_t attr, const char *glyph)
{
	char buf[2048];
	size_t g = strlen(glyph), len = 0;
	while (n > 0) {
		len = 0;
		int k = 0;
		while (k < n && len + g < sizeof buf) {
			memcpy(buf + len, glyph, g);
			len += g;
			k++;
		}
		tui_put_attr(f->w, f->th, y, x, k, attr, buf, (int)len);
		x += k;
		n -= k;
	}
}

/* A pane's rule: "─ TITLE info ─────". Returns the column after the text
 * (for panes that add something of their own to the rule). */
static int
tui_rule(tui_frame *f, int y, int x, int width, const char *title,
         const char *info)
{
	attr_t rule = tui_attr(f, TUI_R_RULE);
	tui_repeat(f, y, x, width, rule, tui_theme_glyph(f->th, TUI_G_HLINE));
	int cx = x + 1, end = x + width - 1;
	if (!title || end - cx < 4)
		return cx;
	cx += tui_put_attr(f->w, f->th, y, cx, end - cx, rule, " ", 1);
	cx += tui_put_cut(f, y, cx, end - cx, tui_attr(f, TUI_R_TITLE), title);
	if (info && *info && end - cx > 2) {
		cx += tui_put_attr(f->w, f->th, y, cx, end - cx, rule, " ", 1);
		cx += tui_put_cut(f, y, cx, end - cx, tui_attr(f, TUI_R_DIM),
		                  info);
	}
	if (cx < end)
		cx += tui_put_attr(f->w, f->th, y, cx, end - cx, rule, " ", 1);
	return cx;
}

/* Splits text into lines of at most `width` columns at blanks (a word
 * longer than a line is cut). Calls `line` for each; stops after `max`
 * lines, ending the last one with an ellipsis if text was left. Returns
 * the number of lines the whole text needs. */
typedef void (*tui_line_fn)(tui_frame *f, int i, const char *s, int len,
                            int cut, void *ctx);

static int
tui_wrap(tui_frame *f, const char *text, int width, int max, tui_line_fn line,
         void *ctx)
{
	int n = 0;
	const char *p = text;
	if (width < 4)
		return 0;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		/* Take words while they fit. */
		const char *end = p, *q = p;
		int used = 0;
		while (*q) {
			const char *ws = q;
			while (*q && *q != ' ')
				q++;
			int ww = tui_text_width(f->th, ws, (int)(q - ws));
			int sp = end > p ? 1 : 0;
			if (used + sp + ww > width) {
				if (end == p)
					end = q; /* one long word: cut by the
					            writer */
				break;
			}
			used += sp + ww;
			end = q;
			while (*q == ' ')
				q++;
		}
		if (end == p)
			end = q;
		const char *next = end;
		while (*next == ' ')
			next++;
		if (n < max && line)
			line(f, n, p, (int)(end - p),
			     n == max - 1 && *next != '\0', ctx);
		n++;
		p = next;
	}
	return n;
}

/* ---- the selection ------------------------------------------------------- */

uint32_t
tui_draw_focus(const trace_view *v)
{
	const trace_log *log = trace_view_log(v);
	size_t c = trace_view_cursor(v);
	/* Look back a little for an event about a future that is on screen;
	 * thread and clock events carry none. The limit keeps a frame's cost
	 * bounded whatever the trace. */
	for (size_t k = 0; k < 256 && c > 0; k++, c--) {
		const trace_event *ev = trace_log_at(log, c - 1);
		if (ev && ev->future != 0 &&
		    trace_view_row_of(v, ev->future) != SIZE_MAX)
			return ev->future;
	}
	return 0;
}

uint32_t
tui_draw_selection(tui_state *st, size_t *row)
{
	trace_view *v = ui_session_view(st->session);
	*row = SIZE_MAX;
	if (!v)
		return 0;
	uint32_t fut = st->follow ? tui_draw_focus(v) : st->selected;
	if (fut == 0) {
		if (st->follow && trace_view_rows(v) > 0) {
			trace_view_row r;
			if (trace_view_window(v, 0, 1, &r) == 1) {
				*row = 0;
				return r.future;
			}
		}
		return 0;
	}
	/* A future inside a folded subtree is represented by the folded
	 * row above it. */
	for (int guard = 0; fut != 0 && guard < 4096; guard++) {
		size_t r = trace_view_row_of(v, fut);
		if (r != SIZE_MAX) {
			*row = r;
			return fut;
		}
		trace_view_row info;
		if (trace_view_future(v, fut, &info) != 0 ||
		    info.state == TRACE_VIEW_F_NONE)
			return 0;
		fut = info.parent;
	}
	return 0;
}

/* ---- SOURCE ---------------------------------------------------------------- */

/* The thread whose position is "the line running now": the one of the
 * event just shown, or main before anything happened. */
static uint32_t
tui_event_thread(const trace_view *v)
{
	size_t c = trace_view_cursor(v);
	if (c == 0)
		return 0;
	const trace_event *ev = trace_log_at(trace_view_log(v), c - 1);
	return ev ? ev->thread : 0;
}

static int
tui_digits(uint32_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Marks other threads' lines in the gutter. Only the first few hundred
 * threads are looked at, so a thousand-thread run stays quick. */
static void
tui_other_lines(const trace_view *v, uint32_t self, uint32_t first,
                uint32_t count, unsigned char *mark)
{
	uint32_t n = trace_view_threads(v);
	if (n > 512)
		n = 512;
	for (uint32_t t = 0; t < n; t++) {
		trace_view_pos pos;
		if (t == self || trace_view_source_pos(v, t, &pos) != 0)
			continue;
		trace_view_thread_row tr;
		if (trace_view_thread(v, t, &tr) != 0 ||
		    tr.state == TRACE_VIEW_T_EXITED ||
		    tr.state == TRACE_VIEW_T_NOT_SPAWNED)
			continue;
		if (pos.line >= first && pos.line < first + count)
			mark[pos.line - first] = 1;
	}
}

static void
tui_pane_source(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	const char *name = f->st->title;
	if (!name) {
		/* The file's own name: its directories say nothing about the
		 * program and would push it out of the rule. */
		name = ui_session_name(f->st->session);
		const char *slash = name ? strrchr(name, '/') : NULL;
		if (slash && slash[1])
			name = slash + 1;
	}
	tui_rule(f, r->y, r->x, r->w, "SOURCE", name);
	int h = r->h - 1, y0 = r->y + 1;
	uint32_t n = trace_view_source_lines(v);
	if (n == 0) {
		tui_put(f->w, f->th, y0, r->x + 1, r->w - 1, TUI_R_DIM,
		        "(no source)", -1);
		return;
	}
	trace_view_pos pos;
	uint32_t cur = 0;
	if (trace_view_source_pos(v, f->thread, &pos) == 0)
		cur = pos.line;
	long top = cur ? (long)cur - h / 2 : 1;
	top = tui_clamp(top, 1, (long)n - h + 1 > 1 ? (long)n - h + 1 : 1);
	unsigned char other[TUI_MAX_LIST];
	memset(other, 0, sizeof other);
	int shown = h < TUI_MAX_LIST ? h : TUI_MAX_LIST;
	tui_other_lines(v, f->thread, (uint32_t)top, (uint32_t)shown, other);

	int dw = tui_digits(n);
	int gutter = dw + 2; /* number, marker, blank */
	for (int i = 0; i < shown; i++) {
		uint32_t ln = (uint32_t)top + (uint32_t)i;
		if (ln > n)
			break;
		int y = y0 + i;
		size_t len;
		const char *text = trace_view_source_line(v, ln, &len);
		int is_cur = ln == cur;
		int is_await = trace_view_is_await_line(v, ln);
		attr_t base = is_cur ? tui_attr(f, TUI_R_CURLINE)
		                     : tui_attr(f, TUI_R_NORMAL);
		if (is_cur)
			tui_fill(f->w, y, r->x, r->w, base);
		char num[16];
		snprintf(num, sizeof num, "%*" PRIu32, dw, ln);
		tui_put_attr(f->w, f->th, y, r->x, dw,
		             is_cur ? base : tui_attr(f, TUI_R_DIM), num, -1);
		const char *mark = " ";
		attr_t mattr = base;
		if (is_cur) {
			mark = tui_theme_glyph(f->th, TUI_G_CURLINE);
		} else if (is_await) {
			mark = tui_theme_glyph(f->th, TUI_G_AWAIT);
			mattr = tui_attr(f, TUI_R_AWAIT);
		} else if (other[i]) {
			mark = tui_theme_glyph(f->th, TUI_G_OTHER_LINE);
			mattr = tui_attr(f, TUI_R_DIM);
		}
		tui_put_attr(f->w, f->th, y, r->x + dw, 1, mattr, mark, -1);
		int tw = r->w - gutter;
		if (!text || tw <= 0)
			continue;
		int full = tui_text_width(f->th, text, (int)len);
		int used = tui_put_attr(f->w, f->th, y, r->x + gutter,
		                        full > tw ? tw - 1 : tw, base, text,
		                        (int)len);
		if (full > tw)
			tui_put_attr(f->w, f->th, y, r->x + gutter + used, 1,
			             base,
			             tui_theme_glyph(f->th, TUI_G_ELLIPSIS), -1);
		/* Each `.await` stands out, where a future can stop. */
		if (!is_await)
			continue;
		attr_t aw = is_cur ? base | A_BOLD | A_UNDERLINE
		                   : tui_attr(f, TUI_R_AWAIT);
		for (const char *p = text; (size_t)(p - text) + 6 <= len; p++) {
			if (memcmp(p, ".await", 6) != 0)
				continue;
			int at = tui_text_width(f->th, text, (int)(p - text));
			if (at + 6 < tw)
				tui_put_attr(f->w, f->th, y,
				             r->x + gutter + at, 6, aw, p, 6);
		}
	}
}

/* ---- STATE MACHINE (key d) ------------------------------------------------- */

/* "job" -> "JobFuture", "async block (line 7)" -> "AsyncBlockFuture": the
 * name Part One gives the hand-written enum. */
static void
tui_enum_name(const char *func, char *buf, size_t size)
{
	size_t o = 0;
	int up = 1;
	for (const char *p = func; *p && o + 1 < size; p++) {
		char c = *p;
		if (c == '(')
			break;
		if (c == '_' || c == ' ' || c == ':') {
			up = 1;
			continue;
		}
		if (up && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		up = 0;
		buf[o++] = c;
	}
	buf[o] = '\0';
	if (o + 7 < size)
		strcat(buf, "Future");
}

static void
tui_pane_machine(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	int h = r->h - 1, y = r->y + 1, x = r->x + 1, w = r->w - 1;
	trace_view_machine sm;
	char name[TRACE_VIEW_NAME_MAX] = "";
	if (f->sel)
		trace_view_future_name(v, f->sel, name, sizeof name);
	if (!f->sel || trace_view_sm(v, f->sel, &sm) != 0) {
		tui_rule(f, r->y, r->x, r->w, "STATE MACHINE", name);
		static const char *const why[] = {
		        "Only an async fn or an async block is compiled",
		        "into a state machine. Select one in the futures",
		        "tree with the arrow keys (or j and k) to see",
		        "its states and the locals it keeps; d goes back",
		        "to the source.",
		};
		for (int i = 0; i < 5 && i < h; i++)
			tui_put(f->w, f->th, y + i, x, w, TUI_R_DIM, why[i], -1);
		return;
	}
	tui_rule(f, r->y, r->x, r->w, "STATE MACHINE", name);
	char ename[TRACE_VIEW_NAME_MAX + 8];
	tui_enum_name(sm.func, ename, sizeof ename);
	char line[256];
	int row = 0;
	snprintf(line, sizeof line, "enum %s {", ename);
	if (row < h)
		tui_put(f->w, f->th, y + row++, x, w, TUI_R_TITLE, line, -1);
	for (uint32_t i = 0; i < sm.nstates && row < h - 1; i++, row++) {
		trace_view_machine_state s;
		if (trace_view_sm_state(v, &sm, i, &s) != 0)
			continue;
		int cur = i == sm.current;
		if (s.line)
			snprintf(line, sizeof line, "%s,  // .await on line %" PRIu32,
			         s.label, s.line);
		else if (i == 0)
			snprintf(line, sizeof line, "%s,  // not polled yet",
			         s.label);
		else if (i + 1 == sm.nstates)
			snprintf(line, sizeof line, "%s,  // returned Ready",
			         s.label);
		else
			snprintf(line, sizeof line, "%s,", s.label);
		attr_t a = cur ? tui_attr(f, TUI_R_CURLINE)
		               : tui_attr(f, TUI_R_NORMAL);
		if (cur)
			tui_fill(f->w, y + row, x, w, a);
		tui_put_attr(f->w, f->th, y + row, x, 2, a,
		             cur ? tui_theme_glyph(f->th, TUI_G_CURLINE) : " ",
		             -1);
		tui_put_attr(f->w, f->th, y + row, x + 4, w - 4, a, line, -1);
	}
	if (row < h)
		tui_put(f->w, f->th, y + row++, x, w, TUI_R_TITLE, "}", 1);
	if (sm.polling && row < h)
		tui_put_cut(f, y + row++, x, w, tui_attr(f, TUI_R_F_POLLING),
		            "polled now, from the state marked");
	if (row < h) {
		tui_put(f->w, f->th, y + row++, x, w, TUI_R_DIM,
		        sm.nlocals ? "locals kept in the future at this tick:"
		                   : "no locals kept at this tick",
		        -1);
	}
	for (uint32_t i = 0; i < sm.nlocals && row < h; i++, row++) {
		trace_view_local l;
		if (trace_view_sm_local(v, &sm, i, &l) != 0)
			continue;
		snprintf(line, sizeof line, "%s = %s", l.name, l.value);
		tui_put_cut(f, y + row, x + 2, w - 2, tui_attr(f, TUI_R_NORMAL),
		            line);
	}
}

/* ---- PROGRAM OUTPUT -------------------------------------------------------- */

static void
tui_pane_output(tui_frame *f, const tui_rect *r)
{
	size_t n = trace_view_output_lines(f->v);
	char info[64], count[32];
	tui_fmt_count(n, count, sizeof count);
	snprintf(info, sizeof info, "%s line%s", count, n == 1 ? "" : "s");
	tui_rule(f, r->y, r->x, r->w, "PROGRAM OUTPUT", info);
	int h = r->h - 1;
	if (n == 0) {
		if (h > 0)
			tui_put(f->w, f->th, r->y + 1, r->x + 1, r->w - 1,
			        TUI_R_DIM, "(nothing printed yet)", -1);
		return;
	}
	size_t first = n > (size_t)h ? n - (size_t)h : 0;
	for (size_t i = first; i < n; i++) {
		char buf[512];
		int stream = 1;
		trace_view_output_line(f->v, i, buf, sizeof buf, &stream);
		tui_put_cut(f, r->y + 1 + (int)(i - first), r->x + 1, r->w - 1,
		            tui_attr(f, stream == 2 ? TUI_R_STDERR
		                                    : TUI_R_NORMAL),
		            buf);
	}
}

/* ---- FUTURES AND TASKS ----------------------------------------------------- */

/* Column widths of the tree, from the pane's width. */
typedef struct tui_cols {
	int name, polls, wait, strip, indent;
} tui_cols;

static tui_cols
tui_tree_cols(int width)
{
	tui_cols c;
	c.strip = tui_clamp(width * 3 / 10, 6, 64);
	c.polls = 6;
	c.indent = width >= 60 ? 2 : 1;
	int rest = width - c.strip - c.polls - 1;
	/* On a narrow screen what a future waits for follows its name in
	 * one column: names are short, and two half-empty columns would cut
	 * both. */
	c.wait = rest >= 44 ? rest * 2 / 5 : 0;
	c.name = rest - c.wait - (c.wait ? 1 : 0);
	return c;
}

/* The clock's column in a strip of width w. */
static int
tui_clock_cell(const tui_frame *f, int w)
{
	uint64_t now = trace_view_now(f->v);
	if (now <= f->t0)
		return 0;
	uint64_t span = f->t1 - f->t0;
	uint64_t cell = (now - f->t0) * (uint64_t)w / span;
	return cell >= (uint64_t)w ? w - 1 : (int)cell;
}

static void
tui_draw_strip(tui_frame *f, int y, int x, const trace_view_cell *cells, int w,
               attr_t extra)
{
	/* Runs of one kind of cell are written together. */
	int i = 0;
	while (i < w) {
		int j = i;
		while (j < w && cells[j] == cells[i])
			j++;
		tui_repeat(f, y, x + i, j - i,
		           tui_attr(f, tui_theme_cell_role(cells[i])) | extra,
		           tui_theme_cell_glyph(f->th, cells[i]));
		i = j;
	}
}

static void
tui_tree_row(tui_frame *f, int y, const tui_rect *r, const tui_cols *c,
             const trace_view_row *row, int selected)
{
	attr_t sel = selected ? A_REVERSE : A_NORMAL;
	int x = r->x + 1;
	if (selected)
		tui_fill(f->w, y, r->x, r->w, tui_attr(f, TUI_R_NORMAL) | sel);
	int indent = (int)row->depth * c->indent;
	if (indent > c->name / 2)
		indent = c->name / 2;
	int nx = x + indent;
	const char *fold = row->has_children
	                           ? tui_theme_glyph(f->th, row->folded
	                                                            ? TUI_G_FOLDED
	                                                            : TUI_G_OPEN)
	                           : " ";
	tui_put_attr(f->w, f->th, y, nx, 1, tui_attr(f, TUI_R_DIM) | sel, fold,
	             -1);
	attr_t sattr = tui_attr(f, tui_theme_fstate_role(row->state)) | sel;
	tui_put_attr(f->w, f->th, y, nx + 1, 1, sattr,
	             tui_theme_fstate_glyph(f->th, row->state), -1);
	int nw = c->name - indent - 3;
	if (c->wait || !*row->waiting) {
		tui_put_cut(f, y, nx + 3, nw, sattr, row->name);
	} else {
		int used = tui_put_cut(f, y, nx + 3, nw, sattr, row->name);
		if (used + 2 < nw)
			tui_put_cut(f, y, nx + 4 + used, nw - used - 1,
			            tui_attr(f, TUI_R_DIM) | sel, row->waiting);
	}
	x += c->name;

	char polls[32];
	tui_fmt_count(row->polls, polls, sizeof polls);
	int pw = (int)strlen(polls);
	if (pw < c->polls)
		tui_put_attr(f->w, f->th, y, x + c->polls - 2 - pw, pw,
		             tui_attr(f, TUI_R_DIM) | sel, polls, -1);
	x += c->polls;
	if (c->wait) {
		tui_put_cut(f, y, x, c->wait, tui_attr(f, TUI_R_NORMAL) | sel,
		            row->waiting);
		x += c->wait + 1;
	}
	static trace_view_cell cells[TUI_MAX_STRIP];
	int sw = c->strip < TUI_MAX_STRIP ? c->strip : TUI_MAX_STRIP;
	if (trace_view_strip(f->v, row->future, f->t0, f->t1, cells,
	                     (size_t)sw) == 0)
		tui_draw_strip(f, y, x, cells, sw, sel);
}

/* The summary of a big tree: how many futures are in each state, and
 * where in time the polls happened. */
static void
tui_tree_summary(tui_frame *f, int y, const tui_rect *r, const tui_cols *c)
{
	uint64_t counts[TRACE_VIEW_F_COUNT];
	trace_view_counts(f->v, counts);
	int x = r->x + 1, end = r->x + 1 + c->name + c->polls + c->wait;
	for (int s = TRACE_VIEW_F_CREATED; s < TRACE_VIEW_F_COUNT && x < end;
	     s++) {
		if (counts[s] == 0)
			continue;
		char num[32], item[48];
		tui_fmt_count(counts[s], num, sizeof num);
		snprintf(item, sizeof item, "%s%s ",
		         tui_theme_fstate_glyph(f->th, (trace_view_fstate)s),
		         num);
		x += tui_put(f->w, f->th, y, x, end - x,
		             tui_theme_fstate_role((trace_view_fstate)s), item,
		             -1);
	}
	static uint32_t polls[TUI_MAX_STRIP];
	int sw = c->strip < TUI_MAX_STRIP ? c->strip : TUI_MAX_STRIP;
	uint32_t max = trace_view_density(f->v, f->t0, f->t1, polls,
	                                  (size_t)sw);
	int sx = r->x + 1 + c->name + c->polls + (c->wait ? c->wait + 1 : 0);
	for (int i = 0; i < sw; i++) {
		unsigned level = 0;
		if (max > 0 && polls[i] > 0)
			level = 1 + (unsigned)((uint64_t)(polls[i] - 1) * 8 /
			                       max);
		tui_put(f->w, f->th, y, sx + i, 1, TUI_R_F_POLLING,
		        tui_theme_density_glyph(f->th, level), -1);
	}
}

static void
tui_pane_futures(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	tui_cols c = tui_tree_cols(r->w - 1);
	size_t total = trace_view_rows(v);
	int h = r->h - 1;
	int header = h >= 6;
	int summary = total > (size_t)(h - header) ||
	              trace_view_futures(v) > 1000;
	int list_h = h - header - summary;
	if (list_h > TUI_MAX_LIST)
		list_h = TUI_MAX_LIST;
	if (list_h < 0)
		list_h = 0;
	f->st->tree_page = list_h > 0 ? list_h : 1;

	char info[96], a[32], b[32];
	tui_fmt_count(total, b, sizeof b);
	if (f->sel_row != SIZE_MAX) {
		tui_fmt_count(f->sel_row + 1, a, sizeof a);
		snprintf(info, sizeof info, "row %s of %s", a, b);
	} else {
		snprintf(info, sizeof info, "%s row%s", b, total == 1 ? "" : "s");
	}
	int end = tui_rule(f, r->y, r->x, r->w, "FUTURES AND TASKS", info);
	int sx = r->x + 1 + c.name + c.polls + (c.wait ? c.wait + 1 : 0);
	/* The clock's place over the strips, unless the title is there. */
	int clock_x = sx + tui_clock_cell(f, c.strip);
	if (clock_x >= end)
		tui_put(f->w, f->th, r->y, clock_x, 1, TUI_R_TITLE,
		        tui_theme_glyph(f->th, TUI_G_CLOCK), -1);

	int y = r->y + 1;
	if (header) {
		attr_t d = tui_attr(f, TUI_R_DIM);
		tui_put_attr(f->w, f->th, y, r->x + 3, c.name - 2, d, "future",
		             -1);
		tui_put_attr(f->w, f->th, y, r->x + c.name - 1, c.polls, d,
		             "polls", -1);
		if (c.wait)
			tui_put_attr(f->w, f->th, y, r->x + 1 + c.name + c.polls,
			             c.wait, d, "waiting for", -1);
		/* The strips' scale: virtual time from 0 to the run's end. */
		char span[64], t1[32];
		tui_fmt_dur(f->t1 > 1 ? f->t1 - 1 : 0, t1, sizeof t1);
		snprintf(span, sizeof span, "0 to %s", t1);
		int sw = tui_text_width(f->th, span, -1);
		if (sw > c.strip) {
			snprintf(span, sizeof span, "%s", t1);
			sw = tui_text_width(f->th, span, -1);
		}
		tui_put_cut(f, y, sw < c.strip ? sx + c.strip - sw : sx,
		            c.strip, d, span);
		y++;
	}
	if (summary)
		tui_tree_summary(f, y++, r, &c);
	if (total == 0) {
		tui_put(f->w, f->th, y, r->x + 1, r->w - 1, TUI_R_DIM,
		        trace_view_futures(v) ? "(no futures yet)"
		                               : "(this program makes no futures)",
		        -1);
		return;
	}
	size_t top = 0;
	if (f->sel_row != SIZE_MAX && total > (size_t)list_h) {
		long t = (long)f->sel_row - list_h / 3;
		long maxtop = (long)total - list_h;
		top = (size_t)tui_clamp(t, 0, maxtop);
	}
	static trace_view_row rows[TUI_MAX_LIST];
	size_t k = trace_view_window(v, top, (size_t)list_h, rows);
	for (size_t i = 0; i < k; i++)
		tui_tree_row(f, y + (int)i, r, &c, &rows[i],
		             top + i == f->sel_row);
}

/* ---- THREADS --------------------------------------------------------------- */

static void
tui_pane_threads(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	uint32_t n = trace_view_threads(v);
	int h = r->h - 1;
	uint32_t top = 0;
	if (n > (uint32_t)h)
		top = (uint32_t)tui_clamp((long)f->thread - h / 2, 0,
		                          (long)n - h);
	char info[128], a[32], b[32], cnt[32];
	tui_fmt_count(n, cnt, sizeof cnt);
	if (n > (uint32_t)h) {
		tui_fmt_count(top + 1, a, sizeof a);
		tui_fmt_count(top + (uint32_t)h, b, sizeof b);
		snprintf(info, sizeof info, "%s to %s of %s", a, b, cnt);
	} else {
		snprintf(info, sizeof info, "%s", cnt);
	}
	tui_rule(f, r->y, r->x, r->w, "THREADS", info);
	int namew = 4;
	for (uint32_t t = top; t < n && t < top + (uint32_t)h; t++) {
		char nm[TRACE_VIEW_NAME_MAX];
		trace_view_thread_name(v, t, nm, sizeof nm);
		int w = tui_text_width(f->th, nm, -1);
		if (w > namew)
			namew = w;
	}
	if (namew > r->w / 4)
		namew = r->w / 4;
	uint64_t now = trace_view_now(v);
	for (uint32_t t = top; t < n && t < top + (uint32_t)h; t++) {
		trace_view_thread_row tr;
		if (trace_view_thread(v, t, &tr) != 0)
			continue;
		int y = r->y + 1 + (int)(t - top), x = r->x + 1;
		tui_role role = tui_theme_thread_role(&tr);
		tui_put(f->w, f->th, y, x, 1, role,
		        tui_theme_thread_glyph(f->th, &tr), -1);
		tui_put_cut(f, y, x + 2, namew,
		            tui_attr(f, t == f->thread ? TUI_R_TITLE
		                                       : TUI_R_NORMAL),
		            tr.name);
		/* CPU use: the virtual time it ran, and the share of its life
		 * so far (a busy loop shows 100%, a sleeper near 0%). */
		char cpu[64] = "";
		int wide = r->w > 50;
		if (tr.state != TRACE_VIEW_T_NOT_SPAWNED) {
			char d[32];
			tui_fmt_dur(tr.cpu_ns, d, sizeof d);
			uint64_t alive = now > tr.spawned_ns ? now - tr.spawned_ns
			                                     : 0;
			unsigned pct = alive ? (unsigned)(tr.cpu_ns * 100 / alive)
			                     : 0;
			if (wide && alive)
				snprintf(cpu, sizeof cpu, "cpu %s %3u%%", d, pct);
			else if (wide)
				snprintf(cpu, sizeof cpu, "cpu %s", d);
			else if (alive)
				snprintf(cpu, sizeof cpu, "%3u%%", pct);
		}
		int cw = wide ? 18 : 4;
		int dx = x + 3 + namew;
		int dw = r->x + r->w - dx - (cw ? cw + 1 : 0);
		tui_put_cut(f, y, dx, dw, tui_attr(f, role), tr.doing);
		if (cw && *cpu) {
			int len = tui_text_width(f->th, cpu, -1);
			tui_put(f->w, f->th, y, r->x + r->w - len, len, TUI_R_DIM,
			        cpu, -1);
		}
	}
}

/* ---- EXECUTOR -------------------------------------------------------------- */

/* Appends "text" to a line being built, with a separator, if it fits;
 * returns 0 once the line is full. */
static int
tui_append(char *buf, size_t size, const char *sep, const char *text)
{
	size_t len = strlen(buf);
	int n = snprintf(buf + len, size - len, "%s%s", len ? sep : "", text);
	if (n < 0 || (size_t)n >= size - len) {
		buf[len] = '\0';
		return 0;
	}
	return 1;
}

static void
tui_exec_line(tui_frame *f, int y, const tui_rect *r, const char *label,
              const char *text)
{
	int x = r->x + 1;
	x += tui_put(f->w, f->th, y, x, r->w - 1, TUI_R_TITLE, label, -1);
	tui_put_cut(f, y, x, r->x + r->w - x, tui_attr(f, TUI_R_NORMAL), text);
}

static void
tui_pane_executor(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	tui_rule(f, r->y, r->x, r->w, "EXECUTOR", "current-thread");
	int h = r->h - 1, y = r->y + 1;
	char line[512], item[160], name[TRACE_VIEW_NAME_MAX];
	enum { SHOWN = 8 };

	trace_view_queued q[SHOWN];
	size_t nq = trace_view_run_queue(v, q, SHOWN);
	line[0] = '\0';
	for (size_t i = 0; i < nq && i < SHOWN; i++) {
		trace_view_future_name(v, q[i].future, name, sizeof name);
		snprintf(item, sizeof item, "task %" PRIu32 " %s", q[i].task,
		         name);
		if (!tui_append(line, sizeof line, ", ", item))
			break;
	}
	if (nq == 0)
		snprintf(line, sizeof line, "empty");
	else if (nq > SHOWN)
		tui_append(line, sizeof line, ", ", "…");
	if (h > 0)
		tui_exec_line(f, y++, r, "run queue: ", line);

	trace_view_timer tm[SHOWN];
	size_t nt = trace_view_timers(v, tm, SHOWN);
	line[0] = '\0';
	for (size_t i = 0; i < nt && i < SHOWN; i++) {
		char t[32];
		trace_view_fmt_time(tm[i].deadline_ns, t, sizeof t);
		trace_view_future_name(v, tm[i].future, name, sizeof name);
		snprintf(item, sizeof item, "%s %s", t, name);
		if (!tui_append(line, sizeof line, ", ", item))
			break;
	}
	if (nt == 0)
		snprintf(line, sizeof line, "none armed");
	char label[48], cnt[32];
	tui_fmt_count(nt, cnt, sizeof cnt);
	snprintf(label, sizeof label, "timers (%s): ", cnt);
	if (h > 1)
		tui_exec_line(f, y++, r, nt ? label : "timers: ", line);

	trace_view_wake wk;
	if (trace_view_last_wake(v, &wk) == 0) {
		char by[TRACE_VIEW_NAME_MAX + 8], t[32];
		trace_view_future_name(v, wk.target, name, sizeof name);
		if (wk.by)
			trace_view_future_name(v, wk.by, by, sizeof by);
		else
			snprintf(by, sizeof by, "the timer");
		const trace_event *ev =
		        trace_log_at(trace_view_log(v), wk.event);
		trace_view_fmt_time(ev ? ev->time_ns : 0, t, sizeof t);
		snprintf(line, sizeof line, "%s%s (task %" PRIu32 ") by %s at %s",
		         wk.child ? "child " : "", name, wk.task, by, t);
	} else {
		snprintf(line, sizeof line, "none yet");
	}
	if (h > 2)
		tui_exec_line(f, y++, r, "last wake: ", line);
}

/* ---- NARRATION --------------------------------------------------------------- */

typedef struct tui_text_ctx {
	int y, x, w;
	attr_t attr;
} tui_text_ctx;

static void
tui_text_line(tui_frame *f, int i, const char *s, int len, int cut, void *ctx)
{
	tui_text_ctx *c = ctx;
	int used = tui_put_attr(f->w, f->th, c->y + i, c->x,
	                        cut ? c->w - 1 : c->w, c->attr, s, len);
	if (cut)
		tui_put_attr(f->w, f->th, c->y + i, c->x + used, 1, c->attr,
		             tui_theme_glyph(f->th, TUI_G_ELLIPSIS), -1);
}

const char *
tui_draw_teacher(const tui_state *st, size_t cursor, int at_end)
{
	if (at_end && st->end_note[0])
		return st->end_note;
	const ui_course_moment *best = NULL;
	for (size_t i = 0; i < st->nnarrations; i++) {
		const ui_course_moment *n = &st->narrations[i];
		if (n->at <= cursor && (!best || n->at >= best->at))
			best = n;
	}
	return best ? best->say : NULL;
}

static void
tui_pane_narration(tui_frame *f, const tui_rect *r)
{
	trace_view *v = f->v;
	size_t nl = trace_view_lints(v);
	char info[64] = "";
	if (nl)
		snprintf(info, sizeof info, "%s %zu lint%s", 
		         tui_theme_glyph(f->th, TUI_G_LINT), nl,
		         nl == 1 ? "" : "s");
	tui_rule(f, r->y, r->x, r->w, "NARRATION", info);
	int h = r->h - 1, y = r->y + 1, x = r->x + 1, w = r->w - 2;
	int extra = 0;
	trace_view_lint_row lint;
	int has_lint = nl > 0 && trace_view_lint(v, nl - 1, &lint) == 0;
	int has_msg = f->st->message[0] != '\0';
	if (has_msg && h > 1)
		extra++;
	if (has_lint && h - extra > 1)
		extra++;
	/* The teacher's word for the moment reached, if any, comes first:
	 * it says why the moment matters; the generated sentence says what
	 * happened. */
	const char *say = tui_draw_teacher(
	        f->st, trace_view_cursor(v),
	        trace_view_cursor(v) == trace_view_events(v));
	int taken = 0;
	if (say && h - extra > 1) {
		/* The teacher's line breaks are the file's, not the pane's. */
		char flat[1024];
		size_t k = 0;
		for (; say[k] && k + 1 < sizeof flat; k++)
			flat[k] = say[k] == '\n' || say[k] == '\t' ? ' '
			                                           : say[k];
		flat[k] = '\0';
		tui_text_ctx t = {y, x, w, tui_attr(f, TUI_R_TITLE)};
		/* At most three lines, and one left for the sentence. */
		int max = h - extra - 1 < 3 ? h - extra - 1 : 3;
		int n = tui_wrap(f, flat, w, max, tui_text_line, &t);
		n = n > max ? max : n;
		/* Presenting, the two stand apart, each on its own lines. */
		int gap = f->st->present && h - extra - n > 2;
		y += n + gap;
		taken = n + gap;
	}
	char sentence[TRACE_VIEW_SENTENCE_MAX * 2];
	trace_view_narrate(v, sentence, sizeof sentence);
	tui_text_ctx c = {y, x, w, tui_attr(f, TUI_R_NORMAL)};
	int room = h - extra - taken;
	int lines = tui_wrap(f, sentence, w, room, tui_text_line, &c);
	if (lines > room)
		lines = room;
	y += lines;
	/* The latest lint stays in view: it concerns the run so far. */
	if (has_lint && extra > (has_msg ? 1 : 0)) {
		char text[TRACE_VIEW_SENTENCE_MAX + 96];
		snprintf(text, sizeof text, "%s %s: %s",
		         tui_theme_glyph(f->th, TUI_G_LINT), lint.name,
		         *lint.detail ? lint.detail : lint.explanation);
		tui_put_cut(f, r->y + h - (has_msg ? 1 : 0), x, w,
		            tui_attr(f, TUI_R_LINT), text);
	}
	if (has_msg)
		tui_put_cut(f, r->y + h, x, w,
		            tui_attr(f, f->st->message_role), f->st->message);
}

/* ---- the status line ---------------------------------------------------------- */

static void
tui_status(tui_frame *f)
{
	trace_view *v = f->v;
	ui_session *s = f->st->session;
	int y = f->rows - 1, x = 0, w = f->cols;
	attr_t base = tui_attr(f, TUI_R_STATUS);
	tui_fill(f->w, y, 0, w, base);
	size_t c = trace_view_cursor(v), n = trace_view_events(v);
	char text[256];
	if (f->st->playing)
		snprintf(text, sizeof text, " %s playing ",
		         tui_theme_glyph(f->th, TUI_G_PLAY));
	else
		snprintf(text, sizeof text, " %s paused ",
		         tui_theme_glyph(f->th, TUI_G_PAUSE));
	x += tui_put(f->w, f->th, y, x, w - x,
	             f->st->playing ? TUI_R_PLAYING : TUI_R_STATUS_KEY, text,
	             -1);
	char clock[32], a[32], b[32];
	trace_view_fmt_time(trace_view_now(v), clock, sizeof clock);
	uint64_t i, m;
	trace_view_step step = ui_session_step(s);
	trace_view_tick(v, step, &i, &m);
	tui_fmt_count(i, a, sizeof a);
	tui_fmt_count(m, b, sizeof b);
	const char *bar = tui_theme_glyph(f->th, TUI_G_VLINE);
	snprintf(text, sizeof text,
	         " clock %s %s tick %s of %s%s %s step %s %s %s %s ", clock,
	         bar, a, b, c == n ? " (end)" : "", bar,
	         trace_view_step_name(step), bar,
	         ui_session_speed_name(ui_session_speed(s)), bar);
	x += tui_put_attr(f->w, f->th, y, x, w - x, base, text, -1);
	/* Which of a lesson's programs runs, when it has several. */
	size_t program, np = 0;
	const lesson *les = ui_session_lesson(s, NULL, &program);
	if (les) {
		np = ui_course_program_count(les);
		if (program >= les->nprograms)
			snprintf(text, sizeof text, "your code %s ", bar);
		else if (np > 1)
			snprintf(text, sizeof text, "program %zu of %zu %s ",
			         les->programs[program].number, np, bar);
		else
			text[0] = '\0';
		x += tui_put_attr(f->w, f->th, y, x, w - x, base, text, -1);
	}
	/* A projected screen shows no keys: the room only watches. */
	if (f->st->present)
		return;
	/* Key hints as far as they fit, the most useful first. */
	static const struct {
		const char *key, *what;
	} hints[] = {{"v", "variant"}, {"space", "play"}, {"←→", "step"},
	             {"?", "help"},    {"q", "quit"},     {":", "command"},
	             {"d", "machine"}};
	/* v only where there is a variant to go to. */
	for (size_t k = np > 1 ? 0 : 1; k < sizeof hints / sizeof hints[0];
	     k++) {
		int need = tui_text_width(f->th, hints[k].key, -1) +
		           (int)strlen(hints[k].what) + 2;
		if (x + need > w)
			break;
		x += tui_put(f->w, f->th, y, x, w - x, TUI_R_STATUS_KEY,
		             hints[k].key, -1);
		x += tui_put_attr(f->w, f->th, y, x, w - x, base, " ", 1);
		x += tui_put_attr(f->w, f->th, y, x, w - x, base,
		                  hints[k].what, -1);
		x += tui_put_attr(f->w, f->th, y, x, w - x, base, " ", 1);
	}
}

/* ---- overlays ------------------------------------------------------------------ */

/* A box in the middle of the screen; returns its inner rectangle. */
static tui_rect
tui_box(tui_frame *f, int want_h, int want_w, const char *title)
{
	tui_rect r;
	int bw = f->box_w > 0 ? f->box_w : f->cols;
	int slack = bw < f->cols ? 0 : 2; /* beside the text: all of it */
	r.w = want_w + 4 < bw - slack ? want_w + 4 : bw - slack;
	r.h = want_h + 2 < f->rows - 2 ? want_h + 2 : f->rows - 2;
	r.y = (f->rows - r.h) / 2;
	r.x = f->box_x + (bw - r.w) / 2;
	attr_t a = tui_attr(f, TUI_R_OVERLAY);
	for (int y = r.y; y < r.y + r.h; y++)
		tui_fill(f->w, y, r.x, r.w, a);
	const char *hl = tui_theme_glyph(f->th, TUI_G_HLINE);
	const char *vl = tui_theme_glyph(f->th, TUI_G_VLINE);
	tui_repeat(f, r.y, r.x + 1, r.w - 2, a, hl);
	tui_repeat(f, r.y + r.h - 1, r.x + 1, r.w - 2, a, hl);
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		tui_put_attr(f->w, f->th, y, r.x, 1, a, vl, -1);
		tui_put_attr(f->w, f->th, y, r.x + r.w - 1, 1, a, vl, -1);
	}
	tui_put_attr(f->w, f->th, r.y, r.x, 1, a,
	             tui_theme_glyph(f->th, TUI_G_CORNER_TL), -1);
	tui_put_attr(f->w, f->th, r.y, r.x + r.w - 1, 1, a,
	             tui_theme_glyph(f->th, TUI_G_CORNER_TR), -1);
	tui_put_attr(f->w, f->th, r.y + r.h - 1, r.x, 1, a,
	             tui_theme_glyph(f->th, TUI_G_CORNER_BL), -1);
	tui_put_attr(f->w, f->th, r.y + r.h - 1, r.x + r.w - 1, 1, a,
	             tui_theme_glyph(f->th, TUI_G_CORNER_BR), -1);
	if (title) {
		char t[128];
		snprintf(t, sizeof t, " %s ", title);
		tui_put_attr(f->w, f->th, r.y, r.x + 2, r.w - 4, a | A_BOLD, t,
		             -1);
	}
	tui_rect in = {r.y + 1, r.x + 2, r.h - 2, r.w - 4};
	return in;
}

static void
tui_overlay_help(tui_frame *f)
{
	const tui_state *st = f->st;
	enum { LEGEND = 4, LEGEND_W = 62, KEYW = 6, COLW = 36 };
	/* Two columns of keys when one would not fit the screen's height. */
	int ncol = (int)st->nhelp + LEGEND + 1 > f->rows - 4 ? 2 : 1;
	int per = ((int)st->nhelp + ncol - 1) / ncol;
	/* Wide enough for the legend's lines, even with one column. */
	int want_w = ncol * COLW + (ncol - 1) * 2;
	if (want_w < LEGEND_W)
		want_w = LEGEND_W;
	tui_rect in = tui_box(f, per + LEGEND + 1, want_w,
	                      "Keys (any key closes this)");
	attr_t a = tui_attr(f, TUI_R_OVERLAY);
	for (size_t i = 0; i < st->nhelp; i++) {
		int col = (int)i / per, y = in.y + (int)i % per;
		int x = in.x + col * (COLW + 2);
		if (y >= in.y + in.h)
			continue;
		tui_put_attr(f->w, f->th, y, x, KEYW, a | A_BOLD,
		             st->help[i].keys, -1);
		tui_put_attr(f->w, f->th, y, x + KEYW + 1, COLW - KEYW - 1, a,
		             st->help[i].what, -1);
	}
	int y = in.y + per + 1;
	if (y < in.y + in.h) {
		int x = in.x;
		for (int s = TRACE_VIEW_F_CREATED; s < TRACE_VIEW_F_COUNT; s++) {
			char item[48];
			snprintf(item, sizeof item, "%s %s  ",
			         tui_theme_fstate_glyph(f->th,
			                                (trace_view_fstate)s),
			         trace_view_fstate_name((trace_view_fstate)s));
			x += tui_put_attr(f->w, f->th, y, x, in.x + in.w - x, a,
			                  item, -1);
		}
		y++;
	}
	if (y < in.y + in.h) {
		static const trace_view_cell cells[] = {
		        TRACE_VIEW_CELL_POLLING, TRACE_VIEW_CELL_PENDING,
		        TRACE_VIEW_CELL_READY, TRACE_VIEW_CELL_CREATED};
		static const char *const words[] = {"polled", "pending",
		                                    "ready", "not polled yet"};
		int x = in.x;
		x += tui_put_attr(f->w, f->th, y, x, in.w, a, "timeline: ", -1);
		for (size_t k = 0; k < 4; k++) {
			char item[48];
			snprintf(item, sizeof item, "%s %s  ",
			         tui_theme_cell_glyph(f->th, cells[k]), words[k]);
			x += tui_put_attr(f->w, f->th, y, x, in.x + in.w - x, a,
			                  item, -1);
		}
		y++;
	}
	if (y < in.y + in.h) {
		char t[160];
		snprintf(t, sizeof t,
		         "source: %s the line running now, %s an await point",
		         tui_theme_glyph(f->th, TUI_G_CURLINE),
		         tui_theme_glyph(f->th, TUI_G_AWAIT));
		tui_put_attr(f->w, f->th, y, in.x, in.w, a, t, -1);
		y++;
	}
	/* The commands a learner needs in a lesson, which have no key. */
	if (y < in.y + in.h)
		tui_put_attr(f->w, f->th, y, in.x, in.w, a,
		             "a lesson: :program N  :edit  :check  :hint  "
		             ":reset  :solution",
		             -1);
}

static const char *const tui_type_names[] = {
        [TRACE_FT_ASYNC_FN] = "the future of an async fn",
        [TRACE_FT_ASYNC_BLOCK] = "an async block",
        [TRACE_FT_SLEEP] = "tokio::time::sleep",
        [TRACE_FT_JOIN_ALL] = "futures::future::join_all",
        [TRACE_FT_JOIN] = "tokio::join!",
        [TRACE_FT_JOIN_HANDLE] = "a JoinHandle of tokio::spawn",
        [TRACE_FT_TASK] = "a task's root",
        [TRACE_FT_OTHER] = "a future",
};

static void
tui_overlay_details(tui_frame *f)
{
	trace_view *v = f->v;
	trace_view_row row;
	char lines[10][TRACE_VIEW_TEXT_MAX + 64];
	int n = 0;
	if (!f->sel || trace_view_future(v, f->sel, &row) != 0) {
		snprintf(lines[n++], sizeof lines[0],
		         "Nothing is selected: select a future with the arrow "
		         "keys.");
	} else {
		char parent[TRACE_VIEW_NAME_MAX] = "none (a task's root)";
		if (row.parent)
			trace_view_future_name(v, row.parent, parent,
			                       sizeof parent);
		const trace_event *ev =
		        trace_log_at(trace_view_log(v), row.created);
		char t[32], polls[32];
		trace_view_fmt_time(ev ? ev->time_ns : 0, t, sizeof t);
		tui_fmt_count(row.polls, polls, sizeof polls);
		snprintf(lines[n++], sizeof lines[0], "future   #%" PRIu32 " %s",
		         row.future, row.name);
		snprintf(lines[n++], sizeof lines[0], "kind     %s",
		         (size_t)row.type < sizeof tui_type_names /
		                                    sizeof tui_type_names[0]
		                 ? tui_type_names[row.type]
		                 : "a future");
		snprintf(lines[n++], sizeof lines[0], "state    %s %s",
		         tui_theme_fstate_glyph(f->th, row.state),
		         trace_view_fstate_name(row.state));
		snprintf(lines[n++], sizeof lines[0], "polls    %s", polls);
		snprintf(lines[n++], sizeof lines[0], "waits on %s",
		         *row.waiting ? row.waiting : "nothing");
		snprintf(lines[n++], sizeof lines[0], "task     %" PRIu32,
		         row.task);
		snprintf(lines[n++], sizeof lines[0], "under    %s", parent);
		snprintf(lines[n++], sizeof lines[0],
		         "created  at %s (event %zu)", t, row.created + 1);
		snprintf(lines[n++], sizeof lines[0], "%s",
		         row.has_children ? (row.folded ? "children folded (Tab "
		                                          "unfolds)"
		                                        : "children shown (Tab "
		                                          "folds)")
		                          : "no children");
	}
	tui_rect in = tui_box(f, n, 60, "Details (any key closes this)");
	for (int i = 0; i < n && i < in.h; i++)
		tui_put_attr(f->w, f->th, in.y + i, in.x, in.w,
		             tui_attr(f, TUI_R_OVERLAY), lines[i], -1);
}

/* Calls `fn` for each screen line of text wrapped at `width`: long lines
 * break at blanks and go on under their own indentation, so a two-column
 * answer (a name, then its explanation) stays readable in a narrow box.
 * Returns the number of screen lines. */
typedef void (*tui_answer_fn)(tui_frame *f, int i, int indent, const char *s,
                              int len, void *ctx);

/* Bytes of the longest start of s[0, len) that fits in `room` columns,
 * whole characters only, and at least one character. */
static int
tui_text_prefix(const tui_frame *f, const char *s, int len, int room)
{
	int k = 0;
	while (k < len) {
		int next = k + 1;
		while (next < len && ((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		if (k > 0 && tui_text_width(f->th, s, next) > room)
			break;
		k = next;
	}
	return k;
}

static int
tui_answer_lines(tui_frame *f, const char *text, int width, tui_answer_fn fn,
                 void *ctx)
{
	int n = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		int indent = 0;
		while (indent < len && p[indent] == ' ')
			indent++;
		/* Continuation lines go under the text after the first run
		 * of two blanks (the explanation column), if there is one. */
		int hang = indent;
		for (int k = indent; k + 1 < len; k++)
			if (p[k] == ' ' && p[k + 1] == ' ') {
				while (k < len && p[k] == ' ')
					k++;
				hang = k;
				break;
			}
		if (hang > width / 2)
			hang = indent < width / 2 ? indent : 0;
		const char *q = p, *end = p + len;
		int first = 1;
		do {
			int lead = first ? 0 : hang;
			int room = width - lead;
			const char *stop = q;
			int used = 0;
			/* Take words while they fit (at least one piece). */
			while (stop < end) {
				const char *w = stop;
				while (w < end && *w == ' ')
					w++;
				const char *we = w;
				while (we < end && *we != ' ')
					we++;
				int ww = tui_text_width(f->th, stop,
				                        (int)(we - stop));
				if (used + ww > room && stop > q)
					break;
				if (ww > room) {
					/* A word longer than the line (a
					 * file's path): cut over lines. */
					stop += tui_text_prefix(
					        f, stop, (int)(we - stop), room);
					break;
				}
				used += ww;
				stop = we;
				if (used >= room)
					break;
			}
			if (fn)
				fn(f, n, lead, q, (int)(stop - q), ctx);
			n++;
			q = stop;
			while (q < end && *q == ' ')
				q++;
			first = 0;
		} while (q < end);
		p += len + (e ? 1 : 0);
	}
	return n;
}

typedef struct tui_answer_ctx {
	tui_rect in;
	int top;
} tui_answer_ctx;

static void
tui_answer_line(tui_frame *f, int i, int indent, const char *s, int len,
                void *ctx)
{
	tui_answer_ctx *c = ctx;
	int y = i - c->top;
	if (y < 0 || y >= c->in.h)
		return;
	tui_put_attr(f->w, f->th, c->in.y + y, c->in.x + indent,
	             c->in.w - indent, tui_attr(f, TUI_R_OVERLAY), s, len);
}

static void
tui_overlay_answer(tui_frame *f)
{
	tui_state *st = f->st;
	const char *text = st->answer ? st->answer : "";
	int width = (f->box_w > 0 ? f->box_w : f->cols) - 6;
	int n = tui_answer_lines(f, text, width, NULL, NULL);
	int widest = 20;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		int w = tui_text_width(f->th, p, len);
		if (w > widest)
			widest = w;
		p += len + (e ? 1 : 0);
	}
	if (widest > width)
		widest = width;
	int fits = n <= f->rows - 4;
	const char *title = st->answer_title;
	if (!title)
		title = fits ? "Answer (any key closes this)"
		             : "Answer (arrows, space scroll; q closes)";
	tui_rect in = tui_box(f, n, widest, title);
	/* Wrapped again at the box's real width. */
	n = tui_answer_lines(f, text, in.w, NULL, NULL);
	int maxtop = n > in.h ? n - in.h : 0;
	if (st->answer_top > maxtop)
		st->answer_top = maxtop;
	if (st->answer_top < 0)
		st->answer_top = 0;
	st->answer_rows = n;
	st->answer_page = in.h;
	tui_answer_ctx c = {in, st->answer_top};
	tui_answer_lines(f, text, in.w, tui_answer_line, &c);
}

/* ---- LESSON ------------------------------------------------------------------ */

void
tui_draw_free(tui_state *st)
{
	free(st->prose_text);
	st->prose_text = NULL;
	st->prose_width = 0;
	st->prose_rows = 0;
}

static int
tui_prose_on(const tui_frame *f)
{
	return f->st->prose && f->st->prose_shown && !f->st->machine;
}

/* Lays the prose out for a pane `width` columns wide, unless it already
 * is: rendering Markdown every frame would cost more than the frame. */
static void
tui_prose_layout(tui_frame *f, int width)
{
	tui_state *st = f->st;
	if (width < 20)
		width = 20;
	if (st->prose_text && st->prose_width == width)
		return;
	free(st->prose_text);
	st->prose_text = lesson_text_render(st->prose, strlen(st->prose), width);
	st->prose_width = width;
	st->prose_rows = 0;
	for (const char *p = st->prose_text; p && *p; p++)
		st->prose_rows += *p == '\n';
}

static void
tui_pane_prose(tui_frame *f, const tui_rect *r)
{
	tui_state *st = f->st;
	tui_rule(f, r->y, r->x, r->w, "LESSON", st->title);
	int h = r->h - 1, y0 = r->y + 1;
	st->prose_page = h;
	if (!st->prose_text) {
		tui_put(f->w, f->th, y0, r->x + 1, r->w - 1, TUI_R_ERROR,
		        "(out of memory: the lesson's text cannot be shown)",
		        -1);
		return;
	}
	/* The last line to show is the last of the text, and the
	 * bottom line says when there is more below. */
	int top = tui_clamp(st->prose_top, 0,
	                    st->prose_rows > h ? st->prose_rows - h : 0);
	st->prose_top = top;
	const char *p = st->prose_text;
	for (int i = 0; i < top && *p; i++)
		p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
	for (int i = 0; i < h && *p; i++) {
		size_t n = strcspn(p, "\n");
		if (i == h - 1 && top + h < st->prose_rows) {
			tui_put(f->w, f->th, y0 + i, r->x + 1, r->w - 1,
			        TUI_R_DIM, "(more below: PgDn)", -1);
			break;
		}
		tui_put(f->w, f->th, y0 + i, r->x + 1, r->w - 1, TUI_R_NORMAL,
		        p, (int)n);
		p += n + (p[n] == '\n');
	}
}

/* ---- the pane table and the layout ------------------------------------------- */

enum tui_column { TUI_COL_LEFT, TUI_COL_RIGHT, TUI_COL_BOTTOM };

static int
tui_want_source(tui_frame *f)
{
	if (f->st->machine)
		return 12;
	if (tui_prose_on(f))
		return f->st->prose_rows > 1000 ? 1000 : f->st->prose_rows;
	return (int)trace_view_source_lines(f->v);
}

static int
tui_want_output(tui_frame *f)
{
	size_t n = trace_view_output_lines(f->v);
	return n > 1000 ? 1000 : (int)n;
}

static int
tui_want_futures(tui_frame *f)
{
	size_t n = trace_view_rows(f->v) + 2;
	return n > 1000 ? 1000 : (int)n;
}

static int
tui_want_threads(tui_frame *f)
{
	uint32_t n = trace_view_threads(f->v);
	return n > 1000 ? 1000 : (int)n;
}

static int
tui_want_three(tui_frame *f)
{
	return 3;
}

static void
tui_pane_left_top(tui_frame *f, const tui_rect *r)
{
	if (f->st->machine)
		tui_pane_machine(f, r);
	else if (tui_prose_on(f))
		tui_pane_prose(f, r);
	else
		tui_pane_source(f, r);
}

/* The panes. min and want count content rows (the rule comes on top);
 * rows beyond every pane's want go to the one marked `grow`: the output,
 * which fills up as the run goes on, and the tree. */
typedef struct tui_pane_def {
	enum tui_column column;
	int min;
	int weight;
	int grow;
	int (*want)(tui_frame *f);
	void (*draw)(tui_frame *f, const tui_rect *r);
} tui_pane_def;

static const tui_pane_def tui_panes[] = {
        {TUI_COL_LEFT, 4, 3, 0, tui_want_source, tui_pane_left_top},
        {TUI_COL_LEFT, 2, 2, 1, tui_want_output, tui_pane_output},
        {TUI_COL_RIGHT, 4, 4, 1, tui_want_futures, tui_pane_futures},
        {TUI_COL_RIGHT, 1, 1, 0, tui_want_threads, tui_pane_threads},
        {TUI_COL_RIGHT, 3, 1, 0, tui_want_three, tui_pane_executor},
        {TUI_COL_BOTTOM, 2, 1, 0, tui_want_three, tui_pane_narration},
};

#define TUI_NPANES (sizeof tui_panes / sizeof tui_panes[0])

/* Shares `avail` rows among the panes of one column: each gets its rule
 * and its minimum, then one row at a time goes to the pane furthest below
 * its share (want, weighted), then the rest to the growing one. */
static void
tui_layout_column(tui_frame *f, enum tui_column col, int avail, int *h)
{
	int want[TUI_NPANES];
	int used = 0;
	for (size_t i = 0; i < TUI_NPANES; i++) {
		if (tui_panes[i].column != col)
			continue;
		want[i] = tui_panes[i].want(f);
		h[i] = 1 + tui_panes[i].min;
		used += h[i];
	}
	int rest = avail - used;
	while (rest > 0) {
		size_t best = TUI_NPANES;
		long best_num = 0, best_den = 1;
		for (size_t i = 0; i < TUI_NPANES; i++) {
			if (tui_panes[i].column != col || h[i] - 1 >= want[i])
				continue;
			/* The smallest (rows / weight) is furthest behind. */
			long num = h[i], den = tui_panes[i].weight;
			if (best == TUI_NPANES || num * best_den < best_num * den) {
				best = i;
				best_num = num;
				best_den = den;
			}
		}
		if (best == TUI_NPANES)
			break;
		h[best]++;
		rest--;
	}
	for (size_t i = 0; i < TUI_NPANES && rest > 0; i++)
		if (tui_panes[i].column == col && tui_panes[i].grow) {
			h[i] += rest;
			rest = 0;
		}
}

/* Where the column separator meets the rules: a tee or a cross, so the
 * panes read as boxes. */
static void
tui_separator(tui_frame *f, int x, int bottom, const unsigned char *left,
              const unsigned char *right)
{
	attr_t a = tui_attr(f, TUI_R_RULE);
	if (bottom > TUI_MAX_LIST * 2)
		bottom = TUI_MAX_LIST * 2;
	for (int y = 0; y < bottom; y++) {
		tui_glyph g = TUI_G_VLINE;
		if (left[y] && right[y])
			g = y == 0 ? TUI_G_CROSS_DOWN : TUI_G_CROSS;
		else if (left[y])
			g = TUI_G_TEE_LEFT;
		else if (right[y])
			g = TUI_G_TEE_RIGHT;
		tui_put_attr(f->w, f->th, y, x, 1, a, tui_theme_glyph(f->th, g),
		             -1);
	}
	tui_put_attr(f->w, f->th, bottom, x, 1, a,
	             tui_theme_glyph(f->th, TUI_G_CROSS_UP), -1);
}

/* The left column's width: enough for the source's longest line if the
 * screen allows, never more than 9/20 of it. */
static int
tui_left_width(tui_frame *f)
{
	int cap = f->cols >= 100 ? f->cols / 2 : f->cols * 9 / 20;
	if (tui_prose_on(f))
		return cap; /* text reads best as wide as it may be */
	uint32_t n = trace_view_source_lines(f->v);
	int need = 24;
	if (n > 2000)
		return cap;
	for (uint32_t i = 1; i <= n; i++) {
		size_t len;
		const char *s = trace_view_source_line(f->v, i, &len);
		int w = s ? tui_text_width(f->th, s, (int)len) : 0;
		if (w + tui_digits(n) + 3 > need)
			need = w + tui_digits(n) + 3;
	}
	return need < cap ? need : cap;
}

static void
tui_too_small(tui_frame *f)
{
	char line[96];
	snprintf(line, sizeof line, "enlarge the terminal to at least %d%s%d",
	         TUI_MIN_COLS, f->th->ascii ? "x" : "×", TUI_MIN_ROWS);
	char now[64];
	snprintf(now, sizeof now, "(it is %d%s%d now; q quits)", f->cols,
	         f->th->ascii ? "x" : "×", f->rows);
	int y = f->rows / 2 - 1;
	if (y < 0)
		y = 0;
	int w1 = tui_text_width(f->th, line, -1);
	int w2 = tui_text_width(f->th, now, -1);
	tui_put(f->w, f->th, y, w1 < f->cols ? (f->cols - w1) / 2 : 0, f->cols,
	        TUI_R_TITLE, line, -1);
	tui_put(f->w, f->th, y + 1, w2 < f->cols ? (f->cols - w2) / 2 : 0,
	        f->cols, TUI_R_DIM, now, -1);
}

void
tui_draw_frame(WINDOW *w, tui_state *st)
{
	tui_frame f;
	memset(&f, 0, sizeof f);
	f.w = w;
	f.st = st;
	f.v = ui_session_view(st->session);
	f.th = &st->theme;
	getmaxyx(w, f.rows, f.cols);
	werase(w);
	if (f.cols < TUI_MIN_COLS || f.rows < TUI_MIN_ROWS || !f.v) {
		tui_too_small(&f);
		return;
	}
	f.t0 = 0;
	f.t1 = trace_view_end_time(f.v) + 1;
	f.thread = tui_event_thread(f.v);
	f.sel = tui_draw_selection(st, &f.sel_row);
	st->sel_future = f.sel;
	st->sel_row = f.sel_row;

	int status = 1;
	int bottom_h = 1 + (f.rows >= 30 ? 3 : 2);
	/* Room for the teacher's words over the generated sentence. */
	if (st->nnarrations > 0 || st->quiz || st->end_note[0])
		bottom_h += f.rows >= 30 ? 3 : 1;
	/* In a classroom the narration is what the room reads: a third of
	 * the screen. */
	if (st->present && bottom_h < f.rows / 3)
		bottom_h = f.rows / 3;
	int main_h = f.rows - status - bottom_h;
	int lw = tui_left_width(&f);
	int rx = lw + 1, rw = f.cols - rx;
	if (tui_prose_on(&f))
		tui_prose_layout(&f, lw - 2);

	int h[TUI_NPANES];
	memset(h, 0, sizeof h);
	tui_layout_column(&f, TUI_COL_LEFT, main_h, h);
	tui_layout_column(&f, TUI_COL_RIGHT, main_h, h);
	tui_layout_column(&f, TUI_COL_BOTTOM, bottom_h, h);
	/* Where each column starts and how wide it is; its panes stack
	 * down from there. rules[c][y] notes a pane's rule at row y, for the
	 * separator's joints. */
	int col_x[] = {[TUI_COL_LEFT] = 0, [TUI_COL_RIGHT] = rx,
	               [TUI_COL_BOTTOM] = 0};
	int col_w[] = {[TUI_COL_LEFT] = lw, [TUI_COL_RIGHT] = rw,
	               [TUI_COL_BOTTOM] = f.cols};
	int col_y[] = {[TUI_COL_LEFT] = 0, [TUI_COL_RIGHT] = 0,
	               [TUI_COL_BOTTOM] = main_h};
	static unsigned char rules[3][TUI_MAX_LIST * 2];
	memset(rules, 0, sizeof rules);
	for (size_t i = 0; i < TUI_NPANES; i++) {
		const tui_pane_def *p = &tui_panes[i];
		int c = p->column;
		tui_rect r = {col_y[c], col_x[c], h[i], col_w[c]};
		if (col_y[c] < (int)sizeof rules[0])
			rules[c][col_y[c]] = 1;
		col_y[c] += h[i];
		p->draw(&f, &r);
	}
	tui_separator(&f, lw, main_h, rules[TUI_COL_LEFT],
	              rules[TUI_COL_RIGHT]);
	tui_status(&f);

	/* A quiz never hides the lesson's text it is about: it sits over
	 * the run, which has nothing to show before the answer anyway. */
	f.box_x = 0;
	f.box_w = f.cols;
	if (st->quiz_open && tui_prose_on(&f) && f.cols - rx >= 40) {
		f.box_x = rx;
		f.box_w = f.cols - rx;
	}

	static void (*const overlays[])(tui_frame *) = {
	        [TUI_OVERLAY_NONE] = NULL,
	        [TUI_OVERLAY_HELP] = tui_overlay_help,
	        [TUI_OVERLAY_DETAILS] = tui_overlay_details,
	        [TUI_OVERLAY_ANSWER] = tui_overlay_answer,
	};
	if ((size_t)st->overlay < sizeof overlays / sizeof overlays[0] &&
	    overlays[st->overlay])
		overlays[st->overlay](&f);
}
