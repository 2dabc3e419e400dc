//! Money out and credits that move none: sundry debts, refunds (with the
//! overpayment they return) and small balances written off.

use super::*;

impl Landlord<'_> {
    /// Money out and credits that move no money, as every landlord's ledger
    /// has: refunds (by bank id, or by account and amount) and small
    /// balances written off. Amounts are the account's own.
    pub(super) fn money_out(&mut self, t: &mut Tenancy) -> Result<()> {
        // First, so that a refund is judged against all the account owes:
        // court costs or a repair recharged, owed but not rent.
        if self.rng.chance(self.args.sundry) {
            let (what, amount) = if t.i % 2 == 0 {
                ("court_costs", Decimal::new(35_500, 2))
            } else {
                (
                    "recharge",
                    Decimal::new(6_000 + (t.i as i64 * 11) % 20_000, 2),
                )
            };
            let on = (self.cal.start + Days::new(20 + self.rng.below(40))).min(self.cal.end);
            self.txn_for(on, "charge", amount, ["", "", &t.account_ref, what])?;
            t.posted += amount;
            t.corrected += amount;
        }
        let own = Decimal::new(2_500 + (t.i as i64 * 7) % 2_000, 2);
        for m in 0..self.args.months {
            let (start, end) = (self.cal.start, self.cal.end);
            let rng = &mut self.rng;
            let Some(on) = start
                .checked_add_months(Months::new(m))
                .map(|d| d + Days::new(12 + rng.below(10)))
                .filter(|d| *d <= end)
            else {
                continue;
            };
            if self.rng.chance(self.args.refunds) {
                self.overpay_before(t, on, own)?;
                let refund_id = self.bank_line([
                    &on.to_string(),
                    &plain(-own),
                    &format!("REFUND {}", t.account_ref),
                    &t.payer,
                    "bank_transfer",
                    "",
                    "",
                ])?;
                let by_id = if self.rng.chance(500) {
                    refund_id.as_str()
                } else {
                    ""
                };
                self.txn(on, "refund", own, "bank_transfer", by_id, &t.account_ref)?;
                t.posted += own;
                t.corrected += own;
            }
        }
        if self.rng.chance(self.args.write_offs) {
            let small = Decimal::new(1 + (t.i as i64 * 13) % 499, 2);
            self.txn(self.cal.end, "writeoff", -small, "", "", &t.account_ref)?;
            t.posted -= small;
            t.corrected -= small;
        }
        Ok(())
    }

    /// The credit the account holds on `on` before that day's debits
    /// (negative: what it owes).
    pub(super) fn credit_held(&self, on: NaiveDate) -> Decimal {
        let owed: Decimal = (self.own_postings.iter())
            .filter(|(d, a)| *d < on || (*d == on && *a < Decimal::ZERO))
            .map(|(_, a)| *a)
            .sum();
        -owed
    }

    /// A payment beyond what is owed, two days before a refund of `amount`,
    /// where the account does not already hold that much in credit: a
    /// refund of more than the credit is an error of its own kind.
    pub(super) fn overpay_before(
        &mut self,
        t: &mut Tenancy,
        on: NaiveDate,
        amount: Decimal,
    ) -> Result<()> {
        let short = amount - self.credit_held(on);
        if short <= Decimal::ZERO {
            return Ok(());
        }
        let paid = on - Days::new(2);
        let bank_id = self.bank_line([
            &paid.to_string(),
            &plain(short),
            &t.reference,
            &t.payer,
            "bank_transfer",
            "",
            "",
        ])?;
        self.txn(
            paid,
            "payment",
            -short,
            "bank_transfer",
            &bank_id,
            &t.account_ref,
        )?;
        t.posted -= short;
        t.corrected -= short;
        Ok(())
    }
}
