//! `--format markdown`: the sections as GitHub-flavoured tables, for pasting
//! into a case note or a CI job summary.

use std::io::{self, Write};

use super::sections::{sections, Section};
use super::{Exporter, Report};

pub struct MarkdownExporter;

/// A cell that cannot break the table, run as a formula when pasted, or
/// carry HTML into a rendered page.
fn cell(text: &str) -> String {
    crate::escape::markdown(text.trim())
}

impl Exporter for MarkdownExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# Rent reconciliation")?;
        writeln!(
            out,
            "\n{}: {}.\n\nInputs: {}.",
            report.tool(),
            report.settings_line(),
            report.inputs_line()
        )?;
        if let Some(note) = report.focus.note(report.recon) {
            writeln!(out, "\n{}", cell(&note))?;
        }
        let warnings = report.warning_lines();
        if !warnings.is_empty() {
            writeln!(out, "\n## Warnings\n")?;
            for line in warnings {
                writeln!(out, "- {}", cell(&line))?;
            }
        }
        for section in sections(report) {
            write_section(&section, out)?;
        }
        Ok(())
    }
}

/// One section as a Markdown heading, table, note and legend.
pub(super) fn write_section(section: &Section, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n## {}\n", cell(&section.title))?;
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
            let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
    }
    if let Some(note) = &section.note {
        // Under a table, a paragraph of its own; in place of one, the
        // heading's blank line already parts them.
        let gap = if section.rows.is_empty() { "" } else { "\n" };
        writeln!(out, "{gap}{}", cell(note))?;
    }
    if !section.legend.is_empty() {
        writeln!(out, "\nLegend (`rent-audit explain TERM` says more):\n")?;
        for line in &section.legend {
            writeln!(out, "- {}", cell(line))?;
        }
    }
    Ok(())
}
