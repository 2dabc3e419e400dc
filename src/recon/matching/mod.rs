//! Linking ledger postings to the money behind them, and naming what is left.
//! Receipts (bank lines, or one share of a bulk line) are tied to ledger
//! credits first by `bank_ref`, then by account, amount and date window in the
//! fixed order of passes documented in docs/matching.md. Every bank line and
//! every ledger credit comes out with exactly one [`Outcome`].

use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use super::conflict::{self, PayerConflict};
use super::finding::{Finding, FindingKind, Outcome, Severity};
use super::hold::Lead;
use super::identify::{self, Basis, Identity, NearIndex, RefIndex};
use super::model::{
    day_number, days_between, AccountId, AccountPostings, BankIdsInOrder, BankLine, Dataset,
    Posting, PostingKind, ScheduleShare, Text,
};
use super::money::pounds;
use super::store::amount::Amount;
use super::store::counted;
use super::store::text::TextId;

/// The rules' settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchOptions {
    pub as_at: NaiveDate,
    /// A posting more than this many days after the money arrived is late.
    pub posting_days: i64,
    /// How many days after the money a posting may be and still be linked to
    /// it by account, amount and date (without a `bank_ref`).
    pub match_days: i64,
    /// How many days before the bank's value date a posting may be (card
    /// and Direct Debit systems often post on the collection date).
    pub lead_days: i64,
    /// Housing Benefit credits are rent rebates, checked against the
    /// rebate schedule rather than the bank.
    pub hb_rent_rebates: bool,
}

/// Money to be accounted for: a whole bank line, or one share of a bulk line.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Indices into the bank lines and shares as `u32`: there are millions
    /// of receipts, and readers refuse a file of more than `u32::MAX` lines.
    pub bank: u32,
    /// The share, or [`Receipt::WHOLE_LINE`]: read through
    /// [`Receipt::share`]. Not an `Option`, which would take eight bytes.
    pub share: u32,
    pub identity: Held,
}

/// A receipt's [`Identity`] as the receipt holds it: eight bytes, where an
/// [`Identity`] (a pointer to a boxed set beside a tag) takes sixteen. The
/// accounts an ambiguous receipt fits are kept beside the receipts (few
/// receipts are ambiguous).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    Account(AccountId, Basis),
    Ambiguous,
    Unknown,
}

impl Held {
    pub fn account(self) -> Option<AccountId> {
        match self {
            Held::Account(id, _) => Some(id),
            _ => None,
        }
    }
}

/// The accounts each ambiguous receipt fits, by receipt, in receipt order.
type AmbiguousSets = Vec<(usize, Box<[AccountId]>)>;

impl Receipt {
    /// [`Receipt::share`] for a receipt that is a whole bank line.
    pub const WHOLE_LINE: u32 = u32::MAX;

    /// The share of a bulk line this receipt is, if it is one.
    pub fn share(&self) -> Option<u32> {
        Some(self.share).filter(|&s| s != Self::WHOLE_LINE)
    }

    /// Always positive. Read from its bank line or share, not held: there
    /// are millions of receipts.
    pub fn amount(&self, data: &Dataset) -> Decimal {
        self.held_amount(data).get()
    }

    /// [`Receipt::amount`] in pence.
    pub fn pence(&self, data: &Dataset) -> i64 {
        self.held_amount(data).pence()
    }

    fn held_amount(&self, data: &Dataset) -> Amount {
        match self.share() {
            Some(s) => data.shares[s as usize].amount,
            None => data.bank[self.bank as usize].amount,
        }
    }

    /// The day the money arrived: its bank line's.
    pub fn date(&self, data: &Dataset) -> NaiveDate {
        data.bank[self.bank as usize].date
    }
}

// Millions of receipts are held at once: a field that grows them shows here.
const _: () = assert!(std::mem::size_of::<Receipt>() == 16);

/// What became of one slice of a bank line: a whole line, one share of a
/// bulk line, or the part of a bulk line its schedule does not explain.
/// A receipt's is made from the receipt and its outcome
/// ([`Matching::bank_entries`]); the rest are held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankEntry {
    /// As in [`Receipt`].
    pub bank: u32,
    pub share: Option<u32>,
    /// Signed as on the bank statement.
    pub amount: Decimal,
    pub outcome: Outcome,
}

/// A negative schedule share: benefit taken back out of a run. `line`:
/// the bulk line that carries it, if a bank line does.
#[derive(Clone, Copy, Debug)]
pub(super) struct Clawback {
    pub share: usize,
    pub line: Option<usize>,
}

