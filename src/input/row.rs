//! One record as the readers see it: typed field access that records a
//! located error on bad input instead of failing.

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::error::InputErrors;
use super::mapping::{Cell, Mapped};
use super::parse;
use super::table::{record_text, Table};
use super::InputError;
use crate::recon::model::Text;
use crate::recon::store::amount::Amount;

impl Table {
    /// A view of one record for typed field access.
    pub fn row<'a>(
        &'a self,
        rec: &'a ByteRecord,
        line: u64,
        errors: &'a mut InputErrors,
    ) -> Row<'a> {
        // A profile's record is the one it last mapped; `rec` is unused.
        let mapped = self
            .source
            .mapping
            .is_some()
            .then_some(&self.source.scratch.mapped);
        Row {
            table: self,
            rec,
            utf8: match mapped {
                Some(_) => None,
                None => std::str::from_utf8(rec.as_slice()).ok(),
            },
            mapped,
            line,
            errors,
            failed: false,
        }
    }
}

/// One record being read. Each accessor records an error on bad input and
/// returns `None`; [`Row::ok`] says whether the whole row was good. A
/// record mapped by a profile gives its dates and money as it read them.
pub struct Row<'a> {
    table: &'a Table,
    rec: &'a ByteRecord,
    mapped: Option<&'a Mapped>,
    /// The record's fields end to end, when they are valid UTF-8 (nearly
    /// always): checked once, so that a text field is a slice of it rather
    /// than checked again on its own.
    utf8: Option<&'a str>,
    pub line: u64,
    errors: &'a mut InputErrors,
    failed: bool,
}

impl<'a> Row<'a> {
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// The row as it was in the file (before any profile mapped it).
    fn original(&self) -> String {
        let table = self.table;
        let raw = if table.source.mapping.is_some() {
            &table.source.current
        } else {
            self.rec
        };
        record_text(raw, table.source.delimiter)
    }

    /// Records a problem with column `col` of this row.
    pub fn fail(&mut self, col: usize, message: String) {
        self.failed = true;
        // Without a profile: the contract's column; with one: the source column.
        let error = InputError {
            file: self.table.name.clone(),
            line: Some(self.line),
            column: self.table.labels[col].clone(),
            message,
        };
        let original = self.original();
        self.errors.push_row(error, || original);
    }

    /// Marks the row unusable without a message of its own, where the cause
    /// has already been reported (a reference to a rejected account row).
    pub fn fail_quietly(&mut self, col: usize, reason: String) {
        self.failed = true;
        let column = self.table.labels[col].clone();
        let original = self.original();
        let name = self.table.name.clone();
        self.errors
            .push_row_quietly(&name, self.line, column, reason, || original);
    }

    /// Records the money on a row that turned out bad, where it was read.
    pub fn note_money(&mut self, money: Option<Decimal>) {
        if !self.failed {
            return;
        }
        let name = self.table.name.clone();
        self.errors.row_money(&name, self.line, money);
    }

    /// Where column `col` lies in the record's bytes, if the file has it.
    fn range(&self, col: usize) -> Option<std::ops::Range<usize>> {
        self.table.positions[col].and_then(|p| self.rec.range(p))
    }

