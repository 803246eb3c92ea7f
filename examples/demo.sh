#!/bin/sh
# make demo: wedge report on the example traces in this folder.
#   ref-canary.log  a reference engine's xenia log with audit key=value lines
#                   and an import table
#   cand-ours.jsonl a candidate's PC-probe trace (pc + lr, ops resolved
#                   through the reference's import table)
set -eu
W=${1:-build/wedge}
E=$(dirname "$0")
exec "$W" report "$E/ref-canary.log" "$E/cand-ours.jsonl" --symbols "$E/symbols.txt" \
    --ref-name canary --cand-name ours
