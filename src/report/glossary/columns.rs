//! The columns an officer reads in the report's tables
//! (src/report/sections.rs), spelled as their headers are, and the figures
//! `check` and JSON name beside them (technical arrears, rent arrears,
//! sundry debt). In the order the report shows them.

use super::Text;
use crate::recon::model::vocabulary;

vocabulary!(
    /// The report columns the glossary explains.
    Column {
        RowsRead => "rows read",
        Used => "used",
        SetAside => "set aside",
        Outcome => "outcome",
        Entries => "entries",
        Money => "money",
        NetCorrection => "net correction",
        Severity => "severity",
        Correction => "correction",
        PostedTo => "posted to",
        Evidence => "evidence",
        Posted => "posted",
        Corrected => "corrected",
        Weeks => "weeks",
        Trigger => "trigger",
        Statutory => "statutory",
        Late12m => "late 12m",
        TechnicalArrears => "technical arrears",
        RentArrears => "rent arrears",
        SundryDebt => "sundry debt",
    }
);

/// Each column's text: exhaustive, so a new column must be explained.
pub(super) fn text(column: Column) -> Text {
    match column {
        Column::RowsRead => ROWS_READ,
        Column::Used => USED,
        Column::SetAside => SET_ASIDE,
        Column::Outcome => OUTCOME,
        Column::Entries => ENTRIES,
        Column::Money => MONEY,
        Column::NetCorrection => NET_CORRECTION,
        Column::Severity => SEVERITY,
        Column::Correction => CORRECTION,
        Column::PostedTo => POSTED_TO,
        Column::Evidence => EVIDENCE,
        Column::Posted => POSTED,
        Column::Corrected => CORRECTED,
        Column::Weeks => WEEKS,
        Column::Trigger => TRIGGER,
        Column::Statutory => STATUTORY,
        Column::Late12m => LATE_12M,
        Column::TechnicalArrears => TECHNICAL_ARREARS,
        Column::RentArrears => RENT_ARREARS,
        Column::SundryDebt => SUNDRY_DEBT,
    }
}

const ROWS_READ: Text = Text {
    short: "records read from the input file: used plus set aside",
    meaning: "How many records (rows after the header) were read from the input file. Rows read \
        are always the rows used plus the rows set aside.",
    action: "Compare it with the number of rows the source system exported: a difference means \
        rows were lost on the way.",
    example: "ledger.csv in the sample: 410 rows read, 410 used, 0 set aside (fixtures/sample).",
};

const USED: Text = Text {
    short: "rows read and taken into the run",
    meaning: "The rows of the file that were read as the contract asks and reconciled. Fewer than \
        rows read means some were set aside.",
    action: "Nothing, unless it is less than rows read: then see set aside.",
    example: "bank.csv in the sample: 191 rows read, 191 used (fixtures/sample).",
};

const SET_ASIDE: Text = Text {
    short: "bad rows --lenient set aside: in the rejects file, not reconciled",
    meaning: "Rows that could not be read as the contract asks, set aside by --lenient (without \
        it, one bad row stops the run). Each is listed with its reasons in the rejects file, the \
        money on them is given under the table, and a rows_set_aside warning holds every \
        account.",
    action: "Put the rows right and run again.",
    example: "fixtures/lenient: 7 rows set aside across accounts.csv, bank.csv and ledger.csv.",
};

const OUTCOME: Text = Text {
    short: "what became of each bank line (or bulk share) and each ledger credit",
    meaning:
        "Every bank line (or each schedule share of a bulk line) and every ledger credit ends \
        in exactly one outcome: matched (tied to a posting on the right account, for the right \
        amount, on time), the kind of the finding it is named in, non_cash (an adjustment or \
        write-off: no money to find), rent_rebate (Housing Benefit credited as a rent rebate and \
        awarded by the rebate schedule) or after_as_at (dated after the as-at date). So the \
        money by outcome sums to the file's: the note under the table says it ties, or says \
        DOES NOT TIE.",
    action: "If a table does not tie, do not rely on the report: raise it as a fault in \
        rent-audit.",
    example: "Bank lines in the sample: 185 matched (£24,742.00), 3 wrong_account (£330.00) and \
        so on, 194 entries of £26,494.00 in all, tying to the bank file's net money \
        (fixtures/sample).",
};

