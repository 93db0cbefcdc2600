#!/usr/bin/env python3
"""gen_creators.py N > unit.c

One translation unit of N thread creators, for measuring how the analysis
grows with a program's threads and globals: creator i sets its own global
run flag, starts its own routine and a stopper joins it and clears the
flag; main calls every pair. Analysis time should grow linearly in N
(docs/performance.md, the ninth round)."""
import sys

if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
    sys.exit("usage: gen_creators.py N (a positive number of creators)")
n = int(sys.argv[1])
print("#include <pthread.h>")
for i in range(n):
    print(f"int running{i};")
    print(f"static void *work{i}(void *p) {{ return p; }}")
    print(f"void start{i}(pthread_t *t) {{ running{i} = 1; pthread_create(t, 0, work{i}, 0); }}")
    print(f"void stop{i}(pthread_t t) {{ pthread_join(t, 0); running{i} = 0; }}")
print("int main(void) {\n  pthread_t t;")
for i in range(n):
    print(f"  start{i}(&t);\n  stop{i}(t);")
print("  return 0;\n}")
