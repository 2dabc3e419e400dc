//! Reading one CSV file as a table of named columns: header matching
//! (case-insensitive, trimmed, any order), one reused `ByteRecord`, and typed
//! field access that records a located error instead of failing. With a
//! profile, each raw record is first mapped onto the contract's columns.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::digest::{FileDigest, Hashing, SharedDigest};
use super::error::{InputError, InputErrors};
use super::limit::{skip_lines, LongRecord};
use super::mapping::{Mapping, Scratch};
use super::parse;
use super::profile::{Encoding, FileProfile};
use super::Progress;
use crate::recon::model::Text;
use crate::recon::store::amount::Amount;
use crate::recon::store::text::TextStore;

/// What a column holds, so a profile knows which values to convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Date,
    Money,
}

/// A column the reader looks for.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub ty: ColumnType,
}

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

/// Short names exports give contract columns.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ref", "reference"),
    ("payref", "reference"),
    ("amt", "amount"),
    ("value", "amount"),
    ("desc", "description"),
    ("narrative", "description"),
    ("details", "description"),
    ("name", "payer"),
    ("payername", "payer"),
    ("acc", "account_ref"),
    ("acct", "account_ref"),
    ("accountno", "account_ref"),
    ("accountnumber", "account_ref"),
    ("txn", "txn_id"),
    ("transactionid", "txn_id"),
    ("type", "kind"),
    ("batch", "batch_ref"),
    ("narrative", "reference"),
    ("details", "reference"),
    ("memo", "reference"),
    ("paymentdetails", "reference"),
    ("description", "reference"),
    ("counterparty", "payer"),
    ("remitter", "payer"),
    ("accountname", "payer"),
    ("customer", "payer"),
    ("originator", "payer"),
    ("from", "payer"),
    ("name", "tenant_name"),
    ("tenant", "tenant_name"),
    ("vulnerability", "vulnerable"),
    ("dispute", "open_dispute"),
    ("complaint", "open_dispute"),
    ("claimpending", "benefit_claim_pending"),
    ("pendingclaim", "benefit_claim_pending"),
    ("hbuc", "benefit"),
    ("housingbenefit", "benefit"),
    ("paymentreferences", "payment_refs"),
];

/// Whether an unused column's name looks like a contract column's: the same
/// letters, one a short form of the other, one letter apart, or a common
/// abbreviation.
pub fn resembles(column: &str, contract: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (squash(column), squash(contract));
    if a.is_empty() {
        return false;
    }
    a == b
        || (a.len() >= 3 && b.starts_with(&a))
        || (b.len() >= 5 && a.contains(&b))
        || (a.len() >= 5 && crate::recon::identify::one_edit_apart(&a, &b))
        || ABBREVIATIONS
            .iter()
            .any(|&(short, long)| a == short && contract == long)
}

/// The unused columns that look like a contract column the file lacks.
fn resembling_columns(
    unknown: &[String],
    columns: &[Column],
    positions: &[Option<usize>],
) -> Vec<(String, &'static str)> {
    let lacking: Vec<&'static str> = columns
        .iter()
        .zip(positions)
        .filter(|(_, p)| p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    unknown
        .iter()
        .filter_map(|n| {
            let c = lacking.iter().find(|c| resembles(n, c))?;
            Some((n.clone(), *c))
        })
        .collect()
}

pub const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
        ty: ColumnType::Text,
    }
}

pub const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
        ty: ColumnType::Text,
    }
}

impl Column {
    pub const fn date(self) -> Column {
        Column {
            ty: ColumnType::Date,
            ..self
        }
    }

    pub const fn money(self) -> Column {
        Column {
            ty: ColumnType::Money,
            ..self
        }
    }
}

/// A raw column as errors name it: 1-based number and a name.
type Label = Option<(usize, String)>;

/// How raw records become the records the readers see.
struct Source {
    reader: csv::Reader<Box<dyn Read + Send>>,
    /// Shared with the tables over the file's blocks.
    mapping: Option<Arc<Mapping>>,
    raw: ByteRecord,
    /// The raw record behind the current mapped record, for rejects.
    current: ByteRecord,
    /// The mapping's scratch, kept from record to record.
    scratch: Scratch,
    delimiter: u8,
    /// Lines skipped above the header, added back to every line number.
    line_offset: u64,
    /// Records held back so the last `trailer_rows` can be dropped.
    held: VecDeque<(ByteRecord, u64)>,
    trailer_rows: usize,
    /// Reading the whole file (not one block of it), so that a trailer
    /// longer than the file can be told.
    whole_file: bool,
}

