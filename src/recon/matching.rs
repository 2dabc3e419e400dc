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
use super::counted;
use super::finding::{Finding, FindingKind, Outcome, Severity};
use super::hold::Lead;
use super::identify::{self, Basis, Identity, NearIndex, RefIndex};
use super::model::{
    day_number, days_between, AccountId, AccountPostings, Amount, BankIdsInOrder, BankLine,
    Dataset, Posting, PostingKind, ScheduleShare, Text, TextId,
};
use super::money::pounds;

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
/// a receipt, not a vector's twenty-four) and any more beside it.
struct Links {
    /// `NONE`, or the receipt's first posting (readers refuse a file of more
    /// than `u32::MAX` lines).
    first: Vec<u32>,
    more: HashMap<usize, Vec<usize>>,
}

impl Links {
    const NONE: u32 = u32::MAX;

    fn new(receipts: usize) -> Self {
        Links {
            first: vec![Self::NONE; receipts],
            more: HashMap::default(),
        }
    }

    fn push(&mut self, receipt: usize, posting: usize) {
        if self.first[receipt] == Self::NONE {
            self.first[receipt] = posting as u32;
        } else {
            self.more.entry(receipt).or_default().push(posting);
        }
    }

    fn is_empty(&self, receipt: usize) -> bool {
        self.first[receipt] == Self::NONE
    }

    fn of(&self, receipt: usize) -> impl Iterator<Item = usize> + '_ {
        let first = Some(self.first[receipt])
            .filter(|&p| p != Self::NONE)
            .map(|p| p as usize);
        let more = first
            .and_then(|_| self.more.get(&receipt))
            .into_iter()
            .flatten()
            .copied();
        first.into_iter().chain(more)
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

    fn get(&self, key: K) -> impl Iterator<Item = usize> + Clone + '_ {
        let from = self.sorted.partition_point(|(k, _)| *k < key);
        self.sorted[from..]
            .iter()
            .take_while(move |(k, _)| *k == key)
            .map(|&(_, r)| r)
    }
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
}

/// Runs every pass and returns outcomes and findings. `index` is the
/// accounts' references and `ledger` each account's postings in date order:
/// the caller builds them side by side.
pub fn match_all(
    data: &Dataset,
    index: &RefIndex,
    ledger: &AccountPostings,
    opts: MatchOptions,
) -> Matching {
    let mut bank_entries = Vec::new();
    let mut findings = Vec::new();

    let mut credit_outcomes: Vec<Option<Outcome>> = data
        .postings
        .par_iter()
        .map(|p| match (p.is_credit(), p.date > opts.as_at) {
            (false, _) => None,
            (true, true) => Some(Outcome::AfterAsAt),
            (true, false) if p.is_cash_credit() => None,
            (true, false) => Some(Outcome::NonCash),
        })
        .collect();
    // As `u32`, as in `Links`: millions of them.
    let cash_credits: Vec<u32> = data
        .postings
        .par_iter()
        .enumerate()
        .filter(|(_, p)| p.is_cash_credit() && p.date <= opts.as_at)
        .map(|(i, _)| i as u32)
        .collect();
    let (receipts, ambiguous, line_receipts) =
        build_receipts(data, index, opts, &mut bank_entries, &mut findings);

    let mut st = State {
        data,
        opts,
        linked: Links::new(receipts.len()),
        receipts,
        ambiguous,
        posting_linked: vec![false; data.postings.len()],
        free_postings: Vec::new(),
        dangling_ref: HashMap::default(),
        no_share: HashMap::default(),
    };
    let is_bulk: Vec<bool> = (0..data.bank.len())
        .into_par_iter()
        .map(|l| {
            line_receipts
                .of(l)
                .next()
                .is_some_and(|r| st.receipts[r].share().is_some())
        })
        .collect();
    let bank_keys = BankKeys::build(data, &is_bulk, opts);
    drop(is_bulk);

    // Money out needs only the bank keys, not the links: matched beside
    // linking by bank ref, each filling the other's steps on one core.
    // Its findings and entries are sorted with the rest afterwards.
    let (mut outflow_entries, mut outflow_findings) = (Vec::new(), Vec::new());
    let (returns, ()) = rayon::join(
        || {
            outflows::match_outflows(
                data,
                index,
                ledger,
                opts,
                &bank_keys,
                &mut outflow_entries,
                &mut outflow_findings,
            )
        },
        || st.link_by_bank_ref(&cash_credits, &bank_keys, &line_receipts),
    );
    bank_entries.append(&mut outflow_entries);
    findings.append(&mut outflow_findings);
    // Not needed again, and the peak of a run's memory, linking by window,
    // is still to come.
    drop((cash_credits, line_receipts, bank_keys));
    st.link_by_window();

    // Suggestions are made for the receipts no account claims: the
    // near-miss index holds only what their references can find.
    let near = st.near_for_unclaimed(index);
    let receipt_outcomes = st.decide_receipts(index, &near, &mut credit_outcomes, &mut findings);
    st.decide_unlinked_postings(&mut credit_outcomes, &mut findings);
    let conflicts = st.payer_conflicts(index);
    let leads = st.posted_leads(index, &near);

    bank_entries.sort_by_key(|e| e.bank);
    Matching {
        receipts: st.receipts,
        receipt_outcomes,
        other_entries: bank_entries,
        credit_outcomes,
        findings,
        returns,
        conflicts,
        leads,
    }
}

/// Splits bank lines into receipts: one per money-in line, or one per share
/// where a schedule breaks a bulk line down. Lines after the as-at date and
/// money-out lines are left to other steps.
fn build_receipts(
    data: &Dataset,
    index: &RefIndex,
    opts: MatchOptions,
    entries: &mut Vec<BankEntry>,
    findings: &mut Vec<Finding>,
) -> (Vec<Receipt>, AmbiguousSets, LineReceipts) {
    let mut batches: HashMap<Text, Vec<usize>> = HashMap::default();
    for (i, share) in data.shares.iter().enumerate() {
        batches
            .entry(identify::normalise(&share.batch_ref))
            .or_default()
            .push(i);
    }

    // Which batch each bank line carries: by bank_id first, then reference.
    let mut claimed: HashMap<&str, usize> = HashMap::default();
    // Few lines carry a batch: a map, not a slot for every line.
    let mut line_batch: HashMap<usize, &Vec<usize>> = HashMap::default();
    // A batch a line may carry: its key and its shares.
    type Batch<'b> = (&'b Text, &'b Vec<usize>);
    let is_receipt = |line: &BankLine| line.amount() > Decimal::ZERO && line.date <= opts.as_at;
    // Most lines carry no batch: the hashes of their keys' normal forms,
    // taken without making them, rule them out.
    let batch_hashes: rustc_hash::FxHashSet<u64> =
        batches.keys().map(|k| identify::normal_hash(k)).collect();
    let batch = |key: &str| {
        (batch_hashes.contains(&identify::normal_hash(key)))
            .then(|| batches.get_key_value(&identify::normalise(key)))
            .flatten()
    };
    let hits: Vec<(usize, [Option<Batch>; 2])> = if batches.is_empty() {
        Vec::new()
    } else {
        data.bank
            .par_iter()
            .enumerate()
            .filter(|(_, line)| is_receipt(line))
            .map_init(
                || BankIdsInOrder::new(data),
                |ids, (i, line)| {
                    let found = [ids.get(i), data.reference(line)].map(batch);
                    found.iter().any(Option::is_some).then_some((i, found))
                },
            )
            .flatten()
            .collect()
    };
    for (i, found) in hits {
        for (k, shares) in found.into_iter().flatten() {
            if !claimed.contains_key(k.as_str()) {
                claimed.insert(k.as_str(), i);
                line_batch.insert(i, shares);
                break;
            }
        }
    }

    // Each line's receipts, made in parallel and kept in line order: one per
    // share of a bulk line, else one per money-in line up to the as-at date.
    let share_identity = |share: &ScheduleShare| match (&share.account_ref, &share.claim_ref) {
        (Some(a), _) => match index.exact(a) {
            Identity::Unknown => share
                .claim_ref
                .as_deref()
                .map_or(Identity::Unknown, |c| index.exact(c)),
            found => found,
        },
        (None, Some(c)) => index.exact(c),
        (None, None) => Identity::Unknown,
    };
    let mut line_receipts = LineReceipts {
        start: Vec::with_capacity(data.bank.len() + 1),
    };
    // Counted as `Links` holds receipts, in `u32`: a receipt is a bank line
    // or a schedule row, and readers refuse a file of more than `u32::MAX`
    // lines.
    let mut made = 0usize;
    for (i, line) in data.bank.iter().enumerate() {
        line_receipts.start.push(made as u32);
        if line.date > opts.as_at {
            entries.push(BankEntry {
                bank: i as u32,
                share: None,
                amount: line.amount(),
                outcome: Outcome::AfterAsAt,
            });
            continue;
        }
        let Some(&shares) = line_batch.get(&i) else {
            made += usize::from(is_receipt(line));
            continue;
        };
        made += shares.len();
        let total: Decimal = shares.iter().map(|&s| data.shares[s].amount()).sum();
        let remainder = line.amount() - total;
        if remainder.is_zero() {
            continue;
        }
        entries.push(BankEntry {
            bank: i as u32,
            share: None,
            amount: remainder,
            outcome: Outcome::ScheduleMismatch,
        });
        let mut evidence = vec![data.bank_row(i)];
        evidence.extend(shares.iter().map(|&s| data.shares[s].row));
        findings.push(Finding {
            kind: FindingKind::ScheduleMismatch,
            severity: FindingKind::ScheduleMismatch.severity(),
            account: None,
            posted_to: None,
            bank: Some(i),
            postings: Vec::new(),
            amount: -remainder,
            evidence,
            detail: format!(
                "Bulk receipt {} of {} on {} does not equal its schedule ({} in {} shares): \
                 {} is not explained by any share; ask the payer for a corrected schedule.",
                data.bank_id(i),
                pounds(line.amount()),
                line.date,
                pounds(total),
                shares.len(),
                pounds(remainder)
            ),
            suggestions: Vec::new(),
        });
    }
    line_receipts.start.push(made as u32);

    // Made in parallel, each block of lines into its own run of the
    // receipts, so that they are in line order and sized once.
    const BLOCK: usize = 1 << 14;
    let placeholder = Receipt {
        bank: 0,
        share: Receipt::WHOLE_LINE,
        identity: Held::Unknown,
    };
    let mut receipts = Vec::with_capacity(made);
    receipts.par_extend(rayon::iter::repeat_n(placeholder, made));
    let mut blocks = Vec::with_capacity(data.bank.len() / BLOCK + 1);
    let mut rest = receipts.as_mut_slice();
    for from in (0..data.bank.len()).step_by(BLOCK) {
        let to = (from + BLOCK).min(data.bank.len());
        let (first, end) = (
            line_receipts.start[from] as usize,
            line_receipts.start[to] as usize,
        );
        let (block, tail) = rest.split_at_mut(end - first);
        blocks.push((from..to, first, block));
        rest = tail;
    }
    let known = KnownIdentities::for_lines(data.bank.len());
    let ambiguous: Vec<AmbiguousSets> = blocks
        .into_par_iter()
        .map(|(lines, first, block)| {
            let mut ambiguous = Vec::new();
            let mut slots = block.iter_mut().zip(first..);
            let mut put = |receipt: Receipt, identity: Identity| {
                if let Some((slot, r)) = slots.next() {
                    let identity = match identity {
                        Identity::Account(a, basis) => Held::Account(a, basis),
                        Identity::Unknown => Held::Unknown,
                        Identity::Ambiguous(ids) => {
                            ambiguous.push((r, ids));
                            Held::Ambiguous
                        }
                    };
                    *slot = Receipt {
                        identity,
                        ..receipt
                    };
                }
            };
            for i in lines {
                let line = &data.bank[i];
                match line_batch.get(&i).copied() {
                    None if is_receipt(line) => put(
                        Receipt {
                            bank: i as u32,
                            share: Receipt::WHOLE_LINE,
                            identity: Held::Unknown,
                        },
                        known.identify(index, data, line),
                    ),
                    None => {}
                    Some(shares) => {
                        for &s in shares {
                            put(
                                Receipt {
                                    bank: i as u32,
                                    share: s as u32,
                                    identity: Held::Unknown,
                                },
                                share_identity(&data.shares[s]),
                            );
                        }
                    }
                }
            }
            ambiguous
        })
        .collect();
    (receipts, ambiguous.concat(), line_receipts)
}

