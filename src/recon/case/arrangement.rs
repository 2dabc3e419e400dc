//! Arrangements judged from the ledger period by period: what was asked, what
//! was paid, whether the arrangement is being kept, and its words.

use super::*;
use crate::recon::model::Account;

/// Judges an arrangement (or an order's terms, `on_top_of_rent`) from the
/// rent account (sundry debt left out, late postings on the day their
/// money came): at the end of each rent period since it began, against the
/// starting arrears brought down by the instalment for each period that
/// was charged rent (a rent-free week asks none). Allowed against each
/// period: payments up to a week late; benefit paid to the landlord in
/// arrears; and, for a tenant who pays every few weeks, the agreed
/// payments of all but one week of that cycle. An amount of at least the
/// rent is the whole payment, rent included, against the rent in force
/// each period. Periods are judged from where the ledger begins, up to the
/// as-at date.
pub(super) fn instalments(
    data: &Dataset,
    id: AccountId,
    e: &CaseEvent,
    j: Judging<'_>,
    on_top_of_rent: bool,
) -> Option<Instalments> {
    let amount = e.amount?;
    let account = data.account(id);
    let plan = Plan {
        data,
        id,
        account,
        event: e,
        amount,
        whole: !on_top_of_rent && amount >= data.rent_on(id, e.from),
        lag: benefit_lag_days(account.landlord_benefit()),
    };
    let ledger = Running::of(data, j);
    // Periods before the ledger begins cannot be judged.
    let data_from = ledger
        .first()
        .map_or(account.opening_date, |d| d.max(account.opening_date));
    let first = (0u32..10_000).find(|&k| plan.period(k).is_none_or(|d| d >= data_from))?;
    let judged_from = plan.period(first)?;
    let start = plan.starting_point(&ledger, judged_from);
    let mut judged = Instalments {
        from: e.from,
        judged_from,
        amount,
        towards_arrears: plan.towards(judged_from),
        periods: 0,
        missed: Vec::new(),
        start_balance: start.balance,
        expected: start.arrears,
        actual: start.balance,
        allowed: Decimal::ZERO,
    };
    plan.judge_periods(&ledger, first, &start, j.as_at, &mut judged);
    Some(judged)
}

/// An arrangement's terms on one account: `amount` a period from the
/// event's date, `whole` where that amount includes the rent.
struct Plan<'a> {
    data: &'a Dataset,
    id: AccountId,
    account: &'a Account,
    event: &'a CaseEvent,
    amount: Decimal,
    whole: bool,
    /// Days the account's benefit is paid in arrears, grace included.
    lag: u64,
}

/// Where judging starts: the balance and the arrears the plan pays down,
/// and what a tenant paying every few weeks may be behind by.
struct StartingPoint {
    balance: Decimal,
    arrears: Decimal,
    tolerance: Decimal,
}

