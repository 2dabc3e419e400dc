//! Where `generate` writes each file: the contract's plain CSV, or the
//! export shape a profile describes, rows shaped in parallel batches.

use super::*;
use crate::input::schedule_col as s;
use crate::input::{account_col as a, bank_col as b, case_col as c, ledger_col as l};

/// The columns `generate` writes of each file, in the order its rows give
/// their values: the readers' own positions, so the two cannot drift.
const ACCOUNT_COLUMNS: &[usize] = &[
    a::REF,
    a::TENANT_NAME,
    a::TENANCY_TYPE,
    a::RENT_PERIOD,
    a::RENT,
    a::OPENING_DATE,
    a::OPENING_BALANCE,
    a::PAYMENT_REFS,
    a::BENEFIT,
];
const LEDGER_COLUMNS: &[usize] = &[
    l::TXN_ID,
    l::ACCOUNT_REF,
    l::DATE,
    l::KIND,
    l::DEBIT,
    l::CREDIT,
    l::METHOD,
    l::BANK_REF,
    l::DESCRIPTION,
    l::CHARGE_TYPE,
];
const BANK_COLUMNS: &[usize] = &[
    b::BANK_ID,
    b::DATE,
    b::AMOUNT,
    b::REFERENCE,
    b::PAYER,
    b::METHOD,
    b::RETURN_CODE,
    b::RETURNED_BANK_ID,
];
const SCHEDULE_COLUMNS: &[usize] = &[
    s::BATCH_REF,
    s::ACCOUNT_REF,
    s::AMOUNT,
    s::PERIOD_START,
    s::PERIOD_END,
];
const CASE_COLUMNS: &[usize] = &[c::ACCOUNT_REF, c::KIND, c::FROM, c::TO, c::AMOUNT, c::NOTE];

pub(super) struct Writers {
    pub(super) accounts: Sink,
    pub(super) ledger: Sink,
    pub(super) bank: Sink,
    pub(super) schedules: Sink,
    /// cases.csv, where cases are made (`--cases` above 0).
    pub(super) cases: Option<Sink>,
}

/// One output file: the contract's plain CSV, or with `--profile` the
/// export shape its section describes.
pub(super) struct Sink {
    pub(super) out: csv::Writer<BufWriter<File>>,
    /// Where each of the generator's columns sits among the contract's.
    pub(super) fields: Vec<usize>,
    pub(super) shape: Option<ExportShape>,
    pub(super) width: usize,
    pub(super) rows: u64,
    /// Shaped rows wait here to be shaped and read back in parallel:
    /// (canonical values, line).
    pub(super) pending: Vec<(Vec<String>, u64)>,
}

/// Rows shaped at a time: enough to keep every core busy.
pub(super) const SHAPE_BATCH: usize = 1 << 14;

impl Sink {
    /// Creates the file and writes what comes before its rows: with a
    /// profile, the export's preamble and header; else the contract's
    /// names of `columns`.
    pub(super) fn new(
        dir: &Path,
        file: SourceFile,
        columns: &[usize],
        fp: Option<&FileProfile>,
    ) -> Result<Sink> {
        let contract = input::columns(file);
        let names = columns
            .iter()
            .map(|&at| contract.get(at).map(|c| c.name))
            .collect::<Option<Vec<&str>>>()
            .ok_or(GenerateErrorKind::Contract(
                "a generated column is not in the contract",
            ))?;
        let file_name = fp
            .and_then(|fp| fp.file.as_deref())
            .unwrap_or(file.default_name());
        let shape = fp
            .map(|fp| {
                let cited = Path::new(file_name)
                    .file_name()
                    .map_or(file_name.into(), |n| n.to_string_lossy());
                ExportShape::new(&cited, fp, contract).map_err(|source| {
                    GenerateErrorKind::Section {
                        section: section_name(file),
                        source,
                    }
                })
            })
            .transpose()?;
        let mut out = create_csv(&dir.join(file_name), shape.as_ref())?;
        match &shape {
            Some(shape) => out.write_record(shape.header()?)?,
            None => out.write_record(names)?,
        }
        Ok(Sink {
            out,
            fields: columns.to_vec(),
            shape,
            width: contract.len(),
            rows: 0,
            pending: Vec::new(),
        })
    }

