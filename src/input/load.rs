//! Reading every contract file side by side and gathering what they hold,
//! and what went wrong, into one [`Loaded`].

use crate::recon::case::CaseEvent;
use crate::recon::model::{
    Account, BankLine, Dataset, Posting, RentChange, RowRef, ScheduleShare, SourceFile, SourceNames,
};
use crate::recon::store::text::TextStore;
use crate::recon::warning::{Scope, Warning, WarningKind};

use super::columns::Column;
use super::ids::{AccountIds, UniqueIds};
use super::readers::{self, read_rows, Stored};
use super::table::Table;
use super::{
    digest, limit, profile, statement, InputError, InputErrors, InputPaths, Loaded, Mode, Profile,
    Progress, Reject,
};
use crate::recon::model::FILES;
use crate::recon::store::text::StoredRow;

/// Where the input files' bytes come from.
#[derive(Clone, Copy)]
pub(super) enum Origin<'a> {
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

/// Reads and checks every file `origin` holds: see [`super::load_with`].
pub(super) fn load_from(
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
    let opener = Opener {
        origin,
        profile,
        sources: &sources,
        watch,
    };
    let files = read_files(&opener, &errors);
    let gathered = gather(files, &opener, &mut errors);
    finish(mode, gathered, errors, &sources)
}

/// Opens the contract's files from one origin, through the profile.
struct Opener<'a> {
    origin: Origin<'a>,
    profile: Option<&'a Profile>,
    sources: &'a SourceNames,
    watch: Option<&'a Progress>,
}

impl Opener<'_> {
    fn open_watched(
        &self,
        file: SourceFile,
        watch: Option<&Progress>,
        errors: &mut InputErrors,
    ) -> Option<Table> {
        let section = self.profile.and_then(|pr| pr.section(file));
        let name = self.sources.name(file);
        let columns = readers::columns(file);
        self.origin
            .open(file, name, columns, section, watch, errors)
    }

    /// A file opened a second time: its header's problems, if any, were
    /// reported the first time, and its bytes were counted for progress.
    fn reopen(&self, file: SourceFile) -> impl Fn() -> Option<Table> + '_ {
        move || self.open_watched(file, None, &mut InputErrors::default())
    }

    /// Opens `file` and reads it with `read`, collecting its errors apart,
    /// so that files read side by side report as if in turn.
    fn read<R>(
        &self,
        file: SourceFile,
        mut errors: InputErrors,
        read: impl FnOnce(&mut Table, &mut InputErrors) -> R,
    ) -> InFile<R> {
        let read = self
            .open_watched(file, self.watch, &mut errors)
            .map(|mut t| {
                let rows = read(&mut t, &mut errors);
                (t, rows)
            });
        (read, errors)
    }

    /// Reads a file of stored rows, whose ids (`what`) are unique, in
    /// blocks where it can, and says so if its texts would not fit.
    fn read_stored<T: StoredRow + Send + Sync>(
        &self,
        file: SourceFile,
        what: &'static str,
        t: &mut Table,
        errors: &mut InputErrors,
        read: impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T> + Sync,
    ) -> Stored<T> {
        let reopen = self.reopen(file);
        let rows = read_rows(t, what, self.watch, errors, read, &reopen);
        too_large(t, &rows.1, errors);
        rows
    }
}

/// A file's table and what was read from it (none where it could not be
/// opened), and its errors.
type InFile<R> = (Option<(Table, R)>, InputErrors);

/// What each file gave.
struct Files {
    accounts: InFile<Vec<Account>>,
    rents: InFile<Vec<RentChange>>,
    cases: InFile<Vec<CaseEvent>>,
    ledger: InFile<Stored<Posting>>,
    bank: InFile<Stored<BankLine>>,
    schedules: InFile<Vec<ScheduleShare>>,
}

/// The accounts file, then the files that need its ids, beside the bank
/// statement and the schedules (which need nothing from the others): read
/// side by side, each file's errors apart (`like` says how to keep them).
fn read_files(op: &Opener<'_>, like: &InputErrors) -> Files {
    let schedules = || {
        op.read(
            SourceFile::Schedules,
            like.fresh(),
            readers::schedules::read_schedules,
        )
    };
    let ((accounts, rents, cases, ledger), (bank, schedules)) = rayon::join(
        || accounts_then_ledger(op, like),
        || rayon::join(|| bank_file(op, like), schedules),
    );
    Files {
        accounts,
        rents,
        cases,
        ledger,
        bank,
        schedules,
    }
}

type AccountFiles = (
    InFile<Vec<Account>>,
    InFile<Vec<RentChange>>,
    InFile<Vec<CaseEvent>>,
    InFile<Stored<Posting>>,
);

