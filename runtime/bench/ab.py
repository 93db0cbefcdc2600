#!/usr/bin/env python3
"""ab.py — two (or more) builds of the runtime against each other, interleaved.

Usage: runtime/bench/ab.py --build A=DIR --build B=DIR [--rounds N] [--size R] [--threads T]
                           [--prog FILE.c] [--no-floors] [--only CFG,CFG]

Builds one program (default runtime/bench/locks.c, run with R rounds and T
threads: by default 2000000 and 1, the steadiest figure) natively, with
TSan, and with each build's `threadvet cc`; each build's preload library is
made in a cache of its own. Then N rounds (default 11), every configuration
once per round in a shuffled order:

  native, tsan           the program without the runtime
  tv-X                   build X's `threadvet cc` program with a record
  pre-X                  the native program, build X's runtime preloaded, a record
  tv-norec-X, pre-norec-X  the same without a record (interception alone)

and prints, per configuration, the CPU time (user + system, from wait4) and
the wall time, min and median, with the ratios the goals are judged by
(tv-X / tsan, pre-X / native).
"""
import argparse
import glob
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import sh  # noqa: E402 (beside this script)


def run(cmd, env):
    """(cpu seconds, wall seconds) of cmd."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"ab.py: {' '.join(cmd)} exited {os.waitstatus_to_exitcode(status)}")
    return ru.ru_utime + ru.ru_stime, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="append", required=True, help="NAME=DIR (a built threadvet tree)")
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--size", type=int, default=2000000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--prog", default=os.path.join(HERE, "locks.c"))
    ap.add_argument("--no-floors", action="store_true")
    ap.add_argument("--only", help="only these configurations (comma-separated)")
    ap.add_argument("--env", action="append", default=[], help="NAME:VAR=VALUE: set VAR for build NAME's runs")
    a = ap.parse_args()
    builds = [b.split("=", 1) for b in a.build]
    work = tempfile.mkdtemp(prefix="threadvet-ab-")
    base = dict(os.environ)
    base.pop("THREADVET_RECORD", None)
    args = [str(a.size), str(a.threads)]
    cmds = {}
    try:
        native = os.path.join(work, "native")
        sh(["clang-19", "-O2", "-g", "-pthread", a.prog, "-o", native])
        tsan = os.path.join(work, "tsan")
        sh(["clang-19", "-O2", "-g", "-fsanitize=thread", a.prog, "-o", tsan])
        cmds["native"] = ([native] + args, {})
        cmds["tsan"] = ([tsan] + args, {})
        for name, d in builds:
            tv = os.path.join(os.path.abspath(d), "bin", "threadvet")
            extra = {}
            for e in a.env:
                n, kv = e.split(":", 1)
                if n == name:
                    k, v = kv.split("=", 1)
                    extra[k] = v
            env = dict(base, THREADVET_CACHE=os.path.join(work, "cache-" + name))
            exe = os.path.join(work, "tv-" + name)
            sh([tv, "cc", "-O2", "-g", a.prog, "-o", exe], env=env)
            sh([tv, "run", "-q", "--", native, "10", "1"], env=env)
            so = glob.glob(os.path.join(env["THREADVET_CACHE"], "preload-*.so"))[0]
            rec = os.path.join(work, "rec-" + name)
            cmds["tv-" + name] = ([exe] + args, dict(extra, THREADVET_RECORD=rec))
            cmds["pre-" + name] = ([native] + args, dict(extra, THREADVET_RECORD=rec, LD_PRELOAD=so))
            if not a.no_floors:
                cmds["tv-norec-" + name] = ([exe] + args, dict(extra))
                cmds["pre-norec-" + name] = ([native] + args, dict(extra, LD_PRELOAD=so))
        if a.only:
            keep = a.only.split(",")
            cmds = {k: v for k, v in cmds.items() if k in keep or k in ("native", "tsan")}
        res = {k: [] for k in cmds}
        for r in range(a.rounds):
            order = list(cmds)
            random.shuffle(order)
            for k in order:
                cmd, extra = cmds[k]
                if "THREADVET_RECORD" in extra:
                    shutil.rmtree(extra["THREADVET_RECORD"], ignore_errors=True)
                    os.makedirs(extra["THREADVET_RECORD"])
                res[k].append(run(cmd, dict(base, **extra)))
            print(f"ab.py: round {r + 1}/{a.rounds}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def st(k, i):
        v = [x[i] for x in res[k]]
        return min(v), statistics.median(v)
    print(f"{os.path.basename(a.prog)}, {a.threads} thread(s), {a.size} rounds, {a.rounds} rounds interleaved; "
          f"load {os.getloadavg()[0]:.1f}")
    print("| config | CPU min | CPU median | wall min | wall median | CPU ratio min / median |")
    print("|---|---:|---:|---:|---:|---:|")
    for k in cmds:
        ref = "tsan" if k.startswith("tv-") else "native" if k.startswith("pre-") else None
        cmin, cmed = st(k, 0)
        wmin, wmed = st(k, 1)
        ratio = ""
        if ref:
            rmin, rmed = st(ref, 0)
            ratio = f"{cmin / rmin:.3f}× / {cmed / rmed:.3f}×"
        print(f"| {k} | {cmin:.3f} s | {cmed:.3f} s | {wmin:.3f} s | {wmed:.3f} s | {ratio} |")


if __name__ == "__main__":
    main()
