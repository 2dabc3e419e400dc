//! Charges: the rent each account should have been charged against the
//! charges the ledger holds. A period with none is `missing_charges`; a charge
//! not the rent, a second one, or a lump back-charge is `irregular_charge`.

use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::finding::{Finding, FindingKind, Severity};
use super::model::{day_number, Account, AccountId, AccountPostings, Dataset, Posting, RentPeriod};
use super::money::pounds;
use super::rents::{History, RentBook, RentChanges};

mod rent_free;

pub use rent_free::infer_rent_free_weeks;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChargeOptions {
    pub as_at: NaiveDate,
    /// Weeks (any day in them) in which no rent is charged, such as the two
    /// rent-free weeks some landlords give at Christmas.
    pub rent_free_weeks: Vec<NaiveDate>,
    /// The landlord's rent changes read from the charges, for accounts
    /// with no rents.csv history.
    pub changes: RentChanges,
}

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
    /// Covers these due dates at once, counted in this rent.
    Lump(Vec<NaiveDate>, Decimal),
    /// A second charge for a period already charged.
    Double(NaiveDate),
    /// Not the rent (nor a rent the account usually pays).
    Odd,
    /// Charged after the tenancy ended.
    AfterEnd(NaiveDate),
    /// The rent charged in a rent-free week (its Monday).
    RentFree(NaiveDate),
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
            check_account(data, a as AccountId, &charges, opts, from, &rent_free)
        })
        .collect()
}

/// An account's due dates in order, each marked once a charge covers it.
struct Dues {
    due: Vec<(NaiveDate, bool)>,
    period: RentPeriod,
    /// How far from a due date a charge for it may fall, in days.
    tol: i64,
}

impl Dues {
    /// The due dates in the window [`from`, `as_at`], rent-free weeks out,
    /// counted from `anchor` (a charge of the rent, else the tenancy's
    /// start).
    fn of(
        account: &Account,
        anchor: NaiveDate,
        from: NaiveDate,
        as_at: NaiveDate,
        rent_free: &[NaiveDate],
    ) -> Dues {
        let due = due_dates(account.rent_period, anchor, from, as_at)
            .into_iter()
            .filter(|d| !rent_free.contains(&monday_of(*d)))
            .map(|d| (d, false))
            .collect();
        Dues {
            due,
            period: account.rent_period,
            tol: tolerance(account.rent_period),
        }
    }

    /// The due dates within the tolerance of `on`: one run, as they
    /// ascend, found by bisection, not by a scan of the year per charge.
    fn near(&self, on: NaiveDate) -> std::ops::Range<usize> {
        let days = Days::new(self.tol.unsigned_abs());
        let first = on.checked_sub_days(days).unwrap_or(NaiveDate::MIN);
        let last = on.checked_add_days(days).unwrap_or(NaiveDate::MAX);
        let lo = self.due.partition_point(|(d, _)| *d < first);
        let hi = self.due.partition_point(|(d, _)| *d <= last);
        lo..hi
    }

    /// The nearest uncovered due date to `on`, within the tolerance.
    fn nearest_free(&self, on: NaiveDate) -> Option<usize> {
        let day = |d: NaiveDate| i64::from(day_number(d));
        let window = self.near(on);
        let start = window.start;
        self.due[window]
            .iter()
            .enumerate()
            .filter(|(_, (_, covered))| !covered)
            .min_by_key(|(_, (d, _))| ((day(*d) - day(on)).abs(), *d))
            .map(|(i, _)| start + i)
    }

    /// Covers the nearest free due date to `on`, if there is one.
    fn cover_nearest(&mut self, on: NaiveDate) -> bool {
        match self.nearest_free(on) {
            Some(i) => {
                self.due[i].1 = true;
                true
            }
            None => false,
        }
    }

    /// Covers the `k` most recent uncovered due dates up to `on`, and
    /// returns them in order.
    fn cover_last(&mut self, on: NaiveDate, k: usize) -> Vec<NaiveDate> {
        let covered: Vec<usize> = (0..self.near(on).end)
            .filter(|&i| !self.due[i].1)
            .rev()
            .take(k)
            .collect();
        let mut dates: Vec<NaiveDate> = covered.iter().map(|&i| self.due[i].0).collect();
        for &i in &covered {
            self.due[i].1 = true;
        }
        dates.sort();
        dates
    }

    fn uncovered(&self) -> Vec<NaiveDate> {
        self.due
            .iter()
            .filter(|(_, c)| !c)
            .map(|(d, _)| *d)
            .collect()
    }
}

