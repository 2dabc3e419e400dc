//! Ids that count up from row to row (`T000000041`, `T000000042`, ...), as
//! most systems number their transactions: a run of them is held as its
//! first id, and the rest are made from it when asked for. Rows are held by
//! the ten million, and their ids were the largest part of their texts.

use std::borrow::Cow;

/// The rows whose ids count on from the row before theirs, as runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountedIds {
    /// `(anchor, last)` of each run, in row order: rows `anchor + 1..=last`
    /// hold no id text, and each one's id is the anchor's counted on by the
    /// rows between them. `u32`: readers refuse a file of more lines.
    runs: Vec<(u32, u32)>,
}

/// Most digits an id may end in to be counted (a sum stays in a `u64`).
const MAX_DIGITS: usize = 18;

/// An id as the text before its trailing digits, their value and how many:
/// the parts a counted id is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbered<'a> {
    pub prefix: &'a str,
    pub number: u64,
    pub width: usize,
}

/// `id`'s parts, if it ends in digits (at most `MAX_DIGITS` of them).
pub fn numbered(id: &str) -> Option<Numbered<'_>> {
    let width = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if width == 0 || width > MAX_DIGITS {
        return None;
    }
    // The digits are ASCII, so the split is at a character boundary.
    let (prefix, digits) = id.split_at(id.len() - width);
    let number = digits
        .bytes()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some(Numbered {
        prefix,
        number,
        width,
    })
}

impl CountedIds {
    /// Row `row`'s id. `held(i)` is the id text row `i` holds: empty where
    /// its id counts on from the row before.
    pub fn id<'t>(&self, row: usize, held: impl Fn(usize) -> &'t str) -> Cow<'t, str> {
        let own = held(row);
        if !own.is_empty() {
            return Cow::Borrowed(own);
        }
        let mut id = String::new();
        self.count_into(row, held, &mut id);
        Cow::Owned(id)
    }

    /// [`CountedIds::id`] without allocating: the id row `row` holds, or
    /// where it holds none, its counted id written into `buf`.
    pub fn id_into<'b, 't: 'b>(
        &self,
        row: usize,
        held: impl Fn(usize) -> &'t str,
        buf: &'b mut String,
    ) -> &'b str {
        let own = held(row);
        if !own.is_empty() {
            return own;
        }
        self.count_into(row, held, buf);
        buf
    }

    /// Writes the id of row `row`, which holds none, into `buf` (no
    /// allocation where `buf` has room: bank lines are keyed by their ids).
    /// `held` as for [`CountedIds::id`].
    pub fn count_into<'t>(&self, row: usize, held: impl Fn(usize) -> &'t str, buf: &mut String) {
        buf.clear();
        let run = self
            .runs
            .partition_point(|&(anchor, _)| (anchor as usize) < row);
        let Some(&(anchor, last)) = run.checked_sub(1).and_then(|r| self.runs.get(r)) else {
            return;
        };
        if row > last as usize {
            return;
        }
        let Some(first) = numbered(held(anchor as usize)) else {
            return;
        };
        buf.push_str(first.prefix);
        let by = (row - anchor as usize) as u64;
        super::digits::push_padded(buf, first.number.saturating_add(by), first.width);
    }

    /// Each run as `(anchor, last)`: rows `anchor + 1..=last` count on
    /// from row `anchor`'s id.
    pub fn runs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (self.runs.iter()).map(|&(anchor, last)| (anchor as usize, last as usize))
    }

    /// Appends `other`'s runs, for rows read after the `rows` already held.
    pub fn append(&mut self, other: &CountedIds, rows: usize) {
        let by = u32::try_from(rows).unwrap_or(u32::MAX);
        self.runs.extend(
            (other.runs.iter())
                .map(|&(anchor, last)| (anchor.saturating_add(by), last.saturating_add(by))),
        );
    }
}

/// Turns an id's trailing digits on by one, as an odometer turns: `false`
/// (the id left part-turned) where it ends in no digits, in too many, or in
/// nines only (one more would be wider, and is not counted).
pub fn count_on(id: &mut [u8]) -> bool {
    let width = id.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if width > MAX_DIGITS {
        return false;
    }
    for at in (id.len() - width..id.len()).rev() {
        if id[at] == b'9' {
            id[at] = b'0';
        } else {
            id[at] += 1;
            return true;
        }
    }
    false
}

/// Builds [`CountedIds`] as rows are read: each row kept is offered its id,
/// and holds it only where it does not count on from the last row's.
#[derive(Debug, Default)]
pub struct Counter {
    /// The id that would count on from the last row's: its trailing digits
    /// one more, as an odometer turns (empty where the last id cannot be
    /// counted on from), so that a row is checked by one comparison.
    next: Vec<u8>,
}

