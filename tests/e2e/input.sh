#!/bin/sh
# End-to-end tests of reading hostile and cut-short input (issue 8):
# headers per trace, detection that ignores the transport, byte-order
# marks, UTF-16, zstd skippable frames, gzip followed by zlib, and traces
# cut short by a killed engine.  sh tests/e2e/input.sh BUILD_DIR
SUITE=input
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)/data"
j() { jq -r "$2" "$1"; }
# counts FILE: "lines=events+ignored+malformed format" of a stats --json
counts() { jq -r '"\(.lines)=\(.events)+\(.ignored)+\(.malformed) \(.format)"' "$1"; }

# --- each trace has its own JSONL header ---------------------------------
{
    echo '{"wedge_trace":1,"engine":"refeng","title_id":"4D5307E6","observes":["set","release","wait"]}'
    echo '{"t":1,"tid":1,"op":"KeSetEvent","lr":"0x82000010","obj":"0x10"}'
    echo '{"t":2,"tid":1,"op":"NtReleaseSemaphore","lr":"0x82000020","obj":"0x20"}'
    echo '{"t":3,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82000030","obj":"0x10"}'
} >"$T/hdr-ref.jsonl"
{
    echo '{"wedge_trace":1}'
    echo '{"t":1,"tid":1,"op":"KeSetEvent","lr":"0x82000010","obj":"0x10"}'
    echo '{"t":3,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82000030","obj":"0x10"}'
} >"$T/hdr-cand.jsonl"
status "header pair" 0 "$W" report "$T/hdr-ref.jsonl" "$T/hdr-cand.jsonl" --json "$T/hdr.json"
# the candidate never says it observes releases: its key cannot be judged
eq "release key of a cand without observes" \
    "$(j "$T/hdr.json" '.keys[] | select(.category == "release") | .status')" UNOBSERVABLE
eq "cand engine not inherited" "$(j "$T/hdr.json" '.cand.engine')" null
eq "ref engine kept" "$(j "$T/hdr.json" '.ref.engine')" refeng
eq "healthy header pair is not DIVERGED" "$(j "$T/hdr.json" '.outcome')" NONE

# --- detection never depends on the transport -----------------------------
# 70,000 blank lines (> 64 KiB) before the events
awk 'BEGIN { for (i = 0; i < 70000; i++) print "" }' >"$T/blank.jsonl"
cat "$D/ref.jsonl" >>"$T/blank.jsonl"
gzip -c "$T/blank.jsonl" >"$T/blank.jsonl.gz"
zstd -q -c "$T/blank.jsonl" >"$T/blank.jsonl.zst"
"$W" stats "$D/ref.jsonl" --json >"$T/base.json" 2>/dev/null
bl=$(j "$T/base.json" .lines)
be=$(j "$T/base.json" .events)
bi=$(j "$T/base.json" .ignored)
expect_blank="$((bl + 70000))=$be+$((bi + 70000))+0 jsonl"
for f in blank.jsonl blank.jsonl.gz blank.jsonl.zst; do
    status "blank lines first: $f" 0 "$W" stats "$T/$f" --json --strict
    eq "blank lines first: $f counts" "$(counts "$T/out")" "$expect_blank"
done
status "blank lines first: stdin" 0 sh -c "cat '$T/blank.jsonl' | '$W' stats - --json --strict"
eq "blank lines first: stdin counts" "$(counts "$T/out")" "$expect_blank"
# a xenia log after 100 KB of another program's lines
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "launcher: preparing content package %05d of the title\n", i }' >"$T/pre.log"
cat "$D/ref-stock.log" >>"$T/pre.log"
gzip -c "$T/pre.log" >"$T/pre.log.gz"
status "xenia after other lines: plain" 0 "$W" stats "$T/pre.log" --json
plain=$(counts "$T/out")
status "xenia after other lines: gzip" 0 "$W" stats "$T/pre.log.gz" --json
eq "xenia after other lines: same counts" "$(counts "$T/out")" "$plain"
eq "xenia after other lines: format" "${plain#* }" xenia-log

# stdin redirected from a file another command has partly read: what is
# left is the whole input, not a file that shrank
status "stdin past a file's start" 0 sh -c 'read -r first; "$0" stats - --json --strict' "$W" <"$T/blank.jsonl"
eq "stdin past a file's start: not truncated" "$(j "$T/out" .truncated)" false
eq "stdin past a file's start: the rest" "$(j "$T/out" .lines)" "$((bl + 70000 - 1))"

