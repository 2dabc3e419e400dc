//! The code tables of a draft, per input. A ledger code nobody can guess is
//! read as an `adjustment` (and, on a debit, as `sundry` debt): the balance
//! stays as posted, no bank receipt is claimed, and nothing counts as rent
//! arrears that might not be. A statement's unknown type is method `other`.

use super::codes::{self, described, write_table, CodeCounts, CodeStat, Entry};
use super::header::Layout;
use super::scan::Scan;
use super::Plan;
use crate::recon::model::SourceFile;
use std::fmt::Write as _;

/// Writes every code table the draft needs.
pub(super) fn write(
    out: &mut String,
    section: &str,
    plan: &Plan,
    layout: &Layout,
    scan: &Scan,
    warnings: &mut Vec<String>,
) {
    for field in plan.code_fields() {
        let Some(column) = plan.column(field) else {
            continue;
        };
        let Some(counts) =
            (layout.raw_header.iter().position(|h| h == column)).and_then(|i| scan.codes.get(&i))
        else {
            continue;
        };
        if counts.codes.is_empty() || counts.all_words(field) || not_codes(counts, column).is_some()
        {
            continue;
        }
        let at = (section, column);
        match plan.file {
            SourceFile::Ledger => ledger(out, at, counts, warnings),
            SourceFile::Bank => bank(out, at, counts, warnings),
            _ => accounts(out, at, field, counts, warnings),
        }
    }
}

/// The code fields whose column holds no codes (free text, or nothing),
/// with what the draft says about each and whether a person should look
/// at it (free text): such a column is not mapped.
pub(super) fn not_code_columns(
    section: &str,
    plan: &Plan,
    layout: &Layout,
    scan: &Scan,
) -> Vec<(String, String, bool)> {
    (plan.code_fields().iter())
        .filter_map(|field| {
            let column = plan.column(field)?;
            let i = layout.raw_header.iter().position(|h| h == column)?;
            let (why, free_text) = not_codes(scan.codes.get(&i)?, column)?;
            let mut note = format!("{why}: not mapped to `{field}`");
            if free_text {
                let _ = write!(
                    note,
                    "; set `{field}` from it with [[{section}.rules]] patterns"
                );
                if plan.file == SourceFile::Bank {
                    note.push_str(", and take the payer from it with an [[bank.extract]]");
                }
            }
            Some((column.to_string(), note, free_text))
        })
        .collect()
}

/// Why `counts` make no code table, where they do not, and whether it is
/// because they are free text.
fn not_codes(counts: &CodeCounts, column: &str) -> Option<(String, bool)> {
    if counts.too_many {
        let why = format!(
            "{column:?} holds more than {} different values: names or references, not codes, \
             so no code table",
            super::codes::MAX_CODES
        );
        return Some((why, true));
    }
    if counts.all_blank() {
        return Some((format!("{column:?} is blank on every row"), false));
    }
    if !counts.is_free_text() {
        return None;
    }
    let rows: u64 = counts.codes.values().map(|s| s.rows).sum();
    let example = counts.codes.values().find(|s| s.spelling.contains(' '));
    let why = format!(
        "{column:?} is free text, not codes ({} different values in {rows} rows, e.g. {:?}), \
         so no code table (it would list each name in it as a code)",
        counts.codes.len(),
        example.map_or("", |s| s.spelling.as_str())
    );
    Some((why, true))
}

fn guessed(stat: &CodeStat) -> String {
    format!("GUESS: {}", described(stat))
}

/// A warning for the codes nobody could guess.
fn unknown_warning(column: &str, unknown: &[&CodeStat], read_as: &str) -> Option<String> {
    if unknown.is_empty() {
        return None;
    }
    let rows: u64 = unknown.iter().map(|s| s.rows).sum();
    let names: Vec<&str> = unknown.iter().map(|s| s.spelling.as_str()).collect();
    Some(format!(
        "{} code(s) in {column:?} could not be guessed ({}; {rows} rows): {read_as}",
        unknown.len(),
        names.join(", ")
    ))
}

