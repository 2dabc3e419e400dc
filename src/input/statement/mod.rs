//! Bank statements as banks send them (SWIFT MT940, ISO 20022 camt.053),
//! Bacs ARUDD return reports beside them, and inputs read from standard
//! input: each held in memory, a statement as the contract's bank rows.

pub mod arudd;
pub mod camt;
pub mod mt940;

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::digest::{FileDigest, Hashing};
use super::error::{InputError, InputErrors};
use super::{InputPaths, Loaded};
use crate::recon::model::{RowRef, SourceFile, FILES};
use crate::recon::store::lines::LineMap;
use crate::recon::warning::{Scope, Warning, WarningKind};

/// One bank row a statement gives, in the contract's terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The id the statement gives the line, where it gives one: used where
    /// no other line of the file has it.
    pub bank_id: Option<String>,
    /// Made from the statement's reference and the line's place in it.
    pub fallback_id: String,
    pub date: NaiveDate,
    /// Positive = money received.
    pub amount: Decimal,
    pub reference: String,
    pub payer: String,
    pub method: Option<&'static str>,
    pub return_code: String,
    /// The statement line it came from (a `:61:` field, an `<Ntry>`).
    pub line: u32,
}

/// A file's bank rows, with what was noticed on the way: the statement
/// line it concerns (where one does), and words.
#[derive(Debug, Default)]
pub struct Read {
    pub entries: Vec<Entry>,
    pub notes: Vec<(Option<u32>, String)>,
}

/// A statement or report that cannot be read as its format has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementError {
    /// A field or element not as the format has it.
    Malformed {
        file: String,
        line: u32,
        expected: String,
        found: String,
    },
    /// Opening balance plus the lines is not the closing balance.
    Unbalanced {
        file: String,
        line: u32,
        opening: Decimal,
        lines: Decimal,
        closing: Decimal,
    },
    /// What the file is, and what it was given as.
    Misplaced { file: String, message: String },
}

impl StatementError {
    pub fn malformed(file: &str, line: u32, expected: &str, found: &str) -> Self {
        StatementError::Malformed {
            file: file.to_string(),
            line,
            expected: expected.to_string(),
            found: found.chars().take(80).collect(),
        }
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatementError::Malformed {
                file,
                line,
                expected,
                found,
            } if found.is_empty() => write!(f, "{file}:{line}: expected {expected}"),
            StatementError::Malformed {
                file,
                line,
                expected,
                found,
            } => write!(f, "{file}:{line}: expected {expected}, found {found:?}"),
            StatementError::Unbalanced {
                file,
                line,
                opening,
                lines,
                closing,
            } => write!(
                f,
                "{file}:{line}: the closing balance {closing:.2} is not the opening balance {opening:.2} plus \
                 the lines' {lines:.2}: is the statement cut short or edited?"
            ),
            StatementError::Misplaced { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for StatementError {}

impl From<StatementError> for InputError {
    fn from(e: StatementError) -> InputError {
        let (file, line) = match &e {
            StatementError::Malformed { file, line, .. }
            | StatementError::Unbalanced { file, line, .. } => {
                (file.clone(), Some(u64::from(*line)))
            }
            StatementError::Misplaced { file, .. } => (file.clone(), None),
        };
        let whole = e.to_string();
        let prefix = match line {
            Some(l) => format!("{file}:{l}: "),
            None => format!("{file}: "),
        };
        InputError {
            message: whole.strip_prefix(&prefix).unwrap_or(&whole).to_string(),
            file,
            line,
            column: None,
        }
    }
}

/// What a bank input is, by its name or its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Mt940,
    Camt053,
    Arudd,
    /// XML that is neither.
    OtherXml,
}

/// Counts lines up to a byte position, moving only forward: a document of
/// many entries is counted once, not from its start at each.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line `byte` is on (a position past the end, the last line).
    fn line_at(&mut self, byte: u64) -> u32 {
        let to = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if to > self.at {
            let n = memchr::memchr_iter(b'\n', &self.text[self.at..to]).count();
            self.line = self
                .line
                .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            self.at = to;
        }
        self.line
    }
}

/// Sniffs `head` (the file's first bytes) and its name's extension.
pub fn sniff(path: &Path, head: &[u8]) -> Kind {
    let ext = (path.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let text = &text[start..];
    let has = |s: &str| memchr::memmem::find(head, s.as_bytes()).is_some();
    if matches!(ext.as_str(), "sta" | "mt940" | "940")
        || text.starts_with(b":20:")
        || text.starts_with(b"{1:")
    {
        Kind::Mt940
    } else if text.starts_with(b"<") || ext == "xml" {
        if has("camt.053") {
            Kind::Camt053
        } else if has("ARUDD") || has("BACSDocument") {
            Kind::Arudd
        } else {
            Kind::OtherXml
        }
    } else {
        Kind::Csv
    }
}

/// Statement files a data folder may hold in place of bank.csv.
pub const STATEMENT_NAMES: [&str; 4] = ["bank.sta", "bank.mt940", "bank.940", "bank.xml"];

/// The bank file in `dir` where it has no bank.csv: its one statement file.
/// Where there are several, or none, bank.csv (missing) is kept, and
/// reading says so.
pub fn bank_in_dir(dir: &Path) -> Option<PathBuf> {
    let found: Vec<PathBuf> = (STATEMENT_NAMES.iter())
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The ARUDD reports in `dir`: files named `arudd*.xml`, by name.
pub fn returns_in_dir(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            name.is_some_and(|n| n.starts_with("arudd") && n.ends_with(".xml")) && p.is_file()
        })
        .collect();
    found.sort();
    found
}

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name evidence gives standard input.
pub const STDIN_NAME: &str = "stdin";

/// The inputs read into memory before the contract reader runs: standard
/// input, and a statement made into contract rows. A statement becomes a
/// contract bank CSV made in memory and read by the one contract reader,
/// so every check a bank.csv gets it gets too; row `i` of that CSV is on
/// its line `i + 2`, and [`Held::settle`] puts each row's statement line
/// back wherever a line is cited.
#[derive(Default)]
pub struct Held {
    bytes: [Option<Vec<u8>>; FILES],
    digests: [Option<FileDigest>; FILES],
    /// Where the bank file is a statement: each row's statement line.
    lines: Option<Vec<u32>>,
    bank_name: String,
    notes: Vec<(Option<u32>, String)>,
}

impl Held {
    /// Reads standard input (for at most one input) and any statement.
    pub fn read(paths: &InputPaths) -> Result<Held, InputErrors> {
        Self::read_inner(paths).map_err(|e| {
            let mut errors = InputErrors::default();
            errors.push(e);
            errors
        })
    }