/// The identities of references already seen, by where their text is held:
/// a payer's reference is stored once for all their payments (see
/// `model::Repeats`), so most lines' identity is found here rather than by
/// a search of the index's maps. A slot keeps the last reference to hash
/// there, in one word with its identity: every task reads and writes the
/// one table without a lock, and as an identity depends on its text alone,
/// which task wrote a slot changes nothing. An ambiguous identity is not
/// kept.
struct KnownIdentities {
    slots: Vec<AtomicU64>,
    bits: u32,
}

impl KnownIdentities {
    /// A table for a statement of `lines` lines: a slot a line, between
    /// 1,024 and a million (8 MiB).
    fn for_lines(lines: usize) -> Self {
        let bits = (usize::BITS - lines.leading_zeros()).clamp(10, 20);
        KnownIdentities {
            slots: (0..1usize << bits).map(|_| AtomicU64::new(0)).collect(),
            bits,
        }
    }

    fn identify(&self, index: &RefIndex, data: &Dataset, line: &BankLine) -> Identity {
        use std::hash::BuildHasher;
        let text = data.bank_text.field(line.texts, BankLine::REFERENCE);
        if text.is_empty() {
            return index.identify("");
        }
        let hash = rustc_hash::FxBuildHasher.hash_one(text);
        let slot = &self.slots[(hash >> (64 - self.bits)) as usize];
        let held = slot.load(Ordering::Relaxed);
        if (held >> 32) as u32 == text.index() {
            return Self::unpack(held as u32);
        }
        let identity = index.identify(data.bank_text.get(text));
        if let Some(packed) = Self::pack(&identity) {
            slot.store(
                u64::from(text.index()) << 32 | u64::from(packed),
                Ordering::Relaxed,
            );
        }
        identity
    }

    /// The basis in the top two bits (0 for unknown), the account below.
    fn pack(identity: &Identity) -> Option<u32> {
        let (basis, account) = match *identity {
            Identity::Unknown => (0, 0),
            Identity::Account(a, Basis::AccountRef) => (1, a),
            Identity::Account(a, Basis::PaymentRef) => (2, a),
            Identity::Account(a, Basis::Digits) => (3, a),
            Identity::Account(_, Basis::Schedule) | Identity::Ambiguous(_) => return None,
        };
        (account < 1 << 30).then_some(basis << 30 | account)
    }

    fn unpack(packed: u32) -> Identity {
        let account = packed & ((1 << 30) - 1);
        match packed >> 30 {
            0 => Identity::Unknown,
            1 => Identity::Account(account, Basis::AccountRef),
            2 => Identity::Account(account, Basis::PaymentRef),
            _ => Identity::Account(account, Basis::Digits),
        }
    }
}

/// Each bank line's receipts: one, or one per schedule share, or none (money
/// out, after the as-at date). Receipts are made in bank-line order, so a
/// line's are a run of indices.
struct LineReceipts {
    /// Line `l`'s receipts are `start[l]..start[l + 1]`; `u32`, as in
    /// `Links`: a line of the bank file each.
    start: Vec<u32>,
}

impl LineReceipts {
    fn of(&self, line: usize) -> std::ops::Range<usize> {
        self.start[line] as usize..self.start[line + 1] as usize
    }
}

/// Normalised bank ids (and batch refs of bulk lines) to their bank line, for
/// resolving a posting's `bank_ref` or a return's returned id. Keys are held
/// as hashes of their normal form, built and probed without making the text:
/// millions of lines, each probed at random, make the text's bytes and
/// hashing the cost. A hit is checked against the line's own text, and a key
/// whose hash another key already holds is kept by its text.
///
/// The hashes are sorted, with a directory by their top bits, rather than in
/// hash maps: sixteen bytes a key and one sort on every core, where maps
/// carry empty buckets and were filled one per core, each from a pass over
/// every key. A key holds its text's id, so a lookup reads the directory,
/// the key and the text, and never the bank line.
///
/// A line whose id is counted (see [`counted::CountedIds`]) holds no key:
/// its run is found by the normal form of what comes before its digits,
/// and the line by arithmetic ([`CountedKeys`]). Where a bank's ids count up, that is
/// nearly every line, and the keys were the peak of a run's memory.
struct BankKeys<'a> {
    data: &'a Dataset,
    as_at: NaiveDate,
    counted: CountedKeys,
    /// Every key's hash and line, in hash order (keys with one hash in the
    /// order they take precedence). The hash's lowest bit is not the hash's
    /// but says whether the key is a batch ref, so that ids sort first.
    keys: Vec<(u64, KeyLine)>,
    /// Where the hashes with each value of the top `bits` bits start.
    directory: Vec<usize>,
    bits: u32,
    /// Keys whose hash an earlier key holds, by their normal form, with
    /// whether each is a batch ref.
    clashes: HashMap<Text, (KeyLine, bool)>,
    /// [`identify::normal_hash`]; tests give a worse one to make keys clash.
    hash: fn(&str) -> u64,
}

impl<'a> BankKeys<'a> {
    fn build(data: &'a Dataset, is_bulk: &[bool], opts: MatchOptions) -> Self {
        Self::build_with(data, is_bulk, opts, identify::normal_hash)
    }

    fn build_with(
        data: &'a Dataset,
        is_bulk: &[bool],
        opts: MatchOptions,
        hash: fn(&str) -> u64,
    ) -> Self {
        let in_time = |i: &usize| data.bank[*i].date <= opts.as_at;
        // A line holding no id text of its own, its id not made from its
        // line, is counted: found by `CountedKeys`, not keyed.
        let counted =
            |i: &usize| !data.bank_ids_from_lines && !data.bank[*i].texts.has(BankLine::BANK_ID);
        // `text` as the key holds it, `key_text` as it reads.
        let key = |i: usize, text: TextId, key_text: &str, by_reference: bool| {
            let line = i as u32;
            let h = hash(key_text) & !1 | u64::from(by_reference);
            (h, KeyLine { line, text })
        };
        let id_key = |buf: &mut String, i: usize| {
            key(
                i,
                data.bank_text.field(data.bank[i].texts, BankLine::BANK_ID),
                data.bank_id_into(i, buf),
                false,
            )
        };
        // Ids first, then batch refs, each in line order: the first line to
        // hold a key keeps it, and a bulk line's batch ref never displaces
        // another line's id. Where most lines hold a key, every line gets an
        // entry, written in place in parallel; a line with none gets
        // `NOT_A_KEY`, which sorts last (no id's hash is `u64::MAX`: its
        // lowest bit is 0) and is cut off after the sort. Where most hold
        // none (their ids count up), only the keys are gathered: an entry
        // for every line was 16 bytes a line held, and sorted, for nothing.
        const NOT_A_KEY: (u64, KeyLine) = (
            u64::MAX,
            KeyLine {
                line: u32::MAX,
                text: TextId::EMPTY,
            },
        );
        let batch_refs: Vec<(u64, KeyLine)> = (0..data.bank.len())
            .into_par_iter()
            // An empty ref is no key (and `KeyLine` reads an empty text as
            // the line's id made from its line).
            .filter(|&i| is_bulk[i] && data.bank[i].texts.has(BankLine::REFERENCE))
            .map(|i| {
                let text = data
                    .bank_text
                    .field(data.bank[i].texts, BankLine::REFERENCE);
                key(i, text, data.bank_text.get(text), true)
            })
            .collect();
        let unkeyed = (0..data.bank.len())
            .into_par_iter()
            .filter(|i| !in_time(i) || counted(i))
            .count();
        let keyed = data.bank.len() - unkeyed;
        let mut keys;
        if keyed >= unkeyed {
            keys = Vec::with_capacity(data.bank.len() + batch_refs.len());
            keys.par_extend((0..data.bank.len()).into_par_iter().map_init(
                String::new,
                |buf, i| {
                    if in_time(&i) && !counted(&i) {
                        id_key(buf, i)
                    } else {
                        NOT_A_KEY
                    }
                },
            ));
        } else {
            keys = Vec::with_capacity(keyed + batch_refs.len());
            keys.par_extend(
                (0..data.bank.len())
                    .into_par_iter()
                    .filter(|i| in_time(i) && !counted(i))
                    .map_init(String::new, id_key),
            );
        }
        let cut = keys.len() - keyed;
        keys.extend(batch_refs);
        // In place: a stable sort would need a copy of the keys beside them.
        keys.par_sort_unstable_by_key(|&(h, key)| (h, key.line));
        keys.truncate(keys.len() - cut);
        // One or two keys per directory slot. Slot `s` starts at the first
        // key whose slot is `s` or more (the keys are in hash order), found
        // for a range of slots at a time in parallel.
        let bits = (usize::BITS - keys.len().leading_zeros())
            .saturating_sub(1)
            .clamp(1, 40);
        let slot_of = |key: &(u64, KeyLine)| Self::slot(key.0, bits);
        let mut directory = vec![0usize; (1usize << bits) + 1];
        const SLOTS: usize = 1 << 14;
        directory
            .par_chunks_mut(SLOTS)
            .enumerate()
            .for_each(|(c, starts)| {
                let first = c * SLOTS;
                let mut i = keys.partition_point(|k| slot_of(k) < first);
                for (s, start) in (first..).zip(starts) {
                    while i < keys.len() && slot_of(&keys[i]) < s {
                        i += 1;
                    }
                    *start = i;
                }
            });
        // A key whose hash an earlier key holds (rare) is kept by its text,
        // unless it is the same key. `held` is where each run of one hash
        // starts.
        let repeats: Vec<usize> = (1..keys.len())
            .into_par_iter()
            .filter(|&i| keys[i - 1].0 | 1 == keys[i].0 | 1)
            .collect();
        let mut clashes: HashMap<Text, (KeyLine, bool)> = HashMap::default();
        let (mut held, mut last) = (0, 0);
        for i in repeats {
            if last + 1 != i {
                held = i - 1;
            }
            last = i;
            let mut bufs = (String::new(), String::new());
            let first = keys[held].1.text(data, &mut bufs.0);
            let new = keys[i].1.text(data, &mut bufs.1);
            if !identify::normal_eq(first, new) {
                let by_reference = keys[i].0 & 1 == 1;
                clashes
                    .entry(identify::normalise(new))
                    .or_insert((keys[i].1, by_reference));
            }
        }
        BankKeys {
            data,
            as_at: opts.as_at,
            counted: CountedKeys::of(data),
            keys,
            directory,
            bits,
            clashes,
            hash,
        }
    }

    fn slot(hash: u64, bits: u32) -> usize {
        (hash >> (64 - bits)) as usize
    }

    /// The bank line `key` names, if any.
    fn get(&self, key: &str) -> Option<usize> {
        let mut line = [None];
        self.get_batch(&[Some(key)], &mut line);
        line[0]
    }

    /// Keys looked up together by [`BankKeys::get_batch`].
    const BATCH: usize = 16;

