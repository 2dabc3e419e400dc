//! Why `generate` could not make a landlord: a bad argument, a folder that
//! holds files, a file it could not write, or a row a profile cannot carry.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::input::export::ExportError;

/// An error from `generate`: boxed, so the `Result` of each row written
/// stays one word, as the csv crate's is.
#[derive(Debug)]
pub struct GenerateError(Box<GenerateErrorKind>);

/// What kind of [`GenerateError`] it is.
#[derive(Debug)]
#[non_exhaustive]
pub enum GenerateErrorKind {
    /// A count or date `generate` cannot make, or the contract cannot hold.
    Arguments(String),
    /// The output folder holds files a run would overwrite.
    NotEmpty(PathBuf),
    /// A file or folder could not be made, written or removed: `doing`
    /// says which ("cannot create"), `path` what.
    Io {
        doing: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// Writing to a file already open failed.
    Write(io::Error),
    /// A CSV row could not be written.
    Csv(csv::Error),
    /// A profile's section describes a shape that cannot be written.
    Section {
        section: &'static str,
        source: ExportError,
    },
    /// A row, header or trailer the profile's shape cannot carry.
    Shape(ExportError),
    /// truth.json could not be written.
    Json(serde_json::Error),
    /// The generator's columns and the contract's disagree (a bug).
    Contract(&'static str),
}

impl GenerateError {
    pub fn kind(&self) -> &GenerateErrorKind {
        &self.0
    }

    pub fn into_kind(self) -> GenerateErrorKind {
        *self.0
    }

    pub(super) fn arguments(message: String) -> Self {
        GenerateErrorKind::Arguments(message).into()
    }
}

impl From<GenerateErrorKind> for GenerateError {
    fn from(kind: GenerateErrorKind) -> Self {
        GenerateError(Box::new(kind))
    }
}

impl From<io::Error> for GenerateError {
    fn from(e: io::Error) -> Self {
        GenerateErrorKind::Write(e).into()
    }
}

impl From<csv::Error> for GenerateError {
    fn from(e: csv::Error) -> Self {
        GenerateErrorKind::Csv(e).into()
    }
}

impl From<ExportError> for GenerateError {
    fn from(e: ExportError) -> Self {
        GenerateErrorKind::Shape(e).into()
    }
}

impl From<serde_json::Error> for GenerateError {
    fn from(e: serde_json::Error) -> Self {
        GenerateErrorKind::Json(e).into()
    }
}

/// The message; what caused it is the source, so a chain printed in full
/// (as main prints it, `{:#}`) reads "cannot write X: <the I/O error>". The
/// errors passed on whole print as they would alone: their own text, and
/// their own source.
impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            GenerateErrorKind::Arguments(message) => f.write_str(message),
            GenerateErrorKind::NotEmpty(path) => write!(
                f,
                "{} is not empty: generate would overwrite its files (a landlord's inputs, \
                 perhaps); name a new or empty folder, or pass --force",
                path.display()
            ),
            GenerateErrorKind::Io { doing, path, .. } => write!(f, "{doing} {}", path.display()),
            GenerateErrorKind::Write(e) => e.fmt(f),
            GenerateErrorKind::Csv(e) => e.fmt(f),
            GenerateErrorKind::Section { section, .. } => write!(f, "profile section [{section}]"),
            GenerateErrorKind::Shape(e) => e.fmt(f),
            GenerateErrorKind::Json(e) => e.fmt(f),
            GenerateErrorKind::Contract(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            GenerateErrorKind::Io { source, .. } => Some(source),
            GenerateErrorKind::Section { source, .. } => Some(source),
            GenerateErrorKind::Write(e) => e.source(),
            GenerateErrorKind::Csv(e) => e.source(),
            GenerateErrorKind::Shape(e) => e.source(),
            GenerateErrorKind::Json(e) => e.source(),
            GenerateErrorKind::Arguments(_)
            | GenerateErrorKind::NotEmpty(_)
            | GenerateErrorKind::Contract(_) => None,
        }
    }
}

/// Names the path an I/O error came on, and what was being done to it.
pub(super) trait OnPath<T> {
    fn on_path(self, doing: &'static str, path: impl Into<PathBuf>) -> Result<T, GenerateError>;
}

impl<T> OnPath<T> for io::Result<T> {
    fn on_path(self, doing: &'static str, path: impl Into<PathBuf>) -> Result<T, GenerateError> {
        self.map_err(|source| {
            GenerateErrorKind::Io {
                doing,
                path: path.into(),
                source,
            }
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error and its sources, as main prints them (`{:#}`).
    fn chain(e: &GenerateError) -> String {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        text
    }

    fn shape_error() -> ExportError {
        let fp = crate::input::profile::FileProfile::default();
        let columns = crate::input::columns(crate::recon::model::SourceFile::Bank);
        let shape = crate::input::export::ExportShape::new("bank.csv", &fp, columns);
        let Ok(shape) = shape else {
            panic!("the contract's own shape is writable");
        };
        match shape.row(&["x"], 7) {
            Err(e) => e,
            Ok(_) => panic!("a row of one value is refused"),
        }
    }

    #[test]
    fn each_kind_gives_its_message() {
        let io = || io::Error::new(io::ErrorKind::NotFound, "gone");
        let cases: Vec<(GenerateError, String)> = vec![
            (
                GenerateError::arguments("--months must be between 1 and 600, found 0".into()),
                "--months must be between 1 and 600, found 0".into(),
            ),
            (
                GenerateErrorKind::NotEmpty("out".into()).into(),
                "out is not empty: generate would overwrite its files (a landlord's inputs, \
                 perhaps); name a new or empty folder, or pass --force"
                    .into(),
            ),
            (
                Err::<(), _>(io())
                    .on_path("cannot create", "a/b")
                    .unwrap_err(),
                "cannot create a/b: gone".into(),
            ),
            (io().into(), "gone".into()),
            (csv::Error::from(io()).into(), "gone".into()),
            (
                GenerateErrorKind::Section {
                    section: "bank",
                    source: shape_error(),
                }
                .into(),
                format!("profile section [bank]: {}", shape_error()),
            ),
            (shape_error().into(), shape_error().to_string()),
            (
                serde_json::Error::io(io()).into(),
                serde_json::Error::io(io()).to_string(),
            ),
            (
                GenerateErrorKind::Contract("a generated column is not in the contract").into(),
                "a generated column is not in the contract".into(),
            ),
        ];
        for (error, message) in cases {
            assert_eq!(chain(&error), message, "{:?}", error.kind());
        }
        assert!(shape_error().to_string().starts_with("bank.csv:7: "));
    }
}
