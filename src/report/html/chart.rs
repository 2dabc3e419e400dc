//! The pack's charts as inline SVG: horizontal bars (money by finding kind,
//! accounts by status) and an account's balance over time. Each has a value
//! axis in round steps and, over time, month ticks, so a reader can take a
//! figure off the chart; every figure printed comes from the Decimal.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::axis::{money_label, month_label, month_ticks, to_f64, Px, Scale};
use crate::escape::html as esc;
use crate::recon::case::CaseKind;
use crate::recon::check::StatementLine;
use crate::recon::money::pounds;

/// One bar: its label, its value (money or a count), the text beside it and
/// its colour class.
pub struct Bar {
    pub label: String,
    pub value: Decimal,
    pub text: String,
    pub class: &'static str,
}

const GRID: &str = "#e3e7ee";
const AXIS_TEXT: &str = "#5b6474";

/// Horizontal bars, one per row, over a value axis labelled by `label`
/// (money or a count); `what` names the chart for a screen reader.
pub fn bar_chart(bars: &[Bar], label: fn(i64) -> String, what: &str) -> String {
    let (w, bar_h, left, len_max, top) = (720.0, 22.0, 190.0, 380.0, 4.0);
    let max = bars.iter().map(|b| b.value.abs()).max().unwrap_or_default();
    let scale = Scale::covering(Decimal::ZERO, max);
    let plot_h = bar_h * bars.len() as f64;
    let h = top + plot_h + 24.0;
    let x = |v: f64| left + len_max * scale.fraction(v);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">\n",
        esc(what)
    );
    // The axis first, so the bars lie over its grid lines.
    s.push_str("<g class=\"xaxis\" font-size=\"11\">");
    for tick in scale.ticks() {
        let xx = Px(x(tick as f64));
        let _ = write!(
            s,
            "<g class=\"tick\"><line x1=\"{xx}\" x2=\"{xx}\" y1=\"{top}\" y2=\"{}\" stroke=\"{GRID}\"/>\
             <text x=\"{xx}\" y=\"{}\" text-anchor=\"middle\" fill=\"{AXIS_TEXT}\">{}</text></g>",
            top + plot_h + 3.0,
            top + plot_h + 16.0,
            esc(&label(tick))
        );
    }
    s.push_str("</g>\n");
    for (i, b) in bars.iter().enumerate() {
        let y = top + i as f64 * bar_h;
        let end = x(to_f64(b.value.abs()));
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar {}\" x=\"{left}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            left - 6.0,
            y + 15.0,
            esc(&b.label),
            b.class,
            y + 3.0,
            Px(end - left),
            bar_h - 6.0,
            Px(end + 6.0),
            y + 15.0,
            esc(&b.text)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// What a balance chart draws beside the balances.
pub struct Levels {
    pub trigger: Decimal,
    pub statutory: Option<Decimal>,
    /// The chart runs to this day, the last balance carried flat to it.
    pub as_at: NaiveDate,
}

const W: f64 = 760.0;
/// Room on the left for the money labels, on the right for the levels'.
const L: f64 = 70.0;
const R: f64 = 130.0;
const T: f64 = 12.0;
/// The plot's height: month labels, the legend and the case key below it.
const PH: f64 = 220.0;
const CASE: &str = "#7d3c98";
const POSTED: &str = "#8a93a3";
const CORRECTED: &str = "#1f5fbf";
const RECEIPT: &str = "#1e8449";

/// The balance chart's axes: days across, money up.
struct Plot {
    d0: NaiveDate,
    d1: NaiveDate,
    span: f64,
    scale: Scale,
}

impl Plot {
    fn new(lines: &[StatementLine], levels: &Levels) -> Option<Plot> {
        let (first, last) = (lines.first()?, lines.last()?);
        let d0 = first.date;
        let next_day = d0.checked_add_days(chrono::Days::new(1)).unwrap_or(d0);
        let d1 = levels.as_at.max(last.date).max(next_day);
        let values = (lines.iter().flat_map(|l| [l.posted, l.corrected]))
            .chain([Decimal::ZERO, levels.trigger])
            .chain(levels.statutory);
        let (lo, hi) = values.fold((Decimal::MAX, Decimal::MIN), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        Some(Plot {
            d0,
            d1,
            span: (d1 - d0).num_days().max(1) as f64,
            scale: Scale::covering(lo, hi),
        })
    }

    fn x(&self, d: NaiveDate) -> f64 {
        L + (W - L - R) * (d - self.d0).num_days() as f64 / self.span
    }

    fn y_of(&self, v: f64) -> f64 {
        T + PH * (1.0 - self.scale.fraction(v))
    }

    fn y(&self, v: Decimal) -> f64 {
        self.y_of(to_f64(v))
    }
}

/// Posted and corrected balance over the statement's dates to the as-at
/// date, on a money axis and month ticks, with the trigger and statutory
/// threshold drawn, receipts and case events marked.
pub fn balance_chart(lines: &[StatementLine], levels: &Levels) -> String {
    let Some(p) = Plot::new(lines, levels) else {
        return String::new();
    };
    let has_cases = lines.iter().any(|l| l.case.is_some());
    let h = T + PH + if has_cases { 64.0 } else { 46.0 };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" \
         aria-label=\"posted and corrected balance\">\n<rect x=\"{L}\" y=\"{T}\" width=\"{}\" height=\"{PH}\" \
         fill=\"#fbfcfe\" stroke=\"#d8dde6\"/>\n",
        W - L - R
    );
    money_axis(&mut s, &p);
    time_axis(&mut s, &p, levels.as_at);
    level_lines(&mut s, &p, levels);
    for (pick, colour, width) in [
        (posted as fn(&StatementLine) -> Decimal, POSTED, "2"),
        (corrected, CORRECTED, "2.5"),
    ] {
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\"/>",
            steps(&p, lines, pick)
        );
    }
    case_markers(&mut s, &p, lines);
    for line in lines
        .iter()
        .filter(|l| l.correction.is_none() && l.credit > Decimal::ZERO)
    {
        let _ = writeln!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{RECEIPT}\"><title>{} {}</title></circle>",
            Px(p.x(line.date)),
            Px(p.y(line.posted)),
            line.date,
            esc(&pounds(line.credit))
        );
    }
    legend(&mut s, lines);
    s.push_str("</svg>\n");
    s
}