/// The result of matching, before balances are worked out.
#[derive(Clone, Debug, Default)]
pub struct Matching {
    pub receipts: Vec<Receipt>,
    /// What became of each receipt, in receipt order: a byte each rather
    /// than a whole [`BankEntry`] (millions of receipts; it was the peak of
    /// a run's memory).
    pub receipt_outcomes: Vec<Outcome>,
    /// The slices of bank lines that are not receipts: lines after the as-at
    /// date, money out, and the part of a bulk line its schedule does not
    /// explain. By bank line.
    pub other_entries: Vec<BankEntry>,
    /// One per posting: `Some` for every credit, `None` for debits.
    pub credit_outcomes: Vec<Option<Outcome>>,
    pub findings: Vec<Finding>,
    /// Direct Debit returns tied to an account: (account, bank line).
    pub returns: Vec<(AccountId, usize)>,
    /// Receipts whose reference and payer name point at different accounts.
    pub conflicts: Vec<PayerConflict>,
    /// Receipts no reference claims that were posted, where the evidence
    /// fits another account at least as well as where they went: each such
    /// account with its lead.
    pub leads: Vec<(AccountId, Lead)>,
    /// Accounts credited rent rebates with no rebate schedule to check
    /// them against (`hb_rent_rebates` only).
    pub rebates_unchecked: Vec<AccountId>,
    /// Debits paired with benefit taken back out of a run, sorted: sundry
    /// debt, however the ledger coded them.
    pub clawed: Vec<usize>,
    /// Receipts matched in parts (split or combined postings), in receipt
    /// order: matched, and listed with their evidence.
    pub in_parts: Vec<InParts>,
    /// Reversals and refunds whose bank ref names no bank line, matched by
    /// account and amount instead, in ledger order.
    pub unknown_bank_refs: Vec<usize>,
}

/// What one receipt came to: its outcome, the outcome of each posting tied
/// to it, and its findings.
/// A receipt's outcome, its postings' (nearly always one, held inline: a
/// decision a receipt) and its findings.
type Decision = (Outcome, SmallVec<[(usize, Outcome); 1]>, Vec<Finding>);

impl Matching {
    /// Every slice of every bank line and what became of it: each receipt's,
    /// in receipt order, then the rest. In parallel: there are millions.
    pub fn bank_entries<'a>(
        &'a self,
        data: &'a Dataset,
    ) -> impl ParallelIterator<Item = BankEntry> + 'a {
        let receipts = self
            .receipts
            .par_iter()
            .zip(&self.receipt_outcomes)
            .map(|(r, &outcome)| BankEntry {
                bank: r.bank,
                share: r.share(),
                amount: r.amount(data),
                outcome,
            });
        receipts.chain(self.other_entries.par_iter().cloned())
    }
}

/// What a posting's bank ref leads to, found in parallel before linking.
#[derive(Clone, Copy)]
enum Found {
    NoRef,
    /// The ref names no line with money in.
    Dangling,
    /// The line's one receipt.
    One(usize),
    /// A bulk line, whose shares are chosen between in order.
    Shares(usize),
}

/// How many candidate accounts a suspense finding names in its sentence
/// (all of them are held, and listed in the finding's suggestions).
const SUGGESTIONS_SHOWN: usize = 3;

/// Makes a finding about one receipt: kind, account, posted to, postings,
/// amount, detail.
type MakeFinding<'a> = dyn Fn(FindingKind, Option<AccountId>, Option<AccountId>, Vec<usize>, Decimal, String) -> Finding
    + 'a;

/// A receipt and a posting tied together, as indices.
type Pair = (usize, usize);

/// A possible pair with its cost: `(cost, receipt, posting)`.
type Candidate = (i64, usize, usize);

/// A receipt or posting with its date as a day number.
type Dated = (i32, usize);

/// A free receipt or posting for pass 2 of linking by window: its account,
/// pence, day number and index.
type Keyed = (AccountId, i64, i32, usize);

/// A run of pass 2's sorted receipts and the run of its postings with the
/// same account and amount.
type Group = (std::ops::Range<usize>, std::ops::Range<usize>);

/// `£120.00 received 2026-02-03 (BNK-0042, reference "RA1003", payer "J SMITH")`
struct ReceiptText<'a> {
    data: &'a Dataset,
    receipt: &'a Receipt,
}

