//! `rent-audit generate`: a deterministic synthetic landlord in the contract's
//! shape, with planted errors and `truth.json` naming each one and every
//! account's balances. Streamed account by account: only the bulk benefit
//! runs' totals are held, so 125,000 accounts x 12 months need little memory.
//! Each account carries at most one planted error, of a kind and shape that
//! has one right reading, so the truth is an exact oracle. With `--cases`,
//! cases.csv holds the case around some accounts (`case.rs`): arrangements
//! kept and broken, Breathing Space, possession orders, NOSPs recent and
//! lapsed, each on an account with nothing else planted and the payments
//! to fit it, and truth.json the holds they make.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::cli::GenerateArgs;
use crate::input::{self, export::ExportShape, profile::section_name, profile::FileProfile};
use crate::recon::model::SourceFile;
use crate::recon::money::plain;
use crate::recon::{conflict, identify, names};

mod case;
mod parts;
mod people;
mod sink;
mod truth;

use case::*;
use parts::*;
use people::*;
use sink::*;
use truth::*;

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

pub fn run(args: &GenerateArgs) -> Result<u8> {
    check_bounds(args)?;
    prepare_folder(args)?;
    let dir = args.out.as_path();
    let profile = crate::cmd::profile(&args.profile)?;
    let w = Writers::open(dir, profile.as_ref(), args.cases > 0)?;
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
        .with_context(|| format!("cannot write {}", settings.display()))?;
    } else if args.force && settings.exists() {
        // A rebate setting left by an earlier run would misread this one.
        std::fs::remove_file(&settings)
            .with_context(|| format!("cannot remove {}", settings.display()))?;
    }
    Ok(0)
}

/// Counts and dates `generate` can make and the contract can hold.
fn check_bounds(args: &GenerateArgs) -> Result<()> {
    anyhow::ensure!(
        (1..=MOST_ACCOUNTS).contains(&args.accounts),
        "--accounts must be between 1 and {MOST_ACCOUNTS}, found {}",
        args.accounts
    );
    anyhow::ensure!(
        (1..=MOST_MONTHS).contains(&args.months),
        "--months must be between 1 and {MOST_MONTHS}, found {}",
        args.months
    );
    // Dates past 9999 cannot be written as the contract's YYYY-MM-DD.
    let last_day = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    anyhow::ensure!(
        args.start
            .checked_add_months(Months::new(args.months + 2))
            .is_some_and(|end| end <= last_day),
        "--start {} and --months {} run past the year 9999",
        args.start,
        args.months
    );
    Ok(())
}

/// Makes the output folder. Its files bear the contract's names: a
/// landlord's real data in the folder would be overwritten.
fn prepare_folder(args: &GenerateArgs) -> Result<()> {
    let holds_files = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    anyhow::ensure!(
        args.force || !holds_files,
        "{} is not empty: generate would overwrite its files (a landlord's inputs, perhaps); name a new or \
         empty folder, or pass --force",
        args.out.display()
    );
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))
}

/// The dates every account shares.
struct Calendar {
    start: NaiveDate,
    end: NaiveDate,
    first_monday: NaiveDate,
    /// Housing Benefit runs: every 28 days from the first Monday, in arrears.
    runs: Vec<NaiveDate>,
    /// The April rent increase, where two charges fall either side of it:
    /// (the first Monday of April for weekly rent, 1 April for monthly).
    increase: Option<(NaiveDate, NaiveDate)>,
    /// The Mondays weekly rent is charged on: from the first, less the
    /// two rent-free weeks from Christmas.
    weeks: Vec<NaiveDate>,
}

