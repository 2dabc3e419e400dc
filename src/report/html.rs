//! `--format html`: the evidence pack. One self-contained file (inline CSS
//! and SVG, no scripts, nothing fetched), readable offline and printable:
//! for a reconciliation, money by finding kind, accounts by status and the
//! accounts to act on, each with its own section and balance chart; for
//! `check`, each account's verdict, chart, checklist and statement.

use std::fmt::Write as _;
use std::io::{self, Write};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::check::View as CheckView;
use super::ordered::write_in_order;
use super::sections::sections;
use super::view::{accounts_to_act_on, status_counts};
use super::{Exporter, InputFile, Report};
use crate::escape::html as esc;
use crate::recon::case::CaseKind;
use crate::recon::check::{self, AccountCheck, StatementLine, Tick};
use crate::recon::money::{fixed_point, plain, pounds};
use crate::recon::{Dataset, Reconciliation};

pub struct HtmlExporter;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;\
color:#1d2433;line-height:1.4}h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #d8dde6;\
padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.05rem}table{border-collapse:collapse;width:100%;\
margin:.6rem 0;font-size:.88rem}th,td{border:1px solid #d8dde6;padding:.25rem .45rem;text-align:left;\
vertical-align:top}th{background:#f2f4f8}td.n{text-align:right;white-space:nowrap}.verdict{font-size:1.1rem;\
font-weight:600;padding:.6rem .8rem;border-left:6px solid}.do_not_serve{border-color:#c0392b;background:#fdecea}\
.hold{border-color:#d68910;background:#fef5e7}.may_proceed{border-color:#1e8449;background:#e9f7ef}\
.muted{color:#5b6474;font-size:.85rem}.fingerprint td{font-family:monospace;font-size:.78rem}\
svg{max-width:100%;height:auto}.corr{background:#eef4ff}@media print{h2{page-break-before:auto}\
section{page-break-inside:avoid}}";

/// The page up to its body: what [`PAGE_END`] closes.
fn page_start(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
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
         <tr><th>file</th><th>bytes</th><th>SHA-256</th></tr>\n",
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

fn to_f64(d: Decimal) -> f64 {
    // Pixel positions only: every figure shown is printed from the Decimal.
    d.to_f64().unwrap_or(0.0)
}

/// A chart position as `{:.1}` writes it (to a tenth, a half to the even
/// tenth of the float's exact value), without the float formatter: a year's
/// charts hold millions of positions, and formatting them was a tenth of
/// writing the pack.
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((negative, tenths)) = tenths(self.0) else {
            return write!(f, "{:.1}", self.0);
        };
        f.write_str(fixed_point(tenths, 1, negative, &mut [0u8; 24]))
    }
}

/// `v`'s sign and its size in tenths, rounded as `{:.1}` rounds: from the
/// float's exact value `m * 2^e`, a half to even. `None` where `v` is not
/// finite or not below 10^15.
fn tenths(v: f64) -> Option<(bool, u64)> {
    if !v.is_finite() || v.abs() >= 1e15 {
        return None;
    }
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, biased - 1075),
    };
    let tenths = if e >= 0 {
        // An integer below 10^15: its tenths fit.
        u128::from(m << e) * 10
    } else {
        let shift = e.unsigned_abs();
        let x = u128::from(m) * 10; // below 2^57
        if shift >= 64 {
            0 // below a twentieth
        } else {
            let q = x >> shift;
            let rest = x - (q << shift);
            let half = 1u128 << (shift - 1);
            q + u128::from(rest > half || (rest == half && q % 2 == 1))
        }
    };
    Some((bits >> 63 == 1, u64::try_from(tenths).ok()?))
}