    /// Column `col` of a mapped record, if this is one (blank where the
    /// profile gives the column nothing).
    fn field(&self, col: usize) -> Option<Field<'a>> {
        let m = self.mapped?;
        Some(match self.table.positions[col].and_then(|p| m.cell(p)) {
            None => Field::Text(""),
            Some(Cell::Text(start, end)) => Field::Text(m.text(start, end).trim_ascii()),
            Some(Cell::Date(d)) => Field::Date(d),
            Some(Cell::Money(v)) => Field::Money(v),
        })
    }

    /// The raw, trimmed bytes of a column; empty if the file lacks it, and
    /// `None` for a value a profile read (which has no text).
    fn raw(&self, col: usize) -> Option<&'a [u8]> {
        match self.field(col) {
            Some(Field::Text(t)) => return Some(t.as_bytes()),
            Some(_) => return None,
            None => {}
        }
        let rec: &'a ByteRecord = self.rec;
        Some(
            self.range(col)
                .and_then(|r| rec.as_slice().get(r))
                .map_or(&[][..], parse::trim),
        )
    }

    pub fn is_blank(&self, col: usize) -> bool {
        self.raw(col).is_some_and(<[u8]>::is_empty)
    }

    /// A read of a column as what it is not: a date or an amount a profile
    /// read, asked for as something else. No reader does so; should one,
    /// the row is set aside, never read wrong.
    fn not_as_read(&mut self, col: usize) {
        self.fail(
            col,
            "the profile read this field as a date or an amount, not as this column's kind of value"
                .to_string(),
        );
    }

    fn parsed<T>(
        &mut self,
        col: usize,
        f: impl FnOnce(&[u8]) -> Result<T, parse::ParseError>,
    ) -> Option<T> {
        let Some(raw) = self.raw(col) else {
            self.not_as_read(col);
            return None;
        };
        match f(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(col, e.to_string());
                None
            }
        }
    }

    /// Text, which may be empty.
    pub fn text(&mut self, col: usize) -> Option<&'a str> {
        match self.field(col) {
            Some(Field::Text(t)) => return Some(t),
            Some(_) => {
                self.not_as_read(col);
                return None;
            }
            None => {}
        }
        if let Some(field) = self.range(col).and_then(|r| self.utf8?.get(r)) {
            return Some(field.trim_ascii());
        }
        let raw = self.raw(col).unwrap_or_default();
        match std::str::from_utf8(raw) {
            Ok(s) => Some(s),
            Err(_) => {
                let shown = parse::shown(raw);
                self.fail(
                    col,
                    format!("{shown} is not valid UTF-8 (a Windows-1252 export needs a mapping profile)"),
                );
                None
            }
        }
    }

    /// Text that must not be empty.
    pub fn id(&mut self, col: usize) -> Option<&'a str> {
        match self.text(col) {
            Some("") => {
                self.fail(col, "expected a value, found an empty field".to_string());
                None
            }
            other => other,
        }
    }

    /// Text, `None` when empty.
    pub fn opt_text(&mut self, col: usize) -> Option<Option<Text>> {
        self.text(col)
            .map(|s| (!s.is_empty()).then(|| Text::from(s)))
    }

    pub fn date(&mut self, col: usize) -> Option<NaiveDate> {
        if let Some(Field::Date(d)) = self.field(col) {
            return Some(d);
        }
        self.parsed(col, parse::date)
    }

    /// `Some(None)` for a blank field, else what `read` makes of it.
    fn unless_blank<T>(
        &mut self,
        col: usize,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.is_blank(col) {
            return Some(None);
        }
        read(self).map(Some)
    }

    pub fn opt_date(&mut self, col: usize) -> Option<Option<NaiveDate>> {
        self.unless_blank(col, |r| r.date(col))
    }

    pub fn money(&mut self, col: usize) -> Option<Decimal> {
        if let Some(Field::Money(m)) = self.field(col) {
            return Some(m);
        }
        self.parsed(col, parse::money)
    }

    /// `amount` as a row holds it. Amounts read here always fit (17 digits,
    /// 2 places), so the error is for a sum no reader should have made.
    pub fn held(&mut self, col: usize, amount: Option<Decimal>) -> Option<Amount> {
        let amount = amount?;
        let held = Amount::new(amount);
        if held.is_none() {
            self.fail(col, format!("{amount} is too large for an amount"));
        }
        held
    }

    /// Money that may be left empty (read as "no amount", never as a bad value).
    pub fn opt_money(&mut self, col: usize) -> Option<Option<Decimal>> {
        self.unless_blank(col, |r| r.money(col))
    }

    pub fn flag(&mut self, col: usize) -> Option<bool> {
        self.parsed(col, parse::flag)
    }

    pub fn word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<T> {
        self.parsed(col, |b| parse::word(b, from_word, expected))
    }

    pub fn opt_word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<Option<T>> {
        self.unless_blank(col, |r| r.word(col, from_word, expected))
    }
}

/// A column of a mapped record: its text (trimmed), or the value the
/// profile read.
enum Field<'a> {
    Text(&'a str),
    Date(NaiveDate),
    Money(Decimal),
}
