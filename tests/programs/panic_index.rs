// panic_index: an off-by-one loop reads past the end of a Vec. Rust checks
// every index and panics instead of reading garbage.
// real: exit 101
fn main() {
    let scores = vec![90, 75, 60];
    let mut i = 0;
    while i <= scores.len() {
        println!("score {} is {}", i, scores[i]);
        i += 1;
    }
    println!("not reached");
}
