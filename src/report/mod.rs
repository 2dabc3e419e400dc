//! Report writers, one module per format behind the [`Exporter`] trait (as
//! hyperfine's exporters), each writing to any `&mut dyn Write`.

pub mod check;
pub mod csv;
pub mod diff;
pub mod focus;
pub mod glossary;
pub mod html;
pub mod json;
pub mod markdown;
mod ordered;
pub mod rejects;
pub mod sections;
pub mod table;
pub mod tier;
pub mod view;

use std::io::{self, Write};

use crate::recon::{Dataset, Reconciliation};

/// One input file as read: what ties a report to its data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InputFile {
    /// The name evidence cites.
    pub file: String,
    pub bytes: u64,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
}

impl InputFile {
    /// `accounts.csv (1,234 bytes, SHA-256 0f1e...)`.
    pub fn describe(&self) -> String {
        let bytes = crate::recon::money::pounds(rust_decimal::Decimal::from(self.bytes));
        let bytes = bytes.trim_start_matches('£').trim_end_matches(".00");
        format!("{} ({bytes} bytes, SHA-256 {})", self.file, self.sha256)
    }
}

/// What a report is written from.
pub struct Report<'a> {
    pub data: &'a Dataset,
    pub recon: &'a Reconciliation,
    /// The input files read, with their sizes and hashes.
    pub inputs: Vec<InputFile>,
    /// The findings and accounts to list (`--account`, `--kind`, ...).
    pub focus: focus::Focus,
}

impl Report<'_> {
    /// Whether a file of this name was read (an absent schedules file is
    /// not an empty one).
    pub fn read(&self, name: &str) -> bool {
        self.inputs.iter().any(|i| i.file == name)
    }

    pub fn inputs_line(&self) -> String {
        self.inputs
            .iter()
            .map(InputFile::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Each warning as one line, for the top of a report.
    pub fn warning_lines(&self) -> Vec<String> {
        view::warning_views(self.data, self.recon)
            .iter()
            .map(view::WarningView::line)
            .collect()
    }

    pub fn tool(&self) -> String {
        format!("rent-audit {}", env!("CARGO_PKG_VERSION"))
    }

    pub fn settings_line(&self) -> String {
        let s = &self.recon.settings;
        let mut line = format!(
            "as at {}; trigger {}; warning band from {}% of it; postings later than {} days are late",
            self.recon.as_at,
            s.trigger,
            (s.warn_at * rust_decimal::Decimal::from(100)).normalize(),
            s.posting_days
        );
        let weeks = |w: &[chrono::NaiveDate]| {
            w.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.recon.rent_free_inferred.is_empty() {
            line.push_str(&format!(
                "; rent-free weeks {} (inferred: most weekly accounts have no charge in them; \
                 --rent-free-weeks sets them, none for none)",
                weeks(&self.recon.rent_free_inferred)
            ));
        } else if !s.rent_free_weeks.is_empty() {
            line.push_str(&format!("; rent-free weeks {}", weeks(&s.rent_free_weeks)));
        }
        if !self.recon.rent_changes_inferred.is_empty() {
            line.push_str(&format!(
                "; rent changes on {} (inferred: most accounts' charges changed then; rents.csv gives them)",
                weeks(&self.recon.rent_changes_inferred)
            ));
        }
        // Grouped by where they came from, each source once, in the order
        // the settings are listed.
        let mut sources: Vec<&str> = Vec::new();
        for (_, from) in &s.origins {
            if !sources.contains(from) {
                sources.push(from);
            }
        }
        for from in sources {
            let names: Vec<&str> = (s.origins.iter())
                .filter(|(_, f)| *f == from)
                .map(|(name, _)| *name)
                .collect();
            line.push_str(&format!("; from {from}: {}", names.join(", ")));
        }
        line
    }
}

/// One output format.
pub trait Exporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The reconciliation report's formats (the command line maps its own
/// choices onto these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    /// A self-contained evidence pack (charts, accounts to act on).
    Html,
    /// Every account's standing, one row each.
    AccountsCsv,
}

/// The exporter for `format`; `colour` for a terminal that wants it, and
/// tables laid out to `width` columns.
pub fn exporter(format: Format, colour: bool, width: u16) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter { width, colour }),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
        Format::Html => Box::new(html::HtmlExporter),
        Format::AccountsCsv => Box::new(csv::AccountsCsvExporter),
    }
}
