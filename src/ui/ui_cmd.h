/* ui_cmd — the command language of the visualizer's `:` line and of
 * `async-tutorial shell`.
 *
 * Contract: a command line is split into words like a shell does, then the
 * first word is looked up in one table (ui_cmd_table) of {name, argument
 * synopsis, one-line help, example, handler}; adding a command is one entry
 * in ui_cmd.c. Handlers act on a ui_session (ui_session.h) and write their
 * answer, as plain English text ending in a newline, to the FILE* the
 * caller gives; mistakes (unknown commands, bad arguments, a file that does
 * not compile) are answered there too, in the same plain words, and
 * reported as UI_CMD_ERROR. Nothing here reads the terminal, uses curses or
 * libedit, or exits, so the module lives in the core library and is
 * unit-tested there; the visualizer shows the answer in its message area,
 * the shell prints it.
 *
 * Words. Words are separated by blanks. "double quotes" group a word with
 * blanks in it and understand \" and \\ inside; 'single quotes' take
 * everything literally up to the next '; outside quotes a backslash makes
 * the next character ordinary. An unfinished quote is an error. A line that
 * is blank or whose first word starts with # is a comment and does nothing
 * (handy in scripted classroom demos).
 *
 * Names are exact: there are no abbreviations, because a script that
 * relies on one would break when a command with the same prefix is added.
 * An unknown name is answered with the nearest known name, if one is close.
 *
 * The commands (ui_cmd.c's table is the reference; `help` prints it):
 *   run FILE           load, compile and run a program; paused at tick 1
 *   lesson [N|NAME]    open a lesson of the course in
 *                      ui_session_course_dir: its program loaded, the
 *                      lesson kept in the session (ui_session_lesson) for
 *                      the commands below; alone, list the lessons
 *   program [N|NAME]   another of the open lesson's programs (a variant);
 *                      alone, list them
 *   check              check the learner's code for the lesson's exercise
 *                      against its goals (and load it); progress recorded
 *   hint               the exercise's next hint
 *   reset              put the starting code back in the learner's copy
 *   solution           the exercise's solution, after enough failed checks
 *   edit               the learner's copy in $VISUAL / $EDITOR (through
 *                      env->edit), then load it
 *   goto TICK | TIME   go to tick TICK (counted in the current step size,
 *                      as `where` shows it) or to virtual time TIME
 *                      ("1.5s", "250ms", "3us", "10ns", "1.5 s")
 *   step [SIZE]        set the step size: event, poll or instant
 *   next [N], prev [N] move N steps (default 1) forward or back
 *   first, last        go to the first or last tick
 *   speed [X]          set the playback speed ("2x", "0.25")
 *   profile [NAME]     choose a machine profile and run again
 *   export json FILE   write the trace for Perfetto / chrome://tracing
 *   lints              the lints found so far, and what each means
 *   info               the program, how its run ended, its profile
 *   where              tick i of N, clock, and what just happened
 *   futures [N]        the futures tree at the cursor, N rows at most
 *   threads            each thread: running, blocked on what, CPU time
 *   executor           run queue, armed timers, the last wake
 *   output             what the program has printed so far
 *   source             the line running now, with its number
 *   state [FUTURE]     an async fn future's state machine, by id or name
 *   help [COMMAND]     the commands, or one command in detail
 *   quit, exit         leave
 * Commands that only show something, and commands given with no argument
 * where one is optional, never change the session.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_CMD_H
#define ASYNC_TUTORIAL_UI_UI_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ui/ui_session.h"

/* What a command changed, so the visualizer knows what to redraw. */
enum ui_cmd_changed {
	UI_CMD_CHANGED_CURSOR = 1u << 0,   /* the cursor moved */
	UI_CMD_CHANGED_RUN = 1u << 1,      /* a new run and view replaced the
	                                      old one (run, profile): folds
	                                      and the selection are gone */
	UI_CMD_CHANGED_SETTINGS = 1u << 2, /* step size, speed or profile */
	UI_CMD_CHANGED_LESSON = 1u << 3    /* another lesson was opened */
};

/* Everything a command works on. The caller owns it and fills the inputs;
 * ui_cmd_exec sets the outputs. */
