//! The draft written out as TOML, each guess marked `# GUESS` with what it
//! rests on, each code nobody could guess `# UNKNOWN`.

use std::fmt::Write as _;

use crate::input::mapping::{Side, Split};
use crate::recon::model::SourceFile;

use super::header::Layout;
use super::scan::{Scan, SEPARATORS};
use super::{tables, Draft, Plan};

/// The whole draft.
pub(super) fn draft(
    name: &str,
    layout: &Layout,
    plan: &Plan,
    scan: &Scan,
    utf16: Option<&'static encoding_rs::Encoding>,
) -> Draft {
    let section = crate::input::profile::section_name(plan.file);
    let mut out = String::new();
    let mut warnings = Vec::new();
    let _ = writeln!(
        out,
        "# Drafted by `rent-audit profile init {name}` from all {} rows. Check every line",
        scan.rows
    );
    let _ = writeln!(
        out,
        "# marked GUESS and every code marked UNKNOWN, then try it: rent-audit validate DIR --profile THIS"
    );
    let _ = writeln!(out, "name = {:?}\n", format!("{name} export"));
    let _ = writeln!(out, "[{section}]");
    let _ = writeln!(out, "file = {name:?}");
    layout_lines(&mut out, layout, scan, utf16);
    dates(&mut out, plan, layout, scan, &mut warnings);
    let not_codes = tables::not_code_columns(section, plan, layout, scan);
    columns(&mut out, section, plan, &not_codes);
    narrative(&mut out, section, plan, scan);
    for (_, note, look) in &not_codes {
        let _ = writeln!(out, "# NOTE: {note}");
        if *look {
            warnings.push(note.clone());
        }
    }
    if let Some((paid_in, paid_out)) = &plan.paid {
        let _ = writeln!(
            out,
            "\n[{section}.amount]\npaid_in = {paid_in:?}  # GUESS\npaid_out = {paid_out:?}  # GUESS"
        );
    }
    bulk_rules(&mut out, section, plan, scan);
    tables::write(&mut out, section, plan, layout, scan, &mut warnings);
    notes(&mut out, plan, layout, scan, &mut warnings);
    Draft {
        toml: out,
        file: plan.file,
        warnings,
    }
}

/// Encoding, delimiter, preamble and trailer.
fn layout_lines(
    out: &mut String,
    layout: &Layout,
    scan: &Scan,
    utf16: Option<&'static encoding_rs::Encoding>,
) {
    let (encoding, why) = if scan.utf8 {
        ("utf-8", "the bytes are valid UTF-8")
    } else {
        ("windows-1252", "not valid UTF-8")
    };
    match utf16 {
        // The mark decides how the file is read, whatever `encoding` says.
        Some(e) => {
            let _ = writeln!(
                out,
                "# NOTE: {} by its byte-order mark, read as such",
                e.name()
            );
        }
        None => {
            let _ = writeln!(out, "encoding = {encoding:?}  # GUESS: {why}");
        }
    }
    if layout.delimiter != ',' {
        let _ = writeln!(
            out,
            "delimiter = {:?}  # GUESS",
            layout.delimiter.to_string()
        );
    }
    if layout.skip > 0 {
        let _ = writeln!(
            out,
            "skip_rows = {}  # GUESS: line {} is the header: its fields are names, not values",
            layout.skip,
            layout.skip + 1
        );
    }
    if scan.trailer > 0 {
        let _ = writeln!(
            out,
            "trailer_rows = {}  # GUESS: the last {} row(s) are totals or a closing line, not data",
            scan.trailer, scan.trailer
        );
    }
}

/// The date formats that read every date of every date column.
fn dates(out: &mut String, plan: &Plan, layout: &Layout, scan: &Scan, warnings: &mut Vec<String>) {
    let mut formats: Vec<&str> = Vec::new();
    let mut example = None;
    let mut notes = Vec::new();
    for field in plan.date_fields().0 {
        let Some(column) = plan.column(field) else {
            continue;
        };
        let Some(i) = layout.raw_header.iter().position(|h| h == column) else {
            continue;
        };
        let Some(judge) = scan.dates.get(&i) else {
            continue;
        };
        if let Some(f) = judge.chosen() {
            if !formats.contains(&f) {
                formats.push(f);
            }
            example = example.or(judge.first.clone().map(|e| (e, judge.seen)));
        }
        notes.extend(judge.note(column));
    }
    if let Some((e, seen)) = example {
        let _ = writeln!(
            out,
            "date_formats = {formats:?}  # GUESS: reads all {seen} dates, e.g. {e:?}"
        );
    }
    for note in notes {
        let _ = writeln!(out, "# NOTE: {note}");
        warnings.push(note);
    }
}

