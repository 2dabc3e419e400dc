use super::*;
use crate::report::diff::parse::{KindRow, OutcomeRow, Run, Totals};

fn day(d: u32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
}

fn money(text: &str) -> Decimal {
    text.parse().expect("money")
}

/// A finding with the fields a key reads; evidence as given.
fn finding(kind: &str, account: &str, bank: &str, txns: &[&str], amount: &str) -> Finding {
    Finding {
        kind: kind.to_string(),
        severity: FindingKind::from_word(kind).map_or(Severity::Low, |k| k.spec().severity),
        account_ref: account.to_string(),
        posted_to: String::new(),
        bank_id: bank.to_string(),
        txn_ids: txns.iter().map(|t| t.to_string()).collect(),
        amount: money(amount),
        evidence: vec!["bank.csv:10".to_string()],
        detail: format!("£{amount} received 2026-02-03 on {account}"),
    }
}

fn account(r: &str, status: &str, corrected: &str) -> Account {
    Account {
        account_ref: r.to_string(),
        tenant_name: format!("Tenant {r}"),
        status: status.to_string(),
        posted_balance: money(corrected),
        corrected_balance: money(corrected),
    }
}

fn report(file: &str, as_at: NaiveDate, findings: Vec<Finding>, accounts: Vec<Account>) -> Report {
    Report {
        file: file.to_string(),
        run: Run {
            tool: "rent-audit 0.1.0".to_string(),
            inputs: vec![Input {
                file: "bank.csv".to_string(),
                bytes: 10,
                sha256: format!("{file}-{as_at}"),
            }],
            as_at,
            rules: Default::default(),
        },
        findings,
        accounts,
        totals: Totals::default(),
    }
}

fn keys(v: &[FindingChange]) -> Vec<String> {
    v.iter().map(|c| c.key.text()).collect()
}

#[test]
fn a_key_ignores_evidence_and_the_order_of_txn_ids() {
    let a = finding(
        "duplicate_posting",
        "RA1009",
        "BNK0061",
        &["T00131", "T00130"],
        "480.00",
    );
    let mut b = finding(
        "duplicate_posting",
        "RA1009",
        "BNK0061",
        &["T00130", "T00131"],
        "480.00",
    );
    b.evidence = vec!["ledger.csv:999".to_string()];
    b.detail = "reworded".to_string();
    assert_eq!(FindingKey::of(&a), FindingKey::of(&b));
    assert_eq!(
        FindingKey::of(&a).text(),
        "duplicate_posting:RA1009::BNK0061:T00130+T00131"
    );
    let elsewhere = finding(
        "duplicate_posting",
        "RA1009",
        "BNK0062",
        &["T00130", "T00131"],
        "480.00",
    );
    assert_ne!(FindingKey::of(&a), FindingKey::of(&elsewhere));
}

#[test]
fn a_finding_with_no_ids_is_keyed_by_amount_and_first_date() {
    let mut f = finding("missing_charges", "RA1006", "", &[], "98.00");
    f.detail = "No rent charged for the week of 2026-02-02 (to 2026-02-08) on RA1006".to_string();
    let key = FindingKey::of(&f);
    assert_eq!(
        key.text(),
        "missing_charges:RA1006:amount=98.00:date=2026-02-02"
    );
    let mut later = f.clone();
    later.detail = "No rent charged for the week of 2026-03-02".to_string();
    assert_ne!(key, FindingKey::of(&later));
    let mut more = f.clone();
    more.amount = money("196.00");
    assert_ne!(key, FindingKey::of(&more));
}

#[test]
fn the_first_date_is_a_whole_date() {
    assert_eq!(
        first_date("ref 12026-02-03 then 2026-02-04."),
        Some(day(4, 2))
    );
    assert_eq!(
        first_date("2026-02-30 is no day; 2026-03-01 is"),
        Some(day(1, 3))
    );
    assert_eq!(first_date("£50.00 on 2026-03-20"), Some(day(20, 3)));
    assert_eq!(first_date("none here"), None);
    assert_eq!(first_date("2026-03-1"), None);
}

