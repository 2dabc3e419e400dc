//! End-to-end tests through the built binary: fixtures with expected reports,
//! error cases with expected messages, exit codes, determinism across thread
//! counts, atomic output and untouched inputs.
//!
//! Set `UPDATE_EXPECTED=1` to rewrite the expected files after a deliberate
//! change, then review the diff.

mod corrections;
mod coverage;
mod diff;
mod explain;
mod focus;
mod gallery;
mod grammar;
mod init;
mod lawful;
mod pack;
mod splits;
mod statements;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The day the tests run on, whatever the clock says: rows after it are
/// slips, so a fixed day keeps every report the same from year to year.
const TODAY: &str = "2030-01-01";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's input files copied into a fresh temp dir, so the binary runs
/// where it can write nothing into the repository.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(fixture: &Path) -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in fs::read_dir(fixture).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let input = ["csv", "toml", "sta", "mt940", "xml"];
            if path
                .extension()
                .is_some_and(|e| input.iter().any(|i| e == *i))
            {
                fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
            }
        }
        Case { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `rent-audit ARGS` inside the temp dir.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_rent-audit"))
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env("RENT_AUDIT_TODAY", TODAY)
            .output()
            .expect("run rent-audit")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// Compares `actual` with the file at `expected`, or rewrites it when
/// `UPDATE_EXPECTED` is set.
fn check_expected(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        fs::write(expected, actual).expect("write expected");
        return;
    }
    let want = fs::read_to_string(expected).unwrap_or_else(|_| {
        panic!(
            "missing {}; run with UPDATE_EXPECTED=1 to create it",
            expected.display()
        )
    });
    if want != actual {
        let first = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  expected: {:?}\n  actual:   {:?}",
            expected.display(),
            first + 1,
            want.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// Extra arguments a fixture asks for, one per line, in its `args` file.
fn fixture_args(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("args"))
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn fixture_dirs(under: &Path, marker: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(under)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join(marker).exists())
        .collect();
    dirs.sort();
    assert!(
        !dirs.is_empty(),
        "no fixtures with {marker} under {}",
        under.display()
    );
    dirs
}

#[test]
fn every_fixture_gives_its_expected_report() {
    for dir in fixture_dirs(&root().join("fixtures"), "expected.json") {
        let case = Case::new(&dir);
        let mut args = vec![
            "reconcile".to_string(),
            ".".to_string(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(fixture_args(&dir));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = case.run(&argv);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{}: exit {:?}, stderr: {}",
            dir.display(),
            out.status.code(),
            text(&out.stderr)
        );
        check_expected(&dir.join("expected.json"), &text(&out.stdout));
        for (format, file) in [
            ("markdown", "expected.md"),
            ("csv", "expected.csv"),
            ("table", "expected.txt"),
        ] {
            if dir.join(file).exists()
                || std::env::var_os("UPDATE_EXPECTED").is_some() && dir.ends_with("sample")
            {
                let mut a = argv.clone();
                let at = a.iter().position(|x| *x == "json").expect("json arg");
                a[at] = format;
                check_expected(&dir.join(file), &text(&case.run(&a).stdout));
            }
        }
    }
}

#[test]
fn every_error_case_names_the_problem_and_exits_2() {
    for dir in fixture_dirs(&root().join("fixtures/errors"), "expected.txt") {
        let case = Case::new(&dir);
        let mut args = vec!["reconcile".to_string(), ".".to_string()];
        args.extend(fixture_args(&dir));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = case.run(&argv);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            dir.display(),
            text(&out.stderr)
        );
        assert!(
            out.stdout.is_empty(),
            "{}: no report on bad input",
            dir.display()
        );
        check_expected(&dir.join("expected.txt"), &text(&out.stderr));
    }
}

/// The JSON report of `case` as at `date`.
fn json_as_at(case: &Case, date: &str) -> String {
    text(
        &case
            .run(&["reconcile", ".", "--format", "json", "--as-at", date])
            .stdout,
    )
}

fn sample() -> Case {
    Case::new(&root().join("fixtures/sample"))
}

#[test]
fn output_is_identical_on_one_thread_or_four() {
    let case = sample();
    for format in ["json", "csv", "table", "markdown"] {
        let one = case.run(&["reconcile", ".", "--format", format, "--threads", "1"]);
        let four = case.run(&["reconcile", ".", "--format", format, "--threads", "4"]);
        assert!(!one.stdout.is_empty());
        assert_eq!(
            one.stdout, four.stdout,
            "{format} differs between 1 and 4 threads"
        );
    }
}

#[test]
fn exit_code_follows_fail_on() {
    let case = sample();
    // The sample has high, medium and low findings.
    for (fail_on, code) in [("high", 1), ("medium", 1), ("low", 1), ("never", 0)] {
        let out = case.run(&["reconcile", ".", "--format", "json", "--fail-on", fail_on]);
        assert_eq!(out.status.code(), Some(code), "--fail-on {fail_on}");
    }
    let clean = Case::new(&root().join("fixtures/clean"));
    assert_eq!(clean.run(&["reconcile", "."]).status.code(), Some(0));
}

#[test]
fn output_file_is_written_whole_and_inputs_are_untouched() {
    let case = sample();
    let before: Vec<(PathBuf, Vec<u8>)> =
        ["accounts.csv", "ledger.csv", "bank.csv", "schedules.csv"]
            .iter()
            .map(|f| {
                (
                    case.path().join(f),
                    fs::read(case.path().join(f)).expect("read input"),
                )
            })
            .collect();
    let to_stdout = case.run(&["reconcile", ".", "--format", "json"]);
    let write_report = || {
        case.run(&[
            "reconcile",
            ".",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ])
    };
    assert_eq!(
        write_report().status.code(),
        Some(2),
        "a missing output folder is an error"
    );
    fs::create_dir(case.path().join("out")).expect("mkdir");
    let to_file = write_report();
    assert_eq!(to_file.status.code(), Some(1));
    assert!(to_file.stdout.is_empty());
    assert_eq!(
        fs::read(case.path().join("out/report.json")).expect("report"),
        to_stdout.stdout
    );
    let leftovers: Vec<_> = fs::read_dir(case.path().join("out"))
        .expect("out")
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    for (path, bytes) in before {
        assert_eq!(
            fs::read(&path).expect("reread"),
            bytes,
            "{} was modified",
            path.display()
        );
    }
}

#[test]
fn csv_and_markdown_cells_cannot_run_as_formulas() {
    let case = Case::new(&root().join("fixtures/formula"));
    let csv = text(&case.run(&["reconcile", ".", "--format", "csv"]).stdout);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"),
        "{csv}"
    );
    assert!(
        csv.contains(",-75.00,"),
        "plain negative amounts stay numbers: {csv}"
    );
    let md = text(&case.run(&["reconcile", ".", "--format", "markdown"]).stdout);
    assert!(!md.contains("| =HYPERLINK"), "{md}");
}

#[test]
fn as_at_excludes_later_rows_and_says_so() {
    let out = json_as_at(&sample(), "2026-02-28");
    assert!(out.contains("\"as_at\": \"2026-02-28\""));
    assert!(out.contains("\"outcome\": \"after_as_at\""));
    assert!(out.contains("\"ties\": true"));
}

