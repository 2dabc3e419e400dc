//! The bank lines by id and reference in normal form, for the ledger's
//! `bank_ref` to find: sorted hashes with a directory, and counted ids by
//! arithmetic.

use super::*;

/// Normalised bank ids (and batch refs of bulk lines) to their bank line, for
/// resolving a posting's `bank_ref` or a return's returned id. Keys are held
/// as hashes of their normal form, built and probed without making the text:
/// millions of lines, each probed at random, make the text's bytes and
/// hashing the cost. A hit is checked against the line's own text, and a key
/// whose hash another key already holds is kept by its text.
///
/// The hashes are sorted, with a directory by their top bits, rather than in
/// hash maps: sixteen bytes a key and one sort on every core, where maps
/// carry empty buckets and were filled one per core, each from a pass over
/// every key. A key holds its text's id, so a lookup reads the directory,
/// the key and the text, and never the bank line.
///
/// A line whose id is counted (see [`counted::CountedIds`]) holds no key:
/// its run is found by the normal form of what comes before its digits,
/// and the line by arithmetic ([`CountedKeys`]). Where a bank's ids count up, that is
/// nearly every line, and the keys were the peak of a run's memory.
pub(super) struct BankKeys<'a> {
    data: &'a Dataset,
    as_at: NaiveDate,
    counted: CountedKeys,
    /// Every key's hash and line, in hash order (keys with one hash in the
    /// order they take precedence). The hash's lowest bit is not the hash's
    /// but says whether the key is a batch ref, so that ids sort first.
    keys: Vec<(u64, KeyLine)>,
    /// Where the hashes with each value of the top `bits` bits start.
    directory: Vec<usize>,
    bits: u32,
    /// Keys whose hash an earlier key holds, by their normal form, with
    /// whether each is a batch ref.
    clashes: HashMap<Text, (KeyLine, bool)>,
    /// [`identify::normal_hash`]; tests give a worse one to make keys clash.
    hash: fn(&str) -> u64,
}

impl<'a> BankKeys<'a> {
    pub(super) fn build(data: &'a Dataset, is_bulk: &[bool], opts: MatchOptions) -> Self {
        Self::build_with(data, is_bulk, opts, identify::normal_hash)
    }

    fn build_with(
        data: &'a Dataset,
        is_bulk: &[bool],
        opts: MatchOptions,
        hash: fn(&str) -> u64,
    ) -> Self {
        let keys = KeyMaker {
            data,
            as_at: opts.as_at,
            hash,
        }
        .sorted_keys(is_bulk);
        let (directory, bits) = directory_of(&keys);
        let clashes = clashes_of(data, &keys);
        BankKeys {
            data,
            as_at: opts.as_at,
            counted: CountedKeys::of(data),
            keys,
            directory,
            bits,
            clashes,
            hash,
        }
    }

    fn slot(hash: u64, bits: u32) -> usize {
        (hash >> (64 - bits)) as usize
    }

    /// The bank line `key` names, if any.
    pub(super) fn get(&self, key: &str) -> Option<usize> {
        let mut line = [None];
        self.get_batch(&[Some(key)], &mut line);
        line[0]
    }

    /// Keys looked up together by [`BankKeys::get_batch`].
    pub(super) const BATCH: usize = 16;

