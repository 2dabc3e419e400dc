//! SWIFT MT940 customer statements: each `:61:` statement line, with the
//! `:86:` information after it, becomes one bank row. Each statement's
//! opening balance plus its lines must equal its closing balance.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Entry, StatementError};

/// One field: its tag, its text (continuation lines joined by `\n`) and
/// the line it starts on.
struct Field {
    tag: String,
    text: String,
    line: u32,
}

/// A statement being read: its reference and number, for line ids made
/// up where a line has no bank reference of its own.
#[derive(Default)]
struct Statement {
    reference: String,
    number: String,
    opening: Option<(Decimal, u32)>,
    total: Decimal,
    count: usize,
}

/// Reads every statement in `text` (the file `file`).
pub fn read(file: &str, text: &str) -> Result<Vec<Entry>, StatementError> {
    let fields = fields(file, text)?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut at = Statement::default();
    let mut last_61: Option<usize> = None;
    // The `:20:` line of a statement not yet closed by its `:62F:`.
    let mut open_at: Option<u32> = None;
    for f in &fields {
        let bad = |expected: &str| StatementError::malformed(file, f.line, expected, &f.text);
        match f.tag.as_str() {
            "20" => {
                unclosed(file, &at, open_at)?;
                open_at = Some(f.line);
                at = Statement {
                    reference: f.text.trim().to_string(),
                    ..Statement::default()
                };
                last_61 = None;
            }
            "28C" | "28" => at.number = f.text.trim().to_string(),
            "60F" | "60M" => {
                at.opening = Some((balance(&f.text).ok_or_else(|| bad(BALANCE))?, f.line))
            }
            "61" => {
                let mut e = statement_line(&f.text).ok_or_else(|| bad(LINE_61))?;
                at.count += 1;
                at.total += e.amount;
                e.line = f.line;
                e.fallback_id = format!("{}/{}/{}", at.reference, at.number, at.count);
                entries.push(e);
                last_61 = Some(entries.len() - 1);
            }
            "86" => {
                if let Some(i) = last_61.take() {
                    information(&mut entries[i], &f.text);
                }
            }
            "62F" | "62M" => {
                let closing = balance(&f.text).ok_or_else(|| bad(BALANCE))?;
                if at.opening.is_none() {
                    return Err(bad("an opening balance `:60F:` before the closing balance"));
                }
                check_balances(file, &at, closing, f.line)?;
                open_at = None;
                last_61 = None;
            }
            _ => last_61 = None,
        }
    }
    unclosed(file, &at, open_at)?;
    if entries.is_empty() && !fields.iter().any(|f| f.tag == "20") {
        return Err(StatementError::malformed(
            file,
            1,
            "an MT940 statement starting with a `:20:` field",
            text.lines().next().unwrap_or(""),
        ));
    }
    Ok(entries)
}

/// A statement begun on line `open_at` must have ended with its closing
/// balance: without one, a statement cut short passes for a whole one.
fn unclosed(file: &str, at: &Statement, open_at: Option<u32>) -> Result<(), StatementError> {
    match open_at {
        Some(line) => Err(StatementError::malformed(
            file,
            line,
            "each statement to end with its closing balance `:62F:` (this one has none: cut short?)",
            &format!(":20:{}", at.reference),
        )),
        None => Ok(()),
    }
}

const BALANCE: &str = "a balance as C or D, YYMMDD, currency and amount (`C260101GBP1234,56`)";
const LINE_61: &str = "a statement line as YYMMDD[MMDD], C/D/RC/RD, amount with a decimal comma, \
                       transaction type (`NTRF`) and reference (`:61:2601050105C100,00NTRFRA1001//B1`)";

/// Opening balance plus the lines must make the closing balance: a
/// statement cut short or edited by hand would otherwise pass unseen.
fn check_balances(
    file: &str,
    at: &Statement,
    closing: Decimal,
    line: u32,
) -> Result<(), StatementError> {
    match at.opening {
        Some((opening, _)) if opening + at.total != closing => Err(StatementError::Unbalanced {
            file: file.to_string(),
            line,
            opening,
            lines: at.total,
            closing,
        }),
        _ => Ok(()),
    }
}

