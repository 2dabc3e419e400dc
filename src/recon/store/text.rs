//! A file's row texts (ids, references, payers) end to end in one arena,
//! each after its length, with a row's texts shared where an earlier row
//! held the very same: four or five bytes a row rather than a string a field.

/// A text held in a file's [`TextStore`]: four bytes in a row instead of a
/// string of its own. The empty text is [`TextId::EMPTY`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextId(u32);

impl TextId {
    pub const EMPTY: TextId = TextId(0);

    pub fn is_empty(self) -> bool {
        self == TextId::EMPTY
    }

    /// Where the text is in its store: the same for the same id.
    pub fn index(self) -> u32 {
        self.0
    }

    /// The id this text has once its store is appended to another (see
    /// [`TextStore::append`]).
    pub fn shifted(self, by: u32) -> TextId {
        if self.is_empty() {
            self
        } else {
            TextId(self.0 + by)
        }
    }
}

/// A row's texts in its file's [`TextStore`], end to end: where the first
/// is, and which of the row's text fields are there (bit `k` for field
/// `k`; an empty field takes no room). One id a row, not one a field: a
/// charge has only its id, most other rows two or three of their texts,
/// and rows are held by the ten million. Packed, so that a row holding one
/// costs five bytes and its flags sit beside the row's other bytes.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, packed)]
pub struct RowTexts {
    first: TextId,
    present: u8,
}

impl RowTexts {
    /// Whether field `k` is there (not empty).
    pub fn has(self, k: u32) -> bool {
        self.present & 1 << k != 0
    }

    /// The texts once their store is appended to another (see
    /// [`TextStore::append`]).
    pub fn shifted(self, by: u32) -> RowTexts {
        RowTexts {
            first: { self.first }.shifted(by),
            present: self.present,
        }
    }
}

/// The texts of one file's rows (ids, references, payers) end to end, each
/// after its length. Ten million ledger rows each holding their own strings
/// cost 24 bytes a field before the text itself; here a row costs a
/// [`RowTexts`] and a byte for each field it has. The length beside the
/// text means reading one touches one place in memory, not an index of
/// ends and then the text: bank-key lookups read texts at random, millions
/// of times.
///
/// A length under 127 is one byte; a longer one is the byte 127 and four
/// base-128 digits. Every length byte is ASCII, so the store stays one
/// valid `String` and a text is read back by slicing it.
#[derive(Clone, Debug)]
pub struct TextStore {
    /// Starts with the empty text's length (0), so that id 0 is empty.
    text: String,
    /// Set when a text would not fit (more than 4 GiB of text, or a text of
    /// 256 MiB or more): the reader reports the file as too large.
    full: bool,
}

impl Default for TextStore {
    fn default() -> Self {
        TextStore {
            text: String::from("\0"),
            full: false,
        }
    }
}

impl TextStore {
    const LONG: u8 = 127;
    const DIGITS: usize = 4;

    /// Only a hint: if the room cannot be had, the store grows as texts come.
    pub fn reserve(&mut self, bytes: usize) {
        let _ = self.text.try_reserve(bytes);
    }

    pub fn push(&mut self, text: &str) -> TextId {
        if text.is_empty() {
            return TextId::EMPTY;
        }
        let long = text.len() >= usize::from(Self::LONG);
        let prefix = if long { 1 + Self::DIGITS } else { 1 };
        let start = u32::try_from(self.text.len());
        let fits = u32::try_from(self.text.len() + prefix + text.len()).is_ok()
            && text.len() < 1 << (7 * Self::DIGITS);
        let (Ok(start), true) = (start, fits) else {
            self.full = true;
            return TextId::EMPTY;
        };
        if long {
            self.text.push(char::from(Self::LONG));
            for digit in 0..Self::DIGITS {
                self.text
                    .push(char::from((text.len() >> (7 * digit)) as u8 & 0x7f));
            }
        } else {
            self.text.push(char::from(text.len() as u8));
        }
        self.text.push_str(text);
        TextId(start)
    }

