#include "config.h"

#include "lesson/lesson_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lesson_diags_init(lesson_diags *d)
{
	memset(d, 0, sizeof *d);
}

void
lesson_diags_free(lesson_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	lesson_diags_init(d);
}

static int
lesson_diags_push(lesson_diags *d, const lesson_diag *item)
{
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		lesson_diag *n = realloc(d->items, cap * sizeof *n);
		if (!n)
			return -1;
		d->items = n;
		d->cap = cap;
	}
	d->items[d->len++] = *item;
	if (item->severity == LESSON_ERROR)
		d->nerrors++;
	return 0;
}

int
lesson_diags_add(lesson_diags *d, lesson_severity sev, const char *file,
		 uint32_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	lesson_diag item = {sev, NULL, line, NULL};
	item.file = strdup(file ? file : "");
	item.message = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (item.message) {
		va_start(ap, fmt);
		vsnprintf(item.message, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (!item.file || !item.message || lesson_diags_push(d, &item) != 0) {
		free(item.file);
		free(item.message);
		d->no_memory = 1;
		/* An error that could not be recorded still counts, so a
		 * caller never takes a broken lesson for a sound one. */
		if (sev == LESSON_ERROR)
			d->nerrors++;
		return -1;
	}
	return 0;
}

int
lesson_diags_move(lesson_diags *to, lesson_diags *from)
{
	int rc = 0;
	size_t recorded = 0;
	for (size_t i = 0; i < from->len; i++) {
		int err = from->items[i].severity == LESSON_ERROR;
		recorded += err;
		if (lesson_diags_push(to, &from->items[i]) != 0) {
			free(from->items[i].file);
			free(from->items[i].message);
			to->no_memory = 1;
			to->nerrors += err; /* lost, but still counted */
			rc = -1;
		}
	}
	to->no_memory |= from->no_memory;
	/* Errors `from` could not record were counted there only. */
	if (from->nerrors > recorded)
		to->nerrors += from->nerrors - recorded;
	free(from->items);
	lesson_diags_init(from);
	return rc;
}

void
lesson_diags_sort(lesson_diags *d, size_t from)
{
	/* Insertion sort: stable, and the lists are short. */
	for (size_t i = from + 1; i < d->len; i++) {
		lesson_diag item = d->items[i];
		size_t j = i;
		while (j > from && d->items[j - 1].line > item.line) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = item;
	}
}

size_t
lesson_diag_format(const lesson_diag *d, char *buf, size_t size)
{
	const char *sev = d->severity == LESSON_ERROR ? "error" : "warning";
	int n;
	if (d->line > 0)
		n = snprintf(buf, size, "%s:%u: %s: %s", d->file,
			     (unsigned)d->line, sev, d->message);
	else
		n = snprintf(buf, size, "%s: %s: %s", d->file, sev,
			     d->message);
	return n < 0 ? 0 : (size_t)n;
}
