// panic_div_zero: integer division by zero panics.
// real: exit 101
fn main() {
    let total = 120;
    let group_sizes = vec![5, 4, 3, 0, 2];
    for size in group_sizes {
        println!("{total} split into groups of {size}: {} groups", total / size);
    }
}