    fn read_inner(paths: &InputPaths) -> Result<Held, InputError> {
        let names = paths.source_names();
        let mut held = Held {
            bank_name: names.name(SourceFile::Bank).to_string(),
            ..Held::default()
        };
        let stdin_paths = SourceFile::ALL
            .iter()
            .filter_map(|&f| paths.path(f).filter(|p| is_stdin(p)).map(|_| f))
            .collect::<Vec<_>>();
        let returns_stdin = paths.returns.iter().filter(|p| is_stdin(p)).count();
        if stdin_paths.len() + returns_stdin > 1 {
            return Err(misplaced(
                STDIN_NAME,
                "more than one input is `-`: standard input can be read for one of them only",
            ));
        }
        let stdin = || -> Result<Vec<u8>, InputError> {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| misplaced(STDIN_NAME, &format!("cannot read standard input: {e}")))?;
            Ok(bytes)
        };
        for &f in &stdin_paths {
            let bytes = stdin()?;
            held.digests[f.index()] = Some(digest(&bytes));
            held.bytes[f.index()] = Some(bytes);
        }
        let mut returns = Vec::new();
        for p in &paths.returns {
            let (name, bytes) = if is_stdin(p) {
                (STDIN_NAME.to_string(), stdin()?)
            } else {
                let name = p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let bytes = std::fs::read(p)
                    .map_err(|e| misplaced(&name, &format!("cannot open {}: {e}", p.display())))?;
                (name, bytes)
            };
            returns.push((name, bytes));
        }
        held.bank(paths, returns)?;
        Ok(held)
    }

