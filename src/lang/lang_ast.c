#include "config.h"

#include "lang/lang_ast.h"

#include <inttypes.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arena is a list of chunks; a request never moves earlier memory, which
 * is what lets the parser hand out pointers as it goes. Requests larger than
 * a quarter chunk get a chunk of their own so a megabyte string literal does
 * not waste the tail of a normal chunk. */
enum { LANG_AST_CHUNK = 64 * 1024 };

typedef struct lang_ast_chunk lang_ast_chunk;
struct lang_ast_chunk {
	lang_ast_chunk *next;
	size_t used;
	size_t cap;
	alignas(max_align_t) unsigned char data[];
};

struct lang_ast {
	lang_ast_chunk *chunks;
	lang_node *root;
};

static const char *const lang_ast_kind_names[] = {
#define LANG_AST_NAME_(k, s) s,
        LANG_NODE_KINDS(LANG_AST_NAME_)
#undef LANG_AST_NAME_
};

static const char *const lang_ast_op_symbols[] = {
#define LANG_AST_NAME_(k, s) s,
        LANG_OPS(LANG_AST_NAME_)
#undef LANG_AST_NAME_
};

void *
lang_ast_alloc(lang_ast *ast, size_t size)
{
	size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	lang_ast_chunk *c = ast->chunks;
	if (!c || c->cap - c->used < size) {
		size_t cap = LANG_AST_CHUNK;
		if (size > cap / 4)
			cap = size;
		if (cap > SIZE_MAX - sizeof *c)
			return NULL;
		lang_ast_chunk *n = malloc(sizeof *n + cap);
		if (!n)
			return NULL;
		n->used = 0;
		n->cap = cap;
		if (c && size == cap) {
			/* A big block goes behind the current chunk, which may
			 * still have room for small requests. */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			ast->chunks = n;
		}
		c = n;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

lang_ast *
lang_ast_new(void)
{
	lang_ast *ast = calloc(1, sizeof *ast);
	if (!ast)
		return NULL;
	lang_pos start = {1, 1};
	ast->root = lang_ast_node(ast, LANG_N_FILE, start);
	if (!ast->root) {
		lang_ast_free(ast);
		return NULL;
	}
	return ast;
}

lang_node *
lang_ast_root(const lang_ast *ast)
{
	return ast ? ast->root : NULL;
}

void
lang_ast_free(lang_ast *ast)
{
	if (!ast)
		return;
	lang_ast_chunk *c = ast->chunks;
	while (c) {
		lang_ast_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(ast);
}

lang_node *
lang_ast_node(lang_ast *ast, lang_node_kind kind, lang_pos pos)
{
	lang_node *n = lang_ast_alloc(ast, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	n->pos = pos;
	n->start = pos;
	n->suffix = "";
	return n;
}

char *
lang_ast_strndup(lang_ast *ast, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = lang_ast_alloc(ast, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

const char *
lang_node_kind_name(lang_node_kind kind)
{
	if ((unsigned)kind >= LANG_N_COUNT_)
		return "?";
	return lang_ast_kind_names[kind];
}

const char *
lang_op_symbol(int op)
{
	if (op < 0 || op >= LANG_OP_COUNT_)
		return "";
	return lang_ast_op_symbols[op];
}

lang_pos
lang_node_start(const lang_node *node)
{
	if (node && node->start.line)
		return node->start;
	/* A node without a start (not made by the parser): infix and postfix
	 * nodes keep their first operand in `a`, and following that chain
	 * leads to the leftmost token. The chain is as long as the tree is
	 * deep, which the parser bounds. */
	while (node && node->a) {
		switch (node->kind) {
		case LANG_N_BINARY:
		case LANG_N_ASSIGN:
		case LANG_N_CAST:
		case LANG_N_CALL:
		case LANG_N_METHOD:
		case LANG_N_FIELD:
		case LANG_N_INDEX:
		case LANG_N_AWAIT:
		case LANG_N_TRY:
		case LANG_N_RANGE:
			node = node->a;
			continue;
		default:
			break;
		}
		break;
	}
	if (!node) {
		lang_pos none = {0, 0};
		return none;
	}
	return node->pos;
}

/* How lang_ast_sexpr prints each kind: which string fields to show and in
 * which order the children and the kids list come. In `order`, 'a'..'d' are
 * children, 'K' is the kids inline and 'P' the kids wrapped in parentheses
 * (so an empty parameter list still shows as "()"). */
enum { SX_NONE, SX_RAW, SX_QUOTED };

typedef struct lang_ast_sx_form {
	unsigned char show_name;
	unsigned char show_str; /* SX_* */
	const char *order;
} lang_ast_sx_form;

static const lang_ast_sx_form lang_ast_sx_forms[LANG_N_COUNT_] = {
        [LANG_N_FILE] = {0, SX_NONE, "K"},
        [LANG_N_USE] = {1, SX_RAW, ""},
        [LANG_N_ATTR] = {1, SX_QUOTED, ""},
        [LANG_N_LIST] = {0, SX_NONE, "K"},
        [LANG_N_FN] = {1, SX_NONE, "Pabc"},
        [LANG_N_PARAM] = {0, SX_NONE, "ab"},
        [LANG_N_TYPE] = {0, SX_RAW, ""},
        [LANG_N_LET] = {0, SX_NONE, "abc"},
        [LANG_N_EXPR_STMT] = {0, SX_NONE, "a"},
        [LANG_N_PAT_IDENT] = {1, SX_NONE, ""},
        [LANG_N_PAT_TUPLE] = {0, SX_NONE, "K"},
        [LANG_N_PAT_WILD] = {0, SX_NONE, ""},
        [LANG_N_PAT_REF] = {0, SX_NONE, "a"},
        [LANG_N_INT] = {0, SX_NONE, ""},
        [LANG_N_FLOAT] = {0, SX_NONE, ""},
        [LANG_N_BOOL] = {0, SX_NONE, ""},
        [LANG_N_STR] = {0, SX_QUOTED, ""},
        [LANG_N_CHAR] = {0, SX_NONE, ""},
        [LANG_N_PATH] = {0, SX_RAW, ""},
        [LANG_N_UNARY] = {0, SX_NONE, "a"},
        [LANG_N_BINARY] = {0, SX_NONE, "ab"},
        [LANG_N_ASSIGN] = {0, SX_NONE, "ab"},
        [LANG_N_CAST] = {0, SX_NONE, "ab"},
        [LANG_N_RANGE] = {0, SX_NONE, "ab"},
        [LANG_N_CALL] = {0, SX_NONE, "aK"},
        [LANG_N_METHOD] = {1, SX_RAW, "aK"},
        [LANG_N_FIELD] = {1, SX_NONE, "a"},
        [LANG_N_INDEX] = {0, SX_NONE, "ab"},
        [LANG_N_AWAIT] = {0, SX_NONE, "a"},
        [LANG_N_TRY] = {0, SX_NONE, "a"},
        [LANG_N_TUPLE] = {0, SX_NONE, "K"},
        [LANG_N_ARRAY] = {0, SX_NONE, "Kab"},
        [LANG_N_BLOCK] = {0, SX_NONE, "Ka"},
        [LANG_N_ASYNC_BLOCK] = {0, SX_NONE, "a"},
        [LANG_N_IF] = {0, SX_NONE, "abc"},
        [LANG_N_WHILE] = {1, SX_NONE, "ab"},
        [LANG_N_LOOP] = {1, SX_NONE, "b"},
        [LANG_N_FOR] = {1, SX_NONE, "abc"},
        [LANG_N_BREAK] = {1, SX_NONE, "a"},
        [LANG_N_CONTINUE] = {1, SX_NONE, ""},
        [LANG_N_RETURN] = {0, SX_NONE, "a"},
        [LANG_N_CLOSURE] = {0, SX_NONE, "Pab"},
        [LANG_N_MACRO] = {1, SX_NONE, "K"},
        [LANG_N_ERROR] = {0, SX_NONE, ""},
};

static const struct {
	uint32_t flag;
	const char *word;
} lang_ast_flag_words[] = {
        {LANG_F_PUB, "pub"},       {LANG_F_ASYNC, "async"},
        {LANG_F_MOVE, "move"},     {LANG_F_REF, "ref"},
        {LANG_F_MUT, "mut"},       {LANG_F_INCLUSIVE, "inclusive"},
        {LANG_F_REPEAT, "repeat"}, {LANG_F_SEMI, "semi"},
        {LANG_F_INNER, "inner"},   {LANG_F_RAW, "raw"},
};

typedef struct lang_ast_buf {
	char *p;
	size_t len;
	size_t cap;
	int failed;
} lang_ast_buf;

static void
lang_ast_buf_add(lang_ast_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= n) {
			if (cap > SIZE_MAX / 2) {
				b->failed = 1;
				return;
			}
			cap *= 2;
		}
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
lang_ast_buf_puts(lang_ast_buf *b, const char *s)
{
	lang_ast_buf_add(b, s, strlen(s));
}

static void lang_ast_buf_printf(lang_ast_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
lang_ast_buf_printf(lang_ast_buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->failed = 1;
		return;
	}
	lang_ast_buf_add(b, tmp, (size_t)n);
}

/* Quotes bytes C-style so that test expectations can spell any literal. */
static void
lang_ast_buf_quoted(lang_ast_buf *b, const char *s, size_t n)
{
	lang_ast_buf_puts(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			lang_ast_buf_puts(b, "\\\"");
			break;
		case '\\':
			lang_ast_buf_puts(b, "\\\\");
			break;
		case '\n':
			lang_ast_buf_puts(b, "\\n");
			break;
		case '\r':
			lang_ast_buf_puts(b, "\\r");
			break;
		case '\t':
			lang_ast_buf_puts(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				lang_ast_buf_printf(b, "\\x%02x", c);
			else
				lang_ast_buf_add(b, (const char *)&c, 1);
		}
	}
	lang_ast_buf_puts(b, "\"");
}

static void lang_ast_sx(lang_ast_buf *b, const lang_node *n);

static const lang_node *
lang_ast_sx_child(const lang_node *n, char which)
{
	switch (which) {
	case 'a':
		return n->a;
	case 'b':
		return n->b;
	case 'c':
		return n->c;
	default:
		return n->d;
	}
}

/* Whether anything after position `i` of `order` prints, which decides if an
 * absent child must be shown as `_` to keep the positions unambiguous. */
static int
lang_ast_sx_more(const lang_node *n, const char *order, size_t i)
{
	for (; order[i]; i++) {
		if (order[i] == 'P' || (order[i] == 'K' && n->nkids))
			return 1;
		if (order[i] >= 'a' && order[i] <= 'd' &&
		    lang_ast_sx_child(n, order[i]))
			return 1;
	}
	return 0;
}

static void
lang_ast_sx_value(lang_ast_buf *b, const lang_node *n)
{
	char tmp[40];
	switch (n->kind) {
	case LANG_N_INT:
		lang_ast_buf_printf(b, " %" PRIu64, n->ival);
		break;
	case LANG_N_FLOAT:
		/* The shortest spelling that reads back as the same double. */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof tmp, "%.*g", prec, n->fval);
			if (strtod(tmp, NULL) == n->fval)
				break;
		}
		/* Plain notation reads better in the usual range. */
		double mag = n->fval < 0 ? -n->fval : n->fval;
		if (strchr(tmp, 'e') && mag >= 1e-5 && mag < 1e16) {
			for (int prec = 0; prec <= 20; prec++) {
				snprintf(tmp, sizeof tmp, "%.*f", prec,
				         n->fval);
				if (strtod(tmp, NULL) == n->fval)
					break;
			}
		}
		lang_ast_buf_printf(b, " %s", tmp);
		break;
	case LANG_N_BOOL:
		lang_ast_buf_puts(b, n->ival ? " true" : " false");
		break;
	case LANG_N_CHAR:
		if (n->ival >= 0x20 && n->ival < 0x7f && n->ival != '\'' &&
		    n->ival != '\\')
			lang_ast_buf_printf(b, " '%c'", (char)n->ival);
		else
			lang_ast_buf_printf(b, " '\\u{%" PRIx64 "}'", n->ival);
		break;
	default:
		return;
	}
	if (n->suffix && n->suffix[0])
		lang_ast_buf_printf(b, " %s", n->suffix);
}

static void
lang_ast_sx(lang_ast_buf *b, const lang_node *n)
{
	if (!n) {
		lang_ast_buf_puts(b, "nil");
		return;
	}
	if ((unsigned)n->kind >= LANG_N_COUNT_) {
		lang_ast_buf_puts(b, "(?)");
		return;
	}
	const lang_ast_sx_form *f = &lang_ast_sx_forms[n->kind];
	lang_ast_buf_puts(b, "(");
	lang_ast_buf_puts(b, lang_ast_kind_names[n->kind]);
	for (size_t i = 0;
	     i < sizeof lang_ast_flag_words / sizeof lang_ast_flag_words[0];
	     i++) {
		if (n->flags & lang_ast_flag_words[i].flag) {
			lang_ast_buf_puts(b, " ");
			lang_ast_buf_puts(b, lang_ast_flag_words[i].word);
		}
	}
	if (n->kind == LANG_N_UNARY || n->kind == LANG_N_BINARY) {
		lang_ast_buf_puts(b, " ");
		lang_ast_buf_puts(b, lang_op_symbol(n->op));
	} else if (n->kind == LANG_N_ASSIGN) {
		lang_ast_buf_printf(b, " %s=", lang_op_symbol(n->op));
	} else if (n->kind == LANG_N_MACRO && n->name) {
		/* `println!`, `vec![]`, `m!{}`: the delimiter matters to
		 * block-like statements and to readers. */
		lang_ast_buf_printf(b, " %s!%s", n->name,
		                    n->op == '['   ? "[]"
		                    : n->op == '{' ? "{}"
		                                   : "");
	}
	if (f->show_name && n->name && n->kind != LANG_N_MACRO) {
		lang_ast_buf_puts(b, n->kind == LANG_N_WHILE ||
		                                     n->kind == LANG_N_LOOP ||
		                                     n->kind == LANG_N_FOR ||
		                                     n->kind == LANG_N_BREAK ||
		                                     n->kind == LANG_N_CONTINUE
		                             ? " '"
		                             : " ");
		lang_ast_buf_puts(b, n->name);
	}
	if (f->show_str == SX_RAW && n->str) {
		lang_ast_buf_puts(b, " ");
		lang_ast_buf_add(b, n->str, n->str_len);
	} else if (f->show_str == SX_QUOTED && n->str) {
		lang_ast_buf_puts(b, " ");
		lang_ast_buf_quoted(b, n->str, n->str_len);
	}
	lang_ast_sx_value(b, n);
	for (size_t i = 0; f->order[i]; i++) {
		char w = f->order[i];
		if (w == 'K' || w == 'P') {
			if (w == 'P')
				lang_ast_buf_puts(b, " (");
			for (uint32_t k = 0; k < n->nkids; k++) {
				if (k || w == 'K')
					lang_ast_buf_puts(b, " ");
				lang_ast_sx(b, n->kids[k]);
			}
			if (w == 'P')
				lang_ast_buf_puts(b, ")");
			continue;
		}
		const lang_node *c = lang_ast_sx_child(n, w);
		if (c) {
			lang_ast_buf_puts(b, " ");
			lang_ast_sx(b, c);
		} else if (lang_ast_sx_more(n, f->order, i + 1)) {
			lang_ast_buf_puts(b, " _");
		}
	}
	lang_ast_buf_puts(b, ")");
}

char *
lang_ast_sexpr(const lang_node *node)
{
	lang_ast_buf b = {0};
	lang_ast_sx(&b, node);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
