//! The statutory mandatory-ground thresholds, kept in one dated table so the
//! next change in the law is one edit. Sources are cited on each rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::{Account, RentPeriod, TenancyType};

/// One period of the law for a set of tenancy types.
#[derive(Debug, PartialEq, Eq)]
pub struct StatutoryRule {
    pub tenancies: &'static [TenancyType],
    /// First day the rule applies (inclusive).
    pub from: (i32, u32, u32),
    /// First day it no longer applies, if it has been replaced.
    pub until: Option<(i32, u32, u32)>,
    /// Weeks' rent where rent is weekly, fortnightly or four-weekly.
    pub weeks: u32,
    /// Months' rent where rent is monthly.
    pub months: u32,
    /// Arrears that exist only because a Universal Credit housing payment
    /// has not yet been paid do not count.
    pub excludes_unpaid_uc: bool,
    pub ground: &'static str,
    pub source: &'static str,
}

const ASSURED: &[TenancyType] = &[
    TenancyType::Assured,
    TenancyType::AssuredShorthold,
    // Housing associations' starter tenancies are assured shorthold tenancies.
    TenancyType::Starter,
];

pub const RULES: &[StatutoryRule] = &[
    StatutoryRule {
        tenancies: ASSURED,
        from: (1989, 1, 15),
        until: Some((2026, 5, 1)),
        weeks: 8,
        months: 2,
        excludes_unpaid_uc: false,
        ground: "Ground 8",
        source: "Housing Act 1988, Sch. 2, Ground 8 (before 1 May 2026)",
    },
    StatutoryRule {
        tenancies: ASSURED,
        from: (2026, 5, 1),
        until: None,
        weeks: 13,
        months: 3,
        excludes_unpaid_uc: true,
        ground: "Ground 8",
        source: "Housing Act 1988, Sch. 2, Ground 8 as amended by the Renters' Rights Act 2025 (from 1 May 2026)",
    },
];

/// The threshold that applied to an account on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statutory {
    /// `None` where no mandatory rent-arrears ground exists.
    pub threshold: Option<Decimal>,
    pub basis: Basis,
    pub excludes_unpaid_uc: bool,
}

/// Why the threshold is what it is, written out (`Display`) only where a
/// report says so: a sentence made for each of a hundred thousand accounts
/// was their assessment's largest allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// A mandatory ground, counted in months' rent or weeks'.
    Rule {
        rule: &'static StatutoryRule,
        monthly: bool,
    },
    /// No mandatory ground for this tenancy type.
    NoGround(TenancyType),
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Basis::Rule { rule, monthly } => {
                let (count, unit) = if monthly {
                    (rule.months, "months'")
                } else {
                    (rule.weeks, "weeks'")
                };
                write!(
                    f,
                    "{}: at least {count} {unit} rent unpaid ({})",
                    rule.ground, rule.source
                )
            }
            Basis::NoGround(TenancyType::Secure | TenancyType::Introductory) => f.write_str(
                "no mandatory rent-arrears ground: Housing Act 1985, Sch. 2, Ground 1 is discretionary \
                 (the court decides what is reasonable)",
            ),
            Basis::NoGround(t) => {
                write!(f, "no mandatory rent-arrears ground is recorded for a {t} tenancy")
            }
        }
    }
}

fn date((y, m, d): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub fn rule_on(tenancy: TenancyType, on: NaiveDate) -> Option<&'static StatutoryRule> {
    RULES.iter().find(|r| {
        r.tenancies.contains(&tenancy)
            && date(r.from).is_some_and(|f| f <= on)
            && r.until.and_then(date).is_none_or(|u| on < u)
    })
}

/// `rent`: the rent in force on the day.
pub fn statutory_threshold(account: &Account, rent: Decimal, on: NaiveDate) -> Statutory {
    match rule_on(account.tenancy_type, on) {
        Some(rule) => {
            let monthly = account.rent_period == RentPeriod::Monthly;
            let threshold = if monthly {
                rent * Decimal::from(rule.months)
            } else {
                account.rent_period.weekly_equivalent(rent) * Decimal::from(rule.weeks)
            };
            Statutory {
                threshold: Some(super::money::to_pennies(threshold)),
                basis: Basis::Rule { rule, monthly },
                excludes_unpaid_uc: rule.excludes_unpaid_uc,
            }
        }
        None => Statutory {
            threshold: None,
            basis: Basis::NoGround(account.tenancy_type),
            excludes_unpaid_uc: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recon::testkit::Builder;

    fn account(tenancy: TenancyType, period: RentPeriod, rent: i64) -> Account {
        let mut b = Builder::default();
        let id = b.account("A1", "", &rent.to_string());
        b.with(id, |a| {
            a.tenancy_type = tenancy;
            a.rent_period = period;
        });
        b.data.accounts.remove(0)
    }

    #[test]
    fn assured_threshold_changes_on_1_may_2026() {
        let a = account(TenancyType::Assured, RentPeriod::Weekly, 100);
        let before = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
        let after = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
        assert_eq!(before.threshold, Some(Decimal::from(800)));
        assert_eq!(after.threshold, Some(Decimal::from(1300)));
        assert!(after.excludes_unpaid_uc && !before.excludes_unpaid_uc);
    }

    #[test]
    fn monthly_rent_counts_in_months() {
        let a = account(TenancyType::AssuredShorthold, RentPeriod::Monthly, 500);
        let before = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(before.threshold, Some(Decimal::from(1000)));
    }

    #[test]
    fn secure_tenancies_have_no_mandatory_ground() {
        let a = account(TenancyType::Secure, RentPeriod::Weekly, 100);
        let s = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        assert_eq!(s.threshold, None);
        assert!(s.basis.to_string().contains("discretionary"));
    }
}
