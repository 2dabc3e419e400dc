//! Balances and the NOSP assessment: each account's posted and corrected
//! balance as at a date, its arrears in weeks of rent, and its status against
//! the landlord's trigger and the statutory threshold (docs/matching.md).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use rayon::prelude::*;

use super::benefit::{self, BenefitOutlook, BenefitRun, FirstRun};
use super::case::{self, CaseFacts, NospState};
use super::due::{Allocation, Dues, Sundry};
use super::finding::{Finding, FindingKind};
use super::hold::{self, Doubts, Hold, HoldReason};
use super::law::{self, statutory_threshold, Statutory};
use super::matching::Matching;
use super::model::{
    vocabulary, Account, AccountId, AccountPostings, Benefit, Dataset, RentPeriod, UcPaidTo,
};
use super::money::{from_pence, plain, pounds, to_pennies};
use super::support::{self, SupportFacts};
use super::warning::Warning;

mod detail;
mod holds;

pub use detail::*;
use holds::*;

vocabulary!(
    /// An account's standing against the trigger. Ordered as the contract's
    /// table: where several fit, the first wins.
    Status {
        FalseTrigger => "false_trigger",
        FalseApproach => "false_approach",
        HiddenArrears => "hidden_arrears",
        TechnicalArrears => "technical_arrears",
        ProtocolHold => "protocol_hold",
        Genuine => "genuine",
        Approaching => "approaching",
        Clear => "clear",
    }
);

impl Status {
    /// Whether an officer must look at the account before anything else happens.
    pub fn needs_action(self) -> bool {
        !matches!(self, Status::Clear)
    }
}

/// The landlord's NOSP trigger: `4w` (weeks' rent), `2m` (months' rent) or a
/// fixed sum such as `£500` / `500.00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Weeks(Decimal),
    Months(Decimal),
    Amount(Decimal),
}

/// A trigger that cannot be read: the text as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerError(String);

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a trigger like 4w, 8w, 2m or £500.00 (at most 520w, 120m or £10,000,000), found {:?}",
            self.0
        )
    }
}

impl std::error::Error for TriggerError {}

impl FromStr for Trigger {
    type Err = TriggerError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        // Past these the trigger means nothing, and sums made from it could
        // overflow: ten years' rent, or ten million pounds.
        let number = |n: &str, most: i64| -> Result<Decimal, TriggerError> {
            Decimal::from_str(n.trim())
                .ok()
                .filter(|d| *d > Decimal::ZERO && *d <= Decimal::from(most))
                .ok_or_else(|| TriggerError(s.to_string()))
        };
        if let Some(n) = t.strip_suffix('w') {
            Ok(Trigger::Weeks(number(n, 520)?))
        } else if let Some(n) = t.strip_suffix('m') {
            Ok(Trigger::Months(number(n, 120)?))
        } else {
            Ok(Trigger::Amount(number(
                t.trim_start_matches('£'),
                10_000_000,
            )?))
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Weeks(n) => write!(f, "{}w", n.normalize()),
            Trigger::Months(n) => write!(f, "{}m", n.normalize()),
            Trigger::Amount(n) => write!(f, "£{}", plain(*n)),
        }
    }
}

