//! `rent-audit explain TERM`: what a finding kind, status, hold reason or
//! warning means, what to do about it, and an example.

use anyhow::Result;

use crate::cli::ExplainArgs;

pub fn run(args: &ExplainArgs) -> Result<u8> {
    let _ = args;
    Ok(0)
}
