/* Fuzz target: the lesson file loader. A teacher's file can hold any
 * Markdown at all (or none); loading it must give a lesson or a list of
 * FILE:LINE problems. The name is fixed so that the file name rules are
 * not what stops the input. */
#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > LESSON_MAX_FILE_BYTES)
		return 0;
	/* No NUL after the text: lesson_parse takes a length, and a copy of
	 * exactly that size lets ASan catch a read past it. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	lesson_diags diags;
	lesson_diags_init(&diags);
	lesson *l = lesson_parse("lessons/01-fuzz.md", text, size, &diags);
	if (l) {
		lesson_main_program(l);
		lesson_program_find(l, "1");
		lesson_program_find(l, "main");
		lesson_free(l);
	}
	lesson_diags_free(&diags);
	free(text);
	return 0;
}
