use super::cells::{clean_money_into, iso_date, lowercase, push_decimal, read_money};
use super::split::{Side, Split};
use super::*;
use csv::ByteRecord;

use crate::input::profile::{AmountStyle, FileProfile};
use crate::input::table::{optional, required, Column};

static BANK: [Column; 3] = [
    required("bank_id"),
    required("date").date(),
    required("amount").money(),
];

fn mapping(amount: AmountStyle) -> Mapping {
    let fp = FileProfile {
        amount: Some(amount),
        ..FileProfile::default()
    };
    let header = vec!["id".to_string(), "date".to_string(), "value".to_string()];
    Mapping::new("bank.csv", &fp, &BANK, header).expect("mapping")
}

fn apply(m: &Mapping, fields: &[&str]) -> Result<Vec<String>, Vec<FieldError>> {
    let mut out = ByteRecord::new();
    m.apply(
        &ByteRecord::from(fields.to_vec()),
        7,
        &mut out,
        &mut Scratch::default(),
    )
    .map(|()| {
        out.iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    })
}

static REFS: [Column; 3] = [
    required("bank_id"),
    optional("reference"),
    optional("payer"),
];

/// A profile of extractions and rules on `Details` (the second column).
fn on_details(extract: &[(&str, &str)], rules: &[(&str, &[(&str, &str)])]) -> Mapping {
    use crate::input::profile::{Extract, Rule};
    let fp = FileProfile {
        columns: [("reference".to_string(), "Ref".to_string())].into(),
        extract: (extract.iter())
            .map(|(field, pattern)| Extract {
                field: field.to_string(),
                column: "Details".into(),
                pattern: pattern.to_string(),
            })
            .collect(),
        rules: (rules.iter())
            .map(|(pattern, set)| Rule {
                column: "Details".into(),
                pattern: pattern.to_string(),
                set: (set.iter())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            })
            .collect(),
        ..FileProfile::default()
    };
    let header = vec!["id".to_string(), "details".to_string(), "ref".to_string()];
    Mapping::new("bank.csv", &fp, &REFS, header).expect("mapping")
}

fn read(m: &Mapping, details: &str, reference: &str) -> (String, String) {
    let row = apply(m, &["B1", details, reference]).expect("reads");
    (row[1].clone(), row[2].clone())
}

#[test]
fn the_first_extraction_to_match_a_field_wins_and_later_ones_are_fallbacks() {
    let m = on_details(
        &[
            ("reference", r"\b(?P<value>RA\d{4})\b"),
            ("reference", " / (?P<value>.*)$"),
            ("payer", "^(?P<value>.*?) / "),
        ],
        &[],
    );
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        read(&m, "ANN LEE / RENT RA2001", ""),
        s("RA2001", "ANN LEE")
    );
    assert_eq!(read(&m, "B KAY / RA-2002", ""), s("RA-2002", "B KAY"));
    // No extraction matches: the field keeps its column's value.
    assert_eq!(read(&m, "CASH", "R9"), s("R9", ""));
    // A blank match leaves the field open to the next extraction.
    let m = on_details(
        &[
            ("reference", "^REF(?P<value> *)/"),
            ("reference", "/(?P<value>.*)$"),
        ],
        &[],
    );
    assert_eq!(read(&m, "REF /X1", "").0, "X1");
}

#[test]
fn a_fallback_never_needed_is_not_a_never_matched_extraction() {
    let m = on_details(
        &[
            ("reference", r"(?P<value>RA\d{4})"),
            ("reference", "(?P<value>NEVER)"),
            ("payer", "(?P<value>NOBODY)"),
        ],
        &[],
    );
    read(&m, "RA2001", "");
    assert_eq!(m.never_matched(), vec![("payer", "details".to_string())]);
    read(&m, "no account here", "");
    assert_eq!(
        m.never_matched(),
        vec![
            ("reference", "details".to_string()),
            ("payer", "details".to_string())
        ]
    );
}

