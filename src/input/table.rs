//! Reading one CSV file as a table of named columns: header matching
//! (case-insensitive, trimmed, any order), one reused `ByteRecord`, and typed
//! field access that records a located error instead of failing.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::error::{InputError, InputErrors};
use super::parse;

/// A column the reader looks for.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

pub const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

pub const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// An open CSV file whose header has been matched against the wanted columns.
pub struct Table {
    pub name: String,
    reader: csv::Reader<Box<dyn Read>>,
    columns: &'static [Column],
    /// For each wanted column, its position in the file.
    positions: Vec<Option<usize>>,
    width: usize,
    /// The header's names, trimmed and lower-cased.
    header_names: Vec<String>,
    /// Columns in the file the contract does not use.
    pub unknown_columns: Vec<String>,
}

impl Table {
    /// Opens `path` and matches its header. Returns `None` (with the errors
    /// recorded) if the file cannot be read or lacks a required column.
    pub fn open(
        path: &Path,
        name: &str,
        columns: &'static [Column],
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let file_error = |message: String| InputError {
            file: name.to_string(),
            line: None,
            column: None,
            message,
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                errors.push(file_error(format!("cannot open {}: {e}", path.display())));
                return None;
            }
        };
        Table::from_reader(
            Box::new(BufReader::with_capacity(1 << 16, file)),
            name,
            columns,
            errors,
        )
    }

    pub fn from_reader(
        source: Box<dyn Read>,
        name: &str,
        columns: &'static [Column],
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(source);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(InputError {
                    file: name.to_string(),
                    line: Some(1),
                    column: None,
                    message: format!("cannot read the header: {e}"),
                });
                return None;
            }
        };
        if header.is_empty() || (header.len() == 1 && parse::trim(&header[0]).is_empty()) {
            errors.push(InputError {
                file: name.to_string(),
                line: None,
                column: None,
                message: "the file is empty: expected a header row naming the columns".to_string(),
            });
            return None;
        }
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if i == 0 {
                    h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h)
                } else {
                    h
                };
                String::from_utf8_lossy(parse::trim(h)).to_lowercase()
            })
            .collect();
        let positions: Vec<Option<usize>> = columns
            .iter()
            .map(|c| names.iter().position(|n| n == c.name))
            .collect();
        let missing: Vec<&str> = columns
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_none())
            .map(|(c, _)| c.name)
            .collect();
        for m in &missing {
            errors.push(InputError {
                file: name.to_string(),
                line: Some(1),
                column: None,
                message: format!(
                    "missing required column `{m}` (the header has: {})",
                    names.join(", ")
                ),
            });
        }
        if !missing.is_empty() {
            return None;
        }
        let unknown_columns = names
            .iter()
            .filter(|n| !columns.iter().any(|c| c.name == n.as_str()))
            .cloned()
            .collect();
        Some(Table {
            name: name.to_string(),
            reader,
            columns,
            positions,
            width: header.len(),
            header_names: names,
            unknown_columns,
        })
    }

    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
    }

    /// Reads the next record into `rec`. Returns its line, or `None` at the
    /// end. Unreadable and ragged records are recorded as errors and skipped.
    pub fn next(&mut self, rec: &mut ByteRecord, errors: &mut InputErrors) -> Option<u64> {
        loop {
            match self.reader.read_byte_record(rec) {
                Ok(false) => return None,
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| p.line());
                    if rec.len() == 1 && parse::trim(&rec[0]).is_empty() && self.width > 1 {
                        continue; // a blank line
                    }
                    if rec.len() != self.width {
                        // Point at where the row goes wrong: the first extra
                        // field, or the first missing one.
                        let column = if rec.len() > self.width {
                            (self.width + 1, "(beyond the header)".to_string())
                        } else {
                            (rec.len() + 1, self.header_names[rec.len()].clone())
                        };
                        errors.push(InputError {
                            file: self.name.clone(),
                            line: Some(line),
                            column: Some(column),
                            message: format!(
                                "expected {} fields as in the header, found {}",
                                self.width,
                                rec.len()
                            ),
                        });
                        continue;
                    }
                    return Some(line);
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    errors.push(InputError {
                        file: self.name.clone(),
                        line,
                        column: None,
                        message: format!("unreadable record: {e}"),
                    });
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return None;
                    }
                }
            }
        }
    }

    /// A view of one record for typed field access.
    pub fn row<'a>(
        &'a self,
        rec: &'a ByteRecord,
        line: u64,
        errors: &'a mut InputErrors,
    ) -> Row<'a> {
        Row {
            table: self,
            rec,
            line,
            errors,
            failed: false,
        }
    }
}

