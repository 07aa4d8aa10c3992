#include "config.h"

#include "lesson/lesson_file.h"

#include <cmark.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LESSON_NONE ((size_t)-1)

/* --- small helpers ---------------------------------------------------------- */

/* Makes room for one more element in a growable array. */
static int
lesson_grow(void *arrp, size_t *cap, size_t len, size_t size)
{
	void **arr = arrp;
	if (len < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *n = realloc(*arr, ncap * size);
	if (!n)
		return -1;
	*arr = n;
	*cap = ncap;
	return 0;
}

static char *
lesson_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Levenshtein distance of two short words, capped: only "is it a typo?"
 * matters. */
static size_t
lesson_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 30 || lb > 30)
		return 99;
	size_t row[32];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

/* --- the parser's state ------------------------------------------------------ */

typedef struct lesson_builder {
	lesson *l;
	lesson_diags *diags;
	const char *path;
	const char *text;
	size_t len;
	size_t *line_start; /* byte offset of each line, 1-based index */
	size_t nlines;
	size_t cap_items, cap_prose, cap_programs, cap_quizzes,
		cap_narrations, cap_exercises;
	int title_seen;
	int oom;
	size_t open_prose;    /* index of the prose item being extended */
	size_t last_program;  /* the nearest PROGRAM above, or LESSON_NONE */
	size_t exercise;      /* the exercise start/solution attach to */
	/* References to programs, resolved once every program is known.
	 * They name their owner by index, since the arrays move as they
	 * grow. */
	struct lesson_ref {
		int what;      /* LESSON_ITEM_QUIZ, _NARRATION or _EXERCISE */
		size_t index;  /* the owner */
		size_t count;  /* narrations: how many from index */
		size_t deflt;  /* the nearest program above, or LESSON_NONE */
		char *ref;     /* `program:`/`start:` value, or NULL */
		uint32_t line;
		int required;  /* the block needs a program */
	} *refs;
	size_t nrefs, cap_refs;
} lesson_builder;

static void lesson_error(lesson_builder *b, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
lesson_error(lesson_builder *b, uint32_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lesson_diags_add(b->diags, LESSON_ERROR, b->path, line, "%s", msg);
}

static void
lesson_oom(lesson_builder *b)
{
	if (!b->oom)
		lesson_error(b, 0, "out of memory while reading the lesson");
	b->oom = 1;
}

/* The text of line n (1-based), without its newline. */
static const char *
lesson_line(const lesson_builder *b, uint32_t n, size_t *len)
{
	if (n < 1 || n > b->nlines) {
		*len = 0;
		return "";
	}
	size_t s = b->line_start[n - 1];
	size_t e = n < b->nlines ? b->line_start[n] : b->len;
	while (e > s && (b->text[e - 1] == '\n' || b->text[e - 1] == '\r'))
		e--;
	*len = e - s;
	return b->text + s;
}

static int
lesson_is_fence_line(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 3 && s[i] == ' ')
		i++;
	return len - i >= 3 &&
	       ((s[i] == '`' && s[i + 1] == '`' && s[i + 2] == '`') ||
		(s[i] == '~' && s[i + 1] == '~' && s[i + 2] == '~'));
}

static int
lesson_add_item(lesson_builder *b, lesson_item_kind kind, size_t index)
{
	lesson *l = b->l;
	if (lesson_grow(&l->items, &b->cap_items, l->nitems, sizeof *l->items)) {
		lesson_oom(b);
		return -1;
	}
	l->items[l->nitems].kind = kind;
	l->items[l->nitems].index = index;
	l->nitems++;
	if (kind != LESSON_ITEM_PROSE)
		b->open_prose = LESSON_NONE;
	return 0;
}

/* Records that a block refers to a program (ref NULL: the default). */
static void
lesson_add_ref(lesson_builder *b, int what, size_t index, size_t count,
	       const char *ref, uint32_t line, int required)
{
	if (lesson_grow(&b->refs, &b->cap_refs, b->nrefs, sizeof *b->refs)) {
		lesson_oom(b);
		return;
	}
	char *copy = ref ? strdup(ref) : NULL;
	if (ref && !copy) {
		lesson_oom(b);
		return;
	}
	b->refs[b->nrefs++] = (struct lesson_ref){what, index, count,
						  b->last_program, copy, line,
						  required};
}

/* --- the title and prose ------------------------------------------------------ */

/* The plain text of a heading's inlines. */
static int
lesson_inline_text(cmark_node *node, char **out)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);
	if (!s)
		return -1;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *piece = NULL;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			piece = cmark_node_get_literal(n);
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			piece = " ";
		if (!piece)
			continue;
		size_t pl = strlen(piece);
		while (len + pl + 1 > cap) {
			cap *= 2;
			char *ns = realloc(s, cap);
			if (!ns) {
				free(s);
				cmark_iter_free(it);
				return -1;
			}
			s = ns;
		}
		memcpy(s + len, piece, pl);
		len += pl;
	}
	cmark_iter_free(it);
	s[len] = '\0';
	*out = s;
	return 0;
}

/* Whether a line ends at text[i]. Lines are counted as cmark counts them,
 * since its line numbers index line_start: "\n", "\r\n" (at its '\n') and
 * a lone "\r" all end one. */
