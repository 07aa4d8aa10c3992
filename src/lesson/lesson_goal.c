#include "config.h"

#include "lesson/lesson_goal.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What follows a goal's words. */
typedef enum lesson_goal_arg {
	LESSON_ARG_NONE,
	LESSON_ARG_DURATION, /* OP DURATION */
	LESSON_ARG_COUNT,    /* OP N */
	LESSON_ARG_LINT,     /* a lint's name */
	LESSON_ARG_TEXT      /* the rest of the field */
} lesson_goal_arg;

typedef struct lesson_goal_def {
	const char *words;
	lesson_goal_kind kind;
	lesson_goal_arg arg;
	size_t stat; /* offset of the count in sim_stats */
	const char *noun; /* counts: "polls" */
} lesson_goal_def;

/* Longer words first where one starts another ("no lints", "no lint"). */
static const lesson_goal_def lesson_goal_defs[] = {
	{"finishes", LESSON_GOAL_FINISHES, LESSON_ARG_NONE, 0, NULL},
	{"elapsed", LESSON_GOAL_ELAPSED, LESSON_ARG_DURATION, 0, NULL},
	{"polls", LESSON_GOAL_POLLS, LESSON_ARG_COUNT,
	 offsetof(sim_stats, polls), "polls"},
	{"futures", LESSON_GOAL_FUTURES, LESSON_ARG_COUNT,
	 offsetof(sim_stats, futures), "futures created"},
	{"threads", LESSON_GOAL_THREADS, LESSON_ARG_COUNT,
	 offsetof(sim_stats, threads), "threads"},
	{"tasks", LESSON_GOAL_TASKS, LESSON_ARG_COUNT,
	 offsetof(sim_stats, tasks), "tasks"},
	{"no lints", LESSON_GOAL_NO_LINTS, LESSON_ARG_NONE, 0, NULL},
	{"no lint", LESSON_GOAL_NO_LINT, LESSON_ARG_LINT, 0, NULL},
	{"lint", LESSON_GOAL_LINT, LESSON_ARG_LINT, 0, NULL},
	{"output is", LESSON_GOAL_OUTPUT_IS, LESSON_ARG_TEXT, 0, NULL},
	{"output contains", LESSON_GOAL_OUTPUT_CONTAINS, LESSON_ARG_TEXT, 0,
	 NULL},
};

#define LESSON_NGOAL_DEFS (sizeof lesson_goal_defs / sizeof lesson_goal_defs[0])

typedef struct lesson_cmp_def {
	const char *op;
	lesson_cmp cmp;
	const char *words; /* "at most" */
} lesson_cmp_def;

/* "<=" before "<", so the longer operator is found first. */
static const lesson_cmp_def lesson_cmp_defs[] = {
	{"<=", LESSON_CMP_LE, "at most"},
	{">=", LESSON_CMP_GE, "at least"},
	{"<", LESSON_CMP_LT, "less than"},
	{">", LESSON_CMP_GT, "more than"},
};

#define LESSON_NCMP_DEFS (sizeof lesson_cmp_defs / sizeof lesson_cmp_defs[0])

static const lesson_goal_def *
lesson_goal_def_of(lesson_goal_kind kind)
{
	for (size_t i = 0; i < LESSON_NGOAL_DEFS; i++)
		if (lesson_goal_defs[i].kind == kind)
			return &lesson_goal_defs[i];
	return &lesson_goal_defs[0];
}

static const lesson_cmp_def *
lesson_cmp_def_of(lesson_cmp cmp)
{
	for (size_t i = 0; i < LESSON_NCMP_DEFS; i++)
		if (lesson_cmp_defs[i].cmp == cmp)
			return &lesson_cmp_defs[i];
	return &lesson_cmp_defs[0];
}

static const char *
lesson_skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
lesson_cmp_holds(lesson_cmp cmp, uint64_t actual, uint64_t limit)
{
	switch (cmp) {
	case LESSON_CMP_LT:
		return actual < limit;
	case LESSON_CMP_LE:
		return actual <= limit;
	case LESSON_CMP_GT:
		return actual > limit;
	default:
		return actual >= limit;
	}
}

/* The list of goals for an error message. */
static const char lesson_goal_list[] =
	"finishes, elapsed OP DURATION, polls/futures/threads/tasks OP N, "
	"lint NAME, no lint NAME, no lints, output is TEXT, output contains "
	"TEXT";

