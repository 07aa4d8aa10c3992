#include "config.h"

#include "lang/lang_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang_lex.h"

/* Expression restrictions: in the condition of `if`/`while` and the iterable
 * of `for`, `x {` must not start a struct literal, and `..` stops before `{`.
 */
enum { R_NONE = 0, R_NO_STRUCT = 1 };

/* Binding powers, lowest first, as in the Rust reference. */
enum {
	BP_ASSIGN = 1,
	BP_RANGE = 2,
	BP_OR = 3,
	BP_AND = 4,
	BP_CMP = 5,
	BP_BITOR = 6,
	BP_BITXOR = 7,
	BP_BITAND = 8,
	BP_SHIFT = 9,
	BP_ADD = 10,
	BP_MUL = 11,
	BP_CAST = 12
};

enum { LANG_PARSE_LOOKAHEAD = 4, LANG_PARSE_MAX_WARNINGS = 20 };

typedef struct lang_parser {
	lang_lexer *lx;
	lang_ast *ast;
	lang_diags *diags;
	const char *src;
	lang_token la[LANG_PARSE_LOOKAHEAD];
	unsigned nla;
	lang_tok_kind prev_kind; /* the last consumed token */
	lang_pos prev_end;
	size_t consumed;
	int depth;
	int panic; /* an error was reported and we have not resynchronised */
	int stop;  /* stop parsing: error limit, too deep, out of memory */
	int oom;
	int eof_reported; /* an unclosed delimiter at the end was reported */
	unsigned nwarnings;
	size_t nnodes;
	int stmt_start; /* the next primary starts an expression statement */
	int prim_blocklike; /* that primary was block-like */
	int blocklike_end;  /* the statement's expression ended block-like */
	char *tbuf;         /* scratch text for types, paths and use trees */
	size_t tlen;
	size_t tcap;
	char desc[120];
	lang_node dummy; /* handed out when memory runs out */
} lang_parser;

typedef struct lang_parse_vec {
	lang_node **v;
	uint32_t n;
	uint32_t cap;
} lang_parse_vec;

/* Attribute names that are accepted without a warning. */
static const char *const lang_parse_quiet_attrs[] = {
        "allow", "warn", "deny", "forbid", "expect",
};

/* Macros whose arguments are not expressions. */
static const struct {
	const char *name;
	const char *hint;
} lang_parse_unsupported_macros[] = {
        {"select", "race futures with `tokio::join!` for now"},
        {"tokio::select", "race futures with `tokio::join!` for now"},
        {"futures::select", NULL},
        {"futures::select_biased", NULL},
        {"matches", "compare with `==` for now"},
        {"macro_rules", NULL},
        {"thread_local", NULL},
        {"lazy_static", NULL},
        {"pin_mut", NULL},
};

static lang_node *lang_parse_expr_bp(lang_parser *p, int min, int restr);
static lang_node *lang_parse_block(lang_parser *p);
static lang_node *lang_parse_pattern(lang_parser *p);
static lang_node *lang_parse_type(lang_parser *p);
static void lang_parse_type_text(lang_parser *p);

/* ---- tokens ---- */

static void
lang_parse_fill(lang_parser *p)
{
	lang_token *t = &p->la[p->nla];
	lang_lex_next(p->lx, t);
	if (lang_lex_oom(p->lx)) {
		p->oom = 1;
		p->stop = 1;
	}
	if (t->text) {
		const char *copy =
		        lang_ast_strndup(p->ast, t->text, t->text_len);
		if (!copy) {
			p->oom = 1;
			p->stop = 1;
			copy = "";
		}
		t->text = copy;
	}
	p->nla++;
}

static lang_token *
lang_parse_peek(lang_parser *p, unsigned k)
{
	while (p->nla <= k)
		lang_parse_fill(p);
	return &p->la[k];
}

static lang_tok_kind
lang_parse_kind(lang_parser *p, unsigned k)
{
	return lang_parse_peek(p, k)->kind;
}

static int
lang_parse_at(lang_parser *p, lang_tok_kind kind)
{
	return lang_parse_kind(p, 0) == kind;
}

static lang_pos
lang_parse_pos(lang_parser *p)
{
	return lang_parse_peek(p, 0)->pos;
}

static void
lang_parse_bump(lang_parser *p)
{
	lang_parse_peek(p, 0);
	if (p->la[0].kind == LANG_T_EOF)
		return;
	p->prev_kind = p->la[0].kind;
	p->prev_end = p->la[0].end;
	p->consumed++;
	memmove(&p->la[0], &p->la[1], (p->nla - 1) * sizeof p->la[0]);
	p->nla--;
}

static int
lang_parse_eat(lang_parser *p, lang_tok_kind kind)
{
	if (!lang_parse_at(p, kind))
		return 0;
	lang_parse_bump(p);
	return 1;
}

/* Turns the first character of a two- or three-character token into a
 * consumed token: `>>` becomes `>` when closing nested generics, `&&` two
 * `&` in types and patterns. */
static void
lang_parse_split(lang_parser *p, lang_tok_kind first, lang_tok_kind rest)
{
	lang_token *t = lang_parse_peek(p, 0);
	p->prev_kind = first;
	p->prev_end = t->pos;
	p->prev_end.col++;
	t->kind = rest;
	t->pos.col++;
	t->off++;
	t->len--;
}

static int
lang_parse_eat_gt(lang_parser *p)
{
	switch (lang_parse_kind(p, 0)) {
	case LANG_T_GT:
		lang_parse_bump(p);
		return 1;
	case LANG_T_SHR:
		lang_parse_split(p, LANG_T_GT, LANG_T_GT);
		return 1;
	case LANG_T_GE:
		lang_parse_split(p, LANG_T_GT, LANG_T_EQ);
		return 1;
	case LANG_T_SHREQ:
		lang_parse_split(p, LANG_T_GT, LANG_T_GE);
		return 1;
	default:
		return 0;
	}
}

static int
lang_parse_at_gt(lang_parser *p)
{
	lang_tok_kind k = lang_parse_kind(p, 0);
	return k == LANG_T_GT || k == LANG_T_SHR || k == LANG_T_GE ||
	       k == LANG_T_SHREQ;
}

static int
lang_parse_is_ident(lang_parser *p, unsigned k, const char *name)
{
	lang_token *t = lang_parse_peek(p, k);
	return t->kind == LANG_T_IDENT && strcmp(t->text, name) == 0;
}

/* How a token is named in "found ..." messages. */
static const char *
lang_parse_desc(lang_parser *p, const lang_token *t)
{
	switch (t->kind) {
	case LANG_T_IDENT:
		snprintf(p->desc, sizeof p->desc, "identifier `%.60s`",
		         t->text);
		break;
	case LANG_T_LIFETIME:
		snprintf(p->desc, sizeof p->desc, "lifetime `'%.60s`", t->text);
		break;
	case LANG_T_INT:
	case LANG_T_FLOAT:
		snprintf(p->desc, sizeof p->desc, "%s `%.*s`",
		         lang_tok_kind_name(t->kind),
		         t->len > 40 ? 40 : (int)t->len, p->src + t->off);
		break;
	default:
		snprintf(p->desc, sizeof p->desc, "%s",
		         lang_tok_kind_name(t->kind));
	}
	return p->desc;
}

static const char *
lang_parse_found(lang_parser *p)
{
	return lang_parse_desc(p, lang_parse_peek(p, 0));
}

/* ---- diagnostics ---- */

static void
lang_parse_verror(lang_parser *p, lang_pos pos, const char *hint,
                  const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	lang_diags_add(p->diags, LANG_ERROR, pos, hint, "%s", msg);
	if (lang_diags_full(p->diags))
		p->stop = 1;
}

/* Reports an error unless one was reported since the last
 * resynchronisation (which would make this one a likely cascade). */
static void lang_parse_error(lang_parser *p, lang_pos pos, const char *hint,
                             const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
lang_parse_error(lang_parser *p, lang_pos pos, const char *hint,
                 const char *fmt, ...)
{
	if (p->panic || p->stop) {
		p->panic = 1;
		return;
	}
	p->panic = 1;
	/* The lexer already reported the token it could not read. */
	if (lang_parse_at(p, LANG_T_ERROR))
		return;
	va_list ap;
	va_start(ap, fmt);
	lang_parse_verror(p, pos, hint, fmt, ap);
	va_end(ap);
}

/* An error that no earlier error explains (an unclosed delimiter at the end
 * of the file): reported even in panic mode, once per file, and not when the
 * lexer gave up early, since that is why the end came too soon. */
static void lang_parse_error_at_eof(lang_parser *p, lang_pos pos,
                                    const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
lang_parse_error_at_eof(lang_parser *p, lang_pos pos, const char *hint,
                        const char *fmt, ...)
{
	p->panic = 1;
	if (p->eof_reported || p->stop || lang_lex_fatal(p->lx))
		return;
	p->eof_reported = 1;
	va_list ap;
	va_start(ap, fmt);
	lang_parse_verror(p, pos, hint, fmt, ap);
	va_end(ap);
}

static void lang_parse_warning(lang_parser *p, lang_pos pos, const char *hint,
                               const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
lang_parse_warning(lang_parser *p, lang_pos pos, const char *hint,
                   const char *fmt, ...)
{
	if (p->nwarnings >= LANG_PARSE_MAX_WARNINGS || p->stop)
		return;
	p->nwarnings++;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lang_diags_add(p->diags, LANG_WARNING, pos, hint, "%s", msg);
}

/* "expected X, found Y" at the current token. */
static void
lang_parse_expected(lang_parser *p, const char *what)
{
	lang_parse_error(p, lang_parse_pos(p), NULL, "expected %s, found %s",
	                 what, lang_parse_found(p));
}

/* Nesting guard: every recursive descent goes through here. */
static int
lang_parse_enter(lang_parser *p)
{
	if (p->stop)
		return 0;
	if (p->depth >= LANG_PARSE_MAX_DEPTH) {
		p->panic = 0;
		lang_parse_error(p, lang_parse_pos(p),
		                 "split the expression with `let` bindings or "
		                 "helper functions",
		                 "nesting is too deep (more than %d levels)",
		                 LANG_PARSE_MAX_DEPTH);
		p->stop = 1;
		return 0;
	}
	p->depth++;
	return 1;
}

static void
lang_parse_leave(lang_parser *p)
{
	p->depth--;
}

/* ---- building ---- */

static lang_node *
lang_parse_mk(lang_parser *p, lang_node_kind kind, lang_pos pos)
{
	/* Past the budget, parsing stops; the few nodes made while the
	 * parser unwinds are still real ones, so the tree stays a tree. */
	if (++p->nnodes == LANG_PARSE_MAX_NODES + 1) {
		p->panic = 0;
		lang_parse_error(p, pos, "split the program into smaller ones",
		                 "the program is too large (more than %d "
		                 "syntax nodes)",
		                 LANG_PARSE_MAX_NODES);
		p->stop = 1;
	}
	lang_node *n = lang_ast_node(p->ast, kind, pos);
	if (!n) {
		p->oom = 1;
		p->stop = 1;
		memset(&p->dummy, 0, sizeof p->dummy);
		p->dummy.kind = LANG_N_ERROR;
		p->dummy.suffix = "";
		return &p->dummy;
	}
	return n;
}

static lang_node *
lang_parse_mk_error(lang_parser *p, lang_pos pos)
{
	return lang_parse_mk(p, LANG_N_ERROR, pos);
}

static const char *
lang_parse_strndup(lang_parser *p, const char *s, size_t n)
{
	char *c = lang_ast_strndup(p->ast, s, n);
	if (!c) {
		p->oom = 1;
		p->stop = 1;
		return "";
	}
	return c;
}

static void
lang_parse_push(lang_parser *p, lang_parse_vec *v, lang_node *n)
{
	if (!n)
		return;
	if (v->n == v->cap) {
		/* Arrays grow inside the arena; the old copy is left behind,
		 * which at most doubles the space lists take. */
		uint32_t cap = v->cap ? v->cap * 2 : 4;
		if (cap < v->cap) {
			p->oom = 1;
			p->stop = 1;
			return;
		}
		lang_node **a = lang_ast_alloc(p->ast, cap * sizeof *a);
		if (!a) {
			p->oom = 1;
			p->stop = 1;
			return;
		}
		if (v->n)
			memcpy(a, v->v, v->n * sizeof *a);
		v->v = a;
		v->cap = cap;
	}
	v->v[v->n++] = n;
}

static void
lang_parse_set_kids(lang_node *n, const lang_parse_vec *v)
{
	n->kids = v->v;
	n->nkids = v->n;
}

static void
lang_parse_tput(lang_parser *p, const char *s, size_t n)
{
	if (p->oom)
		return;
	if (p->tcap - p->tlen <= n) {
		size_t cap = p->tcap ? p->tcap : 256;
		while (cap - p->tlen <= n) {
			if (cap > SIZE_MAX / 2) {
				p->oom = 1;
				p->stop = 1;
				return;
			}
			cap *= 2;
		}
		char *b = realloc(p->tbuf, cap);
		if (!b) {
			p->oom = 1;
			p->stop = 1;
			return;
		}
		p->tbuf = b;
		p->tcap = cap;
	}
	memcpy(p->tbuf + p->tlen, s, n);
	p->tlen += n;
}

static void
lang_parse_tputs(lang_parser *p, const char *s)
{
	lang_parse_tput(p, s, strlen(s));
}

/* The scratch text from `start` on, copied into the arena; the scratch
 * buffer is then cut back to `start`. */
static const char *
lang_parse_ttake(lang_parser *p, size_t start, size_t *len)
{
	if (p->tlen < start)
		p->tlen = start;
	size_t n = p->tlen - start;
	const char *s =
	        lang_parse_strndup(p, p->tbuf ? p->tbuf + start : "", n);
	p->tlen = start;
	if (len)
		*len = n;
	return s;
}

/* ---- skipping (error recovery) ---- */

static int
lang_parse_is_open(lang_tok_kind k)
{
	return k == LANG_T_LPAREN || k == LANG_T_LBRACKET || k == LANG_T_LBRACE;
}

static int
lang_parse_is_close(lang_tok_kind k)
{
	return k == LANG_T_RPAREN || k == LANG_T_RBRACKET || k == LANG_T_RBRACE;
}

/* Skips one balanced group starting at an opening delimiter. */
static void
lang_parse_skip_group(lang_parser *p)
{
	size_t depth = 0;
	do {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || p->stop)
			return;
		if (lang_parse_is_open(k))
			depth++;
		else if (lang_parse_is_close(k))
			depth--;
		lang_parse_bump(p);
	} while (depth > 0);
}

/* Skips to the closing delimiter `close` of the list we are in and consumes
 * it; stops before a `;` or a closing brace that belongs to an enclosing
 * block, so that the statement can still end there. */
static void
lang_parse_skip_to_close(lang_parser *p, lang_tok_kind close)
{
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || p->stop)
			return;
		if (k == close) {
			lang_parse_bump(p);
			return;
		}
		if (k == LANG_T_SEMI && close != LANG_T_RBRACE)
			return;
		if (lang_parse_is_close(k))
			return;
		if (lang_parse_is_open(k))
			lang_parse_skip_group(p);
		else
			lang_parse_bump(p);
	}
}

