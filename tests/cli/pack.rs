//! The HTML evidence packs as a browser shows them: the figures, the charts'
//! money and month axes, severity colours, the accounts table with the
//! terminal's columns and values, case events on the timeline, and a page
//! an account when printed.

use super::*;

/// Headless Chromium, if this machine has one (CHROMIUM names another).
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = ["chromium", "chromium-browser", "google-chrome"];
    std::env::split_paths(&std::env::var_os("PATH")?)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium's arguments for a quiet headless run with a throwaway profile.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The page as the browser renders it, and what it logged.
fn render(browser: &Path, page: &Path) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = headless(browser, profile.path())
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        text(&out.stderr)
    );
    (
        text(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// How many pages the browser prints the page on.
fn printed_pages(browser: &Path, page: &Path) -> usize {
    let profile = tempfile::tempdir().expect("profile dir");
    let pdf = profile.path().join("printed.pdf");
    let out = headless(browser, profile.path())
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        text(&out.stderr)
    );
    let bytes = fs::read(&pdf).expect("printed pdf");
    // Each page is a `/Type /Page` dictionary; the page tree's `/Pages`.
    let (page, pages) = (b"/Type /Page", b"/Type /Pages");
    let count = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count();
    count(page) - count(pages)
}

/// The text from just after `from` to just before the next `to`.
fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let start = s.find(from)? + from.len();
    let len = s[start..].find(to)?;
    Some(&s[start..start + len])
}

/// An attribute's value in the first opening tag in `s`.
fn attr<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let tag = s.split('>').next()?;
    between(tag, &format!(" {name}=\""), "\"")
}

/// The declarations of `selector`'s rule in the page's stylesheet.
fn rule<'a>(dom: &'a str, selector: &str) -> &'a str {
    let css = between(dom, "<style>", "</style>").expect("a stylesheet");
    between(css, &format!("{selector}{{"), "}")
        .unwrap_or_else(|| panic!("no rule for {selector} in {css}"))
}

/// The text of each `<tag>` cell in a table row, tags and spaces stripped.
fn cells(row: &str, tag: &str) -> Vec<String> {
    row.split(&format!("<{tag}"))
        .skip(1)
        .map(|cell| {
            let inner = between(cell, ">", &format!("</{tag}>")).unwrap_or("");
            let mut plain = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            plain.trim().to_string()
        })
        .collect()
}

/// Each account's section of a rendered pack, by account.
fn account_sections(dom: &str) -> Vec<(&str, &str)> {
    dom.split("<section id=\"acc-")
        .skip(1)
        .filter_map(|s| Some((s.split('"').next()?, between(s, "", "</section>")?)))
        .collect()
}

/// The text of each tick's label on an axis (`yaxis`, `taxis`, `xaxis`),
/// with the tick's position (its line's `y1` across, `x1` up).
fn ticks<'a>(svg: &'a str, axis: &str, at: &str) -> Vec<(&'a str, &'a str)> {
    let Some(axis) = between(svg, &format!("<g class=\"{axis}\""), "</g></g>") else {
        return Vec::new();
    };
    axis.split("<g class=\"tick\">")
        .skip(1)
        .filter_map(|t| {
            let t = t.split("</g>").next()?;
            Some((
                between(t, "\">", "</text>")?.rsplit('>').next()?,
                attr(t, at)?,
            ))
        })
        .collect()
}

#[test]
fn the_evidence_packs_open_in_a_browser_with_no_errors_and_show_the_figures() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium here (Debian package `chromium`; .ci/run installs it)");
        return;
    };
    let case = sample();
    let pack = case.path().join("pack.html");
    let check = case.path().join("check.html");
    case.run(&[
        "reconcile",
        ".",
        "--format",
        "html",
        "--output",
        "pack.html",
    ]);
    case.run(&[
        "check",
        "RA1002",
        "RA1018",
        "--data",
        ".",
        "--statement",
        "--format",
        "html",
        "--output",
        "check.html",
    ]);
    let dom = assert_opens_and_shows(
        &browser,
        &pack,
        &[
            "Rent reconciliation as at 2026-03-31",
            "£26,494.00",
            "href=\"#acc-RA1002\"",
            "id=\"acc-RA1002\"",
            "Do not serve: £330.00 of receipts were posted to RA1012",
            "SHA-256",
            // The money and month axes, and where the charts end.
            ">£1,000</text>",
            ">£600</text>",
            ">Mar 2026</text>",
            ">as at 2026-03-31</text>",
        ],
    );
    assert_opens_and_shows(
        &browser,
        &check,
        &[
            "Account check as at 2026-03-31",
            "Balance brought forward",
            "£100.00 of the arrears is benefit not yet due",
            "for the officer to confirm",
            ">£1,000</text>",
            ">Jan 2026</text>",
            ">Mar 2026</text>",
            "<td class=\"d\">2026-01-01</td>",
            "<span class=\"badge sev-high\">high</span>",
        ],
    );
    let header = between(&dom, "<header>", "</header>").expect("the pack's header");
    assert_eq!(
        header.matches("2026-03-31").count(),
        1,
        "the as-at date in the title, not again in its subtitle: {header}"
    );
    assert_severity_colours(&dom);
    assert_accounts_table_as_the_terminal_shows_it(&case, &dom);
    assert_printed_a_page_an_account(&browser, &pack, &dom);
}

