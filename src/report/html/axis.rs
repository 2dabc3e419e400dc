//! The charts' scales: money (or a count) in round steps up the side, month
//! ticks along the bottom, and pixel positions written without the float
//! formatter. Tick values are whole pounds (or whole accounts) held as
//! integers; only pixel positions are floats.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::recon::money::{fixed_point, pounds};

/// At most this many steps up a value axis: more and the labels crowd a
/// chart a few centimetres high.
const MAX_STEPS: i64 = 6;

/// At most this many month ticks: a 2-year chart shows a tick a quarter.
const MAX_MONTH_TICKS: usize = 8;

/// A value axis far beyond any rent account's money still computes: no
/// step below overflows.
const LIMIT: i64 = 1_000_000_000_000_000;

/// A value axis from `lo` to `hi` in round steps (1, 2, 5 times a power of
/// ten), whole units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub lo: i64,
    pub hi: i64,
    pub step: i64,
}

impl Scale {
    /// The narrowest round scale holding every value from `lo` to `hi`
    /// (rounded outwards to whole units), in at most [`MAX_STEPS`] steps.
    pub fn covering(lo: Decimal, hi: Decimal) -> Scale {
        let lo = whole(lo.floor());
        let hi = whole(hi.ceil()).max(lo + 1);
        let mut power = 1i64;
        loop {
            for step in [power, 2 * power, 5 * power] {
                let (a, b) = (lo.div_euclid(step), -(-hi).div_euclid(step));
                // The last step is over twice the widest span: always taken.
                if b - a <= MAX_STEPS || step >= 5 * LIMIT {
                    return Scale {
                        lo: a * step,
                        hi: b * step,
                        step,
                    };
                }
            }
            power *= 10;
        }
    }

    /// The tick values, bottom to top.
    pub fn ticks(&self) -> impl Iterator<Item = i64> {
        let step = usize::try_from(self.step).unwrap_or(1).max(1);
        (self.lo..=self.hi).step_by(step)
    }

    /// Where `v` lies from the bottom (0) to the top (1) of the axis.
    pub fn fraction(&self, v: f64) -> f64 {
        (v - self.lo as f64) / ((self.hi - self.lo).max(1) as f64)
    }
}

/// A rounded Decimal as a whole number, held within [`LIMIT`].
fn whole(d: Decimal) -> i64 {
    match d.to_i64() {
        Some(v) => v.clamp(-LIMIT, LIMIT),
        None if d.is_sign_negative() => -LIMIT,
        None => LIMIT,
    }
}

/// A money tick: `£1,000`, `-£200` (whole pounds, written as every other
/// figure in the pack is, less the pence).
pub fn money_label(pounds_whole: i64) -> String {
    let text = pounds(Decimal::from(pounds_whole));
    match text.strip_suffix(".00") {
        Some(short) => short.to_string(),
        None => text,
    }
}

