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
            let mut tmp = tempfile::Builder::new()
                .prefix(".rent-audit-")
                .tempfile_in(dir)
                .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
            {
                let mut out = BufWriter::new(tmp.as_file_mut());
                write(&mut out)
                    .and_then(|()| out.flush())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            tmp.as_file()
                .sync_all()
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
