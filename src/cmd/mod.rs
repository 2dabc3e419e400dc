//! One file per subcommand, each wiring input -> core -> report (xsv's
//! layout); the steps they share (finding and reading the inputs, setting bad
//! rows aside, reconciling on a pool of threads) are here.

pub mod check;
pub mod diff;
pub mod explain;
#[cfg(feature = "generate")]
pub mod generate;
pub mod profile;
pub mod reconcile;
mod refs;
pub mod validate;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, InputFiles, RuleArgs};
use crate::input::digest::FileDigest;
use crate::input::settings::LandlordSettings;
use crate::input::{self, InputPaths, Mode, Profile, Reject};
use crate::output;
use crate::recon::model::SourceFile;
use crate::recon::{self, Dataset, Reconciliation};
use crate::report::InputFile;
use crate::term::timed;

/// A command line that asks for something the tool cannot do, as told by
/// [`USAGE_EXIT`] rather than by 2, which says the input could not be read.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit code of a usage error (sysexits' EX_USAGE).
pub const USAGE_EXIT: u8 = 64;

/// Fails with a [`UsageError`] unless `ok`.
pub fn usage(ok: bool, message: impl FnOnce() -> String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(UsageError(message()).into())
    }
}

/// Runs the command; returns the process exit code (0 or 1; errors are 2,
/// usage errors [`USAGE_EXIT`]).
pub fn run(cli: Cli) -> Result<u8> {
    crate::term::set_quiet(cli.quiet);
    crate::term::set_colour(cli.color);
    match cli.command {
        // The whole command runs on the pool, so `--threads 1` means one
        // thread for reading, reconciling and writing alike.
        Command::Reconcile(mut args) => {
            standard_output(&mut args.output);
            with_threads(args.rules.threads, || reconcile::run(&args))?
        }
        Command::Validate(args) => validate::run(&args),
        Command::Check(mut args) => {
            standard_output(&mut args.output);
            with_threads(args.rules.threads, || check::run(&args))?
        }
        #[cfg(feature = "generate")]
        Command::Generate(args) => generate::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(mut args) => {
            standard_output(&mut args.output);
            diff::run(&args)
        }
        Command::Profile { action } => profile::run(&action),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            output::write_to(None, |out| {
                clap_complete::generate(shell, &mut cmd, "rent-audit", out);
                Ok(())
            })?;
            Ok(0)
        }
        Command::Man { dir } => manual(dir.as_deref()),
    }
}

/// `-o -` is standard output, as `-` is for most tools, not a file named `-`.
fn standard_output(output: &mut Option<std::path::PathBuf>) {
    if output.as_deref().is_some_and(|p| p.as_os_str() == "-") {
        *output = None;
    }
}

/// The manual: one page per subcommand into `dir`, else one page on
/// standard output with each subcommand's synopsis, description and
/// options as its own section.
fn manual(dir: Option<&Path>) -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
        return Ok(0);
    }
    output::write_to(None, |out| {
        clap_mangen::Man::new(cmd.clone()).render(out)?;
        subcommand_pages(&cmd, out)
    })?;
    Ok(0)
}

/// Each subcommand (and theirs) as a section: `.SH` headings demoted to `.SS`.
fn subcommand_pages(cmd: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = clap_mangen::Man::new(sub.clone());
        let mut roff = Vec::new();
        page.render_synopsis_section(&mut roff)?;
        page.render_description_section(&mut roff)?;
        page.render_options_section(&mut roff)?;
        let name = sub.get_display_name().unwrap_or(sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        for line in String::from_utf8_lossy(&roff).lines() {
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(out, ".SS {heading}")?,
                None => writeln!(out, "{line}")?,
            }
        }
        subcommand_pages(sub, out)?;
    }
    Ok(())
}

/// Runs `f` on a pool of `threads` workers (default: one per core).
/// The most threads `--threads` may ask for, per core.
const MAX_THREADS_PER_CORE: usize = 8;

pub fn with_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        usage(n > 0, || "--threads must be at least 1".to_string())?;
        // Threads past a few per core only cost time (thousands take
        // seconds to start): a sane multiple of the cores is the most asked for.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        usage(n <= MAX_THREADS_PER_CORE * cores, || {
            format!(
                "--threads {n} is more than {} ({MAX_THREADS_PER_CORE} for each of the {cores} cores): use at most that",
                MAX_THREADS_PER_CORE * cores
            )
        })?;
        builder = builder.num_threads(n);
    }
    Ok(builder.build()?.install(f))
}

