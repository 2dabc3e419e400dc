//! Identifying receipts: which account a bank reference or payer name points
//! to. References are normalised (case, spaces, punctuation, prefixes such as
//! RENT/REF/ACC) and looked up against account refs and payment refs; receipts
//! nobody can identify get ranked suggestions, never a guess between equals.

use hashbrown::HashTable;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use smallvec::SmallVec;

use super::model::{Account, AccountId, Text};
use super::names::{self, Likeness};

/// Words payers put before the reference that are not part of it.
const PREFIX_WORDS: &[&str] = &[
    "RENT",
    "REF",
    "REFERENCE",
    "ACC",
    "ACCT",
    "ACCOUNT",
    "AC",
    "PAYMENT",
    "PAY",
    "TENANCY",
    "TEN",
    "NO",
    "NUMBER",
    "NUM",
    "FOR",
    "ROOM",
    "FLAT",
    "HOUSE",
    "ARREARS",
];

/// How a receipt was tied to its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The reference is the account number.
    AccountRef,
    /// The reference is one of the account's payment refs (card, mandate, claim).
    PaymentRef,
    /// The reference's digits alone match one account's (letters or zeros missing).
    Digits,
    /// A schedule share naming the account directly.
    Schedule,
}

impl Basis {
    pub fn describe(self) -> &'static str {
        match self {
            Basis::AccountRef => "its reference is the account number",
            Basis::PaymentRef => "its reference is a payment reference held on the account",
            Basis::Digits => "the digits of its reference match the account number",
            Basis::Schedule => "the schedule names the account",
        }
    }
}

/// The outcome of identifying one receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    Account(AccountId, Basis),
    /// Two or more accounts fit equally well: never guess between them.
    Ambiguous(Box<[AccountId]>),
    Unknown,
}

impl Identity {
    pub fn account(&self) -> Option<AccountId> {
        match self {
            Identity::Account(id, _) => Some(*id),
            _ => None,
        }
    }
}

/// A candidate account for a receipt nobody could identify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub account: AccountId,
    /// How good a fit: an exact full name 3, a reference one slip away 2,
    /// a payer name by initial or surname 1, summed.
    pub score: u8,
    /// The evidence alone would tie the receipt to this account: the payer
    /// is the tenant by full name, or the reference is the account number
    /// with one keying slip.
    pub strong: bool,
    pub reason: String,
}

/// Upper-case letters and digits only: `ra-00 4471` and `RA004471` agree.
pub fn normalise(text: &str) -> Text {
    let bytes = text.as_bytes();
    // Most ids and references are already in normal form: copy them whole.
    if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return Text::from(text);
    }
    let mut key = Text::with_capacity(text.len());
    for b in normal_bytes(text) {
        key.push(char::from(b));
    }
    key
}

/// The bytes of `text`'s normal form, without making it.
fn normal_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
}

/// The hash of `text`'s normal form, without making it.
pub fn normal_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for b in normal_bytes(text) {
        h.write_u8(b);
    }
    h.finish()
}

/// Whether two texts have one normal form, without making either.
pub fn normal_eq(a: &str, b: &str) -> bool {
    normal_bytes(a).eq(normal_bytes(b))
}

/// Fewer digits than this, leading zeros aside, are not distinctive enough
/// to identify an account by.
const MIN_DIGITS: usize = 3;

/// The digits of a key without leading zeros, if it has enough of them to
/// be distinctive, without making them.
fn distinctive_digits(key: &str) -> Option<impl Iterator<Item = u8> + Clone + '_> {
    let digits = key
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0');
    (digits.clone().count() >= MIN_DIGITS).then_some(digits)
}

/// The digits of a reference without leading zeros, if it has enough of them
/// to be distinctive.
fn digit_core(key: &str) -> Option<Text> {
    distinctive_digits(key).map(|digits| digits.map(char::from).collect())
}

/// Whether a payment ref, normalised, is a placeholder rather than a
/// reference (`N/A`, `NONE`, `HB`): hundreds of accounts may hold one, and
/// it identifies none of them.
fn is_placeholder(key: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "NA", "NONE", "NIL", "NULL", "TBC", "TBA", "HB", "UC", "DD", "SO", "CASH", "CARD",
        "UNKNOWN",
    ];
    key.len() < 3 || PLACEHOLDERS.contains(&key) || key.bytes().all(|b| b == b'0')
}

/// Month names and their short forms, as payers write them beside a year.
const MONTHS: &[&str] = &[
    "JAN",
    "JANUARY",
    "FEB",
    "FEBRUARY",
    "MAR",
    "MARCH",
    "APR",
    "APRIL",
    "MAY",
    "JUN",
    "JUNE",
    "JUL",
    "JULY",
    "AUG",
    "AUGUST",
    "SEP",
    "SEPT",
    "SEPTEMBER",
    "OCT",
    "OCTOBER",
    "NOV",
    "NOVEMBER",
    "DEC",
    "DECEMBER",
];