    /// [`BankKeys::get`] for up to [`BankKeys::BATCH`] keys at once, into
    /// `lines`. Each read (the directory, the key, its text) is a cache miss
    /// at random; done in stages, every key's directory slot and then every
    /// key's entry and then every text, the misses of different keys are in
    /// flight together instead of each waiting on the last.
    fn get_batch(&self, keys: &[Option<&str>], lines: &mut [Option<usize>]) {
        let n = keys.len().min(lines.len()).min(Self::BATCH);
        let (keys, lines) = (&keys[..n], &mut lines[..n]);
        let mut hashes = [0u64; Self::BATCH];
        for (h, key) in hashes.iter_mut().zip(keys) {
            *h = key.map_or(0, |k| (self.hash)(k) | 1);
        }
        let mut runs = [(0usize, 0usize); Self::BATCH];
        for (run, &h) in runs.iter_mut().zip(&hashes[..n]) {
            let slot = Self::slot(h, self.bits);
            *run = (self.directory[slot], self.directory[slot + 1]);
        }
        let mut held = [None; Self::BATCH];
        for ((held, &(from, to)), &hash) in held.iter_mut().zip(&runs[..n]).zip(&hashes[..n]) {
            *held = self.keys[from..to]
                .iter()
                .find(|(h, _)| hash != 0 && *h | 1 == hash)
                .map(|&(h, k)| (k, h & 1 == 1));
        }
        let mut buf = String::new();
        for ((line, key), held) in lines.iter_mut().zip(keys).zip(held) {
            let Some(key) = key else {
                *line = None;
                continue;
            };
            // The keyed line, and whether it holds the key as a batch ref.
            let keyed = match held {
                Some((held, by_reference))
                    if identify::normal_eq(held.text(self.data, &mut buf), key) =>
                {
                    Some((held.line as usize, by_reference))
                }
                Some(_) => self
                    .clashes
                    .get(&identify::normalise(key))
                    .map(|&(k, by_reference)| (k.line as usize, by_reference)),
                None => None,
            };
            // An id before a batch ref, then the first line.
            let counted = self
                .counted
                .line(key, |l| self.data.bank[l].date <= self.as_at);
            *line = match (keyed, counted) {
                (Some((keyed, false)), Some(counted)) => Some(keyed.min(counted)),
                (_, Some(counted)) => Some(counted),
                (keyed, None) => keyed.map(|(l, _)| l),
            };
        }
    }
}

/// The runs of bank lines whose ids are counted (see
/// [`counted::CountedIds`]), by the normal form of what comes before their
/// digits and how many digits there are: a key is found on a run by its
/// number, and its line by arithmetic.
#[derive(Default)]
struct CountedKeys {
    runs: HashMap<(Text, usize), Vec<CountedRun>>,
    /// The numbers of digits the runs' ids end in.
    widths: Vec<usize>,
}

/// A run's counted lines: `len` lines from `line`, numbered from `first`.
/// `reach` is the highest number of this run and every run before it in
/// its list (ids can repeat, so runs can overlap).
struct CountedRun {
    first: u64,
    line: usize,
    len: u64,
    reach: u64,
}

impl CountedKeys {
    fn of(data: &Dataset) -> Self {
        let mut keys = CountedKeys::default();
        for (anchor, last) in data.bank_counted.runs() {
            let id = data.bank_id(anchor);
            let Some(counted::Numbered {
                prefix,
                number,
                width,
            }) = counted::numbered(&id)
            else {
                continue;
            };
            let first = number.saturating_add(1);
            let len = (last - anchor) as u64;
            keys.runs
                .entry((identify::normalise(prefix), width))
                .or_default()
                .push(CountedRun {
                    first,
                    line: anchor + 1,
                    len,
                    reach: first.saturating_add(len.saturating_sub(1)),
                });
            if !keys.widths.contains(&width) {
                keys.widths.push(width);
            }
        }
        for runs in keys.runs.values_mut() {
            runs.sort_by_key(|r| (r.first, r.line));
            let mut reach = 0;
            for r in runs.iter_mut() {
                reach = reach.max(r.reach);
                r.reach = reach;
            }
        }
        keys.widths.sort_unstable();
        keys
    }

    /// The first line whose counted id is `key` (by normal form) and that
    /// `keyed` lets be a key (lines after the as-at date are not).
    fn line(&self, key: &str, keyed: impl Fn(usize) -> bool) -> Option<usize> {
        if self.runs.is_empty() {
            return None;
        }
        let key = identify::normalise(key);
        let mut found: Option<usize> = None;
        for &width in &self.widths {
            let Some(at) = key.len().checked_sub(width) else {
                continue;
            };
            // A normal form is ASCII letters and digits: any split is at a
            // character boundary.
            let (prefix, digits) = key.split_at(at);
            let Some(number) = counted::numbered(digits)
                .filter(|n| n.prefix.is_empty())
                .map(|n| n.number)
            else {
                continue;
            };
            let Some(runs) = self.runs.get(&(Text::from(prefix), width)) else {
                continue;
            };
            let mut i = runs.partition_point(|r| r.first <= number);
            while let Some(r) = i.checked_sub(1).map(|j| &runs[j]) {
                i -= 1;
                if r.reach < number {
                    break;
                }
                if number - r.first < r.len {
                    let line = r.line + (number - r.first) as usize;
                    if keyed(line) && found.is_none_or(|f| line < f) {
                        found = Some(line);
                    }
                }
            }
        }
        found
    }
}

/// The bank line holding a key, and the key's text (the line's id, or a
/// bulk line's batch ref). Eight bytes: readers refuse a file of more than
/// `u32::MAX` lines.
#[derive(Clone, Copy)]
struct KeyLine {
    line: u32,
    /// Empty for an id the line does not hold, made from its line (a
    /// counted id is no key: see [`CountedKeys`]).
    text: TextId,
}

impl KeyLine {
    /// The key's text; an id made from the line is written into `buf`.
    fn text<'s>(self, data: &'s Dataset, buf: &'s mut String) -> &'s str {
        if self.text.is_empty() {
            data.made_bank_id_into(self.line as usize, buf)
        } else {
            data.bank_text.get(self.text)
        }
    }
}

/// Greedy one-to-one assignment over candidate pairs `(cost, receipt,
/// posting)`: cheapest first, ties broken by receipt then posting order, so
/// the result is the same whatever order the pairs were found in.
fn assign(
    mut pairs: Vec<Candidate>,
    receipt_free: &mut [bool],
    posting_free: &mut [bool],
) -> Vec<Pair> {
    pairs.par_sort_unstable();
    let mut chosen = Vec::new();
    for (_, r, p) in pairs {
        if receipt_free[r] && posting_free[p] {
            receipt_free[r] = false;
            posting_free[p] = false;
            chosen.push((r, p));
        }
    }
    chosen
}

/// Days from the money's arrival to the posting.
fn lag(data: &Dataset, posting: &Posting, receipt: &Receipt) -> i64 {
    days_between(receipt.date(data), posting.date)
}

/// How unlikely a posting `days` after its money is: later is likelier than
/// earlier, since only card and Direct Debit systems post ahead of the bank's
/// value date. Weekly payments of one amount then pair in date order.
fn cost(days: i64) -> i64 {
    if days >= 0 {
        2 * days
    } else {
        2 * -days + 1
    }
}

/// Whether a posted amount could be a keying error for the received one:
/// digits swapped or one digit wrong, the point in the wrong place, or
/// within 10%.
fn plausible_keying_error(posted: Decimal, received: Decimal) -> bool {
    let digits = |d: Decimal| -> String {
        let mut d = d;
        d.rescale(2);
        d.to_string().chars().filter(char::is_ascii_digit).collect()
    };
    let (a, b) = (digits(posted), digits(received));
    let ten = Decimal::from(10);
    identify::one_edit_apart(&a, &b)
        || posted == received * ten
        || posted * ten == received
        || (posted - received).abs() * ten <= received
}

