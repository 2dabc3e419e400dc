//! Why an account may not be cleared for a notice: each hold, most telling
//! first (money in suspense, a payer conflict, the tenancy, the case, the
//! account's flags, benefit), with its sentence.

use super::*;

/// Every reason the account may not be cleared, most telling first: money
/// in suspense that the evidence alone ties to the tenant and that would
/// take the account below the trigger leads.
pub(super) fn holds_of(
    data: &Dataset,
    id: AccountId,
    facts: &Facts<'_>,
    levels: &Levels,
    warnings: &[Warning],
    (technical, tenancy_on): (Decimal, NaiveDate),
) -> Vec<Hold> {
    let mut holds = tenancy_holds(data, id, facts, tenancy_on);
    if let Some(case) = &facts.case {
        holds.extend(case_holds(case));
    }
    holds.extend(suspense_hold(data, facts, levels));
    holds.extend(conflict_hold(data, facts.doubts));
    holds.extend(incomplete_data_hold(facts.doubts, warnings));
    holds.extend(flag_holds(data.account(id)));
    if facts.holding > 0 {
        let reason = HoldReason::UnresolvedFinding;
        holds.push(Hold::new(reason, unresolved_words(facts)));
    }
    holds.extend(benefit_holds(facts, technical));
    holds.extend(paid_since_hold(data, facts.doubts));
    holds.extend(recent_return_hold(facts.recent_return));
    holds
}

/// The run warns of something the account depends on, by the warnings' kinds.
fn incomplete_data_hold(doubts: &Doubts, warnings: &[Warning]) -> Option<Hold> {
    if doubts.warnings.is_empty() {
        return None;
    }
    let said: Vec<&str> = (doubts.warnings.iter())
        .map(|&w| warnings[w].kind.as_str())
        .collect();
    Some(Hold::new(
        HoldReason::IncompleteData,
        format!(
            "the run warns of something this account depends on ({})",
            said.join(", ")
        ),
    ))
}

/// The account's flags in accounts.csv: vulnerable, a benefit claim
/// pending, an open dispute.
fn flag_holds(account: &Account) -> impl Iterator<Item = Hold> {
    let flags = [
        (account.vulnerable, HoldReason::Vulnerable),
        (
            account.benefit_claim_pending,
            HoldReason::BenefitClaimPending,
        ),
        (account.open_dispute, HoldReason::OpenDispute),
    ];
    (flags.into_iter())
        .filter(|(set, _)| *set)
        .map(|(_, reason)| Hold::new(reason, reason.meaning().to_string()))
}

/// Money naming the account came in after the as-at date: the arrears on
/// the day of service are less.
fn paid_since_hold(data: &Dataset, doubts: &Doubts) -> Option<Hold> {
    if doubts.paid_since.is_empty() {
        return None;
    }
    let each: Vec<String> = (doubts.paid_since.iter())
        .map(|paid| {
            let (amount, on) = (pounds(paid.amount), paid.date);
            match paid.row.file {
                crate::recon::model::SourceFile::Ledger => {
                    format!(
                        "{amount} on {on}, posted to the account at {}",
                        data.sources.cite(paid.row)
                    )
                }
                _ => format!("{amount} on {on}"),
            }
        })
        .collect();
    Some(Hold::new(
        HoldReason::PaidSinceAsAt,
        format!(
            "money naming the account came in after the as-at date ({}): the arrears on the day \
             of service are less",
            each.join(", ")
        ),
    ))
}

/// A Direct Debit returned in the last days: time to pay another way.
fn recent_return_hold(recent_return: Option<NaiveDate>) -> Option<Hold> {
    let on = recent_return?;
    Some(Hold::new(
        HoldReason::RecentDdReturn,
        format!(
            "a Direct Debit was returned on {on} (under {RECENT_RETURN_DAYS} days ago): give the \
             tenant time to pay another way"
        ),
    ))
}

