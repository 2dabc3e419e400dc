//! Unit tests of `profile init`'s guesses: the header after a preamble, the
//! file's kind, every code gathered, dates judged from every row.

use super::*;

fn drafted(file: &str, kind: Option<SourceFile>) -> Draft {
    draft("export.csv", file.as_bytes(), kind)
}

/// A bank export of `rows` lines after a preamble, with a closing line
/// and a closing balance as its trailer; `middle` goes into the
/// description of the row halfway.
fn long_export(rows: usize, middle: &[u8]) -> Vec<u8> {
    let mut file = b"Westshire Bank plc\nStatement of account 1234\n".to_vec();
    file.extend_from_slice(b"Date,Description,Paid in,Paid out\n");
    for i in 0..rows {
        let description: &[u8] = if i == rows / 2 { middle } else { b"RENT" };
        file.extend_from_slice(format!("0{}/03/2026,", 1 + i % 9).as_bytes());
        file.extend_from_slice(description);
        file.extend_from_slice(format!(" RA{i},100.00,\n").as_bytes());
    }
    file.extend_from_slice(b",Closing balance,,\nEnd of statement\n");
    file
}

#[test]
fn a_long_files_trailer_is_seen_at_its_end_and_its_encoding_throughout() {
    let rows = 60_000; // about 2 MB: longer than the head
    let file = long_export(rows, "CAF\u{e9}".as_bytes());
    assert!(file.len() > sample::HEAD_BYTES);
    let d = draft("statement.csv", &file, None);
    assert_eq!(d.file, SourceFile::Bank, "{}", d.toml);
    assert!(d.toml.contains("skip_rows = 2  # GUESS"), "{}", d.toml);
    assert!(d.toml.contains("trailer_rows = 2  # GUESS"), "{}", d.toml);
    assert!(d.toml.contains("encoding = \"utf-8\""), "{}", d.toml);
    assert!(
        d.toml.contains(&format!("from all {rows} rows")),
        "{}",
        d.toml
    );
    // A Windows-1252 byte far from either end still decides the encoding.
    let d = draft("statement.csv", &long_export(rows, b"CAF\xe9"), None);
    assert!(d.toml.contains("encoding = \"windows-1252\""), "{}", d.toml);
    assert!(d.toml.contains("trailer_rows = 2  # GUESS"), "{}", d.toml);

    // Read from a file as `profile init` reads it: the same draft.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("statement.csv");
    std::fs::write(&path, &file).expect("write");
    let read = Sample::read(&path).expect("read");
    assert_eq!(
        draft_from("statement.csv", &read, None)
            .expect("draft")
            .toml,
        draft("statement.csv", &file, None).toml
    );
}

/// A statement whose preamble has lines as wide as its rows, one of them
/// naming columns-like words: the header is the line of names followed by
/// values, not the first wide line.
const PREAMBLE_STATEMENT: &str = "\
Business Current Account\r
Account name,Westshire Housing,Sort code,20-00-00\r
\r
Date,Description,Amount,Balance\r
02/01/2026,A HASSAN RA1001,100.00,1100.00\r
03/01/2026,B LEWIS RA1002,110.00,1210.00\r
05/01/2026,REFUND RA1019,-50.00,1160.00\r
";

#[test]
fn the_header_is_found_after_a_preamble_of_wide_lines() {
    for kind in [None, Some(SourceFile::Bank)] {
        let d = drafted(PREAMBLE_STATEMENT, kind);
        assert_eq!(d.file, SourceFile::Bank, "{}", d.toml);
        // Four lines above the header, the blank one counted.
        assert!(d.toml.contains("skip_rows = 3  # GUESS"), "{}", d.toml);
        assert!(d.toml.contains("[bank]"), "{}", d.toml);
        assert!(d.toml.contains("reference = \"Description\""), "{}", d.toml);
        assert!(d.toml.contains("from all 3 rows"), "{}", d.toml);
    }
}

#[test]
fn the_kind_comes_from_the_columns_that_mark_each_input() {
    let cases = [
        (
            "Date,Details,Money in,Money out,Balance\n",
            SourceFile::Bank,
        ),
        ("Date,Narrative,Debit,Credit,Balance\n", SourceFile::Bank),
        (
            "Tenancy Ref,Trans Date,Trans Type,Debit,Credit,Narrative\n",
            SourceFile::Ledger,
        ),
        (
            "Tenancy Ref,Tenant,Rent,Rent Frequency,Start Date\n",
            SourceFile::Accounts,
        ),
        ("Schedule,Claim No,Amount,From,To\n", SourceFile::Schedules),
    ];
    for (header, want) in cases {
        assert_eq!(
            kind::guess_file(&header::layout(header, None).header),
            want,
            "{header}"
        );
    }
}

