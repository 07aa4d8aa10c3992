#include "config.h"

#include "sim/sim_vm.h"
#include "trace/trace_lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Events and messages                                                  */
/* ------------------------------------------------------------------ */

void
sim_emit(sim_exec *ex, const sim_thread *th, trace_kind kind, uint32_t fut,
         uint32_t a, uint32_t b, uint8_t flags)
{
	trace_event ev;
	uint64_t t = th ? th->time : ex->now;
	/* Threads run in slices, so a thread may be up to one instruction
	 * behind the latest event; the log keeps times non-decreasing. */
	if (t < ex->last_event_time)
		t = ex->last_event_time;
	ex->last_event_time = t;
	if (t > ex->now)
		ex->now = t;
	ev.time_ns = t;
	ev.future = fut;
	ev.a = a;
	ev.b = b;
	ev.thread = (uint16_t)(th ? th->id : 0);
	ev.kind = (uint8_t)kind;
	ev.flags = flags;
	if (trace_log_emit(ex->log, &ev) < 0 && !ex->finished)
		sim_stop(ex, 1, "--max-memory",
		         "the trace ran out of memory; try --output-only");
	/* The stored trace grows with every event a view will show: a loop
	 * that prints without end would fill the machine's memory before
	 * the instruction budget stops it. The memory budget bounds it too
	 * (checked every 4096 events, a fraction of a MiB apart). */
	if ((++ex->emitted & 4095) == 0 && !ex->finished &&
	    trace_log_bytes(ex->log) > ex->opt.max_memory_bytes)
		sim_stop(ex, 1, "--max-memory",
		         "the trace of the run used more than %llu MiB of "
		         "memory (--output-only keeps no trace)",
		         (unsigned long long)(ex->opt.max_memory_bytes >> 20));
}

uint32_t
sim_intern(sim_exec *ex, const char *s, size_t len)
{
	if (!ex->full)
		return 0;
	return trace_log_intern(ex->log, s, len);
}

static char *
vformat(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* Where the program waits when no thread is running Rust code (the
 * executor parked on a timer that never comes): the `.await` the main
 * future is suspended at, or {0, 0}. */
static lang_pos
sim_waiting_pos(const sim_exec *ex)
{
	if (ex->ntasks == 0 || ex->tasks[0].root.tag != SIM_FUTURE)
		return (lang_pos){0, 0};
	const sim_future *f = (const sim_future *)ex->tasks[0].root.as.o;
	if (f->h.aux != TRACE_FT_ASYNC_FN && f->h.aux != TRACE_FT_ASYNC_BLOCK)
		return (lang_pos){0, 0};
	const sim_frame *fr = f->u.frame;
	if (!fr || fr->ip >= fr->fn->ncode)
		return (lang_pos){0, 0};
	return fr->fn->pos_of[fr->ip];
}

sim_step
sim_stop(sim_exec *ex, int status, const char *hint, const char *fmt, ...)
{
	if (ex->finished)
		return SIM_STEP_STOP;
	va_list ap;
	va_start(ap, fmt);
	ex->message = vformat(fmt, ap);
	va_end(ap);
	if (sim_value_too_deep) {
		/* A walk through a value nested too deep gave up (and may
		 * have looked like memory running out): say what it was. */
		lang_pos pos = ex->running ? sim_current_pos(ex->running)
		                           : (lang_pos){0, 0};
		char msg[256];
		snprintf(msg, sizeof msg,
		         "%s:%u:%u: this value is nested more than %d deep, more "
		         "than the simulator follows to print, compare or clone "
		         "it",
		         ex->opt.file_name ? ex->opt.file_name : "", pos.line,
		         pos.col, SIM_VALUE_NEST_MAX);
		free(ex->message);
		ex->message = strdup(msg);
		hint = "the real program would most likely overflow its stack "
		       "here too";
		status = 1;
	} else if (sim_value_over && hint && strcmp(hint, "--max-memory") == 0) {
		/* Memory "ran out" because the budget refused it: say so. */
		char msg[80];
		snprintf(msg, sizeof msg,
		         "the program used more than %llu MiB of memory",
		         (unsigned long long)(ex->opt.max_memory_bytes >> 20));
		free(ex->message);
		ex->message = strdup(msg);
	}
	ex->hint = hint ? strdup(hint) : NULL;
	/* A budget points at the line the program was running, so that an
	 * endless loop or recursion can be found. */
	if (status == 1 && hint && strncmp(hint, "--max-", 6) == 0 &&
	    ex->running && !ex->stop_pos.line)
		ex->stop_pos = sim_current_pos(ex->running);
	if (status == 1 && hint && strncmp(hint, "--max-", 6) == 0 &&
	    !ex->stop_pos.line)
		ex->stop_pos = sim_waiting_pos(ex);
	ex->finished = 1;
	ex->exit_status = status;
	return SIM_STEP_STOP;
}

sim_step
sim_type_error(sim_exec *ex, sim_thread *th, const char *fmt, ...)
{
	if (ex->finished)
		return SIM_STEP_STOP;
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	lang_pos pos = th ? sim_current_pos(th) : (lang_pos){0, 0};
	sim_stop(ex, 3,
	         "a Rust compiler would reject this program; the simulator "
	         "found it while running",
	         "%s:%u:%u: %s", ex->opt.file_name ? ex->opt.file_name : "",
	         pos.line, pos.col, msg ? msg : "type error");
	free(msg);
	return SIM_STEP_STOP;
}

sim_step
sim_duration_check(sim_exec *ex, sim_thread *th, sim_value v)
{
	if (!sim_is_duration_forever(v))
		return SIM_STEP_OK;
	lang_pos pos = th ? sim_current_pos(th) : (lang_pos){0, 0};
	return sim_stop(ex, 1,
	                "the simulator's clock counts nanoseconds in 64 bits; "
	                "sleeping on such a Duration works (it never ends)",
	                "%s:%u:%u: this Duration is over 584 years long, more "
	                "than the simulator can compute with",
	                ex->opt.file_name ? ex->opt.file_name : "", pos.line,
	                pos.col);
}

lang_pos
sim_current_pos(const sim_thread *th)
{
	for (uint32_t i = th->nacts; i-- > 0;) {
		const sim_frame *f = th->acts[i].frame;
		if (f && f->ip < f->fn->ncode)
			return f->fn->pos_of[f->ip];
	}
	return (lang_pos){0, 0};
}

void
sim_write_output(sim_exec *ex, sim_thread *th, int stream, const char *s,
                 size_t len)
{
	if (ex->opt.on_output)
		ex->opt.on_output(ex->opt.output_ctx, stream, s, len);
	sim_emit(ex, th, TRACE_OUTPUT, 0, sim_intern(ex, s, len), 0,
	         (uint8_t)stream);
	th->time += SIM_COST_PRINT;
}

/* ------------------------------------------------------------------ */
/* Threads and the scheduler                                           */
/* ------------------------------------------------------------------ */

static uint64_t
thread_key(const sim_thread *th)
{
	return th->state == SIM_T_SLEEPING ? th->wake_at : th->time;
}

static int
heap_less(sim_exec *ex, uint32_t a, uint32_t b)
{
	uint64_t ka = thread_key(ex->threads[a]), kb = thread_key(ex->threads[b]);
	return ka < kb || (ka == kb && a < b);
}

static void
heap_swap(sim_exec *ex, uint32_t i, uint32_t j)
{
	uint32_t t = ex->heap[i];
	ex->heap[i] = ex->heap[j];
	ex->heap[j] = t;
	ex->threads[ex->heap[i]]->heap_pos = i;
	ex->threads[ex->heap[j]]->heap_pos = j;
}

static void
heap_push(sim_exec *ex, sim_thread *th)
{
	uint32_t i = ex->heap_len++;
	ex->heap[i] = th->id;
	th->heap_pos = i;
	th->in_heap = 1;
	/* A thread that becomes runnable while another runs (spawned, or
	 * woken by an exit) ends the running thread's slice at its time. */
	if (thread_key(th) < ex->switch_at)
		ex->switch_at = thread_key(th);
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!heap_less(ex, ex->heap[i], ex->heap[p]))
			break;
		heap_swap(ex, i, p);
		i = p;
	}
}

static sim_thread *
heap_pop(sim_exec *ex)
{
	if (!ex->heap_len)
		return NULL;
	sim_thread *top = ex->threads[ex->heap[0]];
	ex->heap_len--;
	if (ex->heap_len) {
		ex->heap[0] = ex->heap[ex->heap_len];
		ex->threads[ex->heap[0]]->heap_pos = 0;
		uint32_t i = 0;
		for (;;) {
			uint32_t l = 2 * i + 1, r = l + 1, m = i;
			if (l < ex->heap_len && heap_less(ex, ex->heap[l], ex->heap[m]))
				m = l;
			if (r < ex->heap_len && heap_less(ex, ex->heap[r], ex->heap[m]))
				m = r;
			if (m == i)
				break;
			heap_swap(ex, i, m);
			i = m;
		}
	}
	top->in_heap = 0;
	return top;
}

/* Each live thread reserves stack address space: what makes thousands of
 * threads expensive. */
static void
account_stack(sim_exec *ex, int64_t mib)
{
	ex->stack_bytes += mib * 1048576;
	if ((uint64_t)ex->stack_bytes > ex->stats.peak_stack_bytes)
		ex->stats.peak_stack_bytes = (uint64_t)ex->stack_bytes;
}

static sim_thread *
thread_new(sim_exec *ex, const char *rust_name)
{
	if (ex->nthreads == ex->threads_cap) {
		uint32_t cap = ex->threads_cap ? ex->threads_cap * 2 : 16;
		sim_thread **t = realloc(ex->threads, cap * sizeof *t);
		uint32_t *h = realloc(ex->heap, cap * sizeof *h);
		if (t)
			ex->threads = t;
		if (h)
			ex->heap = h;
		if (!t || !h)
			return NULL;
		ex->threads_cap = cap;
	}
	sim_thread *th = calloc(1, sizeof *th);
	if (!th)
		return NULL;
	th->id = ex->nthreads;
	th->name = strdup(rust_name);
	th->last_line = 0;
	ex->threads[ex->nthreads++] = th;
	ex->live_threads++;
	ex->stats.threads++;
	return th;
}

static int
push_act(sim_exec *ex, sim_thread *th, sim_act act)
{
	uint32_t depth = ex->opt.max_call_depth;
	if (th->nacts >= depth) {
		/* The caller has moved past its call already: point at the
		 * call, the instruction before. */
		const sim_frame *top = th->acts[th->nacts - 1].frame;
		if (top && top->ip > 0 && top->ip <= top->fn->ncode)
			ex->stop_pos = top->fn->pos_of[top->ip - 1];
		sim_stop(ex, 1, "--max-depth",
		         "thread '%s' went deeper than %u nested calls and polls "
		         "(the real program would overflow its stack)",
		         th->name, depth);
		return -1;
	}
	if (th->nacts == th->cap) {
		uint32_t cap = th->cap ? th->cap * 2 : 8;
		sim_act *a = realloc(th->acts, cap * sizeof *a);
		if (!a) {
			sim_stop(ex, 1, "--max-memory",
			         "the simulator ran out of memory");
			return -1;
		}
		th->acts = a;
		th->cap = cap;
	}
	th->acts[th->nacts++] = act;
	return 0;
}

static sim_frame *
frame_new(sim_exec *ex, const lang_func *fn)
{
	size_t n = (size_t)fn->nslots + fn->max_stack;
	size_t size = sizeof(sim_frame) + n * sizeof(sim_value);
	sim_frame *f = sim_mem_alloc(size);
	if (!f)
		return NULL;
	f->fn = fn;
	sim_value_bytes += size;
	return f;
}

static void
frame_free(sim_frame *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->fn->nslots; i++)
		sim_value_unref(f->slots[i]);
	for (uint32_t i = 0; i < f->sp; i++)
		sim_value_unref(sim_frame_stack(f)[i]);
	size_t size = sizeof(sim_frame) +
	              ((size_t)f->fn->nslots + f->fn->max_stack) * sizeof(sim_value);
	sim_value_bytes -= size < sim_value_bytes ? size : sim_value_bytes;
	sim_mem_free(f, size);
}

/* Untyped integer arguments take the parameter's type, as rustc infers. */
static sim_value
coerce(sim_value v, uint8_t itype)
{
	if (v.tag == SIM_INT && v.itype == LANG_IT_INFER &&
	    lang_itype_is_int(itype) && itype != LANG_IT_INFER)
		v.itype = itype;
	else if (v.tag == SIM_INT && v.itype == LANG_IT_INFER &&
	         (itype == LANG_IT_F64 || itype == LANG_IT_F32))
		v = sim_float((double)v.as.i);
	return v;
}

static sim_step
call_frame(sim_exec *ex, sim_thread *th, uint32_t func, const sim_value *caps,
           uint32_t ncaps, sim_value *args, uint32_t nargs)
{
	const lang_func *fn = &ex->prog->funcs[func];
	if (nargs != fn->nparams) {
		for (uint32_t i = 0; i < nargs; i++)
			sim_value_unref(args[i]);
		return sim_type_error(ex, th,
		                      "`%s` takes %u argument%s but %u %s given",
		                      fn->name, fn->nparams,
		                      fn->nparams == 1 ? "" : "s", nargs,
		                      nargs == 1 ? "was" : "were");
	}
	sim_frame *f = frame_new(ex, fn);
	if (!f)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	for (uint32_t i = 0; i < nargs; i++)
		f->slots[i] = coerce(args[i], fn->param_itype[i]);
	for (uint32_t i = 0; i < ncaps; i++) {
		sim_value_ref(caps[i]);
		f->slots[fn->capture_slot[i]] = caps[i];
	}
	sim_act act = {0};
	act.kind = SIM_ACT_CALL;
	act.frame = f;
	if (push_act(ex, th, act) < 0) {
		frame_free(f);
		return SIM_STEP_STOP;
	}
	return SIM_STEP_SWITCH;
}

