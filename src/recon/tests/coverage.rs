//! What a run cannot see: a file that stops early, data older than the day
//! of service, an as-at date after today, a tenancy over by then. Each is a
//! warning or a hold, never a cleared account.

use super::super::hold::HoldReason;
use super::super::model::AccountId;
use super::super::warning::WarningKind;
use super::*;

/// A weekly £100 account charged every Monday from 5 January 2026 to `to`,
/// paid by bank transfer (on the bank and the ledger) up to `paid_to`.
fn weekly(b: &mut Builder, account_ref: &str, to: &str, paid_to: &str) -> AccountId {
    let a = b.account(account_ref, "Ann Lee", "100.00");
    let mut day = date("2026-01-05");
    let mut n = 0;
    while day <= date(to) {
        b.charge(a, &day.to_string(), "100.00");
        if day <= date(paid_to) {
            n += 1;
            let id = format!("{account_ref}-B{n}");
            b.bank(&id, &day.to_string(), "100.00", account_ref, "ANN LEE");
            b.payment(a, &day.to_string(), "100.00", Some(&id));
        }
        day = day + chrono::Days::new(7);
    }
    a
}

fn kinds(r: &Reconciliation) -> Vec<WarningKind> {
    r.warnings.iter().map(|w| w.kind).collect()
}

fn holds(r: &Reconciliation, id: AccountId) -> Vec<HoldReason> {
    let a = r.assessments.iter().find(|a| a.account == id);
    a.map(|a| a.holds.iter().map(|h| h.reason).collect())
        .unwrap_or_default()
}

fn settings(today: &str) -> Settings {
    Settings {
        today: Some(date(today)),
        check_charges: false,
        ..Settings::default()
    }
}

#[test]
fn a_bank_statement_that_stops_months_before_the_ledger_holds_every_account() {
    let mut b = Builder::default();
    // Paid to 17 August and charged to 30 November: a tenant who stopped
    // paying, nothing missing.
    let a = weekly(&mut b, "RA1001", "2026-11-30", "2026-08-17");
    let r = reconcile(&b.data, settings("2026-12-01"));
    assert_eq!(kinds(&r), []);
    // The ledger shows money received in November: the bank's last line
    // is 105 days before it.
    b.payment(a, "2026-11-30", "100.00", None);
    let r = reconcile(&b.data, settings("2026-12-01"));
    assert_eq!(kinds(&r), [WarningKind::FileEndsEarly]);
    assert!(
        r.warnings[0]
            .message
            .contains("bank.csv's last row is dated 2026-08-17"),
        "{}",
        r.warnings[0].message
    );
    // Held for the gap, beside the credit no bank line shows.
    assert_eq!(
        holds(&r, a),
        [HoldReason::IncompleteData, HoldReason::UnresolvedFinding]
    );
}

#[test]
fn a_few_quiet_days_at_the_bank_are_no_gap() {
    let mut b = Builder::default();
    // The last receipt a week before the last charge (a weekend, a bank
    // holiday, a weekly payer): nothing is missing.
    let a = weekly(&mut b, "RA1001", "2026-11-30", "2026-11-23");
    let r = reconcile(&b.data, settings("2026-12-01"));
    assert_eq!(kinds(&r), []);
    assert!(holds(&r, a).is_empty());
}

#[test]
fn data_that_ends_long_before_the_day_of_service_is_stale() {
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-04-27", "2026-04-27");
    // As at the data's end, the answer does not change with the day it is
    // run on: an old extract replayed gives the same report.
    let r = reconcile(&b.data, settings("2026-12-01"));
    assert_eq!(kinds(&r), []);
    // A day of service far after the data cannot see its arrears.
    let r = reconcile(
        &b.data,
        Settings {
            serve_on: Some(date("2026-12-01")),
            ..settings("2026-12-01")
        },
    );
    assert_eq!(kinds(&r), [WarningKind::StaleData]);
    assert!(r.warnings[0]
        .message
        .contains("218 days before the day of service"));
    assert_eq!(holds(&r, a), [HoldReason::IncompleteData]);
    // A notice served then falls under the law in force then: 13 weeks.
    let threshold = r.assessments[0].statutory.threshold;
    assert_eq!(threshold, Some(money("1300.00")));
}

