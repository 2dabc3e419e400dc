-- The reconciliation an analyst would write instead of rent-audit: DuckDB
-- SQL over the same four CSV files. It is the yardstick in
-- docs/benchmarks.md. It does less than rent-audit does: no keying errors,
-- no DD returns or refunds, no bulk schedules, no technical arrears, no
-- suggestions, no evidence lines. So the comparison flatters DuckDB.
-- bench/duckdb_reconcile.py replaces {dir} and {out}.

CREATE TEMP TABLE accounts AS
SELECT * FROM read_csv('{dir}/accounts.csv', header = true, all_varchar = true);

CREATE TEMP TABLE ledger AS
SELECT txn_id, account_ref, CAST(date AS DATE) AS date, kind,
       COALESCE(TRY_CAST(debit AS DECIMAL(18, 2)), 0) AS debit,
       COALESCE(TRY_CAST(credit AS DECIMAL(18, 2)), 0) AS credit,
       method, bank_ref
FROM read_csv('{dir}/ledger.csv', header = true, all_varchar = true);

CREATE TEMP TABLE bank AS
SELECT bank_id, CAST(date AS DATE) AS date, CAST(amount AS DECIMAL(18, 2)) AS amount,
       reference, payer, method
FROM read_csv('{dir}/bank.csv', header = true, all_varchar = true);

-- Every key a receipt may quote: account refs and payment refs, normalised.
CREATE TEMP TABLE keys AS
SELECT key, any_value(account_ref) AS account_ref, count(DISTINCT account_ref) AS n
FROM (
    SELECT regexp_replace(upper(account_ref), '[^A-Z0-9]', '', 'g') AS key, account_ref
    FROM accounts
    UNION ALL
    SELECT regexp_replace(upper(trim(p)), '[^A-Z0-9]', '', 'g'), account_ref
    FROM accounts, unnest(string_split(COALESCE(payment_refs, ''), ';')) AS t(p)
    WHERE trim(p) <> ''
)
GROUP BY key;

-- Money in, identified by its reference (prefix words such as RENT REF
-- dropped); ambiguous keys identify nobody.
CREATE TEMP TABLE receipts AS
SELECT b.*, CASE WHEN k.n = 1 THEN k.account_ref END AS account_ref
FROM bank b
LEFT JOIN keys k
  ON k.key = regexp_replace(
        regexp_replace(upper(COALESCE(b.reference, '')),
                       '^((RENT|REF|REFERENCE|ACC|ACCT|ACCOUNT|PAYMENT|PAY)[^A-Z0-9]*)+', ''),
        '[^A-Z0-9]', '', 'g')
WHERE b.amount > 0;

CREATE TEMP TABLE credits AS
SELECT * FROM ledger WHERE kind IN ('payment', 'benefit') AND credit > 0;

-- Pass 1: a credit quoting its bank line.
CREATE TEMP TABLE by_ref AS
SELECT c.txn_id, r.bank_id
FROM credits c JOIN receipts r ON c.bank_ref = r.bank_id
QUALIFY row_number() OVER (PARTITION BY r.bank_id ORDER BY c.date, c.txn_id) = 1;

-- Pass 2: same account, same amount, posted within 3 days before to 35 days
-- after; pairs that are each other's closest are linked.
CREATE TEMP TABLE by_window AS
WITH cand AS (
    SELECT c.txn_id, r.bank_id, abs(c.date - r.date) AS lag
    FROM credits c
    JOIN receipts r
      ON c.account_ref = r.account_ref AND c.credit = r.amount
     AND c.date BETWEEN r.date - 3 AND r.date + 35
    WHERE c.txn_id NOT IN (SELECT txn_id FROM by_ref)
      AND r.bank_id NOT IN (SELECT bank_id FROM by_ref)
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY txn_id ORDER BY lag, bank_id) AS rc,
           row_number() OVER (PARTITION BY bank_id ORDER BY lag, txn_id) AS rr
    FROM cand
)
SELECT txn_id, bank_id FROM ranked WHERE rc = 1 AND rr = 1;

CREATE TEMP TABLE linked AS
SELECT * FROM by_ref UNION ALL SELECT * FROM by_window;

