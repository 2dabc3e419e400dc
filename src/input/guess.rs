//! `profile init`: a first draft of a profile from a look at one file:
//! encoding, delimiter, preamble and trailer, which input it is, which column
//! is which field, date format, amount style, code tables with guessed words.
//! Every guess is marked in the TOML so a person checks it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::mapping::{clean_money, Side, Split};
use crate::recon::model::{Benefit, Method, PostingKind, RentPeriod, SourceFile, TenancyType};

/// Column names that usually mean a contract field, per input.
const SYNONYMS: &[(SourceFile, &str, &[&str])] = &[
    (
        SourceFile::Accounts,
        "account_ref",
        &[
            "account_ref",
            "tenancy ref",
            "tenancy reference",
            "account",
            "account ref",
            "rent account",
            "tenancy",
        ],
    ),
    (
        SourceFile::Accounts,
        "tenant_name",
        &[
            "tenant_name",
            "tenant",
            "tenant name",
            "name",
            "lead tenant",
        ],
    ),
    (
        SourceFile::Accounts,
        "tenancy_type",
        &["tenancy_type", "tenure", "tenancy type"],
    ),
    (
        SourceFile::Accounts,
        "rent_period",
        &[
            "rent_period",
            "rent frequency",
            "frequency",
            "period",
            "rent period",
        ],
    ),
    (
        SourceFile::Accounts,
        "rent",
        &["rent", "gross rent", "rent amount", "weekly rent", "charge"],
    ),
    (
        SourceFile::Accounts,
        "opening_date",
        &[
            "opening_date",
            "start date",
            "tenancy start",
            "opening date",
            "start",
        ],
    ),
    (
        SourceFile::Accounts,
        "opening_balance",
        &[
            "opening_balance",
            "balance b/f",
            "opening balance",
            "brought forward",
            "b/f",
        ],
    ),
    (
        SourceFile::Accounts,
        "payment_refs",
        &[
            "payment_refs",
            "payment refs",
            "payment references",
            "card number",
            "dd mandate",
        ],
    ),
    (
        SourceFile::Accounts,
        "benefit",
        &["benefit", "benefit type", "hb/uc"],
    ),
    (
        SourceFile::Accounts,
        "vulnerable",
        &["vulnerable", "vulnerability"],
    ),
    (
        SourceFile::Accounts,
        "benefit_claim_pending",
        &[
            "benefit_claim_pending",
            "claim pending",
            "benefit claim pending",
        ],
    ),
    (
        SourceFile::Accounts,
        "open_dispute",
        &[
            "open_dispute",
            "complaint open",
            "dispute",
            "open complaint",
        ],
    ),
    (
        SourceFile::Ledger,
        "txn_id",
        &[
            "txn_id",
            "transaction id",
            "trans id",
            "txn id",
            "transaction ref",
        ],
    ),
    (
        SourceFile::Ledger,
        "account_ref",
        &[
            "account_ref",
            "tenancy ref",
            "account",
            "account ref",
            "tenancy",
            "rent account",
        ],
    ),
    (
        SourceFile::Ledger,
        "date",
        &[
            "date",
            "trans date",
            "transaction date",
            "posting date",
            "posted",
        ],
    ),
    (
        SourceFile::Ledger,
        "kind",
        &[
            "kind",
            "trans type",
            "transaction type",
            "type",
            "code",
            "trans code",
        ],
    ),
    (
        SourceFile::Ledger,
        "debit",
        &["debit", "dr", "debits", "charge amount"],
    ),
    (
        SourceFile::Ledger,
        "credit",
        &["credit", "cr", "credits", "payment amount"],
    ),
    (SourceFile::Ledger, "method", &["method", "payment method"]),
    (
        SourceFile::Ledger,
        "bank_ref",
        &["bank_ref", "bank ref", "bank reference", "statement ref"],
    ),
    (
        SourceFile::Ledger,
        "description",
        &["description", "narrative", "details", "memo", "text"],
    ),
    (
        SourceFile::Bank,
        "bank_id",
        &[
            "bank_id",
            "transaction id",
            "id",
            "line id",
            "reference number",
        ],
    ),
    (
        SourceFile::Bank,
        "date",
        &["date", "value date", "transaction date", "posting date"],
    ),
    (
        SourceFile::Bank,
        "amount",
        &["amount", "value", "amount (gbp)"],
    ),
    (
        SourceFile::Bank,
        "reference",
        &["reference", "ref", "payment reference"],
    ),
    (
        SourceFile::Bank,
        "payer",
        &["payer", "payer name", "counterparty", "remitter"],
    ),
    (
        SourceFile::Bank,
        "method",
        &["method", "type", "transaction type"],
    ),
    (
        SourceFile::Schedules,
        "batch_ref",
        &[
            "batch_ref",
            "schedule",
            "batch",
            "batch ref",
            "run",
            "schedule ref",
        ],
    ),
    (
        SourceFile::Schedules,
        "account_ref",
        &["account_ref", "tenancy", "tenancy ref", "account"],
    ),
    (
        SourceFile::Schedules,
        "claim_ref",
        &[
            "claim_ref",
            "claim no",
            "claim",
            "claim ref",
            "claim number",
        ],
    ),
    (
        SourceFile::Schedules,
        "amount",
        &["amount", "payment", "share"],
    ),
    (
        SourceFile::Schedules,
        "period_start",
        &["period_start", "from", "period from", "start"],
    ),
    (
        SourceFile::Schedules,
        "period_end",
        &["period_end", "to", "period to", "end"],
    ),
];

