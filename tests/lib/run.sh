#!/bin/sh
# The embeddable library (docs/wedge.md, "The library"): the headers from
# C++, a program built against the installed library through pkg-config,
# the shared library's exports, and the Makefile's promises (plain make
# installs nothing; CFLAGS and LDFLAGS are appended).  Plain builds only:
# the sanitizer build's objects need the sanitizer runtime to link.
#   sh tests/lib/run.sh BUILD_DIR
SUITE=lib
. "$(dirname "$0")/../e2e/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
# the tests' own make runs are not part of the make that started them, nor
# its WERROR=1 (CI), which make puts in the environment
unset MAKEFLAGS MFLAGS MAKELEVEL WERROR
CC=${CC:-cc}
VERSION=$("$W" --version | sed -n 's/^wedge //p')
R=tests/e2e/data/ref.jsonl
C=tests/e2e/data/cand.jsonl
"$W" report "$R" "$C" --json "$T/want.json" >/dev/null 2>&1
want_outcome=$(jq -r .outcome "$T/want.json")

# --- C++: wedge/wedge.h compiles warning-free and links (extern "C")
if ! command -v g++ >/dev/null 2>&1; then
    echo "lib: g++ is missing: installing it (scripts/install-deps.sh g++)"
    sh scripts/install-deps.sh g++ || bad "g++: scripts/install-deps.sh failed"
fi
if command -v g++ >/dev/null 2>&1; then
    g++ -std=c++11 -Wall -Wextra -Wpedantic -Iinclude tests/lib/cxx.cpp "$BUILD/libwedge.a" \
        $(pkg-config --libs zlib libzstd) -o "$T/cxx" 2>"$T/cxx.err"
    eq "c++: compiles and links" $? 0
    eq "c++: no warnings" "$(cat "$T/cxx.err")" ""
    "$T/cxx" >"$T/cxx.out" 2>&1
    eq "c++: its checks pass" $? 0
    contains "c++: its checks ran" "$T/cxx.out" " 0 failed"
else
    bad "c++: g++ is not installed and could not be installed"
fi

# --- the shared library exports the WDG_API functions and nothing else
so="$BUILD/libwedge.so"
nm -D --defined-only "$so" | awk '{print $3}' | sort -u >"$T/exported"
eq "exports: only wdg_ names" "$(grep -v '^wdg_' "$T/exported" | tr '\n' ' ')" ""
grep -ho '^WDG_API [^(]*(' include/wedge/*.h | sed -E 's/.*[ *](wdg_[a-z0-9_]+)\($/\1/' |
    sort -u >"$T/declared"
eq "exports: every WDG_API function" "$(comm -23 "$T/declared" "$T/exported" | tr '\n' ' ')" ""
eq "exports: nothing beyond them" "$(comm -13 "$T/declared" "$T/exported" | tr '\n' ' ')" ""
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
eq "soname" "$soname" "libwedge.so.${VERSION%%.*}"

# --- make install DESTDIR PREFIX, then a program built with pkg-config
make --no-print-directory BUILD="$BUILD" install DESTDIR="$T/root" PREFIX=/usr \
    >"$T/install.log" 2>&1
eq "install: exit" $? 0
for f in bin/wedge lib/libwedge.a "lib/libwedge.so.$VERSION" lib/libwedge.so.0 \
         lib/libwedge.so lib/pkgconfig/wedge.pc; do
    [ -e "$T/root/usr/$f" ] && ok || bad "install: no $f"
done
eq "install: every public header" "$(ls "$T/root/usr/include/wedge" | tr '\n' ' ')" \
    "$(ls include/wedge | tr '\n' ' ')"
eq "install: the installed wedge runs" "$("$T/root/usr/bin/wedge" --version)" "wedge $VERSION"
contains "wedge.pc: Requires.private" "$T/root/usr/lib/pkgconfig/wedge.pc" \
    "Requires.private: zlib libzstd"
export PKG_CONFIG_PATH="$T/root/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$T/root"
eq "pkg-config: version" "$(pkg-config --modversion wedge)" "$VERSION"
flags=$(pkg-config --cflags --libs wedge | sed "s/ *$//")
eq "pkg-config: flags" "$flags" "-I$T/root/usr/include -L$T/root/usr/lib -lwedge"
# shared: runs with the installed library on the loader's path
$CC -std=c11 -Wall -Wextra -Wpedantic tests/lib/consumer.c $flags -o "$T/consumer" 2>"$T/cc.err"
eq "consumer (shared): builds warning-free" "$?:$(cat "$T/cc.err")" "0:"
LD_LIBRARY_PATH="$T/root/usr/lib" "$T/consumer" "$R" "$C" >"$T/shared.out" 2>&1
eq "consumer (shared): exit" $? 0
contains "consumer (shared): version" "$T/shared.out" "version $VERSION (headers $VERSION)"
contains "consumer (shared): events" "$T/shared.out" "events 10 6"
contains "consumer (shared): the report's outcome" "$T/shared.out" "outcome $want_outcome"
readelf -d "$T/consumer" | grep -q "NEEDED.*libwedge.so.0" && ok ||
    bad "consumer (shared): not linked against libwedge.so.0"
LD_LIBRARY_PATH="$T/root/usr/lib" "$T/consumer" "$R" "$T/nope.jsonl" >"$T/nope.out" 2>&1
eq "consumer: a missing trace exits 66" $? 66
contains "consumer: the error names the file" "$T/nope.out" "$T/nope.jsonl"
# static: without the shared library, --static adds zlib and libzstd
rm -f "$T/root/usr/lib"/libwedge.so*
$CC -std=c11 tests/lib/consumer.c $(pkg-config --cflags --static --libs wedge) \
    -o "$T/consumer-static" 2>"$T/cc.err"
eq "consumer (static): builds" "$?:$(cat "$T/cc.err")" "0:"
"$T/consumer-static" "$R" "$C" >"$T/static.out" 2>&1
eq "consumer (static): exit" $? 0
eq "consumer (static): same output" "$(cat "$T/static.out")" "$(cat "$T/shared.out")"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# --- the Makefile: plain make never installs; demo and test do; CFLAGS,
# CPPFLAGS and LDFLAGS are appended (make -n on an empty build folder)
make -n -B BUILD="$T/nb" all >"$T/all.n" 2>&1
grep -q install-deps "$T/all.n" && bad "make: plain make runs scripts/install-deps.sh" || ok
grep -q 'pkg-config --exists' "$T/all.n" && ok || bad "make: plain make checks no dependency"
make -n BUILD="$T/nb" demo >"$T/demo.n" 2>&1
contains "make demo: installs what is missing" "$T/demo.n" "scripts/install-deps.sh"
make -n BUILD="$T/nb" test-plain >"$T/test.n" 2>&1
contains "make test: installs what is missing" "$T/test.n" "scripts/install-deps.sh"
make -n -B BUILD="$T/nb" CFLAGS=-DWDG_MARK_C CPPFLAGS=-DWDG_MARK_P LDFLAGS=-Wl,-O1 all \
    >"$T/flags.n" 2>&1
grep 'src/base/buf.c' "$T/flags.n" | grep -q -- '-fvisibility=hidden.*' && ok ||
    bad "make: the library objects are not compiled with hidden visibility"
grep 'src/cli/main.c' "$T/flags.n" | grep -q -- '-DWDG_MARK_P -DWDG_MARK_C' && ok ||
    bad "make: CPPFLAGS and CFLAGS not appended"
grep -- '-o .*/wedge ' "$T/flags.n" | grep -q -- '-Wl,-O1' && ok || bad "make: LDFLAGS not used to link wedge"
grep -- '-shared' "$T/flags.n" | grep -q -- '-Wl,-O1' && ok || bad "make: LDFLAGS not used to link libwedge.so"
# WERROR=1 (CI) makes warnings errors, a plain build does not; test-long
# (and its old name sweep) runs the sweep; coverage builds with gcov
grep 'src/base/buf.c' "$T/flags.n" | grep -q -- '-Werror' && bad "make: -Werror without WERROR=1" || ok
make -n -B BUILD="$T/nb" WERROR=1 all >"$T/werror.n" 2>&1
grep 'src/cli/main.c' "$T/werror.n" | grep -q -- '-Werror' && ok || bad "make WERROR=1: no -Werror"
for t in test-long sweep; do
    make -n BUILD="$T/nb" $t >"$T/$t.n" 2>&1
    contains "make $t: the sweep" "$T/$t.n" "WEDGE_SWEEP=1 sh tests/run.sh build build-asan"
