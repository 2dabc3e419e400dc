//! Rent lawfully due: how much of a balance is rent arrears and how much is
//! sundry debt (court costs, recharges, a refund paid out in error), by the
//! landlord's allocation rule. The grounds for possession count rent alone.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::finding::{Finding, FindingKind};
use super::model::{vocabulary, AccountId, AccountPostings, ChargeType, Dataset, PostingKind};
use super::money::{from_pence, pounds, to_pence};

vocabulary!(
    /// How a payment is split between rent and sundry debt: `rent-first`
    /// (every payment pays rent before anything else, the rule most
    /// favourable to a tenant facing a possession claim) or `oldest-first`
    /// (each payment pays the oldest debt still owed).
    Allocation {
        RentFirst => "rent-first",
        OldestFirst => "oldest-first",
    }
);

/// A balance split into rent arrears (negative: in credit) and sundry debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dues {
    pub rent: Decimal,
    pub sundry: Decimal,
}

/// Where a refund is recorded: a ledger posting, or a bank line paid out
/// with no ledger refund (an `unmatched_refund` finding puts it on the
/// corrected balance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundSource {
    Posting(usize),
    Bank(usize),
}

/// A refund that paid out more than the account held in credit that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundInError {
    pub source: RefundSource,
    pub date: NaiveDate,
    pub amount: i64,
    /// The credit the account held on the day, before the refund.
    pub held: i64,
    /// The part of the refund beyond that credit: a debt, not rent.
    pub excess: i64,
}

/// What the other findings of the run say that this module needs: the
/// postings they put right (not judged here), and money paid out from the
/// bank to an account with no ledger refund.
#[derive(Clone, Debug, Default)]
pub struct Context {
    named: Vec<usize>,
    /// (account, bank line), sorted.
    paid_out: Vec<(AccountId, usize)>,
    /// Debits the ledger posted for benefit taken back out of a run
    /// (however coded): an overpayment recovered is sundry debt, sorted.
    clawed: Vec<usize>,
}

impl Context {
    pub fn of(data: &Dataset, findings: &[Finding], clawed: &[usize]) -> Context {
        let mut named: Vec<usize> = (findings.iter())
            .filter(|f| f.kind != FindingKind::RefundInError)
            .flat_map(|f| f.postings.iter().copied())
            .collect();
        named.sort_unstable();
        named.dedup();
        let mut paid_out: Vec<(AccountId, usize)> = (findings.iter())
            .filter(|f| f.kind == FindingKind::UnmatchedRefund && f.amount > Decimal::ZERO)
            .filter_map(|f| Some((f.account?, f.bank?)))
            .filter(|&(_, b)| !data.bank[b].is_dd_return())
            .collect();
        paid_out.sort_unstable();
        Context {
            named,
            paid_out,
            clawed: clawed.to_vec(),
        }
    }

    /// Whether posting `p` is sundry debt: its charge type says so, or it
    /// was paired with benefit taken back.
    fn is_sundry(&self, data: &Dataset, p: usize) -> bool {
        data.postings[p].is_sundry_debit() || self.clawed.binary_search(&p).is_ok()
    }

    fn paid_out_to(&self, id: AccountId) -> &[(AccountId, usize)] {
        let from = self.paid_out.partition_point(|&(a, _)| a < id);
        let to = self.paid_out.partition_point(|&(a, _)| a <= id);
        &self.paid_out[from..to]
    }
}

/// One account's debts other than rent, as at a date, in pence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sundry {
    /// Sundry debt left unpaid in the posted balance under the rule.
    pub posted: i64,
    /// The same once refunds paid in error are counted as sundry debt.
    pub corrected: i64,
    pub refunds_in_error: Vec<RefundInError>,
}

impl Sundry {
    /// The sundry debt inside a balance: never more than the balance owes,
    /// so corrections in the tenant's favour pay rent first.
    pub fn split(owed: i64, balance: Decimal) -> Dues {
        let sundry = from_pence(i128::from(owed)).min(balance.max(Decimal::ZERO));
        Dues {
            rent: balance - sundry,
            sundry,
        }
    }

