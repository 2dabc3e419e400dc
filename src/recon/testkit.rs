//! Builds small datasets in code for the core's own tests.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::*;
use super::store::amount::Amount;
use super::store::counted::Counter;
use super::store::text::Repeats;

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn money(s: &str) -> Decimal {
    s.parse().expect("test amount")
}

fn held(amount: Decimal) -> Amount {
    Amount::new(amount).expect("test amounts fit in a row")
}

/// Ids are held as the readers hold them: one counting on from the row
/// before's is not held but counted (see [`super::store::counted`]), so
/// the core's tests read every id as reports do.
#[derive(Default)]
pub struct Builder {
    pub data: Dataset,
    next_line: u32,
    txn_ids: Counter,
    bank_ids: Counter,
    /// Bank lines share repeated texts, as the reader's do.
    bank_repeats: Option<Repeats>,
}

impl Builder {
    fn line(&mut self) -> u32 {
        self.next_line += 1;
        self.next_line + 1
    }

    /// A weekly assured account opened 2026-01-01 with nothing owing.
    pub fn account(&mut self, account_ref: &str, tenant: &str, rent: &str) -> AccountId {
        let line = self.line();
        self.data.accounts.push(Account {
            account_ref: account_ref.into(),
            tenant_name: tenant.into(),
            tenancy_type: TenancyType::Assured,
            rent_period: RentPeriod::Weekly,
            rent: money(rent),
            opening_date: date("2026-01-01"),
            opening_balance: Decimal::ZERO,
            payment_refs: Vec::new(),
            benefit: Benefit::None,
            vulnerable: false,
            benefit_claim_pending: false,
            open_dispute: false,
            tenancy_end: None,
            uc_paid_to: UcPaidTo::Landlord,
            row: RowRef {
                file: SourceFile::Accounts,
                line,
            },
        });
        (self.data.accounts.len() - 1) as AccountId
    }

    pub fn with(&mut self, id: AccountId, f: impl FnOnce(&mut Account)) -> &mut Self {
        f(&mut self.data.accounts[id as usize]);
        self
    }

    fn posting(
        &mut self,
        account: AccountId,
        on: &str,
        kind: PostingKind,
        amount: Decimal,
        bank_ref: Option<&str>,
    ) -> usize {
        let line = self.line();
        let n = self.data.postings.len();
        let txn_id = format!("T{n:03}");
        let held_id = self.txn_ids.held(&mut self.data.txn_counted, n, &txn_id);
        self.data.postings.push(Posting {
            texts: self
                .data
                .ledger_text
                .push_row(&[held_id, bank_ref.unwrap_or("")]),
            account,
            date: date(on),
            kind,
            amount: held(amount),
            charge_type: ChargeType::Rent,
            method: Some(Method::BankTransfer),
        });
        self.data.ledger_lines.push(line);
        n
    }

    pub fn charge(&mut self, account: AccountId, on: &str, amount: &str) -> usize {
        self.posting(account, on, PostingKind::Charge, money(amount), None)
    }

    pub fn payment(
        &mut self,
        account: AccountId,
        on: &str,
        amount: &str,
        bank_ref: Option<&str>,
    ) -> usize {
        self.posting(account, on, PostingKind::Payment, -money(amount), bank_ref)
    }

    pub fn debit(
        &mut self,
        account: AccountId,
        on: &str,
        kind: PostingKind,
        amount: &str,
        bank_ref: Option<&str>,
    ) -> usize {
        self.posting(account, on, kind, money(amount), bank_ref)
    }

    pub fn adjustment_credit(&mut self, account: AccountId, on: &str, amount: &str) -> usize {
        self.posting(account, on, PostingKind::Adjustment, -money(amount), None)
    }

    pub fn bank(
        &mut self,
        bank_id: &str,
        on: &str,
        amount: &str,
        reference: &str,
        payer: &str,
    ) -> usize {
        let line = self.line();
        let n = self.data.bank.len();
        let held_id = self.bank_ids.held(&mut self.data.bank_counted, n, bank_id);
        self.data.bank.push(BankLine {
            texts: self.data.bank_text.push_row_shared(
                &[held_id, reference, payer],
                self.bank_repeats
                    .get_or_insert_with(|| Repeats::for_bytes(Some(1 << 20))),
            ),
            date: date(on),
            amount: held(money(amount)),
            method: Some(Method::BankTransfer),
        });
        self.data.bank_lines.push(line);
        self.data.bank.len() - 1
    }

    pub fn dd_return(&mut self, bank_id: &str, on: &str, amount: &str, returns: &str) -> usize {
        self.dd_return_coded(bank_id, on, amount, returns, "0")
    }

    /// A Direct Debit return with its ARUDD reason code.
    pub fn dd_return_coded(
        &mut self,
        bank_id: &str,
        on: &str,
        amount: &str,
        returns: &str,
        code: &str,
    ) -> usize {
        let i = self.bank(bank_id, on, &format!("-{amount}"), "", "");
        let texts = self
            .data
            .bank_text
            .push_row(&[bank_id, "", "", code, returns]);
        let line = &mut self.data.bank[i];
        line.method = Some(Method::DdReturn);
        line.texts = texts;
        i
    }

    pub fn share(&mut self, batch: &str, account_ref: &str, amount: &str) -> usize {
        let line = self.line();
        self.data.shares.push(ScheduleShare {
            batch_ref: batch.into(),
            account_ref: Some(account_ref.into()),
            claim_ref: None,
            amount: held(money(amount)),
            period_start: None,
            period_end: None,
            row: RowRef {
                file: SourceFile::Schedules,
                line,
            },
        });
        self.data.shares.len() - 1
    }
}
