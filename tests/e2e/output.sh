#!/bin/sh
# What wedge writes, under hostile conditions: sh tests/e2e/output.sh BUILD_DIR
# - output files are whole or absent: a failing write (full disk, file size
#   limit) leaves an older report as it was and no temporary behind;
# - no path is cut short, even near PATH_MAX;
# - every output is valid UTF-8 whatever bytes the input held;
# - the DOT wait-for graph survives quotes and backslashes in labels;
# - two names of one stream (pipe, FIFO) are refused.
SUITE=output
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)/data"
REF="$D/ref.jsonl" CAND="$D/cand.jsonl"
# utf8 DESC FILE: the file is valid UTF-8 (iconv, independent of wedge)
utf8() {
    if [ ! -e "$2" ]; then
        bad "$1: $2 is missing"
    elif iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
        ok
    else
        bad "$1: $2 is not valid UTF-8"
    fi
}
# same DESC A B: identical files
same() { if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi; }
# listing DIR: its entries, dot files included, on one line
listing() { (cd "$1" && ls -A | tr '\n' ' '); }
# limited BLOCKS CMD...: run with a file size limit of BLOCKS (512 bytes
# each in dash) so that a write past it fails with EFBIG, as on a full disk
limited() (
    trap '' XFSZ
    blocks=$1
    shift
    ulimit -f "$blocks"
    "$@"
)
ALL="aligned-sequence.csv families.dot keys.csv report.html report.json report.md timeline.json waitgraph.dot "
# waitgraph.svg too when Graphviz draws it (tests/graph/ checks it)
command -v dot >/dev/null 2>&1 && ALL="${ALL}waitgraph.svg "

