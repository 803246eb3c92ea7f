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

finish