fn posted(l: &StatementLine) -> Decimal {
    l.posted
}

fn corrected(l: &StatementLine) -> Decimal {
    l.corrected
}

/// A balance as steps: level until the next line's date, then up or down;
/// the last carried flat to the chart's end (the as-at date).
fn steps(p: &Plot, lines: &[StatementLine], pick: fn(&StatementLine) -> Decimal) -> String {
    let mut pts = String::new();
    let mut prev: Option<Decimal> = None;
    for line in lines {
        let xx = Px(p.x(line.date));
        if let Some(v) = prev {
            let _ = write!(pts, "{xx},{} ", Px(p.y(v)));
        }
        let v = pick(line);
        let _ = write!(pts, "{xx},{} ", Px(p.y(v)));
        prev = Some(v);
    }
    let _ = write!(
        pts,
        "{},{}",
        Px(p.x(p.d1)),
        Px(p.y(prev.unwrap_or_default()))
    );
    pts
}

/// Money up the left: a grid line and a label at each round step.
fn money_axis(s: &mut String, p: &Plot) {
    s.push_str("<g class=\"yaxis\" font-size=\"11\">");
    for tick in p.scale.ticks() {
        let yy = Px(p.y_of(tick as f64));
        let _ = write!(
            s,
            "<g class=\"tick\"><line x1=\"{L}\" x2=\"{}\" y1=\"{yy}\" y2=\"{yy}\" stroke=\"{GRID}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{AXIS_TEXT}\">{}</text></g>",
            W - R,
            L - 6.0,
            Px(yy.0 + 4.0),
            esc(&money_label(tick))
        );
    }
    s.push_str("</g>\n");
}

