#!/usr/bin/env python3
"""An independent synthetic landlord for checking rent-audit's precision and
recall. Written from CONTRACT.md alone, not from rent-audit's matching code:
it plants errors, records the truth, and scores a JSON report against it.

    python3 scripts/synth.py make OUT_DIR [--accounts 400] [--seed 7]
    rent-audit reconcile OUT_DIR --format json --as-at 2026-06-30 > report.json
    python3 scripts/synth.py score OUT_DIR report.json

The truth is what a careful officer would conclude from knowing what
happened, not what any rule would say.
"""
import csv, datetime as dt, json, os, random, sys
from decimal import Decimal as D

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
CENT = D("0.01")

def money(x):
    return str(D(x).quantize(CENT))

def mondays(start, end, step):
    d = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    while d <= end:
        yield d
        d += dt.timedelta(days=step)

def month_days(day, start, end):
    y, m = start.year, start.month
    while True:
        d = dt.date(y, m, day)
        if d > end:
            return
        if d >= start:
            yield d
        m += 1
        if m == 13:
            y, m = y + 1, 1

FIRST = "Amy Ben Cara Dev Eli Fay Gus Hal Ivy Jon Kai Lea Max Nia Oli Pam Raj Sam Tia Uma Vic Wes Yas Zoe".split()
LAST = "Adams Baker Clark Davis Evans Ford Green Hill Irwin Jones King Lewis Moore Nash Owen Patel Quinn Reed Shah Taylor Usman Vance Walsh Young".split()

