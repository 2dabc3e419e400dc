//! The fail-safe rules: no account is cleared while the run points the other
//! way, and no money moves between accounts on amount and date alone.

use super::super::hold::HoldReason;
use super::super::model::{AccountId, Benefit};
use super::super::warning::WarningKind;
use super::*;

/// An account `weeks` weeks of £100 rent behind (charged, unpaid) as at
/// 31 March: the trigger (4w) is £400.
fn behind(b: &mut Builder, account_ref: &str, tenant: &str, weeks: usize) -> AccountId {
    let a = b.account(account_ref, tenant, "100.00");
    for w in 0..weeks {
        let day = date("2026-03-02") + chrono::Days::new(7 * w as u64 % 28);
        b.charge(a, &day.to_string(), "100.00");
    }
    a
}

fn assessment(r: &Reconciliation, id: AccountId) -> &Assessment {
    r.assessments
        .iter()
        .find(|a| a.account == id)
        .expect("assessed")
}

fn held_for(r: &Reconciliation, id: AccountId) -> Vec<HoldReason> {
    assessment(r, id).holds.iter().map(|h| h.reason).collect()
}

#[test]
fn a_receipt_in_suspense_from_the_tenant_by_name_holds_the_account() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "John Smith", 5);
    b.bank("B1", "2026-03-20", "150.00", "RENT", "JOHN SMITH");
    let r = run(&b);
    assert_eq!(status_of(&b, &r, "RA1001"), Status::ProtocolHold);
    assert_eq!(held_for(&r, a), [HoldReason::ReceiptInSuspense]);
    // The evidence alone ties it to the tenant, and it would take the
    // account below the trigger: the verdict says so first.
    let detail = &assessment(&r, a).detail;
    assert!(detail.contains("the arrears may not be real"), "{detail}");
    assert!(
        detail.contains("corrected balance is £350.00, below the trigger"),
        "{detail}"
    );
}

#[test]
fn a_suspense_receipt_holds_every_tenant_it_may_be_and_ranks_the_full_name_first() {
    let mut b = Builder::default();
    let john = behind(&mut b, "RA1001", "Mr J Smith", 5);
    let jane = behind(&mut b, "RA1002", "Mrs Jane Smith", 5);
    b.bank("B1", "2026-03-20", "50.00", "SMITH", "SMITH JANE");
    let r = run(&b);
    let f = &r.findings[0];
    assert_eq!(f.kind, FindingKind::UnidentifiedReceipt);
    let order: Vec<AccountId> = f.suggestions.iter().map(|s| s.account).collect();
    assert_eq!(order, [jane, john]);
    for id in [john, jane] {
        assert_eq!(held_for(&r, id), [HoldReason::ReceiptInSuspense]);
    }
}

#[test]
fn suspense_money_is_never_absorbed_by_an_unrelated_posting_of_the_same_amount() {
    let mut b = Builder::default();
    let a = b.account("RA1001", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RENT", "K PATEL");
    b.payment(a, "2026-03-02", "100.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (
                FindingKind::UnidentifiedReceipt,
                String::new(),
                money("-100.00")
            ),
            (
                FindingKind::UnbankedCredit,
                "RA1001".into(),
                money("100.00")
            ),
        ]
    );
    // The payer's name is what ties it, where it does.
    let mut b = Builder::default();
    let a = b.account("RA1001", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RENT", "MS A LEE");
    b.payment(a, "2026-03-02", "100.00", None);
    assert!(run(&b).findings.is_empty());
}

