// panic_overflow: factorials in an i32 overflow at 13!. A debug build checks
// integer arithmetic and panics rather than wrapping around.
// real: exit 101
fn main() {
    let mut product: i32 = 1;
    for n in 1..=15 {
        product *= n;
        println!("{n}! = {product}");
    }
}
