//! One record as a profile mapped it: each contract field's value, typed
//! where the profile read it as a date or as money, so that the readers
//! take the value itself instead of text written for them to read again.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// One contract field's value on a mapped record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// `text[start..end]` of the record: the field as the contract writes it.
    Text(usize, usize),
    /// A date the profile read in one of its formats.
    Date(NaiveDate),
    /// Money the profile read (cleaned of symbols and separators), exact.
    Money(Decimal),
}

impl Cell {
    /// `d` as a cell: typed where its ISO text would read back as the same
    /// date (years 0 to 9999), else `None` (the text, whose error stands).
    pub(super) fn date(d: NaiveDate) -> Option<Cell> {
        (0..=9999).contains(&d.year()).then_some(Cell::Date(d))
    }

    /// `m` as a cell: typed where its plain text would read back as this
    /// amount (at most two places and fifteen whole digits), else `None`.
    /// A zero reads back unsigned, as `-0.00` does.
    pub(super) fn money(mut m: Decimal) -> Option<Cell> {
        let scale = m.scale();
        if scale > 2 || m.mantissa().unsigned_abs() >= 10u128.pow(15 + scale) {
            return None;
        }
        if m.is_zero() {
            m.set_sign_positive(true);
        }
        Some(Cell::Money(m))
    }
}

/// A mapped record: its cells, and the text its text cells lie in.
#[derive(Debug, Default)]
pub struct Mapped {
    pub(super) text: String,
    pub(super) cells: Vec<Cell>,
}

impl Mapped {
    /// Field `i`'s cell, `None` past the record's fields.
    pub fn cell(&self, i: usize) -> Option<Cell> {
        self.cells.get(i).copied()
    }

    /// The text of a [`Cell::Text`].
    pub fn text(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// Field `i` read as money the way a reader would: its amount, or
    /// `None` where it is blank or not one.
    pub fn money(&self, i: usize) -> Option<Decimal> {
        match self.cell(i)? {
            Cell::Money(m) => Some(m),
            Cell::Text(s, e) => crate::input::parse::money(self.text(s, e).as_bytes()).ok(),
            Cell::Date(_) => None,
        }
    }

    /// Each field as the contract's text writes it: dates in ISO, money
    /// plain (what readers once parsed, for tests to compare with).
    #[cfg(test)]
    pub fn texts(&self) -> Vec<String> {
        (self.cells.iter())
            .map(|c| match *c {
                Cell::Text(s, e) => self.text(s, e).to_string(),
                Cell::Date(d) => {
                    let mut t = String::new();
                    super::cells::iso_date(&mut t, d);
                    t
                }
                Cell::Money(m) => {
                    let mut t = String::new();
                    super::cells::push_decimal(&mut t, m);
                    t
                }
            })
            .collect()
    }
}
