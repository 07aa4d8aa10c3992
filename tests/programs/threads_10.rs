// threads_10: ten OS threads, each sleeping for one second.
// The threads sleep at the same time, so the program takes one second, not ten.
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
    let mut handles = Vec::new();
    for n in 1..=10 {
        handles.push(thread::spawn(move || job(n)));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    println!("10 threads took {:.1} s", start.elapsed().as_secs_f64());
}
