//! The hold reasons (src/recon/hold.rs). The one line is the reason's own
//! [`HoldReason::meaning`], as the verdicts say it, so the two never drift;
//! what would clear a hold is [`HoldReason::clears_when`] (see
//! [`super::Entry::clears_when`]).

use super::Text;
use crate::recon::hold::HoldReason;

/// What the glossary says beyond the reason's own line.
struct Said {
    meaning: &'static str,
    action: &'static str,
    example: &'static str,
}

/// Each reason's text: exhaustive, so a new reason must be explained.
pub(super) fn text(reason: HoldReason) -> Text {
    let said = match reason {
        HoldReason::FormerTenant => &FORMER_TENANT,
        HoldReason::BreathingSpace => &BREATHING_SPACE,
        HoldReason::CourtOrder => &COURT_ORDER,
        HoldReason::NospInForce => &NOSP_IN_FORCE,
        HoldReason::ArrangementKept => &ARRANGEMENT_KEPT,
        HoldReason::PayerDeceased => &PAYER_DECEASED,
        HoldReason::IntroductoryTenancy => &INTRODUCTORY_TENANCY,
        HoldReason::NotANospTenancy => &NOT_A_NOSP_TENANCY,
        HoldReason::ReceiptInSuspense => &RECEIPT_IN_SUSPENSE,
        HoldReason::PayerConflict => &PAYER_CONFLICT,
        HoldReason::IncompleteData => &INCOMPLETE_DATA,
        HoldReason::Vulnerable => &VULNERABLE,
        HoldReason::BenefitClaimPending => &BENEFIT_CLAIM_PENDING,
        HoldReason::OpenDispute => &OPEN_DISPUTE,
        HoldReason::UnresolvedFinding => &UNRESOLVED_FINDING,
        HoldReason::TechnicalArrears => &TECHNICAL_ARREARS,
        HoldReason::BenefitNotYetPaid => &BENEFIT_NOT_YET_PAID,
        HoldReason::BenefitStopped => &BENEFIT_STOPPED,
        HoldReason::RecentDdReturn => &RECENT_DD_RETURN,
        HoldReason::PaidSinceAsAt => &PAID_SINCE_AS_AT,
    };
    Text {
        short: reason.meaning(),
        meaning: said.meaning,
        action: said.action,
        example: said.example,
    }
}

const FORMER_TENANT: Said = Said {
    meaning: "The account's tenancy_end is on or before the as-at date: the tenancy has ended. \
        No rent falls due after the end (a charge after it is an irregular_charge), what is owed \
        is former-tenant arrears, and a notice seeking possession of a tenancy that no longer \
        exists has no place. check says do not serve, whatever the balance.",
    action:
        "Recover the debt as former-tenant arrears: a letter, a repayment agreement, the small \
        claims court. Never by a NOSP.",
    example: "D004: the tenancy ended on 15 March 2026; the £500.00 owed is former-tenant \
        arrears, recovered as a debt (fixtures/rent_due).",
};

const BREATHING_SPACE: Said = Said {
    meaning:
        "A Debt Respite Scheme (Breathing Space) moratorium recorded in cases.csv runs on some \
        day from the as-at date to the day the notice would be served. While it runs, no \
        enforcement step may be taken on the debts it protects, and a step taken in breach is \
        void. A mental health crisis moratorium has no fixed end: it lasts until 30 days after \
        the crisis treatment ends.",
    action: "Take no arrears enforcement step while it runs. When it ends (the Insolvency Service \
        tells the creditor), review the account again.",
    example:
        "K007: a Breathing Space moratorium began on 15 May 2026 and runs to 13 July 2026: no \
        enforcement step may be taken during it (fixtures/cases).",
};

const COURT_ORDER: Said = Said {
    meaning: "A possession order recorded in cases.csv is in force, whether its terms are being \
        kept or not. A breach is enforced through the order, not by a new notice. An outright \
        order is enforced by a warrant; a suspended, postponed or adjourned-on-terms order with \
        an instalment has its terms judged as an arrangement is, the instalment on top of the \
        rent.",
    action: "Never serve a new NOSP. Where the order's terms are broken, apply to enforce it (a \
        warrant); where they are kept, take no step.",
    example: "K003: a suspended possession order was made on 2 February 2026 on terms of the rent \
        and £5.00 a rent period towards the arrears, and the terms are being kept: no step while \
        they are (fixtures/cases).",
};

const NOSP_IN_FORCE: Said = Said {
    meaning: "A NOSP already served, recorded in cases.csv, is not yet active or is still in \
        force. The tool counts it active 28 days after service and in force for 12 months (from \
        service for assured tenancies, from the day proceedings could begin for secure and \
        introductory ones), or to the end recorded. Another notice adds nothing. A notice that \
        has lapsed holds nothing: the verdict says it has lapsed.",
    action:
        "Do not serve another notice. Decide whether to begin proceedings on the one in force, \
        once it is active.",
    example:
        "K005: a NOSP was served on 20 May 2026, and proceedings may begin on it from 17 June \
        2026: do not serve another (fixtures/cases).",
};