/* Calls a closure or fn value with arguments (taking their references). */
static sim_step
call_value(sim_exec *ex, sim_thread *th, sim_value callee, sim_value *args,
           uint32_t nargs)
{
	if (callee.tag == SIM_FUNC)
		return call_frame(ex, th, (uint32_t)callee.as.u, NULL, 0, args,
		                  nargs);
	if (callee.tag == SIM_CLOSURE) {
		sim_closure *c = (sim_closure *)callee.as.o;
		return call_frame(ex, th, c->func, c->captures, c->ncaptures,
		                  args, nargs);
	}
	for (uint32_t i = 0; i < nargs; i++)
		sim_value_unref(args[i]);
	return sim_type_error(ex, th, "expected a function or closure, found `%s`",
	                      sim_value_type_name(callee));
}

static void thread_free_handle(sim_obj *o);

sim_step
sim_thread_spawn(sim_exec *ex, sim_thread *th, sim_value closure,
                 sim_value *out)
{
	if (closure.tag != SIM_CLOSURE && closure.tag != SIM_FUNC)
		return sim_type_error(ex, th,
		                      "thread::spawn needs a closure, found `%s`",
		                      sim_value_type_name(closure));
	uint64_t limit = ex->opt.profile ? ex->opt.profile->max_threads : UINT32_MAX;
	th->time += SIM_COST_SPAWN_THREAD;
	if (ex->live_threads >= limit) {
		sim_emit(ex, th, TRACE_THREAD_SPAWN_FAILED, 0, th->id,
		         sim_intern(ex, "Resource temporarily unavailable", 32),
		         0);
		return sim_panic(ex, th, sim_current_pos(th),
		                 "failed to spawn thread: Os { code: 11, kind: "
		                 "WouldBlock, message: \"Resource temporarily "
		                 "unavailable\" }");
	}
	if (ex->nthreads >= ex->opt.max_threads)
		return sim_stop(ex, 1, "--max-threads",
		                "the program spawned more than %llu threads",
		                (unsigned long long)ex->opt.max_threads);
	sim_thread *nt = thread_new(ex, "<unnamed>");
	if (!nt)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	nt->time = th->time;
	char name[32];
	int n = snprintf(name, sizeof name, "thread %u", nt->id);
	sim_emit(ex, nt, TRACE_THREAD_SPAWNED, 0, th->id,
	         sim_intern(ex, name, (size_t)n), SIM_STACK_SPAWNED_MIB);
	account_stack(ex, SIM_STACK_SPAWNED_MIB);
	/* The new thread's bottom activation is the closure's frame. */
	sim_step s = call_value(ex, nt, closure, NULL, 0);
	if (s == SIM_STEP_STOP)
		return s;
	heap_push(ex, nt);
	sim_thread_handle *h = sim_obj_alloc(SIM_THREAD, sizeof *h);
	if (!h)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	h->thread = nt->id;
	*out = sim_obj_value(SIM_THREAD, h);
	return SIM_STEP_OK;
}

static void
thread_free_handle(sim_obj *o)
{
	sim_mem_free(o, sizeof(sim_thread_handle));
}

static sim_future *
innermost_poll(const sim_thread *th)
{
	for (uint32_t i = th->nacts; i-- > 0;)
		if (th->acts[i].kind == SIM_ACT_POLL)
			return th->acts[i].fut;
	return NULL;
}

sim_step
sim_thread_sleep(sim_exec *ex, sim_thread *th, uint64_t ns)
{
	if (th->woke) {
		th->woke = 0;
		return SIM_STEP_OK;
	}
	if (ns == 0)
		return SIM_STEP_OK;
	sim_future *in = innermost_poll(th);
	th->state = SIM_T_SLEEPING;
	/* A sleep past the end of the clock never ends: the time budget
	 * stops the run first. */
	th->wake_at = ns > UINT64_MAX - th->time ? UINT64_MAX : th->time + ns;
	uint8_t flags = TRACE_BLOCK_SLEEP | (in ? TRACE_IN_POLL : 0);
	uint64_t w = th->wake_at;
	sim_emit(ex, th, TRACE_THREAD_BLOCKED, in ? in->id : 0, (uint32_t)w,
	         (uint32_t)(w >> 32), flags);
	return SIM_STEP_BLOCK;
}

static sim_value
result_ok(sim_value v)
{
	return sim_enum_new(SIM_OK, v);
}

sim_step
sim_thread_join(sim_exec *ex, sim_thread *th, uint32_t target, sim_value *out)
{
	sim_thread *t = ex->threads[target];
	if (t->state == SIM_T_EXITED) {
		th->woke = 0;
		if (t->panicked) {
			/* The payload of a panic is Box<dyn Any>; its Debug
			 * is `Any { .. }`. */
			sim_value s = sim_str_new("Any { .. }", 10);
			if (!sim_value_oom(s))
				s.as.o->flags = 1; /* shown raw by Debug */
			*out = sim_enum_new(SIM_ERR, s);
		} else {
			sim_value r = t->result;
			t->result = sim_unit();
			*out = result_ok(r);
		}
		return SIM_STEP_OK;
	}
	th->state = SIM_T_JOINING;
	th->join_target = target;
	uint32_t *link = &t->joiners;
	while (*link && *link - 1 < th->id)
		link = &ex->threads[*link - 1]->join_next;
	th->join_next = *link;
	*link = th->id + 1;
	sim_future *in = innermost_poll(th);
	sim_emit(ex, th, TRACE_THREAD_BLOCKED, in ? in->id : 0, target, 0,
	         TRACE_BLOCK_JOIN | (in ? TRACE_IN_POLL : 0));
	return SIM_STEP_BLOCK;
}

static void
unwind_all(sim_thread *th)
{
	while (th->nacts) {
		sim_act *a = &th->acts[--th->nacts];
		if (a->kind == SIM_ACT_CALL)
			frame_free(a->frame);
		else if (a->kind == SIM_ACT_POLL && a->fut)
			a->fut->h.flags = SIM_F_PENDING;
	}
}

