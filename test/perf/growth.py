#!/usr/bin/env python3
"""growth.py - how the analysis grows with the size of one translation unit.

Usage: growth.py [--sizes 5,10,20] [--runs N] [--jobs J] [--threadvet PATH] [--keep DIR]

For each size (in MB) it generates one unit with gen_unit.py (pthread code:
locks, wrappers, a deep call graph, creates and joins), runs
`threadvet check -j J` on it N times (default 3) with THREADVET_TIMING=1,
and prints the medians of the front end (parse and lowering) and of the
analysis (link, shared passes, rule families), the analysis as a share of
the front end, and the time per MB. Linear growth shows as a flat
"analysis s/MB" column; the goal is an analysis share of at most 15 %.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TIMING = re.compile(r"front end ([0-9.]+) s, analysis ([0-9.]+) s")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5,10,20", help="unit sizes in MB, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (median)")
    ap.add_argument("--jobs", type=int, default=1, help="threadvet -j")
    ap.add_argument("--threadvet", default=os.environ.get("THREADVET") or
                    os.path.join(HERE, "..", "..", "build", "bin", "threadvet"))
    ap.add_argument("--keep", metavar="DIR", help="write the generated units here and keep them")
    a = ap.parse_args()
    try:
        a.sizes = [float(s) for s in a.sizes.split(",") if s]
    except ValueError:
        ap.error(f"--sizes wants numbers like 5,10,20, not '{a.sizes}'")
    if not a.sizes or any(s <= 0 for s in a.sizes):
        ap.error("--sizes wants positive sizes")
    if a.runs < 1:
        ap.error("--runs wants at least 1")
    if not os.access(a.threadvet, os.X_OK):
        ap.error(f"threadvet binary '{a.threadvet}' not found or not executable (build it or pass --threadvet)")
    return a


def one_run(threadvet, unit, jobs):
    env = dict(os.environ, THREADVET_TIMING="1")
    r = subprocess.run([threadvet, "check", "--no-cache", "-j", str(jobs), "-q", unit, "--"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"growth.py: threadvet exited {r.returncode} on {unit}:\n{r.stderr}")
    m = TIMING.search(r.stderr)
    if not m:
        sys.exit(f"growth.py: no timing line from threadvet on {unit} (THREADVET_TIMING)")
    return float(m.group(1)), float(m.group(2))


def main():
    a = parse_args()
    folder = a.keep or tempfile.mkdtemp(prefix="threadvet-growth.")
    os.makedirs(folder, exist_ok=True)
    print(f"| unit | front end | analysis | analysis / front end | analysis s/MB |")
    print(f"|---|---:|---:|---:|---:|")
    try:
        for mb in a.sizes:
            unit = os.path.join(folder, f"unit-{mb:g}mb.c")
            with open(unit, "w") as out:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_unit.py"), str(mb)], stdout=out, check=True)
            runs = [one_run(a.threadvet, unit, a.jobs) for _ in range(a.runs)]
            front = statistics.median(r[0] for r in runs)
            analysis = statistics.median(r[1] for r in runs)
            print(f"| {mb:g} MB | {front:.2f} s | {analysis:.2f} s | {100 * analysis / front:.0f} % | {analysis / mb:.3f} |",
                  flush=True)
    finally:
        if not a.keep:
            for f in os.listdir(folder):
                os.unlink(os.path.join(folder, f))
            os.rmdir(folder)


if __name__ == "__main__":
    main()