/// An open CSV file whose header has been matched against the wanted columns.
pub struct Table {
    pub name: String,
    source: Source,
    /// For each wanted column, its position in the record the readers see.
    positions: Vec<Option<usize>>,
    /// For each wanted column, the raw column errors should name.
    labels: Vec<Label>,
    width: usize,
    /// The header's names, trimmed and lower-cased.
    header_names: Vec<String>,
    /// Columns in the file the contract (or the profile) does not use.
    pub unknown_columns: Vec<String>,
    /// Unused columns that look like a contract column the file lacks
    /// (`Ref` for `reference`), with that column's name and the header line.
    pub resembling: Vec<(String, &'static str)>,
    pub header_line: u64,
    /// Records read, good or bad (after any preamble and before any trailer).
    pub rows_read: usize,
    /// The file's size in bytes, where known, to size the rows up front.
    size: Option<u64>,
    /// Where the records start, if the file can be read in blocks.
    split: Option<SplitPoint>,
    /// The file's digest, once it has been read in blocks (which hash the
    /// bytes as they read them).
    blocks_digest: Option<FileDigest>,
    /// What the one reader has hashed of the file (see [`Table::digest`]).
    read_digest: SharedDigest,
}

/// The first record after the header: the file's byte offset and line,
/// and what reading a block needs that the file's bytes do not say.
#[derive(Clone, Debug)]
struct SplitPoint {
    path: std::path::PathBuf,
    byte: u64,
    line: u64,
    /// How each block is decoded on its own, where the whole file's bytes
    /// are not passed through: a single-byte encoding, or UTF-8 after a
    /// byte-order mark (invalid bytes replaced). Blocks end after a line
    /// end, so no character is cut.
    decode: Option<&'static encoding_rs::Encoding>,
    /// Records at the end to drop (a profile's trailer): the last block's.
    trailer_rows: usize,
    /// The longest record a block may grow to hold.
    limit: usize,
}

/// A file's header as matched, for the tables over its blocks.
struct BlockShape {
    name: String,
    delimiter: u8,
    mapping: Option<Arc<Mapping>>,
    positions: Vec<Option<usize>>,
    labels: Vec<Label>,
    width: usize,
    header_names: Vec<String>,
}

impl BlockShape {
    /// A table over one block of the file's records, `first_line` the line
    /// its first record is on; the file's last block drops `trailer_rows`.
    /// A block known to hold no empty line is read without looking for them.
    fn table(
        &self,
        bytes: impl AsRef<[u8]> + Send + 'static,
        first_line: u64,
        trailer_rows: usize,
        no_empty_lines: bool,
    ) -> Table {
        let len = bytes.as_ref().len() as u64;
        let bytes = Box::new(std::io::Cursor::new(bytes));
        let reader = if no_empty_lines {
            reader_of(bytes, self.delimiter, false)
        } else {
            csv_reader(bytes, self.delimiter, false, usize::MAX)
        };
        Table {
            name: self.name.clone(),
            source: Source {
                reader,
                mapping: self.mapping.clone(),
                raw: ByteRecord::new(),
                current: ByteRecord::new(),
                scratch: Scratch::default(),
                delimiter: self.delimiter,
                line_offset: first_line.saturating_sub(1),
                held: VecDeque::new(),
                trailer_rows,
                whole_file: false,
            },
            positions: self.positions.clone(),
            labels: self.labels.clone(),
            width: self.width,
            header_names: self.header_names.clone(),
            unknown_columns: Vec::new(),
            resembling: Vec::new(),
            header_line: first_line,
            rows_read: 0,
            size: Some(len),
            split: None,
            blocks_digest: None,
            read_digest: SharedDigest::default(),
        }
    }
}

/// One block of a file's records.
struct Block {
    bytes: Vec<u8>,
    first_line: u64,
    /// Whether it is the file's last, which holds any trailer.
    last: bool,
    /// Whether it is known to hold no empty line, so that its reader need
    /// not look for them ([`MarkBlankLines`]).
    no_empty_lines: bool,
}

/// Block buffers whose blocks have been read, for the next blocks to be
/// read into. A fresh buffer is pages the system must clear and map as
/// they are first written, and `read_to_end` zeroed each one again
/// (docs/benchmarks.md has what that cost).
#[derive(Clone, Default)]
struct BufferPool(Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

impl BufferPool {
    /// A bound on what is kept. No more than two batches' buffers exist at
    /// once (one batch being parsed, the next being read), so it is seldom
    /// reached.
    const KEPT: usize = 128;

    fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().ok()?.pop()
    }

    /// `bytes` to be handed back to the pool once its block is read.
    fn lend(&self, bytes: Vec<u8>) -> Lent {
        Lent {
            bytes,
            pool: self.clone(),
        }
    }
}

/// A block's bytes, handed back to their pool when its table is done with.
struct Lent {
    bytes: Vec<u8>,
    pool: BufferPool,
}

impl AsRef<[u8]> for Lent {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let Ok(mut kept) = self.pool.0.lock() {
            if kept.len() < BufferPool::KEPT {
                kept.push(std::mem::take(&mut self.bytes));
            }
        }
    }
}

/// Reads up to `want` bytes into `block` after its first `filled`, as
/// `take(want).read_to_end` would, but over what a reused buffer already
/// holds: only room it never had is zeroed. Returns the bytes read.
fn read_more(
    file: &mut impl Read,
    block: &mut Vec<u8>,
    filled: usize,
    want: usize,
) -> std::io::Result<usize> {
    let end = filled.saturating_add(want);
    if block.len() < end {
        block.resize(end, 0);
    }
    let mut at = filled;
    while at < end {
        match file.read(&mut block[at..end]) {
            Ok(0) => break,
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(at - filled)
}

/// Cuts a file's records into blocks that end where a record ends.
struct BlockSplitter {
    file: Hashing<File>,
    pool: BufferPool,
    delimiter: u8,
    /// What the last block read past its last record's end.
    carry: Vec<u8>,
    line: u64,
    /// The longest record a block may grow to hold.
    limit: usize,
    /// Bytes of the file not yet read, where its size is known.
    left: Option<u64>,
    done: bool,
    batch_len: usize,
}

/// Where a block may be cut (see [`walk_records`]).
#[derive(Debug, PartialEq)]
enum Cut {
    /// After this line end, the last in the block that ends a record.
    After(usize),
    /// Nowhere yet: no record ends in the block, or one could end only past
    /// it (a quote as its last byte might be the first of a `""`).
    NotYet,
}

/// Whether a quote after `before` (none: at a record's start) is a field's
/// first byte, where the csv crate takes it to open a quoted field; a quote
/// elsewhere outside quotes is text. [`walk_records`] and the blank-line
/// marking both follow quotes by this rule.
fn starts_field(before: Option<u8>, delimiter: u8) -> bool {
    before.is_none_or(|b| b == delimiter || b == b'\n')
}

/// What a walk through a block's quotes and line ends found.
struct Walk {
    /// Where the block may be cut.
    cut: Cut,
    /// Whether it holds no empty line, where its quotes were walked (a block
    /// with none is not walked, and its reader marks empty lines itself).
    no_empty_lines: bool,
}

/// Where the last record that ends in `block` ends, for a block that
/// starts where a record starts, and whether it holds an empty line. A line
/// end inside a quoted field (which may span lines) ends nothing, so quotes
/// are followed as the csv crate reads them: a quote opens a field as its
/// first byte and is text elsewhere, and inside a quoted field `""` is a
/// quote and a lone `"` closes it. Only quotes and line ends are looked at.
/// The blank-line marking follows quotes by the same rule, so a block's
/// marking starts as the whole file's would.
fn walk_records(block: &[u8], delimiter: u8) -> Walk {
    // Up to the first quote every line end ends a record; most files hold
    // none.
    let after = |end: Option<usize>| end.map_or(Cut::NotYet, Cut::After);
    let Some(first) = memchr::memchr(b'"', block) else {
        return Walk {
            cut: after(memchr::memrchr(b'\n', block)),
            no_empty_lines: false,
        };
    };
    let last = after(memchr::memrchr(b'\n', &block[..first]));
    // A block starts where a record starts, so a line end first is an empty
    // line; outside quotes, so is one right after another.
    let empty_line =
        block.first() == Some(&b'\n') || memchr::memmem::find(&block[..first], b"\n\n").is_some();
    // Then one pass over the quotes and line ends after it. Where fields are
    // quoted they come every few bytes, and looking at each byte costs less
    // than a search for each (a third of reading a quoted file's blocks);
    // where they are few, a search passes over the rest.
    let sample = &block[first..block.len().min(first + 4096)];
    let dense = memchr::memchr_iter(b'"', sample).count() > sample.len() / 64;
    let (end, empty_after) = if dense {
        follow_quotes(block, delimiter, marks_by_byte(block, first))
    } else {
        follow_quotes(block, delimiter, marks_by_search(block, first))
    };
    Walk {
        cut: if end.is_some() { after(end) } else { last },
        no_empty_lines: !empty_line && !empty_after,
    }
}

/// The places of the quotes and line ends in `block` from `first` on, a
/// byte at a time.
fn marks_by_byte(block: &[u8], first: usize) -> impl Iterator<Item = usize> + '_ {
    (first..block.len()).filter(|&i| matches!(block[i], b'"' | b'\n'))
}

/// [`marks_by_byte`]'s places, found by search.
fn marks_by_search(block: &[u8], first: usize) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'"', b'\n', &block[first..]).map(move |i| first + i)
}

