#include "config.h"

#include "sim/sim_value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sim_obj_free_fn sim_value_free_future;
sim_obj_free_fn sim_value_free_future_fields;
sim_obj_free_fn sim_value_free_thread;
size_t sim_value_bytes;
size_t sim_value_limit;
int sim_value_over;

int
sim_value_over_limit(size_t more)
{
	if (sim_value_limit &&
	    (more > sim_value_limit || sim_value_bytes > sim_value_limit - more)) {
		sim_value_over = 1;
		return 1;
	}
	return 0;
}

/* Small blocks come from free lists per 16-byte size class, carved from
 * big chunks: a million futures then cost their own size, without
 * malloc's per-block overhead. Chunks are kept for reuse by later runs. */
enum { POOL_CLASSES = 16, POOL_CHUNK = 1 << 20 };

typedef struct pool_block {
	struct pool_block *next;
} pool_block;

static pool_block *pool_free[POOL_CLASSES];
static char *pool_chunk;
static size_t pool_left;
static void **pool_chunks;
static size_t pool_nchunks, pool_capchunks;

void *
sim_mem_alloc(size_t size)
{
	if (size == 0 || size > 16 * POOL_CLASSES)
		return calloc(1, size ? size : 1);
	size_t cls = (size + 15) / 16 - 1, bytes = (cls + 1) * 16;
	pool_block *b = pool_free[cls];
	if (b) {
		pool_free[cls] = b->next;
		memset(b, 0, bytes);
		return b;
	}
	if (pool_left < bytes) {
		if (pool_nchunks == pool_capchunks) {
			size_t cap = pool_capchunks ? pool_capchunks * 2 : 16;
			void **c = realloc(pool_chunks, cap * sizeof *c);
			if (!c)
				return NULL;
			pool_chunks = c;
			pool_capchunks = cap;
		}
		char *chunk = malloc(POOL_CHUNK);
		if (!chunk)
			return NULL;
		pool_chunks[pool_nchunks++] = chunk;
		pool_chunk = chunk;
		pool_left = POOL_CHUNK;
	}
	void *r = pool_chunk;
	pool_chunk += bytes;
	pool_left -= bytes;
	memset(r, 0, bytes);
	return r;
}

void
sim_mem_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size == 0 || size > 16 * POOL_CLASSES) {
		free(p);
		return;
	}
	size_t cls = (size + 15) / 16 - 1;
	pool_block *b = p;
	b->next = pool_free[cls];
	pool_free[cls] = b;
}

void *
sim_obj_alloc(sim_tag tag, size_t size)
{
	if (sim_value_over_limit(size))
		return NULL;
	sim_obj *o = sim_mem_alloc(size);
	if (!o)
		return NULL;
	o->rc = 1;
	o->tag = (uint8_t)tag;
	sim_value_bytes += size;
	return o;
}

sim_value
sim_oom_value(void)
{
	sim_value v = {0};
	v.tag = SIM_TAG_COUNT;
	return v;
}

static void
obj_free(sim_obj *o, size_t size)
{
	sim_value_bytes -= size < sim_value_bytes ? size : sim_value_bytes;
	sim_mem_free(o, size);
}

/* Releasing a value releases what it holds, and a chain of values nested a
 * million deep (v = vec![v] in a loop) must not recurse a million times in
 * C. While one release is under way, objects whose last reference goes
 * wait on this stack, in the order the recursion would have freed them: a
 * value's children go on top, first child uppermost; a future also leaves
 * an entry below them that frees it once they are gone. */
typedef struct release_item {
	sim_obj *o;
	int finish; /* the future itself, after its fields */
} release_item;

static release_item *release_stack;
static size_t release_len, release_cap;
static int releasing;

static void release_one(sim_obj *o);

static int
release_push(sim_obj *o, int finish)
{
	if (release_len == release_cap) {
		size_t cap = release_cap ? release_cap * 2 : 256;
		release_item *st = realloc(release_stack, cap * sizeof *st);
		if (!st)
			return -1;
		release_stack = st;
		release_cap = cap;
	}
	release_stack[release_len++] = (release_item){o, finish};
	return 0;
}

