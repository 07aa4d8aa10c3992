/* Fuzz target: a whole run under tight budgets, then the visualizer's
 * model of it. Whatever a program does (loop forever, spawn without end,
 * recurse, overflow), the budgets must stop it quickly and the trace it
 * leaves must be one the view can open and move around in. The budgets are
 * small so that each input runs in milliseconds; the defaults are tested
 * by tests/programs.test. */
#include "config.h"

#include "fuzz.h"

#include "lang/lang_compile.h"
#include "lang/lang_diag.h"
#include "sim/sim_run.h"
#include "trace/trace_log.h"
#include "trace/trace_view.h"

/* Looks at the view from a few places, as the visualizer would: the
 * start, the end, the middle by event and by time, one step of each size
 * either way, and what is on screen there. */
static void
fuzz_view(trace_view *v)
{
	char buf[512];
	trace_view_row rows[8];
	size_t n = trace_view_events(v);
	size_t at[] = {0, n, n / 2, n / 3};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		trace_view_seek(v, at[i]);
		trace_view_narrate(v, buf, sizeof buf);
		trace_view_window(v, 0, 8, rows);
		for (int s = 0; s < TRACE_VIEW_STEP_COUNT; s++) {
			uint64_t tick, ticks;
			trace_view_next(v, (trace_view_step)s);
			trace_view_prev(v, (trace_view_step)s);
			trace_view_tick(v, (trace_view_step)s, &tick, &ticks);
		}
	}
	trace_view_seek_time(v, trace_view_end_time(v) / 2);
	trace_view_narrate(v, buf, sizeof buf);
	trace_view_last(v);
	for (size_t i = 0; i < trace_view_output_lines(v) && i < 4; i++)
		trace_view_output_line(v, i, buf, sizeof buf, NULL);
	trace_view_first(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lang_diags diags;
	lang_diags_init(&diags);
	lang_program *prog = lang_compile((const char *)data, size, &diags);
	lang_diags_free(&diags);
	if (!prog)
		return 0;
	sim_options opt;
	sim_options_default(&opt);
	opt.file_name = "fuzz.rs";
	opt.max_instructions = 20000;
	opt.max_live_futures = 200;
	opt.max_threads = 16;
	opt.max_virtual_ns = UINT64_C(60000000000);
	opt.max_memory_bytes = 8u * 1024 * 1024;
	trace_log *log = trace_log_new(TRACE_FULL);
	sim_result res = {0};
	if (log && sim_run(prog, &opt, log, &res) == 0) {
		trace_view *v = trace_view_new(log, prog);
		if (v) {
			fuzz_view(v);
			trace_view_free(v);
		}
	}
	sim_result_free(&res);
	trace_log_free(log);
	lang_program_free(prog);
	return 0;
}