/// The file's fields, in order, from the `{4:` block of a SWIFT message
/// where there is one; header blocks and `-}` trailers are passed over.
fn fields(file: &str, text: &str) -> Result<Vec<Field>, StatementError> {
    let mut out: Vec<Field> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let mut rest = raw.trim_end_matches(['\r', ' ']);
        // `{1:...}{2:...}{4:` before the first field, on its own line or not.
        while let Some(after) = rest.strip_prefix('{') {
            match after.strip_prefix("4:") {
                Some(body) => rest = body,
                None => rest = after.find('}').map_or("", |end| &after[end + 1..]),
            }
        }
        if rest.is_empty() || rest == "-" || rest.starts_with("-}") {
            continue;
        }
        if let Some((tag, body)) = tag_of(rest) {
            out.push(Field {
                tag: tag.to_string(),
                text: body.to_string(),
                line,
            });
        } else if let Some(f) = out.last_mut() {
            f.text.push('\n');
            f.text.push_str(rest);
        } else {
            return Err(StatementError::malformed(
                file,
                line,
                "an MT940 field such as `:20:` (or a `{1:` SWIFT header)",
                rest,
            ));
        }
    }
    Ok(out)
}

/// `:61:...` into its tag and text: two digits and an optional letter.
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix(':')?;
    let end = body.find(':')?;
    let tag = &body[..end];
    let b = tag.as_bytes();
    let ok = (2..=3).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..].iter().all(u8::is_ascii_uppercase);
    ok.then(|| (tag, &body[end + 1..]))
}

fn date(yymmdd: &str) -> Option<NaiveDate> {
    let n = |r: std::ops::Range<usize>| yymmdd.get(r)?.parse::<u32>().ok();
    let yy = i32::try_from(n(0..2)?).ok()?;
    // Two-digit years: 70-99 are the 1900s, as SWIFT readers take them.
    let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
    NaiveDate::from_ymd_opt(year, n(2..4)?, n(4..6)?)
}

/// `1234,56` (a decimal comma, digits only) as a decimal.
fn amount(text: &str) -> Option<Decimal> {
    let (whole, frac) = text.split_once(',')?;
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    format!("{whole}.{}", if frac.is_empty() { "0" } else { frac })
        .parse()
        .ok()
}

/// `C260101GBP1234,56`, signed (D is negative).
fn balance(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let sign = match text.get(..1)? {
        "C" => Decimal::ONE,
        "D" => Decimal::NEGATIVE_ONE,
        _ => return None,
    };
    date(text.get(1..7)?)?;
    let currency = text.get(7..10)?;
    if !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(sign * amount(text.get(10..)?)?)
}

/// The `:61:` field: value date, optional entry date, mark, optional funds
/// code, amount, transaction type, the owner's reference, and after `//`
/// the bank's; supplementary details on a line of their own.
fn statement_line(text: &str) -> Option<Entry> {
    // Supplementary details, on a second line, are not read.
    let first = text.split('\n').next().unwrap_or(text);
    let value_date = date(first.get(..6)?)?;
    let mut rest = &first[6..];
    // The entry date (MMDD) is optional: a mark follows at once without it.
    if rest
        .get(..4)
        .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    {
        rest = &rest[4..];
    }
    let (mark, sign, after) = match rest.get(..2) {
        Some("RC") => ("RC", Decimal::NEGATIVE_ONE, &rest[2..]),
        Some("RD") => ("RD", Decimal::ONE, &rest[2..]),
        _ => match rest.get(..1)? {
            "C" => ("C", Decimal::ONE, &rest[1..]),
            "D" => ("D", Decimal::NEGATIVE_ONE, &rest[1..]),
            _ => return None,
        },
    };
    rest = after;
    // A funds code: the third letter of the currency.
    if rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        rest = &rest[1..];
    }
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(rest.len());
    let amount = amount(&rest[..digits])?;
    rest = &rest[digits..];
    let code = rest.get(..4)?;
    if !matches!(&code[..1], "N" | "F" | "S") {
        return None;
    }
    let (own, bank) = rest[4..].split_once("//").unwrap_or((&rest[4..], ""));
    // The bank's reference is 16 characters at most; any more is the
    // supplementary details some banks run on.
    let bank: String = bank.chars().take(16).collect();
    let own = own.trim();
    Some(Entry {
        bank_id: Some(bank.trim().to_string()).filter(|b| !b.is_empty() && b != "NONREF"),
        date: value_date,
        amount: sign * amount,
        reference: if own == "NONREF" {
            String::new()
        } else {
            own.to_string()
        },
        method: method(mark, &code[1..], sign),
        ..Entry::default()
    })
}