    /// [`BankKeys::get`] for up to [`BankKeys::BATCH`] keys at once, into
    /// `lines`. Each read (the directory, the key, its text) is a cache miss
    /// at random; done in stages, every key's directory slot and then every
    /// key's entry and then every text, the misses of different keys are in
    /// flight together instead of each waiting on the last.
    pub(super) fn get_batch(&self, keys: &[Option<&str>], lines: &mut [Option<usize>]) {
        let n = keys.len().min(lines.len()).min(Self::BATCH);
        let (keys, lines) = (&keys[..n], &mut lines[..n]);
        let mut hashes = [0u64; Self::BATCH];
        for (h, key) in hashes.iter_mut().zip(keys) {
            *h = key.map_or(0, |k| (self.hash)(k) | 1);
        }
        let mut runs = [(0usize, 0usize); Self::BATCH];
        for (run, &h) in runs.iter_mut().zip(&hashes[..n]) {
            let slot = Self::slot(h, self.bits);
            *run = (self.directory[slot], self.directory[slot + 1]);
        }
        let mut held = [None; Self::BATCH];
        for ((held, &(from, to)), &hash) in held.iter_mut().zip(&runs[..n]).zip(&hashes[..n]) {
            *held = self.keys[from..to]
                .iter()
                .find(|(h, _)| hash != 0 && *h | 1 == hash)
                .map(|&(h, k)| (k, h & 1 == 1));
        }
        let mut buf = String::new();
        for ((line, key), held) in lines.iter_mut().zip(keys).zip(held) {
            let Some(key) = key else {
                *line = None;
                continue;
            };
            // The keyed line, and whether it holds the key as a batch ref.
            let keyed = match held {
                Some((held, by_reference))
                    if identify::normal_eq(held.text(self.data, &mut buf), key) =>
                {
                    Some((held.line as usize, by_reference))
                }
                Some(_) => self
                    .clashes
                    .get(&identify::normalise(key))
                    .map(|&(k, by_reference)| (k.line as usize, by_reference)),
                None => None,
            };
            // An id before a batch ref, then the first line.
            let counted = self
                .counted
                .line(key, |l| self.data.bank[l].date <= self.as_at);
            *line = match (keyed, counted) {
                (Some((keyed, false)), Some(counted)) => Some(keyed.min(counted)),
                (_, Some(counted)) => Some(counted),
                (keyed, None) => keyed.map(|(l, _)| l),
            };
        }
    }
}

/// Makes [`BankKeys`]'s keys: each bank line's id and each bulk line's
/// batch ref, hashed in normal form.
struct KeyMaker<'a> {
    data: &'a Dataset,
    as_at: NaiveDate,
    hash: fn(&str) -> u64,
}

/// An entry for a line that holds no key: sorts last (no id's hash is
/// `u64::MAX`: its lowest bit is 0) and is cut off after the sort.
const NOT_A_KEY: (u64, KeyLine) = (
    u64::MAX,
    KeyLine {
        line: u32::MAX,
        text: TextId::EMPTY,
    },
);

impl KeyMaker<'_> {
    /// Every key in hash order. Ids first, then batch refs, each in line
    /// order: the first line to hold a key keeps it, and a bulk line's
    /// batch ref never displaces another line's id.
    fn sorted_keys(&self, is_bulk: &[bool]) -> Vec<(u64, KeyLine)> {
        let batch_refs = self.batch_ref_keys(is_bulk);
        let (mut keys, cut) = self.id_keys(batch_refs.len());
        keys.extend(batch_refs);
        // In place: a stable sort would need a copy of the keys beside them.
        keys.par_sort_unstable_by_key(|&(h, key)| (h, key.line));
        keys.truncate(keys.len() - cut);
        keys
    }

    /// A key's entry: `text` as the key holds it, `key_text` as it reads.
    /// The hash's lowest bit says whether the key is a batch ref.
    #[inline]
    fn key(&self, i: usize, text: TextId, key_text: &str, by_reference: bool) -> (u64, KeyLine) {
        let line = i as u32;
        let h = (self.hash)(key_text) & !1 | u64::from(by_reference);
        (h, KeyLine { line, text })
    }

    /// Whether line `i` holds an id key: up to the as-at date, and not
    /// counted (a line holding no id text of its own, its id not made from
    /// its line, is found by `CountedKeys`).
    #[inline]
    fn holds_id_key(&self, i: usize) -> bool {
        let line = &self.data.bank[i];
        line.date <= self.as_at
            && (self.data.bank_ids_from_lines || line.texts.has(BankLine::BANK_ID))
    }

    #[inline]
    fn id_key(&self, buf: &mut String, i: usize) -> (u64, KeyLine) {
        let data = self.data;
        let text = data.bank_text.field(data.bank[i].texts, BankLine::BANK_ID);
        self.key(i, text, data.bank_id_into(i, buf), false)
    }

    /// Each bulk line's batch ref. An empty ref is no key (and `KeyLine`
    /// reads an empty text as the line's id made from its line).
    fn batch_ref_keys(&self, is_bulk: &[bool]) -> Vec<(u64, KeyLine)> {
        let data = self.data;
        (0..data.bank.len())
            .into_par_iter()
            .filter(|&i| is_bulk[i] && data.bank[i].texts.has(BankLine::REFERENCE))
            .map(|i| {
                let text = data
                    .bank_text
                    .field(data.bank[i].texts, BankLine::REFERENCE);
                self.key(i, text, data.bank_text.get(text), true)
            })
            .collect()
    }

    /// The id keys, with room for `extra` more, and how many entries are
    /// [`NOT_A_KEY`]. Where most lines hold a key, every line gets an
    /// entry, written in place in parallel. Where most hold none (their
    /// ids count up), only the keys are gathered: an entry for every line
    /// was 16 bytes a line held, and sorted, for nothing.
    fn id_keys(&self, extra: usize) -> (Vec<(u64, KeyLine)>, usize) {
        let lines = self.data.bank.len();
        let keyed = (0..lines)
            .into_par_iter()
            .filter(|&i| self.holds_id_key(i))
            .count();
        let mut keys;
        if keyed >= lines - keyed {
            keys = Vec::with_capacity(lines + extra);
            keys.par_extend((0..lines).into_par_iter().map_init(String::new, |buf, i| {
                if self.holds_id_key(i) {
                    self.id_key(buf, i)
                } else {
                    NOT_A_KEY
                }
            }));
        } else {
            keys = Vec::with_capacity(keyed + extra);
            keys.par_extend(
                (0..lines)
                    .into_par_iter()
                    .filter(|&i| self.holds_id_key(i))
                    .map_init(String::new, |buf, i| self.id_key(buf, i)),
            );
        }
        let cut = keys.len() - keyed;
        (keys, cut)
    }
}

