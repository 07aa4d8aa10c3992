#include "config.h"

#include "check_suites.h"

#include "trace/trace_json.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"
#include "trace/trace_plain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small log built by hand, as the simulator would emit it. */
typedef struct ex {
	trace_log *log;
	trace_lint *lints;
	uint64_t now;
	uint16_t thread;
} ex;

static void
ex_init(ex *x, trace_mode mode)
{
	memset(x, 0, sizeof *x);
	x->log = trace_log_new(mode);
	x->lints = trace_lint_new();
	trace_log_set_lints(x->log, x->lints);
}

static void
ex_free(ex *x)
{
	trace_lint_free(x->lints);
	trace_log_free(x->log);
}

static uint32_t
ex_str(ex *x, const char *s)
{
	return trace_log_intern(x->log, s, strlen(s));
}

static void
ex_emit(ex *x, trace_kind kind, uint32_t future, uint32_t a, uint32_t b,
        uint8_t flags)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.time_ns = x->now;
	ev.kind = (uint8_t)kind;
	ev.future = future;
	ev.a = a;
	ev.b = b;
	ev.flags = flags;
	ev.thread = x->thread;
	ck_assert_int_eq(trace_log_emit(x->log, &ev), 0);
}

/* An event whose a and b carry a time. */
static void
ex_emit_time(ex *x, trace_kind kind, uint32_t future, uint64_t t, uint8_t flags)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.time_ns = x->now;
	ev.kind = (uint8_t)kind;
	ev.future = future;
	ev.flags = flags;
	ev.thread = x->thread;
	trace_set_u64(&ev, t);
	ck_assert_int_eq(trace_log_emit(x->log, &ev), 0);
}

