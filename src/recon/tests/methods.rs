//! What a ledger row is comes from its kind: a method of `other`, or a bank
//! ref the statement lacks, must not hide a reversal, refund or benefit
//! credit from the pass that needs it.

use super::super::model::{Benefit, Method};
use super::super::warning::WarningKind;
use super::*;

/// £20 paid ahead, so that a £20 refund is the tenant's money.
fn in_credit(b: &mut Builder, a: super::super::model::AccountId) {
    b.bank("B0", "2026-03-01", "20.00", "RA1", "A LEE");
    b.payment(a, "2026-03-01", "20.00", Some("B0"));
}

#[test]
fn a_reversal_with_method_other_is_still_seen_as_a_reversal() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    // No return behind it: with method `other` it was never reported.
    let p = b.debit(a, "2026-03-10", PostingKind::Reversal, "30.00", None);
    b.data.postings[p].method = Some(Method::Other);
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(
            FindingKind::ReversalWithoutReturn,
            "RA1".into(),
            money("-30.00")
        )]
    );
}

#[test]
fn a_return_pairs_with_a_reversal_of_method_other() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    b.dd_return("R1", "2026-03-06", "100.00", "B1");
    let p = b.debit(a, "2026-03-07", PostingKind::Reversal, "100.00", None);
    b.data.postings[p].method = Some(Method::Other);
    let r = run(&b);
    assert_eq!(kinds(&b, &r), vec![]);
}

#[test]
fn a_refund_with_method_other_pairs_with_its_money() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    in_credit(&mut b, a);
    b.bank("B2", "2026-03-12", "-20.00", "REFUND RA1", "A LEE");
    let p = b.debit(a, "2026-03-12", PostingKind::Refund, "20.00", None);
    b.data.postings[p].method = Some(Method::Other);
    let r = run(&b);
    assert_eq!(kinds(&b, &r), vec![]);
}

#[test]
fn a_bank_ref_on_no_bank_line_is_unknown_not_a_block() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    b.dd_return("R1", "2026-03-06", "100.00", "B1");
    // Its ref names no line: matched to R1 by account and amount, where it
    // was left as a reversal without a return beside an unreversed return.
    b.debit(a, "2026-03-07", PostingKind::Reversal, "100.00", Some("R9"));
    in_credit(&mut b, a);
    b.bank("B2", "2026-03-12", "-20.00", "REFUND RA1", "A LEE");
    b.debit(a, "2026-03-12", PostingKind::Refund, "20.00", Some("NOPE"));
    let r = run(&b);
    assert_eq!(kinds(&b, &r), vec![]);
    let w: Vec<&Warning> = (r.warnings.iter())
        .filter(|w| w.kind == WarningKind::UnknownBankRef)
        .collect();
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert!(
        w[0].message
            .starts_with("2 ledger reversals or refunds name"),
        "{}",
        w[0].message
    );
    assert!(w[0].message.contains("\"R9\""), "{}", w[0].message);
    assert!(w[0].concerns(a), "the account is held, never cleared");
}

#[test]
fn a_bank_ref_on_a_line_still_links_by_it_alone() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    let c = b.account("RA2", "Cy Dunn", "100.00");
    b.bank("B1", "2026-03-02", "100.00", "RA1", "A LEE");
    b.payment(a, "2026-03-02", "100.00", Some("B1"));
    b.dd_return("R1", "2026-03-06", "100.00", "B1");
    // Reversed on the wrong account, naming the return: found by its ref.
    b.debit(c, "2026-03-07", PostingKind::Reversal, "100.00", Some("R1"));
    let r = run(&b);
    assert_eq!(
        kinds(&b, &r),
        vec![(FindingKind::WrongAccount, "RA1".into(), money("100.00"))]
    );
    assert!(r
        .warnings
        .iter()
        .all(|w| w.kind != WarningKind::UnknownBankRef));
}

#[test]
fn a_benefit_credit_with_method_other_on_an_hb_account_is_a_rebate() {
    let mut b = Builder::default();
    let a = b.account("RA1", "Ann Lee", "100.00");
    b.with(a, |acc| acc.benefit = Benefit::Hb);
    let p = b.debit(a, "2026-03-02", PostingKind::Benefit, "-50.00", None);
    b.data.postings[p].method = Some(Method::Other);
    let q = &b.data.postings[p];
    assert!(q.is_hb_rebate(b.data.account(a)));
    b.data.postings[p].method = Some(Method::Uc);
    assert!(!b.data.postings[p].is_hb_rebate(b.data.account(a)));
}
