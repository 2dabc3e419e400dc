//! The human-readable report as titled sections of rows, shared by the table
//! and Markdown writers and the HTML pack: control totals, findings by kind, accounts by status,
//! then the findings and the accounts to act on, most urgent first.

use rust_decimal::Decimal;

use super::view::{accounts_to_act_on, status_counts, urgent_findings};
use super::Report;
use crate::recon::model::SourceFile;
use crate::recon::money::{plain, pounds};
use crate::recon::totals::OutcomeTotal;

/// A findings table's columns, in the report and in the month-on-month
/// comparison alike.
pub const FINDING_HEADERS: [&str; 7] = [
    "severity",
    "kind",
    "account",
    "posted to",
    "correction",
    "detail",
    "evidence",
];

pub struct Section {
    pub title: String,
    pub headers: Vec<&'static str>,
    /// Columns (by index) holding money, to be right-aligned.
    pub numeric: Vec<usize>,
    pub rows: Vec<Vec<String>>,
    /// A sentence under the table (e.g. whether totals tie).
    pub note: Option<String>,
    /// What the table's words mean (`term: meaning`), each term once in a
    /// report, under the first table that shows it.
    pub legend: Vec<String>,
}

fn outcome_section(
    title: &str,
    unit: &'static str,
    outcomes: &[OutcomeTotal],
    expected: Decimal,
    what: &str,
) -> Section {
    let mut rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| vec![o.outcome.to_string(), o.rows.to_string(), pounds(o.amount)])
        .collect();
    let total: Decimal = outcomes.iter().map(|o| o.amount).sum();
    let count: usize = outcomes.iter().map(|o| o.rows).sum();
    rows.push(vec!["total".to_string(), count.to_string(), pounds(total)]);
    Section {
        legend: Vec::new(),
        title: title.to_string(),
        headers: vec!["outcome", unit, "money"],
        numeric: vec![1, 2],
        rows,
        note: Some(if total == expected {
            format!("Ties to the penny with {what} ({}).", pounds(expected))
        } else {
            format!(
                "DOES NOT TIE: {what} is {} but outcomes sum to {}.",
                pounds(expected),
                pounds(total)
            )
        }),
    }
}

pub fn sections(report: &Report<'_>) -> Vec<Section> {
    let t = &report.recon.totals;
    let mut bank = outcome_section(
        "Bank lines by outcome (bulk lines counted by schedule share)",
        "entries",
        &t.bank_outcomes,
        t.bank_net(),
        "the bank file's net money",
    );
    if t.bulk_lines > 0 {
        if let Some(note) = &mut bank.note {
            note.push_str(&format!(
                " {} bulk lines are split into their schedule shares.",
                t.bulk_lines
            ));
        }
    }
    let credits = outcome_section(
        "Ledger credits by outcome",
        "rows",
        &t.credit_outcomes,
        t.ledger_credits,
        "the ledger's credits",
    );
    let mut all = vec![
        input_files(report),
        bank,
        credits,
        findings_by_kind(report),
        accounts_by_status(report),
        findings(report),
    ];
    all.extend(in_parts(report));
    all.push(accounts_to_act(report));
    let mut explained = Vec::new();
    for section in &mut all {
        section.legend = legend(section, &mut explained);
    }
    all
}

/// Columns whose cells are words the glossary explains.
const WORD_COLUMNS: [&str; 4] = ["kind", "status", "severity", "outcome"];

/// The legend for a section: its column headings, then the words in its
/// kind and status columns, leaving out what an earlier table explained.
fn legend(section: &Section, explained: &mut Vec<String>) -> Vec<String> {
    let mut terms: Vec<&str> = section.headers.clone();
    for (i, _) in (section.headers.iter().enumerate()).filter(|(_, h)| WORD_COLUMNS.contains(h)) {
        for row in &section.rows {
            if let Some(word) = row.get(i).filter(|w| !terms.contains(&w.as_str())) {
                terms.push(word);
            }
        }
    }
    terms.retain(|t| !explained.iter().any(|e| e == t));
    explained.extend(terms.iter().map(|t| t.to_string()));
    super::glossary::legend(&terms)
}

/// Rows read = rows used + rows set aside (lenient mode), per file.
fn input_files(report: &Report<'_>) -> Section {
    let (data, t) = (report.data, &report.recon.totals);
    let name = |f| data.sources.name(f).to_string();
    let file_row = |file: SourceFile, used: usize, money_in: String, money_out: String| {
        let r = &t.reading[file.index()];
        vec![
            name(file),
            r.rows_read.to_string(),
            used.to_string(),
            r.rows_rejected.to_string(),
            money_in,
            money_out,
        ]
    };
    let mut files = vec![
        file_row(
            SourceFile::Accounts,
            t.accounts_rows,
            String::new(),
            String::new(),
        ),
        file_row(
            SourceFile::Ledger,
            t.ledger_rows,
            pounds(t.ledger_credits),
            pounds(t.ledger_debits),
        ),
        file_row(
            SourceFile::Bank,
            t.bank_rows,
            pounds(t.money_in),
            pounds(t.money_out),
        ),
    ];
    // Only where a schedules file was read: an absent file is not an empty one.
    if report.read(&name(SourceFile::Schedules)) {
        files.push(file_row(
            SourceFile::Schedules,
            t.schedule_rows,
            pounds(t.schedule_amount),
            String::new(),
        ));
    }
    for (file, rows) in [
        (SourceFile::Rents, report.data.rents.len()),
        (SourceFile::Cases, report.data.cases.len()),
    ] {
        if report.read(&name(file)) {
            files.push(file_row(file, rows, String::new(), String::new()));
        }
    }
    let rejected: usize = t.reading.iter().map(|r| r.rows_rejected).sum();
    let rejected_money: Decimal = t.reading.iter().map(|r| r.rejected_money).sum();
    Section {
        legend: Vec::new(),
        title: "Control totals: input files".to_string(),
        headers: vec!["file", "rows read", "used", "set aside", "money in / credits", "money out / debits"],
        numeric: vec![1, 2, 3, 4, 5],
        rows: files,
        note: (rejected > 0).then(|| {
            format!(
                "{rejected} bad row{} set aside (money on them, where readable: {}); they are listed in the rejects file and not reconciled.",
                if rejected == 1 { "" } else { "s" },
                pounds(rejected_money)
            )
        }),
    }
}

