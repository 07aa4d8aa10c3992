#include "config.h"

#include "sim/sim_lib.h"
#include "sim/sim_vm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* Builtins borrow their arguments and return a new value in *out. One that
 * blocks the thread returns SIM_STEP_BLOCK and is called again, with the
 * same arguments, once the thread runs again. */
typedef sim_step (*builtin_fn)(sim_exec *ex, sim_thread *th, sim_value *args,
                               uint32_t nargs, sim_value *out);

static sim_step
need_int(sim_exec *ex, sim_thread *th, sim_value v, const char *what)
{
	if (v.tag != SIM_INT)
		return sim_type_error(ex, th, "%s needs an integer, found `%s`",
		                      what, sim_value_type_name(v));
	if (lang_itype_signed(v.itype) && v.as.i < 0)
		return sim_type_error(ex, th, "%s needs an unsigned integer, "
		                              "found %lld",
		                      what, (long long)v.as.i);
	return SIM_STEP_OK;
}

static sim_step
duration_from(sim_exec *ex, sim_thread *th, sim_value v, uint64_t unit,
              const char *what, sim_value *out)
{
	sim_step s = need_int(ex, th, v, what);
	if (s != SIM_STEP_OK)
		return s;
	uint64_t ns;
	if (__builtin_mul_overflow(v.as.u, unit, &ns)) {
		/* Longer than the nanosecond clock can count: enough to
		 * sleep on forever, nothing else (sim_duration_forever). */
		*out = sim_duration_forever();
		return SIM_STEP_OK;
	}
	*out = sim_duration(ns);
	return SIM_STEP_OK;
}

static sim_step
b_from_secs(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
            sim_value *out)
{
	return duration_from(ex, th, a[0], 1000000000u, "Duration::from_secs",
	                     out);
}

static sim_step
b_from_millis(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	return duration_from(ex, th, a[0], 1000000u, "Duration::from_millis",
	                     out);
}

static sim_step
b_from_micros(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	return duration_from(ex, th, a[0], 1000u, "Duration::from_micros", out);
}

static sim_step
b_from_nanos(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
             sim_value *out)
{
	return duration_from(ex, th, a[0], 1u, "Duration::from_nanos", out);
}

static sim_step
b_from_secs_f64(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
                sim_value *out)
{
	double d;
	if (a[0].tag == SIM_FLOAT)
		d = a[0].as.f;
	else if (a[0].tag == SIM_INT && a[0].itype == LANG_IT_INFER)
		d = (double)a[0].as.i;
	else
		return sim_type_error(ex, th, "Duration::from_secs_f64 needs an "
		                              "f64, found `%s`",
		                      sim_value_type_name(a[0]));
	if (d < 0 || d != d)
		return sim_panic(ex, th, sim_current_pos(th),
		                 "cannot convert float seconds to Duration: "
		                 "value is negative");
	if (d >= 18446744073.0)
		return sim_panic(ex, th, sim_current_pos(th),
		                 "cannot convert float seconds to Duration: "
		                 "value is either too big or NaN");
	*out = sim_duration((uint64_t)llround(d * 1e9));
	return SIM_STEP_OK;
}

static sim_step
b_instant_now(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	sim_value v = sim_unit();
	v.tag = SIM_INSTANT;
	v.as.u = th->time;
	*out = v;
	return SIM_STEP_OK;
}

static sim_step
b_thread_spawn(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
               sim_value *out)
{
	return sim_thread_spawn(ex, th, a[0], out);
}

static sim_step
b_thread_sleep(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
               sim_value *out)
{
	if (a[0].tag != SIM_DURATION)
		return sim_type_error(ex, th, "thread::sleep needs a Duration, "
		                              "found `%s`",
		                      sim_value_type_name(a[0]));
	*out = sim_unit();
	return sim_thread_sleep(ex, th, a[0].as.u);
}

