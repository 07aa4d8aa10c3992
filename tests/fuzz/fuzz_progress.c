/* Fuzz target: the progress file loader. Whatever is in the file (another
 * program's, a newer version's, cut short, edited by hand), opening it must
 * give a usable progress, never a crash, and a file that loads must save
 * and load back the same. The file lives in a directory of our own under
 * $TMPDIR, made once and emptied after each input (a damaged file is moved
 * aside there). */
#include "config.h"

#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson/lesson_progress.h"

static char fuzz_dir[512];

/* Removes every file the last input left in our directory. */
static void
fuzz_empty_dir(void)
{
	DIR *d = opendir(fuzz_dir);
	if (!d)
		return;
	struct dirent *e;
	char path[1024];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

static void
fuzz_remove_dir(void)
{
	fuzz_empty_dir();
	rmdir(fuzz_dir);
}

static int
fuzz_setup(void)
{
	if (fuzz_dir[0])
		return 0;
	const char *tmp = getenv("TMPDIR");
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/fuzz-progress-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz_progress: mkdtemp");
		abort();
	}
	atexit(fuzz_remove_dir);
	return 0;
}

/* Reads everything a front end would ask of a loaded progress. */
static void
fuzz_query(const lesson_progress *p)
{
	static const char *const ids[] = {"threads", "join-all", "recap", "a"};
	lesson_progress_state_of(p);
	lesson_progress_notice(p);
	lesson_progress_current(p);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		lesson_progress_done(p, ids[i]);
		lesson_progress_answer(p, ids[i], 0);
		lesson_progress_answer(p, ids[i], 999);
		lesson_progress_exercise_get(p, ids[i], 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_setup();
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.progress", fuzz_dir,
		 LESSON_PROGRESS_BUILTIN);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz_progress: writing the input");
		abort();
	}
	char err[512];
	lesson_progress *p = lesson_progress_open(
		fuzz_dir, LESSON_PROGRESS_BUILTIN, "built-in", err, sizeof err);
	if (!p)
		abort(); /* only when memory ran out */
	fuzz_query(p);
	if (lesson_progress_state_of(p) == LESSON_PROGRESS_LOADED) {
		/* What loads must save, and load back as loaded. */
		if (lesson_progress_save(p, err, sizeof err) != 0) {
			fprintf(stderr, "fuzz_progress: %s\n", err);
			abort();
		}
		lesson_progress *q = lesson_progress_open(
			fuzz_dir, LESSON_PROGRESS_BUILTIN, "built-in", err,
			sizeof err);
		if (!q || lesson_progress_state_of(q) != LESSON_PROGRESS_LOADED) {
			fprintf(stderr, "fuzz_progress: a saved file does not "
					"load back\n");
			abort();
		}
		fuzz_query(q);
		lesson_progress_free(q);
	}
	lesson_progress_free(p);
	fuzz_empty_dir();
	return 0;
}
