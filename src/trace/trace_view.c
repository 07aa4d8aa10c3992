#include "config.h"

#include "trace/trace_view.h"
#include "lang/lang_utf8.h"

#include "lang/lang_code.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How it works, in short (the header has the contract).
 *
 * One pass over the log finds the sizes; a second fills compact lists of
 * event indices (CSR: one offsets array per owner, 4 bytes per indexed
 * event): per future its core events (created, poll begin/end, dropped),
 * its wakes, its state-machine events, its timer events and the polls it
 * made; per thread its state changes, its source positions and its polls.
 * A future's state at any cursor is then a binary search in its own lists,
 * and so is a thread's. The global counts (futures per state, tick numbers)
 * come from a snapshot every TRACE_VIEW_SNAPSHOT_EVERY events plus a short
 * replay that reuses those per-future lookups, so a seek never walks the
 * whole trace and never depends on where the cursor came from.
 *
 * The futures tree is fixed for the whole run (see the header), so its
 * preorder is computed once. Which rows exist at a cursor is "id <= the
 * number of futures created so far", since ids follow creation order; a
 * wavelet matrix over the ids in preorder counts and finds those rows in
 * any range of the preorder in O(log n), which is what lets a window of a
 * million-row tree be drawn without walking it. */

#define NO_EV UINT32_MAX
#define K_SNAP TRACE_VIEW_SNAPSHOT_EVERY

/* Base states kept while building and replaying, plus a bit for "a WAKE
 * targeted it since its last POLL_BEGIN" (woken is derived from both). */
enum { ST_WAKE_BIT = 0x80, ST_BASE = 0x7f };

/* Per-future lists: core events; the rest that concern it (wakes, timer
 * events, state-machine events), which lookups scan backward only over
 * the few events since its last poll; and the polls it made. */
enum view_flist { FL_CORE, FL_MISC, FL_POLLEE, FL_COUNT };
enum view_tlist { TL_STATE, TL_LINE, TL_POLL, TL_COUNT };

/* Future flags. */
enum { FF_IRREGULAR = 1, FF_POLLED = 2, FF_SEEN = 4 };

/* Where each kind is indexed: the per-future list by ev->future and the
 * per-thread list by ev->thread, stored plus one (0: not indexed). Two
 * routes depend on the payload and are taken in view_route_extra: a
 * POLL_BEGIN also goes to its poller's FL_POLLEE list (row 0 being the
 * executor), and a Pending POLL_END at an await point also goes to its
 * thread's TL_LINE list. */
static const struct view_route {
	uint8_t flist;
	uint8_t tlist;
} view_routes[TRACE_KIND_COUNT] = {
        [TRACE_FUTURE_CREATED] = {FL_CORE + 1, 0},
        [TRACE_FUTURE_DROPPED] = {FL_CORE + 1, 0},
        [TRACE_POLL_BEGIN] = {FL_CORE + 1, TL_POLL + 1},
        [TRACE_POLL_END] = {FL_CORE + 1, TL_POLL + 1},
        [TRACE_WAKE] = {FL_MISC + 1, 0},
        [TRACE_TIMER_ARMED] = {FL_MISC + 1, 0},
        [TRACE_TIMER_FIRED] = {FL_MISC + 1, 0},
        [TRACE_THREAD_SPAWNED] = {0, TL_STATE + 1},
        [TRACE_THREAD_BLOCKED] = {0, TL_STATE + 1},
        [TRACE_THREAD_RESUMED] = {0, TL_STATE + 1},
        [TRACE_THREAD_EXITED] = {0, TL_STATE + 1},
        [TRACE_LINE] = {0, TL_LINE + 1},
        [TRACE_STATE] = {FL_MISC + 1, 0},
        [TRACE_LOCAL] = {FL_MISC + 1, 0},
};

typedef struct view_csr {
	uint32_t *off; /* rows + 1 entries */
	uint32_t *ev;
} view_csr;

typedef struct view_bits {
	uint64_t *w;
	uint32_t *rank; /* ones before word i */
} view_bits;

typedef struct view_wavelet {
	uint32_t n;
	uint32_t levels;
	view_bits *lv;
	uint32_t *zeros;
} view_wavelet;

typedef struct view_snap {
	uint32_t counts[TRACE_VIEW_F_COUNT];
	uint32_t boundaries;
} view_snap;

typedef struct view_range {
	uint32_t lo, hi;
} view_range;

typedef struct view_list {
	uint32_t *ev;
	uint32_t n;
} view_list;

struct trace_view {
	const trace_log *log;
	const lang_program *prog;
	uint32_t n, nfut, nthr, ntask;
	size_t bytes;

	/* Per future, index 0 unused (0 = none). */
	uint32_t *f_parent, *f_task, *f_created;
	uint32_t *f_pos, *f_size;
	uint8_t *f_type, *f_flags;
	view_csr fl[FL_COUNT];

	/* The tree: preorder of ids, and its wavelet matrix. */
	uint32_t *seq;
	view_wavelet wm;

	/* Per thread. */
	uint32_t *t_name, *t_spawn;
	view_csr tl[TL_COUNT];
	uint64_t *t_blocked; /* parallel to tl[TL_STATE].ev */
	/* When only one thread ever polls (one executor: the usual case),
	 * TL_POLL stays empty and the global poll lists serve instead. */
	int multi_poll;
	uint32_t poll_thread;

	/* Global lists of event indices. */
	view_list polls_b, polls_e, outs, lints, wakes;
	uint32_t *out_nl; /* newlines in outputs 0..j-1, outs.n + 1 */

	/* Run queue entries in enqueue order. */
	uint32_t nq;
	uint32_t *q_enq, *q_deq, *q_pmax, *q_task, *q_fut, *q_deq_sorted;

	/* Timers in firing order (deadline, then arming). */
	uint32_t ntm;
	uint32_t *tm_arm, *tm_end, *tm_pmax, *tm_arm_sorted, *tm_end_sorted;

	view_snap *snaps;
	uint32_t nsnaps;
	uint32_t boundaries_total;

	/* Source. */
	uint32_t nlines;
	uint32_t *line_off; /* nlines + 1 */
	uint8_t *await_line;

	/* At the cursor. */
	uint32_t cursor;
	uint32_t created_now;
	uint32_t counts[TRACE_VIEW_F_COUNT];
	uint32_t boundaries;

	/* Folding: sorted ids, and the hidden preorder ranges they make at
	 * the cursor. */
	uint32_t *folded;
	size_t nfolded, capfolded;
	view_range *hid;
	size_t nhid;
};

/* --- small helpers ------------------------------------------------------- */

static void *
view_alloc(trace_view *v, size_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / size)
		return NULL;
	void *p = calloc(n, size);
	if (p != NULL)
		v->bytes += n * size;
	return p;
}

static const trace_event *
view_ev(const trace_view *v, uint32_t i)
{
	return trace_log_at(v->log, i);
}

static uint64_t
view_time(const trace_view *v, uint32_t i)
{
	return trace_log_at(v->log, i)->time_ns;
}

