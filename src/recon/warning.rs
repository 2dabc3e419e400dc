//! What the run could not check, or suspects in its inputs: warnings, listed
//! at the top of every report, each holding the accounts it concerns
//! (`incomplete_data`). Some come from reading (a column left unused), the
//! rest from the data itself (rows dated in the future, no schedules).

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::identify::{batch_words, normal_eq, normal_hash, normalise, RefIndex};
use super::matching::share_identity;
use super::model::{
    vocabulary, AccountId, BankIdsInOrder, Benefit, Dataset, Posting, PostingKind, RowRef,
    SourceFile, Text,
};
use super::money::pounds;

vocabulary!(
    /// The kinds of warning.
    WarningKind {
        UnusedColumn => "unused_column",
        NoSchedules => "no_schedules",
        NoRebateSchedule => "no_rebate_schedule",
        FutureRows => "future_rows",
        AsAtOutsideData => "as_at_outside_data",
        RowsSetAside => "rows_set_aside",
        ExtractNeverMatched => "extract_never_matched",
        UnknownBankRef => "unknown_bank_ref",
        BatchNotBanked => "batch_not_banked",
        FileEndsEarly => "file_ends_early",
        StaleData => "stale_data",
        AsAtAfterToday => "as_at_after_today",
        BenefitNotFlagged => "benefit_not_flagged",
    }
);

/// Which accounts a warning concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every account in the run.
    Every,
    /// These accounts, sorted.
    Accounts(Vec<AccountId>),
}

/// One thing the run could not check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    /// Rows that show it (the first few).
    pub evidence: Vec<RowRef>,
    pub scope: Scope,
}

impl Warning {
    pub fn concerns(&self, account: AccountId) -> bool {
        match &self.scope {
            Scope::Every => true,
            Scope::Accounts(ids) => ids.binary_search(&account).is_ok(),
        }
    }
}

/// Rows dated this long after the rest of the data are taken for keying
/// slips (a year typed wrong), not for the latest data.
pub const FAR_BEYOND_DAYS: i64 = 62;

/// How many rows at most a tail must hold to be taken for slips rather than
/// the data's end: a few, or one in a thousand.
fn tail_limit(rows: usize) -> usize {
    (rows / 1000).max(10)
}

/// How many rows a warning names.
const EVIDENCE_SHOWN: usize = 5;

/// Where the data starts and really ends: rows after `today`, or a few rows
/// far beyond the rest (a year typed wrong), are left out of its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataSpan {
    pub first: NaiveDate,
    /// The latest date not a slip (`None` if every row is one).
    pub end: Option<NaiveDate>,
    /// The day after which rows are out of line, where there are any.
    pub slips_after: Option<NaiveDate>,
}

/// The span of the ledger's and the bank's dates, or `None` with no rows.
pub fn data_span(data: &Dataset, today: Option<NaiveDate>) -> Option<DataSpan> {
    let dates =
        || (data.postings.par_iter().map(|p| p.date)).chain(data.bank.par_iter().map(|b| b.date));
    let (first, latest) = dates()
        .map(|d| (d, d))
        .reduce_with(|(a, b), (c, d)| (a.min(c), b.max(d)))?;
    let rows = data.postings.len() + data.bank.len();
    let slips =
        slips_from(&month_counts(dates(), latest), rows).map(|back| month_end(latest, back));
    let slips_after = match (today.filter(|&t| t < latest), slips) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let end = match slips_after {
        None => Some(latest),
        Some(cutoff) => dates().filter(|&d| d <= cutoff).max(),
    };
    Some(DataSpan {
        first,
        end,
        slips_after,
    })
}

