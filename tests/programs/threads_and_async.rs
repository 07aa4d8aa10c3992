// threads_and_async: an OS thread and async tasks side by side. The helper
// thread sleeps with std::thread::sleep, which is fine on its own thread,
// while three downloads wait together on the async runtime.
use futures::future;
use std::thread;
use std::time::{Duration, Instant};

fn helper() {
    thread::sleep(Duration::from_millis(500));
    println!("helper thread: half a second has passed");
    thread::sleep(Duration::from_millis(1000));
    println!("helper thread: finished");
}

async fn download(n: u64) -> u64 {
    println!("download {n}: requested");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("download {n}: arrived");
    n * 10
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let helper_handle = thread::spawn(|| helper());
    let sizes = future::join_all(vec![download(1), download(2), download(3)]).await;
    println!(
        "main: sizes {:?} after {:.1} s",
        sizes,
        start.elapsed().as_secs_f64()
    );
    // Joining a thread blocks this async fn; that is acceptable here only
    // because nothing else is left for the runtime to do.
    helper_handle.join().unwrap();
    println!("main: helper joined after {:.1} s", start.elapsed().as_secs_f64());
}
