// Research program: tokio::join! with branches that become ready at the same
// time. join! starts each poll one branch further along (rotation), which
// shows in the order of the "end" lines.   join_order current|multi
use std::time::Duration;

async fn branch(name: &str, ms: u64) -> u64 {
    println!("{name} start");
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("{name} end");
    ms
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
        let (a, b) = tokio::join!(branch("a", 300), branch("b", 300));
        println!("joined {a} {b}");
        let (a, b, c) = tokio::join!(branch("a", 300), branch("b", 300), branch("c", 300));
        println!("joined {a} {b} {c}");
        let (a, b, c) = tokio::join!(branch("a", 300), branch("b", 200), branch("c", 100));
        println!("joined {a} {b} {c}");
    });
}
