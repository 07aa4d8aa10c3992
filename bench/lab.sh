#!/usr/bin/env bash
# The lab's part of `make bench`: a million real one-second futures on the
# lab's C executor, against its budget; then the same million-future
# program with real Tokio (built offline, in release mode, from Debian's
# crates) and with Node's Promise.all, side by side, and the ratios. A peer
# whose tools are missing is skipped with a note.
#
# Usage: bench/lab.sh [RUNS]   (bench/bench.sh calls it)
# Environment: ASYNC_TUTORIAL (the binary), BENCH_DIR (this directory),
#   CARGO (default: cargo on PATH, then ~/.cargo/bin, /root/.cargo/bin,
#   /usr/bin), CARGO_REGISTRY_DIR (default /usr/share/cargo/registry),
#   NODE (default: node on PATH), BENCH_KEEP=1 keeps the Tokio build.
#
# Every figure is the median of RUNS runs. The side-by-side table measures
# all three the same way, from outside: wall time around the process, peak
# resident size from /usr/bin/time, and bytes per future as the peak of the
# million-future run minus the peak of the same program with (almost) no
# futures, divided by a million.
set -euo pipefail

runs=${1:-5}
bin=${ASYNC_TUTORIAL:-src/async-tutorial}
dir=${BENCH_DIR:-$(dirname "$0")}
n=1000000

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

row() { # the rows of bench.sh's table, without trailing blanks
	printf '%-46s %12s %10s  %s\n' "$1" "$2" "$3" "$4" | sed 's/ *$//'
}

verdict() { # value budget: "ok" when value <= budget
	awk -v v="$1" -v b="$2" 'BEGIN { print (v <= b) ? "ok" : "OVER" }'
}

