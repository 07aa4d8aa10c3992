// closures_vecs: closures (borrowing and moving), Vec operations, ranges
// counted backwards with .rev(), and tuples. closure_counter.rs has closures
// that change a captured variable.
fn main() {
    let double = |x: i32| x * 2;
    let offset = 10;
    let shift = |x: i32| x + offset;
    println!("double(21) = {}, shift(5) = {}", double(21), shift(5));

    let mut squares = Vec::new();
    for i in 1..=5 {
        squares.push(i * i);
    }
    println!(
        "{:?} has {} items, first {}, last {}",
        squares,
        squares.len(),
        squares[0],
        squares[squares.len() - 1]
    );
    squares[1] = 99;
    let mut total = 0;
    for s in squares.iter() {
        total += s;
    }
    println!("after the change: {:?}, total {total}", squares);

    for i in (1..=3).rev() {
        print!("{i}... ");
    }
    println!("liftoff");
    for i in (0..4).rev() {
        print!("{i} ");
    }
    println!();

    let mut words = Vec::with_capacity(3);
    words.push(String::from("alpha"));
    words.push("beta".to_string());
    words.push(format!("gamma{}", 3));
    let shout = move || {
        for w in words.into_iter() {
            println!("{w}!");
        }
    };
    shout();

    let empty: Vec<i32> = Vec::new();
    println!("empty.is_empty() = {}, squares.is_empty() = {}", empty.is_empty(), squares.is_empty());

    let point = (3, -4);
    let (px, py) = point;
    println!("point {:?}: x = {}, y = {}, also {} and {}", point, px, py, point.0, point.1);
    let nested = ((1, 2), "label", vec![5, 6]);
    println!("{:?}", nested);

    let make_greeting = |name: &str| format!("hello, {name}");
    println!("{}", make_greeting("closure"));
}
