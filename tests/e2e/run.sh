#!/bin/sh
# End-to-end tests of the wedge command: sh tests/e2e/run.sh BUILD_DIR
# The expected values below are worked out by hand from tests/e2e/data/
# (see the comments); jq reads the JSON.
SUITE=e2e
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)/data"
j() { jq -r "$2" "$1"; }

# --- the command line itself ------------------------------------------
status "--help" 0 "$W" --help
contains "--help names report" "$T/out" "report REF CAND"
status "report --help" 0 "$W" report --help
contains "report --help lists --symbols" "$T/out" "--symbols [MODULE=]FILE"
status "stats --help" 0 "$W" stats --help
status "--version" 0 "$W" --version
contains "--version" "$T/out" "wedge 0."
status "no command" 64 "$W"
status "unknown command" 64 "$W" frobnicate
# help on a command that does not exist is a usage error, in one line
status "help on an unknown command" 64 "$W" help bogus
contains "help bogus names it" "$T/err" "wedge: no command 'bogus'"
eq "help bogus: one line on stderr" "$(wc -l <"$T/err" | tr -d ' ')" 1
eq "help bogus: nothing on stdout" "$(wc -c <"$T/out" | tr -d ' ')" 0
status "help on every command" 0 sh -c 'for c in report stats simulate demo diff; do "$1" help $c >/dev/null || exit 1; done' - "$W"
status "unknown option" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --bogus
contains "unknown option message" "$T/err" "unknown option '--bogus'"
status "one trace only" 64 "$W" report "$D/ref.jsonl"
status "three traces" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" "$D/cand.jsonl"
status "bad tolerance" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --tolerance abc
status "negative tolerance" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --tolerance -1
status "missing option value" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json
contains "missing option value message" "$T/err" "wedge: option --json needs a value"
# the option tables: a flag takes no value, "--" ends options, the shared
# options belong to the commands that read them only
status "a value to a flag" 64 "$W" stats "$D/ref.jsonl" --strict=1
contains "a value to a flag says so" "$T/err" "wedge: option --strict takes no value"
status "-- ends options" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" -- --json
contains "-- makes --json a third trace" "$T/err" "'--json' is a third"
status "stats takes no pair option" 64 "$W" stats "$D/ref.jsonl" --tolerance 1
contains "stats: --tolerance unknown" "$T/err" "unknown option '--tolerance'"
status "a short option with its value attached is unknown" 64 "$W" report "$D/ref.jsonl" \
    "$D/cand.jsonl" -oX
status "--help ends the command" 0 "$W" report --help --bogus
status "simulate --list ends the command" 0 "$W" simulate --list --bogus
contains "simulate --list lists" "$T/out" "two-faults"
status "bad --probe" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --probe nothex=KeSetEvent
# pseudo ops need fields a probe cannot give; op names are one printable word
status "--probe thread.create" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --probe 0x1=thread.create
contains "--probe thread.create says why" "$T/err" "thread.create needs entry_pc and new_tid"
status "--probe object.alias" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --probe 0x1=object.alias
status "--probe op with a space" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --probe '0x1=Ke SetEvent'
# a template no line can match is a usage error when given, not 66 later
printf '7 KeSetEvent\n' >"$T/tmpl.log"
status "template matches" 0 "$W" stats "$T/tmpl.log" --line-format '{tid:dec} {op:word}'
status "template with a trailing space" 64 "$W" stats "$T/tmpl.log" --line-format '{tid:dec} {op:word} '
contains "trailing space named" "$T/err" "can never match at ' ': it ends in white space"
status "template with adjacent fields" 64 "$W" stats "$T/tmpl.log" --line-format '{tid:dec}{op:word}'
contains "adjacent fields named" "$T/err" "can never match at '{tid:dec}{op:word}'"
status "bad --op-category" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --op-category X=nope
status "bad --line-format" 64 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --line-format '{op:word}'
status "both on stdin" 64 "$W" report - -
status "unreadable" 66 "$W" report /nonexistent/ref.jsonl "$D/cand.jsonl"
contains "unreadable names the file" "$T/err" "/nonexistent/ref.jsonl"
printf 'hello\nworld\n' >"$T/unknown.txt"
status "unknown format" 66 "$W" report "$T/unknown.txt" "$D/cand.jsonl"
contains "unknown format names the file" "$T/err" "unknown.txt: no known trace format"
status "symbols unreadable" 66 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --symbols /nonexistent.map

# --- JSONL reference against JSONL candidate ------------------------
# Keys (lr): C=release@0x824D229C ref 4 cand 1 UNDER (1 < 4/1.25);
# B=set@0x824AA304 2/2, A=release@0x824AB168 2/2 MATCH; D=set@0x824D2A44
# 2/0 MISSING.  Sorted by ref, cand desc, then category (set first): C B A D.
# Ref producers: #0 A #1 B #2 A #3 C(1st) #4 C(2nd) #5 D ...
# First key divergence: #3 (C is UNDER).  First divergence = first
# shortfall: #4 (2nd C > cand 1).  No key fires 8 times: whole traces.
status "report json" 0 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json "$T/r.json" \
    --symbols "$D/symbols.txt"
