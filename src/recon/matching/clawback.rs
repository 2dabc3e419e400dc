//! Clawbacks: Housing Benefit taken back out of a later run (a negative
//! schedule share), paired with the debit the ledger posts for it.

use super::*;
use crate::recon::model::{ChargeType, Method};

/// Pairs each clawback with a debit on its account of the same amount: a
/// charge of type `hb_overpayment`, or a benefit reversal or adjustment
/// (by `hb` or `uc`), from `lead_days` before the run to `match_days`
/// after, nearest first. A clawback with none is `unposted_clawback`, its
/// bank share counted `unreversed_return`. Returns the debits taken.
pub(super) fn match_clawbacks(
    data: &Dataset,
    index: &RefIndex,
    ledger: &AccountPostings,
    opts: MatchOptions,
    clawbacks: &[Clawback],
    entries: &mut Vec<BankEntry>,
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    let mut taken: HashSet<usize> = HashSet::default();
    // Who each clawback is, and when; one dated after the as-at date waits.
    let due: Vec<(&Clawback, Option<AccountId>, Option<NaiveDate>)> = clawbacks
        .iter()
        .map(|c| {
            let account = match share_identity(index, &data.shares[c.share]) {
                Identity::Account(a, _) => Some(a),
                _ => None,
            };
            (c, account, day_of(data, c))
        })
        .filter(|(_, _, on)| on.is_none_or(|d| d <= opts.as_at))
        .collect();
    // A debit that names its run by bank ref first, for every clawback;
    // then the nearest in date for the rest.
    let mut debits: Vec<Option<usize>> = vec![None; due.len()];
    for by_ref in [true, false] {
        for (i, &(c, account, on)) in due.iter().enumerate() {
            if debits[i].is_some() {
                continue;
            }
            let Some(a) = account else { continue };
            let wanted = Wanted {
                account: a,
                c,
                on,
                by_ref,
            };
            if let Some(p) = nearest_debit(data, ledger, opts, wanted, &taken) {
                taken.insert(p);
                debits[i] = Some(p);
            }
        }
    }
    for (&(c, account, on), debit) in due.iter().zip(debits) {
        let outcome = match debit {
            Some(_) => Outcome::Matched,
            None => {
                findings.push(unposted(data, c, account, on));
                Outcome::UnreversedReturn
            }
        };
        if let Some(line) = c.line {
            entries.push(BankEntry {
                bank: line as u32,
                share: Some(c.share as u32),
                amount: data.shares[c.share].amount(),
                outcome,
            });
        }
    }
    let mut taken: Vec<usize> = taken.into_iter().collect();
    taken.sort_unstable();
    taken
}

/// What a clawback's debit must be: on the account, for the amount,
/// near `on` (anywhere up to the as-at date where the line is undated),
/// and, `by_ref`, carrying the run's batch or bank id as its bank ref.
struct Wanted<'c> {
    account: AccountId,
    c: &'c Clawback,
    on: Option<NaiveDate>,
    by_ref: bool,
}

/// The day money was taken back: its run's, else the line's period end.
fn day_of(data: &Dataset, c: &Clawback) -> Option<NaiveDate> {
    let share = &data.shares[c.share];
    c.line
        .map(|l| data.bank[l].date)
        .or(share.period_end)
        .or(share.period_start)
}

/// A debit the ledger may post for benefit taken back.
fn posts_a_clawback(p: &Posting) -> bool {
    let benefit_method = matches!(p.method, Some(Method::Hb | Method::Uc));
    p.amount.pence() > 0
        && match p.kind {
            PostingKind::Charge => p.charge_type == ChargeType::HbOverpayment,
            PostingKind::Reversal | PostingKind::Adjustment => benefit_method,
            _ => false,
        }
}

fn nearest_debit(
    data: &Dataset,
    ledger: &AccountPostings,
    opts: MatchOptions,
    w: Wanted<'_>,
    taken: &HashSet<usize>,
) -> Option<usize> {
    let share = &data.shares[w.c.share];
    let pence = -share.amount.pence();
    let run_ids: Vec<Text> = std::iter::once(identify::normalise(&share.batch_ref))
        .chain(w.c.line.map(|l| identify::normalise(&data.bank_id(l))))
        .collect();
    let names_run = |q: &Posting| {
        data.bank_ref(q)
            .is_some_and(|r| run_ids.contains(&identify::normalise(r)))
    };
    let apart = |q: &Posting| w.on.map_or(0, |on| days_between(on, q.date));
    (ledger.of(w.account).iter())
        .map(|&p| p as usize)
        .filter(|&p| {
            let q = &data.postings[p];
            posts_a_clawback(q)
                && q.amount.pence() == pence
                && q.date <= opts.as_at
                && -apart(q) <= opts.lead_days
                && apart(q) <= opts.match_days
                && (!w.by_ref || names_run(q))
                && !taken.contains(&p)
        })
        .min_by_key(|&p| (apart(&data.postings[p]).abs(), p))
}

fn unposted(
    data: &Dataset,
    c: &Clawback,
    account: Option<AccountId>,
    on: Option<NaiveDate>,
) -> Finding {
    let share = &data.shares[c.share];
    let recovered = pounds(-share.amount());
    let when = on.map_or_else(|| "undated".to_string(), |d| format!("for {d}"));
    let run = match (c.line, on) {
        (Some(l), Some(on)) => format!("out of run {} on {on}", data.bank_id(l)),
        _ => format!("by the rebate schedule (batch {}, {when})", share.batch_ref),
    };
    let detail = match account {
        Some(a) => format!(
            "{recovered} of Housing Benefit was taken back from {} {run} (an overpayment recovered), but \
             the ledger has no debit for it: post it as an hb_overpayment charge. It is a sundry debt, \
             not rent arrears, so the rent balance is unchanged.",
            data.account(a).account_ref
        ),
        None => format!(
            "{recovered} of Housing Benefit was taken back {run} for {:?}, which names no account: find \
             the tenant and post it as an hb_overpayment charge.",
            share
                .account_ref
                .as_deref()
                .or(share.claim_ref.as_deref())
                .unwrap_or("")
        ),
    };
    let mut evidence = Vec::new();
    evidence.extend(c.line.map(|l| data.bank_row(l)));
    evidence.push(share.row);
    Finding {
        kind: FindingKind::UnpostedClawback,
        severity: FindingKind::UnpostedClawback.severity(),
        account,
        posted_to: None,
        bank: c.line,
        postings: Vec::new(),
        amount: Decimal::ZERO,
        evidence,
        detail,
        suggestions: Vec::new(),
    }
}