/// The reference without the words that are dates or sums of money, which
/// are not an account's digits: `20/03/2026`, `2026-03-20`, `03/2026`,
/// `2025/2026`, `MARCH2026`, `450.00`, `£1,200.50`, and a year (1990 to
/// 2099) written beside a month (`RENT MARCH 2026`). A number alone, even
/// `2001`, is kept: it may be the account's.
fn without_years_or_amounts(reference: &str) -> std::borrow::Cow<'_, str> {
    let is_year =
        |w: &str| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1990..=2099).contains(&y));
    let is_amount = |w: &str| {
        let w = w.trim_start_matches('£');
        let (whole, pence) = w.split_once('.').unwrap_or((w, ""));
        pence.len() == 2
            && pence.bytes().all(|b| b.is_ascii_digit())
            && !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
    };
    // Digits in groups of one to four joined by / - or . : a date.
    let is_date = |w: &str| {
        let groups: Vec<&str> = w.split(['/', '-', '.']).collect();
        (2..=3).contains(&groups.len())
            && groups
                .iter()
                .all(|g| (1..=4).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
            && groups.iter().any(|g| is_year(g) || g.len() <= 2)
    };
    let month_year = |w: &str| {
        let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
        let digits = &w[letters.len()..];
        (digits.len() == 4 || digits.len() == 2)
            && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(letters))
    };
    let words: Vec<&str> = reference.split_whitespace().collect();
    let has_month = words.iter().any(|w| {
        MONTHS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(w.trim_matches(|c: char| !c.is_alphanumeric())))
    });
    let drop = |w: &&str| is_amount(w) || is_date(w) || month_year(w) || (has_month && is_year(w));
    if !words.iter().any(drop) {
        return std::borrow::Cow::Borrowed(reference);
    }
    let kept: Vec<&str> = words.into_iter().filter(|w| !drop(w)).collect();
    std::borrow::Cow::Owned(kept.join(" "))
}

fn tokens(text: &str) -> Vec<Text> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().map(|c| c.to_ascii_uppercase()).collect())
        .collect()
}

fn concat(toks: &[Text]) -> Text {
    toks.iter().map(Text::as_str).collect()
}

/// The keys a payer's reference might stand for, most literal first. Most
/// have one, held without an allocation (a key a bank line).
fn candidate_keys(reference: &str) -> Keys {
    // Only the start of a reference is read: Bacs carries 18 characters, a
    // card scheme a few more, and the keys of a longer one cost time that
    // grows with the square of its length.
    let mut end = reference.len().min(MAX_REFERENCE_LEN);
    while !reference.is_char_boundary(end) {
        end -= 1;
    }
    let reference = &reference[..end];
    // Most references are one token (`RA004471`, a mandate ref) with no
    // prefix word glued on: their only key is themselves, so skip the
    // tokens, runs and strips that would all give the same key.
    let trimmed = reference.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let key = normalise(trimmed);
        if !PREFIX_WORDS
            .iter()
            .any(|w| key.len() > w.len() && key.starts_with(w))
        {
            return if key.len() >= 2 {
                smallvec::smallvec![key]
            } else {
                Keys::new()
            };
        }
    }
    let toks = tokens(reference);
    let mut keys = Keys::new();
    let mut push = |k: Text| {
        if k.len() >= 2 && !keys.contains(&k) {
            keys.push(k);
        }
    };
    push(concat(&toks));
    let first_real = toks
        .iter()
        .position(|t| !PREFIX_WORDS.contains(&t.as_str()))
        .unwrap_or(toks.len());
    push(concat(&toks[first_real..]));
    // Runs of two or three neighbouring tokens: `RA 1003` for RA1003.
    for width in [2, 3] {
        for run in toks.windows(width) {
            push(concat(run));
        }
    }
    for t in &toks {
        push(t.clone());
        // `REFRA004471`: a prefix word glued onto the reference.
        for word in PREFIX_WORDS {
            if let Some(rest) = t.strip_prefix(word) {
                push(Text::from(rest));
            }
        }
    }
    keys
}

