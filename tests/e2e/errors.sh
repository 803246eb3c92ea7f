#!/bin/sh
# Error paths the other suites leave unreached: a read that fails, an
# output path naming a directory, corrupt compressed symbol files and
# traces.  Each checks the exit status
# and the one-line message naming the file.
#   sh tests/e2e/errors.sh BUILD_DIR
SUITE=errors
. "$(dirname "$0")/lib.sh"
printf '{"tid":1,"op":"KeSetEvent"}\n' >"$T/a.jsonl"

# a regular file whose read() fails (Linux: /proc/self/mem at offset 0 is
# unmapped, EIO): an input error, not an empty trace
status "a file whose read fails" 66 "$W" stats /proc/self/mem
contains "the read error named" "$T/err" "wedge: /proc/self/mem: read error: Input/output error"

# an output path ending in '/' names a directory, not a file
status "--json DIR/" 73 "$W" report "$T/a.jsonl" "$T/a.jsonl" --json "$T/"
contains "--json DIR/ named" "$T/err" "wedge: $T/: cannot write: Is a directory"

# corrupt compressed input: 16 bytes of 0xFF written over the middle
spoil() { printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
# a plain symbol file and a TOML one, gzip'd and spoiled: refused whole,
# whichever parser was reading it (the TOML one gathers the text first)
seq 0 2999 | awk '{ printf "%08X fn_%d\n", 2181038080 + $1 * 16, $1 }' | gzip -c >"$T/sym.gz"
spoil "$T/sym.gz" 8000
status "a corrupt gzip'd symbol file" 66 "$W" report "$T/a.jsonl" "$T/a.jsonl" --symbols "$T/sym.gz"
contains "its error named" "$T/err" "wedge: $T/sym.gz: corrupt gzip stream"
{
    printf '[main]\nfile_path = "default.xex"\nfunctions = [\n'
    seq 0 2999 | awk '{ printf "  { address = 0x%08X, size = 0x10 },\n", 2181038080 + $1 * 16 }'
    printf ']\n'
} | gzip -c >"$T/sym.toml.gz"
spoil "$T/sym.toml.gz" 3000
status "a corrupt gzip'd TOML symbol file" 66 "$W" report "$T/a.jsonl" "$T/a.jsonl" \
    --symbols "$T/sym.toml.gz"
contains "its error named" "$T/err" "wedge: $T/sym.toml.gz: corrupt gzip stream"
# a zstd trace whose frame checksum fails
seq 0 19999 | awk '{ printf "{\"t\":%d,\"tid\":1,\"op\":\"KeSetEvent\"}\n", $1 }' | zstd -q -c >"$T/t.zst"
spoil "$T/t.zst" 2000
status "a corrupt zstd trace" 66 "$W" stats "$T/t.zst"
contains "its error named" "$T/err" "wedge: $T/t.zst: corrupt zstd stream"

finish
