//! `profile init` as a new user runs it: drafts of every sample-messy export,
//! used unedited, reconcile exactly as the hand-written profiles do.

use std::fs;

use super::{messy_profiles, root, run_with, text, Case};

const MESSY: [&str; 4] = [
    "bank-statement",
    "tenancy-export",
    "tenancies",
    "hb-schedule",
];

/// Drafts a profile for each messy export in `case`, unedited; returns the
/// `--profile` arguments and each draft's standard error.
fn drafts(case: &Case, kinds: &[(&str, &str)]) -> (Vec<String>, String) {
    let mut args = Vec::new();
    let mut said = String::new();
    for file in MESSY {
        let draft = format!("{file}.toml");
        let csv = format!("{file}.csv");
        let mut init = vec!["profile", "init", &csv, "--output", &draft];
        if let Some((_, kind)) = kinds.iter().find(|(f, _)| *f == file) {
            init.extend(["--kind", kind]);
        }
        let out = case.run(&init);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        said.push_str(&text(&out.stderr));
        args.extend(["--profile".to_string(), draft]);
    }
    (args, said)
}

/// The JSON report of `reconcile` with `profiles`, its run details aside.
fn report(case: &Case, profiles: &[String]) -> serde_json::Value {
    let out = run_with(case, &["reconcile", ".", "--format", "json"], profiles);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let mut doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    doc.as_object_mut().map(|o| o.remove("run"));
    doc
}

#[test]
fn drafts_used_unedited_reconcile_as_the_hand_written_profiles_do() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    let hand = report(&case, &messy_profiles());
    // The kind guessed, and the kind said: the same drafts.
    for kinds in [
        &[][..],
        &[("bank-statement", "bank"), ("tenancy-export", "ledger")],
    ] {
        let (drafted, _) = drafts(&case, kinds);
        let ledger = fs::read_to_string(case.path().join("tenancy-export.toml")).expect("draft");
        for guess in [
            "skip_rows = 3",
            "\"CHQ\" = \"payment\"",
            "\"WOF\" = \"writeoff\"",
            "\"CHQ\" = \"cheque\"",
        ] {
            assert!(ledger.contains(guess), "{guess} in\n{ledger}");
        }
        let bank = fs::read_to_string(case.path().join("bank-statement.toml")).expect("draft");
        assert!(
            bank.starts_with("# Drafted") && bank.contains("\n[bank]\n"),
            "{bank}"
        );
        // Findings, statuses, balances, control totals, evidence: all of it.
        assert_eq!(report(&case, &drafted), hand);
    }
}

#[test]
fn a_code_nobody_can_guess_is_read_as_an_adjustment_claiming_no_receipt() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    let path = case.path().join("tenancy-export.csv");
    let mut export = fs::read_to_string(&path).expect("export");
    // A credit of a code seen nowhere else, far down the file.
    export.push_str("RA1001,30/03/2026,SUSP,,40.00,Suspense clearance\r\n");
    fs::write(&path, export).expect("write");
    let (drafted, said) = drafts(&case, &[]);
    let ledger = fs::read_to_string(case.path().join("tenancy-export.toml")).expect("draft");
    assert!(
        ledger.contains(
            "\"SUSP\" = \"adjustment\"  # UNKNOWN: 1 row (credits), e.g. line 417 \"Suspense clearance\""
        ),
        "{ledger}"
    );
    assert!(
        said.contains("1 code(s) in \"Trans Type\" could not be guessed (SUSP; 1 rows)"),
        "{said}"
    );
    let doc = report(&case, &drafted);
    let ledger_totals = &doc["totals"]["files"][1];
    assert_eq!(ledger_totals["rows_rejected"], 0, "every row is read");
    assert_eq!(ledger_totals["rows"], 413);
    // Read as an adjustment, it claims no receipt: nothing is matched to it,
    // and RA1001's balance is the ledger's, £40.00 in credit.
    let ra1001 = (doc["accounts"].as_array().expect("accounts").iter())
        .find(|a| a["account_ref"] == "RA1001")
        .expect("RA1001");
    assert_eq!(ra1001["posted_balance"], "-40.00", "{ra1001}");
    assert_eq!(ra1001["status"], "clear", "{ra1001}");
}

#[test]
fn a_file_with_nothing_to_draft_from_exits_2_and_says_why() {
    let case = Case::new(&root().join("fixtures/sample"));
    let unmarked_utf16: Vec<u8> = "Date,Amount\r\n01/03/2026,10.00\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for (bytes, says) in [
        (&b""[..], "the file is empty"),
        (
            b"Westshire Bank plc\nPrinted 01/02/2026\n",
            "no header found",
        ),
        (
            b"Date,Description,Paid in,Paid out\r\n",
            "a header but no rows",
        ),
        (&unmarked_utf16, "UTF-16 without a byte-order mark"),
    ] {
        fs::write(case.path().join("export.csv"), bytes).expect("write");
        let out = case.run(&["profile", "init", "export.csv", "--output", "draft.toml"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("cannot draft a profile from export.csv"),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
        assert!(!case.path().join("draft.toml").exists(), "{err}");
    }
}

#[test]
fn a_draft_never_replaces_the_export_it_is_drafted_from() {
    let case = Case::new(&root().join("fixtures/sample"));
    let before = fs::read(case.path().join("bank.csv")).expect("bank.csv");
    let out = case.run(&["profile", "init", "bank.csv", "--output", "./bank.csv"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bank.csv"), "{err}");
    assert_eq!(
        fs::read(case.path().join("bank.csv")).expect("bank.csv"),
        before
    );
}
