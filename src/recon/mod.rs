//! The reconciliation core: no I/O. Takes a [`Dataset`] and settings, returns
//! findings, account assessments and control totals, the same whatever the
//! number of threads.

pub mod assess;
pub mod benefit;
pub mod case;
pub mod charges;
pub mod check;
pub mod conflict;
pub mod due;
pub mod finding;
pub mod hold;
pub mod identify;
pub mod journal;
pub mod law;
pub mod matching;
pub mod model;
pub mod money;
pub mod names;
pub mod rents;
pub mod store;
pub mod support;
pub mod totals;
pub mod warning;

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use assess::{Assessment, Status, Trigger};
pub use finding::{Finding, FindingKind, Outcome, Severity};
pub use model::Dataset;
pub use totals::Totals;
pub use warning::Warning;

use hold::PaidSince;
use identify::RefIndex;
use matching::{MatchOptions, Matching};
use model::AccountPostings;
use rayon::prelude::*;

/// Everything the officer chose, with the defaults the issue tracker agreed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `None`: the latest date in the ledger or bank.
    pub as_at: Option<NaiveDate>,
    pub trigger: Trigger,
    pub warn_at: Decimal,
    pub posting_days: i64,
    pub match_days: i64,
    pub lead_days: i64,
    /// Weeks in which no rent is charged (any date in the week).
    pub rent_free_weeks: Vec<NaiveDate>,
    /// With no rent-free weeks given, read them from the charges: weeks
    /// most weekly accounts are not charged in.
    pub infer_rent_free: bool,
    /// Check charges against each account's rent (off for a ledger extract
    /// that holds payments only).
    pub check_charges: bool,
    /// Today's date: rows after it are taken for slips. `None` in tests
    /// that must not depend on the clock.
    pub today: Option<NaiveDate>,
    /// Days from a new claim to its first run: (Housing Benefit, Universal Credit).
    pub first_run_days: (i64, i64),
    /// How payments are split between rent and sundry debt.
    pub allocation: due::Allocation,
    /// The day a notice would be served: the law's threshold is that day's.
    pub serve_on: Option<NaiveDate>,
    /// Housing Benefit is credited as a rent rebate (a council landlord):
    /// its credits are checked against the rebate schedule, not the bank.
    pub hb_rent_rebates: bool,
    /// Where each setting not at its default came from (`trigger`, "the
    /// command line"), in a fixed order, for the reports.
    pub origins: Vec<(&'static str, &'static str)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_at: None,
            trigger: Trigger::Weeks(Decimal::from(4)),
            warn_at: Decimal::new(75, 2),
            posting_days: 5,
            match_days: 35,
            lead_days: 3,
            rent_free_weeks: Vec::new(),
            infer_rent_free: true,
            check_charges: true,
            today: None,
            first_run_days: (benefit::HB_FIRST_RUN_DAYS, benefit::UC_FIRST_RUN_DAYS),
            allocation: due::Allocation::RentFirst,
            serve_on: None,
            hb_rent_rebates: false,
            origins: Vec::new(),
        }
    }
}

/// The result of one reconciliation.
#[derive(Clone, Debug)]
pub struct Reconciliation {
    pub as_at: NaiveDate,
    pub settings: Settings,
    /// Sorted by account ref, kind, bank id, first txn id.
    pub findings: Vec<Finding>,
    /// One per account, in account-ref order.
    pub assessments: Vec<Assessment>,
    pub totals: Totals,
    pub matching: Matching,
    /// What the run could not check: the reading's, then the data's.
    pub warnings: Vec<Warning>,
    /// The rent-free weeks read from the charges (Mondays), where none were
    /// given.
    pub rent_free_inferred: Vec<NaiveDate>,
    /// The landlord's rent changes read from the charges (a week most
    /// accounts' rent changed in), for accounts with no rents.csv history.
    pub rent_changes_inferred: Vec<NaiveDate>,
}

/// One run: the as-at date, the money matched and the charges checked, the
/// findings and warnings gathered, then every account assessed and counted.
pub fn reconcile(data: &Dataset, settings: Settings) -> Reconciliation {
    // Rows dated after today or far beyond the rest never move the default
    // as-at date: they are slips, and are warned of.
    let span = warning::data_span(data, settings.today);
    let as_at = settings
        .as_at
        .or(span.and_then(|s| s.end))
        .or_else(|| data.latest_date())
        .unwrap_or(NaiveDate::MIN);
    let Matched {
        mut matching,
        charged,
        ledger,
        paid_since,
        not_banked,
    } = match_money(data, &settings, as_at);
    let findings = gather_findings(data, &ledger, as_at, &mut matching, charged.findings);
    let horizon = horizon(&settings, as_at);
    let warnings = gather_warnings(data, &settings, (&horizon, span), &mut matching, not_banked);
    let law_on = horizon.service.unwrap_or(as_at);
    let opts = assess::AssessOptions {
        as_at,
        trigger: settings.trigger,
        warn_at: settings.warn_at,
        first_run_days: settings.first_run_days,
        allocation: settings.allocation,
        law_on,
        // A tenancy over by today is over whatever day the run is as at.
        tenancy_on: law_on.max(settings.today.unwrap_or(law_on)),
    };
    let mut assessments = assess::assess_all(
        data,
        &ledger,
        &matching,
        &findings,
        &warnings,
        &paid_since,
        opts,
    );
    assessments.sort_by(|a, b| {
        data.account(a.account)
            .account_ref
            .cmp(&data.account(b.account).account_ref)
    });
    let totals = totals::compute(data, &matching, &findings);
    Reconciliation {
        as_at,
        settings,
        findings,
        assessments,
        totals,
        matching,
        warnings,
        rent_free_inferred: charged.rent_free_inferred,
        rent_changes_inferred: charged.rent_changes.all(),
    }
}