static void
thread_exit(sim_exec *ex, sim_thread *th)
{
	unwind_all(th);
	th->state = SIM_T_EXITED;
	ex->live_threads--;
	account_stack(ex, -(th->id == 0 ? SIM_STACK_MAIN_MIB
	                                 : SIM_STACK_SPAWNED_MIB));
	sim_emit(ex, th, TRACE_THREAD_EXITED, 0, 0, 0, th->panicked);
	if (th->id == 0) {
		ex->finished = 1;
		if (!ex->exit_status)
			ex->exit_status = th->panicked ? 101 : 0;
		return;
	}
	for (uint32_t j = th->joiners; j; ) {
		sim_thread *w = ex->threads[j - 1];
		j = w->join_next;
		w->join_next = 0;
		if (w->state == SIM_T_JOINING && w->join_target == th->id) {
			w->state = SIM_T_RUNNABLE;
			if (w->time < th->time)
				w->time = th->time;
			sim_emit(ex, w, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
			heap_push(ex, w);
		}
	}
	th->joiners = 0;
}

/* ------------------------------------------------------------------ */
/* Panics                                                              */
/* ------------------------------------------------------------------ */

static int panicked_once;

static void task_finish(sim_exec *ex, sim_thread *th, uint32_t task,
                        sim_value out, int panicked);

sim_step
sim_panic(sim_exec *ex, sim_thread *th, lang_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	sim_buf b = {0};
	/* Tokio's multi-threaded runtime polls spawned tasks on its worker
	 * threads, so their panics carry the workers' name. */
	const char *tname = th->name;
	if (ex->cur_task > 0 && th->id == 0 &&
	    ex->prog->runtime == LANG_RT_TOKIO)
		tname = "tokio-runtime-worker";
	sim_buf_printf(&b, "\nthread '%s' panicked at %s:%u:%u:\n%s\n",
	               tname, ex->opt.file_name ? ex->opt.file_name : "main.rs",
	               pos.line, pos.col, msg ? msg : "");
	/* Rust 1.95 starts a panic message with an empty line (and the OS
	 * thread id after the name, which we leave out: it changes every
	 * run). The note about backtraces comes with the first panic only. */
	if (!ex->notes_printed) {
		static const char note[] = "note: run with `RUST_BACKTRACE=1` "
		                           "environment variable to display a "
		                           "backtrace\n";
		sim_buf_put(&b, note, sizeof note - 1);
		ex->notes_printed = 1;
	}
	const char *text = b.s;
	size_t len = b.len;
	sim_write_output(ex, th, 2, text, len);
	sim_emit(ex, th, TRACE_PANIC, 0, sim_intern(ex, msg ? msg : "", msg ? strlen(msg) : 0),
	         pos.line, 0);
	free(msg);
	sim_buf_free(&b);
	(void)panicked_once;

	/* A panic inside a spawned task is caught by the runtime: the task
	 * ends and its JoinHandle reports the panic. */
	if (ex->cur_task > 0) {
		while (th->nacts && th->acts[th->nacts - 1].kind != SIM_ACT_EXEC) {
			sim_act *a = &th->acts[--th->nacts];
			if (a->kind == SIM_ACT_CALL)
				frame_free(a->frame);
			else if (a->fut)
				a->fut->h.flags = SIM_F_PENDING;
		}
		if (th->nacts) {
			uint32_t t = ex->cur_task;
			ex->cur_task = 0;
			task_finish(ex, th, t, sim_unit(), 1);
			th->acts[th->nacts - 1].phase = 2; /* back to the run queue */
			th->acts[th->nacts - 1].counter++;
			th->have_result = 0;
			return SIM_STEP_SWITCH;
		}
	}
	th->panicked = 1;
	thread_exit(ex, th);
	return SIM_STEP_STOP;
}

/* ------------------------------------------------------------------ */
/* Futures                                                             */
/* ------------------------------------------------------------------ */

static void future_release(sim_obj *o);

/* The run in progress: futures are released from sim_value_unref, which
 * has no exec at hand, and a future has no room to spare for a pointer. */
static sim_exec *current_exec;

sim_future *
sim_future_new(sim_exec *ex, sim_thread *th, trace_future_type type,
               const char *name, size_t name_len)
{
	if (ex->live_futures >= ex->opt.max_live_futures) {
		sim_stop(ex, 1, "--max-futures",
		         "the program had more than %llu futures alive at once",
		         (unsigned long long)ex->opt.max_live_futures);
		return NULL;
	}
	if (ex->nfutures + 1 >= ex->futures_cap) {
		uint32_t cap = ex->futures_cap ? ex->futures_cap * 2 : 1024;
		sim_future **f = realloc(ex->futures, cap * sizeof *f);
		if (!f) {
			sim_stop(ex, 1, "--max-memory",
			         "the simulator ran out of memory");
			return NULL;
		}
		ex->futures = f;
		ex->futures_cap = cap;
	}
	sim_future *fut = sim_obj_alloc(SIM_FUTURE, sizeof *fut);
	if (!fut) {
		sim_stop(ex, 1, "--max-memory", "the simulator ran out of memory");
		return NULL;
	}
	fut->h.aux = (uint16_t)type;
	fut->h.flags = SIM_F_CREATED;
	fut->id = ++ex->nfutures;
	ex->futures[fut->id] = fut;
	ex->live_futures++;
	ex->stats.futures++;
	if (ex->live_futures > ex->stats.peak_live_futures)
		ex->stats.peak_live_futures = ex->live_futures;
	sim_future *creator = th ? innermost_poll(th) : NULL;
	if (th)
		th->time += SIM_COST_CREATE_FUTURE;
	sim_emit(ex, th, TRACE_FUTURE_CREATED, fut->id, creator ? creator->id : 0,
	         name ? sim_intern(ex, name, name_len) : 0, (uint8_t)type);
	return fut;
}

static void
joinall_free(sim_joinall *ja)
{
	for (uint32_t i = 0; i < ja->n; i++)
		sim_value_unref(ja->kids[i]);
	free(ja->kids);
	free(ja->done);
	free(ja->queue);
	free(ja->queued);
	free(ja->woken);
	free(ja);
}

static void
future_release_fields(sim_obj *o)
{
	sim_future *fut = (sim_future *)o;
	/* Dropping may drop children: they are released first (see
	 * sim_value_free_future_fields), so the parent's drop comes last in
	 * the trace, as Rust drops fields. */
	switch (fut->h.aux) {
	case TRACE_FT_ASYNC_FN:
	case TRACE_FT_ASYNC_BLOCK:
		frame_free(fut->u.frame);
		break;
	case TRACE_FT_JOIN_ALL:
		if (fut->u.ja)
			joinall_free(fut->u.ja);
		break;
	case TRACE_FT_JOIN:
		if (fut->u.jn) {
			for (uint32_t i = 0; i < 2 * fut->u.jn->n; i++)
				sim_value_unref(fut->u.jn->kids[i]);
			free(fut->u.jn);
		}
		break;
	default:
		break;
	}
}

static void
future_release(sim_obj *o)
{
	sim_future *fut = (sim_future *)o;
	sim_exec *ex = current_exec;
	if (!ex->finished || ex->full)
		sim_emit(ex, NULL, TRACE_FUTURE_DROPPED, fut->id, 0, 0,
		         fut->polls == 0);
	ex->futures[fut->id] = NULL;
	ex->live_futures--;
	sim_value_bytes -= sizeof *fut < sim_value_bytes ? sizeof *fut : 0;
	sim_mem_free(fut, sizeof *fut);
}

static sim_future *
future_of(sim_value v)
{
	return v.tag == SIM_FUTURE ? (sim_future *)v.as.o : NULL;
}

/* Names like foo(3) for views; only built when the trace keeps strings. */
static void
name_call(sim_buf *b, const lang_func *fn, const sim_value *args,
          uint32_t nargs)
{
	sim_buf_put(b, fn->name, strlen(fn->name));
	sim_buf_putc(b, '(');
	for (uint32_t i = 0; i < nargs && i < 3; i++) {
		if (i)
			sim_buf_put(b, ", ", 2);
		size_t before = b->len;
		sim_value_debug(b, args[i], NULL, 0);
		if (b->len - before > 16) {
			b->len = before + 13;
			sim_buf_put(b, "...", 3);
		}
	}
	if (nargs > 3)
		sim_buf_put(b, ", ...", 5);
	sim_buf_putc(b, ')');
}

sim_value
sim_async_call(sim_exec *ex, sim_thread *th, uint32_t func,
               const sim_value *args, uint32_t nargs, int is_block)
{
	const lang_func *fn = &ex->prog->funcs[func];
	sim_buf name = {0};
	if (ex->full) {
		if (is_block)
			sim_buf_printf(&name, "async block (line %u)", fn->pos.line);
		else
			name_call(&name, fn, args, nargs);
	}
	sim_future *fut = sim_future_new(
		ex, th, is_block ? TRACE_FT_ASYNC_BLOCK : TRACE_FT_ASYNC_FN,
		name.s, name.len);
	sim_buf_free(&name);
	if (!fut)
		return sim_oom_value();
	sim_frame *f = frame_new(ex, fn);
	if (!f) {
		sim_value v = sim_obj_value(SIM_FUTURE, fut);
		sim_value_unref(v);
		sim_stop(ex, 1, "--max-memory", "the simulator ran out of memory");
		return sim_oom_value();
	}
	for (uint32_t i = 0; i < nargs; i++) {
		sim_value_ref(args[i]);
		if (is_block)
			f->slots[fn->capture_slot[i]] = args[i];
		else
			f->slots[i] = coerce(args[i], fn->param_itype[i]);
	}
	fut->u.frame = f;
	return sim_obj_value(SIM_FUTURE, fut);
}

sim_value
sim_make_sleep(sim_exec *ex, sim_thread *th, uint64_t ns)
{
	sim_buf name = {0};
	if (ex->full) {
		if (ns == UINT64_MAX) {
			sim_buf_printf(&name, "sleep(over 584 years)");
		} else {
			sim_buf_put(&name, "sleep(", 6);
			sim_fmt_duration(&name, ns, -1);
			sim_buf_putc(&name, ')');
		}
	}
	sim_future *fut =
		sim_future_new(ex, th, TRACE_FT_SLEEP, name.s, name.len);
	sim_buf_free(&name);
	if (!fut)
		return sim_oom_value();
	/* Tokio fixes the deadline when sleep() is called, and its timer
	 * wheel fires on whole milliseconds since the runtime started,
	 * rounding the deadline up. */
	uint64_t deadline = ns > UINT64_MAX - th->time ? UINT64_MAX
	                                               : th->time + ns;
	uint64_t rel = deadline > ex->rt_start ? deadline - ex->rt_start : 0;
	uint64_t ms = rel / 1000000u + (rel % 1000000u != 0);
	/* A deadline past the end of the clock never fires. */
	fut->u.sleep.fire_at = ms > (UINT64_MAX - ex->rt_start) / 1000000u
	                               ? UINT64_MAX
	                               : ex->rt_start + ms * 1000000u;
	return sim_obj_value(SIM_FUTURE, fut);
}

sim_value
sim_make_yield(sim_exec *ex, sim_thread *th)
{
	sim_future *fut = sim_future_new(ex, th, TRACE_FT_OTHER, "yield_now()",
	                                 11);
	if (!fut)
		return sim_oom_value();
	return sim_obj_value(SIM_FUTURE, fut);
}

sim_value
sim_make_join_all(sim_exec *ex, sim_thread *th, sim_value vec)
{
	sim_vec *v = (sim_vec *)vec.as.o;
	for (uint32_t i = 0; i < v->len; i++)
		if (v->items[i].tag != SIM_FUTURE) {
			sim_type_error(ex, th,
			               "join_all needs futures, but this Vec holds "
			               "`%s`",
			               sim_value_type_name(v->items[i]));
			return sim_oom_value();
		}
	char name[32];
	int n = snprintf(name, sizeof name, "join_all[%u]", v->len);
	sim_future *fut = sim_future_new(ex, th, TRACE_FT_JOIN_ALL, name,
	                                 (size_t)n);
	if (!fut)
		return sim_oom_value();
	sim_joinall *ja = calloc(1, sizeof *ja);
	uint32_t cnt = v->len;
	if (ja) {
		ja->kids = calloc(cnt ? cnt : 1, sizeof *ja->kids);
		ja->done = calloc(cnt ? cnt : 1, 1);
	}
	if (!ja || !ja->kids || !ja->done) {
		if (ja)
			joinall_free(ja);
		fut->u.ja = NULL;
		sim_value_unref(sim_obj_value(SIM_FUTURE, fut));
		sim_stop(ex, 1, "--max-memory", "the simulator ran out of memory");
		return sim_oom_value();
	}
	ja->n = ja->remaining = cnt;
	for (uint32_t i = 0; i < cnt; i++) {
		sim_value_ref(v->items[i]);
		ja->kids[i] = v->items[i];
	}
	fut->u.ja = ja;
	if (cnt > SIM_JOIN_ALL_SMALL) {
		/* FuturesUnordered: every child starts in the ready queue. */
		ja->big = 1;
		ja->queue = malloc(cnt * sizeof *ja->queue);
		ja->queued = calloc(cnt, 1);
		ja->woken = calloc(cnt, 1);
		if (!ja->queue || !ja->queued || !ja->woken) {
			sim_value_unref(sim_obj_value(SIM_FUTURE, fut));
			sim_stop(ex, 1, "--max-memory",
			         "the simulator ran out of memory");
			return sim_oom_value();
		}
		for (uint32_t i = 0; i < cnt; i++) {
			ja->queue[i] = i;
			ja->queued[i] = 1;
		}
		ja->qlen = cnt;
		sim_value_bytes += cnt * (sizeof(sim_value) + 7);
	}
	return sim_obj_value(SIM_FUTURE, fut);
}

static sim_value
make_join(sim_exec *ex, sim_thread *th, sim_value *futs, uint32_t n)
{
	char name[32];
	int len = snprintf(name, sizeof name, "join!(%u)", n);
	sim_future *fut = sim_future_new(ex, th, TRACE_FT_JOIN, name, (size_t)len);
	if (!fut) {
		for (uint32_t i = 0; i < n; i++)
			sim_value_unref(futs[i]);
		return sim_oom_value();
	}
	sim_join *jn = calloc(1, sizeof *jn + 2 * n * sizeof(sim_value));
	if (!jn) {
		for (uint32_t i = 0; i < n; i++)
			sim_value_unref(futs[i]);
		sim_value_unref(sim_obj_value(SIM_FUTURE, fut));
		sim_stop(ex, 1, "--max-memory", "the simulator ran out of memory");
		return sim_oom_value();
	}
	jn->n = n;
	for (uint32_t i = 0; i < n; i++)
		jn->kids[i] = futs[i];
	fut->u.jn = jn;
	return sim_obj_value(SIM_FUTURE, fut);
}

/* ------------------------------------------------------------------ */
/* Wakers, tasks and timers                                            */
/* ------------------------------------------------------------------ */

static int
runq_push(sim_exec *ex, uint32_t task)
{
	if (ex->runq_len == ex->runq_cap) {
		uint32_t cap = ex->runq_cap ? ex->runq_cap * 2 : 64;
		uint32_t *q = malloc(cap * sizeof *q);
		if (!q)
			return -1;
		for (uint32_t i = 0; i < ex->runq_len; i++)
			q[i] = ex->runq[(ex->runq_head + i) % ex->runq_cap];
		free(ex->runq);
		ex->runq = q;
		ex->runq_head = 0;
		ex->runq_cap = cap;
	}
	ex->runq[(ex->runq_head + ex->runq_len++) % ex->runq_cap] = task;
	return 0;
}

static int
runq_pop(sim_exec *ex, uint32_t *task)
{
	if (!ex->runq_len)
		return 0;
	*task = ex->runq[ex->runq_head];
	ex->runq_head = (ex->runq_head + 1) % ex->runq_cap;
	ex->runq_len--;
	return 1;
}

static uint32_t
task_root_id(sim_exec *ex, uint32_t task)
{
	sim_future *f = future_of(ex->tasks[task].root);
	return f ? f->id : 0;
}

static void
wake(sim_exec *ex, sim_thread *th, sim_waker w, uint32_t by)
{
	while (w.task) {
		uint32_t task = w.task - 1;
		if (w.jf) {
			sim_future *jf = ex->futures[w.jf];
			if (!jf || jf->h.flags == SIM_F_DONE || !jf->u.ja)
				return;
			sim_joinall *ja = jf->u.ja;
			if (w.child >= ja->n)
				return;
			ja->woken[w.child] = 1;
			if (ja->queued[w.child])
				return;
			sim_future *kid = ja->done[w.child]
			                          ? NULL
			                          : future_of(ja->kids[w.child]);
			sim_emit(ex, th, TRACE_WAKE, kid ? kid->id : 0, by, task,
			         TRACE_WAKE_CHILD);
			ja->queued[w.child] = 1;
			ja->queue[(ja->qhead + ja->qlen++) % ja->n] = w.child;
			/* AtomicWaker::wake takes the registered waker out. */
			if (!ja->has_parent)
				return;
			ja->has_parent = 0;
			w = ja->parent;
			continue;
		}
		if (task >= ex->ntasks)
			return;
		sim_task *t = &ex->tasks[task];
		sim_emit(ex, th, TRACE_WAKE, task_root_id(ex, task), by, task,
		         TRACE_WAKE_TASK);
		if (t->done)
			return;
		if (task == 0) {
			ex->root_woken = 1;
			return;
		}
		if (t->running) {
			t->notified = 1;
			return;
		}
		if (!t->queued) {
			t->queued = 1;
			if (runq_push(ex, task) < 0)
				sim_stop(ex, 1, "--max-memory",
				         "the simulator ran out of memory");
		}
		return;
	}
}

static void
timer_swap(sim_exec *ex, uint32_t i, uint32_t j)
{
	sim_timer t = ex->timers[i];
	ex->timers[i] = ex->timers[j];
	ex->timers[j] = t;
}

static int
timer_less(const sim_timer *a, const sim_timer *b)
{
	return a->fire_at < b->fire_at ||
	       (a->fire_at == b->fire_at && a->seq < b->seq);
}

static int
timer_push(sim_exec *ex, uint64_t fire_at, uint32_t seq, uint32_t future)
{
	if (ex->ntimers == ex->timers_cap) {
		uint32_t cap = ex->timers_cap ? ex->timers_cap * 2 : 64;
		sim_timer *t = realloc(ex->timers, cap * sizeof *t);
		if (!t)
			return -1;
		ex->timers = t;
		ex->timers_cap = cap;
	}
	uint32_t i = ex->ntimers++;
	ex->timers[i] = (sim_timer){fire_at, seq, future};
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!timer_less(&ex->timers[i], &ex->timers[p]))
			break;
		timer_swap(ex, i, p);
		i = p;
	}
	return 0;
}

static void
timer_pop(sim_exec *ex)
{
	ex->timers[0] = ex->timers[--ex->ntimers];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < ex->ntimers && timer_less(&ex->timers[l], &ex->timers[m]))
			m = l;
		if (r < ex->ntimers && timer_less(&ex->timers[r], &ex->timers[m]))
			m = r;
		if (m == i)
			break;
		timer_swap(ex, i, m);
		i = m;
	}
}

/* The earliest timer still armed, dropping stale entries (their sleep was
 * dropped or re-armed). NULL if there is none. */
static sim_timer *
timer_peek(sim_exec *ex)
{
	while (ex->ntimers) {
		sim_timer *t = &ex->timers[0];
		sim_future *f = ex->futures[t->future];
		if (f && f->h.aux == TRACE_FT_SLEEP && f->u.sleep.armed &&
		    f->u.sleep.timer_seq == t->seq)
			return t;
		timer_pop(ex);
	}
	return NULL;
}

/* The time driver: fire every timer whose time has come, in deadline then
 * registration order. */
static void
process_timers(sim_exec *ex, sim_thread *th)
{
	sim_timer *t;
	while ((t = timer_peek(ex)) && t->fire_at <= th->time) {
		sim_future *f = ex->futures[t->future];
		timer_pop(ex);
		f->u.sleep.armed = 0;
		f->u.sleep.fired = 1;
		sim_emit(ex, th, TRACE_TIMER_FIRED, f->id, 0, 0, 0);
		wake(ex, th, f->u.sleep.waker, 0);
	}
}

static void
task_finish(sim_exec *ex, sim_thread *th, uint32_t task, sim_value out,
            int panicked)
{
	sim_task *t = &ex->tasks[task];
	t->done = 1;
	t->running = 0;
	t->panicked = (uint8_t)panicked;
	t->output = out;
	uint32_t root = task_root_id(ex, task);
	sim_emit(ex, th, TRACE_TASK_DONE, root, task, 0, (uint8_t)panicked);
	sim_value r = t->root;
	t->root = sim_unit();
	sim_value_unref(r);
	if (t->has_join_waker) {
		t->has_join_waker = 0;
		wake(ex, th, t->join_waker, 0);
	}
}

