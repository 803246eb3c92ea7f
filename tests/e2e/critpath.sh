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

# --- families.dot under -o
"$W" report "$d/ref.jsonl" "$d/cand.jsonl" --symbols "$d/symbols.txt" -o "$T/out" >/dev/null 2>&1
eq "-o: exit" $? 0
contains "-o: families.dot" "$T/out/families.dot" "digraph families"
contains "-o: the frontier edge bold" "$T/out/families.dot" "penwidth=3"
finish