static sim_step
b_tokio_sleep(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	if (a[0].tag != SIM_DURATION)
		return sim_type_error(ex, th, "tokio::time::sleep needs a "
		                              "Duration, found `%s`",
		                      sim_value_type_name(a[0]));
	if (!sim_in_runtime(ex, th))
		return sim_panic(ex, th, sim_current_pos(th),
		                 "there is no reactor running, must be called "
		                 "from the context of a Tokio 1.x runtime");
	*out = sim_make_sleep(ex, th, a[0].as.u);
	return ex->finished ? SIM_STEP_STOP : SIM_STEP_OK;
}

static sim_step
b_tokio_spawn(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	return sim_tokio_spawn(ex, th, a[0], out);
}

static sim_step
b_yield_now(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
            sim_value *out)
{
	*out = sim_make_yield(ex, th);
	return ex->finished ? SIM_STEP_STOP : SIM_STEP_OK;
}

/* The items an iterator has left, as a new Vec. */
static sim_value
iter_collect(sim_iter *it)
{
	sim_value out = sim_vec_new(0);
	if (sim_value_oom(out) || it->done)
		return out;
	sim_vec *v = (sim_vec *)out.as.o;
	if (it->h.aux == SIM_ITER_VEC) {
		sim_vec *src = (sim_vec *)it->vec;
		for (uint32_t i = (uint32_t)it->next; i < src->len; i++) {
			sim_value_ref(src->items[i]);
			if (sim_vec_push(v, src->items[i]) < 0) {
				sim_value_unref(src->items[i]);
				sim_value_unref(out);
				return sim_oom_value();
			}
		}
		return out;
	}
	for (int64_t i = it->next;; i++) {
		if (sim_vec_push(v, sim_int(it->h.aux == SIM_ITER_RANGE
		                                    ? i
		                                    : it->last - (i - it->next),
		                            (lang_itype)it->itype)) < 0) {
			sim_value_unref(out);
			return sim_oom_value();
		}
		if (i - it->next == it->last - it->next)
			break;
	}
	return out;
}

static sim_step
b_join_all(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
           sim_value *out)
{
	sim_value vec = a[0];
	int owned = 0;
	if (vec.tag == SIM_ITER) {
		vec = iter_collect((sim_iter *)vec.as.o);
		owned = 1;
		if (sim_value_oom(vec))
			return sim_stop(ex, 1, "--max-memory",
			                "the program ran out of memory");
	}
	if (vec.tag != SIM_VEC)
		return sim_type_error(ex, th, "join_all needs a Vec of futures, "
		                              "found `%s`",
		                      sim_value_type_name(vec));
	*out = sim_make_join_all(ex, th, vec);
	if (owned)
		sim_value_unref(vec);
	return ex->finished ? SIM_STEP_STOP : SIM_STEP_OK;
}

static sim_step
b_vec_new(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
          sim_value *out)
{
	*out = sim_vec_new(0);
	return SIM_STEP_OK;
}

static sim_step
b_vec_with_capacity(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
                    sim_value *out)
{
	sim_step s = need_int(ex, th, a[0], "Vec::with_capacity");
	if (s != SIM_STEP_OK)
		return s;
	/* The capacity is a hint; a huge one must not allocate up front. */
	uint64_t cap = a[0].as.u < 4096 ? a[0].as.u : 4096;
	*out = sim_vec_new((uint32_t)cap);
	return SIM_STEP_OK;
}

static sim_step
b_string_from(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
              sim_value *out)
{
	if (a[0].tag != SIM_STR)
		return sim_type_error(ex, th, "String::from needs a string, found "
		                              "`%s`",
		                      sim_value_type_name(a[0]));
	sim_value_ref(a[0]);
	*out = a[0];
	return SIM_STEP_OK;
}

static sim_step
b_string_new(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n,
             sim_value *out)
{
	*out = sim_str_new("", 0);
	return SIM_STEP_OK;
}

static sim_step
make_variant(sim_variant variant, sim_value *a, sim_value *out)
{
	sim_value p = variant == SIM_NONE ? sim_unit() : a[0];
	sim_value_ref(p);
	*out = sim_enum_new(variant, p);
	return SIM_STEP_OK;
}

static sim_step
b_ok(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n, sim_value *out)
{
	return make_variant(SIM_OK, a, out);
}

