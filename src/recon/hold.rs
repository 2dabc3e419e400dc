//! Why an account whose arrears reach the trigger is not cleared for a NOSP:
//! the contract's hold reasons, each with what it means and what would clear
//! it, in one exhaustive match so that a new reason is one arm.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::conflict::PayerConflict;
use super::finding::{Finding, FindingKind};
use super::identify;
use super::matching::Matching;
use super::model::vocabulary;
use super::model::{AccountId, RowRef};
use super::warning::{Scope, Warning};

vocabulary!(
    /// The contract's hold reasons, in the order a verdict names them.
    HoldReason {
        FormerTenant => "former_tenant",
        BreathingSpace => "breathing_space",
        CourtOrder => "court_order",
        NospInForce => "nosp_in_force",
        ArrangementKept => "arrangement_kept",
        PayerDeceased => "payer_deceased",
        IntroductoryTenancy => "introductory_tenancy",
        NotANospTenancy => "not_a_nosp_tenancy",
        ReceiptInSuspense => "receipt_in_suspense",
        PayerConflict => "payer_conflict",
        IncompleteData => "incomplete_data",
        Vulnerable => "vulnerable",
        BenefitClaimPending => "benefit_claim_pending",
        OpenDispute => "open_dispute",
        UnresolvedFinding => "unresolved_finding",
        TechnicalArrears => "technical_arrears",
        BenefitNotYetPaid => "benefit_not_yet_paid",
        BenefitStopped => "benefit_stopped",
        RecentDdReturn => "recent_dd_return",
        PaidSinceAsAt => "paid_since_as_at",
    }
);

impl HoldReason {
    /// What the reason means, for the verdict, where the account's own facts
    /// add nothing to it.
    pub fn meaning(self) -> &'static str {
        match self {
            HoldReason::FormerTenant => {
                "the tenancy has ended: what is owed is former-tenant arrears, never grounds for a NOSP"
            }
            HoldReason::BreathingSpace => {
                "a Breathing Space moratorium is in force: any enforcement step taken during it is void"
            }
            HoldReason::CourtOrder => {
                "a possession order is in force: act through it, not by a new notice"
            }
            HoldReason::NospInForce => {
                "a NOSP already served is in force or about to be: the next step is not another notice"
            }
            HoldReason::ArrangementKept => {
                "a payment arrangement is being kept (the Protocol: do not proceed while it is kept)"
            }
            HoldReason::PayerDeceased => {
                "a Direct Debit came back because the payer has died: a succession matter"
            }
            HoldReason::IntroductoryTenancy => {
                "an introductory tenancy ends by a Housing Act 1996 s.128 notice, not a NOSP"
            }
            HoldReason::NotANospTenancy => {
                "a licence, or a tenancy type the run does not know: a NOSP may not be the route"
            }
            HoldReason::ReceiptInSuspense => "money in suspense may be this tenant's",
            HoldReason::PayerConflict => {
                "a receipt's reference and its payer name point at different accounts"
            }
            HoldReason::IncompleteData => {
                "the run could not check everything this account depends on"
            }
            HoldReason::Vulnerable => {
                "a vulnerability is recorded (take it into account before any step)"
            }
            HoldReason::BenefitClaimPending => "a benefit claim is pending with evidence supplied",
            HoldReason::OpenDispute => "a complaint or dispute about the account is open",
            HoldReason::UnresolvedFinding => "a finding on the account is not yet resolved",
            HoldReason::TechnicalArrears => {
                "some of the arrears is benefit paid in arrears and not yet due"
            }
            HoldReason::BenefitNotYetPaid => "a new benefit claim's first payment is not yet due",
            HoldReason::BenefitStopped => "the benefit run is overdue",
            HoldReason::RecentDdReturn => "a Direct Debit was returned recently",
            HoldReason::PaidSinceAsAt => "money has come in since the as-at date",
        }
    }

    /// What would clear the hold.
    pub fn clears_when(self) -> &'static str {
        match self {
            HoldReason::FormerTenant => {
                "never: recover the debt as former-tenant arrears (a letter, an agreement, the small claims court)"
            }
            HoldReason::BreathingSpace => {
                "the moratorium ends (the creditor is told by the Insolvency Service): then review the account again"
            }
            HoldReason::CourtOrder => {
                "never by a new NOSP: where the order's terms are broken, apply to enforce it (a warrant)"
            }
            HoldReason::NospInForce => {
                "never by another NOSP while this one is in force: decide whether to begin proceedings on it"
            }
            HoldReason::ArrangementKept => {
                "the arrangement is broken (a rent period ends above the agreed balance) or DWP's deductions stop, and the tenant has been contacted"
            }
            HoldReason::PayerDeceased => {
                "who succeeds to the tenancy is settled (or it is ended) and the holder confirmed"
            }
            HoldReason::IntroductoryTenancy => {
                "never by a NOSP: serve a notice of proceedings under s.128, with the right to a review (s.129)"
            }
            HoldReason::NotANospTenancy => {
                "the occupancy is confirmed as a secure or assured tenancy (and tenancy_type corrected); a \
                 licence ends by notice to quit or its own terms, never a NOSP"
            }
            HoldReason::ReceiptInSuspense => {
                "trace the receipt with the payer and post it, or record that it is not this tenant's"
            }
            HoldReason::PayerConflict => "confirm with the payer which account the money was for",
            HoldReason::IncompleteData => "supply what the warning names and run again",
            HoldReason::Vulnerable => "a risk assessment / EIA that considers the vulnerability",
            HoldReason::BenefitClaimPending => "the claim is decided",
            HoldReason::OpenDispute => "the complaint or dispute is resolved",
            HoldReason::UnresolvedFinding => "the findings are put right on the ledger",
            HoldReason::TechnicalArrears => "the next benefit run is received",
            HoldReason::BenefitNotYetPaid => "the first benefit payment arrives, or falls overdue",
            HoldReason::BenefitStopped => {
                "contact the HB office or DWP (the Pre-Action Protocol asks for this) and help the tenant with the claim"
            }
            HoldReason::RecentDdReturn => "the tenant has had time to pay another way",
            HoldReason::PaidSinceAsAt => "the account is assessed as at the day the notice would be served",
        }
    }
}

