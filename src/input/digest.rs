//! The SHA-256 of each input file, for the report's record of what was read.
//! A file is hashed as its bytes are read (by its blocks' reader, or by the
//! one reader), so that it is read from disk once; a file not read to its
//! end is hashed on its own.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// A file's size and SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDigest {
    pub bytes: u64,
    /// In lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// Bytes hashed so far, and how many.
#[derive(Clone)]
struct Hashed {
    hasher: Sha256,
    bytes: u64,
}

impl Hashed {
    fn new() -> Self {
        Hashed {
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn update(&mut self, read: &[u8]) {
        self.hasher.update(read);
        self.bytes += read.len() as u64;
    }

    /// The digest, if what was hashed is `size` bytes: the whole file
    /// (short where reading stopped early, or the file changed size as it
    /// was read).
    fn whole(&self, size: Option<u64>) -> Option<FileDigest> {
        (Some(self.bytes) == size).then(|| self.digest())
    }

    fn digest(&self) -> FileDigest {
        FileDigest {
            bytes: self.bytes,
            sha256: (self.hasher.clone().finalize().iter())
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}

/// A reader that hashes every byte read through it.
pub struct Hashing<R> {
    inner: R,
    hashed: Hashed,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hashed: Hashed::new(),
        }
    }

    /// The digest of everything read so far.
    pub fn digest(&self) -> FileDigest {
        self.hashed.digest()
    }

    /// [`Hashing::digest`], if what was read is `size` bytes.
    pub fn whole(&self, size: Option<u64>) -> Option<FileDigest> {
        self.hashed.whole(size)
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
        self.hashed.update(&buf[..n]);
        Ok(n)
    }
}

/// A digest taken by a reader handed on (to a decoder, a buffer and the
/// csv reader), read back once the reading is done.
#[derive(Clone, Default)]
pub struct SharedDigest(Arc<Mutex<Option<Hashed>>>);

impl SharedDigest {
    /// `inner`, hashing into this digest (afresh) what is read through it.
    pub fn reader<R: Read>(&self, inner: R) -> SharedHashing<R> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Hashed::new());
        SharedHashing {
            inner,
            digest: self.clone(),
        }
    }

    /// How many bytes were read through it.
    pub fn bytes_read(&self) -> u64 {
        let state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        state.as_ref().map_or(0, |h| h.bytes)
    }

    /// The digest of what was read, if it was `size` bytes (the whole
    /// file).
    pub fn whole(&self, size: Option<u64>) -> Option<FileDigest> {
        let state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        state.as_ref()?.whole(size)
    }
}

/// A reader hashing into a [`SharedDigest`].
pub struct SharedHashing<R> {
    inner: R,
    digest: SharedDigest,
}

impl<R: Read> Read for SharedHashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self.digest.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hashed) = state.as_mut() {
            hashed.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The digest of the file at `path`, read whole.
pub fn of_file(path: &Path) -> io::Result<FileDigest> {
    let mut file = Hashing::new(File::open(path)?);
    file.drain()?;
    Ok(file.digest())
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