impl std::fmt::Display for ReceiptText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line: &BankLine = &self.data.bank[self.receipt.bank as usize];
        write!(
            f,
            "{} received {} ({}",
            pounds(self.receipt.amount(self.data)),
            line.date,
            self.data.bank_id(self.receipt.bank as usize)
        )?;
        if let Some(s) = self.receipt.share() {
            let share = &self.data.shares[s as usize];
            let who = share
                .account_ref
                .as_deref()
                .or(share.claim_ref.as_deref())
                .unwrap_or("?");
            write!(f, ", schedule share for {who}")?;
        } else {
            let (reference, payer) = (self.data.reference(line), self.data.payer(line));
            if !reference.is_empty() {
                write!(f, ", reference {reference:?}")?;
            }
            if !payer.is_empty() {
                write!(f, ", payer {payer:?}")?;
            }
        }
        f.write_str(")")
    }
}

/// The postings tied to each receipt, in the order they were tied. Nearly
/// every receipt has none or one, so the first is held in place (four bytes
/// a receipt, not a vector's twenty-four) and any more beside it, with a
/// bit a receipt saying which have more: every receipt is asked for its
/// postings, and a probe of the map for each was a cache miss.
struct Links {
    /// `NONE`, or the receipt's first posting (readers refuse a file of more
    /// than `u32::MAX` lines).
    first: Vec<u32>,
    more: HashMap<usize, Vec<usize>>,
    /// The receipts `more` holds.
    several: Marks,
}

impl Links {
    const NONE: u32 = u32::MAX;

    fn new(receipts: usize) -> Self {
        Links {
            first: vec![Self::NONE; receipts],
            more: HashMap::default(),
            several: Marks::new(receipts),
        }
    }

    fn push(&mut self, receipt: usize, posting: usize) {
        if self.first[receipt] == Self::NONE {
            self.first[receipt] = posting as u32;
        } else {
            self.more.entry(receipt).or_default().push(posting);
            self.several.set(receipt);
        }
    }

    fn is_empty(&self, receipt: usize) -> bool {
        self.first[receipt] == Self::NONE
    }

    pub(super) fn of(&self, receipt: usize) -> impl Iterator<Item = usize> + '_ {
        let first = Some(self.first[receipt])
            .filter(|&p| p != Self::NONE)
            .map(|p| p as usize);
        let more = (self.several.has(receipt))
            .then(|| self.more.get(&receipt))
            .flatten()
            .into_iter()
            .flatten()
            .copied();
        first.into_iter().chain(more)
    }
}

/// A set of receipts, a bit each, for what few receipts are and every
/// receipt asks about: a bit is read where a map probe was a miss.
struct Marks {
    words: Vec<u64>,
}

impl Marks {
    fn new(len: usize) -> Self {
        Marks {
            words: vec![0; len.div_ceil(64)],
        }
    }

    fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    fn has(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The members, in order, a word at a time in parallel.
    fn par_members(&self) -> impl ParallelIterator<Item = usize> + '_ {
        self.words
            .par_iter()
            .enumerate()
            .flat_map_iter(|(w, &word)| {
                let mut word = word;
                std::iter::from_fn(move || {
                    let bit = (word != 0).then(|| word.trailing_zeros() as usize)?;
                    word &= word - 1;
                    Some(w * 64 + bit)
                })
            })
    }
}

/// Receipts by a key (their account, their amount in pence), sorted so that
/// those of one key are a run found by binary search: built by sorting
/// rather than hashing, since there are millions.
struct Pool<K> {
    sorted: Vec<(K, usize)>,
}

impl<K: Ord + Copy + Send> Pool<K> {
    fn new(mut sorted: Vec<(K, usize)>) -> Self {
        sorted.par_sort_unstable();
        Pool { sorted }
    }

    /// The entries with keys from `from` to `to`, both included, in order.
    pub(super) fn range(&self, from: K, to: K) -> &[(K, usize)] {
        let start = self.sorted.partition_point(|(k, _)| *k < from);
        let end = self.sorted.partition_point(|(k, _)| *k <= to);
        &self.sorted[start..end.max(start)]
    }

    pub(super) fn get(&self, key: K) -> impl Iterator<Item = usize> + Clone + '_ {
        let from = self.sorted.partition_point(|(k, _)| *k < key);
        self.sorted[from..]
            .iter()
            .take_while(move |(k, _)| *k == key)
            .map(|&(_, r)| r)
    }
}

/// Up to `n` items of `run` (sorted by `day_of`) cheapest by `cost_of`
/// their day, walked outwards from `day`: an account with thousands of
/// items costs no more than one with a dozen.
fn nearest_outwards<T>(
    run: &[T],
    day: i32,
    n: usize,
    day_of: impl Fn(&T) -> i32,
    cost_of: impl Fn(i32) -> i64,
) -> SmallVec<[&T; 16]> {
    let mid = run.partition_point(|q| day_of(q) < day);
    let (mut before, mut after) = (
        run[..mid].iter().rev().peekable(),
        run[mid..].iter().peekable(),
    );
    let mut chosen = SmallVec::new();
    while chosen.len() < n {
        let next = match (before.peek(), after.peek()) {
            (Some(b), Some(a)) if cost_of(day_of(b)) < cost_of(day_of(a)) => before.next(),
            (_, Some(_)) => after.next(),
            (Some(_), None) => before.next(),
            (None, None) => break,
        };
        chosen.extend(next);
    }
    chosen
}

