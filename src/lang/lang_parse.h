/* lang_parse — the recursive-descent parser for the course's Rust subset.
 *
 * Contract: lang_parse reads a whole source file (a learner's main.rs) and
 * returns its syntax tree (lang_ast.h), even when there were errors: the tree
 * is then partial, with ERROR nodes where something could not be parsed. It
 * returns NULL only when memory runs out. It never prints: errors and
 * warnings go to `diags`, each at a 1-based line and column (lang_lex.h). The
 * tree does not point into `src`, which may be freed right after the call.
 *
 * Supported: `use` declarations (groups, globs, `as`), `fn` and `async fn`
 * with typed parameters and return types, attributes (`#[tokio::main]`;
 * others are accepted with a warning, `allow`/`warn`/`deny` silently),
 * `let` with patterns (names, `mut`, `_`, tuples, `&x`), expression
 * statements with Rust's rules for block-like expressions, all the
 * operators with Rust's precedence, `as`, ranges, closures, async blocks,
 * method calls with turbofish, paths, field and tuple access, indexing,
 * `.await`, `?`, tuples, arrays, blocks, `if`/`else`, `while`, `loop`, `for`,
 * labels, `break` with a value, `return`, and macro calls whose arguments are
 * expressions (`println!`, `vec![x; n]`, `tokio::join!`). Types are parsed
 * and kept as text.
 *
 * Constructs not supported yet (struct, enum, impl, trait, match, if let,
 * while let, const, static, mod, unsafe, generics, ...) each give one error
 * naming the construct at its position, then parsing resumes after it.
 * After any error the parser resynchronises at the next `;`, `}` or item so
 * that several independent errors are reported without cascades, up to the
 * list's error limit (lang_diags_full), where it stops.
 *
 * Hostile input is safe: the parser never recurses deeper than
 * LANG_PARSE_MAX_DEPTH levels of nesting (it reports "nesting is too deep"
 * and stops), and long operator or method chains count as nesting too, so
 * the tree's depth is bounded as well and recursive walkers of the tree are
 * safe on any stack that can parse it. A tree has at most
 * LANG_PARSE_MAX_NODES nodes ("the program is too large" past that).
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_PARSE_H
#define ASYNC_TUTORIAL_LANG_LANG_PARSE_H

#include <stddef.h>

#include "lang/lang_ast.h"
#include "lang/lang_diag.h"

#define LANG_PARSE_MAX_DEPTH 256

/* The most syntax nodes a program may have; a tutorial program has a few
 * thousand. This bounds the memory a hostile file can make the parser use
 * (a node is about 150 bytes). */
#define LANG_PARSE_MAX_NODES 1000000

/* Parses a whole source file; see the contract above. Free the result with
 * lang_ast_free (lang_ast.h), which also declares lang_ast_root. */
lang_ast *lang_parse(const char *src, size_t len, lang_diags *diags);

#endif
