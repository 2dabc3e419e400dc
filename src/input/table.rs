//! Opening one CSV file as a table of named columns: header matching
//! (case-insensitive, trimmed, any order) and records read one at a time
//! into a reused `ByteRecord`, mapped through a profile where there is one.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use csv::ByteRecord;

use super::blank_lines::MarkBlankLines;
use super::columns::resembling_columns;
// Where the readers and mappings have always found them.
pub use super::columns::{optional, required, Column, ColumnType};
use super::digest::{FileDigest, SharedDigest};
use super::error::{InputError, InputErrors};
use super::limit::{skip_lines, LongRecord};
use super::mapping::{Mapping, Scratch};
use super::parse;
use super::profile::{Encoding, FileProfile};
pub use super::row::Row;
use super::split::{SplitPoint, SPLIT_MIN_BYTES};
use super::Progress;
use crate::recon::store::text::TextStore;

/// What is wrong with a header that would otherwise read silently wrong:
/// lines ended by a lone CR (the whole file is one "header", and no row is
/// read), or a column named twice (only the first would be read).
fn header_problem(header: &ByteRecord, names: &[String], profiled: bool) -> Option<String> {
    // A CRLF file's header ends in its CR; a CR anywhere else ends a line.
    let last = header.len().saturating_sub(1);
    let inner_cr = header.iter().enumerate().any(|(i, h)| {
        let cr = h.iter().position(|&b| b == b'\r');
        cr.is_some_and(|at| !(i == last && at + 1 == h.len()))
    });
    if inner_cr {
        return Some(
            "the file's lines end with a lone CR (an old Mac export): no row could be told from the next; \
             convert the line ends to LF or CRLF"
                .to_string(),
        );
    }
    if profiled {
        return None;
    }
    for (i, n) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|m| m == n && !n.is_empty()) {
            return Some(format!(
                "the header names `{n}` twice (columns {} and {}): only one can be read; remove or rename the other",
                j + 1,
                i + 1
            ));
        }
    }
    None
}

/// A row whose quoted fields run over this many line ends holds a quote
/// left open, not an address or a note over two lines.
const MOST_LINE_ENDS_IN_A_ROW: usize = 3;

/// A raw column as errors name it: 1-based number and a name.
pub(super) type Label = Option<(usize, String)>;

/// How raw records become the records the readers see.
pub(super) struct Source {
    pub(super) reader: csv::Reader<Box<dyn Read + Send>>,
    /// Shared with the tables over the file's blocks.
    pub(super) mapping: Option<Arc<Mapping>>,
    pub(super) raw: ByteRecord,
    /// The raw record behind the current mapped record, for rejects.
    pub(super) current: ByteRecord,
    /// The mapping's scratch, kept from record to record.
    pub(super) scratch: Scratch,
    pub(super) delimiter: u8,
    /// Lines skipped above the header, added back to every line number.
    pub(super) line_offset: u64,
    /// Records held back so the last `trailer_rows` can be dropped.
    pub(super) held: VecDeque<(ByteRecord, u64)>,
    pub(super) trailer_rows: usize,
    /// Reading the whole file (not one block of it), so that a trailer
    /// longer than the file can be told.
    pub(super) whole_file: bool,
}