const ENTRIES: Text = Text {
    short: "bank lines, each bulk line counted as its schedule shares",
    meaning: "The bank table counts entries: bank lines, with each bulk line (an HB or UC run, a \
        processor's batch) counted as its schedule shares, and a schedule_mismatch entry for any \
        part its schedule does not explain.",
    action: "Nothing: it is why the bank table's count differs from the bank file's rows.",
    example: "The sample's 191 bank lines hold 6 bulk lines split into 9 schedule shares: 194 \
        entries (fixtures/sample).",
};

const MONEY: Text = Text {
    short: "the money involved: of the rows with each outcome, or the findings of each kind",
    meaning: "In the outcome tables, the money of the rows with that outcome. In Findings by \
        kind, the money the findings are about: the size of the correction for wrong_account, \
        unposted_receipt, unidentified_receipt, schedule_mismatch, uncredited_rebate and \
        unposted_clawback; for every other kind, the ledger row's amount (else the bank \
        line's). It can differ from the net correction.",
    action: "Read it for the scale of each problem, and net correction for its effect on \
        balances.",
    example: "amount_mismatch in the sample: money £12.00, the posting as keyed; net correction \
        -£108.00, what putting it right does (fixtures/sample).",
};

const NET_CORRECTION: Text = Text {
    short: "what putting the kind right changes balances by, signed as debits (negative: owe less)",
    meaning: "The corrections of every finding of the kind, added up and signed as debits: \
        negative where putting them right lowers what tenants owe. Money moved between accounts \
        (wrong_account) shows both sides: the net over both accounts (£0.00), then the account \
        it belongs to (its credit added) and the account it was posted to (its credit taken \
        back). It differs from money where the money involved is not the correction: an \
        amount_mismatch of £12.00 posted for £120.00 received is money £12.00 and a correction \
        of -£108.00. For unidentified_receipt and schedule_mismatch it is the money waiting to \
        be placed: no balance is corrected. Kinds whose balance is already right (late_posting, \
        refund_in_error, unposted_clawback) add nothing.",
    action: "Read it with money: together they say how much is wrong and which way.",
    example: "In the sample: wrong_account £0.00 (-£330.00 / +£330.00), amount_mismatch \
        -£108.00 on money £12.00, duplicate_posting £570.00, late_posting £0.00 \
        (fixtures/sample).",
};

const SEVERITY: Text = Text {
    short: "how urgently a finding needs putting right: high, medium or low",
    meaning: "High: the balance is wrong in a way that can lead to a wrong NOSP or lost money (a \
        receipt on the wrong account or never posted, a credit with no money or posted twice, a \
        return not reversed, a refund paid in error, a rebate not credited). Medium: money in \
        suspense, a refund with no match, a schedule that does not add up, benefit taken back \
        and not posted, charges to check. Low: already right on the ledger (a late posting), an \
        odd charge to check, or a receipt still within the posting allowance. Each kind has a usual severity (rent-audit explain KIND); a few vary with the \
        case. The exit code is 1 when any finding is at or above --fail-on (default high).",
    action: "Work through high first: the findings table is sorted most urgent first.",
    example: "The sample has 8 high findings (wrong_account, unposted_receipt, amount_mismatch, \
        duplicate_posting, unbanked_credit), 2 medium (unidentified_receipt) and 2 low \
        (late_posting) (fixtures/sample).",
};

