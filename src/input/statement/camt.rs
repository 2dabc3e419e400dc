//! ISO 20022 camt.053 bank-to-customer statements: each booked `<Ntry>`
//! becomes a bank row, or its `<TxDtls>` do where their amounts add up to
//! the entry's to the penny. Opening plus entries must make the closing.

use quick_xml::events::Event;
use quick_xml::Reader;
use rust_decimal::Decimal;

use super::{Entry, Lines, Read, StatementError};

/// Element paths and their text, relative to the `<Ntry>` or `<TxDtls>`
/// they were found in.
#[derive(Default)]
struct Fields {
    line: u32,
    values: Vec<(String, String)>,
}

impl Fields {
    fn get(&self, path: &str) -> Option<&str> {
        (self.values.iter())
            .find(|(p, _)| p == path)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, path: &str) -> Vec<&str> {
        (self.values.iter())
            .filter(|(p, _)| p == path)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn first(&self, paths: &[&str]) -> Option<&str> {
        paths
            .iter()
            .find_map(|p| self.get(p))
            .filter(|v| !v.is_empty())
    }
}

/// An entry being read: its own fields and each transaction's.
#[derive(Default)]
struct Collected {
    entry: Fields,
    details: Vec<Fields>,
}

/// A statement's balances and the entries booked so far.
#[derive(Default)]
struct Statement {
    id: String,
    count: usize,
    total: Decimal,
    opening: Option<Decimal>,
    closing: Option<(Decimal, u32)>,
    balance: Fields,
}

/// Reads every statement in the camt.053 document `text` (the file `file`).
pub fn read(file: &str, text: &str) -> Result<Read, StatementError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut lines = Lines::new(text);
    let mut path: Vec<String> = Vec::new();
    let mut out = Read::default();
    let mut stmt = Statement::default();
    let mut ntry: Option<Collected> = None;
    let mut seen_statement = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let line = lines.line_at(reader.error_position());
            StatementError::malformed(file, line, "well-formed XML", &e.to_string())
        })?;
        let end = reader.buffer_position();
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let line = lines.line_at(end.saturating_sub(1));
                if name == "Amt" {
                    in_pounds(file, line, &e)?;
                }
                opened(&name, line, &path, &mut ntry, &mut seen_statement);
                path.push(name);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let line = lines.line_at(end.saturating_sub(1));
                closed(file, (&name, line), &path, &mut ntry, &mut stmt, &mut out)?;
            }
            Event::Text(t) => {
                let value = t.unescape().map_err(|e| {
                    StatementError::malformed(
                        file,
                        lines.line_at(end),
                        "text with known entities",
                        &e.to_string(),
                    )
                })?;
                text_in(&path, value.trim(), &mut ntry, &mut stmt);
            }
            Event::CData(t) => {
                let value = String::from_utf8_lossy(&t).into_owned();
                text_in(&path, value.trim(), &mut ntry, &mut stmt);
            }
            Event::Eof if !path.is_empty() => {
                return Err(super::arudd::cut_short(
                    file,
                    lines.line_at(text.len() as u64),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_statement {
        return Err(StatementError::malformed(
            file,
            1,
            "a camt.053 document: <Document><BkToCstmrStmt><Stmt>",
            text.lines().next().unwrap_or(""),
        ));
    }
    Ok(out)
}

/// Rent accounts are kept in pounds: an amount in another currency is
/// refused, never read as if it were pounds.
fn in_pounds(
    file: &str,
    line: u32,
    amt: &quick_xml::events::BytesStart<'_>,
) -> Result<(), StatementError> {
    let currency = amt
        .try_get_attribute("Ccy")
        .ok()
        .flatten()
        .map(|a| a.value.into_owned());
    match currency.as_deref() {
        None | Some(b"GBP") => Ok(()),
        Some(other) => Err(StatementError::malformed(
            file,
            line,
            "amounts in pounds (`Ccy=\"GBP\"`)",
            &String::from_utf8_lossy(other),
        )),
    }
}

fn opened(
    name: &str,
    line: u32,
    path: &[String],
    ntry: &mut Option<Collected>,
    seen_statement: &mut bool,
) {
    match (name, ntry.as_mut()) {
        ("Ntry", _) => {
            *ntry = Some(Collected {
                entry: Fields {
                    line,
                    ..Fields::default()
                },
                ..Collected::default()
            })
        }
        ("TxDtls", Some(c)) => c.details.push(Fields {
            line,
            ..Fields::default()
        }),
        ("Stmt", None) if path.last().is_some_and(|p| p == "BkToCstmrStmt") => {
            *seen_statement = true;
        }
        _ => {}
    }
}

/// The path below the last `at` in `path`, joined by `/`.
fn below(path: &[String], at: &str) -> Option<String> {
    let i = path.iter().rposition(|p| p == at)?;
    Some(path[i + 1..].join("/"))
}

fn text_in(path: &[String], value: &str, ntry: &mut Option<Collected>, stmt: &mut Statement) {
    if let Some(c) = ntry.as_mut() {
        if let (Some(rel), Some(d)) = (below(path, "TxDtls"), c.details.last_mut()) {
            d.values.push((rel, value.to_string()));
        } else if let Some(rel) = below(path, "Ntry") {
            c.entry.values.push((rel, value.to_string()));
        }
    } else if let Some(rel) = below(path, "Bal") {
        stmt.balance.values.push((rel, value.to_string()));
    } else if path.len() >= 2 && path[path.len() - 2] == "Stmt" && path[path.len() - 1] == "Id" {
        stmt.id = value.to_string();
    }
}

/// An element ended (`name`, on `line`): an entry read, a balance
/// noted, a statement's balances checked.
fn closed(
    file: &str,
    (name, line): (&str, u32),
    path: &[String],
    ntry: &mut Option<Collected>,
    stmt: &mut Statement,
    out: &mut Read,
) -> Result<(), StatementError> {
    match name {
        "Ntry" => {
            if let Some(c) = ntry.take() {
                stmt.count += 1;
                let before = out.entries.len();
                entry(file, &c, stmt, out)?;
                stmt.total += out.entries[before..]
                    .iter()
                    .map(|e| e.amount)
                    .sum::<Decimal>();
            }
        }
        "Bal" if ntry.is_none() => {
            let b = std::mem::take(&mut stmt.balance);
            let kind = b
                .first(&["Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry"])
                .unwrap_or("");
            let amount = signed(&b, &b).ok();
            match kind {
                "OPBD" | "PRCD" => stmt.opening = stmt.opening.or(amount),
                "CLBD" => stmt.closing = amount.map(|a| (a, line)),
                _ => {}
            }
        }
        "Stmt" if path.last().is_some_and(|p| p == "BkToCstmrStmt") => {
            let s = std::mem::take(stmt);
            // Without both balances a statement cut short or edited by
            // hand could not be told from a whole one.
            let (Some(opening), Some((closing, at))) = (s.opening, s.closing) else {
                return Err(StatementError::malformed(
                    file,
                    line,
                    "an opening (OPBD or PRCD) and a closing (CLBD) <Bal> in each <Stmt>, to check it is whole",
                    "",
                ));
            };
            if opening + s.total != closing {
                return Err(StatementError::Unbalanced {
                    file: file.to_string(),
                    line: at,
                    opening,
                    lines: s.total,
                    closing,
                });
            }
        }
        _ => {}
    }
    Ok(())
}

/// `Amt` signed by `CdtDbtInd` (from `fields`, else from `entry`).
fn signed(fields: &Fields, entry: &Fields) -> Result<Decimal, &'static str> {
    let amount = fields
        .first(&["Amt", "AmtDtls/TxAmt/Amt"])
        .ok_or("an <Amt> element")?;
    let amount: Decimal = (amount.parse::<Decimal>().ok())
        .filter(|a| *a >= Decimal::ZERO && a.scale() <= 2)
        .ok_or("an <Amt> of digits with at most 2 decimal places")?;
    let ind = fields.get("CdtDbtInd").or_else(|| entry.get("CdtDbtInd"));
    match ind {
        Some("CRDT") => Ok(amount),
        Some("DBIT") => Ok(-amount),
        _ => Err("<CdtDbtInd> of CRDT or DBIT"),
    }
}

/// One `<Ntry>` into its bank rows: its transactions where they add up
/// to it, else the entry whole (and a note saying so).
fn entry(
    file: &str,
    c: &Collected,
    stmt: &Statement,
    out: &mut Read,
) -> Result<(), StatementError> {
    let e = &c.entry;
    let bad = |expected: &str| StatementError::malformed(file, e.line, expected, "");
    let status = e.first(&["Sts", "Sts/Cd"]).unwrap_or("BOOK");
    if status != "BOOK" {
        out.notes.push((
            Some(e.line),
            format!("entry with status {status} (not booked) is not read"),
        ));
        return Ok(());
    }
    let amount = signed(e, e).map_err(bad)?;
    let date = (e.first(&["ValDt/Dt", "ValDt/DtTm", "BookgDt/Dt", "BookgDt/DtTm"]))
        .and_then(|d| d.get(..10))
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| bad("a <ValDt> or <BookgDt> holding a date as YYYY-MM-DD"))?;
    let booked = Booked {
        c,
        amount,
        date,
        reversal: matches!(e.get("RvslInd"), Some("true" | "1")),
        fallback: format!("{}/{}", stmt.id, stmt.count),
    };
    let parts: Option<Vec<Decimal>> = (c.details.len() > 1)
        .then(|| c.details.iter().map(|d| signed(d, e).ok()).collect())
        .flatten();
    match parts {
        Some(p) if p.iter().sum::<Decimal>() == amount => booked.push_parts(p, out),
        Some(p) => {
            out.notes.push((
                Some(e.line),
                format!(
                    "entry of {amount} in {file} has {} transactions adding up to {}, not its amount: \
                     kept whole as one line",
                    p.len(),
                    p.iter().sum::<Decimal>()
                ),
            ));
            booked.push_whole(out);
        }
        None if c.details.len() > 1 => {
            out.notes.push((
                Some(e.line),
                format!(
                    "entry of {amount} in {file} has {} transactions, not each with an amount: kept whole as one line",
                    c.details.len()
                ),
            ));
            booked.push_whole(out);
        }
        None => booked.push_whole(out),
    }
    Ok(())
}

