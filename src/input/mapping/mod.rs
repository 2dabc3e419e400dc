//! Applying a profile to one raw record: the canonical record the contract's
//! readers expect, built field by field (columns, amounts, extractions, code
//! tables, rules, dates, generated ids). Problems name the source column.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::format::Item;
use regex::Regex;

use super::date_format::DateShape;
use super::table::ColumnType;

mod apply;
mod cells;
mod compile;
pub mod error;
mod fast;
mod mapped;
mod plan;
#[cfg(test)]
mod plan_tests;
mod split;
pub mod template;
#[cfg(test)]
mod tests;

pub use cells::clean_money;
pub use error::{FieldError, FieldProblem, Key, MappingError, NotMoney};
pub use mapped::{Cell, Mapped};
pub(crate) use split::{Side, Split};
pub use template::{MissingGroup, Template};

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

/// An if-rule compiled: raw column, pattern, (canonical field, value as
/// written) pairs, and each value's captures where it uses any.
#[derive(Debug)]
pub(super) struct CompiledRule {
    pub(super) column: usize,
    pub(super) pattern: Regex,
    pub(super) sets: Vec<(usize, String)>,
    /// Beside `sets`: the value made from the match, or `None` for a
    /// constant.
    made: Vec<Option<Template>>,
}

impl CompiledRule {
    /// Whether any value needs the pattern's groups (else a plain match).
    fn captures(&self) -> bool {
        self.made.iter().flatten().any(Template::captures)
    }
}

/// What an extraction has done over the rows so far (shared by the blocks
/// a file is read in).
#[derive(Debug, Default)]
struct Seen {
    /// Tried on a row: no earlier extraction had filled its field.
    tried: AtomicBool,
    matched: AtomicBool,
}

impl Seen {
    fn mark(flag: &AtomicBool) {
        if !flag.load(Ordering::Relaxed) {
            flag.store(true, Ordering::Relaxed);
        }
    }
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
    /// (canonical field, raw column, pattern), in the profile's order.
    pub(super) extracts: Vec<(usize, usize, Regex)>,
    /// Each extraction's quick reading, where its pattern is a plain split.
    splits: Vec<Option<Split>>,
    /// Each extraction's record over the rows: one tried and never
    /// matched leaves its field blank.
    seen: Vec<Seen>,
    pub(super) codes: Vec<Codes>,
    pub(super) rules: Vec<CompiledRule>,
    /// The raw columns read, in order ([`Mapping::used_columns`]).
    used: Vec<usize>,
    pub header: Vec<String>,
    /// The section compiled to one pass per record, for the readers.
    plan: Option<plan::Plan>,
}

impl Mapping {
    /// The extractions that were tried on rows and matched none: (the
    /// field they set, the raw column they read). A fallback never tried
    /// (an earlier extraction always filled its field) is not one.
    pub fn never_matched(&self) -> Vec<(&'static str, String)> {
        (self.extracts.iter().zip(&self.seen))
            .filter(|(_, s)| s.tried.load(Ordering::Relaxed) && !s.matched.load(Ordering::Relaxed))
            .map(|((f, c, _), _)| {
                (
                    self.names[*f],
                    self.header.get(*c).cloned().unwrap_or_default(),
                )
            })
            .collect()
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
    pub fn money_of(&self, mapped: &Mapped) -> Option<rust_decimal::Decimal> {
        let field = |name: &str| {
            let i = self.names.iter().position(|n| *n == name)?;
            mapped.money(i)
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
}

/// What mapping needs beside each record, kept by the caller from
/// record to record so that mapping one allocates nothing for its fields,
/// and the record it last mapped.
#[derive(Default)]
pub struct Scratch {
    /// The record last mapped. Its text holds, end to end, what the
    /// record needed made (ids, rules' values) while it was mapped.
    pub mapped: Mapped,
    /// Each extraction's `value` group, and where its groups matched.
    groups: Vec<(Option<usize>, regex::CaptureLocations)>,
    /// Where each rule's groups matched.
    rule_groups: Vec<regex::CaptureLocations>,
    /// Where each column a plan reads lies in the record, trimmed.
    spans: Vec<(usize, usize)>,
    /// The plan whose words `mapped`'s text opens with (0: none), and
    /// dates it has read, by their text (see [`plan::Plan::run`]).
    words_of: u64,
    dates: Vec<(u128, chrono::NaiveDate)>,
}

impl Scratch {
    /// Made ready for `m`'s patterns, the first time it meets them.
    fn prepare(&mut self, m: &Mapping) {
        if self.groups.len() != m.extracts.len() {
            self.groups = (m.extracts.iter())
                .map(|(_, _, re)| {
                    let value = re.capture_names().position(|n| n == Some("value"));
                    (value, re.capture_locations())
                })
                .collect();
        }
        if self.rule_groups.len() != m.rules.len() {
            self.rule_groups = m
                .rules
                .iter()
                .map(|r| r.pattern.capture_locations())
                .collect();
        }
    }
}
