#!/usr/bin/env bash
# Run threadvet on a folder of real C projects and summarise the results.
#
#   test/real-world/compare.sh [--threadvet PATH] [--out DIR] [--diff OLD_DIR]
#                              [--jobs N] [--only NAME]... PROJECTS_DIR
#
# Every subfolder of PROJECTS_DIR that holds a compile_commands.json (at its
# top, else in build/) is one project; PROJECTS_DIR/NAME.models.yaml, when
# present, is given to it with --models (its in-house API, e.g. htslib's
# queues as channels: models/ here). Nothing is fetched or built: the
# databases must exist. See README.md in this folder.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

threadvet=${THREADVET:-$repo/build/bin/threadvet}
out=""
diff_dir=""
jobs=2
only=()
projects_dir=""

while [ $# -gt 0 ]; do
    case "$1" in
        --threadvet) [ $# -ge 2 ] || usage; threadvet=$2; shift 2 ;;
        --threadvet=*) threadvet=${1#*=}; shift ;;
        --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --diff) [ $# -ge 2 ] || usage; diff_dir=$2; shift 2 ;;
        --diff=*) diff_dir=${1#*=}; shift ;;
        -j|--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
        --only) [ $# -ge 2 ] || usage; only+=("$2"); shift 2 ;;
        -h|--help) usage 0 ;;
        -*) echo "compare.sh: unknown option '$1'" >&2; usage ;;
        *) [ -z "$projects_dir" ] || { echo "compare.sh: one PROJECTS_DIR only" >&2; usage; }
           projects_dir=$1; shift ;;
    esac
done

