#include "config.h"

#include "check_suites.h"

#include <stdlib.h>
#include <string.h>

#include "lang/lang_lex.h"

/* A token as the tests compare it: the lexer's text is only valid until the
 * next token, so it is copied. */
typedef struct lex_tok {
	lang_tok_kind kind;
	uint32_t flags;
	lang_pos pos;
	char *text;
	size_t text_len;
	uint64_t ival;
	double fval;
	char suffix[8];
} lex_tok;

typedef struct lex_run {
	lex_tok *toks;
	size_t n; /* including the final EOF */
	lang_diags diags;
	int fatal;
} lex_run;

static void
lex_all(lex_run *r, const char *src, size_t len)
{
	memset(r, 0, sizeof *r);
	lang_diags_init(&r->diags);
	lang_lexer *lx = lang_lex_new(src, len, &r->diags);
	ck_assert_ptr_nonnull(lx);
	size_t cap = 16;
	r->toks = malloc(cap * sizeof *r->toks);
	for (;;) {
		lang_token t;
		lang_lex_next(lx, &t);
		if (r->n == cap) {
			cap *= 2;
			r->toks = realloc(r->toks, cap * sizeof *r->toks);
		}
		lex_tok *o = &r->toks[r->n++];
		memset(o, 0, sizeof *o);
		o->kind = t.kind;
		o->flags = t.flags;
		o->pos = t.pos;
		o->ival = t.ival;
		o->fval = t.fval;
		ck_assert_ptr_nonnull(t.suffix);
		strncpy(o->suffix, t.suffix, sizeof o->suffix - 1);
		if (t.text) {
			o->text = malloc(t.text_len + 1);
			memcpy(o->text, t.text, t.text_len + 1);
			o->text_len = t.text_len;
		}
		if (t.kind == LANG_T_EOF)
			break;
		/* No input makes more tokens than bytes, plus the EOF. */
		ck_assert_uint_le(r->n, len + 1);
	}
	r->fatal = lang_lex_fatal(lx);
	lang_lex_free(lx);
}

static void
lex_str(lex_run *r, const char *src)
{
	lex_all(r, src, strlen(src));
}

static void
lex_free(lex_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->toks[i].text);
	free(r->toks);
	lang_diags_free(&r->diags);
}

/* Asserts the token kinds of a whole run, EOF excluded. */
static void
lex_kinds(const lex_run *r, const lang_tok_kind *kinds, size_t n)
{
	ck_assert_uint_eq(r->n, n + 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(r->toks[i].kind == kinds[i],
		              "token %zu is %s, expected %s", i,
		              lang_tok_kind_name(r->toks[i].kind),
		              lang_tok_kind_name(kinds[i]));
	ck_assert_int_eq(r->toks[n].kind, LANG_T_EOF);
}

#define KINDS(r, ...)                                                          \
	do {                                                                   \
		static const lang_tok_kind k_[] = {__VA_ARGS__};               \
		lex_kinds((r), k_, sizeof k_ / sizeof k_[0]);                  \
	} while (0)

static void
assert_pos(const lex_tok *t, uint32_t line, uint32_t col)
{
	ck_assert_msg(t->pos.line == line && t->pos.col == col,
	              "%s at %u:%u, expected %u:%u",
	              lang_tok_kind_name(t->kind), t->pos.line, t->pos.col,
	              line, col);
}

static void
assert_one_error(const lex_run *r, uint32_t line, uint32_t col, const char *msg)
{
	ck_assert_uint_eq(r->diags.nerrors, 1);
	ck_assert_str_eq(r->diags.items[0].message, msg);
	ck_assert_uint_eq(r->diags.items[0].pos.line, line);
	ck_assert_uint_eq(r->diags.items[0].pos.col, col);
}

START_TEST(test_empty)
{
	lex_run r;
	lex_str(&r, "");
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.toks[0].kind, LANG_T_EOF);
	ck_assert_uint_eq(r.diags.len, 0);
	assert_pos(&r.toks[0], 1, 1);
	lex_free(&r);

	lex_str(&r, "  \n\t // only a comment\n/* and /* nested */ */ ");
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(r.diags.len, 0);
	lex_free(&r);

	/* EOF repeats forever. */
	lang_diags d;
	lang_diags_init(&d);
	lang_lexer *lx = lang_lex_new("x", 1, &d);
	lang_token t;
	lang_lex_next(lx, &t);
	ck_assert_int_eq(t.kind, LANG_T_IDENT);
	for (int i = 0; i < 3; i++) {
		lang_lex_next(lx, &t);
		ck_assert_int_eq(t.kind, LANG_T_EOF);
	}
	lang_lex_free(lx);
	lang_diags_free(&d);
}
END_TEST

