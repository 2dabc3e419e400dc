//! `--format json`: one object with `findings`, `accounts` and `totals` as
//! CONTRACT.md names them, plus `run` (tool, inputs, settings).

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::view::{account_view, finding_view};
use super::{Exporter, Report};
use crate::recon::money::plain;
use crate::recon::totals::OutcomeTotal;

pub struct JsonExporter;

#[derive(Serialize)]
struct Run {
    tool: String,
    inputs: Vec<super::InputFile>,
    rent_free_weeks: Vec<String>,
    check_charges: bool,
    as_at: String,
    trigger: String,
    warn_at: String,
    posting_days: i64,
    match_days: i64,
}

#[derive(Serialize)]
struct FileTotal {
    file: String,
    /// Rows used; `rows_read` = `rows` + `rows_rejected`.
    rows: usize,
    rows_read: usize,
    rows_rejected: usize,
    rejected_money: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    money_in: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    money_out: Option<String>,
}

#[derive(Serialize)]
struct OutcomeRow {
    outcome: &'static str,
    rows: usize,
    amount: String,
}

#[derive(Serialize)]
struct KindRow {
    kind: &'static str,
    count: usize,
    high: usize,
    medium: usize,
    low: usize,
    money: String,
    corrections: String,
}

#[derive(Serialize)]
struct Totals {
    files: Vec<FileTotal>,
    bulk_lines: usize,
    bank_outcomes: Vec<OutcomeRow>,
    ledger_credit_outcomes: Vec<OutcomeRow>,
    matched_bank: String,
    matched_credits: String,
    findings: Vec<KindRow>,
    ties: bool,
}

/// The document but for its two long arrays, which are viewed a run at a
/// time as they are written ([`write_array`]).
struct Document {
    run: Run,
    totals: Totals,
}

fn outcome_rows(v: &[OutcomeTotal]) -> Vec<OutcomeRow> {
    v.iter()
        .map(|o| OutcomeRow {
            outcome: o.outcome.as_str(),
            rows: o.rows,
            amount: plain(o.amount),
        })
        .collect()
}

fn matched(v: &[OutcomeTotal]) -> String {
    plain(
        v.iter()
            .filter(|o| o.outcome == crate::recon::Outcome::Matched)
            .map(|o| o.amount)
            .sum(),
    )
}

impl Exporter for JsonExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let (data, recon) = (report.data, report.recon);
        let t = &recon.totals;
        let name = |f| data.sources.name(f).to_string();
        use crate::recon::model::SourceFile as F;
        let doc = Document {
            run: Run {
                tool: report.tool(),
                inputs: report.inputs.clone(),
                rent_free_weeks: recon
                    .settings
                    .rent_free_weeks
                    .iter()
                    .map(|d| d.to_string())
                    .collect(),
                check_charges: recon.settings.check_charges,
                as_at: recon.as_at.to_string(),
                trigger: recon.settings.trigger.to_string(),
                warn_at: plain(recon.settings.warn_at),
                posting_days: recon.settings.posting_days,
                match_days: recon.settings.match_days,
            },
            totals: Totals {
                files: vec![
                    FileTotal {
                        file: name(F::Accounts),
                        rows: t.accounts_rows,
                        rows_read: t.reading[F::Accounts.index()].rows_read,
                        rows_rejected: t.reading[F::Accounts.index()].rows_rejected,
                        rejected_money: plain(t.reading[F::Accounts.index()].rejected_money),
                        money_in: None,
                        money_out: None,
                    },
                    FileTotal {
                        file: name(F::Ledger),
                        rows: t.ledger_rows,
                        rows_read: t.reading[F::Ledger.index()].rows_read,
                        rows_rejected: t.reading[F::Ledger.index()].rows_rejected,
                        rejected_money: plain(t.reading[F::Ledger.index()].rejected_money),
                        money_in: Some(plain(t.ledger_credits)),
                        money_out: Some(plain(t.ledger_debits)),
                    },
                    FileTotal {
                        file: name(F::Bank),
                        rows: t.bank_rows,
                        rows_read: t.reading[F::Bank.index()].rows_read,
                        rows_rejected: t.reading[F::Bank.index()].rows_rejected,
                        rejected_money: plain(t.reading[F::Bank.index()].rejected_money),
                        money_in: Some(plain(t.money_in)),
                        money_out: Some(plain(t.money_out)),
                    },
                    FileTotal {
                        file: name(F::Schedules),
                        rows: t.schedule_rows,
                        rows_read: t.reading[F::Schedules.index()].rows_read,
                        rows_rejected: t.reading[F::Schedules.index()].rows_rejected,
                        rejected_money: plain(t.reading[F::Schedules.index()].rejected_money),
                        money_in: Some(plain(t.schedule_amount)),
                        money_out: None,
                    },
                ],
                bulk_lines: t.bulk_lines,
                bank_outcomes: outcome_rows(&t.bank_outcomes),
                ledger_credit_outcomes: outcome_rows(&t.credit_outcomes),
                matched_bank: matched(&t.bank_outcomes),
                matched_credits: matched(&t.credit_outcomes),
                findings: t
                    .findings
                    .iter()
                    .map(|k| KindRow {
                        kind: k.kind.as_str(),
                        count: k.count,
                        high: k.high,
                        medium: k.medium,
                        low: k.low,
                        money: plain(k.money),
                        corrections: plain(k.corrections),
                    })
                    .collect(),
                ties: t.ties(),
            },
        };
        write_document(report, &doc, out)
    }
}