static sim_step
b_err(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n, sim_value *out)
{
	return make_variant(SIM_ERR, a, out);
}

static sim_step
b_some(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n, sim_value *out)
{
	return make_variant(SIM_SOME, a, out);
}

static sim_step
b_none(sim_exec *ex, sim_thread *th, sim_value *a, uint32_t n, sim_value *out)
{
	return make_variant(SIM_NONE, a, out);
}

static const builtin_fn builtins[LANG_B_COUNT] = {
	[LANG_B_DURATION_FROM_SECS] = b_from_secs,
	[LANG_B_DURATION_FROM_MILLIS] = b_from_millis,
	[LANG_B_DURATION_FROM_MICROS] = b_from_micros,
	[LANG_B_DURATION_FROM_NANOS] = b_from_nanos,
	[LANG_B_DURATION_FROM_SECS_F64] = b_from_secs_f64,
	[LANG_B_INSTANT_NOW] = b_instant_now,
	[LANG_B_THREAD_SPAWN] = b_thread_spawn,
	[LANG_B_THREAD_SLEEP] = b_thread_sleep,
	[LANG_B_TOKIO_SLEEP] = b_tokio_sleep,
	[LANG_B_TOKIO_SPAWN] = b_tokio_spawn,
	[LANG_B_TOKIO_YIELD_NOW] = b_yield_now,
	[LANG_B_JOIN_ALL] = b_join_all,
	[LANG_B_VEC_NEW] = b_vec_new,
	[LANG_B_VEC_WITH_CAPACITY] = b_vec_with_capacity,
	[LANG_B_STRING_FROM] = b_string_from,
	[LANG_B_STRING_NEW] = b_string_new,
	[LANG_B_OK] = b_ok,
	[LANG_B_ERR] = b_err,
	[LANG_B_SOME] = b_some,
	[LANG_B_NONE] = b_none,
};

sim_step
sim_lib_builtin(sim_exec *ex, sim_thread *th, lang_builtin b, sim_value *args,
                uint32_t nargs, sim_value *out)
{
	if (b >= LANG_B_COUNT || !builtins[b])
		return sim_type_error(ex, th, "unknown builtin");
	return builtins[b](ex, th, args, nargs, out);
}

/* ------------------------------------------------------------------ */
/* Methods: r[0] is the receiver, r[1..] the arguments                 */
/* ------------------------------------------------------------------ */

typedef sim_step (*method_fn)(sim_exec *ex, sim_thread *th, sim_value *r,
                              uint32_t nargs, sim_value *out);

static sim_step
no_method(sim_exec *ex, sim_thread *th, const char *name, sim_value recv)
{
	return sim_type_error(ex, th, "no method named `%s` found for `%s`",
	                      name, sim_value_type_name(recv));
}

#define RECV_IS(tag_) (r[0].tag == (tag_))
#define VEC(v) ((sim_vec *)(v).as.o)
#define STR(v) ((sim_str *)(v).as.o)
#define ENUM(v) ((sim_enum *)(v).as.o)

static sim_step
m_len(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (RECV_IS(SIM_VEC))
		*out = sim_int(VEC(r[0])->len, LANG_IT_USIZE);
	else if (RECV_IS(SIM_STR))
		*out = sim_int((int64_t)STR(r[0])->len, LANG_IT_USIZE);
	else
		return no_method(ex, th, "len", r[0]);
	return SIM_STEP_OK;
}

static sim_step
m_is_empty(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
           sim_value *out)
{
	if (RECV_IS(SIM_VEC))
		*out = sim_bool(VEC(r[0])->len == 0);
	else if (RECV_IS(SIM_STR))
		*out = sim_bool(STR(r[0])->len == 0);
	else
		return no_method(ex, th, "is_empty", r[0]);
	return SIM_STEP_OK;
}

