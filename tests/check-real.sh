#!/usr/bin/env bash
# check-real.sh: the differential test. Every program in tests/programs/,
# and every program of the course in lessons/ (each lesson's program, its
# variants, each exercise's starting code and solution), is built with the
# real Rust compiler against the real Tokio and futures crates (Debian's
# packaged copies, offline), run for real, and run in the simulator; the two
# must print the same thing.
#
# The lesson programs are written out by the simulator itself,
# `async-tutorial check-course lessons --export DIR`, as DIR/lessonNN_PART.rs
# (lesson03_program, lesson03_laptop, lesson08_exercise1_solution, ...),
# each starting with a comment that names its lesson file and line, and the
# markers below, made from the real-* words of the program's fence and its
# profile (see async-tutorial-lessons(5), "THE TEST AGAINST REAL RUST").
# From then on they are treated exactly as the programs of tests/programs/,
# and a FAIL names the lesson file and line. They have no goldens: they are
# compared with the simulator only, so --real-only and --save-goldens leave
# them out.
#
# Usage:
#   tests/check-real.sh [OPTIONS] [ASYNC_TUTORIAL_BINARY [SRCDIR]] [-- NAME...]
# or with the environment `make check-real` sets:
#   ASYNC_TUTORIAL=src/async-tutorial TOP_SRCDIR=. tests/check-real.sh
# (srcdir= is accepted in place of TOP_SRCDIR; without either, the source
# tree is the one this script lives in.)
#
# Options:
#   --real-only     do not run the simulator: compare the real runs with the
#                   golden files NAME.out / NAME.err instead. This checks the
#                   goldens, and it works before the simulator exists.
#   --save-goldens  write NAME.out (and NAME.err when stderr is not empty)
#                   into tests/programs/ from the real runs. For developers
#                   only; never run by make.
#   --course DIR    the course whose programs are compared too (default:
#                   lessons/ of the source tree)
#   --no-course     only the programs of tests/programs/
#   NAME...         only these programs (file names without .rs, such as
#                   join_all_10 or lesson08_blocking).
#
# Environment:
#   CARGO                      cargo to use (default: cargo on PATH, then
#                              $HOME/.cargo/bin/cargo)
#   CARGO_REGISTRY_DIR         the unpacked crates (default
#                              /usr/share/cargo/registry, from Debian's
#                              librust-tokio-dev and librust-futures-dev)
#   CHECK_REAL_TARGET_DIR      reuse this cargo target directory between runs
#                              (must be outside the source tree); by default
#                              everything is built in a fresh temporary one
#   CHECK_REAL_TIMEOUT         seconds allowed for one real run (default 30)
#   CHECK_REAL_SIM_TIMEOUT     seconds allowed for one simulation (default 60)
#   CHECK_REAL_STRICT_STDERR=1 compare panic locations (FILE:LINE:COL, file
#                              name only) and the RUST_BACKTRACE note too
#   CHECK_REAL_KEEP=1          keep the temporary directory and print its path
#
# Markers, in a program's leading // comments (several may be given; in a
# lesson, the fence's words real-skip="REASON", real-sort-lines="REASON",
# real-exit=N and real-profile=NAME or profile=NAME become these):
#
#   // real: skip (REASON)
#       Not run for real: too slow or too big for a real run (for example a
#       million futures), or not meaningful on this machine. Reported as
#       SKIP; its golden files were made by hand (see tests/real/README.md).
#   // real: sort-lines (REASON)
#       The real line order is not deterministic (OS threads; timer batches).
#       stdout and stderr are compared after sorting their lines (LC_ALL=C),
#       and the golden NAME.out holds the SORTED lines, so anything else that
#       compares against NAME.out must sort the simulator's output first.
#   // real: exit N
#       The real program is expected to exit with status N (101 for a panic).
#       The simulator must exit with the same status.
#   // sim-args: ARGS
#       Extra options for `async-tutorial run`, e.g. `--profile laptop` for
#       1,000 threads, which fail on purpose under the default "playground"
#       profile (the golden output is the real, successful run).
#
# What is compared, per program:
#   - the exit statuses (real against the expected one, then simulator
#     against real);
#   - stdout, byte for byte (after sorting if marked sort-lines);
#   - stderr, after normalizing both sides. Rust 1.95 prints a panic as
#         (empty line)
#         thread 'main' (28438) panicked at src/bin/NAME.rs:8:45:
#         MESSAGE LINES
#         note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
#     The OS thread id "(28438)" is always removed, and the path is reduced
#     to NAME.rs (the simulator's may be NAME.rs or a full path). By default
#     the location is then replaced by <location>, and the note and the
#     empty line before a panic are dropped: what remains is the first-line
#     shape `thread 'T' panicked at <location>:`, the thread name, and the
#     message lines after the location line, plus anything from eprintln!.
#     CHECK_REAL_STRICT_STDERR=1 keeps LINE:COL, the note and the empty line.
#   The golden NAME.err is the strict form: exactly what the simulator should
#   print when run, as tests/programs.test runs it, from tests/programs/ on
#   NAME.rs. The real programs run with RUST_BACKTRACE unset.
#
# Older toolchains (Debian 12 ships cargo 1.65 and rustc 1.63):
#   - cargo: `--keep-going` is stable from cargo 1.74 on. An older cargo
#     builds all programs in one plain `cargo build --bins`; if that fails on
#     a program, every program is then built alone (`cargo build --bin NAME`),
#     so that one bad program does not hide the others (each gets its own
#     PASS or FAIL).
#   - rustc: the version is read from the built programs (rustc writes
#     "rustc version X.Y.Z" into every ELF binary's .comment section), which
#     is the rustc that cargo really ran, even when cargo and rustc come from
#     different installations; failing that, from `${RUSTC:-rustc} --version`.
#     Before Rust 1.73 a panic prints on one line, the message quoted and the
#     location last:
#         thread 'main' panicked at 'MESSAGE', src/bin/NAME.rs:8:39
#     (a message of several lines runs on until `', LOCATION`), and with no
#     empty line before it. The simulator and the goldens use the 1.73+ form.
#     With such a rustc, stdout and the exit statuses are still compared byte
#     for byte, and stderr is normalized as follows before the usual
#     comparison above:
#       1. The real stderr is rewritten into the 1.73 form
#              thread 'main' panicked at src/bin/NAME.rs:8:39:
#              MESSAGE
#          This only moves text: thread name, location and message are kept
#          as printed. Output that does not parse as an old panic (eprintln!
#          lines, an unterminated message) is left alone. This happens before
#          sort-lines sorting, so a message of several lines stays together.
#       2. Messages whose WORDING changed in Rust 1.73 are not compared.
#          That is assert_eq!'s and assert_ne!'s message, old and new:
#              assertion failed: `(left == right)`
#                left: `9`,
#               right: `10`: the basket should cost 10
#              assertion `left == right` failed: the basket should cost 10
#                left: 9
#               right: 10
#          It is replaced, on both sides, by the one line
#          `<message not compared: ...>`, so that only the thread name (and,
#          strict, the location) of that panic is compared; the program's
#          PASS line then says `(old rustc: message wording not compared)`.
#          Every other message the programs panic with (overflow, division
#          by zero, index out of bounds, unwrap on Err, panic!'s own text)
#          reads the same in 1.63 and 1.95 and is compared as usual.
#       3. Empty lines just before `thread ... panicked at` are dropped on
#          both sides, also under CHECK_REAL_STRICT_STDERR=1: old rustc never
#          prints them (the default comparison drops them anyway).
#       4. Under CHECK_REAL_STRICT_STDERR=1 (and in --real-only mode, which
#          compares with the strict goldens) the column becomes <column>, on
#          both sides: rustc's span for a panic has moved between versions
#          (panic_index: 8:39 with rustc 1.63, 8:45 with 1.95, and in the
#          goldens). FILE and LINE are still compared there.
#     --save-goldens refuses to run with rustc older than 1.73.
#
# Output: one line per program, `PASS name` (`PASS name (old rustc: message
# wording not compared)` when a panic message could not be compared, see
# below), `FAIL name` (with a unified diff, - real, + simulator) or
# `SKIP name (reason)`, then the summary
# `N passed, N failed, N skipped`. Exit status 0 if nothing failed, 1 if
# anything failed, 77 (automake's SKIP) when cargo or the crates are missing,
# 99 on a setup error.
#
# Nothing is ever written into the source tree (it is read-only under `make
# distcheck`) except by --save-goldens.

