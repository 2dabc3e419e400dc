//! `rent-audit.toml` in the data folder: a landlord's settings kept beside
//! its data (trigger, warning band, posting days, rent-free weeks,
//! allocation, profiles). The command line overrides each one.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::recon::due::Allocation;
use crate::recon::Trigger;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "rent-audit.toml";

/// The settings the file gives, each checked; `None` where it is silent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LandlordSettings {
    pub trigger: Option<Trigger>,
    pub warn_at: Option<Decimal>,
    pub posting_days: Option<u32>,
    pub match_days: Option<u32>,
    /// Mondays or any day in each week; an empty list says there are none.
    pub rent_free_weeks: Option<Vec<NaiveDate>>,
    pub allocate: Option<Allocation>,
    pub hb_first_run_days: Option<u32>,
    pub uc_first_run_days: Option<u32>,
    /// Housing Benefit is credited as a rent rebate (a council landlord).
    pub hb_rent_rebates: Option<bool>,
    /// Mapping profiles, relative to the data folder.
    pub profiles: Vec<PathBuf>,
    /// `[report]`: how reports are written where the command line is silent.
    pub report: ReportDefaults,
}

/// The `[report]` table: defaults for `reconcile`'s output, as the command
/// line spells them (`format = "markdown"`, `fail_on = "medium"`,
/// `width = 120`); the command checks the words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDefaults {
    pub format: Option<String>,
    pub fail_on: Option<String>,
    pub width: Option<u16>,
}

/// The file as written: values checked after, so that an error names its key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    trigger: Option<String>,
    warn_at: Option<String>,
    posting_days: Option<u32>,
    match_days: Option<u32>,
    rent_free_weeks: Option<Vec<DateOrText>>,
    allocate: Option<String>,
    hb_first_run_days: Option<u32>,
    uc_first_run_days: Option<u32>,
    hb_rent_rebates: Option<bool>,
    #[serde(default)]
    profiles: Vec<String>,
    #[serde(default)]
    report: ReportDefaults,
}

/// A date written as a TOML date (`2026-12-21`) or as a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateOrText {
    Date(toml::value::Datetime),
    Text(String),
}

impl DateOrText {
    fn text(&self) -> String {
        match self {
            DateOrText::Date(d) => d.to_string(),
            DateOrText::Text(s) => s.clone(),
        }
    }
}

/// A settings file that cannot be used: which file, and why.
#[derive(Debug)]
pub struct SettingsError {
    pub file: PathBuf,
    pub problem: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.problem)
    }
}

impl std::error::Error for SettingsError {}

impl LandlordSettings {
    /// `DIR/rent-audit.toml`, if there is one.
    pub fn in_dir(dir: &Path) -> Result<Option<LandlordSettings>, SettingsError> {
        let file = dir.join(FILE_NAME);
        if !file.exists() {
            return Ok(None);
        }
        let error = |problem: String| SettingsError {
            file: file.clone(),
            problem,
        };
        let text = super::limit::read_text(&file, 1 << 20).map_err(|e| error(e.to_string()))?;
        Self::parse(&text, dir).map(Some).map_err(error)
    }

    /// The file's text; profiles are resolved against `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<LandlordSettings, String> {
        // The parser's own words name the line, the column and the key.
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        fn keyed(key: &str, e: impl std::fmt::Display) -> String {
            format!("{key}: {e}")
        }
        let allocate = match raw.allocate.as_deref() {
            None => None,
            Some(word) => Some(Allocation::from_word(word.trim()).ok_or_else(|| {
                keyed(
                    "allocate",
                    format!("expected {}, found {word:?}", Allocation::expected()),
                )
            })?),
        };
        Ok(LandlordSettings {
            trigger: (raw.trigger.as_deref())
                .map(str::parse)
                .transpose()
                .map_err(|e| keyed("trigger", e))?,
            warn_at: (raw.warn_at.as_ref())
                .map(|v| super::parse::share(v))
                .transpose()
                .map_err(|e| keyed("warn_at", e))?,
            posting_days: raw.posting_days,
            match_days: raw.match_days,
            rent_free_weeks: (raw.rent_free_weeks.as_ref())
                .map(|weeks| {
                    weeks
                        .iter()
                        .map(|w| super::parse::date(w.text().as_bytes()))
                        .collect()
                })
                .transpose()
                .map_err(|e| keyed("rent_free_weeks", e))?,
            allocate,
            hb_first_run_days: raw.hb_first_run_days,
            uc_first_run_days: raw.uc_first_run_days,
            hb_rent_rebates: raw.hb_rent_rebates,
            profiles: raw.profiles.iter().map(|p| dir.join(p)).collect(),
            report: raw.report,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_read_and_profiles_sit_beside_the_data() {
        let text = r#"
            trigger = "8w"
            warn_at = "80%"
            posting_days = 3
            rent_free_weeks = [2026-12-21, "2026-12-28"]
            allocate = "oldest-first"
            profiles = ["bank.toml"]

            [report]
            format = "markdown"
            width = 120
        "#;
        let s = LandlordSettings::parse(text, Path::new("/data")).expect("settings");
        assert_eq!(s.trigger, Some(Trigger::Weeks(Decimal::from(8))));
        assert_eq!(s.warn_at, Some(Decimal::new(80, 2)));
        assert_eq!(s.posting_days, Some(3));
        assert_eq!(s.rent_free_weeks.as_ref().map(Vec::len), Some(2));
        assert_eq!(s.allocate, Some(Allocation::OldestFirst));
        assert_eq!(s.profiles, [PathBuf::from("/data/bank.toml")]);
        assert_eq!(s.match_days, None);
        assert_eq!(s.report.format.as_deref(), Some("markdown"));
        assert_eq!(s.report.width, Some(120));
        assert_eq!(s.report.fail_on, None);
    }

    #[test]
    fn a_bad_value_or_an_unknown_key_names_the_key() {
        let bad = |text: &str| LandlordSettings::parse(text, Path::new(".")).expect_err(text);
        assert!(bad(r#"trigger = "4x""#).starts_with("trigger: expected a trigger"));
        assert!(bad(r#"allocate = "newest-first""#).starts_with("allocate: expected rent-first"));
        assert!(bad(r#"rent_free_weeks = ["21/12/2026"]"#).starts_with("rent_free_weeks:"));
        assert!(bad("triger = \"4w\"").contains("unknown field `triger`"));
        assert!(bad("[report]\nfromat = \"csv\"").contains("unknown field `fromat`"));
    }
}