static int
lesson_line_ends(const char *text, size_t len, size_t i)
{
	return text[i] == '\n' ||
	       (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

/* Adds the source lines first..last to the prose, as a new prose part or
 * as more of the one just before (so that the prose between two programs
 * is one part). */
static void
lesson_add_prose(lesson_builder *b, uint32_t first, uint32_t last)
{
	lesson *l = b->l;
	if (last < first || first < 1)
		return;
	size_t s = b->line_start[first - 1];
	size_t e = last < b->nlines ? b->line_start[last] : b->len;
	if (b->open_prose != LESSON_NONE) {
		/* Extend from the end of the open part, keeping the blank
		 * lines between the blocks. */
		lesson_prose *p = &l->prose[b->open_prose];
		s = b->line_start[p->line - 1];
		char *md = lesson_strndup(b->text + s, e - s);
		if (!md) {
			lesson_oom(b);
			return;
		}
		free(p->markdown);
		p->markdown = md;
		return;
	}
	if (lesson_grow(&l->prose, &b->cap_prose, l->nprose, sizeof *l->prose)) {
		lesson_oom(b);
		return;
	}
	char *md = lesson_strndup(b->text + s, e - s);
	if (!md) {
		lesson_oom(b);
		return;
	}
	l->prose[l->nprose].markdown = md;
	l->prose[l->nprose].line = first;
	if (lesson_add_item(b, LESSON_ITEM_PROSE, l->nprose) == 0)
		b->open_prose = l->nprose;
	l->nprose++;
}

/* --- fields of the special blocks ---------------------------------------------- */

typedef struct lesson_field {
	char key[24];    /* "question"; "choice" for "- [x]" lines */
	int right;       /* choices */
	uint32_t line;
	char **lines;    /* the value's first line, then continuations */
	size_t nlines;
	size_t cap;
} lesson_field;

typedef struct lesson_fields {
	lesson_field *items;
	size_t len, cap;
} lesson_fields;

static void
lesson_fields_free(lesson_fields *f)
{
	for (size_t i = 0; i < f->len; i++) {
		for (size_t j = 0; j < f->items[i].nlines; j++)
			free(f->items[i].lines[j]);
		free(f->items[i].lines);
	}
	free(f->items);
	memset(f, 0, sizeof *f);
}

static int
lesson_field_push_line(lesson_field *f, const char *s, size_t n)
{
	if (lesson_grow(&f->lines, &f->cap, f->nlines, sizeof *f->lines))
		return -1;
	char *copy = lesson_strndup(s, n);
	if (!copy)
		return -1;
	f->lines[f->nlines++] = copy;
	return 0;
}

/* Splits a special block's text into fields. Problems are reported with
 * their lines; the fields read so far are kept either way. */
static void
lesson_fields_read(lesson_builder *b, const char *body, uint32_t first_line,
		   const char *kind, lesson_fields *out)
{
	const char *p = body;
	uint32_t line = first_line;
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t end = n;
		while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t' ||
				   p[end - 1] == '\r'))
			end--;
		const char *s = p;
		p += n + (p[n] == '\n');
		uint32_t this_line = line++;
		size_t lead = 0;
		while (lead < end && s[lead] == ' ')
			lead++;
		if (end == 0 && !(n >= 2 && s[0] == ' ' && s[1] == ' '))
			continue; /* an empty line */
		if (n >= 2 && s[0] == ' ' && s[1] == ' ') {
			/* A continuation: two spaces off, the rest kept. */
			if (out->len == 0) {
				lesson_error(b, this_line,
					     "this line starts with spaces, so it "
					     "goes on from the field above, but "
					     "there is none; start the block "
					     "with a field such as "
					     "'question: ...'");
				continue;
			}
			lesson_field *f = &out->items[out->len - 1];
			if (lesson_field_push_line(f, s + 2, end > 2 ? end - 2 : 0))
				lesson_oom(b);
			continue;
		}
		if (lesson_grow(&out->items, &out->cap, out->len,
				sizeof *out->items)) {
			lesson_oom(b);
			return;
		}
		lesson_field *f = &out->items[out->len];
		memset(f, 0, sizeof *f);
		f->line = this_line;
		const char *value;
		if (s[0] == '-' && end >= 5 && s[1] == ' ' && s[2] == '[' &&
		    s[4] == ']' && (s[3] == ' ' || s[3] == 'x' || s[3] == 'X') &&
		    (end == 5 || s[5] == ' ')) {
			strcpy(f->key, "choice");
			f->right = s[3] != ' ';
			value = s + 5;
		} else if (s[0] == '-' || s[0] == '*') {
			lesson_error(b, this_line,
				     "a choice is written '- [x] TEXT' for the "
				     "right answer or '- [ ] TEXT' for a wrong "
				     "one");
			continue;
		} else {
			size_t k = 0;
			while (k < end && ((s[k] >= 'a' && s[k] <= 'z') ||
					   (s[k] == '-' && k > 0)))
				k++;
			if (k == 0 || k >= sizeof f->key || k >= end ||
			    s[k] != ':') {
				lesson_error(b, this_line,
					     "in a ```%s block every line is "
					     "'key: value', a choice '- [x] ...', "
					     "or starts with two spaces to go "
					     "on from the line above (found "
					     "'%.*s')",
					     kind, (int)(end > 40 ? 40 : end), s);
				continue;
			}
			memcpy(f->key, s, k);
			f->key[k] = '\0';
			value = s + k + 1;
		}
		while (value < s + end && *value == ' ')
			value++;
		if (lesson_field_push_line(f, value, (size_t)(s + end - value))) {
			lesson_oom(b);
			return;
		}
		out->len++;
	}
}

/* A field's value as text: lines joined with spaces, as in a Markdown
 * paragraph; a continuation line holding only "." starts a new
 * paragraph. */
static char *
lesson_field_text(const lesson_field *f)
{
	size_t total = 1;
	for (size_t i = 0; i < f->nlines; i++)
		total += strlen(f->lines[i]) + 2;
	char *s = malloc(total);
	if (!s)
		return NULL;
	size_t len = 0;
	int para = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		const char *t = f->lines[i];
		while (*t == ' ')
			t++;
		if (i > 0 && strcmp(t, ".") == 0) {
			para = 1;
			continue;
		}
		if (*t == '\0')
			continue;
		if (len > 0) {
			if (para) {
				s[len++] = '\n';
				s[len++] = '\n';
			} else {
				s[len++] = ' ';
			}
		}
		para = 0;
		size_t n = strlen(t);
		memcpy(s + len, t, n);
		len += n;
	}
	s[len] = '\0';
	return s;
}

/* A field's value as literal lines, joined with '\n'. */
static char *
lesson_field_literal(const lesson_field *f)
{
	size_t total = 1;
	for (size_t i = 0; i < f->nlines; i++)
		total += strlen(f->lines[i]) + 1;
	char *s = malloc(total);
	if (!s)
		return NULL;
	size_t len = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		if (i > 0)
			s[len++] = '\n';
		size_t n = strlen(f->lines[i]);
		memcpy(s + len, f->lines[i], n);
		len += n;
	}
	s[len] = '\0';
	return s;
}

/* What keys a block allows. */
enum {
	LESSON_KEY_REQUIRED = 1, /* must appear */
	LESSON_KEY_MANY = 2      /* may appear more than once */
};

typedef struct lesson_key {
	const char *key;
	int flags;
} lesson_key;

typedef struct lesson_block_def {
	const char *word;
	const lesson_key *keys;
	void (*parse)(lesson_builder *b, const struct lesson_block_def *def,
		      lesson_fields *f, uint32_t line);
	int quiz_kind; /* for the quiz kinds */
} lesson_block_def;

static const lesson_key lesson_quiz_keys[] = {
	{"question", LESSON_KEY_REQUIRED},
	{"choice", LESSON_KEY_MANY},
	{"explain", 0},
	{"program", 0},
	{NULL, 0},
};

static const lesson_key lesson_output_keys[] = {
	{"question", LESSON_KEY_REQUIRED},
	{"choice", LESSON_KEY_MANY},
	{"explain", 0},
	{"program", 0},
	{"lines", 0},
	{NULL, 0},
};

