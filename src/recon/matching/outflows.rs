//! Money paid out: returned Direct Debits and refunds, paired with the
//! ledger's reversals and refunds per account and amount.

use super::*;

/// What the outflow passes read, and how a refund is judged.
struct Flows<'a> {
    data: &'a Dataset,
    index: &'a RefIndex,
    ledger: &'a AccountPostings,
    opts: MatchOptions,
    bank_keys: &'a BankKeys<'a>,
}

/// The ledger entries money out may pair with.
#[derive(Default)]
struct Debits {
    /// Reversal and refund debits by the bank ref they carry (normalised).
    by_ref: HashMap<Text, Vec<usize>>,
    /// Those with no bank ref, by account.
    by_account: HashMap<AccountId, Vec<usize>>,
    /// The account each returned collection's credit went to, by the
    /// collection's id (normalised).
    credited: HashMap<Text, AccountId>,
    /// Reversals and refunds whose bank ref names no bank line (nor bulk
    /// line's batch ref) up to the as-at date: filed by account, as if they
    /// had none, and listed for a warning. In ledger order.
    unknown_ref: Vec<usize>,
}

/// What one outflow is, whose it is, and the ledger entries it took.
struct Outflow {
    line: usize,
    kind: FindingKind,
    ledger_kind: PostingKind,
    collection: Option<usize>,
    account: Option<AccountId>,
    chosen: Vec<usize>,
}

/// A return that found its reversal: account, amount, date, the
/// reversal, the bank line.
type Reversed = (AccountId, Decimal, NaiveDate, usize, usize);

/// What the outflow passes give the rest of the run.
pub(super) struct Outflows {
    /// Each Direct Debit return's account and line.
    pub(super) returns: Vec<(AccountId, usize)>,
    /// Reversals and refunds whose bank ref names no bank line, matched by
    /// account, amount and window instead.
    pub(super) unknown_ref: Vec<usize>,
}

/// Pairs money out with the ledger: by bank id first, then by account,
/// amount and window; then names ledger reversals and refunds with no money
/// behind them.
pub(super) fn match_outflows(
    data: &Dataset,
    index: &RefIndex,
    ledger: &AccountPostings,
    opts: MatchOptions,
    bank_keys: &BankKeys,
    clawed: &[usize],
    (entries, findings): (&mut Vec<BankEntry>, &mut Vec<Finding>),
) -> Outflows {
    let ctx = Flows {
        data,
        index,
        ledger,
        opts,
        bank_keys,
    };
    let outflows: Vec<usize> = (0..data.bank.len())
        .into_par_iter()
        .filter(|&i| data.bank[i].amount.pence() < 0 && data.bank[i].date <= opts.as_at)
        .collect();
    let mut taken = vec![false; data.postings.len()];
    for &p in clawed {
        taken[p] = true;
    }
    let mut debits = ctx.file_debits(&outflows);
    let mut flows: Vec<Outflow> = outflows
        .iter()
        .map(|&i| ctx.by_bank_id(i, &debits, &mut taken))
        .collect();
    ctx.by_amount_and_window(&mut flows, &mut debits.by_account, &mut taken);
    let mut returns = Vec::new();
    let mut reversed: Vec<Reversed> = Vec::new();
    for flow in flows {
        let line = &data.bank[flow.line];
        if let (true, Some(a)) = (line.is_dd_return(), flow.account) {
            returns.push((a, flow.line));
            if let Some(&first) = flow.chosen.first() {
                reversed.push((a, -line.amount(), line.date, first, flow.line));
            }
        }
        ctx.settle(flow, entries, findings);
    }
    ctx.unbacked_debits(&taken, &reversed, findings);
    Outflows {
        returns,
        unknown_ref: debits.unknown_ref,
    }
}

