//! What each finding kind, status, hold reason and warning means, what to
//! do about it, and an example: `explain` and the legends under tables.

// Public so a legend can name a column by its variant; its text is the
// glossary's own.
pub mod columns;
mod holds;
mod kinds;
mod statuses;
mod warnings;

use crate::recon::finding::FindingKind;
use crate::recon::hold::HoldReason;
use crate::recon::warning::WarningKind;
use crate::recon::Status;

/// Which vocabulary a term belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    Kind,
    Status,
    Hold,
    Warning,
    Column,
}

impl Topic {
    /// In the order [`entries`] gives them.
    pub const ALL: [Topic; 5] = [
        Topic::Kind,
        Topic::Status,
        Topic::Hold,
        Topic::Warning,
        Topic::Column,
    ];

    /// One term's topic, in words: "finding kind".
    pub fn name(self) -> &'static str {
        match self {
            Topic::Kind => "finding kind",
            Topic::Status => "account status",
            Topic::Hold => "hold reason",
            Topic::Warning => "warning",
            Topic::Column => "report column",
        }
    }

    /// A heading over the topic's terms: "Finding kinds".
    pub fn heading(self) -> &'static str {
        match self {
            Topic::Kind => "Finding kinds",
            Topic::Status => "Account statuses",
            Topic::Hold => "Hold reasons",
            Topic::Warning => "Warnings",
            Topic::Column => "Report columns",
        }
    }
}

/// One term, explained. Every field is static text: the glossary is
/// written once, in the source, and never built from a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// As the reports spell it.
    pub term: &'static str,
    pub topic: Topic,
    /// A finding kind's usual severity (some findings of a kind vary: the
    /// meaning says when); none for other topics.
    pub severity: Option<&'static str>,
    /// One line, for a legend under a table.
    pub short: &'static str,
    pub meaning: &'static str,
    pub action: &'static str,
    pub example: &'static str,
}

impl Entry {
    fn new(term: &'static str, topic: Topic, severity: Option<&'static str>, text: Text) -> Entry {
        Entry {
            term,
            topic,
            severity,
            short: text.short,
            meaning: text.meaning,
            action: text.action,
            example: text.example,
        }
    }

    /// For a hold reason, what would clear it, in the words the verdicts
    /// use (`check` prints "clears when: ..."); none for other topics.
    pub fn clears_when(&self) -> Option<&'static str> {
        (self.topic == Topic::Hold)
            .then(|| HoldReason::from_word(self.term))
            .flatten()
            .map(HoldReason::clears_when)
    }
}

/// What the submodules write for each term.
#[derive(Clone, Copy, Debug)]
struct Text {
    short: &'static str,
    meaning: &'static str,
    action: &'static str,
    example: &'static str,
}

/// Every term: finding kinds, statuses, hold reasons, warnings, columns, in
/// that order, each vocabulary in its own order. Each vocabulary's text
/// comes from an exhaustive match over its enum (in the submodules), with
/// no catch-all arm: a new kind, status, reason or warning does not compile
/// until it is explained here. The report columns are a vocabulary of their
/// own for the same reason.
pub fn entries() -> Vec<Entry> {
    let kinds = FindingKind::ALL.iter().map(|&k| {
        Entry::new(
            k.as_str(),
            Topic::Kind,
            Some(k.severity().as_str()),
            kinds::text(k),
        )
    });
    let statuses = (Status::ALL.iter())
        .map(|&s| Entry::new(s.as_str(), Topic::Status, None, statuses::text(s)));
    let holds = (HoldReason::ALL.iter())
        .map(|&r| Entry::new(r.as_str(), Topic::Hold, None, holds::text(r)));
    let warnings = (WarningKind::ALL.iter())
        .map(|&w| Entry::new(w.as_str(), Topic::Warning, None, warnings::text(w)));
    let columns = (columns::Column::ALL.iter())
        .map(|&c| Entry::new(c.as_str(), Topic::Column, None, columns::text(c)));
    kinds
        .chain(statuses)
        .chain(holds)
        .chain(warnings)
        .chain(columns)
        .collect()
}

/// Other spellings of a column, as the JSON fields and the HTML pack name
/// it, so a term copied from either finds its entry.
const ALIASES: &[(&str, &str)] = &[
    ("posted balance", "posted"),
    ("corrected balance", "corrected"),
    ("arrears weeks", "weeks"),
    ("statutory threshold", "statutory"),
    ("late periods 12m", "late 12m"),
    ("technical", "technical arrears"),
    ("corrections", "net correction"),
    ("rows rejected", "set aside"),
    ("amount", "correction"),
];

