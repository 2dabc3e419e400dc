//! Council rent rebates: Housing Benefit credited to the rent account with
//! no bank money behind it, checked against the rebate schedule (schedule
//! lines in batches no bank line carries) instead of the bank.

use super::*;

/// What checking the rebates found: findings, and the accounts whose
/// rebates no schedule line could check.
pub(super) struct Rebates {
    pub findings: Vec<Finding>,
    pub unchecked: Vec<AccountId>,
}

/// Pairs each rebate credit with a rebate schedule line of the same
/// account and amount, nearest in date (within `match_days` of the line's
/// period, `lead_days` before it). A credit no line awards, inside the
/// span the account's schedule covers, is an `unbanked_credit`; a line no
/// credit answers, once its period has begun and its usual crediting day
/// has come, an `uncredited_rebate`. Credits no schedule covers (none at
/// all, none for the account, or outside its span) stand unchecked and
/// their accounts are returned for a warning: the schedule cannot say
/// they are wrong.
pub(super) fn match_rebates(
    data: &Dataset,
    index: &RefIndex,
    opts: MatchOptions,
    on_bank: &[bool],
    credit_outcomes: &mut [Option<Outcome>],
) -> Rebates {
    let credits: Vec<usize> = (0..data.postings.len())
        .filter(|&p| credit_outcomes[p] == Some(Outcome::RentRebate))
        .collect();
    let lines: Vec<(usize, Option<AccountId>)> = (0..data.shares.len())
        .filter(|&s| !on_bank[s] && data.shares[s].amount.pence() > 0)
        .map(|s| match share_identity(index, &data.shares[s]) {
            Identity::Account(a, _) => (s, Some(a)),
            _ => (s, None),
        })
        .collect();
    let rebate_lines = (0..data.shares.len()).any(|s| !on_bank[s]);
    if !rebate_lines {
        let mut unchecked: Vec<AccountId> =
            credits.iter().map(|&p| data.postings[p].account).collect();
        unchecked.sort_unstable();
        unchecked.dedup();
        return Rebates {
            findings: Vec::new(),
            unchecked,
        };
    }
    let paired = pair(data, opts, &credits, &lines);
    let spans = spans(data, opts, &lines);
    let mut findings = Vec::new();
    let mut unchecked = Vec::new();
    for &p in credits.iter().filter(|p| !paired.credits.contains(p)) {
        let posting = &data.postings[p];
        let covered = spans
            .get(&posting.account)
            .is_some_and(|&(from, to)| from <= posting.date && posting.date <= to);
        if covered {
            credit_outcomes[p] = Some(Outcome::UnbankedCredit);
            findings.push(unawarded(data, p));
        } else {
            unchecked.push(posting.account);
        }
    }
    for &(s, account) in lines.iter().filter(|(s, _)| !paired.lines.contains(s)) {
        if due_by(&data.shares[s], opts.as_at) && !paired.pending.contains(&s) {
            findings.push(uncredited(data, s, account));
        }
    }
    unchecked.sort_unstable();
    unchecked.dedup();
    Rebates {
        findings,
        unchecked,
    }
}

/// Per account, the days its rebate schedule covers: from `lead_days`
/// before its first period to `match_days` after its last.
fn spans(
    data: &Dataset,
    opts: MatchOptions,
    lines: &[(usize, Option<AccountId>)],
) -> HashMap<AccountId, (NaiveDate, NaiveDate)> {
    let mut spans: HashMap<AccountId, (NaiveDate, NaiveDate)> = HashMap::default();
    for &(s, account) in lines {
        let (Some(account), Some(start), Some(end)) = (
            account,
            data.shares[s].period_start.or(data.shares[s].period_end),
            data.shares[s].period_end.or(data.shares[s].period_start),
        ) else {
            continue;
        };
        let from = start - chrono::Days::new(opts.lead_days.max(0) as u64);
        let to = end + chrono::Days::new(opts.match_days.max(0) as u64);
        let span = spans.entry(account).or_insert((from, to));
        *span = (span.0.min(from), span.1.max(to));
    }
    spans
}

