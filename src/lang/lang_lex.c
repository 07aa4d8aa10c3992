#include "config.h"

#include "lang/lang_lex.h"
#include "lang/lang_utf8.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

struct lang_lexer {
	const char *src;
	size_t len;  /* how far lexing may go: the whole source, or up to the
	              * first byte that makes the file unreadable */
	size_t bad;  /* offset of that byte, or SIZE_MAX */
	int bad_nul; /* the bad byte is a NUL (else invalid UTF-8) */
	size_t off;
	lang_pos pos;
	lang_diags *diags;
	lang_tok_kind prev; /* the previous token, for `t.0.1` */
	int fatal;
	int oom;
	int ended;
	char *buf; /* text of the current token */
	size_t buf_len;
	size_t buf_cap;
};

static const char *const lang_lex_kind_names[] = {
#define LANG_LEX_NAME_(k, s) s,
        LANG_TOKENS(LANG_LEX_NAME_)
#undef LANG_LEX_NAME_
};

static const struct {
	const char *word;
	lang_tok_kind kind;
} lang_lex_keywords[] = {
        {"as", LANG_T_KW_AS},         {"async", LANG_T_KW_ASYNC},
        {"await", LANG_T_KW_AWAIT},   {"break", LANG_T_KW_BREAK},
        {"const", LANG_T_KW_CONST},   {"continue", LANG_T_KW_CONTINUE},
        {"dyn", LANG_T_KW_DYN},       {"else", LANG_T_KW_ELSE},
        {"enum", LANG_T_KW_ENUM},     {"extern", LANG_T_KW_EXTERN},
        {"false", LANG_T_KW_FALSE},   {"fn", LANG_T_KW_FN},
        {"for", LANG_T_KW_FOR},       {"if", LANG_T_KW_IF},
        {"impl", LANG_T_KW_IMPL},     {"in", LANG_T_KW_IN},
        {"let", LANG_T_KW_LET},       {"loop", LANG_T_KW_LOOP},
        {"match", LANG_T_KW_MATCH},   {"mod", LANG_T_KW_MOD},
        {"move", LANG_T_KW_MOVE},     {"mut", LANG_T_KW_MUT},
        {"pub", LANG_T_KW_PUB},       {"ref", LANG_T_KW_REF},
        {"return", LANG_T_KW_RETURN}, {"static", LANG_T_KW_STATIC},
        {"struct", LANG_T_KW_STRUCT}, {"trait", LANG_T_KW_TRAIT},
        {"true", LANG_T_KW_TRUE},     {"type", LANG_T_KW_TYPE},
        {"unsafe", LANG_T_KW_UNSAFE}, {"use", LANG_T_KW_USE},
        {"where", LANG_T_KW_WHERE},   {"while", LANG_T_KW_WHILE},
        {"yield", LANG_T_KW_YIELD},
};

/* Punctuation, longest first so that the first match is the right one. */
static const struct {
	const char *text;
	lang_tok_kind kind;
} lang_lex_puncts[] = {
        {"<<=", LANG_T_SHLEQ},     {">>=", LANG_T_SHREQ},
        {"...", LANG_T_DOTDOTDOT}, {"..=", LANG_T_DOTDOTEQ},
        {"&&", LANG_T_AMPAMP},     {"||", LANG_T_PIPEPIPE},
        {"<<", LANG_T_SHL},        {">>", LANG_T_SHR},
        {"+=", LANG_T_PLUSEQ},     {"-=", LANG_T_MINUSEQ},
        {"*=", LANG_T_STAREQ},     {"/=", LANG_T_SLASHEQ},
        {"%=", LANG_T_PERCENTEQ},  {"^=", LANG_T_CARETEQ},
        {"&=", LANG_T_AMPEQ},      {"|=", LANG_T_PIPEEQ},
        {"==", LANG_T_EQEQ},       {"!=", LANG_T_NE},
        {">=", LANG_T_GE},         {"<=", LANG_T_LE},
        {"..", LANG_T_DOTDOT},     {"::", LANG_T_PATHSEP},
        {"->", LANG_T_ARROW},      {"=>", LANG_T_FATARROW},
        {"+", LANG_T_PLUS},        {"-", LANG_T_MINUS},
        {"*", LANG_T_STAR},        {"/", LANG_T_SLASH},
        {"%", LANG_T_PERCENT},     {"^", LANG_T_CARET},
        {"!", LANG_T_BANG},        {"&", LANG_T_AMP},
        {"|", LANG_T_PIPE},        {"=", LANG_T_EQ},
        {">", LANG_T_GT},          {"<", LANG_T_LT},
        {"@", LANG_T_AT},          {".", LANG_T_DOT},
        {",", LANG_T_COMMA},       {";", LANG_T_SEMI},
        {":", LANG_T_COLON},       {"#", LANG_T_POUND},
        {"$", LANG_T_DOLLAR},      {"?", LANG_T_QUESTION},
        {"~", LANG_T_TILDE},       {"{", LANG_T_LBRACE},
        {"}", LANG_T_RBRACE},      {"[", LANG_T_LBRACKET},
        {"]", LANG_T_RBRACKET},    {"(", LANG_T_LPAREN},
        {")", LANG_T_RPAREN},
};

