//! Money paid out: returned Direct Debits and refunds, paired with the
//! ledger's reversals and refunds per account and amount.

use super::*;

pub(super) fn match_outflows(
    data: &Dataset,
    index: &RefIndex,
    ledger: &AccountPostings,
    opts: MatchOptions,
    bank_keys: &BankKeys,
    entries: &mut Vec<BankEntry>,
    findings: &mut Vec<Finding>,
) -> Vec<(AccountId, usize)> {
    let mut returns = Vec::new();
    // Returns that found their reversal: (account, amount, date, reversal, bank line).
    let mut reversed: Vec<(AccountId, Decimal, NaiveDate, usize, usize)> = Vec::new();
    // A refund that turns a credit balance into arrears was not the
    // tenant's money to refund.
    let into_arrears = |account: AccountId, on: NaiveDate, refund: Decimal| {
        let before: Decimal = data.account(account).opening_balance
            + ledger
                .of(account)
                .iter()
                .map(|&p| &data.postings[p as usize])
                .filter(|q| q.date < on)
                .map(|q| q.amount())
                .sum::<Decimal>();
        before < Decimal::ZERO && before + refund > Decimal::ZERO
    };
    let refund_severity = |account: Option<AccountId>, on: NaiveDate, refund: Decimal| match account
    {
        Some(a) if into_arrears(a, on, refund) => Severity::High,
        _ => FindingKind::UnmatchedRefund.severity(),
    };
    let outflows: Vec<usize> = (0..data.bank.len())
        .into_par_iter()
        .filter(|&i| data.bank[i].amount.pence() < 0 && data.bank[i].date <= opts.as_at)
        .collect();
    let mut taken = vec![false; data.postings.len()];
    let wanted = |p: &Posting, kind: PostingKind| p.is_debit_by(kind, opts.as_at);
    // Reversal and refund debits by the bank ref they carry, and by account.
    let mut by_ref: HashMap<Text, Vec<usize>> = HashMap::default();
    let mut by_account: HashMap<AccountId, Vec<usize>> = HashMap::default();
    // The account each returned collection's credit went to, for finding
    // a return's account: only for the collections returns point at.
    let collections: rustc_hash::FxHashSet<Text> = outflows
        .iter()
        .filter_map(|&i| data.returned_bank_id(&data.bank[i]))
        .filter_map(|id| bank_keys.get(id))
        .map(|c| identify::normalise(&data.bank_id(c)))
        .collect();
    // The few postings that matter here, found in parallel (with the
    // normal form of a credit's bank ref, for the collections) and
    // filed in ledger order.
    let of_use: Vec<(usize, Option<Text>)> = data
        .postings
        .par_iter()
        .enumerate()
        .filter_map(|(p, q)| {
            if wanted(q, PostingKind::Reversal) || wanted(q, PostingKind::Refund) {
                Some((p, None))
            } else if q.is_credit() && !collections.is_empty() {
                let key = identify::normalise(data.bank_ref(q)?);
                collections.contains(&key).then_some((p, Some(key)))
            } else {
                None
            }
        })
        .collect();
    let mut credited: HashMap<Text, AccountId> = HashMap::default();
    for (p, collection) in of_use {
        let q = &data.postings[p];
        match (collection, data.bank_ref(q)) {
            (Some(key), _) => {
                credited.entry(key).or_insert(q.account);
            }
            (None, Some(b)) => by_ref.entry(identify::normalise(b)).or_default().push(p),
            (None, None) => by_account.entry(q.account).or_default().push(p),
        }
    }

    // What each outflow is, whose it is, and the ledger entries that
    // carry its bank id (or its collection's).
    struct Outflow {
        line: usize,
        kind: FindingKind,
        ledger_kind: PostingKind,
        collection: Option<usize>,
        account: Option<AccountId>,
        chosen: Vec<usize>,
    }
    let mut flows: Vec<Outflow> = Vec::with_capacity(outflows.len());
    for &i in &outflows {
        let line = &data.bank[i];
        let (kind, ledger_kind) = if line.is_dd_return() {
            (FindingKind::UnreversedReturn, PostingKind::Reversal)
        } else {
            (FindingKind::UnmatchedRefund, PostingKind::Refund)
        };
        let collection = data.returned_bank_id(line).and_then(|id| bank_keys.get(id));
        let account = collection
            .and_then(|c| {
                let collected = &data.bank[c];
                index
                    .identify(data.reference(collected))
                    .account()
                    .or_else(|| {
                        credited
                            .get(&identify::normalise(&data.bank_id(c)))
                            .copied()
                    })
            })
            .or_else(|| index.identify(data.reference(line)).account());
        let mut chosen: Vec<usize> = std::iter::once(data.bank_id(i))
            .chain(collection.map(|c| data.bank_id(c)))
            .flat_map(|k| by_ref.get(&identify::normalise(&k)).into_iter().flatten())
            .copied()
            .filter(|&p| !taken[p] && data.postings[p].kind == ledger_kind)
            .collect();
        chosen.sort_unstable();
        chosen.dedup();
        for &p in &chosen {
            taken[p] = true;
        }
        // Nothing else names whose it is: the ledger entry that carries
        // its bank id does (a return with no collection id, reversed).
        let account = account.or_else(|| chosen.first().map(|&p| data.postings[p].account));
        flows.push(Outflow {
            line: i,
            kind,
            ledger_kind,
            collection,
            account,
            chosen,
        });
    }
    // The rest by account, amount and window, cheapest pairs first, so an
    // early return cannot take a later return's reversal.
    // Each account's debits by amount and date, so that a return looks
    // only at those of its amount inside its window (10,000 returns on
    // one account each looked through all its 10,000 reversals).
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

    for flow in flows {
        let Outflow {
            line: i,
            kind,
            collection,
            account,
            chosen,
            ..
        } = flow;
        let line = &data.bank[i];
        let out = -line.amount();
        if line.is_dd_return() {
            if let Some(a) = account {
                returns.push((a, i));
                if let Some(&first) = chosen.first() {
                    reversed.push((a, out, line.date, first, i));
                }
            }
        }
        let acc_name = account.map(|a| data.account(a).account_ref.to_string());
        let what = if line.is_dd_return() {
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
        };
        match chosen.as_slice() {
            [] => {
                entries.push(BankEntry {
                    bank: i as u32,
                    share: None,
                    amount: line.amount(),
                    outcome: kind_outcome(kind),
                });
                let mut evidence = vec![data.bank_row(i)];
                if let Some(c) = collection {
                    evidence.push(data.bank_row(c));
                }
                let severity = if line.is_dd_return() {
                    kind.severity()
                } else {
                    refund_severity(account, line.date, out)
                };
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
            [first, extra @ ..] => {
                // Found by its bank id, but on another account than the
                // money's: the debit belongs where the money went.
                let moved = account.filter(|&a| a != data.postings[*first].account);
                entries.push(BankEntry {
                    bank: i as u32,
                    share: None,
                    amount: line.amount(),
                    outcome: if moved.is_some() {
                        Outcome::WrongAccount
                    } else {
                        Outcome::Matched
                    },
                });
                if let Some(a) = moved {
                    let q = &data.postings[*first];
                    let (owner, posted) = (
                        &data.account(a).account_ref,
                        &data.account(q.account).account_ref,
                    );
                    findings.push(Finding {
                        kind: FindingKind::WrongAccount,
                        severity: FindingKind::WrongAccount.severity(),
                        account: Some(a),
                        posted_to: Some(q.account),
                        bank: Some(i),
                        postings: vec![*first],
                        amount: out,
                        evidence: vec![data.bank_row(i), data.posting_row(*first)],
                        detail: format!(
                            "{what} belongs to {owner} but its {} was posted to {posted} as {} on {}: \
                             reverse it from {posted} and post it to {owner}.",
                            q.kind,
                            data.txn_id(*first),
                            q.date
                        ),
                        suggestions: Vec::new(),
                    });
                }
                for &p in extra {
                    let q = &data.postings[p];
                    findings.push(Finding {
                        kind: FindingKind::DuplicatePosting,
                        severity: FindingKind::DuplicatePosting.severity(),
                        account: Some(q.account),
                        posted_to: None,
                        bank: Some(i),
                        postings: vec![*first, p],
                        amount: -q.amount(),
                        evidence: vec![
                            data.bank_row(i),
                            data.posting_row(*first),
                            data.posting_row(p),
                        ],
                        detail: format!(
                            "{what} was put through {} twice: {} and {}; reverse {}.",
                            data.account(q.account).account_ref,
                            data.txn_id(*first),
                            data.txn_id(p),
                            data.txn_id(p)
                        ),
                        suggestions: Vec::new(),
                    });
                }
            }
        }
    }

    // Ledger reversals and refunds with no money behind them. The
    // returns already reversed are found by account and amount: a scan
    // of them all for every posting grew with the ledger times the
    // returns (255 s on a landlord-year with 23,000 returns).
    let mut reversed_by: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
    for (k, &(a, _, _, _, bank)) in reversed.iter().enumerate() {
        let out = -data.bank[bank].amount.pence();
        reversed_by.entry((a, out)).or_default().push(k);
    }
    for (p, q) in data.postings.iter().enumerate() {
        if taken[p] || !(wanted(q, PostingKind::Reversal) || wanted(q, PostingKind::Refund)) {
            continue;
        }
        // A second reversal of a return already reversed: keyed twice.
        let reversed_before = (reversed_by
            .get(&(q.account, q.amount.pence()))
            .into_iter()
            .flatten())
        .map(|&k| &reversed[k])
        .find(|&&(_, _, on, _, _)| {
            let days = days_between(on, q.date);
            q.kind == PostingKind::Reversal && days >= -opts.lead_days && days <= opts.match_days
        });
        if let (true, Some(&(_, _, _, first, bank))) =
            (wanted(q, PostingKind::Reversal), reversed_before)
        {
            let acc = &data.account(q.account).account_ref;
            findings.push(Finding {
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
                    "Direct Debit return {} of {} was reversed on {acc} twice: {} and {}; reverse {}.",
                    data.bank_id(bank),
                    pounds(q.amount()),
                    data.txn_id(first),
                    data.txn_id(p),
                    data.txn_id(p)
                ),
                suggestions: Vec::new(),
            });
            continue;
        }
        let kind = if wanted(q, PostingKind::Reversal) && reverses_payment(q) {
            FindingKind::ReversalWithoutReturn
        } else if wanted(q, PostingKind::Refund) {
            FindingKind::UnmatchedRefund
        } else {
            continue;
        };
        let acc = &data.account(q.account).account_ref;
        let severity = match kind {
            FindingKind::UnmatchedRefund => refund_severity(Some(q.account), q.date, q.amount()),
            _ => kind.severity(),
        };
        let mut detail = match kind {
            FindingKind::ReversalWithoutReturn => format!(
                "{} on {} reverses {} from {acc} but the bank shows no returned payment: \
                 the account looks {} worse than it is; cancel the reversal unless the return is elsewhere.",
                data.txn_id(p),
                q.date,
                pounds(q.amount()),
                pounds(q.amount())
            ),
            _ => format!(
                "{} on {} refunds {} to {acc} but no money left the bank for it: \
                 pay the refund or cancel the ledger entry.",
                data.txn_id(p),
                q.date,
                pounds(q.amount())
            ),
        };
        if severity == Severity::High && kind == FindingKind::UnmatchedRefund {
            detail.push_str(" It took the account from credit into arrears: more was refunded than the tenant was owed.");
        }
        findings.push(Finding {
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
        });
    }
    returns
}

/// Reversals of payments are what a DD return needs; a reversal of a
/// charge or adjustment is an ordinary ledger correction.
fn reverses_payment(q: &Posting) -> bool {
    q.method
        .is_some_and(|m| m != crate::recon::model::Method::Other)
        || q.texts.has(Posting::BANK_REF)
}

fn kind_outcome(kind: FindingKind) -> Outcome {
    kind.spec().outcome.unwrap_or(Outcome::UnmatchedRefund)
}

/// The ARUDD reason codes in words.
pub fn arudd_reason(code: &str) -> &'static str {
    match code.trim() {
        "0" => "refer to payer",
        "1" => "instruction cancelled",
        "2" => "payer deceased",
        "3" => "account transferred",
        "5" => "no account",
        "6" => "no instruction",
        "7" => "amount differs",
        "8" => "amount not yet due",
        "9" => "presentation overdue",
        "A" | "a" => "service user differs",
        "B" | "b" => "account closed",
        _ => "reason code not recognised",
    }
}
