/* sim_run — run a compiled program in the simulated world.
 *
 * Contract: sim_run executes `prog` from `fn main` to the end on virtual
 * time, simulated threads and a Tokio-like current-thread executor
 * (design.md section 3), appending every event to `log`. It never touches
 * the terminal: the program's own output goes to opt->on_output as it is
 * produced (stdout and stderr, panic messages included, exactly as the real
 * program would print them). The run is deterministic: the same program and
 * options give the same events.
 *
 * The result says how the run ended: exit_status 0 (finished), 101 (the
 * program panicked), 1 (a budget stopped it, it can never finish because
 * everything is waiting and nothing can wake it, or `main` returned Err),
 * or 3 (the program does something a Rust compiler would have rejected,
 * found only while running, e.g. adding a string to a number, since types
 * are not checked ahead). For 1 and 3, `message` says why in a full sentence
 * (for 3 it starts with FILE:LINE:COL:) and `hint` says what to do or which
 * flag raises the budget (both owned by the result; free with
 * sim_result_free).
 */
#ifndef ASYNC_TUTORIAL_SIM_SIM_RUN_H
#define ASYNC_TUTORIAL_SIM_SIM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_compile.h"
#include "trace/trace_log.h"

/* A machine profile: how many threads it lets a program spawn. */
typedef struct sim_profile {
	const char *name;
	uint32_t max_threads; /* including main; UINT32_MAX = no limit */
	const char *description;
} sim_profile;

/* The table of profiles ("playground" first: the default). */
const sim_profile *
sim_profile_list(size_t *count);

/* NULL if there is no profile of that name. */
const sim_profile *
sim_profile_find(const char *name);

typedef struct sim_options {
	const char *file_name; /* shown in panic locations */
	const sim_profile *profile;
	uint64_t seed;
	uint64_t instr_cost_ns;    /* virtual CPU time per VM instruction */
	uint64_t max_instructions; /* budgets; 0 = the default */
	uint64_t max_virtual_ns;
	uint64_t max_live_futures;
	uint64_t max_threads;
	uint64_t max_memory_bytes;
	uint32_t max_call_depth;
	void (*on_output)(void *ctx, int stream, const char *text, size_t len);
	void *output_ctx; /* stream: 1 = stdout, 2 = stderr */
} sim_options;

/* Fills in the defaults (playground profile, default budgets, no output). */
void
sim_options_default(sim_options *opt);

/* One budget, for --help, the man page and the messages. */
typedef struct sim_budget_info {
	const char *flag;        /* "--max-instructions" */
	const char *what;        /* "instructions executed" */
	uint64_t default_value;  /* in the unit below */
	const char *unit;        /* "", "s", "MiB" */
} sim_budget_info;

const sim_budget_info *
sim_budget_list(size_t *count);

typedef struct sim_stats {
	uint64_t virtual_ns;
	uint64_t polls;
	uint64_t futures;
	uint64_t tasks;
	uint64_t threads;
	uint64_t peak_live_futures;
	uint64_t instructions;
	uint64_t peak_stack_bytes; /* stack reserved by the live threads */
} sim_stats;

typedef struct sim_result {
	int exit_status; /* 0, 1, 3 or 101 */
	sim_stats stats;
	char *message;   /* why the run stopped (status 1), else NULL */
	char *hint;      /* which flag raises the budget, or NULL */
	/* For a budget: the line and column the program was running when it
	 * stopped (a loop, a call, a spawn), or 0 when there is none. */
	uint32_t stop_line, stop_col;
} sim_result;

/* Returns 0 when the run happened (see res->exit_status), -1 if the
 * simulator itself ran out of memory before starting. */
int
sim_run(const lang_program *prog, const sim_options *opt, trace_log *log,
        sim_result *res);

void
sim_result_free(sim_result *res);

#endif
