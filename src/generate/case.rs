//! The case around an account, written to cases.csv: payment arrangements
//! kept and broken, Breathing Space, suspended and outright possession
//! orders, NOSPs served recently and long lapsed, and contacts and benefit
//! referrals, and the tenant's payments made to fit each.

use super::*;

/// The case planted on an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    None,
    /// A letter or a benefit referral only: steps taken, nothing held.
    Contacted,
    ArrangementKept,
    /// Kept for three weeks, then rent only: judged on its money.
    ArrangementBroken,
    BreathingSpace,
    SuspendedOrder,
    OutrightOrder,
    /// Served days before the as-at date: not yet active, but in the way.
    NospRecent,
    /// Served fourteen months before the as-at date: a new notice is needed.
    NospLapsed,
}

/// The shapes in the order they are dealt: the four that hold first, so
/// that even a landlord of a few hundred accounts has one of each hold.
const DEALT: [Shape; 7] = [
    Shape::ArrangementKept,
    Shape::BreathingSpace,
    Shape::SuspendedOrder,
    Shape::NospRecent,
    Shape::ArrangementBroken,
    Shape::OutrightOrder,
    Shape::NospLapsed,
];

/// Weeks the tenant keeps a broken arrangement before paying rent only.
const KEPT_WEEKS: usize = 3;
/// Days from a broken arrangement's last instalment to the as-at date, at
/// the least: several periods missed, each ended with its week of grace.
const BROKEN_FOR_DAYS: u64 = 35;

impl Shape {
    /// The fail-safe hold the case puts on the account, as the rules read
    /// it on the as-at date.
    pub(super) fn hold(self) -> Option<&'static str> {
        match self {
            Shape::ArrangementKept => Some("arrangement_kept"),
            Shape::BreathingSpace => Some("breathing_space"),
            Shape::SuspendedOrder | Shape::OutrightOrder => Some("court_order"),
            Shape::NospRecent => Some("nosp_in_force"),
            Shape::None | Shape::Contacted | Shape::ArrangementBroken | Shape::NospLapsed => None,
        }
    }
}

/// What the tenant pays against one week's charge.
pub(super) enum Pays {
    Nothing,
    Rent,
    /// The rent and, while arrears remain, up to this much towards them.
    RentAnd(Decimal),
}

/// One account's case: its shape and the weeks that shape the money. A
/// case that moves money sits on a weekly account with no benefit and
/// nothing else planted, and the tenant's payments are made to fit it
/// (arrears from missed weeks, then the instalment on top of the rent), so
/// that each case has one right reading and its hold is exact.
#[derive(Clone, Copy, Debug)]
pub(super) struct CasePlan {
    pub(super) shape: Shape,
    /// The account's index: varies dates, amounts and notes between cases.
    i: usize,
    /// Charges on or after the first day and before the second go unpaid:
    /// the arrears the case is about.
    missed: (NaiveDate, NaiveDate),
    /// Charges on or after the first day and before the second are paid
    /// with the instalment on top: the arrangement or the order's terms.
    topped: (NaiveDate, NaiveDate),
    instalment: Decimal,
}

impl CasePlan {
    pub(super) fn none(i: usize) -> CasePlan {
        CasePlan {
            shape: Shape::None,
            i,
            missed: (NaiveDate::MAX, NaiveDate::MAX),
            topped: (NaiveDate::MAX, NaiveDate::MAX),
            instalment: Decimal::ZERO,
        }
    }

    /// Whether the case shapes the account's money: then nothing else may
    /// (no refund, return or sundry debt), or its reading is not exact.
    pub(super) fn moves_money(&self) -> bool {
        !matches!(self.shape, Shape::None | Shape::Contacted)
    }

    pub(super) fn pays(&self, due: NaiveDate) -> Pays {
        let within = |(from, to): (NaiveDate, NaiveDate)| from <= due && due < to;
        if within(self.missed) {
            Pays::Nothing
        } else if within(self.topped) {
            Pays::RentAnd(self.instalment)
        } else {
            Pays::Rent
        }
    }

