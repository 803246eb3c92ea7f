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
# used by the tests: graphviz's dot must read the wait-for graph
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
# tools one make target needs, named as arguments (make check-memory:
# valgrind); each is a Debian package of the same name
for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] && exit 0
echo "wedge: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "wedge: need root to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
