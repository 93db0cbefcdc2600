#!/usr/bin/env python3
"""Cut a compile_commands.json down to the translation units a benchmark wants.

Usage:
  filter_compdb.py [--root DIR] [--file GLOB]... [--output GLOB]... IN OUT

An entry is kept when its source file, taken relative to --root (by default
the folder holding IN), matches one of the --file globs, and when its object
file name (the basename of "output", or of the argument after -o) matches one
of the --output globs. A missing kind of glob keeps everything. When a source
file is compiled more than once (a debug and a release binary built from the
same sources, say), only the first kept entry stays, so that every file is
parsed once. "directory" and "file" are written as absolute paths, so OUT can
live anywhere.

Examples (see README.md in this folder):
  filter_compdb.py --file 'src/*.c' redis/compile_commands.json \
      redis-db/compile_commands.json
  filter_compdb.py --output 'memcached-*.o' \
      memcached/compile_commands.json memcached-db/compile_commands.json
"""

import argparse
import fnmatch
import json
import os
import shlex
import sys


def object_name(entry):
    """Basename of the object file an entry writes, or '' if unknown."""
    if entry.get("output"):
        return os.path.basename(entry["output"])
    if "arguments" in entry:
        argv = list(entry["arguments"])
    else:
        argv = shlex.split(entry.get("command", ""))
    for i, arg in enumerate(argv):
        if arg == "-o" and i + 1 < len(argv):
            return os.path.basename(argv[i + 1])
        if arg.startswith("-o") and len(arg) > 2:
            return os.path.basename(arg[2:])
    return ""


def main():
    ap = argparse.ArgumentParser(
        description="Keep a subset of a compilation database.")
    ap.add_argument("--root", help="folder --file globs are relative to "
                    "(default: the folder holding IN)")
    ap.add_argument("--file", action="append", default=[], metavar="GLOB",
                    help="keep source files matching GLOB (repeatable)")
    ap.add_argument("--output", action="append", default=[], metavar="GLOB",
                    help="keep entries whose object file name matches GLOB "
                    "(repeatable)")
    ap.add_argument("input", metavar="IN")
    ap.add_argument("output_path", metavar="OUT")
    opts = ap.parse_args()

    with open(opts.input, encoding="utf-8") as f:
        db = json.load(f)
    if not isinstance(db, list):
        sys.exit(f"{opts.input}: not a JSON array of compile commands")

    root = os.path.realpath(opts.root or os.path.dirname(
        os.path.abspath(opts.input)))
    kept, seen = [], set()
    for entry in db:
        directory = os.path.abspath(entry["directory"])
        path = os.path.normpath(os.path.join(directory, entry["file"]))
        rel = os.path.relpath(os.path.realpath(path), root)
        if opts.file and not any(fnmatch.fnmatchcase(rel, g)
                                 for g in opts.file):
            continue
        if opts.output and not any(fnmatch.fnmatchcase(object_name(entry), g)
                                   for g in opts.output):
            continue
        if path in seen:
            continue
        seen.add(path)
        entry = dict(entry, directory=directory, file=path)
        kept.append(entry)

    if not kept:
        sys.exit("no entry matched; nothing written")
    out_dir = os.path.dirname(os.path.abspath(opts.output_path))
    os.makedirs(out_dir, exist_ok=True)
    with open(opts.output_path, "w", encoding="utf-8") as f:
        json.dump(kept, f, indent=2)
        f.write("\n")
    print(f"{opts.output_path}: kept {len(kept)} of {len(db)} entries")


if __name__ == "__main__":
    main()