/// A booked entry, to become statement lines.
struct Booked<'a> {
    c: &'a Collected,
    amount: Decimal,
    date: chrono::NaiveDate,
    reversal: bool,
    /// The id of a line with no reference of its own: the statement's id
    /// and the entry's place in it.
    fallback: String,
}

impl Booked<'_> {
    /// One line for each transaction, its part of the entry's amount.
    fn push_parts(&self, parts: Vec<Decimal>, out: &mut Read) {
        let e = &self.c.entry;
        for (k, (d, a)) in self.c.details.iter().zip(parts).enumerate() {
            let mut row = line_of(e, Some(d), a, self.reversal);
            row.bank_id = reference_id(d);
            row.fallback_id = format!("{}/{}", self.fallback, k + 1);
            row.date = self.date;
            row.line = d.line;
            out.entries.push(row);
        }
    }

    /// The whole entry as one line.
    fn push_whole(&self, out: &mut Read) {
        let e = &self.c.entry;
        let details = &self.c.details;
        let one = (details.len() == 1).then(|| &details[0]);
        let mut row = line_of(e, one, self.amount, self.reversal);
        row.bank_id = (e.first(&["NtryRef", "AcctSvcrRef"]).map(String::from))
            .or_else(|| one.and_then(reference_id));
        row.fallback_id = self.fallback.clone();
        row.date = self.date;
        out.entries.push(row);
    }
}

