//! The report as rows of text, built once from the core's result and shared
//! by every format, so table, CSV, JSON, Markdown and HTML can never disagree.

use serde::Serialize;

use crate::recon::finding::Finding;
use crate::recon::matching::InParts;
use chrono::NaiveDate;

use crate::recon::law::Basis;
use crate::recon::money::{plain, Plain};
use crate::recon::{Assessment, Dataset, Reconciliation, Status};

/// One warning: what the run could not check, and whom it holds.
#[derive(Clone, Debug, Serialize)]
pub struct WarningView {
    pub kind: &'static str,
    pub message: String,
    pub evidence: Vec<String>,
    /// `every` (each account is held) or `accounts` (those listed are).
    pub scope: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
}

impl WarningView {
    /// `WARNING no_schedules: ... (holds 3 accounts: incomplete_data)`.
    pub fn line(&self) -> String {
        let held = match self.scope {
            "every" => "every account".to_string(),
            _ => format!(
                "{} account{}",
                self.accounts.len(),
                if self.accounts.len() == 1 { "" } else { "s" }
            ),
        };
        format!(
            "WARNING {}: {} (holds {held}: incomplete_data)",
            self.kind, self.message
        )
    }
}

/// The run's warnings, in the order they were found.
pub fn warning_views(data: &Dataset, recon: &Reconciliation) -> Vec<WarningView> {
    use crate::recon::warning::Scope;
    recon
        .warnings
        .iter()
        .map(|w| WarningView {
            kind: w.kind.as_str(),
            message: w.message.clone(),
            evidence: w.evidence.iter().map(|&r| data.sources.cite(r)).collect(),
            scope: match w.scope {
                Scope::Every => "every",
                Scope::Accounts(_) => "accounts",
            },
            accounts: match &w.scope {
                Scope::Every => Vec::new(),
                Scope::Accounts(ids) => ids
                    .iter()
                    .map(|&a| data.account(a).account_ref.to_string())
                    .collect(),
            },
        })
        .collect()
}

#[derive(Clone, Debug, Serialize)]
pub struct SuggestionView {
    pub account_ref: String,
    pub reason: String,
}

/// One finding, with the contract's field names.
#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub kind: &'static str,
    pub severity: &'static str,
    pub account_ref: String,
    pub posted_to: String,
    pub bank_id: String,
    pub txn_ids: Vec<String>,
    pub amount: String,
    pub evidence: Vec<String>,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<SuggestionView>,
}

/// One account's assessment, with the contract's field names: borrowed
/// from the assessment and written as it is serialised (a view is made for
/// every account, a hundred thousand of them, as the report is written).
#[derive(Clone, Debug, Serialize)]
pub struct AccountView<'a> {
    pub account_ref: &'a str,
    pub tenant_name: &'a str,
    pub status: &'static str,
    pub posted_balance: Plain,
    pub corrected_balance: Plain,
    /// The rent arrears in the corrected balance: what the trigger and the
    /// statutory test count.
    pub rent_arrears: Plain,
    /// Debt beside the rent arrears that is not rent lawfully due.
    pub sundry_debt: Plain,
    pub arrears_weeks: Plain,
    pub weekly_rent: Plain,
    pub trigger: Plain,
    pub warn_from: Plain,
    pub statutory_threshold: Option<Plain>,
    pub statutory_basis: Basis,
    /// The arrears compared with the statutory threshold.
    pub statutory_arrears: Plain,
    pub reaches_statutory: Option<bool>,
    pub technical_arrears: Plain,
    pub next_benefit_expected: Option<Day>,
    pub recent_dd_return: Option<Day>,
    pub late_periods_12m: usize,
    pub periods_12m: usize,
    pub reasons: &'a [String],
    /// Every hold on the account, whatever its status (an account below
    /// the trigger may still have money in suspense, say).
    pub holds: Vec<&'static str>,
    pub findings: usize,
    pub detail: &'a str,
}

