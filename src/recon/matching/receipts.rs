//! Receipts: each money-in bank line, or each share of a bulk line a
//! schedule breaks down, with what its reference and payer identify.

use std::borrow::Cow;

use super::*;

/// What [`build_receipts`] makes: the receipts in bank-line order, the
/// accounts each ambiguous one fits, each line's run of receipts, and the
/// negative schedule shares (money out of a run, not receipts).
pub(super) struct BuiltReceipts {
    pub(super) receipts: Vec<Receipt>,
    pub(super) ambiguous: AmbiguousSets,
    pub(super) line_receipts: LineReceipts,
    pub(super) clawbacks: Vec<Clawback>,
}

/// The schedule shares of each batch, by the batch ref's normal form.
pub(crate) type Batches = HashMap<Text, Vec<usize>>;

/// The shares of the batch each bulk line carries. Few lines carry a
/// batch: a map, not a slot for every line.
type LineBatches<'b> = HashMap<usize, Cow<'b, [usize]>>;

/// A batch a line may carry: its key and its shares.
type Batch<'b> = (&'b Text, &'b Vec<usize>);

/// Money in, up to the as-at date: a receipt, or a bulk line of them.
#[inline]
fn is_receipt(line: &BankLine, as_at: NaiveDate) -> bool {
    line.amount() > Decimal::ZERO && line.date <= as_at
}

/// Splits bank lines into receipts: one per money-in line, or one per share
/// where a schedule breaks a bulk line down. Lines after the as-at date and
/// money-out lines are left to other steps.
pub(super) fn build_receipts(
    data: &Dataset,
    index: &RefIndex,
    opts: MatchOptions,
    entries: &mut Vec<BankEntry>,
    findings: &mut Vec<Finding>,
) -> BuiltReceipts {
    let batches = batches_by_ref(data);
    let line_batch = claim_batches(data, opts.as_at, &batches);
    let mut clawbacks = Vec::new();
    let line_receipts = lay_out_lines(
        data,
        opts.as_at,
        &line_batch,
        entries,
        findings,
        &mut clawbacks,
    );
    let (receipts, ambiguous) =
        identify_receipts(data, index, opts.as_at, &line_batch, &line_receipts);
    BuiltReceipts {
        receipts,
        ambiguous,
        line_receipts,
        clawbacks,
    }
}

/// Each batch's schedule shares, by its batch ref in normal form.
pub(crate) fn batches_by_ref(data: &Dataset) -> Batches {
    let mut batches: Batches = HashMap::default();
    for (i, share) in data.shares.iter().enumerate() {
        batches
            .entry(identify::normalise(&share.batch_ref))
            .or_default()
            .push(i);
    }
    batches
}

/// Which batch each bank line carries: by bank_id first, then reference.
/// A batch is claimed by the first line to carry it, unless its ref is
/// one every run reuses and its shares can be shared out among the lines.
fn claim_batches<'b>(data: &Dataset, as_at: NaiveDate, batches: &'b Batches) -> LineBatches<'b> {
    let mut line_batch = LineBatches::default();
    if batches.is_empty() {
        return line_batch;
    }
    // Most lines carry no batch: the hashes of their keys' normal forms,
    // taken without making them, rule them out.
    let batch_hashes: rustc_hash::FxHashSet<u64> =
        batches.keys().map(|k| identify::normal_hash(k)).collect();
    let batch = |key: &str| {
        (batch_hashes.contains(&identify::normal_hash(key)))
            .then(|| batches.get_key_value(&identify::normalise(key)))
            .flatten()
    };
    let hits: Vec<(bool, usize, [Option<Batch>; 2])> = data
        .bank
        .par_iter()
        .enumerate()
        .filter(|(_, line)| is_receipt(line, as_at))
        .map_init(
            || BankIdsInOrder::new(data),
            |ids, (i, line)| {
                let mut found = [ids.get(i), data.reference(line)].map(batch);
                let whole = found.iter().any(Option::is_some);
                if !whole {
                    found[1] = identify::batch_words(data.reference(line)).find_map(batch);
                }
                found
                    .iter()
                    .any(Option::is_some)
                    .then_some((!whole, i, found))
            },
        )
        .flatten()
        .collect();
    // A line whose id or whole reference is the batch's claims it before one
    // that holds it among other words.
    let mut hits = hits;
    hits.sort_by_key(|&(in_words, i, _)| (in_words, i));
    let mut claimed: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut left: Vec<(usize, [Option<Batch>; 2])> = Vec::new();
    for (_, i, found) in hits {
        let free = (found.iter().flatten()).find(|(k, _)| !claimed.contains_key(k.as_str()));
        match free {
            Some(&(k, shares)) => {
                claimed.insert(k.as_str(), vec![i]);
                line_batch.insert(i, Cow::Borrowed(&shares[..]));
            }
            None => left.push((i, found)),
        }
    }
    share_out_reused(data, &mut line_batch, claimed, left);
    line_batch
}

