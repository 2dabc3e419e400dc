//! The comparison as titled sections of rows, shared by the table, Markdown
//! and HTML writers so that they never disagree: a heading, each run's
//! fingerprint, a summary sentence, then the findings new, resolved and
//! still open, the accounts, the money in suspense and the kinds.

use super::compare::{Diff, FindingChange, Side, Suspense};
use super::parse::Account;
use crate::recon::money::pounds;
use crate::report::InputFile;

pub(super) use crate::report::sections::Section;

/// `rent-audit 0.1.0: month on month, last.json (as at ...) to this.json (...)`.
pub(super) fn heading(diff: &Diff) -> String {
    format!(
        "rent-audit {}: month on month, {} (as at {}) to {} (as at {})",
        env!("CARGO_PKG_VERSION"),
        diff.last.file,
        diff.last.as_at,
        diff.this.file,
        diff.this.as_at
    )
}

/// `last: last.json, rent-audit 0.1.0, as at ...; inputs: accounts.csv (...)`.
pub(super) fn run_line(label: &str, side: &Side) -> String {
    let inputs: Vec<String> = (side.inputs.iter())
        .map(|i| {
            InputFile {
                file: i.file.clone(),
                bytes: i.bytes,
                sha256: i.sha256.clone(),
            }
            .describe()
        })
        .collect();
    format!(
        "{label}: {}, {}, as at {}; inputs: {}",
        side.file,
        side.tool,
        side.as_at,
        inputs.join("; ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn suspense_text(s: Suspense) -> String {
    format!(
        "{} ({})",
        pounds(s.amount),
        plural(s.receipts, "receipt", "receipts")
    )
}

/// One sentence of what changed.
pub(super) fn summary(diff: &Diff) -> String {
    let suspense = format!(
        "{} then, {} now",
        suspense_text(diff.suspense_then),
        suspense_text(diff.suspense_now)
    );
    if diff.unchanged() {
        return format!(
            "Nothing changed: no finding is new or resolved, none still open asks for a \
             different correction, and no account changed status, came or went ({} \
             still open; money in suspense {suspense}).",
            plural(diff.open.len(), "finding", "findings")
        );
    }
    let high = (diff.new.iter())
        .filter(|c| c.finding.severity == crate::recon::Severity::High)
        .count();
    let moved = diff.open.iter().filter(|c| c.amount_changed()).count();
    format!(
        "Findings: {} new ({high} high), {} resolved, {} still open ({moved} with a new \
         amount). Accounts: {} changed status, {} new, {} gone. Money in suspense: {suspense}.",
        diff.new.len(),
        diff.resolved.len(),
        diff.open.len(),
        diff.changed.len(),
        diff.accounts_new.len(),
        diff.accounts_gone.len(),
    )
}

pub(super) fn sections(diff: &Diff) -> Vec<Section> {
    vec![
        findings(
            format!("New findings ({})", diff.new.len()),
            &diff.new,
            "None new.",
        ),
        findings(
            format!(
                "Resolved findings ({}), as last month's report gave them",
                diff.resolved.len()
            ),
            &diff.resolved,
            "None resolved.",
        ),
        findings(
            format!("Findings still open ({})", diff.open.len()),
            &diff.open,
            "None still open.",
        ),
        status_changes(diff),
        accounts(
            format!("New accounts ({})", diff.accounts_new.len()),
            &diff.accounts_new,
        ),
        accounts(
            format!("Accounts gone ({})", diff.accounts_gone.len()),
            &diff.accounts_gone,
        ),
        suspense(diff),
        by_kind(diff),
    ]
}

/// `£100.00`, or `£100.00 → £120.00` on one still open whose amount moved.
fn amount(c: &FindingChange) -> String {
    match c.amount_then {
        Some(then) if c.amount_changed() => {
            format!("{} → {}", pounds(then), pounds(c.finding.amount))
        }
        _ => pounds(c.finding.amount),
    }
}

fn findings(title: String, list: &[FindingChange], none: &str) -> Section {
    Section {
        legend: Vec::new(),
        title,
        headers: crate::report::sections::FINDING_HEADERS.to_vec(),
        numeric: vec![4],
        rows: list
            .iter()
            .map(|c| {
                let f = &c.finding;
                vec![
                    f.severity.to_string(),
                    f.kind.clone(),
                    f.account_ref.clone(),
                    f.posted_to.clone(),
                    amount(c),
                    f.detail.clone(),
                    f.evidence.join(" "),
                ]
            })
            .collect(),
        note: list.is_empty().then(|| none.to_string()),
    }
}

fn status_changes(diff: &Diff) -> Section {
    Section {
        legend: Vec::new(),
        title: format!("Accounts whose status changed ({})", diff.changed.len()),
        headers: vec![
            "account",
            "tenant",
            "status then",
            "status now",
            "corrected then",
            "corrected now",
        ],
        numeric: vec![4, 5],
        rows: (diff.changed.iter())
            .map(|c| {
                vec![
                    c.account_ref.clone(),
                    c.tenant_name.clone(),
                    c.status_then.clone(),
                    c.status_now.clone(),
                    pounds(c.corrected_then),
                    pounds(c.corrected_now),
                ]
            })
            .collect(),
        note: diff
            .changed
            .is_empty()
            .then(|| "No account's status changed.".to_string()),
    }
}

fn accounts(title: String, list: &[Account]) -> Section {
    Section {
        legend: Vec::new(),
        title,
        headers: vec![
            "account",
            "tenant",
            "status",
            "posted balance",
            "corrected balance",
        ],
        numeric: vec![3, 4],
        rows: (list.iter())
            .map(|a| {
                vec![
                    a.account_ref.clone(),
                    a.tenant_name.clone(),
                    a.status.clone(),
                    pounds(a.posted_balance),
                    pounds(a.corrected_balance),
                ]
            })
            .collect(),
        note: list.is_empty().then(|| "None.".to_string()),
    }
}

/// A count's change, signed: `+2`, `-1`, `0`.
fn count_change(then: usize, now: usize) -> String {
    let change = i128::try_from(now).unwrap_or(i128::MAX) - i128::try_from(then).unwrap_or(0);
    if change > 0 {
        format!("+{change}")
    } else {
        change.to_string()
    }
}

fn suspense(diff: &Diff) -> Section {
    let (then, now) = (diff.suspense_then, diff.suspense_now);
    Section {
        legend: Vec::new(),
        title: "Money in suspense (unidentified receipts)".to_string(),
        headers: vec!["", "then", "now", "change"],
        numeric: vec![1, 2, 3],
        rows: vec![
            vec![
                "receipts".to_string(),
                then.receipts.to_string(),
                now.receipts.to_string(),
                count_change(then.receipts, now.receipts),
            ],
            vec![
                "money".to_string(),
                pounds(then.amount),
                pounds(now.amount),
                pounds(now.amount - then.amount),
            ],
        ],
        note: Some(
            "From each report's control totals: the bank lines whose outcome is \
             unidentified_receipt."
                .to_string(),
        ),
    }
}

fn by_kind(diff: &Diff) -> Section {
    Section {
        legend: Vec::new(),
        title: "Findings by kind".to_string(),
        headers: vec!["kind", "then", "now", "change", "money then", "money now"],
        numeric: vec![1, 2, 3, 4, 5],
        rows: (diff.by_kind.iter())
            .map(|k| {
                vec![
                    k.kind.clone(),
                    k.then.to_string(),
                    k.now.to_string(),
                    count_change(k.then, k.now),
                    pounds(k.money_then),
                    pounds(k.money_now),
                ]
            })
            .collect(),
        note: diff
            .by_kind
            .is_empty()
            .then(|| "No findings in either run.".to_string()),
    }
}
