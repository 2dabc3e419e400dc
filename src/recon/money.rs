//! Money and date formatting shared by the core's detail sentences and the
//! report writers: always two places, rounded half away from zero.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to pennies the way a finance officer would (half away from zero).
pub fn to_pennies(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A sum of pence as money. Sums over rows are taken in pence (an integer
/// add, where adding `Decimal`s costs ten times as much and rows are summed
/// by the ten million); any sum of rows fits, as a row's pence are under
/// 2^61 and a file holds under 2^32 rows, and `Decimal` holds 96 bits.
pub fn from_pence(pence: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(pence, 2).unwrap_or(if pence < 0 {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// `-412.50`: the machine form used in CSV and JSON.
pub fn plain(d: Decimal) -> String {
    Plain(d).to_string()
}

/// Money displayed in the machine form ([`plain`]) without a `String` of
/// its own: reports write a dozen a row for a hundred thousand accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plain(pub Decimal);

impl std::fmt::Display for Plain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut r = to_pennies(self.0);
        if r.is_zero() {
            r = Decimal::ZERO;
        }
        r.rescale(2);
        std::fmt::Display::fmt(&r, f)
    }
}

/// `£1,240.00` / `-£12.00`: the human form used in detail sentences and tables.
pub fn pounds(d: Decimal) -> String {
    let text = plain(d);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, pence) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}£{grouped}.{pence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn pence_read_as_pounds() {
        assert_eq!(from_pence(-41250), d("-412.50"));
        assert_eq!(from_pence(0), Decimal::ZERO);
        let most = i128::from(i64::MAX) << 32;
        assert_eq!(
            from_pence(most).to_string(),
            format!("{}.{:02}", most / 100, most % 100)
        );
    }

    #[test]
    fn plain_has_two_places_and_no_negative_zero() {
        assert_eq!(plain(d("12")), "12.00");
        assert_eq!(plain(d("-412.5")), "-412.50");
        assert_eq!(plain(d("-0.001")), "0.00");
        assert_eq!(plain(d("0.125")), "0.13");
        assert_eq!(plain(d("-0.125")), "-0.13");
    }

    #[test]
    fn pounds_groups_thousands() {
        assert_eq!(pounds(d("1240")), "£1,240.00");
        assert_eq!(pounds(d("-12")), "-£12.00");
        assert_eq!(pounds(d("1234567.891")), "£1,234,567.89");
        assert_eq!(pounds(d("999.999")), "£1,000.00");
    }
}