void
sim_obj_release(sim_obj *o)
{
	if (releasing) {
		if (release_push(o, 0) < 0) {
			/* No room to wait: release it now (recursing). */
			release_one(o);
			if (o->tag == SIM_FUTURE && sim_value_free_future)
				sim_value_free_future(o);
		}
		return;
	}
	releasing = 1;
	release_item it = {o, 0};
	for (;;) {
		if (it.finish) {
			if (sim_value_free_future)
				sim_value_free_future(it.o);
		} else {
			if (it.o->tag == SIM_FUTURE &&
			    release_push(it.o, 1) < 0 && sim_value_free_future) {
				release_one(it.o);
				sim_value_free_future(it.o);
				goto next;
			}
			size_t base = release_len;
			release_one(it.o);
			for (size_t i = base, j = release_len; i + 1 < j;
			     i++, j--) {
				release_item t = release_stack[i];
				release_stack[i] = release_stack[j - 1];
				release_stack[j - 1] = t;
			}
		}
	next:
		if (!release_len)
			break;
		it = release_stack[--release_len];
	}
	releasing = 0;
	if (release_cap > 4096) {
		free(release_stack);
		release_stack = NULL;
		release_cap = 0;
	}
}

static void
release_one(sim_obj *o)
{
	switch ((sim_tag)o->tag) {
	case SIM_STR:
		obj_free(o, sizeof(sim_str) + ((sim_str *)o)->len + 1);
		break;
	case SIM_VEC: {
		sim_vec *v = (sim_vec *)o;
		for (uint32_t i = 0; i < v->len; i++)
			sim_value_unref(v->items[i]);
		sim_value_bytes -= (size_t)v->cap * sizeof(sim_value);
		free(v->items);
		obj_free(o, sizeof *v);
		break;
	}
	case SIM_TUPLE: {
		sim_tuple *t = (sim_tuple *)o;
		for (uint32_t i = 0; i < t->len; i++)
			sim_value_unref(t->items[i]);
		obj_free(o, sizeof *t + t->len * sizeof(sim_value));
		break;
	}
	case SIM_CLOSURE: {
		sim_closure *c = (sim_closure *)o;
		for (uint32_t i = 0; i < c->ncaptures; i++)
			sim_value_unref(c->captures[i]);
		obj_free(o, sizeof *c + c->ncaptures * sizeof(sim_value));
		break;
	}
	case SIM_ENUM:
		sim_value_unref(((sim_enum *)o)->payload);
		obj_free(o, sizeof(sim_enum));
		break;
	case SIM_CELL:
		sim_value_unref(((sim_cell *)o)->value);
		obj_free(o, sizeof(sim_cell));
		break;
	case SIM_RANGE:
		sim_value_unref(((sim_range *)o)->start);
		sim_value_unref(((sim_range *)o)->end);
		obj_free(o, sizeof(sim_range));
		break;
	case SIM_ITER:
		if (((sim_iter *)o)->vec) {
			sim_obj *vec = ((sim_iter *)o)->vec;
			if (--vec->rc == 0)
				sim_obj_release(vec);
		}
		obj_free(o, sizeof(sim_iter));
		break;
	case SIM_FUTURE:
		/* Its fields; sim_obj_release frees the future after them. */
		if (sim_value_free_future_fields)
			sim_value_free_future_fields(o);
		break;
	case SIM_THREAD:
		if (sim_value_free_thread)
			sim_value_free_thread(o);
		break;
	default:
		break;
	}
}

sim_value
sim_str_new(const char *s, size_t len)
{
	sim_str *str = sim_obj_alloc(SIM_STR, sizeof *str + len + 1);
	if (!str)
		return sim_oom_value();
	str->len = len;
	if (len)
		memcpy(str->data, s, len);
	str->data[len] = 0;
	return sim_obj_value(SIM_STR, str);
}

sim_value
sim_vec_new(uint32_t cap)
{
	sim_vec *v = sim_obj_alloc(SIM_VEC, sizeof *v);
	if (!v)
		return sim_oom_value();
	if (cap) {
		if (!sim_value_over_limit(cap * sizeof(sim_value)))
			v->items = malloc(cap * sizeof(sim_value));
		if (!v->items) {
			obj_free(&v->h, sizeof *v);
			return sim_oom_value();
		}
		v->cap = cap;
		sim_value_bytes += cap * sizeof(sim_value);
	}
	return sim_obj_value(SIM_VEC, v);
}

