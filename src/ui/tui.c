#include "config.h"

#include "ui/tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ui/tui_draw.h"
#include "ui/tui_theme.h"
#include "ui/ui_cmd.h"
#include "ui/ui_course.h"
#include "ui/ui_lesson.h"
#include "ui/ui_line.h"

#define TUI_PROG "async-tutorial"

/* ---- restoring the terminal, whatever happens --------------------------- */

/* What the signal handlers need, in static storage: a handler may only
 * read these and call async-signal-safe functions. */
static volatile sig_atomic_t tui_curses_on;
static volatile sig_atomic_t tui_signal;
static char tui_reset_seq[512];
static size_t tui_reset_len;
static int tui_tty_fd = -1;
static struct termios tui_saved_modes;
static int tui_have_modes;

static const int tui_quit_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int tui_crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
                                        SIGABRT};

#define TUI_NQUIT (sizeof tui_quit_signals / sizeof tui_quit_signals[0])
#define TUI_NCRASH (sizeof tui_crash_signals / sizeof tui_crash_signals[0])

static struct sigaction tui_old_quit[TUI_NQUIT];
static struct sigaction tui_old_crash[TUI_NCRASH];

static void
tui_on_quit_signal(int sig)
{
	tui_signal = sig;
}

static void
tui_on_crash(int sig)
{
	static const char msg[] = "\n" TUI_PROG
	        ": crashed; the terminal was restored. This is a bug: please "
	        "report it.\n";
	if (tui_curses_on && tui_tty_fd >= 0) {
		if (write(tui_tty_fd, tui_reset_seq, tui_reset_len) < 0) {
			/* Nothing more can be done from a crashing handler. */
		}
		if (tui_have_modes)
			tcsetattr(tui_tty_fd, TCSANOW, &tui_saved_modes);
	}
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tui_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal must interrupt getch so the loop sees
	 * it at once. */
	sa.sa_handler = tui_on_quit_signal;
	for (size_t i = 0; i < TUI_NQUIT; i++)
		sigaction(tui_quit_signals[i], &sa, &tui_old_quit[i]);
	sa.sa_handler = tui_on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < TUI_NCRASH; i++)
		sigaction(tui_crash_signals[i], &sa, &tui_old_crash[i]);
}

static void
tui_restore_signals(void)
{
	for (size_t i = 0; i < TUI_NQUIT; i++)
		sigaction(tui_quit_signals[i], &tui_old_quit[i], NULL);
	for (size_t i = 0; i < TUI_NCRASH; i++)
		sigaction(tui_crash_signals[i], &tui_old_crash[i], NULL);
}

