#include "config.h"

#include "trace/trace_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A first version with the whole interface; the indexes come next. */
struct trace_view {
	const trace_log *log;
	const lang_program *prog;
	size_t n;
	size_t cursor;
};

static size_t
view_empty(char *buf, size_t size)
{
	if (size > 0)
		buf[0] = 0;
	return 0;
}

trace_view *
trace_view_new(const trace_log *log, const lang_program *prog)
{
	if (log == NULL || trace_log_mode(log) != TRACE_FULL)
		return NULL;
	trace_view *v = calloc(1, sizeof *v);
	if (v == NULL)
		return NULL;
	v->log = log;
	v->prog = prog;
	v->n = trace_log_stored(log);
	return v;
}

void
trace_view_free(trace_view *v)
{
	free(v);
}

size_t
trace_view_bytes(const trace_view *v)
{
	return sizeof *v;
}

const trace_log *
trace_view_log(const trace_view *v)
{
	return v->log;
}

static const char *const view_step_names[TRACE_VIEW_STEP_COUNT] = {
	"event", "poll", "instant"};

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

uint64_t
trace_view_now(const trace_view *v)
{
	return v->cursor ? trace_log_at(v->log, v->cursor - 1)->time_ns : 0;
}

uint64_t
trace_view_end_time(const trace_view *v)
{
	return v->n ? trace_log_at(v->log, v->n - 1)->time_ns : 0;
}

void
trace_view_seek(trace_view *v, size_t c)
{
	v->cursor = c > v->n ? v->n : c;
}

size_t
trace_view_seek_time(trace_view *v, uint64_t ns)
{
	(void)ns;
	return v->cursor;
}

int
trace_view_next(trace_view *v, trace_view_step step)
{
	(void)step;
	if (v->cursor >= v->n)
		return 0;
	v->cursor++;
	return 1;
}

int
trace_view_prev(trace_view *v, trace_view_step step)
{
	(void)step;
	if (v->cursor == 0)
		return 0;
	v->cursor--;
	return 1;
}

void
trace_view_first(trace_view *v)
{
	v->cursor = 0;
}

void
trace_view_last(trace_view *v)
{
	v->cursor = v->n;
}

void
trace_view_tick(const trace_view *v, trace_view_step step, uint64_t *i,
                uint64_t *m)
{
	(void)step;
	*i = v->cursor;
	*m = v->n;
}

static const char *const view_fstate_names[TRACE_VIEW_F_COUNT] = {
	"not yet", "created", "polling", "pending",
	"woken",   "ready",   "dropped"};

const char *
trace_view_fstate_name(trace_view_fstate state)
{
	return (unsigned)state < TRACE_VIEW_F_COUNT ? view_fstate_names[state]
	                                             : "?";
}

uint32_t
trace_view_futures(const trace_view *v)
{
	(void)v;
	return 0;
}

uint32_t
trace_view_futures_created(const trace_view *v)
{
	(void)v;
	return 0;
}

size_t
trace_view_rows(const trace_view *v)
{
	(void)v;
	return 0;
}

size_t
trace_view_window(const trace_view *v, size_t first, size_t count,
                  trace_view_row *rows)
{
	(void)v, (void)first, (void)count, (void)rows;
	return 0;
}

size_t
trace_view_row_of(const trace_view *v, uint32_t future)
{
	(void)v, (void)future;
	return SIZE_MAX;
}

int
trace_view_future(const trace_view *v, uint32_t future, trace_view_row *row)
{
	(void)v, (void)future;
	memset(row, 0, sizeof *row);
	return -1;
}

int
trace_view_fold(trace_view *v, uint32_t future, int folded)
{
	(void)v, (void)future, (void)folded;
	return -1;
}

int
trace_view_is_folded(const trace_view *v, uint32_t future)
{
	(void)v, (void)future;
	return 0;
}

void
trace_view_unfold_all(trace_view *v)
{
	(void)v;
}

void
trace_view_counts(const trace_view *v, uint64_t counts[TRACE_VIEW_F_COUNT])
{
	(void)v;
	memset(counts, 0, TRACE_VIEW_F_COUNT * sizeof counts[0]);
}

