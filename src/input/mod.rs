//! Reading the four input files of the data contract into a [`Dataset`],
//! checking every row and cross-reference on the way. All problems are
//! collected and returned together, each located by file:line:column.

mod cases;
mod date_format;
pub mod digest;
pub mod error;
#[cfg(feature = "generate")]
pub mod export;
pub mod guess;
pub mod limit;
pub mod mapping;
pub mod parse;
pub mod profile;
pub mod settings;
pub mod statement;
pub mod table;

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use rust_decimal::Decimal;

use crate::recon::model::{
    Account, AccountId, BankLine, Benefit, ChargeType, Dataset, Method, Posting, PostingKind,
    RentChange, RentPeriod, RowRef, ScheduleShare, SourceFile, SourceNames, TenancyType, Text,
    UcPaidTo, FILES,
};
use crate::recon::money::plain;
use crate::recon::store::counted::{CountedIds, Counter};
use crate::recon::store::lines::LineMap;
use crate::recon::store::text::{Repeats, StoredRow, TextStore};
use crate::recon::warning::{Scope, Warning, WarningKind};
pub use error::{InputError, InputErrors};
pub use profile::Profile;
use table::{optional, required, Column, Table};

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

/// Where the input files' bytes come from.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// Files, some held in memory (standard input, a statement).
    Files(&'a InputPaths, &'a statement::Held),
    Memory(&'a [Option<Vec<u8>>; FILES]),
}

impl Origin<'_> {
    fn source_names(&self) -> SourceNames {
        match self {
            Origin::Files(paths, _) => paths.source_names(),
            Origin::Memory(_) => SourceNames(SourceFile::ALL.map(|f| f.default_name().to_string())),
        }
    }

    fn ignore_columns(&self) -> &[String] {
        match self {
            Origin::Files(paths, _) => &paths.ignore_columns,
            Origin::Memory(_) => &[],
        }
    }

    /// Opens `file`, if it is there (a missing schedules file is no error).
    fn open(
        &self,
        file: SourceFile,
        name: &str,
        columns: &'static [Column],
        profile: Option<&profile::FileProfile>,
        watch: Option<&Progress>,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        match self {
            Origin::Files(paths, held) => match held.bytes(file) {
                Some(bytes) => {
                    let profile = profile.filter(|_| !held.is_statement(file));
                    let limit = paths.max_record_bytes;
                    Table::from_bytes(bytes.to_vec(), name, columns, profile, limit, errors)
                }
                None => paths.path(file).and_then(|p| {
                    let limit = paths.max_record_bytes;
                    Table::open(p, name, columns, profile, watch, limit, errors)
                }),
            },
            Origin::Memory(files) => match &files[file.index()] {
                Some(bytes) => {
                    let limit = limit::DEFAULT_MAX_RECORD_BYTES;
                    Table::from_bytes(bytes.clone(), name, columns, profile, limit, errors)
                }
                None if file.optional() => None,
                None => {
                    errors.push(InputError {
                        file: name.to_string(),
                        line: None,
                        column: None,
                        message: "no such file".to_string(),
                    });
                    None
                }
            },
        }
    }
}

