//! A rule's value made from what its pattern captured, in the regex crate's
//! replacement syntax (`$1`, `${1}`, `$name`, `${name}`; `$$` is a dollar),
//! checked against the pattern when the profile is loaded.

use regex::{CaptureLocations, Regex};

/// One piece of a value: text as written, or a group's capture.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Group(usize),
}

/// A value that names a group its pattern does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingGroup {
    group: String,
}

impl MissingGroup {
    /// The group as the value names it (`2`, `payer`).
    pub fn group(&self) -> &str {
        &self.group
    }

    pub fn into_group(self) -> String {
        self.group
    }
}

impl std::fmt::Display for MissingGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the pattern has no group {:?}", self.group)
    }
}

impl std::error::Error for MissingGroup {}

/// A rule's value with group references, compiled against its pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// `value` compiled against `pattern`: `Ok(None)` where it names no
    /// group (a constant, set as written), an error where it names a
    /// group the pattern does not have.
    pub fn compile(value: &str, pattern: &Regex) -> Result<Option<Template>, MissingGroup> {
        if !value.contains('$') {
            return Ok(None);
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = value;
        while let Some(at) = rest.find('$') {
            text.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            let Some((name, after)) = group_name(rest) else {
                // `$$`, or a `$` that names nothing, is a dollar.
                text.push('$');
                rest = rest.strip_prefix('$').unwrap_or(rest);
                continue;
            };
            let group = resolve(name, pattern).ok_or_else(|| MissingGroup {
                group: name.to_string(),
            })?;
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Group(group));
            rest = after;
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Some(Template { parts }))
    }

    /// Whether any part is a capture (`$$` alone makes a template with none).
    pub fn captures(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Group(_)))
    }

    /// The value for one match: each group's text in `haystack` as `locs`
    /// found it (empty where the group took no part), onto `out`.
    pub fn write(&self, locs: &CaptureLocations, haystack: &str, out: &mut String) {
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Group(g) => {
                    if let Some((start, end)) = locs.get(*g) {
                        out.push_str(haystack.get(start..end).unwrap_or_default());
                    }
                }
            }
        }
    }
}

/// The group named right after a `$`, and the text after the reference:
/// `{...}` up to its brace, else the longest run of letters, digits and
/// `_` (as the regex crate reads `$name`). `None` where it names nothing.
fn group_name(rest: &str) -> Option<(&str, &str)> {
    let (name, after) = match rest.strip_prefix('{') {
        Some(braced) => {
            let end = braced.find('}')?;
            (&braced[..end], &braced[end + 1..])
        }
        None => {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        }
    };
    (!name.is_empty()).then_some((name, after))
}

/// The index of group `name` (a number or a name) in `pattern`, if it has it.
fn resolve(name: &str, pattern: &Regex) -> Option<usize> {
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return name
            .parse::<usize>()
            .ok()
            .filter(|&i| i < pattern.captures_len());
    }
    pattern.capture_names().position(|n| n == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(value: &str, pattern: &str, haystack: &str) -> Result<String, String> {
        let re = Regex::new(pattern).map_err(|e| e.to_string())?;
        let Some(t) = Template::compile(value, &re).map_err(MissingGroup::into_group)? else {
            return Ok(value.to_string());
        };
        let mut locs = re.capture_locations();
        re.captures_read(&mut locs, haystack);
        let mut out = String::new();
        t.write(&locs, haystack, &mut out);
        Ok(out)
    }

    #[test]
    fn groups_are_named_as_the_regex_crate_names_them() {
        let re = r"(?P<name>[A-Z]+) REF (\d+)";
        let on = "PAID BY SMITH REF 1009";
        assert_eq!(expand("RA$2", re, on).as_deref(), Ok("RA1009"));
        assert_eq!(expand("${2}x", re, on).as_deref(), Ok("1009x"));
        assert_eq!(
            expand("$name / ${name}", re, on).as_deref(),
            Ok("SMITH / SMITH")
        );
        assert_eq!(expand("$0", re, on).as_deref(), Ok("SMITH REF 1009"));
        assert_eq!(expand("$$5 $", re, on).as_deref(), Ok("$5 $"));
        assert_eq!(expand("hb", re, on).as_deref(), Ok("hb"));
    }

    #[test]
    fn a_group_the_pattern_lacks_is_refused() {
        let re = r"(?P<name>[A-Z]+) REF (\d+)";
        assert_eq!(expand("$3", re, ""), Err("3".to_string()));
        assert_eq!(expand("${payer}", re, ""), Err("payer".to_string()));
        // `$2x` is the group named `2x`, as in the regex crate.
        assert_eq!(expand("$2x", re, ""), Err("2x".to_string()));
        let missing = Template::compile("$3", &Regex::new(re).expect("pattern"));
        assert_eq!(
            missing.map_err(|e| e.to_string()),
            Err(r#"the pattern has no group "3""#.to_string())
        );
    }

    #[test]
    fn a_group_that_took_no_part_is_empty() {
        assert_eq!(expand("[$1]", "a(b)?", "a").as_deref(), Ok("[]"));
    }
}