    /// The text `id` names; empty for the empty text, and for an id this
    /// store never gave out (a store that was full, which stops the run).
    pub fn get(&self, id: TextId) -> &str {
        self.span(id.0 as usize)
            .and_then(|(from, len)| self.text.get(from..from + len))
            .unwrap_or("")
    }

    /// Where the text whose length is at `at` starts, and its length.
    fn span(&self, at: usize) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        match *bytes.get(at)? {
            Self::LONG => {
                let digits = bytes.get(at + 1..at + 1 + Self::DIGITS)?;
                let len = digits
                    .iter()
                    .enumerate()
                    .fold(0, |len, (i, &d)| len | usize::from(d) << (7 * i));
                Some((at + 1 + Self::DIGITS, len))
            }
            len => Some((at + 1, usize::from(len))),
        }
    }

    /// Stores a row's text fields end to end, the empty ones taking no room.
    pub fn push_row(&mut self, fields: &[&str]) -> RowTexts {
        debug_assert!(fields.len() <= 8, "a row's fields are flagged in a byte");
        let mut row = RowTexts::default();
        for (k, field) in fields.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            let id = self.push(field);
            if row.present == 0 {
                row.first = id;
            }
            row.present |= 1 << k;
        }
        row
    }

    /// Stores a row's texts as [`TextStore::push_row`] does, unless a row
    /// before it held the very same ones: then the row points at those.
    pub fn push_row_shared(&mut self, fields: &[&str], repeats: &mut Repeats) -> RowTexts {
        let start = self.text.len();
        let mut row = self.push_row(fields);
        if row.present != 0 && !self.full {
            row.first = self.share(start, repeats);
        }
        row
    }

    /// `row`'s texts, held in `from`, stored in this store (shared as
    /// [`TextStore::push_row_shared`] shares them).
    pub fn copy_row(&mut self, from: &TextStore, row: RowTexts, repeats: &mut Repeats) -> RowTexts {
        if row.present == 0 {
            return row;
        }
        let first = row.first.0 as usize;
        let end = from.past(first, row.present.count_ones());
        let start = self.text.len();
        let Some(texts) = from.text.get(first..end) else {
            return RowTexts::default();
        };
        if u32::try_from(start + texts.len()).is_err() || self.full {
            self.full = true;
            return RowTexts::default();
        }
        self.text.push_str(texts);
        RowTexts {
            first: self.share(start, repeats),
            present: row.present,
        }
    }

    /// The texts just stored from `start` on: kept, and noted in `repeats`,
    /// or dropped again where `repeats` knows of the same ones stored
    /// before. A match need only begin with them: texts are read by their
    /// lengths, and a row reads no further than its own.
    fn share(&mut self, start: usize, repeats: &mut Repeats) -> TextId {
        let Some(texts) = self.text.as_bytes().get(start..).filter(|t| !t.is_empty()) else {
            return TextId::EMPTY;
        };
        let slot = repeats.slot(texts);
        let before = *slot as usize;
        let same =
            before != 0 && self.text.as_bytes().get(before..before + texts.len()) == Some(texts);
        if same {
            self.text.truncate(start);
            TextId(before as u32)
        } else {
            *slot = start as u32;
            TextId(start as u32)
        }
    }

    /// The id of field `k` of a row stored by [`TextStore::push_row`]:
    /// past the texts of the fields before it that are there.
    pub fn field(&self, row: RowTexts, k: u32) -> TextId {
        if !row.has(k) {
            return TextId::EMPTY;
        }
        let before = (row.present & ((1 << k) - 1)).count_ones();
        TextId(self.past(row.first.0 as usize, before) as u32)
    }

    /// Where the text `texts` texts on from the one at `at` starts.
    fn past(&self, at: usize, texts: u32) -> usize {
        (0..texts).fold(at, |at, _| {
            self.span(at).map_or(at, |(from, len)| from + len)
        })
    }

    /// Field `k` of a row stored by [`TextStore::push_row`].
    pub fn get_field(&self, row: RowTexts, k: u32) -> &str {
        self.get(self.field(row, k))
    }

    /// Appends `other`'s texts, returning what to shift its ids by.
    pub fn append(&mut self, other: &TextStore) -> u32 {
        // `other`'s own empty text (its first byte) is not copied: its ids
        // start at 1, and shifted by one less than this store's length they
        // land where their text does.
        let shift = self.text.len() as u32 - 1;
        if u32::try_from(self.text.len() + other.text.len()).is_err() || other.full {
            self.full = true;
            return shift;
        }
        self.text.push_str(&other.text[1..]);
        shift
    }

    /// Whether a text could not be held (the file is too large).
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// Bytes held (texts and their lengths), for sizing a store to hold
    /// more.
    pub fn size(&self) -> usize {
        self.text.len() - 1
    }
}

