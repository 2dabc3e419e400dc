//! A `reconcile --format json` report read back: only the parts a
//! comparison needs, typed, with money read from its text as a `Decimal`
//! (never through a float). Fields a later minor version adds are ignored;
//! a report of another major version is refused, as its shape may differ.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize};

use crate::recon::Severity;

/// One report, as `diff` reads it.
#[derive(Clone, Debug, Deserialize)]
pub struct Report {
    /// The file it was read from, as named on the command line: what the
    /// comparison's warnings and headings call it.
    #[serde(skip)]
    pub file: String,
    pub run: Run,
    pub findings: Vec<Finding>,
    pub accounts: Vec<Account>,
    pub totals: Totals,
}

/// `run`: which tool wrote the report, from which files, as at when.
#[derive(Clone, Debug, Deserialize)]
pub struct Run {
    pub tool: String,
    pub inputs: Vec<Input>,
    #[serde(deserialize_with = "date")]
    pub as_at: NaiveDate,
    /// The rules each account was judged by: where they differ between
    /// two months, a status may have moved with the rules, not the account.
    #[serde(flatten)]
    pub rules: Rules,
}

/// The run's rules that decide statuses and findings, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Rules {
    pub trigger: Option<String>,
    pub warn_at: Option<String>,
    pub posting_days: Option<i64>,
    pub match_days: Option<i64>,
    pub allocation: Option<String>,
    pub hb_first_run_days: Option<i64>,
    pub uc_first_run_days: Option<i64>,
    pub hb_rent_rebates: Option<bool>,
}

impl Rules {
    /// `trigger 4w then, 8w now`, for each rule that differs.
    pub fn differences(&self, now: &Rules) -> Vec<String> {
        let show = |v: Option<String>| v.unwrap_or_else(|| "unset".to_string());
        let pairs = [
            ("trigger", self.trigger.clone(), now.trigger.clone()),
            ("warn_at", self.warn_at.clone(), now.warn_at.clone()),
            (
                "posting_days",
                num(self.posting_days),
                num(now.posting_days),
            ),
            ("match_days", num(self.match_days), num(now.match_days)),
            (
                "allocation",
                self.allocation.clone(),
                now.allocation.clone(),
            ),
            (
                "hb_first_run_days",
                num(self.hb_first_run_days),
                num(now.hb_first_run_days),
            ),
            (
                "uc_first_run_days",
                num(self.uc_first_run_days),
                num(now.uc_first_run_days),
            ),
            (
                "hb_rent_rebates",
                self.hb_rent_rebates.map(|b| b.to_string()),
                now.hb_rent_rebates.map(|b| b.to_string()),
            ),
        ];
        (pairs.into_iter())
            .filter(|(_, then, now)| then != now)
            .map(|(name, then, now)| format!("{name} {} then, {} now", show(then), show(now)))
            .collect()
    }
}

fn num(v: Option<i64>) -> Option<String> {
    v.map(|n| n.to_string())
}

/// One input file of the run: `run.inputs[]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub struct Input {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One finding: `findings[]`, with the contract's field names.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Finding {
    pub kind: String,
    #[serde(deserialize_with = "severity")]
    pub severity: Severity,
    pub account_ref: String,
    pub posted_to: String,
    pub bank_id: String,
    pub txn_ids: Vec<String>,
    #[serde(deserialize_with = "money")]
    pub amount: Decimal,
    pub evidence: Vec<String>,
    pub detail: String,
}

/// One account's assessment: `accounts[]`, the fields compared.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Account {
    pub account_ref: String,
    pub tenant_name: String,
    pub status: String,
    #[serde(deserialize_with = "money")]
    pub posted_balance: Decimal,
    #[serde(deserialize_with = "money")]
    pub corrected_balance: Decimal,
}

/// `totals`: the control totals the comparison reads rather than derives.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Totals {
    pub bank_outcomes: Vec<OutcomeRow>,
    pub findings: Vec<KindRow>,
}

/// `totals.bank_outcomes[]`: what became of the bank lines.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OutcomeRow {
    pub outcome: String,
    pub rows: usize,
    #[serde(deserialize_with = "money")]
    pub amount: Decimal,
}

/// `totals.findings[]`: the findings of one kind.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct KindRow {
    pub kind: String,
    pub count: usize,
    #[serde(deserialize_with = "money")]
    pub money: Decimal,
}

/// Why a file could not be read as a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    /// The file, as named on the command line.
    pub file: String,
    pub problem: Problem,
}

