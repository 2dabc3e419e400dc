//! Mapping profiles: how a source system's export maps onto the contract. One
//! TOML file describes each input's columns, date formats, amount style,
//! encoding, rows to skip, code tables and extraction rules (docs/profiles.md).
//! A profile turns each raw record into a canonical one as it is read.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;

use super::mapping::Template;
use crate::recon::model::SourceFile;

/// A whole profile: one optional section per input file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// What system the profile is for (shown in `validate`).
    pub name: Option<String>,
    pub accounts: Option<FileProfile>,
    pub ledger: Option<FileProfile>,
    pub bank: Option<FileProfile>,
    pub schedules: Option<FileProfile>,
    pub rents: Option<FileProfile>,
    pub cases: Option<FileProfile>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    #[serde(
        rename = "windows-1252",
        alias = "cp1252",
        alias = "windows1252",
        alias = "latin1"
    )]
    Windows1252,
}

/// How one input file is laid out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileProfile {
    /// The file's name inside the input folder, if not the contract's.
    pub file: Option<String>,
    #[serde(default)]
    pub encoding: Encoding,
    /// A single character; default `,`.
    pub delimiter: Option<String>,
    /// Lines above the header row (a bank's preamble).
    #[serde(default)]
    pub skip_rows: usize,
    /// Records at the end to ignore (totals, "end of statement").
    #[serde(default)]
    pub trailer_rows: usize,
    /// chrono formats tried in order, e.g. `%d/%m/%Y`; default ISO only.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// Contract field -> source column name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    pub amount: Option<AmountStyle>,
    #[serde(default)]
    pub extract: Vec<Extract>,
    #[serde(default)]
    pub codes: Vec<CodeTable>,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// Where money is and which way it goes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountStyle {
    /// One signed column.
    pub signed: Option<String>,
    /// Flip the sign of `signed` (a ledger export where credits are positive).
    #[serde(default)]
    pub negate: bool,
    /// Money received / paid out columns (bank statements).
    pub paid_in: Option<String>,
    pub paid_out: Option<String>,
    /// Debit / credit columns (ledgers).
    pub debit: Option<String>,
    pub credit: Option<String>,
}

/// Take a field out of a source column with a regular expression: the named
/// group `value` (or the first group, or the whole match).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extract {
    pub field: String,
    pub column: String,
    pub pattern: String,
}

/// Map a source column's codes (case-insensitive, trimmed) to contract words.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTable {
    pub column: String,
    /// The contract field the code sets (`kind`, `method`...).
    pub set: String,
    pub map: BTreeMap<String, String>,
    /// Used for codes not in `map`; without it an unknown code is an error.
    pub default: Option<String>,
}

/// hledger-style if-block: where `column` matches `pattern`, set fields,
/// each to its text or to what the pattern captured (`$1`, `${name}`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub column: String,
    pub pattern: String,
    pub set: BTreeMap<String, String>,
}

impl Rule {
    /// Rule number `n`: its pattern, and every group its values name.
    fn check(&self, n: usize) -> Result<(), SectionProblem> {
        let re = Regex::new(&self.pattern).map_err(|error| SectionProblem::RulePattern {
            column: self.column.clone(),
            error,
        })?;
        for (field, value) in &self.set {
            Template::compile(value, &re).map_err(|missing| SectionProblem::RuleGroup {
                rule: n,
                column: self.column.clone(),
                field: field.clone(),
                value: value.clone(),
                group: missing.into_group(),
            })?;
        }
        Ok(())
    }
}