static sim_task *
task_new(sim_exec *ex)
{
	if (ex->ntasks == ex->tasks_cap) {
		uint32_t cap = ex->tasks_cap ? ex->tasks_cap * 2 : 16;
		sim_task *t = realloc(ex->tasks, cap * sizeof *t);
		if (!t)
			return NULL;
		ex->tasks = t;
		ex->tasks_cap = cap;
	}
	sim_task *t = &ex->tasks[ex->ntasks];
	memset(t, 0, sizeof *t);
	t->id = ex->ntasks++;
	return t;
}

sim_step
sim_tokio_spawn(sim_exec *ex, sim_thread *th, sim_value fut, sim_value *out)
{
	sim_future *f = future_of(fut);
	if (!f)
		return sim_type_error(ex, th, "tokio::spawn needs a future, found `%s`",
		                      sim_value_type_name(fut));
	if (!sim_in_runtime(ex, th))
		return sim_panic(ex, th, sim_current_pos(th),
		                 "there is no reactor running, must be called "
		                 "from the context of a Tokio 1.x runtime");
	sim_task *t = task_new(ex);
	if (!t)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	sim_value_ref(fut);
	t->root = fut;
	ex->stats.tasks++;
	sim_future *cur = innermost_poll(th);
	(void)cur;
	uint32_t spawner = th->waker.task ? th->waker.task - 1 : 0;
	sim_emit(ex, th, TRACE_TASK_SPAWNED, f->id, t->id, spawner, 0);
	t->queued = 1;
	if (runq_push(ex, t->id) < 0)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	char name[32];
	int n = snprintf(name, sizeof name, "JoinHandle(task %u)", t->id);
	sim_future *h = sim_future_new(ex, th, TRACE_FT_JOIN_HANDLE, name,
	                               (size_t)n);
	if (!h)
		return SIM_STEP_STOP;
	h->u.handle.task = t->id;
	*out = sim_obj_value(SIM_FUTURE, h);
	return SIM_STEP_OK;
}

/* ------------------------------------------------------------------ */
/* Polling                                                             */
/* ------------------------------------------------------------------ */

static uint32_t
current_future_id(const sim_thread *th)
{
	const sim_future *f = innermost_poll(th);
	return f ? f->id : 0;
}

static sim_step
push_poll(sim_exec *ex, sim_thread *th, sim_future *fut)
{
	if (fut->h.flags == SIM_F_DONE) {
		if (fut->h.aux == TRACE_FT_ASYNC_FN ||
		    fut->h.aux == TRACE_FT_ASYNC_BLOCK)
			return sim_panic(ex, th, sim_current_pos(th),
			                 "`async fn` resumed after completion");
	}
	if (fut->h.flags == SIM_F_POLLING)
		return sim_type_error(ex, th, "a future was polled while it "
		                              "was already being polled");
	uint32_t poller = current_future_id(th);
	fut->polls++;
	ex->stats.polls++;
	th->time += SIM_COST_POLL;
	sim_emit(ex, th, TRACE_POLL_BEGIN, fut->id, poller,
	         th->waker.task ? th->waker.task - 1 : 0, 0);
	fut->h.flags = SIM_F_POLLING;
	sim_act act = {0};
	act.kind = SIM_ACT_POLL;
	act.fut = fut;
	act.saved_waker = th->waker;
	if (fut->h.aux == TRACE_FT_ASYNC_FN || fut->h.aux == TRACE_FT_ASYNC_BLOCK)
		act.frame = fut->u.frame;
	if (push_act(ex, th, act) < 0)
		return SIM_STEP_STOP;
	return SIM_STEP_SWITCH;
}

static void
emit_state(sim_exec *ex, sim_thread *th, sim_future *fut, uint32_t state)
{
	if (!ex->full)
		return;
	sim_emit(ex, th, TRACE_STATE, fut->id, state, 0, 0);
	if (state == 0 || state == UINT32_MAX || !fut->u.frame)
		return;
	const lang_func *fn = fut->u.frame->fn;
	if (state > fn->nawaits)
		return;
	const lang_await_point *ap = &fn->awaits[state - 1];
	sim_buf b = {0};
	for (uint32_t i = 0; i < ap->nlive; i++) {
		b.len = 0;
		sim_value_debug_short(&b, fut->u.frame->slots[ap->live[i].slot],
		                      SIM_LOCAL_SHOWN_MAX);
		sim_emit(ex, th, TRACE_LOCAL, fut->id,
		         sim_intern(ex, ap->live[i].name, strlen(ap->live[i].name)),
		         sim_intern(ex, b.s ? b.s : "", b.len), 0);
	}
	sim_buf_free(&b);
}

/* Ends the poll on top of the stack. */
static sim_step
finish_poll(sim_exec *ex, sim_thread *th, int ready, sim_value value,
            uint32_t await_index, uint32_t line)
{
	/* A future's output that could not be allocated (the memory budget)
	 * must not reach the program. */
	if (ready && sim_value_oom(value))
		return sim_stop(ex, 1, "--max-memory",
		                "the program ran out of memory");
	sim_act act = th->acts[--th->nacts];
	sim_future *fut = act.fut;
	th->waker = act.saved_waker;
	fut->h.flags = ready ? SIM_F_DONE : SIM_F_PENDING;
	/* The new state comes first, so that a view standing on POLL_END
	 * already shows where the future is suspended. */
	if (fut->h.aux == TRACE_FT_ASYNC_FN || fut->h.aux == TRACE_FT_ASYNC_BLOCK) {
		emit_state(ex, th, fut, ready ? UINT32_MAX : await_index);
		if (ready) {
			frame_free(fut->u.frame);
			fut->u.frame = NULL;
		}
	}
	sim_emit(ex, th, TRACE_POLL_END, fut->id, await_index, line,
	         ready ? TRACE_READY : TRACE_PENDING);
	th->have_result = 1;
	th->result_ready = (uint8_t)ready;
	th->poll_value = ready ? value : sim_unit();
	return SIM_STEP_SWITCH;
}

int
sim_in_runtime(const sim_exec *ex, const sim_thread *th)
{
	/* The runtime's context exists on the thread running block_on only:
	 * a std::thread spawned from async code has none. */
	return ex->in_runtime && th->id == 0;
}

static int
coop_exhausted(sim_exec *ex, sim_thread *th)
{
	return sim_in_runtime(ex, th) && th->budget == 0;
}

static void
coop_consume(sim_exec *ex, sim_thread *th)
{
	if (sim_in_runtime(ex, th) && th->budget > 0)
		th->budget--;
}

static sim_step
step_sleep(sim_exec *ex, sim_thread *th, sim_future *fut)
{
	if (coop_exhausted(ex, th)) {
		/* Tokio's cooperative budget ran out: yield, and ask to be
		 * polled again. */
		wake(ex, th, th->waker, fut->id);
		return finish_poll(ex, th, 0, sim_unit(), 0, 0);
	}
	if (fut->u.sleep.fired ||
	    (!fut->u.sleep.armed && th->time >= fut->u.sleep.fire_at)) {
		fut->u.sleep.fired = 1;
		fut->u.sleep.armed = 0;
		coop_consume(ex, th);
		return finish_poll(ex, th, 1, sim_unit(), 0, 0);
	}
	fut->u.sleep.waker = th->waker;
	sim_emit(ex, th, TRACE_WAKER_REGISTERED, fut->id,
	         th->waker.task ? th->waker.task - 1 : 0, th->waker.jf, 0);
	if (!fut->u.sleep.armed) {
		fut->u.sleep.armed = 1;
		fut->u.sleep.timer_seq = ++ex->timer_seq;
		if (timer_push(ex, fut->u.sleep.fire_at, fut->u.sleep.timer_seq,
		               fut->id) < 0)
			return sim_stop(ex, 1, "--max-memory",
			                "the simulator ran out of memory");
		uint64_t d = fut->u.sleep.fire_at;
		sim_emit(ex, th, TRACE_TIMER_ARMED, fut->id, (uint32_t)d,
		         (uint32_t)(d >> 32), 0);
	}
	return finish_poll(ex, th, 0, sim_unit(), 0, 0);
}

static sim_step
step_yield(sim_exec *ex, sim_thread *th, sim_future *fut)
{
	if (fut->u.yield.yielded)
		return finish_poll(ex, th, 1, sim_unit(), 0, 0);
	fut->u.yield.yielded = 1;
	wake(ex, th, th->waker, fut->id);
	return finish_poll(ex, th, 0, sim_unit(), 0, 0);
}

static sim_step
step_handle(sim_exec *ex, sim_thread *th, sim_future *fut)
{
	if (coop_exhausted(ex, th)) {
		wake(ex, th, th->waker, fut->id);
		return finish_poll(ex, th, 0, sim_unit(), 0, 0);
	}
	sim_task *t = &ex->tasks[fut->u.handle.task];
	if (t->done) {
		coop_consume(ex, th);
		sim_value out;
		if (t->panicked) {
			char msg[64];
			int n = snprintf(msg, sizeof msg,
			                 "JoinError::Panic(Id(%u), ...)", t->id);
			sim_value s = sim_str_new(msg, (size_t)n);
			if (!sim_value_oom(s))
				s.as.o->flags = 1;
			out = sim_enum_new(SIM_ERR, s);
		} else {
			out = result_ok(t->output);
			t->output = sim_unit();
		}
		return finish_poll(ex, th, 1, out, 0, 0);
	}
	t->join_waker = th->waker;
	t->has_join_waker = 1;
	sim_emit(ex, th, TRACE_WAKER_REGISTERED, fut->id,
	         th->waker.task ? th->waker.task - 1 : 0, th->waker.jf, 0);
	return finish_poll(ex, th, 0, sim_unit(), 0, 0);
}

static sim_value
joinall_output(sim_joinall *ja)
{
	sim_value out = sim_vec_new(ja->n);
	if (sim_value_oom(out))
		return out;
	sim_vec *v = (sim_vec *)out.as.o;
	for (uint32_t i = 0; i < ja->n; i++) {
		v->items[i] = ja->kids[i];
		ja->kids[i] = sim_unit();
	}
	v->len = ja->n;
	return out;
}

/* join_all with at most 30 children: poll every unfinished child, in
 * order, with the caller's waker (futures-util's JoinAll "Small"). */
static sim_step
step_join_all_small(sim_exec *ex, sim_thread *th, sim_act *act,
                    sim_future *fut)
{
	sim_joinall *ja = fut->u.ja;
	if (act->phase == 1) {
		uint32_t i = ja->cursor;
		th->have_result = 0;
		if (th->result_ready) {
			/* MaybeDone: the output takes the child's place. */
			sim_value kid = ja->kids[i];
			ja->kids[i] = th->poll_value;
			ja->done[i] = 1;
			sim_value_unref(kid);
			ja->remaining--;
		}
		ja->cursor++;
	} else {
		ja->cursor = 0;
	}
	while (ja->cursor < ja->n) {
		sim_future *kid = ja->done[ja->cursor]
		                          ? NULL
		                          : future_of(ja->kids[ja->cursor]);
		if (!kid) {
			ja->cursor++;
			continue;
		}
		act->phase = 1;
		return push_poll(ex, th, kid);
	}
	if (ja->remaining == 0)
		return finish_poll(ex, th, 1, joinall_output(ja), 0, 0);
	return finish_poll(ex, th, 0, sim_unit(), 0, 0);
}

/* join_all with more than 30 children: FuturesOrdered over
 * FuturesUnordered. Only woken children are polled, in wake order, each
 * with its own waker; the poll yields after two children woke themselves or
 * after `len` polls without a child finishing. */
static sim_step
step_join_all_big(sim_exec *ex, sim_thread *th, sim_act *act, sim_future *fut)
{
	sim_joinall *ja = fut->u.ja;
	if (act->phase == 1) {
		uint32_t i = ja->cursor;
		th->waker = act->saved_waker;
		th->have_result = 0;
		ja->polled++;
		if (th->result_ready) {
			sim_value kid = ja->kids[i];
			ja->kids[i] = th->poll_value;
			ja->done[i] = 1;
			sim_value_unref(kid);
			ja->remaining--;
			act->phase = 0; /* a new poll_next */
		} else {
			ja->yielded += ja->woken[i];
			if (ja->yielded >= 2 || ja->polled == ja->len) {
				wake(ex, th, act->saved_waker, fut->id);
				return finish_poll(ex, th, 0, sim_unit(), 0, 0);
			}
		}
	}
	if (act->phase == 0) {
		ja->has_parent = 1;
		ja->parent = act->saved_waker;
		ja->polled = 0;
		ja->yielded = 0;
		ja->len = ja->remaining;
	}
	if (ja->qlen == 0) {
		if (ja->remaining == 0)
			return finish_poll(ex, th, 1, joinall_output(ja), 0, 0);
		return finish_poll(ex, th, 0, sim_unit(), 0, 0);
	}
	uint32_t i = ja->queue[ja->qhead];
	ja->qhead = (ja->qhead + 1) % ja->n;
	ja->qlen--;
	ja->queued[i] = 0;
	ja->woken[i] = 0;
	ja->cursor = i;
	act->phase = 1;
	sim_future *kid = ja->done[i] ? NULL : future_of(ja->kids[i]);
	if (!kid) /* cannot happen: finished children are never queued */
		return finish_poll(ex, th, 0, sim_unit(), 0, 0);
	th->waker.jf = fut->id;
	th->waker.child = i;
	return push_poll(ex, th, kid);
}

/* tokio::join!: poll every unfinished branch, starting one further along
 * each time so that no branch starves the others. */
