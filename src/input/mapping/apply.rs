//! One raw record mapped: sources (columns, the amount style, line ids),
//! then extractions, code tables, rules and dates, in that order
//! (docs/profiles.md, "The order of work on each row").

use std::borrow::Cow;

use chrono::format::Parsed;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::cells::{iso_date, lowercase, money_into, money_problem, push_decimal};
use super::error::{FieldError, FieldProblem};
use super::{Mapping, Scratch, Seen, Source, Value};
use crate::input::table::ColumnType;
use crate::recon::store::digits::push_line_id;

type Values<'a> = smallvec::SmallVec<[Value<'a>; 16]>;

/// One raw record's fields as trimmed text: borrowed from the record where
/// it is UTF-8, as it nearly always is.
struct Raw<'a> {
    raw: &'a ByteRecord,
    /// Checked once for the whole record: a field is then a slice of it.
    whole: Option<&'a str>,
}

impl<'a> Raw<'a> {
    fn new(raw: &'a ByteRecord) -> Self {
        Raw {
            raw,
            whole: std::str::from_utf8(raw.as_slice()).ok(),
        }
    }

    fn text(&self, c: usize) -> Cow<'a, str> {
        if let Some(t) = self.raw.range(c).and_then(|r| self.whole?.get(r)) {
            return Cow::Borrowed(t.trim());
        }
        match String::from_utf8_lossy(self.raw.get(c).unwrap_or_default()) {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_string()),
        }
    }
}