#[test]
fn a_tenant_who_moved_home_and_quotes_the_old_number_is_not_moved_back() {
    // Tess Move's old tenancy ended on 1 March; her standing order still
    // quotes it, and finance posts it to her new one, rightly.
    let mut b = Builder::default();
    let old = b.account("RA1", "Tess Move", "90.00");
    let new = b.account("RA2", "Tess Move", "100.00");
    b.with(old, |a| a.tenancy_end = Some(date("2026-03-01")));
    b.with(new, |a| a.opening_date = date("2026-03-02"));
    for (i, d) in ["2026-03-02", "2026-03-09", "2026-03-16"]
        .iter()
        .enumerate()
    {
        b.charge(new, d, "100.00");
        let id = format!("B{i}");
        b.bank(&id, d, "100.00", "MOVE RA1", "T MOVE");
        b.payment(new, d, "100.00", None);
    }
    // Paid on the old number before it ended, posted to the new: moved.
    b.bank("B9", "2026-02-23", "90.00", "MOVE RA1", "T MOVE");
    b.payment(new, "2026-02-23", "90.00", None);
    let r = run(&b);
    let got: Vec<(FindingKind, Option<AccountId>)> =
        r.findings.iter().map(|f| (f.kind, f.account)).collect();
    assert_eq!(got, [(FindingKind::WrongAccount, Some(old))]);
    assert_eq!(r.findings[0].posted_to, Some(new));
}

#[test]
fn a_wrong_account_posting_a_transfer_journal_moved_back_is_not_corrected_twice() {
    let mut b = Builder::default();
    let john = b.account("RA1", "John Smith", "100.00");
    let jane = b.account("RA2", "Jane Smith", "100.00");
    for (i, d) in ["2026-03-02", "2026-03-09"].iter().enumerate() {
        let id = format!("B{i}");
        b.bank(&id, d, "100.00", "SMITH RA1", "J SMITH");
        b.payment(jane, d, "100.00", Some(id.as_str()));
    }
    // A third, not yet moved back: still to put right.
    b.bank("B2", "2026-03-16", "100.00", "SMITH RA1", "J SMITH");
    b.payment(jane, "2026-03-16", "100.00", Some("B2"));
    // The journal names the money it moves (the first receipt's bank id).
    b.debit(
        jane,
        "2026-03-12",
        PostingKind::Adjustment,
        "200.00",
        Some("B0"),
    );
    b.debit(
        john,
        "2026-03-12",
        PostingKind::Adjustment,
        "-200.00",
        Some("B0"),
    );
    let r = run(&b);
    let got: Vec<(FindingKind, Decimal, bool)> = (r.findings.iter())
        .map(|f| (f.kind, f.amount, f.needs_correction()))
        .collect();
    let wrong = FindingKind::WrongAccount;
    assert_eq!(
        got,
        [
            (wrong, Decimal::ZERO, false),
            (wrong, Decimal::ZERO, false),
            (wrong, money("-100.00"), true)
        ]
    );
    assert!(r.findings[0].detail.contains("already put it right"));
    assert_eq!(assessment(&r, john).corrected_balance, money("-300.00"));
    assert_eq!(assessment(&r, jane).corrected_balance, money("0.00"));
    assert!(r.totals.ties());
}

#[test]
fn a_payer_who_has_paid_the_account_before_ties_a_posting_to_it() {
    // Finance posts J Bloggs's standing orders to RA2; the third came with
    // no bank id, and only the payer's history ties it to RA2.
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    let c = b.account("RA2", "Carl Moss", "100.00");
    for (i, d) in ["2026-03-02", "2026-03-09", "2026-03-16"]
        .iter()
        .enumerate()
    {
        let id = format!("B{i}");
        b.bank(&id, d, "100.00", "RA1", "J BLOGGS");
        b.payment(c, d, "100.00", (i < 2).then_some(id.as_str()));
    }
    let r = run(&b);
    let got: Vec<(FindingKind, Option<AccountId>)> =
        r.findings.iter().map(|f| (f.kind, f.posted_to)).collect();
    assert_eq!(got, vec![(FindingKind::WrongAccount, Some(c)); 3]);
    let _ = a;
}

#[test]
fn reference_and_payer_pointing_at_different_tenants_hold_both() {
    let mut b = Builder::default();
    let named = behind(&mut b, "RA1001", "Ann Lee", 5);
    let payer = behind(&mut b, "RA2002", "Carl Moss", 5);
    // Carl Moss paid quoting Ann's number; it was posted to Ann.
    b.bank("B1", "2026-03-20", "100.00", "RA1001", "CARL MOSS");
    b.payment(named, "2026-03-20", "100.00", Some("B1"));
    let r = run(&b);
    assert!(r.findings.is_empty());
    for id in [named, payer] {
        assert_eq!(held_for(&r, id), [HoldReason::PayerConflict]);
        assert_eq!(assessment(&r, id).status, Status::ProtocolHold);
    }
    // A payer who has paid that account before is a known payer of it.
    b.bank("B2", "2026-03-27", "100.00", "RA1001", "CARL MOSS");
    b.payment(named, "2026-03-27", "100.00", Some("B2"));
    assert!(run(&b).matching.conflicts.is_empty());
}