static const char *const lang_lex_int_suffixes[] = {
        "i8", "i16", "i32", "i64", "i128", "isize",
        "u8", "u16", "u32", "u64", "u128", "usize",
};

/* Characters that look like ASCII punctuation but are not, which learners
 * paste from word processors and web pages. */
static const struct {
	uint32_t cp;
	const char *hint;
} lang_lex_confusables[] = {
        {0x201c, "this is a typographic quote `\xe2\x80\x9c`; use `\"`"},
        {0x201d, "this is a typographic quote `\xe2\x80\x9d`; use `\"`"},
        {0x2018, "this is a typographic quote `\xe2\x80\x98`; use `'`"},
        {0x2019, "this is a typographic quote `\xe2\x80\x99`; use `'`"},
        {0x2013, "this is an en dash; use `-`"},
        {0x2014, "this is an em dash; use `-`"},
        {0x2212, "this is a minus sign; use `-`"},
        {0x00d7, "this is a multiplication sign; use `*`"},
        {0x00a0, "this is a non-breaking space; use an ordinary space"},
        {0x200b, "this is a zero-width space; delete it"},
        {0xff1b, "this is a full-width semicolon; use `;`"},
};

const char *
lang_tok_kind_name(lang_tok_kind kind)
{
	if ((unsigned)kind >= LANG_T_COUNT_)
		return "?";
	return lang_lex_kind_names[kind];
}


/* Finds the first byte that makes the file unreadable, so the lexer can stop
 * there with one clear error instead of one per byte of a binary file. */
static void
lang_lex_scan(lang_lexer *lx)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t i = 0;
	lx->bad = SIZE_MAX;
	while (i < lx->len) {
		if (s[i] == 0) {
			lx->bad = i;
			lx->bad_nul = 1;
			break;
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = lang_utf8_decode(s + i, lx->len - i, &cp);
		if (n == 0) {
			lx->bad = i;
			break;
		}
		i += n;
	}
	if (lx->bad != SIZE_MAX)
		lx->len = lx->bad;
}

lang_lexer *
lang_lex_new(const char *src, size_t len, lang_diags *diags)
{
	lang_lexer *lx = calloc(1, sizeof *lx);
	if (!lx)
		return NULL;
	lx->src = src ? src : "";
	lx->len = src ? len : 0;
	lx->diags = diags;
	lx->pos.line = 1;
	lx->pos.col = 1;
	lx->prev = LANG_T_EOF;
	lang_lex_scan(lx);
	if (lx->len >= 3 && memcmp(lx->src, "\xef\xbb\xbf", 3) == 0)
		lx->off = 3;
	/* A `#!` first line that is not an inner attribute `#![` is a
	 * shebang line, which Rust ignores. */
	if (lx->len - lx->off >= 2 && lx->src[lx->off] == '#' &&
	    lx->src[lx->off + 1] == '!') {
		size_t k = lx->off + 2;
		while (k < lx->len && (lx->src[k] == ' ' || lx->src[k] == '\t'))
			k++;
		if (k >= lx->len || lx->src[k] != '[') {
			/* Nothing else is on that line, so its columns do
			 * not matter. */
			while (lx->off < lx->len && lx->src[lx->off] != '\n')
				lx->off++;
		}
	}
	return lx;
}

void
lang_lex_free(lang_lexer *lx)
{
	if (!lx)
		return;
	free(lx->buf);
	free(lx);
}

int
lang_lex_fatal(const lang_lexer *lx)
{
	return lx->fatal;
}

int
lang_lex_oom(const lang_lexer *lx)
{
	return lx->oom;
}

static int
lang_lex_peekc(const lang_lexer *lx, size_t k)
{
	if (lx->off + k >= lx->len)
		return -1;
	return (unsigned char)lx->src[lx->off + k];
}

/* Advances one byte, keeping the line and the character column. */
static void
lang_lex_adv(lang_lexer *lx)
{
	if (lx->off >= lx->len)
		return;
	unsigned char c = (unsigned char)lx->src[lx->off++];
	if (c == '\n') {
		if (lx->pos.line < UINT32_MAX)
			lx->pos.line++;
		lx->pos.col = 1;
	} else if ((c & 0xc0) != 0x80 && lx->pos.col < UINT32_MAX) {
		lx->pos.col++;
	}
}

static void
lang_lex_advn(lang_lexer *lx, size_t n)
{
	while (n--)
		lang_lex_adv(lx);
}

static void
lang_lex_error(lang_lexer *lx, lang_pos pos, const char *hint, const char *msg)
{
	lang_diags_add(lx->diags, LANG_ERROR, pos, hint, "%s", msg);
}

