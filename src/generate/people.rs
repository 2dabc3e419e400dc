//! The synthetic landlord's people: tenants' names (common surnames and
//! rarer built ones), account numbers and mandates, and who a payer's name
//! fits.

use super::*;

/// Weekly rents many tenants share.
pub(super) const COMMON_RENTS: [i64; 8] = [9500, 10000, 10550, 11000, 11575, 12000, 12500, 13000];

/// The tenants by name: who a payer's name fits, and who can be told
/// apart by their full name alone.
pub(super) struct People<'a> {
    pub(super) names: &'a [String],
    /// (first initial, surname) -> accounts.
    pub(super) by_initial: std::collections::HashMap<(u8, String), Vec<usize>>,
    /// Full name, upper-case -> how many tenants have it.
    pub(super) full: std::collections::HashMap<String, usize>,
}

impl<'a> People<'a> {
    pub(super) fn of(names: &'a [String]) -> People<'a> {
        let mut by_initial: std::collections::HashMap<(u8, String), Vec<usize>> =
            std::collections::HashMap::new();
        let mut full = std::collections::HashMap::new();
        for (i, name) in names.iter().enumerate() {
            if let Some(p) = names::people(name).into_iter().next() {
                let initial = p.initial.unwrap_or(b'?');
                by_initial
                    .entry((initial, p.surname.to_string()))
                    .or_default()
                    .push(i);
            }
            *full.entry(name.to_uppercase()).or_insert(0) += 1;
        }
        People {
            names,
            by_initial,
            full,
        }
    }

    /// The accounts whose tenant a payer's name fits: those a receipt in
    /// suspense from them holds. A tenant named in full ranks first, as the
    /// reconciler ranks suggestions, and then only those are held (Chloé
    /// Walsh's payment does not hold Cara Walsh); otherwise every tenant of
    /// the same surname and first initial is.
    pub(super) fn fitting(&self, payer: &str) -> Vec<usize> {
        let Some(p) = names::people(payer).into_iter().next() else {
            return Vec::new();
        };
        let key = (p.initial.unwrap_or(b'?'), p.surname.to_string());
        let fits = self.by_initial.get(&key).cloned().unwrap_or_default();
        let named: Vec<usize> = fits
            .iter()
            .copied()
            .filter(|&j| self.names[j].to_uppercase() == payer)
            .collect();
        if named.is_empty() {
            fits
        } else {
            named
        }
    }

    /// Another tenant, whose full name no one else has and who shares no
    /// name with tenant `i`, to pay quoting `i`'s number.
    pub(super) fn other_tenant(&self, i: usize) -> Option<(usize, String)> {
        let n = self.names.len();
        (2..n.min(52))
            .map(|k| (i + k * 7919) % n)
            .find(|&j| {
                j != i
                    && self.full.get(&self.names[j].to_uppercase()) == Some(&1)
                    && !conflict::shares_a_word(&self.names[j], &self.names[i])
            })
            .map(|j| (j, self.names[j].clone()))
    }
}

pub(super) fn account_ref_of(i: usize) -> String {
    format!("RA{:06}", 100_000 + i)
}

pub(super) fn mandate_of(i: usize) -> String {
    format!("DDI{:08}", 10_000_000 + i)
}

/// Tenants' names, made apart from the main sequence so that any account's
/// name is known before its turn. Most have one of a few common surnames
/// (so payers' names often fit several tenants, as in life); the rest have
/// rarer ones, built from syllables.
pub(super) fn tenant_names(seed: u64, accounts: usize) -> Vec<String> {
    const COMMON: [&str; 22] = [
        "Adams", "Begum", "Clarke", "Davies", "Evans", "Francis", "Gill", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts",
        "Singh", "Taylor", "Walsh", "Young",
    ];
    const FIRSTS: [&str; 24] = [
        "Amy", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea", "Max",
        "Nia", "Oli", "Pam", "Raj", "Sam", "Tia", "Uma", "Zoë", "Sean", "Aoife", "Chloé",
    ];
    const SYLLABLES: [&str; 16] = [
        "bar", "cor", "dan", "el", "fen", "gal", "hol", "ing", "kes", "lor", "mar", "nor", "pen",
        "ros", "tal", "wick",
    ];
    let mut rng = Rng(seed ^ 0x6E61_6D65_7321);
    (0..accounts)
        .map(|_| {
            let first = FIRSTS[rng.below(24) as usize];
            let surname = if rng.chance(600) {
                COMMON[rng.below(22) as usize].to_string()
            } else {
                let word: String = (0..3).map(|_| SYLLABLES[rng.below(16) as usize]).collect();
                let mut chars = word.chars();
                chars
                    .next()
                    .map_or(String::new(), |c| c.to_ascii_uppercase().to_string())
                    + chars.as_str()
            };
            format!("{first} {surname}")
        })
        .collect()
}