static sim_step
m_push(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (!RECV_IS(SIM_VEC))
		return no_method(ex, th, "push", r[0]);
	if (sim_value_bytes > ex->opt.max_memory_bytes)
		return sim_stop(ex, 1, "--max-memory",
		                "the program used more than %llu MiB of memory",
		                (unsigned long long)(ex->opt.max_memory_bytes >> 20));
	sim_value_ref(r[1]);
	if (sim_vec_push(VEC(r[0]), r[1]) < 0) {
		sim_value_unref(r[1]);
		return sim_stop(ex, 1, "--max-memory",
		                "the program ran out of memory");
	}
	*out = sim_unit();
	return SIM_STEP_OK;
}

static sim_step
m_pop(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (!RECV_IS(SIM_VEC))
		return no_method(ex, th, "pop", r[0]);
	sim_vec *v = VEC(r[0]);
	if (v->len == 0)
		*out = sim_enum_new(SIM_NONE, sim_unit());
	else
		*out = sim_enum_new(SIM_SOME, v->items[--v->len]);
	return SIM_STEP_OK;
}

static sim_step
m_iter(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (!RECV_IS(SIM_VEC) && !RECV_IS(SIM_RANGE) && !RECV_IS(SIM_ITER))
		return no_method(ex, th, "iter", r[0]);
	/* Iterating is lazy here as in Rust: the for loop's OP_ITER turns a
	 * Vec or a range into an iterator. */
	sim_value_ref(r[0]);
	*out = r[0];
	return SIM_STEP_OK;
}

static sim_step
m_rev(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	sim_iter *it = sim_obj_alloc(SIM_ITER, sizeof *it);
	if (!it)
		return sim_stop(ex, 1, "--max-memory",
		                "the program ran out of memory");
	if (RECV_IS(SIM_RANGE)) {
		sim_range *rg = (sim_range *)r[0].as.o;
		if ((rg->h.flags & (LANG_RANGE_START | LANG_RANGE_END)) !=
		            (LANG_RANGE_START | LANG_RANGE_END) ||
		    rg->start.tag != SIM_INT || rg->end.tag != SIM_INT) {
			sim_mem_free(it, sizeof *it);
			return sim_type_error(ex, th, "`.rev()` needs a range with "
			                              "a start and an end");
		}
		it->h.aux = SIM_ITER_RANGE_REV;
		it->itype = rg->start.itype;
		it->next = rg->start.as.i;
		int signed_ = lang_itype_signed(it->itype);
		if (rg->h.flags & LANG_RANGE_INCLUSIVE) {
			it->last = rg->end.as.i;
		} else if (!signed_ && rg->end.as.u == 0) {
			it->done = 1;
		} else {
			it->last = rg->end.as.i - 1;
		}
		if (!it->done &&
		    (signed_ ? it->next > it->last
		             : (uint64_t)it->next > (uint64_t)it->last))
			it->done = 1;
		*out = sim_obj_value(SIM_ITER, it);
		return SIM_STEP_OK;
	}
	if (RECV_IS(SIM_VEC) || (RECV_IS(SIM_ITER) &&
	                         r[0].as.o->aux == SIM_ITER_VEC)) {
		/* A reversed copy of the Vec's items (sharing them). */
		sim_value src = r[0];
		sim_value items = RECV_IS(SIM_VEC) ? (sim_value_ref(src), src)
		                                   : iter_collect((sim_iter *)src.as.o);
		if (sim_value_oom(items)) {
			sim_mem_free(it, sizeof *it);
			return sim_stop(ex, 1, "--max-memory",
			                "the program ran out of memory");
		}
		sim_value rev = sim_vec_new(VEC(items)->len);
		if (sim_value_oom(rev)) {
			sim_mem_free(it, sizeof *it);
			sim_value_unref(items);
			return sim_stop(ex, 1, "--max-memory",
			                "the program ran out of memory");
		}
		sim_vec *dst = VEC(rev), *sv = VEC(items);
		for (uint32_t i = sv->len; i-- > 0;) {
			sim_value_ref(sv->items[i]);
			dst->items[dst->len++] = sv->items[i];
		}
		sim_value_unref(items);
		it->h.aux = SIM_ITER_VEC;
		it->vec = rev.as.o;
		*out = sim_obj_value(SIM_ITER, it);
		return SIM_STEP_OK;
	}
	if (RECV_IS(SIM_ITER)) {
		sim_iter *src = (sim_iter *)r[0].as.o;
		*it = *src;
		it->h.rc = 1;
		it->h.aux = src->h.aux == SIM_ITER_RANGE ? SIM_ITER_RANGE_REV
		                                          : SIM_ITER_RANGE;
		*out = sim_obj_value(SIM_ITER, it);
		return SIM_STEP_OK;
	}
	sim_mem_free(it, sizeof *it);
	return no_method(ex, th, "rev", r[0]);
}

