#!/usr/bin/env python3
"""expect_exit.py N COMMAND [ARG...] — runs COMMAND (its standard streams are
ours) and succeeds only if it exits with status N; lit's shell has no $?."""
import subprocess
import sys


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        sys.exit(__doc__)
    status = subprocess.call(argv[1:])
    if status != int(argv[0]):
        print(f"expect_exit.py: {argv[1]} exited with {status}, not {argv[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
