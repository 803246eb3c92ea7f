#!/bin/sh
# JSON is the same whatever the host's locale: sh tests/e2e/locale.sh BUILD_DIR
# BUILD_DIR/locale-json (tests/locale/locale_json.c) is a host program that
# calls setlocale(LC_ALL, "de_DE.UTF-8"), whose decimal point is ',', and
# writes truth.json, report.json and stats.json through the library; each
# must be valid JSON with its fractions written with '.'.  It also writes
# report.md, keys.csv and aligned-sequence.csv in that locale and again
# in the C locale: the two must be the same bytes.
SUITE=locale
. "$(dirname "$0")/lib.sh"
LJ="$(dirname "$W")/locale-json"
# the locale missing is a failure, not a skip: this suite would prove nothing
"$LJ" de_DE.UTF-8 "$T/run" 2>"$T/err"
rc=$?
if [ $rc -eq 2 ]; then
    bad "$(cat "$T/err")"
    finish
    exit 1
fi
eq "locale-json exit status" "$rc" 0
for f in truth report stats; do
    if jq -e . "$T/run/$f.json" >/dev/null 2>&1; then
        ok
    else
        bad "$f.json is not valid JSON under de_DE.UTF-8: $(grep -m1 -n '[0-9],[0-9]' "$T/run/$f.json")"
    fi
done
# the numbers with fractions, read back as numbers
eq "tolerance" "$(jq -r '.tolerance' "$T/run/report.json" 2>&1)" 0.25
eq "report ratios are numbers" \
    "$(jq -r '[.boot_delta.milestones[].ratio | select(. != null) | type] | unique | join(",")' \
        "$T/run/report.json" 2>&1)" number
eq "truth skew ratio is a number" \
    "$(jq -r '.boot.skew_start.ratio | type' "$T/run/truth.json" 2>&1)" number
# Markdown and CSV: every number as the C locale writes it
for f in report.md keys.csv aligned-sequence.csv; do
    if cmp -s "$T/run/$f" "$T/run/$f.c"; then
        ok
    else
        bad "$f differs under de_DE.UTF-8: $(diff "$T/run/$f.c" "$T/run/$f" | grep -m1 '^>')"
    fi
done
contains "report.md tolerance" "$T/run/report.md" "tolerance 0.25."
# the wedge command in the same locale: options with decimals mean the
# same (its parsers never ask the locale, should it ever call setlocale)
LC_ALL=de_DE.UTF-8 "$W" report "$T/run/ref.jsonl" "$T/run/cand.jsonl" --tolerance 0.25 \
    --max-malformed 2.5% --silence 0.5s --ended-at ref=1.5s --json "$T/de.json" >/dev/null 2>"$T/de.err"
eq "wedge report under de_DE (exit status)" $? 0
eq "--tolerance 0.25 under de_DE" "$(jq -r '.tolerance' "$T/de.json" 2>&1)" 0.25
LC_ALL=de_DE.UTF-8 "$W" simulate -o "$T/sim" --seconds 1.5 --slowdown 2.5 --fault slow-init:1.5 \
    >/dev/null 2>"$T/sim.err"
eq "wedge simulate --seconds 1.5 --slowdown 2.5 under de_DE (exit status)" $? 0
status "--tolerance 0,25 is not a number" 64 "$W" report "$T/run/ref.jsonl" "$T/run/cand.jsonl" \
    --tolerance 0,25
contains "--tolerance 0,25: the message" "$T/err" "--tolerance takes a number >= 0, e.g. 0.25: '0,25'"
finish