    /// The id the next row will have: `own`, unless the export has no id
    /// column and ids are made from the file and line.
    pub(super) fn id(&self, own: String) -> String {
        match &self.shape {
            Some(shape) if shape.line_id().is_some() => {
                format!("{}:{}", shape.file_name, self.next_line())
            }
            _ => own,
        }
    }

    pub(super) fn next_line(&self) -> u64 {
        let skipped = self.shape.as_ref().map_or(0, |s| s.skip_rows) as u64;
        skipped + self.rows + 2
    }

    /// Writes one row given in the generator's column order.
    pub(super) fn write<const N: usize>(&mut self, values: [&str; N]) -> Result<()> {
        match &self.shape {
            None => self.out.write_record(values)?,
            Some(_) => {
                let mut canonical = vec![String::new(); self.width];
                for (at, v) in self.fields.iter().zip(values) {
                    canonical[*at] = v.to_string();
                }
                let line = self.next_line();
                self.pending.push((canonical, line));
                if self.pending.len() == SHAPE_BATCH {
                    self.shape_pending()?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Shapes the waiting rows side by side and writes them in order; the
    /// first row that cannot be shaped, in file order, is the error.
    pub(super) fn shape_pending(&mut self) -> Result<()> {
        let Some(shape) = &self.shape else {
            return Ok(());
        };
        let shaped: Vec<_> = self
            .pending
            .par_iter()
            .map(|(values, line)| {
                let canonical: Vec<&str> = values.iter().map(String::as_str).collect();
                shape.row(&canonical, *line)
            })
            .collect();
        for raw in shaped {
            self.out.write_record(&raw?)?;
        }
        self.pending.clear();
        Ok(())
    }

    pub(super) fn finish(&mut self) -> Result<()> {
        self.shape_pending()?;
        if let Some(shape) = &self.shape {
            for row in shape.trailer()? {
                self.out.write_record(&row)?;
            }
        }
        self.out.flush()?;
        Ok(())
    }
}

/// Creates `path` (and its folder) for CSV in `shape`'s delimiter,
/// its preamble written.
fn create_csv(path: &Path, shape: Option<&ExportShape>) -> Result<csv::Writer<BufWriter<File>>> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).on_path("cannot create", parent)?;
    }
    let file = File::create(path).on_path("cannot create", path)?;
    let mut buffered = BufWriter::with_capacity(1 << 20, file);
    if let Some(shape) = shape {
        buffered.write_all(&shape.preamble()?)?;
    }
    Ok(csv::WriterBuilder::new()
        .delimiter(shape.map_or(b',', |s| s.delimiter))
        .from_writer(buffered))
}

/// Removes the cases file an earlier run left in `dir` (written over with
/// --force): read beside the new files, its cases would hold accounts that
/// are no longer the same tenants.
fn remove_stale(dir: &Path, fp: Option<&FileProfile>) -> Result<()> {
    let name = fp
        .and_then(|fp| fp.file.as_deref())
        .unwrap_or(SourceFile::Cases.default_name());
    let path = dir.join(name);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).on_path("cannot remove", path),
        _ => Ok(()),
    }
}

impl Writers {
    /// The four files in `dir` (five, `with_cases`), plain or in the
    /// shapes `profile` gives.
    pub(super) fn open(
        dir: &Path,
        profile: Option<&crate::input::Profile>,
        with_cases: bool,
    ) -> Result<Writers> {
        let section = |file: SourceFile| profile.and_then(|p| p.section(file));
        let sink =
            |file: SourceFile, columns: &[usize]| Sink::new(dir, file, columns, section(file));
        Ok(Writers {
            accounts: sink(SourceFile::Accounts, ACCOUNT_COLUMNS)?,
            ledger: sink(SourceFile::Ledger, LEDGER_COLUMNS)?,
            bank: sink(SourceFile::Bank, BANK_COLUMNS)?,
            schedules: sink(SourceFile::Schedules, SCHEDULE_COLUMNS)?,
            cases: if with_cases {
                Some(sink(SourceFile::Cases, CASE_COLUMNS)?)
            } else {
                remove_stale(dir, section(SourceFile::Cases))?;
                None
            },
        })
    }

    /// Writes out what each file holds back.
    pub(super) fn finish(&mut self) -> Result<()> {
        for sink in [
            Some(&mut self.accounts),
            Some(&mut self.ledger),
            Some(&mut self.bank),
            Some(&mut self.schedules),
            self.cases.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            sink.finish()?;
        }
        Ok(())
    }
}
