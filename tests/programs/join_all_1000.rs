// join_all_1000: a thousand futures under join_all. Threads failed at this
// size on a small machine; futures are cheap, so this still takes one second.
// real: sort-lines (the "is over" order depends on real timing: see below)
// With more than 128 children ready at once, Tokio's cooperative budget makes
// join_all push two children to the back of its queue, and which children are
// ready together depends on how the 1 ms timer ticks fall in real time.
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
    for n in 1..=1000 {
        jobs.push(job(n));
    }
    future::join_all(jobs).await;
    println!("1000 jobs took {:.1} s", start.elapsed().as_secs_f64());
}