impl State<'_> {
    /// The accounts ambiguous receipt `r` fits (none if it is not ambiguous).
    fn ambiguous_set(&self, r: usize) -> &[AccountId] {
        self.ambiguous
            .binary_search_by_key(&r, |&(at, _)| at)
            .map_or(&[][..], |i| &self.ambiguous[i].1)
    }

    fn window_ok(&self, posting: &Posting, receipt: &Receipt) -> bool {
        let d = lag(self.data, posting, receipt);
        d >= -self.opts.lead_days && d <= self.opts.match_days
    }

    /// Posted between `lead_days` early and `posting_days` late.
    fn on_time(&self, posting: &Posting, receipt: &Receipt) -> bool {
        let d = lag(self.data, posting, receipt);
        d >= -self.opts.lead_days && d <= self.opts.posting_days
    }

    fn link(&mut self, r: usize, p: usize) {
        self.linked.push(r, p);
        self.posting_linked[p] = true;
    }

    /// Pass 1: the rent system kept the receipt's bank id (or batch ref).
    fn link_by_bank_ref(
        &mut self,
        cash_credits: &[u32],
        bank_keys: &BankKeys,
        line_receipts: &LineReceipts,
    ) {
        // A bulk line's shares (thousands in a Housing Benefit run) by
        // account and by amount, so that finding a posting's share is a
        // lookup rather than a scan of the whole run.
        // Sorted, not hashed, as the window passes' pools: a map's buckets
        // and a vector for each key cost more than the shares, and this step
        // is near the peak of a run's memory.
        let shares = || {
            (0..self.data.bank.len())
                .filter(|&l| line_receipts.of(l).len() >= 2)
                .flat_map(|l| line_receipts.of(l).map(move |r| (l, r)))
        };
        let share_by_account = Pool::new(
            shares()
                .filter_map(|(l, r)| Some(((l, self.receipts[r].identity.account()?), r)))
                .collect(),
        );
        let share_by_amount = Pool::new(
            shares()
                .map(|(l, r)| ((l, self.receipts[r].pence(self.data)), r))
                .collect(),
        );
        // What each posting's bank ref leads to, found in parallel; linking
        // is in ledger order, and only a bulk line's shares need the links
        // made so far to choose between them. A run of postings at a time,
        // so that what was found is never held for millions at once (this
        // step is near the peak of a run's memory).
        const RUN: usize = 1 << 16;
        let mut found = vec![Found::NoRef; RUN.min(cash_credits.len())];
        for run in cash_credits.chunks(RUN) {
            let found = &mut found[..run.len()];
            found
                .par_chunks_mut(BankKeys::BATCH)
                .zip(run.par_chunks(BankKeys::BATCH))
                .for_each(|(found, ps)| {
                    let mut refs = [None; BankKeys::BATCH];
                    for (r, &p) in refs.iter_mut().zip(ps) {
                        *r = self.data.bank_ref(&self.data.postings[p as usize]);
                    }
                    let mut lines = [None; BankKeys::BATCH];
                    bank_keys.get_batch(&refs[..ps.len()], &mut lines);
                    for ((found, bank_ref), line) in found.iter_mut().zip(refs).zip(lines) {
                        *found = match (bank_ref, line) {
                            (None, _) => Found::NoRef,
                            (Some(_), Some(l)) if line_receipts.of(l).len() == 1 => {
                                Found::One(line_receipts.of(l).start)
                            }
                            (Some(_), Some(l)) if !line_receipts.of(l).is_empty() => {
                                Found::Shares(l)
                            }
                            (Some(_), _) => Found::Dangling,
                        };
                    }
                });
            for (&p, &found) in run.iter().zip(found.iter()) {
                self.link_found(p as usize, found, &share_by_account, &share_by_amount);
            }
        }
    }

    /// Links posting `p` as its bank ref `found`, or leaves it free for the
    /// later passes. For a bulk line: its own share, unlinked and of the
    /// same amount; else its own share; else anyone's unlinked share of that
    /// amount.
    fn link_found(
        &mut self,
        p: usize,
        found: Found,
        share_by_account: &Pool<(usize, AccountId)>,
        share_by_amount: &Pool<(usize, i64)>,
    ) {
        let posting = &self.data.postings[p];
        let l = match found {
            Found::NoRef => return self.free_postings.push(p),
            Found::Dangling => {
                let bank_ref = self.data.bank_ref(posting).unwrap_or_default();
                self.dangling_ref.insert(p, bank_ref.to_string());
                return self.free_postings.push(p);
            }
            Found::One(r) => return self.link(r, p),
            Found::Shares(l) => l,
        };
        let credit = posting.credit();
        let unlinked = |r: &usize| self.linked.is_empty(*r);
        let mut own = share_by_account.get((l, posting.account));
        let chosen = own
            .clone()
            .find(|r| unlinked(r) && self.receipts[*r].amount(self.data) == credit)
            .or_else(|| own.next())
            .or_else(|| {
                share_by_amount
                    .get((l, posting.credit_pence()))
                    .find(unlinked)
            });
        match chosen {
            Some(r) => self.link(r, p),
            None => {
                self.no_share.insert(p, l);
                self.free_postings.push(p);
            }
        }
    }

    /// Passes 2 to 5: no usable `bank_ref`, so account, amount and date.
    fn link_by_window(&mut self) {
        let mut receipt_free: Vec<bool> = (0..self.receipts.len())
            .map(|r| self.linked.is_empty(r))
            .collect();
        let mut posting_free = vec![false; self.data.postings.len()];
        for &p in &self.free_postings {
            if !self.no_share.contains_key(&p) {
                posting_free[p] = true;
            }
        }

        // 2: same account, same amount, posted on time: aligned in date
        // order per group. A quarter of the accounts at a time, and a run
        // of their groups at a time, each run's pairs linked before the next
        // is aligned: every group's receipts, postings and pairs at once
        // were the peak of a run's memory. Groups are still aligned and
        // linked in account order, and a group's links touch no other
        // account's receipts or postings, so the result is the same.
        const GROUPS_AT_ONCE: usize = 1 << 14;
        const ACCOUNT_PARTS: usize = 4;
        let accounts = self.data.accounts.len();
        let part = accounts.div_ceil(ACCOUNT_PARTS).max(1);
        let mut candidates = Vec::new();
        for from in (0..accounts).step_by(part) {
            let to = (from + part).min(accounts);
            let (rs, ps, groups) = self.same_account_groups(
                &receipt_free,
                &posting_free,
                from as AccountId..to as AccountId,
            );
            for run in groups.chunks(GROUPS_AT_ONCE) {
                let aligned: Vec<_> = run
                    .par_iter()
                    .map(|(r_run, p_run)| {
                        let dated = |k: &Keyed| (k.2, k.3);
                        let receipts: Vec<Dated> = rs[r_run.clone()].iter().map(dated).collect();
                        let postings: Vec<Dated> = ps[p_run.clone()].iter().map(dated).collect();
                        self.align(&receipts, &postings)
                    })
                    .collect();
                for group in aligned {
                    match group {
                        Ok(pairs) => {
                            for (r, p) in pairs {
                                receipt_free[r] = false;
                                posting_free[p] = false;
                                self.link(r, p);
                            }
                        }
                        Err(pairs) => candidates.extend(pairs),
                    }
                }
            }
        }
        self.accept(assign(candidates, &mut receipt_free, &mut posting_free));

        // The receipts still free, by account and by amount, for passes 3 to
        // 5. Built only now: pass 2 links nearly all, so these are small, and
        // they are not held beside pass 2's own sorted runs (the peak of a
        // run's memory). Pass order does not depend on when they were built:
        // each pass's pairs are chosen by `assign`'s total order.
        let free = || {
            (0..self.receipts.len())
                .into_par_iter()
                .filter(|&r| receipt_free[r])
        };
        let by_account = Pool::new(
            free()
                .filter_map(|r| Some((self.receipts[r].identity.account()?, r)))
                .collect(),
        );
        let by_amount = Pool::new(
            free()
                .map(|r| (self.receipts[r].pence(self.data), r))
                .collect(),
        );

        // 3: same amount, a receipt nobody could identify (or that fits
        // several accounts, this one among them): the posting identified it.
        // Passes 3 and 4 have only the amount to go on, so only on-time
        // pairs count: a late one is more likely some other payment.
        // Money never moves between accounts on amount and date alone:
        // something else must tie the receipt to the posting's account.
        let history = self.payer_history(&posting_free);
        let same_amount = |p: &Posting| by_amount.get(p.credit_pence());
        let same_account = |p: &Posting| by_account.get(p.account);
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_amount,
            |st, p, i, r| {
                st.on_time(p, r)
                    && match r.identity {
                        Held::Unknown => st.corroborates(&history, p, r),
                        Held::Ambiguous => st.ambiguous_set(i).contains(&p.account),
                        Held::Account(..) => false,
                    }
            },
        );
        // 4: same amount, on time, a receipt that identifies another account.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_amount,
            |st, p, _, r| {
                st.on_time(p, r)
                    && r.identity.account().is_some_and(|a| a != p.account)
                    && st.corroborates(&history, p, r)
            },
        );
        // 2b: same account, same amount, posted late. After 3 and 4, since an
        // on-time posting elsewhere is the stronger match.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_account,
            |st, p, _, r| r.amount(st.data) == p.credit(),
        );
        // 5: same account, an amount that looks like a keying error.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_account,
            |st, p, _, r| plausible_keying_error(p.credit(), r.amount(st.data)),
        );
    }

    /// Who has paid into each account that still has a posting looking for
    /// its money: (account, hash of the payer's name) of every receipt
    /// already linked to a posting there. Only those accounts are looked at.
    fn payer_history(&self, posting_free: &[bool]) -> HashSet<(AccountId, u64)> {
        let wanted: HashSet<AccountId> = (self.free_postings.iter())
            .filter(|&&p| posting_free[p])
            .map(|&p| self.data.postings[p].account)
            .collect();
        if wanted.is_empty() {
            return HashSet::default();
        }
        (0..self.receipts.len())
            .into_par_iter()
            .filter_map(|r| {
                let first = self.linked.first[r];
                let account = (first != Links::NONE)
                    .then(|| self.data.postings[first as usize].account)
                    .filter(|a| wanted.contains(a))?;
                let receipt = &self.receipts[r];
                let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
                (receipt.share().is_none() && !payer.is_empty())
                    .then(|| (account, identify::normal_hash(payer)))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }

    /// Whether something besides amount and date ties a receipt to a
    /// posting on an account its reference does not name: the payer is the
    /// account's tenant by name, the payer has paid into the account before,
    /// or the reference is the account's number (or a payment ref) but for
    /// one keying slip.
    fn corroborates(
        &self,
        history: &HashSet<(AccountId, u64)>,
        p: &Posting,
        receipt: &Receipt,
    ) -> bool {
        let account = self.data.account(p.account);
        let reference: &str = match receipt.share() {
            Some(s) => {
                let share = &self.data.shares[s as usize];
                return [&share.account_ref, &share.claim_ref]
                    .into_iter()
                    .flatten()
                    .any(|r| identify::one_slip_from(r, account));
            }
            None => self.data.reference(&self.data.bank[receipt.bank as usize]),
        };
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        // An organisation's history (a payment processor pays into many
        // accounts) says nothing about whose a payment is.
        (!payer.is_empty()
            && (identify::names_match(payer, &account.tenant_name)
                || (!conflict::is_organisation(payer)
                    && history.contains(&(p.account, identify::normal_hash(payer))))))
            || identify::one_slip_from(reference, account)
    }

    /// One greedy pass: for every free posting, the free receipts in its
    /// `pool` that `fits` (given the receipt's index and the receipt) and are
    /// in the window, found in parallel, then
    /// paired cheapest first by `assign`.
    fn greedy_pass<P, I, F>(
        &mut self,
        receipt_free: &mut [bool],
        posting_free: &mut [bool],
        pool: P,
        fits: F,
    ) where
        P: Fn(&Posting) -> I + Sync,
        I: Iterator<Item = usize>,
        F: Fn(&Self, &Posting, usize, &Receipt) -> bool + Sync,
    {
        let (r_free, p_free) = (&*receipt_free, &*posting_free);
        let (pool, fits, st) = (&pool, &fits, &*self);
        let pairs: Vec<Candidate> = st
            .free_postings
            .par_iter()
            .filter(|&&p| p_free[p])
            .flat_map_iter(|&p| {
                let posting = &st.data.postings[p];
                pool(posting).filter_map(move |r| {
                    let receipt = &st.receipts[r];
                    (r_free[r] && st.window_ok(posting, receipt) && fits(st, posting, r, receipt))
                        .then(|| (cost(lag(st.data, posting, receipt)), r, p))
                })
            })
            .collect();
        let chosen = assign(pairs, receipt_free, posting_free);
        self.accept(chosen);
    }

    fn accept(&mut self, pairs: Vec<Pair>) {
        for (r, p) in pairs {
            self.link(r, p);
        }
    }

    /// Pass 2's groups for `accounts`: their free identified receipts and
    /// free postings, each sorted by account, amount and date, and the runs
    /// of each with one account and amount that meet. In pass 2 receipts
    /// and postings of one account and one amount (a weekly payer's whole
    /// history) are paired in date order, on-time pairs only: as many pairs
    /// as possible, then the least total `cost` ([`State::align`]). Greedy
    /// pairing gets this wrong when a posting falls between two receipts.
    fn same_account_groups(
        &self,
        receipt_free: &[bool],
        posting_free: &[bool],
        accounts: std::ops::Range<AccountId>,
    ) -> (Vec<Keyed>, Vec<Keyed>, Vec<Group>) {
        // Sorted rather than hashed, on integers (pence and day numbers):
        // there are millions.
        // Gathered in one pass each, into room for them all: a pass per
        // core and a merge cost more than they save here. Room not filled
        // is never touched, so it costs no memory.
        let (mut ps, mut rs): (Vec<Keyed>, Vec<Keyed>) = rayon::join(
            || {
                let mut ps = Vec::with_capacity(self.free_postings.len());
                ps.extend(
                    self.free_postings
                        .iter()
                        .filter(|&&p| {
                            posting_free[p] && accounts.contains(&self.data.postings[p].account)
                        })
                        .map(|&p| {
                            let posting = &self.data.postings[p];
                            let day = day_number(posting.date);
                            (posting.account, posting.credit_pence(), day, p)
                        }),
                );
                ps
            },
            || {
                let mut rs = Vec::with_capacity(self.receipts.len());
                rs.extend(
                    self.receipts
                        .iter()
                        .enumerate()
                        .filter(|&(r, _)| receipt_free[r])
                        .filter_map(|(r, receipt)| {
                            let account = receipt
                                .identity
                                .account()
                                .filter(|a| accounts.contains(a))?;
                            let day = day_number(receipt.date(self.data));
                            Some((account, receipt.pence(self.data), day, r))
                        }),
                );
                rs
            },
        );
        ps.par_sort_unstable();
        rs.par_sort_unstable();
        let group = |run: &[Keyed], from: usize| {
            let key = (run[from].0, run[from].1);
            from + run[from..].iter().take_while(|k| (k.0, k.1) == key).count()
        };
        let mut groups = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < rs.len() && j < ps.len() {
            match (rs[i].0, rs[i].1).cmp(&(ps[j].0, ps[j].1)) {
                std::cmp::Ordering::Less => i = group(&rs, i),
                std::cmp::Ordering::Greater => j = group(&ps, j),
                std::cmp::Ordering::Equal => {
                    let (i_end, j_end) = (group(&rs, i), group(&ps, j));
                    groups.push((i..i_end, j..j_end));
                    (i, j) = (i_end, j_end);
                }
            }
        }
        (rs, ps, groups)
    }

    /// The best order-preserving pairing of one group (see
    /// `same_account_groups`), by dynamic programming over receipts x
    /// postings. A group too large for that (years of weekly payments at
    /// once) gives its on-time candidate pairs instead, for greedy pairing.
    fn align(&self, rs: &[Dated], ps: &[Dated]) -> Result<Vec<Pair>, Vec<Candidate>> {
        const MAX_CELLS: usize = 40_000;
        // Only on-time pairs: a week's shift never fits, so one missing
        // posting cannot make a run of receipts look late. Dates as day
        // numbers: this is called for every cell.
        let (early, late) = (-self.opts.lead_days, self.opts.posting_days);
        let pair_cost = |(r_day, _): Dated, (p_day, _): Dated| {
            let days = i64::from(p_day) - i64::from(r_day);
            (early..=late).contains(&days).then(|| cost(days))
        };
        let (n, m) = (rs.len(), ps.len());
        if (n + 1) * (m + 1) > MAX_CELLS {
            return Err(rs
                .iter()
                .flat_map(|&r| {
                    ps.iter()
                        .filter_map(move |&p| pair_cost(r, p).map(|c| (c, r.1, p.1)))
                })
                .collect());
        }
        // Score = pairs x PAIR - total cost, maximised; PAIR outweighs any cost.
        const PAIR: i64 = 1 << 32;
        let width = m + 1;
        let mut score = vec![0i64; (n + 1) * width];
        // 0: skip receipt, 1: skip posting, 2: pair.
        let mut step = vec![0u8; (n + 1) * width];
        // Along the first row only postings can be skipped.
        step[1..=m].fill(1);
        for i in 1..=n {
            for j in 1..=m {
                let mut best = (score[(i - 1) * width + j], 0u8);
                if score[i * width + j - 1] > best.0 {
                    best = (score[i * width + j - 1], 1);
                }
                if let Some(c) = pair_cost(rs[i - 1], ps[j - 1]) {
                    let paired = score[(i - 1) * width + j - 1] + PAIR - c;
                    if paired > best.0 {
                        best = (paired, 2);
                    }
                }
                score[i * width + j] = best.0;
                step[i * width + j] = best.1;
            }
        }
        let (mut i, mut j, mut pairs) = (n, m, Vec::new());
        while i > 0 && j > 0 {
            match step[i * width + j] {
                2 => {
                    pairs.push((rs[i - 1].1, ps[j - 1].1));
                    i -= 1;
                    j -= 1;
                }
                1 => j -= 1,
                _ => i -= 1,
            }
        }
        pairs.reverse();
        Ok(pairs)
    }

    /// Gives every receipt its outcome, and the postings tied to it theirs.
    fn decide_receipts(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) -> Vec<Outcome> {
        // In the ledger's order of their postings, not the statement's: a
        // statement in date order against a ledger by account read each
        // receipt's postings far from the last one's (deciding took 0.34 s
        // at XL -t2, against 0.13 s with both by account). Receipts with no
        // posting come last, in statement order. Findings are sorted
        // afterwards, and each receipt and posting is decided once, so the
        // order is not seen.
        let mut order: Vec<(u32, u32)> = (0..self.receipts.len())
            .into_par_iter()
            .map(|r| (self.linked.first[r], r as u32))
            .collect();
        order.par_sort_unstable();
        // A run of receipts at a time: millions of decisions held at once
        // were the peak of a whole run's memory.
        const RUN: usize = 1 << 16;
        let mut receipt_outcomes = vec![Outcome::Matched; self.receipts.len()];
        for run in order.chunks(RUN) {
            let decided: Vec<Decision> = run
                .par_iter()
                .map(|&(_, r)| self.decide_receipt(index, near, r as usize))
                .collect();
            for (&(_, r), (outcome, outcomes, found)) in run.iter().zip(decided) {
                receipt_outcomes[r as usize] = outcome;
                for (p, o) in outcomes {
                    credit_outcomes[p] = Some(o);
                }
                findings.extend(found);
            }
        }
        receipt_outcomes
    }

    /// Whether receipt `r` is in suspense: no one account claims it and
    /// nothing was linked to it. These are the receipts
    /// [`State::decide_receipt`] makes suggestions for.
    fn in_suspense(&self, r: usize) -> bool {
        self.receipts[r].identity.account().is_none() && self.linked.is_empty(r)
    }

    fn decide_receipt(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Decision {
        let receipt = &self.receipts[r];
        let line = &self.data.bank[receipt.bank as usize];
        let finding =
            |kind: FindingKind, account, posted_to, postings: Vec<usize>, amount, detail| {
                let mut evidence = vec![self.data.bank_row(receipt.bank as usize)];
                evidence.extend(receipt.share().map(|s| self.data.shares[s as usize].row));
                evidence.extend(postings.iter().map(|&p| self.data.posting_row(p)));
                Finding {
                    kind,
                    severity: kind.severity(),
                    account,
                    posted_to,
                    bank: Some(receipt.bank as usize),
                    postings,
                    amount,
                    evidence,
                    detail,
                    suggestions: Vec::new(),
                }
            };
        let money = self.describe_receipt(receipt);
        let amount = receipt.amount(self.data);

        let mut postings: SmallVec<[usize; 2]> = self.linked.of(r).collect();
        postings.sort_unstable();
        if postings.is_empty() {
            return match receipt.identity {
                Held::Account(a, basis) => {
                    let acc = &self.data.account(a).account_ref;
                    let waiting = days_between(receipt.date(self.data), self.opts.as_at);
                    let mut f = finding(
                        FindingKind::UnpostedReceipt,
                        Some(a),
                        None,
                        vec![],
                        -amount,
                        if waiting <= self.opts.posting_days {
                            format!(
                                "{money} belongs to {acc} ({}) and is not posted yet, {waiting} days before \
                                 the as-at date (allowed: {}): the corrected balance counts it; make sure it \
                                 is posted to {acc}.",
                                basis.describe(),
                                self.opts.posting_days
                            )
                        } else {
                            format!(
                                "{money} belongs to {acc} ({}) but never reached any rent account: post it to {acc}.",
                                basis.describe()
                            )
                        },
                    );
                    // Still inside the posting allowance: not yet an error.
                    if waiting <= self.opts.posting_days {
                        f.severity = Severity::Low;
                    }
                    (Outcome::UnpostedReceipt, SmallVec::new(), vec![f])
                }
                identity => {
                    // The near-miss index was built for these receipts only.
                    debug_assert!(self.in_suspense(r));
                    let mut suggestions = self.suggest(index, near, r);
                    let mut detail = format!(
                        "{money} matches no account and was never posted; it is in suspense."
                    );
                    if identity == Held::Ambiguous {
                        let ids = self.ambiguous_set(r);
                        let refs: Vec<&str> = ids
                            .iter()
                            .map(|&a| self.data.account(a).account_ref.as_str())
                            .collect();
                        detail = format!(
                            "{money} fits more than one account equally ({}) and was never posted; it is in suspense.",
                            refs.join(", ")
                        );
                        suggestions = ids
                            .iter()
                            .map(|&a| identify::Suggestion {
                                account: a,
                                score: 2,
                                strong: false,
                                reason: "reference matches this account as well as another"
                                    .to_string(),
                            })
                            .collect();
                    }
                    detail.push_str(&self.suggestions_in_words(&suggestions));
                    let mut f = finding(
                        FindingKind::UnidentifiedReceipt,
                        None,
                        None,
                        vec![],
                        -amount,
                        detail,
                    );
                    f.suggestions = suggestions;
                    (Outcome::UnidentifiedReceipt, SmallVec::new(), vec![f])
                }
            };
        }

        let mut outcomes = SmallVec::new();
        let mut found = Vec::new();
        let total = || -> i128 {
            (postings.iter())
                .map(|&p| i128::from(self.data.postings[p].credit_pence()))
                .sum()
        };
        if postings.len() > 1 && total() == i128::from(receipt.pence(self.data)) {
            // One receipt split across postings: matched, but for any part
            // posted away from the account its reference names.
            let mut outcome = Outcome::Matched;
            // Whose the receipt is: its reference's account, or where no
            // reference claims it, the one its evidence alone points to.
            let owner = receipt.identity.account().or_else(|| {
                let suggested = self.suggest(index, near, r);
                identify::strong_and_unique(&suggested)
                    .first()
                    .map(|s| s.account)
            });
            for &p in &postings {
                let moved = self.split_part_moved(receipt, owner, p);
                if let Some(f) = moved.map(|a| self.moved_part(receipt, a, p, &finding)) {
                    found.push(f);
                    outcome = Outcome::WrongAccount;
                }
                let o = moved.map_or(Outcome::Matched, |_| Outcome::WrongAccount);
                outcomes.push((p, o));
            }
            return (outcome, outcomes, found);
        }

        let expected = receipt.identity.account();
        let exact = |p: &usize| self.data.postings[*p].credit() == amount;
        let primary = postings
            .iter()
            .copied()
            .find(|p| exact(p) && Some(self.data.postings[*p].account) == expected)
            .or_else(|| postings.iter().copied().find(exact))
            .unwrap_or(postings[0]);
        for &p in postings.iter().filter(|&&p| p != primary) {
            let dup = &self.data.postings[p];
            let first = &self.data.postings[primary];
            outcomes.push((p, Outcome::DuplicatePosting));
            found.push(finding(
                FindingKind::DuplicatePosting,
                Some(dup.account),
                None,
                vec![primary, p],
                dup.credit(),
                format!(
                    "{money} was posted more than once: {} on {} to {} and again as {} on {} to {}: reverse {}.",
                    self.data.txn_id(primary),
                    first.date,
                    self.data.account(first.account).account_ref,
                    self.data.txn_id(p),
                    dup.date,
                    self.data.account(dup.account).account_ref,
                    self.data.txn_id(p)
                ),
            ));
        }

        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let credit = posting.credit();
        let days = lag(self.data, posting, receipt);
        let trusted_elsewhere = |a: AccountId| {
            // A tenant who pays with someone else's number but whose name the
            // posting follows: the posting is right, the reference is not.
            let tenant_of = |id: AccountId| self.data.account(id).tenant_name.as_str();
            identify::names_match(self.data.payer(line), tenant_of(posting.account))
                && !identify::names_match(self.data.payer(line), tenant_of(a))
        };
        let outcome = match receipt.identity {
            Held::Account(a, basis) if a != posting.account && !trusted_elsewhere(a) => {
                let acc = &self.data.account(a).account_ref;
                found.push(finding(
                    FindingKind::WrongAccount,
                    Some(a),
                    Some(posting.account),
                    vec![primary],
                    -amount,
                    format!(
                        "{money} belongs to {acc} ({}) but was posted to {posted_acc} as {} on {}: \
                         reverse it from {posted_acc} and post it to {acc}.",
                        basis.describe(),
                        self.data.txn_id(primary),
                        posting.date
                    ),
                ));
                if credit != amount {
                    found.push(finding(
                        FindingKind::AmountMismatch,
                        Some(posting.account),
                        None,
                        vec![primary],
                        credit - amount,
                        format!(
                            "{} on {} credited {posted_acc} with {} for {money}: the reversal from {posted_acc} \
                             must be {}, not the receipt's amount.",
                            self.data.txn_id(primary),
                            posting.date,
                            pounds(credit),
                            pounds(credit)
                        ),
                    ));
                }
                Outcome::WrongAccount
            }
            _ if credit != amount => {
                let diff = credit - amount;
                found.push(finding(
                    FindingKind::AmountMismatch,
                    Some(posting.account),
                    None,
                    vec![primary],
                    diff,
                    format!(
                        "{} on {} credited {posted_acc} with {}, but the receipt was {money}: \
                         correct the posting by {} (the tenant owes {} {}).",
                        self.data.txn_id(primary),
                        posting.date,
                        pounds(credit),
                        pounds(diff.abs()),
                        pounds(diff.abs()),
                        if diff > Decimal::ZERO { "more" } else { "less" }
                    ),
                ));
                Outcome::AmountMismatch
            }
            _ if days > self.opts.posting_days => {
                found.push(finding(
                    FindingKind::LatePosting,
                    Some(posting.account),
                    None,
                    vec![primary],
                    Decimal::ZERO,
                    format!(
                        "{money} was posted to {posted_acc} as {} on {}, {days} days after it arrived \
                         (allowed: {}): the account looked {} worse in between; check no arrears \
                         action was taken on it then.",
                        self.data.txn_id(primary),
                        posting.date,
                        self.opts.posting_days,
                        pounds(amount)
                    ),
                ));
                Outcome::LatePosting
            }
            _ => Outcome::Matched,
        };
        outcomes.push((primary, outcome));
        (outcome, outcomes, found)
    }

    /// The account a part of a split receipt belongs to, where it was posted
    /// elsewhere: the receipt's reference names an account, the part is on
    /// another, and the payer's name does not take it there.
    fn split_part_moved(
        &self,
        receipt: &Receipt,
        owner: Option<AccountId>,
        p: usize,
    ) -> Option<AccountId> {
        let a = owner?;
        let b = self.data.postings[p].account;
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        let tenant = |id: AccountId| self.data.account(id).tenant_name.as_str();
        let followed_name =
            identify::names_match(payer, tenant(b)) && !identify::names_match(payer, tenant(a));
        (a != b && !followed_name).then_some(a)
    }

    /// The `wrong_account` finding for part `p` of a split receipt that
    /// belongs to `a`.
    fn moved_part(
        &self,
        receipt: &Receipt,
        a: AccountId,
        p: usize,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let posting = &self.data.postings[p];
        let (acc, to) = (
            &self.data.account(a).account_ref,
            &self.data.account(posting.account).account_ref,
        );
        finding(
            FindingKind::WrongAccount,
            Some(a),
            Some(posting.account),
            vec![p],
            -posting.credit(),
            format!(
                "{} belongs to {acc}, but {} of it was posted to {to} as {} on {}: reverse it from {to} and \
                 post it to {acc}.",
                self.describe_receipt(receipt),
                pounds(posting.credit()),
                self.data.txn_id(p),
                posting.date
            ),
        )
    }

    /// The receipt in words, built only if a sentence uses it.
    fn describe_receipt<'s>(&'s self, receipt: &'s Receipt) -> ReceiptText<'s> {
        ReceiptText {
            data: self.data,
            receipt,
        }
    }

    /// The texts a receipt's owner is suggested from: a share's account or
    /// claim ref, else the line's reference; and the payer, or where there
    /// is none the reference (a tenant's name typed as the reference).
    fn suggestion_texts(&self, r: usize) -> (&str, &str) {
        let receipt = &self.receipts[r];
        let line = &self.data.bank[receipt.bank as usize];
        if let Some(s) = receipt.share() {
            let share = &self.data.shares[s as usize];
            let named = share.account_ref.as_deref().or(share.claim_ref.as_deref());
            return (named.unwrap_or(""), "");
        }
        let (reference, payer) = (self.data.reference(line), self.data.payer(line));
        (reference, if payer.is_empty() { reference } else { payer })
    }

    /// The near-miss index for every receipt no account claims.
    fn near_for_unclaimed(&self, index: &RefIndex) -> NearIndex {
        index.near_index_for(
            (0..self.receipts.len())
                .filter(|&r| self.receipts[r].identity.account().is_none())
                .map(|r| self.suggestion_texts(r).0),
        )
    }

    fn suggest(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Vec<identify::Suggestion> {
        let (reference, payer) = self.suggestion_texts(r);
        index.suggest(near, &self.data.accounts, reference, payer)
    }

    /// Receipts no reference claims that were posted somewhere, whose
    /// evidence fits another account at least as well (a payment from
    /// "J SMITH" posted to Jane Smith may be John Smith's): each such
    /// account is held.
    fn posted_leads(&self, index: &RefIndex, near: &NearIndex) -> Vec<(AccountId, Lead)> {
        (0..self.receipts.len())
            .into_par_iter()
            .filter(|&r| self.receipts[r].identity.account().is_none() && !self.linked.is_empty(r))
            .flat_map_iter(|r| self.leads_of(index, near, r))
            .collect()
    }

    fn leads_of(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Vec<(AccountId, Lead)> {
        let mut suggestions = self.suggest(index, near, r);
        // A reference naming two accounts ("RA2001 RA3107") names both.
        for &a in self.ambiguous_set(r) {
            if !suggestions.iter().any(|s| s.account == a) {
                suggestions.push(identify::Suggestion {
                    account: a,
                    score: 2,
                    strong: false,
                    reason: "the reference names this account as well as another".to_string(),
                });
            }
        }
        let posted: SmallVec<[AccountId; 2]> = self
            .linked
            .of(r)
            .map(|p| self.data.postings[p].account)
            .collect();
        let posted_score = (suggestions.iter())
            .filter(|s| posted.contains(&s.account))
            .map(|s| s.score)
            .max()
            .unwrap_or(0);
        let receipt = &self.receipts[r];
        suggestions
            .into_iter()
            .filter(|s| !posted.contains(&s.account) && s.score >= posted_score)
            .map(|s| {
                let lead = Lead {
                    bank: receipt.bank as usize,
                    amount: receipt.amount(self.data),
                    strong: s.strong,
                    reason: s.reason,
                    posted_to: Some(posted[0]),
                };
                (s.account, lead)
            })
            .collect()
    }

    /// Every receipt whose reference names one account while its payer is
    /// the tenant of another (docs/matching.md, "Payer and reference").
    fn payer_conflicts(&self, index: &RefIndex) -> Vec<PayerConflict> {
        let candidates: Vec<PayerConflict> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| self.payer_conflict(index, r))
            .collect();
        conflict::drop_known_payers(self.data, &self.receipts, candidates)
    }

    fn payer_conflict(&self, index: &RefIndex, r: usize) -> SmallVec<[PayerConflict; 1]> {
        let receipt = &self.receipts[r];
        let Held::Account(a, _) = receipt.identity else {
            return SmallVec::new();
        };
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        if receipt.share().is_some() || payer.is_empty() {
            return SmallVec::new();
        }
        let tenant = |id: AccountId| self.data.account(id).tenant_name.as_str();
        let posted_to_payer = self
            .linked
            .of(r)
            .map(|p| self.data.postings[p].account)
            .find(|&b| {
                b != a
                    && identify::names_match(payer, tenant(b))
                    && !identify::names_match(payer, tenant(a))
            });
        let conflict = |by_payer, posted_to_payer| PayerConflict {
            bank: receipt.bank,
            by_reference: a,
            by_payer,
            posted_to_payer,
        };
        match posted_to_payer {
            Some(b) => SmallVec::from_elem(conflict(b, true), 1),
            None if conflict::shares_a_word(payer, tenant(a))
                || identify::names_match(payer, tenant(a)) =>
            {
                SmallVec::new()
            }
            None => (index
                .tenants_by_full_name(&self.data.accounts, payer)
                .into_iter())
            .filter(|&b| b != a)
            .map(|b| conflict(b, false))
            .collect(),
        }
    }

    /// The candidates for a receipt in suspense, for its detail sentence:
    /// the best three, and which of them the evidence alone points to.
    fn suggestions_in_words(&self, suggestions: &[identify::Suggestion]) -> String {
        if suggestions.is_empty() {
            return " No account looks close: trace the payer through the bank.".to_string();
        }
        let names: Vec<String> = suggestions
            .iter()
            .take(SUGGESTIONS_SHOWN)
            .map(|s| {
                format!(
                    "{} ({})",
                    self.data.account(s.account).account_ref,
                    s.reason
                )
            })
            .collect();
        let left_out = suggestions.len().saturating_sub(SUGGESTIONS_SHOWN);
        let mut words = format!(
            " Possible accounts: {}{}. Confirm with the payer before posting.",
            names.join("; "),
            if left_out > 0 {
                format!(" and {left_out} more")
            } else {
                String::new()
            }
        );
        if let [one] = identify::strong_and_unique(suggestions) {
            words.push_str(&format!(
                " The evidence points to {} alone: each suggested account is held until this is settled.",
                self.data.account(one.account).account_ref
            ));
        } else {
            words.push_str(" Each suggested account is held until this is settled.");
        }
        words
    }

    /// Cash credits tied to no receipt: a duplicate of one that is tied
    /// (same account, same amount, near in time), or money that never came.
    fn decide_unlinked_postings(
        &self,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) {
        // The linked receipts of only the accounts with a credit left over:
        // a map of every account's would cost more than the rest of this.
        let mut wanted = vec![false; self.data.accounts.len()];
        for &p in &self.free_postings {
            if !self.posting_linked[p] {
                wanted[self.data.postings[p].account as usize] = true;
            }
        }
        // Which postings are on those accounts, a bit each, read in ledger
        // order: a receipt's postings are then looked up in a small table,
        // not read at random (a statement in date order links each receipt
        // to a posting far from the last one's).
        let on_wanted: Vec<u64> = self
            .data
            .postings
            .par_chunks(64)
            .map(|chunk| {
                (chunk.iter().enumerate())
                    .filter(|(_, p)| wanted[p.account as usize])
                    .fold(0, |bits, (i, _)| bits | 1 << i)
            })
            .collect();
        let is_on_wanted = |p: usize| on_wanted[p / 64] >> (p % 64) & 1 != 0;
        let of_wanted: Vec<(AccountId, usize)> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| {
                self.linked
                    .of(r)
                    .filter(|&p| is_on_wanted(p))
                    .map(move |p| (self.data.postings[p].account, r))
            })
            .collect();
        // By account and amount: a credit's original is a receipt of its
        // amount, and one account (a suspense account, say) may hold
        // hundreds of thousands of receipts.
        let mut by_amount: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
        for (account, r) in of_wanted {
            let pence = self.receipts[r].pence(self.data);
            by_amount.entry((account, pence)).or_default().push(r);
        }
        for &p in &self.free_postings {
            if self.posting_linked[p] {
                continue;
            }
            let posting = &self.data.postings[p];
            let acc = &self.data.account(posting.account).account_ref;
            // A duplicate is keyed again near the first posting, the same
            // way: soon after it, or (the unreferenced copy keyed by hand
            // first) soon before.
            let near_first = |q: usize| {
                let first = &self.data.postings[q];
                let days = days_between(first.date, posting.date);
                first.account == posting.account
                    && (-self.opts.posting_days..=self.opts.posting_days).contains(&days)
                    && (first.method == posting.method
                        || first.method.is_none()
                        || posting.method.is_none())
            };
            let original = by_amount
                .get(&(posting.account, posting.credit_pence()))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&r| self.linked.of(r).any(near_first))
                .min_by_key(|&r| (cost(lag(self.data, posting, &self.receipts[r])), r));
            let mut evidence = vec![self.data.posting_row(p)];
            let (kind, bank, postings, detail) = match original {
                Some(r) => {
                    let receipt = &self.receipts[r];
                    let first = self
                        .linked
                        .of(r)
                        .filter(|&q| near_first(q))
                        .min()
                        .unwrap_or(p);
                    evidence.insert(0, self.data.bank_row(receipt.bank as usize));
                    evidence.insert(1, self.data.posting_row(first));
                    (
                        FindingKind::DuplicatePosting,
                        Some(receipt.bank as usize),
                        vec![first, p],
                        format!(
                            "{} was posted to {acc} twice: {} on {} and {} on {}, for one receipt: reverse {}.",
                            self.describe_receipt(receipt),
                            self.data.txn_id(first),
                            self.data.postings[first].date,
                            self.data.txn_id(p),
                            posting.date,
                            self.data.txn_id(p)
                        ),
                    )
                }
                None => {
                    let why = if let Some(bank_ref) = self.dangling_ref.get(&p) {
                        format!("its bank reference {bank_ref:?} is on no bank line up to the as-at date")
                    } else if let Some(&l) = self.no_share.get(&p) {
                        evidence.push(self.data.bank_row(l));
                        format!(
                            "its bulk receipt {} has no share in the schedule for {acc}",
                            self.data.bank_id(l)
                        )
                    } else {
                        format!(
                            "no receipt of that amount for this account arrived between {} days before and {} days after",
                            self.opts.lead_days, self.opts.match_days
                        )
                    };
                    (
                        FindingKind::UnbankedCredit,
                        self.no_share.get(&p).copied(),
                        vec![p],
                        format!(
                            "{} on {} credits {acc} with {} as a {} but no money is behind it: {why}. \
                             Find the receipt or reverse the credit.",
                            self.data.txn_id(p),
                            posting.date,
                            pounds(posting.credit()),
                            posting.kind
                        ),
                    )
                }
            };
            credit_outcomes[p] = kind.spec().outcome;
            findings.push(Finding {
                kind,
                severity: kind.severity(),
                account: Some(posting.account),
                posted_to: None,
                bank,
                postings,
                amount: posting.credit(),
                evidence,
                detail,
                suggestions: Vec::new(),
            });
        }
    }
}

/// Money paid out: returned Direct Debits and refunds, against the ledger's
/// reversals and refunds.
mod outflows {
    use super::*;

    pub(super) fn match_outflows(
        data: &Dataset,
        index: &RefIndex,
        ledger: &AccountPostings,
        opts: MatchOptions,
        bank_keys: &BankKeys,
        entries: &mut Vec<BankEntry>,
        findings: &mut Vec<Finding>,
    ) -> Vec<(AccountId, usize)> {
        let mut returns = Vec::new();
        // Returns that found their reversal: (account, amount, date, reversal, bank line).
        let mut reversed: Vec<(AccountId, Decimal, NaiveDate, usize, usize)> = Vec::new();
        // A refund that turns a credit balance into arrears was not the
        // tenant's money to refund.
        let into_arrears = |account: AccountId, on: NaiveDate, refund: Decimal| {
            let before: Decimal = data.account(account).opening_balance
                + ledger
                    .of(account)
                    .iter()
                    .map(|&p| &data.postings[p as usize])
                    .filter(|q| q.date < on)
                    .map(|q| q.amount())
                    .sum::<Decimal>();
            before < Decimal::ZERO && before + refund > Decimal::ZERO
        };
        let refund_severity =
            |account: Option<AccountId>, on: NaiveDate, refund: Decimal| match account {
                Some(a) if into_arrears(a, on, refund) => Severity::High,
                _ => FindingKind::UnmatchedRefund.severity(),
            };
        let outflows: Vec<usize> = (0..data.bank.len())
            .into_par_iter()
            .filter(|&i| data.bank[i].amount.pence() < 0 && data.bank[i].date <= opts.as_at)
            .collect();
        let mut taken = vec![false; data.postings.len()];
        let wanted = |p: &Posting, kind: PostingKind| p.is_debit_by(kind, opts.as_at);
        // Reversal and refund debits by the bank ref they carry, and by account.
        let mut by_ref: HashMap<Text, Vec<usize>> = HashMap::default();
        let mut by_account: HashMap<AccountId, Vec<usize>> = HashMap::default();
        // The account each returned collection's credit went to, for finding
        // a return's account: only for the collections returns point at.
        let collections: rustc_hash::FxHashSet<Text> = outflows
            .iter()
            .filter_map(|&i| data.returned_bank_id(&data.bank[i]))
            .filter_map(|id| bank_keys.get(id))
            .map(|c| identify::normalise(&data.bank_id(c)))
            .collect();
        // The few postings that matter here, found in parallel (with the
        // normal form of a credit's bank ref, for the collections) and
        // filed in ledger order.
        let of_use: Vec<(usize, Option<Text>)> = data
            .postings
            .par_iter()
            .enumerate()
            .filter_map(|(p, q)| {
                if wanted(q, PostingKind::Reversal) || wanted(q, PostingKind::Refund) {
                    Some((p, None))
                } else if q.is_credit() && !collections.is_empty() {
                    let key = identify::normalise(data.bank_ref(q)?);
                    collections.contains(&key).then_some((p, Some(key)))
                } else {
                    None
                }
            })
            .collect();
        let mut credited: HashMap<Text, AccountId> = HashMap::default();
        for (p, collection) in of_use {
            let q = &data.postings[p];
            match (collection, data.bank_ref(q)) {
                (Some(key), _) => {
                    credited.entry(key).or_insert(q.account);
                }
                (None, Some(b)) => by_ref.entry(identify::normalise(b)).or_default().push(p),
                (None, None) => by_account.entry(q.account).or_default().push(p),
            }
        }

        // What each outflow is, whose it is, and the ledger entries that
        // carry its bank id (or its collection's).
        struct Outflow {
            line: usize,
            kind: FindingKind,
            ledger_kind: PostingKind,
            collection: Option<usize>,
            account: Option<AccountId>,
            chosen: Vec<usize>,
        }
        let mut flows: Vec<Outflow> = Vec::with_capacity(outflows.len());
        for &i in &outflows {
            let line = &data.bank[i];
            let (kind, ledger_kind) = if line.is_dd_return() {
                (FindingKind::UnreversedReturn, PostingKind::Reversal)
            } else {
                (FindingKind::UnmatchedRefund, PostingKind::Refund)
            };
            let collection = data.returned_bank_id(line).and_then(|id| bank_keys.get(id));
            let account = collection
                .and_then(|c| {
                    let collected = &data.bank[c];
                    index
                        .identify(data.reference(collected))
                        .account()
                        .or_else(|| {
                            credited
                                .get(&identify::normalise(&data.bank_id(c)))
                                .copied()
                        })
                })
                .or_else(|| index.identify(data.reference(line)).account());
            let mut chosen: Vec<usize> = std::iter::once(data.bank_id(i))
                .chain(collection.map(|c| data.bank_id(c)))
                .flat_map(|k| by_ref.get(&identify::normalise(&k)).into_iter().flatten())
                .copied()
                .filter(|&p| !taken[p] && data.postings[p].kind == ledger_kind)
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            for &p in &chosen {
                taken[p] = true;
            }
            // Nothing else names whose it is: the ledger entry that carries
            // its bank id does (a return with no collection id, reversed).
            let account = account.or_else(|| chosen.first().map(|&p| data.postings[p].account));
            flows.push(Outflow {
                line: i,
                kind,
                ledger_kind,
                collection,
                account,
                chosen,
            });
        }
        // The rest by account, amount and window, cheapest pairs first, so an
        // early return cannot take a later return's reversal.
        // Each account's debits by amount and date, so that a return looks
        // only at those of its amount inside its window (10,000 returns on
        // one account each looked through all its 10,000 reversals).
        let key = |p: usize| (data.postings[p].amount.pence(), data.postings[p].date);
        for debits in by_account.values_mut() {
            debits.sort_by_key(|&p| (key(p), p));
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        for (f, flow) in flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.chosen.is_empty())
        {
            let line = &data.bank[flow.line];
            let Some(debits) = flow.account.and_then(|a| by_account.get(&a)) else {
                continue;
            };
            let out = -line.amount.pence();
            let from = (line.date)
                .checked_sub_days(chrono::Days::new(opts.lead_days.unsigned_abs()))
                .unwrap_or(NaiveDate::MIN);
            let start = debits.partition_point(|&p| key(p) < (out, from));
            for &p in &debits[start..] {
                let q = &data.postings[p];
                let days = days_between(line.date, q.date);
                if q.amount.pence() != out || days > opts.match_days {
                    break;
                }
                if !taken[p] && q.kind == flow.ledger_kind && days >= -opts.lead_days {
                    candidates.push((cost(days), f, p));
                }
            }
        }
        let mut flow_free = vec![true; flows.len()];
        let mut posting_free: Vec<bool> = taken.iter().map(|t| !t).collect();
        for (f, p) in assign(candidates, &mut flow_free, &mut posting_free) {
            flows[f].chosen.push(p);
            taken[p] = true;
        }

        for flow in flows {
            let Outflow {
                line: i,
                kind,
                collection,
                account,
                chosen,
                ..
            } = flow;
            let line = &data.bank[i];
            let out = -line.amount();
            if line.is_dd_return() {
                if let Some(a) = account {
                    returns.push((a, i));
                    if let Some(&first) = chosen.first() {
                        reversed.push((a, out, line.date, first, i));
                    }
                }
            }
            let acc_name = account.map(|a| data.account(a).account_ref.to_string());
            let what = if line.is_dd_return() {
                let code = data.return_code(line).unwrap_or("");
                format!(
                    "Direct Debit return {} of {} on {}{}",
                    data.bank_id(i),
                    pounds(out),
                    line.date,
                    if code.is_empty() {
                        String::new()
                    } else {
                        format!(" (ARUDD {code}: {})", arudd_reason(code))
                    }
                )
            } else {
                format!(
                    "{} paid out on {} ({})",
                    pounds(out),
                    line.date,
                    data.bank_id(i)
                )
            };
            match chosen.as_slice() {
                [] => {
                    entries.push(BankEntry {
                        bank: i as u32,
                        share: None,
                        amount: line.amount(),
                        outcome: kind_outcome(kind),
                    });
                    let mut evidence = vec![data.bank_row(i)];
                    if let Some(c) = collection {
                        evidence.push(data.bank_row(c));
                    }
                    let severity = if line.is_dd_return() {
                        kind.severity()
                    } else {
                        refund_severity(account, line.date, out)
                    };
                    let mut detail = match (&acc_name, line.is_dd_return()) {
                        (Some(a), true) => format!(
                            "{what} was never reversed on {a}: the account looks {} better than it is; post the reversal.",
                            pounds(out)
                        ),
                        (Some(a), false) => format!(
                            "{what} to the tenant of {a} has no refund on the ledger: post the refund or recover the money."
                        ),
                        (None, _) => format!("{what} cannot be tied to any account and has no ledger entry: trace it."),
                    };
                    if severity == Severity::High && !line.is_dd_return() {
                        detail.push_str(" It took the account from credit into arrears: more was refunded than the tenant was owed.");
                    }
                    findings.push(Finding {
                        kind,
                        severity,
                        account,
                        posted_to: None,
                        bank: Some(i),
                        postings: vec![],
                        amount: if account.is_some() {
                            out
                        } else {
                            Decimal::ZERO
                        },
                        evidence,
                        detail,
                        suggestions: Vec::new(),
                    });
                }
                [first, extra @ ..] => {
                    // Found by its bank id, but on another account than the
                    // money's: the debit belongs where the money went.
                    let moved = account.filter(|&a| a != data.postings[*first].account);
                    entries.push(BankEntry {
                        bank: i as u32,
                        share: None,
                        amount: line.amount(),
                        outcome: if moved.is_some() {
                            Outcome::WrongAccount
                        } else {
                            Outcome::Matched
                        },
                    });
                    if let Some(a) = moved {
                        let q = &data.postings[*first];
                        let (owner, posted) = (
                            &data.account(a).account_ref,
                            &data.account(q.account).account_ref,
                        );
                        findings.push(Finding {
                            kind: FindingKind::WrongAccount,
                            severity: FindingKind::WrongAccount.severity(),
                            account: Some(a),
                            posted_to: Some(q.account),
                            bank: Some(i),
                            postings: vec![*first],
                            amount: out,
                            evidence: vec![data.bank_row(i), data.posting_row(*first)],
                            detail: format!(
                                "{what} belongs to {owner} but its {} was posted to {posted} as {} on {}: \
                                 reverse it from {posted} and post it to {owner}.",
                                q.kind,
                                data.txn_id(*first),
                                q.date
                            ),
                            suggestions: Vec::new(),
                        });
                    }
                    for &p in extra {
                        let q = &data.postings[p];
                        findings.push(Finding {
                            kind: FindingKind::DuplicatePosting,
                            severity: FindingKind::DuplicatePosting.severity(),
                            account: Some(q.account),
                            posted_to: None,
                            bank: Some(i),
                            postings: vec![*first, p],
                            amount: -q.amount(),
                            evidence: vec![
                                data.bank_row(i),
                                data.posting_row(*first),
                                data.posting_row(p),
                            ],
                            detail: format!(
                                "{what} was put through {} twice: {} and {}; reverse {}.",
                                data.account(q.account).account_ref,
                                data.txn_id(*first),
                                data.txn_id(p),
                                data.txn_id(p)
                            ),
                            suggestions: Vec::new(),
                        });
                    }
                }
            }
        }

        // Ledger reversals and refunds with no money behind them. The
        // returns already reversed are found by account and amount: a scan
        // of them all for every posting grew with the ledger times the
        // returns (255 s on a landlord-year with 23,000 returns).
        let mut reversed_by: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
        for (k, &(a, _, _, _, bank)) in reversed.iter().enumerate() {
            let out = -data.bank[bank].amount.pence();
            reversed_by.entry((a, out)).or_default().push(k);
        }
        for (p, q) in data.postings.iter().enumerate() {
            if taken[p] || !(wanted(q, PostingKind::Reversal) || wanted(q, PostingKind::Refund)) {
                continue;
            }
            // A second reversal of a return already reversed: keyed twice.
            let reversed_before = (reversed_by
                .get(&(q.account, q.amount.pence()))
                .into_iter()
                .flatten())
            .map(|&k| &reversed[k])
            .find(|&&(_, _, on, _, _)| {
                let days = days_between(on, q.date);
                q.kind == PostingKind::Reversal
                    && days >= -opts.lead_days
                    && days <= opts.match_days
            });
            if let (true, Some(&(_, _, _, first, bank))) =
                (wanted(q, PostingKind::Reversal), reversed_before)
            {
                let acc = &data.account(q.account).account_ref;
                findings.push(Finding {
                    kind: FindingKind::DuplicatePosting,
                    severity: FindingKind::DuplicatePosting.severity(),
                    account: Some(q.account),
                    posted_to: None,
                    bank: Some(bank),
                    postings: vec![first, p],
                    amount: -q.amount(),
                    evidence: vec![
                        data.bank_row(bank),
                        data.posting_row(first),
                        data.posting_row(p),
                    ],
                    detail: format!(
                        "Direct Debit return {} of {} was reversed on {acc} twice: {} and {}; reverse {}.",
                        data.bank_id(bank),
                        pounds(q.amount()),
                        data.txn_id(first),
                        data.txn_id(p),
                        data.txn_id(p)
                    ),
                    suggestions: Vec::new(),
                });
                continue;
            }
            let kind = if wanted(q, PostingKind::Reversal) && reverses_payment(q) {
                FindingKind::ReversalWithoutReturn
            } else if wanted(q, PostingKind::Refund) {
                FindingKind::UnmatchedRefund
            } else {
                continue;
            };
            let acc = &data.account(q.account).account_ref;
            let severity = match kind {
                FindingKind::UnmatchedRefund => {
                    refund_severity(Some(q.account), q.date, q.amount())
                }
                _ => kind.severity(),
            };
            let mut detail = match kind {
                FindingKind::ReversalWithoutReturn => format!(
                    "{} on {} reverses {} from {acc} but the bank shows no returned payment: \
                     the account looks {} worse than it is; cancel the reversal unless the return is elsewhere.",
                    data.txn_id(p),
                    q.date,
                    pounds(q.amount()),
                    pounds(q.amount())
                ),
                _ => format!(
                    "{} on {} refunds {} to {acc} but no money left the bank for it: \
                     pay the refund or cancel the ledger entry.",
                    data.txn_id(p),
                    q.date,
                    pounds(q.amount())
                ),
            };
            if severity == Severity::High && kind == FindingKind::UnmatchedRefund {
                detail.push_str(" It took the account from credit into arrears: more was refunded than the tenant was owed.");
            }
            findings.push(Finding {
                kind,
                severity,
                account: Some(q.account),
                posted_to: None,
                bank: None,
                postings: vec![p],
                amount: -q.amount(),
                evidence: vec![data.posting_row(p)],
                detail,
                suggestions: Vec::new(),
            });
        }
        returns
    }

    /// Reversals of payments are what a DD return needs; a reversal of a
    /// charge or adjustment is an ordinary ledger correction.
    fn reverses_payment(q: &Posting) -> bool {
        q.method
            .is_some_and(|m| m != super::super::model::Method::Other)
            || q.texts.has(Posting::BANK_REF)
    }

    fn kind_outcome(kind: FindingKind) -> Outcome {
        kind.spec().outcome.unwrap_or(Outcome::UnmatchedRefund)
    }

    /// The ARUDD reason codes in words.
    pub fn arudd_reason(code: &str) -> &'static str {
        match code.trim() {
            "0" => "refer to payer",
            "1" => "instruction cancelled",
            "2" => "payer deceased",
            "3" => "account transferred",
            "5" => "no account",
            "6" => "no instruction",
            "7" => "amount differs",
            "8" => "amount not yet due",
            "9" => "presentation overdue",
            "A" | "a" => "service user differs",
            "B" | "b" => "account closed",
            _ => "reason code not recognised",
        }
    }
}