/* Skips to the next `{` outside parentheses and brackets, leaving it. */
static void
lang_parse_skip_to_brace(lang_parser *p)
{
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || k == LANG_T_LBRACE || k == LANG_T_SEMI ||
		    lang_parse_is_close(k) || p->stop)
			return;
		if (lang_parse_is_open(k))
			lang_parse_skip_group(p);
		else
			lang_parse_bump(p);
	}
}

/* Skips the rest of an item: to a `;`, or past the first `{ ... }` when
 * `brace_ends` (struct, impl, fn, ...). */
static void
lang_parse_skip_item(lang_parser *p, int brace_ends)
{
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || p->stop)
			return;
		if (k == LANG_T_SEMI) {
			lang_parse_bump(p);
			return;
		}
		if (k == LANG_T_RBRACE)
			return;
		if (lang_parse_is_open(k)) {
			lang_parse_skip_group(p);
			if (k == LANG_T_LBRACE && brace_ends)
				return;
			continue;
		}
		lang_parse_bump(p);
	}
}

/* Whether the tokens at the cursor start an item (fn, use, struct, ...). */
static int
lang_parse_at_item(lang_parser *p)
{
	switch (lang_parse_kind(p, 0)) {
	case LANG_T_KW_FN:
	case LANG_T_KW_USE:
	case LANG_T_KW_STRUCT:
	case LANG_T_KW_ENUM:
	case LANG_T_KW_IMPL:
	case LANG_T_KW_TRAIT:
	case LANG_T_KW_MOD:
	case LANG_T_KW_STATIC:
	case LANG_T_KW_TYPE:
	case LANG_T_KW_EXTERN:
	case LANG_T_KW_PUB:
		return 1;
	case LANG_T_KW_CONST:
		return lang_parse_kind(p, 1) != LANG_T_LBRACE;
	case LANG_T_KW_ASYNC:
		return lang_parse_kind(p, 1) == LANG_T_KW_FN ||
		       (lang_parse_kind(p, 1) == LANG_T_KW_UNSAFE &&
		        lang_parse_kind(p, 2) == LANG_T_KW_FN);
	case LANG_T_KW_UNSAFE: {
		lang_tok_kind k = lang_parse_kind(p, 1);
		return k == LANG_T_KW_FN || k == LANG_T_KW_IMPL ||
		       k == LANG_T_KW_TRAIT || k == LANG_T_KW_EXTERN;
	}
	case LANG_T_IDENT:
		return (lang_parse_is_ident(p, 0, "macro_rules") &&
		        lang_parse_kind(p, 1) == LANG_T_BANG) ||
		       (lang_parse_is_ident(p, 0, "union") &&
		        lang_parse_kind(p, 1) == LANG_T_IDENT);
	default:
		return 0;
	}
}

/* After an error inside a statement: skip to its end (a `;`, consumed), or
 * to the block's `}` or the next `let` or item, left in place. */
static void
lang_parse_sync_stmt(lang_parser *p)
{
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || k == LANG_T_RBRACE || p->stop)
			break;
		if (k == LANG_T_SEMI) {
			lang_parse_bump(p);
			break;
		}
		if (k == LANG_T_KW_LET || lang_parse_at_item(p))
			break;
		if (lang_parse_is_open(k))
			lang_parse_skip_group(p);
		else
			lang_parse_bump(p);
	}
	p->panic = 0;
}

/* After an error at the top level: skip to the next item. */
static void
lang_parse_sync_item(lang_parser *p)
{
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || p->stop)
			break;
		if (lang_parse_at_item(p) || k == LANG_T_POUND)
			break;
		if (lang_parse_is_open(k))
			lang_parse_skip_group(p);
		else
			lang_parse_bump(p);
	}
	p->panic = 0;
}

/* Reports a construct that is not supported yet. The caller then skips it
 * precisely and calls lang_parse_unsupported_done, so that it does not
 * leave the parser in panic mode: the next error is a real one. */
static int lang_parse_unsupported(lang_parser *p, lang_pos pos,
                                  const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int
lang_parse_unsupported(lang_parser *p, lang_pos pos, const char *hint,
                       const char *fmt, ...)
{
	int was = p->panic;
	if (!p->panic && !p->stop) {
		va_list ap;
		va_start(ap, fmt);
		lang_parse_verror(p, pos, hint, fmt, ap);
		va_end(ap);
	}
	return was;
}

/* Expects the closing delimiter of a group opened at `open`. */
static void
lang_parse_expect_close(lang_parser *p, lang_tok_kind close, lang_pos open,
                        const char *what)
{
	if (lang_parse_eat(p, close))
		return;
	if (lang_parse_at(p, LANG_T_EOF)) {
		lang_parse_error_at_eof(p, open, NULL,
		                        "this %s is never closed", what);
		return;
	}
	lang_parse_expected(p, lang_tok_kind_name(close));
	lang_parse_skip_to_close(p, close);
}

/* Source text of the tokens up to `close` (not consumed), balanced, with
 * one space where the source had any, appended to the scratch text. */
static void
lang_parse_raw_tokens(lang_parser *p, lang_tok_kind close)
{
	size_t depth = 0;
	size_t prev_end = SIZE_MAX;
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		if (t->kind == LANG_T_EOF || p->stop)
			return;
		if (depth == 0 &&
		    (t->kind == close || (lang_parse_is_close(t->kind))))
			return;
		if (lang_parse_is_open(t->kind))
			depth++;
		else if (lang_parse_is_close(t->kind))
			depth--;
		if (prev_end != SIZE_MAX && t->off > prev_end)
			lang_parse_tputs(p, " ");
		lang_parse_tput(p, p->src + t->off, t->len);
		prev_end = t->off + t->len;
		lang_parse_bump(p);
	}
}

/* ---- attributes ---- */

/* `#[path]`, `#[path(args)]`, `#[path = value]`, or with `#!` for inner
 * attributes. Returns the ATTR node, or NULL after an error. */
static lang_node *
lang_parse_attr(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	lang_parse_bump(p); /* # */
	int inner = lang_parse_eat(p, LANG_T_BANG);
	if (!lang_parse_at(p, LANG_T_LBRACKET)) {
		lang_parse_expected(p, "`[` after `#`");
		return NULL;
	}
	lang_pos open = lang_parse_pos(p);
	lang_parse_bump(p);
	size_t start = p->tlen;
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		if (t->kind != LANG_T_IDENT &&
		    (t->kind < LANG_T_KW_AS || t->kind > LANG_T_KW_YIELD))
			break;
		lang_parse_tput(p, p->src + t->off, t->len);
		lang_parse_bump(p);
		if (!lang_parse_at(p, LANG_T_PATHSEP))
			break;
		lang_parse_tputs(p, "::");
		lang_parse_bump(p);
	}
	if (p->tlen == start) {
		lang_parse_expected(p, "an attribute name");
		lang_parse_skip_to_close(p, LANG_T_RBRACKET);
		return NULL;
	}
	lang_node *n = lang_parse_mk(p, LANG_N_ATTR, pos);
	n->name = lang_parse_ttake(p, start, NULL);
	if (inner)
		n->flags |= LANG_F_INNER;
	lang_tok_kind k = lang_parse_kind(p, 0);
	if (k == LANG_T_LPAREN || k == LANG_T_LBRACKET || k == LANG_T_LBRACE) {
		lang_pos gopen = lang_parse_pos(p);
		lang_tok_kind close = k == LANG_T_LPAREN     ? LANG_T_RPAREN
		                      : k == LANG_T_LBRACKET ? LANG_T_RBRACKET
		                                             : LANG_T_RBRACE;
		lang_parse_bump(p);
		lang_parse_raw_tokens(p, close);
		n->str = lang_parse_ttake(p, start, &n->str_len);
		lang_parse_expect_close(p, close, gopen, "delimiter");
	} else if (lang_parse_eat(p, LANG_T_EQ)) {
		lang_parse_raw_tokens(p, LANG_T_RBRACKET);
		n->str = lang_parse_ttake(p, start, &n->str_len);
	}
	lang_parse_expect_close(p, LANG_T_RBRACKET, open, "`[`");
	return n;
}

/* Warns about an attribute the simulator ignores. `#[tokio::main]` means
 * something only on a function. */
static void
lang_parse_attr_check(lang_parser *p, const lang_node *a, int on_fn)
{
	for (size_t i = 0; i < sizeof lang_parse_quiet_attrs /
	                               sizeof lang_parse_quiet_attrs[0];
	     i++) {
		if (strcmp(a->name, lang_parse_quiet_attrs[i]) == 0)
			return;
	}
	if (on_fn && strcmp(a->name, "tokio::main") == 0)
		return;
	lang_parse_warning(p, a->pos, "the simulator does not implement it",
	                   "attribute `#%s[%s]` is ignored",
	                   (a->flags & LANG_F_INNER) ? "!" : "", a->name);
}

/* Parses the attributes at the cursor; outer ones go to `outer` (if given,
 * else they are checked and dropped), inner ones to `inner` (likewise). */
static void
lang_parse_attrs(lang_parser *p, lang_parse_vec *outer, lang_parse_vec *inner)
{
	while (lang_parse_at(p, LANG_T_POUND) && !p->stop) {
		lang_node *a = lang_parse_attr(p);
		if (!a) {
			/* Skip whatever followed the `#`. */
			if (p->panic)
				return;
			continue;
		}
		lang_parse_vec *to = (a->flags & LANG_F_INNER) ? inner : outer;
		if (to)
			lang_parse_push(p, to, a);
		else
			lang_parse_attr_check(p, a, 0);
	}
}

/* ---- types ---- */

/* Generic arguments `<...>` at the cursor, appended as text. Lifetimes are
 * dropped; when only lifetimes were given nothing is written. */
static void
lang_parse_generic_args(lang_parser *p)
{
	lang_pos open = lang_parse_pos(p);
	lang_parse_bump(p); /* < */
	size_t start = p->tlen;
	lang_parse_tputs(p, "<");
	int n = 0;
	for (;;) {
		if (p->stop)
			return;
		if (lang_parse_eat_gt(p))
			break;
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF) {
			lang_parse_error_at_eof(p, open, NULL,
			                        "this `<` is never closed");
			return;
		}
		if (k == LANG_T_LIFETIME) {
			lang_parse_bump(p);
		} else {
			if (n)
				lang_parse_tputs(p, ", ");
			if (k == LANG_T_IDENT &&
			    lang_parse_kind(p, 1) == LANG_T_EQ) {
				lang_parse_tputs(p,
				                 lang_parse_peek(p, 0)->text);
				lang_parse_tputs(p, " = ");
				lang_parse_bump(p);
				lang_parse_bump(p);
				lang_parse_type_text(p);
			} else if (k == LANG_T_INT) {
				lang_token *t = lang_parse_peek(p, 0);
				lang_parse_tput(p, p->src + t->off, t->len);
				lang_parse_bump(p);
			} else {
				lang_parse_type_text(p);
			}
			n++;
		}
		if (lang_parse_eat(p, LANG_T_COMMA))
			continue;
		if (lang_parse_at_gt(p))
			continue;
		lang_parse_expected(p, "`,` or `>`");
		return;
	}
	if (n == 0)
		p->tlen = start;
	else
		lang_parse_tputs(p, ">");
}