fn load_from(
    origin: Origin<'_>,
    profile: Option<&Profile>,
    mode: Mode,
    watch: Option<&Progress>,
) -> Result<Loaded, InputErrors> {
    let mut errors = match mode {
        Mode::Strict => InputErrors::counting(),
        Mode::Lenient => InputErrors::default(),
    };
    let sources = origin.source_names();
    let mut data = Dataset {
        sources: sources.clone(),
        ..Dataset::default()
    };
    let open_watched = |file: SourceFile,
                        columns: &'static [Column],
                        watch: Option<&Progress>,
                        errors: &mut InputErrors| {
        let section = profile.and_then(|pr| pr.section(file));
        origin.open(file, sources.name(file), columns, section, watch, errors)
    };
    let open = |file: SourceFile, columns: &'static [Column], errors: &mut InputErrors| {
        open_watched(file, columns, watch, errors)
    };
    // A file opened a second time: its header's problems, if any, were
    // reported the first time, and its bytes were counted for progress.
    let reopen = |file: SourceFile, columns: &'static [Column]| {
        move || open_watched(file, columns, None, &mut InputErrors::default())
    };

    let mut unknown_columns = Vec::new();
    let mut digests: [Option<digest::FileDigest>; FILES] = Default::default();
    let mut note = |file: SourceFile, t: &Table, data: &mut Dataset| {
        data.reading[file.index()].rows_read = t.rows_read;
        digests[file.index()] = t.digest();
        if !t.unknown_columns.is_empty() {
            unknown_columns.push((t.name.clone(), t.unknown_columns.clone()));
        }
        data.warnings
            .extend(unused_lookalikes(file, t, origin.ignore_columns()));
        data.warnings.extend(extracts_never_matched(t));
    };
    // The accounts file, then the ledger (which needs its ids), beside the
    // bank statement and the schedules (which need nothing from the others):
    // read side by side, and reported as if in turn.
    let accounts_then_ledger = || {
        let mut accounts = AccountIds::default();
        let (accounts_file, account_errors) = in_file(
            &open,
            SourceFile::Accounts,
            ACCOUNT_COLUMNS,
            errors.fresh(),
            |t, errors| read_accounts(t, &mut accounts, errors),
        );
        let accounts_read = accounts_file.is_some();
        let rents = in_file(
            &open,
            SourceFile::Rents,
            RENT_COLUMNS,
            errors.fresh(),
            |t, errors| read_rents(t, &accounts, accounts_read, errors),
        );
        let cases = in_file(
            &open,
            SourceFile::Cases,
            cases::CASE_COLUMNS,
            errors.fresh(),
            |t, errors| cases::read_cases(t, &accounts, accounts_read, errors),
        );
        let ledger = in_file(
            &open,
            SourceFile::Ledger,
            LEDGER_COLUMNS,
            errors.fresh(),
            |t, errors| {
                let read = |t: &mut Table, unique: &mut UniqueIds, errors: &mut InputErrors| {
                    read_ledger(t, &accounts, accounts_read, unique, errors)
                };
                // Without an amount column every block would say so.
                let rows = if t.has(ledger::DEBIT) || t.has(ledger::CREDIT) {
                    read_rows(
                        t,
                        "txn_id",
                        watch,
                        errors,
                        read,
                        &reopen(SourceFile::Ledger, LEDGER_COLUMNS),
                    )
                } else {
                    read(t, &mut UniqueIds::of(t, "txn_id"), errors)
                };
                too_large(t, &rows.1, errors);
                rows
            },
        );
        ((accounts_file, account_errors), (rents, cases), ledger)
    };
    let bank_file = || {
        in_file(
            &open,
            SourceFile::Bank,
            BANK_COLUMNS,
            errors.fresh(),
            |t, errors| {
                let reopen = reopen(SourceFile::Bank, BANK_COLUMNS);
                let rows = read_rows(t, "bank_id", watch, errors, read_bank, &reopen);
                too_large(t, &rows.1, errors);
                rows
            },
        )
    };
    let schedule_file = || {
        in_file(
            &open,
            SourceFile::Schedules,
            SCHEDULE_COLUMNS,
            errors.fresh(),
            read_schedules,
        )
    };
    let (
        (
            (accounts_file, account_errors),
            ((rents, rent_errors), (cases, case_errors)),
            (ledger, ledger_errors),
        ),
        ((bank, bank_errors), (schedules, schedule_errors)),
    ) = rayon::join(accounts_then_ledger, || {
        rayon::join(bank_file, schedule_file)
    });
    errors.absorb(account_errors);
    if let Some((t, accounts)) = accounts_file {
        data.accounts = accounts;
        note(SourceFile::Accounts, &t, &mut data);
    }
    errors.absorb(rent_errors);
    if let Some((t, rents)) = rents {
        data.rents = rents;
        note(SourceFile::Rents, &t, &mut data);
    }
    errors.absorb(case_errors);
    if let Some((t, cases)) = cases {
        data.cases = cases;
        data.cases_given = true;
        note(SourceFile::Cases, &t, &mut data);
    }
    errors.absorb(ledger_errors);
    errors.absorb(bank_errors);
    errors.absorb(schedule_errors);
    if let Some((t, (rows, text, lines, counted))) = ledger {
        data.txn_ids_from_lines = t.id_from_line(ledger::TXN_ID);
        data.txn_counted = counted;
        data.postings = rows;
        data.ledger_text = text;
        data.ledger_lines = lines;
        note(SourceFile::Ledger, &t, &mut data);
    }
    if let Some((t, (rows, text, lines, counted))) = bank {
        data.bank_ids_from_lines = t.id_from_line(bank::BANK_ID);
        data.bank_counted = counted;
        data.bank = rows;
        data.bank_text = text;
        data.bank_lines = lines;
        note(SourceFile::Bank, &t, &mut data);
    }
    if let Some((t, shares)) = schedules {
        data.shares = shares;
        note(SourceFile::Schedules, &t, &mut data);
    }
    if mode == Mode::Strict {
        // Strict: a column that looks meant for the contract but is unused
        // is an error, not a warning, unless it is ignored by name.
        for w in std::mem::take(&mut data.warnings) {
            errors.push(InputError {
                file: w
                    .evidence
                    .first()
                    .map_or(String::new(), |r| sources.name(r.file).to_string()),
                line: w.evidence.first().map(|r| u64::from(r.line)),
                column: None,
                message: w.message,
            });
        }
    }
    if errors.is_empty() {
        return Ok(Loaded {
            data,
            rejects: Vec::new(),
            unknown_columns,
            digests,
        });
    }
    if mode == Mode::Strict || !errors.only_rows() {
        return Err(errors);
    }
    let rejects: Vec<Reject> = std::mem::take(&mut errors.rows)
        .into_iter()
        .map(|((file, line), row)| Reject { file, line, row })
        .collect();
    for file in SourceFile::ALL {
        let name = sources.name(file);
        let reading = &mut data.reading[file.index()];
        for r in rejects.iter().filter(|r| r.file == name) {
            reading.rows_rejected += 1;
            reading.rejected_money += r.row.money.unwrap_or_default();
        }
    }
    data.warnings.push(set_aside_warning(&rejects));
    Ok(Loaded {
        data,
        rejects,
        unknown_columns,
        digests,
    })
}

/// Rows set aside could be anyone's money or rent: no account is cleared
/// while any is out of the run.
fn set_aside_warning(rejects: &[Reject]) -> Warning {
    let first: Vec<String> = (rejects.iter().take(5))
        .map(|r| format!("{}:{}", r.file, r.line))
        .collect();
    Warning {
        kind: WarningKind::RowsSetAside,
        message: format!(
            "{} bad row{} set aside ({}{}): what {} would show is not in this run; put {} right and run again",
            rejects.len(),
            if rejects.len() == 1 { " was" } else { "s were" },
            first.join(", "),
            if rejects.len() > first.len() { ", ..." } else { "" },
            if rejects.len() == 1 { "it" } else { "they" },
            if rejects.len() == 1 { "it" } else { "them" },
        ),
        evidence: Vec::new(),
        scope: Scope::Every,
    }
}

/// A ledger row's kind and side must agree: a payment or benefit is a
/// credit and a charge a debit (refunds, adjustments, reversals and
/// write-offs go either way). A payment in the debit column (a profile
/// reading returned Direct Debits as negative payments makes one) would
/// raise the balance silently.
fn side_agrees(r: &mut table::Row<'_>, kind: PostingKind, amount: Decimal) {
    let (col, wanted) = match kind {
        PostingKind::Payment | PostingKind::Benefit if amount > Decimal::ZERO => {
            (ledger::DEBIT, "credit")
        }
        PostingKind::Charge if amount < Decimal::ZERO => (ledger::CREDIT, "debit"),
        _ => return,
    };
    r.fail(
        col,
        format!(
            "a {kind} belongs in the {wanted} column (a returned payment is a `reversal` debit; a \
             credit that lowers the rent is an `adjustment`)"
        ),
    );
}

