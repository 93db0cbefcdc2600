#!/usr/bin/env bash
# bench.sh - how long threadvet takes on a real project, next to the compiler.
#
# Usage: bench.sh [--runs N] [--threadvet PATH] [--clang-only] BUILD_DIR
#
# BUILD_DIR holds the compile_commands.json of the project to measure (the
# path of the compile_commands.json itself is accepted too). Four commands
# are timed, each N times (default 3), and their wall-clock medians printed:
#
#   (1) clang-19 -fsyntax-only -w on every translation unit, one after the
#       other, each with its own flags from the database, run in its own
#       "directory" (-c/-S, -o X and the -M* dependency flags are dropped);
#   (2) threadvet check --no-cache --parse-only -j 1 -p BUILD_DIR
#       (libclang parses every unit and disposes of it; no analysis);
#   (3) threadvet check --no-cache -j 1 -p BUILD_DIR --format sarif -o /dev/null
#       (the facts cache off: every run parses; test/perf/bench_cache.py
#       measures the cache);
#   (4) the same as (3) with -j 2.
#
# followed by the ratios (3)/(2), (3)/(1), (2)/(1) and (3)/(4) (what -j 2
# gains) and the peak resident set size of (3) and (4) in MiB.
#
# Timing uses hyperfine when it is installed (Debian package "hyperfine"),
# otherwise repeated /usr/bin/time runs. /usr/bin/time (Debian package
# "time") is needed either way for the peak RSS. Besides those, the script
# needs only bash, python3 (to read the JSON database) and clang-19.
#
# Before the timed runs every command is run once untimed: that run warms
# the file cache, checks the command works (threadvet's exit codes 0, 1 and
# 3 -- no findings, findings, some unit did not parse -- all count as
# success; anything else stops the benchmark) and measures the peak RSS.
#
# Options:
#   --runs N          timed runs per command (default 3)
#   --threadvet PATH  the threadvet binary (default: $THREADVET, else
#                     build/bin/threadvet in this repository)
#   --clang-only      time (1) alone; no threadvet needed
#   --no-hyperfine    time with /usr/bin/time even if hyperfine is installed
#   --keep            keep the work folder (generated scripts, logs, JSON)
#   -h, --help        this text
# Environment:
#   CLANG             the compiler for (1) (default: clang-19)
#
# How to make a database to run this on (redis, memcached): see README.md
# next to this script; filter_compdb.py there keeps just a project's own
# translation units.

set -euo pipefail

prog=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$here/../.." && pwd)

die() {
    printf '%s: error: %s\n' "$prog" "$*" >&2
    exit 2
}

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

runs=3
threadvet=${THREADVET:-$repo_root/build/bin/threadvet}
clang=${CLANG:-clang-19}
clang_only=0
keep=0
use_hyperfine=1
build_dir=

while (($#)); do
    case $1 in
        --runs) (($# >= 2)) || die "--runs needs a number"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --threadvet) (($# >= 2)) || die "--threadvet needs a path"
                     threadvet=$2; shift 2 ;;
        --threadvet=*) threadvet=${1#*=}; shift ;;
        --clang-only) clang_only=1; shift ;;
        --keep) keep=1; shift ;;
        --no-hyperfine) use_hyperfine=0; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; break ;;
        -*) die "unknown option '$1' (see $prog --help)" ;;
        *) [[ -z $build_dir ]] || die "more than one BUILD_DIR given ('$build_dir', '$1')"
           build_dir=$1; shift ;;
    esac
