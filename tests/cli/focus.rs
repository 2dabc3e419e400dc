//! Reports an officer reads at a glance: filters, the terminal's width, the
//! accounts CSV, the defaults in rent-audit.toml and the manual.

use super::*;

fn json_of(case: &Case, args: &[&str]) -> (serde_json::Value, Option<i32>) {
    let mut all = vec!["reconcile", ".", "--format", "json"];
    all.extend_from_slice(args);
    let out = case.run(&all);
    (json_report(&out), out.status.code())
}

fn strings(v: &serde_json::Value, list: &str, field: &str) -> Vec<String> {
    v[list]
        .as_array()
        .expect("a list")
        .iter()
        .map(|x| x[field].as_str().expect("text").to_string())
        .collect()
}

#[test]
fn filters_choose_what_is_listed_and_the_totals_stay_whole() {
    let case = sample();
    let (whole, code) = json_of(&case, &[]);
    assert_eq!(code, Some(1));
    assert!(whole["run"].get("filter").is_none());

    let (kind, _) = json_of(&case, &["--kind", "wrong-account"]);
    assert_eq!(strings(&kind, "findings", "kind"), ["wrong_account"; 3]);
    // The accounts the moves touch: the one it belongs to and the one it went to.
    assert_eq!(
        strings(&kind, "accounts", "account_ref"),
        ["RA1002", "RA1012"]
    );
    assert_eq!(
        kind["totals"], whole["totals"],
        "totals cover the whole run"
    );
    assert_eq!(kind["run"]["filter"]["asked"][0], "--kind wrong_account");
    assert_eq!(kind["run"]["filter"]["findings_in_run"], 12);

    let (status, _) = json_of(&case, &["--status", "false_trigger"]);
    assert_eq!(strings(&status, "accounts", "status"), ["false_trigger"; 2]);
    for f in status["findings"].as_array().expect("findings") {
        let touches = ["RA1002", "RA1003"].contains(&f["account_ref"].as_str().unwrap_or(""));
        assert!(touches, "{f}");
    }

    // Only what is listed decides the exit code: the late postings are low.
    let (low, code) = json_of(&case, &["--kind", "late_posting"]);
    assert_eq!(strings(&low, "findings", "severity"), ["low"; 2]);
    assert_eq!(code, Some(0));

    let csv = text(
        &case
            .run(&[
                "reconcile",
                ".",
                "--format",
                "csv",
                "--min-severity",
                "high",
            ])
            .stdout,
    );
    assert_eq!(csv.lines().count(), 1 + 8, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains(",high,")), "{csv}");

    let table = text(
        &case
            .run(&["reconcile", ".", "--account", "ra1012,RA1012"])
            .stdout,
    );
    assert!(table.contains(
        "Filtered to --account RA1012: 3 of 12 findings and 1 of 21 accounts are listed."
    ));
    let md = text(
        &case
            .run(&[
                "reconcile",
                ".",
                "--format",
                "markdown",
                "--kind",
                "unbanked_credit",
            ])
            .stdout,
    );
    assert!(md.contains("Filtered to --kind unbanked_credit"), "{md}");
    assert!(md.contains("| RA1010 |") || md.contains("RA1010"), "{md}");
    assert!(!md.contains("T00164"), "another kind's finding: {md}");

    let pack = text(
        &case
            .run(&[
                "reconcile",
                ".",
                "--format",
                "html",
                "--kind",
                "wrong_account",
            ])
            .stdout,
    );
    assert!(
        pack.contains("Filtered to --kind wrong_account"),
        "the pack says so"
    );
    assert!(pack.contains("id=\"acc-RA1002\"") && pack.contains("id=\"acc-RA1012\""));
    assert!(
        !pack.contains("id=\"acc-RA1003\""),
        "RA1003 has no wrong_account"
    );

    let none = text(
        &case
            .run(&[
                "reconcile",
                ".",
                "--status",
                "clear",
                "--kind",
                "wrong_account",
            ])
            .stdout,
    );
    assert!(none.contains("Nothing here matches the filter."), "{none}");

    // An account asked for is shown whatever its status.
    let clear = text(&case.run(&["reconcile", ".", "--account", "RA1015"]).stdout);
    assert!(clear.contains("│ RA1015  ┆ clear"), "{clear}");
    let csv = case.run(&[
        "reconcile",
        ".",
        "--format",
        "csv",
        "--kind",
        "late_posting",
    ]);
    assert!(
        text(&csv.stderr).contains("Filtered to --kind late_posting"),
        "a CSV cannot say so itself"
    );

    // The pack lists every finding, those on accounts not to act on too.
    let whole_pack = text(&case.run(&["reconcile", ".", "--format", "html"]).stdout);
    assert!(whole_pack.contains("BNK0061"), "RA1009's duplicate posting");
    assert!(whole_pack.contains("bank.csv:96"), "money in suspense");

    let unknown = case.run(&["reconcile", ".", "--account", "RA1O12"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no account \"RA1O12\" (did you mean RA1012?)"));
}

