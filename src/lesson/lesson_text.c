#include "config.h"

#include "lesson/lesson_text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* A growing string; `failed` once memory ran out (later appends do
 * nothing, and the caller gets NULL). */
typedef struct lesson_buf {
	char *s;
	size_t len, cap;
	int failed;
} lesson_buf;

static void
lesson_buf_add(lesson_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->failed = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
lesson_buf_str(lesson_buf *b, const char *s)
{
	lesson_buf_add(b, s, strlen(s));
}

static char *
lesson_buf_done(lesson_buf *b)
{
	if (b->failed || !b->s) {
		if (!b->failed && !b->s) {
			char *e = calloc(1, 1);
			return e;
		}
		free(b->s);
		return NULL;
	}
	return b->s;
}

/* Characters in a UTF-8 string (continuation bytes do not count). */
static size_t
lesson_columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Appends `text` (one paragraph, '\n' = a forced break) wrapped at width,
 * each line starting with first (the first line) or rest. */
static void
lesson_wrap_into(lesson_buf *out, const char *text, int width,
		 const char *first, const char *rest)
{
	size_t col = 0;
	int at_line_start = 1;
	const char *prefix = first;
	const char *p = text;
	size_t limit = width > 20 ? (size_t)width : 20;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == '\n') {
			lesson_buf_str(out, "\n");
			at_line_start = 1;
			col = 0;
			p++;
			continue;
		}
		size_t n = strcspn(p, " \n");
		size_t w = lesson_columns(p, n);
		if (!at_line_start && col + 1 + w > limit) {
			lesson_buf_str(out, "\n");
			at_line_start = 1;
			col = 0;
		}
		if (at_line_start) {
			lesson_buf_str(out, prefix);
			col = lesson_columns(prefix, strlen(prefix));
			prefix = rest;
			at_line_start = 0;
		} else {
			lesson_buf_str(out, " ");
			col++;
		}
		lesson_buf_add(out, p, n);
		col += w;
		p += n;
	}
	if (!at_line_start)
		lesson_buf_str(out, "\n");
}

/* The inline text of a block (a paragraph or a heading). */
static void
lesson_inlines(lesson_buf *out, cmark_node *node)
{
	for (cmark_node *n = cmark_node_first_child(node); n;
	     n = cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
			lesson_buf_str(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_CODE:
			lesson_buf_str(out, "`");
			lesson_buf_str(out, cmark_node_get_literal(n));
			lesson_buf_str(out, "`");
			break;
		case CMARK_NODE_SOFTBREAK:
			lesson_buf_str(out, " ");
			break;
		case CMARK_NODE_LINEBREAK:
			lesson_buf_str(out, "\n");
			break;
		case CMARK_NODE_LINK: {
			lesson_inlines(out, n);
			const char *url = cmark_node_get_url(n);
			if (url && *url) {
				lesson_buf_str(out, " (");
				lesson_buf_str(out, url);
				lesson_buf_str(out, ")");
			}
			break;
		}
		default: /* emphasis, strong, images: their text */
			lesson_inlines(out, n);
			break;
		}
	}
}

static void lesson_blocks(lesson_buf *out, cmark_node *first, int width,
			  const char *prefix, int depth);

