#include "config.h"

#include "lesson/lesson_export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_course.h"

/* The name of program i before clashes are settled: lessonNN_PART. */
static void
lesson_export_base(const lesson *l, size_t i, char *buf, size_t size)
{
	const lesson_program *p = &l->programs[i];
	char part[64];
	if (p->role == LESSON_ROLE_START)
		snprintf(part, sizeof part, "exercise%zu_start",
		         p->exercise + 1);
	else if (p->role == LESSON_ROLE_SOLUTION)
		snprintf(part, sizeof part, "exercise%zu_solution",
		         p->exercise + 1);
	else if (p->name)
		snprintf(part, sizeof part, "%s", p->name);
	else if (p->number == 1)
		snprintf(part, sizeof part, "program");
	else
		snprintf(part, sizeof part, "variant%zu", p->number);
	/* A program's name may hold '-', which Rust file names avoid. */
	for (char *c = part; *c; c++)
		if (*c == '-')
			*c = '_';
	snprintf(buf, size, "lesson%02u_%s", l->number, part);
}

size_t
lesson_export_name(const lesson *l, size_t i, char *buf, size_t size)
{
	char mine[96], other[96];
	lesson_export_base(l, i, mine, sizeof mine);
	/* A variant called name=exercise1_start would clash with the real
	 * one: the later program gets its position added. */
	int clash = 0;
	for (size_t j = 0; j < i && !clash; j++) {
		lesson_export_base(l, j, other, sizeof other);
		clash = strcmp(mine, other) == 0;
	}
	int n = clash ? snprintf(buf, size, "%s_%zu", mine, i + 1)
	              : snprintf(buf, size, "%s", mine);
	return n < 0 ? 0 : (size_t)n;
}

/* The profile the simulator runs program i with when it is compared with
 * a real run: real-profile=, else the one the lesson runs it with (a
 * solution runs with its starting code's). */
static const sim_profile *
lesson_export_profile(const lesson *l, size_t i)
{
	const lesson_program *p = &l->programs[i];
	if (p->real_profile)
		return p->real_profile;
	if (p->role == LESSON_ROLE_SOLUTION && p->exercise < l->nexercises &&
	    l->exercises[p->exercise].start < l->nprograms)
		return l->programs[l->exercises[p->exercise].start].profile;
	return p->profile;
}

/* What the program is, for its first comment line. */
static void
lesson_export_what(const lesson *l, size_t i, char *buf, size_t size)
{
	const lesson_program *p = &l->programs[i];
	if (p->role == LESSON_ROLE_START)
		snprintf(buf, size, "the starting code of exercise %zu",
		         p->exercise + 1);
	else if (p->role == LESSON_ROLE_SOLUTION)
		snprintf(buf, size, "the solution of exercise %zu",
		         p->exercise + 1);
	else if (p->number == 1)
		snprintf(buf, size, "the lesson's program");
	else
		snprintf(buf, size, "variant %zu", p->number);
}

static int
lesson_export_write(const lesson *l, size_t i, FILE *f)
{
	const lesson_program *p = &l->programs[i];
	char what[96];
	lesson_export_what(l, i, what, sizeof what);
	fprintf(f, "// %s:%u: %s%s%s%s", l->path, (unsigned)p->line, what,
	        p->name ? " (" : "", p->name ? p->name : "",
	        p->name ? ")" : "");
	for (size_t e = 0; e < l->nexercises; e++)
		if (l->exercises[e].start == i &&
		    p->role == LESSON_ROLE_PROGRAM)
			fprintf(f, ", the starting code of exercise %zu",
			        e + 1);
	fputs("\n", f);
	if (p->real_skip)
		fprintf(f, "// real: skip (%s)\n", p->real_skip);
	if (p->real_sort_lines)
		fprintf(f,
		        *p->real_sort_lines ? "// real: sort-lines (%s)\n"
		                            : "// real: sort-lines%s\n",
		        p->real_sort_lines);
	if (p->real_exit)
		fprintf(f, "// real: exit %d\n", p->real_exit);
	const sim_profile *prof = lesson_export_profile(l, i);
	if (prof && prof != sim_profile_list(&(size_t){0}))
		fprintf(f, "// sim-args: --profile %s\n", prof->name);
	fputs("\n", f);
	fwrite(p->source, 1, p->len, f);
	if (p->len > 0 && p->source[p->len - 1] != '\n')
		fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

size_t
lesson_export_lesson(const lesson *l, const char *outdir, lesson_diags *diags,
                     size_t *nwritten)
{
	size_t errors = 0;
	for (size_t i = 0; i < l->nprograms; i++) {
		char name[128];
		lesson_export_name(l, i, name, sizeof name);
		size_t plen = strlen(outdir) + strlen(name) + 8;
		char *path = malloc(plen);
		if (!path) {
			lesson_diags_add(diags, LESSON_ERROR, l->path, 0,
			                 "out of memory while writing the "
			                 "programs");
			return errors + 1;
		}
		snprintf(path, plen, "%s/%s.rs", outdir, name);
		FILE *f = fopen(path, "w");
		int bad = !f || lesson_export_write(l, i, f) != 0;
		int saved = errno;
		if (f && fclose(f) != 0 && !bad) {
			bad = 1;
			saved = errno;
		}
		if (bad) {
			lesson_diags_add(diags, LESSON_ERROR, l->path,
			                 l->programs[i].line,
			                 "cannot write this program to %s: %s",
			                 path, strerror(saved));
			errors++;
		} else {
			(*nwritten)++;
		}
		free(path);
	}
	return errors;
}

size_t
lesson_export_course(const char *dir, const char *outdir, lesson_diags *diags,
                     size_t *nwritten)
{
	size_t before = diags->nerrors;
	lesson_course *c = lesson_course_open(dir, diags);
	if (!c)
		return diags->nerrors - before + (diags->nerrors == before);
	if (c->nlessons == 0) {
		lesson_diags_add(diags, LESSON_ERROR, dir, 0,
		                 "there are no lessons here (lesson files are "
		                 "named like 01-threads.md)");
	}
	for (size_t i = 0; i < c->nlessons; i++) {
		lesson *l = lesson_course_load(c, i, diags);
		if (!l)
			continue;
		lesson_export_lesson(l, outdir, diags, nwritten);
		lesson_free(l);
	}
	lesson_course_free(c);
	return diags->nerrors - before;
}
