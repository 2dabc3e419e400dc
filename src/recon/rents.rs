//! The rent in force on each date, for judging an account's charges:
//! rents.csv where it gives the account's history, else changes read from
//! the charges (a week most accounts' rent changes in is a rent increase),
//! else the account's one rent.

use chrono::{Datelike, Days, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::model::{AccountId, AccountPostings, Dataset, RentPeriod};

/// A charge amount seen this often on one account is a rent the account was
/// really charged (last year's, before an increase), not an irregular one.
pub const USUAL_CHARGE_COUNT: usize = 3;

/// Accounts whose rent must change in one week before that week is taken
/// for the landlord's rent change.
const CHANGE_MIN_ACCOUNTS: usize = 5;

/// The landlord's rent changes read from the charges, by kind of rent
/// period: Mondays for weekly rents (and fortnightly, four-weekly), the
/// first of the month for monthly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RentChanges {
    pub weekly: Vec<NaiveDate>,
    pub monthly: Vec<NaiveDate>,
}

impl RentChanges {
    pub fn is_empty(&self) -> bool {
        self.weekly.is_empty() && self.monthly.is_empty()
    }

    fn for_period(&self, period: RentPeriod) -> &[NaiveDate] {
        match period {
            RentPeriod::Monthly => &self.monthly,
            _ => &self.weekly,
        }
    }

    /// Every change, oldest first.
    pub fn all(&self) -> Vec<NaiveDate> {
        let mut all = [&self.weekly[..], &self.monthly[..]].concat();
        all.sort_unstable();
        all
    }
}

/// Where a change of rent is counted: its week (its month, for monthly rent).
fn change_key(period: RentPeriod, d: NaiveDate) -> NaiveDate {
    match period {
        RentPeriod::Monthly => d.with_day(1).unwrap_or(d),
        _ => d - Days::new(u64::from(d.weekday().num_days_from_monday())),
    }
}

/// The weeks (months) in which most accounts with no rents.csv history
/// change from one steady rent to another: the landlord's rent changes.
pub fn infer_changes(data: &Dataset, ledger: &AccountPostings, as_at: NaiveDate) -> RentChanges {
    let points: Vec<(bool, NaiveDate)> = (0..data.accounts.len())
        .into_par_iter()
        .filter(|&a| data.rents_of(a as AccountId).is_empty())
        .flat_map_iter(|a| change_points(data, ledger, a as AccountId, as_at))
        .collect();
    let landlords = |monthly: bool| -> Vec<NaiveDate> {
        let mut tally: FxHashMap<NaiveDate, usize> = FxHashMap::default();
        let mut all = 0;
        for &(_, key) in points.iter().filter(|(m, _)| *m == monthly) {
            *tally.entry(key).or_default() += 1;
            all += 1;
        }
        let mut keys: Vec<NaiveDate> = (tally.into_iter())
            .filter(|&(_, n)| n >= CHANGE_MIN_ACCOUNTS && n * 2 >= all)
            .map(|(key, _)| key)
            .collect();
        keys.sort_unstable();
        keys
    };
    RentChanges {
        weekly: landlords(false),
        monthly: landlords(true),
    }
}

/// Where an account's charges change from a rent charged twice running to
/// another charged twice running (one-off charges are not changes of
/// rent): (monthly, the change's week or month).
fn change_points(
    data: &Dataset,
    ledger: &AccountPostings,
    id: AccountId,
    as_at: NaiveDate,
) -> Vec<(bool, NaiveDate)> {
    let period = data.account(id).rent_period;
    let mut last: [Option<(NaiveDate, i64)>; 3] = [None; 3];
    let mut out = Vec::new();
    for q in (ledger.of(id).iter())
        .map(|&p| &data.postings[p as usize])
        .filter(|q| q.is_charge_by(as_at))
    {
        let now = (q.date, q.amount.pence());
        if let [Some(a), Some(b), Some(c)] = last {
            if a.1 == b.1 && b.1 != c.1 && c.1 == now.1 {
                out.push((period == RentPeriod::Monthly, change_key(period, c.0)));
            }
        }
        last = [last[1], last[2], Some(now)];
    }
    out
}

/// Where an account's rent history comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum History {
    /// accounts.rent throughout.
    None,
    /// rents.csv.
    Given,
    /// The landlord's changes read from the charges: (from, rent), oldest
    /// first, the first from the account's first charge.
    Inferred(Vec<(NaiveDate, Decimal)>),
}

/// What an account's rent was, to judge its charges by: the rent in force
/// on each date and, where no history is given, the amounts charged often
/// enough to be a rent the account really paid.
pub struct RentBook<'a> {
    data: &'a Dataset,
    id: AccountId,
    pub history: History,
    charges: &'a [usize],
    /// How often each amount is charged, counted once and only if a charge
    /// other than the rent asks.
    counts: std::cell::OnceCell<FxHashMap<Decimal, usize>>,
}