const CORRECTION: Text = Text {
    short: "what putting the finding right does to its account's balance, signed as a debit",
    meaning: "The change to the account's balance that puts the finding right, signed as a \
        debit: negative means the tenant owes less than the ledger says (an unposted £100.00 \
        receipt is -£100.00), positive that they owe more. Where money went to another account, \
        that account (posted to) takes the opposite. For unidentified_receipt and \
        schedule_mismatch no account is known: the amount is the money waiting to be placed, and \
        no balance is corrected. JSON calls it amount.",
    action: "Post the correction the finding's detail describes.",
    example: "RA1003's unposted_receipt: correction -£520.00, so its corrected balance is £0.00, \
        not £520.00 (fixtures/sample).",
};

const POSTED_TO: Text = Text {
    short: "where the money went instead, if to another account",
    meaning: "For a wrong_account finding, the account the money was posted to. It takes the \
        opposite of the correction: it was credited with money that is not its tenant's, so it \
        owes more than its ledger says.",
    action: "Reverse the posting there too, and look at that account again: its arrears may have \
        been hidden (hidden_arrears).",
    example: "RA1002's £110.00 payments went to RA1012, which takes +£110.00 for each \
        (fixtures/sample).",
};

const EVIDENCE: Text = Text {
    short: "the input rows that prove the finding, as file:line",
    meaning: "The file and line of every row involved: the bank line, the ledger postings, the \
        schedule line. Line numbers are the file's own, the header being line 1, so anyone can \
        open the file and see the row.",
    action: "Open the rows cited to check the finding before acting on it, and keep them with the \
        case.",
    example: "bank.csv:64 ledger.csv:165: the bank line and the posting of RA1002's £110.00 of 2 \
        February 2026 (fixtures/sample).",
};

const POSTED: Text = Text {
    short: "the balance as the ledger shows it on the as-at date",
    meaning: "The posted balance: the opening balance plus every posting dated on or before the \
        as-at date, debits adding and credits taking away. Positive: the tenant owes; negative: \
        in credit. It includes any sundry debt.",
    action: "Compare it with corrected: where they differ, the ledger is wrong and the findings \
        say why.",
    example: "RA1002: posted £460.00 (fixtures/sample).",
};

const CORRECTED: Text = Text {
    short: "the balance once every finding on the account is put right",
    meaning: "The corrected balance: the posted balance plus the correction of every finding on \
        the account. The status tests the rent arrears in it (sundry debt left out) against the \
        trigger.",
    action: "Use it, not the posted balance, for any arrears decision.",
    example: "RA1002: posted £460.00, corrected £130.00 once three wrong_account postings are put \
        right (fixtures/sample).",
};

const WEEKS: Text = Text {
    short: "the corrected rent arrears in weeks of rent",
    meaning: "The corrected rent arrears (sundry debt left out) over the weekly equivalent of the \
        rent in force on the as-at date: weekly rent as it is, fortnightly / 2, four-weekly / 4, \
        monthly x 12 / 52. Negative when in credit.",
    action: "Read it against the trigger (often 4 weeks) and the statutory threshold.",
    example: "RA1012: £400.00 at £95.00 a week is 4.21 weeks (fixtures/sample).",
};

const TRIGGER: Text = Text {
    short: "the landlord's own NOSP trigger for this account, in pounds",
    meaning: "The landlord's trigger (--trigger, default 4w) for this account in pounds: Nw is N \
        weeks of the weekly equivalent rent, Nm N months' rent, £N a fixed sum. A policy, not \
        the law: reaching it means an officer reviews the account, and the status says whether \
        the arrears are real. The warning band runs from 75% of it (--warn-at) up to it.",
    action: "Read the status before anything else: false_trigger means the trigger is reached \
        only on a wrong balance.",
    example: "RA1002: 4w of £110.00 a week is £440.00 (fixtures/sample).",
};