/* Reports the byte that cut the source short (NUL or invalid UTF-8), if
 * lexing has reached it; returns whether it did. The lexer stops there, so a
 * string or comment running into it looks unterminated, but the bad byte is
 * the real error. */
static int
lang_lex_bad_byte(lang_lexer *lx)
{
	if (lx->bad == SIZE_MAX || lx->off < lx->len || lx->fatal)
		return 0;
	if (lx->bad_nul)
		lang_lex_error(lx, lx->pos, "is this a binary file?",
		               "NUL byte in source");
	else
		lang_lex_error(lx, lx->pos, "save the file as UTF-8",
		               "invalid UTF-8 in source");
	lx->fatal = 1;
	return 1;
}

/* An error at the end of the input for a construct opened at `open`. */
static void
lang_lex_eof_error(lang_lexer *lx, lang_pos open, const char *hint,
                   const char *msg)
{
	if (!lang_lex_bad_byte(lx))
		lang_lex_error(lx, open, hint, msg);
}

static void
lang_lex_buf_reset(lang_lexer *lx)
{
	lx->buf_len = 0;
	if (lx->buf)
		lx->buf[0] = '\0';
}

static void
lang_lex_buf_add(lang_lexer *lx, const char *s, size_t n)
{
	if (lx->oom)
		return;
	if (lx->buf_cap - lx->buf_len <= n) {
		size_t cap = lx->buf_cap ? lx->buf_cap : 64;
		while (cap - lx->buf_len <= n) {
			if (cap > SIZE_MAX / 2) {
				lx->oom = 1;
				return;
			}
			cap *= 2;
		}
		char *p = realloc(lx->buf, cap);
		if (!p) {
			lx->oom = 1;
			return;
		}
		lx->buf = p;
		lx->buf_cap = cap;
	}
	memcpy(lx->buf + lx->buf_len, s, n);
	lx->buf_len += n;
	lx->buf[lx->buf_len] = '\0';
}

static void
lang_lex_buf_putc(lang_lexer *lx, char c)
{
	lang_lex_buf_add(lx, &c, 1);
}

static void
lang_lex_buf_put_cp(lang_lexer *lx, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	lang_lex_buf_add(lx, b, n);
}

static int
lang_lex_is_ident_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

static int
lang_lex_is_ident_char(int c)
{
	return lang_lex_is_ident_start(c) || (c >= '0' && c <= '9');
}

static int
lang_lex_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code point at the current offset (valid UTF-8 is guaranteed up to
 * lx->len) and its length. */
static size_t
lang_lex_cp(const lang_lexer *lx, uint32_t *cp)
{
	size_t n = lang_utf8_decode((const unsigned char *)lx->src + lx->off,
	                             lx->len - lx->off, cp);
	return n ? n : 1;
}

/* Skips whitespace and comments. Returns 0 normally, or -1 after reporting
 * an unterminated block comment, which ends the file. */
static int
lang_lex_skip_space(lang_lexer *lx)
{
	for (;;) {
		int c = lang_lex_peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\v' || c == '\f') {
			lang_lex_adv(lx);
			continue;
		}
		if (c == '/' && lang_lex_peekc(lx, 1) == '/') {
			/* memchr keeps megabyte comment lines fast; the column
			 * does not matter since a newline follows. */
			const char *nl = memchr(lx->src + lx->off, '\n',
			                        lx->len - lx->off);
			size_t stop = nl ? (size_t)(nl - lx->src) : lx->len;
			while (lx->off < stop)
				lang_lex_adv(lx);
			continue;
		}
		if (c == '/' && lang_lex_peekc(lx, 1) == '*') {
			lang_pos open = lx->pos;
			size_t depth = 0;
			for (;;) {
				int d = lang_lex_peekc(lx, 0);
				if (d < 0) {
					lang_lex_eof_error(
					        lx, open,
					        "block comments nest in "
					        "Rust: every `/*` needs "
					        "its own `*/`",
					        "unterminated block "
					        "comment");
					return -1;
				}
				if (d == '/' && lang_lex_peekc(lx, 1) == '*') {
					lang_lex_advn(lx, 2);
					depth++;
				} else if (d == '*' &&
				           lang_lex_peekc(lx, 1) == '/') {
					lang_lex_advn(lx, 2);
					if (--depth == 0)
						break;
				} else {
					lang_lex_adv(lx);
				}
			}
			continue;
		}
		return 0;
	}
}

static int
lang_lex_is_int_suffix(const char *s, size_t n)
{
	for (size_t i = 0;
	     i < sizeof lang_lex_int_suffixes / sizeof lang_lex_int_suffixes[0];
	     i++) {
		if (strlen(lang_lex_int_suffixes[i]) == n &&
		    memcmp(lang_lex_int_suffixes[i], s, n) == 0)
			return 1;
	}
	return 0;
}