/* main() awaits foo(3), which awaits sleep(1s), then prints "end 3". */
static void
ex_foo(ex *x)
{
	ex_emit(x, TRACE_FUTURE_CREATED, 1, 0, ex_str(x, "main()"),
	        TRACE_FT_ASYNC_FN);
	ex_emit(x, TRACE_TASK_SPAWNED, 1, 0, 0, 0);
	ex_emit(x, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	x->now += 1000;
	ex_emit(x, TRACE_FUTURE_CREATED, 2, 1, ex_str(x, "foo(3)"),
	        TRACE_FT_ASYNC_FN);
	ex_emit(x, TRACE_POLL_BEGIN, 2, 1, 0, 0);
	x->now += 1000;
	ex_emit(x, TRACE_FUTURE_CREATED, 3, 2, ex_str(x, "sleep(1s)"),
	        TRACE_FT_SLEEP);
	ex_emit(x, TRACE_POLL_BEGIN, 3, 2, 0, 0);
	ex_emit_time(x, TRACE_TIMER_ARMED, 3, x->now + 1000000000u, 0);
	ex_emit(x, TRACE_WAKER_REGISTERED, 3, 0, 0, 0);
	ex_emit(x, TRACE_POLL_END, 3, 0, 0, TRACE_PENDING);
	ex_emit(x, TRACE_POLL_END, 2, 1, 4, TRACE_PENDING);
	ex_emit(x, TRACE_POLL_END, 1, 1, 9, TRACE_PENDING);
	ex_emit_time(x, TRACE_THREAD_BLOCKED, 0, x->now + 1000000000u,
	             TRACE_BLOCK_PARK);
	uint64_t before = x->now;
	x->now += 1000000000u;
	ex_emit_time(x, TRACE_CLOCK_ADVANCE, 0, before, 0);
	ex_emit(x, TRACE_TIMER_FIRED, 3, 0, 0, 0);
	ex_emit(x, TRACE_WAKE, 1, 0, 0, TRACE_WAKE_TASK);
	ex_emit(x, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
	ex_emit(x, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	x->now += 1000;
	ex_emit(x, TRACE_POLL_BEGIN, 2, 1, 0, 0);
	ex_emit(x, TRACE_LINE, 2, 5, 9, 0);
	ex_emit(x, TRACE_POLL_BEGIN, 3, 2, 0, 0);
	ex_emit(x, TRACE_POLL_END, 3, 0, 0, TRACE_READY);
	ex_emit(x, TRACE_FUTURE_DROPPED, 3, 0, 0, 0);
	x->now += 19000;
	ex_emit(x, TRACE_OUTPUT, 0, ex_str(x, "end 3\n"), 0, 1);
	ex_emit(x, TRACE_POLL_END, 2, 0, 0, TRACE_READY);
	ex_emit(x, TRACE_FUTURE_DROPPED, 2, 0, 0, 0);
	ex_emit(x, TRACE_POLL_END, 1, 0, 0, TRACE_READY);
	ex_emit(x, TRACE_TASK_DONE, 1, 0, 0, 0);
	ex_emit(x, TRACE_RUN_END, 0, 0, 0, 0);
}

/* Renders into a malloc'd string. */
static char *
ex_plain(ex *x, int use_lints, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(trace_plain_write(f, x->log,
	                                   use_lints ? x->lints : NULL, flags),
	                 0);
	fclose(f);
	return buf;
}

static char *
ex_json(ex *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(trace_json_write(f, x->log), 0);
	fclose(f);
	return buf;
}

/* The line of text that contains needle, or NULL. */
static char *
ex_line_with(const char *text, const char *needle)
{
	static char line[512];
	const char *p = strstr(text, needle);
	if (p == NULL)
		return NULL;
	const char *start = p;
	while (start > text && start[-1] != '\n')
		start--;
	const char *end = strchr(p, '\n');
	size_t n = end ? (size_t)(end - start) : strlen(start);
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, start, n);
	line[n] = '\0';
	return line;
}

/* The golden text, one output line per source line. */
/* clang-format off */
static const char golden_foo[] =
	"# async-tutorial trace, plain format 1\n"
	"# time      thread    verb     subject            details\n"
	"T+0.000000  main      new      main()             async fn\n"
	"T+0.000000  main      spawn    task 0             root main()\n"
	"T+0.000000  main      poll     main()             <- executor, task 0\n"
	"T+0.000001  main      new      foo(3)             async fn, by main()\n"
	"T+0.000001  main      poll     foo(3)             <- main(), task 0\n"
	"T+0.000002  main      new      sleep(1s)          sleep, by foo(3)\n"
	"T+0.000002  main      poll     sleep(1s)          <- foo(3), task 0\n"
	"T+0.000002  main      timer    sleep(1s)          deadline T+1.000002\n"
	"T+0.000002  main      waker    sleep(1s)          task 0\n"
	"T+0.000002  main      pending  sleep(1s)\n"
	"T+0.000002  main      pending  foo(3)             at await 1, line 4\n"
	"T+0.000002  main      pending  main()             at await 1, line 9\n"
	"T+0.000002  main      block    park               until T+1.000002\n"
	"T+1.000002  main      clock    +1.000000 s        from T+0.000002\n"
	"T+1.000002  main      fire     sleep(1s)\n"
	"T+1.000002  main      wake     main()             task 0, by timer\n"
	"T+1.000002  main      resume   main\n"
	"T+1.000002  main      poll     main()             <- executor, task 0\n"
	"T+1.000003  main      poll     foo(3)             <- main(), task 0\n"
	"T+1.000003  main      poll     sleep(1s)          <- foo(3), task 0\n"
	"T+1.000003  main      ready    sleep(1s)\n"
	"T+1.000003  main      drop     sleep(1s)\n"
	"T+1.000022  main      out      | end 3\n"
	"T+1.000022  main      ready    foo(3)\n"
	"T+1.000022  main      drop     foo(3)\n"
	"T+1.000022  main      ready    main()\n"
	"T+1.000022  main      done     task 0             root main()\n"
	"T+1.000022  main      end      status 0\n"
	"# end at T+1.000022 (virtual time), 29 events\n"
	"# futures: 3 created, 6 polls (3 Pending, 3 Ready), 1 wake, 1 timer fired\n"
	"# threads: 1, tasks: 1\n"
	"# lints: none\n";
/* clang-format on */

START_TEST(test_plain_golden)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_foo(&x);
	char *text = ex_plain(&x, 1, 0);
	ck_assert_str_eq(text, golden_foo);
	free(text);
	/* Without the lint object, the same (lints from the log). */
	text = ex_plain(&x, 0, 0);
	ck_assert_str_eq(text, golden_foo);
	free(text);
	/* trace_plain_print is the default rendering. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(trace_plain_print(f, x.log, x.lints), 0);
	fclose(f);
	ck_assert_str_eq(buf, golden_foo);
	free(buf);
	ex_free(&x);
}
END_TEST

START_TEST(test_plain_lines_option)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_foo(&x);
	char *text = ex_plain(&x, 1, TRACE_PLAIN_LINES);
	ck_assert_str_eq(ex_line_with(text, "line     5"),
	                 "T+1.000003  main      line     5:9                "
	                 "foo(3)");
	free(text);
	ex_free(&x);
}
END_TEST

START_TEST(test_plain_states_option)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, ex_str(&x, "foo(3)"), 0);
	ex_emit(&x, TRACE_STATE, 1, 1, 0, 0);
	ex_emit(&x, TRACE_LOCAL, 1, ex_str(&x, "n"), ex_str(&x, "3"), 0);
	ex_emit(&x, TRACE_STATE, 1, UINT32_MAX, 0, 0);
	char *text = ex_plain(&x, 1, 0);
	ck_assert_ptr_null(strstr(text, " state "));
	free(text);
	text = ex_plain(&x, 1, TRACE_PLAIN_ALL);
	ck_assert_str_eq(ex_line_with(text, "await 1"),
	                 "T+0.000000  main      state    foo(3)             "
	                 "await 1");
	ck_assert_str_eq(ex_line_with(text, " local "),
	                 "T+0.000000  main      local    foo(3)             "
	                 "n = 3");
	ck_assert_ptr_nonnull(ex_line_with(text, "Done"));
	free(text);
	ex_free(&x);
}
END_TEST

/* Program output: one line per line, marked, escaped. */
START_TEST(test_plain_output_lines)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_emit(&x, TRACE_OUTPUT, 0, ex_str(&x, "a\nb\n"), 0, 1);
	ex_emit(&x, TRACE_OUTPUT, 0, ex_str(&x, "no newline "), 0, 1);
	ex_emit(&x, TRACE_OUTPUT, 0, ex_str(&x, "oops\n"), 0, 2);
	ex_emit(&x, TRACE_OUTPUT, 0, ex_str(&x, "\n"), 0, 1);
	ex_emit(&x, TRACE_OUTPUT, 0,
	        ex_str(&x, "\x1b[31mred\tt\xc3\xa9 \xff\x7f\r\n"), 0, 1);
	char *text = ex_plain(&x, 1, 0);
	/* clang-format off */
	const char *want =
		"T+0.000000  main      out      | a\n"
		"T+0.000000  main      out      | b\n"
		"T+0.000000  main      out      ~ no newline \n"
		"T+0.000000  main      err      | oops\n"
		"T+0.000000  main      out      |\n"
		"T+0.000000  main      out      | \\x1b[31mred\\tt\xc3\xa9 \\xff\\x7f\\r\n";
	/* clang-format on */
	ck_assert_ptr_nonnull(strstr(text, want));
	free(text);
	ex_free(&x);
}
END_TEST

/* Blocking inside a poll on a named thread, and the lint it causes. */
START_TEST(test_plain_blocking_and_lints)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	x.thread = 1;
	ex_emit(&x, TRACE_THREAD_SPAWNED, 0, 0, ex_str(&x, "worker"), 0);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, ex_str(&x, "foo(3)"), 0);
	ex_emit(&x, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	x.now = 10000;
	ex_emit_time(&x, TRACE_THREAD_BLOCKED, 1, x.now + 1000000000u,
	             TRACE_BLOCK_SLEEP | TRACE_IN_POLL);
	x.now += 1000000000u;
	ex_emit(&x, TRACE_THREAD_RESUMED, 0, 0, 0, 0);
	ex_emit(&x, TRACE_POLL_END, 1, 0, 0, TRACE_READY);
	ex_emit(&x, TRACE_THREAD_EXITED, 0, 0, 0, 0);
	x.thread = 0;
	ex_emit_time(&x, TRACE_THREAD_BLOCKED, 0, 1, TRACE_BLOCK_JOIN);
	ex_emit(&x, TRACE_FUTURE_CREATED, 2, 0, ex_str(&x, "lazy()"), 0);
	ex_emit(&x, TRACE_FUTURE_DROPPED, 2, 0, 0, 1);
	ex_emit(&x, TRACE_RUN_END, 0, 0, ex_str(&x, "main returned"), 0);
	char *text = ex_plain(&x, 1, 0);
	/* clang-format off */
	const char *want =
		"T+0.000000  main      spawn    worker             new thread\n"
		"T+0.000000  worker    new      foo(3)             async fn\n"
		"T+0.000000  worker    poll     foo(3)             <- executor, task 0\n"
		"T+0.000010  worker    block    thread::sleep      for 1.000000 s until T+1.000010, inside poll of foo(3)\n"
		"T+0.000010  worker    lint     blocking-in-async  foo(3) blocked thread worker for 1.000 s inside its poll\n"
		"T+1.000010  worker    resume   worker\n"
		"T+1.000010  worker    ready    foo(3)\n"
		"T+1.000010  worker    exit     worker\n"
		"T+1.000010  main      block    join               worker\n"
		"T+1.000010  main      new      lazy()             async fn\n"
		"T+1.000010  main      drop     lazy()             never polled\n"
		"T+1.000010  main      lint     never-awaited      lazy() was dropped without ever being polled\n"
		"T+1.000010  main      end      status 0           main returned\n"
		"# end at T+1.000010 (virtual time), 13 events\n"
		"# futures: 2 created, 1 poll (0 Pending, 1 Ready), 0 wakes, 0 timers fired\n"
		"# threads: 2, tasks: 1\n"
		"# lints: 2\n"
		"# lint blocking-in-async: a thread blocked inside a future's poll, so nothing else on that executor could run\n"
		"#   at T+0.000010: foo(3) blocked thread worker for 1.000 s inside its poll\n"
		"# lint never-awaited: a future was created but never polled, so its body never ran\n"
		"#   at T+1.000010: lazy() was dropped without ever being polled\n";
	/* clang-format on */
	ck_assert_str_eq(strstr(text, "T+0.000000  main      spawn"), want);
	free(text);
	/* From the log's lint events alone, the summary is the same. */
	text = ex_plain(&x, 0, 0);
	ck_assert_str_eq(strstr(text, "T+0.000000  main      spawn"), want);
	free(text);
	ex_free(&x);
}
END_TEST

