//! The finding kinds (src/recon/finding.rs), as docs/matching.md decides
//! them. Examples are the fixtures' own findings.

use super::Text;
use crate::recon::finding::FindingKind;

/// Each kind's text: exhaustive, so a new kind must be explained.
pub(super) fn text(kind: FindingKind) -> Text {
    match kind {
        FindingKind::WrongAccount => WRONG_ACCOUNT,
        FindingKind::UnpostedReceipt => UNPOSTED_RECEIPT,
        FindingKind::UnidentifiedReceipt => UNIDENTIFIED_RECEIPT,
        FindingKind::AmountMismatch => AMOUNT_MISMATCH,
        FindingKind::DuplicatePosting => DUPLICATE_POSTING,
        FindingKind::UnbankedCredit => UNBANKED_CREDIT,
        FindingKind::LatePosting => LATE_POSTING,
        FindingKind::UnreversedReturn => UNREVERSED_RETURN,
        FindingKind::ReversalWithoutReturn => REVERSAL_WITHOUT_RETURN,
        FindingKind::UnmatchedRefund => UNMATCHED_REFUND,
        FindingKind::ScheduleMismatch => SCHEDULE_MISMATCH,
        FindingKind::MissingCharges => MISSING_CHARGES,
        FindingKind::IrregularCharge => IRREGULAR_CHARGE,
        FindingKind::RefundInError => REFUND_IN_ERROR,
        FindingKind::UncreditedRebate => UNCREDITED_REBATE,
        FindingKind::UnpostedClawback => UNPOSTED_CLAWBACK,
    }
}

const WRONG_ACCOUNT: Text = Text {
    short: "a receipt that belongs to one account was posted to another",
    meaning: "Money came in for one tenant (its reference names their account, or a payment \
        reference or schedule share of theirs) but was posted to another rent account. The \
        finding's account, whose money it is, looks worse than it is; the account it was posted \
        to looks better. A refund or a Direct Debit reversal posted to the wrong account is \
        reported the same way. Money is never moved between accounts on amount and date alone: \
        the payer's name, earlier payments or the reference must bear it out. Where finance \
        followed the payer's name to the account of the tenant who paid, there is no finding, \
        but both accounts are held payer_conflict.",
    action: "Reverse the posting from the account it went to (posted to) and post it to the \
        account it belongs to: the correction is minus the receipt on the finding's account and \
        plus the receipt on the other. Check whether either tenant was sent arrears letters on \
        the wrong balance.",
    example: "RA1002: Brian Lewis's standing orders of £110.00 on 2, 9 and 16 February 2026 \
        (reference \"RA1002 RENT\", payer \"B LEWIS\") were posted to RA1012. Each is a finding, \
        -£110.00 on RA1002 and +£110.00 on RA1012: put right, RA1002's balance falls from £460.00 \
        to £130.00 (false_trigger) and RA1012's rises from £70.00 to £400.00 (hidden_arrears) \
        (fixtures/sample).",
};

const UNPOSTED_RECEIPT: Text = Text {
    short: "money for a known account reached the bank but never any rent account",
    meaning: "A receipt the bank shows, tied to one account by its reference (the account \
        number, or a payment reference such as a card number or Direct Debit mandate) or by a \
        schedule share, was never posted to any rent account by the as-at date. The account \
        looks worse than it is by the receipt. The severity is low, not high, while the receipt \
        is still within the posting allowance (--posting-days, 5) of the as-at date: it may \
        simply not be posted yet.",
    action: "Post the receipt to the account. The corrected balance already counts it: take no \
        arrears action on the posted balance meanwhile.",
    example: "RA1003: £520.00 received on 3 February 2026 (bank line BNK0077, reference \
        \"rent ra-1003 Feb\", payer \"MISS C MARTIN\") never reached the ledger. Correction \
        -£520.00: RA1003 owes £0.00, not £520.00, and a NOSP on its posted balance would be wrong \
        (fixtures/sample).",
};

const UNIDENTIFIED_RECEIPT: Text = Text {
    short: "money in suspense: a receipt that identifies no account and was never posted",
    meaning: "A receipt whose reference and payer identify no account (or fit several equally) \
        and that was never posted: it sits in suspense. The tool never guesses, so no balance is \
        corrected; the amount shown is the money waiting to be placed. It suggests the accounts \
        it may belong to (the payer's name fits the tenant, or the reference is one keying slip \
        from an account number or payment reference), and every account it suggests is held \
        receipt_in_suspense until it is settled.",
    action: "Trace the payer and confirm which account the money is for before posting it; post \
        it there, or record that it is no tenant's. Until then, take no NOSP step on any account \
        it suggests.",
    example: "£230.00 received on 16 February 2026 (BNK0095) with reference \"RA1O04\" (a letter \
        O for a zero) from \"MS P OKAFOR\" matches no account. Suggested: RA1004, one character \
        away, whose tenant is Patience Okafor (fixtures/sample).",
};

