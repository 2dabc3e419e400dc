//! Suggestions for receipts nobody can identify: the near-miss index of
//! references a keying slip away from an account's, and tenants found by the
//! payer's name.

use super::*;

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
    pub(super) fn build(refs: &[KnownRef], wanted: &HashSet<u64>) -> NearIndex {
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
    pub(super) fn get(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        with_hash(&self.0, hash)
    }
}

/// The indices filed under `hash` in a list of (hash, index) sorted by hash.
pub(super) fn with_hash(sorted: &[(u64, u32)], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let from = sorted.partition_point(|&(h, _)| h < hash);
    sorted[from..]
        .iter()
        .take_while(move |&&(h, _)| h == hash)
        .map(|&(_, i)| i)
}

/// Hashes of the key and of each one-character deletion of it (keys are
/// ASCII), byte by byte so that no variant is built as a string.
pub(super) fn variant_hashes(key: &str) -> impl Iterator<Item = u64> + '_ {
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

/// Near-miss suggestions are only made for keys at least this long: short
/// ones are one edit from too much.
pub(super) const MIN_FUZZY_LEN: usize = 4;

/// The keys of a reference that near misses are looked for with.
pub(super) fn fuzzy_keys(reference: &str) -> impl Iterator<Item = Text> {
    candidate_keys(reference)
        .into_iter()
        .filter(|k| (MIN_FUZZY_LEN..=MAX_FUZZY_LEN).contains(&k.len()))
}

/// How much of a reference is read for keys.
pub(super) const MAX_REFERENCE_LEN: usize = 256;

/// Keys longer than this are no account's number or payment ref one slip
/// away: near misses are not looked for (each costs its length squared).
pub(super) const MAX_FUZZY_LEN: usize = 40;

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

impl RefIndex {
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
        let surnames = surname_hashes(payer);
        // Each found with where a walk of the payer's surnames in order,
        // each surname's accounts in order, would meet it first: the order
        // they are given in.
        let mut found: SmallVec<[(usize, AccountId); 2]> = SmallVec::new();
        for hash in payer_keys.iter().filter_map(full_name_hash) {
            for id in with_hash(&self.by_full_name, hash) {
                let keys = &self.tenant_keys[id as usize];
                if found.iter().any(|&(_, f)| f == id)
                    || names::key_likeness(&payer_keys, keys) != Likeness::Full
                {
                    continue;
                }
                let met = surnames
                    .iter()
                    .position(|&s| keys.iter().any(|k| k.surname == s));
                found.extend(met.map(|at| (at, id)));
            }
        }
        found.sort_unstable();
        found.into_iter().map(|(_, id)| id).collect()
    }

    /// The accounts whose tenant a payer of `payer_keys` may be by name
    /// (some twice), among others: each is to be checked. Those of a
    /// surname the payer gives an initial with are those of that initial
    /// or of none; where the payer gives no initial, all of the surname's.
    fn named_like<'a>(
        &'a self,
        payer_keys: &'a [names::PersonKey],
    ) -> impl Iterator<Item = AccountId> + 'a {
        payer_keys.iter().flat_map(|p| {
            let (all, by_initial) = match p.initial {
                0 => (Some(with_hash(&self.by_surname, p.surname)), None),
                x => {
                    let of = |i| with_hash(&self.by_initial, initial_hash(p.surname, i));
                    (None, Some(of(x).chain(of(0))))
                }
            };
            all.into_iter()
                .flatten()
                .chain(by_initial.into_iter().flatten())
        })
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
        for id in self.named_like(&payer_keys) {
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
        if !payer.eq_ignore_ascii_case(reference) {
            self.suggest_by_reference_name(accounts, reference, &mut scored);
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

/// A reference's surname must share it with at most this many tenants to
/// suggest them on the surname alone ("LISOWSKI RENT"): a common one
/// ("SMITH RENT") would hold a street of accounts, and an address word that
/// is someone's surname ("22 ASH RD") would hold them for nothing.
const RARE_SURNAME_TENANTS: usize = 3;

impl RefIndex {
    /// Tenants the reference names, read as a name where the payer's is
    /// someone else's (the paying bank's, a relative's): "RHONA KETTLE",
    /// "T MAHMOOD 22 ASH RD", "LISOWSKI RENT". A word that is a tenant's
    /// surname suggests the tenant where the word before it is their given
    /// name or initial, or the surname is rare. Never strong: the tenant
    /// is held, no money is moved on it.
    fn suggest_by_reference_name(
        &self,
        accounts: &[Account],
        reference: &str,
        scored: &mut HashMap<AccountId, Suggestion>,
    ) {
        let words: SmallVec<[&str; 8]> = reference
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        // Each tenant once, by the best reading of any of its words.
        let mut best: SmallVec<[(AccountId, NamedBy); 4]> = SmallVec::new();
        for (i, word) in words.iter().enumerate().filter(|(_, w)| w.len() > 1) {
            let surname = names::word_hash(word.bytes());
            let tenants: SmallVec<[AccountId; 4]> = with_hash(&self.by_surname, surname).collect();
            let before = i.checked_sub(1).map(|j| words[j]);
            for &id in &tenants {
                let keys = &self.tenant_keys[id as usize];
                let Some(by) = named_by(keys, surname, before, tenants.len()) else {
                    continue;
                };
                match best.iter_mut().find(|(t, _)| *t == id) {
                    Some((_, was)) => *was = (*was).max(by),
                    None => best.push((id, by)),
                }
            }
        }
        // A tenant the payer's name already suggests gains nothing more.
        let by_payer = |id: &AccountId| {
            scored
                .get(id)
                .is_some_and(|s| s.reason.contains("payer name"))
        };
        best.retain(|(id, _)| !by_payer(id));
        for (id, by) in best {
            let tenant = &accounts[id as usize].tenant_name;
            let entry = scored.entry(id).or_insert_with(|| Suggestion {
                account: id,
                score: 0,
                strong: false,
                reason: String::new(),
            });
            entry.score += 1;
            if !entry.reason.is_empty() {
                entry.reason.push_str("; ");
            }
            entry.reason.push_str(&format!(
                "reference {reference:?} {} {tenant:?}",
                by.words()
            ));
        }
    }
}

/// How a reference names a tenant, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NamedBy {
    Surname,
    Initial,
    FullName,
}

impl NamedBy {
    fn words(self) -> &'static str {
        match self {
            NamedBy::Surname => "has the surname of tenant",
            NamedBy::Initial => "names by initial and surname tenant",
            NamedBy::FullName => "names in full tenant",
        }
    }
}