START_TEST(test_plain_other_events)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, ex_str(&x, "join_all[40]"),
	        TRACE_FT_JOIN_ALL);
	ex_emit(&x, TRACE_FUTURE_CREATED, 2, 1, 0, TRACE_FT_ASYNC_BLOCK);
	ex_emit(&x, TRACE_WAKER_REGISTERED, 2, 3, 1, 0);
	ex_emit(&x, TRACE_WAKE, 2, 2, 3, TRACE_WAKE_CHILD);
	ex_emit(&x, TRACE_THREAD_SPAWN_FAILED, 0, 0,
	        ex_str(&x, "failed to spawn thread"), 0);
	ex_emit(&x, TRACE_PANIC, 0, ex_str(&x, "boom"), 7, 0);
	ex_emit(&x, TRACE_TASK_SPAWNED, 2, 3, 0, 0);
	ex_emit_time(&x, TRACE_THREAD_BLOCKED, 0, UINT64_MAX, TRACE_BLOCK_PARK);
	ex_emit(&x, TRACE_RUN_END, 0, 101, 0, 0);
	char *t = ex_plain(&x, 1, 0);
	ck_assert_str_eq(ex_line_with(t, "new      future #2"),
	                 "T+0.000000  main      new      future #2          "
	                 "async block, by join_all[40]");
	ck_assert_str_eq(ex_line_with(t, "waker"),
	                 "T+0.000000  main      waker    future #2          "
	                 "task 3, for join_all[40]");
	ck_assert_str_eq(ex_line_with(t, " wake "),
	                 "T+0.000000  main      wake     future #2          "
	                 "join_all child, task 3, by future #2");
	ck_assert_str_eq(ex_line_with(t, "failed"),
	                 "T+0.000000  main      failed   thread spawn       "
	                 "failed to spawn thread");
	ck_assert_str_eq(ex_line_with(t, "panic"),
	                 "T+0.000000  main      panic    main               "
	                 "at line 7: boom");
	ck_assert_str_eq(ex_line_with(t, "spawn    task"),
	                 "T+0.000000  main      spawn    task 3             "
	                 "root future #2, by task 0");
	ck_assert_str_eq(ex_line_with(t, "park"),
	                 "T+0.000000  main      block    park");
	ck_assert_str_eq(ex_line_with(t, "status"),
	                 "T+0.000000  main      end      status 101");
	free(t);
	ex_free(&x);
}
END_TEST

