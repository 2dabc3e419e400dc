//! Reading cases.csv, the case around each account: one row per event
//! (an arrangement, a NOSP served, a court order, a Breathing Space
//! moratorium, a contact, a benefit referral), checked row by row.

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::{row_line, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::ids::AccountIds;
use crate::input::table::Table;
use crate::input::InputErrors;
use crate::recon::case::{CaseEvent, CaseKind};
use crate::recon::model::{RowRef, SourceFile};

/// Column positions in [`COLUMNS`].
pub(crate) mod col {
    pub const ACCOUNT_REF: usize = 0;
    pub const KIND: usize = 1;
    pub const FROM: usize = 2;
    pub const TO: usize = 3;
    pub const AMOUNT: usize = 4;
    pub const NOTE: usize = 5;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 6];
    c[col::ACCOUNT_REF] = required("account_ref");
    c[col::KIND] = required("kind");
    c[col::FROM] = required("from").date();
    c[col::TO] = optional("to").date();
    c[col::AMOUNT] = optional("amount").money();
    c[col::NOTE] = optional("note");
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));

/// Every event, sorted by account, date and line. An arrangement needs the
/// amount agreed; an event cannot end before it begins.
pub(crate) fn read_cases(
    t: &mut Table,
    ids: &AccountIds,
    accounts_read: bool,
    errors: &mut InputErrors,
) -> Vec<CaseEvent> {
    let mut out: Vec<CaseEvent> = Vec::new();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let account = ids.of(&mut r, col::ACCOUNT_REF, accounts_read);
        let kind = r.word(col::KIND, CaseKind::from_word, CaseKind::expected);
        let from = r.date(col::FROM);
        let to = r.opt_date(col::TO);
        let amount = r.opt_money(col::AMOUNT);
        let note = r.opt_text(col::NOTE);
        if let (Some(from), Some(Some(to))) = (from, to) {
            if to < from {
                r.fail(col::TO, format!("expected a date on or after {from}"));
            }
        }
        if amount.flatten().is_some_and(|a| a < Decimal::ZERO) {
            r.fail(
                col::AMOUNT,
                "expected an amount of zero or more".to_string(),
            );
        }
        let needs_amount = kind == Some(CaseKind::Arrangement);
        if needs_amount && amount.is_some_and(|a| a.is_none_or(|a| a.is_zero())) {
            r.fail(
                col::AMOUNT,
                "an arrangement needs the amount agreed per rent period".to_string(),
            );
        }
        if !r.ok() {
            continue;
        }
        if let (Some(account), Some(kind), Some(from), Some(to), Some(amount), Some(note)) =
            (account, kind, from, to, amount, note)
        {
            out.push(CaseEvent {
                account,
                kind,
                from,
                to,
                amount,
                note,
                row: RowRef {
                    file: SourceFile::Cases,
                    line: row_line(line),
                },
            });
        }
    }
    out.sort_by_key(|e| (e.account, e.from, e.row.line));
    out
}