/// Lookup tables from normalised references to accounts. Each account's refs
/// are held once, in `refs`; the tables hold indices into it, a few bytes
/// an entry, where maps of owned keys to lists of ids were four times the
/// memory and most of the time spent building the index.
#[derive(Debug, Default)]
pub struct RefIndex {
    /// Every account's normalised refs in account order: its account
    /// number, then its payment refs.
    refs: Vec<KnownRef>,
    by_account_ref: Chains,
    by_payment_ref: Chains,
    /// The digits of account numbers ([`digit_core`]).
    by_digits: Chains,
    /// (hash of the tenant's surname, account), sorted. Only suggestions
    /// look here, and [`names_match`] checks each account found.
    by_surname: Vec<(u64, AccountId)>,
    /// Each tenant's name as keys, read once.
    tenant_keys: Vec<SmallVec<[names::PersonKey; 2]>>,
}

/// The hash of each ref and of each one-character deletion of it, with the
/// ref's index, sorted: a lookup is a binary search; two keys one edit or
/// one transposition apart share an entry. Hashes rather than strings keep
/// it to 16 bytes an entry; a collision only adds a candidate that
/// [`one_edit_apart`] then turns down.
///
/// It holds only the entries that the references it was built for can
/// look up ([`RefIndex::near_index_for`]): a run asks for suggestions for
/// its few hundred receipts in suspense, and every entry for 100,000
/// accounts (a dozen a ref) was millions sorted to answer them.
#[derive(Debug, Default)]
pub struct NearIndex(Vec<(u64, u32)>);

impl NearIndex {
    fn build(refs: &[KnownRef], wanted: &HashSet<u64>) -> NearIndex {
        use rayon::prelude::*;
        if wanted.is_empty() {
            return NearIndex::default();
        }
        let mut entries: Vec<(u64, u32)> = refs
            .par_iter()
            .enumerate()
            .filter(|(_, known)| known.key.len() >= MIN_FUZZY_LEN)
            .flat_map_iter(|(i, known)| variant_hashes(&known.key).map(move |h| (h, i as u32)))
            .filter(|(h, _)| wanted.contains(h))
            .collect();
        entries.par_sort_unstable();
        NearIndex(entries)
    }

    /// The refs one of whose variants hashes to `hash`.
    fn get(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        with_hash(&self.0, hash)
    }
}

/// The indices filed under `hash` in a list of (hash, index) sorted by hash.
fn with_hash(sorted: &[(u64, u32)], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let from = sorted.partition_point(|&(h, _)| h < hash);
    sorted[from..]
        .iter()
        .take_while(move |&&(h, _)| h == hash)
        .map(|&(_, i)| i)
}

/// Hashes of the key and of each one-character deletion of it (keys are
/// ASCII), byte by byte so that no variant is built as a string.
fn variant_hashes(key: &str) -> impl Iterator<Item = u64> + '_ {
    use std::hash::Hasher;
    let bytes = key.as_bytes();
    (0..=bytes.len()).map(move |skip| {
        let mut h = rustc_hash::FxHasher::default();
        for (i, &b) in bytes.iter().enumerate() {
            if i != skip {
                h.write_u8(b);
            }
        }
        h.finish()
    })
}

/// What a [`KnownRef`] is to its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefKind {
    AccountNumber,
    PaymentRef,
}

impl RefKind {
    fn describe(self) -> &'static str {
        match self {
            RefKind::AccountNumber => "account number",
            RefKind::PaymentRef => "payment reference",
        }
    }
}

/// A normalised account or payment reference.
#[derive(Debug)]
struct KnownRef {
    key: Text,
    account: AccountId,
    kind: RefKind,
}

/// Near-miss suggestions are only made for keys at least this long: short
/// ones are one edit from too much.
const MIN_FUZZY_LEN: usize = 4;

/// The keys of a reference that near misses are looked for with.
fn fuzzy_keys(reference: &str) -> impl Iterator<Item = Text> {
    candidate_keys(reference)
        .into_iter()
        .filter(|k| (MIN_FUZZY_LEN..=MAX_FUZZY_LEN).contains(&k.len()))
}

/// How much of a reference is read for keys.
const MAX_REFERENCE_LEN: usize = 256;

/// Keys longer than this are no account's number or payment ref one slip
/// away: near misses are not looked for (each costs its length squared).
const MAX_FUZZY_LEN: usize = 40;

/// Whether a reference is, but for one keying slip, the account's number or
/// one of its payment refs: what ties a payment to an account that finance
/// posted it to by a mistyped number.
pub fn one_slip_from(reference: &str, account: &Account) -> bool {
    let known: SmallVec<[Text; 2]> = std::iter::once(&account.account_ref)
        .chain(account.payment_refs.iter())
        .map(|r| normalise(r))
        .filter(|k| !k.is_empty())
        .collect();
    fuzzy_keys(reference).any(|key| known.iter().any(|k| one_edit_apart(&key, k)))
}

/// The accounts a reference is found to stand for: almost always one, held
/// inline.
type Ids = SmallVec<[AccountId; 2]>;

/// A reference's candidate keys (see [`candidate_keys`]).
type Keys = SmallVec<[Text; 1]>;

