//! Reading schedules.csv: benefit payments as their schedules share them
//! out between accounts.

use csv::ByteRecord;

use super::{row_line, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::row::Row;
use crate::input::table::Table;
use crate::input::{InputError, InputErrors};
use crate::recon::model::{RowRef, ScheduleShare, SourceFile, Text};

/// Column positions in the file's `COLUMNS`.
pub(crate) mod col {
    pub const BATCH_REF: usize = 0;
    pub const ACCOUNT_REF: usize = 1;
    pub const CLAIM_REF: usize = 2;
    pub const AMOUNT: usize = 3;
    pub const PERIOD_START: usize = 4;
    pub const PERIOD_END: usize = 5;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 6];
    c[col::BATCH_REF] = required("batch_ref");
    c[col::ACCOUNT_REF] = optional("account_ref");
    c[col::CLAIM_REF] = optional("claim_ref");
    c[col::AMOUNT] = required("amount").money();
    c[col::PERIOD_START] = optional("period_start").date();
    c[col::PERIOD_END] = optional("period_end").date();
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));

pub(crate) fn read_schedules(t: &mut Table, errors: &mut InputErrors) -> Vec<ScheduleShare> {
    if !t.has(col::ACCOUNT_REF) && !t.has(col::CLAIM_REF) {
        errors.push(InputError {
            file: t.name.clone(),
            line: Some(1),
            column: None,
            message: "missing required column `account_ref` or `claim_ref` (at least one must be present)".to_string(),
        });
        return Vec::new();
    }
    // Where a row that names no account is faulted.
    let ref_col = if t.has(col::ACCOUNT_REF) {
        col::ACCOUNT_REF
    } else {
        col::CLAIM_REF
    };
    let mut out = Vec::new();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        if let Some(share) = share_of(&mut r, ref_col, line) {
            out.push(share);
        }
    }
    out
}

/// One row's share, or `None` where a field failed (the row then fails,
/// its money noted for the reject).
#[inline]
fn share_of(r: &mut Row<'_>, ref_col: usize, line: u64) -> Option<ScheduleShare> {
    let batch_ref = r.id(col::BATCH_REF).map(Text::from);
    let account_ref = r.opt_text(col::ACCOUNT_REF);
    let claim_ref = r.opt_text(col::CLAIM_REF);
    if matches!((&account_ref, &claim_ref), (Some(None), Some(None))) {
        r.fail(
            ref_col,
            "expected an account_ref or a claim_ref, found neither".to_string(),
        );
    }
    let amount = r.money(col::AMOUNT);
    // A negative share is money taken back out of the run: an HB
    // overpayment recovered (a clawback).
    if amount.is_some_and(|a| a.is_zero()) {
        r.fail(col::AMOUNT, "expected a share other than zero".to_string());
    }
    let held = r.held(col::AMOUNT, amount);
    let period_start = r.opt_date(col::PERIOD_START);
    let period_end = r.opt_date(col::PERIOD_END);
    if !r.ok() {
        r.note_money(amount);
        return None;
    }
    Some(ScheduleShare {
        batch_ref: batch_ref?,
        account_ref: account_ref?,
        claim_ref: claim_ref?,
        amount: held?,
        period_start: period_start?,
        period_end: period_end?,
        row: RowRef {
            file: SourceFile::Schedules,
            line: row_line(line),
        },
    })
}