/// "2 findings on the account are not yet resolved (…)", naming their kinds.
pub(super) fn unresolved_words(facts: &Facts<'_>) -> String {
    let mut kinds: Vec<&str> = facts.kinds.iter().map(|k| k.as_str()).collect();
    kinds.dedup();
    let n = facts.holding;
    format!(
        "{n} finding{} on the account {} not yet resolved ({})",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
        kinds.join(", ")
    )
}

/// Holds on who holds the tenancy, whatever the money says: a tenancy
/// that has ended by `on` (the day of service, or today where later: a
/// notice can only be served on a tenant), a payer who has died.
pub(super) fn tenancy_holds(
    data: &Dataset,
    id: AccountId,
    facts: &Facts<'_>,
    on: NaiveDate,
) -> Vec<Hold> {
    let account = data.account(id);
    let mut holds = Vec::new();
    let on = on.max(facts.as_at);
    if let Some(end) = account.tenancy_end.filter(|_| account.ended_by(on)) {
        holds.push(Hold::new(
            HoldReason::FormerTenant,
            format!(
                "the tenancy ended on {end}: what is owed is former-tenant arrears, recovered as a debt, \
                 never by a NOSP"
            ),
        ));
    }
    // Fail safe: for a licence or an `other` type the run does not know
    // the regime, so no NOSP is cleared, as for an introductory tenancy.
    use crate::recon::model::TenancyType;
    let route = match account.tenancy_type {
        TenancyType::Introductory => Some(HoldReason::IntroductoryTenancy),
        TenancyType::Licence | TenancyType::Other => Some(HoldReason::NotANospTenancy),
        _ => None,
    };
    if let Some(reason) = route {
        holds.push(Hold::new(reason, reason.meaning()));
    }
    if let Some(on) = facts.deceased {
        holds.push(Hold::new(
            HoldReason::PayerDeceased,
            format!(
                "a Direct Debit was returned on {on} with ARUDD code 2, payer deceased: establish who \
                 succeeds to the tenancy before any arrears step"
            ),
        ));
    }
    holds
}

/// Holds from the case around the account: a moratorium, an order, a
/// notice already served, an arrangement being kept.
pub(super) fn case_holds(case: &CaseFacts) -> Vec<Hold> {
    let mut holds = Vec::new();
    if let Some((from, to)) = case.breathing_space {
        holds.push(Hold::new(
            HoldReason::BreathingSpace,
            format!(
                "a Breathing Space moratorium began on {from}{}: no enforcement step may be taken during it, \
                 and a NOSP served in it is void",
                to.map_or_else(|| " with no end date given".to_string(), |t| format!(" and runs to {t}"))
            ),
        ));
    }
    if let Some(order) = &case.order {
        holds.push(Hold::new(HoldReason::CourtOrder, case::order_words(order)));
    }
    match case.nosp {
        Some(NospState::NotYetActive { served, active_from }) => holds.push(Hold::new(
            HoldReason::NospInForce,
            format!(
                "a NOSP was served on {served}; proceedings may begin on it from {active_from}: do not serve another"
            ),
        )),
        Some(NospState::InForce { served, until }) => holds.push(Hold::new(
            HoldReason::NospInForce,
            format!(
                "a NOSP served on {served} is in force until {until}: the next step is proceedings on it, \
                 not another notice"
            ),
        )),
        Some(NospState::Lapsed { .. }) | None => {}
    }
    if let Some(a) = case.arrangement.as_ref().filter(|a| a.kept()) {
        holds.push(Hold::new(
            HoldReason::ArrangementKept,
            format!(
                "{}: do not proceed while it is kept",
                case::arrangement_words(a)
            ),
        ));
    }
    holds
}

