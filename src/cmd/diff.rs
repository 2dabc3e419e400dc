//! `rent-audit diff LAST.json THIS.json`: what is new, resolved and still
//! open since last month's run. Reads the two reports, compares them
//! (`report::diff`, no I/O), writes the comparison, and turns the new
//! findings into an exit code.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{DiffArgs, FailOn};
use crate::output;
use crate::recon::Severity;
use crate::report::diff::{self, Diff, Report};

/// Exit code 1 when a finding new this month is at or above `fail_on`:
/// one still open was already counted last month.
pub fn exit_code(diff: &Diff, fail_on: FailOn) -> u8 {
    let bar = match fail_on {
        FailOn::Never => return 0,
        FailOn::High => Severity::High,
        FailOn::Medium => Severity::Medium,
        FailOn::Low => Severity::Low,
    };
    u8::from(diff.new.iter().any(|c| c.finding.severity <= bar))
}

/// Reads one report; a file that cannot be read, or is not a report, is an
/// error naming it.
fn read(path: &Path) -> Result<Report> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(diff::parse(&path.display().to_string(), &bytes)?)
}

pub fn run(args: &DiffArgs) -> Result<u8> {
    // Refused before anything is read: the comparison must never replace
    // the reports it compares.
    if let Some(out) = args.output.as_deref() {
        output::refuse_overlaps(
            &[("--output", out)],
            &[("LAST.json", &args.last), ("THIS.json", &args.this)],
        )?;
    }
    super::usage(args.format != crate::cli::Format::AccountsCsv, || {
        "diff writes table, csv (findings and status changes), json, markdown or html".to_string()
    })?;
    let last = read(&args.last)?;
    let this = read(&args.this)?;
    let diff = diff::compare(&last, &this);
    // The warnings head every format but CSV, and a file may not be opened
    // at once: said on stderr too, as reconcile says its own.
    let to_file = args.output.is_some() || args.format == crate::cli::Format::Csv;
    if to_file && !crate::term::quiet() {
        for w in &diff.warnings {
            let _ = writeln!(
                std::io::stderr(),
                "rent-audit: {}",
                crate::escape::terminal(w)
            );
        }
    }
    let colour = args.output.is_none() && crate::term::colour_stdout();
    output::write_to(args.output.as_deref(), |out| {
        diff::write(&diff, args.format.into(), colour, out)
    })?;
    Ok(exit_code(&diff, args.fail_on))
}
