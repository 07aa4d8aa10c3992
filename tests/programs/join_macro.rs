// join_macro: tokio::join! runs a fixed number of futures at the same time
// and returns all their results as a tuple.
use std::time::{Duration, Instant};

async fn fetch_width() -> u32 {
    println!("width: asking");
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("width: known");
    80
}

async fn fetch_height() -> u32 {
    println!("height: asking");
    tokio::time::sleep(Duration::from_millis(200)).await;
    println!("height: known");
    24
}

async fn fetch_title() -> String {
    println!("title: asking");
    tokio::time::sleep(Duration::from_millis(100)).await;
    println!("title: known");
    String::from("demo")
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let (w, h) = tokio::join!(fetch_width(), fetch_height());
    println!("size {w}x{h} after {:.1} s", start.elapsed().as_secs_f64());
    let (w, h, title) = tokio::join!(fetch_width(), fetch_height(), fetch_title());
    println!("{title} is {w}x{h}; {:.1} s in total", start.elapsed().as_secs_f64());
}
