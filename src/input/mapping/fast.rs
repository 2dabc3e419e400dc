//! Quick readers for what a compiled plan meets on nearly every record:
//! plain dates and amounts, short ASCII codes, literal rule patterns. Each
//! answers only where it is sure; `None` leaves the record to the general
//! reader, whose answers and errors these never replace.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A date format read straight from its bytes, in its tidy width only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateFast {
    /// `%d/%m/%Y`, with `/`, `-` or `.` between: `06/04/2026`.
    DayFirst(u8),
    /// `%d %b %Y`: `6 Apr 2026` or `06 Apr 2026`.
    MonthName,
    /// `%Y-%m-%d`.
    Iso,
}

impl DateFast {
    /// The quick reader for `format`, where there is one.
    pub(super) fn of(format: &str) -> Option<DateFast> {
        match format {
            "%d/%m/%Y" => Some(DateFast::DayFirst(b'/')),
            "%d-%m-%Y" => Some(DateFast::DayFirst(b'-')),
            "%d.%m.%Y" => Some(DateFast::DayFirst(b'.')),
            "%d %b %Y" => Some(DateFast::MonthName),
            "%Y-%m-%d" => Some(DateFast::Iso),
            _ => None,
        }
    }

    /// The date `text` holds, where it is in the format's tidy width and
    /// is a calendar date; else `None` (the format's own reader judges).
    pub(super) fn read(self, text: &[u8]) -> Option<NaiveDate> {
        let (y, m, d) = match (self, text) {
            (DateFast::DayFirst(sep), [d0, d1, s0, m0, m1, s1, y @ ..])
                if *s0 == sep && *s1 == sep =>
            {
                (year(y)?, two(*m0, *m1)?, two(*d0, *d1)?)
            }
            (DateFast::MonthName, [d0, d1, b' ', rest @ ..]) => {
                let (m, y) = month_year(rest)?;
                (y, m, two(*d0, *d1)?)
            }
            (DateFast::MonthName, [d0, b' ', rest @ ..]) => {
                let (m, y) = month_year(rest)?;
                (y, m, digit(*d0)?)
            }
            (DateFast::Iso, [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) => {
                (year(&[*y0, *y1, *y2, *y3])?, two(*m0, *m1)?, two(*d0, *d1)?)
            }
            _ => return None,
        };
        NaiveDate::from_ymd_opt(y, m, d)
    }
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

fn two(a: u8, b: u8) -> Option<u32> {
    Some(digit(a)? * 10 + digit(b)?)
}

/// Exactly four digits.
fn year(y: &[u8]) -> Option<i32> {
    let [a, b, c, d] = y else {
        return None;
    };
    Some((two(*a, *b)? * 100 + two(*c, *d)?) as i32)
}

/// `Apr 2026`: a month's first three letters, a space, four digits.
fn month_year(rest: &[u8]) -> Option<(u32, i32)> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let [a, b, c, b' ', y @ ..] = rest else {
        return None;
    };
    let name = [*a, *b, *c].map(|l| l.to_ascii_lowercase());
    let month = MONTHS.iter().position(|m| **m == name)?;
    Some((month as u32 + 1, year(y)?))
}

/// An amount as plain as exports write it, `£1234.50` or `80`: digits (at
/// most fifteen), then perhaps a point and one or two places, after perhaps
/// a pound sign. Anything else is `None`, for the money cleaner.
pub(super) fn plain_money(text: &[u8]) -> Option<Decimal> {
    let t = match text {
        [0xC2, 0xA3, rest @ ..] => rest,
        _ => text,
    };
    let (whole, places) = match t.iter().position(|&b| b == b'.') {
        Some(at) => (&t[..at], &t[at + 1..]),
        None => (t, &[][..]),
    };
    if whole.is_empty() || whole.len() > 15 || (whole.len() < t.len() && places.is_empty()) {
        return None;
    }
    if places.len() > 2 {
        return None;
    }
    let mut mantissa: i64 = 0;
    for &b in whole.iter().chain(places) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        mantissa = mantissa * 10 + i64::from(digit);
    }
    Some(Decimal::new(mantissa, places.len() as u32))
}

/// Up to fifteen ASCII bytes and their length as one number (a table's
/// key with no copy or hash); `None` for more, or for any other byte.
pub(super) fn key(t: &[u8]) -> Option<u128> {
    let high = u64::from_le_bytes([0x80; 8]);
    if let (8..=15, Some(lo), Some(hi)) = (t.len(), t.first_chunk::<8>(), t.last_chunk::<8>()) {
        // Two overlapping words: the second's top bytes are the rest.
        let (lo, hi) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
        let rest = if t.len() == 8 {
            0
        } else {
            hi >> (8 * (16 - t.len()))
        };
        let x = u128::from(lo) | u128::from(rest) << 64 | (t.len() as u128) << 120;
        return ((lo | hi) & high == 0).then_some(x);
    }
    let mut buf = [0u8; 16];
    buf.get_mut(..t.len())
        .filter(|_| t.len() < 16)?
        .copy_from_slice(t);
    buf[15] = t.len() as u8;
    let x = u128::from_le_bytes(buf);
    (x & (u128::from(high) * (1 | 1 << 64)) == 0).then_some(x)
}

