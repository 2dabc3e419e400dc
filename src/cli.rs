//! Command-line definitions (clap derive). Each subcommand's work lives in
//! its own file under `cmd/`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

use crate::recon::Trigger;
use crate::report;

#[derive(Debug, Parser)]
#[command(
    name = "rent-audit",
    version,
    about = "Reconciles rent accounts against money received and reviews every case reaching the NOSP trigger",
    after_help = "Exit codes: 0 nothing at or above --fail-on (check: nothing stands in the way); \
                  1 findings at or above it (check: hold or do not serve; diff: a new finding); \
                  2 the input could not be read; 64 a usage error (an unknown option, value or term).\n\
                  Words in the reports: rent-audit explain TERM. The manual: rent-audit man."
)]
pub struct Cli {
    /// Say nothing on standard error but errors (no progress, no notes).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Colour on the terminal: auto (a terminal, without NO_COLOR or CI),
    /// always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour the terminal's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconcile every account: findings with evidence, control totals, and
    /// each account's standing against the NOSP trigger.
    Reconcile(ReconcileArgs),
    /// Read every input as `reconcile` would and report every problem at
    /// once: rows read and set aside, money, dates, notes. Exit 0 clean, 2 if not.
    Validate(ValidateArgs),
    /// Before a NOSP: for each account, a verdict (do not serve / hold /
    /// reaches the trigger), balances, findings and the protocol checklist.
    /// Exit 0 nothing stands in the way, 1 do not serve or hold, 2 bad input.
    Check(CheckArgs),
    /// Write a synthetic landlord (accounts, ledger, bank, schedules) with
    /// planted errors and truth.json naming each one: for benchmarks and as a
    /// test oracle.
    #[cfg(feature = "generate")]
    Generate(GenerateArgs),
    /// Print a shell completion script. Install it where your shell looks:
    /// bash: rent-audit completions bash >
    /// ~/.local/share/bash-completion/completions/rent-audit; zsh:
    /// rent-audit completions zsh > ~/.zfunc/_rent-audit (with
    /// fpath+=~/.zfunc before compinit in ~/.zshrc); fish: rent-audit
    /// completions fish > ~/.config/fish/completions/rent-audit.fish;
    /// PowerShell: rent-audit completions powershell >> $PROFILE. Open a
    /// new shell to use it.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual (roff), every subcommand in one page: rent-audit
    /// man > rent-audit.1; with --dir, one page per subcommand
    /// (rent-audit-reconcile.1, ...) for `man rent-audit-reconcile`.
    Man {
        /// Write rent-audit.1 and a page per subcommand into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// What a finding kind, account status, hold reason or warning means,
    /// what to do about it, and an example: rent-audit explain false_trigger.
    Explain(ExplainArgs),
    /// Month on month: findings new, resolved and still open between last
    /// month's JSON report and this month's, accounts whose status changed,
    /// and money in suspense then and now.
    Diff(DiffArgs),
    /// Mapping profiles: `profile init FILE` drafts one from a look at an export.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileAction {
    /// Look at FILE (header and a sample of rows) and write a first-draft
    /// profile, every guess marked, for a person to check.
    Init(ProfileInitArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    Accounts,
    Ledger,
    Bank,
    Schedules,
}

#[derive(Debug, Args)]
pub struct ProfileInitArgs {
    /// The export to look at.
    pub file: PathBuf,
    /// Which input it is (default: guessed from its header).
    #[arg(long, value_enum)]
    pub kind: Option<InputKind>,
    /// Write the profile here (atomically) instead of to standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Markdown,
    Json,
    /// The rent statement as CSV (--statement implied).
    Csv,
    /// A self-contained evidence pack: chart, checklist and statement.
    Html,
}

impl From<CheckFormat> for report::check::CheckFormat {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Text => Self::Text,
            CheckFormat::Markdown => Self::Markdown,
            CheckFormat::Json => Self::Json,
            CheckFormat::Csv => Self::Csv,
            CheckFormat::Html => Self::Html,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    /// A self-contained evidence pack (charts, accounts to act on).
    Html,
    /// Every account's standing as CSV: status, balances, trigger,
    /// statutory test, holds (the findings are `csv`).
    AccountsCsv,
}

impl From<Format> for report::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => Self::Table,
            Format::Csv => Self::Csv,
            Format::Json => Self::Json,
            Format::Markdown => Self::Markdown,
            Format::Html => Self::Html,
            Format::AccountsCsv => Self::AccountsCsv,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The accounts to check.
    #[arg(value_name = "ACCOUNT_REF")]
    pub account_refs: Vec<String>,
    /// A file of account refs to check, one per line.
    #[arg(long, value_name = "FILE")]
    pub accounts_from: Option<PathBuf>,
    /// The input files (a folder, or each named).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub data: PathBuf,
    #[command(flatten)]
    pub input: InputFiles,
    /// Also show the rent statement: date, description, debit, credit,
    /// running posted and corrected balances, corrections and late payments.
    #[arg(long)]
    pub statement: bool,
    /// The statement's first date (default: 2 years before the as-at date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many rent accounts.
    #[arg(long, default_value_t = 200)]
    pub accounts: usize,
    /// How many months of data.
    #[arg(long, default_value_t = 3)]
    pub months: u32,
    /// The same seed gives the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The first day of the data.
    #[arg(long, default_value = "2026-01-01", value_parser = parse_date)]
    pub start: NaiveDate,
    /// Direct Debit collections returned, per thousand (real landlords see
    /// 10 to 30): each is reversed on the ledger, but one in ten is not.
    /// Only in the contract's shape (without --profile).
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 20)]
    pub dd_returns: u64,
    /// Returned Direct Debits collected again a few days on, per thousand
    /// returns (a re-presentation). Only without --profile.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 500)]
    pub represent: u64,
    /// Refunds paid out to tenants, per thousand accounts a month: money
    /// out on the bank, a `refund` debit on the ledger (by bank id, or by
    /// account and amount). Only without --profile.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 5)]
    pub refunds: u64,
    /// Small balances written off, per thousand accounts: a `writeoff`
    /// credit that moves no money. Only without --profile.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 10)]
    pub write_offs: u64,
    /// Sundry debts on the rent account (court costs, a rechargeable repair,
    /// with their `charge_type`), per thousand accounts: not rent, so never
    /// a finding. Only without --profile.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 20)]
    pub sundry: u64,
    /// Accounts whose April rent increase is applied three weeks late, per
    /// thousand weekly accounts: each old-rate charge after the increase is
    /// a planted `irregular_charge`. (Every account's rent rises on the
    /// first Monday of April, or 1 April for monthly rent, where the months
    /// span it; no one is charged in the two weeks from Christmas.)
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 10)]
    pub late_increase: u64,
    /// Housing Benefit accounts with an overpayment taken back out of a
    /// later run (a negative schedule line), per thousand: most posted on
    /// the ledger as an hb_overpayment charge, one in four not
    /// (unposted_clawback).
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 20)]
    pub clawbacks: u64,
    /// Accounts with a case around them in cases.csv, per thousand
    /// accounts: payment arrangements kept and broken, Breathing Space,
    /// suspended and outright possession orders, NOSPs served days ago and
    /// lapsed, dealt in turn, each on a weekly account with no benefit and
    /// nothing else planted, its payments made to fit (weeks missed, then
    /// the instalment on top of the rent); truth.json lists the holds they
    /// make. About as many other accounts have a contact or a benefit
    /// referral only. 0 writes no cases.csv.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 20)]
    pub cases: u64,
    /// Payments (not Direct Debits) keyed as two credits that add up to
    /// them, per thousand: matched in parts, no finding.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 15)]
    pub split_postings: u64,
    /// Payments made in two halves a day apart and keyed as one credit,
    /// per thousand: matched in parts, no finding.
    #[arg(long, value_name = "PER_THOUSAND", default_value_t = 5)]
    pub combined_postings: u64,
    /// A council landlord: Housing Benefit is a rent rebate credited on the
    /// rent account with no bank money, by the rebate schedule (batches
    /// no bank line carries); rent-audit.toml says hb_rent_rebates. One
    /// rebate in the second run is awarded and never credited on some
    /// accounts (uncredited_rebate); on others one is credited twice
    /// (unbanked_credit).
    #[arg(long)]
    pub council: bool,
    /// Write into a folder that already holds files (they are overwritten).
    #[arg(long)]
    pub force: bool,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write each file in the export shape a mapping profile reads (its
    /// names, columns, dates, £ amounts, codes, preamble, encoding), so
    /// `reconcile --profile` reads the same landlord back. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub profile: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding kind, status, hold reason or warning (as the reports spell
    /// it); without one, every term with its one-line meaning.
    pub term: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Last month's report (`reconcile --format json`).
    #[arg(value_name = "LAST.json")]
    pub last: PathBuf,
    /// This month's report (`reconcile --format json`).
    #[arg(value_name = "THIS.json")]
    pub this: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the comparison here (atomically) instead of to standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a new finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// `text` for a person; `json` for a program (its shape: docs/validate.md).
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    #[default]
    Text,
    Json,
}

