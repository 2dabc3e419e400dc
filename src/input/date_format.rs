//! A profile's date format read without chrono's general parser, where the
//! format is the plain kind exports use (`%d/%m/%Y`, `%d %b %Y`): a quicker
//! first try that only ever agrees with chrono, which has the last word.

use chrono::format::{Fixed, Item, Numeric};
use chrono::NaiveDate;

/// One piece of a plain date format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// `%d`, `%m`: one or two digits.
    Day,
    Month,
    /// `%Y` without a sign: one to four digits.
    Year,
    /// `%b`: a month's first three letters, in any case.
    MonthName,
    /// A character that must be there as it is.
    Literal(u8),
    /// Spaces, any number (chrono skips any whitespace: others are left
    /// to it).
    Space,
}

/// A date written in a profile's format, never panicking: the date at
/// midnight UTC, so that time and zone specifiers (`%H:%M`, `%z`, `%s`,
/// `%c`), as bank exports with a timestamp column have, write something.
/// `None` where the format cannot write it.
pub fn write_date<'a, I, B>(date: NaiveDate, items: I) -> Option<String>
where
    I: Iterator<Item = B> + Clone,
    B: std::borrow::Borrow<chrono::format::Item<'a>>,
{
    use chrono::TimeZone;
    use std::fmt::Write;
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let utc = chrono::FixedOffset::east_opt(0)?.from_utc_datetime(&midnight);
    let mut out = String::new();
    write!(out, "{}", utc.format_with_items(items)).ok()?;
    Some(out)
}

/// A date format made only of [`Part`]s, for [`DateShape::read`].
#[derive(Clone, Debug)]
pub struct DateShape(Vec<Part>);

impl DateShape {
    /// The shape of a format chrono has parsed into `items`, if every item
    /// is one the quick reader knows.
    pub fn of(items: &[Item<'_>]) -> Option<DateShape> {
        let literal = |s: &str| match s.as_bytes() {
            [b] if b.is_ascii_graphic() => Some(Part::Literal(*b)),
            _ => None,
        };
        let parts = items.iter().map(|item| match item {
            Item::Numeric(Numeric::Day, _) => Some(Part::Day),
            Item::Numeric(Numeric::Month, _) => Some(Part::Month),
            Item::Numeric(Numeric::Year, _) => Some(Part::Year),
            Item::Fixed(Fixed::ShortMonthName) => Some(Part::MonthName),
            Item::Literal(s) => literal(s),
            Item::OwnedLiteral(s) => literal(s),
            Item::Space(_) | Item::OwnedSpace(_) => Some(Part::Space),
            _ => None,
        });
        parts.collect::<Option<Vec<Part>>>().map(DateShape)
    }

    /// The date `text` holds in this shape, or `None` where chrono must
    /// judge it (anything unusual, and every error). Where this gives a
    /// date, chrono gives the same one.
    pub fn read(&self, text: &str) -> Option<NaiveDate> {
        let mut rest = text.as_bytes();
        let (mut year, mut month, mut day) = (None, None, None);
        for part in &self.0 {
            match *part {
                Part::Day => day = Some(number(&mut rest, 2)?),
                Part::Month => month = Some(number(&mut rest, 2)?),
                Part::Year => year = Some(number(&mut rest, 4)?),
                Part::MonthName => month = Some(month_name(&mut rest)?),
                Part::Literal(b) => rest = rest.strip_prefix(&[b])?,
                Part::Space => {
                    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
                    rest = &rest[spaces..];
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        NaiveDate::from_ymd_opt(year? as i32, month?, day?)
    }
}

/// One to `most` digits, as many as there are: chrono reads a number so.
fn number(rest: &mut &[u8], most: usize) -> Option<u32> {
    let digits = rest
        .iter()
        .take(most)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let n = rest[..digits]
        .iter()
        .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
    *rest = &rest[digits..];
    Some(n)
}

/// A month's first three letters (`Apr`, `apr`, `APR`), as 1 to 12.
fn month_name(rest: &mut &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let name = rest.get(..3)?;
    let month = MONTHS
        .iter()
        .position(|m| name.eq_ignore_ascii_case(&m[..]))?;
    *rest = &rest[3..];
    Some(month as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::format::{parse, Parsed, StrftimeItems};
    use proptest::prelude::*;

    fn chrono_reads(format: &str, text: &str) -> Option<NaiveDate> {
        let mut parsed = Parsed::new();
        parse(&mut parsed, text, StrftimeItems::new(format)).ok()?;
        parsed.to_naive_date().ok()
    }

    fn shape(format: &str) -> Option<DateShape> {
        let items: Vec<Item> = StrftimeItems::new(format).collect();
        DateShape::of(&items)
    }

    #[test]
    fn plain_formats_have_a_shape_and_others_do_not() {
        for format in ["%d/%m/%Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"] {
            assert!(shape(format).is_some(), "{format}");
        }
        for format in ["%d/%m/%y", "%e %B %Y", "%d/%m/%Y %H:%M", "%d de %m"] {
            assert!(shape(format).is_none(), "{format}");
        }
        let uk = shape("%d %b %Y").unwrap();
        assert_eq!(uk.read("6 Apr 2026"), NaiveDate::from_ymd_opt(2026, 4, 6));
        assert_eq!(uk.read("06 APR 2026"), NaiveDate::from_ymd_opt(2026, 4, 6));
        assert_eq!(uk.read("31 Apr 2026"), None);
        assert_eq!(uk.read("6 April 2026"), None);
    }

    proptest::proptest! {
        // Where the quick reader gives a date, chrono gives the same; and
        // it gives one for the tidy dates exports hold. Each format is
        // tried on text near its own shape, where the two could differ.
        #[test]
        fn the_quick_reader_agrees_with_chrono(
            (format, text) in proptest::sample::select(vec![
                ("%d/%m/%Y", "[ 0-9]{0,3}[/.]{0,2}[0-9]{0,3}[/ ]{0,2}[+-]?[0-9]{0,5} ?"),
                ("%d %b %Y", "[0-9]{0,3}[ \t]{0,2}(Jan|APR|sEp|May|Ju|Junе|Dec[a-z]?|[A-Za-z]{3})[ ]{0,2}[0-9]{0,5}"),
                ("%Y-%m-%d", "[0-9]{0,5}-?[0-9]{0,3}-?[0-9]{0,3}"),
                ("%b %d %Y", "(oct|NOV|Feb)[ ]{0,2}[0-9]{0,3} ?[0-9]{0,5}"),
            ])
            .prop_flat_map(|(f, re)| (Just(f), proptest::string::string_regex(re).unwrap())),
            (y, m, d) in (1i32..9999, 1u32..13, 1u32..29),
        ) {
            let shape = shape(format).unwrap();
            if let Some(date) = shape.read(&text) {
                proptest::prop_assert_eq!(Some(date), chrono_reads(format, &text), "{:?}", text);
            }
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let written = date.format(format).to_string();
            proptest::prop_assert_eq!(shape.read(&written), Some(date));
            proptest::prop_assert_eq!(chrono_reads(format, &written), Some(date));
        }
    }
}
