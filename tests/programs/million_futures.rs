// million_futures: a million futures, each sleeping one second, with no
// prints inside them. Only the summary is printed.
// real: skip (real Tokio needs 5 to 9 s and 2.1 GB for this; see tests/real/README.md)
use futures::future;
use std::time::Duration;

async fn tick(n: u64) -> u64 {
    tokio::time::sleep(Duration::from_secs(1)).await;
    n
}

#[tokio::main]
async fn main() {
    let mut ticks = Vec::with_capacity(1_000_000);
    for n in 1..=1_000_000 {
        ticks.push(tick(n));
    }
    println!("created {} futures", ticks.len());
    let results = future::join_all(ticks).await;
    let mut total: u64 = 0;
    for r in results.iter() {
        total += r;
    }
    println!("{} futures finished; their numbers add up to {}", results.len(), total);
}
