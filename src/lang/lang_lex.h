/* lang_lex — the Rust tokenizer.
 *
 * Contract: a lang_lexer turns source bytes into tokens one at a time,
 * following Rust's lexical grammar for the subset the course uses: ASCII and
 * Unicode identifiers (a raw identifier r#x is the identifier "x"), keywords,
 * lifetimes and labels ('a, returned without the quote), integer and float
 * literals with `_` separators, bases 0x/0o/0b and type suffixes, string
 * literals with escapes and line continuations, raw strings r"..." and
 * r#"..."#, character literals, byte literals b'a' b"..." (flagged, since the
 * parser rejects them), line, block (nested) and doc comments, and every
 * punctuation token the grammar has.
 *
 * It never prints: errors go to the lang_diags given at creation. A token the
 * lexer could not make sense of (unknown character, unterminated literal)
 * comes back as LANG_T_ERROR after its error was reported, so the parser can
 * stay quiet about it. Some errors are fatal for the rest of the file (an
 * unterminated string or block comment, invalid UTF-8, a NUL byte): after
 * their ERROR token the lexer returns only EOF, and lang_lex_fatal says so.
 * The lexer never reads past `len` and never loops without consuming input.
 *
 * Positions: lines are 1-based and counted at '\n' (so CRLF files give the
 * same lines and columns as LF files; '\r' counts as a column like any
 * character). Columns are 1-based and count characters, not bytes: every
 * UTF-8 encoded character counts as one column and a tab as one column, so a
 * caret printed under the line by counting characters lines up. A leading
 * UTF-8 byte order mark is skipped and takes no column.
 *
 * Number literals: after a `.` token, digits lex as a plain integer (so
 * `t.0.1` is two tuple indexes, not the float 0.1); `1..2` is an integer and
 * `..`, `1.max(2)` an integer and a method call, `1.` and `1.5e3` floats. An
 * integer literal too large for 64 bits is an error (the simulator's
 * integers are at most 64 bits wide). An integer with an f32/f64 suffix is a
 * float, as in Rust.
 *
 * Strings in tokens (text) are owned by the lexer and valid only until the
 * next lang_lex_next call; the parser copies what it keeps.
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_LEX_H
#define ASYNC_TUTORIAL_LANG_LANG_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_diag.h"

/* X(enum suffix, spelling used in messages). Keywords spell as "`fn`",
 * punctuation as "`+=`". Reserved-but-unused words (self, Self, crate,
 * super, union, macro_rules, ...) are identifiers. */