CREATE TEMP TABLE loose_receipts AS
SELECT r.* FROM receipts r ANTI JOIN linked l ON l.bank_id = r.bank_id;

CREATE TEMP TABLE loose_credits AS
SELECT c.* FROM credits c ANTI JOIN linked l ON l.txn_id = c.txn_id;

-- Pass 3: a loose credit and a loose receipt of the same amount and window
-- on different accounts: posted to the wrong account.
CREATE TEMP TABLE wrong_account AS
WITH cand AS (
    SELECT c.txn_id, r.bank_id, c.account_ref AS posted_to, r.account_ref,
           c.credit AS amount, abs(c.date - r.date) AS lag
    FROM loose_credits c
    JOIN loose_receipts r
      ON c.credit = r.amount AND c.date BETWEEN r.date - 3 AND r.date + 35
     AND c.account_ref IS DISTINCT FROM r.account_ref
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY txn_id ORDER BY lag, bank_id) AS rc,
           row_number() OVER (PARTITION BY bank_id ORDER BY lag, txn_id) AS rr
    FROM cand
)
SELECT * EXCLUDE (rc, rr) FROM ranked WHERE rc = 1 AND rr = 1;

CREATE TEMP TABLE findings AS
SELECT 'wrong_account' AS kind, account_ref, bank_id, txn_id, amount FROM wrong_account
UNION ALL
SELECT CASE WHEN r.account_ref IS NULL THEN 'unidentified_receipt' ELSE 'unposted_receipt' END,
       r.account_ref, r.bank_id, NULL, r.amount
FROM loose_receipts r ANTI JOIN wrong_account w ON w.bank_id = r.bank_id
UNION ALL
SELECT CASE WHEN EXISTS (SELECT 1 FROM credits d
                         WHERE d.account_ref = c.account_ref AND d.credit = c.credit
                           AND d.date = c.date AND d.txn_id < c.txn_id)
            THEN 'duplicate_posting' ELSE 'unbanked_credit' END,
       c.account_ref, NULL, c.txn_id, -c.credit
FROM loose_credits c ANTI JOIN wrong_account w ON w.txn_id = c.txn_id;

-- Balances as posted and as corrected, and who reaches the trigger
-- (four weeks' rent).
CREATE TEMP TABLE balances AS
WITH posted AS (
    SELECT account_ref, sum(debit - credit) AS moved FROM ledger GROUP BY account_ref
),
correction AS (
    SELECT account_ref, sum(-amount) AS delta FROM findings
    WHERE kind IN ('unposted_receipt', 'duplicate_posting', 'unbanked_credit')
    GROUP BY account_ref
    UNION ALL
    SELECT account_ref, -amount FROM wrong_account
    UNION ALL
    SELECT posted_to, amount FROM wrong_account
)
SELECT a.account_ref,
       COALESCE(TRY_CAST(a.opening_balance AS DECIMAL(18, 2)), 0) + COALESCE(p.moved, 0) AS posted,
       COALESCE(TRY_CAST(a.opening_balance AS DECIMAL(18, 2)), 0) + COALESCE(p.moved, 0)
         + COALESCE((SELECT sum(delta) FROM correction k WHERE k.account_ref = a.account_ref), 0)
         AS corrected,
       CAST(a.rent AS DECIMAL(18, 2)) * CASE a.rent_period
           WHEN 'weekly' THEN 4 WHEN 'fortnightly' THEN 2
           WHEN 'four_weekly' THEN 1 ELSE 12.0 / 13 END AS trigger
FROM accounts a LEFT JOIN posted p USING (account_ref);

COPY (SELECT * FROM findings ORDER BY account_ref, kind, bank_id, txn_id)
  TO '{out}/findings.csv' (HEADER);
COPY (SELECT account_ref, posted, corrected,
             CASE WHEN posted >= trigger AND corrected < trigger THEN 'false_trigger'
                  WHEN corrected >= trigger THEN 'trigger_reached'
                  ELSE 'clear' END AS status
      FROM balances ORDER BY account_ref)
  TO '{out}/accounts.csv' (HEADER);
