// Every acquisition a function makes through its callees reaches its
// callers, however many: a summary once kept 96 and dropped the rest
// silently, so an order through the hundred-and-first lock was never seen.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#define D10(p) X(p##0) X(p##1) X(p##2) X(p##3) X(p##4) X(p##5) X(p##6) X(p##7) X(p##8) X(p##9)
#define D100 D10(1) D10(2) D10(3) D10(4) D10(5) D10(6) D10(7) D10(8) D10(9) D10(0)
#define X(n) pthread_mutex_t m##n = PTHREAD_MUTEX_INITIALIZER; \
  static void take##n(void) { pthread_mutex_lock(&m##n); pthread_mutex_unlock(&m##n); }
D100
#undef X
pthread_mutex_t late = PTHREAD_MUTEX_INITIALIZER, outer = PTHREAD_MUTEX_INITIALIZER, calm = PTHREAD_MUTEX_INITIALIZER;

/* Three variants of each (plain, and two modes) once filled the summary
 * long before the last lock. */
static void touch_all(int mode) {
#define X(n) if (mode == 1) take##n(); else if (mode == 2) take##n(); else take##n();
  D100
#undef X
  pthread_mutex_lock(&late);
  pthread_mutex_unlock(&late);
}

/* Positive: 'outer' then 'late' through a hundred and one acquisitions. */
void *forward(void *arg) {
  pthread_mutex_lock(&outer);
  touch_all(0);
  pthread_mutex_unlock(&outer);
  return arg;
}
void *backward(void *arg) {
  pthread_mutex_lock(&late);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_unlock(&late);
  return arg;
}
// CHECK: many-acquisitions.c:[[@LINE-5]]:3: warning: lock order inversion: 'late' then 'outer' here, 'outer' then 'late' in 'touch_all' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: many-acquisitions.c:[[@LINE-7]]:3: note: 'late' acquired here
// CHECK-NEXT: many-acquisitions.c:[[@LINE-7]]:3: note: 'outer' acquired here while 'late' is held
// CHECK-NEXT: many-acquisitions.c:[[@LINE-15]]:3: note: 'outer' acquired here
// CHECK-NEXT: many-acquisitions.c:[[@LINE-22]]:3: note: 'late' acquired here while 'outer' is held

/* Negative: the same hundred and one, in one order everywhere. */
void *same_order(void *arg) {
  pthread_mutex_lock(&calm);
  touch_all(1);
  pthread_mutex_unlock(&calm);
  pthread_mutex_lock(&calm);
  pthread_mutex_lock(&late);
  pthread_mutex_unlock(&late);
  pthread_mutex_unlock(&calm);
  return arg;
}

int main(void) {
  pthread_t t[3];
  pthread_create(&t[0], 0, forward, 0);
  pthread_create(&t[1], 0, backward, 0);
  pthread_create(&t[2], 0, same_order, 0);
  for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
  return 0;
}
