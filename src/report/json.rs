//! `--format json`: one object with `findings`, `accounts` and `totals` as
//! CONTRACT.md names them, plus `run` (tool, inputs, settings).

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde::Serialize;

use super::ordered::write_in_order;
use super::view::{account_view, finding_view, in_parts_view};
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
    allocation: &'static str,
    serve_on: Option<String>,
    hb_first_run_days: i64,
    uc_first_run_days: i64,
    hb_rent_rebates: bool,
    /// Whether the rent-free weeks were read from the charges.
    rent_free_weeks_inferred: bool,
    /// The landlord's rent changes read from the charges.
    rent_changes_inferred: Vec<String>,
    /// Where each setting not at its default came from.
    settings_from: std::collections::BTreeMap<&'static str, &'static str>,
    /// Present when the findings and accounts are filtered: what was asked
    /// for and how much is listed (the totals cover the whole run).
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<Listed>,
}

#[derive(Serialize)]
struct Listed {
    /// The filter as the command line gave it.
    asked: Vec<String>,
    findings_listed: usize,
    findings_in_run: usize,
    accounts_listed: usize,
    accounts_in_run: usize,
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
    /// The other side of moves between accounts (`posted_to`'s balance),
    /// present where the kind moves money between accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    corrections_posted_to: Option<String>,
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
        let doc = Document {
            run: run_of(report),
            totals: totals_of(report),
        };
        write_document(report, &doc, out)
    }
}

/// What the run was: its tool, inputs, filter and every setting it ran by.
fn run_of(report: &Report<'_>) -> Run {
    let recon = report.recon;
    let settings = &recon.settings;
    Run {
        tool: report.tool(),
        inputs: report.inputs.clone(),
        rent_free_weeks: (settings.rent_free_weeks.iter())
            .chain(&recon.rent_free_inferred)
            .map(|d| d.to_string())
            .collect(),
        rent_free_weeks_inferred: !recon.rent_free_inferred.is_empty(),
        rent_changes_inferred: (recon.rent_changes_inferred.iter())
            .map(|d| d.to_string())
            .collect(),
        settings_from: settings.origins.iter().copied().collect(),
        filter: (!report.focus.is_whole()).then(|| Listed {
            asked: report.focus.said().to_vec(),
            findings_listed: report.focus.findings(recon).len(),
            findings_in_run: recon.findings.len(),
            accounts_listed: report.focus.assessments(recon).len(),
            accounts_in_run: recon.assessments.len(),
        }),
        check_charges: settings.check_charges,
        as_at: recon.as_at.to_string(),
        trigger: settings.trigger.to_string(),
        warn_at: plain(settings.warn_at),
        posting_days: settings.posting_days,
        match_days: settings.match_days,
        allocation: settings.allocation.as_str(),
        hb_first_run_days: settings.first_run_days.0,
        uc_first_run_days: settings.first_run_days.1,
        hb_rent_rebates: settings.hb_rent_rebates,
        serve_on: settings.serve_on.map(|d| d.to_string()),
    }
}

/// The control totals: each file's rows and money, every outcome's, and
/// each finding kind's.
fn totals_of(report: &Report<'_>) -> Totals {
    let t = &report.recon.totals;
    Totals {
        files: file_totals(report),
        bulk_lines: t.bulk_lines,
        bank_outcomes: outcome_rows(&t.bank_outcomes),
        ledger_credit_outcomes: outcome_rows(&t.credit_outcomes),
        matched_bank: matched(&t.bank_outcomes),
        matched_credits: matched(&t.credit_outcomes),
        findings: (t.findings.iter())
            .map(|k| KindRow {
                kind: k.kind.as_str(),
                count: k.count,
                high: k.high,
                medium: k.medium,
                low: k.low,
                money: plain(k.money),
                corrections: plain(k.corrections),
                corrections_posted_to: (!k.posted_to_corrections.is_zero())
                    .then(|| plain(k.posted_to_corrections)),
            })
            .collect(),
        ties: t.ties(),
    }
}

