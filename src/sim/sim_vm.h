/* sim_vm — the simulated machine: threads, frames, futures, the executor.
 *
 * Contract: this is the simulator's inside, shared by sim_vm.c (scheduler,
 * interpreter, futures and executor), sim_lib.c (builtin functions and
 * methods) and sim_run.c (the entry point). Views never include it; they
 * read the trace.
 *
 * Shape (design.md section 3): everything that can suspend is data. Each
 * simulated thread owns an explicit stack of activations; an activation is
 * either an interpreted frame (a sync call, or an async fn/block being
 * polled: then the frame belongs to the future and survives Pending), or a
 * native future's poll (sleep, join_all, join!, JoinHandle, yield_now), or
 * the executor loop of #[tokio::main]. Polling pushes an activation; a poll
 * ends by popping it and leaving its result in the thread's poll register,
 * which the activation below consumes. Nothing recurses on the C stack, so a
 * blocking call inside a poll just parks the thread with its frames intact.
 */
#ifndef ASYNC_TUTORIAL_SIM_SIM_VM_H
#define ASYNC_TUTORIAL_SIM_SIM_VM_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_code.h"
#include "sim/sim_run.h"
#include "sim/sim_value.h"
#include "trace/trace_log.h"

typedef struct sim_exec sim_exec;

typedef struct sim_frame {
	const lang_func *fn;
	uint32_t ip;
	uint32_t sp;      /* values on the operand stack */
	sim_value slots[]; /* fn->nslots slots, then the operand stack */
} sim_frame;

#define sim_frame_stack(f) ((f)->slots + (f)->fn->nslots)

/* "Poll me again": a task, or a child slot of a big join_all. */
typedef struct sim_waker {
	uint32_t task; /* task id + 1; 0 = no waker */
	uint32_t jf;   /* join_all future id, 0 if the waker is the task's */
	uint32_t child;
} sim_waker;

typedef enum sim_fstate {
	SIM_F_CREATED,
	SIM_F_POLLING,
	SIM_F_PENDING,
	SIM_F_DONE
} sim_fstate;

typedef struct sim_joinall {
	uint32_t n, remaining;
	uint8_t big;
	uint8_t has_parent;
	sim_waker parent;   /* registered waker of the big mode's parent */
	sim_value *kids;    /* futures, replaced by their outputs when done */
	uint8_t *done;
	/* big mode: the ready-to-run queue of FuturesUnordered */
	uint32_t *queue;
	uint32_t qhead, qlen;
	uint8_t *queued;
	uint8_t *woken;
	/* resumable poll state */
	uint32_t cursor, polled, yielded, len;
	uint8_t all_done;
	uint8_t in_poll;
} sim_joinall;

typedef struct sim_join {
	uint32_t n;
	uint32_t skip_next;
	uint32_t skip, to_run, cursor;
	uint8_t pending;
	uint8_t in_poll;
	sim_value kids[];   /* then outs[n] after them */
} sim_join;

typedef struct sim_future {
	sim_obj h;           /* h.aux: trace_future_type; h.flags: sim_fstate */
	uint32_t id;
	uint32_t polls;
	union {
		sim_frame *frame; /* async fn / async block */
		struct {
			uint64_t fire_at;
			sim_waker waker;
			uint32_t timer_seq;
			uint8_t armed;
			uint8_t fired;
		} sleep;
		sim_joinall *ja;
		sim_join *jn;
		struct {
			uint32_t task;
		} handle;
		struct {
			uint8_t yielded;
		} yield;
	} u;
} sim_future;

typedef struct sim_task {
	uint32_t id;
	sim_value root;    /* the future */
	sim_value output;
	uint8_t queued;
	uint8_t running;
	uint8_t notified;  /* woken while running */
	uint8_t done;
	uint8_t panicked;
	uint8_t has_join_waker;
	sim_waker join_waker;
} sim_task;

typedef enum sim_act_kind {
	SIM_ACT_CALL, /* a sync frame */
	SIM_ACT_POLL, /* polling a future */
	SIM_ACT_EXEC  /* the executor loop */
} sim_act_kind;

