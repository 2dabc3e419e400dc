//! Corrections the ledger has already made: a transfer journal (an
//! adjustment debited to one account and credited to another, on one day
//! for one sum, that says it is a transfer) moving `wrong_account` money back.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::finding::{Finding, FindingKind, Severity};
use super::identify;
use super::model::{AccountId, AccountPostings, Dataset, PostingKind, Text};
use super::money::pounds;

/// Marks each `wrong_account` finding a transfer journal has already put
/// right as needing no correction (its amount zero, the journal named in
/// its detail and evidence): put right twice, the money would be taken
/// from the tenant it was moved away from. A journal settles the findings
/// between its two accounts dated by it, oldest first, only where their
/// sum is exactly its amount and its rows say it is this transfer; a pair
/// of that shape that does not is named on the findings, which stand.
pub fn settle(
    data: &Dataset,
    ledger: &AccountPostings,
    as_at: NaiveDate,
    findings: &mut [Finding],
) {
    let mut moved: Vec<(AccountId, AccountId, NaiveDate, usize)> = (findings.iter().enumerate())
        .filter(|(_, f)| f.kind == FindingKind::WrongAccount && f.amount < Decimal::ZERO)
        .filter_map(|(i, f)| Some((f.account?, f.posted_to?, data.bank[f.bank?].date, i)))
        .collect();
    moved.sort_unstable();
    for pair in moved.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let (owner, holder) = (pair[0].0, pair[0].1);
        let open: Vec<(NaiveDate, usize)> = pair.iter().map(|&(_, _, d, i)| (d, i)).collect();
        for (out, back) in journals(data, ledger, holder, owner, as_at) {
            settle_by(data, findings, &open, (out, back));
        }
    }
}

/// Transfer journals from `holder` to `owner` up to `as_at`: (the debit on
/// the holder, the credit on the owner), oldest first.
fn journals(
    data: &Dataset,
    ledger: &AccountPostings,
    holder: AccountId,
    owner: AccountId,
    as_at: NaiveDate,
) -> Vec<(usize, usize)> {
    let adjustments = |a: AccountId, debit: bool| -> Vec<usize> {
        (ledger.of(a).iter().map(|&p| p as usize))
            .filter(|&p| data.postings[p].kind == PostingKind::Adjustment)
            .filter(|&p| data.postings[p].date <= as_at)
            .filter(|&p| (data.postings[p].amount.pence() > 0) == debit)
            .collect()
    };
    let mut credits = adjustments(owner, false);
    let mut pairs = Vec::new();
    for out in adjustments(holder, true) {
        let (p, pence) = (&data.postings[out], data.postings[out].amount.pence());
        let matching = credits.iter().position(|&c| {
            let q = &data.postings[c];
            q.date == p.date && q.amount.pence() == -pence
        });
        if let Some(at) = matching {
            pairs.push((out, credits.remove(at)));
        }
    }
    pairs
}

/// Settles the findings in `open` (oldest first) that journal `(out, back)`
/// moves: those not yet settled, dated by it, whose running sum reaches its
/// amount exactly.
fn settle_by(
    data: &Dataset,
    findings: &mut [Finding],
    open: &[(NaiveDate, usize)],
    (out, back): (usize, usize),
) {
    let journal = &data.postings[out];
    let mut sum: i64 = 0;
    let mut taken = Vec::new();
    let unsettled =
        |&&(d, i): &&(NaiveDate, usize)| d <= journal.date && !findings[i].amount.is_zero();
    for &(_, i) in open.iter().filter(unsettled) {
        sum += -super::money::to_pence(findings[i].amount);
        taken.push(i);
        if sum >= journal.amount.pence() {
            break;
        }
    }
    if sum != journal.amount.pence() || taken.is_empty() {
        return;
    }
    if !says_it_moves(data, findings, &taken, (out, back)) {
        return unconfirmed(data, findings, &taken, (out, back));
    }
    let words = format!(
        " The ledger has already put it right: {} and {} on {} move {} back; no correction is needed.",
        data.txn_id(out),
        data.txn_id(back),
        journal.date,
        pounds(journal.amount.get())
    );
    for i in taken {
        let f = &mut findings[i];
        f.amount = Decimal::ZERO;
        f.severity = Severity::Low;
        // The action it gave is done: the detail ends at what happened.
        if let Some(at) = f.detail.rfind(": reverse it from") {
            f.detail.truncate(at);
            f.detail.push('.');
        }
        f.detail.push_str(&words);
        f.evidence
            .extend([data.posting_row(out), data.posting_row(back)]);
    }
}