#define LANG_TOKENS(X)                                                         \
	X(EOF, "end of file")                                                  \
	X(ERROR, "invalid token")                                              \
	X(IDENT, "identifier")                                                 \
	X(LIFETIME, "lifetime")                                                \
	X(INT, "integer literal")                                              \
	X(FLOAT, "float literal")                                              \
	X(STR, "string literal")                                               \
	X(CHAR, "character literal")                                           \
	X(KW_AS, "`as`")                                                       \
	X(KW_ASYNC, "`async`")                                                 \
	X(KW_AWAIT, "`await`")                                                 \
	X(KW_BREAK, "`break`")                                                 \
	X(KW_CONST, "`const`")                                                 \
	X(KW_CONTINUE, "`continue`")                                           \
	X(KW_DYN, "`dyn`")                                                     \
	X(KW_ELSE, "`else`")                                                   \
	X(KW_ENUM, "`enum`")                                                   \
	X(KW_EXTERN, "`extern`")                                               \
	X(KW_FALSE, "`false`")                                                 \
	X(KW_FN, "`fn`")                                                       \
	X(KW_FOR, "`for`")                                                     \
	X(KW_IF, "`if`")                                                       \
	X(KW_IMPL, "`impl`")                                                   \
	X(KW_IN, "`in`")                                                       \
	X(KW_LET, "`let`")                                                     \
	X(KW_LOOP, "`loop`")                                                   \
	X(KW_MATCH, "`match`")                                                 \
	X(KW_MOD, "`mod`")                                                     \
	X(KW_MOVE, "`move`")                                                   \
	X(KW_MUT, "`mut`")                                                     \
	X(KW_PUB, "`pub`")                                                     \
	X(KW_REF, "`ref`")                                                     \
	X(KW_RETURN, "`return`")                                               \
	X(KW_STATIC, "`static`")                                               \
	X(KW_STRUCT, "`struct`")                                               \
	X(KW_TRAIT, "`trait`")                                                 \
	X(KW_TRUE, "`true`")                                                   \
	X(KW_TYPE, "`type`")                                                   \
	X(KW_UNSAFE, "`unsafe`")                                               \
	X(KW_USE, "`use`")                                                     \
	X(KW_WHERE, "`where`")                                                 \
	X(KW_WHILE, "`while`")                                                 \
	X(KW_YIELD, "`yield`")                                                 \
	X(UNDERSCORE, "`_`")                                                   \
	X(PLUS, "`+`")                                                         \
	X(MINUS, "`-`")                                                        \
	X(STAR, "`*`")                                                         \
	X(SLASH, "`/`")                                                        \
	X(PERCENT, "`%`")                                                      \
	X(CARET, "`^`")                                                        \
	X(BANG, "`!`")                                                         \
	X(AMP, "`&`")                                                          \
	X(PIPE, "`|`")                                                         \
	X(AMPAMP, "`&&`")                                                      \
	X(PIPEPIPE, "`||`")                                                    \
	X(SHL, "`<<`")                                                         \
	X(SHR, "`>>`")                                                         \
	X(PLUSEQ, "`+=`")                                                      \
	X(MINUSEQ, "`-=`")                                                     \
	X(STAREQ, "`*=`")                                                      \
	X(SLASHEQ, "`/=`")                                                     \
	X(PERCENTEQ, "`%=`")                                                   \
	X(CARETEQ, "`^=`")                                                     \
	X(AMPEQ, "`&=`")                                                       \
	X(PIPEEQ, "`|=`")                                                      \
	X(SHLEQ, "`<<=`")                                                      \
	X(SHREQ, "`>>=`")                                                      \
	X(EQ, "`=`")                                                           \
	X(EQEQ, "`==`")                                                        \
	X(NE, "`!=`")                                                          \
	X(GT, "`>`")                                                           \
	X(LT, "`<`")                                                           \
	X(GE, "`>=`")                                                          \
	X(LE, "`<=`")                                                          \
	X(AT, "`@`")                                                           \
	X(DOT, "`.`")                                                          \
	X(DOTDOT, "`..`")                                                      \
	X(DOTDOTDOT, "`...`")                                                  \
	X(DOTDOTEQ, "`..=`")                                                   \
	X(COMMA, "`,`")                                                        \
	X(SEMI, "`;`")                                                         \
	X(COLON, "`:`")                                                        \
	X(PATHSEP, "`::`")                                                     \
	X(ARROW, "`->`")                                                       \
	X(FATARROW, "`=>`")                                                    \
	X(POUND, "`#`")                                                        \
	X(DOLLAR, "`$`")                                                       \
	X(QUESTION, "`?`")                                                     \
	X(TILDE, "`~`")                                                        \
	X(LBRACE, "`{`")                                                       \
	X(RBRACE, "`}`")                                                       \
	X(LBRACKET, "`[`")                                                     \
	X(RBRACKET, "`]`")                                                     \
	X(LPAREN, "`(`")                                                       \
	X(RPAREN, "`)`")

typedef enum lang_tok_kind {
#define LANG_LEX_ENUM_(k, s) LANG_T_##k,
	LANG_TOKENS(LANG_LEX_ENUM_)
#undef LANG_LEX_ENUM_
	        LANG_T_COUNT_
} lang_tok_kind;

/* Token flags. */
enum {
	LANG_TF_RAW = 1u << 0, /* raw string r"..." or raw identifier r#x */
	LANG_TF_BYTE = 1u << 1 /* byte literal b'a' or byte string b"..." */
};

typedef struct lang_token {
	lang_tok_kind kind;
	uint32_t flags;  /* LANG_TF_* */
	lang_pos pos;    /* first character */
	lang_pos end;    /* just after the last character */
	size_t off, len; /* the token's bytes in the source */
	/* IDENT and LIFETIME: the name (no quote, no r#); STR: the bytes with
	 * escapes resolved, which may contain NUL (text[text_len] is NUL);
	 * otherwise NULL. Valid until the next lang_lex_next call. */
	const char *text;
	size_t text_len;
	uint64_t ival;      /* INT: value; CHAR: code point (a byte for b'a') */
	double fval;        /* FLOAT: value */
	const char *suffix; /* INT and FLOAT: "u64", "f32", ... or "" */
} lang_token;

typedef struct lang_lexer lang_lexer;

/* A lexer over `len` bytes of `src`, which must stay valid and unchanged
 * while the lexer lives. Returns NULL when memory runs out. */
lang_lexer *lang_lex_new(const char *src, size_t len, lang_diags *diags);

void lang_lex_free(lang_lexer *lx);

/* Fills `tok` with the next token; after the end it returns EOF forever. */
void lang_lex_next(lang_lexer *lx, lang_token *tok);

/* Nonzero once a fatal error ended the token stream early (see above). */
int lang_lex_fatal(const lang_lexer *lx);

/* Nonzero if memory ran out; the stream then ends with EOF. */
int lang_lex_oom(const lang_lexer *lx);

/* "identifier", "`fn`", "`+=`", ...; "?" for an out-of-range kind. */
const char *lang_tok_kind_name(lang_tok_kind kind);

#endif
