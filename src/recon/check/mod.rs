//! Before a NOSP, for one account: the verdict an officer acts on, the
//! Pre-Action Protocol checklist, and the rent statement with posted and
//! corrected running balances. Built from a finished reconciliation; no I/O.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::assess::{sundry_sentence, Assessment, Status};
use super::case::{self, CaseFacts};
use super::due::Dues;
use super::finding::{Finding, FindingKind};
use super::hold::HoldReason;
use super::model::{Account, AccountId, Benefit, Dataset, PostingKind};
use super::money::{plain, pounds};
use super::Reconciliation;

mod checklist;
mod statement;

use checklist::*;
pub use statement::*;

/// What the officer may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Nothing found stands in the way (the officer still confirms the
    /// protocol items the data cannot answer).
    MayProceed,
    /// Put something right or wait first.
    Hold,
    /// A NOSP would be wrong.
    DoNotServe,
}

/// How a checklist item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// The data shows it done or true (✓).
    Passed,
    /// The data shows it not done or not true (✗).
    Failed,
    /// For the officer to confirm (?): the data cannot answer it.
    Confirm,
}

impl Tick {
    pub fn as_str(self) -> &'static str {
        match self {
            Tick::Passed => "passed",
            Tick::Failed => "failed",
            Tick::Confirm => "confirm",
        }
    }

    /// The mark a text report puts beside the item.
    pub fn mark(self) -> &'static str {
        match self {
            Tick::Passed => "✓",
            Tick::Failed => "✗",
            Tick::Confirm => "?",
        }
    }
}

/// One line of the protocol checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckItem {
    pub item: &'static str,
    /// What the data says, where it says anything.
    pub answer: Option<String>,
    pub tick: Tick,
    /// Whether the answer holds the account (a failed item may not: a
    /// statutory threshold not reached leaves the discretionary grounds).
    pub outstanding: bool,
}

/// The check of one account.
#[derive(Clone, Debug)]
pub struct AccountCheck<'a> {
    pub account: AccountId,
    pub assessment: &'a Assessment,
    pub decision: Decision,
    pub verdict: String,
    pub findings: Vec<&'a Finding>,
    pub checklist: Vec<CheckItem>,
}

/// Money a kind of finding moves off (negative) or onto an account.
fn sum_of(findings: &[&Finding], account: AccountId, kind: FindingKind) -> Decimal {
    findings
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| {
            if f.account == Some(account) {
                f.amount
            } else {
                -f.amount
            }
        })
        .sum()
}

/// Why the posted balance overstates the arrears, in an officer's words.
fn causes(data: &Dataset, id: AccountId, findings: &[&Finding]) -> Vec<String> {
    let mut causes = Vec::new();
    let elsewhere: Vec<&&Finding> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::WrongAccount && f.account == Some(id))
        .collect();
    if !elsewhere.is_empty() {
        let total: Decimal = elsewhere.iter().map(|f| -f.amount).sum();
        let mut to: Vec<&str> = elsewhere
            .iter()
            .filter_map(|f| f.posted_to.map(|b| data.account(b).account_ref.as_str()))
            .collect();
        to.dedup();
        causes.push(format!(
            "{} of receipts were posted to {}",
            pounds(total),
            to.join(", ")
        ));
    }
    for &kind in FindingKind::ALL {
        let Some(words) = kind.spec().cause else {
            continue;
        };
        let total = sum_of(findings, id, kind);
        if total < Decimal::ZERO {
            causes.push(format!("{} {words}", pounds(-total)));
        }
    }
    causes
}

/// A finished reconciliation indexed by account, so each account's check
/// and statement read only its own rows (an evidence pack checks thousands).
pub struct Book<'a> {
    data: &'a Dataset,
    recon: &'a Reconciliation,
    /// Per account: its postings, in file order.
    postings: Vec<Vec<usize>>,
    /// Per account: the findings that name it (as `account` or `posted_to`).
    findings: Vec<Vec<usize>>,
    /// Per account: its assessment's index.
    assessment: Vec<Option<usize>>,
    /// Postings that were posted late.
    late: std::collections::HashSet<usize>,
}

