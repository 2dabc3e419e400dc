//! What a draft is made from: a file's start, looked at for its layout, and
//! the whole file read again a record at a time for its values. A year's
//! export is gigabytes: it is streamed, never held.

use std::borrow::Cow;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// How much of a file's start is looked at for its preamble and header.
pub(super) const HEAD_BYTES: usize = 1 << 20;

/// A file to draft a profile from: its start, and where the rest is.
pub struct Sample {
    pub(super) head: Vec<u8>,
    /// UTF-16 named by the file's byte-order mark: the reader decodes it
    /// whatever the profile says, so the draft reads it the same way.
    pub(super) utf16: Option<&'static encoding_rs::Encoding>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl Sample {
    /// A sample of a file's whole contents.
    pub fn of(bytes: &[u8]) -> Sample {
        Sample {
            head: head_of(bytes).to_vec(),
            utf16: utf16_mark(bytes),
            body: Body::Bytes(bytes.to_vec()),
        }
    }

    /// A sample of the file at `path`: its start now, the rest when drafted.
    pub fn read(path: &Path) -> io::Result<Sample> {
        let mut head = Vec::new();
        std::fs::File::open(path)?
            .take(HEAD_BYTES as u64 + 1)
            .read_to_end(&mut head)?;
        Ok(Sample {
            head: head_of(&head).to_vec(),
            utf16: utf16_mark(&head),
            body: Body::File(path.to_path_buf()),
        })
    }

    /// The whole file from its first byte, as UTF-8 where it is UTF-16.
    pub(super) fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        let raw: Box<dyn Read + '_> = match &self.body {
            Body::Bytes(b) => Box::new(b.as_slice()),
            Body::File(p) => Box::new(std::fs::File::open(p)?),
        };
        Ok(match self.utf16 {
            Some(encoding) => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(raw),
            ),
            None => raw,
        })
    }

    /// The file's start as text.
    pub(super) fn head_text(&self) -> Cow<'_, str> {
        match self.utf16 {
            // The head is cut after a line feed's byte, which in UTF-16LE
            // leaves half a character at the end: whole units only.
            Some(encoding) => {
                let whole = &self.head[..self.head.len() & !1];
                encoding.decode_with_bom_removal(whole).0
            }
            None => decoded(&self.head),
        }
    }

    /// Whether the file looks like UTF-16 with no byte-order mark: a NUL
    /// beside most characters of its start. The reader cannot tell that
    /// from UTF-8 and would read every other byte as a NUL.
    pub(super) fn unmarked_utf16(&self) -> bool {
        let head = &self.head[..self.head.len().min(4096)];
        let nuls = |start: usize| {
            head.iter()
                .skip(start)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
        };
        self.utf16.is_none() && head.len() >= 8 && nuls(0).max(nuls(1)) * 4 > head.len()
    }
}

/// The UTF-16 encoding a byte-order mark names.
fn utf16_mark(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let (encoding, _) = encoding_rs::Encoding::for_bom(bytes)?;
    (encoding != encoding_rs::UTF_8).then_some(encoding)
}

/// The start of `bytes`: all of it where it is short, else its first
/// [`HEAD_BYTES`] up to their last line's end.
fn head_of(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= HEAD_BYTES {
        return bytes;
    }
    let head = &bytes[..HEAD_BYTES];
    memchr::memrchr(b'\n', head).map_or(head, |i| &head[..=i])
}

/// `bytes` as text: UTF-8 where they are, else Windows-1252 (a byte a
/// character, so every byte reads as something).
pub(super) fn decoded(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// A reader that passes its bytes on and notes whether they are all UTF-8
/// (a character cut between two reads is carried to the next).
pub(super) struct Utf8Watch<R> {
    inner: R,
    pending: Vec<u8>,
    ok: bool,
}

impl<R: Read> Utf8Watch<R> {
    pub(super) fn new(inner: R) -> Self {
        Utf8Watch {
            inner,
            pending: Vec::new(),
            ok: true,
        }
    }

    /// Whether everything read was UTF-8, with no character cut off at the end.
    pub(super) fn all_utf8(&self) -> bool {
        self.ok && self.pending.is_empty()
    }

    fn see(&mut self, bytes: &[u8]) {
        if !self.ok {
            return;
        }
        let check: &[u8] = if self.pending.is_empty() {
            bytes
        } else {
            self.pending.extend_from_slice(bytes);
            &self.pending
        };
        match std::str::from_utf8(check) {
            Ok(_) => self.pending.clear(),
            Err(e) if e.error_len().is_none() => {
                let rest = check[e.valid_up_to()..].to_vec();
                self.pending = rest;
            }
            Err(_) => self.ok = false,
        }
    }
}

impl<R: Read> Read for Utf8Watch<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.see(&out[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_checked_across_reads() {
        /// Gives its bytes `n` at a time.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(self.0.len()).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let all = |bytes: &[u8], n: usize| {
            let mut w = Utf8Watch::new(Trickle(bytes, n));
            io::copy(&mut w, &mut io::sink()).expect("read");
            w.all_utf8()
        };
        let text = "£412.50 café 😀".as_bytes();
        for n in 1..5 {
            assert!(all(text, n), "{n} at a time");
            assert!(!all(b"caf\xe9 ok", n));
            // A character cut off by the end of the file is not UTF-8.
            assert!(!all(&text[..text.len() - 1], n));
        }
    }
}
