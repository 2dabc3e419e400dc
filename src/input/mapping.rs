//! Applying a profile to one raw record: the canonical record the contract's
//! readers expect, built field by field (columns, amounts, dates, extraction,
//! code tables, rules, generated ids). Problems name the source column.

use std::borrow::Cow;
use std::fmt::Write;

use chrono::format::{Item, Parsed, StrftimeItems};
use csv::ByteRecord;
use regex::Regex;

use super::date_format::DateShape;
use super::profile::FileProfile;
use super::table::{Column, ColumnType};
use crate::recon::store::digits::{push_digits, push_line_id};

/// Where one canonical field's value comes from, before rules apply.
#[derive(Clone, Debug)]
pub(super) enum Source {
    Column(usize),
    /// A ledger/bank amount from the profile's amount style.
    Amount(AmountRole),
    /// `file:line`, for a file with no id column.
    LineId,
    Nothing,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum AmountRole {
    /// bank `amount`: signed, positive received.
    Signed,
    /// ledger `debit` or `credit` from a signed column or in/out columns.
    Debit,
    Credit,
}

/// A code table compiled: canonical field, raw column, lower-cased codes.
#[derive(Debug)]
pub(super) struct Codes {
    pub(super) field: usize,
    pub(super) column: usize,
    pub(super) map: rustc_hash::FxHashMap<String, String>,
    pub(super) default: Option<String>,
}

impl Codes {
    /// The word `code` (trimmed, lower-cased) reads as: its entry, or the
    /// table's default.
    pub(super) fn word(&self, code: &str) -> Option<&String> {
        self.map.get(code).or(self.default.as_ref())
    }
}

/// An if-rule compiled: raw column, pattern, (canonical field, value) pairs.
#[derive(Debug)]
pub(super) struct CompiledRule {
    pub(super) column: usize,
    pub(super) pattern: Regex,
    pub(super) sets: Vec<(usize, String)>,
}

/// A profile section compiled against one file's header.
#[derive(Debug)]
pub struct Mapping {
    file: String,
    pub(super) sources: Vec<Source>,
    types: Vec<ColumnType>,
    names: Vec<&'static str>,
    date_formats: Vec<String>,
    /// The formats parsed once: parsing a format string per date was a
    /// fifth of a profiled read.
    pub(super) date_items: Vec<Vec<Item<'static>>>,
    /// Each format's quick reader, where it is plain enough for one.
    date_shapes: Vec<Option<DateShape>>,
    /// Raw positions of the amount style's columns.
    pub(super) signed: Option<usize>,
    pub(super) negate: bool,
    pub(super) money_in: Option<usize>,
    pub(super) money_out: Option<usize>,
    /// (canonical field, raw column, pattern).
    pub(super) extracts: Vec<(usize, usize, Regex)>,
    /// Each extraction's quick reading, where its pattern is a plain split.
    splits: Vec<Option<Split>>,
    /// Whether each extraction has matched a row yet (shared by the blocks
    /// a file is read in): one that never does leaves its field blank.
    ever_matched: Vec<std::sync::atomic::AtomicBool>,
    pub(super) codes: Vec<Codes>,
    pub(super) rules: Vec<CompiledRule>,
    pub header: Vec<String>,
}

impl Mapping {
    /// The extractions that matched no row: (the field they set, the raw
    /// column they read).
    pub fn never_matched(&self) -> Vec<(&'static str, String)> {
        (self.extracts.iter().zip(&self.ever_matched))
            .filter(|(_, m)| !m.load(std::sync::atomic::Ordering::Relaxed))
            .map(|((f, c, _), _)| {
                (
                    self.names[*f],
                    self.header.get(*c).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }
}

/// A problem with one raw field: (raw column index, message).
pub type FieldError = (usize, String);

fn find(header: &[String], name: &str) -> Option<usize> {
    let want = name.trim().to_lowercase();
    header.iter().position(|h| *h == want)
}

impl Mapping {
    /// Compiles `fp` for a file whose header is `header` (trimmed,
    /// lower-cased). Fails with every profile column the header lacks.
    pub fn new(
        file: &str,
        fp: &FileProfile,
        columns: &'static [Column],
        header: Vec<String>,
    ) -> Result<Mapping, Vec<String>> {
        let mut missing = Vec::new();
        let mut col = |name: &str| -> Option<usize> {
            let found = find(&header, name);
            if found.is_none() {
                missing.push(format!(
                    "the profile's column {name:?} is not in the header"
                ));
            }
            found
        };
        let field_index = |field: &str| columns.iter().position(|c| c.name == field);
        let mut unknown_fields = Vec::new();
        for field in fp.columns.keys() {
            if field_index(field).is_none() {
                unknown_fields.push(format!(
                    "[columns] names {field:?}, which is not a field of this file"
                ));
            }
        }
        let amount = fp.amount.clone().unwrap_or_default();
        let signed = amount.signed.as_deref().and_then(&mut col);
        let money_in = amount
            .paid_in
            .as_deref()
            .or(amount.debit.as_deref())
            .and_then(&mut col);
        let money_out = amount
            .paid_out
            .as_deref()
            .or(amount.credit.as_deref())
            .and_then(&mut col);
        let has_amount = fp.amount.is_some();
        let mut sources = Vec::with_capacity(columns.len());
        for c in columns {
            let source = match (fp.columns.get(c.name), c.name, has_amount) {
                (Some(src), _, _) => col(src).map_or(Source::Nothing, Source::Column),
                (None, "amount", true) => Source::Amount(AmountRole::Signed),
                (None, "debit", true) => Source::Amount(AmountRole::Debit),
                (None, "credit", true) => Source::Amount(AmountRole::Credit),
                (None, "txn_id" | "bank_id", _) => Source::LineId,
                // Unmapped: the contract's own name, if the file has it.
                (None, name, _) => find(&header, name).map_or(Source::Nothing, Source::Column),
            };
            sources.push(source);
        }
        let mut extracts = Vec::new();
        for e in &fp.extract {
            match (
                field_index(&e.field),
                col(&e.column),
                Regex::new(&e.pattern),
            ) {
                (Some(f), Some(c), Ok(re)) => extracts.push((f, c, re)),
                (None, _, _) => unknown_fields.push(format!(
                    "[[extract]] sets {:?}, which is not a field of this file",
                    e.field
                )),
                _ => {}
            }
        }
        let mut codes = Vec::new();
        for t in &fp.codes {
            match (field_index(&t.set), col(&t.column)) {
                (Some(f), Some(c)) => {
                    let map = t
                        .map
                        .iter()
                        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
                        .collect();
                    codes.push(Codes {
                        field: f,
                        column: c,
                        map,
                        default: t.default.clone(),
                    });
                }
                (None, _) => unknown_fields.push(format!(
                    "[[codes]] sets {:?}, which is not a field of this file",
                    t.set
                )),
                _ => {}
            }
        }
        let mut rules = Vec::new();
        for r in &fp.rules {
            let sets: Vec<(usize, String)> = r
                .set
                .iter()
                .filter_map(|(k, v)| match field_index(k) {
                    Some(f) => Some((f, v.clone())),
                    None => {
                        unknown_fields.push(format!(
                            "[[rules]] sets {k:?}, which is not a field of this file"
                        ));
                        None
                    }
                })
                .collect();
            if let (Some(c), Ok(re)) = (col(&r.column), Regex::new(&r.pattern)) {
                rules.push(CompiledRule {
                    column: c,
                    pattern: re,
                    sets,
                });
            }
        }
        missing.extend(unknown_fields);
        if !missing.is_empty() {
            return Err(missing);
        }
        let date_items: Vec<Vec<Item<'static>>> = fp
            .date_formats
            .iter()
            .filter_map(|f| StrftimeItems::new(f).parse_to_owned().ok())
            .collect();
        Ok(Mapping {
            file: file.to_string(),
            types: columns.iter().map(|c| c.ty).collect(),
            names: columns.iter().map(|c| c.name).collect(),
            sources,
            date_formats: fp.date_formats.clone(),
            date_shapes: date_items.iter().map(|i| DateShape::of(i)).collect(),
            date_items,
            signed,
            negate: amount.negate,
            money_in,
            money_out,
            splits: extracts
                .iter()
                .map(|(_, _, re)| Split::of(re.as_str()))
                .collect(),
            ever_matched: extracts
                .iter()
                .map(|_| std::sync::atomic::AtomicBool::new(false))
                .collect(),
            extracts,
            codes,
            rules,
            header,
        })
    }

    /// Whether the canonical field `i` has any source.
    pub fn provides(&self, i: usize) -> bool {
        !matches!(self.sources[i], Source::Nothing)
            || self.extracts.iter().any(|(f, ..)| *f == i)
            || self.codes.iter().any(|c| c.field == i)
            || self
                .rules
                .iter()
                .any(|r| r.sets.iter().any(|(f, _)| *f == i))
    }

    /// Whether the canonical field `i` is always the row's `file:line`
    /// (nothing else may set it), which no two rows share.
    pub fn id_from_line(&self, i: usize) -> bool {
        matches!(self.sources[i], Source::LineId)
            && !self.extracts.iter().any(|(f, ..)| *f == i)
            && !self.codes.iter().any(|c| c.field == i)
            && !self
                .rules
                .iter()
                .any(|r| r.sets.iter().any(|(f, _)| *f == i))
    }

    /// The money on a mapped record (bank `amount`; ledger `debit` less
    /// `credit`; schedule `amount`), where it reads: for rows set aside.
    pub fn money_of(&self, mapped: &ByteRecord) -> Option<rust_decimal::Decimal> {
        let field = |name: &str| {
            self.names
                .iter()
                .position(|n| *n == name)
                .and_then(|i| mapped.get(i))
                .and_then(|v| super::parse::money(v).ok())
        };
        match (field("amount"), field("debit"), field("credit")) {
            (Some(a), _, _) => Some(a),
            (None, Some(d), c) => Some(d - c.unwrap_or_default()),
            (None, None, Some(c)) => Some(-c),
            _ => None,
        }
    }

    /// Every raw column the mapping reads, for noting the ones it does not.
    pub fn used_columns(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self
            .sources
            .iter()
            .filter_map(|s| match s {
                Source::Column(c) => Some(*c),
                _ => None,
            })
            .chain(
                [self.signed, self.money_in, self.money_out]
                    .into_iter()
                    .flatten(),
            )
            .chain(self.extracts.iter().map(|(_, c, _)| *c))
            .chain(self.codes.iter().map(|t| t.column))
            .chain(self.rules.iter().map(|r| r.column))
            .collect();
        used.sort_unstable();
        used.dedup();
        used
    }

    /// The raw column a canonical field is read from, for error messages.
    pub fn raw_column(&self, i: usize) -> Option<usize> {
        match self.sources[i] {
            Source::Column(c) => Some(c),
            Source::Amount(AmountRole::Signed) => self.signed.or(self.money_in),
            Source::Amount(AmountRole::Debit) => self.money_in.or(self.signed),
            Source::Amount(AmountRole::Credit) => self.money_out.or(self.signed),
            _ => None,
        }
    }

    /// Builds the canonical record for `raw` into `out`, with the caller's
    /// `scratch` (see [`Scratch`]).
    pub fn apply<'a>(
        &'a self,
        raw: &'a ByteRecord,
        line: u64,
        out: &mut ByteRecord,
        scratch: &mut Scratch,
    ) -> Result<(), Vec<FieldError>> {
        if scratch.groups.len() != self.extracts.len() {
            scratch.groups = (self.extracts.iter())
                .map(|(_, _, re)| {
                    let value = re.capture_names().position(|n| n == Some("value"));
                    (value, re.capture_locations())
                })
                .collect();
        }
        let Scratch { made, groups } = scratch;
        made.clear();
        // Checked once for the whole record: a field is then a slice of it.
        let whole = std::str::from_utf8(raw.as_slice()).ok();
        // Borrowed from the record where it is UTF-8, as it nearly always is.
        let text = |c: usize| -> Cow<'a, str> {
            if let Some(t) = raw.range(c).and_then(|r| whole?.get(r)) {
                return Cow::Borrowed(t.trim());
            }
            match String::from_utf8_lossy(raw.get(c).unwrap_or_default()) {
                Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
                Cow::Owned(t) => Cow::Owned(t.trim().to_string()),
            }
        };
        let mut errors: Vec<FieldError> = Vec::new();
        // Worked out once, for a ledger's debit and credit alike.
        let mut signed = None;
        let mut values: smallvec::SmallVec<[Value<'a>; 16]> = smallvec::SmallVec::new();
        for (i, source) in self.sources.iter().enumerate() {
            let v = match source {
                Source::Column(c) => match text(*c) {
                    Cow::Borrowed(t) => Value::Text(t),
                    Cow::Owned(t) => Value::made(made, |m| m.push_str(&t)),
                },
                Source::LineId => Value::made(made, |m| push_line_id(m, &self.file, line)),
                Source::Nothing => Value::Text(""),
                Source::Amount(role) => {
                    match signed.get_or_insert_with(|| self.signed_amount(&text, made)) {
                        Ok(amount) => match role.of(*amount) {
                            Some(a) => Value::made(made, |m| push_decimal(m, a)),
                            None => Value::Text(""),
                        },
                        Err(e) => {
                            errors.push(e.clone());
                            Value::Text("")
                        }
                    }
                }
            };
            values.push(v);
            if self.types[i] != ColumnType::Money {
                continue;
            }
            let Source::Column(c) = source else {
                continue;
            };
            let t = match v {
                Value::Text(t) => Cow::Borrowed(t),
                Value::Made(..) => Cow::Owned(v.get(made).to_string()),
            };
            if t.is_empty() {
                continue;
            }
            let start = made.len();
            match money_into(&t, made) {
                Some(_) => values[i] = Value::Made(start, made.len()),
                None => errors.push((*c, money_error(&t))),
            }
        }
        let extractions = self
            .extracts
            .iter()
            .zip(&self.splits)
            .zip(&self.ever_matched);
        for ((((f, c, re), split), matched), (value, groups)) in extractions.zip(groups.iter_mut())
        {
            let source = text(*c);
            let span = match split.as_ref().and_then(|s| s.span(&source)) {
                Some(span) => span,
                None if re.captures_read(groups, &source).is_none() => None,
                // Its `value` group, else its first, else the whole match.
                None => value
                    .and_then(|i| groups.get(i))
                    .or_else(|| groups.get(1))
                    .or_else(|| groups.get(0)),
            };
            let Some((start, end)) = span else {
                continue;
            };
            if !matched.load(std::sync::atomic::Ordering::Relaxed) {
                matched.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            values[*f] = match source {
                Cow::Borrowed(source) => Value::Text(source.get(start..end).unwrap_or("").trim()),
                Cow::Owned(source) => Value::made(made, |m| {
                    m.push_str(source.get(start..end).unwrap_or("").trim())
                }),
            };
        }
        for t in &self.codes {
            let code = text(t.column);
            match lowercase(&code, |code| t.word(code)) {
                Some(word) => values[t.field] = Value::Text(word),
                None if code.is_empty() => {}
                None => errors.push((
                    t.column,
                    format!(
                        "code {code:?} is not in the profile's code table for {} (add it to [[codes]] map)",
                        self.names[t.field]
                    ),
                )),
            }
        }
        for r in &self.rules {
            if r.pattern.is_match(&text(r.column)) {
                for (f, v) in &r.sets {
                    values[*f] = Value::Text(v);
                }
            }
        }
        if !self.date_formats.is_empty() {
            for (i, ty) in self.types.iter().enumerate() {
                let v = values[i].get(made);
                if *ty != ColumnType::Date || v.is_empty() {
                    continue;
                }
                match self.date(v) {
                    Ok(d) => values[i] = Value::made(made, |m| iso_date(m, d)),
                    Err(m) => errors.push((self.raw_column(i).unwrap_or(0), m)),
                }
            }
        }
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

    fn date(&self, v: &str) -> Result<chrono::NaiveDate, String> {
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
        if let Ok(d) = super::parse::date(v.as_bytes()) {
            return Ok(d);
        }
        Err(format!(
            "expected a date in the profile's format{} {}, found {v:?} (or it is not a calendar date)",
            if self.date_formats.len() == 1 { "" } else { "s" },
            self.date_formats.join(" or ")
        ))
    }

    /// The record's amount, positive meaning money in (bank) or a debit
    /// (ledger). `made` is used for cleaning each cell and left as it was.
    fn signed_amount<'t>(
        &self,
        text: &impl Fn(usize) -> Cow<'t, str>,
        made: &mut String,
    ) -> Result<rust_decimal::Decimal, FieldError> {
        let mut field = |c: usize| -> Result<Option<rust_decimal::Decimal>, FieldError> {
            let t = text(c);
            if t.is_empty() {
                return Ok(None);
            }
            let start = made.len();
            let money = money_into(&t, made);
            made.truncate(start);
            money.map(Some).ok_or_else(|| (c, money_error(&t)))
        };
        if let Some(c) = self.signed {
            let v = field(c)?.ok_or((c, "expected an amount, found an empty field".to_string()))?;
            return Ok(if self.negate { -v } else { v });
        }
        let (a, b) = (self.money_in, self.money_out);
        let first = a.map(&mut field).transpose()?.flatten();
        let second = b.map(&mut field).transpose()?.flatten();
        let at = a.or(b).unwrap_or(0);
        match (first, second) {
            (Some(x), Some(y)) if !x.is_zero() && !y.is_zero() => Err((
                at,
                format!("both columns hold money ({x} and {y}); expected one"),
            )),
            (Some(x), Some(y)) => Ok(x - y),
            (Some(x), None) => Ok(x),
            (None, Some(y)) => Ok(-y),
            (None, None) => Err((
                at,
                "expected money in one of the amount columns, found none".to_string(),
            )),
        }
    }
}

impl AmountRole {
    /// The part of a signed amount this role takes, if any.
    fn of(self, signed: rust_decimal::Decimal) -> Option<rust_decimal::Decimal> {
        match self {
            AmountRole::Signed => Some(signed),
            AmountRole::Debit if signed > rust_decimal::Decimal::ZERO => Some(signed),
            AmountRole::Credit if signed < rust_decimal::Decimal::ZERO => Some(-signed),
            _ => None,
        }
    }
}

/// An extraction of the kind `profile init` drafts, `^(?P<value>.*?)SEP`
/// (what comes before the first separator) or `SEP(?P<value>.*)$` (what
/// comes after it), read with a search for the separator instead of the
/// regex engine (a bank line's two extractions were a tenth of reading
/// it).
#[derive(Clone, Debug)]
pub(super) struct Split {
    side: Side,
    /// The separator's searcher, built once.
    sep: memchr::memmem::Finder<'static>,
}

/// Which side of the separator a [`Split`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
}

impl Split {
    const BEFORE: &'static str = "^(?P<value>.*?)";
    const AFTER: &'static str = "(?P<value>.*)$";

    /// The pattern that reads the `side` of the first `sep`: what
    /// `profile init` drafts, and what [`Split::of`] knows again.
    pub(super) fn pattern(side: Side, sep: &str) -> String {
        match side {
            Side::Before => format!("{}{}", Self::BEFORE, regex::escape(sep)),
            Side::After => format!("{}{}", regex::escape(sep), Self::AFTER),
        }
    }

    /// The split `pattern` is, if it is one: the separator must be a plain
    /// literal (as `regex::escape` writes it).
    fn of(pattern: &str) -> Option<Split> {
        let (escaped, side) = if let Some(rest) = pattern.strip_prefix(Self::BEFORE) {
            (rest, Side::Before)
        } else if let Some(rest) = pattern.strip_suffix(Self::AFTER) {
            (rest, Side::After)
        } else {
            return None;
        };
        let mut literal = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            literal.push(if c == '\\' { chars.next()? } else { c });
        }
        // Anything the pattern does not match literally (`\d`, `.`, `(`)
        // escapes otherwise.
        (!literal.is_empty() && regex::escape(&literal) == escaped).then(|| Split {
            side,
            sep: memchr::memmem::Finder::new(literal.as_bytes()).into_owned(),
        })
    }

    /// Where the value lies in `text`, as the pattern's `value` group would
    /// find it (`Some(None)`: no match); `None` for a text with a line
    /// break, which `.` does not cross, left to the regex.
    fn span(&self, text: &str) -> Option<Option<(usize, usize)>> {
        if text.contains('\n') {
            return None;
        }
        let at = self.sep.find(text.as_bytes());
        Some(at.map(|at| match self.side {
            Side::Before => (0, at),
            Side::After => (at + self.sep.needle().len(), text.len()),
        }))
    }
}

/// A canonical field's value while a record is mapped: borrowed from the
/// record or the profile, or made for it in the caller's buffer.
#[derive(Clone, Copy)]
enum Value<'a> {
    Text(&'a str),
    /// `made[start..end]`.
    Made(usize, usize),
}

impl<'a> Value<'a> {
    /// What `write` appends to `made`.
    fn made(made: &mut String, write: impl FnOnce(&mut String)) -> Value<'a> {
        let start = made.len();
        write(made);
        Value::Made(start, made.len())
    }