/* A path type: `Vec<u64>`, `std::io::Result<()>`, `Fn(u64) -> u64`. */
static void
lang_parse_path_type(lang_parser *p)
{
	if (lang_parse_eat(p, LANG_T_PATHSEP))
		lang_parse_tputs(p, "::");
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		if (t->kind != LANG_T_IDENT) {
			lang_parse_expected(p, "a type");
			return;
		}
		int fn_sugar = strcmp(t->text, "Fn") == 0 ||
		               strcmp(t->text, "FnMut") == 0 ||
		               strcmp(t->text, "FnOnce") == 0;
		lang_parse_tputs(p, t->text);
		lang_parse_bump(p);
		if (lang_parse_at(p, LANG_T_PATHSEP) &&
		    lang_parse_kind(p, 1) == LANG_T_LT)
			lang_parse_bump(p);
		if (lang_parse_at(p, LANG_T_LT)) {
			lang_parse_generic_args(p);
		} else if (fn_sugar && lang_parse_at(p, LANG_T_LPAREN)) {
			lang_pos open = lang_parse_pos(p);
			lang_parse_bump(p);
			lang_parse_tputs(p, "(");
			int n = 0;
			while (!lang_parse_at(p, LANG_T_RPAREN) && !p->stop) {
				if (n++)
					lang_parse_tputs(p, ", ");
				lang_parse_type_text(p);
				if (!lang_parse_eat(p, LANG_T_COMMA))
					break;
			}
			lang_parse_tputs(p, ")");
			lang_parse_expect_close(p, LANG_T_RPAREN, open, "`(`");
			if (lang_parse_eat(p, LANG_T_ARROW)) {
				lang_parse_tputs(p, " -> ");
				lang_parse_type_text(p);
			}
		}
		if (lang_parse_at(p, LANG_T_PATHSEP) &&
		    lang_parse_kind(p, 1) == LANG_T_IDENT) {
			lang_parse_bump(p);
			lang_parse_tputs(p, "::");
			continue;
		}
		return;
	}
}

/* Trait bounds after `impl` or `dyn`: `Future<Output = ()> + Send`. */
static void
lang_parse_bounds(lang_parser *p)
{
	int printed = 0;
	for (;;) {
		if (p->stop)
			return;
		if (lang_parse_at(p, LANG_T_LIFETIME)) {
			lang_parse_bump(p);
		} else {
			if (printed)
				lang_parse_tputs(p, " + ");
			if (lang_parse_eat(p, LANG_T_QUESTION))
				lang_parse_tputs(p, "?");
			if (lang_parse_at(p, LANG_T_LPAREN))
				lang_parse_type_text(p);
			else
				lang_parse_path_type(p);
			printed = 1;
		}
		if (!lang_parse_eat(p, LANG_T_PLUS))
			return;
	}
}

/* A type at the cursor, appended as normalised text. */
static void
lang_parse_type_text(lang_parser *p)
{
	if (!lang_parse_enter(p))
		return;
	lang_token *t = lang_parse_peek(p, 0);
	lang_pos pos = t->pos;
	switch (t->kind) {
	case LANG_T_AMP:
	case LANG_T_AMPAMP:
		if (t->kind == LANG_T_AMPAMP)
			lang_parse_split(p, LANG_T_AMP, LANG_T_AMP);
		else
			lang_parse_bump(p);
		/* After a split `&&`, the second `&` is the inner type's. */
		lang_parse_tputs(p, "&");
		lang_parse_eat(p, LANG_T_LIFETIME);
		if (lang_parse_eat(p, LANG_T_KW_MUT))
			lang_parse_tputs(p, "mut ");
		lang_parse_type_text(p);
		break;
	case LANG_T_STAR:
		lang_parse_bump(p);
		if (lang_parse_eat(p, LANG_T_KW_CONST))
			lang_parse_tputs(p, "*const ");
		else if (lang_parse_eat(p, LANG_T_KW_MUT))
			lang_parse_tputs(p, "*mut ");
		else
			lang_parse_expected(p, "`const` or `mut` after `*`");
		lang_parse_type_text(p);
		break;
	case LANG_T_LPAREN: {
		lang_parse_bump(p);
		size_t start = p->tlen;
		lang_parse_tputs(p, "(");
		int n = 0, comma = 0;
		while (!lang_parse_at(p, LANG_T_RPAREN) && !p->stop) {
			if (n++)
				lang_parse_tputs(p, ", ");
			lang_parse_type_text(p);
			comma = lang_parse_eat(p, LANG_T_COMMA);
			if (!comma)
				break;
		}
		if (n == 1 && !comma && p->tlen > start) {
			/* `(T)` is just T. */
			memmove(p->tbuf + start, p->tbuf + start + 1,
			        p->tlen - start - 1);
			p->tlen--;
		} else {
			lang_parse_tputs(p, n == 1 ? ",)" : ")");
		}
		lang_parse_expect_close(p, LANG_T_RPAREN, pos, "`(`");
		break;
	}
	case LANG_T_LBRACKET:
		lang_parse_bump(p);
		lang_parse_tputs(p, "[");
		lang_parse_type_text(p);
		if (lang_parse_eat(p, LANG_T_SEMI)) {
			lang_parse_tputs(p, "; ");
			lang_parse_raw_tokens(p, LANG_T_RBRACKET);
		}
		lang_parse_tputs(p, "]");
		lang_parse_expect_close(p, LANG_T_RBRACKET, pos, "`[`");
		break;
	case LANG_T_BANG:
		lang_parse_bump(p);
		lang_parse_tputs(p, "!");
		break;
	case LANG_T_UNDERSCORE:
		lang_parse_bump(p);
		lang_parse_tputs(p, "_");
		break;
	case LANG_T_KW_IMPL:
	case LANG_T_KW_DYN:
		lang_parse_tputs(p,
		                 t->kind == LANG_T_KW_IMPL ? "impl " : "dyn ");
		lang_parse_bump(p);
		lang_parse_bounds(p);
		break;
	case LANG_T_KW_UNSAFE:
	case LANG_T_KW_EXTERN:
	case LANG_T_KW_FN: {
		if (lang_parse_eat(p, LANG_T_KW_UNSAFE))
			lang_parse_tputs(p, "unsafe ");
		if (lang_parse_eat(p, LANG_T_KW_EXTERN)) {
			lang_parse_tputs(p, "extern ");
			if (lang_parse_at(p, LANG_T_STR)) {
				lang_token *abi = lang_parse_peek(p, 0);
				lang_parse_tput(p, p->src + abi->off, abi->len);
				lang_parse_tputs(p, " ");
				lang_parse_bump(p);
			}
		}
		if (!lang_parse_eat(p, LANG_T_KW_FN)) {
			lang_parse_expected(p, "`fn`");
			break;
		}
		lang_parse_tputs(p, "fn(");
		lang_pos open = lang_parse_pos(p);
		if (!lang_parse_eat(p, LANG_T_LPAREN)) {
			lang_parse_expected(p, "`(`");
			break;
		}
		int n = 0;
		while (!lang_parse_at(p, LANG_T_RPAREN) && !p->stop) {
			if (n++)
				lang_parse_tputs(p, ", ");
			/* Parameter names are allowed in fn pointer types:
			 * `fn(n: u64)`. */
			if ((lang_parse_at(p, LANG_T_IDENT) ||
			     lang_parse_at(p, LANG_T_UNDERSCORE)) &&
			    lang_parse_kind(p, 1) == LANG_T_COLON) {
				lang_parse_bump(p);
				lang_parse_bump(p);
			}
			lang_parse_type_text(p);
			if (!lang_parse_eat(p, LANG_T_COMMA))
				break;
		}
		lang_parse_tputs(p, ")");
		lang_parse_expect_close(p, LANG_T_RPAREN, open, "`(`");
		if (lang_parse_eat(p, LANG_T_ARROW)) {
			lang_parse_tputs(p, " -> ");
			lang_parse_type_text(p);
		}
		break;
	}
	case LANG_T_LT: {
		int was = lang_parse_unsupported(
		        p, pos, NULL,
		        "qualified paths like `<T as Trait>::Name` are not "
		        "supported yet");
		/* Skip `<...>` and the path after it. */
		size_t start = p->tlen;
		lang_parse_generic_args(p);
		while (lang_parse_eat(p, LANG_T_PATHSEP))
			lang_parse_eat(p, LANG_T_IDENT);
		p->tlen = start;
		lang_parse_tputs(p, "_");
		p->panic = was;
		break;
	}
	case LANG_T_KW_FOR:
		lang_parse_error(p, pos, NULL,
		                 "higher-ranked `for<'a>` bounds are not "
		                 "supported yet");
		break;
	case LANG_T_IDENT:
	case LANG_T_PATHSEP:
		lang_parse_path_type(p);
		break;
	default:
		lang_parse_expected(p, "a type");
		break;
	}
	lang_parse_leave(p);
}

static lang_node *
lang_parse_type(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	size_t start = p->tlen;
	lang_parse_type_text(p);
	lang_node *n = lang_parse_mk(p, LANG_N_TYPE, pos);
	n->str = lang_parse_ttake(p, start, &n->str_len);
	return n;
}

/* ---- patterns ---- */

static lang_node *
lang_parse_pattern_inner(lang_parser *p)
{
	lang_token *t = lang_parse_peek(p, 0);
	lang_pos pos = t->pos;
	lang_node *n;
	switch (t->kind) {
	case LANG_T_UNDERSCORE:
		lang_parse_bump(p);
		return lang_parse_mk(p, LANG_N_PAT_WILD, pos);
	case LANG_T_KW_REF:
	case LANG_T_KW_MUT:
	case LANG_T_IDENT: {
		uint32_t flags = 0;
		if (lang_parse_eat(p, LANG_T_KW_REF))
			flags |= LANG_F_REF;
		if (lang_parse_eat(p, LANG_T_KW_MUT))
			flags |= LANG_F_MUT;
		t = lang_parse_peek(p, 0);
		if (t->kind != LANG_T_IDENT) {
			lang_parse_expected(p, "a name");
			return lang_parse_mk_error(p, pos);
		}
		lang_tok_kind next = lang_parse_kind(p, 1);
		if (!flags && (next == LANG_T_LPAREN || next == LANG_T_LBRACE ||
		               next == LANG_T_PATHSEP)) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "enum and struct patterns are not supported "
			        "yet");
			while (lang_parse_eat(p, LANG_T_IDENT) &&
			       lang_parse_eat(p, LANG_T_PATHSEP))
				;
			if (lang_parse_at(p, LANG_T_LPAREN) ||
			    lang_parse_at(p, LANG_T_LBRACE))
				lang_parse_skip_group(p);
			p->panic = was;
			return lang_parse_mk_error(p, pos);
		}
		if (next == LANG_T_AT) {
			lang_parse_error(p, lang_parse_peek(p, 1)->pos, NULL,
			                 "`@` bindings are not supported yet");
			return lang_parse_mk_error(p, pos);
		}
		n = lang_parse_mk(p, LANG_N_PAT_IDENT, pos);
		n->name = t->text;
		n->flags = flags;
		lang_parse_bump(p);
		return n;
	}
	case LANG_T_LPAREN: {
		lang_parse_bump(p);
		lang_parse_vec kids = {0};
		int comma = 0;
		while (!lang_parse_at(p, LANG_T_RPAREN) && !p->stop) {
			lang_parse_push(p, &kids, lang_parse_pattern(p));
			comma = lang_parse_eat(p, LANG_T_COMMA);
			if (!comma)
				break;
		}
		lang_parse_expect_close(p, LANG_T_RPAREN, pos, "`(`");
		if (kids.n == 1 && !comma)
			return kids.v[0];
		n = lang_parse_mk(p, LANG_N_PAT_TUPLE, pos);
		lang_parse_set_kids(n, &kids);
		return n;
	}
	case LANG_T_AMP:
	case LANG_T_AMPAMP:
		if (t->kind == LANG_T_AMPAMP)
			lang_parse_split(p, LANG_T_AMP, LANG_T_AMP);
		else
			lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_PAT_REF, pos);
		if (!lang_parse_at(p, LANG_T_AMP) &&
		    lang_parse_eat(p, LANG_T_KW_MUT))
			n->flags |= LANG_F_MUT;
		n->a = lang_parse_pattern(p);
		return n;
	case LANG_T_DOTDOT: {
		int was = lang_parse_unsupported(
		        p, pos, NULL, "`..` in patterns is not supported yet");
		lang_parse_bump(p);
		p->panic = was;
		return lang_parse_mk_error(p, pos);
	}
	case LANG_T_INT:
	case LANG_T_FLOAT:
	case LANG_T_STR:
	case LANG_T_CHAR:
	case LANG_T_KW_TRUE:
	case LANG_T_KW_FALSE:
	case LANG_T_MINUS: {
		int was = lang_parse_unsupported(
		        p, pos, NULL, "literal patterns are not supported yet");
		lang_parse_eat(p, LANG_T_MINUS);
		lang_parse_bump(p);
		p->panic = was;
		return lang_parse_mk_error(p, pos);
	}
	case LANG_T_LBRACKET: {
		int was = lang_parse_unsupported(
		        p, pos, NULL, "slice patterns are not supported yet");
		lang_parse_skip_group(p);
		p->panic = was;
		return lang_parse_mk_error(p, pos);
	}
	default:
		lang_parse_expected(p, "a pattern");
		return lang_parse_mk_error(p, pos);
	}
}

