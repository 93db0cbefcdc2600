# Shared by the install tests (sourced): fail, a scratch directory removed
# at exit, and installing the build tree into a prefix.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

# The binary may be built with ASan (scripts/dev's second build): a one-shot
# CLI frees nothing at exit on purpose (as test/lit/lit.cfg.py says).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export NO_COLOR=1
unset DESTDIR

scratch=$(mktemp -d "${TMPDIR:-/tmp}/threadvet-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# install_into BUILD_DIR PREFIX: what a user's `cmake --install` does.
install_into() {
    cmake --install "$1" --prefix "$2" >"$scratch/install.log" 2>&1 ||
        { cat "$scratch/install.log" >&2; fail "cmake --install $1 --prefix $2"; }
}

# expect_status N CMD...: run CMD, which must exit N; its output in $out.
expect_status() {
    local want=$1 got=0
    shift
    out=$("$@" 2>&1) || got=$?
    [ "$got" -eq "$want" ] || { printf '%s\n' "$out" >&2; fail "exit $got, not $want: $*"; }
}
