//! Balances and the NOSP assessment: each account's posted and corrected
//! balance as at a date, its arrears in weeks of rent, and its status against
//! the landlord's trigger and the statutory threshold (docs/matching.md).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::finding::{Finding, FindingKind};
use super::law::{statutory_threshold, Statutory};
use super::model::{vocabulary, Account, AccountId, Dataset, RentPeriod};
use super::money::{plain, pounds, to_pennies};

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
    /// Machine-readable reasons for the status (finding kinds or hold reasons).
    pub reasons: Vec<String>,
    pub findings: usize,
    pub detail: String,
}

/// Posted balance per account: opening balance plus every posting up to the
/// as-at date.
pub fn posted_balances(data: &Dataset, as_at: NaiveDate) -> Vec<Decimal> {
    let mut balances: Vec<Decimal> = data.accounts.iter().map(|a| a.opening_balance).collect();
    for p in data.postings.iter().filter(|p| p.date <= as_at) {
        balances[p.account as usize] += p.amount;
    }
    balances
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

pub fn assess_all(data: &Dataset, findings: &[Finding], opts: AssessOptions) -> Vec<Assessment> {
    let posted = posted_balances(data, opts.as_at);
    let (delta, kinds) = corrections(data.accounts.len(), findings);
    data.accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            assess(
                account,
                i as AccountId,
                posted[i],
                delta[i],
                &kinds[i],
                opts,
            )
        })
        .collect()
}

fn assess(
    account: &Account,
    id: AccountId,
    posted: Decimal,
    delta: Decimal,
    kinds: &[FindingKind],
    opts: AssessOptions,
) -> Assessment {
    let corrected = posted + delta;
    let trigger = opts.trigger.amount_for(account);
    let warn_from = to_pennies(trigger * opts.warn_at);
    let weekly = account.weekly_rent();
    let arrears_weeks = if weekly.is_zero() {
        Decimal::ZERO
    } else {
        to_pennies(corrected / weekly)
    };
    let reaches = |b: Decimal| b >= trigger;
    let in_band = |b: Decimal| b >= warn_from && b < trigger;

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

    let status = if reaches(posted) && !reaches(corrected) {
        Status::FalseTrigger
    } else if in_band(posted) && corrected < warn_from {
        Status::FalseApproach
    } else if reaches(corrected) && !reaches(posted) {
        Status::HiddenArrears
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
        Status::ProtocolHold => (
            holds.clone(),
            format!(
                "Reaches the trigger ({} against {}), but hold: {}.",
                pounds(corrected),
                pounds(trigger),
                holds.iter().map(|h| hold_in_words(h)).collect::<Vec<_>>().join("; ")
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
        Status::TechnicalArrears | Status::Clear => (Vec::new(), format!("Below the warning band: corrected balance {}.", pounds(corrected))),
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
        statutory: statutory_threshold(account, opts.as_at),
        reasons,
        findings: n,
        detail,
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
