#!/bin/sh
# Allocation failures: each case runs once to count its allocations, then
# once for every K with the K-th allocation failing (build/wedge-failalloc,
# tests/alloc/failalloc.c).  Each failed run must either exit 71 with one
# line on stderr saying "out of memory", or change nothing: the same exit
# status, stdout, stderr and output files as the run that failed nothing.
#   sh tests/alloc/run.sh BUILD_DIR [STEP]   (STEP > 1: every STEP-th K only)
SUITE=alloc
. "$(dirname "$0")/../e2e/lib.sh"
STEP=${2:-1}
# one reading thread: the K-th allocation must be the same one in every run
# (failalloc's counter is not shared safely between threads)
WEDGE_THREADS=1
export WEDGE_THREADS
F="$(dirname "$W")/wedge-failalloc"
D="$(cd "$(dirname "$0")/../e2e/data" && pwd)"
# waitgraph.svg through a stand-in that copies the DOT, not Graphviz: its
# reading is what allocates, and dot's 0.1 s a run would cost a minute over
# every allocation
printf '#!/bin/sh\nexec cat\n' >"$T/fake-dot"
chmod +x "$T/fake-dot"
export WEDGE_DOT="$T/fake-dot"
S=$T/sim
O=$T/out
# a small two-fault run: entry-PC, signature and object maps, two roots
"$W" simulate two-faults -o "$S" --events 600 -q || bad "simulate for the inputs"
gzip -c "$D/ref.jsonl" >"$T/ref.jsonl.gz"
if command -v zstd >/dev/null; then zstd -q -c "$D/cand.jsonl" >"$T/cand.jsonl.zst"
else cp "$D/cand.jsonl" "$T/cand.jsonl.zst"; fi
printf '%s\n' '1000 6 NtReleaseSemaphore 824AB168 F8000020' '2000 6 NtSetEvent 824AA304 F8000024' \
    '3000 10 NtReleaseSemaphore 824AB168 F8000020' 'noise' '4000 14 KeSetEvent 824D229C 7015F000' \
    >"$T/ref.txt"

# run ARGS...: the injecting wedge; its files go to $O, its streams beside
run() {
    rm -rf "$O"
    mkdir "$O"
    "$F" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
}

# sweep NAME ARGS...: the unfailed run, then one failed run per allocation
sweep() {
    name=$1
    shift
    rm -f "$T/count"
    WEDGE_ALLOC_COUNT=$T/count run "$@"
    n=$(cat "$T/count" 2>/dev/null || echo 0)
    if [ "$rc" != 0 ] || [ "$n" -eq 0 ]; then
        bad "$name: the unfailed run exits $rc after $n allocations"
        return
    fi
    rm -rf "$T/base"
    mv "$O" "$T/base"
    mv "$T/stdout" "$T/base/.stdout"
    mv "$T/stderr" "$T/base/.stderr"
    k=1
    while [ "$k" -le "$n" ]; do
        WEDGE_FAIL_ALLOC=$k run "$@"
        if [ "$rc" = 71 ]; then
            # exactly one line, and it says so
            { read -r first; read -r second; } <"$T/stderr"
            case $first in
            *"out of memory"*) [ -z "${second:-}" ] && ok ||
                bad "$name: allocation $k of $n: exit 71 with more than one line on stderr" ;;
            *) bad "$name: allocation $k of $n: exit 71 but stderr says: $first" ;;
            esac
            second=
        else
            mv "$T/stdout" "$O/.stdout"
            mv "$T/stderr" "$O/.stderr"
            if [ "$rc" = 0 ] && diff -r "$T/base" "$O" >"$T/diff" 2>&1; then
                ok   # genuinely harmless: nothing changed
            else
                bad "$name: allocation $k of $n: exit $rc, output not as unfailed: $(head -c 300 "$T/diff" | tr '\n' ' ')"
            fi
        fi
        k=$((k + STEP))
    done
}

sweep report-dir report "$S/ref.jsonl" "$S/cand.jsonl" --symbols "$S/symbols.txt" -o "$O" \
    --json - --dot "$O/graph.dot"
