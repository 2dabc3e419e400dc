//! `rent-audit generate`: a deterministic synthetic landlord in the contract's
//! shape, streamed account by account, each with at most one planted error
//! of one right reading, so `truth.json` is an exact oracle.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::cli::GenerateArgs;
use crate::input::Profile;
use crate::input::{self, export::ExportShape, profile::section_name, profile::FileProfile};
use crate::recon::model::SourceFile;
use crate::recon::money::plain;
use crate::recon::{conflict, identify, names};

mod benefit;
mod calendar;
mod case;
mod charges;
mod error;
mod landlord;
mod money_out;
mod parts;
mod payments;
mod people;
mod plan;
mod sink;
mod truth;

use calendar::*;
use case::*;
use parts::*;
use people::*;
use sink::*;
use truth::*;

use error::OnPath;
pub use error::{GenerateError, GenerateErrorKind};

type Result<T, E = GenerateError> = std::result::Result<T, E>;

/// splitmix64: small, fast, and the same on every platform and version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, per_thousand: u64) -> bool {
        self.below(1000) < per_thousand
    }
}

/// The error planted on an account, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plant {
    None,
    WrongAccount,
    Unposted,
    Unidentified,
    AmountMismatch,
    Duplicate,
    Unbanked,
    Late,
    /// A payment with an unreadable reference from the tenant by name.
    SuspenseByName,
    /// A payment quoting this account's number by another tenant, by name.
    PayerConflict,
    /// A Housing Benefit claim that began three weeks before the end.
    NewClaim,
    /// Housing Benefit paid once and then not again.
    StoppedBenefit,
}

/// The most accounts and months `generate` makes: ten million accounts
/// (the largest landlord has a tenth of that) and fifty years.
const MOST_ACCOUNTS: usize = 10_000_000;
const MOST_MONTHS: u32 = 600;

/// Writes the landlord `args` describe into `args.out`, in the shapes
/// `profile` gives (the contract's plain CSV where it gives none).
pub fn run(args: &GenerateArgs, profile: Option<&Profile>) -> Result<()> {
    check_bounds(args)?;
    prepare_folder(args)?;
    let dir = args.out.as_path();
    let w = Writers::open(dir, profile, args.cases > 0)?;
    let cal = Calendar::of(args)?;
    let names = tenant_names(args.seed, args.accounts);
    let mut landlord = Landlord::new(args, cal, w, &names);
    for i in 0..args.accounts {
        landlord.account(i)?;
    }
    landlord.finish(dir)?;
    let settings = dir.join(crate::input::settings::FILE_NAME);
    if args.council {
        std::fs::write(
            &settings,
            "# A council: Housing Benefit is a rent rebate.\nhb_rent_rebates = true\n",
        )
        .on_path("cannot write", &settings)?;
    } else if args.force && settings.exists() {
        // A rebate setting left by an earlier run would misread this one.
        std::fs::remove_file(&settings).on_path("cannot remove", &settings)?;
    }
    Ok(())
}

/// Counts and dates `generate` can make and the contract can hold.
fn check_bounds(args: &GenerateArgs) -> Result<()> {
    let refuse = |message: String| Err(GenerateError::arguments(message));
    if !(1..=MOST_ACCOUNTS).contains(&args.accounts) {
        return refuse(format!(
            "--accounts must be between 1 and {MOST_ACCOUNTS}, found {}",
            args.accounts
        ));
    }
    if !(1..=MOST_MONTHS).contains(&args.months) {
        return refuse(format!(
            "--months must be between 1 and {MOST_MONTHS}, found {}",
            args.months
        ));
    }
    // Dates past 9999 cannot be written as the contract's YYYY-MM-DD.
    let last_day = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let within = args
        .start
        .checked_add_months(Months::new(args.months + 2))
        .is_some_and(|end| end <= last_day);
    if !within {
        return refuse(format!(
            "--start {} and --months {} run past the year 9999",
            args.start, args.months
        ));
    }
    Ok(())
}

