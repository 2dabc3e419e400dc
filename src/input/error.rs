//! Input errors: each names the file, line and column, what was expected and
//! what was found. They are collected (up to a cap) rather than stopping at
//! the first, so one run shows everything that needs fixing.

use std::fmt;

/// At most this many problems are listed; the rest are counted.
pub const ERROR_CAP: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: Option<u64>,
    /// 1-based column number and the column's name.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((n, _)) = &self.column {
                write!(f, ":{n}")?;
            }
        }
        if let Some((_, name)) = &self.column {
            write!(f, ": {name}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputErrors {
    pub errors: Vec<InputError>,
    /// Problems found beyond [`ERROR_CAP`].
    pub omitted: usize,
}

impl InputErrors {
    pub fn push(&mut self, e: InputError) {
        if self.errors.len() < ERROR_CAP {
            self.errors.push(e);
        } else {
            self.omitted += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.omitted == 0
    }

    pub fn count(&self) -> usize {
        self.errors.len() + self.omitted
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.count();
        write!(
            f,
            "the input could not be read ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        if self.omitted > 0 {
            write!(f, "\n  ... and {} more not shown", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}
