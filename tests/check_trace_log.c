#include "config.h"

#include "check_suites.h"

#include "trace/trace_lint.h"
#include "trace/trace_log.h"

#include <stdio.h>
#include <string.h>

static trace_event
ev_make(trace_kind kind, uint64_t t, uint32_t future, uint32_t a, uint32_t b)
{
	trace_event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.time_ns = t;
	ev.future = future;
	ev.a = a;
	ev.b = b;
	return ev;
}

START_TEST(test_event_is_24_bytes)
{
	ck_assert_uint_eq(sizeof(trace_event), 24);
}
END_TEST

START_TEST(test_full_stores_events_in_order)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(trace_log_mode(log), TRACE_FULL);
	ck_assert(trace_log_wants_strings(log));
	ck_assert_uint_eq(trace_log_count(log), 0);
	ck_assert_ptr_null(trace_log_at(log, 0));

	/* Enough to span several chunks. */
	const uint32_t n = 50000;
	int failed = 0;
	for (uint32_t i = 0; i < n; i++) {
		trace_event ev = ev_make(TRACE_POLL_BEGIN, 10u * i, i + 1,
		                         i * 3u, i ^ 0xabcdu);
		ev.thread = (uint16_t)(i % 7);
		ev.flags = (uint8_t)(i & 0xff);
		failed += trace_log_emit(log, &ev) != 0;
	}
	ck_assert_int_eq(failed, 0);
	ck_assert_uint_eq(trace_log_count(log), n);
	ck_assert_uint_eq(trace_log_stored(log), n);
	for (uint32_t i = 0; i < n; i += 997) {
		const trace_event *ev = trace_log_at(log, i);
		ck_assert_ptr_nonnull(ev);
		ck_assert_uint_eq(ev->kind, TRACE_POLL_BEGIN);
		ck_assert_uint_eq(ev->time_ns, 10u * i);
		ck_assert_uint_eq(ev->future, i + 1);
		ck_assert_uint_eq(ev->a, i * 3u);
		ck_assert_uint_eq(ev->b, i ^ 0xabcdu);
		ck_assert_uint_eq(ev->thread, i % 7);
		ck_assert_uint_eq(ev->flags, i & 0xff);
	}
	ck_assert_ptr_null(trace_log_at(log, n));
	trace_log_free(log);
}
END_TEST

START_TEST(test_full_bytes_close_to_24_per_event)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	size_t empty = trace_log_bytes(log);
	trace_event ev = ev_make(TRACE_WAKE, 1, 2, 3, 4);
	const size_t n = 1000000;
	int failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += trace_log_emit(log, &ev) != 0;
	ck_assert_int_eq(failed, 0);
	size_t used = trace_log_bytes(log) - empty;
	ck_assert_uint_ge(used, 24 * n);
	/* At most one partly filled chunk and the chunk table on top. */
	ck_assert_uint_le(used, 24 * n + 256 * 1024);
	trace_log_free(log);
}
END_TEST

START_TEST(test_count_mode_counts_but_stores_nothing)
{
	trace_log *log = trace_log_new(TRACE_COUNT);
	ck_assert_int_eq(trace_log_mode(log), TRACE_COUNT);
	ck_assert(!trace_log_wants_strings(log));
	size_t empty = trace_log_bytes(log);
	trace_event ev = ev_make(TRACE_POLL_END, 5, 1, 0, 0);
	int failed = 0;
	for (int i = 0; i < 100000; i++)
		failed += trace_log_emit(log, &ev) != 0;
	ck_assert_int_eq(failed, 0);
	ck_assert_uint_eq(trace_log_count(log), 100000);
	ck_assert_uint_eq(trace_log_stored(log), 0);
	ck_assert_ptr_null(trace_log_at(log, 0));
	ck_assert_uint_eq(trace_log_bytes(log), empty);
	ck_assert_uint_eq(trace_log_intern(log, "foo(1)", 6), 0);
	ck_assert_str_eq(trace_log_string(log, 1, NULL), "");
	trace_log_free(log);
}
END_TEST

START_TEST(test_bad_kind_is_refused)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	trace_event ev = ev_make(TRACE_KIND_COUNT, 0, 0, 0, 0);
	ck_assert_int_eq(trace_log_emit(log, &ev), -1);
	ck_assert_uint_eq(trace_log_count(log), 0);
	trace_log_free(log);
}
END_TEST

START_TEST(test_strings)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	size_t len = 99;
	ck_assert_str_eq(trace_log_string(log, 0, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert_uint_eq(trace_log_intern(log, "", 0), 0);

	uint32_t foo = trace_log_intern(log, "foo(3)", 6);
	uint32_t bar = trace_log_intern(log, "bar(12)xyz", 7);
	ck_assert_uint_ne(foo, 0);
	ck_assert_uint_ne(bar, 0);
	ck_assert_uint_ne(foo, bar);
	ck_assert_str_eq(trace_log_string(log, foo, &len), "foo(3)");
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(trace_log_string(log, bar, &len), "bar(12)");
	ck_assert_uint_eq(len, 7);
	/* Short strings may be shared; equal text either way. */
	uint32_t foo2 = trace_log_intern(log, "foo(3)", 6);
	ck_assert_str_eq(trace_log_string(log, foo2, NULL), "foo(3)");
	/* Embedded NUL bytes survive, with the length. */
	uint32_t nul = trace_log_intern(log, "a\0b", 3);
	const char *s = trace_log_string(log, nul, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(s, "a\0b", 3);
	/* Unknown ids are the empty string. */
	ck_assert_str_eq(trace_log_string(log, 123456, &len), "");
	ck_assert_uint_eq(len, 0);

	/* Many strings: the table grows and keeps them all. */
	char buf[64];
	uint32_t ids[5000];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf,
		                 "future number %d with a long "
		                 "name",
		                 i);
		ids[i] = trace_log_intern(log, buf, (size_t)n);
		ck_assert_uint_ne(ids[i], 0);
	}
	for (int i = 0; i < 5000; i += 61) {
		int n = snprintf(buf, sizeof buf,
		                 "future number %d with a long "
		                 "name",
		                 i);
		ck_assert_str_eq(trace_log_string(log, ids[i], &len), buf);
		ck_assert_uint_eq(len, (size_t)n);
	}
	ck_assert_str_eq(trace_log_string(log, foo, NULL), "foo(3)");
	trace_log_free(log);
}
END_TEST