/// The days the run is asked about. The day of service is `--serve-on`
/// only: the contract judges the statutory threshold as at the as-at date
/// unless a day of service is named, and a run's answer must not change
/// with the day it is run on.
fn horizon(settings: &Settings, as_at: NaiveDate) -> warning::Horizon {
    warning::Horizon {
        as_at,
        as_at_given: settings.as_at.is_some(),
        service: settings.serve_on,
        today: settings.today,
        posting_days: settings.posting_days,
    }
}

/// The money matched to accounts, with the charges checked beside it.
struct Matched {
    matching: Matching,
    charged: Charged,
    /// Each account's postings.
    ledger: AccountPostings,
    /// Money in after the as-at date that names an account: see [`paid_after`].
    paid_since: Vec<PaidSince>,
    /// Schedule batches no bank line carries.
    not_banked: Option<Warning>,
}

/// Matches the bank and schedules to the accounts, and checks the charges
/// beside it; the reference index is dropped once both are done.
fn match_money(data: &Dataset, settings: &Settings, as_at: NaiveDate) -> Matched {
    // The index and each account's postings are built side by side, and
    // charges are checked beside matching (they need only the postings):
    // each fills the other's steps on one core.
    let (index, ledger) = rayon::join(
        || RefIndex::build(&data.accounts),
        || AccountPostings::build(data),
    );
    let ledger_from = data.postings.par_iter().map(|p| p.date).min();
    let charges_from = ledger_from.filter(|_| settings.check_charges);
    let (matching, charged) = rayon::join(
        || {
            let opts = MatchOptions {
                as_at,
                posting_days: settings.posting_days,
                match_days: settings.match_days,
                lead_days: settings.lead_days,
                hb_rent_rebates: settings.hb_rent_rebates,
            };
            matching::match_all(data, &index, &ledger, opts)
        },
        || check_charges(data, &ledger, settings, as_at, charges_from),
    );
    let paid_since = paid_after(data, &index, as_at, settings.today);
    let not_banked = warning::batches_not_banked(data, &index, settings.hb_rent_rebates);
    Matched {
        matching,
        charged,
        ledger,
        paid_since,
        not_banked,
    }
}

/// Every finding in the contract's order: matching's, the charges', and
/// the refunds paid beyond an account's credit.
fn gather_findings(
    data: &Dataset,
    ledger: &AccountPostings,
    as_at: NaiveDate,
    matching: &mut Matching,
    charged: Vec<Finding>,
) -> Vec<Finding> {
    let mut findings = std::mem::take(&mut matching.findings);
    journal::settle(data, ledger, as_at, &mut findings);
    findings.extend(charged);
    let refunds = due::Context::of(data, &findings, &matching.clawed);
    findings.extend(due::findings(data, ledger, as_at, &refunds));
    drop(refunds);
    sort_findings(data, &mut findings);
    findings
}

/// What the run could not check: the reading's warnings, then the data's
/// and matching's, then the schedule batches no bank line carries.
fn gather_warnings(
    data: &Dataset,
    settings: &Settings,
    (horizon, span): (&warning::Horizon, Option<warning::DataSpan>),
    matching: &mut Matching,
    not_banked: Option<Warning>,
) -> Vec<Warning> {
    let mut warnings = data.warnings.clone();
    warnings.extend(warning::detect(
        data,
        horizon,
        span,
        settings.hb_rent_rebates,
    ));
    warnings.extend(warning::no_rebate_schedule(std::mem::take(
        &mut matching.rebates_unchecked,
    )));
    warnings.extend(warning::unknown_bank_refs(
        data,
        &matching.unknown_bank_refs,
    ));
    warnings.extend(not_banked);
    warnings
}

/// Charges checked, with what was read from them.
#[derive(Default)]
struct Charged {
    findings: Vec<Finding>,
    rent_free_inferred: Vec<NaiveDate>,
    rent_changes: rents::RentChanges,
}

/// Every account's charges against its rent (`from`: the ledger's first
/// date; `None` where charges are not checked), the landlord's rent-free
/// weeks and rent changes read from them where not given.
fn check_charges(
    data: &Dataset,
    ledger: &AccountPostings,
    settings: &Settings,
    as_at: NaiveDate,
    from: Option<NaiveDate>,
) -> Charged {
    let Some(from) = from else {
        return Charged::default();
    };
    let (rent_changes, rent_free_inferred) = rayon::join(
        || rents::infer_changes(data, ledger, as_at),
        || match settings.rent_free_weeks.is_empty() && settings.infer_rent_free {
            true => charges::infer_rent_free_weeks(data, ledger, as_at),
            false => Vec::new(),
        },
    );
    let opts = charges::ChargeOptions {
        as_at,
        rent_free_weeks: [&settings.rent_free_weeks[..], &rent_free_inferred].concat(),
        changes: rent_changes.clone(),
    };
    Charged {
        findings: charges::check(data, ledger, &opts, from),
        rent_free_inferred,
        rent_changes,
    }
}

