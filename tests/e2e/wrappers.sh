#!/bin/sh
# Wrappers lifted, --wrapper, --key-by and match classes on a small pair
# shaped as the investigation's rows: the reference records the release
# inside the NtReleaseSemaphore wrapper sub_824AB158 (lr 0x824AB168, 903
# fires), the candidate its three callers (0x82450D2C 75, 0x82450CE0 7,
# 0x82450314 8).  Both sides beat a heartbeat (KeSetEvent at 0x82001000,
# 100 times) so the common span is every event.
#   sh tests/e2e/wrappers.sh BUILD_DIR
SUITE=wrappers
. "$(dirname "$0")/lib.sh"
j() { jq -r "$2" "$T/$1.json"; }

# trace SIDE FRAMES: SIDE ref or cand; FRAMES yes gives the ref's wrapper
# events their caller as first frame (and its heartbeat one fixed frame,
# a site with one caller: no wrapper)
trace() {
    awk -v side="$1" -v frames="$2" 'BEGIN {
        print "{\"wedge_trace\":1,\"engine\":\"" side "\",\"observes\":[\"set\",\"release\",\"wait\"]}"
        t = 0
        for (k = 1; k <= 100; k++) {
            ev(1, "KeSetEvent", "0x82001000", "0x82009990", "0x70000000")
            # ref: 903 releases in the wrapper (750 + 70 + 83 by caller)
            if (side == "ref")
                for (i = 0; i < 10; i++) {
                    n = (k - 1) * 10 + i
                    if (n >= 903) break
                    c = n % 13 == 0 ? "0x82450CE0" : n % 11 == 0 ? "0x82450314" : "0x82450D2C"
                    ev(5, "NtReleaseSemaphore", "0x824AB168", c, "0xF800006C")
                }
            else if (k <= 90)
                ev(5, "NtReleaseSemaphore", k <= 7 ? "0x82450CE0" : k <= 15 ? "0x82450314" : "0x82450D2C", "", "0x1004")
        }
    }
    function ev(tid, op, lr, caller, obj) {
        t += 1000
        f = frames == "yes" && side == "ref" && caller != "" ? ",\"frames\":[\"" caller "\",\"0x82400000\"]" : ""
        printf "{\"t\":%d,\"tid\":%d,\"op\":\"%s\",\"lr\":\"%s\",\"obj\":\"%s\"%s}\n", t, tid, op, lr, obj, f
    }'
}
trace ref yes >"$T/ref-frames.jsonl"
trace ref no >"$T/ref.jsonl"
trace cand no >"$T/cand.jsonl"
cat >"$T/syms.txt" <<'SYM'
82450218 sub_82450218 0x100
82450B68 sub_82450B68 0x200
824AB158 sub_824AB158 0x20
82001000 sub_82001000 0x40
SYM
# the counts the trace generator gives each caller (ref side)
eq "ref splits 903" "$(grep -c 0x824AB168 "$T/ref.jsonl")" 903
eq "cand fires 90" "$(grep -c NtReleaseSemaphore "$T/cand.jsonl")" 90
eq "cand 0x82450D2C" "$(grep -c 0x82450D2C "$T/cand.jsonl")" 75

# class_is NAME: the investigation's rows are exactly one class, 903 against
# 90 (UNDER: 90 < 903/1.25), its cand keys the three callers, MIXED members
class_is() {
    eq "$1: one class" "$(j "$1" '.match_classes | length')" 1
    eq "$1: class counts" "$(j "$1" '.match_classes[0] | "\(.ref) \(.cand) \(.status)"')" "903 90 UNDER"
    eq "$1: via the wrapper site" "$(j "$1" '.match_classes[0].via | "\(.side) \(.lr)"')" "ref 0x824AB168"
    eq "$1: cand keys" "$(j "$1" '.match_classes[0].cand_keys | sort | join(",")')" \
        "0x82450314,0x82450CE0,0x82450D2C"
    eq "$1: members MIXED" "$(j "$1" '[.keys[] | select(.category == "release") | .status] | unique | join(",")')" MIXED
    eq "$1: heartbeat outside" "$(j "$1" '.keys[] | select(.lr == "0x82001000") | .status')" MATCH
    # the headline is the first ref release past the class's 90 cand events, UNDER
    eq "$1: headline by the class" "$(j "$1" '.first_divergence | "\(.status) \(.class)"')" "UNDER 0"
    contains "$1: Markdown class table" "$T/$1.md" "## Match classes"
    contains "$1: Markdown headline" "$T/$1.md" "fires its match class 0"
}