static sim_step
step_join(sim_exec *ex, sim_thread *th, sim_act *act, sim_future *fut)
{
	sim_join *jn = fut->u.jn;
	sim_value *outs = jn->kids + jn->n;
	if (act->phase == 0) {
		jn->skip = jn->skip_next;
		jn->skip_next = jn->skip + 1 == jn->n ? 0 : jn->skip + 1;
		jn->to_run = jn->n;
		jn->pending = 0;
		jn->cursor = 0;
	} else {
		uint32_t i = jn->cursor % jn->n;
		th->have_result = 0;
		if (th->result_ready) {
			outs[i] = th->poll_value;
			sim_value kid = jn->kids[i];
			jn->kids[i] = sim_unit();
			sim_value_unref(kid);
		} else {
			jn->pending = 1;
		}
		jn->cursor++;
	}
	for (;;) {
		uint32_t i = jn->cursor % jn->n;
		if (jn->skip == 0) {
			if (jn->to_run == 0)
				break;
			jn->to_run--;
			sim_future *kid = future_of(jn->kids[i]);
			if (kid) {
				act->phase = 1;
				return push_poll(ex, th, kid);
			}
		} else {
			jn->skip--;
		}
		jn->cursor++;
	}
	if (jn->pending)
		return finish_poll(ex, th, 0, sim_unit(), 0, 0);
	sim_value tup = sim_tuple_new(jn->n);
	if (sim_value_oom(tup))
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	sim_tuple *t = (sim_tuple *)tup.as.o;
	for (uint32_t i = 0; i < jn->n; i++) {
		t->items[i] = outs[i];
		outs[i] = sim_unit();
	}
	return finish_poll(ex, th, 1, tup, 0, 0);
}

static sim_step
step_native(sim_exec *ex, sim_thread *th, sim_act *act)
{
	sim_future *fut = act->fut;
	switch (fut->h.aux) {
	case TRACE_FT_SLEEP:
		return step_sleep(ex, th, fut);
	case TRACE_FT_JOIN_ALL:
		return fut->u.ja->big ? step_join_all_big(ex, th, act, fut)
		                      : step_join_all_small(ex, th, act, fut);
	case TRACE_FT_JOIN:
		return step_join(ex, th, act, fut);
	case TRACE_FT_JOIN_HANDLE:
		return step_handle(ex, th, fut);
	default:
		return step_yield(ex, th, fut);
	}
}

/* ------------------------------------------------------------------ */
/* The executor: Tokio's current-thread scheduler running block_on      */
/* ------------------------------------------------------------------ */

enum {
	EXEC_LOOP,
	EXEC_ROOT_DONE,
	EXEC_TASKS,
	EXEC_TASK_DONE,
	EXEC_PARK,
	EXEC_AFTER_PARK
};

static sim_step
exec_shutdown(sim_exec *ex, sim_thread *th, sim_value main_out)
{
	/* Dropping the runtime drops every task that has not finished. */
	ex->in_runtime = 0;
	for (uint32_t i = 1; i < ex->ntasks; i++) {
		sim_value r = ex->tasks[i].root;
		ex->tasks[i].root = sim_unit();
		ex->tasks[i].done = 1;
		sim_value_unref(r);
	}
	th->nacts--; /* the executor's activation */
	th->result = main_out;
	return SIM_STEP_SWITCH;
}

static sim_step
exec_step(sim_exec *ex, sim_thread *th, sim_act *act)
{
	for (;;) {
		switch (act->phase) {
		case EXEC_LOOP:
			if (ex->root_woken) {
				ex->root_woken = 0;
				th->budget = SIM_COOP_BUDGET;
				th->waker = (sim_waker){1, 0, 0};
				ex->cur_task = 0;
				act->phase = EXEC_ROOT_DONE;
				return push_poll(ex, th,
				                 future_of(ex->tasks[0].root));
			}
			act->counter = 0;
			act->phase = EXEC_TASKS;
			break;
		case EXEC_ROOT_DONE:
			th->have_result = 0;
			if (th->result_ready) {
				sim_value out = th->poll_value;
				sim_value root = ex->tasks[0].root;
				ex->tasks[0].root = sim_unit();
				ex->tasks[0].done = 1;
				sim_value_unref(root);
				return exec_shutdown(ex, th, out);
			}
			act->counter = 0;
			act->phase = EXEC_TASKS;
			break;
		case EXEC_TASKS: {
			if (act->counter >= SIM_EVENT_INTERVAL) {
				/* park_yield: let the driver fire due timers. */
				process_timers(ex, th);
				act->phase = EXEC_LOOP;
				break;
			}
			uint32_t t;
			if (!runq_pop(ex, &t)) {
				act->phase = EXEC_PARK;
				break;
			}
			sim_task *task = &ex->tasks[t];
			task->queued = 0;
			if (task->done)
				break;
			task->running = 1;
			th->budget = SIM_COOP_BUDGET;
			th->waker = (sim_waker){t + 1, 0, 0};
			ex->cur_task = t;
			act->phase = EXEC_TASK_DONE;
			return push_poll(ex, th, future_of(task->root));
		}
		case EXEC_TASK_DONE: {
			uint32_t t = ex->cur_task;
			sim_task *task = &ex->tasks[t];
			ex->cur_task = 0;
			th->have_result = 0;
			task->running = 0;
			act->counter++;
			if (th->result_ready) {
				task_finish(ex, th, t, th->poll_value, 0);
			} else if (task->notified) {
				task->notified = 0;
				task->queued = 1;
				if (runq_push(ex, t) < 0)
					return sim_stop(ex, 1, "--max-memory",
					                "the simulator ran out of "
					                "memory");
			}
			act->phase = EXEC_TASKS;
			break;
		}
		case EXEC_PARK: {
			if (ex->root_woken || ex->runq_len) {
				process_timers(ex, th);
				act->phase = EXEC_LOOP;
				break;
			}
			sim_timer *t = timer_peek(ex);
			if (!t) {
				/* Reported through the lint detectors, so that
				 * --allow lost-wakeup is respected. */
				struct trace_lint *lints = trace_log_lints(ex->log);
				if (lints)
					trace_lint_report(
						lints, ex->log, TRACE_LINT_LOST_WAKEUP,
						task_root_id(ex, 0), (uint16_t)th->id,
						th->time,
						"every future is Pending and no timer, "
						"task or thread can wake any of them");
				return sim_stop(
					ex, 1, NULL,
					"every future is waiting and nothing can "
					"wake any of them, so the program would "
					"sleep forever (a lost wakeup)");
			}
			if (t->fire_at > th->time) {
				th->state = SIM_T_SLEEPING;
				th->parked = 1;
				th->wake_at = t->fire_at;
				act->phase = EXEC_AFTER_PARK;
				sim_emit(ex, th, TRACE_THREAD_BLOCKED, 0,
				         (uint32_t)t->fire_at,
				         (uint32_t)(t->fire_at >> 32),
				         TRACE_BLOCK_PARK);
				return SIM_STEP_BLOCK;
			}
			process_timers(ex, th);
			act->phase = EXEC_LOOP;
			break;
		}
		case EXEC_AFTER_PARK:
			th->woke = 0;
			th->parked = 0;
			process_timers(ex, th);
			act->phase = EXEC_LOOP;
			break;
		default:
			return sim_stop(ex, 1, NULL, "internal error: bad executor state");
		}
		if (ex->finished)
			return SIM_STEP_STOP;
	}
}

/* ------------------------------------------------------------------ */
/* The interpreter                                                     */
/* ------------------------------------------------------------------ */

/* Integer types' widths; untyped literals are checked as i64. */
static const uint8_t itype_bits[LANG_IT_COUNT] = {
	[LANG_IT_INFER] = 64, [LANG_IT_I8] = 8,    [LANG_IT_I16] = 16,
	[LANG_IT_I32] = 32,   [LANG_IT_I64] = 64,  [LANG_IT_I128] = 64,
	[LANG_IT_ISIZE] = 64, [LANG_IT_U8] = 8,    [LANG_IT_U16] = 16,
	[LANG_IT_U32] = 32,   [LANG_IT_U64] = 64,  [LANG_IT_U128] = 64,
	[LANG_IT_USIZE] = 64,
};

/* Wraps a 64-bit pattern to the type's width (as `as` does). */
static sim_value
int_wrap(uint64_t raw, lang_itype t)
{
	int bits = itype_bits[t] ? itype_bits[t] : 64;
	if (bits < 64) {
		uint64_t mask = (UINT64_C(1) << bits) - 1;
		raw &= mask;
		if (lang_itype_signed(t) && (raw >> (bits - 1)) & 1)
			raw |= ~mask;
	}
	sim_value v = sim_int((int64_t)raw, t);
	return v;
}

/* Does the mathematical result fit the type? For 64-bit types the caller
 * checked with the overflow builtins already. */
static int
int_fits(int64_t s, uint64_t u, int is_signed_val, lang_itype t)
{
	int bits = itype_bits[t];
	if (lang_itype_signed(t)) {
		if (!is_signed_val && u > (uint64_t)INT64_MAX)
			return 0;
		int64_t v = is_signed_val ? s : (int64_t)u;
		if (bits == 64)
			return 1;
		int64_t max = (INT64_C(1) << (bits - 1)) - 1;
		return v >= -max - 1 && v <= max;
	}
	if (is_signed_val && s < 0)
		return 0;
	uint64_t v = is_signed_val ? (uint64_t)s : u;
	return bits == 64 || v <= ((UINT64_C(1) << bits) - 1);
}

static const char *const overflow_msg[LANG_BIN_COUNT] = {
	[LANG_BIN_ADD] = "attempt to add with overflow",
	[LANG_BIN_SUB] = "attempt to subtract with overflow",
	[LANG_BIN_MUL] = "attempt to multiply with overflow",
	[LANG_BIN_DIV] = "attempt to divide with overflow",
	[LANG_BIN_REM] = "attempt to calculate the remainder with overflow",
	[LANG_BIN_SHL] = "attempt to shift left with overflow",
	[LANG_BIN_SHR] = "attempt to shift right with overflow",
};

static int
cmp_result(lang_binop op, int c)
{
	switch (op) {
	case LANG_BIN_EQ: return c == 0;
	case LANG_BIN_NE: return c != 0;
	case LANG_BIN_LT: return c < 0;
	case LANG_BIN_LE: return c <= 0;
	case LANG_BIN_GT: return c > 0;
	default: return c >= 0;
	}
}

static int
int_cmp(sim_value a, sim_value b)
{
	int as = lang_itype_signed(a.itype), bs = lang_itype_signed(b.itype);
	if (as && bs)
		return a.as.i < b.as.i ? -1 : a.as.i > b.as.i;
	if (!as && !bs)
		return a.as.u < b.as.u ? -1 : a.as.u > b.as.u;
	if (as) {
		if (a.as.i < 0)
			return -1;
		return (uint64_t)a.as.i < b.as.u ? -1 : (uint64_t)a.as.i > b.as.u;
	}
	if (b.as.i < 0)
		return 1;
	return a.as.u < (uint64_t)b.as.i ? -1 : a.as.u > (uint64_t)b.as.i;
}

static sim_step
int_binop(sim_exec *ex, sim_thread *th, lang_binop op, sim_value a,
          sim_value b, sim_value *out)
{
	if (op >= LANG_BIN_EQ) {
		*out = sim_bool(cmp_result(op, int_cmp(a, b)));
		return SIM_STEP_OK;
	}
	lang_itype t;
	if (op == LANG_BIN_SHL || op == LANG_BIN_SHR)
		t = (lang_itype)a.itype;
	else
		t = a.itype == LANG_IT_INFER ? (lang_itype)b.itype
		                             : (lang_itype)a.itype;
	int is_signed = lang_itype_signed(t);
	int bits = itype_bits[t];
	lang_pos pos = sim_current_pos(th);
	if (op == LANG_BIN_SHL || op == LANG_BIN_SHR) {
		uint64_t n = b.as.u;
		if ((lang_itype_signed(b.itype) && b.as.i < 0) || n >= (uint64_t)bits)
			return sim_panic(ex, th, pos, "%s", overflow_msg[op]);
		uint64_t raw = op == LANG_BIN_SHL
		                       ? a.as.u << n
		                       : (is_signed ? (uint64_t)(a.as.i >> n)
		                                    : a.as.u >> n);
		*out = int_wrap(raw, t);
		return SIM_STEP_OK;
	}
	if ((op == LANG_BIN_DIV || op == LANG_BIN_REM) && b.as.u == 0)
		return sim_panic(ex, th, pos, "%s",
		                 op == LANG_BIN_DIV
		                         ? "attempt to divide by zero"
		                         : "attempt to calculate the remainder "
		                           "with a divisor of zero");
	if (is_signed) {
		int64_t x = a.as.i, y = b.as.i, r = 0;
		int ovf = 0;
		if ((!lang_itype_signed(a.itype) && a.as.u > (uint64_t)INT64_MAX) ||
		    (!lang_itype_signed(b.itype) && b.as.u > (uint64_t)INT64_MAX))
			ovf = 1;
		switch (op) {
		case LANG_BIN_ADD: ovf |= __builtin_add_overflow(x, y, &r); break;
		case LANG_BIN_SUB: ovf |= __builtin_sub_overflow(x, y, &r); break;
		case LANG_BIN_MUL: ovf |= __builtin_mul_overflow(x, y, &r); break;
		case LANG_BIN_DIV:
		case LANG_BIN_REM: {
			int64_t min = bits == 64 ? INT64_MIN
			                         : -(INT64_C(1) << (bits - 1));
			if (x == min && y == -1) {
				ovf = 1;
				break;
			}
			r = op == LANG_BIN_DIV ? x / y : x % y;
			break;
		}
		case LANG_BIN_BITAND: r = x & y; break;
		case LANG_BIN_BITOR: r = x | y; break;
		default: r = x ^ y; break;
		}
		if (ovf || !int_fits(r, 0, 1, t))
			return sim_panic(ex, th, pos, "%s", overflow_msg[op]);
		/* Integers whose type nothing fixed default to i32 in Rust.
		 * We cannot see later uses that make rustc pick a wider type,
		 * so the i32 check applies only while both operands still
		 * fit i32: a value beyond that must be of a wider type. */
		if (t == LANG_IT_INFER && int_fits(x, 0, 1, LANG_IT_I32) &&
		    int_fits(y, 0, 1, LANG_IT_I32) &&
		    !int_fits(r, 0, 1, LANG_IT_I32))
			return sim_panic(ex, th, pos, "%s", overflow_msg[op]);
		*out = sim_int(r, t);
		return SIM_STEP_OK;
	}
	if ((lang_itype_signed(a.itype) && a.as.i < 0) ||
	    (lang_itype_signed(b.itype) && b.as.i < 0)) {
		/* A negative untyped literal met an unsigned type. */
		if (op == LANG_BIN_ADD || op == LANG_BIN_SUB ||
		    op == LANG_BIN_MUL)
			return sim_panic(ex, th, pos, "%s", overflow_msg[op]);
	}
	uint64_t x = a.as.u, y = b.as.u, r = 0;
	int ovf = 0;
	switch (op) {
	case LANG_BIN_ADD: ovf = __builtin_add_overflow(x, y, &r); break;
	case LANG_BIN_SUB: ovf = __builtin_sub_overflow(x, y, &r); break;
	case LANG_BIN_MUL: ovf = __builtin_mul_overflow(x, y, &r); break;
	case LANG_BIN_DIV: r = x / y; break;
	case LANG_BIN_REM: r = x % y; break;
	case LANG_BIN_BITAND: r = x & y; break;
	case LANG_BIN_BITOR: r = x | y; break;
	default: r = x ^ y; break;
	}
	if (ovf || !int_fits(0, r, 0, t))
		return sim_panic(ex, th, pos, "%s", overflow_msg[op]);
	*out = sim_int((int64_t)r, t);
	return SIM_STEP_OK;
}

