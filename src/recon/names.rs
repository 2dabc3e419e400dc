//! People's names as banks print them and tenancy records hold them: titles,
//! surname-first with initials ("DAVIES W"), joint tenants ("A & B SMITH",
//! "Mr A and Mrs B Jones"), accents and apostrophes ("Zoë O'Brien" is
//! "ZOE OBRIEN"), compared whole so that a payer can be told to be a tenant.

use smallvec::SmallVec;

use super::model::Text;

/// Honorifics, suffixes and the payment codes banks print before a name
/// (`FP` faster payment, `BGC` bank giro credit, `SO` standing order),
/// dropped before comparing names.
const TITLES: &[&str] = &[
    "MR", "MRS", "MS", "MISS", "MX", "DR", "REV", "SIR", "MASTER", "PROF", "LADY", "LORD", "DAME",
    "JNR", "JR", "SNR", "SR", "ESQ", "II", "III", "FP", "BGC", "SO", "STO", "TFR", "BACS", "CHAPS",
    "DD", "CHQ", "FROM", "BY", "RENT", "ALLPAY", "PAYPOINT", "PAYZONE", "PAYMENT", "TRANSFER",
];

/// Words that begin a surname and are written apart or together
/// (`MC DONALD`, `O BRIEN`, `VAN DER BERG`): joined to what follows.
const PARTICLES: &[&str] = &[
    "MC", "MAC", "O", "VAN", "VON", "DER", "DEN", "DE", "ST", "AP",
];

/// Whether a word (any case) changes how a name is read: a title, a
/// surname particle, or `and` joining two people.
pub fn is_special_word(word: &str) -> bool {
    // Every tenant's name is looked at: compared upper-cased on the stack.
    const LONGEST: usize = 8;
    if word.len() > LONGEST {
        return false;
    }
    let mut buf = [0u8; LONGEST];
    for (b, w) in buf.iter_mut().zip(word.bytes()) {
        *b = w.to_ascii_uppercase();
    }
    let up = &buf[..word.len()];
    up == b"AND" || TITLES.iter().chain(PARTICLES).any(|t| t.as_bytes() == up)
}

/// Whether a word (any case) is an honorific.
pub fn is_title(word: &str) -> bool {
    TITLES.iter().any(|t| t.eq_ignore_ascii_case(word))
}

/// One person in a name: a given name (or only its initial) and a surname.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The first given name written out, where it is (not an initial).
    pub given: Option<Text>,
    pub initial: Option<u8>,
    pub surname: Text,
}

/// How alike a payer's name and a tenant's are, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    Unlike,
    /// The same surname, and one side gives no initial.
    Surname,
    /// The same surname and first initial.
    Initial,
    /// The same surname and first given name, written out on both sides.
    Full,
}

/// The people a name holds (two for a joint tenancy), in order. A name
/// with a hyphen or a surname particle is read both ways: `Smith-Jones` as
/// `SMITHJONES` and as `SMITH JONES`, `van der Berg` as `VANDERBERG` and
/// as `BERG`, since banks print either.
pub fn people(name: &str) -> SmallVec<[Person; 2]> {
    let joined = join_particles(&fold(name, true));
    let mut found = people_in(&joined);
    let apart = fold(name, false);
    if apart != joined {
        for p in people_in(&apart) {
            if !found.contains(&p) {
                found.push(p);
            }
        }
    }
    found
}

