//! Writing a report whole or not at all: to a temporary file beside the
//! target, renamed into place once complete; or straight to standard output.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Runs `write` against the destination: `path` atomically, or stdout.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write the report to standard output"),
            }
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(".rent-audit-")
                .tempfile_in(dir)
                .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
            let file = tmp.as_file();
            let syncer = file
                .try_clone()
                .with_context(|| format!("cannot write {}", path.display()))?;
            std::thread::scope(|s| -> Result<()> {
                // What is written is flushed to disk on a thread of its own
                // as the report is still being written, so that the last
                // flush before the rename waits only for the tail (it was a
                // third of writing a 100 MB report).
                let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
                let flusher = s.spawn(move || {
                    while asked.recv().is_ok() {
                        // An error here shows again in the last flush.
                        let _ = syncer.sync_data();
                    }
                });
                let mut out = BufWriter::new(Flushing::new(file, ask));
                let written = write(&mut out).and_then(|()| out.flush());
                drop(out);
                let _ = flusher.join();
                written.with_context(|| format!("cannot write {}", path.display()))
            })?;
            file.sync_all()
                .with_context(|| format!("cannot write {}", path.display()))?;
            // A temporary file is private; the report gets the permissions
            // the file it replaces had, or the usual ones for a new file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
                std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            tmp.persist(path).map_err(|e| e.error).with_context(|| {
                format!("cannot move the report into place at {}", path.display())
            })?;
            Ok(())
        }
    }
}

/// A file that asks for what has been written to be flushed to disk every
/// [`Flushing::EVERY`] bytes (the flushing thread takes a request when it
/// is free; one more waits meanwhile, and any beyond it are dropped: the
/// next flush covers them).
struct Flushing<'f> {
    file: &'f std::fs::File,
    ask: std::sync::mpsc::SyncSender<()>,
    unflushed: usize,
}

impl<'f> Flushing<'f> {
    const EVERY: usize = 16 << 20;

    fn new(file: &'f std::fs::File, ask: std::sync::mpsc::SyncSender<()>) -> Self {
        Flushing {
            file,
            ask,
            unflushed: 0,
        }
    }
}

impl Write for Flushing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = (&mut &*self.file).write(buf)?;
        self.unflushed += n;
        if self.unflushed >= Self::EVERY {
            self.unflushed = 0;
            let _ = self.ask.try_send(());
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.file).flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Larger than a flush's step, so that the flushing thread runs while
    // the report is written: every byte arrives, in order, and only the
    // report is left in the folder.
    #[test]
    fn a_large_report_is_written_whole_while_it_is_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        let line: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let lines = 2 * Flushing::EVERY / line.len() + 7;
        write_to(Some(&path), |out| {
            for i in 0..lines {
                out.write_all(&line)?;
                writeln!(out, "{i}")?;
            }
            Ok(())
        })
        .unwrap();
        let written = std::fs::read(&path).unwrap();
        let mut expected = Vec::new();
        for i in 0..lines {
            expected.extend_from_slice(&line);
            expected.extend_from_slice(format!("{i}\n").as_bytes());
        }
        assert!(
            written == expected,
            "the report differs from what was written"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }
}