/// Horizontal bars, one per row: label, value, and the text to print.
fn bar_chart(rows: &[(String, Decimal, String)], colour: &str) -> String {
    let (w, bar_h, left) = (720.0, 22.0, 190.0);
    let max = rows
        .iter()
        .map(|r| to_f64(r.1.abs()))
        .fold(0.0, f64::max)
        .max(1.0);
    let h = bar_h * rows.len() as f64 + 8.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\">\n"
    );
    for (i, (label, value, text)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * bar_h;
        let len = (w - left - 150.0) * to_f64(value.abs()) / max;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect x=\"{left}\" y=\"{}\" width=\"{len:.1}\" height=\"{}\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            left - 6.0,
            y + 15.0,
            esc(label),
            y + 3.0,
            bar_h - 6.0,
            left + len + 6.0,
            y + 15.0,
            esc(text)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Posted and corrected balance over the statement's dates, the trigger and
/// the statutory threshold, receipts marked.
pub fn balance_chart(
    lines: &[StatementLine],
    trigger: Decimal,
    statutory: Option<Decimal>,
) -> String {
    let (w, h, l, r, t, b) = (760.0, 280.0, 12.0, 130.0, 12.0, 48.0);
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return String::new();
    };
    let (d0, d1) = (first.date, last.date.max(first.date + chrono::Days::new(1)));
    let span = (d1 - d0).num_days().max(1) as f64;
    let mut values: Vec<f64> = lines
        .iter()
        .flat_map(|x| [to_f64(x.posted), to_f64(x.corrected)])
        .collect();
    values.push(0.0);
    values.push(to_f64(trigger));
    if let Some(s) = statutory {
        values.push(to_f64(s));
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max) * 1.08 + 1.0;
    let x = |d: chrono::NaiveDate| l + (w - l - r) * (d - d0).num_days() as f64 / span;
    let y = |v: f64| t + (h - t - b) * (hi - v) / (hi - lo).max(1.0);
    let step = |pick: fn(&StatementLine) -> Decimal| {
        let mut pts = String::new();
        let mut prev: Option<f64> = None;
        for line in lines {
            let v = to_f64(pick(line));
            if let Some(p) = prev {
                let _ = write!(pts, "{},{} ", Px(x(line.date)), Px(y(p)));
            }
            let _ = write!(pts, "{},{} ", Px(x(line.date)), Px(y(v)));
            prev = Some(v);
        }
        let _ = write!(pts, "{},{}", Px(x(d1)), Px(y(prev.unwrap_or(0.0))));
        pts
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-label=\"posted and corrected balance\">\n<rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\" \
         fill=\"#fbfcfe\" stroke=\"#d8dde6\"/>\n",
        w - l - r,
        h - t - b
    );
    let hline = |s: &mut String, v: Decimal, colour: &str, label: &str| {
        let yy = Px(y(to_f64(v)));
        let _ = writeln!(
            s,
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{yy}\" y2=\"{yy}\" stroke=\"{colour}\" stroke-dasharray=\"6 4\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{colour}\">{} {}</text>",
            w - r,
            w - r + 4.0,
            Px(yy.0 + 4.0),
            label,
            esc(&pounds(v))
        );
    };
    hline(&mut s, Decimal::ZERO, "#8a93a3", "zero");
    hline(&mut s, trigger, "#d68910", "trigger");
    if let Some(st) = statutory {
        hline(&mut s, st, "#c0392b", "statutory");
    }
    let _ = writeln!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#8a93a3\" stroke-width=\"2\"/>",
        step(|l| l.posted)
    );
    let _ = writeln!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2.5\"/>",
        step(|l| l.corrected)
    );
    // Case events: a dashed line at each, named on hover and by a letter.
    for line in lines.iter().filter(|l| l.case.is_some()) {
        let xx = Px(x(line.date));
        let _ = writeln!(
            s,
            "<g class=\"case\"><line x1=\"{xx}\" x2=\"{xx}\" y1=\"{t}\" y2=\"{}\" stroke=\"#7d3c98\" \
             stroke-dasharray=\"2 3\"/><text x=\"{xx}\" y=\"{}\" font-size=\"10\" fill=\"#7d3c98\" \
             text-anchor=\"middle\">{}</text><title>{} {}</title></g>",
            h - b,
            t + 10.0,
            line.case.map_or("", case_letter),
            line.date,
            esc(&line.description)
        );
    }
    for line in lines
        .iter()
        .filter(|l| l.correction.is_none() && l.credit > Decimal::ZERO)
    {
        let _ = writeln!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#1e8449\"><title>{} {}</title></circle>",
            Px(x(line.date)),
            Px(y(to_f64(line.posted))),
            line.date,
            esc(&pounds(line.credit))
        );
    }
    // Dates under the plot, the legend under them.
    let (dates_y, legend_y) = (h - b + 16.0, h - 8.0);
    let _ = writeln!(
        s,
        "<text x=\"{l}\" y=\"{dates_y}\" font-size=\"11\">{d0}</text><text x=\"{}\" y=\"{dates_y}\" \
         font-size=\"11\" text-anchor=\"end\">{}</text>",
        w - r,
        last.date
    );
    let _ = writeln!(
        s,
        "<g font-size=\"11\"><line x1=\"{l}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#8a93a3\" stroke-width=\"2\"/>\
         <text x=\"{}\" y=\"{legend_y}\">posted</text><line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" \
         stroke=\"#1f5fbf\" stroke-width=\"2.5\"/><text x=\"{}\" y=\"{legend_y}\">corrected</text>\
         <circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#1e8449\"/><text x=\"{}\" y=\"{legend_y}\">receipt posted</text></g>",
        l + 20.0,
        legend_y - 4.0,
        legend_y - 4.0,
        l + 24.0,
        l + 80.0,
        l + 100.0,
        legend_y - 4.0,
        legend_y - 4.0,
        l + 104.0,
        l + 180.0,
        legend_y - 4.0,
        l + 186.0
    );
    if lines.iter().any(|l| l.case.is_some()) {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{legend_y}\" font-size=\"11\" fill=\"#7d3c98\">case: A arrangement, N NOSP, \
             O order, B Breathing Space, C contact, R referral</text>",
            l + 290.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The letter a case event is marked with on the chart.
fn case_letter(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Arrangement => "A",
        CaseKind::NospServed => "N",
        CaseKind::CourtOrder => "O",
        CaseKind::BreathingSpace => "B",
        CaseKind::Contact => "C",
        CaseKind::BenefitReferral => "R",
    }
}