sweep report-xenia report "$D/ref-stock.log" "$D/cand.jsonl" --tid-map 6=1
sweep report-kv report "$D/ref-kv.log" "$T/cand.jsonl.zst" --symbols "$D/symbols.txt" \
    --op-category xeKeReleaseSemaphore=release
sweep report-template report "$T/ref.txt" "$D/cand.jsonl" \
    --line-format '{t:dec} {tid:dec} {op:word} {lr:hex} {obj:hex}' --line-format '{tid:dec} {op:word}'
# an import table resolving a PC-probe trace, and --probe
E="$(cd "$(dirname "$0")/../../examples" && pwd)"
sweep report-probes report "$E/ref-canary.log" "$E/cand-ours.jsonl" --symbols "$E/symbols.txt" \
    --probe 0x82000000=KeSetEvent
sweep diff diff "$S/ref.jsonl" "$S/cand.jsonl" --tid 6
sweep stats stats "$T/ref.jsonl.gz"
sweep stats-json stats --json "$D/ref-kv.log"
# a debug-level xenia log: merged pairs, placed t
sweep stats-debug stats --json "$D/ref-debug.log"
# the other symbol-file readers (TOML gathered whole, MSVC map) and a
# debug-level xenia reference in a report (merged pairs, handles bound late)
printf '%s\n' 'functions = [' '  { address = 0x824AB100, size = 0x100 },' \
    '  { address = 0x824AA300, size = 0x40 },' ']' >"$T/syms.toml"
printf '%s\n' ' Address         Publics by Value              Rva+Base       Lib:Object' '' \
    ' 0001:00000010       _worker                    824d2280 f   w.obj' >"$T/syms.map"
sweep report-debug report "$D/ref-debug.log" "$D/cand.jsonl" --symbols "$T/syms.toml" \
    --symbols "$T/syms.map"
sweep simulate simulate two-faults -o "$O/sim" --events 300 -q
sweep simulate-kv simulate lost-set -o "$O/sim" --events 300 --ref-format xenia-kv -q

# --- what is not built (issue 15's "Also"), told by allocation counts -----
# count ARGS...: how many allocations one run of the injecting wedge makes
count() { rm -f "$T/count"; WEDGE_ALLOC_COUNT=$T/count run "$@"; cat "$T/count" 2>/dev/null || echo 0; }
# three thread pairs whose boot streams share nothing (cand thread i makes
# ref thread i+1's calls): wedge diff shows one pair, so it must not diff
# the other pairs or build the critical path, and allocates less than the
# report of the same traces (it allocated more when it built the report).
for side in ref cand; do
    {
    i=0
    while [ $i -lt 3 ]; do
        printf '{"t":%d,"tid":1,"op":"thread.create","entry_pc":"0x%x","new_tid":%d}\n' \
            $((i + 1)) $((4194304 + 256 * i)) $((10 + i))
        i=$((i + 1))
    done
    t=10 j=0
    while [ $j -lt 20 ]; do
        i=0
        while [ $i -lt 3 ]; do
            s=$i; [ $side = cand ] && s=$(((i + 1) % 3))
            printf '{"t":%d,"tid":%d,"op":"NtSetEvent","lr":"0x%x","obj":"0x500"}\n' $t $((10 + i)) \
                $((1048576 + 4 * j + 65536 * s))
            t=$((t + 1)) i=$((i + 1))
        done
        j=$((j + 1))
    done
    } >"$T/lazy.$side"
done
n_diff=$(count diff "$T/lazy.ref" "$T/lazy.cand" --tid 10)
n_report=$(count report "$T/lazy.ref" "$T/lazy.cand")
if [ "$n_diff" -gt 0 ] && [ "$n_diff" -lt "$n_report" ]; then ok
else bad "lazy diff: $n_diff allocations, the report $n_report"; fi
# report.json only where it goes: the Markdown alone allocates less than
# Markdown and report.json by more than writing the file takes (3); it
# allocated the same as --json - when both were always built.
n_md=$(count report "$D/ref.jsonl" "$D/cand.jsonl")
n_both=$(count report "$D/ref.jsonl" "$D/cand.jsonl" --json "$T/r.json")
if [ "$n_md" -gt 0 ] && [ $((n_md + 3)) -lt "$n_both" ]; then ok
else bad "lazy json: $n_md allocations for the Markdown, $n_both with report.json"; fi
finish
