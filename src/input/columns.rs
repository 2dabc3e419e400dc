//! The contract's columns as the readers want them: name, whether
//! required, what they hold, and which unused header names look like one.

/// What a column holds, so a profile knows which values to convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Date,
    Money,
}

/// A column the reader looks for.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub ty: ColumnType,
}

/// Short names exports give contract columns.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ref", "reference"),
    ("payref", "reference"),
    ("amt", "amount"),
    ("value", "amount"),
    ("desc", "description"),
    ("narrative", "description"),
    ("details", "description"),
    ("name", "payer"),
    ("payername", "payer"),
    ("acc", "account_ref"),
    ("acct", "account_ref"),
    ("accountno", "account_ref"),
    ("accountnumber", "account_ref"),
    ("txn", "txn_id"),
    ("transactionid", "txn_id"),
    ("type", "kind"),
    ("batch", "batch_ref"),
    ("narrative", "reference"),
    ("details", "reference"),
    ("memo", "reference"),
    ("paymentdetails", "reference"),
    ("description", "reference"),
    ("counterparty", "payer"),
    ("remitter", "payer"),
    ("accountname", "payer"),
    ("customer", "payer"),
    ("originator", "payer"),
    ("from", "payer"),
    ("name", "tenant_name"),
    ("tenant", "tenant_name"),
    ("vulnerability", "vulnerable"),
    ("dispute", "open_dispute"),
    ("complaint", "open_dispute"),
    ("claimpending", "benefit_claim_pending"),
    ("pendingclaim", "benefit_claim_pending"),
    ("hbuc", "benefit"),
    ("housingbenefit", "benefit"),
    ("paymentreferences", "payment_refs"),
];

/// Stems of the names systems give an account's flags (`Vulnerabilities`,
/// `Safeguarding`, `Disputed`, `Open Complaint`, `HB Claim Pending`): each
/// is a reason not to serve, so a column holding one must never be ignored.
const FLAG_STEMS: &[(&str, &str)] = &[
    ("vulnerab", "vulnerable"),
    ("safeguard", "vulnerable"),
    ("dispute", "open_dispute"),
    ("complain", "open_dispute"),
    ("claimpending", "benefit_claim_pending"),
    ("pendingclaim", "benefit_claim_pending"),
];

/// Whether an unused column's name looks like a contract column's: the same
/// letters, one a short form of the other, one letter apart, a common
/// abbreviation, or a flag's stem.
pub fn resembles(column: &str, contract: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (squash(column), squash(contract));
    if a.is_empty() {
        return false;
    }
    a == b
        || (a.len() >= 3 && b.starts_with(&a))
        || (b.len() >= 5 && a.contains(&b))
        || (a.len() >= 5 && crate::recon::identify::one_edit_apart(&a, &b))
        || ABBREVIATIONS
            .iter()
            .any(|&(short, long)| a == short && contract == long)
        || FLAG_STEMS
            .iter()
            .any(|&(stem, flag)| contract == flag && a.contains(stem))
}

/// The unused columns that look like a contract column the file lacks.
pub(super) fn resembling_columns(
    unknown: &[String],
    columns: &[Column],
    positions: &[Option<usize>],
) -> Vec<(String, &'static str)> {
    let lacking: Vec<&'static str> = columns
        .iter()
        .zip(positions)
        .filter(|(_, p)| p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    unknown
        .iter()
        .filter_map(|n| {
            let c = lacking.iter().find(|c| resembles(n, c))?;
            Some((n.clone(), *c))
        })
        .collect()
}

pub const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
        ty: ColumnType::Text,
    }
}

pub const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
        ty: ColumnType::Text,
    }
}

impl Column {
    pub const fn date(self) -> Column {
        Column {
            ty: ColumnType::Date,
            ..self
        }
    }

    pub const fn money(self) -> Column {
        Column {
            ty: ColumnType::Money,
            ..self
        }
    }
}

#[cfg(test)]
mod lookalike_tests {
    use super::resembles;

    #[test]
    fn columns_named_nearly_as_the_contract_names_them_are_found() {
        for (column, contract) in [
            ("Ref", "reference"),
            ("Payment Reference", "reference"),
            ("Narrative", "reference"),
            ("Refrence", "reference"),
            ("Counterparty", "payer"),
            ("Payer Name", "payer"),
            ("Is Vulnerable", "vulnerable"),
            ("Vulnerability", "vulnerable"),
            ("Complaint", "open_dispute"),
            ("Claim Pending", "benefit_claim_pending"),
            ("Name", "tenant_name"),
            ("Vulnerabilities", "vulnerable"),
            ("Safeguarding", "vulnerable"),
            ("Disputed", "open_dispute"),
            ("Open Complaint", "open_dispute"),
            ("HB Claim Pending", "benefit_claim_pending"),
        ] {
            assert!(resembles(column, contract), "{column} ~ {contract}");
        }
        for (column, contract) in [
            ("Notes", "reference"),
            ("Balance", "amount"),
            ("Id", "payer"),
        ] {
            assert!(!resembles(column, contract), "{column} !~ {contract}");
        }
    }
}
