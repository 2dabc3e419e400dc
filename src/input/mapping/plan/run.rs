//! One record through a [`Plan`]: its text checked and placed once, each
//! column found and trimmed once; amounts, dates and codes read from the
//! bytes. Any doubt hands the record back (`false`).

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::super::apply::{extracted_span, line_id, made_cell, made_trimmed, BLANK};
use super::super::cells::read_money;
use super::super::fast::{key, pack, plain_money};
use super::super::{Cell, Mapped, Mapping, Scratch, Seen};
use super::{Plan, Span, Step, CODE_COLUMNS, DATES_KEPT, NO_SLOT};

/// One record's columns, each found and trimmed once, in its text (checked
/// as UTF-8 once, and placed once in the mapped record's at `base`).
struct Fields<'a> {
    whole: &'a str,
    base: usize,
    spans: &'a [Span],
}

impl<'a> Fields<'a> {
    fn bytes(&self, slot: usize) -> &'a [u8] {
        let (start, end) = self.spans[slot];
        self.whole.as_bytes().get(start..end).unwrap_or_default()
    }

    fn text(&self, slot: usize) -> &'a str {
        let (start, end) = self.spans[slot];
        self.whole.get(start..end).unwrap_or_default()
    }

    /// Column `slot` as a cell, taken as it is.
    fn column(&self, slot: usize) -> Cell {
        match self.spans[slot] {
            (start, end) if start < end => Cell::Text(self.base + start, self.base + end),
            _ => BLANK,
        }
    }

    /// `t`, a part of the record's text, as a cell.
    fn cell(&self, t: &str) -> Cell {
        let at = (t.as_ptr() as usize).wrapping_sub(self.whole.as_ptr() as usize);
        match at.checked_add(t.len()) {
            Some(end) if !t.is_empty() && end <= self.whole.len() => {
                Cell::Text(self.base + at, self.base + end)
            }
            _ => BLANK,
        }
    }
}

/// Where `field`, a part of `record`, lies in it once trimmed as
/// `str::trim` trims; `None` where that needs its text, which is not UTF-8.
fn span(record: &[u8], field: &[u8]) -> Option<Span> {
    let at = (field.as_ptr() as usize).wrapping_sub(record.as_ptr() as usize);
    // Opening with a printable ASCII byte, or a two-byte character that is
    // not a space (U+0085, U+00A0), and closing with one: nothing to trim.
    let opens = match field {
        [] => return Some((0, 0)),
        [a, ..] if a.is_ascii_graphic() => true,
        [0xC2, b, ..] => !matches!(b, 0x85 | 0xA0),
        _ => false,
    };
    if opens && field.last().is_some_and(u8::is_ascii_graphic) {
        return Some((at, at + field.len()));
    }
    let t = std::str::from_utf8(field).ok()?.trim();
    let from = (t.as_ptr() as usize).wrapping_sub(record.as_ptr() as usize);
    Some(if t.is_empty() {
        (0, 0)
    } else {
        (from, from + t.len())
    })
}

/// The money in a trimmed cell, as the profile reads it.
fn money(t: &[u8]) -> Option<Decimal> {
    plain_money(t).or_else(|| read_money(std::str::from_utf8(t).ok()?))
}