done
if (($#)); then
    [[ -z $build_dir && $# -eq 1 ]] || die "more than one BUILD_DIR given"
    build_dir=$1
fi

# --- checks ---------------------------------------------------------------

[[ -n $build_dir ]] || die "no BUILD_DIR given; usage: $prog [--runs N] [--threadvet PATH] BUILD_DIR"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive whole number, not '$runs'"

if [[ -f $build_dir && $(basename "$build_dir") == compile_commands.json ]]; then
    build_dir=$(dirname "$build_dir")
fi
[[ -d $build_dir ]] || die "BUILD_DIR '$build_dir' is not a directory"
build_dir=$(cd "$build_dir" && pwd)
db=$build_dir/compile_commands.json
[[ -f $db ]] || die "no compilation database: '$db' does not exist (build the project with 'bear -- make' or cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON first)"

command -v python3 >/dev/null || die "python3 not found (it reads the compilation database)"
command -v "$clang" >/dev/null || die "'$clang' not found (Debian package clang-19; or set CLANG)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time'); it measures peak RSS"

if ((!clang_only)); then
    if [[ $threadvet != */* ]] && command -v "$threadvet" >/dev/null; then
        threadvet=$(command -v "$threadvet")   # a bare name found on PATH
    fi
    if [[ ! -e $threadvet ]]; then
        die "threadvet binary '$threadvet' not found (build it, pass --threadvet PATH, or use --clang-only)"
    fi
    [[ -f $threadvet && -x $threadvet ]] || die "threadvet binary '$threadvet' is not an executable file"
    threadvet=$(cd "$(dirname "$threadvet")" && pwd)/$(basename "$threadvet")
fi

have_hyperfine=0
if ((use_hyperfine)) && command -v hyperfine >/dev/null; then have_hyperfine=1; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/threadvet-bench.XXXXXX")
if ((keep)); then
    trap 'printf "work folder kept: %s\n" "$work" >&2' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi

# --- (1): a script that runs clang -fsyntax-only over every unit -----------

# Writes $work/syntax.sh, which runs every unit in turn, always exits 0 and
# counts the units clang rejected in the file named by its first argument
# (their diagnostics go to the file named by its second one).
ntu=$(python3 - "$db" "$clang" "$work/syntax.sh" <<'PY'
import json, os, shlex, sys

db_path, clang, out_path = sys.argv[1:4]
try:
    with open(db_path, encoding="utf-8") as f:
        db = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"cannot read {db_path}: {e}")
if not isinstance(db, list) or not db:
    sys.exit(f"{db_path}: no compile commands in it")

WRAPPERS = {"ccache", "sccache", "distcc", "icecc"}
# -M* flags that take the next argument as their value.
M_WITH_VALUE = {"-MF", "-MT", "-MQ", "-MJ"}
# Flags that decide what the compiler produces; -fsyntax-only replaces them.
DROP = {"-c", "-S", "-E", "-fsyntax-only", "-M", "-MM", "-MD", "-MMD",
        "-MG", "-MP", "-MV"}

def syntax_only(argv):
    argv = list(argv)
    while argv and os.path.basename(argv[0]) in WRAPPERS:
        argv.pop(0)
    if not argv:
        return None
    out = [clang]
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "-o" or a in M_WITH_VALUE:
            i += 2
            continue
        if a in DROP or a.startswith("-Wp,-M"):
            i += 1
            continue
        if (a.startswith("-o") and len(a) > 2) or \
           any(a.startswith(m) and len(a) > len(m) for m in M_WITH_VALUE):
            i += 1
            continue
        out.append(a)
        i += 1
    return out + ["-fsyntax-only", "-w"]

lines = [
    "#!/usr/bin/env bash",
    "# generated by threadvet's test/perf/bench.sh",
    'failed=0',
    'log=${2:-/dev/null}',
]
for n, e in enumerate(db):
    try:
        argv = e["arguments"] if "arguments" in e else shlex.split(e["command"])
        directory, src = e["directory"], e["file"]
    except (KeyError, TypeError, ValueError) as err:
        sys.exit(f"{db_path}: entry {n} is malformed ({err!r})")
    cmd = syntax_only(argv)
    if cmd is None:
        sys.exit(f"{db_path}: entry {n} has an empty command")
    lines.append(f"(cd {shlex.quote(directory)} && exec {shlex.join(cmd)})"
                 f' </dev/null >/dev/null 2>>"$log"'
                 f" || {{ failed=$((failed+1)); echo {shlex.quote('^^^ ' + src)}"
                 f' >>"$log"; }}')
lines.append('if [[ -n ${1:-} ]]; then echo "$failed" >"$1"; fi')
lines.append("exit 0")
with open(out_path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print(len(db))
PY
) || die "could not turn '$db' into compile commands"

# A wrapper that turns threadvet's "success" exit codes (0 no findings,
# 1 findings, 3 a unit did not parse) into 0, so hyperfine accepts them,
# and passes any other code on.
cat >"$work/tv.sh" <<'SH'
#!/usr/bin/env bash
"$@" </dev/null >/dev/null 2>&1
rc=$?
case $rc in 0|1|3) exit 0 ;; *) exit "$rc" ;; esac
SH
chmod +x "$work/syntax.sh" "$work/tv.sh"

# --- the commands ----------------------------------------------------------

names=(clang-syntax tv-parse tv-j1 tv-j2)
labels=(
    "(1) $clang -fsyntax-only, sequential"
    "(2) threadvet --parse-only -j 1"
    "(3) threadvet check -j 1 (sarif)"
    "(4) threadvet check -j 2 (sarif)"
)
# Each is one string, its words quoted with %q: hyperfine --shell=none splits
# it back into words, and the /usr/bin/time runs below eval it.
q() { printf '%q ' "$@"; }
cmds=(
    "$(q bash "$work/syntax.sh")"
    "$(q "$work/tv.sh" "$threadvet" check --no-cache --parse-only -j 1 -p "$build_dir")"
    "$(q "$work/tv.sh" "$threadvet" check --no-cache -j 1 -p "$build_dir" --format sarif -o /dev/null)"
    "$(q "$work/tv.sh" "$threadvet" check --no-cache -j 2 -p "$build_dir" --format sarif -o /dev/null)"
)
# The same without the exit-code wrapper, for the untimed first run and the
# /usr/bin/time runs (which check the exit code themselves).
raw=(
    "$(q bash "$work/syntax.sh" "$work/syntax.failed" "$work/syntax.log")"
    "$(q "$threadvet" check --no-cache --parse-only -j 1 -p "$build_dir")"
    "$(q "$threadvet" check --no-cache -j 1 -p "$build_dir" --format sarif -o /dev/null)"
    "$(q "$threadvet" check --no-cache -j 2 -p "$build_dir" --format sarif -o /dev/null)"
)
count=4
((clang_only)) && count=1

timer="/usr/bin/time x $runs"
((have_hyperfine)) && timer="$(hyperfine --version) x $runs"
printf 'threadvet bench: %s\n' "$db"
printf '  %s translation units; %s; %s\n' "$ntu" "$timer" "$($clang --version | head -n 1)"
((clang_only)) || printf '  threadvet: %s\n' "$threadvet"
echo

# --- untimed first run: warm-up, sanity check, peak RSS --------------------

declare -A rss_kib median
syntax_failed=0
for ((i = 0; i < count; i++)); do
    printf '  warm-up %s ...\n' "${labels[i]}" >&2
    set +e
    eval "/usr/bin/time -f %M -o $(q "$work/${names[i]}.rss") ${raw[i]}" \
        </dev/null >"$work/${names[i]}.out" 2>"$work/${names[i]}.err"
    rc=$?
    set -e
    if ((i == 0)); then
        ((rc == 0)) || die "the -fsyntax-only script failed (exit $rc)"
        syntax_failed=$(cat "$work/syntax.failed")
        if ((syntax_failed > 0)); then
            printf '%s: warning: %s of %s units failed -fsyntax-only; first diagnostics:\n' \
                "$prog" "$syntax_failed" "$ntu" >&2
            head -n 20 "$work/syntax.log" | sed 's/^/    /' >&2
        fi
    else
        case $rc in
            0|1|3) ;;
            *) printf '%s: error: %s exited %s; its stderr:\n' "$prog" "${labels[i]}" "$rc" >&2
               tail -n 20 "$work/${names[i]}.err" | sed 's/^/    /' >&2
               exit 1 ;;
        esac
        if ((rc == 3)); then
            printf '%s: note: %s exited 3 (some unit had parse errors)\n' "$prog" "${labels[i]}" >&2
        fi
    fi
    # GNU time writes "Command exited with non-zero status N" before %M.
    rss_kib[${names[i]}]=$(tail -n 1 "$work/${names[i]}.rss")
done

# --- timed runs ------------------------------------------------------------

if ((have_hyperfine)); then
    hf=(hyperfine --runs "$runs" --shell=none --style basic --export-json "$work/hf.json")
    for ((i = 0; i < count; i++)); do
        hf+=(--command-name "${names[i]}" "${cmds[i]}")
    done
    "${hf[@]}" >"$work/hf.out" 2>&1 || {
        cat "$work/hf.out" >&2
        die "hyperfine failed"
    }
    while read -r name med; do
        median[$name]=$med
    done < <(python3 - "$work/hf.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], r["median"])
PY
)
else
    for ((i = 0; i < count; i++)); do
        printf '  timing %s (%s runs) ...\n' "${labels[i]}" "$runs" >&2
        : >"$work/${names[i]}.times"
        for ((r = 0; r < runs; r++)); do
            # The bare command (no exit-code wrapper), so %M is its own RSS.
            set +e
            eval "/usr/bin/time -a -f '%e %M' -o $(q "$work/${names[i]}.times") ${raw[i]}" \
                </dev/null >/dev/null 2>"$work/${names[i]}.err"
            rc=$?
            set -e
            case $rc in
                0|1|3) ;;
                *) die "${labels[i]} exited $rc in timed run $((r + 1))" ;;
            esac
        done
        read -r med max <<<"$(python3 - "$work/${names[i]}.times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip() and l[0].isdigit()]
print(statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows))
PY
)"
        median[${names[i]}]=$med
        if ((max > rss_kib[${names[i]}])); then rss_kib[${names[i]}]=$max; fi
    done
fi

# --- report ----------------------------------------------------------------

if ((syntax_failed > 0)); then
    printf 'note: %s of %s units failed clang -fsyntax-only (timed all the same)\n\n' \
        "$syntax_failed" "$ntu"
fi
printf '%-42s %12s %14s\n' "command" "median (s)" "peak RSS (MiB)"
for ((i = 0; i < count; i++)); do
    n=${names[i]}
    mib=-
    case $n in tv-j1|tv-j2) mib=$(awk -v k="${rss_kib[$n]}" 'BEGIN { printf "%.1f", k / 1024 }') ;; esac
    printf '%-42s %12.3f %14s\n' "${labels[i]}" "${median[$n]}" "$mib"
done

if ((!clang_only)); then
    echo
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
    printf '%-42s %12s\n' "ratio" "x"
    printf '%-42s %12s\n' "(3)/(2) analysis over bare parse" "$(ratio "${median[tv-j1]}" "${median[tv-parse]}")"
    printf '%-42s %12s\n' "(3)/(1) analysis over clang -fsyntax-only" "$(ratio "${median[tv-j1]}" "${median[clang-syntax]}")"
    printf '%-42s %12s\n' "(2)/(1) libclang parse over -fsyntax-only" "$(ratio "${median[tv-parse]}" "${median[clang-syntax]}")"
    printf '%-42s %12s\n' "(3)/(4) speed-up of -j 2" "$(ratio "${median[tv-j1]}" "${median[tv-j2]}")"
fi
printf '\nper unit: (1) %s ms' "$(awk -v s="${median[clang-syntax]}" -v n="$ntu" 'BEGIN { printf "%.1f", 1000 * s / n }')"
if ((!clang_only)); then
    printf ', (3) %s ms' "$(awk -v s="${median[tv-j1]}" -v n="$ntu" 'BEGIN { printf "%.1f", 1000 * s / n }')"
fi
echo
