//! One reader per contract file, each with its columns named, and the
//! reading of a file's rows in blocks or in one piece.

pub(super) mod accounts;
pub(super) mod bank;
pub(super) mod cases;
pub(super) mod ledger;
pub(super) mod rents;
pub(super) mod schedules;

use super::columns::{optional, Column};
use super::ids::{ids_repeat, UniqueIds};
use super::split::BLOCK_BYTES;
use super::table::Table;
use super::{InputErrors, Progress};
use crate::input::InputError;
use crate::recon::model::{SourceFile, Text};
use crate::recon::store::counted::CountedIds;
use crate::recon::store::lines::LineMap;
use crate::recon::store::text::{Repeats, StoredRow, TextStore};

/// A row's line as evidence holds it (the reader stops a file before a line
/// beyond `u32::MAX`).
pub(super) fn row_line(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Rows read, with the store their texts are in, their lines and the rows
/// whose ids are counted rather than held.
pub(super) type Stored<T> = (Vec<T>, TextStore, LineMap, CountedIds);

/// Reads a table's rows with `read`: a large file in blocks in parallel,
/// kept if no id (`what`) repeats, which ids in order across the whole file
/// show at no cost and [`ids_repeat`] checks otherwise; where one repeats,
/// or the file cannot be split, in one piece, which reports each repeat at
/// its line.
pub(crate) fn read_rows<T: StoredRow + Send + Sync>(
    t: &mut Table,
    what: &'static str,
    watch: Option<&Progress>,
    errors: &mut InputErrors,
    read: impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T> + Sync,
    reopen: &dyn Fn() -> Option<Table>,
) -> Stored<T> {
    let mut joined = Joined::new(t.size(), errors.fresh());
    let split = t.read_blocks(
        watch,
        errors,
        |block, errors| read_block(block, what, errors, &read),
        |from_block, block, errors| joined.take(from_block, block, errors),
    );
    match split {
        // Ids out of order may still all differ: then no block missed a
        // repeat, and the blocks stand.
        Ok(true) if joined.ids_unique() => {
            t.rows_read = joined.rows_read;
            errors.absorb(joined.errors);
            joined.stored
        }
        // An id repeats (an error in the file, which its line must name):
        // `t` is still unread, and its map names each repeat.
        Ok(true) => {
            drop(joined);
            let mut unique = UniqueIds::of(t, what);
            read(t, &mut unique, errors)
        }
        Ok(false) => {
            drop(joined);
            read_whole(t, what, errors, read, reopen)
        }
        Err(e) => {
            let err = InputError::reading(&t.name, &e, 0, || format!("cannot read the file: {e}"));
            errors.push(err);
            Default::default()
        }
    }
}

/// What one block gave: its rows, its first and last ids where they are
/// in order, and the ids of rows it set aside.
type FromBlock<T> = (
    Stored<T>,
    Option<(Option<Text>, Option<Text>)>,
    Vec<(Text, u64)>,
);

/// Reads one block's rows with `read`, its ids checked for repeats only
/// afterwards, across the whole file.
fn read_block<T>(
    block: &mut Table,
    what: &'static str,
    errors: &mut InputErrors,
    read: &impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T>,
) -> FromBlock<T> {
    let mut unique = UniqueIds::of(block, what);
    unique.deferred = true;
    let rows = read(block, &mut unique, errors);
    let ids = unique
        .in_order()
        .map(|(first, last)| (first.cloned(), last.map(Text::from)));
    (rows, ids, unique.set_aside)
}

/// Blocks' rows joined in file order, and what shows whether their ids
/// all differ.
struct Joined<T> {
    stored: Stored<T>,
    /// The file's size, to reserve room for its rows from the first block's.
    size: Option<u64>,
    /// Where rows share texts, one copy of each.
    repeats: Option<Repeats>,
    errors: InputErrors,
    rows_read: usize,
    /// Whether each block's ids were in order and followed the last's.
    in_order: bool,
    last: Option<Text>,
    set_aside: Vec<(Text, u64)>,
}

impl<T: StoredRow> Joined<T> {
    fn new(size: Option<u64>, errors: InputErrors) -> Self {
        Joined {
            stored: Default::default(),
            size,
            repeats: T::REPEATS.then(|| Repeats::for_bytes(size)),
            errors,
            rows_read: 0,
            in_order: true,
            last: None,
            set_aside: Vec::new(),
        }
    }

    /// Takes the next block's rows and errors, in file order.
    fn take(&mut self, (rows, ids, set_aside): FromBlock<T>, block: &Table, errors: InputErrors) {
        self.rows_read += block.rows_read;
        self.errors.absorb(errors);
        match ids {
            Some((Some(first), Some(end))) => {
                self.in_order &= self.last.as_ref().is_none_or(|l| first > *l);
                self.last = Some(end);
            }
            Some(_) => {}
            None => self.in_order = false,
        }
        self.set_aside.extend(set_aside);
        if self.stored.0.is_empty() {
            self.reserve_like(&rows);
        }
        self.append(rows);
    }

    /// Room for the whole file's rows, at the first block's rows per byte.
    fn reserve_like(&mut self, (block_rows, block_text, ..): &Stored<T>) {
        let blocks = self.size.unwrap_or(0) as usize / BLOCK_BYTES + 1;
        let expected = blocks * block_rows.len();
        let _ = self.stored.0.try_reserve(expected + expected / 16);
        if self.repeats.is_none() {
            (self.stored.1).reserve(blocks.saturating_mul(block_text.size()) / 16 * 17);
        }
    }

    /// Appends a block's rows. Shared texts are copied row by row (a row may
    /// share texts from an earlier block); others appended whole, ids
    /// shifted.
    fn append(&mut self, (block_rows, block_text, block_lines, block_counted): Stored<T>) {
        let (rows, text, lines, counted) = &mut self.stored;
        lines.append(&block_lines);
        counted.append(&block_counted, rows.len());
        let shift = match self.repeats {
            Some(_) => 0,
            None => text.append(&block_text),
        };
        let repeats = &mut self.repeats;
        rows.extend(block_rows.into_iter().map(|mut row| {
            let texts = row.texts_mut();
            *texts = match repeats.as_mut() {
                Some(repeats) => text.copy_row(&block_text, *texts, repeats),
                None => texts.shifted(shift),
            };
            row
        }));
    }
}

impl<T: StoredRow + Sync> Joined<T> {
    /// Whether no id repeats across the blocks: certain where they were in
    /// order, else looked for.
    fn ids_unique(&self) -> bool {
        let (rows, text, _, counted) = &self.stored;
        self.in_order || !ids_repeat(rows, text, counted, &self.set_aside)
    }
}

/// Reads a table's rows with `read` in one piece. Its ids are looked up only
/// once they go out of order and, like blocks', checked for repeats
/// afterwards (a map of every id was larger than the rows); only where one
/// repeats is the file opened again with `reopen` and read with a map of
/// its ids, which names each repeat's line.
pub(crate) fn read_whole<T: StoredRow + Send + Sync>(
    t: &mut Table,
    what: &'static str,
    errors: &mut InputErrors,
    read: impl Fn(&mut Table, &mut UniqueIds, &mut InputErrors) -> Stored<T>,
    reopen: &dyn Fn() -> Option<Table>,
) -> Stored<T> {
    let mut unique = UniqueIds::of(t, what);
    unique.deferred = true;
    let mut first_errors = errors.fresh();
    let rows = read(t, &mut unique, &mut first_errors);
    let (kept, text, _, counted) = &rows;
    if unique.in_order().is_some() || !ids_repeat(kept, text, counted, &unique.set_aside) {
        errors.absorb(first_errors);
        return rows;
    }
    drop(rows);
    let Some(mut again) = reopen() else {
        errors.push(InputError {
            file: t.name.clone(),
            line: None,
            column: None,
            message: "cannot open the file again to name its repeated ids".to_string(),
        });
        return Default::default();
    };
    let mut unique = UniqueIds::of(&again, what);
    let rows = read(&mut again, &mut unique, errors);
    *t = again;
    rows
}

/// The contract's columns for `file`, in order.
pub fn columns(file: SourceFile) -> &'static [Column] {
    match file {
        SourceFile::Accounts => accounts::COLUMNS,
        SourceFile::Ledger => ledger::COLUMNS,
        SourceFile::Bank => bank::COLUMNS,
        SourceFile::Schedules => schedules::COLUMNS,
        SourceFile::Rents => rents::COLUMNS,
        SourceFile::Cases => cases::COLUMNS,
    }
}

/// Each contract file's columns by name: positions in its `*_COLUMNS`,
/// which are built from them, so a column is never read by a bare number.
pub(super) const UNSET: Column = optional("");

/// Whether every place in `columns` was given a column. Each reader builds
/// its `COLUMNS` by its named positions, so two names sharing a position
/// leave another unset; each asserts this at compile time.
pub(super) const fn every_place_set(columns: &[Column]) -> bool {
    let mut i = 0;
    while i < columns.len() {
        if columns[i].name.is_empty() {
            return false;
        }
        i += 1;
    }
    true
}