const PAID_IN: &[&str] = &["paid in", "money in", "credit", "credits", "receipts", "in"];
const PAID_OUT: &[&str] = &[
    "paid out",
    "money out",
    "debit",
    "debits",
    "payments",
    "out",
];
const NARRATIVE: &[&str] = &[
    "description",
    "narrative",
    "details",
    "memo",
    "transaction description",
];

/// Date formats tried, UK before US where both read a value.
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y", "%d %B %Y",
    "%m/%d/%Y",
];

/// A field set from a column of codes: its name, a guess at the contract word
/// for a code, and whether a value is already a contract word.
type CodeGuess = (
    &'static str,
    fn(&str) -> Option<&'static str>,
    fn(&str) -> bool,
);

/// A first look at a file's bytes.
pub struct Draft {
    pub toml: String,
    pub file: SourceFile,
}

fn split(line: &str, delimiter: char) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
        .unwrap_or_default()
}

/// Guesses a profile for `bytes`, the contents of `name`. `kind` forces the
/// input the file is, where the header alone does not say.
pub fn draft(name: &str, bytes: &[u8], kind: Option<SourceFile>) -> Draft {
    let mut notes = Vec::new();
    let (text, encoding) =
        match std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)) {
            Ok(t) => (t.to_string(), "utf-8"),
            Err(_) => (
                encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
                "windows-1252",
            ),
        };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(400)
        .collect();
    let delimiter = [',', ';', '\t', '|']
        .into_iter()
        .max_by_key(|d| {
            lines
                .iter()
                .take(50)
                .map(|l| l.matches(*d).count())
                .sum::<usize>()
        })
        .unwrap_or(',');
    let widths: Vec<usize> = lines.iter().map(|l| split(l, delimiter).len()).collect();
    let common = (1..=64)
        .max_by_key(|w| widths.iter().filter(|x| *x == w).count())
        .unwrap_or(1);
    // The header: the first line of the common width that is mostly words.
    let header_at = (0..lines.len())
        .find(|&i| {
            widths[i] == common
                && split(lines[i], delimiter)
                    .iter()
                    .filter(|f| {
                        !f.is_empty()
                            && clean_money(f)
                                .ok()
                                .and_then(|m| m.parse::<f64>().ok())
                                .is_none()
                    })
                    .count()
                    * 2
                    > common
        })
        .unwrap_or(0);
    let raw_header = split(lines.get(header_at).copied().unwrap_or(""), delimiter);
    let header: Vec<String> = raw_header.iter().map(|h| h.to_lowercase()).collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .skip(header_at + 1)
        .map(|l| split(l, delimiter))
        .collect();
    let body_end = rows
        .iter()
        .rposition(|r| r.len() == common)
        .map_or(0, |i| i + 1);
    let mut trailer = rows.len() - body_end;

    let score = |file: SourceFile| {
        SYNONYMS
            .iter()
            .filter(|(f, _, names)| {
                *f == file && header.iter().any(|h| names.contains(&h.as_str()))
            })
            .count()
    };
    let file = kind.unwrap_or_else(|| {
        let by_money = if header.iter().any(|h| PAID_IN.contains(&h.as_str())) {
            2
        } else {
            0
        };
        SourceFile::ALL
            .into_iter()
            .max_by_key(|f| score(*f) * 2 + usize::from(*f == SourceFile::Bank) * by_money)
            .unwrap_or(SourceFile::Bank)
    });
    let section = crate::input::profile::section_name(file);
    let mut columns: Vec<(&str, String)> = Vec::new();
    let mut taken = BTreeSet::new();
    for (f, field, names) in SYNONYMS.iter().filter(|(f, ..)| *f == file) {
        let _ = f;
        if let Some(i) = names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n && !taken.contains(h)))
        {
            taken.insert(header[i].clone());
            columns.push((field, raw_header[i].clone()));
        }
    }
    let column_of = |field: &str| {
        columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.clone())
    };
    let values = |column: &str| -> Vec<String> {
        match raw_header.iter().position(|h| h == column) {
            Some(i) => rows[..body_end]
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|v| !v.is_empty())
                .take(200)
                .cloned()
                .collect(),
            None => Vec::new(),
        }
    };

    // Dates: the first format that reads every sample of every date column.
    let date_fields: &[&str] = match file {
        SourceFile::Accounts => &["opening_date"],
        SourceFile::Schedules => &["period_start", "period_end"],
        _ => &["date"],
    };
    let samples: Vec<String> = date_fields
        .iter()
        .filter_map(|f| column_of(f))
        .flat_map(|c| values(&c))
        .collect();
    let date_format = DATE_FORMATS
        .iter()
        .find(|f| {
            !samples.is_empty()
                && samples
                    .iter()
                    .all(|v| NaiveDate::parse_from_str(v, f).is_ok())
        })
        .copied();
    if date_format.is_none() && !samples.is_empty() {
        notes.push(format!(
            "no date format read every date (e.g. {:?}): set date_formats by hand",
            samples[0]
        ));
    }
    // A trailer row often has the common width but no date: drop those too.
    if let (Some(fmt), Some(col)) = (date_format, date_fields.iter().find_map(|f| column_of(f))) {
        if let Some(i) = raw_header.iter().position(|h| *h == col) {
            let undated = rows[..body_end]
                .iter()
                .rev()
                .take_while(|r| {
                    let cell = r.get(i).map_or("", String::as_str);
                    let first = r.first().map_or("", String::as_str);
                    // A closing-balance line: no date and no leading id; or a
                    // date cell that is not a date at all.
                    (cell.is_empty() && first.is_empty())
                        || (!cell.is_empty() && NaiveDate::parse_from_str(cell, fmt).is_err())
                })
                .count();
            trailer += undated;
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Drafted by `rent-audit profile init {name}`. Check every line marked GUESS,"
    );
    let _ = writeln!(
        out,
        "# fill in any code table marked TODO, then try it: rent-audit validate DIR --profile THIS"
    );
    let _ = writeln!(out, "name = {:?}\n", format!("{name} export"));
    let _ = writeln!(out, "[{section}]");
    let _ = writeln!(out, "file = {name:?}");
    let _ = writeln!(
        out,
        "encoding = {encoding:?}  # GUESS: {}",
        if encoding == "utf-8" {
            "the bytes are valid UTF-8"
        } else {
            "not valid UTF-8"
        }
    );
    if delimiter != ',' {
        let _ = writeln!(out, "delimiter = {:?}  # GUESS", delimiter.to_string());
    }
    if header_at > 0 {
        let _ = writeln!(
            out,
            "skip_rows = {header_at}  # GUESS: the header looks like line {}",
            header_at + 1
        );
    }
    if trailer > 0 {
        let _ = writeln!(
            out,
            "trailer_rows = {trailer}  # GUESS: the last {trailer} row(s) are not data"
        );
    }
    if let Some(f) = date_format {
        let _ = writeln!(
            out,
            "date_formats = [{f:?}]  # GUESS: reads every sample, e.g. {:?}",
            samples[0]
        );
    }

    // Amounts.
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
            .map(|i| raw_header[i].clone())
    };
    let amount_section = match file {
        SourceFile::Bank if column_of("amount").is_none() => {
            match (find(PAID_IN), find(PAID_OUT)) {
                (Some(i), Some(o)) => Some(format!(
                    "paid_in = {i:?}  # GUESS\npaid_out = {o:?}  # GUESS"
                )),
                _ => None,
            }
        }
        _ => None,
    };

    let _ = writeln!(out, "\n[{section}.columns]");
    for (field, col) in &columns {
        if field != &col.to_lowercase().as_str() {
            let _ = writeln!(out, "{field} = {col:?}  # GUESS");
        }
    }
    // One narrative column holding payer and reference together.
    let narrative = if file == SourceFile::Bank && column_of("reference").is_none() {
        find(NARRATIVE)
    } else {
        None
    };
    if let Some(n) = &narrative {
        let samples = values(n);
        let sep = [" / ", " REF ", " - ", "  "].into_iter().find(|s| {
            samples.len() > 2
                && samples.iter().filter(|v| v.contains(s)).count() * 10 >= samples.len() * 8
        });
        match sep {
            Some(sep) => {
                let _ = writeln!(
                    out,
                    "\n# GUESS: {n:?} holds the payer, then {sep:?}, then the reference"
                );
                // Patterns the mapping reads as a split, without the regex engine.
                let payer = Split::pattern(Side::Before, sep);
                let reference = Split::pattern(Side::After, sep);
                let _ = writeln!(
                    out,
                    "[[{section}.extract]]\nfield = \"payer\"\ncolumn = {n:?}\npattern = '{payer}'"
                );
                let _ = writeln!(out, "\n[[{section}.extract]]\nfield = \"reference\"\ncolumn = {n:?}\npattern = '{reference}'");
            }
            None => {
                let _ = writeln!(
                    out,
                    "reference = {n:?}  # GUESS: the whole narrative is searched for a reference"
                );
                let _ = writeln!(out, "payer = {n:?}  # GUESS");
            }
        }
    }
    if let Some(a) = amount_section {
        let _ = writeln!(out, "\n[{section}.amount]\n{a}");
    }

    // Code tables: every code seen in a column of codes, with a guessed
    // contract word, unless the column already holds contract words.
    let tables: &[CodeGuess] = match file {
        SourceFile::Ledger => &[("kind", guess_kind, |w| PostingKind::from_word(w).is_some())],
        SourceFile::Bank => &[("method", guess_method, |w| Method::from_word(w).is_some())],
        SourceFile::Accounts => &[
            ("tenancy_type", guess_tenancy, |w| {
                TenancyType::from_word(w).is_some()
            }),
            ("rent_period", guess_period, |w| {
                RentPeriod::from_word(w).is_some()
            }),
            ("benefit", guess_benefit, |w| {
                Benefit::from_word(w).is_some()
            }),
        ],
        SourceFile::Schedules => &[],
    };
    for (field, guess, is_word) in tables {
        let Some(col) = column_of(field) else {
            continue;
        };
        let codes: BTreeSet<String> = values(&col).into_iter().collect();
        if codes.is_empty() || codes.len() > 40 || codes.iter().all(|c| is_word(&c.to_lowercase()))
        {
            continue;
        }
        let _ = writeln!(
            out,
            "\n[[{section}.codes]]  # the codes in {col:?}, each mapped to a contract word"
        );
        let _ = writeln!(out, "column = {col:?}\nset = {field:?}");
        if *field == "benefit" {
            let _ = writeln!(
                out,
                "default = \"none\"  # GUESS: a blank or other code means no benefit paid direct"
            );
        }
        let _ = writeln!(out, "[{section}.codes.map]");
        for code in &codes {
            match guess(code) {
                Some(word) => {
                    let _ = writeln!(out, "{code:?} = {word:?}  # GUESS");
                }
                None => {
                    let _ = writeln!(out, "{code:?} = \"\"  # TODO: which {field} is this?");
                }
            }
        }
    }
    if file == SourceFile::Ledger && column_of("txn_id").is_none() {
        let _ = writeln!(
            out,
            "\n# No transaction id column: ids will be made from the file and line."
        );
    }
    if file == SourceFile::Bank && column_of("bank_id").is_none() {
        let _ = writeln!(
            out,
            "\n# No line id column: ids will be made from the file and line."
        );
    }
    for n in notes {
        let _ = writeln!(out, "# NOTE: {n}");
    }
    Draft { toml: out, file }
}

