#include "config.h"

#include "lesson/lesson_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang_compile.h"

/* --- running --------------------------------------------------------------- */

typedef struct lesson_run_sink {
	lesson_run *run;
	size_t cap;
	int failed;
} lesson_run_sink;

static void
lesson_run_on_output(void *ctx, int stream, const char *text, size_t len)
{
	lesson_run_sink *sink = ctx;
	lesson_run *run = sink->run;
	(void)stream;
	if (sink->failed)
		return;
	if (run->output_len + len > LESSON_RUN_MAX_OUTPUT) {
		len = LESSON_RUN_MAX_OUTPUT - run->output_len;
		run->output_truncated = 1;
	}
	if (run->output_len + len + 1 > sink->cap) {
		size_t cap = sink->cap ? sink->cap : 256;
		while (cap < run->output_len + len + 1)
			cap *= 2;
		char *n = realloc(run->output, cap);
		if (!n) {
			sink->failed = 1;
			return;
		}
		run->output = n;
		sink->cap = cap;
	}
	memcpy(run->output + run->output_len, text, len);
	run->output_len += len;
	run->output[run->output_len] = '\0';
}

int
lesson_run_program(const char *src, size_t len, const lesson_run_options *o,
		   lesson_run *run)
{
	memset(run, 0, sizeof *run);
	lang_diags_init(&run->diags);
	lang_program *prog = lang_compile(src, len, &run->diags);
	if (!prog)
		return run->diags.nerrors > 0 ? 0 : -1;
	run->compiled = 1;
	run->output = calloc(1, 1);
	run->log = trace_log_new(o && o->full_trace ? TRACE_FULL : TRACE_COUNT);
	run->lints = trace_lint_new();
	if (!run->output || !run->log || !run->lints) {
		lang_program_free(prog);
		return -1;
	}
	trace_log_set_lints(run->log, run->lints);
	lesson_run_sink sink = {run, 1, 0};
	sim_options opt;
	sim_options_default(&opt);
	opt.file_name = o && o->name ? o->name : "main.rs";
	if (o && o->profile)
		opt.profile = o->profile;
	opt.on_output = lesson_run_on_output;
	opt.output_ctx = &sink;
	sim_result res;
	int rc = sim_run(prog, &opt, run->log, &res);
	lang_program_free(prog);
	if (rc != 0)
		return -1;
	run->exit_status = res.exit_status;
	run->stats = res.stats;
	run->message = res.message;
	res.message = NULL;
	sim_result_free(&res);
	return sink.failed ? -1 : 0;
}

void
lesson_run_free(lesson_run *run)
{
	lang_diags_free(&run->diags);
	free(run->message);
	trace_log_free(run->log);
	trace_lint_free(run->lints);
	free(run->output);
	memset(run, 0, sizeof *run);
}

int
lesson_run_lint_fired(const lesson_run *run, trace_lint_id id)
{
	return run->lints && trace_lint_hit_of(run->lints, id) != NULL;
}

/* --- durations ------------------------------------------------------------- */

typedef struct lesson_unit {
	const char *name;
	uint64_t ns;
} lesson_unit;

/* Longest names first where one is a prefix of another ("ms" before
 * "s" is not needed, but "us" and "µs" are both accepted). */
static const lesson_unit lesson_units[] = {
	{"ns", 1},
	{"us", 1000},
	{"\xc2\xb5s", 1000},
	{"ms", 1000000},
	{"s", 1000000000},
};

static int
lesson_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t
lesson_duration_parse(const char *text, uint64_t *ns)
{
	const char *p = text;
	uint64_t whole = 0, frac = 0, frac_scale = 1;
	int digits = 0;
	for (; lesson_is_digit(*p) || (*p == '_' && digits && lesson_is_digit(p[1])); p++) {
		if (*p == '_')
			continue;
		if (whole > UINT64_MAX / 10 - 10)
			return 0;
		whole = whole * 10 + (uint64_t)(*p - '0');
		digits++;
	}
	if (!digits)
		return 0;
	if (*p == '.' && lesson_is_digit(p[1])) {
		for (p++; lesson_is_digit(*p); p++) {
			/* Nine decimals are a nanosecond of a second: more
			 * cannot matter. */
			if (frac_scale < 1000000000u) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_scale *= 10;
			}
		}
	}
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof lesson_units / sizeof lesson_units[0];
	     i++) {
		size_t n = strlen(lesson_units[i].name);
		if (strncmp(p, lesson_units[i].name, n) != 0)
			continue;
		char after = p[n];
		if ((after >= 'a' && after <= 'z') ||
		    (after >= 'A' && after <= 'Z'))
			continue; /* "sec", "msecs": not ours */
		uint64_t unit = lesson_units[i].ns;
		if (whole > UINT64_MAX / unit)
			return 0;
		*ns = whole * unit + frac * unit / frac_scale;
		return (size_t)(p + n - text);
	}
	return 0;
}

