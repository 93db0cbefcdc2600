#!/usr/bin/env python3
"""insert_line.py IN OUT N TEXT... — copies IN to OUT with each TEXT inserted as
a line before line N (N = number of lines + 1 appends). For tests that edit a
source file and check what stays the same."""
import sys


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    src, dst, n, texts = argv[0], argv[1], int(argv[2]), argv[3:]
    with open(src, encoding="utf-8", newline="") as f:
        lines = f.readlines()
    if not 1 <= n <= len(lines) + 1:
        sys.exit(f"insert_line.py: {src} has {len(lines)} lines; cannot insert before line {n}")
    lines[n - 1:n - 1] = [t + "\n" for t in texts]
    with open(dst, "w", encoding="utf-8", newline="") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
