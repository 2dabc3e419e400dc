//! Decimal digits written straight into a buffer, without the formatter:
//! millions of rows are given `file:line` ids and counted ids this way.

/// Appends `file:line` to `buf`: the id a profile makes from a line, for a
/// file with no id column. Without the formatter: millions of rows are
/// given such ids as they are read, and bank lines keyed by them.
pub fn push_line_id(buf: &mut String, file: &str, line: u64) {
    buf.push_str(file);
    buf.push(':');
    push_digits(buf, line);
}

/// Appends `n` in decimal, as its `Display` writes it.
pub fn push_digits(buf: &mut String, n: u64) {
    push_padded(buf, n, 1);
}

/// Appends `n` in decimal with leading zeros to at least `width` digits.
pub fn push_padded(buf: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let at = digits_before(n, &mut digits, 20);
    buf.extend(std::iter::repeat_n(
        '0',
        width.saturating_sub(digits.len() - at),
    ));
    // Digits are ASCII: always UTF-8.
    if let Ok(digits) = std::str::from_utf8(&digits[at..]) {
        buf.push_str(digits);
    }
}

/// Writes `n`'s decimal digits into `buf` so that they end just before
/// `end`, and returns where they start. `buf` needs room for 20 digits
/// before `end` (`u64::MAX` has 20).
pub fn digits_before(mut n: u64, buf: &mut [u8], end: usize) -> usize {
    let mut at = end;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_line_id_is_written_as_the_formatter_writes_it(line in proptest::num::u64::ANY, n in 0u64..1000) {
            for line in [line, n] {
                let mut id = String::from("x");
                push_line_id(&mut id, "bank.csv", line);
                proptest::prop_assert_eq!(id, format!("xbank.csv:{line}"));
            }
        }
    }
}
