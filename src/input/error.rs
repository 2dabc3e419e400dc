//! Input errors: each names the file, line and column, what was expected and
//! what was found. They are collected (up to a cap) rather than stopping at
//! the first, so one run shows everything that needs fixing.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

/// At most this many problems are listed; the rest are counted.
pub const ERROR_CAP: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: Option<u64>,
    /// 1-based column number and the column's name.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl InputError {
    /// A file that could not be read on: a record past the length limit,
    /// at the line it began (`offset` lines after the file's first), else
    /// `otherwise`'s words for any other I/O error, unlocated.
    pub fn reading(
        file: &str,
        e: &std::io::Error,
        offset: u64,
        otherwise: impl FnOnce() -> String,
    ) -> InputError {
        let long = super::limit::LongRecord::of(e);
        InputError {
            file: file.to_string(),
            line: long.map(|l| l.line + offset),
            column: None,
            message: long.map_or_else(otherwise, ToString::to_string),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((n, _)) = &self.column {
                write!(f, ":{n}")?;
            }
        }
        if let Some((_, name)) = &self.column {
            write!(f, ": {name}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A row that could not be used, as lenient mode sets it aside.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BadRow {
    /// The original record, fields joined as in the file.
    pub record: String,
    /// Each problem found: the column (1-based number and name) and what.
    pub reasons: Vec<(Option<(usize, String)>, String)>,
    /// The row's money where it could be read (signed as in the file).
    pub money: Option<Decimal>,
}

/// Every problem found in one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputErrors {
    /// Problems to show, up to [`ERROR_CAP`].
    pub errors: Vec<InputError>,
    /// Problems found beyond [`ERROR_CAP`].
    pub omitted: usize,
    /// Every row with a problem, by (file, line): not capped, so lenient
    /// mode can set each one aside.
    pub rows: BTreeMap<(String, u64), BadRow>,
    /// Problems with a whole file (missing, unreadable, a missing column):
    /// no mode can carry on past these.
    pub fatal: usize,
    /// Rows with problems are counted but not kept in `rows`: a strict run
    /// stops at them and sets none aside, and a year's export read with
    /// the wrong date format is ten million of them.
    pub rows_not_kept: bool,
}

impl BadRow {
    /// `name: problem; name: problem`, for the rejects file.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(|(column, message)| match column {
                Some((_, name)) => format!("{name}: {message}"),
                None => message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl InputErrors {
    /// A collection that counts bad rows and shows the first, for a strict
    /// run: see [`InputErrors::rows_not_kept`].
    pub fn counting() -> Self {
        InputErrors {
            rows_not_kept: true,
            ..InputErrors::default()
        }
    }

    /// An empty collection that keeps rows as this one does: for a block
    /// or a file read apart and absorbed afterwards.
    pub fn fresh(&self) -> Self {
        InputErrors {
            rows_not_kept: self.rows_not_kept,
            ..InputErrors::default()
        }
    }

    /// A problem with a whole file.
    pub fn push(&mut self, e: InputError) {
        self.fatal += 1;
        self.show(e);
    }

    fn show(&mut self, e: InputError) {
        if self.errors.len() < ERROR_CAP {
            self.errors.push(e);
        } else {
            self.omitted += 1;
        }
    }

    /// A problem with one row, whose original text is `record`.
    pub fn push_row(&mut self, e: InputError, record: impl FnOnce() -> String) {
        match e.line {
            // Counted, and shown up to the cap, by `show`.
            Some(_) if self.rows_not_kept => {}
            Some(line) => {
                let row = self.rows.entry((e.file.clone(), line)).or_default();
                if row.record.is_empty() {
                    row.record = record();
                }
                row.reasons.push((e.column.clone(), e.message.clone()));
            }
            None => self.fatal += 1,
        }
        self.show(e);
    }

    /// A row that cannot be used because of a problem reported elsewhere:
    /// set aside with its reason, but not shown again.
    pub fn push_row_quietly(
        &mut self,
        file: &str,
        line: u64,
        column: Option<(usize, String)>,
        reason: String,
        record: impl FnOnce() -> String,
    ) {
        if self.rows_not_kept {
            return;
        }
        let row = self.rows.entry((file.to_string(), line)).or_default();
        if row.record.is_empty() {
            row.record = record();
        }
        row.reasons.push((column, reason));
    }

    /// The money on a row already marked bad, where it could be read.
    pub fn row_money(&mut self, file: &str, line: u64, money: Option<Decimal>) {
        if let (Some(row), Some(m)) = (self.rows.get_mut(&(file.to_string(), line)), money) {
            row.money = Some(m);
        }
    }

    /// Adds the problems `other` found after this one's, as if one reader
    /// had found them all in turn.
    pub fn absorb(&mut self, other: InputErrors) {
        for e in other.errors {
            self.show(e);
        }
        self.omitted += other.omitted;
        self.rows.extend(other.rows);
        self.fatal += other.fatal;
    }

    /// Whether every problem belongs to a row (none is about a whole file).
    pub fn only_rows(&self) -> bool {
        self.fatal == 0
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.omitted == 0
    }

    pub fn count(&self) -> usize {
        self.errors.len() + self.omitted
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.count();
        write!(
            f,
            "the input could not be read ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        if self.omitted > 0 {
            write!(f, "\n  ... and {} more not shown", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}
