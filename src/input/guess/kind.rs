//! Which input a file is, judged from its header's column names, and which
//! column is which contract field.

use std::collections::BTreeSet;

use crate::recon::model::SourceFile;

/// Column names that usually mean a contract field, per input.
pub(super) const SYNONYMS: &[(SourceFile, &str, &[&str])] = &[
    (
        SourceFile::Accounts,
        "account_ref",
        &[
            "account_ref",
            "tenancy ref",
            "tenancy reference",
            "account",
            "account ref",
            "rent account",
            "tenancy",
        ],
    ),
    (
        SourceFile::Accounts,
        "tenant_name",
        &[
            "tenant_name",
            "tenant",
            "tenant name",
            "name",
            "lead tenant",
        ],
    ),
    (
        SourceFile::Accounts,
        "tenancy_type",
        &["tenancy_type", "tenure", "tenancy type"],
    ),
    (
        SourceFile::Accounts,
        "rent_period",
        &[
            "rent_period",
            "rent frequency",
            "frequency",
            "period",
            "rent period",
        ],
    ),
    (
        SourceFile::Accounts,
        "rent",
        &["rent", "gross rent", "rent amount", "weekly rent", "charge"],
    ),
    (
        SourceFile::Accounts,
        "opening_date",
        &[
            "opening_date",
            "start date",
            "tenancy start",
            "opening date",
            "start",
        ],
    ),
    (
        SourceFile::Accounts,
        "opening_balance",
        &[
            "opening_balance",
            "balance b/f",
            "opening balance",
            "brought forward",
            "b/f",
        ],
    ),
    (
        SourceFile::Accounts,
        "payment_refs",
        &[
            "payment_refs",
            "payment refs",
            "payment references",
            "card number",
            "dd mandate",
        ],
    ),
    (
        SourceFile::Accounts,
        "benefit",
        &["benefit", "benefit type", "hb/uc"],
    ),
    (
        SourceFile::Accounts,
        "vulnerable",
        &["vulnerable", "vulnerability"],
    ),
    (
        SourceFile::Accounts,
        "benefit_claim_pending",
        &[
            "benefit_claim_pending",
            "claim pending",
            "benefit claim pending",
        ],
    ),
    (
        SourceFile::Accounts,
        "open_dispute",
        &[
            "open_dispute",
            "complaint open",
            "dispute",
            "open complaint",
        ],
    ),
    (
        SourceFile::Ledger,
        "txn_id",
        &[
            "txn_id",
            "transaction id",
            "trans id",
            "txn id",
            "transaction ref",
        ],
    ),
    (
        SourceFile::Ledger,
        "account_ref",
        &[
            "account_ref",
            "tenancy ref",
            "account",
            "account ref",
            "tenancy",
            "rent account",
        ],
    ),
    (
        SourceFile::Ledger,
        "date",
        &[
            "date",
            "trans date",
            "transaction date",
            "posting date",
            "post date",
            "posted",
            "date posted",
            "entry date",
        ],
    ),
    (
        SourceFile::Ledger,
        "kind",
        &[
            "kind",
            "trans type",
            "transaction type",
            "type",
            "code",
            "trans code",
        ],
    ),
    (
        SourceFile::Ledger,
        "debit",
        &["debit", "dr", "debits", "charge amount", "debit amount"],
    ),
    (
        SourceFile::Ledger,
        "credit",
        &["credit", "cr", "credits", "payment amount", "credit amount"],
    ),
    (SourceFile::Ledger, "method", &["method", "payment method"]),
    (
        SourceFile::Ledger,
        "bank_ref",
        &["bank_ref", "bank ref", "bank reference", "statement ref"],
    ),
    (
        SourceFile::Ledger,
        "description",
        &["description", "narrative", "details", "memo", "text"],
    ),
    (
        SourceFile::Bank,
        "bank_id",
        &[
            "bank_id",
            "transaction id",
            "id",
            "line id",
            "reference number",
        ],
    ),
    (
        SourceFile::Bank,
        "date",
        // The value date first: the day the money was the landlord's.
        &[
            "value date",
            "date",
            "transaction date",
            "posting date",
            "post date",
            "entry date",
            "date posted",
            "posted date",
            "booking date",
        ],
    ),
    (SourceFile::Bank, "amount", SIGNED),
    (
        SourceFile::Bank,
        "reference",
        &[
            "reference",
            "ref",
            "payment reference",
            "customer reference",
        ],
    ),
    (
        SourceFile::Bank,
        "payer",
        &["payer", "payer name", "counterparty", "remitter"],
    ),
    (
        SourceFile::Bank,
        "method",
        &["method", "type", "transaction type"],
    ),
    (
        SourceFile::Schedules,
        "batch_ref",
        &[
            "batch_ref",
            "schedule",
            "batch",
            "batch ref",
            "run",
            "schedule ref",
        ],
    ),
    (
        SourceFile::Schedules,
        "account_ref",
        &["account_ref", "tenancy", "tenancy ref", "account"],
    ),
    (
        SourceFile::Schedules,
        "claim_ref",
        &[
            "claim_ref",
            "claim no",
            "claim",
            "claim ref",
            "claim number",
        ],
    ),
    (
        SourceFile::Schedules,
        "amount",
        &["amount", "payment", "share"],
    ),
    (
        SourceFile::Schedules,
        "period_start",
        &["period_start", "from", "period from", "start"],
    ),
    (
        SourceFile::Schedules,
        "period_end",
        &["period_end", "to", "period to", "end"],
    ),
];