/// Follows quotes through `marks`, the places of the quotes and line ends
/// in `block` from its first quote on: where the last line end outside
/// quotes is, and whether one comes right after another (an empty line).
fn follow_quotes(
    block: &[u8],
    delimiter: u8,
    mut marks: impl Iterator<Item = usize>,
) -> (Option<usize>, bool) {
    let (mut quoted, mut last, mut empty_line) = (false, None, false);
    while let Some(i) = marks.next() {
        match (block[i], quoted) {
            (b'\n', false) => {
                // Quotes are the only change of state, so the byte before was
                // outside them too (and there is one: marks start at a quote).
                empty_line |= block[i - 1] == b'\n';
                last = Some(i);
            }
            (b'\n', true) => {}
            (_, false) => quoted = starts_field(i.checked_sub(1).map(|b| block[b]), delimiter),
            (_, true) => match block.get(i + 1) {
                // `""` inside quotes is a quote: its second half is passed.
                Some(b'"') => {
                    marks.next();
                }
                Some(_) => quoted = false,
                // It might be the first half of a `""`: the block is cut
                // before it, or read on.
                None => break,
            },
        }
    }
    (last, empty_line)
}

impl BlockSplitter {
    /// The next batch of blocks; empty at the end.
    fn next_batch(&mut self, watch: Option<&Progress>) -> std::io::Result<Vec<Block>> {
        let mut blocks = Vec::with_capacity(self.batch_len);
        while blocks.len() < self.batch_len && !self.done {
            // Sized once: grown by doubling, a block is copied over and
            // over and its pages touched afresh each time. Its bytes past
            // `filled` are a reused buffer's old ones.
            let mut block = self
                .pool
                .take()
                .unwrap_or_else(|| Vec::with_capacity(BLOCK_BYTES + 2 * MIN_READ));
            let mut filled = self.carry.len();
            if block.len() < filled {
                block.resize(filled, 0);
            }
            block[..filled].copy_from_slice(&self.carry);
            self.carry.clear();
            // To the block size, and on to a record's end if one record is
            // longer.
            let (walk, at_end) = loop {
                // Doubling past the block size keeps a long line linear.
                let want = BLOCK_BYTES
                    .saturating_sub(filled)
                    .max(MIN_READ)
                    .max(filled.saturating_sub(BLOCK_BYTES));
                let read = read_more(&mut self.file, &mut block, filled, want)?;
                filled += read;
                if let Some(progress) = watch {
                    progress(read as u64);
                }
                self.left = self.left.map(|n| n.saturating_sub(read as u64));
                // Read on past the block size (the reads double) until a
                // record ends: the scan is repeated, but over doubling
                // lengths.
                let walk = walk_records(&block[..filled], self.delimiter);
                // A block starts where a record starts: with no end in it,
                // it is all one record.
                if walk.cut == Cut::NotYet && filled > self.limit {
                    return Err(LongRecord {
                        line: self.line,
                        limit: self.limit,
                    }
                    .into_io());
                }
                if read < want {
                    break (walk, true);
                }
                // Less than a block left is read into this one, so that the
                // last block holds a whole trailer (a few records at most).
                let small_tail = self.left.is_some_and(|n| n < BLOCK_BYTES as u64);
                if walk.cut != Cut::NotYet && !small_tail {
                    break (walk, false);
                }
            };
            block.truncate(filled);
            if let (Cut::After(end), false) = (&walk.cut, at_end) {
                self.carry.extend_from_slice(&block[end + 1..]);
                block.truncate(end + 1);
            }
            self.done = at_end;
            // Every line end counts, inside quotes too: lines are the file's.
            let lines = memchr::memchr_iter(b'\n', &block).count() as u64;
            blocks.push(Block {
                bytes: block,
                first_line: self.line,
                last: at_end,
                no_empty_lines: walk.no_empty_lines,
            });
            self.line += lines;
        }
        Ok(blocks)
    }
}

/// Files smaller than this are read by one reader. (Tests split every file
/// into tiny blocks, so that every reading test runs both ways.)
#[cfg(not(test))]
const SPLIT_MIN_BYTES: u64 = 16 << 20;
#[cfg(test)]
const SPLIT_MIN_BYTES: u64 = 1;
/// About how much of a file one block holds. Each block in flight holds
/// its bytes, rows and texts until they are copied into place, so smaller
/// blocks touch less fresh memory (dear on a VM); much smaller ones cost
/// more in hand-overs than they save (docs/benchmarks.md).
#[cfg(not(test))]
pub const BLOCK_BYTES: usize = 1 << 20;
#[cfg(test)]
pub const BLOCK_BYTES: usize = 300;
/// The least a block reads at a time, when a line runs past its size.
#[cfg(not(test))]
const MIN_READ: usize = 64 << 10;
#[cfg(test)]
const MIN_READ: usize = 16;

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

/// Puts a space on each empty line after the header, outside quotes. The
/// csv crate skips empty lines without counting them, so every record after
/// one would cite a line too early; a line holding a space is read as a
/// blank record, which `Table::next_raw` skips and the line count keeps.
/// Quotes are followed as the csv crate reads them (see
/// [`walk_records`]): a quote opens a field only as its first byte or
/// right after the quote that closed it (`""`), and is text elsewhere.
struct MarkBlankLines<R> {
    inner: R,
    /// Bytes read from `inner` and not yet handed on.
    buf: Vec<u8>,
    at: usize,
    /// Whether the header's line has ended (blank lines above it are left
    /// to the csv crate, which reads the first line with text as the header).
    past_header: bool,
    /// Whether the last byte was a line end, outside quotes.
    line_start: bool,
    quoted: bool,
    delimiter: u8,
    /// The last byte handed on (none at the start, where a field starts).
    prev: Option<u8>,
    /// Whether that byte was a quote closing a quoted field.
    closed: bool,
    /// The longest record let through, and the bytes of the current one
    /// so far: a record past the limit is an error, not a reason to read
    /// the rest of the file into memory.
    limit: usize,
    run: usize,
    /// Line ends handed on, and how many there were before the current
    /// record began, to name its line.
    lines: u64,
    record_after: u64,
    /// The line of the first record found past the limit.
    too_long_at: Option<u64>,
}

