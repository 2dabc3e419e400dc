//! Where a file's header is: the delimiter, then the line among the first
//! few whose fields look like column names (not the first non-blank one: a
//! bank's preamble comes before it).

use crate::recon::model::SourceFile;

use super::kind::is_known_name;
use super::values::is_value;

/// Lines of a file's start looked at for the delimiter and the header.
const HEAD_LINES: usize = 400;
/// Lines the header may be among: a preamble is a few lines, never pages.
pub(super) const HEADER_LINES: usize = 40;

/// Where the data starts and how it is laid out.
#[derive(Debug)]
pub(super) struct Layout {
    pub delimiter: char,
    /// Lines above the header, blank ones counted: the profile's `skip_rows`.
    pub skip: usize,
    /// The header's fields as written, and lower-cased.
    pub raw_header: Vec<String>,
    pub header: Vec<String>,
    /// Fields in the header; rows of another width are not data.
    pub width: usize,
}

/// The fields of one line.
pub(super) fn split(line: &str, delimiter: char) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
        .unwrap_or_default()
}

/// The layout of a file whose start is `text`; `kind`, where given, counts
/// its own column names in a header's favour.
pub(super) fn layout(text: &str, kind: Option<SourceFile>) -> Layout {
    // (line index, counting blank lines; the line)
    let lines: Vec<(usize, &str)> = text
        .lines()
        .take(HEAD_LINES)
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let delimiter = delimiter(&lines);
    let fields: Vec<Vec<String>> = lines.iter().map(|(_, l)| split(l, delimiter)).collect();
    let at = (0..fields.len().min(HEADER_LINES))
        .filter_map(|i| Some((header_score(&fields, i, kind)?, i)))
        .max_by_key(|&(score, i)| (score, usize::MAX - i))
        .map_or(0, |(_, i)| i);
    let raw_header = fields.get(at).cloned().unwrap_or_default();
    Layout {
        delimiter,
        skip: lines.get(at).map_or(0, |(n, _)| *n),
        header: raw_header.iter().map(|h| h.to_lowercase()).collect(),
        width: raw_header.len(),
        raw_header,
    }
}

/// The delimiter that splits most of the first lines into one width of two
/// fields or more (quoted fields counted as one).
fn delimiter(lines: &[(usize, &str)]) -> char {
    [',', ';', '\t', '|']
        .into_iter()
        .enumerate()
        .max_by_key(|&(i, d)| {
            let widths: Vec<usize> = lines
                .iter()
                .take(50)
                .map(|(_, l)| split(l, d).len())
                .collect();
            let (width, count) = modal(&widths);
            (if width >= 2 { count } else { 0 }, width, usize::MAX - i)
        })
        .map_or(',', |(_, d)| d)
}

/// The most common of `widths` (the widest where two are as common) and how
/// often it occurs.
fn modal(widths: &[usize]) -> (usize, usize) {
    let mut counts = std::collections::BTreeMap::new();
    for w in widths {
        *counts.entry(*w).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(w, n)| (n, w))
        .unwrap_or((0, 0))
}

/// How much line `i` looks like a header, or `None` where it cannot be one:
/// fewer than two fields, a value (money, a date, a number) among them, or
/// mostly fields that are not words. Counted for it: the rows after it have
/// its width, the line after it holds values, its names are ones exports
/// use, and none of its fields is blank.
fn header_score(fields: &[Vec<String>], i: usize, kind: Option<SourceFile>) -> Option<i32> {
    let line = &fields[i];
    let filled: Vec<&String> = line.iter().filter(|f| !f.is_empty()).collect();
    let words = filled
        .iter()
        .filter(|f| f.chars().any(char::is_alphabetic))
        .count();
    if filled.len() < 2 || words * 3 < filled.len() * 2 || filled.iter().any(|f| is_value(f)) {
        return None;
    }
    let after: Vec<usize> = fields[i + 1..].iter().take(20).map(Vec::len).collect();
    let same_width = after.is_empty() || modal(&after).0 == line.len();
    let next_has_values = fields
        .get(i + 1)
        .is_some_and(|next| next.iter().any(|f| is_value(f)));
    let known = filled
        .iter()
        .filter(|f| is_known_name(&f.to_lowercase(), None))
        .count() as i32;
    let own = kind.map_or(0, |k| {
        filled
            .iter()
            .filter(|f| is_known_name(&f.to_lowercase(), Some(k)))
            .count() as i32
    });
    Some(
        4 * i32::from(same_width)
            + 3 * i32::from(next_has_values)
            + 3 * known
            + own
            + i32::from(filled.len() == line.len()),
    )
}
