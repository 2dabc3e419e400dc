//! The domain model the core works on: accounts, postings (ledger rows), bank
//! lines and schedule shares, held compactly by [`super::store`]. Every row
//! keeps the file line it came from, so each finding can cite its evidence.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::store::amount::Amount;
use super::store::counted::{self, CountedIds};
use super::store::digits::push_line_id;
use super::store::lines::LineMap;
use super::store::text::{RowTexts, StoredRow, TextStore};

/// Text read from a row: ids, references, names. Most are short enough to
/// be held inline, so millions of rows cost no allocation each.
pub type Text = compact_str::CompactString;

/// Index of an account in [`Dataset::accounts`].
pub type AccountId = u32;

/// The input files of the data contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceFile {
    Accounts,
    Ledger,
    Bank,
    Schedules,
    Rents,
    Cases,
}

/// How many input files the contract has.
pub const FILES: usize = 6;

impl SourceFile {
    pub const ALL: [SourceFile; FILES] = [
        SourceFile::Accounts,
        SourceFile::Ledger,
        SourceFile::Bank,
        SourceFile::Schedules,
        SourceFile::Rents,
        SourceFile::Cases,
    ];

    pub fn default_name(self) -> &'static str {
        match self {
            SourceFile::Accounts => "accounts.csv",
            SourceFile::Ledger => "ledger.csv",
            SourceFile::Bank => "bank.csv",
            SourceFile::Schedules => "schedules.csv",
            SourceFile::Rents => "rents.csv",
            SourceFile::Cases => "cases.csv",
        }
    }

    /// Whether a run goes on without the file.
    pub fn optional(self) -> bool {
        matches!(
            self,
            SourceFile::Schedules | SourceFile::Rents | SourceFile::Cases
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where a row came from: file and 1-based line of the record's start.
/// Eight bytes: readers refuse a file of more than `u32::MAX` lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowRef {
    pub file: SourceFile,
    pub line: u32,
}

/// Days from `from` to `to` (negative if `to` is earlier), as day numbers
/// subtracted: cheaper than chrono's duration on the matching path.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(day_number(to)) - i64::from(day_number(from))
}

/// The date as a count of days, for arithmetic on many dates at once.
pub fn day_number(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce()
}

/// Display names of the input files, used when citing evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceNames(pub [String; FILES]);

impl Default for SourceNames {
    fn default() -> Self {
        SourceNames(SourceFile::ALL.map(|f| f.default_name().to_string()))
    }
}

impl SourceNames {
    pub fn name(&self, file: SourceFile) -> &str {
        &self.0[file.index()]
    }

