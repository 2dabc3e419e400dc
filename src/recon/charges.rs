//! Charges: the rent each account should have been charged (from its rent,
//! period and dates) against the charges the ledger holds. Periods with no
//! charge are `missing_charges`; a charge that is not the rent, a second
//! charge for one period, or a lump back-charge covering several periods is
//! `irregular_charge`, with what it covers.

use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::finding::{Finding, FindingKind, Severity};
use super::model::{day_number, Account, AccountId, AccountPostings, Dataset, RentPeriod};
use super::money::pounds;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChargeOptions {
    pub as_at: NaiveDate,
    /// Weeks (any day in them) in which no rent is charged, such as the two
    /// rent-free weeks some landlords give at Christmas.
    pub rent_free_weeks: Vec<NaiveDate>,
}

/// A charge amount seen this often on one account is a rent the account was
/// really charged (last year's, before an increase), not an irregular one.
const USUAL_CHARGE_COUNT: usize = 3;

fn step_days(period: RentPeriod) -> Option<u64> {
    match period {
        RentPeriod::Weekly => Some(7),
        RentPeriod::Fortnightly => Some(14),
        RentPeriod::FourWeekly => Some(28),
        RentPeriod::Monthly => None,
    }
}

/// How far from its due date a charge may be and still be that period's.
fn tolerance(period: RentPeriod) -> i64 {
    match period {
        RentPeriod::Weekly => 3,
        RentPeriod::Fortnightly => 6,
        RentPeriod::FourWeekly | RentPeriod::Monthly => 10,
    }
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// `day` of the month of `d`, or the month's last day if it is shorter.
fn day_in_month(d: NaiveDate, day: u32) -> NaiveDate {
    (1..=day.min(31))
        .rev()
        .find_map(|n| NaiveDate::from_ymd_opt(d.year(), d.month(), n))
        .unwrap_or(d)
}

/// The dates rent falls due between `from` and `to` (inclusive), anchored
/// on `anchor` (a date it is known to fall due). Weekly rents due on Mondays
/// give 53 charges in a 53-Monday year without special handling.
pub fn due_dates(
    period: RentPeriod,
    anchor: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    match step_days(period) {
        Some(step) => {
            // Step back from the anchor to the first due date on or after `from`.
            let mut d = anchor;
            while d > from {
                match d.checked_sub_days(Days::new(step)) {
                    Some(prev) => d = prev,
                    None => break,
                }
            }
            while d < from {
                d = d + Days::new(step);
            }
            while d <= to {
                out.push(d);
                d = d + Days::new(step);
            }
        }
        None => {
            let day = anchor.day();
            let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
            while month <= to {
                let due = day_in_month(month, day);
                if due >= from && due <= to {
                    out.push(due);
                }
                month = month
                    .checked_add_months(Months::new(1))
                    .unwrap_or(NaiveDate::MAX);
            }
        }
    }
    out
}

/// What one ledger charge turned out to be.
enum Charge {
    /// Covers one due date.
    Regular,
    /// Covers these due dates at once.
    Lump(Vec<NaiveDate>),
    /// A second charge for a period already charged.
    Double(NaiveDate),
    /// Not the rent (nor a rent the account usually pays).
    Odd,
}

/// Checks every account's charges. `from` is the first date the ledger
/// covers (an extract may start long after accounts opened).
pub fn check(
    data: &Dataset,
    ledger: &AccountPostings,
    opts: &ChargeOptions,
    from: NaiveDate,
) -> Vec<Finding> {
    let rent_free: Vec<NaiveDate> = opts.rent_free_weeks.iter().map(|&d| monday_of(d)).collect();
    // Accounts are independent: checked in parallel, collected in account
    // order.
    (0..data.accounts.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            let charges: Vec<usize> = ledger
                .of(a as AccountId)
                .iter()
                .map(|&p| p as usize)
                .filter(|&p| data.postings[p].is_charge_by(opts.as_at))
                .collect();
            check_account(data, a as AccountId, &charges, opts.as_at, from, &rent_free)
        })
        .collect()
}

