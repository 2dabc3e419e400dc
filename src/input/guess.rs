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

/// How much of a file's start is looked at: the preamble, the header and
/// the rows whose values are sampled (the first 400 lines at most).
const HEAD_BYTES: usize = 1 << 20;
/// How much of its end: the trailer (the last 64 lines at most).
const TAIL_BYTES: usize = 64 << 10;
/// Lines of the head looked at.
const HEAD_LINES: usize = 400;
/// Lines of the tail looked at.
const TAIL_LINES: usize = 64;

/// What a draft is made from: a file's start and, where the file is longer
/// than both, its end, each cut at a line's end; and whether the whole file
/// is UTF-8. A year's export is gigabytes: it is looked at, not held.
pub struct Sample {
    head: Vec<u8>,
    tail: Option<Vec<u8>>,
    utf8: bool,
}

impl Sample {
    /// A sample of a file's whole contents.
    pub fn of(bytes: &[u8]) -> Sample {
        let utf8 = std::str::from_utf8(bytes).is_ok();
        if bytes.len() <= HEAD_BYTES + TAIL_BYTES {
            return Sample {
                head: bytes.to_vec(),
                tail: None,
                utf8,
            };
        }
        Sample {
            head: head_of(&bytes[..HEAD_BYTES]).to_vec(),
            tail: Some(tail_of(&bytes[bytes.len() - TAIL_BYTES..]).to_vec()),
            utf8,
        }
    }

    /// A sample of the file at `path`, read without holding it: its start,
    /// its end, and a pass over the rest to see that it is UTF-8.
    pub fn read(path: &std::path::Path) -> std::io::Result<Sample> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len <= (HEAD_BYTES + TAIL_BYTES) as u64 {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            return Ok(Sample::of(&bytes));
        }
        let mut head = vec![0; HEAD_BYTES];
        file.read_exact(&mut head)?;
        let mut tail = vec![0; TAIL_BYTES];
        file.seek(SeekFrom::Start(len - TAIL_BYTES as u64))?;
        file.read_exact(&mut tail)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(Sample {
            head: head_of(&head).to_vec(),
            tail: Some(tail_of(&tail).to_vec()),
            utf8: is_utf8(file)?,
        })
    }
}

/// `bytes` up to its last line's end (all of it if it has none).
fn head_of(bytes: &[u8]) -> &[u8] {
    memchr::memrchr(b'\n', bytes).map_or(bytes, |i| &bytes[..=i])
}

/// `bytes` from its first line's start after a line's end.
fn tail_of(bytes: &[u8]) -> &[u8] {
    memchr::memchr(b'\n', bytes).map_or(bytes, |i| &bytes[i + 1..])
}

/// Whether all that `reader` gives is UTF-8, read a megabyte at a time (a
/// character cut between two reads is carried to the next).
fn is_utf8(mut reader: impl std::io::Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let mut carried = 0;
    loop {
        let n = reader.read(&mut buf[carried..])?;
        if n == 0 {
            return Ok(carried == 0);
        }
        let filled = carried + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carried = 0,
            // Cut short at the end, not wrong: keep the start of the character.
            Err(e) if e.error_len().is_none() => {
                buf.copy_within(e.valid_up_to()..filled, 0);
                carried = filled - e.valid_up_to();
            }
            Err(_) => return Ok(false),
        }
    }
}

/// `bytes` as text: UTF-8 where the whole file is, else Windows-1252.
fn decoded(bytes: &[u8], utf8: bool) -> String {
    if utf8 {
        String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)).into_owned()
    } else {
        encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
    }
}

/// Guesses a profile for `bytes`, the contents of `name`. `kind` forces the
/// input the file is, where the header alone does not say.
pub fn draft(name: &str, bytes: &[u8], kind: Option<SourceFile>) -> Draft {
    draft_from(name, &Sample::of(bytes), kind)
}

