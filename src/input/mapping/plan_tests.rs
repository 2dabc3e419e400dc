//! The one-pass plan against the general mapping, on records near the
//! Westshire exports' shapes and odd ones: the same values, the same
//! problems, and the plan itself taking the tidy records.

use csv::ByteRecord;
use proptest::prelude::*;

use super::{Cell, FieldError, Mapping, Scratch};
use crate::input::profile::{FileProfile, Profile};
use crate::input::readers;

fn section(toml: &str, pick: fn(Profile) -> Option<FileProfile>) -> FileProfile {
    pick(Profile::parse(toml, "westshire.toml").expect("profile")).expect("section")
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_lowercase()).collect()
}

fn bank() -> Mapping {
    let fp = section(
        include_str!("../../../fixtures/profiles/westshire-bank.toml"),
        |p| p.bank,
    );
    let names = [
        "Date",
        "Paid in",
        "Paid out",
        "return_code",
        "returned_bank_id",
        "Description",
        "Type",
    ];
    Mapping::new(
        "bank-statement.csv",
        &fp,
        readers::bank::COLUMNS,
        header(&names),
    )
    .expect("mapping")
}

fn ledger() -> Mapping {
    let fp = section(
        include_str!("../../../fixtures/profiles/westshire-housing.toml"),
        |p| p.ledger,
    );
    let names = [
        "Tenancy Ref",
        "Trans Date",
        "Debit",
        "Credit",
        "bank_ref",
        "Narrative",
        "charge_type",
        "Trans Type",
    ];
    Mapping::new(
        "tenancy-export.csv",
        &fp,
        readers::ledger::COLUMNS,
        header(&names),
    )
    .expect("mapping")
}

/// Each field as the readers would take it (an id made from the line is
/// theirs to count, and not compared).
fn values(m: &Mapping, s: &Scratch) -> Vec<String> {
    (0..s.mapped.cells.len())
        .map(|i| match s.mapped.cell(i) {
            _ if m.id_from_line(i) => "(line)".to_string(),
            Some(Cell::Text(start, end)) => s.mapped.text(start, end).to_string(),
            Some(Cell::Date(d)) => format!("date {d}"),
            Some(Cell::Money(v)) => format!("money {} {}", v.mantissa(), v.scale()),
            None => "none".to_string(),
        })
        .collect()
}

type Mapped = Result<Vec<String>, Vec<FieldError>>;

/// `records` mapped in turn through one scratch (as a reader does), and
/// each through the general way on its own.
fn both(m: &Mapping, records: &[Vec<String>]) -> Vec<(Mapped, Mapped)> {
    let mut planned = Scratch::default();
    let mut out = Vec::new();
    for (line, fields) in records.iter().enumerate() {
        let raw = ByteRecord::from(fields.clone());
        let line = line as u64 + 5;
        let by_plan = m.apply_typed(&raw, line, &mut planned);
        let by_plan = by_plan.map(|()| values(m, &planned));
        let mut general = Scratch::default();
        let by_general = m.map(&raw, line, &mut general, true);
        out.push((by_plan, by_general.map(|()| values(m, &general))));
    }
    out
}

