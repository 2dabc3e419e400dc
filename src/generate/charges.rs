//! Rent charged: weekly on Mondays or monthly on the 1st, the April
//! increase (late on some accounts, a planted `irregular_charge`).

use super::*;

impl Landlord<'_> {
    /// Charges: Mondays (weekly) or the 1st (monthly). Returns their dates.
    pub(super) fn charges(&mut self, t: &mut Tenancy) -> Result<Vec<NaiveDate>> {
        let cal = &self.cal;
        let dues: Vec<NaiveDate> = if t.monthly {
            (0..self.args.months)
                .filter_map(|m| cal.start.checked_add_months(Months::new(m)))
                .collect()
        } else {
            let from = cal.weeks.partition_point(|d| *d < t.opening);
            cal.weeks[from..].to_vec()
        };
        for &d in &dues {
            let rent = self.rent_on(t, d);
            let txn = self.txn(d, "charge", rent, "", "", &t.account_ref)?;
            if rent != t.rent && self.increase_from(t).is_some_and(|from| d >= from) {
                self.truth
                    .findings
                    .push(Planted::late_increase(&t.account_ref, txn));
            }
            t.posted += rent;
            t.corrected += rent;
        }
        Ok(dues)
    }

    /// The day the account's rent rises: the landlord's increase (for
    /// the account's rent period).
    pub(super) fn increase_from(&self, t: &Tenancy) -> Option<NaiveDate> {
        let (weekly, monthly) = self.cal.increase?;
        Some(if t.monthly { monthly } else { weekly })
    }

    /// The rent the account is charged on `d`: the old rent until the
    /// increase (four weeks after it, on an account that applies it late).
    pub(super) fn rent_on(&self, t: &Tenancy, d: NaiveDate) -> Decimal {
        let late = if t.late_increase { 21 } else { 0 };
        match self.increase_from(t) {
            Some(from) if d < from + Days::new(late) => t.old_rent,
            _ => t.rent,
        }
    }
}
