//! Identifying receipts: which account a bank reference or payer name points
//! to. References are normalised (case, spaces, punctuation, prefixes such as
//! RENT/REF/ACC) and looked up against account refs and payment refs; receipts
//! nobody can identify get ranked suggestions, never a guess between equals.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use smallvec::SmallVec;

use super::model::{Account, AccountId, Text};

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

/// Honorifics dropped before comparing names.
const TITLES: &[&str] = &["MR", "MRS", "MS", "MISS", "MX", "DR", "REV", "SIR"];

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

/// The digits of a reference without leading zeros, if it has enough of them
/// to be distinctive.
fn digit_core(key: &str) -> Option<Text> {
    let core: Text = key
        .chars()
        .filter(|c| c.is_ascii_digit())
        .skip_while(|&c| c == '0')
        .collect();
    (core.len() >= 3).then_some(core)
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

/// Lookup tables from normalised references to accounts.
#[derive(Debug, Default)]
pub struct RefIndex {
    by_account_ref: HashMap<Text, Ids>,
    by_payment_ref: HashMap<Text, Ids>,
    by_digits: HashMap<Text, Ids>,
    /// Surname -> accounts whose tenant has it.
    by_surname: HashMap<Text, Ids>,
    /// Every account's normalised refs, for near-miss suggestions.
    refs: Vec<KnownRef>,
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
        let from = self.0.partition_point(|&(k, _)| k < hash);
        self.0[from..]
            .iter()
            .take_while(move |&&(k, _)| k == hash)
            .map(|&(_, i)| i)
    }
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

/// One account's keys, normalised, for [`RefIndex::build`].
struct AccountKeys {
    account_ref: Text,
    digits: Option<Text>,
    payment_refs: Vec<Text>,
    surname: Option<Text>,
}

/// A normalised account or payment reference.
#[derive(Debug)]
struct KnownRef {
    account: AccountId,
    key: Text,
    what: &'static str,
}

/// Near-miss suggestions are only made for keys at least this long: short
/// ones are one edit from too much.
const MIN_FUZZY_LEN: usize = 4;

/// The keys of a reference that near misses are looked for with.
fn fuzzy_keys(reference: &str) -> impl Iterator<Item = Text> {
    candidate_keys(reference)
        .into_iter()
        .filter(|k| k.len() >= MIN_FUZZY_LEN)
}

/// The accounts one key stands for: almost always one, held inline.
type Ids = SmallVec<[AccountId; 2]>;

/// A reference's candidate keys (see [`candidate_keys`]).
type Keys = SmallVec<[Text; 1]>;

/// Adds `id` under `key`. Accounts are added in id order, so an account
/// already under the key is the last one there: a common surname holds
/// thousands, and looking through them all for each made building the index
/// quadratic.
/// Every account's refs, in account order, for near-miss suggestions.
fn known_refs(keyed: &[AccountKeys]) -> Vec<KnownRef> {
    let mut refs = Vec::with_capacity(2 * keyed.len());
    for (i, k) in keyed.iter().enumerate() {
        let account = i as AccountId;
        refs.push(KnownRef {
            account,
            key: k.account_ref.clone(),
            what: "account number",
        });
        refs.extend(k.payment_refs.iter().map(|key| KnownRef {
            account,
            key: key.clone(),
            what: "payment reference",
        }));
    }
    refs
}

/// `map` with each account's `keys` added, in account order.
fn fill<'k>(
    keyed: &'k [AccountKeys],
    mut map: HashMap<Text, Ids>,
    keys: impl Fn(&'k AccountKeys) -> &'k [Text],
) -> HashMap<Text, Ids> {
    for (i, k) in keyed.iter().enumerate() {
        for key in keys(k) {
            add(&mut map, key.clone(), i as AccountId);
        }
    }
    map
}

fn add(map: &mut HashMap<Text, Ids>, key: Text, id: AccountId) {
    let ids = map.entry(key).or_default();
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}

/// A payer or tenant name as (first initial, surname), titles dropped.
fn name_parts(name: &str) -> Option<(Option<char>, Text)> {
    let toks: Vec<Text> = tokens(name)
        .into_iter()
        .filter(|t| !TITLES.contains(&t.as_str()) && t.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    let surname = toks.last()?.clone();
    if surname.len() < 2 {
        return None;
    }
    let initial = if toks.len() > 1 {
        toks[0].chars().next()
    } else {
        None
    };
    Some((initial, surname))
}

/// Whether a payer name plausibly belongs to a tenant: same surname and, where
/// both give one, the same first initial.
pub fn names_match(payer: &str, tenant: &str) -> bool {
    match (name_parts(payer), name_parts(tenant)) {
        (Some((pi, ps)), Some((ti, ts))) => {
            ps == ts
                && match (pi, ti) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        }
        _ => false,
    }
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
        // Each account's keys, made in parallel (normalising is most of the
        // work), then each map filled on a core of its own in account order,
        // which is the order of the accounts under a key.
        let keyed: Vec<AccountKeys> = accounts
            .par_iter()
            .map(|account| {
                let account_ref = normalise(&account.account_ref);
                AccountKeys {
                    digits: digit_core(&account_ref),
                    account_ref,
                    payment_refs: (account.payment_refs.iter())
                        .map(|r| normalise(r))
                        .filter(|k| !k.is_empty())
                        .collect(),
                    surname: name_parts(&account.tenant_name).map(|(_, surname)| surname),
                }
            })
            .collect();
        let n = accounts.len();
        let sized = || HashMap::with_capacity_and_hasher(n, Default::default());
        let ((by_account_ref, by_digits), ((by_payment_ref, by_surname), refs)) = rayon::join(
            || {
                rayon::join(
                    || fill(&keyed, sized(), |k| std::slice::from_ref(&k.account_ref)),
                    || fill(&keyed, sized(), |k| k.digits.as_slice()),
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || fill(&keyed, sized(), |k| &k.payment_refs),
                            || fill(&keyed, HashMap::default(), |k| k.surname.as_slice()),
                        )
                    },
                    || known_refs(&keyed),
                )
            },
        );
        RefIndex {
            by_account_ref,
            by_payment_ref,
            by_digits,
            by_surname,
            refs,
        }
    }

    /// The account an account-ref or claim-ref column names exactly (after
    /// normalisation), as schedules give them.
    pub fn exact(&self, text: &str) -> Identity {
        let key = normalise(text);
        for map in [&self.by_account_ref, &self.by_payment_ref] {
            if let Some(ids) = map.get(&key) {
                return identity_of(ids, Basis::Schedule);
            }
        }
        Identity::Unknown
    }

    /// Identifies the account a payer's reference points to.
    pub fn identify(&self, reference: &str) -> Identity {
        let keys = candidate_keys(reference);
        for (map, basis) in [
            (&self.by_account_ref, Basis::AccountRef),
            (&self.by_payment_ref, Basis::PaymentRef),
        ] {
            let mut found = Ids::new();
            for key in &keys {
                for &id in map.get(key).into_iter().flatten() {
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
        let digit_tokens: Vec<Text> = keys.iter().filter_map(|k| digit_core(k)).collect();
        let mut found: Vec<AccountId> = Vec::new();
        for core in &digit_tokens {
            for &id in self.by_digits.get(core).into_iter().flatten() {
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

    /// Up to `limit` accounts a receipt may belong to, best first, each with
    /// its reason. Equally good candidates are all kept in account order.
    /// `near` must have been built for `reference`.
    pub fn suggest(
        &self,
        near: &NearIndex,
        accounts: &[Account],
        reference: &str,
        payer: &str,
        limit: usize,
    ) -> (Vec<Suggestion>, usize) {
        let mut scored: HashMap<AccountId, (u8, Vec<String>)> = HashMap::default();
        for key in fuzzy_keys(reference) {
            for hash in variant_hashes(&key) {
                for i in near.get(hash) {
                    let known = &self.refs[i as usize];
                    if scored.contains_key(&known.account) || !one_edit_apart(&key, &known.key) {
                        continue;
                    }
                    scored.insert(
                        known.account,
                        (
                            2,
                            vec![format!(
                                "reference {key} is one character or one transposition away from {} {}",
                                known.what, known.key
                            )],
                        ),
                    );
                }
            }
        }
        if let Some((_, surname)) = name_parts(payer) {
            for &id in self.by_surname.get(&surname).into_iter().flatten() {
                let tenant = &accounts[id as usize].tenant_name;
                if names_match(payer, tenant) {
                    let entry = scored.entry(id).or_default();
                    entry.0 += 1;
                    entry
                        .1
                        .push(format!("payer name {payer:?} matches tenant {tenant:?}"));
                }
            }
        }
        let mut ranked: Vec<(AccountId, u8, Vec<String>)> =
            scored.into_iter().map(|(id, (s, r))| (id, s, r)).collect();
        ranked.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                accounts[a.0 as usize]
                    .account_ref
                    .cmp(&accounts[b.0 as usize].account_ref)
            })
        });
        let left_out = ranked.len().saturating_sub(limit);
        let suggestions = ranked
            .into_iter()
            .take(limit)
            .map(|(account, _, reasons)| Suggestion {
                account,
                reason: reasons.join("; "),
            })
            .collect();
        (suggestions, left_out)
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
