//! Receipts no account claims: the accounts suggested for them, the leads
//! they give where they were posted anyway, and receipts whose reference and
//! payer name different accounts.

use super::*;

impl State<'_> {
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
    pub(super) fn near_for_unclaimed(&self, index: &RefIndex) -> NearIndex {
        index.near_index_for(
            (0..self.receipts.len())
                .filter(|&r| self.receipts[r].identity.account().is_none())
                .map(|r| self.suggestion_texts(r).0),
        )
    }

    pub(super) fn suggest(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        r: usize,
    ) -> Vec<identify::Suggestion> {
        let (reference, payer) = self.suggestion_texts(r);
        index.suggest(near, &self.data.accounts, reference, payer)
    }

    /// Receipts no reference claims that were posted somewhere, whose
    /// evidence fits another account at least as well (a payment from
    /// "J SMITH" posted to Jane Smith may be John Smith's): each such
    /// account is held.
    pub(super) fn posted_leads(
        &self,
        index: &RefIndex,
        near: &NearIndex,
    ) -> Vec<(AccountId, Lead)> {
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
    pub(super) fn payer_conflicts(&self, index: &RefIndex) -> Vec<PayerConflict> {
        let quiet = QuietPayers::for_receipts(self.receipts.len());
        let candidates: Vec<PayerConflict> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| self.payer_conflict(index, &quiet, r))
            .collect();
        conflict::drop_known_payers(self.data, &self.receipts, candidates)
    }

    fn payer_conflict(
        &self,
        index: &RefIndex,
        quiet: &QuietPayers,
        r: usize,
    ) -> SmallVec<[PayerConflict; 1]> {
        let receipt = &self.receipts[r];
        let Held::Account(a, _) = receipt.identity else {
            return SmallVec::new();
        };
        if receipt.share().is_some() {
            return SmallVec::new();
        }
        let line = &self.data.bank[receipt.bank as usize];
        let payer_text = self.data.bank_text.field(line.texts, BankLine::PAYER);
        let posted_elsewhere = || (self.linked.of(r)).any(|p| self.data.postings[p].account != a);
        if quiet.knows(payer_text, a) && !posted_elsewhere() {
            return SmallVec::new();
        }
        let payer = self.data.bank_text.get(payer_text);
        if payer.is_empty() {
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
        let found: SmallVec<[PayerConflict; 1]> = match posted_to_payer {
            Some(b) => return SmallVec::from_elem(conflict(b, true), 1),
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
        };
        if found.is_empty() {
            quiet.note(payer_text, a);
        }
        found
    }

    /// The candidates for a receipt in suspense, for its detail sentence:
    /// the best three, and which of them the evidence alone points to.
    pub(super) fn suggestions_in_words(&self, suggestions: &[identify::Suggestion]) -> String {
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
}

/// The payers already found to name no other tenant than the account's
/// own, by where their text is held and the account: a payer's name is held
/// once for all their payments, so most receipts are settled by one read
/// here rather than by comparing names. As [`KnownIdentities`], one word a
/// slot that every task reads and writes without a lock: what a slot says
/// depends on its key alone. A slot holds the last pair to hash there.
struct QuietPayers {
    slots: Vec<AtomicU64>,
    bits: u32,
}

impl QuietPayers {
    /// No pair packs to this: it would need both halves at their most.
    const EMPTY: u64 = u64::MAX;

    /// A slot a receipt, between 1,024 and a million (8 MiB).
    fn for_receipts(receipts: usize) -> Self {
        let bits = (usize::BITS - receipts.leading_zeros()).clamp(10, 20);
        QuietPayers {
            slots: (0..1usize << bits)
                .map(|_| AtomicU64::new(Self::EMPTY))
                .collect(),
            bits,
        }
    }

    fn slot(&self, key: u64) -> &AtomicU64 {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(key);
        &self.slots[(hash >> (64 - self.bits)) as usize]
    }

    fn key(payer: TextId, account: AccountId) -> Option<u64> {
        let key = u64::from(payer.index()) << 32 | u64::from(account);
        (key != Self::EMPTY).then_some(key)
    }

    /// Whether `payer` paying into `account` was found to name no one else.
    fn knows(&self, payer: TextId, account: AccountId) -> bool {
        Self::key(payer, account).is_some_and(|k| self.slot(k).load(Ordering::Relaxed) == k)
    }

    fn note(&self, payer: TextId, account: AccountId) {
        if let Some(k) = Self::key(payer, account) {
            self.slot(k).store(k, Ordering::Relaxed);
        }
    }
}
