//! A batch ref a schedule gives every run (a DWP reference that never
//! changes): the bank lines that carry it share its shares out, each taking
//! the run it paid, where the periods and the sums say which that is.

use super::*;

/// Each line's shares, for `lines` (bank lines carrying one batch ref, in
/// any order) and the batch's `shares`. A share goes to the first line on
/// or after its period's end (benefit is paid in arrears); failing that,
/// the shares of one period go to the line whose amount is their sum, in
/// date order. `None`, so the first line claims them all as a batch's only
/// line does, unless every line's shares add up to its amount exactly. A
/// share left over (a run not yet banked) is claimed by no line.
pub(super) fn share_out(
    data: &Dataset,
    shares: &[usize],
    lines: &[usize],
) -> Option<Vec<(usize, Vec<usize>)>> {
    if lines.len() < 2 {
        return None;
    }
    let mut lines = lines.to_vec();
    lines.sort_by_key(|&i| (data.bank[i].date, i));
    let runs =
        by_period_end(data, shares, &lines).or_else(|| by_period_sum(data, shares, &lines))?;
    Some(lines.into_iter().zip(runs).collect())
}

/// Shares by the first line dated on or after the end of their period.
fn by_period_end(data: &Dataset, shares: &[usize], lines: &[usize]) -> Option<Vec<Vec<usize>>> {
    let mut runs = vec![Vec::new(); lines.len()];
    let last = data.bank[*lines.last()?].date;
    for &s in shares {
        let share = &data.shares[s];
        let end = share.period_end.or(share.period_start)?;
        if end > last {
            continue;
        }
        let run = lines.partition_point(|&i| data.bank[i].date < end);
        runs.get_mut(run)?.push(s);
    }
    ties(data, lines, &runs).then_some(runs)
}

/// The shares of one period, to the line (in date order) whose amount is
/// their sum, each line taking the earliest such period begun by its date.
fn by_period_sum(data: &Dataset, shares: &[usize], lines: &[usize]) -> Option<Vec<Vec<usize>>> {
    let mut periods: Vec<((NaiveDate, NaiveDate), Vec<usize>)> = Vec::new();
    let mut by_period: Vec<usize> = shares.to_vec();
    let period = |s: usize| {
        let share = &data.shares[s];
        Some((share.period_start?, share.period_end?))
    };
    if by_period.iter().any(|&s| period(s).is_none()) {
        return None;
    }
    by_period.sort_by_key(|&s| (period(s), s));
    for s in by_period {
        let p = period(s)?;
        match periods.last_mut() {
            Some((last, run)) if *last == p => run.push(s),
            _ => periods.push((p, vec![s])),
        }
    }
    let mut taken = vec![false; periods.len()];
    let mut runs = Vec::with_capacity(lines.len());
    for &i in lines {
        let line = &data.bank[i];
        let found = (0..periods.len()).find(|&p| {
            !taken[p]
                && periods[p].0 .0 <= line.date
                && sum_of(data, &periods[p].1) == i128::from(line.amount.pence())
        })?;
        taken[found] = true;
        let mut run = std::mem::take(&mut periods[found].1);
        run.sort_unstable();
        runs.push(run);
    }
    Some(runs)
}

/// Whether each line has shares, and they add up to its amount.
fn ties(data: &Dataset, lines: &[usize], runs: &[Vec<usize>]) -> bool {
    lines.iter().zip(runs).all(|(&i, run)| {
        !run.is_empty() && sum_of(data, run) == i128::from(data.bank[i].amount.pence())
    })
}

fn sum_of(data: &Dataset, shares: &[usize]) -> i128 {
    (shares.iter())
        .map(|&s| i128::from(data.shares[s].amount.pence()))
        .sum()
}

#[cfg(test)]
mod tests {
    use crate::recon::finding::FindingKind;
    use crate::recon::model::PostingKind;
    use crate::recon::testkit::{date, Builder};
    use crate::recon::{reconcile, Settings};

    /// Two Universal Credit tenants paid by three monthly DWP runs that all
    /// carry one reference; the second run pays the second tenant less.
    fn three_runs(periods: bool, third: &str) -> Builder {
        let mut b = Builder::default();
        let a = b.account("RA1", "Ann Lee", "433.33");
        let c = b.account("RA2", "Carl Moss", "433.33");
        let runs = [
            ("2026-01-14", "866.66", "2025-12-01", "2025-12-31", "433.33"),
            ("2026-02-13", "633.33", "2026-01-01", "2026-01-31", "200.00"),
            ("2026-03-13", third, "2026-02-01", "2026-02-28", "433.33"),
        ];
        for (n, (paid, total, start, end, second)) in runs.into_iter().enumerate() {
            b.bank(
                &format!("DWP{n}"),
                paid,
                total,
                "DWP UC LANDLORD PYMT",
                "DWP UC",
            );
            for (account, share) in [("RA1", "433.33"), ("RA2", second)] {
                let s = b.share("DWP UC LANDLORD PYMT", account, share);
                if periods {
                    b.data.shares[s].period_start = Some(date(start));
                    b.data.shares[s].period_end = Some(date(end));
                }
            }
            b.debit(a, paid, PostingKind::Benefit, "-433.33", None);
            b.debit(c, paid, PostingKind::Benefit, &format!("-{second}"), None);
        }
        b
    }

    fn kinds(b: &Builder) -> Vec<FindingKind> {
        let settings = Settings {
            as_at: Some(date("2026-03-31")),
            check_charges: false,
            ..Settings::default()
        };
        let r = reconcile(&b.data, settings);
        assert!(r.totals.ties());
        r.findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn each_run_of_a_reused_reference_takes_the_period_it_paid() {
        assert_eq!(kinds(&three_runs(true, "866.66")), vec![]);
    }

    #[test]
    fn runs_are_not_shared_out_without_periods_or_when_a_sum_does_not_tie() {
        for b in [three_runs(false, "866.66"), three_runs(true, "866.00")] {
            assert!(
                kinds(&b).contains(&FindingKind::ScheduleMismatch),
                "{:?}",
                kinds(&b)
            );
        }
    }
}
