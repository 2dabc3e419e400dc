//! Code tables: every code a column holds anywhere in the file, counted,
//! with a guess at its contract word. A code nobody can guess is still read,
//! in the way that can only make the tool hold, never clear (see
//! docs/profile-init.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::recon::model::{Benefit, Method, PostingKind, RentPeriod, TenancyType};

/// Distinct values past which a column is no column of codes.
pub(super) const MAX_CODES: usize = 200;

/// One code's rows.
#[derive(Debug, Default)]
pub(super) struct CodeStat {
    /// The code as first written (codes match case-insensitively).
    pub spelling: String,
    pub rows: u64,
    /// Rows whose money is a debit (money out, on a statement) or a credit.
    pub debits: u64,
    pub credits: u64,
    pub first_line: u64,
    /// The first row's narrative, where the file has one.
    pub example: Option<String>,
}

/// The codes of one column, keyed lower-cased.
#[derive(Debug, Default)]
pub(super) struct CodeCounts {
    pub codes: BTreeMap<String, CodeStat>,
    pub too_many: bool,
}

impl CodeCounts {
    pub fn see(&mut self, code: String, debit: Option<bool>, line: u64, example: Option<&str>) {
        if self.too_many {
            return;
        }
        let key = code.to_lowercase();
        if !self.codes.contains_key(&key) && self.codes.len() == MAX_CODES {
            self.too_many = true;
            self.codes.clear();
            return;
        }
        let stat = self.codes.entry(key).or_insert_with(|| CodeStat {
            spelling: code,
            first_line: line,
            example: example
                .filter(|e| !e.is_empty())
                .map(|e| e.chars().take(40).collect()),
            ..CodeStat::default()
        });
        stat.rows += 1;
        match debit {
            Some(true) => stat.debits += 1,
            Some(false) => stat.credits += 1,
            None => {}
        }
    }

    /// Whether the column holds free text, not codes: most of its values
    /// have spaces, and either most are seen once (a file of a few rows
    /// needs five values to tell), or three or more go on after the same
    /// two words (`Transfer from A STONE`, `Transfer from C LANE`): a name or
    /// a reference is in them. A table of such values would list each payer
    /// as a code, and next month's new payer would stop the reader.
    pub fn is_free_text(&self) -> bool {
        let distinct = self.codes.len();
        let rows: u64 = self.codes.values().map(|s| s.rows).sum();
        let spaced = self.codes.keys().filter(|k| k.trim().contains(' ')).count();
        if distinct < 3 || spaced * 2 <= distinct {
            return false;
        }
        let once = self.codes.values().filter(|s| s.rows == 1).count();
        let mostly_once = distinct >= 5 && once * 2 > distinct && distinct as u64 * 2 > rows;
        let mut after_two_words: BTreeMap<String, usize> = BTreeMap::new();
        for key in self.codes.keys() {
            let words: Vec<&str> = key.split_whitespace().collect();
            if words.len() > 2 {
                *after_two_words.entry(words[..2].join(" ")).or_default() += 1;
            }
        }
        mostly_once || after_two_words.values().any(|n| *n >= 3)
    }

    /// Whether every value is blank: a column the export leaves empty.
    pub fn all_blank(&self) -> bool {
        self.codes.keys().all(|k| k.trim().is_empty())
    }

    /// Whether every code is already a contract word for `field`.
    pub fn all_words(&self, field: &str) -> bool {
        let is_word = |w: &str| match field {
            "kind" => PostingKind::from_word(w).is_some(),
            "method" => Method::from_word(w).is_some(),
            "tenancy_type" => TenancyType::from_word(w).is_some(),
            "rent_period" => RentPeriod::from_word(w).is_some(),
            "benefit" => Benefit::from_word(w).is_some(),
            _ => false,
        };
        self.codes.keys().all(|k| is_word(k))
    }
}

/// A ledger code's kind: its guess, where the rows' money agrees with it.
pub(super) fn ledger_kind(stat: &CodeStat) -> Option<&'static str> {
    let kind = guess_kind(&stat.spelling)?;
    let agrees = match kind {
        "charge" | "refund" | "reversal" => stat.credits == 0,
        "payment" | "benefit" | "writeoff" => stat.debits == 0,
        _ => true,
    };
    agrees.then_some(kind)
}

/// A ledger transaction code's kind, from the words and letters such codes
/// are made of.
pub(super) fn guess_kind(code: &str) -> Option<&'static str> {
    if let Some(w) = PostingKind::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    let c = code.to_uppercase();
    let has = |s: &str| c.contains(s);
    Some(
        if charge_type(code).is_some() || has("RENT") || has("RNT") || has("CHG") || c == "CH" {
            "charge"
        } else if has("W/O") || has("WOF") || c.starts_with("WO") || has("WRITE") {
            "writeoff"
        } else if has("REV") || has("DDR") || has("RTN") || has("RET") || has("UNPAID") {
            "reversal"
        } else if has("REF") || has("RFD") {
            "refund"
        } else if has("ADJ") {
            "adjustment"
        } else if has("HB") || has("UC") || has("BEN") || has("DHP") {
            "benefit"
        } else if has("PAY")
            || has("RCPT")
            || has("CASH")
            || has("CHQ")
            || has("CHEQUE")
            || c.starts_with('P')
        {
            "payment"
        } else {
            return None;
        },
    )
}

