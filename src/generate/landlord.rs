//! The landlord made account by account: each account's steps in order,
//! the ledger and bank rows they write, and the bulk lines and truth.json
//! written once every account is made.

use super::*;

impl Landlord<'_> {
    /// Makes account `i`: its row, charges, money in, money out, plants,
    /// and its truth.
    pub(super) fn account(&mut self, i: usize) -> Result<()> {
        let mut t = self.plan(i);
        self.own_ref.clone_from(&t.account_ref);
        self.own_postings.clear();
        self.w.accounts.write([
            t.account_ref.as_str(),
            &self.names[i],
            "assured",
            if t.monthly { "monthly" } else { "weekly" },
            &plain(t.rent),
            &t.opening.to_string(),
            "0.00",
            &t.mandate,
            if t.hb { "hb" } else { "none" },
        ])?;
        let dues = self.charges(&mut t)?;
        if t.hb {
            self.benefit(&mut t)?;
        } else {
            self.tenant_pays(&mut t, &dues)?;
        }
        // A refund or sundry debt beside a case would blur its reading.
        if self.args.profile.is_empty() && !t.case.moves_money() {
            self.money_out(&mut t)?;
        }
        self.last_plants(&mut t)?;
        self.case_events(&t)?;
        self.truth.balances.push(AccountTruth {
            account_ref: t.account_ref,
            posted_balance: plain(t.posted),
            corrected_balance: plain(t.corrected),
        });
        Ok(())
    }

    /// Writes a ledger row (`amount` signed as a debit: a credit is
    /// negative) on account `on`; returns its id.
    pub(super) fn txn(
        &mut self,
        date: NaiveDate,
        kind: &str,
        amount: Decimal,
        method: &str,
        bank_ref: &str,
        on: &str,
    ) -> Result<String> {
        self.txn_for(date, kind, amount, [method, bank_ref, on, ""])
    }

    /// [`Landlord::txn`] with its method, bank ref, account and charge type.
    pub(super) fn txn_for(
        &mut self,
        date: NaiveDate,
        kind: &str,
        amount: Decimal,
        [method, bank_ref, on, charge_type]: [&str; 4],
    ) -> Result<String> {
        self.txn_n += 1;
        if on == self.own_ref {
            self.own_postings.push((date, amount));
        }
        let id = self.w.ledger.id(format!("T{:09}", self.txn_n));
        let money = |d: Decimal| {
            if d > Decimal::ZERO {
                plain(d)
            } else {
                String::new()
            }
        };
        self.w.ledger.write([
            id.as_str(),
            on,
            &date.to_string(),
            kind,
            &money(amount),
            &money(-amount),
            method,
            bank_ref,
            "",
            charge_type,
        ])?;
        Ok(id)
    }

    /// Writes a bank line after `id`: date, amount and the rest.
    pub(super) fn bank_line(&mut self, fields: [&str; 7]) -> Result<String> {
        self.bank_n += 1;
        let id = self.w.bank.id(format!("B{:09}", self.bank_n));
        let [date, amount, reference, payer, method, code, returned] = fields;
        self.w.bank.write([
            id.as_str(),
            date,
            amount,
            reference,
            payer,
            method,
            code,
            returned,
        ])?;
        Ok(id)
    }

    /// The bulk benefit lines, the balances money moved onto, and
    /// truth.json.
    pub(super) fn finish(mut self, dir: &Path) -> Result<()> {
        // A wrong-account posting moves money onto the next account's ledger.
        for (to, amount) in std::mem::take(&mut self.moved) {
            if let Some(b) = self.truth.balances.get_mut(to) {
                let posted: Decimal = b.posted_balance.parse().unwrap_or_default();
                b.posted_balance = plain(posted - amount);
            }
        }
        for k in 0..self.cal.runs.len() {
            if !self.run_totals[k].is_zero() {
                let batch = format!("HB-{:04}", k + 1);
                let (run, total) = (self.cal.runs[k], self.run_totals[k]);
                let bank_id = self.bank_line([
                    &run.to_string(),
                    &plain(total),
                    &batch,
                    "COUNCIL HB",
                    "hb",
                    "",
                    "",
                ])?;
                for (_, account_ref) in self.unposted_clawbacks.iter().filter(|(r, _)| *r == k) {
                    self.truth.findings.push(Planted {
                        kind: "unposted_clawback",
                        account_ref: account_ref.clone(),
                        posted_to: String::new(),
                        bank_id: bank_id.clone(),
                        txn_ids: Vec::new(),
                        amount: "0.00".to_string(),
                    });
                }
            }
        }
        self.w.finish()?;
        self.truth.holds.sort();
        self.truth.holds.dedup();
        let path = dir.join("truth.json");
        let file = File::create(&path).on_path("cannot create", &path)?;
        serde_json::to_writer_pretty(BufWriter::new(file), &self.truth)?;
        Ok(())
    }
}
