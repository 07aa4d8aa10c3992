// panic_unwrap_err: a thread panics, so joining it gives an Err, and calling
// unwrap on that Err panics the main thread as well.
// real: exit 101
use std::thread;

fn main() {
    let worker = thread::spawn(|| {
        println!("worker: starting");
        panic!("worker: the input file is missing");
    });
    let result = worker.join();
    println!("main: the worker has stopped");
    result.unwrap();
    println!("main: not reached");
}
