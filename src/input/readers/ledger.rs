//! Reading ledger.csv: the rent account's postings, each checked against
//! its account and for a side that agrees with its kind.

use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;

use super::{row_line, Stored, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::ids::{AccountIds, RowIds, UniqueIds};
use crate::input::row::Row;
use crate::input::table::Table;
use crate::input::{InputError, InputErrors};
use crate::recon::due::unstated_charge_type;
use crate::recon::model::{AccountId, ChargeType, Method, Posting, PostingKind};
use crate::recon::money::plain;
use crate::recon::store::amount::Amount;
use crate::recon::store::counted::CountedIds;
use crate::recon::store::lines::LineMap;
use crate::recon::store::text::TextStore;

/// Column positions in the file's `COLUMNS`.
pub(crate) mod col {
    pub const TXN_ID: usize = 0;
    pub const ACCOUNT_REF: usize = 1;
    pub const DATE: usize = 2;
    pub const KIND: usize = 3;
    pub const DEBIT: usize = 4;
    pub const CREDIT: usize = 5;
    pub const METHOD: usize = 6;
    pub const BANK_REF: usize = 7;
    pub const DESCRIPTION: usize = 8;
    pub const CHARGE_TYPE: usize = 9;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 10];
    c[col::TXN_ID] = required("txn_id");
    c[col::ACCOUNT_REF] = required("account_ref");
    c[col::DATE] = required("date").date();
    c[col::KIND] = required("kind");
    c[col::DEBIT] = optional("debit").money();
    c[col::CREDIT] = optional("credit").money();
    c[col::METHOD] = optional("method");
    c[col::BANK_REF] = optional("bank_ref");
    c[col::DESCRIPTION] = optional("description");
    c[col::CHARGE_TYPE] = optional("charge_type");
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));
const _: () = assert!(col::TXN_ID == crate::input::ids::ID_COLUMN);

/// `accounts_read`: whether the accounts file could be read at all; if not,
/// every posting would name an unknown account, so none is reported.
pub(crate) fn read_ledger(
    t: &mut Table,
    ids: &AccountIds,
    accounts_read: bool,
    unique: &mut UniqueIds,
    errors: &mut InputErrors,
) -> Stored<Posting> {
    let mut out = Vec::new();
    let mut text = TextStore::default();
    let mut lines = LineMap::default();
    if !has_an_amount_column(t, errors) {
        return (out, text, lines, CountedIds::default());
    }
    // Where a row's amount is faulted: the debit, unless only a credit
    // column is there.
    let amount_col = if t.has(col::DEBIT) {
        col::DEBIT
    } else {
        col::CREDIT
    };
    let mut row_ids = RowIds::of(t);
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        t.size_rows(&mut out, &mut text, &rec);
        let mut r = t.row(&rec, line, errors);
        let txn_id = r.id(col::TXN_ID);
        if let Some(id) = txn_id {
            let (out, text, lines, row_ids) = (&out, &text, &lines, &row_ids);
            unique.check(id, line, &mut r, col::TXN_ID, || {
                row_ids.so_far(lines, out.len(), move |i| {
                    text.get_field(out[i].texts, Posting::TXN_ID)
                })
            });
        }
        let fields = read_fields(&mut r, ids, accounts_read, amount_col);
        if !r.ok() {
            r.note_money(fields.money_found());
            if let Some(id) = txn_id {
                unique.set_aside(id, line);
            }
            continue;
        }
        if let (Some(txn_id), Some(p)) = (txn_id, fields.checked()) {
            out.push(Posting {
                texts: text.push_row(&[row_ids.text(out.len(), txn_id), p.bank_ref, p.description]),
                account: p.account,
                date: p.date,
                kind: p.kind,
                amount: p.amount,
                method: p.method,
                charge_type: p.charge_type,
            });
            lines.push(row_line(line));
        }
    }
    (out, text, lines, row_ids.counted)
}

/// Whether the ledger has a debit or a credit column; if not, the file
/// fails as a whole.
fn has_an_amount_column(t: &Table, errors: &mut InputErrors) -> bool {
    if t.has(col::DEBIT) || t.has(col::CREDIT) {
        return true;
    }
    errors.push(InputError {
        file: t.name.clone(),
        line: Some(1),
        column: None,
        message: "missing required column `debit` or `credit` (at least one must be present)"
            .to_string(),
    });
    false
}

/// A ledger row's fields past its id, as read: `None` where one failed.
struct Fields<'a> {
    account: Option<AccountId>,
    date: Option<NaiveDate>,
    kind: Option<PostingKind>,
    debit: Option<Option<Decimal>>,
    credit: Option<Option<Decimal>>,
    amount: Option<Decimal>,
    held: Option<Amount>,
    method: Option<Option<Method>>,
    bank_ref: Option<&'a str>,
    description: Option<&'a str>,
    charge_type: Option<Option<ChargeType>>,
}