/* Number of entries of a[0..n) below x (a sorted). */
static uint32_t
view_lower(const uint32_t *a, uint32_t n, uint32_t x)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Entries of a[0..n) (event indices) whose event time is below ns. */
static uint32_t
view_lower_time(const trace_view *v, const uint32_t *a, uint32_t n,
                uint64_t ns)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (view_time(v, a[mid]) < ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first event index at or after `from` whose time is at least ns. */
/* The instant a time falls in (see TRACE_VIEW_INSTANT_NS). */
static uint64_t
view_instant(uint64_t t)
{
	return t / TRACE_VIEW_INSTANT_NS;
}

static uint32_t
view_first_at(const trace_view *v, uint32_t from, uint64_t ns)
{
	uint32_t lo = from, hi = v->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (view_time(v, mid) < ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const uint32_t *
view_row_list(const view_csr *c, uint32_t row, uint32_t *n)
{
	*n = c->off[row + 1] - c->off[row];
	return c->ev + c->off[row];
}

/* --- text ---------------------------------------------------------------- */

/* A snprintf-like writer: len counts everything, only whole characters
 * that fit are stored, and once one does not fit nothing more is. */
typedef struct view_text {
	char *buf;
	size_t size;
	size_t len;  /* the whole length */
	size_t used; /* bytes stored */
	int full;
} view_text;

static void
tx_init(view_text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	t->used = 0;
	t->full = size == 0;
	if (size > 0)
		buf[0] = 0;
}

/* One unit (a character or an escape) that is stored whole or not. */
static void
tx_unit(view_text *t, const char *s, size_t n)
{
	t->len += n;
	if (t->full)
		return;
	if (t->used + n + 1 > t->size) {
		t->full = 1;
		return;
	}
	memcpy(t->buf + t->used, s, n);
	t->used += n;
	t->buf[t->used] = 0;
}


/* Text from the program or the trace, escaped like the plain trace. */
static void
tx_esc(view_text *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = u[i] >= 0x20 && u[i] != 0x7f
		                   ? lang_utf8_decode(u + i, n - i, NULL)
		                   : 0;
		if (k > 0) {
			tx_unit(t, s + i, k);
			i += k;
			continue;
		}
		char esc[8];
		if (u[i] == '\t')
			memcpy(esc, "\\t", 3);
		else if (u[i] == '\r')
			memcpy(esc, "\\r", 3);
		else if (u[i] == '\n')
			memcpy(esc, "\\n", 3);
		else
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
		tx_unit(t, esc, strlen(esc));
		i++;
	}
}

/* Our own text: valid UTF-8, stored character by character. */
static void
tx_lit(view_text *t, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = lang_utf8_decode(u + i, n - i, NULL);
		if (k == 0)
			k = 1;
		tx_unit(t, s + i, k);
		i += k;
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
tx_fmt(view_text *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		tx_lit(t, buf);
}

static void
tx_string(view_text *t, const trace_view *v, uint32_t id)
{
	size_t n;
	const char *s = trace_log_string(v->log, id, &n);
	tx_esc(t, s, n);
}

/* A future's FUTURE_CREATED event, NULL if it has none. Names and
 * creators are read from it rather than kept per future. */
static const trace_event *
view_created_ev(const trace_view *v, uint32_t f)
{
	if (f < 1 || f > v->nfut)
		return NULL;
	const trace_event *ev = view_ev(v, v->f_created[f]);
	return ev != NULL && ev->kind == TRACE_FUTURE_CREATED && ev->future == f
	               ? ev
	               : NULL;
}

static uint32_t
view_fname(const trace_view *v, uint32_t f)
{
	const trace_event *ev = view_created_ev(v, f);
	return ev ? ev->b : 0;
}

/* The task a JoinHandle belongs to: tokio::spawn records TASK_SPAWNED on
 * the same thread just before creating the handle. */
static uint32_t
view_handle_task(const trace_view *v, uint32_t f)
{
	const trace_event *ev = view_created_ev(v, f);
	if (ev == NULL)
		return 0;
	uint32_t i = v->f_created[f];
	for (uint32_t k = 0; k < 64 && i > 0; k++) {
		const trace_event *e = view_ev(v, --i);
		if (e->kind == TRACE_TASK_SPAWNED && e->thread == ev->thread)
			return e->a;
	}
	unsigned long task = 0;
	size_t n;
	const char *name = trace_log_string(v->log, ev->b, &n);
	if (sscanf(name, "JoinHandle(task %lu)", &task) == 1)
		return (uint32_t)task;
	return 0;
}

static void
tx_future(view_text *t, const trace_view *v, uint32_t f)
{
	uint32_t name = view_fname(v, f);
	if (name != 0)
		tx_string(t, v, name);
	else
		tx_fmt(t, "future #%lu", (unsigned long)f);
}

static void
tx_thread(view_text *t, const trace_view *v, uint32_t th)
{
	if (th < v->nthr && v->t_name[th] != 0 &&
	    trace_log_string(v->log, v->t_name[th], NULL)[0] != 0)
		tx_string(t, v, v->t_name[th]);
	else if (th == 0)
		tx_lit(t, "main");
	else
		tx_fmt(t, "thread %lu", (unsigned long)th);
}

static void
tx_time(view_text *t, uint64_t ns)
{
	char buf[48];
	trace_view_fmt_time(ns, buf, sizeof buf);
	tx_lit(t, buf);
}

/* A duration in a sentence. The simulator charges the few instructions of
 * a call before the call takes effect, so thread::sleep(200 ms) blocks for
 * 199.99996 ms of the clock; sentences round to the microsecond from a
 * millisecond up, which is what the program asked for. */
static void
tx_duration(view_text *t, uint64_t ns)
{
	char buf[48];
	if (ns >= 1000000u)
		ns = (ns + 500u) / 1000u * 1000u;
	trace_view_fmt_duration(ns, buf, sizeof buf);
	tx_lit(t, buf);
}

size_t
trace_view_fmt_time(uint64_t ns, char *buf, size_t size)
{
	unsigned long long s = ns / 1000000000u, frac = ns % 1000000000u;
	if (frac % 1000000u == 0)
		return (size_t)snprintf(buf, size, "%llu.%03llu s", s,
		                        frac / 1000000u);
	if (frac % 1000u == 0)
		return (size_t)snprintf(buf, size, "%llu.%06llu s", s,
		                        frac / 1000u);
	return (size_t)snprintf(buf, size, "%llu.%09llu s", s, frac);
}

size_t
trace_view_fmt_duration(uint64_t ns, char *buf, size_t size)
{
	static const struct {
		uint64_t scale;
		int digits;
		const char *unit;
	} units[] = {
	        {1000000000u, 9, "s"},
	        {1000000u, 6, "ms"},
	        {1000u, 3, "µs"},
	        {1u, 0, "ns"},
	};
	size_t u = 0;
	while (u + 1 < sizeof units / sizeof units[0] &&
	       ns < units[u].scale)
		u++;
	unsigned long long whole = ns / units[u].scale;
	unsigned long long frac = ns % units[u].scale;
	if (frac == 0)
		return (size_t)snprintf(buf, size, "%llu %s", whole,
		                        units[u].unit);
	char digits[16];
	snprintf(digits, sizeof digits, "%0*llu", units[u].digits, frac);
	size_t k = strlen(digits);
	while (k > 0 && digits[k - 1] == '0')
		digits[--k] = 0;
	return (size_t)snprintf(buf, size, "%llu.%s %s", whole, digits,
	                        units[u].unit);
}

size_t
trace_view_future_name(const trace_view *v, uint32_t future, char *buf,
                       size_t size)
{
	view_text t;
	tx_init(&t, buf, size);
	tx_future(&t, v, future);
	return t.len;
}

size_t
trace_view_thread_name(const trace_view *v, uint32_t thread, char *buf,
                       size_t size)
{
	view_text t;
	tx_init(&t, buf, size);
	tx_thread(&t, v, thread);
	return t.len;
}

/* --- the wavelet matrix -------------------------------------------------- */

static uint32_t
bits_rank1(const view_bits *b, uint32_t i)
{
	uint32_t r = b->rank[i >> 6];
	if (i & 63)
		r += (uint32_t)__builtin_popcountll(b->w[i >> 6] &
		                                    ((1ull << (i & 63)) - 1));
	return r;
}

static int
wm_build(trace_view *v, view_wavelet *wm, const uint32_t *vals, uint32_t n,
         uint32_t maxval)
{
	wm->n = n;
	wm->levels = 1;
	while (wm->levels < 32 && ((uint64_t)1 << wm->levels) <= maxval)
		wm->levels++;
	wm->lv = view_alloc(v, wm->levels, sizeof *wm->lv);
	wm->zeros = view_alloc(v, wm->levels, sizeof *wm->zeros);
	uint32_t *cur = malloc(((size_t)n + 1) * sizeof *cur);
	uint32_t *next = malloc(((size_t)n + 1) * sizeof *next);
	int err = wm->lv == NULL || wm->zeros == NULL || cur == NULL ||
	          next == NULL;
	uint32_t nwords = n / 64 + 1;
	if (!err)
		memcpy(cur, vals, (size_t)n * sizeof *cur);
	for (uint32_t l = 0; !err && l < wm->levels; l++) {
		view_bits *b = &wm->lv[l];
		b->w = view_alloc(v, nwords, sizeof *b->w);
		b->rank = view_alloc(v, nwords + 1, sizeof *b->rank);
		if (b->w == NULL || b->rank == NULL) {
			err = 1;
			break;
		}
		uint32_t shift = wm->levels - 1 - l;
		uint32_t z = 0;
		for (uint32_t i = 0; i < n; i++)
			if ((cur[i] >> shift) & 1)
				b->w[i >> 6] |= 1ull << (i & 63);
			else
				next[z++] = cur[i];
		wm->zeros[l] = z;
		uint32_t o = z;
		for (uint32_t i = 0; i < n; i++)
			if ((cur[i] >> shift) & 1)
				next[o++] = cur[i];
		for (uint32_t i = 0; i < nwords; i++)
			b->rank[i + 1] =
			        b->rank[i] +
			        (uint32_t)__builtin_popcountll(b->w[i]);
		uint32_t *tmp = cur;
		cur = next;
		next = tmp;
	}
	free(cur);
	free(next);
	return err ? -1 : 0;
}

static void
wm_free(view_wavelet *wm)
{
	if (wm->lv != NULL)
		for (uint32_t l = 0; l < wm->levels; l++) {
			free(wm->lv[l].w);
			free(wm->lv[l].rank);
		}
	free(wm->lv);
	free(wm->zeros);
}

/* How many of vals[0..p) are below x. */
static uint32_t
wm_count_less(const view_wavelet *wm, uint32_t p, uint64_t x)
{
	if (x >= ((uint64_t)1 << wm->levels))
		return p;
	uint32_t res = 0, s = 0, e = p;
	for (uint32_t l = 0; l < wm->levels; l++) {
		const view_bits *b = &wm->lv[l];
		uint32_t r1s = bits_rank1(b, s), r1e = bits_rank1(b, e);
		if ((x >> (wm->levels - 1 - l)) & 1) {
			res += (e - r1e) - (s - r1s);
			s = wm->zeros[l] + r1s;
			e = wm->zeros[l] + r1e;
		} else {
			s -= r1s;
			e -= r1e;
		}
	}
	return res;
}

/* --- future states ------------------------------------------------------- */

static trace_view_fstate
view_disp(uint8_t st)
{
	uint8_t base = st & ST_BASE;
	if ((st & ST_WAKE_BIT) &&
	    (base == TRACE_VIEW_F_CREATED || base == TRACE_VIEW_F_PENDING))
		return TRACE_VIEW_F_WOKEN;
	return (trace_view_fstate)base;
}

/* The one transition function, used while building and to replay an
 * irregular future; *bad is set when the events are not in the order the
 * simulator promises (the fast lookups then do not apply to that future). */
static uint8_t
view_step_state(uint8_t st, const trace_event *ev, int *bad)
{
	uint8_t base = st & ST_BASE;
	switch (ev->kind) {
	case TRACE_FUTURE_CREATED:
		*bad |= base != TRACE_VIEW_F_NONE;
		return TRACE_VIEW_F_CREATED;
	case TRACE_POLL_BEGIN:
		*bad |= base != TRACE_VIEW_F_CREATED &&
		        base != TRACE_VIEW_F_PENDING;
		return TRACE_VIEW_F_POLLING;
	case TRACE_POLL_END:
		*bad |= base != TRACE_VIEW_F_POLLING;
		return (uint8_t)((ev->flags == TRACE_READY
		                          ? TRACE_VIEW_F_READY
		                          : TRACE_VIEW_F_PENDING) |
		                 (st & ST_WAKE_BIT));
	case TRACE_FUTURE_DROPPED:
		*bad |= base == TRACE_VIEW_F_NONE ||
		        base == TRACE_VIEW_F_DROPPED;
		return TRACE_VIEW_F_DROPPED;
	case TRACE_WAKE:
		return (uint8_t)(st | ST_WAKE_BIT);
	default:
		return st;
	}
}

typedef struct view_fst {
	trace_view_fstate state;
	uint64_t polls;
	uint32_t last;  /* the last core event before the cursor, NO_EV */
	uint32_t begin; /* the last POLL_BEGIN before the cursor, NO_EV */
} view_fst;

/* The last event of `kind` in a future's FL_MISC list after event
 * `after` and before c (NO_EV if none): a backward scan, short because it
 * stops at `after`, the future's last poll or creation. */
static uint32_t
view_last_kind(const trace_view *v, uint32_t f, uint8_t kind, uint32_t after,
               uint32_t c)
{
	uint32_t n;
	const uint32_t *a = view_row_list(&v->fl[FL_MISC], f, &n);
	for (uint32_t k = view_lower(a, n, c); k > 0; k--) {
		if (after != NO_EV && a[k - 1] <= after)
			break;
		if (view_ev(v, a[k - 1])->kind == kind)
			return a[k - 1];
	}
	return NO_EV;
}

/* An irregular future: replay its core events and wakes in order (the
 * other events of its FL_MISC list do not change its state). */
static view_fst
view_state_slow(const trace_view *v, uint32_t f, uint32_t c)
{
	view_fst r = {TRACE_VIEW_F_NONE, 0, NO_EV, NO_EV};
	uint32_t nc, nw;
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], f, &nc);
	const uint32_t *wake = view_row_list(&v->fl[FL_MISC], f, &nw);
	uint32_t i = 0, j = 0;
	uint8_t st = TRACE_VIEW_F_NONE;
	int bad = 0;
	for (;;) {
		uint32_t a = i < nc ? core[i] : NO_EV;
		uint32_t b = j < nw ? wake[j] : NO_EV;
		uint32_t e = a < b ? a : b;
		if (e >= c)
			break;
		const trace_event *ev = view_ev(v, e);
		st = view_step_state(st, ev, &bad);
		if (a < b) {
			i++;
			r.last = e;
			if (ev->kind == TRACE_POLL_BEGIN) {
				r.polls++;
				r.begin = e;
			}
		} else
			j++;
	}
	r.state = view_disp(st);
	return r;
}

/* A future's state just before event c (at cursor c). */
static view_fst
view_state_at(const trace_view *v, uint32_t f, uint32_t c)
{
	view_fst r = {TRACE_VIEW_F_NONE, 0, NO_EV, NO_EV};
	if (f == 0 || f > v->nfut || !(v->f_flags[f] & FF_SEEN) ||
	    v->f_created[f] >= c)
		return r;
	if (v->f_flags[f] & FF_IRREGULAR)
		return view_state_slow(v, f, c);
	uint32_t nc;
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], f, &nc);
	uint32_t k = view_lower(core, nc, c);
	if (k == 0)
		return r;
	/* Regular: CREATED, then (BEGIN, END)*, maybe a BEGIN, maybe a
	 * DROPPED. */
	r.last = core[k - 1];
	const trace_event *last = view_ev(v, r.last);
	uint32_t kk = last->kind == TRACE_FUTURE_DROPPED ? k - 1 : k;
	r.polls = kk / 2;
	if (kk >= 2)
		r.begin = core[kk % 2 == 0 ? kk - 1 : kk - 2];
	uint32_t since;
	switch (last->kind) {
	case TRACE_FUTURE_CREATED:
		r.state = TRACE_VIEW_F_CREATED;
		since = r.last;
		break;
	case TRACE_POLL_BEGIN:
		r.state = TRACE_VIEW_F_POLLING;
		return r;
	case TRACE_POLL_END:
		if (last->flags == TRACE_READY) {
			r.state = TRACE_VIEW_F_READY;
			return r;
		}
		r.state = TRACE_VIEW_F_PENDING;
		since = r.begin;
		break;
	default:
		r.state = TRACE_VIEW_F_DROPPED;
		return r;
	}
	if (view_last_kind(v, f, TRACE_WAKE, since, c) != NO_EV)
		r.state = TRACE_VIEW_F_WOKEN;
	return r;
}

/* The last event of a future's list before c, NO_EV if none. */
static uint32_t
view_last_in(const trace_view *v, int list, uint32_t f, uint32_t c)
{
	uint32_t n;
	const uint32_t *a = view_row_list(&v->fl[list], f, &n);
	uint32_t k = view_lower(a, n, c);
	return k ? a[k - 1] : NO_EV;
}

/* The future whose poll contains event c's POLL_END of f: its poller, via
 * the matching POLL_BEGIN. */
static uint32_t
view_poller_of_end(const trace_view *v, uint32_t f, uint32_t end_ev)
{
	uint32_t n;
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], f, &n);
	uint32_t k = view_lower(core, n, end_ev);
	while (k > 0) {
		const trace_event *e = view_ev(v, core[--k]);
		if (e->kind == TRACE_POLL_BEGIN)
			return e->a;
	}
	return 0;
}

/* --- building ------------------------------------------------------------ */

static int
csr_alloc(trace_view *v, view_csr *c, uint32_t rows)
{
	c->off = view_alloc(v, (size_t)rows + 2, sizeof *c->off);
	return c->off == NULL ? -1 : 0;
}

/* Counts are in off[row + 1]; turns them into starts and allocates. */
static int
csr_finish_counts(trace_view *v, view_csr *c, uint32_t rows)
{
	uint64_t total = 0;
	for (uint32_t r = 0; r <= rows; r++) {
		total += c->off[r + 1];
		c->off[r + 1] = (uint32_t)total;
	}
	c->ev = view_alloc(v, (size_t)total, sizeof *c->ev);
	return c->ev == NULL ? -1 : 0;
}

/* Appends during the fill pass: off[row] is used as the write position,
 * then csr_finish_fill moves every offset back by one row. */
static void
csr_push(view_csr *c, uint32_t row, uint32_t ev)
{
	c->ev[c->off[row]++] = ev;
}

static void
csr_finish_fill(view_csr *c, uint32_t rows)
{
	for (uint32_t r = rows; r > 0; r--)
		c->off[r] = c->off[r - 1];
	c->off[0] = 0;
}

static int
list_alloc(trace_view *v, view_list *l, uint32_t n)
{
	l->ev = view_alloc(v, n, sizeof *l->ev);
	l->n = 0;
	return l->ev == NULL ? -1 : 0;
}

typedef struct view_totals {
	uint32_t pb, pe, out, lint, wake, enq, timers;
} view_totals;

/* Pass 0: how many futures, threads and tasks there are. */
static void
view_sizes(trace_view *v)
{
	for (uint32_t i = 0; i < v->n; i++) {
		const trace_event *ev = view_ev(v, i);
		if (ev->thread >= v->nthr)
			v->nthr = (uint32_t)ev->thread + 1;
		switch (ev->kind) {
		case TRACE_FUTURE_CREATED:
			if (ev->future > v->nfut && ev->future < UINT32_MAX)
				v->nfut = ev->future;
			break;
		case TRACE_TASK_SPAWNED:
		case TRACE_TASK_DONE:
			if (ev->a >= v->ntask && ev->a < UINT32_MAX)
				v->ntask = ev->a + 1;
			break;
		case TRACE_POLL_BEGIN:
		case TRACE_WAKE:
			if (ev->b >= v->ntask && ev->b < UINT32_MAX)
				v->ntask = ev->b + 1;
			break;
		default:
			break;
		}
	}
}

static int
view_valid_future(const trace_view *v, uint32_t f)
{
	return f >= 1 && f <= v->nfut;
}

