//! `rent-audit check`: the review before a NOSP, for one account or a list.
//! Reconciles everything (a mis-posting involves two accounts), then reports
//! each named account's verdict. Exit 0 when nothing stands in the way, 1 to
//! hold or not serve, 2 on bad input.

use anyhow::{bail, Context, Result};
use chrono::Months;

use super::Reconciled;
use crate::cli::CheckArgs;
use crate::output;
use crate::recon::check::{self, Decision};
use crate::report::check as render;

pub fn run(args: &CheckArgs) -> Result<u8> {
    let mut refs = args.account_refs.clone();
    if let Some(path) = &args.accounts_from {
        let text = std::fs::read_to_string(path)
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
    let book = check::Book::new(&data, &recon);
    let mut checks = Vec::new();
    let mut unknown = Vec::new();
    for r in &refs {
        match data.accounts.iter().position(|a| a.account_ref == r) {
            Some(i) => checks.extend(book.check(i as u32)),
            None => unknown.push(r.as_str()),
        }
    }
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
    let since = args.since.unwrap_or_else(|| {
        recon
            .as_at
            .checked_sub_months(Months::new(24))
            .unwrap_or(recon.as_at)
    });
    let statements: Vec<Vec<check::StatementLine>> = if args.statement {
        checks
            .iter()
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
        render::write(&view, args.format, out)
    })?;
    Ok(u8::from(
        checks.iter().any(|c| c.decision != Decision::MayProceed),
    ))
}
