"""Runs bench/reconcile.sql on one data directory with DuckDB: the analyst's
yardstick in docs/benchmarks.md. Usage: duckdb_reconcile.py DIR OUT THREADS"""

import pathlib
import sys

import duckdb


def main() -> None:
    data, out, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pathlib.Path(out).mkdir(parents=True, exist_ok=True)
    sql = (pathlib.Path(__file__).parent / "reconcile.sql").read_text()
    sql = sql.replace("{dir}", data).replace("{out}", out)
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(sql)
    findings = con.execute(
        f"SELECT kind, count(*) FROM read_csv('{out}/findings.csv') GROUP BY kind ORDER BY kind"
    ).fetchall()
    print(", ".join(f"{k} {n}" for k, n in findings))


if __name__ == "__main__":
    main()