impl<R> MarkBlankLines<R> {
    /// For a whole file, its header first.
    fn new(inner: R, delimiter: u8, limit: usize) -> Self {
        MarkBlankLines {
            inner,
            buf: Vec::new(),
            at: 0,
            past_header: false,
            line_start: true,
            quoted: false,
            delimiter,
            prev: None,
            closed: false,
            limit,
            run: 0,
            lines: 0,
            record_after: 0,
            too_long_at: None,
        }
    }

    /// For a block of records that starts where a record starts.
    fn records(inner: R, delimiter: u8, limit: usize) -> Self {
        MarkBlankLines {
            past_header: true,
            line_start: true,
            ..MarkBlankLines::new(inner, delimiter, limit)
        }
    }

    /// Counts `raw`, outside quotes and holding none, into the records'
    /// lengths: a record ends at each line end.
    fn count_plain(&mut self, raw: &[u8]) {
        let Some(first) = memchr::memchr(b'\n', raw) else {
            self.run += raw.len();
            return self.check_run();
        };
        self.end_record(first, None);
        // A record wholly inside `raw` is no longer than it: only a long
        // chunk needs each of its line ends looked at.
        if raw.len() > self.limit {
            let rest = first + 1;
            let mut from = rest;
            for end in memchr::memchr_iter(b'\n', &raw[rest..]) {
                self.end_record(rest + end, Some(from));
                from = rest + end + 1;
            }
        } else {
            let ends = memchr::memchr_iter(b'\n', &raw[first + 1..]).count() as u64;
            self.lines += ends;
            self.record_after = self.lines;
        }
        self.run = raw.len() - memchr::memrchr(b'\n', raw).map_or(0, |last| last + 1);
        self.check_run();
    }

    /// A record ends at `raw[at]`, the one before it having ended just
    /// before `from` (none: before `raw`).
    fn end_record(&mut self, at: usize, from: Option<usize>) {
        if self.run_to(from, at) > self.limit && self.too_long_at.is_none() {
            self.too_long_at = Some(self.record_after + 1);
        }
        self.lines += 1;
        self.record_after = self.lines;
        self.run = 0;
    }

    /// Whether the record still going on is already past the limit.
    fn check_run(&mut self) {
        if self.run > self.limit && self.too_long_at.is_none() {
            self.too_long_at = Some(self.record_after + 1);
        }
    }

    /// The current record's length once `raw[..to]` is counted, the last
    /// record end in it (if any) just before `from`.
    fn run_to(&self, from: Option<usize>, to: usize) -> usize {
        match from {
            Some(from) => to - from,
            None => self.run + to,
        }
    }

    fn too_long(&self) -> Option<std::io::Error> {
        self.too_long_at.map(|line| {
            LongRecord {
                line,
                limit: self.limit,
            }
            .into_io()
        })
    }
}

impl<R> MarkBlankLines<R> {
    /// Follows `raw` through quotes and line ends. Without `into`, stops
    /// before the first line end that needs a space and says where (the
    /// state is left as it was just before it). With `into`, copies `raw`
    /// there with the spaces put in. Only quotes and line ends change the
    /// state, so the text between them is passed over whole.
    fn scan(&mut self, raw: &[u8], mut into: Option<&mut Vec<u8>>) -> Option<usize> {
        // Past the header and outside quotes, a chunk with no quote and no
        // line end right after another holds no blank line: most chunks, and
        // two passes over them beat stopping at every line end.
        if self.past_header
            && !self.quoted
            && !(self.line_start && raw.first() == Some(&b'\n'))
            && memchr::memchr(b'"', raw).is_none()
            && memchr::memmem::find(raw, b"\n\n").is_none()
        {
            if let Some(&last) = raw.last() {
                self.line_start = last == b'\n';
                (self.prev, self.closed) = (Some(last), false);
            }
            self.count_plain(raw);
            if let Some(buf) = into {
                buf.extend_from_slice(raw);
            }
            return None;
        }
        // `raw[..copied]` is in `into`; `next` is the first byte after the
        // last quote or line end.
        let (mut copied, mut next) = (0, 0);
        // Where the last closing quote in `raw` is.
        let mut closed_at = None;
        // Where the current record began in `raw`, if it began there.
        let mut record_from = None;
        for i in memchr::memchr2_iter(b'"', b'\n', raw) {
            if i > next {
                self.line_start = false;
            }
            next = i + 1;
            if raw[i] == b'"' {
                if self.quoted {
                    self.quoted = false;
                    closed_at = Some(i);
                } else {
                    let (before, reopens) = match i.checked_sub(1) {
                        Some(b) => (Some(raw[b]), closed_at == Some(b)),
                        None => (self.prev, self.closed),
                    };
                    self.quoted = reopens || starts_field(before, self.delimiter);
                }
                self.line_start = false;
                continue;
            }
            if self.quoted {
                self.lines += 1;
                continue;
            }
            if self.line_start && self.past_header {
                let Some(buf) = into.as_deref_mut() else {
                    self.run = self.run_to(record_from, i);
                    self.check_run();
                    return Some(i);
                };
                buf.extend_from_slice(&raw[copied..i]);
                buf.push(b' ');
                copied = i;
            }
            if !self.line_start {
                self.past_header = true;
            }
            self.line_start = true;
            self.end_record(i, record_from);
            record_from = Some(i + 1);
        }
        self.run = self.run_to(record_from, raw.len());
        self.check_run();
        if raw.len() > next {
            self.line_start = false;
        }
        if let Some(&last) = raw.last() {
            self.prev = Some(last);
            self.closed = closed_at == Some(raw.len() - 1);
        }
        if let Some(buf) = into {
            buf.extend_from_slice(&raw[copied..]);
        }
        None
    }
}

