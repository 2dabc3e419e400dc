//! Each receipt's outcome and findings once linking is done: unposted or in
//! suspense, split across postings, posted twice, or its one posting judged
//! (wrong account, wrong amount, late).

use super::*;

/// The outcome of each posting tied to one receipt, as in a [`Decision`].
type PostingOutcomes = SmallVec<[(usize, Outcome); 1]>;

impl State<'_> {
    /// Gives every receipt its outcome, and the postings tied to it theirs.
    pub(super) fn decide_receipts(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) -> Vec<Outcome> {
        // In the ledger's order of their postings, not the statement's: a
        // statement in date order against a ledger by account read each
        // receipt's postings far from the last one's, and deciding took
        // much longer (docs/benchmarks.md). Receipts with no
        // posting come last, in statement order. Findings are sorted
        // afterwards, and each receipt and posting is decided once, so the
        // order is not seen.
        let mut order: Vec<(u32, u32)> = (0..self.receipts.len())
            .into_par_iter()
            .map(|r| (self.linked.first[r], r as u32))
            .collect();
        order.par_sort_unstable();
        // A run of receipts at a time: millions of decisions held at once
        // were the peak of a whole run's memory.
        const RUN: usize = 1 << 16;
        let mut receipt_outcomes = vec![Outcome::Matched; self.receipts.len()];
        for run in order.chunks(RUN) {
            let decided: Vec<Decision> = run
                .par_iter()
                .map(|&(_, r)| self.decide_receipt(index, near, r as usize))
                .collect();
            for (&(_, r), (outcome, outcomes, found)) in run.iter().zip(decided) {
                receipt_outcomes[r as usize] = outcome;
                for (p, o) in outcomes {
                    credit_outcomes[p] = Some(o);
                }
                findings.extend(found);
            }
        }
        receipt_outcomes
    }

    /// Whether receipt `r` is in suspense: no one account claims it and
    /// nothing was linked to it. These are the receipts
    /// [`State::decide_receipt`] makes suggestions for.
    fn in_suspense(&self, r: usize) -> bool {
        self.receipts[r].identity.account().is_none() && self.linked.is_empty(r)
    }

    /// One receipt's decision, phase by phase: never posted (unposted, or in
    /// suspense), posted as a combination or split, then posted once or more
    /// (duplicates, and the first posting's outcome).
    fn decide_receipt(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Decision {
        let receipt = &self.receipts[r];
        let finding = |kind: FindingKind,
                       account: Option<AccountId>,
                       posted_to: Option<AccountId>,
                       postings: Vec<usize>,
                       amount: Decimal,
                       detail: String| {
            let mut evidence = vec![self.data.bank_row(receipt.bank as usize)];
            evidence.extend(receipt.share().map(|s| self.data.shares[s as usize].row));
            evidence.extend(postings.iter().map(|&p| self.data.posting_row(p)));
            Finding {
                kind,
                severity: kind.severity(),
                account,
                posted_to,
                bank: Some(receipt.bank as usize),
                postings,
                amount,
                evidence,
                detail,
                suggestions: Vec::new(),
            }
        };

        let mut postings: SmallVec<[usize; 2]> = self.linked.of(r).collect();
        postings.sort_unstable();
        if postings.is_empty() {
            return match receipt.identity {
                Held::Account(a, basis) => {
                    let f = self.unposted(receipt, a, basis, &finding);
                    (Outcome::UnpostedReceipt, SmallVec::new(), vec![f])
                }
                identity => {
                    let f = self.unidentified(index, near, r, identity, &finding);
                    (Outcome::UnidentifiedReceipt, SmallVec::new(), vec![f])
                }
            };
        }
        if let Some(&p) = (self.is_combined.has(r))
            .then(|| self.combined.get(&r))
            .flatten()
        {
            return self.decide_combined(r, p, &finding);
        }
        let total = || -> i128 {
            (postings.iter())
                .map(|&p| i128::from(self.data.postings[p].credit_pence()))
                .sum()
        };
        if postings.len() > 1 && total() == i128::from(receipt.pence(self.data)) {
            return self.decide_split(index, near, r, &postings, &finding);
        }
        let (primary, mut outcomes, mut found) = self.duplicates(receipt, &postings, &finding);
        let outcome = self.primary_outcome(receipt, primary, &finding, &mut found);
        outcomes.push((primary, outcome));
        (outcome, outcomes, found)
    }

    /// The `unposted_receipt` finding for a receipt of account `a` that
    /// no posting took: low while still inside the posting allowance.
    fn unposted(
        &self,
        receipt: &Receipt,
        a: AccountId,
        basis: Basis,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let money = self.describe_receipt(receipt);
        let acc = &self.data.account(a).account_ref;
        let waiting = days_between(receipt.date(self.data), self.opts.as_at);
        let mut f = finding(
            FindingKind::UnpostedReceipt,
            Some(a),
            None,
            vec![],
            -receipt.amount(self.data),
            if waiting <= self.opts.posting_days {
                format!(
                    "{money} belongs to {acc} ({}) and is not posted yet, {waiting} days before \
                     the as-at date (allowed: {}): the corrected balance counts it; make sure it \
                     is posted to {acc}.",
                    basis.describe(),
                    self.opts.posting_days
                )
            } else {
                format!(
                    "{money} belongs to {acc} ({}) but never reached any rent account: post it to {acc}.",
                    basis.describe()
                )
            },
        );
        // Still inside the posting allowance: not yet an error.
        if waiting <= self.opts.posting_days {
            f.severity = Severity::Low;
        }
        f
    }

    /// The `unidentified_receipt` finding for receipt `r`, in suspense, with
    /// the accounts it may be: those its reference names where it names
    /// several, else those the near-miss index suggests.
    fn unidentified(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        r: usize,
        identity: Held,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let receipt = &self.receipts[r];
        let money = self.describe_receipt(receipt);
        // The near-miss index was built for these receipts only.
        debug_assert!(self.in_suspense(r));
        let mut suggestions = self.suggest(index, near, r);
        let mut detail =
            format!("{money} matches no account and was never posted; it is in suspense.");
        if identity == Held::Ambiguous {
            let ids = self.ambiguous_set(r);
            let refs: Vec<&str> = ids
                .iter()
                .map(|&a| self.data.account(a).account_ref.as_str())
                .collect();
            detail = format!(
                "{money} fits more than one account equally ({}) and was never posted; it is in suspense.",
                refs.join(", ")
            );
            suggestions = ids
                .iter()
                .map(|&a| identify::Suggestion {
                    account: a,
                    score: 2,
                    strong: false,
                    reason: "reference matches this account as well as another".to_string(),
                })
                .collect();
        }
        detail.push_str(&self.suggestions_in_words(&suggestions));
        let mut f = finding(
            FindingKind::UnidentifiedReceipt,
            None,
            None,
            vec![],
            -receipt.amount(self.data),
            detail,
        );
        f.suggestions = suggestions;
        f
    }

    /// One receipt split across postings that add up to it: matched, but
    /// for any part posted away from the account its reference names.
    fn decide_split(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        r: usize,
        postings: &[usize],
        finding: &MakeFinding<'_>,
    ) -> Decision {
        let receipt = &self.receipts[r];
        let mut outcome = Outcome::Matched;
        let (mut outcomes, mut found) = (SmallVec::new(), Vec::new());
        // Whose the receipt is: its reference's account, or where no
        // reference claims it, the one its evidence alone points to.
        // A reference naming a family's accounts, each part on one of
        // them: every part is where the payer asked.
        let family = receipt.identity == Held::Ambiguous
            && (postings.iter()).all(|&p| {
                self.ambiguous_set(r)
                    .contains(&self.data.postings[p].account)
            });
        let owner = match family {
            true => None,
            false => receipt.identity.account().or_else(|| {
                let suggested = self.suggest(index, near, r);
                identify::strong_and_unique(&suggested)
                    .first()
                    .map(|s| s.account)
            }),
        };
        for &p in postings {
            let moved = self.split_part_moved(receipt, owner, p);
            if let Some(f) = moved.map(|a| self.moved_part(receipt, a, p, finding)) {
                found.push(f);
                outcome = Outcome::WrongAccount;
            }
            let o = moved.map_or(Outcome::Matched, |_| Outcome::WrongAccount);
            outcomes.push((p, o));
        }
        (outcome, outcomes, found)
    }

    /// Of a receipt's postings, the primary (the exact amount on the
    /// account the receipt names, else any exact one, else the first) and
    /// a `duplicate_posting` for each of the others.
    fn duplicates(
        &self,
        receipt: &Receipt,
        postings: &[usize],
        finding: &MakeFinding<'_>,
    ) -> (usize, PostingOutcomes, Vec<Finding>) {
        let money = self.describe_receipt(receipt);
        let amount = receipt.amount(self.data);
        let (mut outcomes, mut found) = (SmallVec::new(), Vec::new());
        let expected = receipt.identity.account();
        let exact = |p: &usize| self.data.postings[*p].credit() == amount;
        let primary = postings
            .iter()
            .copied()
            .find(|p| exact(p) && Some(self.data.postings[*p].account) == expected)
            .or_else(|| postings.iter().copied().find(exact))
            .unwrap_or(postings[0]);
        for &p in postings.iter().filter(|&&p| p != primary) {
            let dup = &self.data.postings[p];
            let first = &self.data.postings[primary];
            outcomes.push((p, Outcome::DuplicatePosting));
            found.push(finding(
                FindingKind::DuplicatePosting,
                Some(dup.account),
                None,
                vec![primary, p],
                dup.credit(),
                format!(
                    "{money} was posted more than once: {} on {} to {} and again as {} on {} to {}: reverse {}.",
                    self.data.txn_id(primary),
                    first.date,
                    self.data.account(first.account).account_ref,
                    self.data.txn_id(p),
                    dup.date,
                    self.data.account(dup.account).account_ref,
                    self.data.txn_id(p)
                ),
            ));
        }
        (primary, outcomes, found)
    }

    /// The outcome of a receipt's primary posting: on another account than
    /// the receipt names (unless the payer's name took it there), a wrong
    /// amount, late, or matched; its findings go to `found`.
    fn primary_outcome(
        &self,
        receipt: &Receipt,
        primary: usize,
        finding: &MakeFinding<'_>,
        found: &mut Vec<Finding>,
    ) -> Outcome {
        let line = &self.data.bank[receipt.bank as usize];
        let posting = &self.data.postings[primary];
        let (credit, amount) = (posting.credit(), receipt.amount(self.data));
        let trusted_elsewhere = |a: AccountId| {
            // A tenant who pays with someone else's number but whose name the
            // posting follows: the posting is right, the reference is not.
            // So too a tenant who moved home and still quotes the old
            // tenancy's number: money is not moved into a tenancy that had
            // ended before it came.
            let tenant_of = |id: AccountId| self.data.account(id).tenant_name.as_str();
            let (old, new) = (self.data.account(a), self.data.account(posting.account));
            let moved_home = old.tenancy_end.is_some_and(|end| end < line.date)
                && new.opening_date <= line.date
                && !new.ended_by(line.date);
            identify::names_match(self.data.payer(line), tenant_of(posting.account))
                && (moved_home || !identify::names_match(self.data.payer(line), tenant_of(a)))
        };
        match receipt.identity {
            Held::Account(a, basis) if a != posting.account && !trusted_elsewhere(a) => {
                found.push(self.posted_elsewhere(receipt, primary, a, basis, finding));
                if credit != amount {
                    found.push(self.reversal_amount(receipt, primary, finding));
                }
                Outcome::WrongAccount
            }
            _ if credit != amount => {
                found.push(self.keyed_wrong(receipt, primary, finding));
                Outcome::AmountMismatch
            }
            _ if lag(self.data, posting, receipt) > self.opts.posting_days => {
                found.push(self.posted_late(receipt, primary, finding));
                Outcome::LatePosting
            }
            _ => Outcome::Matched,
        }
    }

    /// `wrong_account`: the receipt names `a`, its posting is elsewhere.
    fn posted_elsewhere(
        &self,
        receipt: &Receipt,
        primary: usize,
        a: AccountId,
        basis: Basis,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let acc = &self.data.account(a).account_ref;
        finding(
            FindingKind::WrongAccount,
            Some(a),
            Some(posting.account),
            vec![primary],
            -receipt.amount(self.data),
            format!(
                "{} belongs to {acc} ({}) but was posted to {posted_acc} as {} on {}: \
                 reverse it from {posted_acc} and post it to {acc}.",
                self.describe_receipt(receipt),
                basis.describe(),
                self.data.txn_id(primary),
                posting.date
            ),
        )
    }

    /// `amount_mismatch` beside a `wrong_account`: the reversal must take
    /// back what was credited, not what was received.
    fn reversal_amount(
        &self,
        receipt: &Receipt,
        primary: usize,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let credit = posting.credit();
        finding(
            FindingKind::AmountMismatch,
            Some(posting.account),
            None,
            vec![primary],
            credit - receipt.amount(self.data),
            format!(
                "{} on {} credited {posted_acc} with {} for {}: the reversal from {posted_acc} \
                 must be {}, not the receipt's amount.",
                self.data.txn_id(primary),
                posting.date,
                pounds(credit),
                self.describe_receipt(receipt),
                pounds(credit)
            ),
        )
    }

    /// `amount_mismatch`: the posting credited more or less than came in.
    fn keyed_wrong(&self, receipt: &Receipt, primary: usize, finding: &MakeFinding<'_>) -> Finding {
        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let credit = posting.credit();
        let diff = credit - receipt.amount(self.data);
        finding(
            FindingKind::AmountMismatch,
            Some(posting.account),
            None,
            vec![primary],
            diff,
            format!(
                "{} on {} credited {posted_acc} with {}, but the receipt was {}: \
                 correct the posting by {} (the tenant owes {} {}).",
                self.data.txn_id(primary),
                posting.date,
                pounds(credit),
                self.describe_receipt(receipt),
                pounds(diff.abs()),
                pounds(diff.abs()),
                if diff > Decimal::ZERO { "more" } else { "less" }
            ),
        )
    }

    /// `late_posting`: posted after the posting allowance.
    fn posted_late(&self, receipt: &Receipt, primary: usize, finding: &MakeFinding<'_>) -> Finding {
        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let days = lag(self.data, posting, receipt);
        finding(
            FindingKind::LatePosting,
            Some(posting.account),
            None,
            vec![primary],
            Decimal::ZERO,
            format!(
                "{} was posted to {posted_acc} as {} on {}, {days} days after it arrived \
                 (allowed: {}): the account looked {} worse in between; check no arrears \
                 action was taken on it then.",
                self.describe_receipt(receipt),
                self.data.txn_id(primary),
                posting.date,
                self.opts.posting_days,
                pounds(receipt.amount(self.data))
            ),
        )
    }

    /// The account a part of a split receipt belongs to, where it was posted
    /// elsewhere: the receipt's reference names an account, the part is on
    /// another, and the payer's name does not take it there.
    fn split_part_moved(
        &self,
        receipt: &Receipt,
        owner: Option<AccountId>,
        p: usize,
    ) -> Option<AccountId> {
        let a = owner?;
        let b = self.data.postings[p].account;
        if a == b {
            return None;
        }
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        let tenant = |id: AccountId| self.data.account(id).tenant_name.as_str();
        let followed_name =
            identify::names_match(payer, tenant(b)) && !identify::names_match(payer, tenant(a));
        (!followed_name).then_some(a)
    }

    /// The `wrong_account` finding for part `p` of a split receipt that
    /// belongs to `a`.
    fn moved_part(
        &self,
        receipt: &Receipt,
        a: AccountId,
        p: usize,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let posting = &self.data.postings[p];
        let (acc, to) = (
            &self.data.account(a).account_ref,
            &self.data.account(posting.account).account_ref,
        );
        finding(
            FindingKind::WrongAccount,
            Some(a),
            Some(posting.account),
            vec![p],
            -posting.credit(),
            format!(
                "{} belongs to {acc}, but {} of it was posted to {to} as {} on {}: reverse it from {to} and \
                 post it to {acc}.",
                self.describe_receipt(receipt),
                pounds(posting.credit()),
                self.data.txn_id(p),
                posting.date
            ),
        )
    }

    /// The receipt in words, built only if a sentence uses it.
    pub(super) fn describe_receipt<'s>(&'s self, receipt: &'s Receipt) -> ReceiptText<'s> {
        ReceiptText {
            data: self.data,
            receipt,
        }
    }
}