START_TEST(test_integers)
{
	lex_run r;
	lex_str(&r, "0 42 1_000_000 0x1F 0xff_u8 0o17 0b1010_i64 7usize "
	            "18446744073709551615 0x1f32");
	ck_assert_uint_eq(r.diags.len, 0);
	static const uint64_t want[] = {0,  42, 1000000, 31,         255,
	                                15, 10, 7,       UINT64_MAX, 0x1f32};
	static const char *const suf[] = {"", "",    "",      "", "u8",
	                                  "", "i64", "usize", "", ""};
	ck_assert_uint_eq(r.n, 11);
	for (size_t i = 0; i < 10; i++) {
		ck_assert_int_eq(r.toks[i].kind, LANG_T_INT);
		ck_assert_uint_eq(r.toks[i].ival, want[i]);
		ck_assert_str_eq(r.toks[i].suffix, suf[i]);
	}
	lex_free(&r);
}
END_TEST

START_TEST(test_floats)
{
	lex_run r;
	lex_str(&r, "1.5 1e3 2.5e-3 1. 3f32 6.02E+23_f64 1_0.2_5");
	ck_assert_uint_eq(r.diags.len, 0);
	static const double want[] = {1.5, 1e3,     2.5e-3, 1.0,
	                              3.0, 6.02e23, 10.25};
	static const char *const suf[] = {"", "", "", "", "f32", "f64", ""};
	ck_assert_uint_eq(r.n, 8);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_int_eq(r.toks[i].kind, LANG_T_FLOAT);
		ck_assert_double_eq(r.toks[i].fval, want[i]);
		ck_assert_str_eq(r.toks[i].suffix, suf[i]);
	}
	lex_free(&r);
}
END_TEST

START_TEST(test_numbers_next_to_dots)
{
	lex_run r;
	/* Ranges and method calls on integers are not floats. */
	lex_str(&r, "1..10 1..=3 1.max(2)");
	KINDS(&r, LANG_T_INT, LANG_T_DOTDOT, LANG_T_INT, LANG_T_INT,
	      LANG_T_DOTDOTEQ, LANG_T_INT, LANG_T_INT, LANG_T_DOT, LANG_T_IDENT,
	      LANG_T_LPAREN, LANG_T_INT, LANG_T_RPAREN);
	lex_free(&r);

	/* `x.0.1` is two tuple indexes, not x . 0.1 */
	lex_str(&r, "x.0.1");
	KINDS(&r, LANG_T_IDENT, LANG_T_DOT, LANG_T_INT, LANG_T_DOT, LANG_T_INT);
	ck_assert_uint_eq(r.toks[2].ival, 0);
	ck_assert_uint_eq(r.toks[4].ival, 1);
	ck_assert_uint_eq(r.diags.len, 0);
	lex_free(&r);
}
END_TEST

START_TEST(test_number_errors)
{
	lex_run r;
	lex_str(&r, "let x = 18446744073709551616;");
	assert_one_error(&r, 1, 9, "integer literal is too large");
	ck_assert_ptr_nonnull(r.diags.items[0].hint);
	ck_assert_int_eq(r.toks[3].kind, LANG_T_INT);
	lex_free(&r);

	lex_str(&r, "340282366920938463463374607431768211456u128");
	assert_one_error(&r, 1, 1, "integer literal is too large");
	lex_free(&r);

	lex_str(&r, "1u7");
	assert_one_error(&r, 1, 2, "invalid suffix `u7` for number literal");
	lex_free(&r);

	lex_str(&r, "1.5u8");
	assert_one_error(&r, 1, 4, "invalid suffix `u8` for float literal");
	lex_free(&r);

	lex_str(&r, "0b102");
	assert_one_error(&r, 1, 5, "invalid digit for a base 2 literal");
	lex_free(&r);

	lex_str(&r, "0x;");
	assert_one_error(&r, 1, 1, "no valid digits found for number");
	lex_free(&r);
}
END_TEST