START_TEST(test_repeated_short_strings_are_cheap)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	uint32_t first = trace_log_intern(log, "sleep(1s)", 9);
	size_t before = trace_log_bytes(log);
	int other = 0;
	for (int i = 0; i < 100000; i++)
		other += trace_log_intern(log, "sleep(1s)", 9) != first;
	ck_assert_int_eq(other, 0);
	ck_assert_uint_eq(trace_log_bytes(log), before);
	trace_log_free(log);
}
END_TEST

/* Lints attached to a log see its events, and the events they add land in
 * the log right after the event that caused them, without recursion. */
START_TEST(test_lints_fed_and_lint_events_appended)
{
	trace_log *log = trace_log_new(TRACE_FULL);
	trace_lint *lints = trace_lint_new();
	trace_log_set_lints(log, lints);
	trace_event ev = ev_make(TRACE_FUTURE_CREATED, 0, 1, 0,
	                         trace_log_intern(log, "main()", 6));
	trace_log_emit(log, &ev);
	ev = ev_make(TRACE_POLL_BEGIN, 0, 1, 0, 0);
	trace_log_emit(log, &ev);
	ev = ev_make(TRACE_THREAD_BLOCKED, 10, 1, 0, 0);
	trace_set_u64(&ev, 1000000010u);
	ev.flags = TRACE_BLOCK_SLEEP | TRACE_IN_POLL;
	ck_assert_int_eq(trace_log_emit(log, &ev), 0);
	ck_assert_uint_eq(trace_log_count(log), 4);
	const trace_event *lint = trace_log_at(log, 3);
	ck_assert_uint_eq(lint->kind, TRACE_LINT);
	ck_assert_uint_eq(lint->a, TRACE_LINT_BLOCKING_IN_ASYNC);
	ck_assert_uint_eq(lint->future, 1);
	ck_assert_uint_eq(lint->time_ns, 10);
	ck_assert_str_eq(trace_log_string(log, lint->b, NULL),
	                 "main() blocked thread main for 1.000 s inside its "
	                 "poll");
	ck_assert_uint_eq(trace_lint_fired(lints, 0)->seq, 2);

	/* The end of the run: end-of-run lints come before TRACE_RUN_END. */
	ev = ev_make(TRACE_FUTURE_CREATED, 20, 2, 1,
	             trace_log_intern(log, "foo(1)", 6));
	trace_log_emit(log, &ev);
	ev = ev_make(TRACE_RUN_END, 30, 0, 0, 0);
	ck_assert_int_eq(trace_log_emit(log, &ev), 0);
	size_t n = trace_log_stored(log);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(trace_log_at(log, n - 2)->kind, TRACE_LINT);
	ck_assert_uint_eq(trace_log_at(log, n - 2)->a,
	                  TRACE_LINT_NEVER_AWAITED);
	ck_assert_uint_eq(trace_log_at(log, n - 2)->time_ns, 30);
	ck_assert_uint_eq(trace_log_at(log, n - 1)->kind, TRACE_RUN_END);
	trace_lint_free(lints);
	trace_log_free(log);
}
END_TEST

/* Count mode still feeds the lints; their events are counted. */
START_TEST(test_count_mode_feeds_lints)
{
	trace_log *log = trace_log_new(TRACE_COUNT);
	trace_lint *lints = trace_lint_new();
	trace_log_set_lints(log, lints);
	trace_event ev = ev_make(TRACE_FUTURE_CREATED, 0, 1, 0, 0);
	trace_log_emit(log, &ev);
	ev = ev_make(TRACE_POLL_BEGIN, 0, 1, 0, 0);
	trace_log_emit(log, &ev);
	ev = ev_make(TRACE_THREAD_BLOCKED, 0, 1, 0, 0);
	trace_set_u64(&ev, 5000);
	ev.flags = TRACE_BLOCK_SLEEP | TRACE_IN_POLL;
	trace_log_emit(log, &ev);
	ck_assert_uint_eq(trace_log_count(log), 4);
	ck_assert_uint_eq(trace_log_stored(log), 0);
	ck_assert_uint_eq(trace_lint_fired_count(lints), 1);
	ck_assert_str_eq(trace_lint_fired(lints, 0)->detail,
	                 "future #1 blocked thread main for 5.000 us inside "
	                 "its poll");
	trace_lint_free(lints);
	trace_log_free(log);
}
END_TEST

Suite *
suite_trace_log(void)
{
	Suite *s = suite_create("trace_log");
	TCase *tc = tcase_create("log");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_event_is_24_bytes);
	tcase_add_test(tc, test_full_stores_events_in_order);
	tcase_add_test(tc, test_full_bytes_close_to_24_per_event);
	tcase_add_test(tc, test_count_mode_counts_but_stores_nothing);
	tcase_add_test(tc, test_bad_kind_is_refused);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_repeated_short_strings_are_cheap);
	tcase_add_test(tc, test_lints_fed_and_lint_events_appended);
	tcase_add_test(tc, test_count_mode_feeds_lints);
	suite_add_tcase(s, tc);
	return s;
}