    fn get<'s>(self, made: &'s str) -> &'s str
    where
        'a: 's,
    {
        match self {
            Value::Text(t) => t,
            Value::Made(start, end) => made.get(start..end).unwrap_or_default(),
        }
    }
}

/// What mapping needs beside each record, kept by the caller from
/// record to record so that mapping one allocates nothing for its fields.
#[derive(Default)]
pub struct Scratch {
    /// What the record needs made (amounts, dates, ids), end to end.
    made: String,
    /// Each extraction's `value` group, and where its groups matched.
    groups: Vec<(Option<usize>, regex::CaptureLocations)>,
}

/// `f` of `code` lower-cased: on the stack where it is short and ASCII, as
/// codes are.
fn lowercase<R>(code: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 16];
    if let Some(lower) = buf.get_mut(..code.len()).filter(|_| code.is_ascii()) {
        lower.copy_from_slice(code.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&code.to_lowercase())
}

/// `d` as ISO 8601, as its `Display` writes it, without the formatter for
/// the years a rent account has.
fn iso_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike;
    let Ok(year) = u32::try_from(d.year()) else {
        let _ = write!(out, "{d}");
        return;
    };
    if year > 9999 {
        let _ = write!(out, "{d}");
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(d.month() / 10));
    out.push(digit(d.month()));
    out.push('-');
    out.push(digit(d.day() / 10));
    out.push(digit(d.day()));
}