if [ -z "${BASH_VERSION:-}" ]; then
	# `make` runs us as `$(SHELL) check-real.sh`, and /bin/sh may be dash.
	exec bash "$0" "$@"
fi

set -euo pipefail

mode=sim
names=()
positional=()
course=default
lessondir=
while [ $# -gt 0 ]; do
	case $1 in
	--real-only) mode=real-only ;;
	--save-goldens) mode=save ;;
	--course)
		if [ $# -lt 2 ]; then
			echo "check-real.sh: --course needs a directory" >&2
			exit 99
		fi
		course=$2
		shift
		;;
	--course=*) course=${1#--course=} ;;
	--no-course) course= ;;
	--help | -h)
		sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	--)
		shift
		names+=("$@")
		break
		;;
	-*)
		echo "check-real.sh: unknown option $1" >&2
		exit 99
		;;
	*) positional+=("$1") ;;
	esac
	shift
done
if [ ${#positional[@]} -gt 2 ]; then
	# Allow `check-real.sh BIN SRCDIR name1 name2` as well.
	names+=("${positional[@]:2}")
fi

sim=${positional[0]:-${ASYNC_TUTORIAL:-}}
script_dir=$(cd "$(dirname "$0")" && pwd)
top=${positional[1]:-${TOP_SRCDIR:-${srcdir:-$script_dir/..}}}
top=$(cd "$top" && pwd)
progdir=$top/tests/programs
if [ "$course" = default ]; then
	course=$top/lessons
fi
if [ ! -d "$progdir" ]; then
	echo "check-real.sh: no $progdir" >&2
	exit 99
fi

skip_all() {
	echo "skipped: $*"
	exit 77
}

if [ "$mode" = sim ]; then
	if [ -z "$sim" ]; then
		echo "check-real.sh: give the async-tutorial binary as the first argument or in ASYNC_TUTORIAL (or use --real-only)" >&2
		exit 99
	fi
	case $sim in
	/*) ;;
	*) sim=$(cd "$(dirname "$sim")" && pwd)/$(basename "$sim") ;;
	esac
	if [ ! -x "$sim" ]; then
		echo "check-real.sh: $sim is not an executable" >&2
		exit 99
	fi
fi

# ---- the real toolchain and crates -----------------------------------------

cargo=${CARGO:-}
if [ -z "$cargo" ]; then
	if command -v cargo >/dev/null 2>&1; then
		cargo=$(command -v cargo)
	elif [ -x "${HOME:-/nonexistent}/.cargo/bin/cargo" ]; then
		cargo=$HOME/.cargo/bin/cargo
		# rustc lives next to the rustup proxy for cargo.
		PATH=$HOME/.cargo/bin:$PATH
		export PATH
	else
		skip_all "no cargo on PATH or in \$HOME/.cargo/bin (install Rust to run the real programs)"
	fi
fi
"$cargo" --version >/dev/null 2>&1 || skip_all "$cargo does not run"

registry=${CARGO_REGISTRY_DIR:-/usr/share/cargo/registry}
have_crate() {
	local d
	for d in "$registry/$1"-[0-9]*; do
		[ -f "$d/Cargo.toml" ] && return 0
	done
	return 1
}
for crate in tokio tokio-macros futures futures-util; do
	have_crate "$crate" ||
		skip_all "crate $crate not found in $registry (apt-get install librust-tokio-dev librust-futures-dev)"
done
command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1) (coreutils)"

# ---- the programs ------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-real.XXXXXX") || exit 99
if [ "${CHECK_REAL_KEEP:-0}" = 1 ]; then
	echo "check-real.sh: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 130' INT TERM

# dir_of[NAME]: the directory NAME.rs is in, and where the simulator runs it:
# tests/programs/, or the course's programs as check-course --export wrote
# them (lessonNN_PART.rs, each with its markers, see the header).
declare -A dir_of=()
for rs in "$progdir"/*.rs; do
	[ -f "$rs" ] && dir_of[$(basename "$rs" .rs)]=$progdir
done
all_names=()
for rs in "$progdir"/*.rs; do
	[ -f "$rs" ] && all_names+=("$(basename "$rs" .rs)")
done
if [ "$mode" = sim ] && [ -n "$course" ]; then
	lessondir=$tmp/lessons
	mkdir -p "$lessondir"
	# From the course's parent, so that the programs' first comment
	# names their lesson as lessons/NN-ID.md rather than a full path.
	course_abs=$(cd "$course" 2>/dev/null && pwd) || {
		echo "check-real.sh: no course directory $course" >&2
		exit 99
	}
	if ! (cd "$course_abs/.." && "$sim" check-course \
		"$(basename "$course_abs")" --export "$lessondir") >"$tmp/export.log" 2>&1; then
		cat "$tmp/export.log" >&2
		echo "check-real.sh: the course in $course_abs has errors (run check-course on it)" >&2
		exit 99
	fi
	for rs in "$lessondir"/*.rs; do
		[ -f "$rs" ] || continue
		n=$(basename "$rs" .rs)
		if [ -n "${dir_of[$n]:-}" ]; then
			echo "check-real.sh: $n.rs is both in $progdir and a lesson program" >&2
			exit 99
		fi
		dir_of[$n]=$lessondir
		all_names+=("$n")
	done
fi

if [ ${#names[@]} -eq 0 ]; then
	names=("${all_names[@]}")
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "check-real.sh: no programs in $progdir" >&2
	exit 99
fi
for name in "${names[@]}"; do
	if [ -z "${dir_of[$name]:-}" ]; then
		echo "check-real.sh: no program $name (not in $progdir${lessondir:+ nor in the course})" >&2
		exit 99
	fi
done

# markers FILE: the "// real:" markers of the leading comment block, one per
# line, e.g. "skip (too slow)", "sort-lines (threads)", "exit 101".
markers() {
	sed -n -e '/^[[:space:]]*$/d' -e '/^\/\//!q' \
		-e 's/^\/\/[[:space:]]*real:[[:space:]]*//p' "$1"
}

# sim_args FILE: the value of "// sim-args:" in the leading comment block.
sim_args() {
	sed -n -e '/^[[:space:]]*$/d' -e '/^\/\//!q' \
		-e 's/^\/\/[[:space:]]*sim-args:[[:space:]]*//p' "$1" | head -n 1
}

# A throwaway cargo project: crates-io replaced by the unpacked crates that
# Debian installs, so nothing is downloaded. The default #[tokio::main] needs
# rt-multi-thread; flavor = "current_thread" needs only rt.
proj=$tmp/proj
mkdir -p "$proj/.cargo" "$proj/src/bin"
cat >"$proj/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "debian-packaged"

[source.debian-packaged]
directory = "$registry"

[net]
offline = true
EOF
cat >"$proj/Cargo.toml" <<'EOF'
[package]
name = "async-tutorial-real"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "1", features = ["rt", "rt-multi-thread", "macros", "time"] }
futures = "0.3"

