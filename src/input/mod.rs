//! Reading the data contract's input files (and bank statements) into a
//! [`Dataset`], checking every row and cross-reference on the way. All
//! problems are collected and returned together, each at file:line:column.

mod blank_lines;
pub mod columns;
mod date_format;
pub mod digest;
pub mod error;
#[cfg(feature = "generate")]
pub mod export;
pub mod guess;
mod ids;
pub mod limit;
mod load;
pub mod mapping;
pub mod parse;
pub mod profile;
mod readers;
pub mod row;
pub mod settings;
mod split;
pub mod statement;
pub mod table;

use std::path::{Path, PathBuf};

use crate::recon::model::{Dataset, SourceFile, SourceNames, FILES};
pub use error::{InputError, InputErrors};
use load::{load_from, Origin};
pub use profile::Profile;
pub use readers::columns;
/// The readers' named column positions, so `generate` writes the columns
/// they read and cannot drift from them.
#[cfg(feature = "generate")]
pub(crate) use readers::{
    accounts::col as account_col, bank::col as bank_col, cases::col as case_col,
    ledger::col as ledger_col, schedules::col as schedule_col,
};

/// Told the bytes read as reading goes (a progress bar, say).
pub type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// Where each input file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputPaths {
    pub accounts: PathBuf,
    pub ledger: PathBuf,
    pub bank: PathBuf,
    /// Optional: bulk receipts need it.
    pub schedules: Option<PathBuf>,
    /// Optional: the rent in force over time.
    pub rents: Option<PathBuf>,
    /// Optional: the case around each account.
    pub cases: Option<PathBuf>,
    /// Columns the user says are meant to be left unused, though they look
    /// like a contract column (`--ignore-column`), lower-cased.
    pub ignore_columns: Vec<String>,
    /// The longest record any file may hold (`--max-record-bytes`).
    pub max_record_bytes: usize,
    /// Bacs ARUDD reports whose returns join the statement's lines.
    pub returns: Vec<PathBuf>,
}

impl InputPaths {
    /// The files inside `dir`: the contract's names, or those a profile
    /// gives; schedules only if present.
    pub fn in_dir(dir: &Path, profile: Option<&Profile>) -> InputPaths {
        let path = |file: SourceFile| {
            let named = profile
                .and_then(|p| p.section(file))
                .and_then(|s| s.file.as_deref());
            dir.join(named.unwrap_or(file.default_name()))
        };
        let present = |file: SourceFile| Some(path(file)).filter(|p| p.exists());
        let bank = Some(path(SourceFile::Bank))
            .filter(|p| {
                p.exists()
                    || profile
                        .and_then(|p| p.section(SourceFile::Bank)?.file.as_ref())
                        .is_some()
            })
            .or_else(|| statement::bank_in_dir(dir));
        InputPaths {
            accounts: path(SourceFile::Accounts),
            ledger: path(SourceFile::Ledger),
            bank: bank.unwrap_or_else(|| path(SourceFile::Bank)),
            schedules: present(SourceFile::Schedules),
            rents: present(SourceFile::Rents),
            cases: present(SourceFile::Cases),
            ignore_columns: Vec::new(),
            max_record_bytes: limit::DEFAULT_MAX_RECORD_BYTES,
            returns: statement::returns_in_dir(dir),
        }
    }

    pub fn path(&self, file: SourceFile) -> Option<&Path> {
        match file {
            SourceFile::Accounts => Some(&self.accounts),
            SourceFile::Ledger => Some(&self.ledger),
            SourceFile::Bank => Some(&self.bank),
            SourceFile::Schedules => self.schedules.as_deref(),
            SourceFile::Rents => self.rents.as_deref(),
            SourceFile::Cases => self.cases.as_deref(),
        }
    }

    /// The names evidence cites: each file's own name.
    pub fn source_names(&self) -> SourceNames {
        SourceNames(SourceFile::ALL.map(|f| {
            let p = self.path(f);
            if p.is_some_and(statement::is_stdin) {
                return statement::STDIN_NAME.to_string();
            }
            p.and_then(|p| p.file_name()).map_or_else(
                || f.default_name().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        }))
    }
}

/// A bad row set aside in lenient mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    pub line: u64,
    pub row: error::BadRow,
}

/// Strict stops at any bad row; lenient sets bad rows aside and carries on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Strict,
    Lenient,
}

/// What reading produced: the data, and in lenient mode the rows set aside.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub data: Dataset,
    pub rejects: Vec<Reject>,
    /// Columns each file has that nothing reads, for `validate`.
    pub unknown_columns: Vec<(String, Vec<String>)>,
    /// The digests of the files read to their end (all of them, unless
    /// reading stopped early), in `SourceFile` order.
    pub digests: [Option<digest::FileDigest>; FILES],
}

/// Reads and checks every file, through `profile` where one is given. Strict:
/// a whole dataset or every problem found. Lenient: bad rows are set aside
/// (problems with a whole file still stop the run).
pub fn load(paths: &InputPaths, profile: Option<&Profile>) -> Result<Dataset, InputErrors> {
    load_with(paths, profile, Mode::Strict).map(|l| l.data)
}

pub fn load_with(
    paths: &InputPaths,
    profile: Option<&Profile>,
    mode: Mode,
) -> Result<Loaded, InputErrors> {
    load_watched(paths, profile, mode, None)
}

/// As [`load_with`], advancing `watch` by the bytes read.
pub fn load_watched(
    paths: &InputPaths,
    profile: Option<&Profile>,
    mode: Mode,
    watch: Option<&Progress>,
) -> Result<Loaded, InputErrors> {
    let held = statement::Held::read(paths)?;
    held.settle(load_from(Origin::Files(paths, &held), profile, mode, watch))
}

/// As [`load_with`], for files held in memory (in `SourceFile` order,
/// schedules optional), each under the contract's name: for fuzzing below
/// the file system, and for tests.
pub fn load_bytes(
    files: &[Option<Vec<u8>>; FILES],
    profile: Option<&Profile>,
    mode: Mode,
) -> Result<Loaded, InputErrors> {
    load_from(Origin::Memory(files), profile, mode, None)
}

#[cfg(test)]
mod tests;