START_TEST(test_strings)
{
	lex_run r;
	lex_str(&r, "\"a\\n\\r\\t\\\\\\0\\'\\\"\\x7f\\u{1F600}\\u{e9}z\"");
	ck_assert_uint_eq(r.diags.len, 0);
	KINDS(&r, LANG_T_STR);
	static const char want[] = "a\n\r\t\\\0'\"\x7f"
	                           "\xf0\x9f\x98\x80\xc3\xa9z";
	ck_assert_uint_eq(r.toks[0].text_len, sizeof want - 1);
	ck_assert_mem_eq(r.toks[0].text, want, sizeof want - 1);
	lex_free(&r);

	/* A backslash at the end of a line skips the newline and the next
	 * line's indentation. */
	lex_str(&r, "\"one \\\n      two\" x");
	ck_assert_str_eq(r.toks[0].text, "one two");
	assert_pos(&r.toks[1], 2, 12);
	lex_free(&r);

	/* A newline inside a string is kept; CRLF becomes LF. */
	lex_str(&r, "\"a\r\nb\"");
	ck_assert_str_eq(r.toks[0].text, "a\nb");
	lex_free(&r);

	lex_str(&r, "\"\" \"{n}\"");
	ck_assert_str_eq(r.toks[0].text, "");
	ck_assert_str_eq(r.toks[1].text, "{n}");
	lex_free(&r);
}
END_TEST

START_TEST(test_raw_strings)
{
	lex_run r;
	lex_str(&r, "r\"C:\\path\" r#\"say \"hi\"\"# r##\"a\"#b\"## r#fn");
	ck_assert_uint_eq(r.diags.len, 0);
	KINDS(&r, LANG_T_STR, LANG_T_STR, LANG_T_STR, LANG_T_IDENT);
	ck_assert_str_eq(r.toks[0].text, "C:\\path");
	ck_assert_str_eq(r.toks[1].text, "say \"hi\"");
	ck_assert_str_eq(r.toks[2].text, "a\"#b");
	ck_assert(r.toks[0].flags & LANG_TF_RAW);
	/* A raw identifier is an identifier even when it spells a
	 * keyword. */
	ck_assert_str_eq(r.toks[3].text, "fn");
	lex_free(&r);

	lex_str(&r, "x r#\"never closed\"");
	assert_one_error(&r, 1, 3, "unterminated raw string literal");
	ck_assert(r.fatal);
	lex_free(&r);
}
END_TEST

