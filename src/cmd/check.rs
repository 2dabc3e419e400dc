//! `rent-audit check`: the review before a NOSP, for one account or a list.
//! Reconciles everything (a mis-posting involves two accounts), then reports
//! each named account's verdict. Exit 0 when nothing stands in the way, 1 to
//! hold or not serve, 2 on bad input.

use anyhow::{bail, Context, Result};
use chrono::Months;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::Reconciled;
use crate::cli::CheckArgs;
use crate::output;
use crate::recon::check::{self, Decision};
use crate::report::check as render;

pub fn run(args: &CheckArgs) -> Result<u8> {
    let mut refs = args.account_refs.clone();
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
    if refs.is_empty() {
        bail!("name the accounts to check, or give --accounts-from FILE");
    }
    let Reconciled {
        data,
        recon,
        inputs,
    } = super::load_and_reconcile(
        Some(&args.data),
        &args.input,
        &args.rules,
        args.output.as_deref(),
    )?;
    // A list may name every account: each is found through a map, not a
    // search of the accounts, and checked in parallel, in the list's order.
    let mut by_ref: HashMap<&str, u32> = HashMap::default();
    for (i, a) in data.accounts.iter().enumerate() {
        by_ref.entry(a.account_ref.as_str()).or_insert(i as u32);
    }
    let unknown: Vec<&str> = (refs.iter())
        .filter(|r| !by_ref.contains_key(r.as_str()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        bail!(
            "no account {} in {}",
            unknown
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            data.sources.name(crate::recon::model::SourceFile::Accounts)
        );
    }
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
    let statements: Vec<Vec<check::StatementLine>> = if args.statement {
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
