//! One raw record mapped: sources (columns, the amount style, line ids),
//! then extractions, code tables, rules and dates, in that order
//! (docs/profiles.md, "The order of work on each row").

use std::borrow::Cow;

use chrono::format::Parsed;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::cells::{iso_date, lowercase, money_into, money_problem, push_decimal, read_money};
use super::error::{FieldError, FieldProblem};
use super::{Cell, Mapped, Mapping, Scratch, Seen, Source};
use crate::input::table::ColumnType;
use crate::recon::store::digits::digits_before;

/// One raw record's fields as trimmed text: borrowed from the record where
/// it is UTF-8, as it nearly always is.
struct Raw<'a> {
    raw: &'a ByteRecord,
    /// Checked once for the whole record: a field is then a slice of it.
    whole: Option<&'a str>,
    /// Each column the mapping reads, trimmed, where `whole` is there:
    /// found once, though rules and extractions read a column many times.
    fields: smallvec::SmallVec<[&'a str; 16]>,
}

impl<'a> Raw<'a> {
    fn new(raw: &'a ByteRecord, used: &[usize]) -> Self {
        let whole = std::str::from_utf8(raw.as_slice()).ok();
        let mut fields = smallvec::SmallVec::new();
        if let Some(whole) = whole {
            fields.resize(raw.len(), "");
            for &c in used {
                if let Some(t) = raw.range(c).and_then(|r| whole.get(r)) {
                    fields[c] = trim(t);
                }
            }
        }
        Raw { raw, whole, fields }
    }

    fn text(&self, c: usize) -> Cow<'a, str> {
        if self.whole.is_some() {
            return Cow::Borrowed(self.fields.get(c).copied().unwrap_or_default());
        }
        match String::from_utf8_lossy(self.raw.get(c).unwrap_or_default()) {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_string()),
        }
    }

    /// `t` as a cell: a span of the record's text where it is a slice of
    /// it (the record's text opens the mapped record's), else added to it.
    fn cell(&self, made: &mut String, t: Cow<'_, str>) -> Cell {
        if let (Cow::Borrowed(t), Some(whole)) = (&t, self.whole) {
            let (from, at) = (whole.as_ptr() as usize, t.as_ptr() as usize);
            if at >= from && at + t.len() <= from + whole.len() {
                return Cell::Text(at - from, at - from + t.len());
            }
        }
        pushed(made, &t)
    }
}

impl Mapping {
    /// Maps `raw` into `out` as the contract's text: dates in ISO, money
    /// plain (what `rent-audit export` reads its rows back as), with the
    /// caller's `scratch` (see [`Scratch`]).
    pub fn apply(
        &self,
        raw: &ByteRecord,
        line: u64,
        out: &mut ByteRecord,
        scratch: &mut Scratch,
    ) -> Result<(), Vec<FieldError>> {
        let result = self.map(raw, line, scratch, false);
        out.clear();
        for cell in &scratch.mapped.cells {
            if let Cell::Text(start, end) = *cell {
                out.push_field(scratch.mapped.text(start, end).as_bytes());
            }
        }
        result
    }

    /// Maps `raw` into `scratch.mapped`, dates and money typed as the
    /// profile read them, for the readers. Each problem is given once, at
    /// the raw column it was read from. An id made from the line
    /// ([`Mapping::id_from_line`]) may hold only the file's name: the
    /// readers count those ids themselves.
    pub fn apply_typed(
        &self,
        raw: &ByteRecord,
        line: u64,
        scratch: &mut Scratch,
    ) -> Result<(), Vec<FieldError>> {
        if let Some(plan) = &self.plan {
            scratch.prepare(self);
            if plan.run(self, raw, line, scratch) {
                return Ok(());
            }
        }
        self.map(raw, line, scratch, true)
    }