# --- lifting: frames on the wrapper side, nothing given -----------------
# the wrapper site is detected (its events name 3 callers), its events are
# keyed at their callers, and a class stands for the site
report_files lift "$T/ref-frames.jsonl" "$T/cand.jsonl"
class_is lift
eq "lift: ref keys are the lifted callers" "$(j lift '.match_classes[0].ref_keys | sort | join(",")')" \
    "0x82450314,0x82450CE0,0x82450D2C"
eq "lift: no key left at the wrapper site" "$(j lift '[.keys[] | select(.lr == "0x824AB168")] | length')" 0
# the split by frame, over n = 0..902: 70 with n % 13 == 0, 76 with n % 11 == 0
# but not % 13 (83 multiples of 11 less the 7 of 143), the other 757
eq "lift: per-caller ref counts" \
    "$(j lift '[.keys[] | select(.category == "release") | "\(.lr)=\(.ref)"] | sort | join(" ")')" \
    "0x82450314=76 0x82450CE0=70 0x82450D2C=757"

# --- detection needs >= 2 distinct callers ------------------------------
# the heartbeat's events carry one caller only: not a wrapper, keyed at its lr
eq "detect: one caller stays" "$(j lift '[.keys[] | select(.lr == "0x82009990")] | length')" 0

# --- no frames: the wrapper given ---------------------------------------
report_files byaddr "$T/ref.jsonl" "$T/cand.jsonl" --wrapper 0x824AB158 --symbols "$T/syms.txt"
class_is byaddr
eq "byaddr: ref key the wrapper site" "$(j byaddr '.match_classes[0].ref_keys | join(",")')" 0x824AB168
report_files byname "$T/ref.jsonl" "$T/cand.jsonl" --wrapper sub_824AB158 --symbols "$T/syms.txt"
class_is byname
report_files bysite "$T/ref.jsonl" "$T/cand.jsonl" --wrapper 0x824AB168
class_is bysite
# the reference names the op by canary's hook (xeKeReleaseSemaphore), the
# candidate by the import: aliases are one op, so the callers still join
sed 's/NtReleaseSemaphore/xeKeReleaseSemaphore/' "$T/ref.jsonl" >"$T/ref-alias.jsonl"
sed 's/NtReleaseSemaphore/KeReleaseSemaphore/' "$T/cand.jsonl" >"$T/cand-alias.jsonl"
report_files alias "$T/ref-alias.jsonl" "$T/cand-alias.jsonl" --wrapper 0x824AB168
class_is alias
# the class in keys.csv: a class column, MIXED with its class
"$W" report "$T/ref.jsonl" "$T/cand.jsonl" --wrapper 0x824AB168 -o "$T/o" >/dev/null 2>&1
eq "csv: header" "$(head -n 1 "$T/o/keys.csv")" \
    "category,lr,op,function,ref,cand,ref_total,cand_total,status,class"
eq "csv: the wrapper key" "$(grep 0x824AB168 "$T/o/keys.csv")" \
    "release,0x824AB168,NtReleaseSemaphore,,903,0,903,0,MIXED,0"

# --- no wrapper known: no class, keys as before --------------------------
report_files none "$T/ref.jsonl" "$T/cand.jsonl" --key-by site
eq "none: no class" "$(j none 'has("match_classes")')" false
eq "none: wrapper site MISSING" "$(j none '.keys[] | select(.lr == "0x824AB168") | .status')" MISSING
report_files none-default "$T/ref.jsonl" "$T/cand.jsonl"
eq "none: --key-by site is the default, byte for byte" \
    "$(cmp "$T/none.json" "$T/none-default.json" >/dev/null && echo same)" same