/* Pass 1: static facts about futures and the sizes of every list. */
static int
view_pass1(trace_view *v, view_totals *cnt, uint32_t *task_root)
{
	for (uint32_t i = 0; i < v->n; i++) {
		const trace_event *ev = view_ev(v, i);
		struct view_route r = view_routes[ev->kind < TRACE_KIND_COUNT
		                                          ? ev->kind
		                                          : 0];
		if (ev->kind >= TRACE_KIND_COUNT)
			continue;
		uint32_t f = ev->future;
		if (r.flist && view_valid_future(v, f))
			v->fl[r.flist - 1].off[f + 1]++;
		if (r.tlist)
			v->tl[r.tlist - 1].off[ev->thread + 1]++;
		switch (ev->kind) {
		case TRACE_FUTURE_CREATED:
			if (!view_valid_future(v, f) ||
			    (v->f_flags[f] & FF_SEEN))
				break;
			v->f_flags[f] |= FF_SEEN;
			v->f_type[f] = ev->flags <= TRACE_FT_OTHER
			                       ? ev->flags
			                       : TRACE_FT_OTHER;
			v->f_parent[f] = view_valid_future(v, ev->a) ? ev->a : 0;
			v->f_created[f] = i;
			v->f_task[f] = v->f_task[v->f_parent[f]];
			break;
		case TRACE_POLL_BEGIN:
			cnt->pb++;
			if (cnt->pb == 1)
				v->poll_thread = ev->thread;
			else if (ev->thread != v->poll_thread)
				v->multi_poll = 1;
			if (ev->a <= v->nfut)
				v->fl[FL_POLLEE].off[ev->a + 1]++;
			if (!view_valid_future(v, f) ||
			    (v->f_flags[f] & FF_POLLED))
				break;
			v->f_flags[f] |= FF_POLLED;
			v->f_parent[f] = view_valid_future(v, ev->a) ? ev->a : 0;
			v->f_task[f] = ev->b;
			if (ev->a == 0 && ev->b < v->ntask &&
			    task_root[ev->b] == 0)
				task_root[ev->b] = f;
			break;
		case TRACE_POLL_END:
			cnt->pe++;
			if (ev->thread != v->poll_thread)
				v->multi_poll = 1;
			if (ev->flags != TRACE_READY && ev->b != 0)
				v->tl[TL_LINE].off[ev->thread + 1]++;
			break;
		case TRACE_TASK_SPAWNED:
			if (view_valid_future(v, f))
				v->f_task[f] = ev->a;
			if (ev->a < v->ntask)
				task_root[ev->a] = f;
			cnt->enq++;
			break;
		case TRACE_WAKE:
			cnt->wake++;
			cnt->enq++;
			break;
		case TRACE_TIMER_ARMED:
			cnt->timers++;
			break;
		case TRACE_OUTPUT:
			cnt->out++;
			break;
		case TRACE_LINT:
			cnt->lint++;
			break;
		case TRACE_THREAD_SPAWNED:
			v->t_name[ev->thread] = ev->b;
			v->t_spawn[ev->thread] = i;
			break;
		default:
			break;
		}
	}
	if (!v->multi_poll)
		memset(v->tl[TL_POLL].off, 0,
		       ((size_t)v->nthr + 2) * sizeof *v->tl[TL_POLL].off);
	return 0;
}

typedef struct view_tm_sort {
	uint64_t deadline;
	uint32_t arm, end;
} view_tm_sort;

static int
view_tm_cmp(const void *pa, const void *pb)
{
	const view_tm_sort *a = pa, *b = pb;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	return a->arm < b->arm ? -1 : a->arm > b->arm;
}

static int
view_u32_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return a < b ? -1 : a > b;
}

static int
view_newlines(const trace_view *v, uint32_t ev)
{
	size_t n;
	const char *s = trace_log_string(v->log, view_ev(v, ev)->a, &n);
	int k = 0;
	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s)));
	     p++)
		k++;
	return k;
}

/* Pass 2: fill the lists, the run queue, the timers and the snapshots. */
static int
view_pass2(trace_view *v, const view_totals *cnt, const uint32_t *task_root)
{
	uint8_t *st = calloc((size_t)v->nfut + 1, 1);
	uint32_t *queued = calloc((size_t)v->ntask + 1, sizeof *queued);
	uint32_t *open_tm = calloc((size_t)v->nfut + 1, sizeof *open_tm);
	uint64_t *blocked_since = calloc((size_t)v->nthr + 1, sizeof(uint64_t));
	uint64_t *blocked_sum = calloc((size_t)v->nthr + 1, sizeof(uint64_t));
	view_tm_sort *tms = calloc((size_t)cnt->timers + 1, sizeof *tms);
	int err = st == NULL || queued == NULL || open_tm == NULL ||
	          blocked_since == NULL || blocked_sum == NULL || tms == NULL;
	err = err || list_alloc(v, &v->polls_b, cnt->pb) ||
	      list_alloc(v, &v->polls_e, cnt->pe) ||
	      list_alloc(v, &v->outs, cnt->out) ||
	      list_alloc(v, &v->lints, cnt->lint) ||
	      list_alloc(v, &v->wakes, cnt->wake);
	if (!err) {
		v->out_nl = view_alloc(v, (size_t)cnt->out + 1,
		                       sizeof *v->out_nl);
		v->q_enq = view_alloc(v, cnt->enq, sizeof *v->q_enq);
		v->q_deq = view_alloc(v, cnt->enq, sizeof *v->q_deq);
		v->q_pmax = view_alloc(v, cnt->enq, sizeof *v->q_pmax);
		v->q_task = view_alloc(v, cnt->enq, sizeof *v->q_task);
		v->q_fut = view_alloc(v, cnt->enq, sizeof *v->q_fut);
		v->q_deq_sorted = view_alloc(v, cnt->enq, sizeof(uint32_t));
		v->nsnaps = v->n / K_SNAP + 1;
		v->snaps = view_alloc(v, v->nsnaps, sizeof *v->snaps);
		v->t_blocked = view_alloc(v, v->tl[TL_STATE].off[v->nthr],
		                          sizeof *v->t_blocked);
		err = v->out_nl == NULL || v->q_enq == NULL ||
		      v->q_deq == NULL || v->q_pmax == NULL ||
		      v->q_task == NULL || v->q_fut == NULL ||
		      v->q_deq_sorted == NULL || v->snaps == NULL ||
		      v->t_blocked == NULL;
	}
	uint32_t counts[TRACE_VIEW_F_COUNT] = {0};
	counts[TRACE_VIEW_F_NONE] = v->nfut;
	uint32_t boundaries = 0;
	for (uint32_t i = 0; !err && i <= v->n; i++) {
		if (i >= 1 && (i == v->n || view_instant(view_time(v, i - 1)) <
		                                    view_instant(view_time(v, i))))
			boundaries++;
		if (i % K_SNAP == 0) {
			view_snap *s = &v->snaps[i / K_SNAP];
			memcpy(s->counts, counts, sizeof counts);
			s->boundaries = boundaries;
		}
		if (i == v->n)
			break;
		const trace_event *ev = view_ev(v, i);
		if (ev->kind >= TRACE_KIND_COUNT)
			continue;
		struct view_route r = view_routes[ev->kind];
		uint32_t f = ev->future;
		int fv = view_valid_future(v, f);
		if (r.flist && fv)
			csr_push(&v->fl[r.flist - 1], f, i);
		if (r.tlist && (r.tlist != TL_POLL + 1 || v->multi_poll))
			csr_push(&v->tl[r.tlist - 1], ev->thread, i);
		if (fv && (r.flist == FL_CORE + 1 || ev->kind == TRACE_WAKE)) {
			int bad = 0;
			uint8_t old = st[f];
			st[f] = view_step_state(st[f], ev, &bad);
			if (bad)
				v->f_flags[f] |= FF_IRREGULAR;
			counts[view_disp(old)]--;
			counts[view_disp(st[f])]++;
		}
		switch (ev->kind) {
		case TRACE_POLL_BEGIN:
			v->polls_b.ev[v->polls_b.n++] = i;
			if (ev->a <= v->nfut)
				csr_push(&v->fl[FL_POLLEE], ev->a, i);
			if (ev->a == 0 && ev->b < v->ntask && queued[ev->b]) {
				v->q_deq[queued[ev->b] - 1] = i;
				queued[ev->b] = 0;
			}
			break;
		case TRACE_POLL_END:
			v->polls_e.ev[v->polls_e.n++] = i;
			if (ev->flags != TRACE_READY && ev->b != 0)
				csr_push(&v->tl[TL_LINE], ev->thread, i);
			break;
		case TRACE_TASK_SPAWNED:
		case TRACE_WAKE: {
			uint32_t task = ev->kind == TRACE_WAKE ? ev->b : ev->a;
			uint32_t root = ev->kind == TRACE_WAKE &&
			                                (ev->flags & TRACE_WAKE_CHILD)
			                        ? (task < v->ntask ? task_root[task]
			                                           : 0)
			                        : f;
			if (ev->kind == TRACE_WAKE)
				v->wakes.ev[v->wakes.n++] = i;
			if (task >= v->ntask || queued[task])
				break;
			uint32_t q = v->nq++;
			v->q_enq[q] = i;
			v->q_deq[q] = NO_EV;
			v->q_task[q] = task;
			v->q_fut[q] = root;
			queued[task] = q + 1;
			break;
		}
		case TRACE_TIMER_ARMED:
			if (!fv)
				break;
			tms[v->ntm].deadline = trace_u64(ev);
			tms[v->ntm].arm = i;
			tms[v->ntm].end = NO_EV;
			open_tm[f] = ++v->ntm;
			break;
		case TRACE_TIMER_FIRED:
		case TRACE_FUTURE_DROPPED:
			if (fv && open_tm[f]) {
				tms[open_tm[f] - 1].end = i;
				open_tm[f] = 0;
			}
			break;
		case TRACE_OUTPUT:
			v->out_nl[v->outs.n + 1] =
			        v->out_nl[v->outs.n] +
			        (uint32_t)view_newlines(v, i);
			v->outs.ev[v->outs.n++] = i;
			break;
		case TRACE_LINT:
			v->lints.ev[v->lints.n++] = i;
			break;
		case TRACE_THREAD_BLOCKED:
			blocked_since[ev->thread] = ev->time_ns;
			break;
		case TRACE_THREAD_RESUMED:
			blocked_sum[ev->thread] +=
			        ev->time_ns - blocked_since[ev->thread];
			break;
		default:
			break;
		}
		if (r.tlist == TL_STATE + 1) {
			const view_csr *c = &v->tl[TL_STATE];
			v->t_blocked[c->off[ev->thread] - 1] =
			        blocked_sum[ev->thread];
		}
	}
	v->boundaries_total = boundaries;
	if (!err) {
		for (int l = 0; l < FL_COUNT; l++)
			csr_finish_fill(&v->fl[l], v->nfut + 1);
		for (int l = 0; l < TL_COUNT; l++)
			csr_finish_fill(&v->tl[l], v->nthr);
		uint32_t pmax = 0;
		for (uint32_t q = 0; q < v->nq; q++) {
			if (v->q_deq[q] > pmax)
				pmax = v->q_deq[q];
			v->q_pmax[q] = pmax;
			v->q_deq_sorted[q] = v->q_deq[q];
		}
		qsort(v->q_deq_sorted, v->nq, sizeof(uint32_t), view_u32_cmp);
		v->tm_arm = view_alloc(v, v->ntm, sizeof(uint32_t));
		v->tm_end = view_alloc(v, v->ntm, sizeof(uint32_t));
		v->tm_pmax = view_alloc(v, v->ntm, sizeof(uint32_t));
		v->tm_arm_sorted = view_alloc(v, v->ntm, sizeof(uint32_t));
		v->tm_end_sorted = view_alloc(v, v->ntm, sizeof(uint32_t));
		err = v->tm_arm == NULL || v->tm_end == NULL ||
		      v->tm_pmax == NULL || v->tm_arm_sorted == NULL ||
		      v->tm_end_sorted == NULL;
	}
	if (!err) {
		for (uint32_t j = 0; j < v->ntm; j++) {
			v->tm_arm_sorted[j] = tms[j].arm;
			v->tm_end_sorted[j] = tms[j].end;
		}
		qsort(v->tm_end_sorted, v->ntm, sizeof(uint32_t), view_u32_cmp);
		qsort(tms, v->ntm, sizeof *tms, view_tm_cmp);
		uint32_t pmax = 0;
		for (uint32_t j = 0; j < v->ntm; j++) {
			v->tm_arm[j] = tms[j].arm;
			v->tm_end[j] = tms[j].end;
			if (tms[j].end > pmax)
				pmax = tms[j].end;
			v->tm_pmax[j] = pmax;
		}
	}
	free(st);
	free(queued);
	free(open_tm);
	free(blocked_since);
	free(blocked_sum);
	free(tms);
	return err ? -1 : 0;
}

/* The preorder of the tree, subtree sizes, and the wavelet matrix. A
 * parent chain that loops (it cannot with the simulator's events, but the
 * view must not hang on a bad log) is cut by making one of its futures a
 * top-level row. */