/// The people in a name already folded.
fn people_in(folded: &str) -> SmallVec<[Person; 2]> {
    let mut groups: SmallVec<[SmallVec<[&str; 4]>; 2]> = SmallVec::new();
    groups.push(SmallVec::new());
    for word in folded.split_ascii_whitespace() {
        if word == "&" || word == "AND" {
            groups.push(SmallVec::new());
        } else if !TITLES.contains(&word) && word.bytes().all(|b| b.is_ascii_alphabetic()) {
            if let Some(last) = groups.last_mut() {
                last.push(word);
            }
        }
    }
    groups.retain(|g| !g.is_empty());
    // "JONES J & A": later lone initials take the first person's surname,
    // printed first.
    if let (Some(first), true) = (groups.first(), groups.len() > 1) {
        let surname_first =
            first.len() > 1 && first[0].len() > 1 && first[1..].iter().all(|w| w.len() == 1);
        if surname_first && groups[1..].iter().all(|g| g.iter().all(|w| w.len() == 1)) {
            let surname = first[0];
            for g in groups.iter_mut().skip(1) {
                g.insert(0, surname);
            }
        }
    }
    // "A & B SMITH": a lone given name before the last person takes their surname.
    let shared = groups
        .last()
        .filter(|g| g.len() > 1)
        .and_then(|g| person_of(g))
        .map(|p| p.surname);
    let last = groups.len().saturating_sub(1);
    let mut people: SmallVec<[Person; 2]> = groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| match (g.as_slice(), &shared) {
            ([given], Some(surname)) if i < last => Some(Person {
                given: (given.len() > 1).then(|| Text::from(*given)),
                initial: given.bytes().next(),
                surname: surname.clone(),
            }),
            _ => person_of(g),
        })
        .collect();
    // "SMITH JANE": banks print some names surname first, written out, so
    // a lone two-word name is read both ways.
    if let [[first, second]] = groups
        .as_slice()
        .iter()
        .map(|g| g.as_slice())
        .collect::<SmallVec<[&[&str]; 2]>>()
        .as_slice()
    {
        if first.len() > 1 && second.len() > 1 {
            people.extend(person_of(&[second, first]));
        }
    }
    people
}

/// One person's words, titles dropped: "W J DAVIES", "DAVIES W J" or "DAVIES".
fn person_of(words: &[&str]) -> Option<Person> {
    let (given, surname) = match words {
        [] => return None,
        [surname] => (None, *surname),
        [first, rest @ ..] if first.len() > 1 && rest.iter().all(|w| w.len() == 1) => {
            (Some(rest[0]), *first)
        }
        [first, .., last] => (Some(*first), *last),
    };
    (surname.len() >= 2).then(|| Person {
        given: given.filter(|g| g.len() > 1).map(Text::from),
        initial: given.and_then(|g| g.bytes().next()),
        surname: Text::from(surname),
    })
}

/// A person in a name as hashes, so that one payer can be compared with
/// thousands of tenants of a common surname without reading their names
/// again: the surname's, the given name's (0 where only an initial is
/// given) and the initial (0 where none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonKey {
    pub surname: u64,
    pub given: u64,
    pub initial: u8,
}

/// The hash names are keyed by: FxHash of the upper-case bytes.
pub fn word_hash(word: impl Iterator<Item = u8>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for b in word {
        h.write_u8(b.to_ascii_uppercase());
    }
    h.finish()
}

/// The keys of a name's people, as [`people`] reads them. A plain name
/// ("Amy Adams": letters and spaces, no title, particle or second person),
/// as most tenants' are, is keyed without being parsed.
pub fn keys(name: &str) -> SmallVec<[PersonKey; 2]> {
    let words: SmallVec<[&str; 4]> = name.split_ascii_whitespace().collect();
    let plain = name.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ')
        && words.len() >= 2
        && words.iter().all(|w| w.len() > 1 && !is_special_word(w));
    let key = |given: &str, surname: &str| PersonKey {
        surname: word_hash(surname.bytes()),
        given: word_hash(given.bytes()),
        initial: given.bytes().next().map_or(0, |b| b.to_ascii_uppercase()),
    };
    match (plain, words.as_slice()) {
        (true, [first, second]) => [key(first, second), key(second, first)]
            .into_iter()
            .collect(),
        (true, [first, .., last]) => std::iter::once(key(first, last)).collect(),
        _ => people(name)
            .iter()
            .map(|p| PersonKey {
                surname: word_hash(p.surname.bytes()),
                given: p.given.as_ref().map_or(0, |g| word_hash(g.bytes())),
                initial: p.initial.unwrap_or(0),
            })
            .collect(),
    }
}

/// [`likeness`] on keys.
pub fn key_likeness(payer: &[PersonKey], tenant: &[PersonKey]) -> Likeness {
    let mut best = Likeness::Unlike;
    for p in payer {
        for t in tenant {
            let alike = if p.surname != t.surname {
                Likeness::Unlike
            } else {
                match (p.initial, t.initial) {
                    (0, _) | (_, 0) => Likeness::Surname,
                    (x, y) if x != y => Likeness::Unlike,
                    _ => match (p.given, t.given) {
                        (0, _) | (_, 0) => Likeness::Initial,
                        (x, y) if x == y => Likeness::Full,
                        _ => Likeness::Unlike,
                    },
                }
            };
            best = best.max(alike);
        }
    }
    best
}