/// Guesses a profile from a [`Sample`] of `name`.
pub fn draft_from(name: &str, sample: &Sample, kind: Option<SourceFile>) -> Draft {
    let mut notes = Vec::new();
    let encoding = if sample.utf8 { "utf-8" } else { "windows-1252" };
    let text = decoded(&sample.head, sample.utf8);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEAD_LINES)
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
    // The trailer is looked for at the file's end: the head's last rows,
    // where the head is the whole file, else the tail's.
    let tail_text = sample.tail.as_ref().map(|t| decoded(t, sample.utf8));
    let tail_rows: Vec<Vec<String>> = match &tail_text {
        Some(t) => {
            let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
            (lines[lines.len().saturating_sub(TAIL_LINES)..].iter())
                .map(|l| split(l, delimiter))
                .collect()
        }
        None => rows.clone(),
    };
    let tail_end = tail_rows
        .iter()
        .rposition(|r| r.len() == common)
        .map_or(0, |i| i + 1);
    let mut trailer = tail_rows.len() - tail_end;

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
            let undated = tail_rows[..tail_end]
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
        SourceFile::Schedules | SourceFile::Rents | SourceFile::Cases => &[],
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

    /// A bank export of `rows` lines after a preamble, with a closing line
    /// and a closing balance as its trailer; `middle` goes into the
    /// description of the row halfway.
    fn long_export(rows: usize, middle: &[u8]) -> Vec<u8> {
        let mut file = b"Westshire Bank plc\nStatement of account 1234\n".to_vec();
        file.extend_from_slice(b"Date,Description,Paid in,Paid out\n");
        for i in 0..rows {
            let description: &[u8] = if i == rows / 2 { middle } else { b"RENT" };
            file.extend_from_slice(format!("0{}/03/2026,", 1 + i % 9).as_bytes());
            file.extend_from_slice(description);
            file.extend_from_slice(format!(" RA{i},100.00,\n").as_bytes());
        }
        file.extend_from_slice(b",Closing balance,,\nEnd of statement\n");
        file
    }

    #[test]
    fn a_long_files_trailer_is_seen_at_its_end_and_its_encoding_throughout() {
        let rows = 60_000; // about 2 MB: longer than the head and tail together
        let file = long_export(rows, "CAF\u{e9}".as_bytes());
        assert!(file.len() > HEAD_BYTES + TAIL_BYTES);
        let d = draft("statement.csv", &file, None);
        assert_eq!(d.file, SourceFile::Bank, "{}", d.toml);
        assert!(d.toml.contains("skip_rows = 2  # GUESS"), "{}", d.toml);
        assert!(d.toml.contains("trailer_rows = 2  # GUESS"), "{}", d.toml);
        assert!(d.toml.contains("encoding = \"utf-8\""), "{}", d.toml);
        // A Windows-1252 byte far from either end still decides the encoding.
        let d = draft("statement.csv", &long_export(rows, b"CAF\xe9"), None);
        assert!(d.toml.contains("encoding = \"windows-1252\""), "{}", d.toml);
        assert!(d.toml.contains("trailer_rows = 2  # GUESS"), "{}", d.toml);

        // Read from a file as `profile init` reads it: the same draft.
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("statement.csv");
        std::fs::write(&path, &file).expect("write");
        let read = Sample::read(&path).expect("read");
        assert_eq!(
            draft_from("statement.csv", &read, None).toml,
            draft("statement.csv", &file, None).toml
        );
    }

    #[test]
    fn utf8_is_checked_across_reads() {
        /// Gives its bytes `n` at a time.
        struct Trickle<'a>(&'a [u8], usize);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(self.0.len()).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let text = "£412.50 café 😀".as_bytes();
        for n in 1..5 {
            assert!(is_utf8(Trickle(text, n)).expect("read"), "{n} at a time");
            assert!(!is_utf8(Trickle(b"caf\xe9 ok", n)).expect("read"));
            // A character cut off by the end of the file is not UTF-8.
            assert!(!is_utf8(Trickle(&text[..text.len() - 1], n)).expect("read"));
        }
    }

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
