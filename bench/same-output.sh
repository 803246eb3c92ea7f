#!/bin/sh
# Runs `wedge report -o` over every simulator scenario (a few seeds and
# reference formats) and the tiny input shapes, into OUT; with a second
# directory BASE, compares every file byte for byte against it.  Used to
# check that a speed-up changes no result:
#   sh bench/same-output.sh build /tmp/before             (unfixed build)
#   sh bench/same-output.sh build /tmp/after /tmp/before  (fixed build)
# timeline.json is left out of the comparison only if it is absent in both.
# SAME_COMPRESS=zst or gz reports compressed copies of the traces instead
# (with WEDGE_CHUNK_MIN=65536 their lines are parsed in many segments).
set -eu
B=$1
OUT=$2
BASE=${3:-}
HERE=$(dirname "$0")
mkdir -p "$OUT"
SIM=${SAME_SIM_DIR:-/tmp/wedge-same-sim}
mkdir -p "$SIM"
# zcopy FILE: its compressed copy (made once), named by SAME_COMPRESS
zcopy() {
    z=$1.$SAME_COMPRESS
    if [ ! -f "$z" ]; then
        if [ "$SAME_COMPRESS" = gz ]; then gzip -c "$1" >"$z"; else zstd -q -c "$1" >"$z"; fi
    fi
    echo "$z"
}
for sc in $("$B/wedge" simulate --list | awk '/^[a-z]/ {print $1}'); do
    for seed in 1 2 3; do
        for fmt in jsonl xenia-kv xenia-log; do
            d="$SIM/$sc-$seed-$fmt"
            [ -f "$d/cand.jsonl" ] ||
                "$B/wedge" simulate "$sc" -o "$d" --seed "$seed" --ref-format "$fmt" -q
            ref=$(ls "$d"/ref.* | grep -v '\.gz$\|\.zst$' | head -n 1)
            cand=$d/cand.jsonl
            if [ -n "${SAME_COMPRESS:-}" ]; then
                ref=$(zcopy "$ref")
                cand=$(zcopy "$cand")
            fi
            "$B/wedge" report "$ref" "$cand" -o "$OUT/$sc-$seed-$fmt" 2>/dev/null >&2
        done
    done
done
[ -d "$SIM/shapes" ] || python3 "$HERE/gen_shapes.py" "$SIM/shapes" 40
[ -d "$SIM/shapes10" ] || python3 "$HERE/gen_shapes.py" "$SIM/shapes10" 10
for n in 1 2 3 4 5 6; do
    "$B/wedge" report "$SIM/shapes/$n.ref" "$SIM/shapes/$n.cand" -o "$OUT/shape$n" 2>/dev/null >&2
done
for n in 3 4 5 6; do
    "$B/wedge" report "$SIM/shapes10/$n.ref" "$SIM/shapes10/$n.cand" -o "$OUT/shape10-$n" \
        2>/dev/null >&2
done
[ -n "$BASE" ] || exit 0
if diff -r "$BASE" "$OUT" >/dev/null; then
    echo "same output: $(find "$OUT" -type f | wc -l) files identical"
else
    diff -rq "$BASE" "$OUT" | head -20
    exit 1
fi