const AMOUNT_MISMATCH: Text = Text {
    short: "a posting's amount differs from the receipt it came from (a keying error)",
    meaning: "A posting was tied to its receipt but for a different amount: a digit keyed wrong, \
        two digits swapped, the decimal point moved one place, or within 10% (any other \
        difference is two separate problems, not this one). The correction is the posted credit \
        less the receipt: negative where the tenant was credited too little, positive where too \
        much.",
    action: "Correct the posting to the amount received. Under-credited, the tenant owes less \
        than the ledger says; over-credited, the arrears are understated.",
    example: "RA1008: a £120.00 PayPoint payment on 9 March 2026 (BNK0143) was keyed as £12.00 \
        (T00301). Correction -£108.00: the tenant owes £108.00 less, which takes RA1008 out of \
        the warning band (false_approach) (fixtures/sample).",
};

const DUPLICATE_POSTING: Text = Text {
    short: "one receipt posted more than once, or one Direct Debit return reversed twice",
    meaning: "A single receipt was credited on the ledger more than once (keyed again by hand, or \
        imported twice), or a returned Direct Debit was reversed more than once. An extra credit \
        makes the account look better than it is; an extra reversal makes it look worse. The \
        correction takes the extra away: plus the posting for a repeated credit, minus the debit \
        for a repeated reversal.",
    action: "Reverse the extra posting the detail names, keeping the one that answers the \
        receipt.",
    example: "RA1009: the £480.00 Direct Debit of 1 February 2026 (BNK0061) was posted twice, as \
        T00130 and T00131: reverse T00131. Correction +£480.00 (fixtures/sample).",
};

const UNBANKED_CREDIT: Text = Text {
    short: "a payment or benefit credit on the ledger with no money behind it",
    meaning: "A payment or benefit credit is on the ledger, but no receipt of that amount for \
        the account reached the bank between 3 days before it and 35 days after \
        (--match-days); or, for a council's rent rebates, no line of the rebate schedule awards \
        it. The account looks better than it is by the credit. A credit the same as a stranger's \
        receipt in amount and date alone is not taken for that receipt.",
    action: "Find the money (cash not yet banked, a bulk run with no schedule, a receipt on \
        another account's bank line) or reverse the credit. Correction: plus the credit.",
    example: "RA1010: T00318, a £345.00 \"cash at office\" credit on 12 March 2026, has no money \
        in the bank. Correction +£345.00: RA1010 owes £360.00, not £15.00, and is approaching \
        the trigger (fixtures/sample).",
};

const LATE_POSTING: Text = Text {
    short: "posted more than the allowed days (5 by default) after the money arrived",
    meaning: "The receipt was posted to the right account for the right amount, but more than \
        --posting-days (5) days after the money arrived. The ledger is right now, so there is no \
        correction and it holds nothing; but until it was posted, the account looked worse than \
        it was.",
    action: "Check that no arrears action (a letter, a call, a notice) was taken while the \
        posting was missing, and put right any that was. Repeated late posting is one for the \
        finance team.",
    example: "RA1007: £102.00 received on 2 March 2026 (BNK0127) was posted as T00317 on \
        12 March, 10 days later (allowed: 5): the account looked £102.00 worse in between \
        (fixtures/sample).",
};

const UNREVERSED_RETURN: Text = Text {
    short: "a returned Direct Debit still credited on the account",
    meaning: "The bank returned a Direct Debit collection (a dd_return line, with its ARUDD \
        reason code) but no reversal was posted on the rent account: the tenant is still \
        credited with money the landlord never kept. The account looks better than it is by the \
        returned amount.",
    action: "Post one reversal of the collection (correction: plus the returned amount) and ask \
        the tenant to pay another way. A return with code 2, payer deceased, is a succession \
        matter, not arrears.",
    example: "B004: Direct Debit return S0025 of £100.00 on 17 April 2026 (ARUDD 1: instruction \
        cancelled by the payer) was never reversed: the account looks £100.00 better than it is \
        (fixtures/benefits).",
};

const REVERSAL_WITHOUT_RETURN: Text = Text {
    short: "a payment reversed on the ledger though the bank shows no return",
    meaning: "A payment was reversed on the rent account (a reversal debit that names a method \
        or a bank reference) but the bank shows no returned payment for it. Unless the return is \
        elsewhere, the tenant is charged back money the landlord still has: the account looks \
        worse than it is by the reversal.",
    action: "Cancel the reversal, unless the return is on another account or a later \
        statement. Correction: minus the reversal.",
    example: "B006: L00174 on 27 March 2026 reverses £100.00, but the bank shows no returned \
        payment: the account looks £100.00 worse than it is (fixtures/benefits).",
};

const UNMATCHED_REFUND: Text = Text {
    short:
        "money refunded from the bank with no ledger refund, or a ledger refund with no money out",
    meaning: "Money was paid out of the bank to a tenant with no refund posted on the ledger (the \
        account looks better than it is: correction plus the refund), or a refund was posted on \
        the ledger with no money paid out (it looks worse: correction minus the refund). The \
        severity is high, not medium, where the refund took the account from credit into \
        arrears: more was paid out than the tenant was owed, and the excess is a \
        refund_in_error too.",
    action: "Post the refund that was paid, or recover the money; for a ledger refund with no \
        money out, find the payment or cancel the refund.",
    example: "B008: £60.00 paid out on 4 March 2026 (S0082) to the tenant has no refund on the \
        ledger: post the refund or recover the money (fixtures/benefits).",
};

