/* Fuzz target: program text through the lexer, the parser and the
 * compiler. Any bytes must give either a program or diagnostics, never a
 * crash; a learner can paste anything into a lesson's editor. */
#include "config.h"

#include "fuzz.h"

#include "lang/lang_compile.h"
#include "lang/lang_diag.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lang_diags diags;
	lang_diags_init(&diags);
	lang_program *prog = lang_compile((const char *)data, size, &diags);
	lang_program_free(prog);
	lang_diags_free(&diags);
	return 0;
}
