#!/usr/bin/env python3
"""Damages facts files the way a disk, a crash or another version would.
usage: damage.py truncate|flip|version|garbage|empty FILE...
  truncate: drop the second half   flip: invert one byte of the payload
  version:  set the format version to 999   garbage: replace with text
  empty:    zero bytes"""
import sys

mode, files = sys.argv[1], sys.argv[2:]
for f in files:
    data = bytearray(open(f, "rb").read())
    if mode == "truncate":
        data = data[: len(data) // 2]
    elif mode == "flip":
        data[64 + (len(data) - 64) // 2] ^= 0xFF
    elif mode == "version":
        data[8:12] = (999).to_bytes(4, "little")
    elif mode == "garbage":
        data = bytearray(b"int main(void) { return 0; }\n" * 10)
    elif mode == "empty":
        data = bytearray()
    else:
        sys.exit("unknown mode " + mode)
    open(f, "wb").write(data)
