use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rent_audit::cli::Cli::parse();
    match rent_audit::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // Not eprintln!: it panics if stderr is a closed pipe.
            let _ = writeln!(std::io::stderr(), "rent-audit: {err:#}");
            ExitCode::from(2)
        }
    }
}