/// Where the keys with each value of their hash's top bits start, and how
/// many bits: one or two keys per slot. Slot `s` starts at the first key
/// whose slot is `s` or more (the keys are in hash order), found for a
/// range of slots at a time in parallel.
fn directory_of(keys: &[(u64, KeyLine)]) -> (Vec<usize>, u32) {
    let bits = (usize::BITS - keys.len().leading_zeros())
        .saturating_sub(1)
        .clamp(1, 40);
    let slot_of = |key: &(u64, KeyLine)| BankKeys::slot(key.0, bits);
    let mut directory = vec![0usize; (1usize << bits) + 1];
    const SLOTS: usize = 1 << 14;
    directory
        .par_chunks_mut(SLOTS)
        .enumerate()
        .for_each(|(c, starts)| {
            let first = c * SLOTS;
            let mut i = keys.partition_point(|k| slot_of(k) < first);
            for (s, start) in (first..).zip(starts) {
                while i < keys.len() && slot_of(&keys[i]) < s {
                    i += 1;
                }
                *start = i;
            }
        });
    (directory, bits)
}

/// The keys whose hash an earlier key holds (rare), by their text, with
/// whether each is a batch ref; the same key twice is no clash.
fn clashes_of(data: &Dataset, keys: &[(u64, KeyLine)]) -> HashMap<Text, (KeyLine, bool)> {
    let repeats: Vec<usize> = (1..keys.len())
        .into_par_iter()
        .filter(|&i| keys[i - 1].0 | 1 == keys[i].0 | 1)
        .collect();
    let mut clashes: HashMap<Text, (KeyLine, bool)> = HashMap::default();
    // `held` is where each run of one hash starts.
    let (mut held, mut last) = (0, 0);
    for i in repeats {
        if last + 1 != i {
            held = i - 1;
        }
        last = i;
        let mut bufs = (String::new(), String::new());
        let first = keys[held].1.text(data, &mut bufs.0);
        let new = keys[i].1.text(data, &mut bufs.1);
        if !identify::normal_eq(first, new) {
            let by_reference = keys[i].0 & 1 == 1;
            clashes
                .entry(identify::normalise(new))
                .or_insert((keys[i].1, by_reference));
        }
    }
    clashes
}

/// The runs of bank lines whose ids are counted (see
/// [`counted::CountedIds`]), by the normal form of what comes before their
/// digits and how many digits there are: a key is found on a run by its
/// number, and its line by arithmetic.
#[derive(Default)]
pub(super) struct CountedKeys {
    runs: HashMap<(Text, usize), Vec<CountedRun>>,
    /// The numbers of digits the runs' ids end in.
    widths: Vec<usize>,
}

/// A run's counted lines: `len` lines from `line`, numbered from `first`.
/// `reach` is the highest number of this run and every run before it in
/// its list (ids can repeat, so runs can overlap).
pub(super) struct CountedRun {
    first: u64,
    line: usize,
    len: u64,
    reach: u64,
}

