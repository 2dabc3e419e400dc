//! The SHA-256 of each input file, for the report's record of what was read.
//! A file read in blocks is hashed as its bytes are read, so that a large
//! file is read from disk once; the others are hashed on their own.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// A file's size and SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDigest {
    pub bytes: u64,
    /// In lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// A reader that hashes every byte read through it.
pub struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The digest of everything read so far.
    pub fn finish(self) -> FileDigest {
        FileDigest {
            bytes: self.bytes,
            sha256: self
                .hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }

    /// Reads to the end, hashing; what was read is not kept.
    pub fn drain(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; 1 << 16];
        while self.read(&mut buf)? > 0 {}
        Ok(())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The digest of the file at `path`, read whole.
pub fn of_file(path: &Path) -> io::Result<FileDigest> {
    let mut file = Hashing::new(File::open(path)?);
    file.drain()?;
    Ok(file.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashes_as_sha256sum_prints_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, "abc").unwrap();
        let digest = of_file(&path).unwrap();
        assert_eq!(digest.bytes, 3);
        assert_eq!(
            digest.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
