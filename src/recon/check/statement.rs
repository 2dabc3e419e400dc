//! The rent statement that goes with a notice: every posting with its posted
//! and corrected running balance, and the case's events beside them.

use super::*;

/// One line of a rent statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub date: NaiveDate,
    pub description: String,
    pub debit: Decimal,
    pub credit: Decimal,
    /// Running balance as the ledger shows it (unchanged by corrections).
    pub posted: Decimal,
    /// Running balance with every correction so far.
    pub corrected: Decimal,
    /// A correction line (not on the ledger), with its finding kind.
    pub correction: Option<FindingKind>,
    /// A case event from cases.csv (moving no money).
    pub case: Option<case::CaseKind>,
    /// Where the line comes from (file:line of each row).
    pub evidence: Vec<String>,
    /// Late payment note, where the posting was late.
    pub note: String,
}

/// What a statement says beside a posting: posted late, sundry debt (not
/// rent), or a refund beyond the credit the account held.
pub(super) fn posting_note(book: &Book<'_>, id: AccountId, i: usize) -> String {
    let (data, recon) = (book.data, book.recon);
    let p = &data.postings[i];
    let mut notes = Vec::new();
    if book.late.contains(&i) {
        notes.push("posted late".to_string());
    }
    if p.is_sundry_debit() {
        let paid = match recon.settings.allocation {
            crate::recon::due::Allocation::RentFirst => {
                "payments go to it once the rent is paid (rent-first)"
            }
            crate::recon::due::Allocation::OldestFirst => {
                "payments go to debts in date order (oldest-first)"
            }
        };
        notes.push(format!("sundry debt ({}), not rent: {paid}", p.charge_type));
    }
    let in_error = (book.findings[id as usize].iter())
        .map(|&n| &recon.findings[n])
        .any(|f| f.kind == FindingKind::RefundInError && f.postings.contains(&i));
    if in_error {
        notes
            .push("refund beyond the credit held: the excess is sundry debt, not rent".to_string());
    }
    notes.join("; ")
}

/// The date a finding's correction takes effect: the money's date, else the
/// posting's, else the as-at date.
pub(super) fn finding_date(data: &Dataset, f: &Finding, as_at: NaiveDate) -> NaiveDate {
    f.bank
        .map(|b| data.bank[b].date)
        .or_else(|| f.postings.last().map(|&p| data.postings[p].date))
        .unwrap_or(as_at)
}

/// The account's statement from `from` to the as-at date: an opening line,
/// every posting, and every correction on its date. Its last balances equal
/// the assessment's posted and corrected balances.
pub(super) fn statement(book: &Book<'_>, id: AccountId, from: NaiveDate) -> Vec<StatementLine> {
    let (data, recon) = (book.data, book.recon);
    let as_at = recon.as_at;
    let account = data.account(id);
    // Nothing is owed before the tenancy began.
    let from = from.max(account.opening_date);
    // (date, order, line) with corrections after postings on the same day.
    let mut events: Vec<(NaiveDate, u8, usize, StatementLine)> = Vec::new();
    let mut opening = account.opening_balance;
    for &i in &book.postings[id as usize] {
        let p = &data.postings[i];
        if p.date > as_at {
            continue;
        }
        if p.date < from {
            opening += p.amount();
            continue;
        }
        let (debit, credit) = if p.is_credit() {
            (Decimal::ZERO, p.credit())
        } else {
            (p.amount(), Decimal::ZERO)
        };
        let kind = match p.kind {
            PostingKind::Charge => "charge",
            PostingKind::Payment => "payment",
            PostingKind::Benefit => "benefit",
            PostingKind::Refund => "refund",
            PostingKind::Adjustment => "adjustment",
            PostingKind::Reversal => "reversal",
            PostingKind::Writeoff => "write-off",
        };
        let mut description = format!("{} {kind}", data.txn_id(i));
        if !data.description(p).is_empty() {
            description.push_str(&format!(": {}", data.description(p)));
        }
        let note = posting_note(book, id, i);
        events.push((
            p.date,
            0,
            i,
            StatementLine {
                date: p.date,
                description,
                debit,
                credit,
                posted: Decimal::ZERO,
                corrected: Decimal::ZERO,
                correction: None,
                case: None,
                evidence: vec![data.sources.cite(data.posting_row(i))],
                note,
            },
        ));
    }
    events.extend(case_lines(data, id, from, as_at));
    let mut before = Decimal::ZERO;
    for &n in &book.findings[id as usize] {
        let f = &recon.findings[n];
        let effect = match (f.account == Some(id), f.posted_to == Some(id)) {
            (true, _) => f.amount,
            (false, true) => -f.amount,
            _ => continue,
        };
        if effect.is_zero() {
            continue;
        }
        let date = finding_date(data, f, as_at);
        if date < from {
            before += effect;
            continue;
        }
        let (debit, credit) = if effect > Decimal::ZERO {
            (effect, Decimal::ZERO)
        } else {
            (Decimal::ZERO, -effect)
        };
        events.push((
            date,
            1,
            n,
            StatementLine {
                date,
                description: format!("Correction ({}): {}", f.kind, f.detail),
                debit,
                credit,
                posted: Decimal::ZERO,
                corrected: Decimal::ZERO,
                correction: Some(f.kind),
                case: None,
                evidence: f.evidence.iter().map(|&r| data.sources.cite(r)).collect(),
                note: String::new(),
            },
        ));
    }
    events.sort_by_key(|(d, order, i, _)| (*d, *order, *i));
    let mut posted = opening;
    let mut corrected = opening + before;
    let mut lines = vec![StatementLine {
        date: from,
        description: "Balance brought forward".to_string(),
        debit: Decimal::ZERO,
        credit: Decimal::ZERO,
        posted,
        corrected,
        correction: None,
        case: None,
        evidence: vec![data.sources.cite(account.row)],
        note: if before.is_zero() {
            String::new()
        } else {
            format!(
                "corrected includes {} of earlier corrections",
                pounds(before)
            )
        },
    }];
    for (_, _, _, mut line) in events {
        let change = line.debit - line.credit;
        if line.correction.is_none() {
            posted += change;
        }
        corrected += change;
        line.posted = posted;
        line.corrected = corrected;
        lines.push(line);
    }
    lines
}

/// The account's case events from `from` to `as_at` as statement lines
/// that move no money, after the day's postings and corrections: the
/// arrangement, the notice and the order beside the payments.
pub(super) fn case_lines(
    data: &Dataset,
    id: AccountId,
    from: NaiveDate,
    as_at: NaiveDate,
) -> impl Iterator<Item = (NaiveDate, u8, usize, StatementLine)> + '_ {
    (data.cases_of(id).iter().enumerate())
        .filter(move |(_, e)| e.from >= from && e.from <= as_at)
        .map(|(n, e)| {
            let mut description = format!("Case: {}", case::event_words(e));
            if let Some(note) = e.note.as_deref().filter(|n| !n.is_empty()) {
                description.push_str(&format!(" ({note})"));
            }
            let line = StatementLine {
                date: e.from,
                description,
                debit: Decimal::ZERO,
                credit: Decimal::ZERO,
                posted: Decimal::ZERO,
                corrected: Decimal::ZERO,
                correction: None,
                case: Some(e.kind),
                evidence: vec![data.sources.cite(e.row)],
                note: String::new(),
            };
            (e.from, 2, n, line)
        })
}