/// A count tick: `4`.
pub fn count_label(n: i64) -> String {
    n.to_string()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Jan 2026`.
pub fn month_label(d: NaiveDate) -> String {
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or("");
    format!("{month} {}", d.year())
}

/// The first of each month from `d0` to `d1`, every month or every 2, 3, 6
/// or 12 (on the calendar's quarters and years) so that no more than
/// [`MAX_MONTH_TICKS`] crowd the axis.
pub fn month_ticks(d0: NaiveDate, d1: NaiveDate) -> Vec<NaiveDate> {
    let start = d0.with_day(1).unwrap_or(d0);
    let first = if start < d0 {
        start.checked_add_months(Months::new(1)).unwrap_or(d1)
    } else {
        start
    };
    let mut months = Vec::new();
    let mut m = first;
    while m <= d1 {
        months.push(m);
        match m.checked_add_months(Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    let index = |d: &NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let mut every = 1i64;
    loop {
        let ticks: Vec<NaiveDate> = (months.iter())
            .filter(|d| index(d).rem_euclid(every) == 0)
            .copied()
            .collect();
        if ticks.len() <= MAX_MONTH_TICKS {
            return ticks;
        }
        every = match every {
            1 => 2,
            2 => 3,
            3 => 6,
            n => n * 2,
        };
    }
}

/// A float as a chart coordinate needs it, for SVG only.
pub fn to_f64(d: Decimal) -> f64 {
    // Pixel positions only: every figure shown is printed from the Decimal.
    d.to_f64().unwrap_or(0.0)
}

/// A chart position as `{:.1}` writes it (to a tenth, a half to the even
/// tenth of the float's exact value), without the float formatter: a year's
/// charts hold millions of positions, and the formatter was a large part
/// of writing the pack.
pub struct Px(pub f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((negative, tenths)) = tenths(self.0) else {
            return write!(f, "{:.1}", self.0);
        };
        f.write_str(fixed_point(tenths, 1, negative, &mut [0u8; 24]))
    }
}

/// `v`'s sign and its size in tenths, rounded as `{:.1}` rounds: from the
/// float's exact value `m * 2^e`, a half to even. `None` where `v` is not
/// finite or not below 10^15.
fn tenths(v: f64) -> Option<(bool, u64)> {
    if !v.is_finite() || v.abs() >= 1e15 {
        return None;
    }
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, biased - 1075),
    };
    let tenths = if e >= 0 {
        // An integer below 10^15: its tenths fit.
        u128::from(m << e) * 10
    } else {
        let shift = e.unsigned_abs();
        let x = u128::from(m) * 10; // below 2^57
        if shift >= 64 {
            0 // below a twentieth
        } else {
            let q = x >> shift;
            let rest = x - (q << shift);
            let half = 1u128 << (shift - 1);
            q + u128::from(rest > half || (rest == half && q % 2 == 1))
        }
    };
    Some((bits >> 63 == 1, u64::try_from(tenths).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(pounds: i64) -> Decimal {
        Decimal::from(pounds)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn positions_are_written_as_the_float_formatter_writes_them(
            bits in proptest::num::u64::ANY,
            small in -2000.0f64..2000.0,
            halves in -40_000i64..40_000,
        ) {
            // Any float, chart-sized ones, and twentieths: among them the
            // exact ties (0.25, 0.75) and the near ones (0.05 is not exact).
            for v in [f64::from_bits(bits), small, halves as f64 / 20.0, -(halves as f64) / 20.0] {
                proptest::prop_assert_eq!(Px(v).to_string(), format!("{v:.1}"));
            }
        }

        #[test]
        fn a_scale_holds_its_values_in_a_few_round_steps(
            a in -10_000_000i64..10_000_000,
            b in -10_000_000i64..10_000_000,
            pence in 0i64..100,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            let hi_money = Decimal::new(hi * 100 + pence, 2);
            let s = Scale::covering(d(lo), hi_money);
            proptest::prop_assert!(Decimal::from(s.lo) <= d(lo) && Decimal::from(s.hi) >= hi_money);
            proptest::prop_assert!((s.hi - s.lo) / s.step <= MAX_STEPS);
            proptest::prop_assert_eq!(s.lo % s.step, 0);
            let mantissa = (0..18).map(|k| 10i64.pow(k)).find(|p| s.step % p == 0 && s.step / p < 10);
            proptest::prop_assert!(mantissa.is_some_and(|p| [1, 2, 5].contains(&(s.step / p))), "{}", s.step);
        }
    }

    #[test]
    fn positions_round_halves_to_even_and_keep_a_sign() {
        for (v, shown) in [
            (0.25, "0.2"),
            (0.75, "0.8"),
            (-0.25, "-0.2"),
            (-0.01, "-0.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (12.05, "12.1"),
            (999999.96, "1000000.0"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(Px(v).to_string(), shown, "{v}");
        }
    }

    #[test]
    fn money_ticks_are_round_pounds() {
        let s = Scale::covering(d(0), Decimal::new(88_000, 2));
        assert_eq!(
            s,
            Scale {
                lo: 0,
                hi: 1000,
                step: 200
            }
        );
        let labels: Vec<String> = s.ticks().map(money_label).collect();
        assert_eq!(labels, ["£0", "£200", "£400", "£600", "£800", "£1,000"]);
        let s = Scale::covering(d(-130), d(2_400));
        assert_eq!(
            s,
            Scale {
                lo: -500,
                hi: 2500,
                step: 500
            }
        );
        assert_eq!(money_label(s.lo), "-£500");
        assert_eq!(
            Scale::covering(d(0), d(0)),
            Scale {
                lo: 0,
                hi: 1,
                step: 1
            }
        );
        let huge = Scale::covering(Decimal::MIN, Decimal::MAX);
        assert!(huge.lo <= -LIMIT && huge.hi >= LIMIT);
    }

    #[test]
    fn months_are_ticked_on_their_first_day_and_thinned_by_quarter() {
        let labels = |a, b| -> Vec<String> {
            month_ticks(date(a), date(b))
                .into_iter()
                .map(month_label)
                .collect()
        };
        assert_eq!(
            labels("2026-01-01", "2026-03-31"),
            ["Jan 2026", "Feb 2026", "Mar 2026"]
        );
        assert_eq!(labels("2026-01-05", "2026-03-01"), ["Feb 2026", "Mar 2026"]);
        assert_eq!(
            labels("2024-03-31", "2026-03-31"),
            [
                "Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025",
                "Jan 2026"
            ]
        );
        assert_eq!(labels("2000-01-01", "2030-01-01").len(), 8);
        assert!(labels("2026-01-02", "2026-01-30").is_empty());
    }
}
