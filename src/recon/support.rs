//! Help from the state besides the landlord's benefit run: Discretionary
//! Housing Payments, and DWP deductions from the tenant's benefit towards
//! the arrears (third-party deductions), known by method or by words.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::model::{Dataset, Method};

/// What a credit is, where it is one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Dhp,
    Deduction,
}

/// Deductions paid within this many days are being paid: a four-weekly or
/// monthly DWP cycle and its slack.
pub const DEDUCTIONS_CURRENT_DAYS: u64 = 42;

/// The support a cash credit is: by its method (`dhp`,
/// `third_party_deduction`), else by its description ("DHP",
/// "Discretionary Housing Payment", "TPD", "third party deduction").
pub fn of(data: &Dataset, p: usize) -> Option<Support> {
    let q = &data.postings[p];
    if !q.is_cash_credit() {
        return None;
    }
    match q.method {
        Some(Method::Dhp) => return Some(Support::Dhp),
        Some(Method::Deduction) => return Some(Support::Deduction),
        _ => {}
    }
    let words: Vec<String> = data
        .description(q)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("DHP") || (has("DISCRETIONARY") && has("HOUSING")) {
        Some(Support::Dhp)
    } else if has("TPD") || (has("THIRD") && has("PARTY")) || has("DEDUCTION") || has("DEDUCTIONS")
    {
        Some(Support::Deduction)
    } else {
        None
    }
}

/// An account's support up to the as-at date: each kind's total over the
/// last twelve months and its latest day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SupportFacts {
    pub dhp: Option<(Decimal, NaiveDate)>,
    pub deductions: Option<(Decimal, NaiveDate)>,
}

impl SupportFacts {
    /// The latest deduction, where DWP is still paying them on `as_at`.
    pub fn deductions_current(&self, as_at: NaiveDate) -> Option<(Decimal, NaiveDate)> {
        self.deductions.filter(|&(_, last)| {
            last.checked_add_days(Days::new(DEDUCTIONS_CURRENT_DAYS))
                .is_none_or(|d| d >= as_at)
        })
    }
}

/// `own`: the account's postings.
pub fn facts(data: &Dataset, own: &[u32], as_at: NaiveDate) -> SupportFacts {
    let year_ago = as_at
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let mut facts = SupportFacts::default();
    for &p in own {
        let q = &data.postings[p as usize];
        if q.date > as_at || q.date <= year_ago {
            continue;
        }
        let slot = match of(data, p as usize) {
            Some(Support::Dhp) => &mut facts.dhp,
            Some(Support::Deduction) => &mut facts.deductions,
            None => continue,
        };
        let (total, last) = slot.get_or_insert((Decimal::ZERO, q.date));
        *total += q.credit();
        *last = (*last).max(q.date);
    }
    facts
}
