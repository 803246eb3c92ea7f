#!/bin/sh
# wedge report on a terminal (docs/wedge.md, "On a terminal"): run under a
# pseudo-terminal (util-linux script) of a set size, the brief form fits 40
# lines and names the verdict, every root and the headline; no line is
# wider than the terminal; colours on a terminal, off with NO_COLOR and
# through a pipe, whose output stays the Markdown byte for byte; the
# progress line on a slow stdin when stderr is a terminal, never otherwise.
#   sh tests/term/run.sh BUILD_DIR
SUITE=term
. "$(dirname "$0")/../e2e/lib.sh"
if ! command -v script >/dev/null 2>&1; then
    # util-linux is Essential on Debian: its absence is a broken machine
    bad "script (util-linux) not found: cannot make a pseudo-terminal"
    finish
    exit 1
fi
ESC=$(printf '\033')

# tty COLS ROWS OUT CMD: runs the shell command CMD with stdout and stderr
# on a COLS x ROWS pseudo-terminal; what it wrote goes to OUT, \r removed
tty() {
    _c=$1 _r=$2 _o=$3
    shift 3
    script -qec "stty cols $_c rows $_r; $*" /dev/null </dev/null 2>&1 | tr -d '\r' >"$_o"
}
# plain FILE: FILE with its ANSI sequences taken out
plain() { sed "s/$ESC\[[0-9;]*[A-Za-z]//g" "$1"; }
# fits DESC FILE COLS: no line of FILE is wider than COLS display columns
fits() {
    _w=$(plain "$2" | LC_ALL=C.UTF-8 wc -L)
    if [ "$_w" -le "$3" ]; then ok; else bad "$1: a line of $_w columns, wider than $3"; fi
}
# lines DESC FILE MAX: FILE has at most MAX lines
lines() {
    _n=$(wc -l <"$2")
    if [ "$_n" -le "$3" ]; then ok; else bad "$1: $_n lines, more than $3"; fi
}
# colours DESC FILE yes|no: FILE holds an ANSI colour sequence or none
colours() {
    if grep -q "$ESC\[" "$2"; then _has=yes; else _has=no; fi
    eq "$1: colours" "$_has" "$3"
}
# names DESC FILE JSON: FILE names the verdict, every root of report.json
# JSON (its kind) and the headline
names() {
    _oc=$(jq -r '.outcome' "$3")
    contains "$1: verdict" "$2" "outcome $_oc"
    for _k in $(jq -r '.root_causes[].kind' "$3"); do
        contains "$1: root $_k" "$2" "$_k"
    done
    _nr=$(jq -r '.root_causes | length' "$3")
    _got=$(plain "$2" | grep -cE '^[0-9]+\. ')
    [ "$_nr" -gt 6 ] && _nr=6   # the brief form shows six and counts the rest
    eq "$1: roots listed" "$_got" "$_nr"
    contains "$1: headline" "$2" "First divergence"
}

# --- the demo's pair ---------------------------------------------------------
S="$T/demo"
"$W" simulate two-faults --seed 7 --seconds 3 -o "$S" >/dev/null 2>&1
eq "simulate" $? 0
R="$W report $S/ref.jsonl $S/cand.jsonl --symbols $S/symbols.txt --ref-name reference --cand-name candidate"
$R >"$T/demo.md" 2>/dev/null
$R --json "$T/demo.json" >/dev/null 2>&1
for cols in 80 120; do
    tty "$cols" 40 "$T/d$cols" "$R 2>/dev/null"
    lines "demo at $cols columns: brief by default" "$T/d$cols" 40
    fits "demo at $cols columns" "$T/d$cols" "$cols"
    names "demo at $cols columns" "$T/d$cols" "$T/demo.json"
    contains "demo at $cols columns: where the rest is" "$T/d$cols" "The full report:"
    colours "demo at $cols columns" "$T/d$cols" yes
    tty "$cols" 40 "$T/f$cols" "$R --full 2>/dev/null"
    fits "demo --full at $cols columns" "$T/f$cols" "$cols"
    contains "demo --full at $cols columns: the key table" "$T/f$cols" "Producer keys"
done
# wedge demo itself on a 40-line terminal: its lines and the brief report
tty 80 40 "$T/demo.tty" "$W demo 2>/dev/null"
lines "wedge demo at 80 columns" "$T/demo.tty" 40
fits "wedge demo at 80 columns" "$T/demo.tty" 80
contains "wedge demo: the verdict" "$T/demo.tty" "outcome C"
contains "wedge demo: where the rest is" "$T/demo.tty" "/report/report.md"
rm -rf "$(sed -n '1s/.* into \(.*\)$/\1/p' "$T/demo.tty")"
# the brief form is the default only when the full one does not fit
tty 200 400 "$T/tall" "$R 2>/dev/null"
contains "a tall terminal: the full report" "$T/tall" "Producer keys"
# narrow terminals: tables cut or one cell a line, never wider
for cols in 20 40; do
    tty "$cols" 40 "$T/n$cols" "$R --full 2>/dev/null"
    fits "demo --full at $cols columns" "$T/n$cols" "$cols"