struct State<'a> {
    data: &'a Dataset,
    opts: MatchOptions,
    receipts: Vec<Receipt>,
    ambiguous: AmbiguousSets,
    /// Postings tied to each receipt, with how.
    linked: Links,
    /// Whether each posting is tied to a receipt (`linked` says which).
    posting_linked: Vec<bool>,
    /// Cash credits still looking for their money.
    free_postings: Vec<usize>,
    /// A `bank_ref` that named no bank line, kept for the detail sentence.
    dangling_ref: HashMap<usize, String>,
    /// Cash credits whose `bank_ref` names a bulk line with no share for them.
    no_share: HashMap<usize, usize>,
    /// Receipts posted together as one credit: the posting of each receipt,
    /// and the receipts of each posting.
    combined: HashMap<usize, usize>,
    /// The receipts `combined` holds.
    is_combined: Marks,
    combinations: HashMap<usize, SmallVec<[usize; 3]>>,
}

/// Runs every pass and returns outcomes and findings. `index` is the
/// accounts' references and `ledger` each account's postings in date order:
/// the caller builds them side by side. The passes are docs/matching.md's,
/// in its order.
pub fn match_all(
    data: &Dataset,
    index: &RefIndex,
    ledger: &AccountPostings,
    opts: MatchOptions,
) -> Matching {
    let (mut bank_entries, mut findings) = (Vec::new(), Vec::new());
    let mut credit_outcomes = credits_not_linked(data, opts);
    let built = build_receipts(data, index, opts, &mut bank_entries, &mut findings);
    let mut clawbacks = built.clawbacks;
    let rebates_unchecked = check_rebates(
        data,
        index,
        opts,
        &mut clawbacks,
        &mut credit_outcomes,
        &mut findings,
    );
    let mut st = State::new(data, opts, built.receipts, built.ambiguous);
    let bank_keys = BankKeys::build(data, &bulk_lines(&st, &built.line_receipts), opts);
    // Before money out, which must not take the debits clawbacks took.
    let clawed = clawback::match_clawbacks(
        data,
        index,
        ledger,
        opts,
        &clawbacks,
        &mut bank_entries,
        &mut findings,
    );
    let money_out = MoneyOut {
        index,
        ledger,
        clawed: &clawed,
    };
    let paid_out = link_by_bank_ref_beside_money_out(
        &mut st,
        money_out,
        (bank_keys, built.line_receipts),
        (&mut bank_entries, &mut findings),
    );
    st.link_by_window();

    // Suggestions are made for the receipts no account claims: the
    // near-miss index holds only what their references can find.
    let near = st.near_for_unclaimed(index);
    let receipt_outcomes = st.decide_receipts(index, &near, &mut credit_outcomes, &mut findings);
    st.decide_unlinked_postings(index, &mut credit_outcomes, &mut findings);
    let in_parts = st.matched_in_parts();
    let conflicts = st.payer_conflicts(index);
    let leads = st.posted_leads(index, &near);

    bank_entries.sort_by_key(|e| e.bank);
    Matching {
        receipts: st.receipts,
        receipt_outcomes,
        other_entries: bank_entries,
        credit_outcomes,
        findings,
        returns: paid_out.returns,
        conflicts,
        leads,
        rebates_unchecked,
        clawed,
        in_parts,
        unknown_bank_refs: paid_out.unknown_ref,
    }
}

/// A Housing Benefit credit checked against the rebate schedule, not the
/// bank (`hb_rent_rebates` only).
#[inline]
fn is_rebate(data: &Dataset, opts: MatchOptions, p: &Posting) -> bool {
    opts.hb_rent_rebates && p.is_hb_rebate(data.account(p.account))
}

/// Each posting's outcome where no link can change it: `None` for debits
/// and for the cash credits linking decides, in ledger order.
fn credits_not_linked(data: &Dataset, opts: MatchOptions) -> Vec<Option<Outcome>> {
    data.postings
        .par_iter()
        .map(|p| match (p.is_credit(), p.date > opts.as_at) {
            (false, _) => None,
            (true, true) => Some(Outcome::AfterAsAt),
            (true, false) if is_rebate(data, opts, p) => Some(Outcome::RentRebate),
            (true, false) if p.is_cash_credit() => None,
            (true, false) => Some(Outcome::NonCash),
        })
        .collect()
}

