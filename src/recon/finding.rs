//! Findings (one per problem, with evidence and a correction) and outcomes
//! (what became of each bank line and ledger credit, so totals can tie).

use rust_decimal::Decimal;

use super::identify::Suggestion;
use super::model::{vocabulary, AccountId, RowRef};

vocabulary!(
    /// The contract's finding kinds.
    FindingKind {
        WrongAccount => "wrong_account",
        UnpostedReceipt => "unposted_receipt",
        UnidentifiedReceipt => "unidentified_receipt",
        AmountMismatch => "amount_mismatch",
        DuplicatePosting => "duplicate_posting",
        UnbankedCredit => "unbanked_credit",
        LatePosting => "late_posting",
        UnreversedReturn => "unreversed_return",
        ReversalWithoutReturn => "reversal_without_return",
        UnmatchedRefund => "unmatched_refund",
        ScheduleMismatch => "schedule_mismatch",
        MissingCharges => "missing_charges",
        IrregularCharge => "irregular_charge",
    }
);

vocabulary!(
    /// How urgently a finding needs putting right. Ordered most urgent first.
    Severity {
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

vocabulary!(
    /// What became of one bank line (or bulk share) or one ledger credit.
    /// Every such row gets exactly one; totals are summed over them.
    Outcome {
        Matched => "matched",
        WrongAccount => "wrong_account",
        UnpostedReceipt => "unposted_receipt",
        UnidentifiedReceipt => "unidentified_receipt",
        AmountMismatch => "amount_mismatch",
        DuplicatePosting => "duplicate_posting",
        UnbankedCredit => "unbanked_credit",
        LatePosting => "late_posting",
        UnreversedReturn => "unreversed_return",
        UnmatchedRefund => "unmatched_refund",
        ScheduleMismatch => "schedule_mismatch",
        NonCash => "non_cash",
        AfterAsAt => "after_as_at",
    }
);

impl FindingKind {
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::WrongAccount
            | FindingKind::UnpostedReceipt
            | FindingKind::AmountMismatch
            | FindingKind::DuplicatePosting
            | FindingKind::UnbankedCredit
            | FindingKind::UnreversedReturn
            | FindingKind::ReversalWithoutReturn => Severity::High,
            FindingKind::UnidentifiedReceipt
            | FindingKind::UnmatchedRefund
            | FindingKind::ScheduleMismatch
            | FindingKind::MissingCharges
            | FindingKind::IrregularCharge => Severity::Medium,
            FindingKind::LatePosting => Severity::Low,
        }
    }
}

impl Finding {
    /// Whether the account still needs putting right: a late posting is
    /// already right on the ledger (it was wrong only in between).
    pub fn needs_correction(&self) -> bool {
        self.kind != FindingKind::LatePosting || !self.amount.is_zero()
    }
}

/// One problem, with everything an officer needs to put it right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// Whose balance is wrong (none for money nobody can identify).
    pub account: Option<AccountId>,
    /// Where the money went instead, if elsewhere.
    pub posted_to: Option<AccountId>,
    /// Index into the dataset's bank lines.
    pub bank: Option<usize>,
    /// Indices into the dataset's postings.
    pub postings: Vec<usize>,
    /// The correction to `account`'s balance, signed as a debit;
    /// `posted_to` takes the opposite.
    pub amount: Decimal,
    pub evidence: Vec<RowRef>,
    pub detail: String,
    pub suggestions: Vec<Suggestion>,
}
