//! Corrections the ledger makes under other charge types than the rules
//! expect: a return or refund put through as an `adjustment`, a transfer
//! journal, a reversal and re-post.

use super::super::hold::HoldReason;
use super::super::model::AccountId;
use super::*;

/// The findings as (kind, account, amount).
fn found(r: &Reconciliation) -> Vec<(FindingKind, Option<AccountId>, Decimal)> {
    (r.findings.iter())
        .map(|f| (f.kind, f.account, f.amount))
        .collect()
}

/// A tenant paying £100 by Direct Debit on 2 March, returned on 5 March.
fn returned(b: &mut Builder) -> AccountId {
    let a = b.account("RA1", "Dora Adj", "100.00");
    b.bank("D1", "2026-03-02", "100.00", "RA1", "DORA ADJ");
    b.payment(a, "2026-03-02", "100.00", Some("D1"));
    b.dd_return("R1", "2026-03-05", "100.00", "D1");
    a
}

#[test]
fn an_adjustment_naming_a_return_reverses_it() {
    let mut b = Builder::default();
    let a = returned(&mut b);
    b.debit(
        a,
        "2026-03-06",
        PostingKind::Adjustment,
        "100.00",
        Some("R1"),
    );
    let r = run(&b);
    assert_eq!(found(&r), []);
    assert!(r.totals.ties());
}

#[test]
fn an_adjustment_naming_a_refund_is_the_refund() {
    let mut b = Builder::default();
    let a = b.account("RA2", "Ray Fund", "100.00");
    b.with(a, |acc| acc.opening_balance = money("-250.00"));
    b.bank("RF1", "2026-03-03", "-250.00", "REFUND RA2", "RAY FUND");
    b.debit(
        a,
        "2026-03-02",
        PostingKind::Adjustment,
        "250.00",
        Some("RF1"),
    );
    let r = run(&b);
    assert_eq!(found(&r), []);
}

#[test]
fn an_adjustment_of_another_sum_or_account_does_not_reverse_a_return() {
    let mut b = Builder::default();
    let a = returned(&mut b);
    let other = b.account("RA9", "Other Tenant", "100.00");
    // Names the return, but not its sum; names it, but on another account.
    b.debit(
        a,
        "2026-03-06",
        PostingKind::Adjustment,
        "10.00",
        Some("R1"),
    );
    b.debit(
        other,
        "2026-03-06",
        PostingKind::Adjustment,
        "100.00",
        Some("R1"),
    );
    // The right sum on the right account, naming nothing: a charge-like
    // debit, never paired on amount and date alone.
    b.debit(a, "2026-03-06", PostingKind::Adjustment, "100.00", None);
    let r = run(&b);
    let unreversed = FindingKind::UnreversedReturn;
    assert_eq!(found(&r), [(unreversed, Some(a), money("100.00"))]);
}

/// Gives posting `p` a bank ref and a description, as a ledger row has.
fn described(b: &mut Builder, p: usize, bank_ref: &str, description: &str) {
    let texts = b.data.postings[p].texts;
    let held = b.data.ledger_text.get_field(texts, 0).to_string();
    let row = [held.as_str(), bank_ref, description];
    b.data.postings[p].texts = b.data.ledger_text.push_row(&row);
}

/// John's two £100 standing orders posted to Jane's account, then a
/// same-day pair of £200 adjustments from Jane's to John's with the
/// descriptions given: (John, Jane, the debit, the credit).
fn misposted(b: &mut Builder, out: &str, back: &str) -> (AccountId, AccountId) {
    let john = b.account("012001", "John Smith", "100.00");
    let jane = b.account("012002", "Jane Smith", "100.00");
    for (i, d) in ["2026-03-02", "2026-03-09"].iter().enumerate() {
        let id = format!("J{i}");
        b.bank(&id, d, "100.00", "SMITH 012001", "J SMITH");
        b.payment(jane, d, "100.00", None);
    }
    let p = b.debit(jane, "2026-03-12", PostingKind::Adjustment, "200.00", None);
    described(b, p, "", out);
    let p = b.adjustment_credit(john, "2026-03-12", "200.00");
    described(b, p, "", back);
    (john, jane)
}

fn holds_of(r: &Reconciliation, id: AccountId) -> Vec<HoldReason> {
    let a = r.assessments.iter().find(|a| a.account == id);
    a.map(|a| a.holds.iter().map(|h| h.reason).collect())
        .unwrap_or_default()
}

#[test]
fn a_journal_that_says_it_is_the_transfer_settles_the_wrong_account_findings() {
    for (out, back) in [
        ("Transfer to 012001 - misposted SO", "Transfer from 012002"),
        ("012001", ""),
        ("", "JNL"),
        ("Mis-posted payment", "Re-allocated"),
    ] {
        let mut b = Builder::default();
        let (john, jane) = misposted(&mut b, out, back);
        let r = run(&b);
        let wrong = FindingKind::WrongAccount;
        let settled = (wrong, Some(john), Decimal::ZERO);
        assert_eq!(found(&r), [settled, settled], "{out:?} {back:?}");
        assert!(r.findings[0].detail.contains("already put it right"));
        for id in [john, jane] {
            assert!(!holds_of(&r, id).contains(&HoldReason::UnresolvedFinding));
        }
    }
}

