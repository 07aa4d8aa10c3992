#include "config.h"

#include "check_suites.h"

/* Placeholder: replaced by the module's real suite. */
Suite *
suite_lang_compile(void)
{
	return suite_create("lang_compile");
}