def make(out, n, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    accounts, ledger, bank, sched = [], [], [], []
    truth = {"findings": [], "balances": {}}
    seq = {"b": 0, "t": 0}
    def bank_id():
        seq["b"] += 1
        return f"STMT{seq['b']:06d}"
    def txn():
        seq["t"] += 1
        return f"TX{seq['t']:07d}"
    delta = {}     # account -> correction the truth applies (signed as debit)
    def plant(kind, account, bank=None, txns=(), amount=D(0), posted_to=None):
        truth["findings"].append(dict(kind=kind, account_ref=account or "", bank_id=bank or "",
                                      txn_ids=list(txns), posted_to=posted_to or ""))
        if account:
            delta[account] = delta.get(account, D(0)) + amount
        if posted_to:
            delta[posted_to] = delta.get(posted_to, D(0)) - amount

    refs = [f"HA{100000 + i * 7:06d}" for i in range(n)]
    names = set()
    for i, ref in enumerate(refs):
        for attempt in range(20):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if rng.random() < .7 else '-' + rng.choice(LAST)}"
            if attempt == 19:  # the name space is small: make it unique
                name = f"{name}-{rng.choice(LAST)}{i}"
            if name not in names:
                names.add(name)
                break
        period = rng.choices(["weekly", "fortnightly", "four_weekly", "monthly"], [70, 10, 5, 15])[0]
        weekly = D(rng.randint(7500, 16000)) / 100
        rent = {"weekly": weekly, "fortnightly": weekly * 2, "four_weekly": weekly * 4,
                "monthly": (weekly * 52 / 12).quantize(CENT)}[period]
        benefit = rng.choices(["none", "hb", "uc"], [65, 25, 10])[0]
        channel = rng.choice(["dd", "so", "card", "cash"]) if benefit == "none" else rng.choice(["dd", "so", "none"])
        prefs = []
        mandate = f"DDI{rng.randint(10**7, 10**8 - 1)}"
        card = f"633597{rng.randint(10**9, 10**10 - 1)}"
        claim = f"CLM{rng.randint(10**5, 10**6 - 1)}"
        if channel == "dd": prefs.append(mandate)
        if channel == "card": prefs.append(card)
        if benefit != "none": prefs.append(claim)
        opening = D(rng.choice([0, 0, 0, rng.randint(0, 60000) / 100]))
        acc = dict(account_ref=ref, tenant_name=name, tenancy_type=rng.choice(["assured"] * 6 + ["secure", "assured_shorthold"]),
                   rent_period=period, rent=money(rent), opening_date=START.isoformat(), opening_balance=money(opening),
                   payment_refs=";".join(prefs), benefit=benefit, vulnerable="false",
                   benefit_claim_pending="false", open_dispute="false", _channel=channel, _claim=claim,
                   _mandate=mandate, _card=card, _weekly=weekly, _rent=rent)
        accounts.append(acc)
        dates = {"weekly": list(mondays(START, END, 7)), "fortnightly": list(mondays(START, END, 14)),
                 "four_weekly": list(mondays(START, END, 28)), "monthly": list(month_days(1, START, END))}[period]
        for d in dates:
            ledger.append(dict(txn_id=txn(), account_ref=ref, date=d, kind="charge", debit=money(rent), credit="",
                               method="", bank_ref="", description="Rent charge"))
        acc["_dates"] = dates

    def messy_ref(acc):
        ref = acc["account_ref"]
        return rng.choice([ref, ref.lower(), f"RENT {ref}", f"{ref[:2]} {ref[2:]}", f"ref: {ref}", f"{ref}-RENT",
                           ref[2:], ref.replace("HA", "H.A.")])

    by_ref = {a["account_ref"]: a for a in accounts}
    # Tenants' own payments, with errors planted.
    for acc in accounts:
        ch = acc["_channel"]
        if ch == "none":
            continue
        share = D(1) if acc["benefit"] == "none" else D(rng.choice(["0.2", "0.3", "0.5"]))
        pay_rent = (acc["_rent"] * share).quantize(CENT)
        payer = acc["tenant_name"].upper() if rng.random() < .5 else f"{acc['tenant_name'][0]} {acc['tenant_name'].split()[-1]}".upper()
        arrears_prone = rng.random() < 0.15
        for d in acc["_dates"]:
            if arrears_prone and rng.random() < 0.4:
                continue
            amount = pay_rent
            if ch == "dd":
                bd, reference, method = d + dt.timedelta(days=rng.choice([0, 0, 1])), acc["_mandate"], "dd"
            elif ch == "card":
                bd, reference, method = d + dt.timedelta(days=rng.randint(0, 4)), acc["_card"], "card"
            elif ch == "cash":
                bd, reference, method = d + dt.timedelta(days=rng.randint(0, 4)), acc["account_ref"], "cash"
            else:
                bd, reference, method = d + dt.timedelta(days=rng.randint(-2, 3)), messy_ref(acc), "standing_order"
            if bd > END or bd < START:
                continue
            bid = bank_id()
            bank.append(dict(bank_id=bid, date=bd, amount=money(amount), reference=reference, payer=payer,
                             method=method, return_code="", returned_bank_id=""))
            post_date = bd + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
            keep_ref = rng.random() < 0.6
            r = rng.random()
            def post(account, amt, when, ref_kept=keep_ref):
                t = txn()
                ledger.append(dict(txn_id=t, account_ref=account, date=when, kind="payment", debit="", credit=money(amt),
                                   method=method, bank_ref=bid if ref_kept else "", description=f"{method} receipt"))
                return t
            if post_date > END:
                # Received, not posted by the as-at date: the tenant has paid.
                plant("unposted_receipt", acc["account_ref"], bid, [], -amount)
                continue
            if r < 0.012:      # posted to another account
                other = rng.choice(accounts)["account_ref"]
                if other == acc["account_ref"]:
                    post(acc["account_ref"], amount, post_date)
                    continue
                t = post(other, amount, post_date)
                plant("wrong_account", acc["account_ref"], bid, [t], -amount, other)
            elif r < 0.022:    # never posted
                plant("unposted_receipt", acc["account_ref"], bid, [], -amount)
            elif r < 0.030:    # keying error
                wrong = (amount * 10) if rng.random() < .5 else D(str(amount)[::-1].lstrip("0") or "1").quantize(CENT) if False else (amount + D(rng.choice([-9, 9, 90, -90])) / 10)
                if wrong <= 0 or wrong == amount:
                    wrong = amount * 10
                t = post(acc["account_ref"], wrong, post_date, True)
                plant("amount_mismatch", acc["account_ref"], bid, [t], wrong - amount)
            elif r < 0.038:    # posted twice
                t1 = post(acc["account_ref"], amount, post_date)
                t2 = post(acc["account_ref"], amount, post_date + dt.timedelta(days=rng.randint(0, 2)))
                plant("duplicate_posting", acc["account_ref"], bid, [t1, t2], amount)
            elif r < 0.046:    # posted late
                late = bd + dt.timedelta(days=rng.randint(8, 20))
                if late > END:
                    plant("unposted_receipt", acc["account_ref"], bid, [], -amount)
                    continue
                t = post(acc["account_ref"], amount, late)
                plant("late_posting", acc["account_ref"], bid, [t], D(0))
            elif r < 0.052 and ch == "so":  # reference nobody could read, never posted
                bank[-1]["reference"] = rng.choice(["RENT", "PAYMENT", "FLAT 3", ""])
                bank[-1]["payer"] = "UNKNOWN PAYER"
                plant("unidentified_receipt", None, bid, [], -amount)
            else:
                post(acc["account_ref"], amount, post_date)
                if ch == "dd" and rng.random() < 0.03:
                    # A returned Direct Debit, a few days later.
                    rdate = bd + dt.timedelta(days=rng.randint(3, 5))
                    if rdate > END:
                        continue
                    rid = bank_id()
                    bank.append(dict(bank_id=rid, date=rdate, amount=money(-amount), reference=reference, payer=payer,
                                     method="dd_return", return_code=rng.choice("0123456B"), returned_bank_id=bid))
                    def reversal(when, with_ref):
                        t = txn()
                        ledger.append(dict(txn_id=t, account_ref=acc["account_ref"], date=when, kind="reversal",
                                           debit=money(amount), credit="", method="dd",
                                           bank_ref=rid if with_ref else "", description="DD returned"))
                        return t
                    fate = rng.random()
                    if fate < 0.7:
                        reversal(rdate + dt.timedelta(days=rng.randint(0, 2)), rng.random() < .5)
                    elif fate < 0.85:
                        plant("unreversed_return", acc["account_ref"], rid, [], amount)
                    else:
                        t1 = reversal(rdate, True)
                        t2 = reversal(rdate + dt.timedelta(days=rng.randint(1, 3)), False)
                        plant("duplicate_posting", acc["account_ref"], rid, [t1, t2], -amount)
    # Reversals of Direct Debits that were never returned.
    for acc in rng.sample([a for a in accounts if a["_channel"] == "dd"], max(1, n // 100)):
        t = txn()
        amt = (acc["_rent"] if acc["benefit"] == "none" else acc["_rent"] / 2).quantize(CENT)
        ledger.append(dict(txn_id=t, account_ref=acc["account_ref"], date=START + dt.timedelta(days=rng.randint(20, 160)),
                           kind="reversal", debit=money(amt), credit="", method="dd", bank_ref="", description="DD returned"))
        plant("reversal_without_return", acc["account_ref"], None, [t], -amt)
    # Refunds of overpayments: paid and recorded, paid only, or recorded only.
    for acc in rng.sample(accounts, max(3, n // 50)):
        d = START + dt.timedelta(days=rng.randint(20, 160))
        amt = D(rng.randint(1000, 9000)) / 100
        fate = rng.random()
        rid = None
        if fate < 0.8:
            rid = bank_id()
            bank.append(dict(bank_id=rid, date=d, amount=money(-amt), reference=f"REFUND {acc['account_ref']}",
                             payer=acc["tenant_name"].upper(), method="bank_transfer", return_code="", returned_bank_id=""))
        if fate < 0.6 or fate >= 0.8:
            t = txn()
            ledger.append(dict(txn_id=t, account_ref=acc["account_ref"], date=d + dt.timedelta(days=rng.randint(0, 2)),
                               kind="refund", debit=money(amt), credit="", method="bank_transfer",
                               bank_ref=rid if rid and rng.random() < .5 else "", description="Refund"))
            if fate >= 0.8:
                plant("unmatched_refund", acc["account_ref"], None, [t], -amt)
        else:
            plant("unmatched_refund", acc["account_ref"], rid, [], amt)
    # Credits with no money behind them.
    for acc in rng.sample(accounts, max(1, n // 60)):
        d = START + dt.timedelta(days=rng.randint(10, 170))
        amt = (acc["_weekly"] * rng.randint(1, 3)).quantize(CENT)
        t = txn()
        ledger.append(dict(txn_id=t, account_ref=acc["account_ref"], date=d, kind="payment", debit="", credit=money(amt),
                           method="cash", bank_ref="", description="Cash at office"))
        plant("unbanked_credit", acc["account_ref"], None, [t], amt)
    # Benefit runs: 4-weekly HB (by account ref) and UC (by claim ref), in arrears.
    for kind, run_days in (("hb", list(mondays(START + dt.timedelta(days=20), END, 28))),
                           ("uc", list(mondays(START + dt.timedelta(days=9), END, 28)))):
        claimants = [a for a in accounts if a["benefit"] == kind]
        for n_run, d in enumerate(run_days, 1):
            batch = f"{kind.upper()}RUN{n_run:03d}"
            bid = bank_id()
            total = D(0)
            for a in claimants:
                share_amt = (a["_weekly"] * 4 * (D(1) if a["_channel"] == "none" else D("0.6"))).quantize(CENT)
                total += share_amt
                sched.append(dict(batch_ref=batch, account_ref=a["account_ref"] if kind == "hb" else "",
                                  claim_ref=a["_claim"] if kind == "uc" else "", amount=money(share_amt),
                                  period_start=(d - dt.timedelta(days=28)).isoformat(), period_end=(d - dt.timedelta(days=1)).isoformat()))
                t = txn()
                ledger.append(dict(txn_id=t, account_ref=a["account_ref"], date=d + dt.timedelta(days=1), kind="benefit",
                                   debit="", credit=money(share_amt), method=kind,
                                   bank_ref=batch if rng.random() < .5 else "", description=f"{kind.upper()} {batch}"))
            if claimants and n_run == 2:
                # A share for a claim no account holds, and a line that is
                # more than its schedule.
                stray = D(rng.randint(2000, 9000)) / 100
                sched.append(dict(batch_ref=batch, account_ref="", claim_ref="CLM000000", amount=money(stray),
                                  period_start="", period_end=""))
                total += stray
                plant("unidentified_receipt", None, bid, [], -stray)
                total += D("10.00")
                plant("schedule_mismatch", None, bid, [], D("-10.00"))
            if claimants:
                bank.append(dict(bank_id=bid, date=d, amount=money(total), reference=batch,
                                 payer="LOCAL COUNCIL" if kind == "hb" else "DWP", method=kind, return_code="", returned_bank_id=""))

    # Truth balances.
    as_at = END
    for a in accounts:
        bal = D(a["opening_balance"])
        truth["balances"][a["account_ref"]] = bal
    for l in ledger:
        if l["date"] <= as_at:
            truth["balances"][l["account_ref"]] += D(l["debit"] or 0) - D(l["credit"] or 0)
    truth["accounts"] = {}
    for a in accounts:
        posted = truth["balances"][a["account_ref"]]
        corrected = posted + delta.get(a["account_ref"], D(0))
        trig = (a["_weekly"] * 4).quantize(CENT) if a["rent_period"] != "monthly" else (a["_rent"] * 12 / 52 * 4).quantize(CENT)
        truth["accounts"][a["account_ref"]] = dict(posted=money(posted), corrected=money(corrected),
                                                  false_trigger=posted >= trig and corrected < trig)
    del truth["balances"]

    def write(name, rows, fields):
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.DictWriter(f, fields, extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()})
    write("accounts.csv", accounts, ["account_ref", "tenant_name", "tenancy_type", "rent_period", "rent", "opening_date",
                                     "opening_balance", "payment_refs", "benefit", "vulnerable", "benefit_claim_pending", "open_dispute"])
    ledger.sort(key=lambda l: (l["date"], l["txn_id"]))
    bank.sort(key=lambda b: (b["date"], b["bank_id"]))
    write("ledger.csv", ledger, ["txn_id", "account_ref", "date", "kind", "debit", "credit", "method", "bank_ref", "description"])
    write("bank.csv", bank, ["bank_id", "date", "amount", "reference", "payer", "method", "return_code", "returned_bank_id"])
    write("schedules.csv", sched, ["batch_ref", "account_ref", "claim_ref", "amount", "period_start", "period_end"])
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, default=str)

def key(f):
    by_txn = f["kind"] in ("unbanked_credit", "reversal_without_return") or not f["bank_id"]
    ident = ",".join(f["txn_ids"]) if by_txn else f["bank_id"]
    return (f["kind"], f["account_ref"], ident)

def score(out, report_path):
    truth = json.load(open(os.path.join(out, "truth.json")))
    report = json.load(open(report_path))
    want = {key(f) for f in truth["findings"]}
    got = {key(f) for f in report["findings"]}
    kinds = sorted({k[0] for k in want | got})
    ok = True
    print(f"{'kind':24} {'planted':>8} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7}")
    for k in kinds:
        w = {x for x in want if x[0] == k}
        g = {x for x in got if x[0] == k}
        tp = len(w & g)
        p = tp / len(g) if g else 1.0
        r = tp / len(w) if w else 1.0
        ok &= p >= 0.95 and r >= 0.95
        print(f"{k:24} {len(w):8} {len(g):6} {tp:6} {p:10.3f} {r:7.3f}")
    for x in sorted(want - got)[:10]:
        print("  missed:", x)
    for x in sorted(got - want)[:10]:
        print("  extra: ", x)
    accounts = {a["account_ref"]: a for a in report["accounts"]}
    wrong_bal = [r for r, t in truth["accounts"].items()
                 if accounts[r]["posted_balance"] != t["posted"] or accounts[r]["corrected_balance"] != t["corrected"]]
    ft_truth = {r for r, t in truth["accounts"].items() if t["false_trigger"]}
    ft_got = {r for r, a in accounts.items() if a["status"] == "false_trigger"}
    print(f"corrected balances right: {len(accounts) - len(wrong_bal)}/{len(accounts)}")
    for r in wrong_bal[:5]:
        print("  balance:", r, "truth", truth["accounts"][r], "report", accounts[r]["posted_balance"], accounts[r]["corrected_balance"])
    print(f"false_trigger accounts: truth {len(ft_truth)}, found {len(ft_got & ft_truth)}, extra {len(ft_got - ft_truth)}")
    print(f"totals tie: {report['totals']['ties']}")
    return 0 if ok and not (ft_truth - ft_got) and report["totals"]["ties"] else 1

if __name__ == "__main__":
    if sys.argv[1] == "make":
        args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        make(sys.argv[2], int(args.get("--accounts", 400)), int(args.get("--seed", 7)))
    else:
        sys.exit(score(sys.argv[2], sys.argv[3]))