/* Returns a static string equal to the suffix, or NULL if it is none of
 * the known ones. */
static const char *
lang_lex_known_suffix(const char *s, size_t n)
{
	static const char *const all[] = {
	        "i8",  "i16", "i32", "i64",  "i128",  "isize", "u8",
	        "u16", "u32", "u64", "u128", "usize", "f32",   "f64",
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strlen(all[i]) == n && memcmp(all[i], s, n) == 0)
			return all[i];
	}
	return NULL;
}

/* Converts decimal float text (digits, '.', exponent; no '_') with strtod.
 * strtod follows the C locale's decimal point, which a front end may have
 * changed with setlocale, so the point is swapped for the locale's. */
static double
lang_lex_strtod(const char *text, size_t n)
{
	const char *dp = localeconv()->decimal_point;
	size_t dpl = dp && dp[0] ? strlen(dp) : 1;
	char small[128];
	size_t need = n * (dpl + 1) + 1;
	char *b = need <= sizeof small ? small : malloc(need);
	if (!b)
		return 0.0;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '.' && dp && dp[0]) {
			memcpy(b + j, dp, dpl);
			j += dpl;
		} else {
			b[j++] = text[i];
		}
	}
	b[j] = '\0';
	double v = strtod(b, NULL);
	if (b != small)
		free(b);
	return v;
}

static void
lang_lex_number(lang_lexer *lx, lang_token *tok)
{
	const char *s = lx->src;
	size_t start = lx->off;
	int base = 10;
	int is_float = 0;
	int after_dot = lx->prev == LANG_T_DOT;
	tok->kind = LANG_T_INT;
	if (s[lx->off] == '0' && lx->off + 1 < lx->len) {
		char p = s[lx->off + 1];
		if (p == 'x')
			base = 16;
		else if (p == 'o')
			base = 8;
		else if (p == 'b')
			base = 2;
		if (base != 10)
			lang_lex_advn(lx, 2);
	}
	uint64_t v = 0;
	int overflow = 0, bad_digit = 0, ndigits = 0;
	lang_pos bad_pos = lx->pos;
	for (;;) {
		int c = lang_lex_peekc(lx, 0);
		int d;
		if (c == '_') {
			lang_lex_adv(lx);
			continue;
		}
		if (base == 16)
			d = lang_lex_hexval(c);
		else
			d = (c >= '0' && c <= '9') ? c - '0' : -1;
		if (d < 0)
			break;
		if (d >= base && !bad_digit) {
			bad_digit = 1;
			bad_pos = lx->pos;
		}
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		v = v * (uint64_t)base + (uint64_t)d;
		ndigits++;
		lang_lex_adv(lx);
	}
	if (base == 10 && !after_dot) {
		int c1 = lang_lex_peekc(lx, 1);
		if (lang_lex_peekc(lx, 0) == '.' && c1 != '.' &&
		    !lang_lex_is_ident_start(c1)) {
			/* `1.5` and `1.`, but not `1..2` or `1.max(2)`. */
			is_float = 1;
			lang_lex_adv(lx);
			while ((lang_lex_peekc(lx, 0) >= '0' &&
			        lang_lex_peekc(lx, 0) <= '9') ||
			       lang_lex_peekc(lx, 0) == '_')
				lang_lex_adv(lx);
		}
		int e = lang_lex_peekc(lx, 0);
		if (e == 'e' || e == 'E') {
			size_t k = 1;
			int sg = lang_lex_peekc(lx, k);
			if (sg == '+' || sg == '-')
				k++;
			while (lang_lex_peekc(lx, k) == '_')
				k++;
			int d = lang_lex_peekc(lx, k);
			if (d >= '0' && d <= '9') {
				is_float = 1;
				lang_lex_advn(lx, k);
				while ((lang_lex_peekc(lx, 0) >= '0' &&
				        lang_lex_peekc(lx, 0) <= '9') ||
				       lang_lex_peekc(lx, 0) == '_')
					lang_lex_adv(lx);
			}
		}
	}
	size_t num_end = lx->off;
	lang_pos suffix_pos = lx->pos;
	size_t suffix_start = lx->off;
	while (lang_lex_is_ident_char(lang_lex_peekc(lx, 0)))
		lang_lex_adv(lx);
	const char *suf = s + suffix_start;
	size_t sufn = lx->off - suffix_start;
	tok->suffix = "";
	if (sufn) {
		const char *known = lang_lex_known_suffix(suf, sufn);
		int ok = known &&
		         (!is_float || !lang_lex_is_int_suffix(suf, sufn));
		if (known && known[0] == 'f' && base != 10)
			ok = 0;
		if (!ok) {
			lang_diags_add(lx->diags, LANG_ERROR, suffix_pos,
			               is_float
			                       ? "valid suffixes are `f32` and "
			                         "`f64`"
			                       : "valid suffixes are `i8` to "
			                         "`i128`, `u8` to `u128`, "
			                         "`isize` and `usize`",
			               "invalid suffix `%.*s` for %s literal",
			               sufn > 40 ? 40 : (int)sufn, suf,
			               is_float ? "float" : "number");
		} else {
			tok->suffix = known;
			if (known[0] == 'f')
				is_float = 1;
		}
	}
	if (ndigits == 0 && !is_float) {
		lang_lex_error(lx, tok->pos, NULL,
		               "no valid digits found for number");
	} else if (bad_digit) {
		lang_diags_add(lx->diags, LANG_ERROR, bad_pos, NULL,
		               "invalid digit for a base %d literal", base);
	}
	if (is_float) {
		tok->kind = LANG_T_FLOAT;
		/* Copy without '_' separators for strtod. */
		lang_lex_buf_reset(lx);
		for (size_t i = start; i < num_end; i++) {
			if (s[i] != '_')
				lang_lex_buf_putc(lx, s[i]);
		}
		tok->fval =
		        lx->buf ? lang_lex_strtod(lx->buf, lx->buf_len) : 0.0;
		lang_lex_buf_reset(lx);
	} else {
		if (overflow) {
			lang_lex_error(
			        lx, tok->pos,
			        "integers in the simulator are at most 64 "
			        "bits wide; u64::MAX is "
			        "18446744073709551615",
			        "integer literal is too large");
			v = 0;
		}
		tok->ival = v;
	}
}