/// The method a transaction type shows, where it plainly shows one: a
/// credit reversed (RC) or an item returned, on a Direct Debit, is a
/// return; nothing is guessed from other codes.
fn method(mark: &str, code: &str, sign: Decimal) -> Option<&'static str> {
    let out = sign < Decimal::ZERO;
    Some(match code {
        "RTI" if out => "dd_return",
        "DDT" | "DDR" if mark == "RC" => "dd_return",
        "DDT" | "DDR" if mark == "C" => "dd",
        "STO" if !out => "standing_order",
        "TRF" if !out => "bank_transfer",
        "CHK" if !out => "cheque",
        _ => return None,
    })
}

/// Reference and payer from `:86:`: German-style `?20`..`?29` and
/// `?32`/`?33` subfields, SWIFT-style `/REMI/` and `/NAME/` codes, else
/// the free text as the reference.
fn information(e: &mut Entry, text: &str) {
    let flat: String = text.split('\n').collect();
    if let Some(sub) = question_subfields(&flat) {
        let purpose: String = (20..=29)
            .filter_map(|k| sub.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str()))
            .collect();
        // SEPA: `EREF+...SVWZ+purpose`: the purpose is the reference.
        let purpose = purpose
            .split_once("SVWZ+")
            .map_or(purpose.as_str(), |(_, p)| p);
        set(&mut e.reference, purpose);
        let name: String = [32, 33]
            .iter()
            .filter_map(|k| sub.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()))
            .collect();
        set(&mut e.payer, &name);
    } else if let Some(codes) = slash_codes(&flat) {
        let get = |k: &str| codes.iter().find(|(c, _)| c == k).map(|(_, v)| v.as_str());
        if let Some(remi) = get("REMI") {
            set(&mut e.reference, remi.trim_start_matches("USTD//"));
        }
        if let Some(name) = get("NAME") {
            set(&mut e.payer, name);
        }
    } else {
        let free: Vec<&str> = text.split('\n').map(str::trim).collect();
        set(&mut e.reference, &free.join(" "));
    }
}

/// Overwrites `field` with `value` trimmed, where there is a value.
fn set(field: &mut String, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        *field = value.to_string();
    }
}

/// `166?00GUTSCHRIFT?20RA1001?32A LEE`: three digits, then `?NN` subfields.
fn question_subfields(flat: &str) -> Option<Vec<(u32, String)>> {
    let b = flat.as_bytes();
    if b.len() < 4 || !b[..3].iter().all(u8::is_ascii_digit) || b[3] != b'?' {
        return None;
    }
    let mut out = Vec::new();
    for part in flat[4..].split('?') {
        let n = part.get(..2).and_then(|d| d.parse::<u32>().ok())?;
        out.push((n, part[2..].to_string()));
    }
    Some(out)
}

