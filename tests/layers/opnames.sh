#!/bin/sh
# Per-op facts live in the op table (src/model/ops.c, HACKING.md "Adding an
# op"): the readers, the analysis and the renderers never compare an op's
# name with a kernel or host call's name.  Checks the tree, then that the
# check finds such a comparison planted in a copy.
#   sh tests/layers/opnames.sh [BUILD]   (BUILD unused: the check reads sources)
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/wedge-opnames-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# scan ROOT: prints each offending line; a call's name as a string literal
# (Ke*, Nt*, Ex*, xeKe*, XEvent::*, Rtl*, Xam*, pthread_*, Win32 events and
# condition variables), or a str/memcmp of wdg_ops_name() with a literal
scan() {
    dirs="$1/src/analysis $1/src/formats $1/src/output"
    grep -rnE '"(Ke|Kf|Nt|Ex|xeKe|XEvent::|Rtl|Xam|pthread_|SetEvent|PulseEvent|WakeAll|WakeCond|SleepCond)[A-Za-z_:]*"' \
        $dirs --include='*.c' --include='*.h'
    grep -rnE '(strn?cmp|memcmp)\(.*wdg_ops_name\(' $dirs --include='*.c' --include='*.h' | grep '"'
}

scan . >"$T/out"
[ ! -s "$T/out" ] && ok || bad "op names compared outside the op table: $(cat "$T/out")"
# the check sees something: the sources are there
[ "$(ls src/analysis/*.c src/formats/*.c | wc -l)" -gt 10 ] && ok || bad "no sources found"

# planted: a name literal in a reader, a compare in the analysis
mkdir -p "$T/root"
cp -r src "$T/root/"
printf 'static int planted(const char *n) { return same(n, 12, "KeResetEvent"); }\n' \
    >>"$T/root/src/formats/xenia.c"
printf 'int planted2(const wdg_ops *o, uint32_t op) { return strcmp(wdg_ops_name(o, op), "MyOp") == 0; }\n' \
    >>"$T/root/src/analysis/keys.c"
scan "$T/root" >"$T/out2"
grep -q 'src/formats/xenia.c:.*"KeResetEvent"' "$T/out2" && ok || bad "a name literal passed: $(cat "$T/out2")"
grep -q 'src/analysis/keys.c:.*"MyOp"' "$T/out2" && ok || bad "a name compare passed: $(cat "$T/out2")"

echo "opnames: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