int
sim_vec_push(sim_vec *vec, sim_value v)
{
	if (vec->len == vec->cap) {
		uint64_t cap = vec->cap ? (uint64_t)vec->cap * 2 : 4;
		if (cap > UINT32_MAX ||
		    sim_value_over_limit((cap - vec->cap) * sizeof(sim_value)))
			return -1;
		sim_value *items = realloc(vec->items, cap * sizeof *items);
		if (!items)
			return -1;
		sim_value_bytes += (cap - vec->cap) * sizeof *items;
		vec->items = items;
		vec->cap = (uint32_t)cap;
	}
	vec->items[vec->len++] = v;
	return 0;
}

sim_value
sim_tuple_new(uint32_t len)
{
	sim_tuple *t =
		sim_obj_alloc(SIM_TUPLE, sizeof *t + len * sizeof(sim_value));
	if (!t)
		return sim_oom_value();
	t->len = len;
	return sim_obj_value(SIM_TUPLE, t);
}

sim_value
sim_enum_new(sim_variant variant, sim_value payload)
{
	if (sim_value_oom(payload))
		return payload;
	sim_enum *e = sim_obj_alloc(SIM_ENUM, sizeof *e);
	if (!e) {
		sim_value_unref(payload);
		return sim_oom_value();
	}
	e->h.aux = (uint16_t)variant;
	e->payload = payload;
	return sim_obj_value(SIM_ENUM, e);
}

int sim_value_too_deep;
static unsigned value_depth;

/* Enters one level of a value for the recursive walks below (equality,
 * clone, Debug); 0 past SIM_VALUE_NEST_MAX, with sim_value_too_deep set. */
static int
depth_enter(void)
{
	if (value_depth >= SIM_VALUE_NEST_MAX) {
		sim_value_too_deep = 1;
		return 0;
	}
	value_depth++;
	return 1;
}

static sim_value value_clone_at(sim_value v);

sim_value
sim_value_clone(sim_value v)
{
	if (!depth_enter())
		return sim_oom_value();
	sim_value r = value_clone_at(v);
	value_depth--;
	return r;
}

static sim_value
value_clone_at(sim_value v)
{
	switch (v.tag) {
	case SIM_STR: {
		sim_str *s = (sim_str *)v.as.o;
		return sim_str_new(s->data, s->len);
	}
	case SIM_VEC: {
		sim_vec *src = (sim_vec *)v.as.o;
		sim_value out = sim_vec_new(src->len);
		if (sim_value_oom(out))
			return out;
		sim_vec *dst = (sim_vec *)out.as.o;
		for (uint32_t i = 0; i < src->len; i++) {
			sim_value c = sim_value_clone(src->items[i]);
			if (sim_value_oom(c)) {
				sim_value_unref(out);
				return c;
			}
			dst->items[dst->len++] = c;
		}
		return out;
	}
	case SIM_TUPLE: {
		sim_tuple *src = (sim_tuple *)v.as.o;
		sim_value out = sim_tuple_new(src->len);
		if (sim_value_oom(out))
			return out;
		sim_tuple *dst = (sim_tuple *)out.as.o;
		for (uint32_t i = 0; i < src->len; i++) {
			sim_value c = sim_value_clone(src->items[i]);
			if (sim_value_oom(c)) {
				/* The items not cloned yet are zero: units. */
				sim_value_unref(out);
				return c;
			}
			dst->items[i] = c;
		}
		return out;
	}
	case SIM_ENUM: {
		sim_enum *e = (sim_enum *)v.as.o;
		return sim_enum_new((sim_variant)e->h.aux,
		                    sim_value_clone(e->payload));
	}
	default:
		sim_value_ref(v);
		return v;
	}
}