[ -n "$projects_dir" ] || usage
[ -d "$projects_dir" ] || { echo "compare.sh: no folder '$projects_dir'" >&2; exit 2; }
[ -x "$threadvet" ] || { echo "compare.sh: threadvet binary '$threadvet' not found (build it, or --threadvet PATH)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "compare.sh: python3 is required" >&2; exit 2; }
if [ -n "$diff_dir" ] && [ ! -d "$diff_dir" ]; then
    echo "compare.sh: no folder '$diff_dir' to diff against" >&2; exit 2
fi

projects_dir=$(cd "$projects_dir" && pwd)
threadvet=$(cd "$(dirname "$threadvet")" && pwd)/$(basename "$threadvet")
work=$(mktemp -d "${TMPDIR:-/tmp}/threadvet-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "$out" ]; then
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
else
    out=$work/out
    mkdir -p "$out"
fi

# Write a filtered copy of a database: non-C entries dropped, relative
# "directory" fields made absolute (the copy lives elsewhere). Prints the
# number of entries kept and dropped.
filter_db() {
    python3 - "$1" "$2" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
NON_C = {".s", ".S", ".sx", ".asm", ".cpp", ".cc", ".cxx", ".c++", ".C",
         ".cp", ".CPP", ".m", ".mm", ".M", ".cu", ".f", ".f90", ".rs"}
with open(src) as f:
    entries = json.load(f)
base = os.path.dirname(os.path.abspath(src))
kept, dropped = [], 0
for e in entries:
    ext = os.path.splitext(e.get("file", ""))[1]
    if ext in NON_C:
        dropped += 1
        continue
    e = dict(e)
    d = e.get("directory", ".")
    if not os.path.isabs(d):
        e["directory"] = os.path.normpath(os.path.join(base, d))
    kept.append(e)
os.makedirs(os.path.dirname(dst), exist_ok=True)
with open(dst, "w") as f:
    json.dump(kept, f, indent=1)
print(len(kept), dropped)
PY
}

names=()
shopt -s nullglob
for d in "$projects_dir"/*/; do
    name=$(basename "$d")
    if [ ${#only[@]} -gt 0 ]; then
        keep=0
        for o in "${only[@]}"; do [ "$o" = "$name" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    if [ -f "$d/compile_commands.json" ]; then
        db=$d/compile_commands.json
    elif [ -f "$d/build/compile_commands.json" ]; then
        db=$d/build/compile_commands.json
    else
        echo "compare.sh: $name: no compile_commands.json (top or build/), skipped" >&2
        continue
    fi
    names+=("$name")
    read -r tus dropped < <(filter_db "$db" "$work/db/$name/compile_commands.json")
    [ "$dropped" = 0 ] || echo "compare.sh: $name: $dropped non-C entries dropped" >&2
    echo "compare.sh: $name: $tus TUs ..." >&2
    models=()  # a project's own API described as models: PROJECTS_DIR/NAME.models.yaml
    [ -f "$projects_dir/$name.models.yaml" ] && models=(--models "$(cd "$projects_dir" && pwd)/$name.models.yaml")
    start=$EPOCHREALTIME
    set +e
    (cd "$d" && "$threadvet" check -p "$work/db/$name" -j "$jobs" -q "${models[@]}" \
        --srcroot "$(pwd)" --format sarif -o "$out/$name.sarif") \
        2> "$out/$name.stderr"
    rc=$?
    set -e
    end=$EPOCHREALTIME
    printf '%s\t%s\t%s\t%s\n' "$name" "$tus" \
        "$(python3 -c "print(f'{$end - $start:.1f}')")" "$rc" >> "$work/runs.tsv"
    echo "compare.sh: $name: exit $rc" >&2
done

[ ${#names[@]} -gt 0 ] || { echo "compare.sh: no project with a compile_commands.json under $projects_dir" >&2; exit 2; }

python3 - "$work/runs.tsv" "$out" "$diff_dir" "$(basename "$threadvet")" <<'PY'
import collections, json, os, sys
runs_tsv, out, diff_dir = sys.argv[1], sys.argv[2], sys.argv[3]

def load(path):
    """(rule ids in the catalogue, [(ruleId, file, message, line)], TUs with errors)"""
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    rules, results, bad = [], [], set()
    for run in doc.get("runs", []):
        for r in run.get("tool", {}).get("driver", {}).get("rules", []):
            rules.append(r["id"])
        for res in run.get("results", []):
            loc = (res.get("locations") or [{}])[0].get("physicalLocation", {})
            uri = loc.get("artifactLocation", {}).get("uri", "?")
            line = loc.get("region", {}).get("startLine", 0)
            results.append((res.get("ruleId", "?"), uri,
                            res.get("message", {}).get("text", ""), line))
        for inv in run.get("invocations", []):
            for n in inv.get("toolExecutionNotifications", []):
                if n.get("level") == "error":
                    for l in n.get("locations", []):
                        bad.add(l.get("physicalLocation", {})
                                 .get("artifactLocation", {}).get("uri", "?"))
    return rules, results, bad

rows = []
all_rules = []
for line in open(runs_tsv):
    name, tus, secs, rc = line.rstrip("\n").split("\t")
    data = load(os.path.join(out, name + ".sarif"))
    if data:
        for r in data[0] + [x[0] for x in data[1]]:
            if r not in all_rules:
                all_rules.append(r)
    rows.append((name, tus, secs, rc, data))
all_rules.sort()

head = ["project", "TUs", "time (s)", "exit", "TUs w/ errors"] + all_rules + ["total"]
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
totals = collections.Counter()
for name, tus, secs, rc, data in rows:
    if data is None:
        cells = [name, tus, secs, rc, "?"] + ["no SARIF"] + [""] * len(all_rules)
    else:
        c = collections.Counter(r[0] for r in data[1])
        totals.update(c)
        cells = [name, tus, secs, rc, str(len(data[2]))] + \
                [str(c.get(r, 0)) for r in all_rules] + [str(len(data[1]))]
    print("| " + " | ".join(cells) + " |")
if len(rows) > 1:
    print("| **all** | | | | | " + " | ".join(["**%d**" % totals.get(r, 0) for r in all_rules])
          + " | **%d** |" % sum(totals.values()))

if not diff_dir:
    sys.exit(0)

print()
print("## Changes versus " + diff_dir)
print()
print("Matched on rule id + file + message (line numbers ignored).")
for name, tus, secs, rc, data in rows:
    old = load(os.path.join(diff_dir, name + ".sarif"))
    print()
    print("### " + name)
    print()
    if data is None or old is None:
        print("- (no %s SARIF to compare)" % ("new" if data is None else "old"))
        continue
    key = lambda r: (r[0], r[1], r[2])
    new_c = collections.Counter(key(r) for r in data[1])
    old_c = collections.Counter(key(r) for r in old[1])
    lines_new = collections.defaultdict(list)
    for r in data[1]:
        lines_new[key(r)].append(r[3])
    lines_old = collections.defaultdict(list)
    for r in old[1]:
        lines_old[key(r)].append(r[3])
    appeared = new_c - old_c
    gone = old_c - new_c
    if not appeared and not gone:
        print("- no change (%d findings)" % len(data[1]))
        continue
    def times(n):
        return "" if n == 1 else " (x%d)" % n
    for k in sorted(appeared):
        print("- **new**%s `%s` %s:%s: %s" % (times(appeared[k]), k[0], k[1],
              ",".join(map(str, sorted(lines_new[k]))), k[2]))
    for k in sorted(gone):
        print("- **gone**%s `%s` %s:%s: %s" % (times(gone[k]), k[0], k[1],
              ",".join(map(str, sorted(lines_old[k]))), k[2]))
    print()
    print("%d new, %d gone (%d -> %d findings)" % (sum(appeared.values()),
          sum(gone.values()), len(old[1]), len(data[1])))
PY