/// A good row's fields, ready to become a [`Posting`].
struct Checked<'a> {
    account: AccountId,
    date: NaiveDate,
    kind: PostingKind,
    amount: Amount,
    method: Option<Method>,
    bank_ref: &'a str,
    description: &'a str,
    charge_type: ChargeType,
}

/// Reads a row's fields in column order (its problems are reported in that
/// order), faulting the amount at `amount_col`.
#[inline]
fn read_fields<'a>(
    r: &mut Row<'a>,
    ids: &AccountIds,
    accounts_read: bool,
    amount_col: usize,
) -> Fields<'a> {
    let account = ids.of(r, col::ACCOUNT_REF, accounts_read);
    let date = r.date(col::DATE);
    let kind = r.word(col::KIND, PostingKind::from_word, PostingKind::expected);
    let debit = r.opt_money(col::DEBIT);
    let credit = r.opt_money(col::CREDIT);
    let amount = match (debit, credit) {
        (Some(d), Some(c)) => signed_amount(
            r,
            d.unwrap_or(Decimal::ZERO),
            c.unwrap_or(Decimal::ZERO),
            amount_col,
        ),
        _ => None,
    };
    if let (Some(kind), Some(amount)) = (kind, amount) {
        side_agrees(r, kind, amount);
    }
    Fields {
        account,
        date,
        kind,
        debit,
        credit,
        amount,
        held: r.held(amount_col, amount),
        method: r.opt_word(col::METHOD, Method::from_word, Method::expected),
        bank_ref: r.text(col::BANK_REF),
        description: r.text(col::DESCRIPTION),
        charge_type: r.opt_word(
            col::CHARGE_TYPE,
            ChargeType::from_word,
            ChargeType::expected,
        ),
    }
}

/// The row's amount signed as a debit, from its debit `d` and credit `c`
/// (blank as zero): each positive, and exactly one of them non-zero.
#[inline]
fn signed_amount(r: &mut Row<'_>, d: Decimal, c: Decimal, amount_col: usize) -> Option<Decimal> {
    if d < Decimal::ZERO || c < Decimal::ZERO {
        let col = if d < Decimal::ZERO {
            col::DEBIT
        } else {
            col::CREDIT
        };
        r.fail(
            col,
            "expected a positive amount (put money the other way in the other column)".to_string(),
        );
        None
    } else if d.is_zero() == c.is_zero() {
        r.fail(
            amount_col,
            format!(
                "exactly one of debit and credit must be non-zero; found debit {} and credit {}",
                plain(d),
                plain(c)
            ),
        );
        None
    } else if d.scale() >= c.scale() && c.is_zero() {
        // The amount as `d - c` gives it, without the subtraction (dear
        // beside the rest of reading a ledger row): the other side is zero, at no more
        // places.
        Some(d)
    } else if c.scale() >= d.scale() && d.is_zero() {
        Some(-c)
    } else {
        Some(d - c)
    }
}

impl<'a> Fields<'a> {
    /// The money a bad row shows, signed as a debit, for its reject.
    fn money_found(&self) -> Option<Decimal> {
        let credit = self.credit.flatten().map(|c| -c);
        self.amount.or(self.debit.flatten()).or(credit)
    }

    /// Every field, where each was read.
    #[inline]
    fn checked(self) -> Option<Checked<'a>> {
        let amount = self.held?;
        // Only a debit is for something; a credit pays whatever is owed.
        let charge_type = match self.charge_type? {
            _ if amount.pence() <= 0 => ChargeType::Rent,
            Some(t) => t,
            None => unstated_charge_type(self.kind?, self.description?),
        };
        Some(Checked {
            account: self.account?,
            date: self.date?,
            kind: self.kind?,
            amount,
            method: self.method?,
            bank_ref: self.bank_ref?,
            description: self.description?,
            charge_type,
        })
    }
}

/// A ledger row's kind and side must agree: a payment or benefit is a
/// credit and a charge a debit (refunds, adjustments, reversals and
/// write-offs go either way). A payment in the debit column (a profile
/// reading returned Direct Debits as negative payments makes one) would
/// raise the balance silently.
fn side_agrees(r: &mut Row<'_>, kind: PostingKind, amount: Decimal) {
    let (col, wanted) = match kind {
        PostingKind::Payment | PostingKind::Benefit if amount > Decimal::ZERO => {
            (col::DEBIT, "credit")
        }
        PostingKind::Charge if amount < Decimal::ZERO => (col::CREDIT, "debit"),
        _ => return,
    };
    r.fail(
        col,
        format!(
            "a {kind} belongs in the {wanted} column (a returned payment is a `reversal` debit; a \
             credit that lowers the rent is an `adjustment`)"
        ),
    );
}