#[test]
fn rules_set_captured_text_and_a_later_rule_wins() {
    let m = on_details(
        &[("reference", "(?P<value>RA\\d{4})")],
        &[
            (
                r"(?i)^dwp uc (?P<claim>\d+) acc (\d{4})$",
                &[("reference", "RA$2"), ("payer", " DWP claim ${claim} ")],
            ),
            ("ACC 9999", &[("reference", "SUSPENSE $$1")]),
        ],
    );
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        read(&m, "DWP UC 123 ACC 2003", ""),
        s("RA2003", "DWP claim 123")
    );
    assert_eq!(
        read(&m, "DWP UC 123 ACC 9999", ""),
        s("SUSPENSE $1", "DWP claim 123")
    );
}

#[test]
fn a_rule_naming_a_group_its_pattern_lacks_is_refused() {
    let fp = FileProfile {
        rules: vec![crate::input::profile::Rule {
            column: "Details".into(),
            pattern: "(a)".into(),
            set: [("reference".to_string(), "$2".to_string())].into(),
        }],
        ..FileProfile::default()
    };
    let header = vec!["id".to_string(), "details".to_string()];
    let err = Mapping::new("bank.csv", &fp, &REFS, header).expect_err("refused");
    assert_eq!(
        err.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["[[rules]] sets \"reference\" from group \"2\", which its pattern does not have"]
    );
}

#[test]
fn a_ledger_amount_problem_is_given_once_not_per_field() {
    static LEDGER: [Column; 3] = [
        required("txn_id"),
        optional("debit").money(),
        optional("credit").money(),
    ];
    let fp = FileProfile {
        amount: Some(AmountStyle {
            debit: Some("Debit".into()),
            credit: Some("Credit".into()),
            ..AmountStyle::default()
        }),
        ..FileProfile::default()
    };
    let header = vec!["id".to_string(), "debit".to_string(), "credit".to_string()];
    let m = Mapping::new("ledger.csv", &fp, &LEDGER, header).expect("mapping");
    let problems = apply(&m, &["T1", "abc", ""]).expect_err("bad money");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].1.to_string(),
        "expected an amount like £1,234.50, -12.00 or (12.00), found \"abc\""
    );
}

#[test]
fn only_a_plain_separator_makes_a_split() {
    let read = |s: Split| (s.side, s.sep.needle().to_vec());
    assert_eq!(
        Split::of("^(?P<value>.*?) / ").map(read),
        Some((Side::Before, b" / ".to_vec()))
    );
    assert_eq!(
        Split::of(r" \| (?P<value>.*)$").map(read),
        Some((Side::After, b" | ".to_vec()))
    );
    for pattern in [
        r"^(?P<value>.*?)\d",
        "^(?P<value>.*?).",
        "^(?P<value>.*?)",
        "(?i)ref(?P<value>.*)$",
        "^(?P<value>.*) / ",
        r"^(?P<value>.*?) / \",
    ] {
        assert!(Split::of(pattern).is_none(), "{pattern}");
    }
}

#[test]
fn a_signed_column_can_be_negated_and_must_not_be_empty() {
    let m = mapping(AmountStyle {
        signed: Some("Value".into()),
        negate: true,
        ..AmountStyle::default()
    });
    assert_eq!(
        apply(&m, &["B1", "2026-03-02", "(12.50)"]),
        Ok(vec![
            "bank.csv:7".into(),
            "2026-03-02".into(),
            "12.50".into()
        ])
    );
    assert_eq!(
        apply(&m, &["B1", "2026-03-02", ""]),
        Err(vec![(2, FieldProblem::EmptyAmount)])
    );
}

#[test]
fn money_styles_clean_to_plain_decimals() {
    assert_eq!(clean_money("£1,234.50").as_deref(), Ok("1234.50"));
    assert_eq!(clean_money("(12.00)").as_deref(), Ok("-12.00"));
    assert_eq!(clean_money("12.00-").as_deref(), Ok("-12.00"));
    assert_eq!(clean_money(" GBP 5 ").as_deref(), Ok("5"));
    assert!(clean_money("£").is_err());
}

