#!/bin/sh
# `make fuzz`: builds the libFuzzer targets of tests/fuzz/ with clang and
# runs each for FUZZ_SECONDS (0: build only), one after the other.
#
# The Makefile passes everything in the environment: CLANG, SRCDIR,
# CORE_SOURCES (the core's .c files, relative to SRCDIR), CPPFLAGS_CORE,
# LIBS_CORE, FUZZ_SECONDS, and FUZZ_TARGETS (a subset of the targets, to
# run some of them in parallel by hand). Everything it writes is under
# tests/fuzz/ in the build tree:
#   obj/         the core built with clang, -fsanitize=fuzzer-no-link
#   fuzz_TARGET  the fuzzers (run one by hand: ./fuzz_run -help=1)
#   corpus/TARGET/  inputs worth keeping, grown from run to run
#   crashes/     what made a target crash, leak or hang
# The seeds (the test programs, the lessons, and tests/fuzz/seeds/) are
# read but never written.
set -eu

: "${CLANG:?}" "${SRCDIR:?}" "${CORE_SOURCES:?}"
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-compile run lesson progress cmd}
out=tests/fuzz
flags="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

mkdir -p "$out/obj" "$out/crashes"

# The core, built once, again whenever its source or a header it may
# include is newer than its object: a header that changes a struct's
# layout must rebuild every object that uses it, or the fuzzer runs code
# that disagrees with itself (and reports crashes that are not there).
objs=
headers=$(find "$SRCDIR/src" -name '*.h')
for src in $CORE_SOURCES; do
	obj=$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')
	objs="$objs $obj"
	stale=
	if [ -f "$obj" ]; then
		for h in $headers config.h; do
			if [ "$h" -nt "$obj" ]; then
				stale=1
				break
			fi
		done
	fi
	if [ ! -f "$obj" ] || [ "$SRCDIR/$src" -nt "$obj" ] || [ -n "$stale" ]; then
		echo "  CLANG    $src"
		# shellcheck disable=SC2086
		$CLANG $flags $san -fsanitize=fuzzer-no-link -I. -I"$SRCDIR/src" \
			$CPPFLAGS_CORE -c "$SRCDIR/$src" -o "$obj"
	fi
done

for t in $FUZZ_TARGETS; do
	echo "  CLANG    tests/fuzz/fuzz_$t"
	# shellcheck disable=SC2086
	$CLANG $flags $san -fsanitize=fuzzer -I. -I"$SRCDIR/src" \
		-I"$SRCDIR/tests/fuzz" $CPPFLAGS_CORE \
		"$SRCDIR/tests/fuzz/fuzz_$t.c" $objs $LIBS_CORE \
		-o "$out/fuzz_$t"
done

[ "$FUZZ_SECONDS" -gt 0 ] || exit 0

# What each target starts from: real inputs of its kind.
seeds() {
	case $1 in
	compile|run) echo "$SRCDIR/tests/programs $SRCDIR/lessons" ;;
	lesson) echo "$SRCDIR/lessons $SRCDIR/tests/course/good $SRCDIR/tests/course/broken" ;;
	progress|cmd) echo "$SRCDIR/tests/fuzz/seeds/$1" ;;
	esac
}

# The progress target writes and renames a file for each input: on a
# tmpfs that is ten times faster than on a disk.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi

failed=
for t in $FUZZ_TARGETS; do
	mkdir -p "$out/corpus/$t"
	echo "==== fuzz_$t for $FUZZ_SECONDS s ===="
	# Lessons are the longest inputs (a few kB); 64 kB leaves room for
	# megabyte-long ideas without making every run slow.
	# shellcheck disable=SC2046
	if ! "$out/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t-" \
		"$out/corpus/$t" $(seeds "$t"); then
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: these targets found a problem:$failed"
	echo "fuzz: the inputs are in $out/crashes/; once fixed, copy each to"
	echo "fuzz: tests/fuzz/regressions/TARGET/ so that make check replays it."
	exit 1
fi