const SCHEDULE_MISMATCH: Text = Text {
    short: "a bulk receipt (HB, UC or a batch) that does not equal the sum of its schedule",
    meaning: "A bulk bank line (a Housing Benefit or Universal Credit run, a payment processor's \
        batch) is split by its schedule into one share per account, but the shares do not add up \
        to the money received. The difference is no known account's: no balance is corrected, \
        and the amount shown is what the schedule does not explain.",
    action:
        "Ask the payer (the HB office, DWP, the processor) for a corrected schedule, and place \
        the difference once it says whose it is.",
    example: "Bulk receipt S0136 of £500.00 on 17 April 2026 has a schedule of £475.00 in 2 \
        shares: £25.00 is explained by no share (fixtures/benefits).",
};

const MISSING_CHARGES: Text = Text {
    short: "rent fell due for periods that were never charged",
    meaning: "From the account's rent, rent period and dates, rent fell due on dates the ledger \
        has no rent charge for (rent-free weeks, --rent-free-weeks, excepted). One finding per \
        account names how many periods and when. The correction adds the rent in force on each, \
        so the corrected balance counts the rent not charged.",
    action: "Charge it with notice to the tenant, or record why it was not due (a rent-free \
        week, a void, an agreed reduction). Arrears that a late back-charge creates are not the \
        tenant's fault: explain the charge before any arrears step.",
    example: "B012: no rent was charged for the 2 weekly periods due on 9 and 16 March 2026: \
        £200.00 uncharged, correction +£200.00 (fixtures/benefits).",
};

const IRREGULAR_CHARGE: Text = Text {
    short: "a rent charge that is not the rent: a second, a lump, an odd amount, or after the end",
    meaning: "A rent charge that does not fit the rent in force. A second charge for a period \
        already charged, or a charge after the tenancy ended, is taken off (correction minus the \
        charge; medium). A whole multiple of the rent is a lump back-charge for periods not \
        charged (correction 0, since it may be legitimate; medium). Any other amount is an odd \
        charge (correction 0; low). Court costs, recharges and other sundry charges are not rent \
        and are not checked.",
    action: "A second charge, or one after the tenancy ended: reverse it. A lump or odd charge: \
        check what it is for and that the tenant was told, and do not treat arrears a \
        back-charge creates as the tenant's fault.",
    example: "B011: L00244 on 14 April 2026 charges £500.00 at once (5 times the £100.00 rent), \
        covering 5 uncharged weekly periods from 2 February to 2 March 2026 \
        (fixtures/benefits).",
};

const REFUND_IN_ERROR: Text = Text {
    short: "a refund paid out beyond the credit the account held: a debt, not rent arrears",
    meaning: "A refund (on the ledger, or paid out of the bank) was larger than the credit the \
        account held that day. The part beyond the credit is a debt the landlord created, not \
        rent arrears: it is counted as sundry debt, left out of the trigger and the statutory \
        test, and never counts towards a NOSP. The balance itself is right (correction 0), or \
        another finding puts it right.",
    action:
        "Agree repayment with the tenant as a sundry debt; do not serve a NOSP on it. Find out \
        why the refund was paid.",
    example: "D002: refund L00078 of £4,000.00 on 11 February 2026 paid out £3,800.00 more than \
        the £200.00 credit the account held. The posted rent balance of £3,800.00 reaches the \
        £400.00 trigger, but the rent arrears are £0.00: false_trigger (fixtures/rent_due).",
};

const UNCREDITED_REBATE: Text = Text {
    short: "a Housing Benefit rent rebate on the rebate schedule that was never credited",
    meaning: "For a council that credits Housing Benefit as a rent rebate (hb_rent_rebates), the \
        HB office's rebate schedule awards the account a rebate for a period that has begun, its \
        usual crediting day has come, and no rebate credit of that amount is on the account. The \
        balance is too high by the rebate.",
    action:
        "Credit the rebate (correction: minus the rebate awarded), or check the award with the \
        HB office.",
    example: "R003: the rebate schedule (batch REBATE-2026-03-16) awards £100.00 for 16 to 22 \
        March 2026, but no rebate credit of that amount is on the account: credit it \
        (fixtures/council_rebates).",
};

const UNPOSTED_CLAWBACK: Text = Text {
    short: "HB taken back out of a bulk run (an overpayment recovered) with no debit on the ledger",
    meaning: "A council recovering a Housing Benefit overpayment netted it off a later bulk run: \
        the schedule has a negative line for the account, and no debit for it (an hb_overpayment \
        charge, or a reversal or adjustment by hb or uc) is on the ledger. An overpayment \
        recovered is sundry debt, not rent, so the rent balance is unchanged (correction 0).",
    action: "Post it as an hb_overpayment charge, never as rent: it is a sundry debt, recovered \
        apart from the rent arrears.",
    example:
        "H003: £80.00 of Housing Benefit was taken back out of run BK002 on 2 March 2026, but \
        the ledger has no debit for it (fixtures/clawback).",
};