/// A transaction's own reference for a line id: the bank's, else the
/// end-to-end id (where the payer gave one).
fn reference_id(d: &Fields) -> Option<String> {
    (d.first(&["Refs/AcctSvcrRef", "Refs/EndToEndId", "Refs/TxId"]))
        .filter(|r| *r != "NOTPROVIDED")
        .map(String::from)
}

/// A bank row of `amount` from entry `e` and, where there is one, the
/// transaction `d` (whose fields come first).
fn line_of(e: &Fields, d: Option<&Fields>, amount: Decimal, reversal: bool) -> Entry {
    let get = |paths: &[&str]| d.and_then(|d| d.first(paths)).or_else(|| e.first(paths));
    let code = |p: &str| get(&[&format!("BkTxCd/Domn/{p}")]).unwrap_or("");
    let method = method(
        code("Cd"),
        code("Fmly/Cd"),
        code("Fmly/SubFmlyCd"),
        amount > Decimal::ZERO,
        reversal,
    );
    let ustrd = d.map(|d| d.all("RmtInf/Ustrd")).unwrap_or_default();
    let reference = if ustrd.is_empty() {
        get(&["RmtInf/Strd/CdtrRefInf/Ref", "AddtlTxInf"])
            .or_else(|| e.first(&["AddtlNtryInf"]))
            .unwrap_or("")
            .to_string()
    } else {
        ustrd.join(" ")
    };
    let debtor = ["RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm"];
    let creditor = ["RltdPties/Cdtr/Nm", "RltdPties/Cdtr/Pty/Nm"];
    // Money in names its debtor; money out its creditor, except a returned
    // Direct Debit, whose debtor is the tenant who paid it.
    let payer = if amount > Decimal::ZERO || method == Some("dd_return") {
        get(&debtor)
    } else {
        get(&creditor)
    };
    let return_code = get(&["RtrInf/Rsn/Prtry"])
        .filter(|c| crate::recon::law::return_code(c).is_some())
        .unwrap_or("");
    Entry {
        amount,
        reference,
        payer: payer.unwrap_or("").to_string(),
        method,
        return_code: return_code.to_string(),
        line: e.line,
        ..Entry::default()
    }
}