/* Reads one escape after a backslash inside a string or char literal and
 * appends its bytes. Returns the code point, or -1 after an error. Line
 * continuations (backslash-newline) are handled by the string lexer. */
static long
lang_lex_escape(lang_lexer *lx, int in_byte)
{
	lang_pos pos = lx->pos;
	lang_lex_adv(lx); /* the backslash */
	int c = lang_lex_peekc(lx, 0);
	if (c < 0)
		return -1;
	long cp;
	switch (c) {
	case 'n':
		cp = '\n';
		break;
	case 'r':
		cp = '\r';
		break;
	case 't':
		cp = '\t';
		break;
	case '\\':
		cp = '\\';
		break;
	case '0':
		cp = 0;
		break;
	case '\'':
		cp = '\'';
		break;
	case '"':
		cp = '"';
		break;
	case 'x': {
		int h1 = lang_lex_hexval(lang_lex_peekc(lx, 1));
		int h2 = lang_lex_hexval(lang_lex_peekc(lx, 2));
		if (h1 < 0 || h2 < 0) {
			lang_lex_adv(lx);
			lang_lex_error(lx, pos,
			               "write it as `\\x` and two hex "
			               "digits, e.g. `\\x7f`",
			               "invalid `\\x` escape");
			return -1;
		}
		lang_lex_advn(lx, 3);
		cp = h1 * 16 + h2;
		if (cp > 0x7f && !in_byte) {
			lang_lex_error(lx, pos,
			               "use `\\u{..}` for characters "
			               "past `\\x7f`",
			               "out of range hex escape");
			return -1;
		}
		if (in_byte)
			lang_lex_buf_putc(lx, (char)cp);
		else
			lang_lex_buf_put_cp(lx, (uint32_t)cp);
		return cp;
	}
	case 'u': {
		lang_lex_adv(lx);
		if (lang_lex_peekc(lx, 0) != '{') {
			lang_lex_error(lx, pos, "write it as `\\u{1F600}`",
			               "incorrect unicode escape sequence");
			return -1;
		}
		lang_lex_adv(lx);
		uint32_t v = 0;
		int n = 0, bad = 0;
		for (;;) {
			int d = lang_lex_peekc(lx, 0);
			if (d == '}' || d < 0 || d == '"' || d == '\'' ||
			    d == '\n')
				break;
			lang_lex_adv(lx);
			if (d == '_')
				continue;
			int h = lang_lex_hexval(d);
			if (h < 0 || ++n > 6) {
				bad = 1;
				continue;
			}
			v = v * 16 + (uint32_t)h;
		}
		if (lang_lex_peekc(lx, 0) != '}' || n == 0 || bad) {
			lang_lex_error(lx, pos,
			               "write it as `\\u{1F600}`: one "
			               "to six hex digits in braces",
			               "incorrect unicode escape sequence");
			if (lang_lex_peekc(lx, 0) == '}')
				lang_lex_adv(lx);
			return -1;
		}
		lang_lex_adv(lx);
		if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
			lang_lex_error(lx, pos, NULL,
			               "invalid unicode character escape");
			return -1;
		}
		if (in_byte) {
			lang_lex_error(lx, pos, NULL,
			               "unicode escape in byte literal");
			return -1;
		}
		lang_lex_buf_put_cp(lx, v);
		return (long)v;
	}
	default: {
		uint32_t bad;
		size_t n = lang_lex_cp(lx, &bad);
		lang_diags_add(
		        lx->diags, LANG_ERROR, pos,
		        "known escapes are \\n \\r \\t \\\\ \\0 \\' \\\" "
		        "\\x7f and \\u{..}",
		        "unknown character escape: `\\%.*s`", (int)n,
		        lx->src + lx->off);
		lang_lex_advn(lx, n);
		return -1;
	}
	}
	lang_lex_adv(lx);
	lang_lex_buf_putc(lx, (char)cp);
	return cp;
}

