#!/usr/bin/env python3
"""gen_unit.py MEGABYTES [SEED] > unit.c

One translation unit of about MEGABYTES MB of pthread code, for measuring how
analysis time grows with the size of a unit: structs with mutexes, lock and
unlock pairs (some through wrappers, some with early returns), calls to
earlier functions (a deep, wide call graph), thread creates and joins,
loops and switches. Deterministic for a seed."""
import random
import sys

mb = float(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
target = int(mb * 1024 * 1024)

out = ["#include <pthread.h>", "#include <stdlib.h>", "",
       "struct obj { pthread_mutex_t mu; int n, state; struct obj *next; };",
       "static pthread_mutex_t glock[64];",
       "static int counter[64];",
       "static void obj_lock(struct obj *o) { pthread_mutex_lock(&o->mu); }",
       "static void obj_unlock(struct obj *o) { pthread_mutex_unlock(&o->mu); }", ""]
size = sum(len(l) + 1 for l in out)
n = 0


def body(i):
    lines = []
    g = rng.randrange(64)
    lines.append(f"  int r = 0;")
    for k in range(rng.randrange(3, 9)):
        c = rng.random()
        if c < 0.25:
            lines.append(f"  pthread_mutex_lock(&glock[{g}]);")
            lines.append(f"  counter[{g}] += x + {k};")
            if rng.random() < 0.3:
                lines.append(f"  if (x == {k}) {{ pthread_mutex_unlock(&glock[{g}]); return -1; }}")
            lines.append(f"  pthread_mutex_unlock(&glock[{g}]);")
        elif c < 0.45:
            lines.append("  obj_lock(o);")
            lines.append(f"  o->n += {k};")
            lines.append("  if (o->state > 3) r++;")
            lines.append("  obj_unlock(o);")
        elif c < 0.75 and i > 0:
            callee = rng.randrange(max(0, i - 200), i)
            lines.append(f"  r += f{callee}(o->next, x + {k});")
        elif c < 0.85:
            lines.append(f"  for (int j = 0; j < x; j++) {{ if (j % {k + 2} == 0) r += counter[j & 63]; }}")
        elif c < 0.93:
            lines.append(f"  switch (x & 3) {{ case 0: r++; break; case 1: r += 2; /* fall through */ case 2: r--; break; default: break; }}")
        else:
            lines.append("  { pthread_t t; if (pthread_create(&t, NULL, worker, o) == 0) pthread_join(t, NULL); }")
    lines.append("  return r;")
    return lines


out.append("static void *worker(void *arg) { struct obj *o = arg; obj_lock(o); o->n++; obj_unlock(o); return arg; }")
while size < target:
    lines = [f"int f{n}(struct obj *o, int x) {{"] + body(n) + ["}", ""]
    out.extend(lines)
    size += sum(len(l) + 1 for l in lines)
    n += 1
out.append("int main(void) { struct obj o = {0}; return f%d(&o, 3); }" % (n - 1))
print("\n".join(out))