/// A warning for each unused column of `t` that looks like a contract
/// column the file lacks, unless ignored by name.
/// A warning for each of the profile's extractions that matched no row of
/// `t` (every value it sets is blank: references, say, and so matching).
fn extracts_never_matched(t: &Table) -> Vec<Warning> {
    if t.rows_read == 0 {
        return Vec::new();
    }
    (t.extracts_never_matched().into_iter())
        .map(|(field, column)| Warning {
            kind: WarningKind::ExtractNeverMatched,
            message: format!(
                "{}: the profile's [[extract]] for `{field}` from column {column:?} matched none of its {} rows, \
                 so every {field} is blank: check its pattern against the file",
                t.name, t.rows_read
            ),
            evidence: Vec::new(),
            scope: Scope::Every,
        })
        .collect()
}

fn unused_lookalikes(file: SourceFile, t: &Table, ignored: &[String]) -> Vec<Warning> {
    t.resembling
        .iter()
        .filter(|(n, _)| !ignored.iter().any(|i| i.eq_ignore_ascii_case(n)))
        .map(|(n, c)| Warning {
            kind: WarningKind::UnusedColumn,
            message: format!(
                "column `{n}` is not used, but looks like `{c}`, which the file lacks: rename it to `{c}`, \
                 map it in a profile, or pass --ignore-column {n:?} if it is not meant for it"
            ),
            evidence: vec![RowRef {
                file,
                line: u32::try_from(t.header_line).unwrap_or(u32::MAX),
            }],
            scope: Scope::Every,
        })
        .collect()
}

/// How a file's row ids are kept as its rows are read: made from lines by
/// a profile (not held at all, see [`Dataset::txn_ids_from_lines`]),
/// counted on from the row before's (see [`CountedIds`]), or held as text.
struct RowIds {
    held: bool,
    counter: Counter,
    counted: CountedIds,
}

impl RowIds {
    fn of(t: &Table) -> Self {
        RowIds {
            held: !t.id_from_line(0),
            counter: Counter::default(),
            counted: CountedIds::default(),
        }
    }

    /// The text the next row kept (row `row`) is to hold for its id `id`.
    fn text<'i>(&mut self, row: usize, id: &'i str) -> &'i str {
        if self.held {
            self.counter.held(&mut self.counted, row, id)
        } else {
            ""
        }
    }

    /// The ids and lines of the first `rows` rows kept, `held(i)` being the
    /// id text row `i` holds (for [`UniqueIds::check`]).
    fn so_far<'a>(
        &'a self,
        lines: &'a LineMap,
        rows: usize,
        held: impl Fn(usize) -> &'a str + 'a,
    ) -> impl Iterator<Item = (Cow<'a, str>, u64)> + 'a {
        (0..rows).map(move |i| (self.counted.id(i, &held), u64::from(lines.line(i))))
    }
}

/// Account refs read so far: the good rows' ids, and the refs of rows that
/// were rejected (so postings to them are not reported a second time).
#[derive(Default)]
struct AccountIds {
    good: HashMap<Text, AccountId>,
    rejected: rustc_hash::FxHashSet<Text>,
}

impl AccountIds {
    /// The account column `col` of a row names; an unknown one fails the
    /// row (quietly where its account was set aside, or no accounts file
    /// could be read: that problem is reported once, on its own).
    fn of(&self, r: &mut table::Row<'_>, col: usize, accounts_read: bool) -> Option<AccountId> {
        let a = r.id(col)?;
        match self.good.get(a) {
            Some(&id) => Some(id),
            None if self.rejected.contains(a) || !accounts_read => {
                r.fail_quietly(col, format!("its account {a:?} could not be read"));
                None
            }
            None => {
                r.fail(col, format!("no account {a:?} in the accounts file"));
                None
            }
        }
    }
}