# field KEY LINE: the value of KEY= in a lab: line.
field() {
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	echo "bench: keeping $tmp" >&2
else
	trap 'rm -rf "$tmp"' EXIT
fi

# ---- the lab against its budget -------------------------------------------

lab_lines=$(for ((i = 0; i < runs; i++)); do
	"$bin" lab futures --n "$n" --sleep 1s </dev/null | grep '^lab: '
done)
lab_over=$(while read -r l; do field overhead_s "$l"; done <<<"$lab_lines" | median)
lab_wall=$(while read -r l; do field wall_s "$l"; done <<<"$lab_lines" | median)
lab_bpf=$(while read -r l; do field bytes_per_unit "$l"; done <<<"$lab_lines" | median)
lab_rss=$(while read -r l; do field peak_rss_kb "$l"; done <<<"$lab_lines" | median)
ms() { awk -v s="$1" 'BEGIN { printf "%.0f ms", s * 1000 }'; }
row "the lab: a million real 1 s futures: overhead" "$(ms "$lab_over")" "300 ms" "$(verdict "$lab_over" 0.3)"
row "  wall (the 1 s sleep included)" "$lab_wall s" "" ""
row "  bytes per future" "$lab_bpf B" "40 B" "$(verdict "$lab_bpf" 40)"
row "  peak memory" "$((${lab_rss%.*} / 1024)) MiB" "" ""

# ---- side by side -----------------------------------------------------------

# measure CMD...: runs CMD once, printing "WALL_SECONDS PEAK_KB" (the peak
# is "?" without GNU time).
have_time=0
[ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o "$tmp/probe" true 2>/dev/null && have_time=1
measure() {
	local s e peak="?"
	s=$(date +%s%N)
	if [ "$have_time" = 1 ]; then
		/usr/bin/time -f '%M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" </dev/null
		peak=$(tail -n 1 "$tmp/time")
	else
		"$@" >/dev/null 2>"$tmp/stderr" </dev/null
	fi
	e=$(date +%s%N)
	awk -v s="$s" -v e="$e" -v p="$peak" 'BEGIN { printf "%.3f %s\n", (e - s) / 1e9, p }'
}

# peer NAME BASELINE_CMD -- MILLION_CMD: the medians of both, as one line
# "NAME WALL PEAK_KB BYTES_PER_FUTURE" in $tmp/peers.
peer() {
	local name=$1 i base=() million=()
	shift
	while [ "$1" != -- ]; do
		base+=("$1")
		shift
	done
	shift
	million=("$@")
	local base_peak wall peak
	base_peak=$(for ((i = 0; i < runs; i++)); do measure "${base[@]}"; done | awk '{ print $2 }' | median)
	for ((i = 0; i < runs; i++)); do measure "${million[@]}"; done >"$tmp/runs"
	wall=$(awk '{ print $1 }' "$tmp/runs" | median)
	peak=$(awk '{ print $2 }' "$tmp/runs" | median)
	awk -v n="$name" -v w="$wall" -v p="$peak" -v b="$base_peak" -v f="$n" \
		'BEGIN { printf "%s\t%s\t%s\t%.0f\n", n, w, p, (p - b) * 1024 / f }' >>"$tmp/peers"
}

notes=()
: >"$tmp/peers"

peer "lab (C, async-tutorial)" "$bin" lab futures --n 1 --sleep 1ms -- \
	"$bin" lab futures --n "$n" --sleep 1s

# Tokio: the same program as the simulator's bench/million_futures.rs, built
# like tests/check-real.sh builds the real programs: a throwaway cargo
# project whose crates-io is Debian's unpacked crates, offline.
cargo=${CARGO:-}
if [ -z "$cargo" ]; then
	for c in "$(command -v cargo 2>/dev/null || true)" "${HOME:-/nonexistent}/.cargo/bin/cargo" \
		/root/.cargo/bin/cargo /usr/bin/cargo; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			cargo=$c
			break
		fi
	done
fi
registry=${CARGO_REGISTRY_DIR:-/usr/share/cargo/registry}
tokio_name=
if [ -z "$cargo" ]; then
	notes+=("Tokio: skipped, no cargo found (install Rust).")
elif ! ls -d "$registry"/tokio-[0-9]* >/dev/null 2>&1 || ! ls -d "$registry"/futures-[0-9]* >/dev/null 2>&1; then
	notes+=("Tokio: skipped, no tokio or futures crate in $registry (apt-get install librust-tokio-dev librust-futures-dev).")
else
	proj=$tmp/tokio
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
name = "async-tutorial-bench"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "1", features = ["rt", "rt-multi-thread", "macros", "time"] }
futures = "0.3"
EOF
	cp "$dir/million_futures.rs" "$proj/src/bin/million.rs"
	# The same program with no futures: what Tokio itself takes.
	sed 's/0\.\.1_000_000/0..0/' "$dir/million_futures.rs" >"$proj/src/bin/none.rs"
	cargo_dir=$(dirname "$cargo")
	if (cd "$proj" && PATH=$cargo_dir:$PATH CARGO_TARGET_DIR=$proj/target \
		"$cargo" build --release --offline --quiet) >"$tmp/cargo.log" 2>&1; then
		tokio_version=$(awk '/^name = "tokio"$/ { t = 1; next } t && /^version/ { gsub(/"/, "", $3); print $3; exit }' "$proj/Cargo.lock")
		tokio_name="Tokio $tokio_version (release)"
		peer "$tokio_name" "$proj/target/release/none" -- "$proj/target/release/million"
	else
		notes+=("Tokio: skipped, the build failed: $(tail -n 1 "$tmp/cargo.log")")
	fi
fi

node=${NODE:-$(command -v node 2>/dev/null || true)}
node_name=
if [ -z "$node" ]; then
	notes+=("Node: skipped, node is not installed.")
else
	node_name="Node $("$node" --version) Promise.all"
	peer "$node_name" "$node" "$dir/million_futures.js" 0 -- "$node" "$dir/million_futures.js" "$n"
fi

echo
echo "Side by side: a million futures, each sleeping 1 s, joined (median of $runs runs)"
echo
printf '%-30s %9s %12s %12s %12s\n' "" "wall" "beyond 1 s" "peak memory" "per future"
while IFS=$'\t' read -r name wall peak bpf; do
	over=$(awk -v w="$wall" 'BEGIN { printf "%.3f s", w - 1 }')
	if [ "$peak" = "?" ]; then
		mem="?" bpf="?"
	else
		mem=$(awk -v p="$peak" 'BEGIN { if (p >= 1048576) printf "%.1f GiB", p / 1048576; else printf "%.0f MiB", p / 1024 }')
		bpf="$bpf B"
	fi
	printf '%-30s %9s %12s %12s %12s\n' "$name" "$wall s" "$over" "$mem" "$bpf"
done <"$tmp/peers"

# The ratios: each peer against the lab.
lab_row=$(head -n 1 "$tmp/peers")
tail -n +2 "$tmp/peers" | while IFS=$'\t' read -r name wall peak bpf; do
	awk -F'\t' -v lab="$lab_row" -v name="$name" -v w="$wall" -v b="$bpf" 'BEGIN {
		split(lab, l, "\t")
		lo = l[2] - 1; po = w - 1
		if (lo < 0.001) lo = 0.001
		tr = po / lo
		printf "%s against the lab: %.0fx the time beyond the sleep, %.1fx the wall time", name, tr, w / l[2]
		if (l[4] > 0 && b != "?") printf ", %.0fx the memory per future", b / l[4]
		printf "\n"
	}'
done
for note in "${notes[@]+"${notes[@]}"}"; do
	echo "$note"
done