/* Threads and tasks are counted by id, whether or not main's thread and
 * block_on's task are announced. */
START_TEST(test_plain_summary_counts)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_emit(&x, TRACE_THREAD_SPAWNED, 0, 0, ex_str(&x, "main"), 0);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, ex_str(&x, "main()"), 0);
	ex_emit(&x, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	x.thread = 1;
	ex_emit(&x, TRACE_THREAD_SPAWNED, 0, 0, 0, 0);
	char *t = ex_plain(&x, 1, 0);
	ck_assert_ptr_nonnull(strstr(t, "\n# threads: 2, tasks: 1\n"));
	ck_assert_str_eq(ex_line_with(t, "spawn    thread 1"),
	                 "T+0.000000  main      spawn    thread 1           "
	                 "new thread");
	free(t);
	ex_free(&x);
}
END_TEST

START_TEST(test_plain_count_mode)
{
	ex x;
	ex_init(&x, TRACE_COUNT);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, 0, 0);
	ex_emit(&x, TRACE_FUTURE_DROPPED, 1, 0, 0, 1);
	ex_emit(&x, TRACE_RUN_END, 0, 0, 0, 0);
	char *t = ex_plain(&x, 1, 0);
	ck_assert_str_eq(
	        t, "# async-tutorial trace, plain format 1\n"
	           "# time      thread    verb     subject            "
	           "details\n"
	           "# 4 events, not stored (count mode)\n"
	           "# lints: 1\n"
	           "# lint never-awaited: a future was created but never "
	           "polled, so its body never ran\n"
	           "#   at T+0.000000: future #1 was dropped without ever "
	           "being polled\n");
	free(t);
	ex_free(&x);
}
END_TEST

