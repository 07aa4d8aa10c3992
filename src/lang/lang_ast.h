/* lang_ast — the syntax tree of a learner's Rust program.
 *
 * Contract: the parser (lang_parse.h) builds one lang_ast per source file.
 * Every node, string and array in it lives in one arena owned by the
 * lang_ast and is freed as a whole by lang_ast_free; nothing in the tree is
 * freed or reallocated separately, so pointers into it stay valid until then.
 * The tree is read-only for its users (the compiler, views, tests).
 *
 * All nodes share one struct; which fields mean something depends on the
 * kind and is documented next to each kind below. Fields a kind does not use
 * are zero/NULL. Strings are NUL-terminated unless a length is given with
 * them (literal bytes may contain NUL). Label names are stored without the
 * leading quote ("outer" for 'outer).
 *
 * Positions (lang_pos, 1-based line and column): see lang_lex.h for how
 * columns are counted. A node's pos is where the construct starts, except
 * for infix and postfix nodes (BINARY, ASSIGN, CAST, RANGE with a start,
 * METHOD, FIELD, INDEX, AWAIT, TRY), whose pos is their operator token
 * (`+`, `=`, `as`, `..`, the method or field name, `[`, `await`, `?`) so
 * that errors about the operation point at it; lang_node_start gives the
 * leftmost position of such an expression. A CALL's pos is where its callee
 * starts (`f` in `f(x)`, `a` in `a.b.c(x)`).
 *
 * When the parser reported errors the tree may be partial and may contain
 * LANG_N_ERROR nodes where a construct could not be parsed; the children a
 * kind documents as always present are then still non-NULL (an ERROR node
 * stands in), so walkers need no extra NULL checks. A compiler should not
 * compile a tree whose parse reported errors.
 *
 * The grammar is meant to grow (struct, enum, impl, match, ...): new kinds are
 * appended to the LANG_NODE_KINDS table and new fields, if ever needed, to the
 * end of the struct.
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_AST_H
#define ASYNC_TUTORIAL_LANG_LANG_AST_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_diag.h"

/* X(enum suffix, name used by lang_node_kind_name and lang_ast_sexpr).
 *
 * Per kind (children not listed are NULL, "kids" is kids/nkids):
 *
 * FILE        kids: items in source order (USE, FN, and ATTR for inner
 *             attributes `#![...]`, which have LANG_F_INNER).
 * USE         name: the local name it binds ("Duration", "thread", the alias
 *             after `as`, or "*" for a glob); str: the full path
 *             ("std::time::Duration", "std::time::*"). One node per imported
 *             name, so `use a::{b, c as d};` gives two nodes. `self` in a
 *             group imports the group's parent ("std::io" bound as "io").
 * ATTR        name: attribute path ("tokio::main", "allow"); str: the raw
 *             text between the parentheses of its argument, whitespace
 *             normalised (`flavor = "current_thread"`), or NULL when there is
 *             none. flags: LANG_F_INNER for `#![...]`.
 * LIST        kids: a plain list (used for a function's attributes).
 * FN          name; flags: LANG_F_ASYNC, LANG_F_PUB; kids: PARAMs; a: return
 *             TYPE or NULL for `()`; b: body BLOCK; c: LIST of the ATTRs
 *             written before the function, or NULL when there are none.
 * PARAM       a: pattern; b: TYPE (always present for fn parameters, NULL
 *             for closure parameters written without a type).
 * TYPE        str/str_len: normalised type text: "Vec<u64>", "&str",
 *             "&mut Vec<u64>", "impl Future<Output = ()>", "(u64, String)",
 *             "[u64; 3]", "Box<dyn Fn(u64) -> u64>", "fn(u64) -> u64",
 *             "Vec<_>". Lifetimes are dropped ("&'a str" gives "&str").
 * LET         a: pattern; b: TYPE or NULL; c: initializer or NULL.
 * EXPR_STMT   a: expression; flags: LANG_F_SEMI when it ended with `;`
 *             (block-like expressions such as `if`, `while`, `for`, `loop`,
 *             blocks, `async {}` and `m! {}` may end a statement without it).
 * PAT_IDENT   name; flags: LANG_F_MUT (`mut x`), LANG_F_REF (`ref x`).
 * PAT_TUPLE   kids: element patterns (0 kids is `()`).
 * PAT_WILD    `_`.
 * PAT_REF     a: inner pattern (`&x` in closure parameters); flags:
 *             LANG_F_MUT for `&mut x`.
 * INT         ival: value (literals are unsigned; `-1` is UNARY NEG of INT 1,
 *             so `-9223372036854775808` fits); suffix: "u64", ... or "".
 * FLOAT       fval; suffix: "f32", "f64" or "".
 * BOOL        ival: 0 or 1.
 * STR         str/str_len: the bytes with escapes resolved (may contain NUL;
 *             str[str_len] is NUL); flags: LANG_F_RAW for r"..." / r#"..."#.
 * CHAR        ival: the Unicode code point.
 * PATH        segs/nsegs: segments without generic arguments ("Vec", "new");
 *             name: the last segment; str: the path as written with its
 *             generic arguments normalised ("Vec::<u64>::new"). A plain
 *             variable is a PATH with one segment.
 * UNARY       op: LANG_OP_NEG, NOT, REF, REF_MUT or DEREF; a: operand.
 * BINARY      op: arithmetic, comparison, logical or bit operator; a, b.
 * ASSIGN      op: LANG_OP_NONE for `=`, else the operator of a compound
 *             assignment (LANG_OP_ADD for `+=`); a: place; b: value.
 * CAST        a: expression; b: TYPE.
 * RANGE       a: start or NULL; b: end or NULL; flags: LANG_F_INCLUSIVE
 *             for `..=`.
 * CALL        a: callee; kids: arguments.
 * METHOD      a: receiver; name: method name; kids: arguments; str: the
 *             turbofish's generic arguments ("Vec<_>" for
 *             `.collect::<Vec<_>>()`) or NULL.
 * FIELD       a: operand; name: field name, or the index for tuple fields
 *             ("0" in `t.0`; `t.0.1` is FIELD 1 of FIELD 0).
 * INDEX       a: operand; b: index.
 * AWAIT       a: the future (`a.await`).
 * TRY         a: operand (`a?`).
 * TUPLE       kids: elements; 0 kids is the unit value `()`. A parenthesized
 *             expression `(e)` is just e (no node).
 * ARRAY       kids: elements; with LANG_F_REPEAT (`[a; b]`), no kids and
 *             a: the value, b: the count.
 * BLOCK       kids: statements (LET, EXPR_STMT); a: tail expression (the
 *             last expression, without `;`) or NULL. As in Rust, a final
 *             block-like expression without `;` is the tail too: in
 *             `{ f(); for x in v {} }` the FOR is `a` (its value is `()`).
 * ASYNC_BLOCK a: BLOCK; flags: LANG_F_MOVE.
 * IF          a: condition; b: then BLOCK; c: else BLOCK, else IF, or NULL.
 * WHILE       a: condition; b: body BLOCK; name: label or NULL.
 * LOOP        b: body BLOCK; name: label or NULL.
 * FOR         a: pattern; b: iterable; c: body BLOCK; name: label or NULL.
 * BREAK       name: label or NULL; a: value or NULL.
 * CONTINUE    name: label or NULL.
 * RETURN      a: value or NULL.
 * CLOSURE     kids: PARAMs; a: body expression; b: return TYPE or NULL
 *             (`|x| -> u64 { .. }`); flags: LANG_F_MOVE.
 * MACRO       name: the macro's path without `!` ("println", "vec",
 *             "tokio::join"); kids: the arguments, parsed as comma-separated
 *             expressions (for println!/format! the first is the STR format
 *             string, which the compiler parses); flags: LANG_F_REPEAT for
 *             `vec![x; n]`, then kids are exactly {x, n}; op: the opening
 *             delimiter character, '(', '[' or '{'. Macros whose
 *             arguments are not expressions (`select!`, `matches!`) are
 *             reported as not supported yet.
 * ERROR       stands in for something that failed to parse (an error was
 *             reported).
 */
