#!/bin/sh
# make fuzz: builds the libFuzzer target with clang and runs it for
# FUZZ_SECONDS (default 60) on fuzz/corpus, adding what it finds to
# fuzz/corpus-out.  Needs clang and its fuzzer runtime (libclang-rt-dev).
set -eu
cd "$(dirname "$0")/.."
S=${FUZZ_SECONDS:-60}
B=build-fuzz
mkdir -p $B fuzz/corpus-out
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude $(pkg-config --cflags zlib libzstd)"
# shellcheck disable=SC2046
clang $CFLAGS -o $B/fuzz-reader fuzz/fuzz_reader.c \
    $(ls src/input/*.c src/formats/*.c src/model/*.c src/analysis/*.c src/output/*.c) \
    $(pkg-config --libs zlib libzstd)
$B/fuzz-reader -max_total_time="$S" -max_len=4096 -timeout=10 fuzz/corpus-out fuzz/corpus