size_t
lesson_duration_format(uint64_t ns, char *buf, size_t size)
{
	char frac[16];
	uint64_t us = (ns % 1000000000u + 500) / 1000; /* rounded */
	uint64_t s = ns / 1000000000u;
	if (us == 1000000) {
		s++;
		us = 0;
	}
	snprintf(frac, sizeof frac, "%06u", (unsigned)us);
	size_t n = strlen(frac);
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	int w = snprintf(buf, size, "%llu%s%s s", (unsigned long long)s,
			 n ? "." : "", frac);
	return w < 0 ? 0 : (size_t)w;
}

/* --- output ---------------------------------------------------------------- */

static int
lesson_parse_u32(const char *p, const char **end, uint32_t *out)
{
	uint64_t v = 0;
	const char *s = p;
	while (lesson_is_digit(*p)) {
		v = v * 10 + (uint64_t)(*p++ - '0');
		if (v > 1000000000u)
			return -1;
	}
	if (p == s)
		return -1;
	*end = p;
	*out = (uint32_t)v;
	return 0;
}

int
lesson_lines_parse(const char *text, lesson_lines *sel, char *err,
		   size_t errsize)
{
	const char *end;
	memset(sel, 0, sizeof *sel);
	if (strcmp(text, "all") == 0) {
		sel->kind = LESSON_LINES_ALL;
		return 0;
	}
	if (strncmp(text, "first ", 6) == 0 || strncmp(text, "last ", 5) == 0) {
		int first = text[0] == 'f';
		const char *p = text + (first ? 6 : 5);
		while (*p == ' ')
			p++;
		if (lesson_parse_u32(p, &end, &sel->from) == 0 && !*end &&
		    sel->from > 0) {
			sel->kind = first ? LESSON_LINES_FIRST : LESSON_LINES_LAST;
			return 0;
		}
	} else if (lesson_parse_u32(text, &end, &sel->from) == 0 &&
		   sel->from > 0) {
		sel->kind = LESSON_LINES_RANGE;
		sel->to = sel->from;
		if (!*end)
			return 0;
		if (*end == '-' &&
		    lesson_parse_u32(end + 1, &end, &sel->to) == 0 && !*end &&
		    sel->to >= sel->from)
			return 0;
	}
	snprintf(err, errsize,
		 "'%s' is not a choice of lines; write 'all', 'first N', "
		 "'last N', 'N' or 'N-M' (for example 'first 2')",
		 text);
	return -1;
}

