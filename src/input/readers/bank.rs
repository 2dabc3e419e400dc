//! Reading bank.csv: money received and returned, one row per bank line.

use csv::ByteRecord;

use super::{row_line, Stored, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::ids::{RowIds, UniqueIds};
use crate::input::table::Table;
use crate::input::InputErrors;
use crate::recon::model::{BankLine, Method};
use crate::recon::store::lines::LineMap;
use crate::recon::store::text::{Repeats, TextStore};

/// Column positions in the file's `COLUMNS`.
pub(crate) mod col {
    pub const BANK_ID: usize = 0;
    pub const DATE: usize = 1;
    pub const AMOUNT: usize = 2;
    pub const REFERENCE: usize = 3;
    pub const PAYER: usize = 4;
    pub const METHOD: usize = 5;
    pub const RETURN_CODE: usize = 6;
    pub const RETURNED_BANK_ID: usize = 7;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 8];
    c[col::BANK_ID] = required("bank_id");
    c[col::DATE] = required("date").date();
    c[col::AMOUNT] = required("amount").money();
    c[col::REFERENCE] = optional("reference");
    c[col::PAYER] = optional("payer");
    c[col::METHOD] = optional("method");
    c[col::RETURN_CODE] = optional("return_code");
    c[col::RETURNED_BANK_ID] = optional("returned_bank_id");
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));
const _: () = assert!(col::BANK_ID == crate::input::ids::ID_COLUMN);

pub(crate) fn read_bank(
    t: &mut Table,
    unique: &mut UniqueIds,
    errors: &mut InputErrors,
) -> Stored<BankLine> {
    let mut out: Vec<BankLine> = Vec::new();
    let mut text = TextStore::default();
    let mut lines = LineMap::default();
    let mut row_ids = RowIds::of(t);
    let mut repeats = Repeats::for_bytes(t.size());
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        t.size_rows(&mut out, &mut text, &rec);
        let mut r = t.row(&rec, line, errors);
        let bank_id = r.id(col::BANK_ID);
        if let Some(id) = bank_id {
            let (out, text, lines, row_ids) = (&out, &text, &lines, &row_ids);
            unique.check(id, line, &mut r, col::BANK_ID, || {
                row_ids.so_far(lines, out.len(), move |i| {
                    text.get_field(out[i].texts, BankLine::BANK_ID)
                })
            });
        }
        let date = r.date(col::DATE);
        let amount = r.money(col::AMOUNT);
        if amount.is_some_and(|a| a.is_zero()) {
            r.fail(
                col::AMOUNT,
                "expected a non-zero amount (positive received, negative paid out)".to_string(),
            );
        }
        let held = r.held(col::AMOUNT, amount);
        let reference = r.text(col::REFERENCE);
        let payer = r.text(col::PAYER);
        let method = r.opt_word(col::METHOD, Method::from_word, Method::expected);
        let return_code = r.text(col::RETURN_CODE);
        let returned_bank_id = r.text(col::RETURNED_BANK_ID);
        if !r.ok() {
            r.note_money(amount);
            if let Some(id) = bank_id {
                unique.set_aside(id, line);
            }
            continue;
        }
        if let (
            Some(bank_id),
            Some(date),
            Some(amount),
            Some(reference),
            Some(payer),
            Some(method),
            Some(return_code),
            Some(returned_bank_id),
        ) = (
            bank_id,
            date,
            held,
            reference,
            payer,
            method,
            return_code,
            returned_bank_id,
        ) {
            out.push(BankLine {
                texts: text.push_row_shared(
                    &[
                        row_ids.text(out.len(), bank_id),
                        reference,
                        payer,
                        return_code,
                        returned_bank_id,
                    ],
                    &mut repeats,
                ),
                date,
                amount,
                method,
            });
            lines.push(row_line(line));
        }
    }
    (out, text, lines, row_ids.counted)
}