START_TEST(test_write_errors)
{
	FILE *full = fopen("/dev/full", "w");
	if (full == NULL)
		return; /* not Linux: nothing to test with */
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_foo(&x);
	ck_assert_int_eq(trace_plain_print(full, x.log, x.lints), -1);
	clearerr(full);
	ck_assert_int_eq(trace_json_write(full, x.log), -1);
	fclose(full);
	ex_free(&x);
}
END_TEST

/* ---- a small JSON validator, enough to be sure the file parses ---- */

typedef struct jp {
	const char *p;
	const char *end;
	int depth;
} jp;

static int jp_value(jp *j);

static void
jp_ws(jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' ||
	                         *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static int
jp_lit(jp *j, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static int
jp_string(jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return 0;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end)
				return 0;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end ||
					    !strchr("0123456789abcdefABCDEF",
					            j->p[i]))
						return 0;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p)) {
				return 0;
			}
			j->p++;
		} else if (c >= 0x80) {
			/* Valid UTF-8 only (no overlongs or surrogates). */
			int n = c >= 0xf0   ? 3
			        : c >= 0xe0 ? 2
			        : c >= 0xc2 ? 1
			                    : -1;
			if (n < 0 || c > 0xf4 || j->end - j->p <= n)
				return 0;
			unsigned char c1 = (unsigned char)j->p[1];
			if ((c == 0xe0 && c1 < 0xa0) ||
			    (c == 0xed && c1 > 0x9f) ||
			    (c == 0xf0 && c1 < 0x90) ||
			    (c == 0xf4 && c1 > 0x8f))
				return 0;
			for (int i = 1; i <= n; i++)
				if (((unsigned char)j->p[i] & 0xc0) != 0x80)
					return 0;
			j->p += n + 1;
		} else {
			j->p++;
		}
	}
	if (j->p >= j->end)
		return 0;
	j->p++;
	return 1;
}

