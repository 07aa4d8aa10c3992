#include "config.h"

#include "ui/ui_line.h"

#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ui/ui_cmd.h"
#include "ui/ui_diag.h"

#define UI_LINE_PROG "async-tutorial"

/* The first line of the history file, so that a person who opens it knows
 * what it is, and a future format can be told apart. */
#define UI_LINE_HEADER "# async-tutorial command history, oldest first"

enum { UI_LINE_PATH_MAX = 4096 };

struct ui_line {
	FILE *in, *out, *err;
	const ui_session *session;
	EditLine *el; /* NULL: plain reading */
	History *hist;
	const char *prompt;
	int cancelled; /* set by the Ctrl-C binding during el_gets */
	char path[UI_LINE_PATH_MAX]; /* "" when there is no history file */
	int no_save; /* the old file could not be read: never replace it */
	int warned;  /* the one warning has been given */
};

/* ---- the history file --------------------------------------------------- */

size_t
ui_line_history_path(char *buf, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME");
	if (state && state[0] == '/')
		return (size_t)snprintf(buf, size, "%s/async-tutorial/history",
		                        state);
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
	}
	if (!home) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	return (size_t)snprintf(buf, size,
	                        "%s/.local/state/async-tutorial/history", home);
}

static void ui_line_warn(ui_line *l, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* One warning a session, whatever goes wrong and however often: a full
 * disk must not print a line after every command. */
static void
ui_line_warn(ui_line *l, const char *fmt, ...)
{
	if (l->warned)
		return;
	l->warned = 1;
	char msg[UI_LINE_PATH_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(l->out);
	fputs(UI_LINE_PROG ": warning: ", l->err);
	ui_diag_put_safe(l->err, msg, strlen(msg));
	fputc('\n', l->err);
	fflush(l->err);
}

/* Creates each missing directory of `dir` (mode 0700, as the XDG base
 * directory specification asks). Returns 0, or -1 with errno set. */
static int
ui_line_mkdirs(const char *dir)
{
	char p[UI_LINE_PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		p[i] = c;
	}
	struct stat st;
	if (stat(dir, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* One history line, with \ and newline escaped so that every entry is one
 * line of the file. */
static int
ui_line_put_entry(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	return fputc('\n', f) == EOF ? -1 : 0;
}

static void
ui_line_unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else if (*r == '\\' && r[1] == '\\') {
			*w++ = '\\';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static void
ui_line_load(ui_line *l)
{
	FILE *f = fopen(l->path, "r");
	if (!f) {
		if (errno != ENOENT) {
			l->no_save = 1;
			ui_line_warn(l,
			             "cannot read the command history %s: %s; "
			             "it will not be changed this session",
			             l->path, strerror(errno));
		}
		return;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	HistEvent ev;
	int first = 1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (first && strcmp(line, UI_LINE_HEADER) == 0) {
			first = 0;
			continue;
		}
		first = 0;
		if (n == 0)
			continue;
		ui_line_unescape(line);
		history(l->hist, &ev, H_ENTER, line);
	}
	if (ferror(f)) {
		l->no_save = 1;
		ui_line_warn(l,
		             "cannot read the command history %s: %s; it "
		             "will not be changed this session",
		             l->path, strerror(errno));
	}
	free(line);
	fclose(f);
}

/* Writes the whole history to a temporary file next to the real one and
 * renames it over it: the old file is replaced whole, or not at all. */
static void
ui_line_save(ui_line *l)
{
	if (!l->path[0] || l->no_save)
		return;
	/* Write next to the file a symlink points to, so the link stays. */
	char target[UI_LINE_PATH_MAX];
	char *real = realpath(l->path, NULL);
	snprintf(target, sizeof target, "%s", real ? real : l->path);
	free(real);

	char dir[UI_LINE_PATH_MAX], tmp[UI_LINE_PATH_MAX + 16];
	snprintf(dir, sizeof dir, "%s", target);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (ui_line_mkdirs(dir) != 0) {
		ui_line_warn(l,
		             "cannot save the command history: cannot create "
		             "the directory %s: %s",
		             dir, strerror(errno));
		return;
	}
	snprintf(tmp, sizeof tmp, "%s/.history.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		ui_line_warn(l, "cannot save the command history in %s: %s",
		             dir, strerror(errno));
		return;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		ui_line_warn(l, "cannot save the command history in %s: %s",
		             dir, strerror(e));
		return;
	}
	int failed = fprintf(f, "%s\n", UI_LINE_HEADER) < 0;
	HistEvent ev;
	/* H_LAST is the oldest entry; H_PREV moves towards the newest. */
	for (int r = history(l->hist, &ev, H_LAST); r != -1 && !failed;
	     r = history(l->hist, &ev, H_PREV))
		failed = ui_line_put_entry(f, ev.str) != 0;
	/* fsync before the rename, or a crash could leave an empty file
	 * where the old history was. */
	if (!failed)
		failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int e = errno;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	if (!failed && rename(tmp, target) != 0) {
		failed = 1;
		e = errno;
	}
	if (failed) {
		unlink(tmp);
		ui_line_warn(l,
		             "cannot save the command history in %s: %s; the "
		             "history saved before is kept",
		             dir, strerror(e));
	}
}

/* ---- libedit ------------------------------------------------------------ */

static ui_line *
ui_line_of(EditLine *el)
{
	void *data = NULL;
	el_get(el, EL_CLIENTDATA, &data);
	return data;
}

static char *
ui_line_prompt(EditLine *el)
{
	ui_line *l = ui_line_of(el);
	return (char *)(l && l->prompt ? l->prompt : "");
}

static int
ui_line_columns(FILE *out)
{
	struct winsize ws;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

/* Lists several candidates in columns below the line, as a shell does;
 * files by their last part, which is what differs. */
static void
ui_line_list(ui_line *l, const ui_cmd_completion *c)
{
	size_t width = 0;
	for (size_t i = 0; i < c->count; i++) {
		const char *s = c->names[i];
		size_t n = strlen(s);
		const char *slash = n > 1 ? memrchr(s, '/', n - 1) : NULL;
		size_t w = strlen(slash ? slash + 1 : s);
		if (w > width)
			width = w;
	}
	size_t cols = (size_t)ui_line_columns(l->out) / (width + 2);
	if (cols == 0)
		cols = 1;
	size_t rows = (c->count + cols - 1) / cols;
	fputc('\n', l->out);
	for (size_t r = 0; r < rows; r++) {
		for (size_t k = 0; k < cols; k++) {
			size_t i = k * rows + r;
			if (i >= c->count)
				break;
			const char *s = c->names[i];
			size_t n = strlen(s);
			const char *slash =
			        n > 1 ? memrchr(s, '/', n - 1) : NULL;
			const char *shown = slash ? slash + 1 : s;
			ui_diag_put_safe(l->out, shown, strlen(shown));
			if (k + 1 < cols && i + rows < c->count)
				fprintf(l->out, "%*s",
				        (int)(width + 2 - strlen(shown)), "");
		}
		fputc('\n', l->out);
	}
	fflush(l->out);
}

/* Tab: complete the word before the cursor with ui_cmd_complete; when it
 * cannot be taken further, list the candidates. */
static unsigned char
ui_line_complete(EditLine *el, int ch)
{
	ui_line *l = ui_line_of(el);
	const LineInfo *li = el_line(el);
	size_t len = (size_t)(li->cursor - li->buffer);
	char *line = malloc(len + 1);
	if (!l || !line) {
		free(line);
		return CC_ERROR;
	}
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	ui_cmd_completion c;
	unsigned char ret = CC_ERROR;
	if (ui_cmd_complete(l->session, line, len, &c) == 0 && c.count > 0) {
		char *text = ui_cmd_completion_text(&c);
		const char *typed = line + c.start;
		if (text && strcmp(text, typed) != 0) {
			el_deletestr(el, (int)(len - c.start));
			ret = el_insertstr(el, text) == 0 ? CC_REFRESH
			                                  : CC_ERROR;
		} else if (text && c.count > 1) {
			ui_line_list(l, &c);
			ret = CC_REDISPLAY;
		}
		free(text);
	}
	ui_cmd_completion_free(&c);
	free(line);
	return ret;
}

/* Ctrl-C: give up this line. The terminal does not turn it into SIGINT
 * while a line is edited (see ui_line_new), so it arrives here as a key
 * and the caller's signal handlers never see it. */
static unsigned char
ui_line_cancel(EditLine *el, int ch)
{
	ui_line *l = ui_line_of(el);
	if (l)
		l->cancelled = 1;
	return CC_EOF;
}

ui_line *
ui_line_new(const char *prog, FILE *in, FILE *out, FILE *err,
            const ui_session *session)
{
	ui_line *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->in = in;
	l->out = out;
	l->err = err;
	l->session = session;
	/* Both ends must be a terminal: with the output redirected, libedit
	 * would echo the typing into the file and show the user nothing,
	 * while plain reading leaves the echo to the terminal. */
	if (!isatty(fileno(in)) || !isatty(fileno(out)))
		return l;

	l->hist = history_init();
	l->el = l->hist ? el_init(prog, in, out, err) : NULL;
	if (!l->el) {
		/* A terminal libedit cannot drive (no terminfo entry, for
		 * one): read plainly rather than fail. */
		if (l->hist)
			history_end(l->hist);
		l->hist = NULL;
		return l;
	}
	HistEvent ev;
	history(l->hist, &ev, H_SETSIZE, UI_LINE_HISTORY_MAX);
	history(l->hist, &ev, H_SETUNIQUE, 1);
	el_set(l->el, EL_CLIENTDATA, (void *)l);
	el_set(l->el, EL_EDITOR, "emacs");
	el_set(l->el, EL_HIST, history, l->hist);
	el_set(l->el, EL_PROMPT, ui_line_prompt);
	/* libedit restores the terminal on signals and follows resizes. */
	el_set(l->el, EL_SIGNAL, 1);
	el_set(l->el, EL_ADDFN, "ui-complete",
	       "complete a command, file or "
	       "name",
	       ui_line_complete);
	el_set(l->el, EL_BIND, "^I", "ui-complete", NULL);
	/* Ctrl-C cancels the line: keep the terminal from making it a
	 * signal while editing, and bind it as a key instead. */
	el_set(l->el, EL_SETTY, "-d", "-isig", NULL);
	el_set(l->el, EL_ADDFN, "ui-cancel", "cancel the line", ui_line_cancel);
	el_set(l->el, EL_BIND, "^C", "ui-cancel", NULL);
	/* The user's ~/.editrc, as every libedit program reads it. */
	el_source(l->el, NULL);

	if (ui_line_history_path(l->path, sizeof l->path) >= sizeof l->path)
		l->path[0] = '\0';
	if (l->path[0])
		ui_line_load(l);
	return l;
}

void
ui_line_free(ui_line *l)
{
	if (!l)
		return;
	if (l->el)
		el_end(l->el);
	if (l->hist)
		history_end(l->hist);
	free(l);
}

int
ui_line_is_terminal(const ui_line *l)
{
	return l->el != NULL;
}

static int
ui_line_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

static ui_line_status
ui_line_read_plain(ui_line *l, char **line)
{
	size_t cap = 0;
	*line = NULL;
	errno = 0;
	ssize_t n = getline(line, &cap, l->in);
	if (n < 0) {
		int e = errno;
		free(*line);
		*line = NULL;
		return ferror(l->in) && e != 0 ? UI_LINE_ERROR : UI_LINE_EOF;
	}
	while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
		(*line)[--n] = '\0';
	return UI_LINE_OK;
}

ui_line_status
ui_line_read(ui_line *l, const char *prompt, char **line)
{
	*line = NULL;
	if (!l->el)
		return ui_line_read_plain(l, line);
	l->prompt = prompt;
	l->cancelled = 0;
	fflush(l->out);
	int count = 0;
	const char *s = el_gets(l->el, &count);
	if (l->cancelled) {
		fputs("^C\n", l->out);
		fflush(l->out);
		return UI_LINE_CANCELLED;
	}
	if (!s || count <= 0) {
		/* End the prompt's line, so what follows starts afresh. */
		fputc('\n', l->out);
		fflush(l->out);
		return count < 0 && errno != EINTR ? UI_LINE_ERROR
		                                   : UI_LINE_EOF;
	}
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return UI_LINE_ERROR;
	memcpy(copy, s, n + 1);
	while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == '\r'))
		copy[--n] = '\0';
	if (!ui_line_blank(copy)) {
		/* Tab completion leaves a blank after the last word; without
		 * it, "quit" and "quit " are one entry, not two. A blank kept
		 * by a backslash is part of the word and stays. */
		size_t k = n;
		while (k > 1 && (copy[k - 1] == ' ' || copy[k - 1] == '\t') &&
		       copy[k - 2] != '\\')
			k--;
		char keep = copy[k];
		copy[k] = '\0';
		HistEvent ev;
		history(l->hist, &ev, H_ENTER, copy);
		copy[k] = keep;
		ui_line_save(l);
	}
	*line = copy;
	return UI_LINE_OK;
}