/// How alike two names are: the best of any person in one against any in
/// the other.
pub fn likeness(payer: &str, tenant: &str) -> Likeness {
    let (payers, tenants) = (people(payer), people(tenant));
    let mut best = Likeness::Unlike;
    for p in &payers {
        for t in &tenants {
            best = best.max(person_likeness(p, t));
        }
    }
    best
}

fn person_likeness(a: &Person, b: &Person) -> Likeness {
    if a.surname != b.surname {
        return Likeness::Unlike;
    }
    match (a.initial, b.initial) {
        (Some(x), Some(y)) if x != y => Likeness::Unlike,
        (Some(_), Some(_)) => match (&a.given, &b.given) {
            (Some(x), Some(y)) if x == y => Likeness::Full,
            (Some(_), Some(_)) => Likeness::Unlike,
            _ => Likeness::Initial,
        },
        _ => Likeness::Surname,
    }
}

/// The surnames in a name, upper-case, as [`people`] reads them.
pub fn surnames(name: &str) -> SmallVec<[Text; 2]> {
    let mut out: SmallVec<[Text; 2]> = SmallVec::new();
    for p in people(name) {
        if !out.contains(&p.surname) {
            out.push(p.surname);
        }
    }
    out
}

/// Surname particles joined to the word after them: `O BRIEN` is `OBRIEN`,
/// as `O'Brien` folds to, and `VAN DER BERG` is `VANDERBERG`.
fn join_particles(folded: &str) -> String {
    let words: Vec<&str> = folded.split_ascii_whitespace().collect();
    let mut out = String::with_capacity(folded.len());
    for (i, w) in words.iter().enumerate() {
        let joined = i > 0 && PARTICLES.contains(&words[i - 1]) && w.len() > 1;
        if i > 0 && !joined {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Upper-case ASCII: accents dropped, apostrophes closed up, hyphens
/// closed up (`Smith-Jones` is `SMITHJONES`) or, with `join_hyphens` off,
/// spaces; `&` and `+` kept as words of their own, everything else a space.
fn fold(name: &str, join_hyphens: bool) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            '-' | '\u{2010}' | '\u{2011}' if !join_hyphens => out.push(' '),
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '-' | '\u{2010}' | '\u{2011}' => {}
            '&' | '+' => out.push_str(" & "),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase()),
            c if c.is_ascii() => out.push(' '),
            c => match unaccented(c) {
                Some(plain) => out.push_str(plain),
                None => out.push(' '),
            },
        }
    }
    out
}

