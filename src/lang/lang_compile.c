#include "config.h"

#include "lang/lang_compile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang_ast.h"
#include "lang/lang_code.h"
#include "lang/lang_parse.h"

/* ------------------------------------------------------------------ */
/* Program storage                                                     */
/* ------------------------------------------------------------------ */

/* Strings and tables that live as long as the program. */
typedef struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
} arena_block;

static void *
arena_alloc(lang_program *p, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	arena_block *b = p->arena;
	if (!b || b->used + size > b->cap) {
		size_t cap = size > 65536 ? size : 65536;
		arena_block *nb = malloc(sizeof *nb + cap);
		if (!nb)
			return NULL;
		nb->next = b;
		nb->used = 0;
		nb->cap = cap;
		p->arena = nb;
		b = nb;
	}
	void *r = b->data + b->used;
	b->used += size;
	memset(r, 0, size);
	return r;
}

static char *
arena_strdup(lang_program *p, const char *s)
{
	size_t n = strlen(s);
	char *r = arena_alloc(p, n + 1);
	if (r)
		memcpy(r, s, n + 1);
	return r;
}

void
lang_program_free(lang_program *prog)
{
	if (!prog)
		return;
	for (uint32_t i = 0; i < prog->nfuncs; i++) {
		lang_func *f = &prog->funcs[i];
		free(f->code);
		free(f->pos_of);
		free(f->param_itype);
		free(f->capture_slot);
		for (uint32_t k = 0; k < f->nawaits; k++)
			free(f->awaits[k].live);
		free(f->awaits);
	}
	free(prog->funcs);
	for (uint32_t i = 0; i < prog->nconsts; i++)
		free(prog->consts[i].s);
	free(prog->consts);
	for (uint32_t i = 0; i < prog->nformats; i++)
		free(prog->formats[i].pieces);
	free(prog->formats);
	free(prog->source);
	arena_block *b = prog->arena;
	while (b) {
		arena_block *n = b->next;
		free(b);
		b = n;
	}
	free(prog);
}

/* ------------------------------------------------------------------ */
/* Compiler state                                                      */
/* ------------------------------------------------------------------ */

typedef struct local {
	const char *name;
	uint32_t slot;
	uint32_t depth; /* block depth it was declared at */
	uint8_t mut;
	uint8_t assigned; /* for `let x;` followed by one assignment */
	uint8_t hidden;   /* compiler temporaries */
	uint8_t boxed;    /* lives in a cell shared with closures */
	uint8_t mut_ref;  /* holds a `&mut` reference: can be changed through */
	uint32_t next;    /* the local before it in its name's bucket, + 1 */
} local;

/* Locals are found by name through buckets of a hash of the name, each a
 * list from the latest local (which shadows the ones before it), so that
 * a function of a hundred thousand `let`s compiles in linear time. */
enum { LOCAL_BUCKETS = 1024 };

typedef struct loop_ctx {
	const char *label;
	int is_loop; /* `loop`, which can break with a value */
	uint32_t result_slot;
	uint32_t depth;       /* operand stack depth at entry */
	uint32_t continue_ip; /* target of `continue`; patched for `for` */
	uint32_t *breaks;
	uint32_t nbreaks;
	uint32_t *continues;
	uint32_t ncontinues;
	uint32_t block_depth;
} loop_ctx;

typedef struct capture {
	const char *name;
	uint32_t outer_slot; /* slot in the enclosing function */
	uint32_t slot;       /* slot in this function */
	uint8_t boxed;       /* the value captured is a cell */
} capture;

typedef struct fstate {
	struct fstate *parent;
	uint32_t index; /* into prog->funcs */
	lang_func_kind kind;
	int is_async;
	int is_main;
	const char *name;
	lang_instr *code;
	lang_pos *pos;
	uint32_t ncode, capcode;
	local *locals;
	uint32_t nlocals, caplocals;
	uint32_t *buckets; /* LOCAL_BUCKETS heads (index + 1); NULL: scan */
	uint32_t nslots;
	uint32_t free_slot; /* next slot to hand out */
	uint32_t block_depth;
	int32_t depth;
	int32_t max_depth;
	loop_ctx *loops;
	uint32_t nloops, caploops;
	capture *caps;
	uint32_t ncaps, capcaps;
	lang_await_point *awaits;
	uint32_t nawaits, capawaits;
} fstate;

typedef struct use_alias {
	const char *alias;
	const char *path;
} use_alias;

typedef struct fn_item {
	const char *name;
	const lang_node *node;
	uint32_t index;
	int is_async;
} fn_item;

typedef struct comp {
	lang_diags *diags;
	/* The element type a `let v: Vec<u32> = vec![...]` annotation gives
	 * the vec! literal compiled next (LANG_IT_NONE: none); that literal
	 * takes it and clears it. */
	lang_itype vec_elem;
	lang_program *prog;
	const char *src;
	size_t src_len;
	use_alias *uses;
	uint32_t nuses, capuses;
	fn_item *fns;
	uint32_t nfns;
	/* c->fns by name: open addressing, each slot an index + 1 (0 is
	 * empty), twice as many slots as functions; so that a file of tens
	 * of thousands of functions compiles in linear time. */
	uint32_t *fn_index;
	uint32_t fn_index_cap;
	uint32_t capfuncs;
	uint32_t capconsts, capformats;
	fstate *fs;
	int oom;
	/* Names that closures of the current fn item assign to: variables
	 * with these names live in cells, so a closure that changes one
	 * changes the variable it borrowed, as in Rust. */
	const char **boxnames;
	uint32_t nbox, capbox;
} comp;

static void
error_at(comp *c, lang_pos pos, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
error_at(comp *c, lang_pos pos, const char *hint, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	lang_diags_add(c->diags, LANG_ERROR, pos, hint, "%s", buf);
}

static int
grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	uint32_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*arr, (size_t)n * elem);
	if (!p)
		return -1;
	memset((char *)p + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*arr = p;
	*cap = n;
	return 0;
}

#define GROW(c, arr, cap, need)                                               \
	(grow((void **)&(arr), &(cap), (need), sizeof *(arr)) < 0 ? ((c)->oom = 1, -1) : 0)

/* ------------------------------------------------------------------ */
/* Emitting code                                                       */
/* ------------------------------------------------------------------ */

static uint32_t
emit(comp *c, lang_pos pos, lang_opcode op, uint8_t x, uint32_t arg,
     int32_t delta)
{
	fstate *fs = c->fs;
	if (fs->ncode + 1 > fs->capcode) {
		uint32_t cap = fs->capcode ? fs->capcode * 2 : 64;
		lang_instr *code = realloc(fs->code, cap * sizeof *code);
		if (code)
			fs->code = code;
		lang_pos *np = realloc(fs->pos, cap * sizeof *np);
		if (np)
			fs->pos = np;
		if (!code || !np) {
			c->oom = 1;
			return 0;
		}
		fs->capcode = cap;
	}
	lang_instr in = {(uint8_t)op, x, 0, arg};
	fs->code[fs->ncode] = in;
	fs->pos[fs->ncode] = pos;
	fs->depth += delta;
	if (fs->depth > fs->max_depth)
		fs->max_depth = fs->depth;
	return fs->ncode++;
}

static void
patch(comp *c, uint32_t at, uint32_t target)
{
	if (at < c->fs->ncode)
		c->fs->code[at].arg = target;
}

static uint32_t
here(comp *c)
{
	return c->fs->ncode;
}

static uint32_t
new_slot(comp *c)
{
	fstate *fs = c->fs;
	uint32_t s = fs->free_slot++;
	if (fs->free_slot > fs->nslots)
		fs->nslots = fs->free_slot;
	return s;
}

static uint32_t
local_bucket(const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h % LOCAL_BUCKETS;
}

/* Makes fs->locals[i], just pushed, findable by its name. */
static void
link_local(fstate *fs, uint32_t i)
{
	if (!fs->buckets) {
		fs->buckets = calloc(LOCAL_BUCKETS, sizeof *fs->buckets);
		if (!fs->buckets)
			return; /* find_local scans instead */
		for (uint32_t j = 0; j < i; j++) {
			uint32_t b = local_bucket(fs->locals[j].name);
			fs->locals[j].next = fs->buckets[b];
			fs->buckets[b] = j + 1;
		}
	}
	uint32_t b = local_bucket(fs->locals[i].name);
	fs->locals[i].next = fs->buckets[b];
	fs->buckets[b] = i + 1;
}

static local *
add_local(comp *c, const char *name, int mut, int hidden)
{
	fstate *fs = c->fs;
	if (GROW(c, fs->locals, fs->caplocals, fs->nlocals + 1) < 0)
		return NULL;
	local *l = &fs->locals[fs->nlocals++];
	/* The entry may be one a block left: nothing of it must stay. */
	memset(l, 0, sizeof *l);
	l->name = name;
	l->slot = new_slot(c);
	l->depth = fs->block_depth;
	l->mut = (uint8_t)mut;
	l->assigned = 1;
	l->hidden = (uint8_t)hidden;
	link_local(fs, fs->nlocals - 1);
	return l;
}

static uint32_t
add_const(comp *c, lang_const k)
{
	lang_program *p = c->prog;
	for (uint32_t i = 0; i < p->nconsts; i++) {
		lang_const *o = &p->consts[i];
		if (o->kind == k.kind && k.kind != LANG_CONST_STR &&
		    o->itype == k.itype && o->u == k.u &&
		    (k.kind != LANG_CONST_FLOAT || o->f == k.f))
			return i;
	}
	if (GROW(c, p->consts, c->capconsts, p->nconsts + 1) < 0)
		return 0;
	p->consts[p->nconsts] = k;
	return p->nconsts++;
}

static void
emit_str(comp *c, lang_pos pos, const char *s, size_t len)
{
	lang_const k = {0};
	k.kind = LANG_CONST_STR;
	k.s = malloc(len + 1);
	if (!k.s) {
		c->oom = 1;
		return;
	}
	memcpy(k.s, s, len);
	k.s[len] = 0;
	k.len = len;
	emit(c, pos, OP_CONST, 0, add_const(c, k), 1);
}

static void
emit_int(comp *c, lang_pos pos, uint64_t v, lang_itype t)
{
	if (v <= 0x7fffffffu) {
		emit(c, pos, OP_INT, (uint8_t)t, (uint32_t)v, 1);
		return;
	}
	lang_const k = {0};
	k.kind = LANG_CONST_INT;
	k.itype = t;
	k.u = v;
	emit(c, pos, OP_CONST, 0, add_const(c, k), 1);
}

/* ------------------------------------------------------------------ */
/* Scopes, names and paths                                             */
/* ------------------------------------------------------------------ */

static local *
find_local(fstate *fs, const char *name)
{
	if (!fs->buckets) {
		for (uint32_t i = fs->nlocals; i-- > 0;)
			if (!fs->locals[i].hidden &&
			    strcmp(fs->locals[i].name, name) == 0)
				return &fs->locals[i];
		return NULL;
	}
	for (uint32_t i = fs->buckets[local_bucket(name)]; i;
	     i = fs->locals[i - 1].next)
		if (!fs->locals[i - 1].hidden &&
		    strcmp(fs->locals[i - 1].name, name) == 0)
			return &fs->locals[i - 1];
	return NULL;
}

/* A variable seen from the current function: its own local, or a value
 * captured from an enclosing function (closures and async blocks). Returns
 * the slot, or -1. *out_local is the local when it is the function's own. */
static int64_t
resolve_var_boxed(comp *c, fstate *fs, const char *name, local **out_local,
                  int *captured, int *boxed)
{
	int dummy;
	if (!boxed)
		boxed = &dummy;
	*boxed = 0;
	local *l = find_local(fs, name);
	if (l) {
		if (out_local)
			*out_local = l;
		*boxed = l->boxed;
		return l->slot;
	}
	for (uint32_t i = 0; i < fs->ncaps; i++)
		if (strcmp(fs->caps[i].name, name) == 0) {
			if (captured)
				*captured = 1;
			*boxed = fs->caps[i].boxed;
			return fs->caps[i].slot;
		}
	if (!fs->parent ||
	    (fs->kind != LANG_FUNC_CLOSURE && fs->kind != LANG_FUNC_ASYNC_BLOCK))
		return -1;
	int outer_boxed = 0;
	int64_t outer = resolve_var_boxed(c, fs->parent, name, NULL, NULL,
	                                  &outer_boxed);
	if (outer < 0)
		return -1;
	if (GROW(c, fs->caps, fs->capcaps, fs->ncaps + 1) < 0)
		return -1;
	capture *cp = &fs->caps[fs->ncaps++];
	cp->name = name;
	cp->outer_slot = (uint32_t)outer;
	cp->boxed = (uint8_t)outer_boxed;
	*boxed = outer_boxed;
	fstate *saved = c->fs;
	c->fs = fs;
	cp->slot = new_slot(c);
	c->fs = saved;
	if (captured)
		*captured = 1;
	return cp->slot;
}

static int64_t
resolve_var(comp *c, fstate *fs, const char *name, local **out_local,
            int *captured)
{
	return resolve_var_boxed(c, fs, name, out_local, captured, NULL);
}