    /// `own`: the account's postings, oldest first.
    pub fn of(
        data: &Dataset,
        id: AccountId,
        own: &[u32],
        as_at: NaiveDate,
        rule: Allocation,
        ctx: &Context,
    ) -> Sundry {
        if plain(data, id, own, as_at, ctx) {
            return Sundry::default();
        }
        let posted = Events::posted(data, id, own, as_at, ctx);
        let corrected = posted
            .clone()
            .with_paid_out(data, ctx.paid_out_to(id), as_at);
        let refunds_in_error = corrected.refunds_in_error(ctx);
        let owed = |events: &Events, refunds: &[RefundInError]| {
            unpaid_sundry(&events.debts(refunds), events.credits(), rule)
        };
        Sundry {
            posted: owed(&posted, &[]),
            corrected: owed(&corrected, &refunds_in_error),
            refunds_in_error,
        }
    }
}

/// Whether the account holds no sundry debit and no refund up to the date:
/// most do, and have nothing to split or judge.
fn plain(data: &Dataset, id: AccountId, own: &[u32], as_at: NaiveDate, ctx: &Context) -> bool {
    ctx.paid_out_to(id).is_empty()
        && own.iter().all(|&p| {
            let q = &data.postings[p as usize];
            q.date > as_at || !ctx.is_sundry(data, p as usize) && q.kind != PostingKind::Refund
        })
}

/// One debit or credit on an account, oldest first.
#[derive(Clone, Copy, Debug)]
struct Event {
    date: NaiveDate,
    pence: i64,
    sundry: bool,
    /// Where it is a refund that may be judged against the credit held.
    refund: Option<RefundSource>,
}

/// An account's money as a list of events: the ledger, and on the
/// corrected side the refunds the bank paid with no ledger entry.
#[derive(Clone, Debug)]
struct Events {
    opening: i64,
    events: Vec<Event>,
}

impl Events {
    fn posted(
        data: &Dataset,
        id: AccountId,
        own: &[u32],
        as_at: NaiveDate,
        ctx: &Context,
    ) -> Events {
        let events = (own.iter())
            .map(|&p| (p as usize, &data.postings[p as usize]))
            .take_while(|(_, q)| q.date <= as_at)
            .map(|(p, q)| Event {
                date: q.date,
                pence: q.amount.pence(),
                sundry: ctx.is_sundry(data, p),
                refund: (q.kind == PostingKind::Refund).then_some(RefundSource::Posting(p)),
            })
            .collect();
        Events {
            opening: to_pence(data.account(id).opening_balance),
            events,
        }
    }

    fn with_paid_out(
        mut self,
        data: &Dataset,
        lines: &[(AccountId, usize)],
        as_at: NaiveDate,
    ) -> Events {
        for &(_, b) in lines {
            let line = &data.bank[b];
            if line.date <= as_at {
                self.events.push(Event {
                    date: line.date,
                    pence: -line.amount.pence(),
                    sundry: false,
                    refund: Some(RefundSource::Bank(b)),
                });
            }
        }
        // Stable: on one day, the ledger's rows keep their order, first.
        self.events.sort_by_key(|e| e.date);
        self
    }

    /// Refunds larger than the credit the account held on their day: the
    /// credit before that day's debits, with that day's credits (a refund
    /// often returns a payment made that day). Refunds of one day share
    /// one credit.
    fn refunds_in_error(&self, ctx: &Context) -> Vec<RefundInError> {
        let mut balance = self.opening;
        let mut out = Vec::new();
        for day in self.events.chunk_by(|a, b| a.date == b.date) {
            let credits: i64 = day.iter().map(|e| e.pence).filter(|&a| a < 0).sum();
            let mut held = (-(balance + credits)).max(0);
            for e in day.iter().filter(|e| e.pence > 0 && !e.sundry) {
                let Some(source) = e.refund else { continue };
                if matches!(source, RefundSource::Posting(p) if ctx.named.binary_search(&p).is_ok())
                {
                    continue;
                }
                if e.pence > held {
                    out.push(RefundInError {
                        source,
                        date: e.date,
                        amount: e.pence,
                        held,
                        excess: e.pence - held,
                    });
                }
                held = (held - e.pence).max(0);
            }
            balance += day.iter().map(|e| e.pence).sum::<i64>();
        }
        out
    }

