//! A profile section compiled to one pass over each record: each raw column
//! it reads found and trimmed once, its words held once for every record,
//! codes, dates, amounts and plain patterns read by quick readers. A record
//! the plan is not sure of is mapped again the general way, which alone
//! gives errors, so what a plan maps is what the general way would.

use std::sync::atomic::{AtomicU64, Ordering};

use super::fast::{pack, DateFast, Literal};
use super::{AmountRole, Mapping, Source};
use crate::input::table::ColumnType;

mod run;

/// Where a value lies in a mapped record's text.
type Span = (usize, usize);

/// The most code columns a plan looks codes up in.
const CODE_COLUMNS: usize = 8;

/// A raw column no slot reads.
const NO_SLOT: u8 = u8::MAX;

/// Dates a scratch remembers the reading of, by their text: a file holds
/// few, and each many times.
const DATES_KEPT: usize = 256;

/// Tells plans apart in a [`Scratch`], whose text opens with the words of
/// the plan that last used it.
static PLANS: AtomicU64 = AtomicU64::new(1);

/// A [`Mapping`] compiled for [`Plan::run`].
#[derive(Debug)]
pub(super) struct Plan {
    id: u64,
    /// What every record's text opens with: the file's name and the words
    /// code tables and rules set, so that a record copies none of them.
    words: String,
    file_name: Span,
    /// The raw column of each slot: each column read is one slot.
    columns: Vec<usize>,
    /// Each raw column's slot, up to the last read (`NO_SLOT`: unread).
    slot_of: Vec<u8>,
    /// Each contract field's value before extractions, codes and rules.
    fields: Vec<Step>,
    /// The slots of the amount style's columns.
    signed: Option<usize>,
    money_in: Option<usize>,
    money_out: Option<usize>,
    /// The slot each extraction reads, beside [`Mapping::extracts`].
    extracts: Vec<usize>,
    /// Each code column's slot and the codes its tables list, packed.
    code_columns: Vec<(usize, Vec<u128>)>,
    codes: Vec<CodeTable>,
    /// Beside [`Mapping::rules`].
    rules: Vec<RulePlan>,
    /// The fields read as dates once every value is in (none where the
    /// profile gives no formats), and the first format's quick reader.
    dates: Vec<usize>,
    first_format: Option<DateFast>,
}

/// Where one field's first value comes from.
#[derive(Clone, Copy, Debug)]
enum Step {
    Text(usize),
    Money(usize),
    /// A date read from its column's bytes: nothing else sets its field.
    Date(usize),
    Amount(AmountRole),
    /// An id made from the line, which the readers count for themselves
    /// ([`Mapping::id_from_line`]): the file's name stands in, never blank.
    FileName,
    LineId,
    Blank,
}

/// A code table: its column (in [`Plan::code_columns`]), its field, the
/// word for each of the column's codes (`None`: not in this table).
#[derive(Debug)]
struct CodeTable {
    column: usize,
    field: usize,
    words: Vec<Option<Span>>,
    default: Option<Span>,
}

/// A rule's slot, its pattern as plain text where it is that and sets
/// nothing from its groups, and each constant value's span.
#[derive(Debug)]
struct RulePlan {
    slot: usize,
    literal: Option<Literal>,
    values: Vec<Option<Span>>,
}

/// The plan being built: its words and slots so far.
#[derive(Default)]
struct Builder {
    words: String,
    columns: Vec<usize>,
}

impl Builder {
    fn slot(&mut self, column: usize) -> usize {
        match self.columns.iter().position(|&c| c == column) {
            Some(slot) => slot,
            None => {
                self.columns.push(column);
                self.columns.len() - 1
            }
        }
    }

    fn word(&mut self, word: &str) -> Span {
        let start = self.words.len();
        self.words.push_str(word);
        (start, self.words.len())
    }

