// PASS_TOPOLOGY, which threads may exist at an event (topo_may_exist): a
// thread created into a local handle and joined before the loop goes
// round does not exist at the next round's events. The lock-order family
// asks it: main's order in the next round cannot meet the last round's
// thread. A thread joined only after the loop still meets it.
// RUN: not %tv --no-cache %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;

static void *b_then_a(void *arg) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return arg;
}

static void *d_then_c(void *arg) {
  pthread_mutex_lock(&d);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(&d);
  return arg;
}

int joined_in_round(void) {
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    pthread_mutex_lock(&a); // the last round's thread was joined: silent
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_create(&t, 0, b_then_a, 0);
    pthread_join(t, 0);
  }
  return 0;
}

int joined_after(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; i++) {
    pthread_mutex_lock(&c);
    pthread_mutex_lock(&d);
    // CHECK: joined-each-round.c:[[@LINE-1]]:5: warning: lock order inversion: 'c' then 'd' here, 'd' then 'c' in 'd_then_c' (potential deadlock) [lock-order-inversion]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: 'c' acquired here
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: 'd' acquired here while 'c' is held
    // CHECK-NEXT: joined-each-round.c:21:3: note: 'd' acquired here
    // CHECK-NEXT: joined-each-round.c:22:3: note: 'c' acquired here while 'd' is held
    pthread_mutex_unlock(&d);
    pthread_mutex_unlock(&c);
    pthread_create(&t[i], 0, d_then_c, 0);
  }
  for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
  return 0;
}

int main(void) { return joined_in_round() + joined_after(); }
