// await_three: three .awaits in a row. Each call runs to the end before the
// next one starts, so three one-second chores take three seconds.
use std::time::{Duration, Instant};

async fn chore(n: u32) {
    println!("chore {n}: begin");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("chore {n}: end");
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    chore(1).await;
    chore(2).await;
    chore(3).await;
    println!("three chores took {:.1} s", start.elapsed().as_secs_f64());
}
