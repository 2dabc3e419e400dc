//! The core's rules tested directly on small datasets, and the "nothing is
//! lost" invariant held by a property test on generated data.

use rust_decimal::Decimal;

use super::model::PostingKind;
use super::testkit::{date, money, Builder};
use super::*;

/// Matching tests build ledgers of payments only, so charges are not checked.
fn run(b: &Builder) -> Reconciliation {
    reconcile(
        &b.data,
        Settings {
            as_at: Some(date("2026-03-31")),
            check_charges: false,
            ..Settings::default()
        },
    )
}

/// `(kind, account_ref, amount)` of every finding, in report order.
fn kinds(b: &Builder, r: &Reconciliation) -> Vec<(FindingKind, String, Decimal)> {
    r.findings
        .iter()
        .map(|f| {
            let acc = f
                .account
                .map(|a| b.data.account(a).account_ref.to_string())
                .unwrap_or_default();
            (f.kind, acc, f.amount)
        })
        .collect()
}

fn status_of(b: &Builder, r: &Reconciliation, account_ref: &str) -> Status {
    r.assessments
        .iter()
        .find(|a| b.data.account(a.account).account_ref == account_ref)
        .map(|a| a.status)
        .expect("account assessed")
}

#[test]
fn two_identical_payments_on_one_day_are_two_payments() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "50.00", "RA1", "A LEE");
    b.bank("B2", "2026-03-02", "50.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "50.00", None);
    b.payment(a, "2026-03-03", "50.00", None);
    let r = run(&b);
    assert!(r.findings.is_empty(), "{:?}", kinds(&b, &r));
    assert!(r.totals.ties());
}

#[test]
fn a_receipt_posted_twice_is_one_duplicate() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "50.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "50.00", None);
    b.payment(a, "2026-03-03", "50.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::DuplicatePosting, "RA1".into(), money("50.00"))]
    );
    assert_eq!(
        r.findings[0].evidence.len(),
        3,
        "bank line and both postings"
    );
}

#[test]
fn a_duplicate_is_matched_to_the_receipt_of_its_amount_among_many() {
    // Receipts are looked up by account and amount: the original of a
    // credit written "50" is the 50.00 receipt, not the others beside it.
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "40.00", "RA1", "A LEE");
    b.bank("B2", "2026-03-02", "50.00", "RA1", "A LEE");
    b.bank("B3", "2026-03-02", "60.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "40.00", None);
    b.payment(a, "2026-03-02", "50.00", None);
    b.payment(a, "2026-03-02", "60.00", None);
    b.payment(a, "2026-03-03", "50", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::DuplicatePosting, "RA1".into(), money("50.00"))]
    );
    assert_eq!(r.findings[0].bank, Some(1), "B2, the 50.00 receipt");
}

#[test]
fn bank_ref_links_even_when_the_window_would_pick_another() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "50.00", "RA1", "A LEE");
    b.bank("B2", "2026-03-09", "50.00", "RA1", "A LEE");
    // Posted on the 9th but carrying B1's id: B1 is late, B2 unposted.
    b.payment(a, "2026-03-09", "50.00", Some("B1"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (FindingKind::LatePosting, "RA1".into(), Decimal::ZERO),
            (FindingKind::UnpostedReceipt, "RA1".into(), money("-50.00")),
        ]
    );
}

#[test]
fn identical_weekly_payments_pair_in_date_order() {
    // Receipts 3, 12, 16, 26 Feb; postings 6, 15, 19 Feb: each posting is
    // 3 days after its receipt, and the 26th is not posted yet.
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    for (i, d) in ["2026-02-03", "2026-02-12", "2026-02-16", "2026-02-26"]
        .iter()
        .enumerate()
    {
        b.bank(&format!("B{i}"), d, "100.00", "RA1", "A LEE");
    }
    for d in ["2026-02-06", "2026-02-15", "2026-02-19"] {
        b.payment(a, d, "100.00", None);
    }
    let r = reconcile(
        &b.data,
        Settings {
            as_at: Some(date("2026-02-28")),
            check_charges: false,
            ..Settings::default()
        },
    );
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::UnpostedReceipt, "RA1".into(), money("-100.00"))]
    );
    assert_eq!(
        r.findings[0].severity,
        Severity::Low,
        "received 2 days before the as-at date"
    );
    assert!(r.findings[0].detail.contains("not posted yet"));
}