static int
is_boxed_name(comp *c, const char *name)
{
	for (uint32_t i = 0; i < c->nbox; i++)
		if (strcmp(c->boxnames[i], name) == 0)
			return 1;
	return 0;
}

/* Reading and writing a variable, through its cell when it has one. */
static void
load_var(comp *c, lang_pos pos, uint32_t slot, int boxed)
{
	emit(c, pos, OP_LOAD, 0, slot, 1);
	if (boxed)
		emit(c, pos, OP_UNBOX, 0, 0, 0);
}

static void
store_var(comp *c, lang_pos pos, uint32_t slot, int boxed)
{
	if (boxed) {
		emit(c, pos, OP_LOAD, 0, slot, 1);
		emit(c, pos, OP_CELL_SET, 0, 0, -2);
	} else {
		emit(c, pos, OP_STORE, 0, slot, -1);
	}
}

static void
enter_block(comp *c)
{
	c->fs->block_depth++;
}

/* Leaving a block drops its locals, as Rust does at the closing brace. */
static void
leave_block(comp *c, lang_pos pos, int emit_clears)
{
	fstate *fs = c->fs;
	uint32_t min_slot = UINT32_MAX;
	while (fs->nlocals && fs->locals[fs->nlocals - 1].depth >= fs->block_depth) {
		local *l = &fs->locals[--fs->nlocals];
		/* The latest local is the head of its bucket. */
		if (fs->buckets)
			fs->buckets[local_bucket(l->name)] = l->next;
		if (emit_clears)
			emit(c, pos, OP_CLEAR, 0, l->slot, 0);
		if (l->slot < min_slot)
			min_slot = l->slot;
	}
	fs->block_depth--;
	/* Slots of dead locals can be reused, unless a capture took a slot
	 * above them. */
	if (min_slot != UINT32_MAX && min_slot < fs->free_slot) {
		int ok = 1;
		for (uint32_t i = 0; i < fs->ncaps; i++)
			if (fs->caps[i].slot >= min_slot)
				ok = 0;
		if (ok)
			fs->free_slot = min_slot;
	}
}

static const char *
use_lookup(comp *c, const char *alias)
{
	for (uint32_t i = c->nuses; i-- > 0;)
		if (strcmp(c->uses[i].alias, alias) == 0)
			return c->uses[i].path;
	return NULL;
}

/* Other names the standard paths are known by. */
static const struct {
	const char *from;
	const char *to;
} path_aliases[] = {
	{"core::time::", "std::time::"},
	{"tokio::time::Duration::", "std::time::Duration::"},
	{"tokio::time::Instant::", "std::time::Instant::"},
	{"tokio::task::spawn", "tokio::spawn"},
	{"futures::future::join_all", "futures::future::join_all"},
	{"futures_util::future::join_all", "futures::future::join_all"},
	{"std::vec::Vec::", "Vec::"},
	{"std::string::String::", "String::"},
	{"std::result::Result::", ""},
	{"Result::", ""},
	{"std::option::Option::", ""},
	{"Option::", ""},
};

static int
builtin_by_path(const char *full)
{
	int b = lang_builtin_find(full);
	if (b >= 0)
		return b;
	for (size_t i = 0; i < sizeof path_aliases / sizeof path_aliases[0]; i++) {
		size_t n = strlen(path_aliases[i].from);
		if (strncmp(full, path_aliases[i].from, n) == 0) {
			char buf[512];
			snprintf(buf, sizeof buf, "%s%s", path_aliases[i].to,
			         full + n);
			b = lang_builtin_find(buf);
			if (b >= 0)
				return b;
		}
	}
	return -1;
}

/* Resolves a path through the `use` declarations to a builtin, or -1. */
static int
resolve_builtin(comp *c, const lang_node *path)
{
	char buf[512];
	size_t len = 0;
	buf[0] = 0;
	const char *first = path->segs[0];
	const char *expanded = use_lookup(c, first);
	uint32_t start = 0;
	if (expanded) {
		len = (size_t)snprintf(buf, sizeof buf, "%s", expanded);
		start = 1;
	}
	for (uint32_t i = start; i < path->nsegs && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		                        len ? "::" : "", path->segs[i]);
	int b = builtin_by_path(buf);
	if (b >= 0 && (expanded || lang_builtins[b].in_prelude ||
	               strncmp(buf, "std::", 5) == 0 ||
	               strncmp(buf, "core::", 6) == 0 ||
	               strncmp(buf, "tokio::", 7) == 0 ||
	               strncmp(buf, "futures::", 9) == 0))
		return b;
	/* Glob imports: `use std::time::*;` then `Duration::from_secs`. */
	for (uint32_t i = 0; i < c->nuses; i++) {
		if (strcmp(c->uses[i].alias, "*") != 0)
			continue;
		char g[512];
		size_t pl = strlen(c->uses[i].path);
		if (pl < 2)
			continue;
		snprintf(g, sizeof g, "%.*s%s", (int)(pl - 1), c->uses[i].path,
		         buf);
		b = builtin_by_path(g);
		if (b >= 0)
			return b;
	}
	return -1;
}

