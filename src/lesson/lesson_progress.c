#include "config.h"

#include "lesson/lesson_progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The first line of every progress file; the number is the format's
 * version. A file that does not start so is not ours. */
#define LESSON_PROGRESS_MAGIC "async-tutorial progress 1"

/* A progress file is a few hundred bytes; anything much bigger is not
 * ours. */
#define LESSON_PROGRESS_MAX_BYTES (1024u * 1024u)

typedef struct lesson_record {
	char *id;
	int done;
	int *answers; /* per quiz: the choice, or -1 */
	size_t nanswers;
	lesson_exercise_progress *ex;
	size_t nex;
} lesson_record;

struct lesson_progress {
	char *dir;
	char *path;
	char *label;
	char *current;
	lesson_record *recs;
	size_t nrecs;
	lesson_progress_state state;
	char *notice;
};

/* --- directories ------------------------------------------------------------ */

static char *
lesson_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a,
			 *a && a[strlen(a) - 1] == '/' ? "" : "/", b);
	return s;
}

/* The XDG base directory rule: an absolute $VAR, else $HOME/fallback. */
static char *
lesson_xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	char *base;
	if (v && v[0] == '/') {
		base = strdup(v);
	} else {
		const char *home = getenv("HOME");
		if (!home || home[0] != '/')
			return NULL;
		base = lesson_join(home, fallback);
	}
	if (!base)
		return NULL;
	char *dir = lesson_join(base, "async-tutorial");
	free(base);
	return dir;
}

char *
lesson_state_dir(void)
{
	return lesson_xdg_dir("XDG_STATE_HOME", ".local/state");
}

char *
lesson_data_dir(void)
{
	return lesson_xdg_dir("XDG_DATA_HOME", ".local/share");
}

char *
lesson_progress_course_key(const char *course_dir, int builtin)
{
	if (builtin)
		return strdup(LESSON_PROGRESS_BUILTIN);
	char *real = realpath(course_dir, NULL);
	const char *path = real ? real : course_dir;
	/* FNV-1a: a stable short name for the path, not security. */
	uint64_t h = 1469598103934665603ull;
	for (const char *c = path; *c; c++) {
		h ^= (unsigned char)*c;
		h *= 1099511628211ull;
	}
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	char name[40];
	size_t n = 0;
	for (const char *c = base; *c && n < 24; c++) {
		char ch = *c;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
		name[n++] = ok ? ch : '_';
	}
	name[n] = '\0';
	char key[96];
	snprintf(key, sizeof key, "course-%s-%08x", n ? name : "dir",
		 (unsigned)(h ^ (h >> 32)));
	free(real);
	return strdup(key);
}

