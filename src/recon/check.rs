//! Before a NOSP: for one account, the verdict an officer acts on, the
//! Pre-Action Protocol checklist (what the data answers, and what a person
//! must confirm), and the rent statement with posted and corrected running
//! balances. Built from a finished reconciliation; no I/O.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::assess::{sundry_sentence, Assessment, Status};
use super::case::{self, CaseFacts};
use super::due::Dues;
use super::finding::{Finding, FindingKind};
use super::hold::HoldReason;
use super::model::{AccountId, Benefit, Dataset, PostingKind};
use super::money::{plain, pounds};
use super::Reconciliation;

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

    /// The account's statement from `from`: see [`statement`].
    pub fn statement(&self, id: AccountId, from: NaiveDate) -> Vec<StatementLine> {
        statement(self, id, from)
    }
}

fn check_account<'a>(
    data: &Dataset,
    recon: &'a Reconciliation,
    a: &'a Assessment,
    findings: Vec<&'a Finding>,
    first_posting: Option<NaiveDate>,
) -> Option<AccountCheck<'a>> {
    let id = a.account;
    let account = data.account(id);
    let weeks = plain(a.arrears_weeks);
    let checklist = checklist(data, recon, a, &findings, first_posting);
    let outstanding: Vec<&str> = checklist
        .iter()
        .filter(|c| c.outstanding)
        .map(|c| c.item)
        .collect();
    let (decision, verdict) = match a.status {
        Status::FalseTrigger | Status::FalseApproach => {
            let mut why = causes(data, id, &findings);
            if a.refunded_in_error > Decimal::ZERO {
                why.push(format!(
                    "{} of the balance is a refund paid out in error, a debt and not rent",
                    pounds(a.refunded_in_error)
                ));
            }
            (
                Decision::DoNotServe,
                format!(
                    "Do not serve: {}; corrected arrears are {} ({weeks} weeks), below the trigger of {}.",
                    if why.is_empty() { "the posted balance is wrong".to_string() } else { why.join("; ") },
                    pounds(a.rent_arrears),
                    pounds(a.trigger)
                ),
            )
        }
        Status::HiddenArrears => (
            Decision::Hold,
            format!(
                "Hold: the arrears reach the trigger only once {} finding{} on the account {} put right ({} corrected, \
                 {weeks} weeks); put them right and show the tenant the corrected statement first.",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" },
                if findings.len() == 1 { "is" } else { "are" },
                pounds(a.rent_arrears)
            ),
        ),
        Status::TechnicalArrears => (
            Decision::Hold,
            format!(
                "Hold: technical arrears. {} of the {} is {} not yet {}{}; without it the arrears are {}.",
                pounds(a.technical_arrears),
                pounds(a.rent_arrears),
                if account.benefit == Benefit::Uc { "Universal Credit" } else { "Housing Benefit" },
                if a.first_run.is_some() { "paid: the claim is new" } else { "due" },
                match (&a.benefit, &a.first_run) {
                    (Some(b), _) => format!(", next run expected {}", b.next_expected),
                    (None, Some(f)) => format!(", first payment due by {}", f.due),
                    (None, None) => String::new(),
                },
                pounds(a.rent_arrears - a.technical_arrears)
            ),
        ),
        Status::ProtocolHold => (
            Decision::Hold,
            format!(
                "Hold: reaches the trigger ({weeks} weeks), but: {}.",
                a.holds.iter().map(|h| h.sentence()).collect::<Vec<_>>().join("; ")
            ),
        ),
        // Cleared only when nothing on the checklist stands in the way either.
        Status::Genuine if !outstanding.is_empty() => (
            Decision::Hold,
            format!(
                "Hold: reaches the trigger ({weeks} weeks), but outstanding: {}.",
                outstanding.join("; ")
            ),
        ),
        Status::Genuine => (
            Decision::MayProceed,
            format!(
                "Reaches the trigger: corrected arrears {} ({weeks} weeks) against {}; nothing found against it. \
                 Confirm the protocol steps the data cannot answer.",
                pounds(a.rent_arrears),
                pounds(a.trigger)
            ),
        ),
        Status::Approaching | Status::Clear => (
            Decision::DoNotServe,
            format!(
                "Do not serve: corrected arrears {} ({weeks} weeks) do not reach the trigger of {}.",
                pounds(a.rent_arrears),
                pounds(a.trigger)
            ),
        ),
    };
    let (decision, mut verdict) = apart_from_rent(data, recon, a, decision, verdict);
    if let Some(case) = &a.case {
        verdict.push_str(&case_sentences(a, case));
    }
    Some(AccountCheck {
        account: id,
        assessment: a,
        decision,
        verdict,
        findings,
        checklist,
    })
}

