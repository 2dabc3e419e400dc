//! The comparison itself: pure functions over two parsed reports.

use std::collections::{BTreeMap, VecDeque};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::parse::{Account, Finding, Input, Report};
use crate::recon::money::plain;
use crate::recon::{FindingKind, Severity, Status};

/// What identifies a finding from one month to the next. Evidence cites
/// line numbers, which move as a month's rows are added; bank ids and txn
/// ids are the source systems' own and stay.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKey {
    /// Kind, the accounts, the bank line and the postings (sorted).
    Ids {
        kind: String,
        account_ref: String,
        posted_to: String,
        bank_id: String,
        txn_ids: Vec<String>,
    },
    /// A finding with neither a bank id nor a txn id (a missing charge, a
    /// schedule's gap): kind, account, amount and the first date its
    /// detail names. One whose amount grows from month to month is read
    /// as one resolved and one new.
    Fallback {
        kind: String,
        account_ref: String,
        amount: Decimal,
        date: Option<NaiveDate>,
    },
}

impl FindingKey {
    pub fn of(f: &Finding) -> FindingKey {
        if f.bank_id.is_empty() && f.txn_ids.is_empty() {
            return FindingKey::Fallback {
                kind: f.kind.clone(),
                account_ref: f.account_ref.clone(),
                amount: f.amount,
                date: first_date(&f.detail),
            };
        }
        let mut txn_ids = f.txn_ids.clone();
        txn_ids.sort();
        FindingKey::Ids {
            kind: f.kind.clone(),
            account_ref: f.account_ref.clone(),
            posted_to: f.posted_to.clone(),
            bank_id: f.bank_id.clone(),
            txn_ids,
        }
    }

    /// `wrong_account:RA1002:RA1012:BNK0063:T00164` (txn ids joined by
    /// `+`), or `missing_charges:RA1006:amount=98.00:date=2026-02-02`.
    pub fn text(&self) -> String {
        match self {
            FindingKey::Ids {
                kind,
                account_ref,
                posted_to,
                bank_id,
                txn_ids,
            } => format!(
                "{kind}:{account_ref}:{posted_to}:{bank_id}:{}",
                txn_ids.join("+")
            ),
            FindingKey::Fallback {
                kind,
                account_ref,
                amount,
                date,
            } => format!(
                "{kind}:{account_ref}:amount={}:date={}",
                plain(*amount),
                date.map(|d| d.to_string()).unwrap_or_default()
            ),
        }
    }
}

/// The first `YYYY-MM-DD` date in `text` (a detail names the day the
/// money arrived or the period began before anything else).
fn first_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let window = bytes.get(i..i + 10)?;
        let shape = window.iter().enumerate().all(|(j, b)| {
            if j == 4 || j == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
        // Not the tail of a longer run of digits.
        let starts = i == 0 || !bytes[i - 1].is_ascii_digit();
        let ends = bytes.get(i + 10).is_none_or(|b| !b.is_ascii_digit());
        (shape && starts && ends)
            .then(|| std::str::from_utf8(window).ok())
            .flatten()
            .and_then(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
    })
}

/// What became of a finding between the two runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// In this month's report, not last month's.
    New,
    /// In last month's, not this month's.
    Resolved,
    /// In both.
    Open,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Resolved => "resolved",
            Change::Open => "open",
        }
    }
}

/// One finding new, resolved or still open.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingChange {
    pub change: Change,
    pub key: FindingKey,
    /// As this month's report gives it (a resolved one: last month's), so
    /// its evidence cites the lines of the files that report read.
    pub finding: Finding,
    /// Last month's amount, on a finding still open.
    pub amount_then: Option<Decimal>,
}

impl FindingChange {
    /// Whether a finding still open now asks for a different correction.
    pub fn amount_changed(&self) -> bool {
        self.amount_then.is_some_and(|a| a != self.finding.amount)
    }
}

/// An account in both runs whose status is not what it was.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub account_ref: String,
    /// This month's name for the tenant.
    pub tenant_name: String,
    pub status_then: String,
    pub status_now: String,
    pub corrected_then: Decimal,
    pub corrected_now: Decimal,
}

/// Money received that no one can identify: the bank lines whose outcome
/// is `unidentified_receipt` in the report's control totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Suspense {
    pub receipts: usize,
    pub amount: Decimal,
}

/// The findings of one kind, then and now, from each report's totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindCount {
    pub kind: String,
    pub then: usize,
    pub now: usize,
    pub money_then: Decimal,
    pub money_now: Decimal,
}

/// One run, as the comparison names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub file: String,
    pub tool: String,
    pub as_at: NaiveDate,
    pub inputs: Vec<Input>,
    pub findings: usize,
    pub accounts: usize,
}