static void
tui_add_reset(const char *cap)
{
	char *s = tigetstr((char *)cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (tui_reset_len + n < sizeof tui_reset_seq) {
		memcpy(tui_reset_seq + tui_reset_len, s, n);
		tui_reset_len += n;
	}
}

/* The sequences the crash handler writes: the terminfo strings that undo
 * what curses set up, in the order endwin sends them. */
static void
tui_capture_reset(void)
{
	tui_reset_len = 0;
	tui_add_reset("sgr0");
	tui_add_reset("cnorm");
	tui_add_reset("rmkx");
	tui_add_reset("rmcup");
}

static void
tui_atexit(void)
{
	if (tui_curses_on) {
		tui_curses_on = 0;
		endwin();
	}
}

/* ---- the loop's state ----------------------------------------------------- */

typedef struct tui_loop {
	tui_state st;
	int quit;
	uint64_t next_step_us; /* when playing: the monotonic time of the next
	                          step */
	ui_line *line;         /* the `:` line reader, made on first use */
	/* The session's lesson as shown (tui.h): which one, what is shown of
	 * it beside the loaded program, and the quiz being asked. */
	const lesson *lesson;
	ui_course_show show;
	size_t asked;          /* quizzes of show.quizzes asked so far */
	size_t quiz_index;     /* the one asked now, in lesson->quizzes */
	tui_quiz quiz;
	const char **choices;
	char heading[96];
	char *outcome;
	const char *base_title; /* tui_options.title */
	char title[512];
	tui_result result;
	char *why;
	size_t whysize;
} tui_loop;

static uint64_t
tui_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static trace_view *
tui_view(tui_loop *l)
{
	return ui_session_view(l->st.session);
}

static void tui_say(tui_loop *l, tui_role role, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
tui_say(tui_loop *l, tui_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->st.message, sizeof l->st.message, fmt, ap);
	va_end(ap);
	l->st.message_role = role;
}

static void
tui_pause(tui_loop *l)
{
	l->st.playing = 0;
}

static uint64_t
tui_period_us(tui_loop *l)
{
	uint64_t p = ui_session_speed_period_us(ui_session_speed(l->st.session));
	return p ? p : 500000u;
}

/* ---- keys ------------------------------------------------------------------ */

static void
tui_key_play(tui_loop *l)
{
	trace_view *v = tui_view(l);
	if (l->st.playing) {
		tui_pause(l);
		return;
	}
	if (trace_view_cursor(v) == trace_view_events(v))
		trace_view_first(v);
	l->st.playing = 1;
	l->next_step_us = tui_now_us() + tui_period_us(l);
}

static void
tui_key_next(tui_loop *l)
{
	tui_pause(l);
	if (!trace_view_next(tui_view(l), ui_session_step(l->st.session)))
		tui_say(l, TUI_R_DIM,
		        "This is the end of the run: g goes back to the start.");
}

static void
tui_key_prev(tui_loop *l)
{
	tui_pause(l);
	if (!trace_view_prev(tui_view(l), ui_session_step(l->st.session)))
		tui_say(l, TUI_R_DIM,
		        "This is the first tick: nothing has happened yet.");
}

static void
tui_key_first(tui_loop *l)
{
	tui_pause(l);
	trace_view_first(tui_view(l));
}

static void
tui_key_last(tui_loop *l)
{
	tui_pause(l);
	trace_view_last(tui_view(l));
}

/* Moves the selection by `by` rows (clamped), which stops it following
 * the running future. */
static void
tui_select_by(tui_loop *l, long by)
{
	trace_view *v = tui_view(l);
	size_t rows = trace_view_rows(v), row;
	if (rows == 0)
		return;
	tui_draw_selection(&l->st, &row);
	long r = row == SIZE_MAX ? 0 : (long)row + by;
	if (r < 0)
		r = 0;
	if ((size_t)r >= rows)
		r = (long)rows - 1;
	trace_view_row info;
	if (trace_view_window(v, (size_t)r, 1, &info) == 1) {
		l->st.selected = info.future;
		l->st.follow = 0;
	}
}

static void
tui_key_down(tui_loop *l)
{
	tui_select_by(l, 1);
}

static void
tui_key_up(tui_loop *l)
{
	tui_select_by(l, -1);
}

/* 1 while a lesson's text is on screen: the page keys then scroll it,
 * since reading it is what the learner is doing. */
static int
tui_prose_visible(const tui_loop *l)
{
	return l->st.prose && l->st.prose_shown && !l->st.machine;
}

/* A page of the lesson's text keeps one line of the last one in view. */
static void
tui_prose_scroll(tui_loop *l, int pages)
{
	int page = l->st.prose_page > 1 ? l->st.prose_page - 1 : 1;
	l->st.prose_top += pages * page;
	if (l->st.prose_top < 0)
		l->st.prose_top = 0; /* the frame clamps the other end */
}

static void
tui_key_page_down(tui_loop *l)
{
	if (tui_prose_visible(l))
		tui_prose_scroll(l, 1);
	else
		tui_select_by(l, l->st.tree_page);
}

static void
tui_key_page_up(tui_loop *l)
{
	if (tui_prose_visible(l))
		tui_prose_scroll(l, -1);
	else
		tui_select_by(l, -(long)l->st.tree_page);
}

static void
tui_key_prose(tui_loop *l)
{
	if (!l->st.prose) {
		tui_say(l, TUI_R_DIM, "This run has no lesson text: p shows a "
		                      "lesson's text when a lesson runs.");
		return;
	}
	if (l->st.machine) {
		/* From the state machine, p goes to the text. */
		l->st.machine = 0;
		l->st.prose_shown = 1;
		return;
	}
	l->st.prose_shown = !l->st.prose_shown;
}

static void
tui_key_follow(tui_loop *l)
{
	l->st.follow = 1;
	tui_say(l, TUI_R_DIM,
	        "The selection follows the future that just ran.");
}

static void
tui_key_faster(tui_loop *l)
{
	ui_session *s = l->st.session;
	if (!ui_session_faster(s))
		tui_say(l, TUI_R_DIM, "%s is the fastest speed.",
		        ui_session_speed_name(ui_session_speed(s)));
}

static void
tui_key_slower(tui_loop *l)
{
	ui_session *s = l->st.session;
	if (!ui_session_slower(s))
		tui_say(l, TUI_R_DIM, "%s is the slowest speed.",
		        ui_session_speed_name(ui_session_speed(s)));
}

static void
tui_key_step_size(tui_loop *l)
{
	static const char *const what[TRACE_VIEW_STEP_COUNT] = {
	        [TRACE_VIEW_STEP_EVENT] = "each step shows one event",
	        [TRACE_VIEW_STEP_POLL] = "each step goes to the next poll "
	                                 "beginning or ending",
	        [TRACE_VIEW_STEP_INSTANT] = "each step goes to the next "
	                                    "moment of virtual time",
	};
	ui_session_cycle_step(l->st.session);
	trace_view_step s = ui_session_step(l->st.session);
	tui_say(l, TUI_R_MESSAGE, "Step size %s: %s.",
	        trace_view_step_name(s), what[s]);
}

static void
tui_key_details(tui_loop *l)
{
	l->st.overlay = TUI_OVERLAY_DETAILS;
}

static void
tui_key_machine(tui_loop *l)
{
	l->st.machine = !l->st.machine;
}

static void
tui_key_help(tui_loop *l)
{
	l->st.overlay = TUI_OVERLAY_HELP;
}

static void
tui_key_quit(tui_loop *l)
{
	l->quit = 1;
}

static void
tui_key_fold(tui_loop *l)
{
	trace_view *v = tui_view(l);
	size_t row;
	uint32_t fut = tui_draw_selection(&l->st, &row);
	trace_view_row info;
	if (!fut || trace_view_future(v, fut, &info) != 0)
		return;
	if (!info.has_children && !info.folded) {
		tui_say(l, TUI_R_DIM, "%s has nothing under it to fold.",
		        info.name);
		return;
	}
	if (trace_view_fold(v, fut, !info.folded) != 0)
		tui_say(l, TUI_R_ERROR, "Out of memory: cannot fold.");
	/* The selection stays on the folded row. */
	l->st.selected = fut;
	l->st.follow = 0;
}

static void
tui_key_unfold_all(tui_loop *l)
{
	trace_view_unfold_all(tui_view(l));
}

static void
tui_key_redraw(tui_loop *l)
{
	clearok(curscr, TRUE);
}

static void tui_key_command(tui_loop *l);
static void tui_key_variant(tui_loop *l);

#define TUI_CTRL(c) ((c)&0x1f)

/* Every key, in the order the help lists them. */
typedef struct tui_key {
	int codes[4]; /* 0 ends the list early */
	const char *label;
	const char *what;
	void (*fn)(tui_loop *l);
} tui_key;

static const tui_key tui_keys[] = {
        {{' '}, "space", "play or pause", tui_key_play},
        {{KEY_RIGHT, 'l'}, "→ l", "step forward and pause", tui_key_next},
        {{KEY_LEFT, 'h'}, "← h", "step back and pause", tui_key_prev},
        {{KEY_DOWN, 'j'}, "↓ j", "select the next row", tui_key_down},
        {{KEY_UP, 'k'}, "↑ k", "select the row above", tui_key_up},
        {{KEY_NPAGE}, "PgDn", "a page down (tree or lesson)",
         tui_key_page_down},
        {{KEY_PPAGE}, "PgUp", "a page up (tree or lesson)",
         tui_key_page_up},
        {{'g', KEY_HOME}, "g", "go to the first tick", tui_key_first},
        {{'G', KEY_END}, "G", "go to the last tick", tui_key_last},
        {{'+', '='}, "+ -", "play faster, slower", tui_key_faster},
        {{'-', '_'}, NULL, NULL, tui_key_slower},
        {{'s'}, "s", "step: event, poll, instant", tui_key_step_size},
        {{'\n', '\r', KEY_ENTER}, "Enter", "details of the selection",
         tui_key_details},
        {{'\t', 'z'}, "Tab z", "fold or unfold the selection",
         tui_key_fold},
        {{'Z'}, "Z", "unfold everything", tui_key_unfold_all},
        {{'f'}, "f", "follow the running future", tui_key_follow},
        {{'d'}, "d", "the selection's state machine", tui_key_machine},
        {{'p'}, "p", "lesson text, or the source", tui_key_prose},
        {{'v'}, "v", "the lesson's next variant", tui_key_variant},
        {{':'}, ":", "command line (try :help)", tui_key_command},
        {{'?'}, "?", "this help", tui_key_help},
        {{TUI_CTRL('l')}, "Ctrl-L", "redraw the screen", tui_key_redraw},
        {{'q'}, "q", "quit", tui_key_quit},
};

#define TUI_NKEYS (sizeof tui_keys / sizeof tui_keys[0])

static tui_help_line tui_help_lines[TUI_NKEYS];

static size_t
tui_make_help(void)
{
	size_t n = 0;
	for (size_t i = 0; i < TUI_NKEYS; i++) {
		if (!tui_keys[i].label)
			continue;
		tui_help_lines[n].keys = tui_keys[i].label;
		tui_help_lines[n].what = tui_keys[i].what;
		n++;
	}
	return n;
}

static const tui_key *
tui_key_find(int ch)
{
	for (size_t i = 0; i < TUI_NKEYS; i++)
		for (size_t k = 0; k < 4 && tui_keys[i].codes[k]; k++)
			if (tui_keys[i].codes[k] == ch)
				return &tui_keys[i];
	return NULL;
}

/* ---- the command line ------------------------------------------------------- */

/* Shows a command's answer: one short line under the narration, anything
 * longer in a box. */
static void
tui_show_answer(tui_loop *l, char *text, ui_cmd_result res)
{
	size_t len = strlen(text);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (len == 0) {
		free(text);
		return;
	}
	int cols = COLS > 4 ? COLS - 4 : COLS;
	if (!strchr(text, '\n') && (int)len < cols &&
	    len < sizeof l->st.message) {
		tui_say(l, res == UI_CMD_ERROR ? TUI_R_ERROR : TUI_R_MESSAGE,
		        "%s", text);
		free(text);
		return;
	}
	free(l->st.answer);
	l->st.answer = text;
	l->st.answer_top = 0;
	l->st.answer_rows = 0;
	l->st.answer_page = 0;
	l->st.overlay = TUI_OVERLAY_ANSWER;
}

static void tui_lesson_refresh(tui_loop *l);

/* ui_cmd_env.edit: curses steps aside while the learner's editor has the
 * terminal, then the screen comes back as it was. */
static int
tui_edit(void *ctx, const char *path, char *err, size_t errsize)
{
	(void)ctx;
	const char *editor = ui_course_editor();
	def_prog_mode();
	endwin();
	int rc = ui_lesson_run_editor(editor ? editor : "vi", path, err,
	                              errsize);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	return rc;
}

/* Runs one command line. brief: only the answer's first line is shown
 * (for a key that runs a command, such as v). */
static void
tui_exec_line(tui_loop *l, const char *text, int brief)
{
	char *answer = NULL;
	size_t alen = 0;
	FILE *out = open_memstream(&answer, &alen);
	if (!out) {
		tui_say(l, TUI_R_ERROR, "Out of memory: the command did not run.");
		return;
	}
	size_t row;
	ui_cmd_env env;
	memset(&env, 0, sizeof env);
	env.session = l->st.session;
	env.out = out;
	env.color = 0;
	env.quiet_moves = 1;
	env.selected = tui_draw_selection(&l->st, &row);
	env.edit = tui_edit;
	env.edit_ctx = l;
	ui_cmd_result res = ui_cmd_exec(&env, text);
	fclose(out);
	if (env.changed & UI_CMD_CHANGED_RUN) {
		/* A new run: the old selection means nothing in it. */
		l->st.selected = 0;
		l->st.follow = 1;
	}
	if (env.changed & (UI_CMD_CHANGED_RUN | UI_CMD_CHANGED_LESSON))
		tui_lesson_refresh(l);
	if (res == UI_CMD_QUIT)
		l->quit = 1;
	if (!answer)
		return;
	/* A quiz asked now is the answer that matters; or a key wants one
	 * line: the first line of the command's answer goes under the
	 * narration. */
	if ((brief || l->st.quiz_open) && res != UI_CMD_ERROR) {
		size_t n = strcspn(answer, "\n");
		answer[n] = '\0';
		tui_say(l, TUI_R_MESSAGE, "%s", answer);
		free(answer);
		return;
	}
	if (l->st.quiz_open) {
		free(answer);
		return;
	}
	tui_show_answer(l, answer, res);
}

static void
tui_key_command(tui_loop *l)
{
	tui_pause(l);
	/* Curses steps aside: the line is read on the normal screen with
	 * libedit (history, completion), then curses comes back as it was. */
	def_prog_mode();
	endwin();
	if (!l->line)
		l->line = ui_line_new(TUI_PROG, stdin, stdout, stderr,
		                      l->st.session);
	char *text = NULL;
	ui_line_status got = l->line ? ui_line_read(l->line, ":", &text)
	                             : UI_LINE_ERROR;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (got != UI_LINE_OK) {
		if (got == UI_LINE_ERROR)
			tui_say(l, TUI_R_ERROR,
			        "The command line could not be read.");
		free(text);
		return;
	}
	tui_exec_line(l, text, 0);
	free(text);
}

/* v: the lesson's next program, after the last the first again. */
static void
tui_key_variant(tui_loop *l)
{
	size_t program;
	const lesson *les = ui_session_lesson(l->st.session, NULL, &program);
	if (!les) {
		tui_say(l, TUI_R_DIM, "This run is not a lesson's: v switches "
		                      "between a lesson's programs.");
		return;
	}
	size_t n = ui_course_program_count(les);
	if (n < 2) {
		tui_say(l, TUI_R_DIM, "This lesson has only its own program, "
		                      "no variants.");
		return;
	}
	size_t cur = program < les->nprograms &&
	                             les->programs[program].role ==
	                                     LESSON_ROLE_PROGRAM
	                     ? les->programs[program].number
	                     : 0;
	char line[32];
	snprintf(line, sizeof line, "program %zu", cur % n + 1);
	tui_pause(l);
	tui_exec_line(l, line, 1);
}

/* ---- the loop ------------------------------------------------------------------ */

static void
tui_frame(tui_loop *l)
{
	tui_draw_frame(stdscr, &l->st);
	wnoutrefresh(stdscr);
	doupdate();
}

/* One step of playback, when its time has come. */
static void
tui_play_tick(tui_loop *l)
{
	uint64_t now = tui_now_us();
	if (now < l->next_step_us)
		return;
	if (!trace_view_next(tui_view(l), ui_session_step(l->st.session))) {
		tui_pause(l);
		tui_say(l, TUI_R_DIM,
		        "The end of the run: g goes back to the start.");
		return;
	}
	l->next_step_us += tui_period_us(l);
	/* After a stall (a slow terminal, a suspended process), carry on
	 * from now rather than rushing to catch up. */
	if (l->next_step_us < now)
		l->next_step_us = now + tui_period_us(l);
	if (trace_view_cursor(tui_view(l)) == trace_view_events(tui_view(l)))
		tui_pause(l);
}

/* ---- the quiz before the run ------------------------------------------------------ */

/* Appends to the quiz box's text; what does not fit is left out (the box
 * is a few lines of a teacher's text, far below the limit). */
static void tui_quiz_add(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
tui_quiz_add(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* A choice on one line: a predicted output's lines joined by " / ". */
static void
tui_quiz_flat(const char *text, char *buf, size_t size)
{
	size_t k = 0;
	for (const char *p = text; *p && k + 4 < size; p++) {
		if (*p == '\n') {
			if (p[1] == '\0')
				break;
			memcpy(buf + k, " / ", 3);
			k += 3;
		} else {
			buf[k++] = *p;
		}
	}
	buf[k] = '\0';
}

/* Fills the box: the question and its choices, then, once answered, the
 * verdict and the explanation. */
static void
tui_quiz_show(tui_loop *l, const char *error)
{
	const tui_quiz *q = l->st.quiz;
	size_t size = 8192;
	char *text = malloc(size);
	if (!text) {
		l->st.quiz_open = 0;
		return;
	}
	text[0] = '\0';
	tui_quiz_add(text, size, "%s\n\n", q->question);
	for (size_t i = 0; i < q->nchoices; i++) {
		/* Choices keep their lines: predicted outputs are shown as
		 * printed. */
		const char *p = q->choices[i];
		/* Two blanks after the letter: a long choice wraps under
		 * its text, not under the letter (tui_draw's hang). */
		tui_quiz_add(text, size, "%c)  ", 'a' + (int)i);
		while (*p) {
			size_t n = strcspn(p, "\n");
			tui_quiz_add(text, size, "%.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
			if (*p)
				tui_quiz_add(text, size, "    ");
		}
	}
	int c = l->st.quiz_choice;
	if (c < 0) {
		tui_quiz_add(text, size,
		             "\nAnswer with a letter (a to %c) before the run "
		             "shows it; q leaves.",
		             'a' + (int)q->nchoices - 1);
	} else {
		if ((size_t)c == q->right)
			tui_quiz_add(text, size, "\nYou answered %c: right!",
			             'a' + c);
		else
			tui_quiz_add(text, size,
			             "\nYou answered %c. Not quite: the answer "
			             "is %c.",
			             'a' + c, 'a' + (int)q->right);
		if (q->explain)
			tui_quiz_add(text, size, "\n\n%s", q->explain);
		if (error)
			tui_quiz_add(text, size, "\n\n%s", error);
		tui_quiz_add(text, size, "\n\n%s",
		             q->outcome ? "Any key closes this; space then "
		                          "plays the run, to see it happen."
		                        : "Any key closes this; space then "
		                          "plays the run.");
	}
	free(l->st.answer);
	l->st.answer = text;
	l->st.answer_top = 0;
	l->st.answer_title = c < 0 ? q->heading : "Your answer";
	l->st.overlay = TUI_OVERLAY_ANSWER;
}

/* Each prediction about this run is compared with it at its end: choice
 * c, whose text is `choice`, against what the run did. */
static void
tui_end_note_add(tui_loop *l, size_t c, const char *choice,
                 const char *outcome)
{
	char flat[512];
	tui_quiz_flat(choice, flat, sizeof flat);
	size_t used = strlen(l->st.end_note);
	snprintf(l->st.end_note + used, sizeof l->st.end_note - used,
	         "%sYou predicted %c (%s); the run %s.", used ? " " : "",
	         'a' + (int)c, flat, outcome);
}

/* The learner picked choice c: record it, say how it went, and for a
 * prediction prepare the comparison the run's end will show. */
static void
tui_quiz_answer(tui_loop *l, size_t c)
{
	const tui_quiz *q = l->st.quiz;
	char err[512] = "";
	if (q->record && q->record(q->ctx, c, err, sizeof err) != 0 && !*err)
		snprintf(err, sizeof err, "Your answer could not be saved.");
	l->st.quiz_choice = (int)c;
	l->st.quiz_open = 2;
	if (q->outcome)
		tui_end_note_add(l, c, q->choices[c], q->outcome);
	tui_quiz_show(l, *err ? err : NULL);
}

/* ---- the lesson beside the run ---------------------------------------------------- */

/* Forgets the quiz being asked (not the end note: its comparisons stay
 * for the run's end). */
static void
tui_quiz_drop(tui_loop *l)
{
	if (l->st.quiz_open) {
		l->st.quiz_open = 0;
		l->st.answer_title = NULL;
		l->st.overlay = TUI_OVERLAY_NONE;
		free(l->st.answer);
		l->st.answer = NULL;
	}
	l->st.quiz = NULL;
	l->st.quiz_choice = -1;
	free(l->choices);
	l->choices = NULL;
	free(l->outcome);
	l->outcome = NULL;
}

/* tui_quiz.record: the answer goes into the learner's progress at once,
 * as `async-tutorial answer` puts it. */
static int
tui_quiz_record(void *ctx, size_t choice, char *err, size_t errsize)
{
	tui_loop *l = ctx;
	char why[512];
	ui_course *c = ui_session_course(l->st.session, why, sizeof why);
	if (!c) {
		snprintf(err, errsize, "Your answer could not be saved: %s.",
		         why);
		return -1;
	}
	return ui_course_answer(c, l->lesson, l->quiz_index, choice, err,
	                        errsize);
}

/* Asks the next quiz about the loaded program, if one is left. Returns 1
 * if one is asked now. */
static int
tui_quiz_next(tui_loop *l)
{
	tui_quiz_drop(l);
	ui_session *s = l->st.session;
	while (l->lesson && l->asked < l->show.nquizzes) {
		size_t q = l->show.quizzes[l->asked++];
		const lesson_quiz *z = &l->lesson->quizzes[q];
		if (z->nchoices == 0 || z->nchoices > 26)
			continue;
		l->choices = calloc(z->nchoices, sizeof *l->choices);
		if (!l->choices)
			break;
		for (size_t i = 0; i < z->nchoices; i++)
			l->choices[i] = z->choices[i].text;
		if (z->kind != LESSON_QUIZ_CHOICE) {
			const sim_result *res = ui_session_result(s);
			size_t n = 0;
			const char *out = ui_session_output(s, &n);
			l->outcome = ui_course_outcome(
			        z, res ? res->stats.virtual_ns : 0, out, n);
			if (!l->outcome)
				break;
		}
		ui_course_quiz_heading(l->lesson, q, l->heading,
		                       sizeof l->heading);
		l->quiz_index = q;
		l->quiz.heading = l->heading;
		l->quiz.question = z->question;
		l->quiz.choices = l->choices;
		l->quiz.nchoices = z->nchoices;
		l->quiz.right = z->right;
		l->quiz.explain = z->explain;
		l->quiz.outcome = l->outcome;
		l->quiz.record = tui_quiz_record;
		l->quiz.ctx = l;
		l->st.quiz = &l->quiz;
		l->st.quiz_open = 1;
		l->st.quiz_choice = -1;
		tui_pause(l);
		tui_quiz_show(l, NULL);
		return 1;
	}
	tui_quiz_drop(l);
	return 0;
}

/* Shows the session's lesson beside the program now loaded (tui.h): made
 * again after every command that loads a program or opens a lesson. */
static void
tui_lesson_refresh(tui_loop *l)
{
	ui_session *s = l->st.session;
	size_t index, program;
	const lesson *les = ui_session_lesson(s, &index, &program);
	int other = les != l->lesson;
	tui_quiz_drop(l);
	ui_course_show_free(&l->show);
	l->asked = 0;
	l->st.end_note[0] = '\0';
	l->st.prose = NULL;
	l->st.narrations = NULL;
	l->st.nnarrations = 0;
	tui_draw_free(&l->st); /* the text laid out is the old one's */
	l->lesson = les;
	l->st.title = l->base_title;
	if (!les) {
		l->st.prose_shown = 0;
		return;
	}
	char err[512];
	ui_course *c = ui_session_course(s, err, sizeof err);
	if (ui_course_show_make(c, les, program, ui_session_log(s), &l->show))
		tui_say(l, TUI_R_ERROR,
		        "Out of memory: some of the lesson is not shown.");
	l->st.prose = l->show.prose;
	l->st.narrations = l->show.narrations;
	l->st.nnarrations = l->show.nnarrations;
	/* Predictions answered before (another day) are compared with this
	 * run at its end too; those asked now join them as answered. */
	for (size_t q = 0; c && q < les->nquizzes; q++) {
		const lesson_quiz *z = &les->quizzes[q];
		int was = ui_course_answer_of(c, les, q);
		if (z->program != program || z->kind == LESSON_QUIZ_CHOICE ||
		    was < 0 || (size_t)was >= z->nchoices)
			continue;
		const sim_result *res = ui_session_result(s);
		size_t n = 0;
		const char *out = ui_session_output(s, &n);
		char *outcome = ui_course_outcome(
		        z, res ? res->stats.virtual_ns : 0, out, n);
		if (outcome)
			tui_end_note_add(l, (size_t)was, z->choices[was].text,
			                 outcome);
		free(outcome);
	}
	if (other) {
		l->st.prose_shown = l->st.prose != NULL; /* read, then watch */
		l->st.prose_top = 0;
	}
	int k = c ? snprintf(l->title, sizeof l->title,
	                     "Lesson %zu of %zu: %s", index + 1,
	                     c->course->nlessons, les->title)
	          : snprintf(l->title, sizeof l->title, "Lesson %zu: %s",
	                     index + 1, les->title);
	size_t used = k > 0 && (size_t)k < sizeof l->title ? (size_t)k : 0;
	if (program >= les->nprograms)
		snprintf(l->title + used, sizeof l->title - used,
		         " (your code)");
	else if (les->programs[program].number > 1)
		snprintf(l->title + used, sizeof l->title - used,
		         " (variant %zu)", les->programs[program].number);
	l->st.title = l->title;
	tui_quiz_next(l);
}

/* Keys while the quiz asks: a choice, scrolling, or leaving. Returns 1
 * when the key was the quiz's. */
static int
tui_quiz_key(tui_loop *l, int ch)
{
	if (l->st.quiz_open == 2) {
		/* The verdict is read: the next quiz, or the run is the
		 * learner's now. */
		l->st.quiz_open = 0;
		l->st.answer_title = NULL;
		l->st.overlay = TUI_OVERLAY_NONE;
		free(l->st.answer);
		l->st.answer = NULL;
		if (tui_quiz_next(l))
			return 1;
		if (l->st.present)
			tui_key_play(l); /* the class watches the answer */
		else
			tui_say(l, TUI_R_MESSAGE,
			        "Now watch the run: space plays it, %s step.",
			        l->st.theme.ascii ? "-> and <-" : "→ and ←");
		return 1;
	}
	if (l->st.quiz_open != 1)
		return 0;
	size_t n = l->st.quiz->nchoices;
	int lower = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	if (lower >= 'a' && lower <= 'z' && (size_t)(lower - 'a') < n) {
		tui_quiz_answer(l, (size_t)(lower - 'a'));
	} else if (ch >= '1' && ch <= '9' && (size_t)(ch - '1') < n) {
		tui_quiz_answer(l, (size_t)(ch - '1'));
	} else if (ch == 'q' || ch == 27) {
		l->quit = 1;
	} else if (ch == KEY_DOWN || ch == KEY_UP || ch == KEY_NPAGE ||
	           ch == KEY_PPAGE) {
		int page = l->st.answer_page > 1 ? l->st.answer_page - 1 : 1;
		l->st.answer_top += ch == KEY_DOWN    ? 1
		                    : ch == KEY_UP    ? -1
		                    : ch == KEY_NPAGE ? page
		                                      : -page;
	}
	return 1; /* nothing plays until the quiz is answered */
}

/* + and -: presenting, they set the pace without stopping the run. */
static int
tui_pace_key(int ch)
{
	const tui_key *k = tui_key_find(ch);
	return k && (k->fn == tui_key_faster || k->fn == tui_key_slower);
}

static void
tui_handle_key(tui_loop *l, int ch)
{
	if (ch == KEY_RESIZE)
		return;
	if (tui_quiz_key(l, ch))
		return;
	/* Presenting, a key while the run plays only stops it, so a
	 * teacher can halt on a moment with whatever key is under a hand;
	 * only ':' goes on to open the command line, since what is typed
	 * after it would otherwise land on the keys. */
	if (l->st.present && l->st.playing && !tui_pace_key(ch)) {
		tui_pause(l);
		tui_say(l, TUI_R_MESSAGE, "Paused.");
		if (ch != ':')
			return;
	}
	/* A long answer scrolls with the keys that move through a list. */
	if (l->st.overlay == TUI_OVERLAY_ANSWER &&
	    l->st.answer_rows > l->st.answer_page) {
		static const struct {
			int key, rows, pages;
		} scroll[] = {{KEY_DOWN, 1, 0},  {'j', 1, 0},  {KEY_UP, -1, 0},
		              {'k', -1, 0},      {KEY_NPAGE, 0, 1},
		              {' ', 0, 1},       {KEY_PPAGE, 0, -1},
		              {'b', 0, -1}};
		/* A page keeps one line of the last one in view. */
		int page = l->st.answer_page > 1 ? l->st.answer_page - 1 : 1;
		for (size_t i = 0; i < sizeof scroll / sizeof scroll[0]; i++) {
			if (scroll[i].key != ch)
				continue;
			l->st.answer_top += scroll[i].rows + scroll[i].pages * page;
			return;
		}
	}
	/* Any other key closes an open box and does nothing else, so a key
	 * meant for the box never moves the cursor by surprise; only ':'
	 * goes on to open the command line, as a learner who reads ":edit
	 * ran; :check checks it" types it straight away. */
	if (l->st.overlay != TUI_OVERLAY_NONE) {
		l->st.overlay = TUI_OVERLAY_NONE;
		free(l->st.answer);
		l->st.answer = NULL;
		if (ch != ':')
			return;
	}
	l->st.message[0] = '\0';
	const tui_key *k = tui_key_find(ch);
	if (k) {
		k->fn(l);
		return;
	}
	if (ch != 27)
		tui_say(l, TUI_R_DIM, "That key does nothing here: ? lists the "
		                      "keys.");
}

/* Blocking reads that come back empty this many times in a row mean the
 * terminal is gone (a closed pty gives end of file, not a key): stop
 * rather than spin. */
enum { TUI_MAX_EMPTY_READS = 64 };

static void
tui_loop_run(tui_loop *l)
{
	int empty = 0;
	while (!l->quit && !tui_signal) {
		tui_frame(l);
		int wait = -1;
		if (l->st.playing) {
			uint64_t now = tui_now_us();
			uint64_t left = l->next_step_us > now
			                        ? l->next_step_us - now
			                        : 0;
			wait = (int)((left + 999) / 1000);
		}
		timeout(wait);
		int ch = getch();
		if (tui_signal)
			break;
		if (ch == ERR) {
			if (l->st.playing)
				tui_play_tick(l);
			else if (++empty >= TUI_MAX_EMPTY_READS)
				break;
			continue;
		}
		empty = 0;
		tui_handle_key(l, ch);
		if (l->st.playing)
			tui_play_tick(l);
	}
}

/* ---- the bench hook ------------------------------------------------------------ */

static int
tui_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The median and the largest of n timings (sorts them). */
static void
tui_stats(uint64_t *t, long n, double *median_ms, double *max_ms)
{
	qsort(t, (size_t)n, sizeof *t, tui_cmp_u64);
	*median_ms = (double)t[n / 2] / 1e6;
	*max_ms = (double)t[n - 1] / 1e6;
}

static uint64_t
tui_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Draws `frames` frames twice from the middle of the run, one event
 * apart: first as playback draws them (curses sends only what changed),
 * then each one repainted whole (clearok), the worst case and the figure
 * design.md's frame budget is about. Fills in the report printed after
 * the terminal is restored. */
static void
tui_bench(tui_loop *l, long frames, uint64_t first_frame_ns, char *report,
          size_t size)
{
	trace_view *v = tui_view(l);
	uint64_t *t = calloc((size_t)frames, sizeof *t);
	if (!t) {
		snprintf(report, size, "tui-bench: out of memory\n");
		return;
	}
	double step_med = 0, step_max = 0, full_med = 0, full_max = 0;
	for (int pass = 0; pass < 2; pass++) {
		trace_view_seek(v, trace_view_events(v) / 2);
		for (long i = 0; i < frames; i++) {
			trace_view_next(v, TRACE_VIEW_STEP_EVENT);
			uint64_t t0 = tui_now_ns();
			if (pass == 1)
				clearok(curscr, TRUE);
			tui_frame(l);
			t[i] = tui_now_ns() - t0;
		}
		if (pass == 0)
			tui_stats(t, frames, &step_med, &step_max);
		else
			tui_stats(t, frames, &full_med, &full_max);
	}
	snprintf(report, size,
	         "tui-bench: size=%dx%d frames=%ld median_ms=%.3f max_ms=%.3f "
	         "step_median_ms=%.3f step_max_ms=%.3f first_frame_ms=%.1f\n",
	         COLS, LINES, frames, full_med, full_max, step_med, step_max,
	         (double)first_frame_ns / 1e6);
	free(t);
}

/* ---- starting and ending --------------------------------------------------------- */

static int
tui_locale_is_utf8(void)
{
	setlocale(LC_ALL, "");
	/* Numbers in the view look the same as in the plain output and as
	 * Rust prints them, whatever the locale says about decimal points. */
	setlocale(LC_NUMERIC, "C");
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0 ||
	              strcmp(cs, "utf-8") == 0);
}

static long
tui_bench_frames(void)
{
	const char *s = getenv("ASYNC_TUTORIAL_BENCH_FRAMES");
	if (!s || !*s)
		return 0;
	long n = strtol(s, NULL, 10);
	return n > 0 && n < 10000000 ? n : 0;
}

int
tui_wanted(void)
{
	return tui_bench_frames() > 0 || isatty(STDOUT_FILENO);
}

int
tui_available(char *why, size_t whysize)
{
	if (tui_bench_frames() > 0)
		return 1;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, whysize, "%s is not a terminal",
		         isatty(STDOUT_FILENO) ? "standard input"
		                               : "standard output");
		return 0;
	}
	const char *term = getenv("TERM");
	if (!term || !*term) {
		snprintf(why, whysize, "TERM is not set");
		return 0;
	}
	if (strcmp(term, "dumb") == 0) {
		snprintf(why, whysize, "the terminal (TERM=dumb) cannot show "
		                       "the visualizer");
		return 0;
	}
	int err = 0;
	TERMINAL *saved = cur_term;
	if (setupterm((char *)term, STDOUT_FILENO, &err) != OK) {
		snprintf(why, whysize,
		         "the terminal type '%.64s' is not in the terminfo "
		         "database",
		         term);
		return 0;
	}
	del_curterm(cur_term);
	set_curterm(saved);
	return 1;
}

tui_result
tui_run(ui_session *s, const tui_options *o, char *why, size_t whysize)
{
	tui_options none;
	memset(&none, 0, sizeof none);
	if (!o)
		o = &none;
	why[0] = '\0';
	if (!ui_session_view(s)) {
		snprintf(why, whysize, "no program is loaded");
		return TUI_FAILED;
	}
	long bench = tui_bench_frames();
	int utf8 = tui_locale_is_utf8();
	const char *nc = getenv("NO_COLOR");
	int want_color = !o->no_color && !(nc && *nc);

	FILE *out = stdout, *in = stdin;
	FILE *bench_out = NULL, *bench_in = NULL;
	if (bench && !isatty(STDOUT_FILENO)) {
		bench_out = fopen("/dev/null", "w");
		bench_in = fopen("/dev/null", "r");
		if (!bench_out || !bench_in) {
			if (bench_out)
				fclose(bench_out);
			if (bench_in)
				fclose(bench_in);
			snprintf(why, whysize, "cannot open /dev/null");
			return TUI_UNAVAILABLE;
		}
		out = bench_out;
		in = bench_in;
	} else if (!tui_available(why, whysize)) {
		return TUI_UNAVAILABLE;
	}
	const char *term = getenv("TERM");
	if (bench_out && (!term || !*term || strcmp(term, "dumb") == 0))
		term = "xterm-256color";

	tui_tty_fd = fileno(out);
	tui_have_modes = isatty(tui_tty_fd) &&
	                 tcgetattr(tui_tty_fd, &tui_saved_modes) == 0;
	tui_signal = 0;
	tui_install_signals();
	SCREEN *scr = newterm((char *)term, out, in);
	if (!scr) {
		tui_restore_signals();
		if (bench_out)
			fclose(bench_out);
		if (bench_in)
			fclose(bench_in);
		snprintf(why, whysize,
		         "the terminal '%.64s' could not be set up",
		         term ? term : "");
		return TUI_UNAVAILABLE;
	}
	set_term(scr);
	static int atexit_done;
	if (!atexit_done)
		atexit_done = atexit(tui_atexit) == 0;
	tui_capture_reset();
	tui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	if (bench_out) {
		int cols = 200, rows = 60;
		const char *size = getenv("ASYNC_TUTORIAL_BENCH_SIZE");
		if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
			cols = 200, rows = 60;
		resizeterm(rows, cols);
	}

	tui_loop l;
	memset(&l, 0, sizeof l);
	l.st.session = s;
	/* A lesson's title is made from the lesson (it changes with it). */
	l.base_title = ui_session_lesson(s, NULL, NULL) ? NULL : o->title;
	l.st.title = o->title;
	l.st.quiz_choice = -1;
	tui_lesson_refresh(&l);
	if (o->present) {
		int pace = ui_session_speed_parse(TUI_PRESENT_SPEED);
		if (pace >= 0)
			ui_session_set_speed(s, (size_t)pace);
	}
	if (o->present && !l.st.quiz_open && !bench)
		tui_key_play(&l);
	l.st.follow = 1;
	l.st.help = tui_help_lines;
	l.st.nhelp = tui_make_help();
	tui_theme_init(&l.st.theme, want_color, o->ascii || !utf8);
	l.st.present = o->present;
	if (o->present)
		tui_theme_high_contrast(&l.st.theme);
	if (o->note)
		tui_say(&l, TUI_R_MESSAGE, "%s", o->note);
	else if (!o->present)
		tui_say(&l, TUI_R_DIM,
		        "Paused at the start. space plays, %s step, ? lists "
		        "the keys.",
		        l.st.theme.ascii ? "-> and <-" : "→ and ←");

	tui_frame(&l);
	char report[256] = "";
	if (bench) {
		uint64_t first = o->start_ns ? tui_now_ns() - o->start_ns : 0;
		tui_bench(&l, bench, first, report, sizeof report);
	} else {
		tui_loop_run(&l);
	}

	tui_curses_on = 0;
	endwin();
	delscreen(scr);
	if (bench_out)
		fclose(bench_out);
	if (bench_in)
		fclose(bench_in);
	if (l.line)
		ui_line_free(l.line);
	tui_quiz_drop(&l);
	ui_course_show_free(&l.show);
	free(l.st.answer);
	tui_draw_free(&l.st);
	int sig = tui_signal;
	tui_restore_signals();
	if (sig) {
		/* Ctrl-C or SIGTERM: the terminal is back to normal; now die
		 * of the signal as the shell expects. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (*report)
		fputs(report, stderr);
	return TUI_DONE;
}
