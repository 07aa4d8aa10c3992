#!/usr/bin/env bash
# check-real.sh: the differential test. Every program in tests/programs/ is
# built with the real Rust compiler against the real Tokio and futures crates
# (Debian's packaged copies, offline), run for real, and run in the simulator;
# the two must print the same thing.
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
#   NAME...         only these programs (file names without .rs).
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
# Markers, in a program's leading // comments (several may be given):
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
# Output: one line per program, `PASS name`, `FAIL name` (with a unified
# diff, - real, + simulator) or `SKIP name (reason)`, then the summary
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
while [ $# -gt 0 ]; do
	case $1 in
	--real-only) mode=real-only ;;
	--save-goldens) mode=save ;;
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

if [ ${#names[@]} -eq 0 ]; then
	for rs in "$progdir"/*.rs; do
		[ -f "$rs" ] && names+=("$(basename "$rs" .rs)")
	done
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "check-real.sh: no programs in $progdir" >&2
	exit 99
fi
for name in "${names[@]}"; do
	if [ ! -f "$progdir/$name.rs" ]; then
		echo "check-real.sh: no program $progdir/$name.rs" >&2
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-real.XXXXXX") || exit 99
if [ "${CHECK_REAL_KEEP:-0}" = 1 ]; then
	echo "check-real.sh: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 130' INT TERM

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
	cp "$progdir/$name.rs" "$proj/src/bin/$name.rs"
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

echo "check-real.sh: building ${#names[@]} programs with $("$cargo" --version)"
build_start=$(date +%s)
build_status=0
(cd "$proj" && CARGO_TARGET_DIR=$target "$cargo" build --offline --bins \
	--keep-going --message-format=short) >"$tmp/build.log" 2>&1 ||
	build_status=$?
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

normalize_err() {
	if [ "${CHECK_REAL_STRICT_STDERR:-0}" = 1 ]; then
		strict_err "$1"
	else
		loose_err "$1"
	fi
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
	rs=$progdir/$name.rs
	m=$(markers "$rs")
	skip_reason=$(sed -n 's/^skip[[:space:]]*//p' <<<"$m" | head -n 1)
	sort_lines=0
	if grep -q '^sort-lines' <<<"$m"; then
		sort_lines=1
	fi
	want=$(sed -n 's/^exit[[:space:]]*\([0-9][0-9]*\).*/\1/p' <<<"$m" | head -n 1)
	want=${want:-0}

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
		echo "    rustc did not build it:"
		grep -E "src/bin/$name\\.rs" "$tmp/build.log" | sed 's/^/    /' || true
		failed=$((failed + 1))
		continue
	fi
	if grep -q "^src/bin/$name\\.rs:[0-9]*:[0-9]*: warning" "$tmp/build.log"; then
		echo "    rustc warns about $name.rs (the programs must build warning-free):"
		grep "^src/bin/$name\\.rs:" "$tmp/build.log" | sed 's/^/    /'
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
		same "golden/$name.err" "$golden" "real/$name.err" "$d/real.golden-err" >>"$report" || ok=0
		;;
	sim)
		# Like tests/programs.test: from the programs' directory, on NAME.rs.
		sim_status=0
		# shellcheck disable=SC2046 # sim-args holds several words
		(cd "$progdir" && timeout "${CHECK_REAL_SIM_TIMEOUT:-60}" \
			"$sim" run --output-only $(sim_args "$rs") "$name.rs") \
			</dev/null >"$d/sim.out" 2>"$d/sim.err" || sim_status=$?
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
		echo "PASS $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
	fi
	cat "$report"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || exit 1
exit 0
