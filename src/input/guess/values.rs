//! Judging a column's values over every row of the file: the date format
//! that reads them all (a day after the 12th late in the file settles day
//! before month), and money that the reader could not take.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::input::mapping::clean_money;

/// Date formats tried, UK before US where both read every value.
pub(super) const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y", "%d %B %Y",
    "%m/%d/%Y",
];

/// Whether `text` is money, a number or a date: a value, never a column name.
pub(super) fn is_value(text: &str) -> bool {
    money(text).is_some() || is_date(text)
}

/// Whether `text` reads as a date in some format tried.
pub(super) fn is_date(text: &str) -> bool {
    DATE_FORMATS.iter().any(|f| reads(text, f))
}

/// Whether format `f` reads `text`. A four-digit year (`%Y`) must be
/// written with four digits: chrono, and so the reader, would take
/// `02/03/26` as the year 26.
fn reads(text: &str, f: &str) -> bool {
    NaiveDate::parse_from_str(text, f)
        .is_ok_and(|d| !f.contains("%Y") || (1000..=9999).contains(&d.year()))
}

/// The money in `text` as the profile reader cleans it, if it reads.
pub(super) fn money(text: &str) -> Option<Decimal> {
    let cleaned = clean_money(text).ok()?;
    if !cleaned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

/// The date formats that read every value of a column seen so far.
#[derive(Debug)]
pub(super) struct DateJudge {
    alive: Vec<bool>,
    /// Non-blank values seen, and the first of them.
    pub seen: u64,
    pub first: Option<String>,
    /// Values not in ISO form: only they tell formats apart.
    other: u64,
    /// The value, and its line, that ruled out the last format standing.
    last_killer: Option<(u64, String)>,
}

impl Default for DateJudge {
    fn default() -> Self {
        DateJudge {
            alive: vec![true; DATE_FORMATS.len()],
            seen: 0,
            first: None,
            other: 0,
            last_killer: None,
        }
    }
}

impl DateJudge {
    pub fn see(&mut self, value: &str, line: u64) {
        if value.is_empty() {
            return;
        }
        self.seen += 1;
        if self.first.is_none() {
            self.first = Some(value.to_string());
        }
        // The reader takes ISO dates whatever the profile's formats say.
        if NaiveDate::parse_from_str(value, DATE_FORMATS[0]).is_ok() {
            return;
        }
        if self.other == 0 {
            // The example shown is one the format chosen is for.
            self.first = Some(value.to_string());
        }
        self.other += 1;
        let before = self.alive.iter().any(|a| *a);
        for (k, f) in DATE_FORMATS.iter().enumerate() {
            if self.alive[k] && !reads(value, f) {
                self.alive[k] = false;
            }
        }
        if before && !self.alive.iter().any(|a| *a) {
            self.last_killer = Some((line, value.to_string()));
        }
    }

    /// The first format that read every value, where one did.
    pub fn chosen(&self) -> Option<&'static str> {
        if self.seen == 0 {
            return None;
        }
        if self.other == 0 {
            return Some(DATE_FORMATS[0]);
        }
        DATE_FORMATS
            .iter()
            .zip(&self.alive)
            .find(|(_, alive)| **alive)
            .map(|(f, _)| *f)
    }

    /// What a person should know: every date read both day first and month
    /// first, or no format read them all.
    pub fn note(&self, column: &str) -> Option<String> {
        let alive = |f: &str| {
            DATE_FORMATS
                .iter()
                .position(|x| *x == f)
                .is_some_and(|k| self.alive[k])
        };
        if self.other > 0 && alive("%d/%m/%Y") && alive("%m/%d/%Y") {
            return Some(format!(
                "every date in {column:?} reads both as day/month and as month/day (no day after the 12th): \
                 day first is assumed; check one against the source system"
            ));
        }
        let (line, value) = self.last_killer.as_ref()?;
        Some(format!(
            "no one date format reads every date in {column:?} (line {line}: {value:?}): set date_formats by hand"
        ))
    }
}

/// Money cells in a column that the reader would not take.
#[derive(Debug, Default)]
pub(super) struct MoneyCheck {
    pub bad: u64,
    pub first_bad: Option<(u64, String)>,
}

impl MoneyCheck {
    pub fn see(&mut self, value: &str, line: u64) {
        if value.is_empty() || money(value).is_some() {
            return;
        }
        self.bad += 1;
        if self.first_bad.is_none() {
            self.first_bad = Some((line, value.to_string()));
        }
    }
}