#[test]
fn findings_are_new_resolved_or_open() {
    let fixed = finding("unposted_receipt", "RA1003", "BNK0077", &[], "-520.00");
    let stays = finding("wrong_account", "RA1002", "BNK0063", &["T00164"], "-110.00");
    let mut grew = finding(
        "amount_mismatch",
        "RA1008",
        "BNK0143",
        &["T00301"],
        "-108.00",
    );
    let planted = finding("unbanked_credit", "RA1010", "", &["T00318"], "345.00");
    let last = report(
        "last.json",
        day(28, 2),
        vec![fixed.clone(), stays.clone(), grew.clone()],
        vec![],
    );
    let mut moved = stays.clone();
    moved.evidence = vec!["bank.csv:64".to_string(), "ledger.csv:166".to_string()];
    grew.amount = money("-120.00");
    let this = report("this.json", day(31, 3), vec![moved, grew, planted], vec![]);
    let d = compare(&last, &this);
    assert_eq!(keys(&d.new), ["unbanked_credit:RA1010:::T00318"]);
    assert_eq!(keys(&d.resolved), ["unposted_receipt:RA1003::BNK0077:"]);
    assert_eq!(d.resolved[0].finding, fixed);
    assert_eq!(d.open.len(), 2);
    // This month's evidence on one still open.
    let wrong = d
        .open
        .iter()
        .find(|c| c.finding.kind == "wrong_account")
        .expect("open");
    assert_eq!(wrong.finding.evidence[1], "ledger.csv:166");
    assert!(!wrong.amount_changed());
    let mismatch = d
        .open
        .iter()
        .find(|c| c.finding.kind == "amount_mismatch")
        .expect("open");
    assert!(mismatch.amount_changed());
    assert_eq!(mismatch.amount_then, Some(money("-108.00")));
    assert_eq!(mismatch.finding.amount, money("-120.00"));
    assert!(!d.unchanged());
}

#[test]
fn equal_keys_pair_one_for_one() {
    let twin = finding("missing_charges", "RA1006", "", &[], "98.00");
    let last = report(
        "last.json",
        day(28, 2),
        vec![twin.clone(), twin.clone()],
        vec![],
    );
    let this = report("this.json", day(31, 3), vec![twin.clone()], vec![]);
    let d = compare(&last, &this);
    assert_eq!((d.open.len(), d.resolved.len(), d.new.len()), (1, 1, 0));
    let d = compare(&this, &last);
    assert_eq!((d.open.len(), d.resolved.len(), d.new.len()), (1, 0, 1));
}

#[test]
fn findings_are_in_severity_kind_account_order() {
    let this = vec![
        finding("late_posting", "RA1001", "B1", &["T1"], "0.00"),
        finding("unidentified_receipt", "", "B2", &[], "-50.00"),
        finding("duplicate_posting", "RA1001", "B3", &["T2", "T3"], "90.00"),
        finding("wrong_account", "RA1009", "B4", &["T4"], "-110.00"),
        finding("wrong_account", "RA1002", "B6", &["T6"], "-110.00"),
        finding("wrong_account", "RA1002", "B5", &["T5"], "-110.00"),
    ];
    let d = compare(
        &report("last.json", day(28, 2), vec![], vec![]),
        &report("this.json", day(31, 3), this, vec![]),
    );
    let order: Vec<(&str, &str, &str)> = (d.new.iter())
        .map(|c| {
            let f = &c.finding;
            (f.kind.as_str(), f.account_ref.as_str(), f.bank_id.as_str())
        })
        .collect();
    assert_eq!(
        order,
        [
            ("wrong_account", "RA1002", "B5"),
            ("wrong_account", "RA1002", "B6"),
            ("wrong_account", "RA1009", "B4"),
            ("duplicate_posting", "RA1001", "B3"),
            ("unidentified_receipt", "", "B2"),
            ("late_posting", "RA1001", "B1"),
        ]
    );
}

