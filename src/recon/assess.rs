//! Balances and the NOSP assessment: each account's posted and corrected
//! balance as at a date, its arrears in weeks of rent, and its status against
//! the landlord's trigger and the statutory threshold (docs/matching.md).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use rayon::prelude::*;

use super::benefit::{self, BenefitOutlook, BenefitRun};
use super::finding::{Finding, FindingKind};
use super::law::{statutory_threshold, Statutory};
use super::matching::Matching;
use super::model::{vocabulary, Account, AccountId, AccountPostings, Benefit, Dataset, RentPeriod};
use super::money::{from_pence, plain, pounds, to_pennies};

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

impl FromStr for Trigger {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let number = |n: &str| -> Result<Decimal, String> {
            Decimal::from_str(n.trim())
                .ok()
                .filter(|d| *d > Decimal::ZERO)
                .ok_or_else(|| {
                    format!("expected a trigger like 4w, 8w, 2m or £500.00, found {s:?}")
                })
        };
        if let Some(n) = t.strip_suffix('w') {
            Ok(Trigger::Weeks(number(n)?))
        } else if let Some(n) = t.strip_suffix('m') {
            Ok(Trigger::Months(number(n)?))
        } else {
            Ok(Trigger::Amount(number(t.trim_start_matches('£'))?))
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
    /// The trigger in pounds for one account.
    pub fn amount_for(self, account: &Account) -> Decimal {
        let raw = match self {
            Trigger::Weeks(n) => n * account.weekly_rent(),
            Trigger::Months(n) => match account.rent_period {
                RentPeriod::Monthly => n * account.rent,
                _ => n * account.weekly_rent() * Decimal::from(52) / Decimal::from(12),
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
}

/// One account's standing as at the date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub account: AccountId,
    pub status: Status,
    pub posted_balance: Decimal,
    pub corrected_balance: Decimal,
    /// Corrected balance in weeks of rent (negative when in credit).
    pub arrears_weeks: Decimal,
    pub weekly_rent: Decimal,
    pub trigger: Decimal,
    pub warn_from: Decimal,
    pub statutory: Statutory,
    /// The arrears the statutory threshold is compared with: the corrected
    /// balance, less unpaid UC housing payments where the law excludes them.
    pub statutory_arrears: Decimal,
    /// `None` where no mandatory ground exists.
    pub reaches_statutory: Option<bool>,
    /// Benefit earned but not yet due (part of the corrected balance).
    pub technical_arrears: Decimal,
    pub benefit: Option<BenefitOutlook>,
    /// The latest Direct Debit return on the account in the last 14 days.
    pub recent_return: Option<NaiveDate>,
    /// Rent periods in the last 12 months that ended with the tenant behind.
    pub late_periods: usize,
    pub periods_12m: usize,
    /// Machine-readable reasons for the status (finding kinds or hold reasons).
    pub reasons: Vec<String>,
    pub findings: usize,
    pub detail: String,
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
            - benefit::outlook(data, id, runs, on, on, balance)
                .map_or(Decimal::ZERO, |o| o.technical)
    };
    let boundaries: Vec<(NaiveDate, Decimal)> = charges
        .iter()
        .map(|&d| d - chrono::Days::new(1))
        .map(|end| (end, real_arrears_on(end)))
        .collect();
    // Before the first benefit run in the data, benefit in arrears cannot be
    // told from non-payment, so those periods are not judged.
    let judged_from = match data.account(id).benefit {
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

pub fn assess_all(
    data: &Dataset,
    ledger: &AccountPostings,
    matching: &Matching,
    findings: &[Finding],
    opts: AssessOptions,
) -> Vec<Assessment> {
    let (delta, kinds) = corrections(data.accounts.len(), findings);
    let shares = benefit::shares(data, matching);
    let mut recent_return: Vec<Option<NaiveDate>> = vec![None; data.accounts.len()];
    for &(a, bank) in &matching.returns {
        let on = data.bank[bank].date;
        if (opts.as_at - on).num_days() < RECENT_RETURN_DAYS {
            let slot = &mut recent_return[a as usize];
            *slot = (*slot).max(Some(on));
        }
    }
    (0..data.accounts.len())
        .into_par_iter()
        .map(|i| {
            let id = i as AccountId;
            let own = ledger.of(id);
            let posted = posted_balance(data, id, own, opts.as_at);
            let corrected = posted + delta[i];
            let through = charged_through(data, id, own, opts.as_at);
            let posted_runs = benefit::posted_runs(data, own);
            let runs = if shares[i].is_empty() {
                &posted_runs
            } else {
                &shares[i]
            };
            let facts = Facts {
                posted,
                corrected,
                kinds: &kinds[i],
                benefit: benefit::outlook(data, id, runs, opts.as_at, through, corrected),
                recent_return: recent_return[i],
                late: late_periods(data, id, own, &posted_runs, opts.as_at),
            };
            assess(data.account(id), id, facts, opts)
        })
        .collect()
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
    let next = last.and_then(|d| match data.account(id).rent_period {
        RentPeriod::Weekly => d.checked_add_days(chrono::Days::new(7)),
        RentPeriod::Fortnightly => d.checked_add_days(chrono::Days::new(14)),
        RentPeriod::FourWeekly => d.checked_add_days(chrono::Days::new(28)),
        RentPeriod::Monthly => d.checked_add_months(chrono::Months::new(1)),
    });
    next.map_or(as_at, |n| n - chrono::Days::new(1))
}

/// What is known of one account before its status is decided.
struct Facts<'a> {
    posted: Decimal,
    corrected: Decimal,
    kinds: &'a [FindingKind],
    benefit: Option<BenefitOutlook>,
    recent_return: Option<NaiveDate>,
    late: (usize, usize),
}

fn assess(account: &Account, id: AccountId, facts: Facts<'_>, opts: AssessOptions) -> Assessment {
    let Facts {
        posted,
        corrected,
        kinds,
        benefit,
        recent_return,
        late,
    } = facts;
    let trigger = opts.trigger.amount_for(account);
    let warn_from = to_pennies(trigger * opts.warn_at);
    let weekly = account.weekly_rent();
    let weeks = |b: Decimal| {
        if weekly.is_zero() {
            Decimal::ZERO
        } else {
            to_pennies(b / weekly)
        }
    };
    let arrears_weeks = weeks(corrected);
    let reaches = |b: Decimal| b >= trigger;
    let in_band = |b: Decimal| b >= warn_from && b < trigger;
    let technical = benefit.as_ref().map_or(Decimal::ZERO, |o| o.technical);
    let real = corrected - technical;

    let statutory = statutory_threshold(account, opts.as_at);
    let statutory_arrears = if statutory.excludes_unpaid_uc && account.benefit == Benefit::Uc {
        real
    } else {
        corrected
    };
    let reaches_statutory = statutory.threshold.map(|t| statutory_arrears >= t);

    let mut finding_kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    finding_kinds.dedup();
    let mut holds = Vec::new();
    if account.vulnerable {
        holds.push("vulnerable".to_string());
    }
    if account.benefit_claim_pending {
        holds.push("benefit_claim_pending".to_string());
    }
    if account.open_dispute {
        holds.push("open_dispute".to_string());
    }
    if !kinds.is_empty() {
        holds.push("unresolved_finding".to_string());
    }
    if technical > Decimal::ZERO {
        holds.push("technical_arrears".to_string());
    }
    if recent_return.is_some() {
        holds.push("recent_dd_return".to_string());
    }

    let status = if reaches(posted) && !reaches(corrected) {
        Status::FalseTrigger
    } else if in_band(posted) && corrected < warn_from {
        Status::FalseApproach
    } else if reaches(corrected) && !reaches(posted) {
        Status::HiddenArrears
    } else if reaches(corrected) && !reaches(real) {
        Status::TechnicalArrears
    } else if reaches(corrected) && !holds.is_empty() {
        Status::ProtocolHold
    } else if reaches(corrected) {
        Status::Genuine
    } else if in_band(corrected) {
        Status::Approaching
    } else {
        Status::Clear
    };

    let n = kinds.len();
    let fixes = format!(
        "once {n} finding{} {} put right",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" }
    );
    let benefit_words = |o: &BenefitOutlook| {
        format!(
            "{} of it is {} for the period since {} not yet due ({} paid every {} days in arrears{}); the next \
             run is expected {}",
            pounds(o.technical),
            benefit_name(o.benefit),
            o.covered_to,
            benefit_name(o.benefit),
            o.cycle_days,
            if o.learned { "" } else { ", assumed" },
            o.next_expected
        )
    };
    let (reasons, detail) = match status {
        Status::FalseTrigger => (
            finding_kinds,
            format!(
                "Do not serve: the posted balance {} reaches the trigger {} but the corrected balance is {} \
                 ({} weeks) {fixes}.",
                pounds(posted),
                pounds(trigger),
                pounds(corrected),
                plain(arrears_weeks)
            ),
        ),
        Status::FalseApproach => (
            finding_kinds,
            format!(
                "Not approaching the trigger: the posted balance {} is in the warning band from {} but the \
                 corrected balance is {} {fixes}.",
                pounds(posted),
                pounds(warn_from),
                pounds(corrected)
            ),
        ),
        Status::HiddenArrears => (
            finding_kinds,
            format!(
                "The corrected balance {} ({} weeks) reaches the trigger {} though the ledger shows {}: \
                 put the findings right and review the account.",
                pounds(corrected),
                plain(arrears_weeks),
                pounds(trigger),
                pounds(posted)
            ),
        ),
        Status::TechnicalArrears => (
            vec!["technical_arrears".to_string()],
            format!(
                "Hold: technical arrears. The corrected balance {} reaches the trigger {}, but {}. Without it \
                 the arrears are {} ({} weeks).",
                pounds(corrected),
                pounds(trigger),
                benefit.as_ref().map(benefit_words).unwrap_or_default(),
                pounds(real),
                plain(weeks(real))
            ),
        ),
        Status::ProtocolHold => (
            holds.clone(),
            format!(
                "Reaches the trigger ({} against {}), but hold: {}.",
                pounds(corrected),
                pounds(trigger),
                holds
                    .iter()
                    .map(|h| match h.as_str() {
                        "technical_arrears" => benefit.as_ref().map(benefit_words).unwrap_or_default(),
                        "recent_dd_return" => format!(
                            "a Direct Debit was returned on {} (under {RECENT_RETURN_DAYS} days ago): give the \
                             tenant time to pay another way",
                            recent_return.map(|d| d.to_string()).unwrap_or_default()
                        ),
                        other => hold_in_words(other).to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
        Status::Genuine => (
            Vec::new(),
            format!(
                "Reaches the trigger: corrected balance {} ({} weeks) against {}; nothing found against it.",
                pounds(corrected),
                plain(arrears_weeks),
                pounds(trigger)
            ),
        ),
        Status::Approaching => (
            Vec::new(),
            format!(
                "Approaching the trigger: corrected balance {} is in the warning band ({} to {}).",
                pounds(corrected),
                pounds(warn_from),
                pounds(trigger)
            ),
        ),
        Status::Clear => (
            Vec::new(),
            format!("Below the warning band: corrected balance {}.", pounds(corrected)),
        ),
    };

    Assessment {
        account: id,
        status,
        posted_balance: posted,
        corrected_balance: corrected,
        arrears_weeks,
        weekly_rent: to_pennies(weekly),
        trigger,
        warn_from,
        statutory,
        statutory_arrears,
        reaches_statutory,
        technical_arrears: technical,
        benefit,
        recent_return,
        late_periods: late.0,
        periods_12m: late.1,
        reasons,
        findings: n,
        detail,
    }
}

fn benefit_name(b: Benefit) -> &'static str {
    match b {
        Benefit::Hb => "Housing Benefit",
        Benefit::Uc => "Universal Credit",
        Benefit::None => "benefit",
    }
}

fn hold_in_words(code: &str) -> &'static str {
    match code {
        "vulnerable" => "a vulnerability is recorded (take it into account before any step)",
        "benefit_claim_pending" => "a benefit claim is pending with evidence supplied",
        "open_dispute" => "a complaint or dispute about the account is open",
        "unresolved_finding" => "a finding on the account is not yet resolved",
        _ => "see reasons",
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
    }
}