R="$T/r.json"
eq "wedge_report" "$(j "$R" .wedge_report)" 1
eq "member order" "$(j "$R" '[keys_unsorted[]][0:10] | join(",")')" \
    "wedge_report,ref,cand,keys,thread_map,first_divergence,first_shortfall,wedged,root_causes,outcome"
eq "ref stats" "$(j "$R" '.ref | "\(.lines) \(.events) \(.ignored) \(.malformed) \(.producers) \(.threads) \(.span)"')" \
    "11 10 1 0 10 4 9000"
eq "cand stats" "$(j "$R" '.cand | "\(.lines) \(.events) \(.ignored) \(.malformed) \(.producers) \(.threads) \(.span)"')" \
    "7 6 1 0 5 3 11100"
eq "key order" "$(j "$R" '[.keys[] | .lr] | join(" ")')" \
    "0x824D229C 0x824AA304 0x824AB168 0x824D2A44"
eq "key statuses" "$(j "$R" '[.keys[] | .status] | join(" ")')" "UNDER MATCH MATCH MISSING"
eq "key counts" "$(j "$R" '[.keys[] | "\(.ref)/\(.cand)"] | join(" ")')" "4/1 2/2 2/2 2/0"
eq "key members" "$(j "$R" '.keys[0] | keys_unsorted | join(",")')" \
    "category,lr,op,function,ref,cand,ref_total,cand_total,status"
eq "key op and function" "$(j "$R" '.keys[0] | "\(.category) \(.op) \(.function)"')" \
    "release xeKeReleaseSemaphore sub_824D21F0+0xAC"
eq "function of D" "$(j "$R" '.keys[3].function')" "sub_824D29F0+0x54"
eq "first divergence" "$(j "$R" '.first_divergence | "\(.ref_index) \(.t) \(.tid) \(.category) \(.lr) \(.op) \(.obj) \(.ordinal) \(.ref_count) \(.cand_count) \(.function)"')" \
    "4 5000 14 release 0x824D229C xeKeReleaseSemaphore 0xF800006C 2 4 1 sub_824D21F0+0xAC"
eq "first key divergence" "$(j "$R" '.first_key_divergence | "\(.ref_index) \(.t) \(.tid) \(.category) \(.lr) \(.op) \(.obj) \(.ordinal) \(.ref_count) \(.cand_count) \(.function)"')" \
    "3 4000 14 release 0x824D229C xeKeReleaseSemaphore 0xF800006C 1 4 1 sub_824D21F0+0xAC"
eq "common span: whole, no heartbeat" "$(j "$R" '.common_span | "\(.method) \(.requested) \(.ref_end) \(.cand_end) \(.ref_unit) \(.heartbeat)"')" \
    "whole progress 9000 11100 ns null"
eq "first divergence members" "$(j "$R" '.first_divergence | keys_unsorted[0:12] | join(",")')" \
    "ref_index,t,tid,cand_tid,category,lr,op,obj,ordinal,ref_count,cand_count,function"
eq "first shortfall" "$(j "$R" '.first_shortfall | "\(.ref_index) \(.t) \(.ordinal)"')" "4 5000 2"

# Markdown: the same facts in sentences
status "report markdown" 0 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt"
cp "$T/out" "$T/r.md"
contains "md ratio" "$T/r.md" "UNDER (x4)"
contains "md function" "$T/r.md" "sub_824D21F0+0xAC"
contains "md divergence sentence" "$T/r.md" "ref producer #4, at 5.000 µs, thread 14, is the first cand has no counterpart for at that point of progress: the 2nd"
contains "md key divergence sentence" "$T/r.md" "First key divergence (the first producer whose key is MISSING or UNDER): ref producer #3, at 4.000 µs, thread 14"
contains "md summary" "$T/r.md" "4 producer keys: 1 MISSING, 1 UNDER, 2 MATCH."
status "names" 0 "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --ref-name canary --cand-name ours
contains "--ref-name" "$T/out" "canary producer #4"

# JSON to stdout
"$W" report "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt" --json - >"$T/stdout.json" 2>/dev/null
eq "--json - is the same JSON" "$(cmp -s "$T/stdout.json" "$R" && echo same)" same

