//! References in normal form (case, spaces, punctuation and prefix words
//! gone) and the keys a reference is looked up by: whole, by its distinctive
//! digits, with years and amounts taken out.

use super::*;

/// Words payers put before the reference that are not part of it.
pub(super) const PREFIX_WORDS: &[&str] = &[
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
pub(super) fn normal_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
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

/// The words of a reference that may be a batch ref held inside longer
/// text ("KIRKTON MBC HB HBPAY20260108"): where the reference has more than
/// one word, each of at least 6 letters and digits with a digit among them
/// (a batch id has both; a name or "RENT" has none).
pub fn batch_words(reference: &str) -> impl Iterator<Item = &str> {
    // Split as bytes: every bank line's reference passes through here, and
    // a word of ASCII letters and digits is always a `str` of its own.
    let words =
        (reference.as_bytes().split(|b| !b.is_ascii_alphanumeric())).filter(|w| !w.is_empty());
    let several = words.clone().nth(1).is_some();
    (words.filter(move |w| several && w.len() >= 6 && w.iter().any(u8::is_ascii_digit)))
        .filter_map(|w| std::str::from_utf8(w).ok())
}

/// Whether two texts have one normal form, without making either.
pub fn normal_eq(a: &str, b: &str) -> bool {
    normal_bytes(a).eq(normal_bytes(b))
}

/// Fewer digits than this, leading zeros aside, are not distinctive enough
/// to identify an account by.
pub(super) const MIN_DIGITS: usize = 3;

/// The digits of a key without leading zeros, if it has enough of them to
/// be distinctive, without making them.
pub(super) fn distinctive_digits(key: &str) -> Option<impl Iterator<Item = u8> + Clone + '_> {
    let digits = key
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0');
    (digits.clone().count() >= MIN_DIGITS).then_some(digits)
}

/// The digits of a reference without leading zeros, if it has enough of them
/// to be distinctive.
pub(super) fn digit_core(key: &str) -> Option<Text> {
    distinctive_digits(key).map(|digits| digits.map(char::from).collect())
}

/// Whether a payment ref, normalised, is a placeholder rather than a
/// reference (`N/A`, `NONE`, `HB`): hundreds of accounts may hold one, and
/// it identifies none of them.
pub(super) fn is_placeholder(key: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "NA", "NONE", "NIL", "NULL", "TBC", "TBA", "HB", "UC", "DD", "SO", "CASH", "CARD",
        "UNKNOWN",
    ];
    key.len() < 3 || PLACEHOLDERS.contains(&key) || key.bytes().all(|b| b == b'0')
}

/// Month names and their short forms, as payers write them beside a year.
pub(super) const MONTHS: &[&str] = &[
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
pub(super) fn without_years_or_amounts(reference: &str) -> std::borrow::Cow<'_, str> {
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

pub(super) fn tokens(text: &str) -> Vec<Text> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().map(|c| c.to_ascii_uppercase()).collect())
        .collect()
}

pub(super) fn concat(toks: &[Text]) -> Text {
    toks.iter().map(Text::as_str).collect()
}

/// The keys a payer's reference might stand for, most literal first. Most
/// have one, held without an allocation (a key a bank line).
pub(super) fn candidate_keys(reference: &str) -> Keys {
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

#[cfg(test)]
mod batch_word_tests {
    use super::batch_words;

    #[test]
    fn a_batch_word_is_a_long_word_with_a_digit_among_others() {
        fn words(r: &str) -> Vec<&str> {
            batch_words(r).collect()
        }
        assert_eq!(words("KIRKTON MBC HB HBPAY20260108"), ["HBPAY20260108"]);
        assert_eq!(words("HB/PAY-2026.01.08 run 77A123"), ["77A123"]);
        // One word is the whole reference, matched as such elsewhere.
        assert!(words("HBPAY20260108").is_empty());
        // Names, short ids and words without a digit are no batch's.
        assert!(words("RHONA KETTLE RENT").is_empty());
        assert!(words("RA1 RENT 12345").is_empty());
        assert_eq!(words("café 123456"), ["123456"]);
    }
}