fn check_account(
    data: &Dataset,
    id: AccountId,
    charges: &[usize],
    opts: &ChargeOptions,
    ledger_from: NaiveDate,
    rent_free: &[NaiveDate],
) -> Vec<Finding> {
    let (account, as_at) = (data.account(id), opts.as_at);
    let book = RentBook::new(data, id, charges, &opts.changes);
    let anchor = charges
        .iter()
        .map(|&p| &data.postings[p])
        .find(|q| q.amount() == book.on(q.date))
        .map(|q| q.date)
        .unwrap_or_else(|| match account.rent_period {
            RentPeriod::Monthly => account.opening_date,
            _ => first_monday_on_or_after(account),
        });
    let from = account.opening_date.max(ledger_from);
    // No rent falls due once the tenancy has ended.
    let until = match account.tenancy_end {
        Some(end) => as_at.min(end - Days::new(1)),
        None => as_at,
    };
    let mut dues = Dues::of(account, anchor, from, until, rent_free);
    // The rent's own charges first, so that a catch-up charge on a due
    // date never takes that date from the charge of the rent.
    let (regular, other): (Vec<usize>, Vec<usize>) = charges.iter().partition(|&&p| {
        let q = &data.postings[p];
        book.usual(q.amount(), q.date)
    });
    let mut findings = Vec::new();
    for p in regular.into_iter().chain(other) {
        let posting = &data.postings[p];
        let kind = match account.tenancy_end {
            Some(end) if posting.date > end => Charge::AfterEnd(end),
            _ => classify(&mut dues, posting, &book, rent_free),
        };
        if let Some(finding) = irregular(data, id, p, kind, &book) {
            findings.push(finding);
        }
    }
    findings.extend(missing(data, id, charges, &dues.uncovered(), &book));
    findings
}

/// What charge `posting` is, covering the due dates it pays for.
fn classify(
    dues: &mut Dues,
    posting: &Posting,
    book: &RentBook<'_>,
    rent_free: &[NaiveDate],
) -> Charge {
    let amount = posting.amount();
    if book.usual(amount, posting.date) {
        if dues.cover_nearest(posting.date) {
            return Charge::Regular;
        }
        // A weekly rent charged in a week its due date was taken out of:
        // no rent fell due to pay for. (Longer periods keep their own
        // dates: a four-weekly charge in a week weekly tenants had free
        // is that period's rent.)
        let week = monday_of(posting.date);
        if dues.period == RentPeriod::Weekly && rent_free.contains(&week) {
            return Charge::RentFree(week);
        }
        return if dues.near(posting.date).is_empty() {
            // Outside any due date we know of (before the ledger starts,
            // say) is regular too.
            Charge::Regular
        } else {
            Charge::Double(posting.date)
        };
    }
    // Worked out only for a charge that is not the rent: a division per
    // charge was much of the cost of checking charges.
    let lump = book.rates(posting.date).into_iter().find_map(|rate| {
        Some((amount / rate).normalize())
            .filter(|w| w.fract().is_zero() && *w > Decimal::ONE)
            .and_then(|w| w.to_string().parse::<usize>().ok())
            .map(|k| (k, rate))
    });
    match lump {
        // A lump: the most recent uncovered due dates up to this charge.
        Some((k, rate)) => Charge::Lump(dues.cover_last(posting.date, k), rate),
        None => {
            dues.cover_nearest(posting.date);
            Charge::Odd
        }
    }
}

/// The finding for charge `p` of account `id`, unless it is regular.
fn irregular(
    data: &Dataset,
    id: AccountId,
    p: usize,
    kind: Charge,
    book: &RentBook<'_>,
) -> Option<Finding> {
    let posting = &data.postings[p];
    let c = ChargeWords {
        data,
        p,
        account: data.account(id),
        on: posting.date,
        amount: posting.amount(),
        rent: book.on(posting.date),
    };
    let detail = match &kind {
        Charge::Regular => return None,
        Charge::Lump(dates, rate) => c.lump(dates, *rate, book),
        Charge::Double(on) => c.double(*on),
        Charge::AfterEnd(end) => c.after_end(*end),
        Charge::RentFree(week) => c.rent_free(*week),
        Charge::Odd if book.history != History::None => c.odd_against_history(book),
        Charge::Odd => c.odd(),
    };
    Some(Finding {
        kind: FindingKind::IrregularCharge,
        severity: match kind {
            Charge::Odd => Severity::Low,
            _ => Severity::Medium,
        },
        account: Some(id),
        posted_to: None,
        bank: None,
        postings: vec![p],
        // A double charge is an error to reverse; a back-charge or an odd
        // charge may be legitimate, so it is not corrected.
        amount: if matches!(
            kind,
            Charge::Double(_) | Charge::AfterEnd(_) | Charge::RentFree(_)
        ) {
            -c.amount
        } else {
            Decimal::ZERO
        },
        evidence: vec![data.posting_row(p)],
        detail,
        suggestions: Vec::new(),
    })
}

