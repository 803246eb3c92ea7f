#!/bin/sh
# 64-bit addresses and module sites ("libx.so+0x1c4ce") through a whole
# report, symbols per module (--symbols MODULE=FILE) and from an ELF file.
#   sh tests/e2e/sites.sh BUILD_DIR
SUITE=sites
. "$(dirname "$0")/lib.sh"
j() { jcase "$@"; }
keys() { j "$1" '[.keys[] | "\(.lr) \(.status) \(.ref) \(.cand) \(.function)"] | join("; ")'; }

# --- keys pair by module+offset although absolute addresses differ -------
# A native run (ref) and the same program under an emulator (cand): the
# objects' absolute addresses differ (0x7FFD12340000 against 0x4000801000),
# the call sites are module+offset in both.  ref releases the semaphore 100
# times at libx.so+0x1c4ce and 50 times at libx.so+0x200; cand only the
# first 100, then main (1) waits on it for good.  So the key at +0x1C4CE
# matches (100 and 100) and +0x200 is MISSING; a cand site at the absolute
# address 0x1c4ce is another key (a module site never equals an absolute
# address).
{
    echo '{"wedge_trace":1,"engine":"native","observes":["release","wait"]}'
    seq 1 100 | sed 's/.*/{"t":&,"tid":2,"op":"KeReleaseSemaphore","lr":"libx.so+0x1c4ce","obj":"0x7ffd12340000"}/'
    seq 101 150 | sed 's/.*/{"t":&,"tid":2,"op":"KeReleaseSemaphore","lr":"libx.so+0x200","obj":"0x7ffd12340000"}/'
    echo '{"t":151,"tid":1,"op":"KeWaitForSingleObject","lr":"prog+0x1000","obj":"0x7ffd12340000"}'
    echo '{"t":152,"tid":1,"op":"KeReleaseSemaphore","lr":"prog+0x1004","obj":"0x7ffd12340000"}'
    echo '{"t":400,"tid":3,"op":"KeDelayExecutionThread","lr":"0x1c4ce"}'
} >"$T/mod.ref"
{
    echo '{"wedge_trace":1,"engine":"qemu","observes":["release","wait"]}'
    seq 1 100 | sed 's/.*/{"t":&,"tid":2,"op":"KeReleaseSemaphore","lr":"libx.so+0x1C4CE","obj":"0x4000801000"}/'
    echo '{"t":151,"tid":1,"op":"KeWaitForSingleObject","lr":"prog+0x1000","obj":"0x4000801000"}'
    echo '{"t":300,"tid":3,"op":"KeReleaseSemaphore","lr":"0x1c4ce","obj":"0x10"}'
    echo '{"t":400,"tid":3,"op":"KeDelayExecutionThread","lr":"0x1c4ce"}'
} >"$T/mod.cand"
report_files mod "$T/mod.ref" "$T/mod.cand" -o "$T/mod.out"
eq "module sites: keys" "$(keys mod)" \
    "libx.so+0x1C4CE MATCH 100 100 null; libx.so+0x200 MISSING 50 0 null; prog+0x1004 MISSING 1 0 null; 0x0001C4CE EXTRA 0 1 null"
eq "module sites: no malformed line" "$(j mod '"\(.ref.malformed) \(.cand.malformed)"')" "0 0"
eq "module sites: wedged thread's wait" "$(j mod '[.wedged[] | "\(.tid) \(.lr) \(.objs | join(","))"] | join(";")')" \
    "1 prog+0x1000 0x4000801000"
contains "module sites: keys.csv" "$T/mod.out/keys.csv" "release,libx.so+0x200,KeReleaseSemaphore,,50,0,50,0,MISSING"
contains "module sites: report.md key table" "$T/mod.md" "| MISSING | release | libx.so+0x200 |"
contains "module sites: waitgraph" "$T/mod.out/waitgraph.dot" "waits at prog+0x1000"