proptest::proptest! {
    /// Dates are written as `NaiveDate` displays them, whatever the year.
    #[test]
    fn dates_are_written_as_chrono_writes_them(days in -1_000_000i32..4_000_000) {
        let d = chrono::NaiveDate::from_num_days_from_ce_opt(days).expect("in range");
        let mut out = String::from("x");
        iso_date(&mut out, d);
        proptest::prop_assert_eq!(out, format!("x{d}"));
    }

    /// Money is cleaned a run at a time as a filter of every
    /// character would clean it.
    #[test]
    fn money_is_cleaned_of_every_symbol_and_separator(
        text in "(GBP)?[ £$€,\u{a0}0-9.()-]{0,14}",
    ) {
        // Symbols and separators filtered out a character at a time.
        let filtered: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '£' | '$' | '€' | ',' | ' ' | '\u{a0}'))
            .collect();
        let plain = filtered.strip_prefix("GBP").unwrap_or(&filtered);
        let mut out = String::from("x");
        let cleaned = clean_money_into(&text, &mut out).map(|()| out);
        match cleaned {
            Ok(out) => {
                let digits = |s: &str| {
                    s.chars()
                        .filter(|c| !matches!(c, '(' | ')' | '-'))
                        .collect::<String>()
                };
                proptest::prop_assert_eq!(digits(&out[1..]), digits(plain));
            }
            Err(_) => proptest::prop_assert!(plain.is_empty()),
        }
    }

    /// Money read on the stack is what cleaning it and reading the clean
    /// text gives.
    #[test]
    fn money_read_on_the_stack_is_money_cleaned_and_parsed(
        text in "[ \t]?(GBP)?[ £$€,\u{a0}0-9.()+é-]{0,24}",
        shaped in "[ ]?(GBP|£|\\$)?[ ]?[(+-]?[0-9]{0,3}(,?[0-9]{3}){0,6}(\\.[0-9]{0,3})?[)-]?",
    ) {
        for text in [&text, &shaped] {
            let by_text = clean_money(text)
                .ok()
                .and_then(|c| crate::input::parse::money(c.as_bytes()).ok());
            proptest::prop_assert_eq!(read_money(text), by_text, "{:?}", text);
        }
        let by_text = clean_money(&text)
            .ok()
            .and_then(|c| crate::input::parse::money(c.as_bytes()).ok());
        proptest::prop_assert_eq!(read_money(&text), by_text, "{:?}", text);
        let plain = text.replace(['£', '€', '\u{a0}', 'é'], "");
        let by_text = clean_money(&plain)
            .ok()
            .and_then(|c| crate::input::parse::money(c.as_bytes()).ok());
        proptest::prop_assert_eq!(read_money(&plain), by_text, "{:?}", plain);
    }

    #[test]
    fn a_split_reads_what_its_regex_would(
        sep in proptest::sample::select(vec![" / ", "/", "-", " ", "ab", "é.", "a+b", "(x)"]),
        text in "[ /ab.é+()x\n-]{0,16}",
    ) {
        for pattern in [Split::pattern(Side::Before, sep), Split::pattern(Side::After, sep)] {
            let split = Split::of(&pattern);
            proptest::prop_assert!(split.is_some(), "{} is a split", pattern);
            let re = Regex::new(&pattern).unwrap();
            let by_regex = re
                .captures(&text)
                .and_then(|c| c.name("value"))
                .map(|m| (m.start(), m.end()));
            if let Some(span) = split.and_then(|s| s.span(&text)) {
                proptest::prop_assert_eq!(span, by_regex, "{:?} on {:?}", pattern, text);
            }
        }
    }

    #[test]
    fn amounts_are_written_as_display_writes_them(
        mantissa in -999_999_999_999_999_999i64..=999_999_999_999_999_999,
        small in -1000i64..1000,
        scale in 0u32..=2,
    ) {
        for mantissa in [mantissa, small, 0] {
            let d = rust_decimal::Decimal::new(mantissa, scale);
            for d in [d, -d] {
                let mut out = String::from("x");
                push_decimal(&mut out, d);
                proptest::prop_assert_eq!(out, format!("x{d}"));
            }
        }
    }

    /// A line's id is written as the store writes it.
    #[test]
    fn line_ids_are_written_as_the_store_writes_them(line in proptest::num::u64::ANY) {
        let (mut ours, mut store) = (String::from("x"), String::from("x"));
        super::apply::line_id(&mut ours, "bank.csv", line);
        crate::recon::store::digits::push_line_id(&mut store, "bank.csv", line);
        proptest::prop_assert_eq!(ours, store);
    }

    /// Codes are looked up lower-cased, on the stack or not.
    #[test]
    fn codes_are_lower_cased_as_to_lowercase_does(code in "[A-Za-z0-9É ]{0,20}") {
        proptest::prop_assert_eq!(lowercase(&code, str::to_string), code.to_lowercase());
    }
}

