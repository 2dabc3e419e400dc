//! How loudly every format shows a status or a severity: one tier each, by
//! exhaustive matches on the domain's enums, so a new status or severity
//! does not compile until it is given one.

use crate::recon::{Severity, Status};

/// How loudly a word is shown: the terminal's colours and the pack's
/// classes are each one match on this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The posted balance is wrong, or a finding is of high severity.
    Wrong,
    /// Wait or watch: medium severity.
    Wait,
    /// Genuine arrears: its own colour.
    Genuine,
    /// Nothing to act on: low severity, a clear account.
    Quiet,
}

impl Tier {
    pub fn of_status(status: Status) -> Tier {
        match status {
            Status::FalseTrigger | Status::FalseApproach | Status::HiddenArrears => Tier::Wrong,
            Status::TechnicalArrears | Status::ProtocolHold | Status::Approaching => Tier::Wait,
            Status::Genuine => Tier::Genuine,
            Status::Clear => Tier::Quiet,
        }
    }

    pub fn of_severity(severity: Severity) -> Tier {
        match severity {
            Severity::High => Tier::Wrong,
            Severity::Medium => Tier::Wait,
            Severity::Low => Tier::Quiet,
        }
    }

    /// The tier of a cell holding a status's or a severity's word, read
    /// back through their vocabularies: tables arrive as text.
    pub fn of_word(word: &str) -> Option<Tier> {
        Status::from_word(word)
            .map(Tier::of_status)
            .or_else(|| Severity::from_word(word).map(Tier::of_severity))
    }

    /// The statuses of this tier, in the contract's order, for a key.
    pub fn statuses(self) -> String {
        (Status::ALL.iter())
            .filter(|s| Tier::of_status(**s) == self)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