static lang_node *
lang_parse_pattern(lang_parser *p)
{
	if (!lang_parse_enter(p))
		return lang_parse_mk_error(p, lang_parse_pos(p));
	lang_node *n = lang_parse_pattern_inner(p);
	lang_parse_leave(p);
	return n;
}

/* ---- expressions ---- */

static lang_node *
lang_parse_expr(lang_parser *p)
{
	return lang_parse_expr_bp(p, 0, R_NONE);
}

/* Whether the current token can start an expression (for the optional
 * operands of `return`, `break` and ranges). */
static int
lang_parse_can_begin_expr(lang_parser *p, int restr)
{
	switch (lang_parse_kind(p, 0)) {
	case LANG_T_LBRACE:
		return !(restr & R_NO_STRUCT);
	case LANG_T_INT:
	case LANG_T_FLOAT:
	case LANG_T_STR:
	case LANG_T_CHAR:
	case LANG_T_IDENT:
	case LANG_T_LIFETIME:
	case LANG_T_PATHSEP:
	case LANG_T_LPAREN:
	case LANG_T_LBRACKET:
	case LANG_T_MINUS:
	case LANG_T_BANG:
	case LANG_T_STAR:
	case LANG_T_AMP:
	case LANG_T_AMPAMP:
	case LANG_T_PIPE:
	case LANG_T_PIPEPIPE:
	case LANG_T_DOTDOT:
	case LANG_T_DOTDOTEQ:
	case LANG_T_LT:
	case LANG_T_KW_TRUE:
	case LANG_T_KW_FALSE:
	case LANG_T_KW_IF:
	case LANG_T_KW_WHILE:
	case LANG_T_KW_LOOP:
	case LANG_T_KW_FOR:
	case LANG_T_KW_MATCH:
	case LANG_T_KW_RETURN:
	case LANG_T_KW_BREAK:
	case LANG_T_KW_CONTINUE:
	case LANG_T_KW_MOVE:
	case LANG_T_KW_ASYNC:
	case LANG_T_KW_UNSAFE:
	case LANG_T_KW_YIELD:
	case LANG_T_ERROR:
		return 1;
	default:
		return 0;
	}
}

/* A comma-separated list of expressions up to `close`, which is consumed.
 * Used for call arguments; the opening delimiter is already consumed. */
static void
lang_parse_expr_list(lang_parser *p, lang_parse_vec *kids, lang_tok_kind close,
                     lang_pos open, const char *what)
{
	for (;;) {
		if (p->stop)
			return;
		if (lang_parse_eat(p, close))
			return;
		if (lang_parse_at(p, LANG_T_EOF)) {
			lang_parse_error_at_eof(
			        p, open, NULL, "this %s is never closed", what);
			return;
		}
		lang_parse_push(p, kids, lang_parse_expr(p));
		if (lang_parse_eat(p, LANG_T_COMMA))
			continue;
		if (lang_parse_at(p, close) || lang_parse_at(p, LANG_T_EOF))
			continue;
		char exp[40];
		snprintf(exp, sizeof exp, "`,` or %s",
		         lang_tok_kind_name(close));
		lang_parse_expected(p, exp);
		lang_parse_skip_to_close(p, close);
		return;
	}
}

/* A path expression: `x`, `std::mem::swap`, `Vec::<u64>::new`. */
static lang_node *
lang_parse_path(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	size_t start = p->tlen;
	const char **segs = NULL;
	uint32_t nsegs = 0, cap = 0;
	if (lang_parse_eat(p, LANG_T_PATHSEP))
		lang_parse_tputs(p, "::");
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		if (t->kind != LANG_T_IDENT) {
			lang_parse_expected(p, "an identifier");
			break;
		}
		if (nsegs == cap) {
			uint32_t ncap = cap ? cap * 2 : 4;
			const char **a =
			        lang_ast_alloc(p->ast, ncap * sizeof *a);
			if (!a) {
				p->oom = 1;
				p->stop = 1;
				break;
			}
			if (nsegs)
				memcpy(a, segs, nsegs * sizeof *a);
			segs = a;
			cap = ncap;
		}
		segs[nsegs++] = t->text;
		lang_parse_tputs(p, t->text);
		lang_parse_bump(p);
		if (!lang_parse_at(p, LANG_T_PATHSEP))
			break;
		lang_tok_kind k1 = lang_parse_kind(p, 1);
		if (k1 == LANG_T_LT) {
			lang_parse_bump(p);
			lang_parse_tputs(p, "::");
			lang_parse_generic_args(p);
			if (lang_parse_at(p, LANG_T_PATHSEP) &&
			    lang_parse_kind(p, 1) == LANG_T_IDENT) {
				lang_parse_bump(p);
				lang_parse_tputs(p, "::");
				continue;
			}
			break;
		}
		if (k1 != LANG_T_IDENT)
			break;
		lang_parse_bump(p);
		lang_parse_tputs(p, "::");
	}
	lang_node *n = lang_parse_mk(p, LANG_N_PATH, pos);
	n->segs = segs;
	n->nsegs = nsegs;
	n->name = nsegs ? segs[nsegs - 1] : "";
	n->str = lang_parse_ttake(p, start, &n->str_len);
	return n;
}

/* `name!(...)`, `name![...]`, `name!{...}`; the cursor is at `!`. */
static lang_node *
lang_parse_macro(lang_parser *p, const lang_node *path)
{
	lang_pos pos = path->pos;
	/* The macro's name is its path without generic arguments. */
	size_t start = p->tlen;
	for (uint32_t i = 0; i < path->nsegs; i++) {
		if (i)
			lang_parse_tputs(p, "::");
		lang_parse_tputs(p, path->segs[i]);
	}
	const char *name = lang_parse_ttake(p, start, NULL);
	lang_parse_bump(p); /* ! */
	lang_tok_kind k = lang_parse_kind(p, 0);
	lang_tok_kind close = k == LANG_T_LPAREN     ? LANG_T_RPAREN
	                      : k == LANG_T_LBRACKET ? LANG_T_RBRACKET
	                                             : LANG_T_RBRACE;
	for (size_t i = 0; i < sizeof lang_parse_unsupported_macros /
	                               sizeof lang_parse_unsupported_macros[0];
	     i++) {
		if (strcmp(name, lang_parse_unsupported_macros[i].name) == 0) {
			int was = lang_parse_unsupported(
			        p, pos, lang_parse_unsupported_macros[i].hint,
			        "`%s!` is not supported yet", name);
			lang_parse_skip_group(p);
			p->panic = was;
			return lang_parse_mk_error(p, pos);
		}
	}
	lang_node *n = lang_parse_mk(p, LANG_N_MACRO, pos);
	n->name = name;
	n->op = k == LANG_T_LPAREN ? '(' : k == LANG_T_LBRACKET ? '[' : '{';
	lang_pos open = lang_parse_pos(p);
	lang_parse_bump(p);
	lang_parse_vec kids = {0};
	for (;;) {
		if (p->stop)
			break;
		if (lang_parse_eat(p, close))
			break;
		if (lang_parse_at(p, LANG_T_EOF)) {
			lang_parse_error_at_eof(p, open, NULL,
			                        "this `%c` is never closed",
			                        n->op);
			break;
		}
		lang_parse_push(p, &kids, lang_parse_expr(p));
		if (lang_parse_eat(p, LANG_T_COMMA))
			continue;
		if (kids.n == 1 && !(n->flags & LANG_F_REPEAT) &&
		    lang_parse_eat(p, LANG_T_SEMI)) {
			/* `vec![x; n]` */
			n->flags |= LANG_F_REPEAT;
			lang_parse_push(p, &kids, lang_parse_expr(p));
			lang_parse_expect_close(p, close, open, "delimiter");
			break;
		}
		if (lang_parse_at(p, close) || lang_parse_at(p, LANG_T_EOF))
			continue;
		char exp[80];
		snprintf(exp, sizeof exp,
		         "`,` or %s in the arguments of `%.30s!`",
		         lang_tok_kind_name(close), name);
		lang_parse_expected(p, exp);
		lang_parse_skip_to_close(p, close);
		break;
	}
	lang_parse_set_kids(n, &kids);
	return n;
}

static lang_node *
lang_parse_closure(lang_parser *p, int restr)
{
	lang_pos pos = lang_parse_pos(p);
	lang_node *n = lang_parse_mk(p, LANG_N_CLOSURE, pos);
	if (lang_parse_eat(p, LANG_T_KW_MOVE))
		n->flags |= LANG_F_MOVE;
	lang_parse_vec params = {0};
	if (lang_parse_eat(p, LANG_T_PIPEPIPE)) {
		/* no parameters */
	} else if (lang_parse_eat(p, LANG_T_PIPE)) {
		while (!lang_parse_eat(p, LANG_T_PIPE) && !p->stop) {
			lang_pos ppos = lang_parse_pos(p);
			lang_node *param = lang_parse_mk(p, LANG_N_PARAM, ppos);
			param->a = lang_parse_pattern(p);
			if (lang_parse_eat(p, LANG_T_COLON))
				param->b = lang_parse_type(p);
			lang_parse_push(p, &params, param);
			if (lang_parse_eat(p, LANG_T_COMMA))
				continue;
			if (lang_parse_at(p, LANG_T_PIPE))
				continue;
			lang_parse_expected(p, "`,` or `|`");
			lang_parse_set_kids(n, &params);
			n->a = lang_parse_mk_error(p, lang_parse_pos(p));
			return n;
		}
	} else {
		lang_parse_expected(p, "`|` to start the closure's parameters");
		n->a = lang_parse_mk_error(p, lang_parse_pos(p));
		return n;
	}
	lang_parse_set_kids(n, &params);
	if (lang_parse_eat(p, LANG_T_ARROW)) {
		n->b = lang_parse_type(p);
		if (!lang_parse_at(p, LANG_T_LBRACE)) {
			lang_parse_error(p, lang_parse_pos(p),
			                 "a closure with a return type needs a "
			                 "block body: `|x| -> u64 { x + 1 }`",
			                 "expected `{`, found %s",
			                 lang_parse_found(p));
			n->a = lang_parse_mk_error(p, lang_parse_pos(p));
			return n;
		}
		n->a = lang_parse_block(p);
		return n;
	}
	n->a = lang_parse_expr_bp(p, 0, restr);
	return n;
}

/* The body of `if`, `while`, `for` or `loop`, which must be a block. */
static lang_node *
lang_parse_body(lang_parser *p, const char *hint)
{
	if (lang_parse_at(p, LANG_T_LBRACE))
		return lang_parse_block(p);
	lang_parse_error(p, lang_parse_pos(p), hint, "expected `{`, found %s",
	                 lang_parse_found(p));
	return lang_parse_mk_error(p, lang_parse_pos(p));
}

static lang_node *
lang_parse_if(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	if (!lang_parse_enter(p))
		return lang_parse_mk_error(p, pos);
	lang_parse_bump(p); /* if */
	lang_node *n = lang_parse_mk(p, LANG_N_IF, pos);
	if (lang_parse_at(p, LANG_T_KW_LET)) {
		int was = lang_parse_unsupported(
		        p, pos,
		        "test the value with `==` or a method such as "
		        "`is_some()` for now",
		        "`if let` is not supported yet");
		lang_pos cpos = lang_parse_pos(p);
		lang_parse_skip_to_brace(p);
		p->panic = was;
		n->a = lang_parse_mk_error(p, cpos);
	} else {
		n->a = lang_parse_expr_bp(p, 0, R_NO_STRUCT);
	}
	n->b = lang_parse_body(p, "the body of `if` goes in braces, even "
	                          "for one statement: `if c { ... }`");
	if (lang_parse_eat(p, LANG_T_KW_ELSE)) {
		if (lang_parse_at(p, LANG_T_KW_IF))
			n->c = lang_parse_if(p);
		else if (lang_parse_at(p, LANG_T_LBRACE))
			n->c = lang_parse_block(p);
		else
			lang_parse_expected(p, "`{` or `if` after `else`");
	}
	lang_parse_leave(p);
	return n;
}

/* `while`, `loop` or `for`, with the label already consumed (or NULL). */
static lang_node *
lang_parse_loop(lang_parser *p, const char *label, lang_pos pos)
{
	lang_tok_kind k = lang_parse_kind(p, 0);
	lang_node *n;
	if (k == LANG_T_KW_LOOP) {
		lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_LOOP, pos);
		n->b = lang_parse_body(p, "the body of `loop` goes in braces: "
		                          "`loop { ... }`");
	} else if (k == LANG_T_KW_WHILE) {
		lang_pos wpos = lang_parse_pos(p);
		lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_WHILE, pos);
		if (lang_parse_at(p, LANG_T_KW_LET)) {
			int was = lang_parse_unsupported(
			        p, wpos,
			        "use `loop` with an `if` and `break` "
			        "for now",
			        "`while let` is not supported yet");
			lang_pos cpos = lang_parse_pos(p);
			lang_parse_skip_to_brace(p);
			p->panic = was;
			n->a = lang_parse_mk_error(p, cpos);
		} else {
			n->a = lang_parse_expr_bp(p, 0, R_NO_STRUCT);
		}
		n->b = lang_parse_body(p, "the body of `while` goes in braces, "
		                          "even for one statement");
	} else {
		lang_parse_bump(p); /* for */
		n = lang_parse_mk(p, LANG_N_FOR, pos);
		n->a = lang_parse_pattern(p);
		if (!lang_parse_eat(p, LANG_T_KW_IN))
			lang_parse_expected(p, "`in`");
		n->b = lang_parse_expr_bp(p, 0, R_NO_STRUCT);
		n->c = lang_parse_body(p, "the body of `for` goes in braces, "
		                          "even for one statement");
	}
	n->name = label;
	return n;
}