/// Months along the bottom, and the as-at date where the chart ends. A
/// month label that would run into the as-at date's is left off (its tick
/// stays).
fn time_axis(s: &mut String, p: &Plot, as_at: NaiveDate) {
    let (bottom, label_y) = (T + PH, T + PH + 16.0);
    s.push_str("<g class=\"taxis\" font-size=\"11\">");
    for month in month_ticks(p.d0, p.d1) {
        let xx = Px(p.x(month));
        let _ = write!(
            s,
            "<g class=\"tick\"><line x1=\"{xx}\" x2=\"{xx}\" y1=\"{T}\" y2=\"{}\" stroke=\"{GRID}\"/>",
            bottom + 4.0
        );
        if xx.0 + 24.0 <= W - R {
            let _ = write!(
                s,
                "<text x=\"{xx}\" y=\"{label_y}\" text-anchor=\"middle\" fill=\"{AXIS_TEXT}\">{}</text>",
                month_label(month)
            );
        }
        s.push_str("</g>");
    }
    let xx = Px(p.x(as_at));
    let _ = writeln!(
        s,
        "<g class=\"asat\"><line x1=\"{xx}\" x2=\"{xx}\" y1=\"{bottom}\" y2=\"{}\" stroke=\"#1d2433\"/>\
         <text x=\"{}\" y=\"{label_y}\" fill=\"#1d2433\">as at {as_at}</text></g></g>",
        bottom + 6.0,
        Px(xx.0 + 4.0)
    );
}

/// Zero, the trigger and the statutory threshold, dashed across the plot
/// and named on the right (zero is named by the money axis).
fn level_lines(s: &mut String, p: &Plot, levels: &Levels) {
    let zero = Px(p.y(Decimal::ZERO));
    let _ = writeln!(
        s,
        "<line x1=\"{L}\" x2=\"{}\" y1=\"{zero}\" y2=\"{zero}\" stroke=\"{POSTED}\"/>",
        W - R
    );
    let named = [("trigger", Some(levels.trigger), "#d68910")]
        .into_iter()
        .chain([("statutory", levels.statutory, "#c0392b")]);
    for (label, value, colour) in named {
        let Some(v) = value else { continue };
        let yy = Px(p.y(v));
        let _ = writeln!(
            s,
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{yy}\" y2=\"{yy}\" stroke=\"{colour}\" stroke-dasharray=\"6 4\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{colour}\">{label} {}</text>",
            W - R,
            W - R + 8.0,
            Px(yy.0 + 4.0),
            esc(&pounds(v))
        );
    }
}

/// Case events: a dotted line at each, lettered at the top (events on one
/// day stacked) and named on hover.
fn case_markers(s: &mut String, p: &Plot, lines: &[StatementLine]) {
    let mut previous: Option<(NaiveDate, u32)> = None;
    for line in lines {
        let Some(kind) = line.case else { continue };
        let nth = match previous {
            Some((d, n)) if d == line.date => n + 1,
            _ => 0,
        };
        previous = Some((line.date, nth));
        let xx = Px(p.x(line.date));
        let _ = writeln!(
            s,
            "<g class=\"case\"><line x1=\"{xx}\" x2=\"{xx}\" y1=\"{T}\" y2=\"{}\" stroke=\"{CASE}\" \
             stroke-dasharray=\"2 3\"/><text x=\"{xx}\" y=\"{}\" font-size=\"10\" font-weight=\"600\" \
             fill=\"{CASE}\" text-anchor=\"middle\">{}</text><title>{} {}</title></g>",
            T + PH,
            T + 10.0 + 11.0 * f64::from(nth),
            case_letter(kind),
            line.date,
            esc(&line.description)
        );
    }
}