static sim_step
float_binop(sim_exec *ex, sim_thread *th, lang_binop op, double x, double y,
            sim_value *out)
{
	switch (op) {
	case LANG_BIN_ADD: *out = sim_float(x + y); break;
	case LANG_BIN_SUB: *out = sim_float(x - y); break;
	case LANG_BIN_MUL: *out = sim_float(x * y); break;
	case LANG_BIN_DIV: *out = sim_float(x / y); break;
	case LANG_BIN_REM: *out = sim_float(__builtin_fmod(x, y)); break;
	case LANG_BIN_EQ: *out = sim_bool(x == y); break;
	case LANG_BIN_NE: *out = sim_bool(x != y); break;
	case LANG_BIN_LT: *out = sim_bool(x < y); break;
	case LANG_BIN_LE: *out = sim_bool(x <= y); break;
	case LANG_BIN_GT: *out = sim_bool(x > y); break;
	case LANG_BIN_GE: *out = sim_bool(x >= y); break;
	default:
		return sim_type_error(ex, th, "no operator `%s` for f64",
		                      lang_binop_symbol(op));
	}
	return SIM_STEP_OK;
}

static sim_step
binop(sim_exec *ex, sim_thread *th, lang_binop op, sim_value a, sim_value b,
      sim_value *out)
{
	uint8_t ta = a.tag, tb = b.tag;
	if (ta == SIM_INT && tb == SIM_INT)
		return int_binop(ex, th, op, a, b, out);
	if (ta == SIM_FLOAT && tb == SIM_FLOAT)
		return float_binop(ex, th, op, a.as.f, b.as.f, out);
	if (op == LANG_BIN_EQ || op == LANG_BIN_NE) {
		if (ta == tb) {
			int eq = sim_value_equal(a, b);
			*out = sim_bool(op == LANG_BIN_EQ ? eq : !eq);
			return SIM_STEP_OK;
		}
	}
	if (ta == SIM_STR && tb == SIM_STR) {
		sim_str *x = (sim_str *)a.as.o, *y = (sim_str *)b.as.o;
		if (op == LANG_BIN_ADD) {
			sim_value s = sim_str_new(NULL, 0);
			sim_buf buf = {0};
			buf.budgeted = 1;
			sim_buf_put(&buf, x->data, x->len);
			sim_buf_put(&buf, y->data, y->len);
			sim_value_unref(s);
			*out = buf.oom ? sim_oom_value()
			               : sim_str_new(buf.s ? buf.s : "", buf.len);
			sim_buf_free(&buf);
			return SIM_STEP_OK;
		}
		if (op >= LANG_BIN_EQ) {
			size_t n = x->len < y->len ? x->len : y->len;
			int c = memcmp(x->data, y->data, n);
			if (c == 0)
				c = x->len < y->len ? -1 : x->len > y->len;
			*out = sim_bool(cmp_result(op, c));
			return SIM_STEP_OK;
		}
	}
	if (sim_duration_check(ex, th, a) != SIM_STEP_OK ||
	    sim_duration_check(ex, th, b) != SIM_STEP_OK)
		return SIM_STEP_STOP;
	if ((ta == SIM_DURATION && tb == SIM_DURATION) ||
	    (ta == SIM_INSTANT && tb == SIM_INSTANT) ||
	    (ta == SIM_CHAR && tb == SIM_CHAR) ||
	    (ta == SIM_BOOL && tb == SIM_BOOL)) {
		uint64_t x = a.as.u, y = b.as.u;
		if (op >= LANG_BIN_EQ) {
			*out = sim_bool(cmp_result(op, x < y ? -1 : x > y));
			return SIM_STEP_OK;
		}
		if (ta == SIM_BOOL && (op == LANG_BIN_BITAND ||
		                       op == LANG_BIN_BITOR ||
		                       op == LANG_BIN_BITXOR)) {
			*out = sim_bool(op == LANG_BIN_BITAND  ? (x & y)
			                : op == LANG_BIN_BITOR ? (x | y)
			                                       : (x ^ y));
			return SIM_STEP_OK;
		}
		if (ta == SIM_DURATION && op == LANG_BIN_ADD) {
			if (x + y < x)
				return sim_panic(ex, th, sim_current_pos(th),
				                 "overflow when adding durations");
			*out = sim_duration(x + y);
			return SIM_STEP_OK;
		}
		if (ta == SIM_DURATION && op == LANG_BIN_SUB) {
			if (y > x)
				return sim_panic(ex, th, sim_current_pos(th),
				                 "overflow when subtracting durations");
			*out = sim_duration(x - y);
			return SIM_STEP_OK;
		}
		if (ta == SIM_INSTANT && op == LANG_BIN_SUB) {
			/* Instant - Instant saturates at zero since Rust 1.60. */
			*out = sim_duration(x > y ? x - y : 0);
			return SIM_STEP_OK;
		}
	}
	if (ta == SIM_INSTANT && tb == SIM_DURATION &&
	    (op == LANG_BIN_ADD || op == LANG_BIN_SUB)) {
		sim_value v = {0};
		v.tag = SIM_INSTANT;
		v.as.u = op == LANG_BIN_ADD ? a.as.u + b.as.u : a.as.u - b.as.u;
		*out = v;
		return SIM_STEP_OK;
	}
	if ((ta == SIM_DURATION && tb == SIM_INT) ||
	    (ta == SIM_INT && tb == SIM_DURATION && op == LANG_BIN_MUL)) {
		uint64_t d = ta == SIM_DURATION ? a.as.u : b.as.u;
		sim_value n = ta == SIM_INT ? a : b;
		if (lang_itype_signed(n.itype) && n.as.i < 0)
			return sim_type_error(ex, th, "a Duration can only be "
			                              "multiplied by a u32");
		uint64_t r;
		if (op == LANG_BIN_MUL) {
			if (__builtin_mul_overflow(d, n.as.u, &r))
				return sim_panic(ex, th, sim_current_pos(th),
				                 "overflow when multiplying "
				                 "duration by scalar");
			*out = sim_duration(r);
			return SIM_STEP_OK;
		}
		if (op == LANG_BIN_DIV) {
			if (n.as.u == 0)
				return sim_panic(ex, th, sim_current_pos(th),
				                 "divide by zero error when "
				                 "dividing duration by scalar");
			*out = sim_duration(d / n.as.u);
			return SIM_STEP_OK;
		}
	}
	if (ta == SIM_UNIT && tb == SIM_UNIT && op >= LANG_BIN_EQ) {
		*out = sim_bool(cmp_result(op, 0));
		return SIM_STEP_OK;
	}
	return sim_type_error(ex, th,
	                      "no operator `%s` for `%s` and `%s`",
	                      lang_binop_symbol(op), sim_value_type_name(a),
	                      sim_value_type_name(b));
}

static sim_step
cast(sim_exec *ex, sim_thread *th, sim_value v, lang_itype t, sim_value *out)
{
	if (t == LANG_IT_F64 || t == LANG_IT_F32) {
		double d;
		if (v.tag == SIM_FLOAT)
			d = v.as.f;
		else if (v.tag == SIM_INT)
			d = lang_itype_signed(v.itype) ? (double)v.as.i
			                               : (double)v.as.u;
		else
			return sim_type_error(ex, th, "cannot cast `%s` as `%s`",
			                      sim_value_type_name(v),
			                      lang_itype_name(t));
		if (t == LANG_IT_F32)
			d = (double)(float)d;
		*out = sim_float(d);
		return SIM_STEP_OK;
	}
	if (!lang_itype_is_int(t))
		return sim_type_error(ex, th, "unsupported cast");
	switch (v.tag) {
	case SIM_INT:
		*out = int_wrap(v.as.u, t);
		return SIM_STEP_OK;
	case SIM_BOOL:
	case SIM_CHAR:
		*out = int_wrap(v.as.u, t);
		return SIM_STEP_OK;
	case SIM_FLOAT: {
		/* Float to integer casts saturate, and NaN becomes 0. */
		double d = v.as.f;
		int bits = itype_bits[t];
		if (d != d) {
			*out = sim_int(0, t);
		} else if (lang_itype_signed(t)) {
			double max = bits == 64 ? 9223372036854775807.0
			                        : (double)((INT64_C(1) << (bits - 1)) - 1);
			double min = bits == 64 ? -9223372036854775808.0
			                        : -(double)(INT64_C(1) << (bits - 1));
			int64_t r = d >= max ? (bits == 64 ? INT64_MAX : (int64_t)max)
			            : d <= min ? (int64_t)min
			                       : (int64_t)d;
			*out = sim_int(r, t);
		} else {
			double max = bits == 64 ? 18446744073709551615.0
			                        : (double)((UINT64_C(1) << bits) - 1);
			uint64_t r = d <= 0 ? 0
			             : d >= max ? (bits == 64 ? UINT64_MAX
			                                      : (uint64_t)max)
			                        : (uint64_t)d;
			*out = sim_int((int64_t)r, t);
		}
		return SIM_STEP_OK;
	}
	default:
		return sim_type_error(ex, th, "cannot cast `%s` as `%s`",
		                      sim_value_type_name(v), lang_itype_name(t));
	}
}

static sim_step
make_iter(sim_exec *ex, sim_thread *th, sim_value v, sim_value *out)
{
	if (v.tag == SIM_ITER) {
		sim_value_ref(v);
		*out = v;
		return SIM_STEP_OK;
	}
	sim_iter *it = sim_obj_alloc(SIM_ITER, sizeof *it);
	if (!it)
		return sim_stop(ex, 1, "--max-memory",
		                "the simulator ran out of memory");
	if (v.tag == SIM_VEC) {
		it->h.aux = SIM_ITER_VEC;
		it->vec = v.as.o;
		v.as.o->rc++;
	} else if (v.tag == SIM_RANGE) {
		sim_range *r = (sim_range *)v.as.o;
		if (!(r->h.flags & LANG_RANGE_START) || r->start.tag != SIM_INT) {
			sim_mem_free(it, sizeof *it);
			return sim_type_error(ex, th, "this range cannot be "
			                              "iterated");
		}
		it->h.aux = SIM_ITER_RANGE;
		it->itype = r->start.itype == LANG_IT_INFER ? r->end.itype
		                                             : r->start.itype;
		it->next = r->start.as.i;
		if (!(r->h.flags & LANG_RANGE_END)) {
			it->last = INT64_MAX;
		} else {
			int64_t end = r->end.as.i;
			if (r->h.flags & LANG_RANGE_INCLUSIVE) {
				it->last = end;
			} else if (!lang_itype_signed(it->itype) &&
			           r->end.as.u == 0) {
				it->done = 1;
			} else {
				it->last = end - 1;
			}
		}
		if (!lang_itype_signed(it->itype) && it->itype != LANG_IT_INFER) {
			if (r->start.as.u > (uint64_t)it->last && !it->done &&
			    (r->h.flags & LANG_RANGE_END))
				it->done = 1;
		} else if (it->next > it->last) {
			it->done = 1;
		}
	} else {
		sim_mem_free(it, sizeof *it);
		return sim_type_error(ex, th, "`%s` is not an iterator",
		                      sim_value_type_name(v));
	}
	*out = sim_obj_value(SIM_ITER, it);
	return SIM_STEP_OK;
}

