//! Unit tests of `profile init`'s guesses: the header after a preamble, the
//! file's kind, every code gathered, dates judged from every row.

use super::*;

fn drafted(file: &str, kind: Option<SourceFile>) -> Draft {
    drafted_bytes("export.csv", file.as_bytes(), kind)
}

fn drafted_bytes(name: &str, bytes: &[u8], kind: Option<SourceFile>) -> Draft {
    draft(name, bytes, kind).unwrap_or_else(|e| panic!("no draft of {name}: {e}"))
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
    let d = drafted_bytes("statement.csv", &file, None);
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
    let d = drafted_bytes("statement.csv", &long_export(rows, b"CAF\xe9"), None);
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
        drafted_bytes("statement.csv", &file, None).toml
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

/// A statement of three rows under `header`, the money in `row`'s shape
/// (`{in}` and `{out}` stand for its money in and out cells).
fn statement(header: &str, row: &str) -> String {
    let mut file = format!("{header}\n");
    for (day, paid_in, paid_out) in [
        ("02", "110.00", ""),
        ("13", "95.50", ""),
        ("14", "", "10.00"),
    ] {
        let line = row
            .replace("{day}", day)
            .replace("{in}", paid_in)
            .replace("{out}", paid_out);
        file.push_str(&line);
        file.push('\n');
    }
    file
}

#[test]
fn a_statements_debit_and_credit_columns_are_its_money_out_and_in() {
    for (out, into) in [
        ("Debit Amount", "Credit Amount"),
        ("Money Out", "Money In"),
        ("Paid out", "Paid in"),
        ("Withdrawals", "Deposits"),
    ] {
        let file = statement(
            &format!("Transaction Date,Transaction Description,{out},{into},Balance"),
            "{day}/03/2026,A STONE RA1001,{out},{in},1500.00",
        );
        let d = drafted(&file, None);
        assert_eq!(d.file, SourceFile::Bank, "{}", d.toml);
        let want = format!("paid_in = {into:?}  # GUESS\npaid_out = {out:?}  # GUESS");
        assert!(d.toml.contains(&want), "{}", d.toml);
        assert!(d.toml.contains("date = \"Transaction Date\""), "{}", d.toml);
        crate::input::profile::Profile::parse(&d.toml, "draft").expect("a profile");
    }
}

#[test]
fn one_signed_amount_and_a_memo_is_a_statement_whatever_its_account_column() {
    // Barclays' export: `Account` is the landlord's own sort code and number.
    let file = statement(
        "Number,Date,Account,Amount,Subcategory,Memo",
        ",{day}/03/2026,20-00-00 12345678,{in}{out},Funds Transfer,A STONE RA1001",
    );
    let d = drafted(&file, None);
    assert_eq!(d.file, SourceFile::Bank, "{}", d.toml);
    assert!(d.toml.contains("reference = \"Memo\""), "{}", d.toml);
    assert!(!d.toml.contains("account_ref"), "{}", d.toml);
}

#[test]
fn the_date_columns_banks_name_are_dates_and_the_value_date_comes_first() {
    for name in [
        "Entry Date",
        "Post Date",
        "Posting Date",
        "Value Date",
        "Transaction Date",
        "Date Posted",
    ] {
        let file = statement(
            &format!("{name},Description,Amount,Balance"),
            "{day}/03/2026,A STONE RA1001,{in}{out},1500.00",
        );
        let d = drafted(&file, None);
        assert!(
            d.toml.contains(&format!("date = {name:?}  # GUESS")),
            "{}",
            d.toml
        );
        assert!(
            d.toml.contains("date_formats = [\"%d/%m/%Y\"]"),
            "{}",
            d.toml
        );
    }
    let file = statement(
        "Date,Value Date,Transaction Date,Description,Amount",
        "{day}/03/2026,{day}/03/2026,{day}/03/2026,A STONE RA1001,{in}{out}",
    );
    let d = drafted(&file, Some(SourceFile::Bank));
    assert!(d.toml.contains("date = \"Value Date\""), "{}", d.toml);
}

#[test]
fn a_two_digit_year_is_never_read_as_a_four_digit_one() {
    let file = statement(
        "ENTRY DATE,AMOUNT,DESCRIPTION",
        "{day}/03/26,{in}{out},A STONE RA1001",
    );
    let d = drafted(&file, None);
    assert!(
        d.toml.contains("date_formats = [\"%d/%m/%y\"]"),
        "{}",
        d.toml
    );
}

/// Nationwide's download: Windows-1252 `£`, CRLF, three account lines and a
/// blank one above the header, and payers' names in the transaction type.
const NATIONWIDE: &[u8] = b"\"Account Name:\",\"Business current ****45678\"\r
\"Account Balance:\",\"\xa31,848.83\"\r
\"Available Balance: \",\"\xa31,848.83\"\r
\r
\"Date\",\"Transaction type\",\"Description\",\"Paid out\",\"Paid in\",\"Balance\"\r
\"02 Mar 2026\",\"Bank credit B COLE\",\"DDM-RA1002\",\"\",\"\xa3433.33\",\"\xa31,433.33\"\r
\"03 Mar 2026\",\"Transfer from A STONE\",\"RA1001\",\"\",\"\xa3110.00\",\"\xa31,543.33\"\r
\"04 Mar 2026\",\"Transfer from C LANE\",\"RA1003\",\"\",\"\xa395.50\",\"\xa31,638.83\"\r
\"05 Mar 2026\",\"Transfer from D PATEL\",\"RA1004\",\"\",\"\xa3120.00\",\"\xa31,758.83\"\r
\"10 Mar 2026\",\"Transfer from A STONE\",\"RA1001\",\"\",\"\xa3100.00\",\"\xa31,858.83\"\r
\"12 Mar 2026\",\"Payment to\",\"A STONE REFUND RA1001\",\"\xa310.00\",\"\",\"\xa31,848.83\"\r
";

#[test]
fn a_preamble_and_blank_line_are_counted_and_a_type_of_names_is_no_code_table() {
    for kind in [None, Some(SourceFile::Bank)] {
        let d = drafted_bytes("nationwide.csv", NATIONWIDE, kind);
        let toml = &d.toml;
        assert_eq!(d.file, SourceFile::Bank, "{toml}");
        assert!(toml.contains("skip_rows = 4  # GUESS: line 5"), "{toml}");
        assert!(toml.contains("from all 6 rows"), "{toml}");
        assert!(toml.contains("encoding = \"windows-1252\""), "{toml}");
        assert!(toml.contains("date_formats = [\"%d %b %Y\"]"), "{toml}");
        // Free text: no table, and the column sets nothing.
        assert!(!toml.contains("[[bank.codes]]"), "{toml}");
        assert!(!toml.contains("method = "), "{toml}");
        assert!(
            toml.contains("# NOTE: \"Transaction type\" is free text, not codes (5 different values in 6 rows"),
            "{toml}"
        );
        assert!(
            d.warnings.iter().any(|w| w.contains("is free text")),
            "{:?}",
            d.warnings
        );
        crate::input::profile::Profile::parse(toml, "draft").expect("a profile");
    }
}

#[test]
fn type_words_repeated_are_codes_and_a_blank_column_is_none() {
    // Words with spaces, but few and repeated: a code table.
    let mut file = String::from("Post Date,Type,Amount,Customer Reference,TLA\n");
    for (i, t) in [
        "Bacs Credit",
        "Faster Payment",
        "Faster Payment",
        "Standing Order",
    ]
    .iter()
    .cycle()
    .take(8)
    .enumerate()
    {
        file.push_str(&format!("{}/03/2026,{t},10.00,RA100{i},\n", 13 + i));
    }
    let d = drafted(&file, None);
    assert!(
        d.toml.contains("reference = \"Customer Reference\""),
        "{}",
        d.toml
    );
    assert!(
        d.toml
            .contains("\"Faster Payment\" = \"bank_transfer\"  # GUESS"),
        "{}",
        d.toml
    );
    assert!(!d.toml.contains("free text"), "{}", d.toml);

    // The same type column left blank by the export: not mapped, no table.
    let blank = file
        .replace(",Bacs Credit,", ",,")
        .replace(",Faster Payment,", ",,");
    let blank = blank.replace(",Standing Order,", ",,");
    let d = drafted(&blank, None);
    assert!(
        d.toml.contains("# NOTE: \"Type\" is blank on every row"),
        "{}",
        d.toml
    );
    assert!(!d.toml.contains("[[bank.codes]]"), "{}", d.toml);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn free_text_is_told_from_codes() {
    let counts = |values: &[&str]| {
        let mut c = codes::CodeCounts::default();
        for (i, v) in values.iter().enumerate() {
            c.see(v.to_string(), None, i as u64 + 2, None);
        }
        c
    };
    // Names after the same two words, however often each is seen.
    let names = [
        "Transfer from A STONE",
        "Transfer from C LANE",
        "Transfer from D PATEL",
    ];
    let year: Vec<&str> = names.iter().cycle().take(36).copied().collect();
    assert!(counts(&year).is_free_text());
    // Most values seen once.
    let once = [
        "Card payment TESCO",
        "Card payment EE",
        "Visa SHELL",
        "Bill PAYEE",
        "Visa X",
        "Visa X",
    ];
    assert!(counts(&once).is_free_text());
    // Codes, and code words.
    assert!(!counts(&["BGC", "FPI", "SO", "DD", "CHQ", "FPO"]).is_free_text());
    let words = [
        "Direct Debit",
        "Direct Debit Return",
        "Faster Payment",
        "Standing Order",
    ];
    assert!(!counts(&words).is_free_text());
}

#[test]
fn a_file_with_nothing_to_judge_is_refused_with_why() {
    let refused = |bytes: &[u8]| match draft("export.csv", bytes, None) {
        Ok(d) => panic!("drafted from {bytes:?}:\n{}", d.toml),
        Err(e) => e.to_string(),
    };
    assert!(refused(b"").contains("the file is empty"));
    assert!(refused(b"\n \r\n\n").contains("the file is empty"));
    let preamble = refused(b"Westshire Bank plc\nStatement printed 01/02/2026\n");
    assert!(preamble.contains("no header found"), "{preamble}");
    let header = refused(b"Date,Description,Paid in,Paid out\n");
    assert!(header.contains("a header but no rows"), "{header}");
    let trailer_only = refused(b"Date,Description,Amount\n\n");
    assert!(
        trailer_only.contains("a header but no rows"),
        "{trailer_only}"
    );
    let old_mac = refused(b"Date,Amount\r01/03/2026,10.00\r02/03/2026,12.00\r");
    assert!(old_mac.contains("carriage return alone"), "{old_mac}");
}

/// `text` as UTF-16 (little-endian unless `big`), with or without its mark.
fn utf16(text: &str, big: bool, mark: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in std::iter::once(0xfeff)
        .filter(|_| mark)
        .chain(text.encode_utf16())
    {
        out.extend_from_slice(&if big {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_its_mark_is_drafted_as_the_reader_reads_it() {
    let export = "Date,Description,Amount\r\n01/03/2026,RENT RA1001 CAF\u{e9},100.00\r\n\
                  02/03/2026,RENT RA1002,95.50\r\n";
    let plain = drafted(export, None);
    for big in [false, true] {
        let d = drafted_bytes("export.csv", &utf16(export, big, true), None);
        let name = if big { "UTF-16BE" } else { "UTF-16LE" };
        assert!(
            d.toml
                .contains(&format!("# NOTE: {name} by its byte-order mark")),
            "{}",
            d.toml
        );
        assert!(!d.toml.contains("encoding ="), "{}", d.toml);
        // Everything past the encoding is drafted as from the UTF-8 file.
        let after = |t: &str| t.split_once("[bank.columns]").map(|(_, r)| r.to_string());
        assert_eq!(after(&d.toml), after(&plain.toml), "{}", d.toml);
    }
    let unmarked = draft("export.csv", &utf16(export, false, false), None);
    let e = unmarked.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("UTF-16 without a byte-order mark"), "{e}");
}

#[test]
fn a_column_of_thousands_of_values_is_named_so_not_called_blank() {
    let mut export = String::from("Date,Reference,Type,Amount\n");
    for i in 0..(codes::MAX_CODES + 50) {
        export.push_str(&format!("01/03/2026,RA{i},PAYER{i},10.00\n"));
    }
    let d = drafted(&export, Some(SourceFile::Bank));
    let toml = &d.toml;
    assert!(!toml.contains("blank on every row"), "{toml}");
    assert!(
        toml.contains(&format!("more than {} different values", codes::MAX_CODES)),
        "{toml}"
    );
}

#[test]
fn a_long_utf16_files_head_ends_on_a_whole_character() {
    let mut export = String::from("Date,Description,Amount\r\n");
    // Two bytes a character: past the head by a few lines.
    while export.len() * 2 < sample::HEAD_BYTES + 2000 {
        export.push_str("01/03/2026,RENT RA1001,100.00\r\n");
    }
    let bytes = utf16(&export, false, true);
    assert!(bytes.len() > sample::HEAD_BYTES);
    let head = Sample::of(&bytes).head_text().into_owned();
    assert!(!head.contains('\u{fffd}'), "{:?}", &head[head.len() - 40..]);
    assert!(head.starts_with("Date,Description,Amount"));
}