# --- the other two reference forms ------------------------------------
# key=value lines: the same events, so the same keys and divergence
"$W" report "$D/ref-kv.log" "$D/cand.jsonl" --json "$T/kv.json" >/dev/null 2>&1
eq "kv format" "$(j "$T/kv.json" .ref.format)" "xenia-log"
eq "kv counts" "$(j "$T/kv.json" '.ref | "\(.lines) \(.events) \(.ignored)"')" "12 10 2"
eq "kv keys like JSONL" "$(j "$T/kv.json" '[.keys[] | "\(.lr)=\(.status)"] | join(" ")')" \
    "$(j "$R" '[.keys[] | "\(.lr)=\(.status)"] | join(" ")')"
eq "kv divergence like JSONL" "$(j "$T/kv.json" '.first_divergence | "\(.ref_index) \(.t) \(.tid)"')" "4 5000 14"
# stock kernel-call lines carry no lr: every key is (category, op).  No t:
# whole traces count.  NtSetEvent 4/2 UNDER, KeReleaseSemaphore 4/1 UNDER,
# NtReleaseSemaphore 2/2 MATCH; order NtSetEvent (4,2), KeRelease (4,1), NtRelease.
# Ref in line order: #0 NtRelease #1 NtSet (UNDER: divergence) #2 NtRelease
# #3 KeRelease(1st) #4 KeRelease(2nd > 1: shortfall and divergence)
"$W" report "$D/ref-stock.log" "$D/cand.jsonl" --json "$T/stock.json" >/dev/null 2>&1
eq "stock key mode" "$(j "$T/stock.json" .key_mode)" "op"
eq "stock keys" "$(j "$T/stock.json" '[.keys[] | "\(.op)=\(.ref)/\(.cand)=\(.status)=\(.lr)"] | join(" ")')" \
    "NtSetEvent=4/2=UNDER=null KeReleaseSemaphore=4/1=UNDER=null NtReleaseSemaphore=2/2=MATCH=null"
eq "stock key divergence" "$(j "$T/stock.json" '.first_key_divergence | "\(.ref_index) \(.tid) \(.op) \(.obj) \(.t)"')" \
    "1 6 NtSetEvent 0xF8000024 null"
eq "stock divergence" "$(j "$T/stock.json" '.first_divergence | "\(.ref_index) \(.tid) \(.op) \(.ordinal)"')" \
    "4 14 KeReleaseSemaphore 2"
eq "stock shortfall" "$(j "$T/stock.json" '.first_shortfall | "\(.ref_index) \(.tid) \(.ordinal)"')" "4 14 2"
eq "stock threads" "$(j "$T/stock.json" .ref.threads)" 4

# --- compressed input and stdin give the same report -------------------
for form in plain gz zst stdin; do
    mkdir -p "$T/$form"
    case $form in
    plain) cp "$D/ref.jsonl" "$T/$form/ref.jsonl"; cp "$D/cand.jsonl" "$T/$form/cand.jsonl" ;;
    gz) gzip -c "$D/ref.jsonl" >"$T/$form/ref.jsonl"; gzip -c "$D/cand.jsonl" >"$T/$form/cand.jsonl" ;;
    zst) zstd -q -c "$D/ref.jsonl" >"$T/$form/ref.jsonl"; zstd -q -c "$D/cand.jsonl" >"$T/$form/cand.jsonl" ;;
    stdin) gzip -c "$D/ref.jsonl" >"$T/$form/ref.gz"; cp "$D/cand.jsonl" "$T/$form/cand.jsonl" ;;
    esac
    if [ $form = stdin ]; then
        (cd "$T/$form" && gzip -dc ref.gz | "$W" report - cand.jsonl -o out --symbols "$D/symbols.txt" >/dev/null 2>&1)
    else
        (cd "$T/$form" && "$W" report ref.jsonl cand.jsonl -o out --symbols "$D/symbols.txt" >/dev/null 2>&1)
    fi
done
# byte-identical: same names, other compression (stdin differs in REF's path only)
jq -S 'del(.ref.path)' "$T/plain/out/report.json" >"$T/plain-nopath.json"
jq -S 'del(.ref.path)' "$T/stdin/out/report.json" >"$T/stdin-nopath.json"
eq "stdin report.json" "$(cmp -s "$T/plain-nopath.json" "$T/stdin-nopath.json" && echo same)" same
for f in report.json report.md keys.csv aligned-sequence.csv; do
    eq "gz $f" "$(cmp -s "$T/plain/out/$f" "$T/gz/out/$f" && echo same)" same
    eq "zst $f" "$(cmp -s "$T/plain/out/$f" "$T/zst/out/$f" && echo same)" same
done
(cd "$T/gz" && "$W" stats ref.jsonl) >"$T/gzstats" 2>&1
contains "stats names gzip" "$T/gzstats" "compression: gzip"
(cd "$T/zst" && "$W" stats cand.jsonl --json) >"$T/zststats" 2>&1
eq "stats names zstd" "$(j "$T/zststats" .compression)" zstd
eq "stdin path" "$(j "$T/stdin/out/report.json" .ref.path)" "-"