/// The verdict once what is not rent is set apart: a former tenant is
/// never served, and sundry debt is named beside the rent arrears.
fn apart_from_rent(
    data: &Dataset,
    recon: &Reconciliation,
    a: &Assessment,
    decision: Decision,
    verdict: String,
) -> (Decision, String) {
    let account = data.account(a.account);
    let (decision, mut verdict) = match account.tenancy_end.filter(|_| account.ended_by(recon.as_at)) {
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

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// An item the data answers: passed, or failed and holding the account.
fn answered(item: &'static str, answer: String, failed: bool) -> CheckItem {
    CheckItem {
        item,
        answer: Some(answer),
        tick: if failed { Tick::Failed } else { Tick::Passed },
        outstanding: failed,
    }
}

/// An item for the officer to confirm, with what the data says if anything.
fn confirm(item: &'static str, answer: Option<String>) -> CheckItem {
    CheckItem {
        item,
        answer,
        tick: Tick::Confirm,
        outstanding: false,
    }
}

/// The hold of this reason on the account, in words, if it is held so.
fn held_for(a: &Assessment, reason: HoldReason) -> Option<String> {
    a.holds
        .iter()
        .find(|h| h.reason == reason)
        .map(|h| h.sentence())
}

fn checklist(
    data: &Dataset,
    recon: &Reconciliation,
    a: &Assessment,
    findings: &[&Finding],
    first_posting: Option<NaiveDate>,
) -> Vec<CheckItem> {
    let account = data.account(a.account);
    let unresolved = findings.iter().filter(|f| f.needs_correction()).count();
    let mut items = vec![
        answered(
            "account reconciled with the money received",
            match (findings.len(), unresolved) {
                (0, _) => "yes: nothing found".to_string(),
                (n, 0) => format!(
                    "yes: {n} finding{} already right on the ledger",
                    if n == 1 { "" } else { "s" }
                ),
                (_, n) => format!(
                    "{n} finding{} to put right first",
                    if n == 1 { "" } else { "s" }
                ),
            },
            unresolved > 0,
        ),
        doubt_item(
            "no money in suspense that may be the tenant's",
            held_for(a, HoldReason::ReceiptInSuspense),
        ),
        doubt_item(
            "payer and reference agree on every receipt",
            held_for(a, HoldReason::PayerConflict),
        ),
        doubt_item(
            "the run could check everything the account depends on",
            held_for(a, HoldReason::IncompleteData).map(|h| {
                let said: Vec<&str> = (recon.warnings.iter())
                    .filter(|w| w.concerns(a.account))
                    .map(|w| w.message.as_str())
                    .collect();
                format!("{h}: {}", said.join("; "))
            }),
        ),
        statutory_item(a),
        benefit_item(a),
        answered(
            "no benefit claim pending with evidence supplied",
            yes_no(!account.benefit_claim_pending).to_string(),
            account.benefit_claim_pending,
        ),
        answered(
            "vulnerability taken into account",
            if account.vulnerable {
                "a vulnerability is recorded: assess it (risk assessment / EIA) before any step"
                    .to_string()
            } else {
                "none recorded".to_string()
            },
            account.vulnerable,
        ),
        answered(
            "no open complaint or dispute about the account",
            yes_no(!account.open_dispute).to_string(),
            account.open_dispute,
        ),
        answered(
            "no Direct Debit returned in the last 14 days",
            a.recent_return
                .map_or_else(|| "none".to_string(), |d| format!("returned on {d}")),
            a.recent_return.is_some(),
        ),
        statement_item(recon.as_at, first_posting.unwrap_or(recon.as_at)),
        confirm(
            "payment history (Grounds 10 and 11)",
            Some(if a.findings == 0 {
                format!(
                    "{} of {} rent periods in the last 12 months ended further behind",
                    a.late_periods, a.periods_12m
                )
            } else {
                format!(
                    "{} of {} rent periods in the last 12 months ended further behind as posted; \
                     the {} finding{} on the account may change that: put {} right first",
                    a.late_periods,
                    a.periods_12m,
                    a.findings,
                    if a.findings == 1 { "" } else { "s" },
                    if a.findings == 1 { "it" } else { "them" }
                )
            }),
        ),
    ];
    match (&a.case, data.cases_given) {
        (Some(case), _) => items.extend(case_items(data, a, case)),
        (None, true) => items.extend(case_items(data, a, &CaseFacts::default())),
        (None, false) => {
            items.extend(
                [
                    "no Breathing Space moratorium (the Insolvency Service notifies creditors: check the notices received)",
                    "no possession order, NOSP or payment arrangement already in force",
                    "tenant contacted about the arrears and given the chance to discuss them",
                ]
                .map(|item| confirm(item, None)),
            );
            let help = "help offered with any benefit claim, and a referral for money advice";
            items.push(match support_words(a) {
                Some(words) => answered(help, words, false),
                None => confirm(help, None),
            });
            items.push(confirm(
                "an affordable repayment agreement considered",
                None,
            ));
        }
    }
    if joint(&account.tenant_name) {
        items.push(confirm(
            "each joint tenant written to",
            Some(format!(
                "the tenancy is joint ({}): letters to each tenant",
                account.tenant_name
            )),
        ));
    }
    items.push(confirm("rent statements sent at least every quarter", None));
    items
}

/// The protocol steps and the obstacles the case file answers: each ✓ or
/// ✗ from cases.csv, a step not recorded there counted as not taken.
fn case_items(data: &Dataset, a: &Assessment, case: &CaseFacts) -> Vec<CheckItem> {
    let held = |reason| held_for(a, reason);
    let mut items = vec![
        doubt_item(
            "no Breathing Space moratorium",
            held(HoldReason::BreathingSpace),
        ),
        doubt_item("no possession order in force", held(HoldReason::CourtOrder)),
        doubt_item("no NOSP already in force", held(HoldReason::NospInForce)),
        doubt_item(
            "no payment arrangement being kept",
            held(HoldReason::ArrangementKept),
        ),
    ];
    let benefit = data.account(a.account).benefit != Benefit::None;
    let steps = [
        (
            "tenant contacted about the arrears and given the chance to discuss them",
            case.contacts,
            case.last_contact,
            "contact",
        ),
        (
            if benefit {
                "help offered with the benefit claim, and the HB office or DWP asked (a managed payment, deductions)"
            } else {
                "help offered with any benefit claim, and a referral for money advice"
            },
            case.referrals,
            case.last_referral,
            "benefit referral",
        ),
    ];
    for (i, (item, n, last, what)) in steps.into_iter().enumerate() {
        // A DHP or DWP deduction shows help with benefit was given.
        let support = support_words(a).filter(|_| i == 1);
        items.push(match (last, support) {
            (None, Some(words)) => answered(item, words, false),
            (Some(d), _) => answered(
                item,
                format!(
                    "{n} {what}{} recorded, the latest on {d}",
                    if n == 1 { "" } else { "s" }
                ),
                false,
            ),
            (None, None) => answered(item, format!("no {what} recorded in the case file"), true),
        });
    }
    items.push(match &case.arrangement {
        Some(arr) => answered(
            "an affordable repayment agreement considered",
            case::arrangement_words(arr),
            false,
        ),
        None if case.arrangements > 0 => answered(
            "an affordable repayment agreement considered",
            format!(
                "{} arrangement{} recorded, none in force now",
                case.arrangements,
                if case.arrangements == 1 { "" } else { "s" }
            ),
            false,
        ),
        None => answered(
            "an affordable repayment agreement considered",
            "no arrangement recorded in the case file".to_string(),
            true,
        ),
    });
    items
}

/// Help from the state the ledger shows: a DHP, DWP deductions.
fn support_words(a: &Assessment) -> Option<String> {
    let s = &a.support;
    let mut said = Vec::new();
    if let Some((paid, last)) = s.dhp {
        said.push(format!(
            "Discretionary Housing Payments of {} in the last 12 months, the latest on {last}",
            pounds(paid)
        ));
    }
    if let Some((paid, last)) = s.deductions {
        said.push(format!(
            "DWP deductions from benefit of {} in the last 12 months, the latest on {last}",
            pounds(paid)
        ));
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// What the case adds to a verdict that its holds do not already say: a
/// broken arrangement, a lapsed notice, and (where the verdict is not a
/// protocol hold) the obstacles themselves.
fn case_sentences(a: &Assessment, case: &CaseFacts) -> String {
    let mut said = Vec::new();
    if a.status != Status::ProtocolHold {
        said.extend(
            a.holds
                .iter()
                .filter(|h| {
                    matches!(
                        h.reason,
                        HoldReason::BreathingSpace
                            | HoldReason::CourtOrder
                            | HoldReason::NospInForce
                            | HoldReason::ArrangementKept
                    )
                })
                .map(|h| capitalised(&h.detail)),
        );
    }
    if let Some(arr) = case.arrangement.as_ref().filter(|x| !x.kept()) {
        said.push(capitalised(&case::arrangement_words(arr)));
    }
    if let Some(case::NospState::Lapsed { served, lapsed_on }) = case.nosp {
        said.push(format!(
            "The NOSP served on {served} lapsed on {lapsed_on}: proceedings would need a new notice"
        ));
    }
    said.iter().map(|s| format!(" {s}.")).collect()
}

/// A tenant name that holds two people or more ("Ann & Bob Lee", "Lee A
/// and B").
fn joint(name: &str) -> bool {
    name.contains('&')
        || name
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An item that fails, and holds, where the run has a doubt of its kind.
fn doubt_item(item: &'static str, doubt: Option<String>) -> CheckItem {
    match doubt {
        Some(words) => answered(item, words, true),
        None => answered(item, "none found".to_string(), false),
    }
}

/// What the law leaves out as Universal Credit not yet paid, in words.
fn uc_left_out(a: &Assessment) -> String {
    let left_out = a.rent_arrears - a.technical_arrears - a.statutory_arrears;
    if a.statutory.excludes_unpaid_uc && left_out > Decimal::ZERO {
        format!(
            ", {} owed only because Universal Credit is not yet paid left out",
            pounds(left_out)
        )
    } else {
        String::new()
    }
}

/// Passed where the arrears reach a mandatory ground's threshold, failed
/// where they do not (the discretionary grounds remain), and for the
/// officer where the tenancy has no mandatory ground.
fn statutory_item(a: &Assessment) -> CheckItem {
    let item = "arrears reach the statutory threshold on the day";
    match (a.statutory.threshold, a.reaches_statutory) {
        (Some(t), Some(r)) => CheckItem {
            item,
            answer: Some(format!(
                "{}: {} against {}{} ({})",
                yes_no(r),
                pounds(a.statutory_arrears),
                pounds(t),
                uc_left_out(a),
                a.statutory.basis
            )),
            tick: if r { Tick::Passed } else { Tick::Failed },
            outstanding: false,
        },
        _ => confirm(item, Some(a.statutory.basis.to_string())),
    }
}

fn benefit_item(a: &Assessment) -> CheckItem {
    let item = "benefit paid in arrears taken into account";
    if let Some(h) = held_for(a, HoldReason::BenefitStopped)
        .or_else(|| held_for(a, HoldReason::BenefitNotYetPaid))
    {
        return answered(item, h, true);
    }
    match &a.benefit {
        Some(b) if a.technical_arrears > Decimal::ZERO => answered(
            item,
            format!(
                "{} of the arrears is benefit not yet due; next run expected {}",
                pounds(a.technical_arrears),
                b.next_expected
            ),
            true,
        ),
        Some(b) => answered(
            item,
            format!(
                "no benefit outstanding; next run expected {}",
                b.next_expected
            ),
            false,
        ),
        None => answered(
            item,
            "no benefit is paid to the landlord".to_string(),
            false,
        ),
    }
}

/// The court expects a statement covering the last two years.
fn statement_item(as_at: NaiveDate, first: NaiveDate) -> CheckItem {
    let two_years = as_at
        .checked_sub_months(Months::new(24))
        .unwrap_or(NaiveDate::MIN);
    let item = "rent statement for the last 2 years";
    if first <= two_years {
        answered(
            item,
            "the data covers it (`check --statement`)".to_string(),
            false,
        )
    } else {
        CheckItem {
            item,
            answer: Some(format!(
                "the data starts {first}: the statement covers less than 2 years; add the earlier ledger"
            )),
            tick: Tick::Failed,
            outstanding: false,
        }
    }
}

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
fn posting_note(book: &Book<'_>, id: AccountId, i: usize) -> String {
    let (data, recon) = (book.data, book.recon);
    let p = &data.postings[i];
    let mut notes = Vec::new();
    if book.late.contains(&i) {
        notes.push("posted late".to_string());
    }
    if p.is_sundry_debit() {
        let paid = match recon.settings.allocation {
            super::due::Allocation::RentFirst => {
                "payments go to it once the rent is paid (rent-first)"
            }
            super::due::Allocation::OldestFirst => {
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
fn finding_date(data: &Dataset, f: &Finding, as_at: NaiveDate) -> NaiveDate {
    f.bank
        .map(|b| data.bank[b].date)
        .or_else(|| f.postings.last().map(|&p| data.postings[p].date))
        .unwrap_or(as_at)
}

/// The account's statement from `from` to the as-at date: an opening line,
/// every posting, and every correction on its date. Its last balances equal
/// the assessment's posted and corrected balances.
fn statement(book: &Book<'_>, id: AccountId, from: NaiveDate) -> Vec<StatementLine> {
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
fn case_lines(
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
