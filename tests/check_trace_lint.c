#include "config.h"

#include "check_suites.h"

/* Placeholder: replaced by the module's real suite. */
Suite *
suite_trace_lint(void)
{
	return suite_create("trace_lint");
}
