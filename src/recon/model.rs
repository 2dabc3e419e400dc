//! The domain model the core works on: accounts, postings (ledger rows), bank
//! lines and schedule shares. Every row keeps the file line it came from, so
//! each finding can cite its evidence.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use super::counted::CountedIds;

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

/// A row's amount, held exactly in eight bytes at four-byte alignment: its
/// value in pence and the places it was written with, packed into two
/// words, where a `Decimal` takes sixteen. Millions of rows each hold one.
/// Sums and sentences use the `Decimal` [`Amount::get`] gives back; sorting
/// and grouping millions of amounts use [`Amount::pence`], an integer.
/// Not comparable as it stands: `80.0` and `80.00` are packed apart.
#[derive(Clone, Copy)]
pub struct Amount {
    low: u32,
    high: u32,
}

impl Amount {
    /// The places (0 to 2) below the pence; the pence above, under 2^61 in
    /// size. Readers take at most 15 digits and 2 places, so every amount
    /// read from a file, and the difference of two, fits.
    const SCALE_BITS: u32 = 2;

    pub const ZERO: Amount = Amount { low: 0, high: 0 };

    /// `None` for an amount too large, or with more than two places.
    pub fn new(value: Decimal) -> Option<Amount> {
        let scale = value.scale();
        let mantissa = i64::try_from(value.mantissa()).ok()?;
        let pence = mantissa.checked_mul(10i64.checked_pow(2u32.checked_sub(scale)?)?)?;
        let limit = 1i64 << (63 - Self::SCALE_BITS);
        if !(-limit..limit).contains(&pence) {
            return None;
        }
        let packed = ((pence << Self::SCALE_BITS) | i64::from(scale)) as u64;
        Some(Amount {
            low: packed as u32,
            high: (packed >> 32) as u32,
        })
    }

    fn packed(self) -> i64 {
        (u64::from(self.high) << 32 | u64::from(self.low)) as i64
    }

    /// The value in pence: ordered and equal as the amounts are.
    pub fn pence(self) -> i64 {
        self.packed() >> Self::SCALE_BITS
    }

    pub fn get(self) -> Decimal {
        let packed = self.packed();
        let scale = (packed & ((1 << Self::SCALE_BITS) - 1)) as u32;
        let pence = packed >> Self::SCALE_BITS;
        // Division by a constant: no divide instruction on this path.
        let mantissa = match scale {
            2 => pence,
            1 => pence / 10,
            _ => pence / 100,
        };
        // From its parts: `Decimal::new` checks the scale on every call, and
        // this is read millions of times. The mantissa is under 2^61.
        let magnitude = mantissa.unsigned_abs();
        Decimal::from_parts(
            magnitude as u32,
            (magnitude >> 32) as u32,
            0,
            mantissa < 0,
            scale,
        )
    }
}

impl std::fmt::Debug for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.get())
    }
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

/// A text held in a file's [`TextStore`]: four bytes in a row instead of a
/// string of its own. The empty text is [`TextId::EMPTY`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextId(u32);

impl TextId {
    pub const EMPTY: TextId = TextId(0);

    pub fn is_empty(self) -> bool {
        self == TextId::EMPTY
    }

    /// Where the text is in its store: the same for the same id.
    pub fn index(self) -> u32 {
        self.0
    }

    /// The id this text has once its store is appended to another (see
    /// [`TextStore::append`]).
    pub fn shifted(self, by: u32) -> TextId {
        if self.is_empty() {
            self
        } else {
            TextId(self.0 + by)
        }
    }
}

/// A row's texts in its file's [`TextStore`], end to end: where the first
/// is, and which of the row's text fields are there (bit `k` for field
/// `k`; an empty field takes no room). One id a row, not one a field: a
/// charge has only its id, most other rows two or three of their texts,
/// and rows are held by the ten million. Packed, so that a row holding one
/// costs five bytes and its flags sit beside the row's other bytes.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, packed)]
pub struct RowTexts {
    first: TextId,
    present: u8,
}

impl RowTexts {
    /// Whether field `k` is there (not empty).
    pub fn has(self, k: u32) -> bool {
        self.present & 1 << k != 0
    }