#[test]
fn bad_options_are_usage_errors() {
    let case = sample();
    for args in [
        vec!["reconcile", ".", "--trigger", "4x"],
        vec!["reconcile", ".", "--as-at", "31/03/2026"],
        vec!["reconcile", ".", "--warn-at", "150%"],
        vec!["reconcile", ".", "--threads", "0"],
        vec!["reconcile"],
        vec!["reconcile", ".", "--threads", "100000"],
        vec!["reconcile", ".", "--no-such-option"],
        vec!["check", "RA1002", "/", "--data", ".."],
        vec!["reconcile", ".", "--kind", "wrong_acount"],
        vec!["reconcile", ".", "--status", "arrears"],
        vec!["reconcile", ".", "--width", "10"],
        vec!["diff", "a.json"],
    ] {
        // Usage errors (sysexits' EX_USAGE), apart from unreadable input.
        let out = case.run(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = case.run(&["reconcile", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Usage: rent-audit reconcile"));
    let said = |args: &[&str]| text(&case.run(args).stderr);
    assert!(said(&["reconcile", ".", "--trigger", "4x"])
        .contains("expected a trigger like 4w, 8w, 2m or £500.00 (at most 520w, 120m or £10,000,000), found \"4x\""));
    assert!(said(&["reconcile", ".", "--as-at", "31/03/2026"])
        .contains("expected a date as YYYY-MM-DD, found \"31/03/2026\""));
    assert!(said(&["reconcile", ".", "--warn-at", "150%"])
        .contains("expected a share between 0% and 100%, found \"150%\""));
    assert!(said(&["reconcile", ".", "--threads", "0"])
        .contains("rent-audit: --threads must be at least 1"));
    assert!(said(&["reconcile"]).contains(
        "rent-audit: name a folder of input files, or each of --accounts, --ledger and --bank"
    ));
    assert!(
        said(&["reconcile", ".", "--threads", "100000"]).contains("--threads 100000 is more than")
    );
    let out = case.run(&["reconcile", ".", "--output", "nowhere/r.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("rent-audit: cannot create a temporary file in nowhere"));
}

/// One account's entry in a JSON report.
fn account_in(report: &str, account_ref: &str) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(report).expect("json report");
    doc["accounts"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["account_ref"] == account_ref))
        .cloned()
        .unwrap_or_else(|| panic!("no account {account_ref}"))
}

#[test]
fn ten_weeks_arrears_cross_ground_8_on_30_april_but_not_from_1_may_2026() {
    let case = Case::new(&root().join("fixtures/benefits"));
    let (before, after) = (
        json_as_at(&case, "2026-04-30"),
        json_as_at(&case, "2026-05-01"),
    );
    let b002 = (account_in(&before, "B002"), account_in(&after, "B002"));
    assert_eq!(b002.0["corrected_balance"], "1000.00");
    assert_eq!(b002.1["corrected_balance"], "1000.00");
    assert_eq!(
        (&b002.0["statutory_threshold"], &b002.0["reaches_statutory"]),
        (&"800.00".into(), &true.into())
    );
    assert_eq!(
        (&b002.1["statutory_threshold"], &b002.1["reaches_statutory"]),
        (&"1300.00".into(), &false.into())
    );
    // From 1 May, arrears only from unpaid UC housing payments do not count.
    let b003 = (account_in(&before, "B003"), account_in(&after, "B003"));
    assert_eq!(b003.0["statutory_arrears"], "1560.00");
    assert_eq!(b003.1["statutory_arrears"], "1080.00");
    assert_eq!(b003.1["reaches_statutory"], false);
}

#[test]
fn an_hb_tenant_two_weeks_before_the_next_run_is_technical_not_genuine() {
    let case = Case::new(&root().join("fixtures/benefits"));
    let report = json_as_at(&case, "2026-05-01");
    let b001 = account_in(&report, "B001");
    assert_eq!(b001["status"], "technical_arrears");
    assert_eq!(b001["technical_arrears"], "400.00");
    assert_eq!(b001["next_benefit_expected"], "2026-05-15");
    assert!(b001["detail"]
        .as_str()
        .is_some_and(|d| d.contains("next run is expected 2026-05-15")));
}

/// `--profile` arguments for the shipped profiles of fixtures/sample-messy.
fn messy_profiles() -> Vec<String> {
    let profiles = root().join("fixtures/profiles");
    ["westshire-bank.toml", "westshire-housing.toml"]
        .iter()
        .flat_map(|p| {
            [
                "--profile".to_string(),
                profiles.join(p).to_string_lossy().into_owned(),
            ]
        })
        .collect()
}

/// Asserts a reconcile run gave the canonical sample's report, layout aside.
fn assert_sample_report(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let canonical =
        fs::read_to_string(root().join("fixtures/sample/expected.json")).expect("expected");
    assert_eq!(layout_free(&text(&out.stdout)), layout_free(&canonical));
}

/// Runs `args` (plus any `extra`) in `case`.
fn run_with(case: &Case, args: &[&str], extra: &[String]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(extra.iter().map(String::as_str));
    case.run(&all)
}

/// A report with what depends on how the files were laid out (line-based
/// ids, evidence, the sentences quoting them, file names) set aside.
fn layout_free(report: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(report).expect("json report");
    if let Some(obj) = doc.as_object_mut() {
        obj.remove("run");
    }
    for f in doc["findings"].as_array_mut().into_iter().flatten() {
        for key in ["bank_id", "evidence", "detail", "suggestions"] {
            f.as_object_mut().map(|o| o.remove(key));
        }
        let n = f["txn_ids"].as_array().map_or(0, Vec::len);
        f["txn_ids"] = n.into();
    }
    for m in doc["matched_in_parts"].as_array_mut().into_iter().flatten() {
        for key in ["bank_ids", "txn_ids", "evidence", "detail"] {
            let n = m[key].as_array().map_or(0, Vec::len);
            m[key] = n.into();
        }
    }
    for file in doc["totals"]["files"].as_array_mut().into_iter().flatten() {
        file.as_object_mut().map(|o| o.remove("file"));
    }
    let mut findings = doc["findings"].as_array().cloned().unwrap_or_default();
    findings.sort_by_key(|f| f.to_string());
    doc["findings"] = findings.into();
    doc
}

#[test]
fn the_messy_sample_read_through_the_shipped_profiles_gives_the_sample_report() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    assert_sample_report(&run_with(
        &case,
        &["reconcile", ".", "--format", "json"],
        &messy_profiles(),
    ));
}

#[test]
fn lenient_sets_bad_rows_aside_and_every_row_is_accounted_for() {
    let case = Case::new(&root().join("fixtures/lenient"));
    assert_eq!(
        case.run(&["reconcile", "."]).status.code(),
        Some(2),
        "strict stops"
    );
    let out = case.run(&[
        "reconcile",
        ".",
        "--format",
        "json",
        "--lenient",
        "--rejects",
        "set-aside.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("7 bad rows set aside in set-aside.csv"));
    let rejects = fs::read_to_string(case.path().join("set-aside.csv")).expect("rejects file");
    for expected in [
        "accounts.csv,4,rent: expected a positive rent",
        "bank.csv,5,\"date: expected a date as YYYY-MM-DD, found \"\"31/03/2026\"\"\",25.00,",
        "bank.csv,7,\"reference: expected 6 fields as in the header, found 3\",,\"B6,2026-03-09,5.00\"",
        // A posting to an account whose row was bad is set aside, not dropped.
        "ledger.csv,8,\"account_ref: its account \"\"C003\"\" could not be read\"",
        "ledger.csv,10,\"account_ref: no account \"\"C009\"\" in the accounts file\",-10.00,",
    ] {
        assert!(rejects.contains(expected), "{expected}\nin\n{rejects}");
    }
    let doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    for file in doc["totals"]["files"].as_array().expect("files") {
        let n = |k: &str| file[k].as_u64().expect("count");
        assert_eq!(n("rows_read"), n("rows") + n("rows_rejected"), "{file}");
    }
    // Nothing bad was read as zero: the bank's money is the three good lines.
    assert_eq!(doc["totals"]["files"][2]["money_in"], "633.33");
    // What was set aside could be anyone's: a warning, and every account held.
    assert_eq!(warning_kinds(&doc), ["rows_set_aside"]);
    assert!(doc["warnings"][0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("7 bad rows were set aside (accounts.csv:4,")));
    for a in doc["accounts"].as_array().expect("accounts") {
        assert!(
            a["holds"]
                .as_array()
                .is_some_and(|h| h.contains(&"incomplete_data".into())),
            "{a}"
        );
    }
}

#[test]
fn validate_reports_every_problem_and_note_at_once() {
    let case = Case::new(&root().join("fixtures/lenient"));
    let out = case.run(&["validate", "."]);
    assert_eq!(out.status.code(), Some(2));
    let report = text(&out.stdout);
    assert!(
        report.starts_with("rent-audit validate: 7 bad rows, 7 problems, 0 notes"),
        "{report}"
    );
    for line in [
        "bank.csv: 6 rows read, 3 used, 3 set aside; money in £633.33, out £0.00; dates 2026-03-02 to 2026-03-09",
        "  bank.csv:6:3: amount: expected an amount like 412.50",
        "  ledger.csv:10:2: account_ref: no account \"C009\" in the accounts file",
    ] {
        assert!(report.contains(line), "{line}\nin\n{report}");
    }

    let clean = Case::new(&root().join("fixtures/clean"));
    fs::write(
        clean.path().join("schedules.csv"),
        // Batches a line carries, by its reference or its id in another
        // form, are no note; one that no line carries is noted once.
        "batch_ref,account_ref,amount\nHB-404,C001,10.00\nddm c002,C002,1.00\nb-2,C001,1.00\nhb 404,C001,2.00\n",
    )
    .expect("write");
    let mut ledger = fs::read_to_string(clean.path().join("ledger.csv")).expect("ledger");
    ledger.push_str("L7,C001,2026-02-20,adjustment,,5.00,,,Before the tenancy\n");
    fs::write(clean.path().join("ledger.csv"), ledger).expect("write");
    let out = clean.run(&["validate", "."]);
    assert_eq!(out.status.code(), Some(0), "notes are not problems");
    let report = text(&out.stdout);
    assert!(
        report.starts_with("rent-audit validate: 0 bad rows, 0 problems, 2 notes"),
        "{report}"
    );
    assert_eq!(
        report.matches("matches no bank line").count(),
        1,
        "{report}"
    );
    assert!(
        report.contains("schedules.csv:2: batch \"HB-404\" matches no bank line's id or reference"),
        "{report}"
    );
    assert!(
        report.contains(
            "ledger.csv:8: L7 is dated 2026-02-20, before C001's tenancy began (2026-03-02)"
        ),
        "{report}"
    );
}

#[test]
fn profiles_drafted_by_profile_init_read_the_messy_sample_as_shipped_ones_do() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    let mut args = vec![
        "reconcile".to_string(),
        ".".into(),
        "--format".into(),
        "json".into(),
    ];
    for file in [
        "bank-statement",
        "tenancy-export",
        "tenancies",
        "hb-schedule",
    ] {
        let draft = format!("{file}.toml");
        let out = case.run(&[
            "profile",
            "init",
            &format!("{file}.csv"),
            "--output",
            &draft,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let toml = fs::read_to_string(case.path().join(&draft)).expect("draft");
        assert!(
            toml.contains("# GUESS") && !toml.contains("# TODO:"),
            "{toml}"
        );
        args.extend(["--profile".to_string(), draft]);
    }
    let bank = fs::read_to_string(case.path().join("bank-statement.toml")).expect("draft");
    for guess in [
        "encoding = \"windows-1252\"",
        "skip_rows = 3",
        "trailer_rows = 1",
        "date_formats = [\"%d %b %Y\"]",
        "paid_in = \"Paid in\"",
    ] {
        assert!(bank.contains(guess), "{guess} in\n{bank}");
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_sample_report(&case.run(&argv));
}

#[test]
fn bad_rows_in_messy_exports_are_each_named_and_none_is_lost() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    // Two bad lines in the Windows-1252 statement, before its closing line:
    // a 31 February and an unreadable amount (0xA3 is £ in Windows-1252).
    let path = case.path().join("bank-statement.csv");
    let mut lines: Vec<Vec<u8>> = fs::read(&path)
        .expect("statement")
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    lines.retain(|l| !l.is_empty());
    let closing = lines.pop().expect("closing line");
    lines.push(b"31 Feb 2026,BGC,J DOE / RA1001,,\xa350.00,\r".to_vec());
    lines.push(b"2 Mar 2026,BGC,J DOE / RA1001,,\xa3fifty,\r".to_vec());
    lines.push(closing);
    fs::write(&path, [lines.join(&b'\n'), b"\n".to_vec()].concat()).expect("write");
    let ledger = case.path().join("tenancy-export.csv");
    let mut export = fs::read_to_string(&ledger).expect("export");
    export.push_str("RA1001,05/03/2026,XYZ,,10.00,Unknown code\r\n");
    fs::write(&ledger, export).expect("write");

    let with_profiles = |args: &[&str]| run_with(&case, args, &messy_profiles());
    let validate = with_profiles(&["validate", "."]);
    assert_eq!(validate.status.code(), Some(2));
    let report = text(&validate.stdout);
    for named in [
        "bank-statement.csv:196:1: date: expected a date in the profile's format %d %b %Y, found \"31 Feb 2026\"",
        "bank-statement.csv:197:5: paid in: expected an amount like £1,234.50, -12.00 or (12.00), found \"£fifty\"",
        "tenancy-export.csv:417:3: trans type: code \"XYZ\" is not in the profile's code table for kind",
    ] {
        assert!(report.contains(named), "{named}\nin\n{report}");
    }
    let out = with_profiles(&["reconcile", ".", "--format", "json", "--lenient"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    let files = doc["totals"]["files"].as_array().expect("files");
    assert_eq!(
        (&files[1]["rows_read"], &files[1]["rows_rejected"]),
        (&413.into(), &1.into())
    );
    assert_eq!(
        (&files[2]["rows_read"], &files[2]["rows_rejected"]),
        (&193.into(), &2.into())
    );
    assert_eq!(
        files[2]["rejected_money"], "50.00",
        "the money on the bad date row, which could be read"
    );
    assert_eq!(doc["totals"]["ties"], true);
}

#[test]
fn check_gives_each_planted_account_its_verdict_and_exit_code() {
    let sample = Case::new(&root().join("fixtures/sample"));
    let benefits = Case::new(&root().join("fixtures/benefits"));
    let cases: &[(&Case, &str, i32, &str)] = &[
        (&sample, "RA1002", 1, "Do not serve: £330.00 of receipts were posted to RA1012; corrected arrears are £130.00 (1.18 weeks)"),
        (&sample, "RA1003", 1, "Do not serve: £520.00 of receipts never reached the account"),
        (&sample, "RA1008", 1, "Do not serve: £108.00 was keyed short"),
        (&sample, "RA1012", 1, "Hold: the arrears reach the trigger only once 3 findings on the account are put right"),
        (&sample, "RA1006", 1, "Hold: reaches the trigger (5.00 weeks), but: a vulnerability is recorded"),
        (&sample, "RA1016", 1, "but: a benefit claim is pending with evidence supplied (clears when: the claim is decided)"),
        (&sample, "RA1021", 1, "but: a complaint or dispute about the account is open"),
        // A late posting is already right on the ledger: it holds nothing.
        (&sample, "RA1007", 0, "Reaches the trigger: corrected arrears £1,032.00 (10.12 weeks) against £408.00; nothing found"),
        // J SMITH's £50.00 in suspense may be John Smith's (seed 000's case).
        (&sample, "RA1005", 1, "but: £50.00 in suspense may be this tenant's: £50.00 received 2026-03-20 (payer name \"J SMITH\" matches tenant \"John Smith\"); if it is, the corrected balance is £565.00"),
        (&sample, "RA1004", 1, "Do not serve: corrected arrears £380.00 (3.30 weeks) do not reach the trigger of £460.00"),
        (&benefits, "B001", 1, "Hold: technical arrears. £400.00 of the £400.00 is Housing Benefit not yet due, next run expected 2026-05-15"),
        (&benefits, "B007", 1, "but: a Direct Debit was returned on 2026-04-24"),
        (&benefits, "B002", 0, "Reaches the trigger: corrected arrears £1,000.00 (10.00 weeks)"),
    ];
    for (case, account, code, verdict) in cases {
        let out = case.run(&[
            "check",
            account,
            "--data",
            ".",
            "--as-at",
            if account.starts_with('B') {
                "2026-05-01"
            } else {
                "2026-03-31"
            },
        ]);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "{account}: {}",
            text(&out.stderr)
        );
        let said = text(&out.stdout);
        assert!(
            said.contains(verdict),
            "{account}: expected {verdict:?} in\n{said}"
        );
    }
    let failsafe = Case::new(&root().join("fixtures/failsafe"));
    for (account, verdict) in [
        ("RA2001", "but: the arrears may not be real: £450.00 in suspense is, on the evidence alone, this tenant's"),
        ("RA7203", "names RA8150 but the payer \"MARY QUINN\" is the tenant of RA7203"),
        ("RA9001", "Hold: technical arrears. £550.00 of the £550.00 is Housing Benefit not yet paid: the claim is new"),
        ("RA9002", "the Housing Benefit run expected 2026-03-02 has not arrived"),
    ] {
        let out = failsafe.run(&["check", account, "--data", "."]);
        assert_eq!(out.status.code(), Some(1), "{account}");
        let said = text(&out.stdout);
        assert!(said.contains(verdict), "{account}: expected {verdict:?} in\n{said}");
    }
    let unknown = sample.run(&["check", "RA9999", "--data", "."]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no account \"RA9999\" in accounts.csv"));
}

#[test]
fn a_list_is_checked_in_its_order_and_every_unknown_ref_is_named() {
    let case = Case::new(&root().join("fixtures/sample"));
    let list = case.path().join("list.txt");
    fs::write(
        &list,
        "# before the NOSP panel\nRA1005\n\nRA1004\nRA1016\nRA1005\n",
    )
    .expect("write");
    let args = [
        "check",
        "--data",
        ".",
        "--accounts-from",
        "list.txt",
        "--format",
        "json",
    ];
    let out = case.run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let checks: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    let refs: Vec<&str> = checks["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["account_ref"].as_str().expect("ref"))
        .collect();
    assert_eq!(refs, ["RA1005", "RA1004", "RA1016", "RA1005"]);

    fs::write(&list, "RA1005\nRA9999\nRA1004\nXX1\n").expect("write");
    let out = case.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no account \"RA9999\", \"XX1\" in accounts.csv"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no verdicts when the list is wrong");
}

#[test]
fn every_statement_ties_with_the_reconciled_balances() {
    let case = Case::new(&root().join("fixtures/sample"));
    let report: serde_json::Value = serde_json::from_str(&text(
        &case.run(&["reconcile", ".", "--format", "json"]).stdout,
    ))
    .expect("json");
    let refs: Vec<String> = report["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["account_ref"].as_str().expect("ref").to_string())
        .collect();
    let mut args = vec!["check", "--data", ".", "--statement", "--format", "json"];
    args.extend(refs.iter().map(String::as_str));
    let checks: serde_json::Value =
        serde_json::from_str(&text(&case.run(&args).stdout)).expect("json");
    for (check, account) in checks["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .zip(report["accounts"].as_array().expect("a"))
    {
        let last = check["statement"]
            .as_array()
            .and_then(|s| s.last())
            .expect("statement");
        assert_eq!(
            last["posted_balance"], account["posted_balance"],
            "{}",
            account["account_ref"]
        );
        assert_eq!(
            last["corrected_balance"], account["corrected_balance"],
            "{}",
            account["account_ref"]
        );
    }
}

#[test]
fn the_terminal_gets_completions_a_man_page_quiet_runs_and_colour_only_when_wanted() {
    let case = Case::new(&root().join("fixtures/lenient"));
    let bash = text(&case.run(&["completions", "bash"]).stdout);
    assert!(
        bash.contains("_rent__audit()") && bash.contains("reconcile"),
        "{bash}"
    );
    let man = text(&case.run(&["man"]).stdout);
    assert!(
        man.contains(".TH rent-audit 1") && man.contains("reconcile"),
        "{man}"
    );

    // Notes go to stderr unless --quiet; nothing else is written there in a pipe.
    let noisy = case.run(&["reconcile", ".", "--lenient", "--format", "json"]);
    assert!(text(&noisy.stderr).contains("set aside"));
    let quiet = case.run(&["--quiet", "reconcile", ".", "--lenient", "--format", "json"]);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
    assert!(
        !text(&quiet.stdout).contains('\u{1b}'),
        "no colour in a pipe"
    );

    // Under a pseudo-terminal (util-linux `script`): colour, unless
    // NO_COLOR, or CI (a CI log shows the codes).
    let sample = sample();
    let on_tty = |set: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qc",
            &format!("{} check RA1002 --data .", env!("CARGO_BIN_EXE_rent-audit")),
            "/dev/null",
        ])
        .current_dir(sample.path())
        .env_remove("CI")
        .env_remove("NO_COLOR");
        if let Some(var) = set {
            cmd.env(var, "1");
        }
        cmd.output().ok().map(|o| text(&o.stdout))
    };
    match (on_tty(None), on_tty(Some("NO_COLOR")), on_tty(Some("CI"))) {
        (Some(coloured), Some(plain), Some(in_ci)) => {
            assert!(coloured.contains("\u{1b}[1;31mDo not serve"), "{coloured}");
            assert!(!plain.contains('\u{1b}'), "{plain}");
            assert!(!in_ci.contains('\u{1b}'), "{in_ci}");
        }
        _ => eprintln!("skipped the terminal half: no `script` here"),
    }
}

/// Runs `rent-audit ARGS` in `dir`.
fn rent_audit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rent-audit"))
        .args(args)
        .current_dir(dir)
        .env_remove("COLUMNS")
        .env("RENT_AUDIT_TODAY", TODAY)
        .output()
        .expect("rent-audit runs")
}

/// Reconciles the generated landlord in `dir/name` (read through
/// `profiles`) and holds the report to its truth.json: every planted finding
/// found and nothing else, every balance as planted, totals tied.
fn assert_generated_truth(dir: &Path, name: &str, profiles: &[String]) {
    let mut args = vec!["reconcile", name, "--format", "json"];
    args.extend(profiles.iter().map(String::as_str));
    let out = rent_audit(dir, &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    let truth: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.join(name).join("truth.json")).expect("truth"),
    )
    .expect("json");
    let key = |f: &serde_json::Value| {
        let by_txn = f["bank_id"].as_str().is_none_or(str::is_empty);
        let id = if by_txn {
            f["txn_ids"].to_string()
        } else {
            f["bank_id"].to_string()
        };
        (f["kind"].to_string(), f["account_ref"].to_string(), id)
    };
    let mut planted: Vec<_> = truth["findings"]
        .as_array()
        .expect("planted")
        .iter()
        .map(key)
        .collect();
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .expect("found")
        .iter()
        .map(key)
        .collect();
    planted.sort();
    found.sort();
    assert!(planted.len() > 20, "a useful number of plants");
    assert_eq!(
        found, planted,
        "every planted finding is found, and nothing else"
    );
    let (balances, accounts) = (
        truth["balances"].as_array().expect("b"),
        report["accounts"].as_array().expect("a"),
    );
    assert_eq!(balances.len(), accounts.len());
    for (t, a) in balances.iter().zip(accounts) {
        assert_eq!(t["account_ref"], a["account_ref"]);
        assert_eq!(
            (&t["posted_balance"], &t["corrected_balance"]),
            (&a["posted_balance"], &a["corrected_balance"])
        );
    }
    assert_eq!(report["totals"]["ties"], true);
    // The fail-safe holds the data plants, exactly: none missed, none extra.
    let fail_safe = [
        "receipt_in_suspense",
        "payer_conflict",
        "benefit_not_yet_paid",
        "benefit_stopped",
        "breathing_space",
        "court_order",
        "nosp_in_force",
        "arrangement_kept",
    ];
    let mut held: Vec<(String, String)> = accounts
        .iter()
        .flat_map(|a| {
            let holds = a["holds"].as_array().cloned().unwrap_or_default();
            holds.into_iter().map(move |h| {
                (
                    a["account_ref"].as_str().unwrap_or_default().to_string(),
                    h.as_str().unwrap_or_default().to_string(),
                )
            })
        })
        .filter(|(_, h)| fail_safe.contains(&h.as_str()))
        .collect();
    held.sort();
    let planted: Vec<(String, String)> = (truth["holds"].as_array().expect("holds").iter())
        .map(|h| {
            (
                h["account_ref"].as_str().unwrap_or_default().to_string(),
                h["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for reason in fail_safe {
        assert!(
            planted.iter().any(|(_, r)| r == reason),
            "{reason} is planted"
        );
    }
    assert_eq!(
        held, planted,
        "every planted hold is held, and nothing else"
    );
    // No account held so is cleared.
    for a in accounts {
        if planted.iter().any(|(r, _)| a["account_ref"] == r.as_str()) {
            assert_ne!(a["status"], "genuine", "{}", a["account_ref"]);
        }
    }
}

const GENERATE: [&str; 7] = [
    "generate",
    "--accounts",
    "400",
    "--months",
    "6",
    "--seed",
    "11",
];

#[test]
fn generate_writes_a_landlord_whose_truth_the_reconciliation_matches_exactly() {
    let dir = tempfile::tempdir().expect("dir");
    let gen = |out: &str| rent_audit(dir.path(), &[&GENERATE[..], &["--out", out]].concat());
    assert_eq!(gen("a").status.code(), Some(0));
    assert_eq!(gen("b").status.code(), Some(0));
    for file in [
        "accounts.csv",
        "ledger.csv",
        "bank.csv",
        "schedules.csv",
        "cases.csv",
        "truth.json",
    ] {
        assert_eq!(
            fs::read(dir.path().join("a").join(file)).expect("a"),
            fs::read(dir.path().join("b").join(file)).expect("b"),
            "{file}: the same seed gives the same bytes"
        );
    }
    assert_generated_truth(dir.path(), "a", &[]);
}

/// A second system's shape, unlike Westshire's: semicolons, a signed
/// ledger amount with credits positive, its own transaction ids and codes, a
/// two-line trailer, the tenancy reference inside a narrative, ISO dates.
const NORTHGATE_LIKE: &str = r#"
[ledger]
file = "exports/rent-transactions.txt"
delimiter = ";"
skip_rows = 1
trailer_rows = 2
[ledger.columns]
txn_id = "Trans No"
date = "Posted"
bank_ref = "Bank Ref"
method = "Pay Method"
[ledger.amount]
signed = "Value"
negate = true
[[ledger.extract]]
field = "account_ref"
column = "Narrative"
pattern = 'TENANCY (?P<value>RA\d+)\b'
[[ledger.codes]]
column = "Type"
set = "kind"
map = { DR = "charge", CR = "payment", HB = "benefit" }
[accounts.columns]
rent = "Weekly Or Monthly Rent"
"#;

#[test]
fn generate_writes_the_shape_a_profile_reads_and_its_truth_still_holds() {
    let dir = tempfile::tempdir().expect("dir");
    let westshire = messy_profiles();
    let mut args: Vec<&str> = [&GENERATE[..], &["--out", "w"]].concat();
    args.extend(westshire.iter().map(String::as_str));
    let out = rent_audit(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let statement = fs::read(dir.path().join("w/bank-statement.csv")).expect("statement");
    assert!(
        statement.starts_with(b"Export of bank-statement.csv"),
        "the preamble skip_rows passes over"
    );
    assert!(
        statement.windows(4).any(|w| w == b",\xa380"),
        "windows-1252 pound signs"
    );
    let tenancies = fs::read_to_string(dir.path().join("w/tenancies.csv")).expect("tenancies");
    assert!(
        tenancies.starts_with("Tenancy Ref,Tenant,Rent,Start Date"),
        "{tenancies}"
    );
    assert!(tenancies.contains(",01/01/2026,"), "UK dates");
    assert_generated_truth(dir.path(), "w", &westshire);

    let other = dir.path().join("other.toml");
    fs::write(&other, NORTHGATE_LIKE).expect("profile");
    let other = other.display().to_string();
    let args = [&GENERATE[..], &["--out", "n", "--profile", &other]].concat();
    let out = rent_audit(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ledger =
        fs::read_to_string(dir.path().join("n/exports/rent-transactions.txt")).expect("ledger");
    let lines: Vec<&str> = ledger.lines().collect();
    assert!(
        lines[1].starts_with("Trans No;Posted;Value;"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains(";TENANCY RA100000;DR"), "{}", lines[2]);
    assert!(lines[lines.len() - 1].starts_with("End of export"));
    assert_generated_truth(dir.path(), "n", &["--profile".into(), other]);
}

#[test]
fn generate_refuses_a_shape_that_cannot_carry_the_data() {
    let dir = tempfile::tempdir().expect("dir");
    let narrow = dir.path().join("narrow.toml");
    fs::write(
        &narrow,
        "[bank.columns]\nmethod = \"Type\"\n[[bank.codes]]\ncolumn = \"Type\"\nset = \"method\"\nmap = { DD = \"dd\", SO = \"standing_order\" }\n",
    )
    .expect("profile");
    let out = rent_audit(
        dir.path(),
        &[&GENERATE[..], &["--out", "x", "--profile", "narrow.toml"]].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "rent-audit: bank.csv:48: the profile cannot carry method = \"card\": the row written for it would read back as \"\""
    );
}

/// Runs `args`, which must be refused (exit 2) saying `said`.
fn assert_refused(case: &Case, args: &[&str], said: &str) {
    let out = case.run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(
        text(&out.stderr).contains(said),
        "{args:?}: {}",
        text(&out.stderr)
    );
}

/// The sample with one of its files rewritten by `edit`.
fn sample_with(file: &str, edit: impl FnOnce(String) -> String) -> Case {
    let case = sample();
    let path = case.path().join(file);
    let was = fs::read_to_string(&path).expect("read");
    fs::write(&path, edit(was)).expect("write");
    case
}

fn json_report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("json: {}", text(&out.stderr)))
}

fn warning_kinds(report: &serde_json::Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_renamed_reference_column_is_an_error_and_leniently_a_warning_that_holds() {
    let case = sample_with("bank.csv", |s| s.replacen(",reference,", ",Ref,", 1));
    let out = case.run(&["reconcile", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "bank.csv:1: column `ref` is not used, but looks like `reference`, which the file lacks"
        ),
        "{}",
        text(&out.stderr)
    );
    let out = case.run(&["reconcile", ".", "--format", "json", "--lenient"]);
    let report = json_report(&out);
    // Bank lines without references carry no benefit run's batch either.
    assert_eq!(
        warning_kinds(&report),
        ["unused_column", "batch_not_banked"]
    );
    let held = account_in(&String::from_utf8_lossy(&out.stdout), "RA1007");
    assert_eq!(held["reasons"], serde_json::json!(["incomplete_data"]));
    // Ignored by name, it is neither an error nor an unused column; the
    // benefit run's batch is still on no line.
    let out = case.run(&[
        "reconcile",
        ".",
        "--format",
        "json",
        "--ignore-column",
        "Ref",
    ]);
    assert_eq!(warning_kinds(&json_report(&out)), ["batch_not_banked"]);
    let table = text(&case.run(&["reconcile", ".", "--lenient"]).stdout);
    assert!(
        table.contains("WARNING unused_column: column `ref`"),
        "{table}"
    );
    let validated = case.run(&["validate", "."]);
    assert_eq!(validated.status.code(), Some(2));
    assert!(text(&validated.stdout)
        .contains("bank.csv:1: column `ref` is not used, but looks like `reference`"));
}

#[test]
fn benefit_credits_without_a_schedules_file_warn_and_hold_their_accounts() {
    let case = sample();
    fs::remove_file(case.path().join("schedules.csv")).expect("remove");
    let out = case.run(&["check", "RA1018", "--data", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_report(&out);
    assert_eq!(warning_kinds(&report), ["no_schedules"]);
    let check = &report["checks"][0];
    assert_eq!(check["decision"], "hold");
    let holds: Vec<&str> = (check["holds"].as_array().expect("holds").iter())
        .filter_map(|h| h["reason"].as_str())
        .collect();
    assert!(holds.contains(&"incomplete_data"), "{holds:?}");
}

#[test]
fn a_row_dated_a_year_ahead_is_a_slip_that_moves_nothing() {
    let case = sample_with("ledger.csv", |s| {
        s + "T99999,RA1001,2027-03-30,charge,100.00,,,,Rent typed a year out\n"
    });
    let out = case.run(&[
        "reconcile",
        ".",
        "--format",
        "json",
        "--today",
        "2026-04-02",
    ]);
    let report = json_report(&out);
    assert_eq!(report["run"]["as_at"], "2026-03-31");
    assert_eq!(warning_kinds(&report), ["future_rows"]);
    let message = report["warnings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("ledger.csv:414"), "{message}");
    // The default as-at date, and so the missing charges, are the sample's.
    let plain = json_report(&sample().run(&["reconcile", ".", "--format", "json"]));
    assert_eq!(report["totals"]["findings"], plain["totals"]["findings"]);
}

#[test]
fn an_as_at_date_before_the_data_is_warned_of_and_clears_nobody() {
    let out = sample().run(&["check", "RA1007", "--data", ".", "--as-at", "2025-06-30"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    assert!(
        said.contains(
            "WARNING as_at_outside_data: the as-at date 2025-06-30 is before the data starts"
        ),
        "{said}"
    );
}

#[test]
fn the_checklist_marks_each_item_passed_failed_or_to_confirm() {
    let out = sample().run(&["check", "RA1007", "--data", ".", "--format", "json"]);
    let report = json_report(&out);
    let check = &report["checks"][0];
    let state = |item: &str| {
        (check["checklist"].as_array().expect("checklist").iter())
            .find(|i| i["item"] == item)
            .map(|i| i["state"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        state("arrears reach the statutory threshold on the day").as_deref(),
        Some("passed")
    );
    assert_eq!(
        state("rent statement for the last 2 years").as_deref(),
        Some("failed")
    );
    assert_eq!(
        state("an affordable repayment agreement considered").as_deref(),
        Some("confirm")
    );
    assert!(check["to_confirm"]
        .as_array()
        .expect("to_confirm")
        .contains(&serde_json::json!(
            "an affordable repayment agreement considered"
        )));
    let said = text(&sample().run(&["check", "RA1005", "--data", "."]).stdout);
    assert!(
        said.contains("[✗] arrears reach the statutory threshold on the day: no"),
        "{said}"
    );
    assert!(
        said.contains("[✗] no money in suspense that may be the tenant's"),
        "{said}"
    );
    assert!(said.contains("[?] tenant contacted"), "{said}");
}

#[test]
fn an_output_that_names_an_input_is_refused_and_the_input_kept() {
    let case = sample();
    let bytes = |name: &str| fs::read(case.path().join(name)).expect("input");
    let (bank, ledger) = (bytes("bank.csv"), bytes("ledger.csv"));
    #[cfg(unix)]
    std::os::unix::fs::symlink("bank.csv", case.path().join("link.csv")).expect("link");
    for (args, said) in [
        (
            &["reconcile", ".", "--format", "csv", "-o", "bank.csv"][..],
            "--output bank.csv is an input (bank.csv)",
        ),
        (
            &[
                "reconcile",
                ".",
                "--lenient",
                "--rejects",
                "./ledger.csv",
                "-o",
                "r.json",
            ][..],
            "the rejects file ./ledger.csv is an input (ledger.csv)",
        ),
        (
            &[
                "reconcile",
                ".",
                "--lenient",
                "--rejects",
                "x.csv",
                "-o",
                "x.csv",
            ][..],
            "the rejects file x.csv is also --output",
        ),
        (
            &["check", "RA1002", "--data", ".", "-o", "ledger.csv"][..],
            "--output ledger.csv is an input (ledger.csv)",
        ),
        #[cfg(unix)]
        (
            &["reconcile", ".", "-o", "link.csv"][..],
            "--output link.csv is an input (bank.csv)",
        ),
    ] {
        assert_refused(&case, args, said);
        assert_eq!(
            (bytes("bank.csv"), bytes("ledger.csv")),
            (bank.clone(), ledger.clone())
        );
    }
    #[cfg(unix)]
    {
        // A device is written to, never replaced; a link's target is written.
        use std::os::unix::fs::FileTypeExt;
        let out = case.run(&["reconcile", ".", "-o", "/dev/null"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let null = fs::metadata("/dev/null").expect("/dev/null");
        assert!(null.file_type().is_char_device());
        std::os::unix::fs::symlink("real.json", case.path().join("report.json")).expect("link");
        let out = case.run(&["reconcile", ".", "--format", "json", "-o", "report.json"]);
        assert_eq!(out.status.code(), Some(1));
        let link = fs::symlink_metadata(case.path().join("report.json")).expect("link");
        assert!(link.file_type().is_symlink());
        assert!(fs::read_to_string(case.path().join("real.json"))
            .is_ok_and(|r| r.contains("\"findings\"")));
        // A device that cannot take the report says so, with the cause.
        if Path::new("/dev/full").exists() {
            let out = case.run(&["reconcile", ".", "--format", "json", "-o", "/dev/full"]);
            assert_eq!(out.status.code(), Some(2));
            let said = text(&out.stderr);
            assert!(
                said.contains("cannot write /dev/full: No space left on device"),
                "{said}"
            );
        }
    }
}

#[test]
fn check_shows_hostile_text_safely_on_a_terminal_and_in_markdown() {
    let case = sample_with("accounts.csv", |s| {
        s.replace(
            "John Smith",
            "John Smith\u{1b}7\u{1b}[32A\r\u{1b}[2KSERVE NOW\u{1b}8<img src=x onerror=alert(1)>|",
        )
    });
    let said = text(&case.run(&["check", "RA1005", "--data", "."]).stdout);
    assert!(!said.contains('\u{1b}') && !said.contains('\r'), "{said:?}");
    assert!(said.contains("\\u{1b}[32A"), "{said}");
    let table = text(&case.run(&["reconcile", "."]).stdout);
    assert!(!table.contains('\u{1b}'), "{table:?}");
    let md = text(
        &case
            .run(&["check", "RA1005", "--data", ".", "--format", "markdown"])
            .stdout,
    );
    assert!(
        !md.contains("<img") && md.contains("&lt;img src=x onerror=alert(1)&gt;\\|"),
        "{md}"
    );
    assert!(!md.contains('\u{1b}'), "{md:?}");
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_reported_by_the_next() {
    let case = sample();
    let stale = case.path().join(".rent-audit-AbC123");
    let file = fs::File::create(&stale).expect("stale temp");
    let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    file.set_modified(hours_ago).expect("mtime");
    let out = case.run(&["reconcile", ".", "-o", "report.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(".rent-audit-AbC123 was left by a run that was stopped"),
        "{}",
        text(&out.stderr)
    );
    // Only the report and the stale file: no temporary file of this run.
    let mut names: Vec<String> = fs::read_dir(case.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.starts_with("report"))
        .collect();
    names.sort();
    assert_eq!(names, [".rent-audit-AbC123", "report.txt"]);
}

#[test]
fn a_bank_export_with_a_timestamp_column_is_read_through_its_profile() {
    let case = sample_with("bank.csv", |s| {
        let mut lines = s.lines();
        let mut out = format!("{}\n", lines.next().unwrap_or_default());
        for l in lines {
            let mut f: Vec<String> = l.split(',').map(String::from).collect();
            let ymd: Vec<String> = f[1].split('-').map(String::from).collect();
            f[1] = format!("{}/{}/{} 09:30", ymd[2], ymd[1], ymd[0]);
            out.push_str(&f.join(","));
            out.push('\n');
        }
        out
    });
    fs::write(
        case.path().join("tz.toml"),
        "[bank]\ndate_formats = [\"%d/%m/%Y %H:%M\"]\n",
    )
    .expect("profile");
    let out = case.run(&["reconcile", ".", "--profile", "tz.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let statuses = |doc: &serde_json::Value| -> Vec<String> {
        (doc["accounts"].as_array().expect("accounts").iter())
            .map(|a| a["status"].to_string())
            .collect()
    };
    let plain = json_report(&sample().run(&["reconcile", ".", "--format", "json"]));
    assert_eq!(statuses(&json_report(&out)), statuses(&plain));
}

#[test]
fn pipes_devices_and_absurd_counts_are_refused_not_run() {
    let case = sample();
    for (args, said) in [
        (
            &["reconcile", ".", "--bank", "/dev/zero"][..],
            "/dev/zero is not a regular file (a pipe, a device or a folder)",
        ),
        (
            &["generate", "--out", "."][..],
            "is not empty: generate would overwrite its files",
        ),
        (
            &[
                "generate",
                "--accounts",
                "18446744073709551615",
                "--out",
                "g",
            ][..],
            "--accounts must be between 1 and 10000000",
        ),
        (
            &[
                "generate",
                "--start",
                "9999-06-01",
                "--months",
                "24",
                "--out",
                "g",
            ][..],
            "--start 9999-06-01 and --months 24 run past the year 9999",
        ),
    ] {
        assert_refused(&case, args, said);
    }
    #[cfg(unix)]
    {
        let fifo = case.path().join("fifo.csv");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let out = case.run(&["reconcile", ".", "--ledger", "fifo.csv"]);
            assert_eq!(out.status.code(), Some(2));
            assert!(text(&out.stderr).contains("fifo.csv is not a regular file"));
        }
    }
}

#[test]
fn an_extract_that_never_matches_is_named_not_left_blank_in_silence() {
    let case = Case::new(&root().join("fixtures/sample-messy"));
    let profiles = root().join("fixtures/profiles");
    let bank = fs::read_to_string(profiles.join("westshire-bank.toml"))
        .expect("profile")
        .replace(
            "pattern = ' / (?P<value>.*)$'",
            "pattern = ' :: (?P<value>.*)$'",
        );
    fs::write(case.path().join("bank.toml"), bank).expect("profile");
    let housing = profiles.join("westshire-housing.toml");
    let housing = housing.to_string_lossy();
    let args = [
        "reconcile",
        ".",
        "--profile",
        "bank.toml",
        "--profile",
        &housing,
    ];
    let strict = case.run(&args);
    assert_eq!(strict.status.code(), Some(2));
    assert!(
        text(&strict.stderr).contains(
            "the profile's [[extract]] for `reference` from column \"description\" matched none"
        ),
        "{}",
        text(&strict.stderr)
    );
    let lenient = case.run(&[&args[..], &["--lenient", "--format", "json"]].concat());
    assert_eq!(
        warning_kinds(&json_report(&lenient)),
        ["extract_never_matched", "batch_not_banked"]
    );
}

/// Where `dir` holds a report's temporary file.
fn temporary_in(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with(".rent-audit-"))
    })
}

#[cfg(unix)]
#[test]
fn a_run_stopped_while_writing_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("dir");
    let made = rent_audit(
        dir.path(),
        &[
            "generate",
            "--accounts",
            "30000",
            "--months",
            "3",
            "--out",
            "big",
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let data = dir.path().join("big");
    let mut caught = 0;
    for signal in ["-INT", "-TERM"] {
        // Caught while the report is being written: the pack of 30,000
        // accounts takes long enough to see its temporary file.
        let mut child = Command::new(env!("CARGO_BIN_EXE_rent-audit"))
            .args([
                "-q",
                "reconcile",
                ".",
                "--format",
                "html",
                "-o",
                "pack.html",
            ])
            .current_dir(&data)
            .env("RENT_AUDIT_TODAY", TODAY)
            .spawn()
            .expect("spawn");
        let mut seen = false;
        while child.try_wait().expect("wait").is_none() {
            if temporary_in(&data) {
                seen = true;
                let pid = child.id().to_string();
                Command::new("kill")
                    .args([signal, &pid])
                    .status()
                    .expect("kill");
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let status = child.wait().expect("wait");
        if !seen {
            // Finished before its temporary file was seen: nothing to stop.
            continue;
        }
        caught += 1;
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(!temporary_in(&data), "{signal}: the temporary file is gone");
        assert!(!data.join("pack.html").exists(), "{signal}: no half report");
    }
    assert!(
        caught > 0,
        "no run was caught writing: make the pack larger"
    );
}

/// `check ACCOUNT` on fixtures/rent_due as at 1 June 2026: exit code and
/// verdict line.
fn rent_due_verdict(account: &str, extra: &[&str]) -> (Option<i32>, String) {
    let case = Case::new(&root().join("fixtures/rent_due"));
    let mut args = vec!["check", account, "--as-at", "2026-06-01"];
    args.extend(extra);
    let out = case.run(&args);
    let stdout = text(&out.stdout);
    let verdict = (stdout.lines())
        .skip_while(|l| !l.starts_with(account))
        .nth(1)
        .unwrap_or("")
        .to_string();
    (out.status.code(), verdict)
}

#[test]
fn only_rent_lawfully_due_counts_towards_a_nosp() {
    // Court costs and a recharge lift the balance to £805.00, over the
    // £400.00 trigger; the rent arrears are £300.00.
    let (code, verdict) = rent_due_verdict("D001", &[]);
    assert_eq!(code, Some(1), "{verdict}");
    assert!(verdict.starts_with("Do not serve"), "{verdict}");
    assert!(verdict.contains("£505.00 of sundry debt"), "{verdict}");
    // Paid oldest debt first, the payments cleared the costs: all rent.
    let (code, verdict) = rent_due_verdict("D001", &["--allocate", "oldest-first"]);
    assert_eq!(code, Some(0), "{verdict}");
    assert!(verdict.contains("£805.00"), "{verdict}");
}

#[test]
fn a_refund_paid_in_error_is_a_debt_never_served_on() {
    let (code, verdict) = rent_due_verdict("D002", &[]);
    assert_eq!(code, Some(1));
    assert!(
        verdict.starts_with("Do not serve: £3,800.00 of the balance is a refund paid out in error"),
        "{verdict}"
    );
    assert!(
        verdict.contains("agree repayment; do not serve on it"),
        "{verdict}"
    );
    // Seed 001 whole: the back-charge at last year's rent covers the weeks
    // it names (nothing to charge again), and the refund stays apart.
    let (code, verdict) = rent_due_verdict("D003", &[]);
    assert_eq!(code, Some(1));
    assert!(verdict.starts_with("Hold:"), "{verdict}");
    assert!(verdict.contains("rent arrears of £950.00"), "{verdict}");
    assert!(
        verdict.contains("£3,800.00 of it is a refund paid out in error"),
        "{verdict}"
    );
    let case = Case::new(&root().join("fixtures/rent_due"));
    let report = json_as_at(&case, "2026-06-01");
    let doc: serde_json::Value = serde_json::from_str(&report).expect("json");
    let on = |account: &str, kind: &str| {
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["account_ref"] == account && f["kind"] == kind)
            .count()
    };
    assert_eq!(on("D003", "missing_charges"), 0);
    assert_eq!(on("D003", "irregular_charge"), 1);
    assert_eq!(account_in(&report, "D003")["sundry_debt"], "3800.00");
    // The increase from 6 April charged late: each old-rate charge after it.
    assert_eq!(on("D005", "irregular_charge"), 5);
    assert_eq!(on("D005", "missing_charges"), 0);
}

#[test]
fn a_former_tenant_is_never_served() {
    let (code, verdict) = rent_due_verdict("D004", &[]);
    assert_eq!(code, Some(1));
    assert!(
        verdict.starts_with("Do not serve: the tenancy ended on 2026-03-15"),
        "{verdict}"
    );
    let case = Case::new(&root().join("fixtures/rent_due"));
    let report = json_as_at(&case, "2026-06-01");
    let d004 = account_in(&report, "D004");
    assert_eq!(d004["holds"][0], "former_tenant");
    // Charged a week after the end: reversed in the corrected balance.
    assert_eq!(d004["corrected_balance"], "500.00");
}

#[test]
fn the_law_is_read_on_the_day_of_service() {
    // B002 owes 10 weeks: over Ground 8's 8 weeks for a notice served on
    // 30 April 2026, under the 13 weeks that apply from 1 May.
    let case = Case::new(&root().join("fixtures/benefits"));
    let threshold = |serve_on: &str| {
        let out = case.run(&[
            "check",
            "B002",
            "--as-at",
            "2026-04-27",
            "--serve-on",
            serve_on,
            "--format",
            "json",
        ]);
        let doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
        let check = &doc["checks"][0];
        (
            check["statutory_threshold"].as_str().map(String::from),
            check["reaches_statutory"].as_bool(),
        )
    };
    assert_eq!(threshold("2026-04-30"), (Some("800.00".into()), Some(true)));
    assert_eq!(
        threshold("2026-05-01"),
        (Some("1300.00".into()), Some(false))
    );
}

#[test]
fn settings_beside_the_data_apply_and_the_command_line_overrides_them() {
    let case = Case::new(&root().join("fixtures/landlord_settings"));
    let report = text(&case.run(&["reconcile", ".", "--format", "json"]).stdout);
    let doc: serde_json::Value = serde_json::from_str(&report).expect("json");
    assert_eq!(doc["run"]["trigger"], "8w");
    assert_eq!(doc["run"]["settings_from"]["trigger"], "rent-audit.toml");
    // 7 weeks owed: under the file's 8w trigger.
    assert_eq!(account_in(&report, "S005")["status"], "approaching");
    let report = text(
        &case
            .run(&["reconcile", ".", "--format", "json", "--trigger", "4w"])
            .stdout,
    );
    let doc: serde_json::Value = serde_json::from_str(&report).expect("json");
    assert_eq!(doc["run"]["settings_from"]["trigger"], "the command line");
    assert_eq!(account_in(&report, "S005")["status"], "genuine");
    // A bad setting names the file and the key, and stops the run.
    fs::write(case.path().join("rent-audit.toml"), "trigger = \"4x\"\n").expect("write");
    let out = case.run(&["reconcile", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("rent-audit.toml: trigger: expected a trigger"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rent_free_weeks_are_read_from_the_charges_unless_given() {
    let case = Case::new(&root().join("fixtures/landlord_settings"));
    let kinds = |extra: &[&str]| {
        let mut args = vec!["reconcile", ".", "--format", "json"];
        args.extend(extra);
        let doc: serde_json::Value =
            serde_json::from_str(&text(&case.run(&args).stdout)).expect("json");
        let findings: Vec<String> = (doc["findings"].as_array().expect("findings").iter())
            .map(|f| {
                format!(
                    "{} {}",
                    f["kind"].as_str().unwrap_or(""),
                    f["account_ref"].as_str().unwrap_or("")
                )
            })
            .collect();
        (findings, doc["run"]["rent_free_weeks_inferred"].as_bool())
    };
    // Christmas is charged to nobody: rent-free, inferred. S003's missed
    // week is its own.
    assert_eq!(
        kinds(&[]),
        (vec!["missing_charges S003".to_string()], Some(true))
    );
    // Said to be none: every account is missing two weeks.
    let (none, inferred) = kinds(&["--rent-free-weeks", "none"]);
    assert_eq!(none.len(), 6, "{none:?}");
    assert_eq!(inferred, Some(false));
}

#[test]
fn generate_plants_christmas_an_april_increase_and_sundry_debt_with_no_flags() {
    // October to May: two rent-free weeks from Christmas, the increase on
    // the first Monday of April (three weeks late on some accounts), court
    // costs and recharges. No flag says any of it.
    let dir = tempfile::tempdir().expect("dir");
    let args = [
        "generate",
        "--accounts",
        "400",
        "--months",
        "9",
        "--seed",
        "5",
        "--start",
        "2025-10-01",
        "--out",
        "y",
    ];
    assert_eq!(rent_audit(dir.path(), &args).status.code(), Some(0));
    assert_generated_truth(dir.path(), "y", &[]);
    let out = rent_audit(dir.path(), &["reconcile", "y", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    assert_eq!(
        report["run"]["rent_free_weeks"],
        serde_json::json!(["2025-12-22", "2025-12-29"])
    );
    assert_eq!(report["run"]["rent_free_weeks_inferred"], true);
    assert!(
        report["run"]["rent_changes_inferred"]
            .as_array()
            .is_some_and(|c| c.iter().any(|d| d == "2026-04-06")),
        "{}",
        report["run"]["rent_changes_inferred"]
    );
    let truth: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("y/truth.json")).expect("truth"))
            .expect("json");
    let late = (truth["findings"].as_array().expect("findings").iter())
        .filter(|f| f["kind"] == "irregular_charge")
        .count();
    assert!(late >= 3, "a late increase is planted ({late} charges)");
    let sundry = (report["accounts"].as_array().expect("accounts").iter())
        .filter(|a| a["sundry_debt"] != "0.00")
        .count();
    assert!(sundry > 0, "sundry debt is planted");
}

#[test]
fn the_law_table_routes_introductory_tenancies_and_deaths_away_from_a_nosp() {
    let (code, verdict) = rent_due_verdict("D006", &[]);
    assert_eq!(code, Some(1), "{verdict}");
    assert!(verdict.starts_with("Hold:"), "{verdict}");
    assert!(verdict.contains("not a NOSP"), "{verdict}");
    assert!(verdict.contains("s.128"), "{verdict}");
    let (code, verdict) = rent_due_verdict("D007", &[]);
    assert_eq!(code, Some(1), "{verdict}");
    assert!(
        verdict.contains("ARUDD code 2, payer deceased"),
        "{verdict}"
    );
}

#[test]
fn a_day_of_service_before_the_as_at_date_is_refused() {
    let case = Case::new(&root().join("fixtures/benefits"));
    let out = case.run(&[
        "check",
        "B002",
        "--as-at",
        "2026-05-01",
        "--serve-on",
        "2026-04-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is before the as-at date"),
        "{}",
        text(&out.stderr)
    );
}

/// `check ACCOUNT` on fixtures/cases exits `code` with a verdict that
/// says `says`.
fn expect_verdict(account: &str, code: i32, says: &str) {
    let (got, verdict, _) = case_verdict(account);
    assert_eq!(got, Some(code), "{verdict}");
    assert!(verdict.contains(says), "{verdict}");
}

/// `check ACCOUNT` on fixtures/cases as at 1 June 2026: exit code, verdict
/// line and the whole report.
fn case_verdict(account: &str) -> (Option<i32>, String, String) {
    let case = Case::new(&root().join("fixtures/cases"));
    let out = case.run(&["check", account, "--as-at", "2026-06-01"]);
    let stdout = text(&out.stdout);
    let verdict = (stdout.lines())
        .skip_while(|l| !l.starts_with(account))
        .nth(1)
        .unwrap_or("")
        .to_string();
    (out.status.code(), verdict, stdout)
}

#[test]
fn an_arrangement_kept_holds_and_a_broken_one_is_named_with_its_periods() {
    expect_verdict("K001", 1, "an arrangement from 2026-03-02 to pay £10.00 a rent period towards the arrears is being kept (12 periods judged");
    let (code, verdict, report) = case_verdict("K002");
    assert_eq!(code, Some(0), "{verdict}");
    assert!(verdict.starts_with("Reaches the trigger"), "{verdict}");
    assert!(
        verdict.contains("is broken: 8 of 12 periods missed (from 2026-03-30, from 2026-04-06"),
        "{verdict}"
    );
    assert!(
        report.contains("[✓] no payment arrangement being kept: none found"),
        "{report}"
    );
    // Benefit paid four-weekly in arrears lifts the balance between runs;
    // with its timing allowed, the tenant's £10 a week keeps the plan.
    expect_verdict("K010", 1, "is being kept (8 periods judged");
}

#[test]
fn a_possession_order_or_a_live_notice_means_no_new_nosp() {
    expect_verdict(
        "K003",
        1,
        "a suspended possession order was made on 2026-02-02 on terms of the rent and £5.00",
    );
    expect_verdict("K003", 1, "which are being kept");
    expect_verdict(
        "K004",
        1,
        "an outright possession order was made on 2026-04-01: enforce it (a warrant)",
    );
    expect_verdict(
        "K005",
        1,
        "a NOSP was served on 2026-05-20; proceedings may begin on it from 2026-06-17",
    );
    // Served 3 March 2025 on an assured tenancy: lapsed a year after service.
    expect_verdict(
        "K006",
        0,
        "The NOSP served on 2025-03-03 lapsed on 2026-03-03",
    );
}

#[test]
fn breathing_space_holds_whatever_the_arrears_and_the_case_answers_the_checklist() {
    let (code, verdict, report) = case_verdict("K007");
    assert_eq!(code, Some(1));
    assert!(
        verdict.contains("a Breathing Space moratorium began on 2026-05-15 and runs to 2026-07-13"),
        "{verdict}"
    );
    assert!(
        report.contains("[✗] no Breathing Space moratorium"),
        "{report}"
    );
    // Recorded after the as-at date, with no end: a notice now would be void.
    expect_verdict(
        "K011",
        1,
        "a Breathing Space moratorium began on 2026-06-10 with no end date given",
    );
    // Served a month after the data ends, K001's kept arrangement is
    // judged on the data, not on weeks no payment could show.
    let case = Case::new(&root().join("fixtures/cases"));
    let out = case.run(&[
        "check",
        "K001",
        "--as-at",
        "2026-06-01",
        "--serve-on",
        "2026-07-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("is being kept (12 periods judged"),
        "{}",
        text(&out.stdout)
    );
    // Nothing in the case file: every protocol step it could answer is
    // outstanding, and the account is held for them.
    let (code, verdict, report) = case_verdict("K008");
    assert_eq!(code, Some(1));
    assert!(
        verdict.starts_with(
            "Hold: reaches the trigger (6.00 weeks), but outstanding: tenant contacted"
        ),
        "{verdict}"
    );
    assert!(
        report.contains("[✗] tenant contacted about the arrears and given the chance to discuss them: no contact recorded in the case file"),
        "{report}"
    );
    let (code, _, report) = case_verdict("K009");
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains("[✓] tenant contacted about the arrears and given the chance to discuss them: 2 contacts recorded, the latest on 2026-04-20"),
        "{report}"
    );
    assert!(
        report.contains("[?] each joint tenant written to"),
        "{report}"
    );
}

#[test]
fn the_case_is_on_the_statement_and_in_checks_json() {
    let case = Case::new(&root().join("fixtures/cases"));
    let out = case.run(&[
        "check",
        "K002",
        "--as-at",
        "2026-06-01",
        "--format",
        "json",
        "--statement",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let check = &doc["checks"][0];
    let arrangement = &check["case"]["arrangement"];
    assert_eq!(arrangement["kept"], false);
    assert_eq!(arrangement["missed"].as_array().map(Vec::len), Some(8));
    assert_eq!(arrangement["agreed_balance"], "680.00");
    assert_eq!(check["case"]["contacts"], 2);
    let lines = check["statement"].as_array().expect("statement");
    let case_line = lines
        .iter()
        .find(|l| {
            l["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Case: payment arrangement"))
        })
        .expect("the arrangement on the statement");
    assert_eq!(case_line["date"], "2026-03-02");
    assert_eq!(case_line["evidence"][0], "cases.csv:6");
    // Without cases.csv, the steps are the officer's to confirm.
    fs::remove_file(case.path().join("cases.csv")).expect("remove");
    let out = case.run(&["check", "K008", "--as-at", "2026-06-01"]);
    let report = text(&out.stdout);
    assert!(
        report.contains("[?] no Breathing Space moratorium (the Insolvency Service notifies creditors: check the notices received)"),
        "{report}"
    );
    assert_eq!(out.status.code(), Some(0), "{report}");
}

#[test]
fn council_rent_rebates_are_checked_against_the_rebate_schedule_not_the_bank() {
    let case = Case::new(&root().join("fixtures/council_rebates"));
    let kinds = |out: &Output| -> Vec<(String, String)> {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (doc["findings"].as_array().expect("findings").iter())
            .map(|f| {
                (
                    f["kind"].as_str().unwrap_or("").to_string(),
                    f["account_ref"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let json = [
        "reconcile",
        ".",
        "--as-at",
        "2026-04-03",
        "--format",
        "json",
    ];
    let out = case.run(&json);
    assert_eq!(
        kinds(&out),
        [
            ("uncredited_rebate".to_string(), "R003".to_string()),
            ("unbanked_credit".to_string(), "R004".to_string())
        ]
    );
    // Read as bank money (no rent-audit.toml), every rebate is unbanked.
    fs::remove_file(case.path().join("rent-audit.toml")).expect("remove");
    let out = case.run(&json);
    let unbanked = kinds(&out)
        .iter()
        .filter(|k| k.0 == "unbanked_credit")
        .count();
    assert_eq!(unbanked, 25, "{}", text(&out.stdout));
    // Rebates with no rebate schedule: unchecked, warned of, and held.
    fs::remove_file(case.path().join("schedules.csv")).expect("remove");
    let out = case.run(&[
        "reconcile",
        ".",
        "--as-at",
        "2026-04-03",
        "--format",
        "json",
        "--hb-rent-rebates",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(kinds(&out).is_empty(), "{}", text(&out.stdout));
    let warnings: Vec<&str> = (doc["warnings"].as_array().expect("warnings").iter())
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert_eq!(warnings, ["no_rebate_schedule"]);
    assert_eq!(
        doc["run"]["settings_from"]["hb_rent_rebates"],
        "the command line"
    );
}

#[test]
fn dwp_deductions_hold_and_a_dhp_answers_the_benefit_help_step() {
    expect_verdict(
        "K012",
        1,
        "DWP is paying deductions from the tenant's benefit towards the arrears (£30.00",
    );
    let (code, _, report) = case_verdict("K013");
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains(
            "[✓] help offered with any benefit claim, and a referral for money advice: Discretionary \
             Housing Payments of £200.00 in the last 12 months, the latest on 2026-04-15"
        ),
        "{report}"
    );
}

#[test]
fn the_check_pack_marks_case_events_on_the_chart() {
    let case = Case::new(&root().join("fixtures/cases"));
    let out = case.run(&[
        "check",
        "K002",
        "--as-at",
        "2026-06-01",
        "--format",
        "html",
        "-o",
        "k2.html",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = fs::read_to_string(case.path().join("k2.html")).expect("page");
    // Two contacts, the arrangement and the referral: four markers.
    assert_eq!(page.matches("<g class=\"case\">").count(), 4, "{page}");
    assert!(
        page.contains("Case: payment arrangement of £10.00 a rent period"),
        "{page}"
    );
}

#[test]
fn benefit_clawed_back_out_of_a_run_is_paired_or_named() {
    let case = Case::new(&root().join("fixtures/clawback"));
    let out = case.run(&[
        "reconcile",
        ".",
        "--as-at",
        "2026-03-31",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<(&str, &str)> = (doc["findings"].as_array().expect("findings").iter())
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or(""),
                f["account_ref"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [("unposted_clawback", "H003")]);
    assert_eq!(doc["totals"]["ties"], true);
    let outcomes: Vec<(&str, &str)> =
        (doc["totals"]["bank_outcomes"].as_array().expect("o").iter())
            .map(|o| {
                (
                    o["outcome"].as_str().unwrap_or(""),
                    o["amount"].as_str().unwrap_or(""),
                )
            })
            .collect();
    assert!(
        outcomes.contains(&("unreversed_return", "-80.00")),
        "{outcomes:?}"
    );
    // A schedule that nets a clawback cannot have a zero line.
    fs::write(
        case.path().join("schedules.csv"),
        "batch_ref,account_ref,amount\nHBRUN01,H001,0.00\n",
    )
    .expect("write");
    let out = case.run(&["reconcile", ".", "--as-at", "2026-03-31"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("schedules.csv:2:3: amount: expected a share other than zero"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_takes_the_data_folder_as_reconcile_does_and_forgives_case() {
    let root = root();
    let sample = root.join("fixtures/sample");
    let folder = sample.to_str().expect("utf-8 path");
    let dir = tempfile::tempdir().expect("dir");
    let out = rent_audit(dir.path(), &["check", "RA1002", folder]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("RA1002 Brian Lewis"),
        "{}",
        text(&out.stdout)
    );
    let out = rent_audit(dir.path(), &["check", "ra1002", "--data", folder]);
    assert!(
        text(&out.stdout).starts_with("RA1002 Brian Lewis"),
        "{}",
        text(&out.stdout)
    );
    let out = rent_audit(dir.path(), &["check", "RA1O02", "--data", folder]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no account \"RA1O02\" (did you mean RA1002?) in accounts.csv"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn universal_credit_paid_to_the_tenant_is_left_out_of_ground_8_not_held_as_technical() {
    let (code, _, report) = case_verdict("K014");
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains(
            "[✗] arrears reach the statutory threshold on the day: no: £1,066.67 against £1,300.00, \
             £433.33 owed only because Universal Credit is not yet paid left out"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "[✓] benefit paid in arrears taken into account: no benefit is paid to the landlord"
        ),
        "{report}"
    );
    assert!(!report.contains("technical"), "{report}");
}

#[test]
fn generate_writes_a_council_whose_rent_rebates_reconcile_to_its_truth() {
    let dir = tempfile::tempdir().expect("dir");
    let out = rent_audit(
        dir.path(),
        &[
            "generate",
            "--accounts",
            "2000",
            "--months",
            "4",
            "--seed",
            "5",
            "--council",
            "--out",
            "c",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let settings = fs::read_to_string(dir.path().join("c/rent-audit.toml")).expect("settings");
    assert!(settings.contains("hb_rent_rebates = true"), "{settings}");
    let truth = fs::read_to_string(dir.path().join("c/truth.json")).expect("truth");
    assert!(
        truth.contains("\"uncredited_rebate\""),
        "a rebate never credited is planted"
    );
    assert_generated_truth(dir.path(), "c", &[]);
}

#[test]
fn colour_is_asked_for_outright_or_left_to_the_terminal() {
    let case = sample();
    let run = |colour: &str| text(&case.run(&["check", "RA1002", "--color", colour]).stdout);
    assert!(
        run("always").contains("\u{1b}["),
        "always colours even a pipe"
    );
    assert!(!run("never").contains("\u{1b}["));
    assert!(!run("auto").contains("\u{1b}["), "a pipe is not a terminal");
    let out = case.run(&["check", "RA1002", "--color", "sometimes"]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn a_clawback_however_posted_is_sundry_debt_and_a_deduction_is_known_by_its_bank_line() {
    // The overpayment taken back, posted as an hb reversal with no charge
    // type: paired with the clawback, still sundry debt, never rent.
    let case = Case::new(&root().join("fixtures/clawback"));
    let ledger = case.path().join("ledger.csv");
    let was = fs::read_to_string(&ledger).expect("ledger");
    let now = was.replace(
        "L00031,H002,2026-03-02,charge,150.00,,hb,HBRUN02,HB overpayment recovered,hb_overpayment",
        "L00031,H002,2026-03-02,reversal,150.00,,hb,HBRUN02,HB overpayment recovered,",
    );
    assert_ne!(was, now);
    fs::write(&ledger, now).expect("write");
    let out = case.run(&[
        "reconcile",
        ".",
        "--as-at",
        "2026-03-31",
        "--format",
        "json",
    ]);
    let h002 = account_in(&text(&out.stdout), "H002");
    assert_eq!(h002["sundry_debt"], "150.00", "{h002}");
    // The deductions' ledger rows say nothing; their bank lines do.
    let case = Case::new(&root().join("fixtures/cases"));
    let ledger = case.path().join("ledger.csv");
    let was = fs::read_to_string(&ledger).expect("ledger");
    let now = was.replace(",15.00,third_party_deduction,", ",15.00,bank_transfer,");
    assert_ne!(was, now);
    fs::write(&ledger, now).expect("write");
    let out = case.run(&["check", "K012", "--as-at", "2026-06-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("DWP is paying deductions"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_rebate_schedule_that_starts_later_leaves_earlier_credits_unchecked_not_unbanked() {
    let case = Case::new(&root().join("fixtures/council_rebates"));
    let path = case.path().join("schedules.csv");
    let kept: Vec<String> = fs::read_to_string(&path)
        .expect("schedules")
        .lines()
        .filter(|l| {
            !(l.contains(",R001,") && (l.contains("2026-03-02,") || l.contains("2026-03-09,")))
        })
        .map(String::from)
        .collect();
    fs::write(&path, kept.join("\n") + "\n").expect("write");
    let out = case.run(&[
        "reconcile",
        ".",
        "--as-at",
        "2026-04-03",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let r001: Vec<&serde_json::Value> = (doc["findings"].as_array().expect("findings").iter())
        .filter(|f| f["account_ref"] == "R001")
        .collect();
    assert!(r001.is_empty(), "{r001:?}");
    let warned: Vec<&str> = (doc["warnings"].as_array().expect("warnings").iter())
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert_eq!(warned, ["no_rebate_schedule"]);
    assert!(account_in(&text(&out.stdout), "R001")["holds"]
        .as_array()
        .is_some_and(|h| h.iter().any(|r| r == "incomplete_data")));
}
