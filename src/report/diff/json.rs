//! `diff --format json`: one object, documented in docs/diff.md. Money is
//! written as text (`-412.50`), as the report it reads writes it.

use std::io::{self, Write};

use serde::Serialize;

use super::compare::{Diff, FindingChange, Side, StatusChange, Suspense};
use super::parse::{Account, Input};
use crate::recon::money::plain;

#[derive(Serialize)]
struct Run<'a> {
    file: &'a str,
    tool: &'a str,
    as_at: String,
    inputs: &'a [Input],
    findings: usize,
    accounts: usize,
}

impl<'a> Run<'a> {
    fn of(s: &'a Side) -> Self {
        Run {
            file: &s.file,
            tool: &s.tool,
            as_at: s.as_at.to_string(),
            inputs: &s.inputs,
            findings: s.findings,
            accounts: s.accounts,
        }
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    key: String,
    kind: &'a str,
    severity: &'static str,
    account_ref: &'a str,
    posted_to: &'a str,
    bank_id: &'a str,
    txn_ids: &'a [String],
    amount: String,
    /// Last month's amount: on a finding still open only.
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_then: Option<String>,
    evidence: &'a [String],
    detail: &'a str,
}

impl<'a> FindingOut<'a> {
    fn of(c: &'a FindingChange) -> Self {
        let f = &c.finding;
        FindingOut {
            key: c.key.text(),
            kind: &f.kind,
            severity: f.severity.as_str(),
            account_ref: &f.account_ref,
            posted_to: &f.posted_to,
            bank_id: &f.bank_id,
            txn_ids: &f.txn_ids,
            amount: plain(f.amount),
            amount_then: c.amount_then.map(plain),
            evidence: &f.evidence,
            detail: &f.detail,
        }
    }
}

#[derive(Serialize)]
struct Findings<'a> {
    new: Vec<FindingOut<'a>>,
    resolved: Vec<FindingOut<'a>>,
    open: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct Changed<'a> {
    account_ref: &'a str,
    tenant_name: &'a str,
    status_then: &'a str,
    status_now: &'a str,
    corrected_then: String,
    corrected_now: String,
}

impl<'a> Changed<'a> {
    fn of(c: &'a StatusChange) -> Self {
        Changed {
            account_ref: &c.account_ref,
            tenant_name: &c.tenant_name,
            status_then: &c.status_then,
            status_now: &c.status_now,
            corrected_then: plain(c.corrected_then),
            corrected_now: plain(c.corrected_now),
        }
    }
}

#[derive(Serialize)]
struct AccountOut<'a> {
    account_ref: &'a str,
    tenant_name: &'a str,
    status: &'a str,
    posted_balance: String,
    corrected_balance: String,
}

impl<'a> AccountOut<'a> {
    fn of(a: &'a Account) -> Self {
        AccountOut {
            account_ref: &a.account_ref,
            tenant_name: &a.tenant_name,
            status: &a.status,
            posted_balance: plain(a.posted_balance),
            corrected_balance: plain(a.corrected_balance),
        }
    }
}

#[derive(Serialize)]
struct Accounts<'a> {
    changed: Vec<Changed<'a>>,
    new: Vec<AccountOut<'a>>,
    gone: Vec<AccountOut<'a>>,
}

#[derive(Serialize)]
struct SuspenseOut {
    receipts: usize,
    amount: String,
}

impl SuspenseOut {
    fn of(s: Suspense) -> Self {
        SuspenseOut {
            receipts: s.receipts,
            amount: plain(s.amount),
        }
    }
}

#[derive(Serialize)]
struct Then<T> {
    then: T,
    now: T,
}

#[derive(Serialize)]
struct Kind<'a> {
    kind: &'a str,
    then: usize,
    now: usize,
    money_then: String,
    money_now: String,
}

#[derive(Serialize)]
struct Document<'a> {
    last: Run<'a>,
    this: Run<'a>,
    warnings: &'a [String],
    /// Whether nothing an officer acts on changed.
    unchanged: bool,
    findings: Findings<'a>,
    accounts: Accounts<'a>,
    suspense: Then<SuspenseOut>,
    by_kind: Vec<Kind<'a>>,
}

fn list(v: &[FindingChange]) -> Vec<FindingOut<'_>> {
    v.iter().map(FindingOut::of).collect()
}

pub(super) fn write(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        last: Run::of(&diff.last),
        this: Run::of(&diff.this),
        warnings: &diff.warnings,
        unchanged: diff.unchanged(),
        findings: Findings {
            new: list(&diff.new),
            resolved: list(&diff.resolved),
            open: list(&diff.open),
        },
        accounts: Accounts {
            changed: diff.changed.iter().map(Changed::of).collect(),
            new: diff.accounts_new.iter().map(AccountOut::of).collect(),
            gone: diff.accounts_gone.iter().map(AccountOut::of).collect(),
        },
        suspense: Then {
            then: SuspenseOut::of(diff.suspense_then),
            now: SuspenseOut::of(diff.suspense_now),
        },
        by_kind: (diff.by_kind.iter())
            .map(|k| Kind {
                kind: &k.kind,
                then: k.then,
                now: k.now,
                money_then: plain(k.money_then),
                money_now: plain(k.money_now),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
