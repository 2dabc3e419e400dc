//! What a report lists when an officer asks for part of the run (`--account`,
//! `--kind`, `--min-severity`, `--status`): the findings and accounts in
//! focus. Control totals always cover the whole run.

use crate::recon::finding::{Finding, FindingKind, Severity};
use crate::recon::{Assessment, Reconciliation, Status};

/// The officer's filters, as given; empty means everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Accounts (by id): their findings, including receipts posted to them
    /// or suggested for them, and their assessments.
    pub accounts: Vec<u32>,
    pub kinds: Vec<FindingKind>,
    /// Findings at or above this severity.
    pub min_severity: Option<Severity>,
    pub statuses: Vec<Status>,
    /// How the filter reads on the command line, for the report to say.
    pub said: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
            && self.kinds.is_empty()
            && self.min_severity.is_none()
            && self.statuses.is_empty()
    }

    fn on_findings(&self) -> bool {
        !self.kinds.is_empty() || self.min_severity.is_some()
    }

    /// The finding's own tests: kind, severity, and (when accounts are
    /// named) whether it touches one of them.
    fn passes(&self, f: &Finding) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&f.kind))
            && self.min_severity.is_none_or(|s| f.severity <= s)
            && (self.accounts.is_empty() || touched(f).any(|a| self.accounts.contains(&a)))
    }

    fn admits(&self, a: &Assessment) -> bool {
        (self.accounts.is_empty() || self.accounts.contains(&a.account))
            && (self.statuses.is_empty() || self.statuses.contains(&a.status))
    }
}

/// The accounts a finding concerns: its own, the one the money went to,
/// and those suggested for a receipt in suspense.
fn touched(f: &Finding) -> impl Iterator<Item = u32> + '_ {
    (f.account.into_iter())
        .chain(f.posted_to)
        .chain(f.suggestions.iter().map(|s| s.account))
}

/// Which findings (by index in the run) and accounts (by id) a report lists.
#[derive(Clone, Debug, Default)]
pub struct Focus {
    filter: Filter,
    /// `None`: the whole run.
    findings: Option<Vec<bool>>,
    accounts: Option<Vec<bool>>,
}

impl Focus {
    /// Everything in the run.
    pub fn whole() -> Focus {
        Focus::default()
    }

    /// A finding is listed when it passes its own tests and, where statuses
    /// are asked for, touches an account of those statuses; an account is
    /// listed when it passes its own tests and, where kinds or a severity
    /// are asked for, has a finding that passes them.
    pub fn new(filter: Filter, recon: &Reconciliation, accounts: usize) -> Focus {
        if filter.is_empty() {
            return Focus::whole();
        }
        let admitted: Vec<bool> = {
            let mut v = vec![false; accounts];
            for a in &recon.assessments {
                if let Some(slot) = v.get_mut(a.account as usize) {
                    *slot = filter.admits(a);
                }
            }
            v
        };
        let is_admitted = |a: u32| admitted.get(a as usize).copied().unwrap_or(false);
        let findings: Vec<bool> = (recon.findings.iter())
            .map(|f| {
                filter.passes(f) && (filter.statuses.is_empty() || touched(f).any(is_admitted))
            })
            .collect();
        let mut flagged = vec![!filter.on_findings(); accounts];
        for (f, _) in (recon.findings.iter().zip(&findings)).filter(|(_, &shown)| shown) {
            for a in touched(f) {
                if let Some(slot) = flagged.get_mut(a as usize) {
                    *slot = true;
                }
            }
        }
        let accounts = (admitted.iter().zip(&flagged))
            .map(|(&a, &f)| a && f)
            .collect();
        Focus {
            filter,
            findings: Some(findings),
            accounts: Some(accounts),
        }
    }

    pub fn is_whole(&self) -> bool {
        self.findings.is_none()
    }

    /// Whether the `i`th finding of the run is listed.
    pub fn finding(&self, i: usize) -> bool {
        self.findings
            .as_ref()
            .is_none_or(|v| v.get(i).copied().unwrap_or(false))
    }

    pub fn account(&self, id: u32) -> bool {
        self.accounts
            .as_ref()
            .is_none_or(|v| v.get(id as usize).copied().unwrap_or(false))
    }

    /// The filter as the command line gave it: `--kind wrong_account`.
    pub fn said(&self) -> &[String] {
        &self.filter.said
    }

    /// The findings listed, in the run's order.
    pub fn findings<'r>(&self, recon: &'r Reconciliation) -> Vec<&'r Finding> {
        (recon.findings.iter().enumerate())
            .filter(|(i, _)| self.finding(*i))
            .map(|(_, f)| f)
            .collect()
    }

    /// The assessments listed, in the run's order.
    pub fn assessments<'r>(&self, recon: &'r Reconciliation) -> Vec<&'r Assessment> {
        (recon.assessments.iter())
            .filter(|a| self.account(a.account))
            .collect()
    }

    /// The sentence a report puts above its lists, or `None` for the whole run.
    pub fn note(&self, recon: &Reconciliation) -> Option<String> {
        let findings = self.findings.as_ref()?;
        let shown = findings.iter().filter(|&&s| s).count();
        let accounts = (recon.assessments.iter())
            .filter(|a| self.account(a.account))
            .count();
        Some(format!(
            "Filtered to {}: {shown} of {} findings and {accounts} of {} accounts are listed. \
             Control totals and the summaries by kind and status cover the whole run.",
            self.filter.said.join(" "),
            findings.len(),
            recon.assessments.len()
        ))
    }
}