#[test]
fn one_missing_posting_does_not_make_a_run_of_payments_late() {
    // Five weekly receipts; the third was posted to another account, with
    // nothing but its amount and date to tie it there.
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    let c = b.account("RA2", "Carl Moss", "100.00");
    let days = [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ];
    for (i, d) in days.iter().enumerate() {
        b.bank(&format!("B{i}"), d, "100.00", "RA1", "A LEE");
        b.payment(if i == 2 { c } else { a }, d, "100.00", None);
    }
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (FindingKind::UnpostedReceipt, "RA1".into(), money("-100.00")),
            (FindingKind::UnbankedCredit, "RA2".into(), money("100.00")),
        ]
    );
}

#[test]
fn a_payment_posted_to_the_wrong_account_moves_on_correction() {
    // RA1010 for RA1001: a keying slip ties the posting to the receipt.
    let mut b = Builder::default();
    let a = b.account("RA1001", "Ann Lee", "100.00");
    let c = b.account("RA1010", "Carl Moss", "100.00");
    b.charge(a, "2026-03-02", "100.00");
    b.charge(c, "2026-03-02", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1001", "A LEE");
    b.payment(c, "2026-03-03", "100.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::WrongAccount, "RA1001".into(), money("-100.00"))]
    );
    assert_eq!(r.findings[0].posted_to, Some(c));
    let bal = |id| {
        r.assessments
            .iter()
            .find(|x| x.account == id)
            .map(|x| (x.posted_balance, x.corrected_balance))
    };
    assert_eq!(bal(a), Some((money("100.00"), money("0.00"))));
    assert_eq!(bal(c), Some((money("0.00"), money("100.00"))));
}

#[test]
fn a_posting_that_follows_the_payer_name_is_trusted_over_the_reference() {
    let mut b = Builder::default();
    b.account("RA1", "Ann Lee", "100.00");
    let c = b.account("RA2", "Carl Moss", "100.00");
    // Carl paid with Ann's number; finance posted it to Carl, rightly.
    b.bank("B1", "2026-03-02", "100.00", "RA1", "C MOSS");
    b.payment(c, "2026-03-02", "100.00", Some("B1"));
    let r = run(&b);
    assert!(r.findings.is_empty(), "{:?}", kinds(&b, &r));
    // ... but reference and payer disagree: both accounts are held for it.
    let conflict = &r.matching.conflicts;
    assert_eq!(conflict.len(), 1);
    assert_eq!((conflict[0].by_reference, conflict[0].by_payer), (0, c));
    assert!(conflict[0].posted_to_payer);
}

#[test]
fn amount_mismatch_only_for_a_plausible_keying_error() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "120.00");
    b.bank("B1", "2026-03-02", "120.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "12.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(
            FindingKind::AmountMismatch,
            "RA1".into(),
            money("108.00") * Decimal::NEGATIVE_ONE
        )]
    );

    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "120.00");
    b.bank("B1", "2026-03-02", "50.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "300.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (FindingKind::UnbankedCredit, "RA1".into(), money("300.00")),
            (FindingKind::UnpostedReceipt, "RA1".into(), money("-50.00")),
        ]
    );
}

#[test]
fn late_posting_starts_after_the_allowed_days() {
    for (posted, late) in [("2026-03-07", false), ("2026-03-08", true)] {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "100.00");
        b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
        b.payment(a, posted, "100.00", None);
        let r = run(&b);
        assert_eq!(
            r.findings
                .iter()
                .any(|f| f.kind == FindingKind::LatePosting),
            late,
            "posted {posted}"
        );
    }
}