/// The document as `serde_json::to_writer_pretty` writes it, byte for byte,
/// with the long arrays rendered in parallel, a run of items per task.
fn write_document(report: &Report<'_>, doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    let (data, recon) = (report.data, report.recon);
    let mut buf = Vec::new();
    let mut scratch = Vec::new();
    buf.extend_from_slice(b"{\n  \"run\": ");
    indented(&doc.run, b"  ", &mut scratch, &mut buf)?;
    out.write_all(&buf)?;
    out.write_all(b",\n  \"findings\": ")?;
    write_array(&recon.findings, |f| finding_view(data, f), out)?;
    out.write_all(b",\n  \"accounts\": ")?;
    write_array(&recon.assessments, |a| account_view(data, a), out)?;
    out.write_all(b",\n  \"totals\": ")?;
    buf.clear();
    indented(&doc.totals, b"  ", &mut scratch, &mut buf)?;
    out.write_all(&buf)?;
    out.write_all(b"\n}\n")
}

/// Appends `value` as pretty JSON to `buf`, every line after the first
/// indented by `pad`: as if nested that deep in the document. Rendered whole
/// into `scratch` first and indented in one pass, rather than through a
/// writer that serde_json would call for every token.
fn indented<T: Serialize>(
    value: &T,
    pad: &[u8],
    scratch: &mut Vec<u8>,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, value).map_err(io::Error::other)?;
    for piece in scratch.split_inclusive(|&b| b == b'\n') {
        buf.extend_from_slice(piece);
        if piece.ends_with(b"\n") {
            buf.extend_from_slice(pad);
        }
    }
    Ok(())
}

/// A top-level array of each item's `view`: rendered in parallel, `RUN`
/// items to a buffer, and written in order. Items are viewed as they are
/// rendered rather than all at once (a view of every account is a hundred
/// megabytes of strings at 125,000 accounts), and the buffers are used again
/// from group to group: memory first touched costs more than rendering.
fn write_array<S: Sync, T: Serialize>(
    items: &[S],
    view: impl Fn(&S) -> T + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    const RUN: usize = 256;
    const RUNS_AT_ONCE: usize = 64;
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
    let take_spare = || {
        let mut buf = spare
            .lock()
            .map(|mut s| s.pop())
            .ok()
            .flatten()
            .unwrap_or_default();
        buf.clear();
        buf
    };
    let render = |g: usize, group: &[S]| -> io::Result<Vec<Vec<u8>>> {
        group
            .par_chunks(RUN)
            .enumerate()
            .map(|(r, run)| {
                let mut buf = take_spare();
                let mut scratch = Vec::new();
                for (i, item) in run.iter().enumerate() {
                    let first = g == 0 && r == 0 && i == 0;
                    buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                    indented(&view(item), b"    ", &mut scratch, &mut buf)?;
                }
                Ok(buf)
            })
            .collect()
    };
    // Each group is written (here: the writer is not `Send`) while the next
    // is rendered, so that the writing, one thread's work, does not leave
    // the other cores idle; its buffers are then spare for the group after.
    let mut written: Vec<Vec<u8>> = Vec::new();
    let mut write_out = |written: Vec<Vec<u8>>| -> io::Result<()> {
        written.iter().try_for_each(|buf| out.write_all(buf))?;
        if let Ok(mut s) = spare.lock() {
            s.extend(written);
        }
        Ok(())
    };
    for (g, group) in items.chunks(RUN * RUNS_AT_ONCE).enumerate() {
        let mut rendered = Ok(Vec::new());
        let wrote = rayon::in_place_scope(|s| {
            s.spawn(|_| rendered = render(g, group));
            write_out(std::mem::take(&mut written))
        });
        wrote?;
        written = rendered?;
    }
    write_out(written)?;
    out.write_all(b"\n  ]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Serialize)]
    struct Item {
        n: usize,
        name: String,
        parts: Vec<u8>,
        inner: Option<Box<Item>>,
    }

    #[derive(Serialize)]
    struct Doc<'a> {
        items: &'a [Item],
    }

    /// What serde writes for `{"items": [...]}`, and what `write_array` does.
    fn both(items: &[Item]) -> (String, String) {
        let expected = serde_json::to_string_pretty(&Doc { items }).expect("serialise");
        let mut ours = b"{\n  \"items\": ".to_vec();
        write_array(items, Item::clone, &mut ours).expect("write");
        ours.extend_from_slice(b"\n}");
        (String::from_utf8(ours).expect("utf-8"), expected)
    }

    #[test]
    fn arrays_render_as_serde_would_across_runs_and_groups() {
        let item = |n: usize| Item {
            n,
            name: format!("line {n}\nwith \"quotes\""),
            parts: (0..(n % 3) as u8).collect(),
            inner: (n % 5 == 0).then(|| {
                Box::new(Item {
                    n,
                    name: String::new(),
                    parts: Vec::new(),
                    inner: None,
                })
            }),
        };
        for len in [0, 1, 255, 256, 257, 16_384, 16_385, 20_000, 40_000] {
            let items: Vec<Item> = (0..len).map(item).collect();
            let (ours, expected) = both(&items);
            assert_eq!(ours, expected, "{len} items");
        }
    }
}