static int
view_tree(trace_view *v)
{
	uint32_t nf = v->nfut;
	uint32_t *coff = calloc((size_t)nf + 2, sizeof *coff);
	uint32_t *kids = calloc((size_t)nf + 1, sizeof *kids);
	uint32_t *stack = calloc((size_t)nf + 1, sizeof *stack);
	uint8_t *seen = calloc((size_t)nf + 1, 1);
	v->f_pos = view_alloc(v, (size_t)nf + 1, sizeof *v->f_pos);
	v->f_size = view_alloc(v, (size_t)nf + 1, sizeof *v->f_size);
	v->seq = view_alloc(v, (size_t)nf + 1, sizeof *v->seq);
	int err = coff == NULL || kids == NULL || stack == NULL ||
	          seen == NULL || v->f_pos == NULL || v->f_size == NULL ||
	          v->seq == NULL;
	uint32_t npos = 0;
	for (int pass = 0; !err && pass < 2; pass++) {
		/* Children lists by parent, in id order. */
		memset(coff, 0, ((size_t)nf + 2) * sizeof *coff);
		for (uint32_t f = 1; f <= nf; f++)
			coff[v->f_parent[f] + 1]++;
		for (uint32_t p = 0; p <= nf; p++)
			coff[p + 1] += coff[p];
		for (uint32_t f = 1; f <= nf; f++)
			kids[coff[v->f_parent[f]]++] = f;
		for (uint32_t p = nf + 1; p > 0; p--)
			coff[p] = coff[p - 1];
		coff[0] = 0;
		/* Depth-first from the top-level rows (the children of 0),
		 * with an explicit stack: a deep tree must not overflow the
		 * C stack. */
		npos = 0;
		memset(seen, 0, (size_t)nf + 1);
		uint32_t sp = 0;
		for (uint32_t k = coff[1]; k-- > coff[0];)
			stack[sp++] = kids[k];
		while (sp > 0) {
			uint32_t f = stack[--sp];
			seen[f] = 1;
			v->f_pos[f] = npos;
			v->seq[npos++] = f;
			for (uint32_t k = coff[f + 1]; k-- > coff[f];)
				stack[sp++] = kids[k];
		}
		if (npos == nf)
			break;
		/* Futures left unreached sit on a loop of parents: make
		 * them top-level rows, and go again. */
		for (uint32_t f = 1; f <= nf; f++)
			if (!seen[f])
				v->f_parent[f] = 0;
	}
	if (!err) {
		/* Subtree sizes: children come after their parent in
		 * preorder, so one backward sweep adds them up. */
		for (uint32_t f = 1; f <= nf; f++)
			v->f_size[f] = 1;
		for (uint32_t p = npos; p-- > 0;) {
			uint32_t f = v->seq[p];
			if (v->f_parent[f] != 0)
				v->f_size[v->f_parent[f]] += v->f_size[f];
		}
		err = wm_build(v, &v->wm, v->seq, npos, nf) != 0;
	}
	free(coff);
	free(kids);
	free(stack);
	free(seen);
	return err ? -1 : 0;
}

static int
view_source(trace_view *v)
{
	const lang_program *p = v->prog;
	if (p == NULL || p->source == NULL)
		return 0;
	uint32_t lines = 1;
	for (size_t i = 0; i < p->source_len; i++)
		if (p->source[i] == '\n' && i + 1 < p->source_len)
			lines++;
	v->line_off = view_alloc(v, (size_t)lines + 1, sizeof *v->line_off);
	v->await_line = view_alloc(v, (size_t)lines + 2, 1);
	if (v->line_off == NULL || v->await_line == NULL)
		return -1;
	uint32_t l = 0;
	v->line_off[0] = 0;
	for (size_t i = 0; i < p->source_len; i++)
		if (p->source[i] == '\n' && i + 1 < p->source_len)
			v->line_off[++l] = (uint32_t)(i + 1);
	v->line_off[lines] = (uint32_t)p->source_len;
	v->nlines = lines;
	for (uint32_t fi = 0; fi < p->nfuncs; fi++)
		for (uint32_t a = 0; a < p->funcs[fi].nawaits; a++) {
			uint32_t line = p->funcs[fi].awaits[a].pos.line;
			if (line >= 1 && line <= lines)
				v->await_line[line] = 1;
		}
	return 0;
}

trace_view *
trace_view_new(const trace_log *log, const lang_program *prog)
{
	if (log == NULL || trace_log_mode(log) != TRACE_FULL ||
	    trace_log_stored(log) >= UINT32_MAX - 1)
		return NULL;
	trace_view *v = calloc(1, sizeof *v);
	if (v == NULL)
		return NULL;
	v->bytes = sizeof *v;
	v->log = log;
	v->prog = prog;
	v->n = (uint32_t)trace_log_stored(log);
	view_sizes(v);
	if (v->nthr == 0)
		v->nthr = 1;
	size_t nf = (size_t)v->nfut + 1;
	v->f_parent = view_alloc(v, nf, sizeof(uint32_t));
	v->f_task = view_alloc(v, nf, sizeof(uint32_t));
	v->f_created = view_alloc(v, nf, sizeof(uint32_t));
	v->f_type = view_alloc(v, nf, 1);
	v->f_flags = view_alloc(v, nf, 1);
	v->t_name = view_alloc(v, v->nthr, sizeof(uint32_t));
	v->t_spawn = view_alloc(v, v->nthr, sizeof(uint32_t));
	uint32_t *task_root = calloc((size_t)v->ntask + 1, sizeof *task_root);
	int err = v->f_parent == NULL || v->f_task == NULL ||
	          v->f_created == NULL ||
	          v->f_type == NULL || v->f_flags == NULL ||
	          v->t_name == NULL || v->t_spawn == NULL || task_root == NULL;
	for (int l = 0; !err && l < FL_COUNT; l++)
		err = csr_alloc(v, &v->fl[l], v->nfut + 1);
	for (int l = 0; !err && l < TL_COUNT; l++)
		err = csr_alloc(v, &v->tl[l], v->nthr);
	view_totals cnt = {0};
	if (!err) {
		for (uint32_t t = 0; t < v->nthr; t++)
			v->t_spawn[t] = NO_EV;
		err = view_pass1(v, &cnt, task_root);
	}
	if (!err) {
		/* Ids with no FUTURE_CREATED (a log the simulator did not
		 * write) get the creation index of the id before, so that
		 * creation stays monotonic in id. */
		uint32_t prev = 0;
		for (uint32_t f = 1; f <= v->nfut; f++) {
			if (!(v->f_flags[f] & FF_SEEN)) {
				v->f_created[f] = prev;
				v->f_type[f] = TRACE_FT_OTHER;
				v->f_flags[f] |= FF_SEEN | FF_IRREGULAR;
			}
			prev = v->f_created[f];
		}
	}
	for (int l = 0; !err && l < FL_COUNT; l++)
		err = csr_finish_counts(v, &v->fl[l], v->nfut + 1);
	for (int l = 0; !err && l < TL_COUNT; l++)
		err = csr_finish_counts(v, &v->tl[l], v->nthr);
	err = err || view_pass2(v, &cnt, task_root) || view_tree(v) ||
	      view_source(v);
	free(task_root);
	if (err) {
		trace_view_free(v);
		return NULL;
	}
	trace_view_seek(v, 0);
	return v;
}

void
trace_view_free(trace_view *v)
{
	if (v == NULL)
		return;
	free(v->f_parent);
	free(v->f_task);
	free(v->f_created);
	free(v->f_pos);
	free(v->f_size);
	free(v->f_type);
	free(v->f_flags);
	for (int l = 0; l < FL_COUNT; l++) {
		free(v->fl[l].off);
		free(v->fl[l].ev);
	}
	free(v->seq);
	wm_free(&v->wm);
	free(v->t_name);
	free(v->t_spawn);
	for (int l = 0; l < TL_COUNT; l++) {
		free(v->tl[l].off);
		free(v->tl[l].ev);
	}
	free(v->t_blocked);
	free(v->polls_b.ev);
	free(v->polls_e.ev);
	free(v->outs.ev);
	free(v->lints.ev);
	free(v->wakes.ev);
	free(v->out_nl);
	free(v->q_enq);
	free(v->q_deq);
	free(v->q_pmax);
	free(v->q_task);
	free(v->q_fut);
	free(v->q_deq_sorted);
	free(v->tm_arm);
	free(v->tm_end);
	free(v->tm_pmax);
	free(v->tm_arm_sorted);
	free(v->tm_end_sorted);
	free(v->snaps);
	free(v->line_off);
	free(v->await_line);
	free(v->folded);
	free(v->hid);
	free(v);
}

size_t
trace_view_bytes(const trace_view *v)
{
	return v->bytes + v->capfolded * (sizeof *v->folded + sizeof *v->hid);
}

const trace_log *
trace_view_log(const trace_view *v)
{
	return v->log;
}

/* --- the cursor ---------------------------------------------------------- */

static const char *const view_step_names[TRACE_VIEW_STEP_COUNT] = {
        [TRACE_VIEW_STEP_EVENT] = "event",
        [TRACE_VIEW_STEP_POLL] = "poll",
        [TRACE_VIEW_STEP_INSTANT] = "instant",
};

const char *
trace_view_step_name(trace_view_step step)
{
	return (unsigned)step < TRACE_VIEW_STEP_COUNT ? view_step_names[step]
	                                               : NULL;
}

int
trace_view_step_parse(const char *name)
{
	for (int i = 0; i < TRACE_VIEW_STEP_COUNT; i++)
		if (strcmp(name, view_step_names[i]) == 0)
			return i;
	return -1;
}

size_t
trace_view_events(const trace_view *v)
{
	return v->n;
}

size_t
trace_view_cursor(const trace_view *v)
{
	return v->cursor;
}

static uint64_t
view_clock(const trace_view *v, uint32_t c)
{
	return c ? view_time(v, c - 1) : 0;
}

uint64_t
trace_view_now(const trace_view *v)
{
	return view_clock(v, v->cursor);
}

uint64_t
trace_view_end_time(const trace_view *v)
{
	return view_clock(v, v->n);
}

/* Futures created before cursor c: ids are in creation order. */
static uint32_t
view_created_before(const trace_view *v, uint32_t c)
{
	uint32_t lo = 0, hi = v->nfut;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v->f_created[mid + 1] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
view_hid_cmp(const void *pa, const void *pb)
{
	const view_range *a = pa, *b = pb;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The preorder ranges that folded rows hide at the cursor: the subtree of
 * each folded row that exists, outermost only. */
static void
view_update_hidden(trace_view *v)
{
	v->nhid = 0;
	for (size_t i = 0; i < v->nfolded; i++) {
		uint32_t f = v->folded[i];
		if (f > v->created_now || v->f_size[f] <= 1)
			continue;
		v->hid[v->nhid].lo = v->f_pos[f] + 1;
		v->hid[v->nhid].hi = v->f_pos[f] + v->f_size[f];
		v->nhid++;
	}
	if (v->nhid > 1)
		qsort(v->hid, v->nhid, sizeof *v->hid, view_hid_cmp);
	size_t k = 0;
	for (size_t i = 0; i < v->nhid; i++) {
		if (k > 0 && v->hid[i].lo < v->hid[k - 1].hi)
			continue; /* nested in the one before */
		v->hid[k++] = v->hid[i];
	}
	v->nhid = k;
}

void
trace_view_seek(trace_view *v, size_t c)
{
	uint32_t cur = c > v->n ? v->n : (uint32_t)c;
	v->cursor = cur;
	v->created_now = view_created_before(v, cur);
	const view_snap *s = &v->snaps[cur / K_SNAP];
	memcpy(v->counts, s->counts, sizeof v->counts);
	v->boundaries = s->boundaries;
	for (uint32_t i = cur / K_SNAP * K_SNAP; i < cur; i++) {
		uint32_t b = i + 1;
		if (b == v->n || view_instant(view_time(v, b - 1)) <
		                         view_instant(view_time(v, b)))
			v->boundaries++;
		const trace_event *ev = view_ev(v, i);
		if (ev->kind >= TRACE_KIND_COUNT ||
		    !view_valid_future(v, ev->future))
			continue;
		if (view_routes[ev->kind].flist != FL_CORE + 1 &&
		    ev->kind != TRACE_WAKE)
			continue;
		v->counts[view_state_at(v, ev->future, i).state]--;
		v->counts[view_state_at(v, ev->future, i + 1).state]++;
	}
	view_update_hidden(v);
}

size_t
trace_view_seek_time(trace_view *v, uint64_t ns)
{
	size_t c = ns == 0 ? 0 : (size_t)view_first_at(v, 0, ns) + 1;
	trace_view_seek(v, c);
	return v->cursor;
}

static int
view_is_poll(const trace_view *v, uint32_t i)
{
	uint8_t k = view_ev(v, i)->kind;
	return k == TRACE_POLL_BEGIN || k == TRACE_POLL_END;
}

/* The next stop after c for a step size (N if none). */
static uint32_t
view_next_stop(const trace_view *v, trace_view_step step, uint32_t c)
{
	if (c >= v->n)
		return v->n;
	switch (step) {
	case TRACE_VIEW_STEP_POLL: {
		/* The first poll event at index >= c: the stop after it. */
		uint32_t kb = view_lower(v->polls_b.ev, v->polls_b.n, c);
		uint32_t ke = view_lower(v->polls_e.ev, v->polls_e.n, c);
		uint32_t e = NO_EV;
		if (kb < v->polls_b.n)
			e = v->polls_b.ev[kb];
		if (ke < v->polls_e.n && v->polls_e.ev[ke] < e)
			e = v->polls_e.ev[ke];
		return e == NO_EV ? v->n : e + 1;
	}
	case TRACE_VIEW_STEP_INSTANT: {
		uint64_t t = view_time(v, c);
		if (t == UINT64_MAX)
			return v->n;
		return view_first_at(v, c,
		                     (view_instant(t) + 1) * TRACE_VIEW_INSTANT_NS);
	}
	default:
		return c + 1;
	}
}

static uint32_t
view_prev_stop(const trace_view *v, trace_view_step step, uint32_t c)
{
	if (c == 0)
		return 0;
	switch (step) {
	case TRACE_VIEW_STEP_POLL: {
		/* The last poll event at index <= c - 2. */
		uint32_t kb = view_lower(v->polls_b.ev, v->polls_b.n, c - 1);
		uint32_t ke = view_lower(v->polls_e.ev, v->polls_e.n, c - 1);
		uint32_t best = 0;
		if (kb > 0)
			best = v->polls_b.ev[kb - 1] + 1;
		if (ke > 0 && v->polls_e.ev[ke - 1] + 1 > best)
			best = v->polls_e.ev[ke - 1] + 1;
		return best;
	}
	case TRACE_VIEW_STEP_INSTANT:
		return view_first_at(v, 0,
		                     view_instant(view_time(v, c - 1)) *
		                             TRACE_VIEW_INSTANT_NS);
	default:
		return c - 1;
	}
}

int
trace_view_next(trace_view *v, trace_view_step step)
{
	if (v->cursor >= v->n)
		return 0;
	trace_view_seek(v, view_next_stop(v, step, v->cursor));
	return 1;
}

int
trace_view_prev(trace_view *v, trace_view_step step)
{
	if (v->cursor == 0)
		return 0;
	trace_view_seek(v, view_prev_stop(v, step, v->cursor));
	return 1;
}

void
trace_view_first(trace_view *v)
{
	trace_view_seek(v, 0);
}

void
trace_view_last(trace_view *v)
{
	trace_view_seek(v, v->n);
}

void
trace_view_tick(const trace_view *v, trace_view_step step, uint64_t *i,
                uint64_t *m)
{
	uint32_t c = v->cursor;
	switch (step) {
	case TRACE_VIEW_STEP_POLL: {
		/* N is a stop even when the last event is not a poll. */
		int tail = v->n > 0 && !view_is_poll(v, v->n - 1);
		*i = view_lower(v->polls_b.ev, v->polls_b.n, c) +
		     view_lower(v->polls_e.ev, v->polls_e.n, c) +
		     (uint64_t)(tail && c == v->n);
		*m = (uint64_t)v->polls_b.n + v->polls_e.n + (uint64_t)tail;
		break;
	}
	case TRACE_VIEW_STEP_INSTANT:
		*i = v->boundaries;
		*m = v->boundaries_total;
		break;
	default:
		*i = c;
		*m = v->n;
		break;
	}
}

/* --- futures and tasks --------------------------------------------------- */

static const char *const view_fstate_names[TRACE_VIEW_F_COUNT] = {
        [TRACE_VIEW_F_NONE] = "not yet",    [TRACE_VIEW_F_CREATED] = "created",
        [TRACE_VIEW_F_POLLING] = "polling", [TRACE_VIEW_F_PENDING] = "pending",
        [TRACE_VIEW_F_WOKEN] = "woken",     [TRACE_VIEW_F_READY] = "ready",
        [TRACE_VIEW_F_DROPPED] = "dropped",
};

const char *
trace_view_fstate_name(trace_view_fstate state)
{
	return (unsigned)state < TRACE_VIEW_F_COUNT ? view_fstate_names[state]
	                                             : "?";
}

uint32_t
trace_view_futures(const trace_view *v)
{
	return v->nfut;
}

uint32_t
trace_view_futures_created(const trace_view *v)
{
	return v->created_now;
}

/* Rows that exist among preorder positions [lo, hi). */
static uint32_t
view_count(const trace_view *v, uint32_t lo, uint32_t hi)
{
	uint64_t x = (uint64_t)v->created_now + 1;
	return wm_count_less(&v->wm, hi, x) - wm_count_less(&v->wm, lo, x);
}

/* The position of the k-th (0-based) existing row in [lo, hi), which must
 * have more than k. */
static uint32_t
view_select(const trace_view *v, uint32_t k, uint32_t lo, uint32_t hi)
{
	uint64_t x = (uint64_t)v->created_now + 1;
	uint32_t base = wm_count_less(&v->wm, lo, x);
	/* The smallest p with more than k existing rows in [lo, p + 1). */
	uint32_t a = lo, b = hi - 1;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (wm_count_less(&v->wm, mid + 1, x) - base > k)
			b = mid;
		else
			a = mid + 1;
	}
	return a;
}

/* The first displayed position at or after p (nfut if none); *h is the
 * first hidden range that ends after p, kept by the caller. */
static uint32_t
view_next_shown(const trace_view *v, uint32_t p, size_t *h)
{
	uint32_t np = v->nfut;
	while (p < np) {
		while (*h < v->nhid && v->hid[*h].hi <= p)
			(*h)++;
		if (*h < v->nhid && v->hid[*h].lo <= p) {
			p = v->hid[*h].hi;
			continue;
		}
		uint32_t end = *h < v->nhid ? v->hid[*h].lo : np;
		if (v->seq[p] <= v->created_now)
			return p;
		if (view_count(v, p, end) > 0)
			return view_select(v, 0, p, end);
		p = end;
	}
	return np;
}

/* Rows hidden by folds before preorder position p. */
static uint32_t
view_hidden_before(const trace_view *v, uint32_t p)
{
	uint32_t n = 0;
	for (size_t i = 0; i < v->nhid && v->hid[i].lo < p; i++)
		n += view_count(v, v->hid[i].lo,
		                v->hid[i].hi < p ? v->hid[i].hi : p);
	return n;
}

size_t
trace_view_rows(const trace_view *v)
{
	return view_count(v, 0, v->nfut) - view_hidden_before(v, v->nfut);
}

size_t
trace_view_row_of(const trace_view *v, uint32_t future)
{
	if (!view_valid_future(v, future) || future > v->created_now)
		return SIZE_MAX;
	uint32_t p = v->f_pos[future];
	for (size_t i = 0; i < v->nhid; i++)
		if (v->hid[i].lo <= p && p < v->hid[i].hi)
			return SIZE_MAX;
	return view_count(v, 0, p) - view_hidden_before(v, p);
}

static int
view_is_folded(const trace_view *v, uint32_t f, size_t *at)
{
	size_t lo = 0, hi = v->nfolded;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->folded[mid] < f)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at != NULL)
		*at = lo;
	return lo < v->nfolded && v->folded[lo] == f;
}