/// The month (counted back from the latest) from which the rows are slips:
/// a tail of few rows, far beyond the rest or beyond the months counted.
fn slips_from(months: &[usize], rows: usize) -> Option<usize> {
    let limit = tail_limit(rows);
    let mut tail = 0;
    let mut last_seen: Option<usize> = None;
    for (back, &count) in months.iter().enumerate().filter(|(_, &c)| c > 0) {
        if let Some(prev) = last_seen {
            if (back - prev) as i64 * 31 > FAR_BEYOND_DAYS {
                return Some(prev);
            }
        }
        tail += count;
        if tail > limit {
            return None;
        }
        last_seen = Some(back);
    }
    // Everything counted is a few rows; the rest is older than the months counted.
    last_seen.filter(|_| rows > tail)
}

/// Rows per calendar month, counted back from `latest`'s month (index 0),
/// for the last few years.
fn month_counts(dates: impl ParallelIterator<Item = NaiveDate>, latest: NaiveDate) -> Vec<usize> {
    const MONTHS: usize = 48;
    let month = |d: NaiveDate| d.year() as i64 * 12 + i64::from(d.month0());
    let top = month(latest);
    dates
        .fold(
            || vec![0usize; MONTHS],
            |mut v, d| {
                let back = top - month(d);
                if (0..MONTHS as i64).contains(&back) {
                    v[back as usize] += 1;
                }
                v
            },
        )
        .reduce(
            || vec![0usize; MONTHS],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

/// The day before the month `back` months before `latest`'s begins.
fn month_end(latest: NaiveDate, back: usize) -> NaiveDate {
    let first = latest.with_day(1).unwrap_or(latest);
    first
        .checked_sub_months(chrono::Months::new(back as u32))
        .and_then(|d| d.pred_opt())
        .unwrap_or(latest)
}

/// The warnings the data itself gives, as at `horizon.as_at`.
pub fn detect(
    data: &Dataset,
    horizon: &Horizon,
    span: Option<DataSpan>,
    rebates: bool,
) -> Vec<Warning> {
    let (as_at, today) = (horizon.as_at, horizon.today);
    let mut warnings = Vec::new();
    if let Some(cutoff) = span.and_then(|s| s.slips_after) {
        warnings.push(out_of_line_rows(data, cutoff, today));
    }
    warnings.extend(span.and_then(|s| as_at_outside(as_at, s)));
    if let Some(span) = span {
        warnings.extend(files_ending_early(data, horizon, span));
        warnings.extend(stale(horizon, span));
    }
    warnings.extend(as_at_after_today(horizon));
    warnings.extend(no_schedules(data, as_at, rebates));
    warnings.extend(benefit_not_flagged(data, as_at));
    warnings
}

/// How far back a benefit credit shows the landlord is paid benefit now.
const BENEFIT_SEEN_DAYS: u64 = 91;

/// Accounts whose row says no benefit is paid to the landlord (`benefit`
/// none, or Universal Credit to the tenant) that the ledger credits with
/// benefit in the three months to the as-at date. Benefit paid in arrears
/// may be all their arrears, yet the flag reads them as any tenant's: the
/// data points the other way, so they are held.
fn benefit_not_flagged(data: &Dataset, as_at: NaiveDate) -> Option<Warning> {
    let from = as_at.checked_sub_days(chrono::Days::new(BENEFIT_SEEN_DAYS))?;
    let mut found: Vec<(AccountId, usize)> = (0..data.postings.len())
        .into_par_iter()
        .filter(|&p| {
            let q = &data.postings[p];
            q.kind == PostingKind::Benefit
                && q.is_credit()
                && (from..=as_at).contains(&q.date)
                && data.account(q.account).landlord_benefit() == Benefit::None
        })
        .map(|p| (data.postings[p].account, p))
        .collect();
    found.par_sort_unstable();
    found.dedup_by_key(|(a, _)| *a);
    let &(first, p) = found.first()?;
    let n = found.len();
    Some(Warning {
        kind: WarningKind::BenefitNotFlagged,
        message: format!(
            "{n} account{} no benefit paid to the landlord (benefit none, or Universal Credit to \
             the tenant) but benefit credited in the {BENEFIT_SEEN_DAYS} days to the as-at date \
             (the first: {} at {}): benefit paid in arrears may be all their arrears; correct the \
             accounts' benefit column and run again",
            if n == 1 { " says" } else { "s say" },
            data.account(first).account_ref,
            data.sources.cite(data.posting_row(p)),
        ),
        evidence: (found.iter().take(EVIDENCE_SHOWN))
            .map(|&(_, p)| data.posting_row(p))
            .collect(),
        scope: Scope::Accounts(found.into_iter().map(|(a, _)| a).collect()),
    })
}

/// The days a run is asked about beyond its data's own dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    pub as_at: NaiveDate,
    /// The as-at date was given, not read from the data's end.
    pub as_at_given: bool,
    /// The day a notice would be served, where the run names one.
    pub service: Option<NaiveDate>,
    pub today: Option<NaiveDate>,
    pub posting_days: i64,
}

/// A file with no line for this long before the other file's last row (or
/// the as-at date, where earlier) is taken to stop early. Postings lag receipts by
/// up to the posting days, and a small landlord's receipts (monthly standing
/// orders, monthly Universal Credit) may leave a month with no line; beyond
/// both, every tenant's payment cycle is missing from the file.
pub const QUIET_DAYS: i64 = 31;

/// Data ending this long (plus the posting days) before the day a notice
/// would be served is stale: two weeks is two weekly payments unseen, and
/// more than a weekend and a bank holiday between an extract and the run.
pub const STALE_DAYS: i64 = 14;

/// The ledger's last row and last credit of money received, and the
/// bank's last line, each up to the end of the data's span (slips left
/// out), where there is one.
fn file_ends(data: &Dataset, span: DataSpan) -> [Option<(NaiveDate, RowRef)>; 3] {
    let end = span.end.unwrap_or(NaiveDate::MAX);
    let last_posting = |keep: fn(&Posting) -> bool| {
        (0..data.postings.len())
            .into_par_iter()
            .filter(|&p| data.postings[p].date <= end && keep(&data.postings[p]))
            .max_by_key(|&p| (data.postings[p].date, std::cmp::Reverse(p)))
            .map(|p| (data.postings[p].date, data.posting_row(p)))
    };
    let bank = (0..data.bank.len())
        .into_par_iter()
        .filter(|&b| data.bank[b].date <= end)
        .max_by_key(|&b| (data.bank[b].date, std::cmp::Reverse(b)))
        .map(|b| (data.bank[b].date, data.bank_row(b)));
    [
        last_posting(|_| true),
        bank,
        last_posting(Posting::is_cash_credit),
    ]
}

/// The ledger stops well before the bank's last line, or the bank well
/// before the ledger's last credit of money received (up to the as-at
/// date): what came after it cannot be seen (a receipt unposted or in
/// suspense is invisible). Each file is measured on its own, since one
/// running late hides another stopping early. The bank is measured against
/// money the ledger says arrived, not its charges: a bank with no line
/// since the last payment is what tenants who stopped paying look like. An
/// as-at date beyond both is `as_at_outside_data`'s to say.
pub(super) fn files_ending_early(
    data: &Dataset,
    horizon: &Horizon,
    span: DataSpan,
) -> Option<Warning> {
    let ends = file_ends(data, span);
    let limit = horizon.posting_days + QUIET_DAYS;
    let mut said = Vec::new();
    let mut evidence = Vec::new();
    let pairs = [
        (ends[0], ends[1], "last row"),
        (ends[1], ends[2], "last money received"),
    ];
    for ((end, row), (other_end, other), other_is) in pairs
        .into_iter()
        .filter_map(|(this, other, is)| Some((this?, other?, is)))
    {
        let (to, what) = if horizon.as_at < other_end {
            (horizon.as_at, format!("the as-at date {}", horizon.as_at))
        } else {
            let name = data.sources.name(other.file);
            (other_end, format!("{name}'s {other_is} ({other_end})"))
        };
        let days = (to - end).num_days();
        if days > limit {
            said.push(format!(
                "{}'s last row is dated {end} ({}), {days} days before {what}",
                data.sources.name(row.file),
                data.sources.cite(row)
            ));
            evidence.push(row);
        }
    }
    if said.is_empty() {
        return None;
    }
    Some(Warning {
        kind: WarningKind::FileEndsEarly,
        message: format!(
            "{}: money and postings after it cannot be seen (a receipt unposted or in suspense would \
             be invisible); supply the file up to the as-at date and run again",
            said.join("; ")
        ),
        evidence,
        // Any account's money may be in what the file does not show.
        scope: Scope::Every,
    })
}

/// The data ends well before the day a notice would be served: the
/// arrears on that day cannot be seen.
pub(super) fn stale(horizon: &Horizon, span: DataSpan) -> Option<Warning> {
    let service = horizon.service?;
    let end = span.end?;
    let days = (service - end).num_days();
    if days <= horizon.posting_days + STALE_DAYS {
        return None;
    }
    let day = format!("the day of service ({service})");
    Some(Warning {
        kind: WarningKind::StaleData,
        message: format!(
            "the data ends on {end}, {days} days before {day}: rent and money since then are not in \
             the data, so the arrears on the day of service cannot be seen; supply the ledger and \
             bank up to date and run again"
        ),
        evidence: Vec::new(),
        scope: Scope::Every,
    })
}

/// An as-at date after today asserts balances for days still to come.
pub(super) fn as_at_after_today(horizon: &Horizon) -> Option<Warning> {
    let today = horizon.today?;
    if !horizon.as_at_given || horizon.as_at <= today {
        return None;
    }
    Some(Warning {
        kind: WarningKind::AsAtAfterToday,
        message: format!(
            "the as-at date {} is after today ({today}): rent and money up to it are not yet known; \
             run as at today or earlier",
            horizon.as_at
        ),
        evidence: Vec::new(),
        scope: Scope::Every,
    })
}

fn out_of_line_rows(data: &Dataset, cutoff: NaiveDate, today: Option<NaiveDate>) -> Warning {
    let late_postings: Vec<usize> = (0..data.postings.len())
        .into_par_iter()
        .filter(|&p| data.postings[p].date > cutoff)
        .collect();
    let late_bank: Vec<usize> = (0..data.bank.len())
        .into_par_iter()
        .filter(|&b| data.bank[b].date > cutoff)
        .collect();
    let mut accounts: Vec<AccountId> = late_postings
        .iter()
        .map(|&p| data.postings[p].account)
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    let evidence: Vec<RowRef> = (late_postings.iter().map(|&p| data.posting_row(p)))
        .chain(late_bank.iter().map(|&b| data.bank_row(b)))
        .take(EVIDENCE_SHOWN)
        .collect();
    let rows = late_postings.len() + late_bank.len();
    let cited: Vec<String> = evidence.iter().map(|&r| data.sources.cite(r)).collect();
    let why = match today {
        Some(t) if cutoff >= t => format!("dated after today ({t})"),
        _ => format!("dated more than {FAR_BEYOND_DAYS} days beyond the rest of the data"),
    };
    Warning {
        kind: WarningKind::FutureRows,
        message: format!(
            "{rows} row{} {why} ({}{}): a date typed wrong? They are left out of the default as-at date; \
             correct them and run again.",
            if rows == 1 { " is" } else { "s are" },
            cited.join(", "),
            if rows > cited.len() { ", ..." } else { "" }
        ),
        evidence,
        scope: if late_bank.is_empty() {
            Scope::Accounts(accounts)
        } else {
            // A bank line's money may be anyone's.
            Scope::Every
        },
    }
}

fn as_at_outside(as_at: NaiveDate, span: DataSpan) -> Option<Warning> {
    let (first, last) = (span.first, span.end?);
    let message = if as_at < first {
        format!("the as-at date {as_at} is before the data starts ({first}): nothing can be assessed on it")
    } else if (as_at - last).num_days() > FAR_BEYOND_DAYS {
        format!(
            "the as-at date {as_at} is more than {FAR_BEYOND_DAYS} days after the data ends ({last}): \
             rent and money since then are not in the data"
        )
    } else {
        return None;
    };
    Some(Warning {
        kind: WarningKind::AsAtOutsideData,
        message,
        evidence: Vec::new(),
        scope: Scope::Every,
    })
}

/// Benefit credited on the ledger with no schedules file to split the bulk
/// runs it came in: each looks unbanked.
fn no_schedules(data: &Dataset, as_at: NaiveDate, rebates: bool) -> Option<Warning> {
    if !data.shares.is_empty() || data.reading[SourceFile::Schedules.index()].rows_read > 0 {
        return None;
    }
    let mut accounts: Vec<AccountId> = data
        .postings
        .par_iter()
        .filter(|p| p.kind == PostingKind::Benefit && p.is_credit() && p.date <= as_at)
        .filter(|p| !(rebates && p.is_hb_rebate(data.account(p.account))))
        .map(|p| p.account)
        .collect();
    if accounts.is_empty() {
        return None;
    }
    accounts.par_sort_unstable();
    accounts.dedup();
    Some(Warning {
        kind: WarningKind::NoSchedules,
        message: format!(
            "{} account{} benefit credits but no schedules file was given: bulk Housing Benefit and \
             Universal Credit runs cannot be split into shares, so their credits may show as unbanked; \
             add schedules.csv",
            accounts.len(),
            if accounts.len() == 1 { " has" } else { "s have" }
        ),
        evidence: Vec::new(),
        scope: Scope::Accounts(accounts),
    })
}

/// Rent rebates credited with no rebate schedule to check them against:
/// a rebate awarded and never credited cannot be seen.
pub fn no_rebate_schedule(accounts: Vec<AccountId>) -> Option<Warning> {
    if accounts.is_empty() {
        return None;
    }
    Some(Warning {
        kind: WarningKind::NoRebateSchedule,
        message: format!(
            "{} account{} Housing Benefit rent rebates but no rebate schedule (schedule lines in batches no \
             bank line carries): a rebate awarded and never credited cannot be seen; add the HB office's \
             rebate schedule to schedules.csv",
            accounts.len(),
            if accounts.len() == 1 { " has" } else { "s have" }
        ),
        evidence: Vec::new(),
        scope: Scope::Accounts(accounts),
    })
}

/// Ledger reversals and refunds (`postings`, in ledger order) whose
/// `bank_ref` names no bank line: matched by account, amount and date as if
/// they had none, which the accounts' staff should know.
pub fn unknown_bank_refs(data: &Dataset, postings: &[usize]) -> Option<Warning> {
    if postings.is_empty() {
        return None;
    }
    let mut accounts: Vec<AccountId> = postings.iter().map(|&p| data.postings[p].account).collect();
    accounts.sort_unstable();
    accounts.dedup();
    let evidence: Vec<RowRef> = (postings.iter().take(EVIDENCE_SHOWN))
        .map(|&p| data.posting_row(p))
        .collect();
    let cited: Vec<String> = (postings.iter().zip(&evidence))
        .map(|(&p, &r)| {
            let bank_ref = data.bank_ref(&data.postings[p]).unwrap_or_default();
            format!("{} {bank_ref:?}", data.sources.cite(r))
        })
        .collect();
    let n = postings.len();
    Some(Warning {
        kind: WarningKind::UnknownBankRef,
        message: format!(
            "{n} ledger reversal{s} or refund{s} name{v} a bank_ref that is on no bank line up to the \
             as-at date ({}{}): matched by account, amount and date instead, as if it had none; check \
             the refs against the statement",
            cited.join(", "),
            if n > cited.len() { ", ..." } else { "" },
            s = if n == 1 { "" } else { "s" },
            v = if n == 1 { "s" } else { "" },
        ),
        evidence,
        scope: Scope::Accounts(accounts),
    })
}

/// Schedule batches that no bank line carries (by its id, its reference or
/// a word of it, on any date): each batch once, by the first share that names it, in
/// share order.
pub fn batches_not_carried(data: &Dataset) -> Vec<usize> {
    let mut batches: Vec<(Text, usize)> = Vec::new();
    let mut known: HashSet<Text> = HashSet::default();
    for (i, s) in data.shares.iter().enumerate() {
        let key = normalise(&s.batch_ref);
        if known.insert(key.clone()) {
            batches.push((key, i));
        }
    }
    let carried = carried_batches(data, &batches);
    (batches.iter().zip(&carried))
        .filter(|(_, carried)| !**carried)
        .map(|((_, first), _)| *first)
        .collect()
}

/// Whether some bank line's id or reference has each batch's normal form.
/// Lines are checked by the hash of their keys' normal forms, in parallel,
/// without making them: a year's bank holds millions of lines, and a set of
/// all their keys was most of `validate`'s time.
fn carried_batches(data: &Dataset, batches: &[(Text, usize)]) -> Vec<bool> {
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::default();
    for (b, (key, _)) in batches.iter().enumerate() {
        by_hash.entry(normal_hash(key)).or_default().push(b);
    }
    let mut carried = vec![false; batches.len()];
    if batches.is_empty() {
        return carried;
    }
    let found: Vec<usize> = (0..data.bank.len())
        .into_par_iter()
        .map_init(
            || BankIdsInOrder::new(data),
            |ids, i| {
                let mut hits = Vec::new();
                let reference = data.reference(&data.bank[i]);
                for key in [ids.get(i), reference]
                    .into_iter()
                    .chain(batch_words(reference))
                {
                    let candidates = by_hash.get(&normal_hash(key)).into_iter().flatten();
                    hits.extend(candidates.filter(|&&b| normal_eq(&batches[b].0, key)));
                }
                hits
            },
        )
        .flatten_iter()
        .collect();
    for b in found {
        carried[b] = true;
    }
    carried
}

/// Schedule batches paying money in that no bank line carries: their shares
/// cannot be checked against money, and the credits they explain may read
/// as unbanked, so the accounts they name are held. Not with
/// `hb_rent_rebates`, where such a batch is the rebate schedule.
pub fn batches_not_banked(
    data: &Dataset,
    index: &RefIndex,
    hb_rent_rebates: bool,
) -> Option<Warning> {
    if hb_rent_rebates || data.shares.is_empty() {
        return None;
    }
    let unbanked: HashSet<Text> = batches_not_carried(data)
        .into_iter()
        .map(|first| normalise(&data.shares[first].batch_ref))
        .collect();
    if unbanked.is_empty() {
        return None;
    }
    let shares: Vec<usize> = (0..data.shares.len())
        .filter(|&s| data.shares[s].amount.pence() > 0)
        .filter(|&s| unbanked.contains(&normalise(&data.shares[s].batch_ref)))
        .collect();
    let first = *shares.first()?;
    let mut accounts: Vec<AccountId> = (shares.iter())
        .filter_map(|&s| share_identity(index, &data.shares[s]).account())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    let total: i128 = shares
        .iter()
        .map(|&s| i128::from(data.shares[s].amount.pence()))
        .sum();
    let batches = (shares.iter().map(|&s| normalise(&data.shares[s].batch_ref)))
        .collect::<HashSet<_>>()
        .len();
    Some(Warning {
        kind: WarningKind::BatchNotBanked,
        message: format!(
            "{batches} schedule batch{} ({} shares, {}; the first {:?}) match{} no bank line's id, \
             reference or a word of it: the shares cannot be checked against money, and the credits \
             they explain may show as unbanked; find each run's bank line and give its id or \
             reference as the schedule's batch_ref",
            if batches == 1 { "" } else { "es" },
            shares.len(),
            pounds(super::money::from_pence(total)),
            data.shares[first].batch_ref,
            if batches == 1 { "es" } else { "" },
        ),
        evidence: (shares.iter().take(EVIDENCE_SHOWN))
            .map(|&s| data.shares[s].row)
            .collect(),
        scope: Scope::Accounts(accounts),
    })
}
