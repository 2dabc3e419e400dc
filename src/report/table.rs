//! `--format table` (the default): the sections as terminal tables.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use rayon::prelude::*;

use super::sections::{sections, Section};
use super::{Exporter, Report};

pub struct TableExporter {
    /// Wrap to this width; a fixed width keeps piped output identical.
    pub width: u16,
    /// Colour severities and statuses (a terminal without NO_COLOR).
    pub colour: bool,
}

/// The colour a cell holding one of these words gets.
fn colour_of(word: &str) -> Option<Color> {
    match word {
        "high" | "false_trigger" | "false_approach" | "hidden_arrears" => Some(Color::Red),
        "medium" | "technical_arrears" | "protocol_hold" | "approaching" => Some(Color::Yellow),
        "genuine" => Some(Color::Magenta),
        "DOES NOT TIE" => Some(Color::Red),
        _ => None,
    }
}

impl TableExporter {
    /// One section: its title, its table laid out to the width, its note.
    /// Its rows are dropped as they go into the table (a section's rows
    /// and its table are each tens of megabytes in a large landlord).
    fn section(&self, section: Section) -> String {
        let mut out = format!("\n{}\n", section.title);
        if !section.rows.is_empty() {
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(self.width)
                .set_header(section.headers.clone());
            for row in section.rows {
                table.add_row(row.into_iter().map(|c| {
                    // What an input controls is shown, never sent to the terminal.
                    let c = crate::escape::terminal(&c).into_owned();
                    match colour_of(&c).filter(|_| self.colour) {
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
            let _ = writeln!(out, "{table}");
        }
        if let Some(note) = &section.note {
            let _ = writeln!(out, "{note}");
        }
        out
    }
}

impl Exporter for TableExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{}: reconciliation {}",
            report.tool(),
            report.settings_line()
        )?;
        writeln!(out, "inputs: {}", report.inputs_line())?;
        for line in report.warning_lines() {
            let line = crate::escape::terminal(&line);
            if self.colour {
                writeln!(
                    out,
                    "{}",
                    crate::term::paint(&line, crate::term::Colour::Red)
                )?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
        // Each section is laid out whole (its columns' widths need every
        // row), on a thread of its own: the findings and the accounts to
        // act on are tens of thousands of rows each in a large landlord.
        let laid_out: Vec<String> = (sections(report).into_par_iter())
            .map(|s| self.section(s))
            .collect();
        laid_out
            .iter()
            .try_for_each(|section| out.write_all(section.as_bytes()))
    }
}
