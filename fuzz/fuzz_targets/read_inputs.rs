//! Any bytes as one of the four input files (the first byte says which),
//! the others the sample's: read strictly and leniently, and reconciled
//! when read. Nothing may panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rent_audit::input::{self, InputPaths, Mode};
use rent_audit::recon::{self, Settings};

const SAMPLE: [(&str, &[u8]); 4] = [
    (
        "accounts.csv",
        include_bytes!("../../fixtures/sample/accounts.csv"),
    ),
    (
        "ledger.csv",
        include_bytes!("../../fixtures/sample/ledger.csv"),
    ),
    ("bank.csv", include_bytes!("../../fixtures/sample/bank.csv")),
    (
        "schedules.csv",
        include_bytes!("../../fixtures/sample/schedules.csv"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    for (i, (name, sample)) in SAMPLE.iter().enumerate() {
        let body = if i == usize::from(which % 4) {
            bytes
        } else {
            sample
        };
        if std::fs::write(dir.path().join(name), body).is_err() {
            return;
        }
    }
    let paths = InputPaths::in_dir(dir.path(), None);
    let _ = input::load_with(&paths, None, Mode::Strict);
    if let Ok(loaded) = input::load_with(&paths, None, Mode::Lenient) {
        let _ = recon::reconcile(&loaded.data, Settings::default());
    }
});