int
trace_view_fold(trace_view *v, uint32_t future, int folded)
{
	if (!view_valid_future(v, future))
		return -1;
	size_t at;
	int is = view_is_folded(v, future, &at);
	if (folded && !is) {
		if (v->nfolded == v->capfolded) {
			size_t cap = v->capfolded ? v->capfolded * 2 : 16;
			uint32_t *f = realloc(v->folded, cap * sizeof *f);
			if (f == NULL)
				return -1;
			v->folded = f;
			view_range *h = realloc(v->hid, cap * sizeof *h);
			if (h == NULL)
				return -1;
			v->hid = h;
			v->capfolded = cap;
		}
		memmove(v->folded + at + 1, v->folded + at,
		        (v->nfolded - at) * sizeof *v->folded);
		v->folded[at] = future;
		v->nfolded++;
	} else if (!folded && is) {
		memmove(v->folded + at, v->folded + at + 1,
		        (v->nfolded - at - 1) * sizeof *v->folded);
		v->nfolded--;
	}
	view_update_hidden(v);
	return 0;
}

int
trace_view_is_folded(const trace_view *v, uint32_t future)
{
	return view_is_folded(v, future, NULL);
}

void
trace_view_unfold_all(trace_view *v)
{
	v->nfolded = 0;
	v->nhid = 0;
}

void
trace_view_counts(const trace_view *v, uint64_t counts[TRACE_VIEW_F_COUNT])
{
	for (int s = 0; s < TRACE_VIEW_F_COUNT; s++)
		counts[s] = v->counts[s];
}

/* The deadline of a sleep's timer armed before c, 0 if none. */
static uint64_t
view_deadline(const trace_view *v, uint32_t sleep, uint32_t c, int *fired)
{
	uint32_t n;
	const uint32_t *a = view_row_list(&v->fl[FL_MISC], sleep, &n);
	uint32_t k = view_lower(a, n, c);
	*fired = 0;
	while (k > 0) {
		const trace_event *ev = view_ev(v, a[--k]);
		if (ev->kind == TRACE_TIMER_FIRED)
			*fired = 1;
		else if (ev->kind == TRACE_TIMER_ARMED)
			return trace_u64(ev);
	}
	return 0;
}

/* The child f polled last in its poll that began at `begin`, if that poll
 * ended or is still running before c; 0 if none. */
static uint32_t
view_awaited(const trace_view *v, uint32_t f, uint32_t begin, uint32_t c)
{
	uint32_t e = view_last_in(v, FL_POLLEE, f, c);
	if (e == NO_EV || begin == NO_EV || e < begin)
		return 0;
	return view_ev(v, e)->future;
}

/* What a blocked thread waits for, in words. */
static void
tx_block(view_text *t, const trace_view *v, const trace_event *blk)
{
	uint64_t until = trace_u64(blk);
	switch (blk->flags & TRACE_BLOCK_MASK) {
	case TRACE_BLOCK_SLEEP:
		tx_lit(t, "thread::sleep until ");
		tx_time(t, until);
		break;
	case TRACE_BLOCK_JOIN:
		tx_lit(t, "join ");
		tx_thread(t, v, blk->a);
		break;
	default:
		tx_lit(t, "parked");
		if (until != 0 && until != UINT64_MAX) {
			tx_lit(t, " until ");
			tx_time(t, until);
		}
		break;
	}
}

/* The thread's last state event before c, NO_EV if not spawned. */
static uint32_t
view_thread_last(const trace_view *v, uint32_t th, uint32_t c,
                 uint32_t *k_out)
{
	uint32_t n;
	const uint32_t *a = view_row_list(&v->tl[TL_STATE], th, &n);
	uint32_t k = view_lower(a, n, c);
	if (k_out != NULL)
		*k_out = k;
	return k ? a[k - 1] : NO_EV;
}

/* Children of a join_all or join!: their states, when there are few
 * enough to look at each. */
enum { VIEW_COUNT_CHILDREN_MAX = 64 };

static void
tx_children(view_text *t, const trace_view *v, uint32_t f, uint32_t c)
{
	uint32_t p = v->f_pos[f], end = p + v->f_size[f];
	uint32_t total = 0, done = 0;
	int exact = 1;
	for (uint32_t q = p + 1; q < end; q += v->f_size[v->seq[q]]) {
		if (++total > VIEW_COUNT_CHILDREN_MAX) {
			exact = 0;
			break;
		}
		trace_view_fstate s = view_state_at(v, v->seq[q], c).state;
		done += s == TRACE_VIEW_F_READY || s == TRACE_VIEW_F_DROPPED;
	}
	if (exact && total > 0)
		tx_fmt(t, "children (%lu of %lu done)", (unsigned long)done,
		       (unsigned long)total);
	else if (exact)
		tx_lit(t, "its children");
	else
		tx_lit(t, "its children (many)");
}

/* What a future waits for at cursor c, in words; nothing if it is not
 * waiting. */
static void
tx_waiting(view_text *t, const trace_view *v, uint32_t f, const view_fst *s,
           uint32_t c)
{
	switch (s->state) {
	case TRACE_VIEW_F_CREATED:
		tx_lit(t, "its first poll");
		return;
	case TRACE_VIEW_F_WOKEN: {
		uint32_t w = view_last_kind(v, f, TRACE_WAKE, NO_EV, c);
		if (w == NO_EV)
			return;
		const trace_event *ev = view_ev(v, w);
		tx_lit(t, "a poll: woken by ");
		if (ev->a == 0)
			tx_lit(t, "the timer");
		else
			tx_future(t, v, ev->a);
		return;
	}
	case TRACE_VIEW_F_POLLING: {
		/* Blocking inside its poll is what it waits for now. */
		const trace_event *b = view_ev(v, s->last);
		uint32_t e = view_thread_last(v, b->thread, c, NULL);
		if (e == NO_EV)
			return;
		const trace_event *te = view_ev(v, e);
		if (te->kind == TRACE_THREAD_BLOCKED &&
		    (te->flags & TRACE_IN_POLL))
			tx_block(t, v, te);
		return;
	}
	case TRACE_VIEW_F_PENDING:
		break;
	default:
		return;
	}
	uint32_t target = f;
	switch (v->f_type[f]) {
	case TRACE_FT_SLEEP:
	case TRACE_FT_JOIN_HANDLE:
	case TRACE_FT_JOIN_ALL:
	case TRACE_FT_JOIN:
		break;
	default:
		target = view_awaited(v, f, s->begin, c);
		if (target == 0)
			return;
		break;
	}
	int fired;
	switch (v->f_type[target]) {
	case TRACE_FT_SLEEP: {
		uint64_t d = view_deadline(v, target, c, &fired);
		tx_lit(t, fired ? "timer fired at " : "timer at ");
		tx_time(t, d);
		break;
	}
	case TRACE_FT_JOIN_HANDLE:
		tx_fmt(t, "JoinHandle of task %lu",
		       (unsigned long)view_handle_task(v, target));
		break;
	case TRACE_FT_JOIN_ALL:
	case TRACE_FT_JOIN:
		if (target == f) {
			tx_children(t, v, f, c);
			break;
		}
		/* fall through */
	default:
		tx_lit(t, "child ");
		tx_future(t, v, target);
		break;
	}
}

static void
view_fill_row(const trace_view *v, uint32_t f, trace_view_row *row)
{
	memset(row, 0, sizeof *row);
	row->future = f;
	row->type = (trace_future_type)v->f_type[f];
	row->task = v->f_task[f];
	row->created = v->f_created[f];
	row->folded = view_is_folded(v, f, NULL);
	view_text t;
	tx_init(&t, row->name, sizeof row->name);
	tx_future(&t, v, f);
	view_fst s = view_state_at(v, f, v->cursor);
	row->state = s.state;
	row->polls = s.polls;
	if (s.state == TRACE_VIEW_F_NONE)
		return;
	for (uint32_t a = v->f_parent[f]; a != 0; a = v->f_parent[a])
		if (a <= v->created_now) {
			if (row->parent == 0)
				row->parent = a;
			row->depth++;
		}
	uint32_t p = v->f_pos[f];
	row->has_children = view_count(v, p + 1, p + v->f_size[f]) > 0;
	tx_init(&t, row->waiting, sizeof row->waiting);
	tx_waiting(&t, v, f, &s, v->cursor);
}

size_t
trace_view_window(const trace_view *v, size_t first, size_t count,
                  trace_view_row *rows)
{
	size_t total = trace_view_rows(v);
	if (first >= total || count == 0)
		return 0;
	/* Find the segment between hidden ranges that holds row `first`. */
	uint32_t r = (uint32_t)first, seg = 0, p = v->nfut;
	size_t h = 0;
	for (;; h++) {
		uint32_t end = h < v->nhid ? v->hid[h].lo : v->nfut;
		uint32_t in = view_count(v, seg, end);
		if (r < in) {
			p = view_select(v, r, seg, end);
			break;
		}
		r -= in;
		if (h >= v->nhid)
			break;
		seg = v->hid[h].hi;
	}
	size_t k = 0;
	while (k < count && p < v->nfut) {
		view_fill_row(v, v->seq[p], &rows[k++]);
		p = view_next_shown(v, p + 1, &h);
	}
	return k;
}