# The simulator models a debug build: integer overflow panics.
[profile.dev]
debug = false
overflow-checks = true
EOF
for name in "${names[@]}"; do
	cp "${dir_of[$name]}/$name.rs" "$proj/src/bin/$name.rs"
done

target=${CHECK_REAL_TARGET_DIR:-$tmp/target}
case $target in
/*) ;;
*) target=$(pwd)/$target ;;
esac
case $target/ in
"$top"/*)
	echo "check-real.sh: CHECK_REAL_TARGET_DIR must be outside the source tree" >&2
	exit 99
	;;
esac

# version_at_least VERSION MAJOR MINOR: VERSION (e.g. "1.65.0") is MAJOR.MINOR
# or later. An unparsable VERSION counts as older.
version_at_least() {
	local major minor
	major=$(sed -n 's/^\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1/p' <<<"$1")
	minor=$(sed -n 's/^\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\2/p' <<<"$1")
	[ -n "$major" ] && [ -n "$minor" ] || return 1
	[ "$major" -gt "$2" ] || { [ "$major" -eq "$2" ] && [ "$minor" -ge "$3" ]; }
}

cargo_version=$("$cargo" --version)
# `cargo build --keep-going` is stable from cargo 1.74 on; cargo 1.65
# (Debian 12) rejects it.
keep_going=0
if version_at_least "${cargo_version#cargo }" 1 74; then
	keep_going=1
fi

cargo_build() {
	(cd "$proj" && CARGO_TARGET_DIR=$target "$cargo" build --offline \
		--message-format=short "$@")
}

echo "check-real.sh: building ${#names[@]} programs with $cargo_version"
build_start=$(date +%s)
# A binary left in a reused target directory must not stand in for a program
# that no longer compiles: cargo puts back only what it builds (or finds up to
# date) now.
for name in "${names[@]}"; do
	rm -f "$target/debug/$name"
done
build_status=0
if [ $keep_going = 1 ]; then
	cargo_build --bins --keep-going >"$tmp/build.log" 2>&1 || build_status=$?
else
	cargo_build --bins >"$tmp/build.log" 2>&1 || build_status=$?
	if [ $build_status -ne 0 ] && grep -q 'src/bin/.*: error' "$tmp/build.log"; then
		# One program's error stopped cargo, perhaps before it compiled
		# others. The crates are built by now: build each program alone.
		echo "check-real.sh: $cargo_version has no --keep-going; building the programs one by one"
		for name in "${names[@]}"; do
			cargo_build --bin "$name" >>"$tmp/build.log" 2>&1 || true
		done
	fi
fi
echo "check-real.sh: built in $(($(date +%s) - build_start)) s"
if [ $build_status -ne 0 ] && ! grep -q 'src/bin/.*: error' "$tmp/build.log"; then
	# Not one program's fault: the crates, the toolchain, the project.
	cat "$tmp/build.log"
	echo "check-real.sh: cargo failed before compiling the programs" >&2
	exit 99
fi
if [ -f "$proj/Cargo.lock" ]; then
	versions=$(awk '/^name = /{n=$3} /^version = /{gsub(/"/,"",n); v=$3; gsub(/"/,"",v); if (n=="tokio"||n=="futures-util") { printf "%s%s %s", sep, n, v; sep = ", " } }' "$proj/Cargo.lock")
	echo "check-real.sh: resolved $versions"
fi

# The rustc that built the programs (see the header): the one cargo really
# ran, which need not be the `rustc` on PATH nor cargo's own version.
rustc_version=
for name in "${names[@]}"; do
	if [ -x "$target/debug/$name" ]; then
		rustc_version=$(grep -a -o -m 1 'rustc version [0-9][0-9.]*' \
			"$target/debug/$name" | head -n 1 | sed 's/^rustc version //') || true
		break
	fi
done
rustc_source="read from the programs"
if [ -z "$rustc_version" ]; then
	rustc_version=$(cd "$proj" && "${RUSTC:-rustc}" --version 2>/dev/null |
		sed -n 's/^rustc \([0-9][0-9.]*\).*/\1/p') || true
	rustc_source="from ${RUSTC:-rustc} --version"
