//! Money posted in parts: a receipt split into credits, a family's payment
//! for two accounts, receipts combined into one credit, and the look-alikes
//! that must stay findings (fixtures/splits/README.md).

use super::*;

fn splits_report() -> serde_json::Value {
    let case = Case::new(&root().join("fixtures/splits"));
    let out = case.run(&[
        "reconcile",
        ".",
        "--format",
        "json",
        "--skip-charges",
        "--as-at",
        "2026-03-20",
    ]);
    json_report(&out)
}

/// The findings on `account`, as `kind` words.
fn kinds_on(report: &serde_json::Value, account: &str) -> Vec<String> {
    let findings = report["findings"].as_array().expect("findings");
    let on = |f: &&serde_json::Value| f["account_ref"] == account || f["posted_to"] == account;
    let kinds = findings
        .iter()
        .filter(on)
        .map(|f| f["kind"].as_str().expect("kind"));
    kinds.map(String::from).collect()
}

#[test]
fn parts_that_add_up_and_are_named_are_matched_with_their_evidence() {
    let report = splits_report();
    // S013 and S023 (one digit apart): each account's own parts, not a
    // wrong_account on the slip.
    for account in ["S001", "S002", "S003", "S004", "S013", "S023"] {
        assert_eq!(
            kinds_on(&report, account),
            Vec::<String>::new(),
            "{account}"
        );
    }
    assert_eq!(kinds_on(&report, "S012"), ["late_posting"]);
    let parts = report["matched_in_parts"]
        .as_array()
        .expect("matched_in_parts");
    let shapes: Vec<(serde_json::Value, serde_json::Value, serde_json::Value)> = parts
        .iter()
        .map(|m| {
            (
                m["bank_ids"].clone(),
                m["txn_ids"].clone(),
                m["accounts"].clone(),
            )
        })
        .collect();
    let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("json");
    assert_eq!(
        shapes,
        [
            (j(r#"["B01"]"#), j(r#"["L01","L02"]"#), j(r#"["S001"]"#)),
            (
                j(r#"["B02"]"#),
                j(r#"["L03","L04"]"#),
                j(r#"["S002","S003"]"#)
            ),
            (j(r#"["B12"]"#), j(r#"["L15","L16"]"#), j(r#"["S013"]"#)),
            (j(r#"["B03","B04"]"#), j(r#"["L05"]"#), j(r#"["S004"]"#)),
            (j(r#"["B10","B11"]"#), j(r#"["L14"]"#), j(r#"["S012"]"#)),
            (j(r#"["B13","B14"]"#), j(r#"["L17"]"#), j(r#"["S023"]"#)),
        ]
    );
    // Every row involved is cited: the receipt and both credits.
    assert_eq!(
        parts[0]["evidence"],
        j(r#"["bank.csv:2","ledger.csv:2","ledger.csv:3"]"#)
    );
    assert!(parts[1]["detail"]
        .as_str()
        .expect("detail")
        .contains("was posted in 2 parts that add up to it"));
    assert_eq!(report["totals"]["ties"], true);
}

#[test]
fn parts_that_do_not_add_up_or_are_not_named_stay_findings() {
    let report = splits_report();
    // £250 + £140 for a £400 receipt: three problems, not one match.
    assert_eq!(
        kinds_on(&report, "S005"),
        ["unbanked_credit", "unbanked_credit", "unposted_receipt"]
    );
    // £120 + £80 adds up, but S007 is not named: no money moves to it.
    assert_eq!(
        kinds_on(&report, "S006"),
        ["unbanked_credit", "unposted_receipt"]
    );
    assert_eq!(kinds_on(&report, "S007"), ["unbanked_credit"]);
    // Two ways to split a family payment: neither is taken.
    assert_eq!(
        kinds_on(&report, "S008"),
        ["unbanked_credit", "unbanked_credit"]
    );
    let suspense = report["findings"].as_array().expect("findings").iter();
    let b07: Vec<_> = suspense.filter(|f| f["bank_id"] == "B07").collect();
    assert_eq!(b07.len(), 1);
    assert_eq!(b07[0]["kind"], "unidentified_receipt");
    // A receipt naming S011 is not combined into S010's credit.
    assert_eq!(
        kinds_on(&report, "S010"),
        ["unbanked_credit", "unposted_receipt"]
    );
    assert_eq!(kinds_on(&report, "S011"), ["unposted_receipt"]);
}

#[test]
fn the_table_lists_money_matched_in_parts() {
    let case = Case::new(&root().join("fixtures/splits"));
    let out = case.run(&["reconcile", ".", "--skip-charges", "--as-at", "2026-03-20"]);
    let table = text(&out.stdout);
    assert!(table.contains("Matched in parts (split or combined postings; nothing to correct)"));
    assert!(
        table.contains("bank.csv:4 bank.csv:5 ledger.csv:6"),
        "{table}"
    );
}