#define LANG_NODE_KINDS(X)                                                     \
	X(FILE, "file")                                                        \
	X(USE, "use")                                                          \
	X(ATTR, "attr")                                                        \
	X(LIST, "list")                                                        \
	X(FN, "fn")                                                            \
	X(PARAM, "param")                                                      \
	X(TYPE, "type")                                                        \
	X(LET, "let")                                                          \
	X(EXPR_STMT, "expr_stmt")                                              \
	X(PAT_IDENT, "pat_ident")                                              \
	X(PAT_TUPLE, "pat_tuple")                                              \
	X(PAT_WILD, "pat_wild")                                                \
	X(PAT_REF, "pat_ref")                                                  \
	X(INT, "int")                                                          \
	X(FLOAT, "float")                                                      \
	X(BOOL, "bool")                                                        \
	X(STR, "str")                                                          \
	X(CHAR, "char")                                                        \
	X(PATH, "path")                                                        \
	X(UNARY, "unary")                                                      \
	X(BINARY, "binary")                                                    \
	X(ASSIGN, "assign")                                                    \
	X(CAST, "cast")                                                        \
	X(RANGE, "range")                                                      \
	X(CALL, "call")                                                        \
	X(METHOD, "method")                                                    \
	X(FIELD, "field")                                                      \
	X(INDEX, "index")                                                      \
	X(AWAIT, "await")                                                      \
	X(TRY, "try")                                                          \
	X(TUPLE, "tuple")                                                      \
	X(ARRAY, "array")                                                      \
	X(BLOCK, "block")                                                      \
	X(ASYNC_BLOCK, "async_block")                                          \
	X(IF, "if")                                                            \
	X(WHILE, "while")                                                      \
	X(LOOP, "loop")                                                        \
	X(FOR, "for")                                                          \
	X(BREAK, "break")                                                      \
	X(CONTINUE, "continue")                                                \
	X(RETURN, "return")                                                    \
	X(CLOSURE, "closure")                                                  \
	X(MACRO, "macro")                                                      \
	X(ERROR, "error")

