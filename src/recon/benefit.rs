//! Benefit paid in arrears: for Housing Benefit and Universal Credit
//! accounts, the benefit already earned by periods charged but not yet due to
//! arrive. The cycle and the weekly rate are learned from the account's own
//! payment history (4-weekly by default), so technical arrears can be told
//! apart from real ones.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::matching::Matching;
use super::model::{AccountId, Benefit, Dataset, PostingKind};
use super::money::to_pennies;

/// Assumed where an account has fewer than two benefit payments to learn from.
pub const DEFAULT_CYCLE_DAYS: i64 = 28;

/// A run later than this past its expected date is overdue, not technical.
pub const GRACE_DAYS: i64 = 7;

/// One benefit payment received for an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenefitRun {
    pub paid: NaiveDate,
    pub amount: Decimal,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

/// What the benefit history says about an account on the as-at date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenefitOutlook {
    pub benefit: Benefit,
    pub cycle_days: i64,
    /// Whether the cycle was learned from the account's own runs.
    pub learned: bool,
    pub weekly_rate: Decimal,
    /// The last day the benefit received so far pays for.
    pub covered_to: NaiveDate,
    pub next_expected: NaiveDate,
    /// The next run is later than expected (plus grace): not technical.
    pub overdue: bool,
    /// Benefit earned since `covered_to` and not yet due, capped at the
    /// balance owed; zero when overdue.
    pub technical: Decimal,
}

/// Schedule shares identified to each account, as benefit runs, oldest
/// first. Where an account has none, its runs are its posted benefit credits
/// ([`posted_runs`]).
pub fn shares(data: &Dataset, matching: &Matching) -> Vec<Vec<BenefitRun>> {
    let mut runs: Vec<Vec<BenefitRun>> = vec![Vec::new(); data.accounts.len()];
    for receipt in &matching.receipts {
        if let (Some(s), Some(a)) = (receipt.share(), receipt.identity.account()) {
            let share = &data.shares[s as usize];
            runs[a as usize].push(BenefitRun {
                paid: receipt.date(data),
                amount: share.amount(),
                period_start: share.period_start,
                period_end: share.period_end,
            });
        }
    }
    for own in &mut runs {
        own.sort_by_key(|r| (r.paid, r.amount));
    }
    runs
}

/// An account's benefit credits as the ledger shows them, oldest first: the
/// view that goes with the posted balance. `own`: its postings, oldest first.
pub fn posted_runs(data: &Dataset, own: &[u32]) -> Vec<BenefitRun> {
    let mut runs: Vec<BenefitRun> = own
        .iter()
        .map(|&p| &data.postings[p as usize])
        .filter(|p| p.kind == PostingKind::Benefit && p.is_credit())
        .map(|p| BenefitRun {
            paid: p.date,
            amount: p.credit(),
            period_start: None,
            period_end: None,
        })
        .collect();
    runs.sort_by_key(|r| (r.paid, r.amount));
    runs
}

/// Days from a claim's start to its first Housing Benefit run: four weeks
/// paid in arrears, and a week to process (settable: `Settings`).
pub const HB_FIRST_RUN_DAYS: i64 = 35;

/// Days from a claim's start to its first Universal Credit payment: a
/// monthly assessment period, and seven days.
pub const UC_FIRST_RUN_DAYS: i64 = 38;

/// A benefit account with no run yet: the first is still to come, or late.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstRun {
    pub benefit: Benefit,
    /// The day the account (and so the claim, as far as the data shows) began.
    pub since: NaiveDate,
    /// When the first run should have arrived by.
    pub due: NaiveDate,
    /// More than [`GRACE_DAYS`] past `due`: the benefit has not started.
    pub overdue: bool,
    /// The rent charged since `since`, capped at what is owed: benefit not
    /// yet paid while the first run is not overdue (zero once it is).
    pub technical: Decimal,
}

/// For an `hb`/`uc` account with no benefit run up to `as_at`: when its
/// first is due. `first_run_days`: (HB, UC). `charged`: rent charged since
/// the account began.
pub fn first_run(
    data: &Dataset,
    account: AccountId,
    runs: &[BenefitRun],
    as_at: NaiveDate,
    first_run_days: (i64, i64),
    charged: Decimal,
    owed: Decimal,
) -> Option<FirstRun> {
    let acc = data.account(account);
    let days = match acc.landlord_benefit() {
        Benefit::None => return None,
        Benefit::Hb => first_run_days.0,
        Benefit::Uc => first_run_days.1,
    };
    if runs.iter().any(|r| r.paid <= as_at) {
        return None;
    }
    let since = acc.opening_date;
    let due = since
        .checked_add_days(Days::new(days.unsigned_abs()))
        .unwrap_or(NaiveDate::MAX);
    let overdue = as_at.signed_duration_since(due).num_days() > GRACE_DAYS;
    let technical = if overdue {
        Decimal::ZERO
    } else {
        charged.min(owed).max(Decimal::ZERO)
    };
    Some(FirstRun {
        benefit: acc.benefit,
        since,
        due,
        overdue,
        technical,
    })
}