static int
jp_number(jp *j)
{
	const char *start = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return 0;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return 0;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > start;
}

static int
jp_container(jp *j, char close)
{
	j->p++;
	if (++j->depth > 64)
		return 0;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 1;
	}
	for (;;) {
		jp_ws(j);
		if (close == '}') {
			if (!jp_string(j))
				return 0;
			jp_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return 0;
			j->p++;
		}
		if (!jp_value(j))
			return 0;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return 1;
		}
		return 0;
	}
}

static int
jp_value(jp *j)
{
	jp_ws(j);
	if (j->p >= j->end)
		return 0;
	switch (*j->p) {
	case '{':
		return jp_container(j, '}');
	case '[':
		return jp_container(j, ']');
	case '"':
		return jp_string(j);
	case 't':
		return jp_lit(j, "true");
	case 'f':
		return jp_lit(j, "false");
	case 'n':
		return jp_lit(j, "null");
	default:
		return jp_number(j);
	}
}

static int
json_valid(const char *text)
{
	jp j = {text, text + strlen(text), 0};
	if (!jp_value(&j))
		return 0;
	jp_ws(&j);
	return j.p == j.end;
}

START_TEST(test_json_validator_self_check)
{
	ck_assert(json_valid("{\"a\":[1,2.5,-3,\"x\\n\",true,null,{}]}"));
	ck_assert(!json_valid("{\"a\":[1,2}"));
	ck_assert(!json_valid("{\"a\":\"\x01\"}"));
	ck_assert(!json_valid("{\"a\":\"\xff\"}"));
	ck_assert(!json_valid("{\"a\":1,}"));
	ck_assert(!json_valid("[1] x"));
	ck_assert(!json_valid("[01]"));
}
END_TEST

START_TEST(test_json_structure)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_foo(&x);
	char *t = ex_json(&x);
	ck_assert(json_valid(t));
	ck_assert_str_eq(ex_line_with(t, "traceEvents"), "{\"traceEvents\":[");
	/* Groups and tracks. */
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
	        "\"args\":{\"name\":\"threads\"}}"));
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":2,\"tid\":0,"
	        "\"args\":{\"name\":\"futures\"}}"));
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,"
	           "\"args\":{\"name\":\"main\"}}"));
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":2,\"tid\":2,"
	           "\"args\":{\"name\":\"foo(3)\"}}"));
	/* foo(3)'s polls: complete events, microseconds from virtual ns. */
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"poll\",\"ph\":\"X\",\"ts\":1.000,\"pid\":2,"
	           "\"tid\":2,\"dur\":1.000,\"args\":{\"result\":\"Pending\","
	           "\"poller\":\"main()\",\"task\":0}}"));
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"poll\",\"ph\":\"X\",\"ts\":1000003.000,\"pid\":2,"
	        "\"tid\":2,\"dur\":19.000,\"args\":{\"result\":\"Ready\","
	        "\"poller\":\"main()\",\"task\":0}}"));
	/* The task's poll on its thread's track. */
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"main()\",\"ph\":\"X\",\"ts\":0.000,\"pid\":1,"
	           "\"tid\":1,\"dur\":2.000,"));
	/* Wakes and timers are instants. */
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"wake\",\"ph\":\"i\",\"ts\":1000002.000,\"pid\":2,"
	        "\"tid\":1,\"s\":\"t\",\"args\":{\"task\":0,\"by\":\"timer\"}"
	        "}"));
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"timer armed\",\"ph\":\"i\",\"ts\":2.000,"));
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"timer fired\",\"ph\":\"i\",\"ts\":1000002.000,"));
	/* The park, as a span on the thread. */
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"parked\",\"ph\":\"X\",\"ts\":2.000,\"pid\":1,"
	           "\"tid\":1,\"dur\":1000000.000}"));
	ck_assert_ptr_nonnull(strstr(t, "\"args\":{\"text\":\"end 3\\n\"}"));
	/* The run queue: in on spawn and wake, out on the executor's poll. */
	const char *q = "{\"name\":\"run queue\",\"ph\":\"C\"";
	int ups = 0, downs = 0;
	for (const char *p = strstr(t, q); p; p = strstr(p + 1, q)) {
		ups += strncmp(strstr(p, "\"tasks\":"), "\"tasks\":1", 9) == 0;
		downs +=
		        strncmp(strstr(p, "\"tasks\":"), "\"tasks\":0", 9) == 0;
	}
	ck_assert_int_eq(ups, 2);
	ck_assert_int_eq(downs, 2);
	free(t);
	ex_free(&x);
}
END_TEST

