#!/bin/sh
# The six input shapes of issue 15 that were superlinear (bench/gen_shapes.py
# writes them at the issue's sizes): `wedge report` on each, its wall and
# CPU seconds and peak RSS.  bench/shapes.expected holds each shape's CPU
# seconds (user + system, steadier than wall time on a shared machine) as
# recorded on the 2-core development machine; the script exits 1 when a
# shape takes more than 10x its recorded figure (figures under 0.2 s count
# as 0.2 s, so noise on tiny figures does not trip it) or runs out of time.
#   sh bench/shapes.sh [BUILD_DIR]   (SHAPES_TIMEOUT: seconds per shape, 120)
set -eu
B=${1:-build}
HERE=$(dirname "$0")
LIMIT=${SHAPES_TIMEOUT:-120}
T=$(mktemp -d /tmp/wedge-shapes-XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 "$HERE/gen_shapes.py" "$T"
names="1 objects-never-created 2 pool-threads 3 one-root-each 4 deadlock-ring 5 boot-streams-disjoint 6 one-producer-many-waiters"
fail=0
echo "== input shapes (wedge report; seconds, peak RSS)"
set -- $names
while [ $# -gt 1 ]; do
    n=$1 name=$2
    shift 2
    mb=$(du -cm "$T/$n.ref" "$T/$n.cand" | awk 'END {print $1}')
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$T/time" timeout "$LIMIT" \
        "$B/wedge" report "$T/$n.ref" "$T/$n.cand" >/dev/null 2>"$T/err" || rc=$?
    if [ "$rc" -eq 124 ]; then
        printf '%d %-26s %4d MB: over %d s wall (timed out)\n' "$n" "$name" "$mb" "$LIMIT"
        fail=1
        continue
    fi
    if [ "$rc" -ne 0 ]; then
        printf '%d %-26s failed (exit %d): %s\n' "$n" "$name" "$rc" "$(head -n 1 "$T/err")"
        fail=1
        continue
    fi
    read -r wall user sys kb <"$T/time"
    secs=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    want=$(awk -v n="$n" '$1 == n {print $2}' "$HERE/shapes.expected" 2>/dev/null || true)
    verdict=
    if [ -n "$want" ]; then
        verdict=$(awk -v s="$secs" -v w="$want" 'BEGIN {
            f = w < 0.2 ? 0.2 : w
            if (s > 10 * f) printf "REGRESSED: over 10x the recorded %s s", w
            else printf "ok (recorded %s s)", w }')
        case $verdict in REGRESSED*) fail=1 ;; esac
    fi
    printf '%d %-26s %4d MB: %6.2f s CPU, %6.2f s wall, %5d MB peak RSS  %s\n' "$n" "$name" \
        "$mb" "$secs" "$wall" $((kb / 1024)) "$verdict"
done
exit $fail
