//! The tenant's payments: each receipt on the bank and how it is posted,
//! rightly or with the account's planted error, and Direct Debit returns.

use super::*;

impl Landlord<'_> {
    /// The tenant pays what is charged, before the increase and after;
    /// where a case shapes the money, missing some weeks and paying an
    /// instalment on top in others, until the arrears are paid.
    pub(super) fn tenant_pays(&mut self, t: &mut Tenancy, dues: &[NaiveDate]) -> Result<()> {
        let plant_at = dues.len() / 2;
        let rent = t.rent;
        let mut arrears = Decimal::ZERO;
        for (k, d) in dues.iter().enumerate() {
            t.rent = rent;
            let due = self.rent_on(t, *d);
            let towards = match t.case.pays(*d) {
                Pays::Nothing => {
                    arrears += due;
                    continue;
                }
                Pays::Rent => Decimal::ZERO,
                Pays::RentAnd(instalment) => instalment.min(arrears),
            };
            arrears -= towards;
            t.rent = due + towards;
            self.receipt(t, *d, k == plant_at)?;
        }
        t.rent = rent;
        Ok(())
    }

    /// The tenant's payment for the charge due on `due`, and how it was
    /// posted: rightly, or with the account's plant where `at_plant`.
    pub(super) fn receipt(
        &mut self,
        t: &mut Tenancy,
        due: NaiveDate,
        at_plant: bool,
    ) -> Result<()> {
        let paid = due + Days::new(self.rng.below(2));
        if paid > self.cal.end {
            return Ok(());
        }
        let here = t.plant != Plant::None && at_plant;
        let shape = self.posting_shape(t, due);
        if shape == Posting::Combined && self.combined_posting(t, paid)? {
            return Ok(());
        }
        let unreadable = here && t.plant == Plant::Unidentified;
        let by_name = here && t.plant == Plant::SuspenseByName;
        let paid_by = match (&t.conflict_payer, here) {
            (Some((_, other)), true) => other.to_uppercase(),
            _ if unreadable => "UNKNOWN PAYER".to_string(),
            _ => t.payer.clone(),
        };
        let reference = if unreadable || by_name {
            "RENT"
        } else {
            t.reference.as_str()
        };
        let bank_id = self.bank_line([
            &paid.to_string(),
            &plain(t.rent),
            reference,
            &paid_by,
            t.method,
            "",
            "",
        ])?;
        t.corrected -= t.rent;
        let with_ref = self.rng.chance(600);
        // Posted by the last day, so nothing is left in transit.
        let post_on = (paid + Days::new(self.rng.below(2))).min(self.cal.end);
        let p = Paid {
            bank_id,
            paid,
            post_on,
            with_ref,
            here,
            shape,
        };
        if here && self.planted_receipt(t, &p)? {
            return Ok(());
        }
        self.posted_receipt(t, &p)
    }

    /// A planted receipt, where the plant is about one: returns whether it
    /// was (else the receipt is posted as usual).
    pub(super) fn planted_receipt(&mut self, t: &mut Tenancy, p: &Paid) -> Result<bool> {
        let rent = t.rent;
        let bank_ref = if p.with_ref { p.bank_id.as_str() } else { "" };
        match t.plant {
            Plant::WrongAccount => {
                // Posted to the next account, whose rent differs.
                let other = account_ref_of(t.i + 1);
                let txn = self.txn(p.post_on, "payment", -rent, t.method, bank_ref, &other)?;
                self.moved.push((t.i + 1, rent));
                // Money moves between accounts only where something besides
                // amount and date ties it there; otherwise the receipt is
                // unposted and the credit unbanked.
                let slip = identify::one_edit_apart(&t.reference, &other)
                    || identify::one_edit_apart(&t.reference, &mandate_of(t.i + 1));
                if p.with_ref || slip || identify::names_match(&t.payer, &self.names[t.i + 1]) {
                    self.planted(t, p, "wrong_account", &other, vec![txn], -rent);
                } else {
                    self.planted(t, p, "unposted_receipt", "", vec![], -rent);
                    self.truth
                        .findings
                        .push(Planted::unbanked(&other, txn, rent));
                }
            }
            Plant::Unposted => self.planted(t, p, "unposted_receipt", "", vec![], -rent),
            Plant::Unidentified => {
                // Nobody can say whose it is, so no balance is corrected.
                t.corrected += rent;
                self.planted(t, p, "unidentified_receipt", "", vec![], -rent);
            }
            Plant::SuspenseByName => {
                // In suspense, and so every tenant the payer's name fits is
                // held until it is traced.
                t.corrected += rent;
                self.planted(t, p, "unidentified_receipt", "", vec![], -rent);
                for j in self.people.fitting(&t.payer) {
                    self.truth.holds.push(HoldTruth {
                        account_ref: account_ref_of(j),
                        reason: "receipt_in_suspense",
                    });
                }
            }
            Plant::AmountMismatch => {
                let keyed = rent * Decimal::from(10);
                let txn = self.txn(
                    p.post_on,
                    "payment",
                    -keyed,
                    t.method,
                    &p.bank_id,
                    &t.account_ref,
                )?;
                t.posted -= keyed;
                self.planted(t, p, "amount_mismatch", "", vec![txn], keyed - rent);
            }
            Plant::Duplicate => {
                let (on, method) = (p.post_on, t.method);
                let t1 = self.txn(on, "payment", -rent, method, &p.bank_id, &t.account_ref)?;
                let t2 = self.txn(on, "payment", -rent, method, "", &t.account_ref)?;
                t.posted -= rent * Decimal::from(2);
                self.planted(t, p, "duplicate_posting", "", vec![t1, t2], rent);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A finding planted on receipt `p` of tenancy `t`.
    pub(super) fn planted(
        &mut self,
        t: &Tenancy,
        p: &Paid,
        kind: &'static str,
        posted_to: &str,
        txn_ids: Vec<String>,
        amount: Decimal,
    ) {
        self.truth.findings.push(Planted {
            kind,
            account_ref: if kind == "unidentified_receipt" {
                String::new()
            } else {
                t.account_ref.clone()
            },
            posted_to: posted_to.to_string(),
            bank_id: p.bank_id.clone(),
            txn_ids,
            amount: plain(amount),
        });
    }

    /// A receipt posted to its own account (late, where that is the plant),
    /// and a Direct Debit perhaps returned a week on.
    pub(super) fn posted_receipt(&mut self, t: &mut Tenancy, p: &Paid) -> Result<()> {
        let end = self.cal.end;
        let late = p.here && t.plant == Plant::Late && p.paid + Days::new(9) <= end;
        let on = if late {
            p.paid + Days::new(9)
        } else {
            p.post_on
        };
        if p.shape == Posting::Split && !late {
            return self.split_posting(t, p);
        }
        let bank_ref = if p.with_ref { p.bank_id.as_str() } else { "" };
        let txn = self.txn(on, "payment", -t.rent, t.method, bank_ref, &t.account_ref)?;
        let returned_on = p.paid + Days::new(7);
        // A return on a case's account would be a missed instalment.
        let unreversed = if t.channel == 0
            && !p.here
            && !t.case.moves_money()
            && self.returns
            && returned_on <= end
            && self.rng.chance(self.args.dd_returns)
        {
            self.dd_return(t, p, returned_on)?
        } else {
            None
        };
        t.posted -= t.rent;
        if late {
            self.planted(t, p, "late_posting", "", vec![txn], Decimal::ZERO);
        }
        self.truth.findings.extend(unreversed);
        Ok(())
    }

    /// A Direct Debit returned on `on`: reversed on the ledger by the
    /// return's id (and perhaps collected again three days on), or (one in
    /// ten) not, which is the finding returned.
    pub(super) fn dd_return(
        &mut self,
        t: &mut Tenancy,
        p: &Paid,
        on: NaiveDate,
    ) -> Result<Option<Planted>> {
        let rent = t.rent;
        let return_id = self.bank_line([
            &on.to_string(),
            &plain(-rent),
            &t.reference,
            &t.payer,
            "dd_return",
            "0",
            &p.bank_id,
        ])?;
        t.corrected += rent;
        if !self.rng.chance(900) {
            return Ok(Some(Planted {
                kind: "unreversed_return",
                account_ref: t.account_ref.clone(),
                posted_to: String::new(),
                bank_id: return_id,
                txn_ids: Vec::new(),
                amount: plain(rent),
            }));
        }
        self.txn(on, "reversal", rent, t.method, &return_id, &t.account_ref)?;
        t.posted += rent;
        let again = on + Days::new(3);
        if again <= self.cal.end && self.rng.chance(self.args.represent) {
            self.bank_line([
                &again.to_string(),
                &plain(rent),
                &t.reference,
                &t.payer,
                t.method,
                "",
                "",
            ])?;
            self.txn(again, "payment", -rent, t.method, "", &t.account_ref)?;
            t.posted -= rent;
            t.corrected -= rent;
        }
        Ok(None)
    }

    /// Plants about no one receipt: a cash credit with no money behind it,
    /// and a payer conflict's holds.
    pub(super) fn last_plants(&mut self, t: &mut Tenancy) -> Result<()> {
        if t.plant == Plant::Unbanked {
            // Of an amount no receipt has.
            let amount = Decimal::new(1_337 + t.i as i64 % 500, 2);
            let on = self.cal.start + Days::new(10 + self.rng.below(20));
            let txn = self.txn(on, "payment", -amount, "cash", "", &t.account_ref)?;
            t.posted -= amount;
            self.truth
                .findings
                .push(Planted::unbanked(&t.account_ref, txn, amount));
        }
        if let Some((j, _)) = &t.conflict_payer {
            for on in [t.account_ref.clone(), account_ref_of(*j)] {
                self.truth.holds.push(HoldTruth {
                    account_ref: on,
                    reason: "payer_conflict",
                });
            }
        }
        Ok(())
    }
}