/// An open CSV file whose header has been matched against the wanted columns.
pub struct Table {
    pub name: String,
    pub(super) source: Source,
    /// For each wanted column, its position in the record the readers see.
    pub(super) positions: Vec<Option<usize>>,
    /// For each wanted column, the raw column errors should name.
    pub(super) labels: Vec<Label>,
    pub(super) width: usize,
    /// The header's names, trimmed and lower-cased.
    pub(super) header_names: Vec<String>,
    /// Columns in the file the contract (or the profile) does not use.
    pub unknown_columns: Vec<String>,
    /// Unused columns that look like a contract column the file lacks
    /// (`Ref` for `reference`), with that column's name and the header line.
    pub resembling: Vec<(String, &'static str)>,
    pub header_line: u64,
    /// Records read, good or bad (after any preamble and before any trailer).
    pub rows_read: usize,
    /// The file's size in bytes, where known, to size the rows up front.
    pub(super) size: Option<u64>,
    /// Where the records start, if the file can be read in blocks.
    pub(super) split: Option<SplitPoint>,
    /// The file's digest, once it has been read in blocks (which hash the
    /// bytes as they read them).
    pub(super) blocks_digest: Option<FileDigest>,
    /// What the one reader has hashed of the file (see [`Table::digest`]).
    pub(super) read_digest: SharedDigest,
}

/// A record as a line of the file it came from (quoted where needed).
pub fn record_text(rec: &ByteRecord, delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    // Without the `\r` a CRLF file leaves on the last field.
    let last = rec.len().saturating_sub(1);
    let fields = rec.iter().enumerate().map(|(i, f)| {
        if i == last {
            f.strip_suffix(b"\r").unwrap_or(f)
        } else {
            f
        }
    });
    let _ = w.write_record(fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_string()
}

/// The csv reader every table reads through, over a whole file (`header`)
/// or over a block of its records. `\n` alone ends a record: with the
/// default CRLF terminator the csv crate reports the previous line for every
/// record after a CRLF (BurntSushi/rust-csv#395), and evidence must cite the
/// right line. The `\r` a Windows file leaves in its last field is trimmed
/// off with the rest of the field's spaces. Empty lines are marked so that
/// they are counted too.
pub(super) fn csv_reader(
    bytes: Box<dyn Read + Send>,
    delimiter: u8,
    header: bool,
    limit: usize,
) -> csv::Reader<Box<dyn Read + Send>> {
    let marked: Box<dyn Read + Send> = if header {
        Box::new(MarkBlankLines::new(bytes, delimiter, limit))
    } else {
        Box::new(MarkBlankLines::records(bytes, delimiter, limit))
    };
    reader_of(marked, delimiter, header)
}

/// What the csv reader could not read, located: a record past the length
/// limit on the line it began, anything else where the reader stopped.
fn read_error(e: &csv::Error, file: &str, line_offset: u64, what: &str) -> InputError {
    match e.kind() {
        csv::ErrorKind::Io(io) if LongRecord::of(io).is_some() => {
            InputError::reading(file, io, line_offset, String::new)
        }
        _ => InputError {
            file: file.to_string(),
            line: e.position().map(|p| p.line() + line_offset),
            column: None,
            message: format!("{what}: {e}"),
        },
    }
}

/// [`csv_reader`] but for marking empty lines: for bytes with none.
pub(super) fn reader_of(
    bytes: Box<dyn Read + Send>,
    delimiter: u8,
    header: bool,
) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(header)
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// A reader that tells `progress` how many bytes each read took.
struct Counting<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// A byte-order mark always wins (UTF-8 or UTF-16); without one, UTF-8
/// passes through untouched (and is checked cell by cell) and Windows-1252
/// is decoded, every byte being a character there.
fn encoding_of(profile: Option<&FileProfile>) -> Option<&'static encoding_rs::Encoding> {
    match profile.map(|p| p.encoding) {
        Some(Encoding::Windows1252) => Some(encoding_rs::WINDOWS_1252),
        _ => None,
    }
}

/// What opening a file needs besides its bytes.
struct Opened<'a> {
    name: &'a str,
    columns: &'static [Column],
    profile: Option<&'a FileProfile>,
    limit: usize,
    size: Option<u64>,
}