/// A code as a [`key`], lower-cased: codes compare as numbers.
pub(super) fn pack(code: &[u8]) -> Option<u128> {
    let x = key(code)?;
    // Each byte is under 0x80, so no sum carries into the next: its top
    // bit says whether it is at least `A`, and at least `[`.
    let ones = u128::from_le_bytes([0x01; 16]);
    let from_a = x.wrapping_add(ones * 0x3f);
    let past_z = x.wrapping_add(ones * 0x25);
    let upper = from_a & !past_z & (ones * 0x80);
    Some(x | (upper >> 2))
}

/// A rule's pattern that is plain text, perhaps case-insensitive (`(?i)`)
/// and perhaps anchored at the start (`^`): `(?i)council hb`.
#[derive(Clone, Debug)]
pub(super) struct Literal {
    anchored: bool,
    fold: bool,
    /// Lower-cased where `fold`.
    needle: Vec<u8>,
}

impl Literal {
    /// The literal `pattern` is, if it is only letters, digits, spaces and
    /// a few marks that match themselves.
    pub(super) fn of(pattern: &str) -> Option<Literal> {
        let (fold, rest) = match pattern.strip_prefix("(?i)") {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        let (anchored, rest) = match rest.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let plain = |b: &u8| b.is_ascii_alphanumeric() || b" _-/:,'".contains(b);
        if rest.is_empty() || !rest.bytes().all(|b| plain(&b)) {
            return None;
        }
        let mut needle = rest.as_bytes().to_vec();
        if fold {
            needle.make_ascii_lowercase();
        }
        Some(Literal {
            anchored,
            fold,
            needle,
        })
    }

    /// Whether the pattern matches `text`, where that is sure: `None` for
    /// text with any non-ASCII character, which a case-insensitive letter
    /// may match (`(?i)k` matches the Kelvin sign).
    pub(super) fn hit(&self, text: &[u8]) -> Option<bool> {
        if !text.is_ascii() {
            return None;
        }
        let n = self.needle.len();
        let at = |i: usize| {
            let window = &text[i..i + n];
            if self.fold {
                window.eq_ignore_ascii_case(&self.needle)
            } else {
                window == &self.needle[..]
            }
        };
        if text.len() < n {
            return Some(false);
        }
        if self.anchored {
            return Some(at(0));
        }
        let last = text.len() - n;
        let first = self.needle[0];
        let fold = self.fold && first.is_ascii_lowercase();
        // Eight bytes at a time: a zero byte where the needle's first is.
        let ones = u64::from_le_bytes([0x01; 8]);
        let (case, want) = (if fold { ones * 0x20 } else { 0 }, ones * u64::from(first));
        let mut from = 0;
        while let Some(chunk) = text.get(from..from + 8).filter(|_| from <= last) {
            let v = (u64::from_le_bytes(chunk.try_into().ok()?) | case) ^ want;
            let mut zero = v.wrapping_sub(ones) & !v & (ones * 0x80);
            while zero != 0 {
                let i = from + zero.trailing_zeros() as usize / 8;
                if i <= last && at(i) {
                    return Some(true);
                }
                zero &= zero - 1;
            }
            from += 8;
        }
        let starts = |b: u8| if fold { b | 0x20 == first } else { b == first };
        Some((from..=last).any(|i| starts(text[i]) && at(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tidy_dates_read_and_others_are_left() {
        let uk = DateFast::of("%d %b %Y").unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(uk.read(b"6 Apr 2026"), day(2026, 4, 6));
        assert_eq!(uk.read(b"06 aPR 2026"), day(2026, 4, 6));
        assert_eq!(uk.read(b"31 Apr 2026"), None);
        assert_eq!(uk.read(b"6 April 2026"), None);
        let slash = DateFast::of("%d/%m/%Y").unwrap();
        assert_eq!(slash.read(b"05/01/2026"), day(2026, 1, 5));
        assert_eq!(slash.read(b"5/01/2026"), None);
        assert_eq!(DateFast::of("%d/%m/%y"), None);
    }

    #[test]
    fn codes_pack_lower_cased_with_their_length() {
        assert_eq!(pack(b"RnT"), pack(b"rnt"));
        assert_ne!(pack(b"rnt"), pack(b"rnt\0"));
        assert_eq!(pack(b"[@`{"), pack(b"[@`{"));
        assert_ne!(pack(b"@"), pack(b"`"));
        assert_eq!(pack("é".as_bytes()), None);
        assert_eq!(pack(b"0123456789abcdef"), None);
    }

    #[test]
    fn only_plain_text_patterns_are_literals() {
        assert!(Literal::of("(?i)council hb").is_some());
        assert!(Literal::of("(?i)^dwp uc").is_some());
        for pattern in ["council.hb", "a|b", "(?i)x+", "^", "", "(?x)a b", "a$"] {
            assert!(Literal::of(pattern).is_none(), "{pattern}");
        }
        let kelvin = Literal::of("(?i)k").unwrap();
        assert_eq!(kelvin.hit("\u{212a}".as_bytes()), None);
    }

    /// The general reader of a format: chrono's, as the mapping reads it.
    fn chrono_reads(format: &str, text: &str) -> Option<NaiveDate> {
        let mut parsed = chrono::format::Parsed::new();
        chrono::format::parse(
            &mut parsed,
            text,
            chrono::format::StrftimeItems::new(format),
        )
        .ok()?;
        parsed.to_naive_date().ok()
    }

    proptest::proptest! {
        /// Where the quick reader reads a date, chrono reads the same; and
        /// it reads every date written in the format's tidy width.
        #[test]
        fn quick_dates_agree_with_chrono(
            (format, text) in proptest::sample::select(vec![
                ("%d/%m/%Y", "[0-9 ]{1,3}[/.-][0-9]{1,3}[/.-][+-]?[0-9]{2,5}"),
                ("%d-%m-%Y", "[0-9]{1,3}[/.-][0-9]{1,3}[/.-][0-9]{3,5} ?"),
                ("%d.%m.%Y", "[0-9]{1,3}[/.-][0-9]{1,3}[/.-][0-9]{3,5}"),
                ("%d %b %Y", "[0-9]{0,3} {1,2}(Jan|APR|sEp|May|Ju|Jun|Dec[a-z]?|[A-Za-z]{3}) {0,2}[0-9]{3,5}"),
                ("%Y-%m-%d", "[+-]?[0-9]{3,5}-[0-9]{1,3}-[0-9]{1,3}"),
            ])
            .prop_flat_map(|(f, re)| (Just(f), proptest::string::string_regex(re).unwrap())),
            (y, m, d) in (0i32..=9999, 1u32..13, 1u32..32),
        ) {
            let fast = DateFast::of(format).unwrap();
            if let Some(date) = fast.read(text.as_bytes()) {
                prop_assert_eq!(Some(date), chrono_reads(format, &text), "{:?}", text);
            }
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                let written = date.format(format).to_string();
                let tidy = written.len() == 10 || (format == "%d %b %Y" && written.len() == 11);
                if tidy {
                    prop_assert_eq!(fast.read(written.as_bytes()), Some(date), "{}", written);
                }
            }
        }

        /// A plain amount reads as the money cleaner and parser read it,
        /// to its places; and anything else is left to them.
        #[test]
        fn plain_money_agrees_with_the_cleaner(
            text in "(£|\\$|-)?[0-9]{0,17}(\\.[0-9]{0,3})?[-)]?|£?[0-9,]{1,8}\\.[0-9]{2}",
        ) {
            if let Some(m) = plain_money(text.as_bytes()) {
                let slow = super::super::cells::read_money(&text);
                prop_assert_eq!(Some((m.mantissa(), m.scale())), slow.map(|s| (s.mantissa(), s.scale())));
            }
        }

        /// Codes compare as lower-casing does: two ASCII codes pack the
        /// same exactly where their lower cases are equal.
        #[test]
        fn packed_codes_compare_as_lower_cased_ones(
            a in "[ -~]{0,16}",
            b in "[A-Za-z@\\[`{0-9]{0,4}",
        ) {
            if let Some(pa) = pack(a.as_bytes()) {
                prop_assert_eq!(Some(pa), pack(a.to_lowercase().as_bytes()));
                prop_assert_eq!(Some(pa) == pack(b.as_bytes()), a.to_lowercase() == b.to_lowercase());
            } else {
                prop_assert!(a.len() > 15);
            }
        }

        /// A literal pattern, where it answers, answers as its regex does.
        #[test]
        fn literal_rules_agree_with_their_regex(
            pattern in "(\\(\\?i\\))?\\^?[a-zA-Z ks]{1,4}",
            text in "[a-zA-Z ksKS\u{212a}\u{17f}]{0,12}",
        ) {
            let literal = Literal::of(&pattern).unwrap();
            let re = regex::Regex::new(&pattern).unwrap();
            match literal.hit(text.as_bytes()) {
                Some(hit) => prop_assert_eq!(hit, re.is_match(&text), "{:?} on {:?}", pattern, text),
                None => prop_assert!(!text.is_ascii()),
            }
        }
    }
}
