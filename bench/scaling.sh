#!/usr/bin/env bash
# Does any pass grow faster than the rows? Runs each command on generated
# landlords of N accounts x M months, 2N x M and N x 2M, and prints each
# time with its ratio to the first: a ratio over 2.2 is a pass to fix, not a
# number to report (issue 28). Generated with Direct Debit returns, shared
# rents and common surnames, as generate makes them.
#
#   bench/scaling.sh                  # N=20000 M=3
#   N=125000 M=6 bench/scaling.sh
#
# Settings (environment): N, M, SEED, DATA (default target/scaling-data),
# RENT_AUDIT (a prebuilt binary; default: build it here), REPEAT (runs per
# cell, best kept; default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
M=${M:-3}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
DATA=${DATA:-target/scaling-data}
mkdir -p "$DATA"
if [[ -z "${RENT_AUDIT:-}" ]]; then
    cargo build --release --quiet --bin rent-audit
    RENT_AUDIT=target/release/rent-audit
fi
export RENT_AUDIT_TODAY=2030-01-01

sets=("$N $M" "$((2 * N)) $M" "$N $((2 * M))")
for s in "${sets[@]}"; do
    read -r n m <<<"$s"
    dir="$DATA/${n}x${m}"
    [[ -f "$dir/truth.json" ]] || "$RENT_AUDIT" -q generate --accounts "$n" --months "$m" --seed "$SEED" --out "$dir"
done

best() { # the best wall time of REPEAT runs of "$@", in seconds
    local t b="" out
    out=$(mktemp)
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -f "%e" -o "$out" "$@" >/dev/null 2>&1 || true
        t=$(tail -1 "$out")
        if [[ -z "$b" ]] || awk -v t="$t" -v b="$b" 'BEGIN{exit !(t < b)}'; then b=$t; fi
    done
    rm -f "$out"
    echo "$b"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }

printf '| command | %s | %s | ratio | %s | ratio |\n|---|---|---|---|---|---|\n' \
    "${N}x${M}" "$((2 * N))x${M}" "${N}x$((2 * M))"
for cmd in "reconcile DIR --format json -o /dev/null" "reconcile DIR --format html -o /dev/null" \
    "validate DIR" "check --data DIR --accounts-from DIR/refs.txt --format json -o /dev/null"; do
    times=()
    for s in "${sets[@]}"; do
        read -r n m <<<"$s"
        dir="$DATA/${n}x${m}"
        awk -F, 'NR > 1 && NR <= 1001 { print $1 }' "$dir/accounts.csv" >"$dir/refs.txt"
        # shellcheck disable=SC2086
        times+=("$(best "$RENT_AUDIT" -q ${cmd//DIR/$dir})")
    done
    printf '| %s | %s | %s | %s | %s | %s |\n' "${cmd%% -o*}" "${times[0]}" "${times[1]}" \
        "$(ratio "${times[1]}" "${times[0]}")" "${times[2]}" "$(ratio "${times[2]}" "${times[0]}")"
done
