//! rent-audit: reconciles social-housing rent accounts against the money
//! actually received, and reviews every account reaching the NOSP trigger.
//! `recon` is the pure core; `input` and `report` are the edges; `cmd` wires them.

pub mod cli;
pub mod cmd;
pub mod escape;
#[cfg(feature = "generate")]
pub mod generate;
pub mod input;
pub mod output;
pub mod recon;
pub mod report;
pub mod term;
