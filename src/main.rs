use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Reading and matching make millions of small, short-lived allocations
// (row text, keys, per-batch vectors); mimalloc serves them from per-thread
// pages, where glibc's malloc was a large share of a profiled run
// (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e` since
/// mimalloc 2.0; the bindings name no constant for it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed by one step of a run is given back to the system after
    // 100 ms, not mimalloc 3's 1 s: a step lasts about that long, so the
    // next step's peak no longer sits on the last one's freed memory
    // (docs/benchmarks.md).
    // mimalloc's own variable, where set, still decides.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain option value before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 100) };
    }
    // Ordinary 4 KiB pages, not transparent huge pages. A huge page is
    // cleared whole when first touched, and on the virtual machines the
    // benchmarks run on that cost more system time than it saved, and
    // varied widely from run to run. Small pages cost more TLB misses, but less
    // than the system time they save (docs/benchmarks.md has both).
    // mimalloc's own variable, where set, still decides.
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: a plain flag on this process; no pointers. (mimalloc's
        // own option is read as it starts, before main: this is what it
        // does with it.) A failure leaves huge pages on, which is harmless.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
    rent_audit::output::clean_up_on_interrupt();
    let cli = match rent_audit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and --version are not errors; a command line the parser
        // refuses is a usage error, apart from input that cannot be read.
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                rent_audit::cmd::USAGE_EXIT
            } else {
                0
            });
        }
    };
    match rent_audit::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // Not eprintln!: it panics if stderr is a closed pipe.
            let _ = writeln!(std::io::stderr(), "rent-audit: {err:#}");
            let usage = err.downcast_ref::<rent_audit::cmd::UsageError>().is_some();
            ExitCode::from(if usage {
                rent_audit::cmd::USAGE_EXIT
            } else {
                2
            })
        }
    }
}
