/* ui_lsan — what LeakSanitizer should not report, built into the program.
 *
 * Contract: with --enable-sanitizers, LeakSanitizer calls
 * __lsan_default_suppressions at start-up and ignores the leaks it names;
 * without sanitizers nothing calls it and it costs nothing. The list is in
 * the program rather than in LSAN_OPTIONS because the TUI tests run it
 * under `env -i`, which drops every environment variable.
 *
 * Only leaks of libraries we cannot fix belong here, each with why:
 *
 *   wcsdup: libedit's el_set (the narrow-character wrapper) copies the
 *   name and help of every EL_ADDFN function with wcsdup and never frees
 *   the copies (its eln.c says so); ui_line.c adds two functions per
 *   line editor. Nothing of ours calls wcsdup, and with ASan's fast
 *   unwinder the report stops at wcsdup, inside libc, so its name is what
 *   can be matched.
 */
#include "config.h"

const char *
__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:wcsdup\n";
}