/// A ref no other follows in [`Chains::next`] (chains are read only up to
/// their last).
const NO_REF: u32 = u32::MAX;

/// The first and last of the refs under one key.
#[derive(Clone, Copy, Debug)]
struct Chain {
    first: u32,
    last: u32,
}

/// Refs by key: the table holds each key's chain, whose refs are linked by
/// `next` in account order, so a key shared by thousands of accounts costs
/// a word each and is added to without a search. Keys are not stored: a
/// table is told how to hash a ref's key and how to compare it.
#[derive(Debug, Default)]
struct Chains {
    heads: HashTable<Chain>,
    next: Vec<u32>,
}

impl Chains {
    /// The refs `filing` holds, each account once under a key.
    fn build(refs: &[KnownRef], capacity: usize, filing: impl Filing) -> Chains {
        let mut chains = Chains {
            heads: HashTable::with_capacity(capacity),
            next: vec![NO_REF; refs.len()],
        };
        let hash_of = |r: u32| filing.key(&refs[r as usize]).map_or(0, key_hash);
        for (r, known) in refs.iter().enumerate() {
            let Some(key) = filing.key(known) else {
                continue;
            };
            let r = r as u32;
            let is_key = |c: &Chain| {
                (filing.key(&refs[c.first as usize])).is_some_and(|k| k.eq(key.clone()))
            };
            match chains.heads.find_mut(key_hash(key.clone()), is_key) {
                Some(chain) => {
                    // Accounts are added in order: one already under the key
                    // is the chain's last.
                    if refs[chain.last as usize].account != known.account {
                        chains.next[chain.last as usize] = r;
                        chain.last = r;
                    }
                }
                None => {
                    let chain = Chain { first: r, last: r };
                    chains
                        .heads
                        .insert_unique(key_hash(key), chain, |c| hash_of(c.first));
                }
            }
        }
        chains
    }

    /// The chain under `key`, for [`Chains::accounts`]; `filing` as built
    /// with.
    fn find(&self, refs: &[KnownRef], key: &[u8], filing: impl Filing) -> Option<Chain> {
        let is_key = |c: &Chain| filing.holds(&refs[c.first as usize], key);
        self.heads
            .find(key_hash(key.iter().copied()), is_key)
            .copied()
    }

    /// The accounts of `chain`, in account order. The links are read only
    /// past the first: most keys name one account.
    fn accounts<'a>(
        &'a self,
        refs: &'a [KnownRef],
        chain: Option<Chain>,
    ) -> impl Iterator<Item = AccountId> + 'a {
        let mut at = chain.map(|c| (c.first, c.last));
        std::iter::from_fn(move || {
            let (r, last) = at?;
            at = (r != last).then(|| (self.next[r as usize], last));
            Some(refs[r as usize].account)
        })
    }
}

/// How a table of [`Chains`] files refs: which it holds, under what key.
trait Filing {
    /// The bytes of the key `known` is filed under, if it is held.
    fn key<'r>(&self, known: &'r KnownRef) -> Option<impl Iterator<Item = u8> + Clone + 'r>;

    /// Whether `known` is held under `key`.
    fn holds(&self, known: &KnownRef, key: &[u8]) -> bool {
        self.key(known).is_some_and(|k| k.eq(key.iter().copied()))
    }
}

/// Refs of one kind, under their whole key.
#[derive(Clone, Copy)]
struct WholeKey(RefKind);

impl Filing for WholeKey {
    fn key<'r>(&self, known: &'r KnownRef) -> Option<impl Iterator<Item = u8> + Clone + 'r> {
        (known.kind == self.0).then(|| known.key.bytes())
    }

    fn holds(&self, known: &KnownRef, key: &[u8]) -> bool {
        known.kind == self.0 && known.key.as_bytes() == key
    }
}

/// Account numbers, under their [`digit_core`].
#[derive(Clone, Copy)]
struct DigitsKey;

impl Filing for DigitsKey {
    fn key<'r>(&self, known: &'r KnownRef) -> Option<impl Iterator<Item = u8> + Clone + 'r> {
        (known.kind == RefKind::AccountNumber)
            .then(|| distinctive_digits(&known.key))
            .flatten()
    }
}

/// The hash a key is filed under, byte by byte, so that a key never has to
/// be made to be looked up.
fn key_hash(key: impl Iterator<Item = u8>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    key.for_each(|b| h.write_u8(b));
    h.finish()
}

/// The hashes of a name's surnames, as [`names::keys`] reads them.
fn surname_hashes(name: &str) -> SmallVec<[u64; 2]> {
    let mut out: SmallVec<[u64; 2]> = SmallVec::new();
    for k in names::keys(name) {
        if !out.contains(&k.surname) {
            out.push(k.surname);
        }
    }
    out
}

