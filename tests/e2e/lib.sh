# lib.sh - what every end-to-end suite shares; source it after setting
# SUITE (the name in the closing line).  Takes BUILD_DIR as $1.
#   W  the wedge binary     T  a temporary folder (kept when KEEP is set)
set -u
BUILD=${1:-build}
W="$(cd "$(dirname "$0")/../.." && pwd)/$BUILD/wedge"
T=$(mktemp -d "/tmp/wedge-$SUITE-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# eq DESC ACTUAL EXPECTED
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
# status DESC EXPECTED_EXIT CMD...: runs CMD (stdout to $T/out, stderr to
# $T/err) and checks its exit status
status() {
    _st_desc=$1 _st_want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    _st_got=$?
    eq "$_st_desc (exit status)" "$_st_got" "$_st_want"
}
# contains DESC FILE TEXT
contains() { if grep -qF -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi; }
# report_files NAME REF CAND [OPTIONS]: wedge report REF CAND into
# $T/NAME.json and $T/NAME.md (stderr in $T/NAME.err); it must exit 0
report_files() {
    _rf_n=$1 _rf_r=$2 _rf_c=$3
    shift 3
    "$W" report "$_rf_r" "$_rf_c" --json "$T/$_rf_n.json" "$@" >"$T/$_rf_n.md" 2>"$T/$_rf_n.err"
    eq "$_rf_n: exit" $? 0
}
# report_case NAME [OPTIONS]: $T/NAME.ref against $T/NAME.cand, as report_files
report_case() {
    _rc_n=$1
    shift
    report_files "$_rc_n" "$T/$_rc_n.ref" "$T/$_rc_n.cand" "$@"
}
# jcase NAME FILTER: jq -r FILTER on $T/NAME.json
jcase() { jq -r "$2" "$T/$1.json"; }
# the closing line; the exit status says whether anything failed
finish() {
    echo "$SUITE ($BUILD): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
