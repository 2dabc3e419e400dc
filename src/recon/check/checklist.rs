//! The pre-action protocol checklist for one account: each item answered from
//! the assessment and the case, or left for the officer to confirm.

use super::*;

pub(super) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// An item the data answers: passed, or failed and holding the account.
pub(super) fn answered(item: &'static str, answer: String, failed: bool) -> CheckItem {
    CheckItem {
        item,
        answer: Some(answer),
        tick: if failed { Tick::Failed } else { Tick::Passed },
        outstanding: failed,
    }
}

/// An item for the officer to confirm, with what the data says if anything.
pub(super) fn confirm(item: &'static str, answer: Option<String>) -> CheckItem {
    CheckItem {
        item,
        answer,
        tick: Tick::Confirm,
        outstanding: false,
    }
}

/// The hold of this reason on the account, in words, if it is held so.
pub(super) fn held_for(a: &Assessment, reason: HoldReason) -> Option<String> {
    a.holds
        .iter()
        .find(|h| h.reason == reason)
        .map(|h| h.sentence())
}

/// The account's checklist: what the run found, the law's tests, the
/// tenancy's own flags, then the protocol steps the case file answers.
pub(super) fn checklist(
    data: &Dataset,
    recon: &Reconciliation,
    a: &Assessment,
    findings: &[&Finding],
    first_posting: Option<NaiveDate>,
) -> Vec<CheckItem> {
    let account = data.account(a.account);
    let mut items = vec![
        reconciled_item(account, a, findings),
        doubt_item(
            "no money in suspense that may be the tenant's",
            held_for(a, HoldReason::ReceiptInSuspense),
        ),
        doubt_item(
            "payer and reference agree on every receipt",
            held_for(a, HoldReason::PayerConflict),
        ),
        incomplete_data_item(recon, a),
        statutory_item(a),
        benefit_item(a),
    ];
    items.extend(tenancy_items(account, a));
    items.push(statement_item(
        recon.as_at,
        first_posting.unwrap_or(recon.as_at),
    ));
    items.push(payment_history_item(a));
    match (&a.case, data.cases_given) {
        (Some(case), _) => items.extend(case_items(data, a, case)),
        (None, true) => items.extend(case_items(data, a, &CaseFacts::default())),
        (None, false) => items.extend(steps_to_confirm(a)),
    }
    if joint(&account.tenant_name) {
        items.push(confirm(
            "each joint tenant written to",
            Some(format!(
                "the tenancy is joint ({}): letters to each tenant",
                account.tenant_name
            )),
        ));
    }
    items.push(confirm("rent statements sent at least every quarter", None));
    items
}

/// "s" after a count other than one.
#[inline]
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Whether every finding is already right on the ledger, and the ledger
/// shows how the arrears arose: most of them brought forward in the opening
/// balance were never reconciled by this run.
fn reconciled_item(account: &Account, a: &Assessment, findings: &[&Finding]) -> CheckItem {
    let item = "account reconciled with the money received";
    let unresolved = findings.iter().filter(|f| f.needs_correction()).count();
    let answer = match (findings.len(), unresolved) {
        (0, _) => "yes: nothing found".to_string(),
        (n, 0) => format!("yes: {n} finding{} already right on the ledger", plural(n)),
        (_, n) => format!("{n} finding{} to put right first", plural(n)),
    };
    let (opening, owed) = (account.opening_balance, a.posted_balance);
    if unresolved > 0
        || opening <= Decimal::ZERO
        || owed <= Decimal::ZERO
        || opening * Decimal::TWO < owed
    {
        return answered(item, answer, unresolved > 0);
    }
    // Failed, as a short statement is: the officer must show how it arose.
    CheckItem {
        item,
        answer: Some(format!(
            "not shown: {} of the {} owed was brought forward in the opening balance on {}, \
             before the ledger the run saw; the run cannot say how it arose",
            pounds(opening.min(owed)),
            pounds(owed),
            account.opening_date
        )),
        tick: Tick::Failed,
        outstanding: false,
    }
}

/// Fails where the run could not check all the account depends on, naming
/// the warnings that say what was missing.
fn incomplete_data_item(recon: &Reconciliation, a: &Assessment) -> CheckItem {
    doubt_item(
        "the run could check everything the account depends on",
        held_for(a, HoldReason::IncompleteData).map(|h| {
            let said: Vec<&str> = (recon.warnings.iter())
                .filter(|w| w.concerns(a.account))
                .map(|w| w.message.as_str())
                .collect();
            format!("{h}: {}", said.join("; "))
        }),
    )
}

/// What accounts.csv and the ledger say of the tenancy: a claim pending, a
/// vulnerability, a dispute, a Direct Debit just returned.
fn tenancy_items(account: &Account, a: &Assessment) -> [CheckItem; 4] {
    [
        answered(
            "no benefit claim pending with evidence supplied",
            yes_no(!account.benefit_claim_pending).to_string(),
            account.benefit_claim_pending,
        ),
        answered(
            "vulnerability taken into account",
            if account.vulnerable {
                "a vulnerability is recorded: assess it (risk assessment / EIA) before any step"
                    .to_string()
            } else {
                "none recorded".to_string()
            },
            account.vulnerable,
        ),
        answered(
            "no open complaint or dispute about the account",
            yes_no(!account.open_dispute).to_string(),
            account.open_dispute,
        ),
        answered(
            "no Direct Debit returned in the last 14 days",
            a.recent_return
                .map_or_else(|| "none".to_string(), |d| format!("returned on {d}")),
            a.recent_return.is_some(),
        ),
    ]
}