impl<R: Read> Read for MarkBlankLines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buf.len() {
            // Straight into `out`, which stands as read up to the first line
            // end that needs a space; the rest waits in `buf`.
            let n = self.inner.read(out)?;
            let Some(i) = self.scan(&out[..n], None) else {
                return self.too_long().map_or(Ok(n), Err);
            };
            let mut rest = std::mem::take(&mut self.buf);
            rest.clear();
            self.scan(&out[i..n], Some(&mut rest));
            if let Some(e) = self.too_long() {
                return Err(e);
            }
            self.buf = rest;
            self.at = 0;
            if i > 0 {
                return Ok(i);
            }
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A block's bytes as UTF-8, for a file in `encoding` (none: passed
/// through, as the whole file's decoder passes UTF-8). The raw bytes are
/// let go as soon as they are decoded.
fn decoded(bytes: Vec<u8>, encoding: Option<&'static encoding_rs::Encoding>) -> Vec<u8> {
    let Some(encoding) = encoding else {
        return bytes;
    };
    let changed = match encoding.decode_without_bom_handling(&bytes).0 {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(text) => Some(text.into_bytes()),
    };
    changed.unwrap_or(bytes)
}

/// The csv reader every table reads through, over a whole file (`header`)
/// or over a block of its records. `\n` alone ends a record: with the
/// default CRLF terminator the csv crate reports the previous line for every
/// record after a CRLF (BurntSushi/rust-csv#395), and evidence must cite the
/// right line. The `\r` a Windows file leaves in its last field is trimmed
/// off with the rest of the field's spaces. Empty lines are marked so that
/// they are counted too.
fn csv_reader(
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
fn reader_of(
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

/// `watch`, told only of bytes it has not been told of: the header was read
/// (and counted) through a buffer that read on past it, and the blocks are
/// read again from the header's end.
fn already_counted(watch: &Progress, read: &SharedDigest, header_end: u64) -> Progress {
    use std::sync::atomic::{AtomicU64, Ordering};
    let credit = AtomicU64::new(read.bytes_read().saturating_sub(header_end));
    let watch = watch.clone();
    std::sync::Arc::new(move |n: u64| {
        let owed = credit.load(Ordering::Relaxed);
        let skipped = owed.min(n);
        credit.store(owed - skipped, Ordering::Relaxed);
        if n > skipped {
            watch(n - skipped);
        }
    })
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

    /// Where the records after the header start in the file itself: past
    /// `skip` lines of preamble and the header, in the file's own bytes
    /// (the reader counted the header's bytes as decoded). `None` where a
    /// block could not be read as the whole file is.
    fn split_point(
        &self,
        path: &Path,
        skip: usize,
        decode: Option<&'static encoding_rs::Encoding>,
        trailer_rows: usize,
        limit: usize,
    ) -> Option<SplitPoint> {
        let mut file = BufReader::new(File::open(path).ok()?);
        // A UTF-8 byte-order mark (as Excel's "CSV UTF-8" writes) is dropped,
        // and the decoder then reads UTF-8, invalid bytes becoming U+FFFD,
        // unless the profile names an encoding; each block is decoded so
        // too. UTF-16 is read in one piece.
        let mut byte = 0;
        let decode = match file.fill_buf().ok()? {
            [0xEF, 0xBB, 0xBF, ..] => {
                file.consume(3);
                byte = 3;
                decode.or(Some(encoding_rs::UTF_8))
            }
            [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => return None,
            _ => decode,
        };
        // A line end is the byte `\n` in UTF-8 and Windows-1252 alike, so
        // the preamble's lines are found in the file as the decoder found
        // them.
        byte += skip_lines(&mut file, skip, limit).ok()?;
        let at = self.source.reader.position();
        byte += match decode {
            None => at.byte(),
            // Valid UTF-8 decodes to itself; a header that did not is read
            // in one piece.
            Some(encoding) if encoding == encoding_rs::UTF_8 => {
                let mut header = Vec::new();
                (&mut file).take(at.byte()).read_to_end(&mut header).ok()?;
                std::str::from_utf8(&header).ok()?;
                at.byte()
            }
            Some(encoding) => {
                // As many of the file's bytes as decode to the header's
                // length: one each, and one character each.
                let mut decoded = 0;
                let mut raw = 0;
                let mut one = [0u8; 1];
                while decoded < at.byte() {
                    file.read_exact(&mut one).ok()?;
                    let (text, _) = encoding.decode_without_bom_handling(&one);
                    decoded += text.len() as u64;
                    raw += 1;
                }
                if decoded != at.byte() {
                    return None;
                }
                raw
            }
        };
        Some(SplitPoint {
            path: path.to_path_buf(),
            byte,
            line: skip as u64 + at.line(),
            decode,
            trailer_rows,
            limit,
        })
    }

    /// What a table over one block of this file needs to know of it.
    fn shape(&self) -> BlockShape {
        BlockShape {
            name: self.name.clone(),
            delimiter: self.source.delimiter,
            mapping: self.source.mapping.clone(),
            positions: self.positions.clone(),
            labels: self.labels.clone(),
            width: self.width,
            header_names: self.header_names.clone(),
        }
    }

    /// Reads a large file's records in blocks split at line ends, a batch
    /// of blocks at a time in parallel, each by `parse` on a table of its
    /// own; `take` gets each block's result in file order. Blocks end where
    /// a record ends, quoted fields followed across lines.
    /// Returns `false` where the file cannot be read in blocks: before
    /// reading anything, or, having read it, where its last block holds
    /// fewer records than the trailer to drop (what was taken must then be
    /// dropped too). `self` is left unread, for reading again in one piece,
    /// but holds the file's [`Table::digest`] once every byte was read.
    pub fn read_blocks<T: Send>(
        &mut self,
        watch: Option<&Progress>,
        errors_like: &InputErrors,
        parse: impl Fn(&mut Table, &mut InputErrors) -> T + Sync,
        mut take: impl FnMut(T, &Table, InputErrors) + Send,
    ) -> std::io::Result<bool> {
        use rayon::prelude::*;
        let Some(split) = self.split.clone() else {
            return Ok(false);
        };
        if rayon::current_num_threads() < 2 {
            return Ok(false);
        }
        let shape = self.shape();
        // Hashed from its first byte as it is read: the header and any
        // preamble first.
        let mut file = Hashing::new(File::open(&split.path)?);
        std::io::copy(&mut (&mut file).take(split.byte), &mut std::io::sink())?;
        let mut splitter = BlockSplitter {
            file,
            pool: BufferPool::default(),
            delimiter: self.source.delimiter,
            carry: Vec::new(),
            line: split.line,
            limit: split.limit,
            left: self.size.map(|n| n.saturating_sub(split.byte)),
            done: false,
            // Four blocks a thread: fewer left cores idle at a batch's end,
            // and more gained nothing (docs/benchmarks.md).
            batch_len: (4 * rayon::current_num_threads()).max(8),
        };
        let pool = splitter.pool.clone();
        let mut whole_trailer = true;
        let mut take_all = |parsed: &mut Vec<(T, Table, InputErrors)>| {
            for (out, table, errors) in parsed.drain(..) {
                // The last block's table holds back the trailer it dropped.
                whole_trailer &= table.source.held.len() == table.source.trailer_rows;
                take(out, &table, errors);
            }
        };
        // Each batch is parsed while the last one's results are taken (they
        // are copied into place, which would otherwise leave cores idle) and
        // the next is read.
        let watch = watch.map(|w| already_counted(w, &self.read_digest, split.byte));
        let watch = watch.as_ref();
        let mut batch = splitter.next_batch(watch)?;
        let mut parsed: Vec<(T, Table, InputErrors)> = Vec::new();
        while !batch.is_empty() {
            let (results, next) = rayon::join(
                || {
                    batch
                        .into_par_iter()
                        .map(|block| {
                            let bytes = pool.lend(decoded(block.bytes, split.decode));
                            let trailer = if block.last { split.trailer_rows } else { 0 };
                            let mut table =
                                shape.table(bytes, block.first_line, trailer, block.no_empty_lines);
                            let mut errors = errors_like.fresh();
                            let out = parse(&mut table, &mut errors);
                            (out, table, errors)
                        })
                        .collect::<Vec<_>>()
                },
                || {
                    take_all(&mut parsed);
                    splitter.next_batch(watch)
                },
            );
            parsed = results;
            batch = next?;
        }
        take_all(&mut parsed);
        self.blocks_digest = splitter.file.whole(self.size);
        Ok(whole_trailer)
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
        let header_line = Some(1 + line_offset);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                let err = read_error(&e, name, line_offset, "cannot read the header");
                errors.push(InputError {
                    line: err.line.or(header_line),
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
        if let Some(problem) = header_problem(&header, &names, profile.is_some()) {
            errors.push(InputError {
                file: name.to_string(),
                line: header_line,
                column: None,
                message: problem,
            });
            return None;
        }
        let mapping = match profile {
            Some(fp) => match Mapping::new(name, fp, columns, names.clone()) {
                Ok(m) => Some(m),
                Err(problems) => {
                    for message in problems {
                        errors.push(InputError {
                            file: name.to_string(),
                            line: header_line,
                            column: None,
                            message: message.to_string(),
                        });
                    }
                    return None;
                }
            },
            None => None,
        };
        let (positions, labels): (Vec<Option<usize>>, Vec<Label>) = match &mapping {
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
        };
        let missing: Vec<&str> = columns
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_none())
            .map(|(c, _)| c.name)
            .collect();
        for m in &missing {
            errors.push(InputError {
                file: name.to_string(),
                line: header_line,
                column: None,
                message: if mapping.is_some() {
                    format!(
                        "missing required column `{m}`: the profile maps no column to it (the header has: {})",
                        names.join(", ")
                    )
                } else {
                    format!("missing required column `{m}` (the header has: {})", names.join(", "))
                },
            });
        }
        if !missing.is_empty() {
            return None;
        }
        let used: Vec<usize> = match &mapping {
            None => positions.iter().flatten().copied().collect(),
            Some(m) => m.used_columns(),
        };
        let unknown_columns: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(i, n)| !used.contains(i) && !columns.iter().any(|c| c.name == n.as_str()))
            .map(|(_, n)| n.clone())
            .collect();
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
            header_line: 1 + line_offset,
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
                    src.held.push_back((src.raw.clone(), line));
                    if src.held.len() > src.trailer_rows {
                        let (raw, line) = src.held.pop_front()?;
                        src.raw = raw;
                        return Some(line);
                    }
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
                errors.push_row(err, || record_text(raw, delimiter));
                continue;
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
                let err = InputError {
                    file: self.name.clone(),
                    line: Some(line),
                    column: Some(column),
                    message,
                };
                errors.push_row(err, || record_text(raw, delimiter));
                continue;
            }
            let Some(m) = &self.source.mapping else {
                std::mem::swap(rec, &mut self.source.raw);
                return Some(line);
            };
            match m.apply(raw, line, rec, &mut self.source.scratch) {
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
                    errors.row_money(&self.name, line, m.money_of(rec));
                }
            }
        }
    }

    /// A view of one record for typed field access.
    pub fn row<'a>(
        &'a self,
        rec: &'a ByteRecord,
        line: u64,
        errors: &'a mut InputErrors,
    ) -> Row<'a> {
        Row {
            table: self,
            rec,
            utf8: std::str::from_utf8(rec.as_slice()).ok(),
            line,
            errors,
            failed: false,
        }
    }
}