/// An irregular charge as its finding describes it: posting `p`, charging
/// `amount` on `on` where the rent in force was `rent`.
struct ChargeWords<'a> {
    data: &'a Dataset,
    p: usize,
    account: &'a Account,
    on: NaiveDate,
    amount: Decimal,
    rent: Decimal,
}

impl ChargeWords<'_> {
    /// A back-charge covering the uncharged `dates` at `rate` each.
    fn lump(&self, dates: &[NaiveDate], rate: Decimal, book: &RentBook<'_>) -> String {
        let period = self.account.rent_period;
        let covers = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) if a == b => format!("1 uncharged {period} period due {a}"),
            (Some(a), Some(b)) => {
                format!("{} uncharged {period} periods from {a} to {b}", dates.len())
            }
            _ => "no uncharged period in the data".to_string(),
        };
        let at = if rate == self.rent {
            format!("the rent {}", pounds(self.rent))
        } else if !dates.is_empty() && dates.iter().all(|&d| book.on(d) == rate) {
            format!("{}, the rent in force for those periods", pounds(rate))
        } else {
            format!(
                "{}, not the rent of {} in force then",
                pounds(rate),
                pounds(self.rent)
            )
        };
        format!(
            "{} on {} charges {} at once ({} x {at}), covering {covers}: a back-charge may be \
             legitimate, but check it was explained to the tenant, and do not treat arrears it \
             creates as the tenant's fault.",
            self.data.txn_id(self.p),
            self.on,
            pounds(self.amount),
            (self.amount / rate).normalize(),
        )
    }

    /// A second charge for the period due `on`.
    fn double(&self, on: NaiveDate) -> String {
        format!(
            "{} charges {} on {on}, a second charge for a {} period already charged: reverse it \
             unless it is a different charge.",
            self.data.txn_id(self.p),
            pounds(self.amount),
            self.account.rent_period
        )
    }

    /// A charge after the tenancy ended on `end`.
    fn after_end(&self, end: NaiveDate) -> String {
        format!(
            "{} charges {} on {}, after the tenancy ended on {end}: no rent is due from a former \
             tenant after the end; reverse it, or record it as a use and occupation charge (not \
             rent).",
            self.data.txn_id(self.p),
            pounds(self.amount),
            self.on
        )
    }

    /// The rent charged in the rent-free week from `week`.
    fn rent_free(&self, week: NaiveDate) -> String {
        format!(
            "{} charges {} on {}, in the rent-free week from {week} (set in the landlord's settings \
             or seen across its accounts): no rent falls due that week; reverse it.",
            self.data.txn_id(self.p),
            pounds(self.amount),
            self.on
        )
    }

    /// A charge that is not the rent the account's history puts in force.
    fn odd_against_history(&self, book: &RentBook<'_>) -> String {
        format!(
            "{} on {} charges {}, which is not the rent of {} in force that day ({}): check whether \
             a rent change was applied late or not at all, or what else it is for, and that the \
             tenant was told.",
            self.data.txn_id(self.p),
            self.on,
            pounds(self.amount),
            pounds(self.rent),
            history_words(book, self.on)
        )
    }

    /// A charge that is not the account's rent, with no history to read.
    fn odd(&self) -> String {
        format!(
            "{} on {} charges {}, which is not the rent of {}: check what it is for (a service \
             charge, a rent change not on the account record) and that the tenant was told.",
            self.data.txn_id(self.p),
            self.on,
            pounds(self.amount),
            pounds(self.rent)
        )
    }
}

/// Where the rent in force on `on` comes from, for a finding's detail.
fn history_words(book: &RentBook<'_>, on: NaiveDate) -> String {
    match (&book.history, book.in_force_from(on)) {
        (History::Inferred(_), Some(from)) => {
            format!("from {from}, inferred: most accounts' rent changed that week")
        }
        (_, Some(from)) => format!("from {from}, the rent history"),
        _ => "the rent history".to_string(),
    }
}

/// The rent never charged for the due dates in `missing`, if any.
fn missing(
    data: &Dataset,
    id: AccountId,
    charges: &[usize],
    missing: &[NaiveDate],
    book: &RentBook<'_>,
) -> Option<Finding> {
    let account = data.account(id);
    let (&first, &last) = (missing.first()?, missing.last()?);
    let total: Decimal = missing.iter().map(|&d| book.on(d)).sum();
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
    Some(Finding {
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
    })
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
