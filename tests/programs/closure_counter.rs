// closure_counter: closures that change variables they capture (FnMut). The
// borrow lasts as long as the closure is used; afterwards the variable can
// be read again.
fn main() {
    let mut counter = 0;
    let mut bump = || counter += 1;
    bump();
    bump();
    bump();
    println!("counter is {counter}");

    let mut log = Vec::new();
    let mut record = |event: &str| {
        log.push(format!("{}: {}", log.len() + 1, event));
    };
    record("opened");
    record("read 3 lines");
    record("closed");
    for line in log.iter() {
        println!("{line}");
    }

    let mut total = 0;
    let mut add_twice = |x: i32| {
        total += x;
        total += x;
    };
    for i in 1..=4 {
        add_twice(i);
    }
    println!("total is {total}");

    let mut steps = 0;
    let mut countdown = move |from: i32| {
        steps += 1;
        println!("step {steps}: {}", from - steps);
    };
    countdown(10);
    countdown(10);
    println!("the outer steps is still {steps}");
}