fn guess_kind(code: &str) -> Option<&'static str> {
    let c = code.to_uppercase();
    let has = |s: &str| c.contains(s);
    Some(if has("RENT") || has("RNT") || has("CHG") || c == "CH" {
        "charge"
    } else if has("HB") || has("UC") || has("BEN") {
        "benefit"
    } else if has("REF") || has("RFD") {
        "refund"
    } else if has("ADJ") {
        "adjustment"
    } else if has("REV") || has("DDR") || has("RTN") || has("RET") {
        "reversal"
    } else if has("W/O") || has("WO") || has("WRITE") {
        "writeoff"
    } else if has("PAY") || c.starts_with('P') || has("RCPT") || has("CASH") {
        "payment"
    } else {
        return None;
    })
}

fn guess_method(code: &str) -> Option<&'static str> {
    let c = code.to_uppercase();
    Some(match c.as_str() {
        "DD" | "DDI" | "DIRECT DEBIT" => "dd",
        "SO" | "STO" | "STANDING ORDER" => "standing_order",
        "BGC" | "CR" | "FPI" | "TFR" | "BACS" | "BP" | "FPO" => "bank_transfer",
        "CRD" | "CARD" | "DEB" => "card",
        "CSH" | "CASH" => "cash",
        "CHQ" | "CHEQUE" => "cheque",
        "DDR" | "UNPAID" | "RETURN" => "dd_return",
        _ => return None,
    })
}

