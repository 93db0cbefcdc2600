#!/usr/bin/env bash
# install.sh BUILD_DIR SOURCE_DIR — `cmake --install` into a temporary
# prefix installs exactly the documented files (docs/install.md), and the
# installed threadvet runs on its own: no build-tree RPATH, the built-in
# rules and models, the man page, the examples analysed as in the README,
# and `threadvet cc` (threadvet-cc) and `threadvet run` with the runtime
# installed in lib/threadvet.
source "$(dirname "$0")/lib.sh"
build=$1 src=$2
prefix=$scratch/prefix
install_into "$build" "$prefix"

note "the installed files"
expected=$scratch/expected
{
    echo bin/threadvet
    echo bin/threadvet-cc
    echo lib/threadvet/libthreadvet_rt.a
    echo lib/threadvet/libthreadvet_rt_preload.a
    for f in "$src"/rules/*.yaml; do echo "share/threadvet/rules/${f##*/}"; done
    for f in "$src"/rules/models/*.yaml; do echo "share/threadvet/models/${f##*/}"; done
    echo share/threadvet/sarif-to-codequality.jq
    echo share/man/man1/threadvet.1
    echo share/bash-completion/completions/threadvet
    echo share/doc/threadvet/README.md
    (cd "$src/docs" && find . -path ./man -prune -o -type f -print) | sed 's|^\./|share/doc/threadvet/docs/|'
    echo lib/cmake/threadvet/threadvetConfig.cmake
    echo lib/cmake/threadvet/threadvetConfigVersion.cmake
    echo lib/cmake/threadvet/threadvet-filter-database.cmake
} | sort >"$expected"
(cd "$prefix" && find . -type f -o -type l) | sed 's|^\./||' | sort >"$scratch/got"
diff -u "$expected" "$scratch/got" || fail "the installed files differ from the list (- expected, + installed)"

same() { cmp -s "$1" "$prefix/$2" || fail "$2 differs from $1"; }
for f in "$src"/rules/*.yaml; do same "$f" "share/threadvet/rules/${f##*/}"; done
for f in "$src"/rules/models/*.yaml; do same "$f" "share/threadvet/models/${f##*/}"; done
same "$src/docs/man/threadvet.1" share/man/man1/threadvet.1
same "$src/packaging/bash-completion/threadvet" share/bash-completion/completions/threadvet
same "$src/packaging/sarif-to-codequality.jq" share/threadvet/sarif-to-codequality.jq
same "$src/packaging/threadvet-filter-database.cmake" lib/cmake/threadvet/threadvet-filter-database.cmake

note "the installed binary"
tv=$prefix/bin/threadvet
[ -x "$tv" ] || fail "bin/threadvet is not executable"
dynamic=$(readelf -d "$tv")
if grep -E 'R(UN)?PATH' <<<"$dynamic"; then fail "bin/threadvet keeps a build-tree RPATH"; fi
libs=$(ldd "$tv")
if grep 'not found' <<<"$libs"; then fail "bin/threadvet has unresolved libraries"; fi
expect_status 0 "$tv" --version
[ "$out" = "$("$build/bin/threadvet" --version)" ] || fail "--version: $out"
expect_status 0 "$tv" rules
grep -q '^thread-leak ' <<<"$out" || fail "rules: no thread-leak: $out"

# The README's example, from another directory: the built-in models and
# libclang's own headers (stddef.h through pthread.h) are found.
cd "$scratch"
ex=$src/examples/worker-pool
expect_status 1 "$tv" check --quiet "$ex/buggy.c" -- -I"$src/examples/lib"
grep -q "buggy.c:[0-9]*:[0-9]*: warning: thread created into 'tid' is neither joined nor detached on some path \[thread-leak\]" <<<"$out" ||
    fail "no thread-leak finding in the buggy example: $out"
expect_status 0 "$tv" check --quiet "$ex/fixed.c" -- -I"$src/examples/lib"
[ -z "$out" ] || fail "the fixed example: $out"
printf '#include <stddef.h>\n#include <stdatomic.h>\n#include <pthread.h>\natomic_size_t n;\n' >"$scratch/headers.c"
expect_status 0 "$tv" check --quiet "$scratch/headers.c" --

# The installed models are the built-in ones, valid as user model files.
models=()
for f in "$prefix"/share/threadvet/models/*.yaml; do models+=(--models "$f"); done
expect_status 1 "$tv" check --quiet "${models[@]}" "$ex/buggy.c" -- -I"$src/examples/lib"

note "the installed runtime: threadvet cc, threadvet-cc, threadvet run"
[ "$(readlink "$prefix/bin/threadvet-cc")" = threadvet ] ||
    fail "bin/threadvet-cc is not a link to threadvet: $(ls -l "$prefix/bin/threadvet-cc")"
unset THREADVET_RUNTIME_DIR
export THREADVET_CACHE=$scratch/cache
rt=$src/test/lit/runtime
# cc links the runtime of <bindir>/../lib/threadvet: the installed one.
expect_status 0 "$tv" cc --threadvet-verbose -O1 "$rt/race.c" -o "$scratch/race"
grep -qF "$prefix/bin/../lib/threadvet/libthreadvet_rt.a" <<<"$out" ||
    fail "threadvet cc does not link the installed runtime: $out"
expect_status 1 "$tv" run -q -- "$scratch/race"
grep -q "\[data-race\]" <<<"$out" || fail "threadvet run: no data race: $out"
# CC=threadvet-cc: compile and link apart, as make does.
expect_status 0 "$prefix/bin/threadvet-cc" -c "$rt/lock-order.c" -o "$scratch/lock-order.o"
expect_status 0 "$prefix/bin/threadvet-cc" "$scratch/lock-order.o" -o "$scratch/lock-order"
expect_status 1 "$tv" run -q -- "$scratch/lock-order"
grep -q "\[lock-order-inversion\]" <<<"$out" || fail "threadvet-cc: no lock-order inversion: $out"
# An unmodified program: the preload library, built from the installed
# libthreadvet_rt_preload.a.
expect_status 0 clang-19 -O1 -g "$rt/misuse.c" -o "$scratch/misuse" -lpthread
expect_status 3 "$tv" run -q --deadlock-timeout 300 -- "$scratch/misuse"
grep -q "\[lock-double-acquire\]" <<<"$out" || fail "a preloaded run: no lock-double-acquire: $out"

note "the man page"
page=$(MANPAGER="cat" MANWIDTH=80 man -M "$prefix/share/man" threadvet 2>&1) || true
grep -q 'threadvet - a concurrency checker for C' <<<"$page" ||
    fail "man cannot find or render threadvet(1) under $prefix/share/man: $page"
echo "PASS"
