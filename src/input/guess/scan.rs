//! One pass over every row of a file: dates, money and codes judged from
//! all of them, the trailer found at the file's end, and whether the whole
//! file is UTF-8. The last rows are held back until the end, so that a
//! trailer is never judged as data.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

use csv::ByteRecord;
use rustc_hash::FxHashMap;

use super::codes::CodeCounts;
use super::header::Layout;
use super::sample::{decoded, Utf8Watch};
use super::values::{is_date, money, DateJudge, MoneyCheck};

/// Rows held back at the end, where a trailer is looked for.
const TAIL_ROWS: usize = 64;

/// Which way a row's money goes, for the codes it carries.
#[derive(Clone, Copy, Debug)]
pub(super) enum Flow {
    /// Debit and credit columns (a ledger; a bank's money out and in).
    Columns { debit: usize, credit: usize },
    /// One signed column, positive a debit (a ledger's) or not (a bank's
    /// receipts).
    Signed {
        column: usize,
        positive_is_debit: bool,
    },
}

/// The columns whose values are judged.
#[derive(Debug, Default)]
pub(super) struct Wanted {
    pub dates: Vec<usize>,
    /// The date every data row has (a trailer's is blank or not a date).
    pub required_date: Option<usize>,
    pub money: Vec<usize>,
    pub codes: Vec<usize>,
    pub narrative: Option<usize>,
    pub flow: Option<Flow>,
}

/// What the pass found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub rows: u64,
    /// Rows of another width than the header's, not at the end, and the first.
    pub odd: u64,
    pub first_odd: Option<u64>,
    pub dates: FxHashMap<usize, DateJudge>,
    pub money: FxHashMap<usize, MoneyCheck>,
    pub codes: FxHashMap<usize, CodeCounts>,
    /// Narrative values containing each candidate separator, of those seen.
    pub narrative_seen: u64,
    pub separators: FxHashMap<&'static str, u64>,
    /// Narratives naming bulk Housing Benefit and Universal Credit credits.
    pub hb_named: u64,
    pub uc_named: u64,
    pub trailer: usize,
    pub utf8: bool,
}

/// Separators a narrative may put between payer and reference.
pub(super) const SEPARATORS: &[&str] = &[" / ", " REF ", " - ", "  "];

/// Reads every row of `reader` after the header that `layout` found.
pub(super) fn scan(reader: impl Read, layout: &Layout, wanted: &Wanted) -> io::Result<Scan> {
    let mut lines = BufReader::new(Utf8Watch::new(reader));
    let mut skipped = Vec::new();
    for _ in 0..=layout.skip {
        skipped.clear();
        if lines.read_until(b'\n', &mut skipped)? == 0 {
            break;
        }
    }
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(layout.delimiter as u8)
        // With CRLF ends the default terminator gives each record the
        // previous line; a line feed alone, with the carriage return trimmed
        // from the last field, gives its own.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(lines);
    let first_line = layout.skip as u64 + 1;
    let mut scan = Scan::default();
    for c in &wanted.dates {
        scan.dates.insert(*c, DateJudge::default());
    }
    let mut held: VecDeque<ByteRecord> = VecDeque::with_capacity(TAIL_ROWS + 1);
    loop {
        // The oldest row held is data, whatever the end holds: judge it, and
        // read the next row into its record.
        let mut record = match held.len() {
            TAIL_ROWS => match held.pop_front() {
                Some(old) => {
                    scan.feed(&old, first_line, layout.width, wanted);
                    old
                }
                None => ByteRecord::new(),
            },
            _ => ByteRecord::new(),
        };
        match csv.read_byte_record(&mut record) {
            // A blank line is no row, and no trailer row, to the reader.
            Ok(true) if is_blank(&record) => {}
            Ok(true) => held.push_back(record),
            Ok(false) => break,
            Err(e) if e.is_io_error() => return Err(io::Error::other(e)),
            // Not CSV past here (a quote left open): judge what was read.
            Err(_) => break,
        }
    }
    scan.trailer = scan.trailer_of(&held, layout.width, wanted);
    for record in held.iter().take(held.len() - scan.trailer) {
        scan.feed(record, first_line, layout.width, wanted);
    }
    scan.utf8 = csv.into_inner().into_inner().all_utf8();
    Ok(scan)
}