static const lesson_key lesson_time_keys[] = {
	{"question", LESSON_KEY_REQUIRED},
	{"choice", LESSON_KEY_MANY},
	{"explain", 0},
	{"program", 0},
	{"tolerance", 0},
	{NULL, 0},
};

static const lesson_key lesson_narration_keys[] = {
	{"at", LESSON_KEY_REQUIRED | LESSON_KEY_MANY},
	{"say", LESSON_KEY_MANY},
	{"program", 0},
	{NULL, 0},
};

static const lesson_key lesson_exercise_keys[] = {
	{"task", LESSON_KEY_REQUIRED},
	{"goal", LESSON_KEY_REQUIRED | LESSON_KEY_MANY},
	{"hint", LESSON_KEY_MANY},
	{"start", 0},
	{"tries", 0},
	{NULL, 0},
};

/* Checks every field's key against the block's table: unknown keys,
 * repeated keys and missing required ones. Returns the number of
 * problems. */
static int
lesson_fields_validate(lesson_builder *b, const lesson_block_def *def,
		       const lesson_fields *f, uint32_t line)
{
	int problems = 0;
	for (size_t i = 0; i < f->len; i++) {
		const lesson_key *k = def->keys;
		while (k->key && strcmp(k->key, f->items[i].key) != 0)
			k++;
		if (!k->key) {
			char known[256] = "";
			for (const lesson_key *kk = def->keys; kk->key; kk++) {
				if (strcmp(kk->key, "choice") == 0)
					continue;
				size_t n = strlen(known);
				snprintf(known + n, sizeof known - n, "%s%s:",
					 n ? ", " : "", kk->key);
			}
			lesson_error(b, f->items[i].line,
				     "a ```%s block has no field '%s'; its "
				     "fields are %s",
				     def->word, f->items[i].key, known);
			problems++;
			continue;
		}
		if (k->flags & LESSON_KEY_MANY)
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(f->items[j].key, f->items[i].key) == 0) {
				lesson_error(b, f->items[i].line,
					     "'%s:' is given twice in this "
					     "block (first on line %u)",
					     f->items[i].key,
					     (unsigned)f->items[j].line);
				problems++;
				break;
			}
	}
	for (const lesson_key *k = def->keys; k->key; k++) {
		if (!(k->flags & LESSON_KEY_REQUIRED))
			continue;
		size_t i = 0;
		while (i < f->len && strcmp(f->items[i].key, k->key) != 0)
			i++;
		if (i == f->len) {
			lesson_error(b, line, "this ```%s block needs a '%s:' line",
				     def->word, k->key);
			problems++;
		}
	}
	return problems;
}

static const lesson_field *
lesson_fields_get(const lesson_fields *f, const char *key)
{
	for (size_t i = 0; i < f->len; i++)
		if (strcmp(f->items[i].key, key) == 0)
			return &f->items[i];
	return NULL;
}

/* The program a block is about: `program: ID`, or by default the nearest
 * program above (the lesson's program when there is none above; resolved
 * at the end, when every program is known). Only the lesson's program and
 * its variants count, never an exercise's starting code or solution: a
 * quiz written after a solution is about the program the learner can run
 * as it is, not the hidden answer (see async-tutorial-lessons(5)). */
static void
lesson_block_program(lesson_builder *b, const lesson_fields *f, int what,
		     size_t index, size_t count, uint32_t line, int required)
{
	const lesson_field *pf = lesson_fields_get(f, "program");
	char *ref = pf ? lesson_field_text(pf) : NULL;
	if (pf && !ref) {
		lesson_oom(b);
		return;
	}
	lesson_add_ref(b, what, index, count, ref, pf ? pf->line : line,
		       required);
	free(ref);
}

/* --- quizzes ----------------------------------------------------------------- */

static void
lesson_quiz_free(lesson_quiz *q)
{
	free(q->question);
	free(q->explain);
	for (size_t i = 0; i < q->nchoices; i++)
		free(q->choices[i].text);
	free(q->choices);
}

