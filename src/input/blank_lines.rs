//! Marking empty lines so that the csv crate counts them, and stopping a
//! record that runs past the length limit, while bytes stream through.

use std::io::Read;

use super::limit::LongRecord;
use super::split::starts_field;

/// Puts a space on each empty line after the header, outside quotes. The
/// csv crate skips empty lines without counting them, so every record after
/// one would cite a line too early; a line holding a space is read as a
/// blank record, which `Table::next_raw` skips and the line count keeps.
/// Quotes are followed as the csv crate reads them (see
/// [`walk_records`]): a quote opens a field only as its first byte or
/// right after the quote that closed it (`""`), and is text elsewhere.
pub(super) struct MarkBlankLines<R> {
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
    pub(super) fn new(inner: R, delimiter: u8, limit: usize) -> Self {
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
    pub(super) fn records(inner: R, delimiter: u8, limit: usize) -> Self {
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
    /// Passes `raw` whole (into `into`, if given) where it cannot hold a
    /// blank line: past the header and outside quotes, a chunk with no quote
    /// and no line end right after another. That is most chunks, and two
    /// passes over them beat stopping at every line end.
    fn pass_plain(&mut self, raw: &[u8], into: &mut Option<&mut Vec<u8>>) -> bool {
        let plain = self.past_header
            && !self.quoted
            && !(self.line_start && raw.first() == Some(&b'\n'))
            && memchr::memchr(b'"', raw).is_none()
            && memchr::memmem::find(raw, b"\n\n").is_none();
        if !plain {
            return false;
        }
        if let Some(&last) = raw.last() {
            self.line_start = last == b'\n';
            (self.prev, self.closed) = (Some(last), false);
        }
        self.count_plain(raw);
        if let Some(buf) = into {
            buf.extend_from_slice(raw);
        }
        true
    }

    /// Follows `raw` through quotes and line ends. Without `into`, stops
    /// before the first line end that needs a space and says where (the
    /// state is left as it was just before it). With `into`, copies `raw`
    /// there with the spaces put in. Only quotes and line ends change the
    /// state, so the text between them is passed over whole.
    fn scan(&mut self, raw: &[u8], mut into: Option<&mut Vec<u8>>) -> Option<usize> {
        if self.pass_plain(raw, &mut into) {
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

#[cfg(test)]
mod tests {
    use super::MarkBlankLines;
    use proptest::prelude::*;
    use std::io::Read;

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
