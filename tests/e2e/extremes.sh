#!/bin/sh
# Values at the edges of what the formats allow: t = 9223372036854775807
# (INT64_MAX) and tid = 0xFFFFFFFF.  Nothing may overflow (the sanitizer
# build aborts on it) and every answer must be as for ordinary values.
#   sh tests/e2e/extremes.sh BUILD_DIR
SUITE=extremes
. "$(dirname "$0")/lib.sh"
MAX=9223372036854775807
# report NAME REF CAND [options]: exit 0 expected; JSON in $T/NAME.json
report() { report_files "$@"; }
j() { jq -r "$2" "$T/$1.json"; }

# --- t = INT64_MAX ------------------------------------------------------
# Both engines fire one key at t = 0 and t = MAX: no divergence, so the
# boot window is one past the common span's end, MAX + 1 (it used to wrap
# to INT64_MIN: an empty boot delta, or a UBSan abort).
printf '%s\n' '{"t":0,"tid":6,"op":"NtSetEvent","lr":"0x100","obj":"0xF10"}' \
    "{\"t\":$MAX,\"tid\":6,\"op\":\"NtSetEvent\",\"lr\":\"0x100\",\"obj\":\"0xF10\"}" >"$T/tmax.ref"
printf '%s\n' '{"t":0,"tid":1,"op":"NtSetEvent","lr":"0x100","obj":"0x10"}' \
    "{\"t\":$MAX,\"tid\":1,\"op\":\"NtSetEvent\",\"lr\":\"0x100\",\"obj\":\"0x10\"}" >"$T/tmax.cand"
report tmax "$T/tmax.ref" "$T/tmax.cand"
grep -q '"boot_delta": {"window": 9223372036854775808,' "$T/tmax.json"
eq "tmax: window is MAX + 1" $? 0
eq "tmax: boot pair" "$(j tmax '[.boot_delta.threads[] | "\(.ref)=\(.cand) \(.tokens.ref)/\(.tokens.cand) \(.first_diff)"] | join(" ")')" \
    "6=1 2/2 null"
grep -q 'tokens (op and call site) before 9223372036.855 s (the end of the common span)' "$T/tmax.md"
eq "tmax: window in the Markdown" $? 0
"$W" diff "$T/tmax.ref" "$T/tmax.cand" --tid 6 >"$T/tmax.diff" 2>&1
eq "tmax: diff exit" $? 0
grep -q '^--- ref thread 6: 2 tokens (the boot window)$' "$T/tmax.diff"
eq "tmax: diff sees both tokens" $? 0
# without a cutoff (the cand has no t): one past the ref's last t
printf '%s\n' '{"tid":1,"op":"NtSetEvent","lr":"0x100","obj":"0x10"}' \
    '{"tid":1,"op":"NtSetEvent","lr":"0x100","obj":"0x10"}' >"$T/tmax-not.cand"
report tmax-not "$T/tmax.ref" "$T/tmax-not.cand"
eq "tmax, cand without t: boot tokens" "$(j tmax-not '[.boot_delta.threads[].tokens.ref] | join(",")')" 2

# A span of MAX: main (6) waits from t = 1 on, thread 7 runs to MAX.
# --silence 100% is a threshold of MAX (it was 2^63 cast to int64: a
# negative one, under which every wait was wedged), and MAX - 1 is less.
printf '%s\n' '{"t":0,"tid":6,"op":"NtSetEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":1,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    "{\"t\":$MAX,\"tid\":7,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x120\"}" >"$T/span.ref"
report span "$T/span.ref" "$T/span.ref" --silence 100%
eq "span: nothing wedged under a threshold of the whole span" "$(j span '.wedged | length')" 0
grep -q 'silence threshold (ref: 9223372036.855 s, cand: 9223372036.855 s)' "$T/span.md"
eq "span: the threshold printed" $? 0
report span-25 "$T/span.ref" "$T/span.ref"
eq "span: under 25% main is wedged in both (so not divergent)" \
    "$(j span-25 '[.wedged[] | "\(.engine) \(.tid) \(.divergent)"] | join(" ")')" "ref 6 false cand 6 false"