/// Makes the output folder. Its files bear the contract's names: a
/// landlord's real data in the folder would be overwritten.
fn prepare_folder(args: &GenerateArgs) -> Result<()> {
    let holds_files = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if holds_files && !args.force {
        return Err(GenerateErrorKind::NotEmpty(args.out.clone()).into());
    }
    std::fs::create_dir_all(&args.out).on_path("cannot create", &args.out)
}

/// One account as it is made: who, what rent, what is planted, how the
/// tenant pays, and the balances the truth will hold.
struct Tenancy {
    i: usize,
    account_ref: String,
    payer: String,
    weekly: Decimal,
    rent: Decimal,
    monthly: bool,
    hb: bool,
    plant: Plant,
    /// Another tenant who pays quoting this account's number.
    conflict_payer: Option<(usize, String)>,
    opening: NaiveDate,
    mandate: String,
    /// 0 Direct Debit, 1 standing order, 2 card.
    channel: u64,
    method: &'static str,
    reference: String,
    posted: Decimal,
    corrected: Decimal,
    /// The rent before the April increase (the rent itself where none).
    old_rent: Decimal,
    /// The increase is applied three weeks late on this account.
    late_increase: bool,
    /// The case around the account, if any (cases.csv).
    case: CasePlan,
}

/// One receipt of a tenancy's, as it is posted.
struct Paid {
    bank_id: String,
    paid: NaiveDate,
    post_on: NaiveDate,
    /// Whether the ledger names the bank line.
    with_ref: bool,
    /// Whether this receipt carries the account's plant.
    here: bool,
    /// How its money is posted.
    shape: Posting,
}

/// Everything written and counted as the landlord is made, account by
/// account, in one fixed order of random draws (a seed gives the same
/// bytes).
struct Landlord<'a> {
    args: &'a GenerateArgs,
    cal: Calendar,
    w: Writers,
    truth: Truth,
    rng: Rng,
    run_totals: Vec<Decimal>,
    /// Clawbacks left off the ledger, by run: the account, for the
    /// finding the bulk line's id completes.
    unposted_clawbacks: Vec<(usize, String)>,
    bank_n: u64,
    txn_n: u64,
    names: &'a [String],
    people: People<'a>,
    planted_rents: std::collections::HashSet<Decimal>,
    /// The account a wrong-account posting will land on.
    landed_on: Option<usize>,
    /// Money posted to the next account, by that account's index.
    moved: Vec<(usize, Decimal)>,
    /// Whether Direct Debit returns are made (a shaped export may not
    /// carry a return's columns).
    returns: bool,
    /// The account being made, and what has been posted to it so far: a
    /// refund is of a credit the account holds, as a landlord's are.
    own_ref: String,
    own_postings: Vec<(NaiveDate, Decimal)>,
    /// Where cases are dealt from (seeded), how many are owed to the next
    /// account that can carry one, and how many have been dealt.
    case_phase: u64,
    cases_owed: u64,
    cases_dealt: usize,
}

impl<'a> Landlord<'a> {
    fn new(args: &'a GenerateArgs, cal: Calendar, w: Writers, names: &'a [String]) -> Self {
        Landlord {
            args,
            run_totals: vec![Decimal::ZERO; cal.runs.len()],
            unposted_clawbacks: Vec::new(),
            truth: Truth {
                seed: args.seed,
                accounts: args.accounts,
                months: args.months,
                as_at: cal.end.to_string(),
                findings: Vec::new(),
                balances: Vec::with_capacity(args.accounts),
                holds: Vec::new(),
            },
            cal,
            w,
            rng: Rng(args.seed),
            bank_n: 0,
            txn_n: 0,
            names,
            people: People::of(names),
            planted_rents: std::collections::HashSet::new(),
            landed_on: None,
            moved: Vec::new(),
            own_ref: String::new(),
            own_postings: Vec::new(),
            returns: args.profile.is_empty() && args.dd_returns > 0,
            case_phase: Rng(args.seed ^ 0x6361_7365_7321).below(1000),
            cases_owed: 0,
            cases_dealt: 0,
        }
    }
}
