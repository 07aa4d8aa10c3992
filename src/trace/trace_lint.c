#include "config.h"

#include "trace/trace_lint.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINT_DETAIL_MAX 240
#define LINT_NAME_MAX 96
#define LINT_NONE UINT32_MAX

/* The lints. Adding one is an entry here, an id in trace_lint.h and a
 * detector below. */
static const trace_lint_info lint_table[TRACE_LINT_COUNT] = {
        {TRACE_LINT_BLOCKING_IN_ASYNC, "blocking-in-async",
         "a thread blocked inside a future's poll, so nothing else on that "
         "executor could run"},
        {TRACE_LINT_SEQUENTIAL_AWAIT, "sequential-await",
         "futures that could have run together were awaited one at a time"},
        {TRACE_LINT_NEVER_AWAITED, "never-awaited",
         "a future was created but never polled, so its body never ran"},
        {TRACE_LINT_LOST_WAKEUP, "lost-wakeup",
         "everything is Pending and nothing can wake it, so the run stopped"},
        {TRACE_LINT_BUSY_WAKE, "busy-wake",
         "a future wakes itself on every poll, keeping the executor busy "
         "without progress"},
};

/* Per-future flags, one byte per future: a million futures cost 1 MiB. */
enum {
	FUT_POLLED = 1,      /* polled at least once */
	FUT_PENDED = 2,      /* returned Pending at least once */
	FUT_JOIN_HANDLE = 4, /* exempt: awaiting or dropping it is optional */
	FUT_COUNTED = 8      /* already counted as dropped unpolled */
};

enum {
	FRAME_SELF_WOKE = 1, /* root frame: its task woke itself */
	FRAME_PROGRESS = 2   /* root frame: something got done in this poll */
};

/* One poll on a thread's stack. Detector state that only matters while a
 * poll runs lives here rather than per future: a poller's "child that just
 * finished" is consumed before the poller's own poll ends (an async fn goes
 * on to its next await or returns), so it never needs to outlive the frame. */
typedef struct lint_frame {
	uint32_t future;
	uint32_t poller;
	uint32_t task;
	uint32_t root;         /* index of the task's root frame, or NONE */
	uint32_t cand_child;   /* child that was Pending, then Ready: C1 */
	uint32_t cand_maxid;   /* highest future id when C1 became Ready */
	uint32_t suspect_prev; /* this is C2's first poll; C1, else 0 */
	uint32_t waker;        /* root: first own future that woke the task */
	uint8_t flags;
} lint_frame;

typedef struct lint_stack {
	lint_frame *v;
	uint32_t len;
	uint32_t cap;
} lint_stack;

struct trace_lint {
	uint8_t on[TRACE_LINT_COUNT];
	uint8_t fired[TRACE_LINT_COUNT];
	trace_lint_hit hits[TRACE_LINT_COUNT];
	char details[TRACE_LINT_COUNT][LINT_DETAIL_MAX];
	trace_lint_id order[TRACE_LINT_COUNT];
	size_t nfired;

	int finished;
	int abnormal;    /* a panic or lost wakeup: the run stopped early */
	uint64_t now;    /* latest virtual time seen */
	uint64_t seen;   /* events fed */
	uint16_t thread; /* thread of the latest event */

	uint8_t *fut; /* FUT_* flags by future id */
	size_t fut_cap;
	uint32_t max_future;
	/* Names are only needed when a lint fires, a handful of times a run,
	 * so rather than a name id per future (4 bytes each) this keeps, for
	 * every 64th future id, the index of its creating event plus one; the
	 * name is found by scanning the log from there. */
	uint64_t *created_at;
	size_t created_cap;
	uint32_t *thread_names;
	size_t thread_names_cap;
	lint_stack *stacks; /* by thread id */
	size_t stacks_cap;
	uint16_t *streak; /* busy-wake: consecutive self-woken polls, by task */
	size_t streak_cap;

	/* never-awaited: the first future found unpolled, and how many. */
	uint64_t unpolled;
	uint32_t first_unpolled;
	uint64_t first_seq;
	uint64_t first_time;
	uint16_t first_thread;
};

typedef int (*lint_handler)(trace_lint *l, trace_log *log,
                            const trace_event *ev, uint64_t seq);

const trace_lint_info *
trace_lint_info_of(trace_lint_id id)
{
	if ((unsigned)id >= TRACE_LINT_COUNT)
		return NULL;
	return &lint_table[id];
}