    /// `ledger.csv:14`, the form every piece of evidence takes.
    pub fn cite(&self, row: RowRef) -> String {
        format!("{}:{}", self.name(row.file), row.line)
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The contract's word for this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the contract's word (already trimmed and lower-cased).
            pub fn from_word(word: &str) -> Option<Self> {
                match word { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted words, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(TenancyType {
    Assured => "assured",
    AssuredShorthold => "assured_shorthold",
    Secure => "secure",
    Introductory => "introductory",
    Starter => "starter",
    Licence => "licence",
    Other => "other",
});

vocabulary!(RentPeriod {
    Weekly => "weekly",
    Fortnightly => "fortnightly",
    FourWeekly => "four_weekly",
    Monthly => "monthly",
});

vocabulary!(Benefit {
    None => "none",
    Hb => "hb",
    Uc => "uc",
});

vocabulary!(
    /// Who receives an account's Universal Credit housing payment.
    UcPaidTo {
        Landlord => "landlord",
        Tenant => "tenant",
    }
);

vocabulary!(
    /// What a debit on the rent account is for. Only `rent` (with service
    /// charges reserved as rent) is rent lawfully due: the grounds for
    /// possession count nothing else.
    ChargeType {
        Rent => "rent",
        CourtCosts => "court_costs",
        Recharge => "recharge",
        FormerTenantArrears => "former_tenant_arrears",
        HbOverpayment => "hb_overpayment",
        Sundry => "sundry",
    }
);

vocabulary!(PostingKind {
    Charge => "charge",
    Payment => "payment",
    Benefit => "benefit",
    Refund => "refund",
    Adjustment => "adjustment",
    Reversal => "reversal",
    Writeoff => "writeoff",
});

vocabulary!(Method {
    Dd => "dd",
    Card => "card",
    Cash => "cash",
    BankTransfer => "bank_transfer",
    StandingOrder => "standing_order",
    Cheque => "cheque",
    Hb => "hb",
    Uc => "uc",
    Other => "other",
    DdReturn => "dd_return",
    Dhp => "dhp",
    Deduction => "third_party_deduction",
});

impl RentPeriod {
    /// The first day of the `k`th rent period after one that began on
    /// `from`: months are counted from `from`, so the day never drifts.
    pub fn nth_after(self, from: NaiveDate, k: u32) -> Option<NaiveDate> {
        let days = |n: u64| from.checked_add_days(chrono::Days::new(n * u64::from(k)));
        match self {
            RentPeriod::Weekly => days(7),
            RentPeriod::Fortnightly => days(14),
            RentPeriod::FourWeekly => days(28),
            RentPeriod::Monthly => from.checked_add_months(chrono::Months::new(k)),
        }
    }

    /// The rent for one week, for comparing accounts on different periods:
    /// fortnightly / 2, four-weekly / 4, monthly x 12 / 52 (unrounded).
    pub fn weekly_equivalent(self, rent: Decimal) -> Decimal {
        match self {
            RentPeriod::Weekly => rent,
            RentPeriod::Fortnightly => rent / Decimal::from(2),
            RentPeriod::FourWeekly => rent / Decimal::from(4),
            RentPeriod::Monthly => rent * Decimal::from(12) / Decimal::from(52),
        }
    }
}

/// One rent account (tenancy) from accounts.csv.
#[derive(Clone, Debug)]
pub struct Account {
    pub account_ref: Text,
    pub tenant_name: Text,
    pub tenancy_type: TenancyType,
    pub rent_period: RentPeriod,
    pub rent: Decimal,
    pub opening_date: NaiveDate,
    pub opening_balance: Decimal,
    pub payment_refs: Vec<Text>,
    pub benefit: Benefit,
    pub vulnerable: bool,
    pub benefit_claim_pending: bool,
    pub open_dispute: bool,
    /// The day the tenancy ended: no rent is due after it, and a former
    /// tenant is never a NOSP case.
    pub tenancy_end: Option<NaiveDate>,
    pub uc_paid_to: UcPaidTo,
    pub row: RowRef,
}

impl Account {
    pub fn weekly_rent(&self) -> Decimal {
        self.rent_period.weekly_equivalent(self.rent)
    }

    /// Whether the tenancy had ended by `on`.
    pub fn ended_by(&self, on: NaiveDate) -> bool {
        self.tenancy_end.is_some_and(|end| end <= on)
    }

    /// The benefit paid to the landlord: none where Universal Credit goes
    /// to the tenant, who pays the rent as any tenant does.
    pub fn landlord_benefit(&self) -> Benefit {
        match (self.benefit, self.uc_paid_to) {
            (Benefit::Uc, UcPaidTo::Tenant) => Benefit::None,
            (b, _) => b,
        }
    }

    /// Whether the landlord receives the account's Universal Credit
    /// housing payment through DWP's runs.
    pub fn uc_to_landlord(&self) -> bool {
        self.benefit == Benefit::Uc && self.uc_paid_to == UcPaidTo::Landlord
    }
}

/// One ledger row as posted in the rent system. Its texts are in
/// [`Dataset::ledger_text`]; [`Dataset::txn_id`] and its siblings read them.
#[derive(Clone, Debug)]
pub struct Posting {
    /// Fields [`Posting::TXN_ID`], [`Posting::BANK_REF`] (empty where the
    /// posting names no bank line) and [`Posting::DESCRIPTION`].
    pub texts: RowTexts,
    pub account: AccountId,
    pub date: NaiveDate,
    pub kind: PostingKind,
    /// Signed as a debit: positive increases what the tenant owes. Read
    /// through [`Posting::amount`].
    pub amount: Amount,
    pub method: Option<Method>,
    /// On a debit, what it is for; `Rent` on every credit.
    pub charge_type: ChargeType,
}

impl StoredRow for Posting {
    /// A posting's texts are its bank ref, which names one bank line, and a
    /// description, which most leave empty.
    const REPEATS: bool = false;

    fn texts(&self) -> RowTexts {
        self.texts
    }

    fn texts_mut(&mut self) -> &mut RowTexts {
        &mut self.texts
    }
}

impl StoredRow for BankLine {
    /// A payer's reference and name are the same on every payment.
    const REPEATS: bool = true;

    fn texts(&self) -> RowTexts {
        self.texts
    }

    fn texts_mut(&mut self) -> &mut RowTexts {
        &mut self.texts
    }
}

impl Posting {
    pub const TXN_ID: u32 = 0;
    pub const BANK_REF: u32 = 1;
    pub const DESCRIPTION: u32 = 2;

    /// Signed as a debit: positive increases what the tenant owes.
    pub fn amount(&self) -> Decimal {
        self.amount.get()
    }

    pub fn is_credit(&self) -> bool {
        self.amount.pence() < 0
    }

    /// The credit as a positive sum (zero for a debit).
    pub fn credit(&self) -> Decimal {
        if self.is_credit() {
            -self.amount()
        } else {
            Decimal::ZERO
        }
    }

    /// [`Posting::credit`] in pence, for sorting and grouping by amount.
    pub fn credit_pence(&self) -> i64 {
        if self.is_credit() {
            -self.amount.pence()
        } else {
            0
        }
    }

    /// Rent charged on or before `as_at`: what charges are checked against
    /// the rent, and what the arrears are counted from.
    pub fn is_charge_by(&self, as_at: NaiveDate) -> bool {
        self.is_debit_by(PostingKind::Charge, as_at) && self.charge_type == ChargeType::Rent
    }

    /// A non-zero debit of `kind` on or before `as_at`.
    pub fn is_debit_by(&self, kind: PostingKind, as_at: NaiveDate) -> bool {
        self.kind == kind && self.amount.pence() > 0 && self.date <= as_at
    }

    /// A debit that is not rent lawfully due (court costs, a recharge…).
    pub fn is_sundry_debit(&self) -> bool {
        self.charge_type != ChargeType::Rent && self.amount.pence() > 0
    }

    /// A credit that claims money arrived: a payment or a benefit credit.
    /// Other credits (adjustments, write-offs) move no money.
    pub fn is_cash_credit(&self) -> bool {
        self.is_credit() && matches!(self.kind, PostingKind::Payment | PostingKind::Benefit)
    }

    /// Housing Benefit a council credits as a rent rebate: a benefit
    /// credit by `hb`, or by no method on an HB account, naming no bank
    /// line (one that does came through the bank, from another council).
    pub fn is_hb_rebate(&self, account: &Account) -> bool {
        self.is_credit()
            && self.kind == PostingKind::Benefit
            && !self.texts.has(Posting::BANK_REF)
            && match self.method {
                Some(Method::Hb) => true,
                // `other` says no more than no method: the kind and the
                // account decide.
                None | Some(Method::Other) => account.benefit == Benefit::Hb,
                Some(_) => false,
            }
    }
}

/// One line of the bank statement or processor export. Its texts are in
/// [`Dataset::bank_text`]; [`Dataset::bank_id`] and its siblings read them.
#[derive(Clone, Debug)]
pub struct BankLine {
    /// Fields [`BankLine::BANK_ID`], [`BankLine::REFERENCE`],
    /// [`BankLine::PAYER`], and a Direct Debit return's own
    /// [`BankLine::RETURN_CODE`] and [`BankLine::RETURNED_BANK_ID`].
    pub texts: RowTexts,
    pub date: NaiveDate,
    /// Positive = money received by the landlord. Read through
    /// [`BankLine::amount`].
    pub amount: Amount,
    pub method: Option<Method>,
}

impl BankLine {
    pub const BANK_ID: u32 = 0;
    pub const REFERENCE: u32 = 1;
    pub const PAYER: u32 = 2;
    pub const RETURN_CODE: u32 = 3;
    pub const RETURNED_BANK_ID: u32 = 4;

    /// Positive = money received by the landlord.
    pub fn amount(&self) -> Decimal {
        self.amount.get()
    }

    pub fn is_dd_return(&self) -> bool {
        self.method == Some(Method::DdReturn) || self.texts.has(Self::RETURNED_BANK_ID)
    }
}

// Rows are held by the ten million: a field that grows them shows here.
const _: () = assert!(std::mem::size_of::<Posting>() == 24);
const _: () = assert!(std::mem::size_of::<BankLine>() == 20);

/// One account's share of a bulk receipt, from schedules.csv.
#[derive(Clone, Debug)]
pub struct ScheduleShare {
    pub batch_ref: Text,
    pub account_ref: Option<Text>,
    pub claim_ref: Option<Text>,
    /// Read through [`ScheduleShare::amount`].
    pub amount: Amount,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub row: RowRef,
}

impl ScheduleShare {
    pub fn amount(&self) -> Decimal {
        self.amount.get()
    }
}

/// A rent that came into force on a date, from rents.csv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RentChange {
    pub account: AccountId,
    pub from: NaiveDate,
    pub rent: Decimal,
    pub row: RowRef,
}

/// How one input file was read: rows read, and rows set aside as bad (in
/// lenient mode) with the money on them where it could be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileReading {
    pub rows_read: usize,
    pub rows_rejected: usize,
    pub rejected_money: Decimal,
}

/// Everything read from the inputs, validated and ready to reconcile.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub sources: SourceNames,
    /// Per input file, in `SourceFile` order.
    pub reading: [FileReading; FILES],
    pub accounts: Vec<Account>,
    pub postings: Vec<Posting>,
    /// The postings' texts.
    pub ledger_text: TextStore,
    /// The postings' ledger lines.
    pub ledger_lines: LineMap,
    /// Whether each posting's id is its `file:line` (a profile made it so,
    /// for a ledger with no id of its own). Such ids are not held: made
    /// from the line when asked for, they would be most of the ledger's
    /// text, and are asked for only by findings and reports.
    pub txn_ids_from_lines: bool,
    /// The postings whose ids count on from the posting before, which hold
    /// no id text of their own.
    pub txn_counted: CountedIds,
    pub bank: Vec<BankLine>,
    /// Whether each bank line's id is its `file:line`, not held (as
    /// [`Dataset::txn_ids_from_lines`]: a bank's own export seldom has one).
    pub bank_ids_from_lines: bool,
    /// The bank lines whose ids count on from the line before (as
    /// [`Dataset::txn_counted`]).
    pub bank_counted: CountedIds,
    /// The bank lines' texts.
    pub bank_text: TextStore,
    /// The bank lines' lines in the bank file.
    pub bank_lines: LineMap,
    pub shares: Vec<ScheduleShare>,
    /// The rent in force over time, from rents.csv: sorted by account,
    /// then date.
    pub rents: Vec<RentChange>,
    /// The case around each account, from cases.csv: sorted by account,
    /// then date, then line.
    pub cases: Vec<super::case::CaseEvent>,
    /// Whether a cases file was read, rows or none: the case is then the
    /// file's to answer, not the officer's.
    pub cases_given: bool,
    /// What reading could not check (a column left unused that looks like
    /// one the contract names).
    pub warnings: Vec<super::warning::Warning>,
}

impl Dataset {
    pub fn account(&self, id: AccountId) -> &Account {
        &self.accounts[id as usize]
    }