fi
# Rust 1.73 changed the panic message's layout and assert_eq!'s wording.
old_panics=0
if [ -z "$rustc_version" ]; then
	echo "check-real.sh: could not tell which rustc built the programs; assuming Rust 1.73 or later"
elif ! version_at_least "$rustc_version" 1 73; then
	old_panics=1
	echo "check-real.sh: rustc $rustc_version ($rustc_source) prints panics in the pre-1.73 form: normalized as the header says"
	if [ "$mode" = save ]; then
		echo "check-real.sh: --save-goldens needs rustc 1.73 or later (the goldens hold the 1.73+ panic form)" >&2
		exit 99
	fi
else
	echo "check-real.sh: rustc $rustc_version ($rustc_source)"
fi

# ---- comparing -----------------------------------------------------------------

# strict_err NAME < stderr > stderr as the simulator prints it when run from
# tests/programs/ on NAME.rs: the location's path is reduced to NAME.rs, and
# the OS thread id that Rust 1.89 and later print after the thread's name
# (`thread 'main' (28438) panicked at`) is removed, since a simulation has no
# OS thread ids. Everything else is kept: the empty line that Rust 1.95 prints
# before `thread ... panicked`, LINE:COL and the RUST_BACKTRACE note.
strict_err() {
	sed -E "s#^(thread '[^']*')( \\([0-9]+\\))? panicked at (.*/)?($1\\.rs:[0-9]+:[0-9]+:)\$#\\1 panicked at \\4#"
}