#[test]
fn a_late_posting_already_put_right_holds_nothing() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "Ann Lee", 6);
    b.bank("B1", "2026-03-02", "100.00", "RA1001", "A LEE");
    b.payment(a, "2026-03-12", "100.00", None);
    let r = run(&b);
    assert_eq!(r.findings[0].kind, FindingKind::LatePosting);
    assert_eq!(status_of(&b, &r, "RA1001"), Status::Genuine);
}

fn hb_tenant(b: &mut Builder, opened: &str) -> AccountId {
    let a = b.account("RA1001", "Ann Lee", "100.00");
    b.with(a, |acc| {
        acc.benefit = Benefit::Hb;
        acc.opening_date = date(opened);
    });
    for d in [
        "2026-02-02",
        "2026-02-09",
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
    ] {
        if date(d) >= date(opened) {
            b.charge(a, d, "100.00");
        }
    }
    a
}

#[test]
fn a_new_benefit_claim_is_technical_until_its_first_run_is_overdue() {
    let as_at = |d: &str| Settings {
        as_at: Some(date(d)),
        check_charges: false,
        ..Settings::default()
    };
    let mut b = Builder::default();
    let a = hb_tenant(&mut b, "2026-02-02");
    let r = reconcile(&b.data, as_at("2026-03-03"));
    assert_eq!(assessment(&r, a).status, Status::TechnicalArrears);
    assert_eq!(assessment(&r, a).reasons, ["benefit_not_yet_paid"]);
    assert_eq!(held_for(&r, a), [HoldReason::BenefitNotYetPaid]);
    // Due by 9 March (35 days), overdue a week after: the benefit has not started.
    let r = reconcile(&b.data, as_at("2026-03-20"));
    assert_eq!(assessment(&r, a).status, Status::ProtocolHold);
    assert_eq!(held_for(&r, a), [HoldReason::BenefitStopped]);
    assert!(assessment(&r, a)
        .detail
        .contains("no Housing Benefit has arrived"));
}

#[test]
fn rows_after_today_never_move_the_as_at_date_and_are_warned_of() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "Ann Lee", 5);
    b.bank("B1", "2026-03-20", "10.00", "RA1001", "A LEE");
    b.payment(a, "2026-03-20", "10.00", None);
    b.charge(a, "2027-03-23", "100.00");
    let settings = Settings {
        today: Some(date("2026-04-01")),
        check_charges: false,
        ..Settings::default()
    };
    let r = reconcile(&b.data, settings.clone());
    assert_eq!(r.as_at, date("2026-03-23"));
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].kind, WarningKind::FutureRows);
    assert!(r.warnings[0]
        .message
        .contains("dated after today (2026-04-01)"));
    assert_eq!(held_for(&r, a), [HoldReason::IncompleteData]);
    // Far beyond the rest of the data, even before today, it is a slip too.
    let r = reconcile(
        &b.data,
        Settings {
            today: Some(date("2030-01-01")),
            ..settings
        },
    );
    assert_eq!(r.as_at, date("2026-03-23"));
    assert!(r.warnings[0]
        .message
        .contains("beyond the rest of the data"));
}

#[test]
fn an_as_at_date_outside_the_data_holds_every_account() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "Ann Lee", 5);
    for on in ["2025-01-01", "2027-01-01"] {
        let r = reconcile(
            &b.data,
            Settings {
                as_at: Some(date(on)),
                check_charges: false,
                ..Settings::default()
            },
        );
        let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::AsAtOutsideData], "{on}");
        assert_eq!(held_for(&r, a), [HoldReason::IncompleteData], "{on}");
    }
}