fn findings_by_kind(report: &Report<'_>) -> Section {
    let t = &report.recon.totals;
    Section {
        legend: Vec::new(),
        title: "Findings by kind".to_string(),
        headers: vec![
            "kind",
            "count",
            "high",
            "medium",
            "low",
            "money",
            "net correction",
        ],
        numeric: vec![1, 2, 3, 4, 5, 6],
        rows: t
            .findings
            .iter()
            .map(|k| {
                vec![
                    k.kind.to_string(),
                    k.count.to_string(),
                    k.high.to_string(),
                    k.medium.to_string(),
                    k.low.to_string(),
                    pounds(k.money),
                    net_correction(k),
                ]
            })
            .collect(),
        note: t.findings.is_empty().then(|| "No findings.".to_string()),
    }
}

/// The kind's net correction; for money moved between accounts, the net
/// over both accounts with each side: what the account it belongs to is
/// corrected by, and what the account it was posted to is.
fn net_correction(k: &crate::recon::totals::KindTotal) -> String {
    if k.posted_to_corrections.is_zero() {
        pounds(k.corrections)
    } else {
        format!(
            "{} ({} / +{})",
            pounds(k.corrections + k.posted_to_corrections),
            pounds(k.corrections),
            pounds(k.posted_to_corrections)
        )
    }
}

fn accounts_by_status(report: &Report<'_>) -> Section {
    Section {
        legend: Vec::new(),
        title: "Accounts by status".to_string(),
        headers: vec!["status", "accounts", "posted balance", "corrected balance"],
        numeric: vec![1, 2, 3],
        rows: status_counts(report.recon)
            .into_iter()
            .map(|(s, n, p, c)| vec![s.to_string(), n.to_string(), pounds(p), pounds(c)])
            .collect(),
        note: None,
    }
}

fn findings(report: &Report<'_>) -> Section {
    let data = report.data;
    let account_ref = |a: Option<u32>| {
        a.map(|a| data.account(a).account_ref.to_string())
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = urgent_findings(report)
        .into_iter()
        .map(|f| {
            vec![
                f.severity.to_string(),
                f.kind.to_string(),
                account_ref(f.account),
                account_ref(f.posted_to),
                pounds(f.amount),
                f.detail.clone(),
                f.evidence
                    .iter()
                    .map(|&r| data.sources.cite(r))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    Section {
        legend: Vec::new(),
        title: "Findings, most urgent first".to_string(),
        headers: FINDING_HEADERS.to_vec(),
        numeric: vec![4],
        note: rows
            .is_empty()
            .then(|| nothing(report, "Nothing to put right.")),
        rows,
    }
}

/// Money matched in parts, where there is any: no correction, but an
/// officer reading the account sees why its credits differ from its receipts.
fn in_parts(report: &Report<'_>) -> Option<Section> {
    let data = report.data;
    let rows: Vec<Vec<String>> = (report.recon.matching.in_parts.iter())
        .map(|m| {
            let view = super::view::in_parts_view(data, m);
            vec![
                view.accounts.join(" "),
                pounds(m.amount),
                view.detail,
                view.evidence.join(" "),
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| Section {
        legend: Vec::new(),
        title: "Matched in parts (split or combined postings; nothing to correct)".to_string(),
        headers: vec!["account", "money", "detail", "evidence"],
        numeric: vec![1],
        rows,
        note: None,
    })
}

fn accounts_to_act(report: &Report<'_>) -> Section {
    let data = report.data;
    let to_act = accounts_to_act_on(report);
    Section {
        legend: Vec::new(),
        title: if report.focus.is_whole() {
            "Accounts to act on, most urgent first".to_string()
        } else {
            "Accounts to act on, most urgent first (every account the filter chose, clear ones too)"
                .to_string()
        },
        headers: vec![
            "account",
            "status",
            "posted",
            "corrected",
            "weeks",
            "trigger",
            "statutory",
            "late 12m",
            "detail",
        ],
        numeric: vec![2, 3, 4, 5, 6, 7],
        rows: to_act
            .iter()
            .map(|a| {
                vec![
                    data.account(a.account).account_ref.to_string(),
                    a.status.to_string(),
                    pounds(a.posted_balance),
                    pounds(a.corrected_balance),
                    plain(a.arrears_weeks),
                    pounds(a.trigger),
                    match (a.statutory.threshold, a.reaches_statutory) {
                        (Some(t), Some(true)) => format!("{} reached", pounds(t)),
                        (Some(t), _) => format!("{} not reached", pounds(t)),
                        (None, _) => "none".to_string(),
                    },
                    format!("{}/{}", a.late_periods, a.periods_12m),
                    a.detail.clone(),
                ]
            })
            .collect(),
        note: to_act
            .is_empty()
            .then(|| nothing(report, "No account needs action.")),
    }
}

/// What an empty list says: nothing in the run, or nothing the filter lets through.
fn nothing(report: &Report<'_>, in_the_run: &str) -> String {
    if report.focus.is_whole() {
        in_the_run.to_string()
    } else {
        "Nothing here matches the filter.".to_string()
    }
}
