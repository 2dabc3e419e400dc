//! `--format html`: the evidence pack, one self-contained printable file
//! (inline CSS and SVG, no scripts, nothing fetched): charts by kind and
//! status, the accounts to act on, and each account's section (docs/formats.md).

mod account;
mod axis;
mod chart;
mod style;

use std::fmt::Write as _;
use std::io::{self, Write};

use rust_decimal::Decimal;

use self::account::account_section;
use self::axis::{count_label, money_label};
use self::chart::{bar_chart, Bar};
use self::style::{badge, kind_class, status_class, status_key, status_word_class, stylesheet};
use super::check::View as CheckView;
use super::ordered::write_in_order;
use super::sections::{sections, Section};
use super::view::{accounts_to_act_on, status_counts};
use super::{Exporter, InputFile, Report};
use crate::escape::html as esc;
use crate::recon::check::{self, StatementLine};
use crate::recon::money::pounds;
use crate::recon::{Dataset, Reconciliation};

pub struct HtmlExporter;

/// The page up to its body: what [`PAGE_END`] closes. `class` marks the
/// body (`check` for the check pack, whose first account prints under its
/// title rather than on a page of its own).
fn page_start(title: &str, class: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{}</style>\n</head>\n<body class=\"{class}\">\n",
        esc(title),
        stylesheet()
    )
}

/// What closes the page [`page_start`] opens.
const PAGE_END: &str = "</body>\n</html>\n";

/// Accounts' sections to a buffer when rendered in parallel: a section is
/// a few kilobytes, with its statement tens.
const SECTIONS_A_RUN: usize = 16;

fn fingerprint(inputs: &[InputFile], settings: &str) -> String {
    let mut s = format!(
        "<h2>Run fingerprint</h2>\n<p class=\"muted\">{} {}; {}</p>\n<table class=\"fingerprint\">\
         <thead><tr><th>file</th><th>bytes</th><th>SHA-256</th></tr></thead>\n",
        esc("rent-audit"),
        env!("CARGO_PKG_VERSION"),
        esc(settings)
    );
    for i in inputs {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&i.file),
            i.bytes,
            i.sha256
        );
    }
    s.push_str("</table>\n");
    s
}

/// The statement an account's chart is drawn from: 2 years to the as-at date.
fn chart_lines(book: &check::Book<'_>, recon: &Reconciliation, id: u32) -> Vec<StatementLine> {
    let since = recon
        .as_at
        .checked_sub_months(chrono::Months::new(24))
        .unwrap_or(recon.as_at);
    book.statement(id, since)
}

/// The pack's title and its settings: the as-at date said once, in the
/// title, not again at the head of the settings.
fn title_block(report: &Report<'_>) -> String {
    let as_at = report.recon.as_at;
    let settings = report.settings_line();
    let rest = settings
        .strip_prefix(&format!("as at {as_at}; "))
        .unwrap_or(&settings);
    format!(
        "<header>\n<h1>Rent reconciliation as at {as_at}</h1>\n<p class=\"muted\">{}</p>\n</header>\n",
        esc(rest)
    )
}

/// Money by finding kind, each bar in the colour of its most severe
/// finding, and accounts by status in the terminal's tiers, each with its
/// key.
fn summary_charts(report: &Report<'_>) -> String {
    let t = &report.recon.totals;
    let mut s = String::from("<h2>Money by finding kind</h2>\n");
    if t.findings.is_empty() {
        s.push_str("<p>No findings.</p>\n");
    } else {
        let bars: Vec<Bar> = (t.findings.iter())
            .map(|k| {
                let mut by = Vec::new();
                for (n, word) in [(k.high, "high"), (k.medium, "medium"), (k.low, "low")] {
                    if n > 0 {
                        by.push(format!("{n} {word}"));
                    }
                }
                Bar {
                    label: k.kind.to_string(),
                    value: k.money,
                    text: format!("{} ({} found: {})", pounds(k.money), k.count, by.join(", ")),
                    class: kind_class(k),
                }
            })
            .collect();
        s.push_str(&bar_chart(&bars, money_label, "money by finding kind"));
        s.push_str(&style::severity_key());
    }
    s.push_str("<h2>Accounts by status</h2>\n");
    let bars: Vec<Bar> = (status_counts(report.recon).into_iter())
        .map(|(status, n, _, corrected)| Bar {
            label: status.to_string(),
            value: Decimal::from(n),
            text: format!("{n} (corrected {})", pounds(corrected)),
            class: status_class(status),
        })
        .collect();
    s.push_str(&bar_chart(&bars, count_label, "accounts by status"));
    s.push_str(&status_key());
    s
}

