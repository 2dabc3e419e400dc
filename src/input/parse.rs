//! Field parsers working on bytes, so the hot path makes no `String` per
//! field: ISO dates, money with at most two places, flags and vocabulary words.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a field's text is not the value its column holds. Each carries the
/// text as [`shown`] in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    DateShape(String),
    NotCalendarDate(String),
    /// `profile_hint`: the text has a currency symbol, separator or
    /// bracket, which a mapping profile would clean.
    NotMoney {
        found: String,
        profile_hint: bool,
    },
    DecimalPlaces(String),
    TooLarge(String),
    NotFlag(String),
    NotWord {
        found: String,
        expected: String,
    },
    NotShare(String),
    ShareOutOfRange(String),
}

impl ParseError {
    /// For an amount that is a number but no amount: why, without the text.
    pub fn amount_why(&self) -> Option<&'static str> {
        match self {
            ParseError::DecimalPlaces(_) => Some("has more than 2 decimal places"),
            ParseError::TooLarge(_) => Some("is too large for an amount"),
            ParseError::DateShape(_)
            | ParseError::NotCalendarDate(_)
            | ParseError::NotMoney { .. }
            | ParseError::NotFlag(_)
            | ParseError::NotWord { .. }
            | ParseError::NotShare(_)
            | ParseError::ShareOutOfRange(_) => None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::DateShape(t) => write!(f, "expected a date as YYYY-MM-DD, found {t}"),
            ParseError::NotCalendarDate(t) => write!(f, "{t} is not a calendar date"),
            ParseError::NotMoney {
                found,
                profile_hint,
            } => {
                f.write_str("expected an amount like 412.50")?;
                if *profile_hint {
                    f.write_str(
                        " (no currency symbols, thousands separators or brackets: \
                         a mapping profile handles those)",
                    )?;
                }
                write!(f, ", found {found}")
            }
            ParseError::DecimalPlaces(t) | ParseError::TooLarge(t) => {
                write!(f, "{t} {}", self.amount_why().unwrap_or_default())
            }
            ParseError::NotFlag(t) => write!(f, "expected true or false, found {t}"),
            ParseError::NotWord { found, expected } => {
                write!(f, "expected one of {expected}; found {found}")
            }
            ParseError::NotShare(t) => write!(f, "expected a share like 75% or 0.75, found {t}"),
            ParseError::ShareOutOfRange(t) => {
                write!(f, "expected a share between 0% and 100%, found {t}")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Trims ASCII whitespace from both ends.
pub fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// Shows a value in an error message: quoted, invalid bytes escaped
/// (`\xe9`), and cut short if long.
pub fn shown(b: &[u8]) -> String {
    const MAX: usize = 40;
    let cut = b.len() > MAX;
    let head = if cut { &b[..MAX] } else { b };
    let quoted = match std::str::from_utf8(head) {
        Ok(t) => format!("{t:?}"),
        // A cut may split a character: show what is there as escaped bytes.
        Err(_) => format!("\"{}\"", head.escape_ascii()),
    };
    if cut {
        format!("{quoted}... ({} bytes)", b.len())
    } else {
        quoted
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |n, d| {
        n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

/// `2026-04-06`. Errors say whether the shape or the calendar was wrong.
pub fn date(b: &[u8]) -> Result<NaiveDate, ParseError> {
    let b = trim(b);
    let shape_err = || ParseError::DateShape(shown(b));
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(shape_err());
    }
    let (y, m, d) = match (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(shape_err()),
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| ParseError::NotCalendarDate(shown(b)))
}

/// A decimal with at most two places and an optional leading sign: `412.50`,
/// `-12`, `.5`. Currency symbols and separators come in through profiles.
pub fn money(b: &[u8]) -> Result<Decimal, ParseError> {
    let t = trim(b);
    let (negative, rest) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (whole, frac) = match rest.iter().position(|&c| c == b'.') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return Err(ParseError::NotMoney {
            found: shown(t),
            profile_hint: (t.iter()).any(|c| matches!(c, b',' | b'(' | 0xC2 | 0xA3 | b'$')),
        });
    }
    if frac.len() > 2 {
        return Err(ParseError::DecimalPlaces(shown(t)));
    }
    if whole.len() > 15 {
        return Err(ParseError::TooLarge(shown(t)));
    }
    let mut mantissa: i64 = 0;
    for &c in whole.iter().chain(frac) {
        mantissa = mantissa * 10 + i64::from(c - b'0');
    }
    if negative {
        mantissa = -mantissa;
    }
    Ok(Decimal::new(mantissa, frac.len() as u32))
}

/// `true/false`, `yes/no`, `y/n`, `1/0`; empty is false.
pub fn flag(b: &[u8]) -> Result<bool, ParseError> {
    let t = trim(b);
    match t.to_ascii_lowercase().as_slice() {
        b"" | b"false" | b"no" | b"n" | b"0" => Ok(false),
        b"true" | b"yes" | b"y" | b"1" => Ok(true),
        _ => Err(ParseError::NotFlag(shown(t))),
    }
}

/// A contract word (`weekly`, `assured`...), case-insensitive. `expected`
/// lists the words, for the error (made only when there is one).
pub fn word<T>(
    b: &[u8],
    from_word: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> Result<T, ParseError> {
    let t = trim(b);
    let not_word = || ParseError::NotWord {
        found: shown(t),
        expected: expected(),
    };
    let Ok(s) = std::str::from_utf8(t) else {
        return Err(not_word());
    };
    // Most files use the contract's own lower case: no copy for those.
    from_word(s)
        .or_else(|| from_word(&s.to_ascii_lowercase()))
        .ok_or_else(not_word)
}

/// `75%`, `75` or `0.75`, all meaning three quarters.
pub fn share(s: &str) -> Result<Decimal, ParseError> {
    let t = s.trim();
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t, false),
    };
    let v: Decimal = number
        .trim()
        .parse()
        .map_err(|_| ParseError::NotShare(format!("{s:?}")))?;
    let v = if percent || v > Decimal::ONE {
        v / Decimal::from(100)
    } else {
        v
    };
    if v <= Decimal::ZERO || v > Decimal::ONE {
        return Err(ParseError::ShareOutOfRange(format!("{s:?}")));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn dates_are_iso_and_real() {
        assert_eq!(
            date(b" 2026-04-06 "),
            Ok(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap())
        );
        let message = |b: &[u8]| date(b).map_err(|e| e.to_string());
        assert_eq!(
            message(b"2026-02-31"),
            Err("\"2026-02-31\" is not a calendar date".to_string())
        );
        assert_eq!(
            message(b"06/04/2026"),
            Err("expected a date as YYYY-MM-DD, found \"06/04/2026\"".to_string())
        );
    }

    #[test]
    fn money_keeps_pennies_exact() {
        assert_eq!(money(b"412.50"), Ok(Decimal::from_str("412.50").unwrap()));
        assert_eq!(money(b"-12"), Ok(Decimal::from(-12)));
        assert_eq!(money(b".5"), Ok(Decimal::from_str("0.5").unwrap()));
        assert_eq!(
            money(b"0.1").unwrap() + money(b"0.2").unwrap(),
            money(b"0.3").unwrap()
        );
        let message = |b: &[u8]| money(b).map_err(|e| e.to_string()).unwrap_err();
        assert_eq!(
            message(b"1.234"),
            "\"1.234\" has more than 2 decimal places"
        );
        assert_eq!(
            message(b"\xc2\xa31,234.50"),
            "expected an amount like 412.50 (no currency symbols, thousands separators or \
             brackets: a mapping profile handles those), found \"£1,234.50\""
        );
        assert_eq!(
            message(b"1e5"),
            "expected an amount like 412.50, found \"1e5\""
        );
        assert!(money(b"").is_err());
        assert!(money(b"-").is_err());
        assert!(money(b"1e5").is_err());
    }

    #[test]
    fn flags_accept_common_spellings() {
        assert_eq!(flag(b"Yes"), Ok(true));
        assert_eq!(flag(b""), Ok(false));
        assert!(flag(b"maybe").is_err());
    }
}