/* Skips `match scrutinee { arms }` after reporting it. */
static lang_node *
lang_parse_match(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	int was = lang_parse_unsupported(p, pos, "use `if` / `else if` for now",
	                                 "`match` expressions are not "
	                                 "supported yet");
	lang_parse_bump(p);
	lang_parse_skip_to_brace(p);
	if (lang_parse_at(p, LANG_T_LBRACE))
		lang_parse_skip_group(p);
	p->panic = was;
	return lang_parse_mk_error(p, pos);
}

/* Parenthesized expression, tuple or unit; the cursor is at `(`. */
static lang_node *
lang_parse_paren(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	lang_parse_bump(p);
	if (lang_parse_eat(p, LANG_T_RPAREN))
		return lang_parse_mk(p, LANG_N_TUPLE, pos);
	lang_node *first = lang_parse_expr(p);
	if (lang_parse_eat(p, LANG_T_RPAREN)) {
		/* `(e)` is e, but its span starts at the `(`, as in rustc:
		 * panics and errors point there. */
		first->start = pos;
		return first;
	}
	lang_node *n = lang_parse_mk(p, LANG_N_TUPLE, pos);
	lang_parse_vec kids = {0};
	lang_parse_push(p, &kids, first);
	if (lang_parse_eat(p, LANG_T_COMMA)) {
		lang_parse_expr_list(p, &kids, LANG_T_RPAREN, pos, "`(`");
	} else if (lang_parse_at(p, LANG_T_EOF)) {
		lang_parse_error_at_eof(p, pos, NULL,
		                        "this `(` is never closed");
	} else {
		lang_parse_expected(p, "`,` or `)`");
		lang_parse_skip_to_close(p, LANG_T_RPAREN);
	}
	lang_parse_set_kids(n, &kids);
	return n;
}

static lang_node *
lang_parse_array(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	lang_parse_bump(p);
	lang_node *n = lang_parse_mk(p, LANG_N_ARRAY, pos);
	if (lang_parse_eat(p, LANG_T_RBRACKET))
		return n;
	lang_node *first = lang_parse_expr(p);
	if (lang_parse_eat(p, LANG_T_SEMI)) {
		n->flags |= LANG_F_REPEAT;
		n->a = first;
		n->b = lang_parse_expr(p);
		lang_parse_expect_close(p, LANG_T_RBRACKET, pos, "`[`");
		return n;
	}
	lang_parse_vec kids = {0};
	lang_parse_push(p, &kids, first);
	if (lang_parse_eat(p, LANG_T_COMMA)) {
		lang_parse_expr_list(p, &kids, LANG_T_RBRACKET, pos, "`[`");
	} else if (!lang_parse_eat(p, LANG_T_RBRACKET)) {
		if (lang_parse_at(p, LANG_T_EOF)) {
			lang_parse_error_at_eof(p, pos, NULL,
			                        "this `[` is never closed");
		} else {
			lang_parse_expected(p, "`,`, `;` or `]`");
			lang_parse_skip_to_close(p, LANG_T_RBRACKET);
		}
	}
	lang_parse_set_kids(n, &kids);
	return n;
}

/* Whether `path {` at the cursor looks like a struct literal. */
static int
lang_parse_at_struct_literal(lang_parser *p)
{
	if (!lang_parse_at(p, LANG_T_LBRACE))
		return 0;
	lang_tok_kind k1 = lang_parse_kind(p, 1);
	if (k1 == LANG_T_RBRACE || k1 == LANG_T_DOTDOT)
		return 1;
	if (k1 != LANG_T_IDENT)
		return 0;
	lang_tok_kind k2 = lang_parse_kind(p, 2);
	return k2 == LANG_T_COLON || k2 == LANG_T_COMMA || k2 == LANG_T_RBRACE;
}

static lang_node *
lang_parse_primary(lang_parser *p, int restr)
{
	int at_stmt = p->stmt_start;
	p->stmt_start = 0;
	p->prim_blocklike = 0;
	lang_token *t = lang_parse_peek(p, 0);
	lang_pos pos = t->pos;
	lang_node *n;
	int blocklike = 0;
	switch (t->kind) {
	case LANG_T_INT:
		n = lang_parse_mk(p, LANG_N_INT, pos);
		n->ival = t->ival;
		n->suffix = t->suffix;
		lang_parse_bump(p);
		break;
	case LANG_T_FLOAT:
		n = lang_parse_mk(p, LANG_N_FLOAT, pos);
		n->fval = t->fval;
		n->suffix = t->suffix;
		lang_parse_bump(p);
		break;
	case LANG_T_STR:
		if (t->flags & LANG_TF_BYTE) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "byte string literals are not supported yet");
			p->panic = was;
		}
		n = lang_parse_mk(p, LANG_N_STR, pos);
		n->str = t->text;
		n->str_len = t->text_len;
		if (t->flags & LANG_TF_RAW)
			n->flags |= LANG_F_RAW;
		lang_parse_bump(p);
		break;
	case LANG_T_CHAR:
		if (t->flags & LANG_TF_BYTE) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "byte literals are not supported yet");
			p->panic = was;
		}
		n = lang_parse_mk(p, LANG_N_CHAR, pos);
		n->ival = t->ival;
		lang_parse_bump(p);
		break;
	case LANG_T_KW_TRUE:
	case LANG_T_KW_FALSE:
		n = lang_parse_mk(p, LANG_N_BOOL, pos);
		n->ival = t->kind == LANG_T_KW_TRUE;
		lang_parse_bump(p);
		break;
	case LANG_T_IDENT:
	case LANG_T_PATHSEP:
		n = lang_parse_path(p);
		if (lang_parse_at(p, LANG_T_BANG)) {
			lang_tok_kind k1 = lang_parse_kind(p, 1);
			if (k1 == LANG_T_LPAREN || k1 == LANG_T_LBRACKET ||
			    k1 == LANG_T_LBRACE) {
				blocklike = k1 == LANG_T_LBRACE;
				n = lang_parse_macro(p, n);
			}
		} else if (!(restr & R_NO_STRUCT) &&
		           lang_parse_at_struct_literal(p)) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "struct literals are not supported yet");
			lang_parse_skip_group(p);
			p->panic = was;
			n = lang_parse_mk_error(p, pos);
		}
		break;
	case LANG_T_LPAREN:
		n = lang_parse_paren(p);
		break;
	case LANG_T_LBRACKET:
		n = lang_parse_array(p);
		break;
	case LANG_T_LBRACE:
		n = lang_parse_block(p);
		blocklike = 1;
		break;
	case LANG_T_PIPE:
	case LANG_T_PIPEPIPE:
	case LANG_T_KW_MOVE:
		n = lang_parse_closure(p, restr);
		break;
	case LANG_T_KW_ASYNC: {
		lang_tok_kind k1 = lang_parse_kind(p, 1);
		lang_tok_kind k2 = lang_parse_kind(p, 2);
		int move = k1 == LANG_T_KW_MOVE;
		lang_tok_kind after = move ? k2 : k1;
		if (after == LANG_T_LBRACE) {
			lang_parse_bump(p);
			if (move)
				lang_parse_bump(p);
			n = lang_parse_mk(p, LANG_N_ASYNC_BLOCK, pos);
			if (move)
				n->flags |= LANG_F_MOVE;
			n->a = lang_parse_block(p);
			blocklike = 1;
		} else if (after == LANG_T_PIPE || after == LANG_T_PIPEPIPE) {
			int was = lang_parse_unsupported(
			        p, pos,
			        "write a closure that returns an async "
			        "block: `|x| async move { ... }`",
			        "async closures are not supported yet");
			lang_parse_bump(p);
			n = lang_parse_closure(p, restr);
			p->panic = was;
		} else {
			lang_parse_bump(p);
			if (move)
				lang_parse_bump(p);
			lang_parse_expected(p, "`{` after `async`");
			n = lang_parse_mk_error(p, pos);
		}
		break;
	}
	case LANG_T_KW_UNSAFE:
		if (lang_parse_kind(p, 1) == LANG_T_LBRACE) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "`unsafe` blocks are not supported yet");
			lang_parse_bump(p);
			n = lang_parse_block(p);
			p->panic = was || p->panic;
			blocklike = 1;
		} else {
			lang_parse_expected(p, "expression");
			n = lang_parse_mk_error(p, pos);
		}
		break;
	case LANG_T_KW_IF:
		n = lang_parse_if(p);
		blocklike = 1;
		break;
	case LANG_T_KW_WHILE:
	case LANG_T_KW_LOOP:
	case LANG_T_KW_FOR:
		n = lang_parse_loop(p, NULL, pos);
		blocklike = 1;
		break;
	case LANG_T_LIFETIME: {
		const char *label = t->text;
		lang_tok_kind k2 = lang_parse_kind(p, 2);
		if (lang_parse_kind(p, 1) != LANG_T_COLON) {
			lang_parse_error(p, pos, NULL,
			                 "expected expression, found lifetime "
			                 "`'%.60s`",
			                 label);
			n = lang_parse_mk_error(p, pos);
			break;
		}
		if (k2 == LANG_T_KW_LOOP || k2 == LANG_T_KW_WHILE ||
		    k2 == LANG_T_KW_FOR) {
			lang_parse_bump(p);
			lang_parse_bump(p);
			n = lang_parse_loop(p, label, pos);
		} else if (k2 == LANG_T_LBRACE) {
			int was = lang_parse_unsupported(
			        p, pos,
			        "use a labelled `loop` with `break "
			        "'label value` instead",
			        "labelled blocks are not supported yet");
			lang_parse_bump(p);
			lang_parse_bump(p);
			n = lang_parse_block(p);
			p->panic = was || p->panic;
		} else {
			lang_parse_bump(p);
			lang_parse_bump(p);
			lang_parse_expected(p, "`loop`, `while` or `for` after "
			                       "a label");
			n = lang_parse_mk_error(p, pos);
		}
		blocklike = 1;
		break;
	}
	case LANG_T_KW_MATCH:
		n = lang_parse_match(p);
		blocklike = 1;
		break;
	case LANG_T_KW_RETURN:
		lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_RETURN, pos);
		if (lang_parse_can_begin_expr(p, restr))
			n->a = lang_parse_expr_bp(p, 0, restr);
		break;
	case LANG_T_KW_BREAK:
		lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_BREAK, pos);
		if (lang_parse_at(p, LANG_T_LIFETIME)) {
			n->name = lang_parse_peek(p, 0)->text;
			lang_parse_bump(p);
		}
		if (lang_parse_can_begin_expr(p, restr))
			n->a = lang_parse_expr_bp(p, 0, restr);
		break;
	case LANG_T_KW_CONTINUE:
		lang_parse_bump(p);
		n = lang_parse_mk(p, LANG_N_CONTINUE, pos);
		if (lang_parse_at(p, LANG_T_LIFETIME)) {
			n->name = lang_parse_peek(p, 0)->text;
			lang_parse_bump(p);
		}
		break;
	case LANG_T_KW_LET:
		lang_parse_error(p, pos,
		                 "`if let` and `let` chains are not supported "
		                 "yet",
		                 "`let` is only allowed as a statement");
		n = lang_parse_mk_error(p, pos);
		break;
	case LANG_T_KW_YIELD:
		lang_parse_error(p, pos, NULL, "`yield` is not supported");
		n = lang_parse_mk_error(p, pos);
		break;
	case LANG_T_LT:
		lang_parse_error(
		        p, pos, NULL,
		        "qualified paths like `<T as Trait>::name` are "
		        "not supported yet");
		n = lang_parse_mk_error(p, pos);
		break;
	case LANG_T_ERROR:
		/* Already reported by the lexer; stand in for it quietly so
		 * that the statement can still end normally. */
		lang_parse_bump(p);
		n = lang_parse_mk_error(p, pos);
		break;
	default:
		if (at_stmt && lang_parse_at_item(p)) {
			lang_parse_error(p, pos, NULL,
			                 "items inside functions are not "
			                 "supported yet");
		} else {
			lang_parse_expected(p, "expression");
		}
		n = lang_parse_mk_error(p, pos);
		break;
	}
	p->prim_blocklike = at_stmt && blocklike;
	return n;
}

/* Postfix operators: `.await`, `?`, `.field`, `.0`, `.method::<T>(..)`,
 * calls and indexing. */