    /// The debts oldest first: the opening balance as rent, then each
    /// debit, a refund paid in error split into the credit it returned
    /// (rent) and the rest (the landlord's own error).
    fn debts(&self, refunds: &[RefundInError]) -> Vec<(i64, Debt)> {
        let mut out = vec![(self.opening.max(0), Debt::Rent)];
        for e in self.events.iter().filter(|e| e.pence > 0) {
            let excess = (refunds.iter())
                .find(|r| Some(r.source) == e.refund)
                .map_or(0, |r| r.excess);
            let debt = if e.sundry { Debt::Sundry } else { Debt::Rent };
            out.push((e.pence - excess, debt));
            if excess > 0 {
                out.push((excess, Debt::RefundInError));
            }
        }
        out
    }

    /// Every credit, with an opening credit balance, in pence.
    fn credits(&self) -> i64 {
        let posted: i64 = self
            .events
            .iter()
            .map(|e| e.pence)
            .filter(|&a| a < 0)
            .map(|a| -a)
            .sum();
        posted + (-self.opening).max(0)
    }
}

/// What a debt is, for the allocation rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Debt {
    Rent,
    Sundry,
    /// A refund beyond the credit held: the landlord's error, paid after
    /// everything else under either rule, so that it never turns payments
    /// away from the rent.
    RefundInError,
}

/// The sundry debt the credits leave unpaid under the rule.
fn unpaid_sundry(debts: &[(i64, Debt)], credits: i64, rule: Allocation) -> i64 {
    let total = |kind: Debt| -> i64 { debts.iter().filter(|d| d.1 == kind).map(|d| d.0).sum() };
    let in_error = total(Debt::RefundInError);
    let (sundry_unpaid, left) = match rule {
        Allocation::RentFirst => {
            let left = (credits - total(Debt::Rent)).max(0);
            let sundry = total(Debt::Sundry);
            ((sundry - left).max(0), (left - sundry).max(0))
        }
        Allocation::OldestFirst => {
            let mut left = credits;
            let mut unpaid = 0;
            for &(owed, kind) in debts.iter().filter(|d| d.1 != Debt::RefundInError) {
                let paid = left.min(owed);
                left -= paid;
                if kind == Debt::Sundry {
                    unpaid += owed - paid;
                }
            }
            (unpaid, left)
        }
    };
    sundry_unpaid + (in_error - left).max(0)
}

/// A `refund_in_error` finding for each refund paid beyond the account's
/// credit: the balance is right (or its own finding puts it right), but
/// the excess is a debt the landlord created, not rent arrears.
pub fn findings(
    data: &Dataset,
    ledger: &AccountPostings,
    as_at: NaiveDate,
    ctx: &Context,
) -> Vec<Finding> {
    use rayon::prelude::*;
    (0..data.accounts.len())
        .into_par_iter()
        .filter(|&a| !plain(data, a as AccountId, ledger.of(a as AccountId), as_at, ctx))
        .flat_map_iter(|a| {
            let id = a as AccountId;
            Events::posted(data, id, ledger.of(id), as_at, ctx)
                .with_paid_out(data, ctx.paid_out_to(id), as_at)
                .refunds_in_error(ctx)
                .into_iter()
                .map(move |r| finding(data, id, r))
        })
        .collect()
}

