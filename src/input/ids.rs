//! Row ids as reading keeps them: account refs looked up by the files that
//! name them, ids checked for repeats, and ids counted on from the last.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use super::row::Row;
use super::table::Table;
use crate::recon::model::{AccountId, Text};
use crate::recon::store::counted::{CountedIds, Counter};
use crate::recon::store::lines::LineMap;
use crate::recon::store::text::{StoredRow, TextStore};

/// Where a contract file with row ids holds them: first. Each reader of
/// one asserts that its id column is here.
pub(crate) const ID_COLUMN: usize = 0;

/// How a file's row ids are kept as its rows are read: made from lines by
/// a profile (not held at all, see [`Dataset::txn_ids_from_lines`]),
/// counted on from the row before's (see [`CountedIds`]), or held as text.
pub(super) struct RowIds {
    held: bool,
    counter: Counter,
    pub(super) counted: CountedIds,
}

impl RowIds {
    pub(super) fn of(t: &Table) -> Self {
        RowIds {
            held: !t.id_from_line(ID_COLUMN),
            counter: Counter::default(),
            counted: CountedIds::default(),
        }
    }

    /// The text the next row kept (row `row`) is to hold for its id `id`.
    pub(super) fn text<'i>(&mut self, row: usize, id: &'i str) -> &'i str {
        if self.held {
            self.counter.held(&mut self.counted, row, id)
        } else {
            ""
        }
    }

    /// The ids and lines of the first `rows` rows kept, `held(i)` being the
    /// id text row `i` holds (for [`UniqueIds::check`]).
    pub(super) fn so_far<'a>(
        &'a self,
        lines: &'a LineMap,
        rows: usize,
        held: impl Fn(usize) -> &'a str + 'a,
    ) -> impl Iterator<Item = (Cow<'a, str>, u64)> + 'a {
        (0..rows).map(move |i| (self.counted.id(i, &held), u64::from(lines.line(i))))
    }
}

/// Account refs read so far: the good rows' ids, and the refs of rows that
/// were rejected (so postings to them are not reported a second time).
#[derive(Default)]
pub(super) struct AccountIds {
    pub(super) good: HashMap<Text, AccountId>,
    pub(super) rejected: rustc_hash::FxHashSet<Text>,
}

impl AccountIds {
    /// The account column `col` of a row names; an unknown one fails the
    /// row (quietly where its account was set aside, or no accounts file
    /// could be read: that problem is reported once, on its own).
    pub(super) fn of(&self, r: &mut Row<'_>, col: usize, accounts_read: bool) -> Option<AccountId> {
        let a = r.id(col)?;
        match self.good.get(a) {
            Some(&id) => Some(id),
            None if self.rejected.contains(a) || !accounts_read => {
                r.fail_quietly(col, format!("its account {a:?} could not be read"));
                None
            }
            None => {
                r.fail(col, format!("no account {a:?} in the accounts file"));
                None
            }
        }
    }
}

/// Whether any id is held twice among `rows` (their ids as `text` and
/// `counted` hold them) and the ids of rows `set_aside` (with their lines,
/// as [`UniqueIds`] keeps them). Each id is hashed
/// and the hashes sorted, in parallel; ids whose hashes meet are compared.
pub(super) fn ids_repeat<T: StoredRow + Sync>(
    rows: &[T],
    text: &TextStore,
    counted: &CountedIds,
    set_aside: &[(Text, u64)],
) -> bool {
    use rayon::prelude::*;
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hasher = BuildHasherDefault::<rustc_hash::FxHasher>::default();
    let held = |i: usize| text.get_field(rows[i].texts(), 0);
    let mut hashes: Vec<u64> = (0..rows.len())
        .into_par_iter()
        .map_init(String::new, |buf, i| {
            hasher.hash_one(counted.id_into(i, held, buf))
        })
        .chain(
            set_aside
                .par_iter()
                .map(|(id, _)| hasher.hash_one(id.as_str())),
        )
        .collect();
    hashes.par_sort_unstable();
    let met: rustc_hash::FxHashSet<u64> = hashes
        .par_windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(hashes);
    if met.is_empty() {
        return false;
    }
    let mut ids: Vec<String> = (0..rows.len())
        .into_par_iter()
        .map_init(String::new, |buf, i| {
            let id = counted.id_into(i, held, buf);
            met.contains(&hasher.hash_one(id)).then(|| id.to_string())
        })
        .flatten()
        .chain(
            set_aside
                .par_iter()
                .filter(|(id, _)| met.contains(&hasher.hash_one(id.as_str())))
                .map(|(id, _)| id.to_string()),
        )
        .collect();
    ids.par_sort_unstable();
    ids.windows(2).any(|w| w[0] == w[1])
}

