//! What `check` cannot see: a bank file that stops early, data older than
//! the day of service, an as-at date after today, a tenancy over by today.

use super::*;

/// A1, £100 a week from 5 January 2026 to 27 April, paying £50 each Monday
/// up to `paid_to`; `tenancy_end` as given.
fn landlord(paid_to: &str, tenancy_end: &str) -> tempfile::TempDir {
    landlord_banked(paid_to, paid_to, tenancy_end)
}

/// As [`landlord`], with the bank statement stopping at `banked_to`.
fn landlord_banked(paid_to: &str, banked_to: &str, tenancy_end: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let mut ledger = String::from(
        "txn_id,account_ref,date,kind,debit,credit,method,bank_ref,description,charge_type\n",
    );
    let mut bank =
        String::from("bank_id,date,amount,reference,payer,method,return_code,returned_bank_id\n");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
    let paid_to: chrono::NaiveDate = paid_to.parse().expect("date");
    let banked_to: chrono::NaiveDate = banked_to.parse().expect("date");
    for w in 0..17u64 {
        let day = start + chrono::Days::new(7 * w);
        ledger.push_str(&format!("C{w},A1,{day},charge,100.00,,,,Rent,\n"));
        if day <= banked_to {
            bank.push_str(&format!("B{w},{day},50.00,A1,A ABLE,bank_transfer,,\n"));
        }
        if day <= paid_to {
            ledger.push_str(&format!(
                "P{w},A1,{day},payment,,50.00,bank_transfer,B{w},Payment,\n"
            ));
        }
    }
    let accounts = format!(
        "account_ref,tenant_name,tenancy_type,rent_period,rent,opening_date,opening_balance,tenancy_end\n\
         A1,Alice Able,assured,weekly,100.00,2026-01-01,0.00,{tenancy_end}\n"
    );
    for (name, body) in [
        ("accounts.csv", accounts),
        ("ledger.csv", ledger),
        ("bank.csv", bank),
    ] {
        fs::write(dir.path().join(name), body).expect("write");
    }
    dir
}

/// `check A1` on `today` with `extra` arguments: exit code, warning kinds,
/// decision.
fn check(dir: &Path, today: &str, extra: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let mut args = vec![
        "check", "A1", "--data", ".", "--format", "json", "--today", today,
    ];
    args.extend(extra);
    let out = rent_audit(dir, &args);
    let report = json_report(&out);
    let decision = report["checks"][0]["decision"].as_str().unwrap_or_default();
    (
        out.status.code(),
        warning_kinds(&report),
        decision.to_string(),
    )
}

#[test]
fn data_months_old_on_the_day_of_service_holds() {
    let dir = landlord("2026-04-27", "");
    let (code, warnings, _) = check(dir.path(), "2026-05-04", &[]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(code, Some(0));
    // As at the data's end the answer does not change with the day it is
    // run on (the contract's as-at date); a day of service must be named.
    let (code, warnings, _) = check(dir.path(), "2026-12-01", &[]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(code, Some(0));
    let serve = ["--serve-on", "2026-12-01"];
    let (code, warnings, decision) = check(dir.path(), "2026-12-01", &serve);
    assert_eq!(warnings, ["stale_data"]);
    assert_eq!((code, decision.as_str()), (Some(1), "hold"));
    // reconcile reports as at the data's end: an old extract replayed.
    let out = rent_audit(
        dir.path(),
        &[
            "reconcile",
            ".",
            "--format",
            "json",
            "--today",
            "2026-12-01",
        ],
    );
    assert!(warning_kinds(&json_report(&out)).is_empty());
}

#[test]
fn a_bank_file_that_stops_months_before_the_ledger_holds() {
    // The ledger shows money received to April; the bank stops in February.
    let dir = landlord_banked("2026-04-27", "2026-02-16", "");
    let (code, warnings, decision) = check(dir.path(), "2026-05-04", &[]);
    assert_eq!(warnings, ["file_ends_early"]);
    assert_eq!((code, decision.as_str()), (Some(1), "hold"));
    // A tenant who stopped paying in February: nothing is missing.
    let dir = landlord("2026-02-16", "");
    let (code, warnings, _) = check(dir.path(), "2026-05-04", &[]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(code, Some(0));
}

#[test]
fn an_as_at_date_after_today_holds() {
    let dir = landlord("2026-04-27", "");
    let as_at = ["--as-at", "2026-05-10"];
    let (code, warnings, _) = check(dir.path(), "2026-05-04", &as_at);
    assert_eq!(warnings, ["as_at_after_today"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_tenancy_ended_before_today_is_never_served() {
    let dir = landlord("2026-04-27", "2026-04-30");
    let (code, _, decision) = check(dir.path(), "2026-05-04", &[]);
    assert_eq!((code, decision.as_str()), (Some(1), "do_not_serve"));
    let serve = ["--serve-on", "2026-05-01"];
    let (_, _, decision) = check(dir.path(), "2026-04-28", &serve);
    assert_eq!(decision, "do_not_serve");
}

#[test]
fn arrears_mostly_brought_forward_are_not_shown_reconciled() {
    let dir = landlord("2026-04-27", "");
    let state = |dir: &Path| {
        let args = ["check", "A1", "--data", ".", "--format", "json"];
        let report = json_report(&rent_audit(
            dir,
            &[&args[..], &["--today", "2026-05-04"]].concat(),
        ));
        let items = report["checks"][0]["checklist"]
            .as_array()
            .expect("checklist")
            .clone();
        let item = items
            .iter()
            .find(|i| i["item"] == "account reconciled with the money received");
        item.map(|i| i["state"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(state(dir.path()).as_deref(), Some("passed"));
    // £2,000.00 of the £2,850.00 owed came from before the ledger.
    fs::write(
        dir.path().join("accounts.csv"),
        "account_ref,tenant_name,tenancy_type,rent_period,rent,opening_date,opening_balance\n\
         A1,Alice Able,assured,weekly,100.00,2026-01-01,2000.00\n",
    )
    .expect("write");
    assert_eq!(state(dir.path()).as_deref(), Some("failed"));
}
