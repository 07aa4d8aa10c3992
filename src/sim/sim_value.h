/* sim_value — the values a simulated program computes with.
 *
 * Contract: a sim_value is 16 bytes: a tag, an integer type, and either an
 * immediate (bool, integer, float, char, Duration, Instant, function index)
 * or a pointer to a reference-counted heap object (strings, Vecs, tuples,
 * closures, futures, thread handles, ranges, iterators, Ok/Err/Some/None).
 * Copying a value into a new place takes a reference (sim_value_ref);
 * forgetting one drops it (sim_value_unref). Vec has reference semantics:
 * that is how `&mut v` passed to a function can push into the caller's Vec;
 * `.clone()` makes a deep copy. Futures are objects too, but their contents
 * belong to the executor (sim_vm.h): dropping the last reference to a future
 * calls back into it.
 *
 * Allocation failures are reported as NULL objects: callers turn them into
 * the memory budget error.
 */
#ifndef ASYNC_TUTORIAL_SIM_SIM_VALUE_H
#define ASYNC_TUTORIAL_SIM_SIM_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_code.h"

typedef enum sim_tag {
	SIM_UNIT,
	SIM_BOOL,
	SIM_INT,
	SIM_FLOAT,
	SIM_CHAR,
	SIM_DURATION, /* ns */
	SIM_INSTANT,  /* virtual ns */
	SIM_FUNC,     /* index of a lang_func */
	/* heap objects from here on */
	SIM_STR,
	SIM_VEC,
	SIM_TUPLE,
	SIM_CLOSURE,
	SIM_FUTURE,
	SIM_THREAD,
	SIM_RANGE,
	SIM_ITER,
	SIM_ENUM,
	SIM_CELL, /* a variable shared with closures that change it */
	SIM_TAG_COUNT
} sim_tag;

#define sim_tag_is_obj(t) ((t) >= SIM_STR && (t) < SIM_TAG_COUNT)

typedef struct sim_obj {
	uint32_t rc;
	uint8_t tag;
	uint8_t flags;
	uint16_t aux;
} sim_obj;

typedef struct sim_value {
	uint8_t tag;
	uint8_t itype; /* lang_itype for SIM_INT */
	uint16_t aux;
	uint32_t pad;
	union {
		int64_t i;
		uint64_t u;
		double f;
		sim_obj *o;
	} as;
} sim_value;

typedef struct sim_str {
	sim_obj h;
	size_t len;
	char data[];
} sim_str;

typedef struct sim_vec {
	sim_obj h;
	uint32_t len;
	uint32_t cap;
	sim_value *items;
} sim_vec;

typedef struct sim_tuple {
	sim_obj h;
	uint32_t len;
	sim_value items[];
} sim_tuple;

typedef struct sim_closure {
	sim_obj h;
	uint32_t func;
	uint32_t ncaptures;
	sim_value captures[];
} sim_closure;

/* Ok / Err / Some / None. */
typedef enum sim_variant { SIM_OK, SIM_ERR, SIM_SOME, SIM_NONE } sim_variant;

typedef struct sim_enum {
	sim_obj h; /* h.aux: sim_variant */
	sim_value payload;
} sim_enum;

typedef struct sim_cell {
	sim_obj h;
	sim_value value;
} sim_cell;

typedef struct sim_range {
	sim_obj h; /* h.flags: LANG_RANGE_* */
	sim_value start;
	sim_value end;
} sim_range;

typedef enum sim_iter_kind {
	SIM_ITER_RANGE,
	SIM_ITER_RANGE_REV,
	SIM_ITER_VEC
} sim_iter_kind;

typedef struct sim_iter {
	sim_obj h; /* h.aux: sim_iter_kind */
	uint8_t itype;
	int64_t next;  /* ranges: next value; vec: index */
	int64_t last;  /* ranges: last value (inclusive); vec: unused */
	int done;
	sim_obj *vec;  /* SIM_ITER_VEC */
} sim_iter;

/* Where futures' and threads' memory lives is sim_vm.c's business. */
typedef void (*sim_obj_free_fn)(sim_obj *o);
extern sim_obj_free_fn sim_value_free_future;
/* A future's fields (its frame, its children) are released before the
 * future itself (sim_value_free_future), so that its drop comes after
 * theirs, as Rust drops fields. */
extern sim_obj_free_fn sim_value_free_future_fields;
extern sim_obj_free_fn sim_value_free_thread;

/* Memory accounting for the memory budget: bytes currently allocated for
 * program values. Allocations that would take sim_value_bytes past
 * sim_value_limit (0: no limit) fail as if memory ran out, and set
 * sim_value_over, so that one huge value cannot take the machine's memory
 * before the budget is checked; the run sets both when it starts. */
extern size_t sim_value_bytes;
extern size_t sim_value_limit;
extern int sim_value_over;

/* How deep equality, clone and Debug follow a value nested in others
 * (v = vec![v] in a loop): past it they stop, set sim_value_too_deep, and
 * the run stops too (the real program would overflow its stack). */
enum { SIM_VALUE_NEST_MAX = 2048 };
extern int sim_value_too_deep;

/* 1 (and sets sim_value_over) if `more` bytes would go past the limit. */
int
sim_value_over_limit(size_t more);

