// staggered_sleeps: job n sleeps n * 100 ms. The jobs are created from 10 down
// to 1, so they begin in that order but finish shortest first.
use futures::future;
use std::time::{Duration, Instant};

async fn job(n: u64) {
    println!("job {n} begins");
    tokio::time::sleep(Duration::from_millis(n * 100)).await;
    println!("job {n} is over");
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let mut jobs = Vec::new();
    for n in (1..=10).rev() {
        jobs.push(job(n));
    }
    future::join_all(jobs).await;
    println!("all jobs took {:.1} s", start.elapsed().as_secs_f64());
}