#[test]
fn the_plan_takes_tidy_records_and_maps_them_as_the_general_way() {
    let bank_rows = [
        [
            "05 Jan 2026",
            "£77.15",
            "",
            "",
            "",
            "JO ELNORGAL / DDI10000000",
            "DD",
        ],
        ["5 Feb 2026", "", "£12.00", "", "", "REFUND / RA1009", "bp"],
        [
            "06 Apr 2026",
            "£1.5",
            "",
            "",
            "",
            "Westshire Council HB run 4",
            "BGC",
        ],
        [
            "06 apr 2026",
            "£400.00",
            "",
            "",
            "",
            "DWP UC 1234 RA1009",
            "BGC",
        ],
    ];
    let m = bank();
    let plan = m.plan.as_ref().expect("a plan");
    for row in bank_rows {
        let raw = ByteRecord::from(row.to_vec());
        assert!(plan.run(&m, &raw, 9, &mut Scratch::default()), "{row:?}");
    }
    let records: Vec<Vec<String>> = (bank_rows.iter())
        .map(|r| r.iter().map(|f| f.to_string()).collect())
        .collect();
    for (by_plan, by_general) in both(&m, &records) {
        assert_eq!(by_plan, by_general);
    }
    let methods: Vec<String> = (both(&m, &records).into_iter())
        .map(|(p, _)| p.expect("maps")[5].clone())
        .collect();
    assert_eq!(methods, ["dd", "bank_transfer", "hb", "uc"]);
    let m = ledger();
    let plan = m.plan.as_ref().expect("a plan");
    let row = ["RA100000", "05/01/2026", "£77.15", "", "", "", "", "RNT"];
    let raw = ByteRecord::from(row.to_vec());
    assert!(plan.run(&m, &raw, 9, &mut Scratch::default()));
}

fn money() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "£?[0-9]{1,6}(\\.[0-9]{2})?",
        "(£|GBP ?|\\$)?[(-]?[0-9,]{0,17}(\\.[0-9]{0,3})?[)-]?",
        "£?0(\\.00?)?| £12 |x",
    ]
}

fn codes(listed: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(listed).prop_map(str::to_string),
        1 => "[A-Za-z ]{0,3}|é|XFR|[a-z]{16}",
    ]
}

fn bank_record() -> impl Strategy<Value = Vec<String>> {
    let date = prop_oneof![
        "(0?[1-9]|[12][0-9]|3[01]) (Jan|FEB|mar|Apr|Sept|Xyz) (20[0-9]{2}|[0-9]{1,5})",
        "2026-0[1-9]-[0-3][0-9]| 6 Apr 2026 |6  Apr 2026|",
    ];
    let text = "[A-Z ]{0,10}( / [A-Z0-9]{0,10})?|(COUNCIL|council|Counci) ?HB [0-9]{0,3}|\
                [Dd][Ww][Pp] [Uu][Cc] ?[0-9]{0,4}|KELVIN \u{212a} / x|a\nb / c| / ";
    let types = &[
        "DD", "dd", "SO", "BGC", "CRD", "CSH", "DDR", "BP", " Dd ", "",
    ];
    (date, money(), money(), "|R0[1-9]", text, codes(types))
        .prop_map(|(d, i, o, rc, t, ty)| vec![d, i, o, rc, String::new(), t, ty])
}

fn ledger_record() -> impl Strategy<Value = Vec<String>> {
    let date = "([0-3][0-9]|[1-9])/([01][0-9]|[1-9])/([0-9]{2,5})|2026-01-05|";
    let kinds = &[
        "RNT", "PDD", "PSO", "PBT", "PCD", "PCS", "HBP", "UCP", "RFD", "DDR", "ADJ", "CHQ", "WOF",
        "rnt", " Pdd", "",
    ];
    let charge = "|rent|court_costs";
    (
        "RA[0-9]{6}|",
        date,
        money(),
        money(),
        "|DDI[0-9]{3}",
        "|[A-Za-z ]{0,12}",
        charge,
        codes(kinds),
    )
        .prop_map(|(a, d, dr, cr, br, n, ch, k)| vec![a, d, dr, cr, br, n, ch, k])
}

proptest::proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Records in turn through one scratch, each the same by the plan (and
    /// its fallback to the general way) as by the general way alone.
    #[test]
    fn bank_records_map_as_the_general_way_maps_them(
        records in proptest::collection::vec(bank_record(), 1..6),
    ) {
        for (by_plan, by_general) in both(&bank(), &records) {
            prop_assert_eq!(by_plan, by_general);
        }
    }

    #[test]
    fn ledger_records_map_as_the_general_way_maps_them(
        records in proptest::collection::vec(ledger_record(), 1..6),
    ) {
        for (by_plan, by_general) in both(&ledger(), &records) {
            prop_assert_eq!(by_plan, by_general);
        }
    }
}