static int
int_equal(sim_value a, sim_value b)
{
	int as = lang_itype_signed(a.itype), bs = lang_itype_signed(b.itype);
	if (as == bs)
		return a.as.u == b.as.u;
	/* Mixed signedness only happens with untyped literals; compare the
	 * mathematical values. */
	int64_t s = as ? a.as.i : b.as.i;
	uint64_t u = as ? b.as.u : a.as.u;
	return s >= 0 && (uint64_t)s == u;
}

static int value_equal_at(sim_value a, sim_value b);

int
sim_value_equal(sim_value a, sim_value b)
{
	if (!depth_enter())
		return 0;
	int r = value_equal_at(a, b);
	value_depth--;
	return r;
}

static int
value_equal_at(sim_value a, sim_value b)
{
	if (a.tag != b.tag)
		return 0;
	switch (a.tag) {
	case SIM_UNIT:
		return 1;
	case SIM_BOOL:
	case SIM_CHAR:
	case SIM_DURATION:
	case SIM_INSTANT:
	case SIM_FUNC:
		return a.as.u == b.as.u;
	case SIM_INT:
		return int_equal(a, b);
	case SIM_FLOAT:
		return a.as.f == b.as.f;
	case SIM_STR: {
		sim_str *x = (sim_str *)a.as.o, *y = (sim_str *)b.as.o;
		return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
	}
	case SIM_VEC: {
		sim_vec *x = (sim_vec *)a.as.o, *y = (sim_vec *)b.as.o;
		if (x->len != y->len)
			return 0;
		for (uint32_t i = 0; i < x->len; i++)
			if (!sim_value_equal(x->items[i], y->items[i]))
				return 0;
		return 1;
	}
	case SIM_TUPLE: {
		sim_tuple *x = (sim_tuple *)a.as.o, *y = (sim_tuple *)b.as.o;
		if (x->len != y->len)
			return 0;
		for (uint32_t i = 0; i < x->len; i++)
			if (!sim_value_equal(x->items[i], y->items[i]))
				return 0;
		return 1;
	}
	case SIM_ENUM: {
		sim_enum *x = (sim_enum *)a.as.o, *y = (sim_enum *)b.as.o;
		return x->h.aux == y->h.aux &&
		       (x->h.aux == SIM_NONE ||
		        sim_value_equal(x->payload, y->payload));
	}
	default:
		return a.as.o == b.as.o;
	}
}

/* --- buffers --- */

