//! Writing `check`: the verdicts, balances, findings, protocol checklist and
//! (with --statement) the rent statement, as text, Markdown, JSON, CSV or
//! HTML.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::json::{indented, write_array};
use super::view::{finding_view, warning_views, FindingView};
use crate::escape;
use crate::recon::case::{CaseFacts, Instalments, NospState};
use crate::recon::check::{AccountCheck, Decision, StatementLine, Tick};
use crate::recon::model::AccountId;
use crate::recon::money::{plain, pounds};
use crate::recon::{Assessment, Dataset, Reconciliation};
use crate::term::{paint, Colour};

pub struct View<'a> {
    pub data: &'a Dataset,
    pub recon: &'a Reconciliation,
    pub checks: &'a [AccountCheck<'a>],
    /// One per check, when asked for.
    pub statements: &'a [Vec<StatementLine>],
    pub since: NaiveDate,
    /// The input files read, for the fingerprint.
    pub inputs: &'a [super::InputFile],
    /// Colour the verdicts (a terminal without NO_COLOR).
    pub colour: bool,
}

fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::MayProceed => "may_proceed",
        Decision::Hold => "hold",
        Decision::DoNotServe => "do_not_serve",
    }
}

#[derive(Serialize)]
struct ItemJson {
    item: &'static str,
    /// `passed`, `failed` or `confirm` (for the officer).
    state: &'static str,
    answer: Option<String>,
    outstanding: bool,
    for_the_officer: bool,
}

#[derive(Serialize)]
struct HoldJson {
    reason: &'static str,
    detail: String,
    clears_when: &'static str,
}

#[derive(Serialize)]
struct LineJson {
    date: String,
    description: String,
    debit: String,
    credit: String,
    posted_balance: String,
    corrected_balance: String,
    correction: Option<&'static str>,
    /// The case event's kind, on a line from cases.csv.
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<&'static str>,
    evidence: Vec<String>,
    note: String,
}

#[derive(Serialize)]
struct CheckJson {
    account_ref: String,
    tenant_name: String,
    decision: &'static str,
    verdict: String,
    status: &'static str,
    posted_balance: String,
    corrected_balance: String,
    rent_arrears: String,
    sundry_debt: String,
    arrears_weeks: String,
    technical_arrears: String,
    trigger: String,
    statutory_threshold: Option<String>,
    statutory_arrears: String,
    reaches_statutory: Option<bool>,
    findings: Vec<FindingView>,
    holds: Vec<HoldJson>,
    checklist: Vec<ItemJson>,
    /// The checklist items the officer must confirm: the data cannot answer them.
    to_confirm: Vec<&'static str>,
    /// The case from cases.csv, where the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<CaseJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement: Option<Vec<LineJson>>,
}

#[derive(Serialize)]
struct CaseJson {
    events: Vec<CaseEventJson>,
    breathing_space: Option<SpanJson>,
    arrangement: Option<InstalmentsJson>,
    order: Option<OrderJson>,
    nosp: Option<NospJson>,
    contacts: usize,
    last_contact: Option<String>,
    benefit_referrals: usize,
    last_benefit_referral: Option<String>,
}

#[derive(Serialize)]
struct CaseEventJson {
    kind: &'static str,
    from: String,
    to: Option<String>,
    amount: Option<String>,
    note: Option<String>,
    evidence: String,
}

#[derive(Serialize)]
struct SpanJson {
    from: String,
    to: Option<String>,
}

#[derive(Serialize)]
struct InstalmentsJson {
    from: String,
    amount: String,
    towards_arrears: String,
    kept: bool,
    periods: usize,
    missed: Vec<String>,
    start_balance: String,
    agreed_balance: String,
    balance: String,
    allowed: String,
}

#[derive(Serialize)]
struct OrderJson {
    made: String,
    kind: Option<&'static str>,
    terms: Option<InstalmentsJson>,
}

#[derive(Serialize)]
struct NospJson {
    served: String,
    state: &'static str,
    /// Proceedings may begin from (not yet active), until (in force), or
    /// it lapsed on (lapsed).
    date: String,
}

fn instalments_json(a: &Instalments) -> InstalmentsJson {
    InstalmentsJson {
        from: a.from.to_string(),
        amount: plain(a.amount),
        towards_arrears: plain(a.towards_arrears),
        kept: a.kept(),
        periods: a.periods,
        missed: a.missed.iter().map(|d| d.to_string()).collect(),
        start_balance: plain(a.start_balance),
        agreed_balance: plain(a.expected),
        balance: plain(a.actual),
        allowed: plain(a.allowed),
    }
}

