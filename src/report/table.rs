//! `--format table` (the default): the sections as terminal tables.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use rayon::prelude::*;

use super::sections::{sections, Section};
use super::tier::Tier;
use super::{Exporter, Report};

pub struct TableExporter {
    /// Wrap to this width; a fixed width keeps piped output identical.
    pub width: u16,
    /// Colour severities and statuses (a terminal without NO_COLOR).
    pub colour: bool,
}

/// The colour a cell gets: a status's or a severity's by its tier, and a
/// control total that does not tie red.
fn colour_of(word: &str) -> Option<Color> {
    if word == "DOES NOT TIE" {
        return Some(Color::Red);
    }
    match Tier::of_word(word)? {
        Tier::Wrong => Some(Color::Red),
        Tier::Wait => Some(Color::Yellow),
        Tier::Genuine => Some(Color::Magenta),
        Tier::Quiet => None,
    }
}

impl TableExporter {
    /// The lines above the tables: the run, its inputs one per line, the
    /// filter, and each warning, wrapped to the width.
    fn heading(&self, report: &Report<'_>) -> String {
        let width = self.width;
        let mut out = wrap(
            &format!(
                "{}: reconciliation {}",
                report.tool(),
                report.settings_line()
            ),
            width,
            "  ",
        );
        out.push_str("\ninputs:");
        for input in &report.inputs {
            let _ = write!(out, "\n  {}", wrap(&input.describe(), width - 2, "    "));
        }
        if let Some(note) = report.focus.note(report.recon) {
            let _ = write!(out, "\n{}", wrap(&note, width, "  "));
        }
        for line in report.warning_lines() {
            let line = wrap(&crate::escape::terminal(&line), width, "  ");
            let _ = if self.colour {
                write!(
                    out,
                    "\n{}",
                    crate::term::paint(&line, crate::term::Colour::Red)
                )
            } else {
                write!(out, "\n{line}")
            };
        }
        out.push('\n');
        out
    }
}

/// One section: its title, its table laid out to the width (its rows
/// dropped as they go into the table: a section's rows and its table are
/// each tens of megabytes in a large landlord), its note and legend.
pub(super) fn render_section(mut section: Section, width: u16, colour: bool) -> String {
    // What an input controls is shown, never sent to the terminal;
    // escaped before folding, whose line breaks are the tool's own.
    for cell in section.rows.iter_mut().flatten() {
        if let std::borrow::Cow::Owned(safe) = crate::escape::terminal(cell) {
            *cell = safe;
        }
    }
    let section = fold_for_width(section, width);
    let mut out = format!("\n{}\n", section.title);
    if !section.rows.is_empty() {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(section.headers.clone());
        for row in section.rows {
            table.add_row(
                row.into_iter()
                    .map(|c| match colour_of(&c).filter(|_| colour) {
                        Some(colour) => Cell::new(c).fg(colour),
                        None => Cell::new(c),
                    }),
            );
        }
        for &i in &section.numeric {
            if let Some(col) = table.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = writeln!(out, "{table}");
    }
    if let Some(note) = &section.note {
        let _ = writeln!(out, "{}", wrap(note, width, ""));
    }
    if !section.legend.is_empty() {
        out.push_str("Legend (rent-audit explain TERM says more):\n");
        for line in &section.legend {
            let _ = writeln!(out, "  {}", wrap(line, width - 2, "    "));
        }
    }
    out
}

/// Narrower than this, a list's secondary columns move into its detail.
const WIDE: u16 = 140;

/// Columns that, on a narrow terminal, read as well inside the detail cell
/// as beside it ("evidence: bank.csv:64"), leaving the detail room to read.
const FOLDABLE: [&str; 5] = ["posted to", "evidence", "trigger", "statutory", "late 12m"];

/// The section with its foldable columns moved into its `detail` column,
/// where the width is too narrow to show them side by side.
fn fold_for_width(mut section: Section, width: u16) -> Section {
    let Some(detail) = section.headers.iter().position(|&h| h == "detail") else {
        return section;
    };
    if width >= WIDE {
        return section;
    }
    let folded: Vec<usize> = (0..section.headers.len())
        .filter(|&i| FOLDABLE.contains(&section.headers[i]))
        .collect();
    for row in &mut section.rows {
        let extra: Vec<String> = (folded.iter())
            .filter(|&&i| !row[i].is_empty())
            .map(|&i| format!("{}: {}", section.headers[i], row[i]))
            .collect();
        if !extra.is_empty() {
            row[detail] = format!("{}\n{}", row[detail], extra.join("\n"));
        }
    }
    let keep = |i: &usize| !folded.contains(i);
    for row in &mut section.rows {
        *row = (row.drain(..).enumerate())
            .filter(|(i, _)| keep(i))
            .map(|(_, c)| c)
            .collect();
    }
    let numeric: Vec<usize> = (0..section.headers.len())
        .filter(keep)
        .enumerate()
        .filter(|(_, i)| section.numeric.contains(i))
        .map(|(new, _)| new)
        .collect();
    section.headers = (section.headers.iter().enumerate())
        .filter(|(i, _)| keep(i))
        .map(|(_, &h)| h)
        .collect();
    section.numeric = numeric;
    section
}

/// `text` broken at spaces into lines of at most `width` characters, each
/// after the first starting with `indent` (a word longer than a line, such
/// as a hash, stands on a line of its own).
fn wrap(text: &str, width: u16, indent: &str) -> String {
    let width = usize::from(width);
    let mut out = String::with_capacity(text.len() + 16);
    let mut line_len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

impl Exporter for TableExporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.heading(report).as_bytes())?;
        // Each section is laid out whole (its columns' widths need every
        // row), on a thread of its own: the findings and the accounts to
        // act on are tens of thousands of rows each in a large landlord.
        let laid_out: Vec<String> = (sections(report).into_par_iter())
            .map(|s| render_section(s, self.width, self.colour))
            .collect();
        laid_out
            .iter()
            .try_for_each(|section| out.write_all(section.as_bytes()))
    }
}