done
make -n BUILD="$T/nb" coverage >"$T/cov.n" 2>&1
contains "make coverage: a --coverage build" "$T/cov.n" "--coverage"
contains "make coverage: the report" "$T/cov.n" "scripts/coverage.sh build-cov"

# --- make coverage's summary (scripts/coverage.sh) over a stand-in gcov:
# a header line reached from one object counts once, as reached
mkdir -p "$T/fakegcov"
for l in base input model formats analysis output sim writer cli; do mkdir -p "$T/cb/obj/src/$l"; done
cat >"$T/fakegcov/gcov" <<'FAKE'
#!/bin/sh
ln() { printf '{"line_number": %s, "count": %s, "function_name": "%s"}' "$1" "$2" "$3"; }
case $4 in
*/model)
    echo "{\"files\": [{\"file\": \"src/model/a.c\", \"lines\": [$(ln 1 5 f), $(ln 2 5 f), $(ln 3 0 f), $(ln 4 0 f)]},"
    echo " {\"file\": \"src/model/h.h\", \"lines\": [$(ln 10 0 inl)]}, {\"file\": \"/usr/include/x.h\", \"lines\": [$(ln 1 0 sys)]}]}"
    echo "{\"files\": [{\"file\": \"src/model/h.h\", \"lines\": [$(ln 10 3 inl)]}]}" ;;
*/cli) echo "{\"files\": [{\"file\": \"src/cli/m.c\", \"lines\": [$(ln 7 0 g), $(ln 8 0 g)]}]}" ;;
*) echo '{"files": []}' ;;
esac
FAKE
chmod +x "$T/fakegcov/gcov"
GCOV="$T/fakegcov/gcov" sh scripts/coverage.sh "$T/cb" >"$T/cov.out" 2>&1
eq "coverage: exit" $? 0
contains "coverage: a layer" "$T/cov.out" "model       60.0%       3 of      5 lines"
contains "coverage: an empty layer" "$T/cov.out" "input        0.0%       0 of      0 lines"
contains "coverage: a layer never run" "$T/cov.out" "cli          0.0%       0 of      2 lines"
contains "coverage: the total" "$T/cov.out" "total       42.8%       3 of      7 lines"
eq "coverage: least-covered functions first" "$(sed -n '/least-covered/,$p' "$T/cov.out" | sed 1d)" \
"    0.0%     0 of    2 lines  g (src/cli/m.c:7)
   50.0%     2 of    4 lines  f (src/model/a.c:1)
  100.0%     1 of    1 lines  inl (src/model/h.h:10)"
finish
