//! Reading bank.csv: money received and returned, one row per bank line.

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::{row_line, Stored, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::ids::{RowIds, UniqueIds};
use crate::input::row::Row;
use crate::input::table::Table;
use crate::input::InputErrors;
use crate::recon::model::{BankLine, Method};
use crate::recon::store::amount::Amount;
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
        let fields = read_fields(&mut r);
        if !r.ok() {
            r.note_money(fields.amount);
            if let Some(id) = bank_id {
                unique.set_aside(id, line);
            }
            continue;
        }
        if let (Some(bank_id), Some(b)) = (bank_id, fields.checked()) {
            let texts = [
                row_ids.text(out.len(), bank_id),
                b.reference,
                b.payer,
                b.return_code,
                b.returned_bank_id,
            ];
            out.push(BankLine {
                texts: text.push_row_shared(&texts, &mut repeats),
                date: b.date,
                amount: b.amount,
                method: b.method,
            });
            lines.push(row_line(line));
        }
    }
    (out, text, lines, row_ids.counted)
}

/// A bank row's fields past its id, as read: `None` where one failed.
struct Fields<'a> {
    date: Option<NaiveDate>,
    amount: Option<Decimal>,
    held: Option<Amount>,
    reference: Option<&'a str>,
    payer: Option<&'a str>,
    method: Option<Option<Method>>,
    return_code: Option<&'a str>,
    returned_bank_id: Option<&'a str>,
}

/// A good row's fields, ready to become a [`BankLine`].
struct Checked<'a> {
    date: NaiveDate,
    amount: Amount,
    reference: &'a str,
    payer: &'a str,
    method: Option<Method>,
    return_code: &'a str,
    returned_bank_id: &'a str,
}

/// Reads a row's fields in column order (its problems are reported in that
/// order).
#[inline]
fn read_fields<'a>(r: &mut Row<'a>) -> Fields<'a> {
    let date = r.date(col::DATE);
    let amount = r.money(col::AMOUNT);
    if amount.is_some_and(|a| a.is_zero()) {
        r.fail(
            col::AMOUNT,
            "expected a non-zero amount (positive received, negative paid out)".to_string(),
        );
    }
    Fields {
        date,
        amount,
        held: r.held(col::AMOUNT, amount),
        reference: r.text(col::REFERENCE),
        payer: r.text(col::PAYER),
        method: r.opt_word(col::METHOD, Method::from_word, Method::expected),
        return_code: r.text(col::RETURN_CODE),
        returned_bank_id: r.text(col::RETURNED_BANK_ID),
    }
}

impl<'a> Fields<'a> {
    /// Every field, where each was read.
    #[inline]
    fn checked(self) -> Option<Checked<'a>> {
        Some(Checked {
            date: self.date?,
            amount: self.held?,
            reference: self.reference?,
            payer: self.payer?,
            method: self.method?,
            return_code: self.return_code?,
            returned_bank_id: self.returned_bank_id?,
        })
    }
}