static sim_step
unwrap_common(sim_exec *ex, sim_thread *th, sim_value *r, const char *expect,
              sim_value *out)
{
	if (!RECV_IS(SIM_ENUM))
		return no_method(ex, th, expect ? "expect" : "unwrap", r[0]);
	sim_enum *e = ENUM(r[0]);
	if (e->h.aux == SIM_OK || e->h.aux == SIM_SOME) {
		sim_value_ref(e->payload);
		*out = e->payload;
		return SIM_STEP_OK;
	}
	lang_pos pos = sim_current_pos(th);
	if (e->h.aux == SIM_NONE) {
		if (expect)
			return sim_panic(ex, th, pos, "%s", expect);
		return sim_panic(ex, th, pos,
		                 "called `Option::unwrap()` on a `None` value");
	}
	sim_buf b = {0};
	sim_value_debug(&b, e->payload, NULL, 0);
	sim_step s;
	if (expect)
		s = sim_panic(ex, th, pos, "%s: %s", expect, b.s ? b.s : "");
	else
		s = sim_panic(ex, th, pos,
		              "called `Result::unwrap()` on an `Err` value: %s",
		              b.s ? b.s : "");
	sim_buf_free(&b);
	return s;
}

static sim_step
m_unwrap(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
         sim_value *out)
{
	return unwrap_common(ex, th, r, NULL, out);
}

static sim_step
m_expect(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
         sim_value *out)
{
	if (r[1].tag != SIM_STR)
		return sim_type_error(ex, th, "expect needs a message string");
	return unwrap_common(ex, th, r, STR(r[1])->data, out);
}

static sim_step
m_unwrap_or(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
            sim_value *out)
{
	if (!RECV_IS(SIM_ENUM))
		return no_method(ex, th, "unwrap_or", r[0]);
	sim_enum *e = ENUM(r[0]);
	sim_value v = (e->h.aux == SIM_OK || e->h.aux == SIM_SOME) ? e->payload
	                                                           : r[1];
	sim_value_ref(v);
	*out = v;
	return SIM_STEP_OK;
}

static sim_step
variant_is(sim_exec *ex, sim_thread *th, sim_value *r, sim_variant want,
           const char *name, sim_value *out)
{
	if (!RECV_IS(SIM_ENUM))
		return no_method(ex, th, name, r[0]);
	*out = sim_bool(ENUM(r[0])->h.aux == want);
	return SIM_STEP_OK;
}

static sim_step
m_is_ok(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	return variant_is(ex, th, r, SIM_OK, "is_ok", out);
}

static sim_step
m_is_err(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
         sim_value *out)
{
	return variant_is(ex, th, r, SIM_ERR, "is_err", out);
}

static sim_step
m_is_some(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
          sim_value *out)
{
	return variant_is(ex, th, r, SIM_SOME, "is_some", out);
}

static sim_step
m_is_none(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
          sim_value *out)
{
	return variant_is(ex, th, r, SIM_NONE, "is_none", out);
}

static sim_step
m_join(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (RECV_IS(SIM_THREAD))
		return sim_thread_join(ex, th,
		                       ((sim_thread_handle *)r[0].as.o)->thread,
		                       out);
	if (RECV_IS(SIM_VEC) && n == 1 && r[1].tag == SIM_STR) {
		sim_vec *v = VEC(r[0]);
		sim_buf b = {0};
		for (uint32_t i = 0; i < v->len; i++) {
			if (i)
				sim_buf_put(&b, STR(r[1])->data, STR(r[1])->len);
			sim_value_display(&b, v->items[i], -1);
		}
		*out = sim_str_new(b.s ? b.s : "", b.len);
		sim_buf_free(&b);
		return SIM_STEP_OK;
	}
	return no_method(ex, th, "join", r[0]);
}