impl CountedKeys {
    pub(super) fn of(data: &Dataset) -> Self {
        let mut keys = CountedKeys::default();
        for (anchor, last) in data.bank_counted.runs() {
            let id = data.bank_id(anchor);
            let Some(counted::Numbered {
                prefix,
                number,
                width,
            }) = counted::numbered(&id)
            else {
                continue;
            };
            let first = number.saturating_add(1);
            let len = (last - anchor) as u64;
            keys.runs
                .entry((identify::normalise(prefix), width))
                .or_default()
                .push(CountedRun {
                    first,
                    line: anchor + 1,
                    len,
                    reach: first.saturating_add(len.saturating_sub(1)),
                });
            if !keys.widths.contains(&width) {
                keys.widths.push(width);
            }
        }
        for runs in keys.runs.values_mut() {
            runs.sort_by_key(|r| (r.first, r.line));
            let mut reach = 0;
            for r in runs.iter_mut() {
                reach = reach.max(r.reach);
                r.reach = reach;
            }
        }
        keys.widths.sort_unstable();
        keys
    }

    /// The first line whose counted id is `key` (by normal form) and that
    /// `keyed` lets be a key (lines after the as-at date are not).
    fn line(&self, key: &str, keyed: impl Fn(usize) -> bool) -> Option<usize> {
        if self.runs.is_empty() {
            return None;
        }
        let key = identify::normalise(key);
        let mut found: Option<usize> = None;
        for &width in &self.widths {
            let Some(at) = key.len().checked_sub(width) else {
                continue;
            };
            // A normal form is ASCII letters and digits: any split is at a
            // character boundary.
            let (prefix, digits) = key.split_at(at);
            let Some(number) = counted::numbered(digits)
                .filter(|n| n.prefix.is_empty())
                .map(|n| n.number)
            else {
                continue;
            };
            let Some(runs) = self.runs.get(&(Text::from(prefix), width)) else {
                continue;
            };
            let mut i = runs.partition_point(|r| r.first <= number);
            while let Some(r) = i.checked_sub(1).map(|j| &runs[j]) {
                i -= 1;
                if r.reach < number {
                    break;
                }
                if number - r.first < r.len {
                    let line = r.line + (number - r.first) as usize;
                    if keyed(line) && found.is_none_or(|f| line < f) {
                        found = Some(line);
                    }
                }
            }
        }
        found
    }
}

/// The bank line holding a key, and the key's text (the line's id, or a
/// bulk line's batch ref). Eight bytes: readers refuse a file of more than
/// `u32::MAX` lines.
#[derive(Clone, Copy)]
pub(super) struct KeyLine {
    line: u32,
    /// Empty for an id the line does not hold, made from its line (a
    /// counted id is no key: see [`CountedKeys`]).
    text: TextId,
}

impl KeyLine {
    /// The key's text; an id made from the line is written into `buf`.
    fn text<'s>(self, data: &'s Dataset, buf: &'s mut String) -> &'s str {
        if self.text.is_empty() {
            data.made_bank_id_into(self.line as usize, buf)
        } else {
            data.bank_text.get(self.text)
        }
    }
}

#[cfg(test)]
mod bank_key_tests {
    use super::*;
    use crate::recon::testkit::{date, Builder};

    fn opts() -> MatchOptions {
        MatchOptions {
            as_at: date("2026-03-31"),
            posting_days: 5,
            match_days: 35,
            lead_days: 3,
            hb_rent_rebates: false,
        }
    }

    /// Lines 0-4: two lines with one id in two spellings, a bulk line whose
    /// batch ref is another line's id, one after the as-at date.
    fn lines() -> Builder {
        let mut b = Builder::default();
        b.bank("BNK-1", "2026-02-01", "10.00", "HB7", "");
        b.bank("bnk 1", "2026-02-02", "10.00", "", "");
        b.bank("BNK-2", "2026-02-03", "10.00", "BNK 1", "");
        b.bank("BNK-3", "2026-02-04", "10.00", "HB7", "");
        b.bank("BNK-4", "2026-04-04", "10.00", "", "");
        b
    }

    /// Each key's line, asked one at a time; checked against all of them
    /// asked at once, with a key-less posting among them.
    fn found(keys: &BankKeys, asked: &[&str]) -> Vec<Option<usize>> {
        let one_by_one: Vec<Option<usize>> = asked.iter().map(|k| keys.get(k)).collect();
        let mut batch: Vec<Option<&str>> = asked.iter().map(|&k| Some(k)).collect();
        batch.insert(1, None);
        let mut at_once = vec![Some(99); batch.len()];
        keys.get_batch(&batch, &mut at_once);
        assert_eq!(at_once.remove(1), None);
        assert_eq!(at_once, one_by_one);
        one_by_one
    }