#[test]
fn benefit_credits_with_no_schedules_file_are_warned_of() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "Ann Lee", 5);
    let other = b.account("RA1002", "Bo Diaz", "100.00");
    b.bank("B1", "2026-03-02", "400.00", "HB-0001", "COUNCIL");
    b.debit(
        a,
        "2026-03-02",
        PostingKind::Benefit,
        "-100.00",
        Some("HB-0001"),
    );
    let r = run(&b);
    let w = &r.warnings[0];
    assert_eq!(w.kind, WarningKind::NoSchedules);
    assert!(w.concerns(a) && !w.concerns(other));
    assert!(held_for(&r, a).contains(&HoldReason::IncompleteData));
}

/// An HB run of two shares, each credited, banked with `reference`; a
/// third account has no share. Returns (builder, sharers, the third).
fn hb_run_banked_as(reference: &str) -> (Builder, [AccountId; 2], AccountId) {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA1001", "Ann Lee", 5);
    let other = b.account("RA1002", "Bo Diaz", "100.00");
    let outside = b.account("RA1003", "Cy Ray", "100.00");
    for id in [a, other] {
        b.with(id, |acc| acc.benefit = Benefit::Hb);
    }
    b.bank("B1", "2026-03-02", "400.00", reference, "KIRKTON MBC");
    b.share("HBPAY20260302", "RA1001", "250.00");
    b.share("HBPAY20260302", "RA1002", "150.00");
    b.debit(a, "2026-03-02", PostingKind::Benefit, "-250.00", None);
    b.debit(other, "2026-03-02", PostingKind::Benefit, "-150.00", None);
    (b, [a, other], outside)
}

#[test]
fn a_benefit_run_whose_reference_holds_its_batch_among_other_words_is_split() {
    let (b, _, _) = hb_run_banked_as("KIRKTON MBC HB HBPAY20260302");
    let r = run(&b);
    assert!(r.findings.is_empty(), "{:?}", kinds(&b, &r));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn a_schedule_batch_no_bank_line_carries_is_warned_of_and_holds_its_accounts() {
    let (b, sharers, outside) = hb_run_banked_as("KIRKTON HB RUN");
    let r = run(&b);
    let w = &r.warnings[0];
    assert_eq!(w.kind, WarningKind::BatchNotBanked);
    assert!(sharers.iter().all(|&a| w.concerns(a)) && !w.concerns(outside));
    assert!(held_for(&r, sharers[0]).contains(&HoldReason::IncompleteData));
}

#[test]
fn a_duplicate_keyed_by_hand_before_its_referenced_copy_is_still_a_duplicate() {
    let mut b = Builder::default();
    let a = b.account("RA1001", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-04", "90.00", "RA1001", "A LEE");
    b.payment(a, "2026-03-03", "90.00", None);
    b.payment(a, "2026-03-05", "90.00", Some("B1"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(
            FindingKind::DuplicatePosting,
            "RA1001".into(),
            money("90.00")
        )]
    );
}

#[test]
fn part_of_a_split_receipt_posted_to_another_account_is_moved_back() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    let other = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RA2001", "J CARTER");
    b.payment(a, "2026-03-20", "50.00", Some("B1"));
    b.payment(other, "2026-03-20", "400.00", Some("B1"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::WrongAccount, "RA2001".into(), money("-400.00"))]
    );
    assert_eq!(r.findings[0].posted_to, Some(other));
    assert!(r.totals.ties());
    // Split between the named account's own postings, it is matched.
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.bank("B1", "2026-03-20", "450.00", "RA2001", "J CARTER");
    b.payment(a, "2026-03-20", "50.00", Some("B1"));
    b.payment(a, "2026-03-20", "400.00", Some("B1"));
    assert!(run(&b).findings.is_empty());
}

