//! Money and date formatting shared by the core's detail sentences and the
//! report writers: always two places, rounded half away from zero.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to pennies the way a finance officer would (half away from zero).
pub fn to_pennies(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A sum of pence as money. Sums over rows are taken in pence (an integer
/// add, far cheaper than adding `Decimal`s, and rows are summed by the ten
/// million); any sum of rows fits, as a row's pence are under
/// 2^61 and a file holds under 2^32 rows, and `Decimal` holds 96 bits.
pub fn from_pence(pence: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(pence, 2).unwrap_or(if pence < 0 {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// Money as pence, for sums taken in pence; a sum past `i64` (no rent
/// account's) is held at the bound.
pub fn to_pence(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (to_pennies(d) * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(if d < Decimal::ZERO {
            i64::MIN
        } else {
            i64::MAX
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
        // Nearly every amount already has at most two places and fits in
        // pence as an `i64`: written from its digits, without rounding or
        // `Decimal`'s formatter (a report writes a dozen an account).
        let d = self.0;
        if let (Ok(mantissa), scale @ 0..=2) = (i64::try_from(d.mantissa()), d.scale()) {
            if let Some(pence) = mantissa.checked_mul(10i64.pow(2 - scale)) {
                let mut buf = [0u8; 24];
                let text = pence_text(pence, &mut buf);
                return f.pad(text);
            }
        }
        let mut r = to_pennies(self.0);
        if r.is_zero() {
            r = Decimal::ZERO;
        }
        r.rescale(2);
        std::fmt::Display::fmt(&r, f)
    }
}

/// `pence` as `-412.50`, written from the right into `buf`; zero has no
/// sign.
fn pence_text(pence: i64, buf: &mut [u8; 24]) -> &str {
    fixed_point(pence.unsigned_abs(), 2, pence < 0, buf)
}

/// `units`, a count of hundredths or tenths as `places` (1 or 2) says, as
/// decimal text (`412.50`, `-3.5`), written from the right into `buf`
/// without the formatter, a minus sign first where `negative`. A `u64` of
/// units needs at most 22 bytes.
pub fn fixed_point(units: u64, places: u32, negative: bool, buf: &mut [u8; 24]) -> &str {
    let mut fraction = units % 10u64.pow(places);
    let mut at = buf.len();
    for _ in 0..places {
        at -= 1;
        buf[at] = b'0' + (fraction % 10) as u8;
        fraction /= 10;
    }
    at -= 1;
    buf[at] = b'.';
    at = super::store::digits::digits_before(units / 10u64.pow(places), buf, at);
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    // Digits, a point and a sign: always UTF-8.
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
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

    proptest::proptest! {
        #[test]
        fn plain_writes_what_rounding_and_display_write(
            mantissa in proptest::prelude::any::<i64>(),
            scale in 0u32..=4,
            wide in proptest::prelude::any::<bool>(),
        ) {
            let mut d = Decimal::new(mantissa, scale);
            if wide {
                // Past an i64 of pence: the general path.
                d *= Decimal::from(1_000_000_000i64);
            }
            let mut slow = to_pennies(d);
            if slow.is_zero() {
                slow = Decimal::ZERO;
            }
            slow.rescale(2);
            proptest::prop_assert_eq!(plain(d), slow.to_string());
        }
    }

    #[test]
    fn plain_pads_as_text_does() {
        assert_eq!(format!("{:>8}", Plain(d("-1.5"))), "   -1.50");
    }

    #[test]
    fn pounds_groups_thousands() {
        assert_eq!(pounds(d("1240")), "£1,240.00");
        assert_eq!(pounds(d("-12")), "-£12.00");
        assert_eq!(pounds(d("1234567.891")), "£1,234,567.89");
        assert_eq!(pounds(d("999.999")), "£1,000.00");
    }
}