    #[test]
    fn the_first_line_holding_a_key_is_found_by_any_spelling() {
        let b = lines();
        let bulk = [false, false, true, true, false];
        // With a one-bucket hash every key clashes with the first, so the
        // clash path must give the same answers as the hashed one; with
        // `u64::MAX`, batch refs hash as high as the late line's stand-in.
        let one_bucket: [fn(&str) -> u64; 2] = [|_| 0, |_| u64::MAX];
        for hash in std::iter::once(identify::normal_hash as fn(&str) -> u64).chain(one_bucket) {
            let keys = BankKeys::build_with(&b.data, &bulk, opts(), hash);
            assert_eq!(
                found(
                    &keys,
                    &["bnk1", "BNK-2", "b.n.k.3", "HB 7", "BNK-4", "BNK-9", ""]
                ),
                // An id beats a batch ref; of two bulk lines with one batch
                // ref the first; a line after the as-at date is not there.
                [Some(0), Some(2), Some(3), Some(3), None, None, None]
            );
        }
    }

    /// Lines whose ids count up hold no key but are found on their runs,
    /// with the keys' precedence: the first line of an id, an id before a
    /// batch ref, runs that overlap, and lines after the as-at date left out.
    #[test]
    fn counted_ids_are_found_as_keyed_ones_would_be() {
        let ids = [
            ("X-3", "2026-02-01", "X 5"), // 0: held; a bulk line whose batch ref is line 2's id
            ("X-4", "2026-02-01", ""),    // 1: counted
            ("X-5", "2026-02-01", ""),    // 2: counted
            ("x 4", "2026-02-02", ""),    // 3: held, the same key as line 1
            ("Y7", "2026-02-02", ""),     // 4: held
            ("Y6", "2026-02-02", ""),     // 5: held (counts down)
            ("Y7", "2026-02-02", ""),     // 6: counted, the same key as line 4
            ("Z1", "2026-02-03", ""),     // 7: held
            ("Z2", "2026-02-03", ""),     // 8: counted
            ("Z1", "2026-02-03", ""),     // 9: held
            ("Z2", "2026-02-03", ""),     // 10: counted, overlapping the run before
            ("Z3", "2026-02-03", ""),     // 11: counted
            ("Z4", "2026-04-03", ""),     // 12: counted, after the as-at date
            ("Q99", "2026-02-03", ""),    // 13: held
            ("Q100", "2026-02-03", ""),   // 14: held (one digit wider)
            ("W10", "2026-04-03", ""),    // 15: held, after the as-at date
            ("W11", "2026-02-03", ""),    // 16: counted
            ("W12", "2026-02-03", ""),    // 17: counted
        ];
        let read = |n: usize| {
            let mut b = Builder::default();
            for (id, on, reference) in &ids[..n] {
                b.bank(id, on, "10.00", reference, "");
            }
            b.data
        };
        let all = read(ids.len());
        let held: Vec<bool> = (0..ids.len())
            .map(|i| all.bank[i].texts.has(BankLine::BANK_ID))
            .collect();
        assert_eq!(
            held,
            [
                true, false, false, true, true, true, false, true, false, true, false, false,
                false, true, true, true, false, false
            ]
        );
        let mut bulk = vec![false; ids.len()];
        bulk[0] = true;
        // The first 15 lines, most holding a key (8 of them), then all 18,
        // most holding none (10): the keys are gathered either way.
        for (data, extra) in [(read(15), false), (all, true)] {
            for hash in [identify::normal_hash as fn(&str) -> u64, |_| 0] {
                let keys = BankKeys::build_with(&data, &bulk[..data.bank.len()], opts(), hash);
                assert_eq!(
                    found(
                        &keys,
                        &["x4", "X-5", "X 3", "y7", "Y6", "z2", "Z 3", "Z4", "Q100", "Q099", "X6"]
                    ),
                    [
                        Some(1),
                        Some(2),
                        Some(0),
                        Some(4),
                        Some(5),
                        Some(8),
                        Some(11),
                        None,
                        Some(14),
                        None,
                        None
                    ]
                );
                let late = found(&keys, &["W10", "W12"]);
                assert_eq!(
                    late,
                    if extra {
                        [None, Some(17)]
                    } else {
                        [None, None]
                    }
                );
            }
        }
    }
}