/* A quoted string; the opening quote is at the current offset. Returns 0, or
 * -1 when it is unterminated (reported; the rest of the file is gone). */
static int
lang_lex_string(lang_lexer *lx, lang_token *tok, int in_byte)
{
	lang_lex_adv(lx); /* the quote */
	lang_lex_buf_reset(lx);
	for (;;) {
		int c = lang_lex_peekc(lx, 0);
		if (c < 0) {
			lang_lex_eof_error(lx, tok->pos, "add the closing `\"`",
			                   "unterminated string literal");
			return -1;
		}
		if (c == '"') {
			lang_lex_adv(lx);
			break;
		}
		if (c == '\\') {
			int n = lang_lex_peekc(lx, 1);
			if (n == '\n' ||
			    (n == '\r' && lang_lex_peekc(lx, 2) == '\n')) {
				/* A line continuation skips the newline and
				 * the next line's leading whitespace. */
				lang_lex_adv(lx);
				while ((c = lang_lex_peekc(lx, 0)) == ' ' ||
				       c == '\t' || c == '\n' || c == '\r')
					lang_lex_adv(lx);
				continue;
			}
			lang_lex_escape(lx, in_byte);
			continue;
		}
		if (c == '\r' && lang_lex_peekc(lx, 1) == '\n') {
			/* CRLF files give the same strings as LF files. */
			lang_lex_adv(lx);
			continue;
		}
		/* Copy a run of ordinary bytes at once. */
		size_t run = lx->off;
		while (run < lx->len && lx->src[run] != '"' &&
		       lx->src[run] != '\\' && lx->src[run] != '\r')
			run++;
		if (run == lx->off)
			run++;
		lang_lex_buf_add(lx, lx->src + lx->off, run - lx->off);
		lang_lex_advn(lx, run - lx->off);
	}
	tok->kind = LANG_T_STR;
	return 0;
}

/* r"..." or r#"..."#; the offset is at the `r`. */
static int
lang_lex_raw_string(lang_lexer *lx, lang_token *tok)
{
	lang_lex_adv(lx); /* r */
	size_t hashes = 0;
	while (lang_lex_peekc(lx, 0) == '#') {
		hashes++;
		lang_lex_adv(lx);
	}
	if (lang_lex_peekc(lx, 0) != '"') {
		lang_lex_error(lx, tok->pos,
		               "a raw string is written r\"...\" or r#\"...\"#",
		               "expected `\"` in raw string");
		return -1;
	}
	lang_lex_adv(lx);
	lang_lex_buf_reset(lx);
	for (;;) {
		int c = lang_lex_peekc(lx, 0);
		if (c < 0) {
			lang_lex_eof_error(lx, tok->pos, NULL,
			                   "unterminated raw string literal");
			return -1;
		}
		if (c == '"') {
			size_t k = 0;
			while (k < hashes && lang_lex_peekc(lx, 1 + k) == '#')
				k++;
			if (k == hashes) {
				lang_lex_advn(lx, 1 + hashes);
				break;
			}
		}
		if (c == '\r' && lang_lex_peekc(lx, 1) == '\n') {
			lang_lex_adv(lx);
			continue;
		}
		lang_lex_buf_putc(lx, (char)c);
		lang_lex_adv(lx);
	}
	tok->kind = LANG_T_STR;
	tok->flags |= LANG_TF_RAW;
	return 0;
}

