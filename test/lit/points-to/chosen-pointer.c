// A lock reached through a pointer chosen at run time among several
// mutexes: its order edges are those of every candidate, and the report
// names them. The same choice in a consistent order stays silent.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %tv %s -- -DCONSISTENT 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty
// QUIET-NOT: warning:
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER;
int sel;

void *chooser(void *arg) {
  pthread_mutex_t *m = sel ? &a : &b;
  pthread_mutex_lock(m);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(m);
  return arg;
}

void *fixed(void *arg) {
#ifdef CONSISTENT
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(&b);
#else
  pthread_mutex_lock(&c);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&c);
#endif
  return arg;
}
// CHECK: chosen-pointer.c:29:3: warning: lock order inversion: 'c' then 'b' here, '*m' (one of 'a', 'b') then 'c' in 'chooser' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: chosen-pointer.c:28:3: note: 'c' acquired here
// CHECK-NEXT: chosen-pointer.c:29:3: note: 'b' acquired here while 'c' is held
// CHECK-NEXT: chosen-pointer.c:14:3: note: '*m' (one of 'a', 'b') acquired here
// CHECK-NEXT: chosen-pointer.c:15:3: note: 'c' acquired here while '*m' (one of 'a', 'b') is held

int main(void) {
  pthread_t x, y;
  pthread_create(&x, NULL, chooser, NULL);
  pthread_create(&y, NULL, fixed, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