#[test]
fn unidentified_receipts_suggest_but_never_choose_between_equals() {
    let mut b = Builder::default();
    b.account("RA1001", "John Smith", "100.00");
    b.account("RA1002", "Jane Smith", "100.00");
    b.account("RA1003", "Kim Ode", "100.00");
    b.bank("B1", "2026-03-02", "40.00", "SMITH", "J SMITH");
    b.bank("B2", "2026-03-02", "40.00", "RA1030", "K ODE");
    let r = run(&b);
    let f = &r.findings;
    assert!(f
        .iter()
        .all(|f| f.kind == FindingKind::UnidentifiedReceipt && f.account.is_none()));
    let names = |i: usize| -> Vec<String> {
        f[i].suggestions
            .iter()
            .map(|s| b.data.account(s.account).account_ref.to_string())
            .collect()
    };
    assert_eq!(names(0), vec!["RA1001", "RA1002"]);
    assert_eq!(
        names(1),
        vec!["RA1003"],
        "transposed digits and the payer name"
    );
    assert!(
        f[1].suggestions[0].reason.contains("transposition")
            && f[1].suggestions[0].reason.contains("K ODE")
    );
}

#[test]
fn a_receipt_fitting_two_accounts_links_to_a_posting_on_either_and_never_guesses() {
    let mut b = Builder::default();
    let a = b.account("RA1001", "John Smith", "100.00");
    let c = b.account("RA1002", "Jane Smith", "100.00");
    for id in [a, c] {
        b.with(id, |acc| acc.payment_refs = vec!["SMITH HOUSE".into()]);
    }
    b.bank("B1", "2026-03-02", "50.00", "SMITH HOUSE", "SMITH");
    b.bank("B2", "2026-03-09", "60.00", "SMITH HOUSE", "SMITH");
    // Pass 3: the posting names one of the accounts the receipt fits.
    b.payment(c, "2026-03-03", "50.00", None);
    let r = run(&b);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.kind, FindingKind::UnidentifiedReceipt);
    assert_eq!(b.data.bank_id(f.bank.unwrap_or(99)), "B2");
    assert!(
        f.detail
            .contains("fits more than one account equally (RA1001, RA1002)"),
        "{}",
        f.detail
    );
    let names: Vec<&str> = f
        .suggestions
        .iter()
        .map(|s| b.data.account(s.account).account_ref.as_str())
        .collect();
    assert_eq!(names, ["RA1001", "RA1002"]);
}

#[test]
fn references_are_normalised_before_lookup() {
    let mut b = Builder::default();
    let a = b.account("RA-004471", "Ann Lee", "100.00");
    b.with(a, |acc| acc.payment_refs = vec!["6335 9701 1234".into()]);
    for (i, reference) in [
        "ra004471",
        "RENT RA 004471",
        "REF:RA-004471",
        "4471",
        "633597011234",
    ]
    .iter()
    .enumerate()
    {
        b.bank(&format!("B{i}"), "2026-03-02", "1.00", reference, "");
    }
    let r = run(&b);
    assert!(r
        .findings
        .iter()
        .all(|f| f.kind == FindingKind::UnpostedReceipt && f.account == Some(a)));
    assert_eq!(r.findings.len(), 5);
}

#[test]
fn bulk_receipts_split_by_schedule_and_report_what_is_unexplained() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    let c = b.account("RA2", "Carl Moss", "100.00");
    b.bank("B1", "2026-03-02", "700.00", "HB RUN 7", "COUNCIL");
    b.share("HBRUN7", "RA1", "400.00");
    b.share("HBRUN7", "RA2", "250.00");
    b.payment(a, "2026-03-03", "400.00", Some("HB RUN 7"));
    b.payment(c, "2026-03-03", "250.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(
            FindingKind::ScheduleMismatch,
            String::new(),
            money("-50.00")
        )]
    );
    assert_eq!(r.totals.bulk_lines, 1);
    assert!(r.totals.ties());
}

#[test]
fn returns_and_refunds_need_their_ledger_entries() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    b.dd_return("R1", "2026-03-06", "100.00", "B1");
    // A reversal of a payment with no return behind it.
    b.debit(a, "2026-03-10", PostingKind::Reversal, "30.00", Some("B9"));
    // A refund paid out and recorded.
    b.bank("B2", "2026-03-12", "-20.00", "REFUND RA1", "A LEE");
    b.debit(a, "2026-03-12", PostingKind::Refund, "20.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (
                FindingKind::ReversalWithoutReturn,
                "RA1".into(),
                money("-30.00")
            ),
            (FindingKind::UnreversedReturn, "RA1".into(), money("100.00")),
        ]
    );
}

