//! The longest record an input may hold. A file with no line end (a binary
//! dump, `/dev/zero` copied to disk) or a quote left open near its start
//! would otherwise be read into one record until memory runs out.

use std::fmt;
use std::io::{self, BufRead, Read};

/// The default longest record, in bytes: far past any real row (a 1 MB
/// reference still reads) and small enough to hold a few per thread.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 4 << 20;

/// A record that ran past the limit without ending, at the line it began
/// on (counted in the stream it was read from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRecord {
    pub line: u64,
    pub limit: usize,
}

impl fmt::Display for LongRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a record starting on this line runs past {} without ending: is this a CSV file, or is a \
             quote left open? If a row really is this long, raise --max-record-bytes",
            size_words(self.limit)
        )
    }
}

impl std::error::Error for LongRecord {}

impl LongRecord {
    pub fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }

    /// The long record an I/O error stands for, if it is one.
    pub fn of(e: &io::Error) -> Option<&LongRecord> {
        e.get_ref().and_then(|inner| inner.downcast_ref())
    }
}

/// `4 MiB`, `512 KiB` or `100 bytes`, as a person would say the limit.
pub fn size_words(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A size `--max-record-bytes` cannot take, with the text as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeError {
    /// Not a number of bytes, `K`/`KiB` or `M`/`MiB`.
    NotASize(String),
    /// More bytes than a size can count.
    TooLarge(String),
    /// Below a KiB (a header may not fit) or past a GiB (nothing bounded).
    OutOfRange(String),
}

impl fmt::Display for SizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeError::NotASize(text) => {
                write!(f, "expected a size such as 4MiB or 8000000, found {text:?}")
            }
            SizeError::TooLarge(text) => write!(f, "{text:?} is too large"),
            SizeError::OutOfRange(text) => write!(f, "{text:?}: give a size from 1KiB to 1024MiB"),
        }
    }
}

impl std::error::Error for SizeError {}

/// Reads a size given as bytes, `K`/`KiB` or `M`/`MiB` (powers of 1024).
pub fn parse_size(text: &str) -> Result<usize, SizeError> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let not_a_size = || SizeError::NotASize(text.to_string());
    let number: usize = number.parse().map_err(|_| not_a_size())?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        _ => return Err(not_a_size()),
    };
    let bytes = number
        .checked_shl(shift)
        .filter(|b| b >> shift == number)
        .ok_or_else(|| SizeError::TooLarge(text.to_string()))?;
    if !(1 << 10..=1 << 30).contains(&bytes) {
        return Err(SizeError::OutOfRange(text.to_string()));
    }
    Ok(bytes)
}

/// Drops the first `n` lines of a byte stream (a bank's preamble), and
/// says how many bytes they were. A line past `limit` is an error.
pub fn skip_lines(reader: &mut impl BufRead, n: usize, limit: usize) -> io::Result<u64> {
    let mut line = Vec::new();
    let mut bytes = 0;
    for at in 0..n {
        line.clear();
        let read = reader
            .by_ref()
            .take(limit as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read > limit && line.last() != Some(&b'\n') {
            return Err(LongRecord {
                line: at as u64 + 1,
                limit,
            }
            .into_io());
        }
        if read == 0 {
            break;
        }
        bytes += read as u64;
    }
    Ok(bytes)
}

/// Reads a small text file (a profile, a list of accounts) whole, but no
/// more than `limit` bytes of it: a device or a FIFO that never ends is
/// refused rather than read until memory runs out.
pub fn read_text(path: &std::path::Path, limit: usize) -> io::Result<String> {
    let mut text = String::new();
    let file = std::fs::File::open(path)?;
    file.take(limit as u64 + 1).read_to_string(&mut text)?;
    if text.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("longer than {}: is this the right file?", size_words(limit)),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("4MiB"), Ok(4 << 20));
        assert_eq!(parse_size("8 M"), Ok(8 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("2000000"), Ok(2_000_000));
        let out_of_range = |t: &str| Err(SizeError::OutOfRange(t.to_string()));
        assert_eq!(parse_size("12"), out_of_range("12"), "below a KiB");
        assert_eq!(parse_size("2048M"), out_of_range("2048M"), "past a GiB");
        assert_eq!(
            parse_size("4GB"),
            Err(SizeError::NotASize("4GB".to_string()))
        );
        assert!(matches!(
            parse_size("99999999999999999999M"),
            Err(SizeError::NotASize(_))
        ));
        assert!(matches!(
            parse_size(&format!("{}M", usize::MAX)),
            Err(SizeError::TooLarge(_))
        ));
        assert_eq!(
            parse_size("4096G").unwrap_err().to_string(),
            "expected a size such as 4MiB or 8000000, found \"4096G\""
        );
        assert_eq!(size_words(4 << 20), "4 MiB");
        assert_eq!(size_words(1536), "1536 bytes");
    }

    #[test]
    fn a_preamble_line_past_the_limit_is_named() {
        let text = format!("title\n{}\nheader\n", "x".repeat(5000));
        let mut reader = io::BufReader::new(text.as_bytes());
        let e = skip_lines(&mut reader, 2, 1024).unwrap_err();
        assert_eq!(
            LongRecord::of(&e),
            Some(&LongRecord {
                line: 2,
                limit: 1024
            })
        );
        let mut reader = io::BufReader::new(text.as_bytes());
        assert_eq!(skip_lines(&mut reader, 1, 1024).unwrap(), 6);
    }
}