const ARRANGEMENT_KEPT: Said = Said {
    meaning: "A payment arrangement recorded in cases.csv is being kept: at the end of the last \
        rent period judged, the balance was at or below the agreed balance (allowing payments up \
        to a week late, benefit paid in arrears, and a tenant who pays every few weeks), or no \
        period can be judged yet. DWP deductions from the tenant's benefit towards the arrears \
        in the last 42 days hold the account the same way. The Pre-Action Protocol asks the \
        landlord not to proceed while an agreement is kept.",
    action: "Do not proceed while it is kept. If it is broken, the verdict names the periods \
        missed: contact the tenant before any step.",
    example: "K001: an arrangement from 2 March 2026 to pay £10.00 a rent period towards the \
        arrears is being kept: at the last of 12 periods judged, the balance was £680.00 against \
        £680.00 agreed (fixtures/cases).",
};

const PAYER_DECEASED: Said = Said {
    meaning: "A Direct Debit came back with ARUDD return code 2, payer deceased, on or before the \
        as-at date, however long ago. Who holds the tenancy now (a successor, or nobody) must be \
        settled before any arrears step.",
    action: "Establish who succeeds to the tenancy, or whether it ends, and confirm the holder; \
        then review the account.",
    example: "D007: a Direct Debit was returned on 9 March 2026 with ARUDD code 2, payer \
        deceased: establish who succeeds to the tenancy before any arrears step \
        (fixtures/rent_due).",
};

const INTRODUCTORY_TENANCY: Said = Said {
    meaning: "The account's tenancy_type is introductory: a council's trial tenancy under the \
        Housing Act 1996, ss.124-143. It is ended by a notice of proceedings under s.128, with \
        the tenant's right to ask for a review (s.129), not by a NOSP. A housing association's \
        starter tenancy is an assured shorthold, and is not held for this.",
    action: "Never serve a NOSP. If possession is to be sought, serve a s.128 notice of \
        proceedings and offer the review.",
    example: "D006: an introductory tenancy with £600.00 of arrears against a £400.00 trigger is \
        held: it ends by a s.128 notice, not a NOSP (fixtures/rent_due).",
};

const NOT_A_NOSP_TENANCY: Said = Said {
    meaning: "The account's tenancy_type is licence or other. A licensee is not served a NOSP: a \
        licence ends by notice to quit or its own terms. For other, the run does not know which \
        regime applies, so it cannot say a NOSP is the route, and, failing safe, holds the \
        account as it holds an introductory tenancy.",
    action: "Confirm what the occupancy is. Correct tenancy_type in accounts.csv where it is a \
        secure or assured tenancy and run again; for a licence, follow its terms.",
    example: "An account with tenancy_type licence and 15 weeks of arrears is held, not cleared \
        for a NOSP.",
};

const RECEIPT_IN_SUSPENSE: Said = Said {
    meaning: "A receipt in suspense (an unidentified_receipt) suggests this account: the payer's \
        name fits the tenant, or the reference is the account number but for one slip. Or a \
        receipt that no reference claims, posted to another account, fits this one at least as \
        well. The hold says what \
        the corrected balance would be if the money is the tenant's; where the evidence alone \
        points to this tenant and the money would take the account below the trigger, the \
        verdict begins \"the arrears may not be real\".",
    action: "Trace the receipt with the payer. Post it to the account, or record that it is not \
        this tenant's; then run again.",
    example:
        "RA1005: £50.00 received on 20 March 2026 from \"J SMITH\" (reference \"SMITH RENT\") \
        may be John Smith's, or Jane Smith's on RA1015; if it is RA1005's, its corrected balance \
        is £565.00 (fixtures/sample).",
};

const PAYER_CONFLICT: Said = Said {
    meaning: "A receipt's reference names one account while its payer is, by full name, the \
        tenant of another (and shares no name with the first account's tenant), unless the payer \
        has paid the first account before; or finance posted a receipt to the payer's account \
        though its reference names another. Both accounts are held: one of them is credited with \
        money that may be the other's.",
    action: "Confirm with the payer which account the money was for, move it if need be, and run \
        again.",
    example: "RA7203: £110.00 received on 23 March 2026 (B0026) with reference \"RA8150\" from \
        \"MARY QUINN\", who is RA7203's tenant: both RA7203 and RA8150 are held \
        (fixtures/failsafe).",
};

const INCOMPLETE_DATA: Said = Said {
    meaning: "A warning at the top of the report concerns this account: the run could not check \
        something the account depends on (a column left unused, bulk benefit with no schedules, \
        rebates with no rebate schedule, rows dated in the future, an as-at date outside the \
        data, rows set aside, a profile's extraction that matched nothing). The hold names the \
        warning kinds.",
    action: "Put right what the warning names (rent-audit explain WARNING says how) and run \
        again.",
    example: "With bank.csv's reference column headed \"Ref\", a lenient run of the sample warns \
        unused_column and holds every account: RA1007, otherwise genuine, is protocol_hold \
        (incomplete_data).",
};

