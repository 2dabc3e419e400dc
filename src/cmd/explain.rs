//! `rent-audit explain TERM`: what a finding kind, status, hold reason or
//! warning means, what to do about it, and an example.

use anyhow::Result;

use crate::cli::ExplainArgs;
use crate::output;
use crate::report::glossary::{self, capital, Entry, Topic};

/// Text is wrapped to fit a terminal of this many columns.
const WIDTH: usize = 80;

pub fn run(args: &ExplainArgs) -> Result<u8> {
    let text = match &args.term {
        None => listing(),
        Some(term) => {
            let found = glossary::lookup_all(term);
            if found.is_empty() {
                return Err(super::UsageError(unknown(term)).into());
            }
            let each: Vec<String> = found.iter().map(entry).collect();
            each.join("\n")
        }
    };
    output::write_to(None, |out| out.write_all(text.as_bytes()))?;
    Ok(0)
}

/// The usage error for a term no vocabulary has, with the nearest terms.
fn unknown(term: &str) -> String {
    let near = glossary::suggest(term);
    let guess = if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", near.join(", "))
    };
    format!(
        "explain: no finding kind, status, hold reason, warning or report column is called \
         {:?}{guess}\nrent-audit explain (no term) lists every term",
        term.trim()
    )
}

/// One entry: its term and topic, its line, and the paragraphs.
fn entry(e: &Entry) -> String {
    let what = match e.severity {
        Some(severity) => format!("{}, usually {severity} severity", e.topic.name()),
        None => e.topic.name().to_string(),
    };
    let mut s = format!("{} ({what})\n", e.term);
    s.push_str(&paragraph("", &format!("{}.", capital(e.short))));
    let mut parts = vec![("What it means", e.meaning), ("What to do", e.action)];
    let clears = e.clears_when().map(|c| format!("{}.", capital(c)));
    if let Some(c) = &clears {
        parts.push(("Clears when", c));
    }
    parts.push(("Example", e.example));
    for (heading, text) in parts {
        s.push_str(&format!("\n{heading}:\n"));
        s.push_str(&paragraph("  ", text));
    }
    s
}

/// Every term, grouped by topic, each with its one line.
fn listing() -> String {
    let all = glossary::entries();
    let width = all
        .iter()
        .map(|e| e.term.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = String::from(
        "Every word rent-audit's reports use, with its meaning in one line.\n\
         rent-audit explain TERM says what it means, what to do and gives an example.\n",
    );
    for topic in Topic::ALL {
        s.push_str(&format!("\n{}:\n", topic.heading()));
        for e in all.iter().filter(|e| e.topic == topic) {
            let lead = format!("  {:<width$}  ", e.term);
            s.push_str(&hanging(&lead, e.short));
        }
    }
    s
}

/// `text` wrapped to [`WIDTH`], every line indented by `indent`.
fn paragraph(indent: &str, text: &str) -> String {
    hanging_with(indent, indent, text)
}

/// `text` wrapped to [`WIDTH`] after `lead`, its later lines indented to
/// line up under the first.
fn hanging(lead: &str, text: &str) -> String {
    hanging_with(lead, &" ".repeat(lead.chars().count()), text)
}

/// Greedy word wrap: a word longer than a line goes on a line of its own.
fn hanging_with(first: &str, rest: &str, text: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let fits = line.chars().count() + usize::from(!empty) + word.chars().count() <= WIDTH;
        if !empty && !fits {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_fits_the_width() {
        let text = "word ".repeat(60);
        let wrapped = paragraph("  ", &text);
        assert!(wrapped
            .lines()
            .all(|l| l.chars().count() <= WIDTH && l.starts_with("  ")));
        assert_eq!(wrapped.split_whitespace().count(), 60);
        let long = "x".repeat(100);
        assert_eq!(paragraph("", &long), format!("{long}\n"));
        let listed = hanging("  term  ", &"short ".repeat(30));
        let lines: Vec<&str> = listed.lines().collect();
        assert!(lines[0].starts_with("  term  short"));
        assert!(lines[1..].iter().all(|l| l.starts_with("        short")));
    }

    #[test]
    fn every_entry_and_the_listing_fit_eighty_columns() {
        for e in glossary::entries() {
            let text = entry(&e);
            assert!(
                text.lines().all(|l| l.chars().count() <= WIDTH),
                "{}:\n{text}",
                e.term
            );
        }
        assert!(listing().lines().all(|l| l.chars().count() <= WIDTH));
    }
}