pub use outflows::arudd_reason;

#[cfg(test)]
mod known_identity_tests {
    use super::super::testkit::Builder;
    use super::*;

    #[test]
    fn a_known_identity_is_the_one_the_index_finds() {
        let mut b = Builder::default();
        // Enough accounts that references share the smallest table's slots.
        for n in 0..3000 {
            b.account(&format!("RA{}", 10_000 + n), "Ann Lee", "80.00");
        }
        let paid_by_mandate = b.account("RB7", "Bo Ray", "80.00");
        b.with(paid_by_mandate, |a| a.payment_refs = vec!["DDI77".into()]);
        for shared in [0, 1] {
            b.with(shared, |a| a.payment_refs = vec!["SHARED1".into()]);
        }
        let mut references: Vec<String> = (0..3000).map(|n| format!("RA{}", 10_000 + n)).collect();
        references.extend(["DDI77", "SHARED1", "12999", "NOPE", ""].map(String::from));
        // Each on two lines running with the same payer, the ids counted:
        // the texts are held once, and the second line finds the first's
        // identity in the table.
        for (i, reference) in references.iter().enumerate() {
            for line in [2 * i, 2 * i + 1] {
                b.bank(
                    &format!("B{line:06}"),
                    "2026-02-01",
                    "80.00",
                    reference,
                    "A LEE",
                );
            }
        }
        let held = |line: usize| {
            b.data
                .bank_text
                .field(b.data.bank[line].texts, BankLine::REFERENCE)
        };
        let apart: Vec<usize> = (0..references.len())
            .filter(|&i| held(2 * i) != held(2 * i + 1))
            .collect();
        // The first line holds its id: there is none before it to count on.
        assert_eq!(apart, [0]);
        let index = RefIndex::build(&b.data.accounts);
        let known = KnownIdentities::for_lines(0);
        let kinds = |identity: &Identity| match identity {
            Identity::Account(_, basis) => format!("{basis:?}"),
            other => format!("{other:?}"),
        };
        let mut seen = std::collections::BTreeSet::new();
        // Twice over: the second time, references that share a slot with
        // another's since are looked up again.
        for _ in 0..2 {
            for line in &b.data.bank {
                let expected = index.identify(b.data.reference(line));
                let found = known.identify(&index, &b.data, line);
                assert_eq!(found, expected, "{:?}", b.data.reference(line));
                seen.insert(kinds(&found));
            }
        }
        let held = known
            .slots
            .iter()
            .filter(|s| s.load(Ordering::Relaxed) != 0)
            .count();
        assert!(held > 900, "{held} of 1,024 slots in use");
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            [
                "AccountRef",
                "Ambiguous([0, 1])",
                "Digits",
                "PaymentRef",
                "Unknown"
            ]
        );
    }
}