    /// `shape` on account `i`, where the calendar has room for it: five
    /// to eight weeks unpaid from the second charge (about the landlord's
    /// trigger, as a case that reaches court is), the arrangement or order
    /// from the week after payments resume, a broken arrangement kept long
    /// enough before the end to be judged broken.
    fn of(shape: Shape, i: usize, cal: &Calendar) -> Option<CasePlan> {
        let weeks = &cal.weeks;
        let m = 5 + i % 4;
        let from = *weeks.get(m + 2)?;
        let topped = match shape {
            Shape::ArrangementKept | Shape::SuspendedOrder => (from, NaiveDate::MAX),
            Shape::ArrangementBroken => {
                let stop = *weeks.get(m + 2 + KEPT_WEEKS)?;
                (stop + Days::new(BROKEN_FOR_DAYS) <= cal.end).then_some((from, stop))?
            }
            Shape::NospLapsed => {
                // Its old arrangement is dated fourteen months back.
                lapsed_served(i, cal.end)?;
                (NaiveDate::MAX, NaiveDate::MAX)
            }
            _ => (NaiveDate::MAX, NaiveDate::MAX),
        };
        Some(CasePlan {
            shape,
            i,
            missed: (weeks[1], weeks[1 + m]),
            topped,
            instalment: Decimal::new(500 + 250 * (i % 5) as i64, 2),
        })
    }
}

/// The day a lapsed NOSP was served: fourteen months and a few days before
/// the end (an assured tenancy's notice lapses twelve months after service).
fn lapsed_served(i: usize, end: NaiveDate) -> Option<NaiveDate> {
    end.checked_sub_months(Months::new(14))?
        .checked_sub_days(Days::new((i % 30) as u64))
        .filter(|d| d.year() >= 1)
}

/// One row of cases.csv.
struct Event {
    kind: &'static str,
    from: NaiveDate,
    to: Option<NaiveDate>,
    amount: Option<Decimal>,
    note: &'static str,
}

impl Event {
    fn on(kind: &'static str, from: NaiveDate, note: &'static str) -> Event {
        Event {
            kind,
            from,
            to: None,
            amount: None,
            note,
        }
    }
}

impl Landlord<'_> {
    /// Account `i`'s case. Cases that move money are dealt at `--cases`
    /// per thousand accounts, evenly from a seeded start, each to the next
    /// account that can carry one exactly (`eligible`), in turn through
    /// [`DEALT`]; as many accounts again, by a seeded hash, have contacts
    /// or a benefit referral only.
    pub(super) fn case_for(&mut self, i: usize, eligible: bool) -> CasePlan {
        let per = self.args.cases.min(1000);
        let slot = |k: u64| (k + self.case_phase) * per / 1000;
        self.cases_owed += slot(i as u64 + 1) - slot(i as u64);
        if eligible && self.cases_owed > 0 {
            self.cases_owed -= 1;
            for k in 0..DEALT.len() {
                let shape = DEALT[(self.cases_dealt + k) % DEALT.len()];
                if let Some(plan) = CasePlan::of(shape, i, &self.cal) {
                    self.cases_dealt += k + 1;
                    return plan;
                }
            }
        }
        let salt = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let contacted = Rng(self.args.seed ^ 0x6361_7365 ^ salt).below(1000) < per;
        CasePlan {
            shape: if contacted {
                Shape::Contacted
            } else {
                Shape::None
            },
            ..CasePlan::none(i)
        }
    }

    /// Writes the account's case to cases.csv, and the hold it puts on
    /// the account to the truth.
    pub(super) fn case_events(&mut self, t: &Tenancy) -> Result<()> {
        let Some(sink) = self.w.cases.as_mut() else {
            return Ok(());
        };
        for e in events(&t.case, &self.cal, t.hb) {
            sink.write([
                t.account_ref.as_str(),
                e.kind,
                &e.from.to_string(),
                &e.to.map_or(String::new(), |d| d.to_string()),
                &e.amount.map_or(String::new(), plain),
                e.note,
            ])?;
        }
        if let Some(reason) = t.case.shape.hold() {
            self.truth.holds.push(HoldTruth {
                account_ref: t.account_ref.clone(),
                reason,
            });
        }
        Ok(())
    }
}

