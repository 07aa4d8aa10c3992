/* trace_out — the buffered text writer behind the trace exports
 * (trace_plain, trace_json).
 *
 * Contract: output is gathered in a 64 KiB buffer and written to the FILE
 * in large pieces: a million-future trace is hundreds of megabytes in
 * small fragments, and a stdio call per fragment (with its locking) cost
 * more than building the text. A write error sets `err` and is never
 * reported twice; the caller checks it once at the end, after
 * trace_out_flush. `col` counts display columns on the current line (one
 * per UTF-8 character), for writers that align columns; the writer resets
 * it at each line end.
 *
 * Also here, for both writers: trace_out_grow, a zero-filled array that
 * grows to make an index valid.
 */
#ifndef ASYNC_TUTORIAL_TRACE_OUT_H
#define ASYNC_TUTORIAL_TRACE_OUT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TRACE_OUT_BUF_SIZE 65536

typedef struct trace_out {
	FILE *out;
	size_t len;
	size_t col;
	int err;
	char buf[TRACE_OUT_BUF_SIZE];
} trace_out;

/* Writes what is buffered. */
void trace_out_flush(trace_out *o);

/* Appends n bytes (any bytes; escaping is the caller's). */
static inline void
trace_out_raw(trace_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			o->col++;
	if (n > TRACE_OUT_BUF_SIZE - o->len) {
		trace_out_flush(o);
		if (n > TRACE_OUT_BUF_SIZE) {
			if (fwrite(s, 1, n, o->out) != n)
				o->err = 1;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void
trace_out_lit(trace_out *o, const char *s)
{
	trace_out_raw(o, s, strlen(s));
}

/* Decimal digits without printf, which dominated the exports' time. */
static inline void
trace_out_u64(trace_out *o, uint64_t v)
{
	char d[20];
	size_t i = sizeof d;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	trace_out_raw(o, d + i, sizeof d - i);
}

/* printf-style, for short formats: anything past 255 bytes is cut. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void trace_out_fmt(trace_out *o, const char *fmt, ...);

/* Makes index i of the zero-filled array *buf (of *cap items of elem
 * bytes) valid, doubling its size; 0, or -1 when memory runs out (the
 * array is then unchanged). */
int trace_out_grow(void **buf, size_t *cap, size_t i, size_t elem);

#endif
