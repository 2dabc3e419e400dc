//! The writers, over one small comparison whose report text is hostile:
//! what a stranger wrote into a payer name or a reference reaches every
//! format escaped for it.

use super::*;

/// A report as at `as_at` with one finding, its detail `detail`, and one
/// account whose tenant is `tenant`.
fn report(file: &str, as_at: &str, detail: &str, tenant: &str, status: &str) -> Report {
    let json = serde_json::json!({
        "run": { "tool": "rent-audit 0.1.0", "as_at": as_at,
                 "inputs": [ { "file": "bank.csv", "bytes": 1, "sha256": as_at } ] },
        "findings": [ { "kind": "unidentified_receipt", "severity": "medium", "account_ref": "",
            "posted_to": "", "bank_id": format!("B-{as_at}"), "txn_ids": [], "amount": "-50.00",
            "evidence": ["bank.csv:2"], "detail": detail } ],
        "accounts": [ { "account_ref": "RA1", "tenant_name": tenant, "status": status,
            "posted_balance": "10.00", "corrected_balance": "10.00" } ],
        "totals": { "bank_outcomes": [], "findings": [] }
    });
    parse(file, json.to_string().as_bytes()).expect("a report")
}

const HOSTILE: &str = "=HYPERLINK(\"http://x\") <script>alert(1)</script> | \u{1b}[2K";

fn written(format: Format) -> String {
    let last = report(
        "last.json",
        "2026-02-28",
        "£50.00 received 2026-02-03",
        HOSTILE,
        "clear",
    );
    let this = report("this.json", "2026-03-31", HOSTILE, HOSTILE, "genuine");
    let diff = compare(&last, &this);
    let mut out = Vec::new();
    write(&diff, format, false, &mut out).expect("written");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let csv = written(Format::Csv);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(headers.get(0), Some("change"));
    let mut changes = Vec::new();
    for row in reader.records() {
        let row = row.expect("a row");
        changes.push(row.get(0).expect("change").to_string());
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '@']), "{cell}");
        }
    }
    assert_eq!(changes, ["new", "resolved", "status"]);
    assert!(csv.contains("'=HYPERLINK"));
}

#[test]
fn markdown_and_html_carry_no_markup_and_the_table_no_escape_code() {
    let md = written(Format::Markdown);
    assert!(!md.contains("<script") && !md.contains('\u{1b}'), "{md}");
    let html = written(Format::Html);
    assert!(
        !html.contains("<script") && html.contains("&lt;script&gt;"),
        "{html}"
    );
    let table = written(Format::Table);
    assert!(!table.contains('\u{1b}'), "{table}");
    assert!(
        table.contains("Accounts whose status changed (1)"),
        "{table}"
    );
}

#[test]
fn json_lists_each_change_under_its_name() {
    let doc: serde_json::Value = serde_json::from_str(&written(Format::Json)).expect("JSON");
    assert_eq!(
        doc["findings"]["new"][0]["key"],
        "unidentified_receipt:::B-2026-03-31:"
    );
    assert_eq!(doc["findings"]["resolved"][0]["amount"], "-50.00");
    assert_eq!(doc["accounts"]["changed"][0]["status_now"], "genuine");
    assert_eq!(doc["suspense"]["now"]["receipts"], 0);
    assert_eq!(doc["last"]["as_at"], "2026-02-28");
}