size_t
lesson_lines_describe(const lesson_lines *sel, char *buf, size_t size)
{
	int n;
	switch (sel->kind) {
	case LESSON_LINES_FIRST:
		n = sel->from == 1 ? snprintf(buf, size, "the first line")
				   : snprintf(buf, size, "the first %u lines",
					      (unsigned)sel->from);
		break;
	case LESSON_LINES_LAST:
		n = sel->from == 1 ? snprintf(buf, size, "the last line")
				   : snprintf(buf, size, "the last %u lines",
					      (unsigned)sel->from);
		break;
	case LESSON_LINES_RANGE:
		n = sel->from == sel->to
			    ? snprintf(buf, size, "line %u", (unsigned)sel->from)
			    : snprintf(buf, size, "lines %u to %u",
				       (unsigned)sel->from, (unsigned)sel->to);
		break;
	default:
		n = snprintf(buf, size, "the whole output");
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

/* Whether line [s, e) of t is the first line of a panic message, as Rust
 * prints it from 1.73 on: `thread 'T' panicked at FILE:LINE:COL:`, or from
 * 1.89 on `thread 'T' (ID) panicked at FILE:LINE:COL:`, where ID is the OS
 * thread's number. If so, sets *name_end past `thread 'T'` and *where to
 * the start of `LINE:COL:`, and returns 1. */
static int
lesson_panic_line(const char *t, size_t s, size_t e, size_t *name_end,
		  size_t *where)
{
	static const char head[] = "thread '", mid[] = " panicked at ";
	size_t i = s;
	if (e - s < sizeof head - 1 || memcmp(t + i, head, sizeof head - 1))
		return 0;
	i += sizeof head - 1;
	while (i < e && t[i] != '\'')
		i++;
	if (i == e)
		return 0;
	*name_end = ++i;
	if (i + 2 < e && t[i] == ' ' && t[i + 1] == '(') {
		size_t k = i + 2;
		while (k < e && t[k] >= '0' && t[k] <= '9')
			k++;
		if (k > i + 2 && k < e && t[k] == ')')
			i = k + 1;
	}
	if (e - i < sizeof mid - 1 || memcmp(t + i, mid, sizeof mid - 1))
		return 0;
	size_t path = i + sizeof mid - 1;
	/* From the end: ':', COL, ':', LINE, ':', and a FILE before. */
	size_t k = e;
	if (k <= path || t[k - 1] != ':')
		return 0;
	k--;
	for (int part = 0; part < 2; part++) {
		size_t digits_end = k;
		while (k > path && t[k - 1] >= '0' && t[k - 1] <= '9')
			k--;
		if (k == digits_end || k <= path || t[k - 1] != ':')
			return 0;
		k--;
	}
	if (k == path)
		return 0; /* no FILE */
	*where = k + 1;
	return 1;
}

/* The file name a panic's location is given when outputs are compared
 * (the one lesson_run_program gives a program by default). */
#define LESSON_PANIC_FILE "main.rs"

char *
lesson_output_normalize(const char *text, size_t len, const lesson_lines *sel)
{
	/* First pass: the lines, trimmed at their ends. */
	size_t nlines = 0;
	for (size_t i = 0; i < len; i++)
		nlines += text[i] == '\n';
	nlines++;
	size_t *start = malloc(nlines * sizeof *start);
	size_t *stop = malloc(nlines * sizeof *stop);
	/* A panic's line may grow a little (its file becomes main.rs). */
	char *out = malloc(len + 1 + nlines * sizeof LESSON_PANIC_FILE);
	if (!start || !stop || !out) {
		free(start);
		free(stop);
		free(out);
		return NULL;
	}
	size_t n = 0, b = 0, name_end, where;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t e = i;
		while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
				 text[e - 1] == '\r'))
			e--;
		/* The empty line Rust prints before a panic's first line is
		 * not compared: nobody writing the output they expect thinks
		 * of it, and a teacher could not write it in a choice. */
		if (n > 0 && stop[n - 1] == start[n - 1] &&
		    lesson_panic_line(text, b, e, &name_end, &where))
			n--;
		start[n] = b;
		stop[n] = e;
		n++;
		b = i + 1;
	}
	while (n > 0 && stop[n - 1] == start[n - 1])
		n--;
	size_t from = 0, to = n; /* [from, to) */
	if (sel) {
		switch (sel->kind) {
		case LESSON_LINES_FIRST:
			to = sel->from < n ? sel->from : n;
			break;
		case LESSON_LINES_LAST:
			from = sel->from < n ? n - sel->from : 0;
			break;
		case LESSON_LINES_RANGE:
			from = sel->from - 1 < n ? sel->from - 1 : n;
			to = sel->to < n ? sel->to : n;
			break;
		default:
			break;
		}
	}
	size_t o = 0;
	for (size_t i = from; i < to; i++) {
		if (i > from)
			out[o++] = '\n';
		if (lesson_panic_line(text, start[i], stop[i], &name_end,
				      &where)) {
			/* A panic's location is compared by its line and
			 * column only: the file is main.rs in a lesson,
			 * src/main.rs for cargo, NN-ID.rs in the
			 * visualizer. The OS thread's id goes too. */
			static const char mid[] =
				" panicked at " LESSON_PANIC_FILE ":";
			memcpy(out + o, text + start[i], name_end - start[i]);
			o += name_end - start[i];
			memcpy(out + o, mid, sizeof mid - 1);
			o += sizeof mid - 1;
			memcpy(out + o, text + where, stop[i] - where);
			o += stop[i] - where;
			continue;
		}
		memcpy(out + o, text + start[i], stop[i] - start[i]);
		o += stop[i] - start[i];
	}
	out[o] = '\0';
	free(start);
	free(stop);
	return out;
}

