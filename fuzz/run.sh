#!/usr/bin/env bash
# Fuzzes each target named for the seconds given (read_bytes=3600 ...), one
# after another, seeding an empty corpus from the fixtures, and prints each
# target's executions. Needs nightly and cargo-fuzz; kept out of CI.
# Each input has TIMEOUT seconds (default 1): a slower one counts as a
# hang. On a busy machine raise it, then replay each corpus quietly with
# REPLAY=1 (every input run once, 1 s each).
set -uo pipefail
cd "$(dirname "$0")"
fixtures=../fixtures

seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    case $target in
    read_bytes | read_inputs)
        # The first byte picks the file (0-3) and the others (4: the
        # sample's, 8: the messy exports'; see the target).
        local i=0
        for f in accounts ledger bank schedules; do
            { printf "\\x$(printf %02x $((i | 4)))"; cat base/sample/$f.csv; } >"$dir/sample-$f"
            { printf "\\x$(printf %02x $((i | 8)))"; cat base/messy/$f.csv; } >"$dir/messy-$f"
            i=$((i + 1))
        done
        for f in "$fixtures"/fuzz/*.csv; do
            for i in 0 1 2 3; do
                { printf "\\x0$i"; cat "$f"; } >"$dir/$(basename "$f")-$i"
            done
        done
        ;;
    read_profile) cp "$fixtures"/profiles/*.toml "$dir"/ ;;
    read_text)
        printf '%s\n' "Mrs Siân O'Neill-Jones" "J SMITH" "Dr A van der Berg" "MR & MRS P OKAFOR" \
            "DDM-1001 JAN" "RA 1001/2026" "£1,234.50" "(12.00)" "02/03/2026" "yes" "4MiB" \
            | split -l 1 - "$dir/seed-"
        ;;
    esac
}

for spec in "$@"; do
    target=${spec%%=*}
    secs=${spec#*=}
    seed "$target"
    if [ -n "${REPLAY:-}" ]; then
        args=(-timeout=1 -runs=0)
    else
        args=(-timeout="${TIMEOUT:-1}" -max_len=4096 -max_total_time="$secs")
    fi
    # A finding stops this target (its input is in artifacts/), not the rest.
    cargo +nightly fuzz run -s none --no-trace-compares "$target" "corpus/$target" -- \
        "${args[@]}" -print_final_stats=1 2>&1 |
        grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|panicked|ERROR|SUMMARY' |
        sed "s/^/$target: /"
done
