#!/bin/sh
# The layer check (scripts/check-layers.sh): the tree passes it, and it
# fails, naming the file and the name, on an upward call and on an upward
# include planted in a copy of the tree.
#   sh tests/layers/run.sh BUILD
set -u
B=${1:-build}
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
T=$(mktemp -d /tmp/wedge-layers-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

if ! command -v nm >/dev/null 2>&1; then
    bad "nm (binutils) is missing: the layer check cannot run"
    echo "$pass passed, $fail failed"
    exit 1
fi

# the tree as it is
if sh scripts/check-layers.sh "$B" >"$T/out" 2>&1; then ok; else bad "the tree breaks its layers: $(cat "$T/out")"; fi
grep -q '^check-layers: 0 breaks' "$T/out" && ok || bad "no summary line: $(tail -n 1 "$T/out")"
# it looked at something: hundreds of calls and includes
n=$(sed -n 's/^check-layers: 0 breaks (\([0-9]*\) calls.*/\1/p' "$T/out")
[ "${n:-0}" -gt 100 ] && ok || bad "only ${n:-0} calls checked"

# a copy of the sources and objects to plant breaks in
mkdir -p "$T/root" "$T/b"
cp -r src include "$T/root/"
cp -r "$B/obj" "$T/b/"

# an upward call: a model object that calls the reader (formats)
cat >"$T/up.c" <<'C'
#include "wedge/load.h"
int wdg_layers_probe(wdg_trace **t, wdg_ops *o) { return wdg_trace_read(t, "x", o, 0, 0); }
C
${CC:-cc} -Iinclude -c "$T/up.c" -o "$T/b/obj/src/model/upcall.o"
cp "$T/up.c" "$T/root/src/model/upcall.c"
sed -i '/wedge\/load.h/d' "$T/root/src/model/upcall.c"   # only the call, not the include
if sh scripts/check-layers.sh "$T/b" "$T/root" >"$T/out2" 2>&1; then
    bad "an upward call passed"
else
    ok
fi
grep -q 'calls: src/model/upcall.c (model) uses wdg_trace_read from formats' "$T/out2" && ok ||
    bad "the upward call is not named: $(cat "$T/out2")"
grep -q '^check-layers: 1 breaks' "$T/out2" && ok || bad "expected exactly 1 break: $(tail -n 1 "$T/out2")"

# an upward include: base including an analysis header; a sideways one:
# analysis including the simulator
rm -f "$T/b/obj/src/model/upcall.o" "$T/root/src/model/upcall.c"
printf '#include "wedge/report.h"\n' >>"$T/root/src/base/buf.c"
printf '#include "../sim/sim.h"\n' >>"$T/root/src/analysis/keys.c"
if sh scripts/check-layers.sh "$T/b" "$T/root" >"$T/out3" 2>&1; then bad "upward includes passed"; else ok; fi
grep -q 'includes: src/base/buf.c (base) includes wedge/report.h (analysis)' "$T/out3" && ok ||
    bad "the base include is not named: $(cat "$T/out3")"
grep -q 'includes: src/analysis/keys.c (analysis) includes sim/ (sim)' "$T/out3" && ok ||
    bad "the sim include is not named: $(cat "$T/out3")"
# a public header of a lower layer including a higher one
printf '#include "wedge/load.h"\n' >>"$T/root/include/wedge/trace.h"
sh scripts/check-layers.sh "$T/b" "$T/root" >"$T/out4" 2>&1
grep -q 'includes: include/wedge/trace.h (model) includes wedge/load.h (formats)' "$T/out4" && ok ||
    bad "the public header include is not named: $(cat "$T/out4")"

# an object whose source is gone is not counted (a stale build)
cp "$T/b/obj/src/formats/reader.o" "$T/b/obj/src/model/gone.o"
git -C "$ROOT" ls-files --error-unmatch src/model/gone.c >/dev/null 2>&1 && bad "gone.c exists"
sh scripts/check-layers.sh "$T/b" >"$T/out5" 2>&1 && ok || bad "a stale object counted: $(cat "$T/out5")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