/// Where the input files are: a folder, with any file named on its own.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Folder holding accounts.csv, ledger.csv, bank.csv and (optionally) schedules.csv.
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub files: InputFiles,
}

/// The input files one by one, and how to read them.
#[derive(Debug, Args)]
pub struct InputFiles {
    /// The accounts file (default DIR/accounts.csv).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// The rent ledger (default DIR/ledger.csv).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// The bank statement: a CSV, MT940 or camt.053 (default DIR/bank.csv,
    /// else DIR's one bank.sta, bank.mt940, bank.940 or bank.xml). `-` for
    /// any one input reads standard input.
    #[arg(long, value_name = "FILE")]
    pub bank: Option<PathBuf>,
    /// A Bacs ARUDD report of returned Direct Debits, joined to the
    /// statement's lines (default DIR/arudd*.xml). Repeat for several.
    #[arg(long, value_name = "FILE")]
    pub returns: Vec<PathBuf>,
    /// Bulk receipt schedules (default DIR/schedules.csv if present).
    #[arg(long, value_name = "FILE")]
    pub schedules: Option<PathBuf>,
    /// The rent in force over time: account_ref, from, rent (default
    /// DIR/rents.csv if present; otherwise each account's one rent).
    #[arg(long, value_name = "FILE")]
    pub rents: Option<PathBuf>,
    /// The case around each account: arrangements, NOSPs served, court
    /// orders, Breathing Space, contacts, benefit referrals (default
    /// DIR/cases.csv if present).
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// Set bad rows aside (into --rejects) and carry on, instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    /// Where --lenient writes the rows it sets aside (default: rejects.csv
    /// beside --output, else rent-audit-rejects.csv here).
    #[arg(long, value_name = "FILE", requires = "lenient")]
    pub rejects: Option<PathBuf>,
    /// A mapping profile (TOML) describing how a source system's exports map
    /// onto the contract (docs/profiles.md). Repeat for several systems: each
    /// file's section is taken from the last profile that has one.
    #[arg(long, value_name = "FILE")]
    pub profile: Vec<PathBuf>,
    /// A column left unused on purpose, though its name looks like one the
    /// contract reads (`Ref` beside no `reference`): without this such a
    /// column is an error (a warning with --lenient). Repeat for several.
    #[arg(long, value_name = "NAME")]
    pub ignore_column: Vec<String>,
    /// The longest record (row) any input may hold, as bytes, KiB or MiB:
    /// a file with no line ends, or a quote left open, stops here with an
    /// error naming the line instead of filling memory.
    #[arg(long, value_name = "SIZE", default_value = "4MiB",
          value_parser = crate::input::limit::parse_size)]
    pub max_record_bytes: usize,
}