const STATUTORY: Text = Text {
    short: "Ground 8's threshold on the day of service, in pounds, and whether it is reached",
    meaning: "For assured tenancies (assured shorthold and starter included), the mandatory \
        Ground 8 of the Housing Act 1988: at least 8 weeks' rent (2 months' for monthly rent) \
        for a notice served before 1 May 2026; from 1 May 2026 (Renters' Rights Act 2025), 13 \
        weeks' or 3 months', and arrears there only because Universal Credit housing payments \
        are not yet paid do not count. The law is taken on the day of service (--serve-on, else \
        the as-at date). none: there is no mandatory ground (a secure tenancy's Ground 1 is \
        discretionary; an introductory tenancy ends by a s.128 notice; licences and others).",
    action:
        "Reached is not a decision to serve: Ground 8 must also be met at the hearing, and the \
        status and the Protocol steps still apply. Not reached leaves only the discretionary \
        grounds.",
    example: "RA1007: £816.00 reached (8 weeks of £102.00), its corrected £1,032.00 being above \
        it; RA1018, a secure tenancy: none (fixtures/sample).",
};

const LATE_12M: Text = Text {
    short: "periods the tenant fell further behind / periods the data covers in the last 12 months",
    meaning: "Late periods / periods: of the rent periods ending in the 12 months to the as-at \
        date that the data covers (3/12 on three months of weekly rent: 12 periods, not a \
        year), how many the tenant ended further behind than they began, counting benefit not yet \
        due as paid (so arrears carried forward, or benefit paid in arrears, are not late \
        payment). On a benefit account, periods before its first benefit credit are not judged. \
        The payment history the discretionary grounds look at (Ground 10, some rent unpaid; \
        Ground 11, persistent delay), as the ledger posts it: a payment posted to the wrong \
        account, or never posted, makes its period look late until the finding is put right.",
    action: "Check it against the rent statement before relying on it as the payment history.",
    example: "RA1007: 6/12, further behind in 6 of its last 12 weekly periods: it pays every \
        other week (fixtures/sample).",
};

const TECHNICAL_ARREARS: Text = Text {
    short: "the part of the arrears that is benefit paid in arrears and not yet due",
    meaning: "On a Housing Benefit or Universal Credit account paid to the landlord: the last \
        run's weekly rate for the days from the end of the period it covered to the end of the \
        rent period already charged (rent is charged in advance, benefit paid in arrears), at \
        most what is owed; on a new claim, the rent charged before its first payment is due. It \
        is part of the corrected balance, not debt. Nothing is technical once a run is more than \
        7 days overdue.",
    action: "Leave it out when judging the arrears, as the status does (technical_arrears, or the \
        technical_arrears hold).",
    example: "RA1018: £100.00, Housing Benefit at £50.00 a week for the 2 weeks from 22 March \
        2026, with rent charged to 5 April (fixtures/sample).",
};

const RENT_ARREARS: Text = Text {
    short: "the corrected balance less sundry debt: what the trigger and Ground 8 test",
    meaning: "Rent lawfully due: rent charges (with service charges reserved as rent) less what \
        was paid towards rent. The trigger, the warning band and the statutory threshold are \
        tested on it, with sundry debt reported beside it. How a payment is split between rent \
        and sundry debt is --allocate (default rent-first).",
    action: "Judge arrears on this figure, not the whole balance, wherever the account has sundry \
        debt.",
    example: "D001: a balance of £805.00 is £300.00 of rent arrears and £505.00 of sundry debt: \
        approaching, not over the £400.00 trigger (fixtures/rent_due).",
};

const SUNDRY_DEBT: Text = Text {
    short: "debt on the rent account that is not rent: never counted towards a NOSP",
    meaning: "Debits of a charge_type other than rent (court costs, rechargeable repairs, \
        former-tenant arrears, Housing Benefit overpayments, other sundry charges) and refunds \
        paid out beyond the credit the account held, less what payments paid of them \
        (--allocate rent-first, the default, pays rent first, so sundry debt is what is left once \
        all rent is paid); never more than the balance. The possession grounds count rent \
        lawfully due, so it is left out of the trigger and the statutory test.",
    action: "Recover it by other means (an agreement, the small claims court), never by a NOSP.",
    example: "D001: £505.00 of sundry debt beside £300.00 of rent arrears (fixtures/rent_due).",
};
