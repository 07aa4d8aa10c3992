#!/usr/bin/env bash
# research.sh: reproduces the measurements in tests/real/README.md with real
# Tokio: the order of join_all's "end" lines for many futures, tokio::spawn
# and tokio::join! ordering, under both runtime flavors. Not part of any test
# suite; run it by hand:
#
#   tests/real/research.sh [RUNS]      (default 10 runs per configuration)
#
# It builds tests/real/research/*.rs offline against Debian's crates in a
# temporary directory, like tests/check-real.sh, and prints, for each
# configuration, every distinct outcome with how many runs produced it.
# The join_all outcomes are written as runs of consecutive "end" numbers,
# e.g. "1-128 131-258 129-130" means end 1..128, then 131..258, then 129, 130.

if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -euo pipefail

runs=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
registry=${CARGO_REGISTRY_DIR:-/usr/share/cargo/registry}
cargo=${CARGO:-$(command -v cargo || echo "$HOME/.cargo/bin/cargo")}
[ -x "$cargo" ] || { echo "skipped: no cargo"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/research.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/.cargo" "$tmp/src/bin"
cat >"$tmp/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "debian-packaged"
[source.debian-packaged]
directory = "$registry"
[net]
offline = true
EOF
cat >"$tmp/Cargo.toml" <<'EOF'
[package]
name = "research"
version = "0.1.0"
edition = "2021"
publish = false
[dependencies]
tokio = { version = "1", features = ["rt", "rt-multi-thread", "macros", "time"] }
futures = "0.3"
EOF
cp "$here"/research/*.rs "$tmp/src/bin/"
(cd "$tmp" && "$cargo" build --offline --bins --quiet)
awk '/^name = /{n=$3} /^version = /{gsub(/"/,"",n); v=$3; gsub(/"/,"",v);
	if (n ~ /^"?(tokio|tokio-macros|futures|futures-util)"?$/) print "resolved:", n, v}' "$tmp/Cargo.lock"
echo "rustc: $(rustc --version 2>/dev/null || echo unknown)"
bin=$tmp/target/debug

# end_runs: the "end" numbers of one run, as runs of consecutive numbers,
# plus whether every start came first and in order.
end_runs() {
	awk '
	/^start / { s++; if ($2 != s) bad = 1; if (ended) late = 1 }
	/^end / {
		ended = 1
		if (have && $2 == hi + 1) { hi = $2; next }
		if (have) out = out (lo == hi ? lo : lo "-" hi) " "
		lo = hi = $2; have = 1
	}
	END {
		if (have) out = out (lo == hi ? lo : lo "-" hi)
		if (bad) out = "(starts out of order) " out
		if (late) out = "(a start after an end) " out
		print out
	}'
}

for n in 10 31 100 128 129 130 131 300 1000; do
	for mode in shared sleep; do
		for flavor in current multi; do
			echo "== join_all of $n, $mode deadline, ${flavor}_thread flavor:"
			for _ in $(seq "$runs"); do
				"$bin/join_all_order" "$n" "$mode" "$flavor" | end_runs
			done | sort | uniq -c | sort -rn
		done
	done
done

for flavor in current multi; do
	echo "== tokio::spawn, ${flavor}_thread flavor:"
	for _ in $(seq "$runs"); do
		"$bin/spawn_order" "$flavor" | paste -sd '|'
	done | sort | uniq -c | sort -rn
	echo "== tokio::join!, ${flavor}_thread flavor:"
	for _ in $(seq "$runs"); do
		"$bin/join_order" "$flavor" | paste -sd '|'
	done | sort | uniq -c | sort -rn
done