impl Side {
    fn of(r: &Report) -> Side {
        Side {
            file: r.file.clone(),
            tool: r.run.tool.clone(),
            as_at: r.run.as_at,
            inputs: r.run.inputs.clone(),
            findings: r.findings.len(),
            accounts: r.accounts.len(),
        }
    }
}

/// Everything that changed between two runs, each list in its own order.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    pub last: Side,
    pub this: Side,
    /// Why the comparison may mislead (the runs the wrong way round, or
    /// one run twice).
    pub warnings: Vec<String>,
    /// Findings new, resolved and still open: severity, kind, account, key.
    pub new: Vec<FindingChange>,
    pub resolved: Vec<FindingChange>,
    pub open: Vec<FindingChange>,
    /// Status now (most urgent first), then account.
    pub changed: Vec<StatusChange>,
    /// Accounts in this month's report only, then last month's only, by
    /// account: as the report that holds them gives them.
    pub accounts_new: Vec<Account>,
    pub accounts_gone: Vec<Account>,
    pub suspense_then: Suspense,
    pub suspense_now: Suspense,
    /// In the contract's order of kinds.
    pub by_kind: Vec<KindCount>,
}

impl Diff {
    /// Whether nothing changed that an officer acts on: no finding new or
    /// resolved, none whose amount moved, no account changed, come or gone.
    pub fn unchanged(&self) -> bool {
        self.new.is_empty()
            && self.resolved.is_empty()
            && !self.open.iter().any(FindingChange::amount_changed)
            && self.changed.is_empty()
            && self.accounts_new.is_empty()
            && self.accounts_gone.is_empty()
    }
}

/// Compares last month's report with this month's.
pub fn compare(last: &Report, this: &Report) -> Diff {
    let (mut new, mut resolved, mut open) = pair_findings(&last.findings, &this.findings);
    for list in [&mut new, &mut resolved, &mut open] {
        list.sort_by(|a, b| finding_order(a).cmp(&finding_order(b)));
    }
    let (changed, accounts_new, accounts_gone) = compare_accounts(&last.accounts, &this.accounts);
    Diff {
        last: Side::of(last),
        this: Side::of(this),
        warnings: warnings(last, this),
        new,
        resolved,
        open,
        changed,
        accounts_new,
        accounts_gone,
        suspense_then: suspense(last),
        suspense_now: suspense(this),
        by_kind: by_kind(last, this),
    }
}

type Changes = Vec<FindingChange>;

/// Pairs findings of equal keys in report order, as a multiset: two
/// findings with one key last month and one this month are one still open
/// and one resolved.
fn pair_findings(last: &[Finding], this: &[Finding]) -> (Changes, Changes, Changes) {
    let mut waiting: BTreeMap<FindingKey, VecDeque<&Finding>> = BTreeMap::new();
    for f in last {
        waiting.entry(FindingKey::of(f)).or_default().push_back(f);
    }
    let (mut new, mut open) = (Vec::new(), Vec::new());
    for f in this {
        let key = FindingKey::of(f);
        let then = waiting.get_mut(&key).and_then(VecDeque::pop_front);
        let change = FindingChange {
            change: if then.is_some() {
                Change::Open
            } else {
                Change::New
            },
            key,
            finding: f.clone(),
            amount_then: then.map(|t| t.amount),
        };
        match change.change {
            Change::Open => open.push(change),
            _ => new.push(change),
        }
    }
    let resolved = waiting
        .into_iter()
        .flat_map(|(key, left)| {
            left.into_iter().map(move |f| FindingChange {
                change: Change::Resolved,
                key: key.clone(),
                finding: f.clone(),
                amount_then: None,
            })
        })
        .collect();
    (new, resolved, open)
}

/// A kind's place in the contract's list (kinds this version does not know
/// after those it does, by name).
fn kind_rank(kind: &str) -> usize {
    FindingKind::ALL
        .iter()
        .position(|k| k.as_str() == kind)
        .unwrap_or(usize::MAX)
}

fn status_rank(status: &str) -> usize {
    Status::ALL
        .iter()
        .position(|s| s.as_str() == status)
        .unwrap_or(usize::MAX)
}

/// Severity, then kind, then account, then key.
fn finding_order(c: &FindingChange) -> (Severity, usize, &str, &str, &FindingKey) {
    let f = &c.finding;
    (
        f.severity,
        kind_rank(&f.kind),
        &f.kind,
        &f.account_ref,
        &c.key,
    )
}