static uint32_t
fn_hash(const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

static const fn_item *
find_fn(comp *c, const char *name)
{
	if (!c->fn_index) {
		for (uint32_t i = 0; i < c->nfns; i++)
			if (strcmp(c->fns[i].name, name) == 0)
				return &c->fns[i];
		return NULL;
	}
	uint32_t mask = c->fn_index_cap - 1;
	for (uint32_t s = fn_hash(name) & mask; c->fn_index[s];
	     s = (s + 1) & mask)
		if (strcmp(c->fns[c->fn_index[s] - 1].name, name) == 0)
			return &c->fns[c->fn_index[s] - 1];
	return NULL;
}

/* Adds c->fns[i] to the index (collect_items sized it). */
static void
index_fn(comp *c, uint32_t i)
{
	if (!c->fn_index)
		return;
	uint32_t mask = c->fn_index_cap - 1;
	uint32_t s = fn_hash(c->fns[i].name) & mask;
	while (c->fn_index[s])
		s = (s + 1) & mask;
	c->fn_index[s] = i + 1;
}

/* A hint for names a learner commonly forgets to import. */
static const char *
import_hint(const char *path_text)
{
	static const struct {
		const char *name;
		const char *hint;
	} hints[] = {
		{"thread::", "add `use std::thread;` at the top of the file"},
		{"Duration::", "add `use std::time::Duration;` at the top of the file"},
		{"Instant::", "add `use std::time::Instant;` at the top of the file"},
		{"future::", "add `use futures::future;` at the top of the file"},
		{"join_all", "add `use futures::future::join_all;` at the top of the file"},
		{"sleep", "use `tokio::time::sleep` (inside async code) or `std::thread::sleep`"},
		{"spawn", "use `tokio::spawn` or `std::thread::spawn`"},
		{"time::", "add `use tokio::time;` or write `tokio::time::sleep`"},
	};
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (strncmp(path_text, hints[i].name, strlen(hints[i].name)) == 0)
			return hints[i].hint;
	return NULL;
}

/* Whether a path that names no function of ours starts in the standard
 * library, Tokio or futures, or at one of std's types (Box::pin,
 * Arc::new): it exists for rustc, so saying it cannot be found would be
 * wrong; it is outside the subset the simulator knows. */
static int
std_path(const char *path_text)
{
	static const char *const roots[] = {
		"std", "core", "alloc", "tokio", "futures", "Box", "Arc", "Rc",
		"Mutex", "RwLock", "RefCell", "Cell", "HashMap", "HashSet",
		"BTreeMap", "VecDeque", "String", "Vec", "Option", "Result",
		"Pin", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64",
		"usize", "isize", "f32", "f64", "char", "str",
	};
	size_t len = strcspn(path_text, ":");
	if (path_text[len] != ':')
		return 0;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (strlen(roots[i]) == len &&
		    strncmp(path_text, roots[i], len) == 0)
			return 1;
	return 0;
}

static void
path_text(const lang_node *n, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (uint32_t i = 0; i < n->nsegs && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        i ? "::" : "", n->segs[i]);
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */
/* ------------------------------------------------------------------ */

static void expr(comp *c, const lang_node *n);
static void block(comp *c, const lang_node *n);
static void stmt(comp *c, const lang_node *n);
static uint32_t compile_function(comp *c, const lang_node *fn_node,
                                 lang_func_kind kind, const char *name,
                                 const lang_node *const *params,
                                 uint32_t nparams, const lang_node *body,
                                 const lang_node *ret_type);

static lang_itype
type_itype(const lang_node *type)
{
	if (!type || !type->str)
		return LANG_IT_NONE;
	return lang_itype_from_name(type->str);
}

static void
int_literal(comp *c, const lang_node *n, int negate)
{
	lang_itype t = LANG_IT_INFER;
	if (n->suffix && n->suffix[0]) {
		t = lang_itype_from_name(n->suffix);
		if (t == LANG_IT_F64 || t == LANG_IT_F32) {
			lang_const k = {0};
			k.kind = LANG_CONST_FLOAT;
			k.f = negate ? -(double)n->ival : (double)n->ival;
			emit(c, n->pos, OP_CONST, 0, add_const(c, k), 1);
			return;
		}
	}
	uint64_t v = n->ival;
	/* Range check: values are non-negative literals here. */
	uint64_t max = UINT64_MAX;
	switch (t) {
	case LANG_IT_I8: max = negate ? 128 : 127; break;
	case LANG_IT_I16: max = negate ? 32768 : 32767; break;
	case LANG_IT_I32: max = negate ? 2147483648u : 2147483647u; break;
	case LANG_IT_U8: max = 255; break;
	case LANG_IT_U16: max = 65535; break;
	case LANG_IT_U32: max = 4294967295u; break;
	case LANG_IT_INFER:
	case LANG_IT_I64:
	case LANG_IT_I128:
	case LANG_IT_ISIZE:
		max = negate ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		break;
	default: break;
	}
	if (negate && !lang_itype_signed(t)) {
		error_at(c, n->pos, NULL,
		         "cannot apply unary operator `-` to type `%s`",
		         lang_itype_name(t));
		return;
	}
	if (v > max) {
		error_at(c, n->pos,
		         "use a wider type, like `u64` or `i64`",
		         "literal out of range for `%s`",
		         t == LANG_IT_INFER ? "i64" : lang_itype_name(t));
		return;
	}
	if (negate) {
		uint64_t neg = (uint64_t)(-(int64_t)v);
		if (v <= 0x80000000u) {
			fstate *fs = c->fs;
			uint32_t at = emit(c, n->pos, OP_INT, (uint8_t)t,
			                   (uint32_t)neg, 1);
			if (at < fs->ncode)
				fs->code[at].y = 1;
			return;
		}
		lang_const k = {0};
		k.kind = LANG_CONST_INT;
		k.itype = t;
		k.u = neg;
		emit(c, n->pos, OP_CONST, 0, add_const(c, k), 1);
		return;
	}
	emit_int(c, n->pos, v, t);
}

/* i32::MAX and friends. */
static int
int_const_path(comp *c, const lang_node *n)
{
	if (n->nsegs != 2)
		return 0;
	lang_itype t = lang_itype_from_name(n->segs[0]);
	if (!lang_itype_is_int(t))
		return 0;
	int is_max = strcmp(n->segs[1], "MAX") == 0;
	int is_min = strcmp(n->segs[1], "MIN") == 0;
	if (!is_max && !is_min)
		return 0;
	static const uint8_t bits[LANG_IT_COUNT] = {
		[LANG_IT_I8] = 8,    [LANG_IT_I16] = 16,  [LANG_IT_I32] = 32,
		[LANG_IT_I64] = 64,  [LANG_IT_I128] = 64, [LANG_IT_ISIZE] = 64,
		[LANG_IT_U8] = 8,    [LANG_IT_U16] = 16,  [LANG_IT_U32] = 32,
		[LANG_IT_U64] = 64,  [LANG_IT_U128] = 64, [LANG_IT_USIZE] = 64,
	};
	int b = bits[t];
	uint64_t v;
	if (lang_itype_signed(t))
		v = is_max ? (b == 64 ? (uint64_t)INT64_MAX
		                      : (UINT64_C(1) << (b - 1)) - 1)
		           : (b == 64 ? (uint64_t)INT64_MIN
		                      : (uint64_t)(-(INT64_C(1) << (b - 1))));
	else
		v = is_max ? (b == 64 ? UINT64_MAX : (UINT64_C(1) << b) - 1) : 0;
	lang_const k = {0};
	k.kind = LANG_CONST_INT;
	k.itype = t;
	k.u = v;
	emit(c, n->pos, OP_CONST, 0, add_const(c, k), 1);
	return 1;
}

static void
path_expr(comp *c, const lang_node *n)
{
	if (n->nsegs == 1) {
		int captured = 0, boxed = 0;
		local *l = NULL;
		int64_t slot = resolve_var_boxed(c, c->fs, n->segs[0], &l,
		                                 &captured, &boxed);
		if (slot >= 0) {
			load_var(c, n->pos, (uint32_t)slot, boxed);
			return;
		}
		const fn_item *f = find_fn(c, n->segs[0]);
		if (f) {
			if (f->is_async) {
				error_at(c, n->pos, "call it: `name(args)` makes a future",
				         "async functions cannot be used as values "
				         "yet");
				return;
			}
			emit(c, n->pos, OP_FUNC, 0, f->index, 1);
			return;
		}
	}
	if (int_const_path(c, n))
		return;
	int b = resolve_builtin(c, n);
	if (b >= 0 && lang_builtins[b].is_value) {
		emit(c, n->pos, OP_BUILTIN, 0, (uint32_t)b, 1);
		return;
	}
	char text[256];
	path_text(n, text, sizeof text);
	if (b >= 0) {
		error_at(c, n->pos, "call it with `(...)`",
		         "`%s` is a function; using it as a value is not "
		         "supported yet",
		         text);
		return;
	}
	error_at(c, n->pos, import_hint(text),
	         "cannot find value `%s` in this scope", text);
}

static const lang_binop binop_of[LANG_OP_COUNT_] = {
	[LANG_OP_ADD] = LANG_BIN_ADD,       [LANG_OP_SUB] = LANG_BIN_SUB,
	[LANG_OP_MUL] = LANG_BIN_MUL,       [LANG_OP_DIV] = LANG_BIN_DIV,
	[LANG_OP_REM] = LANG_BIN_REM,       [LANG_OP_BITAND] = LANG_BIN_BITAND,
	[LANG_OP_BITOR] = LANG_BIN_BITOR,   [LANG_OP_BITXOR] = LANG_BIN_BITXOR,
	[LANG_OP_SHL] = LANG_BIN_SHL,       [LANG_OP_SHR] = LANG_BIN_SHR,
	[LANG_OP_EQ] = LANG_BIN_EQ,         [LANG_OP_NE] = LANG_BIN_NE,
	[LANG_OP_LT] = LANG_BIN_LT,         [LANG_OP_LE] = LANG_BIN_LE,
	[LANG_OP_GT] = LANG_BIN_GT,         [LANG_OP_GE] = LANG_BIN_GE,
};

static void
binary(comp *c, const lang_node *n)
{
	if (n->op == LANG_OP_AND || n->op == LANG_OP_OR) {
		/* Short-circuit: a && b  is  if a { b } else { false }. */
		expr(c, n->a);
		emit(c, n->pos, OP_DUP, 0, 0, 1);
		uint32_t j;
		if (n->op == LANG_OP_AND) {
			j = emit(c, n->pos, OP_JUMP_FALSE, 0, 0, -1);
			emit(c, n->pos, OP_POP, 0, 0, -1);
			expr(c, n->b);
			patch(c, j, here(c));
		} else {
			emit(c, n->pos, OP_NOT, 0, 0, 0);
			j = emit(c, n->pos, OP_JUMP_FALSE, 0, 0, -1);
			emit(c, n->pos, OP_POP, 0, 0, -1);
			expr(c, n->b);
			patch(c, j, here(c));
		}
		return;
	}
	expr(c, n->a);
	expr(c, n->b);
	/* Rust reports a panic in an operation at the expression's start. */
	emit(c, lang_node_start(n), OP_BINARY, (uint8_t)binop_of[n->op], 0, -1);
}

static void
assign_error_immutable(comp *c, const lang_node *place, const char *name)
{
	char hint[128];
	snprintf(hint, sizeof hint,
	         "consider making this binding mutable: `mut %s`", name);
	error_at(c, place->pos, hint,
	         "cannot assign twice to immutable variable `%s`", name);
}

static void
assign(comp *c, const lang_node *n)
{
	const lang_node *place = n->a;
	if (place->kind == LANG_N_PATH && place->nsegs == 1) {
		local *l = NULL;
		int captured = 0, boxed = 0;
		int64_t slot = resolve_var_boxed(c, c->fs, place->segs[0], &l,
		                                 &captured, &boxed);
		if (slot < 0) {
			error_at(c, place->pos, NULL,
			         "cannot find value `%s` in this scope",
			         place->segs[0]);
			return;
		}
		if (captured && !boxed) {
			error_at(c, place->pos,
			         "compute a new value inside the closure instead, "
			         "or share it with a Vec",
			         "changing a variable of the enclosing function "
			         "from inside a closure or async block is not "
			         "supported yet");
			return;
		}
		if (l && !l->mut) {
			if (l->assigned || n->op != LANG_OP_NONE) {
				assign_error_immutable(c, place, l->name);
				return;
			}
			l->assigned = 1;
		}
		if (n->op != LANG_OP_NONE) {
			load_var(c, n->pos, (uint32_t)slot, boxed);
			expr(c, n->b);
			emit(c, lang_node_start(n), OP_BINARY,
			     (uint8_t)binop_of[n->op], 0, -1);
		} else {
			expr(c, n->b);
		}
		store_var(c, n->pos, (uint32_t)slot, boxed);
		return;
	}
	if (place->kind == LANG_N_INDEX) {
		const lang_node *base = place->a, *idx = place->b;
		if (n->op != LANG_OP_NONE &&
		    (base->kind != LANG_N_PATH ||
		     (idx->kind != LANG_N_PATH && idx->kind != LANG_N_INT))) {
			error_at(c, n->pos, "use a variable for the index",
			         "compound assignment to a computed place is not "
			         "supported yet");
			return;
		}
		expr(c, base);
		expr(c, idx);
		if (n->op != LANG_OP_NONE) {
			expr(c, base);
			expr(c, idx);
			emit(c, place->pos, OP_INDEX, 0, 0, -1);
			expr(c, n->b);
			emit(c, lang_node_start(n), OP_BINARY,
			     (uint8_t)binop_of[n->op], 0, -1);
		} else {
			expr(c, n->b);
		}
		emit(c, place->pos, OP_INDEX_SET, 0, 0, -3);
		return;
	}
	if (place->kind == LANG_N_UNARY && place->op == LANG_OP_DEREF) {
		error_at(c, place->pos,
		         "return the new value from the function instead",
		         "assigning through a reference (`*x = ...`) is not "
		         "supported yet");
		return;
	}
	if (place->kind == LANG_N_FIELD) {
		error_at(c, place->pos, NULL,
		         "assigning to a field is not supported yet");
		return;
	}
	error_at(c, place->pos, NULL, "invalid left-hand side of assignment");
}

static uint32_t
new_await(comp *c, lang_pos pos)
{
	fstate *fs = c->fs;
	if (GROW(c, fs->awaits, fs->capawaits, fs->nawaits + 1) < 0)
		return 0;
	lang_await_point *ap = &fs->awaits[fs->nawaits++];
	ap->pos = pos;
	ap->live = calloc(LANG_AWAIT_LIVE_MAX, sizeof *ap->live);
	if (!ap->live) {
		c->oom = 1;
		return fs->nawaits;
	}
	/* Names are copied: the syntax tree is freed after compiling. */
	for (uint32_t i = 0; i < fs->ncaps && ap->nlive < LANG_AWAIT_LIVE_MAX;
	     i++)
		ap->live[ap->nlive++] = (lang_local){
			arena_strdup(c->prog, fs->caps[i].name), fs->caps[i].slot};
	/* The latest locals, found from the top of the stack down (not a
	 * scan of every local: see LANG_AWAIT_LIVE_MAX), then put back in
	 * the order they were declared. */
	uint32_t first = ap->nlive;
	for (uint32_t i = fs->nlocals; i-- > 0 && ap->nlive < LANG_AWAIT_LIVE_MAX;)
		if (!fs->locals[i].hidden)
			ap->live[ap->nlive++] = (lang_local){
				arena_strdup(c->prog, fs->locals[i].name),
				fs->locals[i].slot};
	for (uint32_t i = first, j = ap->nlive; i + 1 < j; i++, j--) {
		lang_local t = ap->live[i];
		ap->live[i] = ap->live[j - 1];
		ap->live[j - 1] = t;
	}
	return fs->nawaits;
}

static int
check_async(comp *c, lang_pos pos)
{
	if (c->fs->is_async)
		return 1;
	const char *hint =
		c->fs->is_main
			? "make `main` async and run it on Tokio: `#[tokio::main]` "
			  "then `async fn main()`"
			: c->fs->kind == LANG_FUNC_CLOSURE
			          ? "closures cannot await; use an `async` block"
			          : "make this function `async fn`";
	error_at(c, pos, hint,
	         "`await` is only allowed inside `async` functions and blocks");
	return 0;
}

static void
await_expr(comp *c, const lang_node *n)
{
	expr(c, n->a);
	if (!check_async(c, n->pos))
		return;
	uint32_t idx = new_await(c, n->pos);
	emit(c, n->pos, OP_AWAIT, 0, idx, 0);
}

static void
call_args(comp *c, const lang_node *n)
{
	for (uint32_t i = 0; i < n->nkids; i++)
		expr(c, n->kids[i]);
}

/* The items of a vec! or array literal, each given the element type of
 * the `let` annotation it is the value of, as rustc infers it. */
static void
vec_items(comp *c, const lang_node *n, const lang_node *const *items,
          uint32_t count)
{
	lang_itype t = c->vec_elem;
	c->vec_elem = LANG_IT_NONE;
	for (uint32_t i = 0; i < count; i++) {
		expr(c, items[i]);
		if (t != LANG_IT_NONE)
			emit(c, items[i]->pos, OP_COERCE, (uint8_t)t, 0, 0);
	}
}

/* The integer or float element type of a `Vec<T>` or `[T; N]` annotation,
 * or LANG_IT_NONE. */
static lang_itype
vec_elem_itype(const lang_node *type)
{
	if (!type || !type->str)
		return LANG_IT_NONE;
	char name[16];
	const char *s = type->str;
	size_t n;
	if (!strncmp(s, "Vec<", 4)) {
		s += 4;
		n = strcspn(s, ">");
		if (s[n] != '>' || s[n + 1])
			return LANG_IT_NONE;
	} else if (s[0] == '[') {
		s++;
		n = strcspn(s, ";");
		if (s[n] != ';')
			return LANG_IT_NONE;
	} else {
		return LANG_IT_NONE;
	}
	while (n && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof name)
		return LANG_IT_NONE;
	memcpy(name, s, n);
	name[n] = 0;
	return lang_itype_from_name(name);
}

static void
call(comp *c, const lang_node *n)
{
	const lang_node *callee = n->a;
	int32_t nargs = (int32_t)n->nkids;
	if (callee->kind == LANG_N_PATH) {
		if (callee->nsegs == 1 &&
		    resolve_var(c, c->fs, callee->segs[0], NULL, NULL) >= 0) {
			expr(c, callee);
			call_args(c, n);
			emit(c, n->pos, OP_CALL_VALUE, (uint8_t)nargs, 0, -nargs);
			return;
		}
		const fn_item *f = callee->nsegs == 1 ? find_fn(c, callee->segs[0])
		                                      : NULL;
		if (f) {
			uint32_t want = f->node->nkids;
			if ((uint32_t)nargs != want) {
				error_at(c, n->pos, NULL,
				         "this function takes %u argument%s but %d "
				         "argument%s supplied",
				         want, want == 1 ? "" : "s", nargs,
				         nargs == 1 ? " was" : "s were");
				return;
			}
			if (nargs > 255) {
				error_at(c, n->pos, NULL, "too many arguments");
				return;
			}
			call_args(c, n);
			emit(c, n->pos, f->is_async ? OP_ASYNC_CALL : OP_CALL,
			     (uint8_t)nargs, f->index, 1 - nargs);
			return;
		}
		int b = resolve_builtin(c, callee);
		if (b >= 0) {
			int want = lang_builtins[b].nargs;
			if (want >= 0 && want != nargs) {
				char text[256];
				path_text(callee, text, sizeof text);
				error_at(c, n->pos, NULL,
				         "`%s` takes %d argument%s but %d %s "
				         "supplied",
				         text, want, want == 1 ? "" : "s", nargs,
				         nargs == 1 ? "was" : "were");
				return;
			}
			call_args(c, n);
			emit(c, n->pos, OP_BUILTIN, (uint8_t)nargs, (uint32_t)b,
			     1 - nargs);
			return;
		}
		char text[256];
		path_text(callee, text, sizeof text);
		const char *expanded = use_lookup(c, callee->segs[0]);
		if (std_path(text) || (expanded && std_path(expanded))) {
			error_at(c, callee->pos,
			         "the simulator knows only part of std, tokio "
			         "and futures: see THE RUST SUBSET in "
			         "async-tutorial(1)",
			         "`%s` is not supported yet", text);
			return;
		}
		error_at(c, callee->pos, import_hint(text),
		         "cannot find function `%s` in this scope", text);
		return;
	}
	expr(c, callee);
	call_args(c, n);
	emit(c, n->pos, OP_CALL_VALUE, (uint8_t)nargs, 0, -nargs);
}

static const char *const adaptor_names[] = {
	"map", "filter", "collect", "sum", "enumerate", "zip", "fold",
	"for_each", "take", "skip", "chain", "count", "any", "all", "find",
};

/* `v.push(x)` needs `v` to be mutable, as rustc checks (E0596). */
static void
check_mutable_receiver(comp *c, const lang_node *n, int m)
{
	if (m != LANG_M_PUSH && m != LANG_M_POP && m != LANG_M_CLEAR)
		return;
	const lang_node *r = n->a;
	if (r->kind != LANG_N_PATH || r->nsegs != 1)
		return;
	local *l = find_local(c->fs, r->segs[0]);
	if (!l || l->mut || l->mut_ref || l->boxed)
		return;
	char hint[160];
	snprintf(hint, sizeof hint,
	         "consider changing this to be mutable: `let mut %.100s`",
	         l->name);
	error_at(c, lang_node_start(n), hint,
	         "cannot borrow `%s` as mutable, as it is not declared as "
	         "mutable",
	         l->name);
}

static void
method(comp *c, const lang_node *n)
{
	/* The receiver first, so errors come in source order. */
	expr(c, n->a);
	int m = lang_method_find(n->name);
	if (m >= 0)
		check_mutable_receiver(c, n, m);
	if (m < 0 || m == LANG_M_TRY_FAILED) {
		const char *hint = NULL;
		for (size_t i = 0; i < sizeof adaptor_names / sizeof adaptor_names[0];
		     i++)
			if (strcmp(adaptor_names[i], n->name) == 0)
				hint = "iterator adaptors are not supported yet; "
				       "use a `for` loop and a Vec";
		error_at(c, n->pos, hint,
		         "the method `%s` is not supported yet", n->name);
		return;
	}
	if (n->nkids > 255) {
		error_at(c, n->pos, NULL, "too many arguments");
		return;
	}
	call_args(c, n);
	int32_t nargs = (int32_t)n->nkids;
	emit(c, n->pos, OP_METHOD, (uint8_t)nargs, (uint32_t)m, -nargs);
}

/* Binds the value on top of the stack to a pattern (popping it). */
static void
bind_pattern(comp *c, const lang_node *pat, lang_itype annot)
{
	switch (pat->kind) {
	case LANG_N_PAT_IDENT: {
		if (annot != LANG_IT_NONE)
			emit(c, pat->pos, OP_COERCE, (uint8_t)annot, 0, 0);
		int boxed = is_boxed_name(c, pat->name);
		if (boxed)
			emit(c, pat->pos, OP_BOX, 0, 0, 0);
		local *l = add_local(c, pat->name, (pat->flags & LANG_F_MUT) != 0, 0);
		if (l) {
			l->boxed = (uint8_t)boxed;
			emit(c, pat->pos, OP_STORE, 0, l->slot, -1);
		}
		return;
	}
	case LANG_N_PAT_WILD:
		emit(c, pat->pos, OP_POP, 0, 0, -1);
		return;
	case LANG_N_PAT_REF:
		bind_pattern(c, pat->a, annot);
		return;
	case LANG_N_PAT_TUPLE: {
		uint32_t n = pat->nkids;
		emit(c, pat->pos, OP_UNPACK, 0, n, (int32_t)n - 1);
		/* The last element is on top: bind from the back, into locals
		 * declared in source order so shadowing works left to right. */
		local **ls = calloc(n ? n : 1, sizeof *ls);
		if (!ls) {
			c->oom = 1;
			return;
		}
		uint32_t *tmp = calloc(n ? n : 1, sizeof *tmp);
		if (!tmp) {
			free(ls);
			c->oom = 1;
			return;
		}
		for (uint32_t i = n; i-- > 0;) {
			local *t = add_local(c, "", 0, 1);
			if (!t)
				break;
			tmp[i] = t->slot;
			emit(c, pat->pos, OP_STORE, 0, t->slot, -1);
		}
		for (uint32_t i = 0; i < n; i++) {
			emit(c, pat->pos, OP_LOAD, 0, tmp[i], 1);
			emit(c, pat->pos, OP_CLEAR, 0, tmp[i], 0);
			bind_pattern(c, pat->kids[i], LANG_IT_NONE);
		}
		free(ls);
		free(tmp);
		return;
	}
	default:
		error_at(c, pat->pos, NULL, "this pattern is not supported yet");
		emit(c, pat->pos, OP_POP, 0, 0, -1);
		return;
	}
}

static loop_ctx *
push_loop(comp *c, const char *label, int is_loop)
{
	fstate *fs = c->fs;
	if (GROW(c, fs->loops, fs->caploops, fs->nloops + 1) < 0)
		return NULL;
	loop_ctx *l = &fs->loops[fs->nloops++];
	memset(l, 0, sizeof *l);
	l->label = label;
	l->is_loop = is_loop;
	l->depth = (uint32_t)fs->depth;
	l->block_depth = fs->block_depth;
	return l;
}

static void
pop_loop(comp *c, uint32_t break_target, uint32_t continue_target)
{
	fstate *fs = c->fs;
	loop_ctx *l = &fs->loops[--fs->nloops];
	for (uint32_t i = 0; i < l->nbreaks; i++)
		patch(c, l->breaks[i], break_target);
	for (uint32_t i = 0; i < l->ncontinues; i++)
		patch(c, l->continues[i], continue_target);
	free(l->breaks);
	free(l->continues);
}

static loop_ctx *
find_loop(comp *c, const lang_node *n, const char *what)
{
	fstate *fs = c->fs;
	if (!fs->nloops) {
		error_at(c, n->pos, NULL, "`%s` outside of a loop", what);
		return NULL;
	}
	if (!n->name)
		return &fs->loops[fs->nloops - 1];
	for (uint32_t i = fs->nloops; i-- > 0;)
		if (fs->loops[i].label && strcmp(fs->loops[i].label, n->name) == 0)
			return &fs->loops[i];
	error_at(c, n->pos, NULL, "use of undeclared label `'%s`", n->name);
	return NULL;
}

/* Drops what the current expression left on the operand stack above the
 * loop's entry depth, so a `break` deep inside an expression is clean. */
static void
unwind_stack(comp *c, lang_pos pos, uint32_t to_depth)
{
	fstate *fs = c->fs;
	int32_t saved = fs->depth;
	for (int32_t d = fs->depth; d > (int32_t)to_depth; d--)
		emit(c, pos, OP_POP, 0, 0, -1);
	fs->depth = saved;
}

static void
break_expr(comp *c, const lang_node *n)
{
	loop_ctx *l = find_loop(c, n, "break");
	if (!l)
		return;
	uint32_t idx = (uint32_t)(l - c->fs->loops);
	if (n->a) {
		if (!l->is_loop) {
			error_at(c, n->pos, NULL,
			         "`break` with value from a `while` or `for` loop");
			return;
		}
		expr(c, n->a);
		emit(c, n->pos, OP_STORE, 0, c->fs->loops[idx].result_slot, -1);
	}
	l = &c->fs->loops[idx];
	unwind_stack(c, n->pos, l->depth);
	uint32_t j = emit(c, n->pos, OP_JUMP, 0, 0, 0);
	l = &c->fs->loops[idx];
	uint32_t *b = realloc(l->breaks, (l->nbreaks + 1) * sizeof *b);
	if (!b) {
		c->oom = 1;
		return;
	}
	l->breaks = b;
	l->breaks[l->nbreaks++] = j;
	c->fs->depth++; /* the break "produces" a value nobody sees */
}

static void
continue_expr(comp *c, const lang_node *n)
{
	loop_ctx *l = find_loop(c, n, "continue");
	if (!l)
		return;
	uint32_t idx = (uint32_t)(l - c->fs->loops);
	unwind_stack(c, n->pos, l->depth);
	uint32_t j = emit(c, n->pos, OP_JUMP, 0, 0, 0);
	l = &c->fs->loops[idx];
	uint32_t *b = realloc(l->continues, (l->ncontinues + 1) * sizeof *b);
	if (!b) {
		c->oom = 1;
		return;
	}
	l->continues = b;
	l->continues[l->ncontinues++] = j;
	c->fs->depth++;
}

static void
while_expr(comp *c, const lang_node *n)
{
	uint32_t top = here(c);
	if (!push_loop(c, n->name, 0))
		return;
	expr(c, n->a);
	uint32_t exit = emit(c, n->pos, OP_JUMP_FALSE, 0, 0, -1);
	block(c, n->b);
	emit(c, n->pos, OP_POP, 0, 0, -1);
	emit(c, n->pos, OP_JUMP, 0, top, 0);
	patch(c, exit, here(c));
	pop_loop(c, here(c), top);
	emit(c, n->pos, OP_UNIT, 0, 0, 1);
}

static void
loop_expr(comp *c, const lang_node *n)
{
	uint32_t slot = new_slot(c);
	uint32_t top = here(c);
	loop_ctx *l = push_loop(c, n->name, 1);
	if (!l)
		return;
	l->result_slot = slot;
	emit(c, n->pos, OP_UNIT, 0, 0, 1);
	emit(c, n->pos, OP_STORE, 0, slot, -1);
	uint32_t body = here(c);
	block(c, n->b);
	emit(c, n->pos, OP_POP, 0, 0, -1);
	emit(c, n->pos, OP_JUMP, 0, body, 0);
	pop_loop(c, here(c), body);
	(void)top;
	emit(c, n->pos, OP_LOAD, 0, slot, 1);
	emit(c, n->pos, OP_CLEAR, 0, slot, 0);
}

static void
for_expr(comp *c, const lang_node *n)
{
	expr(c, n->b);
	emit(c, n->b->pos, OP_ITER, 0, 0, 0);
	/* The iterator lives in a hidden local so the body's stack is
	 * clean. */
	enter_block(c);
	local *it = add_local(c, "", 0, 1);
	if (!it)
		return;
	uint32_t it_slot = it->slot;
	emit(c, n->pos, OP_STORE, 0, it_slot, -1);
	uint32_t top = here(c);
	if (!push_loop(c, n->name, 0))
		return;
	emit(c, n->pos, OP_LOAD, 0, it_slot, 1);
	uint32_t next = emit(c, n->pos, OP_ITER_NEXT, 0, 0, 1);
	/* ITER_NEXT leaves [iter, item]; keep only the item. */
	uint32_t tmp = new_slot(c);
	emit(c, n->pos, OP_STORE, 0, tmp, -1);
	emit(c, n->pos, OP_POP, 0, 0, -1);
	emit(c, n->pos, OP_LOAD, 0, tmp, 1);
	emit(c, n->pos, OP_CLEAR, 0, tmp, 0);
	enter_block(c);
	bind_pattern(c, n->a, LANG_IT_NONE);
	block(c, n->c);
	emit(c, n->pos, OP_POP, 0, 0, -1);
	leave_block(c, n->pos, 1);
	emit(c, n->pos, OP_JUMP, 0, top, 0);
	/* When exhausted, ITER_NEXT pops the iterator copy and jumps here. */
	patch(c, next, here(c));
	pop_loop(c, here(c), top);
	leave_block(c, n->pos, 1);
	emit(c, n->pos, OP_UNIT, 0, 0, 1);
}

static void
if_expr(comp *c, const lang_node *n)
{
	expr(c, n->a);
	uint32_t j = emit(c, n->pos, OP_JUMP_FALSE, 0, 0, -1);
	block(c, n->b);
	uint32_t end = emit(c, n->pos, OP_JUMP, 0, 0, 0);
	patch(c, j, here(c));
	c->fs->depth--;
	if (!n->c)
		emit(c, n->pos, OP_UNIT, 0, 0, 1);
	else if (n->c->kind == LANG_N_IF)
		if_expr(c, n->c);
	else
		block(c, n->c);
	patch(c, end, here(c));
}

static void
closure_expr(comp *c, const lang_node *n, int is_async_block)
{
	/* compile_function also loads the captured values here and makes
	 * the closure or the async block's future. */
	if (is_async_block)
		compile_function(c, n, LANG_FUNC_ASYNC_BLOCK, "{async block}",
		                 NULL, 0, n->a, NULL);
	else
		compile_function(c, n, LANG_FUNC_CLOSURE, "{closure}",
		                 (const lang_node *const *)n->kids, n->nkids,
		                 n->a, n->b);
}

/* The byte offset of a position (1-based line, character column; a
 * byte-order mark takes no column). */
static size_t
src_offset(comp *c, lang_pos pos)
{
	size_t off = 0;
	if (c->src_len >= 3 && !memcmp(c->src, "\xef\xbb\xbf", 3))
		off = 3;
	uint32_t line = 1;
	while (off < c->src_len && line < pos.line)
		if (c->src[off++] == '\n')
			line++;
	for (uint32_t col = 1; off < c->src_len && col < pos.col; col++) {
		off++;
		while (off < c->src_len &&
		       ((unsigned char)c->src[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* The position of byte `target` of a string literal's value, walking its
 * source text with the escapes, so format errors point into the string
 * as rustc's do. */
static lang_pos
str_value_pos(comp *c, const lang_node *str, size_t target)
{
	lang_pos pos = str->pos;
	size_t off = src_offset(c, pos);
	int raw = (str->flags & LANG_F_RAW) != 0;
	/* Skip to just after the opening quote. */
	while (off < c->src_len && c->src[off] != '"') {
		off++;
		pos.col++;
	}
	off++;
	pos.col++;
	size_t value = 0;
	while (off < c->src_len && value < target) {
		unsigned char ch = (unsigned char)c->src[off];
		if (ch == '"' && !raw)
			break;
		if (ch == '\\' && !raw && off + 1 < c->src_len) {
			char e = c->src[off + 1];
			if (e == '\n' || e == '\r') {
				/* line continuation: skip the newline and the
				 * next line's leading whitespace */
				off += 2;
				pos.line++;
				pos.col = 1;
				while (off < c->src_len &&
				       (c->src[off] == ' ' || c->src[off] == '\t' ||
				        c->src[off] == '\n' || c->src[off] == '\r')) {
					if (c->src[off] == '\n') {
						pos.line++;
						pos.col = 1;
					} else if (c->src[off] != '\r') {
						pos.col++;
					}
					off++;
				}
				continue;
			}
			size_t n = 2, produced = 1;
			if (e == 'x')
				n = 4;
			else if (e == 'u') {
				size_t k = off + 2;
				while (k < c->src_len && c->src[k] != '}')
					k++;
				unsigned long cp = strtoul(c->src + off + 3, NULL, 16);
				produced = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
				n = k + 1 - off;
			}
			off += n;
			pos.col += (uint32_t)n;
			value += produced;
			continue;
		}
		if (ch == '\n') {
			pos.line++;
			pos.col = 1;
			off++;
			value++;
			continue;
		}
		size_t n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc0 ? 2 : 1;
		off += n;
		value += n;
		pos.col++;
	}
	return pos;
}

/* Format strings: `{}`, `{:?}`, `{name}`, `{0}`, `{:>8.2}` and so on. */
typedef struct fmt_state {
	comp *c;
	const lang_node *mac;
	lang_fmt_piece *pieces;
	uint32_t npieces, cap;
	const lang_node **args; /* positional then named, in order */
	const char **names;     /* names of named/captured args (NULL for
	                           positional) */
	uint32_t nargs, nposargs, capargs;
	uint8_t *used;
	int error;
	uint32_t first; /* index of the format string among the macro args */
	size_t at;      /* byte of the format string errors point at */
	size_t first_placeholder;
} fmt_state;

static int
fmt_push(fmt_state *st, lang_fmt_piece p)
{
	if (grow((void **)&st->pieces, &st->cap, st->npieces + 1,
	         sizeof *st->pieces) < 0) {
		st->c->oom = 1;
		return -1;
	}
	st->pieces[st->npieces++] = p;
	return 0;
}

static int
fmt_named_arg(fmt_state *st, const char *name, size_t len, lang_pos pos)
{
	for (uint32_t i = st->nposargs; i < st->nargs; i++)
		if (st->names[i] && strlen(st->names[i]) == len &&
		    strncmp(st->names[i], name, len) == 0)
			return (int)i;
	/* Rust 2021 captures a variable of that name. */
	char *n = arena_alloc(st->c->prog, len + 1);
	if (!n) {
		st->c->oom = 1;
		return -1;
	}
	memcpy(n, name, len);
	n[len] = 0;
	if (st->nargs + 1 > st->capargs) {
		uint32_t cap = st->capargs * 2 + 8;
		const lang_node **a = realloc(st->args, cap * sizeof *a);
		const char **nm = realloc(st->names, cap * sizeof *nm);
		uint8_t *u = realloc(st->used, cap);
		if (a)
			st->args = a;
		if (nm)
			st->names = nm;
		if (u)
			st->used = u;
		if (!a || !nm || !u) {
			st->c->oom = 1;
			return -1;
		}
		st->capargs = cap;
	}
	st->args[st->nargs] = NULL; /* a captured variable */
	st->names[st->nargs] = n;
	st->used[st->nargs] = 1;
	(void)pos;
	return (int)st->nargs++;
}

static void
fmt_error(fmt_state *st, const char *fmt, const char *detail)
{
	if (!st->error) {
		const lang_node *str = st->mac->kids[st->first];
		error_at(st->c, str_value_pos(st->c, str, st->at), NULL, fmt,
		         detail);
	}
	st->error = 1;
}

static uint32_t
utf8_decode(const char *s, size_t len, size_t *adv)
{
	unsigned char b = (unsigned char)s[0];
	if (b < 0x80 || len < 2) {
		*adv = 1;
		return b;
	}
	int n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
	if ((size_t)n > len)
		n = (int)len;
	uint32_t cp = b & (0x7f >> n);
	for (int i = 1; i < n; i++)
		cp = (cp << 6) | ((unsigned char)s[i] & 0x3f);
	*adv = (size_t)n;
	return cp;
}

static void
fmt_parse_spec(fmt_state *st, const char *s, size_t len, lang_fmt_piece *p)
{
	size_t i = 0;
	/* fill and align */
	if (len >= 2) {
		size_t adv;
		uint32_t cp = utf8_decode(s, len, &adv);
		if (adv < len && (s[adv] == '<' || s[adv] == '>' || s[adv] == '^')) {
			p->fill = cp;
			p->align = (uint8_t)s[adv];
			i = adv + 1;
		}
	}
	if (!p->align && i < len && (s[i] == '<' || s[i] == '>' || s[i] == '^'))
		p->align = (uint8_t)s[i++];
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		if (s[i] == '+')
			p->sign = '+';
		i++;
	}
	if (i < len && s[i] == '#') {
		p->alternate = 1;
		i++;
	}
	if (i < len && s[i] == '0' && !(i + 1 < len && s[i + 1] == '$')) {
		p->zero = 1;
		i++;
	}
	if (i < len && s[i] >= '0' && s[i] <= '9') {
		long w = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && w < 100000)
			w = w * 10 + (s[i++] - '0');
		if (i < len && s[i] == '$') {
			fmt_error(st, "widths taken from arguments (`%s`) are not "
			              "supported yet", "N$");
			return;
		}
		p->width = (int32_t)w;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i < len && s[i] == '*') {
			fmt_error(st, "precision `%s` is not supported yet", ".*");
			return;
		}
		long pr = 0;
		size_t start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9' && pr < 100000)
			pr = pr * 10 + (s[i++] - '0');
		if (i == start || (i < len && s[i] == '$')) {
			fmt_error(st, "invalid format string: %s",
			          "expected a number after `.`");
			return;
		}
		p->precision = (int32_t)pr;
	}
	if (i < len) {
		if (s[i] == '?') {
			p->debug = 1;
			i++;
		} else if (s[i] == 'x' || s[i] == 'X' || s[i] == 'b' ||
		           s[i] == 'o' || s[i] == 'e') {
			p->radix = (uint8_t)s[i++];
			if (i < len && s[i] == '?') {
				p->debug = 1;
				i++;
			}
		}
	}
	if (i != len)
		fmt_error(st, "invalid format string: unknown format spec `%s`",
		          "...");
}

/* How many `{}` / `{:..}` placeholders take the next positional
 * argument. */
static uint32_t
count_placeholders(const char *s, size_t len)
{
	uint32_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
			i++;
			continue;
		}
		if (s[i] != '{')
			continue;
		size_t k = i + 1;
		while (k < len && s[k] == ' ')
			k++;
		if (k < len && (s[k] == '}' || s[k] == ':'))
			n++;
	}
	return n;
}

static int
is_ident_text(const char *s, size_t len)
{
	if (!len || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
	              (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* Compiles a format string and its arguments; pushes them and returns the
 * format index, or UINT32_MAX after an error. `*nargs_out` is how many
 * values were pushed. */
static uint32_t
format_args(comp *c, const lang_node *mac, uint32_t first, uint32_t *nargs_out,
            const char *suffix)
{
	*nargs_out = 0;
	const lang_node *fmt = mac->kids[first];
	if (fmt->kind != LANG_N_STR) {
		error_at(c, fmt->pos,
		         "write the text in quotes: `println!(\"{}\", value)`",
		         "format argument must be a string literal");
		return UINT32_MAX;
	}
	fmt_state st = {0};
	st.c = c;
	st.mac = mac;
	st.first = first;
	st.first_placeholder = SIZE_MAX;
	/* Positional and `name = value` arguments. */
	uint32_t total = mac->nkids - first - 1;
	st.capargs = total + 8;
	st.args = calloc(st.capargs, sizeof *st.args);
	st.names = calloc(st.capargs, sizeof *st.names);
	st.used = calloc(st.capargs, 1);
	if (!st.args || !st.names || !st.used) {
		c->oom = 1;
		free(st.args);
		free(st.names);
		free(st.used);
		return UINT32_MAX;
	}
	for (uint32_t i = first + 1; i < mac->nkids; i++) {
		const lang_node *a = mac->kids[i];
		if (a->kind == LANG_N_ASSIGN && a->op == LANG_OP_NONE &&
		    a->a->kind == LANG_N_PATH && a->a->nsegs == 1) {
			st.args[st.nargs] = a->b;
			st.names[st.nargs] = a->a->segs[0];
		} else {
			if (st.nargs > st.nposargs) {
				error_at(c, a->pos, NULL,
				         "positional arguments cannot follow named "
				         "arguments");
				st.error = 1;
			}
			st.args[st.nargs] = a;
			st.nposargs++;
		}
		st.nargs++;
	}
	const char *s = fmt->str;
	size_t len = fmt->str_len, i = 0, lit_start = 0;
	uint32_t next_pos = 0;
	char *litbuf = malloc(len + strlen(suffix) + 1);
	size_t litlen = 0;
	if (!litbuf) {
		c->oom = 1;
		st.error = 1;
	}
	(void)lit_start;
	while (!st.error && i < len) {
		char ch = s[i];
		if (ch == '{' && i + 1 < len && s[i + 1] == '{') {
			litbuf[litlen++] = '{';
			i += 2;
			continue;
		}
		if (ch == '}' && i + 1 < len && s[i + 1] == '}') {
			litbuf[litlen++] = '}';
			i += 2;
			continue;
		}
		if (ch == '}') {
			st.at = i;
			fmt_error(&st, "invalid format string: %s",
			          "unmatched `}` found (write `}}` for a brace)");
			break;
		}
		if (ch != '{') {
			litbuf[litlen++] = ch;
			i++;
			continue;
		}
		size_t close = i + 1;
		while (close < len && s[close] != '}' && s[close] != '{')
			close++;
		if (close >= len || s[close] != '}') {
			st.at = close;
			fmt_error(&st, "invalid format string: %s",
			          "expected `}` (write `{{` for a brace)");
			break;
		}
		if (st.first_placeholder == SIZE_MAX)
			st.first_placeholder = i;
		st.at = i + 1;
		if (litlen) {
			char *t = arena_alloc(c->prog, litlen + 1);
			if (!t) {
				c->oom = 1;
				break;
			}
			memcpy(t, litbuf, litlen);
			lang_fmt_piece lp = {0};
			lp.text = t;
			lp.len = litlen;
			fmt_push(&st, lp);
			litlen = 0;
		}
		const char *inner = s + i + 1;
		size_t ilen = close - i - 1;
		size_t colon = 0;
		while (colon < ilen && inner[colon] != ':')
			colon++;
		lang_fmt_piece p = {0};
		p.is_arg = 1;
		p.fill = ' ';
		p.width = -1;
		p.precision = -1;
		/* trim spaces around the argument name */
		size_t as = 0, ae = colon;
		while (as < ae && inner[as] == ' ')
			as++;
		while (ae > as && inner[ae - 1] == ' ')
			ae--;
		int argi;
		if (as == ae) {
			argi = (int)next_pos++;
			if ((uint32_t)argi >= st.nposargs) {
				/* rustc counts every placeholder and points at
				 * the first. */
				st.at = st.first_placeholder;
				uint32_t want = count_placeholders(s, len);
				char d[96];
				snprintf(d, sizeof d,
				         "%u positional argument%s in format string, "
				         "but there %s %u argument%s",
				         want, want == 1 ? "" : "s",
				         st.nposargs == 1 ? "is" : "are", st.nposargs,
				         st.nposargs == 1 ? "" : "s");
				fmt_error(&st, "%s", d);
				break;
			}
		} else if (inner[as] >= '0' && inner[as] <= '9') {
			argi = atoi(inner + as);
			if ((uint32_t)argi >= st.nposargs) {
				char d[96];
				snprintf(d, sizeof d,
				         "invalid reference to positional argument "
				         "%d (there %s %u argument%s)",
				         argi, st.nposargs == 1 ? "is" : "are",
				         st.nposargs, st.nposargs == 1 ? "" : "s");
				fmt_error(&st, "%s", d);
				break;
			}
		} else if (is_ident_text(inner + as, ae - as)) {
			st.at = (size_t)(inner + as - s);
			argi = fmt_named_arg(&st, inner + as, ae - as, fmt->pos);
			if (argi < 0)
				break;
			if (!st.args[argi] &&
			    resolve_var(c, c->fs, st.names[argi], NULL, NULL) < 0) {
				char d[160];
				snprintf(d, sizeof d, "%.100s", st.names[argi]);
				fmt_error(&st, "cannot find value `%s` in this scope",
				          d);
				break;
			}
		} else {
			fmt_error(&st, "invalid format string: %s",
			          "expected an argument name or number");
			break;
		}
		st.used[argi] = 1;
		p.arg = (uint8_t)argi;
		if (argi > 255) {
			fmt_error(&st, "%s", "too many format arguments");
			break;
		}
		if (colon < ilen)
			fmt_parse_spec(&st, inner + colon + 1, ilen - colon - 1, &p);
		fmt_push(&st, p);
		i = close + 1;
	}
	if (!st.error && litbuf) {
		size_t sl = strlen(suffix);
		memcpy(litbuf + litlen, suffix, sl);
		litlen += sl;
		if (litlen) {
			char *t = arena_alloc(c->prog, litlen + 1);
			if (t) {
				memcpy(t, litbuf, litlen);
				lang_fmt_piece lp = {0};
				lp.text = t;
				lp.len = litlen;
				fmt_push(&st, lp);
			} else {
				c->oom = 1;
			}
		}
	}
	free(litbuf);
	for (uint32_t k = 0; !st.error && k < st.nargs; k++)
		if (!st.used[k]) {
			const lang_node *a = st.args[k];
			error_at(c, a ? a->pos : fmt->pos, NULL,
			         st.nargs - st.nposargs > 0 && k >= st.nposargs
			                 ? "named argument never used"
			                 : "argument never used");
			st.error = 1;
		}
	uint32_t idx = UINT32_MAX;
	if (!st.error) {
		/* Push the values: explicit ones, then captured variables. */
		for (uint32_t k = 0; k < st.nargs; k++) {
			if (st.args[k]) {
				expr(c, st.args[k]);
			} else {
				int boxed = 0;
				int64_t slot = resolve_var_boxed(
					c, c->fs, st.names[k], NULL, NULL, &boxed);
				if (slot < 0) {
					error_at(c, fmt->pos, NULL,
					         "cannot find value `%s` in this "
					         "scope",
					         st.names[k]);
					st.error = 1;
					break;
				}
				load_var(c, fmt->pos, (uint32_t)slot, boxed);
			}
		}
	}
	if (!st.error) {
		lang_program *p = c->prog;
		if (GROW(c, p->formats, c->capformats, p->nformats + 1) == 0) {
			lang_format *f = &p->formats[p->nformats];
			f->pieces = st.pieces;
			f->npieces = st.npieces;
			f->nargs = st.nargs;
			st.pieces = NULL;
			idx = p->nformats++;
			*nargs_out = st.nargs;
		}
	}
	free(st.pieces);
	free(st.args);
	free(st.names);
	free(st.used);
	return idx;
}

/* Pushes a String built from a format string (or from a fixed text). */
static int
format_string(comp *c, const lang_node *mac, uint32_t first,
              const char *suffix)
{
	uint32_t n;
	uint32_t idx = format_args(c, mac, first, &n, suffix);
	if (idx == UINT32_MAX)
		return -1;
	emit(c, mac->pos, OP_FORMAT, (uint8_t)n, idx, 1 - (int32_t)n);
	return 0;
}

/* A format the compiler writes itself (assert_eq!'s message): literal
 * texts, and NULL entries standing for `{:?}` of the next argument. */
static uint32_t
fixed_format(comp *c, const char *const *texts, uint32_t ntexts)
{
	lang_program *p = c->prog;
	lang_fmt_piece *pieces = calloc(ntexts ? ntexts : 1, sizeof *pieces);
	if (!pieces) {
		c->oom = 1;
		return UINT32_MAX;
	}
	uint32_t nargs = 0;
	for (uint32_t i = 0; i < ntexts; i++) {
		lang_fmt_piece *pc = &pieces[i];
		if (texts[i]) {
			pc->text = arena_strdup(p, texts[i]);
			pc->len = strlen(texts[i]);
		} else {
			pc->is_arg = 1;
			pc->arg = (uint8_t)nargs++;
			pc->debug = 1;
			pc->fill = ' ';
			pc->width = -1;
			pc->precision = -1;
		}
	}
	if (GROW(c, p->formats, c->capformats, p->nformats + 1) < 0) {
		free(pieces);
		return UINT32_MAX;
	}
	p->formats[p->nformats].pieces = pieces;
	p->formats[p->nformats].npieces = ntexts;
	p->formats[p->nformats].nargs = nargs;
	return p->nformats++;
}

/* The source text of a macro's first argument, for assert!'s message:
 * whitespace runs collapsed, as Rust's stringify! shows it. */
static char *
assert_text(comp *c, const lang_node *mac)
{
	const lang_node *arg = mac->kids[0];
	size_t off = src_offset(c, lang_node_start(arg));
	/* Scan to the top-level `,` or `)` that ends the argument. */
	int depth = 0;
	size_t end = off;
	while (end < c->src_len) {
		char ch = c->src[end];
		if (ch == '"') {
			end++;
			while (end < c->src_len && c->src[end] != '"') {
				if (c->src[end] == '\\')
					end++;
				end++;
			}
		} else if (ch == '(' || ch == '[' || ch == '{') {
			depth++;
		} else if (ch == ')' || ch == ']' || ch == '}') {
			if (depth == 0)
				break;
			depth--;
		} else if (ch == ',' && depth == 0) {
			break;
		}
		end++;
	}
	char *out = malloc(end - off + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	int space = 0;
	for (size_t i = off; i < end && i < c->src_len; i++) {
		char ch = c->src[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = 1;
			continue;
		}
		if (space && n)
			out[n++] = ' ';
		space = 0;
		out[n++] = ch;
	}
	out[n] = 0;
	return out;
}

static void
panic_with_text(comp *c, lang_pos pos, const char *text)
{
	emit_str(c, pos, text, strlen(text));
	emit(c, pos, OP_PANIC, 0, 0, -1);
	c->fs->depth++; /* a diverging expression still "has" a value */
}

static void
macro_expr(comp *c, const lang_node *n)
{
	const char *name = n->name;
	/* `join!` imported from tokio */
	const char *expanded = use_lookup(c, name);
	char full[256];
	snprintf(full, sizeof full, "%s", expanded ? expanded : name);
	lang_pos pos = n->pos;

	int is_println = !strcmp(full, "println"), is_print = !strcmp(full, "print");
	int is_eprintln = !strcmp(full, "eprintln"),
	    is_eprint = !strcmp(full, "eprint");
	if (is_println || is_print || is_eprintln || is_eprint) {
		int nl = is_println || is_eprintln;
		if (n->nkids == 0) {
			if (!nl) {
				error_at(c, pos, NULL,
				         "requires at least a format string argument");
				return;
			}
			emit_str(c, pos, "\n", 1);
		} else if (format_string(c, n, 0, nl ? "\n" : "") < 0) {
			return;
		}
		emit(c, pos, OP_PRINT, (uint8_t)(is_println || is_print ? 1 : 2),
		     0, -1);
		emit(c, pos, OP_UNIT, 0, 0, 1);
		return;
	}
	if (!strcmp(full, "format")) {
		if (n->nkids == 0) {
			error_at(c, pos, NULL,
			         "requires at least a format string argument");
			return;
		}
		format_string(c, n, 0, "");
		return;
	}
	if (!strcmp(full, "panic") || !strcmp(full, "todo") ||
	    !strcmp(full, "unimplemented") || !strcmp(full, "unreachable")) {
		static const struct {
			const char *name, *text;
		} defaults[] = {
			{"panic", "explicit panic"},
			{"todo", "not yet implemented"},
			{"unimplemented", "not implemented"},
			{"unreachable", "internal error: entered unreachable code"},
		};
		const char *def = "";
		for (size_t i = 0; i < 4; i++)
			if (!strcmp(defaults[i].name, full))
				def = defaults[i].text;
		if (n->nkids == 0) {
			panic_with_text(c, pos, def);
			return;
		}
		if (strcmp(full, "panic") != 0) {
			/* todo!("x") panics with "not yet implemented: x". */
			char pre[128];
			snprintf(pre, sizeof pre, "%s: ", def);
			emit_str(c, pos, pre, strlen(pre));
			if (format_string(c, n, 0, "") < 0)
				return;
			emit(c, pos, OP_BINARY, LANG_BIN_ADD, 0, -1);
		} else if (format_string(c, n, 0, "") < 0) {
			return;
		}
		emit(c, pos, OP_PANIC, 0, 0, -1);
		c->fs->depth++;
		return;
	}
	if (!strcmp(full, "assert")) {
		if (n->nkids == 0) {
			error_at(c, pos, NULL, "assert! needs a condition");
			return;
		}
		expr(c, n->kids[0]);
		uint32_t j = emit(c, pos, OP_JUMP_FALSE, 0, 0, -1);
		uint32_t ok = emit(c, pos, OP_JUMP, 0, 0, 0);
		patch(c, j, here(c));
		if (n->nkids > 1) {
			if (format_string(c, n, 1, "") < 0)
				return;
			emit(c, pos, OP_PANIC, 0, 0, -1);
		} else {
			char *t = assert_text(c, n);
			char *msg = malloc(strlen(t ? t : "") + 32);
			if (msg) {
				sprintf(msg, "assertion failed: %s", t ? t : "");
				emit_str(c, pos, msg, strlen(msg));
				emit(c, pos, OP_PANIC, 0, 0, -1);
			}
			free(msg);
			free(t);
		}
		patch(c, ok, here(c));
		emit(c, pos, OP_UNIT, 0, 0, 1);
		return;
	}
	if (!strcmp(full, "assert_eq") || !strcmp(full, "assert_ne")) {
		int eq = !strcmp(full, "assert_eq");
		if (n->nkids < 2) {
			error_at(c, pos, NULL, "%s! needs two values", full);
			return;
		}
		enter_block(c);
		local *l = add_local(c, "", 0, 1);
		local *r = add_local(c, "", 0, 1);
		if (!l || !r)
			return;
		uint32_t ls = l->slot, rs = r->slot;
		expr(c, n->kids[0]);
		emit(c, pos, OP_STORE, 0, ls, -1);
		expr(c, n->kids[1]);
		emit(c, pos, OP_STORE, 0, rs, -1);
		emit(c, pos, OP_LOAD, 0, ls, 1);
		emit(c, pos, OP_LOAD, 0, rs, 1);
		emit(c, pos, OP_BINARY, eq ? LANG_BIN_EQ : LANG_BIN_NE, 0, -1);
		uint32_t j = emit(c, pos, OP_JUMP_FALSE, 0, 0, -1);
		uint32_t ok = emit(c, pos, OP_JUMP, 0, 0, 0);
		patch(c, j, here(c));
		/* assertion `left == right` failed[: MSG]\n  left: L\n right: R */
		char head[64];
		snprintf(head, sizeof head, "assertion `left %s right` failed",
		         eq ? "==" : "!=");
		emit_str(c, pos, head, strlen(head));
		if (n->nkids > 2) {
			emit_str(c, pos, ": ", 2);
			emit(c, pos, OP_BINARY, LANG_BIN_ADD, 0, -1);
			if (format_string(c, n, 2, "") < 0)
				return;
			emit(c, pos, OP_BINARY, LANG_BIN_ADD, 0, -1);
		}
		const char *texts[] = {"\n  left: ", NULL, "\n right: ", NULL};
		uint32_t f = fixed_format(c, texts, 4);
		if (f == UINT32_MAX)
			return;
		emit(c, pos, OP_LOAD, 0, ls, 1);
		emit(c, pos, OP_LOAD, 0, rs, 1);
		emit(c, pos, OP_FORMAT, 2, f, -1);
		emit(c, pos, OP_BINARY, LANG_BIN_ADD, 0, -1);
		emit(c, pos, OP_PANIC, 0, 0, -1);
		patch(c, ok, here(c));
		leave_block(c, pos, 1);
		emit(c, pos, OP_UNIT, 0, 0, 1);
		return;
	}
	if (!strcmp(full, "vec")) {
		if (n->flags & LANG_F_REPEAT) {
			vec_items(c, n, (const lang_node *const *)n->kids, 1);
			expr(c, n->kids[1]);
			emit(c, pos, OP_VEC_REPEAT, 0, 0, -1);
			return;
		}
		vec_items(c, n, (const lang_node *const *)n->kids, n->nkids);
		emit(c, pos, OP_VEC, 0, n->nkids, 1 - (int32_t)n->nkids);
		return;
	}
	if (!strcmp(full, "tokio::join") || !strcmp(full, "futures::join")) {
		if (n->nkids == 0 || n->nkids > 64) {
			error_at(c, pos, NULL, "join! needs between 1 and 64 futures");
			return;
		}
		call_args(c, n);
		emit(c, pos, OP_JOIN, (uint8_t)n->nkids, 0, 1 - (int32_t)n->nkids);
		/* join! expands to an .await of the joined future. */
		if (!check_async(c, pos))
			return;
		uint32_t idx = new_await(c, pos);
		emit(c, pos, OP_AWAIT, 0, idx, 0);
		return;
	}
	error_at(c, pos, NULL, "the macro `%s!` is not supported yet", name);
}

static void
expr(comp *c, const lang_node *n)
{
	if (c->oom)
		return;
	switch (n->kind) {
	case LANG_N_INT:
		int_literal(c, n, 0);
		return;
	case LANG_N_FLOAT: {
		lang_const k = {0};
		k.kind = LANG_CONST_FLOAT;
		k.f = n->fval;
		emit(c, n->pos, OP_CONST, 0, add_const(c, k), 1);
		return;
	}
	case LANG_N_BOOL:
		emit(c, n->pos, OP_BOOL, (uint8_t)(n->ival != 0), 0, 1);
		return;
	case LANG_N_STR:
		emit_str(c, n->pos, n->str, n->str_len);
		return;
	case LANG_N_CHAR: {
		lang_const k = {0};
		k.kind = LANG_CONST_CHAR;
		k.u = n->ival;
		emit(c, n->pos, OP_CONST, 0, add_const(c, k), 1);
		return;
	}
	case LANG_N_PATH:
		path_expr(c, n);
		return;
	case LANG_N_UNARY:
		if (n->op == LANG_OP_NEG && n->a->kind == LANG_N_INT) {
			int_literal(c, n->a, 1);
			return;
		}
		expr(c, n->a);
		if (n->op == LANG_OP_NEG)
			emit(c, n->pos, OP_NEG, 0, 0, 0);
		else if (n->op == LANG_OP_NOT)
			emit(c, n->pos, OP_NOT, 0, 0, 0);
		/* & and &mut and * are transparent: values are shared. */
		return;
	case LANG_N_BINARY:
		binary(c, n);
		return;
	case LANG_N_ASSIGN:
		assign(c, n);
		emit(c, n->pos, OP_UNIT, 0, 0, 1);
		return;
	case LANG_N_CAST: {
		lang_itype t = type_itype(n->b);
		if (t == LANG_IT_NONE) {
			error_at(c, n->b->pos, NULL,
			         "casting to `%s` is not supported yet",
			         n->b->str ? n->b->str : "?");
			return;
		}
		expr(c, n->a);
		emit(c, n->pos, OP_CAST, (uint8_t)t, 0, 0);
		return;
	}
	case LANG_N_RANGE: {
		uint8_t flags = 0;
		if (n->a) {
			expr(c, n->a);
			flags |= LANG_RANGE_START;
		}
		if (n->b) {
			expr(c, n->b);
			flags |= LANG_RANGE_END;
		}
		if (n->flags & LANG_F_INCLUSIVE)
			flags |= LANG_RANGE_INCLUSIVE;
		int32_t pops = (n->a != NULL) + (n->b != NULL);
		emit(c, n->pos, OP_RANGE, flags, 0, 1 - pops);
		return;
	}
	case LANG_N_CALL:
		call(c, n);
		return;
	case LANG_N_METHOD:
		method(c, n);
		return;
	case LANG_N_FIELD: {
		const char *s = n->name;
		char *end = NULL;
		unsigned long idx = strtoul(s, &end, 10);
		if (!*s || *end) {
			error_at(c, n->pos, NULL,
			         "struct fields are not supported yet (`.%s`)", s);
			return;
		}
		expr(c, n->a);
		emit(c, n->pos, OP_FIELD, 0, (uint32_t)idx, 0);
		return;
	}
	case LANG_N_INDEX:
		expr(c, n->a);
		expr(c, n->b);
		/* Rust reports an index out of bounds at the `[`. */
		emit(c, n->pos, OP_INDEX, 0, 0, -1);
		return;
	case LANG_N_AWAIT:
		await_expr(c, n);
		return;
	case LANG_N_TRY: {
		/* e?  is  match e { Ok(v) | Some(v) => v, other => return other } */
		expr(c, n->a);
		emit(c, n->pos, OP_DUP, 0, 0, 1);
		emit(c, n->pos, OP_METHOD, 0, LANG_M_TRY_FAILED, 0);
		uint32_t j = emit(c, n->pos, OP_JUMP_FALSE, 0, 0, -1);
		emit(c, n->pos, OP_RET, 0, 0, -1);
		c->fs->depth += 1;
		patch(c, j, here(c));
		emit(c, n->pos, OP_METHOD, 0, LANG_M_UNWRAP, 0);
		return;
	}
	case LANG_N_TUPLE:
		if (n->nkids == 0) {
			emit(c, n->pos, OP_UNIT, 0, 0, 1);
			return;
		}
		call_args(c, n);
		emit(c, n->pos, OP_TUPLE, 0, n->nkids, 1 - (int32_t)n->nkids);
		return;
	case LANG_N_ARRAY:
		if (n->flags & LANG_F_REPEAT) {
			vec_items(c, n, (const lang_node *const *)&n->a, 1);
			expr(c, n->b);
			emit(c, n->pos, OP_VEC_REPEAT, 0, 0, -1);
			return;
		}
		vec_items(c, n, (const lang_node *const *)n->kids, n->nkids);
		emit(c, n->pos, OP_VEC, 0, n->nkids, 1 - (int32_t)n->nkids);
		return;
	case LANG_N_BLOCK:
		block(c, n);
		return;
	case LANG_N_ASYNC_BLOCK:
		closure_expr(c, n, 1);
		return;
	case LANG_N_IF:
		if_expr(c, n);
		return;
	case LANG_N_WHILE:
		while_expr(c, n);
		return;
	case LANG_N_LOOP:
		loop_expr(c, n);
		return;
	case LANG_N_FOR:
		for_expr(c, n);
		return;
	case LANG_N_BREAK:
		break_expr(c, n);
		return;
	case LANG_N_CONTINUE:
		continue_expr(c, n);
		return;
	case LANG_N_RETURN:
		if (n->a)
			expr(c, n->a);
		else
			emit(c, n->pos, OP_UNIT, 0, 0, 1);
		emit(c, n->pos, OP_RET, 0, 0, -1);
		c->fs->depth++;
		return;
	case LANG_N_CLOSURE:
		closure_expr(c, n, 0);
		return;
	case LANG_N_MACRO:
		macro_expr(c, n);
		return;
	default:
		error_at(c, n->pos, NULL, "this expression is not supported yet");
		return;
	}
}

static void
stmt(comp *c, const lang_node *n)
{
	if (c->oom)
		return;
	emit(c, n->pos, OP_STMT, 0, 0, 0);
	int32_t depth = c->fs->depth;
	switch (n->kind) {
	case LANG_N_LET: {
		lang_itype annot = type_itype(n->b);
		if (n->c) {
			if ((n->c->kind == LANG_N_ARRAY ||
			     (n->c->kind == LANG_N_MACRO && n->c->name &&
			      !strcmp(n->c->name, "vec"))))
				c->vec_elem = vec_elem_itype(n->b);
			expr(c, n->c);
			c->vec_elem = LANG_IT_NONE;
		} else {
			emit(c, n->pos, OP_UNIT, 0, 0, 1);
		}
		bind_pattern(c, n->a, annot);
		if (!n->c && n->a->kind == LANG_N_PAT_IDENT && c->fs->nlocals)
			c->fs->locals[c->fs->nlocals - 1].assigned = 0;
		if (n->a->kind == LANG_N_PAT_IDENT && c->fs->nlocals &&
		    ((n->c && n->c->kind == LANG_N_UNARY &&
		      n->c->op == LANG_OP_REF_MUT) ||
		     (n->b && n->b->str && !strncmp(n->b->str, "&mut", 4)) ||
		     !n->c))
			c->fs->locals[c->fs->nlocals - 1].mut_ref = 1;
		break;
	}
	case LANG_N_EXPR_STMT:
		expr(c, n->a);
		emit(c, n->pos, OP_POP, 0, 0, -1);
		break;
	default:
		error_at(c, n->pos, NULL, "this statement is not supported yet");
		break;
	}
	/* Errors can leave the depth off; keep later code consistent. */
	if (c->diags->nerrors)
		c->fs->depth = depth;
}

static void
block(comp *c, const lang_node *n)
{
	if (n->kind != LANG_N_BLOCK) {
		expr(c, n);
		return;
	}
	enter_block(c);
	for (uint32_t i = 0; i < n->nkids && !c->oom; i++)
		stmt(c, n->kids[i]);
	if (n->a) {
		emit(c, n->a->pos, OP_STMT, 0, 0, 0);
		expr(c, n->a);
	} else {
		emit(c, n->pos, OP_UNIT, 0, 0, 1);
	}
	leave_block(c, n->pos, 1);
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */
/* ------------------------------------------------------------------ */

static uint32_t
new_func(comp *c)
{
	lang_program *p = c->prog;
	if (GROW(c, p->funcs, c->capfuncs, p->nfuncs + 1) < 0)
		return UINT32_MAX;
	memset(&p->funcs[p->nfuncs], 0, sizeof p->funcs[0]);
	return p->nfuncs++;
}

/* Compiles a function, closure or async block body into funcs[index]. For
 * closures and async blocks, after it returns the captures are loaded and
 * the closure or future made by the caller (closure_expr). */
static uint32_t
compile_function(comp *c, const lang_node *fn_node, lang_func_kind kind,
                 const char *name, const lang_node *const *params,
                 uint32_t nparams, const lang_node *body,
                 const lang_node *ret_type)
{
	uint32_t index = UINT32_MAX;
	if (kind == LANG_FUNC_CLOSURE || kind == LANG_FUNC_ASYNC_BLOCK) {
		index = new_func(c);
		if (index == UINT32_MAX)
			return index;
	} else {
		const fn_item *f = find_fn(c, name);
		index = f ? f->index : UINT32_MAX;
		if (index == UINT32_MAX)
			return index;
	}
	fstate fs = {0};
	fs.parent = c->fs;
	fs.index = index;
	fs.kind = kind;
	fs.is_async = kind == LANG_FUNC_ASYNC_FN || kind == LANG_FUNC_ASYNC_BLOCK;
	fs.is_main = kind == LANG_FUNC_FN && !strcmp(name, "main");
	fs.name = name;
	c->fs = &fs;
	uint8_t *pit = calloc(nparams ? nparams : 1, 1);
	if (!pit)
		c->oom = 1;
	/* Parameters take the first slots, in order. */
	uint32_t *param_slot = calloc(nparams ? nparams : 1, sizeof *param_slot);
	for (uint32_t i = 0; i < nparams && param_slot && pit; i++) {
		param_slot[i] = new_slot(c);
		pit[i] = (uint8_t)type_itype(params[i]->b);
	}
	enter_block(c);
	for (uint32_t i = 0; i < nparams && param_slot && pit; i++) {
		const lang_node *pat = params[i]->a;
		if (pat->kind == LANG_N_PAT_IDENT) {
			/* Bind the name to the parameter's own slot. */
			if (GROW(c, fs.locals, fs.caplocals, fs.nlocals + 1) == 0) {
				local *l = &fs.locals[fs.nlocals++];
				memset(l, 0, sizeof *l);
				l->name = pat->name;
				l->slot = param_slot[i];
				l->depth = fs.block_depth;
				l->mut = (pat->flags & LANG_F_MUT) != 0;
				l->assigned = 1;
				const lang_node *ty = params[i]->b;
				l->mut_ref = !ty || (ty->str &&
				                     !strncmp(ty->str, "&mut", 4));
				link_local(&fs, fs.nlocals - 1);
				if (is_boxed_name(c, pat->name)) {
					uint32_t ps = param_slot[i];
					l->boxed = 1;
					emit(c, pat->pos, OP_LOAD, 0, ps, 1);
					emit(c, pat->pos, OP_BOX, 0, 0, 0);
					emit(c, pat->pos, OP_STORE, 0, ps, -1);
				}
			}
		} else if (pat->kind != LANG_N_PAT_WILD) {
			emit(c, pat->pos, OP_LOAD, 0, param_slot[i], 1);
			bind_pattern(c, pat, LANG_IT_NONE);
		}
	}
	free(param_slot);
	block(c, body);
	leave_block(c, body->pos, 0);
	emit(c, body->pos, OP_RET, 0, 0, -1);

	lang_func *f = &c->prog->funcs[index];
	f->name = arena_strdup(c->prog, name);
	f->kind = kind;
	f->pos = fn_node->pos;
	f->nparams = nparams;
	f->param_itype = pit;
	f->ret_itype = (uint8_t)type_itype(ret_type);
	f->code = fs.code;
	f->pos_of = fs.pos;
	f->ncode = fs.ncode;
	f->awaits = fs.awaits;
	f->nawaits = fs.nawaits;
	f->nslots = fs.nslots;
	f->max_stack = (uint32_t)(fs.max_depth > 0 ? fs.max_depth : 0) + 1;
	f->ncaptures = fs.ncaps;
	f->capture_slot = calloc(fs.ncaps ? fs.ncaps : 1, sizeof *f->capture_slot);
	if (!f->capture_slot)
		c->oom = 1;
	for (uint32_t i = 0; i < fs.ncaps && f->capture_slot; i++)
		f->capture_slot[i] = fs.caps[i].slot;
	c->fs = fs.parent;
	/* The enclosing function loads the captured values, then makes the
	 * closure or the async block's future. */
	if (kind == LANG_FUNC_CLOSURE || kind == LANG_FUNC_ASYNC_BLOCK) {
		for (uint32_t i = 0; i < fs.ncaps; i++) {
			emit(c, fn_node->pos, OP_LOAD, 0, fs.caps[i].outer_slot, 1);
			/* A `move` closure owns a copy of what it captured: its
			 * own cell, so its changes stay its own. */
			if (fs.caps[i].boxed && (fn_node->flags & LANG_F_MOVE)) {
				emit(c, fn_node->pos, OP_UNBOX, 0, 0, 0);
				emit(c, fn_node->pos, OP_BOX, 0, 0, 0);
			}
		}
		emit(c, fn_node->pos,
		     kind == LANG_FUNC_CLOSURE ? OP_CLOSURE : OP_ASYNC_BLOCK,
		     (uint8_t)fs.ncaps, index, 1 - (int32_t)fs.ncaps);
		if (fs.ncaps > 255)
			error_at(c, fn_node->pos, NULL,
			         "a closure cannot capture more than 255 variables");
	}
	free(fs.locals);
	free(fs.buckets);
	for (uint32_t i = 0; i < fs.nloops; i++) {
		free(fs.loops[i].breaks);
		free(fs.loops[i].continues);
	}
	free(fs.loops);
	free(fs.caps);
	return index;
}

static void
add_boxname(comp *c, const char *name)
{
	if (is_boxed_name(c, name))
		return;
	if (GROW(c, c->boxnames, c->capbox, c->nbox + 1) < 0)
		return;
	c->boxnames[c->nbox++] = name;
}

/* Finds the variables closures and async blocks assign to. The tree's
 * depth is bounded by the parser, so recursion is safe. */
static void
find_boxed(comp *c, const lang_node *n, int in_closure)
{
	if (!n)
		return;
	if (n->kind == LANG_N_CLOSURE || n->kind == LANG_N_ASYNC_BLOCK)
		in_closure = 1;
	if (in_closure && n->kind == LANG_N_ASSIGN && n->a &&
	    n->a->kind == LANG_N_PATH && n->a->nsegs == 1)
		add_boxname(c, n->a->segs[0]);
	find_boxed(c, n->a, in_closure);
	find_boxed(c, n->b, in_closure);
	find_boxed(c, n->c, in_closure);
	find_boxed(c, n->d, in_closure);
	for (uint32_t i = 0; i < n->nkids; i++)
		find_boxed(c, n->kids[i], in_closure);
}

static const lang_node *
fn_attr(const lang_node *fn, const char *name)
{
	if (!fn->c)
		return NULL;
	for (uint32_t i = 0; i < fn->c->nkids; i++)
		if (fn->c->kids[i]->name && !strcmp(fn->c->kids[i]->name, name))
			return fn->c->kids[i];
	return NULL;
}

/* The crates a program can `use`: the standard library's, Tokio and the
 * futures crate, and paths inside the program itself. */
static const char *const known_crates[] = {
	"std", "core", "alloc", "tokio", "futures", "crate", "self", "super",
};

/* rustc reports an import from an unknown crate even when nothing uses it
 * (E0432), on the crate's name; one error for a whole `use` statement. */
static void
check_use_crate(comp *c, const lang_node *use, lang_pos *reported)
{
	const char *path = use->str ? use->str : "";
	size_t len = strcspn(path, ":");
	if (len == 0 || len >= 64)
		return;
	for (size_t i = 0; i < sizeof known_crates / sizeof *known_crates; i++)
		if (strlen(known_crates[i]) == len &&
		    strncmp(path, known_crates[i], len) == 0)
			return;
	if (reported->line == use->start.line && reported->col == use->start.col)
		return;
	*reported = use->start;
	error_at(c, use->start,
	         "only std, tokio and futures are available to programs here",
	         "unresolved import `%.*s`", (int)len, path);
}

/* ---- type names ---------------------------------------------------- */

/* The type names a program may write: the ones the simulator runs, and
 * the traits that appear in bounds and `impl`/`dyn` types. */
static const char *const known_types[] = {
	"i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32",
	"u64", "u128", "usize", "f32", "f64", "bool", "char", "str",
	"String", "Vec", "Option", "Result", "Duration", "Instant",
	"JoinHandle", "Future", "Fn", "FnMut", "FnOnce", "Send",
	"Sync", "Copy", "Clone", "Debug", "Display", "Sized", "Unpin",
	"Self",
};

/* Real types of std, Tokio and futures that programs here cannot use
 * yet: named, they get "not supported yet" rather than "cannot find". */
static const char *const unsupported_types[] = {
	"Box", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque",
	"BinaryHeap", "LinkedList", "Arc", "Rc", "Weak", "RefCell", "Cell",
	"Mutex", "RwLock", "Condvar", "Barrier", "Sender", "Receiver",
	"SyncSender", "Pin", "Poll", "Context", "Waker", "RawWaker",
	"Wake", "Iterator", "IntoIterator", "Error", "Ordering",
	"SystemTime", "PhantomData", "Cow", "File", "TcpStream",
	"TcpListener", "UdpSocket", "Runtime", "Handle", "Sleep",
	"Interval", "JoinSet", "Notify", "Semaphore", "BoxFuture",
	"FuturesUnordered", "FuturesOrdered", "Stream",
};

static int
type_ident_char(unsigned char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || (!first && ch >= '0' && ch <= '9');
}

static int
type_in(const char *const *list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], name, len) == 0)
			return 1;
	return 0;
}

/* Checks the names in one TYPE node's text ("Vec<Frob>", "impl
 * Future<Output = ()>", "std::collections::HashMap<u32, u32>"): the last
 * segment of each path, after following a `use` alias, must be a type
 * the simulator knows. Module segments, `impl`/`dyn`/`mut`/`fn`, `_` and
 * associated-type names (`Output =`) are not type names. One error per
 * TYPE node. */
static void
check_type_names(comp *c, const lang_node *type, int glob_use)
{
	static const char *const words[] = {"impl", "dyn", "mut", "fn",
	                                    "where", "_"};
	const char *t = type->str ? type->str : "";
	size_t n = type->str ? type->str_len : 0;
	for (size_t i = 0; i < n;) {
		if (!type_ident_char((unsigned char)t[i], 1)) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && type_ident_char((unsigned char)t[j], 0))
			j++;
		const char *name = t + i;
		size_t len = j - i;
		size_t k = j;
		while (k < n && t[k] == ' ')
			k++;
		int module = k + 1 < n && t[k] == ':' && t[k + 1] == ':';
		int assoc = k < n && t[k] == '=';
		int lifetime = i > 0 && t[i - 1] == '\'';
		i = j;
		if (module || assoc || lifetime || len >= 64 ||
		    type_in(words, sizeof words / sizeof *words, name, len))
			continue;
		char alias[64];
		memcpy(alias, name, len);
		alias[len] = 0;
		const char *path = use_lookup(c, alias);
		if (path) {
			const char *last = strrchr(path, ':');
			name = last ? last + 1 : path;
			len = strlen(name);
		}
		if (type_in(known_types, sizeof known_types / sizeof *known_types,
		            name, len))
			continue;
		if (type_in(unsupported_types,
		            sizeof unsupported_types / sizeof *unsupported_types,
		            name, len)) {
			error_at(c, type->pos,
			         "the types a program can use are listed in "
			         "async-tutorial(1), THE RUST SUBSET",
			         "the type `%.*s` is not supported yet", (int)len,
			         name);
			return;
		}
		if (glob_use)
			continue; /* `use x::*` may have brought it in */
		error_at(c, type->pos, NULL,
		         "cannot find type `%.*s` in this scope", (int)len, name);
		return;
	}
}

/* Every TYPE node of the tree, walked with a stack of our own: the tree
 * may be deep. */
static void
check_types(comp *c, const lang_node *root)
{
	int glob_use = 0;
	for (uint32_t i = 0; i < c->nuses; i++)
		if (strcmp(c->uses[i].alias, "*") == 0)
			glob_use = 1;
	const lang_node **stack = NULL;
	uint32_t len = 0, cap = 0;
	if (GROW(c, stack, cap, 1) < 0)
		return;
	stack[len++] = root;
	while (len > 0) {
		const lang_node *n = stack[--len];
		if (n->kind == LANG_N_TYPE) {
			check_type_names(c, n, glob_use);
			continue;
		}
		const lang_node *kids[4] = {n->a, n->b, n->c, n->d};
		if (GROW(c, stack, cap, len + 4 + n->nkids) < 0)
			break;
		for (uint32_t i = n->nkids; i-- > 0;)
			if (n->kids[i])
				stack[len++] = n->kids[i];
		for (int i = 4; i-- > 0;)
			if (kids[i])
				stack[len++] = kids[i];
	}
	free(stack);
}

static void
collect_items(comp *c, const lang_node *root)
{
	lang_pos reported = {0, 0};
	uint32_t nfn = 0;
	for (uint32_t i = 0; i < root->nkids; i++)
		if (root->kids[i]->kind == LANG_N_FN)
			nfn++;
	c->fns = calloc(nfn ? nfn : 1, sizeof *c->fns);
	if (!c->fns) {
		c->oom = 1;
		return;
	}
	uint32_t cap = 16;
	while (cap < 2 * (uint64_t)nfn && cap < (1u << 30))
		cap *= 2;
	c->fn_index = calloc(cap, sizeof *c->fn_index);
	if (!c->fn_index) {
		c->oom = 1;
		return;
	}
	c->fn_index_cap = cap;
	for (uint32_t i = 0; i < root->nkids; i++) {
		const lang_node *it = root->kids[i];
		if (it->kind == LANG_N_USE) {
			check_use_crate(c, it, &reported);
			if (GROW(c, c->uses, c->capuses, c->nuses + 1) < 0)
				return;
			c->uses[c->nuses].alias = it->name;
			c->uses[c->nuses].path = it->str;
			c->nuses++;
			continue;
		}
		if (it->kind != LANG_N_FN)
			continue;
		if (find_fn(c, it->name)) {
			error_at(c, it->pos, NULL,
			         "the name `%s` is defined multiple times", it->name);
			continue;
		}
		uint32_t idx = new_func(c);
		if (idx == UINT32_MAX)
			return;
		fn_item *f = &c->fns[c->nfns++];
		f->name = it->name;
		f->node = it;
		f->index = idx;
		f->is_async = (it->flags & LANG_F_ASYNC) != 0;
		index_fn(c, c->nfns - 1);
	}
}

lang_program *
lang_compile(const char *src, size_t len, lang_diags *diags)
{
	lang_ast *ast = lang_parse(src, len, diags);
	if (!ast)
		return NULL;
	lang_program *prog = calloc(1, sizeof *prog);
	if (!prog) {
		lang_ast_free(ast);
		return NULL;
	}
	prog->source = malloc(len + 1);
	if (prog->source) {
		memcpy(prog->source, src, len);
		prog->source[len] = 0;
		prog->source_len = len;
	}
	if (diags->nerrors) {
		lang_ast_free(ast);
		lang_program_free(prog);
		return NULL;
	}
	comp c = {0};
	c.diags = diags;
	c.prog = prog;
	c.src = src;
	c.src_len = len;
	const lang_node *root = lang_ast_root(ast);
	collect_items(&c, root);
	check_types(&c, root);
	const fn_item *mainf = find_fn(&c, "main");
	if (!c.oom && !mainf) {
		lang_pos end = {1, 1};
		error_at(&c, end, "add `fn main() { ... }`: the program starts there",
		         "`main` function not found in crate");
	}
	if (mainf) {
		const lang_node *m = mainf->node;
		const lang_node *tm = fn_attr(m, "tokio::main");
		prog->main_func = mainf->index;
		if (m->nkids)
			error_at(&c, m->pos, "write `fn main()`: it takes no "
			                     "arguments",
			         "`main` function has wrong type");
		if (tm) {
			if (!(m->flags & LANG_F_ASYNC))
				error_at(&c, m->pos, "write `async fn main()`",
				         "the `async` keyword is missing from the "
				         "function declaration");
			prog->runtime = (tm->str && strstr(tm->str, "current_thread"))
			                        ? LANG_RT_TOKIO_CURRENT
			                        : LANG_RT_TOKIO;
		} else if (m->flags & LANG_F_ASYNC) {
			error_at(&c, m->pos,
			         "put `#[tokio::main]` on the line above to run "
			         "`main` on the Tokio runtime",
			         "`main` function is not allowed to be `async`");
		}
	}
	for (uint32_t i = 0; i < c.nfns && !c.oom; i++) {
		const fn_item *f = &c.fns[i];
		const lang_node *fn = f->node;
		if (fn != (mainf ? mainf->node : NULL) && fn_attr(fn, "tokio::main"))
			error_at(&c, fn->pos, NULL,
			         "`#[tokio::main]` belongs on `fn main` only");
		if (fn_attr(fn, "tokio::test") || fn_attr(fn, "test"))
			error_at(&c, fn->pos, NULL, "tests are not supported yet");
		c.nbox = 0;
		find_boxed(&c, fn->b, 0);
		compile_function(&c, fn,
		                 f->is_async ? LANG_FUNC_ASYNC_FN : LANG_FUNC_FN,
		                 f->name, (const lang_node *const *)fn->kids,
		                 fn->nkids, fn->b, fn->a);
	}
	free(c.fns);
	free(c.fn_index);
	free(c.uses);
	free(c.boxnames);
	lang_ast_free(ast);
	if (c.oom) {
		lang_diags_add(diags, LANG_ERROR, (lang_pos){0, 0}, NULL,
		               "out of memory while compiling");
	}
	if (diags->nerrors) {
		lang_program_free(prog);
		return NULL;
	}
	return prog;
}