impl Trigger {
    /// The trigger in pounds for one account whose rent is `rent`.
    pub fn amount_for(self, account: &Account, rent: Decimal) -> Decimal {
        let weekly = account.rent_period.weekly_equivalent(rent);
        let raw = match self {
            Trigger::Weeks(n) => n * weekly,
            Trigger::Months(n) => match account.rent_period {
                RentPeriod::Monthly => n * rent,
                _ => n * weekly * Decimal::from(52) / Decimal::from(12),
            },
            Trigger::Amount(n) => n,
        };
        to_pennies(raw)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssessOptions {
    pub as_at: NaiveDate,
    pub trigger: Trigger,
    /// The warning band starts at this share of the trigger (0.75 = 75%).
    pub warn_at: Decimal,
    /// Days from a new claim to its first run: (Housing Benefit, Universal Credit).
    pub first_run_days: (i64, i64),
    /// How payments are split between rent and sundry debt.
    pub allocation: Allocation,
    /// The day whose law sets the statutory threshold: the day of service.
    pub law_on: NaiveDate,
    /// A tenancy ended by this day is over (the day of service, or today).
    pub tenancy_on: NaiveDate,
}

/// One account's standing as at the date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub account: AccountId,
    pub status: Status,
    pub posted_balance: Decimal,
    pub corrected_balance: Decimal,
    /// The rent arrears in the posted balance: what the trigger is tested
    /// on, sundry debt left out.
    pub posted_rent: Decimal,
    /// The rent arrears in the corrected balance (negative when in credit).
    pub rent_arrears: Decimal,
    /// Debt in the corrected balance that is not rent lawfully due: court
    /// costs, recharges, a refund paid in error.
    pub sundry_debt: Decimal,
    /// The part of the sundry debt that is refunds paid out in error.
    pub refunded_in_error: Decimal,
    /// Rent arrears in weeks of rent (negative when in credit).
    pub arrears_weeks: Decimal,
    pub weekly_rent: Decimal,
    pub trigger: Decimal,
    pub warn_from: Decimal,
    pub statutory: Statutory,
    /// The arrears the statutory threshold is compared with: the rent
    /// arrears, less unpaid UC housing payments where the law excludes them.
    pub statutory_arrears: Decimal,
    /// `None` where no mandatory ground exists.
    pub reaches_statutory: Option<bool>,
    /// Benefit earned but not yet due (part of the corrected balance).
    pub technical_arrears: Decimal,
    pub benefit: Option<BenefitOutlook>,
    /// A benefit account with no run yet.
    pub first_run: Option<FirstRun>,
    /// The latest Direct Debit return on the account in the last 14 days.
    pub recent_return: Option<NaiveDate>,
    /// Rent periods in the last 12 months that ended with the tenant behind.
    pub late_periods: usize,
    pub periods_12m: usize,
    /// Machine-readable reasons for the status (finding kinds or hold reasons).
    pub reasons: Vec<String>,
    /// Every reason the account is not cleared, whatever its status.
    pub holds: Vec<Hold>,
    pub findings: usize,
    pub detail: String,
    /// The case from cases.csv on the day of service, where it has one
    /// (boxed: a few accounts in a hundred thousand have one).
    pub case: Option<Box<CaseFacts>>,
    /// DHPs and DWP deductions (read where the arrears near the trigger).
    pub support: SupportFacts,
}

/// A Direct Debit returned this recently still needs time to put right.
pub const RECENT_RETURN_DAYS: i64 = 14;

/// Posted balance: the account's opening balance plus every posting up to
/// the as-at date (`own`: its postings).
pub fn posted_balance(data: &Dataset, id: AccountId, own: &[u32], as_at: NaiveDate) -> Decimal {
    let pence: i128 = own
        .iter()
        .map(|&p| &data.postings[p as usize])
        .filter(|p| p.date <= as_at)
        .map(|p| i128::from(p.amount.pence()))
        .sum();
    data.account(id).opening_balance + from_pence(pence)
}

/// Corrections per account from the findings, and the finding kinds that
/// touch each account.
fn corrections(n: usize, findings: &[Finding]) -> (Vec<Decimal>, Vec<Vec<FindingKind>>) {
    let mut delta = vec![Decimal::ZERO; n];
    let mut kinds: Vec<Vec<FindingKind>> = vec![Vec::new(); n];
    for f in findings {
        if let Some(a) = f.account {
            delta[a as usize] += f.amount;
            kinds[a as usize].push(f.kind);
        }
        if let Some(b) = f.posted_to {
            delta[b as usize] -= f.amount;
            kinds[b as usize].push(f.kind);
        }
    }
    for k in &mut kinds {
        k.sort_unstable();
    }
    (delta, kinds)
}

/// Late-payment history, as the ledger shows it: of the rent periods that
/// ended in the 12 months to the as-at date, how many the tenant fell further
/// behind in, counting benefit not yet due as paid (so Housing Benefit paid
/// in arrears, or old arrears carried forward, are not late payment).
/// `runs` are the posted benefit credits. Returns (late, periods).
fn late_periods(
    data: &Dataset,
    id: AccountId,
    postings: &[u32],
    runs: &[BenefitRun],
    as_at: NaiveDate,
) -> (usize, usize) {
    let year_ago = (as_at.checked_sub_days(chrono::Days::new(365))).unwrap_or(NaiveDate::MIN);
    let charges: Vec<NaiveDate> = postings
        .iter()
        .map(|&p| &data.postings[p as usize])
        .filter(|q| q.is_charge_by(as_at))
        .map(|q| q.date)
        .collect();
    let opening = data.account(id).opening_balance;
    let outlooks = benefit::Outlooks::new(data, id, runs);
    let mut posted: i128 = 0;
    let mut next = 0;
    // Arrears net of benefit not yet due, at the end of the day `on`.
    let mut real_arrears_on = |on: NaiveDate| {
        while next < postings.len() && data.postings[postings[next] as usize].date <= on {
            posted += i128::from(data.postings[postings[next] as usize].amount.pence());
            next += 1;
        }
        let balance = opening + from_pence(posted);
        balance
            - outlooks
                .on(on, on, balance)
                .map_or(Decimal::ZERO, |o| o.technical)
    };
    let boundaries: Vec<(NaiveDate, Decimal)> = charges
        .iter()
        .map(|&d| d - chrono::Days::new(1))
        .map(|end| (end, real_arrears_on(end)))
        .collect();
    // Before the first benefit run in the data, benefit in arrears cannot be
    // told from non-payment, so those periods are not judged.
    let judged_from = match data.account(id).landlord_benefit() {
        Benefit::None => NaiveDate::MIN,
        _ => runs.first().map_or(NaiveDate::MAX, |r| r.paid),
    };
    let (mut late, mut periods) = (0, 0);
    for pair in boundaries.windows(2) {
        let ((start, before), (end, after)) = (pair[0], pair[1]);
        if end < year_ago || end == start || end < judged_from {
            continue;
        }
        periods += 1;
        if after > before {
            late += 1;
        }
    }
    (late, periods)
}

/// Every account's assessment: what the run knows per account is gathered
/// once, then each account is assessed on its own (in parallel).
pub fn assess_all(
    data: &Dataset,
    ledger: &AccountPostings,
    matching: &Matching,
    findings: &[Finding],
    warnings: &[Warning],
    paid_since: &[hold::PaidSince],
    opts: AssessOptions,
) -> Vec<Assessment> {
    let known = RunFacts::gather(data, matching, findings, warnings, paid_since, opts.as_at);
    (0..data.accounts.len())
        .into_par_iter()
        .map(|i| {
            let id = i as AccountId;
            let doubts = known.doubts.of(id);
            let facts = known.facts_of(data, id, ledger.of(id), &doubts, opts);
            assess(data, id, facts, warnings, opts)
        })
        .collect()
}

/// What the run's findings and matching say of each account, indexed by
/// account before any one is assessed.
struct RunFacts {
    /// Per account: the corrections the findings make to its balance.
    delta: Vec<Decimal>,
    /// Per account: the kinds of finding that touch it.
    kinds: Vec<Vec<FindingKind>>,
    holding: Vec<usize>,
    doubts: hold::AllDoubts,
    /// Per account: its share of each benefit run matched from schedules.
    shares: Vec<Vec<BenefitRun>>,
    refunds: super::due::Context,
    recent_return: Vec<Option<NaiveDate>>,
    deceased: Vec<Option<NaiveDate>>,
    paid_on: rustc_hash::FxHashMap<u32, NaiveDate>,
    support_lines: support::SupportLines,
}

impl RunFacts {
    fn gather(
        data: &Dataset,
        matching: &Matching,
        findings: &[Finding],
        warnings: &[Warning],
        paid_since: &[hold::PaidSince],
        as_at: NaiveDate,
    ) -> RunFacts {
        let n = data.accounts.len();
        let (delta, kinds) = corrections(n, findings);
        let (recent_return, deceased) = returns_by_account(data, matching, as_at);
        RunFacts {
            delta,
            kinds,
            holding: holding_findings(n, findings),
            doubts: hold::doubts(n, findings, matching, warnings, paid_since),
            shares: benefit::shares(data, matching),
            refunds: super::due::Context::of(data, findings, &matching.clawed),
            recent_return,
            deceased,
            paid_on: late_money_days(data, findings),
            support_lines: support::SupportLines::of(data),
        }
    }

