//! `diff --format csv`: one row per finding new, resolved or still open and
//! per account whose status changed (or that came or went), with a
//! `change` column saying which; every cell made safe to open in a
//! spreadsheet.

use std::io::{self, Write};

use rust_decimal::Decimal;

use super::compare::{Diff, FindingChange};
use super::parse::Account;
use crate::escape;
use crate::recon::money::plain;

pub const COLUMNS: [&str; 17] = [
    "change",
    "severity",
    "kind",
    "account_ref",
    "tenant_name",
    "posted_to",
    "bank_id",
    "txn_ids",
    "amount",
    "amount_then",
    "status_then",
    "status_now",
    "corrected_then",
    "corrected_now",
    "evidence",
    "detail",
    "key",
];

/// A finding's row: `amount_then` only on one still open.
fn finding_row(c: &FindingChange) -> [String; 17] {
    let f = &c.finding;
    [
        c.change.as_str().to_string(),
        f.severity.to_string(),
        f.kind.clone(),
        f.account_ref.clone(),
        String::new(),
        f.posted_to.clone(),
        f.bank_id.clone(),
        f.txn_ids.join(";"),
        plain(f.amount),
        c.amount_then.map(plain).unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        f.evidence.join(";"),
        f.detail.clone(),
        c.key.text(),
    ]
}

/// An account's status then and now, with its corrected balance.
type Standing<'a> = Option<(&'a str, Decimal)>;

/// An account's row: a status changed, or (`then` or `now` absent) an
/// account that came or went, its status then or now left empty.
fn account_row(account_ref: &str, tenant: &str, then: Standing, now: Standing) -> [String; 17] {
    let status = |s: Standing| s.map(|(s, _)| s.to_string()).unwrap_or_default();
    let corrected = |s: Standing| s.map(|(_, c)| plain(c)).unwrap_or_default();
    [
        "status".to_string(),
        String::new(),
        String::new(),
        account_ref.to_string(),
        tenant.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        status(then),
        status(now),
        corrected(then),
        corrected(now),
        String::new(),
        String::new(),
        String::new(),
    ]
}

fn standing(a: &Account) -> Standing<'_> {
    Some((a.status.as_str(), a.corrected_balance))
}

pub(super) fn write(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let findings = (diff.new.iter())
        .chain(&diff.resolved)
        .chain(&diff.open)
        .map(finding_row);
    let changed = diff.changed.iter().map(|c| {
        account_row(
            &c.account_ref,
            &c.tenant_name,
            Some((&c.status_then, c.corrected_then)),
            Some((&c.status_now, c.corrected_now)),
        )
    });
    let came = (diff.accounts_new.iter())
        .map(|a| account_row(&a.account_ref, &a.tenant_name, None, standing(a)));
    let went = (diff.accounts_gone.iter())
        .map(|a| account_row(&a.account_ref, &a.tenant_name, standing(a), None));
    for row in findings.chain(changed).chain(came).chain(went) {
        w.write_record(row.iter().map(|c| escape::spreadsheet(c).into_owned()))?;
    }
    w.flush()
}