#[test]
fn an_early_return_does_not_take_a_later_returns_reversal() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    for (id, on) in [("D1", "2026-02-16"), ("D2", "2026-03-10")] {
        b.bank(id, on, "30.00", "RA1", "A LEE");
        b.payment(a, on, "30.00", Some(id));
    }
    b.dd_return("R1", "2026-02-19", "30.00", "D1");
    b.dd_return("R2", "2026-03-13", "30.00", "D2");
    // One reversal, the day after the second return, with no bank id.
    b.debit(a, "2026-03-14", PostingKind::Reversal, "30.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::UnreversedReturn, "RA1".into(), money("30.00"))]
    );
    assert_eq!(
        r.findings[0].bank.map(|i| b.data.bank_id(i)),
        Some("R1".into())
    );
}

#[test]
fn status_boundaries_use_reaches_as_greater_or_equal() {
    // Weekly rent 100, trigger 4w = 400, warning band from 300.
    let cases = [
        ("400.00", "0", Status::Genuine),
        ("399.99", "0", Status::Approaching),
        ("300.00", "0", Status::Approaching),
        ("299.99", "0", Status::Clear),
        ("400.00", "100.00", Status::FalseTrigger),
        ("350.00", "100.00", Status::FalseApproach),
        ("400.00", "-100.00", Status::HiddenArrears),
        ("250.00", "-100.00", Status::Clear),
    ];
    for (opening, unposted, want) in cases {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "100.00");
        b.with(a, |acc| acc.opening_balance = money(opening));
        let unposted = money(unposted);
        if unposted > Decimal::ZERO {
            b.bank("B1", "2026-03-02", &unposted.to_string(), "RA1", "A LEE");
        } else if unposted < Decimal::ZERO {
            b.payment(a, "2026-03-02", &(-unposted).to_string(), None);
        }
        assert_eq!(
            status_of(&b, &run(&b), "RA1"),
            want,
            "opening {opening}, unposted {unposted}"
        );
    }
}

#[test]
fn protocol_hold_names_each_reason() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.with(a, |acc| {
        acc.opening_balance = money("500.00");
        acc.vulnerable = true;
        acc.open_dispute = true;
    });
    let r = run(&b);
    assert_eq!(r.assessments[0].status, Status::ProtocolHold);
    assert_eq!(r.assessments[0].reasons, vec!["vulnerable", "open_dispute"]);
}

/// With no ledger or bank rows and no as-at date given, the accounts are
/// assessed on the day the latest tenancy began (this once panicked).
#[test]
fn accounts_with_no_rows_are_assessed_on_the_latest_tenancy_start() {
    let mut b = Builder::default();
    b.account("RA1", "Ann Lee", "100.00");
    let r = reconcile(&b.data, Settings::default());
    assert_eq!(r.as_at, date("2026-01-01"));
    assert_eq!(r.assessments.len(), 1);
    assert!(r.findings.is_empty());
}

/// With no as-at date given, the run is as at the latest date in either
/// file, whichever holds it.
#[test]
fn the_default_as_at_date_is_the_latest_in_the_ledger_or_the_bank() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.charge(a, "2026-03-02", "100.00");
    b.bank("B1", "2026-02-27", "100.00", "RA1", "ANN LEE");
    assert_eq!(b.data.latest_date(), Some(date("2026-03-02")));
    b.bank("B2", "2026-03-09", "100.00", "RA1", "ANN LEE");
    assert_eq!(b.data.latest_date(), Some(date("2026-03-09")));
    b.charge(a, "2026-03-09", "100.00");
    let r = reconcile(&b.data, Settings::default());
    assert_eq!(r.as_at, date("2026-03-09"));
}

#[test]
fn non_cash_credits_need_no_money() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.adjustment_credit(a, "2026-03-02", "25.00");
    let r = run(&b);
    assert!(r.findings.is_empty());
    assert_eq!(r.matching.credit_outcomes[0], Some(Outcome::NonCash));
}