/// Columns whose names differ from the contract's; a code field's column
/// that holds no codes is left out.
fn columns(out: &mut String, section: &str, plan: &Plan, not_codes: &[(String, String, bool)]) {
    let _ = writeln!(out, "\n[{section}.columns]");
    for (field, column) in &plan.columns {
        let no_codes =
            plan.code_fields().contains(field) && not_codes.iter().any(|(c, ..)| c == column);
        if no_codes {
            continue;
        }
        if *field != column.to_lowercase() {
            let _ = writeln!(out, "{field} = {column:?}  # GUESS");
        }
    }
}

/// A statement's narrative holding payer and reference together: split at
/// the separator (nearly) every value has, or searched whole.
fn narrative(out: &mut String, section: &str, plan: &Plan, scan: &Scan) {
    let Some(n) = &plan.narrative else {
        return;
    };
    let seen = scan.narrative_seen;
    let sep = SEPARATORS
        .iter()
        .find(|s| seen > 2 && scan.separators.get(*s).copied().unwrap_or(0) * 10 >= seen * 8);
    let Some(sep) = sep else {
        let _ = writeln!(
            out,
            "reference = {n:?}  # GUESS: the whole narrative is searched for a reference"
        );
        let _ = writeln!(out, "payer = {n:?}  # GUESS");
        return;
    };
    let count = scan.separators.get(sep).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "\n# GUESS: {n:?} holds the payer, then {sep:?}, then the reference ({count} of {seen} rows)"
    );
    // Patterns the mapping reads as a split, without the regex engine.
    for (field, side) in [("payer", Side::Before), ("reference", Side::After)] {
        let pattern = Split::pattern(side, sep);
        let _ = writeln!(
            out,
            "[[{section}.extract]]\nfield = \"{field}\"\ncolumn = {n:?}\npattern = '{pattern}'\n"
        );
    }
}

/// Bulk benefit credits named in a statement's narrative.
fn bulk_rules(out: &mut String, section: &str, plan: &Plan, scan: &Scan) {
    let Some(n) = plan.narrative.as_deref().or(plan.column("reference")) else {
        return;
    };
    if plan.file != SourceFile::Bank {
        return;
    }
    for (rows, pattern, method) in [
        (scan.hb_named, "(?i)council hb|housing benefit", "hb"),
        (scan.uc_named, "(?i)^dwp uc|universal credit", "uc"),
    ] {
        if rows > 0 {
            let _ = writeln!(
                out,
                "\n# GUESS: {rows} rows name bulk {} credits\n[[{section}.rules]]\ncolumn = {n:?}\npattern = '{pattern}'\nset = {{ method = {method:?} }}",
                method.to_uppercase()
            );
        }
    }
}

/// What the reader would stop at, and what is not there.
fn notes(out: &mut String, plan: &Plan, layout: &Layout, scan: &Scan, warnings: &mut Vec<String>) {
    let mut notes: Vec<String> = Vec::new();
    if let Some(line) = scan.first_odd {
        notes.push(format!(
            "{} rows (the first on line {line}) have another number of fields than the header's {}",
            scan.odd, layout.width
        ));
    }
    let mut money: Vec<_> = scan.money.iter().filter(|(_, m)| m.bad > 0).collect();
    money.sort_by_key(|(c, _)| **c);
    for (c, m) in money {
        if let Some((line, value)) = &m.first_bad {
            notes.push(format!(
                "{} values in {:?} are not money (line {line}: {value:?})",
                m.bad, layout.raw_header[*c]
            ));
        }
    }
    warnings.extend(notes.iter().cloned());
    if plan.file == SourceFile::Ledger && plan.column("txn_id").is_none() {
        notes.push("no transaction id column: ids will be made from the file and line".into());
    }
    if plan.file == SourceFile::Bank && plan.column("bank_id").is_none() {
        notes.push("no line id column: ids will be made from the file and line".into());
    }
    for n in notes {
        let _ = writeln!(out, "# NOTE: {n}");
    }
}