/// `days` after `d`, or the last day there is.
#[inline]
fn later(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

impl Plan<'_> {
    /// The start of the `k`th rent period from the event's date.
    fn period(&self, k: u32) -> Option<NaiveDate> {
        self.account.rent_period.nth_after(self.event.from, k)
    }

    /// What the period starting `on` pays towards the arrears.
    fn towards(&self, on: NaiveDate) -> Decimal {
        if self.whole {
            (self.amount - self.data.rent_on(self.id, on)).max(Decimal::ZERO)
        } else {
            self.amount
        }
    }

    fn starting_point(&self, ledger: &Running, judged_from: NaiveDate) -> StartingPoint {
        let balance = self.account.opening_balance + from_pence(ledger.balance_before(judged_from));
        // The arrears the plan pays down: benefit owed in arrears when it
        // began is not arrears, as it is not at each period's end.
        let in_arrears = ledger.benefit_in_arrears(judged_from, later(judged_from, self.lag));
        let per_week = self
            .account
            .rent_period
            .weekly_equivalent(self.data.rent_on(self.id, judged_from) + self.towards(judged_from));
        let cycle_weeks = (ledger.tenant_cycle_days(judged_from) / 7).max(1);
        StartingPoint {
            balance,
            arrears: balance - from_pence(in_arrears),
            tolerance: to_pennies(per_week * Decimal::from(cycle_weeks - 1)),
        }
    }

    /// Each period from the `first` judged to the last whose grace has run
    /// by `as_at` (and the plan's end): missed where the balance at its end,
    /// less what is allowed, is above the arrears the plan has brought down.
    fn judge_periods(
        &self,
        ledger: &Running,
        first: u32,
        start: &StartingPoint,
        as_at: NaiveDate,
        judged: &mut Instalments,
    ) {
        let mut owed = start.arrears;
        for k in first.. {
            let (Some(from), Some(end)) = (self.period(k), self.period(k + 1)) else {
                break;
            };
            let grace = later(end, INSTALMENT_GRACE_DAYS);
            if later(end, self.lag).max(grace) > as_at || self.event.to.is_some_and(|t| end > t) {
                break;
            }
            if ledger.rent_charged(from, end) > 0 {
                owed -= self.towards(from);
            }
            let at_end = ledger.balance_before(end);
            let late = (ledger.without_benefit(end) - ledger.without_benefit(grace)).max(0);
            let allowed = from_pence(late + ledger.benefit_in_arrears(end, later(end, self.lag)))
                + start.tolerance;
            let actual = self.account.opening_balance + from_pence(at_end);
            let expected = owed.max(Decimal::ZERO).min(start.arrears);
            if actual - allowed > expected {
                judged.missed.push(from);
            }
            judged.periods += 1;
            judged.expected = expected;
            judged.actual = actual;
            judged.allowed = allowed;
        }
    }
}

/// An account's rent postings as running sums, in the order the money
/// moved: the balance before a day, the rent charged between two days,
/// each a binary search; its benefit credits and the tenant's payment
/// days.
pub(super) struct Running {
    pub(super) dates: Vec<NaiveDate>,
    /// `all[i]`: the pence of the first `i` postings; `charged[i]` of the
    /// rent charges among them; `paid_by_tenant[i]` of all but benefit.
    pub(super) all: Vec<i128>,
    pub(super) charged: Vec<i128>,
    pub(super) paid_by_tenant: Vec<i128>,
    /// Benefit credits: their dates and pence (positive).
    pub(super) benefit: Vec<(NaiveDate, i128)>,
    /// Days the tenant paid (cash credits other than benefit).
    pub(super) tenant_paid: Vec<NaiveDate>,
}

impl Running {
    pub(super) fn of(data: &Dataset, j: Judging<'_>) -> Running {
        // Sundry debt is not rent; late postings count when the money came.
        let mut rows: Vec<(NaiveDate, &crate::recon::model::Posting)> = (j.own.iter())
            .map(|&p| (j.paid_on.get(&p).copied(), &data.postings[p as usize]))
            .filter(|(_, p)| !p.is_sundry_debit())
            .map(|(paid, p)| (paid.map_or(p.date, |d| d.min(p.date)), p))
            .collect();
        rows.sort_by_key(|(d, _)| *d);
        let mut r = Running {
            dates: Vec::with_capacity(rows.len()),
            all: vec![0],
            charged: vec![0],
            paid_by_tenant: vec![0],
            benefit: Vec::new(),
            tenant_paid: Vec::new(),
        };
        for (date, p) in rows {
            let pence = i128::from(p.amount.pence());
            let charge = if p.kind == PostingKind::Charge {
                pence.max(0)
            } else {
                0
            };
            let is_benefit = p.is_cash_credit() && p.kind == PostingKind::Benefit;
            if is_benefit {
                r.benefit.push((date, -pence));
            } else if p.is_cash_credit() {
                r.tenant_paid.push(date);
            }
            let last = |v: &Vec<i128>| v[v.len() - 1];
            r.all.push(last(&r.all) + pence);
            r.charged.push(last(&r.charged) + charge);
            r.paid_by_tenant
                .push(last(&r.paid_by_tenant) + if is_benefit { 0 } else { pence });
            r.dates.push(date);
        }
        r
    }

    pub(super) fn first(&self) -> Option<NaiveDate> {
        self.dates.first().copied()
    }

    pub(super) fn count_before(&self, day: NaiveDate) -> usize {
        self.dates.partition_point(|&d| d < day)
    }

    pub(super) fn balance_before(&self, day: NaiveDate) -> i128 {
        self.all[self.count_before(day)]
    }