    /// Reads the bank file if it is a statement, joining the returns.
    fn bank(
        &mut self,
        paths: &InputPaths,
        returns: Vec<(String, Vec<u8>)>,
    ) -> Result<(), InputError> {
        let name = self.bank_name.clone();
        let i = SourceFile::Bank.index();
        let on_disk = self.bytes[i].is_none();
        let head = match &self.bytes[i] {
            Some(b) => b[..b.len().min(4096)].to_vec(),
            None => head_of(&paths.bank).unwrap_or_default(),
        };
        let kind = sniff(&paths.bank, &head);
        let read = match kind {
            Kind::Csv if returns.is_empty() => return Ok(()),
            Kind::Csv => {
                return Err(misplaced(
                    &name,
                    "an ARUDD report (--returns) joins a statement in MT940 or camt.053; with a CSV statement, \
                     give each return's reason code in its return_code column instead",
                ))
            }
            Kind::Arudd => {
                return Err(misplaced(
                    &name,
                    "this is a Bacs ARUDD report, not a statement: pass it with --returns (or name it \
                     arudd*.xml beside the statement) and give the statement as the bank file",
                ))
            }
            Kind::OtherXml => {
                return Err(misplaced(
                    &name,
                    "expected a camt.053 statement (namespace urn:iso:std:iso:20022:tech:xsd:camt.053...), \
                     or a bank CSV",
                ))
            }
            Kind::Mt940 | Kind::Camt053 => {
                let bytes = match self.bytes[i].take() {
                    Some(b) => b,
                    None => std::fs::read(&paths.bank).map_err(|e| {
                        misplaced(&name, &format!("cannot open {}: {e}", paths.bank.display()))
                    })?,
                };
                if on_disk {
                    self.digests[i] = Some(digest(&bytes));
                }
                let text = decode(&bytes);
                match kind {
                    Kind::Mt940 => Read {
                        entries: mt940::read(&name, &text)?,
                        notes: Vec::new(),
                    },
                    _ => camt::read(&name, &text)?,
                }
            }
        };
        let mut read = read;
        for (file, bytes) in &returns {
            let items = arudd::read(file, &decode(bytes))?;
            arudd::join(&mut read, items);
        }
        let (csv, lines) = contract_rows(read.entries);
        self.bytes[i] = Some(csv);
        self.lines = Some(lines);
        self.notes = read.notes;
        Ok(())
    }

    /// The bytes to read for `file` in place of its path, if any.
    pub fn bytes(&self, file: SourceFile) -> Option<&[u8]> {
        self.bytes[file.index()].as_deref()
    }

    /// Whether `file` was made from a statement (no profile applies to it).
    pub fn is_statement(&self, file: SourceFile) -> bool {
        file == SourceFile::Bank && self.lines.is_some()
    }

    /// The statement line of the made CSV's line `line` (itself otherwise).
    fn source_line(&self, line: u64) -> u64 {
        match &self.lines {
            Some(lines) => (line.checked_sub(2))
                .and_then(|i| lines.get(usize::try_from(i).ok()?))
                .map_or(line, |&l| u64::from(l)),
            None => line,
        }
    }

    /// A reading's result with every line of a statement's rows its
    /// statement line, the held files' digests, and the notes as warnings.
    pub fn settle(&self, result: Result<Loaded, InputErrors>) -> Result<Loaded, InputErrors> {
        let mut loaded = match result {
            Ok(l) => l,
            Err(mut errors) => {
                self.relocate_errors(&mut errors);
                return Err(errors);
            }
        };
        for (i, d) in self.digests.iter().enumerate() {
            if d.is_some() {
                loaded.digests[i] = d.clone();
            }
        }
        if self.lines.is_none() {
            return Ok(loaded);
        }
        let data = &mut loaded.data;
        let mut lines = LineMap::default();
        for row in 0..data.bank_lines.len() {
            lines.push(self.row_line(data.bank_lines.line(row)));
        }
        data.bank_lines = lines;
        for w in &mut data.warnings {
            for r in w.evidence.iter_mut().filter(|r| r.file == SourceFile::Bank) {
                r.line = self.row_line(r.line);
            }
        }
        for r in loaded
            .rejects
            .iter_mut()
            .filter(|r| r.file == self.bank_name)
        {
            r.line = self.source_line(r.line);
        }
        data.warnings
            .extend(self.notes.iter().map(|(line, message)| {
                Warning {
                    kind: WarningKind::RowsSetAside,
                    message: message.clone(),
                    evidence: (line.iter())
                        .map(|&line| RowRef {
                            file: SourceFile::Bank,
                            line,
                        })
                        .collect(),
                    scope: Scope::Every,
                }
            }));
        Ok(loaded)
    }

    fn row_line(&self, line: u32) -> u32 {
        u32::try_from(self.source_line(u64::from(line))).unwrap_or(u32::MAX)
    }

