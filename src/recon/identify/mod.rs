//! Identifying receipts: which account a bank reference or payer name points
//! to, by the reference in normal form (`normal.rs`) looked up in the index
//! of account and payment refs (`index.rs`); receipts nobody can identify get
//! ranked suggestions (`near.rs`), never a guess between equals.

use hashbrown::HashTable;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use smallvec::SmallVec;

use super::model::{Account, AccountId, Text};
use super::names::{self, Likeness};

mod index;
mod near;
mod normal;

pub use index::*;
pub use near::*;
pub use normal::*;

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

    #[test]
    fn a_reference_that_is_a_name_suggests_the_tenant_when_the_payer_is_a_bank() {
        let (index, accounts) = index_of(&[
            ("010631", "Rhona Kettle", &[]),
            ("010632", "Stefan Lisowski", &[]),
            ("010633", "Tariq Mahmood", &[]),
            ("010634", "Ann Ash", &[]),
            ("010635", "Bo Smith", &[]),
            ("010636", "Cy Smith", &[]),
            ("010637", "Di Smith", &[]),
            ("010638", "Ed Smith", &[]),
        ]);
        let near = index.near_index_for(std::iter::empty());
        let found = |reference: &str| -> Vec<(AccountId, bool, String)> {
            (index
                .suggest(&near, &accounts, reference, "SANTANDER UK PLC")
                .iter())
            .map(|s| (s.account, s.strong, s.reason.clone()))
            .collect()
        };
        let kettle = "reference \"RHONA KETTLE\" names in full tenant \"Rhona Kettle\"";
        assert_eq!(found("RHONA KETTLE"), [(0, false, kettle.to_string())]);
        assert_eq!(found("LISOWSKI RENT")[0].0, 1);
        // By initial, past an address; the address word that is a tenant's
        // surname suggests her too (she is the only Ash): held, not moved.
        let mahmood: Vec<AccountId> = found("T MAHMOOD 22 ASH RD").iter().map(|f| f.0).collect();
        assert_eq!(mahmood, [2, 3]);
        // A common surname alone suggests nobody; with an initial, the one.
        assert!(found("SMITH RENT").is_empty());
        assert_eq!(found("C SMITH RENT")[0].0, 5);
        // Where the payer is the tenant, the reference adds nothing.
        let by_payer = index.suggest(&near, &accounts, "RHONA KETTLE", "R KETTLE");
        assert_eq!(by_payer.len(), 1);
        assert!(
            !by_payer[0].reason.contains("reference"),
            "{}",
            by_payer[0].reason
        );
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