static lang_node *
lang_parse_postfix(lang_parser *p, int restr)
{
	lang_node *lhs = lang_parse_primary(p, restr);
	int blk = p->prim_blocklike;
	p->prim_blocklike = 0;
	int chain = 0;
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k != LANG_T_DOT && k != LANG_T_QUESTION &&
		    ((k != LANG_T_LPAREN && k != LANG_T_LBRACKET) || blk))
			break;
		if (!lang_parse_enter(p))
			break;
		chain++;
		blk = 0;
		lang_pos pos = lang_parse_pos(p);
		lang_node *n;
		if (k == LANG_T_QUESTION) {
			lang_parse_bump(p);
			n = lang_parse_mk(p, LANG_N_TRY, pos);
			n->a = lhs;
			n->start = lhs->start;
		} else if (k == LANG_T_LPAREN) {
			lang_parse_bump(p);
			/* A call sits at its callee, where rustc points
			 * errors about it; `(` would help nobody. */
			n = lang_parse_mk(p, LANG_N_CALL, lang_node_start(lhs));
			n->a = lhs;
			n->start = lhs->start;
			lang_parse_vec kids = {0};
			lang_parse_expr_list(p, &kids, LANG_T_RPAREN, pos,
			                     "`(`");
			lang_parse_set_kids(n, &kids);
		} else if (k == LANG_T_LBRACKET) {
			lang_parse_bump(p);
			n = lang_parse_mk(p, LANG_N_INDEX, pos);
			n->a = lhs;
			n->start = lhs->start;
			n->b = lang_parse_expr(p);
			lang_parse_expect_close(p, LANG_T_RBRACKET, pos, "`[`");
		} else {
			lang_parse_bump(p); /* . */
			lang_token *t = lang_parse_peek(p, 0);
			lang_pos npos = t->pos;
			if (t->kind == LANG_T_KW_AWAIT) {
				lang_parse_bump(p);
				n = lang_parse_mk(p, LANG_N_AWAIT, npos);
				n->a = lhs;
				n->start = lhs->start;
			} else if (t->kind == LANG_T_INT) {
				if (t->suffix[0])
					lang_parse_error(
					        p, npos, NULL,
					        "suffixes on a tuple index "
					        "are invalid");
				n = lang_parse_mk(p, LANG_N_FIELD, npos);
				n->a = lhs;
				n->start = lhs->start;
				char num[24];
				snprintf(num, sizeof num, "%llu",
				         (unsigned long long)t->ival);
				n->name =
				        lang_parse_strndup(p, num, strlen(num));
				lang_parse_bump(p);
			} else if (t->kind == LANG_T_IDENT) {
				const char *name = t->text;
				lang_parse_bump(p);
				const char *turbofish = NULL;
				if (lang_parse_at(p, LANG_T_PATHSEP) &&
				    lang_parse_kind(p, 1) == LANG_T_LT) {
					lang_parse_bump(p);
					size_t start = p->tlen;
					lang_parse_generic_args(p);
					size_t glen;
					const char *g = lang_parse_ttake(
					        p, start, &glen);
					if (glen >= 2)
						turbofish = lang_parse_strndup(
						        p, g + 1, glen - 2);
				}
				if (lang_parse_at(p, LANG_T_LPAREN)) {
					lang_pos open = lang_parse_pos(p);
					lang_parse_bump(p);
					n = lang_parse_mk(p, LANG_N_METHOD,
					                  npos);
					n->a = lhs;
					n->start = lhs->start;
					n->name = name;
					n->str = turbofish;
					n->str_len = turbofish
					                     ? strlen(turbofish)
					                     : 0;
					lang_parse_vec kids = {0};
					lang_parse_expr_list(p, &kids,
					                     LANG_T_RPAREN,
					                     open, "`(`");
					lang_parse_set_kids(n, &kids);
				} else {
					if (turbofish)
						lang_parse_expected(
						        p, "`(` after the "
						           "method's generic "
						           "arguments");
					n = lang_parse_mk(p, LANG_N_FIELD,
					                  npos);
					n->a = lhs;
					n->start = lhs->start;
					n->name = name;
				}
			} else {
				lang_parse_expected(p, "a field or method name "
				                       "after `.`");
				n = lhs;
			}
		}
		lhs = n;
	}
	p->depth -= chain;
	p->blocklike_end = blk;
	return lhs;
}

/* Prefix operators, applied right to left without recursion: the chain of
 * UNARY nodes is linked top-down and the operand hung at its end. */
static lang_node *
lang_parse_unary(lang_parser *p, int restr)
{
	lang_node *first = NULL, *last = NULL;
	int chain = 0;
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		int ops[2], nops = 0;
		switch (t->kind) {
		case LANG_T_MINUS:
			ops[nops++] = LANG_OP_NEG;
			break;
		case LANG_T_BANG:
			ops[nops++] = LANG_OP_NOT;
			break;
		case LANG_T_STAR:
			ops[nops++] = LANG_OP_DEREF;
			break;
		case LANG_T_AMP:
			ops[nops++] = LANG_OP_REF;
			break;
		case LANG_T_AMPAMP:
			ops[nops++] = LANG_OP_REF;
			ops[nops++] = LANG_OP_REF;
			break;
		default:
			break;
		}
		if (!nops)
			break;
		if (!lang_parse_enter(p))
			break;
		chain++;
		p->stmt_start = 0;
		lang_pos pos = t->pos;
		lang_parse_bump(p);
		if (ops[nops - 1] == LANG_OP_REF &&
		    lang_parse_eat(p, LANG_T_KW_MUT))
			ops[nops - 1] = LANG_OP_REF_MUT;
		for (int i = 0; i < nops; i++) {
			lang_node *u = lang_parse_mk(p, LANG_N_UNARY, pos);
			u->op = ops[i];
			if (last)
				last->a = u;
			else
				first = u;
			last = u;
			pos.col++;
		}
	}
	lang_node *operand;
	if (p->stop && first)
		operand = lang_parse_mk_error(p, lang_parse_pos(p));
	else
		operand = lang_parse_postfix(p, restr);
	p->depth -= chain;
	if (!last)
		return operand;
	p->blocklike_end = 0;
	last->a = operand;
	return first;
}

typedef struct lang_parse_binop {
	lang_tok_kind tok;
	int op;
	int bp;
	lang_node_kind kind;
} lang_parse_binop;

static const lang_parse_binop lang_parse_binops[] = {
        {LANG_T_EQ, LANG_OP_NONE, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_PLUSEQ, LANG_OP_ADD, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_MINUSEQ, LANG_OP_SUB, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_STAREQ, LANG_OP_MUL, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_SLASHEQ, LANG_OP_DIV, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_PERCENTEQ, LANG_OP_REM, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_CARETEQ, LANG_OP_BITXOR, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_AMPEQ, LANG_OP_BITAND, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_PIPEEQ, LANG_OP_BITOR, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_SHLEQ, LANG_OP_SHL, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_SHREQ, LANG_OP_SHR, BP_ASSIGN, LANG_N_ASSIGN},
        {LANG_T_DOTDOT, LANG_OP_NONE, BP_RANGE, LANG_N_RANGE},
        {LANG_T_DOTDOTEQ, LANG_OP_NONE, BP_RANGE, LANG_N_RANGE},
        {LANG_T_DOTDOTDOT, LANG_OP_NONE, BP_RANGE, LANG_N_RANGE},
        {LANG_T_PIPEPIPE, LANG_OP_OR, BP_OR, LANG_N_BINARY},
        {LANG_T_AMPAMP, LANG_OP_AND, BP_AND, LANG_N_BINARY},
        {LANG_T_EQEQ, LANG_OP_EQ, BP_CMP, LANG_N_BINARY},
        {LANG_T_NE, LANG_OP_NE, BP_CMP, LANG_N_BINARY},
        {LANG_T_LT, LANG_OP_LT, BP_CMP, LANG_N_BINARY},
        {LANG_T_LE, LANG_OP_LE, BP_CMP, LANG_N_BINARY},
        {LANG_T_GT, LANG_OP_GT, BP_CMP, LANG_N_BINARY},
        {LANG_T_GE, LANG_OP_GE, BP_CMP, LANG_N_BINARY},
        {LANG_T_PIPE, LANG_OP_BITOR, BP_BITOR, LANG_N_BINARY},
        {LANG_T_CARET, LANG_OP_BITXOR, BP_BITXOR, LANG_N_BINARY},
        {LANG_T_AMP, LANG_OP_BITAND, BP_BITAND, LANG_N_BINARY},
        {LANG_T_SHL, LANG_OP_SHL, BP_SHIFT, LANG_N_BINARY},
        {LANG_T_SHR, LANG_OP_SHR, BP_SHIFT, LANG_N_BINARY},
        {LANG_T_PLUS, LANG_OP_ADD, BP_ADD, LANG_N_BINARY},
        {LANG_T_MINUS, LANG_OP_SUB, BP_ADD, LANG_N_BINARY},
        {LANG_T_STAR, LANG_OP_MUL, BP_MUL, LANG_N_BINARY},
        {LANG_T_SLASH, LANG_OP_DIV, BP_MUL, LANG_N_BINARY},
        {LANG_T_PERCENT, LANG_OP_REM, BP_MUL, LANG_N_BINARY},
        {LANG_T_KW_AS, LANG_OP_NONE, BP_CAST, LANG_N_CAST},
};

static const lang_parse_binop *
lang_parse_binop_of(lang_tok_kind k)
{
	for (size_t i = 0;
	     i < sizeof lang_parse_binops / sizeof lang_parse_binops[0]; i++) {
		if (lang_parse_binops[i].tok == k)
			return &lang_parse_binops[i];
	}
	return NULL;
}

/* The range operator at the cursor (`..`, `..=`, or `...` reported as a
 * mistake), consumed; returns the RANGE node with its end parsed. */
static lang_node *
lang_parse_range_rest(lang_parser *p, lang_node *start, int restr)
{
	lang_token *t = lang_parse_peek(p, 0);
	lang_pos pos = t->pos;
	lang_node *n = lang_parse_mk(p, LANG_N_RANGE, pos);
	if (t->kind == LANG_T_DOTDOTDOT) {
		lang_parse_error(p, pos,
		                 "use `..` for an exclusive range or `..=` "
		                 "for an inclusive one",
		                 "unexpected token: `...`");
		n->flags |= LANG_F_INCLUSIVE;
	} else if (t->kind == LANG_T_DOTDOTEQ) {
		n->flags |= LANG_F_INCLUSIVE;
	}
	lang_parse_bump(p);
	n->a = start;
	if (start)
		n->start = start->start;
	if (lang_parse_can_begin_expr(p, restr))
		n->b = lang_parse_expr_bp(p, BP_RANGE + 1, restr);
	else if (n->flags & LANG_F_INCLUSIVE)
		lang_parse_error(p, pos, "`..=` needs an end, e.g. `1..=10`",
		                 "inclusive range with no end");
	return n;
}

/* The type after `as`. `i as usize < n` reads `<` as the start of generic
 * arguments in Rust, which rejects it; say so as rustc does, then go on
 * with the comparison the learner meant. */
static lang_node *
lang_parse_cast_type(lang_parser *p)
{
	lang_token *t = lang_parse_peek(p, 0);
	lang_tok_kind k1 = lang_parse_kind(p, 1);
	if (t->kind != LANG_T_IDENT || (k1 != LANG_T_LT && k1 != LANG_T_SHL))
		return lang_parse_type(p);
	lang_node *n = lang_parse_mk(p, LANG_N_TYPE, t->pos);
	n->str = t->text;
	n->str_len = t->text_len;
	lang_parse_bump(p);
	int was = lang_parse_unsupported(
	        p, lang_parse_pos(p),
	        k1 == LANG_T_LT
	                ? "put the cast in parentheses: `(x as T) < y`"
	                : "put the cast in parentheses: `(x as T) << y`",
	        "`%s` is interpreted as a start of generic arguments for "
	        "`%s`, not a %s",
	        k1 == LANG_T_LT ? "<" : "<<", n->str,
	        k1 == LANG_T_LT ? "comparison" : "shift");
	p->panic = was;
	return n;
}

/* Precedence climbing. Left-associative chains are built in a loop, and
 * each link counts as a level of nesting, since the tree grows one level
 * deeper with it. */