/// A row's line as evidence holds it (the reader stops a file before a line
/// beyond `u32::MAX`).
fn row_line(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Opens `file` with `open` and reads it with `read`, collecting its errors
/// apart, so that files read side by side report as if in turn.
fn in_file<R>(
    open: &impl Fn(SourceFile, &'static [Column], &mut InputErrors) -> Option<Table>,
    file: SourceFile,
    columns: &'static [Column],
    mut errors: InputErrors,
    read: impl FnOnce(&mut Table, &mut InputErrors) -> R,
) -> (Option<(Table, R)>, InputErrors) {
    let read = open(file, columns, &mut errors).map(|mut t| {
        let rows = read(&mut t, &mut errors);
        (t, rows)
    });
    (read, errors)
}

/// Says so if a file's texts would not fit in its store.
fn too_large(t: &Table, text: &TextStore, errors: &mut InputErrors) {
    if text.is_full() {
        errors.push(InputError {
            file: t.name.clone(),
            line: None,
            column: None,
            message: "too large: its ids and references come to more than 4 GiB of text; \
                      split the file by date and audit each part"
                .to_string(),
        });
    }
}

/// Rows read, with the store their texts are in, their lines and the rows
/// whose ids are counted rather than held.
type Stored<T> = (Vec<T>, TextStore, LineMap, CountedIds);

/// Reads a table's rows with `read`: a large file in blocks in parallel,
/// kept if no id (`what`) repeats, which ids in order across the whole file
/// show at no cost and [`ids_repeat`] checks otherwise; where one repeats,
/// or the file cannot be split, in one piece, which reports each repeat at
/// its line.
fn read_rows<T: StoredRow + Send + Sync>(
    t: &mut Table,
    what: &'static str,
    watch: Option<&Progress>,
    errors: &mut InputErrors,
    read: impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T> + Sync,
    reopen: &dyn Fn() -> Option<Table>,
) -> Stored<T> {
    let size = t.size();
    let mut rows: Vec<T> = Vec::new();
    let mut text = TextStore::default();
    let mut lines = LineMap::default();
    let mut counted = CountedIds::default();
    let mut repeats = T::REPEATS.then(|| Repeats::for_bytes(size));
    let mut block_errors = errors.fresh();
    let mut rows_read = 0;
    let mut in_order = true;
    let mut last: Option<Text> = None;
    let mut set_aside: Vec<(Text, u64)> = Vec::new();
    let split = t.read_blocks(
        watch,
        errors,
        |block, errors| {
            let mut unique = UniqueIds::of(block, what);
            // Repeats are looked for across the whole file afterwards.
            unique.deferred = true;
            let rows = read(block, &mut unique, errors);
            let ids = unique
                .in_order()
                .map(|(first, last)| (first.cloned(), last.map(Text::from)));
            (rows, ids, unique.set_aside)
        },
        |((block_rows, block_text, block_lines, block_counted), ids, block_set_aside),
         block,
         errors| {
            rows_read += block.rows_read;
            block_errors.absorb(errors);
            match ids {
                Some((Some(first), Some(end))) => {
                    in_order &= last.as_ref().is_none_or(|l| first > *l);
                    last = Some(end);
                }
                Some(_) => {}
                None => in_order = false,
            }
            set_aside.extend(block_set_aside);
            if rows.is_empty() {
                // The first block's rows per byte, for the whole file.
                let blocks = size.unwrap_or(0) as usize / table::BLOCK_BYTES + 1;
                let expected = blocks * block_rows.len();
                let _ = rows.try_reserve(expected + expected / 16);
                if repeats.is_none() {
                    text.reserve(blocks.saturating_mul(block_text.size()) / 16 * 17);
                }
            }
            lines.append(&block_lines);
            counted.append(&block_counted, rows.len());
            // Shared texts are copied row by row (a row may share texts
            // from an earlier block); others appended whole, ids shifted.
            let shift = match repeats {
                Some(_) => 0,
                None => text.append(&block_text),
            };
            rows.extend(block_rows.into_iter().map(|mut row| {
                let texts = row.texts_mut();
                *texts = match repeats.as_mut() {
                    Some(repeats) => text.copy_row(&block_text, *texts, repeats),
                    None => texts.shifted(shift),
                };
                row
            }));
        },
    );
    // Ids out of order may still all differ: then no block missed a
    // repeat, and the blocks stand. Only where one repeats (an error in the
    // file, which its line must name) is the file read again in one piece.
    let unique = || in_order || !ids_repeat(&rows, &text, &counted, &set_aside);
    match split {
        Ok(true) if unique() => {
            t.rows_read = rows_read;
            errors.absorb(block_errors);
            (rows, text, lines, counted)
        }
        // An id repeats: `t` is still unread, and its map names each repeat.
        Ok(true) => {
            drop((rows, text, lines, counted));
            let mut unique = UniqueIds::of(t, what);
            read(t, &mut unique, errors)
        }
        Ok(false) => {
            drop((rows, text, lines, counted));
            read_whole(t, what, errors, read, reopen)
        }
        Err(e) => {
            let err = InputError::reading(&t.name, &e, 0, || format!("cannot read the file: {e}"));
            errors.push(err);
            Default::default()
        }
    }
}

/// Reads a table's rows with `read` in one piece. Its ids are looked up only
/// once they go out of order and, like blocks', checked for repeats
/// afterwards (a map of every id was larger than the rows); only where one
/// repeats is the file opened again with `reopen` and read with a map of
/// its ids, which names each repeat's line.
fn read_whole<T: StoredRow + Send + Sync>(
    t: &mut Table,
    what: &'static str,
    errors: &mut InputErrors,
    read: impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T>,
    reopen: &dyn Fn() -> Option<Table>,
) -> Stored<T> {
    let mut unique = UniqueIds::of(t, what);
    unique.deferred = true;
    let mut first_errors = errors.fresh();
    let rows = read(t, &mut unique, &mut first_errors);
    let (kept, text, _, counted) = &rows;
    if unique.in_order().is_some() || !ids_repeat(kept, text, counted, &unique.set_aside) {
        errors.absorb(first_errors);
        return rows;
    }
    drop(rows);
    let Some(mut again) = reopen() else {
        errors.push(InputError {
            file: t.name.clone(),
            line: None,
            column: None,
            message: "cannot open the file again to name its repeated ids".to_string(),
        });
        return Default::default();
    };
    let mut unique = UniqueIds::of(&again, what);
    let rows = read(&mut again, &mut unique, errors);
    *t = again;
    rows
}

/// Whether any id is held twice among `rows` (their ids as `text` and
/// `counted` hold them) and the ids of rows `set_aside` (with their lines,
/// as [`UniqueIds`] keeps them). Each id is hashed
/// and the hashes sorted, in parallel; ids whose hashes meet are compared.
fn ids_repeat<T: StoredRow + Sync>(
    rows: &[T],
    text: &TextStore,
    counted: &CountedIds,
    set_aside: &[(Text, u64)],
) -> bool {
    use rayon::prelude::*;
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hasher = BuildHasherDefault::<rustc_hash::FxHasher>::default();
    let held = |i: usize| text.get_field(rows[i].texts(), 0);
    let mut hashes: Vec<u64> = (0..rows.len())
        .into_par_iter()
        .map_init(String::new, |buf, i| {
            hasher.hash_one(counted.id_into(i, held, buf))
        })
        .chain(
            set_aside
                .par_iter()
                .map(|(id, _)| hasher.hash_one(id.as_str())),
        )
        .collect();
    hashes.par_sort_unstable();
    let met: rustc_hash::FxHashSet<u64> = hashes
        .par_windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(hashes);
    if met.is_empty() {
        return false;
    }
    let mut ids: Vec<String> = (0..rows.len())
        .into_par_iter()
        .map_init(String::new, |buf, i| {
            let id = counted.id_into(i, held, buf);
            met.contains(&hasher.hash_one(id)).then(|| id.to_string())
        })
        .flatten()
        .chain(
            set_aside
                .par_iter()
                .filter(|(id, _)| met.contains(&hasher.hash_one(id.as_str())))
                .map(|(id, _)| id.to_string()),
        )
        .collect();
    ids.par_sort_unstable();
    ids.windows(2).any(|w| w[0] == w[1])
}

/// The ids one column has held so far, to report duplicates. Exports are
/// usually in id order, and while each id sorts after the last it cannot
/// repeat one, so nothing is looked up; the first id out of order builds the
/// map from the rows read so far and the map takes over. Ids a profile
/// makes from lines are not checked: they cannot repeat, and do not sort
/// as text (`bank.csv:10` before `bank.csv:9`).
struct UniqueIds {
    what: &'static str,
    from_lines: bool,
    first: Option<Text>,
    /// The last id, once there is a first: written over row by row, where
    /// a new `Text` a row was a tenth of reading a ledger row.
    last: String,
    /// Ids of rows set aside while still in order (they are not in the rows
    /// read, but a later row repeating one is still a duplicate); where
    /// `deferred`, which makes no map, every row set aside, for
    /// [`ids_repeat`].
    set_aside: Vec<(Text, u64)>,
    seen: Option<HashMap<Text, u64>>,
    /// For a block of a file: out of order, ids are no longer looked up
    /// (a map of a block's ids cost a fifth of reading it), and the file's
    /// ids are checked afterwards ([`ids_repeat`]).
    deferred: bool,
    out_of_order: bool,
}

impl UniqueIds {
    fn new(what: &'static str) -> Self {
        UniqueIds {
            what,
            from_lines: false,
            first: None,
            last: String::new(),
            set_aside: Vec::new(),
            seen: None,
            deferred: false,
            out_of_order: false,
        }
    }

    /// For the ids in column 0 of `t`.
    fn of(t: &Table, what: &'static str) -> Self {
        UniqueIds {
            from_lines: t.id_from_line(0),
            ..UniqueIds::new(what)
        }
    }

    /// Marks the row bad if `id` was seen before. `earlier` lists the ids
    /// and lines of the rows kept so far.
    fn check<'e, I: Iterator<Item = (Cow<'e, str>, u64)>>(
        &mut self,
        id: &str,
        line: u64,
        row: &mut table::Row<'_>,
        col: usize,
        earlier: impl FnOnce() -> I,
    ) {
        if self.from_lines || self.out_of_order {
            return;
        }
        if self.seen.is_none() {
            if self.first.is_none() || id > self.last.as_str() {
                if self.first.is_none() {
                    self.first = Some(Text::from(id));
                }
                self.last.clear();
                self.last.push_str(id);
                return;
            }
            if self.deferred {
                self.out_of_order = true;
                return;
            }
            let mut seen: HashMap<Text, u64> = earlier()
                .map(|(i, l)| (Text::from(i.as_ref()), l))
                .collect();
            seen.extend(self.set_aside.drain(..));
            self.seen = Some(seen);
        }
        let Some(seen) = self.seen.as_mut() else {
            return;
        };
        if let Some(first) = seen.get(id) {
            row.fail(
                col,
                format!("duplicate {} {id:?} (first at line {first})", self.what),
            );
        } else {
            seen.insert(Text::from(id), line);
        }
    }

    /// The ids seen, if they came in order: first and last.
    fn in_order(&self) -> Option<(Option<&Text>, Option<&str>)> {
        let last = self.first.is_some().then_some(self.last.as_str());
        (self.seen.is_none() && !self.out_of_order).then_some((self.first.as_ref(), last))
    }

    /// A row whose id was checked has been set aside as bad.
    fn set_aside(&mut self, id: &str, line: u64) {
        if self.seen.is_none() && !self.from_lines {
            self.set_aside.push((Text::from(id), line));
        }
    }
}

/// The contract's columns for `file`, in order.
pub fn columns(file: SourceFile) -> &'static [Column] {
    match file {
        SourceFile::Accounts => ACCOUNT_COLUMNS,
        SourceFile::Ledger => LEDGER_COLUMNS,
        SourceFile::Bank => BANK_COLUMNS,
        SourceFile::Schedules => SCHEDULE_COLUMNS,
        SourceFile::Rents => RENT_COLUMNS,
        SourceFile::Cases => cases::CASE_COLUMNS,
    }
}