fn decision_class(d: check::Decision) -> &'static str {
    match d {
        check::Decision::MayProceed => "may_proceed",
        check::Decision::Hold => "hold",
        check::Decision::DoNotServe => "do_not_serve",
    }
}

/// One account's section: verdict, figures, chart, findings; with the
/// checklist and statement where asked.
fn account_section(
    data: &Dataset,
    recon: &Reconciliation,
    c: &AccountCheck<'_>,
    lines: &[StatementLine],
    full: bool,
) -> String {
    let a = c.assessment;
    let account = data.account(c.account);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<section id=\"acc-{}\">\n<h2>{} {}</h2>\n<p class=\"muted\">{} tenancy, {} rent {}, as at {}; status \
         <b>{}</b></p>\n<p class=\"verdict {}\">{}</p>",
        esc(&account.account_ref),
        esc(&account.account_ref),
        esc(&account.tenant_name),
        account.tenancy_type,
        account.rent_period,
        esc(&pounds(account.rent)),
        recon.as_at,
        a.status,
        decision_class(c.decision),
        esc(&c.verdict)
    );
    let _ = writeln!(
        s,
        "<table><tr><th>posted balance</th><th>corrected balance</th><th>weeks</th><th>technical</th>\
         <th>trigger ({})</th><th>statutory threshold</th><th>late periods (12 months)</th></tr>\
         <tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} of {}</td></tr></table>",
        recon.settings.trigger,
        esc(&pounds(a.posted_balance)),
        esc(&pounds(a.corrected_balance)),
        plain(a.arrears_weeks),
        esc(&pounds(a.technical_arrears)),
        esc(&pounds(a.trigger)),
        match (a.statutory.threshold, a.reaches_statutory) {
            (Some(t), Some(r)) => format!("{} ({})", esc(&pounds(t)), if r { "reached" } else { "not reached" }),
            _ => "none (no mandatory ground)".to_string(),
        },
        a.late_periods,
        a.periods_12m
    );
    s.push_str(&balance_chart(lines, a.trigger, a.statutory.threshold));
    if !c.findings.is_empty() {
        s.push_str("<h3>Findings on the account</h3>\n<table><tr><th>severity</th><th>kind</th><th>effect here</th><th>detail</th><th>evidence</th></tr>\n");
        for f in &c.findings {
            let effect = if f.account == Some(c.account) {
                f.amount
            } else {
                -f.amount
            };
            let evidence: Vec<String> = f.evidence.iter().map(|&r| data.sources.cite(r)).collect();
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                f.severity,
                f.kind,
                esc(&pounds(effect)),
                esc(&f.detail),
                esc(&evidence.join(" "))
            );
        }
        s.push_str("</table>\n");
    }
    if full {
        s.push_str("<h3>Pre-Action Protocol</h3>\n<table><tr><th></th><th>step</th><th>what the data says</th></tr>\n");
        for item in &c.checklist {
            let mark = match item.tick {
                Tick::Passed => "&#10003;",
                Tick::Failed => "&#10007;",
                Tick::Confirm => "?",
            };
            let answer = item
                .answer
                .clone()
                .unwrap_or_else(|| "for the officer to confirm".to_string());
            let _ = writeln!(
                s,
                "<tr><td>{mark}</td><td>{}</td><td>{}</td></tr>",
                esc(item.item),
                esc(&answer)
            );
        }
        s.push_str("</table>\n<h3>Rent statement</h3>\n<table><tr><th>date</th><th>description</th><th>debit</th>\
                    <th>credit</th><th>posted</th><th>corrected</th><th>note</th></tr>\n");
        for l in lines {
            let money = |d: Decimal| {
                if d.is_zero() {
                    String::new()
                } else {
                    esc(&pounds(d))
                }
            };
            let _ = writeln!(
                s,
                "<tr{}><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>",
                if l.correction.is_some() { " class=\"corr\"" } else { "" },
                l.date,
                esc(&l.description),
                money(l.debit),
                money(l.credit),
                esc(&pounds(l.posted)),
                esc(&pounds(l.corrected)),
                esc(&l.note)
            );
        }
        s.push_str("</table>\n");
    }
    s.push_str("</section>\n");
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