# --- byte-order marks and UTF-16 ----------------------------------------
printf '\357\273\277' >"$T/bom.jsonl"
cat "$D/ref.jsonl" >>"$T/bom.jsonl"
status "UTF-8 BOM" 0 "$W" stats "$T/bom.jsonl" --json --strict
eq "UTF-8 BOM counts" "$(counts "$T/out")" "$(counts "$T/base.json")"
if command -v iconv >/dev/null 2>&1; then
    iconv -f UTF-8 -t UTF-16 <"$D/ref-stock.log" >"$T/u16.log"
    status "UTF-16 is refused" 66 "$W" stats "$T/u16.log"
    contains "UTF-16 is named" "$T/err" "UTF-16LE"
    contains "UTF-16 error names file and line" "$T/err" "u16.log:1:"
    iconv -f UTF-8 -t UTF-16LE <"$D/ref-stock.log" >"$T/u16le.log"
    status "UTF-16LE without a mark is refused" 66 "$W" stats "$T/u16le.log"
    contains "UTF-16LE without a mark is named" "$T/err" "UTF-16LE"
else
    bad "iconv is missing: the UTF-16 tests did not run"
fi

# --- zstd skippable frames, gzip followed by something else ----------------
# a skippable frame (magic 0x184D2A50, 4 bytes of content) before the data
printf '\120\052\115\030\004\000\000\000wdge' >"$T/skip.zst"
zstd -q -c "$D/ref.jsonl" >>"$T/skip.zst"
status "zstd skippable frame first" 0 "$W" stats "$T/skip.zst" --json --strict
eq "zstd skippable frame counts" "$(counts "$T/out")" "$(counts "$T/base.json")"
eq "zstd skippable frame compression" "$(j "$T/out" .compression)" zstd
gzip -c "$D/ref.jsonl" >"$T/mixed.gz"
# a zlib stream (not gzip) of one event line, as zlib.compress writes it
printf '\170\234\253\126\052\311\114\121\262\062\324\121\312\057\120\262\122\362\116\015\116\055\161\055\113\315\053\121\252\345\002\000\172\166\010\236' >>"$T/mixed.gz"
status "gzip then zlib is corrupt" 66 "$W" stats "$T/mixed.gz"
contains "gzip then zlib names the file" "$T/err" "mixed.gz: corrupt gzip stream"
# one byte after the member (an echo appended to the file): zlib alone
# would wait for a second byte and call it a cut member
gzip -c "$D/ref.jsonl" >"$T/newline.gz"
echo >>"$T/newline.gz"
status "gzip then one stray byte is corrupt" 66 "$W" stats "$T/newline.gz"
contains "gzip then one stray byte names the file" "$T/err" "newline.gz: corrupt gzip stream"
# while a second member cut after its first byte is a cut stream
gzip -c "$D/ref.jsonl" >"$T/cut2.gz"
printf '\037' >>"$T/cut2.gz"
status "gzip then a cut member" 0 "$W" stats "$T/cut2.gz" --json
eq "gzip then a cut member: truncated" "$(j "$T/out" .truncated)" true
gzip -c "$D/ref.jsonl" >"$T/padded.gz"
head -c 512 /dev/zero >>"$T/padded.gz"
status "gzip with zero padding" 0 "$W" stats "$T/padded.gz" --json --strict
eq "gzip with zero padding counts" "$(counts "$T/out")" "$(counts "$T/base.json")"

