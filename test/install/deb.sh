#!/usr/bin/env bash
# deb.sh BUILD_DIR SOURCE_DIR — `cpack -G DEB` makes threadvet_VERSION_ARCH.deb:
# its control fields, a Depends naming the package of every library the
# binary links and of libclang's headers, the files of `cmake --install`
# under /usr. Unpacked (dpkg -x) into a temporary root, the binary runs and
# find_package(threadvet) finds the package. apt resolves its dependencies
# on this machine and on a simulated fresh Debian (apt-get -s: nothing is
# installed).
source "$(dirname "$0")/lib.sh"
build=$1 src=$2
python=${PYTHON:-python3}

note "cpack -G DEB"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg" >"$scratch/cpack.log" 2>&1 ||
    { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB"; }
version=$("$build/bin/threadvet" --version | awk '{ print $2 }')
deb=$scratch/pkg/threadvet_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb: $(ls "$scratch/pkg")"

note "control fields"
control() { dpkg-deb -f "$deb" "$1"; }
[ "$(control Package)" = threadvet ] || fail "Package: $(control Package)"
[ "$(control Version)" = "$version" ] || fail "Version: $(control Version)"
[ "$(control Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(control Architecture)"
[ -n "$(control Maintainer)" ] || fail "no Maintainer"
[ "$(control Section)" = devel ] || fail "Section: $(control Section)"
depends=$(control Depends)
# The names in Depends (any version, any alternative).
depends_names=" $(tr ',|' '\n' <<<"$depends" | sed 's/(.*)//; s/ //g' | tr '\n' ' ') "

note "Depends: $depends"
root=$scratch/root
dpkg -x "$deb" "$root"
tv=$root/usr/bin/threadvet
[ -x "$tv" ] || fail "no usr/bin/threadvet in the package"
needed=$(readelf -d "$tv" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED library"
libs=$(ldd "$tv")
# owner PATH: the package that owns PATH, through symlinks and /usr-merge
# (dpkg knows libc6's files as /lib/..., others as /usr/lib/...).
owner() {
    local real p
    real=$(readlink -f "$1")
    for p in "$1" "$real" "${real#/usr}" "/usr${1#/usr}"; do
        dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1 && return 0
    done
    return 0
}
for lib in $needed; do
    path=$(awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }' <<<"$libs")
    [ -n "$path" ] || fail "ldd does not resolve $lib"
    pkg=$(owner "$path")
    [ -n "$pkg" ] || fail "no package owns $path ($lib)"
    [[ $depends_names == *" $pkg "* ]] || fail "$lib comes from $pkg, which Depends lacks"
done
# libclang finds stddef.h and friends in its resource directory.
headers=$(readlink -f /usr/lib/llvm-19/lib/clang/19/include/stddef.h)
pkg=$(owner "$headers")
[[ $depends_names == *" $pkg "* ]] || fail "libclang's headers come from $pkg, which Depends lacks"

note "the files: those of cmake --install, under /usr"
install_into "$build" "$scratch/prefix"
(cd "$scratch/prefix" && find . -type f -o -type l | sort) >"$scratch/installed"
# dpkg-deb -c: a link's line ends in "PATH -> TARGET".
dpkg-deb -c "$deb" | awk '$1 ~ /^l/ { print $(NF - 2); next } $1 !~ /^d/ { print $NF }' |
    sed 's|^\./usr/|./|' | sort >"$scratch/packaged"
diff -u "$scratch/installed" "$scratch/packaged" || fail "the package's files differ from cmake --install's (+ packaged)"
stat -c '%a %n' "$tv" | grep -q '^755 ' || fail "usr/bin/threadvet: mode $(stat -c %a "$tv")"
[ "$(readlink "$root/usr/bin/threadvet-cc")" = threadvet ] || fail "usr/bin/threadvet-cc is not a link to threadvet"

note "the unpacked binary runs"
expect_status 0 "$tv" --version
ex=$src/examples/worker-pool
expect_status 1 "$tv" check --quiet "$ex/buggy.c" -- -I"$src/examples/lib"
grep -q "\[thread-leak\]" <<<"$out" || fail "no finding from the unpacked binary: $out"
# threadvet cc finds the runtime in usr/lib/threadvet, beside usr/bin.
unset THREADVET_RUNTIME_DIR
export THREADVET_CACHE=$scratch/cache
expect_status 0 "$tv" cc --threadvet-verbose "$src/test/lit/runtime/race.c" -o "$scratch/race"
grep -qF "$root/usr/bin/../lib/threadvet/libthreadvet_rt.a" <<<"$out" || fail "cc: not the packaged runtime: $out"
expect_status 1 "$tv" run -q -- "$scratch/race"
grep -q "\[data-race\]" <<<"$out" || fail "the packaged runtime: no data race: $out"
page=$(MANPAGER="cat" man -M "$root/usr/share/man" threadvet 2>&1) || true
grep -q 'threadvet - a concurrency checker for C' <<<"$page" || fail "man page: $page"

note "find_package(threadvet) in the unpacked package"
mkdir "$scratch/pkgtest"
cat >"$scratch/pkgtest/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(pkgtest NONE)
find_package(threadvet REQUIRED)
message(STATUS "threadvet ${threadvet_VERSION} at ${THREADVET_EXECUTABLE}")
CMAKE
expect_status 0 cmake -S "$scratch/pkgtest" -B "$scratch/pkgtest/build" -DCMAKE_PREFIX_PATH="$root/usr"
grep -qF "threadvet $version at $root/usr/bin/threadvet" <<<"$out" || fail "find_package: $out"

if ! command -v apt-get >/dev/null || ! apt-cache show libclang1-19 >/dev/null 2>&1; then
    note "SKIP the apt simulations: no apt or no package lists (apt-get update)"
    echo "PASS"
    exit 0
fi
note "apt-get install ./$(basename "$deb"), simulated on this machine"
expect_status 0 apt-get install -s "$deb"
grep -q "^Inst threadvet " <<<"$out" || fail "apt would not install it: $out"

note "... and on a fresh Debian (required packages only)"
"$python" "$src/test/install/fresh-debian-status.py" "$scratch/fresh-status"
expect_status 0 apt-get install -s --no-install-recommends -o Dir::State::status="$scratch/fresh-status" "$deb"
grep -q "^Inst threadvet " <<<"$out" || fail "apt would not install it on a fresh system: $out"
for p in libclang1-19 libclang-common-19-dev libjansson4 libyaml-0-2; do
    grep -q "^Inst $p " <<<"$out" || fail "a fresh install does not pull in $p: $out"
done
echo "PASS"