static sim_step
duration_method(sim_exec *ex, sim_thread *th, sim_value *r, const char *name,
                uint64_t unit, lang_itype t, sim_value *out)
{
	if (!RECV_IS(SIM_DURATION))
		return no_method(ex, th, name, r[0]);
	if (sim_duration_check(ex, th, r[0]) != SIM_STEP_OK)
		return SIM_STEP_STOP;
	*out = sim_int((int64_t)(r[0].as.u / unit), t);
	return SIM_STEP_OK;
}

static sim_step
m_as_secs_f64(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
              sim_value *out)
{
	if (!RECV_IS(SIM_DURATION))
		return no_method(ex, th, "as_secs_f64", r[0]);
	if (sim_duration_check(ex, th, r[0]) != SIM_STEP_OK)
		return SIM_STEP_STOP;
	uint64_t ns = r[0].as.u;
	*out = sim_float((double)(ns / 1000000000u) +
	                 (double)(ns % 1000000000u) / 1e9);
	return SIM_STEP_OK;
}

static sim_step
m_as_secs(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
          sim_value *out)
{
	return duration_method(ex, th, r, "as_secs", 1000000000u, LANG_IT_U64,
	                       out);
}

static sim_step
m_as_millis(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
            sim_value *out)
{
	return duration_method(ex, th, r, "as_millis", 1000000u, LANG_IT_U128,
	                       out);
}

static sim_step
m_as_micros(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
            sim_value *out)
{
	return duration_method(ex, th, r, "as_micros", 1000u, LANG_IT_U128, out);
}

static sim_step
m_as_nanos(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
           sim_value *out)
{
	return duration_method(ex, th, r, "as_nanos", 1u, LANG_IT_U128, out);
}

static sim_step
m_elapsed(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
          sim_value *out)
{
	if (!RECV_IS(SIM_INSTANT))
		return no_method(ex, th, "elapsed", r[0]);
	*out = sim_duration(th->time > r[0].as.u ? th->time - r[0].as.u : 0);
	return SIM_STEP_OK;
}

static sim_step
m_duration_since(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
                 sim_value *out)
{
	if (!RECV_IS(SIM_INSTANT) || r[1].tag != SIM_INSTANT)
		return no_method(ex, th, "duration_since", r[0]);
	*out = sim_duration(r[0].as.u > r[1].as.u ? r[0].as.u - r[1].as.u : 0);
	return SIM_STEP_OK;
}

static sim_step
m_to_string(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
            sim_value *out)
{
	sim_buf b = {0};
	sim_value_display(&b, r[0], -1);
	*out = sim_str_new(b.s ? b.s : "", b.len);
	sim_buf_free(&b);
	return SIM_STEP_OK;
}

static sim_step
m_clone(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
        sim_value *out)
{
	*out = sim_value_clone(r[0]);
	return SIM_STEP_OK;
}

static sim_step
m_pow(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (RECV_IS(SIM_FLOAT) || r[1].tag != SIM_INT || !RECV_IS(SIM_INT))
		return no_method(ex, th, "pow", r[0]);
	sim_value acc = sim_int(1, (lang_itype)r[0].itype);
	uint64_t e = r[1].as.u;
	int is_signed = lang_itype_signed(r[0].itype);
	for (uint64_t i = 0; i < e; i++) {
		int ovf;
		if (is_signed) {
			int64_t v;
			ovf = __builtin_mul_overflow(acc.as.i, r[0].as.i, &v);
			acc.as.i = v;
		} else {
			uint64_t v;
			ovf = __builtin_mul_overflow(acc.as.u, r[0].as.u, &v);
			acc.as.u = v;
		}
		static const uint8_t bits[LANG_IT_COUNT] = {
			[LANG_IT_I8] = 8, [LANG_IT_I16] = 16, [LANG_IT_I32] = 32,
			[LANG_IT_U8] = 8, [LANG_IT_U16] = 16, [LANG_IT_U32] = 32,
		};
		int w = bits[r[0].itype];
		if (!ovf && w) {
			if (is_signed)
				ovf = acc.as.i >= (INT64_C(1) << (w - 1)) ||
				      acc.as.i < -(INT64_C(1) << (w - 1));
			else
				ovf = acc.as.u >= (UINT64_C(1) << w);
		}
		if (ovf)
			return sim_panic(ex, th, sim_current_pos(th),
			                 "attempt to multiply with overflow");
		if (acc.as.u == 0 || (acc.as.u == 1 && !is_signed))
			break;
	}
	*out = acc;
	return SIM_STEP_OK;
}

