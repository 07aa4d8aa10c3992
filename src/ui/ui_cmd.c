#include "config.h"

#include "ui/ui_cmd.h"

#include <stdlib.h>
#include <string.h>

/* A stub while the command language is written: it links and answers that
 * commands are not ready. */

static const ui_cmd_entry ui_cmd_entries[] = {
        {"quit", "", "leave", NULL, NULL},
};

const ui_cmd_entry *
ui_cmd_table(size_t *count)
{
	*count = sizeof ui_cmd_entries / sizeof ui_cmd_entries[0];
	return ui_cmd_entries;
}

const ui_cmd_entry *
ui_cmd_find(const char *name)
{
	return strcmp(name, "quit") == 0 ? &ui_cmd_entries[0] : NULL;
}

const char *
ui_cmd_suggest(const char *name)
{
	return NULL;
}

int
ui_cmd_split(const char *line, ui_cmd_args *args, char *err, size_t errsize)
{
	memset(args, 0, sizeof *args);
	return 0;
}

void
ui_cmd_args_free(ui_cmd_args *args)
{
	memset(args, 0, sizeof *args);
}

size_t
ui_cmd_quote(const char *word, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%s", word);
}

ui_cmd_result
ui_cmd_exec(ui_cmd_env *env, const char *line)
{
	env->changed = 0;
	if (strncmp(line, "quit", 4) == 0)
		return UI_CMD_QUIT;
	fputs("The command line is not ready yet.\n", env->out);
	return UI_CMD_ERROR;
}

ui_cmd_result
ui_cmd_exec_argv(ui_cmd_env *env, int argc, char **argv)
{
	return argc > 0 ? ui_cmd_exec(env, argv[0]) : UI_CMD_EMPTY;
}

int
ui_cmd_complete(const ui_session *s, const char *line, size_t len,
                ui_cmd_completion *c)
{
	memset(c, 0, sizeof *c);
	return 0;
}

char *
ui_cmd_completion_text(const ui_cmd_completion *c)
{
	return NULL;
}

void
ui_cmd_completion_free(ui_cmd_completion *c)
{
	memset(c, 0, sizeof *c);
}
