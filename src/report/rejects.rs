//! The rejects file lenient mode writes: every row set aside, where it was,
//! why, the money on it where it could be read, and the row as it was.

use std::io::{self, Write};

use crate::escape;
use crate::input::Reject;
use crate::recon::money::plain;

pub fn write(rejects: &[Reject], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["file", "line", "reasons", "money", "original"])?;
    for r in rejects {
        let cells = [
            r.file.clone(),
            r.line.to_string(),
            r.row.reasons_text(),
            r.row.money.map(plain).unwrap_or_default(),
            r.row.record.clone(),
        ];
        w.write_record(cells.iter().map(|c| escape::spreadsheet(c).into_owned()))?;
    }
    w.flush()
}
