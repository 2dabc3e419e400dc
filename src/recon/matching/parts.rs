//! Pass 6 of linking: money posted in parts. A receipt posted as several
//! credits (a split posting, or one payment for the accounts of a family that
//! its reference names) and several receipts posted as one credit are linked
//! only where the parts add up to the penny and the references tie every part
//! to the account it is on.

use super::*;
use crate::recon::model::RowRef;

/// The most parts one receipt or one credit is taken to be made of: with
/// more, sums of unrelated payments start to agree by chance.
const MOST_PARTS: usize = 3;

/// How many free postings (or receipts) nearest in time are tried for each
/// receipt (or posting): bounds the search whatever one account holds.
const NEAREST: usize = 12;

/// The most accounts one reference may name for its receipt to be split
/// between them (a family's two or three tenancies).
const MOST_ACCOUNTS: usize = 3;

/// Money matched in parts: one receipt and the postings it was split into,
/// or one posting and the receipts it combined, with the rows that show it
/// and a sentence saying so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InParts {
    /// The receipts' bank lines, and the postings, each in order.
    pub bank: SmallVec<[u32; 2]>,
    pub postings: SmallVec<[u32; 2]>,
    /// The whole: the receipt split, or the posting that combined.
    pub amount: Decimal,
    pub evidence: Vec<RowRef>,
    pub detail: String,
}

/// A free receipt or posting as the search sees it: account, day number,
/// pence, index. Sorted, those of one account are a run in date order.
type Part = (AccountId, i32, i64, usize);

/// One way to make a whole from parts: (parts, total cost, whole, parts'
/// indices). Ordered so that fewer parts, then nearer in time, come first.
type Way = (usize, i64, usize, SmallVec<[usize; MOST_PARTS]>);