    /// The texts once their store is appended to another (see
    /// [`TextStore::append`]).
    pub fn shifted(self, by: u32) -> RowTexts {
        RowTexts {
            first: { self.first }.shifted(by),
            present: self.present,
        }
    }
}

/// The texts of one file's rows (ids, references, payers) end to end, each
/// after its length. Ten million ledger rows each holding their own strings
/// cost 24 bytes a field before the text itself; here a row costs a
/// [`RowTexts`] and a byte for each field it has. The length beside the
/// text means reading one touches one place in memory, not an index of
/// ends and then the text: bank-key lookups read texts at random, millions
/// of times.
///
/// A length under 127 is one byte; a longer one is the byte 127 and four
/// base-128 digits. Every length byte is ASCII, so the store stays one
/// valid `String` and a text is read back by slicing it.
#[derive(Clone, Debug)]
pub struct TextStore {
    /// Starts with the empty text's length (0), so that id 0 is empty.
    text: String,
    /// Set when a text would not fit (more than 4 GiB of text, or a text of
    /// 256 MiB or more): the reader reports the file as too large.
    full: bool,
}

impl Default for TextStore {
    fn default() -> Self {
        TextStore {
            text: String::from("\0"),
            full: false,
        }
    }
}

impl TextStore {
    const LONG: u8 = 127;
    const DIGITS: usize = 4;

    /// Only a hint: if the room cannot be had, the store grows as texts come.
    pub fn reserve(&mut self, bytes: usize) {
        let _ = self.text.try_reserve(bytes);
    }

    pub fn push(&mut self, text: &str) -> TextId {
        if text.is_empty() {
            return TextId::EMPTY;
        }
        let long = text.len() >= usize::from(Self::LONG);
        let prefix = if long { 1 + Self::DIGITS } else { 1 };
        let start = u32::try_from(self.text.len());
        let fits = u32::try_from(self.text.len() + prefix + text.len()).is_ok()
            && text.len() < 1 << (7 * Self::DIGITS);
        let (Ok(start), true) = (start, fits) else {
            self.full = true;
            return TextId::EMPTY;
        };
        if long {
            self.text.push(char::from(Self::LONG));
            for digit in 0..Self::DIGITS {
                self.text
                    .push(char::from((text.len() >> (7 * digit)) as u8 & 0x7f));
            }
        } else {
            self.text.push(char::from(text.len() as u8));
        }
        self.text.push_str(text);
        TextId(start)
    }

    /// The text `id` names; empty for the empty text, and for an id this
    /// store never gave out (a store that was full, which stops the run).
    pub fn get(&self, id: TextId) -> &str {
        self.span(id.0 as usize)
            .and_then(|(from, len)| self.text.get(from..from + len))
            .unwrap_or("")
    }

