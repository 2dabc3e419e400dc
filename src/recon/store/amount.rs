//! A row's amount in eight bytes, exact, with the places it was written
//! with: a `Decimal` takes sixteen, and each of millions of rows holds one.

use rust_decimal::Decimal;

/// A row's amount, held exactly in eight bytes at four-byte alignment: its
/// value in pence and the places it was written with, packed into two
/// words, where a `Decimal` takes sixteen. Millions of rows each hold one.
/// Sums and sentences use the `Decimal` [`Amount::get`] gives back; sorting
/// and grouping millions of amounts use [`Amount::pence`], an integer.
/// Not comparable as it stands: `80.0` and `80.00` are packed apart.
#[derive(Clone, Copy)]
pub struct Amount {
    low: u32,
    high: u32,
}

impl Amount {
    /// The places (0 to 2) below the pence; the pence above, under 2^61 in
    /// size. Readers take at most 15 digits and 2 places, so every amount
    /// read from a file, and the difference of two, fits.
    const SCALE_BITS: u32 = 2;

    pub const ZERO: Amount = Amount { low: 0, high: 0 };

    /// `None` for an amount too large, or with more than two places.
    pub fn new(value: Decimal) -> Option<Amount> {
        let scale = value.scale();
        let mantissa = i64::try_from(value.mantissa()).ok()?;
        let pence = mantissa.checked_mul(10i64.checked_pow(2u32.checked_sub(scale)?)?)?;
        let limit = 1i64 << (63 - Self::SCALE_BITS);
        if !(-limit..limit).contains(&pence) {
            return None;
        }
        let packed = ((pence << Self::SCALE_BITS) | i64::from(scale)) as u64;
        Some(Amount {
            low: packed as u32,
            high: (packed >> 32) as u32,
        })
    }

    fn packed(self) -> i64 {
        (u64::from(self.high) << 32 | u64::from(self.low)) as i64
    }

    /// The value in pence: ordered and equal as the amounts are.
    pub fn pence(self) -> i64 {
        self.packed() >> Self::SCALE_BITS
    }

    pub fn get(self) -> Decimal {
        let packed = self.packed();
        let scale = (packed & ((1 << Self::SCALE_BITS) - 1)) as u32;
        let pence = packed >> Self::SCALE_BITS;
        // Division by a constant: no divide instruction on this path.
        let mantissa = match scale {
            2 => pence,
            1 => pence / 10,
            _ => pence / 100,
        };
        // From its parts: `Decimal::new` checks the scale on every call, and
        // this is read millions of times. The mantissa is under 2^61.
        let magnitude = mantissa.unsigned_abs();
        Decimal::from_parts(
            magnitude as u32,
            (magnitude >> 32) as u32,
            0,
            mantissa < 0,
            scale,
        )
    }
}

impl std::fmt::Debug for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_held_exactly_with_its_places() {
        for text in [
            "0",
            "80",
            "80.5",
            "-80.50",
            "0.01",
            "-0.01",
            "999999999999999.99",
            "-999999999999999.99",
        ] {
            let d: Decimal = text.parse().expect("decimal");
            let held = Amount::new(d).expect("fits");
            assert_eq!(held.get().to_string(), d.to_string(), "{text}");
            assert_eq!(held.get().scale(), d.scale(), "{text}");
        }
        // Too wide or too precise to pack: refused, never truncated.
        assert!(Amount::new(Decimal::MAX).is_none());
        assert!(Amount::new("0.001".parse().expect("decimal")).is_none());
        assert!(Amount::new(Decimal::new(1 << 61, 2)).is_none());
        assert!(Amount::new(Decimal::new(-(1 << 61), 2)).is_some());
        assert!(Amount::new(Decimal::new(1 << 59, 0)).is_none());
        // Pence order and group amounts as their values do.
        let pence = |t: &str| Amount::new(t.parse().expect("decimal")).map(Amount::pence);
        assert_eq!(pence("80"), pence("80.00"));
        assert_eq!(pence("-0.5"), Some(-50));
        assert!(pence("79.99") < pence("80") && pence("-80") < pence("-79.99"));
    }
}
