//! What `generate` planted, written to truth.json: every finding, each
//! account's balances and each fail-safe hold, for the reconciliation to
//! be held to exactly.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::recon::money::plain;

#[derive(Serialize)]
pub(super) struct Planted {
    pub(super) kind: &'static str,
    pub(super) account_ref: String,
    pub(super) posted_to: String,
    pub(super) bank_id: String,
    pub(super) txn_ids: Vec<String>,
    pub(super) amount: String,
}

impl Planted {
    /// A credit on `account_ref` with no money behind it.
    pub(super) fn unbanked(account_ref: &str, txn_id: String, amount: Decimal) -> Planted {
        Planted {
            kind: "unbanked_credit",
            account_ref: account_ref.to_string(),
            posted_to: String::new(),
            bank_id: String::new(),
            txn_ids: vec![txn_id],
            amount: plain(amount),
        }
    }
}

impl Planted {
    /// A charge at the old rent after the April increase.
    pub(super) fn late_increase(account_ref: &str, txn_id: String) -> Planted {
        Planted {
            kind: "irregular_charge",
            account_ref: account_ref.to_string(),
            posted_to: String::new(),
            bank_id: String::new(),
            txn_ids: vec![txn_id],
            amount: "0.00".to_string(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct AccountTruth {
    pub(super) account_ref: String,
    pub(super) posted_balance: String,
    pub(super) corrected_balance: String,
}

#[derive(Serialize)]
pub(super) struct Truth {
    pub(super) seed: u64,
    pub(super) accounts: usize,
    pub(super) months: u32,
    pub(super) as_at: String,
    pub(super) findings: Vec<Planted>,
    pub(super) balances: Vec<AccountTruth>,
    /// The fail-safe holds the data plants (receipt_in_suspense,
    /// payer_conflict, benefit_not_yet_paid, benefit_stopped, and from
    /// cases.csv breathing_space, court_order, nosp_in_force,
    /// arrangement_kept), by account.
    pub(super) holds: Vec<HoldTruth>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct HoldTruth {
    pub(super) account_ref: String,
    pub(super) reason: &'static str,
}

/// A Housing Benefit account's fail-safe hold, as the rules give it: no run
/// yet and the first not overdue (35 days from the claim, 7 days' grace),
/// or the last run more than a cycle and the grace ago.
pub(super) fn benefit_hold(
    opening: NaiveDate,
    paid: &[NaiveDate],
    end: NaiveDate,
) -> Option<&'static str> {
    let days = |from: NaiveDate| (end - from).num_days();
    match paid.last() {
        None if days(opening) > 35 + 7 => Some("benefit_stopped"),
        None => Some("benefit_not_yet_paid"),
        Some(&last) if days(last) > 28 + 7 => Some("benefit_stopped"),
        Some(_) => None,
    }
}
