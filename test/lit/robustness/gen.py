#!/usr/bin/env python3
"""gen.py KIND FILE [N]: writes a pathological C or YAML input to FILE.

  elif N        a function whose `if` has N-1 `else if` links (libclang's own
                8 MB parse thread overflows at 10,000)
  macro N       a function returning a macro expansion of 2^N terms, and a
                leaking function after it
  parens N      `return` of x in N nested parentheses (needs
                -fbracket-depth); with N = 1,000,000 it overflows even a
                1 GB stack
  units N DIR   N files DIR/uN.c, each a 1,500-link `else if` chain: a run
                slow enough to be interrupted
  garbage N     N bytes of pseudo-random binary (always the same bytes)
  yaml-deep N   a model file of N nested `[`
  yaml-big N    a model file of N bytes (comments, then `models: []`)
"""
import random
import sys

LEAK = """
#include <pthread.h>
static void *work(void *arg) { return arg; }
void leak_after(void) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
}
"""


def elif_chain(n):
    lines = ["int chain(int x) {", "  if (x == 0) return 0;"]
    lines += [f"  else if (x == {i}) return {i};" for i in range(1, n)]
    lines += ["  return -1;", "}"]
    return "\n".join(lines) + "\n"


def main():
    kind, path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if kind == "units":
        for i in range(n):
            with open(f"{path}/u{i}.c", "w") as f:
                f.write(elif_chain(1500).replace("chain", f"chain{i}"))
        return
    if kind == "garbage":
        rnd = random.Random(7)
        with open(path, "wb") as f:
            f.write(bytes(rnd.randrange(256) for _ in range(n)))
        return
    if kind == "elif":
        text = elif_chain(n) + LEAK
    elif kind == "macro":
        text = "#define T0 x\n" + "".join(f"#define T{i} T{i-1} + T{i-1}\n" for i in range(1, n + 1))
        text += f"int sum(int x) {{ return T{n}; }}\n" + LEAK
    elif kind == "parens":
        text = "int deep(int x) { return " + "(" * n + "x" + ")" * n + "; }\n" + LEAK
    elif kind == "yaml-deep":
        text = "models: " + "[" * n + "\n"
    elif kind == "yaml-big":
        tail = "models: []\n"
        text = "#" * 99 + "\n"
        text = text * ((n - len(tail)) // 100) + tail
    else:
        sys.exit(f"gen.py: unknown kind {kind}")
    with open(path, "w") as f:
        f.write(text)


main()