static int
lesson_goal_parse_cmp(const char *p, const lesson_goal_def *def,
		      lesson_goal *g, char *err, size_t errsize)
{
	p = lesson_skip_spaces(p);
	const lesson_cmp_def *c = NULL;
	for (size_t i = 0; i < LESSON_NCMP_DEFS && !c; i++)
		if (strncmp(p, lesson_cmp_defs[i].op, strlen(lesson_cmp_defs[i].op)) == 0)
			c = &lesson_cmp_defs[i];
	if (!c) {
		snprintf(err, errsize,
			 "'%s' needs a comparison after it: <, <=, > or >= "
			 "(for example '%s <= %s')",
			 def->words, def->words,
			 def->arg == LESSON_ARG_DURATION ? "1.1 s" : "10");
		return -1;
	}
	g->cmp = c->cmp;
	p = lesson_skip_spaces(p + strlen(c->op));
	size_t used = 0;
	if (def->arg == LESSON_ARG_DURATION) {
		used = lesson_duration_parse(p, &g->value);
	} else {
		uint64_t v = 0;
		while (p[used] >= '0' && p[used] <= '9' &&
		       v < UINT64_MAX / 10 - 10)
			v = v * 10 + (uint64_t)(p[used++] - '0');
		g->value = v;
	}
	if (used == 0 || *lesson_skip_spaces(p + used) != '\0') {
		snprintf(err, errsize,
			 def->arg == LESSON_ARG_DURATION
				 ? "'%s' is not a duration; write a number and "
				   "a unit, such as '1.1 s' or '500 ms'"
				 : "'%s' is not a whole number",
			 p);
		return -1;
	}
	return 0;
}

int
lesson_goal_parse(const char *text, lesson_goal *g, char *err, size_t errsize)
{
	memset(g, 0, sizeof *g);
	const char *p = lesson_skip_spaces(text);
	const lesson_goal_def *def = NULL;
	for (size_t i = 0; i < LESSON_NGOAL_DEFS && !def; i++) {
		size_t n = strlen(lesson_goal_defs[i].words);
		if (strncmp(p, lesson_goal_defs[i].words, n) == 0 &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' ||
		     p[n] == '\n' || p[n] == '<' || p[n] == '>'))
			def = &lesson_goal_defs[i];
	}
	if (!def) {
		size_t n = strcspn(p, " \n");
		snprintf(err, errsize,
			 "'%.*s' is not a goal; the goals are: %s",
			 (int)(n > 40 ? 40 : n), p, lesson_goal_list);
		return -1;
	}
	g->kind = def->kind;
	p += strlen(def->words);
	switch (def->arg) {
	case LESSON_ARG_NONE:
		if (*lesson_skip_spaces(p) != '\0') {
			snprintf(err, errsize,
				 "'%s' takes nothing after it (found '%s')",
				 def->words, lesson_skip_spaces(p));
			return -1;
		}
		return 0;
	case LESSON_ARG_DURATION:
	case LESSON_ARG_COUNT:
		return lesson_goal_parse_cmp(p, def, g, err, errsize);
	case LESSON_ARG_LINT: {
		p = lesson_skip_spaces(p);
		size_t n = strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		g->lint = n > 0 ? trace_lint_lookup(name) : -1;
		if (g->lint < 0) {
			if (n == 0)
				snprintf(err, errsize,
					 "'%s' needs a lint's name after it, "
					 "such as 'blocking-in-async'",
					 def->words);
			else
				snprintf(err, errsize,
					 "there is no lint called '%s' "
					 "('async-tutorial lints' lists them)",
					 name);
			return -1;
		}
		return 0;
	}
	default:
		p = lesson_skip_spaces(p);
		if (*p == '\0' || (*p == '\n' && p[1] == '\0')) {
			snprintf(err, errsize, "'%s' needs the text after it",
				 def->words);
			return -1;
		}
		/* "output is" may start on the next line. */
		if (*p == '\n')
			p++;
		g->text = lesson_output_normalize(p, strlen(p), NULL);
		if (!g->text) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
		return 0;
	}
}

void
lesson_goal_free(lesson_goal *g)
{
	free(g->text);
	g->text = NULL;
}