static void
lesson_parse_quiz(lesson_builder *b, const lesson_block_def *def,
		  lesson_fields *f, uint32_t line)
{
	lesson *l = b->l;
	if (lesson_fields_validate(b, def, f, line) > 0)
		return;
	if (lesson_grow(&l->quizzes, &b->cap_quizzes, l->nquizzes,
			sizeof *l->quizzes)) {
		lesson_oom(b);
		return;
	}
	lesson_quiz *q = &l->quizzes[l->nquizzes];
	memset(q, 0, sizeof *q);
	q->kind = (lesson_quiz_kind)def->quiz_kind;
	q->line = line;
	q->tolerance_pct = LESSON_DEFAULT_TOLERANCE_PCT;
	q->program = LESSON_NONE;
	size_t nchoices = 0;
	for (size_t i = 0; i < f->len; i++)
		nchoices += strcmp(f->items[i].key, "choice") == 0;
	q->choices = calloc(nchoices ? nchoices : 1, sizeof *q->choices);
	if (!q->choices) {
		lesson_oom(b);
		return;
	}
	int ok = 1;
	size_t nright = 0;
	char letters[64] = "";
	for (size_t i = 0; i < f->len; i++) {
		const lesson_field *fi = &f->items[i];
		char err[512];
		if (strcmp(fi->key, "question") == 0) {
			q->question = lesson_field_text(fi);
			if (!q->question) {
				lesson_oom(b);
				ok = 0;
			}
			else if (!*q->question) {
				lesson_error(b, fi->line, "the question is empty");
				ok = 0;
			}
		} else if (strcmp(fi->key, "explain") == 0) {
			q->explain = lesson_field_text(fi);
			if (!q->explain) {
				lesson_oom(b);
				ok = 0;
			}
		} else if (strcmp(fi->key, "lines") == 0) {
			char *v = lesson_field_text(fi);
			if (!v) {
				lesson_oom(b);
				ok = 0;
			} else if (lesson_lines_parse(v, &q->lines, err,
						      sizeof err) != 0) {
				lesson_error(b, fi->line, "%s", err);
				ok = 0;
			}
			free(v);
		} else if (strcmp(fi->key, "tolerance") == 0) {
			char *v = lesson_field_text(fi);
			char *pct = v ? strchr(v, '%') : NULL;
			uint64_t ns = 0;
			if (v && pct && pct[1] == '\0' && pct > v) {
				*pct = '\0';
				char *end;
				unsigned long p = strtoul(v, &end, 10);
				if (*end || p > 1000) {
					lesson_error(b, fi->line,
						     "a tolerance is a "
						     "percentage such as '10%%' "
						     "or a duration such as "
						     "'50 ms'");
					ok = 0;
				}
				q->tolerance_pct = (uint32_t)p;
			} else if (v && lesson_duration_parse(v, &ns) ==
						strlen(v) && *v) {
				q->tolerance_ns = ns ? ns : 1;
			} else if (v) {
				lesson_error(b, fi->line,
					     "'%s' is not a tolerance; write a "
					     "percentage such as '10%%' or a "
					     "duration such as '50 ms'",
					     v);
				ok = 0;
			}
			if (!v) {
				lesson_oom(b);
				ok = 0;
			}
			free(v);
		} else if (strcmp(fi->key, "choice") == 0) {
			lesson_choice *c = &q->choices[q->nchoices];
			memset(c, 0, sizeof *c);
			c->line = fi->line;
			c->right = fi->right;
			c->text = q->kind == LESSON_QUIZ_OUTPUT
					  ? lesson_field_literal(fi)
					  : lesson_field_text(fi);
			q->nchoices++;
			if (!c->text) {
				lesson_oom(b);
				ok = 0;
				break;
			}
			if (q->kind == LESSON_QUIZ_TIME &&
			    lesson_duration_parse(c->text, &c->time_ns) == 0) {
				lesson_error(b, fi->line,
					     "each choice of a ```predict-time "
					     "quiz starts with a duration, such "
					     "as '- [ ] 1.5 s' or '- [x] 500 ms, "
					     "because ...'");
				ok = 0;
			}
			if (c->right) {
				q->right = q->nchoices - 1;
				size_t n = strlen(letters);
				if (n + 8 < sizeof letters)
					snprintf(letters + n, sizeof letters - n,
						 "%s%c", nright ? " and " : "",
						 (char)('a' + q->nchoices - 1));
				nright++;
			}
		}
	}
	if (ok && q->nchoices > 26) {
		lesson_error(b, line, "a quiz can have at most 26 choices "
				      "(a to z)");
		ok = 0;
	}
	if (ok && q->nchoices < 2) {
		lesson_error(b, line,
			     "a quiz needs at least two choices: '- [x] ...' "
			     "for the right one and '- [ ] ...' for wrong ones");
		ok = 0;
	} else if (ok && nright == 0) {
		lesson_error(b, line,
			     "this quiz has no right answer; mark exactly one "
			     "choice with [x]");
		ok = 0;
	} else if (ok && nright > 1) {
		lesson_error(b, line,
			     "this quiz has %zu right answers (%s); mark "
			     "exactly one with [x]",
			     nright, letters);
		ok = 0;
	}
	if (!ok) {
		lesson_quiz_free(q);
		return;
	}
	l->nquizzes++;
	lesson_add_item(b, LESSON_ITEM_QUIZ, l->nquizzes - 1);
	lesson_block_program(b, f, LESSON_ITEM_QUIZ, l->nquizzes - 1, 1, line,
			     q->kind != LESSON_QUIZ_CHOICE);
}

/* --- narration --------------------------------------------------------------- */

static void
lesson_parse_narration(lesson_builder *b, const lesson_block_def *def,
		       lesson_fields *f, uint32_t line)
{
	lesson *l = b->l;
	if (lesson_fields_validate(b, def, f, line) > 0)
		return;
	size_t first = l->nnarrations;
	int open = 0; /* an `at:` waits for its `say:` */
	int skip = 0; /* the `at:` was wrong (reported): drop its `say:` */
	uint32_t open_line = 0;
	for (size_t i = 0; i < f->len; i++) {
		const lesson_field *fi = &f->items[i];
		if (strcmp(fi->key, "at") == 0) {
			if (open) {
				lesson_error(b, open_line,
					     "this moment has nothing to say: "
					     "add a 'say:' line after the "
					     "'at:' line");
				/* Its moment is parsed and waits in the
				 * next slot, which this one reuses. */
				lesson_moment_free(
					&l->narrations[l->nnarrations].at);
			}
			char *v = lesson_field_text(fi);
			char err[512];
			lesson_moment m;
			open = 0;
			if (!v) {
				lesson_oom(b);
				return;
			}
			skip = 0;
			if (lesson_moment_parse(v, &m, err, sizeof err) != 0) {
				lesson_error(b, fi->line, "%s", err);
				free(v);
				skip = 1;
				continue;
			}
			free(v);
			if (lesson_grow(&l->narrations, &b->cap_narrations,
					l->nnarrations, sizeof *l->narrations)) {
				lesson_moment_free(&m);
				lesson_oom(b);
				return;
			}
			lesson_narration *n = &l->narrations[l->nnarrations];
			memset(n, 0, sizeof *n);
			n->at = m;
			n->line = fi->line;
			n->program = LESSON_NONE;
			open = 1;
			open_line = fi->line;
		} else if (strcmp(fi->key, "say") == 0) {
			if (skip) {
				skip = 0;
				continue;
			}
			if (!open) {
				lesson_error(b, fi->line,
					     "'say:' must follow an 'at:' line "
					     "that says when");
				continue;
			}
			lesson_narration *n = &l->narrations[l->nnarrations];
			n->say = lesson_field_text(fi);
			if (!n->say) {
				lesson_moment_free(&n->at);
				lesson_oom(b);
				return;
			}
			if (!*n->say) {
				lesson_error(b, fi->line, "there is nothing "
							  "after 'say:'");
				free(n->say);
				lesson_moment_free(&n->at);
			} else {
				l->nnarrations++;
				lesson_add_item(b, LESSON_ITEM_NARRATION,
						l->nnarrations - 1);
			}
			open = 0;
		}
	}
	if (open) {
		lesson_error(b, open_line,
			     "this moment has nothing to say: add a 'say:' "
			     "line after the 'at:' line");
		lesson_moment_free(&l->narrations[l->nnarrations].at);
	}
	if (l->nnarrations > first)
		lesson_block_program(b, f, LESSON_ITEM_NARRATION, first,
				     l->nnarrations - first, line, 1);
}

/* --- exercises ----------------------------------------------------------------- */

static void
lesson_exercise_free(lesson_exercise *e)
{
	free(e->task);
	for (size_t i = 0; i < e->ngoals; i++)
		lesson_goal_free(&e->goals[i]);
	free(e->goals);
	free(e->goal_lines);
	for (size_t i = 0; i < e->nhints; i++)
		free(e->hints[i]);
	free(e->hints);
}

