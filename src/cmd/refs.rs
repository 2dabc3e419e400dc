//! Account refs as an officer types them: matched to the accounts file's
//! spelling whatever the case, and an unknown one named with the nearest
//! refs there are.

use anyhow::{bail, Result};
use rustc_hash::FxHashMap as HashMap;

/// Each account ref to its id (the first, where a ref repeats).
pub fn index(data: &crate::recon::Dataset) -> HashMap<&str, u32> {
    let mut by_ref: HashMap<&str, u32> = HashMap::default();
    for (i, a) in data.accounts.iter().enumerate() {
        by_ref.entry(a.account_ref.as_str()).or_insert(i as u32);
    }
    by_ref
}

/// The refs as the accounts file spells them: an exact match, else the one
/// account whose ref differs only in case. An unknown ref is an error
/// naming the nearest refs there are.
pub fn known_refs(
    refs: Vec<String>,
    by_ref: &HashMap<&str, u32>,
    data: &crate::recon::Dataset,
) -> Result<Vec<String>> {
    let folded: HashMap<String, Vec<&str>> = by_ref.keys().fold(HashMap::default(), |mut m, r| {
        m.entry(r.to_ascii_uppercase()).or_default().push(r);
        m
    });
    let mut known = Vec::with_capacity(refs.len());
    let mut unknown = Vec::new();
    for r in refs {
        if by_ref.contains_key(r.as_str()) {
            known.push(r);
            continue;
        }
        match folded.get(&r.to_ascii_uppercase()).map(Vec::as_slice) {
            Some([one]) => known.push((*one).to_string()),
            _ => unknown.push(r),
        }
    }
    if unknown.is_empty() {
        return Ok(known);
    }
    let said: Vec<String> = unknown
        .iter()
        .map(|r| match nearest(r, by_ref.keys().copied()) {
            Some(near) => format!("{r:?} (did you mean {near}?)"),
            None => format!("{r:?}"),
        })
        .collect();
    bail!(
        "no account {} in {}",
        said.join(", "),
        data.sources.name(crate::recon::model::SourceFile::Accounts)
    )
}

/// The ref nearest `wanted` by edit distance, ignoring case, if it is
/// within two edits (ties: the first in sorted order).
fn nearest<'a>(wanted: &str, refs: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<u8> = wanted.to_ascii_uppercase().into_bytes();
    refs.filter(|r| r.len().abs_diff(wanted.len()) <= 2)
        .map(|r| (edits(&wanted, &r.to_ascii_uppercase().into_bytes()), r))
        .filter(|&(d, _)| d <= 2)
        .min()
        .map(|(_, r)| r)
}

/// Levenshtein distance.
fn edits(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(prev + usize::from(x != y));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{edits, nearest};

    #[test]
    fn the_nearest_ref_is_offered_for_a_slip() {
        assert_eq!(edits(b"RA1O02", b"RA1002"), 1);
        let refs = ["RA1001", "RA1002", "RA2002"];
        assert_eq!(nearest("ra1o02", refs.into_iter()), Some("RA1002"));
        assert_eq!(nearest("ZZ9", refs.into_iter()), None);
    }
}