    /// What is known of one account (`own`: its postings) before its status
    /// is decided.
    fn facts_of<'a>(
        &'a self,
        data: &Dataset,
        id: AccountId,
        own: &'a [u32],
        doubts: &'a Doubts,
        opts: AssessOptions,
    ) -> Facts<'a> {
        let i = id as usize;
        let posted = posted_balance(data, id, own, opts.as_at);
        let corrected = posted + self.delta[i];
        let sundry = Sundry::of(data, id, own, opts.as_at, opts.allocation, &self.refunds);
        let dues = Sundry::split(sundry.corrected, corrected);
        let through = charged_through(data, id, own, opts.as_at);
        let posted_runs = benefit::posted_runs(data, own);
        let runs = if self.shares[i].is_empty() {
            &posted_runs
        } else {
            &self.shares[i]
        };
        let judging = case::Judging {
            own,
            paid_on: &self.paid_on,
            as_at: opts.as_at,
            on: opts.law_on,
        };
        Facts {
            posted,
            corrected,
            posted_dues: Sundry::split(sundry.posted, posted),
            dues,
            refunded_in_error: sundry.refunds_in_error.iter().map(|r| r.excess).sum(),
            as_at: opts.as_at,
            kinds: &self.kinds[i],
            holding: self.holding[i],
            doubts,
            benefit: benefit::outlook(data, id, runs, opts.as_at, through, dues.rent),
            first_run: first_run_of(data, id, own, runs, opts, dues.rent),
            recent_return: self.recent_return[i],
            deceased: self.deceased[i],
            uc_not_yet_paid: uc_not_yet_paid(data, id, own, opts.as_at),
            late: late_periods(data, id, own, &posted_runs, opts.as_at),
            case: case::judge(data, id, judging).map(Box::new),
            own,
            support_lines: &self.support_lines,
        }
    }
}

