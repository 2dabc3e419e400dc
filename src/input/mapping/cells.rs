//! Cells as a profile reads and writes them: money cleaned of symbols and
//! separators, dates and amounts written as their `Display` writes them,
//! codes lower-cased, without a formatter or an allocation per cell.

use std::fmt::Write;

use super::error::{FieldProblem, NotMoney};
use crate::recon::store::digits::push_digits;

/// `f` of `code` lower-cased: on the stack where it is short and ASCII, as
/// codes are.
pub(super) fn lowercase<R>(code: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 16];
    if let Some(lower) = buf.get_mut(..code.len()).filter(|_| code.is_ascii()) {
        lower.copy_from_slice(code.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&code.to_lowercase())
}

/// `d` as ISO 8601, as its `Display` writes it, without the formatter for
/// the years a rent account has.
pub(super) fn iso_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike;
    let Ok(year) = u32::try_from(d.year()) else {
        let _ = write!(out, "{d}");
        return;
    };
    if year > 9999 {
        let _ = write!(out, "{d}");
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(d.month() / 10));
    out.push(digit(d.month()));
    out.push('-');
    out.push(digit(d.day() / 10));
    out.push(digit(d.day()));
}

/// `d` as its `Display` writes it, without the formatter for the amounts
/// rows hold (up to 18 digits, at most two places).
pub(super) fn push_decimal(out: &mut String, d: rust_decimal::Decimal) {
    let (Ok(mantissa), scale @ 0..=2) = (i64::try_from(d.mantissa()), d.scale()) else {
        let _ = write!(out, "{d}");
        return;
    };
    // As Display does, a negative zero keeps its sign.
    if d.is_sign_negative() {
        out.push('-');
    }
    let pow = 10u64.pow(scale);
    let (whole, frac) = (mantissa.unsigned_abs() / pow, mantissa.unsigned_abs() % pow);
    push_digits(out, whole);
    if scale > 0 {
        out.push('.');
        if scale == 2 {
            out.push(char::from(b'0' + (frac / 10) as u8));
        }
        out.push(char::from(b'0' + (frac % 10) as u8));
    }
}

/// What a profile accepts as money, quoting the cell as it was.
pub(super) fn money_problem(original: &str) -> FieldProblem {
    let cleaned = clean_money(original).unwrap_or_default();
    let why = (crate::input::parse::money(cleaned.as_bytes()).err())
        .and_then(|e| e.amount_why())
        .map(str::to_string);
    FieldProblem::Money {
        found: original.to_string(),
        why,
    }
}

/// `£1,234.50` -> `1234.50`; `(12.00)` and `12.00-` -> `-12.00`. Anything
/// else is left for the amount parser to judge.
pub fn clean_money(text: &str) -> Result<String, NotMoney> {
    let mut out = String::new();
    clean_money_into(text, &mut out)?;
    Ok(out)
}

/// The money in a cell, cleaned (see [`clean_money`]) onto the end of
/// `made` and read; on a failure `made` is left as it was.
pub(super) fn money_into(text: &str, made: &mut String) -> Option<rust_decimal::Decimal> {
    let start = made.len();
    let money = clean_money_into(text, made)
        .ok()
        .and_then(|()| crate::input::parse::money(&made.as_bytes()[start..]).ok());
    if money.is_none() {
        made.truncate(start);
    }
    money
}

/// The money in a cell, as [`clean_money`] and then the amount parser read
/// it, cleaned on the stack a byte at a time rather than into a `String`.
pub(super) fn read_money(text: &str) -> Option<rust_decimal::Decimal> {
    // Most cells are a plain number, perhaps after a pound sign: cleaning
    // would leave them as they are.
    let trimmed = text.trim();
    let plain = trimmed.strip_prefix('£').unwrap_or(trimmed);
    if !plain.ends_with('-')
        && (plain.bytes()).all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
    {
        return crate::input::parse::money(plain.as_bytes()).ok();
    }
    let mut out: smallvec::SmallVec<[u8; 32]> = smallvec::SmallVec::new();
    let mut bytes = trimmed.as_bytes();
    // `£` is C2 A3, a no-break space C2 A0 and `€` E2 82 AC: whole
    // characters, as the text is UTF-8.
    while let Some((&b, rest)) = bytes.split_first() {
        bytes = match (b, rest) {
            (b',' | b' ' | b'$', _) => rest,
            (0xC2, [0xA3 | 0xA0, after @ ..]) | (0xE2, [0x82, 0xAC, after @ ..]) => after,
            _ => {
                out.push(b);
                rest
            }
        };
    }
    if out.starts_with(b"GBP") {
        out.drain(..3);
    }
    if out.len() > 2 && out.first() == Some(&b'(') && out.last() == Some(&b')') {
        out.pop();
        out[0] = b'-';
    } else if out.last() == Some(&b'-') {
        out.pop();
        out.insert(0, b'-');
    }
    crate::input::parse::money(&out).ok()
}

/// [`clean_money`], appending to `out` (left as it was on an error).
pub(super) fn clean_money_into(text: &str, out: &mut String) -> Result<(), NotMoney> {
    let start = out.len();
    // The text between the symbols and separators, a run at a time.
    let mut rest = text.trim();
    while let Some(at) = rest.find(['£', '$', '€', ',', ' ', '\u{a0}']) {
        out.push_str(&rest[..at]);
        let skip = rest[at..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[at + skip..];
    }
    out.push_str(rest);
    if out[start..].starts_with("GBP") {
        out.replace_range(start..start + 3, "");
    }
    let t = &out[start..];
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        out.pop();
        out.replace_range(start..=start, "-");
    } else if t.ends_with('-') {
        out.pop();
        out.insert(start, '-');
    }
    if out.len() == start && !text.trim().is_empty() {
        return Err(NotMoney(text.trim().to_string()));
    }
    Ok(())
}