fn check_account(
    data: &Dataset,
    id: AccountId,
    charges: &[usize],
    as_at: NaiveDate,
    ledger_from: NaiveDate,
    rent_free: &[NaiveDate],
) -> Vec<Finding> {
    let account = data.account(id);
    let rent = account.rent;
    let amount_of = |p: usize| data.postings[p].amount();
    // How often each amount is charged, counted once and only if a charge
    // other than the rent asks.
    let counts = std::cell::OnceCell::new();
    let usual = |amount: Decimal| {
        amount == rent || {
            let counts = counts.get_or_init(|| {
                let mut counts: FxHashMap<Decimal, usize> = FxHashMap::default();
                for &q in charges {
                    *counts.entry(amount_of(q)).or_default() += 1;
                }
                counts
            });
            counts.get(&amount).copied().unwrap_or(0) >= USUAL_CHARGE_COUNT
        }
    };
    let anchor = charges
        .iter()
        .find(|&&p| amount_of(p) == rent)
        .map(|&p| data.postings[p].date)
        .unwrap_or_else(|| match account.rent_period {
            RentPeriod::Monthly => account.opening_date,
            _ => first_monday_on_or_after(account),
        });
    let from = account.opening_date.max(ledger_from);
    let mut due: Vec<(NaiveDate, bool)> = due_dates(account.rent_period, anchor, from, as_at)
        .into_iter()
        .filter(|d| !rent_free.contains(&monday_of(*d)))
        .map(|d| (d, false))
        .collect();
    let tol = tolerance(account.rent_period);
    let day = |d: NaiveDate| i64::from(day_number(d));
    // Due dates ascend, so those within `tol` days of a date are one run:
    // found by bisection, not by a scan of the year per charge.
    let near = |due: &[(NaiveDate, bool)], on: NaiveDate| {
        let days = Days::new(tol.unsigned_abs());
        let first = on.checked_sub_days(days).unwrap_or(NaiveDate::MIN);
        let last = on.checked_add_days(days).unwrap_or(NaiveDate::MAX);
        let lo = due.partition_point(|(d, _)| *d < first);
        let hi = due.partition_point(|(d, _)| *d <= last);
        lo..hi
    };
    let nearest_free = |due: &[(NaiveDate, bool)], on: NaiveDate| {
        let window = near(due, on);
        let start = window.start;
        due[window]
            .iter()
            .enumerate()
            .filter(|(_, (_, covered))| !covered)
            .min_by_key(|(_, (d, _))| ((day(*d) - day(on)).abs(), *d))
            .map(|(i, _)| start + i)
    };

    let mut findings = Vec::new();
    for &p in charges {
        let posting = &data.postings[p];
        let amount = posting.amount();
        // Worked out only for a charge that is not the rent: a division per
        // charge was a third of checking charges.
        let whole_periods = || (amount / rent).normalize();
        let kind = if usual(amount) {
            match nearest_free(&due, posting.date) {
                Some(i) => {
                    due[i].1 = true;
                    Charge::Regular
                }
                None if !near(&due, posting.date).is_empty() => Charge::Double(posting.date),
                // Outside any due date we know of (before the ledger starts, say).
                None => Charge::Regular,
            }
        } else if let Some(k) = Some(whole_periods())
            .filter(|w| w.fract().is_zero() && *w > Decimal::ONE)
            .and_then(|w| w.to_string().parse::<usize>().ok())
        {
            // A lump: the most recent uncovered due dates up to this charge.
            let covered: Vec<usize> = (0..near(&due, posting.date).end)
                .filter(|&i| !due[i].1)
                .rev()
                .take(k)
                .collect();
            let mut dates: Vec<NaiveDate> = covered.iter().map(|&i| due[i].0).collect();
            for &i in &covered {
                due[i].1 = true;
            }
            dates.sort();
            Charge::Lump(dates)
        } else {
            if let Some(i) = nearest_free(&due, posting.date) {
                due[i].1 = true;
            }
            Charge::Odd
        };
        let detail = match &kind {
            Charge::Regular => continue,
            Charge::Lump(dates) => {
                let covers = match (dates.first(), dates.last()) {
                    (Some(a), Some(b)) => format!(
                        "{} uncharged {} period{} from {a} to {b}",
                        dates.len(),
                        account.rent_period,
                        if dates.len() == 1 { "" } else { "s" }
                    ),
                    _ => "no uncharged period in the data".to_string(),
                };
                format!(
                    "{} on {} charges {} at once ({} x the rent {}), covering {covers}: a back-charge may be \
                     legitimate, but check it was explained to the tenant, and do not treat arrears it \
                     creates as the tenant's fault.",
                    data.txn_id(p),
                    posting.date,
                    pounds(amount),
                    whole_periods(),
                    pounds(rent)
                )
            }
            Charge::Double(on) => format!(
                "{} charges {} on {on}, a second charge for a {} period already charged: reverse it unless \
                 it is a different charge.",
                data.txn_id(p),
                pounds(amount),
                account.rent_period
            ),
            Charge::Odd => format!(
                "{} on {} charges {}, which is not the rent of {}: check what it is for (a service charge, \
                 a rent change not on the account record) and that the tenant was told.",
                data.txn_id(p),
                posting.date,
                pounds(amount),
                pounds(rent)
            ),
        };
        findings.push(Finding {
            kind: FindingKind::IrregularCharge,
            severity: match kind {
                Charge::Odd => Severity::Low,
                _ => Severity::Medium,
            },
            account: Some(id),
            posted_to: None,
            bank: None,
            postings: vec![p],
            // A double charge is an error to reverse; a back-charge or an
            // odd charge may be legitimate, so it is not corrected.
            amount: if matches!(kind, Charge::Double(_)) {
                -amount
            } else {
                Decimal::ZERO
            },
            evidence: vec![data.posting_row(p)],
            detail,
            suggestions: Vec::new(),
        });
    }

    let missing: Vec<NaiveDate> = due.iter().filter(|(_, c)| !c).map(|(d, _)| *d).collect();
    if let (Some(&first), Some(&last)) = (missing.first(), missing.last()) {
        let total = rent * Decimal::from(missing.len());
        let mut evidence = vec![account.row];
        let before = charges
            .iter()
            .rev()
            .find(|&&p| data.postings[p].date < first);
        let after = charges.iter().find(|&&p| data.postings[p].date > last);
        evidence.extend(
            before
                .into_iter()
                .chain(after)
                .map(|&p| data.posting_row(p)),
        );
        let when = if missing.len() == 1 {
            format!("due {first}")
        } else {
            format!("due between {first} and {last}")
        };
        findings.push(Finding {
            kind: FindingKind::MissingCharges,
            severity: Severity::Medium,
            account: Some(id),
            posted_to: None,
            bank: None,
            postings: Vec::new(),
            amount: total,
            evidence,
            detail: format!(
                "No rent was charged for {} {} period{} {when} ({} uncharged): charge it with notice to the \
                 tenant, or record why (a rent-free week, a void, an agreed reduction).",
                missing.len(),
                account.rent_period,
                if missing.len() == 1 { "" } else { "s" },
                pounds(total)
            ),
            suggestions: Vec::new(),
        });
    }
    findings
}