static TYPED: [Column; 4] = [
    required("bank_id"),
    required("date").date(),
    required("amount").money(),
    optional("fee").money(),
];

/// Paid in / paid out, UK dates, and a money column of its own.
fn typed_mapping() -> Mapping {
    let fp = FileProfile {
        date_formats: vec!["%d/%m/%Y".to_string(), "%d %b %Y".to_string()],
        amount: Some(AmountStyle {
            paid_in: Some("In".into()),
            paid_out: Some("Out".into()),
            ..AmountStyle::default()
        }),
        columns: [("fee".to_string(), "Fee".to_string())].into(),
        ..FileProfile::default()
    };
    let header = ["id", "date", "in", "out", "fee"]
        .map(String::from)
        .to_vec();
    Mapping::new("bank.csv", &fp, &TYPED, header).expect("mapping")
}

proptest::proptest! {
    /// The typed record holds what the contract's text for it reads as:
    /// the same problems, the same text, and each date and amount (to its
    /// places) as the text's parser reads it.
    #[test]
    fn a_typed_record_reads_as_its_text_does(
        day in "[0-9]{1,2}",
        month in "[0-9]{1,2}|Jan|feb|MAR|Sept",
        year in "[0-9]{1,5}",
        sep in "[/ ]",
        money_in in "(£|GBP ?)?[(-]?[0-9]{0,16}(\\.[0-9]{0,3})?[)]?|",
        money_out in "£?[0-9]{0,4}(\\.[0-9]{0,2})?|",
        fee in "(£|\\$)?[+-]?[0-9]{0,17}(,[0-9]{3})?(\\.[0-9]{0,3})?-?|x",
    ) {
        let m = typed_mapping();
        let date = format!("{day}{sep}{month}{sep}{year}");
        let raw = ByteRecord::from(vec!["B1", &date, &money_in, &money_out, &fee]);
        let mut text = ByteRecord::new();
        let by_text = m.apply(&raw, 3, &mut text, &mut Scratch::default());
        let mut scratch = Scratch::default();
        let typed = m.apply_typed(&raw, 3, &mut scratch);
        proptest::prop_assert_eq!(&typed, &by_text);
        for (i, written) in text.iter().enumerate() {
            // An id made from the line is the readers' to count, not read.
            if m.id_from_line(i) {
                continue;
            }
            match scratch.mapped.cell(i) {
                Some(Cell::Text(s, e)) => {
                    proptest::prop_assert_eq!(scratch.mapped.text(s, e).as_bytes(), written);
                }
                Some(Cell::Date(d)) => {
                    proptest::prop_assert_eq!(crate::input::parse::date(written), Ok(d));
                }
                Some(Cell::Money(v)) => {
                    let read = crate::input::parse::money(written).map(|r| r.to_string());
                    proptest::prop_assert_eq!(read, Ok(v.to_string()));
                }
                None => proptest::prop_assert!(false, "no cell {}", i),
            }
        }
        proptest::prop_assert_eq!(scratch.mapped.texts().len(), text.len());
    }
}
