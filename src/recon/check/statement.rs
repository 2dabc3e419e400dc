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

/// A statement line before its running balances: (date, order of kind on
/// the day, index within the kind, line). Sorting on the first three puts
/// postings, then corrections, then case events, each in source order.
type Event = (NaiveDate, u8, usize, StatementLine);

impl StatementLine {
    /// A line moving `change` (signed as a debit: a credit below zero), its
    /// balances filled in later.
    fn moving(date: NaiveDate, description: String, change: Decimal) -> Self {
        let (debit, credit) = if change >= Decimal::ZERO {
            (change, Decimal::ZERO)
        } else {
            (Decimal::ZERO, -change)
        };
        StatementLine {
            date,
            description,
            debit,
            credit,
            posted: Decimal::ZERO,
            corrected: Decimal::ZERO,
            correction: None,
            case: None,
            evidence: Vec::new(),
            note: String::new(),
        }
    }
}

/// The account's statement from `from` to the as-at date: an opening line,
/// every posting, and every correction on its date. Its last balances equal
/// the assessment's posted and corrected balances.
pub(super) fn statement(book: &Book<'_>, id: AccountId, from: NaiveDate) -> Vec<StatementLine> {
    let (data, as_at) = (book.data, book.recon.as_at);
    let account = data.account(id);
    // Nothing is owed before the tenancy began.
    let from = from.max(account.opening_date);
    let mut events = Vec::new();
    let opening = posting_lines(book, id, from, &mut events);
    events.extend(case_lines(data, id, from, as_at));
    let before = correction_lines(book, id, from, &mut events);
    events.sort_by_key(|(d, order, i, _)| (*d, *order, *i));
    let mut brought =
        StatementLine::moving(from, "Balance brought forward".to_string(), Decimal::ZERO);
    brought.evidence = vec![data.sources.cite(account.row)];
    if !before.is_zero() {
        brought.note = format!(
            "corrected includes {} of earlier corrections",
            pounds(before)
        );
    }
    run_balances(brought, opening, before, events)
}

/// Each posting from `from` to the as-at date as a line; returns the
/// opening balance, with the postings before `from` carried into it.
fn posting_lines(
    book: &Book<'_>,
    id: AccountId,
    from: NaiveDate,
    events: &mut Vec<Event>,
) -> Decimal {
    let (data, as_at) = (book.data, book.recon.as_at);
    let mut opening = data.account(id).opening_balance;
    for &i in &book.postings[id as usize] {
        let p = &data.postings[i];
        if p.date > as_at {
            continue;
        }
        if p.date < from {
            opening += p.amount();
            continue;
        }
        let mut description = format!("{} {}", data.txn_id(i), posting_kind_words(p.kind));
        if !data.description(p).is_empty() {
            description.push_str(&format!(": {}", data.description(p)));
        }
        let mut line = StatementLine::moving(p.date, description, p.amount());
        line.evidence = vec![data.sources.cite(data.posting_row(i))];
        line.note = posting_note(book, id, i);
        events.push((p.date, 0, i, line));
    }
    opening
}

/// The word a statement gives a posting's kind.
fn posting_kind_words(kind: PostingKind) -> &'static str {
    match kind {
        PostingKind::Charge => "charge",
        PostingKind::Payment => "payment",
        PostingKind::Benefit => "benefit",
        PostingKind::Refund => "refund",
        PostingKind::Adjustment => "adjustment",
        PostingKind::Reversal => "reversal",
        PostingKind::Writeoff => "write-off",
    }
}

/// Each finding that moves this account's balance as a correction line on
/// its date; returns the corrections dated before `from`, which the opening
/// corrected balance carries.
fn correction_lines(
    book: &Book<'_>,
    id: AccountId,
    from: NaiveDate,
    events: &mut Vec<Event>,
) -> Decimal {
    let (data, recon) = (book.data, book.recon);
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
        let date = finding_date(data, f, recon.as_at);
        if date < from {
            before += effect;
            continue;
        }
        let description = format!("Correction ({}): {}", f.kind, f.detail);
        let mut line = StatementLine::moving(date, description, effect);
        line.correction = Some(f.kind);
        line.evidence = f.evidence.iter().map(|&r| data.sources.cite(r)).collect();
        events.push((date, 1, n, line));
    }
    before
}

/// The brought-forward line, then each event with the posted balance (the
/// ledger's, without corrections) and the corrected balance run to it.
fn run_balances(
    mut brought: StatementLine,
    opening: Decimal,
    before: Decimal,
    events: Vec<Event>,
) -> Vec<StatementLine> {
    let mut posted = opening;
    let mut corrected = opening + before;
    brought.posted = posted;
    brought.corrected = corrected;
    let mut lines = Vec::with_capacity(events.len() + 1);
    lines.push(brought);
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
) -> impl Iterator<Item = Event> + '_ {
    (data.cases_of(id).iter().enumerate())
        .filter(move |(_, e)| e.from >= from && e.from <= as_at)
        .map(|(n, e)| {
            let mut description = format!("Case: {}", case::event_words(e));
            if let Some(note) = e.note.as_deref().filter(|n| !n.is_empty()) {
                description.push_str(&format!(" ({note})"));
            }
            let mut line = StatementLine::moving(e.from, description, Decimal::ZERO);
            line.case = Some(e.kind);
            line.evidence = vec![data.sources.cite(e.row)];
            (e.from, 2, n, line)
        })
}