# the repository's pair (no frames): --key-by site changes nothing either
D="$(dirname "$0")/data"
report_files data "$D/ref.jsonl" "$D/cand.jsonl" --key-by site
report_files data-default "$D/ref.jsonl" "$D/cand.jsonl"
eq "data: no class" "$(j data 'has("match_classes")')" false
eq "data: same report" "$(cmp "$T/data.md" "$T/data-default.md" >/dev/null && echo same)" same

# --- --key-by function and caller ---------------------------------------
# by function: the wrapper's function against its callers' functions; the
# cand's two callers in sub_82450B68 fold into one key (75 + 7)
report_files func "$T/ref.jsonl" "$T/cand.jsonl" --key-by function --wrapper sub_824AB158 \
    --symbols "$T/syms.txt"
eq "func: key_by" "$(j func '.key_by')" function
eq "func: class" "$(j func '.match_classes[0] | "\(.ref_keys | join(",")) \(.cand_keys | sort | join(",")) \(.ref) \(.cand) \(.status)"')" \
    "0x824AB158 0x82450218,0x82450B68 903 90 UNDER"
eq "func: caller keys by function" "$(j func '.keys[] | select(.lr == "0x82450B68") | "\(.function) \(.cand)"')" \
    "sub_82450B68 82"
# by caller: every event with frames keyed at its first frame, wrapper or not
report_files caller "$T/ref-frames.jsonl" "$T/cand.jsonl" --key-by caller
eq "caller: key_by" "$(j caller '.key_by')" caller
eq "caller: heartbeat at its caller" "$(j caller '.keys[] | select(.lr == "0x82009990") | .ref_total')" 100
eq "caller: releases at their callers" \
    "$(j caller '[.keys[] | select(.category == "release") | .lr] | sort | join(",")')" \
    "0x82450314,0x82450CE0,0x82450D2C"

# --- detected without frames: >= 2 threads on >= 2 objects --------------
# No frames anywhere.  The reference records NtSetEvent inside a wrapper
# at 0x824AA304, fired by threads 2, 3, 4 on their own events (60); the
# candidate records the callers: 0x82506C90 (threads 2 and 3, a shared
# thread function: itself spread) and 0x82450314 (thread 4).  KeSetEvent
# at 0x82506D00 is a shared thread function both engines record (spread,
# but fired on both sides: no class).  Releases at 0x82300000 (2 threads,
# 1 object) and 0x82310000 (1 thread, 2 objects) are no wrappers: they
# stay MISSING against the candidate's own EXTRA releases.
#   spread ref|ref-frames|cand
spread() {
    awk -v side="$1" 'BEGIN {
        print "{\"wedge_trace\":1,\"engine\":\"" side "\",\"observes\":[\"set\",\"release\"]}"
        t = 0
        for (k = 1; k <= 100; k++) {
            ev(1, "KeSetEvent", "0x82001000", "0x70000000")
            if (k > 20)
                continue
            for (tid = 2; tid <= 4; tid++) {
                h = sprintf("0xF80000%02X", 16 + 4 * tid)
                caller = tid < 4 ? "0x82506C90" : "0x82450314"
                ev(tid, "NtSetEvent", side == "cand" ? caller : "0x824AA304", h, side == "ref-frames" ? caller : "")
                ev(tid, "KeSetEvent", "0x82506D00", sprintf("0x701000%02X", 16 * tid))
            }
            if (side == "ref-frames")
                ev(5, "NtSetEvent", "0x82320000", "0xF8000100")
            if (side != "cand") {
                ev(2 + k % 2, "KeReleaseSemaphore", "0x82300000", "0x70200000")
                ev(2, "KeReleaseSemaphore", "0x82310000", k % 2 ? "0x70200100" : "0x70200200")
            } else {
                ev(2, "KeReleaseSemaphore", "0x82300100", "0x70200000")
                ev(3, "KeReleaseSemaphore", "0x82310100", "0x70200100")
            }
        }
    }
    function ev(tid, op, lr, obj, caller) {
        t += 1000
        f = caller != "" ? ",\"frames\":[\"" caller "\",\"0x82400000\"]" : ""
        printf "{\"t\":%d,\"tid\":%d,\"op\":\"%s\",\"lr\":\"%s\",\"obj\":\"%s\"%s}\n", t, tid, op, lr, obj, f
    }'
}
spread ref >"$T/spread-ref.jsonl"
spread cand >"$T/spread-cand.jsonl"
eq "spread: ref wrapper fires" "$(grep -c 0x824AA304 "$T/spread-ref.jsonl")" 60
report_files spread "$T/spread-ref.jsonl" "$T/spread-cand.jsonl"
eq "spread: one class" "$(j spread '.match_classes | length')" 1
eq "spread: the class" \
    "$(j spread '.match_classes[0] | "\(.category) \(.via.side) \(.via.lr) \(.ref_keys | join(",")) \(.cand_keys | sort | join(",")) \(.ref) \(.cand) \(.status)"')" \
    "set ref 0x824AA304 0x824AA304 0x82450314,0x82506C90 60 60 MATCH"
