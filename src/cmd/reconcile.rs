//! `rent-audit reconcile`: reads the inputs, reconciles every account, writes
//! the report, and turns the findings into an exit code.

use std::io::Write;

use anyhow::Result;

use crate::cli::{FailOn, InputArgs, ReconcileArgs};
use crate::input::{self, InputPaths, Mode, Profile, Reject};
use crate::output;
use crate::recon::{self, Reconciliation, Settings, Severity};
use crate::report::{self, Report};

/// The profiles the arguments name, merged; `None` if none.
pub fn profile(args: &InputArgs) -> Result<Option<Profile>> {
    let mut merged: Option<Profile> = None;
    for path in &args.profile {
        let p = Profile::load(path)?;
        merged = Some(match merged {
            None => p,
            Some(m) => m.overlaid_with(p),
        });
    }
    Ok(merged)
}

/// The input paths the arguments name: DIR's files unless named one by one.
pub fn input_paths(args: &InputArgs, profile: Option<&Profile>) -> Result<InputPaths> {
    let base = match &args.dir {
        Some(dir) => InputPaths::in_dir(dir, profile),
        None => {
            anyhow::ensure!(
                args.accounts.is_some() && args.ledger.is_some() && args.bank.is_some(),
                "name a folder of input files, or each of --accounts, --ledger and --bank"
            );
            InputPaths::in_dir(std::path::Path::new("."), profile)
        }
    };
    Ok(InputPaths {
        accounts: args.accounts.clone().unwrap_or(base.accounts),
        ledger: args.ledger.clone().unwrap_or(base.ledger),
        bank: args.bank.clone().unwrap_or(base.bank),
        schedules: args.schedules.clone().or(if args.dir.is_some() {
            base.schedules
        } else {
            None
        }),
    })
}

/// Writes the rows lenient mode set aside, and says where on stderr.
pub fn write_rejects(
    args: &InputArgs,
    output: Option<&std::path::Path>,
    rejects: &[Reject],
) -> Result<()> {
    if !args.lenient || rejects.is_empty() {
        return Ok(());
    }
    let path = args.rejects.clone().unwrap_or_else(|| match output {
        Some(out) => out.with_file_name("rejects.csv"),
        None => "rent-audit-rejects.csv".into(),
    });
    output::write_to(Some(&path), |out| {
        crate::report::rejects::write(rejects, out)
    })?;
    let _ = writeln!(
        std::io::stderr(),
        "rent-audit: {} bad row{} set aside in {}",
        rejects.len(),
        if rejects.len() == 1 { "" } else { "s" },
        path.display()
    );
    Ok(())
}

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
    let profile = profile(&args.input)?;
    let paths = input_paths(&args.input, profile.as_ref())?;
    let settings = Settings {
        as_at: args.as_at,
        trigger: args.trigger,
        warn_at: args.warn_at,
        posting_days: i64::from(args.posting_days),
        match_days: i64::from(args.match_days),
        rent_free_weeks: args.rent_free_weeks.clone(),
        check_charges: !args.skip_charges,
        ..Settings::default()
    };
    let mode = if args.input.lenient {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let (loaded, recon) = crate::cmd::with_threads(args.threads, || -> Result<_> {
        let loaded = input::load_with(&paths, profile.as_ref(), mode)?;
        let recon = recon::reconcile(&loaded.data, settings.clone());
        Ok((loaded, recon))
    })??;
    write_rejects(&args.input, args.output.as_deref(), &loaded.rejects)?;
    let data = loaded.data;
    let report = Report {
        data: &data,
        recon: &recon,
        inputs: data
            .sources
            .0
            .iter()
            .take(if paths.schedules.is_some() { 4 } else { 3 })
            .cloned()
            .collect(),
    };
    let exporter = report::exporter(args.format);
    output::write_to(args.output.as_deref(), |out| exporter.write(&report, out))?;
    Ok(exit_code(&recon, args.fail_on))
}
