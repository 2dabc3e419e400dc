//! The warning kinds (src/recon/warning.rs and the readers in src/input):
//! what the run could not check. Each holds the accounts it concerns
//! as `incomplete_data`.

use super::Text;
use crate::recon::warning::WarningKind;

/// Each warning's text: exhaustive, so a new warning must be explained.
pub(super) fn text(kind: WarningKind) -> Text {
    match kind {
        WarningKind::UnusedColumn => UNUSED_COLUMN,
        WarningKind::NoSchedules => NO_SCHEDULES,
        WarningKind::NoRebateSchedule => NO_REBATE_SCHEDULE,
        WarningKind::FutureRows => FUTURE_ROWS,
        WarningKind::AsAtOutsideData => AS_AT_OUTSIDE_DATA,
        WarningKind::RowsSetAside => ROWS_SET_ASIDE,
        WarningKind::ExtractNeverMatched => EXTRACT_NEVER_MATCHED,
        WarningKind::UnknownBankRef => UNKNOWN_BANK_REF,
        WarningKind::BatchNotBanked => BATCH_NOT_BANKED,
        WarningKind::FileEndsEarly => FILE_ENDS_EARLY,
        WarningKind::StaleData => STALE_DATA,
        WarningKind::AsAtAfterToday => AS_AT_AFTER_TODAY,
        WarningKind::BenefitNotFlagged => BENEFIT_NOT_FLAGGED,
    }
}

const UNUSED_COLUMN: Text = Text {
    short: "a column nothing reads looks like a contract column the file lacks",
    meaning: "An input file has a column that nothing reads but that looks like a contract column \
        the file lacks (Ref for reference, amt for amount, one letter off, a short form). What \
        it holds is not used, so matching may have missed what it says. In the default strict \
        mode this stops the run; with --lenient it is a warning, and every account is held \
        incomplete_data.",
    action: "Rename the column to the contract's name, map it in a profile, or pass \
        --ignore-column NAME if it is not meant for it; then run again.",
    example: "The sample with bank.csv's reference column headed \"Ref\": bank.csv:1: column \
        `ref` is not used, but looks like `reference`, which the file lacks. With --lenient \
        every account is held: RA1007, otherwise genuine, becomes protocol_hold.",
};

const NO_SCHEDULES: Text = Text {
    short: "benefit credits on the ledger but no schedules file to split the bulk runs",
    meaning: "The ledger has benefit credits but no schedules.csv was given. A Housing Benefit or \
        Universal Credit run is one bank line for many accounts; without its schedule it cannot \
        be split into shares, so the credits it paid may show as unbanked_credit. The accounts \
        with benefit credits are held incomplete_data.",
    action: "Add the HB and UC schedules to schedules.csv (one line per share, with the run's \
        batch reference) and run again.",
    example: "The sample run without schedules.csv: 3 accounts (RA1011, RA1013, RA1018) have \
        benefit credits; RA1018's show as unbanked_credit, and all three are held.",
};

const NO_REBATE_SCHEDULE: Text = Text {
    short: "rent rebates credited with no rebate schedule to check them against",
    meaning: "With hb_rent_rebates on, Housing Benefit rent rebates are credited on these \
        accounts, but no rebate schedule covers them (a rebate schedule is schedule lines in \
        batches no bank line carries). A rebate awarded and never credited cannot be seen, so \
        the accounts are held incomplete_data.",
    action: "Add the HB office's rebate schedule to schedules.csv and run again.",
    example: "The council_rebates fixture run without schedules.csv: 5 accounts (R001 to R004, \
        and R006) have rebates credited but no rebate schedule.",
};

const FUTURE_ROWS: Text = Text {
    short: "rows dated after today or far beyond the rest of the data: a date typed wrong?",
    meaning: "Some ledger or bank rows are dated after today (--today, else the clock), or more \
        than 62 days beyond the rest of the data (a few rows after a gap): most likely a year \
        typed wrong. They are left out of the default as-at date. Their accounts are held \
        incomplete_data, and every account where a bank line is among them, since a bank line's \
        money may be anyone's.",
    action: "Correct the dates at the source and run again.",
    example: "The sample with ledger.csv:250 dated 2062-02-23 for 2026-02-23: 1 row is dated \
        after today, and RA1018, its account, is held.",
};

const AS_AT_OUTSIDE_DATA: Text = Text {
    short: "the as-at date is before the data starts or more than 62 days after it ends",
    meaning: "The as-at date (--as-at) is before the first row of the ledger and bank, so nothing \
        can be assessed on it, or more than 62 days after their last row, so rent and money \
        since then are not in the data. Every account is held incomplete_data.",
    action: "Run as at a date the data covers, or supply the data up to the as-at date.",
    example: "The sample, whose data ends on 31 March 2026, run with --as-at 2026-07-01: the \
        as-at date is more than 62 days after the data ends.",
};

const ROWS_SET_ASIDE: Text = Text {
    short: "--lenient set bad rows aside: their money or rent is not in the run",
    meaning: "Reading with --lenient, some rows could not be read as the contract asks and were \
        set aside (the first five are named). What they would show, money received or rent \
        charged, is not in this run, and it could be anyone's, so every account is held \
        incomplete_data.",
    action: "Put the rows right (the rejects file lists each, with its reasons and the row as it \
        was) and run again.",
    example:
        "fixtures/lenient: 7 bad rows were set aside (accounts.csv:4, bank.csv:5, bank.csv:6, \
        bank.csv:7, ledger.csv:8, ...), and both accounts are held.",
};

