//! Control totals: rows and money per input file, and the same money again by
//! outcome and by finding kind, so a finance officer can see it ties.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::finding::{Finding, FindingKind, KindMoney, Outcome, Severity};
use super::matching::Matching;
use super::model::{Dataset, FileReading};
use super::money::from_pence;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeTotal {
    pub outcome: Outcome,
    pub rows: usize,
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindTotal {
    pub kind: FindingKind,
    pub count: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Sum of the findings' corrections (signed as debits).
    pub corrections: Decimal,
    /// The other side of a move between accounts: what the account the
    /// money was posted to takes back (signed as a debit). With
    /// `corrections` it nets to zero for a wrong_account move.
    pub posted_to_corrections: Decimal,
    /// Money involved, whatever its direction: the receipt, or the posting.
    pub money: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rows read and set aside per file, in `SourceFile` order.
    pub reading: [FileReading; super::model::FILES],
    pub accounts_rows: usize,
    pub ledger_rows: usize,
    pub ledger_debit_rows: usize,
    pub ledger_debits: Decimal,
    pub ledger_credit_rows: usize,
    pub ledger_credits: Decimal,
    pub bank_rows: usize,
    pub bank_in_rows: usize,
    pub money_in: Decimal,
    pub bank_out_rows: usize,
    pub money_out: Decimal,
    pub bulk_lines: usize,
    pub schedule_rows: usize,
    pub schedule_amount: Decimal,
    /// Each bank line, bulk share, or unexplained part of a bulk line.
    pub bank_outcomes: Vec<OutcomeTotal>,
    /// Each ledger credit.
    pub credit_outcomes: Vec<OutcomeTotal>,
    pub findings: Vec<KindTotal>,
}

impl Totals {
    /// Money in less money out, as on the statement.
    pub fn bank_net(&self) -> Decimal {
        self.money_in - self.money_out
    }

    /// Whether the outcomes account for every penny of both files.
    pub fn ties(&self) -> bool {
        let bank: Decimal = self.bank_outcomes.iter().map(|o| o.amount).sum();
        let credits: Decimal = self.credit_outcomes.iter().map(|o| o.amount).sum();
        let credit_rows: usize = self.credit_outcomes.iter().map(|o| o.rows).sum();
        bank == self.bank_net()
            && credits == self.ledger_credits
            && credit_rows == self.ledger_credit_rows
    }
}

/// Rows and money per outcome, in the contract's order of outcomes: the
/// pence of `items` summed in parallel (exact in any order), then the
/// money of `more`.
fn tally(
    items: impl ParallelIterator<Item = (Outcome, i64)>,
    more: impl Iterator<Item = (Outcome, Decimal)>,
) -> Vec<OutcomeTotal> {
    let n = Outcome::ALL.len();
    let sums = items
        .fold(
            || vec![(0usize, 0i128); n],
            |mut by, (o, pence)| {
                by[o as usize].0 += 1;
                by[o as usize].1 += i128::from(pence);
                by
            },
        )
        .reduce(
            || vec![(0usize, 0i128); n],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    x.0 += y.0;
                    x.1 += y.1;
                }
                a
            },
        );
    let mut by: Vec<(usize, Decimal)> = (sums.into_iter())
        .map(|(rows, pence)| (rows, from_pence(pence)))
        .collect();
    for (o, amount) in more {
        by[o as usize].0 += 1;
        by[o as usize].1 += amount;
    }
    Outcome::ALL
        .iter()
        .zip(by)
        .filter(|(_, (rows, _))| *rows > 0)
        .map(|(&outcome, (rows, amount))| OutcomeTotal {
            outcome,
            rows,
            amount,
        })
        .collect()
}

/// Rows and pence on one side (in or credit; out or debit) and the other.
type Side = (usize, i128, usize, i128);

