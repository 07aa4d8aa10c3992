// spawn_results: tokio::spawn starts tasks that run in the background. A task
// begins only when the main task gives the runtime a chance (at an .await),
// and awaiting its JoinHandle gives back a Result with the task's value.
use std::time::{Duration, Instant};

async fn square_later(n: u64) -> u64 {
    println!("task {n}: started");
    tokio::time::sleep(Duration::from_millis(100 * n)).await;
    println!("task {n}: woke up");
    n * n
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let mut handles = Vec::new();
    for n in 1..=3 {
        handles.push(tokio::spawn(square_later(n)));
        println!("main: spawned task {n}");
    }
    println!("main: no task has started yet");
    tokio::time::sleep(Duration::from_millis(150)).await;
    println!("main: slept 150 ms");
    let mut total = 0;
    for handle in handles {
        let square = handle.await.unwrap();
        println!("main: a task returned {square}");
        total += square;
    }
    println!("main: total {total} after {:.1} s", start.elapsed().as_secs_f64());
}