/// A ledger of `rows` rows of known codes, then the codes seen nowhere in
/// the first 400 lines.
fn ledger_with_late_codes(rows: usize) -> String {
    let mut file =
        String::from("Rent ledger report\nRun 01/04/2026\nAccount,Date,Type,Debit,Credit\n");
    for i in 0..rows {
        file.push_str(&format!("A{},0{}/03/2026,RNT,100.00,\n", i % 7, 1 + i % 9));
    }
    file.push_str("A1,20/03/2026,ZZC,,30.00\nA2,21/03/2026,ZZC,,5.00\nA3,22/03/2026,QQD,12.50,\n");
    file.push_str("A4,23/03/2026,WOF,,1.00\nTotals,,,,\n");
    file
}

#[test]
fn every_code_in_the_file_is_gathered_and_unknown_ones_read_safely() {
    let d = drafted(&ledger_with_late_codes(600), None);
    let toml = &d.toml;
    assert_eq!(d.file, SourceFile::Ledger, "{toml}");
    assert!(toml.contains("skip_rows = 2"), "{toml}");
    assert!(toml.contains("trailer_rows = 1"), "{toml}");
    assert!(
        toml.contains("\"RNT\" = \"charge\"  # GUESS: 600 rows (debits)"),
        "{toml}"
    );
    assert!(
        toml.contains("\"WOF\" = \"writeoff\"  # GUESS: 1 row (credits)"),
        "{toml}"
    );
    // An unknown credit: an adjustment, so no receipt is claimed for it.
    assert!(
        toml.contains("\"ZZC\" = \"adjustment\"  # UNKNOWN: 2 rows (credits), e.g. line 604"),
        "{toml}"
    );
    // An unknown debit: an adjustment, and not rent.
    assert!(
        toml.contains("\"QQD\" = \"adjustment\"  # UNKNOWN: 1 row (debits)"),
        "{toml}"
    );
    assert!(
        toml.contains("set = \"charge_type\"\ndefault = \"rent\""),
        "{toml}"
    );
    assert!(toml.contains("\"QQD\" = \"sundry\"  # UNKNOWN"), "{toml}");
    assert!(!toml.contains("\"ZZC\" = \"sundry\""), "{toml}");
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(
        d.warnings[0].contains("QQD, ZZC; 3 rows"),
        "{:?}",
        d.warnings
    );
    // What it writes is a profile that loads.
    let profile = crate::input::profile::Profile::parse(toml, "draft").expect("a profile");
    assert!(profile.section(SourceFile::Ledger).is_some());
}

#[test]
fn a_guess_the_rows_money_contradicts_is_no_guess() {
    // "PAY" reads as a payment, but its rows are debits.
    let file =
        "Account,Date,Type,Debit,Credit\nA1,02/03/2026,PAY,100.00,\nA1,03/03/2026,RNT,100.00,\n";
    let d = drafted(file, None);
    assert!(
        d.toml.contains("\"PAY\" = \"adjustment\"  # UNKNOWN"),
        "{}",
        d.toml
    );
}

#[test]
fn day_and_month_are_judged_from_every_row_not_the_first() {
    let dated = |late: &str| {
        let mut file = String::from("Account,Date,Type,Debit,Credit\n");
        for i in 0..800 {
            file.push_str(&format!(
                "A1,0{}/0{}/2026,RNT,1.00,\n",
                1 + i % 9,
                1 + i % 9
            ));
        }
        file.push_str(&format!("A1,{late},RNT,1.00,\n"));
        drafted(&file, None)
    };
    let uk = dated("25/01/2026");
    assert!(
        uk.toml.contains("date_formats = [\"%d/%m/%Y\"]"),
        "{}",
        uk.toml
    );
    assert!(uk.warnings.is_empty(), "{:?}", uk.warnings);
    let us = dated("01/25/2026");
    assert!(
        us.toml.contains("date_formats = [\"%m/%d/%Y\"]"),
        "{}",
        us.toml
    );
    // Every day the 12th or before: read day first, and said to be a guess.
    let either = dated("12/01/2026");
    assert!(
        either.toml.contains("date_formats = [\"%d/%m/%Y\"]"),
        "{}",
        either.toml
    );
    assert!(either.warnings[0].contains("reads both as day/month and as month/day"));
}

#[test]
fn semicolons_are_seen() {
    let file =
        "Account;Date;Type;Debit;Credit\nA1;02/03/2026;RNT;100.00;\nA1;03/03/2026;PSO;;100.00\n";
    let d = drafted(file, None);
    assert_eq!(d.file, SourceFile::Ledger);
    assert!(d.toml.contains("delimiter = \";\"  # GUESS"), "{}", d.toml);
    assert!(
        d.toml.contains("\"PSO\" = \"standing_order\"  # GUESS"),
        "{}",
        d.toml
    );
}
