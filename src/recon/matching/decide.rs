//! Linking postings to receipts (by bank id, reference, payer, amount and
//! date, cheapest first) and deciding each receipt's outcome and findings.

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
pub(super) fn plausible_keying_error(posted: Decimal, received: Decimal) -> bool {
    let digits = |d: Decimal| -> String {
        let mut d = d;
        d.rescale(2);
        d.to_string().chars().filter(char::is_ascii_digit).collect()
    };
    let (a, b) = (digits(posted), digits(received));
    let ten = Decimal::from(10);
    identify::one_edit_apart(&a, &b)
        || posted == received * ten
        || posted * ten == received
        || (posted - received).abs() * ten <= received
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
        d >= -self.opts.lead_days && d <= self.opts.match_days
    }

    /// Posted between `lead_days` early and `posting_days` late.
    fn on_time(&self, posting: &Posting, receipt: &Receipt) -> bool {
        let d = lag(self.data, posting, receipt);
        d >= -self.opts.lead_days && d <= self.opts.posting_days
    }

    pub(super) fn link(&mut self, r: usize, p: usize) {
        self.linked.push(r, p);
        self.posting_linked[p] = true;
    }

    /// Pass 1: the rent system kept the receipt's bank id (or batch ref).
    pub(super) fn link_by_bank_ref(
        &mut self,
        cash_credits: &[u32],
        bank_keys: &BankKeys,
        line_receipts: &LineReceipts,
    ) {
        // A bulk line's shares (thousands in a Housing Benefit run) by
        // account and by amount, so that finding a posting's share is a
        // lookup rather than a scan of the whole run.
        // Sorted, not hashed, as the window passes' pools: a map's buckets
        // and a vector for each key cost more than the shares, and this step
        // is near the peak of a run's memory.
        let shares = || {
            (0..self.data.bank.len())
                .filter(|&l| line_receipts.of(l).len() >= 2)
                .flat_map(|l| line_receipts.of(l).map(move |r| (l, r)))
        };
        let share_by_account = Pool::new(
            shares()
                .filter_map(|(l, r)| Some(((l, self.receipts[r].identity.account()?), r)))
                .collect(),
        );
        let share_by_amount = Pool::new(
            shares()
                .map(|(l, r)| ((l, self.receipts[r].pence(self.data)), r))
                .collect(),
        );
        // What each posting's bank ref leads to, found in parallel; linking
        // is in ledger order, and only a bulk line's shares need the links
        // made so far to choose between them. A run of postings at a time,
        // so that what was found is never held for millions at once (this
        // step is near the peak of a run's memory).
        const RUN: usize = 1 << 16;
        let mut found = vec![Found::NoRef; RUN.min(cash_credits.len())];
        for run in cash_credits.chunks(RUN) {
            let found = &mut found[..run.len()];
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
                            (Some(_), Some(l)) if !line_receipts.of(l).is_empty() => {
                                Found::Shares(l)
                            }
                            (Some(_), _) => Found::Dangling,
                        };
                    }
                });
            for (&p, &found) in run.iter().zip(found.iter()) {
                self.link_found(p as usize, found, &share_by_account, &share_by_amount);
            }
        }
    }

    /// Links posting `p` as its bank ref `found`, or leaves it free for the
    /// later passes. For a bulk line: its own share, unlinked and of the
    /// same amount; else its own share; else anyone's unlinked share of that
    /// amount.
    fn link_found(
        &mut self,
        p: usize,
        found: Found,
        share_by_account: &Pool<(usize, AccountId)>,
        share_by_amount: &Pool<(usize, i64)>,
    ) {
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
        let mut own = share_by_account.get((l, posting.account));
        let chosen = own
            .clone()
            .find(|r| unlinked(r) && self.receipts[*r].amount(self.data) == credit)
            .or_else(|| own.next())
            .or_else(|| {
                share_by_amount
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

    /// Passes 2 to 5: no usable `bank_ref`, so account, amount and date.
    pub(super) fn link_by_window(&mut self) {
        let mut receipt_free: Vec<bool> = (0..self.receipts.len())
            .map(|r| self.linked.is_empty(r))
            .collect();
        let mut posting_free = vec![false; self.data.postings.len()];
        for &p in &self.free_postings {
            if !self.no_share.contains_key(&p) {
                posting_free[p] = true;
            }
        }

        // 2: same account, same amount, posted on time: aligned in date
        // order per group. A quarter of the accounts at a time, and a run
        // of their groups at a time, each run's pairs linked before the next
        // is aligned: every group's receipts, postings and pairs at once
        // were the peak of a run's memory. Groups are still aligned and
        // linked in account order, and a group's links touch no other
        // account's receipts or postings, so the result is the same.
        const GROUPS_AT_ONCE: usize = 1 << 14;
        const ACCOUNT_PARTS: usize = 4;
        let accounts = self.data.accounts.len();
        let part = accounts.div_ceil(ACCOUNT_PARTS).max(1);
        let mut candidates = Vec::new();
        for from in (0..accounts).step_by(part) {
            let to = (from + part).min(accounts);
            let (rs, ps, groups) = self.same_account_groups(
                &receipt_free,
                &posting_free,
                from as AccountId..to as AccountId,
            );
            for run in groups.chunks(GROUPS_AT_ONCE) {
                let aligned: Vec<_> = run
                    .par_iter()
                    .map(|(r_run, p_run)| {
                        let dated = |k: &Keyed| (k.2, k.3);
                        let receipts: Vec<Dated> = rs[r_run.clone()].iter().map(dated).collect();
                        let postings: Vec<Dated> = ps[p_run.clone()].iter().map(dated).collect();
                        self.align(&receipts, &postings)
                    })
                    .collect();
                for group in aligned {
                    match group {
                        Ok(pairs) => {
                            for (r, p) in pairs {
                                receipt_free[r] = false;
                                posting_free[p] = false;
                                self.link(r, p);
                            }
                        }
                        Err(pairs) => candidates.extend(pairs),
                    }
                }
            }
        }
        self.accept(assign(candidates, &mut receipt_free, &mut posting_free));

        // The receipts still free, by account and by amount, for passes 3 to
        // 5. Built only now: pass 2 links nearly all, so these are small, and
        // they are not held beside pass 2's own sorted runs (the peak of a
        // run's memory). Pass order does not depend on when they were built:
        // each pass's pairs are chosen by `assign`'s total order.
        let free = || {
            (0..self.receipts.len())
                .into_par_iter()
                .filter(|&r| receipt_free[r])
        };
        let by_account = Pool::new(
            free()
                .filter_map(|r| Some((self.receipts[r].identity.account()?, r)))
                .collect(),
        );
        let by_amount = Pool::new(
            free()
                .map(|r| (self.receipts[r].pence(self.data), r))
                .collect(),
        );

        // 3: same amount, a receipt nobody could identify (or that fits
        // several accounts, this one among them): the posting identified it.
        // Passes 3 and 4 have only the amount to go on, so only on-time
        // pairs count: a late one is more likely some other payment.
        // Money never moves between accounts on amount and date alone:
        // something else must tie the receipt to the posting's account.
        let history = self.payer_history(&posting_free);
        let same_amount = |p: &Posting| by_amount.get(p.credit_pence());
        let same_account = |p: &Posting| by_account.get(p.account);
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_amount,
            |st, p, i, r| {
                st.on_time(p, r)
                    && match r.identity {
                        Held::Unknown => st.corroborates(&history, p, r),
                        Held::Ambiguous => st.ambiguous_set(i).contains(&p.account),
                        Held::Account(..) => false,
                    }
            },
        );
        // 4: same amount, on time, a receipt that identifies another account.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_amount,
            |st, p, _, r| {
                st.on_time(p, r)
                    && r.identity.account().is_some_and(|a| a != p.account)
                    && st.corroborates(&history, p, r)
            },
        );
        // 6a: money posted in parts on time: before a late posting of the
        // whole amount, which is the weaker match.
        self.link_in_parts(&mut receipt_free, &mut posting_free, self.opts.posting_days);
        // 2b: same account, same amount, posted late. After 3 and 4, since an
        // on-time posting elsewhere is the stronger match.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_account,
            |st, p, _, r| r.amount(st.data) == p.credit(),
        );
        // 6b: one receipt posted in parts, or several posted as one, late:
        // before keying errors, since a part can look like a mistyped whole.
        self.link_in_parts(&mut receipt_free, &mut posting_free, self.opts.match_days);
        // 6: same account, an amount that looks like a keying error.
        self.greedy_pass(
            &mut receipt_free,
            &mut posting_free,
            same_account,
            |st, p, _, r| plausible_keying_error(p.credit(), r.amount(st.data)),
        );
    }

    /// Who has paid into each account that still has a posting looking for
    /// its money: (account, hash of the payer's name) of every receipt
    /// already linked to a posting there. Only those accounts are looked at.
    fn payer_history(&self, posting_free: &[bool]) -> HashSet<(AccountId, u64)> {
        let wanted: HashSet<AccountId> = (self.free_postings.iter())
            .filter(|&&p| posting_free[p])
            .map(|&p| self.data.postings[p].account)
            .collect();
        if wanted.is_empty() {
            return HashSet::default();
        }
        (0..self.receipts.len())
            .into_par_iter()
            .filter_map(|r| {
                let first = self.linked.first[r];
                let account = (first != Links::NONE)
                    .then(|| self.data.postings[first as usize].account)
                    .filter(|a| wanted.contains(a))?;
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
    fn corroborates(
        &self,
        history: &HashSet<(AccountId, u64)>,
        p: &Posting,
        receipt: &Receipt,
    ) -> bool {
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
    fn greedy_pass<P, I, F>(
        &mut self,
        receipt_free: &mut [bool],
        posting_free: &mut [bool],
        pool: P,
        fits: F,
    ) where
        P: Fn(&Posting) -> I + Sync,
        I: Iterator<Item = usize>,
        F: Fn(&Self, &Posting, usize, &Receipt) -> bool + Sync,
    {
        let (r_free, p_free) = (&*receipt_free, &*posting_free);
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
        let chosen = assign(pairs, receipt_free, posting_free);
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
    fn same_account_groups(
        &self,
        receipt_free: &[bool],
        posting_free: &[bool],
        accounts: std::ops::Range<AccountId>,
    ) -> (Vec<Keyed>, Vec<Keyed>, Vec<Group>) {
        // Sorted rather than hashed, on integers (pence and day numbers):
        // there are millions.
        // Gathered in one pass each, into room for them all: a pass per
        // core and a merge cost more than they save here. Room not filled
        // is never touched, so it costs no memory.
        let (mut ps, mut rs): (Vec<Keyed>, Vec<Keyed>) = rayon::join(
            || {
                let mut ps = Vec::with_capacity(self.free_postings.len());
                ps.extend(
                    self.free_postings
                        .iter()
                        .filter(|&&p| {
                            posting_free[p] && accounts.contains(&self.data.postings[p].account)
                        })
                        .map(|&p| {
                            let posting = &self.data.postings[p];
                            let day = day_number(posting.date);
                            (posting.account, posting.credit_pence(), day, p)
                        }),
                );
                ps
            },
            || {
                let mut rs = Vec::with_capacity(self.receipts.len());
                rs.extend(
                    self.receipts
                        .iter()
                        .enumerate()
                        .filter(|&(r, _)| receipt_free[r])
                        .filter_map(|(r, receipt)| {
                            let account = receipt
                                .identity
                                .account()
                                .filter(|a| accounts.contains(a))?;
                            let day = day_number(receipt.date(self.data));
                            Some((account, receipt.pence(self.data), day, r))
                        }),
                );
                rs
            },
        );
        ps.par_sort_unstable();
        rs.par_sort_unstable();
        let group = |run: &[Keyed], from: usize| {
            let key = (run[from].0, run[from].1);
            from + run[from..].iter().take_while(|k| (k.0, k.1) == key).count()
        };
        let mut groups = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < rs.len() && j < ps.len() {
            match (rs[i].0, rs[i].1).cmp(&(ps[j].0, ps[j].1)) {
                std::cmp::Ordering::Less => i = group(&rs, i),
                std::cmp::Ordering::Greater => j = group(&ps, j),
                std::cmp::Ordering::Equal => {
                    let (i_end, j_end) = (group(&rs, i), group(&ps, j));
                    groups.push((i..i_end, j..j_end));
                    (i, j) = (i_end, j_end);
                }
            }
        }
        (rs, ps, groups)
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
        let (early, late) = (-self.opts.lead_days, self.opts.posting_days);
        let pair_cost = |(r_day, _): Dated, (p_day, _): Dated| {
            let days = i64::from(p_day) - i64::from(r_day);
            (early..=late).contains(&days).then(|| cost(days))
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

    /// Gives every receipt its outcome, and the postings tied to it theirs.
    pub(super) fn decide_receipts(
        &self,
        index: &RefIndex,
        near: &NearIndex,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) -> Vec<Outcome> {
        // In the ledger's order of their postings, not the statement's: a
        // statement in date order against a ledger by account read each
        // receipt's postings far from the last one's, and deciding took
        // nearly three times as long (docs/benchmarks.md). Receipts with no
        // posting come last, in statement order. Findings are sorted
        // afterwards, and each receipt and posting is decided once, so the
        // order is not seen.
        let mut order: Vec<(u32, u32)> = (0..self.receipts.len())
            .into_par_iter()
            .map(|r| (self.linked.first[r], r as u32))
            .collect();
        order.par_sort_unstable();
        // A run of receipts at a time: millions of decisions held at once
        // were the peak of a whole run's memory.
        const RUN: usize = 1 << 16;
        let mut receipt_outcomes = vec![Outcome::Matched; self.receipts.len()];
        for run in order.chunks(RUN) {
            let decided: Vec<Decision> = run
                .par_iter()
                .map(|&(_, r)| self.decide_receipt(index, near, r as usize))
                .collect();
            for (&(_, r), (outcome, outcomes, found)) in run.iter().zip(decided) {
                receipt_outcomes[r as usize] = outcome;
                for (p, o) in outcomes {
                    credit_outcomes[p] = Some(o);
                }
                findings.extend(found);
            }
        }
        receipt_outcomes
    }

    /// Whether receipt `r` is in suspense: no one account claims it and
    /// nothing was linked to it. These are the receipts
    /// [`State::decide_receipt`] makes suggestions for.
    fn in_suspense(&self, r: usize) -> bool {
        self.receipts[r].identity.account().is_none() && self.linked.is_empty(r)
    }

    fn decide_receipt(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Decision {
        let receipt = &self.receipts[r];
        let line = &self.data.bank[receipt.bank as usize];
        let finding =
            |kind: FindingKind, account, posted_to, postings: Vec<usize>, amount, detail| {
                let mut evidence = vec![self.data.bank_row(receipt.bank as usize)];
                evidence.extend(receipt.share().map(|s| self.data.shares[s as usize].row));
                evidence.extend(postings.iter().map(|&p| self.data.posting_row(p)));
                Finding {
                    kind,
                    severity: kind.severity(),
                    account,
                    posted_to,
                    bank: Some(receipt.bank as usize),
                    postings,
                    amount,
                    evidence,
                    detail,
                    suggestions: Vec::new(),
                }
            };
        let money = self.describe_receipt(receipt);
        let amount = receipt.amount(self.data);

        let mut postings: SmallVec<[usize; 2]> = self.linked.of(r).collect();
        postings.sort_unstable();
        if postings.is_empty() {
            return match receipt.identity {
                Held::Account(a, basis) => {
                    let acc = &self.data.account(a).account_ref;
                    let waiting = days_between(receipt.date(self.data), self.opts.as_at);
                    let mut f = finding(
                        FindingKind::UnpostedReceipt,
                        Some(a),
                        None,
                        vec![],
                        -amount,
                        if waiting <= self.opts.posting_days {
                            format!(
                                "{money} belongs to {acc} ({}) and is not posted yet, {waiting} days before \
                                 the as-at date (allowed: {}): the corrected balance counts it; make sure it \
                                 is posted to {acc}.",
                                basis.describe(),
                                self.opts.posting_days
                            )
                        } else {
                            format!(
                                "{money} belongs to {acc} ({}) but never reached any rent account: post it to {acc}.",
                                basis.describe()
                            )
                        },
                    );
                    // Still inside the posting allowance: not yet an error.
                    if waiting <= self.opts.posting_days {
                        f.severity = Severity::Low;
                    }
                    (Outcome::UnpostedReceipt, SmallVec::new(), vec![f])
                }
                identity => {
                    // The near-miss index was built for these receipts only.
                    debug_assert!(self.in_suspense(r));
                    let mut suggestions = self.suggest(index, near, r);
                    let mut detail = format!(
                        "{money} matches no account and was never posted; it is in suspense."
                    );
                    if identity == Held::Ambiguous {
                        let ids = self.ambiguous_set(r);
                        let refs: Vec<&str> = ids
                            .iter()
                            .map(|&a| self.data.account(a).account_ref.as_str())
                            .collect();
                        detail = format!(
                            "{money} fits more than one account equally ({}) and was never posted; it is in suspense.",
                            refs.join(", ")
                        );
                        suggestions = ids
                            .iter()
                            .map(|&a| identify::Suggestion {
                                account: a,
                                score: 2,
                                strong: false,
                                reason: "reference matches this account as well as another"
                                    .to_string(),
                            })
                            .collect();
                    }
                    detail.push_str(&self.suggestions_in_words(&suggestions));
                    let mut f = finding(
                        FindingKind::UnidentifiedReceipt,
                        None,
                        None,
                        vec![],
                        -amount,
                        detail,
                    );
                    f.suggestions = suggestions;
                    (Outcome::UnidentifiedReceipt, SmallVec::new(), vec![f])
                }
            };
        }

        if let Some(&p) = self.combined.get(&r) {
            return self.decide_combined(r, p, &finding);
        }
        let mut outcomes = SmallVec::new();
        let mut found = Vec::new();
        let total = || -> i128 {
            (postings.iter())
                .map(|&p| i128::from(self.data.postings[p].credit_pence()))
                .sum()
        };
        if postings.len() > 1 && total() == i128::from(receipt.pence(self.data)) {
            // One receipt split across postings: matched, but for any part
            // posted away from the account its reference names.
            let mut outcome = Outcome::Matched;
            // Whose the receipt is: its reference's account, or where no
            // reference claims it, the one its evidence alone points to.
            // A reference naming a family's accounts, each part on one of
            // them: every part is where the payer asked.
            let family = receipt.identity == Held::Ambiguous
                && (postings.iter()).all(|&p| {
                    self.ambiguous_set(r)
                        .contains(&self.data.postings[p].account)
                });
            let owner = match family {
                true => None,
                false => receipt.identity.account().or_else(|| {
                    let suggested = self.suggest(index, near, r);
                    identify::strong_and_unique(&suggested)
                        .first()
                        .map(|s| s.account)
                }),
            };
            for &p in &postings {
                let moved = self.split_part_moved(receipt, owner, p);
                if let Some(f) = moved.map(|a| self.moved_part(receipt, a, p, &finding)) {
                    found.push(f);
                    outcome = Outcome::WrongAccount;
                }
                let o = moved.map_or(Outcome::Matched, |_| Outcome::WrongAccount);
                outcomes.push((p, o));
            }
            return (outcome, outcomes, found);
        }

        let expected = receipt.identity.account();
        let exact = |p: &usize| self.data.postings[*p].credit() == amount;
        let primary = postings
            .iter()
            .copied()
            .find(|p| exact(p) && Some(self.data.postings[*p].account) == expected)
            .or_else(|| postings.iter().copied().find(exact))
            .unwrap_or(postings[0]);
        for &p in postings.iter().filter(|&&p| p != primary) {
            let dup = &self.data.postings[p];
            let first = &self.data.postings[primary];
            outcomes.push((p, Outcome::DuplicatePosting));
            found.push(finding(
                FindingKind::DuplicatePosting,
                Some(dup.account),
                None,
                vec![primary, p],
                dup.credit(),
                format!(
                    "{money} was posted more than once: {} on {} to {} and again as {} on {} to {}: reverse {}.",
                    self.data.txn_id(primary),
                    first.date,
                    self.data.account(first.account).account_ref,
                    self.data.txn_id(p),
                    dup.date,
                    self.data.account(dup.account).account_ref,
                    self.data.txn_id(p)
                ),
            ));
        }

        let posting = &self.data.postings[primary];
        let posted_acc = &self.data.account(posting.account).account_ref;
        let credit = posting.credit();
        let days = lag(self.data, posting, receipt);
        let trusted_elsewhere = |a: AccountId| {
            // A tenant who pays with someone else's number but whose name the
            // posting follows: the posting is right, the reference is not.
            let tenant_of = |id: AccountId| self.data.account(id).tenant_name.as_str();
            identify::names_match(self.data.payer(line), tenant_of(posting.account))
                && !identify::names_match(self.data.payer(line), tenant_of(a))
        };
        let outcome = match receipt.identity {
            Held::Account(a, basis) if a != posting.account && !trusted_elsewhere(a) => {
                let acc = &self.data.account(a).account_ref;
                found.push(finding(
                    FindingKind::WrongAccount,
                    Some(a),
                    Some(posting.account),
                    vec![primary],
                    -amount,
                    format!(
                        "{money} belongs to {acc} ({}) but was posted to {posted_acc} as {} on {}: \
                         reverse it from {posted_acc} and post it to {acc}.",
                        basis.describe(),
                        self.data.txn_id(primary),
                        posting.date
                    ),
                ));
                if credit != amount {
                    found.push(finding(
                        FindingKind::AmountMismatch,
                        Some(posting.account),
                        None,
                        vec![primary],
                        credit - amount,
                        format!(
                            "{} on {} credited {posted_acc} with {} for {money}: the reversal from {posted_acc} \
                             must be {}, not the receipt's amount.",
                            self.data.txn_id(primary),
                            posting.date,
                            pounds(credit),
                            pounds(credit)
                        ),
                    ));
                }
                Outcome::WrongAccount
            }
            _ if credit != amount => {
                let diff = credit - amount;
                found.push(finding(
                    FindingKind::AmountMismatch,
                    Some(posting.account),
                    None,
                    vec![primary],
                    diff,
                    format!(
                        "{} on {} credited {posted_acc} with {}, but the receipt was {money}: \
                         correct the posting by {} (the tenant owes {} {}).",
                        self.data.txn_id(primary),
                        posting.date,
                        pounds(credit),
                        pounds(diff.abs()),
                        pounds(diff.abs()),
                        if diff > Decimal::ZERO { "more" } else { "less" }
                    ),
                ));
                Outcome::AmountMismatch
            }
            _ if days > self.opts.posting_days => {
                found.push(finding(
                    FindingKind::LatePosting,
                    Some(posting.account),
                    None,
                    vec![primary],
                    Decimal::ZERO,
                    format!(
                        "{money} was posted to {posted_acc} as {} on {}, {days} days after it arrived \
                         (allowed: {}): the account looked {} worse in between; check no arrears \
                         action was taken on it then.",
                        self.data.txn_id(primary),
                        posting.date,
                        self.opts.posting_days,
                        pounds(amount)
                    ),
                ));
                Outcome::LatePosting
            }
            _ => Outcome::Matched,
        };
        outcomes.push((primary, outcome));
        (outcome, outcomes, found)
    }

    /// The account a part of a split receipt belongs to, where it was posted
    /// elsewhere: the receipt's reference names an account, the part is on
    /// another, and the payer's name does not take it there.
    fn split_part_moved(
        &self,
        receipt: &Receipt,
        owner: Option<AccountId>,
        p: usize,
    ) -> Option<AccountId> {
        let a = owner?;
        let b = self.data.postings[p].account;
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        let tenant = |id: AccountId| self.data.account(id).tenant_name.as_str();
        let followed_name =
            identify::names_match(payer, tenant(b)) && !identify::names_match(payer, tenant(a));
        (a != b && !followed_name).then_some(a)
    }

    /// The `wrong_account` finding for part `p` of a split receipt that
    /// belongs to `a`.
    fn moved_part(
        &self,
        receipt: &Receipt,
        a: AccountId,
        p: usize,
        finding: &MakeFinding<'_>,
    ) -> Finding {
        let posting = &self.data.postings[p];
        let (acc, to) = (
            &self.data.account(a).account_ref,
            &self.data.account(posting.account).account_ref,
        );
        finding(
            FindingKind::WrongAccount,
            Some(a),
            Some(posting.account),
            vec![p],
            -posting.credit(),
            format!(
                "{} belongs to {acc}, but {} of it was posted to {to} as {} on {}: reverse it from {to} and \
                 post it to {acc}.",
                self.describe_receipt(receipt),
                pounds(posting.credit()),
                self.data.txn_id(p),
                posting.date
            ),
        )
    }

    /// The receipt in words, built only if a sentence uses it.
    pub(super) fn describe_receipt<'s>(&'s self, receipt: &'s Receipt) -> ReceiptText<'s> {
        ReceiptText {
            data: self.data,
            receipt,
        }
    }

    /// The texts a receipt's owner is suggested from: a share's account or
    /// claim ref, else the line's reference; and the payer, or where there
    /// is none the reference (a tenant's name typed as the reference).
    fn suggestion_texts(&self, r: usize) -> (&str, &str) {
        let receipt = &self.receipts[r];
        let line = &self.data.bank[receipt.bank as usize];
        if let Some(s) = receipt.share() {
            let share = &self.data.shares[s as usize];
            let named = share.account_ref.as_deref().or(share.claim_ref.as_deref());
            return (named.unwrap_or(""), "");
        }
        let (reference, payer) = (self.data.reference(line), self.data.payer(line));
        (reference, if payer.is_empty() { reference } else { payer })
    }

    /// The near-miss index for every receipt no account claims.
    pub(super) fn near_for_unclaimed(&self, index: &RefIndex) -> NearIndex {
        index.near_index_for(
            (0..self.receipts.len())
                .filter(|&r| self.receipts[r].identity.account().is_none())
                .map(|r| self.suggestion_texts(r).0),
        )
    }

    fn suggest(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Vec<identify::Suggestion> {
        let (reference, payer) = self.suggestion_texts(r);
        index.suggest(near, &self.data.accounts, reference, payer)
    }

    /// Receipts no reference claims that were posted somewhere, whose
    /// evidence fits another account at least as well (a payment from
    /// "J SMITH" posted to Jane Smith may be John Smith's): each such
    /// account is held.
    pub(super) fn posted_leads(
        &self,
        index: &RefIndex,
        near: &NearIndex,
    ) -> Vec<(AccountId, Lead)> {
        (0..self.receipts.len())
            .into_par_iter()
            .filter(|&r| self.receipts[r].identity.account().is_none() && !self.linked.is_empty(r))
            .flat_map_iter(|r| self.leads_of(index, near, r))
            .collect()
    }

    fn leads_of(&self, index: &RefIndex, near: &NearIndex, r: usize) -> Vec<(AccountId, Lead)> {
        let mut suggestions = self.suggest(index, near, r);
        // A reference naming two accounts ("RA2001 RA3107") names both.
        for &a in self.ambiguous_set(r) {
            if !suggestions.iter().any(|s| s.account == a) {
                suggestions.push(identify::Suggestion {
                    account: a,
                    score: 2,
                    strong: false,
                    reason: "the reference names this account as well as another".to_string(),
                });
            }
        }
        let posted: SmallVec<[AccountId; 2]> = self
            .linked
            .of(r)
            .map(|p| self.data.postings[p].account)
            .collect();
        let posted_score = (suggestions.iter())
            .filter(|s| posted.contains(&s.account))
            .map(|s| s.score)
            .max()
            .unwrap_or(0);
        let receipt = &self.receipts[r];
        suggestions
            .into_iter()
            .filter(|s| !posted.contains(&s.account) && s.score >= posted_score)
            .map(|s| {
                let lead = Lead {
                    bank: receipt.bank as usize,
                    amount: receipt.amount(self.data),
                    strong: s.strong,
                    reason: s.reason,
                    posted_to: Some(posted[0]),
                };
                (s.account, lead)
            })
            .collect()
    }

    /// Every receipt whose reference names one account while its payer is
    /// the tenant of another (docs/matching.md, "Payer and reference").
    pub(super) fn payer_conflicts(&self, index: &RefIndex) -> Vec<PayerConflict> {
        let candidates: Vec<PayerConflict> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| self.payer_conflict(index, r))
            .collect();
        conflict::drop_known_payers(self.data, &self.receipts, candidates)
    }

    fn payer_conflict(&self, index: &RefIndex, r: usize) -> SmallVec<[PayerConflict; 1]> {
        let receipt = &self.receipts[r];
        let Held::Account(a, _) = receipt.identity else {
            return SmallVec::new();
        };
        let payer = self.data.payer(&self.data.bank[receipt.bank as usize]);
        if receipt.share().is_some() || payer.is_empty() {
            return SmallVec::new();
        }
        let tenant = |id: AccountId| self.data.account(id).tenant_name.as_str();
        let posted_to_payer = self
            .linked
            .of(r)
            .map(|p| self.data.postings[p].account)
            .find(|&b| {
                b != a
                    && identify::names_match(payer, tenant(b))
                    && !identify::names_match(payer, tenant(a))
            });
        let conflict = |by_payer, posted_to_payer| PayerConflict {
            bank: receipt.bank,
            by_reference: a,
            by_payer,
            posted_to_payer,
        };
        match posted_to_payer {
            Some(b) => SmallVec::from_elem(conflict(b, true), 1),
            None if conflict::shares_a_word(payer, tenant(a))
                || identify::names_match(payer, tenant(a)) =>
            {
                SmallVec::new()
            }
            None => (index
                .tenants_by_full_name(&self.data.accounts, payer)
                .into_iter())
            .filter(|&b| b != a)
            .map(|b| conflict(b, false))
            .collect(),
        }
    }

    /// The candidates for a receipt in suspense, for its detail sentence:
    /// the best three, and which of them the evidence alone points to.
    fn suggestions_in_words(&self, suggestions: &[identify::Suggestion]) -> String {
        if suggestions.is_empty() {
            return " No account looks close: trace the payer through the bank.".to_string();
        }
        let names: Vec<String> = suggestions
            .iter()
            .take(SUGGESTIONS_SHOWN)
            .map(|s| {
                format!(
                    "{} ({})",
                    self.data.account(s.account).account_ref,
                    s.reason
                )
            })
            .collect();
        let left_out = suggestions.len().saturating_sub(SUGGESTIONS_SHOWN);
        let mut words = format!(
            " Possible accounts: {}{}. Confirm with the payer before posting.",
            names.join("; "),
            if left_out > 0 {
                format!(" and {left_out} more")
            } else {
                String::new()
            }
        );
        if let [one] = identify::strong_and_unique(suggestions) {
            words.push_str(&format!(
                " The evidence points to {} alone: each suggested account is held until this is settled.",
                self.data.account(one.account).account_ref
            ));
        } else {
            words.push_str(" Each suggested account is held until this is settled.");
        }
        words
    }

    /// Cash credits tied to no receipt: a duplicate of one that is tied
    /// (same account, same amount, near in time), or money that never came.
    pub(super) fn decide_unlinked_postings(
        &self,
        credit_outcomes: &mut [Option<Outcome>],
        findings: &mut Vec<Finding>,
    ) {
        // The linked receipts of only the accounts with a credit left over:
        // a map of every account's would cost more than the rest of this.
        let mut wanted = vec![false; self.data.accounts.len()];
        for &p in &self.free_postings {
            if !self.posting_linked[p] {
                wanted[self.data.postings[p].account as usize] = true;
            }
        }
        // Which postings are on those accounts, a bit each, read in ledger
        // order: a receipt's postings are then looked up in a small table,
        // not read at random (a statement in date order links each receipt
        // to a posting far from the last one's).
        let on_wanted: Vec<u64> = self
            .data
            .postings
            .par_chunks(64)
            .map(|chunk| {
                (chunk.iter().enumerate())
                    .filter(|(_, p)| wanted[p.account as usize])
                    .fold(0, |bits, (i, _)| bits | 1 << i)
            })
            .collect();
        let is_on_wanted = |p: usize| on_wanted[p / 64] >> (p % 64) & 1 != 0;
        let of_wanted: Vec<(AccountId, usize)> = (0..self.receipts.len())
            .into_par_iter()
            .flat_map_iter(|r| {
                self.linked
                    .of(r)
                    .filter(|&p| is_on_wanted(p))
                    .map(move |p| (self.data.postings[p].account, r))
            })
            .collect();
        // By account and amount: a credit's original is a receipt of its
        // amount, and one account (a suspense account, say) may hold
        // hundreds of thousands of receipts.
        let mut by_amount: HashMap<(AccountId, i64), Vec<usize>> = HashMap::default();
        for (account, r) in of_wanted {
            let pence = self.receipts[r].pence(self.data);
            by_amount.entry((account, pence)).or_default().push(r);
        }
        for &p in &self.free_postings {
            if self.posting_linked[p] {
                continue;
            }
            let posting = &self.data.postings[p];
            let acc = &self.data.account(posting.account).account_ref;
            // A duplicate is keyed again near the first posting, the same
            // way: soon after it, or (the unreferenced copy keyed by hand
            // first) soon before.
            let near_first = |q: usize| {
                let first = &self.data.postings[q];
                let days = days_between(first.date, posting.date);
                first.account == posting.account
                    && (-self.opts.posting_days..=self.opts.posting_days).contains(&days)
                    && (first.method == posting.method
                        || first.method.is_none()
                        || posting.method.is_none())
            };
            let original = by_amount
                .get(&(posting.account, posting.credit_pence()))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&r| self.linked.of(r).any(near_first))
                .min_by_key(|&r| (cost(lag(self.data, posting, &self.receipts[r])), r));
            let mut evidence = vec![self.data.posting_row(p)];
            let (kind, bank, postings, detail) = match original {
                Some(r) => {
                    let receipt = &self.receipts[r];
                    let first = self
                        .linked
                        .of(r)
                        .filter(|&q| near_first(q))
                        .min()
                        .unwrap_or(p);
                    evidence.insert(0, self.data.bank_row(receipt.bank as usize));
                    evidence.insert(1, self.data.posting_row(first));
                    (
                        FindingKind::DuplicatePosting,
                        Some(receipt.bank as usize),
                        vec![first, p],
                        format!(
                            "{} was posted to {acc} twice: {} on {} and {} on {}, for one receipt: reverse {}.",
                            self.describe_receipt(receipt),
                            self.data.txn_id(first),
                            self.data.postings[first].date,
                            self.data.txn_id(p),
                            posting.date,
                            self.data.txn_id(p)
                        ),
                    )
                }
                None => {
                    let why = if let Some(bank_ref) = self.dangling_ref.get(&p) {
                        format!("its bank reference {bank_ref:?} is on no bank line up to the as-at date")
                    } else if let Some(&l) = self.no_share.get(&p) {
                        evidence.push(self.data.bank_row(l));
                        format!(
                            "its bulk receipt {} has no share in the schedule for {acc}",
                            self.data.bank_id(l)
                        )
                    } else {
                        format!(
                            "no receipt of that amount for this account arrived between {} days before and {} days after",
                            self.opts.lead_days, self.opts.match_days
                        )
                    };
                    (
                        FindingKind::UnbankedCredit,
                        self.no_share.get(&p).copied(),
                        vec![p],
                        format!(
                            "{} on {} credits {acc} with {} as a {} but no money is behind it: {why}. \
                             Find the receipt or reverse the credit.",
                            self.data.txn_id(p),
                            posting.date,
                            pounds(posting.credit()),
                            posting.kind
                        ),
                    )
                }
            };
            credit_outcomes[p] = kind.spec().outcome;
            findings.push(Finding {
                kind,
                severity: kind.severity(),
                account: Some(posting.account),
                posted_to: None,
                bank,
                postings,
                amount: posting.credit(),
                evidence,
                detail,
                suggestions: Vec::new(),
            });
        }
    }
}
