// lazy_futures: calling an async fn only builds a future. Nothing in its body
// runs until the future is awaited, and join_all does no work by itself either.
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
    for n in 1..=5 {
        jobs.push(job(n));
    }
    println!("made the futures: {} of them, and none has begun", jobs.len());
    let everything = future::join_all(jobs);
    println!(
        "joined them after {:.1} s, and still none has begun",
        start.elapsed().as_secs_f64()
    );
    println!("now awaiting the joined future...");
    everything.await;
    println!("the joined future is done after {:.1} s", start.elapsed().as_secs_f64());
}
