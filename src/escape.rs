//! Text an input controls (names, references, descriptions), made safe for
//! where it is written: one function per target. A payer name is written by
//! a stranger; nothing in it may move the cursor, run in a browser, break a
//! table or run as a formula.

use std::borrow::Cow;

/// Characters that change how text around them is shown without being
/// seen: control characters (escape sequences, CR, NUL, C1), the bidi
/// overrides and isolates that reorder a line ("Trojan source"), and the
/// zero-width ones that hide a difference between two names.
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Each hidden character as its `\u{..}` escape, the rest as it is.
fn shown(text: &str, out: &mut String) {
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
}

/// For a terminal: hidden characters shown as `\u{1b}` and so on, never
/// sent (`\e[2K` would otherwise rewrite "Do not serve").
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    shown(text, &mut out);
    Cow::Owned(out)
}

/// For HTML content and attribute values (quoted with `"` or `'`).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// For a cell of a CSV opened in a spreadsheet: text starting with
/// `= + - @` (or a tab or carriage return) gets a leading apostrophe so it
/// is never run as a formula. Plain numbers such as `-412.50` are left
/// alone. The CSV writer quotes what needs quoting.
pub fn spreadsheet(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky {
        return Cow::Borrowed(cell);
    }
    // `-412.50` and `-£1,240.00` are values a spreadsheet reads as numbers.
    let bare: String = cell.chars().filter(|c| !matches!(c, '£' | ',')).collect();
    if bare.parse::<rust_decimal::Decimal>().is_ok() {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(format!("'{cell}"))
    }
}

/// For a Markdown table cell or line, rendered or pasted: no raw HTML
/// (`<img onerror>` runs when the page is opened), no link or emphasis
/// (`[pay here](…)`), no broken table (`|`, `\`, line ends), no formula
/// when pasted into a spreadsheet, no hidden characters.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let safe = spreadsheet(text);
    let chars: Vec<char> = safe.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // Inside a word (`wrong_account`) an underscore emphasises
            // nothing, and is left as it reads.
            '_' if word(i.checked_sub(1)) && word(Some(i + 1)) => out.push(c),
            '\\' | '|' | '[' | ']' | '`' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text an attacker or a careless export might put in a name or a
    /// reference.
    const HOSTILE: &[&str] = &[
        "\u{1b}7\u{1b}[32A\r\u{1b}[2KSERVE NOW: arrears real\u{1b}8",
        "\u{9b}2J",
        "J SMITH\u{0}RA1001",
        "\u{7f}\u{8}\u{8}\u{8}",
        "<img src=x onerror=alert(1)>",
        "</td></tr><script>alert('x')</script>",
        "\" onmouseover=\"alert(1)",
        "' autofocus onfocus='alert(1)",
        "a | b | c",
        "ends in a backslash \\",
        "\\| escaped already",
        "line one\nline two\r\nline three\rfour",
        "\u{202E}05.214£ :eud",
        "RA1001\u{200B}",
        "\u{2066}RA1001\u{2069}",
        "=HYPERLINK(\"http://x\",\"click\")",
        "@SUM(A1:A9)",
        "+44 20 7946 0000",
        "-2+3",
        "\t=1",
        "\r=1",
        "[pay here](javascript:alert(1))",
        "![x](http://x/pixel.png)",
        "**URGENT** _now_ ~~not~~ `code`",
        "&amp; &lt; &#x3C;",
        "# a heading\n- a list",
    ];

    /// Text no escape may change: what names and references are made of.
    const PLAIN: &[&str] = &[
        "RA1001",
        "Mrs Siân O'Neill-Jones",
        "DDM RA1001 JAN",
        "£412.50",
        "-412.50",
        "Ffion ap Dafydd, 12 Heol y Bont",
    ];

    fn no_hidden(out: &str) -> bool {
        !out.chars().any(hidden)
    }

    #[test]
    fn the_terminal_is_sent_no_hidden_character() {
        for h in HOSTILE {
            let out = terminal(h);
            assert!(no_hidden(&out), "{h:?} -> {out:?}");
            // Nothing is dropped: each hidden character is shown.
            assert!(out.chars().count() >= h.chars().count(), "{h:?}");
        }
        assert_eq!(terminal("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
    }

    #[test]
    fn html_holds_no_markup_and_no_quote_to_break_an_attribute() {
        for h in HOSTILE {
            let out = html(h);
            assert!(!out.contains(['<', '>', '"', '\'']), "{h:?} -> {out}");
            assert!(no_hidden(&out), "{h:?} -> {out:?}");
            // Every `&` starts one of the entities written here.
            for (i, _) in out.match_indices('&') {
                let rest = &out[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| rest.starts_with(e)),
                    "{h:?} -> {out}"
                );
            }
        }
    }

    #[test]
    fn a_spreadsheet_runs_no_formula_but_keeps_numbers() {
        for h in HOSTILE {
            let out = spreadsheet(h);
            let number = out.parse::<rust_decimal::Decimal>().is_ok();
            assert!(
                number || !out.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{h:?} -> {out}"
            );
        }
        assert_eq!(spreadsheet("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet("-£1,240.00"), "-£1,240.00");
        assert_eq!(spreadsheet("-SUM(A1)"), "'-SUM(A1)");
    }

    /// Whether `out` has `c` not escaped by a backslash (an odd run of
    /// backslashes before it escapes it).
    fn bare(out: &str, c: char) -> bool {
        let chars: Vec<char> = out.chars().collect();
        chars.iter().enumerate().any(|(i, &x)| {
            x == c && chars[..i].iter().rev().take_while(|&&b| b == '\\').count() % 2 == 0
        })
    }

    #[test]
    fn markdown_renders_no_html_link_or_broken_table() {
        for h in HOSTILE {
            let out = markdown(h);
            assert!(!out.contains(['<', '>', '\n', '\r']), "{h:?} -> {out}");
            for c in ['|', '[', ']', '`', '*', '_'] {
                assert!(!bare(&out, c), "{h:?} -> {out}: bare {c}");
            }
            assert!(
                !out.ends_with('\\') || out.ends_with("\\\\"),
                "{h:?} -> {out}"
            );
            assert!(no_hidden(&out), "{h:?} -> {out:?}");
        }
        assert_eq!(markdown("\\| a"), "\\\\\\| a");
        assert_eq!(markdown("wrong_account _now_"), "wrong_account \\_now\\_");
    }

    #[test]
    fn plain_text_passes_every_escape_unchanged() {
        for p in PLAIN {
            assert_eq!(terminal(p), *p);
            assert_eq!(spreadsheet(p), *p);
            assert_eq!(html(p).replace("&#39;", "'"), *p);
            assert_eq!(markdown(p), *p);
        }
    }
}
