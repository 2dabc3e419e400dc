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
    for c in clawbacks {
        let share = &data.shares[c.share];
        let Some(on) = day_of(data, c) else { continue };
        if on > opts.as_at {
            continue;
        }
        let account = match share_identity(index, share) {
            Identity::Account(a, _) => Some(a),
            _ => None,
        };
        let debit = account.and_then(|a| nearest_debit(data, ledger, opts, a, c, on, &taken));
        let outcome = match debit {
            Some(p) => {
                taken.insert(p);
                Outcome::Matched
            }
            None => {
                findings.push(unposted(data, c, account, on));
                Outcome::UnreversedReturn
            }
        };
        if let Some(line) = c.line {
            entries.push(BankEntry {
                bank: line as u32,
                share: Some(c.share as u32),
                amount: share.amount(),
                outcome,
            });
        }
    }
    let mut taken: Vec<usize> = taken.into_iter().collect();
    taken.sort_unstable();
    taken
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
    account: AccountId,
    c: &Clawback,
    on: NaiveDate,
    taken: &HashSet<usize>,
) -> Option<usize> {
    let pence = -data.shares[c.share].amount.pence();
    (ledger.of(account).iter())
        .map(|&p| p as usize)
        .filter(|&p| {
            let q = &data.postings[p];
            let apart = days_between(on, q.date);
            posts_a_clawback(q)
                && q.amount.pence() == pence
                && q.date <= opts.as_at
                && -apart <= opts.lead_days
                && apart <= opts.match_days
                && !taken.contains(&p)
        })
        .min_by_key(|&p| (days_between(on, data.postings[p].date).abs(), p))
}

fn unposted(data: &Dataset, c: &Clawback, account: Option<AccountId>, on: NaiveDate) -> Finding {
    let share = &data.shares[c.share];
    let recovered = pounds(-share.amount());
    let run = match c.line {
        Some(l) => format!("out of run {} on {on}", data.bank_id(l)),
        None => format!(
            "by the rebate schedule (batch {}) for {on}",
            share.batch_ref
        ),
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
