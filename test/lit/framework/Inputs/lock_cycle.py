"""lock_cycle.py N: N functions in one recursive cycle, each taking its own
mutex and calling the next while holding it (the last calls the first),
entered from two threads at different points."""
import sys

n = int(sys.argv[1])
print("#include <pthread.h>")
for i in range(n):
    print(f"pthread_mutex_t m{i} = PTHREAD_MUTEX_INITIALIZER;")
for i in range(n):
    print(f"void f{i}(int d);")
for i in range(n):
    print(f"void f{i}(int d) {{ pthread_mutex_lock(&m{i}); if (d > 0) f{(i + 1) % n}(d - 1); pthread_mutex_unlock(&m{i}); }}")
print("static void *t1(void *a) { f0(5); return a; }")
print(f"static void *t2(void *a) {{ f{n // 2}(5); return a; }}")
print("int main(void) { pthread_t a, b; pthread_create(&a, 0, t1, 0); pthread_create(&b, 0, t2, 0);"
      " pthread_join(a, 0); pthread_join(b, 0); return 0; }")