# loose_err NAME < stderr > the default comparison form (see the header): as
# strict_err, but LOCATION becomes <location>, and the RUST_BACKTRACE note and
# the empty line before a panic message are dropped.
loose_err() {
	# shellcheck disable=SC2016 # the backquotes are Rust's text
	strict_err "$1" |
		sed -E -e "s#^(thread '[^']*' panicked at ).*:[0-9]+:[0-9]+:\$#\\1<location>:#" \
			-e '/^note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace$/d' |
		awk '/^$/ { blank++; next }
			/^thread .* panicked at / { blank = 0 }
			{ while (blank > 0) { print ""; blank-- } print }
			END { while (blank > 0) { print ""; blank-- } }'
}

# What replaces a panic message whose wording changed in Rust 1.73, on both
# sides, when the programs were built by an older rustc (header, item 2).
unmatched_wording='<message not compared: assert_eq!/assert_ne! word it differently before Rust 1.73>'

# modernize_panics < stderr of a program built by rustc < 1.73 > the same in
# the 1.73 form (header, items 1 and 2): `thread 'T' panicked at 'MSG', LOC`,
# where MSG may run over several lines, becomes `thread 'T' panicked at LOC:`
# and MSG's lines; an assert_eq!/assert_ne! MSG becomes $unmatched_wording.
# LOC is what follows the last `', ` of the line that ends the message.
modernize_panics() {
	# q is the single quote, which cannot appear in this shell-quoted program.
	awk -v unmatched="$unmatched_wording" -v q="'" '
		BEGIN {
			start_re = "^thread " q "[^" q "]*" q " panicked at " q
			end_re = q ", [^" q "]*:[0-9]+:[0-9]+$"
		}
		function emit(   i) {
			print head loc ":"
			if (msg[1] ~ /^assertion failed: `\(left [!=]= right\)`/)
				print unmatched
			else
				for (i = 1; i <= m; i++) print msg[i]
			n = 0; m = 0; inpanic = 0
		}
		{
			if (!inpanic) {
				if (!match($0, start_re)) { print; next }
				head = substr($0, 1, RLENGTH - 1)
				text = substr($0, RLENGTH + 1)
				inpanic = 1; n = 0; m = 0
			} else {
				text = $0
			}
			raw[++n] = $0
			if (match(text, end_re)) {
				msg[++m] = substr(text, 1, RSTART - 1)
				loc = substr(text, RSTART + 3)
				emit()
			} else {
				msg[++m] = text
			}
		}
		END { for (i = 1; i <= n; i++) if (inpanic) print raw[i] }'
}

