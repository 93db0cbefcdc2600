#!/usr/bin/env python3
"""The facts cache and the map/link step, measured on a project.

usage: bench_cache.py [--threadvet PATH] [--runs N] [--edit FILE] SRC_ROOT BUILD_DIR

SRC_ROOT is copied to a scratch folder (the edit must not touch the real
tree) and BUILD_DIR/compile_commands.json rewritten to point there. Times,
medians of N runs, all with -j 1:

  cold      check -p DB with an empty cache
  warm      the same again, nothing changed
  one       parse of the edited file alone (check --parse-only, one entry)
  edited    check -p DB FILE after appending a line to FILE (cache warm
            for the rest): the pre-commit / editor case
  emit      check --emit-facts for every unit, one after the other (map)
  link      threadvet link of all those facts (reduce), and of the first
            quarter, half and three quarters of them

and the cache's size per unit. Prints a Markdown table."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, **kw):
    t = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    dt = time.monotonic() - t
    if p.returncode not in (0, 1, 3):
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr[-2000:]))
    return dt


def median(n, fn):
    return statistics.median(fn() for _ in range(n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadvet", default=os.path.join(os.path.dirname(__file__), "../../build/bin/threadvet"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edit", help="the file edited (relative to SRC_ROOT); default the largest unit")
    ap.add_argument("src")
    ap.add_argument("build")
    a = ap.parse_args()
    tv = os.path.abspath(a.threadvet)
    src = os.path.realpath(a.src)
    work = tempfile.mkdtemp(prefix="tv-bench-cache-")
    root = os.path.join(work, "src")
    shutil.copytree(src, root, symlinks=True, ignore=shutil.ignore_patterns(".git", "*.o", "*.a"))
    db = json.load(open(os.path.join(a.build, "compile_commands.json")))
    for e in db:
        for k in ("directory", "file"):
            e[k] = e[k].replace(src, root)
    db = [e for e in db if e["file"].endswith(".c")]
    dbdir = os.path.join(work, "db")
    os.makedirs(dbdir)
    json.dump(db, open(os.path.join(dbdir, "compile_commands.json"), "w"))
    cache = os.path.join(work, "cache")
    check = [tv, "check", "--quiet", "-j", "1", "-p", dbdir, "--cache-dir", cache, "--format", "sarif", "-o", "/dev/null"]

    def cold():
        shutil.rmtree(cache, ignore_errors=True)
        return run(check)

    t_cold = median(a.runs, cold)
    run(check)
    t_warm = median(a.runs, lambda: run(check))
    entries = [os.path.join(cache, f) for f in os.listdir(cache)]
    sizes = [os.path.getsize(f) for f in entries]

    edit = os.path.join(root, a.edit) if a.edit else max((e["file"] for e in db), key=os.path.getsize)
    one = [e for e in db if e["file"] == edit]
    onedir = os.path.join(work, "one")
    os.makedirs(onedir)
    json.dump(one, open(os.path.join(onedir, "compile_commands.json"), "w"))
    t_one = median(a.runs, lambda: run([tv, "check", "--quiet", "-j", "1", "--parse-only", "--no-cache", "-p", onedir]))

    def edited():
        with open(edit, "a") as f:
            f.write("/* edited %f */\n" % time.time())
        return run(check + [edit])

    t_edit = median(a.runs, edited)

    facts = os.path.join(work, "facts")
    os.makedirs(facts)
    t0 = time.monotonic()
    for i, e in enumerate(db):
        args = e.get("arguments")
        flags = ["--"] + (args if args else [e["command"]])
        subprocess.run([tv, "check", "--emit-facts", os.path.join(facts, "%04d.tvf" % i), e["file"]] + flags,
                       cwd=e["directory"], stderr=subprocess.DEVNULL, check=True)
    t_emit = time.monotonic() - t0
    files = sorted(os.path.join(facts, f) for f in os.listdir(facts))
    link = [tv, "link", "--quiet", "-j", "1", "--format", "sarif", "-o", "/dev/null"]
    growth = []
    for frac in (4, 2, 1.333, 1):
        part = files[: max(1, int(len(files) / frac))]
        growth.append((len(part), median(a.runs, lambda: run(link + part))))
    t_link = growth[-1][1]

    name = os.path.basename(src)
    print("| %s (%d units) | figure |" % (name, len(db)))
    print("|---|---|")
    print("| cold check, empty cache | %.2f s |" % t_cold)
    print("| warm check, nothing changed | %.2f s (%.1f %% of cold) |" % (t_warm, 100 * t_warm / t_cold))
    print("| parse of %s alone | %.2f s |" % (os.path.relpath(edit, root), t_one))
    print("| check -p after editing it | %.2f s (%.2fx the parse) |" % (t_edit, t_edit / t_one))
    print("| cache size | %.1f MiB, %.0f KiB per unit (median %.0f KiB) |"
          % (sum(sizes) / 2**20, sum(sizes) / len(sizes) / 1024, statistics.median(sizes) / 1024))
    print("| map: emit-facts of every unit, one process each | %.2f s |" % t_emit)
    print("| reduce: link of all facts | %.2f s (%.1f %% of map + reduce) |" % (t_link, 100 * t_link / (t_emit + t_link)))
    print("| link by number of units | %s |" % ", ".join("%d: %.2f s" % g for g in growth))
    shutil.rmtree(work)


main()