static void
lesson_parse_exercise(lesson_builder *b, const lesson_block_def *def,
		      lesson_fields *f, uint32_t line)
{
	lesson *l = b->l;
	if (lesson_fields_validate(b, def, f, line) > 0)
		return;
	if (lesson_grow(&l->exercises, &b->cap_exercises, l->nexercises,
			sizeof *l->exercises)) {
		lesson_oom(b);
		return;
	}
	lesson_exercise *e = &l->exercises[l->nexercises];
	memset(e, 0, sizeof *e);
	e->line = line;
	e->start = LESSON_NONE;
	e->solution = LESSON_NONE;
	e->tries = LESSON_DEFAULT_TRIES;
	int ok = 1;
	size_t ngoals = 0, nhints = 0;
	for (size_t i = 0; i < f->len; i++) {
		ngoals += strcmp(f->items[i].key, "goal") == 0;
		nhints += strcmp(f->items[i].key, "hint") == 0;
	}
	e->goals = calloc(ngoals ? ngoals : 1, sizeof *e->goals);
	e->goal_lines = calloc(ngoals ? ngoals : 1, sizeof *e->goal_lines);
	e->hints = calloc(nhints ? nhints : 1, sizeof *e->hints);
	if (!e->goals || !e->goal_lines || !e->hints) {
		lesson_exercise_free(e);
		lesson_oom(b);
		return;
	}
	const lesson_field *start = NULL;
	for (size_t i = 0; i < f->len && ok; i++) {
		const lesson_field *fi = &f->items[i];
		char err[512];
		if (strcmp(fi->key, "task") == 0) {
			e->task = lesson_field_text(fi);
			ok = e->task != NULL;
		} else if (strcmp(fi->key, "hint") == 0) {
			char *h = lesson_field_text(fi);
			ok = h != NULL;
			if (h)
				e->hints[e->nhints++] = h;
		} else if (strcmp(fi->key, "goal") == 0) {
			char *g = lesson_field_literal(fi);
			ok = g != NULL;
			if (g && lesson_goal_parse(g, &e->goals[e->ngoals], err,
						   sizeof err) == 0) {
				e->goal_lines[e->ngoals++] = fi->line;
			} else if (g) {
				lesson_error(b, fi->line, "%s", err);
			}
			free(g);
		} else if (strcmp(fi->key, "tries") == 0) {
			char *v = lesson_field_text(fi);
			char *end = NULL;
			unsigned long n = v ? strtoul(v, &end, 10) : 0;
			if (v && (!*v || *end || n > 1000 || *v == '-'))
				lesson_error(b, fi->line,
					     "'tries:' is a whole number of "
					     "failed checks, such as 3");
			else
				e->tries = (unsigned)n;
			ok = v != NULL;
			free(v);
		} else if (strcmp(fi->key, "start") == 0) {
			start = fi;
		}
	}
	if (!ok) {
		lesson_exercise_free(e);
		lesson_oom(b);
		return;
	}
	l->nexercises++;
	b->exercise = l->nexercises - 1;
	lesson_add_item(b, LESSON_ITEM_EXERCISE, l->nexercises - 1);
	if (start) {
		char *ref = lesson_field_text(start);
		if (!ref) {
			lesson_oom(b);
			return;
		}
		lesson_add_ref(b, LESSON_ITEM_EXERCISE, l->nexercises - 1, 1,
			       ref, start->line, 1);
		free(ref);
	}
}

static const lesson_block_def lesson_block_defs[] = {
	{"quiz", lesson_quiz_keys, lesson_parse_quiz, LESSON_QUIZ_CHOICE},
	{"predict-output", lesson_output_keys, lesson_parse_quiz,
	 LESSON_QUIZ_OUTPUT},
	{"predict-time", lesson_time_keys, lesson_parse_quiz, LESSON_QUIZ_TIME},
	{"narration", lesson_narration_keys, lesson_parse_narration, 0},
	{"exercise", lesson_exercise_keys, lesson_parse_exercise, 0},
};

#define LESSON_NBLOCK_DEFS (sizeof lesson_block_defs / sizeof lesson_block_defs[0])

/* --- programs ---------------------------------------------------------------- */