/// A section of the text report as a table; `cell` writes each cell's
/// contents (escaping them) given its column's header.
fn section_table(section: &Section, cell: impl Fn(&str, &str) -> String) -> String {
    let mut s = format!("<h2>{}</h2>\n<table><thead><tr>", esc(&section.title));
    for h in &section.headers {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n");
    for row in &section.rows {
        s.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let class = if section.numeric.contains(&i) {
                " class=\"n\""
            } else {
                ""
            };
            let header = section.headers.get(i).copied().unwrap_or("");
            let _ = write!(s, "<td{class}>{}</td>", cell(header, c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
    if let Some(note) = &section.note {
        let _ = writeln!(s, "<p class=\"muted\">{}</p>", esc(note));
    }
    if !section.legend.is_empty() {
        s.push_str("<ul class=\"muted legend\">\n");
        for line in &section.legend {
            let _ = writeln!(s, "<li>{}</li>", esc(line));
        }
        s.push_str("</ul>\n");
    }
    s
}

/// The accounts to act on, as the terminal's table of them (the same
/// section, so the two cannot disagree), each linking to its section; and
/// the control-totals tables, as in the text report.
fn summary_tables(report: &Report<'_>) -> String {
    let mut all = sections(report);
    let mut s = String::new();
    let act = (all.iter())
        .position(|sec| sec.title.starts_with("Accounts to act on"))
        .map(|i| all.remove(i));
    if let Some(act) = act {
        s.push_str(&section_table(&act, |header, c| match header {
            "account" => format!("<a href=\"#acc-{}\">{}</a>", esc(c), esc(c)),
            "status" => badge(status_word_class(c), c),
            _ => esc(c),
        }));
    }
    for section in all.iter().take(3) {
        s.push_str(&section_table(section, |_, c| esc(c)));
    }
    // Every finding, as the terminal lists them: those on accounts not to
    // act on (a duplicate on a clear account, money in suspense) too.
    if let Some(findings) = all
        .iter()
        .find(|sec| sec.title.starts_with("Findings, most urgent"))
    {
        s.push_str(&section_table(findings, |header, c| match header {
            "severity" => match crate::recon::Severity::from_word(c) {
                Some(sev) => badge(style::severity_class(sev), c),
                None => esc(c),
            },
            _ => esc(c),
        }));
    }
    s
}

impl Exporter for HtmlExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let (data, recon) = (report.data, report.recon);
        let mut body = title_block(report);
        body.push_str(&warnings_block(data, recon));
        if let Some(note) = report.focus.note(recon) {
            let _ = writeln!(body, "<p><b>{}</b></p>", esc(&note));
        }
        let t = &recon.totals;
        let _ = writeln!(
            body,
            "<p>Control totals: the bank's net money ({}) and the ledger's credits ({}) are each accounted for {}.</p>",
            esc(&pounds(t.bank_net())),
            esc(&pounds(t.ledger_credits)),
            if t.ties() { "to the penny" } else { "<b>with a difference</b>" }
        );
        body.push_str(&summary_charts(report));
        body.push_str(&summary_tables(report));
        out.write_all(
            page_start(
                &format!("Rent reconciliation as at {}", recon.as_at),
                "pack",
            )
            .as_bytes(),
        )?;
        out.write_all(body.as_bytes())?;
        // Each account to act on has a section of its own: tens of
        // thousands in a large landlord's year, written as they are made.
        let act = accounts_to_act_on(report);
        let book = check::Book::new(data, recon);
        write_in_order(
            &act,
            SECTIONS_A_RUN,
            |_, a, buf| {
                if let Some(c) = book.check(a.account) {
                    let lines = chart_lines(&book, recon, a.account);
                    buf.extend_from_slice(
                        account_section(data, recon, &c, &lines, false).as_bytes(),
                    );
                }
                Ok(())
            },
            out,
        )?;
        out.write_all(fingerprint(&report.inputs, &report.settings_line()).as_bytes())?;
        out.write_all(PAGE_END.as_bytes())
    }
}

/// The run's warnings as a list at the top of a page (nothing if none).
fn warnings_block(data: &Dataset, recon: &Reconciliation) -> String {
    let views = super::view::warning_views(data, recon);
    if views.is_empty() {
        return String::new();
    }
    let mut s = String::from("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
    for w in &views {
        let _ = writeln!(s, "<li><b>{}</b></li>", esc(&w.line()));
    }
    s.push_str("</ul>\n");
    s
}

/// The `check` pack: each account's full section.
pub fn write_check(view: &CheckView<'_>, out: &mut dyn Write) -> io::Result<()> {
    let title = format!("Account check as at {}", view.recon.as_at);
    out.write_all(page_start(&title, "check").as_bytes())?;
    writeln!(out, "<header><h1>{title}</h1></header>")?;
    out.write_all(warnings_block(view.data, view.recon).as_bytes())?;
    let book = check::Book::new(view.data, view.recon);
    write_in_order(
        view.checks,
        SECTIONS_A_RUN,
        |i, c, buf| {
            let lines = view
                .statements
                .get(i)
                .cloned()
                .unwrap_or_else(|| chart_lines(&book, view.recon, c.account));
            buf.extend_from_slice(
                account_section(view.data, view.recon, c, &lines, true).as_bytes(),
            );
            Ok(())
        },
        out,
    )?;
    let mut settings = format!(
        "as at {}; trigger {}",
        view.recon.as_at, view.recon.settings.trigger
    );
    for (name, from) in &view.recon.settings.origins {
        settings.push_str(&format!("; {name} from {from}"));
    }
    out.write_all(fingerprint(view.inputs, &settings).as_bytes())?;
    out.write_all(PAGE_END.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