/* Next item of an iterator: 1 and *out, or 0 when it is exhausted. */
static int
iter_next(sim_iter *it, sim_value *out)
{
	if (it->done)
		return 0;
	switch (it->h.aux) {
	case SIM_ITER_VEC: {
		sim_vec *v = (sim_vec *)it->vec;
		if ((uint64_t)it->next >= v->len) {
			it->done = 1;
			return 0;
		}
		*out = v->items[it->next++];
		sim_value_ref(*out);
		return 1;
	}
	case SIM_ITER_RANGE:
		*out = sim_int(it->next, (lang_itype)it->itype);
		if (it->next == it->last)
			it->done = 1;
		else
			it->next++;
		return 1;
	default: /* SIM_ITER_RANGE_REV */
		*out = sim_int(it->last, (lang_itype)it->itype);
		if (it->next == it->last)
			it->done = 1;
		else
			it->last--;
		return 1;
	}
}

/* The compiler computes each function's stack size; a push past it would
 * be a compiler bug, caught here rather than corrupting memory. */
#define PUSH(v)                                                               \
	do {                                                                  \
		if (f->sp >= fn->max_stack)                                   \
			return sim_stop(ex, 1, NULL,                          \
			                "internal error: operand stack "      \
			                "overflow in `%s`",                   \
			                fn->name);                            \
		sim_frame_stack(f)[f->sp++] = (v);                                      \
	} while (0)
#define POP() (sim_frame_stack(f)[--f->sp])
#define TOP() (sim_frame_stack(f)[f->sp - 1])
#define POS() (fn->pos_of[f->ip])

static sim_step
await_step(sim_exec *ex, sim_thread *th, sim_act *act, sim_frame *f,
           const lang_instr *in)
{
	if (th->have_result) {
		th->have_result = 0;
		if (th->result_ready) {
			sim_value child = TOP();
			TOP() = th->poll_value;
			th->poll_value = sim_unit();
			sim_value_unref(child);
			f->ip++;
			return SIM_STEP_OK;
		}
		/* The child is Pending, so this future is too; the frame
		 * stays on this OP_AWAIT and polls the child again next
		 * time. */
		if (act->kind != SIM_ACT_POLL)
			return sim_type_error(ex, th, "`.await` outside a future");
		return finish_poll(ex, th, 0, sim_unit(), in->arg,
		                   f->fn->pos_of[f->ip].line);
	}
	sim_future *child = future_of(TOP());
	if (!child)
		return sim_type_error(ex, th, "`%s` is not a future, so it cannot "
		                              "be awaited",
		                      sim_value_type_name(TOP()));
	return push_poll(ex, th, child);
}

static sim_step
interp(sim_exec *ex, sim_thread *th, sim_act *act)
{
	sim_frame *f = act->frame;
	const lang_func *fn = f->fn;
	const uint64_t cost = ex->opt.instr_cost_ns;
	const uint64_t max_instr = ex->opt.max_instructions;
	for (;;) {
		/* An event can stop the run in the middle of an instruction
		 * (the trace's memory): no instruction runs after that. */
		if (ex->finished)
			return SIM_STEP_STOP;
		if (sim_value_too_deep)
			return sim_stop(ex, 1, NULL, "too deep");
		if (++ex->stats.instructions > max_instr)
			return sim_stop(ex, 1, "--max-instructions",
			                "the program ran more than %llu "
			                "instructions (is it in an endless loop?)",
			                (unsigned long long)max_instr);
		th->time += cost;
		const lang_instr *in = &fn->code[f->ip];
		sim_step s = SIM_STEP_OK;
		sim_value a, b, out;
		switch ((lang_opcode)in->op) {
		case OP_NOP:
			f->ip++;
			break;
		case OP_CONST:
			a = ex->consts[in->arg];
			sim_value_ref(a);
			PUSH(a);
			f->ip++;
			break;
		case OP_UNIT:
			PUSH(sim_unit());
			f->ip++;
			break;
		case OP_BOOL:
			PUSH(sim_bool(in->x));
			f->ip++;
			break;
		case OP_INT:
			PUSH(sim_int((in->y & 1) ? (int64_t)(int32_t)in->arg
			                         : (int64_t)in->arg,
			             (lang_itype)in->x));
			f->ip++;
			break;
		case OP_LOAD:
			a = f->slots[in->arg];
			sim_value_ref(a);
			PUSH(a);
			f->ip++;
			break;
		case OP_STORE:
			a = POP();
			b = f->slots[in->arg];
			f->slots[in->arg] = a;
			sim_value_unref(b);
			f->ip++;
			break;
		case OP_POP:
			a = POP();
			sim_value_unref(a);
			f->ip++;
			break;
		case OP_DUP:
			a = TOP();
			sim_value_ref(a);
			PUSH(a);
			f->ip++;
			break;
		case OP_NEG:
			a = TOP();
			if (a.tag == SIM_FLOAT) {
				TOP().as.f = -a.as.f;
			} else if (a.tag == SIM_INT && lang_itype_signed(a.itype)) {
				int bits = itype_bits[a.itype];
				int64_t min = bits == 64 ? INT64_MIN
				                         : -(INT64_C(1) << (bits - 1));
				if (a.as.i == min)
					return sim_panic(ex, th, POS(),
					                 "attempt to negate with overflow");
				TOP().as.i = -a.as.i;
			} else {
				return sim_type_error(ex, th, "cannot apply unary "
				                              "operator `-` to type `%s`",
				                      sim_value_type_name(a));
			}
			f->ip++;
			break;
		case OP_NOT:
			a = TOP();
			if (a.tag == SIM_BOOL)
				TOP().as.i = !a.as.i;
			else if (a.tag == SIM_INT)
				TOP() = int_wrap(~a.as.u, (lang_itype)a.itype);
			else
				return sim_type_error(ex, th, "cannot apply unary "
				                              "operator `!` to type `%s`",
				                      sim_value_type_name(a));
			f->ip++;
			break;
		case OP_BINARY:
			b = POP();
			a = POP();
			out = sim_unit();
			s = binop(ex, th, (lang_binop)in->x, a, b, &out);
			sim_value_unref(a);
			sim_value_unref(b);
			if (s != SIM_STEP_OK)
				return s;
			if (sim_value_oom(out))
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			PUSH(out);
			f->ip++;
			break;
		case OP_CAST:
			a = POP();
			s = cast(ex, th, a, (lang_itype)in->x, &out);
			sim_value_unref(a);
			if (s != SIM_STEP_OK)
				return s;
			PUSH(out);
			f->ip++;
			break;
		case OP_COERCE:
			a = TOP();
			if (a.tag == SIM_INT && a.itype == LANG_IT_INFER &&
			    lang_itype_is_int(in->x)) {
				if (!int_fits(a.as.i, 0, 1, (lang_itype)in->x))
					return sim_type_error(
						ex, th,
						"literal out of range for `%s`",
						lang_itype_name(in->x));
				TOP().itype = in->x;
			} else if (a.tag == SIM_INT &&
			           a.itype == LANG_IT_INFER &&
			           (in->x == LANG_IT_F64 || in->x == LANG_IT_F32)) {
				TOP() = sim_float((double)a.as.i);
			}
			f->ip++;
			break;
		case OP_JUMP:
			f->ip = in->arg;
			break;
		case OP_JUMP_FALSE:
			a = POP();
			if (a.tag != SIM_BOOL) {
				sim_value_unref(a);
				return sim_type_error(ex, th, "expected `bool`, found "
				                              "`%s`",
				                      sim_value_type_name(a));
			}
			f->ip = a.as.i ? f->ip + 1 : in->arg;
			break;
		case OP_CALL:
			f->ip++;
			f->sp -= in->x;
			return call_frame(ex, th, in->arg, NULL, 0,
			                  &sim_frame_stack(f)[f->sp], in->x);
		case OP_CALL_VALUE: {
			f->ip++;
			f->sp -= in->x;
			sim_value callee = POP();
			s = call_value(ex, th, callee, &sim_frame_stack(f)[f->sp + 1],
			               in->x);
			sim_value_unref(callee);
			return s;
		}
		case OP_BUILTIN:
		case OP_METHOD: {
			uint32_t n = in->x + (in->op == OP_METHOD);
			sim_value *args = &sim_frame_stack(f)[f->sp - n];
			out = sim_unit();
			s = in->op == OP_BUILTIN
			            ? sim_lib_builtin(ex, th, (lang_builtin)in->arg,
			                              args, in->x, &out)
			            : sim_lib_method(ex, th, (lang_method)in->arg,
			                             args, in->x, &out);
			if (s == SIM_STEP_BLOCK || s == SIM_STEP_STOP ||
			    ex->finished)
				return s == SIM_STEP_OK ? SIM_STEP_STOP : s;
			if (s == SIM_STEP_SWITCH)
				return s;
			if (sim_value_oom(out))
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			for (uint32_t i = 0; i < n; i++)
				sim_value_unref(args[i]);
			f->sp -= n;
			PUSH(out);
			f->ip++;
			break;
		}
		case OP_RET:
			a = POP();
			a = coerce(a, fn->ret_itype);
			if (act->kind == SIM_ACT_POLL)
				return finish_poll(ex, th, 1, a, 0, 0);
			frame_free(f);
			th->nacts--;
			if (th->nacts == 0) {
				th->result = a;
			} else {
				sim_frame *caller = th->acts[th->nacts - 1].frame;
				if (!caller)
					return sim_type_error(ex, th, "internal: no caller frame");
				sim_frame_stack(caller)[caller->sp++] = a;
			}
			return SIM_STEP_SWITCH;
		case OP_FUNC:
			a = sim_unit();
			a.tag = SIM_FUNC;
			a.as.u = in->arg;
			PUSH(a);
			f->ip++;
			break;
		case OP_CLOSURE: {
			uint32_t n = in->x;
			sim_closure *c = sim_obj_alloc(
				SIM_CLOSURE, sizeof *c + n * sizeof(sim_value));
			if (!c)
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			c->func = in->arg;
			c->ncaptures = n;
			f->sp -= n;
			memcpy(c->captures, &sim_frame_stack(f)[f->sp], n * sizeof(sim_value));
			PUSH(sim_obj_value(SIM_CLOSURE, c));
			f->ip++;
			break;
		}
		case OP_ASYNC_CALL:
		case OP_ASYNC_BLOCK: {
			uint32_t n = in->x;
			sim_value *args = &sim_frame_stack(f)[f->sp - n];
			out = sim_async_call(ex, th, in->arg, args, n,
			                     in->op == OP_ASYNC_BLOCK);
			if (ex->finished)
				return SIM_STEP_STOP;
			for (uint32_t i = 0; i < n; i++)
				sim_value_unref(args[i]);
			f->sp -= n;
			PUSH(out);
			f->ip++;
			break;
		}
		case OP_TUPLE:
		case OP_VEC: {
			uint32_t n = in->arg;
			out = in->op == OP_TUPLE ? sim_tuple_new(n) : sim_vec_new(n);
			if (sim_value_oom(out))
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			f->sp -= n;
			/* vec![] has no items array: memcpy may not be given
			 * NULL, even for no bytes. */
			if (n && in->op == OP_TUPLE) {
				memcpy(((sim_tuple *)out.as.o)->items,
				       &sim_frame_stack(f)[f->sp], n * sizeof(sim_value));
			} else if (n) {
				sim_vec *v = (sim_vec *)out.as.o;
				memcpy(v->items, &sim_frame_stack(f)[f->sp],
				       n * sizeof(sim_value));
				v->len = n;
			}
			PUSH(out);
			f->ip++;
			break;
		}
		case OP_VEC_REPEAT: {
			b = POP();
			a = POP();
			if (b.tag != SIM_INT || (lang_itype_signed(b.itype) && b.as.i < 0)) {
				sim_value_unref(a);
				return sim_type_error(ex, th, "the count of vec![x; n] "
				                              "must be a usize");
			}
			if (b.as.u > ex->opt.max_memory_bytes / sizeof(sim_value)) {
				sim_value_unref(a);
				return sim_stop(ex, 1, "--max-memory",
				                "vec![x; %llu] needs more memory than "
				                "the memory budget allows",
				                (unsigned long long)b.as.u);
			}
			out = sim_vec_new((uint32_t)b.as.u);
			if (sim_value_oom(out)) {
				sim_value_unref(a);
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			}
			sim_vec *v = (sim_vec *)out.as.o;
			for (uint64_t i = 0; i < b.as.u; i++) {
				sim_value c = sim_value_clone(a);
				if (sim_value_oom(c)) {
					sim_value_unref(a);
					sim_value_unref(out);
					return sim_stop(ex, 1, "--max-memory",
					                "the program ran out of "
					                "memory");
				}
				v->items[v->len++] = c;
			}
			sim_value_unref(a);
			PUSH(out);
			f->ip++;
			break;
		}
		case OP_RANGE: {
			sim_range *r = sim_obj_alloc(SIM_RANGE, sizeof *r);
			if (!r)
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			r->h.flags = in->x;
			if (in->x & LANG_RANGE_END)
				r->end = POP();
			if (in->x & LANG_RANGE_START)
				r->start = POP();
			if (r->start.tag == SIM_INT && r->end.tag == SIM_INT) {
				if (r->start.itype == LANG_IT_INFER)
					r->start.itype = r->end.itype;
				if (r->end.itype == LANG_IT_INFER)
					r->end.itype = r->start.itype;
			}
			PUSH(sim_obj_value(SIM_RANGE, r));
			f->ip++;
			break;
		}
		case OP_FIELD:
			a = POP();
			if (a.tag != SIM_TUPLE ||
			    in->arg >= ((sim_tuple *)a.as.o)->len) {
				sim_value_unref(a);
				return sim_type_error(ex, th, "no field `%u` on this "
				                              "value",
				                      in->arg);
			}
			b = ((sim_tuple *)a.as.o)->items[in->arg];
			sim_value_ref(b);
			sim_value_unref(a);
			PUSH(b);
			f->ip++;
			break;
		case OP_INDEX:
		case OP_INDEX_SET: {
			sim_value val = sim_unit();
			if (in->op == OP_INDEX_SET)
				val = POP();
			b = POP();
			a = POP();
			if (a.tag != SIM_VEC || b.tag != SIM_INT) {
				sim_value_unref(a);
				sim_value_unref(b);
				sim_value_unref(val);
				return sim_type_error(ex, th, "cannot index `%s` with "
				                              "`%s`",
				                      sim_value_type_name(a),
				                      sim_value_type_name(b));
			}
			sim_vec *v = (sim_vec *)a.as.o;
			if ((lang_itype_signed(b.itype) && b.as.i < 0) ||
			    b.as.u >= v->len) {
				uint32_t len = v->len;
				sim_value_unref(a);
				sim_value_unref(val);
				return sim_panic(ex, th, POS(),
				                 "index out of bounds: the len is %u "
				                 "but the index is %llu",
				                 len, (unsigned long long)b.as.u);
			}
			if (in->op == OP_INDEX) {
				out = v->items[b.as.u];
				sim_value_ref(out);
				PUSH(out);
			} else {
				sim_value old = v->items[b.as.u];
				v->items[b.as.u] = val;
				sim_value_unref(old);
			}
			sim_value_unref(a);
			f->ip++;
			break;
		}
		case OP_UNPACK:
			a = POP();
			if (a.tag != SIM_TUPLE ||
			    ((sim_tuple *)a.as.o)->len != in->arg) {
				sim_value_unref(a);
				return sim_type_error(ex, th, "expected a tuple with "
				                              "%u elements",
				                      in->arg);
			}
			for (uint32_t i = 0; i < in->arg; i++) {
				b = ((sim_tuple *)a.as.o)->items[i];
				sim_value_ref(b);
				PUSH(b);
			}
			sim_value_unref(a);
			f->ip++;
			break;
		case OP_ITER:
			a = POP();
			s = make_iter(ex, th, a, &out);
			sim_value_unref(a);
			if (s != SIM_STEP_OK)
				return s;
			PUSH(out);
			f->ip++;
			break;
		case OP_ITER_NEXT:
			if (iter_next((sim_iter *)TOP().as.o, &out)) {
				PUSH(out);
				f->ip++;
			} else {
				a = POP();
				sim_value_unref(a);
				f->ip = in->arg;
			}
			break;
		case OP_AWAIT:
			s = await_step(ex, th, act, f, in);
			if (s != SIM_STEP_OK)
				return s;
			break;
		case OP_FORMAT: {
			sim_buf buf = {0};
			buf.budgeted = 1;
			sim_value *args = &sim_frame_stack(f)[f->sp - in->x];
			for (uint32_t i = 0; i < in->x; i++)
				if (sim_duration_check(ex, th, args[i]) !=
				    SIM_STEP_OK) {
					sim_buf_free(&buf);
					return SIM_STEP_STOP;
				}
			const char *err = sim_fmt_apply(
				&buf, &ex->prog->formats[in->arg], args);
			if (err && buf.oom) {
				sim_buf_free(&buf);
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			}
			if (err) {
				sim_buf_free(&buf);
				return sim_type_error(ex, th, "%s", err);
			}
			out = buf.oom ? sim_oom_value()
			              : sim_str_new(buf.s ? buf.s : "", buf.len);
			sim_buf_free(&buf);
			if (sim_value_oom(out))
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			for (uint32_t i = 0; i < in->x; i++)
				sim_value_unref(args[i]);
			f->sp -= in->x;
			PUSH(out);
			f->ip++;
			break;
		}
		case OP_PRINT: {
			a = POP();
			sim_str *str = (sim_str *)a.as.o;
			f->ip++;
			sim_write_output(ex, th, in->x, str->data, str->len);
			sim_value_unref(a);
			break;
		}
		case OP_PANIC: {
			a = POP();
			sim_str *str = (sim_str *)a.as.o;
			lang_pos pos = POS();
			s = sim_panic(ex, th, pos, "%s", str->data);
			sim_value_unref(a);
			return s;
		}
		case OP_JOIN:
			f->sp -= in->x;
			out = make_join(ex, th, &sim_frame_stack(f)[f->sp], in->x);
			if (ex->finished)
				return SIM_STEP_STOP;
			PUSH(out);
			f->ip++;
			break;
		case OP_CLEAR:
			a = f->slots[in->arg];
			f->slots[in->arg] = sim_unit();
			sim_value_unref(a);
			f->ip++;
			break;
		case OP_BOX: {
			sim_cell *cell = sim_obj_alloc(SIM_CELL, sizeof *cell);
			if (!cell)
				return sim_stop(ex, 1, "--max-memory",
				                "the program ran out of memory");
			cell->value = TOP();
			TOP() = sim_obj_value(SIM_CELL, cell);
			f->ip++;
			break;
		}
		case OP_UNBOX:
			a = TOP();
			if (a.tag == SIM_CELL) {
				b = ((sim_cell *)a.as.o)->value;
				sim_value_ref(b);
				TOP() = b;
				sim_value_unref(a);
			}
			f->ip++;
			break;
		case OP_CELL_SET:
			a = POP();
			b = POP();
			if (a.tag == SIM_CELL) {
				sim_value old = ((sim_cell *)a.as.o)->value;
				((sim_cell *)a.as.o)->value = b;
				sim_value_unref(old);
			} else {
				sim_value_unref(b);
			}
			sim_value_unref(a);
			f->ip++;
			break;
		case OP_STMT:
			if (ex->full && POS().line != th->last_line) {
				th->last_line = POS().line;
				sim_emit(ex, th, TRACE_LINE, current_future_id(th),
				         POS().line, POS().col, 0);
			}
			f->ip++;
			break;
		default:
			return sim_type_error(ex, th, "internal: bad instruction %u",
			                      in->op);
		}
		if (th->time > ex->switch_at)
			return SIM_STEP_OK;
	}
}