static sim_step
m_abs(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (RECV_IS(SIM_FLOAT)) {
		*out = sim_float(fabs(r[0].as.f));
		return SIM_STEP_OK;
	}
	if (!RECV_IS(SIM_INT))
		return no_method(ex, th, "abs", r[0]);
	*out = r[0];
	if (lang_itype_signed(r[0].itype) && r[0].as.i < 0) {
		if (r[0].as.i == INT64_MIN)
			return sim_panic(ex, th, sim_current_pos(th),
			                 "attempt to negate with overflow");
		out->as.i = -r[0].as.i;
	}
	return SIM_STEP_OK;
}

static sim_step
min_max(sim_exec *ex, sim_thread *th, sim_value *r, int want_max,
        sim_value *out)
{
	sim_value a = r[0], b = r[1];
	int less;
	if (a.tag == SIM_FLOAT && b.tag == SIM_FLOAT)
		less = a.as.f < b.as.f;
	else if (a.tag == SIM_INT && b.tag == SIM_INT)
		less = lang_itype_signed(a.itype) ? a.as.i < b.as.i
		                                  : a.as.u < b.as.u;
	else if (a.tag == b.tag &&
	         (a.tag == SIM_DURATION || a.tag == SIM_INSTANT))
		less = a.as.u < b.as.u;
	else
		return no_method(ex, th, want_max ? "max" : "min", a);
	sim_value v = (less == want_max) ? b : a;
	if (v.tag == SIM_INT && v.itype == LANG_IT_INFER)
		v.itype = a.itype == LANG_IT_INFER ? b.itype : a.itype;
	*out = v;
	return SIM_STEP_OK;
}

static sim_step
m_min(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	return min_max(ex, th, r, 0, out);
}

static sim_step
m_max(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	return min_max(ex, th, r, 1, out);
}

static sim_step
m_contains(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
           sim_value *out)
{
	if (RECV_IS(SIM_VEC)) {
		sim_vec *v = VEC(r[0]);
		int found = 0;
		for (uint32_t i = 0; i < v->len && !found; i++) {
			sim_value x = v->items[i], y = r[1];
			if (x.tag == SIM_INT && y.tag == SIM_INT)
				found = x.as.u == y.as.u;
			else
				found = sim_value_equal(x, y);
		}
		*out = sim_bool(found);
		return SIM_STEP_OK;
	}
	if (RECV_IS(SIM_STR) && r[1].tag == SIM_STR) {
		sim_str *h = STR(r[0]), *nd = STR(r[1]);
		*out = sim_bool(nd->len == 0 ||
		                (nd->len <= h->len &&
		                 memmem(h->data, h->len, nd->data, nd->len)));
		return SIM_STEP_OK;
	}
	if (RECV_IS(SIM_RANGE) && r[1].tag == SIM_INT) {
		sim_range *rg = (sim_range *)r[0].as.o;
		int64_t x = r[1].as.i;
		int ok = 1;
		if (rg->h.flags & LANG_RANGE_START)
			ok = ok && x >= rg->start.as.i;
		if (rg->h.flags & LANG_RANGE_END)
			ok = ok && ((rg->h.flags & LANG_RANGE_INCLUSIVE)
			                    ? x <= rg->end.as.i
			                    : x < rg->end.as.i);
		*out = sim_bool(ok);
		return SIM_STEP_OK;
	}
	return no_method(ex, th, "contains", r[0]);
}