/* A character literal or a lifetime; the offset is at the quote. */
static void
lang_lex_quote(lang_lexer *lx, lang_token *tok, int in_byte)
{
	lang_lex_adv(lx); /* the quote */
	int c = lang_lex_peekc(lx, 0);
	lang_lex_buf_reset(lx);
	if (c == '\\') {
		long cp = lang_lex_escape(lx, in_byte);
		if (lang_lex_peekc(lx, 0) != '\'') {
			lang_lex_error(lx, tok->pos, NULL,
			               "unterminated character literal");
			tok->kind = LANG_T_ERROR;
			return;
		}
		lang_lex_adv(lx);
		tok->kind = cp < 0 ? LANG_T_ERROR : LANG_T_CHAR;
		tok->ival = cp < 0 ? 0 : (uint64_t)cp;
		return;
	}
	if (c < 0 || c == '\n' || c == '\'') {
		if (c == '\'') {
			lang_lex_adv(lx);
			lang_lex_error(lx, tok->pos, NULL,
			               "empty character literal");
		} else {
			lang_lex_error(lx, tok->pos, NULL,
			               "unterminated character literal");
		}
		tok->kind = LANG_T_ERROR;
		return;
	}
	uint32_t cp;
	size_t n = lang_lex_cp(lx, &cp);
	if (lang_lex_peekc(lx, (size_t)n) == '\'') {
		lang_lex_advn(lx, n + 1);
		tok->kind = LANG_T_CHAR;
		tok->ival = cp;
		if (in_byte && cp > 0x7f) {
			lang_lex_error(lx, tok->pos, NULL,
			               "non-ASCII character in byte literal");
			tok->kind = LANG_T_ERROR;
		}
		return;
	}
	if (!in_byte && lang_lex_is_ident_start(c)) {
		size_t start = lx->off;
		while (lang_lex_is_ident_char(lang_lex_peekc(lx, 0)))
			lang_lex_adv(lx);
		if (lang_lex_peekc(lx, 0) == '\'') {
			lang_lex_adv(lx);
			lang_lex_error(
			        lx, tok->pos,
			        "use double quotes for a string: \"...\"",
			        "character literal may only contain one "
			        "codepoint");
			tok->kind = LANG_T_ERROR;
			return;
		}
		tok->kind = LANG_T_LIFETIME;
		lang_lex_buf_add(lx, lx->src + start, lx->off - start);
		return;
	}
	/* Something like '12' or 'é x: skip to a closing quote on this line
	 * if there is one, so that the error is reported once. */
	size_t k = lx->off;
	while (k < lx->len && lx->src[k] != '\'' && lx->src[k] != '\n')
		k++;
	if (k < lx->len && lx->src[k] == '\'') {
		lang_lex_advn(lx, k + 1 - lx->off);
		lang_lex_error(lx, tok->pos,
		               "use double quotes for a string: \"...\"",
		               "character literal may only contain one "
		               "codepoint");
	} else {
		lang_lex_advn(lx, n);
		lang_lex_error(lx, tok->pos, NULL,
		               "unterminated character literal");
	}
	tok->kind = LANG_T_ERROR;
}

static int lang_lex_unicode_ident_start(const lang_lexer *lx);

static void
lang_lex_ident(lang_lexer *lx, lang_token *tok)
{
	size_t start = lx->off;
	for (;;) {
		int c = lang_lex_peekc(lx, 0);
		if (c >= 0x80 && lang_lex_unicode_ident_start(lx)) {
			uint32_t cp;
			lang_lex_advn(lx, lang_lex_cp(lx, &cp));
		} else if (c >= 0 && c < 0x80 && lang_lex_is_ident_char(c)) {
			lang_lex_adv(lx);
		} else {
			break;
		}
	}
	size_t n = lx->off - start;
	const char *w = lx->src + start;
	tok->kind = LANG_T_IDENT;
	if (n == 1 && w[0] == '_') {
		tok->kind = LANG_T_UNDERSCORE;
		return;
	}
	if (!(tok->flags & LANG_TF_RAW)) {
		for (size_t i = 0;
		     i < sizeof lang_lex_keywords / sizeof lang_lex_keywords[0];
		     i++) {
			if (strlen(lang_lex_keywords[i].word) == n &&
			    memcmp(lang_lex_keywords[i].word, w, n) == 0) {
				tok->kind = lang_lex_keywords[i].kind;
				return;
			}
		}
	}
	lang_lex_buf_reset(lx);
	lang_lex_buf_add(lx, w, n);
}

/* A character that starts no token. Reports it and skips it. */
static void
lang_lex_unknown(lang_lexer *lx, lang_token *tok)
{
	uint32_t cp;
	size_t n = lang_lex_cp(lx, &cp);
	const char *hint = NULL;
	for (size_t i = 0;
	     i < sizeof lang_lex_confusables / sizeof lang_lex_confusables[0];
	     i++) {
		if (lang_lex_confusables[i].cp == cp)
			hint = lang_lex_confusables[i].hint;
	}
	if (cp < 0x20 || cp == 0x7f)
		lang_diags_add(lx->diags, LANG_ERROR, tok->pos, hint,
		               "unknown start of token: \\x%02x", (unsigned)cp);
	else
		lang_diags_add(lx->diags, LANG_ERROR, tok->pos, hint,
		               "unknown start of token: `%.*s`", (int)n,
		               lx->src + lx->off);
	lang_lex_advn(lx, n);
	tok->kind = LANG_T_ERROR;
}

/* Whether the code point starts an identifier: ASCII letters and `_`, and
 * any non-ASCII character except the confusable punctuation above (Rust
 * allows Unicode identifiers; checking XID tables is left to rustc). */