static int
buf_reserve(sim_buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (b->budgeted && sim_value_over_limit(cap)) {
		b->oom = 1;
		return -1;
	}
	char *s = realloc(b->s, cap);
	if (!s) {
		b->oom = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

void
sim_buf_put(sim_buf *b, const char *s, size_t len)
{
	if (buf_reserve(b, len) < 0)
		return;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = 0;
}

void
sim_buf_putc(sim_buf *b, char c)
{
	sim_buf_put(b, &c, 1);
}

void
sim_buf_printf(sim_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sim_buf_free(sim_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* --- padding --- */

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void put_utf8(sim_buf *b, uint32_t c);

static void
put_fill(sim_buf *b, uint32_t fill, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_utf8(b, fill);
}

void
sim_fmt_pad(sim_buf *out, const char *s, size_t len, const lang_fmt_piece *p,
            int numeric)
{
	size_t chars = utf8_chars(s, len);
	size_t width = p->width > 0 ? (size_t)p->width : 0;
	if (chars >= width) {
		sim_buf_put(out, s, len);
	} else if (p->zero && numeric) {
		/* Zero padding goes after the sign and the 0x prefix. */
		size_t skip = len && (s[0] == '-' || s[0] == '+') ? 1 : 0;
		if (p->alternate && p->radix && p->radix != 'e')
			skip += 2;
		if (skip > len)
			skip = len;
		sim_buf_put(out, s, skip);
		put_fill(out, '0', width - chars);
		sim_buf_put(out, s + skip, len - skip);
	} else {
		size_t pad = width - chars;
		int align = p->align ? p->align : (numeric ? '>' : '<');
		size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0;
		put_fill(out, p->fill ? p->fill : ' ', left);
		sim_buf_put(out, s, len);
		put_fill(out, p->fill ? p->fill : ' ', pad - left);
	}
}

/* --- numbers --- */

/* Shortest decimal digits that read back as f (like Rust's Grisu/Ryu
 * output), as a digit string and a decimal exponent: value = 0.DIGITS *
 * 10^exp10. */
static void
f64_shortest(double f, char *digits, int *ndigits, int *exp10)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f || prec == 17)
			break;
	}
	/* tmp is "d.ddde[+-]xx" */
	int n = 0;
	const char *p = tmp;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	int e = atoi(p + 1);
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = 0;
	*ndigits = n;
	*exp10 = e + 1;
}

void
sim_fmt_f64(sim_buf *b, double f, int precision, int debug)
{
	if (isnan(f)) {
		sim_buf_put(b, "NaN", 3);
		return;
	}
	if (isinf(f)) {
		sim_buf_put(b, f < 0 ? "-inf" : "inf", f < 0 ? 4 : 3);
		return;
	}
	if (precision >= 0) {
		sim_buf_printf(b, "%.*f", precision > 1000 ? 1000 : precision, f);
		return;
	}
	if (signbit(f))
		sim_buf_putc(b, '-');
	f = fabs(f);
	if (f == 0) {
		sim_buf_put(b, debug ? "0.0" : "0", debug ? 3 : 1);
		return;
	}
	char digits[40];
	int n, e;
	f64_shortest(f, digits, &n, &e);
	if (debug && (f < 1e-4 || f >= 1e16)) {
		/* Debug switches to scientific notation: 1e16, 1.5e-7. */
		sim_buf_putc(b, digits[0]);
		if (n > 1) {
			sim_buf_putc(b, '.');
			sim_buf_put(b, digits + 1, (size_t)n - 1);
		}
		sim_buf_printf(b, "e%d", e - 1);
		return;
	}
	if (e <= 0) {
		sim_buf_put(b, "0.", 2);
		for (int i = 0; i < -e; i++)
			sim_buf_putc(b, '0');
		sim_buf_put(b, digits, (size_t)n);
	} else if (e >= n) {
		sim_buf_put(b, digits, (size_t)n);
		for (int i = n; i < e; i++)
			sim_buf_putc(b, '0');
		if (debug)
			sim_buf_put(b, ".0", 2);
	} else {
		sim_buf_put(b, digits, (size_t)e);
		sim_buf_putc(b, '.');
		sim_buf_put(b, digits + e, (size_t)(n - e));
	}
}

/* Duration's Debug output, following the standard library's algorithm:
 * an integer part, up to nine fractional digits with trailing zeros
 * dropped (or exactly `precision`, rounded half to even), and a unit. */
static void
fmt_decimal(sim_buf *b, uint64_t integer, uint64_t frac, uint64_t divisor,
            int precision, const char *suffix)
{
	char buf[9];
	memset(buf, '0', sizeof buf);
	int end = precision >= 0 ? (precision < 9 ? precision : 9) : 9;
	int pos = 0;
	while (frac > 0 && pos < end) {
		buf[pos] = (char)('0' + frac / divisor);
		frac %= divisor;
		divisor /= 10;
		pos++;
	}
	/* Round half to even, as the standard library does (checked against
	 * Rust 1.95). */
	int last_odd = pos > 0 ? (buf[pos - 1] - '0') & 1 : (int)(integer & 1);
	if (frac > 0 &&
	    (frac > divisor * 5 || (frac == divisor * 5 && last_odd))) {
		int carry = 1;
		for (int i = pos - 1; i >= 0 && carry; i--) {
			if (buf[i] == '9') {
				buf[i] = '0';
			} else {
				buf[i]++;
				carry = 0;
			}
		}
		if (carry)
			integer++;
	}
	int shown = precision >= 0 ? (precision < 9 ? precision : 9) : pos;
	sim_buf_printf(b, "%llu", (unsigned long long)integer);
	if (shown > 0) {
		sim_buf_putc(b, '.');
		sim_buf_put(b, buf, (size_t)shown);
		for (int i = 9; i < precision; i++)
			sim_buf_putc(b, '0');
	}
	sim_buf_put(b, suffix, strlen(suffix));
}

void
sim_fmt_duration(sim_buf *b, uint64_t ns, int precision)
{
	uint64_t secs = ns / 1000000000u, nanos = ns % 1000000000u;
	if (secs > 0)
		fmt_decimal(b, secs, nanos, 100000000u, precision, "s");
	else if (nanos >= 1000000u)
		fmt_decimal(b, nanos / 1000000u, nanos % 1000000u, 100000u,
		            precision, "ms");
	else if (nanos >= 1000u)
		fmt_decimal(b, nanos / 1000u, nanos % 1000u, 100u, precision,
		            "\xc2\xb5s");
	else
		fmt_decimal(b, nanos, 0, 1, precision, "ns");
}

static void
fmt_int(sim_buf *b, sim_value v)
{
	if (lang_itype_signed(v.itype))
		sim_buf_printf(b, "%lld", (long long)v.as.i);
	else
		sim_buf_printf(b, "%llu", (unsigned long long)v.as.u);
}

static void
put_utf8(sim_buf *b, uint32_t c)
{
	char s[4];
	size_t n;
	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	sim_buf_put(b, s, n);
}

/* Rust's char::escape_debug for the characters our strings can hold. */
static void
debug_char(sim_buf *b, uint32_t c, char quote)
{
	switch (c) {
	case '\n': sim_buf_put(b, "\\n", 2); return;
	case '\r': sim_buf_put(b, "\\r", 2); return;
	case '\t': sim_buf_put(b, "\\t", 2); return;
	case '\\': sim_buf_put(b, "\\\\", 2); return;
	case 0: sim_buf_put(b, "\\0", 2); return;
	default: break;
	}
	if (c == (uint32_t)quote) {
		sim_buf_putc(b, '\\');
		sim_buf_putc(b, quote);
		return;
	}
	if (c < 0x20 || c == 0x7f) {
		sim_buf_printf(b, "\\u{%x}", c);
		return;
	}
	put_utf8(b, c);
}

static void
debug_str(sim_buf *b, const char *s, size_t len)
{
	sim_buf_putc(b, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			debug_char(b, c, '"');
			i++;
		} else {
			/* Multi-byte characters are printable as they are. */
			size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (i + n > len)
				n = len - i;
			sim_buf_put(b, s + i, n);
			i += n;
		}
	}
	sim_buf_putc(b, '"');
}