START_TEST(test_json_run_queue_counts_each_task_once)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	for (uint32_t task = 1; task <= 3; task++) {
		ex_emit(&x, TRACE_FUTURE_CREATED, task, 0, 0, TRACE_FT_TASK);
		ex_emit(&x, TRACE_TASK_SPAWNED, task, task, 0, 0);
	}
	x.now = 5000;
	ex_emit(&x, TRACE_WAKE, 1, 0, 1, TRACE_WAKE_TASK); /* already queued */
	ex_emit(&x, TRACE_POLL_BEGIN, 1, 0, 1, 0);
	ex_emit(&x, TRACE_WAKE, 1, 1, 1, TRACE_WAKE_TASK); /* wakes itself */
	ex_emit(&x, TRACE_POLL_END, 1, 0, 0, TRACE_PENDING);
	char *t = ex_json(&x);
	ck_assert(json_valid(t));
	const char *q = "\"run queue\",\"ph\":\"C\"";
	char seq[16] = "";
	size_t n = 0;
	for (const char *p = strstr(t, q); p && n < sizeof seq - 1;
	     p = strstr(p + 1, q))
		seq[n++] = strstr(p, "\"tasks\":")[8];
	seq[n] = '\0';
	ck_assert_str_eq(seq, "12323");
	free(t);
	ex_free(&x);
}
END_TEST

START_TEST(test_json_escaping)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	static const char name[] = "q\"b\\n\nc\x01"
	                           "d\x7f"
	                           "e\xff"
	                           "f\xc3\xa9"
	                           "g\xc0\xaf"
	                           "h\xed\xa0\x80"
	                           "i\xf0\x9f\x98\x80"
	                           "j\xe2\x82";
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0,
	        trace_log_intern(x.log, name, sizeof name - 1), 0);
	ex_emit(&x, TRACE_OUTPUT, 0, ex_str(&x, "tab\there\r\b\f"), 0, 2);
	char *t = ex_json(&x);
	ck_assert(json_valid(t));
	ck_assert_ptr_nonnull(strstr(
	        t, "\"args\":{\"name\":\"q\\\"b\\\\n\\nc\\u0001d\\u007fe\\ufffd"
	           "f\xc3\xa9g\\ufffd\\ufffdh\\ufffd\\ufffd\\ufffd"
	           "i\xf0\x9f\x98\x80j\\ufffd\\ufffd\"}"));
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"stderr\",\"ph\":\"i\",\"ts\":0.000,\"pid\":1,"
	           "\"tid\":1,\"s\":\"t\",\"args\":{\"text\":"
	           "\"tab\\there\\r\\b\\f\"}}"));
	free(t);
	ex_free(&x);
}
END_TEST

