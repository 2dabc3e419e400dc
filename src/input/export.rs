//! Writing rows in the shape a mapping profile reads: the inverse of
//! [`Mapping`], for `generate --profile`. Each row is read back through the
//! profile before it is written, so a shape that cannot carry a value is
//! refused with the field and the value, never written wrong.

use std::fmt;

use csv::ByteRecord;
use regex_syntax::hir::{Class, Hir, HirKind};

use super::mapping::{AmountRole, Mapping, Scratch, Source};
use super::profile::{Encoding, FileProfile};
use super::table::{Column, ColumnType};
use crate::recon::money::pounds;
use rust_decimal::Decimal;

/// Why a profile's shape cannot be written, or cannot carry a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError {
    kind: ExportErrorKind,
    message: String,
}

/// What kind of [`ExportError`] it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportErrorKind {
    /// The profile cannot be written to at all: its mapping does not
    /// compile, or a pattern of it cannot be sampled.
    Profile,
    /// A canonical value is not what its column holds (not an amount, not
    /// an ISO date), or a row has the wrong number of values.
    Value,
    /// The profile's shape cannot carry a value: written, it would read
    /// back otherwise, or the date format or encoding cannot write it.
    CannotCarry,
}

impl ExportError {
    fn new(kind: ExportErrorKind, message: String) -> Self {
        ExportError { kind, message }
    }

    pub fn kind(&self) -> ExportErrorKind {
        self.kind
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExportError {}

type Result<T, E = ExportError> = std::result::Result<T, E>;

/// One extraction from a column: (canonical field, the shortest text of its
/// pattern before the value, and after it).
type Extraction = (usize, String, String);

/// One file's export shape: its header, and how each canonical row becomes
/// a raw one.
pub struct ExportShape {
    /// The name evidence cites (the profile's `file`, or the contract's).
    pub file_name: String,
    pub delimiter: u8,
    pub skip_rows: usize,
    pub trailer_rows: usize,
    encoding: Encoding,
    header: Vec<String>,
    columns: &'static [Column],
    /// The canonical field whose value is the row's `file:line`, if the
    /// profile gives the id no column.
    line_id: Option<usize>,
    /// For each raw column with extractions, what each extracts.
    extracts: Vec<(usize, Vec<Extraction>)>,
    /// Rules as samples that match their pattern.
    rule_samples: Vec<String>,
    code_columns: Vec<CodeColumn>,
    mapping: Mapping,
}

/// A raw column that code tables read.
struct CodeColumn {
    column: usize,
    /// The mapping's code tables on this column.
    tables: Vec<usize>,
    /// Every key any of them knows, in profile order: as written, and as
    /// looked up (trimmed, lower-cased).
    keys: Vec<(String, String)>,
}

impl ExportShape {
    /// The shape of `file_name` as `fp` describes it, over the contract's
    /// `columns`.
    pub fn new(file_name: &str, fp: &FileProfile, columns: &'static [Column]) -> Result<Self> {
        let header = header(fp, columns);
        let lowered = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let mapping = Mapping::new(file_name, fp, columns, lowered).map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            ExportError::new(ExportErrorKind::Profile, problems.join("; "))
        })?;
        let mut extracts: Vec<(usize, Vec<Extraction>)> = Vec::new();
        for (field, column, re) in &mapping.extracts {
            let (before, after) = around_value(re.as_str()).map_err(|e| {
                let message = format!("extract pattern for {}: {e}", columns[*field].name);
                ExportError::new(ExportErrorKind::Profile, message)
            })?;
            match extracts.iter_mut().find(|(c, _)| c == column) {
                Some((_, list)) => list.push((*field, before, after)),
                None => extracts.push((*column, vec![(*field, before, after)])),
            }
        }
        let rule_samples = mapping
            .rules
            .iter()
            .map(|r| matching(r.pattern.as_str()))
            .collect::<Result<_>>()?;
        // The mapping compiled every code table in the profile's order.
        let mut code_columns: Vec<CodeColumn> = Vec::new();
        for (i, (compiled, t)) in mapping.codes.iter().zip(&fp.codes).enumerate() {
            let at = match code_columns
                .iter()
                .position(|c| c.column == compiled.column)
            {
                Some(at) => at,
                None => {
                    code_columns.push(CodeColumn {
                        column: compiled.column,
                        tables: Vec::new(),
                        keys: Vec::new(),
                    });
                    code_columns.len() - 1
                }
            };
            let entry = &mut code_columns[at];
            entry.tables.push(i);
            for key in t.map.keys() {
                if !entry.keys.iter().any(|(k, _)| k == key) {
                    entry.keys.push((key.clone(), key.trim().to_lowercase()));
                }
            }
        }
        Ok(ExportShape {
            file_name: file_name.to_string(),
            delimiter: fp.delimiter_byte(),
            skip_rows: fp.skip_rows,
            trailer_rows: fp.trailer_rows,
            encoding: fp.encoding,
            header,
            columns,
            line_id: mapping
                .sources
                .iter()
                .position(|s| matches!(s, Source::LineId)),
            extracts,
            rule_samples,
            code_columns,
            mapping,
        })
    }

