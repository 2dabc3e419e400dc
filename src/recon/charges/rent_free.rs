//! The landlord's rent-free weeks read from the charges: a week most weekly
//! accounts in charge go uncharged in, and do not catch up the week after.

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use super::monday_of;
use crate::recon::model::{AccountId, AccountPostings, Dataset, RentPeriod};

/// Weekly accounts a week must have in charge before its charges say
/// anything about the landlord's rent-free weeks.
const RENT_FREE_MIN_ACCOUNTS: usize = 5;

/// The landlord's rent-free weeks, read from the charges: Mondays of the
/// weeks in which most weekly accounts charged on both sides of it have no
/// rent charge (two at Christmas, on many estates). A week one account
/// misses is that account's missing charge; a week most miss is the
/// landlord's.
pub fn infer_rent_free_weeks(
    data: &Dataset,
    ledger: &AccountPostings,
    as_at: NaiveDate,
) -> Vec<NaiveDate> {
    let Some(first) = data.postings.par_iter().map(|p| p.date).min() else {
        return Vec::new();
    };
    let start = monday_of(first);
    let weeks = ((as_at.max(start) - start).num_days() / 7 + 2) as usize;
    // The weeks at the end of the data count too: rent-free weeks at
    // Christmas often end a year.
    let to = data
        .postings
        .par_iter()
        .map(|p| p.date)
        .filter(|d| *d <= as_at)
        .max()
        .unwrap_or(as_at);
    let scan = WeekScan {
        data,
        ledger,
        as_at,
        start,
        to,
    };
    let tally = (0..data.accounts.len())
        .into_par_iter()
        .filter(|&a| data.accounts[a].rent_period == RentPeriod::Weekly)
        .fold(|| Tally::new(weeks), |acc, a| scan.add_account(acc, a))
        .reduce(|| Tally::new(weeks), Tally::merge);
    tally.rent_free(start, weeks)
}

/// What the weekly accounts' charges are read against: the weeks from the
/// Monday `start` to `to`, the last posting up to the as-at date.
struct WeekScan<'a> {
    data: &'a Dataset,
    ledger: &'a AccountPostings,
    as_at: NaiveDate,
    start: NaiveDate,
    to: NaiveDate,
}

impl WeekScan<'_> {
    /// The week (from `start`) a day falls in.
    #[inline]
    fn week_of(&self, d: NaiveDate) -> usize {
        ((d - self.start).num_days() / 7) as usize
    }

    /// Counts account `a`'s charges by week, and the weeks it was in charge:
    /// from its first charge to its tenancy's end or the last posting.
    fn add_account(&self, mut acc: Tally, a: usize) -> Tally {
        let (mut first, mut last) = (None, None);
        for q in (self.ledger.of(a as AccountId).iter())
            .map(|&p| &self.data.postings[p as usize])
            .filter(|q| q.is_charge_by(self.as_at))
        {
            let week = self.week_of(q.date);
            if last != Some(week) {
                acc.charged[week] += 1;
            }
            acc.charges[week] += 1;
            first = first.or(Some(week));
            last = Some(week);
        }
        let end = match self.data.accounts[a].tenancy_end {
            Some(end) => self.week_of(end.min(self.to).max(self.start)),
            None => self.week_of(self.to),
        };
        if let (Some(f), Some(_)) = (first, last) {
            if f < end {
                acc.in_charge[f] += 1;
                acc.in_charge[end + 1] -= 1;
            }
        }
        acc
    }
}

/// Per week: the weekly accounts in charge, those charged, and every
/// charge (to tell a week skipped and caught up the next, twice the
/// charges beside it, from a rent-free one).
struct Tally {
    /// A difference array: +1 at an account's first week charged, -1 after
    /// its tenancy's end or the last posting.
    in_charge: Vec<i64>,
    charged: Vec<usize>,
    charges: Vec<usize>,
}

impl Tally {
    fn new(weeks: usize) -> Tally {
        Tally {
            in_charge: vec![0; weeks + 2],
            charged: vec![0; weeks + 2],
            charges: vec![0; weeks + 2],
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        fn add<T: Copy + std::ops::AddAssign>(x: &mut [T], y: &[T]) {
            x.iter_mut().zip(y).for_each(|(a, b)| *a += *b);
        }
        add(&mut self.in_charge, &other.in_charge);
        add(&mut self.charged, &other.charged);
        add(&mut self.charges, &other.charges);
        self
    }

    /// Mondays of the weeks most accounts in charge were not charged in,
    /// nor caught up beside.
    fn rent_free(&self, start: NaiveDate, weeks: usize) -> Vec<NaiveDate> {
        let mut active = 0i64;
        let mut free = Vec::new();
        for i in 0..=weeks {
            active += self.in_charge[i];
            let active = active.max(0) as usize;
            let beside = self.charges[i.saturating_sub(1)] + self.charges[i] + self.charges[i + 1];
            let caught_up = beside * 2 >= active * 5;
            if active >= RENT_FREE_MIN_ACCOUNTS && self.charged[i] * 2 < active && !caught_up {
                free.extend(start.checked_add_days(Days::new(7 * i as u64)));
            }
        }
        free
    }
}