/* --- moments --------------------------------------------------------------- */

/* What a moment's name refers to. */
typedef enum lesson_subject {
	LESSON_SUBJECT_NONE,
	LESSON_SUBJECT_FUTURE,
	LESSON_SUBJECT_THREAD,
	LESSON_SUBJECT_TEXT,
	LESSON_SUBJECT_LINT
} lesson_subject;

/* The moment kinds a teacher can name: the word, the trace event it
 * matches (with the poll result for pending and ready), what its name
 * means, and how a message says it. */
typedef struct lesson_moment_def {
	const char *word;
	lesson_moment_kind kind;
	int trace_kind; /* -1: not a plain event match */
	int poll_result;
	lesson_subject subject;
	const char *phrase; /* %s is the name */
} lesson_moment_def;

static const lesson_moment_def lesson_moment_defs[] = {
	{"start", LESSON_MOMENT_START, -1, 0, LESSON_SUBJECT_NONE,
	 "the start of the run"},
	{"end", LESSON_MOMENT_END, -1, 0, LESSON_SUBJECT_NONE,
	 "the end of the run"},
	{"created", LESSON_MOMENT_CREATED, TRACE_FUTURE_CREATED, 0,
	 LESSON_SUBJECT_FUTURE, "%s is created"},
	{"polled", LESSON_MOMENT_POLLED, TRACE_POLL_BEGIN, 0,
	 LESSON_SUBJECT_FUTURE, "%s is polled"},
	{"pending", LESSON_MOMENT_PENDING, TRACE_POLL_END, TRACE_PENDING,
	 LESSON_SUBJECT_FUTURE, "%s returns Pending"},
	{"ready", LESSON_MOMENT_READY, TRACE_POLL_END, TRACE_READY,
	 LESSON_SUBJECT_FUTURE, "%s returns Ready"},
	{"woken", LESSON_MOMENT_WOKEN, TRACE_WAKE, 0, LESSON_SUBJECT_FUTURE,
	 "%s is woken"},
	{"dropped", LESSON_MOMENT_DROPPED, TRACE_FUTURE_DROPPED, 0,
	 LESSON_SUBJECT_FUTURE, "%s is dropped"},
	{"timer", LESSON_MOMENT_TIMER, TRACE_TIMER_FIRED, 0,
	 LESSON_SUBJECT_FUTURE, "the timer of %s fires"},
	{"spawned", LESSON_MOMENT_SPAWNED, TRACE_THREAD_SPAWNED, 0,
	 LESSON_SUBJECT_THREAD, "the thread '%s' starts"},
	{"blocked", LESSON_MOMENT_BLOCKED, TRACE_THREAD_BLOCKED, 0,
	 LESSON_SUBJECT_THREAD, "the thread '%s' blocks"},
	{"resumed", LESSON_MOMENT_RESUMED, TRACE_THREAD_RESUMED, 0,
	 LESSON_SUBJECT_THREAD, "the thread '%s' runs again"},
	{"exited", LESSON_MOMENT_EXITED, TRACE_THREAD_EXITED, 0,
	 LESSON_SUBJECT_THREAD, "the thread '%s' ends"},
	{"prints", LESSON_MOMENT_PRINTS, TRACE_OUTPUT, 0, LESSON_SUBJECT_TEXT,
	 "the program prints \"%s\""},
	{"lint", LESSON_MOMENT_LINT, TRACE_LINT, 0, LESSON_SUBJECT_LINT,
	 "the lint %s fires"},
	{"panic", LESSON_MOMENT_PANIC, TRACE_PANIC, 0, LESSON_SUBJECT_NONE,
	 "the program panics"},
};

#define LESSON_NMOMENT_DEFS \
	(sizeof lesson_moment_defs / sizeof lesson_moment_defs[0])

static const lesson_moment_def *
lesson_moment_def_of(lesson_moment_kind kind)
{
	for (size_t i = 0; i < LESSON_NMOMENT_DEFS; i++)
		if (lesson_moment_defs[i].kind == kind)
			return &lesson_moment_defs[i];
	return NULL;
}