static void
newline_indent(sim_buf *b, int indent)
{
	sim_buf_putc(b, '\n');
	for (int i = 0; i < indent; i++)
		sim_buf_put(b, "    ", 4);
}

static void
debug_list(sim_buf *b, const sim_value *items, uint32_t n, const char *open,
           const char *close, const lang_fmt_piece *spec, int indent)
{
	int pretty = spec && spec->alternate;
	sim_buf_put(b, open, 1);
	for (uint32_t i = 0; i < n; i++) {
		if (pretty)
			newline_indent(b, indent + 1);
		sim_value_debug(b, items[i], spec, indent + 1);
		if (pretty)
			sim_buf_putc(b, ',');
		else if (i + 1 < n)
			sim_buf_put(b, ", ", 2);
	}
	/* A one-element tuple shows its comma: (1,) */
	if (!pretty && n == 1 && open[0] == '(')
		sim_buf_putc(b, ',');
	if (pretty && n)
		newline_indent(b, indent);
	sim_buf_put(b, close, 1);
}

static const char *const variant_names[] = {"Ok", "Err", "Some", "None"};

void
sim_value_display(sim_buf *b, sim_value v, int precision)
{
	switch (v.tag) {
	case SIM_BOOL:
		sim_buf_put(b, v.as.i ? "true" : "false", v.as.i ? 4 : 5);
		return;
	case SIM_INT:
		fmt_int(b, v);
		return;
	case SIM_FLOAT:
		sim_fmt_f64(b, v.as.f, precision, 0);
		return;
	case SIM_CHAR:
		put_utf8(b, (uint32_t)v.as.u);
		return;
	case SIM_STR: {
		sim_str *s = (sim_str *)v.as.o;
		sim_buf_put(b, s->data, s->len);
		return;
	}
	default: {
		/* Types without Display are rejected by rustc; we show Debug
		 * rather than nothing. */
		lang_fmt_piece p = {0};
		p.width = -1;
		p.precision = precision;
		sim_value_debug(b, v, &p, 0);
		return;
	}
	}
}

