#!/bin/sh
# The critical path (docs/analysis.md "Critical path") against the
# simulator's truth: every built-in scenario over the seeds given, its family
# graph, frontier and explanations; the same frontier from a producer-only
# reference; the investigation's and the slow boot's shapes.
#   sh tests/e2e/critpath.sh BUILD_DIR [SEEDS]
SUITE=critpath
. "$(dirname "$0")/lib.sh"
SEEDS=${2:-"1 2"}
first=${SEEDS%% *}   # the shapes below are checked on the first seed
# check NAME DIR [REF [subset]]: wedge report on a simulated DIR, compared with
# its truth; "subset": a reference that shows few or no waits, whose edges
# come from the candidate's waits, so its graph need only lie within the truth's
check() {
    _ref=${3:-$2/ref.jsonl}
    "$W" report "$_ref" "$2/cand.jsonl" --symbols "$2/symbols.txt" --json "$2/r.json" \
        >"$2/r.md" 2>"$2/r.err"
    eq "$1: exit" $? 0
    jq -n -r --slurpfile r "$2/r.json" --slurpfile x "$2/truth.json" --arg mode "${4:-full}" \
        -f "$(dirname "$0")/critpath-compare.jq" >"$2/cmp" || bad "$1: critpath-compare.jq failed"
    while IFS='	' read -r _d _g _w; do
        eq "$1: $_d" "$_g" "$_w"
    done <"$2/cmp"
}
# frontier DIR: the frontier's family pairs, sorted
frontier() { jq -r '[.critical_path | .edges as $e | .frontier[] | $e[.edge] | "\(.producer)->\(.consumer)"] | unique | join(",")' "$1/r.json"; }

scenarios=$("$W" simulate --list | awk '/^[a-z]/ {print $1}')
for seed in $SEEDS; do
    for s in $scenarios; do
        d="$T/$s.$seed"
        "$W" simulate "$s" --seed "$seed" -o "$d" >/dev/null 2>&1
        eq "$s seed $seed: simulate" $? 0
        check "$s seed $seed" "$d"
    done
    # a producer-only reference (audit lines, no waits) and a stock log
    # (waits without their objects): the same graph, inferred edges, the
    # same frontier
    for s in investigation two-faults missing-thread slow-boot; do
        for f in xenia-kv xenia-log; do
            d="$T/$s.$seed.$f"
            "$W" simulate "$s" --seed "$seed" --ref-format "$f" -o "$d" >/dev/null 2>&1
            check "$s seed $seed $f" "$d" "$d/ref.log" subset
            eq "$s seed $seed $f: the same frontier" "$(frontier "$d")" "$(frontier "$T/$s.$seed")"
        done
        eq "$s seed $seed xenia-kv: every edge inferred" \
            "$(jq -r '.critical_path | [.inferred, (.edges | length > 0 and all(.inferred))] | join(",")' "$T/$s.$seed.xenia-kv/r.json")" \
            "true,true"
    done
done

# --- the investigation's shape: the audio chain, the worker and cache
# edges, one frontier edge that explains every other diverging edge
d="$T/investigation.$first"
eq "investigation: chain and frame edges" \
    "$(jq -r '[.critical_path.edges[] | "\(.producer)->\(.consumer)"] | unique | map(select(test("audio_(a|b|dispatch)|worker|cache"))) | join(",")' "$d/r.json")" \
    "audio_a_thread->audio_b_thread,audio_b_thread->audio_dispatch_thread,audio_dispatch_thread->main,audio_timer_thread->audio_a_thread,cache_thread->main,main->cache_thread,main->worker_thread,worker_thread->main"
eq "investigation: the frontier" "$(frontier "$d")" "audio_a_thread->audio_b_thread"
eq "investigation: it explains every other diverging edge" \
    "$(jq -r '.critical_path | [(.frontier[0].explains | length), ([.edges[] | select(.status != "healthy")] | length - 1)] | join(",")' "$d/r.json")" \
    "7,7"
