//! Help from the state besides the landlord's benefit run: Discretionary
//! Housing Payments, and DWP deductions from the tenant's benefit towards
//! the arrears (third-party deductions), known by method or by words.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use rustc_hash::FxHashMap as HashMap;

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

/// Bank lines that say they are support, by their bank id: by method,
/// else by the words of their reference and payer (a payment from DWP
/// that is not benefit is a deduction for arrears).
pub struct SupportLines(HashMap<String, Support>);

impl SupportLines {
    pub fn of(data: &Dataset) -> SupportLines {
        use rayon::prelude::*;
        // Few lines are support: a byte scan rules the rest out in parallel.
        let maybe = |text: &str| {
            text.as_bytes().windows(3).any(|w| {
                let w = [
                    w[0].to_ascii_uppercase(),
                    w[1].to_ascii_uppercase(),
                    w[2].to_ascii_uppercase(),
                ];
                matches!(&w, b"DWP" | b"DHP" | b"TPD" | b"DED" | b"THI" | b"DIS")
            })
        };
        let lines = (0..data.bank.len())
            .into_par_iter()
            .filter(|&i| {
                let line = &data.bank[i];
                matches!(line.method, Some(Method::Dhp | Method::Deduction))
                    || maybe(data.reference(line))
                    || maybe(data.payer(line))
            })
            .filter_map(|i| Some((i, Self::said(data, i)?)))
            .map(|(i, s)| {
                (
                    crate::recon::identify::normalise(&data.bank_id(i)).to_string(),
                    s,
                )
            })
            .collect();
        SupportLines(lines)
    }

    fn said(data: &Dataset, i: usize) -> Option<Support> {
        let line = &data.bank[i];
        match line.method {
            Some(Method::Hb | Method::Uc | Method::DdReturn) => None,
            m => by_method(m).or_else(|| {
                let words = words(&format!("{} {}", data.reference(line), data.payer(line)));
                in_words(&words).or_else(|| {
                    (words.iter())
                        .any(|w| w == "DWP")
                        .then_some(Support::Deduction)
                })
            }),
        }
    }
}

fn by_method(method: Option<Method>) -> Option<Support> {
    match method {
        Some(Method::Dhp) => Some(Support::Dhp),
        Some(Method::Deduction) => Some(Support::Deduction),
        _ => None,
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect()
}

/// The support words name: "DHP", "Discretionary Housing", "TPD", "third
/// party", "deduction(s)".
fn in_words(words: &[String]) -> Option<Support> {
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

/// The support a cash credit is: by its method (`dhp`,
/// `third_party_deduction`), else by its description, else by the bank
/// line its bank ref names (a payment, not benefit).
pub fn of(data: &Dataset, p: usize, lines: &SupportLines) -> Option<Support> {
    let q = &data.postings[p];
    if !q.is_cash_credit() {
        return None;
    }
    by_method(q.method)
        .or_else(|| in_words(&words(data.description(q))))
        .or_else(|| {
            let bank_ref = data.bank_ref(q)?;
            let found = lines
                .0
                .get(crate::recon::identify::normalise(bank_ref).as_str())
                .copied();
            found.filter(|_| q.kind != super::model::PostingKind::Benefit)
        })
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
pub fn facts(data: &Dataset, own: &[u32], as_at: NaiveDate, lines: &SupportLines) -> SupportFacts {
    let year_ago = as_at
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let mut facts = SupportFacts::default();
    for &p in own {
        let q = &data.postings[p as usize];
        if q.date > as_at || q.date <= year_ago {
            continue;
        }
        let slot = match of(data, p as usize, lines) {
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