/// The outlook for one account, or `None` if it has no benefit paid to the
/// landlord or no run to learn from. `charged_through` is the last day the
/// rent charged so far pays for (rent is charged in advance, benefit paid in
/// arrears, so the benefit for that whole period is still to come).
pub fn outlook(
    data: &Dataset,
    account: AccountId,
    runs: &[BenefitRun],
    as_at: NaiveDate,
    charged_through: NaiveDate,
    owed: Decimal,
) -> Option<BenefitOutlook> {
    let benefit = data.account(account).landlord_benefit();
    if benefit == Benefit::None {
        return None;
    }
    let runs: Vec<&BenefitRun> = runs.iter().filter(|r| r.paid <= as_at).collect();
    let last = *runs.last()?;
    let mut gaps: Vec<i64> = runs
        .windows(2)
        .map(|w| (w[1].paid - w[0].paid).num_days())
        .filter(|&g| g > 0)
        .collect();
    gaps.sort_unstable();
    Some(Learned::of(last, &gaps).outlook(benefit, as_at, charged_through, owed))
}

/// An account's outlook asked on many days in order (at the end of each rent
/// period of a year): what each run teaches is learned once, as the runs up
/// to it stand, rather than again for every day asked.
pub struct Outlooks<'r> {
    benefit: Benefit,
    /// Oldest first, as [`shares`] and [`posted_runs`] give them.
    runs: &'r [BenefitRun],
    /// What the runs up to and including each one teach.
    learned: Vec<Learned>,
}

impl<'r> Outlooks<'r> {
    pub fn new(data: &Dataset, account: AccountId, runs: &'r [BenefitRun]) -> Self {
        let benefit = data.account(account).landlord_benefit();
        let mut learned = Vec::new();
        if benefit != Benefit::None {
            let mut gaps: Vec<i64> = Vec::with_capacity(runs.len());
            for (i, run) in runs.iter().enumerate() {
                let gap = i
                    .checked_sub(1)
                    .map(|j| (run.paid - runs[j].paid).num_days());
                if let Some(g) = gap.filter(|&g| g > 0) {
                    let at = gaps.partition_point(|&x| x <= g);
                    gaps.insert(at, g);
                }
                learned.push(Learned::of(run, &gaps));
            }
        }
        Outlooks {
            benefit,
            runs,
            learned,
        }
    }

    /// The same as [`outlook`] with this account's runs.
    pub fn on(
        &self,
        as_at: NaiveDate,
        charged_through: NaiveDate,
        owed: Decimal,
    ) -> Option<BenefitOutlook> {
        let paid = self.runs.partition_point(|r| r.paid <= as_at);
        let learned = self.learned.get(paid.checked_sub(1)?)?;
        Some(learned.outlook(self.benefit, as_at, charged_through, owed))
    }
}

/// What an account's runs up to one of them teach: the cycle, the weekly
/// rate and how far the benefit paid covers.
#[derive(Clone, Copy, Debug)]
struct Learned {
    cycle_days: i64,
    learned: bool,
    weekly_rate: Decimal,
    covered_to: NaiveDate,
    next_expected: NaiveDate,
}

impl Learned {
    /// From the `last` run so far and the gaps between runs so far, sorted.
    fn of(last: &BenefitRun, gaps: &[i64]) -> Self {
        let cycle_days = gaps
            .get(gaps.len() / 2)
            .copied()
            .unwrap_or(DEFAULT_CYCLE_DAYS);
        let weeks_paid = match (last.period_start, last.period_end) {
            (Some(s), Some(e)) if e >= s => {
                Decimal::from((e - s).num_days() + 1) / Decimal::from(7)
            }
            _ => Decimal::from(cycle_days) / Decimal::from(7),
        };
        let weekly_rate = if weeks_paid.is_zero() {
            Decimal::ZERO
        } else {
            last.amount / weeks_paid
        };
        Learned {
            cycle_days,
            learned: !gaps.is_empty(),
            weekly_rate,
            covered_to: last.period_end.unwrap_or_else(|| last.paid - Days::new(1)),
            next_expected: last.paid + Days::new(cycle_days.unsigned_abs()),
        }
    }