eq "investigation: A's first signal is where it parts" \
    "$(jq -r '.critical_path | .edges[.frontier[0].edge] | "\(.status) \(.first_divergence.ordinal) \(.lr)"' "$d/r.json")" \
    "short 1 0x824D292C"
contains "investigation: report.md's section" "$d/r.md" "## Critical path"
contains "investigation: report.md's frontier" "$d/r.md" '1. `audio_a_thread -> audio_b_thread`'
contains "investigation: report.md's graph" "$d/r.md" "- **audio_b_thread**"
eq "investigation: the section comes after the root causes" \
    "$(grep -n -e '^## Root causes' -e '^## Critical path' -e '^## First divergence' "$d/r.md" | cut -d: -f2 | tr '\n' '|')" \
    "## Root causes|## Critical path|## First divergence|"

# --- the slow boot: nothing wedged, the starved edge on the frontier
d="$T/slow-boot.$first"
eq "slow-boot: nothing wedged" "$(jq -r '[.wedged[]] | length' "$d/r.json")" 0
eq "slow-boot: the starved edge" "$(frontier "$d")" "audio_a_thread->audio_b_thread"

# --- 30 families and 210 edges stay readable: one line per family and
# diverging edge, the edges that keep up folded into one line per family
# gen NF NE SHORT CAND: a reference (CAND 0) and a candidate of NF thread families, each
# signalling NE others on its own objects, in rounds; in the candidate family
# 0 stops after round SHORT
gen() {
    awk -v nf="$1" -v ne="$2" -v short="$3" -v cand="$4" 'BEGIN {
    t = 1000
    print "{\"wedge_trace\":1,\"observes\":[\"set\",\"release\",\"wait\",\"signal_wait\",\"create\",\"thread\",\"other\"]}"
    for (f = 0; f < nf; f++) {
        printf "{\"t\":%d,\"tid\":1,\"op\":\"thread.create\",\"entry_pc\":\"0x%08X\",\"new_tid\":%d}\n", t, 2197815296 + f * 4096, 100 + f
        t += 10
    }
    for (r = 1; r <= 20; r++)
        for (f = 0; f < nf; f++) {
            if (cand && f == 0 && r > short) continue
            for (k = 1; k <= ne; k++) {
                g = (f + k) % nf
                obj = 1879048192 + f * 256 + k * 4
                printf "{\"t\":%d,\"tid\":%d,\"op\":\"KeSetEvent\",\"lr\":\"0x%08X\",\"obj\":\"0x%08X\"}\n", t, 100 + f, 2197815296 + f * 4096 + 256 + k * 16, obj
                t += 10
                printf "{\"t\":%d,\"tid\":%d,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x%08X\",\"obj\":\"0x%08X\",\"timeout\":0}\n", t, 100 + g, 2197815296 + g * 4096 + 2048, obj
                t += 10
            }
        }
    printf "{\"t\":%d,\"tid\":1,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x82000000\"}\n", t
}'
}
gen 30 7 5 0 >"$T/big.ref"
gen 30 7 5 1 >"$T/big.cand"
"$W" report "$T/big.ref" "$T/big.cand" --span whole --json "$T/big.json" >"$T/big.md" 2>/dev/null
eq "big: exit" $? 0
eq "big: families and edges" "$(jq -r '.critical_path | "\(.families | length) \(.edges | length) \(.frontier | length)"' "$T/big.json")" "31 210 7"
sed -n '/^## Critical path/,/^## First divergence/p' "$T/big.md" >"$T/big.section"
lines=$(wc -l <"$T/big.section")
if [ "$lines" -le 120 ]; then ok; else bad "big: the section has $lines lines (at most 120)"; fi
contains "big: healthy edges folded" "$T/big.section" "7 edges keep up: -> "
contains "big: and counted" "$T/big.section" " and 1 more"

# --- families.dot under -o
"$W" report "$d/ref.jsonl" "$d/cand.jsonl" --symbols "$d/symbols.txt" -o "$T/out" >/dev/null 2>&1
eq "-o: exit" $? 0
contains "-o: families.dot" "$T/out/families.dot" "digraph families"
contains "-o: the frontier edge bold" "$T/out/families.dot" "penwidth=3"
finish