void
lesson_moment_free(lesson_moment *m)
{
	free(m->name);
	m->name = NULL;
}

int
lesson_moment_parse(const char *text, lesson_moment *m, char *err,
		    size_t errsize)
{
	memset(m, 0, sizeof *m);
	m->nth = 1;
	while (*text == ' ')
		text++;
	uint64_t ns;
	size_t used = lesson_duration_parse(text, &ns);
	if (used > 0) {
		const char *rest = text + used;
		while (*rest == ' ')
			rest++;
		if (*rest == '\0') {
			m->kind = LESSON_MOMENT_TIME;
			m->time_ns = ns;
			return 0;
		}
	}
	size_t wlen = strcspn(text, " ");
	const lesson_moment_def *def = NULL;
	for (size_t i = 0; i < LESSON_NMOMENT_DEFS; i++)
		if (strlen(lesson_moment_defs[i].word) == wlen &&
		    strncmp(lesson_moment_defs[i].word, text, wlen) == 0)
			def = &lesson_moment_defs[i];
	if (!def) {
		snprintf(err, errsize,
			 "'%.*s' is not a kind of moment; write a time (such "
			 "as '1.5 s'), 'start', 'end', or a kind and a name "
			 "(such as 'pending foo(1)'): the kinds are created, "
			 "polled, pending, ready, woken, dropped, timer, "
			 "spawned, blocked, resumed, exited, prints, lint and "
			 "panic",
			 (int)(wlen > 40 ? 40 : wlen), text);
		return -1;
	}
	m->kind = def->kind;
	const char *name = text + wlen;
	while (*name == ' ')
		name++;
	size_t nlen = strlen(name);
	while (nlen > 0 && name[nlen - 1] == ' ')
		nlen--;
	if (def->subject == LESSON_SUBJECT_NONE) {
		if (nlen > 0) {
			snprintf(err, errsize,
				 "'%s' takes nothing after it (found '%.*s')",
				 def->word, (int)nlen, name);
			return -1;
		}
		return 0;
	}
	/* A final " #N" counts occurrences. */
	for (size_t i = nlen; i > 0; i--) {
		if (name[i - 1] == '#' && i >= 2 && name[i - 2] == ' ' &&
		    i < nlen) {
			const char *end;
			uint32_t nth;
			if (lesson_parse_u32(name + i, &end, &nth) == 0 &&
			    end == name + nlen) {
				if (nth == 0) {
					snprintf(err, errsize,
						 "occurrences count from #1");
					return -1;
				}
				m->nth = nth;
				nlen = i - 2;
				while (nlen > 0 && name[nlen - 1] == ' ')
					nlen--;
			}
			break;
		}
		if (!lesson_is_digit(name[i - 1]))
			break;
	}
	if (nlen == 0) {
		const char *what = def->subject == LESSON_SUBJECT_THREAD
					   ? "a thread's name, such as 'main'"
				   : def->subject == LESSON_SUBJECT_TEXT
					   ? "the text printed"
				   : def->subject == LESSON_SUBJECT_LINT
					   ? "a lint's name, such as "
					     "'blocking-in-async'"
					   : "a future's name, such as 'foo(1)'";
		snprintf(err, errsize, "'%s' needs %s after it", def->word,
			 what);
		return -1;
	}
	m->name = strndup(name, nlen);
	if (!m->name) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (def->subject == LESSON_SUBJECT_LINT) {
		m->lint = trace_lint_lookup(m->name);
		if (m->lint < 0) {
			snprintf(err, errsize,
				 "there is no lint called '%s' "
				 "('async-tutorial lints' lists them)",
				 m->name);
			lesson_moment_free(m);
			return -1;
		}
	}
	return 0;
}

/* A growable set of small ids (futures or threads) whose name matched. */
typedef struct lesson_idset {
	uint8_t *bits;
	size_t cap;
} lesson_idset;

static int
lesson_idset_add(lesson_idset *s, uint32_t id)
{
	if (id / 8 >= s->cap) {
		size_t cap = s->cap ? s->cap : 64;
		while (cap <= id / 8)
			cap *= 2;
		uint8_t *n = realloc(s->bits, cap);
		if (!n)
			return -1;
		memset(n + s->cap, 0, cap - s->cap);
		s->bits = n;
		s->cap = cap;
	}
	s->bits[id / 8] |= (uint8_t)(1u << (id % 8));
	return 0;
}

