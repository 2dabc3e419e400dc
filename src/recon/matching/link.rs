//! Linking postings to receipts: pass 1 by the bank id the ledger kept, then
//! the window passes (account, amount and date, cheapest first) that
//! docs/matching.md numbers 2 to 7; pass 6, in parts, is in `parts.rs`.

use super::*;

/// Greedy one-to-one assignment over candidate pairs `(cost, receipt,
/// posting)`: cheapest first, ties broken by receipt then posting order, so
/// the result is the same whatever order the pairs were found in.
pub(super) fn assign(
    mut pairs: Vec<Candidate>,
    receipt_free: &mut [bool],
    posting_free: &mut [bool],
) -> Vec<Pair> {
    pairs.par_sort_unstable();
    let mut chosen = Vec::new();
    for (_, r, p) in pairs {
        if receipt_free[r] && posting_free[p] {
            receipt_free[r] = false;
            posting_free[p] = false;
            chosen.push((r, p));
        }
    }
    chosen
}

/// Days from the money's arrival to the posting.
pub(super) fn lag(data: &Dataset, posting: &Posting, receipt: &Receipt) -> i64 {
    days_between(receipt.date(data), posting.date)
}

/// Whether a posting `early` days before money that came on day number
/// `money_day` is within `lead` working days of it: a PayPoint or card
/// settlement posted on a Friday reaches the bank on the Tuesday. Only
/// Saturdays and Sundays are skipped (bank holidays are not known).
pub(super) fn within_lead(money_day: i32, early: i64, lead: i64) -> bool {
    if early <= lead {
        return true;
    }
    if early > longest_lead(lead) {
        return false;
    }
    let weekend = |day: i32| (day - 1).rem_euclid(7) >= 5;
    let working = (0..early as i32)
        .filter(|&k| !weekend(money_day - k))
        .count();
    working as i64 <= lead
}

/// The most calendar days `lead` working days can span: a weekend every
/// five working days at most.
fn longest_lead(lead: i64) -> i64 {
    lead + 2 * (lead / 5 + 1)
}

/// How unlikely a posting `days` after its money is: later is likelier than
/// earlier, since only card and Direct Debit systems post ahead of the bank's
/// value date. Weekly payments of one amount then pair in date order.
pub(super) fn cost(days: i64) -> i64 {
    if days >= 0 {
        2 * days
    } else {
        2 * -days + 1
    }
}

/// Whether a posted amount could be a keying error for the received one:
/// digits swapped or one digit wrong, the point in the wrong place, or
/// within 10%.
pub(super) fn plausible_keying_error(posted: i64, received: i64) -> bool {
    // The digits as the money is written to the penny: £0.05 is "005".
    let digits = |pence: i64| format!("{:03}", pence.unsigned_abs());
    identify::one_edit_apart(&digits(posted), &digits(received))
        || posted == received * 10
        || posted * 10 == received
        || (posted - received).abs() * 10 <= received
}

/// How many receipts nearest in time a posting is tried against as a
/// keying error: pass 7 then costs the same on an account with thousands
/// of receipts left over (a suspense account) as on one with a few.
const KEYING_NEAREST: usize = 64;

/// How many of pass 2's groups are aligned before their pairs are linked.
/// Pass 2 runs over a part of the accounts at a time, and a run of their
/// groups at a time, each run's pairs linked before the next is aligned:
/// every group's receipts, postings and pairs at once were the peak of a
/// run's memory. Groups are still aligned and linked in account order, and
/// a group's links touch no other account's receipts or postings, so the
/// result is the same however the work is cut.
const GROUPS_AT_ONCE: usize = 1 << 14;

/// How many parts pass 2 cuts the accounts into (see [`GROUPS_AT_ONCE`]).
const ACCOUNT_PARTS: usize = 4;

/// The ranges of account ids pass 2 takes one at a time, in order.
fn account_parts(accounts: usize) -> impl Iterator<Item = std::ops::Range<AccountId>> {
    let part = accounts.div_ceil(ACCOUNT_PARTS).max(1);
    (0..accounts)
        .step_by(part)
        .map(move |from| from as AccountId..(from + part).min(accounts) as AccountId)
}