static int
lesson_valid_name(const char *s, size_t n)
{
	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static void
lesson_profile_names(char *buf, size_t size)
{
	size_t n, len = 0;
	const sim_profile *p = sim_profile_list(&n);
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		int w = snprintf(buf + len, size - len, "%s%s",
				 i == 0 ? "" : i + 1 == n ? " or " : ", ",
				 p[i].name);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* The length of the word at w in a fence's info string: up to a space or
 * a tab, except inside a double-quoted value (real-skip="two words").
 * Sets *unclosed when a quote is never closed (the word is then the rest
 * of the string). */
static size_t
lesson_info_token(const char *w, int *unclosed)
{
	size_t i = 0;
	*unclosed = 0;
	while (w[i] && w[i] != ' ' && w[i] != '\t') {
		if (w[i] == '"') {
			const char *q = strchr(w + i + 1, '"');
			if (!q) {
				*unclosed = 1;
				return strlen(w);
			}
			i = (size_t)(q - w) + 1;
		} else {
			i++;
		}
	}
	return i;
}

/* The value of a key=VALUE word (n bytes at w, key klen bytes with its
 * '='), without the quotes around it: a new string, NULL if memory ran
 * out. */
static char *
lesson_info_value(const char *w, size_t n, size_t klen)
{
	const char *v = w + klen;
	size_t len = n - klen;
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	return lesson_strndup(v, len);
}

/* Stores a real-* word's text value in *slot. Returns 0, or -1 after
 * reporting the problem. */
static int
lesson_real_text(lesson_builder *b, uint32_t line, const char *w, size_t n,
		 size_t klen, int required, char **slot)
{
	char *v = lesson_info_value(w, n, klen);
	if (!v) {
		lesson_oom(b);
		return -1;
	}
	if (required && !*v) {
		lesson_error(b, line,
			     "%.*s needs a reason, in quotes: %.*s\"why it "
			     "cannot run for real\"",
			     (int)(klen - 1), w, (int)klen, w);
		free(v);
		return -1;
	}
	free(*slot);
	*slot = v;
	return 0;
}

/* A ```rust block: the words after `rust` say what it is. */
static void
lesson_parse_program(lesson_builder *b, const char *info, const char *body,
		     uint32_t line)
{
	lesson *l = b->l;
	lesson_program p;
	memset(&p, 0, sizeof p);
	p.line = line;
	p.role = LESSON_ROLE_PROGRAM;
	p.profile = sim_profile_list(&(size_t){0});
	int ok = 1, roles = 0;
	const char *w = info + 4; /* after "rust" */
	while (*w) {
		while (*w == ' ' || *w == '\t')
			w++;
		int unclosed;
		size_t n = lesson_info_token(w, &unclosed);
		if (n == 0)
			break;
		if (unclosed) {
			lesson_error(b, line,
				     "a quote in this fence is never closed: "
				     "'%.*s'",
				     (int)(n > 40 ? 40 : n), w);
			ok = 0;
		} else if (n == 5 && strncmp(w, "start", 5) == 0) {
			p.role = LESSON_ROLE_START;
			roles++;
		} else if (n == 8 && strncmp(w, "solution", 8) == 0) {
			p.role = LESSON_ROLE_SOLUTION;
			roles++;
		} else if (n > 5 && strncmp(w, "name=", 5) == 0) {
			if (!lesson_valid_name(w + 5, n - 5)) {
				lesson_error(b, line,
					     "a program's name is letters, "
					     "digits, '-' and '_' (found "
					     "'%.*s')",
					     (int)(n - 5), w + 5);
				ok = 0;
			} else {
				free(p.name);
				p.name = lesson_strndup(w + 5, n - 5);
				if (!p.name) {
					lesson_oom(b);
					ok = 0;
				}
			}
		} else if (n > 8 && strncmp(w, "profile=", 8) == 0) {
			char name[64];
			snprintf(name, sizeof name, "%.*s",
				 (int)(n - 8 < 60 ? n - 8 : 60), w + 8);
			p.profile = sim_profile_find(name);
			if (!p.profile) {
				char names[256];
				lesson_profile_names(names, sizeof names);
				lesson_error(b, line,
					     "there is no profile '%s'; the "
					     "profiles are %s",
					     name, names);
				ok = 0;
			}
		} else if (n >= 10 && strncmp(w, "real-skip=", 10) == 0) {
			if (lesson_real_text(b, line, w, n, 10, 1,
					     &p.real_skip))
				ok = 0;
		} else if (n == 15 && strncmp(w, "real-sort-lines", 15) == 0) {
			if (lesson_real_text(b, line, w, n, 15, 0,
					     &p.real_sort_lines))
				ok = 0;
		} else if (n > 16 &&
			   strncmp(w, "real-sort-lines=", 16) == 0) {
			if (lesson_real_text(b, line, w, n, 16, 0,
					     &p.real_sort_lines))
				ok = 0;
		} else if (n > 10 && strncmp(w, "real-exit=", 10) == 0) {
			int status = 0;
			size_t k = 10;
			while (k < n && k < 14 && w[k] >= '0' && w[k] <= '9')
				status = status * 10 + (w[k++] - '0');
			if (k != n || status > 255) {
				lesson_error(b, line,
					     "real-exit= takes an exit status "
					     "from 0 to 255 (found '%.*s')",
					     (int)(n > 40 ? 40 : n), w);
				ok = 0;
			} else {
				p.real_exit = status;
			}
		} else if (n > 13 && strncmp(w, "real-profile=", 13) == 0) {
			char name[64];
			snprintf(name, sizeof name, "%.*s",
				 (int)(n - 13 < 60 ? n - 13 : 60), w + 13);
			p.real_profile = sim_profile_find(name);
			if (!p.real_profile) {
				char names[256];
				lesson_profile_names(names, sizeof names);
				lesson_error(b, line,
					     "there is no profile '%s'; the "
					     "profiles are %s",
					     name, names);
				ok = 0;
			}
		} else {
			lesson_error(b, line,
				     "'%.*s' means nothing after ```rust; a "
				     "program's fence may say name=ID, "
				     "profile=NAME, start or solution, and "
				     "real-skip=, real-sort-lines, real-exit= "
				     "or real-profile= for the test against "
				     "real Rust (to show "
				     "Rust that is not a whole program, fence "
				     "it with ```rust-snippet)",
				     (int)(n > 40 ? 40 : n), w);
			ok = 0;
		}
		w += n;
	}
	if (roles > 1) {
		lesson_error(b, line, "a program is either 'start' or "
				      "'solution', not both");
		ok = 0;
	}
	const char *t = body;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	if (!*t) {
		lesson_error(b, line, "this program is empty");
		ok = 0;
	}
	if (p.name) {
		for (size_t i = 0; i < l->nprograms; i++)
			if (l->programs[i].name &&
			    strcmp(l->programs[i].name, p.name) == 0) {
				lesson_error(b, line,
					     "there is already a program called "
					     "'%s' (line %u)",
					     p.name, (unsigned)l->programs[i].line);
				ok = 0;
			}
	}
	if (p.role != LESSON_ROLE_PROGRAM) {
		const char *what = p.role == LESSON_ROLE_START ? "start"
							       : "solution";
		if (b->exercise == LESSON_NONE) {
			lesson_error(b, line,
				     "a ```rust %s block belongs to the "
				     "```exercise block above it, and there "
				     "is none",
				     what);
			ok = 0;
		} else {
			const lesson_exercise *e = &l->exercises[b->exercise];
			size_t have = p.role == LESSON_ROLE_START ? e->start
								  : e->solution;
			if (have != LESSON_NONE) {
				lesson_error(b, line,
					     "the exercise on line %u already "
					     "has its %s (line %u)",
					     (unsigned)e->line, what,
					     (unsigned)l->programs[have].line);
				ok = 0;
			}
		}
	}
	if (ok) {
		p.source = strdup(body);
		p.len = strlen(body);
		if (!p.source) {
			lesson_oom(b);
			ok = 0;
		}
	}
	if (ok && lesson_grow(&l->programs, &b->cap_programs, l->nprograms,
			      sizeof *l->programs)) {
		lesson_oom(b);
		ok = 0;
	}
	if (!ok) {
		free(p.name);
		free(p.source);
		free(p.real_skip);
		free(p.real_sort_lines);
		return;
	}
	size_t index = l->nprograms++;
	if (p.role == LESSON_ROLE_PROGRAM) {
		size_t number = 1;
		for (size_t i = 0; i < index; i++)
			number += l->programs[i].role == LESSON_ROLE_PROGRAM;
		p.number = number;
		p.exercise = LESSON_NONE;
		b->last_program = index;
	} else {
		p.exercise = b->exercise;
		lesson_exercise *e = &l->exercises[b->exercise];
		if (p.role == LESSON_ROLE_START)
			e->start = index;
		else
			e->solution = index;
	}
	l->programs[index] = p;
	lesson_add_item(b, LESSON_ITEM_PROGRAM, index);
}

/* --- the walk over the document ------------------------------------------------ */

/* The word an info string starts with. */
static size_t
lesson_info_word(const char *info, char *word, size_t size)
{
	size_t n = strcspn(info, " \t");
	snprintf(word, size, "%.*s", (int)(n < size ? n : size - 1), info);
	return n;
}

static const lesson_block_def *
lesson_block_def_find(const char *word)
{
	for (size_t i = 0; i < LESSON_NBLOCK_DEFS; i++)
		if (strcmp(lesson_block_defs[i].word, word) == 0)
			return &lesson_block_defs[i];
	return NULL;
}

/* A word that is almost one of ours is a typo, not another language:
 * better an error than a quiz silently shown as code. */
static const char *
lesson_block_near_miss(const char *word)
{
	size_t wl = strlen(word);
	if (wl < 3)
		return NULL;
	for (size_t i = 0; i < LESSON_NBLOCK_DEFS; i++) {
		const char *k = lesson_block_defs[i].word;
		size_t kl = strlen(k);
		/* Shared start: "narrate", "predict", "quizzes". */
		size_t common = 0;
		while (word[common] && word[common] == k[common])
			common++;
		size_t shorter = wl < kl ? wl : kl;
		if (lesson_distance(word, k) <= 2 ||
		    (common >= 4 && common + 1 >= shorter))
			return k;
	}
	return NULL;
}

/* Blocks of ours inside a list or a quote would be shown as code there
 * and never asked: say so. */
static void
lesson_check_nested(lesson_builder *b, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
			continue;
		const char *info = cmark_node_get_fence_info(n);
		char word[32];
		lesson_info_word(info ? info : "", word, sizeof word);
		if (strcmp(word, "rust") == 0 || lesson_block_def_find(word))
			lesson_error(b, (uint32_t)cmark_node_get_start_line(n),
				     "this ```%s block is inside a list or a "
				     "quote; move it to the top level (no "
				     "indentation) so that it is read as part "
				     "of the lesson",
				     word);
	}
	cmark_iter_free(it);
}

static void
lesson_code_block(lesson_builder *b, cmark_node *node)
{
	uint32_t line = (uint32_t)cmark_node_get_start_line(node);
	uint32_t end = (uint32_t)cmark_node_get_end_line(node);
	const char *info = cmark_node_get_fence_info(node);
	const char *body = cmark_node_get_literal(node);
	char word[32];
	size_t len;
	const char *first = lesson_line(b, line, &len);
	int fenced = lesson_is_fence_line(first, len);
	lesson_info_word(info ? info : "", word, sizeof word);
	const lesson_block_def *def = fenced ? lesson_block_def_find(word) : NULL;
	int program = fenced && strcmp(word, "rust") == 0;
	if (!def && !program) {
		const char *near = fenced ? lesson_block_near_miss(word) : NULL;
		if (near)
			lesson_error(b, line,
				     "'```%s' is not a kind of block; did you "
				     "mean '```%s'? (the kinds are rust, quiz, "
				     "predict-output, predict-time, narration "
				     "and exercise)",
				     word, near);
		lesson_add_prose(b, line, end);
		return;
	}
	const char *last = lesson_line(b, end, &len);
	if (end <= line || !lesson_is_fence_line(last, len)) {
		lesson_error(b, line,
			     "this ```%s block is never closed: add a line "
			     "with ``` where it ends",
			     word);
		return;
	}
	b->open_prose = LESSON_NONE;
	if (program) {
		lesson_parse_program(b, info, body ? body : "", line);
		return;
	}
	lesson_fields f;
	memset(&f, 0, sizeof f);
	lesson_fields_read(b, body ? body : "", line + 1, def->word, &f);
	def->parse(b, def, &f, line);
	lesson_fields_free(&f);
}

/* Ties each block to the program it is about, now that every program is
 * known, and checks that each exercise has its code. */
static void
lesson_resolve(lesson_builder *b)
{
	lesson *l = b->l;
	size_t main_program = LESSON_NONE;
	for (size_t i = 0; i < l->nprograms && main_program == LESSON_NONE; i++)
		if (l->programs[i].role == LESSON_ROLE_PROGRAM)
			main_program = i;
	for (size_t r = 0; r < b->nrefs; r++) {
		struct lesson_ref *ref = &b->refs[r];
		size_t target = ref->deflt != LESSON_NONE ? ref->deflt
							  : main_program;
		if (ref->ref) {
			int found = lesson_program_find(l, ref->ref);
			const lesson_program *code = NULL;
			for (size_t i = 0; found < 0 && i < l->nprograms; i++)
				if (l->programs[i].role != LESSON_ROLE_PROGRAM &&
				    l->programs[i].name &&
				    strcmp(l->programs[i].name, ref->ref) == 0)
					code = &l->programs[i];
			if (code) {
				lesson_error(b, ref->line,
					     "'%s' is an exercise's %s (line "
					     "%u); blocks can refer only to the "
					     "lesson's program and its variants "
					     "(to ask about this code, show it "
					     "as a variant too: ```rust "
					     "name=ID)",
					     ref->ref,
					     code->role == LESSON_ROLE_START
						     ? "starting code"
						     : "solution",
					     (unsigned)code->line);
				continue;
			}
			if (found < 0) {
				lesson_error(b, ref->line,
					     "there is no program '%s' in this "
					     "lesson; refer to a program by "
					     "its name=ID or by its number (1 "
					     "is the lesson's program)",
					     ref->ref);
				continue;
			}
			target = (size_t)found;
		} else if (target == LESSON_NONE && ref->required) {
			lesson_error(b, ref->line,
				     "this block is about a program, but the "
				     "lesson has no ```rust program");
			continue;
		}
		if (ref->what == LESSON_ITEM_QUIZ) {
			l->quizzes[ref->index].program = target;
		} else if (ref->what == LESSON_ITEM_NARRATION) {
			for (size_t i = 0; i < ref->count; i++)
				l->narrations[ref->index + i].program = target;
		} else if (ref->what == LESSON_ITEM_EXERCISE) {
			lesson_exercise *e = &l->exercises[ref->index];
			if (e->start != LESSON_NONE) {
				lesson_error(b, ref->line,
					     "this exercise has both 'start:' "
					     "and a ```rust start block (line "
					     "%u); keep one",
					     (unsigned)l->programs[e->start].line);
				continue;
			}
			e->start = target;
		}
	}
	for (size_t i = 0; i < l->nexercises; i++) {
		lesson_exercise *e = &l->exercises[i];
		if (e->start == LESSON_NONE)
			lesson_error(b, e->line,
				     "this exercise has no starting code: add "
				     "a ```rust start block after it, or "
				     "'start: 1' to start from the lesson's "
				     "program");
		if (e->solution == LESSON_NONE)
			lesson_error(b, e->line,
				     "this exercise has no solution: add a "
				     "```rust solution block after it");
	}
}

static void
lesson_walk(lesson_builder *b, cmark_node *doc)
{
	for (cmark_node *n = cmark_node_first_child(doc); n;
	     n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		uint32_t line = (uint32_t)cmark_node_get_start_line(n);
		uint32_t end = (uint32_t)cmark_node_get_end_line(n);
		if (!b->title_seen) {
			b->title_seen = 1;
			if (t == CMARK_NODE_HEADING) {
				if (lesson_inline_text(n, &b->l->title) != 0)
					lesson_oom(b);
				continue;
			}
			lesson_error(b, line,
				     "a lesson starts with its title, a heading "
				     "such as '# Awaiting in a loop'");
		}
		if (t == CMARK_NODE_CODE_BLOCK) {
			lesson_code_block(b, n);
			continue;
		}
		if (t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE)
			lesson_check_nested(b, n);
		lesson_add_prose(b, line, end);
	}
	if (!b->title_seen)
		lesson_error(b, 1, "the lesson is empty; it needs at least a "
				   "title, such as '# Awaiting in a loop'");
	else if (b->l->title && !*b->l->title)
		lesson_error(b, 1, "the title is empty");
}

/* --- the public functions ---------------------------------------------------- */

int
lesson_file_name_parse(const char *path, unsigned *number, char **id)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len < 6 || strcmp(base + len - 3, ".md") != 0)
		return -1;
	unsigned long n = 0;
	size_t i = 0;
	while (base[i] >= '0' && base[i] <= '9' && i < 6)
		n = n * 10 + (unsigned long)(base[i++] - '0');
	if (i == 0 || base[i] != '-')
		return -1;
	const char *s = base + i + 1;
	size_t idlen = len - 3 - (i + 1);
	if (!lesson_valid_name(s, idlen))
		return -1;
	if (id) {
		*id = lesson_strndup(s, idlen);
		if (!*id)
			return -1;
	}
	*number = (unsigned)n;
	return 0;
}

