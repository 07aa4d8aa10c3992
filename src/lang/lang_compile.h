/* lang_compile — from source text to a runnable program.
 *
 * Contract: lang_compile lexes, parses and compiles a whole Rust source file
 * into bytecode (lang_code.h) plus the static facts views need (functions,
 * their await points and the locals live at each, source lines). It never
 * prints: errors and warnings go to `diags`. It returns NULL when there was
 * any error (or memory ran out); warnings alone still give a program.
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_COMPILE_H
#define ASYNC_TUTORIAL_LANG_LANG_COMPILE_H

#include <stddef.h>

#include "lang/lang_diag.h"

typedef struct lang_program lang_program;

lang_program *
lang_compile(const char *src, size_t len, lang_diags *diags);

void
lang_program_free(lang_program *prog);

#endif
