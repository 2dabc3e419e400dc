//! `rent-audit validate`: reads everything as `reconcile` would and reports
//! every problem at once (per file: rows, money, dates, every bad row by
//! file:line:column), with notes on what is odd but readable. Exit 0 clean,
//! 2 on any problem.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::input::{self, Loaded, Mode};
use crate::output;
use crate::recon::model::{Dataset, SourceFile};
use crate::recon::money::pounds;
use crate::recon::totals::sides;
use crate::recon::warning;

mod json;

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let file = super::landlord_settings(args.input.dir.as_deref(), &args.input.files)?;
    let profile = super::profile_of(&args.input.files, file.as_ref())?;
    let paths = super::input_paths(
        args.input.dir.as_deref(),
        &args.input.files,
        profile.as_ref(),
    )?;
    // A problem with a whole file stops here: nothing more can be said.
    let loaded = input::load_with(&paths, profile.as_ref(), Mode::Lenient)?;
    let name = profile.as_ref().and_then(|p| p.name.as_deref());
    let text = match args.format {
        ValidateFormat::Text => report(&loaded, name),
        ValidateFormat::Json => json::report(&loaded, name)?,
    };
    output::write_to(None, |out| out.write_all(text.as_bytes()))?;
    // A column that looks meant for the contract but is unused is a
    // problem, as it is to a strict reconcile.
    Ok(
        if loaded.rejects.is_empty() && loaded.data.warnings.is_empty() {
            0
        } else {
            2
        },
    )
}

/// Columns left unused that look like contract columns: the reading's
/// warnings that are problems here (rows set aside are listed as rows).
pub(super) fn lookalikes(data: &Dataset) -> impl Iterator<Item = &crate::recon::Warning> {
    (data.warnings.iter()).filter(|w| w.kind == crate::recon::warning::WarningKind::UnusedColumn)
}