/// The method an ISO bank transaction code plainly shows: Direct Debits
/// collected (dd) and returned or reversed (dd_return), credit transfers
/// and standing orders received, card, cash and cheque credits.
fn method(
    domain: &str,
    family: &str,
    sub: &str,
    credit: bool,
    reversal: bool,
) -> Option<&'static str> {
    if domain != "PMNT" {
        return None;
    }
    Some(match family {
        "IDDT" | "RDDT" if !credit && (reversal || matches!(sub, "UPDD" | "PRDD" | "RCDD")) => {
            "dd_return"
        }
        "IDDT" if credit && !reversal => "dd",
        "RCDT" if credit && !reversal && sub == "STDO" => "standing_order",
        "RCDT" if credit && !reversal => "bank_transfer",
        "CCRD" | "MCRD" if credit && !reversal => "card",
        "CNTR" if credit && !reversal && sub == "CDPT" => "cash",
        "RCHQ" if credit && !reversal => "cheque",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BATCH: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
<Ntry>
  <Amt Ccy="GBP">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
  <ValDt><Dt>2026-01-05</Dt></ValDt><AcctSvcrRef>B1</AcctSvcrRef>
  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
  <NtryDtls>
    <TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="GBP">100.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Dbtr><Nm>A LEE &amp; CO</Nm></Dbtr></RltdPties><RmtInf><Ustrd>RA1001</Ustrd></RmtInf></TxDtls>
    <TxDtls><Refs><EndToEndId>E2</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="GBP">AMOUNT</Amt></TxAmt></AmtDtls></TxDtls>
  </NtryDtls>
</Ntry>
</Stmt></BkToCstmrStmt></Document>
"#;

    #[test]
    fn a_batch_splits_only_where_its_parts_add_up() {
        let whole = read("b.xml", &BATCH.replace("AMOUNT", "40.00")).unwrap();
        assert_eq!(whole.entries.len(), 1, "100 + 40 is not 150");
        assert_eq!(whole.entries[0].bank_id.as_deref(), Some("B1"));
        assert_eq!(whole.entries[0].line, 5);
        assert_eq!(whole.notes.len(), 1);
        let split = read("b.xml", &BATCH.replace("AMOUNT", "50.00")).unwrap();
        let ids: Vec<_> = split.entries.iter().map(|e| e.bank_id.clone()).collect();
        assert_eq!(ids, [Some("E1".to_string()), Some("E2".to_string())]);
        assert_eq!(split.entries[0].payer, "A LEE & CO");
        assert_eq!(split.entries[0].reference, "RA1001");
        assert_eq!(split.entries[0].method, Some("bank_transfer"));
        assert_eq!(split.entries[1].line, 12);
    }

    #[test]
    fn a_statement_cut_short_or_without_its_balances_is_refused() {
        let whole = BATCH.replace("AMOUNT", "50.00");
        let cut = &whole[..whole.find("</Stmt>").unwrap_or(0)];
        let err = read("c.xml", cut)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("cut short?"), "{err}");
        let euros = whole.replace(r#"<Amt Ccy="GBP">150.00"#, r#"<Amt Ccy="EUR">150.00"#);
        let err = read("c.xml", &euros)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("amounts in pounds"), "{err}");
        let no_closing = whole.replace("<Cd>CLBD</Cd>", "<Cd>ITBD</Cd>");
        let err = read("c.xml", &no_closing)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("c.xml:15: expected an opening (OPBD or PRCD) and a closing (CLBD)"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_amount_names_its_entry() {
        let bad = BATCH.replace("150.00", "1,50");
        let e = read("b.xml", &bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.xml:5: expected an <Amt> of digits with at most 2 decimal places"
        );
    }
}