eq "spread: members MIXED" \
    "$(j spread '[.keys[] | select(.op == "NtSetEvent") | .status] | unique | join(",")')" MIXED
eq "spread: a thread function both record stays" \
    "$(j spread '.keys[] | select(.lr == "0x82506D00") | "\(.status) \(.ref) \(.cand)"')" "MATCH 60 60"
eq "spread: one thread or one object is no wrapper" \
    "$(j spread '[.keys[] | select(.category == "release") | "\(.lr)=\(.status)"] | sort | join(" ")')" \
    "0x82300000=MISSING 0x82300100=EXTRA 0x82310000=MISSING 0x82310100=EXTRA"
# the same pair keyed by --key-by caller (no frames: at the lr) forms it too
report_files spread-caller "$T/spread-ref.jsonl" "$T/spread-cand.jsonl" --key-by caller
eq "spread: --key-by caller" "$(j spread-caller '.match_classes | length')" 1
# the reference's wrapper events carry frames (lifted to the callers), and
# it alone fires NtSetEvent at 0x82320000 too: the candidate's spread site
# 0x82506C90 now has reference events, so it adopts nothing and
# 0x82320000 stays MISSING; the lifted wrapper's callers are the class
spread ref-frames >"$T/spread-ref-frames.jsonl"
report_files spread-frames "$T/spread-ref-frames.jsonl" "$T/spread-cand.jsonl"
eq "spread: lifted, the class" \
    "$(j spread-frames '.match_classes | map("\(.ref_keys | sort | join(",")) \(.cand_keys | sort | join(",")) \(.ref) \(.cand)") | join(";")')" \
    "0x82450314,0x82506C90 0x82450314,0x82506C90 60 60"
eq "spread: a key fired on both sides adopts nothing" \
    "$(j spread-frames '.keys[] | select(.lr == "0x82320000") | .status')" MISSING

# --- bad values -----------------------------------------------------------
status "bad --key-by" 64 "$W" report "$T/ref.jsonl" "$T/cand.jsonl" --key-by lr
contains "bad --key-by: message" "$T/err" "--key-by takes site, function or caller: 'lr'"
status "unknown --wrapper symbol" 64 "$W" report "$T/ref.jsonl" "$T/cand.jsonl" --wrapper sub_nowhere
contains "unknown --wrapper: message" "$T/err" "--wrapper sub_nowhere: no symbol of that name"
status "bad --wrapper address" 64 "$W" report "$T/ref.jsonl" "$T/cand.jsonl" --wrapper 0x1234567890
contains "bad --wrapper address: message" "$T/err" "--wrapper takes a symbol name or an address"

finish