/// The ids one column has held so far, to report duplicates. Exports are
/// usually in id order, and while each id sorts after the last it cannot
/// repeat one, so nothing is looked up; the first id out of order builds the
/// map from the rows read so far and the map takes over. Ids a profile
/// makes from lines are not checked: they cannot repeat, and do not sort
/// as text (`bank.csv:10` before `bank.csv:9`).
pub(super) struct UniqueIds {
    what: &'static str,
    from_lines: bool,
    first: Option<Text>,
    /// The last id, once there is a first: written over row by row, where
    /// a new `Text` a row was a large part of reading a ledger row.
    last: String,
    /// Ids of rows set aside while still in order (they are not in the rows
    /// read, but a later row repeating one is still a duplicate); where
    /// `deferred`, which makes no map, every row set aside, for
    /// [`ids_repeat`].
    pub(super) set_aside: Vec<(Text, u64)>,
    seen: Option<HashMap<Text, u64>>,
    /// For a block of a file: out of order, ids are no longer looked up
    /// (a map of a block's ids cost a fifth of reading it), and the file's
    /// ids are checked afterwards ([`ids_repeat`]).
    pub(super) deferred: bool,
    out_of_order: bool,
}

impl UniqueIds {
    pub(super) fn new(what: &'static str) -> Self {
        UniqueIds {
            what,
            from_lines: false,
            first: None,
            last: String::new(),
            set_aside: Vec::new(),
            seen: None,
            deferred: false,
            out_of_order: false,
        }
    }

    /// For the ids in `t`'s [`ID_COLUMN`].
    pub(super) fn of(t: &Table, what: &'static str) -> Self {
        UniqueIds {
            from_lines: t.id_from_line(ID_COLUMN),
            ..UniqueIds::new(what)
        }
    }

    /// Marks the row bad if `id` was seen before. `earlier` lists the ids
    /// and lines of the rows kept so far.
    pub(super) fn check<'e, I: Iterator<Item = (Cow<'e, str>, u64)>>(
        &mut self,
        id: &str,
        line: u64,
        row: &mut Row<'_>,
        col: usize,
        earlier: impl FnOnce() -> I,
    ) {
        if self.from_lines || self.out_of_order {
            return;
        }
        if self.seen.is_none() {
            if self.first.is_none() || id > self.last.as_str() {
                if self.first.is_none() {
                    self.first = Some(Text::from(id));
                }
                self.last.clear();
                self.last.push_str(id);
                return;
            }
            if self.deferred {
                self.out_of_order = true;
                return;
            }
            let mut seen: HashMap<Text, u64> = earlier()
                .map(|(i, l)| (Text::from(i.as_ref()), l))
                .collect();
            seen.extend(self.set_aside.drain(..));
            self.seen = Some(seen);
        }
        let Some(seen) = self.seen.as_mut() else {
            return;
        };
        if let Some(first) = seen.get(id) {
            row.fail(
                col,
                format!("duplicate {} {id:?} (first at line {first})", self.what),
            );
        } else {
            seen.insert(Text::from(id), line);
        }
    }

    /// The ids seen, if they came in order: first and last.
    pub(super) fn in_order(&self) -> Option<(Option<&Text>, Option<&str>)> {
        let last = self.first.is_some().then_some(self.last.as_str());
        (self.seen.is_none() && !self.out_of_order).then_some((self.first.as_ref(), last))
    }

    /// A row whose id was checked has been set aside as bad.
    pub(super) fn set_aside(&mut self, id: &str, line: u64) {
        if self.seen.is_none() && !self.from_lines {
            self.set_aside.push((Text::from(id), line));
        }
    }
}