    /// The canonical field whose value is the row's `file:line`, if the
    /// profile gives the id no column.
    pub fn line_id(&self) -> Option<usize> {
        self.line_id
    }

    /// The header row, encoded.
    pub fn header(&self) -> Result<Vec<Vec<u8>>> {
        self.header.iter().map(|h| self.encode(h)).collect()
    }

    /// The lines above the header that `skip_rows` passes over.
    pub fn preamble(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for k in 1..=self.skip_rows {
            out.extend(self.encode(format!(
                "Export of {} (generated by rent-audit), line {k}",
                self.file_name
            ))?);
            out.extend(b"\r\n");
        }
        Ok(out)
    }

    /// The records after the data that `trailer_rows` drops.
    pub fn trailer(&self) -> Result<Vec<Vec<Vec<u8>>>> {
        (1..=self.trailer_rows)
            .map(|k| {
                let mut row = vec![Vec::new(); self.header.len()];
                if let Some(first) = row.first_mut() {
                    *first = self.encode(format!("End of export, line {k} of the trailer"))?;
                }
                Ok(row)
            })
            .collect()
    }

    /// The raw row for `canonical` (values in the order of the contract's
    /// columns), to be written at `line`: encoded, and checked by reading it
    /// back through the profile.
    pub fn row(&self, canonical: &[&str], line: u64) -> Result<Vec<Vec<u8>>> {
        if canonical.len() != self.columns.len() {
            let message = format!(
                "{}:{line}: a row of {} values for {} columns",
                self.file_name,
                canonical.len(),
                self.columns.len()
            );
            return Err(ExportError::new(ExportErrorKind::Value, message));
        }
        let line_id = self
            .line_id()
            .map(|f| (f, format!("{}:{line}", self.file_name)));
        let mut want: Vec<&str> = canonical.to_vec();
        if let Some((f, id)) = &line_id {
            want[*f] = id;
        }
        let mut raw = self.raw(canonical)?;
        let mut read_back = ByteRecord::new();
        let mut wrong = self.wrong(&raw, line, &want, &mut read_back);
        // A value the plain columns cannot give may come from a rule: make
        // its column match each rule that sets only what the row wants.
        if !wrong.is_empty() {
            for (rule, sample) in self.mapping.rules.iter().zip(&self.rule_samples) {
                let agrees = rule.sets.iter().all(|(f, v)| want[*f] == v);
                let helps = rule.sets.iter().any(|(f, _)| wrong.contains(f));
                if agrees && helps && !rule.pattern.is_match(raw[rule.column].trim()) {
                    let text = &mut raw[rule.column];
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(sample);
                }
            }
            wrong = self.wrong(&raw, line, &want, &mut read_back);
        }
        if let Some(&f) = wrong.first() {
            let got = read_back
                .get(f)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            let message = format!(
                "{}:{line}: the profile cannot carry {} = {:?}: the row written for it would read back as {got:?}",
                self.file_name,
                self.columns[f].name,
                want[f]
            );
            return Err(ExportError::new(ExportErrorKind::CannotCarry, message));
        }
        raw.into_iter().map(|v| self.encode(v)).collect()
    }

