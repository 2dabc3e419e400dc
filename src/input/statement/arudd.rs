//! Bacs ARUDD reports (Automated Return of Unpaid Direct Debits): each
//! returned item joins the statement line that shows its money, so that no
//! return is counted twice and the bank total stays the statement's.

use chrono::{Days, NaiveDate};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use rust_decimal::Decimal;

use super::{Entry, Lines, Read, StatementError};

/// One returned Direct Debit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub file: String,
    pub line: u32,
    /// The Direct Debit reference (the mandate reference).
    pub reference: String,
    pub code: String,
    pub payer: String,
    /// The money returned, positive.
    pub amount: Decimal,
    /// The report's processing date.
    pub date: NaiveDate,
}

/// Reads every returned item in the ARUDD report `text` (the file `file`).
pub fn read(file: &str, text: &str) -> Result<Vec<Item>, StatementError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut lines = Lines::new(text);
    let mut report = Report::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            StatementError::malformed(
                file,
                lines.line_at(reader.error_position()),
                "well-formed XML",
                &e.to_string(),
            )
        })?;
        let line = lines.line_at(reader.buffer_position().saturating_sub(1));
        match event {
            Event::Start(e) => {
                report.depth += 1;
                report.element(file, line, &e, false)?;
            }
            Event::Empty(e) => report.element(file, line, &e, true)?,
            Event::End(e) => {
                report.depth = report.depth.saturating_sub(1);
                report.in_item &= e.local_name().as_ref() != b"ReturnedDebitItem";
            }
            Event::Eof if report.depth > 0 => {
                return Err(cut_short(file, lines.line_at(text.len() as u64)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !report.seen {
        return Err(StatementError::malformed(
            file,
            1,
            "a Bacs ARUDD report: <BACSDocument><Data><ARUDD>",
            text.lines().next().unwrap_or(""),
        ));
    }
    Ok(report.items)
}

/// A report as read so far.
#[derive(Default)]
struct Report {
    items: Vec<Item>,
    /// Elements open.
    depth: usize,
    /// Whether an `<ARUDD>` element was seen.
    seen: bool,
    /// The report's processing date, from its header.
    date: Option<NaiveDate>,
    /// Whether the last item is open, for the payer inside it.
    in_item: bool,
}

impl Report {
    /// Takes what an element opened at `line` (`empty`: closed as opened)
    /// holds.
    fn element(
        &mut self,
        file: &str,
        line: u32,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), StatementError> {
        let attr = |name: &str| attribute(e, name);
        match e.local_name().as_ref() {
            b"ARUDD" => self.seen = true,
            b"Header" if self.seen => {
                let d = attr("currentProcessingDate").unwrap_or_default();
                let date = iso_date(&d).ok_or_else(|| {
                    let expected = "a currentProcessingDate as YYYY-MM-DD";
                    StatementError::malformed(file, line, expected, &d)
                })?;
                self.date = Some(date);
            }
            b"ReturnedDebitItem" => {
                let date = self.date.ok_or_else(|| {
                    let expected = "a <Header currentProcessingDate=...> before the items";
                    StatementError::malformed(file, line, expected, "")
                })?;
                self.items.push(item(file, line, date, &attr)?);
                self.in_item = !empty;
            }
            b"PayerAccount" if self.in_item => {
                if let (Some(i), Some(name)) = (self.items.last_mut(), attr("name")) {
                    i.payer = name;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()))
}

fn iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

fn item(
    file: &str,
    line: u32,
    date: NaiveDate,
    attr: &dyn Fn(&str) -> Option<String>,
) -> Result<Item, StatementError> {
    let value = attr("valueOf").unwrap_or_default();
    let amount = (value.parse::<Decimal>().ok())
        .filter(|a| *a > Decimal::ZERO && a.scale() <= 2)
        .ok_or_else(|| {
            StatementError::malformed(
                file,
                line,
                "a valueOf above zero with at most 2 decimal places",
                &value,
            )
        })?;
    let reference = attr("ref").filter(|r| !r.is_empty()).ok_or_else(|| {
        StatementError::malformed(
            file,
            line,
            "a ref (the Direct Debit reference) on the item",
            "",
        )
    })?;
    let code = attr("returnCode").unwrap_or_default();
    if crate::recon::law::return_code(&code).is_none() {
        return Err(StatementError::malformed(
            file,
            line,
            "a Bacs returnCode (0-9, A, B)",
            &code,
        ));
    }
    Ok(Item {
        file: file.to_string(),
        line,
        reference,
        code,
        payer: String::new(),
        amount,
        date,
    })
}

/// Reference text as compared: capitals and digits only.
fn key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn in_window(item_date: NaiveDate, on: NaiveDate) -> bool {
    let from = item_date
        .checked_sub_days(Days::new(3))
        .unwrap_or(NaiveDate::MIN);
    let to = item_date
        .checked_add_days(Days::new(7))
        .unwrap_or(NaiveDate::MAX);
    (from..=to).contains(&on)
}

/// Joins `items` to the statement's lines, in order: (1) an item takes the
/// one statement debit of its amount, dated from 3 days before the report
/// to 7 after, whose reference is the item's mandate reference, else the
/// only such `dd_return` line; it adds its reason code, mandate reference
/// and payer name. (2) A report's items left over take one `dd_return`
/// debit of exactly their sum in that window, which becomes the items (a
/// bank showing a day's returns as one debit). (3) Any item still left is
/// not added: the statement shows no such money. It is a warning, holding
/// every account.
pub fn join(read: &mut Read, items: Vec<Item>) {
    let mut taken = vec![false; read.entries.len()];
    let mut left: Vec<Item> = Vec::new();
    for item in items {
        let fits = |e: &Entry| {
            e.amount == -item.amount
                && in_window(item.date, e.date)
                && matches!(e.method, None | Some("dd_return"))
        };
        let named = (0..read.entries.len()).find(|&i| {
            !taken[i]
                && fits(&read.entries[i])
                && key(&read.entries[i].reference) == key(&item.reference)
        });
        let returns: Vec<usize> = (0..read.entries.len())
            .filter(|&i| {
                !taken[i] && fits(&read.entries[i]) && read.entries[i].method == Some("dd_return")
            })
            .collect();
        let only = (returns.len() == 1).then(|| returns[0]);
        match named.or(only) {
            Some(i) => {
                taken[i] = true;
                annotate(&mut read.entries[i], &item);
            }
            None => left.push(item),
        }
    }
    let left = split_bulk(read, &mut taken, left);
    for item in left {
        read.notes.push((
            None,
            format!(
                "{}:{}: the ARUDD return of {} on {} (reference {:?}, code {}) matches no line of the statement, \
                 so it is not in this run: check the statement covers that day",
                item.file, item.line, item.amount, item.date, item.reference, item.code
            ),
        ));
    }
}

fn annotate(e: &mut Entry, item: &Item) {
    e.method = Some("dd_return");
    e.return_code.clone_from(&item.code);
    if key(&e.reference) != key(&item.reference) {
        e.reference.clone_from(&item.reference);
    }
    if e.payer.is_empty() {
        e.payer.clone_from(&item.payer);
    }
}

/// Step 2: each report's items left, as one `dd_return` debit of their sum.
fn split_bulk(read: &mut Read, taken: &mut Vec<bool>, left: Vec<Item>) -> Vec<Item> {
    let mut reports: Vec<(String, NaiveDate)> =
        left.iter().map(|i| (i.file.clone(), i.date)).collect();
    reports.dedup();
    let mut still = Vec::new();
    for (file, date) in reports {
        let group: Vec<&Item> = left
            .iter()
            .filter(|i| i.file == file && i.date == date)
            .collect();
        let sum: Decimal = group.iter().map(|i| i.amount).sum();
        let bulk = (0..read.entries.len()).find(|&i| {
            let e = &read.entries[i];
            !taken[i]
                && e.amount == -sum
                && e.method == Some("dd_return")
                && in_window(date, e.date)
        });
        let Some(b) = bulk else {
            still.extend(group.into_iter().cloned());
            continue;
        };
        let whole = read.entries[b].clone();
        let base = whole
            .bank_id
            .clone()
            .unwrap_or_else(|| whole.fallback_id.clone());
        let parts: Vec<Entry> = (group.iter().enumerate())
            .map(|(k, item)| {
                let mut e = Entry {
                    bank_id: None,
                    fallback_id: format!("{base}/{}", k + 1),
                    amount: -item.amount,
                    reference: String::new(),
                    payer: String::new(),
                    ..whole.clone()
                };
                annotate(&mut e, item);
                e
            })
            .collect();
        let n = parts.len();
        read.entries.splice(b..=b, parts);
        taken.splice(b..=b, std::iter::repeat_n(true, n));
    }
    still
}

/// A document that ends with elements still open: cut short in sending or
/// saving, so some of its items may be missing.
pub(super) fn cut_short(file: &str, line: u32) -> StatementError {
    StatementError::malformed(
        file,
        line,
        "the document to close every element it opens (it ends inside one: cut short?)",
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<BACSDocument><Data><ARUDD>
<Header reportType="REPORT" adviceNumber="001" currentProcessingDate="2026-02-13"/>
<Advice><OriginatingAccountRecords><OriginatingAccountRecord>
<ReturnedDebitItem ref="DDM-1020" transCode="17" returnCode="0" returnDescription="REFER TO PAYER" originalProcessingDate="2026-02-09" valueOf="100.00" currency="GBP">
  <PayerAccount number="12345678" ref="DDM-1020" name="Q HALE" sortCode="000000" bankName="BANK"/>
</ReturnedDebitItem>
<ReturnedDebitItem ref="DDM-1001" transCode="17" returnCode="2" returnDescription="PAYER DECEASED" originalProcessingDate="2026-02-09" valueOf="50.00" currency="GBP">
  <PayerAccount number="1" ref="DDM-1001" name="A HASSAN" sortCode="000000" bankName="BANK"/>
</ReturnedDebitItem>
</OriginatingAccountRecord></OriginatingAccountRecords></Advice>
</ARUDD></Data></BACSDocument>
"#;

    fn line(amount: i64, reference: &str, method: Option<&'static str>) -> Entry {
        Entry {
            bank_id: Some(format!("B{amount}")),
            date: NaiveDate::from_ymd_opt(2026, 2, 13).unwrap(),
            amount: Decimal::new(amount, 0),
            reference: reference.to_string(),
            method,
            line: 9,
            ..Entry::default()
        }
    }

    #[test]
    fn items_read_with_their_lines_and_payers() {
        let items = read("arudd.xml", REPORT).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (
                items[0].line,
                items[0].payer.as_str(),
                items[0].code.as_str()
            ),
            (5, "Q HALE", "0")
        );
        assert_eq!(items[1].amount, Decimal::new(5000, 2));
    }

    #[test]
    fn an_item_annotates_its_line_and_adds_no_money() {
        let items = read("arudd.xml", REPORT).unwrap();
        let mut r = Read {
            entries: vec![
                line(-100, "DDM-1020", None),
                line(-50, "UNPAID DD", Some("dd_return")),
            ],
            notes: Vec::new(),
        };
        join(&mut r, items);
        assert_eq!(r.entries.len(), 2);
        assert_eq!(
            (r.entries[0].method, r.entries[0].return_code.as_str()),
            (Some("dd_return"), "0")
        );
        assert_eq!(
            (r.entries[1].reference.as_str(), r.entries[1].payer.as_str()),
            ("DDM-1001", "A HASSAN")
        );
        assert!(r.notes.is_empty());
    }

    #[test]
    fn a_bulk_debit_of_the_items_sum_becomes_the_items() {
        let items = read("arudd.xml", REPORT).unwrap();
        let mut r = Read {
            entries: vec![line(-150, "BACS RETURNS", Some("dd_return"))],
            notes: Vec::new(),
        };
        join(&mut r, items.clone());
        let total: Decimal = r.entries.iter().map(|e| e.amount).sum();
        assert_eq!((r.entries.len(), total), (2, Decimal::new(-150, 0)));
        assert_eq!(r.entries[1].fallback_id, "B-150/2");
        // A debit of another sum is left alone, and the items only warned of.
        let mut r = Read {
            entries: vec![line(-140, "BACS RETURNS", Some("dd_return"))],
            notes: Vec::new(),
        };
        join(&mut r, items);
        assert_eq!(r.entries.len(), 1);
        assert_eq!(r.notes.len(), 2);
        assert!(r.notes[0]
            .1
            .starts_with("arudd.xml:5: the ARUDD return of 100.00"));
    }
}
