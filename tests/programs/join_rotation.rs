// join_rotation: when several branches of tokio::join! become ready in the
// same instant, the order of their prints shows that join! does not always
// poll its first branch first: each poll starts one branch further along, so
// that no branch can starve the others.
use std::time::{Duration, Instant};

async fn brew(drink: &str) -> String {
    println!("{drink}: brewing");
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("{drink}: ready");
    drink.to_string()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (a, b) = tokio::join!(brew("tea"), brew("coffee"));
    println!("served {a} and {b}");
    let (a, b, c) = tokio::join!(brew("tea"), brew("coffee"), brew("cocoa"));
    println!("served {a}, {b} and {c}");
    println!("took {:.1} s", start.elapsed().as_secs_f64());
}