    /// The account's rent history from rents.csv, oldest first.
    pub fn rents_of(&self, id: AccountId) -> &[RentChange] {
        let from = self.rents.partition_point(|c| c.account < id);
        let to = self.rents.partition_point(|c| c.account <= id);
        &self.rents[from..to]
    }

    /// The account's case events from cases.csv, oldest first.
    pub fn cases_of(&self, id: AccountId) -> &[super::case::CaseEvent] {
        let from = self.cases.partition_point(|c| c.account < id);
        let to = self.cases.partition_point(|c| c.account <= id);
        &self.cases[from..to]
    }

    /// The rent in force on `on`: the latest change from rents.csv on or
    /// before it, else the accounts file's rent.
    pub fn rent_on(&self, id: AccountId, on: NaiveDate) -> Decimal {
        let history = self.rents_of(id);
        let before = history.partition_point(|c| c.from <= on);
        match before.checked_sub(1) {
            Some(i) => history[i].rent,
            None => self.account(id).rent,
        }
    }

    /// Where posting `p` came from.
    pub fn posting_row(&self, p: usize) -> RowRef {
        RowRef {
            file: SourceFile::Ledger,
            line: self.ledger_lines.line(p),
        }
    }

    /// Where bank line `b` came from.
    pub fn bank_row(&self, b: usize) -> RowRef {
        RowRef {
            file: SourceFile::Bank,
            line: self.bank_lines.line(b),
        }
    }

