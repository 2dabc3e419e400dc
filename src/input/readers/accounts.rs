//! Reading accounts.csv: one row per rent account, with its rent, opening
//! balance and the facts that hold an action back.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::{row_line, UNSET};
use crate::input::columns::{optional, required, Column};
use crate::input::ids::{AccountIds, UniqueIds};
use crate::input::row::Row;
use crate::input::table::Table;
use crate::input::InputErrors;
use crate::recon::model::AccountId;
use crate::recon::model::{
    Account, Benefit, RentPeriod, RowRef, SourceFile, TenancyType, Text, UcPaidTo,
};

/// Column positions in the file's `COLUMNS`.
pub(crate) mod col {
    pub const REF: usize = 0;
    pub const TENANT_NAME: usize = 1;
    pub const TENANCY_TYPE: usize = 2;
    pub const RENT_PERIOD: usize = 3;
    pub const RENT: usize = 4;
    pub const OPENING_DATE: usize = 5;
    pub const OPENING_BALANCE: usize = 6;
    pub const PAYMENT_REFS: usize = 7;
    pub const BENEFIT: usize = 8;
    pub const VULNERABLE: usize = 9;
    pub const CLAIM_PENDING: usize = 10;
    pub const OPEN_DISPUTE: usize = 11;
    pub const TENANCY_END: usize = 12;
    pub const UC_PAID_TO: usize = 13;
}

pub(crate) const COLUMNS: &[Column] = &{
    let mut c = [UNSET; 14];
    c[col::REF] = required("account_ref");
    c[col::TENANT_NAME] = optional("tenant_name");
    c[col::TENANCY_TYPE] = required("tenancy_type");
    c[col::RENT_PERIOD] = required("rent_period");
    c[col::RENT] = required("rent").money();
    c[col::OPENING_DATE] = required("opening_date").date();
    c[col::OPENING_BALANCE] = optional("opening_balance").money();
    c[col::PAYMENT_REFS] = optional("payment_refs");
    c[col::BENEFIT] = optional("benefit");
    c[col::VULNERABLE] = optional("vulnerable");
    c[col::CLAIM_PENDING] = optional("benefit_claim_pending");
    c[col::OPEN_DISPUTE] = optional("open_dispute");
    c[col::TENANCY_END] = optional("tenancy_end").date();
    c[col::UC_PAID_TO] = optional("uc_paid_to");
    c
};
const _: () = assert!(super::every_place_set(COLUMNS));
const _: () = assert!(col::REF == crate::input::ids::ID_COLUMN);

pub(crate) fn read_accounts(
    t: &mut Table,
    ids: &mut AccountIds,
    errors: &mut InputErrors,
) -> Vec<Account> {
    let mut out = Vec::new();
    let mut unique = UniqueIds::new("account_ref");
    // A bank reference is compared without case or punctuation, so two
    // account numbers that differ only so are one number to it.
    let mut as_banks_read: HashMap<Text, (Text, u64)> = HashMap::default();
    let mut rec = ByteRecord::new();
    while let Some(line) = t.next(&mut rec, errors) {
        let mut r = t.row(&rec, line, errors);
        let mut account_ref = r.id(col::REF).map(Text::from);
        if let Some(a) = &account_ref {
            unique.check(a, line, &mut r, col::REF, || {
                out.iter()
                    .map(|a: &Account| (Cow::from(a.account_ref.as_str()), u64::from(a.row.line)))
            });
            same_to_a_bank(&mut as_banks_read, a, line, &mut r);
        }
        let account = account_of(&mut r, &mut account_ref, line);
        if !r.ok() {
            if let Some(a) = account_ref {
                unique.set_aside(&a, line);
                ids.rejected.insert(a);
            }
            continue;
        }
        let Some(account) = account else {
            continue;
        };
        ids.good
            .insert(account.account_ref.clone(), out.len() as AccountId);
        out.push(account);
    }
    out
}

/// A bank reference is compared without case or punctuation, so two
/// account numbers that differ only so are one number to it: the second
/// fails. `seen` holds each number so far by its bank key, with its line.
fn same_to_a_bank(seen: &mut HashMap<Text, (Text, u64)>, a: &Text, line: u64, r: &mut Row<'_>) {
    let key = crate::recon::identify::normalise(a);
    match seen.get(&key) {
        Some((first, at)) if first != a => r.fail(
            col::REF,
            format!(
                "{a:?} is the account number {first:?} (line {at}) to a bank, which ignores case \
                 and punctuation: rename one"
            ),
        ),
        Some(_) => {}
        None => {
            seen.insert(key, (a.clone(), line));
        }
    }
}

/// The rest of an account row, past its ref: `None` where a field is bad
/// (the row then fails) or the ref was. The ref is taken only for a good
/// row, so that a bad one can be set aside by it.
fn account_of(r: &mut Row<'_>, account_ref: &mut Option<Text>, line: u64) -> Option<Account> {
    let tenant_name = r.text(col::TENANT_NAME).map(Text::from);
    let tenancy_type = r.word(
        col::TENANCY_TYPE,
        TenancyType::from_word,
        TenancyType::expected,
    );
    let rent_period = r.word(
        col::RENT_PERIOD,
        RentPeriod::from_word,
        RentPeriod::expected,
    );
    let rent = r.money(col::RENT);
    if rent.is_some_and(|x| x <= Decimal::ZERO) {
        r.fail(
            col::RENT,
            "expected a positive rent (a rent-free account needs no row here)".to_string(),
        );
    }
    let opening_date = r.date(col::OPENING_DATE);
    let opening_balance = r.opt_money(col::OPENING_BALANCE);
    let payment_refs = r.text(col::PAYMENT_REFS).map(|s| {
        s.split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(Text::from)
            .collect::<Vec<_>>()
    });
    let benefit = r.opt_word(col::BENEFIT, Benefit::from_word, Benefit::expected);
    let vulnerable = r.flag(col::VULNERABLE);
    let pending = r.flag(col::CLAIM_PENDING);
    let dispute = r.flag(col::OPEN_DISPUTE);
    let tenancy_end = r.opt_date(col::TENANCY_END);
    if let (Some(Some(end)), Some(open)) = (tenancy_end, opening_date) {
        if end < open {
            r.fail(
                col::TENANCY_END,
                format!("expected a date on or after the opening date {open}, found {end}"),
            );
        }
    }
    let uc_paid_to = r.opt_word(col::UC_PAID_TO, UcPaidTo::from_word, UcPaidTo::expected);
    if !r.ok() {
        return None;
    }
    Some(Account {
        account_ref: account_ref.take()?,
        tenant_name: tenant_name?,
        tenancy_type: tenancy_type?,
        rent_period: rent_period?,
        rent: rent?,
        opening_date: opening_date?,
        opening_balance: opening_balance?.unwrap_or(Decimal::ZERO),
        payment_refs: payment_refs?,
        benefit: benefit?.unwrap_or(Benefit::None),
        vulnerable: vulnerable?,
        benefit_claim_pending: pending?,
        open_dispute: dispute?,
        tenancy_end: tenancy_end?,
        uc_paid_to: uc_paid_to?.unwrap_or(UcPaidTo::Landlord),
        row: RowRef {
            file: SourceFile::Accounts,
            line: row_line(line),
        },
    })
}
