//! Cutting blocks where the csv crate ends records, and counting a
//! file's bytes once for progress.

use std::io::Read;

use super::{follow_quotes, marks_by_byte, marks_by_search, walk_records, Cut};
use crate::input::blank_lines::MarkBlankLines;
use proptest::prelude::*;

fn last_record_end(block: &[u8], delimiter: u8) -> Cut {
    walk_records(block, delimiter).cut
}

/// `raw` as the reader of a block of records hands it to the csv crate,
/// a space on each empty line.
fn marked(raw: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    MarkBlankLines::records(raw, b',', usize::MAX)
        .read_to_end(&mut got)
        .expect("read");
    got
}

/// Records as the csv crate reads them, as the readers configure it.
fn records(raw: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(raw);
    reader
        .byte_records()
        .map(|r| r.map(|r| r.iter().map(<[u8]>::to_vec).collect()))
        .collect::<Result<_, _>>()
        .unwrap_or_default()
}

proptest! {
    /// Every line end taken as a record's end is one to the csv crate:
    /// reading the two sides apart gives the records read whole.
    #[test]
    fn a_cut_splits_records_as_the_csv_crate_reads_them(
        raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"')], 0..80),
    ) {
        for end in memchr::memchr_iter(b'\n', &raw) {
            if last_record_end(&raw[..=end], b',') == Cut::After(end) {
                let mut apart = records(&raw[..=end]);
                apart.extend(records(&raw[end + 1..]));
                prop_assert_eq!(apart, records(&raw), "cut after {}", end);
            }
        }
    }
}

proptest! {
    /// A block whose quotes were walked says whether it holds an empty
    /// line exactly as the marking would find one; one with no quote is
    /// left to the marking.
    #[test]
    fn a_walked_block_knows_its_empty_lines_as_the_marking_does(
        raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r')], 0..120),
    ) {
        let walk = walk_records(&raw, b',');
        if raw.contains(&b'"') {
            prop_assert_eq!(walk.no_empty_lines, marked(&raw) == raw);
        } else {
            prop_assert!(!walk.no_empty_lines);
        }
    }
}

proptest! {
    /// Quotes are followed byte by byte where they are many and by
    /// search where they are few, to the same end.
    #[test]
    fn quotes_are_followed_alike_by_byte_and_by_search(
        raw in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r')], 0..120),
    ) {
        if let Some(first) = memchr::memchr(b'"', &raw) {
            prop_assert_eq!(
                follow_quotes(&raw, b',', marks_by_byte(&raw, first)),
                follow_quotes(&raw, b',', marks_by_search(&raw, first))
            );
        }
    }
}

#[test]
fn empty_lines_outside_quotes_are_seen_where_quotes_are_walked() {
    let no_empty_lines = |block: &str| walk_records(block.as_bytes(), b',').no_empty_lines;
    assert!(no_empty_lines("\"a\",\"b\"\n\"c\",\"d\"\n"));
    assert!(no_empty_lines("\"a\n\nb\"\n"));
    assert!(!no_empty_lines("\"a\"\n\n\"b\"\n"));
    assert!(!no_empty_lines("\n\"a\"\n"));
    assert!(!no_empty_lines("a\n\nb,\"c\"\n"));
    assert!(!no_empty_lines("a,O\"BRIEN\n\nb\n"));
    // Not walked: the reader marks them.
    assert!(!no_empty_lines("a,b\nc,d\n"));
}

#[test]
fn a_block_is_cut_only_where_a_record_ends() {
    let cut = |block: &str| last_record_end(block.as_bytes(), b',');
    assert_eq!(cut("a,b\nc,d\ne"), Cut::After(7));
    assert_eq!(cut("a,b"), Cut::NotYet);
    // A line end inside quotes ends nothing; `""` is a quote inside them.
    assert_eq!(cut("a,\"b\nc\"\nd,\"e\nf"), Cut::After(7));
    assert_eq!(cut("a,\"b\"\"\nc\"\nd"), Cut::After(9));
    assert_eq!(cut("\"a\nb"), Cut::NotYet);
    // A closing quote as the block's last byte may be half of a `""`.
    assert_eq!(cut("x\n\"a\nb\""), Cut::After(1));
    // Text after a closing quote is text; a quote inside it is text too.
    assert_eq!(cut("\"a\"b,c\nd"), Cut::After(6));
    assert_eq!(cut("a\nb 5\" tap\nc"), Cut::After(10));
    assert_eq!(cut("\"a\"b\"\nc"), Cut::After(5));
    assert_eq!(cut("a,O\"BRIEN\nb"), Cut::After(9));
}

#[test]
fn blocks_read_again_after_the_header_are_not_counted_twice() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let told = Arc::new(AtomicU64::new(0));
    let sink = told.clone();
    let watch: crate::input::Progress = Arc::new(move |n| {
        sink.fetch_add(n, Ordering::Relaxed);
    });
    // A 1,000-byte file: the header (40 bytes) was read through a
    // buffer that took 300 bytes, all counted then.
    let read = crate::input::digest::SharedDigest::default();
    let mut first = read.reader(&[0u8; 300][..]);
    std::io::copy(&mut first, &mut std::io::sink()).expect("read");
    watch(300);
    let blocks = super::already_counted(&watch, &read, 40);
    for n in [200, 400, 360] {
        blocks(n);
    }
    assert_eq!(told.load(Ordering::Relaxed), 1_000);
}