fn finding(data: &Dataset, id: AccountId, r: RefundInError) -> Finding {
    let money = |p: i64| pounds(from_pence(i128::from(p)));
    let (what, bank, postings, evidence) = match r.source {
        RefundSource::Posting(p) => (
            format!("Refund {}", data.txn_id(p)),
            None,
            vec![p],
            data.posting_row(p),
        ),
        RefundSource::Bank(b) => (
            format!("Money paid out {} (not on the ledger)", data.bank_id(b)),
            Some(b),
            Vec::new(),
            data.bank_row(b),
        ),
    };
    let detail = format!(
        "{what} of {} on {} paid out {} more than the {} credit the account held that day. \
         That {} is a debt the landlord created, not rent arrears: it is counted as sundry \
         debt, never towards a NOSP. Agree repayment with the tenant; do not serve on it.",
        money(r.amount),
        r.date,
        money(r.excess),
        money(r.held),
        money(r.excess),
    );
    Finding {
        kind: FindingKind::RefundInError,
        severity: FindingKind::RefundInError.severity(),
        account: Some(id),
        posted_to: None,
        bank,
        postings,
        amount: Decimal::ZERO,
        evidence: vec![evidence],
        detail,
        suggestions: Vec::new(),
    }
}

/// What a debit whose row gives no `charge_type` is for. The contract makes
/// a `charge` rent (one that is not the rent is an `irregular_charge`), a
/// reversal or refund puts back what a payment paid; nothing makes an
/// `adjustment` or `writeoff` debit rent, and housing systems move court
/// costs and former-tenant arrears onto an account that way. Such a debit
/// is the sundry debt its description names, rent where it names rent or a
/// payment put right, and otherwise sundry: not counted towards a ground,
/// so a doubt never reaches one.
pub fn unstated_charge_type(kind: PostingKind, description: &str) -> ChargeType {
    if !matches!(kind, PostingKind::Adjustment | PostingKind::Writeoff) {
        return ChargeType::Rent;
    }
    let mut rent_named = false;
    for word in description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= 16)
    {
        let mut lower = [0u8; 16];
        lower[..word.len()].copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        match debit_word(&lower[..word.len()]) {
            Some(DebitWord::Sundry(t)) => return t,
            Some(DebitWord::Rent) => rent_named = true,
            None => {}
        }
    }
    if rent_named {
        ChargeType::Rent
    } else {
        ChargeType::Sundry
    }
}

/// A word of a debit's description that says what it is for.
enum DebitWord {
    Sundry(ChargeType),
    /// Rent, or a payment put right (a credit moved off, a payment
    /// reversed): the rent it paid is owed again.
    Rent,
}