/* A run stopped in the middle of a poll and a block: spans still close. */
START_TEST(test_json_unfinished_spans)
{
	ex x;
	ex_init(&x, TRACE_FULL);
	ex_emit(&x, TRACE_FUTURE_CREATED, 1, 0, ex_str(&x, "main()"), 0);
	ex_emit(&x, TRACE_POLL_BEGIN, 1, 0, 0, 0);
	ex_emit_time(&x, TRACE_THREAD_BLOCKED, 1, 5000000u,
	             TRACE_BLOCK_SLEEP | TRACE_IN_POLL);
	x.now = 3000;
	ex_emit(&x, TRACE_PANIC, 0, ex_str(&x, "boom"), 2, 0);
	ex_emit(&x, TRACE_RUN_END, 0, 101, ex_str(&x, "panicked"), 0);
	char *t = ex_json(&x);
	ck_assert(json_valid(t));
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"poll\",\"ph\":\"X\",\"ts\":0.000,\"pid\":2,"
	        "\"tid\":1,\"dur\":3.000,\"args\":{\"result\":\"unfinished\""));
	ck_assert_ptr_nonnull(
	        strstr(t, "{\"name\":\"blocked "
	                  "(thread::sleep)\",\"ph\":\"X\",\"ts\":0.000,"
	                  "\"pid\":1,\"tid\":1,\"dur\":3.000,\"args\":"
	                  "{\"inside_poll_of\":\"main()\"}}"));
	ck_assert_ptr_nonnull(strstr(
	        t,
	        "{\"name\":\"blocking-in-async\",\"ph\":\"i\",\"ts\":0.000,"
	        "\"pid\":1,\"tid\":1,\"s\":\"g\",\"args\":{\"detail\":"
	        "\"main() blocked thread main for 5.000 ms inside its poll\","
	        "\"future\":\"main()\"}}"));
	ck_assert_ptr_nonnull(
	        strstr(t, "\"s\":\"g\",\"args\":{\"status\":101,\"reason\":"
	                  "\"panicked\"}}"));
	ck_assert_ptr_nonnull(strstr(
	        t, "{\"name\":\"panic\",\"ph\":\"i\",\"ts\":3.000,\"pid\":1,"
	           "\"tid\":1,\"s\":\"t\",\"args\":{\"message\":\"boom\","
	           "\"line\":2}}"));
	free(t);
	ex_free(&x);
}
END_TEST

START_TEST(test_json_count_mode_is_valid)
{
	ex x;
	ex_init(&x, TRACE_COUNT);
	ex_foo(&x);
	char *t = ex_json(&x);
	ck_assert(json_valid(t));
	ck_assert_ptr_null(strstr(t, "\"ph\":\"X\""));
	free(t);
	ex_free(&x);
}
END_TEST

Suite *
suite_trace_export(void)
{
	Suite *s = suite_create("trace_export");
	TCase *plain = tcase_create("plain");
	tcase_add_test(plain, test_plain_golden);
	tcase_add_test(plain, test_plain_lines_option);
	tcase_add_test(plain, test_plain_states_option);
	tcase_add_test(plain, test_plain_output_lines);
	tcase_add_test(plain, test_plain_blocking_and_lints);
	tcase_add_test(plain, test_plain_other_events);
	tcase_add_test(plain, test_plain_summary_counts);
	tcase_add_test(plain, test_plain_count_mode);
	tcase_add_test(plain, test_write_errors);
	suite_add_tcase(s, plain);
	TCase *json = tcase_create("json");
	tcase_add_test(json, test_json_validator_self_check);
	tcase_add_test(json, test_json_structure);
	tcase_add_test(json, test_json_run_queue_counts_each_task_once);
	tcase_add_test(json, test_json_escaping);
	tcase_add_test(json, test_json_unfinished_spans);
	tcase_add_test(json, test_json_count_mode_is_valid);
	suite_add_tcase(s, json);
	return s;
}