    /// The raw text of each column before rules.
    fn raw(&self, canonical: &[&str]) -> Result<Vec<String>> {
        let m = &self.mapping;
        let mut raw = vec![String::new(); self.header.len()];
        for (i, source) in m.sources.iter().enumerate() {
            let value = canonical[i];
            match source {
                Source::Column(c) if !value.is_empty() => {
                    raw[*c] = match self.columns[i].ty {
                        ColumnType::Money => money(value)?,
                        ColumnType::Date => self.date(value)?,
                        ColumnType::Text => value.to_string(),
                    }
                }
                Source::Amount(role) => self.amount(canonical, i, *role, &mut raw)?,
                _ => {}
            }
        }
        for (column, parts) in &self.extracts {
            let pieces: Vec<String> = parts
                .iter()
                .filter(|(f, ..)| !canonical[*f].is_empty())
                .map(|(f, before, after)| format!("{before}{}{after}", canonical[*f]))
                .collect();
            if !pieces.is_empty() {
                raw[*column] = pieces
                    .iter()
                    .skip(1)
                    .fold(pieces[0].clone(), |a, b| overlap(&a, b));
            }
        }
        for c in &self.code_columns {
            raw[c.column] = self.code(c, canonical);
        }
        Ok(raw)
    }

    /// The first code that every table on the column reads as the row's value;
    /// an empty cell (a table's default) if none does, for a rule to set.
    fn code(&self, c: &CodeColumn, canonical: &[&str]) -> String {
        let reads = |lowered: &str| {
            c.tables.iter().all(|&i| {
                let t = &self.mapping.codes[i];
                let word = t.word(lowered);
                word.map_or(lowered.is_empty() && canonical[t.field].is_empty(), |w| {
                    *w == canonical[t.field]
                })
            })
        };
        c.keys
            .iter()
            .find(|(_, lowered)| reads(lowered))
            .map(|(key, _)| key.clone())
            .unwrap_or_default()
    }

    /// Writes the money columns for one amount role of `canonical`.
    fn amount(
        &self,
        canonical: &[&str],
        field: usize,
        role: AmountRole,
        raw: &mut [String],
    ) -> Result<()> {
        let m = &self.mapping;
        let value = |name: &str| -> Result<Decimal> {
            let at = self.columns.iter().position(|c| c.name == name);
            match at.map(|i| canonical[i]).filter(|v| !v.is_empty()) {
                Some(v) => v.parse::<Decimal>().map_err(|e| {
                    let message = format!("{name} {v:?} is not an amount: {e}");
                    ExportError::new(ExportErrorKind::Value, message)
                }),
                None => Ok(Decimal::ZERO),
            }
        };
        if canonical[field].is_empty() && matches!(role, AmountRole::Signed) {
            return Ok(());
        }
        // Money in (bank) or a debit (ledger) is positive.
        let signed = match role {
            AmountRole::Signed => value("amount")?,
            // The ledger's debit and credit are one signed amount between them:
            // written once, from the debit's field.
            AmountRole::Debit => value("debit")? - value("credit")?,
            AmountRole::Credit => return Ok(()),
        };
        if let Some(c) = m.signed {
            raw[c] = pounds(if m.negate { -signed } else { signed });
        } else if signed > Decimal::ZERO {
            if let Some(c) = m.money_in {
                raw[c] = pounds(signed);
            }
        } else if let Some(c) = m.money_out {
            raw[c] = pounds(-signed);
        }
        Ok(())
    }

    fn date(&self, iso: &str) -> Result<String> {
        let d = super::parse::date(iso.as_bytes()).map_err(|m| {
            let message = format!("{iso:?} is not an ISO date: {m}");
            ExportError::new(ExportErrorKind::Value, message)
        })?;
        // Written in the profile's first format; the mapping parsed it once.
        Ok(match self.mapping.date_items.first() {
            Some(items) => super::date_format::write_date(d, items.iter()).ok_or_else(|| {
                let message = format!("the profile's date format cannot write {iso}");
                ExportError::new(ExportErrorKind::CannotCarry, message)
            })?,
            None => iso.to_string(),
        })
    }

    /// The canonical fields `raw` does not read back as, in order.
    fn wrong(&self, raw: &[String], line: u64, want: &[&str], out: &mut ByteRecord) -> Vec<usize> {
        let mut record = ByteRecord::with_capacity(raw.iter().map(String::len).sum(), raw.len());
        for field in raw {
            record.push_field(field.as_bytes());
        }
        // A field that fails to read is wrong, and found so below.
        let _ = (self.mapping).apply(&record, line, out, &mut Scratch::default());
        (0..want.len())
            .filter(|&f| out.get(f).is_none_or(|v| v != want[f].as_bytes()))
            .collect()
    }