impl<'a> Book<'a> {
    pub fn new(data: &'a Dataset, recon: &'a Reconciliation) -> Book<'a> {
        let n = data.accounts.len();
        let mut postings = vec![Vec::new(); n];
        for (i, p) in data.postings.iter().enumerate() {
            postings[p.account as usize].push(i);
        }
        let mut findings = vec![Vec::new(); n];
        let mut late = std::collections::HashSet::new();
        for (i, f) in recon.findings.iter().enumerate() {
            for a in f
                .account
                .into_iter()
                .chain(f.posted_to.filter(|b| Some(*b) != f.account))
            {
                findings[a as usize].push(i);
            }
            if f.kind == FindingKind::LatePosting {
                late.extend(f.postings.iter().copied());
            }
        }
        let mut assessment = vec![None; n];
        for (i, a) in recon.assessments.iter().enumerate() {
            assessment[a.account as usize] = Some(i);
        }
        Book {
            data,
            recon,
            postings,
            findings,
            assessment,
            late,
        }
    }

    /// The check of one account, or `None` if it has no assessment.
    pub fn check(&self, id: AccountId) -> Option<AccountCheck<'a>> {
        let recon = self.recon;
        let a = &recon.assessments[self.assessment.get(id as usize).copied().flatten()?];
        let findings: Vec<&'a Finding> = self.findings[id as usize]
            .iter()
            .map(|&i| &recon.findings[i])
            .collect();
        let first = self.postings[id as usize]
            .iter()
            .map(|&p| self.data.postings[p].date)
            .min();
        check_account(self.data, recon, a, findings, first)
    }

    /// The account's statement from `from` (the `statement` module).
    pub fn statement(&self, id: AccountId, from: NaiveDate) -> Vec<StatementLine> {
        statement(self, id, from)
    }
}

/// The check of one account: its checklist, the verdict its status and
/// checklist give, then what is not rent and what the case adds.
fn check_account<'a>(
    data: &Dataset,
    recon: &'a Reconciliation,
    a: &'a Assessment,
    findings: Vec<&'a Finding>,
    first_posting: Option<NaiveDate>,
) -> Option<AccountCheck<'a>> {
    let checklist = checklist(data, recon, a, &findings, first_posting);
    let (decision, verdict) = status_verdict(data, a, &findings, &checklist);
    let (decision, mut verdict) = apart_from_rent(data, a, decision, verdict);
    if let Some(case) = &a.case {
        verdict.push_str(&case_sentences(a, case));
    }
    Some(AccountCheck {
        account: a.account,
        assessment: a,
        decision,
        verdict,
        findings,
        checklist,
    })
}

/// What the officer may do given the account's status, and why in words.
fn status_verdict(
    data: &Dataset,
    a: &Assessment,
    findings: &[&Finding],
    checklist: &[CheckItem],
) -> (Decision, String) {
    let outstanding: Vec<&str> = checklist
        .iter()
        .filter(|c| c.outstanding)
        .map(|c| c.item)
        .collect();
    match a.status {
        Status::FalseTrigger | Status::FalseApproach => (
            Decision::DoNotServe,
            false_trigger_verdict(data, a, findings),
        ),
        Status::HiddenArrears => (Decision::Hold, hidden_arrears_verdict(a, findings.len())),
        Status::TechnicalArrears => (Decision::Hold, technical_arrears_verdict(data, a)),
        Status::ProtocolHold => (Decision::Hold, protocol_hold_verdict(a)),
        // Cleared only when nothing on the checklist stands in the way either.
        Status::Genuine if !outstanding.is_empty() => {
            (Decision::Hold, outstanding_verdict(a, &outstanding))
        }
        Status::Genuine => (Decision::MayProceed, genuine_verdict(a)),
        Status::Approaching | Status::Clear => (Decision::DoNotServe, below_trigger_verdict(a)),
    }
}

/// The posted balance is wrong: what made it so, and the corrected arrears.
fn false_trigger_verdict(data: &Dataset, a: &Assessment, findings: &[&Finding]) -> String {
    let mut why = causes(data, a.account, findings);
    if a.refunded_in_error > Decimal::ZERO {
        why.push(format!(
            "{} of the balance is a refund paid out in error, a debt and not rent",
            pounds(a.refunded_in_error)
        ));
    }
    format!(
        "Do not serve: {}; corrected arrears are {} ({} weeks), below the trigger of {}.",
        if why.is_empty() {
            "the posted balance is wrong".to_string()
        } else {
            why.join("; ")
        },
        pounds(a.rent_arrears),
        plain(a.arrears_weeks),
        pounds(a.trigger)
    )
}