const EXTRACT_NEVER_MATCHED: Text = Text {
    short: "a profile's [[extract]] matched no row of its file, so every value it sets is blank",
    meaning: "A mapping profile takes a field out of a column by a pattern (an [[extract]]), and \
        the pattern matched no row of the file, so every value it sets is blank: payer names or \
        references, say, and with references the matching. In strict mode this stops the run; \
        with --lenient it is a warning, and every account is held incomplete_data.",
    action: "Check the pattern against the file (the export may have changed its layout), fix the \
        profile, and run again.",
    example: "Say the bank's export starts writing \"B LEWIS - RA1002 RENT\" where the Westshire \
        profile (fixtures/profiles) expects \"B LEWIS / RA1002 RENT\": its extracts for payer and \
        reference match no row, and no receipt can be identified by its reference.",
};

const UNKNOWN_BANK_REF: Text = Text {
    short: "reversals or refunds whose bank_ref is on no bank line",
    meaning: "A ledger reversal or refund names, in bank_ref, a bank line the statement does not \
        have up to the as-at date (nor a bulk line's batch reference): a ref typed wrong, one from \
        another account's statement, or a line not yet on it. The ref is treated as unknown: the \
        entry is matched to money out by account, amount and date, as one with no bank_ref is, \
        and the accounts are held incomplete_data until someone checks.",
    action: "Check each ref against the statement: correct it on the ledger, or add the \
        statement that holds the line; then run again.",
    example: "A DD reversal posted with bank_ref \"RET-9\" where the return is bank line \
        \"RET-1\": it is matched to RET-1 by account, amount and date, and the warning names \
        the ledger row.",
};

const BATCH_NOT_BANKED: Text = Text {
    short: "schedule batches paying money in that no bank line carries",
    meaning: "schedules.csv has batches (a Housing Benefit or Universal Credit run, a PayPoint or \
        Allpay settlement) whose batch_ref is neither the id nor the reference of any bank line, \
        nor a word of a reference (\"KIRKTON MBC HB HBPAY20260108\" carries batch HBPAY20260108). \
        Their shares cannot be checked against money received, and the ledger credits they would \
        explain may show as unbanked_credit. The accounts the shares name are held \
        incomplete_data. Not given with hb_rent_rebates, where such batches are the rebate \
        schedule.",
    action: "Find each run's line on the statement and give its bank id or its reference as the \
        schedule's batch_ref (or map it in a profile); then run again.",
    example: "An HB run banked with reference \"KIRKTON HB RUN 8 JAN\" and scheduled as batch \
        HBPAY20260108: the warning names the schedule's rows, and every account with a share in \
        the run is held.",
};

const FILE_ENDS_EARLY: Text = Text {
    short: "the ledger or the bank statement stops well before the other file",
    meaning: "The ledger's last row is more than a month and the posting days (36 days by \
        default) before the bank's last line, or the bank's last line that long before the \
        ledger's last payment or benefit credit (or the as-at date, where earlier). Money \
        received after it cannot be seen: a payment never posted, or sitting in suspense, would \
        be invisible. Each file is measured on its own, so one running late does not hide \
        another stopping early. Every account is held incomplete_data.",
    action: "Supply the bank statement (or the ledger) up to the as-at date and run again.",
    example: "A ledger that runs to 30 November 2026 with a bank statement whose last line is \
        17 August and payments posted to November.",
};

const STALE_DATA: Text = Text {
    short: "the data ends well before the day a notice would be served",
    meaning: "The ledger and bank end more than two weeks and the posting days (19 days by \
        default) before the day of service named by --serve-on. Rent and money since the data \
        ends are not in it, so the arrears on the day of service cannot be seen. Every account \
        is held incomplete_data.",
    action: "Take a fresh extract of the ledger and bank and run again.",
    example: "An extract ending 27 April 2026 checked with --serve-on 2026-12-01: the data ends \
        218 days before the day of service.",
};

const BENEFIT_NOT_FLAGGED: Text = Text {
    short: "an account says no benefit is paid to the landlord, but the ledger credits benefit",
    meaning: "An account whose row says benefit none, or Universal Credit paid to the tenant, has \
        benefit credits on the ledger in the 91 days to the as-at date. Benefit paid to the \
        landlord comes in arrears, so some or all of the account's arrears may be technical, \
        yet the flag reads them as any tenant's. Each such account is held incomplete_data.",
    action: "Correct the account's benefit (and uc_paid_to) column and run again.",
    example: "A full Housing Benefit tenant still flagged benefit=none, six weeks behind just \
        before a 4-weekly council run: held, where an identical account flagged hb is \
        technical_arrears.",
};

const AS_AT_AFTER_TODAY: Text = Text {
    short: "the as-at date is after today",
    meaning:
        "--as-at names a day after today (--today, else the clock): the balances are asserted \
        for days still to come, whose rent and payments are not yet known. Every account is held \
        incomplete_data.",
    action: "Run as at today or an earlier day.",
    example: "--as-at 2026-12-28 on 1 December 2026.",
};