#[test]
fn accounts_changed_new_and_gone() {
    let last = report(
        "last.json",
        day(28, 2),
        vec![],
        vec![
            account("RA1003", "false_trigger", "0.00"),
            account("RA1005", "genuine", "510.00"),
            account("RA1009", "clear", "0.00"),
            account("RA1030", "clear", "0.00"),
        ],
    );
    let this = report(
        "this.json",
        day(31, 3),
        vec![],
        vec![
            account("RA1003", "clear", "0.00"),
            account("RA1005", "protocol_hold", "615.00"),
            account("RA1009", "clear", "0.00"),
            account("RA1022", "clear", "0.00"),
        ],
    );
    let d = compare(&last, &this);
    let changed: Vec<(&str, &str, &str)> = (d.changed.iter())
        .map(|c| {
            (
                c.account_ref.as_str(),
                c.status_then.as_str(),
                c.status_now.as_str(),
            )
        })
        .collect();
    // Most urgent status now first.
    assert_eq!(
        changed,
        [
            ("RA1005", "genuine", "protocol_hold"),
            ("RA1003", "false_trigger", "clear")
        ]
    );
    assert_eq!(d.changed[0].corrected_then, money("510.00"));
    assert_eq!(d.changed[0].corrected_now, money("615.00"));
    assert_eq!(d.accounts_new, [account("RA1022", "clear", "0.00")]);
    assert_eq!(d.accounts_gone, [account("RA1030", "clear", "0.00")]);
}

#[test]
fn suspense_and_kinds_come_from_the_totals() {
    let mut last = report("last.json", day(28, 2), vec![], vec![]);
    let mut this = report("this.json", day(31, 3), vec![], vec![]);
    let outcome = |o: &str, rows, amount| OutcomeRow {
        outcome: o.to_string(),
        rows,
        amount: money(amount),
    };
    let kind = |k: &str, count, m| KindRow {
        kind: k.to_string(),
        count,
        money: money(m),
    };
    last.totals.bank_outcomes = vec![
        outcome("matched", 90, "9000.00"),
        outcome("unidentified_receipt", 1, "230.00"),
    ];
    last.totals.findings = vec![kind("unposted_receipt", 1, "520.00")];
    this.totals.bank_outcomes = vec![outcome("unidentified_receipt", 2, "80.00")];
    this.totals.findings = vec![
        kind("late_posting", 3, "852.00"),
        kind("wrong_account", 3, "330.00"),
    ];
    let d = compare(&last, &this);
    assert_eq!(
        (d.suspense_then, d.suspense_now),
        (
            Suspense {
                receipts: 1,
                amount: money("230.00")
            },
            Suspense {
                receipts: 2,
                amount: money("80.00")
            }
        )
    );
    let kinds: Vec<(&str, usize, usize)> = (d.by_kind.iter())
        .map(|k| (k.kind.as_str(), k.then, k.now))
        .collect();
    assert_eq!(
        kinds,
        [
            ("wrong_account", 0, 3),
            ("unposted_receipt", 1, 0),
            ("late_posting", 0, 3)
        ]
    );
    assert_eq!(d.by_kind[1].money_then, money("520.00"));
}

#[test]
fn a_report_compared_with_itself_changes_nothing_and_says_so() {
    let r = report(
        "r.json",
        day(31, 3),
        vec![
            finding("wrong_account", "RA1002", "BNK0063", &["T00164"], "-110.00"),
            finding("missing_charges", "RA1006", "", &[], "98.00"),
        ],
        vec![account("RA1002", "false_trigger", "130.00")],
    );
    let d = compare(&r, &r);
    assert!(d.unchanged());
    assert_eq!(d.open.len(), 2);
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0].contains("the same run"), "{:?}", d.warnings);
}

#[test]
fn runs_the_wrong_way_round_or_on_the_same_files_are_warned_of() {
    let feb = report("feb.json", day(28, 2), vec![], vec![]);
    let mar = report("mar.json", day(31, 3), vec![], vec![]);
    assert!(compare(&feb, &mar).warnings.is_empty());
    let back = compare(&mar, &feb).warnings;
    assert!(
        back[0].contains("feb.json is as at 2026-02-28, not later than mar.json"),
        "{back:?}"
    );
    let mut same_files = mar.clone();
    same_files.run.inputs = feb.run.inputs.clone();
    let moved = compare(&feb, &same_files).warnings;
    assert!(moved[0].contains("only the as-at date moved"), "{moved:?}");
}
