/* lesson_text — a lesson's Markdown prose as plain text.
 *
 * Contract: lesson_text_render turns CommonMark (parsed with cmark) into
 * plain text for a terminal or a pipe: headings underlined, paragraphs
 * wrapped at `width` columns (counted in characters, not bytes), lists
 * with their bullets or numbers, quotes with "> ", code indented by four
 * spaces and never wrapped, `code spans` kept in backquotes, links as
 * their text followed by the address. lesson_text_wrap wraps text that is
 * already plain (a quiz's question, a hint). Both return a new string
 * ending in a newline (NULL if memory ran out) and never print. The
 * visualizer uses the same functions for the lesson pane.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_TEXT_H
#define ASYNC_TUTORIAL_LESSON_LESSON_TEXT_H

#include <stddef.h>

char *
lesson_text_render(const char *markdown, size_t len, int width);

/* Wraps each paragraph (paragraphs are separated by "\n\n"; single
 * newlines are kept as line breaks) at width columns; the first line
 * starts with `first`, the others with `rest` (both may be ""). */
char *
lesson_text_wrap(const char *text, int width, const char *first,
		 const char *rest);

#endif