    /// Posting `p`'s id.
    pub fn txn_id(&self, p: usize) -> Cow<'_, str> {
        if self.txn_ids_from_lines {
            let mut id = String::new();
            let line = self.ledger_lines.line(p).into();
            push_line_id(&mut id, self.sources.name(SourceFile::Ledger), line);
            return Cow::Owned(id);
        }
        self.txn_counted.id(p, |i| {
            self.ledger_text
                .get_field(self.postings[i].texts, Posting::TXN_ID)
        })
    }

    /// The bank line the posting names, if it names one.
    pub fn bank_ref(&self, posting: &Posting) -> Option<&str> {
        Some(self.ledger_text.get_field(posting.texts, Posting::BANK_REF)).filter(|r| !r.is_empty())
    }

    pub fn description(&self, posting: &Posting) -> &str {
        self.ledger_text
            .get_field(posting.texts, Posting::DESCRIPTION)
    }

    /// Bank line `b`'s id.
    pub fn bank_id(&self, b: usize) -> Cow<'_, str> {
        let held = self.held_bank_id(b);
        if !held.is_empty() {
            return Cow::Borrowed(held);
        }
        let mut id = String::new();
        self.made_bank_id_into(b, &mut id);
        Cow::Owned(id)
    }

    /// Bank line `b`'s id, written into `buf` where the line does not hold
    /// it (no allocation where `buf` has room, for the millions of lines
    /// keyed by their id).
    pub fn bank_id_into<'s>(&'s self, b: usize, buf: &'s mut String) -> &'s str {
        let held = self.held_bank_id(b);
        if !held.is_empty() {
            return held;
        }
        self.made_bank_id_into(b, buf)
    }

    /// The id of bank line `b`, which holds none: made from its line, or
    /// counted on from an earlier line's.
    pub fn made_bank_id_into<'s>(&self, b: usize, buf: &'s mut String) -> &'s str {
        buf.clear();
        if self.bank_ids_from_lines {
            let line = self.bank_lines.line(b).into();
            push_line_id(buf, self.sources.name(SourceFile::Bank), line);
        } else {
            self.bank_counted
                .count_into(b, |i| self.held_bank_id(i), buf);
        }
        buf
    }

    /// The id text bank line `b` holds (empty where its id is made).
    fn held_bank_id(&self, b: usize) -> &str {
        self.bank_text
            .get_field(self.bank[b].texts, BankLine::BANK_ID)
    }

    pub fn reference(&self, line: &BankLine) -> &str {
        self.bank_text.get_field(line.texts, BankLine::REFERENCE)
    }

    pub fn payer(&self, line: &BankLine) -> &str {
        self.bank_text.get_field(line.texts, BankLine::PAYER)
    }

    pub fn return_code(&self, line: &BankLine) -> Option<&str> {
        Some(self.bank_text.get_field(line.texts, BankLine::RETURN_CODE)).filter(|c| !c.is_empty())
    }

    pub fn returned_bank_id(&self, line: &BankLine) -> Option<&str> {
        Some(
            self.bank_text
                .get_field(line.texts, BankLine::RETURNED_BANK_ID),
        )
        .filter(|id| !id.is_empty())
    }

    /// The default as-at date: the latest date anywhere in the ledger or
    /// bank, or where both are empty, the latest tenancy start.
    pub fn latest_date(&self) -> Option<NaiveDate> {
        use rayon::prelude::*;
        // In parallel: a pass over every row, the first step of a run.
        let ledger = self.postings.par_iter().map(|p| p.date).max();
        let bank = self.bank.par_iter().map(|b| b.date).max();
        (ledger.max(bank)).or_else(|| self.accounts.iter().map(|a| a.opening_date).max())
    }
}