/// Each contract file's columns by name: positions in its `*_COLUMNS`,
/// which are built from them, so a column is never read by a bare number.
const UNSET: Column = optional("");

mod account {
    pub const REF: usize = 0;
    pub const TENANT_NAME: usize = 1;
    pub const TENANCY_TYPE: usize = 2;
    pub const RENT_PERIOD: usize = 3;
    pub const RENT: usize = 4;
    pub const OPENING_DATE: usize = 5;
    pub const OPENING_BALANCE: usize = 6;
    pub const PAYMENT_REFS: usize = 7;
    pub const BENEFIT: usize = 8;
    pub const VULNERABLE: usize = 9;
    pub const CLAIM_PENDING: usize = 10;
    pub const OPEN_DISPUTE: usize = 11;
    pub const TENANCY_END: usize = 12;
    pub const UC_PAID_TO: usize = 13;
}

mod ledger {
    pub const TXN_ID: usize = 0;
    pub const ACCOUNT_REF: usize = 1;
    pub const DATE: usize = 2;
    pub const KIND: usize = 3;
    pub const DEBIT: usize = 4;
    pub const CREDIT: usize = 5;
    pub const METHOD: usize = 6;
    pub const BANK_REF: usize = 7;
    pub const DESCRIPTION: usize = 8;
    pub const CHARGE_TYPE: usize = 9;
}

mod bank {
    pub const BANK_ID: usize = 0;
    pub const DATE: usize = 1;
    pub const AMOUNT: usize = 2;
    pub const REFERENCE: usize = 3;
    pub const PAYER: usize = 4;
    pub const METHOD: usize = 5;
    pub const RETURN_CODE: usize = 6;
    pub const RETURNED_BANK_ID: usize = 7;
}

mod rents {
    pub const ACCOUNT_REF: usize = 0;
    pub const FROM: usize = 1;
    pub const RENT: usize = 2;
}