int
trace_lint_lookup(const char *name)
{
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		if (strcmp(lint_table[i].name, name) == 0)
			return i;
	return -1;
}

trace_lint *
trace_lint_new(void)
{
	trace_lint *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	for (int i = 0; i < TRACE_LINT_COUNT; i++)
		l->on[i] = 1;
	return l;
}

void
trace_lint_free(trace_lint *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->stacks_cap; i++)
		free(l->stacks[i].v);
	free(l->stacks);
	free(l->fut);
	free(l->created_at);
	free(l->thread_names);
	free(l->streak);
	free(l);
}

int
trace_lint_set(trace_lint *l, const char *name, int on)
{
	int id = trace_lint_lookup(name);
	if (id < 0)
		return -1;
	l->on[id] = on != 0;
	return 0;
}

int
trace_lint_enabled(const trace_lint *l, trace_lint_id id)
{
	return (unsigned)id < TRACE_LINT_COUNT && l->on[id];
}

/* Grows a zero-filled array so that index i is valid. */
static int
lint_grow(void **buf, size_t *cap, size_t i, size_t elem)
{
	if (i < *cap)
		return 0;
	size_t ncap = *cap ? *cap : 64;
	while (ncap <= i) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	char *p = realloc(*buf, ncap * elem);
	if (p == NULL)
		return -1;
	memset(p + *cap * elem, 0, (ncap - *cap) * elem);
	*buf = p;
	*cap = ncap;
	return 0;
}

static int
lint_need_future(trace_lint *l, uint32_t f)
{
	return lint_grow((void **)&l->fut, &l->fut_cap, f, 1);
}

static int
lint_has_strings(const trace_log *log)
{
	return log != NULL && trace_log_wants_strings(log);
}

#define LINT_NAME_STRIDE_SHIFT 6

static const char *
lint_future_name(const trace_lint *l, const trace_log *log, uint32_t f,
                 char *buf, size_t size)
{
	size_t bucket = f >> LINT_NAME_STRIDE_SHIFT;
	if (lint_has_strings(log) && bucket < l->created_cap &&
	    l->created_at[bucket] != 0) {
		size_t n = trace_log_stored(log);
		for (size_t i = l->created_at[bucket] - 1; i < n; i++) {
			const trace_event *ev = trace_log_at(log, i);
			if (ev->kind == TRACE_FUTURE_CREATED &&
			    ev->future == f) {
				if (ev->b != 0)
					return trace_log_string(log, ev->b,
					                        NULL);
				break;
			}
		}
	}
	snprintf(buf, size, "future #%" PRIu32, f);
	return buf;
}

static const char *
lint_thread_name(const trace_lint *l, const trace_log *log, uint16_t t,
                 char *buf, size_t size)
{
	if (lint_has_strings(log) && t < l->thread_names_cap &&
	    l->thread_names[t] != 0)
		return trace_log_string(log, l->thread_names[t], NULL);
	if (t == 0)
		return "main";
	snprintf(buf, size, "thread %u", (unsigned)t);
	return buf;
}

/* "1.000 s", "250.000 ms", "1.500 us", "800 ns": three decimals of the
 * largest unit that fits, so a blocking call of any size reads naturally. */
static void
lint_fmt_duration(uint64_t ns, char *buf, size_t size)
{
	if (ns >= 1000000000u)
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " s",
		         ns / 1000000000u, ns / 1000000u % 1000u);
	else if (ns >= 1000000u)
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " ms",
		         ns / 1000000u, ns / 1000u % 1000u);
	else if (ns >= 1000u)
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " us", ns / 1000u,
		         ns % 1000u);
	else
		snprintf(buf, size, "%" PRIu64 " ns", ns);
}

/* Records a lint whose detail is already in l->details[id] and, if emit and
 * a log is given, appends its TRACE_LINT event. */
static int
lint_fire(trace_lint *l, trace_log *log, trace_lint_id id, uint64_t seq,
          uint64_t time_ns, uint32_t future, uint16_t thread, uint64_t count,
          int emit)
{
	trace_lint_hit *h = &l->hits[id];
	l->fired[id] = 1;
	l->order[l->nfired++] = id;
	h->id = id;
	h->seq = seq;
	h->time_ns = time_ns;
	h->future = future;
	h->thread = thread;
	h->count = count;
	h->detail = l->details[id];
	if (!emit || log == NULL)
		return 0;
	trace_event ev = {0};
	ev.time_ns = time_ns > l->now ? time_ns : l->now;
	ev.future = future;
	ev.a = (uint32_t)id;
	ev.b = trace_log_intern(log, l->details[id], strlen(l->details[id]));
	ev.thread = thread;
	ev.kind = TRACE_LINT;
	return trace_log_emit(log, &ev);
}