static void
lesson_block(lesson_buf *out, cmark_node *n, int width, const char *first,
	     const char *rest, int depth)
{
	lesson_buf in = {NULL, 0, 0, 0};
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING: {
		lesson_inlines(&in, n);
		if (in.failed)
			break;
		lesson_wrap_into(out, in.s ? in.s : "", width, first, rest);
		size_t w = in.s ? lesson_columns(in.s, in.len) : 0;
		if ((int)w > width)
			w = (size_t)width;
		lesson_buf_str(out, rest);
		const char *rule =
			cmark_node_get_heading_level(n) == 1 ? "=" : "-";
		for (size_t i = 0; i < w; i++)
			lesson_buf_str(out, rule);
		lesson_buf_str(out, "\n");
		break;
	}
	case CMARK_NODE_PARAGRAPH:
		lesson_inlines(&in, n);
		lesson_wrap_into(out, in.s ? in.s : "", width, first, rest);
		break;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK: {
		const char *lit = cmark_node_get_literal(n);
		const char *p = lit ? lit : "";
		int is_code = cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK;
		const char *prefix = first;
		while (*p) {
			size_t len = strcspn(p, "\n");
			lesson_buf_str(out, prefix);
			if (is_code)
				lesson_buf_str(out, "    ");
			lesson_buf_add(out, p, len);
			lesson_buf_str(out, "\n");
			prefix = rest;
			p += len + (p[len] == '\n');
		}
		break;
	}
	case CMARK_NODE_THEMATIC_BREAK:
		lesson_buf_str(out, first);
		lesson_buf_str(out, "* * *\n");
		break;
	case CMARK_NODE_BLOCK_QUOTE: {
		char qf[128], qr[128];
		strncpy(qf, first, 100);
		qf[100] = '\0';
		strcat(qf, "> ");
		strncpy(qr, rest, 100);
		qr[100] = '\0';
		strcat(qr, "> ");
		int inner = 0;
		for (cmark_node *c = cmark_node_first_child(n); c;
		     c = cmark_node_next(c)) {
			if (inner++) {
				lesson_buf_str(out, qr);
				lesson_buf_str(out, "\n");
			}
			lesson_block(out, c, width, inner == 1 ? qf : qr, qr,
				     depth + 1);
		}
		break;
	}
	case CMARK_NODE_LIST: {
		int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
		int number = cmark_node_get_list_start(n);
		int tight = cmark_node_get_list_tight(n);
		int item = 0;
		for (cmark_node *it = cmark_node_first_child(n); it;
		     it = cmark_node_next(it)) {
			char bullet[32], itf[160], itr[160];
			if (ordered)
				snprintf(bullet, sizeof bullet, "%d. ",
					 number++);
			else
				snprintf(bullet, sizeof bullet, "- ");
			if (item++ && !tight) {
				lesson_buf_str(out, "\n");
			}
			snprintf(itf, sizeof itf, "%.100s%s",
				 item == 1 ? first : rest, bullet);
			snprintf(itr, sizeof itr, "%.100s%*s", rest,
				 (int)strlen(bullet), "");
			int inner = 0;
			for (cmark_node *c = cmark_node_first_child(it); c;
			     c = cmark_node_next(c)) {
				if (inner++ && !tight)
					lesson_buf_str(out, "\n");
				lesson_block(out, c, width,
					     inner == 1 ? itf : itr, itr,
					     depth + 1);
			}
		}
		break;
	}
	default:
		lesson_blocks(out, cmark_node_first_child(n), width, rest,
			      depth + 1);
		break;
	}
	if (in.failed)
		out->failed = 1;
	free(in.s);
}

static void
lesson_blocks(lesson_buf *out, cmark_node *first, int width,
	      const char *prefix, int depth)
{
	/* Markdown can nest without end; a lesson never needs to. */
	if (depth > 16)
		return;
	int n = 0;
	for (cmark_node *c = first; c; c = cmark_node_next(c)) {
		if (n++)
			lesson_buf_str(out, "\n");
		lesson_block(out, c, width, prefix, prefix, depth);
	}
}

char *
lesson_text_render(const char *markdown, size_t len, int width)
{
	lesson_buf out = {NULL, 0, 0, 0};
	cmark_node *doc = cmark_parse_document(markdown, len, CMARK_OPT_DEFAULT);
	if (!doc)
		return NULL;
	lesson_blocks(&out, cmark_node_first_child(doc), width, "", 0);
	cmark_node_free(doc);
	return lesson_buf_done(&out);
}

char *
lesson_text_wrap(const char *text, int width, const char *first,
		 const char *rest)
{
	lesson_buf out = {NULL, 0, 0, 0};
	const char *p = text;
	const char *prefix = first;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *para = malloc(n + 1);
		if (!para) {
			free(out.s);
			return NULL;
		}
		memcpy(para, p, n);
		para[n] = '\0';
		if (p != text)
			lesson_buf_str(&out, "\n");
		lesson_wrap_into(&out, para, width, prefix, rest);
		prefix = rest;
		free(para);
		p += n;
		while (*p == '\n')
			p++;
	}
	return lesson_buf_done(&out);
}
