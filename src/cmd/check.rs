//! `rent-audit check`: the review before a NOSP, for one account or a list.
//! Reconciles everything (a mis-posting involves two accounts), then reports
//! each named account's verdict. Exit 0 when nothing stands in the way, 1 to
//! hold or not serve, 2 on bad input.

use anyhow::{Context, Result};
use chrono::Months;
use rayon::prelude::*;

use super::Reconciled;
use crate::cli::CheckArgs;
use crate::output;
use crate::recon::check::{self, Decision};
use crate::report::check as render;

pub fn run(args: &CheckArgs) -> Result<u8> {
    let (data_dir, refs) = data_folder(args)?;
    if refs.is_empty() {
        return Err(super::UsageError(
            "name the accounts to check, or give --accounts-from FILE".to_string(),
        )
        .into());
    }
    let Reconciled {
        data,
        recon,
        inputs,
    } = super::load_and_reconcile(
        Some(&data_dir),
        &args.input,
        &args.rules,
        args.output.as_deref(),
    )?;
    // A list may name every account: each is found through a map, not a
    // search of the accounts, and checked in parallel, in the list's order.
    let by_ref = super::refs::index(&data);
    let refs = super::refs::known_refs(refs, &by_ref, &data)?;
    super::warn_on_stderr(
        &data,
        &recon,
        args.output.is_some() || args.format == crate::cli::CheckFormat::Csv,
    );
    let book = check::Book::new(&data, &recon);
    let checks: Vec<check::AccountCheck> = (refs.par_iter())
        .filter_map(|r| by_ref.get(r.as_str()).and_then(|&id| book.check(id)))
        .collect();
    let since = args.since.unwrap_or_else(|| {
        recon
            .as_at
            .checked_sub_months(Months::new(24))
            .unwrap_or(recon.as_at)
    });
    // The CSV is the statement: asking for it asks for the statement.
    let statement = args.statement || args.format == crate::cli::CheckFormat::Csv;
    let statements: Vec<Vec<check::StatementLine>> = if statement {
        checks
            .par_iter()
            .map(|c| book.statement(c.account, since))
            .collect()
    } else {
        Vec::new()
    };
    let view = render::View {
        data: &data,
        recon: &recon,
        checks: &checks,
        statements: &statements,
        since,
        inputs: &inputs,
        colour: args.output.is_none() && crate::term::colour_stdout(),
    };
    output::write_to(args.output.as_deref(), |out| {
        render::write(&view, args.format.into(), out)
    })?;
    Ok(u8::from(
        checks.iter().any(|c| c.decision != Decision::MayProceed),
    ))
}

/// The data folder, and the account refs: a positional argument that is a
/// folder (`check RA1002 fixtures/sample`, as reconcile takes one) is the
/// data folder, where `--data` was not given.
fn data_folder(args: &CheckArgs) -> Result<(std::path::PathBuf, Vec<String>)> {
    let (folders, refs): (Vec<&String>, Vec<&String>) =
        (args.account_refs.iter()).partition(|r| std::path::Path::new(r.as_str()).is_dir());
    let mut refs: Vec<String> = refs.into_iter().cloned().collect();
    let data = match folders.as_slice() {
        [] => args.data.clone(),
        [dir] if args.data.as_os_str() == "." => std::path::PathBuf::from(dir.as_str()),
        [dir] => {
            return Err(super::UsageError(format!(
                "{dir:?} is a folder, and --data names another: give the data folder once"
            ))
            .into())
        }
        _ => return Err(super::UsageError(
            "more than one folder among the account refs: give the data folder once, as --data DIR"
                .to_string(),
        )
        .into()),
    };
    if let Some(path) = &args.accounts_from {
        // A million refs is about 10 MiB; past that it is not a list.
        let text = crate::input::limit::read_text(path, 256 << 20)
            .with_context(|| format!("cannot read {}", path.display()))?;
        refs.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
    }
    Ok((data, refs))
}