fn debit_word(word: &[u8]) -> Option<DebitWord> {
    use ChargeType::*;
    Some(match word {
        b"court" | b"courts" | b"legal" | b"solicitor" | b"solicitors" | b"costs" | b"summons"
        | b"warrant" | b"bailiff" | b"bailiffs" | b"possession" => DebitWord::Sundry(CourtCosts),
        b"recharge" | b"recharges" | b"rechargeable" | b"repair" | b"repairs" | b"damage"
        | b"damages" | b"clearance" => DebitWord::Sundry(Recharge),
        // Arrears brought in from elsewhere: another tenancy's debt.
        b"former" | b"fta" | b"ftas" | b"previous" | b"prev" | b"old" | b"ex" | b"prior"
        | b"arrears" | b"brought" | b"bfwd" => DebitWord::Sundry(FormerTenantArrears),
        // Rent charged for past periods at once: a back-charge, which as
        // a charge the charges check would judge; here, never counted.
        b"backdated" | b"backdate" | b"arrear" => DebitWord::Sundry(Sundry),
        b"overpayment" | b"overpaid" | b"hbop" | b"op" => DebitWord::Sundry(HbOverpayment),
        b"rent" | b"rents" | b"rental" | b"service" | b"transfer" | b"transferred" | b"journal"
        | b"misposted" | b"mispost" | b"misposting" | b"error" | b"reversal" | b"reversed"
        | b"reverse" | b"correction" | b"corrected" | b"moved" | b"returned" | b"bounced"
        | b"unpaid" | b"dishonoured" | b"refund" => DebitWord::Rent,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rent_first_pays_rent_before_sundry() {
        // £1,000 rent, £505 court costs, £500 paid: all of it pays rent.
        let debts = [(100_000, Debt::Rent), (50_500, Debt::Sundry)];
        assert_eq!(unpaid_sundry(&debts, 50_000, Allocation::RentFirst), 50_500);
        // Paid beyond the rent: the rest pays the costs.
        assert_eq!(
            unpaid_sundry(&debts, 120_000, Allocation::RentFirst),
            30_500
        );
    }

    #[test]
    fn oldest_first_pays_the_oldest_debt() {
        let debts = [(50_500, Debt::Sundry), (100_000, Debt::Rent)];
        assert_eq!(unpaid_sundry(&debts, 50_000, Allocation::OldestFirst), 500);
        assert_eq!(unpaid_sundry(&debts, 50_000, Allocation::RentFirst), 50_500);
    }

    #[test]
    fn a_refund_paid_in_error_is_paid_last_under_either_rule() {
        // The landlord's £3,800 error first, then £1,600 of rent, all paid:
        // the rent is paid and the error is still owed, whatever the rule.
        let debts = [(380_000, Debt::RefundInError), (160_000, Debt::Rent)];
        for rule in [Allocation::RentFirst, Allocation::OldestFirst] {
            assert_eq!(unpaid_sundry(&debts, 160_000, rule), 380_000, "{rule}");
        }
    }

    #[test]
    fn sundry_never_exceeds_what_the_balance_owes() {
        let d = Sundry::split(50_000, Decimal::new(20_000, 2));
        assert_eq!(d.sundry, Decimal::new(20_000, 2));
        assert_eq!(d.rent, Decimal::ZERO);
        let d = Sundry::split(50_000, Decimal::new(-1_000, 2));
        assert_eq!((d.rent, d.sundry), (Decimal::new(-1_000, 2), Decimal::ZERO));
    }
    #[test]
    fn a_debit_with_no_charge_type_is_what_its_description_names() {
        use PostingKind::*;
        let of = unstated_charge_type;
        assert_eq!(of(Charge, ""), ChargeType::Rent);
        // The charges check judges a charge that is not the rent.
        assert_eq!(
            of(Charge, "Rechargeable repair - broken door"),
            ChargeType::Rent
        );
        assert_eq!(
            of(Adjustment, "Court costs - claim PC12345"),
            ChargeType::CourtCosts
        );
        assert_eq!(
            of(Adjustment, "FTA transfer from former tenancy F0"),
            ChargeType::FormerTenantArrears
        );
        assert_eq!(
            of(
                Writeoff,
                "Write-off reversed (former tenancy debt reinstated)"
            ),
            ChargeType::FormerTenantArrears
        );
        assert_eq!(
            of(Adjustment, "HB overpayment recovery"),
            ChargeType::HbOverpayment
        );
        assert_eq!(
            of(Adjustment, "Payment misposted - moved to RA2"),
            ChargeType::Rent
        );
        assert_eq!(of(Adjustment, "RENT ADJUSTMENT"), ChargeType::Rent);
        // Arrears brought in from another tenancy, however worded.
        for words in [
            "Rent arrears transfer from old tenancy",
            "Arrears transferred from previous tenancy 12 Oak St",
            "Ex-tenant arrears transfer",
            "Previous tenancy balance journal",
            "Write off reversed - previous tenancy",
        ] {
            assert_eq!(
                of(Adjustment, words),
                ChargeType::FormerTenantArrears,
                "{words}"
            );
        }
        assert_eq!(
            of(Adjustment, "Rent increase backdated"),
            ChargeType::Sundry
        );
        // Nothing says it is rent: it never counts towards a ground.
        assert_eq!(of(Adjustment, ""), ChargeType::Sundry);
        assert_eq!(of(Writeoff, "Balance b/f"), ChargeType::Sundry);
        assert_eq!(of(Reversal, "Court costs"), ChargeType::Rent);
    }
}