impl Opened<'_> {
    /// Decodes `file`, hashing it as it is read, past any preamble, and
    /// matches its header (`shown` names it in an error).
    fn stream(
        &self,
        file: Box<dyn Read + Send>,
        shown: &str,
        watch: Option<&Progress>,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        // Hashed as it is read, for the report's record of the inputs.
        let read_digest = SharedDigest::default();
        let file = read_digest.reader(file);
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(encoding_of(self.profile))
            .bom_sniffing(true)
            .build(match watch {
                Some(progress) => Box::new(Counting {
                    inner: file,
                    progress: progress.clone(),
                }) as Box<dyn Read + Send>,
                None => Box::new(file),
            });
        let mut reader = BufReader::with_capacity(1 << 16, decoded);
        let skip = self.profile.map_or(0, |p| p.skip_rows);
        if let Err(e) = skip_lines(&mut reader, skip, self.limit) {
            let err = InputError::reading(self.name, &e, 0, || format!("cannot read {shown}: {e}"));
            errors.push(err);
            return None;
        }
        let t = Table::from_reader(
            Box::new(reader),
            self.name,
            self.columns,
            self.profile,
            skip as u64,
            self.limit,
            errors,
        )?;
        Some(Table {
            size: self.size,
            read_digest,
            ..t
        })
    }
}

