//! Writing a report whole or not at all: to a temporary file beside the
//! target, renamed into place once complete; or straight to standard output.
//! An output never touches an input: one that names an input (through any
//! link) is refused before anything is read, and a device or pipe is
//! written to, never replaced.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why a report could not be written, or was not.
#[derive(Debug)]
pub enum OutputError {
    /// An output names an input: writing it would destroy the data.
    IsInput {
        what: String,
        path: PathBuf,
        input: String,
    },
    /// Two outputs name one file: one would overwrite the other.
    Twice {
        what: String,
        path: PathBuf,
        other: String,
    },
    /// Writing failed; `doing` says what was being done.
    Io { doing: String, source: io::Error },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::IsInput { what, path, input } => write!(
                f,
                "{what} {} is an input ({input}): writing it would destroy the data; name another file",
                path.display()
            ),
            OutputError::Twice { what, path, other } => write!(
                f,
                "{what} {} is also {other}: one would overwrite the other; name two files",
                path.display()
            ),
            OutputError::Io { doing, .. } => f.write_str(doing),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

type Result<T> = std::result::Result<T, OutputError>;

/// Says what was being done when an I/O error came.
trait Doing<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Doing<T> for io::Result<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| OutputError::Io {
            doing: what(),
            source,
        })
    }
}

/// Whether two paths name one file: the same device and inode where both
/// exist (through links, hard or symbolic), else the same absolute path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return x.dev() == y.dev() && x.ino() == y.ino();
    }
    let whole = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    whole(a) == whole(b)
}

/// Refuses outputs that would overwrite an input, or each other. `outputs`
/// and `inputs` are (what the path is, e.g. "--output", path).
pub fn refuse_overlaps(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<()> {
    for (i, &(what, out)) in outputs.iter().enumerate() {
        if let Some((name, _)) = inputs.iter().find(|(_, input)| same_file(out, input)) {
            return Err(OutputError::IsInput {
                what: what.to_string(),
                path: out.to_path_buf(),
                input: name.to_string(),
            });
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| same_file(out, o)) {
            return Err(OutputError::Twice {
                what: what.to_string(),
                path: out.to_path_buf(),
                other: other.to_string(),
            });
        }
    }
    Ok(())
}

/// Whether `path` exists and is not a regular file (a device such as
/// /dev/null, a pipe, a socket, or a link to one): written to as it is,
/// never replaced by a file.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Where a chain of symbolic links ends (the path itself if it is none),
/// whether or not that file exists yet.
fn link_target(path: &Path) -> std::path::PathBuf {
    let mut at = path.to_path_buf();
    // As the kernel, give up on a chain longer than 40 links.
    for _ in 0..40 {
        match std::fs::read_link(&at) {
            Ok(next) if next.is_absolute() => at = next,
            Ok(next) => at = at.parent().unwrap_or(Path::new(".")).join(next),
            Err(_) => break,
        }
    }
    at
}

/// Temporary files being written, removed if the run is interrupted
/// (Ctrl-C, SIGTERM, SIGHUP): a report stopped half way leaves nothing.
static IN_PROGRESS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes the temporary files of reports being written when the process
/// is told to stop, then exits 130 (as a shell reports an interrupt).
pub fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(paths) = IN_PROGRESS.lock() {
            for p in paths.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        std::process::exit(130);
    });
}

/// Holds a temporary file's path in [`IN_PROGRESS`] while it is written.
struct Registered(std::path::PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        if let Ok(mut paths) = IN_PROGRESS.lock() {
            paths.push(path.to_path_buf());
        }
        Registered(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut paths) = IN_PROGRESS.lock() {
            paths.retain(|p| p != &self.0);
        }
    }
}

/// Says on stderr where a run that was killed outright (SIGKILL, a power
/// cut) left a temporary file beside the report: nothing could remove it.
fn report_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let stale = name.to_string_lossy().starts_with(".rent-audit-")
            && e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 3600));
        if stale && !crate::term::quiet() {
            let _ = writeln!(
                io::stderr(),
                "rent-audit: {} was left by a run that was stopped: it is not a report; delete it",
                e.path().display()
            );
        }
    }
}

/// Runs `write` against the destination: `path` atomically, or stdout.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => write_stdout(write),
        Some(path) if is_special(path) => write_special(path, write),
        Some(path) => {
            // A link: the file it points to is written, not the link.
            let resolved = link_target(path);
            write_whole(resolved.as_path(), write)?;
            announce(resolved.as_path());
            Ok(())
        }
    }
}

fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.doing(|| "cannot write the report to standard output".to_string()),
    }
}

/// A device or a pipe is written in place: it cannot be replaced.
fn write_special(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .doing(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .doing(|| format!("cannot write {}", path.display()))
}

/// Writes a temporary file beside `path`, flushed to disk, then renames it
/// over `path`: the report is there whole or not at all.
fn write_whole(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    report_stale_temporaries(dir);
    let tmp = tempfile::Builder::new()
        .prefix(".rent-audit-")
        .tempfile_in(dir)
        // tempfile's error names the random file it tried, which
        // means nothing to the user: the folder and the cause do.
        .map_err(without_path)
        .doing(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let _registered = Registered::new(tmp.path());
    let file = tmp.as_file();
    write_flushing(file, write).doing(|| format!("cannot write {}", path.display()))?;
    file.sync_all()
        .doing(|| format!("cannot write {}", path.display()))?;
    keep_permissions(tmp.path(), path)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .doing(|| format!("cannot move the report into place at {}", path.display()))?;
    Ok(())
}

/// Writes to `file` while what is written is flushed to disk on a thread
/// of its own, so that the last flush before the rename waits only for
/// the tail, not the whole report.
fn write_flushing(
    file: &std::fs::File,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let syncer = file.try_clone()?;
    std::thread::scope(|s| {
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
        written
    })
}

/// A temporary file is private; the report gets the permissions the file
/// it replaces had, or the usual ones for a new file.
fn keep_permissions(tmp: &Path, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(mode))
            .doing(|| format!("cannot write {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, path);
    Ok(())
}

/// Says where the report went, as a file written out of sight is easy to
/// miss.
fn announce(path: &Path) {
    if !crate::term::quiet() {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let _ = writeln!(
            io::stderr(),
            "rent-audit: wrote {} ({size} bytes)",
            path.display()
        );
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

/// The cause of an error tempfile wrapped with the path it tried: the OS's
/// own words ("No such file or directory (os error 2)"), without the
/// random name, which means nothing to the user.
fn without_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.find(" at path ") {
        Some(at) => std::io::Error::new(e.kind(), &text[..at]),
        None => e,
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
