//! The shipped profiles in `profiles/`: each reads its fixture in
//! `fixtures/gallery/<name>/` (one export's shape, same money in every one)
//! with nothing set aside, and finds exactly the one planted finding.

use super::{check_expected, layout_free, root, text, Case};
use std::fs;
use std::path::PathBuf;

/// Every fixture's statement holds the same six lines: five receipts and a
/// refund paid out.
const BANK_LINES: u64 = 6;

/// Every `profiles/*.toml`, sorted, so that one without a fixture fails.
fn shipped_profiles() -> Vec<PathBuf> {
    let mut profiles: Vec<PathBuf> = fs::read_dir(root().join("profiles"))
        .expect("profiles dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    profiles.sort();
    assert!(!profiles.is_empty(), "no profiles in profiles/");
    profiles
}

fn fixture_of(profile: &std::path::Path) -> (String, PathBuf) {
    let name = profile
        .file_stem()
        .expect("profile name")
        .to_string_lossy()
        .into_owned();
    let fixture = root().join("fixtures/gallery").join(&name);
    assert!(
        fixture.is_dir(),
        "profiles/{name}.toml has no fixture: add fixtures/gallery/{name}/ with an export in its shape"
    );
    (name, fixture)
}

/// The statement's entry in the report's control totals.
fn bank_totals(doc: &serde_json::Value) -> &serde_json::Value {
    doc["totals"]["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            !["accounts.csv", "ledger.csv", "schedules.csv"].contains(&file)
        })
        .expect("a statement in the totals")
}

#[test]
fn every_shipped_profile_reads_its_fixture_and_finds_the_planted_receipt() {
    let mut first: Option<(String, serde_json::Value)> = None;
    for profile in shipped_profiles() {
        let (name, fixture) = fixture_of(&profile);
        let case = Case::new(&fixture);
        let profile = profile.to_string_lossy();

        let validate = case.run(&["validate", ".", "--profile", &profile]);
        let said = text(&validate.stdout);
        assert_eq!(validate.status.code(), Some(0), "{name}: {said}");
        assert!(said.contains(": 0 bad rows, 0 problems,"), "{name}: {said}");

        let out = case.run(&["reconcile", ".", "--profile", &profile, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        let report = text(&out.stdout);
        check_expected(&fixture.join("expected.json"), &report);

        let doc: serde_json::Value = serde_json::from_str(&report).expect("json report");
        for file in doc["totals"]["files"].as_array().expect("files") {
            assert_eq!(
                file["rows_rejected"], 0,
                "{name}: nothing set aside: {file}"
            );
        }
        let bank = bank_totals(&doc);
        assert_eq!(bank["rows"], BANK_LINES, "{name}: {bank}");
        assert_eq!(
            (&bank["money_in"], &bank["money_out"]),
            (&"858.83".into(), &"10.00".into()),
            "{name}: money in and out, signs read as the bank writes them"
        );
        assert_eq!(doc["totals"]["ties"], true, "{name}");
        let findings = doc["findings"].as_array().expect("findings");
        assert_eq!(findings.len(), 1, "{name}: {findings:?}");
        let found = &findings[0];
        assert_eq!(
            (&found["kind"], &found["account_ref"], &found["amount"]),
            (
                &"unposted_receipt".into(),
                &"RA1004".into(),
                &"-120.00".into()
            ),
            "{name}"
        );
        let evidence = found["evidence"][0].as_str().unwrap_or_default();
        assert!(
            evidence.starts_with(&format!("{name}.csv:")),
            "{name}: evidence names the statement's own line: {evidence}"
        );

        // The same money in every shape: the same report, layout aside.
        let layout_free = layout_free(&report);
        match &first {
            None => first = Some((name, layout_free)),
            Some((other, want)) => assert_eq!(&layout_free, want, "{name} differs from {other}"),
        }
    }
}

/// The report with `profile`, its run details and each finding's wording
/// aside: a draft may name a payer the shipped profile does not, and says
/// so in a finding's `detail`. Findings, statuses, balances, control totals,
/// bank ids and evidence must all agree.
fn report_of(case: &Case, name: &str, profile: &str) -> serde_json::Value {
    let out = case.run(&["reconcile", ".", "--profile", profile, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name} with {profile}: {}",
        text(&out.stderr)
    );
    let mut doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    doc.as_object_mut().map(|o| o.remove("run"));
    for f in doc["findings"].as_array_mut().into_iter().flatten() {
        f.as_object_mut().map(|o| o.remove("detail"));
    }
    doc
}

/// `profile init` on each gallery export, its draft used unedited, reads
/// every row and reconciles exactly as the shipped, hand-written profile.
#[test]
fn profile_init_drafts_of_the_gallery_exports_reconcile_as_the_shipped_profiles() {
    for profile in shipped_profiles() {
        let (name, fixture) = fixture_of(&profile);
        let case = Case::new(&fixture);
        let export = format!("{name}.csv");
        let init = case.run(&["profile", "init", &export, "--output", "draft.toml"]);
        assert_eq!(
            init.status.code(),
            Some(0),
            "{name}: {}",
            text(&init.stderr)
        );
        let draft = fs::read_to_string(case.path().join("draft.toml")).expect("draft");
        assert!(
            draft.contains("\n[bank]\n"),
            "{name}: a statement:\n{draft}"
        );

        let validate = case.run(&["validate", ".", "--profile", "draft.toml"]);
        let said = text(&validate.stdout);
        assert_eq!(validate.status.code(), Some(0), "{name}: {said}\n{draft}");
        assert!(
            said.contains(&format!(
                "{export}: {BANK_LINES} rows read, {BANK_LINES} used, 0 set aside; \
                 money in £858.83, out £10.00"
            )),
            "{name}: {said}\n{draft}"
        );
        assert_eq!(
            report_of(&case, &name, "draft.toml"),
            report_of(&case, &name, &profile.to_string_lossy()),
            "{name}: the draft\n{draft}"
        );
    }
}
