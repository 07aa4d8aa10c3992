/* ui_session — one loaded program and its recorded run, shared by the
 * full-screen visualizer and `async-tutorial shell`.
 *
 * Contract: a session holds at most one program at a time: its source text,
 * the compiled program, the simulation's result, the full trace with its
 * lints, the program's output, and a trace_view (the cursor) over that
 * trace. It also holds the settings the next run will use (the sim_options:
 * profile, seed, instruction cost, budgets; and which lints are on) and two
 * view settings: the step size and the playback speed. When the program
 * is a lesson's, it also holds the lesson and the learner's course and
 * progress (ui_course.h), for the lesson and exercise commands and for
 * the visualizer, which shows the lesson beside the run.
 *
 * It is pure data. It never prints, never touches the terminal and never
 * exits; every failure is returned as a status, with a one-sentence message
 * (ui_session_error) and, for a program that does not compile, the
 * compiler's diagnostics (ui_session_diags) for the caller to print with
 * ui_diag_print_all. It includes neither curses nor libedit, so it lives in
 * the core library and is unit-tested there.
 *
 * Loading is all or nothing: a file that cannot be read or does not compile
 * leaves the program loaded before (and its cursor) exactly as it was, so a
 * typo in `run` never throws away what the class was looking at. The
 * failed attempt's source text and diagnostics stay available until the
 * next load (ui_session_attempt_source), so they can be printed with the
 * source line and a caret. A program that panics, or that a budget stops,
 * is a successful load: its run is recorded up to that point and can be
 * stepped through like any other.
 *
 * Every run records the full trace (TRACE_FULL) with all lint detectors
 * attached; a new run opens at the first tick, paused, like the visualizer
 * itself, except after ui_session_rerun, which keeps the cursor at the same
 * virtual time (or at the end if it was at the end) so that the effect of a
 * different profile can be compared at the moment being discussed.
 *
 * Playback speed. The visualizer advances by one step of the current step
 * size (event, poll or instant) per period; speed 1x is two steps a second,
 * slow enough for a teacher to read each narration sentence aloud. The
 * table runs from 0.25x (one step every two seconds) to 64x (128 steps a
 * second, about a thousand-event run in eight seconds) in powers of two,
 * because + and - should each make a difference one can see. Speed is a
 * view setting only: it never changes the run (design.md section 3).
 * Virtual time is not used as the playback clock because a lesson's
 * interesting moments are microseconds apart while its sleeps last seconds;
 * the instant step size gives a playback that moves with the clock instead.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_SESSION_H
#define ASYNC_TUTORIAL_UI_UI_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_compile.h"
#include "lang/lang_diag.h"
#include "sim/sim_run.h"
#include "trace/trace_lint.h"
#include "trace/trace_log.h"
#include "trace/trace_view.h"
#include "ui/ui_course.h"
#include "ui/ui_diag.h"

/* The largest program file a session reads (the same limit as `run`): real
 * lesson programs are a few kilobytes; the limit only stops a mistaken
 * argument (a video, a disk image) from being read whole. */
#define UI_SESSION_MAX_FILE_BYTES (8u * 1024u * 1024u)

/* What a load, a re-run or an export can end with. The comments give the
 * exit status `async-tutorial run` uses for the same failure
 * (ui_session_exit_code). */
typedef enum ui_session_status {
	UI_SESSION_OK = 0,
	UI_SESSION_UNREADABLE,     /* the file could not be read (2) */
	UI_SESSION_COMPILE_ERROR,  /* see ui_session_diags (3) */
	UI_SESSION_NO_MEMORY,      /* memory ran out (1) */
	UI_SESSION_NOTHING_LOADED, /* re-run or export before any load (2) */
	UI_SESSION_WRITE_FAILED    /* an export could not be written (1) */
} ui_session_status;

typedef struct ui_session ui_session;

/* A new session with nothing loaded. `opt` gives the settings of the runs
 * (NULL: sim_options_default); its file_name, on_output and output_ctx are
 * ignored, since the session sets them for each run. All lints on, step
 * size event, speed 1x. NULL if memory ran out. */
ui_session *
ui_session_new(const sim_options *opt);

void
ui_session_free(ui_session *s);

/* ---- loading and running ------------------------------------------------ */

/* Reads the file at `path` (shown in messages and panic locations as
 * given), compiles it and runs it with the session's settings. Returns
 * UI_SESSION_OK, or UNREADABLE, COMPILE_ERROR or NO_MEMORY with the loaded
 * program left as it was. Compiler warnings of a program that compiles are
 * kept in ui_session_diags too. */
ui_session_status
ui_session_load(ui_session *s, const char *path);

/* The same for a program given as text (a lesson's program): `name` is
 * what messages and panic locations call it. The text is copied. */
ui_session_status
ui_session_load_text(ui_session *s, const char *name, const char *text,
                     size_t len);

/* Runs the loaded program again with the current settings (after
 * ui_session_set_options or ui_session_set_lint): a new trace and view, the
 * cursor kept at the same virtual time (see above), the step size and
 * speed unchanged. NOTHING_LOADED if there is no program; NO_MEMORY leaves
 * the previous run in place. */
ui_session_status
ui_session_rerun(ui_session *s);

/* One sentence about the last failure ("cannot open 'x.rs': No such file
 * or directory"), "" after a success. Valid until the next call that can
 * fail. */
const char *
ui_session_error(const ui_session *s);

/* The exit status `async-tutorial run` gives for a failure of this kind. */
int
ui_session_exit_code(ui_session_status st);

/* The compiler's diagnostics from the last load attempt (errors if it
 * failed to compile, else warnings), and the source they point into, for
 * ui_diag_print_all. Empty before any load and after a read failure. */