mod schedule {
    pub const BATCH_REF: usize = 0;
    pub const ACCOUNT_REF: usize = 1;
    pub const CLAIM_REF: usize = 2;
    pub const AMOUNT: usize = 3;
    pub const PERIOD_START: usize = 4;
    pub const PERIOD_END: usize = 5;
}

const ACCOUNT_COLUMNS: &[Column] = &{
    let mut c = [UNSET; 14];
    c[account::REF] = required("account_ref");
    c[account::TENANT_NAME] = optional("tenant_name");
    c[account::TENANCY_TYPE] = required("tenancy_type");
    c[account::RENT_PERIOD] = required("rent_period");
    c[account::RENT] = required("rent").money();
    c[account::OPENING_DATE] = required("opening_date").date();
    c[account::OPENING_BALANCE] = optional("opening_balance").money();
    c[account::PAYMENT_REFS] = optional("payment_refs");
    c[account::BENEFIT] = optional("benefit");
    c[account::VULNERABLE] = optional("vulnerable");
    c[account::CLAIM_PENDING] = optional("benefit_claim_pending");
    c[account::OPEN_DISPUTE] = optional("open_dispute");
    c[account::TENANCY_END] = optional("tenancy_end").date();
    c[account::UC_PAID_TO] = optional("uc_paid_to");
    c
};

fn read_accounts(t: &mut Table, ids: &mut AccountIds, errors: &mut InputErrors) -> Vec<Account> {
    let mut out = Vec::new();
    let mut unique = UniqueIds::new("account_ref");
    // A bank reference is compared without case or punctuation, so two
    // account numbers that differ only so are one number to it.
    let mut as_banks_read: HashMap<Text, (Text, u64)> = HashMap::default();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let account_ref = r.id(account::REF).map(Text::from);
        if let Some(a) = &account_ref {
            unique.check(a, line, &mut r, 0, || {
                out.iter()
                    .map(|a: &Account| (Cow::from(a.account_ref.as_str()), u64::from(a.row.line)))
            });
            let key = crate::recon::identify::normalise(a);
            match as_banks_read.get(&key) {
                Some((first, at)) if first != a => r.fail(
                    0,
                    format!(
                        "{a:?} is the account number {first:?} (line {at}) to a bank, which ignores case \
                         and punctuation: rename one"
                    ),
                ),
                Some(_) => {}
                None => {
                    as_banks_read.insert(key, (a.clone(), line));
                }
            }
        }
        let tenant_name = r.text(account::TENANT_NAME).map(Text::from);
        let tenancy_type = r.word(
            account::TENANCY_TYPE,
            TenancyType::from_word,
            TenancyType::expected,
        );
        let rent_period = r.word(
            account::RENT_PERIOD,
            RentPeriod::from_word,
            RentPeriod::expected,
        );
        let rent = r.money(account::RENT);
        if rent.is_some_and(|x| x <= Decimal::ZERO) {
            r.fail(
                4,
                "expected a positive rent (a rent-free account needs no row here)".to_string(),
            );
        }
        let opening_date = r.date(account::OPENING_DATE);
        let opening_balance = r.opt_money(account::OPENING_BALANCE);
        let payment_refs = r.text(account::PAYMENT_REFS).map(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(Text::from)
                .collect::<Vec<_>>()
        });
        let benefit = r.opt_word(account::BENEFIT, Benefit::from_word, Benefit::expected);
        let vulnerable = r.flag(account::VULNERABLE);
        let pending = r.flag(account::CLAIM_PENDING);
        let dispute = r.flag(account::OPEN_DISPUTE);
        let tenancy_end = r.opt_date(account::TENANCY_END);
        if let (Some(Some(end)), Some(open)) = (tenancy_end, opening_date) {
            if end < open {
                r.fail(
                    account::TENANCY_END,
                    format!("expected a date on or after the opening date {open}, found {end}"),
                );
            }
        }
        let uc_paid_to = r.opt_word(account::UC_PAID_TO, UcPaidTo::from_word, UcPaidTo::expected);
        if !r.ok() {
            if let Some(a) = account_ref {
                unique.set_aside(&a, line);
                ids.rejected.insert(a);
            }
            continue;
        }
        let (
            Some(account_ref),
            Some(tenant_name),
            Some(tenancy_type),
            Some(rent_period),
            Some(rent),
            Some(opening_date),
            Some(opening_balance),
            Some(payment_refs),
            Some(benefit),
            Some(vulnerable),
            Some(benefit_claim_pending),
            Some(open_dispute),
            Some(tenancy_end),
            Some(uc_paid_to),
        ) = (
            account_ref,
            tenant_name,
            tenancy_type,
            rent_period,
            rent,
            opening_date,
            opening_balance,
            payment_refs,
            benefit,
            vulnerable,
            pending,
            dispute,
            tenancy_end,
            uc_paid_to,
        )
        else {
            continue;
        };
        ids.good.insert(account_ref.clone(), out.len() as AccountId);
        out.push(Account {
            account_ref,
            tenant_name,
            tenancy_type,
            rent_period,
            rent,
            opening_date,
            opening_balance: opening_balance.unwrap_or(Decimal::ZERO),
            payment_refs,
            benefit: benefit.unwrap_or(Benefit::None),
            vulnerable,
            benefit_claim_pending,
            open_dispute,
            tenancy_end,
            uc_paid_to: uc_paid_to.unwrap_or(UcPaidTo::Landlord),
            row: RowRef {
                file: SourceFile::Accounts,
                line: row_line(line),
            },
        });
    }
    out
}

const LEDGER_COLUMNS: &[Column] = &{
    let mut c = [UNSET; 10];
    c[ledger::TXN_ID] = required("txn_id");
    c[ledger::ACCOUNT_REF] = required("account_ref");
    c[ledger::DATE] = required("date").date();
    c[ledger::KIND] = required("kind");
    c[ledger::DEBIT] = optional("debit").money();
    c[ledger::CREDIT] = optional("credit").money();
    c[ledger::METHOD] = optional("method");
    c[ledger::BANK_REF] = optional("bank_ref");
    c[ledger::DESCRIPTION] = optional("description");
    c[ledger::CHARGE_TYPE] = optional("charge_type");
    c
};