    /// Errors in a statement's rows name its lines, and its fields by name
    /// (the made CSV's column numbers mean nothing in it).
    fn relocate_errors(&self, errors: &mut InputErrors) {
        if self.lines.is_none() {
            return;
        }
        for e in errors
            .errors
            .iter_mut()
            .filter(|e| e.file == self.bank_name)
        {
            e.line = e.line.map(|l| self.source_line(l));
            if let Some((_, name)) = e.column.take() {
                e.message = format!("{name}: {}", e.message);
            }
        }
        let rows = std::mem::take(&mut errors.rows);
        errors.rows = (rows.into_iter())
            .map(|((file, line), row)| {
                let line = if file == self.bank_name {
                    self.source_line(line)
                } else {
                    line
                };
                ((file, line), row)
            })
            .collect();
    }
}

fn misplaced(file: &str, message: &str) -> InputError {
    InputError::from(StatementError::Misplaced {
        file: file.to_string(),
        message: message.to_string(),
    })
}

fn digest(bytes: &[u8]) -> FileDigest {
    let mut h = Hashing::new(bytes);
    // Reading a slice cannot fail.
    let _ = h.drain();
    h.digest()
}

/// The first few KiB of a file, to sniff (nothing if it cannot be read:
/// opening it again reports that).
fn head_of(path: &Path) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// UTF-8 (a byte-order mark dropped), else Windows-1252, as statements
/// from older systems are: every byte is a character, so lines stay put.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The entries as a contract bank CSV, and each row's statement line.
/// A line id is the statement's own where no other line of the file has
/// it, else one made from the statement and the line's place; lines of
/// no money are left out (they move nothing).
fn contract_rows(entries: Vec<Entry>) -> (Vec<u8>, Vec<u32>) {
    use super::readers::bank::{self, col};
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in &entries {
        if let Some(id) = e.bank_id.as_deref() {
            *seen.entry(id).or_default() += 1;
        }
    }
    let flat = |s: &str| s.replace(['\r', '\n', '\t'], " ").trim().to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut lines = Vec::new();
    // The bank reader's own columns, each value put in its named place:
    // the two cannot drift apart.
    let header = bank::COLUMNS.iter().map(|c| c.name);
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for e in entries.iter().filter(|e| !e.amount.is_zero()) {
        let id = match e.bank_id.as_deref() {
            Some(id) if seen.get(id) == Some(&1) => id,
            _ => e.fallback_id.as_str(),
        };
        let mut record: [String; bank::COLUMNS.len()] = Default::default();
        record[col::BANK_ID] = flat(id);
        record[col::DATE] = e.date.to_string();
        record[col::AMOUNT] = format!("{:.2}", e.amount);
        record[col::REFERENCE] = flat(&e.reference);
        record[col::PAYER] = flat(&e.payer);
        record[col::METHOD] = e.method.unwrap_or("").to_string();
        record[col::RETURN_CODE] = flat(&e.return_code);
        let _ = w.write_record(&record);
        lines.push(e.line);
    }
    (w.into_inner().unwrap_or_default(), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_told_apart_by_name_or_first_bytes() {
        let p = Path::new;
        assert_eq!(sniff(p("x.csv"), b"bank_id,date"), Kind::Csv);
        assert_eq!(sniff(p("x.sta"), b"anything"), Kind::Mt940);
        assert_eq!(sniff(p("-"), b"\r\n:20:STMT"), Kind::Mt940);
        assert_eq!(sniff(p("-"), b"{1:F01BANK}{2:O940}{4:"), Kind::Mt940);
        let camt = b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">";
        assert_eq!(sniff(p("-"), camt), Kind::Camt053);
        assert_eq!(
            sniff(p("r.xml"), b"<BACSDocument><Data><ARUDD>"),
            Kind::Arudd
        );
        assert_eq!(
            sniff(p("r.xml"), b"<Document xmlns=\"camt.054\">"),
            Kind::OtherXml
        );
    }

    #[test]
    fn a_repeated_statement_id_gives_way_to_a_made_one() {
        let e = |id: &str, fallback: &str| Entry {
            bank_id: Some(id.to_string()),
            fallback_id: fallback.to_string(),
            amount: Decimal::ONE,
            line: 7,
            ..Entry::default()
        };
        let (csv, lines) = contract_rows(vec![e("A", "S/1"), e("B", "S/2"), e("A", "S/3")]);
        let csv = String::from_utf8(csv).unwrap();
        let ids: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(ids, ["S/1", "B", "S/3"]);
        assert_eq!(lines, [7, 7, 7]);
    }
}