typedef struct ui_cmd_env {
	ui_session *session; /* in: the program and its run */
	FILE *out;           /* in: where answers and error messages go */
	int color;           /* in: colour compiler diagnostics (for a
	                        terminal; the visualizer passes 0) */
	int quiet_moves;     /* in: goto/next/prev/first/last answer nothing
	                        when they succeed (the visualizer's screen
	                        already shows where the cursor is); the shell
	                        passes 0 and gets a one-line "where" */
	uint32_t selected;   /* in: the visualizer's selected future, the
	                        default of `state` (0: none) */
	/* in: runs the learner's editor on the file at `path` and waits,
	 * with the terminal handed over (the visualizer steps curses aside
	 * around it); returns 0, or -1 with a sentence in err. NULL: `edit`
	 * is not available here and says what to do instead. */
	int (*edit)(void *ctx, const char *path, char *err, size_t errsize);
	void *edit_ctx;
	unsigned changed;    /* out: ui_cmd_changed bits, cleared by each
	                        ui_cmd_exec */
} ui_cmd_env;

typedef enum ui_cmd_result {
	UI_CMD_OK = 0,  /* done; its answer, if any, is in env->out */
	UI_CMD_EMPTY,   /* a blank line or a comment: nothing happened */
	UI_CMD_ERROR,   /* a mistake, explained in env->out */
	UI_CMD_QUIT     /* quit (or exit) was asked for */
} ui_cmd_result;

/* A command handler: argv[0] is the command's name, argv[argc] is NULL. */
typedef ui_cmd_result (*ui_cmd_fn)(ui_cmd_env *env, int argc, char **argv);

typedef struct ui_cmd_entry {
	const char *name;
	const char *args;    /* synopsis of the arguments, "" if none */
	const char *help;    /* one line, no final period */
	const char *example; /* one example line, or NULL */
	ui_cmd_fn fn;
} ui_cmd_entry;

/* The table, in the order `help` lists it. */
const ui_cmd_entry *
ui_cmd_table(size_t *count);

/* The entry of that exact name, NULL if none. */
const ui_cmd_entry *
ui_cmd_find(const char *name);

/* The known command name nearest to `name` (by edit distance, at most two
 * edits, or a unique one it is a prefix of), NULL if none is close. */
const char *
ui_cmd_suggest(const char *name);

/* ---- words -------------------------------------------------------------- */

typedef struct ui_cmd_args {
	int argc;
	char **argv; /* argc words, then NULL; owned */
} ui_cmd_args;

/* Splits a line into words (see above). Returns 0, or -1 with a sentence
 * in err (an unfinished quote, or memory ran out); args is then empty. A
 * comment line gives 0 words. */
int
ui_cmd_split(const char *line, ui_cmd_args *args, char *err, size_t errsize);

void
ui_cmd_args_free(ui_cmd_args *args);

/* Writes `word` quoted so that ui_cmd_split gives it back as one word:
 * unchanged if it needs no quoting, else in double quotes with " and \
 * escaped. As snprintf: returns the whole length. */
size_t
ui_cmd_quote(const char *word, char *buf, size_t size);

/* ---- running commands --------------------------------------------------- */

/* Splits and runs one line. The trailing newline, if any, is ignored. */
ui_cmd_result
ui_cmd_exec(ui_cmd_env *env, const char *line);

/* Runs a command already split into words (argv[0] its name; argv[argc]
 * need not be NULL). For callers that have words, such as
 * `async-tutorial shell FILE`, which runs `run FILE` first. */
ui_cmd_result
ui_cmd_exec_argv(ui_cmd_env *env, int argc, char **argv);

/* ---- tab completion ----------------------------------------------------- */

typedef struct ui_cmd_completion {
	size_t start;   /* where the word being completed starts in the line
	                   (at its opening quote if it has one) */
	char quote;     /* that opening quote, or 0 */
	char **names;   /* the candidates, unquoted, sorted; a directory ends
	                   in '/' */
	size_t count;
} ui_cmd_completion;

/* Completes the word that ends at line[len] (the cursor): command names for
 * the first word; for the argument of run and export json, files and
 * directories (relative to the current directory, hidden ones only when
 * the word starts with '.'); "json" after export; profile names after
 * profile; step sizes after step; speeds after speed; command names after
 * help; future names after state (from the session's run, if loaded);
 * the open lesson's program numbers and names after program;
 * lessons after lesson (from the session's course, if it has one: a
 * lesson's file name without .md, its id or its number, whichever the word
 * begins). s may be NULL. Returns 0 (count may be 0), or -1 if memory ran
 * out. */
int
ui_cmd_complete(const ui_session *s, const char *line, size_t len,
                ui_cmd_completion *c);

/* The text to put in place of line[c->start..len): with one candidate, it
 * quoted as needed and followed by a space (not after a directory, so
 * completion can go on inside it); with several, their longest common
 * prefix, quoted as the word was. NULL if memory ran out or there are no
 * candidates. The caller frees it. */
char *
ui_cmd_completion_text(const ui_cmd_completion *c);

void
ui_cmd_completion_free(ui_cmd_completion *c);

#endif