impl Profile {
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let name = path.display().to_string();
        // Profiles are a few KiB; a device named by mistake is refused.
        match super::limit::read_text(path, 1 << 20) {
            Ok(text) => Profile::parse(&text, &name),
            Err(e) => Err(ProfileError {
                profile: name,
                kind: ProfileErrorKind::Read(e),
            }),
        }
    }

    /// A profile's text, checked; `name` says which profile in an error.
    pub fn parse(text: &str, name: &str) -> Result<Profile, ProfileError> {
        let error = |kind| ProfileError {
            profile: name.to_string(),
            kind,
        };
        let profile: Profile =
            toml::from_str(text).map_err(|e| error(ProfileErrorKind::Syntax(e)))?;
        for file in SourceFile::ALL {
            if let Some(fp) = profile.section(file) {
                fp.check().map_err(|problem| {
                    error(ProfileErrorKind::Section {
                        section: section_name(file),
                        problem: Box::new(problem),
                    })
                })?;
            }
        }
        Ok(profile)
    }

    /// This profile with `other`'s sections taking precedence.
    pub fn overlaid_with(self, other: Profile) -> Profile {
        Profile {
            name: match (self.name, other.name) {
                (Some(a), Some(b)) => Some(format!("{a} + {b}")),
                (a, b) => b.or(a),
            },
            accounts: other.accounts.or(self.accounts),
            ledger: other.ledger.or(self.ledger),
            bank: other.bank.or(self.bank),
            schedules: other.schedules.or(self.schedules),
            rents: other.rents.or(self.rents),
            cases: other.cases.or(self.cases),
        }
    }

    pub fn section(&self, file: SourceFile) -> Option<&FileProfile> {
        match file {
            SourceFile::Accounts => self.accounts.as_ref(),
            SourceFile::Ledger => self.ledger.as_ref(),
            SourceFile::Bank => self.bank.as_ref(),
            SourceFile::Schedules => self.schedules.as_ref(),
            SourceFile::Rents => self.rents.as_ref(),
            SourceFile::Cases => self.cases.as_ref(),
        }
    }
}

pub fn section_name(file: SourceFile) -> &'static str {
    match file {
        SourceFile::Accounts => "accounts",
        SourceFile::Ledger => "ledger",
        SourceFile::Bank => "bank",
        SourceFile::Schedules => "schedules",
        SourceFile::Rents => "rents",
        SourceFile::Cases => "cases",
    }
}

/// A profile that cannot be used, and why.
#[derive(Debug)]
pub struct ProfileError {
    /// The profile's path, as the user named it.
    pub profile: String,
    pub kind: ProfileErrorKind,
}

#[derive(Debug)]
pub enum ProfileErrorKind {
    /// The file could not be read.
    Read(std::io::Error),
    /// Not TOML, or keys the grammar does not have.
    Syntax(toml::de::Error),
    /// A section's content is wrong (a delimiter, a date format, a pattern).
    Section {
        section: &'static str,
        problem: Box<SectionProblem>,
    },
}

/// What is wrong with a section, found before any data is read.
#[derive(Debug)]
pub enum SectionProblem {
    /// `delimiter` is not one character.
    Delimiter(String),
    /// A date format chrono cannot read back.
    DateFormat(String),
    /// An `[[extract]]` pattern that is not a regular expression.
    ExtractPattern { field: String, error: regex::Error },
    /// A `[[rules]]` pattern that is not a regular expression.
    RulePattern { column: String, error: regex::Error },
    /// A rule (1-based, in the section's order) whose value names a
    /// group its pattern does not have.
    RuleGroup {
        rule: usize,
        column: String,
        field: String,
        value: String,
        group: String,
    },
    /// An `[amount]` with no style, or two.
    AmountStyles,
}

impl std::fmt::Display for SectionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SectionProblem::Delimiter(d) => {
                write!(f, "delimiter must be one character, found {d:?}")
            }
            SectionProblem::DateFormat(d) => write!(
                f,
                "date format {d:?} cannot read back a date it writes (use chrono's %d, %m, %Y, %b...)"
            ),
            SectionProblem::ExtractPattern { field, error } => {
                write!(f, "extract pattern for {field}: {error}")
            }
            SectionProblem::RulePattern { column, error } => {
                write!(f, "rule pattern on {column}: {error}")
            }
            SectionProblem::RuleGroup {
                rule,
                column,
                field,
                value,
                group,
            } => write!(
                f,
                "[[rules]] {rule} (on {column:?}) sets {field} = {value:?}, but its pattern has no group {group:?} \
                 (groups are $1, ${{1}}, $name or ${{name}}; $$ is a dollar)"
            ),
            SectionProblem::AmountStyles => write!(
                f,
                "[amount] needs exactly one style: signed, paid_in/paid_out, or debit/credit"
            ),
        }
    }
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.profile;
        match &self.kind {
            ProfileErrorKind::Read(_) => write!(f, "cannot read profile {p}"),
            ProfileErrorKind::Syntax(_) => write!(f, "profile {p} is not valid"),
            ProfileErrorKind::Section { section, problem } => {
                write!(f, "profile {p}, section [{section}]: {problem}")
            }
        }
    }
}

