//! What the terminal gets: progress on stderr only for a person watching
//! (stderr a terminal, not CI, not --quiet), colour only on a terminal and
//! never with NO_COLOR, notes on stderr unless --quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Set once from `--quiet`.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `--color`: 0 auto, 1 always, 2 never.
static COLOUR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Set once from `--color`.
pub fn set_colour(choice: crate::cli::ColorChoice) {
    use crate::cli::ColorChoice;
    let v = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOUR.store(v, Ordering::Relaxed);
}

/// Colour on standard output: `--color always`, or (auto) a terminal with
/// `NO_COLOR` unset or empty and not under CI (a CI log shows the codes).
pub fn colour_stdout() -> bool {
    match COLOUR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("CI").is_none()
        }
    }
}

/// The width tables are laid out to: `--width`, else `$COLUMNS`, else the
/// terminal's (when writing to one), else 160, which keeps piped and
/// saved reports the same wherever they are made.
pub fn table_width(asked: Option<u16>, to_stdout: bool) -> u16 {
    const NARROWEST: u16 = 40;
    asked
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|&c| c > 0)
        })
        .or_else(|| {
            to_stdout
                .then(|| comfy_table::Table::new().width())
                .flatten()
        })
        .unwrap_or(160)
        .max(NARROWEST)
}

/// Inputs smaller than this read too fast for a bar to help.
const LONG_READ_BYTES: u64 = 8 << 20;

/// A progress bar over `total` bytes of input, or `None` where nobody is
/// watching (a pipe, a file, CI, --quiet) or the read is short.
pub fn progress(total: u64) -> Option<ProgressBar> {
    if total < LONG_READ_BYTES
        || quiet()
        || std::env::var_os("CI").is_some()
        || !std::io::stderr().is_terminal()
    {
        return None;
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{msg:>12} [{bar:40}] {bytes}/{total_bytes} ({eta})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message("reading");
    Some(bar)
}

/// ANSI colour for a word an officer should notice, on a terminal.
pub fn paint(text: &str, colour: Colour) -> String {
    let code = match colour {
        Colour::Red => "31",
        Colour::Yellow => "33",
        Colour::Green => "32",
    };
    format!("\u{1b}[1;{code}m{text}\u{1b}[0m")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    Red,
    Yellow,
    Green,
}

/// With `RENT_AUDIT_TIMINGS` set, prints how long `what` took to stderr: the
/// phase breakdown docs/benchmarks.md reports.
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("RENT_AUDIT_TIMINGS").is_some()) {
        return f();
    }
    let (start, before) = (std::time::Instant::now(), Usage::now());
    let out = f();
    let wall = start.elapsed().as_secs_f64();
    let usage = match (before, Usage::now()) {
        (Some(before), Some(after)) => after.since(&before, wall),
        _ => String::new(),
    };
    eprintln!(
        "{what:>12}: {wall:8.3} s{usage}{}",
        memory().unwrap_or_default()
    );
    out
}

/// The process's CPU time and page faults so far, where the system says
/// (Linux).
struct Usage {
    /// User and system time, in clock ticks (normally 1/100 s).
    user: u64,
    sys: u64,
    /// Pages first touched: each is one the kernel had to clear.
    faults: u64,
}

impl Usage {
    fn now() -> Option<Usage> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // The command name (field 2) may hold spaces; the fields after it
        // don't.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let field = |i: usize| fields.get(i)?.parse::<u64>().ok();
        Some(Usage {
            faults: field(7)?,
            user: field(11)?,
            sys: field(12)?,
        })
    }

    /// CPU time since `before`, how many cores that kept busy over `wall`
    /// seconds, and the system time and faults within it: system time is
    /// mostly the kernel handing over fresh pages.
    fn since(&self, before: &Usage, wall: f64) -> String {
        let seconds = |ticks: u64| ticks as f64 / 100.0;
        let sys = seconds(self.sys.saturating_sub(before.sys));
        let cpu = seconds(self.user.saturating_sub(before.user)) + sys;
        let cores = if wall > 0.0 { cpu / wall } else { 0.0 };
        format!(
            "  cpu {cpu:6.2} s ({cores:.2} cores; sys {sys:5.2} s, {:7} faults)",
            self.faults.saturating_sub(before.faults)
        )
    }
}

/// Resident and peak memory so far, where the system says (Linux).
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|kb| kb.trim().parse::<u64>().ok())
    };
    let (now, peak) = (field("VmRSS:")?, field("VmHWM:")?);
    Some(format!("  rss {} MB, peak {} MB", now / 1024, peak / 1024))
}
