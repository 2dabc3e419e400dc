//! The comparison for people: a terminal table, Markdown and a
//! self-contained HTML page, all from [`super::sections`]. Every cell a
//! report's input controls (names, references, details) is escaped for
//! where it is written.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::compare::Diff;
use super::sections::{heading, run_line, sections, summary, Section};
use crate::escape;

/// The table's width: fixed, so piped output is the same on every terminal.
const WIDTH: u16 = 160;

pub(super) fn table(diff: &Diff, colour: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", escape::terminal(&heading(diff)))?;
    for (label, side) in [("last", &diff.last), ("this", &diff.this)] {
        writeln!(out, "{}", escape::terminal(&run_line(label, side)))?;
    }
    for w in &diff.warnings {
        let w = escape::terminal(w);
        if colour {
            writeln!(out, "{}", crate::term::paint(&w, crate::term::Colour::Red))?;
        } else {
            writeln!(out, "{w}")?;
        }
    }
    writeln!(out, "\n{}", summary(diff))?;
    for section in sections(diff) {
        let laid_out = crate::report::table::render_section(section, WIDTH, colour);
        out.write_all(laid_out.as_bytes())?;
    }
    Ok(())
}

/// A Markdown cell or line that cannot break the table, run as a formula
/// when pasted, or carry HTML into a rendered page.
fn md(text: &str) -> String {
    escape::markdown(text.trim())
}

pub(super) fn markdown(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Month on month\n\n{}.", md(&heading(diff)))?;
    for (label, side) in [("last", &diff.last), ("this", &diff.this)] {
        writeln!(out, "\n{}.", md(&run_line(label, side)))?;
    }
    if !diff.warnings.is_empty() {
        writeln!(out, "\n## Warnings\n")?;
        for w in &diff.warnings {
            writeln!(out, "- {}", md(w))?;
        }
    }
    writeln!(out, "\n{}", md(&summary(diff)))?;
    for section in sections(diff) {
        crate::report::markdown::write_section(&section, out)?;
    }
    Ok(())
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;\
max-width:70rem;color:#1d2433;line-height:1.4}h1{font-size:1.6rem}h2{font-size:1.25rem;\
border-bottom:2px solid #d8dde6;padding-bottom:.2rem;margin-top:2.2rem}table{border-collapse:collapse;\
width:100%;margin:.6rem 0;font-size:.88rem}th,td{border:1px solid #d8dde6;padding:.25rem .45rem;\
text-align:left;vertical-align:top}th{background:#f2f4f8}td.n{text-align:right;white-space:nowrap}\
.muted{color:#5b6474;font-size:.85rem}.warning{border-left:6px solid #c0392b;background:#fdecea;\
padding:.5rem .8rem}.summary{font-size:1.05rem;font-weight:600}.high{color:#c0392b;font-weight:600}";

fn html_section(section: &Section, page: &mut String) {
    let esc = escape::html;
    let _ = writeln!(page, "<section>\n<h2>{}</h2>", esc(&section.title));
    if !section.rows.is_empty() {
        page.push_str("<table>\n<tr>");
        for h in &section.headers {
            let _ = write!(page, "<th>{}</th>", esc(h));
        }
        page.push_str("</tr>\n");
        for row in &section.rows {
            page.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                let class = if section.numeric.contains(&i) {
                    " class=\"n\""
                } else if c == "high" {
                    " class=\"high\""
                } else {
                    ""
                };
                let _ = write!(page, "<td{class}>{}</td>", esc(c));
            }
            page.push_str("</tr>\n");
        }
        page.push_str("</table>\n");
    }
    if let Some(note) = &section.note {
        let _ = writeln!(page, "<p class=\"muted\">{}</p>", esc(note));
    }
    page.push_str("</section>\n");
}

/// One page, its CSS inline, no script and nothing fetched: it opens
/// offline and prints.
pub(super) fn html(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let esc = escape::html;
    let title = heading(diff);
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Month on month</h1>\n\
         <p>{}</p>\n",
        esc(&title),
        esc(&title)
    );
    for (label, side) in [("last", &diff.last), ("this", &diff.this)] {
        let _ = writeln!(
            page,
            "<p class=\"muted\">{}</p>",
            esc(&run_line(label, side))
        );
    }
    for w in &diff.warnings {
        let _ = writeln!(page, "<p class=\"warning\">{}</p>", esc(w));
    }
    let _ = writeln!(page, "<p class=\"summary\">{}</p>", esc(&summary(diff)));
    for section in sections(diff) {
        html_section(&section, &mut page);
    }
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}