/// For an account whose benefit is paid to the landlord: the first run of a
/// new claim, where no run has come yet.
fn first_run_of(
    data: &Dataset,
    id: AccountId,
    own: &[u32],
    runs: &[BenefitRun],
    opts: AssessOptions,
    rent_owed: Decimal,
) -> Option<FirstRun> {
    if data.account(id).landlord_benefit() == Benefit::None {
        return None;
    }
    benefit::first_run(
        data,
        id,
        runs,
        opts.as_at,
        opts.first_run_days,
        charged_since_opening(data, own, opts.as_at),
        rent_owed,
    )
}

/// For judging arrangements on the day the money came: each posting made
/// late, with the day its money arrived (only where there are cases).
fn late_money_days(data: &Dataset, findings: &[Finding]) -> rustc_hash::FxHashMap<u32, NaiveDate> {
    if data.cases.is_empty() {
        return Default::default();
    }
    (findings.iter())
        .filter(|f| f.kind == FindingKind::LatePosting)
        .filter_map(|f| Some((*f.postings.first()? as u32, data.bank[f.bank?].date)))
        .collect()
}

/// Per account: its latest Direct Debit return in the last 14 days, and
/// its latest returned because the payer died (on or before `as_at`).
fn returns_by_account(
    data: &Dataset,
    matching: &Matching,
    as_at: NaiveDate,
) -> (Vec<Option<NaiveDate>>, Vec<Option<NaiveDate>>) {
    let mut recent_return: Vec<Option<NaiveDate>> = vec![None; data.accounts.len()];
    let mut deceased: Vec<Option<NaiveDate>> = vec![None; data.accounts.len()];
    for &(a, bank) in &matching.returns {
        let line = &data.bank[bank];
        let on = line.date;
        if (as_at - on).num_days() < RECENT_RETURN_DAYS {
            let slot = &mut recent_return[a as usize];
            *slot = (*slot).max(Some(on));
        }
        let died = data
            .return_code(line)
            .and_then(law::return_code)
            .is_some_and(|r| r.deceased);
        if died && on <= as_at {
            let slot = &mut deceased[a as usize];
            *slot = (*slot).max(Some(on));
        }
    }
    (recent_return, deceased)
}

/// How many findings on each account still need putting right: a late
/// posting is already right on the ledger, and holds nothing.
fn holding_findings(n: usize, findings: &[Finding]) -> Vec<usize> {
    let mut holding = vec![0; n];
    for f in findings.iter().filter(|f| f.needs_correction()) {
        for a in f.account.into_iter().chain(f.posted_to) {
            holding[a as usize] += 1;
        }
    }
    holding
}

/// For an account whose Universal Credit is paid to the tenant: the rent
/// charged since the tenant's last payment, at most a month's rent, which
/// the law may not count while that UC is unpaid. Zero for other accounts.
fn uc_not_yet_paid(data: &Dataset, id: AccountId, own: &[u32], as_at: NaiveDate) -> Decimal {
    let account = data.account(id);
    if account.benefit != Benefit::Uc || account.uc_paid_to != UcPaidTo::Tenant {
        return Decimal::ZERO;
    }
    let postings = || {
        own.iter()
            .map(|&p| &data.postings[p as usize])
            .filter(|q| q.date <= as_at)
    };
    let last_paid = postings()
        .filter(|q| q.is_cash_credit())
        .map(|q| q.date)
        .next_back();
    let since: i128 = postings()
        .filter(|q| q.is_charge_by(as_at) && last_paid.is_none_or(|d| q.date > d))
        .map(|q| i128::from(q.amount.pence()))
        .sum();
    let month = to_pennies(account.weekly_rent() * Decimal::from(52) / Decimal::from(12));
    from_pence(since).min(month)
}