# --- a trace cut short by a killed engine ---------------------------------
"$W" simulate two-faults -o "$T/sim" --seed 3 --events 150000 >/dev/null 2>&1
# the candidate's trace, made long enough (twice the reference's events)
# that zstd has written several blocks before it is killed
cand="$T/long-cand.jsonl"
cat "$T/sim/ref.jsonl" "$T/sim/ref.jsonl" >"$cand"
total_lines=$(wc -l <"$cand" | tr -d ' ')
# a writer killed while compressing: zstd gets the trace through a FIFO and
# is killed with SIGKILL once it has written part of its output
mkfifo "$T/fifo"
zstd -q -c <"$T/fifo" >"$T/killed.zst" &
zp=$!
exec 3>"$T/fifo"
cat "$cand" >&3
i=0
while [ "$(wc -c <"$T/killed.zst")" -eq 0 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $zp 2>/dev/null
wait $zp 2>/dev/null
exec 3>&-
status "killed zstd writer: stats" 0 "$W" stats "$T/killed.zst" --json
eq "killed zstd: flagged truncated" "$(j "$T/out" .truncated)" true
eq "killed zstd: counted" "$(j "$T/out" '.lines == .events + .ignored + .malformed')" true
got=$(j "$T/out" .lines)
if [ "$got" -gt 1000 ] && [ "$got" -lt "$total_lines" ]; then ok; else bad "killed zstd: $got lines of $total_lines"; fi
# the lines read are exactly the complete lines at the head of the trace
complete=$(j "$T/out" '.lines - (.malformed_by_reason.truncated // 0)')
head -n "$complete" "$cand" >"$T/head.jsonl"
"$W" stats "$T/head.jsonl" --json >"$T/head.json" 2>/dev/null
eq "killed zstd: the complete lines are read" "$(j "$T/out" .events)" "$(j "$T/head.json" .events)"
status "killed zstd writer: report" 0 "$W" report "$T/sim/ref.jsonl" "$T/killed.zst" --json "$T/k.json" -o "$T/kdir"
contains "report warns of the truncation" "$T/err" "killed.zst: truncated (the zstd stream ends inside a frame): read up to its last complete line"
eq "report.json cand truncated" "$(j "$T/k.json" .cand.truncated)" true
eq "report.json ref not truncated" "$(j "$T/k.json" .ref.truncated)" false
eq "report.json truncated reason" "$(j "$T/k.json" .cand.truncated_reason)" "the zstd stream ends inside a frame"
contains "verdict line says truncated" "$T/kdir/report.md" "The cand trace is truncated (the zstd stream ends inside a frame)"
verdict=$(grep -m1 '^\*\*outcome' "$T/kdir/report.md")
case $verdict in *"trace is truncated"*) ok ;; *) bad "truncation not on the verdict line: $verdict" ;; esac
status "killed zstd writer: --strict" 66 "$W" report "$T/sim/ref.jsonl" "$T/killed.zst" --strict
contains "--strict truncation message" "$T/err" "truncated: the zstd stream ends inside a frame"
# a gzip cut mid-line: the partial line is malformed "truncated", never an event
gzip -c "$cand" | head -c 200000 >"$T/cut.gz"
status "cut gzip stats" 0 "$W" stats "$T/cut.gz" --json
eq "cut gzip: partial line is malformed truncated" "$(j "$T/out" '.malformed_by_reason.truncated')" 1
eq "cut gzip: counted" "$(j "$T/out" '.lines == .events + .ignored + .malformed')" true


# --- decoded on a thread of its own: many blocks ahead of the parser ------
# 6 MB of trace decodes into more blocks than the decoder queues; the lines,
# a corrupt byte near the end and a stream cut short must all come through
"$W" simulate healthy --events 60000 -o "$T/big" -q || bad "simulate the big trace"
"$W" stats "$T/big/ref.jsonl" --json >"$T/big.json" 2>/dev/null
for z in gzip zstd; do
    command -v $z >/dev/null || continue
    $z -q -c "$T/big/ref.jsonl" >"$T/big.$z"
    status "big $z: stats" 0 "$W" stats "$T/big.$z" --json
    eq "big $z: counts as plain" "$(counts "$T/out")" "$(counts "$T/big.json")"
    size=$(wc -c <"$T/big.$z")
    cp "$T/big.$z" "$T/bad.$z"
    printf 'XXXXXXXXXXXXXXXX' | dd of="$T/bad.$z" bs=1 seek=$((size - size / 8)) conv=notrunc 2>/dev/null
    status "big $z, corrupt near the end: an error" 66 "$W" stats "$T/bad.$z"
    contains "big $z, corrupt: says so" "$T/err" "corrupt $z stream"
    head -c $((size / 2)) "$T/big.$z" >"$T/half.$z"
    status "big $z, cut in half: read" 0 "$W" stats "$T/half.$z" --json
    eq "big $z, cut: flagged truncated" "$(j "$T/out" .truncated)" true
done

finish