/// `d` as its `Display` writes it, without the formatter for the amounts
/// rows hold (up to 18 digits, at most two places).
fn push_decimal(out: &mut String, d: rust_decimal::Decimal) {
    let (Ok(mantissa), scale @ 0..=2) = (i64::try_from(d.mantissa()), d.scale()) else {
        let _ = write!(out, "{d}");
        return;
    };
    // As Display does, a negative zero keeps its sign.
    if d.is_sign_negative() {
        out.push('-');
    }
    let pow = 10u64.pow(scale);
    let (whole, frac) = (mantissa.unsigned_abs() / pow, mantissa.unsigned_abs() % pow);
    push_digits(out, whole);
    if scale > 0 {
        out.push('.');
        if scale == 2 {
            out.push(char::from(b'0' + (frac / 10) as u8));
        }
        out.push(char::from(b'0' + (frac % 10) as u8));
    }
}

/// What a profile accepts as money, quoting the cell as it was.
fn money_error(original: &str) -> String {
    let cleaned = clean_money(original).unwrap_or_default();
    match super::parse::money(cleaned.as_bytes()) {
        Err(m) if m.contains("decimal places") || m.contains("too large") => {
            format!(
                "{original:?}: {}",
                m.split_once(' ').map_or(m.as_str(), |(_, rest)| rest)
            )
        }
        _ => format!("expected an amount like £1,234.50, -12.00 or (12.00), found {original:?}"),
    }
}

