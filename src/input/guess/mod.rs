//! `profile init`: a first draft of a profile from one file: encoding,
//! delimiter, preamble and trailer, which input it is, which column is which
//! field, date format, amount style, and code tables with guessed words.
//! Every guess is marked in the TOML so a person checks it.

mod codes;
mod header;
mod kind;
mod sample;
mod scan;
mod tables;
#[cfg(test)]
mod tests;
mod values;
mod write;

use std::fmt;
use std::io;

use crate::recon::model::SourceFile;

pub use sample::Sample;

use header::Layout;
use kind::{NARRATIVE, PAID_IN, PAID_OUT};
use scan::{Flow, Wanted};

/// A draft profile for one file.
pub struct Draft {
    pub toml: String,
    pub file: SourceFile,
    /// What a person must look at before using it (codes nobody could
    /// guess, dates that read two ways), one line each.
    pub warnings: Vec<String>,
}

/// Why no draft could be made from a file.
#[derive(Debug)]
pub enum GuessError {
    Read(io::Error),
    /// Nothing but blank lines.
    Empty,
    /// No line of the file's start splits into two or more fields.
    NoHeader,
    /// A header and nothing under it: no dates, money or codes to judge.
    NoRows,
    Utf16WithoutMark,
    /// Lines that end in a carriage return alone (old Mac exports).
    CarriageReturnsAlone,
}

impl fmt::Display for GuessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuessError::Read(e) => write!(f, "{e}"),
            GuessError::Empty => f.write_str("the file is empty: nothing to draft a profile from"),
            GuessError::NoHeader => write!(
                f,
                "no header found: none of the first {} lines splits into two or more \
                 columns by a comma, semicolon, tab or bar (is this a CSV export?)",
                header::HEADER_LINES
            ),
            GuessError::NoRows => f.write_str(
                "the file has a header but no rows under it: a draft needs rows to judge \
                 dates, amounts and codes from; export a month with transactions in it",
            ),
            GuessError::Utf16WithoutMark => f.write_str(
                "the file looks like UTF-16 without a byte-order mark, which cannot be told \
                 from UTF-8: save it again as UTF-8 (or UTF-16 with its mark)",
            ),
            GuessError::CarriageReturnsAlone => f.write_str(
                "its lines end in a carriage return alone (an old Mac export): save it again \
                 with Windows or Unix line ends",
            ),
        }
    }
}

impl std::error::Error for GuessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GuessError::Read(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for GuessError {
    fn from(e: io::Error) -> Self {
        GuessError::Read(e)
    }
}

/// Guesses a profile for `bytes`, the contents of `name`. `kind` forces the
/// input the file is, where its columns alone do not say.
pub fn draft(name: &str, bytes: &[u8], kind: Option<SourceFile>) -> Result<Draft, GuessError> {
    draft_from(name, &Sample::of(bytes), kind)
}

/// Guesses a profile from a [`Sample`] of `name`: the layout from its start,
/// then every row read once for dates, money, codes and the trailer.
pub fn draft_from(
    name: &str,
    sample: &Sample,
    kind: Option<SourceFile>,
) -> Result<Draft, GuessError> {
    if sample.unmarked_utf16() {
        return Err(GuessError::Utf16WithoutMark);
    }
    let head = sample.head_text();
    if head.trim().is_empty() {
        return Err(GuessError::Empty);
    }
    if head.contains('\r') && !head.contains('\n') {
        return Err(GuessError::CarriageReturnsAlone);
    }
    let layout = header::layout(&head, kind);
    if layout.width < 2 {
        return Err(GuessError::NoHeader);
    }
    let file = kind.unwrap_or_else(|| kind::guess_file(&layout.header));
    let plan = Plan::new(file, &layout);
    let scan = scan::scan(sample.open()?, &layout, &plan.wanted)?;
    if scan.rows == 0 {
        return Err(GuessError::NoRows);
    }
    Ok(write::draft(name, &layout, &plan, &scan, sample.utf16))
}

/// What the header says about where each field is.
struct Plan {
    pub file: SourceFile,
    /// (contract field, column as written), in the contract's order.
    pub columns: Vec<(&'static str, String)>,
    /// A statement's money in and out columns, where it has no amount.
    pub paid: Option<(String, String)>,
    /// A statement's one narrative column, where it has no reference.
    pub narrative: Option<String>,
    pub wanted: Wanted,
}

impl Plan {
    fn new(file: SourceFile, layout: &Layout) -> Plan {
        let columns = kind::map_columns(file, &layout.header, &layout.raw_header);
        let mut plan = Plan {
            file,
            columns,
            paid: None,
            narrative: None,
            wanted: Wanted::default(),
        };
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| layout.header.iter().position(|h| h == n))
                .map(|i| layout.raw_header[i].clone())
        };
        if file == SourceFile::Bank && plan.column("amount").is_none() {
            plan.paid = find(PAID_IN).zip(find(PAID_OUT));
        }
        if file == SourceFile::Bank && plan.column("reference").is_none() {
            plan.narrative = find(NARRATIVE);
        }
        plan.wanted = plan.wanted(layout);
        plan
    }

    /// The column a field is read from.
    pub fn column(&self, field: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }

    /// The date fields of this input, and whether every row has one.
    pub fn date_fields(&self) -> (&'static [&'static str], bool) {
        match self.file {
            SourceFile::Accounts => (&["opening_date"], true),
            SourceFile::Schedules => (&["period_start", "period_end"], false),
            _ => (&["date"], true),
        }
    }

    /// The fields a code table sets.
    pub fn code_fields(&self) -> &'static [&'static str] {
        match self.file {
            SourceFile::Ledger => &["kind"],
            SourceFile::Bank => &["method"],
            SourceFile::Accounts => &["tenancy_type", "rent_period", "benefit"],
            _ => &[],
        }
    }

    fn wanted(&self, layout: &Layout) -> Wanted {
        let at = |column: &str| layout.raw_header.iter().position(|h| h == column);
        let field = |f: &str| self.column(f).and_then(at);
        let (dates, required) = self.date_fields();
        let money_fields: &[&str] = match self.file {
            SourceFile::Bank => &["amount"],
            SourceFile::Ledger => &["debit", "credit"],
            SourceFile::Accounts => &["rent", "opening_balance"],
            _ => &["amount"],
        };
        let paid = self.paid.as_ref().and_then(|(i, o)| at(i).zip(at(o)));
        let mut money: Vec<usize> = money_fields.iter().filter_map(|f| field(f)).collect();
        money.extend(paid.iter().flat_map(|(i, o)| [*i, *o]));
        let flow = match (self.file, paid) {
            (SourceFile::Bank, Some((paid_in, paid_out))) => Some(Flow::Columns {
                debit: paid_out,
                credit: paid_in,
            }),
            (SourceFile::Bank, None) => field("amount").map(|column| Flow::Signed {
                column,
                positive_is_debit: false,
            }),
            (SourceFile::Ledger, _) => field("debit")
                .zip(field("credit"))
                .map(|(debit, credit)| Flow::Columns { debit, credit }),
            _ => None,
        };
        Wanted {
            dates: dates.iter().filter_map(|f| field(f)).collect(),
            required_date: if required { field(dates[0]) } else { None },
            money,
            codes: self.code_fields().iter().filter_map(|f| field(f)).collect(),
            narrative: self
                .narrative
                .as_deref()
                .and_then(at)
                .or_else(|| field("description")),
            flow,
        }
    }
}
