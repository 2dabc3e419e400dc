use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Reading and matching make millions of small, short-lived allocations
// (row text, keys, per-batch vectors); mimalloc serves them from per-thread
// pages where glibc's malloc spent a third of a profiled run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