/// Each rule from the command line, else the data folder's rent-audit.toml,
/// else its default; `origins` names where each one not at its default
/// came from.
pub fn settings(rules: &RuleArgs, file: Option<&LandlordSettings>) -> crate::recon::Settings {
    use crate::recon::Settings;
    let none = LandlordSettings::default();
    let file = file.unwrap_or(&none);
    let defaults = Settings::default();
    let mut from = Origins::default();
    let cli_weeks = (!rules.rent_free_weeks.is_empty())
        .then(|| rules.rent_free_weeks.iter().filter_map(|w| w.0).collect());
    let weeks = from.pick("rent_free_weeks", cli_weeks, file.rent_free_weeks.clone());
    let trigger = from.pick("trigger", rules.trigger, file.trigger);
    let warn_at = from.pick("warn_at", rules.warn_at, file.warn_at);
    let posting_days = from.pick("posting_days", rules.posting_days, file.posting_days);
    let match_days = from.pick("match_days", rules.match_days, file.match_days);
    let hb_first = from.pick(
        "hb_first_run_days",
        rules.hb_first_run_days,
        file.hb_first_run_days,
    );
    let uc_first = from.pick(
        "uc_first_run_days",
        rules.uc_first_run_days,
        file.uc_first_run_days,
    );
    let allocation = from.pick("allocate", rules.allocate.map(Into::into), file.allocate);
    let rebates = from.pick(
        "hb_rent_rebates",
        rules.hb_rent_rebates.then_some(true),
        file.hb_rent_rebates,
    );
    Settings {
        as_at: rules.as_at,
        trigger: trigger.unwrap_or(defaults.trigger),
        warn_at: warn_at.unwrap_or(defaults.warn_at),
        posting_days: posting_days.map_or(defaults.posting_days, i64::from),
        match_days: match_days.map_or(defaults.match_days, i64::from),
        infer_rent_free: weeks.is_none(),
        rent_free_weeks: weeks.unwrap_or_default(),
        check_charges: !rules.skip_charges,
        today: Some(rules.today.unwrap_or_else(crate::cli::system_today)),
        first_run_days: (
            hb_first.map_or(defaults.first_run_days.0, i64::from),
            uc_first.map_or(defaults.first_run_days.1, i64::from),
        ),
        allocation: allocation.unwrap_or(defaults.allocation),
        hb_rent_rebates: rebates.unwrap_or(defaults.hb_rent_rebates),
        serve_on: rules.serve_on,
        origins: from.0,
        ..defaults
    }
}

/// Where each rule not at its default came from, in the order picked.
#[derive(Default)]
struct Origins(Vec<(&'static str, &'static str)>);

impl Origins {
    /// The command line's value, else the file's, noting which gave it.
    fn pick<T>(&mut self, name: &'static str, cli: Option<T>, file: Option<T>) -> Option<T> {
        match (cli, file) {
            (Some(v), _) => {
                self.0.push((name, "the command line"));
                Some(v)
            }
            (None, Some(v)) => {
                self.0.push((name, crate::input::settings::FILE_NAME));
                Some(v)
            }
            (None, None) => None,
        }
    }
}

/// The data folder's rent-audit.toml, if any: the folder named, else the
/// accounts file's.
pub fn landlord_settings(
    dir: Option<&Path>,
    files: &InputFiles,
) -> Result<Option<LandlordSettings>> {
    let folder = dir
        .map(Path::to_path_buf)
        .or_else(|| {
            files
                .accounts
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
        })
        .unwrap_or_default();
    let folder = if folder.as_os_str().is_empty() {
        std::path::PathBuf::from(".")
    } else {
        folder
    };
    Ok(LandlordSettings::in_dir(&folder)?)
}

/// The profiles to read through: those the command line names, else those
/// rent-audit.toml names.
pub fn profile_of(
    files: &InputFiles,
    settings: Option<&LandlordSettings>,
) -> Result<Option<Profile>> {
    match settings {
        Some(s) if files.profile.is_empty() => profile(&s.profiles),
        _ => profile(&files.profile),
    }
}

/// The profiles the arguments name, merged; `None` if none.
pub fn profile(paths: &[std::path::PathBuf]) -> Result<Option<Profile>> {
    let mut merged: Option<Profile> = None;
    for path in paths {
        let p = Profile::load(path)?;
        merged = Some(match merged {
            None => p,
            Some(m) => m.overlaid_with(p),
        });
    }
    Ok(merged)
}