/// `accounts_read`: whether the accounts file could be read at all; if not,
/// every posting would name an unknown account, so none is reported.
fn read_ledger(
    t: &mut Table,
    ids: &AccountIds,
    accounts_read: bool,
    unique: &mut UniqueIds,
    errors: &mut InputErrors,
) -> Stored<Posting> {
    let mut out = Vec::new();
    let mut text = TextStore::default();
    let mut lines = LineMap::default();
    if !t.has(ledger::DEBIT) && !t.has(ledger::CREDIT) {
        errors.push(InputError {
            file: t.name.clone(),
            line: Some(1),
            column: None,
            message: "missing required column `debit` or `credit` (at least one must be present)"
                .to_string(),
        });
        return (out, text, lines, CountedIds::default());
    }
    let mut row_ids = RowIds::of(t);
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        t.size_rows(&mut out, &mut text, &rec);
        let mut r = t.row(&rec, line, errors);
        let txn_id = r.id(ledger::TXN_ID);
        if let Some(id) = txn_id {
            let (out, text, lines, row_ids) = (&out, &text, &lines, &row_ids);
            unique.check(id, line, &mut r, 0, || {
                row_ids.so_far(lines, out.len(), move |i| {
                    text.get_field(out[i].texts, Posting::TXN_ID)
                })
            });
        }
        let account = ids.of(&mut r, ledger::ACCOUNT_REF, accounts_read);
        let date = r.date(ledger::DATE);
        let kind = r.word(ledger::KIND, PostingKind::from_word, PostingKind::expected);
        let debit = r.opt_money(ledger::DEBIT);
        let credit = r.opt_money(ledger::CREDIT);
        let amount = match (debit, credit) {
            (Some(d), Some(c)) => {
                let d = d.unwrap_or(Decimal::ZERO);
                let c = c.unwrap_or(Decimal::ZERO);
                if d < Decimal::ZERO || c < Decimal::ZERO {
                    let col = if d < Decimal::ZERO {
                        ledger::DEBIT
                    } else {
                        ledger::CREDIT
                    };
                    r.fail(
                        col,
                        "expected a positive amount (put money the other way in the other column)"
                            .to_string(),
                    );
                    None
                } else if d.is_zero() == c.is_zero() {
                    r.fail(
                        if t.has(ledger::DEBIT) { ledger::DEBIT } else { ledger::CREDIT },
                        format!(
                            "exactly one of debit and credit must be non-zero; found debit {} and credit {}",
                            plain(d),
                            plain(c)
                        ),
                    );
                    None
                } else if d.scale() >= c.scale() && c.is_zero() {
                    // The amount as `d - c` gives it, without the
                    // subtraction (a tenth of reading a ledger row): the
                    // other side is zero, at no more places.
                    Some(d)
                } else if c.scale() >= d.scale() && d.is_zero() {
                    Some(-c)
                } else {
                    Some(d - c)
                }
            }
            _ => None,
        };
        if let (Some(kind), Some(amount)) = (kind, amount) {
            side_agrees(&mut r, kind, amount);
        }
        let held = r.held(
            if t.has(ledger::DEBIT) {
                ledger::DEBIT
            } else {
                ledger::CREDIT
            },
            amount,
        );
        let method = r.opt_word(ledger::METHOD, Method::from_word, Method::expected);
        let bank_ref = r.text(ledger::BANK_REF);
        let description = r.text(ledger::DESCRIPTION);
        let charge_type = r.opt_word(
            ledger::CHARGE_TYPE,
            ChargeType::from_word,
            ChargeType::expected,
        );
        if !r.ok() {
            r.note_money(amount.or(debit.flatten()).or(credit.flatten().map(|c| -c)));
            if let Some(id) = txn_id {
                unique.set_aside(id, line);
            }
            continue;
        }
        if let (
            Some(txn_id),
            Some(account),
            Some(date),
            Some(kind),
            Some(amount),
            Some(method),
            Some(bank_ref),
            Some(description),
            Some(charge_type),
        ) = (
            txn_id,
            account,
            date,
            kind,
            held,
            method,
            bank_ref,
            description,
            charge_type,
        ) {
            // Only a debit is for something; a credit pays whatever is owed.
            let charge_type = match charge_type {
                Some(t) if amount.pence() > 0 => t,
                _ => ChargeType::Rent,
            };
            out.push(Posting {
                texts: text.push_row(&[row_ids.text(out.len(), txn_id), bank_ref, description]),
                account,
                date,
                kind,
                amount,
                method,
                charge_type,
            });
            lines.push(row_line(line));
        }
    }
    (out, text, lines, row_ids.counted)
}

const BANK_COLUMNS: &[Column] = &{
    let mut c = [UNSET; 8];
    c[bank::BANK_ID] = required("bank_id");
    c[bank::DATE] = required("date").date();
    c[bank::AMOUNT] = required("amount").money();
    c[bank::REFERENCE] = optional("reference");
    c[bank::PAYER] = optional("payer");
    c[bank::METHOD] = optional("method");
    c[bank::RETURN_CODE] = optional("return_code");
    c[bank::RETURNED_BANK_ID] = optional("returned_bank_id");
    c
};

