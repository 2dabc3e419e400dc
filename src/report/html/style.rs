//! The pack's stylesheet and the colour classes everything in it shares:
//! one class per severity, used alike by bars (`fill`), badges and cells
//! (`background-color`), so a colour means the same thing everywhere.

use crate::recon::finding::Severity;
use crate::recon::totals::KindTotal;
use crate::recon::Status;
use crate::report::tier::Tier;

/// Severity colours: high red, medium amber, low a quiet grey-blue (a late
/// posting is already right on the ledger and should not shout). Statuses
/// take the terminal's tiers (`table.rs`): red where the posted balance is
/// wrong, amber where the account waits, genuine its own colour.
const COLOURS: &str = ".sev-high{fill:#c0392b;background-color:#c0392b;color:#fff}\
.sev-medium{fill:#d68910;background-color:#d68910;color:#1d2433}\
.sev-low{fill:#a3b1c6;background-color:#a3b1c6;color:#1d2433}\
.st-genuine{fill:#8e44ad;background-color:#8e44ad;color:#fff}\
.badge{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-size:.8rem;white-space:nowrap}\
.key{font-size:.8rem;color:#5b6474;margin:.1rem 0 1rem}.key span{white-space:nowrap;margin-right:1rem}\
.key i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-.1rem}";

const BASE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;\
color:#1d2433;line-height:1.4;-webkit-print-color-adjust:exact;print-color-adjust:exact}h1{font-size:1.6rem;\
margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #d8dde6;padding-bottom:.2rem;margin-top:2.2rem}\
h3{font-size:1.05rem}table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.88rem}th,td{border:1px \
solid #d8dde6;padding:.25rem .45rem;text-align:left;vertical-align:top}th{background:#f2f4f8}td.n{text-align:right}\
td.n,td.d{white-space:nowrap}.verdict{font-size:1.1rem;font-weight:600;padding:.6rem .8rem;border-left:6px solid}\
.do_not_serve{border-color:#c0392b;background:#fdecea}.hold{border-color:#d68910;background:#fef5e7}\
.may_proceed{border-color:#1e8449;background:#e9f7ef}.muted{color:#5b6474;font-size:.85rem}\
.fingerprint td{font-family:monospace;font-size:.78rem}svg{max-width:100%;height:auto;display:block}\
.corr{background:#eef4ff}.nowrap{white-space:nowrap}";

/// Printed, each account's section starts a page (the pack's summary, or
/// the check pack's title, keeps the first); titles stay with what follows
/// them, a chart or a table row is never cut, a long table repeats its
/// header, and the colours print.
const PRINT: &str = "@page{size:A4;margin:14mm}@media print{body{margin:0;max-width:none;font-size:10pt}\
section.account{break-before:page;page-break-before:always}\
body.check section.account:first-of-type{break-before:auto;page-break-before:auto}\
header,h1,h2,h3{break-after:avoid;page-break-after:avoid}header,svg,.verdict,.key,tr{break-inside:avoid;\
page-break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}";

/// The stylesheet, for a `<style>` element.
pub fn stylesheet() -> String {
    [BASE, COLOURS, PRINT].concat()
}

/// The class a tier is coloured by.
fn tier_class(tier: Tier) -> &'static str {
    match tier {
        Tier::Wrong => "sev-high",
        Tier::Wait => "sev-medium",
        Tier::Genuine => "st-genuine",
        Tier::Quiet => "sev-low",
    }
}

/// The class a severity is coloured by.
pub fn severity_class(s: Severity) -> &'static str {
    tier_class(Tier::of_severity(s))
}

/// A finding kind's bar takes the colour of its most severe finding.
pub fn kind_class(k: &KindTotal) -> &'static str {
    severity_class(if k.high > 0 {
        Severity::High
    } else if k.medium > 0 {
        Severity::Medium
    } else {
        Severity::Low
    })
}

/// The class a status is coloured by: the terminal's tiers, clear as
/// quiet as a low severity.
pub fn status_class(status: Status) -> &'static str {
    tier_class(Tier::of_status(status))
}

/// [`status_class`] of a status's word, as the accounts table holds it.
pub fn status_word_class(word: &str) -> &'static str {
    tier_class(Status::from_word(word).map_or(Tier::Quiet, Tier::of_status))
}

/// A small key under a chart: a swatch of each class with what it means.
pub fn key(entries: &[(&str, &str)]) -> String {
    let mut s = String::from("<p class=\"key\">");
    for (class, meaning) in entries {
        s.push_str(&format!(
            "<span><i class=\"{class}\"></i>{}</span>",
            crate::escape::html(meaning)
        ));
    }
    s.push_str("</p>\n");
    s
}

/// The severity key, as under the findings chart.
pub fn severity_key() -> String {
    key(&[
        ("sev-high", "high severity"),
        ("sev-medium", "medium"),
        (
            "sev-low",
            "low (e.g. a late posting, already right on the ledger)",
        ),
    ])
}

/// The status key, as under the status chart.
pub fn status_key() -> String {
    key(&[
        (
            tier_class(Tier::Wrong),
            &format!("the posted balance is wrong ({})", Tier::Wrong.statuses()),
        ),
        (
            tier_class(Tier::Wait),
            &format!("wait or watch ({})", Tier::Wait.statuses()),
        ),
        (tier_class(Tier::Genuine), "genuine arrears"),
        (tier_class(Tier::Quiet), "clear"),
    ])
}

/// A word in a coloured badge (a severity or a status in a table cell).
pub fn badge(class: &str, word: &str) -> String {
    format!(
        "<span class=\"badge {class}\">{}</span>",
        crate::escape::html(word)
    )
}