impl Serialize for Plain {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date serialised as `YYYY-MM-DD`, written without a `String`.
#[derive(Clone, Copy, Debug)]
pub struct Day(pub NaiveDate);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

pub fn finding_view(data: &Dataset, f: &Finding) -> FindingView {
    let account_ref = |a: Option<u32>| {
        a.map(|a| data.account(a).account_ref.to_string())
            .unwrap_or_default()
    };
    FindingView {
        kind: f.kind.as_str(),
        severity: f.severity.as_str(),
        account_ref: account_ref(f.account),
        posted_to: account_ref(f.posted_to),
        bank_id: f
            .bank
            .map(|b| data.bank_id(b).into_owned())
            .unwrap_or_default(),
        txn_ids: f
            .postings
            .iter()
            .map(|&p| data.txn_id(p).into_owned())
            .collect(),
        amount: plain(f.amount),
        evidence: f.evidence.iter().map(|&r| data.sources.cite(r)).collect(),
        detail: f.detail.clone(),
        // The best few: every suggested account is held, and its own
        // assessment names the receipt.
        suggestions: f
            .suggestions
            .iter()
            .take(3)
            .map(|s| SuggestionView {
                account_ref: data.account(s.account).account_ref.to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    }
}

pub fn account_view<'a>(data: &'a Dataset, a: &'a Assessment) -> AccountView<'a> {
    let account = data.account(a.account);
    AccountView {
        account_ref: &account.account_ref,
        tenant_name: &account.tenant_name,
        status: a.status.as_str(),
        posted_balance: Plain(a.posted_balance),
        corrected_balance: Plain(a.corrected_balance),
        rent_arrears: Plain(a.rent_arrears),
        sundry_debt: Plain(a.sundry_debt),
        arrears_weeks: Plain(a.arrears_weeks),
        weekly_rent: Plain(a.weekly_rent),
        trigger: Plain(a.trigger),
        warn_from: Plain(a.warn_from),
        statutory_threshold: a.statutory.threshold.map(Plain),
        statutory_basis: a.statutory.basis,
        statutory_arrears: Plain(a.statutory_arrears),
        reaches_statutory: a.reaches_statutory,
        technical_arrears: Plain(a.technical_arrears),
        next_benefit_expected: a.benefit.as_ref().map(|b| Day(b.next_expected)),
        recent_dd_return: a.recent_return.map(Day),
        late_periods_12m: a.late_periods,
        periods_12m: a.periods_12m,
        reasons: &a.reasons,
        holds: a.holds.iter().map(|h| h.reason.as_str()).collect(),
        findings: a.findings,
        detail: &a.detail,
    }
}

/// The report's findings in focus, most urgent first: severity, then the
/// size of the correction.
pub fn urgent_findings<'r>(report: &super::Report<'r>) -> Vec<&'r Finding> {
    most_urgent(report.focus.findings(report.recon))
}

fn most_urgent(mut v: Vec<&Finding>) -> Vec<&Finding> {
    v.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| b.amount.abs().cmp(&a.amount.abs()))
    });
    v
}

/// Accounts an officer must look at, most urgent first: status order, then
/// arrears in weeks, highest first. Where a filter chose the accounts,
/// every one it chose, clear ones too: an officer who asks for an account
/// is told its standing.
pub fn accounts_to_act_on<'r>(report: &super::Report<'r>) -> Vec<&'r Assessment> {
    let mut v = report.focus.assessments(report.recon);
    if report.focus.is_whole() {
        v.retain(|a| a.status.needs_action());
    }
    v.sort_by(|a, b| {
        a.status.cmp(&b.status).then_with(|| {
            b.posted_balance
                .max(b.corrected_balance)
                .cmp(&a.posted_balance.max(a.corrected_balance))
        })
    });
    v
}

/// Accounts per status, with their posted and corrected balances summed.
pub fn status_counts(
    recon: &Reconciliation,
) -> Vec<(Status, usize, rust_decimal::Decimal, rust_decimal::Decimal)> {
    Status::ALL
        .iter()
        .map(|&s| {
            let of: Vec<&Assessment> = recon.assessments.iter().filter(|a| a.status == s).collect();
            (
                s,
                of.len(),
                of.iter().map(|a| a.posted_balance).sum(),
                of.iter().map(|a| a.corrected_balance).sum(),
            )
        })
        .filter(|(_, n, _, _)| *n > 0)
        .collect()
}

/// Money matched in parts (a split or combined posting): matched, so no
/// finding, but listed with its evidence.
#[derive(Serialize)]
pub struct InPartsView {
    pub bank_ids: Vec<String>,
    pub txn_ids: Vec<String>,
    /// The accounts the postings are on, in order, each once.
    pub accounts: Vec<String>,
    pub amount: String,
    pub evidence: Vec<String>,
    pub detail: String,
}

pub fn in_parts_view(data: &Dataset, m: &InParts) -> InPartsView {
    let mut accounts: Vec<String> = (m.postings.iter())
        .map(|&p| {
            data.account(data.postings[p as usize].account)
                .account_ref
                .to_string()
        })
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    InPartsView {
        bank_ids: (m.bank.iter())
            .map(|&b| data.bank_id(b as usize).into_owned())
            .collect(),
        txn_ids: (m.postings.iter())
            .map(|&p| data.txn_id(p as usize).into_owned())
            .collect(),
        accounts,
        amount: plain(m.amount),
        evidence: m.evidence.iter().map(|&r| data.sources.cite(r)).collect(),
        detail: m.detail.clone(),
    }
}
