//! The account statuses (src/recon/assess/mod.rs), as the contract's ladder
//! decides them: where several fit, the first wins.

use super::Text;
use crate::recon::Status;

/// Each status's text: exhaustive, so a new status must be explained.
pub(super) fn text(status: Status) -> Text {
    match status {
        Status::FalseTrigger => FALSE_TRIGGER,
        Status::FalseApproach => FALSE_APPROACH,
        Status::HiddenArrears => HIDDEN_ARREARS,
        Status::TechnicalArrears => TECHNICAL_ARREARS,
        Status::ProtocolHold => PROTOCOL_HOLD,
        Status::Genuine => GENUINE,
        Status::Approaching => APPROACHING,
        Status::Clear => CLEAR,
    }
}

const FALSE_TRIGGER: Text = Text {
    short:
        "the posted balance reaches the trigger, the corrected one does not: a NOSP would be wrong",
    meaning:
        "The ledger as posted shows rent arrears at or above the landlord's trigger, but once \
        every finding on the account is put right they fall below it. A NOSP served on the \
        posted balance would be for arrears that are not real. The reasons column names the \
        finding kinds that make the difference. This status wins over every other.",
    action: "Do not serve. Put the findings right (rent-audit check ACCOUNT lists each with its \
        evidence), send the tenant a corrected statement, and review any arrears step already \
        taken on the wrong balance.",
    example: "RA1002: posted £460.00 against a trigger of £440.00 (4 weeks of £110.00), but three \
        of Brian Lewis's £110.00 payments were posted to RA1012; corrected, the balance is \
        £130.00, 1.18 weeks (fixtures/sample).",
};

const FALSE_APPROACH: Text = Text {
    short: "the posted balance is in the warning band, the corrected one is below it",
    meaning: "The posted rent balance is in the warning band just below the trigger (from 75% of \
        it by default, --warn-at), but once the findings are put right it is below the band. \
        Early arrears letters or calls on the posted balance would be wrong.",
    action: "Do not start warning-band arrears action. Put the findings right and send the tenant \
        a corrected statement.",
    example: "RA1008: posted £398.00, in the band from £360.00 to the £480.00 trigger; a £120.00 \
        payment keyed as £12.00 puts it at £290.00 corrected (fixtures/sample).",
};

const HIDDEN_ARREARS: Text = Text {
    short: "the corrected balance reaches the trigger though the posted one does not",
    meaning: "The ledger shows the account below the trigger, but once the findings are put right \
        its rent arrears reach it: money credited to it was someone else's, a credit has no \
        money behind it, rent was never charged. The arrears are real, but the tenant's \
        statement does not show them.",
    action: "Put the findings right first and show the tenant the corrected statement; review the \
        account after that. Do not act on arrears the tenant has never been shown.",
    example: "RA1012: posted £70.00, corrected £400.00 against a trigger of £380.00: £330.00 of \
        RA1002's payments had been posted to it (fixtures/sample).",
};

const TECHNICAL_ARREARS: Text = Text {
    short: "the trigger is reached only because benefit paid in arrears is not yet due",
    meaning:
        "The corrected rent arrears reach the trigger, but not once the technical arrears are \
        taken off: Housing Benefit or Universal Credit paid to the landlord in arrears for a \
        period not yet paid, or, on a new claim, the rent charged before the first payment is due \
        (the reason is then benefit_not_yet_paid). Rent is charged in advance and benefit paid \
        in arrears, so such an account looks behind before every run: that is not debt.",
    action: "Do not serve. Wait for the next run (the detail says when it is expected) and run \
        again. If it is more than 7 days overdue, the account is held benefit_stopped instead: \
        contact the HB office or DWP.",
    example: "RA9001: a new Housing Benefit claim from 2 March 2026. All £550.00 of its arrears \
        is rent charged since then, and the first payment is not due until 6 April; without it \
        the arrears are £0.00 (fixtures/failsafe).",
};

const PROTOCOL_HOLD: Text = Text {
    short: "the arrears reach the trigger, but something stands in the way of a NOSP",
    meaning: "Once the findings are put right the rent arrears still reach the trigger, and not \
        only through benefit not yet due, but at least one hold reason applies: a step the \
        Pre-Action Protocol or the law asks for first (a vulnerability, a pending benefit claim, \
        an open dispute, a finding not yet put right, benefit stopped), money that may be the \
        tenant's (in suspense, a payer conflict, paid since the as-at date), something the run \
        could not check (incomplete_data), the case (a Breathing Space moratorium, a court \
        order, a NOSP in force, an arrangement being kept) or the tenancy itself (ended, \
        introductory, its payer deceased). The reasons column names each.",
    action: "Deal with each hold reason (rent-audit explain REASON says how); rent-audit check \
        ACCOUNT gives each with what would clear it. Run again once they are cleared: only then \
        can the account be genuine.",
    example: "RA1006: corrected £490.00 against a trigger of £392.00, but a vulnerability is \
        recorded: held vulnerable (fixtures/sample).",
};

const GENUINE: Text = Text {
    short: "the corrected arrears reach the trigger and nothing found stands against them",
    meaning: "The rent arrears reach the trigger on the posted and the corrected balance alike, \
        and nothing in the run points the other way: no finding that changes the balance, no \
        hold reason, no warning. It is the only status on which check can say the account may \
        proceed; it is not a decision to serve.",
    action: "Before any notice, run rent-audit check ACCOUNT: it answers the Pre-Action Protocol \
        steps the data can (contact, help with benefit, an agreement considered, statements) and \
        lists those the officer must confirm. A mandatory ground needs the statutory threshold \
        met too, on the day of service and at the hearing.",
    example: "RA1007: corrected £1,032.00 (10.12 weeks) against a trigger of £408.00; its one \
        finding is a late posting already right on the ledger, which holds nothing \
        (fixtures/sample).",
};

const APPROACHING: Text = Text {
    short: "the corrected arrears are in the warning band just below the trigger",
    meaning: "The corrected rent arrears are at or above the start of the warning band (75% of \
        the trigger by default, --warn-at) but below the trigger. No NOSP, but the account is \
        heading towards one.",
    action: "Make early, supportive contact: talk to the tenant, check their benefit entitlement, \
        consider a repayment agreement. Put right any findings on the account.",
    example: "RA1004: corrected £380.00, in the band from £345.00 to the £460.00 trigger; the \
        £230.00 in suspense that may be Patience Okafor's would take it out of the band \
        (fixtures/sample).",
};

const CLEAR: Text = Text {
    short: "below the warning band, and the posted balance did not say otherwise",
    meaning: "The corrected rent arrears are below the warning band, or the account is in credit, \
        and the posted balance was not misleadingly above the band (that would be false_trigger \
        or false_approach). Findings or holds may still be listed on the account, but none \
        changes where it stands against the trigger.",
    action: "No arrears action. Put right any findings on the account all the same.",
    example: "RA1009: posted -£480.00 because a Direct Debit was posted twice, corrected £0.00: \
        clear, with one duplicate_posting to reverse (fixtures/sample).",
};