impl Table {
    /// Opens `path` and matches its header. Returns `None` (with the errors
    /// recorded) if the file cannot be read or lacks a required column.
    pub fn open(
        path: &Path,
        name: &str,
        columns: &'static [Column],
        profile: Option<&FileProfile>,
        watch: Option<&Progress>,
        limit: usize,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                errors.push(InputError {
                    file: name.to_string(),
                    line: None,
                    column: None,
                    message: format!("cannot open {}: {e}", path.display()),
                });
                return None;
            }
        };
        let size = std::fs::metadata(path).ok().map(|m| m.len());
        let shown = path.display().to_string();
        let opened = Opened {
            name,
            columns,
            profile,
            limit,
            size,
        };
        let t = opened.stream(Box::new(file), &shown, watch, errors)?;
        let split = if size.is_some_and(|n| n >= SPLIT_MIN_BYTES) {
            let (skip, trailer_rows) = profile.map_or((0, 0), |p| (p.skip_rows, p.trailer_rows));
            t.split_point(path, skip, encoding_of(profile), trailer_rows, limit)
        } else {
            None
        };
        Some(Table { split, ..t })
    }

    /// A file's bytes held in memory (fuzzing, tests), read in one piece
    /// as [`Table::open`] reads a file.
    pub fn from_bytes(
        bytes: Vec<u8>,
        name: &str,
        columns: &'static [Column],
        profile: Option<&FileProfile>,
        limit: usize,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let size = Some(bytes.len() as u64);
        let opened = Opened {
            name,
            columns,
            profile,
            limit,
            size,
        };
        opened.stream(Box::new(std::io::Cursor::new(bytes)), name, None, errors)
    }

    /// Once a sample of rows is in, reserves room in `rows` for the whole
    /// file at the sample's bytes per row (plus a margin). Growing a Vec of
    /// ten million rows by doubling copies it over and over and, at its
    /// peak, holds it twice.
    pub fn size_rows<T>(&self, rows: &mut Vec<T>, text: &mut TextStore, rec: &ByteRecord) {
        const SAMPLE: usize = 4096;
        if rows.len() != SAMPLE {
            return;
        }
        let (Some(size), Some(at)) = (self.size, rec.position().map(|p| p.byte())) else {
            return;
        };
        if at == 0 {
            return;
        }
        let expected = u128::from(size) * SAMPLE as u128 * 21 / (u128::from(at) * 20);
        let expected = usize::try_from(expected).unwrap_or(usize::MAX);
        // Only a hint: if the room cannot be had, the rows grow as they come.
        let _ = rows.try_reserve(expected.saturating_sub(rows.len()));
        let bytes = text.size();
        let more = |n: usize| {
            let whole = u128::try_from(n).unwrap_or(u128::MAX) * expected as u128 / SAMPLE as u128;
            usize::try_from(whole)
                .unwrap_or(usize::MAX)
                .saturating_sub(n)
        };
        text.reserve(more(bytes));
    }

    /// Reads `source`'s header and matches it against `columns` (through
    /// `profile`'s mapping where there is one). `None`, with the errors
    /// recorded, where the header cannot be read or lacks a required column.
    pub fn from_reader(
        source: Box<dyn Read + Send>,
        name: &str,
        columns: &'static [Column],
        profile: Option<&FileProfile>,
        line_offset: u64,
        limit: usize,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let delimiter = profile.map_or(b',', FileProfile::delimiter_byte);
        let mut reader = csv_reader(source, delimiter, true, limit);
        let header_line = 1 + line_offset;
        let (header, names) = read_header(&mut reader, name, line_offset, errors)?;
        if let Some(problem) = header_problem(&header, &names, profile.is_some()) {
            errors.push(header_error(name, header_line, problem));
            return None;
        }
        let mapping = match profile {
            Some(fp) => match Mapping::new(name, fp, columns, names.clone()) {
                Ok(m) => Some(m),
                Err(problems) => {
                    for message in problems {
                        errors.push(header_error(name, header_line, message.to_string()));
                    }
                    return None;
                }
            },
            None => None,
        };
        let (positions, labels) = place_columns(columns, &names, mapping.as_ref());
        let missing = missing_columns(columns, &positions, &names, mapping.is_some());
        if !missing.is_empty() {
            for message in missing {
                errors.push(header_error(name, header_line, message));
            }
            return None;
        }
        let unknown_columns = unused_columns(columns, &positions, &names, mapping.as_ref());
        // A profile says what it maps; without one, a column named nearly
        // as the contract names it is likely meant for it.
        let resembling = match mapping {
            Some(_) => Vec::new(),
            None => resembling_columns(&unknown_columns, columns, &positions),
        };
        Some(Table {
            name: name.to_string(),
            source: Source {
                reader,
                mapping: mapping.map(Arc::new),
                raw: ByteRecord::new(),
                current: ByteRecord::new(),
                scratch: Scratch::default(),
                delimiter,
                line_offset,
                held: VecDeque::new(),
                trailer_rows: profile.map_or(0, |p| p.trailer_rows),
                whole_file: true,
            },
            positions,
            labels,
            width: header.len(),
            header_names: names,
            unknown_columns,
            resembling,
            header_line,
            rows_read: 0,
            size: None,
            split: None,
            blocks_digest: None,
            read_digest: SharedDigest::default(),
        })
    }

    /// The file's size in bytes, where known.
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
    }

    /// Whether column `col` is made from each row's line by the profile, so
    /// that no two rows can share it.
    /// The profile's extractions that matched no row of this file.
    pub fn extracts_never_matched(&self) -> Vec<(&'static str, String)> {
        self.source
            .mapping
            .as_ref()
            .map_or_else(Vec::new, |m| m.never_matched())
    }

    pub fn id_from_line(&self, col: usize) -> bool {
        self.source
            .mapping
            .as_ref()
            .is_some_and(|m| m.id_from_line(col))
    }

    /// The file's SHA-256, where its every byte has been read: by its
    /// blocks, or by the one reader to the end.
    pub fn digest(&self) -> Option<FileDigest> {
        (self.blocks_digest.clone()).or_else(|| self.read_digest.whole(self.size))
    }

    /// Reads the next raw record into `source.raw` and returns its line,
    /// holding back the trailer.
    fn next_raw(&mut self, errors: &mut InputErrors) -> Option<u64> {
        let src = &mut self.source;
        loop {
            match src.reader.read_byte_record(&mut src.raw) {
                Ok(true) => {
                    let line = src.raw.position().map_or(0, |p| p.line()) + src.line_offset;
                    if line > u64::from(u32::MAX) {
                        errors.push(InputError {
                            file: self.name.clone(),
                            line: None,
                            column: None,
                            message: format!(
                                "more than {} lines: split the file (by month, say) and run each part",
                                u32::MAX
                            ),
                        });
                        return None;
                    }
                    if src.raw.len() == 1 && parse::trim(&src.raw[0]).is_empty() && self.width > 1 {
                        continue; // a blank line
                    }
                    if src.trailer_rows == 0 {
                        return Some(line);
                    }
                    if src.held.len() < src.trailer_rows {
                        src.held.push_back((std::mem::take(&mut src.raw), line));
                        continue;
                    }
                    // The oldest held record is read now, and this one held
                    // in its place: swapped, not copied.
                    let (oldest, oldest_line) = src.held.pop_front()?;
                    let newest = std::mem::replace(&mut src.raw, oldest);
                    src.held.push_back((newest, line));
                    return Some(oldest_line);
                }
                Ok(false) => {
                    if src.whole_file && src.held.len() < src.trailer_rows {
                        errors.push(InputError {
                            file: self.name.clone(),
                            line: None,
                            column: None,
                            message: format!(
                                "the profile drops the last {} rows as a trailer, but the file has only {} after \
                                 its header: no row would be read; set trailer_rows to the rows the export ends with",
                                src.trailer_rows,
                                src.held.len()
                            ),
                        });
                    }
                    return None;
                }
                Err(e) => {
                    let err = read_error(&e, &self.name, src.line_offset, "unreadable record");
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        errors.push(err);
                        return None;
                    }
                    errors.push_row(err, || "(unreadable)".to_string());
                }
            }
        }
    }

    /// What is wrong with the shape of the raw record just read (on
    /// `line`): a quote left open over many lines, or a field count that is
    /// not the header's.
    fn misshapen(&self, line: u64) -> Option<InputError> {
        let raw = &self.source.raw;
        // A quote left open reads the rows after it into one field, and
        // they would be lost without a word if the count still fits.
        // One search of the record's bytes, not one a field: nearly
        // every record has no line end at all.
        let bytes = raw.as_slice();
        let line_ends = match memchr::memchr(b'\n', bytes) {
            None => 0,
            Some(first) => 1 + memchr::memchr_iter(b'\n', &bytes[first + 1..]).count(),
        };
        if line_ends >= MOST_LINE_ENDS_IN_A_ROW {
            let at = raw.iter().position(|f| f.contains(&b'\n')).unwrap_or(0);
            let err = InputError {
                file: self.name.clone(),
                line: Some(line),
                column: Some((at + 1, self.header_names.get(at).cloned().unwrap_or_default())),
                message: format!(
                    "a quote opened in this row is not closed for {line_ends} line ends: the rows after it \
                     were read as part of this field; close the quote or remove the stray one"
                ),
            };
            return Some(err);
        }
        if raw.len() != self.width {
            // Point at where the row goes wrong: the first extra
            // field, or the first missing one.
            let column = if raw.len() > self.width {
                (self.width + 1, "(beyond the header)".to_string())
            } else {
                (raw.len() + 1, self.header_names[raw.len()].clone())
            };
            let message = format!(
                "expected {} fields as in the header, found {}{}",
                self.width,
                raw.len(),
                if line_ends > 0 {
                    " (a quoted field runs over a line end here: is a quote left open?)"
                } else {
                    ""
                }
            );
            return Some(InputError {
                file: self.name.clone(),
                line: Some(line),
                column: Some(column),
                message,
            });
        }
        None
    }

    /// Reads the next record into `rec`. Returns its line, or `None` at the
    /// end. Unreadable, ragged and unmappable records are recorded as row
    /// errors (with their line and original text) and skipped. Records are
    /// swapped, not copied, so reading makes no allocation per row.
    pub fn next(&mut self, rec: &mut ByteRecord, errors: &mut InputErrors) -> Option<u64> {
        loop {
            let line = self.next_raw(errors)?;
            self.rows_read += 1;
            let delimiter = self.source.delimiter;
            let raw = &self.source.raw;
            if let Some(err) = self.misshapen(line) {
                errors.push_row(err, || record_text(raw, delimiter));
                continue;
            }
            let Some(m) = &self.source.mapping else {
                std::mem::swap(rec, &mut self.source.raw);
                return Some(line);
            };
            match m.apply_typed(raw, line, &mut self.source.scratch) {
                Ok(()) => {
                    std::mem::swap(&mut self.source.current, &mut self.source.raw);
                    return Some(line);
                }
                Err(problems) => {
                    for (c, message) in problems {
                        let name = self.header_names.get(c).cloned().unwrap_or_default();
                        let err = InputError {
                            file: self.name.clone(),
                            line: Some(line),
                            column: Some((c + 1, name)),
                            message: message.to_string(),
                        };
                        errors.push_row(err, || record_text(raw, delimiter));
                    }
                    let money = m.money_of(&self.source.scratch.mapped);
                    errors.row_money(&self.name, line, money);
                }
            }
        }
    }
}