/// The arrears reach the trigger only once the findings are put right.
fn hidden_arrears_verdict(a: &Assessment, n: usize) -> String {
    format!(
        "Hold: the arrears reach the trigger only once {n} finding{} on the account {} put right \
         ({} corrected, {} weeks); put them right and show the tenant the corrected statement \
         first.",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
        pounds(a.rent_arrears),
        plain(a.arrears_weeks)
    )
}

/// Part of the arrears is benefit not yet paid or not yet due.
fn technical_arrears_verdict(data: &Dataset, a: &Assessment) -> String {
    let benefit = if data.account(a.account).benefit == Benefit::Uc {
        "Universal Credit"
    } else {
        "Housing Benefit"
    };
    let when = match (&a.benefit, &a.first_run) {
        (Some(b), _) => format!(", next run expected {}", b.next_expected),
        (None, Some(f)) => format!(", first payment due by {}", f.due),
        (None, None) => String::new(),
    };
    format!(
        "Hold: technical arrears. {} of the {} is {benefit} not yet {}{when}; without it the \
         arrears are {}.",
        pounds(a.technical_arrears),
        pounds(a.rent_arrears),
        if a.first_run.is_some() {
            "paid: the claim is new"
        } else {
            "due"
        },
        pounds(a.rent_arrears - a.technical_arrears)
    )
}

/// The trigger is reached but the account's holds stand in the way.
fn protocol_hold_verdict(a: &Assessment) -> String {
    let holds: Vec<String> = a.holds.iter().map(|h| h.sentence()).collect();
    format!(
        "Hold: reaches the trigger ({} weeks), but: {}.",
        plain(a.arrears_weeks),
        holds.join("; ")
    )
}

/// The trigger is reached but checklist items are outstanding.
fn outstanding_verdict(a: &Assessment, outstanding: &[&str]) -> String {
    format!(
        "Hold: reaches the trigger ({} weeks), but outstanding: {}.",
        plain(a.arrears_weeks),
        outstanding.join("; ")
    )
}

/// The trigger is reached and nothing stands against it.
fn genuine_verdict(a: &Assessment) -> String {
    format!(
        "Reaches the trigger: corrected arrears {} ({} weeks) against {}; nothing found against \
         it. Confirm the protocol steps the data cannot answer.",
        pounds(a.rent_arrears),
        plain(a.arrears_weeks),
        pounds(a.trigger)
    )
}

/// The corrected arrears are below the trigger.
fn below_trigger_verdict(a: &Assessment) -> String {
    format!(
        "Do not serve: corrected arrears {} ({} weeks) do not reach the trigger of {}.",
        pounds(a.rent_arrears),
        plain(a.arrears_weeks),
        pounds(a.trigger)
    )
}

/// The verdict once what is not rent is set apart: a former tenant is
/// never served, and sundry debt is named beside the rent arrears.
fn apart_from_rent(
    data: &Dataset,
    a: &Assessment,
    decision: Decision,
    verdict: String,
) -> (Decision, String) {
    let account = data.account(a.account);
    // Ended by the day of service or today, as the assessment's hold says.
    let ended = (a.holds.iter()).any(|h| h.reason == HoldReason::FormerTenant);
    let (decision, mut verdict) = match account.tenancy_end.filter(|_| ended) {
        Some(end) => (
            Decision::DoNotServe,
            format!(
                "Do not serve: the tenancy ended on {end}. What is owed ({}) is former-tenant arrears, \
                 recovered as a debt (a letter, an agreement, the small claims court), never by a NOSP.",
                pounds(a.rent_arrears.max(Decimal::ZERO) + a.sundry_debt)
            ),
        ),
        None => (decision, verdict),
    };
    if a.sundry_debt > Decimal::ZERO {
        let dues = Dues {
            rent: a.rent_arrears,
            sundry: a.sundry_debt,
        };
        verdict.push_str(&sundry_sentence(dues, a.refunded_in_error));
    }
    (decision, verdict)
}
