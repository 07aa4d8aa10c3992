// spawn_abandoned: when main returns, the runtime shuts down and drops every
// task that is still running. Nothing waits for them, unlike joined threads.
use std::time::{Duration, Instant};

async fn save_report(n: u64) {
    println!("report {n}: writing");
    tokio::time::sleep(Duration::from_millis(200 * n)).await;
    println!("report {n}: saved");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    for n in 1..=4 {
        tokio::spawn(save_report(n));
    }
    println!("main: spawned 4 reports");
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!(
        "main: returning after {:.1} s; reports 3 and 4 are dropped unfinished",
        start.elapsed().as_secs_f64()
    );
}