#[test]
fn tables_fit_the_width_they_are_given() {
    let case = sample();
    let narrow = Command::new(env!("CARGO_BIN_EXE_rent-audit"))
        .args(["reconcile", "."])
        .current_dir(case.path())
        .env("COLUMNS", "100")
        .env("RENT_AUDIT_TODAY", TODAY)
        .output()
        .expect("run");
    let narrow = text(&narrow.stdout);
    let widest = narrow.lines().map(|l| l.chars().count()).max();
    assert_eq!(widest, Some(100), "{narrow}");
    // Secondary columns move into the detail rather than squeezing it.
    assert!(narrow.contains("evidence: bank.csv:78"), "{narrow}");
    assert!(
        narrow.contains("statutory: £1,040.00 not reached"),
        "{narrow}"
    );
    assert!(
        narrow.contains("\n  accounts.csv (1,961 bytes, SHA-256"),
        "{narrow}"
    );

    let wide = text(&case.run(&["reconcile", ".", "--width", "200"]).stdout);
    assert!(wide.lines().all(|l| l.chars().count() <= 200));
    assert!(
        wide.contains("┆ evidence "),
        "evidence is a column when there is room"
    );
    let piped = text(&case.run(&["reconcile", "."]).stdout);
    assert!(piped.lines().all(|l| l.chars().count() <= 160));
}

#[test]
fn the_accounts_csv_gives_every_account_its_standing() {
    let case = sample();
    let csv = text(
        &case
            .run(&["reconcile", ".", "--format", "accounts-csv"])
            .stdout,
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 21);
    assert!(lines[0].starts_with("account_ref,tenant_name,status,posted_balance,corrected_balance"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("RA1002,Brian Lewis,false_trigger,460.00,130.00,")),
        "{csv}"
    );
    let held = text(
        &case
            .run(&[
                "reconcile",
                ".",
                "--format",
                "accounts-csv",
                "--status",
                "protocol_hold",
            ])
            .stdout,
    );
    assert_eq!(held.lines().count(), 1 + 5, "{held}");
}

#[test]
fn report_defaults_in_rent_audit_toml_yield_to_the_command_line() {
    let case = sample();
    fs::write(
        case.path().join("rent-audit.toml"),
        "[report]\nformat = \"markdown\"\nfail_on = \"never\"\n",
    )
    .expect("write settings");
    let md = case.run(&["reconcile", "."]);
    assert!(text(&md.stdout).starts_with("# Rent reconciliation"));
    assert_eq!(md.status.code(), Some(0), "fail_on = never");
    let json = case.run(&["reconcile", ".", "--format", "json", "--fail-on", "high"]);
    assert!(text(&json.stdout).starts_with('{'));
    assert_eq!(json.status.code(), Some(1));

    fs::write(
        case.path().join("rent-audit.toml"),
        "[report]\nformat = \"pdf\"\n",
    )
    .expect("write settings");
    let bad = case.run(&["reconcile", "."]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("[report] format: expected one of table, csv, json"));
}

#[test]
fn the_manual_is_one_page_or_a_page_per_subcommand() {
    let case = sample();
    let page = text(&case.run(&["man"]).stdout);
    for section in [
        ".SH \"RENT-AUDIT-RECONCILE\"",
        ".SH \"RENT-AUDIT-CHECK\"",
        ".SH \"RENT-AUDIT-DIFF\"",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert!(
        page.contains("\\-\\-min\\-severity"),
        "reconcile's options are in the page"
    );
    let out = case.run(&["man", "--dir", "pages"]);
    assert_eq!(out.status.code(), Some(0));
    for name in [
        "rent-audit.1",
        "rent-audit-reconcile.1",
        "rent-audit-explain.1",
    ] {
        let p = case.path().join("pages").join(name);
        let roff = fs::read_to_string(&p).expect("page written");
        assert!(roff.starts_with(".ie") || roff.contains(".TH"), "{name}");
    }
}

#[test]
fn the_statement_csv_needs_no_flag_and_errors_name_no_temporary_file() {
    let case = sample();
    let csv = text(
        &case
            .run(&["check", "RA1002", ".", "--format", "csv"])
            .stdout,
    );
    assert!(csv.lines().count() > 10, "{csv}");
    assert!(
        csv.contains("RA1002,2026-01-01,Balance brought forward"),
        "{csv}"
    );

    let dash = case.run(&["reconcile", ".", "--format", "csv", "-o", "-"]);
    assert!(
        text(&dash.stdout).starts_with("kind,severity,"),
        "-o - is standard output"
    );
    assert!(!case.path().join("-").exists());

    let out = case.run(&["reconcile", ".", "--output", "nowhere/r.json"]);
    let said = text(&out.stderr);
    assert!(
        said.contains("cannot create a temporary file in nowhere: No such file"),
        "{said}"
    );
    assert!(!said.contains(".rent-audit-"), "{said}");
}

#[test]
fn generate_will_not_write_over_a_folder_that_holds_files() {
    let case = sample();
    let before = fs::read(case.path().join("ledger.csv")).expect("ledger");
    let out = case.run(&["generate", "--accounts", "5", "--out", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not empty: generate would overwrite its files"));
    assert_eq!(
        fs::read(case.path().join("ledger.csv")).expect("ledger"),
        before
    );
    let forced = case.run(&["generate", "--accounts", "5", "--out", ".", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert_ne!(
        fs::read(case.path().join("ledger.csv")).expect("ledger"),
        before
    );
}

#[test]
fn payment_history_on_a_mis_posted_account_is_flagged_as_posted() {
    let case = sample();
    let out = text(&case.run(&["check", "RA1002", "."]).stdout);
    assert!(
        out.contains("3 of 12 rent periods in the last 12 months ended further behind as posted; the 3 findings on the account may change that"),
        "{out}"
    );
    let clean = text(&case.run(&["check", "RA1007", "."]).stdout);
    assert!(
        clean.contains("rent periods in the last 12 months ended further behind"),
        "{clean}"
    );
}
