//! What `check` counts as rent lawfully due, and the flags it must not
//! overlook: cases from a review of the income officer's questions.

use super::*;

#[test]
fn sundry_debt_posted_with_no_charge_type_is_not_counted_as_rent() {
    let case = Case::new(&root().join("fixtures/untyped_debits"));
    let out = case.run(&[
        "check",
        "C1",
        "F1",
        "R1",
        "W1",
        "--as-at",
        "2026-11-30",
        "--format",
        "json",
    ]);
    let doc = json_report(&out);
    let checks = doc["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 4);
    for check in checks {
        let who = &check["account_ref"];
        if who == "R1" {
            // A charge is rent unless it says otherwise: one that is not
            // the rent holds the account as an irregular charge.
            assert_eq!(check["decision"], "hold");
            continue;
        }
        assert_eq!(check["posted_balance"], "1500.00", "{who}");
        assert_eq!(check["rent_arrears"], "800.00", "{who}");
        assert_eq!(check["sundry_debt"], "700.00", "{who}");
        assert_eq!(check["reaches_statutory"], false, "{who}");
    }
}

#[test]
fn a_flag_column_under_a_system_s_own_name_is_never_ignored() {
    for name in [
        "Safeguarding",
        "Vulnerabilities",
        "Disputed",
        "HB Claim Pending",
    ] {
        // The contract's three flags give way to one under the system's name.
        let case = sample_with("accounts.csv", |s| {
            let mut lines = s.lines();
            let header = lines.next().unwrap_or_default().replacen(
                "vulnerable,benefit_claim_pending,open_dispute",
                name,
                1,
            );
            let rows = lines.map(|l| l.rsplitn(3, ',').nth(2).unwrap_or(l).to_string());
            std::iter::once(header)
                .chain(rows)
                .map(|l| l + "\n")
                .collect()
        });
        let out = case.run(&["reconcile", ".", "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = text(&out.stderr).to_ascii_lowercase();
        assert!(
            stderr.contains(&format!(
                "column `{}` is not used, but looks like",
                name.to_ascii_lowercase()
            )),
            "{name}: {stderr}"
        );
    }
}