    /// Where the text whose length is at `at` starts, and its length.
    fn span(&self, at: usize) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        match *bytes.get(at)? {
            Self::LONG => {
                let digits = bytes.get(at + 1..at + 1 + Self::DIGITS)?;
                let len = digits
                    .iter()
                    .enumerate()
                    .fold(0, |len, (i, &d)| len | usize::from(d) << (7 * i));
                Some((at + 1 + Self::DIGITS, len))
            }
            len => Some((at + 1, usize::from(len))),
        }
    }

    /// Stores a row's text fields end to end, the empty ones taking no room.
    pub fn push_row(&mut self, fields: &[&str]) -> RowTexts {
        debug_assert!(fields.len() <= 8, "a row's fields are flagged in a byte");
        let mut row = RowTexts::default();
        for (k, field) in fields.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            let id = self.push(field);
            if row.present == 0 {
                row.first = id;
            }
            row.present |= 1 << k;
        }
        row
    }

    /// Stores a row's texts as [`TextStore::push_row`] does, unless a row
    /// before it held the very same ones: then the row points at those.
    pub fn push_row_shared(&mut self, fields: &[&str], repeats: &mut Repeats) -> RowTexts {
        let start = self.text.len();
        let mut row = self.push_row(fields);
        if row.present != 0 && !self.full {
            row.first = self.share(start, repeats);
        }
        row
    }

    /// `row`'s texts, held in `from`, stored in this store (shared as
    /// [`TextStore::push_row_shared`] shares them).
    pub fn copy_row(&mut self, from: &TextStore, row: RowTexts, repeats: &mut Repeats) -> RowTexts {
        if row.present == 0 {
            return row;
        }
        let first = row.first.0 as usize;
        let end = from.past(first, row.present.count_ones());
        let start = self.text.len();
        let Some(texts) = from.text.get(first..end) else {
            return RowTexts::default();
        };
        if u32::try_from(start + texts.len()).is_err() || self.full {
            self.full = true;
            return RowTexts::default();
        }
        self.text.push_str(texts);
        RowTexts {
            first: self.share(start, repeats),
            present: row.present,
        }
    }

    /// The texts just stored from `start` on: kept, and noted in `repeats`,
    /// or dropped again where `repeats` knows of the same ones stored
    /// before. A match need only begin with them: texts are read by their
    /// lengths, and a row reads no further than its own.
    fn share(&mut self, start: usize, repeats: &mut Repeats) -> TextId {
        let Some(texts) = self.text.as_bytes().get(start..).filter(|t| !t.is_empty()) else {
            return TextId::EMPTY;
        };
        let slot = repeats.slot(texts);
        let before = *slot as usize;
        let same =
            before != 0 && self.text.as_bytes().get(before..before + texts.len()) == Some(texts);
        if same {
            self.text.truncate(start);
            TextId(before as u32)
        } else {
            *slot = start as u32;
            TextId(start as u32)
        }
    }

    /// The id of field `k` of a row stored by [`TextStore::push_row`]:
    /// past the texts of the fields before it that are there.
    pub fn field(&self, row: RowTexts, k: u32) -> TextId {
        if !row.has(k) {
            return TextId::EMPTY;
        }
        let before = (row.present & ((1 << k) - 1)).count_ones();
        TextId(self.past(row.first.0 as usize, before) as u32)
    }

    /// Where the text `texts` texts on from the one at `at` starts.
    fn past(&self, at: usize, texts: u32) -> usize {
        (0..texts).fold(at, |at, _| {
            self.span(at).map_or(at, |(from, len)| from + len)
        })
    }

    /// Field `k` of a row stored by [`TextStore::push_row`].
    pub fn get_field(&self, row: RowTexts, k: u32) -> &str {
        self.get(self.field(row, k))
    }

    /// Appends `other`'s texts, returning what to shift its ids by.
    pub fn append(&mut self, other: &TextStore) -> u32 {
        // `other`'s own empty text (its first byte) is not copied: its ids
        // start at 1, and shifted by one less than this store's length they
        // land where their text does.
        let shift = self.text.len() as u32 - 1;
        if u32::try_from(self.text.len() + other.text.len()).is_err() || other.full {
            self.full = true;
            return shift;
        }
        self.text.push_str(&other.text[1..]);
        shift
    }

    /// Whether a text could not be held (the file is too large).
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// Bytes held (texts and their lengths), for sizing a store to hold
    /// more.
    pub fn size(&self) -> usize {
        self.text.len() - 1
    }
}

/// Where a store's rows' texts are, by a hash of them, so that a row
/// repeating another's (a payer's reference and name, month after month)
/// can point at those rather than hold them again: on a year's bank
/// statement nearly every line does. Fixed in size, a slot holding the last
/// texts to hash there: texts that never repeat cost a lookup each and no
/// room beyond the table (at most 4 MiB).
#[derive(Clone, Debug)]
pub struct Repeats {
    /// Where texts start in the store; 0 (the empty text) for none.
    slots: Vec<u32>,
    bits: u32,
}

impl Repeats {
    /// A table for the rows of a file (or block) of `bytes`, or of any
    /// size: a slot for every 64 bytes, between 4,096 and a million.
    pub fn for_bytes(bytes: Option<u64>) -> Repeats {
        let rows = bytes.map_or(u64::MAX, |b| b / 64);
        let bits = (u64::BITS - rows.leading_zeros()).clamp(12, 20);
        Repeats {
            slots: vec![0; 1 << bits],
            bits,
        }
    }