int
trace_view_strip(const trace_view *v, uint32_t future, uint64_t t0,
                 uint64_t t1, trace_view_cell *cells, size_t w)
{
	(void)v, (void)future, (void)t0, (void)t1;
	memset(cells, 0, w * sizeof *cells);
	return -1;
}

uint32_t
trace_view_density(const trace_view *v, uint64_t t0, uint64_t t1,
                   uint32_t *polls, size_t w)
{
	(void)v, (void)t0, (void)t1;
	memset(polls, 0, w * sizeof *polls);
	return 0;
}

uint32_t
trace_view_threads(const trace_view *v)
{
	(void)v;
	return 0;
}

int
trace_view_thread(const trace_view *v, uint32_t thread,
                  trace_view_thread_row *out)
{
	(void)v, (void)thread;
	memset(out, 0, sizeof *out);
	return -1;
}

int
trace_view_source_pos(const trace_view *v, uint32_t thread,
                      trace_view_pos *out)
{
	(void)v, (void)thread;
	memset(out, 0, sizeof *out);
	return -1;
}

uint32_t
trace_view_source_lines(const trace_view *v)
{
	(void)v;
	return 0;
}

const char *
trace_view_source_line(const trace_view *v, uint32_t n, size_t *len)
{
	(void)v, (void)n, (void)len;
	return NULL;
}

int
trace_view_is_await_line(const trace_view *v, uint32_t n)
{
	(void)v, (void)n;
	return 0;
}

size_t
trace_view_run_queue(const trace_view *v, trace_view_queued *out, size_t n)
{
	(void)v, (void)out, (void)n;
	return 0;
}

size_t
trace_view_timers(const trace_view *v, trace_view_timer *out, size_t n)
{
	(void)v, (void)out, (void)n;
	return 0;
}

int
trace_view_last_wake(const trace_view *v, trace_view_wake *out)
{
	(void)v;
	memset(out, 0, sizeof *out);
	return -1;
}

size_t
trace_view_output_lines(const trace_view *v)
{
	(void)v;
	return 0;
}

int
trace_view_output_partial(const trace_view *v)
{
	(void)v;
	return 0;
}

size_t
trace_view_output_line(const trace_view *v, size_t i, char *buf,
                       size_t size, int *stream)
{
	(void)v, (void)i;
	if (stream)
		*stream = 1;
	return view_empty(buf, size);
}

size_t
trace_view_narrate(const trace_view *v, char *buf, size_t size)
{
	(void)v;
	return view_empty(buf, size);
}

size_t
trace_view_narrate_event(const trace_view *v, size_t event, char *buf,
                         size_t size)
{
	(void)v, (void)event;
	return view_empty(buf, size);
}

size_t
trace_view_lints(const trace_view *v)
{
	(void)v;
	return 0;
}

int
trace_view_lint(const trace_view *v, size_t i, trace_view_lint_row *out)
{
	(void)v, (void)i;
	memset(out, 0, sizeof *out);
	return -1;
}

int
trace_view_sm(const trace_view *v, uint32_t future, trace_view_machine *out)
{
	(void)v, (void)future;
	memset(out, 0, sizeof *out);
	return -1;
}

int
trace_view_sm_state(const trace_view *v, const trace_view_machine *sm, uint32_t i,
                    trace_view_machine_state *out)
{
	(void)v, (void)sm, (void)i;
	memset(out, 0, sizeof *out);
	return -1;
}

int
trace_view_sm_local(const trace_view *v, const trace_view_machine *sm, uint32_t i,
                    trace_view_local *out)
{
	(void)v, (void)sm, (void)i;
	memset(out, 0, sizeof *out);
	return -1;
}

size_t
trace_view_future_name(const trace_view *v, uint32_t future, char *buf,
                       size_t size)
{
	(void)v;
	return (size_t)snprintf(buf, size, "future #%u", (unsigned)future);
}

size_t
trace_view_thread_name(const trace_view *v, uint32_t thread, char *buf,
                       size_t size)
{
	(void)v;
	return (size_t)snprintf(buf, size, "thread %u", (unsigned)thread);
}

size_t
trace_view_fmt_time(uint64_t ns, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%.3f s", (double)ns / 1e9);
}

size_t
trace_view_fmt_duration(uint64_t ns, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%llu ns", (unsigned long long)ns);
}
