// Threads that cannot exist yet are not beside what comes before them:
// locks taken in setup, before the thread is created, or by a thread
// before it creates the one that inverts them (while holding both, but
// never waiting for it) cannot deadlock. Taken after the create, they can.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;

static void *ba(void *arg) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return arg;
}
static void *dc(void *arg) {
  pthread_mutex_lock(&d);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(&d);
  return arg;
}
// CHECK: not-yet-created.c:[[@LINE+20]]:3: warning: lock order inversion: 'c' then 'd' here, 'd' then 'c' in 'dc' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: not-yet-created.c:[[@LINE+18]]:3: note: 'c' acquired here
// CHECK-NEXT: not-yet-created.c:[[@LINE+18]]:3: note: 'd' acquired here while 'c' is held
// CHECK-NEXT: not-yet-created.c:19:3: note: 'd' acquired here
// CHECK-NEXT: not-yet-created.c:20:3: note: 'c' acquired here while 'd' is held

static void setup(void) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
static void *spawner(void *arg) {
  pthread_mutex_lock(&c); /* before dc exists: holding c and d while creating it is fine */
  pthread_mutex_lock(&d);
  pthread_t t;
  pthread_create(&t, NULL, dc, NULL);
  pthread_mutex_unlock(&d);
  pthread_mutex_unlock(&c);
  pthread_mutex_lock(&c); /* dc may run now */
  pthread_mutex_lock(&d);
  pthread_mutex_unlock(&d);
  pthread_mutex_unlock(&c);
  pthread_join(t, NULL);
  return arg;
}
int main(void) {
  setup();
  pthread_t x, y;
  pthread_create(&x, NULL, ba, NULL);
  pthread_create(&y, NULL, spawner, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
