// arithmetic_loops: integer arithmetic (including what / and % do with
// negative numbers) and the loop forms: while, loop with break, for with
// continue, and nested loops.
fn main() {
    let a = 17;
    let b = 5;
    println!("{a} / {b} = {}, {a} % {b} = {}", a / b, a % b);
    let c = -17;
    println!("{c} / {b} = {}, {c} % {b} = {}", c / b, c % b);
    let big: u64 = 4_000_000_000;
    println!("{big} * 3 = {}", big * 3);
    let mut x: i64 = 7;
    x += 3;
    x *= 4;
    x -= 1;
    x /= 3;
    x %= 5;
    println!("x ends up as {x}");

    let mut n = 27;
    let mut steps = 0;
    while n != 1 {
        if n % 2 == 0 {
            n /= 2;
        } else {
            n = 3 * n + 1;
        }
        steps += 1;
    }
    println!("27 reaches 1 after {steps} steps");

    let mut power = 1;
    loop {
        power *= 3;
        if power > 1000 {
            break;
        }
    }
    println!("first power of 3 above 1000: {power}");

    let mut odd_sum = 0;
    for i in 1..=10 {
        if i % 2 == 0 {
            continue;
        }
        odd_sum += i;
    }
    println!("1 + 3 + 5 + 7 + 9 = {odd_sum}");

    print!("primes below 30:");
    for candidate in 2..30 {
        let mut is_prime = true;
        let mut d = 2;
        while d * d <= candidate {
            if candidate % d == 0 {
                is_prime = false;
                break;
            }
            d += 1;
        }
        if is_prime {
            print!(" {candidate}");
        }
    }
    println!();

    let mut found = 0;
    for i in 1..10 {
        for j in 1..10 {
            if i * j == 24 && i <= j {
                println!("{i} * {j} = 24");
                found += 1;
            }
        }
    }
    assert_eq!(found, 2);
    assert!(found > 0, "there is always a way to make 24");
    println!("done: {} {} {}", 7 > 3, 2 == 3, !(1 < 2) || 4 != 5);
}