/// The cash credits up to the as-at date that linking looks for money
/// behind, in ledger order. As `u32`, as in `Links`: millions of them.
fn cash_credits(data: &Dataset, opts: MatchOptions) -> Vec<u32> {
    data.postings
        .par_iter()
        .enumerate()
        .filter(|(_, p)| p.is_cash_credit() && p.date <= opts.as_at && !is_rebate(data, opts, p))
        .map(|(i, _)| i as u32)
        .collect()
}

/// With `hb_rent_rebates`, rebate credits are checked against the rebate
/// schedule, whose negative lines the bank does not carry join the
/// `clawbacks`; returns the accounts with rebates and no schedule.
fn check_rebates(
    data: &Dataset,
    index: &RefIndex,
    opts: MatchOptions,
    clawbacks: &mut Vec<Clawback>,
    credit_outcomes: &mut [Option<Outcome>],
    findings: &mut Vec<Finding>,
) -> Vec<AccountId> {
    if !opts.hb_rent_rebates {
        return Vec::new();
    }
    let on_bank = rebates::carried_by_the_bank(data);
    clawbacks.extend(
        (0..data.shares.len())
            .filter(|&s| !on_bank[s] && data.shares[s].amount.pence() < 0)
            .map(|share| Clawback { share, line: None }),
    );
    let checked = rebates::match_rebates(data, index, opts, &on_bank, credit_outcomes);
    findings.extend(checked.findings);
    checked.unchecked
}

/// Whether each bank line is a bulk line, split into schedule shares.
fn bulk_lines(st: &State, line_receipts: &LineReceipts) -> Vec<bool> {
    (0..st.data.bank.len())
        .into_par_iter()
        .map(|l| {
            line_receipts
                .of(l)
                .next()
                .is_some_and(|r| st.receipts[r].share().is_some())
        })
        .collect()
}

/// What pairing money out reads besides the bank keys.
struct MoneyOut<'a> {
    index: &'a RefIndex,
    ledger: &'a AccountPostings,
    /// Debits already paired with benefit taken back out of a run.
    clawed: &'a [usize],
}

/// Pass 1, linking by bank ref, beside pairing money out: money out needs
/// only the bank keys, not the links, so each fills the other's steps on
/// one core. Its findings and entries are sorted with the rest afterwards.
/// The bank keys and each line's receipts are dropped here: the peak of a
/// run's memory, linking by window, is still to come.
fn link_by_bank_ref_beside_money_out(
    st: &mut State,
    money_out: MoneyOut<'_>,
    (bank_keys, line_receipts): (BankKeys, LineReceipts),
    (entries, findings): (&mut Vec<BankEntry>, &mut Vec<Finding>),
) -> outflows::Outflows {
    let (data, opts) = (st.data, st.opts);
    let cash_credits = cash_credits(data, opts);
    let (mut outflow_entries, mut outflow_findings) = (Vec::new(), Vec::new());
    let (paired, ()) = rayon::join(
        || {
            outflows::match_outflows(
                data,
                money_out.index,
                money_out.ledger,
                opts,
                &bank_keys,
                money_out.clawed,
                (&mut outflow_entries, &mut outflow_findings),
            )
        },
        || st.link_by_bank_ref(&cash_credits, &bank_keys, &line_receipts),
    );
    entries.append(&mut outflow_entries);
    findings.append(&mut outflow_findings);
    paired
}

impl<'a> State<'a> {
    fn new(
        data: &'a Dataset,
        opts: MatchOptions,
        receipts: Vec<Receipt>,
        ambiguous: AmbiguousSets,
    ) -> Self {
        let n = receipts.len();
        State {
            data,
            opts,
            linked: Links::new(n),
            receipts,
            ambiguous,
            posting_linked: vec![false; data.postings.len()],
            free_postings: Vec::new(),
            dangling_ref: HashMap::default(),
            no_share: HashMap::default(),
            combined: HashMap::default(),
            is_combined: Marks::new(n),
            combinations: HashMap::default(),
        }
    }
}

mod bank_keys;
mod clawback;
mod decide;
mod link;
mod outflows;
mod parts;
mod rebates;
mod receipts;
mod runs;
mod suspense;
mod unlinked;

pub use outflows::arudd_reason;
pub use parts::InParts;
pub(crate) use receipts::{batches_by_ref, share_identity};

use bank_keys::*;
use link::*;
use receipts::*;
