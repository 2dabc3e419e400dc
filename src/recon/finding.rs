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
        RefundInError => "refund_in_error",
        UncreditedRebate => "uncredited_rebate",
        UnpostedClawback => "unposted_clawback",
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
        RentRebate => "rent_rebate",
        AfterAsAt => "after_as_at",
    }
);

/// How a finding kind's money is counted in the by-kind totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindMoney {
    /// The correction itself: money that never reached the ledger, or a
    /// schedule's gap, has no ledger row to count.
    Correction,
    /// The ledger row the finding is about (else the bank line, else the
    /// correction).
    Row,
}

/// Everything the code needs to know of a finding kind, in one place: a
/// new kind is one arm of [`FindingKind::spec`], and the compiler asks for
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingSpec {
    pub severity: Severity,
    /// What becomes of the bank line or ledger row the finding is about,
    /// for the control totals (none: the kind is about no one row's money).
    pub outcome: Option<Outcome>,
    pub money: KindMoney,
    /// Why such a finding makes the posted balance overstate the arrears,
    /// after its sum ("£100.00 was keyed short"), for `check`'s verdict;
    /// none where the finding says no such thing (or says it its own way,
    /// as a wrong-account posting names where the money went).
    pub cause: Option<&'static str>,
}

impl FindingKind {
    pub const fn spec(self) -> FindingSpec {
        use KindMoney::{Correction, Row};
        let (severity, outcome, money, cause) = match self {
            FindingKind::WrongAccount => (
                Severity::High,
                Some(Outcome::WrongAccount),
                Correction,
                None,
            ),
            FindingKind::UnpostedReceipt => (
                Severity::High,
                Some(Outcome::UnpostedReceipt),
                Correction,
                Some("of receipts never reached the account"),
            ),
            FindingKind::UnidentifiedReceipt => (
                Severity::Medium,
                Some(Outcome::UnidentifiedReceipt),
                Correction,
                None,
            ),
            FindingKind::AmountMismatch => (
                Severity::High,
                Some(Outcome::AmountMismatch),
                Row,
                Some("was keyed short"),
            ),
            FindingKind::DuplicatePosting => {
                (Severity::High, Some(Outcome::DuplicatePosting), Row, None)
            }
            FindingKind::UnbankedCredit => {
                (Severity::High, Some(Outcome::UnbankedCredit), Row, None)
            }
            FindingKind::LatePosting => (Severity::Low, Some(Outcome::LatePosting), Row, None),
            FindingKind::UnreversedReturn => {
                (Severity::High, Some(Outcome::UnreversedReturn), Row, None)
            }
            // Money out on the ledger with none from the bank: counted with
            // the refunds that have none, in the control totals.
            FindingKind::ReversalWithoutReturn => (
                Severity::High,
                Some(Outcome::UnmatchedRefund),
                Row,
                Some("was reversed with no returned payment"),
            ),
            FindingKind::UnmatchedRefund => (
                Severity::Medium,
                Some(Outcome::UnmatchedRefund),
                Row,
                Some("is a refund with no money paid out"),
            ),
            FindingKind::ScheduleMismatch => (
                Severity::Medium,
                Some(Outcome::ScheduleMismatch),
                Correction,
                None,
            ),
            FindingKind::MissingCharges => (Severity::Medium, None, Row, None),
            FindingKind::IrregularCharge => (Severity::Medium, None, Row, None),
            // The balance is right; part of it is a debt, not rent.
            FindingKind::RefundInError => (Severity::High, None, Row, None),
            // A schedule line, not bank money: no bank line or ledger
            // credit is the finding's.
            FindingKind::UncreditedRebate => (
                Severity::High,
                None,
                Correction,
                Some("of Housing Benefit rent rebate awarded was never credited"),
            ),
            // Benefit recovered out of a run is sundry debt, not rent: no
            // correction to the rent balance. Its bank share is counted
            // `unreversed_return` where a bank line carries it.
            FindingKind::UnpostedClawback => (Severity::Medium, None, Correction, None),
        };
        FindingSpec {
            severity,
            outcome,
            money,
            cause,
        }
    }

    pub const fn severity(self) -> Severity {
        self.spec().severity
    }
}

impl Finding {
    /// Whether the account still needs putting right: a late posting, or a
    /// posting to the wrong account that a transfer journal moved back, is
    /// already right on the ledger (it was wrong only in between).
    pub fn needs_correction(&self) -> bool {
        let may_be_right = matches!(
            self.kind,
            FindingKind::LatePosting | FindingKind::WrongAccount
        );
        !(may_be_right && self.amount.is_zero())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_counts_its_row_under_its_own_outcome() {
        for &kind in FindingKind::ALL {
            let spec = kind.spec();
            match spec.outcome {
                // Money out the ledger has and the bank does not.
                Some(o) if kind == FindingKind::ReversalWithoutReturn => {
                    assert_eq!(o, Outcome::UnmatchedRefund)
                }
                Some(o) => assert_eq!(o.as_str(), kind.as_str()),
                None => assert!(matches!(
                    kind,
                    FindingKind::MissingCharges
                        | FindingKind::IrregularCharge
                        | FindingKind::RefundInError
                        | FindingKind::UncreditedRebate
                        | FindingKind::UnpostedClawback
                )),
            }
            // A cause says the arrears are overstated: never a low finding.
            if spec.cause.is_some() {
                assert_ne!(spec.severity, Severity::Low, "{kind}");
            }
        }
        assert_eq!(FindingKind::LatePosting.severity(), Severity::Low);
        assert_eq!(FindingKind::WrongAccount.severity(), Severity::High);
    }
}