# --- symbols per module ---------------------------------------------------
# libx.so's functions: fa at 0x1C400 (0x100 bytes), fb at 0x200.  Given as
# libx.so=FILE they name libx.so's sites only: +0x1C4CE is fa+0xCE, +0x200
# is fb; the absolute 0x1C4CE is outside every function (its file names
# a module), and prog's sites have no symbols.  The same file given with
# no module names the absolute address instead.
printf '1C400 fa 100\n200 fb\n' >"$T/libx.syms"
report_files sym "$T/mod.ref" "$T/mod.cand" --symbols "libx.so=$T/libx.syms"
eq "symbols per module: keys" "$(keys sym)" \
    "libx.so+0x1C4CE MATCH 100 100 fa+0xCE; libx.so+0x200 MISSING 50 0 fb; prog+0x1004 MISSING 1 0 null; 0x0001C4CE EXTRA 0 1 null"
report_files abs "$T/mod.ref" "$T/mod.cand" --symbols "$T/libx.syms"
eq "symbols without a module: absolute addresses only" "$(keys abs)" \
    "libx.so+0x1C4CE MATCH 100 100 null; libx.so+0x200 MISSING 50 0 null; prog+0x1004 MISSING 1 0 null; 0x0001C4CE EXTRA 0 1 fa+0xCE"
status "a module symbol file that cannot be read" 66 "$W" report "$T/mod.ref" "$T/mod.cand" \
    --symbols "libx.so=$T/nothing"
contains "a module symbol file that cannot be read: named" "$T/err" "$T/nothing"

# --- symbols from an ELF file ---------------------------------------------
# A shared object built here: its .symtab and .dynsym give fa and fb with
# sizes, at offsets in the module (nm tells where, to write the trace).
CC=${CC:-cc}
printf 'int fa(int x) { return x * 3 + 1; }\nint fb(int x) { return fa(x) - 2; }\n' >"$T/x.c"
if "$CC" -shared -fPIC -O0 -o "$T/libx.so" "$T/x.c" 2>"$T/cc.err" && command -v nm >/dev/null; then
    fa=$(nm "$T/libx.so" | awk '$3 == "fa" {print $1}')
    fb=$(nm "$T/libx.so" | awk '$3 == "fb" {print $1}')
    fa4=$(printf '%X' $((0x$fa + 4)))
    {
        echo '{"wedge_trace":1,"engine":"a","observes":["release","wait"]}'
        echo "{\"t\":1,\"tid\":1,\"op\":\"KeReleaseSemaphore\",\"lr\":\"libx.so+0x$fa4\",\"obj\":\"0x10\"}"
        echo "{\"t\":2,\"tid\":1,\"op\":\"KeReleaseSemaphore\",\"lr\":\"libx.so+0x$fb\",\"obj\":\"0x10\"}"
    } >"$T/elf.ref"
    report_files elf "$T/elf.ref" "$T/elf.ref" --symbols "$T/libx.so"
    eq "ELF symbols, module from the file name" "$(j elf '[.keys[] | .function // "null"] | join(" ")')" "fa+0x4 fb"
    report_files elfm "$T/elf.ref" "$T/elf.ref" --symbols "libother.so=$T/libx.so"
    eq "ELF symbols of another module name none of libx.so" "$(j elfm '[.keys[] | .function // "null"] | join(" ")')" "null null"
    # stripped: .dynsym alone still names exported functions
    if command -v strip >/dev/null && strip -o "$T/libs.so" "$T/libx.so" 2>/dev/null; then
        report_files elfs "$T/elf.ref" "$T/elf.ref" --symbols "libx.so=$T/libs.so"
        eq "ELF symbols from .dynsym" "$(j elfs '[.keys[] | .function // "null"] | join(" ")')" "fa+0x4 fb"
    fi
    # a truncated ELF file: refused by name, never read out of bounds
    head -c 200 "$T/libx.so" >"$T/cut.so"
    status "a cut ELF file" 66 "$W" report "$T/elf.ref" "$T/elf.ref" --symbols "$T/cut.so"
    contains "a cut ELF file: named" "$T/err" "cut.so"
else
    echo "sites: no C compiler or nm: the ELF cases were not run" >&2
    bad "ELF: cc -shared or nm unavailable ($(cat "$T/cc.err"))"
fi

echo "$SUITE ($BUILD): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
