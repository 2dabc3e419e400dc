//! `rent-audit profile init`: drafts a mapping profile from one export.

use anyhow::{Context, Result};

use crate::cli::{InputKind, ProfileAction, ProfileInitArgs};
use crate::input::guess;
use crate::output;
use crate::recon::model::SourceFile;

pub fn run(action: &ProfileAction) -> Result<u8> {
    match action {
        ProfileAction::Init(args) => init(args),
    }
}

fn init(args: &ProfileInitArgs) -> Result<u8> {
    // The draft must never replace the export it is drafted from.
    if let Some(out) = args.output.as_deref() {
        output::refuse_overlaps(&[("--output", out)], &[("FILE", &args.file)])?;
    }
    let shown = args.file.display();
    let sample = guess::Sample::read(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let name = args
        .file
        .file_name()
        .map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
    let kind = args.kind.map(|k| match k {
        InputKind::Accounts => SourceFile::Accounts,
        InputKind::Ledger => SourceFile::Ledger,
        InputKind::Bank => SourceFile::Bank,
        InputKind::Schedules => SourceFile::Schedules,
    });
    let draft = guess::draft_from(&name, &sample, kind)
        .with_context(|| format!("cannot draft a profile from {shown}"))?;
    output::write_to(args.output.as_deref(), |out| {
        out.write_all(draft.toml.as_bytes())
    })?;
    // What must be checked before the draft is trusted, where a person sees it.
    for w in &draft.warnings {
        eprintln!("rent-audit: {name}: {w}");
    }
    Ok(0)
}
