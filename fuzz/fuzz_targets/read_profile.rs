//! Any bytes as a mapping profile: parsed, and where it parses, used to
//! read the messy exports (cut small, in memory) and reconciled. Nothing
//! may panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rent_audit::input::{self, profile::Profile, Mode};
use rent_audit::recon::{self, Settings};

const MESSY: [&[u8]; 6] = [
    include_bytes!("../base/messy/accounts.csv"),
    include_bytes!("../base/messy/ledger.csv"),
    include_bytes!("../base/messy/bank.csv"),
    include_bytes!("../base/messy/schedules.csv"),
    include_bytes!("../base/messy/rents.csv"),
    include_bytes!("../base/messy/cases.csv"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(profile) = Profile::parse(text, "fuzzed") else {
        return;
    };
    let files = MESSY.map(|b| Some(b.to_vec()));
    if let Ok(loaded) = input::load_bytes(&files, Some(&profile), Mode::Lenient) {
        let _ = recon::reconcile(&loaded.data, Settings::default());
    }
});