int
trace_view_future(const trace_view *v, uint32_t future, trace_view_row *row)
{
	if (!view_valid_future(v, future)) {
		memset(row, 0, sizeof *row);
		row->future = future;
		return -1;
	}
	view_fill_row(v, future, row);
	return 0;
}

/* --- timeline strips ----------------------------------------------------- */

/* The start of cell j of w over [t0, t1), without overflow. */
static uint64_t
view_cell_start(uint64_t t0, uint64_t t1, size_t j, size_t w)
{
	uint64_t d = t1 - t0;
	return t0 + d / w * j + d % w * j / w;
}

static trace_view_cell
view_cell_after(const trace_event *ev)
{
	switch (ev->kind) {
	case TRACE_FUTURE_CREATED:
		return TRACE_VIEW_CELL_CREATED;
	case TRACE_POLL_BEGIN:
		return TRACE_VIEW_CELL_POLLING;
	case TRACE_POLL_END:
		return ev->flags == TRACE_READY ? TRACE_VIEW_CELL_READY
		                                : TRACE_VIEW_CELL_PENDING;
	default:
		return TRACE_VIEW_CELL_DROPPED;
	}
}

/* Which state wins a cell in which several held (higher wins). */
static const uint8_t view_cell_rank[] = {
        [TRACE_VIEW_CELL_NONE] = 0,    [TRACE_VIEW_CELL_DROPPED] = 1,
        [TRACE_VIEW_CELL_CREATED] = 2, [TRACE_VIEW_CELL_PENDING] = 3,
        [TRACE_VIEW_CELL_READY] = 4,   [TRACE_VIEW_CELL_POLLING] = 5,
};

int
trace_view_strip(const trace_view *v, uint32_t future, uint64_t t0,
                 uint64_t t1, trace_view_cell *cells, size_t w)
{
	if (w == 0)
		return 0;
	if (!view_valid_future(v, future) || t1 <= t0) {
		memset(cells, 0, w * sizeof *cells);
		return -1;
	}
	uint32_t n;
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], future, &n);
	n = view_lower(core, n, v->cursor);
	uint64_t now = view_clock(v, v->cursor);
	uint32_t lo = view_lower_time(v, core, n, t0);
	for (size_t j = 0; j < w; j++) {
		uint64_t a = view_cell_start(t0, t1, j, w);
		uint64_t b = view_cell_start(t0, t1, j + 1, w);
		if (a > now || v->cursor == 0) {
			cells[j] = TRACE_VIEW_CELL_NONE;
			continue;
		}
		uint32_t hi = lo + view_lower_time(v, core + lo, n - lo, b);
		trace_view_cell best =
		        lo > 0 ? view_cell_after(view_ev(v, core[lo - 1]))
		               : TRACE_VIEW_CELL_NONE;
		/* Besides polls a cell can hold only the creation and the
		 * drop, so three events or more mean a poll. */
		if (hi - lo >= 3)
			best = TRACE_VIEW_CELL_POLLING;
		for (uint32_t k = lo; k < hi && hi - lo < 3; k++) {
			const trace_event *ev = view_ev(v, core[k]);
			trace_view_cell c = ev->kind == TRACE_POLL_END
			                            ? TRACE_VIEW_CELL_POLLING
			                            : view_cell_after(ev);
			if (view_cell_rank[c] > view_cell_rank[best])
				best = c;
		}
		cells[j] = best;
		lo = hi;
	}
	return 0;
}

uint32_t
trace_view_density(const trace_view *v, uint64_t t0, uint64_t t1,
                   uint32_t *polls, size_t w)
{
	if (w == 0)
		return 0;
	memset(polls, 0, w * sizeof *polls);
	if (t1 <= t0)
		return 0;
	uint32_t n = view_lower(v->polls_b.ev, v->polls_b.n, v->cursor);
	uint32_t max = 0;
	uint32_t lo = view_lower_time(v, v->polls_b.ev, n, t0);
	for (size_t j = 0; j < w; j++) {
		uint64_t b = view_cell_start(t0, t1, j + 1, w);
		uint32_t hi = lo + view_lower_time(v, v->polls_b.ev + lo,
		                                   n - lo, b);
		polls[j] = hi - lo;
		if (polls[j] > max)
			max = polls[j];
		lo = hi;
	}
	return max;
}

/* --- threads ------------------------------------------------------------- */

uint32_t
trace_view_threads(const trace_view *v)
{
	return v->nthr;
}

/* The innermost future being polled on a thread at c, 0 if none. */
static uint32_t
view_thread_polling(const trace_view *v, uint32_t th, uint32_t c)
{
	uint32_t last = NO_EV;
	if (v->multi_poll) {
		uint32_t n;
		const uint32_t *a = view_row_list(&v->tl[TL_POLL], th, &n);
		uint32_t k = view_lower(a, n, c);
		if (k > 0)
			last = a[k - 1];
	} else if (th == v->poll_thread) {
		uint32_t kb = view_lower(v->polls_b.ev, v->polls_b.n, c);
		uint32_t ke = view_lower(v->polls_e.ev, v->polls_e.n, c);
		if (kb > 0)
			last = v->polls_b.ev[kb - 1];
		if (ke > 0 && (last == NO_EV || v->polls_e.ev[ke - 1] > last))
			last = v->polls_e.ev[ke - 1];
	}
	if (last == NO_EV)
		return 0;
	const trace_event *ev = view_ev(v, last);
	if (ev->kind == TRACE_POLL_BEGIN)
		return ev->future;
	return view_valid_future(v, ev->future)
	               ? view_poller_of_end(v, ev->future, last)
	               : 0;
}

int
trace_view_thread(const trace_view *v, uint32_t thread,
                  trace_view_thread_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = thread;
	if (thread >= v->nthr)
		return -1;
	view_text t;
	tx_init(&t, out->name, sizeof out->name);
	tx_thread(&t, v, thread);
	tx_init(&t, out->doing, sizeof out->doing);
	uint32_t c = v->cursor, k;
	uint32_t e = view_thread_last(v, thread, c, &k);
	if (e == NO_EV) {
		out->state = TRACE_VIEW_T_NOT_SPAWNED;
		tx_lit(&t, "not yet spawned");
		return 0;
	}
	uint32_t sp = v->t_spawn[thread];
	out->spawned_ns = sp != NO_EV ? view_time(v, sp) : 0;
	const trace_event *ev = view_ev(v, e);
	uint64_t blocked = v->t_blocked[v->tl[TL_STATE].off[thread] + k - 1];
	uint64_t upto = ev->time_ns;
	switch (ev->kind) {
	case TRACE_THREAD_BLOCKED:
		out->state = TRACE_VIEW_T_BLOCKED;
		out->block = ev->flags & TRACE_BLOCK_MASK;
		out->in_poll = (ev->flags & TRACE_IN_POLL) != 0;
		if (out->block == TRACE_BLOCK_JOIN)
			out->joining = ev->a;
		else if (trace_u64(ev) != UINT64_MAX)
			out->until_ns = trace_u64(ev);
		tx_block(&t, v, ev);
		break;
	case TRACE_THREAD_EXITED:
		out->state = TRACE_VIEW_T_EXITED;
		out->panicked = ev->flags & 1;
		tx_lit(&t, out->panicked ? "panicked" : "exited");
		break;
	default:
		out->state = TRACE_VIEW_T_RUNNING;
		upto = view_clock(v, c);
		break;
	}
	out->cpu_ns = upto - out->spawned_ns >= blocked
	                      ? upto - out->spawned_ns - blocked
	                      : 0;
	if (out->state == TRACE_VIEW_T_EXITED)
		return 0;
	out->polling = view_thread_polling(v, thread, c);
	if (out->state == TRACE_VIEW_T_RUNNING) {
		if (out->polling) {
			tx_lit(&t, "polling ");
			tx_future(&t, v, out->polling);
		} else
			tx_lit(&t, "running");
	} else if (out->in_poll && out->polling) {
		tx_lit(&t, " in a poll of ");
		tx_future(&t, v, out->polling);
	}
	return 0;
}

int
trace_view_source_pos(const trace_view *v, uint32_t thread,
                      trace_view_pos *out)
{
	memset(out, 0, sizeof *out);
	if (thread >= v->nthr)
		return -1;
	uint32_t n;
	const uint32_t *a = view_row_list(&v->tl[TL_LINE], thread, &n);
	uint32_t k = view_lower(a, n, v->cursor);
	if (k == 0)
		return -1;
	const trace_event *ev = view_ev(v, a[k - 1]);
	out->event = a[k - 1];
	out->future = ev->future;
	if (ev->kind == TRACE_LINE) {
		out->line = ev->a;
		out->col = ev->b;
		return 0;
	}
	out->line = ev->b;
	out->await = ev->a;
	return 0;
}

/* --- source -------------------------------------------------------------- */

uint32_t
trace_view_source_lines(const trace_view *v)
{
	return v->nlines;
}

const char *
trace_view_source_line(const trace_view *v, uint32_t n, size_t *len)
{
	if (n < 1 || n > v->nlines)
		return NULL;
	const char *s = v->prog->source + v->line_off[n - 1];
	size_t l = v->line_off[n] - v->line_off[n - 1];
	while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == '\r'))
		l--;
	if (len != NULL)
		*len = l;
	return s;
}

int
trace_view_is_await_line(const trace_view *v, uint32_t n)
{
	return n >= 1 && n <= v->nlines && v->await_line[n];
}

/* --- executor ------------------------------------------------------------ */

static size_t
view_run_queue(const trace_view *v, uint32_t c, trace_view_queued *out,
               size_t n)
{
	uint32_t enq = view_lower(v->q_enq, v->nq, c);
	uint32_t deq = view_lower(v->q_deq_sorted, v->nq, c);
	size_t len = enq - deq, k = 0;
	/* Entries dequeued before c form a prefix but for rare exceptions,
	 * which the check below skips. */
	uint32_t lo = 0, hi = enq;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v->q_pmax[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t q = lo; q < enq && k < n && k < len; q++) {
		if (v->q_deq[q] < c)
			continue;
		out[k].task = v->q_task[q];
		out[k].future = v->q_fut[q];
		out[k].event = v->q_enq[q];
		k++;
	}
	return len;
}

size_t
trace_view_run_queue(const trace_view *v, trace_view_queued *out, size_t n)
{
	return view_run_queue(v, v->cursor, out, n);
}

size_t
trace_view_timers(const trace_view *v, trace_view_timer *out, size_t n)
{
	uint32_t c = v->cursor;
	size_t len = view_lower(v->tm_arm_sorted, v->ntm, c) -
	             view_lower(v->tm_end_sorted, v->ntm, c);
	size_t want = n < len ? n : len, k = 0;
	uint32_t lo = 0, hi = v->ntm;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v->tm_pmax[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* From the first timer still armed (a prefix of the firing order has
	 * ended); timers armed later with earlier deadlines are skipped here,
	 * and they are few in real programs. */
	for (uint32_t j = lo; j < v->ntm && k < want; j++) {
		if (v->tm_arm[j] >= c || v->tm_end[j] < c)
			continue;
		const trace_event *ev = view_ev(v, v->tm_arm[j]);
		out[k].future = ev->future;
		out[k].deadline_ns = trace_u64(ev);
		out[k].event = v->tm_arm[j];
		k++;
	}
	return len;
}

int
trace_view_last_wake(const trace_view *v, trace_view_wake *out)
{
	memset(out, 0, sizeof *out);
	uint32_t k = view_lower(v->wakes.ev, v->wakes.n, v->cursor);
	if (k == 0)
		return -1;
	const trace_event *ev = view_ev(v, v->wakes.ev[k - 1]);
	out->event = v->wakes.ev[k - 1];
	out->target = ev->future;
	out->by = ev->a;
	out->task = ev->b;
	out->child = (ev->flags & TRACE_WAKE_CHILD) != 0;
	return 0;
}

/* --- program output ------------------------------------------------------ */

static const char *
view_out_text(const trace_view *v, uint32_t j, size_t *n)
{
	return trace_log_string(v->log, view_ev(v, v->outs.ev[j])->a, n);
}

/* Output events before the cursor. */
static uint32_t
view_outs_now(const trace_view *v)
{
	return view_lower(v->outs.ev, v->outs.n, v->cursor);
}

int
trace_view_output_partial(const trace_view *v)
{
	for (uint32_t j = view_outs_now(v); j > 0; j--) {
		size_t n;
		const char *s = view_out_text(v, j - 1, &n);
		if (n > 0)
			return s[n - 1] != '\n';
	}
	return 0;
}

size_t
trace_view_output_lines(const trace_view *v)
{
	uint32_t k = view_outs_now(v);
	return v->out_nl[k] + (size_t)trace_view_output_partial(v);
}

size_t
trace_view_output_line(const trace_view *v, size_t i, char *buf,
                       size_t size, int *stream)
{
	view_text t;
	tx_init(&t, buf, size);
	if (stream != NULL)
		*stream = 1;
	uint32_t k = view_outs_now(v);
	if (i >= trace_view_output_lines(v))
		return 0;
	/* The output event holding the i-th newline (line i starts after
	 * it), or the first one for line 0. */
	uint32_t j = 0;
	size_t skip = i; /* newlines to pass in event j */
	if (i > 0) {
		uint32_t lo = 0, hi = k;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (v->out_nl[mid + 1] < i)
				lo = mid + 1;
			else
				hi = mid;
		}
		j = lo;
		skip = i - v->out_nl[j];
	}
	int started = 0;
	for (; j < k; j++) {
		size_t n;
		const char *s = view_out_text(v, j, &n);
		size_t at = 0;
		while (skip > 0 && at < n) {
			const char *nl = memchr(s + at, '\n', n - at);
			at = (size_t)(nl - s) + 1;
			skip--;
		}
		if (!started) {
			if (at >= n)
				continue; /* the line starts in a later event */
			started = 1;
			if (stream != NULL)
				*stream = view_ev(v, v->outs.ev[j])->flags == 2
				                  ? 2
				                  : 1;
		}
		const char *nl = memchr(s + at, '\n', n - at);
		size_t end = nl ? (size_t)(nl - s) : n;
		tx_esc(&t, s + at, end - at);
		if (nl != NULL)
			break;
	}
	return t.len;
}

