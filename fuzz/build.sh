#!/bin/sh
# make fuzz: builds the libFuzzer targets with clang and runs each for
# FUZZ_SECONDS (default 60) on its corpus, adding what it finds to
# fuzz/corpus-out[-NAME].  FUZZ_TARGETS picks targets (default: all of
# reader, options, transport).  Needs clang and its fuzzer runtime
# (libclang-rt-dev).  Corpora: fuzz/corpus (reader), fuzz/corpus-NAME.
set -eu
cd "$(dirname "$0")/.."
S=${FUZZ_SECONDS:-60}
B=build-fuzz
mkdir -p $B
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude $(pkg-config --cflags zlib libzstd)"
for t in ${FUZZ_TARGETS:-reader options transport}; do
    case $t in
    reader) corpus=fuzz/corpus out=fuzz/corpus-out ;;
    *) corpus=fuzz/corpus-$t out=fuzz/corpus-out-$t ;;
    esac
    mkdir -p "$out"
    # shellcheck disable=SC2046,SC2086
    clang $CFLAGS -o $B/fuzz-$t fuzz/fuzz_$t.c \
        $(ls src/base/*.c src/input/*.c src/model/*.c src/formats/*.c src/analysis/*.c src/output/*.c) \
        $(pkg-config --libs zlib libzstd)
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    # shellcheck disable=SC2086
    $B/fuzz-$t -max_total_time="$S" -max_len=4096 -timeout=10 $dict "$out" "$corpus"
done
