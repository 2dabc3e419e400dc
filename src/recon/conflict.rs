//! Receipts whose reference names one account while the payer is, by name,
//! the tenant of another: a relative's number quoted by mistake, or a
//! standing order still quoting an old account. Neither is trusted; both
//! accounts are held until someone asks the payer.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::identify::normal_hash;
use super::matching::{Held, Receipt};
use super::model::{AccountId, Dataset};
use super::names;

/// One receipt whose reference and payer point at different accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayerConflict {
    pub bank: u32,
    /// The account the reference names.
    pub by_reference: AccountId,
    /// The account whose tenant the payer is.
    pub by_payer: AccountId,
    /// The money was posted to the payer's account, following the name.
    pub posted_to_payer: bool,
}

/// Whether a payer's name shares a word (of two letters or more) with the
/// tenant's: checked without allocating, since nearly every receipt's payer
/// is its tenant.
pub fn shares_a_word(payer: &str, tenant: &str) -> bool {
    if payer.trim().eq_ignore_ascii_case(tenant.trim()) {
        return true;
    }
    let tenant_words: smallvec::SmallVec<[&str; 6]> = name_words(tenant).collect();
    name_words(payer).any(|p| tenant_words.iter().any(|t| t.eq_ignore_ascii_case(p)))
}

/// Whether a payer name is an organisation's (a payment processor, a
/// council, DWP, a company), which pays into many accounts: its history
/// says nothing about whose a payment is.
pub fn is_organisation(payer: &str) -> bool {
    const WORDS: &[&str] = &[
        "LTD",
        "LIMITED",
        "PLC",
        "LLP",
        "ALLPAY",
        "PAYPOINT",
        "PAYZONE",
        "POST",
        "COUNCIL",
        "DWP",
        "HMRC",
        "BANK",
        "SERVICES",
        "TRUST",
        "ASSOCIATION",
        "HOUSING",
        "BOROUGH",
        "UC",
        "HB",
    ];
    payer
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORDS.iter().any(|o| o.eq_ignore_ascii_case(w)))
}

fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1 && !names::is_title(w))
}

/// Drops the conflicts of a payer who has paid the reference's account
/// before (a parent paying a grown child's rent is a known payer, not a
/// mistake). Conflicts where the money was posted to the payer's account
/// are always kept: money moved away from the account the reference names.
pub fn drop_known_payers(
    data: &Dataset,
    receipts: &[Receipt],
    mut candidates: Vec<PayerConflict>,
) -> Vec<PayerConflict> {
    let wanted: HashSet<AccountId> = candidates
        .iter()
        .filter(|c| !c.posted_to_payer)
        .map(|c| c.by_reference)
        .collect();
    if wanted.is_empty() {
        return candidates;
    }
    let payer_hash = |bank: u32| normal_hash(data.payer(&data.bank[bank as usize]));
    let paid: HashMap<(AccountId, u64), usize> = receipts
        .par_iter()
        .filter_map(|r| match r.identity {
            Held::Account(a, _) if r.share().is_none() && wanted.contains(&a) => {
                Some((a, payer_hash(r.bank)))
            }
            _ => None,
        })
        .fold(HashMap::default, |mut m, key| {
            *m.entry(key).or_insert(0) += 1;
            m
        })
        .reduce(HashMap::default, |mut a, b| {
            for (k, n) in b {
                *a.entry(k).or_insert(0) += n;
            }
            a
        });
    candidates.retain(|c| {
        c.posted_to_payer || paid.get(&(c.by_reference, payer_hash(c.bank))).copied() < Some(2)
    });
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_word_is_found_in_any_case_and_initials_are_not_words() {
        assert!(shares_a_word("MR J SMITH", "John Smith"));
        assert!(!shares_a_word("J S", "John Smith"));
        assert!(!shares_a_word("MARY JONES", "John Smith"));
        assert!(!shares_a_word("MR A JONES", "Mr John Smith"));
        assert!(is_organisation("ALLPAY LTD") && is_organisation("Westshire Borough Council"));
        assert!(!is_organisation("MRS A JONES"));
    }
}