#[test]
fn an_as_at_date_after_today_is_warned_of() {
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-11-30", "2026-11-30");
    let r = reconcile(
        &b.data,
        Settings {
            as_at: Some(date("2026-12-28")),
            ..settings("2026-12-01")
        },
    );
    assert_eq!(kinds(&r), [WarningKind::AsAtAfterToday]);
    assert_eq!(holds(&r, a), [HoldReason::IncompleteData]);
}

#[test]
fn a_tenancy_over_by_the_day_of_service_or_today_is_a_former_tenancy() {
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-11-30", "2026-08-31");
    b.with(a, |acc| acc.tenancy_end = Some(date("2026-12-05")));
    // As at the data's end, with today before the end: still a tenant.
    let r = reconcile(&b.data, settings("2026-12-01"));
    assert!(!holds(&r, a).contains(&HoldReason::FormerTenant));
    // Today is after the end.
    let r = reconcile(&b.data, settings("2026-12-08"));
    assert!(holds(&r, a).contains(&HoldReason::FormerTenant));
    // A notice to be served after the end.
    let r = reconcile(
        &b.data,
        Settings {
            serve_on: Some(date("2026-12-14")),
            ..settings("2026-12-01")
        },
    );
    assert!(holds(&r, a).contains(&HoldReason::FormerTenant));
}

#[test]
fn a_licence_or_an_other_tenancy_is_never_cleared_for_a_nosp() {
    use super::super::model::TenancyType;
    for kind in [TenancyType::Licence, TenancyType::Other] {
        let mut b = Builder::default();
        let a = weekly(&mut b, "RA1001", "2026-03-30", "2026-01-05");
        b.with(a, |acc| acc.tenancy_type = kind);
        let r = reconcile(&b.data, settings("2026-03-31"));
        assert!(
            holds(&r, a).contains(&HoldReason::NotANospTenancy),
            "{kind:?}: {:?}",
            holds(&r, a)
        );
        assert_eq!(r.assessments[0].status, Status::ProtocolHold);
    }
}

#[test]
fn money_since_the_as_at_date_on_the_ledger_or_from_the_tenant_by_name_holds() {
    let since = |b: &Builder| {
        reconcile(
            &b.data,
            Settings {
                as_at: Some(date("2026-03-16")),
                ..settings("2026-03-31")
            },
        )
    };
    // Posted to the account after the as-at date, whatever its reference.
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-03-30", "2026-02-02");
    b.bank("X1", "2026-03-25", "1000.00", "RENT", "B BEE");
    b.payment(a, "2026-03-26", "1000.00", Some("X1"));
    let r = since(&b);
    assert_eq!(holds(&r, a), [HoldReason::PaidSinceAsAt]);
    let said = &r.assessments[0].holds[0].detail;
    assert!(
        said.contains("£1,000.00 on 2026-03-26, posted to the account"),
        "{said}"
    );
    // From the tenant by full name, quoting no reference.
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-03-30", "2026-02-02");
    b.bank("X1", "2026-03-25", "1000.00", "RENT NOV", "ANN LEE");
    let r = since(&b);
    assert_eq!(holds(&r, a), [HoldReason::PaidSinceAsAt]);
    // Both: the money is counted once.
    b.payment(a, "2026-03-26", "1000.00", Some("X1"));
    let r = since(&b);
    let said = &r.assessments[0].holds[0].detail;
    assert_eq!(said.matches("£1,000.00").count(), 1, "{said}");
}

#[test]
fn benefit_credited_to_an_account_flagged_without_it_holds_the_account() {
    let mut b = Builder::default();
    let a = weekly(&mut b, "RA1001", "2026-03-30", "2026-01-05");
    let flagged = weekly(&mut b, "RA1002", "2026-03-30", "2026-01-05");
    b.with(flagged, |acc| acc.benefit = model::Benefit::Hb);
    for id in [a, flagged] {
        b.debit(
            id,
            "2026-03-02",
            model::PostingKind::Benefit,
            "-400.00",
            None,
        );
    }
    let r = reconcile(&b.data, settings("2026-04-01"));
    let w = (r.warnings.iter()).find(|w| w.kind == WarningKind::BenefitNotFlagged);
    let w = w.expect("benefit_not_flagged");
    assert!(w.concerns(a) && !w.concerns(flagged));
    assert!(holds(&r, a).contains(&HoldReason::IncompleteData));
}