/// Each file read: the four the contract requires, then rents and cases
/// where they were read.
fn file_totals(report: &Report<'_>) -> Vec<FileTotal> {
    use crate::recon::model::SourceFile as F;
    let (data, t) = (report.data, &report.recon.totals);
    let total = |f: F, rows: usize, money_in: Option<Decimal>, money_out: Option<Decimal>| {
        let reading = &t.reading[f.index()];
        FileTotal {
            file: data.sources.name(f).to_string(),
            rows,
            rows_read: reading.rows_read,
            rows_rejected: reading.rows_rejected,
            rejected_money: plain(reading.rejected_money),
            money_in: money_in.map(plain),
            money_out: money_out.map(plain),
        }
    };
    let mut files = vec![
        total(F::Accounts, t.accounts_rows, None, None),
        total(
            F::Ledger,
            t.ledger_rows,
            Some(t.ledger_credits),
            Some(t.ledger_debits),
        ),
        total(F::Bank, t.bank_rows, Some(t.money_in), Some(t.money_out)),
        total(F::Schedules, t.schedule_rows, Some(t.schedule_amount), None),
    ];
    for (f, rows) in [(F::Rents, data.rents.len()), (F::Cases, data.cases.len())] {
        if report.read(data.sources.name(f)) {
            files.push(total(f, rows, None, None));
        }
    }
    files
}

/// The document as `serde_json::to_writer_pretty` writes it, byte for byte,
/// with the long arrays rendered in parallel, a run of items per task.
fn write_document(report: &Report<'_>, doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    let (data, recon) = (report.data, report.recon);
    let mut buf = Vec::new();
    buf.extend_from_slice(b"{\n  \"run\": ");
    indented(&doc.run, b"  ", &mut buf)?;
    buf.extend_from_slice(b",\n  \"warnings\": ");
    indented(&super::view::warning_views(data, recon), b"  ", &mut buf)?;
    out.write_all(&buf)?;
    out.write_all(b",\n  \"findings\": ")?;
    write_array(
        &report.focus.findings(recon),
        |_, f| finding_view(data, f),
        out,
    )?;
    out.write_all(b",\n  \"accounts\": ")?;
    write_array(
        &report.focus.assessments(recon),
        |_, a| account_view(data, a),
        out,
    )?;
    out.write_all(b",\n  \"matched_in_parts\": ")?;
    write_array(&recon.matching.in_parts, |_, m| in_parts_view(data, m), out)?;
    out.write_all(b",\n  \"totals\": ")?;
    buf.clear();
    indented(&doc.totals, b"  ", &mut buf)?;
    out.write_all(&buf)?;
    out.write_all(b"\n}\n")
}

/// Appends `value` as pretty JSON to `buf`, every line after the first
/// indented by `pad`: as if nested that deep in the document.
pub(super) fn indented<T: Serialize>(value: &T, pad: &[u8], buf: &mut Vec<u8>) -> io::Result<()> {
    let nested = Nested {
        pad,
        depth: 0,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(buf, nested);
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// serde_json's pretty layout (two spaces a level) for a value nested in a
/// document: every line after the first starts with `pad`. Written straight
/// into the buffer, where indenting serde's own pretty output afterwards
/// took a second pass over every byte.
struct Nested<'p> {
    pad: &'p [u8],
    depth: usize,
    has_value: bool,
}

impl Nested<'_> {
    /// `sep`, then a new line's indentation.
    fn new_line<W: ?Sized + Write>(&self, w: &mut W, sep: &[u8]) -> io::Result<()> {
        w.write_all(sep)?;
        w.write_all(self.pad)?;
        (0..self.depth).try_for_each(|_| w.write_all(b"  "))
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.new_line(w, b"\n")?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A top-level array of each item's `view`, rendered in parallel (see
/// [`write_in_order`]): items are viewed as they are rendered rather than
/// all at once (a view of every account is a hundred megabytes of strings
/// at 125,000 accounts).
pub(super) fn write_array<'i, S: Sync, T: Serialize>(
    items: &'i [S],
    view: impl Fn(usize, &'i S) -> T + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    write_in_order(
        items,
        256,
        |i, item, buf| {
            buf.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            indented(&view(i, item), b"    ", buf)
        },
        out,
    )?;
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
        write_array(items, |_, item| item.clone(), &mut ours).expect("write");
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