/// The date range of `items`' dates, in words.
fn range<T: Sync>(items: &[T], date: impl Fn(&T) -> NaiveDate + Sync + Send) -> String {
    let span = items
        .par_iter()
        .map(|item| (date(item), date(item)))
        .reduce_with(|(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
    match span {
        Some((lo, hi)) => format!("dates {lo} to {hi}"),
        None => "no dates".to_string(),
    }
}

/// Readable but worth a look: schedules for batches no bank line carries,
/// postings dated before their tenancy began.
pub fn notes(data: &Dataset) -> Vec<String> {
    let mut notes: Vec<String> = warning::batches_not_carried(data)
        .into_iter()
        .map(|first| {
            let s = &data.shares[first];
            format!(
                "{}: batch {:?} matches no bank line's id or reference: its shares cannot be checked against money",
                data.sources.cite(s.row),
                s.batch_ref
            )
        })
        .collect();
    notes.par_extend(
        data.postings
            .par_iter()
            .enumerate()
            .filter(|(_, p)| p.date < data.account(p.account).opening_date)
            .map(|(i, p)| {
                let account = data.account(p.account);
                format!(
                    "{}: {} is dated {}, before {}'s tenancy began ({})",
                    data.sources.cite(data.posting_row(i)),
                    data.txn_id(i),
                    p.date,
                    account.account_ref,
                    account.opening_date
                )
            }),
    );
    notes
}

/// What `validate` prints: a count of everything, each file's rows, then
/// every problem and note.
fn report(loaded: &Loaded, profile: Option<&str>) -> String {
    let data = &loaded.data;
    let mut out = String::new();
    let notes = notes_of(loaded);
    write_counts(&mut out, loaded, profile, notes.len());
    write_files(&mut out, data);
    write_problem_rows(&mut out, loaded);
    if lookalikes(data).next().is_some() {
        let _ = writeln!(out, "\nProblems with whole files:");
        for w in lookalikes(data) {
            let at = w.evidence.first().map(|&r| data.sources.cite(r));
            let _ = writeln!(out, "  {}: {}", at.unwrap_or_default(), w.message);
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes (readable, but worth a look):");
        for n in &notes {
            let _ = writeln!(out, "  {n}");
        }
    }
    out
}

/// Columns not used, and what the data holds that is worth a look.
fn notes_of(loaded: &Loaded) -> Vec<String> {
    let mut notes: Vec<String> = (loaded.unknown_columns.iter())
        .map(|(file, cols)| format!("{file}: columns not used: {} (ignored)", cols.join(", ")))
        .collect();
    notes.extend(self::notes(&loaded.data));
    notes
}

/// The first line: bad rows, problems and notes counted.
fn write_counts(out: &mut String, loaded: &Loaded, profile: Option<&str>, notes: usize) {
    let problems: usize = (loaded.rejects.iter())
        .map(|r| r.row.reasons.len())
        .sum::<usize>()
        + lookalikes(&loaded.data).count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "rent-audit validate{}: {} bad row{}, {problems} problem{}, {notes} note{}",
        profile
            .map(|p| format!(" (profile: {p})"))
            .unwrap_or_default(),
        loaded.rejects.len(),
        plural(loaded.rejects.len()),
        plural(problems),
        plural(notes)
    );
    let _ = writeln!(out);
}

/// Each file read: rows read, used and set aside, and its money and dates.
fn write_files(out: &mut String, data: &Dataset) {
    for file in SourceFile::ALL {
        let r = &data.reading[file.index()];
        let nothing = match file {
            SourceFile::Schedules => data.shares.is_empty(),
            SourceFile::Rents => data.rents.is_empty(),
            SourceFile::Cases => data.cases.is_empty(),
            _ => false,
        };
        if r.rows_read == 0 && nothing {
            continue;
        }
        let detail = file_detail(data, file);
        let _ = writeln!(
            out,
            "{}: {} rows read, {} used, {} set aside; {detail}",
            data.sources.name(file),
            r.rows_read,
            r.rows_read - r.rows_rejected,
            r.rows_rejected
        );
    }
}

/// Every reason each bad row was set aside, at its file, line and column.
fn write_problem_rows(out: &mut String, loaded: &Loaded) {
    if loaded.rejects.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nProblems (these rows cannot be used):");
    for reject in &loaded.rejects {
        for (column, message) in &reject.row.reasons {
            let _ = match column {
                Some((n, col)) => writeln!(
                    out,
                    "  {}:{}:{n}: {col}: {message}",
                    reject.file, reject.line
                ),
                None => writeln!(out, "  {}:{}: {message}", reject.file, reject.line),
            };
        }
    }
}

/// A file's money and dates in words, for its summary line.
fn file_detail(data: &Dataset, file: SourceFile) -> String {
    match file {
        SourceFile::Accounts => format!(
            "rent {} a period in all",
            pounds(data.accounts.iter().map(|a| a.rent).sum())
        ),
        SourceFile::Ledger => {
            // As the control totals take them: signed as debits.
            let (_, credits, _, debits) =
                sides(data.postings.par_iter().map(|p| -p.amount.pence()));
            format!(
                "debits {}, credits {}; {}",
                pounds(debits),
                pounds(credits),
                range(&data.postings, |p| p.date)
            )
        }
        SourceFile::Bank => {
            let (_, money_in, _, money_out) = sides(data.bank.par_iter().map(|b| b.amount.pence()));
            format!(
                "money in {}, out {}; {}",
                pounds(money_in),
                pounds(money_out),
                range(&data.bank, |b| b.date)
            )
        }
        SourceFile::Schedules => {
            let shares = data.shares.iter().map(|s| s.amount()).sum();
            format!("shares {}", pounds(shares))
        }
        SourceFile::Rents => format!(
            "{} rent changes on {} accounts",
            data.rents.len(),
            data.rents.chunk_by(|a, b| a.account == b.account).count()
        ),
        SourceFile::Cases => format!(
            "{} case events on {} accounts",
            data.cases.len(),
            data.cases.chunk_by(|a, b| a.account == b.account).count()
        ),
    }
}