mod corrections;
mod coverage;
mod fail_safe;
mod methods;

mod invariants {
    //! On generated data: every bank line and ledger credit has exactly one
    //! outcome, money ties to the penny, and threads do not change output.

    use proptest::prelude::*;
    use rayon::prelude::*;

    use super::super::model::PostingKind;
    use super::super::testkit::Builder;
    use super::super::*;

    #[derive(Clone, Debug)]
    enum Posted {
        Right { with_ref: bool },
        WrongAccount,
        Not,
        Twice,
        Amount,
        Late,
    }

    fn posted() -> impl Strategy<Value = Posted> {
        prop_oneof![
            4 => any::<bool>().prop_map(|with_ref| Posted::Right { with_ref }),
            1 => Just(Posted::WrongAccount),
            1 => Just(Posted::Not),
            1 => Just(Posted::Twice),
            1 => Just(Posted::Amount),
            1 => Just(Posted::Late),
        ]
    }

    #[derive(Clone, Debug)]
    struct Payment {
        account: usize,
        day: u32,
        pence: u32,
        reference: u8,
        /// 0: a payer of its own; 1: the tenant, by full name; 2: the
        /// next account's tenant.
        payer: u8,
        posted: Posted,
    }

    fn payment(accounts: usize) -> impl Strategy<Value = Payment> {
        (
            0..accounts,
            0u32..60,
            prop_oneof![Just(5000u32), Just(10000), 1u32..30000],
            0u8..4,
            0u8..3,
            posted(),
        )
            .prop_map(|(account, day, pence, reference, payer, posted)| Payment {
                account,
                day,
                pence,
                reference,
                payer,
                posted,
            })
    }

    const TENANTS: [&str; 6] = [
        "Ann Lee",
        "Bo Diaz",
        "Cara Doyle",
        "Dev Evans",
        "Eli Fox",
        "Fay Gill",
    ];

    /// A bulk line: shares (account, pence), an error in the line's total,
    /// and whether the shares were posted.
    type Bulk = (Vec<(usize, u32)>, i32, bool);

    #[derive(Clone, Debug)]
    struct Scenario {
        accounts: usize,
        payments: Vec<Payment>,
        /// Credits with no money: (account, day, pence).
        phantoms: Vec<(usize, u32, u32)>,
        bulks: Vec<Bulk>,
        /// Refunds: (account, pence, paid out, recorded).
        refunds: Vec<(usize, u32, bool, bool)>,
        /// The as-at date as a day of the scenario (before, inside or after
        /// its rows), or the default (the latest date in the data).
        as_at: Option<u32>,
        check_charges: bool,
        /// Accounts that open deep in arrears, so that some reach the trigger.
        in_arrears: Vec<bool>,
    }