/// One reason an account is held, with the account's own facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub reason: HoldReason,
    /// What stands in the way on this account, in an officer's words.
    pub detail: String,
}

impl Hold {
    pub fn new(reason: HoldReason, detail: impl Into<String>) -> Hold {
        Hold {
            reason,
            detail: detail.into(),
        }
    }

    /// The hold and what would clear it, as a verdict gives it.
    pub fn sentence(&self) -> String {
        format!(
            "{} (clears when: {})",
            self.detail,
            self.reason.clears_when()
        )
    }
}

/// Money in suspense, or posted elsewhere, that may be an account's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lead {
    /// The bank line.
    pub bank: usize,
    /// The receipt's amount (positive).
    pub amount: Decimal,
    /// The evidence points to this account alone (the payer is the tenant by
    /// full name, or the reference is its number with one keying slip).
    pub strong: bool,
    /// Why it may be this tenant's.
    pub reason: String,
    /// Where it was posted, if it was.
    pub posted_to: Option<AccountId>,
}

/// What in the run points against one account's arrears, besides its own
/// findings and flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doubts {
    pub leads: Vec<Lead>,
    pub conflicts: Vec<PayerConflict>,
    /// Warnings that concern the account, by index.
    pub warnings: Vec<usize>,
    /// Money identified to the account that arrived after the as-at date.
    pub paid_since: Vec<PaidSince>,
}

/// Money that names an account and arrived after the as-at date: a bank
/// line, the account's share of a bulk line, or a credit the ledger posted
/// to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaidSince {
    pub account: AccountId,
    pub date: NaiveDate,
    /// The bank line, or the ledger row, that shows it.
    pub row: RowRef,
    /// The line's amount, the account's share of it, or the credit's.
    pub amount: Decimal,
}

/// Each account's doubts, held only for the few accounts that have any
/// (a vector of an empty one per account was a large part of assessing).
#[derive(Default)]
pub struct AllDoubts {
    /// Per account: 0 for none, else its place in `of` plus one.
    slot: Vec<u32>,
    of: Vec<Doubts>,
    /// Warnings that concern every account.
    every: Vec<usize>,
    none: Doubts,
}

impl AllDoubts {
    fn entry(&mut self, account: AccountId) -> &mut Doubts {
        let slot = &mut self.slot[account as usize];
        if *slot == 0 {
            self.of.push(Doubts::default());
            *slot = self.of.len() as u32;
        }
        &mut self.of[*slot as usize - 1]
    }

    /// The account's doubts, with the warnings that concern every account.
    pub fn of(&self, account: AccountId) -> std::borrow::Cow<'_, Doubts> {
        let own = match self.slot[account as usize] {
            0 => &self.none,
            n => &self.of[n as usize - 1],
        };
        if self.every.is_empty() {
            return std::borrow::Cow::Borrowed(own);
        }
        let mut d = own.clone();
        d.warnings.extend(&self.every);
        d.warnings.sort_unstable();
        std::borrow::Cow::Owned(d)
    }
}

/// Each account's doubts: every suspense receipt that suggests it, every
/// payer conflict it is in, every warning that concerns it.
pub fn doubts(
    accounts: usize,
    findings: &[Finding],
    matching: &Matching,
    warnings: &[Warning],
    paid_since: &[PaidSince],
) -> AllDoubts {
    let mut doubts = AllDoubts {
        slot: vec![0; accounts],
        ..AllDoubts::default()
    };
    for paid in paid_since {
        doubts.entry(paid.account).paid_since.push(*paid);
    }
    for f in findings {
        let (FindingKind::UnidentifiedReceipt, Some(bank)) = (f.kind, f.bank) else {
            continue;
        };
        let strong = identify::strong_and_unique(&f.suggestions);
        for s in &f.suggestions {
            doubts.entry(s.account).leads.push(Lead {
                bank,
                amount: -f.amount,
                strong: strong.first().is_some_and(|one| one.account == s.account),
                reason: s.reason.clone(),
                posted_to: None,
            });
        }
    }
    for (a, lead) in &matching.leads {
        doubts.entry(*a).leads.push(lead.clone());
    }
    let conflicts = &matching.conflicts;
    for c in conflicts {
        doubts.entry(c.by_reference).conflicts.push(*c);
        doubts.entry(c.by_payer).conflicts.push(*c);
    }
    for (w, warning) in warnings.iter().enumerate() {
        match &warning.scope {
            Scope::Every => doubts.every.push(w),
            Scope::Accounts(ids) => ids.iter().for_each(|&a| doubts.entry(a).warnings.push(w)),
        }
    }
    doubts
}