# -o DIR files
O="$T/plain/out"
for f in report.md report.json keys.csv aligned-sequence.csv; do
    eq "-o writes $f" "$( [ -s "$O/$f" ] && echo yes)" yes
done
eq "keys.csv rows" "$(wc -l <"$O/keys.csv" | tr -d ' ')" 5
eq "keys.csv first row" "$(sed -n 2p "$O/keys.csv")" \
    "release,0x824D229C,xeKeReleaseSemaphore,sub_824D21F0+0xAC,4,1,4,1,UNDER"
# aligned: 10 ref producers; cand's 5 all pair (no cand key count exceeds ref's)
eq "aligned rows" "$(wc -l <"$O/aligned-sequence.csv" | tr -d ' ')" 11
eq "aligned 4th row pairs the 1st C" "$(sed -n 5p "$O/aligned-sequence.csv" | cut -d, -f1,3,4,5,6,10,11)" \
    "release@0x824D229C,UNDER,1,3,4000,3,4500"
eq "aligned 5th row has no cand" "$(sed -n 6p "$O/aligned-sequence.csv" | cut -d, -f4,10)" "2,"
"$W" report "$D/cand.jsonl" "$D/ref.jsonl" -o "$T/rev" >/dev/null 2>&1
# reversed: 5 ref(cand.jsonl) producers pair with 5; the 5 extra rows follow
eq "aligned rows reversed" "$(wc -l <"$T/rev/aligned-sequence.csv" | tr -d ' ')" 11
"$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json "$T/both.json" -o "$T/both" >/dev/null 2>&1
eq "-o report.json is the --json file" "$(cmp -s "$T/both.json" "$T/both/report.json" && echo same)" same
"$W" report "$D/ref.jsonl" "$D/cand.jsonl" >"$T/both.md" 2>/dev/null
eq "-o report.md is the stdout Markdown" "$(cmp -s "$T/both.md" "$T/both/report.md" && echo same)" same

# --- bad input ------------------------------------------------------
printf '{"t":1,"tid":1,"op":"KeSetEvent","lr":"0x10"}\n{"t":2,"tid":1,"op":"KeSetEv\n{"t":3,"tid":"x","op":"A"}\n' >"$T/bad.jsonl"
status "malformed lines are counted" 0 "$W" report "$T/bad.jsonl" "$D/cand.jsonl" --json "$T/bad.json"
contains "malformed warning names file:line" "$T/err" "bad.jsonl:2"
eq "malformed counted" "$(j "$T/bad.json" '.ref | "\(.lines)=\(.events)+\(.ignored)+\(.malformed)"')" "3=1+0+2"
eq "malformed reasons" "$(j "$T/bad.json" '.ref.malformed_by_reason | "\(.syntax) \(.type)"')" "1 1"
status "--strict" 65 "$W" report "$T/bad.jsonl" "$D/cand.jsonl" --strict
contains "--strict names file:line" "$T/err" "bad.jsonl:2: malformed line"
gzip -c "$D/ref.jsonl" | head -c 60 >"$T/trunc.gz"
status "truncated gzip is read" 0 "$W" report "$T/trunc.gz" "$D/cand.jsonl"
status "truncated gzip under --strict" 66 "$W" report "$T/trunc.gz" "$D/cand.jsonl" --strict
contains "truncated names the file" "$T/err" "trunc.gz: truncated: the gzip stream ends inside a member"
zstd -q -c "$D/ref.jsonl" | head -c 30 >"$T/trunc.zst"
status "truncated zstd is read" 0 "$W" stats "$T/trunc.zst"
status "truncated zstd under --strict" 66 "$W" stats "$T/trunc.zst" --strict

# --- stats ----------------------------------------------------------
status "stats" 0 "$W" stats "$D/ref-stock.log"
contains "stats lines" "$T/out" "lines:      15"
contains "stats format" "$T/out" "xenia-log"
for f in ref.jsonl ref-kv.log ref-stock.log cand.jsonl; do
    "$W" stats "$D/$f" --json >"$T/s.json" 2>/dev/null
    eq "stats invariant $f" "$(j "$T/s.json" '.lines == .events + .ignored + .malformed')" true
done
status "stats json of bad input" 0 "$W" stats "$T/bad.jsonl" --json
eq "stats malformed lines" "$(jq -r '[.malformed_lines[].line] | join(",")' "$T/out")" "2,3"
printf '[5] T1 KeSetEvent lr=82000010\n[6] T1 KeSetEvent lr=82000010\n' >"$T/custom.log"
status "stats with a template" 0 "$W" stats "$T/custom.log" --json --line-format '[{t:dec}] T{tid:dec} {op:word} lr={lr:hex}'
eq "template events" "$(jq -r .events "$T/out")" 2

finish
