//! The quick reading of the two extraction shapes `profile init` drafts:
//! what comes before, or after, a plain separator. Read with a search for
//! the separator instead of the regex engine, with the same result.

/// An extraction of the kind `profile init` drafts, `^(?P<value>.*?)SEP`
/// (what comes before the first separator) or `SEP(?P<value>.*)$` (what
/// comes after it), read with a search for the separator instead of the
/// regex engine, which was a large part of reading a bank line through a
/// profile.
#[derive(Clone, Debug)]
pub(crate) struct Split {
    pub(super) side: Side,
    /// The separator's searcher, built once.
    pub(super) sep: memchr::memmem::Finder<'static>,
}

/// Which side of the separator a [`Split`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Before,
    After,
}

impl Split {
    const BEFORE: &'static str = "^(?P<value>.*?)";
    const AFTER: &'static str = "(?P<value>.*)$";

    /// The pattern that reads the `side` of the first `sep`: what
    /// `profile init` drafts, and what [`Split::of`] knows again.
    pub(crate) fn pattern(side: Side, sep: &str) -> String {
        match side {
            Side::Before => format!("{}{}", Self::BEFORE, regex::escape(sep)),
            Side::After => format!("{}{}", regex::escape(sep), Self::AFTER),
        }
    }

    /// The split `pattern` is, if it is one: the separator must be a plain
    /// literal (as `regex::escape` writes it).
    pub(super) fn of(pattern: &str) -> Option<Split> {
        let (escaped, side) = if let Some(rest) = pattern.strip_prefix(Self::BEFORE) {
            (rest, Side::Before)
        } else if let Some(rest) = pattern.strip_suffix(Self::AFTER) {
            (rest, Side::After)
        } else {
            return None;
        };
        let mut literal = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            literal.push(if c == '\\' { chars.next()? } else { c });
        }
        // Anything the pattern does not match literally (`\d`, `.`, `(`)
        // escapes otherwise.
        (!literal.is_empty() && regex::escape(&literal) == escaped).then(|| Split {
            side,
            sep: memchr::memmem::Finder::new(literal.as_bytes()).into_owned(),
        })
    }

    /// Where the value lies in `text`, as the pattern's `value` group would
    /// find it (`Some(None)`: no match); `None` for a text with a line
    /// break, which `.` does not cross, left to the regex.
    pub(super) fn span(&self, text: &str) -> Option<Option<(usize, usize)>> {
        if text.contains('\n') {
            return None;
        }
        let at = self.sep.find(text.as_bytes());
        Some(at.map(|at| match self.side {
            Side::Before => (0, at),
            Side::After => (at + self.sep.needle().len(), text.len()),
        }))
    }
}