# hide_changed_wording < stderr in the 1.73+ form > the same with each
# assert_eq!/assert_ne! message (from `assertion `left == right` failed`
# through the ` right: ` line) replaced by $unmatched_wording.
hide_changed_wording() {
	awk -v unmatched="$unmatched_wording" -v q="'" '
		BEGIN { head_re = "^thread " q "[^" q "]*" q ".* panicked at .*:$" }
		state == 2 {
			buf[++n] = $0
			if ($0 ~ /^ right: /) { print unmatched; state = 0 }
			next
		}
		state == 1 && /^assertion `left [!=]= right` failed/ {
			n = 0; buf[++n] = $0; state = 2; next
		}
		{
			print
			state = ($0 ~ head_re) ? 1 : 0
		}
		END { if (state == 2) for (i = 1; i <= n; i++) print buf[i] }'
}

# old_rustc_view < normalized stderr > the same without the empty lines just
# before a panic, and, in the strict form, with <column> for the column
# (header, items 3 and 4). Applied to both sides only with rustc < 1.73.
old_rustc_view() {
	sed -E "s#^(thread '[^']*' panicked at .*:[0-9]+):[0-9]+:\$#\\1:<column>:#" |
		awk '/^$/ { blank++; next }
			/^thread .* panicked at / { blank = 0 }
			{ while (blank > 0) { print ""; blank-- } print }
			END { while (blank > 0) { print ""; blank-- } }'
}