impl Flows<'_> {
    fn wanted(&self, p: &Posting, kind: PostingKind) -> bool {
        p.is_debit_by(kind, self.opts.as_at)
    }

    /// An `adjustment` debit whose `bank_ref` names money out: the ledger
    /// put a return or refund through under another charge type. Only by
    /// its bank ref may it pair with the money (never by amount alone).
    fn names_money_out(&self, q: &Posting) -> bool {
        self.wanted(q, PostingKind::Adjustment)
            && (self.data.bank_ref(q))
                .and_then(|b| self.bank_keys.get(b))
                .is_some_and(|b| self.data.bank[b].amount.pence() < 0)
    }

    /// Whether debit `p`, found by the bank id of outflow `line` (for
    /// `account`), is its reversal or refund: one of `kind`, or an
    /// adjustment of the amount paid out on the account it was for.
    fn pairs_by_id(
        &self,
        p: usize,
        kind: PostingKind,
        line: &BankLine,
        account: Option<AccountId>,
    ) -> bool {
        let q = &self.data.postings[p];
        q.kind == kind
            || (q.kind == PostingKind::Adjustment
                && q.amount.pence() == -line.amount.pence()
                && account.is_none_or(|a| a == q.account))
    }

    /// A refund that turns a credit balance into arrears was not the
    /// tenant's money to refund.
    fn takes_into_arrears(&self, account: AccountId, on: NaiveDate, refund: Decimal) -> bool {
        let data = self.data;
        let before: Decimal = data.account(account).opening_balance
            + (self.ledger.of(account).iter())
                .map(|&p| &data.postings[p as usize])
                .filter(|q| q.date < on)
                .map(|q| q.amount())
                .sum::<Decimal>();
        before < Decimal::ZERO && before + refund > Decimal::ZERO
    }

    fn refund_severity(
        &self,
        account: Option<AccountId>,
        on: NaiveDate,
        refund: Decimal,
    ) -> Severity {
        match account {
            Some(a) if self.takes_into_arrears(a, on, refund) => Severity::High,
            _ => FindingKind::UnmatchedRefund.severity(),
        }
    }

    /// The few postings that matter here, found in parallel (with the
    /// normal form of a credit's bank ref, for the collections returns
    /// point at) and filed in ledger order.
    fn file_debits(&self, outflows: &[usize]) -> Debits {
        let data = self.data;
        let collections: rustc_hash::FxHashSet<Text> = outflows
            .iter()
            .filter_map(|&i| data.returned_bank_id(&data.bank[i]))
            .filter_map(|id| self.bank_keys.get(id))
            .map(|c| identify::normalise(&data.bank_id(c)))
            .collect();
        let of_use: Vec<(usize, Option<Text>)> = data
            .postings
            .par_iter()
            .enumerate()
            .filter_map(|(p, q)| {
                if self.wanted(q, PostingKind::Reversal)
                    || self.wanted(q, PostingKind::Refund)
                    || self.names_money_out(q)
                {
                    Some((p, None))
                } else if q.is_credit() && !collections.is_empty() {
                    let key = identify::normalise(data.bank_ref(q)?);
                    collections.contains(&key).then_some((p, Some(key)))
                } else {
                    None
                }
            })
            .collect();
        let mut debits = Debits::default();
        for (p, collection) in of_use {
            let q = &data.postings[p];
            match (collection, data.bank_ref(q)) {
                (Some(key), _) => {
                    debits.credited.entry(key).or_insert(q.account);
                }
                // A ref the statement lacks says nothing: matched by account
                // and amount, as a posting with none is (it was a block to
                // that, and the entry was left unmatched).
                (None, Some(b)) if self.bank_keys.get(b).is_none() => {
                    debits.unknown_ref.push(p);
                    debits.by_account.entry(q.account).or_default().push(p);
                }
                (None, Some(b)) => debits
                    .by_ref
                    .entry(identify::normalise(b))
                    .or_default()
                    .push(p),
                (None, None) => debits.by_account.entry(q.account).or_default().push(p),
            }
        }
        debits
    }

    /// Bank line `i`: what it is, whose it is, and the ledger entries that
    /// carry its bank id (or its collection's).
    fn by_bank_id(&self, i: usize, debits: &Debits, taken: &mut [bool]) -> Outflow {
        let data = self.data;
        let line = &data.bank[i];
        let (kind, ledger_kind) = if line.is_dd_return() {
            (FindingKind::UnreversedReturn, PostingKind::Reversal)
        } else {
            (FindingKind::UnmatchedRefund, PostingKind::Refund)
        };
        let collection = data
            .returned_bank_id(line)
            .and_then(|id| self.bank_keys.get(id));
        let account = collection
            .and_then(|c| {
                let collected = &data.bank[c];
                self.index
                    .identify(data.reference(collected))
                    .account()
                    .or_else(|| {
                        (debits.credited)
                            .get(&identify::normalise(&data.bank_id(c)))
                            .copied()
                    })
            })
            .or_else(|| self.index.identify(data.reference(line)).account());
        let mut chosen: Vec<usize> = std::iter::once(data.bank_id(i))
            .chain(collection.map(|c| data.bank_id(c)))
            .flat_map(|k| {
                debits
                    .by_ref
                    .get(&identify::normalise(&k))
                    .into_iter()
                    .flatten()
            })
            .copied()
            .filter(|&p| !taken[p] && self.pairs_by_id(p, ledger_kind, line, account))
            .collect();
        // The entry of the kind itself first: an adjustment beside it is
        // the extra.
        chosen.sort_unstable_by_key(|&p| (data.postings[p].kind != ledger_kind, p));
        chosen.dedup();
        for &p in &chosen {
            taken[p] = true;
        }
        // Nothing else names whose it is: the ledger entry that carries
        // its bank id does (a return with no collection id, reversed).
        let account = account.or_else(|| chosen.first().map(|&p| data.postings[p].account));
        Outflow {
            line: i,
            kind,
            ledger_kind,
            collection,
            account,
            chosen,
        }
    }

    /// The rest by account, amount and window, cheapest pairs first, so an
    /// early return cannot take a later return's reversal. Each account's
    /// debits are sorted by amount and date, so that a return looks only at
    /// those of its amount inside its window (10,000 returns on one
    /// account each looked through all its 10,000 reversals).
    fn by_amount_and_window(
        &self,
        flows: &mut [Outflow],
        by_account: &mut HashMap<AccountId, Vec<usize>>,
        taken: &mut [bool],
    ) {
        let (data, opts) = (self.data, self.opts);
        let key = |p: usize| (data.postings[p].amount.pence(), data.postings[p].date);
        for debits in by_account.values_mut() {
            debits.sort_by_key(|&p| (key(p), p));
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        for (f, flow) in flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.chosen.is_empty())
        {
            let line = &data.bank[flow.line];
            let Some(debits) = flow.account.and_then(|a| by_account.get(&a)) else {
                continue;
            };
            let out = -line.amount.pence();
            let from = (line.date)
                .checked_sub_days(chrono::Days::new(opts.lead_days.unsigned_abs()))
                .unwrap_or(NaiveDate::MIN);
            let start = debits.partition_point(|&p| key(p) < (out, from));
            for &p in &debits[start..] {
                let q = &data.postings[p];
                let days = days_between(line.date, q.date);
                if q.amount.pence() != out || days > opts.match_days {
                    break;
                }
                if !taken[p] && q.kind == flow.ledger_kind && days >= -opts.lead_days {
                    candidates.push((cost(days), f, p));
                }
            }
        }
        let mut flow_free = vec![true; flows.len()];
        let mut posting_free: Vec<bool> = taken.iter().map(|t| !t).collect();
        for (f, p) in assign(candidates, &mut flow_free, &mut posting_free) {
            flows[f].chosen.push(p);
            taken[p] = true;
        }
    }

    /// An outflow in words, to begin a finding's detail.
    fn describe(&self, i: usize) -> String {
        let data = self.data;
        let line = &data.bank[i];
        let out = -line.amount();
        if line.is_dd_return() {
            let code = data.return_code(line).unwrap_or("");
            format!(
                "Direct Debit return {} of {} on {}{}",
                data.bank_id(i),
                pounds(out),
                line.date,
                if code.is_empty() {
                    String::new()
                } else {
                    format!(" (ARUDD {code}: {})", arudd_reason(code))
                }
            )
        } else {
            format!(
                "{} paid out on {} ({})",
                pounds(out),
                line.date,
                data.bank_id(i)
            )
        }
    }

    /// An outflow's entry in the totals and its findings.
    fn settle(&self, flow: Outflow, entries: &mut Vec<BankEntry>, findings: &mut Vec<Finding>) {
        match flow.chosen.as_slice() {
            [] => self.unmatched(&flow, entries, findings),
            [first, extra @ ..] => self.matched(&flow, *first, extra, entries, findings),
        }
    }

    /// Money out with no ledger entry: never reversed, or no refund posted.
    fn unmatched(&self, flow: &Outflow, entries: &mut Vec<BankEntry>, findings: &mut Vec<Finding>) {
        let data = self.data;
        let (i, kind, account) = (flow.line, flow.kind, flow.account);
        let line = &data.bank[i];
        let out = -line.amount();
        entries.push(BankEntry {
            bank: i as u32,
            share: None,
            amount: line.amount(),
            outcome: kind_outcome(kind),
        });
        let mut evidence = vec![data.bank_row(i)];
        if let Some(c) = flow.collection {
            evidence.push(data.bank_row(c));
        }
        let severity = if line.is_dd_return() {
            kind.severity()
        } else {
            self.refund_severity(account, line.date, out)
        };
        let what = self.describe(i);
        let acc_name = account.map(|a| data.account(a).account_ref.to_string());
        let mut detail = match (&acc_name, line.is_dd_return()) {
            (Some(a), true) => format!(
                "{what} was never reversed on {a}: the account looks {} better than it is; post the reversal.",
                pounds(out)
            ),
            (Some(a), false) => format!(
                "{what} to the tenant of {a} has no refund on the ledger: post the refund or recover the money."
            ),
            (None, _) => format!("{what} cannot be tied to any account and has no ledger entry: trace it."),
        };
        if severity == Severity::High && !line.is_dd_return() {
            detail.push_str(" It took the account from credit into arrears: more was refunded than the tenant was owed.");
        }
        findings.push(Finding {
            kind,
            severity,
            account,
            posted_to: None,
            bank: Some(i),
            postings: vec![],
            amount: if account.is_some() {
                out
            } else {
                Decimal::ZERO
            },
            evidence,
            detail,
            suggestions: Vec::new(),
        });
    }

    /// Money out with its ledger entry `first`: matched, or on another
    /// account than the money's (the debit belongs where the money went);
    /// `extra` entries for it are duplicates.
    fn matched(
        &self,
        flow: &Outflow,
        first: usize,
        extra: &[usize],
        entries: &mut Vec<BankEntry>,
        findings: &mut Vec<Finding>,
    ) {
        let data = self.data;
        let i = flow.line;
        let what = self.describe(i);
        let moved = flow.account.filter(|&a| a != data.postings[first].account);
        entries.push(BankEntry {
            bank: i as u32,
            share: None,
            amount: data.bank[i].amount(),
            outcome: if moved.is_some() {
                Outcome::WrongAccount
            } else {
                Outcome::Matched
            },
        });
        if let Some(a) = moved {
            findings.push(self.debit_elsewhere(i, first, a, &what));
        }
        for &p in extra {
            let acc = &data.account(data.postings[p].account).account_ref;
            let twice = format!("{what} was put through {acc} twice");
            findings.push(self.debit_twice(i, first, p, twice));
        }
    }

    /// `wrong_account`: money out `what` (bank line `i`) was for account
    /// `a`, but its ledger entry `first` is on another.
    fn debit_elsewhere(&self, i: usize, first: usize, a: AccountId, what: &str) -> Finding {
        let data = self.data;
        let q = &data.postings[first];
        let (owner, posted) = (
            &data.account(a).account_ref,
            &data.account(q.account).account_ref,
        );
        Finding {
            kind: FindingKind::WrongAccount,
            severity: FindingKind::WrongAccount.severity(),
            account: Some(a),
            posted_to: Some(q.account),
            bank: Some(i),
            postings: vec![first],
            amount: -data.bank[i].amount(),
            evidence: vec![data.bank_row(i), data.posting_row(first)],
            detail: format!(
                "{what} belongs to {owner} but its {} was posted to {posted} as {} on {}: \
                 reverse it from {posted} and post it to {owner}.",
                q.kind,
                data.txn_id(first),
                q.date
            ),
            suggestions: Vec::new(),
        }
    }

    /// `duplicate_posting`: debit `p` repeats `first`, the ledger entry for
    /// money out on bank line `bank`; `twice` says what was put through
    /// twice.
    fn debit_twice(&self, bank: usize, first: usize, p: usize, twice: String) -> Finding {
        let data = self.data;
        let q = &data.postings[p];
        Finding {
            kind: FindingKind::DuplicatePosting,
            severity: FindingKind::DuplicatePosting.severity(),
            account: Some(q.account),
            posted_to: None,
            bank: Some(bank),
            postings: vec![first, p],
            amount: -q.amount(),
            evidence: vec![
                data.bank_row(bank),
                data.posting_row(first),
                data.posting_row(p),
            ],
            detail: format!(
                "{twice}: {} and {}; reverse {}.",
                data.txn_id(first),
                data.txn_id(p),
                data.txn_id(p)
            ),
            suggestions: Vec::new(),
        }
    }

    /// Ledger reversals and refunds with no money behind them. The returns
    /// already reversed are found by account and amount: a scan of them all
    /// for every posting grew with the ledger times the returns
    /// (docs/benchmarks.md, issue 28).
    fn unbacked_debits(&self, taken: &[bool], reversed: &[Reversed], findings: &mut Vec<Finding>) {
        let data = self.data;
        let mut reversed_by: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
        for (k, &(a, _, _, _, bank)) in reversed.iter().enumerate() {
            let out = -data.bank[bank].amount.pence();
            reversed_by.entry((a, out)).or_default().push(k);
        }
        for (p, q) in data.postings.iter().enumerate() {
            if taken[p]
                || !(self.wanted(q, PostingKind::Reversal) || self.wanted(q, PostingKind::Refund))
            {
                continue;
            }
            let before = reversed_by.get(&(q.account, q.amount.pence()));
            if let Some(finding) = self.second_reversal(p, before, reversed) {
                findings.push(finding);
                continue;
            }
            findings.extend(self.unbacked(p));
        }
    }

    /// Reversal `p` of a return already reversed (`candidates`, indices into
    /// `reversed`, of its account and amount): keyed twice.
    fn second_reversal(
        &self,
        p: usize,
        candidates: Option<&Vec<usize>>,
        reversed: &[Reversed],
    ) -> Option<Finding> {
        let (data, opts) = (self.data, self.opts);
        let q = &data.postings[p];
        if !self.wanted(q, PostingKind::Reversal) {
            return None;
        }
        let &(_, _, _, first, bank) = (candidates.into_iter().flatten())
            .map(|&k| &reversed[k])
            .find(|&&(_, _, on, _, _)| {
                let days = days_between(on, q.date);
                q.kind == PostingKind::Reversal
                    && days >= -opts.lead_days
                    && days <= opts.match_days
            })?;
        let acc = &data.account(q.account).account_ref;
        let twice = format!(
            "Direct Debit return {} of {} was reversed on {acc} twice",
            data.bank_id(bank),
            pounds(q.amount())
        );
        Some(self.debit_twice(bank, first, p, twice))
    }

    /// A reversal of a payment with no return, or a refund with no money
    /// paid out.
    fn unbacked(&self, p: usize) -> Option<Finding> {
        let data = self.data;
        let q = &data.postings[p];
        let kind = if self.wanted(q, PostingKind::Reversal) && reverses_payment(q) {
            FindingKind::ReversalWithoutReturn
        } else if self.wanted(q, PostingKind::Refund) {
            FindingKind::UnmatchedRefund
        } else {
            return None;
        };
        let acc = &data.account(q.account).account_ref;
        let (severity, mut detail) = if kind == FindingKind::UnmatchedRefund {
            (
                self.refund_severity(Some(q.account), q.date, q.amount()),
                format!(
                    "{} on {} refunds {} to {acc} but no money left the bank for it: \
                     pay the refund or cancel the ledger entry.",
                    data.txn_id(p),
                    q.date,
                    pounds(q.amount())
                ),
            )
        } else {
            (
                kind.severity(),
                format!(
                    "{} on {} reverses {} from {acc} but the bank shows no returned payment: \
                     the account looks {} worse than it is; cancel the reversal unless the return is elsewhere.",
                    data.txn_id(p),
                    q.date,
                    pounds(q.amount()),
                    pounds(q.amount())
                ),
            )
        };
        if severity == Severity::High && kind == FindingKind::UnmatchedRefund {
            detail.push_str(" It took the account from credit into arrears: more was refunded than the tenant was owed.");
        }
        Some(Finding {
            kind,
            severity,
            account: Some(q.account),
            posted_to: None,
            bank: None,
            postings: vec![p],
            amount: -q.amount(),
            evidence: vec![data.posting_row(p)],
            detail,
            suggestions: Vec::new(),
        })
    }
}

/// Reversals of payments are what a DD return needs; a reversal with
/// nothing to say it was money (no method, no bank ref) may be an ordinary
/// ledger correction. Any method says it was, `other` too: the kind, not
/// the method, makes it a reversal.
fn reverses_payment(q: &Posting) -> bool {
    q.method.is_some() || q.texts.has(Posting::BANK_REF)
}

fn kind_outcome(kind: FindingKind) -> Outcome {
    kind.spec().outcome.unwrap_or(Outcome::UnmatchedRefund)
}

/// The ARUDD reason code in words (the law table's).
pub fn arudd_reason(code: &str) -> &'static str {
    crate::recon::law::return_code(code).map_or("reason code not recognised", |r| r.meaning)
}
