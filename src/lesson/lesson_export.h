/* lesson_export — a course's programs written out as Rust files.
 *
 * Contract: lesson_export_course loads every lesson of a course and writes
 * each of its programs (the lesson's program, its variants, and every
 * exercise's starting code and solution) into a directory, one file per
 * program, so that the differential test (tests/check-real.sh) can build
 * them with the real Rust compiler and Tokio and compare the real runs
 * with the simulator's. A file is named after its lesson and its part:
 * lesson03_program.rs, lesson03_laptop.rs (a program with name=laptop),
 * lesson03_variant2.rs, lesson08_exercise1_start.rs,
 * lesson08_exercise1_solution.rs. An exercise whose starting code is one
 * of the lesson's programs (`start: 1`) adds no file: that program is
 * already written.
 *
 * Each file starts with a block of `//` comments that say where the
 * program comes from and carry its markers for that test, in the form the
 * programs of tests/programs/ use: `// real: skip (REASON)`,
 * `// real: sort-lines (REASON)`, `// real: exit N` and
 * `// sim-args: --profile NAME`, from the fence's real-* words and its
 * profile (a solution runs with its starting code's profile, as its
 * exercise does). The program text follows unchanged.
 *
 * It never prints: a lesson that does not load, or a file that cannot be
 * written, is an error in `diags`, and the other lessons are still
 * written. Nothing is run, so exporting takes no time.
 */
#ifndef ASYNC_TUTORIAL_LESSON_LESSON_EXPORT_H
#define ASYNC_TUTORIAL_LESSON_LESSON_EXPORT_H

#include <stddef.h>

#include "lesson/lesson_diag.h"
#include "lesson/lesson_file.h"

/* Writes the programs of one loaded lesson into `outdir` (which must
 * exist). Adds the number of files written to *nwritten. Returns the
 * number of errors added to diags. */
size_t lesson_export_lesson(const lesson *l, const char *outdir,
                            lesson_diags *diags, size_t *nwritten);

/* The same for every lesson of the course in `dir`. Returns the number of
 * errors added (a course with no lessons is one). */
size_t lesson_export_course(const char *dir, const char *outdir,
                            lesson_diags *diags, size_t *nwritten);

/* The base name (without ".rs") a lesson's program i is written under, as
 * snprintf does. Names are unique within a course whose lessons have
 * distinct numbers. */
size_t lesson_export_name(const lesson *l, size_t i, char *buf, size_t size);

#endif
