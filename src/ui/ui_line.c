#include "config.h"

#include "ui/ui_line.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* A stub while the line reader is written: plain getline only. */

struct ui_line {
	FILE *in;
};

ui_line *
ui_line_new(const char *prog, FILE *in, FILE *out, FILE *err,
            const ui_session *session)
{
	ui_line *l = calloc(1, sizeof *l);
	if (l)
		l->in = in;
	return l;
}

void
ui_line_free(ui_line *l)
{
	free(l);
}

int
ui_line_is_terminal(const ui_line *l)
{
	return 0;
}

ui_line_status
ui_line_read(ui_line *l, const char *prompt, char **line)
{
	size_t cap = 0;
	*line = NULL;
	ssize_t n = getline(line, &cap, l->in);
	if (n < 0) {
		free(*line);
		*line = NULL;
		return UI_LINE_EOF;
	}
	if (n > 0 && (*line)[n - 1] == '\n')
		(*line)[n - 1] = '\0';
	return UI_LINE_OK;
}

size_t
ui_line_history_path(char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return 0;
}