/// Lines left without a batch because another line claimed the one they
/// carry: where the batch ref is one every run reuses, the runs' shares
/// are shared out among its lines ([`runs::share_out`]).
fn share_out_reused<'b>(
    data: &Dataset,
    line_batch: &mut LineBatches<'b>,
    mut claimed: HashMap<&'b str, Vec<usize>>,
    left: Vec<(usize, [Option<Batch<'b>>; 2])>,
) {
    let mut reused: Vec<Batch> = Vec::new();
    for (i, found) in left {
        if let Some((k, shares)) = found.into_iter().flatten().next() {
            if let Some(lines) = claimed.get_mut(k.as_str()) {
                if lines.len() == 1 {
                    reused.push((k, shares));
                }
                lines.push(i);
            }
        }
    }
    for (k, shares) in reused {
        let lines = &claimed[k.as_str()];
        if let Some(runs) = runs::share_out(data, shares, lines) {
            for (i, run) in runs {
                line_batch.insert(i, Cow::Owned(run));
            }
        }
    }
}

/// Counts each line's receipts, in line order: one per positive share of
/// a bulk line, else one per money-in line up to the as-at date. On the
/// way, sets aside lines after the as-at date, a bulk line's negative
/// shares (`clawbacks`) and what its schedule does not explain.
fn lay_out_lines(
    data: &Dataset,
    as_at: NaiveDate,
    line_batch: &LineBatches,
    entries: &mut Vec<BankEntry>,
    findings: &mut Vec<Finding>,
    clawbacks: &mut Vec<Clawback>,
) -> LineReceipts {
    let mut line_receipts = LineReceipts {
        start: Vec::with_capacity(data.bank.len() + 1),
    };
    // Counted as `Links` holds receipts, in `u32`: a receipt is a bank line
    // or a schedule row, and readers refuse a file of more than `u32::MAX`
    // lines.
    let mut made = 0usize;
    for (i, line) in data.bank.iter().enumerate() {
        line_receipts.start.push(made as u32);
        if line.date > as_at {
            entries.push(BankEntry {
                bank: i as u32,
                share: None,
                amount: line.amount(),
                outcome: Outcome::AfterAsAt,
            });
            continue;
        }
        let Some(shares) = line_batch.get(&i) else {
            made += usize::from(is_receipt(line, as_at));
            continue;
        };
        // A negative share is money out of the run, not a receipt.
        for &s in shares
            .iter()
            .filter(|&&s| data.shares[s].amount.pence() < 0)
        {
            clawbacks.push(Clawback {
                share: s,
                line: Some(i),
            });
        }
        made += (shares.iter())
            .filter(|&&s| data.shares[s].amount.pence() > 0)
            .count();
        let total: Decimal = shares.iter().map(|&s| data.shares[s].amount()).sum();
        let remainder = line.amount() - total;
        if remainder.is_zero() {
            continue;
        }
        entries.push(BankEntry {
            bank: i as u32,
            share: None,
            amount: remainder,
            outcome: Outcome::ScheduleMismatch,
        });
        findings.push(schedule_mismatch(data, i, shares, total, remainder));
    }
    line_receipts.start.push(made as u32);
    line_receipts
}

/// `schedule_mismatch`: bulk line `i`'s shares sum to `total`, leaving
/// `remainder` that no share explains.
fn schedule_mismatch(
    data: &Dataset,
    i: usize,
    shares: &[usize],
    total: Decimal,
    remainder: Decimal,
) -> Finding {
    let line = &data.bank[i];
    let mut evidence = vec![data.bank_row(i)];
    evidence.extend(shares.iter().map(|&s| data.shares[s].row));
    Finding {
        kind: FindingKind::ScheduleMismatch,
        severity: FindingKind::ScheduleMismatch.severity(),
        account: None,
        posted_to: None,
        bank: Some(i),
        postings: Vec::new(),
        amount: -remainder,
        evidence,
        detail: format!(
            "Bulk receipt {} of {} on {} does not equal its schedule ({} in {} shares): \
             {} is not explained by any share; ask the payer for a corrected schedule.",
            data.bank_id(i),
            pounds(line.amount()),
            line.date,
            pounds(total),
            shares.len(),
            pounds(remainder)
        ),
        suggestions: Vec::new(),
    }
}

/// Lines taken together by one task of [`identify_receipts`].
const BLOCK: usize = 1 << 14;

/// Makes every receipt with its identity, in parallel, each block of
/// lines into its own run of the receipts, so that they are in line order
/// and sized once.
fn identify_receipts(
    data: &Dataset,
    index: &RefIndex,
    as_at: NaiveDate,
    line_batch: &LineBatches,
    line_receipts: &LineReceipts,
) -> (Vec<Receipt>, AmbiguousSets) {
    let made = line_receipts.start.last().map_or(0, |&m| m as usize);
    let placeholder = Receipt {
        bank: 0,
        share: Receipt::WHOLE_LINE,
        identity: Held::Unknown,
    };
    let mut receipts = Vec::with_capacity(made);
    receipts.par_extend(rayon::iter::repeat_n(placeholder, made));
    let mut blocks = Vec::with_capacity(data.bank.len() / BLOCK + 1);
    let mut rest = receipts.as_mut_slice();
    for from in (0..data.bank.len()).step_by(BLOCK) {
        let to = (from + BLOCK).min(data.bank.len());
        let (first, end) = (
            line_receipts.start[from] as usize,
            line_receipts.start[to] as usize,
        );
        let (block, tail) = rest.split_at_mut(end - first);
        blocks.push((from..to, first, block));
        rest = tail;
    }
    let block = BlockReader {
        data,
        index,
        as_at,
        line_batch,
        known: KnownIdentities::for_lines(data.bank.len()),
    };
    let ambiguous: Vec<AmbiguousSets> = blocks
        .into_par_iter()
        .map(|(lines, first, slots)| block.identify(lines, first, slots))
        .collect();
    (receipts, ambiguous.concat())
}

/// What each block of [`identify_receipts`] reads.
struct BlockReader<'a, 'b> {
    data: &'a Dataset,
    index: &'a RefIndex,
    as_at: NaiveDate,
    line_batch: &'a LineBatches<'b>,
    known: KnownIdentities,
}

impl BlockReader<'_, '_> {
    /// Fills `slots` (receipt `first` on) with the receipts of `lines`,
    /// and returns the accounts each ambiguous one fits.
    fn identify(
        &self,
        lines: std::ops::Range<usize>,
        first: usize,
        slots: &mut [Receipt],
    ) -> AmbiguousSets {
        let data = self.data;
        let mut ambiguous = Vec::new();
        let mut slots = slots.iter_mut().zip(first..);
        let mut put = |bank: usize, share: u32, identity: Identity| {
            if let Some((slot, r)) = slots.next() {
                let identity = match identity {
                    Identity::Account(a, basis) => Held::Account(a, basis),
                    Identity::Unknown => Held::Unknown,
                    Identity::Ambiguous(ids) => {
                        ambiguous.push((r, ids));
                        Held::Ambiguous
                    }
                };
                *slot = Receipt {
                    bank: bank as u32,
                    share,
                    identity,
                };
            }
        };
        for i in lines {
            let line = &data.bank[i];
            match self.line_batch.get(&i).map(|s| &**s) {
                None if is_receipt(line, self.as_at) => put(
                    i,
                    Receipt::WHOLE_LINE,
                    self.known.identify(self.index, data, line),
                ),
                None => {}
                Some(shares) => {
                    for &s in shares
                        .iter()
                        .filter(|&&s| data.shares[s].amount.pence() > 0)
                    {
                        put(i, s as u32, share_identity(self.index, &data.shares[s]));
                    }
                }
            }
        }
        ambiguous
    }
}

/// The identities of references already seen, by where their text is held:
/// a payer's reference is stored once for all their payments (see
/// `store::text::Repeats`), so most lines' identity is found here rather than by
/// a search of the index's maps. A slot keeps the last reference to hash
/// there, in one word with its identity: every task reads and writes the
/// one table without a lock, and as an identity depends on its text alone,
/// which task wrote a slot changes nothing. An ambiguous identity is not
/// kept.
pub(super) struct KnownIdentities {
    slots: Vec<AtomicU64>,
    bits: u32,
}

impl KnownIdentities {
    /// A table for a statement of `lines` lines: a slot a line, between
    /// 1,024 and a million (8 MiB).
    fn for_lines(lines: usize) -> Self {
        let bits = (usize::BITS - lines.leading_zeros()).clamp(10, 20);
        KnownIdentities {
            slots: (0..1usize << bits).map(|_| AtomicU64::new(0)).collect(),
            bits,
        }
    }

    fn identify(&self, index: &RefIndex, data: &Dataset, line: &BankLine) -> Identity {
        use std::hash::BuildHasher;
        let text = data.bank_text.field(line.texts, BankLine::REFERENCE);
        if text.is_empty() {
            return index.identify("");
        }
        let hash = rustc_hash::FxBuildHasher.hash_one(text);
        let slot = &self.slots[(hash >> (64 - self.bits)) as usize];
        let held = slot.load(Ordering::Relaxed);
        if (held >> 32) as u32 == text.index() {
            return Self::unpack(held as u32);
        }
        let identity = index.identify(data.bank_text.get(text));
        if let Some(packed) = Self::pack(&identity) {
            slot.store(
                u64::from(text.index()) << 32 | u64::from(packed),
                Ordering::Relaxed,
            );
        }
        identity
    }

    /// The basis in the top two bits (0 for unknown), the account below.
    fn pack(identity: &Identity) -> Option<u32> {
        let (basis, account) = match *identity {
            Identity::Unknown => (0, 0),
            Identity::Account(a, Basis::AccountRef) => (1, a),
            Identity::Account(a, Basis::PaymentRef) => (2, a),
            Identity::Account(a, Basis::Digits) => (3, a),
            Identity::Account(_, Basis::Schedule) | Identity::Ambiguous(_) => return None,
        };
        (account < 1 << 30).then_some(basis << 30 | account)
    }

    fn unpack(packed: u32) -> Identity {
        let account = packed & ((1 << 30) - 1);
        match packed >> 30 {
            0 => Identity::Unknown,
            1 => Identity::Account(account, Basis::AccountRef),
            2 => Identity::Account(account, Basis::PaymentRef),
            _ => Identity::Account(account, Basis::Digits),
        }
    }
}

/// Each bank line's receipts: one, or one per schedule share, or none (money
/// out, after the as-at date). Receipts are made in bank-line order, so a
/// line's are a run of indices.
pub(super) struct LineReceipts {
    /// Line `l`'s receipts are `start[l]..start[l + 1]`; `u32`, as in
    /// `Links`: a line of the bank file each.
    start: Vec<u32>,
}

impl LineReceipts {
    pub(super) fn of(&self, line: usize) -> std::ops::Range<usize> {
        self.start[line] as usize..self.start[line + 1] as usize
    }
}

/// The account a schedule line names: by its account ref, else its claim
/// ref, each exactly.
pub(crate) fn share_identity(index: &RefIndex, share: &ScheduleShare) -> Identity {
    match (&share.account_ref, &share.claim_ref) {
        (Some(a), _) => match index.exact(a) {
            Identity::Unknown => share
                .claim_ref
                .as_deref()
                .map_or(Identity::Unknown, |c| index.exact(c)),
            found => found,
        },
        (None, Some(c)) => index.exact(c),
        (None, None) => Identity::Unknown,
    }
}

#[cfg(test)]
mod known_identity_tests {
    use super::*;
    use crate::recon::testkit::Builder;

    #[test]
    fn a_known_identity_is_the_one_the_index_finds() {
        let mut b = Builder::default();
        // Enough accounts that references share the smallest table's slots.
        for n in 0..3000 {
            b.account(&format!("RA{}", 10_000 + n), "Ann Lee", "80.00");
        }
        let paid_by_mandate = b.account("RB7", "Bo Ray", "80.00");
        b.with(paid_by_mandate, |a| a.payment_refs = vec!["DDI77".into()]);
        for shared in [0, 1] {
            b.with(shared, |a| a.payment_refs = vec!["SHARED1".into()]);
        }
        let mut references: Vec<String> = (0..3000).map(|n| format!("RA{}", 10_000 + n)).collect();
        references.extend(["DDI77", "SHARED1", "12999", "NOPE", ""].map(String::from));
        // Each on two lines running with the same payer, the ids counted:
        // the texts are held once, and the second line finds the first's
        // identity in the table.
        for (i, reference) in references.iter().enumerate() {
            for line in [2 * i, 2 * i + 1] {
                b.bank(
                    &format!("B{line:06}"),
                    "2026-02-01",
                    "80.00",
                    reference,
                    "A LEE",
                );
            }
        }
        let held = |line: usize| {
            b.data
                .bank_text
                .field(b.data.bank[line].texts, BankLine::REFERENCE)
        };
        let apart: Vec<usize> = (0..references.len())
            .filter(|&i| held(2 * i) != held(2 * i + 1))
            .collect();
        // The first line holds its id: there is none before it to count on.
        assert_eq!(apart, [0]);
        let index = RefIndex::build(&b.data.accounts);
        let known = KnownIdentities::for_lines(0);
        let kinds = |identity: &Identity| match identity {
            Identity::Account(_, basis) => format!("{basis:?}"),
            other => format!("{other:?}"),
        };
        let mut seen = std::collections::BTreeSet::new();
        // Twice over: the second time, references that share a slot with
        // another's since are looked up again.
        for _ in 0..2 {
            for line in &b.data.bank {
                let expected = index.identify(b.data.reference(line));
                let found = known.identify(&index, &b.data, line);
                assert_eq!(found, expected, "{:?}", b.data.reference(line));
                seen.insert(kinds(&found));
            }
        }
        let held = known
            .slots
            .iter()
            .filter(|s| s.load(Ordering::Relaxed) != 0)
            .count();
        assert!(held > 900, "{held} of 1,024 slots in use");
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            [
                "AccountRef",
                "Ambiguous([0, 1])",
                "Digits",
                "PaymentRef",
                "Unknown"
            ]
        );
    }
}