/// The rent charged on the account from its opening date to `as_at`.
fn charged_since_opening(data: &Dataset, own: &[u32], as_at: NaiveDate) -> Decimal {
    let pence: i128 = own
        .iter()
        .map(|&p| &data.postings[p as usize])
        .filter(|q| q.is_charge_by(as_at))
        .map(|q| i128::from(q.amount.pence()))
        .sum();
    from_pence(pence)
}

/// The last day the rent charged up to `as_at` pays for: the day before the
/// next charge after the latest one.
fn charged_through(data: &Dataset, id: AccountId, postings: &[u32], as_at: NaiveDate) -> NaiveDate {
    let last = postings
        .iter()
        .map(|&p| &data.postings[p as usize])
        .filter(|q| q.is_charge_by(as_at))
        .map(|q| q.date)
        .next_back();
    let next = last.and_then(|d| data.account(id).rent_period.nth_after(d, 1));
    next.map_or(as_at, |n| n - chrono::Days::new(1))
}

/// What is known of one account before its status is decided.
struct Facts<'a> {
    posted: Decimal,
    corrected: Decimal,
    /// The posted balance split into rent arrears and sundry debt.
    posted_dues: Dues,
    /// The corrected balance so split.
    dues: Dues,
    /// Pence of refunds paid beyond the account's credit.
    refunded_in_error: i64,
    as_at: NaiveDate,
    kinds: &'a [FindingKind],
    /// Findings that still need putting right.
    holding: usize,
    doubts: &'a Doubts,
    benefit: Option<BenefitOutlook>,
    first_run: Option<FirstRun>,
    recent_return: Option<NaiveDate>,
    /// The latest Direct Debit returned because the payer died.
    deceased: Option<NaiveDate>,
    /// For UC paid to the tenant: rent charged since the tenant last paid,
    /// at most a month's.
    uc_not_yet_paid: Decimal,
    late: (usize, usize),
    /// The case from cases.csv on the day of service, where it has one.
    case: Option<Box<CaseFacts>>,
    /// The account's postings.
    own: &'a [u32],
    support_lines: &'a support::SupportLines,
}

/// An account's money against its trigger, as [`assess`] decides it.
struct Levels {
    trigger: Decimal,
    warn_from: Decimal,
    weekly: Decimal,
}

impl Levels {
    /// The trigger and warning band for an account whose rent is `rent`.
    fn of(account: &Account, rent: Decimal, opts: AssessOptions) -> Levels {
        let trigger = opts.trigger.amount_for(account, rent);
        Levels {
            trigger,
            warn_from: to_pennies(trigger * opts.warn_at),
            weekly: account.rent_period.weekly_equivalent(rent),
        }
    }

    fn reaches(&self, b: Decimal) -> bool {
        b >= self.trigger
    }

    fn in_band(&self, b: Decimal) -> bool {
        b >= self.warn_from && b < self.trigger
    }

    fn weeks(&self, b: Decimal) -> Decimal {
        if self.weekly.is_zero() {
            Decimal::ZERO
        } else {
            to_pennies(b / self.weekly)
        }
    }
}