void
lesson_free(lesson *l)
{
	if (!l)
		return;
	free(l->path);
	free(l->id);
	free(l->title);
	free(l->items);
	for (size_t i = 0; i < l->nprose; i++)
		free(l->prose[i].markdown);
	free(l->prose);
	for (size_t i = 0; i < l->nprograms; i++) {
		free(l->programs[i].name);
		free(l->programs[i].source);
		free(l->programs[i].real_skip);
		free(l->programs[i].real_sort_lines);
	}
	free(l->programs);
	for (size_t i = 0; i < l->nquizzes; i++)
		lesson_quiz_free(&l->quizzes[i]);
	free(l->quizzes);
	for (size_t i = 0; i < l->nnarrations; i++) {
		lesson_moment_free(&l->narrations[i].at);
		free(l->narrations[i].say);
	}
	free(l->narrations);
	for (size_t i = 0; i < l->nexercises; i++)
		lesson_exercise_free(&l->exercises[i]);
	free(l->exercises);
	free(l);
}

lesson *
lesson_parse(const char *path, const char *text, size_t len,
	     lesson_diags *diags)
{
	size_t errors_before = diags->nerrors;
	size_t first_diag = diags->len;
	lesson_builder b;
	memset(&b, 0, sizeof b);
	b.diags = diags;
	b.path = path;
	b.text = text;
	b.len = len;
	b.open_prose = LESSON_NONE;
	b.last_program = LESSON_NONE;
	b.exercise = LESSON_NONE;
	b.l = calloc(1, sizeof *b.l);
	size_t nlines = 1;
	for (size_t i = 0; i < len; i++)
		nlines += lesson_line_ends(text, len, i) && i + 1 < len;
	b.line_start = malloc(nlines * sizeof *b.line_start);
	if (!b.l || !b.line_start || !(b.l->path = strdup(path))) {
		lesson_oom(&b);
		free(b.line_start);
		lesson_free(b.l);
		return NULL;
	}
	b.line_start[0] = 0;
	b.nlines = 1;
	for (size_t i = 0; i < len; i++)
		if (lesson_line_ends(text, len, i) && i + 1 < len)
			b.line_start[b.nlines++] = i + 1;
	if (lesson_file_name_parse(path, &b.l->number, &b.l->id) != 0)
		lesson_error(&b, 0,
			     "a lesson's file name is a number, a dash, an id "
			     "of letters, digits, '-' or '_', and .md, such as "
			     "'02-await-in-loop.md'");
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
	if (!doc)
		lesson_oom(&b);
	else
		lesson_walk(&b, doc);
	cmark_node_free(doc);
	lesson_resolve(&b);
	for (size_t i = 0; i < b.nrefs; i++)
		free(b.refs[i].ref);
	free(b.refs);
	free(b.line_start);
	lesson_diags_sort(diags, first_diag);
	if (diags->nerrors > errors_before) {
		lesson_free(b.l);
		return NULL;
	}
	return b.l;
}

