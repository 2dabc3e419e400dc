//! `rent-audit generate`: a deterministic synthetic landlord in the contract's
//! shape, with planted errors and `truth.json` naming each one and every
//! account's balances. Streamed account by account: only the bulk benefit
//! runs' totals are held, so 125,000 accounts x 12 months need little memory.
//! Each account carries at most one planted error, of a kind and shape that
//! has one right reading, so the truth is an exact oracle.

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

mod people;
mod sink;
mod truth;

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
    // Its files bear the contract's names: a landlord's real data in the
    // folder would be overwritten.
    let holds_files = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    anyhow::ensure!(
        args.force || !holds_files,
        "{} is not empty: generate would overwrite its files (a landlord's inputs, perhaps); name a new or \
         empty folder, or pass --force",
        args.out.display()
    );
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let dir = args.out.as_path();
    let profile = crate::cmd::profile(&args.profile)?;
    let section = |file: SourceFile| profile.as_ref().and_then(|p| p.section(file));
    let mut w = Writers {
        accounts: Sink::new(
            dir,
            SourceFile::Accounts,
            &[
                "account_ref",
                "tenant_name",
                "tenancy_type",
                "rent_period",
                "rent",
                "opening_date",
                "opening_balance",
                "payment_refs",
                "benefit",
            ],
            section(SourceFile::Accounts),
        )?,
        ledger: Sink::new(
            dir,
            SourceFile::Ledger,
            &[
                "txn_id",
                "account_ref",
                "date",
                "kind",
                "debit",
                "credit",
                "method",
                "bank_ref",
                "description",
            ],
            section(SourceFile::Ledger),
        )?,
        bank: Sink::new(
            dir,
            SourceFile::Bank,
            &[
                "bank_id",
                "date",
                "amount",
                "reference",
                "payer",
                "method",
                "return_code",
                "returned_bank_id",
            ],
            section(SourceFile::Bank),
        )?,
        schedules: Sink::new(
            dir,
            SourceFile::Schedules,
            &[
                "batch_ref",
                "account_ref",
                "amount",
                "period_start",
                "period_end",
            ],
            section(SourceFile::Schedules),
        )?,
    };
    let start = args.start;
    let end = start
        .checked_add_months(Months::new(args.months))
        .and_then(|d| d.pred_opt())
        .context("--months is too far ahead")?;
    // Housing Benefit runs every 28 days from the first Monday, in arrears.
    let first_monday =
        start + Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7));
    let runs: Vec<NaiveDate> = (1..)
        .map(|k| first_monday + Days::new(28 * k))
        .take_while(|d| *d <= end)
        .collect();
    let mut run_totals = vec![Decimal::ZERO; runs.len()];
    let mut truth = Truth {
        seed: args.seed,
        accounts: args.accounts,
        months: args.months,
        as_at: end.to_string(),
        findings: Vec::new(),
        balances: Vec::with_capacity(args.accounts),
        holds: Vec::new(),
    };
    let mut rng = Rng(args.seed);
    let mut planted_rents = std::collections::HashSet::new();
    let (mut bank_n, mut txn_n) = (0u64, 0u64);
    let names = tenant_names(args.seed, args.accounts);
    // A shaped export may not carry a return's columns.
    let returns = args.profile.is_empty() && args.dd_returns > 0;
    let people = People::of(&names);
    let mut moved: Vec<(String, Decimal)> = Vec::new();
    let mut landed_on: Option<usize> = None;

    for i in 0..args.accounts {
        let account_ref = account_ref_of(i);
        let name = &names[i];
        let payer = name.to_uppercase();
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
        // One plant per rent amount: two plants on accounts paying the same
        // rent could be read either way round, and the truth must be exact.
        let plant = match rng.below(100) {
            0..=2 if i + 1 < args.accounts && !hb => Plant::WrongAccount,
            3..=4 if !hb => Plant::Unposted,
            5 if !hb => Plant::Unidentified,
            6..=7 if !hb => Plant::AmountMismatch,
            8..=9 if !hb => Plant::Duplicate,
            10 => Plant::Unbanked,
            11..=12 if monthly => Plant::Late,
            13 if !hb => Plant::SuspenseByName,
            14 if !hb => Plant::PayerConflict,
            15..=34 if hb => Plant::NewClaim,
            35..=54 if hb && runs.len() >= 2 => Plant::StoppedBenefit,
            _ => Plant::None,
        };
        // Nor a plant on the account a wrong-account posting lands on: its
        // own unposted receipt beside the stray credit reads as a mis-keyed
        // amount just as well.
        let plant = if plant != Plant::None && (landed_on == Some(i) || !planted_rents.insert(rent))
        {
            Plant::None
        } else {
            plant
        };
        if plant == Plant::WrongAccount {
            landed_on = Some(i + 1);
        }
        let conflict_payer = match plant {
            Plant::PayerConflict => people.other_tenant(i),
            _ => None,
        };
        let plant = match (plant, &conflict_payer) {
            (Plant::PayerConflict, None) => Plant::None,
            _ => plant,
        };
        // A new claim's tenancy began on a Monday three weeks before the end.
        let opening = match plant {
            Plant::NewClaim => first_monday.max(end - Days::new(20)),
            _ => start,
        };
        let mandate = mandate_of(i);
        let channel = rng.below(3); // 0 DD, 1 standing order, 2 card
        let method = ["dd", "standing_order", "card"][channel as usize];
        let reference = if channel == 0 {
            mandate.clone()
        } else {
            account_ref.clone()
        };
        w.accounts.write([
            account_ref.as_str(),
            name,
            "assured",
            if monthly { "monthly" } else { "weekly" },
            &plain(rent),
            &opening.to_string(),
            "0.00",
            &mandate,
            if hb { "hb" } else { "none" },
        ])?;
        let mut posted = Decimal::ZERO;
        let mut corrected = Decimal::ZERO;
        let mut next_txn = |w: &mut Writers,
                            date: NaiveDate,
                            kind: &str,
                            amount: Decimal,
                            method: &str,
                            bank_ref: &str,
                            on: &str|
         -> Result<String> {
            txn_n += 1;
            let id = w.ledger.id(format!("T{txn_n:09}"));
            // Signed as a debit, as in the model: a credit is negative.
            let money = |d: Decimal| {
                if d > Decimal::ZERO {
                    plain(d)
                } else {
                    String::new()
                }
            };
            w.ledger.write([
                id.as_str(),
                on,
                &date.to_string(),
                kind,
                &money(amount),
                &money(-amount),
                method,
                bank_ref,
                "",
            ])?;
            Ok(id)
        };
        // Charges: Mondays (weekly) or the 1st (monthly).
        let dues: Vec<NaiveDate> = if monthly {
            (0..args.months)
                .filter_map(|m| start.checked_add_months(Months::new(m)))
                .collect()
        } else {
            (0..)
                .map(|k| first_monday + Days::new(7 * k))
                .take_while(|d| *d <= end)
                .filter(|d| *d >= opening)
                .collect()
        };
        for d in &dues {
            next_txn(&mut w, *d, "charge", rent, "", "", &account_ref)?;
            posted += rent;
            corrected += rent;
        }
        if hb {
            // Benefit pays the whole rent, 4-weekly in arrears, by schedule
            // (from the claim's start; a stopped claim is paid once).
            let paid_runs = match plant {
                Plant::NewClaim => 0,
                Plant::StoppedBenefit => 1,
                _ => runs.len(),
            };
            if let Some(reason) = benefit_hold(opening, runs.get(..paid_runs).unwrap_or(&[]), end) {
                truth.holds.push(HoldTruth {
                    account_ref: account_ref.clone(),
                    reason,
                });
            }
            for (k, run) in runs.iter().enumerate().take(paid_runs) {
                let amount = weekly * Decimal::from(4);
                let batch = format!("HB-{:04}", k + 1);
                let (from, to) = (*run - Days::new(28), *run - Days::new(1));
                w.schedules.write([
                    batch.as_str(),
                    &account_ref,
                    &plain(amount),
                    &from.to_string(),
                    &to.to_string(),
                ])?;
                run_totals[k] += amount;
                next_txn(&mut w, *run, "benefit", -amount, "hb", &batch, &account_ref)?;
                posted -= amount;
                corrected -= amount;
            }
        } else {
            let plant_at = dues.len() / 2;
            for (k, d) in dues.iter().enumerate() {
                let paid = *d + Days::new(rng.below(2));
                if paid > end {
                    continue;
                }
                bank_n += 1;
                let bank_id = w.bank.id(format!("B{bank_n:09}"));
                let here = plant != Plant::None && k == plant_at;
                let unreadable = here && plant == Plant::Unidentified;
                let by_name = here && plant == Plant::SuspenseByName;
                let paid_by = match (&conflict_payer, here) {
                    (Some((_, other)), true) => other.to_uppercase(),
                    _ if unreadable => "UNKNOWN PAYER".to_string(),
                    _ => payer.clone(),
                };
                w.bank.write([
                    bank_id.as_str(),
                    &paid.to_string(),
                    &plain(rent),
                    if unreadable || by_name {
                        "RENT"
                    } else {
                        reference.as_str()
                    },
                    paid_by.as_str(),
                    method,
                    "",
                    "",
                ])?;
                corrected -= rent;
                let with_ref = rng.chance(600);
                // Posted by the last day, so nothing is left in transit.
                let post_on = (paid + Days::new(rng.below(2))).min(end);
                let bank_ref = if with_ref { bank_id.as_str() } else { "" };
                let mut unreversed: Option<Planted> = None;
                let mut plant_finding =
                    |kind: &'static str, posted_to: &str, txn_ids: Vec<String>, amount: Decimal| {
                        truth.findings.push(Planted {
                            kind,
                            account_ref: if kind == "unidentified_receipt" {
                                String::new()
                            } else {
                                account_ref.clone()
                            },
                            posted_to: posted_to.to_string(),
                            bank_id: bank_id.clone(),
                            txn_ids,
                            amount: plain(amount),
                        });
                    };
                match (here, plant) {
                    (true, Plant::WrongAccount) => {
                        // Posted to the next account, whose rent differs.
                        let other = account_ref_of(i + 1);
                        let t =
                            next_txn(&mut w, post_on, "payment", -rent, method, bank_ref, &other)?;
                        moved.push((other.clone(), rent));
                        // Money moves between accounts only where something
                        // besides amount and date ties it there; otherwise
                        // the receipt is unposted and the credit unbanked.
                        let slip = identify::one_edit_apart(&reference, &other)
                            || identify::one_edit_apart(&reference, &mandate_of(i + 1));
                        if with_ref || slip || identify::names_match(&payer, &names[i + 1]) {
                            plant_finding("wrong_account", &other, vec![t], -rent);
                        } else {
                            plant_finding("unposted_receipt", "", vec![], -rent);
                            truth.findings.push(Planted::unbanked(&other, t, rent));
                        }
                    }
                    (true, Plant::Unposted) => plant_finding("unposted_receipt", "", vec![], -rent),
                    (true, Plant::Unidentified) => {
                        // Nobody can say whose it is, so no balance is corrected.
                        corrected += rent;
                        plant_finding("unidentified_receipt", "", vec![], -rent);
                    }
                    (true, Plant::SuspenseByName) => {
                        // In suspense, and so every tenant the payer's name
                        // fits is held until it is traced.
                        corrected += rent;
                        plant_finding("unidentified_receipt", "", vec![], -rent);
                        for j in people.fitting(&payer) {
                            truth.holds.push(HoldTruth {
                                account_ref: account_ref_of(j),
                                reason: "receipt_in_suspense",
                            });
                        }
                    }
                    (true, Plant::AmountMismatch) => {
                        let keyed = rent * Decimal::from(10);
                        let t = next_txn(
                            &mut w,
                            post_on,
                            "payment",
                            -keyed,
                            method,
                            &bank_id,
                            &account_ref,
                        )?;
                        posted -= keyed;
                        plant_finding("amount_mismatch", "", vec![t], keyed - rent);
                    }
                    (true, Plant::Duplicate) => {
                        let t1 = next_txn(
                            &mut w,
                            post_on,
                            "payment",
                            -rent,
                            method,
                            &bank_id,
                            &account_ref,
                        )?;
                        let t2 =
                            next_txn(&mut w, post_on, "payment", -rent, method, "", &account_ref)?;
                        posted -= rent * Decimal::from(2);
                        plant_finding("duplicate_posting", "", vec![t1, t2], rent);
                    }
                    _ => {
                        let late = here && plant == Plant::Late && paid + Days::new(9) <= end;
                        let on = if late { paid + Days::new(9) } else { post_on };
                        let t =
                            next_txn(&mut w, on, "payment", -rent, method, bank_ref, &account_ref)?;
                        // A Direct Debit returned a week on: reversed on the
                        // ledger by the return's id, or (one in ten) not.
                        let returned_on = paid + Days::new(7);
                        if channel == 0
                            && !here
                            && returns
                            && returned_on <= end
                            && rng.chance(args.dd_returns)
                        {
                            bank_n += 1;
                            let return_id = w.bank.id(format!("B{bank_n:09}"));
                            w.bank.write([
                                return_id.as_str(),
                                &returned_on.to_string(),
                                &plain(-rent),
                                reference.as_str(),
                                payer.as_str(),
                                "dd_return",
                                "0",
                                bank_id.as_str(),
                            ])?;
                            corrected += rent;
                            if rng.chance(900) {
                                next_txn(
                                    &mut w,
                                    returned_on,
                                    "reversal",
                                    rent,
                                    method,
                                    &return_id,
                                    &account_ref,
                                )?;
                                posted += rent;
                                // Collected again three days on, and posted.
                                let again = returned_on + Days::new(3);
                                if again <= end && rng.chance(args.represent) {
                                    bank_n += 1;
                                    let again_id = w.bank.id(format!("B{bank_n:09}"));
                                    w.bank.write([
                                        again_id.as_str(),
                                        &again.to_string(),
                                        &plain(rent),
                                        reference.as_str(),
                                        payer.as_str(),
                                        method,
                                        "",
                                        "",
                                    ])?;
                                    next_txn(
                                        &mut w,
                                        again,
                                        "payment",
                                        -rent,
                                        method,
                                        "",
                                        &account_ref,
                                    )?;
                                    posted -= rent;
                                    corrected -= rent;
                                }
                            } else {
                                unreversed = Some(Planted {
                                    kind: "unreversed_return",
                                    account_ref: account_ref.clone(),
                                    posted_to: String::new(),
                                    bank_id: return_id.clone(),
                                    txn_ids: Vec::new(),
                                    amount: plain(rent),
                                });
                            }
                        }
                        posted -= rent;
                        if late {
                            plant_finding("late_posting", "", vec![t], Decimal::ZERO);
                        }
                    }
                }
                truth.findings.extend(unreversed);
            }
        }
        if args.profile.is_empty() {
            // Money out and credits that move no money, as every landlord's
            // ledger has: refunds (by bank id, or by account and amount) and
            // small balances written off. Amounts are the account's own.
            let own = Decimal::new(2_500 + (i as i64 * 7) % 2_000, 2);
            for m in 0..args.months {
                let Some(on) = start
                    .checked_add_months(Months::new(m))
                    .map(|d| d + Days::new(12 + rng.below(10)))
                    .filter(|d| *d <= end)
                else {
                    continue;
                };
                if rng.chance(args.refunds) {
                    bank_n += 1;
                    let refund_id = w.bank.id(format!("B{bank_n:09}"));
                    w.bank.write([
                        refund_id.as_str(),
                        &on.to_string(),
                        &plain(-own),
                        &format!("REFUND {account_ref}"),
                        payer.as_str(),
                        "bank_transfer",
                        "",
                        "",
                    ])?;
                    let by_id = if rng.chance(500) {
                        refund_id.as_str()
                    } else {
                        ""
                    };
                    next_txn(
                        &mut w,
                        on,
                        "refund",
                        own,
                        "bank_transfer",
                        by_id,
                        &account_ref,
                    )?;
                    posted += own;
                    corrected += own;
                }
            }
            if rng.chance(args.write_offs) {
                let small = Decimal::new(1 + (i as i64 * 13) % 499, 2);
                next_txn(&mut w, end, "writeoff", -small, "", "", &account_ref)?;
                posted -= small;
                corrected -= small;
            }
        }
        if plant == Plant::Unbanked {
            // A cash credit with no money behind it, of an amount no receipt has.
            let amount = Decimal::new(1_337 + i as i64 % 500, 2);
            let on = start + Days::new(10 + rng.below(20));
            let t = next_txn(&mut w, on, "payment", -amount, "cash", "", &account_ref)?;
            posted -= amount;
            truth
                .findings
                .push(Planted::unbanked(&account_ref, t, amount));
        }
        if let Some((j, _)) = conflict_payer {
            for on in [account_ref.clone(), account_ref_of(j)] {
                truth.holds.push(HoldTruth {
                    account_ref: on,
                    reason: "payer_conflict",
                });
            }
        }
        truth.balances.push(AccountTruth {
            account_ref,
            posted_balance: plain(posted),
            corrected_balance: plain(corrected),
        });
    }
    // A wrong-account posting moves money onto the next account's ledger.
    for (to, amount) in moved {
        if let Some(b) = truth.balances.iter_mut().find(|b| b.account_ref == to) {
            let posted: Decimal = b.posted_balance.parse().unwrap_or_default();
            b.posted_balance = plain(posted - amount);
        }
    }
    for (k, run) in runs.iter().enumerate() {
        if !run_totals[k].is_zero() {
            bank_n += 1;
            let batch = format!("HB-{:04}", k + 1);
            w.bank.write([
                w.bank.id(format!("B{bank_n:09}")).as_str(),
                &run.to_string(),
                &plain(run_totals[k]),
                &batch,
                "COUNCIL HB",
                "hb",
                "",
                "",
            ])?;
        }
    }
    for sink in [
        &mut w.accounts,
        &mut w.ledger,
        &mut w.bank,
        &mut w.schedules,
    ] {
        sink.finish()?;
    }
    truth.holds.sort();
    truth.holds.dedup();
    let path = dir.join("truth.json");
    let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    serde_json::to_writer_pretty(BufWriter::new(file), &truth)?;
    Ok(0)
}
