// A function that takes a hundred other locks before releasing its
// caller's lock (librdkafka's rd_kafka_broker_set_state) passes that
// release on to its callers, and a hold after them too: a summary once kept
// 96 effects and, past them, lost the release, so its caller, a thread,
// seemed to end holding the lock. (many-acquisitions.c: the acquisitions
// and orders past them are kept as well.)
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#define D10(p) X(p##0) X(p##1) X(p##2) X(p##3) X(p##4) X(p##5) X(p##6) X(p##7) X(p##8) X(p##9)
#define D100 D10(1) D10(2) D10(3) D10(4) D10(5) D10(6) D10(7) D10(8) D10(9) D10(0)
#define X(n) pthread_mutex_t m##n = PTHREAD_MUTEX_INITIALIZER;
D100
#undef X
pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER, other = PTHREAD_MUTEX_INITIALIZER;

void touch_all(void) {
#define X(n) pthread_mutex_lock(&m##n); pthread_mutex_unlock(&m##n);
  D100
#undef X
}

/* Negative: the release after a hundred acquisitions reaches the caller. */
void finish(void) {
  touch_all();
  pthread_mutex_unlock(&big);
}

void *worker(void *arg) {
  pthread_mutex_lock(&big);
  finish();
  return arg;
}

/* Positive: a hold after a hundred acquisitions reaches the caller too. */
void take(void) {
  touch_all();
  pthread_mutex_lock(&other);
}
// CHECK: many-effects.c:[[@LINE-1]]:1: warning: 'other' is still held when 'take' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: many-effects.c:[[@LINE-3]]:3: note: 'other' is acquired here

void *holder(void *arg) {
  take();
  return arg;
}
// CHECK-NEXT: many-effects.c:[[@LINE-2]]:3: warning: thread start routine 'holder' ends holding 'other' [lock-held-at-exit]
// CHECK-NEXT: many-effects.c:[[@LINE-4]]:3: note: 'other' is acquired here

int main(void) {
  pthread_t t, u;
  pthread_create(&t, 0, worker, 0);
  pthread_create(&u, 0, holder, 0);
  pthread_join(t, 0);
  pthread_join(u, 0);
  return 0;
}