/// One account's assessment: its levels, its technical and statutory
/// arrears, its holds, then its status and the words for it.
fn assess(
    data: &Dataset,
    id: AccountId,
    facts: Facts<'_>,
    warnings: &[Warning],
    opts: AssessOptions,
) -> Assessment {
    let account = data.account(id);
    let rent = data.rent_on(id, opts.as_at);
    let levels = Levels::of(account, rent, opts);
    let (posted, corrected) = (facts.posted_dues.rent, facts.dues.rent);
    let technical = match (&facts.benefit, &facts.first_run) {
        (Some(o), _) => o.technical,
        (None, Some(f)) => f.technical,
        // Universal Credit paid to the tenant comes monthly in arrears:
        // the rent since the tenant last paid, up to a month's, may wait
        // on it (zero for any other account).
        (None, None) => facts.uc_not_yet_paid.min(corrected).max(Decimal::ZERO),
    };
    let real = corrected - technical;
    let statutory = statutory_threshold(account, rent, opts.law_on);
    let statutory_arrears = statutory_arrears(account, &statutory, &facts, real);
    let reaches_statutory = statutory.threshold.map(|t| statutory_arrears >= t);
    // Read only where the arrears come near the trigger: it reads words.
    let support = if corrected >= levels.warn_from || posted >= levels.warn_from {
        support::facts(data, facts.own, opts.as_at, facts.support_lines)
    } else {
        SupportFacts::default()
    };
    let mut holds = holds_of(
        data,
        id,
        &facts,
        &levels,
        warnings,
        (technical, opts.tenancy_on),
    );
    hold_for_deductions(&mut holds, &support, opts.as_at);
    let status = status_of(&levels, posted, corrected, real, !holds.is_empty());
    let (reasons, detail) = explain(status, &facts, &levels, &holds, technical);
    Assessment {
        account: id,
        status,
        posted_balance: facts.posted,
        corrected_balance: facts.corrected,
        posted_rent: posted,
        rent_arrears: corrected,
        sundry_debt: facts.dues.sundry,
        refunded_in_error: refunded_in_error(&facts),
        arrears_weeks: levels.weeks(corrected),
        weekly_rent: to_pennies(levels.weekly),
        trigger: levels.trigger,
        warn_from: levels.warn_from,
        statutory,
        statutory_arrears,
        reaches_statutory,
        technical_arrears: technical,
        benefit: facts.benefit,
        first_run: facts.first_run,
        recent_return: facts.recent_return,
        late_periods: facts.late.0,
        periods_12m: facts.late.1,
        reasons,
        holds,
        findings: facts.kinds.len(),
        detail,
        case: facts.case,
        support,
    }
}

/// The arrears the statutory threshold is tested on: the rent arrears
/// (`real`: less benefit not yet due, where the law leaves unpaid UC out).
fn statutory_arrears(
    account: &Account,
    statutory: &Statutory,
    facts: &Facts<'_>,
    real: Decimal,
) -> Decimal {
    match (statutory.excludes_unpaid_uc, account.benefit) {
        // UC paid to the tenant: `real` already leaves out the rent since
        // the tenant last paid, up to a month's (UC not yet paid to them).
        (true, Benefit::Uc) => real,
        _ => facts.dues.rent,
    }
}

/// DWP deductions being paid towards the arrears are repayment in hand: a
/// hold of the arrangement kind, in its place among the holds.
fn hold_for_deductions(holds: &mut Vec<Hold>, support: &SupportFacts, as_at: NaiveDate) {
    let Some((paid, last)) = support.deductions_current(as_at) else {
        return;
    };
    let at = holds
        .iter()
        .position(|h| h.reason > HoldReason::ArrangementKept)
        .unwrap_or(holds.len());
    holds.insert(
        at,
        Hold::new(
            HoldReason::ArrangementKept,
            format!(
                "DWP is paying deductions from the tenant's benefit towards the arrears ({} in the \
                 last 12 months, the latest on {last}): repayment is in hand; do not proceed while \
                 it is paid",
                pounds(paid)
            ),
        ),
    );
}

/// The contract's ladder: where several statuses fit, the first wins.
fn status_of(l: &Levels, posted: Decimal, corrected: Decimal, real: Decimal, held: bool) -> Status {
    if l.reaches(posted) && !l.reaches(corrected) {
        Status::FalseTrigger
    } else if l.in_band(posted) && corrected < l.warn_from {
        Status::FalseApproach
    } else if l.reaches(corrected) && !l.reaches(posted) {
        Status::HiddenArrears
    } else if l.reaches(corrected) && !l.reaches(real) {
        Status::TechnicalArrears
    } else if l.reaches(corrected) && held {
        Status::ProtocolHold
    } else if l.reaches(corrected) {
        Status::Genuine
    } else if l.in_band(corrected) {
        Status::Approaching
    } else {
        Status::Clear
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_parses_weeks_months_and_sums() {
        assert_eq!(
            "4w".parse::<Trigger>(),
            Ok(Trigger::Weeks(Decimal::from(4)))
        );
        assert_eq!(
            "2M".parse::<Trigger>(),
            Ok(Trigger::Months(Decimal::from(2)))
        );
        assert_eq!(
            "£500".parse::<Trigger>(),
            Ok(Trigger::Amount(Decimal::from(500)))
        );
        assert!("4x".parse::<Trigger>().is_err());
        assert!("-4w".parse::<Trigger>().is_err());
        assert!("999999999999999999999999999w".parse::<Trigger>().is_err());
        assert!("£20000000".parse::<Trigger>().is_err());
    }
}
