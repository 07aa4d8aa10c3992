/* lang_utf8 — one UTF-8 decoder for the whole program.
 *
 * Contract: source text, program output and names can hold any bytes. Every
 * place that shows or checks text decodes it with lang_utf8_decode, so they
 * all agree on what is valid: overlong forms, surrogates and code points
 * past U+10FFFF are invalid, as in Rust and the Unicode standard's table
 * 3-7.
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_UTF8_H
#define ASYNC_TUTORIAL_LANG_LANG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s[0..n), with its code
 * point in *cp (cp may be NULL), or 0 if the bytes there are not valid. */
size_t
lang_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
