//! `rent-audit reconcile`: reads the inputs, reconciles every account, writes
//! the report, and turns the findings it lists into an exit code.

use anyhow::Result;

use super::Reconciled;
use crate::cli::{FailOn, FocusArgs, Format, ReconcileArgs};
use crate::output;
use crate::recon::{Dataset, Finding, Severity};
use crate::report::focus::{Filter, Focus};
use crate::report::{self, Report};

/// Exit code 1 when a finding is at or above the chosen severity.
pub fn exit_code<'f>(findings: impl IntoIterator<Item = &'f Finding>, fail_on: FailOn) -> u8 {
    let worst = findings.into_iter().map(|f| f.severity).min();
    let fails = match (fail_on, worst) {
        (FailOn::Never, _) | (_, None) => false,
        (FailOn::High, Some(w)) => w <= Severity::High,
        (FailOn::Medium, Some(w)) => w <= Severity::Medium,
        (FailOn::Low, Some(_)) => true,
    };
    u8::from(fails)
}

/// How the report is written: the command line, else the data folder's
/// `[report]` defaults, else the built-in ones.
struct Output {
    format: Format,
    fail_on: FailOn,
    width: Option<u16>,
}

fn output_choices(args: &ReconcileArgs) -> Result<Output> {
    let file = super::landlord_settings(args.input.dir.as_deref(), &args.input.files)?;
    let defaults = file.map(|f| f.report).unwrap_or_default();
    // As the command line spells them: `accounts_csv` reads as `accounts-csv`.
    let word = |v: &Option<String>| {
        v.as_deref()
            .map(|v| v.trim().to_ascii_lowercase().replace('_', "-"))
    };
    let format = match (args.format, word(&defaults.format)) {
        (Some(f), _) => f,
        (None, Some(w)) => parse_word::<Format>(&w, "format")?,
        (None, None) => Format::Table,
    };
    let fail_on = match (args.fail_on, word(&defaults.fail_on)) {
        (Some(f), _) => f,
        (None, Some(w)) => parse_word::<FailOn>(&w, "fail_on")?,
        (None, None) => FailOn::High,
    };
    if let Some(w) = defaults.width.filter(|&w| w < 40) {
        anyhow::bail!(
            "{}: [report] width: at least 40 columns, found {w}",
            crate::input::settings::FILE_NAME
        );
    }
    Ok(Output {
        format,
        fail_on,
        width: args.width.or(defaults.width),
    })
}

/// A `[report]` value in the command line's words.
fn parse_word<T: clap::ValueEnum>(word: &str, key: &str) -> Result<T> {
    T::from_str(word, true).map_err(|_| {
        let expected: Vec<String> = (T::value_variants().iter())
            .filter_map(|v| v.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        anyhow::anyhow!(
            "{}: [report] {key}: expected one of {}, found {word:?}",
            crate::input::settings::FILE_NAME,
            expected.join(", ")
        )
    })
}

pub fn run(args: &ReconcileArgs) -> Result<u8> {
    let choices = output_choices(args)?;
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
    let focus = Focus::new(filter(&args.focus, &data)?, &recon, data.accounts.len());
    let report = Report {
        data: &data,
        recon: &recon,
        inputs,
        focus,
    };
    super::warn_on_stderr(
        &data,
        &recon,
        args.output.is_some()
            || matches!(
                choices.format,
                crate::cli::Format::Csv | crate::cli::Format::AccountsCsv
            ),
    );
    // A CSV has no line to say it lists part of the run: stderr says it.
    if let Some(note) = report.focus.note(&recon) {
        if matches!(choices.format, Format::Csv | Format::AccountsCsv) && !crate::term::quiet() {
            eprintln!("rent-audit: {note}");
        }
    }
    let colour = args.output.is_none() && crate::term::colour_stdout();
    let width = crate::term::table_width(choices.width, args.output.is_none());
    let exporter = report::exporter(choices.format.into(), colour, width);
    crate::term::timed("write", || {
        output::write_to(args.output.as_deref(), |out| exporter.write(&report, out))
    })?;
    Ok(exit_code(report.focus.findings(&recon), choices.fail_on))
}

/// The command line's filters, account refs matched as `check` matches them.
fn filter(args: &FocusArgs, data: &Dataset) -> Result<Filter> {
    let by_ref = super::refs::index(data);
    let mut refs = super::refs::known_refs(args.account.clone(), &by_ref, data)?;
    once_each(&mut refs);
    let (mut kinds, mut statuses) = (args.kind.clone(), args.status.clone());
    once_each(&mut kinds);
    once_each(&mut statuses);
    let mut said: Vec<String> = refs.iter().map(|r| format!("--account {r}")).collect();
    said.extend(kinds.iter().map(|k| format!("--kind {k}")));
    said.extend(
        args.min_severity
            .map(|s| format!("--min-severity {}", Severity::from(s))),
    );
    said.extend(statuses.iter().map(|s| format!("--status {s}")));
    Ok(Filter {
        accounts: refs
            .iter()
            .filter_map(|r| by_ref.get(r.as_str()).copied())
            .collect(),
        kinds,
        min_severity: args.min_severity.map(Severity::from),
        statuses,
        said,
    })
}

/// Keeps the first of each value, in the order given (`--account RA1002
/// --account ra1002` is one account).
fn once_each<T: PartialEq + Clone>(values: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::with_capacity(values.len());
    values.retain(|v| {
        let first = !seen.contains(v);
        if first {
            seen.push(v.clone());
        }
        first
    });
}
