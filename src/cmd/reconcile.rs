//! `rent-audit reconcile`: reads the inputs, reconciles every account, writes
//! the report, and turns the findings into an exit code.

use anyhow::Result;

use super::Reconciled;
use crate::cli::{FailOn, ReconcileArgs};
use crate::output;
use crate::recon::{Reconciliation, Severity};
use crate::report::{self, Report};

/// Exit code 1 when a finding is at or above the chosen severity.
pub fn exit_code(recon: &Reconciliation, fail_on: FailOn) -> u8 {
    let worst = recon.findings.iter().map(|f| f.severity).min();
    let fails = match (fail_on, worst) {
        (FailOn::Never, _) | (_, None) => false,
        (FailOn::High, Some(w)) => w <= Severity::High,
        (FailOn::Medium, Some(w)) => w <= Severity::Medium,
        (FailOn::Low, Some(_)) => true,
    };
    u8::from(fails)
}

pub fn run(args: &ReconcileArgs) -> Result<u8> {
    let Reconciled {
        data,
        recon,
        inputs,
    } = super::load_and_reconcile(
        args.input.dir.as_deref(),
        &args.input.files,
        &args.rules,
        args.output.as_deref(),
    )?;
    let report = Report {
        data: &data,
        recon: &recon,
        inputs,
    };
    super::warn_on_stderr(
        &data,
        &recon,
        args.output.is_some() || args.format == crate::cli::Format::Csv,
    );
    let colour = args.output.is_none() && crate::term::colour_stdout();
    let exporter = report::exporter(args.format.into(), colour);
    crate::term::timed("write", || {
        output::write_to(args.output.as_deref(), |out| exporter.write(&report, out))
    })?;
    Ok(exit_code(&recon, args.fail_on))
}
