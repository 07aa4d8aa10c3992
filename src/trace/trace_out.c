#include "config.h"

#include "trace/trace_out.h"

#include <stdarg.h>
#include <stdlib.h>

void
trace_out_flush(trace_out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->out) != o->len)
		o->err = 1;
	o->len = 0;
}

void
trace_out_fmt(trace_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		trace_out_raw(o, buf,
		              (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

int
trace_out_grow(void **buf, size_t *cap, size_t i, size_t elem)
{
	if (i < *cap)
		return 0;
	size_t ncap = *cap ? *cap : 64;
	while (ncap <= i) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	char *p = realloc(*buf, ncap * elem);
	if (p == NULL)
		return -1;
	memset(p + *cap * elem, 0, (ncap - *cap) * elem);
	*buf = p;
	*cap = ncap;
	return 0;
}
