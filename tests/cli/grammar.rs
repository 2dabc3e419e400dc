//! The profile grammar end to end (docs/profiles.md): fallback extractions
//! and rules with captured text reading a statement, a rule naming a group
//! its pattern lacks refused at load, a bank ref the statement lacks
//! matched by account and amount with a warning, a reversal of method
//! `other` still seen, and `validate` listing each bad row once, as text
//! and as JSON.

use super::*;

fn fixture() -> Case {
    Case::new(&root().join("fixtures/grammar"))
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("JSON output")
}

#[test]
fn the_grammar_fixture_reconciles_to_its_expected_report() {
    let case = fixture();
    let out = case.run(&[
        "reconcile",
        ".",
        "--profile",
        "bank.toml",
        "--format",
        "json",
    ]);
    let report = text(&out.stdout);
    check_expected(&root().join("fixtures/grammar/expected.json"), &report);
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().expect("findings");
    let kinds: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or_default(),
                f["account_ref"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // Every receipt found its account through a fallback extraction or a
    // rule's captured text; the return found its reversal though the
    // reversal's bank ref is on no line; the reversal of method `other`
    // with no return is reported.
    assert_eq!(kinds, [("reversal_without_return", "RA2002")], "{report}");
    let warnings: Vec<&str> = (report["warnings"].as_array().expect("warnings").iter())
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert_eq!(warnings, ["unknown_bank_ref"]);
}

#[test]
fn a_bank_ref_the_statement_lacks_is_a_warning_naming_the_row() {
    let case = fixture();
    let out = case.run(&["reconcile", ".", "--profile", "bank.toml"]);
    let report = text(&out.stdout);
    assert!(
        report.contains("1 ledger reversal or refund names a bank_ref")
            && report.contains("ledger.csv:12 \"S99\""),
        "{report}"
    );
}

#[test]
fn a_rule_naming_a_group_its_pattern_lacks_is_refused_at_load() {
    let case = fixture();
    let profile = fs::read_to_string(case.path().join("bank.toml")).expect("profile");
    let bad = profile.replace("\"RA$2\"", "\"RA$3\"");
    assert_ne!(bad, profile);
    fs::write(case.path().join("bad.toml"), bad).expect("write");
    let out = case.run(&["reconcile", ".", "--profile", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "rent-audit: profile bad.toml, section [bank]: [[rules]] 1 (on \"Details\") sets \
         reference = \"RA$3\", but its pattern has no group \"3\" (groups are $1, ${1}, \
         $name or ${name}; $$ is a dollar)\n"
    );
}

/// The messy sample with one ledger amount that is not money.
fn messy_with_a_bad_debit() -> Case {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    for p in ["westshire-housing.toml", "westshire-bank.toml"] {
        fs::copy(
            root().join("fixtures/profiles").join(p),
            case.path().join(p),
        )
        .expect("copy");
    }
    let ledger = case.path().join("tenancy-export.csv");
    let text = fs::read_to_string(&ledger).expect("ledger");
    let bad = text.replacen("RNT,450.00,", "RNT,abc,", 1);
    assert_ne!(bad, text);
    fs::write(&ledger, bad).expect("write");
    case
}

const PROFILES: [&str; 4] = [
    "--profile",
    "westshire-housing.toml",
    "--profile",
    "westshire-bank.toml",
];

#[test]
fn validate_lists_a_bad_ledger_row_once() {
    let case = messy_with_a_bad_debit();
    let out = case.run(&[&["validate", "."][..], &PROFILES].concat());
    assert_eq!(out.status.code(), Some(2));
    let report = text(&out.stdout);
    assert!(report.contains(": 1 bad row, 1 problem,"), "{report}");
    let listed: Vec<&str> = report.lines().filter(|l| l.contains("\"abc\"")).collect();
    assert_eq!(
        listed,
        ["  tenancy-export.csv:8:4: debit: expected an amount like £1,234.50, -12.00 or (12.00), found \"abc\""],
        "{report}"
    );
}

#[test]
fn validate_as_json_has_its_documented_shape() {
    let case = messy_with_a_bad_debit();
    let out = case.run(&[&["validate", ".", "--format", "json"][..], &PROFILES].concat());
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    let mut want = [
        "version",
        "ok",
        "profile",
        "files",
        "rejects",
        "unknown_columns",
        "warnings",
        "notes",
    ];
    want.sort_unstable();
    assert_eq!(keys, want);
    assert_eq!(v["version"], 1);
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["profile"],
        "Westshire housing system + Westshire bank statement"
    );
    assert_eq!(
        v["rejects"],
        serde_json::json!([{
            "file": "tenancy-export.csv",
            "line": 8,
            "column": 4,
            "column_name": "debit",
            "message": "expected an amount like £1,234.50, -12.00 or (12.00), found \"abc\"",
        }])
    );
    assert_eq!(
        v["files"][1],
        serde_json::json!({
            "input": "ledger",
            "file": "tenancy-export.csv",
            "rows_read": 412,
            "rows_used": 411,
            "rows_set_aside": 1,
        })
    );
    assert_eq!(
        v["unknown_columns"],
        serde_json::json!([{ "file": "bank-statement.csv", "columns": ["balance"] }])
    );
    let warnings: Vec<&str> = (v["warnings"].as_array().expect("warnings").iter())
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert_eq!(warnings, ["rows_set_aside"]);
}

#[test]
fn validate_as_json_is_ok_on_a_clean_folder() {
    let case = Case::new(&root().join("fixtures/sample"));
    let out = case.run(&["validate", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let v = json(&out.stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["profile"], serde_json::Value::Null);
    assert_eq!(v["rejects"], serde_json::json!([]));
}