static int
lint_wants(const trace_lint *l, trace_lint_id id)
{
	return l->on[id] && !l->fired[id];
}

static lint_stack *
lint_stack_of(trace_lint *l, uint16_t thread)
{
	if (lint_grow((void **)&l->stacks, &l->stacks_cap, thread,
	              sizeof *l->stacks) != 0)
		return NULL;
	return &l->stacks[thread];
}

static lint_frame *
lint_root_frame(trace_lint *l, uint16_t thread)
{
	if (thread >= l->stacks_cap)
		return NULL;
	lint_stack *s = &l->stacks[thread];
	if (s->len == 0 || s->v[s->len - 1].root == LINT_NONE)
		return NULL;
	return &s->v[s->v[s->len - 1].root];
}

static int
lint_on_future_created(trace_lint *l, trace_log *log, const trace_event *ev,
                       uint64_t seq)
{
	uint32_t f = ev->future;
	if (lint_need_future(l, f) != 0)
		return -1;
	if (f > l->max_future)
		l->max_future = f;
	if (ev->flags == TRACE_FT_JOIN_HANDLE)
		l->fut[f] |= FUT_JOIN_HANDLE;
	if (lint_has_strings(log)) {
		size_t bucket = f >> LINT_NAME_STRIDE_SHIFT;
		if (lint_grow((void **)&l->created_at, &l->created_cap, bucket,
		              sizeof *l->created_at) != 0)
			return -1;
		/* Futures are created in id order, so the bucket's first
		 * creation comes first in the log. */
		if (l->created_at[bucket] == 0)
			l->created_at[bucket] = seq + 1;
	}
	return 0;
}

static int
lint_on_future_dropped(trace_lint *l, trace_log *log, const trace_event *ev,
                       uint64_t seq)
{
	(void)log;
	uint32_t f = ev->future;
	if (lint_need_future(l, f) != 0)
		return -1;
	if (l->fut[f] & (FUT_POLLED | FUT_JOIN_HANDLE | FUT_COUNTED))
		return 0;
	l->fut[f] |= FUT_COUNTED;
	if (l->unpolled++ == 0) {
		l->first_unpolled = f;
		l->first_seq = seq;
		l->first_time = ev->time_ns;
		l->first_thread = ev->thread;
	}
	return 0;
}