/// The rules an account is judged by. Those left unset come from the data
/// folder's rent-audit.toml, else the defaults shown.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Assess balances as at this date, YYYY-MM-DD (default: the latest date in the ledger or bank).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_at: Option<NaiveDate>,
    /// The day a notice would be served, YYYY-MM-DD: the statutory threshold
    /// is the law's on that day (a notice served before 1 May 2026 keeps the
    /// old Ground 8 threshold). Default: the as-at date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub serve_on: Option<NaiveDate>,
    /// The landlord's NOSP trigger: weeks' rent (4w), months' rent (2m) or a
    /// sum (£500). Default 4w.
    #[arg(long, value_parser = parse_trigger)]
    pub trigger: Option<Trigger>,
    /// Where the warning band starts, as a share of the trigger (75% or
    /// 0.75). Default 75%.
    #[arg(long, value_parser = parse_share)]
    pub warn_at: Option<Decimal>,
    /// A posting more than this many days after the money arrived is late.
    /// Default 5.
    #[arg(long, value_name = "DAYS")]
    pub posting_days: Option<u32>,
    /// How many days after a receipt a posting without a bank reference may
    /// still be linked to it. Default 35.
    #[arg(long, value_name = "DAYS")]
    pub match_days: Option<u32>,
    /// Weeks with no rent charged (rent-free weeks), as any date in each
    /// week: 2026-12-21,2026-12-28; `none` for none. Default: read from the
    /// charges (weeks most weekly accounts are not charged in).
    #[arg(long, value_name = "DATES", value_delimiter = ',', value_parser = parse_week)]
    pub rent_free_weeks: Vec<Week>,
    /// Do not check charges against the rent (for a ledger extract of payments only).
    #[arg(long)]
    pub skip_charges: bool,
    /// Today's date, YYYY-MM-DD (default: the system clock): rows dated after
    /// it are taken for slips and warned of. Set it to replay an old run.
    #[arg(long, value_name = "DATE", value_parser = parse_date, env = "RENT_AUDIT_TODAY")]
    pub today: Option<NaiveDate>,
    /// Days from a new Housing Benefit claim to its first run (4 weeks in
    /// arrears and processing): until then its rent is technical arrears.
    /// Default 35.
    #[arg(long, value_name = "DAYS")]
    pub hb_first_run_days: Option<u32>,
    /// Housing Benefit is credited to rent accounts as a rent rebate (a
    /// council landlord): no bank money moves. Its credits are reconciled
    /// against the rebate schedule (schedule lines in batches no bank line
    /// carries), not the bank.
    #[arg(long)]
    pub hb_rent_rebates: bool,
    /// Days from a new Universal Credit claim to its first payment (an
    /// assessment period and 7 days). Default 38.
    #[arg(long, value_name = "DAYS")]
    pub uc_first_run_days: Option<u32>,
    /// How a payment is split between rent and sundry debt (court costs,
    /// recharges): rent-first (the default) pays rent before anything else;
    /// oldest-first pays the oldest debt. Only rent arrears count towards a NOSP.
    #[arg(long, value_name = "RULE")]
    pub allocate: Option<Allocate>,
    /// Worker threads (default: one per core). Output is identical at any count.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// One `--rent-free-weeks` value: a date in the week, or `none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Week(pub Option<NaiveDate>);

