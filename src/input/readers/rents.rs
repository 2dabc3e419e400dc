//! Reading rents.csv: the rent in force on each account over time.

use rustc_hash::FxHashMap as HashMap;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::{row_line, UNSET};
use crate::input::columns::{required, Column};
use crate::input::ids::AccountIds;
use crate::input::table::Table;
use crate::input::InputErrors;
use crate::recon::model::AccountId;
use crate::recon::model::{RentChange, RowRef, SourceFile};

/// Column positions in the file's `COLUMNS`.
pub(crate) mod col {
    pub const ACCOUNT_REF: usize = 0;
    pub const FROM: usize = 1;
    pub const RENT: usize = 2;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 3];
    c[col::ACCOUNT_REF] = required("account_ref");
    c[col::FROM] = required("from").date();
    c[col::RENT] = required("rent").money();
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));

/// The rent in force over time: one row per change, sorted by account and
/// date. Two rents from one day on one account contradict each other.
pub(crate) fn read_rents(
    t: &mut Table,
    ids: &AccountIds,
    accounts_read: bool,
    errors: &mut InputErrors,
) -> Vec<RentChange> {
    let mut out: Vec<RentChange> = Vec::new();
    let mut seen: HashMap<(AccountId, chrono::NaiveDate), u64> = HashMap::default();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let account = ids.of(&mut r, col::ACCOUNT_REF, accounts_read);
        let from = r.date(col::FROM);
        let rent = r.money(col::RENT);
        if rent.is_some_and(|x| x <= Decimal::ZERO) {
            r.fail(col::RENT, "expected a positive rent".to_string());
        }
        if let (Some(a), Some(d)) = (account, from) {
            if let Some(first) = seen.insert((a, d), line) {
                r.fail(
                    col::FROM,
                    format!(
                        "a second rent from {d} for this account (the first is on line {first})"
                    ),
                );
            }
        }
        if !r.ok() {
            continue;
        }
        if let (Some(account), Some(from), Some(rent)) = (account, from, rent) {
            out.push(RentChange {
                account,
                from,
                rent,
                row: RowRef {
                    file: SourceFile::Rents,
                    line: row_line(line),
                },
            });
        }
    }
    out.sort_by_key(|c| (c.account, c.from));
    out
}