/// One record being read. Each accessor records an error on bad input and
/// returns `None`; [`Row::ok`] says whether the whole row was good.
pub struct Row<'a> {
    table: &'a Table,
    rec: &'a ByteRecord,
    /// The record's fields end to end, when they are valid UTF-8 (nearly
    /// always): checked once, so that a text field is a slice of it rather
    /// than checked again on its own.
    utf8: Option<&'a str>,
    pub line: u64,
    errors: &'a mut InputErrors,
    failed: bool,
}

impl<'a> Row<'a> {
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// The row as it was in the file (before any profile mapped it).
    fn original(&self) -> String {
        let table = self.table;
        let raw = if table.source.mapping.is_some() {
            &table.source.current
        } else {
            self.rec
        };
        record_text(raw, table.source.delimiter)
    }

    /// Records a problem with column `col` of this row.
    pub fn fail(&mut self, col: usize, message: String) {
        self.failed = true;
        // Without a profile: the contract's column; with one: the source column.
        let error = InputError {
            file: self.table.name.clone(),
            line: Some(self.line),
            column: self.table.labels[col].clone(),
            message,
        };
        let original = self.original();
        self.errors.push_row(error, || original);
    }

    /// Marks the row unusable without a message of its own, where the cause
    /// has already been reported (a reference to a rejected account row).
    pub fn fail_quietly(&mut self, col: usize, reason: String) {
        self.failed = true;
        let column = self.table.labels[col].clone();
        let original = self.original();
        let name = self.table.name.clone();
        self.errors
            .push_row_quietly(&name, self.line, column, reason, || original);
    }

    /// Records the money on a row that turned out bad, where it was read.
    pub fn note_money(&mut self, money: Option<Decimal>) {
        if !self.failed {
            return;
        }
        let name = self.table.name.clone();
        self.errors.row_money(&name, self.line, money);
    }

    /// Where column `col` lies in the record's bytes, if the file has it.
    fn range(&self, col: usize) -> Option<std::ops::Range<usize>> {
        self.table.positions[col].and_then(|p| self.rec.range(p))
    }