fn parse_week(s: &str) -> Result<Week, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        Ok(Week(None))
    } else {
        parse_date(s).map(|d| Week(Some(d)))
    }
}

/// `--allocate`'s words; the core's [`Allocation`](crate::recon::due::Allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Allocate {
    RentFirst,
    OldestFirst,
}

impl From<Allocate> for crate::recon::due::Allocation {
    fn from(a: Allocate) -> Self {
        match a {
            Allocate::RentFirst => crate::recon::due::Allocation::RentFirst,
            Allocate::OldestFirst => crate::recon::due::Allocation::OldestFirst,
        }
    }
}

/// Today by the system clock (UTC).
pub fn system_today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or(NaiveDate::MAX)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    High,
    Medium,
    Low,
    Never,
}

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The report's format [default: table, or rent-audit.toml's
    /// `[report] format`].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report here (atomically) instead of to standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Exit 1 when any finding listed is at or above this severity
    /// [default: high, or rent-audit.toml's `[report] fail_on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub focus: FocusArgs,
    /// Lay tables out to this many columns (default: rent-audit.toml's
    /// `[report] width`, else $COLUMNS, else the terminal's width, else 160).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,
}

/// Which findings and accounts a report lists; control totals always cover
/// the whole run. Every format obeys them, and the exit code follows the
/// findings listed.
#[derive(Debug, Args)]
pub struct FocusArgs {
    /// Only this account's findings (its own, money posted to it, receipts
    /// suggested for it) and assessment. Repeat, or separate with commas.
    #[arg(long, value_name = "REF", value_delimiter = ',')]
    pub account: Vec<String>,
    /// Only findings of this kind (`rent-audit explain` lists them), and
    /// the accounts they touch. Repeat, or separate with commas.
    #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<crate::recon::finding::FindingKind>,
    /// Only findings at or above this severity, and the accounts they touch.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,
    /// Only accounts of this status, and their findings. Repeat, or
    /// separate with commas.
    #[arg(long, value_name = "STATUS", value_delimiter = ',', value_parser = parse_status)]
    pub status: Vec<crate::recon::Status>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    High,
    Medium,
    Low,
}

impl From<MinSeverity> for crate::recon::Severity {
    fn from(s: MinSeverity) -> Self {
        match s {
            MinSeverity::High => Self::High,
            MinSeverity::Medium => Self::Medium,
            MinSeverity::Low => Self::Low,
        }
    }
}

/// A contract word as an officer may type it: any case, `-` or a space
/// for `_`.
fn contract_word(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(['-', ' '], "_")
}

fn parse_kind(s: &str) -> Result<crate::recon::finding::FindingKind, String> {
    use crate::recon::finding::FindingKind;
    FindingKind::from_word(&contract_word(s)).ok_or_else(|| {
        format!(
            "not a finding kind; expected one of {}",
            FindingKind::expected()
        )
    })
}

fn parse_status(s: &str) -> Result<crate::recon::Status, String> {
    use crate::recon::Status;
    Status::from_word(&contract_word(s)).ok_or_else(|| {
        format!(
            "not an account status; expected one of {}",
            Status::expected()
        )
    })
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::input::parse::date(s.as_bytes()).map_err(|e| e.to_string())
}

fn parse_trigger(s: &str) -> Result<Trigger, String> {
    s.parse::<Trigger>().map_err(|e| e.to_string())
}

/// `75%`, `75` or `0.75`, all meaning three quarters.
fn parse_share(s: &str) -> Result<Decimal, String> {
    crate::input::parse::share(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percent_or_fraction() {
        assert_eq!(parse_share("75%"), Ok(Decimal::new(75, 2)));
        assert_eq!(parse_share("0.75"), Ok(Decimal::new(75, 2)));
        assert_eq!(parse_share("80"), Ok(Decimal::new(80, 2)));
        assert!(parse_share("150%").is_err());
        assert!(parse_share("abc").is_err());
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