    fn slot(&mut self, texts: &[u8]) -> &mut u32 {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(texts);
        // The top bits of a multiplied hash are its best mixed.
        let hash = hasher.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15);
        &mut self.slots[(hash >> (64 - self.bits)) as usize]
    }
}

/// The file lines a file's rows came from, by row. A row's line is nearly
/// always the one after the last row's, so the lines are held as runs of
/// consecutive lines (one run for a clean file), not four bytes a row: rows
/// are held by the ten million. A row on a line of its own after a
/// rejected row, a blank line or a quoted line break starts a run.
#[derive(Clone, Debug, Default)]
pub struct LineMap {
    /// `(first row, its line)` of each run, in row order.
    runs: Vec<(u32, u32)>,
    rows: u32,
}

impl LineMap {
    /// Adds the next row's line.
    pub fn push(&mut self, line: u32) {
        let follows = self.runs.last().is_some_and(|&(row, first)| {
            u64::from(first) + u64::from(self.rows - row) == u64::from(line)
        });
        if !follows {
            self.runs.push((self.rows, line));
        }
        self.rows += 1;
    }

    /// Row `row`'s line (0 for a row never added).
    pub fn line(&self, row: usize) -> u32 {
        let run = self
            .runs
            .partition_point(|&(first, _)| first as usize <= row);
        match run.checked_sub(1).map(|r| self.runs[r]) {
            Some((first, line)) if row < self.rows as usize => {
                line.saturating_add(row as u32 - first)
            }
            _ => 0,
        }
    }

    /// Adds `other`'s rows after these.
    pub fn append(&mut self, other: &LineMap) {
        let by = self.rows;
        for &(row, line) in &other.runs {
            let follows = self.runs.last().is_some_and(|&(r, first)| {
                row == 0 && u64::from(first) + u64::from(by - r) == u64::from(line)
            });
            if !follows {
                self.runs.push((row + by, line));
            }
        }
        self.rows += other.rows;
    }

    pub fn len(&self) -> usize {
        self.rows as usize
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
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

/// A row whose texts are in its file's [`TextStore`].
pub trait StoredRow {
    /// Whether rows of this kind repeat each other's texts often enough to
    /// share them (see [`Repeats`]).
    const REPEATS: bool;

    fn texts(&self) -> RowTexts;

    fn texts_mut(&mut self) -> &mut RowTexts;
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
                None => account.benefit == Benefit::Hb,
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
            if super::counted::count_on(&mut id) {
                // Only ASCII digits changed, for ASCII digits: still UTF-8.
                self.id = String::from_utf8(id).unwrap_or_default();
                return &self.id;
            }
        }
        self.data.made_bank_id_into(b, &mut self.id)
    }
}

/// Appends `file:line` to `buf`: the id a profile makes from a line, for a
/// file with no id column. Without the formatter: millions of rows are
/// given such ids as they are read, and bank lines keyed by them.
pub fn push_line_id(buf: &mut String, file: &str, line: u64) {
    buf.push_str(file);
    buf.push(':');
    push_digits(buf, line);
}

/// Appends `n` in decimal, as its `Display` writes it.
pub fn push_digits(buf: &mut String, n: u64) {
    push_padded(buf, n, 1);
}

/// Appends `n` in decimal with leading zeros to at least `width` digits.
pub fn push_padded(buf: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let at = digits_before(n, &mut digits, 20);
    buf.extend(std::iter::repeat_n(
        '0',
        width.saturating_sub(digits.len() - at),
    ));
    // Digits are ASCII: always UTF-8.
    if let Ok(digits) = std::str::from_utf8(&digits[at..]) {
        buf.push_str(digits);
    }
}