/// Words a housing system writes on a transfer journal. Long stems are
/// looked for anywhere in the row's text (`MISPOSTED`, `MIS-ALLOCATION`,
/// `TRANSFERRED`, `POSTED IN ERROR`); short ones only as words, so that
/// "incorrect charge removed" is not read as a correction of this money.
const STEMS: [&str; 9] = [
    "TRANSFER",
    "JOURNAL",
    "MISPOST",
    "MISALLOC",
    "REALLOC",
    "WRONGAC",
    "POSTEDINERROR",
    "INCORRECTLYPOSTED",
    "WRONGLYPOSTED",
];
const WORDS: [&str; 10] = [
    "TFR",
    "TRF",
    "XFER",
    "JNL",
    "JRNL",
    "MOVED",
    "MOVE",
    "WRONG",
    "CORRECTION",
    "CORRECTED",
];

/// Whether journal `(out, back)` says it is the transfer of the findings
/// `taken`: a row's description or bank ref names the other account, the
/// bank line of one of them (its id, or a reference with a number in it),
/// or a transfer in words. Amount and date alone never move money between
/// accounts.
fn says_it_moves(
    data: &Dataset,
    findings: &[Finding],
    taken: &[usize],
    (out, back): (usize, usize),
) -> bool {
    let lines: Vec<Text> = (taken.iter())
        .filter_map(|&i| findings[i].bank)
        .flat_map(|b| {
            let reference = data.reference(&data.bank[b]);
            let numbered = reference.bytes().any(|c| c.is_ascii_digit());
            [Some(identify::normalise(&data.bank_id(b)))]
                .into_iter()
                .chain([numbered.then(|| identify::normalise(reference))])
                .flatten()
        })
        .collect();
    let (holder, owner) = (data.postings[out].account, data.postings[back].account);
    [(out, owner), (back, holder)].iter().any(|&(p, other)| {
        let q = &data.postings[p];
        let text = format!("{} {}", data.description(q), data.bank_ref(q).unwrap_or(""));
        let words: Vec<Text> = (text.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(identify::normalise)
            .collect();
        let pairs: Vec<String> = words
            .windows(2)
            .map(|w| format!("{}{}", w[0], w[1]))
            .collect();
        let named = |n: &Text| {
            n.len() >= 3 && (words.iter().any(|w| w == n) || pairs.iter().any(|w| w == n.as_str()))
        };
        let whole = identify::normalise(&text);
        // A bank ref is a field of its own: an id there is meant, however short.
        let cited = (data.bank_ref(q)).is_some_and(|r| lines.contains(&identify::normalise(r)));
        cited
            || named(&identify::normalise(&data.account(other).account_ref))
            || lines.iter().any(named)
            || STEMS.iter().any(|s| whole.contains(s))
            || words.iter().any(|w| WORDS.contains(&w.as_str()))
    })
}

/// A journal of the right shape that does not say what it moves: the
/// findings stand (both accounts stay held) and name it, for an officer
/// to confirm.
fn unconfirmed(
    data: &Dataset,
    findings: &mut [Finding],
    taken: &[usize],
    (out, back): (usize, usize),
) {
    let journal = &data.postings[out];
    let (holder, owner) = (
        &data.account(journal.account).account_ref,
        &data.account(data.postings[back].account).account_ref,
    );
    let words = format!(
        " A journal on {} ({} and {}) moves {} from {holder} to {owner}, the sum of this and the \
         findings before it, but nothing on it says it is this money: if it is, no correction is \
         needed; until that is confirmed both accounts are held.",
        journal.date,
        data.txn_id(out),
        data.txn_id(back),
        pounds(journal.amount.get())
    );
    for &i in taken {
        let f = &mut findings[i];
        f.detail.push_str(&words);
        f.evidence
            .extend([data.posting_row(out), data.posting_row(back)]);
    }
}