#[test]
fn a_receipt_posted_to_one_of_several_tenants_it_fits_holds_the_others() {
    // "J SMITH" fits John and Jane; finance posted it to Jane.
    let mut b = Builder::default();
    let john = behind(&mut b, "RA2001", "John Smith", 8);
    let jane = b.account("RA3107", "Jane Smith", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RENT", "J SMITH");
    b.payment(jane, "2026-03-20", "450.00", Some("B1"));
    let r = run(&b);
    assert!(r.findings.is_empty());
    assert_eq!(held_for(&r, john), [HoldReason::ReceiptInSuspense]);
    assert!(assessment(&r, john).detail.contains("posted to RA3107"));
    // The payer is John by full name, but it went to Ann Lee's account.
    let mut b = Builder::default();
    let john = behind(&mut b, "RA2001", "John Carter", 8);
    let ann = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RENT", "JOHN CARTER");
    b.payment(ann, "2026-03-20", "450.00", Some("B1"));
    let r = run(&b);
    assert_eq!(held_for(&r, john), [HoldReason::ReceiptInSuspense]);
    assert!(assessment(&r, john)
        .detail
        .contains("the arrears may not be real"));
    // Posted where the name fits best, it holds no one else.
    let mut b = Builder::default();
    behind(&mut b, "RA2001", "John Smith", 8);
    let jane = b.account("RA3107", "Jane Smith", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RENT", "JANE SMITH");
    b.payment(jane, "2026-03-20", "450.00", Some("B1"));
    assert!(run(&b).matching.leads.is_empty());
}

#[test]
fn a_payer_two_tenants_share_a_name_with_conflicts_with_both() {
    let mut b = Builder::default();
    let one = behind(&mut b, "RA2001", "John Carter", 8);
    let two = behind(&mut b, "RA4420", "John Carter", 8);
    let named = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RA3107", "JOHN CARTER");
    b.payment(named, "2026-03-20", "450.00", Some("B1"));
    let r = run(&b);
    for id in [one, two, named] {
        assert_eq!(held_for(&r, id), [HoldReason::PayerConflict], "{id}");
    }
}

#[test]
fn a_schedule_share_naming_no_account_suggests_the_one_it_nearly_names() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.bank("B1", "2026-03-20", "450.00", "HB1", "COUNCIL");
    b.share("HB1", "RA2O01", "450.00");
    let r = run(&b);
    assert_eq!(r.findings[0].kind, FindingKind::UnidentifiedReceipt);
    assert_eq!(held_for(&r, a), [HoldReason::ReceiptInSuspense]);
}

#[test]
fn a_return_with_no_collection_id_is_the_account_its_reversal_is_on() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.bank("B1", "2026-03-02", "100.00", "RA2001", "J CARTER");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    let line = b.bank("B2", "2026-03-27", "-100.00", "RETURNED DD", "");
    b.data.bank[line].method = Some(super::super::model::Method::DdReturn);
    b.debit(a, "2026-03-27", PostingKind::Reversal, "100.00", Some("B2"));
    let r = run(&b);
    assert!(r.findings.is_empty(), "{:?}", kinds(&b, &r));
    assert_eq!(held_for(&r, a), [HoldReason::RecentDdReturn]);
}

/// A run as at 24 March, a week before today.
fn run_before_today(b: &Builder) -> Reconciliation {
    reconcile(
        &b.data,
        Settings {
            as_at: Some(date("2026-03-24")),
            check_charges: false,
            today: Some(date("2026-04-01")),
            ..Settings::default()
        },
    )
}

#[test]
fn money_in_after_the_as_at_date_holds_the_account_it_names() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.bank("B1", "2026-03-25", "450.00", "RA2001", "J CARTER");
    let r = run_before_today(&b);
    assert_eq!(held_for(&r, a), [HoldReason::PaidSinceAsAt]);
    assert!(assessment(&r, a).detail.contains("£450.00 on 2026-03-25"));
}

#[test]
fn a_share_of_a_batch_paid_after_the_as_at_date_holds_the_account_it_names() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    let other = behind(&mut b, "RA2002", "Ann Lee", 8);
    // A PayPoint batch: its reference names no account, its schedule does.
    b.bank("B1", "2026-03-25", "600.00", "ALLPAY 250326", "ALLPAY LTD");
    b.share("ALLPAY 250326", "RA2001", "450.00");
    b.share("ALLPAY 250326", "RA9999", "150.00");
    let r = run_before_today(&b);
    assert_eq!(held_for(&r, a), [HoldReason::PaidSinceAsAt]);
    assert!(assessment(&r, a).detail.contains("£450.00 on 2026-03-25"));
    assert!(held_for(&r, other).is_empty());
}

