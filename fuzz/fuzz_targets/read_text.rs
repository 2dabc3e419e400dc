//! Any bytes as one cell's text, through everything that reads a cell on
//! its own: amounts, dates, flags, names (people, keys, likeness),
//! references (normal form, identification, suggestions), sizes, and every
//! escape. The fastest target, so the most runs go where hostile text is
//! read. Nothing may panic, abort or hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rent_audit::escape;
use rent_audit::input::{self, limit, parse, Mode};
use rent_audit::recon::identify::{self, RefIndex};
use rent_audit::recon::model::Account;
use rent_audit::recon::names;

const SAMPLE: [&[u8]; 6] = [
    include_bytes!("../base/sample/accounts.csv"),
    include_bytes!("../base/sample/ledger.csv"),
    include_bytes!("../base/sample/bank.csv"),
    include_bytes!("../base/sample/schedules.csv"),
    include_bytes!("../base/sample/rents.csv"),
    include_bytes!("../base/sample/cases.csv"),
];

/// The sample's accounts and their reference index, built once.
fn sample() -> &'static (Vec<Account>, RefIndex) {
    static SAMPLE_INDEX: OnceLock<(Vec<Account>, RefIndex)> = OnceLock::new();
    SAMPLE_INDEX.get_or_init(|| {
        let files = SAMPLE.map(|b| Some(b.to_vec()));
        let accounts = input::load_bytes(&files, None, Mode::Lenient)
            .map(|l| l.data.accounts)
            .unwrap_or_default();
        let index = RefIndex::build(&accounts);
        (accounts, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = parse::money(data);
    let _ = parse::date(data);
    let _ = parse::flag(data);
    let text = String::from_utf8_lossy(data);
    let _ = limit::parse_size(&text);
    // The text as a payer's name against a tenant's, and split in two as
    // two names against each other.
    let half = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let (a, b) = text.split_at(half);
    let _ = names::people(&text);
    let _ = names::likeness(&text, "Mrs Siân O'Neill-Jones");
    let _ = names::likeness(a, b);
    let _ = names::key_likeness(&names::keys(a), &names::keys(b));
    let _ = identify::normalise(&text);
    let _ = identify::one_edit_apart(a, b);
    let (accounts, index) = sample();
    let _ = index.identify(&text);
    let _ = index.exact(&text);
    let near = index.near_index_for(std::iter::once(a));
    let _ = index.suggest(&near, accounts, a, b);
    for account in accounts {
        let _ = identify::one_slip_from(&text, account);
    }
    let _ = escape::terminal(&text);
    let _ = escape::html(&text);
    let _ = escape::markdown(&text);
    let _ = escape::spreadsheet(&text);
});
