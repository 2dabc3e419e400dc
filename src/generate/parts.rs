//! Money posted in parts, as landlords' ledgers hold it: a payment keyed as
//! two credits (a split posting) and two payments keyed as one credit (a
//! combined posting). Both are matched, so the truth has no finding for them.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::*;

/// The shapes a receipt's money may be posted in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Posting {
    Whole,
    Split,
    Combined,
}

impl Landlord<'_> {
    /// How tenancy `t`'s payment for `due` is posted. Drawn from the account
    /// and the day, so the other shapes' draws stay as they were; never on
    /// a Direct Debit (whose returns need their own credit) or an account
    /// whose case shapes its payments.
    pub(super) fn posting_shape(&self, t: &Tenancy, due: NaiveDate) -> Posting {
        if t.channel == 0 || t.case.moves_money() || t.plant != Plant::None {
            return Posting::Whole;
        }
        let day = u64::from(due.num_days_from_ce().unsigned_abs());
        let draw = Rng((t.i as u64) << 20 ^ day ^ 0x5B11_7000).next() % 1000;
        match draw {
            d if d < self.args.split_postings => Posting::Split,
            d if d < self.args.split_postings + self.args.combined_postings => Posting::Combined,
            _ => Posting::Whole,
        }
    }

    /// The rent keyed as two credits, 30% to 70% of it first, the rest the
    /// same day or the next; both name the bank line where the ledger does.
    pub(super) fn split_posting(&mut self, t: &mut Tenancy, p: &Paid) -> Result<()> {
        let tenths = Decimal::from(3 + p.paid.num_days_from_ce().unsigned_abs() % 5);
        let first = (t.rent * tenths / Decimal::from(10)).round_dp(2);
        let second_on = (p.post_on + Days::new(1)).min(self.cal.end);
        let bank_ref = if p.with_ref { p.bank_id.as_str() } else { "" };
        self.txn(
            p.post_on,
            "payment",
            -first,
            t.method,
            bank_ref,
            &t.account_ref,
        )?;
        self.txn(
            second_on,
            "payment",
            first - t.rent,
            t.method,
            bank_ref,
            &t.account_ref,
        )?;
        t.posted -= t.rent;
        Ok(())
    }

    /// The rent paid in two halves a day apart and keyed as one credit on
    /// or after the second: returns false where the second would fall
    /// after the data ends (the rent is then paid whole).
    pub(super) fn combined_posting(&mut self, t: &mut Tenancy, paid: NaiveDate) -> Result<bool> {
        let second = paid + Days::new(1);
        if second > self.cal.end {
            return Ok(false);
        }
        let half = (t.rent / Decimal::from(2)).round_dp(2);
        for (on, amount) in [(paid, half), (second, t.rent - half)] {
            let line = [
                &on.to_string(),
                &plain(amount),
                &t.reference,
                &t.payer,
                t.method,
                "",
                "",
            ];
            self.bank_line(line)?;
        }
        let post_on = (second + Days::new(1)).min(self.cal.end);
        self.txn(post_on, "payment", -t.rent, t.method, "", &t.account_ref)?;
        t.corrected -= t.rent;
        t.posted -= t.rent;
        Ok(true)
    }
}