/// Money in after the as-at date (up to today) that names an account: by
/// its reference, by a share of the schedule batch the line carries (a
/// benefit run, a PayPoint or Allpay batch), by a payer who is the tenant
/// by full name, or as a credit the ledger posted to the account. The
/// arrears on the day of service are less than on the as-at date.
fn paid_after(
    data: &Dataset,
    index: &RefIndex,
    as_at: NaiveDate,
    today: Option<NaiveDate>,
) -> Vec<PaidSince> {
    let since = |d: NaiveDate| d > as_at && today.is_none_or(|t| d <= t);
    let after: Vec<usize> = (0..data.bank.len())
        .into_par_iter()
        .filter(|&b| since(data.bank[b].date) && data.bank[b].amount.pence() > 0)
        .collect();
    let banked = if after.is_empty() {
        Vec::new()
    } else {
        bank_paid_after(data, index, after)
    };
    let by_bank: rustc_hash::FxHashSet<(model::AccountId, Cow<'_, str>)> = (banked.iter())
        .map(|&(b, p)| (p.account, data.bank_id(b)))
        .collect();
    let mut paid: Vec<PaidSince> = banked.into_iter().map(|(_, p)| p).collect();
    let posted: Vec<PaidSince> = (0..data.postings.len())
        .into_par_iter()
        .filter(|&i| {
            let p = &data.postings[i];
            since(p.date) && p.is_cash_credit()
        })
        .filter(|&i| {
            // The same money found on the bank already.
            let p = &data.postings[i];
            let bank_ref = data.bank_ref(p).unwrap_or_default();
            bank_ref.is_empty() || !by_bank.contains(&(p.account, Cow::Borrowed(bank_ref)))
        })
        .map(|i| PaidSince {
            account: data.postings[i].account,
            date: data.postings[i].date,
            row: data.posting_row(i),
            amount: -data.postings[i].amount(),
        })
        .collect();
    paid.extend(posted);
    paid.sort_by_key(|p| (p.row, p.account));
    paid
}

/// [`paid_after`]'s bank lines (`after`): each by the batch it carries,
/// else its reference, else its payer; with the line's index.
fn bank_paid_after(data: &Dataset, index: &RefIndex, after: Vec<usize>) -> Vec<(usize, PaidSince)> {
    let batches = matching::batches_by_ref(data);
    after
        .into_par_iter()
        .map_init(
            || model::BankIdsInOrder::new(data),
            |ids, b| {
                let line = &data.bank[b];
                let reference = data.reference(line);
                let batch = [ids.get(b), reference]
                    .into_iter()
                    .chain(identify::batch_words(reference))
                    .find_map(|key| batches.get(&identify::normalise(key)));
                if let Some(shares) = batch {
                    return paid_by_shares(data, index, b, shares)
                        .into_iter()
                        .map(|p| (b, p))
                        .collect();
                }
                let by_payer = || {
                    let found = index.tenants_by_full_name(&data.accounts, data.payer(line));
                    (found.len() == 1).then(|| found[0])
                };
                (index.identify(reference).account())
                    .or_else(by_payer)
                    .map(|account| {
                        let paid = PaidSince {
                            account,
                            date: line.date,
                            row: data.bank_row(b),
                            amount: line.amount.get(),
                        };
                        (b, paid)
                    })
                    .into_iter()
                    .collect::<Vec<_>>()
            },
        )
        .flatten_iter()
        .collect()
}

/// The accounts a batch's shares name, each with its share of bank line `b`.
fn paid_by_shares(data: &Dataset, index: &RefIndex, b: usize, shares: &[usize]) -> Vec<PaidSince> {
    (shares.iter().map(|&s| &data.shares[s]))
        .filter(|share| share.amount.pence() > 0)
        .filter_map(|share| {
            Some(PaidSince {
                account: matching::share_identity(index, share).account()?,
                date: data.bank[b].date,
                row: data.bank_row(b),
                amount: share.amount(),
            })
        })
        .collect()
}

/// The contract's order: account ref, kind, bank id, first txn id; then the
/// evidence, so that no two findings can tie.
fn sort_findings(data: &Dataset, findings: &mut [Finding]) {
    let key = |f: &Finding| {
        (
            f.account
                .map_or("", |a| data.account(a).account_ref.as_str()),
            f.kind.as_str(),
            f.bank.map_or(Cow::Borrowed(""), |b| data.bank_id(b)),
            f.postings
                .first()
                .map_or(Cow::Borrowed(""), |&p| data.txn_id(p)),
            f.evidence.clone(),
        )
    };
    findings.sort_by_cached_key(key);
}

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
