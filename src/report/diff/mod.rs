//! Month on month: two JSON reports compared, finding by finding and
//! account by account (`rent-audit diff LAST.json THIS.json`): [`parse`]
//! reads reports back, [`compare`] pairs them (no I/O), the writers print.

mod compare;
mod csv;
mod json;
mod parse;
mod sections;
mod text;

use std::io::{self, Write};

pub use compare::{
    compare, Change, Diff, FindingChange, FindingKey, KindCount, Side, StatusChange, Suspense,
};
pub use parse::{
    parse, Account, Finding, Input, KindRow, OutcomeRow, Problem, Report, ReportError, Run, Totals,
};

use super::Format;

/// Writes `diff` in `format`; `colour` for a terminal that wants it (the
/// table only).
pub fn write(diff: &Diff, format: Format, colour: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => text::table(diff, colour, out),
        Format::Markdown => text::markdown(diff, out),
        Format::Html => text::html(diff, out),
        // The comparison's CSV holds the accounts whose status changed too.
        Format::Csv | Format::AccountsCsv => csv::write(diff, out),
        Format::Json => json::write(diff, out),
    }
}

#[cfg(test)]
mod tests;