/// One hold for all the suspense money that may be the tenant's.
pub(super) fn suspense_hold(data: &Dataset, facts: &Facts<'_>, levels: &Levels) -> Option<Hold> {
    let leads = &facts.doubts.leads;
    if leads.is_empty() {
        return None;
    }
    let total: Decimal = leads.iter().map(|l| l.amount).sum();
    let strong: Decimal = leads.iter().filter(|l| l.strong).map(|l| l.amount).sum();
    let each: Vec<String> = leads
        .iter()
        .map(|l| {
            // The receipt by its date: its bank id and line are the
            // unidentified_receipt finding's evidence, or the posting's.
            let posted = l.posted_to.map_or(String::new(), |to| {
                format!(", posted to {}", data.account(to).account_ref)
            });
            format!(
                "{} received {} ({}){posted}",
                pounds(l.amount),
                data.bank[l.bank].date,
                l.reason
            )
        })
        .collect();
    let if_theirs = facts.dues.rent - total;
    let held = if leads.iter().all(|l| l.posted_to.is_none()) {
        "in suspense"
    } else {
        "received"
    };
    let mut detail = format!(
        "{} {held} may be this tenant's: {}; if it is, the corrected balance is {}{}",
        pounds(total),
        each.join("; "),
        pounds(if_theirs),
        if levels.reaches(if_theirs) {
            ""
        } else {
            ", below the trigger"
        }
    );
    if strong > Decimal::ZERO && !levels.reaches(facts.dues.rent - strong) {
        detail = format!(
            "the arrears may not be real: {} {held} is, on the evidence alone, this tenant's and \
             would take the account below the trigger. {detail}",
            pounds(strong)
        );
    }
    Some(Hold::new(HoldReason::ReceiptInSuspense, detail))
}

pub(super) fn conflict_hold(data: &Dataset, doubts: &Doubts) -> Option<Hold> {
    if doubts.conflicts.is_empty() {
        return None;
    }
    let each: Vec<String> = doubts
        .conflicts
        .iter()
        .map(|c| {
            let b = c.bank as usize;
            let line = &data.bank[b];
            let reference_acc = &data.account(c.by_reference).account_ref;
            let payer_acc = &data.account(c.by_payer).account_ref;
            format!(
                "{} received {} ({}, reference {:?}) names {reference_acc} but the payer {:?} is the tenant of \
                 {payer_acc}{}",
                pounds(line.amount.get()),
                line.date,
                data.bank_id(b),
                data.reference(line),
                data.payer(line),
                if c.posted_to_payer {
                    format!(", and it was posted to {payer_acc}")
                } else {
                    String::new()
                }
            )
        })
        .collect();
    Some(Hold::new(HoldReason::PayerConflict, each.join("; ")))
}

pub(super) fn benefit_holds(facts: &Facts<'_>, technical: Decimal) -> Option<Hold> {
    if let Some(f) = &facts.first_run {
        let name = benefit_name(f.benefit);
        return Some(if f.overdue {
            Hold::new(
                HoldReason::BenefitStopped,
                format!(
                    "no {name} has arrived since the account began on {}; the first payment was due by {}",
                    f.since, f.due
                ),
            )
        } else {
            Hold::new(
                HoldReason::BenefitNotYetPaid,
                format!(
                    "{} of the arrears is rent charged since the {name} claim began on {}; its first payment \
                     is not due until {}",
                    pounds(f.technical),
                    f.since,
                    f.due
                ),
            )
        });
    }
    let o = facts.benefit.as_ref()?;
    if o.overdue {
        return Some(Hold::new(
            HoldReason::BenefitStopped,
            format!(
                "the {} run expected {} has not arrived (more than {} days overdue)",
                benefit_name(o.benefit),
                o.next_expected,
                benefit::GRACE_DAYS
            ),
        ));
    }
    (technical > Decimal::ZERO).then(|| Hold::new(HoldReason::TechnicalArrears, benefit_words(o)))
}

pub(super) fn benefit_words(o: &BenefitOutlook) -> String {
    format!(
        "{} of it is {} for the period since {} not yet due ({} paid every {} days in arrears{}); the next \
         run is expected {}",
        pounds(o.technical),
        benefit_name(o.benefit),
        o.covered_to,
        benefit_name(o.benefit),
        o.cycle_days,
        if o.learned { "" } else { ", assumed" },
        o.next_expected
    )
}
