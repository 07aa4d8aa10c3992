// panic_assert: assert_eq! with a custom message shows both sides when it fails.
// real: exit 101
fn main() {
    let prices = vec![3, 4, 2];
    let mut sum = 0;
    for p in prices.iter() {
        sum += p;
    }
    assert!(sum > 0);
    println!("the sum is {sum}");
    assert_eq!(sum, 10, "the basket should cost {}", 10);
    println!("not reached");
}
