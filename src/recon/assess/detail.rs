//! The status in words: the reasons behind each status and the sentence an
//! officer reads, with any sundry debt beside it.

use super::*;

/// The status's reasons and its sentence, with any sundry debt beside it.
pub(super) fn explain(
    status: Status,
    facts: &Facts<'_>,
    l: &Levels,
    holds: &[Hold],
    technical: Decimal,
) -> (Vec<String>, String) {
    let (reasons, mut detail) = explain_status(status, facts, l, holds, technical);
    if facts.dues.sundry > Decimal::ZERO {
        detail.push_str(&sundry_words(facts));
    }
    (reasons, detail)
}

/// The part of the sundry debt still owed that refunds paid in error made.
pub(super) fn refunded_in_error(facts: &Facts<'_>) -> Decimal {
    from_pence(i128::from(facts.refunded_in_error)).min(facts.dues.sundry)
}

/// The sentence that keeps sundry debt apart from rent arrears.
pub(super) fn sundry_words(facts: &Facts<'_>) -> String {
    sundry_sentence(facts.dues, refunded_in_error(facts))
}

/// " Beside the rent arrears of …": sundry debt named apart from the rent,
/// and a refund paid in error named as the landlord's own debt.
pub fn sundry_sentence(dues: Dues, in_error: Decimal) -> String {
    let refund = if in_error > Decimal::ZERO {
        format!(
            " {} of it is a refund paid out in error, a debt the landlord created: agree repayment; \
             do not serve on it.",
            pounds(in_error)
        )
    } else {
        String::new()
    };
    format!(
        " Beside the rent arrears of {}, the account owes {} of sundry debt (not rent lawfully due), \
         left out of the trigger and the statutory test.{refund}",
        pounds(dues.rent.max(Decimal::ZERO)),
        pounds(dues.sundry)
    )
}

/// The status's reasons and its sentence.
pub(super) fn explain_status(
    status: Status,
    facts: &Facts<'_>,
    l: &Levels,
    holds: &[Hold],
    technical: Decimal,
) -> (Vec<String>, String) {
    let (posted, corrected) = (facts.posted_dues.rent, facts.dues.rent);
    let mut finding_kinds: Vec<String> = facts.kinds.iter().map(|k| k.to_string()).collect();
    finding_kinds.dedup();
    let n = facts.kinds.len();
    let fixes = format!(
        "once {n} finding{} {} put right",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" }
    );
    let weeks = |b: Decimal| plain(l.weeks(b));
    // With sundry debt on the account, the tests are on the rent alone.
    let rent_apart = facts.dues.sundry > Decimal::ZERO || facts.posted_dues.sundry > Decimal::ZERO;
    let (pb, cb) = if rent_apart {
        ("posted rent balance", "corrected rent balance")
    } else {
        ("posted balance", "corrected balance")
    };
    match status {
        Status::FalseTrigger => (
            finding_kinds,
            format!(
                "Do not serve: the {pb} {} reaches the trigger {} but the {cb} is {} \
                 ({} weeks) {fixes}.",
                pounds(posted),
                pounds(l.trigger),
                pounds(corrected),
                weeks(corrected)
            ),
        ),
        Status::FalseApproach => (
            finding_kinds,
            format!(
                "Not approaching the trigger: the {pb} {} is in the warning band from {} but the \
                 {cb} is {} {fixes}.",
                pounds(posted),
                pounds(l.warn_from),
                pounds(corrected)
            ),
        ),
        Status::HiddenArrears => (
            finding_kinds,
            format!(
                "The {cb} {} ({} weeks) reaches the trigger {} though the ledger shows {}: \
                 put the findings right and review the account.",
                pounds(corrected),
                weeks(corrected),
                pounds(l.trigger),
                pounds(posted)
            ),
        ),
        Status::TechnicalArrears => {
            let why = holds
                .iter()
                .find(|h| {
                    matches!(
                        h.reason,
                        HoldReason::TechnicalArrears | HoldReason::BenefitNotYetPaid
                    )
                })
                .map_or(String::new(), |h| h.detail.clone());
            let reason = if facts.first_run.is_some() {
                HoldReason::BenefitNotYetPaid
            } else {
                HoldReason::TechnicalArrears
            };
            (
                vec![reason.to_string()],
                format!(
                    "Hold: technical arrears. The {cb} {} reaches the trigger {}, but {why}. Without \
                     it the arrears are {} ({} weeks).",
                    pounds(corrected),
                    pounds(l.trigger),
                    pounds(corrected - technical),
                    weeks(corrected - technical)
                ),
            )
        }
        Status::ProtocolHold => (
            holds.iter().map(|h| h.reason.to_string()).collect(),
            format!(
                "Reaches the trigger ({} against {}), but hold: {}.",
                pounds(corrected),
                pounds(l.trigger),
                holds
                    .iter()
                    .map(|h| h.detail.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
        Status::Genuine => (
            Vec::new(),
            format!(
                "Reaches the trigger: {cb} {} ({} weeks) against {}; nothing found against it.",
                pounds(corrected),
                weeks(corrected),
                pounds(l.trigger)
            ),
        ),
        Status::Approaching => (
            Vec::new(),
            format!(
                "Approaching the trigger: {cb} {} is in the warning band ({} to {}).",
                pounds(corrected),
                pounds(l.warn_from),
                pounds(l.trigger)
            ),
        ),
        Status::Clear => (
            Vec::new(),
            format!("Below the warning band: {cb} {}.", pounds(corrected)),
        ),
    }
}

pub(super) fn benefit_name(b: Benefit) -> &'static str {
    match b {
        Benefit::Hb => "Housing Benefit",
        Benefit::Uc => "Universal Credit",
        Benefit::None => "benefit",
    }
}