START_TEST(test_string_errors)
{
	lex_run r;
	lex_str(&r, "\"a\\qb\" x");
	assert_one_error(&r, 1, 3, "unknown character escape: `\\q`");
	/* The string still comes back, and lexing goes on. */
	KINDS(&r, LANG_T_STR, LANG_T_IDENT);
	lex_free(&r);

	lex_str(&r, "\"\\x80\"");
	assert_one_error(&r, 1, 2, "out of range hex escape");
	lex_free(&r);

	lex_str(&r, "\"\\u{110000}\"");
	assert_one_error(&r, 1, 2, "invalid unicode character escape");
	lex_free(&r);

	lex_str(&r, "\"\\u{}\" \"\\u{1234567}\" \"\\u12\"");
	ck_assert_uint_eq(r.diags.nerrors, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(r.diags.items[i].message,
		                 "incorrect unicode escape sequence");
	lex_free(&r);

	/* Unterminated: reported at the opening quote, and the rest of the
	 * file is gone. */
	lex_str(&r, "fn main() {\n    let s = \"abc;\n}\n");
	assert_one_error(&r, 2, 13, "unterminated string literal");
	ck_assert(r.fatal);
	ck_assert_int_eq(r.toks[r.n - 2].kind, LANG_T_ERROR);
	lex_free(&r);
}
END_TEST

START_TEST(test_chars_and_lifetimes)
{
	lex_run r;
	lex_str(&r, "'a' '\\n' '\\'' '\\u{1F600}' 'é' ' '");
	ck_assert_uint_eq(r.diags.len, 0);
	KINDS(&r, LANG_T_CHAR, LANG_T_CHAR, LANG_T_CHAR, LANG_T_CHAR,
	      LANG_T_CHAR, LANG_T_CHAR);
	ck_assert_uint_eq(r.toks[0].ival, 'a');
	ck_assert_uint_eq(r.toks[1].ival, '\n');
	ck_assert_uint_eq(r.toks[2].ival, '\'');
	ck_assert_uint_eq(r.toks[3].ival, 0x1F600);
	ck_assert_uint_eq(r.toks[4].ival, 0xe9);
	ck_assert_uint_eq(r.toks[5].ival, ' ');
	lex_free(&r);

	lex_str(&r, "&'a str 'outer: loop { break 'outer; } 'static");
	KINDS(&r, LANG_T_AMP, LANG_T_LIFETIME, LANG_T_IDENT, LANG_T_LIFETIME,
	      LANG_T_COLON, LANG_T_KW_LOOP, LANG_T_LBRACE, LANG_T_KW_BREAK,
	      LANG_T_LIFETIME, LANG_T_SEMI, LANG_T_RBRACE, LANG_T_LIFETIME);
	ck_assert_str_eq(r.toks[1].text, "a");
	ck_assert_str_eq(r.toks[3].text, "outer");
	ck_assert_str_eq(r.toks[11].text, "static");
	ck_assert_uint_eq(r.diags.len, 0);
	lex_free(&r);

	lex_str(&r, "x 'ab' y");
	assert_one_error(&r, 1, 3,
	                 "character literal may only contain one codepoint");
	KINDS(&r, LANG_T_IDENT, LANG_T_ERROR, LANG_T_IDENT);
	lex_free(&r);

	lex_str(&r, "'' x");
	assert_one_error(&r, 1, 1, "empty character literal");
	lex_free(&r);

	lex_str(&r, "b'a' b\"xy\"");
	KINDS(&r, LANG_T_CHAR, LANG_T_STR);
	ck_assert(r.toks[0].flags & LANG_TF_BYTE);
	ck_assert(r.toks[1].flags & LANG_TF_BYTE);
	ck_assert_str_eq(r.toks[1].text, "xy");
	lex_free(&r);
}
END_TEST

START_TEST(test_comments)
{
	lex_run r;
	lex_str(&r, "a // x\n/// doc\nb /* one /* two */ still */ c //! inner\n"
	            "/** doc */ d");
	KINDS(&r, LANG_T_IDENT, LANG_T_IDENT, LANG_T_IDENT, LANG_T_IDENT);
	assert_pos(&r.toks[1], 3, 1);
	assert_pos(&r.toks[2], 3, 29);
	assert_pos(&r.toks[3], 4, 12);
	ck_assert_uint_eq(r.diags.len, 0);
	lex_free(&r);

	lex_str(&r, "a\n  /* /* */ \n b");
	assert_one_error(&r, 2, 3, "unterminated block comment");
	ck_assert(r.fatal);
	lex_free(&r);
}
END_TEST

START_TEST(test_punctuation)
{
	lex_run r;
	lex_str(&r, "<<= >>= ... ..= .. :: -> => && || += == != <= >= < > "
	            "# ! ? @ $ ~ ; , . : { } [ ] ( ) _");
	KINDS(&r, LANG_T_SHLEQ, LANG_T_SHREQ, LANG_T_DOTDOTDOT, LANG_T_DOTDOTEQ,
	      LANG_T_DOTDOT, LANG_T_PATHSEP, LANG_T_ARROW, LANG_T_FATARROW,
	      LANG_T_AMPAMP, LANG_T_PIPEPIPE, LANG_T_PLUSEQ, LANG_T_EQEQ,
	      LANG_T_NE, LANG_T_LE, LANG_T_GE, LANG_T_LT, LANG_T_GT,
	      LANG_T_POUND, LANG_T_BANG, LANG_T_QUESTION, LANG_T_AT,
	      LANG_T_DOLLAR, LANG_T_TILDE, LANG_T_SEMI, LANG_T_COMMA,
	      LANG_T_DOT, LANG_T_COLON, LANG_T_LBRACE, LANG_T_RBRACE,
	      LANG_T_LBRACKET, LANG_T_RBRACKET, LANG_T_LPAREN, LANG_T_RPAREN,
	      LANG_T_UNDERSCORE);
	lex_free(&r);
}
END_TEST

START_TEST(test_keywords_and_identifiers)
{
	lex_run r;
	lex_str(&r, "async fn await move match self Self _x x1 été");
	KINDS(&r, LANG_T_KW_ASYNC, LANG_T_KW_FN, LANG_T_KW_AWAIT,
	      LANG_T_KW_MOVE, LANG_T_KW_MATCH, LANG_T_IDENT, LANG_T_IDENT,
	      LANG_T_IDENT, LANG_T_IDENT, LANG_T_IDENT);
	ck_assert_str_eq(r.toks[5].text, "self");
	ck_assert_str_eq(r.toks[7].text, "_x");
	ck_assert_str_eq(r.toks[9].text, "été");
	ck_assert_uint_eq(r.diags.len, 0);
	ck_assert_str_eq(lang_tok_kind_name(LANG_T_KW_FN), "`fn`");
	ck_assert_str_eq(lang_tok_kind_name(LANG_T_IDENT), "identifier");
	ck_assert_str_eq(lang_tok_kind_name((lang_tok_kind)9999), "?");
	lex_free(&r);
}
END_TEST

START_TEST(test_positions)
{
	/* The same program with LF and with CRLF gives the same positions. */
	static const char lf[] = "fn main() {\n\tlet x = \"é\";\n    x\n}\n";
	static const char crlf[] =
	        "fn main() {\r\n\tlet x = \"é\";\r\n    x\r\n}\r\n";
	lex_run a, b;
	lex_str(&a, lf);
	lex_str(&b, crlf);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_int_eq(a.toks[i].kind, b.toks[i].kind);
		assert_pos(&b.toks[i], a.toks[i].pos.line, a.toks[i].pos.col);
	}
	/* A tab is one column; `é` is one column though two bytes. */
	assert_pos(&a.toks[5], 2, 2);  /* let */
	assert_pos(&a.toks[8], 2, 10); /* "é" */
	assert_pos(&a.toks[9], 2, 13); /* ; */
	assert_pos(&a.toks[10], 3, 5); /* x */
	lex_free(&a);
	lex_free(&b);

	/* A byte order mark takes no column. */
	lex_str(&a, "\xef\xbb\xbf"
	            "x");
	assert_pos(&a.toks[0], 1, 1);
	ck_assert_uint_eq(a.diags.len, 0);
	lex_free(&a);

	/* A shebang line is skipped, an inner attribute is not. */
	lex_str(&a, "#!/usr/bin/env run\nx");
	KINDS(&a, LANG_T_IDENT);
	assert_pos(&a.toks[0], 2, 1);
	lex_free(&a);
	lex_str(&a, "#![allow(unused)]");
	ck_assert_int_eq(a.toks[0].kind, LANG_T_POUND);
	lex_free(&a);
}
END_TEST