/// The input paths: `dir`'s files unless named one by one.
pub fn input_paths(
    dir: Option<&Path>,
    files: &InputFiles,
    profile: Option<&Profile>,
) -> Result<InputPaths> {
    let base = match dir {
        Some(dir) => InputPaths::in_dir(dir, profile),
        None => {
            usage(
                files.accounts.is_some() && files.ledger.is_some() && files.bank.is_some(),
                || {
                    "name a folder of input files, or each of --accounts, --ledger and --bank"
                        .to_string()
                },
            )?;
            InputPaths::in_dir(Path::new("."), profile)
        }
    };
    let paths = InputPaths {
        accounts: files.accounts.clone().unwrap_or(base.accounts),
        ledger: files.ledger.clone().unwrap_or(base.ledger),
        bank: files.bank.clone().unwrap_or(base.bank),
        schedules: files
            .schedules
            .clone()
            .or(if dir.is_some() { base.schedules } else { None }),
        rents: files
            .rents
            .clone()
            .or(if dir.is_some() { base.rents } else { None }),
        cases: files
            .cases
            .clone()
            .or(if dir.is_some() { base.cases } else { None }),
        ignore_columns: files.ignore_column.clone(),
        max_record_bytes: files.max_record_bytes,
        returns: if files.returns.is_empty() && dir.is_some() {
            base.returns
        } else {
            files.returns.clone()
        },
    };
    refuse_special_files(&paths)?;
    Ok(paths)
}

/// Inputs are read more than once (in parallel blocks, hashed): a pipe or
/// a device cannot be, and one that never ends (a FIFO no one writes to,
/// /dev/zero) would hang the run or fill memory. They are refused.
fn refuse_special_files(paths: &InputPaths) -> Result<()> {
    for file in SourceFile::ALL {
        let Some(p) = paths.path(file).filter(|p| !input::statement::is_stdin(p)) else {
            continue;
        };
        if let Ok(m) = std::fs::metadata(p) {
            anyhow::ensure!(
                m.is_file(),
                "{} is not a regular file (a pipe, a device or a folder): save the {} to a file and name that",
                p.display(),
                file.default_name()
            );
        }
    }
    Ok(())
}

/// Where lenient mode writes the rows it sets aside.
fn rejects_path(files: &InputFiles, output: Option<&Path>) -> std::path::PathBuf {
    files.rejects.clone().unwrap_or_else(|| match output {
        Some(out) => out.with_file_name("rejects.csv"),
        None => "rent-audit-rejects.csv".into(),
    })
}

/// Refuses, before anything is read, a report or rejects file that would
/// overwrite an input (or a profile), or each other.
pub fn refuse_overwriting_inputs(
    paths: &InputPaths,
    files: &InputFiles,
    output: Option<&Path>,
) -> Result<()> {
    let rejects = files.lenient.then(|| rejects_path(files, output));
    let outputs: Vec<(&str, &Path)> = (output.map(|o| ("--output", o)).into_iter())
        .chain(rejects.as_deref().map(|r| ("the rejects file", r)))
        .collect();
    let mut inputs: Vec<(&str, &Path)> = SourceFile::ALL
        .iter()
        .filter_map(|&f| paths.path(f).map(|p| (f.default_name(), p)))
        .chain(
            paths
                .returns
                .iter()
                .map(|p| ("an ARUDD report", p.as_path())),
        )
        .filter(|(_, p)| !input::statement::is_stdin(p))
        .collect();
    inputs.extend(files.profile.iter().map(|p| ("a profile", p.as_path())));
    Ok(output::refuse_overlaps(&outputs, &inputs)?)
}

/// Writes the rows lenient mode set aside, and says where on stderr.
pub fn write_rejects(files: &InputFiles, output: Option<&Path>, rejects: &[Reject]) -> Result<()> {
    if !files.lenient || rejects.is_empty() {
        return Ok(());
    }
    let path = rejects_path(files, output);
    output::write_to(Some(&path), |out| {
        crate::report::rejects::write(rejects, out)
    })?;
    if crate::term::quiet() {
        return Ok(());
    }
    let _ = writeln!(
        std::io::stderr(),
        "rent-audit: {} bad row{} set aside in {}",
        rejects.len(),
        if rejects.len() == 1 { "" } else { "s" },
        path.display()
    );
    Ok(())
}

