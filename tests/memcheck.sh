#!/bin/sh
# make check-memory: the unit tests and a few wedge runs under valgrind's
# memcheck (leaks, uninitialised reads, bad frees), which sees what the
# sanitizers miss in code built without them.  sh tests/memcheck.sh BUILD
set -u
cd "$(dirname "$0")/.." || exit 1
B=${1:-build-memcheck}
T=$(mktemp -d /tmp/wedge-memcheck-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible"
# run DESC CMD...: passes when valgrind reports nothing and the command
# itself succeeds; its stdin is $IN
IN=/dev/null
run() {
    d=$1
    shift
    $VG "$@" <"$IN" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $d (exit $rc)" >&2
        grep -vE '^(FAIL|unit:)' "$T/err" | head -n 40 >&2
        grep -E '^FAIL' "$T/err" | head -n 10 >&2
    fi
}
D=tests/e2e/data
run "unit tests" ./"$B"/unit-tests
run "report" ./"$B"/wedge report "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt" \
    -o "$T/out-dir" --dot "$T/w.dot"
run "report on a xenia log" ./"$B"/wedge report "$D/ref-stock.log" "$D/cand.jsonl" \
    --json "$T/r.json"
gzip -c "$D/ref-kv.log" >"$T/ref-kv.log.gz"
IN="$T/ref-kv.log.gz"
run "stats of gzip on stdin" ./"$B"/wedge stats - --json
IN=/dev/null
run "diff" ./"$B"/wedge diff "$D/ref.jsonl" "$D/cand.jsonl" --tid 6=1
echo "memcheck ($B): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