# --- item 6: output files are whole or absent ---------------------------
O="$T/keep"
"$W" report "$REF" "$CAND" -o "$O" >/dev/null 2>&1
mkdir -p "$T/good" && cp "$O"/* "$T/good/"
# report.md is 3.6 kB: a 1 kB limit fails the run part way
status "-o DIR on a full disk" 73 limited 2 "$W" report "$REF" "$CAND" --symbols "$D/symbols.txt" -o "$O"
contains "the error names the file and errno" "$T/err" "$O/report.md: cannot write: File too large"
for f in $ALL; do
    same "older $f survives a failing run" "$O/$f" "$T/good/$f"
done
eq "no temporary left in DIR" "$(listing "$O")" "$ALL"
# the aligned sequence is the large file here: 300 producers of one key
i=0
while [ $i -lt 300 ]; do
    echo "{\"t\":$((i * 10 + 1)),\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x82000010\",\"obj\":\"0x10\"}"
    i=$((i + 1))
done >"$T/many.jsonl"
O="$T/many"
"$W" report "$T/many.jsonl" "$T/many.jsonl" -o "$O" >/dev/null 2>&1
cp "$O/aligned-sequence.csv" "$T/many-good.csv"
status "aligned-sequence.csv on a full disk" 73 limited 16 "$W" report "$T/many.jsonl" "$REF" -o "$O"
contains "the CSV error names its path and errno" "$T/err" "$O/aligned-sequence.csv: cannot write: File too large"
same "older aligned-sequence.csv survives" "$O/aligned-sequence.csv" "$T/many-good.csv"
eq "no temporary left after the CSV" "$(listing "$O")" "$ALL"
# --json FILE and --dot FILE
echo '{"older": true}' >"$T/old.json"
cp "$T/old.json" "$T/old-copy.json"
status "--json FILE on a full disk" 73 limited 2 "$W" report "$REF" "$CAND" --json "$T/old.json"
same "older --json file survives" "$T/old.json" "$T/old-copy.json"
status "--json /dev/full" 73 "$W" report "$REF" "$CAND" --json /dev/full
contains "--json /dev/full names path and errno" "$T/err" "/dev/full: cannot write: No space left on device"
status "--dot /dev/full" 73 "$W" report "$REF" "$CAND" --dot /dev/full
contains "--dot /dev/full names path and errno" "$T/err" "/dev/full: cannot write: No space left on device"
status "--timeline /dev/full" 73 "$W" report "$REF" "$CAND" --timeline /dev/full
contains "--timeline /dev/full names path and errno" "$T/err" "/dev/full: cannot write: No space left on device"
status "--html /dev/full" 73 "$W" report "$REF" "$CAND" --html /dev/full
contains "--html /dev/full names path and errno" "$T/err" "/dev/full: cannot write: No space left on device"
status "stdout on a full disk" 73 sh -c '"$0" report "$1" "$2" >/dev/full' "$W" "$REF" "$CAND"
# a device is written in place, not replaced
status "--json /dev/null" 0 "$W" report "$REF" "$CAND" --json /dev/null
eq "/dev/null is still a device" "$( [ -c /dev/null ] && echo yes)" yes
# a symbolic link: the file it names is replaced, the link stays
echo old >"$T/target.json"
ln -s target.json "$T/link.json"
status "--json through a symlink" 0 "$W" report "$REF" "$CAND" --json "$T/link.json"
eq "the link is kept" "$( [ -L "$T/link.json" ] && echo yes)" yes
eq "its target holds the report" "$(jq -r .wedge_report "$T/target.json")" 1
# the same inside -o DIR; a link that leads nowhere is refused, never replaced
mkdir -p "$T/linkdir"
echo old >"$T/target.md"
ln -s ../target.md "$T/linkdir/report.md"
status "-o DIR through a symlink" 0 "$W" report "$REF" "$CAND" -o "$T/linkdir"
eq "-o DIR: the link is kept" "$( [ -L "$T/linkdir/report.md" ] && echo yes)" yes
contains "-o DIR: its target holds the report" "$T/target.md" "# wedge report"
ln -s nowhere.json "$T/dangling.json"
status "--json through a dangling symlink" 73 "$W" report "$REF" "$CAND" --json "$T/dangling.json"
eq "the dangling link is kept" "$( [ -L "$T/dangling.json" ] && echo yes)" yes
eq "no file appears for a dangling link" "$( [ -e "$T/nowhere.json" ] && echo made || echo none)" none
status "-o with an empty name" 64 "$W" report "$REF" "$CAND" -o ""
status "simulate -o with an empty name" 64 "$W" simulate healthy -o ""
# the simulator writes its four files the same way
S="$T/sim"
"$W" simulate healthy -o "$S" --seconds 1 -q 2>/dev/null
mkdir -p "$T/sim-good" && cp "$S"/* "$T/sim-good/"
status "simulate on a full disk" 73 limited 20 "$W" simulate two-faults -o "$S" -q
contains "simulate names the file" "$T/err" "cannot write: File too large"
for f in cand.jsonl ref.jsonl symbols.txt truth.json; do
    same "older simulated $f survives" "$S/$f" "$T/sim-good/$f"
done
eq "no temporary left by simulate" "$(listing "$S")" "cand.jsonl ref.jsonl symbols.txt truth.json "

# --- item 7: no path is cut short ----------------------------------------
# DIR is 4085 bytes: DIR/report.md fits PATH_MAX (4096 with its NUL),
# DIR/report.json and DIR/aligned-sequence.csv do not.
seg=$(printf '%0200d' 0)
long="$T"
while [ ${#long} -lt 3870 ]; do long="$long/$seg"; done
long="$long/$(printf '%0*d' $((4084 - ${#long})) 0)"
eq "the long DIR is 4085 bytes" "${#long}" 4085
status "-o DIR near PATH_MAX" 0 "$W" report "$REF" "$CAND" -o "$long"
eq "-o DIR near PATH_MAX writes every file by its name" "$(listing "$long")" "$ALL"
# (DIR/report.json passes PATH_MAX: read it from DIR)
eq "report.json there is the JSON" "$(cd "$long" && jq -r .wedge_report report.json 2>/dev/null)" 1
eq "nothing cut short beside DIR" "$(listing "${long%/*}" | wc -w | tr -d ' ')" 1
status "simulate -o DIR near PATH_MAX" 73 "$W" simulate healthy -o "$long/sim" --seconds 1 -q
contains "simulate names the overlong path" "$T/err" "File name too long"
eq "simulate leaves no cut-short file" "$(listing "$long/sim" 2>/dev/null)" ""
status "-o DIR past PATH_MAX" 73 "$W" report "$REF" "$CAND" -o "$long/$seg"
contains "an overlong DIR is named" "$T/err" "File name too long"
eq "no cut-short DIR is made" "$(listing "$long")" "$ALL"
# a file whose path passes PATH_MAX is still written: its directory is
# opened on its own, and the name fits NAME_MAX
status "--json FILE past PATH_MAX" 0 "$W" report "$REF" "$CAND" --json "$long/$seg.json"
eq "that file holds the report" "$(cd "$long" && jq -r .wedge_report "$seg.json" 2>/dev/null)" 1

# --- item 8: every output is valid UTF-8 --------------------------------
# (cut -c counts bytes)
E=$(printf '\303\251')          # é, two bytes
e100="" i=0
while [ $i -lt 100 ]; do e100="$e100$E"; i=$((i + 1)); done
e31=$(printf '%s' "$e100" | cut -c1-62)
e77=$(printf '%s' "$e100" | cut -c1-154)
e40=$(printf '%s' "$e100" | cut -c1-80)
BAD=$(printf 'bad\377name')
U=$(printf '\357\277\275')      # U+FFFD
H="$T/hostile"
mkdir -p "$H"
# symbols: a 200-byte name (the function column holds 159 bytes) and a name
# with an invalid byte; entry 0x82000100 makes threads of the long family
printf '82000000 %s 0x100\n82001000 %s 0x100\n82002000 "q\\uote 0x100\n' "$e100" "$BAD" >"$H/syms.txt"
# a raw engine of 80 bytes (the header keeps 63) in REF, an escaped one in CAND
{
    echo "{\"wedge_trace\":1,\"engine\":\"$e40\",\"observes\":[\"set\",\"wait\",\"thread\"]}"
    echo '{"t":1,"tid":1,"op":"thread.create","new_tid":2,"entry_pc":"0x82000000"}'
    echo '{"t":2,"tid":2,"op":"KeSetEvent","lr":"0x82000010","obj":"0x10"}'
    echo '{"t":3,"tid":2,"op":"KeSetEvent","lr":"0x82001010","obj":"0x10"}'
    echo '{"t":4,"tid":2,"pc":"0x82003000"}'
    echo '{"t":5,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82002010","obj":"0x20"}'
    echo '{"t":9000,"tid":2,"op":"KeSetEvent","lr":"0x82000010","obj":"0x10"}'
} >"$H/ref.jsonl"
esc=$(printf '%s' "$e100" | sed "s/$E/\\\\u00e9/g" | cut -c1-240)
{
    echo "{\"wedge_trace\":1,\"engine\":\"$esc\",\"observes\":[\"set\",\"wait\",\"thread\"]}"
    echo '{"t":1,"tid":1,"op":"thread.create","new_tid":2,"entry_pc":"0x82000000"}'
    echo '{"t":2,"tid":2,"op":"KeWaitForSingleObject","lr":"0x82000020","obj":"0x30"}'
    echo '{"t":5,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82002010","obj":"0x20"}'
    echo '{"t":9000,"tid":1,"op":"KeSetEvent","lr":"0x82003010","obj":"0x40"}'
} >"$H/cand.jsonl"
# --probe takes printable ASCII op names only: one with an invalid byte is
# refused; the hostile op names come from xenia and template lines below
status "a --probe op that is not ASCII is refused" 64 "$W" stats "$H/ref.jsonl" \
    --probe "0x82003000=$(printf 'Pr\377be')"
PROBE=ProbeOp
R="$H/r$(printf '\377')$E.jsonl"   # a path that is not UTF-8
cp "$H/ref.jsonl" "$R"
status "report on hostile input" 0 "$W" report "$R" "$H/cand.jsonl" --symbols "$H/syms.txt" \
    --probe "0x82003000=$PROBE" --op-category "$PROBE=set" -o "$H/out" --dot "$H/g.dot"
for f in $ALL; do utf8 "hostile $f" "$H/out/$f"; done
utf8 "hostile --dot" "$H/g.dot"
utf8 "hostile stdout" "$T/out"
J="$H/out/report.json"
eq "jq reads the hostile report.json" "$(jq -r .wedge_report "$J" 2>/dev/null)" 1
eq "a raw engine is cut before a character" "$(jq -r .ref.engine "$J" 2>/dev/null)" "$e31"
eq "an escaped engine is decoded and cut so" "$(jq -r .cand.engine "$J" 2>/dev/null)" "$e31"
eq "a long function keeps its offset, cut before a character" \
    "$(jq -r '.keys[] | select(.lr == "0x82000010") | .function' "$J" 2>/dev/null)" "$e77+0x10"
eq "an invalid byte of a symbol becomes U+FFFD" \
    "$(jq -r '.keys[] | select(.lr == "0x82001010") | .function' "$J" 2>/dev/null)" "bad${U}name+0x10"
eq "a --probe op is named" \
    "$(jq -r '.keys[] | select(.op | startswith("Pr")) | .op' "$J" 2>/dev/null)" "ProbeOp"
eq "the path's invalid byte becomes U+FFFD" "$(jq -r .ref.path "$J" 2>/dev/null)" "$H/r$U$E.jsonl"
status "stats on hostile input" 0 "$W" stats "$R" --probe "0x82003000=$PROBE"
utf8 "hostile stats" "$T/out"
status "stats --json on hostile input" 0 "$W" stats "$R" --json
utf8 "hostile stats --json" "$T/out"
eq "jq reads hostile stats --json" "$(jq -r .path "$T/out" 2>/dev/null)" "$H/r$U$E.jsonl"
status "diff on hostile input" 0 "$W" diff "$R" "$H/cand.jsonl" --symbols "$H/syms.txt" \
    --probe "0x82003000=$PROBE" --tid 2 --all --width 34
utf8 "hostile diff (a column cut at 34 bytes)" "$T/out"
# op names from xenia logs and templates, unchecked before; keyed by op
# (no lr), so the key column of aligned-sequence.csv, "set:OP", cuts them
# at 95 bytes: 6 bytes, then 89 of é
XOP=$(printf 'K\377%sSet' "$e100")
printf 'i> F8000010 audit_69 op=%s tid=6 handle=F8000024 host_ns=1000\n' "$XOP" >"$H/x.log"
printf 'i> F8000010 audit_69 op=%s tid=6 handle=F8000024 host_ns=2000\n' "$XOP" >>"$H/x.log"
printf '[5] T1 %s obj=10\n' "$XOP" >"$H/t.log"
status "report on xenia op names" 0 "$W" report "$H/x.log" "$H/t.log" -o "$H/x" \
    --op-category "$XOP=set" --line-format '[{t:dec}] T{tid:dec} {op:word} obj={obj:hex}'
for f in $ALL; do utf8 "xenia/template $f" "$H/x/$f"; done
eq "the xenia op is read with U+FFFD" "$(jq -r '.keys[0].op' "$H/x/report.json" 2>/dev/null)" \
    "K$U${e100}Set"

# --- item 9: DOT labels with quotes and backslashes ----------------------
G="$T/graph"
"$W" simulate two-faults -o "$G" --seconds 2 -q 2>/dev/null
# every function name gets a quote and a backslash
sed 's/_thread/_th"re\\ad/; s/Wrapper/Wr"ap\\per/' "$G/symbols.txt" >"$G/quoted.txt"
status "report with quoted names" 0 "$W" report "$G/ref.jsonl" "$G/cand.jsonl" \
    --symbols "$G/quoted.txt" --dot "$G/w.dot"
contains "a thread label escapes its quote and backslash" "$G/w.dot" 'th\"re\\ad'
contains "a wait site is escaped" "$G/w.dot" 'Wr\"ap\\per'
if command -v dot >/dev/null 2>&1; then
    status "graphviz reads the DOT" 0 dot -Tsvg "$G/w.dot" -o "$G/w.svg"
    status "graphviz reads the hostile DOT" 0 dot -Tsvg "$H/g.dot" -o "$H/g.svg"
else
    bad "graphviz's dot is not installed (scripts/install-deps.sh installs it): the DOT is untested"
fi

# --- item 15: two names of one stream -------------------------------------
status "/dev/stdin twice" 64 sh -c 'cat "$1" | "$0" report /dev/stdin /dev/stdin' "$W" "$REF"
contains "/dev/stdin twice says why" "$T/err" "are one stream"
status "- and /dev/stdin" 64 sh -c 'cat "$1" | "$0" report - /dev/stdin' "$W" "$REF"
status "- and - " 64 sh -c 'cat "$1" | "$0" report - -' "$W" "$REF"
status "diff: - and /dev/stdin" 64 sh -c 'cat "$1" | "$0" diff - /dev/stdin --tid 6' "$W" "$REF"
status "a symbol file and a trace on one pipe" 64 \
    sh -c 'cat "$1" | "$0" report - "$2" --symbols /dev/stdin' "$W" "$REF" "$CAND"
# no writer: refused before it is opened, so no wait for one (timeout 124)
mkfifo "$T/fifo"
status "one FIFO twice" 64 timeout 10 "$W" report "$T/fifo" "$T/fifo"
ln -s fifo "$T/fifo2"
status "a FIFO and a link to it" 64 timeout 10 "$W" report "$T/fifo" "$T/fifo2"
# a regular file can be read twice, under one name or two
status "a regular file twice" 0 "$W" report "$REF" "$REF" --json "$T/twice.json"
eq "both sides read it whole" "$(jq -r '"\(.ref.events) \(.cand.events)"' "$T/twice.json")" "10 10"
status "/dev/stdin twice from a regular file" 0 sh -c '"$0" report /dev/stdin /dev/stdin --json - <"$1"' "$W" "$REF"
eq "both sides read stdin's file whole" "$(jq -r '"\(.ref.events) \(.cand.events)"' "$T/out")" "10 10"

# --- report.md's tables are capped (a million keys made 71 MB) ----------
# 1500 keys, one event each: the table shows 1000 rows and counts the other
# 500; keys.csv holds all 1500 (and its header).
for side in ref cand; do
    awk 'BEGIN { for (i = 0; i < 1500; i++)
        printf "{\"t\":%d,\"tid\":1,\"op\":\"NtSetEvent\",\"lr\":\"0x%x\",\"obj\":\"0x500\"}\n", i + 1, 65536 + 4 * i }' \
        >"$T/many.$side"
done
status "many keys: report" 0 "$W" report "$T/many.ref" "$T/many.cand" -o "$T/many"
eq "many keys: 1000 rows in report.md" "$(grep -c '^| MATCH |' "$T/many/report.md")" 1000
contains "many keys: the rest counted" "$T/many/report.md" \
    "500 more rows left out (at most 1000 are shown); keys.csv has them all."
eq "many keys: keys.csv whole" "$(wc -l <"$T/many/keys.csv" | tr -d ' ')" 1501

finish