/// The accounts file, then the rents, cases and ledger, which name its
/// accounts.
fn accounts_then_ledger(op: &Opener<'_>, like: &InputErrors) -> AccountFiles {
    let mut accounts = AccountIds::default();
    let accounts_file = op.read(SourceFile::Accounts, like.fresh(), |t, errors| {
        readers::accounts::read_accounts(t, &mut accounts, errors)
    });
    let accounts_read = accounts_file.0.is_some();
    let rents = op.read(SourceFile::Rents, like.fresh(), |t, errors| {
        readers::rents::read_rents(t, &accounts, accounts_read, errors)
    });
    let cases = op.read(SourceFile::Cases, like.fresh(), |t, errors| {
        readers::cases::read_cases(t, &accounts, accounts_read, errors)
    });
    let ledger = op.read(SourceFile::Ledger, like.fresh(), |t, errors| {
        let read = |t: &mut Table, unique: &mut UniqueIds, errors: &mut InputErrors| {
            readers::ledger::read_ledger(t, &accounts, accounts_read, unique, errors)
        };
        // Without an amount column every block would say so.
        if t.has(readers::ledger::col::DEBIT) || t.has(readers::ledger::col::CREDIT) {
            op.read_stored(SourceFile::Ledger, "txn_id", t, errors, read)
        } else {
            read(t, &mut UniqueIds::of(t, "txn_id"), errors)
        }
    });
    (accounts_file, rents, cases, ledger)
}

fn bank_file(op: &Opener<'_>, like: &InputErrors) -> InFile<Stored<BankLine>> {
    op.read(SourceFile::Bank, like.fresh(), |t, errors| {
        let read = readers::bank::read_bank;
        op.read_stored(SourceFile::Bank, "bank_id", t, errors, read)
    })
}

/// The dataset the files make, and what reading noted of each file.
struct Gathered {
    data: Dataset,
    unknown_columns: Vec<(String, Vec<String>)>,
    digests: [Option<digest::FileDigest>; FILES],
}

impl Gathered {
    /// Notes what reading `file` as `t` found besides its rows.
    fn note(&mut self, file: SourceFile, t: &Table, ignored: &[String]) {
        let data = &mut self.data;
        data.reading[file.index()].rows_read = t.rows_read;
        self.digests[file.index()] = t.digest();
        if !t.unknown_columns.is_empty() {
            (self.unknown_columns).push((t.name.clone(), t.unknown_columns.clone()));
        }
        data.warnings.extend(unused_lookalikes(file, t, ignored));
        data.warnings.extend(extracts_never_matched(t));
    }
}

/// Puts each file's rows in the dataset and its errors in `errors`, in
/// the files' order, whatever order they were read in.
fn gather(files: Files, op: &Opener<'_>, errors: &mut InputErrors) -> Gathered {
    let mut g = Gathered {
        data: Dataset {
            sources: op.sources.clone(),
            ..Dataset::default()
        },
        unknown_columns: Vec::new(),
        digests: Default::default(),
    };
    let ignored = op.origin.ignore_columns();
    if let Some((t, accounts)) = absorbed(files.accounts, errors) {
        g.data.accounts = accounts;
        g.note(SourceFile::Accounts, &t, ignored);
    }
    if let Some((t, rents)) = absorbed(files.rents, errors) {
        g.data.rents = rents;
        g.note(SourceFile::Rents, &t, ignored);
    }
    if let Some((t, cases)) = absorbed(files.cases, errors) {
        g.data.cases = cases;
        g.data.cases_given = true;
        g.note(SourceFile::Cases, &t, ignored);
    }
    let ledger = absorbed(files.ledger, errors);
    let bank = absorbed(files.bank, errors);
    let schedules = absorbed(files.schedules, errors);
    if let Some((t, stored)) = ledger {
        let d = &mut g.data;
        d.txn_ids_from_lines = t.id_from_line(readers::ledger::col::TXN_ID);
        (d.postings, d.ledger_text, d.ledger_lines, d.txn_counted) = stored;
        g.note(SourceFile::Ledger, &t, ignored);
    }
    if let Some((t, stored)) = bank {
        let d = &mut g.data;
        d.bank_ids_from_lines = t.id_from_line(readers::bank::col::BANK_ID);
        (d.bank, d.bank_text, d.bank_lines, d.bank_counted) = stored;
        g.note(SourceFile::Bank, &t, ignored);
    }
    if let Some((t, shares)) = schedules {
        g.data.shares = shares;
        g.note(SourceFile::Schedules, &t, ignored);
    }
    g
}

/// A file's table and rows, its errors put with the others.
fn absorbed<R>((read, file_errors): InFile<R>, errors: &mut InputErrors) -> Option<(Table, R)> {
    errors.absorb(file_errors);
    read
}

/// Strict: the dataset or every problem. Lenient: the dataset less the
/// rows set aside, unless a whole file had a problem.
fn finish(
    mode: Mode,
    g: Gathered,
    mut errors: InputErrors,
    sources: &SourceNames,
) -> Result<Loaded, InputErrors> {
    let Gathered {
        mut data,
        unknown_columns,
        digests,
    } = g;
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

/// A warning for each unused column of `t` that looks like a contract
/// column the file lacks, unless ignored by name.
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