/// The periods that ended further behind, for the officer to weigh (the
/// findings may change the count).
fn payment_history_item(a: &Assessment) -> CheckItem {
    let answer = if a.findings == 0 {
        format!(
            "{} of {} rent periods in the last 12 months ended further behind",
            a.late_periods, a.periods_12m
        )
    } else {
        format!(
            "{} of {} rent periods in the last 12 months ended further behind as posted; \
             the {} finding{} on the account may change that: put {} right first",
            a.late_periods,
            a.periods_12m,
            a.findings,
            plural(a.findings),
            if a.findings == 1 { "it" } else { "them" }
        )
    };
    confirm("payment history (Grounds 10 and 11)", Some(answer))
}

/// Without a case file, the protocol steps are the officer's to confirm
/// (help with benefit answered where the ledger shows it given).
fn steps_to_confirm(a: &Assessment) -> Vec<CheckItem> {
    let mut items: Vec<CheckItem> = [
        "no Breathing Space moratorium (the Insolvency Service notifies creditors: check the notices received)",
        "no possession order, NOSP or payment arrangement already in force",
        "tenant contacted about the arrears and given the chance to discuss them",
    ]
    .map(|item| confirm(item, None))
    .into();
    let help = "help offered with any benefit claim, and a referral for money advice";
    items.push(match support_words(a) {
        Some(words) => answered(help, words, false),
        None => confirm(help, None),
    });
    items.push(confirm(
        "an affordable repayment agreement considered",
        None,
    ));
    items
}

/// The protocol steps and the obstacles the case file answers: each ✓ or
/// ✗ from cases.csv, a step not recorded there counted as not taken.
pub(super) fn case_items(data: &Dataset, a: &Assessment, case: &CaseFacts) -> Vec<CheckItem> {
    let held = |reason| held_for(a, reason);
    let mut items = vec![
        doubt_item(
            "no Breathing Space moratorium",
            held(HoldReason::BreathingSpace),
        ),
        doubt_item("no possession order in force", held(HoldReason::CourtOrder)),
        doubt_item("no NOSP already in force", held(HoldReason::NospInForce)),
        doubt_item(
            "no payment arrangement being kept",
            held(HoldReason::ArrangementKept),
        ),
    ];
    let contact = CaseStep {
        item: "tenant contacted about the arrears and given the chance to discuss them",
        recorded: case.contacts,
        last: case.last_contact,
        what: "contact",
    };
    items.push(step_item(contact, None));
    let benefit = data.account(a.account).benefit != Benefit::None;
    let referral = CaseStep {
        item: if benefit {
            "help offered with the benefit claim, and the HB office or DWP asked (a managed payment, deductions)"
        } else {
            "help offered with any benefit claim, and a referral for money advice"
        },
        recorded: case.referrals,
        last: case.last_referral,
        what: "benefit referral",
    };
    // A DHP or DWP deduction shows help with benefit was given.
    items.push(step_item(referral, support_words(a)));
    items.push(arrangement_item(case));
    items
}

/// A protocol step as cases.csv records it.
struct CaseStep {
    item: &'static str,
    recorded: usize,
    last: Option<NaiveDate>,
    what: &'static str,
}

/// Passed where the case file records the step (or `shown`, what the
/// ledger shows of it, stands in), failed where nothing does.
fn step_item(step: CaseStep, shown: Option<String>) -> CheckItem {
    let CaseStep {
        item,
        recorded: n,
        last,
        what,
    } = step;
    match (last, shown) {
        (None, Some(words)) => answered(item, words, false),
        (Some(d), _) => answered(
            item,
            format!("{n} {what}{} recorded, the latest on {d}", plural(n)),
            false,
        ),
        (None, None) => answered(item, format!("no {what} recorded in the case file"), true),
    }
}

/// Passed where an arrangement is or was recorded, failed where none was.
fn arrangement_item(case: &CaseFacts) -> CheckItem {
    let item = "an affordable repayment agreement considered";
    match &case.arrangement {
        Some(arr) => answered(item, case::arrangement_words(arr), false),
        None if case.arrangements > 0 => answered(
            item,
            format!(
                "{} arrangement{} recorded, none in force now",
                case.arrangements,
                plural(case.arrangements)
            ),
            false,
        ),
        None => answered(
            item,
            "no arrangement recorded in the case file".to_string(),
            true,
        ),
    }
}