impl Mapping {
    /// Builds the canonical record for `raw` into `out`, with the caller's
    /// `scratch` (see [`Scratch`]). Each problem is given once, at the raw
    /// column it was read from.
    pub fn apply<'a>(
        &'a self,
        raw: &'a ByteRecord,
        line: u64,
        out: &mut ByteRecord,
        scratch: &mut Scratch,
    ) -> Result<(), Vec<FieldError>> {
        scratch.prepare(self);
        let Scratch {
            made,
            groups,
            rule_groups,
        } = scratch;
        made.clear();
        let row = Raw::new(raw);
        let mut errors: Vec<FieldError> = Vec::new();
        let mut values = self.sourced(&row, line, made, &mut errors);
        self.extract(&row, &mut values, made, groups);
        self.code(&row, &mut values, &mut errors);
        self.rule(&row, &mut values, made, rule_groups);
        self.dates(&mut values, made, &mut errors);
        out.clear();
        for v in &values {
            out.push_field(v.get(made).as_bytes());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Each field from its source: a column (money cleaned), the amount
    /// style, or the row's `file:line`.
    fn sourced<'a>(
        &'a self,
        row: &Raw<'a>,
        line: u64,
        made: &mut String,
        errors: &mut Vec<FieldError>,
    ) -> Values<'a> {
        // Worked out once for a ledger's debit and credit alike, and its
        // problem given once for both.
        let mut signed: Option<Option<Decimal>> = None;
        let mut values = Values::new();
        for (i, source) in self.sources.iter().enumerate() {
            let v = match source {
                Source::Column(c) => match row.text(*c) {
                    Cow::Borrowed(t) => Value::Text(t),
                    Cow::Owned(t) => Value::made(made, |m| m.push_str(&t)),
                },
                Source::LineId => Value::made(made, |m| push_line_id(m, &self.file, line)),
                Source::Nothing => Value::Text(""),
                Source::Amount(role) => {
                    let amount = *signed.get_or_insert_with(|| {
                        self.signed_amount(row, made)
                            .map_err(|e| errors.push(e))
                            .ok()
                    });
                    match amount.and_then(|a| role.of(a)) {
                        Some(a) => Value::made(made, |m| push_decimal(m, a)),
                        None => Value::Text(""),
                    }
                }
            };
            values.push(match source {
                Source::Column(c) if self.types[i] == ColumnType::Money => {
                    cleaned(v, *c, made, errors)
                }
                _ => v,
            });
        }
        values
    }

    /// Extractions in the profile's order. The first for a field that
    /// matches sets it (over its column); a later one for the same field
    /// is tried only while none has matched or what matched was blank.
    fn extract<'a>(
        &'a self,
        row: &Raw<'a>,
        values: &mut Values<'a>,
        made: &mut String,
        groups: &mut [(Option<usize>, regex::CaptureLocations)],
    ) {
        let mut filled: smallvec::SmallVec<[bool; 16]> = smallvec::smallvec![false; values.len()];
        let each = (self.extracts.iter().zip(&self.splits).zip(&self.seen)).zip(groups);
        for ((((f, c, re), split), seen), (value, locs)) in each {
            if filled[*f] {
                continue;
            }
            Seen::mark(&seen.tried);
            let source = row.text(*c);
            let span = match split.as_ref().and_then(|s| s.span(&source)) {
                Some(span) => span,
                None if re.captures_read(locs, &source).is_none() => None,
                // Its `value` group, else its first, else the whole match.
                None => (value.and_then(|i| locs.get(i)))
                    .or_else(|| locs.get(1))
                    .or_else(|| locs.get(0)),
            };
            let Some((start, end)) = span else {
                continue;
            };
            Seen::mark(&seen.matched);
            let v = match source {
                Cow::Borrowed(source) => Value::Text(source.get(start..end).unwrap_or("").trim()),
                Cow::Owned(source) => Value::made(made, |m| {
                    m.push_str(source.get(start..end).unwrap_or("").trim())
                }),
            };
            filled[*f] = !v.get(made).is_empty();
            values[*f] = v;
        }
    }

    /// Code tables, each setting its field from its column's code.
    fn code<'a>(&'a self, row: &Raw<'a>, values: &mut Values<'a>, errors: &mut Vec<FieldError>) {
        for t in &self.codes {
            let code = row.text(t.column);
            match lowercase(&code, |code| t.word(code)) {
                Some(word) => values[t.field] = Value::Text(word),
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
    fn rule<'a>(
        &'a self,
        row: &Raw<'a>,
        values: &mut Values<'a>,
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
                values[*f] = match template {
                    None => Value::Text(v),
                    Some(t) => Value::made_trimmed(made, |m| t.write(locs, &text, m)),
                };
            }
        }
    }

    /// Dates re-read with the profile's formats, as ISO.
    fn dates(&self, values: &mut Values<'_>, made: &mut String, errors: &mut Vec<FieldError>) {
        if self.date_formats.is_empty() {
            return;
        }
        for (i, ty) in self.types.iter().enumerate() {
            let v = values[i].get(made);
            if *ty != ColumnType::Date || v.is_empty() {
                continue;
            }
            match self.date(v) {
                Ok(d) => values[i] = Value::made(made, |m| iso_date(m, d)),
                Err(p) => errors.push((self.raw_column(i).unwrap_or(0), p)),
            }
        }
    }

    fn date(&self, v: &str) -> Result<chrono::NaiveDate, FieldProblem> {
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
    /// (ledger). `made` is used for cleaning each cell and left as it was.
    fn signed_amount(&self, row: &Raw<'_>, made: &mut String) -> Result<Decimal, FieldError> {
        let mut field = |c: usize| -> Result<Option<Decimal>, FieldError> {
            let t = row.text(c);
            if t.is_empty() {
                return Ok(None);
            }
            let start = made.len();
            let money = money_into(&t, made);
            made.truncate(start);
            money.map(Some).ok_or_else(|| (c, money_problem(&t)))
        };
        if let Some(c) = self.signed {
            let v = field(c)?.ok_or((c, FieldProblem::EmptyAmount))?;
            return Ok(if self.negate { -v } else { v });
        }
        let (a, b) = (self.money_in, self.money_out);
        let first = a.map(&mut field).transpose()?.flatten();
        let second = b.map(&mut field).transpose()?.flatten();
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

/// A money column's text cleaned to a plain decimal, or left as it was
/// with its problem given.
fn cleaned<'a>(
    v: Value<'a>,
    c: usize,
    made: &mut String,
    errors: &mut Vec<FieldError>,
) -> Value<'a> {
    let t = match v {
        Value::Text(t) => Cow::Borrowed(t),
        Value::Made(..) => Cow::Owned(v.get(made).to_string()),
    };
    if t.is_empty() {
        return v;
    }
    let start = made.len();
    match money_into(&t, made) {
        Some(_) => Value::Made(start, made.len()),
        None => {
            errors.push((c, money_problem(&t)));
            v
        }
    }
}