/// What was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON at all (serde_json's message, with line and column).
    NotJson(String),
    /// JSON, but not an object.
    NotAnObject,
    /// A part every report has is absent (or null).
    Missing(&'static str),
    /// `run.tool` names another program.
    NotRentAudit(String),
    /// Written by another major version of rent-audit.
    OtherVersion { found: String },
    /// A part has the wrong shape (serde_json's message, with line and column).
    Shape(String),
    /// A filtered run (`run.filter`): what it leaves out would read as
    /// resolved, or as new.
    Filtered(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = &self.file;
        let not = format!("{file} is not a rent-audit JSON report");
        match &self.problem {
            Problem::NotJson(e) => write!(f, "{not}: it is not JSON ({e})"),
            Problem::NotAnObject => write!(f, "{not}: it is JSON, but not an object"),
            Problem::Missing(part) => write!(f, "{not}: missing `{part}`"),
            Problem::NotRentAudit(tool) => {
                write!(f, "{not}: `run.tool` is {tool:?}, not rent-audit")
            }
            Problem::OtherVersion { found } => write!(
                f,
                "{file} was written by {found}, another major version than this {}: its shape \
                 may differ, so it is not compared; reconcile that month's data again with this \
                 version, or diff with the version that wrote it",
                ours()
            ),
            Problem::Shape(e) => write!(f, "{not}: {e}"),
            Problem::Filtered(asked) => write!(
                f,
                "{file} lists part of a run ({asked}): what the filter left out would read as \
                 resolved or new; diff whole-run reports (reconcile --format json without \
                 --account, --kind, --min-severity or --status)"
            ),
        }
    }
}

impl std::error::Error for ReportError {}

/// `rent-audit 0.1.0`: this tool, as a report's `run.tool` names it.
fn ours() -> String {
    format!("rent-audit {}", env!("CARGO_PKG_VERSION"))
}

/// The major version in `1.4.2` (`1`).
fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// Just enough of a report to say what it is before reading it whole, so
/// that a file that is not a report, or one of another version, is told so
/// rather than met with the first field that fails to read.
#[derive(Deserialize)]
struct Head {
    run: Option<HeadRun>,
    findings: Option<de::IgnoredAny>,
    accounts: Option<de::IgnoredAny>,
    totals: Option<de::IgnoredAny>,
}

#[derive(Deserialize)]
struct HeadRun {
    tool: Option<String>,
    filter: Option<HeadFilter>,
}

#[derive(Deserialize)]
struct HeadFilter {
    #[serde(default)]
    asked: Vec<String>,
}

/// Reads `bytes`, the contents of `file`, as a rent-audit JSON report.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Report, ReportError> {
    let fail = |problem| ReportError {
        file: file.to_string(),
        problem,
    };
    let shape = |e: serde_json::Error| match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            Problem::NotJson(e.to_string())
        }
        _ => Problem::Shape(e.to_string()),
    };
    // An array or a bare value is JSON that cannot be a report; said as
    // such, rather than as serde's "expected struct".
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        return Err(fail(
            match serde_json::from_slice::<de::IgnoredAny>(bytes) {
                Ok(_) => Problem::NotAnObject,
                Err(e) => shape(e),
            },
        ));
    }
    let head: Head = serde_json::from_slice(bytes).map_err(|e| fail(shape(e)))?;
    let Some(run) = head.run else {
        return Err(fail(Problem::Missing("run")));
    };
    let tool = run.tool.ok_or_else(|| fail(Problem::Missing("run.tool")))?;
    let version = match tool.split_once(' ') {
        Some(("rent-audit", version)) => version,
        _ => return Err(fail(Problem::NotRentAudit(tool))),
    };
    if major(version) != major(env!("CARGO_PKG_VERSION")) {
        return Err(fail(Problem::OtherVersion { found: tool }));
    }
    if let Some(filter) = run.filter {
        return Err(fail(Problem::Filtered(filter.asked.join(" "))));
    }
    for (part, present) in [
        ("findings", head.findings.is_some()),
        ("accounts", head.accounts.is_some()),
        ("totals", head.totals.is_some()),
    ] {
        if !present {
            return Err(fail(Problem::Missing(part)));
        }
    }
    let mut report: Report = serde_json::from_slice(bytes).map_err(|e| fail(shape(e)))?;
    report.file = file.to_string();
    Ok(report)
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
}

/// Money is written as text (`-412.50`) and read as such: a JSON number
/// would have passed through a float on the way, and is refused.
fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<Decimal>()
        .map_err(|_| de::Error::custom(format!("`{text}` is not an amount of money")))
}