done

# --- colours -----------------------------------------------------------------
tty 80 40 "$T/nc" "NO_COLOR=1 $R 2>/dev/null"
colours "NO_COLOR=1" "$T/nc" no
contains "NO_COLOR=1: still the terminal's form" "$T/nc" "The full report:"
tty 80 40 "$T/nce" "NO_COLOR= $R 2>/dev/null"
colours "NO_COLOR empty" "$T/nce" yes
tty 80 40 "$T/never" "$R --color=never 2>/dev/null"
colours "--color=never" "$T/never" no
tty 80 40 "$T/pipe" "$R 2>/dev/null | cat"
colours "piped" "$T/pipe" no
if cmp -s "$T/pipe" "$T/demo.md"; then ok; else bad "piped: not the Markdown byte for byte"; fi
$R --brief >"$T/pb" 2>/dev/null
colours "--brief piped" "$T/pb" no
lines "--brief piped" "$T/pb" 40
fits "--brief piped: COLUMNS unset is 80" "$T/pb" 80
COLUMNS=60 $R --brief --color=always >"$T/pa" 2>/dev/null
colours "--brief --color=always piped" "$T/pa" yes
fits "--brief piped at COLUMNS=60" "$T/pa" 60
status "--brief with --full" 64 $R --brief --full
status "--color=sometimes" 64 $R --color=sometimes

# --- other scenarios ---------------------------------------------------------
for sc in missing-thread total-hang investigation lost-set healthy; do
    "$W" simulate "$sc" --seconds 2 -o "$T/$sc" >/dev/null 2>&1
    Q="$W report $T/$sc/ref.jsonl $T/$sc/cand.jsonl"
    $Q --json "$T/$sc.json" >/dev/null 2>&1
    tty 80 40 "$T/$sc.out" "$Q --brief 2>/dev/null"
    lines "$sc: brief" "$T/$sc.out" 40
    fits "$sc: brief" "$T/$sc.out" 80
    names "$sc" "$T/$sc.out" "$T/$sc.json"
    tty 100 40 "$T/$sc.full" "$Q --full 2>/dev/null"
    fits "$sc: full" "$T/$sc.full" 100
done

# --- a trace's names never drive the terminal --------------------------------
# a symbol named with an escape sequence and a wide character
printf '0x82450218 cache\033[2J\342\200\256evil\344\275\240\344\275\240\n' >"$T/evil.sym"
"$W" report "$S/ref.jsonl" "$S/cand.jsonl" --symbols "$T/evil.sym" --full --color=never \
    >"$T/evil" 2>/dev/null
colours "a name with an escape" "$T/evil" no
contains "the escape as '?'" "$T/evil" "cache?[2J"
COLUMNS=50 "$W" report "$S/ref.jsonl" "$S/cand.jsonl" --symbols "$T/evil.sym" --full \
    --color=never >"$T/evil50" 2>/dev/null
fits "wide characters counted as two" "$T/evil50" 50
# cells cut at 20 columns: never inside a character
COLUMNS=20 "$W" report "$S/ref.jsonl" "$S/cand.jsonl" --symbols "$T/evil.sym" --full \
    --color=never >"$T/evil20" 2>/dev/null
for f in evil20 evil50; do
    if iconv -f UTF-8 -t UTF-8 "$T/$f" >/dev/null 2>&1; then ok; else bad "$f: cut inside a character"; fi
done

# --- progress ----------------------------------------------------------------
# a stdin that pauses 1.3 s after 20000 lines: on a terminal, the line
feed="{ head -n 20000 $S/ref.jsonl; sleep 1.3; tail -n +20001 $S/ref.jsonl; }"
tty 80 40 "$T/prog" "$feed | $W report - $S/cand.jsonl >/dev/null"
contains "slow stdin: the progress line" "$T/prog" "wedge: reading <stdin>: "
if grep -q 'reading <stdin>: 0\.0 MB' "$T/prog"; then bad "slow stdin: a 0.0 MB line"; else ok; fi
contains "slow stdin: the line cleared" "$T/prog" "$ESC[K"
# stderr not a terminal: nothing
tty 80 40 "$T/prog2" "$feed | $W report - $S/cand.jsonl >/dev/null 2>$T/prog2.err"
eq "progress: stderr to a file" "$(cat "$T/prog2.err")" ""
# a fast read shows nothing
tty 80 40 "$T/prog3" "cat $S/ref.jsonl | $W report - $S/cand.jsonl >/dev/null"
eq "progress: a fast stdin" "$(cat "$T/prog3")" ""

finish