impl State<'_> {
    /// Pass 6: receipts split into postings, then postings that combine
    /// receipts, among what the earlier passes left, each part posted at
    /// most `late_days` after its money: first on time, then in the window.
    pub(super) fn link_in_parts(&mut self, free: &mut Free, late_days: i64) {
        let (receipt_free, posting_free) = (&mut free.receipts, &mut free.postings);
        let postings = self.free_posting_parts(posting_free);
        let ways: Vec<Way> = (0..self.receipts.len())
            .into_par_iter()
            .filter(|&r| receipt_free[r])
            .filter_map(|r| self.split_of(r, &postings, late_days))
            .collect();
        for (_, _, r, parts) in taken_in_order(ways, receipt_free, posting_free) {
            for p in parts {
                self.link(r, p);
            }
        }

        let receipts = self.free_receipt_parts(receipt_free);
        let ways: Vec<Way> = (self.free_postings.par_iter())
            .filter(|&&p| posting_free[p])
            .filter_map(|&p| self.combination_of(p, &receipts, late_days))
            .collect();
        for (_, _, p, parts) in taken_in_order(ways, posting_free, receipt_free) {
            for &r in &parts {
                self.link(r, p);
                self.combined.insert(r, p);
                self.is_combined.set(r);
            }
            self.combinations.insert(p, parts);
        }
    }

    /// Receipt `r`, one of those posting `p` combined: matched, or posted
    /// late where `p` came more than the allowed days after it. The posting
    /// is late if any of its receipts is.
    pub(super) fn decide_combined(
        &self,
        r: usize,
        p: usize,
        finding: &MakeFinding<'_>,
    ) -> Decision {
        let late = |r: usize| {
            lag(self.data, &self.data.postings[p], &self.receipts[r]) > self.opts.posting_days
        };
        let group = self.combinations.get(&p).map_or(&[][..], |g| &g[..]);
        let posting_outcome = match group.iter().any(|&q| late(q)) {
            true => Outcome::LatePosting,
            false => Outcome::Matched,
        };
        let outcomes = SmallVec::from_elem((p, posting_outcome), 1);
        if !late(r) {
            return (Outcome::Matched, outcomes, Vec::new());
        }
        let posting = &self.data.postings[p];
        let receipt = &self.receipts[r];
        let days = lag(self.data, posting, receipt);
        let detail = format!(
            "{} was posted to {} with {} other receipt{} as {} ({}) on {}, {days} days after it arrived \
             (allowed: {}): the account looked {} worse in between; check no arrears action was taken on it then.",
            self.describe_receipt(receipt),
            self.data.account(posting.account).account_ref,
            group.len() - 1,
            if group.len() == 2 { "" } else { "s" },
            self.data.txn_id(p),
            pounds(posting.credit()),
            posting.date,
            self.opts.posting_days,
            pounds(receipt.amount(self.data)),
        );
        let f = finding(
            FindingKind::LatePosting,
            Some(posting.account),
            None,
            vec![p],
            Decimal::ZERO,
            detail,
        );
        (Outcome::LatePosting, outcomes, vec![f])
    }

    /// Every receipt matched in parts, in receipt order: those split across
    /// postings that add up to it (by this pass or by `bank_ref`), then the
    /// receipts each posting combined, in posting order.
    pub(super) fn matched_in_parts(&self) -> Vec<InParts> {
        // Only a receipt with more than one posting can be split.
        let mut split: Vec<InParts> = (self.linked.several.par_members())
            .filter_map(|r| {
                let mut postings: SmallVec<[usize; 2]> = self.linked.of(r).collect();
                let pence = |p: &usize| self.data.postings[*p].credit_pence();
                let whole = self.receipts[r].pence(self.data);
                let split = postings.len() > 1 && postings.iter().map(pence).sum::<i64>() == whole;
                split.then(|| {
                    postings.sort_unstable();
                    self.in_parts(&[r], &postings)
                })
            })
            .collect();
        let mut combined: Vec<(usize, &SmallVec<[usize; 3]>)> =
            self.combinations.iter().map(|(&p, rs)| (p, rs)).collect();
        combined.sort_unstable();
        split.extend(combined.into_iter().map(|(p, rs)| self.in_parts(rs, &[p])));
        split
    }

    /// `receipts` and `postings`, one of them a single whole made of the
    /// other's parts, in words.
    fn in_parts(&self, receipts: &[usize], postings: &[usize]) -> InParts {
        let data = self.data;
        let posting_text = |&p: &usize| {
            let posting = &data.postings[p];
            let acc = &data.account(posting.account).account_ref;
            format!(
                "{} {} to {acc} on {}",
                data.txn_id(p),
                pounds(posting.credit()),
                posting.date
            )
        };
        let receipt_text = |&r: &usize| self.describe_receipt(&self.receipts[r]).to_string();
        let (amount, detail) = match receipts {
            [r] => (
                self.receipts[*r].amount(data),
                format!(
                    "{} was posted in {} parts that add up to it: {}.",
                    receipt_text(r),
                    postings.len(),
                    postings
                        .iter()
                        .map(posting_text)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
            _ => (
                postings
                    .first()
                    .map_or(Decimal::ZERO, |&p| data.postings[p].credit()),
                format!(
                    "{} posts {} receipts that add up to it: {}.",
                    postings
                        .iter()
                        .map(posting_text)
                        .collect::<Vec<_>>()
                        .join("; "),
                    receipts.len(),
                    receipts
                        .iter()
                        .map(receipt_text)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
        };
        let bank: SmallVec<[u32; 2]> = receipts.iter().map(|&r| self.receipts[r].bank).collect();
        let mut evidence: Vec<RowRef> = receipts
            .iter()
            .flat_map(|&r| {
                let receipt = &self.receipts[r];
                let share = receipt.share().map(|s| data.shares[s as usize].row);
                std::iter::once(data.bank_row(receipt.bank as usize)).chain(share)
            })
            .collect();
        evidence.extend(postings.iter().map(|&p| data.posting_row(p)));
        InParts {
            bank,
            postings: postings.iter().map(|&p| p as u32).collect(),
            amount,
            evidence,
            detail,
        }
    }

    /// The free postings, by account and date.
    fn free_posting_parts(&self, posting_free: &[bool]) -> Vec<Part> {
        let mut parts: Vec<Part> = (self.free_postings.iter())
            .filter(|&&p| posting_free[p])
            .map(|&p| {
                let posting = &self.data.postings[p];
                let day = day_number(posting.date);
                (posting.account, day, posting.credit_pence(), p)
            })
            .collect();
        parts.par_sort_unstable();
        parts
    }

    /// The free receipts a reference names one account for, by account and
    /// date: only those may be combined into a posting on that account.
    fn free_receipt_parts(&self, receipt_free: &[bool]) -> Vec<Part> {
        let mut parts: Vec<Part> = (0..self.receipts.len())
            .into_par_iter()
            .filter(|&r| receipt_free[r])
            .filter_map(|r| {
                let receipt = &self.receipts[r];
                let Held::Account(a, _) = receipt.identity else {
                    return None;
                };
                let day = day_number(receipt.date(self.data));
                Some((a, day, receipt.pence(self.data), r))
            })
            .collect();
        parts.par_sort_unstable();
        parts
    }

    /// The best split of receipt `r` into free postings on the account its
    /// reference names (or the accounts, where it names a family's), posted
    /// in the window and within the posting allowance of one another.
    fn split_of(&self, r: usize, postings: &[Part], late_days: i64) -> Option<Way> {
        let receipt = &self.receipts[r];
        let accounts: SmallVec<[AccountId; MOST_ACCOUNTS]> = match receipt.identity {
            Held::Account(a, _) => SmallVec::from_elem(a, 1),
            Held::Ambiguous if self.ambiguous_set(r).len() <= MOST_ACCOUNTS => {
                self.ambiguous_set(r).iter().copied().collect()
            }
            _ => return None,
        };
        let whole = receipt.pence(self.data);
        let day = day_number(receipt.date(self.data));
        let window = (day - self.opts.lead_days as i32)..=(day + late_days as i32);
        let mut near: Vec<(i64, Part)> = accounts
            .iter()
            .flat_map(|&a| {
                nearest(postings, a, day, window.clone(), |d| {
                    cost(i64::from(d - day))
                })
            })
            .filter(|&(_, (_, _, pence, _))| pence > 0 && pence < whole)
            .collect();
        near.sort_unstable();
        near.truncate(NEAREST);
        let ways = ways_to_make(whole, &near, self.opts.posting_days as i32);
        // A family's payment split two ways that put different sums on its
        // accounts: which is right is not known, so neither is taken.
        let accounts_of = |w: &Way| -> SmallVec<[AccountId; MOST_PARTS]> {
            let mut a: SmallVec<_> = w.3.iter().map(|&p| self.data.postings[p].account).collect();
            a.sort_unstable();
            a
        };
        let best = ways.first()?;
        let agreed = ways
            .iter()
            .filter(|w| w.0 == best.0)
            .all(|w| accounts_of(w) == accounts_of(best));
        agreed.then(|| (best.0, best.1, r, best.3.clone()))
    }

    /// The best set of free receipts, each naming posting `p`'s account,
    /// that posting `p` adds up, all in the window before it.
    fn combination_of(&self, p: usize, receipts: &[Part], late_days: i64) -> Option<Way> {
        let posting = &self.data.postings[p];
        let whole = posting.credit_pence();
        let day = day_number(posting.date);
        let window = (day - late_days as i32)..=(day + self.opts.lead_days as i32);
        let mut near: Vec<(i64, Part)> = nearest(receipts, posting.account, day, window, |d| {
            cost(i64::from(day - d))
        })
        .filter(|&(_, (_, _, pence, _))| pence > 0 && pence < whole)
        .collect();
        near.sort_unstable();
        near.truncate(NEAREST);
        let spread = (late_days + self.opts.lead_days) as i32;
        let best = ways_to_make(whole, &near, spread).into_iter().next()?;
        Some((best.0, best.1, p, best.3))
    }
}

/// Up to [`NEAREST`] parts of `account` dated in `window`, nearest to `day`
/// first, each with its cost: walked outwards from `day`, so an account with
/// thousands of parts costs no more than one with a dozen.
fn nearest(
    parts: &[Part],
    account: AccountId,
    day: i32,
    window: std::ops::RangeInclusive<i32>,
    cost_of: impl Fn(i32) -> i64,
) -> impl Iterator<Item = (i64, Part)> {
    let from = parts.partition_point(|q| (q.0, q.1) < (account, *window.start()));
    let to = parts.partition_point(|q| (q.0, q.1) <= (account, *window.end()));
    let run = &parts[from..to];
    let chosen = nearest_outwards(run, day, NEAREST, |q| q.1, &cost_of);
    let costed: SmallVec<[(i64, Part); NEAREST]> =
        chosen.into_iter().map(|&q| (cost_of(q.1), q)).collect();
    costed.into_iter()
}

/// Every way to make `whole` pence from 2 to [`MOST_PARTS`] of `near`, with
/// the parts' dates at most `spread` days apart, best first.
fn ways_to_make(whole: i64, near: &[(i64, Part)], spread: i32) -> Vec<Way> {
    let mut ways = Vec::new();
    let n = near.len();
    let fits = |idx: &[usize]| {
        let days = idx.iter().map(|&i| near[i].1 .1);
        let (lo, hi) = (days.clone().min(), days.max());
        lo.zip(hi).is_some_and(|(lo, hi)| hi - lo <= spread)
    };
    let mut take = |idx: &[usize]| {
        if fits(idx) {
            let mut parts: SmallVec<[usize; MOST_PARTS]> =
                idx.iter().map(|&i| near[i].1 .3).collect();
            parts.sort_unstable();
            let cost = idx.iter().map(|&i| near[i].0).sum();
            ways.push((idx.len(), cost, 0, parts));
        }
    };
    for i in 0..n {
        for j in i + 1..n {
            let two = near[i].1 .2 + near[j].1 .2;
            if two == whole {
                take(&[i, j]);
            }
            if MOST_PARTS >= 3 && two < whole {
                for (k, third) in near.iter().enumerate().skip(j + 1) {
                    if two + third.1 .2 == whole {
                        take(&[i, j, k]);
                    }
                }
            }
        }
    }
    ways.sort_unstable();
    ways
}

/// Takes `ways` best first, each only while its whole and every part are
/// still free: the same wholes and parts whatever order they were found in.
fn taken_in_order(mut ways: Vec<Way>, whole_free: &mut [bool], part_free: &mut [bool]) -> Vec<Way> {
    ways.par_sort_unstable();
    let mut taken = Vec::new();
    for way in ways {
        if whole_free[way.2] && way.3.iter().all(|&q| part_free[q]) {
            whole_free[way.2] = false;
            for &q in &way.3 {
                part_free[q] = false;
            }
            taken.push(way);
        }
    }
    taken
}