/// The page is self-contained, renders with nothing logged to the console,
/// shows its charts (each running to the as-at date) and `figures`; its
/// rendered DOM.
fn assert_opens_and_shows(browser: &Path, page: &Path, figures: &[&str]) -> String {
    let html = fs::read_to_string(page).expect("pack");
    assert!(
        !html.contains("src=") && !html.contains("<script"),
        "the pack is self-contained"
    );
    assert!(
        html.split("href=\"").skip(1).all(|h| h.starts_with('#')),
        "links stay inside the pack"
    );
    let (dom, log) = render(browser, page);
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    assert!(dom.matches("<svg").count() >= 2, "charts drawn");
    for figure in figures {
        assert!(
            dom.contains(figure),
            "{figure} not in the rendered {}",
            page.display()
        );
    }
    assert_balance_charts_run_to_the_as_at_date(&dom);
    dom
}

/// Every balance chart's lines run to the as-at date: their last point is
/// where the time axis marks it (RA1003's last posting is 2026-03-03).
fn assert_balance_charts_run_to_the_as_at_date(dom: &str) {
    let sections = account_sections(dom);
    assert!(!sections.is_empty(), "account sections");
    for (account, section) in sections {
        let as_at = between(section, "<g class=\"asat\">", "</g>")
            .and_then(|g| attr(g, "x1"))
            .unwrap_or_else(|| panic!("{account}: no as-at mark"));
        let lines: Vec<&str> = section
            .split("<polyline points=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect();
        assert_eq!(lines.len(), 2, "{account}: posted and corrected");
        for points in lines {
            let last = points.rsplit(' ').next().and_then(|p| p.split(',').next());
            assert_eq!(last, Some(as_at), "{account}: {points}");
        }
        let months: Vec<&str> = ticks(section, "taxis", "x1").iter().map(|t| t.0).collect();
        let money: Vec<&str> = ticks(section, "yaxis", "y1").iter().map(|t| t.0).collect();
        assert!(months.contains(&"Feb 2026"), "{account}: {months:?}");
        assert_eq!(money.first(), Some(&"£0"), "{account}: {money:?}");
        assert!(money.len() >= 3, "{account}: {money:?}");
    }
}

/// High, medium and low each carry their own class, in bars and badges,
/// and the stylesheet gives each its own colour: a late posting is not red.
fn assert_severity_colours(dom: &str) {
    let bar = |kind: &str| {
        between(dom, &format!(">{kind}</text>"), "</rect>")
            .and_then(|rect| attr(rect, "class"))
            .unwrap_or_else(|| panic!("no bar for {kind}"))
    };
    assert_eq!(bar("wrong_account"), "bar sev-high");
    assert_eq!(bar("unidentified_receipt"), "bar sev-medium");
    assert_eq!(bar("late_posting"), "bar sev-low");
    let fill = |class: &str| {
        let rule = rule(dom, &format!(".{class}"));
        let fill = between(rule, "fill:", ";").unwrap_or(rule);
        assert_eq!(
            between(rule, "background-color:", ";"),
            Some(fill),
            "{rule}"
        );
        fill.to_string()
    };
    let (high, medium, low) = (fill("sev-high"), fill("sev-medium"), fill("sev-low"));
    assert!(
        high != medium && medium != low && high != low,
        "{high} {medium} {low}"
    );
    assert_eq!(high, "#c0392b", "high is red");
    for badge in [
        "sev-high\">high<",
        "sev-low\">low<",
        "sev-medium\">protocol_hold<",
    ] {
        assert!(
            dom.contains(&format!("<span class=\"badge {badge}")),
            "{badge}"
        );
    }
    for key in ["sev-high", "sev-medium", "sev-low"] {
        assert!(
            between(dom, "<p class=\"key\">", "</p>")
                .is_some_and(|k| k.contains(&format!("<i class=\"{key}\"></i>"))),
            "{key} in the key"
        );
    }
    assert_eq!(rule(dom, "td.n,td.d"), "white-space:nowrap");
}

/// The pack's accounts to act on: the terminal's columns, and on every row
/// the terminal's values.
fn assert_accounts_table_as_the_terminal_shows_it(case: &Case, dom: &str) {
    let table = between(dom, "<h2>Accounts to act on", "</table>").expect("accounts table");
    let rows: Vec<&str> = table.split("<tr>").skip(1).collect();
    let header = cells(rows[0], "th");
    assert_eq!(
        header,
        [
            "account",
            "status",
            "posted",
            "corrected",
            "weeks",
            "trigger",
            "statutory",
            "late 12m",
            "detail"
        ]
    );
    let terminal = text(&case.run(&["reconcile", "."]).stdout);
    let from = terminal.find("Accounts to act on").expect("terminal table");
    // A row's first line: every column but the wrapped detail is whole.
    let terminal_rows: Vec<Vec<String>> = terminal[from..]
        .lines()
        .filter(|l| l.starts_with("│ RA"))
        .map(|l| {
            (l.trim_matches('│').split('┆'))
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(terminal_rows.len(), rows.len() - 1, "{terminal}");
    for (row, shown) in rows[1..].iter().zip(&terminal_rows) {
        let row = cells(row, "td");
        assert_eq!(row[..8], shown[..8], "{row:?}");
    }
    assert!(
        table.contains("<td class=\"n\">£880.00 not reached</td>"),
        "{table}"
    );
    assert!(table.contains("<td class=\"n\">3/12</td>"), "{table}");
}

/// Printed, each account's section starts a page: the summary's pages and
/// then at least one an account.
fn assert_printed_a_page_an_account(browser: &Path, pack: &Path, dom: &str) {
    let print = between(dom, "@media print{", "}}").expect("print styles");
    assert!(
        print.contains("section.account{break-before:page"),
        "{print}"
    );
    let accounts = account_sections(dom).len();
    assert_eq!(accounts, 13);
    let pages = printed_pages(browser, pack);
    assert!(pages > accounts, "{pages} pages for {accounts} accounts");
}

#[test]
fn the_check_pack_shows_case_events_on_the_timeline_with_a_key() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium here (Debian package `chromium`; .ci/run installs it)");
        return;
    };
    let case = Case::new(&root().join("fixtures/cases"));
    let out = case.run(&[
        "check",
        "K004",
        "K001",
        "--data",
        ".",
        "--as-at",
        "2026-06-01",
        "--format",
        "html",
        "-o",
        "cases.html",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let (dom, log) = render(&browser, &case.path().join("cases.html"));
    assert!(!log.contains("CONSOLE"), "{log}");
    let sections = account_sections(&dom);
    let (_, k004) = sections.iter().find(|(a, _)| *a == "K004").expect("K004");
    // The outright order of 1 April sits on the axis' April tick.
    let april = ticks(k004, "taxis", "x1")
        .into_iter()
        .find(|t| t.0 == "Apr 2026")
        .map(|t| t.1);
    let order = k004
        .split("<g class=\"case\">")
        .skip(1)
        .find(|g| g.contains("possession order"))
        .and_then(|g| attr(g, "x1"));
    assert!(april.is_some() && april == order, "{april:?} {order:?}");
    let key = between(k004, "<g class=\"casekey\"", "</g>").expect("a key to the letters");
    for entry in [
        ">O</tspan> court order",
        ">C</tspan> contact",
        ">R</tspan> benefit referral",
    ] {
        assert!(key.contains(entry), "{entry} in {key}");
    }
    assert!(
        !key.contains("Breathing Space"),
        "only the kinds on the chart: {key}"
    );
    // K001's arrangement of 2 March, between the March and April ticks.
    let (_, k001) = sections.iter().find(|(a, _)| *a == "K001").expect("K001");
    let x = |label: &str| -> f64 {
        let found = ticks(k001, "taxis", "x1")
            .into_iter()
            .find(|t| t.0 == label);
        found.and_then(|t| t.1.parse().ok()).expect(label)
    };
    let arrangement: f64 = (k001.split("<g class=\"case\">").skip(1))
        .find(|g| g.contains("Case: payment arrangement"))
        .and_then(|g| attr(g, "x1"))
        .and_then(|v| v.parse().ok())
        .expect("the arrangement marked");
    assert!(x("Mar 2026") < arrangement && arrangement < x("Apr 2026"));
    assert!(
        k001.contains(">£1,500</text>"),
        "money axis over the statutory £1,300.00"
    );
}
