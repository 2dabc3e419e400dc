//! `cargo bench`: the core on a generated landlord (5,000 accounts x 3
//! months, about 90,000 rows) with no I/O in the timed part, plus reading the
//! same files. Whole-run numbers at S to XL come from bench/run.sh.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use rent_audit::cli::GenerateArgs;
use rent_audit::input::{self, InputPaths};
use rent_audit::recon::{self, identify::RefIndex, Settings};

fn landlord(dir: &Path) -> InputPaths {
    let args = GenerateArgs {
        accounts: 5_000,
        months: 3,
        seed: 7,
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        out: dir.to_path_buf(),
        profile: Vec::new(),
        dd_returns: 20,
        represent: 500,
        refunds: 5,
        write_offs: 10,
        sundry: 20,
        late_increase: 10,
        cases: 20,
        clawbacks: 20,
        split_postings: 15,
        combined_postings: 5,
        council: false,
        force: true,
    };
    rent_audit::cmd::generate::run(&args).expect("generate the landlord");
    InputPaths::in_dir(dir, None)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = landlord(dir.path());
    let data = input::load(&paths, None).expect("generated input reads");

    let mut group = c.benchmark_group("landlord_5k_x3");
    group.sample_size(10);
    group.bench_function("read", |b| b.iter(|| input::load(&paths, None)));
    group.bench_function("index", |b| b.iter(|| RefIndex::build(&data.accounts)));
    group.bench_function("reconcile", |b| {
        b.iter(|| recon::reconcile(&data, Settings::default()))
    });
    group.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
