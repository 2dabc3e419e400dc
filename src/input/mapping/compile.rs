//! A profile section compiled against one file's header: every source
//! column found, every field it sets known, or every reason it cannot be.

use chrono::format::{Item, StrftimeItems};
use regex::Regex;

use super::error::{Key, MappingError};
use super::split::Split;
use super::template::Template;
use super::{AmountRole, Codes, CompiledRule, DateShape, Mapping, Seen, Source};
use crate::input::profile::{FileProfile, Rule};
use crate::input::table::Column;

fn find(header: &[String], name: &str) -> Option<usize> {
    let want = name.trim().to_lowercase();
    header.iter().position(|h| *h == want)
}

/// What compiling has found so far: columns the header lacks are reported
/// before fields the file lacks, each in the profile's order.
struct Compiler<'h> {
    header: &'h [String],
    columns: &'static [Column],
    missing: Vec<MappingError>,
    unknown: Vec<MappingError>,
}

impl Compiler<'_> {
    /// The raw position of source column `name`.
    fn col(&mut self, name: &str) -> Option<usize> {
        let found = find(self.header, name);
        if found.is_none() {
            self.missing.push(MappingError::MissingColumn {
                column: name.to_string(),
            });
        }
        found
    }

    /// The canonical position of `field`, which `key` sets.
    fn field(&mut self, key: Key, field: &str) -> Option<usize> {
        let found = self.columns.iter().position(|c| c.name == field);
        if found.is_none() {
            self.unknown.push(MappingError::UnknownField {
                key,
                field: field.to_string(),
            });
        }
        found
    }

    /// Where each canonical field comes from before extractions, codes and
    /// rules: its `[columns]` entry, the amount style, a line id, or a
    /// column of its own name.
    fn sources(&mut self, fp: &FileProfile) -> Vec<Source> {
        for field in fp.columns.keys() {
            if !self.columns.iter().any(|c| c.name == field) {
                self.unknown.push(MappingError::UnknownField {
                    key: Key::Columns,
                    field: field.clone(),
                });
            }
        }
        let has_amount = fp.amount.is_some();
        let mut sources = Vec::with_capacity(self.columns.len());
        for c in self.columns {
            let source = match (fp.columns.get(c.name), c.name, has_amount) {
                (Some(src), _, _) => self.col(src).map_or(Source::Nothing, Source::Column),
                (None, "amount", true) => Source::Amount(AmountRole::Signed),
                (None, "debit", true) => Source::Amount(AmountRole::Debit),
                (None, "credit", true) => Source::Amount(AmountRole::Credit),
                (None, "txn_id" | "bank_id", _) => Source::LineId,
                // Unmapped: the contract's own name, if the file has it.
                (None, name, _) => find(self.header, name).map_or(Source::Nothing, Source::Column),
            };
            sources.push(source);
        }
        sources
    }

    fn extracts(&mut self, fp: &FileProfile) -> Vec<(usize, usize, Regex)> {
        let mut extracts = Vec::new();
        for e in &fp.extract {
            let field = self.field(Key::Extract, &e.field);
            if let (Some(f), Some(c), Ok(re)) = (field, self.col(&e.column), Regex::new(&e.pattern))
            {
                extracts.push((f, c, re));
            }
        }
        extracts
    }

    fn codes(&mut self, fp: &FileProfile) -> Vec<Codes> {
        let mut codes = Vec::new();
        for t in &fp.codes {
            let field = self.field(Key::Codes, &t.set);
            if let (Some(field), Some(column)) = (field, self.col(&t.column)) {
                let map = (t.map.iter())
                    .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
                    .collect();
                codes.push(Codes {
                    field,
                    column,
                    map,
                    default: t.default.clone(),
                });
            }
        }
        codes
    }

    fn rules(&mut self, fp: &FileProfile) -> Vec<CompiledRule> {
        let mut rules = Vec::new();
        for r in &fp.rules {
            let sets: Vec<(usize, String)> = (r.set.iter())
                .filter_map(|(k, v)| Some((self.field(Key::Rules, k)?, v.clone())))
                .collect();
            if let (Some(c), Ok(re)) = (self.col(&r.column), Regex::new(&r.pattern)) {
                let made = self.templates(r, &re);
                rules.push(CompiledRule {
                    column: c,
                    pattern: re,
                    sets,
                    made,
                });
            }
        }
        rules
    }

    /// Each of `r`'s values that uses its pattern's groups, compiled, in
    /// the order of its fields known to this file.
    fn templates(&mut self, r: &Rule, re: &Regex) -> Vec<Option<Template>> {
        let columns = self.columns;
        let known = |k: &&String| columns.iter().any(|c| c.name == k.as_str());
        let mut made = Vec::new();
        for (k, v) in r.set.iter().filter(|(k, _)| known(k)) {
            match Template::compile(v, re) {
                Ok(t) => made.push(t),
                Err(missing) => {
                    self.unknown.push(MappingError::MissingGroup {
                        field: k.clone(),
                        group: missing.into_group(),
                    });
                    made.push(None);
                }
            }
        }
        made
    }
}

impl Mapping {
    /// Compiles `fp` for a file whose header is `header` (trimmed,
    /// lower-cased). Fails with every profile column the header lacks and
    /// every field the file lacks.
    pub fn new(
        file: &str,
        fp: &FileProfile,
        columns: &'static [Column],
        header: Vec<String>,
    ) -> Result<Mapping, Vec<MappingError>> {
        let mut c = Compiler {
            header: &header,
            columns,
            missing: Vec::new(),
            unknown: Vec::new(),
        };
        // Columns are looked up in this order, which errors follow.
        let amount = fp.amount.clone().unwrap_or_default();
        let signed = amount.signed.as_deref().and_then(|n| c.col(n));
        let money_in = (amount.paid_in.as_deref())
            .or(amount.debit.as_deref())
            .and_then(|n| c.col(n));
        let money_out = (amount.paid_out.as_deref())
            .or(amount.credit.as_deref())
            .and_then(|n| c.col(n));
        let sources = c.sources(fp);
        let extracts = c.extracts(fp);
        let codes = c.codes(fp);
        let rules = c.rules(fp);
        let mut problems = c.missing;
        problems.extend(c.unknown);
        if !problems.is_empty() {
            return Err(problems);
        }
        let date_items: Vec<Vec<Item<'static>>> = (fp.date_formats.iter())
            .filter_map(|f| StrftimeItems::new(f).parse_to_owned().ok())
            .collect();
        let mut m = Mapping {
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
            splits: (extracts.iter())
                .map(|(_, _, re)| Split::of(re.as_str()))
                .collect(),
            seen: extracts.iter().map(|_| Seen::default()).collect(),
            extracts,
            codes,
            rules,
            used: Vec::new(),
            header,
            plan: None,
        };
        m.used = m.used_columns();
        m.plan = super::plan::Plan::of(&m);
        Ok(m)
    }
}