int
lesson_mkdirs(const char *dir, char *err, size_t errsize)
{
	char *p = strdup(dir);
	if (!p) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errsize, "cannot create the directory '%s': %s",
				 p, strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	struct stat st;
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "'%s' is not a directory", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

/* --- atomic writes ------------------------------------------------------------ */

int
lesson_write_atomic(const char *path, const char *data, size_t len,
		    char *err, size_t errsize)
{
	char *dir = strdup(path);
	if (!dir) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else if (slash)
		slash[1] = '\0';
	else
		strcpy(dir, ".");
	if (lesson_mkdirs(dir, err, errsize) != 0) {
		free(dir);
		return -1;
	}
	size_t tn = strlen(path) + 16;
	char *tmp = malloc(tn);
	if (!tmp) {
		free(dir);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	snprintf(tmp, tn, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errsize, "cannot write in '%s': %s", dir,
			 strerror(errno));
		free(tmp);
		free(dir);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	int failed = 0;
	while (left > 0 && !failed) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			failed = 1;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	/* fsync before rename: otherwise a crash can leave the new name
	 * pointing at an empty file on some file systems. */
	if (!failed && fsync(fd) != 0)
		failed = 1;
	int saved = errno;
	if (close(fd) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(tmp, path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		unlink(tmp);
		snprintf(err, errsize, "cannot write '%s': %s", path,
			 strerror(saved));
		free(tmp);
		free(dir);
		return -1;
	}
	/* Make the rename itself durable; a failure here loses nothing
	 * already written, so it is not reported. */
	int dfd = open(dir, O_RDONLY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
}

int
lesson_read_file(const char *path, size_t max, char **data, size_t *len,
		 char *err, size_t errsize)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		snprintf(err, errsize, "cannot open '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	int too_big = 0;
	while (buf) {
		if (n == cap) {
			if (cap >= max) {
				too_big = 1;
				break;
			}
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (got == 0)
			break;
	}
	int failed = ferror(in);
	int saved = errno;
	fclose(in);
	if (!buf || failed || too_big || n > max) {
		if (!buf)
			snprintf(err, errsize, "out of memory reading '%s'", path);
		else if (failed)
			snprintf(err, errsize, "cannot read '%s': %s", path,
				 strerror(saved));
		else
			snprintf(err, errsize, "'%s' is too big", path);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

/* --- records --------------------------------------------------------------------- */

static lesson_record *
lesson_record_find(const lesson_progress *p, const char *id)
{
	for (size_t i = 0; i < p->nrecs; i++)
		if (strcmp(p->recs[i].id, id) == 0)
			return &p->recs[i];
	return NULL;
}

static lesson_record *
lesson_record_get(lesson_progress *p, const char *id)
{
	lesson_record *r = lesson_record_find(p, id);
	if (r)
		return r;
	lesson_record *n = realloc(p->recs, (p->nrecs + 1) * sizeof *n);
	if (!n)
		return NULL;
	p->recs = n;
	r = &p->recs[p->nrecs];
	memset(r, 0, sizeof *r);
	r->id = strdup(id);
	if (!r->id)
		return NULL;
	p->nrecs++;
	return r;
}

static void
lesson_record_clear(lesson_record *r)
{
	free(r->id);
	free(r->answers);
	free(r->ex);
}

static int
lesson_valid_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

const char *
lesson_progress_current(const lesson_progress *p)
{
	return p->current;
}

int
lesson_progress_set_current(lesson_progress *p, const char *id)
{
	char *c = strdup(id);
	if (!c)
		return -1;
	free(p->current);
	p->current = c;
	return 0;
}

int
lesson_progress_done(const lesson_progress *p, const char *id)
{
	const lesson_record *r = lesson_record_find(p, id);
	return r && r->done;
}

int
lesson_progress_set_done(lesson_progress *p, const char *id, int done)
{
	lesson_record *r = lesson_record_get(p, id);
	if (!r)
		return -1;
	r->done = done != 0;
	return 0;
}

int
lesson_progress_answer(const lesson_progress *p, const char *id, size_t quiz)
{
	const lesson_record *r = lesson_record_find(p, id);
	return r && quiz < r->nanswers ? r->answers[quiz] : -1;
}

int
lesson_progress_set_answer(lesson_progress *p, const char *id, size_t quiz,
			   int choice)
{
	lesson_record *r = lesson_record_get(p, id);
	if (!r || quiz > 1000)
		return -1;
	if (quiz >= r->nanswers) {
		int *n = realloc(r->answers, (quiz + 1) * sizeof *n);
		if (!n)
			return -1;
		for (size_t i = r->nanswers; i <= quiz; i++)
			n[i] = -1;
		r->answers = n;
		r->nanswers = quiz + 1;
	}
	r->answers[quiz] = choice;
	return 0;
}

lesson_exercise_progress *
lesson_progress_exercise(lesson_progress *p, const char *id, size_t e)
{
	lesson_record *r = lesson_record_get(p, id);
	if (!r || e > 1000)
		return NULL;
	if (e >= r->nex) {
		lesson_exercise_progress *n = realloc(r->ex, (e + 1) * sizeof *n);
		if (!n)
			return NULL;
		memset(n + r->nex, 0, (e + 1 - r->nex) * sizeof *n);
		r->ex = n;
		r->nex = e + 1;
	}
	return &r->ex[e];
}

const lesson_exercise_progress *
lesson_progress_exercise_get(const lesson_progress *p, const char *id,
			     size_t e)
{
	const lesson_record *r = lesson_record_find(p, id);
	return r && e < r->nex ? &r->ex[e] : NULL;
}

void
lesson_progress_forget(lesson_progress *p, const char *id)
{
	for (size_t i = 0; i < p->nrecs; i++) {
		if (strcmp(p->recs[i].id, id) != 0)
			continue;
		lesson_record_clear(&p->recs[i]);
		memmove(&p->recs[i], &p->recs[i + 1],
			(p->nrecs - i - 1) * sizeof *p->recs);
		p->nrecs--;
		return;
	}
}

/* --- the file ------------------------------------------------------------------------ */

/* Reads one line's words: "exercise ID N tries=2 hints=1 passed=0
 * solution=0". Returns 0, or -1 if the line is not one we write. */
static int
lesson_progress_line(lesson_progress *p, char *line)
{
	char *words[8];
	size_t n = 0;
	char *save = NULL;
	for (char *w = strtok_r(line, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		if (n == 8)
			return -1;
		words[n++] = w;
	}
	if (n == 0)
		return -1;
	char *end;
	if (strcmp(words[0], "current") == 0 && n == 2 &&
	    lesson_valid_id(words[1]))
		return lesson_progress_set_current(p, words[1]);
	if (strcmp(words[0], "done") == 0 && n == 2 && lesson_valid_id(words[1]))
		return lesson_progress_set_done(p, words[1], 1);
	if (strcmp(words[0], "answer") == 0 && n == 4 &&
	    lesson_valid_id(words[1])) {
		unsigned long q = strtoul(words[2], &end, 10);
		if (*end || q < 1 || q > 1000 || strlen(words[3]) != 1 ||
		    words[3][0] < 'a' || words[3][0] > 'z')
			return -1;
		return lesson_progress_set_answer(p, words[1], q - 1,
						  words[3][0] - 'a');
	}
	if (strcmp(words[0], "exercise") == 0 && n == 7 &&
	    lesson_valid_id(words[1])) {
		unsigned long e = strtoul(words[2], &end, 10);
		unsigned tries, hints;
		int passed, seen;
		char c;
		if (*end || e < 1 || e > 1000 ||
		    sscanf(words[3], "tries=%u%c", &tries, &c) != 1 ||
		    sscanf(words[4], "hints=%u%c", &hints, &c) != 1 ||
		    sscanf(words[5], "passed=%d%c", &passed, &c) != 1 ||
		    sscanf(words[6], "solution=%d%c", &seen, &c) != 1 ||
		    (passed != 0 && passed != 1) || (seen != 0 && seen != 1))
			return -1;
		lesson_exercise_progress *x =
			lesson_progress_exercise(p, words[1], e - 1);
		if (!x)
			return -1;
		x->tries = tries;
		x->hints = hints;
		x->passed = passed;
		x->solution_seen = seen;
		return 0;
	}
	return -1;
}

/* Parses the whole file. Returns 0, or -1 with why it is not ours (or is
 * damaged) in `why`. */
static int
lesson_progress_parse(lesson_progress *p, char *text, size_t len, char *why,
		      size_t whysize)
{
	if (memchr(text, '\0', len)) {
		snprintf(why, whysize, "it holds binary data");
		return -1;
	}
	char *line = text;
	unsigned n = 0;
	int ended = 0;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (!nl) {
			snprintf(why, whysize, "it is cut short at line %u",
				 n + 1);
			return -1;
		}
		*nl = '\0';
		n++;
		if (ended) {
			snprintf(why, whysize, "line %u comes after its end", n);
			return -1;
		}
		if (n == 1) {
			if (strcmp(line, LESSON_PROGRESS_MAGIC) != 0) {
				snprintf(why, whysize,
					 strncmp(line, "async-tutorial progress ",
						 24) == 0
						 ? "it was written by another "
						   "version of async-tutorial"
						 : "it is not a progress file of "
						   "async-tutorial");
				return -1;
			}
		} else if (n == 2) {
			if (strncmp(line, "course ", 7) != 0 ||
			    strcmp(line + 7, p->label) != 0) {
				snprintf(why, whysize,
					 "it is the progress of another course");
				return -1;
			}
		} else if (strcmp(line, "end") == 0) {
			ended = 1;
		} else if (lesson_progress_line(p, line) != 0) {
			snprintf(why, whysize, "line %u makes no sense", n);
			return -1;
		}
		line = nl + 1;
	}
	if (!ended) {
		snprintf(why, whysize, n == 0 ? "it is empty"
					      : "it is cut short at line %u",
			 n);
		return -1;
	}
	return 0;
}

/* Forgets whatever a failed parse had read. */
static void
lesson_progress_clear(lesson_progress *p)
{
	for (size_t i = 0; i < p->nrecs; i++)
		lesson_record_clear(&p->recs[i]);
	free(p->recs);
	p->recs = NULL;
	p->nrecs = 0;
	free(p->current);
	p->current = NULL;
}

/* Moves a damaged file aside, never over another backup. Returns the new
 * name, or NULL (errno set). */
static char *
lesson_progress_backup(const char *path)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	size_t n = strlen(path) + 64;
	char *to = malloc(n);
	if (!to)
		return NULL;
	for (int k = 0; k < 100; k++) {
		if (k == 0)
			snprintf(to, n, "%s.damaged-%s", path, stamp);
		else
			snprintf(to, n, "%s.damaged-%s-%d", path, stamp, k);
		struct stat st;
		if (lstat(to, &st) == 0)
			continue;
		if (rename(path, to) == 0)
			return to;
		break;
	}
	free(to);
	return NULL;
}

/* Removes what interrupted saves left behind, once it is old enough that
 * no save can still be writing it. */
static void
lesson_progress_sweep(const char *dir, const char *file)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s.tmp-", file);
	size_t pl = strlen(prefix);
	time_t now = time(NULL);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, pl) != 0)
			continue;
		char *path = lesson_join(dir, de->d_name);
		struct stat st;
		if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > LESSON_PROGRESS_STALE_SECONDS)
			unlink(path);
		free(path);
	}
	closedir(d);
}

static int
lesson_progress_set_notice(lesson_progress *p, const char *fmt, const char *a,
			   const char *b, const char *c)
{
	int n = snprintf(NULL, 0, fmt, a, b, c);
	p->notice = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!p->notice)
		return -1;
	snprintf(p->notice, (size_t)n + 1, fmt, a, b, c);
	return 0;
}

