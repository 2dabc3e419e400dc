//! `--format csv`: the findings table with the contract's column names;
//! `--format accounts-csv`: every account's standing. Every cell is made
//! safe to open in a spreadsheet.

use std::io::{self, Write};

use super::view::{account_view, finding_view};
use super::{Exporter, Report};
use crate::escape;

pub struct CsvExporter;

pub const COLUMNS: [&str; 10] = [
    "kind",
    "severity",
    "account_ref",
    "posted_to",
    "bank_id",
    "txn_ids",
    "amount",
    "evidence",
    "detail",
    "suggestions",
];

impl Exporter for CsvExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS)?;
        for f in report.focus.findings(report.recon) {
            let v = finding_view(report.data, f);
            let suggestions: Vec<String> = v
                .suggestions
                .iter()
                .map(|s| format!("{} ({})", s.account_ref, s.reason))
                .collect();
            let cells = [
                v.kind.to_string(),
                v.severity.to_string(),
                v.account_ref,
                v.posted_to,
                v.bank_id,
                v.txn_ids.join(";"),
                v.amount,
                v.evidence.join(";"),
                v.detail,
                suggestions.join("; "),
            ];
            w.write_record(cells.iter().map(|c| escape::spreadsheet(c).into_owned()))?;
        }
        w.flush()
    }
}

pub struct AccountsCsvExporter;

/// The accounts CSV's columns: the JSON report's account fields, flat.
pub const ACCOUNT_COLUMNS: [&str; 21] = [
    "account_ref",
    "tenant_name",
    "status",
    "posted_balance",
    "corrected_balance",
    "rent_arrears",
    "sundry_debt",
    "arrears_weeks",
    "weekly_rent",
    "trigger",
    "statutory_threshold",
    "statutory_arrears",
    "reaches_statutory",
    "technical_arrears",
    "next_benefit_expected",
    "late_periods_12m",
    "periods_12m",
    "holds",
    "reasons",
    "findings",
    "detail",
];

impl Exporter for AccountsCsvExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(ACCOUNT_COLUMNS)?;
        let text = |v: Option<String>| v.unwrap_or_default();
        for a in report.focus.assessments(report.recon) {
            let v = account_view(report.data, a);
            let cells = [
                v.account_ref.to_string(),
                v.tenant_name.to_string(),
                v.status.to_string(),
                v.posted_balance.to_string(),
                v.corrected_balance.to_string(),
                v.rent_arrears.to_string(),
                v.sundry_debt.to_string(),
                v.arrears_weeks.to_string(),
                v.weekly_rent.to_string(),
                v.trigger.to_string(),
                text(v.statutory_threshold.map(|t| t.to_string())),
                v.statutory_arrears.to_string(),
                text(v.reaches_statutory.map(|r| r.to_string())),
                v.technical_arrears.to_string(),
                text(v.next_benefit_expected.map(|d| d.0.to_string())),
                v.late_periods_12m.to_string(),
                v.periods_12m.to_string(),
                v.holds.join(";"),
                v.reasons.join(";"),
                v.findings.to_string(),
                v.detail.to_string(),
            ];
            w.write_record(cells.iter().map(|c| escape::spreadsheet(c).into_owned()))?;
        }
        w.flush()
    }
}
