//! Any bytes as a mapping profile: loaded, and where it loads, used to read
//! the messy sample's exports. Nothing may panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rent_audit::input::{self, profile::Profile, InputPaths, Mode};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("p.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(profile) = Profile::load(&path) else {
        return;
    };
    let messy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sample-messy");
    let paths = InputPaths::in_dir(&messy, Some(&profile));
    let _ = input::load_with(&paths, Some(&profile), Mode::Lenient);
});