impl Calendar {
    fn of(args: &GenerateArgs) -> Result<Calendar> {
        let start = args.start;
        let end = start
            .checked_add_months(Months::new(args.months))
            .and_then(|d| d.pred_opt())
            .context("--months is too far ahead")?;
        let first_monday =
            start + Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7));
        let runs = (1..)
            .map(|k| first_monday + Days::new(28 * k))
            .take_while(|d| *d <= end)
            .collect();
        let increase = (start.year()..=end.year())
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 4, 1))
            .find(|&april| {
                april
                    .checked_sub_months(Months::new(2))
                    .is_some_and(|d| d >= start)
                    && april
                        .checked_add_months(Months::new(2))
                        .is_some_and(|d| d <= end)
            })
            .map(|april| {
                let monday =
                    april + Days::new(u64::from((7 - april.weekday().num_days_from_monday()) % 7));
                (monday, april)
            });
        let rent_free: Vec<NaiveDate> = (start.year()..=end.year())
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 12, 25))
            .map(|christmas| {
                christmas - Days::new(u64::from(christmas.weekday().num_days_from_monday()))
            })
            .flat_map(|monday| [monday, monday + Days::new(7)])
            .filter(|&m| m >= first_monday && m <= end)
            .collect();
        let weeks = (0..)
            .map(|k| first_monday + Days::new(7 * k))
            .take_while(|d| *d <= end)
            .filter(|d| !rent_free.contains(d))
            .collect();
        Ok(Calendar {
            start,
            end,
            first_monday,
            runs,
            increase,
            weeks,
        })
    }
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

    /// Makes account `i`: its row, charges, money in, money out, plants,
    /// and its truth.
    fn account(&mut self, i: usize) -> Result<()> {
        let mut t = self.plan(i);
        self.own_ref.clone_from(&t.account_ref);
        self.own_postings.clear();
        self.w.accounts.write([
            t.account_ref.as_str(),
            &self.names[i],
            "assured",
            if t.monthly { "monthly" } else { "weekly" },
            &plain(t.rent),
            &t.opening.to_string(),
            "0.00",
            &t.mandate,
            if t.hb { "hb" } else { "none" },
        ])?;
        let dues = self.charges(&mut t)?;
        if t.hb {
            self.benefit(&mut t)?;
        } else {
            self.tenant_pays(&mut t, &dues)?;
        }
        // A refund or sundry debt beside a case would blur its reading.
        if self.args.profile.is_empty() && !t.case.moves_money() {
            self.money_out(&mut t)?;
        }
        self.last_plants(&mut t)?;
        self.case_events(&t)?;
        self.truth.balances.push(AccountTruth {
            account_ref: t.account_ref,
            posted_balance: plain(t.posted),
            corrected_balance: plain(t.corrected),
        });
        Ok(())
    }

    /// The tenant pays what is charged, before the increase and after;
    /// where a case shapes the money, missing some weeks and paying an
    /// instalment on top in others, until the arrears are paid.
    fn tenant_pays(&mut self, t: &mut Tenancy, dues: &[NaiveDate]) -> Result<()> {
        let plant_at = dues.len() / 2;
        let rent = t.rent;
        let mut arrears = Decimal::ZERO;
        for (k, d) in dues.iter().enumerate() {
            t.rent = rent;
            let due = self.rent_on(t, *d);
            let towards = match t.case.pays(*d) {
                Pays::Nothing => {
                    arrears += due;
                    continue;
                }
                Pays::Rent => Decimal::ZERO,
                Pays::RentAnd(instalment) => instalment.min(arrears),
            };
            arrears -= towards;
            t.rent = due + towards;
            self.receipt(t, *d, k == plant_at)?;
        }
        t.rent = rent;
        Ok(())
    }

    /// Draws account `i`'s rent, benefit, plant and way of paying.
    fn plan(&mut self, i: usize) -> Tenancy {
        let rng = &mut self.rng;
        let account_ref = account_ref_of(i);
        // Weekly rents with distinct pence, so no two accounts' payments look alike.
        let monthly = rng.chance(150);
        // ... but many share one of a few common rents, as on a real estate.
        let weekly = if rng.chance(300) {
            Decimal::new(
                COMMON_RENTS[rng.below(COMMON_RENTS.len() as u64) as usize],
                2,
            )
        } else {
            Decimal::new(8000 + (i as i64 * 37) % 9000, 2)
        };
        let rent = if monthly {
            (weekly * Decimal::from(52) / Decimal::from(12)).round_dp(2)
        } else {
            weekly
        };
        let hb = !monthly && rng.chance(200);
        let plant = self.plant(i, rent, monthly, hb);
        let conflict_payer = match plant {
            Plant::PayerConflict => self.people.other_tenant(i),
            _ => None,
        };
        let plant = match (plant, &conflict_payer) {
            (Plant::PayerConflict, None) => Plant::None,
            _ => plant,
        };
        // A new claim's tenancy began on a Monday three weeks before the end.
        let opening = match plant {
            Plant::NewClaim => self.cal.first_monday.max(self.cal.end - Days::new(20)),
            _ => self.cal.start,
        };
        let mandate = mandate_of(i);
        // Drawn from the account's index, not the shared stream, so that the
        // other shapes' draws stay as they were.
        let late_increase = self.cal.increase.is_some()
            && !monthly
            && !hb
            && plant == Plant::None
            && (i as u64).wrapping_mul(2_654_435_761) % 1000 < self.args.late_increase;
        // A case that moves money only where nothing else does, so that
        // its reading is exact.
        let case = self.case_for(
            i,
            !monthly && !hb && plant == Plant::None && !late_increase && self.landed_on != Some(i),
        );
        let channel = self.rng.below(3);
        let reference = if channel == 0 {
            mandate.clone()
        } else {
            account_ref.clone()
        };
        Tenancy {
            i,
            payer: self.names[i].to_uppercase(),
            account_ref,
            weekly,
            rent,
            monthly,
            hb,
            plant,
            conflict_payer,
            opening,
            mandate,
            channel,
            method: ["dd", "standing_order", "card"][channel as usize],
            reference,
            posted: Decimal::ZERO,
            corrected: Decimal::ZERO,
            // A 3.7% rise, as many landlords' in 2026 (CPI + 1%); Housing
            // Benefit accounts keep one rent, as the runs pay it.
            old_rent: if hb || self.cal.increase.is_none() {
                rent
            } else {
                (rent / Decimal::new(1037, 3)).round_dp(2)
            },
            late_increase,
            case,
        }
    }

    /// The error planted on account `i`, if any.
    fn plant(&mut self, i: usize, rent: Decimal, monthly: bool, hb: bool) -> Plant {
        let plant = match self.rng.below(100) {
            0..=2 if i + 1 < self.args.accounts && !hb => Plant::WrongAccount,
            3..=4 if !hb => Plant::Unposted,
            5 if !hb => Plant::Unidentified,
            6..=7 if !hb => Plant::AmountMismatch,
            8..=9 if !hb => Plant::Duplicate,
            10 => Plant::Unbanked,
            11..=12 if monthly => Plant::Late,
            13 if !hb => Plant::SuspenseByName,
            14 if !hb => Plant::PayerConflict,
            15..=34 if hb => Plant::NewClaim,
            35..=54 if hb && self.cal.runs.len() >= 2 => Plant::StoppedBenefit,
            _ => Plant::None,
        };
        // One plant per rent amount: two plants on accounts paying the same
        // rent could be read either way round, and the truth must be exact.
        // Nor a plant on the account a wrong-account posting lands on: its
        // own unposted receipt beside the stray credit reads as a mis-keyed
        // amount just as well.
        let plant = if plant != Plant::None
            && (self.landed_on == Some(i) || !self.planted_rents.insert(rent))
        {
            Plant::None
        } else {
            plant
        };
        if plant == Plant::WrongAccount {
            self.landed_on = Some(i + 1);
        }
        plant
    }

    /// Writes a ledger row (`amount` signed as a debit: a credit is
    /// negative) on account `on`; returns its id.
    fn txn(
        &mut self,
        date: NaiveDate,
        kind: &str,
        amount: Decimal,
        method: &str,
        bank_ref: &str,
        on: &str,
    ) -> Result<String> {
        self.txn_for(date, kind, amount, [method, bank_ref, on, ""])
    }

    /// [`Landlord::txn`] with its method, bank ref, account and charge type.
    fn txn_for(
        &mut self,
        date: NaiveDate,
        kind: &str,
        amount: Decimal,
        [method, bank_ref, on, charge_type]: [&str; 4],
    ) -> Result<String> {
        self.txn_n += 1;
        if on == self.own_ref {
            self.own_postings.push((date, amount));
        }
        let id = self.w.ledger.id(format!("T{:09}", self.txn_n));
        let money = |d: Decimal| {
            if d > Decimal::ZERO {
                plain(d)
            } else {
                String::new()
            }
        };
        self.w.ledger.write([
            id.as_str(),
            on,
            &date.to_string(),
            kind,
            &money(amount),
            &money(-amount),
            method,
            bank_ref,
            "",
            charge_type,
        ])?;
        Ok(id)
    }

    /// Writes a bank line after `id`: date, amount and the rest.
    fn bank_line(&mut self, fields: [&str; 7]) -> Result<String> {
        self.bank_n += 1;
        let id = self.w.bank.id(format!("B{:09}", self.bank_n));
        let [date, amount, reference, payer, method, code, returned] = fields;
        self.w.bank.write([
            id.as_str(),
            date,
            amount,
            reference,
            payer,
            method,
            code,
            returned,
        ])?;
        Ok(id)
    }

    /// Charges: Mondays (weekly) or the 1st (monthly). Returns their dates.
    fn charges(&mut self, t: &mut Tenancy) -> Result<Vec<NaiveDate>> {
        let cal = &self.cal;
        let dues: Vec<NaiveDate> = if t.monthly {
            (0..self.args.months)
                .filter_map(|m| cal.start.checked_add_months(Months::new(m)))
                .collect()
        } else {
            let from = cal.weeks.partition_point(|d| *d < t.opening);
            cal.weeks[from..].to_vec()
        };
        for &d in &dues {
            let rent = self.rent_on(t, d);
            let txn = self.txn(d, "charge", rent, "", "", &t.account_ref)?;
            if rent != t.rent && self.increase_from(t).is_some_and(|from| d >= from) {
                self.truth
                    .findings
                    .push(Planted::late_increase(&t.account_ref, txn));
            }
            t.posted += rent;
            t.corrected += rent;
        }
        Ok(dues)
    }

    /// The day the account's rent rises: the landlord's increase (for
    /// the account's rent period).
    fn increase_from(&self, t: &Tenancy) -> Option<NaiveDate> {
        let (weekly, monthly) = self.cal.increase?;
        Some(if t.monthly { monthly } else { weekly })
    }

    /// The rent the account is charged on `d`: the old rent until the
    /// increase (four weeks after it, on an account that applies it late).
    fn rent_on(&self, t: &Tenancy, d: NaiveDate) -> Decimal {
        let late = if t.late_increase { 21 } else { 0 };
        match self.increase_from(t) {
            Some(from) if d < from + Days::new(late) => t.old_rent,
            _ => t.rent,
        }
    }

    /// Benefit pays the whole rent, 4-weekly in arrears, by schedule (from
    /// the claim's start; a stopped claim is paid once).
    fn benefit(&mut self, t: &mut Tenancy) -> Result<()> {
        let paid_runs = match t.plant {
            Plant::NewClaim => 0,
            Plant::StoppedBenefit => 1,
            _ => self.cal.runs.len(),
        };
        let paid = self.cal.runs.get(..paid_runs).unwrap_or(&[]);
        if let Some(reason) = benefit_hold(t.opening, paid, self.cal.end) {
            self.truth.holds.push(HoldTruth {
                account_ref: t.account_ref.clone(),
                reason,
            });
        }
        for k in 0..paid_runs {
            let Some(&run) = self.cal.runs.get(k) else {
                break;
            };
            let amount = t.weekly * Decimal::from(4);
            let (from, to) = (run - Days::new(28), run - Days::new(1));
            if self.args.council {
                self.rebate(t, k, run, amount)?;
                continue;
            }
            let batch = format!("HB-{:04}", k + 1);
            self.schedule_line(&batch, &t.account_ref, amount, from, to)?;
            self.run_totals[k] += amount;
            self.txn(run, "benefit", -amount, "hb", &batch, &t.account_ref)?;
            t.posted -= amount;
            t.corrected -= amount;
            if k == 1 {
                self.clawback(t, k, &batch)?;
            }
        }
        Ok(())
    }

    /// One line of schedules.csv: a share of a benefit run or a rebate.
    fn schedule_line(
        &mut self,
        batch: &str,
        account_ref: &str,
        amount: Decimal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<()> {
        self.w.schedules.write([
            batch,
            account_ref,
            &plain(amount),
            &from.to_string(),
            &to.to_string(),
        ])
    }

    /// A council's rent rebate for the four weeks before `run`: a line of
    /// the rebate schedule (a batch no bank line carries) and a benefit
    /// credit with no bank money. In the second run, drawn from the
    /// account's index: on some accounts the rebate is never credited, on
    /// others credited twice.
    fn rebate(&mut self, t: &mut Tenancy, k: usize, run: NaiveDate, amount: Decimal) -> Result<()> {
        let batch = format!("RB-{:04}", k + 1);
        let (from, to) = (run - Days::new(28), run - Days::new(1));
        self.schedule_line(&batch, &t.account_ref, amount, from, to)?;
        let draw = Rng(t.i as u64 ^ 0x04EB_A7E5).next() % 1000;
        let planted = k == 1 && t.plant == Plant::None;
        if planted && draw < 10 {
            self.truth.findings.push(Planted {
                kind: "uncredited_rebate",
                account_ref: t.account_ref.clone(),
                posted_to: String::new(),
                bank_id: String::new(),
                txn_ids: Vec::new(),
                amount: plain(-amount),
            });
            t.corrected -= amount;
            return Ok(());
        }
        self.txn(run, "benefit", -amount, "hb", "", &t.account_ref)?;
        t.posted -= amount;
        t.corrected -= amount;
        if planted && draw < 20 {
            let id = self.txn(run, "benefit", -amount, "hb", "", &t.account_ref)?;
            self.truth
                .findings
                .push(Planted::unbanked(&t.account_ref, id, amount));
            t.posted -= amount;
        }
        Ok(())
    }

    /// On some accounts, an earlier overpayment taken back out of the
    /// second run: a negative schedule line, posted on the ledger as an
    /// hb_overpayment charge, or (one in four) not posted at all. Drawn
    /// from the account's index, so the other shapes' draws stay as they
    /// were.
    fn clawback(&mut self, t: &mut Tenancy, k: usize, batch: &str) -> Result<()> {
        let draw = Rng(t.i as u64 ^ 0xC1A7_BAC5).next() % 4000;
        if t.plant != Plant::None || draw >= self.args.clawbacks * 4 {
            return Ok(());
        }
        let Some(&run) = self.cal.runs.get(k) else {
            return Ok(());
        };
        // A week's benefit or so, in whole pounds.
        let amount = (t.weekly + Decimal::from(draw % 40)).round();
        self.w
            .schedules
            .write([batch, &t.account_ref, &plain(-amount), "", ""])?;
        self.run_totals[k] -= amount;
        if draw % 4 == 0 {
            self.unposted_clawbacks.push((k, t.account_ref.clone()));
        } else {
            self.txn_for(
                run,
                "charge",
                amount,
                ["", batch, &t.account_ref, "hb_overpayment"],
            )?;
            t.posted += amount;
            t.corrected += amount;
        }
        Ok(())
    }

    /// The tenant's payment for the charge due on `due`, and how it was
    /// posted: rightly, or with the account's plant where `at_plant`.
    fn receipt(&mut self, t: &mut Tenancy, due: NaiveDate, at_plant: bool) -> Result<()> {
        let paid = due + Days::new(self.rng.below(2));
        if paid > self.cal.end {
            return Ok(());
        }
        let here = t.plant != Plant::None && at_plant;
        let shape = self.posting_shape(t, due);
        if shape == Posting::Combined && self.combined_posting(t, paid)? {
            return Ok(());
        }
        let unreadable = here && t.plant == Plant::Unidentified;
        let by_name = here && t.plant == Plant::SuspenseByName;
        let paid_by = match (&t.conflict_payer, here) {
            (Some((_, other)), true) => other.to_uppercase(),
            _ if unreadable => "UNKNOWN PAYER".to_string(),
            _ => t.payer.clone(),
        };
        let reference = if unreadable || by_name {
            "RENT"
        } else {
            t.reference.as_str()
        };
        let bank_id = self.bank_line([
            &paid.to_string(),
            &plain(t.rent),
            reference,
            &paid_by,
            t.method,
            "",
            "",
        ])?;
        t.corrected -= t.rent;
        let with_ref = self.rng.chance(600);
        // Posted by the last day, so nothing is left in transit.
        let post_on = (paid + Days::new(self.rng.below(2))).min(self.cal.end);
        let p = Paid {
            bank_id,
            paid,
            post_on,
            with_ref,
            here,
            shape,
        };
        if here && self.planted_receipt(t, &p)? {
            return Ok(());
        }
        self.posted_receipt(t, &p)
    }

    /// A planted receipt, where the plant is about one: returns whether it
    /// was (else the receipt is posted as usual).
    fn planted_receipt(&mut self, t: &mut Tenancy, p: &Paid) -> Result<bool> {
        let rent = t.rent;
        let bank_ref = if p.with_ref { p.bank_id.as_str() } else { "" };
        match t.plant {
            Plant::WrongAccount => {
                // Posted to the next account, whose rent differs.
                let other = account_ref_of(t.i + 1);
                let txn = self.txn(p.post_on, "payment", -rent, t.method, bank_ref, &other)?;
                self.moved.push((t.i + 1, rent));
                // Money moves between accounts only where something besides
                // amount and date ties it there; otherwise the receipt is
                // unposted and the credit unbanked.
                let slip = identify::one_edit_apart(&t.reference, &other)
                    || identify::one_edit_apart(&t.reference, &mandate_of(t.i + 1));
                if p.with_ref || slip || identify::names_match(&t.payer, &self.names[t.i + 1]) {
                    self.planted(t, p, "wrong_account", &other, vec![txn], -rent);
                } else {
                    self.planted(t, p, "unposted_receipt", "", vec![], -rent);
                    self.truth
                        .findings
                        .push(Planted::unbanked(&other, txn, rent));
                }
            }
            Plant::Unposted => self.planted(t, p, "unposted_receipt", "", vec![], -rent),
            Plant::Unidentified => {
                // Nobody can say whose it is, so no balance is corrected.
                t.corrected += rent;
                self.planted(t, p, "unidentified_receipt", "", vec![], -rent);
            }
            Plant::SuspenseByName => {
                // In suspense, and so every tenant the payer's name fits is
                // held until it is traced.
                t.corrected += rent;
                self.planted(t, p, "unidentified_receipt", "", vec![], -rent);
                for j in self.people.fitting(&t.payer) {
                    self.truth.holds.push(HoldTruth {
                        account_ref: account_ref_of(j),
                        reason: "receipt_in_suspense",
                    });
                }
            }
            Plant::AmountMismatch => {
                let keyed = rent * Decimal::from(10);
                let txn = self.txn(
                    p.post_on,
                    "payment",
                    -keyed,
                    t.method,
                    &p.bank_id,
                    &t.account_ref,
                )?;
                t.posted -= keyed;
                self.planted(t, p, "amount_mismatch", "", vec![txn], keyed - rent);
            }
            Plant::Duplicate => {
                let (on, method) = (p.post_on, t.method);
                let t1 = self.txn(on, "payment", -rent, method, &p.bank_id, &t.account_ref)?;
                let t2 = self.txn(on, "payment", -rent, method, "", &t.account_ref)?;
                t.posted -= rent * Decimal::from(2);
                self.planted(t, p, "duplicate_posting", "", vec![t1, t2], rent);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A finding planted on receipt `p` of tenancy `t`.
    fn planted(
        &mut self,
        t: &Tenancy,
        p: &Paid,
        kind: &'static str,
        posted_to: &str,
        txn_ids: Vec<String>,
        amount: Decimal,
    ) {
        self.truth.findings.push(Planted {
            kind,
            account_ref: if kind == "unidentified_receipt" {
                String::new()
            } else {
                t.account_ref.clone()
            },
            posted_to: posted_to.to_string(),
            bank_id: p.bank_id.clone(),
            txn_ids,
            amount: plain(amount),
        });
    }

    /// A receipt posted to its own account (late, where that is the plant),
    /// and a Direct Debit perhaps returned a week on.
    fn posted_receipt(&mut self, t: &mut Tenancy, p: &Paid) -> Result<()> {
        let end = self.cal.end;
        let late = p.here && t.plant == Plant::Late && p.paid + Days::new(9) <= end;
        let on = if late {
            p.paid + Days::new(9)
        } else {
            p.post_on
        };
        if p.shape == Posting::Split && !late {
            return self.split_posting(t, p);
        }
        let bank_ref = if p.with_ref { p.bank_id.as_str() } else { "" };
        let txn = self.txn(on, "payment", -t.rent, t.method, bank_ref, &t.account_ref)?;
        let returned_on = p.paid + Days::new(7);
        // A return on a case's account would be a missed instalment.
        let unreversed = if t.channel == 0
            && !p.here
            && !t.case.moves_money()
            && self.returns
            && returned_on <= end
            && self.rng.chance(self.args.dd_returns)
        {
            self.dd_return(t, p, returned_on)?
        } else {
            None
        };
        t.posted -= t.rent;
        if late {
            self.planted(t, p, "late_posting", "", vec![txn], Decimal::ZERO);
        }
        self.truth.findings.extend(unreversed);
        Ok(())
    }

    /// A Direct Debit returned on `on`: reversed on the ledger by the
    /// return's id (and perhaps collected again three days on), or (one in
    /// ten) not, which is the finding returned.
    fn dd_return(&mut self, t: &mut Tenancy, p: &Paid, on: NaiveDate) -> Result<Option<Planted>> {
        let rent = t.rent;
        let return_id = self.bank_line([
            &on.to_string(),
            &plain(-rent),
            &t.reference,
            &t.payer,
            "dd_return",
            "0",
            &p.bank_id,
        ])?;
        t.corrected += rent;
        if !self.rng.chance(900) {
            return Ok(Some(Planted {
                kind: "unreversed_return",
                account_ref: t.account_ref.clone(),
                posted_to: String::new(),
                bank_id: return_id,
                txn_ids: Vec::new(),
                amount: plain(rent),
            }));
        }
        self.txn(on, "reversal", rent, t.method, &return_id, &t.account_ref)?;
        t.posted += rent;
        let again = on + Days::new(3);
        if again <= self.cal.end && self.rng.chance(self.args.represent) {
            self.bank_line([
                &again.to_string(),
                &plain(rent),
                &t.reference,
                &t.payer,
                t.method,
                "",
                "",
            ])?;
            self.txn(again, "payment", -rent, t.method, "", &t.account_ref)?;
            t.posted -= rent;
            t.corrected -= rent;
        }
        Ok(None)
    }

    /// Money out and credits that move no money, as every landlord's ledger
    /// has: refunds (by bank id, or by account and amount) and small
    /// balances written off. Amounts are the account's own.
    fn money_out(&mut self, t: &mut Tenancy) -> Result<()> {
        // First, so that a refund is judged against all the account owes:
        // court costs or a repair recharged, owed but not rent.
        if self.rng.chance(self.args.sundry) {
            let (what, amount) = if t.i % 2 == 0 {
                ("court_costs", Decimal::new(35_500, 2))
            } else {
                (
                    "recharge",
                    Decimal::new(6_000 + (t.i as i64 * 11) % 20_000, 2),
                )
            };
            let on = (self.cal.start + Days::new(20 + self.rng.below(40))).min(self.cal.end);
            self.txn_for(on, "charge", amount, ["", "", &t.account_ref, what])?;
            t.posted += amount;
            t.corrected += amount;
        }
        let own = Decimal::new(2_500 + (t.i as i64 * 7) % 2_000, 2);
        for m in 0..self.args.months {
            let (start, end) = (self.cal.start, self.cal.end);
            let rng = &mut self.rng;
            let Some(on) = start
                .checked_add_months(Months::new(m))
                .map(|d| d + Days::new(12 + rng.below(10)))
                .filter(|d| *d <= end)
            else {
                continue;
            };
            if self.rng.chance(self.args.refunds) {
                self.overpay_before(t, on, own)?;
                let refund_id = self.bank_line([
                    &on.to_string(),
                    &plain(-own),
                    &format!("REFUND {}", t.account_ref),
                    &t.payer,
                    "bank_transfer",
                    "",
                    "",
                ])?;
                let by_id = if self.rng.chance(500) {
                    refund_id.as_str()
                } else {
                    ""
                };
                self.txn(on, "refund", own, "bank_transfer", by_id, &t.account_ref)?;
                t.posted += own;
                t.corrected += own;
            }
        }
        if self.rng.chance(self.args.write_offs) {
            let small = Decimal::new(1 + (t.i as i64 * 13) % 499, 2);
            self.txn(self.cal.end, "writeoff", -small, "", "", &t.account_ref)?;
            t.posted -= small;
            t.corrected -= small;
        }
        Ok(())
    }

    /// The credit the account holds on `on` before that day's debits
    /// (negative: what it owes).
    fn credit_held(&self, on: NaiveDate) -> Decimal {
        let owed: Decimal = (self.own_postings.iter())
            .filter(|(d, a)| *d < on || (*d == on && *a < Decimal::ZERO))
            .map(|(_, a)| *a)
            .sum();
        -owed
    }

    /// A payment beyond what is owed, two days before a refund of `amount`,
    /// where the account does not already hold that much in credit: a
    /// refund of more than the credit is an error of its own kind.
    fn overpay_before(&mut self, t: &mut Tenancy, on: NaiveDate, amount: Decimal) -> Result<()> {
        let short = amount - self.credit_held(on);
        if short <= Decimal::ZERO {
            return Ok(());
        }
        let paid = on - Days::new(2);
        let bank_id = self.bank_line([
            &paid.to_string(),
            &plain(short),
            &t.reference,
            &t.payer,
            "bank_transfer",
            "",
            "",
        ])?;
        self.txn(
            paid,
            "payment",
            -short,
            "bank_transfer",
            &bank_id,
            &t.account_ref,
        )?;
        t.posted -= short;
        t.corrected -= short;
        Ok(())
    }

    /// Plants about no one receipt: a cash credit with no money behind it,
    /// and a payer conflict's holds.
    fn last_plants(&mut self, t: &mut Tenancy) -> Result<()> {
        if t.plant == Plant::Unbanked {
            // Of an amount no receipt has.
            let amount = Decimal::new(1_337 + t.i as i64 % 500, 2);
            let on = self.cal.start + Days::new(10 + self.rng.below(20));
            let txn = self.txn(on, "payment", -amount, "cash", "", &t.account_ref)?;
            t.posted -= amount;
            self.truth
                .findings
                .push(Planted::unbanked(&t.account_ref, txn, amount));
        }
        if let Some((j, _)) = &t.conflict_payer {
            for on in [t.account_ref.clone(), account_ref_of(*j)] {
                self.truth.holds.push(HoldTruth {
                    account_ref: on,
                    reason: "payer_conflict",
                });
            }
        }
        Ok(())
    }

    /// The bulk benefit lines, the balances money moved onto, and
    /// truth.json.
    fn finish(mut self, dir: &Path) -> Result<()> {
        // A wrong-account posting moves money onto the next account's ledger.
        for (to, amount) in std::mem::take(&mut self.moved) {
            if let Some(b) = self.truth.balances.get_mut(to) {
                let posted: Decimal = b.posted_balance.parse().unwrap_or_default();
                b.posted_balance = plain(posted - amount);
            }
        }
        for k in 0..self.cal.runs.len() {
            if !self.run_totals[k].is_zero() {
                let batch = format!("HB-{:04}", k + 1);
                let (run, total) = (self.cal.runs[k], self.run_totals[k]);
                let bank_id = self.bank_line([
                    &run.to_string(),
                    &plain(total),
                    &batch,
                    "COUNCIL HB",
                    "hb",
                    "",
                    "",
                ])?;
                for (_, account_ref) in self.unposted_clawbacks.iter().filter(|(r, _)| *r == k) {
                    self.truth.findings.push(Planted {
                        kind: "unposted_clawback",
                        account_ref: account_ref.clone(),
                        posted_to: String::new(),
                        bank_id: bank_id.clone(),
                        txn_ids: Vec::new(),
                        amount: "0.00".to_string(),
                    });
                }
            }
        }
        self.w.finish()?;
        self.truth.holds.sort();
        self.truth.holds.dedup();
        let path = dir.join("truth.json");
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        serde_json::to_writer_pretty(BufWriter::new(file), &self.truth)?;
        Ok(())
    }
}
