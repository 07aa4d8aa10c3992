/* fuzz.h — what every fuzz target in tests/fuzz/ defines.
 *
 * Contract: each target file defines LLVMFuzzerTestOneInput, which takes
 * any bytes at all and must return 0 without crashing, hanging, leaking or
 * tripping a sanitizer. The same file is linked two ways: with libFuzzer
 * (`make fuzz`, clang only), which calls it millions of times with
 * mutated inputs, and with replay.c (`make check`, any compiler), which
 * calls it once for each saved regression input. Nothing here may rely on
 * libFuzzer itself, so that the replay works everywhere.
 */
#ifndef ASYNC_TUTORIAL_TESTS_FUZZ_FUZZ_H
#define ASYNC_TUTORIAL_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