/// Whether a payer name plausibly belongs to a tenant: same surname and, where
/// both give one, the same first initial.
pub fn names_match(payer: &str, tenant: &str) -> bool {
    names::likeness(payer, tenant) >= Likeness::Surname
}

/// Whether two keys are one substitution, insertion, deletion or adjacent
/// transposition apart (and not equal).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return false;
    }
    match a.len() as isize - b.len() as isize {
        0 => {
            let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diffs.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 | -1 => {
            let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
            let split = short.iter().zip(long).take_while(|(x, y)| x == y).count();
            short[split..] == long[split + 1..]
        }
        _ => false,
    }
}

impl RefIndex {
    pub fn build(accounts: &[Account]) -> RefIndex {
        use rayon::prelude::*;
        // The refs are normalised in parallel (most of the work), then each
        // table is filled on a core of its own in account order, which is
        // the order of the accounts under a key.
        let refs: Vec<KnownRef> = accounts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, account)| {
                let account_id = i as AccountId;
                let number = KnownRef {
                    key: normalise(&account.account_ref),
                    account: account_id,
                    kind: RefKind::AccountNumber,
                };
                let payment_refs = (account.payment_refs.iter())
                    .map(|r| normalise(r))
                    .filter(|k| !is_placeholder(k))
                    .map(move |key| KnownRef {
                        key,
                        account: account_id,
                        kind: RefKind::PaymentRef,
                    });
                std::iter::once(number).chain(payment_refs)
            })
            .collect();
        let n = accounts.len();
        let ((by_account_ref, by_digits), (by_payment_ref, (by_surname, tenant_keys))) =
            rayon::join(
                || {
                    rayon::join(
                        || Chains::build(&refs, n, WholeKey(RefKind::AccountNumber)),
                        || Chains::build(&refs, n, DigitsKey),
                    )
                },
                || {
                    rayon::join(
                        || Chains::build(&refs, refs.len() - n, WholeKey(RefKind::PaymentRef)),
                        || {
                            let tenant_keys: Vec<SmallVec<[names::PersonKey; 2]>> = (accounts
                                .par_iter())
                            .map(|a| names::keys(&a.tenant_name))
                            .collect();
                            let mut by_surname: Vec<(u64, AccountId)> = (tenant_keys.par_iter())
                                .enumerate()
                                .flat_map_iter(|(i, keys)| {
                                    let mut hashes: SmallVec<[u64; 2]> = SmallVec::new();
                                    for k in keys {
                                        if !hashes.contains(&k.surname) {
                                            hashes.push(k.surname);
                                        }
                                    }
                                    hashes.into_iter().map(move |h| (h, i as AccountId))
                                })
                                .collect();
                            by_surname.par_sort_unstable();
                            (by_surname, tenant_keys)
                        },
                    )
                },
            );
        RefIndex {
            refs,
            by_account_ref,
            by_payment_ref,
            by_digits,
            by_surname,
            tenant_keys,
        }
    }

    /// The accounts whose account number or payment ref (as `kind` says)
    /// is `key`.
    fn whole(&self, kind: RefKind, key: &str) -> impl Iterator<Item = AccountId> + '_ {
        let chains = match kind {
            RefKind::AccountNumber => &self.by_account_ref,
            RefKind::PaymentRef => &self.by_payment_ref,
        };
        let chain = chains.find(&self.refs, key.as_bytes(), WholeKey(kind));
        chains.accounts(&self.refs, chain)
    }

    /// The account an account-ref or claim-ref column names exactly (after
    /// normalisation), as schedules give them.
    pub fn exact(&self, text: &str) -> Identity {
        let key = normalise(text);
        for kind in [RefKind::AccountNumber, RefKind::PaymentRef] {
            let ids: Ids = self.whole(kind, &key).collect();
            if !ids.is_empty() {
                return identity_of(&ids, Basis::Schedule);
            }
        }
        Identity::Unknown
    }

    /// Identifies the account a payer's reference points to.
    pub fn identify(&self, reference: &str) -> Identity {
        let keys = candidate_keys(reference);
        for (kind, basis) in [
            (RefKind::AccountNumber, Basis::AccountRef),
            (RefKind::PaymentRef, Basis::PaymentRef),
        ] {
            let mut found = Ids::new();
            for key in &keys {
                for id in self.whole(kind, key) {
                    if !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
            if !found.is_empty() {
                return identity_of(&found, basis);
            }
        }
        // Missing letters or zeros ("4471" for RA004471): only when the digits
        // point to exactly one account and the reference has no other digits.
        // A year or an amount written in the reference is not an account's
        // digits ("RENT MARCH 2026", "RENT 450.00").
        let plain = without_years_or_amounts(reference);
        let keys = if plain.len() == reference.len() {
            keys
        } else {
            candidate_keys(&plain)
        };
        let digit_tokens: Vec<Text> = keys.iter().filter_map(|k| digit_core(k)).collect();
        let mut found: Vec<AccountId> = Vec::new();
        for core in &digit_tokens {
            let chain = self.by_digits.find(&self.refs, core.as_bytes(), DigitsKey);
            for id in self.by_digits.accounts(&self.refs, chain) {
                if !found.contains(&id) {
                    found.push(id);
                }
            }
        }
        if found.is_empty() {
            Identity::Unknown
        } else {
            identity_of(&found, Basis::Digits)
        }
    }

    /// The near-miss index for suggesting accounts for `references`: only
    /// they may be passed to [`RefIndex::suggest`] with it.
    pub fn near_index_for<'a>(&self, references: impl Iterator<Item = &'a str>) -> NearIndex {
        let wanted: HashSet<u64> = references
            .flat_map(fuzzy_keys)
            .flat_map(|key| variant_hashes(&key).collect::<Vec<_>>())
            .collect();
        NearIndex::build(&self.refs, &wanted)
    }

    /// The accounts whose tenant the payer is by full name (surname and
    /// first name written out): nearly always one; two tenants of one name
    /// are both the payer, as far as the name can say.
    pub fn tenants_by_full_name(
        &self,
        accounts: &[Account],
        payer: &str,
    ) -> SmallVec<[AccountId; 2]> {
        let _ = accounts;
        let payer_keys = names::keys(payer);
        let mut found: SmallVec<[AccountId; 2]> = SmallVec::new();
        for hash in surname_hashes(payer) {
            for id in with_hash(&self.by_surname, hash) {
                if !found.contains(&id)
                    && names::key_likeness(&payer_keys, &self.tenant_keys[id as usize])
                        == Likeness::Full
                {
                    found.push(id);
                }
            }
        }
        found
    }

    /// Every account a receipt may belong to, best first, each with its
    /// reason: an exact full-name match first, then a reference one keying
    /// slip from the account's, then a payer name that fits by initial or
    /// surname. Equally good candidates are kept in account order. `near`
    /// must have been built for `reference`.
    pub fn suggest(
        &self,
        near: &NearIndex,
        accounts: &[Account],
        reference: &str,
        payer: &str,
    ) -> Vec<Suggestion> {
        let mut scored: HashMap<AccountId, Suggestion> = HashMap::default();
        for key in fuzzy_keys(reference) {
            for hash in variant_hashes(&key) {
                for i in near.get(hash) {
                    let known = &self.refs[i as usize];
                    if scored.contains_key(&known.account) || !one_edit_apart(&key, &known.key) {
                        continue;
                    }
                    let slip = known.kind == RefKind::AccountNumber;
                    scored.insert(
                        known.account,
                        Suggestion {
                            account: known.account,
                            score: 2,
                            strong: slip,
                            reason: format!(
                                "reference {key} is one character or one transposition away from {} {}",
                                known.kind.describe(),
                                known.key
                            ),
                        },
                    );
                }
            }
        }
        let payer_keys = names::keys(payer);
        for hash in surname_hashes(payer) {
            for id in with_hash(&self.by_surname, hash) {
                let tenant = &accounts[id as usize].tenant_name;
                let (score, words) =
                    match names::key_likeness(&payer_keys, &self.tenant_keys[id as usize]) {
                        Likeness::Unlike => continue,
                        Likeness::Full => (3, "is the tenant by full name"),
                        Likeness::Initial | Likeness::Surname => (1, "matches tenant"),
                    };
                let entry = scored.entry(id).or_insert_with(|| Suggestion {
                    account: id,
                    score: 0,
                    strong: false,
                    reason: String::new(),
                });
                if entry.reason.contains("payer name") {
                    continue;
                }
                entry.score += score;
                entry.strong |= score == 3;
                if !entry.reason.is_empty() {
                    entry.reason.push_str("; ");
                }
                entry
                    .reason
                    .push_str(&format!("payer name {payer:?} {words} {tenant:?}"));
            }
        }
        let mut ranked: Vec<Suggestion> = scored.into_values().collect();
        ranked.sort_by(|a, b| {
            b.score.cmp(&a.score).then_with(|| {
                accounts[a.account as usize]
                    .account_ref
                    .cmp(&accounts[b.account as usize].account_ref)
            })
        });
        ranked
    }
}