fn severity<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let text = String::deserialize(d)?;
    Severity::from_word(&text).ok_or_else(|| {
        de::Error::custom(format!(
            "`{text}` is not a severity ({})",
            Severity::expected()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{
      "run": { "tool": "rent-audit 0.1.0", "as_at": "2026-03-31", "trigger": "4w",
               "inputs": [ { "file": "bank.csv", "bytes": 10, "sha256": "ab" } ] },
      "warnings": [],
      "findings": [ { "kind": "unposted_receipt", "severity": "high", "account_ref": "RA1003",
          "posted_to": "", "bank_id": "BNK0077", "txn_ids": [], "amount": "-520.00",
          "evidence": ["bank.csv:78"], "detail": "£520.00 received 2026-02-03", "extra": 1 } ],
      "accounts": [ { "account_ref": "RA1003", "tenant_name": "Chloe Martin",
          "status": "false_trigger", "posted_balance": "520.00", "corrected_balance": "0.00" } ],
      "totals": { "bank_outcomes": [ { "outcome": "unidentified_receipt", "rows": 1, "amount": "230.00" } ],
                  "findings": [ { "kind": "unposted_receipt", "count": 1, "money": "520.00" } ] }
    }"#;

    fn problem(text: &str) -> Problem {
        match parse("LAST.json", text.as_bytes()) {
            Ok(_) => panic!("read as a report: {text}"),
            Err(e) => e.problem,
        }
    }

    #[test]
    fn a_report_is_read_with_its_money_exact() {
        let r = parse("LAST.json", REPORT.as_bytes()).expect("a report");
        assert_eq!(r.file, "LAST.json");
        assert_eq!(
            r.run.as_at,
            NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
        );
        assert_eq!(r.findings[0].amount, Decimal::new(-52000, 2));
        assert_eq!(r.findings[0].severity, Severity::High);
        assert_eq!(r.accounts[0].status, "false_trigger");
        assert_eq!(r.totals.bank_outcomes[0].amount, Decimal::new(23000, 2));
        assert_eq!(r.run.inputs[0].sha256, "ab");
    }

    #[test]
    fn what_is_not_a_report_is_named_with_what_is_wrong() {
        assert!(matches!(problem(""), Problem::NotJson(_)));
        assert!(matches!(problem("accounts,ledger\n"), Problem::NotJson(_)));
        assert!(matches!(problem("{\"run\": "), Problem::NotJson(_)));
        assert_eq!(problem("[1, 2]"), Problem::NotAnObject);
        assert_eq!(problem("{}"), Problem::Missing("run"));
        assert_eq!(problem(r#"{"run": {}}"#), Problem::Missing("run.tool"));
        let no_findings = REPORT.replace("\"findings\": [", "\"found\": [");
        assert_eq!(problem(&no_findings), Problem::Missing("findings"));
        let other = REPORT.replace("rent-audit 0.1.0", "hyperfine 1.18.0");
        assert_eq!(
            problem(&other),
            Problem::NotRentAudit("hyperfine 1.18.0".into())
        );
        let e = parse("LAST.json", no_findings.as_bytes()).expect_err("no findings");
        assert_eq!(
            e.to_string(),
            "LAST.json is not a rent-audit JSON report: missing `findings`"
        );
    }

    #[test]
    fn another_major_version_is_refused() {
        let ours = major(env!("CARGO_PKG_VERSION"));
        let next: u64 = ours.parse::<u64>().expect("a number") + 1;
        let later = REPORT.replace("rent-audit 0.1.0", &format!("rent-audit {next}.0.0"));
        assert!(matches!(problem(&later), Problem::OtherVersion { .. }));
        let minor = REPORT.replace("rent-audit 0.1.0", &format!("rent-audit {ours}.99.3"));
        assert!(parse("LAST.json", minor.as_bytes()).is_ok());
    }

    #[test]
    fn a_bad_field_is_named_and_money_is_never_a_float() {
        let float = REPORT.replace("\"-520.00\"", "-520.0");
        assert!(matches!(problem(&float), Problem::Shape(m) if m.contains("expected a string")));
        let text = REPORT.replace("\"-520.00\"", "\"lots\"");
        assert!(
            matches!(problem(&text), Problem::Shape(m) if m.contains("`lots` is not an amount"))
        );
        let sev = REPORT.replace("\"high\"", "\"dire\"");
        assert!(
            matches!(problem(&sev), Problem::Shape(m) if m.contains("`dire` is not a severity"))
        );
        let day = REPORT.replace("2026-03-31", "31/03/2026");
        assert!(matches!(problem(&day), Problem::Shape(m) if m.contains("not a date")));
    }
}