#[cfg(test)]
mod bank_key_tests {
    use super::super::testkit::{date, Builder};
    use super::*;

    fn opts() -> MatchOptions {
        MatchOptions {
            as_at: date("2026-03-31"),
            posting_days: 5,
            match_days: 35,
            lead_days: 3,
        }
    }

    /// Lines 0-4: two lines with one id in two spellings, a bulk line whose
    /// batch ref is another line's id, one after the as-at date.
    fn lines() -> Builder {
        let mut b = Builder::default();
        b.bank("BNK-1", "2026-02-01", "10.00", "HB7", "");
        b.bank("bnk 1", "2026-02-02", "10.00", "", "");
        b.bank("BNK-2", "2026-02-03", "10.00", "BNK 1", "");
        b.bank("BNK-3", "2026-02-04", "10.00", "HB7", "");
        b.bank("BNK-4", "2026-04-04", "10.00", "", "");
        b
    }

    /// Each key's line, asked one at a time; checked against all of them
    /// asked at once, with a key-less posting among them.
    fn found(keys: &BankKeys, asked: &[&str]) -> Vec<Option<usize>> {
        let one_by_one: Vec<Option<usize>> = asked.iter().map(|k| keys.get(k)).collect();
        let mut batch: Vec<Option<&str>> = asked.iter().map(|&k| Some(k)).collect();
        batch.insert(1, None);
        let mut at_once = vec![Some(99); batch.len()];
        keys.get_batch(&batch, &mut at_once);
        assert_eq!(at_once.remove(1), None);
        assert_eq!(at_once, one_by_one);
        one_by_one
    }