/// How a reference's word `surname` (hashed), with the word `before` it,
/// names a tenant keyed `keys` whose surname `sharing` tenants have: by the
/// given name or initial before it, or by a rare surname alone.
fn named_by(
    keys: &[names::PersonKey],
    surname: u64,
    before: Option<&str>,
    sharing: usize,
) -> Option<NamedBy> {
    let given = before.map(|w| names::word_hash(w.bytes()));
    let initial = before
        .filter(|w| w.len() == 1)
        .and_then(|w| w.bytes().next())
        .map(|b| b.to_ascii_uppercase());
    let mut best = (sharing <= RARE_SURNAME_TENANTS).then_some(NamedBy::Surname);
    for k in keys.iter().filter(|k| k.surname == surname) {
        if k.given != 0 && given == Some(k.given) {
            return Some(NamedBy::FullName);
        }
        if k.initial != 0 && initial == Some(k.initial) {
            best = Some(NamedBy::Initial);
        }
    }
    best
}

#[cfg(test)]
mod full_name_tests {
    use super::*;
    use crate::recon::testkit::Builder;

    /// The walk of every tenant of each of the payer's surnames that
    /// `by_full_name` stands in for.
    fn by_surname_walk(index: &RefIndex, payer: &str) -> SmallVec<[AccountId; 2]> {
        let payer_keys = names::keys(payer);
        let mut found: SmallVec<[AccountId; 2]> = SmallVec::new();
        for hash in surname_hashes(payer) {
            for id in with_hash(&index.by_surname, hash) {
                if !found.contains(&id)
                    && names::key_likeness(&payer_keys, &index.tenant_keys[id as usize])
                        == Likeness::Full
                {
                    found.push(id);
                }
            }
        }
        found
    }

    #[test]
    fn tenants_by_full_name_are_those_and_in_the_order_a_surname_walk_finds() {
        let mut b = Builder::default();
        let tenants = [
            "Lea Francis",
            "Francis Lea",
            "Leah Francis",
            "L Francis",
            "Mr Lea Francis",
            "Anna Smith-Jones",
            "Anna Jones",
            "Lea Francis",
            "Francis Francis",
            "Lea Francis and Sean Hughes",
            "Sean Hughes",
            "Hughes",
            "Anna van der Berg",
        ];
        for (n, tenant) in tenants.iter().enumerate() {
            b.account(&format!("RA{}", 100 + n), tenant, "80.00");
        }
        let index = RefIndex::build(&b.data.accounts);
        let payers = [
            "LEA FRANCIS",
            "FRANCIS LEA",
            "L FRANCIS",
            "MR LEA FRANCIS",
            "FRANCIS FRANCIS",
            "ANNA SMITH-JONES",
            "ANNA JONES",
            "SEAN HUGHES",
            "MR S HUGHES",
            "ANNA BERG",
            "ANNA VAN DER BERG",
            "SMITH",
            "",
        ];
        let mut met = 0;
        for payer in payers {
            let found = index.tenants_by_full_name(&b.data.accounts, payer);
            assert_eq!(found, by_surname_walk(&index, payer), "{payer:?}");
            met += usize::from(found.len() > 1);
        }
        // Some payers are several tenants by full name, so order is tested.
        assert!(met >= 2, "{met}");
        // What suggestions check: every tenant the payer may be by name,
        // as a walk of every tenant of the payer's surnames finds them.
        let alike = |ids: &mut dyn Iterator<Item = AccountId>, payer: &str| {
            let payer_keys = names::keys(payer);
            let found: std::collections::BTreeSet<AccountId> = ids
                .filter(|&id| {
                    names::key_likeness(&payer_keys, &index.tenant_keys[id as usize])
                        != Likeness::Unlike
                })
                .collect();
            found
        };
        let mut more = 0;
        for payer in payers
            .iter()
            .chain(&["HUGHES", "MR HUGHES", "A JONES", "K FRANCIS"])
        {
            let keys = names::keys(payer);
            let walked = alike(
                &mut surname_hashes(payer)
                    .into_iter()
                    .flat_map(|h| with_hash(&index.by_surname, h)),
                payer,
            );
            let indexed = alike(&mut index.named_like(&keys), payer);
            assert_eq!(indexed, walked, "{payer:?}");
            more += usize::from(walked.len() > 1);
        }
        assert!(more >= 3, "{more}");
    }
}