/// Where a store's rows' texts are, by a hash of them, so that a row
/// repeating another's (a payer's reference and name, month after month)
/// can point at those rather than hold them again: on a year's bank
/// statement nearly every line does. Fixed in size, a slot holding the last
/// texts to hash there: texts that never repeat cost a lookup each and no
/// room beyond the table (at most 4 MiB).
#[derive(Clone, Debug)]
pub struct Repeats {
    /// Where texts start in the store; 0 (the empty text) for none.
    slots: Vec<u32>,
    bits: u32,
}

impl Repeats {
    /// A table for the rows of a file (or block) of `bytes`, or of any
    /// size: a slot for every 64 bytes, between 4,096 and a million.
    pub fn for_bytes(bytes: Option<u64>) -> Repeats {
        let rows = bytes.map_or(u64::MAX, |b| b / 64);
        let bits = (u64::BITS - rows.leading_zeros()).clamp(12, 20);
        Repeats {
            slots: vec![0; 1 << bits],
            bits,
        }
    }

    fn slot(&mut self, texts: &[u8]) -> &mut u32 {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(texts);
        // The top bits of a multiplied hash are its best mixed.
        let hash = hasher.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15);
        &mut self.slots[(hash >> (64 - self.bits)) as usize]
    }
}

/// A row whose texts are in its file's [`TextStore`].
pub trait StoredRow {
    /// Whether rows of this kind repeat each other's texts often enough to
    /// share them (see [`Repeats`]).
    const REPEATS: bool;

    fn texts(&self) -> RowTexts;

    fn texts_mut(&mut self) -> &mut RowTexts;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_gives_back_each_text_and_keeps_them_apart_when_appended() {
        let mut first = TextStore::default();
        let a = first.push("T001");
        let empty = first.push("");
        let b = first.push("£12 café");
        assert_eq!(
            (first.get(a), first.get(empty), first.get(b)),
            ("T001", "", "£12 café")
        );
        assert!(empty.is_empty());

        let mut second = TextStore::default();
        let c = second.push("B9");
        let none = second.push("");
        let shift = first.append(&second);
        assert_eq!(first.get(c.shifted(shift)), "B9");
        assert_eq!(none.shifted(shift), TextId::EMPTY);
        assert_eq!((first.get(a), first.get(b)), ("T001", "£12 café"));
        assert_eq!(first.size(), 3 + "T001£12 caféB9".len());
        // An id past the end reads as empty.
        assert_eq!(first.get(TextId(99)), "");
        // A long text has its length in five bytes, and reads back whole.
        let long = "x".repeat(300) + "é";
        let l = first.push(&long);
        assert_eq!((first.get(l), first.get(b)), (long.as_str(), "£12 café"));
        // Any id, given out or not, reads as some text or empty: never a panic.
        for id in 0..first.size() as u32 + 8 {
            let _ = first.get(TextId(id));
        }
        assert!(!first.is_full());

        // A row's texts: the empty fields take no room and read as empty,
        // the others read back past those before them, long ones included.
        let row = first.push_row(&["B1", "", &long, "", "RA1"]);
        let read = |k| first.get_field(row, k);
        assert_eq!(
            (read(0), read(1), read(2), read(3), read(4), read(5)),
            ("B1", "", long.as_str(), "", "RA1", "")
        );
        assert!(row.has(0) && !row.has(1) && row.has(4));
        let none = first.push_row(&["", ""]);
        assert_eq!((first.get_field(none, 0), none.has(0)), ("", false));
        // Appended, a row's texts move together.
        let mut third = TextStore::default();
        let moved = third.push_row(&["", "ref", "payer"]);
        let shift = first.append(&third);
        let moved = moved.shifted(shift);
        assert_eq!(
            (first.get_field(moved, 1), first.get_field(moved, 2)),
            ("ref", "payer")
        );
    }