lesson *
lesson_load(const char *path, lesson_diags *diags)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		lesson_diags_add(diags, LESSON_ERROR, path, 0,
				 "cannot open the lesson: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 14, len = 0;
	char *buf = malloc(cap);
	int too_big = 0;
	while (buf) {
		if (len == cap) {
			if (cap > LESSON_MAX_FILE_BYTES) {
				too_big = 1;
				break;
			}
			char *n = realloc(buf, cap * 2);
			if (!n) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = n;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, in);
		len += got;
		if (got == 0)
			break;
	}
	int failed = ferror(in);
	int err = errno;
	fclose(in);
	if (!buf || failed || too_big) {
		if (!buf)
			lesson_diags_add(diags, LESSON_ERROR, path, 0,
					 "out of memory reading the lesson");
		else if (too_big)
			lesson_diags_add(diags, LESSON_ERROR, path, 0,
					 "the file is larger than %u KiB; that "
					 "is too big to be a lesson",
					 LESSON_MAX_FILE_BYTES / 1024u);
		else
			lesson_diags_add(diags, LESSON_ERROR, path, 0,
					 "cannot read the lesson: %s",
					 strerror(err));
		free(buf);
		return NULL;
	}
	lesson *l = lesson_parse(path, buf, len, diags);
	free(buf);
	return l;
}

const lesson_program *
lesson_main_program(const lesson *l)
{
	for (size_t i = 0; i < l->nprograms; i++)
		if (l->programs[i].role == LESSON_ROLE_PROGRAM)
			return &l->programs[i];
	return NULL;
}

int
lesson_program_find(const lesson *l, const char *ref)
{
	char *end;
	unsigned long n = strtoul(ref, &end, 10);
	int numeric = *ref >= '0' && *ref <= '9' && *end == '\0';
	for (size_t i = 0; i < l->nprograms; i++) {
		const lesson_program *p = &l->programs[i];
		if (p->role != LESSON_ROLE_PROGRAM)
			continue;
		if ((numeric && p->number == n) ||
		    (p->name && strcmp(p->name, ref) == 0))
			return (int)i;
	}
	return -1;
}
