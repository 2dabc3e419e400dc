//! `rent-audit explain` and the legends under each table.

use super::*;

/// `rent-audit explain ARGS`: it reads no data, so any folder will do.
fn explain(args: &[&str]) -> Output {
    let case = Case::new(&root().join("fixtures/clean"));
    let mut argv = vec!["explain"];
    argv.extend_from_slice(args);
    case.run(&argv)
}

/// The entry printed for `term`, which must be found (exit 0, nothing on
/// stderr, every line within 80 columns).
fn explained(term: &str) -> String {
    let out = explain(&[term]);
    assert_eq!(out.status.code(), Some(0), "{term}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{term}: {}", text(&out.stderr));
    let said = text(&out.stdout);
    for line in said.lines() {
        assert!(line.chars().count() <= 80, "{term}: too wide: {line:?}");
    }
    for heading in ["What it means:", "What to do:", "Example:"] {
        assert!(said.contains(heading), "{term}: no {heading}\n{said}");
    }
    said
}

/// `said` with its wrapping undone, so a phrase split over two lines is
/// still found.
fn flat(said: &str) -> String {
    said.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn explain_a_finding_kind_gives_its_severity_meaning_action_and_example() {
    let said = explained("wrong_account");
    assert!(
        said.starts_with("wrong_account (finding kind, usually high severity)\n"),
        "{said}"
    );
    let words = flat(&said);
    for phrase in [
        "posted to another rent account",
        "Reverse the posting",
        "RA1002",
        "RA1012",
        "B LEWIS",
    ] {
        assert!(words.contains(phrase), "{phrase:?} not in:\n{said}");
    }
    let said = flat(&explained("late_posting"));
    assert!(said.contains("usually low severity"), "{said}");
    assert!(said.contains("holds nothing"), "{said}");
}

#[test]
fn explain_a_status_says_whether_a_notice_would_be_wrong() {
    let said = explained("false_trigger");
    assert!(
        said.starts_with("false_trigger (account status)\n"),
        "{said}"
    );
    let words = flat(&said);
    for phrase in ["Do not serve", "trigger", "corrected", "RA1002"] {
        assert!(words.contains(phrase), "{phrase:?} not in:\n{said}");
    }
    assert!(
        !words.contains("severity"),
        "only kinds have a severity: {said}"
    );
}

#[test]
fn explain_a_hold_reason_says_what_clears_it() {
    let said = explained("receipt_in_suspense");
    assert!(
        said.starts_with("receipt_in_suspense (hold reason)\n"),
        "{said}"
    );
    let words = flat(&said);
    for phrase in [
        "money in suspense may be this tenant's",
        "Clears when:",
        "trace the receipt with the payer",
        "J SMITH",
    ] {
        assert!(
            words.to_lowercase().contains(&phrase.to_lowercase()),
            "{phrase:?} not in:\n{said}"
        );
    }
    let said = flat(&explained("breathing_space"));
    assert!(said.contains("Debt Respite Scheme"), "{said}");
    assert!(said.contains("void"), "{said}");
}

#[test]
fn explain_a_warning_says_what_the_run_could_not_check() {
    let said = explained("no_schedules");
    assert!(said.starts_with("no_schedules (warning)\n"), "{said}");
    let words = flat(&said);
    for phrase in ["schedules.csv", "unbanked_credit", "incomplete_data"] {
        assert!(words.contains(phrase), "{phrase:?} not in:\n{said}");
    }
}

#[test]
fn explain_reads_any_case_hyphens_and_spaces() {
    let plain = explained("protocol_hold");
    assert_eq!(explained("PROTOCOL-HOLD"), plain);
    assert_eq!(explained("Protocol Hold"), plain);
    // A column, as its header spells it.
    let column = explained("late 12m");
    assert!(column.starts_with("late 12m (report column)\n"), "{column}");
}

#[test]
fn a_word_in_several_vocabularies_is_explained_in_each() {
    let said = explained("technical_arrears");
    let heads: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("technical"))
        .collect();
    assert_eq!(
        heads,
        [
            "technical_arrears (account status)",
            "technical_arrears (hold reason)",
            "technical arrears (report column)",
        ],
        "{said}"
    );
}

#[test]
fn an_unknown_term_is_a_usage_error_with_suggestions() {
    let out = explain(&["flase_trigger"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(out.stdout.is_empty());
    let said = text(&out.stderr);
    for phrase in [
        "\"flase_trigger\"",
        "did you mean: false_trigger",
        "rent-audit explain (no term) lists every term",
    ] {
        assert!(said.contains(phrase), "{phrase:?} not in: {said}");
    }
    let out = explain(&["xyzzy-plugh"]);
    assert_eq!(out.status.code(), Some(64));
    let said = text(&out.stderr);
    assert!(!said.contains("did you mean"), "{said}");
    assert!(said.contains("rent-audit explain (no term)"), "{said}");
}

/// The finding kinds CONTRACT.md lists in its table of kinds, where the
/// shared contract is beside the repository.
fn contract_kinds() -> Option<Vec<String>> {
    let contract = fs::read_to_string(root().join("../shared/CONTRACT.md")).ok()?;
    let table = contract.split("| kind | meaning |").nth(1)?;
    let kinds: Vec<String> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(1))
        .flat_map(|cell| {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    Some(kinds)
}

/// Every finding kind the fixtures' expected reports hold.
fn fixture_kinds() -> Vec<String> {
    let mut kinds: Vec<String> = fixture_dirs(&root().join("fixtures"), "expected.json")
        .iter()
        .flat_map(|dir| {
            let report: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(dir.join("expected.json")).expect("read"))
                    .expect("json");
            let found: Vec<String> = report["findings"]
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter_map(|f| f["kind"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            found
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[test]
fn no_term_lists_every_finding_kind_and_status_by_topic() {
    let out = explain(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    assert!(
        listing.lines().all(|l| l.chars().count() <= 80),
        "{listing}"
    );
    let listed: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split("  ").next())
        .map(str::trim)
        .collect();
    let fixtures = fixture_kinds();
    // Every kind appears in some fixture: a parse that found none fails.
    assert!(fixtures.len() >= 16, "{fixtures:?}");
    let mut kinds = fixtures;
    if let Some(contract) = contract_kinds() {
        assert!(contract.len() >= 13, "{contract:?}");
        kinds.extend(contract);
    }
    for kind in &kinds {
        assert!(
            listed.contains(&kind.as_str()),
            "{kind} not listed:\n{listing}"
        );
    }
    for status in [
        "false_trigger",
        "false_approach",
        "hidden_arrears",
        "technical_arrears",
        "protocol_hold",
        "genuine",
        "approaching",
        "clear",
    ] {
        assert!(listed.contains(&status), "{status} not listed");
    }
    let headings: Vec<&str> = listing.lines().filter(|l| l.ends_with("s:")).collect();
    assert_eq!(
        headings,
        [
            "Finding kinds:",
            "Account statuses:",
            "Hold reasons:",
            "Warnings:",
            "Report columns:"
        ]
    );
}