/// Rows and pence of `amounts` above zero, and of those at or below it
/// (negated).
pub fn sides(amounts: impl ParallelIterator<Item = i64>) -> (usize, Decimal, usize, Decimal) {
    let sum = |a: Side, b: Side| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3);
    let (up, up_pence, down, down_pence) = amounts
        .map(|pence| {
            if pence > 0 {
                (1, i128::from(pence), 0, 0)
            } else {
                (0, 0, 1, -i128::from(pence))
            }
        })
        .reduce(|| (0, 0, 0, 0), sum);
    (up, from_pence(up_pence), down, from_pence(down_pence))
}

/// The run's control totals: rows and money per file, each side of the
/// ledger and the bank, the money by outcome, and the findings by kind.
pub fn compute(data: &Dataset, matching: &Matching, findings: &[Finding]) -> Totals {
    let mut t = Totals {
        reading: data.reading,
        accounts_rows: data.accounts.len(),
        ledger_rows: data.postings.len(),
        bank_rows: data.bank.len(),
        schedule_rows: data.shares.len(),
        schedule_amount: data.shares.iter().map(|s| s.amount()).sum(),
        ..Totals::default()
    };
    // Postings are signed as debits: a credit is one below zero, and one of
    // nothing counts as a debit.
    (
        t.ledger_credit_rows,
        t.ledger_credits,
        t.ledger_debit_rows,
        t.ledger_debits,
    ) = sides(data.postings.par_iter().map(|p| -p.amount.pence()));
    (t.bank_in_rows, t.money_in, t.bank_out_rows, t.money_out) =
        sides(data.bank.par_iter().map(|b| b.amount.pence()));
    t.bulk_lines = bulk_lines(matching);
    t.bank_outcomes = tally(
        (matching.receipts.par_iter())
            .zip(&matching.receipt_outcomes)
            .map(|(r, &outcome)| (outcome, r.pence(data))),
        matching.other_entries.iter().map(|e| (e.outcome, e.amount)),
    );
    t.credit_outcomes = tally(
        (matching.credit_outcomes.par_iter())
            .zip(&data.postings)
            .filter_map(|(o, p)| o.map(|o| (o, p.credit_pence()))),
        std::iter::empty(),
    );
    t.findings = (FindingKind::ALL.iter())
        .filter_map(|&kind| kind_total(data, findings, kind))
        .collect();
    t
}

/// Bank lines split between several accounts (bulk benefit payments).
fn bulk_lines(matching: &Matching) -> usize {
    // Receipts are in bank-line order, so a line's shares are together.
    let mut bulk: Vec<u32> = matching
        .receipts
        .iter()
        .filter(|r| r.share().is_some())
        .map(|r| r.bank)
        .collect();
    bulk.dedup();
    bulk.len()
}

/// The findings of one kind counted by severity, with their corrections
/// and the money they involve; `None` where there are none.
fn kind_total(data: &Dataset, findings: &[Finding], kind: FindingKind) -> Option<KindTotal> {
    let of_kind: Vec<&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
    if of_kind.is_empty() {
        return None;
    }
    let count_sev = |s: Severity| of_kind.iter().filter(|f| f.severity == s).count();
    Some(KindTotal {
        kind,
        count: of_kind.len(),
        high: count_sev(Severity::High),
        medium: count_sev(Severity::Medium),
        low: count_sev(Severity::Low),
        corrections: of_kind.iter().map(|f| f.amount).sum(),
        posted_to_corrections: (of_kind.iter())
            .filter(|f| f.posted_to.is_some())
            .map(|f| -f.amount)
            .sum(),
        money: of_kind.iter().map(|f| money_involved(data, f)).sum(),
    })
}

/// The money a finding involves, whatever its direction: its correction,
/// or the row's amount (the posting's, else the bank line's).
fn money_involved(data: &Dataset, f: &Finding) -> Decimal {
    match f.kind.spec().money {
        KindMoney::Correction => f.amount.abs(),
        KindMoney::Row => {
            let posted = f.postings.last().map(|&p| data.postings[p].amount().abs());
            let bank = f.bank.map(|b| data.bank[b].amount().abs());
            posted.or(bank).unwrap_or(f.amount.abs())
        }
    }
}