lesson_progress *
lesson_progress_open(const char *state_dir, const char *key,
		     const char *label, char *err, size_t errsize)
{
	lesson_progress *p = calloc(1, sizeof *p);
	char file[128];
	snprintf(file, sizeof file, "%s.progress", key);
	if (!p || !(p->dir = strdup(state_dir)) ||
	    !(p->path = lesson_join(state_dir, file)) ||
	    !(p->label = strdup(label))) {
		lesson_progress_free(p);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	lesson_progress_sweep(state_dir, file);
	char *text = NULL;
	size_t len = 0;
	char rerr[512];
	struct stat st;
	/* No file yet, or not even its directory (a file in the way of
	 * it): nothing to protect, and saving will say what is wrong. */
	if (stat(p->path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		p->state = LESSON_PROGRESS_FRESH;
		return p;
	}
	if (lesson_read_file(p->path, LESSON_PROGRESS_MAX_BYTES, &text, &len,
			     rerr, sizeof rerr) != 0) {
		/* Unreadable (permissions, a directory in its place, too
		 * big): leave it be and do not write over it. */
		p->state = LESSON_PROGRESS_READ_ONLY;
		if (lesson_progress_set_notice(
			    p,
			    "Your progress could not be read (%s%s%s), so this "
			    "session starts from the beginning and will not "
			    "save anything over that file.",
			    rerr, "", "") != 0) {
			lesson_progress_free(p);
			snprintf(err, errsize, "out of memory");
			return NULL;
		}
		return p;
	}
	char why[128];
	if (lesson_progress_parse(p, text, len, why, sizeof why) == 0) {
		free(text);
		p->state = LESSON_PROGRESS_LOADED;
		return p;
	}
	free(text);
	lesson_progress_clear(p);
	char *backup = lesson_progress_backup(p->path);
	int rc;
	if (backup) {
		p->state = LESSON_PROGRESS_RECOVERED;
		rc = lesson_progress_set_notice(
			p,
			"Your progress file %s could not be used (%s). It was "
			"kept as %s, and you start again from the first "
			"lesson.",
			p->path, why, backup);
		free(backup);
	} else {
		p->state = LESSON_PROGRESS_READ_ONLY;
		rc = lesson_progress_set_notice(
			p,
			"Your progress file %s could not be used (%s), and it "
			"could not be moved aside (%s); it is left as it is, "
			"and this session will not save over it.",
			p->path, why, strerror(errno));
	}
	if (rc != 0) {
		lesson_progress_free(p);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	return p;
}

void
lesson_progress_free(lesson_progress *p)
{
	if (!p)
		return;
	lesson_progress_clear(p);
	free(p->dir);
	free(p->path);
	free(p->label);
	free(p->notice);
	free(p);
}

lesson_progress_state
lesson_progress_state_of(const lesson_progress *p)
{
	return p->state;
}

const char *
lesson_progress_notice(const lesson_progress *p)
{
	return p->notice;
}

const char *
lesson_progress_path(const lesson_progress *p)
{
	return p->path;
}

/* A growing text for the file. */
typedef struct lesson_text_out {
	char *s;
	size_t len, cap;
	int failed;
} lesson_text_out;

static void lesson_out(lesson_text_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
lesson_out(lesson_text_out *o, const char *fmt, ...)
{
	if (o->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->failed = 1;
		return;
	}
	if (o->len + (size_t)n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 512;
		while (cap < o->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(o->s, cap);
		if (!s) {
			o->failed = 1;
			return;
		}
		o->s = s;
		o->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

int
lesson_progress_save(lesson_progress *p, char *err, size_t errsize)
{
	if (p->state == LESSON_PROGRESS_READ_ONLY) {
		snprintf(err, errsize,
			 "your progress is not saved, so that the file %s, "
			 "which could not be used, is not overwritten; move it "
			 "away to start saving again",
			 p->path);
		return -1;
	}
	lesson_text_out o = {NULL, 0, 0, 0};
	lesson_out(&o, "%s\ncourse %s\n", LESSON_PROGRESS_MAGIC, p->label);
	if (p->current)
		lesson_out(&o, "current %s\n", p->current);
	for (size_t i = 0; i < p->nrecs; i++) {
		const lesson_record *r = &p->recs[i];
		if (r->done)
			lesson_out(&o, "done %s\n", r->id);
		for (size_t q = 0; q < r->nanswers; q++)
			if (r->answers[q] >= 0)
				lesson_out(&o, "answer %s %zu %c\n", r->id, q + 1,
					   (char)('a' + r->answers[q]));
		for (size_t e = 0; e < r->nex; e++) {
			const lesson_exercise_progress *x = &r->ex[e];
			if (!x->tries && !x->hints && !x->passed &&
			    !x->solution_seen)
				continue;
			lesson_out(&o,
				   "exercise %s %zu tries=%u hints=%u passed=%d "
				   "solution=%d\n",
				   r->id, e + 1, x->tries, x->hints, x->passed,
				   x->solution_seen);
		}
	}
	lesson_out(&o, "end\n");
	if (o.failed) {
		free(o.s);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	char werr[512];
	int rc = lesson_write_atomic(p->path, o.s, o.len, werr, sizeof werr);
	free(o.s);
	if (rc != 0) {
		snprintf(err, errsize, "your progress could not be saved: %s",
			 werr);
		return -1;
	}
	if (p->state == LESSON_PROGRESS_FRESH)
		p->state = LESSON_PROGRESS_LOADED;
	return 0;
}

/* --- the learner's code ------------------------------------------------------------ */

char *
lesson_code_path(const char *data_dir, const char *key, const char *id,
		 size_t exercise)
{
	char file[160];
	if (exercise == 0)
		snprintf(file, sizeof file, "%s/%s.rs", key, id);
	else
		snprintf(file, sizeof file, "%s/%s-%zu.rs", key, id,
			 exercise + 1);
	return lesson_join(data_dir, file);
}

int
lesson_code_ensure(const char *path, const char *start, size_t len,
		   int *created, char *err, size_t errsize)
{
	struct stat st;
	*created = 0;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errsize, "'%s' is not a file", path);
			return -1;
		}
		return 0;
	}
	if (lesson_write_atomic(path, start, len, err, errsize) != 0)
		return -1;
	*created = 1;
	return 0;
}

int
lesson_code_reset(const char *path, const char *start, size_t len, char *err,
		  size_t errsize)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return lesson_write_atomic(path, start, len, err, errsize);
	/* The learner's version is kept under a temporary name (a hard
	 * link, so the file itself stays where it is) until the starting
	 * code has replaced it; only then does it become PATH~, replacing
	 * the backup before it. Whatever fails, PATH and PATH~ are kept. */
	size_t n = strlen(path) + 16;
	char *keep = malloc(n), *backup = malloc(n);
	if (!keep || !backup) {
		free(keep);
		free(backup);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	snprintf(backup, n, "%s~", path);
	snprintf(keep, n, "%s~.new", path);
	unlink(keep);
	int rc = -1;
	char werr[512];
	if (link(path, keep) != 0) {
		snprintf(err, errsize,
			 "cannot keep your version as '%s': %s; your code is "
			 "unchanged",
			 backup, strerror(errno));
	} else if (lesson_write_atomic(path, start, len, werr, sizeof werr) !=
		   0) {
		unlink(keep);
		snprintf(err, errsize,
			 "the starting code could not be put back (%s); your "
			 "code is unchanged",
			 werr);
	} else if (rename(keep, backup) != 0) {
		int e = errno;
		unlink(keep);
		snprintf(err, errsize,
			 "the starting code is back, but your version could "
			 "not be kept as '%s': %s",
			 backup, strerror(e));
	} else {
		rc = 0;
	}
	free(keep);
	free(backup);
	return rc;
}