/// Per schedule line: whether a bank line (of any date) carries its batch,
/// by bank id or reference. The others are the rebate schedule.
pub(super) fn carried_by_the_bank(data: &Dataset) -> Vec<bool> {
    let batches: HashSet<Text> = (data.shares.iter())
        .map(|s| identify::normalise(&s.batch_ref))
        .collect();
    let hashes: HashSet<u64> = batches.iter().map(|k| identify::normal_hash(k)).collect();
    let carried: HashSet<Text> = (0..data.bank.len())
        .into_par_iter()
        .map_init(
            || BankIdsInOrder::new(data),
            |ids, i| {
                [
                    ids.get(i).to_string(),
                    data.reference(&data.bank[i]).to_string(),
                ]
                .into_iter()
                .filter(|k| hashes.contains(&identify::normal_hash(k)))
                .map(|k| identify::normalise(&k))
                .filter(|k| batches.contains(k))
                .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect();
    (data.shares.iter())
        .map(|s| carried.contains(&identify::normalise(&s.batch_ref)))
        .collect()
}

/// A rebate line is due once its period has begun.
fn due_by(share: &ScheduleShare, as_at: NaiveDate) -> bool {
    share
        .period_start
        .or(share.period_end)
        .is_none_or(|d| d <= as_at)
}

/// The day a rebate line is for: its period's end, else its start.
fn rebate_day(share: &ScheduleShare) -> Option<NaiveDate> {
    share.period_end.or(share.period_start)
}

struct Paired {
    credits: HashSet<usize>,
    lines: HashSet<usize>,
    /// Lines whose usual crediting day is after the as-at date.
    pending: HashSet<usize>,
}

/// Pairs of the same account and amount. A landlord credits rebates at a
/// steady place in each period (its first day, a few days before, its
/// last): each key's usual offset is learned (the median of each credit's
/// distance to its nearest line), then pairs are taken nearest to it
/// first, each side once, within the line's window (`lead_days` before
/// its period, `match_days` after).
fn pair(
    data: &Dataset,
    opts: MatchOptions,
    credits: &[usize],
    lines: &[(usize, Option<AccountId>)],
) -> Paired {
    let mut by_key: HashMap<(AccountId, i64), (Vec<usize>, Vec<usize>)> = HashMap::default();
    for &p in credits {
        let posting = &data.postings[p];
        let key = (posting.account, posting.credit_pence());
        by_key.entry(key).or_default().0.push(p);
    }
    for &(s, account) in lines {
        if let Some(account) = account {
            let key = (account, data.shares[s].amount.pence());
            by_key.entry(key).or_default().1.push(s);
        }
    }
    let mut paired = Paired {
        credits: HashSet::default(),
        lines: HashSet::default(),
        pending: HashSet::default(),
    };
    let mut keys: Vec<&(AccountId, i64)> = by_key.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let (credits, lines) = &by_key[key];
        pair_key(data, opts, credits, lines, &mut paired);
    }
    paired
}

/// How far after its line's period starts a credit usually falls: of the
/// offsets the first few credits have to any line within `OFFSET_SPAN`
/// days, the one that explains most: credits within `OFFSET_SLACK` days
/// of a line count for it, and lines whose credit would be due by the
/// as-at date with none count against it (ties: the nearer the period's
/// start). A credit on the day one period ends and the next begins so
/// pairs with the period that leaves no old line uncredited.
fn usual_offset(anchors: &[i64], days: &mut [i64], as_at: i64) -> i64 {
    const OFFSET_SPAN: i64 = 45;
    const OFFSET_SLACK: i64 = 2;
    days.sort_unstable();
    let near = |d: i64, o: i64| {
        let want = d - o;
        let at = anchors.partition_point(|&a| a < want - OFFSET_SLACK);
        anchors.get(at).is_some_and(|&a| a <= want + OFFSET_SLACK)
    };
    let mut candidates: Vec<i64> = (days.iter().take(3))
        .flat_map(|&d| {
            let from = anchors.partition_point(|&a| a < d - OFFSET_SPAN);
            anchors[from..]
                .iter()
                .take_while(move |&&a| a <= d + OFFSET_SPAN)
                .map(move |&a| d - a)
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .map(|o| {
            let matched = days.iter().filter(|&&d| near(d, o)).count() as i64;
            let due = anchors.iter().filter(|&&a| a + o <= as_at).count() as i64;
            (2 * matched - due, o)
        })
        .max_by_key(|&(n, o)| (n, std::cmp::Reverse(o.abs()), std::cmp::Reverse(o)))
        .map_or(0, |(_, o)| o)
}

/// The day a line's period starts (else ends), as a day number.
fn anchor(share: &ScheduleShare) -> Option<i64> {
    share
        .period_start
        .or(share.period_end)
        .map(|d| i64::from(day_number(d)))
}

fn pair_key(
    data: &Dataset,
    opts: MatchOptions,
    credits: &[usize],
    lines: &[usize],
    paired: &mut Paired,
) {
    let day = |p: usize| i64::from(day_number(data.postings[p].date));
    let mut anchors: Vec<i64> = lines
        .iter()
        .filter_map(|&s| anchor(&data.shares[s]))
        .collect();
    anchors.sort_unstable();
    let mut days: Vec<i64> = credits.iter().map(|&p| day(p)).collect();
    let as_at = i64::from(day_number(opts.as_at));
    let usual = usual_offset(&anchors, &mut days, as_at);
    for &s in lines {
        if anchor(&data.shares[s]).is_some_and(|a| a + usual > as_at) {
            paired.pending.insert(s);
        }
    }
    let mut credits = credits.to_vec();
    credits.sort_by_key(|&p| (data.postings[p].date, p));
    let mut candidates: Vec<(i64, usize, usize)> = Vec::new();
    // Undated lines pair last, with what is left, in order: every credit
    // would be a candidate for each, which grows with the square.
    let (dated, undated): (Vec<usize>, Vec<usize>) = lines
        .iter()
        .partition(|&&s| rebate_day(&data.shares[s]).is_some());
    for &s in &dated {
        let share = &data.shares[s];
        // Only the credits from the window's first day can fall in it.
        let first = share.period_start.or(share.period_end).map_or(0, |d| {
            let from = d - chrono::Days::new(opts.lead_days.max(0) as u64);
            credits.partition_point(|&p| data.postings[p].date < from)
        });
        for &p in &credits[first..] {
            let on = data.postings[p].date;
            if rebate_day(share).is_some_and(|end| days_between(end, on) > opts.match_days) {
                break;
            }
            let within = match (share.period_start, rebate_day(share)) {
                (_, None) => true,
                (start, Some(end)) => {
                    days_between(on, start.unwrap_or(end)) <= opts.lead_days
                        && days_between(end, on) <= opts.match_days
                }
            };
            if within {
                let apart = anchor(share).map_or(0, |a| (day(p) - a - usual).abs());
                candidates.push((apart, s, p));
            }
        }
    }
    candidates.sort_unstable();
    for (_, s, p) in candidates {
        if !paired.lines.contains(&s) && !paired.credits.contains(&p) {
            paired.lines.insert(s);
            paired.credits.insert(p);
        }
    }
    let left: Vec<usize> = (credits.iter().copied())
        .filter(|p| !paired.credits.contains(p))
        .collect();
    for (s, p) in undated.into_iter().zip(left) {
        paired.lines.insert(s);
        paired.credits.insert(p);
    }
}

fn unawarded(data: &Dataset, p: usize) -> Finding {
    let posting = &data.postings[p];
    let acc = &data.account(posting.account).account_ref;
    Finding {
        kind: FindingKind::UnbankedCredit,
        severity: FindingKind::UnbankedCredit.severity(),
        account: Some(posting.account),
        posted_to: None,
        bank: None,
        postings: vec![p],
        amount: posting.credit(),
        evidence: vec![data.posting_row(p)],
        detail: format!(
            "{} on {} credits {acc} with {} of Housing Benefit rent rebate, but no line of the rebate \
             schedule awards it: check the award with the HB office, or reverse the credit.",
            data.txn_id(p),
            posting.date,
            pounds(posting.credit())
        ),
        suggestions: Vec::new(),
    }
}

fn uncredited(data: &Dataset, s: usize, account: Option<AccountId>) -> Finding {
    let share = &data.shares[s];
    let period = match (share.period_start, share.period_end) {
        (Some(a), Some(b)) => format!(" for {a} to {b}"),
        (Some(a), None) => format!(" from {a}"),
        (None, Some(b)) => format!(" to {b}"),
        (None, None) => String::new(),
    };
    let named = share
        .account_ref
        .as_deref()
        .or(share.claim_ref.as_deref())
        .unwrap_or("");
    let detail = match account {
        Some(a) => format!(
            "The rebate schedule (batch {}) awards {} {} of Housing Benefit rent rebate{period}, but no \
             rebate credit of that amount is on the account: credit it.",
            share.batch_ref,
            data.account(a).account_ref,
            pounds(share.amount())
        ),
        None => format!(
            "The rebate schedule (batch {}) awards {} of Housing Benefit rent rebate{period} to {named:?}, \
             which names no account: find the tenant and credit it.",
            share.batch_ref,
            pounds(share.amount())
        ),
    };
    Finding {
        kind: FindingKind::UncreditedRebate,
        severity: FindingKind::UncreditedRebate.severity(),
        account,
        posted_to: None,
        bank: None,
        postings: Vec::new(),
        amount: -share.amount(),
        evidence: vec![share.row],
        detail,
        suggestions: Vec::new(),
    }
}
