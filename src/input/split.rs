//! Cutting a large file into blocks that end where a record ends (quoted
//! fields followed across lines) and reading the blocks in parallel, each
//! by a table of its own.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use csv::ByteRecord;

use super::digest::{Hashing, SharedDigest};
use super::error::InputErrors;
use super::limit::{skip_lines, LongRecord};
use super::mapping::{Mapping, Scratch};
use super::table::{csv_reader, reader_of, Label, Source, Table};
use super::Progress;

/// The first record after the header: the file's byte offset and line,
/// and what reading a block needs that the file's bytes do not say.
#[derive(Clone, Debug)]
pub(super) struct SplitPoint {
    pub(super) path: std::path::PathBuf,
    pub(super) byte: u64,
    pub(super) line: u64,
    /// How each block is decoded on its own, where the whole file's bytes
    /// are not passed through: a single-byte encoding, or UTF-8 after a
    /// byte-order mark (invalid bytes replaced). Blocks end after a line
    /// end, so no character is cut.
    pub(super) decode: Option<&'static encoding_rs::Encoding>,
    /// Records at the end to drop (a profile's trailer): the last block's.
    pub(super) trailer_rows: usize,
    /// The longest record a block may grow to hold.
    pub(super) limit: usize,
}

/// A file's header as matched, for the tables over its blocks.
pub(super) struct BlockShape {
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
pub(super) struct Block {
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
pub(super) struct BufferPool(Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

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
pub(super) struct Lent {
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
pub(super) fn read_more(
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
pub(super) struct BlockSplitter {
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
pub(super) enum Cut {
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
pub(super) fn starts_field(before: Option<u8>, delimiter: u8) -> bool {
    before.is_none_or(|b| b == delimiter || b == b'\n')
}

/// What a walk through a block's quotes and line ends found.
pub(super) struct Walk {
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
pub(super) fn walk_records(block: &[u8], delimiter: u8) -> Walk {
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
    // than a search for each (which dominated reading a quoted file);
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
pub(super) fn marks_by_byte(block: &[u8], first: usize) -> impl Iterator<Item = usize> + '_ {
    (first..block.len()).filter(|&i| matches!(block[i], b'"' | b'\n'))
}

/// [`marks_by_byte`]'s places, found by search.
pub(super) fn marks_by_search(block: &[u8], first: usize) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'"', b'\n', &block[first..]).map(move |i| first + i)
}

/// Follows quotes through `marks`, the places of the quotes and line ends
/// in `block` from its first quote on: where the last line end outside
/// quotes is, and whether one comes right after another (an empty line).
pub(super) fn follow_quotes(
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
            blocks.push(self.next_block(watch)?);
        }
        Ok(blocks)
    }

    /// The next block: what the last one read past its end, then the file
    /// to the block size, and on to a record's end if one record is longer.
    fn next_block(&mut self, watch: Option<&Progress>) -> std::io::Result<Block> {
        let (mut block, mut filled) = self.start_block();
        let (walk, at_end) = self.fill_to_record_end(&mut block, &mut filled, watch)?;
        block.truncate(filled);
        if let (Cut::After(end), false) = (&walk.cut, at_end) {
            self.carry.extend_from_slice(&block[end + 1..]);
            block.truncate(end + 1);
        }
        self.done = at_end;
        // Every line end counts, inside quotes too: lines are the file's.
        let lines = memchr::memchr_iter(b'\n', &block).count() as u64;
        let first_line = self.line;
        self.line += lines;
        Ok(Block {
            bytes: block,
            first_line,
            last: at_end,
            no_empty_lines: walk.no_empty_lines,
        })
    }

    /// A buffer holding what the last block carried over, and how many
    /// bytes of it are filled.
    fn start_block(&mut self) -> (Vec<u8>, usize) {
        // Sized once: grown by doubling, a block is copied over and over
        // and its pages touched afresh each time. Its bytes past `filled`
        // are a reused buffer's old ones.
        let mut block = self
            .pool
            .take()
            .unwrap_or_else(|| Vec::with_capacity(BLOCK_BYTES + 2 * MIN_READ));
        let filled = self.carry.len();
        if block.len() < filled {
            block.resize(filled, 0);
        }
        block[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        (block, filled)
    }

    /// Reads into `block` to the block size and on until a record ends
    /// in it; the walk of its records, and whether the file ended.
    fn fill_to_record_end(
        &mut self,
        block: &mut Vec<u8>,
        filled: &mut usize,
        watch: Option<&Progress>,
    ) -> std::io::Result<(Walk, bool)> {
        loop {
            // Doubling past the block size keeps a long line linear.
            let want = BLOCK_BYTES
                .saturating_sub(*filled)
                .max(MIN_READ)
                .max(filled.saturating_sub(BLOCK_BYTES));
            let read = read_more(&mut self.file, block, *filled, want)?;
            *filled += read;
            if let Some(progress) = watch {
                progress(read as u64);
            }
            self.left = self.left.map(|n| n.saturating_sub(read as u64));
            // Read on past the block size (the reads double) until a record
            // ends: the scan is repeated, but over doubling lengths.
            let walk = walk_records(&block[..*filled], self.delimiter);
            // A block starts where a record starts: with no end in it, it
            // is all one record.
            if walk.cut == Cut::NotYet && *filled > self.limit {
                return Err(LongRecord {
                    line: self.line,
                    limit: self.limit,
                }
                .into_io());
            }
            if read < want {
                return Ok((walk, true));
            }
            // Less than a block left is read into this one, so that the
            // last block holds a whole trailer (a few records at most).
            let small_tail = self.left.is_some_and(|n| n < BLOCK_BYTES as u64);
            if walk.cut != Cut::NotYet && !small_tail {
                return Ok((walk, false));
            }
        }
    }
}

/// Files smaller than this are read by one reader. (Tests split every file
/// into tiny blocks, so that every reading test runs both ways.)
#[cfg(not(test))]
pub(super) const SPLIT_MIN_BYTES: u64 = 16 << 20;
#[cfg(test)]
pub(super) const SPLIT_MIN_BYTES: u64 = 1;
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
pub(super) const MIN_READ: usize = 64 << 10;
#[cfg(test)]
pub(super) const MIN_READ: usize = 16;

/// A block's bytes as UTF-8, for a file in `encoding` (none: passed
/// through, as the whole file's decoder passes UTF-8). The raw bytes are
/// let go as soon as they are decoded.
pub(super) fn decoded(bytes: Vec<u8>, encoding: Option<&'static encoding_rs::Encoding>) -> Vec<u8> {
    let Some(encoding) = encoding else {
        return bytes;
    };
    let changed = match encoding.decode_without_bom_handling(&bytes).0 {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(text) => Some(text.into_bytes()),
    };
    changed.unwrap_or(bytes)
}

/// `watch`, told only of bytes it has not been told of: the header was read
/// (and counted) through a buffer that read on past it, and the blocks are
/// read again from the header's end.
pub(super) fn already_counted(watch: &Progress, read: &SharedDigest, header_end: u64) -> Progress {
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

impl Table {
    /// Where the records after the header start in the file itself: past
    /// `skip` lines of preamble and the header, in the file's own bytes
    /// (the reader counted the header's bytes as decoded). `None` where a
    /// block could not be read as the whole file is.
    pub(super) fn split_point(
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
        let mut splitter = BlockSplitter::open(&split, self.source.delimiter, self.size)?;
        let reading = BlockReading {
            shape,
            pool: splitter.pool.clone(),
            split: &split,
            errors_like,
        };
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
                    (batch.into_par_iter())
                        .map(|block| reading.parse(block, &parse))
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
}

/// How each block of a file becomes a table of its own and is parsed.
struct BlockReading<'a> {
    shape: BlockShape,
    /// Where a block's buffer goes back once its table is done with it.
    pool: BufferPool,
    split: &'a SplitPoint,
    errors_like: &'a InputErrors,
}

impl BlockReading<'_> {
    /// `block` decoded, on a table of its own, parsed by `parse`.
    fn parse<T>(
        &self,
        block: Block,
        parse: &impl Fn(&mut Table, &mut InputErrors) -> T,
    ) -> (T, Table, InputErrors) {
        let bytes = self.pool.lend(decoded(block.bytes, self.split.decode));
        let trailer = if block.last {
            self.split.trailer_rows
        } else {
            0
        };
        let mut table = (self.shape).table(bytes, block.first_line, trailer, block.no_empty_lines);
        let mut errors = self.errors_like.fresh();
        let out = parse(&mut table, &mut errors);
        (out, table, errors)
    }
}

impl BlockSplitter {
    /// A splitter over the file at `split`, past its header and any
    /// preamble (hashed from the file's first byte as they are read).
    fn open(split: &SplitPoint, delimiter: u8, size: Option<u64>) -> std::io::Result<Self> {
        let mut file = Hashing::new(File::open(&split.path)?);
        std::io::copy(&mut (&mut file).take(split.byte), &mut std::io::sink())?;
        Ok(BlockSplitter {
            file,
            pool: BufferPool::default(),
            delimiter,
            carry: Vec::new(),
            line: split.line,
            limit: split.limit,
            left: size.map(|n| n.saturating_sub(split.byte)),
            done: false,
            // Four blocks a thread: fewer left cores idle at a batch's end,
            // and more gained nothing (docs/benchmarks.md).
            batch_len: (4 * rayon::current_num_threads()).max(8),
        })
    }
}

#[cfg(test)]
mod tests;
