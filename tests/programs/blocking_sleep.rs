// blocking_sleep: the classic mistake. std::thread::sleep inside an async fn
// blocks the one thread that polls every future, so the jobs run one after
// another: ten half-second jobs take five seconds instead of half a second.
use futures::future;
use std::thread;
use std::time::{Duration, Instant};

async fn job(n: u64) {
    println!("job {n} begins");
    thread::sleep(Duration::from_millis(500)); // blocks the executor!
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
