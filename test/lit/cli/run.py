#!/usr/bin/env python3
"""run.py [--exit N] [--in-tmp] [--copy DIR]... [--unprivileged] [--] CMD...

Runs CMD with its stdout and stderr passed through, and fails (exit 1,
saying why on stderr) when CMD
  - dies of a signal (a crash is never an acceptable answer), or
  - exits with a status other than N (lit's `not` only knows "non-zero").
Without --exit, any status but a signal passes and is returned unchanged.

--in-tmp   run CMD in a new empty directory under the system's temp dir,
           which must have no compile_commands.json in it or above it (so
           threadvet finds no database); it is removed afterwards.
--copy DIR copy the tree DIR into that directory first (as its basename).
--unprivileged  run CMD as a user that file permissions apply to: as is
           when not root, else as `nobody` through runuser (lit.local.cfg
           offers the feature `unprivileged` only when one of the two works).
"""
import os
import shutil
import subprocess
import sys
import tempfile


def parse(argv):
    want, in_tmp, copies, drop = None, False, [], False
    while argv:
        a = argv[0]
        if a == "--unprivileged":
            drop, argv = True, argv[1:]
        elif a == "--exit":
            want, argv = int(argv[1]), argv[2:]
        elif a == "--in-tmp":
            in_tmp, argv = True, argv[1:]
        elif a == "--copy":
            copies.append(argv[1])
            argv = argv[2:]
        elif a == "--":
            argv = argv[1:]
            break
        else:
            break
    if not argv:
        sys.exit("run.py: no command (see the usage at the top of run.py)")
    if copies and not in_tmp:
        sys.exit("run.py: --copy needs --in-tmp")
    if drop and os.geteuid() == 0:
        argv = ["runuser", "-u", "nobody", "--"] + argv
    return want, in_tmp, copies, argv


def database_above(d):
    """The first compile_commands.json in d or a parent, else None."""
    d = os.path.abspath(d)
    while True:
        cand = os.path.join(d, "compile_commands.json")
        if os.path.exists(cand):
            return cand
        up = os.path.dirname(d)
        if up == d:
            return None
        d = up


def run(cmd, cwd):
    sys.stdout.flush()
    return subprocess.run(cmd, cwd=cwd).returncode


def main():
    want, in_tmp, copies, cmd = parse(sys.argv[1:])
    if in_tmp:
        with tempfile.TemporaryDirectory(prefix="threadvet-cli-") as tmp:
            found = database_above(tmp)
            if found:
                sys.exit(f"run.py: {found} exists, so {tmp} is not a directory without a database")
            for src in copies:
                shutil.copytree(src, os.path.join(tmp, os.path.basename(os.path.normpath(src))))
            rc = run(cmd, tmp)
    else:
        rc = run(cmd, None)
    if rc < 0:
        sys.exit(f"run.py: killed by signal {-rc}: {' '.join(cmd)}")
    if want is not None and rc != want:
        sys.exit(f"run.py: expected exit status {want}, got {rc}: {' '.join(cmd)}")
    sys.exit(rc if want is None else 0)


main()
