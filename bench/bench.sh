#!/usr/bin/env bash
# The benchmarks behind `make bench`: each budget of design.md section 7
# measured as the median of several runs, printed as one table.
#
# Usage: bench/bench.sh [RUNS]   (env ASYNC_TUTORIAL: the binary to measure,
#                                 BENCH_DIR: where the benchmark programs are)
# Wall times come from the program's own --stats line (compile and run,
# without process start-up) except start-up, which is timed from outside.
# Memory is the process's peak resident size; bytes per future divide it by
# the futures the run created (a job and its sleep are two futures) and by
# the jobs.
set -euo pipefail

runs=${1:-5}
bin=${ASYNC_TUTORIAL:-src/async-tutorial}
dir=${BENCH_DIR:-$(dirname "$0")}
top=$(cd "$dir/.." && pwd)
million="$dir/million_futures.rs"
small="$top/tests/programs/join_all_10.rs"

if [ ! -x "$bin" ]; then
	echo "bench: build first: $bin not found" >&2
	exit 1
fi

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# stat KEY LINE: the value of KEY= in a --stats line.
stat() {
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"
}

# One --stats line per run of the million-future program.
million_runs() {
	local i
	for ((i = 0; i < runs; i++)); do
		"$bin" run --output-only --stats "$@" "$million" 2>&1 >/dev/null |
			grep '^stats: '
	done
}

row() {
	printf '%-46s %12s %10s  %s\n' "$1" "$2" "$3" "$4"
}

verdict() { # value budget: "ok" when value <= budget
	awk -v v="$1" -v b="$2" 'BEGIN { print (v <= b) ? "ok" : "OVER" }'
}

echo "async-tutorial benchmarks: median of $runs runs on $(uname -m), $(nproc) cores"
echo
row "what" "measured" "budget" ""
row "----" "--------" "------" ""

for mode in off on; do
	if [ "$mode" = off ]; then
		lines=$(million_runs)
		label="a million futures, trace off"
		wall_budget=3000
		bpf_budget=150
	else
		lines=$(million_runs --record)
		label="a million futures, full trace kept"
		wall_budget=6000
		bpf_budget=400
	fi
	wall=$(while read -r l; do stat wall_ms "$l"; done <<<"$lines" | median)
	rss=$(while read -r l; do stat peak_rss_kb "$l"; done <<<"$lines" | median)
	futures=$(stat futures "$(head -n 1 <<<"$lines")")
	per_future=$(awk -v r="$rss" -v f="$futures" 'BEGIN { printf "%.0f", r * 1024 / f }')
	per_job=$(awk -v r="$rss" 'BEGIN { printf "%.0f", r * 1024 / 1000000 }')
	row "$label: wall" "${wall} ms" "${wall_budget} ms" "$(verdict "$wall" "$wall_budget")"
	row "$label: peak memory" "$((rss / 1024)) MiB" "" ""
	row "  bytes per future ($futures futures)" "$per_future B" "$bpf_budget B" "$(verdict "$per_future" "$bpf_budget")"
	row "  bytes per job (a job and its sleep)" "$per_job B" "" ""
	if [ "$mode" = on ]; then
		events=$(stat events "$(head -n 1 <<<"$lines")")
		tbytes=$(stat trace_bytes "$(head -n 1 <<<"$lines")")
		row "  events recorded" "$events" "" ""
		row "  trace memory" "$((tbytes / 1048576)) MiB" "" ""
	fi
done

startup=$(for ((i = 0; i < runs; i++)); do
	s=$(date +%s%N)
	"$bin" run --output-only "$small" >/dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 1000))
done | median)
row "start-up to the end of a 10-future run" "$(awk -v u="$startup" 'BEGIN { printf "%.1f ms", u / 1000 }')" "50 ms" "$(verdict "$startup" 50000)"
first=$(for ((i = 0; i < runs; i++)); do
	ASYNC_TUTORIAL_BENCH_FRAMES=1 "$bin" run "$small" 2>&1 >/dev/null |
		sed -n 's/.* first_frame_ms=\([0-9.]*\).*/\1/p'
done | median)
row "start-up to the first frame (10 futures)" "$first ms" "50 ms" "$(verdict "$first" 50)"

# The visualizer on the million-future trace: one seek (with the queries a
# screen makes after it) to each of 1,000 cursors, and whole frames drawn
# off screen at 200x60 by the visualizer's bench hook.
if [ -n "${SEEK_BENCH:-}" ] && [ -x "$SEEK_BENCH" ]; then
	seek=$("$SEEK_BENCH" "$million" 1000)
	smed=$(stat median_ms "$seek")
	smax=$(stat max_ms "$seek")
	row "seek to a tick (1M-future trace): median" "$smed ms" "" ""
	row "  the slowest of 1,000 seeks" "$smax ms" "20 ms" "$(verdict "$smax" 20)"
	row "  indexing the trace (once, at load)" "$(stat build_ms "$seek") ms" "" ""
else
	row "seek to a tick (1M-future trace)" "skipped" "20 ms" "(no seek_bench)"
fi
frame=$(ASYNC_TUTORIAL_BENCH_FRAMES=50 "$bin" run "$million" 2>&1 >/dev/null | grep '^tui-bench:')
fmed=$(stat median_ms "$frame")
row "one TUI frame at 200x60 (1M-future trace)" "$fmed ms" "5 ms" "$(verdict "$fmed" 5)"
row "  one playback step and its frame" "$(stat step_median_ms "$frame") ms" "" ""

# The lab: a million real futures against their budget, then the same
# program with real Tokio and Node side by side (bench/lab.sh).
ASYNC_TUTORIAL=$bin BENCH_DIR=$dir bash "$dir/lab.sh" "$runs"
