// threads_100: the same job on a hundred OS threads. Still about one second.
// real: sort-lines (the OS decides which thread gets to print first)
use std::thread;
use std::time::{Duration, Instant};

fn job(n: u32) {
    println!("job {n} begins");
    thread::sleep(Duration::from_secs(1));
    println!("job {n} is over");
}

fn main() {
    let start = Instant::now();
    let count = 100;
    let mut handles = Vec::new();
    for n in 1..=count {
        handles.push(thread::spawn(move || job(n)));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    println!("{count} threads took {:.1} s", start.elapsed().as_secs_f64());
}