impl std::error::Error for ProfileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ProfileErrorKind::Read(e) => Some(e),
            ProfileErrorKind::Syntax(e) => Some(e),
            ProfileErrorKind::Section { .. } => None,
        }
    }
}

impl FileProfile {
    /// Catches mistakes in the profile itself before any data is read.
    fn check(&self) -> Result<(), SectionProblem> {
        if let Some(d) = &self.delimiter {
            if d.len() != 1 {
                return Err(SectionProblem::Delimiter(d.clone()));
            }
        }
        for f in &self.date_formats {
            // chrono panics when asked to format with a bad specifier, so the
            // items are checked before any date is formatted or parsed.
            let bad = chrono::format::StrftimeItems::new(f)
                .any(|i| matches!(i, chrono::format::Item::Error));
            let round_trips = || {
                let items = chrono::format::StrftimeItems::new(f);
                NaiveDate::from_ymd_opt(2026, 4, 6)
                    .and_then(|d| super::date_format::write_date(d, items))
                    .is_some_and(|written| NaiveDate::parse_from_str(&written, f).is_ok())
            };
            if bad || !round_trips() {
                return Err(SectionProblem::DateFormat(f.clone()));
            }
        }
        for e in &self.extract {
            Regex::new(&e.pattern).map_err(|error| SectionProblem::ExtractPattern {
                field: e.field.clone(),
                error,
            })?;
        }
        for (n, r) in self.rules.iter().enumerate() {
            r.check(n + 1)?;
        }
        if let Some(a) = &self.amount {
            let styles = [
                a.signed.is_some(),
                a.paid_in.is_some() || a.paid_out.is_some(),
                a.debit.is_some() || a.credit.is_some(),
            ];
            if styles.iter().filter(|s| **s).count() != 1 {
                return Err(SectionProblem::AmountStyles);
            }
        }
        Ok(())
    }

    pub fn delimiter_byte(&self) -> u8 {
        self.delimiter
            .as_deref()
            .and_then(|d| d.bytes().next())
            .unwrap_or(b',')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(toml_text: &str) -> String {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("p.toml");
        std::fs::write(&path, toml_text).expect("write");
        format!("{:#}", Profile::load(&path).expect_err("should be refused"))
    }

    #[test]
    fn mistakes_in_a_profile_are_refused_with_their_section() {
        assert!(problem("[bank]\ndelimiter = \";;\"\n")
            .ends_with("delimiter must be one character, found \";;\""));
        assert!(problem("[bank]\ndate_formats = [\"%Q\"]\n")
            .contains("date format \"%Q\" cannot read back a date it writes"));
    }

    #[test]
    fn date_formats_with_times_and_zones_are_read_never_panic() {
        let load = |f: &str| {
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("p.toml");
            std::fs::write(&path, format!("[bank]\ndate_formats = [{f:?}]\n")).expect("write");
            Profile::load(&path)
        };
        for f in [
            "%d/%m/%Y %H:%M",
            "%Y-%m-%dT%H:%M:%S%z",
            "%d/%m/%Y %H:%M:%S%.f",
            "%d %b %Y %p %I:%M",
        ] {
            assert!(load(f).is_ok(), "{f}");
        }
        // A format with no date in it is refused, never a panic.
        for f in ["%H:%M", "%S", "%T", "%Z", "%s", "%c", "%.f", "%p", "%z"] {
            let _ = load(f);
        }
    }
}
