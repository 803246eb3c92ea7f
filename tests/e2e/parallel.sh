#!/bin/sh
# wedge report reads its two traces at once (src/formats/load.c): the
# second interns into a copy of the op table, then its new op ids and
# sites are mapped back.  Every output must equal a one-thread read's,
# byte for byte (WEDGE_THREADS=1), and errors must name the same file.
SUITE=parallel
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")/data" && pwd)"

# same NAME REF CAND [OPTIONS]: -o, --json and stdout of both ways agree
same() {
    name=$1 ref=$2 cand=$3
    shift 3
    for n in 1 2; do
        rm -rf "$T/o$n"
        WEDGE_THREADS=$n "$W" report "$ref" "$cand" -o "$T/o$n" --json "$T/o$n.json" "$@" \
            >"$T/o$n.out" 2>"$T/o$n.err"
        echo $? >"$T/o$n.rc"
        for f in json out err rc; do mv "$T/o$n.$f" "$T/o$n/_$f" 2>/dev/null; done
    done
    if [ -s "$T/o1/report.md" ] && diff -r "$T/o1" "$T/o2" >"$T/diff"; then ok
    else bad "$name: one thread and two differ"; head -20 "$T/diff" >&2; fi
}

# ops and sites each trace alone names, some both name, in different
# orders: module sites, wide addresses, wide object lists
{
    echo '{"t":1,"tid":1,"op":"RefOnlyA","lr":"libr.so+0x10","obj":"0x7ffd00000010"}'
    echo '{"t":2,"tid":1,"op":"SharedB","lr":"libs.so+0x20","obj":"0x10"}'
    echo '{"t":3,"tid":2,"op":"KeSetEvent","lr":"0x7ffd00000100","obj":"0x7ffd00000010"}'
    echo '{"t":4,"tid":2,"op":"KeWaitForSingleObject","lr":"prog+0x1000","obj":"0x7ffd00000010"}'
    echo '{"t":5,"tid":2,"op":"KeWaitForMultipleObjects","lr":"prog+0x1010","objs":["0x7ffd00000010","libs.so+0x99"],"wait_all":false}'
} >"$T/ref.jsonl"
{
    echo '{"t":1,"tid":1,"op":"CandOnlyC","lr":"libc2.so+0x30","obj":"0x7ffd00000020"}'
    echo '{"t":2,"tid":1,"op":"SharedB","lr":"libs.so+0x20","obj":"0x10"}'
    echo '{"t":3,"tid":1,"op":"CandOnlyD","lr":"libs.so+0x21","obj":"0x7ffd00000010"}'
    echo '{"t":4,"tid":2,"op":"KeSetEvent","lr":"0x7ffd00000100","obj":"0x7ffd00000010"}'
    echo '{"t":5,"tid":2,"op":"KeWaitForMultipleObjects","lr":"prog+0x1010","objs":["0x7ffd00000020","libr.so+0x10"],"wait_all":true,"frames":["libc2.so+0x31","0x7ffd00000101"]}'
    echo '{"t":6,"tid":3,"op":"RefOnlyA","lr":"libr.so+0x10","obj":"0x7ffd00000010"}'
} >"$T/cand.jsonl"
same "sites and new ops" "$T/ref.jsonl" "$T/cand.jsonl"
same "sites and new ops, swapped" "$T/cand.jsonl" "$T/ref.jsonl"
same "the test data" "$D/ref.jsonl" "$D/cand.jsonl"
same "a xenia reference" "$D/ref-debug.log" "$D/cand.jsonl"
for s in two-faults investigation; do
    "$W" simulate $s --seconds 1 -o "$T/$s" -q
    same "$s" "$T/$s/ref.jsonl" "$T/$s/cand.jsonl"
done
"$W" simulate lost-set --seconds 1 --ref-format xenia-kv -o "$T/kv" -q
same "xenia-kv" "$T/kv/ref.log" "$T/kv/cand.jsonl"

# errors: the first trace's when both fail, as when read in turn
printf '{"t":1}\n' >"$T/bad.jsonl"
for n in 1 2; do
    WEDGE_THREADS=$n "$W" report "$T/missing.jsonl" "$T/bad.jsonl" --strict >/dev/null 2>"$T/e$n"
    echo $? >>"$T/e$n"
    WEDGE_THREADS=$n "$W" report "$T/ref.jsonl" "$T/bad.jsonl" --strict >/dev/null 2>>"$T/e$n"
    echo $? >>"$T/e$n"
done
if cmp -s "$T/e1" "$T/e2" && grep -q missing.jsonl "$T/e1" && grep -q bad.jsonl "$T/e1"; then ok
else bad "errors differ: $(cat "$T/e1") / $(cat "$T/e2")"; fi

finish
