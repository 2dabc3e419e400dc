//! Housing Benefit: the 4-weekly schedule runs and their credits, a
//! council's rebates, and overpayments clawed back out of a later run.

use super::*;

impl Landlord<'_> {
    /// Benefit pays the whole rent, 4-weekly in arrears, by schedule (from
    /// the claim's start; a stopped claim is paid once).
    pub(super) fn benefit(&mut self, t: &mut Tenancy) -> Result<()> {
        let paid_runs = match t.plant {
            Plant::NewClaim => 0,
            Plant::StoppedBenefit => 1,
            _ => self.cal.runs.len(),
        };
        let paid = self.cal.runs.get(..paid_runs).unwrap_or(&[]);
        if let Some(reason) = benefit_hold(t.opening, paid, self.cal.end) {
            self.truth.holds.push(HoldTruth {
                account_ref: t.account_ref.clone(),
                reason,
            });
        }
        for k in 0..paid_runs {
            let Some(&run) = self.cal.runs.get(k) else {
                break;
            };
            let amount = t.weekly * Decimal::from(4);
            let (from, to) = (run - Days::new(28), run - Days::new(1));
            if self.args.council {
                self.rebate(t, k, run, amount)?;
                continue;
            }
            let batch = format!("HB-{:04}", k + 1);
            self.schedule_line(&batch, &t.account_ref, amount, from, to)?;
            self.run_totals[k] += amount;
            self.txn(run, "benefit", -amount, "hb", &batch, &t.account_ref)?;
            t.posted -= amount;
            t.corrected -= amount;
            if k == 1 {
                self.clawback(t, k, &batch)?;
            }
        }
        Ok(())
    }

    /// One line of schedules.csv: a share of a benefit run or a rebate.
    pub(super) fn schedule_line(
        &mut self,
        batch: &str,
        account_ref: &str,
        amount: Decimal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<()> {
        self.w.schedules.write([
            batch,
            account_ref,
            &plain(amount),
            &from.to_string(),
            &to.to_string(),
        ])
    }

    /// A council's rent rebate for the four weeks before `run`: a line of
    /// the rebate schedule (a batch no bank line carries) and a benefit
    /// credit with no bank money. In the second run, drawn from the
    /// account's index: on some accounts the rebate is never credited, on
    /// others credited twice.
    pub(super) fn rebate(
        &mut self,
        t: &mut Tenancy,
        k: usize,
        run: NaiveDate,
        amount: Decimal,
    ) -> Result<()> {
        let batch = format!("RB-{:04}", k + 1);
        let (from, to) = (run - Days::new(28), run - Days::new(1));
        self.schedule_line(&batch, &t.account_ref, amount, from, to)?;
        let draw = Rng(t.i as u64 ^ 0x04EB_A7E5).next() % 1000;
        let planted = k == 1 && t.plant == Plant::None;
        if planted && draw < 10 {
            self.truth.findings.push(Planted {
                kind: "uncredited_rebate",
                account_ref: t.account_ref.clone(),
                posted_to: String::new(),
                bank_id: String::new(),
                txn_ids: Vec::new(),
                amount: plain(-amount),
            });
            t.corrected -= amount;
            return Ok(());
        }
        self.txn(run, "benefit", -amount, "hb", "", &t.account_ref)?;
        t.posted -= amount;
        t.corrected -= amount;
        if planted && draw < 20 {
            let id = self.txn(run, "benefit", -amount, "hb", "", &t.account_ref)?;
            self.truth
                .findings
                .push(Planted::unbanked(&t.account_ref, id, amount));
            t.posted -= amount;
        }
        Ok(())
    }

    /// On some accounts, an earlier overpayment taken back out of the
    /// second run: a negative schedule line, posted on the ledger as an
    /// hb_overpayment charge, or (one in four) not posted at all. Drawn
    /// from the account's index, so the other shapes' draws stay as they
    /// were.
    pub(super) fn clawback(&mut self, t: &mut Tenancy, k: usize, batch: &str) -> Result<()> {
        let draw = Rng(t.i as u64 ^ 0xC1A7_BAC5).next() % 4000;
        if t.plant != Plant::None || draw >= self.args.clawbacks * 4 {
            return Ok(());
        }
        let Some(&run) = self.cal.runs.get(k) else {
            return Ok(());
        };
        // A week's benefit or so, in whole pounds.
        let amount = (t.weekly + Decimal::from(draw % 40)).round();
        self.w
            .schedules
            .write([batch, &t.account_ref, &plain(-amount), "", ""])?;
        self.run_totals[k] -= amount;
        if draw % 4 == 0 {
            self.unposted_clawbacks.push((k, t.account_ref.clone()));
        } else {
            self.txn_for(
                run,
                "charge",
                amount,
                ["", batch, &t.account_ref, "hb_overpayment"],
            )?;
            t.posted += amount;
            t.corrected += amount;
        }
        Ok(())
    }
}