static lang_node *
lang_parse_expr_bp(lang_parser *p, int min, int restr)
{
	if (!lang_parse_enter(p))
		return lang_parse_mk_error(p, lang_parse_pos(p));
	lang_node *lhs;
	lang_tok_kind k0 = lang_parse_kind(p, 0);
	if ((k0 == LANG_T_DOTDOT || k0 == LANG_T_DOTDOTEQ ||
	     k0 == LANG_T_DOTDOTDOT) &&
	    min <= BP_RANGE) {
		p->stmt_start = 0;
		lhs = lang_parse_range_rest(p, NULL, restr);
	} else {
		lhs = lang_parse_unary(p, restr);
		if (p->blocklike_end) {
			/* A block-like expression statement ends here:
			 * `if c { } - 1` is two statements. */
			lang_parse_leave(p);
			return lhs;
		}
	}
	int chain = 0;
	int chained_cmp_reported = 0;
	for (;;) {
		if (p->stop)
			break;
		lang_token *t = lang_parse_peek(p, 0);
		const lang_parse_binop *b = lang_parse_binop_of(t->kind);
		if (!b || b->bp < min)
			break;
		if (b->kind == LANG_N_RANGE && lhs->kind == LANG_N_RANGE)
			break;
		if (!lang_parse_enter(p))
			break;
		chain++;
		lang_pos pos = t->pos;
		if (b->kind == LANG_N_RANGE) {
			lhs = lang_parse_range_rest(p, lhs, restr);
			continue;
		}
		lang_parse_bump(p);
		lang_node *n = lang_parse_mk(p, b->kind, pos);
		n->op = b->op;
		n->a = lhs;
		n->start = lhs->start;
		if (b->kind == LANG_N_CAST) {
			n->b = lang_parse_cast_type(p);
		} else if (b->kind == LANG_N_ASSIGN) {
			/* Right-associative: `a = b = c` is `a = (b = c)`. */
			n->b = lang_parse_expr_bp(p, BP_ASSIGN, restr);
		} else {
			n->b = lang_parse_expr_bp(p, b->bp + 1, restr);
			if (b->bp == BP_CMP && !chained_cmp_reported) {
				const lang_parse_binop *nb =
				        lang_parse_binop_of(
				                lang_parse_kind(p, 0));
				if (nb && nb->bp == BP_CMP) {
					chained_cmp_reported = 1;
					lang_parse_error(
					        p, lang_parse_pos(p),
					        "split the comparison with "
					        "`&&`, "
					        "e.g. `a < b && b < c`",
					        "comparison operators cannot "
					        "be "
					        "chained");
				}
			}
		}
		lhs = n;
	}
	p->depth -= chain;
	lang_parse_leave(p);
	return lhs;
}

/* ---- statements and blocks ---- */

static lang_node *
lang_parse_let(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	lang_parse_bump(p);
	lang_node *n = lang_parse_mk(p, LANG_N_LET, pos);
	n->a = lang_parse_pattern(p);
	if (lang_parse_eat(p, LANG_T_COLON))
		n->b = lang_parse_type(p);
	if (lang_parse_eat(p, LANG_T_EQ))
		n->c = lang_parse_expr(p);
	if (lang_parse_at(p, LANG_T_KW_ELSE)) {
		int was = lang_parse_unsupported(
		        p, lang_parse_pos(p), NULL,
		        "`let ... else` is not supported yet");
		lang_parse_bump(p);
		if (lang_parse_at(p, LANG_T_LBRACE))
			lang_parse_skip_group(p);
		p->panic = was;
	}
	/* At the end of the file the unclosed block is the error. */
	if (!lang_parse_eat(p, LANG_T_SEMI) && !lang_parse_at(p, LANG_T_EOF))
		lang_parse_error(p, p->prev_end, "add `;` here",
		                 "expected `;`, found %s", lang_parse_found(p));
	return n;
}

/* Reports an item written inside a function body and skips it. */
static void
lang_parse_nested_item(lang_parser *p)
{
	lang_tok_kind k = lang_parse_kind(p, 0);
	int was = lang_parse_unsupported(
	        p, lang_parse_pos(p),
	        "move it out of the function, to the top level of the file",
	        "items inside functions are not supported yet");
	int brace_ends = !(k == LANG_T_KW_CONST || k == LANG_T_KW_STATIC ||
	                   k == LANG_T_KW_TYPE || k == LANG_T_KW_USE);
	lang_parse_skip_item(p, brace_ends);
	p->panic = was;
}

/* One statement, appended to `stmts` (nothing for an empty `;` or an item
 * that was reported). */
static void
lang_parse_stmt(lang_parser *p, lang_parse_vec *stmts)
{
	if (lang_parse_eat(p, LANG_T_SEMI))
		return;
	if (lang_parse_at(p, LANG_T_POUND)) {
		lang_parse_attrs(p, NULL, NULL);
		if (lang_parse_at(p, LANG_T_RBRACE))
			return;
	}
	if (lang_parse_at(p, LANG_T_KW_LET)) {
		lang_parse_push(p, stmts, lang_parse_let(p));
		return;
	}
	if (lang_parse_at_item(p)) {
		lang_parse_nested_item(p);
		return;
	}
	lang_pos pos = lang_parse_pos(p);
	p->stmt_start = 1;
	p->blocklike_end = 0;
	lang_node *e = lang_parse_expr_bp(p, 0, R_NONE);
	p->stmt_start = 0;
	int blk = p->blocklike_end;
	p->blocklike_end = 0;
	lang_node *n = lang_parse_mk(p, LANG_N_EXPR_STMT, pos);
	n->a = e;
	if (lang_parse_eat(p, LANG_T_SEMI)) {
		n->flags |= LANG_F_SEMI;
	} else if (!blk && !lang_parse_at(p, LANG_T_RBRACE) &&
	           !lang_parse_at(p, LANG_T_EOF)) {
		lang_parse_error(p, p->prev_end, "add `;` here",
		                 "expected `;`, found %s", lang_parse_found(p));
	}
	lang_parse_push(p, stmts, n);
}

static lang_node *
lang_parse_block(lang_parser *p)
{
	lang_pos open = lang_parse_pos(p);
	if (!lang_parse_at(p, LANG_T_LBRACE)) {
		lang_parse_expected(p, "`{`");
		return lang_parse_mk_error(p, open);
	}
	lang_parse_bump(p);
	lang_node *n = lang_parse_mk(p, LANG_N_BLOCK, open);
	lang_parse_vec stmts = {0};
	/* Inner attributes such as `#![allow(unused)]` may open a block. */
	for (;;) {
		if (p->stop)
			break;
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_RBRACE) {
			lang_parse_bump(p);
			break;
		}
		if (k == LANG_T_EOF) {
			lang_parse_error_at_eof(
			        p, open,
			        "add the missing `}`; every `{` "
			        "needs one",
			        "this block is never closed");
			break;
		}
		size_t before = p->consumed;
		lang_parse_stmt(p, &stmts);
		if (p->panic) {
			if (p->consumed == before ||
			    (p->prev_kind != LANG_T_SEMI &&
			     p->prev_kind != LANG_T_RBRACE))
				lang_parse_sync_stmt(p);
			p->panic = 0;
		}
		if (p->consumed == before && !lang_parse_at(p, LANG_T_RBRACE))
			lang_parse_bump(p);
	}
	/* The last expression without `;` is the block's value. */
	if (stmts.n) {
		lang_node *last = stmts.v[stmts.n - 1];
		if (last->kind == LANG_N_EXPR_STMT &&
		    !(last->flags & LANG_F_SEMI)) {
			n->a = last->a;
			stmts.n--;
		}
	}
	lang_parse_set_kids(n, &stmts);
	return n;
}

/* ---- items ---- */

static int
lang_parse_at_self_param(lang_parser *p)
{
	unsigned k = 0;
	if (lang_parse_kind(p, k) == LANG_T_AMP) {
		k++;
		if (lang_parse_kind(p, k) == LANG_T_LIFETIME)
			k++;
	}
	if (lang_parse_kind(p, k) == LANG_T_KW_MUT)
		k++;
	return lang_parse_is_ident(p, k, "self");
}

static void
lang_parse_params(lang_parser *p, lang_parse_vec *params)
{
	lang_pos open = lang_parse_pos(p);
	if (!lang_parse_eat(p, LANG_T_LPAREN)) {
		lang_parse_expected(p, "`(`");
		return;
	}
	for (;;) {
		if (p->stop)
			return;
		if (lang_parse_eat(p, LANG_T_RPAREN))
			return;
		if (lang_parse_at(p, LANG_T_EOF)) {
			lang_parse_error_at_eof(p, open, NULL,
			                        "this `(` is never closed");
			return;
		}
		lang_parse_attrs(p, NULL, NULL);
		lang_pos pos = lang_parse_pos(p);
		if (lang_parse_at_self_param(p)) {
			int was = lang_parse_unsupported(
			        p, pos, NULL,
			        "`self` parameters are only allowed in `impl` "
			        "blocks, which are not supported yet");
			while (!lang_parse_at(p, LANG_T_COMMA) &&
			       !lang_parse_at(p, LANG_T_RPAREN) &&
			       !lang_parse_at(p, LANG_T_EOF) &&
			       !lang_parse_at(p, LANG_T_LBRACE) && !p->stop)
				lang_parse_bump(p);
			p->panic = was;
		} else {
			lang_node *param = lang_parse_mk(p, LANG_N_PARAM, pos);
			param->a = lang_parse_pattern(p);
			if (lang_parse_eat(p, LANG_T_COLON)) {
				param->b = lang_parse_type(p);
			} else {
				lang_parse_error(
				        p, lang_parse_pos(p),
				        "function parameters need a "
				        "type, e.g. `n: u64`",
				        "expected `:` and a type, found %s",
				        lang_parse_found(p));
				param->b = lang_parse_mk_error(p, pos);
			}
			lang_parse_push(p, params, param);
		}
		if (lang_parse_eat(p, LANG_T_COMMA))
			continue;
		if (lang_parse_at(p, LANG_T_RPAREN) ||
		    lang_parse_at(p, LANG_T_EOF))
			continue;
		lang_parse_expected(p, "`,` or `)`");
		lang_parse_skip_to_close(p, LANG_T_RPAREN);
		return;
	}
}

/* Skips generic parameters `<...>` after reporting them. */
static void
lang_parse_skip_generics(lang_parser *p)
{
	lang_pos pos = lang_parse_pos(p);
	int lifetimes_only = 1;
	size_t depth = 0;
	/* Scan to the matching `>` first to tell lifetimes from types. */
	for (unsigned k = 1; k < LANG_PARSE_LOOKAHEAD; k++) {
		lang_tok_kind kind = lang_parse_kind(p, k);
		if (kind == LANG_T_GT || kind == LANG_T_EOF)
			break;
		if (kind != LANG_T_LIFETIME && kind != LANG_T_COMMA)
			lifetimes_only = 0;
	}
	int was;
	if (lifetimes_only)
		was = lang_parse_unsupported(
		        p, pos,
		        "remove them; references in parameters need no "
		        "lifetime in this subset",
		        "lifetime parameters are not supported yet");
	else
		was = lang_parse_unsupported(
		        p, pos,
		        "write the function for one concrete type, "
		        "such as `u64`",
		        "generic functions are not supported yet");
	for (;;) {
		lang_tok_kind k = lang_parse_kind(p, 0);
		if (k == LANG_T_EOF || k == LANG_T_LBRACE || k == LANG_T_SEMI ||
		    p->stop)
			break;
		if (k == LANG_T_LT || k == LANG_T_SHL)
			depth += k == LANG_T_SHL ? 2 : 1;
		if (k == LANG_T_GT || k == LANG_T_SHR) {
			size_t d = k == LANG_T_SHR ? 2 : 1;
			depth = depth > d ? depth - d : 0;
			lang_parse_bump(p);
			if (depth == 0)
				break;
			continue;
		}
		if (lang_parse_is_open(k)) {
			lang_parse_skip_group(p);
			continue;
		}
		lang_parse_bump(p);
	}
	p->panic = was;
}

static lang_node *
lang_parse_fn(lang_parser *p, lang_parse_vec *attrs, uint32_t pub)
{
	lang_pos pos = lang_parse_pos(p);
	lang_node *n = lang_parse_mk(p, LANG_N_FN, pos);
	n->flags = pub;
	for (;;) {
		lang_pos qpos = lang_parse_pos(p);
		int was;
		switch (lang_parse_kind(p, 0)) {
		case LANG_T_KW_CONST:
			was = lang_parse_unsupported(
			        p, qpos, NULL,
			        "`const fn` is not supported yet");
			lang_parse_bump(p);
			p->panic = was;
			continue;
		case LANG_T_KW_UNSAFE:
			was = lang_parse_unsupported(
			        p, qpos, NULL,
			        "`unsafe` functions are not supported yet");
			lang_parse_bump(p);
			p->panic = was;
			continue;
		case LANG_T_KW_EXTERN:
			was = lang_parse_unsupported(
			        p, qpos, NULL,
			        "`extern` functions are not supported yet");
			lang_parse_bump(p);
			lang_parse_eat(p, LANG_T_STR);
			p->panic = was;
			continue;
		case LANG_T_KW_ASYNC:
			n->flags |= LANG_F_ASYNC;
			lang_parse_bump(p);
			continue;
		default:
			break;
		}
		break;
	}
	if (!lang_parse_eat(p, LANG_T_KW_FN)) {
		lang_parse_expected(p, "`fn`");
		return NULL;
	}
	lang_token *t = lang_parse_peek(p, 0);
	if (t->kind != LANG_T_IDENT) {
		lang_parse_expected(p, "a function name");
		return NULL;
	}
	n->name = t->text;
	lang_parse_bump(p);
	if (lang_parse_at(p, LANG_T_LT))
		lang_parse_skip_generics(p);
	lang_parse_vec params = {0};
	lang_parse_params(p, &params);
	lang_parse_set_kids(n, &params);
	if (lang_parse_eat(p, LANG_T_ARROW))
		n->a = lang_parse_type(p);
	if (lang_parse_at(p, LANG_T_KW_WHERE)) {
		int was = lang_parse_unsupported(
		        p, lang_parse_pos(p), NULL,
		        "`where` clauses are not supported yet");
		lang_parse_skip_to_brace(p);
		p->panic = was;
	}
	if (attrs->n) {
		lang_node *list =
		        lang_parse_mk(p, LANG_N_LIST, attrs->v[0]->pos);
		lang_parse_set_kids(list, attrs);
		n->c = list;
		for (uint32_t i = 0; i < attrs->n; i++)
			lang_parse_attr_check(p, attrs->v[i], 1);
	}
	if (lang_parse_at(p, LANG_T_SEMI)) {
		lang_parse_error(p, lang_parse_pos(p),
		                 "write the function's body in `{ ... }`",
		                 "function `%s` has no body", n->name);
		lang_parse_bump(p);
		n->b = lang_parse_mk_error(p, pos);
		return n;
	}
	if (!lang_parse_at(p, LANG_T_LBRACE)) {
		lang_parse_expected(p, "`{`");
		n->b = lang_parse_mk_error(p, pos);
		return n;
	}
	/* Reaching the body's `{` means the header is over: errors in the
	 * body are new errors, not cascades of the header's. */
	p->panic = 0;
	n->b = lang_parse_block(p);
	return n;
}

