// The series' million-future program in Node, for `make bench`: a million
// promises, each resolved by a one-second timer, awaited together with
// Promise.all, as bench/million_futures.rs does with Tokio's join_all.
// Usage: node million_futures.js [N]   (N = 0 measures Node itself)
"use strict";

const n = Number(process.argv[2] ?? 1000000);

async function job(_n) {
	await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function main() {
	const start = process.hrtime.bigint();
	const jobs = [];
	for (let i = 0; i < n; i++) {
		jobs.push(job(i));
	}
	await Promise.all(jobs);
	const s = Number(process.hrtime.bigint() - start) / 1e9;
	console.log(`${n} futures took ${s.toFixed(1)} s`);
}

main();
