//! `--format csv`: the findings table with the contract's column names, every
//! cell made safe to open in a spreadsheet.

use std::io::{self, Write};

use super::view::finding_view;
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
        for f in &report.recon.findings {
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
