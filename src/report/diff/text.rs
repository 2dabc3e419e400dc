//! The comparison for people: a terminal table, Markdown and a
//! self-contained HTML page, all from [`super::sections`]. Every cell a
//! report's input controls (names, references, details) is escaped for
//! where it is written.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::compare::Diff;
use super::sections::{heading, run_line, sections, summary, Section};
use crate::escape;

/// The table's width: fixed, so piped output is the same on every terminal.
const WIDTH: u16 = 160;

/// The colour a cell holding one of these words gets.
fn colour_of(word: &str) -> Option<Color> {
    match word {
        "high" | "false_trigger" | "false_approach" | "hidden_arrears" => Some(Color::Red),
        "medium" | "technical_arrears" | "protocol_hold" | "approaching" => Some(Color::Yellow),
        "genuine" => Some(Color::Magenta),
        _ => None,
    }
}

fn table_section(section: &Section, colour: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n{}", section.title)?;
    if !section.rows.is_empty() {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(WIDTH)
            .set_header(section.headers.clone());
        for row in &section.rows {
            table.add_row(row.iter().map(|c| {
                // What an input controls is shown, never sent to the terminal.
                let c = escape::terminal(c).into_owned();
                match colour_of(&c).filter(|_| colour) {
                    Some(colour) => Cell::new(c).fg(colour),
                    None => Cell::new(c),
                }
            }));
        }
        for &i in &section.numeric {
            if let Some(col) = table.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        writeln!(out, "{table}")?;
    }
    if let Some(note) = &section.note {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

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
        table_section(&section, colour, out)?;
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
        writeln!(out, "\n## {}\n", md(&section.title))?;
        if !section.rows.is_empty() {
            writeln!(out, "| {} |", section.headers.join(" | "))?;
            let rule: Vec<&str> = (0..section.headers.len())
                .map(|i| {
                    if section.numeric.contains(&i) {
                        "---:"
                    } else {
                        "---"
                    }
                })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for row in &section.rows {
                let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
        if let Some(note) = &section.note {
            // Under a table, a paragraph of its own; in place of one, the
            // heading's blank line already parts them.
            let gap = if section.rows.is_empty() { "" } else { "\n" };
            writeln!(out, "{gap}{}", md(note))?;
        }
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