START_TEST(test_hostile_bytes)
{
	lex_run r;
	static const char nul[] = "let x = 1;\n  \0 more";
	lex_all(&r, nul, sizeof nul - 1);
	assert_one_error(&r, 2, 3, "NUL byte in source");
	ck_assert(r.fatal);
	lex_free(&r);

	lex_str(&r, "let s = \"ok\";\nlet \xc3\x28 = 1;");
	assert_one_error(&r, 2, 5, "invalid UTF-8 in source");
	lex_free(&r);

	/* Inside a string, the bad byte is the error, not the string that
	 * seems unterminated because lexing stops there. */
	lex_str(&r, "\"ab\xff\"");
	assert_one_error(&r, 1, 4, "invalid UTF-8 in source");
	lex_free(&r);

	/* Overlong encodings and surrogates are invalid too. */
	lex_str(&r, "\xc0\xaf");
	assert_one_error(&r, 1, 1, "invalid UTF-8 in source");
	lex_free(&r);
	lex_str(&r, "x \xed\xa0\x80");
	assert_one_error(&r, 1, 3, "invalid UTF-8 in source");
	lex_free(&r);

	/* Characters pasted from word processors get a hint. */
	lex_str(&r, "println!(\xe2\x80\x9chi\xe2\x80\x9d);");
	ck_assert_uint_ge(r.diags.nerrors, 1);
	ck_assert_str_eq(r.diags.items[0].message,
	                 "unknown start of token: `\xe2\x80\x9c`");
	ck_assert_ptr_nonnull(r.diags.items[0].hint);
	ck_assert_uint_eq(r.diags.items[0].pos.col, 10);
	lex_free(&r);

	lex_str(&r, "a ` b \\ c");
	ck_assert_uint_eq(r.diags.nerrors, 2);
	KINDS(&r, LANG_T_IDENT, LANG_T_ERROR, LANG_T_IDENT, LANG_T_ERROR,
	      LANG_T_IDENT);
	lex_free(&r);
}
END_TEST

