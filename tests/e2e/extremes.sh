#!/bin/sh
# Values at the edges of what the formats allow: t = 9223372036854775807
# (INT64_MAX) and tid = 0xFFFFFFFF.  Nothing may overflow (the sanitizer
# build aborts on it) and every answer must be as for ordinary values.
#   sh tests/e2e/extremes.sh BUILD_DIR
SUITE=extremes
. "$(dirname "$0")/lib.sh"
MAX=9223372036854775807
# report NAME REF CAND [options]: exit 0 expected; JSON in $T/NAME.json
report() {
    n=$1 r=$2 c=$3
    shift 3
    "$W" report "$r" "$c" --json "$T/$n.json" "$@" >"$T/$n.md" 2>"$T/$n.err"
    eq "$n: exit" $? 0
}
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

finish