/// The sundry debt a charge code names, where it names one.
pub(super) fn charge_type(code: &str) -> Option<&'static str> {
    let c = code.to_uppercase();
    let has = |s: &str| c.contains(s);
    Some(if has("COURT") || c == "CCT" || c == "CRT" {
        "court_costs"
    } else if has("RECHARGE") || c == "RCH" {
        "recharge"
    } else if c == "FTA" || has("FORMER") {
        "former_tenant_arrears"
    } else if c == "HBO" || has("OVERPAY") {
        "hb_overpayment"
    } else if has("SUNDRY") || c == "SUN" {
        "sundry"
    } else {
        return None;
    })
}

/// The method a ledger code of `kind` implies, where it implies one.
pub(super) fn ledger_method(code: &str, kind: &str) -> Option<&'static str> {
    if !matches!(kind, "payment" | "benefit" | "refund" | "reversal") {
        return None;
    }
    if let Some(w) = Method::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    let c = code.to_uppercase();
    let has = |s: &str| c.contains(s);
    Some(if has("DD") {
        "dd"
    } else if has("HB") {
        "hb"
    } else if has("UC") {
        "uc"
    } else if has("DHP") {
        "dhp"
    } else if has("CHQ") || has("CHEQUE") {
        "cheque"
    } else if has("CASH") || has("CSH") || has("CS") {
        "cash"
    } else if has("CARD") || has("CRD") || has("CD") {
        "card"
    } else if has("STO") || has("SO") {
        "standing_order"
    } else if has("BT") || has("BACS") || has("BGC") || has("FP") || has("TFR") || kind == "refund"
    {
        "bank_transfer"
    } else {
        return None;
    })
}

/// A bank statement's transaction type as a method.
pub(super) fn bank_method(code: &str) -> Option<&'static str> {
    if let Some(w) = Method::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    Some(match code.to_uppercase().as_str() {
        "DD" | "DDI" | "D/D" | "DIRECT DEBIT" => "dd",
        "SO" | "STO" | "S/O" | "STANDING ORDER" => "standing_order",
        "BGC" | "CR" | "FPI" | "TFR" | "BACS" | "BP" | "FPO" | "BAC" => "bank_transfer",
        "FASTER PAYMENT" | "BACS CREDIT" | "DIRECT CREDIT" | "FUNDS TRANSFER" | "CHAPS" => {
            "bank_transfer"
        }
        "CRD" | "CARD" | "DEB" => "card",
        "CSH" | "CASH" => "cash",
        "CHQ" | "CHEQUE" => "cheque",
        "DDR" | "UNPAID" | "RETURN" => "dd_return",
        _ => return None,
    })
}

pub(super) fn tenancy(code: &str) -> Option<&'static str> {
    if let Some(w) = TenancyType::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    Some(match code.to_uppercase().as_str() {
        "AT" | "ASSURED" | "A" => "assured",
        "AST" | "ASSURED SHORTHOLD" => "assured_shorthold",
        "SEC" | "SECURE" | "S" => "secure",
        "INT" | "INTRO" | "INTRODUCTORY" => "introductory",
        "STA" | "STARTER" | "ST" => "starter",
        "LIC" | "LICENCE" | "LICENSE" => "licence",
        _ => return None,
    })
}

pub(super) fn period(code: &str) -> Option<&'static str> {
    if let Some(w) = RentPeriod::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    Some(match code.to_uppercase().as_str() {
        "W" | "WK" | "WEEKLY" | "1W" => "weekly",
        "F" | "2W" | "FN" | "FORTNIGHTLY" => "fortnightly",
        "4W" | "FW" | "4 WEEKLY" | "FOUR WEEKLY" => "four_weekly",
        "M" | "CM" | "MONTHLY" | "PCM" => "monthly",
        _ => return None,
    })
}

pub(super) fn benefit(code: &str) -> Option<&'static str> {
    if let Some(w) = Benefit::from_word(&code.trim().to_lowercase()) {
        return Some(w.as_str());
    }
    Some(match code.to_uppercase().as_str() {
        "HB" | "HOUSING BENEFIT" => "hb",
        "UC" | "UNIVERSAL CREDIT" | "APA" | "MPTL" => "uc",
        "N" | "NONE" | "NO" | "" => "none",
        _ => return None,
    })
}

/// One code table's entries, written under its `map`.
pub(super) struct Entry {
    pub word: String,
    pub comment: String,
}

/// Writes a code table on `column` setting `field`.
pub(super) fn write_table(
    out: &mut String,
    section: &str,
    (column, field): (&str, &str),
    heading: &str,
    default: Option<&str>,
    entries: &[(&CodeStat, Entry)],
) {
    let _ = writeln!(out, "\n[[{section}.codes]]  # {heading}");
    let _ = writeln!(out, "column = {column:?}\nset = {field:?}");
    if let Some(d) = default {
        let _ = writeln!(out, "default = {d:?}");
    }
    let _ = writeln!(out, "[{section}.codes.map]");
    for (stat, e) in entries {
        let _ = writeln!(out, "{:?} = {:?}  # {}", stat.spelling, e.word, e.comment);
    }
}

/// How a code's rows are described in a comment: `12 rows (credits), e.g.
/// line 37 "Suspense transfer"`.
pub(super) fn described(stat: &CodeStat) -> String {
    let rows = if stat.rows == 1 { "row" } else { "rows" };
    let flow = match (stat.debits, stat.credits) {
        (0, 0) => "",
        (_, 0) => " (debits)",
        (0, _) => " (credits)",
        _ => " (debits and credits)",
    };
    let mut s = format!("{} {rows}{flow}, e.g. line {}", stat.rows, stat.first_line);
    if let Some(e) = &stat.example {
        let _ = write!(s, " {e:?}");
    }
    s
}