/// A ledger's transaction codes: the kind each is, the method and the
/// charge type each implies.
fn ledger(
    out: &mut String,
    (section, column): (&str, &str),
    counts: &CodeCounts,
    warnings: &mut Vec<String>,
) {
    let mut kinds = Vec::new();
    let mut methods = Vec::new();
    let mut charge_types = Vec::new();
    let mut unknown = Vec::new();
    for stat in counts.codes.values() {
        let (kind, comment) = match codes::ledger_kind(stat) {
            Some(k) => (k, guessed(stat)),
            None => {
                unknown.push(stat);
                let read =
                    "read as an adjustment, which keeps the balance as posted and claims no \
                            bank receipt, until you say what it is";
                (
                    "adjustment",
                    format!("UNKNOWN: {}: {read}", described(stat)),
                )
            }
        };
        kinds.push((stat, entry(kind, comment)));
        if let Some(m) = codes::ledger_method(&stat.spelling, kind) {
            methods.push((stat, entry(m, "GUESS".into())));
        }
        let sundry = match codes::ledger_kind(stat) {
            Some("charge") => codes::charge_type(&stat.spelling).map(|t| (t, "GUESS".to_string())),
            None if stat.debits > 0 => Some((
                "sundry",
                "UNKNOWN: a debit nobody could name is not counted as rent arrears".into(),
            )),
            _ => None,
        };
        if let Some((t, comment)) = sundry {
            charge_types.push((stat, entry(t, comment)));
        }
    }
    let heading = format!("the codes in {column:?} on every row, each mapped to a kind");
    write_table(out, section, (column, "kind"), &heading, None, &kinds);
    if !methods.is_empty() {
        let heading = "the same codes: the payment method each implies (none where not listed)";
        write_table(
            out,
            section,
            (column, "method"),
            heading,
            Some(""),
            &methods,
        );
    }
    if !charge_types.is_empty() {
        let heading =
            "the same codes: debits that are not rent (only rent counts toward the trigger)";
        write_table(
            out,
            section,
            (column, "charge_type"),
            heading,
            Some("rent"),
            &charge_types,
        );
    }
    let read_as =
        "read as adjustments (balance kept as posted, no receipt claimed, debits not rent)";
    warnings.extend(unknown_warning(column, &unknown, read_as));
}

/// A statement's transaction types as methods.
fn bank(
    out: &mut String,
    (section, column): (&str, &str),
    counts: &CodeCounts,
    warnings: &mut Vec<String>,
) {
    let mut unknown = Vec::new();
    let entries: Vec<_> = (counts.codes.values())
        .map(|stat| match codes::bank_method(&stat.spelling) {
            Some(m) => (stat, entry(m, guessed(stat))),
            None => {
                unknown.push(stat);
                let read =
                    "read as method `other` (no return, no benefit) until you say what it is";
                (
                    stat,
                    entry("other", format!("UNKNOWN: {}: {read}", described(stat))),
                )
            }
        })
        .collect();
    let heading = format!("the types in {column:?} on every row, each mapped to a method");
    write_table(out, section, (column, "method"), &heading, None, &entries);
    warnings.extend(unknown_warning(column, &unknown, "read as method `other`"));
}

/// An accounts file's codes. One nobody can guess is left blank: a wrong
/// tenancy type or rent period would make a wrong assessment, so the reader
/// stops at its rows until a person says.
fn accounts(
    out: &mut String,
    (section, column): (&str, &str),
    field: &str,
    counts: &CodeCounts,
    warnings: &mut Vec<String>,
) {
    let guess = match field {
        "tenancy_type" => codes::tenancy,
        "rent_period" => codes::period,
        _ => codes::benefit,
    };
    let mut unknown = Vec::new();
    let entries: Vec<_> = (counts.codes.values())
        .filter(|stat| !(field == "benefit" && stat.spelling.is_empty()))
        .map(|stat| match guess(&stat.spelling) {
            Some(w) => (stat, entry(w, guessed(stat))),
            None => {
                unknown.push(stat);
                let comment = format!(
                    "UNKNOWN: {}: which {field}? Left blank until you say (a required field stops the reader)",
                    described(stat)
                );
                (stat, entry("", comment))
            }
        })
        .collect();
    let heading = format!("the codes in {column:?}, each mapped to a {field}");
    // A blank benefit is no benefit paid direct.
    let default = (field == "benefit").then_some("none");
    write_table(out, section, (column, field), &heading, default, &entries);
    warnings.extend(unknown_warning(
        column,
        &unknown,
        "left blank: say what each is",
    ));
}

fn entry(word: &str, comment: String) -> Entry {
    Entry {
        word: word.to_string(),
        comment,
    }
}
