#!/usr/bin/env bash
# cmake-package.sh BUILD_DIR SOURCE_DIR C_COMPILER GENERATOR [CMAKE_ARG...] — a CMake
# project uses an installed threadvet: find_package(threadvet) and
# threadvet_check(TARGET) (sample-project/). The check is a build step that
# reads the target's own compile_commands.json entries (its include
# directories and definitions, also when another target builds the same
# file first) as one whole program; findings fail the build and are
# printed, every build until fixed; a fixed source passes; it runs again
# when a source or a header changes, not otherwise; ARGS reach threadvet.
source "$(dirname "$0")/lib.sh"
build=$1 src=$2 cc=$3 generator=$4
shift 4
project_args=("$@") # e.g. -DCMAKE_EXPORT_COMPILE_COMMANDS=OFF: threadvet_check exports its targets alone
prefix=$scratch/prefix
install_into "$build" "$prefix"

project=$scratch/sample
cp -R "$src/test/install/sample-project" "$project"
cd "$project"
b=$project/build

configure() { # configure [-DVAR=VALUE...]
    CC=$cc cmake -G "$generator" -S . -B "$b" -DCMAKE_PREFIX_PATH="$prefix" "${project_args[@]}" "$@" \
        >"$scratch/configure.log" 2>&1 ||
        { cat "$scratch/configure.log" >&2; fail "configure failed"; }
}
build() { cmake --build "$b" 2>&1; } # output in $out through expect_status

finding="src/workers.c:21:12: warning: thread created into 'reaper' is never joined or detached: nothing in the program joins or detaches 'reaper' \[thread-leak\]"

note "the fixed program: both checks run and pass"
configure
expect_status 0 build
grep -q "threadvet: checking server" <<<"$out" || fail "server was not checked: $out"
grep -q "threadvet: checking jobs" <<<"$out" || fail "jobs was not checked: $out"
grep -q "0 findings in 2 translation units" <<<"$out" || fail "server's check did not see its 2 units: $out"
grep -q "warning:" <<<"$out" && fail "warnings in the fixed program: $out"

if [[ " ${project_args[*]} " == *" -DCMAKE_EXPORT_COMPILE_COMMANDS=OFF "* ]]; then
    grep -q 'workers_stub.dir' "$b/compile_commands.json" &&
        fail "the database has a target threadvet_check did not add"
    grep -q 'server.dir' "$b/compile_commands.json" || fail "threadvet_check(server) did not export server"
fi

note "nothing changed: no check runs"
expect_status 0 build
grep -q "threadvet: checking" <<<"$out" && fail "a check ran again with nothing changed: $out"

note "a header changed: the checks run again"
sleep 1 # make compares timestamps
echo "/* changed */" >>include/jobs.h
expect_status 0 build
grep -q "threadvet: checking server" <<<"$out" || fail "server not checked again after a header change: $out"

note "the buggy program: the build fails with the finding"
cp variants/main-buggy.c src/main.c
expect_status_nonzero() {
    local got=0
    out=$("$@" 2>&1) || got=$?
    [ "$got" -ne 0 ] || { printf '%s\n' "$out" >&2; fail "exit 0: $*"; }
}
expect_status_nonzero build
grep -q "$finding" <<<"$out" || fail "the finding is not printed: $out"
note "... and again on the next build"
expect_status_nonzero build
grep -q "$finding" <<<"$out" || fail "the second build did not check again: $out"

note "ARGS reach threadvet: --fail-on none reports and passes"
configure "-DSAMPLE_THREADVET_ARGS=--fail-on;none"
expect_status 0 build
grep -q "$finding" <<<"$out" || fail "the finding is not printed with --fail-on none: $out"
configure "-DSAMPLE_THREADVET_ARGS="

note "fixed again: the build passes"
cp "$src/test/install/sample-project/src/main.c" src/main.c
expect_status 0 build
grep -q "threadvet: checking server" <<<"$out" || fail "server not checked after the fix: $out"
grep -q "warning:" <<<"$out" && fail "warnings after the fix: $out"

note "threadvet_check refuses what it cannot check"
mkdir -p "$scratch/bad"
cat >"$scratch/bad/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bad C)
find_package(threadvet REQUIRED)
add_library(headers INTERFACE)
threadvet_check(headers)
CMAKE
got=0
out=$(CC=$cc cmake -G "$generator" -S "$scratch/bad" -B "$scratch/bad/build" -DCMAKE_PREFIX_PATH="$prefix" 2>&1) || got=$?
if [ "$got" -eq 0 ] || ! grep -q "threadvet_check(headers): needs a target that compiles sources" <<<"$out"; then
    fail "an INTERFACE library was accepted: $out"
fi
echo "PASS"