START_TEST(test_hostile_random)
{
	/* Random bytes and random mixes of Rust's characters must end in
	 * EOF without crashing; lex_all asserts the token count is bounded. */
	static const char alphabet[] = "abfnrux019_'\"\\#r{}()[]<>=.:;,/*-+!&|"
	                               " \n\r\t\xc3\xa9\xe2\x80\x9c\x00\xff";
	unsigned seed = 12345;
	char buf[512];
	for (int iter = 0; iter < 2000; iter++) {
		size_t len = (size_t)(iter % 500) + 1;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned v = (seed >> 16) & 0x7fff;
			buf[i] = iter % 4 == 0
			                 ? (char)(v & 0xff)
			                 : alphabet[v % (sizeof alphabet - 1)];
		}
		lex_run r;
		lex_all(&r, buf, len);
		lex_free(&r);
	}
}
END_TEST

START_TEST(test_long_input)
{
	/* A megabyte-long identifier, string and comment on one line. */
	size_t n = 1 << 20;
	char *src = malloc(3 * n + 16);
	size_t k = 0;
	memset(src + k, 'x', n);
	k += n;
	src[k++] = ' ';
	src[k++] = '"';
	memset(src + k, 's', n);
	k += n;
	src[k++] = '"';
	src[k++] = ' ';
	src[k++] = '/';
	src[k++] = '/';
	memset(src + k, 'c', n);
	k += n;
	src[k++] = '\n';
	src[k++] = 'y';
	lex_run r;
	lex_all(&r, src, k);
	KINDS(&r, LANG_T_IDENT, LANG_T_STR, LANG_T_IDENT);
	ck_assert_uint_eq(r.toks[0].text_len, n);
	ck_assert_uint_eq(r.toks[1].text_len, n);
	assert_pos(&r.toks[1], 1, (uint32_t)n + 2);
	assert_pos(&r.toks[2], 2, 1);
	ck_assert_uint_eq(r.diags.len, 0);
	lex_free(&r);
	free(src);
}
END_TEST

Suite *
suite_lang_lex(void)
{
	Suite *s = suite_create("lang_lex");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_floats);
	tcase_add_test(tc, test_numbers_next_to_dots);
	tcase_add_test(tc, test_number_errors);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_raw_strings);
	tcase_add_test(tc, test_string_errors);
	tcase_add_test(tc, test_chars_and_lifetimes);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_punctuation);
	tcase_add_test(tc, test_keywords_and_identifiers);
	tcase_add_test(tc, test_positions);
	suite_add_tcase(s, tc);
	TCase *th = tcase_create("hostile");
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_hostile_bytes);
	tcase_add_test(th, test_hostile_random);
	tcase_add_test(th, test_long_input);
	suite_add_tcase(s, th);
	return s;
}