static int
lint_on_poll_begin(trace_lint *l, trace_log *log, const trace_event *ev,
                   uint64_t seq)
{
	(void)log;
	(void)seq;
	if (lint_need_future(l, ev->future) != 0)
		return -1;
	lint_stack *s = lint_stack_of(l, ev->thread);
	if (s == NULL)
		return -1;
	if (s->len == s->cap) {
		size_t ncap = s->cap ? (size_t)s->cap * 2 : 8;
		if (ncap > UINT32_MAX)
			return -1;
		lint_frame *v = realloc(s->v, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = (uint32_t)ncap;
	}
	uint32_t first = !(l->fut[ev->future] & FUT_POLLED);
	l->fut[ev->future] |= FUT_POLLED;
	lint_frame *parent = s->len ? &s->v[s->len - 1] : NULL;
	lint_frame *fr = &s->v[s->len];
	memset(fr, 0, sizeof *fr);
	fr->future = ev->future;
	fr->poller = ev->a;
	fr->task = ev->b;
	if (ev->a == 0)
		fr->root = s->len;
	else
		fr->root = parent ? parent->root : LINT_NONE;
	/* sequential-await: the poller finished a child that had to wait (C1)
	 * and now starts on one that already existed then (C2). Whether C2
	 * has to wait too is known when this poll ends. */
	if (parent != NULL && parent->future == ev->a && ev->a != 0) {
		uint32_t c1 = parent->cand_child;
		if (first && c1 != 0 && ev->future <= parent->cand_maxid &&
		    !(l->fut[ev->future] & FUT_JOIN_HANDLE))
			fr->suspect_prev = c1;
		parent->cand_child = 0;
	}
	s->len++;
	return 0;
}

static int
lint_on_poll_end(trace_lint *l, trace_log *log, const trace_event *ev,
                 uint64_t seq)
{
	uint32_t f = ev->future;
	if (lint_need_future(l, f) != 0)
		return -1;
	if (ev->flags == TRACE_PENDING)
		l->fut[f] |= FUT_PENDED;
	if (ev->thread >= l->stacks_cap)
		return 0;
	lint_stack *s = &l->stacks[ev->thread];
	uint32_t k = s->len;
	while (k > 0 && s->v[k - 1].future != f)
		k--;
	if (k == 0)
		return 0; /* no matching poll: nothing to pair it with */
	lint_frame fr = s->v[k - 1];
	s->len = k - 1;
	lint_frame *parent = s->len ? &s->v[s->len - 1] : NULL;
	char b1[LINT_NAME_MAX], b2[LINT_NAME_MAX], b3[LINT_NAME_MAX];

	if (ev->flags == TRACE_PENDING && fr.suspect_prev != 0 &&
	    lint_wants(l, TRACE_LINT_SEQUENTIAL_AWAIT)) {
		snprintf(l->details[TRACE_LINT_SEQUENTIAL_AWAIT],
		         LINT_DETAIL_MAX,
		         "%s awaited %s only after %s had finished; "
		         "they could have run together (join_all or join!)",
		         lint_future_name(l, log, fr.poller, b1, sizeof b1),
		         lint_future_name(l, log, f, b2, sizeof b2),
		         lint_future_name(l, log, fr.suspect_prev, b3,
		                          sizeof b3));
		if (lint_fire(l, log, TRACE_LINT_SEQUENTIAL_AWAIT, seq,
		              ev->time_ns, fr.poller, ev->thread, 1, 1) != 0)
			return -1;
	}
	if (ev->flags == TRACE_READY && fr.poller != 0) {
		if ((l->fut[f] & FUT_PENDED) && parent != NULL &&
		    parent->future == fr.poller) {
			parent->cand_child = f;
			parent->cand_maxid = l->max_future;
		}
		if (fr.root != LINT_NONE && fr.root < s->len)
			s->v[fr.root].flags |= FRAME_PROGRESS;
	}
	if (fr.poller != 0)
		return 0;

	/* The end of a task's poll: busy-wake bookkeeping. */
	if (lint_grow((void **)&l->streak, &l->streak_cap, fr.task,
	              sizeof *l->streak) != 0)
		return -1;
	if (!(fr.flags & FRAME_SELF_WOKE) || (fr.flags & FRAME_PROGRESS) ||
	    ev->flags != TRACE_PENDING) {
		l->streak[fr.task] = 0;
		return 0;
	}
	if (l->streak[fr.task] < UINT16_MAX)
		l->streak[fr.task]++;
	if (l->streak[fr.task] >= TRACE_LINT_BUSY_WAKE_STREAK &&
	    lint_wants(l, TRACE_LINT_BUSY_WAKE)) {
		snprintf(l->details[TRACE_LINT_BUSY_WAKE], LINT_DETAIL_MAX,
		         "%s woke its own task %" PRIu32
		         " on %d polls in a row without making progress",
		         lint_future_name(l, log, fr.waker, b1, sizeof b1),
		         fr.task, TRACE_LINT_BUSY_WAKE_STREAK);
		return lint_fire(l, log, TRACE_LINT_BUSY_WAKE, seq, ev->time_ns,
		                 fr.waker, ev->thread, l->streak[fr.task], 1);
	}
	return 0;
}

static int
lint_on_wake(trace_lint *l, trace_log *log, const trace_event *ev, uint64_t seq)
{
	(void)log;
	(void)seq;
	lint_frame *root = lint_root_frame(l, ev->thread);
	if (root == NULL)
		return 0;
	if (ev->b != root->task) {
		root->flags |= FRAME_PROGRESS; /* it woke someone else */
	} else if (ev->a != 0) {
		if (!(root->flags & FRAME_SELF_WOKE))
			root->waker = ev->a;
		root->flags |= FRAME_SELF_WOKE;
	}
	return 0;
}

static int
lint_on_output(trace_lint *l, trace_log *log, const trace_event *ev,
               uint64_t seq)
{
	(void)log;
	(void)seq;
	lint_frame *root = lint_root_frame(l, ev->thread);
	if (root != NULL)
		root->flags |= FRAME_PROGRESS;
	return 0;
}

static int
lint_on_thread_spawned(trace_lint *l, trace_log *log, const trace_event *ev,
                       uint64_t seq)
{
	(void)seq;
	if (!lint_has_strings(log) || ev->b == 0)
		return 0;
	if (lint_grow((void **)&l->thread_names, &l->thread_names_cap,
	              ev->thread, sizeof *l->thread_names) != 0)
		return -1;
	l->thread_names[ev->thread] = ev->b;
	return 0;
}

static int
lint_on_thread_blocked(trace_lint *l, trace_log *log, const trace_event *ev,
                       uint64_t seq)
{
	if (!(ev->flags & TRACE_IN_POLL) ||
	    !lint_wants(l, TRACE_LINT_BLOCKING_IN_ASYNC))
		return 0;
	char fb[LINT_NAME_MAX], tb[LINT_NAME_MAX], ob[LINT_NAME_MAX];
	char what[LINT_NAME_MAX + 32];
	uint64_t until = trace_u64(ev);
	switch (ev->flags & TRACE_BLOCK_MASK) {
	case TRACE_BLOCK_SLEEP:
		/* thread::sleep(0) returns at once: the clock does not move. */
		if (until <= ev->time_ns)
			return 0;
		lint_fmt_duration(until - ev->time_ns, ob, sizeof ob);
		snprintf(what, sizeof what, "for %s", ob);
		break;
	case TRACE_BLOCK_JOIN:
		snprintf(what, sizeof what, "joining thread %s",
		         lint_thread_name(l, log, (uint16_t)ev->a, ob,
		                          sizeof ob));
		break;
	default:
		snprintf(what, sizeof what, "parked");
		break;
	}
	char *d = l->details[TRACE_LINT_BLOCKING_IN_ASYNC];
	snprintf(d, LINT_DETAIL_MAX, "%s blocked thread %s %s inside its poll",
	         lint_future_name(l, log, ev->future, fb, sizeof fb),
	         lint_thread_name(l, log, ev->thread, tb, sizeof tb), what);
	return lint_fire(l, log, TRACE_LINT_BLOCKING_IN_ASYNC, seq, ev->time_ns,
	                 ev->future, ev->thread, 1, 1);
}

static int
lint_on_lint(trace_lint *l, trace_log *log, const trace_event *ev, uint64_t seq)
{
	/* A lint the simulator found and emitted itself: the event is already
	 * in the log, so it is only recorded. */
	if (ev->a >= TRACE_LINT_COUNT)
		return 0;
	trace_lint_id id = (trace_lint_id)ev->a;
	if (id == TRACE_LINT_LOST_WAKEUP)
		l->abnormal = 1;
	if (!lint_wants(l, id))
		return 0;
	const char *d = log != NULL ? trace_log_string(log, ev->b, NULL) : "";
	if (*d == '\0')
		d = lint_table[id].explanation;
	snprintf(l->details[id], LINT_DETAIL_MAX, "%s", d);
	return lint_fire(l, log, id, seq, ev->time_ns, ev->future, ev->thread,
	                 1, 0);
}

static int
lint_on_panic(trace_lint *l, trace_log *log, const trace_event *ev,
              uint64_t seq)
{
	(void)log;
	(void)ev;
	(void)seq;
	l->abnormal = 1;
	return 0;
}

static int
lint_end(trace_lint *l, trace_log *log)
{
	if (l->finished)
		return 0;
	l->finished = 1;
	if (!l->on[TRACE_LINT_NEVER_AWAITED])
		return 0;
	uint64_t count = l->unpolled;
	uint32_t first = l->first_unpolled;
	uint64_t fseq = l->first_seq, ftime = l->first_time;
	uint16_t fthread = l->first_thread;
	/* Futures still alive and unpolled when the run ends normally were
	 * never awaited either. After a panic or a lost wakeup the run
	 * stopped early and they might have been awaited later. */
	if (!l->abnormal) {
		for (uint32_t f = 1; f <= l->max_future; f++) {
			if (l->fut[f] &
			    (FUT_POLLED | FUT_JOIN_HANDLE | FUT_COUNTED))
				continue;
			if (count++ == 0) {
				first = f;
				fseq = log != NULL ? trace_log_count(log)
				                   : l->seen;
				ftime = l->now;
				fthread = l->thread;
			}
		}
	}
	if (count == 0)
		return 0;
	char nb[LINT_NAME_MAX], more[64] = "";
	if (count > 1)
		snprintf(more, sizeof more, " (%" PRIu64 " futures in all)",
		         count);
	snprintf(l->details[TRACE_LINT_NEVER_AWAITED], LINT_DETAIL_MAX,
	         "%s was %s%s", lint_future_name(l, log, first, nb, sizeof nb),
	         l->unpolled ? "dropped without ever being polled"
	                     : "never polled before the run ended",
	         more);
	/* The event goes at the end of the run; the hit points back at the
	 * first drop, where a viewer should take the learner. */
	int rc = lint_fire(l, log, TRACE_LINT_NEVER_AWAITED, fseq, l->now,
	                   first, fthread, count, 1);
	l->hits[TRACE_LINT_NEVER_AWAITED].time_ns = ftime;
	return rc;
}

static int
lint_on_run_end(trace_lint *l, trace_log *log, const trace_event *ev,
                uint64_t seq)
{
	(void)seq;
	if (ev->a != 0)
		l->abnormal = 1;
	return lint_end(l, log);
}

static const lint_handler lint_handlers[TRACE_KIND_COUNT] = {
        [TRACE_FUTURE_CREATED] = lint_on_future_created,
        [TRACE_FUTURE_DROPPED] = lint_on_future_dropped,
        [TRACE_POLL_BEGIN] = lint_on_poll_begin,
        [TRACE_POLL_END] = lint_on_poll_end,
        [TRACE_WAKE] = lint_on_wake,
        [TRACE_THREAD_SPAWNED] = lint_on_thread_spawned,
        [TRACE_THREAD_BLOCKED] = lint_on_thread_blocked,
        [TRACE_OUTPUT] = lint_on_output,
        [TRACE_LINT] = lint_on_lint,
        [TRACE_PANIC] = lint_on_panic,
        [TRACE_RUN_END] = lint_on_run_end,
};

int
trace_lint_feed(trace_lint *l, trace_log *log, const trace_event *ev,
                uint64_t seq)
{
	if (l->finished || ev->kind >= TRACE_KIND_COUNT)
		return 0;
	l->seen = seq + 1;
	if (ev->time_ns > l->now)
		l->now = ev->time_ns;
	l->thread = ev->thread;
	lint_handler h = lint_handlers[ev->kind];
	if (h == NULL)
		return 0;
	return h(l, log, ev, seq);
}

int
trace_lint_finish(trace_lint *l, trace_log *log)
{
	return lint_end(l, log);
}

int
trace_lint_report(trace_lint *l, trace_log *log, trace_lint_id id,
                  uint32_t future, uint16_t thread, uint64_t ev_time_ns,
                  const char *detail)
{
	if ((unsigned)id >= TRACE_LINT_COUNT)
		return 0;
	if (id == TRACE_LINT_LOST_WAKEUP)
		l->abnormal = 1;
	if (!lint_wants(l, id))
		return 0;
	if (detail == NULL || *detail == '\0')
		detail = lint_table[id].explanation;
	snprintf(l->details[id], LINT_DETAIL_MAX, "%s", detail);
	uint64_t seq = log != NULL ? trace_log_count(log) : l->seen;
	return lint_fire(l, log, id, seq, ev_time_ns, future, thread, 1, 1) != 0
	               ? -1
	               : 1;
}

size_t
trace_lint_fired_count(const trace_lint *l)
{
	return l->nfired;
}

const trace_lint_hit *
trace_lint_fired(const trace_lint *l, size_t i)
{
	return i < l->nfired ? &l->hits[l->order[i]] : NULL;
}

const trace_lint_hit *
trace_lint_hit_of(const trace_lint *l, trace_lint_id id)
{
	if ((unsigned)id >= TRACE_LINT_COUNT || !l->fired[id])
		return NULL;
	return &l->hits[id];
}

size_t
trace_lint_fired_names(const trace_lint *l, char *buf, size_t size)
{
	size_t len = 0;
	if (size > 0)
		buf[0] = '\0';
	for (size_t i = 0; i < l->nfired; i++) {
		const char *name = lint_table[l->order[i]].name;
		const char *sep = i ? "," : "";
		size_t n = strlen(sep) + strlen(name);
		if (len < size)
			snprintf(buf + len, size - len, "%s%s", sep, name);
		len += n;
	}
	return len;
}

size_t
trace_lint_bytes(const trace_lint *l)
{
	size_t n = sizeof *l + l->fut_cap +
	           l->created_cap * sizeof *l->created_at +
	           l->thread_names_cap * sizeof *l->thread_names +
	           l->stacks_cap * sizeof *l->stacks +
	           l->streak_cap * sizeof *l->streak;
	for (size_t i = 0; i < l->stacks_cap; i++)
		n += (size_t)l->stacks[i].cap * sizeof(lint_frame);
	return n;
}
