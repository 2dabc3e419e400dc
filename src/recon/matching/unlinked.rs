//! Cash credits tied to no receipt once linking is done: a duplicate of a
//! credit that is tied, or money that never came (`unbanked_credit`).

use super::*;
use crate::recon::model::RowRef;

/// Bank lines after the as-at date by (account, pence): see
/// [`State::arriving_after`].
type Arriving = HashMap<(AccountId, i64), Vec<usize>>;

impl State<'_> {
    /// Cash credits tied to no receipt: a duplicate of one that is tied
    /// (same account, same amount, near in time), or money that never came.
    pub(super) fn decide_unlinked_postings(
        &self,
        index: &RefIndex,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) {
        let by_amount = self.linked_by_amount();
        let mut after: Option<Arriving> = None;
        for &p in &self.free_postings {
            if self.posting_linked[p] {
                continue;
            }
            let f = self.unlinked_finding(p, &by_amount);
            if f.kind == FindingKind::UnbankedCredit && !self.no_share.contains_key(&p) {
                let after = after.get_or_insert_with(|| self.arriving_after(index));
                if self.banked_after(p, after) {
                    credit_outcomes[p] = Some(Outcome::Matched);
                    continue;
                }
            }
            credit_outcomes[p] = f.kind.spec().outcome;
            findings.push(f);
        }
    }

    /// Money in that reached the bank after the as-at date, within the
    /// lead a posting may have on its money, identified to an account: by
    /// account and amount, in bank order.
    fn arriving_after(&self, index: &RefIndex) -> Arriving {
        let (data, opts) = (self.data, self.opts);
        let lead = chrono::Days::new(opts.lead_days.unsigned_abs());
        let until = opts.as_at.checked_add_days(lead).unwrap_or(opts.as_at);
        let lines: Vec<usize> = (0..data.bank.len())
            .into_par_iter()
            .filter(|&l| {
                let line = &data.bank[l];
                line.amount.pence() > 0 && line.date > opts.as_at && line.date <= until
            })
            .collect();
        let mut by: Arriving = HashMap::default();
        for l in lines {
            let line = &data.bank[l];
            if let Some(a) = index.identify(data.reference(line)).account() {
                by.entry((a, line.amount.pence())).or_default().push(l);
            }
        }
        by
    }

    /// Whether credit `p`, dated by the as-at date, has its money on a bank
    /// line after it (`after`, taken once): on its account, of its amount,
    /// within the lead after the posting, and the line its bank ref names
    /// where it names one. Takes the line.
    fn banked_after(&self, p: usize, after: &mut Arriving) -> bool {
        let (data, opts) = (self.data, self.opts);
        let q = &data.postings[p];
        let Some(lines) = after.get_mut(&(q.account, q.credit_pence())) else {
            return false;
        };
        let named = data.bank_ref(q).map(identify::normalise);
        let fits = |&l: &usize| {
            let days = days_between(q.date, data.bank[l].date);
            (0..=opts.lead_days).contains(&days)
                && named
                    .as_ref()
                    .is_none_or(|n| *n == identify::normalise(&data.bank_id(l)))
        };
        match lines.iter().position(fits) {
            Some(at) => {
                lines.remove(at);
                true
            }
            None => false,
        }
    }

    /// The linked receipts of the accounts with a credit left over, by
    /// account and amount: where a duplicate's original is looked for.
    fn linked_by_amount(&self) -> HashMap<(AccountId, i64), Vec<usize>> {
        // The linked receipts of only the accounts with a credit left over:
        // a map of every account's would cost more than the rest of this.
        let mut wanted = vec![false; self.data.accounts.len()];
        for &p in &self.free_postings {
            if !self.posting_linked[p] {
                wanted[self.data.postings[p].account as usize] = true;
            }
        }
        // Which postings are on those accounts, a bit each, read in ledger
        // order: a receipt's postings are then looked up in a small table,
        // not read at random (a statement in date order links each receipt
        // to a posting far from the last one's).
        let on_wanted: Vec<u64> = self
            .data
            .postings
            .par_chunks(64)
            .map(|chunk| {
                (chunk.iter().enumerate())
                    .filter(|(_, p)| wanted[p.account as usize])
                    .fold(0, |bits, (i, _)| bits | 1 << i)
            })
            .collect();
        let is_on_wanted = |p: usize| on_wanted[p / 64] >> (p % 64) & 1 != 0;
        let of_wanted: Vec<(AccountId, usize)> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| {
                self.linked
                    .of(r)
                    .filter(|&p| is_on_wanted(p))
                    .map(move |p| (self.data.postings[p].account, r))
            })
            .collect();
        // By account and amount: a credit's original is a receipt of its
        // amount, and one account (a suspense account, say) may hold
        // hundreds of thousands of receipts.
        let mut by_amount: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
        for (account, r) in of_wanted {
            let pence = self.receipts[r].pence(self.data);
            by_amount.entry((account, pence)).or_default().push(r);
        }
        by_amount
    }

    /// Cash credit `p`, tied to no receipt: a `duplicate_posting` of the
    /// credit its original receipt is tied to, else `unbanked_credit`.
    fn unlinked_finding(
        &self,
        p: usize,
        by_amount: &HashMap<(AccountId, i64), Vec<usize>>,
    ) -> Finding {
        let posting = &self.data.postings[p];
        let acc = &self.data.account(posting.account).account_ref;
        let mut evidence = vec![self.data.posting_row(p)];
        let (kind, bank, postings, detail) = match self.original_of(p, by_amount) {
            Some((r, first)) => {
                let receipt = &self.receipts[r];
                evidence.insert(0, self.data.bank_row(receipt.bank as usize));
                evidence.insert(1, self.data.posting_row(first));
                (
                    FindingKind::DuplicatePosting,
                    Some(receipt.bank as usize),
                    vec![first, p],
                    format!(
                        "{} was posted to {acc} twice: {} on {} and {} on {}, for one receipt: reverse {}.",
                        self.describe_receipt(receipt),
                        self.data.txn_id(first),
                        self.data.postings[first].date,
                        self.data.txn_id(p),
                        posting.date,
                        self.data.txn_id(p)
                    ),
                )
            }
            None => (
                FindingKind::UnbankedCredit,
                self.no_share.get(&p).copied(),
                vec![p],
                format!(
                    "{} on {} credits {acc} with {} as a {} but no money is behind it: {}. \
                     Find the receipt or reverse the credit.",
                    self.data.txn_id(p),
                    posting.date,
                    pounds(posting.credit()),
                    posting.kind,
                    self.why_unbanked(p, &mut evidence)
                ),
            ),
        };
        Finding {
            kind,
            severity: kind.severity(),
            account: Some(posting.account),
            posted_to: None,
            bank,
            postings,
            amount: posting.credit(),
            evidence,
            detail,
            suggestions: Vec::new(),
        }
    }

    /// The receipt credit `p` duplicates, and the first posting of it: a
    /// receipt of its amount on its account, tied to a posting near it.
    fn original_of(
        &self,
        p: usize,
        by_amount: &HashMap<(AccountId, i64), Vec<usize>>,
    ) -> Option<(usize, usize)> {
        let posting = &self.data.postings[p];
        // A duplicate is keyed again near the first posting, the same
        // way: soon after it, or (the unreferenced copy keyed by hand
        // first) soon before.
        let near_first = |q: usize| {
            let first = &self.data.postings[q];
            let days = days_between(first.date, posting.date);
            first.account == posting.account
                && (-self.opts.posting_days..=self.opts.posting_days).contains(&days)
                && (first.method == posting.method
                    || first.method.is_none()
                    || posting.method.is_none())
        };
        let r = by_amount
            .get(&(posting.account, posting.credit_pence()))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&r| self.linked.of(r).any(near_first))
            .min_by_key(|&r| (cost(lag(self.data, posting, &self.receipts[r])), r))?;
        let first = self.linked.of(r).filter(|&q| near_first(q)).min();
        Some((r, first.unwrap_or(p)))
    }

    /// Why credit `p` has no money behind it, in words; a bulk line with no
    /// share for it joins the evidence.
    fn why_unbanked(&self, p: usize, evidence: &mut Vec<RowRef>) -> String {
        let posting = &self.data.postings[p];
        let acc = &self.data.account(posting.account).account_ref;
        if let Some(bank_ref) = self.dangling_ref.get(&p) {
            format!("its bank reference {bank_ref:?} is on no bank line up to the as-at date")
        } else if let Some(&l) = self.no_share.get(&p) {
            evidence.push(self.data.bank_row(l));
            format!(
                "its bulk receipt {} has no share in the schedule for {acc}",
                self.data.bank_id(l)
            )
        } else {
            format!(
                "no receipt of that amount for this account arrived between {} days before and {} days after",
                self.opts.lead_days, self.opts.match_days
            )
        }
    }
}