fn guess_tenancy(code: &str) -> Option<&'static str> {
    Some(match code.to_uppercase().as_str() {
        "AT" | "ASSURED" | "A" => "assured",
        "AST" | "ASSURED SHORTHOLD" => "assured_shorthold",
        "SEC" | "SECURE" | "S" => "secure",
        "INT" | "INTRO" | "INTRODUCTORY" => "introductory",
        "STA" | "STARTER" | "ST" => "starter",
        "LIC" | "LICENCE" | "LICENSE" => "licence",
        _ => return None,
    })
}

fn guess_period(code: &str) -> Option<&'static str> {
    Some(match code.to_uppercase().as_str() {
        "W" | "WK" | "WEEKLY" | "1W" => "weekly",
        "F" | "2W" | "FN" | "FORTNIGHTLY" => "fortnightly",
        "4W" | "FW" | "4 WEEKLY" | "FOUR WEEKLY" => "four_weekly",
        "M" | "CM" | "MONTHLY" | "PCM" => "monthly",
        _ => return None,
    })
}

fn guess_benefit(code: &str) -> Option<&'static str> {
    Some(match code.to_uppercase().as_str() {
        "HB" | "HOUSING BENEFIT" => "hb",
        "UC" | "UNIVERSAL CREDIT" | "APA" | "MPTL" => "uc",
        "N" | "NONE" | "NO" => "none",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_left_for_a_person_and_semicolons_are_seen() {
        let file = "Account;Date;Type;Debit;Credit\nA1;02/03/2026;RNT;100.00;\nA1;03/03/2026;ZZZ;;100.00\n";
        let d = draft("export.csv", file.as_bytes(), None);
        assert_eq!(d.file, SourceFile::Ledger);
        assert!(d.toml.contains("delimiter = \";\"  # GUESS"), "{}", d.toml);
        assert!(d.toml.contains("\"RNT\" = \"charge\"  # GUESS"));
        assert!(d
            .toml
            .contains("\"ZZZ\" = \"\"  # TODO: which kind is this?"));
        assert!(d.toml.contains("date_formats = [\"%d/%m/%Y\"]"));
    }
}