    /// The balance before `day`, benefit credits left out.
    pub(super) fn without_benefit(&self, day: NaiveDate) -> i128 {
        self.paid_by_tenant[self.count_before(day)]
    }

    /// Rent charged on or after `from` and before `to`.
    pub(super) fn rent_charged(&self, from: NaiveDate, to: NaiveDate) -> i128 {
        self.charged[self.count_before(to)] - self.charged[self.count_before(from)]
    }

    /// How often the tenant has paid since `since` (from the payment
    /// before it), in days: the median gap between payment days, 7 to 62;
    /// 7 with fewer than two payments.
    pub(super) fn tenant_cycle_days(&self, since: NaiveDate) -> u32 {
        let from = self
            .tenant_paid
            .partition_point(|&d| d < since)
            .saturating_sub(1);
        let mut days = self.tenant_paid[from..].to_vec();
        days.dedup();
        let mut gaps: Vec<i64> = days.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
        gaps.sort_unstable();
        gaps.get(gaps.len() / 2)
            .map_or(7, |&g| u32::try_from(g.clamp(7, 62)).unwrap_or(7))
    }

    /// Benefit paid in arrears for the days before `end`: the first benefit
    /// credit on or after it (and before `by`), up to the rent charged
    /// since the benefit credit before it.
    pub(super) fn benefit_in_arrears(&self, end: NaiveDate, by: NaiveDate) -> i128 {
        let next = self.benefit.partition_point(|&(d, _)| d < end);
        let Some(&(_, paid)) = self.benefit.get(next).filter(|(d, _)| *d < by) else {
            return 0;
        };
        let since = next
            .checked_sub(1)
            .map_or(0, |i| self.count_before(self.benefit[i].0));
        let charged = self.charged[self.count_before(end)] - self.charged[since];
        paid.min(charged).max(0)
    }
}

/// "an arrangement from 2026-03-02 to pay £10.00 a rent period towards
/// the arrears is being kept (8 periods: balance £400.00 against £420.00
/// agreed)".
pub fn arrangement_words(a: &Instalments) -> String {
    let judged = if a.judged_from > a.from {
        format!(" (judged from {}, where the ledger begins)", a.judged_from)
    } else {
        String::new()
    };
    format!(
        "an arrangement from {}{judged} to pay {} {}",
        a.from,
        asks(a),
        standing(a)
    )
}

/// What an instalment plan asks each rent period.
pub(super) fn asks(a: &Instalments) -> String {
    if a.towards_arrears == a.amount {
        format!("{} a rent period towards the arrears", pounds(a.amount))
    } else {
        format!(
            "{} a rent period ({} towards the arrears)",
            pounds(a.amount),
            pounds(a.towards_arrears)
        )
    }
}

/// How an instalment plan stands: "is being kept (…)", "is broken: …".
pub(super) fn standing(a: &Instalments) -> String {
    let balance = format!(
        "balance {}{} against {} agreed",
        pounds(a.actual),
        if a.actual > a.expected && a.allowed > Decimal::ZERO {
            format!(
                " less {} allowed (payments a week late, benefit paid in arrears, a tenant paying every few weeks)",
                pounds(a.allowed)
            )
        } else {
            String::new()
        },
        pounds(a.expected),
    );
    if a.periods == 0 {
        "is too new to judge: no rent period has ended, with its grace, since it began".to_string()
    } else if a.kept() {
        format!(
            "is being kept ({} period{} judged; at the last, {balance})",
            a.periods,
            if a.periods == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "is broken: {} of {} periods missed ({}); at the last, {balance}",
            a.missed.len(),
            a.periods,
            missed_words(&a.missed)
        )
    }
}

/// The periods missed, by their first days: the first few and the last.
pub(super) fn missed_words(missed: &[NaiveDate]) -> String {
    const SHOWN: usize = 4;
    let mut words: Vec<String> = missed
        .iter()
        .take(SHOWN)
        .map(|d| format!("from {d}"))
        .collect();
    if missed.len() > SHOWN + 1 {
        words.push("…".to_string());
    }
    if missed.len() > SHOWN {
        words.extend(missed.last().map(|d| format!("from {d}")));
    }
    words.join(", ")
}