/// Accounts whose status changed, those new this month, those gone.
fn compare_accounts(
    last: &[Account],
    this: &[Account],
) -> (Vec<StatusChange>, Vec<Account>, Vec<Account>) {
    let then: BTreeMap<&str, &Account> = last.iter().map(|a| (a.account_ref.as_str(), a)).collect();
    let now: BTreeMap<&str, &Account> = this.iter().map(|a| (a.account_ref.as_str(), a)).collect();
    let mut changed: Vec<StatusChange> = now
        .iter()
        .filter_map(|(r, a)| then.get(r).map(|t| (t, a)))
        .filter(|(t, a)| t.status != a.status)
        .map(|(t, a)| StatusChange {
            account_ref: a.account_ref.clone(),
            tenant_name: a.tenant_name.clone(),
            status_then: t.status.clone(),
            status_now: a.status.clone(),
            corrected_then: t.corrected_balance,
            corrected_now: a.corrected_balance,
        })
        .collect();
    changed.sort_by(|a, b| {
        (status_rank(&a.status_now), &a.account_ref)
            .cmp(&(status_rank(&b.status_now), &b.account_ref))
    });
    let only = |of: &BTreeMap<&str, &Account>, not_in: &BTreeMap<&str, &Account>| {
        of.iter()
            .filter(|(r, _)| !not_in.contains_key(*r))
            .map(|(_, a)| (*a).clone())
            .collect::<Vec<_>>()
    };
    (changed, only(&now, &then), only(&then, &now))
}

/// The report's own control total for unidentified receipts (a report
/// with none lists no such outcome).
fn suspense(r: &Report) -> Suspense {
    let unidentified = FindingKind::UnidentifiedReceipt.as_str();
    r.totals
        .bank_outcomes
        .iter()
        .filter(|o| o.outcome == unidentified)
        .fold(Suspense::default(), |s, o| Suspense {
            receipts: s.receipts + o.rows,
            amount: s.amount + o.amount,
        })
}

/// Each kind either report's totals count, then and now.
fn by_kind(last: &Report, this: &Report) -> Vec<KindCount> {
    let mut kinds: BTreeMap<(usize, &str), KindCount> = BTreeMap::new();
    let rows = (last.totals.findings.iter().map(|r| (r, false)))
        .chain(this.totals.findings.iter().map(|r| (r, true)));
    for (row, now) in rows {
        let k = kinds
            .entry((kind_rank(&row.kind), row.kind.as_str()))
            .or_insert_with(|| KindCount {
                kind: row.kind.clone(),
                then: 0,
                now: 0,
                money_then: Decimal::ZERO,
                money_now: Decimal::ZERO,
            });
        if now {
            k.now += row.count;
            k.money_now += row.money;
        } else {
            k.then += row.count;
            k.money_then += row.money;
        }
    }
    kinds.into_values().collect()
}

/// A run's input files by name and hash, in name order.
fn files(r: &Report) -> Vec<(&str, &str)> {
    let mut v: Vec<(&str, &str)> = (r.run.inputs.iter())
        .map(|i| (i.file.as_str(), i.sha256.as_str()))
        .collect();
    v.sort_unstable();
    v
}

/// A run compared with itself, or the two the wrong way round.
fn warnings(last: &Report, this: &Report) -> Vec<String> {
    let (then, now) = (last.run.as_at, this.run.as_at);
    let same_files = files(last) == files(this);
    let mut out = Vec::new();
    if same_files && then == now {
        out.push(format!(
            "WARNING {} is the same run as {} (as at {now}, and the same input files): \
             nothing can have changed",
            this.file, last.file
        ));
    } else if now <= then {
        out.push(format!(
            "WARNING {} is as at {now}, not later than {} (as at {then}): \
             are the two the wrong way round?",
            this.file, last.file
        ));
    } else if same_files {
        out.push(format!(
            "WARNING {} read the same input files as {}: only the as-at date moved, \
             from {then} to {now}",
            this.file, last.file
        ));
    }
    let rules = last.run.rules.differences(&this.run.rules);
    if !rules.is_empty() {
        out.push(format!(
            "WARNING the two runs judged by different rules ({}): a finding or status may \
             have changed with the rules, not the account",
            rules.join("; ")
        ));
    }
    let refs: std::collections::HashSet<&str> = last
        .accounts
        .iter()
        .map(|a| a.account_ref.as_str())
        .collect();
    let shared = (this.accounts.iter())
        .filter(|a| refs.contains(a.account_ref.as_str()))
        .count();
    let most = last.accounts.len().max(this.accounts.len());
    if most > 0 && shared * 2 < most {
        out.push(format!(
            "WARNING only {shared} of {most} accounts are in both reports: are they the same \
             landlord's?"
        ));
    }
    out
}

#[cfg(test)]
mod tests;