const lang_diags *
ui_session_diags(const ui_session *s);

ui_source
ui_session_attempt_source(const ui_session *s);

/* ---- the loaded program and its run ------------------------------------- */

/* 1 once a program is loaded. Everything below except the settings answers
 * NULL / 0 / "" while nothing is loaded. */
int
ui_session_loaded(const ui_session *s);

/* The loaded program's name (as given to load) and source text. */
const char *
ui_session_name(const ui_session *s);

ui_source
ui_session_source(const ui_session *s);

const lang_program *
ui_session_program(const ui_session *s);

const trace_log *
ui_session_log(const ui_session *s);

const trace_lint *
ui_session_lints(const ui_session *s);

/* How the run ended: exit_status 0, 1, 3 or 101, its stats, and for 1 and
 * 3 the message and hint (main.c's main_print_stop shows how to print
 * them: a status-3 message starts with NAME:LINE:COL:). */
const sim_result *
ui_session_result(const ui_session *s);

/* The run's exit status, as `async-tutorial run` would exit; -1 if nothing
 * is loaded. */
int
ui_session_exit_status(const ui_session *s);

/* Everything the program printed in the whole run, stdout and stderr
 * interleaved as printed, not escaped (the view's trace_view_output_line
 * gives the output up to the cursor, escaped). *len may be NULL. */
const char *
ui_session_output(const ui_session *s, size_t *len);

/* The view over the current run: the cursor and everything derived from
 * it. Owned by the session; replaced (and the old pointer freed) by every
 * successful load or re-run, so do not keep it across those. */
trace_view *
ui_session_view(ui_session *s);

/* Writes the current run's trace in Chrome's trace format (trace_json.h)
 * to `path`, replacing the file. Returns OK, NOTHING_LOADED or
 * WRITE_FAILED (the message names the file and the reason). */
ui_session_status
ui_session_export_json(ui_session *s, const char *path);

/* ---- settings of the next run ------------------------------------------- */

/* The settings the current run was made with, until changed; then the ones
 * the next load or re-run will use. */
const sim_options *
ui_session_options(const ui_session *s);

/* Replaces the settings (file_name, on_output and output_ctx ignored). They
 * apply from the next load or ui_session_rerun. */
void
ui_session_set_options(ui_session *s, const sim_options *opt);

/* Turns a lint on (--warn) or off (--allow) for the next runs. Returns 0,
 * or -1 for an unknown name (nothing changes then). */
int
ui_session_set_lint(ui_session *s, const char *name, int on);

int
ui_session_lint_on(const ui_session *s, trace_lint_id id);

/* ---- the course ---------------------------------------------------------- */

/* The directory of the course whose lessons `lesson` opens and completes
 * (ui_cmd.h). The session only keeps the name, so that the command
 * language, which has nothing but the session when it completes a word,
 * can find the course; main.c sets it to the course the learner's own
 * commands use (ui_lesson_find_course). NULL, the default, means no
 * course is known. Returns 0, or -1 if memory ran out (the directory is
 * then unchanged). */
int
ui_session_set_course_dir(ui_session *s, const char *dir);

const char *
ui_session_course_dir(const ui_session *s);

/* The learner's course and progress, for the lesson and exercise
 * commands: the one given with ui_session_set_course (own: the session
 * frees it), else opened on first use from ui_session_course_dir as the
 * course that comes with the program. NULL, with a sentence in err, when
 * there is no course or it cannot be opened (then not tried again until
 * set_course). */
void
ui_session_set_course(ui_session *s, ui_course *c, int own);

ui_course *
ui_session_course(ui_session *s, char *err, size_t errsize);

/* The lesson open in the session, if any: lesson `index` of the course
 * (0-based) and the program of it that is loaded, an index in
 * l->programs (l->nprograms for the learner's own code). Loading a program
 * does not change it: whoever loads sets it (`run FILE` sets NULL). own:
 * the session frees the lesson when it is replaced. */
void
ui_session_set_lesson(ui_session *s, lesson *l, size_t index,
                      size_t program, int own);

/* The same lesson, another of its programs loaded. */
void
ui_session_set_lesson_program(ui_session *s, size_t program);

const lesson *
ui_session_lesson(const ui_session *s, size_t *index, size_t *program);

/* ---- view settings: step size and speed --------------------------------- */

trace_view_step
ui_session_step(const ui_session *s);

void
ui_session_set_step(ui_session *s, trace_view_step step);

/* The next step size in the order event, poll, instant, event (key s). */
void
ui_session_cycle_step(ui_session *s);

/* The speed table: entries 0..ui_session_speed_count()-1, slowest first. */
size_t
ui_session_speed_count(void);

/* Its name as shown on the status line and accepted by `speed`: "0.25x",
 * "1x", "64x". NULL out of range. */
const char *
ui_session_speed_name(size_t i);

/* Microseconds between two steps at speed i (500000 at 1x); 0 out of
 * range. */
uint64_t
ui_session_speed_period_us(size_t i);

/* The entry for "2", "2x", "2×", "0.25", ".25x" or "1/4": -1 if the text
 * is not one of the table's speeds. */
int
ui_session_speed_parse(const char *text);

/* The current speed (an index into the table), initially the 1x entry. */
size_t
ui_session_speed(const ui_session *s);

/* Sets the speed; out of range is ignored. */
void
ui_session_set_speed(ui_session *s, size_t i);

/* One entry faster (+) or slower (-). Returns 1 if the speed changed, 0 if
 * it was already the fastest (slowest). */
int
ui_session_faster(ui_session *s);

int
ui_session_slower(ui_session *s);

#endif