/// Bank lines' ids for a pass over lines in order: an id a line does not
/// hold is, where the line before was asked for last, its id counted on by
/// one, not made afresh from its run's first (millions of lines are keyed
/// by their ids).
pub struct BankIdsInOrder<'d> {
    data: &'d Dataset,
    /// The line asked for last, whose id `id` holds.
    last: Option<usize>,
    id: String,
}

impl<'d> BankIdsInOrder<'d> {
    pub fn new(data: &'d Dataset) -> Self {
        BankIdsInOrder {
            data,
            last: None,
            id: String::new(),
        }
    }

    /// Bank line `b`'s id.
    pub fn get(&mut self, b: usize) -> &str {
        let after_last = self.last.replace(b).is_some_and(|l| l + 1 == b);
        let held = self.data.held_bank_id(b);
        if !held.is_empty() {
            self.id.clear();
            self.id.push_str(held);
            return &self.id;
        }
        if after_last && !self.data.bank_ids_from_lines {
            // A line holding no id of its own counts on from the line
            // before (see [`CountedIds`]).
            let mut id = std::mem::take(&mut self.id).into_bytes();
            if counted::count_on(&mut id) {
                // Only ASCII digits changed, for ASCII digits: still UTF-8.
                self.id = String::from_utf8(id).unwrap_or_default();
                return &self.id;
            }
        }
        self.data.made_bank_id_into(b, &mut self.id)
    }
}