    fn outlook(
        &self,
        benefit: Benefit,
        as_at: NaiveDate,
        charged_through: NaiveDate,
        owed: Decimal,
    ) -> BenefitOutlook {
        let overdue = (as_at - self.next_expected).num_days() > GRACE_DAYS;
        let uncovered = (charged_through.max(as_at) - self.covered_to)
            .num_days()
            .max(0);
        let technical = if overdue {
            Decimal::ZERO
        } else {
            to_pennies(self.weekly_rate * Decimal::from(uncovered) / Decimal::from(7))
                .min(owed.max(Decimal::ZERO))
        };
        BenefitOutlook {
            benefit,
            cycle_days: self.cycle_days,
            learned: self.learned,
            weekly_rate: to_pennies(self.weekly_rate),
            covered_to: self.covered_to,
            next_expected: self.next_expected,
            overdue,
            technical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recon::testkit::{date, money, Builder};

    fn run(paid: &str, amount: &str, end: Option<&str>) -> BenefitRun {
        BenefitRun {
            paid: date(paid),
            amount: money(amount),
            period_start: end.map(|e| date(e) - Days::new(27)),
            period_end: end.map(date),
        }
    }

    fn hb_account() -> (Builder, AccountId) {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "100.00");
        b.with(a, |acc| acc.benefit = Benefit::Hb);
        (b, a)
    }

    #[test]
    fn learns_the_cycle_and_counts_benefit_not_yet_due() {
        let (b, a) = hb_account();
        let runs = [
            run("2026-02-02", "400.00", Some("2026-01-18")),
            run("2026-03-02", "400.00", Some("2026-02-15")),
        ];
        // As at 16 March: 4 weeks since 15 Feb are unpaid, next run 30 March.
        let o = outlook(
            &b.data,
            a,
            &runs,
            date("2026-03-15"),
            date("2026-03-15"),
            money("420.00"),
        )
        .unwrap();
        assert_eq!((o.cycle_days, o.learned), (28, true));
        assert_eq!(o.weekly_rate, money("100.00"));
        assert_eq!(o.next_expected, date("2026-03-30"));
        assert_eq!(o.technical, money("400.00"));
    }

    #[test]
    fn technical_arrears_never_exceed_what_is_owed_and_stop_when_overdue() {
        let (b, a) = hb_account();
        let runs = [run("2026-02-02", "400.00", None)];
        let o = outlook(
            &b.data,
            a,
            &runs,
            date("2026-02-20"),
            date("2026-02-22"),
            money("150.00"),
        )
        .unwrap();
        assert_eq!((o.cycle_days, o.learned), (DEFAULT_CYCLE_DAYS, false));
        assert_eq!(o.technical, money("150.00"));
        let late = outlook(
            &b.data,
            a,
            &runs,
            date("2026-03-20"),
            date("2026-03-22"),
            money("700.00"),
        )
        .unwrap();
        assert!(late.overdue);
        assert_eq!(late.technical, Decimal::ZERO);
    }

    proptest::proptest! {
        /// Asked day by day, the runs learned once give the outlook that
        /// learning them again each day gives: irregular gaps, repeated
        /// days, periods given or not.
        #[test]
        fn outlooks_learned_once_are_the_outlook(
            runs in proptest::collection::vec((0u64..40, 1i64..90_000, proptest::option::of(0u64..60)), 0..12),
            owed in -50_000i64..200_000,
        ) {
            let (b, a) = hb_account();
            let mut paid = date("2026-01-05");
            let runs: Vec<BenefitRun> = runs
                .iter()
                .map(|&(gap, pence, period)| {
                    paid = paid + Days::new(gap);
                    BenefitRun {
                        paid,
                        amount: Decimal::new(pence, 2),
                        period_start: period.map(|p| paid - Days::new(p + 27)),
                        period_end: period.map(|p| paid - Days::new(p)),
                    }
                })
                .collect();
            let outlooks = Outlooks::new(&b.data, a, &runs);
            let owed = Decimal::new(owed, 2);
            for day in 0..400 {
                let on = date("2026-01-01") + Days::new(day);
                proptest::prop_assert_eq!(
                    outlooks.on(on, on, owed),
                    outlook(&b.data, a, &runs, on, on, owed)
                );
            }
        }
    }

    #[test]
    fn no_benefit_no_outlook() {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "100.00");
        let d = date("2026-03-01");
        assert!(outlook(
            &b.data,
            a,
            &[run("2026-02-02", "1.00", None)],
            d,
            d,
            Decimal::ONE
        )
        .is_none());
    }
}
