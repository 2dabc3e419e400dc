//! Report writers, one file per format behind the [`Exporter`] trait (as
//! hyperfine's exporters), each writing to any `&mut dyn Write`.

pub mod check;
pub mod csv;
pub mod json;
pub mod markdown;
pub mod rejects;
pub mod sections;
pub mod table;
pub mod view;

use std::io::{self, Write};

use crate::recon::{Dataset, Reconciliation};

/// What a report is written from.
pub struct Report<'a> {
    pub data: &'a Dataset,
    pub recon: &'a Reconciliation,
    /// Names of the input files, as cited in evidence.
    pub inputs: Vec<String>,
}

impl Report<'_> {
    pub fn tool(&self) -> String {
        format!("rent-audit {}", env!("CARGO_PKG_VERSION"))
    }

    pub fn settings_line(&self) -> String {
        let s = &self.recon.settings;
        format!(
            "as at {}; trigger {}; warning band from {}% of it; postings later than {} days are late",
            self.recon.as_at,
            s.trigger,
            (s.warn_at * rust_decimal::Decimal::from(100)).normalize(),
            s.posting_days
        )
    }
}

/// One output format.
pub trait Exporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
}

pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter { width: 160 }),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
    }
}
