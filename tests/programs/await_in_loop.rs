// await_in_loop: the other classic mistake. Awaiting the futures one by one in
// a for loop runs them one by one, so ten half-second jobs take five seconds.
use std::time::{Duration, Instant};

async fn job(n: u64) {
    println!("job {n} begins");
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("job {n} is over");
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let mut jobs = Vec::new();
    for n in 1..=10 {
        jobs.push(job(n));
    }
    for one_job in jobs {
        one_job.await; // each await finishes before the next job starts
    }
    println!("10 jobs took {:.1} s", start.elapsed().as_secs_f64());
}
