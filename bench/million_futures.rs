// The series' headline: a million futures, each sleeping one second,
// joined and awaited together. No prints inside, so the run measures the
// futures themselves.
use futures::future;
use std::time::{Duration, Instant};

async fn job(_n: u64) {
    tokio::time::sleep(Duration::from_secs(1)).await;
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let mut jobs = Vec::new();
    for n in 0..1_000_000 {
        jobs.push(job(n));
    }
    future::join_all(jobs).await;
    println!("a million futures took {:.1} s", start.elapsed().as_secs_f64());
}