impl<'a> RentBook<'a> {
    /// `charges`: the account's rent charges, oldest first.
    pub fn new(
        data: &'a Dataset,
        id: AccountId,
        charges: &'a [usize],
        changes: &RentChanges,
    ) -> Self {
        let history = if !data.rents_of(id).is_empty() {
            History::Given
        } else {
            let period = data.account(id).rent_period;
            inferred(data, charges, changes.for_period(period))
        };
        RentBook {
            data,
            id,
            history,
            charges,
            counts: std::cell::OnceCell::new(),
        }
    }

    pub fn on(&self, d: NaiveDate) -> Decimal {
        match &self.history {
            History::Inferred(segments) => {
                let i = segments.partition_point(|(from, _)| *from <= d);
                segments[i.saturating_sub(1)].1
            }
            _ => self.data.rent_on(self.id, d),
        }
    }

    /// The day the rent in force on `d` came in, where a history says.
    pub fn in_force_from(&self, d: NaiveDate) -> Option<NaiveDate> {
        match &self.history {
            History::Inferred(segments) => {
                let i = segments.partition_point(|(from, _)| *from <= d);
                (i > 1).then(|| segments[i - 1].0)
            }
            History::Given => {
                let history = self.data.rents_of(self.id);
                let i = history.partition_point(|c| c.from <= d);
                i.checked_sub(1).map(|i| history[i].from)
            }
            History::None => None,
        }
    }

    fn count(&self, amount: Decimal) -> usize {
        let counts = self.counts.get_or_init(|| {
            let mut counts: FxHashMap<Decimal, usize> = FxHashMap::default();
            for &q in self.charges {
                *counts.entry(self.data.postings[q].amount()).or_default() += 1;
            }
            counts
        });
        counts.get(&amount).copied().unwrap_or(0)
    }

    /// Whether a charge of `amount` on `on` is the rent. With a given
    /// history only the rent then in force is; with an inferred one, a rent
    /// of another time is not either. An amount charged often is a rent the
    /// account paid only below the rent in force (last year's): charged
    /// often above it, it is an overcharge, however steady.
    pub fn usual(&self, amount: Decimal, on: NaiveDate) -> bool {
        let rent = self.on(on);
        if amount == rent {
            return true;
        }
        let often = amount < rent && self.count(amount) >= USUAL_CHARGE_COUNT;
        match &self.history {
            History::Given => false,
            History::Inferred(segments) => often && !segments.iter().any(|(_, r)| *r == amount),
            History::None => often,
        }
    }

    /// The rents a back-charge may be counted in, the one in force first:
    /// every rent in the history, and the amounts charged as a rent.
    pub fn rates(&self, on: NaiveDate) -> Vec<Decimal> {
        let mut rates = vec![self.on(on), self.data.account(self.id).rent];
        rates.extend(self.data.rents_of(self.id).iter().map(|c| c.rent));
        if let History::Inferred(segments) = &self.history {
            rates.extend(segments.iter().map(|(_, r)| *r));
        }
        if self.history != History::Given {
            rates.extend(self.charges.iter().map(|&q| self.data.postings[q].amount()));
            rates.retain(|&r| r == self.on(on) || self.count(r) >= USUAL_CHARGE_COUNT);
        }
        let mut seen = Vec::with_capacity(rates.len());
        rates.retain(|r| {
            let new = !seen.contains(r);
            seen.push(*r);
            new
        });
        rates
    }
}

/// The account's rent in each span between the landlord's changes: the
/// amount it was charged most in that span. No history where it is one
/// rent throughout.
fn inferred(data: &Dataset, charges: &[usize], changes: &[NaiveDate]) -> History {
    let (Some(&first), Some(&last)) = (charges.first(), charges.last()) else {
        return History::None;
    };
    let (first, last) = (data.postings[first].date, data.postings[last].date);
    let bounds: Vec<NaiveDate> = (std::iter::once(first))
        .chain(changes.iter().copied().filter(|&d| d > first && d <= last))
        .collect();
    let mut segments: Vec<(NaiveDate, Decimal)> = Vec::with_capacity(bounds.len());
    for (i, &from) in bounds.iter().enumerate() {
        let to = bounds.get(i + 1).copied().unwrap_or(NaiveDate::MAX);
        let mut tally: Vec<(Decimal, usize)> = Vec::new();
        for q in charges
            .iter()
            .map(|&q| &data.postings[q])
            .filter(|q| q.date >= from && q.date < to)
        {
            match tally.iter_mut().find(|(a, _)| *a == q.amount()) {
                Some(slot) => slot.1 += 1,
                None => tally.push((q.amount(), 1)),
            }
        }
        // The most charged; among equals the latest, the one going forward.
        let most = tally.iter().map(|t| t.1).max().unwrap_or(0);
        if let Some(&(rate, _)) = tally.iter().rev().find(|t| t.1 == most) {
            segments.push((from, rate));
        }
    }
    segments.dedup_by(|b, a| a.1 == b.1);
    if segments.len() < 2 {
        History::None
    } else {
        History::Inferred(segments)
    }
}