fn case_json(data: &Dataset, id: AccountId, case: &CaseFacts) -> CaseJson {
    let day = |d: NaiveDate| d.to_string();
    CaseJson {
        events: (data.cases_of(id).iter())
            .map(|e| CaseEventJson {
                kind: e.kind.as_str(),
                from: day(e.from),
                to: e.to.map(day),
                amount: e.amount.map(plain),
                note: e.note.as_ref().map(|n| n.to_string()),
                evidence: data.sources.cite(e.row),
            })
            .collect(),
        breathing_space: case.breathing_space.map(|(from, to)| SpanJson {
            from: day(from),
            to: to.map(day),
        }),
        arrangement: case.arrangement.as_ref().map(instalments_json),
        order: case.order.as_ref().map(|o| OrderJson {
            made: day(o.made),
            kind: o.kind.map(|k| k.as_str()),
            terms: o.terms.as_ref().map(instalments_json),
        }),
        nosp: case.nosp.map(|n| match n {
            NospState::NotYetActive {
                served,
                active_from,
            } => NospJson {
                served: day(served),
                state: "not_yet_active",
                date: day(active_from),
            },
            NospState::InForce { served, until } => NospJson {
                served: day(served),
                state: "in_force",
                date: day(until),
            },
            NospState::Lapsed { served, lapsed_on } => NospJson {
                served: day(served),
                state: "lapsed",
                date: day(lapsed_on),
            },
        }),
        contacts: case.contacts,
        last_contact: case.last_contact.map(day),
        benefit_referrals: case.referrals,
        last_benefit_referral: case.last_referral.map(day),
    }
}

fn line_json(l: &StatementLine) -> LineJson {
    LineJson {
        date: l.date.to_string(),
        description: l.description.clone(),
        debit: plain(l.debit),
        credit: plain(l.credit),
        posted_balance: plain(l.posted),
        corrected_balance: plain(l.corrected),
        correction: l.correction.map(|k| k.as_str()),
        case: l.case.map(|k| k.as_str()),
        evidence: l.evidence.clone(),
        note: l.note.clone(),
    }
}

/// `check`'s formats (the command line maps its own choices onto these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Markdown,
    Json,
    /// The rent statement.
    Csv,
    Html,
}

pub fn write(view: &View<'_>, format: CheckFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        CheckFormat::Text => text(view, out, false),
        CheckFormat::Markdown => text(view, out, true),
        CheckFormat::Json => json(view, out),
        CheckFormat::Csv => csv(view, out),
        CheckFormat::Html => super::html::write_check(view, out),
    }
}

/// The checks as one JSON document, as `serde_json::to_writer_pretty`
/// writes it: each account's check rendered in parallel and written as it
/// is made (a list may name every account).
fn json(view: &View<'_>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&json_head(view)?)?;
    write_array(view.checks, |i, c| check_json(view, i, c), out)?;
    out.write_all(b"\n}\n")
}

/// The document up to its checks: the run, its inputs and warnings.
fn json_head(view: &View<'_>) -> io::Result<Vec<u8>> {
    let mut head = b"{\n  \"tool\": ".to_vec();
    indented(
        &format!("rent-audit {}", env!("CARGO_PKG_VERSION")),
        b"  ",
        &mut head,
    )?;
    head.extend_from_slice(b",\n  \"inputs\": ");
    indented(&view.inputs, b"  ", &mut head)?;
    head.extend_from_slice(b",\n  \"as_at\": ");
    indented(&view.recon.as_at.to_string(), b"  ", &mut head)?;
    head.extend_from_slice(b",\n  \"trigger\": ");
    indented(&view.recon.settings.trigger.to_string(), b"  ", &mut head)?;
    head.extend_from_slice(b",\n  \"settings_from\": ");
    let origins: std::collections::BTreeMap<&str, &str> =
        view.recon.settings.origins.iter().copied().collect();
    indented(&origins, b"  ", &mut head)?;
    head.extend_from_slice(b",\n  \"warnings\": ");
    indented(&warning_views(view.data, view.recon), b"  ", &mut head)?;
    head.extend_from_slice(b",\n  \"checks\": ");
    Ok(head)
}