#[test]
fn a_journal_of_the_shape_alone_leaves_the_findings_and_holds_both_accounts() {
    let mut b = Builder::default();
    let (john, jane) = misposted(&mut b, "Rent adjustment", "Rent adjustment");
    let r = run(&b);
    let wrong = (FindingKind::WrongAccount, Some(john), money("-100.00"));
    assert_eq!(found(&r), [wrong, wrong]);
    for f in &r.findings {
        assert!(f.detail.contains("nothing on it says it is this money"));
        assert!(f.detail.contains("T002 and T003"), "{}", f.detail);
        assert_eq!(f.evidence.len(), 4);
    }
    for id in [john, jane] {
        assert!(holds_of(&r, id).contains(&HoldReason::UnresolvedFinding));
    }
}

#[test]
fn a_credit_whose_money_the_bank_shows_just_after_the_as_at_date_is_matched() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Dee Dee", "100.00");
    // Collected on the as-at date, the bank's value date two days on.
    let p = b.payment(a, "2026-03-30", "100.00", None);
    b.bank("B1", "2026-04-01", "100.00", "RA1", "DEE DEE");
    let r = run(&b);
    assert_eq!(found(&r), []);
    assert_eq!(r.matching.credit_outcomes[p], Some(Outcome::Matched));
    assert!(r.totals.ties());
}

#[test]
fn money_after_the_as_at_date_beyond_the_lead_or_for_another_is_not_the_credits() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Dee Dee", "100.00");
    b.account("RA2", "Other Tenant", "100.00");
    b.payment(a, "2026-03-27", "100.00", None);
    b.payment(a, "2026-03-31", "100.00", None);
    // Five days after the first; the other's reference names RA2.
    b.bank("B1", "2026-04-01", "100.00", "RA2", "OTHER TENANT");
    b.bank("B2", "2026-04-01", "100.00", "", "");
    b.bank("B3", "2026-04-05", "100.00", "RA1", "DEE DEE");
    let r = run(&b);
    let unbanked = (FindingKind::UnbankedCredit, Some(a), money("100.00"));
    assert_eq!(found(&r), [unbanked, unbanked]);
}

#[test]
fn a_settlement_over_a_weekend_is_within_the_lead_in_working_days() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Pat Point", "100.00");
    let c = b.account("RA2", "Sam Point", "100.00");
    // PayPoint payments on Fridays, settled on the Tuesdays after.
    for (paid, settled) in [("2026-01-09", "2026-01-13"), ("2026-01-16", "2026-01-20")] {
        let batch = format!("PP{}", settled.replace('-', ""));
        b.bank(&batch, settled, "200.00", &batch, "PAYPOINT NETWORK");
        for (id, acc) in [(a, "RA1"), (c, "RA2")] {
            b.share(&batch, acc, "100.00");
            b.payment(id, paid, "100.00", None);
        }
    }
    let r = run(&b);
    assert_eq!(found(&r), []);
    assert!(r.totals.ties());
}

#[test]
fn a_standing_order_four_days_after_its_posting_is_not_within_the_lead() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Stan Ding", "100.00");
    b.payment(a, "2026-01-09", "100.00", None);
    b.bank("B1", "2026-01-13", "100.00", "RA1", "STAN DING");
    let r = run(&b);
    let kinds: Vec<FindingKind> = r.findings.iter().map(|f| f.kind).collect();
    let (unposted, unbanked) = (FindingKind::UnpostedReceipt, FindingKind::UnbankedCredit);
    assert_eq!(kinds, [unbanked, unposted]);
}

#[test]
fn a_receipt_cleared_from_suspense_by_an_adjustment_naming_it_is_posted() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Kim Park", "100.00");
    let other = b.account("RA2", "Lee Moss", "100.00");
    b.bank("K1", "2026-03-02", "100.00", "RA1", "KIM PARK");
    b.bank("K2", "2026-03-03", "100.00", "RENT", "KIM PARK");
    b.bank("K3", "2026-03-04", "100.00", "RA1", "KIM PARK");
    let cleared = b.adjustment_credit(a, "2026-03-20", "100.00");
    described(&mut b, cleared, "K1", "Cleared from suspense");
    let cleared = b.adjustment_credit(a, "2026-03-20", "100.00");
    described(&mut b, cleared, "K2", "Cleared from suspense");
    // Named, but on an account the reference does not name: not linked.
    let elsewhere = b.adjustment_credit(other, "2026-03-20", "100.00");
    described(&mut b, elsewhere, "K3", "Cleared from suspense");
    let r = run(&b);
    let got: Vec<(FindingKind, Option<AccountId>)> =
        r.findings.iter().map(|f| (f.kind, f.account)).collect();
    let late = FindingKind::LatePosting;
    assert_eq!(
        got,
        [
            (late, Some(a)),
            (late, Some(a)),
            (FindingKind::UnpostedReceipt, Some(a))
        ]
    );
    assert_eq!(
        r.matching.credit_outcomes[elsewhere],
        Some(Outcome::NonCash)
    );
    assert!(r.totals.ties());
}