/* Leaves take the formatter's width, fill, alignment and precision, as
 * Rust's Debug impls pass the Formatter down to each element; strings and
 * chars ignore the width, as str's Debug does. */
static void
debug_leaf(sim_buf *b, sim_value v, const lang_fmt_piece *spec)
{
	int precision = spec ? spec->precision : -1;
	if (!spec || spec->width < 0 || v.tag == SIM_STR || v.tag == SIM_CHAR) {
		sim_value_debug(b, v, NULL, 0);
		return;
	}
	(void)precision;
	sim_buf tmp = {0};
	lang_fmt_piece leaf = *spec;
	leaf.width = -1;
	sim_value_debug(&tmp, v, &leaf, 0);
	sim_fmt_pad(b, tmp.s ? tmp.s : "", tmp.len, spec,
	            v.tag == SIM_INT || v.tag == SIM_FLOAT);
	sim_buf_free(&tmp);
}

static void value_debug_at(sim_buf *b, sim_value v,
                           const lang_fmt_piece *spec, int indent);

void
sim_value_debug(sim_buf *b, sim_value v, const lang_fmt_piece *spec,
                int indent)
{
	if (!depth_enter()) {
		sim_buf_put(b, "\xe2\x80\xa6", 3);
		return;
	}
	value_debug_at(b, v, spec, indent);
	value_depth--;
}

static void
value_debug_at(sim_buf *b, sim_value v, const lang_fmt_piece *spec,
               int indent)
{
	int precision = spec ? spec->precision : -1;
	int pretty = spec && spec->alternate;
	if (spec && spec->width >= 0 &&
	    (v.tag == SIM_UNIT || v.tag == SIM_BOOL || v.tag == SIM_INT ||
	     v.tag == SIM_FLOAT || v.tag == SIM_DURATION)) {
		debug_leaf(b, v, spec);
		return;
	}
	switch (v.tag) {
	case SIM_UNIT:
		sim_buf_put(b, "()", 2);
		return;
	case SIM_FLOAT:
		sim_fmt_f64(b, v.as.f, precision, 1);
		return;
	case SIM_CHAR:
		sim_buf_putc(b, '\'');
		debug_char(b, (uint32_t)v.as.u, '\'');
		sim_buf_putc(b, '\'');
		return;
	case SIM_STR: {
		sim_str *s = (sim_str *)v.as.o;
		/* Flag 1 marks text that stands for a value whose Debug output
		 * it already is (a panic payload, a JoinError). */
		if (s->h.flags & 1)
			sim_buf_put(b, s->data, s->len);
		else
			debug_str(b, s->data, s->len);
		return;
	}
	case SIM_DURATION:
		sim_fmt_duration(b, v.as.u, precision);
		return;
	case SIM_INSTANT:
		sim_buf_printf(b, "Instant { t: %llu.%09llus }",
		               (unsigned long long)(v.as.u / 1000000000u),
		               (unsigned long long)(v.as.u % 1000000000u));
		return;
	case SIM_VEC: {
		sim_vec *vec = (sim_vec *)v.as.o;
		debug_list(b, vec->items, vec->len, "[", "]", spec, indent);
		return;
	}
	case SIM_TUPLE: {
		sim_tuple *t = (sim_tuple *)v.as.o;
		debug_list(b, t->items, t->len, "(", ")", spec, indent);
		return;
	}
	case SIM_ENUM: {
		sim_enum *e = (sim_enum *)v.as.o;
		sim_buf_put(b, variant_names[e->h.aux],
		            strlen(variant_names[e->h.aux]));
		if (e->h.aux == SIM_NONE)
			return;
		sim_buf_putc(b, '(');
		if (pretty)
			newline_indent(b, indent + 1);
		sim_value_debug(b, e->payload, spec, indent + 1);
		if (pretty) {
			sim_buf_putc(b, ',');
			newline_indent(b, indent);
		}
		sim_buf_putc(b, ')');
		return;
	}
	case SIM_RANGE: {
		sim_range *r = (sim_range *)v.as.o;
		if (r->h.flags & LANG_RANGE_START)
			sim_value_debug(b, r->start, NULL, 0);
		sim_buf_put(b, r->h.flags & LANG_RANGE_INCLUSIVE ? "..=" : "..",
		            r->h.flags & LANG_RANGE_INCLUSIVE ? 3 : 2);
		if (r->h.flags & LANG_RANGE_END)
			sim_value_debug(b, r->end, NULL, 0);
		return;
	}
	case SIM_CLOSURE:
	case SIM_FUNC:
		sim_buf_put(b, "{closure}", 9);
		return;
	case SIM_CELL:
		sim_value_debug(b, ((sim_cell *)v.as.o)->value, spec, indent);
		return;
	case SIM_FUTURE:
		sim_buf_put(b, "{future}", 8);
		return;
	case SIM_THREAD:
		sim_buf_put(b, "JoinHandle { .. }", 17);
		return;
	case SIM_ITER:
		sim_buf_put(b, "Iter { .. }", 11);
		return;
	default:
		sim_value_display(b, v, precision);
		return;
	}
}