/// Each input file's name, size and SHA-256, so a report can be tied to the
/// data it came from.
pub fn fingerprint(
    paths: &InputPaths,
    data: &Dataset,
    digests: &[Option<FileDigest>; crate::recon::model::FILES],
) -> Result<Vec<InputFile>> {
    SourceFile::ALL
        .iter()
        .filter_map(|&f| paths.path(f).map(|p| (f, p)))
        .map(|(f, path)| {
            let digest = match &digests[f.index()] {
                Some(read) => read.clone(),
                None => input::digest::of_file(path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
            };
            Ok(InputFile {
                file: data.sources.name(f).to_string(),
                bytes: digest.bytes,
                sha256: digest.sha256,
            })
        })
        .collect()
}

/// A finished reconciliation with what it was made from.
pub struct Reconciled {
    pub data: Dataset,
    pub recon: Reconciliation,
    /// The files read, with their sizes and hashes.
    pub inputs: Vec<InputFile>,
}

/// The run's warnings on stderr, for a report that cannot carry them at its
/// top (CSV) or that goes to a file the user may not open straight away.
pub fn warn_on_stderr(
    data: &crate::recon::Dataset,
    recon: &crate::recon::Reconciliation,
    wanted: bool,
) {
    if !wanted || crate::term::quiet() {
        return;
    }
    for w in crate::report::view::warning_views(data, recon) {
        eprintln!("rent-audit: {}", crate::escape::terminal(&w.line()));
    }
}

/// A progress bar over every input's bytes, where one is wanted.
fn progress_bar(paths: &InputPaths) -> Option<indicatif::ProgressBar> {
    let total: u64 = SourceFile::ALL
        .iter()
        .filter_map(|&f| paths.path(f))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    crate::term::progress(total)
}

/// Reconciles the data and fingerprints its files.
///
/// Files were hashed as they were read; one not read to its end (where
/// the reading stopped early) is hashed here. That is I/O and one core's
/// work: with more than one thread it is done on a thread of its own
/// beside the reconciliation, so that it fills the cores the
/// reconciliation's serial steps leave idle rather than holding one of the
/// pool's workers throughout. With one thread, one thread does everything.
fn reconcile_and_fingerprint(
    paths: &InputPaths,
    loaded: &input::Loaded,
    settings: recon::Settings,
) -> (Reconciliation, Result<Vec<InputFile>>) {
    let hash = || {
        timed("fingerprint", || {
            fingerprint(paths, &loaded.data, &loaded.digests)
        })
    };
    let reconcile = || timed("reconcile", || recon::reconcile(&loaded.data, settings));
    if rayon::current_num_threads() > 1 {
        std::thread::scope(|s| {
            let hashing = s.spawn(hash);
            let recon = reconcile();
            let inputs = hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (recon, inputs)
        })
    } else {
        let recon = reconcile();
        (recon, hash())
    }
}

/// The arrears are counted on the as-at date: a service date before it
/// would read the law on another day.
fn refuse_serving_before_as_at(recon: &Reconciliation) -> Result<()> {
    if let Some(serve_on) = recon.settings.serve_on.filter(|d| *d < recon.as_at) {
        anyhow::bail!(
            "--serve-on {serve_on} is before the as-at date {}: the arrears are counted on one day and \
             the law read on another; give --as-at {serve_on} to assess the account on the day of service",
            recon.as_at
        );
    }
    Ok(())
}

/// Reads the inputs (setting bad rows aside if asked) and reconciles them.
pub fn load_and_reconcile(
    dir: Option<&Path>,
    files: &InputFiles,
    rules: &RuleArgs,
    output: Option<&Path>,
) -> Result<Reconciled> {
    let file = landlord_settings(dir, files)?;
    let profile = profile_of(files, file.as_ref())?;
    let paths = input_paths(dir, files, profile.as_ref())?;
    refuse_overwriting_inputs(&paths, files, output)?;
    let mode = if files.lenient {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let settings = settings(rules, file.as_ref());
    let bar = progress_bar(&paths);
    let loaded = timed("read", || {
        let progress = bar
            .clone()
            .map(|bar| -> input::Progress { std::sync::Arc::new(move |n| bar.inc(n)) });
        input::load_watched(&paths, profile.as_ref(), mode, progress.as_ref())
    })?;
    if let Some(bar) = &bar {
        bar.set_message("reconciling");
    }
    let (recon, inputs) = reconcile_and_fingerprint(&paths, &loaded, settings);
    let inputs = inputs?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    refuse_serving_before_as_at(&recon)?;
    write_rejects(files, output, &loaded.rejects)?;
    let data = loaded.data;
    Ok(Reconciled {
        data,
        recon,
        inputs,
    })
}