/// One signed amount column: a statement's. The grammar reads a ledger's
/// money from debit and credit columns.
const SIGNED: &[&str] = &["amount", "value", "amount (gbp)"];

/// A statement's money in and out, in two unsigned columns. On a statement
/// a debit is money out of the landlord's account (on a ledger, a charge).
pub(super) const PAID_IN: &[&str] = &[
    "paid in",
    "money in",
    "credit",
    "credits",
    "credit amount",
    "receipts",
    "deposits",
    "deposit",
    "in",
];
pub(super) const PAID_OUT: &[&str] = &[
    "paid out",
    "money out",
    "debit",
    "debits",
    "debit amount",
    "payments",
    "withdrawals",
    "withdrawal",
    "out",
];
pub(super) const NARRATIVE: &[&str] = &[
    "description",
    "narrative",
    "details",
    "memo",
    "transaction description",
    "transaction detail",
    "transaction details",
];

/// Column names common in exports that are no contract field: they still
/// mark a line as a header.
const OTHER_NAMES: &[&str] = &[
    "balance",
    "running balance",
    "type",
    "reference",
    "address",
    "notes",
    "currency",
    "category",
    "sort code",
    "account number",
];

/// Money columns only a bank statement has.
const BANK_MONEY: &[&str] = &[
    "paid in",
    "money in",
    "receipts",
    "deposits",
    "paid out",
    "money out",
    "withdrawals",
];
const BALANCE: &[&str] = &["balance", "running balance", "closing balance"];

/// Whether `name` (lower-cased) is a column name some export uses.
pub(super) fn is_known_name(name: &str, kind: Option<SourceFile>) -> bool {
    SYNONYMS
        .iter()
        .filter(|(f, ..)| kind.is_none_or(|k| k == *f))
        .any(|(_, _, names)| names.contains(&name))
        || [PAID_IN, PAID_OUT, NARRATIVE, OTHER_NAMES]
            .iter()
            .any(|names| names.contains(&name))
}

/// The input a header most looks like: its names that mean a contract field
/// of each input, and the columns that mark each (a bank statement's money
/// in and out and its balance, a ledger's debit, credit, account and type, an
/// accounts file's rent, frequency and tenant, a schedule's claim and batch).
pub(super) fn guess_file(header: &[String]) -> SourceFile {
    let order = [
        SourceFile::Bank,
        SourceFile::Ledger,
        SourceFile::Accounts,
        SourceFile::Schedules,
    ];
    order
        .into_iter()
        .enumerate()
        .max_by_key(|(i, f)| (score(*f, header), usize::MAX - i))
        .map_or(SourceFile::Bank, |(_, f)| f)
}

/// How much `header` looks like `file`'s.
pub(super) fn score(file: SourceFile, header: &[String]) -> i32 {
    let has = |names: &[&str]| i32::from(header.iter().any(|h| names.contains(&h.as_str())));
    let field = |name: &str| {
        SYNONYMS
            .iter()
            .find(|(f, n, _)| *f == file && *n == name)
            .map_or(0, |(_, _, names)| has(names))
    };
    let named = SYNONYMS
        .iter()
        .filter(|(f, _, names)| *f == file && has(names) == 1)
        .count() as i32;
    let marks = match file {
        SourceFile::Bank => {
            4 * has(BANK_MONEY)
                + 2 * (has(PAID_IN) * has(PAID_OUT))
                + 3 * has(BALANCE)
                + has(NARRATIVE)
                + 2 * field("amount")
                - 3 * field("account_ref").max(has(&["tenancy ref", "tenancy"]))
        }
        SourceFile::Ledger => {
            // No transaction type means no ledger a draft can read, and one
            // signed amount (`Number, Date, Account, Amount, Memo`) is a
            // statement's money, whatever its `Account` column holds.
            let pair = field("debit") * field("credit");
            3 * pair + 4 * field("account_ref") - 4 * (1 - field("account_ref")) + 2 * field("kind")
                - 4 * (1 - field("kind"))
                - 3 * has(SIGNED) * (1 - pair)
        }
        SourceFile::Accounts => {
            2 * field("rent") + 2 * field("rent_period") + 2 * field("tenant_name")
        }
        SourceFile::Schedules => 2 * field("claim_ref") + 2 * field("batch_ref"),
        SourceFile::Rents | SourceFile::Cases => -100,
    };
    named * 2 + marks
}

/// Each contract field of `file` found in the header, with the column's name
/// as written; no column is given two fields.
pub(super) fn map_columns(
    file: SourceFile,
    header: &[String],
    raw: &[String],
) -> Vec<(&'static str, String)> {
    let mut columns = Vec::new();
    let mut taken = BTreeSet::new();
    for (_, field, names) in SYNONYMS.iter().filter(|(f, ..)| *f == file) {
        let found = names
            .iter()
            .find_map(|n| (0..header.len()).find(|&i| header[i] == *n && !taken.contains(&i)));
        if let Some(i) = found {
            taken.insert(i);
            columns.push((*field, raw[i].clone()));
        }
    }
    columns
}