/// The lines' key under the month labels; with case events, a key to their
/// letters under that.
fn legend(s: &mut String, lines: &[StatementLine]) {
    let y = T + PH + 36.0;
    let _ = writeln!(
        s,
        "<g class=\"legend\" font-size=\"11\"><line x1=\"{L}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{POSTED}\" \
         stroke-width=\"2\"/><text x=\"{}\" y=\"{y}\">posted</text><line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" \
         stroke=\"{CORRECTED}\" stroke-width=\"2.5\"/><text x=\"{}\" y=\"{y}\">corrected</text>\
         <circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{RECEIPT}\"/><text x=\"{}\" y=\"{y}\">receipt posted</text></g>",
        L + 20.0,
        y - 4.0,
        y - 4.0,
        L + 24.0,
        L + 80.0,
        L + 100.0,
        y - 4.0,
        y - 4.0,
        L + 104.0,
        L + 180.0,
        y - 4.0,
        L + 186.0
    );
    let mut kinds: Vec<CaseKind> = lines.iter().filter_map(|l| l.case).collect();
    if kinds.is_empty() {
        return;
    }
    kinds.sort_by_key(|k| case_letter(*k));
    kinds.dedup();
    let y = y + 18.0;
    let _ = write!(
        s,
        "<g class=\"casekey\" font-size=\"11\" fill=\"{CASE}\"><text x=\"{L}\" y=\"{y}\">case events:</text>"
    );
    let mut x = L + 80.0;
    for kind in kinds {
        let name = case_name(kind);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{y}\"><tspan font-weight=\"600\">{}</tspan> {name}</text>",
            Px(x),
            case_letter(kind)
        );
        // Under 7 pixels a character at this size (the letter, a space,
        // the name), and a gap.
        x += 6.6 * (name.len() as f64 + 2.0) + 20.0;
    }
    s.push_str("</g>\n");
}

/// The letter a case event is marked with on the chart.
fn case_letter(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Arrangement => "A",
        CaseKind::NospServed => "N",
        CaseKind::CourtOrder => "O",
        CaseKind::BreathingSpace => "B",
        CaseKind::Contact => "C",
        CaseKind::BenefitReferral => "R",
    }
}

/// What the letter stands for, in the chart's key.
fn case_name(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Arrangement => "payment arrangement",
        CaseKind::NospServed => "NOSP served",
        CaseKind::CourtOrder => "court order",
        CaseKind::BreathingSpace => "Breathing Space",
        CaseKind::Contact => "contact",
        CaseKind::BenefitReferral => "benefit referral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(date: &str, posted: i64, case: Option<CaseKind>) -> StatementLine {
        StatementLine {
            date: date.parse().unwrap(),
            description: "a line".to_string(),
            debit: Decimal::ZERO,
            credit: Decimal::ZERO,
            posted: Decimal::from(posted),
            corrected: Decimal::from(posted),
            correction: None,
            case,
            evidence: Vec::new(),
            note: String::new(),
        }
    }

    #[test]
    fn the_last_balance_is_carried_to_the_as_at_date_on_round_axes() {
        let lines = [
            line("2026-01-01", 100, None),
            line("2026-02-02", 450, Some(CaseKind::Contact)),
            line("2026-02-02", 450, Some(CaseKind::BenefitReferral)),
            line("2026-03-03", 520, None),
        ];
        let levels = Levels {
            trigger: Decimal::from(480),
            statutory: Some(Decimal::from(1040)),
            as_at: "2026-03-31".parse().unwrap(),
        };
        let svg = balance_chart(&lines, &levels);
        // The plot's right edge is the as-at date, and both lines reach it.
        for points in svg.split("<polyline points=\"").skip(1) {
            let last = points.split('"').next().and_then(|p| p.rsplit(' ').next());
            assert!(last.is_some_and(|p| p.starts_with("630.0,")), "{points}");
        }
        assert!(
            svg.contains("<line x1=\"630.0\" x2=\"630.0\""),
            "as-at mark"
        );
        for label in [">£0<", ">£200<", ">£1,200<", ">Jan 2026<", ">Mar 2026<"] {
            assert!(svg.contains(label), "{label}");
        }
        assert!(!svg.contains(">£1,400<"), "no step beyond the values");
        // Two events on one day: lettered one under the other.
        assert!(
            svg.contains("y=\"22\" font-size=\"10\"") && svg.contains("y=\"33\" font-size=\"10\"")
        );
        assert!(svg.contains("<tspan font-weight=\"600\">R</tspan> benefit referral"));
    }
}
