/* check_suites — the list of check suites, one per module.
 *
 * Contract: each tests/check_<module>.c defines one suite_<module>() that
 * builds a Suite asserting that module's behaviour. check_main.c runs them
 * all in one runner. Adding a suite is one line here and one in the table in
 * check_main.c.
 */
#ifndef ASYNC_TUTORIAL_TESTS_CHECK_SUITES_H
#define ASYNC_TUTORIAL_TESTS_CHECK_SUITES_H

#include <check.h>

Suite *suite_lang_lex(void);
Suite *suite_lang_parse(void);
Suite *suite_lang_compile(void);
Suite *suite_sim_vm(void);
Suite *suite_sim_exec(void);
Suite *suite_trace_log(void);
Suite *suite_trace_lint(void);
Suite *suite_trace_export(void);
Suite *suite_trace_view(void);
Suite *suite_ui_cmd(void);
Suite *suite_lab(void);
Suite *suite_lesson(void);

#endif
