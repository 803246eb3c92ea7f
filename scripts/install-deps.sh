#!/bin/sh
# Installs the Debian packages wedge needs when they are missing, so that
# `make demo` and `make test` work on a fresh machine; tools named as
# arguments are installed too (`make check-memory` asks for valgrind).
# Needs root (or sudo) only when something is missing.
set -eu
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
    pkg-config --exists zlib || missing="$missing zlib1g-dev"
    pkg-config --exists libzstd || missing="$missing libzstd-dev"
else
    missing="$missing zlib1g-dev libzstd-dev"
fi
# used by the tests: jq reads report.json, gzip and zstd compress fixtures
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v gzip >/dev/null 2>&1 || missing="$missing gzip"
command -v zstd >/dev/null 2>&1 || missing="$missing zstd"
# graphviz's dot draws waitgraph.svg under -o, and the tests check that it
# reads the wait-for graph (tests/graph/)
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
# used by the tests: wedge record runs real programs natively and under
# qemu-user (tests/e2e/record.sh)
command -v qemu-x86_64 >/dev/null 2>&1 || missing="$missing qemu-user"
command -v pigz >/dev/null 2>&1 || missing="$missing pigz"
command -v xz >/dev/null 2>&1 || missing="$missing xz-utils"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"  # make bench: bench/keytable.py
# used by the tests: headless chromium renders report.html (tests/html/)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
    missing="$missing chromium"
# tools one make target needs, named as arguments (make check-memory:
# valgrind); each is a Debian package of the same name but gcov (make
# coverage), which comes with gcc
for tool in "$@"; do
    case $tool in gcov) pkg=gcc ;; *) pkg=$tool ;; esac
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $pkg"
done
# used by the tests: a locale whose decimal point is ',' (tests/e2e/locale.sh)
locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8' || need_locale=1
[ -z "$missing" ] && [ -z "${need_locale:-}" ] && exit 0
[ -n "$missing" ] && echo "wedge: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "wedge: need root to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
    $SUDO apt-get update -qq >&2
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
if [ -n "${need_locale:-}" ]; then
    echo "wedge: generating the de_DE.UTF-8 locale" >&2
    if ! command -v localedef >/dev/null 2>&1; then
        [ -n "$missing" ] || $SUDO apt-get update -qq >&2
        $SUDO apt-get install -y -qq --no-install-recommends locales >&2
    fi
    $SUDO localedef -i de_DE -f UTF-8 de_DE.UTF-8 >&2
fi