/// Writes `n`'s decimal digits into `buf` so that they end just before
/// `end`, and returns where they start. `buf` needs room for 20 digits
/// before `end` (`u64::MAX` has 20).
pub fn digits_before(mut n: u64, buf: &mut [u8], end: usize) -> usize {
    let mut at = end;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return at;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_held_exactly_with_its_places() {
        for text in [
            "0",
            "80",
            "80.5",
            "-80.50",
            "0.01",
            "-0.01",
            "999999999999999.99",
            "-999999999999999.99",
        ] {
            let d: Decimal = text.parse().expect("decimal");
            let held = Amount::new(d).expect("fits");
            assert_eq!(held.get().to_string(), d.to_string(), "{text}");
            assert_eq!(held.get().scale(), d.scale(), "{text}");
        }
        // Too wide or too precise to pack: refused, never truncated.
        assert!(Amount::new(Decimal::MAX).is_none());
        assert!(Amount::new("0.001".parse().expect("decimal")).is_none());
        assert!(Amount::new(Decimal::new(1 << 61, 2)).is_none());
        assert!(Amount::new(Decimal::new(-(1 << 61), 2)).is_some());
        assert!(Amount::new(Decimal::new(1 << 59, 0)).is_none());
        // Pence order and group amounts as their values do.
        let pence = |t: &str| Amount::new(t.parse().expect("decimal")).map(Amount::pence);
        assert_eq!(pence("80"), pence("80.00"));
        assert_eq!(pence("-0.5"), Some(-50));
        assert!(pence("79.99") < pence("80") && pence("-80") < pence("-79.99"));
    }

    #[test]
    fn a_line_map_gives_back_each_rows_line_however_its_blocks_were_joined() {
        // Clean runs, a gap (a rejected row or a quoted line break), and a
        // saturated line, split into blocks at every place and joined.
        let lines = [2, 3, 4, 7, 8, 10, 11, 12, 13, u32::MAX, u32::MAX, 20];
        for cut in 0..=lines.len() {
            for cut2 in cut..=lines.len() {
                let mut joined = LineMap::default();
                for part in [&lines[..cut], &lines[cut..cut2], &lines[cut2..]] {
                    let mut block = LineMap::default();
                    part.iter().for_each(|&l| block.push(l));
                    joined.append(&block);
                }
                let read: Vec<u32> = (0..joined.len()).map(|i| joined.line(i)).collect();
                assert_eq!(read, lines, "cut at {cut} and {cut2}");
                // Runs: [2..4], [7..8], [10..13], MAX, MAX, [20].
                assert_eq!(joined.runs.len(), 6);
                assert_eq!(joined.line(lines.len()), 0);
            }
        }
        assert_eq!(LineMap::default().line(0), 0);
    }

    #[test]
    fn a_store_gives_back_each_text_and_keeps_them_apart_when_appended() {
        let mut first = TextStore::default();
        let a = first.push("T001");
        let empty = first.push("");
        let b = first.push("£12 café");
        assert_eq!(
            (first.get(a), first.get(empty), first.get(b)),
            ("T001", "", "£12 café")
        );
        assert!(empty.is_empty());

        let mut second = TextStore::default();
        let c = second.push("B9");
        let none = second.push("");
        let shift = first.append(&second);
        assert_eq!(first.get(c.shifted(shift)), "B9");
        assert_eq!(none.shifted(shift), TextId::EMPTY);
        assert_eq!((first.get(a), first.get(b)), ("T001", "£12 café"));
        assert_eq!(first.size(), 3 + "T001£12 caféB9".len());
        // An id past the end reads as empty.
        assert_eq!(first.get(TextId(99)), "");
        // A long text has its length in five bytes, and reads back whole.
        let long = "x".repeat(300) + "é";
        let l = first.push(&long);
        assert_eq!((first.get(l), first.get(b)), (long.as_str(), "£12 café"));
        // Any id, given out or not, reads as some text or empty: never a panic.
        for id in 0..first.size() as u32 + 8 {
            let _ = first.get(TextId(id));
        }
        assert!(!first.is_full());

        // A row's texts: the empty fields take no room and read as empty,
        // the others read back past those before them, long ones included.
        let row = first.push_row(&["B1", "", &long, "", "RA1"]);
        let read = |k| first.get_field(row, k);
        assert_eq!(
            (read(0), read(1), read(2), read(3), read(4), read(5)),
            ("B1", "", long.as_str(), "", "RA1", "")
        );
        assert!(row.has(0) && !row.has(1) && row.has(4));
        let none = first.push_row(&["", ""]);
        assert_eq!((first.get_field(none, 0), none.has(0)), ("", false));
        // Appended, a row's texts move together.
        let mut third = TextStore::default();
        let moved = third.push_row(&["", "ref", "payer"]);
        let shift = first.append(&third);
        let moved = moved.shifted(shift);
        assert_eq!(
            (first.get_field(moved, 1), first.get_field(moved, 2)),
            ("ref", "payer")
        );
    }

    #[test]
    fn rows_repeating_texts_share_them_and_each_reads_back_its_own() {
        let mut store = TextStore::default();
        let mut repeats = Repeats::for_bytes(Some(1 << 10));
        let first = store.push_row_shared(&["", "RA1", "FAY TAYLOR"], &mut repeats);
        let size = store.size();
        let again = store.push_row_shared(&["", "RA1", "FAY TAYLOR"], &mut repeats);
        assert_eq!(store.size(), size, "a repeat takes no room");
        // The reference alone (the start of another row's texts), and the
        // same text in a different field: the same bytes, shared.
        let part = store.push_row_shared(&["", "RA1"], &mut repeats);
        let moved = store.push_row_shared(&["RA1", ""], &mut repeats);
        let other = store.push_row_shared(&["", "RA2", "FAY TAYLOR"], &mut repeats);
        let none = store.push_row_shared(&["", "", ""], &mut repeats);
        let read = |row: RowTexts| (0..3).map(|k| store.get_field(row, k)).collect::<Vec<_>>();
        assert_eq!(read(first), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(again), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(part), ["", "RA1", ""]);
        assert_eq!(read(moved), ["RA1", "", ""]);
        assert_eq!(read(other), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(none), ["", "", ""]);
        assert_eq!(store.size(), size + "\x03RA1\x03RA2\x0aFAY TAYLOR".len());

        // Copied into another store (a block's rows into the file's), rows
        // share with those already there, and with each other.
        let mut file = TextStore::default();
        let mut file_repeats = Repeats::for_bytes(None);
        let held = file.push_row_shared(&["", "RA2", "FAY TAYLOR"], &mut file_repeats);
        let size = file.size();
        let copied: Vec<RowTexts> = [first, again, part, moved, other, none]
            .iter()
            .map(|&row| file.copy_row(&store, row, &mut file_repeats))
            .collect();
        let read = |row: RowTexts| (0..3).map(|k| file.get_field(row, k)).collect::<Vec<_>>();
        assert_eq!(read(held), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(copied[0]), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(copied[1]), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(copied[2]), ["", "RA1", ""]);
        assert_eq!(read(copied[3]), ["RA1", "", ""]);
        assert_eq!(read(copied[4]), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(copied[5]), ["", "", ""]);
        assert_eq!(file.size(), size + "\x03RA1\x0aFAY TAYLOR\x03RA1".len());

        // More texts than slots: texts hashing to a taken slot are kept.
        let mut store = TextStore::default();
        let mut repeats = Repeats::for_bytes(Some(0));
        let refs: Vec<String> = (0..20_000).map(|n| format!("RA{n}")).collect();
        let rows: Vec<RowTexts> = refs
            .iter()
            .chain(&refs)
            .map(|r| store.push_row_shared(&[r], &mut repeats))
            .collect();
        for (row, r) in rows.iter().zip(refs.iter().chain(&refs)) {
            assert_eq!(store.get_field(*row, 0), r);
        }
    }

    proptest::proptest! {
        #[test]
        fn a_line_id_is_written_as_the_formatter_writes_it(line in proptest::num::u64::ANY, n in 0u64..1000) {
            for line in [line, n] {
                let mut id = String::from("x");
                push_line_id(&mut id, "bank.csv", line);
                proptest::prop_assert_eq!(id, format!("xbank.csv:{line}"));
            }
        }
    }
}
