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
    let w = Wording::of(facts, l);
    let (reasons, mut detail) = match status {
        Status::FalseTrigger => (w.finding_kinds(), w.false_trigger()),
        Status::FalseApproach => (w.finding_kinds(), w.false_approach()),
        Status::HiddenArrears => (w.finding_kinds(), w.hidden_arrears()),
        Status::TechnicalArrears => w.technical_arrears(holds, technical),
        Status::ProtocolHold => (
            holds.iter().map(|h| h.reason.to_string()).collect(),
            w.protocol_hold(holds),
        ),
        Status::Genuine => (Vec::new(), w.genuine()),
        Status::Approaching => (Vec::new(), w.approaching()),
        Status::Clear => (Vec::new(), w.clear()),
    };
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

/// What each status's sentence is made of: the posted and corrected rent
/// arrears, the account's levels, and the balances' names.
struct Wording<'a> {
    facts: &'a Facts<'a>,
    l: &'a Levels,
    posted: Decimal,
    corrected: Decimal,
    /// "posted balance", or "posted rent balance" with sundry debt beside.
    pb: &'static str,
    /// "corrected balance", or "corrected rent balance" likewise.
    cb: &'static str,
}

impl<'a> Wording<'a> {
    fn of(facts: &'a Facts<'a>, l: &'a Levels) -> Self {
        // With sundry debt on the account, the tests are on the rent alone.
        let rent_apart =
            facts.dues.sundry > Decimal::ZERO || facts.posted_dues.sundry > Decimal::ZERO;
        let (pb, cb) = if rent_apart {
            ("posted rent balance", "corrected rent balance")
        } else {
            ("posted balance", "corrected balance")
        };
        Wording {
            facts,
            l,
            posted: facts.posted_dues.rent,
            corrected: facts.dues.rent,
            pb,
            cb,
        }
    }

    /// The kinds of finding on the account, each once.
    fn finding_kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.facts.kinds.iter().map(|k| k.to_string()).collect();
        kinds.dedup();
        kinds
    }

    /// "once 2 findings are put right".
    fn fixes(&self) -> String {
        let n = self.facts.kinds.len();
        format!(
            "once {n} finding{} {} put right",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        )
    }

    fn weeks(&self, b: Decimal) -> String {
        plain(self.l.weeks(b))
    }

    fn false_trigger(&self) -> String {
        let (pb, cb) = (self.pb, self.cb);
        format!(
            "Do not serve: the {pb} {} reaches the trigger {} but the {cb} is {} ({} weeks) {}.",
            pounds(self.posted),
            pounds(self.l.trigger),
            pounds(self.corrected),
            self.weeks(self.corrected),
            self.fixes()
        )
    }

    fn false_approach(&self) -> String {
        let (pb, cb) = (self.pb, self.cb);
        format!(
            "Not approaching the trigger: the {pb} {} is in the warning band from {} but the \
             {cb} is {} {}.",
            pounds(self.posted),
            pounds(self.l.warn_from),
            pounds(self.corrected),
            self.fixes()
        )
    }

    fn hidden_arrears(&self) -> String {
        format!(
            "The {} {} ({} weeks) reaches the trigger {} though the ledger shows {}: \
             put the findings right and review the account.",
            self.cb,
            pounds(self.corrected),
            self.weeks(self.corrected),
            pounds(self.l.trigger),
            pounds(self.posted)
        )
    }

    /// The hold's reason (benefit not yet paid on a new claim, else
    /// technical arrears) and the arrears without the benefit owed.
    fn technical_arrears(&self, holds: &[Hold], technical: Decimal) -> (Vec<String>, String) {
        let why = holds
            .iter()
            .find(|h| {
                matches!(
                    h.reason,
                    HoldReason::TechnicalArrears | HoldReason::BenefitNotYetPaid
                )
            })
            .map_or(String::new(), |h| h.detail.clone());
        let reason = if self.facts.first_run.is_some() {
            HoldReason::BenefitNotYetPaid
        } else {
            HoldReason::TechnicalArrears
        };
        let without = self.corrected - technical;
        let sentence = format!(
            "Hold: technical arrears. The {} {} reaches the trigger {}, but {why}. Without \
             it the arrears are {} ({} weeks).",
            self.cb,
            pounds(self.corrected),
            pounds(self.l.trigger),
            pounds(without),
            self.weeks(without)
        );
        (vec![reason.to_string()], sentence)
    }

    fn protocol_hold(&self, holds: &[Hold]) -> String {
        let details: Vec<&str> = holds.iter().map(|h| h.detail.as_str()).collect();
        format!(
            "Reaches the trigger ({} against {}), but hold: {}.",
            pounds(self.corrected),
            pounds(self.l.trigger),
            details.join("; ")
        )
    }

    fn genuine(&self) -> String {
        format!(
            "Reaches the trigger: {} {} ({} weeks) against {}; nothing found against it.",
            self.cb,
            pounds(self.corrected),
            self.weeks(self.corrected),
            pounds(self.l.trigger)
        )
    }

    fn approaching(&self) -> String {
        format!(
            "Approaching the trigger: {} {} is in the warning band ({} to {}).",
            self.cb,
            pounds(self.corrected),
            pounds(self.l.warn_from),
            pounds(self.l.trigger)
        )
    }

    fn clear(&self) -> String {
        format!(
            "Below the warning band: {} {}.",
            self.cb,
            pounds(self.corrected)
        )
    }
}

pub(super) fn benefit_name(b: Benefit) -> &'static str {
    match b {
        Benefit::Hb => "Housing Benefit",
        Benefit::Uc => "Universal Credit",
        Benefit::None => "benefit",
    }
}