fn is_blank(record: &ByteRecord) -> bool {
    record.iter().all(|f| f.trim_ascii().is_empty()) && record.len() <= 1
}

/// A cell as text, trimmed.
fn cell(record: &ByteRecord, i: usize) -> String {
    record
        .get(i)
        .map_or_else(String::new, |b| decoded(b).trim().to_string())
}

impl Scan {
    /// Counts one data row.
    fn feed(&mut self, record: &ByteRecord, first_line: u64, width: usize, wanted: &Wanted) {
        let line = first_line + record.position().map_or(0, |p| p.line());
        if record.len() != width {
            self.odd += 1;
            self.first_odd.get_or_insert(line);
            return;
        }
        self.rows += 1;
        for (c, judge) in &mut self.dates {
            judge.see(&cell(record, *c), line);
        }
        for c in &wanted.money {
            self.money
                .entry(*c)
                .or_default()
                .see(&cell(record, *c), line);
        }
        let flow = flow_of(record, wanted.flow);
        let example = wanted.narrative.map(|n| cell(record, n));
        for c in &wanted.codes {
            let code = cell(record, *c);
            let counts = self.codes.entry(*c).or_default();
            counts.see(code, flow, line, example.as_deref());
        }
        if let Some(n) = wanted.narrative {
            self.see_narrative(&cell(record, n));
        }
    }

    fn see_narrative(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.narrative_seen += 1;
        for sep in SEPARATORS {
            if text.contains(sep) {
                *self.separators.entry(sep).or_default() += 1;
            }
        }
        let upper = text.to_uppercase();
        if upper.contains("COUNCIL HB") || upper.contains("HOUSING BENEFIT") {
            self.hb_named += 1;
        } else if upper.starts_with("DWP UC") || upper.contains("UNIVERSAL CREDIT") {
            self.uc_named += 1;
        }
    }

    /// How many of the last rows are not data: from the end, rows of another
    /// width with no date in them, rows whose first field names a total or balance, and rows
    /// whose date is blank (with a blank first field: a closing balance) or
    /// holds words. A row with a date that does not read is a bad row, not
    /// a trailer: it is left for the reader to name.
    fn trailer_of(&self, held: &VecDeque<ByteRecord>, width: usize, wanted: &Wanted) -> usize {
        const WORDS: &[&str] = &["total", "closing", "balance", "end of", "count", "rows"];
        held.iter()
            .rev()
            .take_while(|r| {
                let first = cell(r, 0).to_lowercase();
                let no_date = wanted.required_date.is_some_and(|c| {
                    let date = cell(r, c);
                    (date.is_empty() && first.is_empty())
                        || (!date.is_empty() && !date.bytes().any(|b| b.is_ascii_digit()))
                });
                // A short row with a date is a bad row, for the reader to name.
                let ragged = r.len() != width && !(0..r.len()).any(|c| is_date(&cell(r, c)));
                ragged || WORDS.iter().any(|w| first.starts_with(w)) || no_date
            })
            .count()
    }
}

/// Which way `record`'s money goes.
fn flow_of(record: &ByteRecord, flow: Option<Flow>) -> Option<bool> {
    let amount = |c: usize| money(&cell(record, c)).filter(|m| !m.is_zero());
    match flow? {
        Flow::Columns { debit, credit } => match (amount(debit), amount(credit)) {
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            _ => None,
        },
        Flow::Signed {
            column,
            positive_is_debit,
        } => amount(column).map(|m| m.is_sign_positive() == positive_is_debit),
    }
}