    fn fields(&mut self, m: &Mapping) -> Vec<Step> {
        let set_later = |i: usize| {
            m.extracts.iter().any(|(f, ..)| *f == i)
                || m.codes.iter().any(|t| t.field == i)
                || (m.rules.iter()).any(|r| r.sets.iter().any(|(f, _)| *f == i))
        };
        let date = |i: usize| {
            m.types[i] == ColumnType::Date && !m.date_formats.is_empty() && !set_later(i)
        };
        let steps = m
            .sources
            .iter()
            .enumerate()
            .map(|(i, source)| match source {
                Source::Column(c) if m.types[i] == ColumnType::Money => Step::Money(self.slot(*c)),
                Source::Column(c) if date(i) => Step::Date(self.slot(*c)),
                Source::Column(c) => Step::Text(self.slot(*c)),
                Source::Amount(role) => Step::Amount(*role),
                // A blank id would be refused; a file always has a name.
                Source::LineId if m.id_from_line(i) && !m.file.is_empty() => Step::FileName,
                Source::LineId => Step::LineId,
                Source::Nothing => Step::Blank,
            });
        steps.collect()
    }

    /// Each code table, its codes packed: a code too long or not ASCII
    /// cannot be any code listed here that a record's code could be.
    fn codes(&mut self, m: &Mapping) -> (Vec<(usize, Vec<u128>)>, Vec<CodeTable>) {
        let mut columns: Vec<(usize, Vec<u128>)> = Vec::new();
        for t in &m.codes {
            let slot = self.slot(t.column);
            let at = match columns.iter().position(|(s, _)| *s == slot) {
                Some(at) => at,
                None => {
                    columns.push((slot, Vec::new()));
                    columns.len() - 1
                }
            };
            let keys = &mut columns[at].1;
            for code in t.map.keys().filter_map(|k| pack(k.as_bytes())) {
                if !keys.contains(&code) {
                    keys.push(code);
                }
            }
        }
        let tables = (m.codes.iter())
            .filter_map(|t| {
                let slot = self.slot(t.column);
                let column = columns.iter().position(|(s, _)| *s == slot)?;
                let words = (columns[column].1.iter())
                    .map(|key| {
                        let word = t.map.iter().find(|(k, _)| pack(k.as_bytes()) == Some(*key));
                        word.map(|(_, w)| self.word(w))
                    })
                    .collect();
                let default = t.default.as_deref().map(|d| self.word(d));
                Some(CodeTable {
                    column,
                    field: t.field,
                    words,
                    default,
                })
            })
            .collect();
        (columns, tables)
    }

    fn rules(&mut self, m: &Mapping) -> Vec<RulePlan> {
        let rules = m.rules.iter().map(|r| RulePlan {
            slot: self.slot(r.column),
            literal: (!r.captures())
                .then(|| Literal::of(r.pattern.as_str()))
                .flatten(),
            values: (r.sets.iter().zip(&r.made))
                .map(|((_, v), made)| made.is_none().then(|| self.word(v)))
                .collect(),
        });
        rules.collect()
    }
}

impl Plan {
    /// `m` compiled, where its records can be mapped in one pass.
    pub(super) fn of(m: &Mapping) -> Option<Plan> {
        if m.sources.len() > 64 || m.used.len() >= usize::from(NO_SLOT) {
            return None;
        }
        let mut b = Builder::default();
        let file_name = b.word(&m.file);
        let fields = b.fields(m);
        let slot = |b: &mut Builder, c: Option<usize>| c.map(|c| b.slot(c));
        let (signed, money_in, money_out) = (
            slot(&mut b, m.signed),
            slot(&mut b, m.money_in),
            slot(&mut b, m.money_out),
        );
        let extracts: Vec<usize> = m.extracts.iter().map(|(_, c, _)| b.slot(*c)).collect();
        let (code_columns, codes) = b.codes(m);
        if code_columns.len() > CODE_COLUMNS || codes.len() != m.codes.len() {
            return None;
        }
        let rules = b.rules(m);
        let mut slot_of = vec![NO_SLOT; b.columns.iter().max().map_or(0, |c| c + 1)];
        for (slot, &c) in b.columns.iter().enumerate() {
            slot_of[c] = slot as u8;
        }
        let dates = (m.types.iter().enumerate())
            .filter(|(_, ty)| **ty == ColumnType::Date && !m.date_formats.is_empty())
            .map(|(i, _)| i)
            .collect();
        Some(Plan {
            id: PLANS.fetch_add(1, Ordering::Relaxed),
            words: b.words,
            file_name,
            columns: b.columns,
            slot_of,
            fields,
            signed,
            money_in,
            money_out,
            extracts,
            code_columns,
            codes,
            rules,
            dates,
            first_format: m.date_formats.first().and_then(|f| DateFast::of(f)),
        })
    }
}
