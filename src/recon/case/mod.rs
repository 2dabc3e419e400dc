//! The case around an account (cases.csv): payment arrangements, possession
//! orders, NOSPs already served, Breathing Space, contacts and benefit
//! referrals, and what each means for a NOSP on a given day. No I/O.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;

use rustc_hash::FxHashMap as HashMap;

use super::model::{
    vocabulary, AccountId, Benefit, Dataset, PostingKind, RowRef, TenancyType, Text,
};
use super::money::{from_pence, pounds, to_pennies};

mod arrangement;

pub use arrangement::*;

vocabulary!(
    /// The contract's case event kinds.
    CaseKind {
        Arrangement => "arrangement",
        NospServed => "nosp_served",
        CourtOrder => "court_order",
        BreathingSpace => "breathing_space",
        Contact => "contact",
        BenefitReferral => "benefit_referral",
    }
);

vocabulary!(
    /// The possession orders a court makes on rent arrears.
    OrderKind {
        Outright => "outright",
        Suspended => "suspended",
        Postponed => "postponed",
        AdjournedOnTerms => "adjourned_on_terms",
    }
);

/// One row of cases.csv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvent {
    pub account: AccountId,
    pub kind: CaseKind,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub note: Option<Text>,
    pub row: RowRef,
}

impl CaseEvent {
    /// A court order's kind, read from the start of its note ("Suspended
    /// order, £5 a week" is suspended); `None` where the note names none.
    pub fn order_kind(&self) -> Option<OrderKind> {
        let note = self.note.as_deref()?.trim().to_ascii_lowercase();
        let words: String = note
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        OrderKind::ALL
            .iter()
            .copied()
            .find(|k| words.starts_with(k.as_str()))
    }
}

/// Days a NOSP must wait before proceedings may begin.
pub const NOSP_ACTIVE_AFTER_DAYS: u64 = 28;
/// Months a NOSP stays valid after the day proceedings could begin.
pub const NOSP_VALID_MONTHS: u32 = 12;
/// Days after a rent period ends within which a payment still counts for it.
pub const INSTALMENT_GRACE_DAYS: u64 = 7;

/// Where a NOSP already served stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NospState {
    /// Served, but its notice period has not run: proceedings may begin
    /// from `active_from`.
    NotYetActive {
        served: NaiveDate,
        active_from: NaiveDate,
    },
    /// In force: proceedings may begin on it until `until`.
    InForce { served: NaiveDate, until: NaiveDate },
    /// Lapsed on `lapsed_on`: a new notice would be needed.
    Lapsed {
        served: NaiveDate,
        lapsed_on: NaiveDate,
    },
}

/// How an arrangement's or an order's instalments have been kept: the
/// balance at the end of each rent period since it began (with payments
/// made within the grace after it) against the balance it should have
/// come down to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instalments {
    pub from: NaiveDate,
    /// The first period judged: where the ledger begins, if after `from`.
    pub judged_from: NaiveDate,
    /// The agreed amount as written in cases.csv.
    pub amount: Decimal,
    /// What the arrears should come down by each period (the amount, or
    /// the amount less the rent where the amount includes the rent).
    pub towards_arrears: Decimal,
    /// Rent periods judged so far (ended, with their grace, by the day).
    pub periods: usize,
    /// The first day of each period that ended above the agreed balance.
    pub missed: Vec<NaiveDate>,
    /// The balance when the arrangement began.
    pub start_balance: Decimal,
    /// At the end of the last period judged: the balance agreed (benefit
    /// owed in arrears left out), the posted balance, and what is allowed
    /// against it (payments up to a week late, benefit in arrears).
    pub expected: Decimal,
    pub actual: Decimal,
    pub allowed: Decimal,
}

impl Instalments {
    /// Kept: the last period judged ended at or below the agreed balance
    /// (or none has been judged yet).
    pub fn kept(&self) -> bool {
        self.periods == 0 || self.actual - self.allowed <= self.expected
    }
}

/// A possession order and how its terms are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub made: NaiveDate,
    /// `None`: the note names no kind of order.
    pub kind: Option<OrderKind>,
    /// For an order with instalments.
    pub terms: Option<Instalments>,
    pub row: RowRef,
}

