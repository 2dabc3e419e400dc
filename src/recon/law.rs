//! The law the assessment applies, kept in dated tables so the next change is
//! one edit: the mandatory-ground thresholds, the route for tenancies with
//! none, and the Bacs return codes. Each rule cites its source.

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
        source: "Housing Act 1988, Sch. 2, Ground 8 (before 1 May 2026; a notice served before then \
                 keeps this threshold at the hearing: Renters' Rights Act 2025, transitional provisions)",
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
    /// A mandatory ground counted in weeks for four-weekly rent, which it
    /// does not name.
    FourWeekly(&'static StatutoryRule),
    /// No mandatory ground for this tenancy type.
    NoGround(TenancyType),
}

/// How an introductory tenancy ends: not by a NOSP on a ground.
pub const INTRODUCTORY: &str = "no ground for possession applies: an introductory tenancy ends by a notice \
     of proceedings under Housing Act 1996, s.128, with the tenant's right to a review (s.129), not by a \
     NOSP under the Housing Act 1985";

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
                    "{}: at least {count} {unit} rent unpaid when the notice is served and at the \
                     hearing ({})",
                    rule.ground, rule.source
                )
            }
            Basis::FourWeekly(rule) => write!(
                f,
                "{}: at least {} weeks' rent unpaid, counted in weeks for four-weekly rent, which the \
                 ground does not name (weekly, fortnightly, monthly, quarterly, yearly): take advice \
                 before relying on it ({})",
                rule.ground, rule.weeks, rule.source
            ),
            Basis::NoGround(TenancyType::Secure) => f.write_str(
                "no mandatory rent-arrears ground: Housing Act 1985, Sch. 2, Ground 1 is discretionary \
                 (the court decides what is reasonable)",
            ),
            Basis::NoGround(TenancyType::Introductory) => f.write_str(INTRODUCTORY),
            Basis::NoGround(t) => {
                write!(f, "no mandatory rent-arrears ground is recorded for a {t} tenancy")
            }
        }
    }
}

/// One Bacs ARUDD (Automated Return of Unpaid Direct Debits) reason code.
pub struct ReturnCode {
    pub code: &'static str,
    pub meaning: &'static str,
    /// The payer has died: who holds the tenancy is a succession matter,
    /// settled before any arrears step.
    pub deceased: bool,
}

/// The ARUDD reason codes, from the Bacs Direct Debit scheme's return
/// reasons (Bacs service user guide, ARUDD report).
pub const RETURN_CODES: &[ReturnCode] = &[
    ReturnCode {
        code: "0",
        meaning: "refer to payer",
        deceased: false,
    },
    ReturnCode {
        code: "1",
        meaning: "instruction cancelled by the payer",
        deceased: false,
    },
    ReturnCode {
        code: "2",
        meaning: "payer deceased",
        deceased: true,
    },
    ReturnCode {
        code: "3",
        meaning: "account transferred to another bank",
        deceased: false,
    },
    ReturnCode {
        code: "4",
        meaning: "advance notice disputed",
        deceased: false,
    },
    ReturnCode {
        code: "5",
        meaning: "no account (or wrong account type)",
        deceased: false,
    },
    ReturnCode {
        code: "6",
        meaning: "no instruction",
        deceased: false,
    },
    ReturnCode {
        code: "7",
        meaning: "amount differs from the advance notice",
        deceased: false,
    },
    ReturnCode {
        code: "8",
        meaning: "amount not yet due",
        deceased: false,
    },
    ReturnCode {
        code: "9",
        meaning: "presentation overdue",
        deceased: false,
    },
    ReturnCode {
        code: "A",
        meaning: "service user differs",
        deceased: false,
    },
    ReturnCode {
        code: "B",
        meaning: "account closed",
        deceased: false,
    },
];

/// The return code's row, compared without case or spaces.
pub fn return_code(code: &str) -> Option<&'static ReturnCode> {
    // Exports pad the code: `02` is code 2.
    let code = code.trim();
    let code = match code.trim_start_matches('0') {
        "" if !code.is_empty() => "0",
        rest => rest,
    };
    RETURN_CODES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
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
                basis: match account.rent_period {
                    RentPeriod::FourWeekly => Basis::FourWeekly(rule),
                    _ => Basis::Rule { rule, monthly },
                },
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

    #[test]
    fn introductory_tenancies_end_by_a_section_128_notice_not_a_nosp() {
        let a = account(TenancyType::Introductory, RentPeriod::Weekly, 100);
        let s = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        assert_eq!(s.threshold, None);
        let words = s.basis.to_string();
        assert!(
            words.contains("s.128") && !words.contains("Ground 1"),
            "{words}"
        );
    }

    #[test]
    fn four_weekly_rent_is_counted_in_weeks_and_flagged() {
        let a = account(TenancyType::Assured, RentPeriod::FourWeekly, 400);
        let s = statutory_threshold(&a, a.rent, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        // 13 weeks of £100.00 a week.
        assert_eq!(s.threshold, Some(Decimal::from(1300)));
        assert!(s.basis.to_string().contains("does not name"));
    }

    #[test]
    fn the_rent_in_force_sets_the_threshold() {
        let a = account(TenancyType::Assured, RentPeriod::Weekly, 100);
        let s = statutory_threshold(
            &a,
            Decimal::from(105),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        );
        assert_eq!(s.threshold, Some(Decimal::from(1365)));
    }

    #[test]
    fn every_bacs_return_code_has_a_meaning_and_only_2_is_a_death() {
        for code in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "b"] {
            assert!(return_code(code).is_some(), "{code}");
        }
        assert_eq!(
            return_code("4").map(|r| r.meaning),
            Some("advance notice disputed")
        );
        let deaths: Vec<&str> = RETURN_CODES
            .iter()
            .filter(|r| r.deceased)
            .map(|r| r.code)
            .collect();
        assert_eq!(deaths, ["2"]);
        assert!(return_code("Z").is_none());
        assert_eq!(return_code("02").map(|r| r.code), Some("2"));
        assert_eq!(return_code("00").map(|r| r.code), Some("0"));
    }
}
