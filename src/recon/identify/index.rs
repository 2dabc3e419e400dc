//! The reference index: every account ref and payment ref by its normal
//! form and by its distinctive digits, in hashed chains, and how a
//! reference or a text is identified through it.

use super::*;

/// Lookup tables from normalised references to accounts. Each account's refs
/// are held once, in `refs`; the tables hold indices into it, a few bytes
/// an entry, where maps of owned keys to lists of ids took far more memory
/// and most of the time spent building the index.
#[derive(Debug, Default)]
pub struct RefIndex {
    /// Every account's normalised refs in account order: its account
    /// number, then its payment refs.
    pub(super) refs: Vec<KnownRef>,
    pub(super) by_account_ref: Chains,
    pub(super) by_payment_ref: Chains,
    /// The digits of account numbers ([`digit_core`]).
    pub(super) by_digits: Chains,
    /// (hash of the tenant's surname, account), sorted. Only suggestions
    /// look here, and [`names_match`] checks each account found.
    pub(super) by_surname: Vec<(u64, AccountId)>,
    /// Each tenant's name as keys, read once.
    pub(super) tenant_keys: Vec<SmallVec<[names::PersonKey; 2]>>,
    /// ([`full_name_hash`] of a tenant's key, account), sorted: the few
    /// tenants a payer may be by full name, where a surname holds
    /// hundreds. Each account found is checked as `by_surname`'s are.
    pub(super) by_full_name: Vec<(u64, AccountId)>,
    /// ([`initial_hash`] of a tenant's key, account), sorted: the tenants
    /// of a surname a payer with an initial may be, where the surname holds
    /// hundreds.
    pub(super) by_initial: Vec<(u64, AccountId)>,
}

/// What a [`KnownRef`] is to its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RefKind {
    AccountNumber,
    PaymentRef,
}

impl RefKind {
    pub(super) fn describe(self) -> &'static str {
        match self {
            RefKind::AccountNumber => "account number",
            RefKind::PaymentRef => "payment reference",
        }
    }
}

/// A normalised account or payment reference.
#[derive(Debug)]
pub(super) struct KnownRef {
    pub(super) key: Text,
    pub(super) account: AccountId,
    pub(super) kind: RefKind,
}

/// The accounts a reference is found to stand for: almost always one, held
/// inline.
pub(super) type Ids = SmallVec<[AccountId; 2]>;

/// A reference's candidate keys (see [`candidate_keys`]).
pub(super) type Keys = SmallVec<[Text; 1]>;

/// A ref no other follows in [`Chains::next`] (chains are read only up to
/// their last).
pub(super) const NO_REF: u32 = u32::MAX;

/// The first and last of the refs under one key.
#[derive(Clone, Copy, Debug)]
pub(super) struct Chain {
    pub(super) first: u32,
    pub(super) last: u32,
}

/// Refs by key: the table holds each key's chain, whose refs are linked by
/// `next` in account order, so a key shared by thousands of accounts costs
/// a word each and is added to without a search. Keys are not stored: a
/// table is told how to hash a ref's key and how to compare it.
#[derive(Debug, Default)]
pub(super) struct Chains {
    pub(super) heads: HashTable<Chain>,
    pub(super) next: Vec<u32>,
}

impl Chains {
    /// The refs `filing` holds, each account once under a key.
    pub(super) fn build(refs: &[KnownRef], capacity: usize, filing: impl Filing) -> Chains {
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
    pub(super) fn find(&self, refs: &[KnownRef], key: &[u8], filing: impl Filing) -> Option<Chain> {
        let is_key = |c: &Chain| filing.holds(&refs[c.first as usize], key);
        self.heads
            .find(key_hash(key.iter().copied()), is_key)
            .copied()
    }

    /// The accounts of `chain`, in account order. The links are read only
    /// past the first: most keys name one account.
    pub(super) fn accounts<'a>(
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
pub(super) trait Filing {
    /// The bytes of the key `known` is filed under, if it is held.
    fn key<'r>(&self, known: &'r KnownRef) -> Option<impl Iterator<Item = u8> + Clone + 'r>;

    /// Whether `known` is held under `key`.
    fn holds(&self, known: &KnownRef, key: &[u8]) -> bool {
        self.key(known).is_some_and(|k| k.eq(key.iter().copied()))
    }
}

/// Refs of one kind, under their whole key.
#[derive(Clone, Copy)]
pub(super) struct WholeKey(RefKind);

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
pub(super) struct DigitsKey;

impl Filing for DigitsKey {
    fn key<'r>(&self, known: &'r KnownRef) -> Option<impl Iterator<Item = u8> + Clone + 'r> {
        (known.kind == RefKind::AccountNumber)
            .then(|| distinctive_digits(&known.key))
            .flatten()
    }
}

/// The hash a key is filed under, byte by byte, so that a key never has to
/// be made to be looked up.
pub(super) fn key_hash(key: impl Iterator<Item = u8>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    key.for_each(|b| h.write_u8(b));
    h.finish()
}

/// The hashes of a name's surnames, as [`names::keys`] reads them.
pub(super) fn surname_hashes(name: &str) -> SmallVec<[u64; 2]> {
    let mut out: SmallVec<[u64; 2]> = SmallVec::new();
    for k in names::keys(name) {
        if !out.contains(&k.surname) {
            out.push(k.surname);
        }
    }
    out
}

/// The hash of a name's surname with its given name written out, or `None`
/// where the given name is not (a full-name match needs both sides').
pub(super) fn full_name_hash(key: &names::PersonKey) -> Option<u64> {
    use std::hash::Hasher;
    if key.given == 0 || key.initial == 0 {
        return None;
    }
    let mut h = rustc_hash::FxHasher::default();
    h.write_u64(key.surname);
    h.write_u64(key.given);
    Some(h.finish())
}

/// The hash of a name's surname with its first initial (0 for none).
pub(super) fn initial_hash(surname: u64, initial: u8) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write_u64(surname);
    h.write_u8(initial);
    h.finish()
}

/// A sorted index of the tenants' keys by `hash` (none for `None`).
fn name_index(
    tenant_keys: &[SmallVec<[names::PersonKey; 2]>],
    hash: fn(&names::PersonKey) -> Option<u64>,
) -> Vec<(u64, AccountId)> {
    use rayon::prelude::*;
    let mut entries: Vec<(u64, AccountId)> = (tenant_keys.par_iter())
        .enumerate()
        .flat_map_iter(|(i, keys)| {
            let mut hashes: SmallVec<[u64; 2]> = keys.iter().filter_map(hash).collect();
            hashes.sort_unstable();
            hashes.dedup();
            hashes.into_iter().map(move |h| (h, i as AccountId))
        })
        .collect();
    entries.par_sort_unstable();
    entries
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
        let by_full_name = name_index(&tenant_keys, full_name_hash);
        let by_initial = name_index(&tenant_keys, |k| Some(initial_hash(k.surname, k.initial)));
        RefIndex {
            refs,
            by_account_ref,
            by_payment_ref,
            by_digits,
            by_surname,
            tenant_keys,
            by_full_name,
            by_initial,
        }
    }

    /// The accounts whose account number or payment ref (as `kind` says)
    /// is `key`.
    pub(super) fn whole(&self, kind: RefKind, key: &str) -> impl Iterator<Item = AccountId> + '_ {
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
}