/// The `i`th account's check: its balances, findings, checklist, holds,
/// case and statement.
fn check_json(view: &View<'_>, i: usize, c: &AccountCheck<'_>) -> CheckJson {
    let a = c.assessment;
    let account = view.data.account(c.account);
    CheckJson {
        account_ref: account.account_ref.to_string(),
        tenant_name: account.tenant_name.to_string(),
        decision: decision_word(c.decision),
        verdict: c.verdict.clone(),
        status: a.status.as_str(),
        posted_balance: plain(a.posted_balance),
        corrected_balance: plain(a.corrected_balance),
        rent_arrears: plain(a.rent_arrears),
        sundry_debt: plain(a.sundry_debt),
        arrears_weeks: plain(a.arrears_weeks),
        technical_arrears: plain(a.technical_arrears),
        trigger: plain(a.trigger),
        statutory_threshold: a.statutory.threshold.map(plain),
        statutory_arrears: plain(a.statutory_arrears),
        reaches_statutory: a.reaches_statutory,
        findings: (c.findings.iter())
            .map(|f| finding_view(view.data, f))
            .collect(),
        checklist: (c.checklist.iter())
            .map(|item| ItemJson {
                item: item.item,
                state: item.tick.as_str(),
                answer: item.answer.clone(),
                outstanding: item.outstanding,
                for_the_officer: item.tick == Tick::Confirm,
            })
            .collect(),
        to_confirm: (c.checklist.iter())
            .filter(|item| item.tick == Tick::Confirm)
            .map(|item| item.item)
            .collect(),
        holds: (a.holds.iter())
            .map(|h| HoldJson {
                reason: h.reason.as_str(),
                detail: h.detail.clone(),
                clears_when: h.reason.clears_when(),
            })
            .collect(),
        case: (a.case.as_ref()).map(|case| case_json(view.data, c.account, case)),
        statement: (view.statements.get(i)).map(|s| s.iter().map(line_json).collect()),
    }
}

fn csv(view: &View<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "account_ref",
        "date",
        "description",
        "debit",
        "credit",
        "posted_balance",
        "corrected_balance",
        "correction",
        "evidence",
        "note",
    ])?;
    for (c, lines) in view.checks.iter().zip(view.statements) {
        let account = &view.data.account(c.account).account_ref;
        for l in lines {
            let cells = [
                account.to_string(),
                l.date.to_string(),
                l.description.clone(),
                plain(l.debit),
                plain(l.credit),
                plain(l.posted),
                plain(l.corrected),
                l.correction.map(|k| k.to_string()).unwrap_or_default(),
                l.evidence.join(";"),
                l.note.clone(),
            ];
            w.write_record(cells.iter().map(|c| escape::spreadsheet(c).into_owned()))?;
        }
    }
    w.flush()
}

/// How `check`'s text is laid out: plain for a terminal, or Markdown for a
/// case note.
struct Style {
    markdown: bool,
    h1: &'static str,
    h2: &'static str,
    bullet: &'static str,
}

impl Style {
    fn of(markdown: bool) -> Style {
        let (h1, h2, bullet) = if markdown {
            ("## ", "### ", "- ")
        } else {
            ("", "  ", "    ")
        };
        Style {
            markdown,
            h1,
            h2,
            bullet,
        }
    }

    /// Text an input controls, made safe for where it is shown: on a
    /// terminal, control characters are shown, never sent (an escape
    /// sequence could rewrite the verdict); in Markdown, HTML is escaped and
    /// a cell cannot be broken.
    fn cell(&self, s: &str) -> String {
        if self.markdown {
            escape::markdown(s)
        } else {
            escape::terminal(s).into_owned()
        }
    }
}

/// Plain text, or Markdown for a case note.
fn text(view: &View<'_>, out: &mut dyn Write, markdown: bool) -> io::Result<()> {
    let st = Style::of(markdown);
    let warnings = warning_views(view.data, view.recon);
    for w in &warnings {
        writeln!(out, "{}{}", st.bullet, st.cell(&w.line()))?;
    }
    if !view.recon.settings.origins.is_empty() {
        let each: Vec<String> = (view.recon.settings.origins.iter())
            .map(|(name, from)| format!("{name} from {from}"))
            .collect();
        writeln!(out, "{}Settings: {}", st.bullet, st.cell(&each.join("; ")))?;
    }
    if !warnings.is_empty() || !view.recon.settings.origins.is_empty() {
        writeln!(out)?;
    }
    for (i, c) in view.checks.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        text_heading(view, c, &st, out)?;
        text_findings(view, c, &st, out)?;
        writeln!(out, "\n{}Pre-Action Protocol", st.h2)?;
        for item in &c.checklist {
            let mark = format!("[{}]", item.tick.mark());
            let answer = item
                .answer
                .as_deref()
                .unwrap_or("for the officer to confirm");
            writeln!(
                out,
                "{}{mark} {}: {}",
                st.bullet,
                item.item,
                st.cell(answer)
            )?;
        }
        if let Some(lines) = view.statements.get(i) {
            text_statement(view, lines, &st, out)?;
        }
    }
    Ok(())
}

/// The account, the verdict, the balances and the thresholds.
fn text_heading(
    view: &View<'_>,
    c: &AccountCheck,
    st: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let account = view.data.account(c.account);
    writeln!(
        out,
        "{}{} {}: {} tenancy, {} rent {}, as at {}",
        st.h1,
        st.cell(&account.account_ref),
        st.cell(&account.tenant_name),
        account.tenancy_type,
        account.rent_period,
        pounds(account.rent),
        view.recon.as_at
    )?;
    text_verdict(view, c, st, out)?;
    text_balances(view, c.assessment, st.bullet, out)
}