impl Plan {
    /// Maps `raw` into `scratch.mapped` as [`Mapping::apply_typed`] would,
    /// and says so; `false` where the record needs the general way (it is
    /// not UTF-8, has a problem, or a value the quick readers leave).
    pub(in super::super) fn run(
        &self,
        m: &Mapping,
        raw: &ByteRecord,
        line: u64,
        s: &mut Scratch,
    ) -> bool {
        let Scratch {
            mapped: Mapped { text: made, cells },
            groups,
            rule_groups,
            spans,
            words_of,
            dates,
        } = s;
        if *words_of == self.id {
            made.truncate(self.words.len());
        } else {
            made.clear();
            made.push_str(&self.words);
            *words_of = self.id;
            dates.clear();
            dates.resize(DATES_KEPT, (0, NaiveDate::MIN));
        }
        let Ok(whole) = std::str::from_utf8(raw.as_slice()) else {
            return false;
        };
        let base = made.len();
        made.push_str(whole);
        let record = whole.as_bytes();
        spans.clear();
        spans.resize(self.columns.len(), (0, 0));
        for (field, &slot) in raw.iter().zip(&self.slot_of) {
            if slot != NO_SLOT {
                let Some(span) = span(record, field) else {
                    return false;
                };
                spans[usize::from(slot)] = span;
            }
        }
        let f = Fields { whole, base, spans };
        cells.clear();
        cells.resize(self.fields.len(), BLANK);
        self.sourced(m, &f, line, made, cells, dates)
            && self.extract(m, &f, cells, groups)
            && self.code(&f, cells)
            && self.rule(m, &f, cells, made, rule_groups)
            && self.date(m, cells, made, dates)
    }

    fn sourced(
        &self,
        m: &Mapping,
        f: &Fields<'_>,
        line: u64,
        made: &mut String,
        cells: &mut [Cell],
        kept: &mut [(u128, NaiveDate)],
    ) -> bool {
        let mut signed: Option<Decimal> = None;
        for (step, cell) in self.fields.iter().zip(cells) {
            *cell = match *step {
                Step::Text(slot) => f.column(slot),
                Step::Money(slot) if f.bytes(slot).is_empty() => BLANK,
                Step::Money(slot) => match money(f.bytes(slot)).and_then(Cell::money) {
                    Some(cell) => cell,
                    None => return false,
                },
                Step::Date(slot) if f.bytes(slot).is_empty() => BLANK,
                Step::Date(slot) => match self.read_date(m, f.bytes(slot), kept) {
                    Some(cell) => cell,
                    None => return false,
                },
                Step::Amount(role) => {
                    let amount = match signed {
                        Some(a) => a,
                        None => match self.amount(f, m.negate) {
                            Some(a) => *signed.insert(a),
                            None => return false,
                        },
                    };
                    match role.of(amount).map(Cell::money) {
                        Some(Some(cell)) => cell,
                        Some(None) => return false,
                        None => BLANK,
                    }
                }
                Step::FileName => Cell::Text(self.file_name.0, self.file_name.1),
                Step::LineId => made_cell(made, |made| line_id(made, &m.file, line)),
                Step::Blank => BLANK,
            };
        }
        true
    }

    /// The record's amount as [`Mapping::signed_amount`] reads it, or
    /// `None` where that is a problem.
    fn amount(&self, f: &Fields<'_>, negate: bool) -> Option<Decimal> {
        let read = |slot: Option<usize>| -> Option<Option<Decimal>> {
            match slot.map(|s| f.bytes(s)) {
                None | Some([]) => Some(None),
                Some(t) => money(t).map(Some),
            }
        };
        if self.signed.is_some() {
            let v = read(self.signed)??;
            return Some(if negate { -v } else { v });
        }
        match (read(self.money_in)?, read(self.money_out)?) {
            (Some(x), Some(y)) if !x.is_zero() && !y.is_zero() => None,
            (Some(x), Some(y)) => Some(x - y),
            (Some(x), None) => Some(x),
            (None, Some(y)) => Some(-y),
            (None, None) => None,
        }
    }

    /// The date `v` holds as a cell: as this scratch read it before, else
    /// by the first format's quick reader, else as [`Mapping::date`] reads
    /// it; `None` where it reads as none.
    fn read_date(&self, m: &Mapping, v: &[u8], kept: &mut [(u128, NaiveDate)]) -> Option<Cell> {
        // A key is never 0 (it holds its length), as an empty place's is.
        let place = key(v).map(|k| {
            let folded = (k as u64) ^ ((k >> 64) as u64);
            let at = folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56;
            (k, at as usize % kept.len().max(1))
        });
        if let Some((k, at)) = place {
            if let Some(&(seen, d)) = kept.get(at).filter(|e| e.0 == k) {
                debug_assert_eq!(seen, k);
                return Some(Cell::Date(d));
            }
        }
        let quick = self.first_format.and_then(|q| q.read(v));
        let d = quick.or_else(|| m.date(std::str::from_utf8(v).ok()?).ok())?;
        let cell = Cell::date(d)?;
        if let Some((k, at)) = place {
            if let Some(e) = kept.get_mut(at) {
                *e = (k, d);
            }
        }
        Some(cell)
    }

