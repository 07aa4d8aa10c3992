/* tui — the full-screen visualizer: a loaded program's run, played, paused
 * and stepped forward and back in a terminal.
 *
 * Contract: tui_run takes a session with a program loaded (ui_session.h)
 * and shows its run until the user quits, starting paused at the session's
 * cursor (the first tick after a load). It owns the terminal while it runs
 * and gives it back as it found it in every way out:
 *   - q (or `:quit`): curses ends normally, tui_run returns TUI_DONE;
 *   - Ctrl-C (SIGINT) and SIGTERM: the handler only notes the signal; the
 *     loop wakes (getch is interrupted), ends curses, and re-raises the
 *     signal with its default action, so the shell sees an interrupted
 *     command, as it would for any other program;
 *   - a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT): endwin is not
 *     async-signal-safe, so the handler instead writes the terminal's own
 *     reset sequences (leave the alternate screen, show the cursor, plain
 *     attributes, keypad off), captured from terminfo when curses started,
 *     and puts back the terminal modes saved before it started, with
 *     write(2) and tcsetattr(3), both async-signal-safe; then it re-raises
 *     the signal so a core dump or a debugger still sees the crash;
 *   - any exit(3) while curses is up (a fatal error deep inside): an
 *     atexit handler calls endwin first.
 * Ctrl-Z is left to curses, which suspends and redraws cleanly.
 *
 * A lesson. When the session has a lesson open (ui_session_lesson: lent
 * by `async-tutorial lesson N`, or opened with `:lesson N`), the
 * visualizer shows its text in the source pane's place (p switches
 * between the two, PgUp/PgDn scroll it), the teacher's narration of the
 * loaded program at its moments, and asks, before the run plays, each
 * quiz about that program the learner has not answered yet, one after
 * the other, saving every answer in the learner's progress. Whenever a
 * command loads another program (`:program N`, v, `:edit`, `:check`,
 * `:lesson N`), the text stays and the narration and quizzes follow the
 * new program.
 *
 * When there is no usable terminal, tui_run draws nothing and returns
 * TUI_UNAVAILABLE with a sentence saying why: the caller prints that note
 * and falls back to plain text. curses' own "Error opening terminal" never
 * appears: the terminal is opened with newterm, which reports instead of
 * exiting. tui_available answers the same question before a (possibly
 * long) run is made, without touching the screen.
 *
 * The look: colours unless NO_COLOR is set (https://no-color.org) or
 * o->no_color; ASCII only with o->ascii or when the locale's character set
 * (after setlocale(LC_ALL, "")) is not UTF-8. LC_NUMERIC stays "C", so
 * numbers look the same as in the plain output.
 *
 * A hidden measurement hook for `make bench`: with
 * ASYNC_TUTORIAL_BENCH_FRAMES=N in the environment, tui_run opens a
 * screen of ASYNC_TUTORIAL_BENCH_SIZE (default "200x60") on /dev/null when
 * standard output is not a terminal, draws N frames (each one event after
 * the last, from the middle of the run), and after restoring the terminal
 * prints one line to stderr:
 *   tui-bench: size=200x60 frames=N median_ms=... max_ms=... first_frame_ms=...
 * (first_frame_ms counts from o->start_ns, if given, to the first frame on
 * the terminal).
 */
#ifndef ASYNC_TUTORIAL_UI_TUI_H
#define ASYNC_TUTORIAL_UI_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "ui/ui_session.h"

/* A quiz asked before the run may play: shown in a box over the run's
 * panes (never over the lesson's text); a letter (a, b, ...) or a digit
 * (1, 2, ...) answers it, q or Esc leaves the visualizer with it
 * unanswered. The answer is recorded with `record`, then the box says
 * whether it was right and shows the explanation; the next key closes it
 * and asks the next quiz, if any. For a prediction, `outcome` is what the
 * run did ("printed \"done\"", "took 1.2 s"), and the narration at the
 * run's end compares the two. tui.c makes these from the session's
 * lesson. */
typedef struct tui_quiz {
	const char *heading;  /* "Quiz 1 of 2: predict the output" */
	const char *question;
	const char *const *choices;
	size_t nchoices;      /* at most 26 */
	size_t right;
	const char *explain;  /* NULL: none */
	const char *outcome;  /* NULL: not a prediction */
	/* Saves the answer; returns 0, or -1 with a sentence in err (the
	 * learner is told, and the run still plays). */
	int (*record)(void *ctx, size_t choice, char *err, size_t errsize);
	void *ctx;
} tui_quiz;

/* The pace of --present: an entry of the session's speed table. One
 * step a second leaves a teacher time to say a sentence about each. */
#define TUI_PRESENT_SPEED "0.5x"

typedef struct tui_options {
	int no_color;      /* --no-color */
	int ascii;         /* --ascii */
	const char *title; /* shown over the source (a lesson's name); NULL:
	                      the program's file name */
	const char *note;  /* shown under the narration at the start (e.g.
	                      "2 compiler warnings are printed when you
	                      quit"); NULL: the key hint */
	int present;       /* --present: the classroom look (high contrast,
	                      the narration large, no key hints) and a run
	                      that plays by itself at a steady pace, one step
	                      a second (TUI_PRESENT_SPEED; + and - change
	                      it); while it plays, any key only pauses it */
	uint64_t start_ns; /* CLOCK_MONOTONIC time the command started, for
	                      the bench's start-up figure; 0 if unknown */
} tui_options;

typedef enum tui_result {
	TUI_DONE = 0,    /* the user quit */
	TUI_UNAVAILABLE, /* no terminal: nothing drawn, see `why` */
	TUI_FAILED       /* memory ran out; the terminal is restored, see
	                    `why` */
} tui_result;

/* 1 when `run` should try the visualizer unless told otherwise: standard
 * output is a terminal (or the bench hook is on). With output going to a
 * file or a pipe, plain text is the quiet default. */
int
tui_wanted(void);

/* 1 if the visualizer can run here: standard input and output are
 * terminals and TERM names a terminal the terminfo database knows (or the
 * bench hook is on). Otherwise 0, with the reason in why ("standard input
 * is not a terminal"). */
int
tui_available(char *why, size_t whysize);

/* Runs the visualizer on the session's current run (see above). */
tui_result
tui_run(ui_session *s, const tui_options *o, char *why, size_t whysize);

#endif