    #[test]
    fn rows_repeating_texts_share_them_and_each_reads_back_its_own() {
        let mut store = TextStore::default();
        let mut repeats = Repeats::for_bytes(Some(1 << 10));
        let first = store.push_row_shared(&["", "RA1", "FAY TAYLOR"], &mut repeats);
        let size = store.size();
        let again = store.push_row_shared(&["", "RA1", "FAY TAYLOR"], &mut repeats);
        assert_eq!(store.size(), size, "a repeat takes no room");
        // The reference alone (the start of another row's texts), and the
        // same text in a different field: the same bytes, shared.
        let part = store.push_row_shared(&["", "RA1"], &mut repeats);
        let moved = store.push_row_shared(&["RA1", ""], &mut repeats);
        let other = store.push_row_shared(&["", "RA2", "FAY TAYLOR"], &mut repeats);
        let none = store.push_row_shared(&["", "", ""], &mut repeats);
        let read = |row: RowTexts| (0..3).map(|k| store.get_field(row, k)).collect::<Vec<_>>();
        assert_eq!(read(first), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(again), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(part), ["", "RA1", ""]);
        assert_eq!(read(moved), ["RA1", "", ""]);
        assert_eq!(read(other), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(none), ["", "", ""]);
        assert_eq!(store.size(), size + "\x03RA1\x03RA2\x0aFAY TAYLOR".len());

        // Copied into another store (a block's rows into the file's), rows
        // share with those already there, and with each other.
        let mut file = TextStore::default();
        let mut file_repeats = Repeats::for_bytes(None);
        let held = file.push_row_shared(&["", "RA2", "FAY TAYLOR"], &mut file_repeats);
        let size = file.size();
        let copied: Vec<RowTexts> = [first, again, part, moved, other, none]
            .iter()
            .map(|&row| file.copy_row(&store, row, &mut file_repeats))
            .collect();
        let read = |row: RowTexts| (0..3).map(|k| file.get_field(row, k)).collect::<Vec<_>>();
        assert_eq!(read(held), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(copied[0]), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(copied[1]), ["", "RA1", "FAY TAYLOR"]);
        assert_eq!(read(copied[2]), ["", "RA1", ""]);
        assert_eq!(read(copied[3]), ["RA1", "", ""]);
        assert_eq!(read(copied[4]), ["", "RA2", "FAY TAYLOR"]);
        assert_eq!(read(copied[5]), ["", "", ""]);
        assert_eq!(file.size(), size + "\x03RA1\x0aFAY TAYLOR\x03RA1".len());

        // More texts than slots: texts hashing to a taken slot are kept.
        let mut store = TextStore::default();
        let mut repeats = Repeats::for_bytes(Some(0));
        let refs: Vec<String> = (0..20_000).map(|n| format!("RA{n}")).collect();
        let rows: Vec<RowTexts> = refs
            .iter()
            .chain(&refs)
            .map(|r| store.push_row_shared(&[r], &mut repeats))
            .collect();
        for (row, r) in rows.iter().zip(refs.iter().chain(&refs)) {
            assert_eq!(store.get_field(*row, 0), r);
        }
    }
}