static sim_step
m_sqrt(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n, sim_value *out)
{
	if (!RECV_IS(SIM_FLOAT))
		return no_method(ex, th, "sqrt", r[0]);
	*out = sim_float(sqrt(r[0].as.f));
	return SIM_STEP_OK;
}

static sim_step
m_clear(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
        sim_value *out)
{
	if (!RECV_IS(SIM_VEC))
		return no_method(ex, th, "clear", r[0]);
	sim_vec *v = VEC(r[0]);
	while (v->len)
		sim_value_unref(v->items[--v->len]);
	*out = sim_unit();
	return SIM_STEP_OK;
}

static sim_step
m_try_failed(sim_exec *ex, sim_thread *th, sim_value *r, uint32_t n,
             sim_value *out)
{
	if (!RECV_IS(SIM_ENUM))
		return sim_type_error(ex, th, "the `?` operator needs a Result or "
		                              "an Option, found `%s`",
		                      sim_value_type_name(r[0]));
	uint16_t v = ENUM(r[0])->h.aux;
	*out = sim_bool(v == SIM_ERR || v == SIM_NONE);
	return SIM_STEP_OK;
}

static const struct {
	method_fn fn;
	int nargs;
} methods[LANG_M_COUNT] = {
	[LANG_M_LEN] = {m_len, 0},
	[LANG_M_IS_EMPTY] = {m_is_empty, 0},
	[LANG_M_PUSH] = {m_push, 1},
	[LANG_M_POP] = {m_pop, 0},
	[LANG_M_ITER] = {m_iter, 0},
	[LANG_M_INTO_ITER] = {m_iter, 0},
	[LANG_M_REV] = {m_rev, 0},
	[LANG_M_UNWRAP] = {m_unwrap, 0},
	[LANG_M_EXPECT] = {m_expect, 1},
	[LANG_M_UNWRAP_OR] = {m_unwrap_or, 1},
	[LANG_M_IS_OK] = {m_is_ok, 0},
	[LANG_M_IS_ERR] = {m_is_err, 0},
	[LANG_M_IS_SOME] = {m_is_some, 0},
	[LANG_M_IS_NONE] = {m_is_none, 0},
	[LANG_M_JOIN] = {m_join, -1},
	[LANG_M_AS_SECS_F64] = {m_as_secs_f64, 0},
	[LANG_M_AS_SECS] = {m_as_secs, 0},
	[LANG_M_AS_MILLIS] = {m_as_millis, 0},
	[LANG_M_AS_MICROS] = {m_as_micros, 0},
	[LANG_M_AS_NANOS] = {m_as_nanos, 0},
	[LANG_M_ELAPSED] = {m_elapsed, 0},
	[LANG_M_DURATION_SINCE] = {m_duration_since, 1},
	[LANG_M_TO_STRING] = {m_to_string, 0},
	[LANG_M_CLONE] = {m_clone, 0},
	[LANG_M_POW] = {m_pow, 1},
	[LANG_M_ABS] = {m_abs, 0},
	[LANG_M_MIN] = {m_min, 1},
	[LANG_M_MAX] = {m_max, 1},
	[LANG_M_CONTAINS] = {m_contains, 1},
	[LANG_M_SQRT] = {m_sqrt, 0},
	[LANG_M_CLEAR] = {m_clear, 0},
	[LANG_M_TRY_FAILED] = {m_try_failed, 0},
};

int
sim_lib_method_arity(lang_method m)
{
	return m < LANG_M_COUNT ? methods[m].nargs : -1;
}

sim_step
sim_lib_method(sim_exec *ex, sim_thread *th, lang_method m, sim_value *r,
               uint32_t nargs, sim_value *out)
{
	if (m >= LANG_M_COUNT || !methods[m].fn)
		return sim_type_error(ex, th, "unknown method");
	if (methods[m].nargs >= 0 && (uint32_t)methods[m].nargs != nargs)
		return sim_type_error(ex, th, "`%s` takes %d argument%s but %u "
		                              "were given",
		                      lang_method_names[m], methods[m].nargs,
		                      methods[m].nargs == 1 ? "" : "s", nargs);
	return methods[m].fn(ex, th, r, nargs, out);
}