normalize_err() {
	if [ "${CHECK_REAL_STRICT_STDERR:-0}" = 1 ]; then
		strict_err "$1"
	else
		loose_err "$1"
	fi | if [ $old_panics = 1 ]; then old_rustc_view; else cat; fi
}

passed=0
failed=0
skipped=0

# timed_out STATUS: a remark when STATUS is timeout(1)'s.
timed_out() {
	if [ "$1" = 124 ]; then
		echo " (timed out)"
	fi
}

# same LABEL_A FILE_A LABEL_B FILE_B: compare, printing a diff when different.
same() {
	if cmp -s "$2" "$4"; then
		return 0
	fi
	diff -u --label "$1" --label "$3" "$2" "$4" | head -n 60 | sed 's/^/    /' || true
	return 1
}

for name in "${names[@]}"; do
	rs=${dir_of[$name]}/$name.rs
	m=$(markers "$rs")
	skip_reason=$(sed -n 's/^skip[[:space:]]*//p' <<<"$m" | head -n 1)
	sort_lines=0
	if grep -q '^sort-lines' <<<"$m"; then
		sort_lines=1
	fi
	want=$(sed -n 's/^exit[[:space:]]*\([0-9][0-9]*\).*/\1/p' <<<"$m" | head -n 1)
	want=${want:-0}

	# A lesson program's first comment says where it is in its lesson.
	from=
	if [ "${dir_of[$name]}" = "$lessondir" ]; then
		from=$(sed -n '1s#^// \([^:]*:[0-9]*\): .*#\1#p' "$rs")
	fi

	if [ -n "$skip_reason" ]; then
		skipped=$((skipped + 1))
		echo "SKIP $name $skip_reason"
		continue
	fi

	ok=1
	d=$tmp/run/$name
	mkdir -p "$d"
	# Explanations and diffs go to the report, printed after PASS/FAIL.
	report=$d/report
	: >"$report"
	bin=$target/debug/$name
	if [ ! -x "$bin" ]; then
		echo "FAIL $name"
		if [ -n "$from" ]; then echo "    (the program at $from)"; fi
		echo "    rustc did not build it:"
		# (awk: a program built again alone repeats its messages)
		grep -E "src/bin/$name\\.rs" "$tmp/build.log" | awk '!seen[$0]++' | sed 's/^/    /' || true
		failed=$((failed + 1))
		continue
	fi
	if grep -q "^src/bin/$name\\.rs:[0-9]*:[0-9]*: warning" "$tmp/build.log"; then
		echo "    rustc warns about $name.rs (the programs must build warning-free):"
		grep "^src/bin/$name\\.rs:" "$tmp/build.log" | awk '!seen[$0]++' | sed 's/^/    /'
		ok=0
	fi >>"$report"

	# Run in the temporary directory, without RUST_BACKTRACE so that panics
	# print exactly the default text.
	real_status=0
	(cd "$d" && env -u RUST_BACKTRACE -u RUST_LIB_BACKTRACE \
		timeout "${CHECK_REAL_TIMEOUT:-30}" "$bin") \
		</dev/null >"$d/real.out" 2>"$d/real.err" || real_status=$?
	if [ "$real_status" -ne "$want" ]; then
		echo "    the real program exited with status $real_status$(timed_out "$real_status"), expected $want"
		sed 's/^/    real stderr: /' "$d/real.err" | head -n 10
		ok=0
	fi >>"$report"
	# An old rustc's panics in the 1.73 form (header, items 1 and 2), before
	# any sorting; real.err.raw keeps what the program printed.
	note=
	if [ $old_panics = 1 ]; then
		mv "$d/real.err" "$d/real.err.raw"
		modernize_panics <"$d/real.err.raw" >"$d/real.err"
		if grep -qxF "$unmatched_wording" "$d/real.err"; then
			note=" (old rustc: message wording not compared)"
		fi
	fi
	if [ $sort_lines = 1 ]; then
		LC_ALL=C sort "$d/real.out" >"$d/real.out.s" && mv "$d/real.out.s" "$d/real.out"
		LC_ALL=C sort "$d/real.err" >"$d/real.err.s" && mv "$d/real.err.s" "$d/real.err"
	fi
	strict_err "$name" <"$d/real.err" >"$d/real.golden-err"

	case $mode in
	save)
		cp "$d/real.out" "$progdir/$name.out"
		if [ -s "$d/real.golden-err" ]; then
			cp "$d/real.golden-err" "$progdir/$name.err"
		else
			rm -f "$progdir/$name.err"
		fi
		;;
	real-only)
		if [ -f "$progdir/$name.out" ]; then
			same "golden/$name.out" "$progdir/$name.out" "real/$name.out" "$d/real.out" >>"$report" || ok=0
		else
			echo "    no golden $name.out" >>"$report"
			ok=0
		fi
		golden=$progdir/$name.err
		[ -f "$golden" ] || golden=/dev/null
		real_err=$d/real.golden-err
		if [ $old_panics = 1 ]; then
			# The goldens are Rust 1.95's (header, items 2 to 4).
			hide_changed_wording <"$golden" | old_rustc_view >"$d/golden.err"
			old_rustc_view <"$real_err" >"$d/real.golden-err.n"
			golden=$d/golden.err
			real_err=$d/real.golden-err.n
		fi
		same "golden/$name.err" "$golden" "real/$name.err" "$real_err" >>"$report" || ok=0
		;;
	sim)
		# Like tests/programs.test: from the programs' directory, on NAME.rs.
		sim_status=0
		# shellcheck disable=SC2046 # sim-args holds several words
		(cd "${dir_of[$name]}" && timeout "${CHECK_REAL_SIM_TIMEOUT:-60}" \
			"$sim" run --output-only $(sim_args "$rs") "$name.rs") \
			</dev/null >"$d/sim.out" 2>"$d/sim.err" || sim_status=$?
		if [ $old_panics = 1 ]; then
			mv "$d/sim.err" "$d/sim.err.raw"
			hide_changed_wording <"$d/sim.err.raw" >"$d/sim.err"
		fi
		if [ $sort_lines = 1 ]; then
			LC_ALL=C sort "$d/sim.out" >"$d/sim.out.s" && mv "$d/sim.out.s" "$d/sim.out"
			LC_ALL=C sort "$d/sim.err" >"$d/sim.err.s" && mv "$d/sim.err.s" "$d/sim.err"
		fi
		if [ "$sim_status" -ne "$real_status" ]; then
			echo "    exit status: real $real_status, simulator $sim_status$(timed_out "$sim_status")" >>"$report"
			ok=0
		fi
		same "real/$name.out" "$d/real.out" "sim/$name.out" "$d/sim.out" >>"$report" || ok=0
		normalize_err "$name" <"$d/real.err" >"$d/real.err.n"
		normalize_err "$name" <"$d/sim.err" >"$d/sim.err.n"
		same "real/$name.err" "$d/real.err.n" "sim/$name.err" "$d/sim.err.n" >>"$report" || ok=0
		;;
	esac

	if [ $ok = 1 ]; then
		passed=$((passed + 1))
		echo "PASS $name$note"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		if [ -n "$from" ]; then echo "    (the program at $from)"; fi
	fi
	cat "$report"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || exit 1
exit 0
