#!/bin/sh
# Regenerates docs/evidence-pack.png and docs/check-pack.png: the sample's
# packs (fixtures/sample, as at its last day) as headless Chromium shows
# them, so the pictures in the docs are the pack as it is, not as it was.
# Run after `cargo build --release`; CHROMIUM names another browser.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/rent-audit"
browser="${CHROMIUM:-chromium}"
sample="$root/fixtures/sample"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The day the tests run on: rows after it would be slips.
export RENT_AUDIT_TODAY=2030-01-01

"$bin" -q reconcile "$sample" --format html --fail-on never -o "$work/pack.html"
# check exits 1 where it holds an account or says not to serve: expected.
"$bin" -q check RA1002 RA1018 --data "$sample" --statement --format html \
    -o "$work/check.html" || [ $? -eq 1 ]

shot() {
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$work/profile" --window-size=1280,2000 \
        --screenshot="$root/docs/$2" "file://$work/$1" 2>/dev/null
}
shot pack.html evidence-pack.png
shot check.html check-pack.png
echo "wrote docs/evidence-pack.png and docs/check-pack.png"