/// `£1,234.50` -> `1234.50`; `(12.00)` and `12.00-` -> `-12.00`. Anything
/// else is left for the amount parser to judge.
pub fn clean_money(text: &str) -> Result<String, String> {
    let mut out = String::new();
    clean_money_into(text, &mut out)?;
    Ok(out)
}

/// The money in a cell, cleaned (see [`clean_money`]) onto the end of
/// `made` and read; on a failure `made` is left as it was.
fn money_into(text: &str, made: &mut String) -> Option<rust_decimal::Decimal> {
    let start = made.len();
    let money = clean_money_into(text, made)
        .ok()
        .and_then(|()| super::parse::money(&made.as_bytes()[start..]).ok());
    if money.is_none() {
        made.truncate(start);
    }
    money
}

/// [`clean_money`], appending to `out` (left as it was on an error).
fn clean_money_into(text: &str, out: &mut String) -> Result<(), String> {
    let start = out.len();
    // The text between the symbols and separators, a run at a time.
    let mut rest = text.trim();
    while let Some(at) = rest.find(['£', '$', '€', ',', ' ', '\u{a0}']) {
        out.push_str(&rest[..at]);
        let skip = rest[at..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[at + skip..];
    }
    out.push_str(rest);
    if out[start..].starts_with("GBP") {
        out.replace_range(start..start + 3, "");
    }
    let t = &out[start..];
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        out.pop();
        out.replace_range(start..=start, "-");
    } else if t.ends_with('-') {
        out.pop();
        out.insert(start, '-');
    }
    if out.len() == start && !text.trim().is_empty() {
        return Err(format!("expected an amount, found {:?}", text.trim()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::input::profile::{AmountStyle, FileProfile};
    use crate::input::table::required;

    static BANK: [Column; 3] = [
        required("bank_id"),
        required("date").date(),
        required("amount").money(),
    ];

    fn mapping(amount: AmountStyle) -> Mapping {
        let fp = FileProfile {
            amount: Some(amount),
            ..FileProfile::default()
        };
        let header = vec!["id".to_string(), "date".to_string(), "value".to_string()];
        Mapping::new("bank.csv", &fp, &BANK, header).expect("mapping")
    }

    fn apply(m: &Mapping, fields: &[&str]) -> Result<Vec<String>, Vec<FieldError>> {
        let mut out = ByteRecord::new();
        m.apply(
            &ByteRecord::from(fields.to_vec()),
            7,
            &mut out,
            &mut Scratch::default(),
        )
        .map(|()| {
            out.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect()
        })
    }

    #[test]
    fn only_a_plain_separator_makes_a_split() {
        let read = |s: Split| (s.side, s.sep.needle().to_vec());
        assert_eq!(
            Split::of("^(?P<value>.*?) / ").map(read),
            Some((Side::Before, b" / ".to_vec()))
        );
        assert_eq!(
            Split::of(r" \| (?P<value>.*)$").map(read),
            Some((Side::After, b" | ".to_vec()))
        );
        for pattern in [
            r"^(?P<value>.*?)\d",
            "^(?P<value>.*?).",
            "^(?P<value>.*?)",
            "(?i)ref(?P<value>.*)$",
            "^(?P<value>.*) / ",
            r"^(?P<value>.*?) / \",
        ] {
            assert!(Split::of(pattern).is_none(), "{pattern}");
        }
    }

    #[test]
    fn a_signed_column_can_be_negated_and_must_not_be_empty() {
        let m = mapping(AmountStyle {
            signed: Some("Value".into()),
            negate: true,
            ..AmountStyle::default()
        });
        assert_eq!(
            apply(&m, &["B1", "2026-03-02", "(12.50)"]),
            Ok(vec![
                "bank.csv:7".into(),
                "2026-03-02".into(),
                "12.50".into()
            ])
        );
        assert_eq!(
            apply(&m, &["B1", "2026-03-02", ""]),
            Err(vec![(
                2,
                "expected an amount, found an empty field".to_string()
            )])
        );
    }

    #[test]
    fn money_styles_clean_to_plain_decimals() {
        assert_eq!(clean_money("£1,234.50").as_deref(), Ok("1234.50"));
        assert_eq!(clean_money("(12.00)").as_deref(), Ok("-12.00"));
        assert_eq!(clean_money("12.00-").as_deref(), Ok("-12.00"));
        assert_eq!(clean_money(" GBP 5 ").as_deref(), Ok("5"));
        assert!(clean_money("£").is_err());
    }

    proptest::proptest! {
        /// Dates are written as `NaiveDate` displays them, whatever the year.
        #[test]
        fn dates_are_written_as_chrono_writes_them(days in -1_000_000i32..4_000_000) {
            let d = chrono::NaiveDate::from_num_days_from_ce_opt(days).expect("in range");
            let mut out = String::from("x");
            iso_date(&mut out, d);
            proptest::prop_assert_eq!(out, format!("x{d}"));
        }

        /// Money is cleaned a run at a time as a filter of every
        /// character would clean it.
        #[test]
        fn money_is_cleaned_of_every_symbol_and_separator(
            text in "(GBP)?[ £$€,\u{a0}0-9.()-]{0,14}",
        ) {
            // Symbols and separators filtered out a character at a time.
            let filtered: String = text
                .trim()
                .chars()
                .filter(|c| !matches!(c, '£' | '$' | '€' | ',' | ' ' | '\u{a0}'))
                .collect();
            let plain = filtered.strip_prefix("GBP").unwrap_or(&filtered);
            let mut out = String::from("x");
            let cleaned = clean_money_into(&text, &mut out).map(|()| out);
            match cleaned {
                Ok(out) => {
                    let digits = |s: &str| {
                        s.chars()
                            .filter(|c| !matches!(c, '(' | ')' | '-'))
                            .collect::<String>()
                    };
                    proptest::prop_assert_eq!(digits(&out[1..]), digits(plain));
                }
                Err(_) => proptest::prop_assert!(plain.is_empty()),
            }
        }

        #[test]
        fn a_split_reads_what_its_regex_would(
            sep in proptest::sample::select(vec![" / ", "/", "-", " ", "ab", "é.", "a+b", "(x)"]),
            text in "[ /ab.é+()x\n-]{0,16}",
        ) {
            for pattern in [Split::pattern(Side::Before, sep), Split::pattern(Side::After, sep)] {
                let split = Split::of(&pattern);
                proptest::prop_assert!(split.is_some(), "{} is a split", pattern);
                let re = Regex::new(&pattern).unwrap();
                let by_regex = re
                    .captures(&text)
                    .and_then(|c| c.name("value"))
                    .map(|m| (m.start(), m.end()));
                if let Some(span) = split.and_then(|s| s.span(&text)) {
                    proptest::prop_assert_eq!(span, by_regex, "{:?} on {:?}", pattern, text);
                }
            }
        }

        #[test]
        fn amounts_are_written_as_display_writes_them(
            mantissa in -999_999_999_999_999_999i64..=999_999_999_999_999_999,
            small in -1000i64..1000,
            scale in 0u32..=2,
        ) {
            for mantissa in [mantissa, small, 0] {
                let d = rust_decimal::Decimal::new(mantissa, scale);
                for d in [d, -d] {
                    let mut out = String::from("x");
                    push_decimal(&mut out, d);
                    proptest::prop_assert_eq!(out, format!("x{d}"));
                }
            }
        }

        /// Codes are looked up lower-cased, on the stack or not.
        #[test]
        fn codes_are_lower_cased_as_to_lowercase_does(code in "[A-Za-z0-9É ]{0,20}") {
            proptest::prop_assert_eq!(lowercase(&code, str::to_string), code.to_lowercase());
        }
    }
}