/* --- lints --------------------------------------------------------------- */

size_t
trace_view_lints(const trace_view *v)
{
	return view_lower(v->lints.ev, v->lints.n, v->cursor);
}

int
trace_view_lint(const trace_view *v, size_t i, trace_view_lint_row *out)
{
	memset(out, 0, sizeof *out);
	if (i >= trace_view_lints(v))
		return -1;
	const trace_event *ev = view_ev(v, v->lints.ev[i]);
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)ev->a);
	out->id = (trace_lint_id)ev->a;
	out->name = info ? info->name : "unknown-lint";
	out->explanation = info ? info->explanation : "";
	out->event = v->lints.ev[i];
	out->future = ev->future;
	view_text t;
	tx_init(&t, out->detail, sizeof out->detail);
	if (ev->b != 0)
		tx_string(&t, v, ev->b);
	else if (ev->future != 0)
		tx_future(&t, v, ev->future);
	return 0;
}

/* --- state machines ------------------------------------------------------ */

/* The program's function an async fn or block future runs, or NULL. */
static const lang_func *
view_func_of(const trace_view *v, uint32_t f)
{
	if (v->prog == NULL)
		return NULL;
	size_t n;
	const char *name = trace_log_string(v->log, view_fname(v, f), &n);
	unsigned long line = 0;
	int block = v->f_type[f] == TRACE_FT_ASYNC_BLOCK;
	if (block && sscanf(name, "async block (line %lu)", &line) != 1)
		return NULL;
	const char *paren = memchr(name, '(', n);
	size_t len = paren ? (size_t)(paren - name) : n;
	for (uint32_t i = 0; i < v->prog->nfuncs; i++) {
		const lang_func *fn = &v->prog->funcs[i];
		if (block ? fn->kind == LANG_FUNC_ASYNC_BLOCK &&
		                    fn->pos.line == line
		          : fn->kind == LANG_FUNC_ASYNC_FN &&
		                    strlen(fn->name) == len &&
		                    memcmp(fn->name, name, len) == 0)
			return fn;
	}
	return NULL;
}

/* Where a future's last STATE before c is in its FL_MISC list, plus one
 * (0 if none); *k gets the number of its entries before c. The LOCALs after
 * that STATE are its live locals. */
static uint32_t
view_last_state(const trace_view *v, uint32_t f, uint32_t c, uint32_t *k)
{
	uint32_t n;
	const uint32_t *a = view_row_list(&v->fl[FL_MISC], f, &n);
	*k = view_lower(a, n, c);
	uint32_t st = *k;
	while (st > 0 && view_ev(v, a[st - 1])->kind != TRACE_STATE)
		st--;
	return st;
}

int
trace_view_sm(const trace_view *v, uint32_t future, trace_view_machine *out)
{
	memset(out, 0, sizeof *out);
	out->future = future;
	if (!view_valid_future(v, future) ||
	    (v->f_type[future] != TRACE_FT_ASYNC_FN &&
	     v->f_type[future] != TRACE_FT_ASYNC_BLOCK))
		return -1;
	const lang_func *fn = view_func_of(v, future);
	uint32_t c = v->cursor;
	uint32_t n, k, st = view_last_state(v, future, c, &k);
	const uint32_t *sm = view_row_list(&v->fl[FL_MISC], future, &n);
	uint32_t awaits = 0;
	if (fn != NULL) {
		out->known = 1;
		awaits = fn->nawaits;
	} else
		for (uint32_t j = 0; j < k; j++) {
			const trace_event *ev = view_ev(v, sm[j]);
			if (ev->kind == TRACE_STATE && ev->a != UINT32_MAX &&
			    ev->a > awaits)
				awaits = ev->a;
		}
	out->nstates = awaits + 2;
	view_fst s = view_state_at(v, future, c);
	if (st > 0) {
		uint32_t a = view_ev(v, sm[st - 1])->a;
		/* An await index beyond the program's (a mismatched
		 * program) shows as the last await point. */
		out->current = a == UINT32_MAX ? awaits + 1
		                               : (a > awaits ? awaits : a);
		for (uint32_t j = st; j < k; j++)
			out->nlocals +=
			        view_ev(v, sm[j])->kind == TRACE_LOCAL;
	}
	if (s.state == TRACE_VIEW_F_READY || out->current == awaits + 1) {
		out->current = awaits + 1;
		out->nlocals = 0;
	}
	out->polling = s.state == TRACE_VIEW_F_POLLING;
	view_text t;
	tx_init(&t, out->func, sizeof out->func);
	if (fn != NULL && v->f_type[future] == TRACE_FT_ASYNC_FN)
		tx_esc(&t, fn->name, strlen(fn->name));
	else {
		size_t nl;
		const char *name =
		        trace_log_string(v->log, view_fname(v, future), &nl);
		const char *paren = v->f_type[future] == TRACE_FT_ASYNC_FN
		                            ? memchr(name, '(', nl)
		                            : NULL;
		tx_esc(&t, name, paren ? (size_t)(paren - name) : nl);
	}
	return 0;
}

int
trace_view_sm_state(const trace_view *v, const trace_view_machine *sm,
                    uint32_t i, trace_view_machine_state *out)
{
	memset(out, 0, sizeof *out);
	if (i >= sm->nstates || !view_valid_future(v, sm->future))
		return -1;
	if (i == 0)
		snprintf(out->label, sizeof out->label, "Start");
	else if (i + 1 == sm->nstates)
		snprintf(out->label, sizeof out->label, "Done");
	else
		snprintf(out->label, sizeof out->label, "Await%lu",
		         (unsigned long)i);
	if (i == 0 || i + 1 == sm->nstates)
		return 0;
	const lang_func *fn = sm->known ? view_func_of(v, sm->future) : NULL;
	if (fn != NULL && i <= fn->nawaits) {
		out->line = fn->awaits[i - 1].pos.line;
		out->col = fn->awaits[i - 1].pos.col;
		return 0;
	}
	/* Without the program: the line its Pending polls reported. */
	uint32_t n;
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], sm->future, &n);
	for (uint32_t j = 0; j < n; j++) {
		const trace_event *ev = view_ev(v, core[j]);
		if (ev->kind == TRACE_POLL_END && ev->a == i) {
			out->line = ev->b;
			break;
		}
	}
	return 0;
}

int
trace_view_sm_local(const trace_view *v, const trace_view_machine *sm,
                    uint32_t i, trace_view_local *out)
{
	memset(out, 0, sizeof *out);
	if (i >= sm->nlocals || !view_valid_future(v, sm->future))
		return -1;
	uint32_t n, k, st = view_last_state(v, sm->future, v->cursor, &k);
	const uint32_t *list = view_row_list(&v->fl[FL_MISC], sm->future, &n);
	const trace_event *ev = NULL;
	for (uint32_t j = st, seen = 0; j < k && ev == NULL; j++) {
		const trace_event *e = view_ev(v, list[j]);
		if (e->kind == TRACE_LOCAL && seen++ == i)
			ev = e;
	}
	if (ev == NULL)
		return -1;
	view_text t;
	tx_init(&t, out->name, sizeof out->name);
	tx_string(&t, v, ev->a);
	tx_init(&t, out->value, sizeof out->value);
	tx_string(&t, v, ev->b);
	return 0;
}

/* --- narration ----------------------------------------------------------- */

typedef void (*view_narrator)(view_text *t, const trace_view *v, uint32_t i,
                              const trace_event *ev);

/* How each kind of future is introduced: %c is the creator, %n the new
 * future. */
static const char *const view_created_templates[] = {
        [TRACE_FT_ASYNC_FN] = "%c calls %n: that only creates a future; "
                              "none of its body runs until it is polled",
        [TRACE_FT_ASYNC_BLOCK] = "%c creates %n; its body runs only when "
                                 "it is polled",
        [TRACE_FT_SLEEP] = "%c creates %n, a timer future that does "
                           "nothing until it is polled",
        [TRACE_FT_JOIN_ALL] = "%c hands its futures to %n, which will poll "
                              "them all together",
        [TRACE_FT_JOIN] = "%c creates %n, which polls its branches in turn",
        [TRACE_FT_JOIN_HANDLE] = "%c gets %n, to await the spawned task's "
                                 "result",
        [TRACE_FT_TASK] = "%c creates %n, the root of a task",
        [TRACE_FT_OTHER] = "%c creates %n",
};

static void
tx_template(view_text *t, const trace_view *v, const char *tpl,
            uint32_t creator, uint32_t f)
{
	char piece[2] = {0, 0};
	for (const char *p = tpl; *p; p++) {
		if (p[0] == '%' && p[1] == 'c') {
			if (creator != 0)
				tx_future(t, v, creator);
			else
				tx_lit(t, "The runtime");
			p++;
		} else if (p[0] == '%' && p[1] == 'n') {
			tx_future(t, v, f);
			p++;
		} else {
			piece[0] = *p;
			tx_unit(t, piece, 1);
		}
	}
}

static void
narrate_created(view_text *t, const trace_view *v, uint32_t i,
                const trace_event *ev)
{
	(void)i;
	uint8_t type = ev->flags <= TRACE_FT_OTHER ? ev->flags : TRACE_FT_OTHER;
	tx_template(t, v, view_created_templates[type],
	            view_valid_future(v, ev->a) ? ev->a : 0, ev->future);
}

static void
narrate_dropped(view_text *t, const trace_view *v, uint32_t i,
                const trace_event *ev)
{
	(void)i;
	tx_future(t, v, ev->future);
	if (ev->flags & 1)
		tx_lit(t, " is dropped without ever being polled: none of its "
		          "code ran");
	else
		tx_lit(t, " is dropped");
}

/* What a first poll starts, by the type of the future polled. */
static const char *const view_first_poll[] = {
        [TRACE_FT_ASYNC_FN] = ": only now does its body start running",
        [TRACE_FT_ASYNC_BLOCK] = ": only now does its body start running",
        [TRACE_FT_SLEEP] = ": only now does it set its timer",
        [TRACE_FT_JOIN_ALL] = ": it starts polling its children",
        [TRACE_FT_JOIN] = ": it starts polling its branches",
        [TRACE_FT_JOIN_HANDLE] = ": it checks whether the task has finished",
        [TRACE_FT_TASK] = "",
        [TRACE_FT_OTHER] = "",
};

static void
narrate_poll_begin(view_text *t, const trace_view *v, uint32_t i,
                   const trace_event *ev)
{
	uint32_t f = ev->future;
	int first = view_valid_future(v, f) &&
	            view_state_at(v, f, i).polls == 0;
	if (ev->a == 0)
		tx_lit(t, "The executor polls ");
	else {
		tx_future(t, v, ev->a);
		tx_lit(t, " polls ");
	}
	tx_future(t, v, f);
	if (ev->a == 0)
		tx_fmt(t, " (task %lu)", (unsigned long)ev->b);
	tx_lit(t, first ? " for the first time" : " again");
	if (first)
		tx_lit(t, view_first_poll[v->f_type[f]]);
}

/* What a future that just returned Pending at event i waits for. */
static void
tx_pending_reason(view_text *t, const trace_view *v, uint32_t f, uint32_t i)
{
	view_fst s = view_state_at(v, f, i + 1);
	uint32_t target = f;
	int own = 1;
	uint8_t type = v->f_type[f];
	if (type != TRACE_FT_SLEEP && type != TRACE_FT_JOIN_HANDLE &&
	    type != TRACE_FT_JOIN_ALL && type != TRACE_FT_JOIN) {
		target = view_awaited(v, f, s.begin, i + 1);
		own = 0;
	}
	int fired;
	if (target == 0) {
		tx_lit(t, "it is not finished yet");
		return;
	}
	switch (v->f_type[target]) {
	case TRACE_FT_SLEEP:
		tx_lit(t, own ? "its timer is armed for " : "its sleep is armed "
		                                            "for ");
		tx_time(t, view_deadline(v, target, i + 1, &fired));
		break;
	case TRACE_FT_JOIN_HANDLE:
		tx_fmt(t, "task %lu has not finished yet",
		       (unsigned long)view_handle_task(v, target));
		break;
	case TRACE_FT_JOIN_ALL:
	case TRACE_FT_JOIN:
		if (own) {
			tx_lit(t, "some of its children are still pending");
			break;
		}
		/* fall through */
	default:
		tx_lit(t, "it awaits ");
		tx_future(t, v, target);
		tx_lit(t, ", which is not ready");
		break;
	}
}

/* What happens next on the poller's side after f's poll ended at i. */
static void
tx_poller_next(view_text *t, const trace_view *v, uint32_t f, uint32_t i,
               int ready)
{
	uint32_t p = view_poller_of_end(v, f, i);
	if (p == 0) {
		trace_view_queued q;
		if (ready) {
			tx_lit(t, ", so its task is done");
			return;
		}
		if (view_run_queue(v, i + 1, &q, 1) > 0)
			tx_fmt(t, ", so the executor polls task %lu next",
			       (unsigned long)q.task);
		else
			tx_lit(t, ", so the executor has nothing left to run "
			          "until something wakes a task");
		return;
	}
	/* The poller's next poll of a child, if before its own end. */
	uint32_t n, nc;
	const uint32_t *a = view_row_list(&v->fl[FL_POLLEE], p, &n);
	const uint32_t *core = view_row_list(&v->fl[FL_CORE], p, &nc);
	uint32_t k = view_lower(a, n, i);
	uint32_t kc = view_lower(core, nc, i);
	uint32_t next = k < n ? a[k] : NO_EV;
	uint32_t end = kc < nc ? core[kc] : NO_EV;
	if (next != NO_EV && next < end) {
		tx_lit(t, ", so ");
		tx_future(t, v, p);
		tx_lit(t, " moves on to ");
		tx_future(t, v, view_ev(v, next)->future);
	} else if (ready && (v->f_type[p] == TRACE_FT_ASYNC_FN ||
	                     v->f_type[p] == TRACE_FT_ASYNC_BLOCK)) {
		/* Its body goes on, maybe for a long while: say only that. */
		tx_lit(t, ", so ");
		tx_future(t, v, p);
		tx_lit(t, " goes on past its .await");
	} else if (end != NO_EV && view_ev(v, end)->kind == TRACE_POLL_END) {
		int pr = view_ev(v, end)->flags == TRACE_READY;
		tx_lit(t, ", so ");
		tx_future(t, v, p);
		tx_lit(t, pr ? " can return Ready"
		             : (ready ? " returns Pending: it has more to wait "
		                        "for"
		                      : " returns Pending too"));
	}
}