/* One `use` tree below `prefix` (the scratch text from `start`). */
static void
lang_parse_use_tree(lang_parser *p, lang_parse_vec *items, size_t start,
                    uint32_t pub)
{
	if (!lang_parse_enter(p))
		return;
	size_t mark = p->tlen;
	for (;;) {
		lang_token *t = lang_parse_peek(p, 0);
		lang_pos pos = t->pos;
		if (t->kind == LANG_T_STAR) {
			lang_parse_bump(p);
			lang_node *u = lang_parse_mk(p, LANG_N_USE, pos);
			u->name = "*";
			lang_parse_tputs(p, "*");
			u->str = lang_parse_strndup(p, p->tbuf + start,
			                            p->tlen - start);
			u->str_len = p->tlen - start;
			u->flags = pub;
			lang_parse_push(p, items, u);
			break;
		}
		if (t->kind == LANG_T_LBRACE) {
			lang_pos open = pos;
			lang_parse_bump(p);
			size_t here = p->tlen;
			for (;;) {
				if (p->stop || lang_parse_eat(p, LANG_T_RBRACE))
					break;
				if (lang_parse_at(p, LANG_T_EOF)) {
					lang_parse_error_at_eof(
					        p, open, NULL,
					        "this `{` is never closed");
					break;
				}
				lang_parse_use_tree(p, items, start, pub);
				p->tlen = here;
				if (lang_parse_eat(p, LANG_T_COMMA))
					continue;
				if (lang_parse_at(p, LANG_T_RBRACE) ||
				    lang_parse_at(p, LANG_T_EOF))
					continue;
				lang_parse_expected(p, "`,` or `}`");
				lang_parse_skip_to_close(p, LANG_T_RBRACE);
				break;
			}
			break;
		}
		if (t->kind != LANG_T_IDENT) {
			lang_parse_expected(p, "a name in `use`");
			break;
		}
		const char *seg = t->text;
		lang_parse_bump(p);
		if (lang_parse_eat(p, LANG_T_PATHSEP)) {
			/* The prefix always ends with `::`, ready for the
			 * next segment, group or glob. */
			lang_parse_tputs(p, seg);
			lang_parse_tputs(p, "::");
			continue;
		}
		/* A leaf: `name`, `name as alias` or `self`. */
		lang_node *u = lang_parse_mk(p, LANG_N_USE, pos);
		u->flags = pub;
		if (strcmp(seg, "self") == 0 && p->tlen > start) {
			/* `a::b::{self}` imports `a::b` as `b`. */
			size_t end = p->tlen;
			if (end - start >= 2 && p->tbuf[end - 1] == ':')
				end -= 2;
			size_t s = end;
			while (s > start && p->tbuf[s - 1] != ':')
				s--;
			u->name = lang_parse_strndup(p, p->tbuf + s, end - s);
			u->str = lang_parse_strndup(p, p->tbuf + start,
			                            end - start);
			u->str_len = end - start;
		} else {
			lang_parse_tputs(p, seg);
			u->name = seg;
			u->str = lang_parse_strndup(p, p->tbuf + start,
			                            p->tlen - start);
			u->str_len = p->tlen - start;
		}
		if (lang_parse_eat(p, LANG_T_KW_AS)) {
			lang_token *a = lang_parse_peek(p, 0);
			if (a->kind == LANG_T_IDENT) {
				u->name = a->text;
				lang_parse_bump(p);
			} else if (a->kind == LANG_T_UNDERSCORE) {
				u->name = "_";
				lang_parse_bump(p);
			} else {
				lang_parse_expected(p, "a name after `as`");
			}
		}
		lang_parse_push(p, items, u);
		break;
	}
	p->tlen = mark;
	lang_parse_leave(p);
}

static void
lang_parse_use(lang_parser *p, lang_parse_vec *items, uint32_t pub)
{
	lang_parse_bump(p); /* use */
	lang_parse_eat(p, LANG_T_PATHSEP);
	/* Each import remembers where its path starts (its crate's name),
	 * for the compiler's unresolved-import error. */
	uint32_t first_node = items->n;
	lang_pos first = lang_parse_peek(p, 0)->pos;
	size_t start = p->tlen;
	lang_parse_use_tree(p, items, start, pub);
	for (uint32_t i = first_node; i < items->n; i++)
		if (items->v[i]->kind == LANG_N_USE)
			items->v[i]->start = first;
	p->tlen = start;
	if (!lang_parse_eat(p, LANG_T_SEMI))
		lang_parse_error(p, p->prev_end, "add `;` here",
		                 "expected `;`, found %s", lang_parse_found(p));
}

/* Reports an item kind that is not supported yet and skips it. */
static void
lang_parse_unsupported_item(lang_parser *p, const char *hint, int brace_ends,
                            const char *msg)
{
	int was = lang_parse_unsupported(p, lang_parse_pos(p), hint, "%s", msg);
	lang_parse_skip_item(p, brace_ends);
	p->panic = was;
}

static void
lang_parse_item(lang_parser *p, lang_parse_vec *items)
{
	lang_parse_vec attrs = {0}, inner = {0};
	lang_parse_attrs(p, &attrs, &inner);
	for (uint32_t i = 0; i < inner.n; i++) {
		lang_parse_attr_check(p, inner.v[i], 0);
		lang_parse_push(p, items, inner.v[i]);
	}
	if (p->panic || p->stop)
		return;
	uint32_t pub = 0;
	if (lang_parse_eat(p, LANG_T_KW_PUB)) {
		pub = LANG_F_PUB;
		if (lang_parse_at(p, LANG_T_LPAREN))
			lang_parse_skip_group(p); /* pub(crate) */
	}
	lang_tok_kind k = lang_parse_kind(p, 0);
	lang_tok_kind k1 = lang_parse_kind(p, 1);
	switch (k) {
	case LANG_T_KW_USE:
		for (uint32_t i = 0; i < attrs.n; i++)
			lang_parse_attr_check(p, attrs.v[i], 0);
		lang_parse_use(p, items, pub);
		return;
	case LANG_T_KW_FN:
	case LANG_T_KW_ASYNC:
		lang_parse_push(p, items, lang_parse_fn(p, &attrs, pub));
		return;
	case LANG_T_KW_CONST:
		if (k1 == LANG_T_KW_FN || k1 == LANG_T_KW_ASYNC ||
		    k1 == LANG_T_KW_UNSAFE) {
			lang_parse_push(p, items,
			                lang_parse_fn(p, &attrs, pub));
			return;
		}
		lang_parse_unsupported_item(
		        p, "use a `let` binding inside the function for now", 0,
		        "`const` items are not supported yet");
		return;
	case LANG_T_KW_UNSAFE:
		if (k1 == LANG_T_KW_FN || k1 == LANG_T_KW_EXTERN) {
			lang_parse_push(p, items,
			                lang_parse_fn(p, &attrs, pub));
			return;
		}
		if (k1 == LANG_T_KW_IMPL)
			lang_parse_bump(p);
		else if (k1 == LANG_T_KW_TRAIT)
			lang_parse_bump(p);
		else {
			lang_parse_unsupported_item(
			        p, NULL, 1, "`unsafe` is not supported yet");
			return;
		}
		k = lang_parse_kind(p, 0);
		break;
	case LANG_T_KW_EXTERN:
		if (k1 == LANG_T_IDENT && lang_parse_is_ident(p, 1, "crate")) {
			lang_parse_unsupported_item(
			        p,
			        "it is not needed since Rust 2018; remove it",
			        0, "`extern crate` is not supported yet");
			return;
		}
		if (k1 == LANG_T_KW_FN ||
		    (k1 == LANG_T_STR &&
		     lang_parse_kind(p, 2) == LANG_T_KW_FN)) {
			lang_parse_push(p, items,
			                lang_parse_fn(p, &attrs, pub));
			return;
		}
		lang_parse_unsupported_item(p, NULL, 1,
		                            "`extern` blocks are not supported "
		                            "yet");
		return;
	default:
		break;
	}
	switch (k) {
	case LANG_T_KW_STRUCT:
		lang_parse_unsupported_item(
		        p, "group values in a tuple for now, e.g. `(x, y)`", 1,
		        "`struct` items are not supported yet");
		return;
	case LANG_T_KW_ENUM:
		lang_parse_unsupported_item(
		        p, NULL, 1, "`enum` items are not supported yet");
		return;
	case LANG_T_KW_IMPL:
		lang_parse_unsupported_item(
		        p,
		        "write an `async fn` instead of implementing a "
		        "trait for now",
		        1, "`impl` blocks are not supported yet");
		return;
	case LANG_T_KW_TRAIT:
		lang_parse_unsupported_item(
		        p, NULL, 1, "`trait` items are not supported yet");
		return;
	case LANG_T_KW_MOD:
		lang_parse_unsupported_item(
		        p, "keep all the code in this file", 1,
		        "`mod` items are not supported yet");
		return;
	case LANG_T_KW_STATIC:
		lang_parse_unsupported_item(
		        p, "use a `let` binding inside the function for now", 0,
		        "`static` items are not supported yet");
		return;
	case LANG_T_KW_TYPE:
		lang_parse_unsupported_item(
		        p, "write the type out in full", 0,
		        "type aliases are not supported yet");
		return;
	case LANG_T_IDENT:
		if (lang_parse_is_ident(p, 0, "macro_rules") &&
		    k1 == LANG_T_BANG) {
			lang_parse_unsupported_item(
			        p, NULL, 1,
			        "`macro_rules!` macros are not supported yet");
			return;
		}
		if (lang_parse_is_ident(p, 0, "union") && k1 == LANG_T_IDENT) {
			lang_parse_unsupported_item(
			        p, NULL, 1,
			        "`union` items are not supported yet");
			return;
		}
		if (k1 == LANG_T_BANG) {
			lang_parse_unsupported_item(
			        p, "call macros inside a function", 1,
			        "macro calls outside functions are not "
			        "supported yet");
			return;
		}
		break;
	case LANG_T_RBRACE:
		lang_parse_error(p, lang_parse_pos(p),
		                 "this `}` has no matching `{`",
		                 "unexpected closing delimiter `}`");
		lang_parse_bump(p);
		p->panic = 0;
		return;
	case LANG_T_EOF:
		if (attrs.n)
			lang_parse_error(
			        p, attrs.v[attrs.n - 1]->pos, NULL,
			        "expected an item after this attribute");
		return;
	default:
		break;
	}
	lang_parse_error(p, lang_parse_pos(p), NULL,
	                 "expected an item (`fn` or `use`), found %s",
	                 lang_parse_found(p));
}

static void
lang_parse_file(lang_parser *p)
{
	lang_node *root = lang_ast_root(p->ast);
	lang_parse_vec items = {0};
	for (;;) {
		if (p->stop || lang_parse_at(p, LANG_T_EOF))
			break;
		size_t before = p->consumed;
		p->panic = 0;
		lang_parse_item(p, &items);
		if (p->panic)
			lang_parse_sync_item(p);
		if (p->consumed == before && !lang_parse_at(p, LANG_T_EOF))
			lang_parse_bump(p);
	}
	lang_parse_set_kids(root, &items);
}

lang_ast *
lang_parse(const char *src, size_t len, lang_diags *diags)
{
	if (!src) {
		src = "";
		len = 0;
	}
	lang_ast *ast = lang_ast_new();
	if (!ast)
		return NULL;
	lang_parser p;
	memset(&p, 0, sizeof p);
	p.ast = ast;
	p.diags = diags;
	p.src = src;
	p.prev_kind = LANG_T_EOF;
	p.prev_end.line = 1;
	p.prev_end.col = 1;
	p.tcap = 256;
	p.tbuf = malloc(p.tcap);
	p.lx = lang_lex_new(src, len, diags);
	if (!p.lx || !p.tbuf) {
		lang_lex_free(p.lx);
		free(p.tbuf);
		lang_ast_free(ast);
		return NULL;
	}
	lang_parse_file(&p);
	int oom = p.oom || lang_lex_oom(p.lx);
	lang_lex_free(p.lx);
	free(p.tbuf);
	if (oom) {
		lang_ast_free(ast);
		return NULL;
	}
	return ast;
}