    /// The raw, trimmed bytes of a column; empty if the file lacks it.
    pub fn raw(&self, col: usize) -> &'a [u8] {
        let rec: &'a ByteRecord = self.rec;
        self.range(col)
            .and_then(|r| rec.as_slice().get(r))
            .map_or(&[][..], parse::trim)
    }

    pub fn is_blank(&self, col: usize) -> bool {
        self.raw(col).is_empty()
    }

    fn parsed<T>(&mut self, col: usize, f: impl FnOnce(&[u8]) -> Result<T, String>) -> Option<T> {
        match f(self.raw(col)) {
            Ok(v) => Some(v),
            Err(m) => {
                self.fail(col, m);
                None
            }
        }
    }

    /// Text, which may be empty.
    pub fn text(&mut self, col: usize) -> Option<&'a str> {
        if let Some(field) = self.range(col).and_then(|r| self.utf8?.get(r)) {
            return Some(field.trim_ascii());
        }
        let raw = self.raw(col);
        match std::str::from_utf8(raw) {
            Ok(s) => Some(s),
            Err(_) => {
                let shown = parse::shown(raw);
                self.fail(
                    col,
                    format!("{shown} is not valid UTF-8 (a Windows-1252 export needs a mapping profile)"),
                );
                None
            }
        }
    }

    /// Text that must not be empty.
    pub fn id(&mut self, col: usize) -> Option<&'a str> {
        match self.text(col) {
            Some("") => {
                self.fail(col, "expected a value, found an empty field".to_string());
                None
            }
            other => other,
        }
    }

    /// Text, `None` when empty.
    pub fn opt_text(&mut self, col: usize) -> Option<Option<Text>> {
        self.text(col)
            .map(|s| (!s.is_empty()).then(|| Text::from(s)))
    }

    pub fn date(&mut self, col: usize) -> Option<NaiveDate> {
        self.parsed(col, parse::date)
    }

    /// `Some(None)` for a blank field, else what `read` makes of it.
    fn unless_blank<T>(
        &mut self,
        col: usize,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.is_blank(col) {
            return Some(None);
        }
        read(self).map(Some)
    }

    pub fn opt_date(&mut self, col: usize) -> Option<Option<NaiveDate>> {
        self.unless_blank(col, |r| r.date(col))
    }

    pub fn money(&mut self, col: usize) -> Option<Decimal> {
        self.parsed(col, parse::money)
    }

    /// `amount` as a row holds it. Amounts read here always fit (17 digits,
    /// 2 places), so the error is for a sum no reader should have made.
    pub fn held(&mut self, col: usize, amount: Option<Decimal>) -> Option<Amount> {
        let amount = amount?;
        let held = Amount::new(amount);
        if held.is_none() {
            self.fail(col, format!("{amount} is too large for an amount"));
        }
        held
    }

    /// Money that may be left empty (read as "no amount", never as a bad value).
    pub fn opt_money(&mut self, col: usize) -> Option<Option<Decimal>> {
        self.unless_blank(col, |r| r.money(col))
    }

    pub fn flag(&mut self, col: usize) -> Option<bool> {
        self.parsed(col, parse::flag)
    }

    pub fn word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<T> {
        self.parsed(col, |b| parse::word(b, from_word, expected))
    }

    pub fn opt_word<T>(
        &mut self,
        col: usize,
        from_word: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<Option<T>> {
        self.unless_blank(col, |r| r.word(col, from_word, expected))
    }
}

#[cfg(test)]
mod tests {
    use super::MarkBlankLines;
    use proptest::prelude::*;
    use std::io::Read;

    #[test]
    fn blocks_read_again_after_the_header_are_not_counted_twice() {
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::Arc;
        let told = Arc::new(AtomicU64::new(0));
        let sink = told.clone();
        let watch: crate::input::Progress = Arc::new(move |n| {
            sink.fetch_add(n, Ordering::Relaxed);
        });
        // A 1,000-byte file: the header (40 bytes) was read through a
        // buffer that took 300 bytes, all counted then.
        let read = crate::input::digest::SharedDigest::default();
        let mut first = read.reader(&[0u8; 300][..]);
        std::io::copy(&mut first, &mut std::io::sink()).expect("read");
        watch(300);
        let blocks = super::already_counted(&watch, &read, 40);
        for n in [200, 400, 360] {
            blocks(n);
        }
        assert_eq!(told.load(Ordering::Relaxed), 1_000);
    }

    /// The rule written plainly, a byte at a time: a space on each empty
    /// line after the first line with text, outside quotes, a quote opening
    /// a field only as its first byte or right after a closing quote.
    fn marked(raw: &[u8], records: bool) -> Vec<u8> {
        let (mut past_header, mut line_start, mut quoted) = (records, true, false);
        let (mut prev, mut closed): (Option<u8>, bool) = (None, false);
        let mut out = Vec::new();
        for &b in raw {
            let closing = b == b'"' && quoted;
            match b {
                b'"' if quoted => quoted = false,
                b'"' => quoted = closed || prev.is_none_or(|p| p == b',' || p == b'\n'),
                b'\n' if !quoted => {
                    if line_start && past_header {
                        out.push(b' ');
                    }
                    past_header |= !line_start;
                }
                _ => {}
            }
            line_start = b == b'\n' && !quoted;
            (prev, closed) = (Some(b), closing);
            out.push(b);
        }
        out
    }

    #[test]
    fn a_quote_inside_a_field_is_text_and_a_blank_line_after_it_is_marked() {
        let mut reader =
            MarkBlankLines::records(&b"a,O\"BRIEN\n\nb,\"x\n\ny\"\n"[..], b',', usize::MAX);
        let mut got = Vec::new();
        reader.read_to_end(&mut got).expect("read");
        // The first blank line is marked (the quote in O"BRIEN opens
        // nothing); the one inside the quoted field is left alone.
        assert_eq!(got, b"a,O\"BRIEN\n \nb,\"x\n\ny\"\n");
    }

    /// Reads `raw` whole through the marking reader with `limit`, in
    /// pieces of `size`: the text, or the line of the record too long.
    fn read_limited(raw: &[u8], limit: usize, size: usize) -> Result<Vec<u8>, u64> {
        let pieces = Pieces {
            raw,
            sizes: vec![size],
            turn: 0,
        };
        let mut reader = MarkBlankLines::new(pieces, b',', limit);
        let mut got = Vec::new();
        let mut chunk = vec![0u8; 64];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => return Ok(got),
                Ok(n) => got.extend_from_slice(&chunk[..n]),
                Err(e) => return Err(super::LongRecord::of(&e).expect("a long record").line),
            }
        }
    }

    #[test]
    fn a_record_past_the_limit_is_named_by_the_line_it_began() {
        let long = format!("h,i\na,b\n\nc,{}\nd,e\n", "x".repeat(40));
        assert_eq!(read_limited(long.as_bytes(), 20, 7), Err(4));
        assert!(read_limited(long.as_bytes(), 50, 7).is_ok());
        // No line end at all: the header itself.
        assert_eq!(read_limited(&[b'z'; 100], 20, 9), Err(1));
        // A quote left open runs the record on over its line ends.
        let open = b"h,i\na,\"b\nc,d\ne,f\ng,h\ni,j\n";
        assert_eq!(read_limited(open, 12, 5), Err(2));
        assert!(read_limited(open, 40, 5).is_ok());
    }

    proptest! {
        #[test]
        fn without_quotes_the_longest_line_decides(
            lines in proptest::collection::vec(0usize..30, 1..12),
            limit in 1usize..30,
            size in 1usize..80,
        ) {
            let raw: Vec<u8> = lines.iter().flat_map(|&n| {
                std::iter::repeat_n(b'a', n).chain(std::iter::once(b'\n'))
            }).collect();
            let first_long = lines.iter().position(|&n| n > limit).map(|i| i as u64 + 1);
            match read_limited(&raw, limit, size) {
                Ok(_) => prop_assert_eq!(first_long, None),
                Err(line) => prop_assert_eq!(Some(line), first_long),
            }
        }
    }

    /// Hands out `raw` in pieces of the given sizes.
    struct Pieces<'a> {
        raw: &'a [u8],
        sizes: Vec<usize>,
        turn: usize,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let size = self.sizes[self.turn % self.sizes.len()];
            self.turn += 1;
            let n = size.min(out.len()).min(self.raw.len());
            out[..n].copy_from_slice(&self.raw[..n]);
            self.raw = &self.raw[n..];
            Ok(n)
        }
    }

    proptest! {
        #[test]
        fn blank_lines_are_marked_whatever_the_pieces(
            raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r')], 0..300),
            sizes in proptest::collection::vec(1usize..40, 1..5),
            out_size in 1usize..50,
            records in any::<bool>(),
        ) {
            let pieces = Pieces { raw: &raw, sizes, turn: 0 };
            let mut reader = if records {
                MarkBlankLines::records(pieces, b',', usize::MAX)
            } else {
                MarkBlankLines::new(pieces, b',', usize::MAX)
            };
            let mut got = Vec::new();
            let mut chunk = vec![0u8; out_size];
            loop {
                let n = reader.read(&mut chunk).expect("read");
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&chunk[..n]);
            }
            prop_assert_eq!(got, marked(&raw, records));
        }
    }
}

