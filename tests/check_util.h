/* check_util — run a Rust program through the compiler and the simulator
 * from a check test, and ask questions about its trace.
 *
 * Contract: run_program compiles `src` with lang_compile and, if that
 * worked, runs it with sim_run with lint detectors attached, capturing the
 * program's stdout and stderr into strings, so a test reads like the spec:
 * "this program prints that and exits with this status". Everything the run
 * produced (diagnostics, result, trace, lints) stays in the prog_run until
 * prog_run_free. The helpers are static inline so this header needs no .c
 * file and an unused helper costs no warning.
 */
#ifndef ASYNC_TUTORIAL_TESTS_CHECK_UTIL_H
#define ASYNC_TUTORIAL_TESTS_CHECK_UTIL_H

#include <check.h>

#include "lang/lang_compile.h"
#include "lang/lang_diag.h"
#include "sim/sim_run.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The file name panics show; tests compare locations against it. */
#define CHECK_FILE "src/main.rs"

/* A growable string that the output callback appends to. */
typedef struct check_buf {
	char *s;
	size_t len, cap;
} check_buf;

typedef struct prog_run {
	int compiled;    /* 0: lang_compile returned NULL (see diags) */
	int status;      /* the run's exit status; -1 if it never ran */
	const char *out; /* what the program printed, NUL-terminated */
	const char *err;
	check_buf outb, errb;
	lang_diags diags;
	lang_program *prog;
	sim_result res;
	trace_log *log;
	trace_lint *lints;
} prog_run;

static inline void
check_buf_put(check_buf *b, const char *text, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		ck_assert_ptr_nonnull(s);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, text, len);
	b->len += len;
	b->s[b->len] = 0;
}

static inline void
check_on_output(void *ctx, int stream, const char *text, size_t len)
{
	prog_run *r = ctx;
	ck_assert(stream == 1 || stream == 2);
	check_buf_put(stream == 1 ? &r->outb : &r->errb, text, len);
}

/* Options for tests: the defaults with a small instruction budget, so a
 * runaway program costs a fraction of a second instead of minutes, and the
 * file name cargo would show. */
static inline void
check_options(sim_options *opt)
{
	sim_options_default(opt);
	opt->file_name = CHECK_FILE;
	opt->max_instructions = 20000000;
}

/* Compiles and, when that works, runs src with `opt` (NULL: check_options)
 * and a trace in `mode`. */
static inline void
run_with(prog_run *r, const char *src, const sim_options *opt,
         trace_mode mode)
{
	memset(r, 0, sizeof *r);
	r->status = -1;
	check_buf_put(&r->outb, "", 0);
	check_buf_put(&r->errb, "", 0);
	lang_diags_init(&r->diags);
	r->prog = lang_compile(src, strlen(src), &r->diags);
	r->compiled = r->prog != NULL;
	if (r->prog) {
		sim_options o;
		if (opt)
			o = *opt;
		else
			check_options(&o);
		o.on_output = check_on_output;
		o.output_ctx = r;
		r->log = trace_log_new(mode);
		r->lints = trace_lint_new();
		ck_assert_ptr_nonnull(r->log);
		ck_assert_ptr_nonnull(r->lints);
		trace_log_set_lints(r->log, r->lints);
		ck_assert_int_eq(sim_run(r->prog, &o, r->log, &r->res), 0);
		r->status = r->res.exit_status;
	}
	r->out = r->outb.s;
	r->err = r->errb.s;
}

/* The common case: default test options and the full trace. */
static inline void
run_program(prog_run *r, const char *src)
{
	run_with(r, src, NULL, TRACE_FULL);
}

static inline void
prog_run_free(prog_run *r)
{
	sim_result_free(&r->res);
	trace_log_free(r->log);
	trace_lint_free(r->lints);
	lang_program_free(r->prog);
	lang_diags_free(&r->diags);
	free(r->outb.s);
	free(r->errb.s);
	memset(r, 0, sizeof *r);
}

/* Asserts that src compiles, runs, prints exactly `out` on stdout and ends
 * with `status`. The messages name the program so a failure is readable. */
#define assert_run(src, want_out, want_status)                               \
	do {                                                                 \
		prog_run r_;                                                 \
		run_program(&r_, (src));                                     \
		ck_assert_msg(r_.compiled, "did not compile: %s",            \
		              r_.diags.len ? r_.diags.items[0].message : "?"); \
		ck_assert_str_eq(r_.out, (want_out));                        \
		ck_assert_int_eq(r_.status, (want_status));                  \
		prog_run_free(&r_);                                          \
	} while (0)

/* The first error diagnostic, which a compile-error test expects. */
static inline const lang_diag *
first_error(const prog_run *r)
{
	for (size_t i = 0; i < r->diags.len; i++)
		if (r->diags.items[i].severity == LANG_ERROR)
			return &r->diags.items[i];
	return NULL;
}

/* --- trace questions -------------------------------------------------- */

static inline size_t
ev_count(const prog_run *r)
{
	return trace_log_stored(r->log);
}

static inline const trace_event *
ev_at(const prog_run *r, size_t i)
{
	return trace_log_at(r->log, i);
}

static inline const char *
ev_str(const prog_run *r, uint32_t id)
{
	return trace_log_string(r->log, id, NULL);
}

/* How many stored events have this kind. */
static inline size_t
count_kind(const prog_run *r, trace_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < ev_count(r); i++)
		if (ev_at(r, i)->kind == kind)
			n++;
	return n;
}

/* The name a future was created with ("" if it was never created). */
static inline const char *
future_name(const prog_run *r, uint32_t future)
{
	for (size_t i = 0; i < ev_count(r); i++) {
		const trace_event *e = ev_at(r, i);
		if (e->kind == TRACE_FUTURE_CREATED && e->future == future)
			return ev_str(r, e->b);
	}
	return "";
}

/* The id of the nth (0-based) future created with exactly this name, 0 if
 * there is none. */
static inline uint32_t
future_named(const prog_run *r, const char *name, int nth)
{
	for (size_t i = 0; i < ev_count(r); i++) {
		const trace_event *e = ev_at(r, i);
		if (e->kind == TRACE_FUTURE_CREATED &&
		    strcmp(ev_str(r, e->b), name) == 0 && nth-- == 0)
			return e->future;
	}
	return 0;
}

/* How many events of `kind` concern `future`. */
static inline size_t
count_kind_of(const prog_run *r, trace_kind kind, uint32_t future)
{
	size_t n = 0;
	for (size_t i = 0; i < ev_count(r); i++) {
		const trace_event *e = ev_at(r, i);
		if (e->kind == kind && e->future == future)
			n++;
	}
	return n;
}

/* The index of the first event of `kind` at or after `from` concerning
 * `future` (any future if 0); SIZE_MAX if there is none. */
static inline size_t
find_event(const prog_run *r, size_t from, trace_kind kind, uint32_t future)
{
	for (size_t i = from; i < ev_count(r); i++) {
		const trace_event *e = ev_at(r, i);
		if (e->kind == kind && (future == 0 || e->future == future))
			return i;
	}
	return SIZE_MAX;
}

/* Whether a lint fired, by its stable name. */
static inline const trace_lint_hit *
lint_hit(const prog_run *r, trace_lint_id id)
{
	return trace_lint_hit_of(r->lints, id);
}

#endif
