/* lesson_progress — what a learner has done, kept between runs.
 *
 * Contract: a lesson_progress holds, for one course, the learner's current
 * lesson, the lessons done, their quiz answers, and for each exercise the
 * failed checks, the hints taken, whether it passed and whether the
 * solution was shown. Lessons are named by id (lesson_file.h), so
 * renumbering a course keeps everyone's place.
 *
 * It lives in one small text file per course under the state directory
 * ($XDG_STATE_HOME/async-tutorial, by default ~/.local/state/async-tutorial):
 * "course.progress" for the course that comes with async-tutorial, and
 * "course-NAME-HASH.progress" for a course given with --lessons-dir (keyed
 * by the directory's real path, so each teacher's course has its own
 * progress). lesson_progress_save writes it atomically: a temporary file
 * in the same directory, fsync, rename over the old file, fsync of the
 * directory. A reader therefore sees the old file or the new one, never
 * half of one. The file ends with an `end` line, so a file cut short by
 * something else is still recognised as damaged.
 *
 * Damage is never fatal and never silent: a file that is not a progress
 * file of this course (another program's, a newer version's, cut short,
 * edited by hand into nonsense) is renamed aside as
 * NAME.damaged-YYYYMMDD-HHMMSS, and lesson_progress_notice says so in a
 * sentence, with where it went; the learner starts afresh. If it cannot be
 * moved aside (or read), it is left untouched and saving is refused, so
 * the old file is never overwritten unseen. Temporary files left by an
 * interrupted save are ignored, and removed once they are old.
 *
 * The learner's own copies of exercise code are files too, under the data
 * directory ($XDG_DATA_HOME/async-tutorial, by default
 * ~/.local/share/async-tutorial), in a folder per course:
 * COURSE-KEY/LESSON-ID.rs (LESSON-ID-2.rs for a lesson's second
 * exercise). They are written atomically in the same way, and a reset
 * keeps the learner's last version as FILE.rs~.
 *
 * Nothing here prints; failures come back as sentences in `err`.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_PROGRESS_H
#define ASYNC_TUTORIAL_LESSON_LESSON_PROGRESS_H

#include <stddef.h>

/* The key of the course that comes with async-tutorial. */
#define LESSON_PROGRESS_BUILTIN "course"

/* Temporary files of an interrupted save older than this are removed. */
#define LESSON_PROGRESS_STALE_SECONDS 600

typedef enum lesson_progress_state {
	LESSON_PROGRESS_FRESH,     /* no file yet: a new learner */
	LESSON_PROGRESS_LOADED,    /* read back as saved */
	LESSON_PROGRESS_RECOVERED, /* a damaged file was moved aside */
	LESSON_PROGRESS_READ_ONLY  /* a file we may not overwrite: see notice */
} lesson_progress_state;

typedef struct lesson_exercise_progress {
	unsigned tries; /* failed checks */
	unsigned hints; /* hints taken */
	int passed;
	int solution_seen;
} lesson_exercise_progress;

typedef struct lesson_progress lesson_progress;

/* $XDG_STATE_HOME/async-tutorial or $HOME/.local/state/async-tutorial;
 * $XDG_DATA_HOME/async-tutorial or $HOME/.local/share/async-tutorial (a
 * relative XDG variable is ignored, as the specification says). New
 * strings; NULL when neither variable is usable. */
char *
lesson_state_dir(void);

char *
lesson_data_dir(void);

/* The key a course's files are kept under: LESSON_PROGRESS_BUILTIN for the
 * course that comes with the program, else "course-NAME-HASH" from the
 * directory's real path. A new string, NULL if memory ran out. */
char *
lesson_progress_course_key(const char *course_dir, int builtin);

/* Reads the progress of the course `key` from state_dir (which need not
 * exist yet). `label` is written into the file to say which course it is
 * (the directory, or "built-in"); a file with another label is not ours.
 * NULL only if memory ran out (err says so). */
lesson_progress *
lesson_progress_open(const char *state_dir, const char *key,
		     const char *label, char *err, size_t errsize);

void
lesson_progress_free(lesson_progress *p);

lesson_progress_state
lesson_progress_state_of(const lesson_progress *p);

/* A sentence for the learner about what happened to a damaged or
 * unreadable file, or NULL. */
const char *
lesson_progress_notice(const lesson_progress *p);

/* The progress file's path. */
const char *
lesson_progress_path(const lesson_progress *p);

/* Writes the file (creating the directory). Returns 0, or -1 with a
 * sentence in err; the file on disk is then as it was. */
int
lesson_progress_save(lesson_progress *p, char *err, size_t errsize);

/* The current lesson's id, NULL if none was chosen yet. */
const char *
lesson_progress_current(const lesson_progress *p);

/* The setters return 0, or -1 if memory ran out (nothing changed). */
int
lesson_progress_set_current(lesson_progress *p, const char *id);

int
lesson_progress_done(const lesson_progress *p, const char *id);

int
lesson_progress_set_done(lesson_progress *p, const char *id, int done);

/* The choice (0 = a) last given to quiz q of a lesson, or -1. */
int
lesson_progress_answer(const lesson_progress *p, const char *id, size_t quiz);

int
lesson_progress_set_answer(lesson_progress *p, const char *id, size_t quiz,
			   int choice);

/* Exercise e (0-based) of a lesson: its record, created empty if needed
 * (NULL if memory ran out). The caller changes it and saves. */
lesson_exercise_progress *
lesson_progress_exercise(lesson_progress *p, const char *id, size_t e);

/* The same without creating: NULL if there is no record. */
const lesson_exercise_progress *
lesson_progress_exercise_get(const lesson_progress *p, const char *id,
			     size_t e);

/* Forgets everything about one lesson (for a fresh start of it). */
void
lesson_progress_forget(lesson_progress *p, const char *id);

/* --- files ---------------------------------------------------------------- */

/* Creates a directory and its parents (mode 0700). Returns 0, or -1 with
 * a sentence in err. */
int
lesson_mkdirs(const char *dir, char *err, size_t errsize);

/* Replaces `path` with `data` atomically (temporary file, fsync, rename,
 * fsync of the directory), creating the directory. Returns 0, or -1 with
 * a sentence in err (the old file is then untouched). */
int
lesson_write_atomic(const char *path, const char *data, size_t len,
		    char *err, size_t errsize);

/* DATA_DIR/KEY/ID.rs, or ID-N.rs for exercise N-1 > 0. A new string. */
char *
lesson_code_path(const char *data_dir, const char *key, const char *id,
		 size_t exercise);

/* Writes the starting code to `path` unless the file exists. *created
 * says which. Returns 0, or -1 with a sentence in err. */
int
lesson_code_ensure(const char *path, const char *start, size_t len,
		   int *created, char *err, size_t errsize);

/* Puts the starting code back, keeping the learner's version as PATH~.
 * Returns 0, or -1 with a sentence in err; then PATH and PATH~ are as they
 * were (a full disk or a read-only directory loses nothing). */
int
lesson_code_reset(const char *path, const char *start, size_t len, char *err,
		  size_t errsize);

/* Reads a whole file (at most `max` bytes) into a new NUL-terminated
 * string. Returns 0, or -1 with a sentence in err. */
int
lesson_read_file(const char *path, size_t max, char **data, size_t *len,
		 char *err, size_t errsize);

#endif