typedef struct sim_act {
	uint8_t kind;
	uint8_t phase;
	uint16_t pad;
	uint32_t counter;
	sim_frame *frame; /* CALL: owned; POLL of an async fn: the future's */
	sim_future *fut;  /* POLL */
	sim_waker saved_waker;
	uint32_t saved_budget_unused;
} sim_act;

typedef enum sim_tstate {
	SIM_T_RUNNABLE,
	SIM_T_SLEEPING, /* thread::sleep, or the executor parked on a timer */
	SIM_T_JOINING,
	SIM_T_EXITED
} sim_tstate;

typedef struct sim_thread {
	uint32_t id;
	uint8_t state;
	uint8_t woke;      /* the blocking call it made has completed */
	uint8_t panicked;
	uint8_t parked;    /* SLEEPING because the executor parked */
	uint8_t have_result;
	uint8_t result_ready;
	uint8_t in_heap;
	uint64_t time;     /* this thread's virtual time */
	uint64_t wake_at;
	uint32_t join_target;
	/* The threads blocked joining this one, as a list through
	 * join_next ordered by id (each is an id + 1; 0 ends it), so that
	 * an exit wakes its joiners without scanning every thread. */
	uint32_t joiners;
	uint32_t join_next;
	uint32_t heap_pos;
	sim_act *acts;
	uint32_t nacts, cap;
	sim_value poll_value;
	sim_value result;  /* the thread's closure's return value */
	sim_waker waker;   /* the waker of the poll in progress */
	uint32_t budget;   /* Tokio's cooperative budget */
	uint32_t last_line;
	char *name;        /* Rust's name for panics: "main" or "<unnamed>" */
} sim_thread;

/* A JoinHandle value for a thread. */
typedef struct sim_thread_handle {
	sim_obj h;
	uint32_t thread;
} sim_thread_handle;

typedef struct sim_timer {
	uint64_t fire_at;
	uint32_t seq;
	uint32_t future;
} sim_timer;

struct sim_exec {
	const lang_program *prog;
	sim_options opt;
	trace_log *log;
	int full; /* the trace wants strings */
	sim_value *consts;

	sim_thread **threads;
	uint32_t nthreads, threads_cap;
	uint32_t live_threads;
	uint32_t *heap; /* thread ids ordered by (key time, id) */
	uint32_t heap_len;
	uint64_t now;  /* the latest time reached */
	uint64_t last_event_time;
	uint64_t switch_at;
	uint64_t emitted; /* events emitted, for the trace's memory check */

	sim_future **futures; /* by id; NULL once freed */
	uint32_t nfutures, futures_cap;
	uint64_t live_futures;

	sim_task *tasks;
	uint32_t ntasks, tasks_cap;
	uint32_t *runq;
	uint32_t runq_head, runq_len, runq_cap;
	uint8_t root_woken;
	uint8_t in_runtime;
	uint8_t notes_printed; /* Rust prints the RUST_BACKTRACE note once */
	uint32_t cur_task;     /* the task being polled by the executor */
	uint64_t rt_start;     /* when the runtime started (timer ticks) */
	int64_t stack_bytes;   /* reserved by the live threads */

	sim_timer *timers;
	uint32_t ntimers, timers_cap;
	uint32_t timer_seq;

	/* the end */
	int finished;
	int exit_status;
	char *message;
	char *hint;
	/* The thread running now (NULL between slices), and where it was
	 * when a budget stopped the run ({0, 0}: nowhere to point at). */
	sim_thread *running;
	lang_pos stop_pos;
	sim_stats stats;
};

/* Costs of the model, in virtual ns (instructions cost opt.instr_cost_ns). */
enum {
	SIM_COST_POLL = 100,
	SIM_COST_PRINT = 1000,
	SIM_COST_SPAWN_THREAD = 20000,
	SIM_COST_CREATE_FUTURE = 50,
	SIM_COOP_BUDGET = 128,
	SIM_EVENT_INTERVAL = 61,
	SIM_JOIN_ALL_SMALL = 30,
	SIM_STACK_MAIN_MIB = 8,
	SIM_STACK_SPAWNED_MIB = 2
};