# --- tid = 0xFFFFFFFF ---------------------------------------------------
# Every 32-bit tid is valid; UINT32_MAX used to mean "no thread" too, so
# such a thread was paired and listed with no analog at once, paired twice
# (--tid-map too), and null in a root's tid.
X=4294967295
# as diag.sh's signaled_but_blocked case with main X in both: cand X waits
# on e, which its thread 2 set with nobody taking the signal
printf '%s\n' "{\"t\":1,\"tid\":$X,\"op\":\"NtCreateEvent\",\"lr\":\"0x100\",\"obj\":\"0xF10\"}" \
    "{\"t\":2,\"tid\":$X,\"op\":\"ExCreateThread\",\"lr\":\"0x104\",\"entry_pc\":\"0x8000\"}" \
    "{\"t\":2,\"tid\":$X,\"op\":\"thread.create\",\"entry_pc\":\"0x8000\",\"new_tid\":7}" \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    "{\"t\":4,\"tid\":$X,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x110\",\"obj\":\"0xF10\"}" \
    "{\"t\":90,\"tid\":$X,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x120\"}" \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/tidx.ref"
printf '%s\n' "{\"t\":1,\"tid\":$X,\"op\":\"NtCreateEvent\",\"lr\":\"0x100\",\"obj\":\"0x1004\"}" \
    "{\"t\":2,\"tid\":$X,\"op\":\"ExCreateThread\",\"lr\":\"0x104\",\"entry_pc\":\"0x8000\"}" \
    "{\"t\":2,\"tid\":$X,\"op\":\"thread.create\",\"entry_pc\":\"0x8000\",\"new_tid\":2}" \
    '{"t":3,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    "{\"t\":4,\"tid\":$X,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x110\",\"obj\":\"0x1004\"}" \
    '{"t":100,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/tidx.cand"
map() { j "$1" '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")'; }
report tidx "$T/tidx.ref" "$T/tidx.cand"
eq "tidx: paired once" "$(map tidx)" "7=2:entry_pc $X=$X:main"
eq "tidx: no analog" "$(j tidx '.no_analog | length')" 0
eq "tidx: root" "$(j tidx '[.root_causes[] | "\(.kind) \(.tid) \(.ref_tid) \(.blocks | join(","))"] | join(" | ")')" \
    "signaled_but_blocked $X $X $X"
eq "tidx: wedged" "$(j tidx '[.wedged[] | "\(.engine) \(.tid) \(.divergent)"] | join(" ")')" "cand $X true"
eq "tidx: first divergence" "$(j tidx '.first_divergence')" null
eq "tidx: boot pairs, main first" "$(j tidx '[.boot_delta.threads[] | "\(.ref)=\(.cand)"] | join(" ")')" \
    "$X=$X 7=2"
grep -q "; 0 ref threads with no analog in cand\.$" "$T/tidx.md"
eq "tidx: verdict counts no thread without analog" $? 0
grep -q "^| cand | $X | - | .* | $X (main) |$" "$T/tidx.md"
eq "tidx: threads table names the analog" $? 0
report tidx-map "$T/tidx.ref" "$T/tidx.cand" --tid-map "$X=$X"
eq "tidx: --tid-map pairs it once" "$(map tidx-map)" "$X=$X:explicit 7=2:entry_pc"
"$W" report "$T/tidx.ref" "$T/tidx.cand" --tid-map "$X=$X,$X=2" >/dev/null 2>"$T/twice.err"
eq "tidx: --tid-map naming it twice" $? 64
"$W" diff "$T/tidx.ref" "$T/tidx.cand" --tid "$X" >"$T/tidx.diff" 2>&1
eq "tidx: diff to its analog" "$(sed -n 2p "$T/tidx.diff")" "+++ cand thread $X: 4 tokens"
"$W" diff "$T/tidx.ref" "$T/tidx.cand" --tid "$X=$X" >"$T/tidx.diff" 2>&1
eq "tidx: diff --tid X=X" "$(sed -n 2p "$T/tidx.diff")" "+++ cand thread $X: 4 tokens"
# as diag.sh's missing_thread case with ref thread X the one cand lacks:
# the root names ref_tid X (it printed null); both mains set at 0x108 so the
# candidate has a producer (else the verdict is INCONCLUSIVE)
printf '%s\n' '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":2,"tid":6,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}' \
    "{\"t\":2,\"tid\":6,\"op\":\"thread.create\",\"entry_pc\":\"0x8000\",\"new_tid\":$X}" \
    "{\"t\":3,\"tid\":$X,\"op\":\"NtSetEvent\",\"lr\":\"0x8010\",\"obj\":\"0xF10\"}" \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}' \
    '{"t":4,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    '{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    "{\"t\":100,\"tid\":$X,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x8020\"}" >"$T/miss.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}' \
    '{"t":100,"tid":5,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/miss.cand"
report miss "$T/miss.ref" "$T/miss.cand"
# (the candidate logs no creation: the mains pair by signature)
eq "miss: map" "$(map miss)" "6=1:signature"
eq "miss: no analog" "$(j miss '[.no_analog[].tid] | join(",")')" "$X"
eq "miss: root" "$(j miss '[.root_causes[] | "\(.kind) \(.tid) \(.ref_tid) \(.blocks | join(","))"] | join(" | ")')" \
    "missing_thread null $X 1"
eq "miss: outcome" "$(j miss .outcome)" A

# --- the input shapes of issue 15, tiny (bench/shapes.sh runs them big) ---
# Each was superlinear; these pin their answers, which the faster code
# must keep.  ev T TID OP LR [OBJ] prints one JSONL line.
ev() { printf '{"t":%d,"tid":%d,"op":"%s","lr":"0x%x"%s}\n' "$1" "$2" "$3" "$4" \
    "${5:+,\"obj\":\"$5\"}"; }
# 1. 50 objects never created, each set once at a site of its own, named
# differently in cand: each pairs by its producers.  Two more ref objects
# set at one site (0x20000) tie for the one cand object set there: it stays
# unpaired (a tie is no match).
shape1() {
    base=$1 i=0
    while [ $i -lt 50 ]; do
        ev $((i + 1)) 1 NtSetEvent $((65536 + 4 * i)) "$(printf '0x%x' $((base + 16 * i)))"
        i=$((i + 1))
    done
}
{ shape1 1048576; ev 60 1 NtSetEvent 131072 0xA0; ev 61 1 NtSetEvent 131072 0xB0
  ev 100 2 KeQueryPerformanceCounter 32; } >"$T/s1.ref"
{ shape1 9437184; ev 60 1 NtSetEvent 131072 0xC0; ev 100 2 KeQueryPerformanceCounter 32; } \
    >"$T/s1.cand"
report s1 "$T/s1.ref" "$T/s1.cand"
eq "shape 1: every object by producers" \
    "$(j s1 '[.object_map[] | select(.how == "producers")] | length')" 50
eq "shape 1: the 49th pair" "$(j s1 '.object_map[49] | "\(.cand)=\(.ref)"')" \
    "0x00900310=0x00100310"
eq "shape 1: a tie stays unpaired" "$(j s1 '[.object_map[] | select(.cand == "0x000000C0")] | length')" 0
# 2. 8 pool threads with the same 3 keys and no thread.create, plus one of
# 2 keys (0x4000, 0x4004) in each: Jaccard 2/3 with the pool.  The pool
# pairs in order of first events (1000+k with 5000+k), the odd one by 2/3.
shape2() {
    k=0
    while [ $k -lt 8 ]; do
        for j in 0 1 2; do ev $((k * 3 + j + 1)) $(($1 + k)) NtSetEvent $((16384 + 4 * j)) 0x500; done
        k=$((k + 1))
    done
    ev 50 $(($1 + 9)) NtSetEvent 16384 0x500
    ev 51 $(($1 + 9)) NtSetEvent 16388 0x500
}
shape2 1000 >"$T/s2.ref"
shape2 5000 >"$T/s2.cand"
ev 52 5009 NtSetEvent 16392 0x500 >>"$T/s2.cand"
report s2 "$T/s2.ref" "$T/s2.cand"
eq "shape 2: pool pairs by signature in order" \
    "$(j s2 '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" \
    "$(k=0; while [ $k -lt 8 ]; do printf '%s ' "$((1000 + k))=$((5000 + k)):signature"; k=$((k + 1)); done)1009=5009:signature"
eq "shape 2: the odd pair's score" "$(j s2 '.thread_map[8].score')" 0.667
# 3. 5 wedged threads, each waiting on an event only a ref thread of its
# own sets: 5 missing_thread roots, one wedged thread each.
{ i=0; while [ $i -lt 5 ]; do
    ev $((3 * i + 1)) $((10 + 2 * i)) KeWaitForSingleObject $((1048576 + 16 * i)) $(printf '0x%x' $((8388608 + 16 * i)))
    ev $((3 * i + 2)) $((11 + 2 * i)) NtSetEvent $((2097152 + 16 * i)) $(printf '0x%x' $((8388608 + 16 * i)))
    ev $((3 * i + 3)) $((10 + 2 * i)) KeQueryPerformanceCounter $((3145728 + 16 * i))
    i=$((i + 1)); done; ev 1000 1 KeQueryPerformanceCounter 32; } >"$T/s3.ref"
{ i=0; while [ $i -lt 5 ]; do
    ev $((3 * i + 1)) $((10 + 2 * i)) KeWaitForSingleObject $((1048576 + 16 * i)) $(printf '0x%x' $((8388608 + 16 * i)))
    i=$((i + 1)); done; ev 1000 1 KeQueryPerformanceCounter 32; } >"$T/s3.cand"
report s3 "$T/s3.ref" "$T/s3.cand"
eq "shape 3: one root each" \
    "$(j s3 '[.root_causes[] | "\(.kind) \(.ref_tid) \(.blocks | join(","))"] | join(" | ")')" \
    "missing_thread 11 10 | missing_thread 13 12 | missing_thread 15 14 | missing_thread 17 16 | missing_thread 19 18"
# 4. a ring of 5: thread i waits on e_i, which thread i+1 sets after its own
# wait; the ref goes round 4 times, the cand once: one cycle root, 5 blocked.
ring() {
    t=1 r=0
    while [ $r -le "$1" ]; do
        i=0; while [ $i -lt 5 ]; do
            ev $t $((10 + i)) KeWaitForSingleObject $((1048576 + 256 * i)) $(printf '0x%x' $((8388608 + 16 * i))); t=$((t + 1)); i=$((i + 1)); done
        [ "$2" = cand ] && [ $r -eq "$1" ] && break
        i=0; while [ $i -lt 5 ]; do
            ev $t $((10 + i)) NtSetEvent $((1048576 + 256 * i + 8)) $(printf '0x%x' $((8388608 + 16 * ((i + 4) % 5)))); t=$((t + 1)); i=$((i + 1)); done
        r=$((r + 1))
    done
    ev $((t + 1000)) 1 KeQueryPerformanceCounter 32
}
ring 4 ref >"$T/s4.ref"
ring 1 cand >"$T/s4.cand"
report s4 "$T/s4.ref" "$T/s4.cand"
eq "shape 4: one cycle" "$(j s4 '[.root_causes[] | "\(.kind) \(.tid) \(.blocks | join(","))"] | join(" | ")')" \
    "cycle 10 10,11,12,13,14"
# 5. 3 thread pairs whose boot streams share nothing (cand thread i makes
# ref thread i+1's calls): each pair differs at token 0, none bounded.
pairs5() {
    i=0; while [ $i -lt 3 ]; do
        printf '{"t":%d,"tid":1,"op":"thread.create","entry_pc":"0x%x","new_tid":%d}\n' $((i + 1)) $((4194304 + 256 * i)) $((10 + i))
        i=$((i + 1)); done
    t=10 j=0
    while [ $j -lt 20 ]; do
        i=0; while [ $i -lt 3 ]; do
            s=$(( $1 ? (i + 1) % 3 : i )); ev $t $((10 + i)) NtSetEvent $((1048576 + 4 * j + 65536 * s)) 0x500
            t=$((t + 1)); i=$((i + 1)); done
        j=$((j + 1))
    done
}
pairs5 0 >"$T/s5.ref"
pairs5 1 >"$T/s5.cand"
report s5 "$T/s5.ref" "$T/s5.cand"
eq "shape 5: every pair parts at once" \
    "$(j s5 '[.boot_delta.threads[] | select(.ref != 1) | "\(.ref)=\(.cand) \(.first_diff.index) \(.bounded)"] | join(" ")')" \
    "10=10 0 false 11=11 0 false 12=12 0 false"
# 6. one producer (paired by entry PC) sets 6 waiters' objects at one site in
# ref; in cand it runs on without: one live_missing_producer blocks all 6.
waiters6() {
    printf '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x400000","new_tid":2}\n'
    t=2 i=0
    while [ $i -lt 6 ]; do
        printf '{"t":%d,"tid":1,"op":"thread.create","entry_pc":"0x%x","new_tid":%d}\n' $t $((4259840 + 16 * i)) $((100 + i))
        ev $((t + 1)) $((100 + i)) KeWaitForSingleObject $((5242880 + 16 * i)) $(printf '0x%x' $((8388608 + 16 * i)))
        t=$((t + 2)); i=$((i + 1))
    done
    if [ "$1" = ref ]; then
        i=0; while [ $i -lt 6 ]; do
            ev $t 2 NtSetEvent 6291456 $(printf '0x%x' $((8388608 + 16 * i)))
            ev $((t + 1)) $((100 + i)) KeQueryPerformanceCounter $((5308416 + 16 * i))
            t=$((t + 2)); i=$((i + 1)); done
    fi
    j=0; while [ $j -lt 30 ]; do ev $t 2 NtSetEvent 6291712 0x7f0000; t=$((t + 1)); j=$((j + 1)); done
    ev $((t + 1000)) 1 KeQueryPerformanceCounter 32
}
waiters6 ref >"$T/s6.ref"
waiters6 cand >"$T/s6.cand"
report s6 "$T/s6.ref" "$T/s6.cand"
eq "shape 6: one live producer blocks every waiter" \
    "$(j s6 '[.root_causes[] | "\(.kind) \(.tid) \(.blocks | join(","))"] | join(" | ")')" \
    "live_missing_producer 2 100,101,102,103,104,105"

finish