    /// Extractions, as [`Mapping::extract`] runs them.
    fn extract(
        &self,
        m: &Mapping,
        f: &Fields<'_>,
        cells: &mut [Cell],
        groups: &mut [(Option<usize>, regex::CaptureLocations)],
    ) -> bool {
        let mut filled: u64 = 0;
        let each = (m.extracts.iter().zip(&self.extracts))
            .zip(m.splits.iter().zip(&m.seen))
            .zip(groups);
        for ((((field, _, re), &slot), (split, seen)), (value, locs)) in each {
            if filled & (1 << field) != 0 {
                continue;
            }
            Seen::mark(&seen.tried);
            let source = f.text(slot);
            let Some((start, end)) = extracted_span(split.as_ref(), re, (*value, locs), source)
            else {
                continue;
            };
            Seen::mark(&seen.matched);
            let value = source.get(start..end).unwrap_or_default().trim();
            if !value.is_empty() {
                filled |= 1 << field;
            }
            cells[*field] = f.cell(value);
        }
        true
    }

    /// Code tables: each column's code found once among the codes listed.
    fn code(&self, f: &Fields<'_>, cells: &mut [Cell]) -> bool {
        let mut found = [usize::MAX; CODE_COLUMNS];
        for ((slot, keys), found) in self.code_columns.iter().zip(&mut found) {
            let Some(code) = pack(f.bytes(*slot)) else {
                return false;
            };
            *found = keys.iter().position(|k| *k == code).unwrap_or(usize::MAX);
        }
        for t in &self.codes {
            let listed = t.words.get(found[t.column]).copied().flatten();
            match listed.or(t.default) {
                Some((start, end)) => cells[t.field] = Cell::Text(start, end),
                None if f.bytes(self.code_columns[t.column].0).is_empty() => {}
                None => return false,
            }
        }
        true
    }

    /// Rules, as [`Mapping::rule`] runs them; a plain pattern is looked
    /// for as text where the text is plain enough to be sure.
    fn rule(
        &self,
        m: &Mapping,
        f: &Fields<'_>,
        cells: &mut [Cell],
        made: &mut String,
        rule_groups: &mut [regex::CaptureLocations],
    ) -> bool {
        for ((r, plan), locs) in m.rules.iter().zip(&self.rules).zip(rule_groups) {
            let text = f.text(plan.slot);
            let hit = match plan.literal.as_ref().and_then(|l| l.hit(text.as_bytes())) {
                Some(hit) => hit,
                None if r.captures() => r.pattern.captures_read(locs, text).is_some(),
                None => r.pattern.is_match(text),
            };
            if !hit {
                continue;
            }
            let each = r.sets.iter().zip(&r.made).zip(&plan.values);
            for (((field, _), template), value) in each {
                cells[*field] = match (template, value) {
                    (Some(t), _) => made_trimmed(made, |m| t.write(locs, text, m)),
                    (None, Some((start, end))) => Cell::Text(*start, *end),
                    (None, None) => return false,
                };
            }
        }
        true
    }

    /// Dates set by more than their column (an extraction, a code or a
    /// rule may set them), read once every value is in.
    fn date(
        &self,
        m: &Mapping,
        cells: &mut [Cell],
        made: &str,
        kept: &mut [(u128, NaiveDate)],
    ) -> bool {
        for &i in &self.dates {
            let Cell::Text(start, end) = cells[i] else {
                continue;
            };
            let v = made.get(start..end).unwrap_or_default();
            if v.is_empty() {
                continue;
            }
            match self.read_date(m, v.as_bytes(), kept) {
                Some(cell) => cells[i] = cell,
                None => return false,
            }
        }
        true
    }
}
