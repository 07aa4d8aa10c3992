// format_specs: the format! mini-language: width, alignment, fill with zeros,
// precision, Debug output with {:?}, escaped braces, and positional arguments.
fn main() {
    let name = "ferris";
    let count = 42;
    let price = 19.987;
    let items = vec![3, 1, 4];
    let pair = (7, "seven");

    println!("[{}] [{:8}] [{:>8}] [{:<8}] [{:^8}]", name, name, name, name, name);
    println!("[{:5}] [{:>5}] [{:<5}] [{:^5}] [{:05}]", count, count, count, count, count);
    println!("[{:.2}] [{:8.1}] [{:<8.3}] [{:.0}]", price, price, price, price);
    println!("{} {} {:?} {:?}", 2.0, 0.25, 2.0, 0.25);
    println!("{:?} {:?} {:?}", name, items, pair);
    let note = String::from("tab\there \"quoted\"");
    println!("{} / {:?}", note, note);
    println!("{{braces}} and {count} inline, {0}-{1}-{0} by position", "a", "b");
    let label = format!("{}x{}", count, count + 1);
    println!("label {label} has {} bytes", label.len());
    print!("one ");
    print!("line ");
    println!("from three macros");
    println!("{:>6}|{:<6}|{:^6}|", -5, true, "mid");
    eprintln!("this line goes to stderr");
}