    #[test]
    fn the_first_line_holding_a_key_is_found_by_any_spelling() {
        let b = lines();
        let bulk = [false, false, true, true, false];
        // With a one-bucket hash every key clashes with the first, so the
        // clash path must give the same answers as the hashed one; with
        // `u64::MAX`, batch refs hash as high as the late line's stand-in.
        let one_bucket: [fn(&str) -> u64; 2] = [|_| 0, |_| u64::MAX];
        for hash in std::iter::once(identify::normal_hash as fn(&str) -> u64).chain(one_bucket) {
            let keys = BankKeys::build_with(&b.data, &bulk, opts(), hash);
            assert_eq!(
                found(
                    &keys,
                    &["bnk1", "BNK-2", "b.n.k.3", "HB 7", "BNK-4", "BNK-9", ""]
                ),
                // An id beats a batch ref; of two bulk lines with one batch
                // ref the first; a line after the as-at date is not there.
                [Some(0), Some(2), Some(3), Some(3), None, None, None]
            );
        }
    }

    /// Lines whose ids count up hold no key but are found on their runs,
    /// with the keys' precedence: the first line of an id, an id before a
    /// batch ref, runs that overlap, and lines after the as-at date left out.
    #[test]
    fn counted_ids_are_found_as_keyed_ones_would_be() {
        let ids = [
            ("X-3", "2026-02-01", "X 5"), // 0: held; a bulk line whose batch ref is line 2's id
            ("X-4", "2026-02-01", ""),    // 1: counted
            ("X-5", "2026-02-01", ""),    // 2: counted
            ("x 4", "2026-02-02", ""),    // 3: held, the same key as line 1
            ("Y7", "2026-02-02", ""),     // 4: held
            ("Y6", "2026-02-02", ""),     // 5: held (counts down)
            ("Y7", "2026-02-02", ""),     // 6: counted, the same key as line 4
            ("Z1", "2026-02-03", ""),     // 7: held
            ("Z2", "2026-02-03", ""),     // 8: counted
            ("Z1", "2026-02-03", ""),     // 9: held
            ("Z2", "2026-02-03", ""),     // 10: counted, overlapping the run before
            ("Z3", "2026-02-03", ""),     // 11: counted
            ("Z4", "2026-04-03", ""),     // 12: counted, after the as-at date
            ("Q99", "2026-02-03", ""),    // 13: held
            ("Q100", "2026-02-03", ""),   // 14: held (one digit wider)
            ("W10", "2026-04-03", ""),    // 15: held, after the as-at date
            ("W11", "2026-02-03", ""),    // 16: counted
            ("W12", "2026-02-03", ""),    // 17: counted
        ];
        let read = |n: usize| {
            let mut b = Builder::default();
            for (id, on, reference) in &ids[..n] {
                b.bank(id, on, "10.00", reference, "");
            }
            b.data
        };
        let all = read(ids.len());
        let held: Vec<bool> = (0..ids.len())
            .map(|i| all.bank[i].texts.has(BankLine::BANK_ID))
            .collect();
        assert_eq!(
            held,
            [
                true, false, false, true, true, true, false, true, false, true, false, false,
                false, true, true, true, false, false
            ]
        );
        let mut bulk = vec![false; ids.len()];
        bulk[0] = true;
        // The first 15 lines, most holding a key (8 of them), then all 18,
        // most holding none (10): the keys are gathered either way.
        for (data, extra) in [(read(15), false), (all, true)] {
            for hash in [identify::normal_hash as fn(&str) -> u64, |_| 0] {
                let keys = BankKeys::build_with(&data, &bulk[..data.bank.len()], opts(), hash);
                assert_eq!(
                    found(
                        &keys,
                        &["x4", "X-5", "X 3", "y7", "Y6", "z2", "Z 3", "Z4", "Q100", "Q099", "X6"]
                    ),
                    [
                        Some(1),
                        Some(2),
                        Some(0),
                        Some(4),
                        Some(5),
                        Some(8),
                        Some(11),
                        None,
                        Some(14),
                        None,
                        None
                    ]
                );
                let late = found(&keys, &["W10", "W12"]);
                assert_eq!(
                    late,
                    if extra {
                        [None, Some(17)]
                    } else {
                        [None, None]
                    }
                );
            }
        }
    }
}
