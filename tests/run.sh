#!/bin/sh
# Runs every test against each build directory given (plain, sanitizers)
# and closes with one line: "N passed, N failed".  Exits 1 on any failure.
set -u
cd "$(dirname "$0")/.."
total_pass=0
total_fail=0
log=$(mktemp /tmp/wedge-tests-XXXXXX)
trap 'rm -f "$log"' EXIT
add() {
    # the last "N passed, N failed" line of a suite's output
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    if [ -z "$line" ]; then
        echo "  $1: no result line: the suite crashed" >&2
        p=0 f=1
    elif [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "  $1: exited $2 with no failed check" >&2
        f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    echo "$1: $p passed, $f failed"
}
for build in "$@"; do
    ./"$build"/unit-tests >"$log" 2>&1
    rc=$?
    grep -E '^FAIL|ERROR|runtime error' "$log" | head -n 40 >&2
    add "unit ($build)" "$rc"
    sh tests/e2e/run.sh "$build" >"$log" 2>&1
    rc=$?
    grep -E '^FAIL|ERROR|runtime error' "$log" | head -n 40 >&2
    add "e2e ($build)" "$rc"
    sh tests/e2e/diag.sh "$build" >"$log" 2>&1
    rc=$?
    grep -E '^FAIL|ERROR|runtime error' "$log" | head -n 40 >&2
    add "diag ($build)" "$rc"
    # every scenario over 20 seeds; 5 under the sanitizers (slower)
    case $build in *asan*) seeds="1 2 3 4 5" ;; *) seeds=$(seq 1 20 | tr '\n' ' ') ;; esac
    sh tests/e2e/sim.sh "$build" "$seeds" >"$log" 2>&1
    rc=$?
    grep -E '^FAIL|ERROR|runtime error' "$log" | head -n 40 >&2
    add "sim ($build)" "$rc"
    ./"$build"/fuzz-replay fuzz/corpus >"$log" 2>&1
    rc=$?
    grep -E 'ERROR|runtime error' "$log" | head -n 40 >&2
    add "fuzz corpus ($build)" "$rc"
    for target in options transport; do
        ./"$build"/fuzz-replay-$target fuzz/corpus-$target >"$log" 2>&1
        rc=$?
        grep -E 'ERROR|runtime error|fuzz-' "$log" | head -n 40 >&2
        add "fuzz $target corpus ($build)" "$rc"
    done
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
