//! `rent-audit diff`: month on month, findings new, resolved and still open.
//! fixtures/diff holds last month's report (last.json) and this month's
//! data; its README tells the story these tests hold it to.

use super::*;

/// fixtures/diff in a temp dir: this month's data, last month's report,
/// and this month's report (`this.json`) reconciled from the data.
fn month() -> Case {
    let dir = root().join("fixtures/diff");
    let case = Case::new(&dir);
    fs::copy(dir.join("last.json"), case.path().join("last.json")).expect("copy last.json");
    let out = case.run(&[
        "reconcile",
        ".",
        "--format",
        "json",
        "--output",
        "this.json",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "reconcile: {}",
        text(&out.stderr)
    );
    case
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("diff --format json")
}

/// The keys of one list under `findings` (`new`, `resolved`, `open`).
fn keys(doc: &serde_json::Value, list: &str) -> Vec<String> {
    doc["findings"][list]
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|f| f["key"].as_str().expect("a key").to_string())
        .collect()
}

#[test]
fn the_monthly_diff_gives_its_expected_reports() {
    let case = month();
    let dir = root().join("fixtures/diff");
    let table = case.run(&["diff", "last.json", "this.json"]);
    assert_eq!(table.status.code(), Some(1), "{}", text(&table.stderr));
    check_expected(&dir.join("expected-diff.txt"), &text(&table.stdout));
    let out = case.run(&["diff", "last.json", "this.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    check_expected(&dir.join("expected-diff.json"), &text(&out.stdout));
}

#[test]
fn planted_errors_are_new_and_fixed_ones_resolved() {
    let case = month();
    let doc = json(&case.run(&["diff", "last.json", "this.json", "--format", "json"]));
    let new = keys(&doc, "new");
    // March's errors: the phantom cash credit, the mistyped PayPoint
    // payment, J SMITH's £50 in suspense; and February's fixes, posted late.
    for key in [
        "unbanked_credit:RA1010:::T00318",
        "amount_mismatch:RA1008::BNK0143:T00301",
        "unidentified_receipt:::BNK0165:",
        "late_posting:RA1003::BNK0077:T00411",
    ] {
        assert!(new.contains(&key.to_string()), "{key} not new: {new:?}");
    }
    // February's unposted transfer and the receipt in suspense, put right.
    assert_eq!(
        keys(&doc, "resolved"),
        [
            "unposted_receipt:RA1003::BNK0077:",
            "unidentified_receipt:::BNK0095:"
        ]
    );
    let open = keys(&doc, "open");
    assert_eq!(open.len(), 5, "{open:?}");
    assert!(open.contains(&"duplicate_posting:RA1009::BNK0061:T00130+T00131".to_string()));
    // Still open, with this month's evidence: the back-dated recharge
    // moved every later ledger line down one.
    let first = &doc["findings"]["open"][0];
    assert_eq!(first["key"], "wrong_account:RA1002:RA1012:BNK0063:T00164");
    assert_eq!(first["evidence"][1], "ledger.csv:166");
    assert_eq!(first["amount_then"], "-110.00");
    let changed = &doc["accounts"]["changed"];
    let rows = changed.as_array().expect("changed accounts");
    let ra1003 = rows
        .iter()
        .find(|a| a["account_ref"] == "RA1003")
        .expect("RA1003 changed");
    assert_eq!(
        (&ra1003["status_then"], &ra1003["status_now"]),
        (&"false_trigger".into(), &"clear".into())
    );
    assert_eq!(doc["accounts"]["new"][0]["account_ref"], "RA1022");
    assert_eq!(doc["accounts"]["gone"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["suspense"]["then"]["amount"], "230.00");
    assert_eq!(doc["suspense"]["now"]["amount"], "50.00");
    assert_eq!(doc["last"]["as_at"], "2026-02-28");
    assert_eq!(doc["this"]["as_at"], "2026-03-31");
    assert_eq!(doc["warnings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_report_diffed_with_itself_says_nothing_changed() {
    let case = month();
    let out = case.run(&["diff", "this.json", "this.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("Nothing changed"), "{table}");
    assert!(table.contains("the same run"), "{table}");
    let doc = json(&case.run(&["diff", "this.json", "this.json", "--format", "json"]));
    assert_eq!(doc["unchanged"], true);
    assert!(keys(&doc, "new").is_empty() && keys(&doc, "resolved").is_empty());
    assert_eq!(keys(&doc, "open").len(), 12);
    assert_eq!(doc["accounts"]["changed"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_exit_code_follows_new_findings_and_fail_on() {
    let case = month();
    let code = |args: &[&str]| {
        let mut a = vec!["diff", "last.json"];
        a.extend_from_slice(args);
        let out = case.run(&a);
        assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
        out.status.code()
    };
    assert_eq!(code(&["this.json"]), Some(1));
    assert_eq!(code(&["this.json", "--fail-on", "never"]), Some(0));
    // This month without its new high findings: a new medium one (J
    // SMITH's receipt) and new low ones are left.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&fs::read(case.path().join("this.json")).expect("this.json"))
            .expect("this.json is JSON");
    let old: Vec<serde_json::Value> = (doc["findings"].as_array().expect("findings").iter())
        .filter(|f| f["severity"] != "high" || f["bank_id"] == "BNK0063")
        .cloned()
        .collect();
    doc["findings"] = serde_json::Value::Array(old);
    fs::write(case.path().join("milder.json"), doc.to_string()).expect("write");
    assert_eq!(code(&["milder.json"]), Some(0));
    assert_eq!(code(&["milder.json", "--fail-on", "medium"]), Some(1));
    assert_eq!(code(&["milder.json", "--fail-on", "low"]), Some(1));
}

#[test]
fn a_file_that_is_not_a_report_is_named_and_exits_2() {
    let case = month();
    for (file, says) in [
        (
            "accounts.csv",
            "accounts.csv is not a rent-audit JSON report: it is not JSON",
        ),
        ("missing.json", "cannot read missing.json"),
    ] {
        let out = case.run(&["diff", file, "this.json"]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{file}: no comparison");
    }
    let mut doc: serde_json::Value =
        serde_json::from_slice(&fs::read(case.path().join("last.json")).expect("last.json"))
            .expect("last.json is JSON");
    doc.as_object_mut().expect("an object").remove("findings");
    fs::write(case.path().join("cut.json"), doc.to_string()).expect("write");
    let out = case.run(&["diff", "cut.json", "this.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cut.json is not a rent-audit JSON report: missing `findings`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_output_naming_an_input_is_refused() {
    let case = month();
    let before = fs::read(case.path().join("this.json")).expect("this.json");
    for target in ["this.json", "last.json"] {
        let out = case.run(&["diff", "last.json", "this.json", "--output", target]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("is an input"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(
        fs::read(case.path().join("this.json")).expect("this.json"),
        before
    );
}

#[test]
fn every_format_writes_the_same_changes() {
    let case = month();
    let run = |format: &str| {
        let out = case.run(&["diff", "last.json", "this.json", "--format", format]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    let csv = run("csv");
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .is_some_and(|h| h.starts_with("change,severity,kind,")));
    let changes: Vec<&str> = lines.filter_map(|l| l.split(',').next()).collect();
    let count = |c: &str| changes.iter().filter(|x| **x == c).count();
    // 7 new, 2 resolved, 5 open; 7 accounts changed status and one came.
    assert_eq!(
        (
            count("new"),
            count("resolved"),
            count("open"),
            count("status")
        ),
        (7, 2, 5, 8)
    );
    let markdown = run("markdown");
    assert!(markdown.contains("## New findings (7)"), "{markdown}");
    assert!(markdown.contains("| RA1003 | Chloe Martin | false_trigger | clear |"));
    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("Resolved findings (2)"));
    // To a file: written whole, the same as to standard output.
    let out = case.run(&[
        "diff",
        "last.json",
        "this.json",
        "--format",
        "csv",
        "-o",
        "d.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(case.path().join("d.csv")).expect("d.csv"),
        csv
    );
}

#[test]
fn a_filtered_report_is_refused_not_read_as_findings_resolved() {
    let case = month();
    let out = case.run(&[
        "reconcile",
        ".",
        "--account",
        "RA1008",
        "--format",
        "json",
        "--output",
        "part.json",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    for args in [["last.json", "part.json"], ["part.json", "this.json"]] {
        let out = case.run(&["diff", args[0], args[1]]);
        assert_eq!(out.status.code(), Some(2));
        let said = text(&out.stderr);
        assert!(
            said.contains("part.json lists part of a run (--account RA1008)"),
            "{said}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn different_rules_or_landlords_are_warned_of() {
    let case = month();
    let out = case.run(&[
        "reconcile",
        ".",
        "--trigger",
        "8w",
        "--posting-days",
        "30",
        "--format",
        "json",
        "-o",
        "rules.json",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    let said = text(&case.run(&["diff", "last.json", "rules.json"]).stdout);
    assert!(
        said.contains(
            "judged by different rules (trigger 4w then, 8w now; posting_days 5 then, 30 now)"
        ),
        "{said}"
    );
    let other = Case::new(&root().join("fixtures/benefits"));
    let out = other.run(&["reconcile", ".", "--format", "json", "-o", "other.json"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    fs::copy(
        other.path().join("other.json"),
        case.path().join("other.json"),
    )
    .expect("copy");
    let said = text(&case.run(&["diff", "last.json", "other.json"]).stdout);
    assert!(
        said.contains("accounts are in both reports: are they the same landlord's?"),
        "{said}"
    );
    let same = text(&case.run(&["diff", "last.json", "this.json"]).stdout);
    assert!(
        !same.contains("different rules") && !same.contains("same landlord"),
        "{same}"
    );
}