size_t
lesson_goal_describe(const lesson_goal *g, char *buf, size_t size)
{
	const lesson_goal_def *def = lesson_goal_def_of(g->kind);
	const lesson_cmp_def *c = lesson_cmp_def_of(g->cmp);
	const trace_lint_info *lint = trace_lint_info_of((trace_lint_id)g->lint);
	char d[48];
	int n;
	switch (g->kind) {
	case LESSON_GOAL_FINISHES:
		n = snprintf(buf, size, "the program runs to its end, with no "
					"panic and no budget stopping it");
		break;
	case LESSON_GOAL_ELAPSED:
		lesson_duration_format(g->value, d, sizeof d);
		n = snprintf(buf, size, "the program takes %s %s of virtual time",
			     c->words, d);
		break;
	case LESSON_GOAL_LINT:
		n = snprintf(buf, size, "the lint %s fires",
			     lint ? lint->name : "?");
		break;
	case LESSON_GOAL_NO_LINT:
		n = snprintf(buf, size, "the lint %s does not fire",
			     lint ? lint->name : "?");
		break;
	case LESSON_GOAL_NO_LINTS:
		n = snprintf(buf, size, "no lint fires");
		break;
	case LESSON_GOAL_OUTPUT_IS:
		n = snprintf(buf, size, strchr(g->text, '\n')
						? "the output is exactly:\n%s"
						: "the output is exactly \"%s\"",
			     g->text);
		break;
	case LESSON_GOAL_OUTPUT_CONTAINS:
		n = snprintf(buf, size, "the output contains \"%s\"", g->text);
		break;
	default:
		n = snprintf(buf, size, "the run has %s %" PRIu64 " %s",
			     c->words, g->value, def->noun);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

/* The first line where two outputs differ, said plainly. Both are
 * normalised (no final newline). */
static void
lesson_output_diff(const char *got, const char *want, char *why, size_t size)
{
	unsigned line = 1;
	while (*got || *want) {
		size_t gl = strcspn(got, "\n"), wl = strcspn(want, "\n");
		if (!*got) {
			snprintf(why, size,
				 "The output ends after %u line%s; the goal "
				 "expects line %u too: \"%.*s\".",
				 line - 1, line == 2 ? "" : "s", line, (int)wl,
				 want);
			return;
		}
		if (!*want) {
			snprintf(why, size,
				 "The output goes on after the %u line%s the "
				 "goal expects, with \"%.*s\".",
				 line - 1, line == 2 ? "" : "s", (int)gl, got);
			return;
		}
		if (gl != wl || memcmp(got, want, gl) != 0) {
			snprintf(why, size,
				 "Line %u of the output is \"%.*s\"; the goal "
				 "expects \"%.*s\".",
				 line, (int)gl, got, (int)wl, want);
			return;
		}
		got += gl + (got[gl] == '\n');
		want += wl + (want[wl] == '\n');
		line++;
	}
	snprintf(why, size, "The output is what the goal expects.");
}

static int
lesson_goal_check_lint(const lesson_goal *g, const lesson_run *run,
		       char *why, size_t size)
{
	const trace_lint_info *info = trace_lint_info_of((trace_lint_id)g->lint);
	const trace_lint_hit *hit =
		run->lints ? trace_lint_hit_of(run->lints, (trace_lint_id)g->lint)
			   : NULL;
	if (hit)
		snprintf(why, size, "The lint %s fired: %s.", info->name,
			 hit->detail ? hit->detail : info->explanation);
	else
		snprintf(why, size, "The lint %s did not fire.", info->name);
	return (hit != NULL) == (g->kind == LESSON_GOAL_LINT);
}

int
lesson_goal_check(const lesson_goal *g, const lesson_run *run, char *why,
		  size_t size)
{
	const lesson_goal_def *def = lesson_goal_def_of(g->kind);
	const lesson_cmp_def *c = lesson_cmp_def_of(g->cmp);
	char got[48], want[48];
	switch (g->kind) {
	case LESSON_GOAL_FINISHES:
		if (run->exit_status == 0) {
			snprintf(why, size, "The program ran to its end.");
			return 1;
		}
		if (run->exit_status == 101)
			snprintf(why, size, "The program panicked.");
		else
			snprintf(why, size, "The run stopped early: %s.",
				 run->message ? run->message
					      : "it could not go on");
		return 0;
	case LESSON_GOAL_ELAPSED: {
		int ok = lesson_cmp_holds(g->cmp, run->stats.virtual_ns, g->value);
		lesson_duration_format(run->stats.virtual_ns, got, sizeof got);
		lesson_duration_format(g->value, want, sizeof want);
		snprintf(why, size,
			 "The program took %s of virtual time; the goal is %s %s.",
			 got, c->words, want);
		return ok;
	}
	case LESSON_GOAL_LINT:
	case LESSON_GOAL_NO_LINT:
		return lesson_goal_check_lint(g, run, why, size);
	case LESSON_GOAL_NO_LINTS: {
		size_t n = run->lints ? trace_lint_fired_count(run->lints) : 0;
		if (n == 0) {
			snprintf(why, size, "No lint fired.");
			return 1;
		}
		const trace_lint_hit *hit = trace_lint_fired(run->lints, 0);
		const trace_lint_info *info = trace_lint_info_of(hit->id);
		snprintf(why, size, "The lint %s fired: %s.", info->name,
			 hit->detail ? hit->detail : info->explanation);
		return 0;
	}
	case LESSON_GOAL_OUTPUT_IS:
	case LESSON_GOAL_OUTPUT_CONTAINS: {
		char *out = lesson_output_normalize(run->output, run->output_len,
						    NULL);
		if (!out) {
			snprintf(why, size, "There was not enough memory to "
					    "compare the output.");
			return 0;
		}
		int ok;
		if (g->kind == LESSON_GOAL_OUTPUT_IS) {
			ok = strcmp(out, g->text) == 0;
			lesson_output_diff(out, g->text, why, size);
		} else {
			ok = strstr(out, g->text) != NULL;
			snprintf(why, size,
				 ok ? "The output contains \"%s\"."
				    : "Nothing in the output is \"%s\".",
				 g->text);
		}
		free(out);
		return ok;
	}
	default: {
		uint64_t actual;
		memcpy(&actual, (const char *)&run->stats + def->stat,
		       sizeof actual);
		snprintf(why, size,
			 "The run had %" PRIu64 " %s; the goal is %s %" PRIu64 ".",
			 actual, def->noun, c->words, g->value);
		return lesson_cmp_holds(g->cmp, actual, g->value);
	}
	}
}