/// One record being read. Each accessor records an error on bad input and
/// returns `None`; [`Row::ok`] says whether the whole row was good.
pub struct Row<'a> {
    table: &'a Table,
    rec: &'a ByteRecord,
    pub line: u64,
    errors: &'a mut InputErrors,
    failed: bool,
}

impl<'a> Row<'a> {
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// Records a problem with column `col` of this row.
    pub fn fail(&mut self, col: usize, message: String) {
        self.failed = true;
        let column =
            self.table.positions[col].map(|p| (p + 1, self.table.columns[col].name.to_string()));
        self.errors.push(InputError {
            file: self.table.name.clone(),
            line: Some(self.line),
            column,
            message,
        });
    }

    /// Marks the row unusable without a message of its own, where the cause
    /// has already been reported (a reference to a rejected account row).
    pub fn fail_quietly(&mut self) {
        self.failed = true;
    }

    /// The raw, trimmed bytes of a column; empty if the file lacks it.
    pub fn raw(&self, col: usize) -> &'a [u8] {
        let (table, rec) = (self.table, self.rec);
        table.positions[col]
            .and_then(|p| rec.get(p))
            .map_or(&[][..], parse::trim)
    }

    pub fn is_blank(&self, col: usize) -> bool {
        self.raw(col).is_empty()
    }

    fn parsed<T>(&mut self, col: usize, f: impl FnOnce(&[u8]) -> Result<T, String>) -> Option<T> {
        match f(self.raw(col)) {
            Ok(v) => Some(v),
            Err(m) => {
                self.fail(col, m);
                None
            }
        }
    }

    /// Text, which may be empty.
    pub fn text(&mut self, col: usize) -> Option<&'a str> {
        let raw = self.raw(col);
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
    pub fn id(&mut self, col: usize) -> Option<String> {
        match self.text(col) {
            Some("") => {
                self.fail(col, "expected a value, found an empty field".to_string());
                None
            }
            other => other.map(str::to_string),
        }
    }

    /// Text, `None` when empty.
    pub fn opt_text(&mut self, col: usize) -> Option<Option<String>> {
        self.text(col)
            .map(|s| (!s.is_empty()).then(|| s.to_string()))
    }

    pub fn date(&mut self, col: usize) -> Option<NaiveDate> {
        self.parsed(col, parse::date)
    }

    pub fn opt_date(&mut self, col: usize) -> Option<Option<NaiveDate>> {
        if self.is_blank(col) {
            return Some(None);
        }
        self.date(col).map(Some)
    }

    pub fn money(&mut self, col: usize) -> Option<Decimal> {
        self.parsed(col, parse::money)
    }

    /// Money that may be left empty (read as "no amount", never as a bad value).
    pub fn opt_money(&mut self, col: usize) -> Option<Option<Decimal>> {
        if self.is_blank(col) {
            return Some(None);
        }
        self.money(col).map(Some)
    }

    pub fn flag(&mut self, col: usize) -> Option<bool> {
        self.parsed(col, parse::flag)
    }

    pub fn word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        self.parsed(col, |b| parse::word(b, from_word, expected))
    }

    pub fn opt_word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<Option<T>> {
        if self.is_blank(col) {
            return Some(None);
        }
        self.word(col, from_word, expected).map(Some)
    }
}