static void
narrate_poll_end(view_text *t, const trace_view *v, uint32_t i,
                 const trace_event *ev)
{
	uint32_t f = ev->future;
	int ready = ev->flags == TRACE_READY;
	tx_future(t, v, f);
	if (!view_valid_future(v, f)) {
		tx_lit(t, ready ? " returned Ready" : " returned Pending");
		return;
	}
	if (ready)
		tx_lit(t, " returned Ready: it is finished");
	else {
		tx_lit(t, " returned Pending: ");
		tx_pending_reason(t, v, f, i);
	}
	tx_poller_next(t, v, f, i, ready);
}

static void
narrate_waker(view_text *t, const trace_view *v, uint32_t i,
              const trace_event *ev)
{
	(void)i;
	tx_future(t, v, ev->future);
	tx_fmt(t, " keeps the waker of task %lu", (unsigned long)ev->a);
	if (ev->b != 0) {
		tx_lit(t, " (a waker of its own from ");
		tx_future(t, v, ev->b);
		tx_lit(t, ")");
	}
	tx_lit(t, ", so it can wake the task when it is ready");
}

static void
narrate_wake(view_text *t, const trace_view *v, uint32_t i,
             const trace_event *ev)
{
	(void)i;
	if (ev->a == 0)
		tx_lit(t, "The timer wakes ");
	else {
		tx_future(t, v, ev->a);
		tx_lit(t, " wakes ");
	}
	tx_future(t, v, ev->future);
	if (ev->flags & TRACE_WAKE_CHILD)
		tx_lit(t, ": only this child will be polled again");
	else
		tx_fmt(t, ": task %lu can be polled again",
		       (unsigned long)ev->b);
}

static void
narrate_timer_armed(view_text *t, const trace_view *v, uint32_t i,
                    const trace_event *ev)
{
	(void)i;
	uint64_t d = trace_u64(ev);
	tx_future(t, v, ev->future);
	tx_lit(t, " arms a timer for ");
	tx_time(t, d);
	if (d >= ev->time_ns) {
		tx_lit(t, ", ");
		tx_duration(t, d - ev->time_ns);
		tx_lit(t, " from now");
	}
}

static void
narrate_timer_fired(view_text *t, const trace_view *v, uint32_t i,
                    const trace_event *ev)
{
	(void)i;
	tx_lit(t, "The timer of ");
	tx_future(t, v, ev->future);
	tx_lit(t, " fires");
}

static void
narrate_clock(view_text *t, const trace_view *v, uint32_t i,
              const trace_event *ev)
{
	tx_lit(t, "The clock jumps to ");
	tx_time(t, ev->time_ns);
	/* Why it could jump: look at what wakes next. */
	for (uint32_t j = i + 1; j < v->n && j < i + 4; j++) {
		const trace_event *e = view_ev(v, j);
		if (e->kind == TRACE_TIMER_FIRED) {
			tx_lit(t, ": nothing can run until the first timer "
			          "fires");
			return;
		}
		if (e->kind != TRACE_THREAD_RESUMED)
			continue;
		uint32_t b = view_thread_last(v, e->thread, j, NULL);
		if (b == NO_EV)
			break;
		const trace_event *be = view_ev(v, b);
		if (be->kind == TRACE_THREAD_BLOCKED &&
		    (be->flags & TRACE_BLOCK_MASK) == TRACE_BLOCK_SLEEP) {
			tx_lit(t, ": nothing can run until ");
			tx_thread(t, v, e->thread);
			tx_lit(t, " wakes up from thread::sleep");
			return;
		}
	}
	tx_lit(t, ": every thread was waiting, so the clock skips the time "
	          "in between");
}

static void
narrate_thread_spawned(view_text *t, const trace_view *v, uint32_t i,
                       const trace_event *ev)
{
	(void)i;
	if (ev->thread == 0 && ev->a == 0) {
		tx_lit(t, "The program starts on thread ");
		tx_thread(t, v, 0);
		return;
	}
	tx_thread(t, v, ev->a);
	tx_lit(t, " spawns ");
	tx_thread(t, v, ev->thread);
	tx_lit(t, ", which runs at the same time");
}

static void
narrate_spawn_failed(view_text *t, const trace_view *v, uint32_t i,
                     const trace_event *ev)
{
	(void)i;
	tx_thread(t, v, ev->a);
	tx_lit(t, " cannot spawn another thread: ");
	tx_string(t, v, ev->b);
}

static void
narrate_blocked(view_text *t, const trace_view *v, uint32_t i,
                const trace_event *ev)
{
	(void)i;
	uint64_t until = trace_u64(ev);
	int in_poll = (ev->flags & TRACE_IN_POLL) != 0;
	switch (ev->flags & TRACE_BLOCK_MASK) {
	case TRACE_BLOCK_SLEEP:
		if (in_poll) {
			tx_lit(t, "thread::sleep blocks the whole executor "
			          "thread for ");
			tx_duration(t, until >= ev->time_ns
			                       ? until - ev->time_ns
			                       : 0);
			tx_lit(t, " while ");
			tx_future(t, v, ev->future);
			tx_lit(t, " is being polled: nothing else on it can "
			          "run");
		} else {
			tx_thread(t, v, ev->thread);
			tx_lit(t, " sleeps for ");
			tx_duration(t, until >= ev->time_ns
			                       ? until - ev->time_ns
			                       : 0);
			tx_lit(t, " (thread::sleep); the other threads go on");
		}
		break;
	case TRACE_BLOCK_JOIN:
		tx_thread(t, v, ev->thread);
		tx_lit(t, " waits for ");
		tx_thread(t, v, ev->a);
		tx_lit(t, " to finish");
		if (in_poll) {
			tx_lit(t, ", inside a poll of ");
			tx_future(t, v, ev->future);
		}
		break;
	default:
		tx_lit(t, "The executor has nothing to run, so ");
		tx_thread(t, v, ev->thread);
		if (until != 0 && until != UINT64_MAX) {
			tx_lit(t, " parks until the next timer, at ");
			tx_time(t, until);
		} else
			tx_lit(t, " parks");
		break;
	}
}

static void
narrate_resumed(view_text *t, const trace_view *v, uint32_t i,
                const trace_event *ev)
{
	(void)i;
	tx_thread(t, v, ev->thread);
	tx_lit(t, " runs again");
}

static void
narrate_exited(view_text *t, const trace_view *v, uint32_t i,
               const trace_event *ev)
{
	(void)i;
	tx_thread(t, v, ev->thread);
	tx_lit(t, ev->flags & 1 ? " ends with a panic" : " finishes");
}

static void
narrate_task_spawned(view_text *t, const trace_view *v, uint32_t i,
                     const trace_event *ev)
{
	(void)i;
	tx_fmt(t, "Task %lu spawns task %lu to run ", (unsigned long)ev->b,
	       (unsigned long)ev->a);
	tx_future(t, v, ev->future);
	tx_lit(t, ": it starts when the executor gets to it, awaited or not");
}

static void
narrate_task_done(view_text *t, const trace_view *v, uint32_t i,
                  const trace_event *ev)
{
	(void)i;
	tx_fmt(t, "Task %lu is done: ", (unsigned long)ev->a);
	tx_future(t, v, ev->future);
	tx_lit(t, " returned Ready");
}

static void
narrate_output(view_text *t, const trace_view *v, uint32_t i,
               const trace_event *ev)
{
	(void)i;
	size_t n;
	const char *s = trace_log_string(v->log, ev->a, &n);
	tx_thread(t, v, ev->thread);
	tx_lit(t, ev->flags == 2 ? " prints to stderr: \"" : " prints \"");
	if (n > 0 && s[n - 1] == '\n')
		n--;
	tx_esc(t, s, n);
	tx_lit(t, "\"");
}

static void
narrate_line(view_text *t, const trace_view *v, uint32_t i,
             const trace_event *ev)
{
	(void)i;
	if (view_valid_future(v, ev->future))
		tx_future(t, v, ev->future);
	else
		tx_thread(t, v, ev->thread);
	tx_fmt(t, " runs line %lu", (unsigned long)ev->a);
	size_t len;
	const char *src = trace_view_source_line(v, ev->a, &len);
	if (src == NULL)
		return;
	while (len > 0 && (*src == ' ' || *src == '\t')) {
		src++;
		len--;
	}
	if (len == 0)
		return;
	tx_lit(t, ": `");
	tx_esc(t, src, len);
	tx_lit(t, "`");
}

static void
narrate_state(view_text *t, const trace_view *v, uint32_t i,
              const trace_event *ev)
{
	tx_future(t, v, ev->future);
	if (ev->a == UINT32_MAX)
		tx_lit(t, "'s state machine is now Done");
	else if (ev->a == 0)
		tx_lit(t, "'s state machine is in Start");
	else {
		tx_fmt(t, " is suspended in state Await%lu: it will resume at "
		          "that .await",
		       (unsigned long)ev->a);
		/* The Pending just before carries the await point's line. */
		uint32_t e = view_valid_future(v, ev->future)
		                     ? view_last_in(v, FL_CORE, ev->future, i)
		                     : NO_EV;
		const trace_event *end = e != NO_EV ? view_ev(v, e) : NULL;
		if (end != NULL && end->kind == TRACE_POLL_END &&
		    end->a == ev->a && end->b != 0)
			tx_fmt(t, ", on line %lu", (unsigned long)end->b);
	}
}

static void
narrate_local(view_text *t, const trace_view *v, uint32_t i,
              const trace_event *ev)
{
	(void)i;
	tx_future(t, v, ev->future);
	tx_lit(t, " keeps ");
	tx_string(t, v, ev->a);
	tx_lit(t, " = ");
	tx_string(t, v, ev->b);
	tx_lit(t, " in its state while it waits");
}

static void
narrate_lint(view_text *t, const trace_view *v, uint32_t i,
             const trace_event *ev)
{
	(void)v, (void)i;
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)ev->a);
	tx_lit(t, "Lint ");
	tx_lit(t, info ? info->name : "?");
	tx_lit(t, ": ");
	tx_lit(t, info ? info->explanation : "");
}

static void
narrate_panic(view_text *t, const trace_view *v, uint32_t i,
              const trace_event *ev)
{
	(void)i;
	tx_thread(t, v, ev->thread);
	tx_lit(t, " panicked: ");
	tx_string(t, v, ev->a);
}

static void
narrate_run_end(view_text *t, const trace_view *v, uint32_t i,
                const trace_event *ev)
{
	(void)i;
	tx_fmt(t, "The run ends with exit status %lu", (unsigned long)ev->a);
	if (ev->b != 0) {
		tx_lit(t, ": ");
		tx_string(t, v, ev->b);
	}
}

static const view_narrator view_narrators[TRACE_KIND_COUNT] = {
        [TRACE_FUTURE_CREATED] = narrate_created,
        [TRACE_FUTURE_DROPPED] = narrate_dropped,
        [TRACE_POLL_BEGIN] = narrate_poll_begin,
        [TRACE_POLL_END] = narrate_poll_end,
        [TRACE_WAKER_REGISTERED] = narrate_waker,
        [TRACE_WAKE] = narrate_wake,
        [TRACE_TIMER_ARMED] = narrate_timer_armed,
        [TRACE_TIMER_FIRED] = narrate_timer_fired,
        [TRACE_CLOCK_ADVANCE] = narrate_clock,
        [TRACE_THREAD_SPAWNED] = narrate_thread_spawned,
        [TRACE_THREAD_SPAWN_FAILED] = narrate_spawn_failed,
        [TRACE_THREAD_BLOCKED] = narrate_blocked,
        [TRACE_THREAD_RESUMED] = narrate_resumed,
        [TRACE_THREAD_EXITED] = narrate_exited,
        [TRACE_TASK_SPAWNED] = narrate_task_spawned,
        [TRACE_TASK_DONE] = narrate_task_done,
        [TRACE_OUTPUT] = narrate_output,
        [TRACE_LINE] = narrate_line,
        [TRACE_STATE] = narrate_state,
        [TRACE_LOCAL] = narrate_local,
        [TRACE_LINT] = narrate_lint,
        [TRACE_PANIC] = narrate_panic,
        [TRACE_RUN_END] = narrate_run_end,
};

size_t
trace_view_narrate_event(const trace_view *v, size_t event, char *buf,
                         size_t size)
{
	view_text t;
	tx_init(&t, buf, size);
	if (event >= v->n)
		return 0;
	const trace_event *ev = view_ev(v, (uint32_t)event);
	if (ev->kind >= TRACE_KIND_COUNT || view_narrators[ev->kind] == NULL)
		tx_fmt(&t, "An event of unknown kind %u", (unsigned)ev->kind);
	else
		view_narrators[ev->kind](&t, v, (uint32_t)event, ev);
	tx_lit(&t, ".");
	return t.len;
}

size_t
trace_view_narrate(const trace_view *v, char *buf, size_t size)
{
	if (v->cursor == 0) {
		view_text t;
		tx_init(&t, buf, size);
		tx_lit(&t, v->n ? "Nothing has happened yet: the program is "
		                  "about to start."
		                : "The trace is empty.");
		return t.len;
	}
	return trace_view_narrate_event(v, v->cursor - 1, buf, size);
}