#[cfg(test)]
mod split_tests {
    use std::io::Read;

    use super::{follow_quotes, marks_by_byte, marks_by_search, walk_records, Cut, MarkBlankLines};
    use proptest::prelude::*;

    fn last_record_end(block: &[u8], delimiter: u8) -> Cut {
        walk_records(block, delimiter).cut
    }

    /// `raw` as the reader of a block of records hands it to the csv crate,
    /// a space on each empty line.
    fn marked(raw: &[u8]) -> Vec<u8> {
        let mut got = Vec::new();
        MarkBlankLines::records(raw, b',', usize::MAX)
            .read_to_end(&mut got)
            .expect("read");
        got
    }

    /// Records as the csv crate reads them, as the readers configure it.
    fn records(raw: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(raw);
        reader
            .byte_records()
            .map(|r| r.map(|r| r.iter().map(<[u8]>::to_vec).collect()))
            .collect::<Result<_, _>>()
            .unwrap_or_default()
    }

    proptest! {
        /// Every line end taken as a record's end is one to the csv crate:
        /// reading the two sides apart gives the records read whole.
        #[test]
        fn a_cut_splits_records_as_the_csv_crate_reads_them(
            raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"')], 0..80),
        ) {
            for end in memchr::memchr_iter(b'\n', &raw) {
                if last_record_end(&raw[..=end], b',') == Cut::After(end) {
                    let mut apart = records(&raw[..=end]);
                    apart.extend(records(&raw[end + 1..]));
                    prop_assert_eq!(apart, records(&raw), "cut after {}", end);
                }
            }
        }
    }

    proptest! {
        /// A block whose quotes were walked says whether it holds an empty
        /// line exactly as the marking would find one; one with no quote is
        /// left to the marking.
        #[test]
        fn a_walked_block_knows_its_empty_lines_as_the_marking_does(
            raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r')], 0..120),
        ) {
            let walk = walk_records(&raw, b',');
            if raw.contains(&b'"') {
                prop_assert_eq!(walk.no_empty_lines, marked(&raw) == raw);
            } else {
                prop_assert!(!walk.no_empty_lines);
            }
        }
    }

    proptest! {
        /// Quotes are followed byte by byte where they are many and by
        /// search where they are few, to the same end.
        #[test]
        fn quotes_are_followed_alike_by_byte_and_by_search(
            raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r')], 0..120),
        ) {
            if let Some(first) = memchr::memchr(b'"', &raw) {
                prop_assert_eq!(
                    follow_quotes(&raw, b',', marks_by_byte(&raw, first)),
                    follow_quotes(&raw, b',', marks_by_search(&raw, first))
                );
            }
        }
    }

    #[test]
    fn empty_lines_outside_quotes_are_seen_where_quotes_are_walked() {
        let no_empty_lines = |block: &str| walk_records(block.as_bytes(), b',').no_empty_lines;
        assert!(no_empty_lines("\"a\",\"b\"\n\"c\",\"d\"\n"));
        assert!(no_empty_lines("\"a\n\nb\"\n"));
        assert!(!no_empty_lines("\"a\"\n\n\"b\"\n"));
        assert!(!no_empty_lines("\n\"a\"\n"));
        assert!(!no_empty_lines("a\n\nb,\"c\"\n"));
        assert!(!no_empty_lines("a,O\"BRIEN\n\nb\n"));
        // Not walked: the reader marks them.
        assert!(!no_empty_lines("a,b\nc,d\n"));
    }

    #[test]
    fn a_block_is_cut_only_where_a_record_ends() {
        let cut = |block: &str| last_record_end(block.as_bytes(), b',');
        assert_eq!(cut("a,b\nc,d\ne"), Cut::After(7));
        assert_eq!(cut("a,b"), Cut::NotYet);
        // A line end inside quotes ends nothing; `""` is a quote inside them.
        assert_eq!(cut("a,\"b\nc\"\nd,\"e\nf"), Cut::After(7));
        assert_eq!(cut("a,\"b\"\"\nc\"\nd"), Cut::After(9));
        assert_eq!(cut("\"a\nb"), Cut::NotYet);
        // A closing quote as the block's last byte may be half of a `""`.
        assert_eq!(cut("x\n\"a\nb\""), Cut::After(1));
        // Text after a closing quote is text; a quote inside it is text too.
        assert_eq!(cut("\"a\"b,c\nd"), Cut::After(6));
        assert_eq!(cut("a\nb 5\" tap\nc"), Cut::After(10));
        assert_eq!(cut("\"a\"b\"\nc"), Cut::After(5));
        assert_eq!(cut("a,O\"BRIEN\nb"), Cut::After(9));
    }
}

#[cfg(test)]
mod lookalike_tests {
    use super::resembles;

    #[test]
    fn columns_named_nearly_as_the_contract_names_them_are_found() {
        for (column, contract) in [
            ("Ref", "reference"),
            ("Payment Reference", "reference"),
            ("Narrative", "reference"),
            ("Refrence", "reference"),
            ("Counterparty", "payer"),
            ("Payer Name", "payer"),
            ("Is Vulnerable", "vulnerable"),
            ("Vulnerability", "vulnerable"),
            ("Complaint", "open_dispute"),
            ("Claim Pending", "benefit_claim_pending"),
            ("Name", "tenant_name"),
        ] {
            assert!(resembles(column, contract), "{column} ~ {contract}");
        }
        for (column, contract) in [
            ("Notes", "reference"),
            ("Balance", "amount"),
            ("Id", "payer"),
        ] {
            assert!(!resembles(column, contract), "{column} !~ {contract}");
        }
    }
}