/// The verdict: bold in Markdown, coloured by its decision on a terminal.
fn text_verdict(
    view: &View<'_>,
    c: &AccountCheck,
    st: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let verdict = st.cell(&c.verdict);
    if st.markdown {
        writeln!(out, "\n**{verdict}**\n")
    } else if view.colour {
        let colour = match c.decision {
            Decision::DoNotServe => Colour::Red,
            Decision::Hold => Colour::Yellow,
            Decision::MayProceed => Colour::Green,
        };
        writeln!(out, "{}", paint(&verdict, colour))
    } else {
        writeln!(out, "{verdict}")
    }
}

/// The balances (rent apart from sundry debt where they differ), the
/// landlord's trigger and the statutory threshold.
fn text_balances(
    view: &View<'_>,
    a: &Assessment,
    bullet: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rent_apart = !a.sundry_debt.is_zero() || a.posted_rent != a.posted_balance;
    writeln!(
        out,
        "{bullet}Balance: posted {}, corrected {}{}{}",
        pounds(a.posted_balance),
        pounds(a.corrected_balance),
        if rent_apart {
            format!(
                "; rent arrears {} ({} weeks), sundry debt {} (not rent: left out of every test)",
                pounds(a.rent_arrears),
                plain(a.arrears_weeks),
                pounds(a.sundry_debt)
            )
        } else {
            format!(" ({} weeks)", plain(a.arrears_weeks))
        },
        if a.technical_arrears.is_zero() {
            String::new()
        } else {
            format!(
                ", of which {} is benefit not yet due",
                pounds(a.technical_arrears)
            )
        }
    )?;
    writeln!(
        out,
        "{bullet}Landlord's trigger ({}): {}; statutory threshold: {}",
        view.recon.settings.trigger,
        pounds(a.trigger),
        match (a.statutory.threshold, a.reaches_statutory) {
            (Some(t), Some(r)) => format!(
                "{} ({})",
                pounds(t),
                if r { "reached" } else { "not reached" }
            ),
            _ => "none (no mandatory ground)".to_string(),
        }
    )
}

/// The findings on the account, each with its effect here and evidence.
fn text_findings(
    view: &View<'_>,
    c: &AccountCheck,
    st: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "\n{}Findings on the account", st.h2)?;
    if c.findings.is_empty() {
        writeln!(out, "{}none", st.bullet)?;
    }
    for f in &c.findings {
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|&r| view.data.sources.cite(r))
            .collect();
        // The effect on this account: the opposite where it is where the money went.
        let effect = if f.account == Some(c.account) {
            f.amount
        } else {
            -f.amount
        };
        writeln!(
            out,
            "{}{} {} {} on this account: {} [{}]",
            st.bullet,
            f.severity,
            f.kind,
            pounds(effect),
            st.cell(&f.detail),
            evidence.join(" ")
        )?;
    }
    Ok(())
}

/// The rent statement, as a Markdown table or fixed-width columns.
fn text_statement(
    view: &View<'_>,
    lines: &[StatementLine],
    st: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let bullet = st.bullet;
    let from = lines.first().map_or(view.since, |l| l.date);
    writeln!(
        out,
        "\n{}Rent statement from {from} (corrections marked *)",
        st.h2
    )?;
    if st.markdown {
        writeln!(
            out,
            "| date | description | debit | credit | posted | corrected | note |\n| --- | --- | ---: | ---: | ---: | ---: | --- |"
        )?;
    } else {
        writeln!(
            out,
            "{bullet}{:<10}  {:<60}  {:>10}  {:>10}  {:>11}  {:>11}  note",
            "date", "description", "debit", "credit", "posted", "corrected"
        )?;
    }
    let money = |d: rust_decimal::Decimal| {
        if d.is_zero() {
            String::new()
        } else {
            pounds(d)
        }
    };
    for l in lines {
        let star = if l.correction.is_some() { "* " } else { "" };
        if st.markdown {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                l.date,
                st.cell(&format!("{star}{}", l.description)),
                money(l.debit),
                money(l.credit),
                pounds(l.posted),
                pounds(l.corrected),
                st.cell(&l.note)
            )?;
            continue;
        }
        let mut description = format!("{star}{}", st.cell(&l.description));
        if description.chars().count() > 60 {
            description = description.chars().take(57).collect::<String>() + "...";
        }
        writeln!(
            out,
            "{bullet}{}  {:<60}  {:>10}  {:>10}  {:>11}  {:>11}  {}",
            l.date,
            description,
            money(l.debit),
            money(l.credit),
            pounds(l.posted),
            pounds(l.corrected),
            st.cell(&l.note)
        )?;
    }
    Ok(())
}