/// The one suggestion the evidence alone ties a receipt to, as a slice of
/// one; empty when none or several are strong.
pub fn strong_and_unique(suggestions: &[Suggestion]) -> &[Suggestion] {
    let mut strong = suggestions.iter().enumerate().filter(|(_, s)| s.strong);
    match (strong.next(), strong.next()) {
        (Some((i, _)), None) => &suggestions[i..=i],
        _ => &[],
    }
}

fn identity_of(ids: &[AccountId], basis: Basis) -> Identity {
    match ids {
        [one] => Identity::Account(*one, basis),
        many => {
            let mut v = many.to_vec();
            v.sort_unstable();
            Identity::Ambiguous(v.into_boxed_slice())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of accounts given as (account ref, tenant, payment refs),
    /// with the accounts.
    fn index_of(accounts: &[(&str, &str, &[&str])]) -> (RefIndex, Vec<Account>) {
        let mut b = crate::recon::testkit::Builder::default();
        for &(account_ref, tenant, refs) in accounts {
            let id = b.account(account_ref, tenant, "100.00");
            b.with(id, |a| {
                a.payment_refs = refs.iter().map(|&r| r.into()).collect()
            });
        }
        (RefIndex::build(&b.data.accounts), b.data.accounts)
    }

    fn ambiguous(ids: &[AccountId]) -> Identity {
        Identity::Ambiguous(ids.into())
    }

    #[test]
    fn a_key_shared_by_accounts_is_ambiguous_and_each_account_counts_once() {
        let (index, _) = index_of(&[
            ("RA1001", "Ann Lee", &["DD-77", "dd77"]),
            ("RA1002", "Bo Lee", &["XR1"]),
            ("RA1003", "Cy Lee", &["DD77"]),
        ]);
        assert_eq!(index.identify("DD77"), ambiguous(&[0, 2]));
        assert_eq!(
            index.identify("ref xr1"),
            Identity::Account(1, Basis::PaymentRef)
        );
        assert_eq!(
            index.identify("RA1003"),
            Identity::Account(2, Basis::AccountRef)
        );
        assert_eq!(index.identify("DD78"), Identity::Unknown);
        assert_eq!(
            index.exact("ra-1002"),
            Identity::Account(1, Basis::Schedule)
        );
        assert_eq!(index.exact("dd 77"), ambiguous(&[0, 2]));
    }

    #[test]
    fn a_key_thousands_of_accounts_share_lists_them_all() {
        let refs: Vec<String> = (0..3000).map(|i| format!("RA{i:06}")).collect();
        let accounts: Vec<(&str, &str, &[&str])> = refs
            .iter()
            .map(|r| (r.as_str(), "A Tenant", &["SHARED1"][..]))
            .collect();
        let (index, _) = index_of(&accounts);
        let all: Vec<AccountId> = (0..3000).collect();
        assert_eq!(index.identify("shared-1"), ambiguous(&all));
        assert_eq!(
            index.identify("RA002999"),
            Identity::Account(2999, Basis::AccountRef)
        );
    }

    #[test]
    fn digits_alone_identify_one_account_and_never_guess_between_two() {
        let (index, _) = index_of(&[
            ("RA004471", "Ann Lee", &[]),
            ("RB004471", "Bo Lee", &[]),
            ("RA005512", "Cy Lee", &[]),
            ("RA000012", "Di Lee", &[]),
        ]);
        assert_eq!(index.identify("5512"), Identity::Account(2, Basis::Digits));
        assert_eq!(index.identify("rent 4471"), ambiguous(&[0, 1]));
        // Two digits are not enough to go on.
        assert_eq!(index.identify("12"), Identity::Unknown);
    }

    #[test]
    fn suggestions_come_from_near_refs_and_payer_names() {
        let (index, accounts) = index_of(&[
            ("RA004471", "John Smith", &[]),
            ("RA004472", "Jane Smith", &["SO-1"]),
            ("RA004473", "Karl Smith", &[]),
            ("RA004474", "John Smyth", &[]),
        ]);
        let near = index.near_index_for(["RA004417"].into_iter());
        let found = index.suggest(&near, &accounts, "RA004417", "MR J SMITH");
        let found: Vec<(AccountId, u8, bool, &str)> = (found.iter())
            .map(|s| (s.account, s.score, s.strong, s.reason.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    0,
                    3,
                    true,
                    "reference RA004417 is one character or one transposition away from \
                     account number RA004471; payer name \"MR J SMITH\" matches tenant \"John Smith\""
                ),
                (1, 1, false, "payer name \"MR J SMITH\" matches tenant \"Jane Smith\""),
            ]
        );
        // An exact full name ranks first, above a reference one slip away.
        let found = index.suggest(&near, &accounts, "RA004417", "JANE SMITH");
        let order: Vec<(AccountId, u8, bool)> = found
            .iter()
            .map(|s| (s.account, s.score, s.strong))
            .collect();
        assert_eq!(order, [(1, 3, true), (0, 2, true)]);
    }

    proptest::proptest! {
        /// A plain name hashed without parsing gives the parse's surnames.
        #[test]
        fn plain_names_hash_as_they_parse(name in "[A-Za-z]{1,8}( {1,2}[A-Za-z]{1,8}){0,3}|(Mr|Mc|Van|and) [A-Za-z]{2,6}") {
            let mut fast: Vec<u64> = surname_hashes(&name).into_vec();
            let mut slow: Vec<u64> =
                names::surnames(&name).iter().map(|s| names::word_hash(s.bytes())).collect();
            fast.sort_unstable();
            fast.dedup();
            slow.sort_unstable();
            slow.dedup();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn a_year_or_an_amount_in_a_reference_is_not_an_account_number() {
        let (index, _) = index_of(&[("RA2026", "Ann Lee", &[]), ("RA450", "Bo Diaz", &[])]);
        for dated in [
            "RENT MARCH 2026",
            "RENT 450.00",
            "RENT 20/03/2026",
            "2026-03-20",
            "RENT 03/2026",
            "20.03.2026",
            "RENT MARCH2026",
            "RENT 2025/2026",
        ] {
            assert_eq!(index.identify(dated), Identity::Unknown, "{dated}");
        }
        // A number alone may be the account's, even one that reads as a year.
        let (years, _) = index_of(&[("RA2001", "Ann Lee", &[])]);
        assert_eq!(years.identify("2001"), Identity::Account(0, Basis::Digits));
        assert_eq!(
            index.identify("RA2026 MARCH"),
            Identity::Account(0, Basis::AccountRef)
        );
        assert_eq!(
            index.identify("ref 450"),
            Identity::Account(1, Basis::Digits)
        );
    }

    #[test]
    fn placeholder_payment_refs_identify_no_one() {
        let refs: &[&str] = &["N/A", "HB"];
        let (index, _) = index_of(&[("RA2001", "Ann Lee", refs), ("RA3107", "Bo Diaz", refs)]);
        assert_eq!(index.identify("N/A"), Identity::Unknown);
        assert_eq!(index.identify("hb"), Identity::Unknown);
    }

    #[test]
    fn a_long_reference_is_read_in_time_that_grows_with_its_length() {
        let (index, accounts) = index_of(&[("RA2001", "Ann Lee", &[])]);
        let long = format!("RA2001 {}", "AB12 ".repeat(200_000));
        assert_eq!(
            index.identify(&long),
            Identity::Account(0, Basis::AccountRef)
        );
        let near = index.near_index_for(std::iter::once(long.as_str()));
        assert!(index.suggest(&near, &accounts, &long, "").len() <= 1);
    }

    #[test]
    fn normalises_case_spaces_and_punctuation() {
        assert_eq!(normalise(" ra-00 4471 "), "RA004471");
    }

    #[test]
    fn one_token_references_take_the_short_way_to_the_same_keys() {
        let slow = |reference: &str| {
            // The general path, forced by a separator the tokens drop.
            candidate_keys(&format!("{reference} -"))
        };
        for reference in [
            "RA004471",
            "ddi10000001",
            "RENT",
            "REFRA004471",
            "X",
            "rentRA1",
            "B000000123",
        ] {
            assert_eq!(candidate_keys(reference), slow(reference), "{reference}");
        }
    }

    #[test]
    fn candidate_keys_strip_prefix_words() {
        let keys = candidate_keys("Rent ref: RA004471");
        assert!(keys.contains(&Text::from("RA004471")));
        let keys = candidate_keys("REFRA004471");
        assert!(keys.contains(&Text::from("RA004471")));
        let keys = candidate_keys("rent ra-1003 Feb");
        assert!(keys.contains(&Text::from("RA1003")));
    }

    #[test]
    fn one_edit_covers_substitution_insertion_deletion_transposition() {
        assert!(one_edit_apart("RA004471", "RA004417"));
        assert!(one_edit_apart("RA004471", "RA004472"));
        assert!(one_edit_apart("RA04471", "RA004471"));
        assert!(one_edit_apart("RA0044711", "RA004471"));
        assert!(!one_edit_apart("RA004471", "RA004471"));
        assert!(!one_edit_apart("RA004471", "RA004714"));
        assert!(!one_edit_apart("RA004471", "RB004472"));
    }

    #[test]
    fn names_match_on_surname_and_initial() {
        assert!(names_match("MR J SMITH", "John Smith"));
        assert!(names_match("SMITH", "John Smith"));
        assert!(!names_match("MRS K SMITH", "John Smith"));
        assert!(!names_match("J SMYTH", "John Smith"));
    }
}
