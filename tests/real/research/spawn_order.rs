// Research program: where do the prints of tokio::spawn'ed tasks fall
// relative to main's prints, under each flavor?   spawn_order current|multi
use std::time::Duration;

async fn worker(n: u64) -> u64 {
    println!("task {n}: started");
    tokio::time::sleep(Duration::from_millis(100 * n)).await;
    println!("task {n}: woke up");
    n * n
}

fn main() {
    let multi = std::env::args().nth(1).as_deref() == Some("multi");
    let runtime = if multi {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    }
    .unwrap();
    runtime.block_on(async {
        let mut handles = Vec::new();
        for n in 1..=3 {
            handles.push(tokio::spawn(worker(n)));
            println!("main: spawned task {n}");
        }
        println!("main: all spawned");
        tokio::time::sleep(Duration::from_millis(150)).await;
        println!("main: slept 150 ms");
        for h in handles {
            let v = h.await.unwrap();
            println!("main: got {v}");
        }
        // Tasks still running when main returns are dropped, not awaited.
        tokio::spawn(async {
            println!("late task: started");
            tokio::time::sleep(Duration::from_secs(5)).await;
            println!("late task: never printed");
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        println!("main: returning");
    });
}
