#include "config.h"

#include "sim/sim_run.h"
#include "sim/sim_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab_limits.h"

/* The playground's limit is one documented number between the 100 threads
 * that work there and the 1,000 that fail; "laptop" is the series' "almost
 * 19k"; "this-machine" is filled in from the real limits the lab reads
 * (sim_profile_this_machine), so a learner can set the simulated failure
 * next to the real one of `async-tutorial lab threads`. Limits count
 * threads alive at once, the main thread included. */
enum { SIM_PROFILE_THIS_MACHINE = 3 };

static sim_profile profiles[] = {
	{"playground", 512,
	 "a small shared sandbox like the Rust Playground: spawning fails once "
	 "512 threads are alive"},
	{"laptop", 18900,
	 "a typical Linux laptop: about 19,000 threads before spawning fails"},
	{"unlimited", UINT32_MAX,
	 "no thread limit (only the --max-threads budget)"},
	[SIM_PROFILE_THIS_MACHINE] = {"this-machine", UINT32_MAX,
	                              "this computer's real limit"},
};

/* Reads this machine's limits the first time the profile is looked at:
 * the simulated program may spawn as many threads as a real one could
 * right now, plus its main thread. */
static void
sim_profile_this_machine(void)
{
	static int done;
	static char text[256];
	if (done)
		return;
	done = 1;
	lab_limits lim;
	lab_prediction p;
	lab_limits_read(&lim);
	lab_limits_predict(&lim, &p);
	sim_profile *me = &profiles[SIM_PROFILE_THIS_MACHINE];
	if (p.first < 0) {
		snprintf(text, sizeof text,
		         "this computer's real limits, which could not be "
		         "read here: no thread limit");
	} else {
		uint64_t alive = p.max_threads < UINT32_MAX - 1
		                         ? p.max_threads + 1
		                         : UINT32_MAX - 1;
		me->max_threads = (uint32_t)alive;
		/* "32,670": digits grouped as the other profiles write
		 * them. */
		char digits[24], grouped[32];
		int len = snprintf(digits, sizeof digits, "%llu",
		                   (unsigned long long)alive);
		size_t o = 0;
		for (int i = 0; i < len; i++) {
			if (i > 0 && (len - i) % 3 == 0)
				grouped[o++] = ',';
			grouped[o++] = digits[i];
		}
		grouped[o] = '\0';
		snprintf(text, sizeof text,
		         "this computer, from the limits 'async-tutorial lab "
		         "limits' reads now: spawning fails once %s threads "
		         "are alive (%s runs out first)",
		         grouped, lab_limit_info_of((lab_limit_id)p.first)->name);
	}
	me->description = text;
}

const sim_profile *
sim_profile_list(size_t *count)
{
	sim_profile_this_machine();
	*count = sizeof profiles / sizeof profiles[0];
	return profiles;
}

const sim_profile *
sim_profile_find(const char *name)
{
	if (strcmp(name, profiles[SIM_PROFILE_THIS_MACHINE].name) == 0)
		sim_profile_this_machine();
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

enum {
	BUDGET_INSTRUCTIONS,
	BUDGET_TIME,
	BUDGET_FUTURES,
	BUDGET_THREADS,
	BUDGET_MEMORY,
	BUDGET_DEPTH,
	BUDGET_COUNT
};

static const sim_budget_info budgets[BUDGET_COUNT] = {
	[BUDGET_INSTRUCTIONS] = {"--max-instructions", "instructions executed",
	                         500000000u, ""},
	[BUDGET_TIME] = {"--max-time", "seconds of virtual time", 3600u, "s"},
	[BUDGET_FUTURES] = {"--max-futures", "futures alive at once", 4000000u,
	                    ""},
	[BUDGET_THREADS] = {"--max-threads", "threads spawned in all", 100000u,
	                    ""},
	[BUDGET_MEMORY] = {"--max-memory", "MiB of memory for program values",
	                   1024u, "MiB"},
	[BUDGET_DEPTH] = {"--max-depth", "nested calls and polls on one thread",
	                  20000u, ""},
};

const sim_budget_info *
sim_budget_list(size_t *count)
{
	*count = BUDGET_COUNT;
	return budgets;
}

void
sim_options_default(sim_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->file_name = "main.rs";
	opt->profile = &profiles[0];
	opt->instr_cost_ns = 10;
	opt->max_instructions = budgets[BUDGET_INSTRUCTIONS].default_value;
	opt->max_virtual_ns = budgets[BUDGET_TIME].default_value * 1000000000u;
	opt->max_live_futures = budgets[BUDGET_FUTURES].default_value;
	opt->max_threads = budgets[BUDGET_THREADS].default_value;
	opt->max_memory_bytes = budgets[BUDGET_MEMORY].default_value << 20;
	opt->max_call_depth = (uint32_t)budgets[BUDGET_DEPTH].default_value;
}

int
sim_run(const lang_program *prog, const sim_options *opt, trace_log *log,
        sim_result *res)
{
	memset(res, 0, sizeof *res);
	sim_options o = *opt;
	sim_options def;
	sim_options_default(&def);
	/* Zero means "the default" for every budget. */
	if (!o.max_instructions)
		o.max_instructions = def.max_instructions;
	if (!o.max_virtual_ns)
		o.max_virtual_ns = def.max_virtual_ns;
	if (!o.max_live_futures)
		o.max_live_futures = def.max_live_futures;
	if (!o.max_threads)
		o.max_threads = def.max_threads;
	if (!o.max_memory_bytes)
		o.max_memory_bytes = def.max_memory_bytes;
	if (!o.max_call_depth)
		o.max_call_depth = def.max_call_depth;
	if (!o.profile)
		o.profile = def.profile;
	if (!o.file_name)
		o.file_name = def.file_name;

	sim_exec *ex = calloc(1, sizeof *ex);
	if (!ex)
		return -1;
	if (sim_exec_init(ex, prog, &o, log) < 0) {
		sim_exec_free(ex);
		free(ex);
		return -1;
	}
	/* The memory budget holds for every allocation of a program value
	 * during this run (see sim_value.h). */
	sim_value_limit = o.max_memory_bytes;
	sim_value_over = 0;
	sim_value_too_deep = 0;
	sim_exec_run(ex);
	sim_value_limit = 0;
	res->exit_status = ex->exit_status;
	res->stats = ex->stats;
	res->stats.virtual_ns = ex->now;
	res->message = ex->message;
	res->hint = ex->hint;
	res->stop_line = ex->stop_pos.line;
	res->stop_col = ex->stop_pos.col;
	ex->message = NULL;
	ex->hint = NULL;
	sim_exec_free(ex);
	free(ex);
	return 0;
}

void
sim_result_free(sim_result *res)
{
	free(res->message);
	free(res->hint);
	res->message = NULL;
	res->hint = NULL;
}