fn read_bank(t: &mut Table, unique: &mut UniqueIds, errors: &mut InputErrors) -> Stored<BankLine> {
    let mut out: Vec<BankLine> = Vec::new();
    let mut text = TextStore::default();
    let mut lines = LineMap::default();
    let mut row_ids = RowIds::of(t);
    let mut repeats = Repeats::for_bytes(t.size());
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        t.size_rows(&mut out, &mut text, &rec);
        let mut r = t.row(&rec, line, errors);
        let bank_id = r.id(bank::BANK_ID);
        if let Some(id) = bank_id {
            let (out, text, lines, row_ids) = (&out, &text, &lines, &row_ids);
            unique.check(id, line, &mut r, 0, || {
                row_ids.so_far(lines, out.len(), move |i| {
                    text.get_field(out[i].texts, BankLine::BANK_ID)
                })
            });
        }
        let date = r.date(bank::DATE);
        let amount = r.money(bank::AMOUNT);
        if amount.is_some_and(|a| a.is_zero()) {
            r.fail(
                2,
                "expected a non-zero amount (positive received, negative paid out)".to_string(),
            );
        }
        let held = r.held(bank::AMOUNT, amount);
        let reference = r.text(bank::REFERENCE);
        let payer = r.text(bank::PAYER);
        let method = r.opt_word(bank::METHOD, Method::from_word, Method::expected);
        let return_code = r.text(bank::RETURN_CODE);
        let returned_bank_id = r.text(bank::RETURNED_BANK_ID);
        if !r.ok() {
            r.note_money(amount);
            if let Some(id) = bank_id {
                unique.set_aside(id, line);
            }
            continue;
        }
        if let (
            Some(bank_id),
            Some(date),
            Some(amount),
            Some(reference),
            Some(payer),
            Some(method),
            Some(return_code),
            Some(returned_bank_id),
        ) = (
            bank_id,
            date,
            held,
            reference,
            payer,
            method,
            return_code,
            returned_bank_id,
        ) {
            out.push(BankLine {
                texts: text.push_row_shared(
                    &[
                        row_ids.text(out.len(), bank_id),
                        reference,
                        payer,
                        return_code,
                        returned_bank_id,
                    ],
                    &mut repeats,
                ),
                date,
                amount,
                method,
            });
            lines.push(row_line(line));
        }
    }
    (out, text, lines, row_ids.counted)
}

const SCHEDULE_COLUMNS: &[Column] = &{
    let mut c = [UNSET; 6];
    c[schedule::BATCH_REF] = required("batch_ref");
    c[schedule::ACCOUNT_REF] = optional("account_ref");
    c[schedule::CLAIM_REF] = optional("claim_ref");
    c[schedule::AMOUNT] = required("amount").money();
    c[schedule::PERIOD_START] = optional("period_start").date();
    c[schedule::PERIOD_END] = optional("period_end").date();
    c
};

const RENT_COLUMNS: &[Column] = &{
    let mut c = [UNSET; 3];
    c[rents::ACCOUNT_REF] = required("account_ref");
    c[rents::FROM] = required("from").date();
    c[rents::RENT] = required("rent").money();
    c
};

/// The rent in force over time: one row per change, sorted by account and
/// date. Two rents from one day on one account contradict each other.
fn read_rents(
    t: &mut Table,
    ids: &AccountIds,
    accounts_read: bool,
    errors: &mut InputErrors,
) -> Vec<RentChange> {
    let mut out: Vec<RentChange> = Vec::new();
    let mut seen: HashMap<(AccountId, chrono::NaiveDate), u64> = HashMap::default();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let account = ids.of(&mut r, rents::ACCOUNT_REF, accounts_read);
        let from = r.date(rents::FROM);
        let rent = r.money(rents::RENT);
        if rent.is_some_and(|x| x <= Decimal::ZERO) {
            r.fail(rents::RENT, "expected a positive rent".to_string());
        }
        if let (Some(a), Some(d)) = (account, from) {
            if let Some(first) = seen.insert((a, d), line) {
                r.fail(
                    rents::FROM,
                    format!(
                        "a second rent from {d} for this account (the first is on line {first})"
                    ),
                );
            }
        }
        if !r.ok() {
            continue;
        }
        if let (Some(account), Some(from), Some(rent)) = (account, from, rent) {
            out.push(RentChange {
                account,
                from,
                rent,
                row: RowRef {
                    file: SourceFile::Rents,
                    line: row_line(line),
                },
            });
        }
    }
    out.sort_by_key(|c| (c.account, c.from));
    out
}

fn read_schedules(t: &mut Table, errors: &mut InputErrors) -> Vec<ScheduleShare> {
    if !t.has(schedule::ACCOUNT_REF) && !t.has(schedule::CLAIM_REF) {
        errors.push(InputError {
            file: t.name.clone(),
            line: Some(1),
            column: None,
            message: "missing required column `account_ref` or `claim_ref` (at least one must be present)".to_string(),
        });
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let batch_ref = r.id(schedule::BATCH_REF).map(Text::from);
        let account_ref = r.opt_text(schedule::ACCOUNT_REF);
        let claim_ref = r.opt_text(schedule::CLAIM_REF);
        if matches!((&account_ref, &claim_ref), (Some(None), Some(None))) {
            let col = if t.has(schedule::ACCOUNT_REF) {
                schedule::ACCOUNT_REF
            } else {
                schedule::CLAIM_REF
            };
            r.fail(
                col,
                "expected an account_ref or a claim_ref, found neither".to_string(),
            );
        }
        let amount = r.money(schedule::AMOUNT);
        // A negative share is money taken back out of the run: an HB
        // overpayment recovered (a clawback).
        if amount.is_some_and(|a| a.is_zero()) {
            r.fail(
                schedule::AMOUNT,
                "expected a share other than zero".to_string(),
            );
        }
        let held = r.held(schedule::AMOUNT, amount);
        let period_start = r.opt_date(schedule::PERIOD_START);
        let period_end = r.opt_date(schedule::PERIOD_END);
        if !r.ok() {
            r.note_money(amount);
            continue;
        }
        if let (
            Some(batch_ref),
            Some(account_ref),
            Some(claim_ref),
            Some(amount),
            Some(period_start),
            Some(period_end),
        ) = (
            batch_ref,
            account_ref,
            claim_ref,
            held,
            period_start,
            period_end,
        ) {
            out.push(ScheduleShare {
                batch_ref,
                account_ref,
                claim_ref,
                amount,
                period_start,
                period_end,
                row: RowRef {
                    file: SourceFile::Schedules,
                    line: row_line(line),
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