#undef PUSH
#undef POP
#undef TOP
#undef POS

static void
run_thread(sim_exec *ex, sim_thread *th)
{
	ex->running = th;
	while (!ex->finished && th->state == SIM_T_RUNNABLE) {
		if (th->nacts == 0) {
			thread_exit(ex, th);
			return;
		}
		sim_act *act = &th->acts[th->nacts - 1];
		sim_step s;
		if (act->kind == SIM_ACT_EXEC)
			s = exec_step(ex, th, act);
		else if (act->kind == SIM_ACT_POLL && !act->frame)
			s = step_native(ex, th, act);
		else
			s = interp(ex, th, act);
		if (s == SIM_STEP_BLOCK || s == SIM_STEP_STOP)
			return;
		if (th->time > ex->switch_at)
			return;
	}
}

static void
scheduler(sim_exec *ex)
{
	while (!ex->finished) {
		sim_thread *th = heap_pop(ex);
		if (!th) {
			sim_stop(ex, 1, NULL,
			         "every thread is waiting for another one and "
			         "nothing can wake them (a deadlock)");
			return;
		}
		ex->running = th;
		if (th->state == SIM_T_SLEEPING &&
		    th->wake_at > ex->opt.max_virtual_ns) {
			/* Stopped before the clock jumps past the budget, so
			 * that a sleep without end leaves no absurd time. */
			sim_stop(ex, 1, "--max-time",
			         "the program ran for more than %llu seconds of "
			         "virtual time",
			         (unsigned long long)(ex->opt.max_virtual_ns /
			                              1000000000u));
			return;
		}
		if (th->state == SIM_T_SLEEPING) {
			if (th->wake_at > ex->now) {
				uint64_t old = ex->now;
				uint64_t save = th->time;
				th->time = th->wake_at;
				sim_emit(ex, th, TRACE_CLOCK_ADVANCE, 0,
				         (uint32_t)old, (uint32_t)(old >> 32), 0);
				th->time = save;
			}
			if (th->time < th->wake_at)
				th->time = th->wake_at;
			th->state = SIM_T_RUNNABLE;
			th->woke = 1;
			sim_emit(ex, th, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
		}
		if (th->time > ex->opt.max_virtual_ns) {
			sim_stop(ex, 1, "--max-time",
			         "the program ran for more than %llu seconds of "
			         "virtual time",
			         (unsigned long long)(ex->opt.max_virtual_ns /
			                              1000000000u));
			return;
		}
		ex->switch_at = ex->heap_len
		                        ? thread_key(ex->threads[ex->heap[0]])
		                        : UINT64_MAX;
		run_thread(ex, th);
		if (th->time > ex->now)
			ex->now = th->time;
		if (!ex->finished &&
		    (th->state == SIM_T_RUNNABLE || th->state == SIM_T_SLEEPING))
			heap_push(ex, th);
	}
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

static void
free_thread_obj(sim_obj *o)
{
	thread_free_handle(o);
}

int
sim_exec_init(sim_exec *ex, const lang_program *prog, const sim_options *opt,
              trace_log *log)
{
	memset(ex, 0, sizeof *ex);
	current_exec = ex;
	ex->prog = prog;
	ex->opt = *opt;
	ex->log = log;
	ex->full = trace_log_wants_strings(log);
	sim_value_free_future = future_release;
	sim_value_free_future_fields = future_release_fields;
	sim_value_free_thread = free_thread_obj;
	ex->consts = calloc(prog->nconsts ? prog->nconsts : 1, sizeof *ex->consts);
	if (!ex->consts)
		return -1;
	for (uint32_t i = 0; i < prog->nconsts; i++) {
		const lang_const *c = &prog->consts[i];
		switch (c->kind) {
		case LANG_CONST_INT:
			ex->consts[i] = sim_int((int64_t)c->u, c->itype);
			break;
		case LANG_CONST_FLOAT:
			ex->consts[i] = sim_float(c->f);
			break;
		case LANG_CONST_CHAR:
			ex->consts[i] = sim_unit();
			ex->consts[i].tag = SIM_CHAR;
			ex->consts[i].as.u = c->u;
			break;
		case LANG_CONST_STR:
			ex->consts[i] = sim_str_new(c->s, c->len);
			if (sim_value_oom(ex->consts[i]))
				return -1;
			break;
		}
	}
	return 0;
}

void
sim_exec_run(sim_exec *ex)
{
	sim_thread *main_th = thread_new(ex, "main");
	if (!main_th) {
		sim_stop(ex, 1, NULL, "the simulator ran out of memory");
		return;
	}
	sim_emit(ex, main_th, TRACE_THREAD_SPAWNED, 0, 0,
	         sim_intern(ex, "main", 4), SIM_STACK_MAIN_MIB);
	account_stack(ex, SIM_STACK_MAIN_MIB);
	const lang_program *prog = ex->prog;
	if (prog->runtime != LANG_RT_NONE) {
		sim_task *root = task_new(ex);
		if (!root) {
			sim_stop(ex, 1, NULL, "the simulator ran out of memory");
			return;
		}
		ex->in_runtime = 1;
		ex->rt_start = main_th->time;
		ex->tasks[0].root =
			sim_async_call(ex, main_th, prog->main_func, NULL, 0, 0);
		if (ex->finished)
			return;
		ex->root_woken = 1;
		sim_act act = {0};
		act.kind = SIM_ACT_EXEC;
		if (push_act(ex, main_th, act) < 0)
			return;
	} else if (call_frame(ex, main_th, prog->main_func, NULL, 0, NULL, 0) ==
	           SIM_STEP_STOP) {
		return;
	}
	heap_push(ex, main_th);
	scheduler(ex);
	/* `fn main() -> Result<..>` returning Err prints it and exits 1. */
	if (!ex->message && ex->exit_status == 0 &&
	    main_th->result.tag == SIM_ENUM &&
	    main_th->result.as.o->aux == SIM_ERR) {
		sim_buf b = {0};
		sim_buf_put(&b, "Error: ", 7);
		sim_value_debug(&b, ((sim_enum *)main_th->result.as.o)->payload,
		                NULL, 0);
		sim_buf_putc(&b, '\n');
		sim_write_output(ex, main_th, 2, b.s, b.len);
		sim_buf_free(&b);
		ex->exit_status = 1;
	}
	ex->stats.virtual_ns = ex->now;
	ex->stats.tasks = ex->ntasks; /* the main task counts, as in views */
	sim_emit(ex, NULL, TRACE_RUN_END, 0, (uint32_t)ex->exit_status,
	         ex->message ? sim_intern(ex, ex->message, strlen(ex->message))
	                     : 0,
	         0);
}

void
sim_exec_free(sim_exec *ex)
{
	/* Releasing values may emit drop events: stop that first. */
	ex->finished = 1;
	ex->full = 0;
	for (uint32_t i = 0; i < ex->nthreads; i++) {
		sim_thread *th = ex->threads[i];
		unwind_all(th);
		sim_value_unref(th->result);
		if (th->have_result)
			sim_value_unref(th->poll_value);
		free(th->acts);
		free(th->name);
		free(th);
	}
	for (uint32_t i = 0; i < ex->ntasks; i++) {
		sim_value_unref(ex->tasks[i].root);
		sim_value_unref(ex->tasks[i].output);
	}
	if (ex->consts && ex->prog)
		for (uint32_t i = 0; i < ex->prog->nconsts; i++)
			sim_value_unref(ex->consts[i]);
	free(ex->consts);
	free(ex->threads);
	free(ex->heap);
	free(ex->tasks);
	free(ex->runq);
	free(ex->timers);
	free(ex->futures);
	free(ex->message);
	free(ex->hint);
	memset(ex, 0, sizeof *ex);
}