impl Counter {
    /// The text row `row` (the next row kept, after rows `0..row`) is to
    /// hold for its id: empty where the id counts on from row `row - 1`'s,
    /// which `ids` then records.
    pub fn held<'i>(&mut self, ids: &mut CountedIds, row: usize, id: &'i str) -> &'i str {
        let counts_on = row > 0 && !id.is_empty() && id.as_bytes() == self.next;
        if !counts_on {
            self.next.clear();
            self.next.extend_from_slice(id.as_bytes());
        }
        self.turn_next();
        if !counts_on {
            return id;
        }
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        match ids.runs.last_mut() {
            Some(run) if run.1.checked_add(1) == Some(row) => run.1 = row,
            _ => ids.runs.push((row - 1, row)),
        }
        ""
    }

    /// Counts `next` on by one, or empties it where it cannot be.
    fn turn_next(&mut self) {
        if !count_on(&mut self.next) {
            self.next.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Holds `ids` as a reader would, and reads each back.
    fn round_trip(ids: &[String]) -> (Vec<String>, Vec<String>) {
        let (mut counter, mut counted) = (Counter::default(), CountedIds::default());
        let held: Vec<String> = (ids.iter().enumerate())
            .map(|(row, id)| counter.held(&mut counted, row, id).to_string())
            .collect();
        let back = (0..ids.len())
            .map(|row| counted.id(row, |i| held[i].as_str()).into_owned())
            .collect();
        (held, back)
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_ids_one_more_than_the_row_before_are_counted() {
        let ids = strings(&[
            "T000000009",
            "T000000010",
            "T000000011",
            "T000000013",
            "T000000014",
            "X000000015",
            "99",
            "100",
            "0099",
            "0100",
            "REF",
            "REF",
            "A1B7",
            "A1B8",
            "£7",
            "£8",
            "1234567890123456789",
            "1234567890123456790",
        ]);
        let (held, back) = round_trip(&ids);
        assert_eq!(back, ids);
        assert_eq!(
            held,
            strings(&[
                "T000000009",
                "",
                "",
                "T000000013",
                "",
                "X000000015",
                "99",
                "100",
                "0099",
                "",
                "REF",
                "REF",
                "A1B7",
                "",
                "£7",
                "",
                "1234567890123456789",
                "1234567890123456790",
            ])
        );
    }

    #[test]
    fn runs_read_in_pieces_append_as_one() {
        let ids: Vec<String> = (0..10).map(|n| format!("B{n:03}")).collect();
        let (held, _) = round_trip(&ids);
        let (first, second) = (round_trip(&ids[..4]).0, round_trip(&ids[4..]).0);
        let read = |ids: &[String]| {
            let (mut counter, mut counted) = (Counter::default(), CountedIds::default());
            for (row, id) in ids.iter().enumerate() {
                counter.held(&mut counted, row, id);
            }
            counted
        };
        let mut appended = read(&ids[..4]);
        appended.append(&read(&ids[4..]), 4);
        let joined: Vec<String> = first.iter().chain(&second).cloned().collect();
        for (row, id) in ids.iter().enumerate() {
            assert_eq!(appended.id(row, |i| joined[i].as_str()), id.as_str());
        }
        // Read in one piece, only the first id is held; in two, each
        // piece's first.
        assert_eq!(held.iter().filter(|h| !h.is_empty()).count(), 1);
        assert_eq!(joined.iter().filter(|h| !h.is_empty()).count(), 2);
        let mut buf = String::new();
        appended.count_into(7, |i| joined[i].as_str(), &mut buf);
        assert_eq!(buf, "B007");
        appended.count_into(5, |i| joined[i].as_str(), &mut buf);
        assert_eq!(buf, "B005");
        // Row 4 holds its own id (the second piece's first): none is made.
        appended.count_into(4, |i| joined[i].as_str(), &mut buf);
        assert_eq!(buf, "");
    }

    proptest! {
        /// Whatever the ids (counting up, with gaps, repeats, changes of
        /// width or prefix), every row reads back its own.
        #[test]
        fn every_id_reads_back(
            steps in proptest::collection::vec((0u64..4, 0usize..3, any::<bool>()), 0..80),
        ) {
            let mut n = 7u64;
            let ids: Vec<String> = steps
                .iter()
                .map(|&(step, width, other)| {
                    n += step;
                    let prefix = if other { "X-" } else { "T" };
                    format!("{prefix}{n:0w$}", w = width * 2)
                })
                .collect();
            let (held, back) = round_trip(&ids);
            prop_assert_eq!(back, ids.clone());
            for (row, h) in held.iter().enumerate() {
                let counts_on = row > 0 && steps[row].0 == 1
                    && steps[row].2 == steps[row - 1].2
                    && ids[row].len() == ids[row - 1].len();
                prop_assert_eq!(h.is_empty(), counts_on, "row {}: {:?}", row, ids);
            }
        }
    }
}
