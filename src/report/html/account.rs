//! One account's section of a pack: its verdict, figures, balance chart and
//! findings; in the check pack its protocol checklist and rent statement
//! too. Each section prints on a page (or pages) of its own.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::chart::{balance_chart, Levels};
use super::style::{badge, severity_class};
use crate::escape::html as esc;
use crate::recon::check::{self, AccountCheck, StatementLine, Tick};
use crate::recon::money::{plain, pounds};
use crate::recon::{Dataset, Reconciliation};

fn decision_class(d: check::Decision) -> &'static str {
    match d {
        check::Decision::MayProceed => "may_proceed",
        check::Decision::Hold => "hold",
        check::Decision::DoNotServe => "do_not_serve",
    }
}

/// One account's section: verdict, figures, chart, findings; with the
/// checklist and statement where asked.
pub fn account_section(
    data: &Dataset,
    recon: &Reconciliation,
    c: &AccountCheck<'_>,
    lines: &[StatementLine],
    full: bool,
) -> String {
    let a = c.assessment;
    let mut s = heading(data, recon, c);
    figures(&mut s, recon, c);
    s.push_str(&balance_chart(
        lines,
        &Levels {
            trigger: a.trigger,
            statutory: a.statutory.threshold,
            as_at: recon.as_at,
        },
    ));
    findings(&mut s, data, c);
    if full {
        checklist(&mut s, c);
        statement(&mut s, lines);
    }
    s.push_str("</section>\n");
    s
}

/// The section's opening: who, what tenancy, and the verdict.
fn heading(data: &Dataset, recon: &Reconciliation, c: &AccountCheck<'_>) -> String {
    let account = data.account(c.account);
    format!(
        "<section id=\"acc-{}\" class=\"account\">\n<h2>{} {}</h2>\n<p class=\"muted\">{} tenancy, {} rent {}, \
         as at {}; status {}</p>\n<p class=\"verdict {}\">{}</p>\n",
        esc(&account.account_ref),
        esc(&account.account_ref),
        esc(&account.tenant_name),
        account.tenancy_type,
        account.rent_period,
        esc(&pounds(account.rent)),
        recon.as_at,
        badge(super::style::status_class(c.assessment.status), &c.assessment.status.to_string()),
        decision_class(c.decision),
        esc(&c.verdict)
    )
}

/// The balances against the trigger and the statutory threshold.
fn figures(s: &mut String, recon: &Reconciliation, c: &AccountCheck<'_>) {
    let a = c.assessment;
    let _ = writeln!(
        s,
        "<table><thead><tr><th>posted balance</th><th>corrected balance</th><th>weeks</th><th>technical</th>\
         <th>trigger ({})</th><th>statutory threshold</th><th>late periods (12 months)</th></tr></thead>\
         <tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} of {}</td></tr></table>",
        recon.settings.trigger,
        esc(&pounds(a.posted_balance)),
        esc(&pounds(a.corrected_balance)),
        plain(a.arrears_weeks),
        esc(&pounds(a.technical_arrears)),
        esc(&pounds(a.trigger)),
        match (a.statutory.threshold, a.reaches_statutory) {
            (Some(t), Some(r)) => format!(
                "<span class=\"nowrap\">{}</span> ({})",
                esc(&pounds(t)),
                if r { "reached" } else { "not reached" }
            ),
            _ => "none (no mandatory ground)".to_string(),
        },
        a.late_periods,
        a.periods_12m
    );
}

/// The findings on the account, each with its severity badge and its effect
/// on this account's balance.
fn findings(s: &mut String, data: &Dataset, c: &AccountCheck<'_>) {
    if c.findings.is_empty() {
        return;
    }
    s.push_str(
        "<h3>Findings on the account</h3>\n<table><thead><tr><th>severity</th><th>kind</th><th>effect here</th>\
         <th>detail</th><th>evidence</th></tr></thead>\n",
    );
    for f in &c.findings {
        let effect = if f.account == Some(c.account) {
            f.amount
        } else {
            -f.amount
        };
        let evidence: Vec<String> = f.evidence.iter().map(|&r| data.sources.cite(r)).collect();
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            badge(severity_class(f.severity), &f.severity.to_string()),
            f.kind,
            esc(&pounds(effect)),
            esc(&f.detail),
            esc(&evidence.join(" "))
        );
    }
    s.push_str("</table>\n");
}

/// The Pre-Action Protocol checklist, each item ticked, crossed or asked.
fn checklist(s: &mut String, c: &AccountCheck<'_>) {
    s.push_str(
        "<h3>Pre-Action Protocol</h3>\n<table><thead><tr><th></th><th>step</th><th>what the data says</th>\
         </tr></thead>\n",
    );
    for item in &c.checklist {
        let mark = match item.tick {
            Tick::Passed => "&#10003;",
            Tick::Failed => "&#10007;",
            Tick::Confirm => "?",
        };
        let answer = item
            .answer
            .clone()
            .unwrap_or_else(|| "for the officer to confirm".to_string());
        let _ = writeln!(
            s,
            "<tr><td>{mark}</td><td>{}</td><td>{}</td></tr>",
            esc(item.item),
            esc(&answer)
        );
    }
    s.push_str("</table>\n");
}

/// The rent statement: every line with its running balances, corrections
/// shaded; dates and money never wrap.
fn statement(s: &mut String, lines: &[StatementLine]) {
    s.push_str(
        "<h3>Rent statement</h3>\n<table><thead><tr><th>date</th><th>description</th><th>debit</th>\
         <th>credit</th><th>posted</th><th>corrected</th><th>note</th></tr></thead>\n",
    );
    let money = |d: Decimal| {
        if d.is_zero() {
            String::new()
        } else {
            esc(&pounds(d))
        }
    };
    for l in lines {
        let _ = writeln!(
            s,
            "<tr{}><td class=\"d\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            if l.correction.is_some() {
                " class=\"corr\""
            } else {
                ""
            },
            l.date,
            esc(&l.description),
            money(l.debit),
            money(l.credit),
            esc(&pounds(l.posted)),
            esc(&pounds(l.corrected)),
            esc(&l.note)
        );
    }
    s.push_str("</table>\n");
}
