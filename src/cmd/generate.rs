//! `rent-audit generate`: the synthetic landlord (src/generate), built
//! only with the `generate` feature (on by default). Here the profiles are
//! loaded and the library's error becomes the command's.

use anyhow::Result;

use crate::cli::GenerateArgs;

/// Loads the profiles `args` name and writes the landlord; any error is
/// exit 2 (none is a usage error).
pub fn run(args: &GenerateArgs) -> Result<u8> {
    let profile = super::profile(&args.profile)?;
    crate::generate::run(args, profile.as_ref())?;
    Ok(0)
}
