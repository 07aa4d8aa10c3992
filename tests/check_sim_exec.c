#include "config.h"

#include "check_suites.h"

/* Placeholder: replaced by the module's real suite. */
Suite *
suite_sim_exec(void)
{
	return suite_create("sim_exec");
}