typedef enum lang_node_kind {
#define LANG_AST_ENUM_(k, s) LANG_N_##k,
	LANG_NODE_KINDS(LANG_AST_ENUM_)
#undef LANG_AST_ENUM_
	        LANG_N_COUNT_
} lang_node_kind;

/* Operators of UNARY, BINARY and compound ASSIGN nodes; the second column is
 * the source spelling (lang_op_symbol). */
#define LANG_OPS(X)                                                            \
	X(NONE, "")                                                            \
	X(ADD, "+")                                                            \
	X(SUB, "-")                                                            \
	X(MUL, "*")                                                            \
	X(DIV, "/")                                                            \
	X(REM, "%")                                                            \
	X(AND, "&&")                                                           \
	X(OR, "||")                                                            \
	X(BITAND, "&")                                                         \
	X(BITOR, "|")                                                          \
	X(BITXOR, "^")                                                         \
	X(SHL, "<<")                                                           \
	X(SHR, ">>")                                                           \
	X(EQ, "==")                                                            \
	X(NE, "!=")                                                            \
	X(LT, "<")                                                             \
	X(LE, "<=")                                                            \
	X(GT, ">")                                                             \
	X(GE, ">=")                                                            \
	X(NEG, "-")                                                            \
	X(NOT, "!")                                                            \
	X(REF, "&")                                                            \
	X(REF_MUT, "&mut")                                                     \
	X(DEREF, "*")

typedef enum lang_op {
#define LANG_AST_ENUM_(k, s) LANG_OP_##k,
	LANG_OPS(LANG_AST_ENUM_)
#undef LANG_AST_ENUM_
	        LANG_OP_COUNT_
} lang_op;

/* Node flags; which kinds use which is documented with the kinds. */
enum {
	LANG_F_MUT = 1u << 0,
	LANG_F_REF = 1u << 1,
	LANG_F_ASYNC = 1u << 2,
	LANG_F_MOVE = 1u << 3,
	LANG_F_INCLUSIVE = 1u << 4,
	LANG_F_REPEAT = 1u << 5,
	LANG_F_SEMI = 1u << 6,
	LANG_F_INNER = 1u << 7,
	LANG_F_PUB = 1u << 8,
	LANG_F_RAW = 1u << 9
};

typedef struct lang_node lang_node;
struct lang_node {
	lang_node_kind kind;
	lang_pos pos;
	uint32_t flags;
	int op; /* a lang_op, or the delimiter character of a MACRO */
	const char *name;
	const char *str;
	size_t str_len;
	uint64_t ival;
	double fval;
	const char *suffix; /* INT and FLOAT: "" when there is none */
	lang_node *a, *b, *c, *d;
	lang_node **kids;
	uint32_t nkids;
	const char **segs; /* PATH */
	uint32_t nsegs;
	/* Where the expression's source text starts, as rustc's spans do:
	 * the first operand's start for infix and postfix nodes, and the
	 * `(` when it (or its first operand) is in parentheses. Read it
	 * through lang_node_start. */
	lang_pos start;
};

/* The tree and its arena; built by lang_parse (lang_parse.h). */
typedef struct lang_ast lang_ast;

/* The FILE node; never NULL for a tree lang_parse returned. */
lang_node *lang_ast_root(const lang_ast *ast);

/* Frees the whole tree; `ast` may be NULL. */
void lang_ast_free(lang_ast *ast);

/* "binary", "pat_ident", ...; "?" for an out-of-range kind. */
const char *lang_node_kind_name(lang_node_kind kind);

/* "+", "&mut", ...; "" for LANG_OP_NONE or an out-of-range op. */
const char *lang_op_symbol(int op);

/* Where an expression starts in the source, as rustc's spans do (the
 * location a panic or an error about the whole expression reports): the
 * start of its first operand for infix and postfix nodes (see the contract
 * above), including parentheses around the expression or that operand, so
 * `(x + 1) * 2` starts at the `(`; else its own pos. {0, 0} for NULL. */
lang_pos lang_node_start(const lang_node *node);

/* A compact S-expression of the tree for tests and debugging, malloc'd (the
 * caller frees it), or NULL when memory runs out. Each node prints as
 * `(kind flags... op name str value children... kids...)`, for instance
 * `(binary + (int 1) (path a))`; an absent child that is followed by a
 * present one prints as `_`. NULL prints as `nil`. */
char *lang_ast_sexpr(const lang_node *node);

/* Building trees: used by the parser; other users only read trees. */

/* A new empty tree with its FILE root at line 1, column 1, or NULL. */
lang_ast *lang_ast_new(void);

/* A zeroed node from the arena (suffix set to ""), or NULL when memory runs
 * out. */
lang_node *lang_ast_node(lang_ast *ast, lang_node_kind kind, lang_pos pos);

/* Copies `len` bytes into the arena and NUL-terminates them; NULL when
 * memory runs out. */
char *lang_ast_strndup(lang_ast *ast, const char *s, size_t len);

/* Raw arena memory, aligned for any node field, or NULL. */
void *lang_ast_alloc(lang_ast *ast, size_t size);

#endif