/// The rows of a case, in date order: for a case about arrears, the
/// letter and the referral that the protocol asks for first. (cases.csv
/// is in account order, as an income-management system exports it.)
fn events(c: &CasePlan, cal: &Calendar, hb: bool) -> Vec<Event> {
    let days = |d: NaiveDate, n: u64| d + Days::new(n);
    let mut out = Vec::new();
    if c.shape == Shape::Contacted {
        let span = (cal.end - cal.start).num_days().max(0) as u64 + 1;
        let on = days(cal.start, (c.i as u64 * 13) % span);
        out.push(if hb {
            Event::on(
                "benefit_referral",
                on,
                "Discretionary Housing Payment claim",
            )
        } else if c.i % 3 == 0 {
            Event::on("benefit_referral", on, "Referred for a benefit check")
        } else {
            Event::on("contact", on, "Rent statement and tenancy check call")
        });
        return out;
    }
    if !c.moves_money() {
        return out;
    }
    if c.shape == Shape::NospLapsed {
        out.extend(lapsed_history(c, cal.end));
    }
    let behind = c.missed.0;
    out.push(Event::on("contact", days(behind, 14), "Arrears letter 1"));
    out.push(Event::on(
        "benefit_referral",
        days(behind, 21),
        "Referred for money advice",
    ));
    out.extend(case_event(c, cal.end));
    if c.shape == Shape::ArrangementBroken {
        out.push(Event::on(
            "contact",
            days(c.topped.1, 14),
            "Letter: arrangement not kept",
        ));
    }
    out.sort_by_key(|e| e.from);
    out
}

/// The event that makes the case what it is.
fn case_event(c: &CasePlan, end: NaiveDate) -> Option<Event> {
    let i = c.i as u64;
    let from = c.topped.0;
    Some(match c.shape {
        Shape::ArrangementKept | Shape::ArrangementBroken => Event {
            amount: Some(c.instalment),
            ..Event::on("arrangement", from, "Weekly instalment towards the arrears")
        },
        Shape::SuspendedOrder => Event {
            amount: Some(c.instalment),
            ..Event::on(
                "court_order",
                from,
                "Suspended possession order: the rent and an instalment each week",
            )
        },
        // Made where the arrears began to be paid down; its `to` is the
        // possession date, which may be past: an outright order stands.
        Shape::OutrightOrder => {
            let made = c.missed.1 + Days::new(7);
            Event {
                to: Some(made + Days::new(28)),
                ..Event::on("court_order", made, "Outright possession order")
            }
        }
        // A standard moratorium runs 60 days; a mental health crisis one
        // has no end date.
        Shape::BreathingSpace => {
            let began = end - Days::new(10 + i % 20);
            Event {
                to: (i % 2 == 0).then(|| began + Days::new(59)),
                ..Event::on(
                    "breathing_space",
                    began,
                    if i % 2 == 0 {
                        "Standard moratorium"
                    } else {
                        "Mental health crisis moratorium"
                    },
                )
            }
        }
        Shape::NospRecent => {
            Event::on("nosp_served", end - Days::new(3 + i % 20), "Served by hand")
        }
        Shape::NospLapsed => Event::on("nosp_served", lapsed_served(c.i, end)?, "Served by post"),
        Shape::None | Shape::Contacted => return None,
    })
}

/// A lapsed NOSP's history: an arrangement made after it and ended long
/// before the as-at date (so none is in force now).
fn lapsed_history(c: &CasePlan, end: NaiveDate) -> Option<Event> {
    let served = lapsed_served(c.i, end)?;
    Some(Event {
        to: served.checked_add_months(Months::new(5)),
        amount: Some(c.instalment),
        ..Event::on(
            "arrangement",
            served + Days::new(14),
            "Weekly instalment towards the arrears",
        )
    })
}