/// Each account's postings in date order (ties in file order), as indices
/// into [`Dataset::postings`]: the view that charges, balances and refunds
/// all read, built once rather than by each.
#[derive(Clone, Debug, Default)]
pub struct AccountPostings {
    /// Account `a`'s postings are `postings[start[a]..start[a + 1]]`.
    start: Vec<usize>,
    postings: Vec<u32>,
}

impl AccountPostings {
    pub fn build(data: &Dataset) -> Self {
        use rayon::prelude::*;
        // Counted, then placed: one pass each, no vector per account.
        let mut start = vec![0usize; data.accounts.len() + 1];
        for p in &data.postings {
            start[p.account as usize + 1] += 1;
        }
        for a in 0..data.accounts.len() {
            start[a + 1] += start[a];
        }
        let mut next = start.clone();
        let mut postings = vec![0u32; data.postings.len()];
        for (i, p) in data.postings.iter().enumerate() {
            let slot = &mut next[p.account as usize];
            // Readers refuse a file of more than `u32::MAX` lines.
            postings[*slot] = i as u32;
            *slot += 1;
        }
        let mut runs: Vec<&mut [u32]> = Vec::with_capacity(data.accounts.len());
        let mut rest = postings.as_mut_slice();
        for a in 0..data.accounts.len() {
            let (run, tail) = rest.split_at_mut(start[a + 1] - start[a]);
            runs.push(run);
            rest = tail;
        }
        runs.into_par_iter()
            .for_each(|run| run.sort_by_key(|&p| (data.postings[p as usize].date, p)));
        AccountPostings { start, postings }
    }

    /// The account's postings, oldest first.
    pub fn of(&self, account: AccountId) -> &[u32] {
        let a = account as usize;
        &self.postings[self.start[a]..self.start[a + 1]]
    }
}