static int
lesson_idset_has(const lesson_idset *s, uint32_t id)
{
	return id / 8 < s->cap && (s->bits[id / 8] >> (id % 8)) & 1u;
}

static int
lesson_string_is(const trace_log *log, uint32_t id, const char *name)
{
	size_t len;
	const char *s = trace_log_string(log, id, &len);
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

static int
lesson_string_has(const trace_log *log, uint32_t id, const char *text)
{
	size_t len, tlen = strlen(text);
	const char *s = trace_log_string(log, id, &len);
	for (size_t i = 0; i + tlen <= len; i++)
		if (memcmp(s + i, text, tlen) == 0)
			return 1;
	return 0;
}

int64_t
lesson_moment_find(const lesson_moment *m, const trace_log *log)
{
	size_t n = trace_log_stored(log);
	if (trace_log_mode(log) != TRACE_FULL)
		return -1;
	if (m->kind == LESSON_MOMENT_START)
		return 0;
	if (m->kind == LESSON_MOMENT_END)
		return n > 0 ? (int64_t)n : -1;
	if (m->kind == LESSON_MOMENT_TIME) {
		for (size_t i = 0; i < n; i++)
			if (trace_log_at(log, i)->time_ns >= m->time_ns)
				return (int64_t)i + 1;
		return -1;
	}
	const lesson_moment_def *def = lesson_moment_def_of(m->kind);
	if (!def)
		return -1;
	lesson_idset ids = {NULL, 0};
	uint32_t seen = 0;
	int64_t found = -1;
	for (size_t i = 0; i < n && found < 0; i++) {
		const trace_event *ev = trace_log_at(log, i);
		/* Names are known from the events that create their owner;
		 * several futures may share a name (three sleep(1s)), and
		 * then their occurrences are counted together. */
		if (def->subject == LESSON_SUBJECT_FUTURE &&
		    ev->kind == TRACE_FUTURE_CREATED &&
		    lesson_string_is(log, ev->b, m->name) &&
		    lesson_idset_add(&ids, ev->future) != 0)
			break;
		if (def->subject == LESSON_SUBJECT_THREAD &&
		    ev->kind == TRACE_THREAD_SPAWNED &&
		    lesson_string_is(log, ev->b, m->name) &&
		    lesson_idset_add(&ids, ev->thread) != 0)
			break;
		if (ev->kind != def->trace_kind)
			continue;
		int match;
		switch (def->subject) {
		case LESSON_SUBJECT_FUTURE:
			match = lesson_idset_has(&ids, ev->future) &&
				(!def->poll_result ||
				 ev->flags == def->poll_result);
			break;
		case LESSON_SUBJECT_THREAD:
			match = lesson_idset_has(&ids, ev->thread);
			break;
		case LESSON_SUBJECT_TEXT:
			match = lesson_string_has(log, ev->a, m->name);
			break;
		case LESSON_SUBJECT_LINT:
			match = (int)ev->a == m->lint;
			break;
		default:
			match = 1;
			break;
		}
		if (match && ++seen == m->nth)
			found = (int64_t)i + 1;
	}
	free(ids.bits);
	return found;
}

size_t
lesson_moment_describe(const lesson_moment *m, char *buf, size_t size)
{
	char what[256];
	if (m->kind == LESSON_MOMENT_TIME) {
		char d[48];
		lesson_duration_format(m->time_ns, d, sizeof d);
		snprintf(what, sizeof what, "the virtual time reaches %s", d);
	} else {
		const lesson_moment_def *def = lesson_moment_def_of(m->kind);
		snprintf(what, sizeof what, def ? def->phrase : "?",
			 m->name ? m->name : "");
	}
	int n;
	if (m->nth > 1) {
		const char *suffix = m->nth % 10 == 1 && m->nth % 100 != 11 ? "st"
				     : m->nth % 10 == 2 && m->nth % 100 != 12 ? "nd"
				     : m->nth % 10 == 3 && m->nth % 100 != 13 ? "rd"
									       : "th";
		n = snprintf(buf, size, "%s (the %u%s time)", what,
			     (unsigned)m->nth, suffix);
	} else {
		n = snprintf(buf, size, "%s", what);
	}
	return n < 0 ? 0 : (size_t)n;
}
