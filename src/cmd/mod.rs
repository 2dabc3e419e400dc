//! One file per subcommand, each wiring input -> core -> report (xsv's layout).

pub mod profile;
pub mod reconcile;
pub mod validate;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Runs the command; returns the process exit code (0 or 1; errors are 2).
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Profile { action } => profile::run(&action),
    }
}

/// Runs `f` on a pool of `threads` workers (default: one per core).
pub fn with_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        anyhow::ensure!(n > 0, "--threads must be at least 1");
        builder = builder.num_threads(n);
    }
    Ok(builder.build()?.install(f))
}
