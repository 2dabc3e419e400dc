//! Statement formats: fixtures/sample's money as an MT940 statement, a
//! camt.053 statement and an MT940 statement with an ARUDD report reconcile
//! to the report its bank.csv gives; `-` reads standard input.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{root, text, Case, TODAY};

/// What must not change with the bank file's format: findings less their
/// evidence (statement lines are not CSV lines), accounts, warnings, and
/// the control totals less the bank file's name.
fn comparable(report: &str) -> Value {
    let mut doc: Value = serde_json::from_str(report).expect("json report");
    for f in doc["findings"].as_array_mut().expect("findings") {
        f.as_object_mut().expect("finding").remove("evidence");
    }
    for file in doc["totals"]["files"].as_array_mut().expect("files") {
        if file["file"]
            .as_str()
            .is_some_and(|n| n.starts_with("bank."))
        {
            file["file"] = Value::from("bank");
        }
    }
    let doc = doc.as_object_mut().expect("report");
    doc.retain(|k, _| ["findings", "accounts", "warnings", "totals"].contains(&k.as_str()));
    Value::Object(doc.clone())
}

fn json(case: &Case, extra: &[&str]) -> String {
    let mut args = vec!["reconcile", ".", "--format", "json"];
    args.extend(extra);
    let out = case.run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn each_statement_format_reconciles_as_the_csv_of_the_same_money() {
    let sample = root().join("fixtures/sample");
    let want = comparable(&json(&Case::new(&sample), &[]));
    for case in ["mt940", "camt053", "arudd"] {
        let dir = root().join("fixtures/statements").join(case);
        for other in ["accounts.csv", "ledger.csv", "schedules.csv"] {
            assert_eq!(
                fs::read(dir.join(other)).expect("copy"),
                fs::read(sample.join(other)).expect("sample"),
                "{case}/{other} is fixtures/sample's (run fixtures/statements/make.py)"
            );
        }
        let got = comparable(&json(&Case::new(&dir), &[]));
        assert!(got["findings"].as_array().is_some_and(|f| !f.is_empty()));
        for part in ["findings", "accounts", "warnings", "totals"] {
            assert_eq!(got[part], want[part], "{case}: {part}");
        }
    }
}

#[test]
fn evidence_cites_the_statement_line_of_each_receipt() {
    for (case, file, marker) in [
        ("mt940", "bank.sta", ":61:"),
        ("camt053", "bank.xml", "<Ntry>"),
    ] {
        let dir = root().join("fixtures/statements").join(case);
        let doc: Value = serde_json::from_str(&json(&Case::new(&dir), &[])).expect("json");
        let statement = fs::read_to_string(dir.join(file)).expect("statement");
        let lines: Vec<&str> = statement.lines().collect();
        let mut cited = 0;
        for f in doc["findings"].as_array().expect("findings") {
            let Some(bank_id) = f["bank_id"].as_str() else {
                continue;
            };
            for e in f["evidence"].as_array().expect("evidence") {
                let Some(line) = e.as_str().and_then(|e| e.strip_prefix(&format!("{file}:")))
                else {
                    continue;
                };
                let n: usize = line.parse().expect("line number");
                assert!(
                    lines[n - 1].contains(marker),
                    "{case}: {file}:{n} is not a statement line"
                );
                // The line's id is on it (MT940) or in the entry after it (camt).
                let entry = lines[n - 1..(n + 20).min(lines.len())].join("\n");
                assert!(
                    entry.contains(bank_id),
                    "{case}: {file}:{n} is not {bank_id}"
                );
                cited += 1;
            }
        }
        assert!(cited >= 5, "{case}: {cited} statement lines cited");
    }
}

/// `rent-audit ARGS` in `case`'s folder with `input` on standard input.
fn run_with_stdin(case: &Case, args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rent-audit"))
        .args(args)
        .current_dir(case.path())
        .env("RENT_AUDIT_TODAY", TODAY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rent-audit");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn a_dash_reads_standard_input_once() {
    let dir = root().join("fixtures/statements/mt940");
    let case = Case::new(&dir);
    let want = comparable(&json(&case, &[]));
    let statement = fs::read(dir.join("bank.sta")).expect("statement");
    fs::remove_file(case.path().join("bank.sta")).expect("remove");
    let args = ["reconcile", ".", "--bank", "-", "--format", "json"];
    let out = run_with_stdin(&case, &args, &statement);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let got = comparable(&text(&out.stdout));
    assert_eq!(got["findings"], want["findings"]);
    assert_eq!(got["accounts"], want["accounts"]);
    let doc: Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    let names: Vec<&str> = (doc["totals"]["files"].as_array().expect("files").iter())
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(names.contains(&"stdin"), "{names:?}");
    // A CSV on standard input, through the contract's reader.
    let csv = fs::read(root().join("fixtures/sample/bank.csv")).expect("csv");
    let out = run_with_stdin(&case, &args, &csv);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // Two inputs cannot both be standard input.
    let two = ["reconcile", ".", "--bank", "-", "--ledger", "-"];
    let out = run_with_stdin(&case, &two, &statement);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("standard input can be read for one of them only"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_arudd_return_the_statement_does_not_show_is_a_warning_not_money() {
    let dir = root().join("fixtures/statements/arudd");
    let case = Case::new(&dir);
    let report = fs::read_to_string(dir.join("arudd-2026-02-13.xml")).expect("arudd");
    let extra = r#"<ReturnedDebitItem ref="DDM-1001" transCode="17" returnCode="2" returnDescription="PAYER DECEASED" originalProcessingDate="2026-02-09" valueOf="100.00" currency="GBP"/>
            <Totals"#;
    let report = report.replacen("<Totals", extra, 1);
    fs::write(case.path().join("arudd-2026-02-13.xml"), report).expect("write");
    let doc: Value = serde_json::from_str(&json(&case, &[])).expect("json");
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("arudd-2026-02-13.xml:15: the ARUDD return of 100.00 on 2026-02-13"),
        "{warnings}"
    );
    let bank = &doc["totals"]["files"][2];
    assert_eq!(
        (bank["rows"].as_u64(), bank["money_out"].as_str()),
        (Some(191), Some("150.00"))
    );
}