static void value_debug_short_at(sim_buf *b, sim_value v, size_t max);

static void
short_list(sim_buf *b, const sim_value *items, uint32_t n, const char *open,
           const char *close, size_t max)
{
	size_t start = b->len;
	sim_buf_put(b, open, 1);
	for (uint32_t i = 0; i < n; i++) {
		if (b->len - start >= max) {
			sim_buf_printf(b, "\xe2\x80\xa6 (%u items)", n);
			break;
		}
		if (i)
			sim_buf_put(b, ", ", 2);
		size_t used = b->len - start;
		value_debug_short_at(b, items[i], max > used ? max - used : 1);
	}
	sim_buf_put(b, close, 1);
}

void
sim_value_debug_short(sim_buf *b, sim_value v, size_t max)
{
	/* For the views: a value too deep to show in full is cut short,
	 * and that must not stop the run as the program's own Debug does. */
	int saved = sim_value_too_deep;
	value_debug_short_at(b, v, max);
	sim_value_too_deep = saved;
}

static void
value_debug_short_at(sim_buf *b, sim_value v, size_t max)
{
	size_t start = b->len;
	switch (v.tag) {
	case SIM_VEC:
		short_list(b, ((sim_vec *)v.as.o)->items, ((sim_vec *)v.as.o)->len,
		           "[", "]", max);
		return;
	case SIM_TUPLE:
		short_list(b, ((sim_tuple *)v.as.o)->items,
		           ((sim_tuple *)v.as.o)->len, "(", ")", max);
		return;
	default:
		sim_value_debug(b, v, NULL, 0);
		if (b->len - start > max + 8 && v.tag == SIM_STR) {
			b->len = start + max;
			/* do not cut a UTF-8 sequence in half */
			while (b->len > start &&
			       ((unsigned char)b->s[b->len] & 0xc0) == 0x80)
				b->len--;
			b->s[b->len] = 0;
			sim_buf_put(b, "\xe2\x80\xa6\"", 4);
		}
		return;
	}
}

const char *
sim_value_type_name(sim_value v)
{
	switch (v.tag) {
	case SIM_UNIT: return "()";
	case SIM_BOOL: return "bool";
	case SIM_INT:
		return v.itype == LANG_IT_INFER ? "integer"
		                                : lang_itype_name(v.itype);
	case SIM_FLOAT: return "f64";
	case SIM_CHAR: return "char";
	case SIM_DURATION: return "Duration";
	case SIM_INSTANT: return "Instant";
	case SIM_FUNC: return "fn item";
	case SIM_STR: return "String";
	case SIM_VEC: return "Vec";
	case SIM_TUPLE: return "tuple";
	case SIM_CLOSURE: return "closure";
	case SIM_FUTURE: return "future";
	case SIM_THREAD: return "JoinHandle";
	case SIM_RANGE: return "Range";
	case SIM_ITER: return "iterator";
	case SIM_CELL: return sim_value_type_name(((sim_cell *)v.as.o)->value);
	case SIM_ENUM: {
		static const char *const n[] = {"Result", "Result", "Option",
		                                "Option"};
		return n[v.as.o->aux & 3];
	}
	default: return "value";
	}
}