/// The plain letters for an accented Latin letter, upper-case.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => {
            "A"
        }
        'æ' | 'Æ' => "AE",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => {
            "E"
        }
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ł' | 'Ł' => "L",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => {
            "O"
        }
        'œ' | 'Œ' => "OE",
        'ř' | 'Ř' => "R",
        'ś' | 'š' | 'Ś' | 'Š' => "S",
        'ß' => "SS",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => "U",
        'ý' | 'ÿ' | 'ŷ' | 'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'ŵ' | 'Ŵ' => "W",
        'ð' | 'Ð' | 'đ' | 'Đ' => "D",
        'þ' | 'Þ' => "TH",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: Option<&str>, initial: Option<char>, surname: &str) -> Person {
        Person {
            given: given.map(Text::from),
            initial: initial.map(|c| c as u8),
            surname: Text::from(surname),
        }
    }

    #[test]
    fn reads_the_shapes_banks_print() {
        assert_eq!(
            people("DAVIES W").as_slice(),
            [person(None, Some('W'), "DAVIES")]
        );
        assert_eq!(
            people("Mr W. J. Davies").as_slice(),
            [person(None, Some('W'), "DAVIES")]
        );
        assert_eq!(
            people("Zoë O'Brien").as_slice(),
            [
                person(Some("ZOE"), Some('Z'), "OBRIEN"),
                person(Some("OBRIEN"), Some('O'), "ZOE")
            ]
        );
        assert_eq!(
            people("Mr A and Mrs B Jones").as_slice(),
            [
                person(None, Some('A'), "JONES"),
                person(None, Some('B'), "JONES")
            ]
        );
        assert_eq!(
            people("Ann Smith & Bob Jones").as_slice(),
            [
                person(Some("ANN"), Some('A'), "SMITH"),
                person(Some("BOB"), Some('B'), "JONES")
            ]
        );
        assert_eq!(people("SMITH").as_slice(), [person(None, None, "SMITH")]);
        assert_eq!(
            people("SMITH JANE").as_slice(),
            [
                person(Some("SMITH"), Some('S'), "JANE"),
                person(Some("JANE"), Some('J'), "SMITH")
            ]
        );
        assert!(people("12345 & ").is_empty());
    }

    proptest::proptest! {
        /// Keys, made fast or by parsing, compare as the names do.
        #[test]
        fn keys_are_alike_as_names_are(
            a in "[A-Za-z]{1,6}( {1,2}[A-Za-z]{1,6}){0,3}|(Mr|Mc|Van|and|J) [A-Za-z]{2,6}( [A-Z])?",
            b in "[A-Za-z]{1,6}( {1,2}[A-Za-z]{1,6}){0,2}|(Mrs|O|J) [A-Za-z]{2,6}",
        ) {
            proptest::prop_assert_eq!(key_likeness(&keys(&a), &keys(&b)), likeness(&a, &b));
            proptest::prop_assert_eq!(key_likeness(&keys(&a), &keys(&a)), likeness(&a, &a));
        }
    }

    #[test]
    fn likeness_ranks_full_names_above_initials_and_surnames() {
        assert_eq!(likeness("JOHN SMITH", "Mr John Smith"), Likeness::Full);
        assert_eq!(likeness("SMITH JOHN", "Mr John Smith"), Likeness::Full);
        assert_eq!(likeness("SMITH JOHN A", "John Smith"), Likeness::Unlike);
        assert_eq!(likeness("SMITH J", "John Smith"), Likeness::Initial);
        assert_eq!(likeness("J SMITH", "John Smith"), Likeness::Initial);
        assert_eq!(likeness("SMITH", "John Smith"), Likeness::Surname);
        assert_eq!(likeness("JANE SMITH", "John Smith"), Likeness::Unlike);
        assert_eq!(likeness("K SMITH", "John Smith"), Likeness::Unlike);
        assert_eq!(likeness("ZOE OBRIEN", "Zoë O’Brien"), Likeness::Full);
        assert_eq!(likeness("DAVIES W", "Wyn Davies"), Likeness::Initial);
        assert_eq!(
            likeness("B JONES", "Mr A and Mrs B Jones"),
            Likeness::Initial
        );
        assert_eq!(
            likeness("BOB JONES", "Ann Smith & Bob Jones"),
            Likeness::Full
        );
        assert_eq!(likeness("j  smyth", "John Smith"), Likeness::Unlike);
        assert_eq!(
            likeness("SMITH-JONES M", "Mary Smith-Jones"),
            Likeness::Initial
        );
        assert_eq!(
            likeness("M SMITHJONES", "Mary Smith-Jones"),
            Likeness::Initial
        );
        assert_eq!(likeness("Z O BRIEN", "Zoë O'Brien"), Likeness::Initial);
        assert_eq!(likeness("S MC DONALD", "Sean McDonald"), Likeness::Initial);
        assert_eq!(
            likeness("VAN DER BERG J", "Jan van der Berg"),
            Likeness::Initial
        );
        assert_eq!(likeness("SIAN LLYR", "Siân Llŷr"), Likeness::Full);
        assert_eq!(likeness("JOHN CARTER JNR", "John Carter"), Likeness::Full);
        assert_eq!(likeness("FP J CARTER", "John Carter"), Likeness::Initial);
        assert_eq!(likeness("JONES J & A", "Ann Jones"), Likeness::Initial);
        assert_eq!(
            likeness("MARY ANN CARTER", "Mary-Ann Carter"),
            Likeness::Full
        );
        assert_eq!(
            likeness("ANN SMITH JONES", "Ann Smith-Jones"),
            Likeness::Full
        );
        assert_eq!(
            likeness("M EL SAYED", "Mohamed El-Sayed"),
            Likeness::Initial
        );
        assert_eq!(likeness("J BERG", "Jan van der Berg"), Likeness::Initial);
        assert_eq!(likeness("D GWILYM", "Dafydd ap Gwilym"), Likeness::Initial);
        assert_eq!(
            likeness("ALLPAY J CARTER", "John Carter"),
            Likeness::Initial
        );
        assert_eq!(
            likeness("JOHN CARTER ALLPAY", "John Carter"),
            Likeness::Full
        );
    }
}