    /// The record for `raw`, dates and money `typed` or as text.
    pub(super) fn map(
        &self,
        raw: &ByteRecord,
        line: u64,
        scratch: &mut Scratch,
        typed: bool,
    ) -> Result<(), Vec<FieldError>> {
        scratch.prepare(self);
        let Scratch {
            mapped: Mapped { text: made, cells },
            groups,
            rule_groups,
            words_of,
            ..
        } = scratch;
        // The record's text no longer opens with a plan's words.
        *words_of = 0;
        let row = Raw::new(raw, &self.used);
        // The record's text first, so that a field taken from it as it is
        // is a span of it, not a copy.
        made.clear();
        made.push_str(row.whole.unwrap_or_default());
        cells.clear();
        let mut errors: Vec<FieldError> = Vec::new();
        self.sourced(&row, line, made, cells, typed, &mut errors);
        self.extract(&row, cells, made, groups);
        self.code(&row, cells, made, &mut errors);
        self.rule(&row, cells, made, rule_groups);
        self.dates(cells, made, typed, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Each field from its source: a column (money cleaned), the amount
    /// style, or the row's `file:line`.
    fn sourced(
        &self,
        row: &Raw<'_>,
        line: u64,
        made: &mut String,
        cells: &mut Vec<Cell>,
        typed: bool,
        errors: &mut Vec<FieldError>,
    ) {
        // Worked out once for a ledger's debit and credit alike, and its
        // problem given once for both.
        let mut signed: Option<Option<Decimal>> = None;
        for (i, source) in self.sources.iter().enumerate() {
            let cell = match source {
                Source::Column(c) if self.types[i] == ColumnType::Money => {
                    cleaned(row, *c, made, typed, errors)
                }
                Source::Column(c) => row.cell(made, row.text(*c)),
                Source::LineId => made_cell(made, |m| line_id(m, &self.file, line)),
                Source::Nothing => BLANK,
                Source::Amount(role) => {
                    let amount = *signed.get_or_insert_with(|| {
                        self.signed_amount(row).map_err(|e| errors.push(e)).ok()
                    });
                    match amount.and_then(|a| role.of(a)) {
                        Some(a) => match Cell::money(a).filter(|_| typed) {
                            Some(cell) => cell,
                            None => made_cell(made, |m| push_decimal(m, a)),
                        },
                        None => BLANK,
                    }
                }
            };
            cells.push(cell);
        }
    }

    /// Extractions in the profile's order. The first for a field that
    /// matches sets it (over its column); a later one for the same field
    /// is tried only while none has matched or what matched was blank.
    fn extract(
        &self,
        row: &Raw<'_>,
        cells: &mut [Cell],
        made: &mut String,
        groups: &mut [(Option<usize>, regex::CaptureLocations)],
    ) {
        if self.extracts.is_empty() {
            return;
        }
        let mut filled: smallvec::SmallVec<[bool; 16]> = smallvec::smallvec![false; cells.len()];
        let each = (self.extracts.iter().zip(&self.splits).zip(&self.seen)).zip(groups);
        for ((((f, c, re), split), seen), (value, locs)) in each {
            if filled[*f] {
                continue;
            }
            Seen::mark(&seen.tried);
            let source = row.text(*c);
            let Some((start, end)) = extracted_span(split.as_ref(), re, (*value, locs), &source)
            else {
                continue;
            };
            Seen::mark(&seen.matched);
            let value = match source {
                Cow::Borrowed(source) => Cow::Borrowed(source.get(start..end).unwrap_or("").trim()),
                Cow::Owned(source) => {
                    Cow::Owned(source.get(start..end).unwrap_or("").trim().to_string())
                }
            };
            filled[*f] = !value.is_empty();
            cells[*f] = row.cell(made, value);
        }
    }

    /// Code tables, each setting its field from its column's code.
    fn code(
        &self,
        row: &Raw<'_>,
        cells: &mut [Cell],
        made: &mut String,
        errors: &mut Vec<FieldError>,
    ) {
        for t in &self.codes {
            let code = row.text(t.column);
            match lowercase(&code, |code| t.word(code)) {
                Some(word) => cells[t.field] = pushed(made, word),
                None if code.is_empty() => {}
                None => errors.push((
                    t.column,
                    FieldProblem::UnknownCode {
                        code: code.into_owned(),
                        field: self.names[t.field],
                    },
                )),
            }
        }
    }

    /// Rules in the profile's order: each that matches sets its fields, to
    /// its text or to what its pattern captured; a later one wins.
    fn rule(
        &self,
        row: &Raw<'_>,
        cells: &mut [Cell],
        made: &mut String,
        rule_groups: &mut [regex::CaptureLocations],
    ) {
        for (r, locs) in self.rules.iter().zip(rule_groups) {
            let text = row.text(r.column);
            let hit = if r.captures() {
                r.pattern.captures_read(locs, &text).is_some()
            } else {
                r.pattern.is_match(&text)
            };
            if !hit {
                continue;
            }
            for ((f, v), template) in r.sets.iter().zip(&r.made) {
                cells[*f] = match template {
                    None => pushed(made, v),
                    Some(t) => made_trimmed(made, |m| t.write(locs, &text, m)),
                };
            }
        }
    }

    /// Dates read with the profile's formats.
    fn dates(
        &self,
        cells: &mut [Cell],
        made: &mut String,
        typed: bool,
        errors: &mut Vec<FieldError>,
    ) {
        if self.date_formats.is_empty() {
            return;
        }
        for (i, ty) in self.types.iter().enumerate() {
            if *ty != ColumnType::Date {
                continue;
            }
            let Cell::Text(start, end) = cells[i] else {
                continue;
            };
            let v = made.get(start..end).unwrap_or_default();
            if v.is_empty() {
                continue;
            }
            match self.date(v) {
                Ok(d) => {
                    cells[i] = match Cell::date(d).filter(|_| typed) {
                        Some(cell) => cell,
                        None => made_cell(made, |m| iso_date(m, d)),
                    };
                }
                Err(p) => errors.push((self.raw_column(i).unwrap_or(0), p)),
            }
        }
    }

    pub(super) fn date(&self, v: &str) -> Result<chrono::NaiveDate, FieldProblem> {
        for (items, shape) in self.date_items.iter().zip(&self.date_shapes) {
            if let Some(d) = shape.as_ref().and_then(|s| s.read(v)) {
                return Ok(d);
            }
            let mut parsed = Parsed::new();
            if let Ok(d) = chrono::format::parse(&mut parsed, v, items.iter())
                .and_then(|()| parsed.to_naive_date())
            {
                return Ok(d);
            }
        }
        // ISO dates are always understood.
        if let Ok(d) = crate::input::parse::date(v.as_bytes()) {
            return Ok(d);
        }
        Err(FieldProblem::Date {
            found: v.to_string(),
            formats: self.date_formats.clone(),
        })
    }

    /// The record's amount, positive meaning money in (bank) or a debit
    /// (ledger).
    fn signed_amount(&self, row: &Raw<'_>) -> Result<Decimal, FieldError> {
        let field = |c: usize| -> Result<Option<Decimal>, FieldError> {
            let t = row.text(c);
            if t.is_empty() {
                return Ok(None);
            }
            read_money(&t)
                .map(Some)
                .ok_or_else(|| (c, money_problem(&t)))
        };
        if let Some(c) = self.signed {
            let v = field(c)?.ok_or((c, FieldProblem::EmptyAmount))?;
            return Ok(if self.negate { -v } else { v });
        }
        let (a, b) = (self.money_in, self.money_out);
        let first = a.map(field).transpose()?.flatten();
        let second = b.map(field).transpose()?.flatten();
        let at = a.or(b).unwrap_or(0);
        match (first, second) {
            (Some(x), Some(y)) if !x.is_zero() && !y.is_zero() => Err((
                at,
                FieldProblem::BothColumns {
                    first: x,
                    second: y,
                },
            )),
            (Some(x), Some(y)) => Ok(x - y),
            (Some(x), None) => Ok(x),
            (None, Some(y)) => Ok(-y),
            (None, None) => Err((at, FieldProblem::NoMoney)),
        }
    }
}

/// A money column's text cleaned of symbols and separators to a plain
/// decimal (its amount, where `typed` and it fits a row), or left as it
/// was with its problem given.
fn cleaned(
    row: &Raw<'_>,
    c: usize,
    made: &mut String,
    typed: bool,
    errors: &mut Vec<FieldError>,
) -> Cell {
    let t = row.text(c);
    if t.is_empty() {
        return BLANK;
    }
    if typed {
        if let Some(cell) = read_money(&t).and_then(Cell::money) {
            return cell;
        }
    }
    let start = made.len();
    match money_into(&t, made) {
        Some(_) => Cell::Text(start, made.len()),
        None => {
            errors.push((c, money_problem(&t)));
            row.cell(made, t)
        }
    }
}

/// `file:line`, as `push_line_id` writes it, a digit at a time: this is
/// made for every row of a file with no id column.
pub(super) fn line_id(made: &mut String, file: &str, line: u64) {
    made.push_str(file);
    made.push(':');
    let mut digits = [0u8; 20];
    let at = digits_before(line, &mut digits, 20);
    for &d in &digits[at..] {
        made.push(char::from(d));
    }
}

/// An empty field.
pub(super) const BLANK: Cell = Cell::Text(0, 0);

/// `t` added to the record's text, as a cell.
fn pushed(made: &mut String, t: &str) -> Cell {
    made_cell(made, |m| m.push_str(t))
}

/// What `write` adds to the record's text, as a cell.
pub(super) fn made_cell(made: &mut String, write: impl FnOnce(&mut String)) -> Cell {
    let start = made.len();
    write(made);
    Cell::Text(start, made.len())
}

/// What `write` adds to the record's text, trimmed as a cell is.
pub(super) fn made_trimmed(made: &mut String, write: impl FnOnce(&mut String)) -> Cell {
    let start = made.len();
    write(made);
    let all = &made[start..];
    let kept = all.trim();
    let from = start + (kept.as_ptr() as usize - all.as_ptr() as usize);
    Cell::Text(from, from + kept.len())
}

/// `t` trimmed as `str::trim` trims it, without looking further where it
/// plainly starts and ends with a character (nearly every cell).
pub(super) fn trim(t: &str) -> &str {
    let b = t.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => t,
        _ => t.trim(),
    }
}

/// Where an extraction's value lies in `source`: by its split where it has
/// one, else by the pattern: its `value` group, else its first, else the
/// whole match. Shared by the general mapping and a compiled plan.
#[inline]
pub(super) fn extracted_span(
    split: Option<&super::split::Split>,
    re: &regex::Regex,
    (value, locs): (Option<usize>, &mut regex::CaptureLocations),
    source: &str,
) -> Option<(usize, usize)> {
    match split.and_then(|s| s.span(source)) {
        Some(span) => span,
        None if re.captures_read(locs, source).is_none() => None,
        None => (value.and_then(|i| locs.get(i)))
            .or_else(|| locs.get(1))
            .or_else(|| locs.get(0)),
    }
}
