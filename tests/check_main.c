#include "config.h"

#include "check_suites.h"

#include <stdlib.h>

static Suite *(*const suites[])(void) = {
	suite_lang_lex,   suite_lang_parse, suite_lang_compile,
	suite_sim_vm,     suite_sim_exec,   suite_trace_log,
	suite_trace_lint, suite_trace_export, suite_trace_view, suite_ui_cmd,
	suite_lab,
	suite_lesson,
};

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