/// `/EREF/X/REMI/RA1001/NAME/A LEE`: codes of two to four capitals
/// between slashes, each followed by its value; `//` inside a value (as in
/// `/ORDP//NAME/`) is kept.
fn slash_codes(flat: &str) -> Option<Vec<(String, String)>> {
    if !flat.starts_with('/') {
        return None;
    }
    let is_code = |s: &str| (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
    let mut out: Vec<(String, String)> = Vec::new();
    let parts: Vec<&str> = flat[1..].split('/').collect();
    let mut i = 0;
    while i < parts.len() {
        if is_code(parts[i]) && i + 1 < parts.len() {
            let code = parts[i].to_string();
            let mut value = parts[i + 1].to_string();
            i += 2;
            while i < parts.len() && !(is_code(parts[i]) && i + 1 < parts.len()) {
                value.push('/');
                value.push_str(parts[i]);
                i += 1;
            }
            out.push((code, value));
        } else {
            match out.last_mut() {
                Some((_, v)) => {
                    v.push('/');
                    v.push_str(parts[i]);
                }
                None => return None,
            }
            i += 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_line_with_or_without_an_entry_date_reads_the_same() {
        for text in [
            "2601050105C100,00NTRFRA1001//BNK1",
            "260105C100,00NTRFRA1001//BNK1",
        ] {
            let e = statement_line(text).unwrap();
            assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
            assert_eq!(e.amount, Decimal::new(10000, 2));
            assert_eq!(e.bank_id.as_deref(), Some("BNK1"));
            assert_eq!(e.reference, "RA1001");
            assert_eq!(e.method, Some("bank_transfer"));
        }
    }

    #[test]
    fn reversals_are_signed_as_swift_has_them() {
        let rc = statement_line("2602130213RC100,00NDDTDDM-1020//R1").unwrap();
        assert_eq!(rc.amount, Decimal::new(-10000, 2));
        assert_eq!(rc.method, Some("dd_return"));
        let rd = statement_line("260213RDR50,NMSCNONREF").unwrap();
        assert_eq!(rd.amount, Decimal::new(50, 0));
        assert_eq!(
            (rd.method, rd.bank_id, rd.reference.as_str()),
            (None, None, "")
        );
        assert!(statement_line("260213X50,NMSC").is_none());
        assert!(statement_line("260213C50.00NMSC").is_none());
    }

    #[test]
    fn information_reads_each_style() {
        let mut e = Entry::default();
        information(
            &mut e,
            "/EREF/NOTPROVIDED/REMI/rent ra-\n1003 Jan/NAME/MISS C MARTIN",
        );
        assert_eq!(
            (e.reference.as_str(), e.payer.as_str()),
            ("rent ra-1003 Jan", "MISS C MARTIN")
        );
        let mut e = Entry::default();
        information(
            &mut e,
            "166?00GUTSCHRIFT?20EREF+X?21SVWZ+RA10\n?2202?32B LEWIS",
        );
        assert_eq!(
            (e.reference.as_str(), e.payer.as_str()),
            ("RA1002", "B LEWIS")
        );
        let mut e = Entry::default();
        information(&mut e, "RENT RA1004\nMS P OKAFOR");
        assert_eq!(
            (e.reference.as_str(), e.payer.as_str()),
            ("RENT RA1004 MS P OKAFOR", "")
        );
    }

    #[test]
    fn a_statement_without_its_closing_balance_is_refused() {
        let whole = ":20:S1\n:25:20000012345678\n:28C:1/1\n:60F:C260101GBP0,00\n\
                     :61:260105C100,00NTRFRA1001//BNK1\n:86:RENT\n:62F:C260105GBP100,00\n";
        assert_eq!(read("s.sta", whole).map(|e| e.len()), Ok(1));
        let cut = &whole[..whole.find(":62F:").unwrap_or(0)];
        let err = read("s.sta", cut)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("s.sta:1: expected each statement to end with its closing balance"),
            "{err}"
        );
        let no_opening = whole.replace(":60F:C260101GBP0,00\n", "");
        let err = read("s.sta", &no_opening)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("an opening balance `:60F:`"), "{err}");
    }
}
