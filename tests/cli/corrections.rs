//! Corrections the ledger makes its own way (fixtures/corrections/, each a
//! reviewer's case): returns and refunds posted as adjustments, transfer
//! journals, reversals and re-posts, money the bank shows after a weekend.

use super::*;

/// The JSON report of fixtures/corrections/`name` as at `as_at`.
fn report(name: &str, as_at: &str) -> serde_json::Value {
    let case = Case::new(&root().join("fixtures/corrections").join(name));
    json_report(&case.run(&["reconcile", ".", "--format", "json", "--as-at", as_at]))
}

/// Every finding as (kind, account, amount).
fn findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let all = report["findings"].as_array().expect("findings");
    let word = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    (all.iter())
        .map(|f| {
            (
                word(&f["kind"]),
                word(&f["account_ref"]),
                word(&f["amount"]),
            )
        })
        .collect()
}

/// The corrected balance of `account`.
fn corrected(report: &serde_json::Value, account: &str) -> String {
    account_in(&report.to_string(), account)["corrected_balance"]
        .as_str()
        .expect("corrected_balance")
        .to_string()
}

#[test]
fn a_return_or_refund_posted_as_an_adjustment_naming_the_line_is_matched() {
    let r = report("adjustment-kinds", "2026-03-14");
    assert_eq!(findings(&r), []);
    assert_eq!(corrected(&r, "012101"), "400.00");
    assert_eq!(corrected(&r, "012102"), "0.00");
}

/// The holds of `account`, as words.
fn holds(report: &serde_json::Value, account: &str) -> Vec<String> {
    let a = account_in(&report.to_string(), account);
    let all = a["holds"].as_array().expect("holds").iter();
    all.map(|h| h.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_transfer_journal_that_names_the_move_settles_it() {
    let r = report("journal-corrections", "2026-03-14");
    let wrong: Vec<_> = (findings(&r).into_iter())
        .filter(|f| f.0 == "wrong_account")
        .collect();
    assert_eq!(wrong.len(), 4);
    assert!(wrong.iter().all(|f| f.2 == "0.00"), "{wrong:?}");
    assert_eq!(corrected(&r, "012002"), "400.00");
    assert!(holds(&r, "012002").is_empty());
}

#[test]
fn a_journal_of_the_same_shape_that_names_nothing_holds_both_accounts() {
    let r = report("journal-shape-only", "2026-03-14");
    let wrong: Vec<_> = (r["findings"].as_array().expect("findings").iter())
        .filter(|f| f["kind"] == "wrong_account")
        .collect();
    assert_eq!(wrong.len(), 4);
    for f in wrong {
        assert_eq!(f["amount"], "-100.00");
        let detail = f["detail"].as_str().expect("detail");
        assert!(
            detail.contains("A journal on 2026-03-10 (ADJ1 and ADJ2)"),
            "{detail}"
        );
        assert!(detail.contains("until that is confirmed both accounts are held"));
    }
    for account in ["012001", "012002"] {
        assert_eq!(holds(&r, account), ["unresolved_finding"], "{account}");
    }
    assert_eq!(
        account_in(&r.to_string(), "012002")["status"],
        "protocol_hold"
    );
}

#[test]
fn a_direct_debit_posted_by_the_as_at_date_and_banked_after_it_is_matched() {
    let r = report("edge-timing", "2026-03-31");
    assert_eq!(findings(&r), []);
    assert_eq!(corrected(&r, "011301"), "300.00");
}

#[test]
fn paypoint_settled_on_the_tuesday_after_a_friday_is_on_time() {
    let r = report("paypoint-settles-after-weekend", "2026-03-04");
    assert_eq!(findings(&r), []);
    for account in ["022001", "022002"] {
        assert_eq!(corrected(&r, account), "100.00");
    }
}

#[test]
fn a_receipt_cleared_from_suspense_by_an_adjustment_naming_it_is_not_unposted() {
    let r = report("journal-suspense-identified", "2026-03-14");
    let on_kim: Vec<_> = (findings(&r).into_iter())
        .filter(|f| f.1 == "012003")
        .collect();
    assert_eq!(
        on_kim,
        [("late_posting".into(), "012003".into(), "0.00".into())]
    );
    assert_eq!(corrected(&r, "012003"), "0.00");
}
