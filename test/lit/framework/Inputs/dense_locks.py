"""dense_locks.py N: C code where every pair of N mutexes is taken in both
orders, so the lock-order graph has N*(N-1)/2 inversions and far more longer
cycles than the search may afford."""
import sys

n = int(sys.argv[1])
print("#include <pthread.h>")
for i in range(n):
    print(f"pthread_mutex_t m{i} = PTHREAD_MUTEX_INITIALIZER;")
for i in range(n):
    print(f"void f{i}(void) {{")
    for j in range(n):
        if i != j:
            print(f"  pthread_mutex_lock(&m{i}); pthread_mutex_lock(&m{j});"
                  f" pthread_mutex_unlock(&m{j}); pthread_mutex_unlock(&m{i});")
    print("}")
