//! The report as rows of text, built once from the core's result and shared
//! by every format, so table, CSV, JSON and Markdown can never disagree.

use serde::Serialize;

use crate::recon::finding::Finding;
use crate::recon::money::plain;
use crate::recon::{Assessment, Dataset, Reconciliation, Status};

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

/// One account's assessment, with the contract's field names.
#[derive(Clone, Debug, Serialize)]
pub struct AccountView {
    pub account_ref: String,
    pub tenant_name: String,
    pub status: &'static str,
    pub posted_balance: String,
    pub corrected_balance: String,
    pub arrears_weeks: String,
    pub weekly_rent: String,
    pub trigger: String,
    pub warn_from: String,
    pub statutory_threshold: Option<String>,
    pub statutory_basis: String,
    /// The arrears compared with the statutory threshold.
    pub statutory_arrears: String,
    pub reaches_statutory: Option<bool>,
    pub technical_arrears: String,
    pub next_benefit_expected: Option<String>,
    pub recent_dd_return: Option<String>,
    pub late_periods_12m: usize,
    pub periods_12m: usize,
    pub reasons: Vec<String>,
    pub findings: usize,
    pub detail: String,
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
        suggestions: f
            .suggestions
            .iter()
            .map(|s| SuggestionView {
                account_ref: data.account(s.account).account_ref.to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    }
}

pub fn account_view(data: &Dataset, a: &Assessment) -> AccountView {
    let account = data.account(a.account);
    AccountView {
        account_ref: account.account_ref.to_string(),
        tenant_name: account.tenant_name.to_string(),
        status: a.status.as_str(),
        posted_balance: plain(a.posted_balance),
        corrected_balance: plain(a.corrected_balance),
        arrears_weeks: plain(a.arrears_weeks),
        weekly_rent: plain(a.weekly_rent),
        trigger: plain(a.trigger),
        warn_from: plain(a.warn_from),
        statutory_threshold: a.statutory.threshold.map(plain),
        statutory_basis: a.statutory.basis.clone(),
        statutory_arrears: plain(a.statutory_arrears),
        reaches_statutory: a.reaches_statutory,
        technical_arrears: plain(a.technical_arrears),
        next_benefit_expected: a.benefit.as_ref().map(|b| b.next_expected.to_string()),
        recent_dd_return: a.recent_return.map(|d| d.to_string()),
        late_periods_12m: a.late_periods,
        periods_12m: a.periods_12m,
        reasons: a.reasons.clone(),
        findings: a.findings,
        detail: a.detail.clone(),
    }
}

/// Findings most urgent first: severity, then the size of the correction.
pub fn urgent_findings(recon: &Reconciliation) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = recon.findings.iter().collect();
    v.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| b.amount.abs().cmp(&a.amount.abs()))
    });
    v
}

/// Accounts an officer must look at, most urgent first: status order, then
/// arrears in weeks, highest first.
pub fn accounts_to_act_on(recon: &Reconciliation) -> Vec<&Assessment> {
    let mut v: Vec<&Assessment> = recon
        .assessments
        .iter()
        .filter(|a| a.status.needs_action())
        .collect();
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

/// Makes a cell safe to open in a spreadsheet: text starting with `= + - @`
/// (or a tab or carriage return) gets a leading apostrophe so it is never
/// run as a formula. Plain numbers such as `-412.50` are left alone.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // `-412.50` and `-£1,240.00` are values a spreadsheet reads as numbers.
    let bare: String = cell.chars().filter(|c| !matches!(c, '£' | ',')).collect();
    let number = bare.parse::<rust_decimal::Decimal>().is_ok();
    if risky && !number {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_but_numbers_are_not() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+44 1234"), "'+44 1234");
        assert_eq!(spreadsheet_safe("-412.50"), "-412.50");
        assert_eq!(spreadsheet_safe("-£1,240.00"), "-£1,240.00");
        assert_eq!(spreadsheet_safe("-SUM(A1)"), "'-SUM(A1)");
        assert_eq!(spreadsheet_safe("RA1001"), "RA1001");
    }
}
