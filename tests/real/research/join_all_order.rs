// Research program (not part of the Rust subset): in what order do the "end"
// lines of join_all come out under real Tokio?
//
//   join_all_order N sleep|shared current|multi [polls]
//
// N futures each print "start n", sleep one second, and print "end n".
// "sleep" gives each future its own tokio::time::sleep(1 s), as the lessons
// do: the deadlines spread over the real time it takes to print the starts.
// "shared" gives all of them one deadline (sleep_until), so every timer fires
// in the same batch: the order then shows the cooperative budget alone.
// "polls" also prints "--- poll K" each time the runtime polls the joined
// future.
use futures::future;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

async fn foo(n: u64, deadline: Option<Instant>) {
    println!("start {n}");
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => tokio::time::sleep(Duration::from_secs(1)).await,
    }
    println!("end {n}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: join_all_order N sleep|shared current|multi [polls]");
        std::process::exit(2);
    }
    let n: u64 = args[1].parse().expect("N");
    let shared = args[2] == "shared";
    let runtime = if args[3] == "multi" {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    }
    .unwrap();
    let show_polls = args.get(4).map(|s| s == "polls").unwrap_or(false);
    runtime.block_on(async {
        let deadline = if shared { Some(Instant::now() + Duration::from_secs(1)) } else { None };
        let futures: Vec<_> = (1..=n).map(|i| foo(i, deadline)).collect();
        let mut joined = Box::pin(future::join_all(futures));
        let mut polls = 0;
        future::poll_fn(|cx| {
            polls += 1;
            if show_polls {
                println!("--- poll {polls}");
            }
            joined.as_mut().poll(cx)
        })
        .await;
    });
}
