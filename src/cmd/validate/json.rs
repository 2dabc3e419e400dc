//! `validate --format json`: what the text report says, as one JSON object
//! of stable shape for a program to read (docs/validate.md). Lists are in
//! the order the text report gives them.

use anyhow::Result;
use serde::Serialize;

use crate::input::profile::section_name;
use crate::input::Loaded;
use crate::recon::model::SourceFile;

/// The shape's version: a field renamed or removed makes a new one.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    /// `true` where `validate` exits 0: no row set aside, no problem.
    ok: bool,
    /// The profile's `name` (several joined with ` + `), or null.
    profile: Option<&'a str>,
    files: Vec<File>,
    rejects: Vec<Reject<'a>>,
    unknown_columns: Vec<Unknown<'a>>,
    warnings: Vec<Warning<'a>>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct File {
    /// The contract's name for it: accounts, ledger, bank, schedules, rents, cases.
    input: &'static str,
    file: String,
    rows_read: usize,
    rows_used: usize,
    rows_set_aside: usize,
}

/// One problem with one row: a row with three problems is three of these.
#[derive(Serialize)]
struct Reject<'a> {
    file: &'a str,
    line: u64,
    /// 1-based, or null for a problem with the whole row.
    column: Option<usize>,
    column_name: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct Unknown<'a> {
    file: &'a str,
    columns: &'a [String],
}

#[derive(Serialize)]
struct Warning<'a> {
    kind: &'static str,
    message: &'a str,
    /// `file:line` of the rows that show it (the first few).
    evidence: Vec<String>,
}

/// The report as JSON text, ending in a line break.
pub(super) fn report(loaded: &Loaded, profile: Option<&str>) -> Result<String> {
    let data = &loaded.data;
    let files = (SourceFile::ALL.iter())
        // The optional files only where they were given, as in the text.
        .filter(|f| {
            data.reading[f.index()].rows_read > 0
                || matches!(
                    f,
                    SourceFile::Accounts | SourceFile::Ledger | SourceFile::Bank
                )
        })
        .map(|&f| {
            let r = &data.reading[f.index()];
            File {
                input: section_name(f),
                file: data.sources.name(f).to_string(),
                rows_read: r.rows_read,
                rows_used: r.rows_read - r.rows_rejected,
                rows_set_aside: r.rows_rejected,
            }
        })
        .collect();
    let rejects = (loaded.rejects.iter())
        .flat_map(|r| {
            r.row.reasons.iter().map(|(column, message)| Reject {
                file: &r.file,
                line: r.line,
                column: column.as_ref().map(|(n, _)| *n),
                column_name: column.as_ref().map(|(_, name)| name.as_str()),
                message,
            })
        })
        .collect();
    let unknown_columns = (loaded.unknown_columns.iter())
        .map(|(file, columns)| Unknown { file, columns })
        .collect();
    let warnings = (data.warnings.iter())
        .map(|w| Warning {
            kind: w.kind.as_str(),
            message: &w.message,
            evidence: w.evidence.iter().map(|&r| data.sources.cite(r)).collect(),
        })
        .collect();
    let report = Report {
        version: VERSION,
        ok: loaded.rejects.is_empty() && data.warnings.is_empty(),
        profile,
        files,
        rejects,
        unknown_columns,
        warnings,
        notes: super::notes(data),
    };
    let mut text = serde_json::to_string_pretty(&report)?;
    text.push('\n');
    Ok(text)
}