    fn encode(&self, text: impl AsRef<str> + Into<String>) -> Result<Vec<u8>> {
        Ok(match self.encoding {
            Encoding::Utf8 => text.into().into_bytes(),
            Encoding::Windows1252 => {
                let text = text.as_ref();
                let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
                if unmappable {
                    let message = format!(
                        "{}: {text:?} has a character windows-1252 lacks",
                        self.file_name
                    );
                    return Err(ExportError::new(ExportErrorKind::CannotCarry, message));
                }
                bytes.into_owned()
            }
        })
    }
}

/// The header a profile reads: each contract field under the profile's name
/// for it (or the amount style's columns in its place), then the columns
/// extraction, codes and rules read; a field the profile does not mention
/// keeps the contract's name, as the reader would look for it. An id the
/// profile gives no column is made from the line, so it has none.
fn header(fp: &FileProfile, columns: &[Column]) -> Vec<String> {
    let mut header: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !header
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        {
            header.push(name.to_string());
        }
    };
    let set_elsewhere = |field: &str| {
        fp.extract.iter().any(|e| e.field == field)
            || fp.codes.iter().any(|t| t.set == field)
            || fp.rules.iter().any(|r| r.set.contains_key(field))
    };
    for c in columns {
        match (fp.columns.get(c.name), &fp.amount) {
            (Some(name), _) => add(name),
            (None, Some(a)) if matches!(c.name, "amount" | "debit" | "credit") => {
                let names = [&a.signed, &a.paid_in, &a.debit, &a.paid_out, &a.credit];
                for name in names.into_iter().flatten() {
                    add(name);
                }
            }
            _ if matches!(c.name, "txn_id" | "bank_id") || set_elsewhere(c.name) => {}
            _ => add(c.name),
        }
    }
    for e in &fp.extract {
        add(&e.column);
    }
    for t in &fp.codes {
        add(&t.column);
    }
    for r in &fp.rules {
        add(&r.column);
    }
    header
}

/// `£1,234.50`, as the exports write money.
fn money(plain: &str) -> Result<String> {
    let d: Decimal = plain.parse().map_err(|e| {
        let message = format!("{plain:?} is not an amount: {e}");
        ExportError::new(ExportErrorKind::Value, message)
    })?;
    Ok(pounds(d))
}

/// `a` then `b`, sharing the longest end of `a` that begins `b`: two
/// extractions from one column, `^(?P<value>.*?) / ` and ` / (?P<value>.*)$`,
/// sample as "PAYER / " and " / REF" and meet as "PAYER / REF".
fn overlap(a: &str, b: &str) -> String {
    let shared = (1..=a.len().min(b.len()))
        .rev()
        .find(|&k| a.is_char_boundary(a.len() - k) && b.is_char_boundary(k) && a.ends_with(&b[..k]))
        .unwrap_or(0);
    let joiner = if shared == 0 && !a.is_empty() {
        " "
    } else {
        ""
    };
    format!("{a}{joiner}{}", &b[shared..])
}

/// `pattern` parsed, to be sampled.
fn parsed(pattern: &str) -> Result<Hir> {
    regex_syntax::parse(pattern).map_err(|e| {
        let message = format!("pattern {pattern:?}: {e}");
        ExportError::new(ExportErrorKind::Profile, message)
    })
}

/// The shortest text `pattern` matches, split where its value group (the
/// group named `value`, or the first, or the whole match) goes.
fn around_value(pattern: &str) -> Result<(String, String)> {
    let hir = parsed(pattern)?;
    match value_group(&hir) {
        // The whole match is the value.
        None => Ok((String::new(), String::new())),
        Some(group) => {
            let mut text = Sample::default();
            text.walk(&hir, Some(group));
            Ok((text.before, text.after))
        }
    }
}

/// The shortest text `pattern` matches, for a rule to fire.
fn matching(pattern: &str) -> Result<String> {
    let hir = parsed(pattern)?;
    let mut text = Sample::default();
    text.walk(&hir, None);
    Ok(text.before)
}