const VULNERABLE: Said = Said {
    meaning: "accounts.csv records a vulnerability for the tenant (the vulnerable flag). The \
        Pre-Action Protocol expects vulnerabilities to be taken into account before any step. \
        The flag holds the account on every run while it is set.",
    action: "Carry out a risk assessment or equality impact assessment that considers the \
        vulnerability, make any referral it calls for, and record the decision; then review.",
    example: "RA1006: corrected £490.00 against a trigger of £392.00, with a vulnerability \
        recorded: held (fixtures/sample).",
};

const BENEFIT_CLAIM_PENDING: Said = Said {
    meaning: "accounts.csv says the tenant has a benefit claim in progress and has supplied the \
        evidence for it (the benefit_claim_pending flag). The Pre-Action Protocol: no claim for \
        possession while such a claim is pending.",
    action: "Help the tenant with the claim and wait for the decision; then clear the flag and \
        run again.",
    example: "RA1016: corrected £550.00 against a £440.00 trigger, with a benefit claim pending \
        and the evidence supplied: held (fixtures/sample).",
};

const OPEN_DISPUTE: Said = Said {
    meaning: "accounts.csv records an open complaint or dispute about the account (the \
        open_dispute flag). Arrears action while it is open may act on the very balance in \
        dispute.",
    action: "Resolve the complaint or dispute, then clear the flag and run again.",
    example: "RA1021: corrected £720.00 against a £480.00 trigger, with a dispute open: held \
        (fixtures/sample).",
};

const UNRESOLVED_FINDING: Said = Said {
    meaning: "A finding names the account (as the account whose balance is wrong, or the one \
        money was wrongly posted to) and is not yet put right on the ledger. Only a late \
        posting, already right on the ledger, holds nothing. The hold names the finding kinds.",
    action: "Put the findings right on the ledger (rent-audit check ACCOUNT lists each with its \
        evidence), then run again.",
    example: "D003: 2 findings on the account are not yet resolved (irregular_charge, \
        refund_in_error): held, though its £950.00 of rent arrears reach the £400.00 trigger \
        (fixtures/rent_due).",
};

const TECHNICAL_ARREARS: Said = Said {
    meaning: "Part of the arrears is Housing Benefit or Universal Credit paid to the landlord in \
        arrears for a period not yet paid, but even without it the arrears reach the trigger \
        (were they below it, the status would be technical_arrears). The part not yet due is the \
        last run's weekly rate for the days from the end of the period it covered to the end of \
        the rent period already charged.",
    action: "Wait for the next run (the hold says when it is expected) and run again: the arrears \
        on the day of service are less by what it pays.",
    example:
        "RA1018: £100.00 of its £584.00 is Housing Benefit for the period since 22 March 2026 \
        not yet due, the next run expected on 20 April; the £484.00 left still reaches the \
        £352.00 trigger (fixtures/sample).",
};

const BENEFIT_NOT_YET_PAID: Said = Said {
    meaning: "A Housing Benefit or Universal Credit account paid to the landlord has had no run \
        yet, and its first payment is not due until 35 days (HB) or 38 days (UC) after the \
        account opened (--hb-first-run-days, --uc-first-run-days). Until then, the rent charged \
        since it opened counts as technical arrears.",
    action: "Wait for the first payment. If it is more than 7 days late, the account is held \
        benefit_stopped instead: chase the claim.",
    example: "RA9001: a Housing Benefit claim from 2 March 2026 whose first payment is not due \
        until 6 April: the £550.00 charged since is technical arrears (fixtures/failsafe).",
};

const BENEFIT_STOPPED: Said = Said {
    meaning: "The account's next Housing Benefit or Universal Credit run (or its first) is more \
        than 7 days overdue. Nothing is counted as technical arrears any more, but the benefit \
        may have stopped for a reason the tenant can put right.",
    action: "Contact the HB office or DWP and help the tenant with the claim, as the Pre-Action \
        Protocol asks, and record it; then review.",
    example: "RA9002: one Housing Benefit run on 2 February 2026; the next, expected on 2 March, \
        has not arrived (fixtures/failsafe).",
};

const RECENT_DD_RETURN: Said = Said {
    meaning: "A Direct Debit for the account was returned by the bank under 14 days before the \
        as-at date. The tenant may not know yet, or may not have had time to pay another way.",
    action: "Contact the tenant about paying another way, and review once they have had time.",
    example: "B007: a Direct Debit was returned on 24 April 2026: give the tenant time to pay \
        another way (fixtures/benefits).",
};

const PAID_SINCE_AS_AT: Said = Said {
    meaning: "Money whose reference names the account came in after the as-at date (and not \
        after today). The account is assessed as at the as-at date, so on the day a notice \
        would be served its arrears are less than the report shows.",
    action: "Assess the account as at the day the notice would be served (run with --as-at that \
        day).",
    example: "The sample run as at 15 March 2026: £102.00 for RA1007 came in on 16 and again on \
        30 March, so RA1007 is held, though as at 31 March it is genuine.",
};