static int
lang_lex_unicode_ident_start(const lang_lexer *lx)
{
	uint32_t cp;
	lang_lex_cp(lx, &cp);
	for (size_t i = 0;
	     i < sizeof lang_lex_confusables / sizeof lang_lex_confusables[0];
	     i++) {
		if (lang_lex_confusables[i].cp == cp)
			return 0;
	}
	/* General punctuation, arrows, math symbols and emoji are not
	 * letters; reject the common blocks so that they get a clear
	 * error. */
	if ((cp >= 0x2000 && cp <= 0x2bff) ||
	    (cp >= 0x1f000 && cp <= 0x1faff) || cp == 0xfeff ||
	    (cp >= 0x80 && cp <= 0xbf))
		return 0;
	return 1;
}

static void
lang_lex_fatal_end(lang_lexer *lx, lang_token *tok)
{
	lx->fatal = 1;
	lx->ended = 1;
	tok->kind = LANG_T_ERROR;
}

void
lang_lex_next(lang_lexer *lx, lang_token *tok)
{
	memset(tok, 0, sizeof *tok);
	tok->suffix = "";
	if (!lx->ended && lang_lex_skip_space(lx) < 0) {
		tok->pos = lx->pos;
		tok->off = lx->off;
		lang_lex_fatal_end(lx, tok);
		tok->end = lx->pos;
		return;
	}
	tok->pos = lx->pos;
	tok->off = lx->off;
	if (lx->ended || lx->oom) {
		tok->kind = LANG_T_EOF;
		tok->end = lx->pos;
		return;
	}
	int c = lang_lex_peekc(lx, 0);
	if (c < 0) {
		if (lang_lex_bad_byte(lx)) {
			lang_lex_fatal_end(lx, tok);
		} else {
			tok->kind = LANG_T_EOF;
			lx->ended = 1;
		}
		tok->end = lx->pos;
		return;
	}
	int c1 = lang_lex_peekc(lx, 1);
	if (c >= '0' && c <= '9') {
		lang_lex_number(lx, tok);
	} else if (c == '"') {
		if (lang_lex_string(lx, tok, 0) < 0)
			lang_lex_fatal_end(lx, tok);
	} else if (c == '\'') {
		lang_lex_quote(lx, tok, 0);
	} else if (c == 'b' && c1 == '\'') {
		lang_lex_adv(lx);
		tok->flags |= LANG_TF_BYTE;
		lang_lex_quote(lx, tok, 1);
		if (tok->kind == LANG_T_LIFETIME)
			tok->kind = LANG_T_ERROR;
	} else if (c == 'b' && c1 == '"') {
		lang_lex_adv(lx);
		tok->flags |= LANG_TF_BYTE;
		if (lang_lex_string(lx, tok, 1) < 0)
			lang_lex_fatal_end(lx, tok);
	} else if (c == 'b' && c1 == 'r' &&
	           (lang_lex_peekc(lx, 2) == '"' ||
	            lang_lex_peekc(lx, 2) == '#')) {
		lang_lex_adv(lx);
		tok->flags |= LANG_TF_BYTE;
		if (lang_lex_raw_string(lx, tok) < 0)
			lang_lex_fatal_end(lx, tok);
	} else if (c == 'r' &&
	           (c1 == '"' ||
	            (c1 == '#' && (lang_lex_peekc(lx, 2) == '"' ||
	                           lang_lex_peekc(lx, 2) == '#')))) {
		if (lang_lex_raw_string(lx, tok) < 0)
			lang_lex_fatal_end(lx, tok);
	} else if (c == 'r' && c1 == '#' &&
	           lang_lex_is_ident_start(lang_lex_peekc(lx, 2))) {
		lang_lex_advn(lx, 2);
		tok->flags |= LANG_TF_RAW;
		lang_lex_ident(lx, tok);
	} else if (c < 0x80 ? lang_lex_is_ident_start(c)
	                    : lang_lex_unicode_ident_start(lx)) {
		lang_lex_ident(lx, tok);
	} else {
		size_t i;
		for (i = 0;
		     i < sizeof lang_lex_puncts / sizeof lang_lex_puncts[0];
		     i++) {
			size_t n = strlen(lang_lex_puncts[i].text);
			if (lx->len - lx->off >= n &&
			    memcmp(lx->src + lx->off, lang_lex_puncts[i].text,
			           n) == 0) {
				tok->kind = lang_lex_puncts[i].kind;
				lang_lex_advn(lx, n);
				break;
			}
		}
		if (i == sizeof lang_lex_puncts / sizeof lang_lex_puncts[0])
			lang_lex_unknown(lx, tok);
	}
	tok->end = lx->pos;
	tok->len = lx->off - tok->off;
	if (tok->kind == LANG_T_IDENT || tok->kind == LANG_T_LIFETIME ||
	    tok->kind == LANG_T_STR) {
		if (!lx->buf)
			lang_lex_buf_add(lx, "", 0);
		tok->text = lx->buf ? lx->buf : "";
		tok->text_len = lx->buf_len;
	}
	if (lx->oom) {
		tok->kind = LANG_T_EOF;
		tok->text = NULL;
		tok->text_len = 0;
	}
	lx->prev = tok->kind;
}
