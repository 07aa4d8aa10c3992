// join_all_10: ten futures joined with join_all run at the same time on one
// thread, so ten one-second sleeps take one second.
use futures::future;
use std::time::{Duration, Instant};

async fn job(n: u64) {
    println!("job {n} begins");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("job {n} is over");
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let mut jobs = Vec::new();
    for n in 1..=10 {
        jobs.push(job(n));
    }
    future::join_all(jobs).await;
    println!("10 jobs took {:.1} s", start.elapsed().as_secs_f64());
}