#[test]
fn a_reference_naming_two_accounts_posted_to_one_holds_the_other() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    let other = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RA2001 RA3107", "K PATEL");
    b.payment(other, "2026-03-20", "450.00", Some("B1"));
    let r = run(&b);
    assert_eq!(held_for(&r, a), [HoldReason::ReceiptInSuspense]);
}

#[test]
fn a_refund_debited_to_another_account_by_its_bank_id_is_moved_back() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 1);
    let lee = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B9", "2026-03-20", "-400.00", "RA3107", "A LEE");
    b.debit(a, "2026-03-20", PostingKind::Refund, "400.00", Some("B9"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::WrongAccount, "RA3107".into(), money("400.00"))]
    );
    assert_eq!(r.findings[0].posted_to, Some(a));
    assert_eq!(assessment(&r, a).corrected_balance, money("100.00"));
    assert_eq!(assessment(&r, lee).corrected_balance, money("400.00"));
    assert!(r.totals.ties());
}

#[test]
fn a_payment_processor_having_paid_an_account_before_ties_nothing_to_it() {
    let mut b = Builder::default();
    let lee = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA3107", "ALLPAY LTD");
    b.payment(lee, "2026-03-02", "100.00", Some("B1"));
    b.bank("B2", "2026-03-20", "450.00", "RENT", "ALLPAY LTD");
    b.payment(lee, "2026-03-20", "450.00", None);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![
            (
                FindingKind::UnidentifiedReceipt,
                String::new(),
                money("-450.00")
            ),
            (
                FindingKind::UnbankedCredit,
                "RA3107".into(),
                money("450.00")
            ),
        ]
    );
}

#[test]
fn a_split_receipt_no_reference_claims_belongs_to_whom_its_payer_is() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    let other = b.account("RA3107", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-20", "450.00", "RENT", "JOHN CARTER");
    b.payment(a, "2026-03-20", "50.00", Some("B1"));
    b.payment(other, "2026-03-20", "400.00", Some("B1"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::WrongAccount, "RA2001".into(), money("-400.00"))]
    );
}

#[test]
fn a_direct_debit_returned_because_the_payer_died_holds_for_succession() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.bank("B1", "2026-02-02", "100.00", "RA2001", "J CARTER");
    b.payment(a, "2026-02-02", "100.00", Some("B1"));
    // Returned six weeks before the as-at date: long past the 14 days a
    // return of any other reason holds for.
    b.dd_return_coded("R1", "2026-02-16", "100.00", "B1", "2");
    b.debit(a, "2026-02-16", PostingKind::Reversal, "100.00", Some("R1"));
    let r = run(&b);
    assert_eq!(held_for(&r, a), [HoldReason::PayerDeceased]);
    assert!(assessment(&r, a).holds[0]
        .detail
        .contains("succeeds to the tenancy"));
}

#[test]
fn uc_paid_to_the_tenant_is_no_missing_benefit_run() {
    let mut b = Builder::default();
    let a = behind(&mut b, "RA2001", "John Carter", 8);
    b.with(a, |acc| {
        acc.benefit = Benefit::Uc;
        acc.uc_paid_to = super::super::model::UcPaidTo::Tenant;
    });
    let r = run(&b);
    // No DWP run is due to the landlord, so none is overdue or awaited.
    let held = held_for(&r, a);
    assert!(!held.contains(&HoldReason::BenefitStopped), "{held:?}");
    assert!(!held.contains(&HoldReason::BenefitNotYetPaid), "{held:?}");
    // But UC comes to the tenant monthly in arrears: up to a month's rent
    // since they last paid may wait on it, and without it the 8 weeks
    // owed fall below the 4-week trigger.
    assert_eq!(status_of(&b, &r, "RA2001"), Status::TechnicalArrears);
    let reasons = &assessment(&r, a).reasons;
    assert_eq!(reasons, &[HoldReason::TechnicalArrears.to_string()]);
    let technical = assessment(&r, a).technical_arrears;
    assert_eq!(technical, money("433.33"));
}