/// An account's case on the day a notice would be served.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// A moratorium covering the day: from, to (none: no end given).
    pub breathing_space: Option<(NaiveDate, Option<NaiveDate>)>,
    /// The arrangement in force, judged.
    pub arrangement: Option<Instalments>,
    /// Arrangements ever recorded (an agreement was offered).
    pub arrangements: usize,
    pub order: Option<Order>,
    /// The latest NOSP served on or before the day.
    pub nosp: Option<NospState>,
    /// Contacts on or before the day: how many, the latest.
    pub contacts: usize,
    pub last_contact: Option<NaiveDate>,
    /// Benefit referrals on or before the day: how many, the latest.
    pub referrals: usize,
    pub last_referral: Option<NaiveDate>,
    /// The rows these facts were read from.
    pub evidence: Vec<RowRef>,
}

/// What judging a case needs besides the events: the account's postings
/// in date order, the dates the money behind late postings arrived, the
/// as-at date (the data's end) and the day of service.
#[derive(Clone, Copy)]
pub struct Judging<'a> {
    pub own: &'a [u32],
    /// Posting index to the day its money arrived, for postings made late.
    pub paid_on: &'a HashMap<u32, NaiveDate>,
    pub as_at: NaiveDate,
    pub on: NaiveDate,
}

/// The account's case on the day of service. Anything that stands in the
/// way of a notice counts if it is not over by the as-at date, whenever it
/// began: a moratorium, an order or a notice recorded after the as-at date
/// is as real on the day of service. Arrangements and orders are judged
/// on the ledger up to the as-at date. A protocol step (contact, referral,
/// an agreement offered) counts up to the day, and from the ledger's start
/// where the account owed nothing then.
pub fn judge(data: &Dataset, id: AccountId, j: Judging<'_>) -> Option<CaseFacts> {
    let events = data.cases_of(id);
    if events.is_empty() {
        return None;
    }
    // Where the account owed nothing when its ledger starts, a step taken
    // before that (under an earlier tenancy, or about debts since paid) is
    // not a step about these arrears.
    let account = data.account(id);
    let since = (account.opening_balance <= Decimal::ZERO).then_some(account.opening_date);
    let began = |e: &&CaseEvent| e.from <= j.on && since.is_none_or(|s| e.from >= s);
    let live = |e: &&CaseEvent| e.to.is_none_or(|t| t >= j.as_at);
    let of = |kind: CaseKind| events.iter().filter(move |e| e.kind == kind);
    let mut facts = CaseFacts {
        evidence: events.iter().map(|e| e.row).collect(),
        ..CaseFacts::default()
    };
    facts.breathing_space = of(CaseKind::BreathingSpace)
        .rfind(live)
        .map(|e| (e.from, e.to));
    facts.arrangements = of(CaseKind::Arrangement).filter(began).count();
    facts.arrangement = of(CaseKind::Arrangement)
        .rfind(live)
        .and_then(|e| instalments(data, id, e, j, false));
    // An outright order's `to` may be its possession date: it stands.
    facts.order = of(CaseKind::CourtOrder)
        .rfind(|e| live(e) || e.order_kind() == Some(OrderKind::Outright))
        .map(|e| Order {
            made: e.from,
            kind: e.order_kind(),
            terms: (e.order_kind() != Some(OrderKind::Outright))
                .then(|| instalments(data, id, e, j, true))
                .flatten(),
            row: e.row,
        });
    let tenancy = data.account(id).tenancy_type;
    facts.nosp = of(CaseKind::NospServed)
        .next_back()
        .map(|e| nosp_state(e, tenancy, j.on));
    for e in events.iter().filter(began) {
        match e.kind {
            CaseKind::Contact => {
                facts.contacts += 1;
                facts.last_contact = Some(e.from);
            }
            CaseKind::BenefitReferral => {
                facts.referrals += 1;
                facts.last_referral = Some(e.from);
            }
            _ => {}
        }
    }
    Some(facts)
}

