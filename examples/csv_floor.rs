//! The floor for docs/benchmarks.md: the time merely to parse the input
//! files with the csv crate (one reused `ByteRecord`, nothing kept), which
//! no reconciliation of the same files can beat.
//!
//! `cargo run --release --example csv_floor -- DIR`

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: csv_floor DIR")?;
    let mut records = 0u64;
    let mut fields = 0u64;
    for name in ["accounts.csv", "ledger.csv", "bank.csv", "schedules.csv"] {
        let path = Path::new(&dir).join(name);
        if !path.exists() {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new().from_path(&path)?;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            records += 1;
            fields += record.len() as u64;
        }
    }
    println!("{records} records, {fields} fields");
    Ok(())
}