impl State<'_> {
    /// The accounts ambiguous receipt `r` fits (none if it is not ambiguous).
    pub(super) fn ambiguous_set(&self, r: usize) -> &[AccountId] {
        self.ambiguous
            .binary_search_by_key(&r, |&(at, _)| at)
            .map_or(&[][..], |i| &self.ambiguous[i].1)
    }

    fn window_ok(&self, posting: &Posting, receipt: &Receipt) -> bool {
        let d = lag(self.data, posting, receipt);
        d <= self.opts.match_days && self.early_ok(receipt, d)
    }

    /// Posted between `lead_days` early and `posting_days` late.
    fn on_time(&self, posting: &Posting, receipt: &Receipt) -> bool {
        let d = lag(self.data, posting, receipt);
        d <= self.opts.posting_days && self.early_ok(receipt, d)
    }

    /// Whether a posting `d` days after `receipt` (negative: before it) is
    /// no earlier than the lead allows: in working days for a share of a
    /// settlement (PayPoint, Allpay, a benefit run), which the payment
    /// system pays on working days; else in calendar days (a lead stretched
    /// over a weekend let a standing order's posting take the next week's
    /// receipt, and receipts matched in parts lose their credit).
    fn early_ok(&self, receipt: &Receipt, d: i64) -> bool {
        let lead = self.opts.lead_days;
        // The span first: most cells of a long run are far apart, and the
        // receipt is not read for them.
        d >= -lead
            || -d <= longest_lead(lead)
                && receipt.share().is_some()
                && within_lead(day_number(receipt.date(self.data)), -d, lead)
    }

    pub(super) fn link(&mut self, r: usize, p: usize) {
        self.linked.push(r, p);
        self.posting_linked[p] = true;
    }

    /// Pass 1: the rent system kept the receipt's bank id (or batch ref).
    /// What each posting's bank ref leads to is found in parallel; linking
    /// is in ledger order, and only a bulk line's shares need the links
    /// made so far to choose between them. A run of postings at a time, so
    /// that what was found is never held for millions at once (this step
    /// is near the peak of a run's memory).
    pub(super) fn link_by_bank_ref(
        &mut self,
        cash_credits: &[u32],
        bank_keys: &BankKeys,
        line_receipts: &LineReceipts,
    ) {
        let shares = BulkShares::build(self, line_receipts);
        const RUN: usize = 1 << 16;
        let mut found = vec![Found::NoRef; RUN.min(cash_credits.len())];
        for run in cash_credits.chunks(RUN) {
            let found = &mut found[..run.len()];
            self.follow_bank_refs(run, bank_keys, line_receipts, found);
            for (&p, &found) in run.iter().zip(found.iter()) {
                self.link_found(p as usize, found, &shares);
            }
        }
        self.link_adjustments(bank_keys, line_receipts);
    }

    /// An `adjustment` credit whose bank ref names a whole money-in line
    /// of its amount posted that money (a receipt cleared from suspense by
    /// a journal): linked as a payment naming it would be, where the
    /// receipt is still unlinked and its reference names the adjustment's
    /// account or no account. Otherwise it stays a non-cash credit: an
    /// adjustment is never looked for by amount and date.
    fn link_adjustments(&mut self, bank_keys: &BankKeys, line_receipts: &LineReceipts) {
        let (data, as_at) = (self.data, self.opts.as_at);
        let named: Vec<(usize, usize)> = (data.postings.par_iter().enumerate())
            .filter(|(_, q)| q.kind == PostingKind::Adjustment && q.is_credit() && q.date <= as_at)
            .filter_map(|(p, q)| {
                let l = bank_keys.get(data.bank_ref(q)?)?;
                let of = line_receipts.of(l);
                (of.len() == 1).then_some((p, of.start))
            })
            .collect();
        for (p, r) in named {
            let (q, receipt) = (&data.postings[p], &self.receipts[r]);
            let whose = match receipt.identity {
                Held::Account(a, _) => a == q.account,
                Held::Ambiguous => self.ambiguous_set(r).contains(&q.account),
                Held::Unknown => true,
            };
            if whose && self.linked.is_empty(r) && receipt.pence(data) == q.credit_pence() {
                self.link(r, p);
            }
        }
    }

    /// What the bank ref of each posting of `run` leads to, into `found`,
    /// in parallel, [`BankKeys::BATCH`] keys at a time.
    fn follow_bank_refs(
        &self,
        run: &[u32],
        bank_keys: &BankKeys,
        line_receipts: &LineReceipts,
        found: &mut [Found],
    ) {
        found
            .par_chunks_mut(BankKeys::BATCH)
            .zip(run.par_chunks(BankKeys::BATCH))
            .for_each(|(found, ps)| {
                let mut refs = [None; BankKeys::BATCH];
                for (r, &p) in refs.iter_mut().zip(ps) {
                    *r = self.data.bank_ref(&self.data.postings[p as usize]);
                }
                let mut lines = [None; BankKeys::BATCH];
                bank_keys.get_batch(&refs[..ps.len()], &mut lines);
                for ((found, bank_ref), line) in found.iter_mut().zip(refs).zip(lines) {
                    *found = match (bank_ref, line) {
                        (None, _) => Found::NoRef,
                        (Some(_), Some(l)) if line_receipts.of(l).len() == 1 => {
                            Found::One(line_receipts.of(l).start)
                        }
                        (Some(_), Some(l)) if !line_receipts.of(l).is_empty() => Found::Shares(l),
                        (Some(_), _) => Found::Dangling,
                    };
                }
            });
    }

    /// Links posting `p` as its bank ref `found`, or leaves it free for the
    /// later passes. For a bulk line: its own share, unlinked and of the
    /// same amount; else its own share; else anyone's unlinked share of that
    /// amount.
    fn link_found(&mut self, p: usize, found: Found, shares: &BulkShares) {
        let posting = &self.data.postings[p];
        let l = match found {
            Found::NoRef => return self.free_postings.push(p),
            Found::Dangling => {
                let bank_ref = self.data.bank_ref(posting).unwrap_or_default();
                self.dangling_ref.insert(p, bank_ref.to_string());
                return self.free_postings.push(p);
            }
            Found::One(r) => return self.link(r, p),
            Found::Shares(l) => l,
        };
        let credit = posting.credit();
        let unlinked = |r: &usize| self.linked.is_empty(*r);
        let mut own = shares.by_account.get((l, posting.account));
        let chosen = own
            .clone()
            .find(|r| unlinked(r) && self.receipts[*r].amount(self.data) == credit)
            .or_else(|| own.next())
            .or_else(|| {
                (shares.by_amount)
                    .get((l, posting.credit_pence()))
                    .find(unlinked)
            });
        match chosen {
            Some(r) => self.link(r, p),
            None => {
                self.no_share.insert(p, l);
                self.free_postings.push(p);
            }
        }
    }

    /// Passes 2 to 7: no usable `bank_ref`, so account, amount and date, in
    /// the order docs/matching.md gives them. Passes 3 and 4 have only the
    /// amount to go on, so only on-time pairs count there: a late one is
    /// more likely some other payment.
    pub(super) fn link_by_window(&mut self) {
        let mut free = self.free_for_window();
        self.link_aligned(&mut free);
        // 6a: money posted in parts on time, on the accounts the references
        // name: before another account's claim on a receipt (passes 3 and
        // 4, where a keying slip in a reference may be all that ties it)
        // and before a late posting of the whole amount (pass 5).
        self.link_in_parts(&mut free, self.opts.posting_days);
        let pools = FreePools::build(self, &free.receipts);
        let history = self.payer_history(&free.postings);
        self.link_unidentified(&mut free, &pools, &history);
        self.link_to_another_account(&mut free, &pools, &history);
        self.link_late(&mut free, &pools);
        // 6b: one receipt posted in parts, or several posted as one, late:
        // before keying errors, since a part can look like a mistyped whole.
        self.link_in_parts(&mut free, self.opts.match_days);
        self.link_keying_errors(&mut free, &pools);
    }

    /// The receipts no posting is linked to yet, and the cash credits left
    /// to the window passes (not those whose bank ref named a bulk line
    /// with no share for them).
    fn free_for_window(&self) -> Free {
        let receipts: Vec<bool> = (0..self.receipts.len())
            .map(|r| self.linked.is_empty(r))
            .collect();
        let mut postings = vec![false; self.data.postings.len()];
        for &p in &self.free_postings {
            if !self.no_share.contains_key(&p) {
                postings[p] = true;
            }
        }
        Free { receipts, postings }
    }

    /// Pass 2: same account, same amount, posted on time, aligned in date
    /// order per group ([`State::same_account_groups`], [`State::align`]).
    /// Groups too large to align give candidates paired by `assign`. A part
    /// of the accounts at a time, and a run of their groups at a time (see
    /// [`GROUPS_AT_ONCE`]).
    fn link_aligned(&mut self, free: &mut Free) {
        let mut too_large = Vec::new();
        for accounts in account_parts(self.data.accounts.len()) {
            let groups = self.same_account_groups(free, accounts);
            for run in groups.runs.chunks(GROUPS_AT_ONCE) {
                for aligned in self.align_run(&groups, run) {
                    match aligned {
                        Ok(pairs) => self.take_aligned(pairs, free),
                        Err(candidates) => too_large.extend(candidates),
                    }
                }
            }
        }
        self.accept(assign(too_large, &mut free.receipts, &mut free.postings));
    }

    /// Each group of `run` aligned ([`State::align`]), in parallel.
    fn align_run(&self, groups: &Groups, run: &[Group]) -> Vec<Result<Vec<Pair>, Vec<Candidate>>> {
        run.par_iter()
            .map(|(r_run, p_run)| {
                let dated = |k: &Keyed| (k.2, k.3);
                let receipts: Vec<Dated> =
                    groups.receipts[r_run.clone()].iter().map(dated).collect();
                let postings: Vec<Dated> =
                    groups.postings[p_run.clone()].iter().map(dated).collect();
                self.align(&receipts, &postings)
            })
            .collect()
    }

    fn take_aligned(&mut self, pairs: Vec<Pair>, free: &mut Free) {
        for (r, p) in pairs {
            free.receipts[r] = false;
            free.postings[p] = false;
            self.link(r, p);
        }
    }

    /// Pass 3: same amount, on time, a receipt nobody could identify (or
    /// that fits several accounts, this one among them): the posting
    /// identified it. Money never moves between accounts on amount and
    /// date alone: something else must tie the receipt to the posting's
    /// account.
    fn link_unidentified(&mut self, free: &mut Free, pools: &FreePools, history: &PayerHistory) {
        let same_amount = |p: &Posting| pools.by_amount.get(p.credit_pence());
        self.greedy_pass(free, same_amount, |st, p, i, r| {
            st.on_time(p, r)
                && match r.identity {
                    Held::Unknown => st.corroborates(history, p, r),
                    Held::Ambiguous => st.ambiguous_set(i).contains(&p.account),
                    Held::Account(..) => false,
                }
        });
    }

    /// Pass 4: same amount, on time, a receipt that identifies another
    /// account, corroborated as in pass 3.
    fn link_to_another_account(
        &mut self,
        free: &mut Free,
        pools: &FreePools,
        history: &PayerHistory,
    ) {
        let same_amount = |p: &Posting| pools.by_amount.get(p.credit_pence());
        self.greedy_pass(free, same_amount, |st, p, _, r| {
            st.on_time(p, r)
                && r.identity.account().is_some_and(|a| a != p.account)
                && st.corroborates(history, p, r)
        });
    }

    /// Pass 5: same account, same amount, posted late. After 3 and 4,
    /// since an on-time posting elsewhere is the stronger match.
    fn link_late(&mut self, free: &mut Free, pools: &FreePools) {
        let same_account_amount =
            |p: &Posting| pools.by_account_amount.get((p.account, p.credit_pence()));
        self.greedy_pass(free, same_account_amount, |_, _, _, _| true);
    }

    /// Pass 7: same account, an amount that looks like a keying error,
    /// among the receipts nearest the posting in time.
    fn link_keying_errors(&mut self, free: &mut Free, pools: &FreePools) {
        let (lead, late) = (self.opts.lead_days as i32, self.opts.match_days as i32);
        let nearest_on_account = |p: &Posting| {
            let day = day_number(p.date);
            let run =
                (pools.by_account_day).range((p.account, day - late), (p.account, day + lead));
            let distance = |d: i32| i64::from((d - day).abs());
            let near = nearest_outwards(run, day, KEYING_NEAREST, |e| e.0 .1, distance);
            near.into_iter().map(|&(_, r)| r)
        };
        self.greedy_pass(free, nearest_on_account, |st, p, _, r| {
            plausible_keying_error(p.credit_pence(), r.pence(st.data))
        });
    }

    /// Who has paid into each account that still has a posting looking for
    /// its money: (account, hash of the payer's name) of every receipt
    /// already linked to a posting there. Only those accounts are looked at.
    fn payer_history(&self, posting_free: &[bool]) -> PayerHistory {
        // By account rather than hashed: asked for every linked receipt.
        let mut wanted = vec![false; self.data.accounts.len()];
        for &p in self.free_postings.iter().filter(|&&p| posting_free[p]) {
            if let Some(w) = wanted.get_mut(self.data.postings[p].account as usize) {
                *w = true;
            }
        }
        if !wanted.contains(&true) {
            return HashSet::default();
        }
        (0..self.receipts.len())
            .into_par_iter()
            .filter_map(|r| {
                let first = self.linked.first[r];
                let account = (first != Links::NONE)
                    .then(|| self.data.postings[first as usize].account)
                    .filter(|&a| wanted.get(a as usize) == Some(&true))?;
                let receipt = &self.receipts[r];
                let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
                (receipt.share().is_none() && !payer.is_empty())
                    .then(|| (account, identify::normal_hash(payer)))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }

    /// Whether something besides amount and date ties a receipt to a
    /// posting on an account its reference does not name: the payer is the
    /// account's tenant by name, the payer has paid into the account before,
    /// or the reference is the account's number (or a payment ref) but for
    /// one keying slip.
    fn corroborates(&self, history: &PayerHistory, p: &Posting, receipt: &Receipt) -> bool {
        let account = self.data.account(p.account);
        let reference: &str = match receipt.share() {
            Some(s) => {
                let share = &self.data.shares[s as usize];
                return [&share.account_ref, &share.claim_ref]
                    .into_iter()
                    .flatten()
                    .any(|r| identify::one_slip_from(r, account));
            }
            None => self.data.reference(&self.data.bank[receipt.bank as usize]),
        };
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        // An organisation's history (a payment processor pays into many
        // accounts) says nothing about whose a payment is.
        (!payer.is_empty()
            && (identify::names_match(payer, &account.tenant_name)
                || (!conflict::is_organisation(payer)
                    && history.contains(&(p.account, identify::normal_hash(payer))))))
            || identify::one_slip_from(reference, account)
    }

    /// One greedy pass: for every free posting, the free receipts in its
    /// `pool` that `fits` (given the receipt's index and the receipt) and are
    /// in the window, found in parallel, then
    /// paired cheapest first by `assign`.
    fn greedy_pass<P, I, F>(&mut self, free: &mut Free, pool: P, fits: F)
    where
        P: Fn(&Posting) -> I + Sync,
        I: Iterator<Item = usize>,
        F: Fn(&Self, &Posting, usize, &Receipt) -> bool + Sync,
    {
        let (r_free, p_free) = (&free.receipts, &free.postings);
        let (pool, fits, st) = (&pool, &fits, &*self);
        let pairs: Vec<Candidate> = st
            .free_postings
            .par_iter()
            .filter(|&&p| p_free[p])
            .flat_map_iter(|&p| {
                let posting = &st.data.postings[p];
                pool(posting).filter_map(move |r| {
                    let receipt = &st.receipts[r];
                    (r_free[r] && st.window_ok(posting, receipt) && fits(st, posting, r, receipt))
                        .then(|| (cost(lag(st.data, posting, receipt)), r, p))
                })
            })
            .collect();
        let chosen = assign(pairs, &mut free.receipts, &mut free.postings);
        self.accept(chosen);
    }

    fn accept(&mut self, pairs: Vec<Pair>) {
        for (r, p) in pairs {
            self.link(r, p);
        }
    }

    /// Pass 2's groups for `accounts`: their free identified receipts and
    /// free postings, each sorted by account, amount and date, and the runs
    /// of each with one account and amount that meet. In pass 2 receipts
    /// and postings of one account and one amount (a weekly payer's whole
    /// history) are paired in date order, on-time pairs only: as many pairs
    /// as possible, then the least total `cost` ([`State::align`]). Greedy
    /// pairing gets this wrong when a posting falls between two receipts.
    fn same_account_groups(&self, free: &Free, accounts: std::ops::Range<AccountId>) -> Groups {
        // Sorted rather than hashed, on integers (pence and day numbers):
        // there are millions.
        let (mut postings, mut receipts) = rayon::join(
            || self.keyed_free_postings(&free.postings, &accounts),
            || self.keyed_free_receipts(&free.receipts, &accounts),
        );
        postings.par_sort_unstable();
        receipts.par_sort_unstable();
        let runs = meeting_runs(&receipts, &postings);
        Groups {
            receipts,
            postings,
            runs,
        }
    }

    /// The free postings on `accounts`, keyed for pass 2.
    fn keyed_free_postings(
        &self,
        posting_free: &[bool],
        accounts: &std::ops::Range<AccountId>,
    ) -> Vec<Keyed> {
        let on_accounts =
            |&&p: &&usize| posting_free[p] && accounts.contains(&self.data.postings[p].account);
        gathered(
            self.free_postings.len(),
            self.free_postings.iter().filter(on_accounts).map(|&p| {
                let posting = &self.data.postings[p];
                let day = day_number(posting.date);
                (posting.account, posting.credit_pence(), day, p)
            }),
        )
    }

    /// The free receipts identified to one of `accounts`, keyed for pass 2.
    fn keyed_free_receipts(
        &self,
        receipt_free: &[bool],
        accounts: &std::ops::Range<AccountId>,
    ) -> Vec<Keyed> {
        let keyed = |(r, receipt): (usize, &Receipt)| {
            let account = (receipt.identity.account()).filter(|a| accounts.contains(a))?;
            let day = day_number(receipt.date(self.data));
            Some((account, receipt.pence(self.data), day, r))
        };
        gathered(
            self.receipts.len(),
            (self.receipts.iter().enumerate())
                .filter(|&(r, _)| receipt_free[r])
                .filter_map(keyed),
        )
    }

    /// The best order-preserving pairing of one group (see
    /// `same_account_groups`), by dynamic programming over receipts x
    /// postings. A group too large for that (years of weekly payments at
    /// once) gives its on-time candidate pairs instead, for greedy pairing.
    fn align(&self, rs: &[Dated], ps: &[Dated]) -> Result<Vec<Pair>, Vec<Candidate>> {
        const MAX_CELLS: usize = 40_000;
        // Only on-time pairs: a week's shift never fits, so one missing
        // posting cannot make a run of receipts look late. Dates as day
        // numbers: this is called for every cell.
        let late = self.opts.posting_days;
        let pair_cost = |(r_day, r): Dated, (p_day, _): Dated| {
            let days = i64::from(p_day) - i64::from(r_day);
            (days <= late && self.early_ok(&self.receipts[r], days)).then(|| cost(days))
        };
        let (n, m) = (rs.len(), ps.len());
        if (n + 1) * (m + 1) > MAX_CELLS {
            return Err(rs
                .iter()
                .flat_map(|&r| {
                    ps.iter()
                        .filter_map(move |&p| pair_cost(r, p).map(|c| (c, r.1, p.1)))
                })
                .collect());
        }
        // Score = pairs x PAIR - total cost, maximised; PAIR outweighs any cost.
        const PAIR: i64 = 1 << 32;
        let width = m + 1;
        let mut score = vec![0i64; (n + 1) * width];
        // 0: skip receipt, 1: skip posting, 2: pair.
        let mut step = vec![0u8; (n + 1) * width];
        // Along the first row only postings can be skipped.
        step[1..=m].fill(1);
        for i in 1..=n {
            for j in 1..=m {
                let mut best = (score[(i - 1) * width + j], 0u8);
                if score[i * width + j - 1] > best.0 {
                    best = (score[i * width + j - 1], 1);
                }
                if let Some(c) = pair_cost(rs[i - 1], ps[j - 1]) {
                    let paired = score[(i - 1) * width + j - 1] + PAIR - c;
                    if paired > best.0 {
                        best = (paired, 2);
                    }
                }
                score[i * width + j] = best.0;
                step[i * width + j] = best.1;
            }
        }
        let (mut i, mut j, mut pairs) = (n, m, Vec::new());
        while i > 0 && j > 0 {
            match step[i * width + j] {
                2 => {
                    pairs.push((rs[i - 1].1, ps[j - 1].1));
                    i -= 1;
                    j -= 1;
                }
                1 => j -= 1,
                _ => i -= 1,
            }
        }
        pairs.reverse();
        Ok(pairs)
    }
}

/// Which receipts and postings the window passes may still link.
pub(super) struct Free {
    pub(super) receipts: Vec<bool>,
    pub(super) postings: Vec<bool>,
}

/// Gathered in one pass, into room for them all: a pass per core and a
/// merge cost more than they save here. Room not filled is never touched,
/// so it costs no memory.
fn gathered(room: usize, items: impl Iterator<Item = Keyed>) -> Vec<Keyed> {
    let mut keyed = Vec::with_capacity(room);
    keyed.extend(items);
    keyed
}

/// A bulk line's shares (thousands in a Housing Benefit run) by account
/// and by amount, so that finding a posting's share is a lookup rather
/// than a scan of the whole run. Sorted, not hashed, as the window passes'
/// pools: a map's buckets and a vector for each key cost more than the
/// shares, and pass 1 is near the peak of a run's memory.
struct BulkShares {
    by_account: Pool<(usize, AccountId)>,
    by_amount: Pool<(usize, i64)>,
}

impl BulkShares {
    fn build(st: &State, line_receipts: &LineReceipts) -> Self {
        let shares = || {
            (0..st.data.bank.len())
                .filter(|&l| line_receipts.of(l).len() >= 2)
                .flat_map(|l| line_receipts.of(l).map(move |r| (l, r)))
        };
        let by_account = Pool::new(
            shares()
                .filter_map(|(l, r)| Some(((l, st.receipts[r].identity.account()?), r)))
                .collect(),
        );
        let by_amount = Pool::new(
            shares()
                .map(|(l, r)| ((l, st.receipts[r].pence(st.data)), r))
                .collect(),
        );
        BulkShares {
            by_account,
            by_amount,
        }
    }
}

/// Pass 2's keyed receipts and postings for a part of the accounts, each
/// sorted, and the runs of one account and amount in both.
struct Groups {
    receipts: Vec<Keyed>,
    postings: Vec<Keyed>,
    runs: Vec<Group>,
}

/// The runs of one account and amount found in both sorted `rs` and `ps`.
fn meeting_runs(rs: &[Keyed], ps: &[Keyed]) -> Vec<Group> {
    let group = |run: &[Keyed], from: usize| {
        let key = (run[from].0, run[from].1);
        from + run[from..].iter().take_while(|k| (k.0, k.1) == key).count()
    };
    let mut groups = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < rs.len() && j < ps.len() {
        match (rs[i].0, rs[i].1).cmp(&(ps[j].0, ps[j].1)) {
            std::cmp::Ordering::Less => i = group(rs, i),
            std::cmp::Ordering::Greater => j = group(ps, j),
            std::cmp::Ordering::Equal => {
                let (i_end, j_end) = (group(rs, i), group(ps, j));
                groups.push((i..i_end, j..j_end));
                (i, j) = (i_end, j_end);
            }
        }
    }
    groups
}

/// (account, hash of the payer's name) of every receipt already linked to
/// a posting on an account: who has paid in there before.
type PayerHistory = HashSet<(AccountId, u64)>;

/// The receipts left free after pass 2, by the keys passes 3 to 7 look
/// them up by. Built only then: pass 2 links nearly all, so these are
/// small, and they are not held beside pass 2's own sorted runs (the peak
/// of a run's memory). Pass order does not depend on when they were
/// built: each pass's pairs are chosen by `assign`'s total order.
struct FreePools {
    by_amount: Pool<i64>,
    by_account_amount: Pool<(AccountId, i64)>,
    by_account_day: Pool<(AccountId, i32)>,
}

impl FreePools {
    fn build(st: &State, receipt_free: &[bool]) -> Self {
        let free = || {
            (0..st.receipts.len())
                .into_par_iter()
                .filter(|&r| receipt_free[r])
        };
        let pence = |r: usize| st.receipts[r].pence(st.data);
        let by_amount = Pool::new(free().map(|r| (pence(r), r)).collect());
        let by_account_amount = Pool::new(
            free()
                .filter_map(|r| Some(((st.receipts[r].identity.account()?, pence(r)), r)))
                .collect(),
        );
        let by_account_day = Pool::new(
            free()
                .filter_map(|r| {
                    let day = day_number(st.receipts[r].date(st.data));
                    Some(((st.receipts[r].identity.account()?, day), r))
                })
                .collect(),
        );
        FreePools {
            by_amount,
            by_account_amount,
            by_account_day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i32 {
        day_number(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
    }

    #[test]
    fn the_lead_is_counted_in_working_days() {
        // Friday 9 January 2026 to Tuesday 13th: 4 days, 2 of them working.
        assert!(within_lead(day("2026-01-13"), 4, 3));
        // Friday to Wednesday: 3 working days; to Thursday, 4.
        assert!(within_lead(day("2026-01-14"), 5, 3));
        assert!(!within_lead(day("2026-01-15"), 6, 3));
        // Monday to Friday: 4 working days, no weekend between.
        assert!(!within_lead(day("2026-01-16"), 4, 3));
        assert!(within_lead(day("2026-01-16"), 3, 3));
    }
}