impl Exporter for HtmlExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let (data, recon) = (report.data, report.recon);
        let mut body = format!(
            "<h1>Rent reconciliation as at {}</h1>\n<p class=\"muted\">{}</p>\n",
            recon.as_at,
            esc(&report.settings_line())
        );
        body.push_str(&warnings_block(data, recon));
        let t = &recon.totals;
        let _ = writeln!(
            body,
            "<p>Control totals: the bank's net money ({}) and the ledger's credits ({}) are each accounted for {}.</p>",
            esc(&pounds(t.bank_net())),
            esc(&pounds(t.ledger_credits)),
            if t.ties() { "to the penny" } else { "<b>with a difference</b>" }
        );
        body.push_str("<h2>Money by finding kind</h2>\n");
        let kinds: Vec<(String, Decimal, String)> = t
            .findings
            .iter()
            .map(|k| {
                (
                    k.kind.to_string(),
                    k.money,
                    format!("{} ({} found)", pounds(k.money), k.count),
                )
            })
            .collect();
        body.push_str(&if kinds.is_empty() {
            "<p>No findings.</p>\n".to_string()
        } else {
            bar_chart(&kinds, "#c0392b")
        });
        body.push_str("<h2>Accounts by status</h2>\n");
        let statuses: Vec<(String, Decimal, String)> = status_counts(recon)
            .into_iter()
            .map(|(s, n, _, c)| {
                (
                    s.to_string(),
                    Decimal::from(n),
                    format!("{n} (corrected {})", pounds(c)),
                )
            })
            .collect();
        body.push_str(&bar_chart(&statuses, "#1f5fbf"));
        let act = accounts_to_act_on(recon);
        body.push_str("<h2>Accounts to act on</h2>\n");
        if act.is_empty() {
            body.push_str("<p>No account needs action.</p>\n");
        } else {
            body.push_str("<table><tr><th>account</th><th>status</th><th>posted</th><th>corrected</th><th>weeks</th><th>detail</th></tr>\n");
            for a in &act {
                let acc = &data.account(a.account).account_ref;
                let _ = writeln!(
                    body,
                    "<tr><td><a href=\"#acc-{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                     <td class=\"n\">{}</td><td>{}</td></tr>",
                    esc(acc),
                    esc(acc),
                    a.status,
                    esc(&pounds(a.posted_balance)),
                    esc(&pounds(a.corrected_balance)),
                    plain(a.arrears_weeks),
                    esc(&a.detail)
                );
            }
            body.push_str("</table>\n");
        }
        // The control-totals tables, as in the text report.
        for section in sections(report).into_iter().take(3) {
            let _ = writeln!(body, "<h2>{}</h2>\n<table><tr>", esc(&section.title));
            for h in &section.headers {
                let _ = write!(body, "<th>{}</th>", esc(h));
            }
            body.push_str("</tr>\n");
            for row in &section.rows {
                body.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    let class = if section.numeric.contains(&i) {
                        " class=\"n\""
                    } else {
                        ""
                    };
                    let _ = write!(body, "<td{class}>{}</td>", esc(c));
                }
                body.push_str("</tr>\n");
            }
            body.push_str("</table>\n");
            if let Some(note) = &section.note {
                let _ = writeln!(body, "<p class=\"muted\">{}</p>", esc(note));
            }
        }
        out.write_all(
            page_start(&format!("Rent reconciliation as at {}", recon.as_at)).as_bytes(),
        )?;
        out.write_all(body.as_bytes())?;
        // Each account to act on has a section of its own: tens of
        // thousands in a large landlord's year, written as they are made.
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

/// The `check` pack: each account's full section.
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

pub fn write_check(view: &CheckView<'_>, out: &mut dyn Write) -> io::Result<()> {
    let title = format!("Account check as at {}", view.recon.as_at);
    out.write_all(page_start(&title).as_bytes())?;
    writeln!(out, "<h1>{title}</h1>")?;
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

    proptest::proptest! {
        #[test]
        fn positions_are_written_as_the_float_formatter_writes_them(
            bits in proptest::num::u64::ANY,
            small in -2000.0f64..2000.0,
            halves in -40_000i64..40_000,
        ) {
            // Any float, chart-sized ones, and twentieths: among them the
            // exact ties (0.25, 0.75) and the near ones (0.05 is not exact).
            for v in [f64::from_bits(bits), small, halves as f64 / 20.0, -(halves as f64) / 20.0] {
                proptest::prop_assert_eq!(Px(v).to_string(), format!("{v:.1}"));
            }
        }
    }

    #[test]
    fn positions_round_halves_to_even_and_keep_a_sign() {
        for (v, shown) in [
            (0.25, "0.2"),
            (0.75, "0.8"),
            (-0.25, "-0.2"),
            (-0.01, "-0.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (12.05, "12.1"),
            (999999.96, "1000000.0"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(Px(v).to_string(), shown, "{v}");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