    fn scenario() -> impl Strategy<Value = Scenario> {
        (1usize..6).prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec(payment(n), 0..40),
                prop::collection::vec((0..n, 0u32..60, 1u32..30000), 0..4),
                prop::collection::vec(
                    (
                        prop::collection::vec((0..n, 1u32..50000), 1..4),
                        -200i32..200,
                        any::<bool>(),
                    ),
                    0..3,
                ),
                prop::collection::vec((0..n, 1u32..20000, any::<bool>(), any::<bool>()), 0..3),
                prop::option::of(0u32..120),
                any::<bool>(),
                prop::collection::vec(any::<bool>(), n),
            )
                .prop_map(
                    |(
                        accounts,
                        payments,
                        phantoms,
                        bulks,
                        refunds,
                        as_at,
                        check_charges,
                        in_arrears,
                    )| {
                        Scenario {
                            accounts,
                            payments,
                            phantoms,
                            bulks,
                            refunds,
                            as_at,
                            check_charges,
                            in_arrears,
                        }
                    },
                )
        })
    }

    /// As [`run`], on the scenario's as-at date and charge checking.
    fn run_as(b: &Builder, s: &Scenario) -> Reconciliation {
        reconcile(
            &b.data,
            Settings {
                as_at: s.as_at.map(date_of),
                check_charges: s.check_charges,
                ..Settings::default()
            },
        )
    }

    fn day(d: u32) -> String {
        (date_of(d)).to_string()
    }

    fn date_of(d: u32) -> chrono::NaiveDate {
        super::date("2026-01-05") + chrono::Days::new(u64::from(d))
    }

    fn pounds(pence: u32) -> String {
        format!("{}.{:02}", pence / 100, pence % 100)
    }

    /// Account numbers no keying slip turns into one another.
    fn ref_of(i: usize) -> String {
        format!("RA{}", 1000 + i * 1111)
    }

    fn build(s: &Scenario) -> Builder {
        let mut b = Builder::default();
        let ids: Vec<u32> = (0..s.accounts)
            .map(|i| {
                let id = b.account(&ref_of(i), TENANTS[i], "100.00");
                if s.in_arrears[i] {
                    b.with(id, |a| a.opening_balance = Decimal::from(5000));
                }
                id
            })
            .collect();
        for (i, p) in s.payments.iter().enumerate() {
            let id = format!("B{i:03}");
            let own = ref_of(p.account);
            let reference = match p.reference {
                0 => own.clone(),
                1 => format!("rent {}", own.to_lowercase()),
                2 => "UNKNOWN".to_string(),
                _ => ref_of((p.account + 1) % s.accounts),
            };
            let payer = match p.payer {
                0 => format!("P{i}"),
                1 => TENANTS[p.account].to_uppercase(),
                _ => TENANTS[(p.account + 1) % s.accounts].to_uppercase(),
            };
            b.bank(&id, &day(p.day), &pounds(p.pence), &reference, &payer);
            let acc = ids[p.account];
            let amount = pounds(p.pence);
            match &p.posted {
                Posted::Right { with_ref } => {
                    b.payment(acc, &day(p.day), &amount, with_ref.then_some(id.as_str()));
                }
                Posted::WrongAccount => {
                    b.payment(
                        ids[(p.account + 1) % s.accounts],
                        &day(p.day + 1),
                        &amount,
                        None,
                    );
                }
                Posted::Not => {}
                Posted::Twice => {
                    b.payment(acc, &day(p.day), &amount, Some(&id));
                    b.payment(acc, &day(p.day + 1), &amount, None);
                }
                Posted::Amount => {
                    b.payment(acc, &day(p.day), &pounds(p.pence * 10), Some(&id));
                }
                Posted::Late => {
                    b.payment(acc, &day(p.day + 9), &amount, None);
                }
            }
        }
        for &(account, d, pence) in &s.phantoms {
            b.payment(ids[account], &day(d), &pounds(pence), None);
        }
        for (n, (shares, error, posted)) in s.bulks.iter().enumerate() {
            let batch = format!("HBRUN{n}");
            let total: i64 =
                shares.iter().map(|&(_, p)| i64::from(p)).sum::<i64>() + i64::from(*error);
            if total <= 0 {
                continue;
            }
            b.bank(
                &format!("H{n}"),
                &day(20),
                &pounds(total as u32),
                &batch,
                "COUNCIL",
            );
            for &(account, pence) in shares {
                b.share(&batch, &ref_of(account), &pounds(pence));
                if *posted {
                    b.payment(ids[account], &day(21), &pounds(pence), Some(&batch));
                }
            }
        }
        for (n, &(account, pence, paid, recorded)) in s.refunds.iter().enumerate() {
            if paid {
                b.bank(
                    &format!("R{n}"),
                    &day(30),
                    &format!("-{}", pounds(pence)),
                    &ref_of(account),
                    "",
                );
            }
            if recorded {
                b.debit(
                    ids[account],
                    &day(30),
                    PostingKind::Refund,
                    &pounds(pence),
                    None,
                );
            }
        }
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn every_row_has_one_outcome_and_money_ties(s in scenario()) {
            let b = build(&s);
            let r = run_as(&b, &s);
            let data = &b.data;

            // Bank: each line's entries sum to the line; each share used once.
            let all: Vec<_> = r.matching.bank_entries(data).collect();
            prop_assert_eq!(r.matching.receipt_outcomes.len(), r.matching.receipts.len());
            for (i, line) in data.bank.iter().enumerate() {
                let entries: Vec<_> = all.iter().filter(|e| e.bank == i as u32).collect();
                prop_assert!(!entries.is_empty(), "bank line {} has no outcome", data.bank_id(i));
                let sum: Decimal = entries.iter().map(|e| e.amount).sum();
                prop_assert_eq!(sum, line.amount(), "bank line {}", data.bank_id(i));
                let whole = entries.iter().filter(|e| e.share.is_none()).count();
                prop_assert!(whole <= 1);
            }
            for s in 0..data.shares.len() {
                let uses = all.iter().filter(|e| e.share == Some(s as u32)).count();
                prop_assert!(uses <= 1, "share {} used {} times", s, uses);
            }
            // Ledger: every credit has exactly one outcome, debits none.
            for (i, (p, o)) in data.postings.iter().zip(&r.matching.credit_outcomes).enumerate() {
                prop_assert_eq!(p.is_credit(), o.is_some(), "{}", data.txn_id(i));
            }
            prop_assert!(r.totals.ties(), "totals do not tie: {:?}", r.totals);

            // Corrections move money between accounts, never create it.
            let moved: Decimal = r.findings.iter().filter(|f| f.posted_to.is_some()).map(|f| f.amount).sum();
            let posted: Decimal = r.assessments.iter().map(|a| a.posted_balance).sum();
            let corrected: Decimal = r.assessments.iter().map(|a| a.corrected_balance).sum();
            let own: Decimal = r.findings.iter().filter(|f| f.account.is_some()).map(|f| f.amount).sum();
            prop_assert_eq!(corrected - posted, own - moved);

            // Every finding cites rows that exist and says what to do.
            for f in &r.findings {
                prop_assert!(!f.evidence.is_empty() && !f.detail.is_empty());
            }
        }

        /// Fail safe: no account a suspense receipt suggests is cleared,
        /// and money moves between accounts only where the posting's bank
        /// ref, the payer's name, or a reference one slip away ties it.
        #[test]
        fn suspense_holds_and_no_money_moves_on_amount_alone(s in scenario()) {
            let b = build(&s);
            let r = run_as(&b, &s);
            let data = &b.data;
            for f in r.findings.iter().filter(|f| f.kind == FindingKind::UnidentifiedReceipt) {
                for suggested in &f.suggestions {
                    let a = r.assessments.iter().find(|a| a.account == suggested.account);
                    prop_assert!(a.is_some_and(|a| a.status != Status::Genuine), "{:?}", f.detail);
                }
            }
            for f in r.findings.iter().filter(|f| f.kind == FindingKind::WrongAccount) {
                let (Some(l), Some(to), Some(&p)) = (f.bank, f.posted_to, f.postings.first()) else {
                    continue;
                };
                let line = &data.bank[l];
                let by_ref = data.bank_ref(&data.postings[p]).is_some_and(|r| identify::normal_eq(r, &data.bank_id(l)));
                let by_name = identify::names_match(data.payer(line), &data.account(to).tenant_name);
                let by_slip = identify::one_slip_from(data.reference(line), data.account(to));
                // The payer has paid into `to` before: another of their
                // lines has a credit there naming it, or of its amount near
                // its date.
                let by_history = (0..data.bank.len()).filter(|&m| m != l).any(|m| {
                    let other = &data.bank[m];
                    identify::normal_eq(data.payer(other), data.payer(line))
                        && data.postings.iter().any(|q| {
                            let named = data.bank_ref(q).is_some_and(|r| identify::normal_eq(r, &data.bank_id(m)));
                            let near = q.credit() == other.amount()
                                && (-3..=35).contains(&(q.date - other.date).num_days());
                            q.account == to && q.is_credit() && (named || near)
                        })
                });
                prop_assert!(by_ref || by_name || by_slip || by_history, "{}", f.detail);
            }
        }

        #[test]
        fn threads_do_not_change_the_result(s in scenario()) {
            let b = build(&s);
            let on = |n: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("pool");
                let r = pool.install(|| run_as(&b, &s));
                format!("{:?}{:?}{:?}", r.findings, r.assessments, r.totals)
            };
            prop_assert_eq!(on(1), on(4));
        }
    }
}