/// A problem with a file's header, on its line.
fn header_error(file: &str, line: u64, message: String) -> InputError {
    InputError {
        file: file.to_string(),
        line: Some(line),
        column: None,
        message,
    }
}

/// The header record and its names, trimmed and lower-cased (a UTF-8
/// byte-order mark the decoder left is dropped).
fn read_header(
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    name: &str,
    line_offset: u64,
    errors: &mut InputErrors,
) -> Option<(ByteRecord, Vec<String>)> {
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let err = read_error(&e, name, line_offset, "cannot read the header");
            errors.push(InputError {
                line: err.line.or(Some(1 + line_offset)),
                ..err
            });
            return None;
        }
    };
    if header.is_empty() || (header.len() == 1 && parse::trim(&header[0]).is_empty()) {
        errors.push(InputError {
            file: name.to_string(),
            line: None,
            column: None,
            message: "the file is empty: expected a header row naming the columns".to_string(),
        });
        return None;
    }
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h)
            } else {
                h
            };
            String::from_utf8_lossy(parse::trim(h)).to_lowercase()
        })
        .collect();
    Some((header, names))
}

/// For each wanted column, where the records the readers see hold it, and
/// the raw column errors should name.
fn place_columns(
    columns: &[Column],
    names: &[String],
    mapping: Option<&Mapping>,
) -> (Vec<Option<usize>>, Vec<Label>) {
    match mapping {
        None => columns
            .iter()
            .map(|c| {
                let at = names.iter().position(|n| n == c.name);
                (at, at.map(|p| (p + 1, c.name.to_string())))
            })
            .unzip(),
        Some(m) => columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let label = m
                    .raw_column(i)
                    .map(|r| (r + 1, format!("{} ({})", c.name, names[r])));
                (m.provides(i).then_some(i), label)
            })
            .unzip(),
    }
}

/// A message for each required column the header (or the profile) lacks.
fn missing_columns(
    columns: &[Column],
    positions: &[Option<usize>],
    names: &[String],
    profiled: bool,
) -> Vec<String> {
    let missing = columns
        .iter()
        .zip(positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name);
    missing
        .map(|m| {
            if profiled {
                format!(
                    "missing required column `{m}`: the profile maps no column to it (the header has: {})",
                    names.join(", ")
                )
            } else {
                format!("missing required column `{m}` (the header has: {})", names.join(", "))
            }
        })
        .collect()
}

/// The header's columns that nothing reads.
fn unused_columns(
    columns: &[Column],
    positions: &[Option<usize>],
    names: &[String],
    mapping: Option<&Mapping>,
) -> Vec<String> {
    let used: Vec<usize> = match mapping {
        None => positions.iter().flatten().copied().collect(),
        Some(m) => m.used_columns(),
    };
    names
        .iter()
        .enumerate()
        .filter(|(i, n)| !used.contains(i) && !columns.iter().any(|c| c.name == n.as_str()))
        .map(|(_, n)| n.clone())
        .collect()
}
