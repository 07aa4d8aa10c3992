#include "config.h"

#include "lesson/lesson_course.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
lesson_entry_cmp(const void *a, const void *b)
{
	const lesson_entry *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->file, y->file);
}

void
lesson_course_free(lesson_course *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nlessons; i++) {
		free(c->lessons[i].path);
		free(c->lessons[i].file);
		free(c->lessons[i].id);
	}
	free(c->lessons);
	free(c->dir);
	free(c);
}

static int
lesson_course_add(lesson_course *c, size_t *cap, const char *dir,
		  const char *name, unsigned number, char *id)
{
	if (c->nlessons == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		lesson_entry *n = realloc(c->lessons, ncap * sizeof *n);
		if (!n)
			return -1;
		c->lessons = n;
		*cap = ncap;
	}
	lesson_entry *e = &c->lessons[c->nlessons];
	size_t need = strlen(dir) + strlen(name) + 2;
	e->path = malloc(need);
	e->file = strdup(name);
	if (!e->path || !e->file) {
		free(e->path);
		free(e->file);
		return -1;
	}
	snprintf(e->path, need, "%s%s%s", dir,
		 *dir && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	e->id = id;
	e->number = number;
	c->nlessons++;
	return 0;
}

lesson_course *
lesson_course_open(const char *dir, lesson_diags *diags)
{
	DIR *d = opendir(dir);
	if (!d) {
		lesson_diags_add(diags, LESSON_ERROR, dir, 0,
				 "cannot read the course directory: %s",
				 strerror(errno));
		return NULL;
	}
	lesson_course *c = calloc(1, sizeof *c);
	size_t cap = 0;
	int failed = !c || !(c->dir = strdup(dir));
	struct dirent *de;
	while (!failed && (de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		size_t len = strlen(name);
		if (name[0] == '.' || len < 3 || strcmp(name + len - 3, ".md") != 0)
			continue;
		unsigned number;
		char *id = NULL;
		if (lesson_file_name_parse(name, &number, &id) != 0) {
			if (strcmp(name, "README.md") != 0)
				lesson_diags_add(
					diags, LESSON_WARNING, dir, 0,
					"'%s' is not read as a lesson: a "
					"lesson's file name is a number, a "
					"dash, an id and .md, such as "
					"'02-await-in-loop.md'",
					name);
			continue;
		}
		if (lesson_course_add(c, &cap, dir, name, number, id) != 0) {
			free(id);
			failed = 1;
		}
	}
	closedir(d);
	if (failed) {
		lesson_diags_add(diags, LESSON_ERROR, dir, 0,
				 "out of memory reading the course directory");
		lesson_course_free(c);
		return NULL;
	}
	if (c->nlessons > 1)
		qsort(c->lessons, c->nlessons, sizeof *c->lessons,
		      lesson_entry_cmp);
	int clash = 0;
	for (size_t i = 1; i < c->nlessons; i++) {
		if (c->lessons[i].number == c->lessons[i - 1].number) {
			lesson_diags_add(diags, LESSON_ERROR, c->lessons[i].path,
					 0,
					 "two lessons have the number %u (%s "
					 "and %s); give each its own, so that "
					 "their order is clear",
					 c->lessons[i].number,
					 c->lessons[i - 1].file,
					 c->lessons[i].file);
			clash = 1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->lessons[i].id, c->lessons[j].id) == 0) {
				lesson_diags_add(
					diags, LESSON_ERROR, c->lessons[i].path,
					0,
					"two lessons have the id '%s' (%s and "
					"%s); a learner's progress is kept "
					"under it, so each needs its own",
					c->lessons[i].id, c->lessons[j].file,
					c->lessons[i].file);
				clash = 1;
			}
	}
	if (clash) {
		lesson_course_free(c);
		return NULL;
	}
	return c;
}

lesson *
lesson_course_load(const lesson_course *c, size_t i, lesson_diags *diags)
{
	if (i >= c->nlessons)
		return NULL;
	return lesson_load(c->lessons[i].path, diags);
}

int
lesson_course_find(const lesson_course *c, const char *id)
{
	for (size_t i = 0; i < c->nlessons; i++)
		if (strcmp(c->lessons[i].id, id) == 0)
			return (int)i;
	return -1;
}
