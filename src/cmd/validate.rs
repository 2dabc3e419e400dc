//! `rent-audit validate`: reads everything as `reconcile` would and reports
//! every problem at once (per file: rows, money, dates, every bad row by
//! file:line:column), with notes on what is odd but readable. Exit 0 clean,
//! 2 on any problem.

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Result;

use crate::cli::ValidateArgs;
use crate::input::{self, Loaded, Mode};
use crate::output;
use crate::recon::identify::normalise;
use crate::recon::model::{Dataset, SourceFile};
use crate::recon::money::pounds;

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let profile = super::profile(&args.input.files.profile)?;
    let paths = super::input_paths(
        args.input.dir.as_deref(),
        &args.input.files,
        profile.as_ref(),
    )?;
    // A problem with a whole file stops here: nothing more can be said.
    let loaded = input::load_with(&paths, profile.as_ref(), Mode::Lenient)?;
    let text = report(&loaded, profile.as_ref().and_then(|p| p.name.as_deref()));
    output::write_to(None, |out| out.write_all(text.as_bytes()))?;
    Ok(if loaded.rejects.is_empty() { 0 } else { 2 })
}

/// The date range of some dates, in words.
fn range(dates: impl Iterator<Item = chrono::NaiveDate>) -> String {
    let mut dates = dates.peekable();
    if dates.peek().is_none() {
        return "no dates".to_string();
    }
    let (mut lo, mut hi) = (chrono::NaiveDate::MAX, chrono::NaiveDate::MIN);
    for d in dates {
        lo = lo.min(d);
        hi = hi.max(d);
    }
    format!("dates {lo} to {hi}")
}

/// Readable but worth a look: schedules for batches no bank line carries,
/// postings dated before their tenancy began.
pub fn notes(data: &Dataset) -> Vec<String> {
    let mut notes = Vec::new();
    let carried: HashSet<crate::recon::model::Text> = data
        .bank
        .iter()
        .enumerate()
        .flat_map(|(i, b)| [normalise(&data.bank_id(i)), normalise(data.reference(b))])
        .collect();
    let mut seen = HashSet::new();
    for s in &data.shares {
        let key = normalise(&s.batch_ref);
        if !carried.contains(&key) && seen.insert(key) {
            notes.push(format!(
                "{}: batch {:?} matches no bank line's id or reference: its shares cannot be checked against money",
                data.sources.cite(s.row),
                s.batch_ref
            ));
        }
    }
    for (i, p) in data.postings.iter().enumerate() {
        let account = data.account(p.account);
        if p.date < account.opening_date {
            notes.push(format!(
                "{}: {} is dated {}, before {}'s tenancy began ({})",
                data.sources.cite(data.posting_row(i)),
                data.txn_id(i),
                p.date,
                account.account_ref,
                account.opening_date
            ));
        }
    }
    notes
}

fn report(loaded: &Loaded, profile: Option<&str>) -> String {
    let data = &loaded.data;
    let mut out = String::new();
    let name = |f: SourceFile| data.sources.name(f).to_string();
    let problems: usize = loaded.rejects.iter().map(|r| r.row.reasons.len()).sum();
    let mut notes: Vec<String> = loaded
        .unknown_columns
        .iter()
        .map(|(file, cols)| format!("{file}: columns not used: {} (ignored)", cols.join(", ")))
        .collect();
    notes.extend(self::notes(data));
    let _ = writeln!(
        out,
        "rent-audit validate{}: {} bad row{}, {problems} problem{}, {} note{}",
        profile
            .map(|p| format!(" (profile: {p})"))
            .unwrap_or_default(),
        loaded.rejects.len(),
        if loaded.rejects.len() == 1 { "" } else { "s" },
        if problems == 1 { "" } else { "s" },
        notes.len(),
        if notes.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out);
    for file in SourceFile::ALL {
        let r = &data.reading[file.index()];
        if r.rows_read == 0 && file == SourceFile::Schedules && data.shares.is_empty() {
            continue;
        }
        let detail = match file {
            SourceFile::Accounts => format!(
                "rent {} a period in all",
                pounds(data.accounts.iter().map(|a| a.rent).sum())
            ),
            SourceFile::Ledger => {
                let debits = data
                    .postings
                    .iter()
                    .filter(|p| !p.is_credit())
                    .map(|p| p.amount())
                    .sum();
                let credits = data.postings.iter().map(|p| p.credit()).sum();
                format!(
                    "debits {}, credits {}; {}",
                    pounds(debits),
                    pounds(credits),
                    range(data.postings.iter().map(|p| p.date))
                )
            }
            SourceFile::Bank => {
                let money_in = data
                    .bank
                    .iter()
                    .filter(|b| b.amount().is_sign_positive())
                    .map(|b| b.amount())
                    .sum();
                let money_out = data
                    .bank
                    .iter()
                    .filter(|b| b.amount().is_sign_negative())
                    .map(|b| -b.amount())
                    .sum();
                format!(
                    "money in {}, out {}; {}",
                    pounds(money_in),
                    pounds(money_out),
                    range(data.bank.iter().map(|b| b.date))
                )
            }
            SourceFile::Schedules => format!(
                "shares {}",
                pounds(data.shares.iter().map(|s| s.amount()).sum())
            ),
        };
        let _ = writeln!(
            out,
            "{}: {} rows read, {} used, {} set aside; {detail}",
            name(file),
            r.rows_read,
            r.rows_read - r.rows_rejected,
            r.rows_rejected
        );
    }
    if !loaded.rejects.is_empty() {
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
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes (readable, but worth a look):");
        for n in &notes {
            let _ = writeln!(out, "  {n}");
        }
    }
    out
}
