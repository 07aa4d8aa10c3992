// threads_1000: a thousand OS threads. On a real Linux machine with default
// limits this works (about one second); on a small machine such as the Rust
// Playground, spawning fails part-way with "failed to spawn thread: Os { code:
// 11, kind: WouldBlock, ... }". The simulator's default "playground" profile
// shows that failure; the golden output is the real, successful run, which
// the simulator reproduces under its "laptop" profile.
// real: sort-lines (the OS decides which thread gets to print first)
// sim-args: --profile laptop
use std::thread;
use std::time::{Duration, Instant};

fn job(n: u32) {
    println!("job {n} begins");
    thread::sleep(Duration::from_secs(1));
    println!("job {n} is over");
}

fn main() {
    let start = Instant::now();
    let count = 1000;
    let mut handles = Vec::new();
    for n in 1..=count {
        handles.push(thread::spawn(move || job(n)));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    // Whole seconds: creating a thousand threads costs real time too (about
    // a tenth of a second here), which is not what this program is about.
    println!("{count} threads took {:.0} s", start.elapsed().as_secs_f64());
}
