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
# the closing line; the exit status says whether anything failed
finish() {
    echo "$SUITE ($BUILD): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