/// A NOSP served on `from`: active after its notice period; valid for
/// twelve months from service for an assured tenancy (Housing Act 1988
/// s.8(3)(c)), from the day proceedings could begin for a secure one
/// (Housing Act 1985 s.83(3)); or until its `to`, where one is given.
fn nosp_state(e: &CaseEvent, tenancy: TenancyType, on: NaiveDate) -> NospState {
    let served = e.from;
    let active_from = served
        .checked_add_days(Days::new(NOSP_ACTIVE_AFTER_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let counted_from = match tenancy {
        TenancyType::Secure | TenancyType::Introductory => active_from,
        _ => served,
    };
    let until = e.to.unwrap_or_else(|| {
        counted_from
            .checked_add_months(Months::new(NOSP_VALID_MONTHS))
            .unwrap_or(NaiveDate::MAX)
    });
    if on < active_from {
        NospState::NotYetActive {
            served,
            active_from,
        }
    } else if on <= until {
        NospState::InForce { served, until }
    } else {
        NospState::Lapsed {
            served,
            lapsed_on: until,
        }
    }
}

/// Days after a period's end in which benefit paid to the landlord in
/// arrears still counts for it: a cycle and a week.
fn benefit_lag_days(benefit: Benefit) -> u64 {
    match benefit {
        Benefit::None => 0,
        Benefit::Hb => 28 + INSTALMENT_GRACE_DAYS,
        Benefit::Uc => 31 + INSTALMENT_GRACE_DAYS,
    }
}

/// A possession order in force and what it means for a notice.
pub fn order_words(order: &Order) -> String {
    let kind = order.kind.map_or("possession", |k| match k {
        OrderKind::Outright => "outright possession",
        OrderKind::Suspended => "suspended possession",
        OrderKind::Postponed => "postponed possession",
        OrderKind::AdjournedOnTerms => "adjourned-on-terms",
    });
    let made = format!(
        "a{} {kind} order was made on {}",
        if kind.starts_with(['a', 'o']) {
            "n"
        } else {
            ""
        },
        order.made
    );
    match (&order.kind, &order.terms) {
        (Some(OrderKind::Outright), _) => {
            format!("{made}: enforce it (a warrant), not a new notice")
        }
        (_, Some(terms)) => format!(
            "{made} on terms of the rent and {}, which {}: {}",
            asks(terms),
            standing(terms).replacen("is ", "are ", 1),
            if terms.kept() {
                "no step while they are kept"
            } else {
                "enforce through the order (apply for a warrant), not a new notice"
            }
        ),
        (_, None) => format!(
            "{made}{}: act through the order, not a new notice",
            if order.kind.is_none() {
                " (its kind is not recorded)"
            } else {
                ""
            }
        ),
    }
}

/// One event as a timeline names it: "arrangement of £10.00 a rent period
/// to 2026-09-01", "NOSP served", "Breathing Space to 2026-07-13".
pub fn event_words(e: &CaseEvent) -> String {
    let what = match e.kind {
        CaseKind::Arrangement => "payment arrangement",
        CaseKind::NospServed => "NOSP served",
        CaseKind::CourtOrder => "possession order",
        CaseKind::BreathingSpace => "Breathing Space moratorium",
        CaseKind::Contact => "contact with the tenant",
        CaseKind::BenefitReferral => "benefit referral",
    };
    let mut words = what.to_string();
    if let Some(amount) = e.amount.filter(|a| !a.is_zero()) {
        words.push_str(&format!(" of {} a rent period", pounds(amount)));
    }
    if let Some(to) = e.to {
        words.push_str(&format!(" to {to}"));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recon::model::{AccountPostings, SourceFile};
    use crate::recon::testkit::{date, money, Builder};

    fn event(
        kind: CaseKind,
        from: &str,
        to: Option<&str>,
        amount: Option<&str>,
        note: &str,
    ) -> CaseEvent {
        CaseEvent {
            account: 0,
            kind,
            from: date(from),
            to: to.map(date),
            amount: amount.map(money),
            note: (!note.is_empty()).then(|| note.into()),
            row: RowRef {
                file: SourceFile::Cases,
                line: 2,
            },
        }
    }

    /// A weekly £100 account £500 behind on 2 March, charged every Monday
    /// of March and April, paying `paid(week)` each Monday.
    fn judged(amount: &str, paid: impl Fn(usize) -> &'static str, on: &str) -> Instalments {
        let mut b = Builder::default();
        let a = b.account("A1", "Ann Lee", "100.00");
        b.with(a, |acc| acc.opening_balance = money("500.00"));
        for week in 0..9 {
            let day = (date("2026-03-02") + Days::new(7 * week as u64)).to_string();
            b.charge(a, &day, "100.00");
            b.payment(a, &day, paid(week), None);
        }
        let e = event(CaseKind::Arrangement, "2026-03-02", None, Some(amount), "");
        b.data.cases = vec![e.clone()];
        let ledger = AccountPostings::build(&b.data);
        let paid_on = HashMap::default();
        let j = Judging {
            own: ledger.of(a),
            paid_on: &paid_on,
            as_at: date(on),
            on: date(on),
        };
        instalments(&b.data, a, &e, j, false).expect("an amount")
    }

    #[test]
    fn an_instalment_on_top_of_the_rent_brings_the_balance_down_each_period() {
        let kept = judged("20.00", |_| "120.00", "2026-05-04");
        assert!(kept.kept());
        assert_eq!(kept.towards_arrears, money("20.00"));
        // Weeks from 2 March whose end and week of grace fall by 4 May.
        assert_eq!(kept.periods, 8);
        assert_eq!(kept.expected, money("340.00"));
        assert!(kept.missed.is_empty());
        // Two weeks of rent only, then back on track but still behind.
        let broken = judged(
            "20.00",
            |w| if w == 2 || w == 3 { "100.00" } else { "120.00" },
            "2026-05-04",
        );
        assert!(!broken.kept());
        assert_eq!(broken.missed.first(), Some(&date("2026-03-16")));
        assert_eq!(broken.actual - broken.expected, money("40.00"));
    }

    /// `judged`'s account with `change` made to its data, judged with the
    /// as-at date `as_at` and service on `on`.
    fn judged_with(
        change: impl Fn(&mut Builder, AccountId) -> HashMap<u32, NaiveDate>,
        as_at: &str,
        on: &str,
    ) -> Instalments {
        let mut b = Builder::default();
        let a = b.account("A1", "Ann Lee", "100.00");
        b.with(a, |acc| acc.opening_balance = money("500.00"));
        let paid_on = change(&mut b, a);
        let e = event(CaseKind::Arrangement, "2026-03-02", None, Some("20.00"), "");
        b.data.cases = vec![e.clone()];
        let ledger = AccountPostings::build(&b.data);
        let j = Judging {
            own: ledger.of(a),
            paid_on: &paid_on,
            as_at: date(as_at),
            on: date(on),
        };
        instalments(&b.data, a, &e, j, false).expect("an amount")
    }

    /// Nine weeks charged and paid but for the weeks `skip`, judged so.
    fn judged_weekly(skip: &[u64], as_at: &str, on: &str) -> Instalments {
        judged_with(
            |b, a| {
                weeks(b, a, skip);
                HashMap::default()
            },
            as_at,
            on,
        )
    }

    fn weeks(b: &mut Builder, a: AccountId, skip: &[u64]) {
        for week in (0..9u64).filter(|w| !skip.contains(w)) {
            let day = (date("2026-03-02") + Days::new(7 * week)).to_string();
            b.charge(a, &day, "100.00");
            b.payment(a, &day, "120.00", None);
        }
    }

    #[test]
    fn what_the_tenant_cannot_help_does_not_break_an_arrangement() {
        // Two rent-free weeks, neither charged nor paid: no instalment due.
        let rent_free = judged_weekly(&[3, 4], "2026-05-04", "2026-05-04");
        assert!(rent_free.kept(), "{rent_free:?}");
        // A repair recharged to the rent account is sundry debt, not rent.
        let recharged = judged_with(
            |b, a| {
                weeks(b, a, &[]);
                let p = b.charge(a, "2026-03-20", "250.00");
                b.data.postings[p].charge_type = crate::recon::model::ChargeType::Recharge;
                HashMap::default()
            },
            "2026-05-04",
            "2026-05-04",
        );
        assert!(recharged.kept(), "{recharged:?}");
        // A payment of 16 March posted on 14 April counts on 16 March.
        let late = judged_with(
            |b, a| {
                weeks(b, a, &[2]);
                b.charge(a, "2026-03-16", "100.00");
                let p = b.payment(a, "2026-04-14", "120.00", None);
                HashMap::from_iter([(p as u32, date("2026-03-16"))])
            },
            "2026-05-04",
            "2026-05-04",
        );
        assert!(late.missed.is_empty(), "{late:?}");
        // A notice served after the data ends judges only what the data
        // covers: the weeks after it are not missed.
        let later = judged_weekly(&[], "2026-05-04", "2026-08-31");
        assert_eq!(later.periods, 8);
        assert!(later.kept());
    }

    #[test]
    fn an_amount_of_at_least_the_rent_is_the_whole_payment() {
        let a = judged("120.00", |_| "120.00", "2026-05-04");
        assert_eq!(a.towards_arrears, money("20.00"));
        assert!(a.kept());
        let a = judged("120.00", |_| "110.00", "2026-05-04");
        assert!(!a.kept());
        // The first week's £10 short is met by the week of grace, in which
        // the balance falls £10 more; from the second the gap outruns it.
        assert_eq!(a.missed.len(), 7);
        assert_eq!(a.missed.first(), Some(&date("2026-03-09")));
    }

    #[test]
    fn a_new_arrangement_is_too_new_to_judge_and_counts_as_kept() {
        let a = judged("20.00", |_| "0.00", "2026-03-10");
        assert_eq!(a.periods, 0);
        assert!(a.kept());
    }

    #[test]
    fn a_nosp_is_active_after_28_days_and_lapses_12_months_later() {
        let nosp = event(CaseKind::NospServed, "2026-01-05", None, None, "");
        let nosp_state = |n: &CaseEvent, on| nosp_state(n, TenancyType::Secure, on);
        assert_eq!(
            nosp_state(&nosp, date("2026-02-01")),
            NospState::NotYetActive {
                served: date("2026-01-05"),
                active_from: date("2026-02-02")
            }
        );
        assert_eq!(
            nosp_state(&nosp, date("2027-02-02")),
            NospState::InForce {
                served: date("2026-01-05"),
                until: date("2027-02-02")
            }
        );
        assert_eq!(
            nosp_state(&nosp, date("2027-02-03")),
            NospState::Lapsed {
                served: date("2026-01-05"),
                lapsed_on: date("2027-02-02")
            }
        );
    }

    #[test]
    fn an_assured_tenancy_s_nosp_lapses_12_months_after_service() {
        let nosp = event(CaseKind::NospServed, "2026-01-05", None, None, "");
        assert_eq!(
            nosp_state(&nosp, TenancyType::Assured, date("2027-01-06")),
            NospState::Lapsed {
                served: date("2026-01-05"),
                lapsed_on: date("2027-01-05")
            }
        );
    }

    #[test]
    fn an_order_is_known_by_its_note_and_unknown_kinds_still_hold() {
        let order = |note| event(CaseKind::CourtOrder, "2026-01-05", None, None, note).order_kind();
        assert_eq!(
            order("Suspended possession order"),
            Some(OrderKind::Suspended)
        );
        assert_eq!(
            order("adjourned on terms"),
            Some(OrderKind::AdjournedOnTerms)
        );
        assert_eq!(order("OUTRIGHT"), Some(OrderKind::Outright));
        assert_eq!(order("money judgment"), None);
        assert_eq!(order(""), None);
    }

    #[test]
    fn judge_reads_the_moratorium_over_the_days_to_service() {
        let mut b = Builder::default();
        let a = b.account("A1", "Ann Lee", "100.00");
        b.data.cases = vec![
            event(
                CaseKind::BreathingSpace,
                "2026-05-01",
                Some("2026-05-31"),
                None,
                "",
            ),
            event(CaseKind::Contact, "2026-04-01", None, None, "letter"),
        ];
        let ledger = AccountPostings::build(&b.data);
        let paid_on = HashMap::default();
        let on = |as_at, serve| {
            let j = Judging {
                own: ledger.of(a),
                paid_on: &paid_on,
                as_at: date(as_at),
                on: date(serve),
            };
            judge(&b.data, a, j)
        };
        let space = on("2026-05-20", "2026-05-20").expect("a case");
        assert_eq!(space.breathing_space.map(|s| s.0), Some(date("2026-05-01")));
        assert_eq!(
            (space.contacts, space.last_contact),
            (1, Some(date("2026-04-01")))
        );
        // Ended before the as-at date: no longer in the way.
        assert_eq!(
            on("2026-06-01", "2026-06-01")
                .expect("a case")
                .breathing_space,
            None
        );
        // Begins before the notice would be served: in the way.
        assert!(on("2026-04-20", "2026-05-04")
            .expect("a case")
            .breathing_space
            .is_some());
    }

    #[test]
    fn a_protocol_step_before_the_tenancy_began_is_not_counted() {
        let mut b = Builder::default();
        let a = b.account("A1", "Ann Lee", "100.00");
        b.data.cases = vec![
            event(CaseKind::Contact, "2025-01-10", None, None, "letter"),
            event(CaseKind::BenefitReferral, "2025-01-10", None, None, ""),
            event(CaseKind::Contact, "2026-03-02", None, None, "call"),
        ];
        let ledger = AccountPostings::build(&b.data);
        let paid_on = HashMap::default();
        let j = Judging {
            own: ledger.of(a),
            paid_on: &paid_on,
            as_at: date("2026-03-31"),
            on: date("2026-03-31"),
        };
        let facts = judge(&b.data, a, j).expect("a case");
        assert_eq!(
            (facts.contacts, facts.last_contact),
            (1, Some(date("2026-03-02")))
        );
        assert_eq!((facts.referrals, facts.last_referral), (0, None));
    }
}