/* Results of builtins and native steps. */
typedef enum sim_step {
	SIM_STEP_OK,     /* continue */
	SIM_STEP_BLOCK,  /* the thread blocked; re-run this instruction later */
	SIM_STEP_SWITCH, /* the activation stack changed; dispatch again */
	SIM_STEP_STOP    /* the thread or the run ended (panic, budget) */
} sim_step;

/* Emits an event at the thread's time (never earlier than the last). */
void
sim_emit(sim_exec *ex, const sim_thread *th, trace_kind kind, uint32_t fut,
         uint32_t a, uint32_t b, uint8_t flags);

uint32_t
sim_intern(sim_exec *ex, const char *s, size_t len);

/* Panics the thread with a message, printed as Rust prints it. */
sim_step
sim_panic(sim_exec *ex, sim_thread *th, lang_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Stops the whole run: status 1 (budget, can never finish) or 3 (a type
 * error a compiler would have caught), with a message and a hint. */
sim_step
sim_stop(sim_exec *ex, int status, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* SIM_STEP_OK unless `v` is a Duration over 584 years (see
 * sim_duration_forever), which the simulator can sleep on but not compute
 * with: then the run stops (status 1) with a message at the current line. */
sim_step
sim_duration_check(sim_exec *ex, sim_thread *th, sim_value v);

/* Type error at run time: stops with status 3. */
sim_step
sim_type_error(sim_exec *ex, sim_thread *th, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

lang_pos
sim_current_pos(const sim_thread *th);

/* Is this thread inside the Tokio runtime's context (tokio::spawn and
 * tokio::time::sleep work there)? */
int
sim_in_runtime(const sim_exec *ex, const sim_thread *th);

/* Futures */
sim_future *
sim_future_new(sim_exec *ex, sim_thread *th, trace_future_type type,
               const char *name, size_t name_len);

sim_value
sim_async_call(sim_exec *ex, sim_thread *th, uint32_t func,
               const sim_value *args, uint32_t nargs, int is_block);

void
sim_write_output(sim_exec *ex, sim_thread *th, int stream, const char *s,
                 size_t len);

/* Library (sim_lib.c) */
sim_step
sim_lib_builtin(sim_exec *ex, sim_thread *th, lang_builtin b, sim_value *args,
                uint32_t nargs, sim_value *out);

sim_step
sim_lib_method(sim_exec *ex, sim_thread *th, lang_method m, sim_value *recv_args,
               uint32_t nargs, sim_value *out);

/* Threads (sim_vm.c) */
sim_step
sim_thread_spawn(sim_exec *ex, sim_thread *th, sim_value closure,
                 sim_value *out);

sim_step
sim_thread_sleep(sim_exec *ex, sim_thread *th, uint64_t ns);

sim_step
sim_thread_join(sim_exec *ex, sim_thread *th, uint32_t target, sim_value *out);

sim_value
sim_make_sleep(sim_exec *ex, sim_thread *th, uint64_t ns);

sim_value
sim_make_join_all(sim_exec *ex, sim_thread *th, sim_value vec);

sim_value
sim_make_yield(sim_exec *ex, sim_thread *th);

sim_step
sim_tokio_spawn(sim_exec *ex, sim_thread *th, sim_value fut, sim_value *out);

/* Formatting (sim_fmt.c): appends formats[idx] applied to args to b.
 * Returns NULL or a type-error message. */
const char *
sim_fmt_apply(sim_buf *b, const lang_format *f, const sim_value *args);

/* The run (sim_vm.c) */
int
sim_exec_init(sim_exec *ex, const lang_program *prog, const sim_options *opt,
              trace_log *log);

void
sim_exec_run(sim_exec *ex);

void
sim_exec_free(sim_exec *ex);

#endif