/// The capture group the mapping takes its value from.
fn value_group(hir: &Hir) -> Option<u32> {
    fn walk(hir: &Hir, named: &mut Option<u32>, first: &mut Option<u32>) {
        match hir.kind() {
            HirKind::Capture(c) => {
                if c.name.as_deref() == Some("value") {
                    *named = Some(c.index);
                }
                if c.index == 1 {
                    *first = Some(1);
                }
                walk(&c.sub, named, first);
            }
            HirKind::Repetition(r) => walk(&r.sub, named, first),
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                for p in parts {
                    walk(p, named, first);
                }
            }
            _ => {}
        }
    }
    let (mut named, mut first) = (None, None);
    walk(hir, &mut named, &mut first);
    named.or(first)
}

fn holds(hir: &Hir, target: Option<u32>) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => Some(c.index) == target || holds(&c.sub, target),
        HirKind::Repetition(r) => holds(&r.sub, target),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(|p| holds(p, target))
        }
        _ => false,
    }
}

/// The shortest text a pattern matches, built in two halves: before the
/// value group is reached and after it.
#[derive(Default)]
struct Sample {
    before: String,
    after: String,
    seen: bool,
}

impl Sample {
    fn push(&mut self, s: &str) {
        if self.seen {
            self.after.push_str(s);
        } else {
            self.before.push_str(s);
        }
    }

    fn walk(&mut self, hir: &Hir, target: Option<u32>) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => self.push(&String::from_utf8_lossy(&lit.0)),
            HirKind::Class(class) => {
                if let Some(c) = pick(class) {
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            HirKind::Capture(c) if Some(c.index) == target => self.seen = true,
            HirKind::Capture(c) => self.walk(&c.sub, target),
            HirKind::Repetition(r) => {
                let times = if r.min == 0 && holds(&r.sub, target) {
                    1
                } else {
                    r.min.min(64)
                };
                for _ in 0..times {
                    self.walk(&r.sub, target);
                }
            }
            HirKind::Concat(parts) => {
                for p in parts {
                    self.walk(p, target);
                }
            }
            HirKind::Alternation(alts) => {
                if let Some(a) = alts.iter().find(|a| holds(a, target)).or(alts.first()) {
                    self.walk(a, target);
                }
            }
        }
    }
}

/// A readable character the class holds: a letter, digit or space where it
/// has one.
fn pick(class: &Class) -> Option<char> {
    let preferred = ['A', 'a', '0', ' '];
    match class {
        Class::Unicode(u) => preferred
            .into_iter()
            .find(|&c| u.ranges().iter().any(|r| r.start() <= c && c <= r.end()))
            .or_else(|| u.ranges().first().map(|r| r.start())),
        Class::Bytes(b) => preferred
            .into_iter()
            .find(|&c| {
                b.ranges()
                    .iter()
                    .any(|r| r.start() as char <= c && c <= r.end() as char)
            })
            .or_else(|| b.ranges().first().map(|r| r.start() as char)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_sample_around_their_value() {
        let s = |p: &str| around_value(p).expect("pattern");
        assert_eq!(s("^(?P<value>.*?) / "), (String::new(), " / ".into()));
        assert_eq!(s(" / (?P<value>.*)$"), (" / ".into(), String::new()));
        assert_eq!(s(r"TENANCY (RA\d+)"), ("TENANCY ".into(), String::new()));
        assert_eq!(matching(r"(?i)council hb").expect("rule"), "COUNCIL HB");
        assert_eq!(
            s(r"ref:\s*(?P<value>\w+) end"),
            ("ref:".into(), " end".into())
        );
        assert_eq!(overlap("PAYER / ", " / REF"), "PAYER / REF");
        assert_eq!(overlap("A", "B"), "A B");
    }

    #[test]
    fn an_export_error_says_what_kind_it_is() {
        let e = money("12p").expect_err("not an amount");
        assert_eq!(e.kind(), ExportErrorKind::Value);
        assert!(
            e.to_string().starts_with("\"12p\" is not an amount: "),
            "{e}"
        );
        let e = matching("(").expect_err("not a pattern");
        assert_eq!(e.kind(), ExportErrorKind::Profile);
        assert!(e.to_string().starts_with("pattern \"(\": "), "{e}");
    }
}