/// Help from the state the ledger shows: a DHP, DWP deductions.
pub(super) fn support_words(a: &Assessment) -> Option<String> {
    let s = &a.support;
    let mut said = Vec::new();
    if let Some((paid, last)) = s.dhp {
        said.push(format!(
            "Discretionary Housing Payments of {} in the last 12 months, the latest on {last}",
            pounds(paid)
        ));
    }
    if let Some((paid, last)) = s.deductions {
        said.push(format!(
            "DWP deductions from benefit of {} in the last 12 months, the latest on {last}",
            pounds(paid)
        ));
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// What the case adds to a verdict that its holds do not already say: a
/// broken arrangement, a lapsed notice, and (where the verdict is not a
/// protocol hold) the obstacles themselves.
pub(super) fn case_sentences(a: &Assessment, case: &CaseFacts) -> String {
    let mut said = Vec::new();
    if a.status != Status::ProtocolHold {
        said.extend(
            a.holds
                .iter()
                .filter(|h| {
                    matches!(
                        h.reason,
                        HoldReason::BreathingSpace
                            | HoldReason::CourtOrder
                            | HoldReason::NospInForce
                            | HoldReason::ArrangementKept
                    )
                })
                .map(|h| capitalised(&h.detail)),
        );
    }
    if let Some(arr) = case.arrangement.as_ref().filter(|x| !x.kept()) {
        said.push(capitalised(&case::arrangement_words(arr)));
    }
    if let Some(case::NospState::Lapsed { served, lapsed_on }) = case.nosp {
        said.push(format!(
            "The NOSP served on {served} lapsed on {lapsed_on}: proceedings would need a new notice"
        ));
    }
    said.iter().map(|s| format!(" {s}.")).collect()
}

/// A tenant name that holds two people or more ("Ann & Bob Lee", "Lee A
/// and B").
pub(super) fn joint(name: &str) -> bool {
    name.contains('&')
        || name
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"))
}

pub(super) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An item that fails, and holds, where the run has a doubt of its kind.
pub(super) fn doubt_item(item: &'static str, doubt: Option<String>) -> CheckItem {
    match doubt {
        Some(words) => answered(item, words, true),
        None => answered(item, "none found".to_string(), false),
    }
}

/// What the law leaves out as Universal Credit not yet paid, in words.
pub(super) fn uc_left_out(a: &Assessment) -> String {
    // Without an outlook of the landlord's runs, the technical part is
    // Universal Credit paid to the tenant: the part the law leaves out.
    let landlord_runs = a.benefit.is_some() || a.first_run.is_some();
    let technical = if landlord_runs {
        a.technical_arrears
    } else {
        Decimal::ZERO
    };
    let left_out = a.rent_arrears - technical - a.statutory_arrears;
    if a.statutory.excludes_unpaid_uc && left_out > Decimal::ZERO {
        format!(
            ", {} owed only because Universal Credit is not yet paid left out",
            pounds(left_out)
        )
    } else {
        String::new()
    }
}

/// Passed where the arrears reach a mandatory ground's threshold, failed
/// where they do not (the discretionary grounds remain), and for the
/// officer where the tenancy has no mandatory ground.
pub(super) fn statutory_item(a: &Assessment) -> CheckItem {
    let item = "arrears reach the statutory threshold on the day";
    match (a.statutory.threshold, a.reaches_statutory) {
        (Some(t), Some(r)) => CheckItem {
            item,
            answer: Some(format!(
                "{}: {} against {}{} ({})",
                yes_no(r),
                pounds(a.statutory_arrears),
                pounds(t),
                uc_left_out(a),
                a.statutory.basis
            )),
            tick: if r { Tick::Passed } else { Tick::Failed },
            outstanding: false,
        },
        _ => confirm(item, Some(a.statutory.basis.to_string())),
    }
}

pub(super) fn benefit_item(a: &Assessment) -> CheckItem {
    let item = "benefit paid in arrears taken into account";
    if let Some(h) = held_for(a, HoldReason::BenefitStopped)
        .or_else(|| held_for(a, HoldReason::BenefitNotYetPaid))
    {
        return answered(item, h, true);
    }
    match &a.benefit {
        Some(b) if a.technical_arrears > Decimal::ZERO => answered(
            item,
            format!(
                "{} of the arrears is benefit not yet due; next run expected {}",
                pounds(a.technical_arrears),
                b.next_expected
            ),
            true,
        ),
        Some(b) => answered(
            item,
            format!(
                "no benefit outstanding; next run expected {}",
                b.next_expected
            ),
            false,
        ),
        None => answered(
            item,
            "no benefit is paid to the landlord".to_string(),
            false,
        ),
    }
}

/// The court expects a statement covering the last two years.
pub(super) fn statement_item(as_at: NaiveDate, first: NaiveDate) -> CheckItem {
    let two_years = as_at
        .checked_sub_months(Months::new(24))
        .unwrap_or(NaiveDate::MIN);
    let item = "rent statement for the last 2 years";
    if first <= two_years {
        answered(
            item,
            "the data covers it (`check --statement`)".to_string(),
            false,
        )
    } else {
        CheckItem {
            item,
            answer: Some(format!(
                "the data starts {first}: the statement covers less than 2 years; add the earlier ledger"
            )),
            tick: Tick::Failed,
            outstanding: false,
        }
    }
}