/// A term as compared: trimmed, lower case, `-` and spaces read as `_`.
fn normal(term: &str) -> String {
    term.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Every entry spelled `term` (one word can be a status, a hold reason and
/// a column, as `technical_arrears` is), the one spelled exactly so first:
/// `technical arrears` is the column before the status.
pub fn lookup_all(term: &str) -> Vec<Entry> {
    let wanted = normal(term);
    let target = ALIASES
        .iter()
        .find(|(alias, _)| normal(alias) == wanted)
        .map_or(wanted, |(_, to)| normal(to));
    let given = term.trim().to_lowercase();
    let mut found: Vec<Entry> = (entries().into_iter())
        .filter(|e| normal(e.term) == target)
        .collect();
    // Stable: otherwise in the order of `entries`.
    found.sort_by_key(|e| e.term != given);
    found
}

/// The entry for `term`, case-insensitive, `-` or ` ` read as `_`; where a
/// word is in several vocabularies, the one spelled exactly so, else the
/// first of [`entries`].
pub fn lookup(term: &str) -> Option<Entry> {
    lookup_all(term).into_iter().next()
}

/// The entry for `term` in one vocabulary: a legend under a table of hold
/// reasons wants `technical_arrears` the hold, not the status.
pub fn lookup_in(topic: Topic, term: &str) -> Option<Entry> {
    lookup_all(term).into_iter().find(|e| e.topic == topic)
}

/// Edits (insertions, deletions, substitutions, adjacent swaps) from `a`
/// to `b`: the optimal string alignment distance.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// How many suggestions a "did you mean" gives at most.
const SUGGESTIONS: usize = 5;

/// The terms nearest `term`, nearest first, for a "did you mean": those a
/// few keying slips away, and those that begin with or hold it (`suspense`
/// finds `receipt_in_suspense`).
pub fn suggest(term: &str) -> Vec<&'static str> {
    let wanted = normal(term);
    if wanted.is_empty() {
        return Vec::new();
    }
    // Two slips in a short word, about one in four in a long one.
    let slips = (wanted.chars().count() / 4).max(2);
    let mut near: Vec<(usize, &'static str)> = entries()
        .iter()
        .filter_map(|e| {
            let t = normal(e.term);
            let d = distance(&wanted, &t);
            let part = wanted.len() >= 3 && t.contains(&wanted);
            (d <= slips || part).then_some((if part { 0 } else { d }, e.term))
        })
        .collect();
    near.sort_by_key(|&(d, _)| d);
    let mut seen: Vec<String> = Vec::new();
    near.into_iter()
        .filter(|(_, t)| {
            let n = normal(t);
            let new = !seen.contains(&n);
            seen.push(n);
            new
        })
        .map(|(_, t)| t)
        .take(SUGGESTIONS)
        .collect()
}

/// "term: short" for each known term, in the order given, each entry once:
/// the lines of a legend under a table. Terms are printed as given, so a
/// legend names the word its table shows; unknown terms are left out.
pub fn legend(terms: &[&str]) -> Vec<String> {
    let mut seen: Vec<(Topic, &'static str)> = Vec::new();
    terms
        .iter()
        .filter_map(|t| {
            let e = lookup(t)?;
            if seen.contains(&(e.topic, e.term)) {
                return None;
            }
            seen.push((e.topic, e.term));
            Some(format!("{}: {}", t.trim(), e.short))
        })
        .collect()
}

/// The glossary as Markdown: docs/glossary.md is this, and a test keeps it
/// so.
pub fn markdown() -> String {
    let all = entries();
    let mut s = String::from(
        "# Glossary\n\n\
         Every word rent-audit's reports use for a finding kind, an account status, a hold\n\
         reason, a warning or a report column: what it means, what to do about it, and an\n\
         example (most from the fixtures under `fixtures/`). `rent-audit explain TERM`\n\
         prints one entry; `rent-audit explain` lists them all.\n\n\
         Generated from `src/report/glossary.rs`: edit the text there, then run\n\
         `UPDATE_EXPECTED=1 cargo test glossary` to rewrite this file.\n",
    );
    for topic in Topic::ALL {
        let of: Vec<&Entry> = all.iter().filter(|e| e.topic == topic).collect();
        s.push_str(&format!(
            "\n## {}\n\n| term | in one line |\n|---|---|\n",
            topic.heading()
        ));
        for e in &of {
            s.push_str(&format!(
                "| `{}` | {} |\n",
                e.term,
                e.short.replace('|', "\\|")
            ));
        }
        for e in of {
            s.push_str(&markdown_entry(e));
        }
    }
    s
}

fn markdown_entry(e: &Entry) -> String {
    let mut s = format!("\n### `{}`\n\n", e.term);
    match e.severity {
        Some(sev) => s.push_str(&format!(
            "{}, usually {sev} severity: {}.\n",
            capital(e.topic.name()),
            e.short
        )),
        None => s.push_str(&format!("{}: {}.\n", capital(e.topic.name()), e.short)),
    }
    s.push_str(&format!("\n**What it means.** {}\n", e.meaning));
    s.push_str(&format!("\n**What to do.** {}\n", e.action));
    if let Some(clears) = e.clears_when() {
        s.push_str(&format!("\n**Clears when:** {clears}.\n"));
    }
    s.push_str(&format!("\n**Example.** {}\n", e.example));
    s
}

/// `text` with its first letter a capital.
pub fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_short_line_and_all_three_paragraphs() {
        for e in entries() {
            assert!(!e.short.trim().is_empty(), "{}: no short line", e.term);
            assert!(
                e.short.chars().count() <= 90,
                "{}: short line of {} characters: {:?}",
                e.term,
                e.short.chars().count(),
                e.short
            );
            assert!(
                !e.short.ends_with('.'),
                "{}: a legend line takes no full stop",
                e.term
            );
            for (what, text) in [
                ("meaning", e.meaning),
                ("action", e.action),
                ("example", e.example),
            ] {
                assert!(
                    text.trim().len() > 20,
                    "{}: {what} is empty or a stub",
                    e.term
                );
                assert!(
                    text.ends_with('.') || text.ends_with(')'),
                    "{}: {what} is not a sentence",
                    e.term
                );
                assert!(
                    !text.contains("  "),
                    "{}: {what} has a double space",
                    e.term
                );
            }
            assert_eq!(e.severity.is_some(), e.topic == Topic::Kind, "{}", e.term);
            assert_eq!(
                e.clears_when().is_some(),
                e.topic == Topic::Hold,
                "{}",
                e.term
            );
        }
    }

    #[test]
    fn every_vocabulary_is_covered_in_order() {
        let all = entries();
        let of = |topic: Topic| -> Vec<&str> {
            all.iter()
                .filter(|e| e.topic == topic)
                .map(|e| e.term)
                .collect()
        };
        let kinds: Vec<&str> = FindingKind::ALL.iter().map(|k| k.as_str()).collect();
        let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        let holds: Vec<&str> = HoldReason::ALL.iter().map(|r| r.as_str()).collect();
        let warnings: Vec<&str> = WarningKind::ALL.iter().map(|w| w.as_str()).collect();
        assert_eq!(of(Topic::Kind), kinds);
        assert_eq!(of(Topic::Status), statuses);
        assert_eq!(of(Topic::Hold), holds);
        assert_eq!(of(Topic::Warning), warnings);
        for column in [
            "posted",
            "corrected",
            "weeks",
            "trigger",
            "statutory",
            "late 12m",
            "money",
        ] {
            assert!(of(Topic::Column).contains(&column), "{column}");
        }
        for column in [
            "net correction",
            "set aside",
            "technical arrears",
            "sundry debt",
        ] {
            assert!(of(Topic::Column).contains(&column), "{column}");
        }
        let topics: Vec<Topic> = all.iter().map(|e| e.topic).collect();
        let mut sorted = topics.clone();
        sorted.sort_by_key(|t| Topic::ALL.iter().position(|x| x == t));
        assert_eq!(topics, sorted, "kinds, statuses, holds, warnings, columns");
    }

    #[test]
    fn terms_are_unique_but_for_the_words_shared_on_purpose() {
        let all = entries();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(
                    !(a.topic == b.topic && normal(a.term) == normal(b.term)),
                    "{} twice in {:?}",
                    a.term,
                    a.topic
                );
                // A word shared across vocabularies is one idea seen from
                // each: `explain` prints every sense. Any other is a slip.
                if normal(a.term) == normal(b.term) {
                    assert_eq!(
                        normal(a.term),
                        "technical_arrears",
                        "{} in two topics",
                        a.term
                    );
                }
            }
        }
        let senses: Vec<Topic> = lookup_all("technical_arrears")
            .iter()
            .map(|e| e.topic)
            .collect();
        assert_eq!(senses, [Topic::Status, Topic::Hold, Topic::Column]);
    }

    #[test]
    fn lookup_reads_case_hyphens_spaces_and_aliases() {
        let term = |t: &str| lookup(t).map(|e| (e.term, e.topic));
        assert_eq!(
            term("false_trigger"),
            Some(("false_trigger", Topic::Status))
        );
        assert_eq!(
            term("  FALSE-TRIGGER "),
            Some(("false_trigger", Topic::Status))
        );
        assert_eq!(
            term("False Trigger"),
            Some(("false_trigger", Topic::Status))
        );
        assert_eq!(
            term("technical_arrears"),
            Some(("technical_arrears", Topic::Status))
        );
        assert_eq!(
            term("technical arrears"),
            Some(("technical arrears", Topic::Column))
        );
        assert_eq!(term("late_12m"), Some(("late 12m", Topic::Column)));
        assert_eq!(term("posted_balance"), Some(("posted", Topic::Column)));
        assert_eq!(term("Posted Balance"), Some(("posted", Topic::Column)));
        assert_eq!(term("no_such_term"), None);
        assert_eq!(term(""), None);
        assert_eq!(
            lookup_in(Topic::Hold, "technical-arrears").map(|e| e.topic),
            Some(Topic::Hold)
        );
        assert_eq!(lookup_in(Topic::Warning, "false_trigger"), None);
    }

    #[test]
    fn suggestions_find_slips_and_parts_of_words() {
        assert_eq!(suggest("flase_trigger").first(), Some(&"false_trigger"));
        assert_eq!(suggest("wrong_acount").first(), Some(&"wrong_account"));
        assert!(suggest("suspense").contains(&"receipt_in_suspense"));
        assert!(suggest("false").contains(&"false_trigger"));
        assert!(suggest("false").contains(&"false_approach"));
        assert!(suggest("xyzzy-plugh").is_empty());
        assert!(suggest("").is_empty());
        let arrears = suggest("arrears");
        assert!(arrears.len() <= SUGGESTIONS);
        assert_eq!(
            arrears
                .iter()
                .filter(|t| normal(t) == "technical_arrears")
                .count(),
            1,
            "one word, suggested once: {arrears:?}"
        );
    }

    #[test]
    fn distance_counts_each_kind_of_slip_once() {
        assert_eq!(distance("trigger", "trigger"), 0);
        assert_eq!(distance("tigger", "trigger"), 1);
        assert_eq!(distance("tirgger", "trigger"), 1);
        assert_eq!(distance("triggers", "trigger"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn legend_keeps_the_order_given_and_each_entry_once() {
        let lines = legend(&[
            "protocol_hold",
            "nonsense",
            "false_trigger",
            "protocol-hold",
            "PROTOCOL_HOLD",
        ]);
        let short = |t: &str| lookup(t).map(|e| e.short).unwrap_or_default();
        assert_eq!(
            lines,
            [
                format!("protocol_hold: {}", short("protocol_hold")),
                format!("false_trigger: {}", short("false_trigger")),
            ]
        );
        assert_eq!(
            legend(&["posted balance"]),
            [format!("posted balance: {}", short("posted"))]
        );
        assert!(legend(&[]).is_empty());
    }

    #[test]
    fn hold_reasons_keep_the_verdicts_words() {
        for &r in HoldReason::ALL {
            let e = lookup_in(Topic::Hold, r.as_str()).expect("every reason explained");
            assert_eq!(e.short, r.meaning());
            assert_eq!(e.clears_when(), Some(r.clears_when()));
        }
    }

    #[test]
    fn docs_glossary_is_generated_from_the_entries() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/glossary.md");
        let text = markdown();
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            std::fs::write(&path, &text).expect("write docs/glossary.md");
            return;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "docs/glossary.md is not what src/report/glossary.rs gives: run \
             UPDATE_EXPECTED=1 cargo test glossary and commit it"
        );
        for e in entries() {
            assert!(text.contains(&format!("### `{}`", e.term)), "{}", e.term);
        }
    }
}