static inline sim_value
sim_unit(void)
{
	sim_value v = {0};
	v.tag = SIM_UNIT;
	return v;
}

static inline sim_value
sim_bool(int b)
{
	sim_value v = {0};
	v.tag = SIM_BOOL;
	v.as.i = b != 0;
	return v;
}

static inline sim_value
sim_int(int64_t i, lang_itype t)
{
	sim_value v = {0};
	v.tag = SIM_INT;
	v.itype = (uint8_t)t;
	v.as.i = i;
	return v;
}

static inline sim_value
sim_float(double f)
{
	sim_value v = {0};
	v.tag = SIM_FLOAT;
	v.as.f = f;
	return v;
}

static inline sim_value
sim_duration(uint64_t ns)
{
	sim_value v = {0};
	v.tag = SIM_DURATION;
	v.as.u = ns;
	return v;
}

/* A Duration too long for the nanosecond clock (over 584 years), such as
 * Duration::from_secs(u64::MAX): it has aux set and as.u at UINT64_MAX.
 * Sleeping on it sleeps forever, as it does for real; anything else done
 * with it stops the run (see sim_duration_check). */
enum { SIM_DURATION_FOREVER = 1 };

static inline sim_value
sim_duration_forever(void)
{
	sim_value v = sim_duration(UINT64_MAX);
	v.aux = SIM_DURATION_FOREVER;
	return v;
}

static inline int
sim_is_duration_forever(sim_value v)
{
	return v.tag == SIM_DURATION && v.aux == SIM_DURATION_FOREVER;
}

static inline sim_value
sim_obj_value(sim_tag tag, void *o)
{
	sim_value v = {0};
	v.tag = (uint8_t)tag;
	v.as.o = o;
	return v;
}

static inline void
sim_value_ref(sim_value v)
{
	if (sim_tag_is_obj(v.tag))
		v.as.o->rc++;
}

void
sim_obj_release(sim_obj *o);

static inline void
sim_value_unref(sim_value v)
{
	if (sim_tag_is_obj(v.tag) && --v.as.o->rc == 0)
		sim_obj_release(v.as.o);
}

void *
sim_obj_alloc(sim_tag tag, size_t size);

/* Zeroed memory for the simulator's small blocks (objects, frames,
 * futures); free with the same size. */
void *
sim_mem_alloc(size_t size);

void
sim_mem_free(void *p, size_t size);

/* Constructors return a value with one reference, or tag SIM_UNIT with
 * as.o == NULL when memory ran out (check with sim_value_oom). */
sim_value
sim_str_new(const char *s, size_t len);

sim_value
sim_vec_new(uint32_t cap);

/* Appends v (taking over the caller's reference). 0 or -1 (out of memory). */
int
sim_vec_push(sim_vec *vec, sim_value v);

sim_value
sim_tuple_new(uint32_t len);

sim_value
sim_enum_new(sim_variant variant, sim_value payload);

#define sim_value_oom(v) ((v).tag == SIM_TAG_COUNT)

sim_value
sim_oom_value(void);

/* Deep copy for .clone() (strings, Vecs, tuples, Ok/Err; others shared). */
sim_value
sim_value_clone(sim_value v);

/* Equality as Rust's == for the supported types. */
int
sim_value_equal(sim_value a, sim_value b);

/* A growable byte buffer. */
typedef struct sim_buf {
	char *s;
	size_t len;
	size_t cap;
	int oom;
	int budgeted; /* holds a program value: counts against the budget */
} sim_buf;

void
sim_buf_put(sim_buf *b, const char *s, size_t len);

void
sim_buf_putc(sim_buf *b, char c);

void
sim_buf_printf(sim_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void
sim_buf_free(sim_buf *b);

/* Rust's Display ({}) of a value. `precision` is -1 or the {:.N}
 * precision (floats). */
void
sim_value_display(sim_buf *b, sim_value v, int precision);

/* `spec` (NULL for none) carries {:#?} (alternate), the precision, and
 * the width, fill and alignment that Debug applies to each number inside. */
void
sim_value_debug(sim_buf *b, sim_value v, const lang_fmt_piece *spec,
                int indent);

/* Pads s[0..len) to the piece's width with its fill and alignment
 * (numbers align right by default, and {:05} puts zeros after the sign). */
void
sim_fmt_pad(sim_buf *out, const char *s, size_t len, const lang_fmt_piece *p,
            int numeric);

/* Debug output cut to about `max` bytes, the way a debugger shows a
 * value: long Vecs end in "…" and their length. It never formats more than
 * it shows, so showing a local holding a million items stays cheap. */
void
sim_value_debug_short(sim_buf *b, sim_value v, size_t max);

#define SIM_LOCAL_SHOWN_MAX 48

/* Rust's type name of a value, for messages ("Vec", "Duration", ...). */
const char *
sim_value_type_name(sim_value v);

/* f64 formatting as Rust does it: shortest round-trip digits, never an
 * exponent, "inf", "NaN"; with a precision, round half to even. */
void
sim_fmt_f64(sim_buf *b, double f, int precision, int debug);

/* Duration's Debug format: "1.5s", "250ms", "1µs", "0ns". */
void
sim_fmt_duration(sim_buf *b, uint64_t ns, int precision);

#endif
