#include "config.h"

#include "lang/lang_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lang_diags_init(lang_diags *d)
{
	memset(d, 0, sizeof *d);
}

void
lang_diags_free(lang_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].message);
		free(d->items[i].hint);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

int
lang_diags_add(lang_diags *d, lang_severity sev, lang_pos pos, const char *hint,
               const char *fmt, ...)
{
	if (sev == LANG_ERROR && lang_diags_full(d))
		return 0;
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		lang_diag *items = realloc(d->items, cap * sizeof *items);
		if (!items)
			return 0;
		d->items = items;
		d->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = malloc((size_t)(n < 0 ? 0 : n) + 1);
	if (!msg)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	lang_diag *g = &d->items[d->len++];
	g->severity = sev;
	g->pos = pos;
	g->message = msg;
	g->hint = hint ? strdup(hint) : NULL;
	if (sev == LANG_ERROR)
		d->nerrors++;
	return 1;
}