/// Where weekly rents fall due when the ledger shows none: the first Monday
/// of the tenancy.
fn first_monday_on_or_after(account: &Account) -> NaiveDate {
    let d = account.opening_date;
    d + Days::new(u64::from((7 - d.weekday().num_days_from_monday()) % 7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recon::testkit::date;

    #[test]
    fn weekly_due_dates_fall_on_mondays_and_53_in_a_53_monday_year() {
        // The 2024/25 rent year (1 April 2024 to 31 March 2025) has 53 Mondays.
        let dues = due_dates(
            RentPeriod::Weekly,
            date("2024-04-08"),
            date("2024-04-01"),
            date("2025-03-31"),
        );
        assert_eq!(dues.len(), 53);
        assert!(dues.iter().all(|d| d.weekday() == chrono::Weekday::Mon));
    }

    #[test]
    fn monthly_due_dates_keep_the_day_or_the_month_end() {
        let dues = due_dates(
            RentPeriod::Monthly,
            date("2026-01-31"),
            date("2026-01-01"),
            date("2026-04-30"),
        );
        assert_eq!(
            dues,
            vec![
                date("2026-01-31"),
                date("2026-02-28"),
                date("2026-03-31"),
                date("2026-04-30")
            ]
        );
    }

    #[test]
    fn anchor_steps_back_to_the_window() {
        let dues = due_dates(
            RentPeriod::Fortnightly,
            date("2026-03-02"),
            date("2026-01-01"),
            date("2026-01-31"),
        );
        assert_eq!(dues, vec![date("2026-01-05"), date("2026-01-19")]);
    }
}
