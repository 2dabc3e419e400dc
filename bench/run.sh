#!/usr/bin/env bash
# Benchmarks rent-audit against the floor (merely parsing the files with the
# csv crate) and the same reconciliation written in DuckDB SQL, on generated
# landlords of four sizes, side by side in one run. Prints a Markdown table
# (also written to $OUT) for docs/benchmarks.md.
#
#   bench/run.sh                       # S M L XL, --threads 1 and 2
#   SIZES="S M" THREADS="1 2 4 8 16" bench/run.sh
#
# Settings (environment): SIZES, THREADS (rent-audit's --threads values),
# DUCK_THREADS (default: the largest of THREADS), REPEAT (runs per cell, best
# wall time kept; default 3, 1 for XL), DATA (where generated sets are kept
# between runs; default target/bench-data), OUT (default
# target/bench/results.md), RENT_AUDIT and FLOOR (prebuilt binaries; default:
# build them here).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"S M L XL"}
THREADS=${THREADS:-"1 2"}
DUCK_THREADS=${DUCK_THREADS:-$(tr ' ' '\n' <<<"$THREADS" | sort -n | tail -1)}
DATA=${DATA:-target/bench-data}
OUT=${OUT:-target/bench/results.md}
mkdir -p "$DATA" "$(dirname "$OUT")"

if [[ -z "${RENT_AUDIT:-}" || -z "${FLOOR:-}" ]]; then
    cargo build --release --quiet --bin rent-audit --example csv_floor
    RENT_AUDIT=target/release/rent-audit
    FLOOR=target/release/examples/csv_floor
fi

# DuckDB from PyPI, in a virtual environment of its own.
PY=python3
if ! python3 -c 'import duckdb' 2>/dev/null; then
    [[ -x target/bench-venv/bin/python ]] || python3 -m venv target/bench-venv
    target/bench-venv/bin/python -m pip install --quiet duckdb
    PY=target/bench-venv/bin/python
fi

size_args() {
    case $1 in
        S) echo "--accounts 200 --months 3" ;;
        M) echo "--accounts 10000 --months 12" ;;
        L) echo "--accounts 125000 --months 1" ;;
        XL) echo "--accounts 125000 --months 12" ;;
        *) echo "unknown size $1" >&2; exit 2 ;;
    esac
}

measure() { "$PY" bench/measure.py "$@"; }

header="| size | rows | input MB | floor s |"
rule="|---|---:|---:|---:|"
for t in $THREADS; do
    header+=" rent-audit -t$t s | RSS MB |"
    rule+="---:|---:|"
done
header+=" DuckDB -t$DUCK_THREADS s | RSS MB | vs floor | vs DuckDB |"
rule+="---:|---:|---:|---:|"

{
    echo "rent-audit $("$RENT_AUDIT" --version | cut -d' ' -f2), $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
    echo
    echo "$header"
    echo "$rule"
} | tee "$OUT"

for size in $SIZES; do
    dir=$DATA/$size
    if [[ ! -f $dir/truth.json ]]; then
        # shellcheck disable=SC2046
        "$RENT_AUDIT" --quiet generate $(size_args "$size") --seed 1 --out "$dir" >/dev/null
    fi
    repeat=${REPEAT:-$([[ $size == XL ]] && echo 1 || echo 3)}
    rows=$(cat "$dir"/{accounts,ledger,bank,schedules}.csv | wc -l)
    mb=$(du -cm "$dir"/{accounts,ledger,bank,schedules}.csv | tail -1 | cut -f1)
    read -r floor _ < <(measure "$repeat" "$FLOOR" "$dir")
    line="| $size | $rows | $mb | $floor |"
    best=""
    for t in $THREADS; do
        read -r wall rss < <(measure "$repeat" "$RENT_AUDIT" --quiet reconcile "$dir" \
            --format json --threads "$t" --output "$DATA/$size.report.json")
        line+=" $wall | $rss |"
        best=$wall
    done
    read -r duck drss < <(measure "$repeat" "$PY" bench/duckdb_reconcile.py "$dir" \
        "$DATA/$size.duckdb" "$DUCK_THREADS")
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }
    line+=" $duck | $drss | $(ratio "$best" "$floor") | $(ratio "$duck" "$best") |"
    echo "$line" | tee -a "$OUT"
done
echo
echo "vs floor: rent-audit at the last --threads over the bare parse (lower is better);"
echo "vs DuckDB: DuckDB's time over rent-audit's (higher is better). Written to $OUT."