mod charges {
    use super::super::model::PostingKind;
    use super::super::*;
    use super::{date, kinds, money, Builder};

    fn run(b: &Builder, rent_free: &[&str]) -> Reconciliation {
        reconcile(
            &b.data,
            Settings {
                as_at: Some(date("2026-03-31")),
                rent_free_weeks: rent_free.iter().map(|d| date(d)).collect(),
                ..Settings::default()
            },
        )
    }

    /// A weekly account charged every Monday of Q1 2026 except `skip`.
    fn weekly(skip: &[&str]) -> (Builder, u32) {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "100.00");
        let mut d = date("2026-01-05");
        while d <= date("2026-03-30") {
            if !skip.contains(&d.to_string().as_str()) {
                b.charge(a, &d.to_string(), "100.00");
            }
            d = d + chrono::Days::new(7);
        }
        (b, a)
    }

    #[test]
    fn every_due_week_charged_is_clean() {
        let (b, _) = weekly(&[]);
        assert!(run(&b, &[]).findings.is_empty());
    }

    #[test]
    fn uncharged_weeks_are_missing_charges_unless_rent_free() {
        let (b, _) = weekly(&["2026-02-02", "2026-02-09"]);
        let r = run(&b, &[]);
        assert_eq!(
            kinds(&b, &r),
            vec![(FindingKind::MissingCharges, "RA1".into(), money("200.00"))]
        );
        assert!(r.findings[0]
            .detail
            .contains("2 weekly periods due between 2026-02-02 and 2026-02-09"));
        assert!(run(&b, &["2026-02-04", "2026-02-11"]).findings.is_empty());
    }

    #[test]
    fn the_rent_charged_in_a_rent_free_week_is_reversed() {
        let (b, _) = weekly(&[]);
        let r = run(&b, &["2026-02-04"]);
        assert_eq!(
            kinds(&b, &r),
            vec![(FindingKind::IrregularCharge, "RA1".into(), money("-100.00"))]
        );
        assert_eq!(r.findings[0].severity, Severity::Medium);
        assert!(
            r.findings[0]
                .detail
                .contains("in the rent-free week from 2026-02-02"),
            "{}",
            r.findings[0].detail
        );
    }

    #[test]
    fn a_lump_back_charge_covers_the_missing_weeks_and_says_so() {
        let (mut b, a) = weekly(&["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]);
        // The extract starts on 1 January (the seed 001 case: no rent charged
        // for weeks, then billed in one lump).
        b.adjustment_credit(a, "2026-01-01", "1.00");
        b.charge(a, "2026-03-16", "400.00");
        let r = run(&b, &[]);
        assert_eq!(
            kinds(&b, &r),
            vec![(FindingKind::IrregularCharge, "RA1".into(), Decimal::ZERO)]
        );
        assert!(
            r.findings[0]
                .detail
                .contains("4 uncharged weekly periods from 2026-01-05 to 2026-01-26"),
            "{}",
            r.findings[0].detail
        );
    }

    #[test]
    fn a_second_charge_for_one_week_is_reversed_and_odd_amounts_are_noted() {
        let (mut b, a) = weekly(&[]);
        b.charge(a, "2026-02-03", "100.00");
        b.charge(a, "2026-03-10", "35.00");
        let r = run(&b, &[]);
        assert_eq!(
            kinds(&b, &r),
            vec![
                (FindingKind::IrregularCharge, "RA1".into(), money("-100.00")),
                (FindingKind::IrregularCharge, "RA1".into(), Decimal::ZERO),
            ]
        );
        assert_eq!(r.findings[1].severity, Severity::Low);
    }

    #[test]
    fn an_old_rent_charged_every_week_is_not_irregular() {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "104.00");
        let mut d = date("2026-01-05");
        while d <= date("2026-03-30") {
            let rent = if d < date("2026-03-02") {
                "100.00"
            } else {
                "104.00"
            };
            b.debit(a, &d.to_string(), PostingKind::Charge, rent, None);
            d = d + chrono::Days::new(7);
        }
        assert!(
            run(&b, &[]).findings.is_empty(),
            "{:?}",
            kinds(&b, &run(&b, &[]))
        );
    }
}
