//! Any bytes as one of the input files, held in memory (no file system):
//! the first byte picks the file, and which others stand beside it: the
//! clean fixture's, the sample's, or the messy exports' (read through their
//! profiles), cut small. Read strictly and leniently, and reconciled when
//! read. Nothing may panic, abort or hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rent_audit::input::{self, profile::Profile, Mode};
use rent_audit::recon::{self, Settings};

const CLEAN: [&[u8]; 6] = [
    include_bytes!("../../fixtures/clean/accounts.csv"),
    include_bytes!("../../fixtures/clean/ledger.csv"),
    include_bytes!("../../fixtures/clean/bank.csv"),
    b"batch_ref,account_ref,claim_ref,amount,period_start,period_end\n",
    b"account_ref,from,rent\nC001,2026-01-01,100.00\n",
    b"account_ref,kind,from,to,amount,note\nC001,contact,2026-03-10,,,letter\n",
];

/// The sample and the messy exports cut to six accounts (fuzz/base): a
/// fifth of the bytes, so each run is quick.
const SAMPLE: [&[u8]; 6] = [
    include_bytes!("../base/sample/accounts.csv"),
    include_bytes!("../base/sample/ledger.csv"),
    include_bytes!("../base/sample/bank.csv"),
    include_bytes!("../base/sample/schedules.csv"),
    include_bytes!("../base/sample/rents.csv"),
    include_bytes!("../base/sample/cases.csv"),
];

const MESSY: [&[u8]; 6] = [
    include_bytes!("../base/messy/accounts.csv"),
    include_bytes!("../base/messy/ledger.csv"),
    include_bytes!("../base/messy/bank.csv"),
    include_bytes!("../base/messy/schedules.csv"),
    include_bytes!("../base/messy/rents.csv"),
    include_bytes!("../base/messy/cases.csv"),
];

fn messy_profile() -> Option<&'static Profile> {
    static PROFILE: OnceLock<Option<Profile>> = OnceLock::new();
    PROFILE
        .get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/profiles");
            let bank = Profile::load(&dir.join("westshire-bank.toml")).ok()?;
            let housing = Profile::load(&dir.join("westshire-housing.toml")).ok()?;
            Some(bank.overlaid_with(housing))
        })
        .as_ref()
}

/// One thread, the fuzzer's own: a pool of others would cost a wake-up
/// and a switch on every join, more than a small input takes to read.
fn one_thread() {
    static POOL: OnceLock<()> = OnceLock::new();
    POOL.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global();
    });
}

fuzz_target!(|data: &[u8]| {
    one_thread();
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let (base, profile) = match (which >> 2) % 3 {
        0 => (CLEAN, None),
        1 => (SAMPLE, None),
        _ => (MESSY, messy_profile()),
    };
    let files = std::array::from_fn(|i| {
        Some(
            if i == usize::from(which % 6) {
                bytes
            } else {
                base[i]
            }
            .to_vec(),
        )
    });
    let _ = input::load_bytes(&files, profile, Mode::Strict);
    if let Ok(loaded) = input::load_bytes(&files, profile, Mode::Lenient) {
        let _ = recon::reconcile(&loaded.data, Settings::default());
    }
});
