// A GNU statement expression's value is its last expression:
// `({ int e = pthread_mutex_trylock(l); e; })` (haproxy's HA_SPIN_TRYLOCK)
// is the trylock's result, so a test of it says whether the lock is held:
// waiting for the lock where the trylock failed is fine, taking it again
// where it worked is a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#define TRY(l) ({ int _e = pthread_mutex_trylock(l); _e; })
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int n;

void bump(void) {
  if (TRY(&m) != 0)
    pthread_mutex_lock(&m);
  n++;
  pthread_mutex_unlock(&m);
}

void bump_twice(void) {
  if (TRY(&m) == 0) {
    pthread_mutex_lock(&m);
    // CHECK: statement-expression.c:[[@LINE-1]]:5: warning: 'm' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
    // CHECK-NEXT: statement-expression.c:[[@LINE-3]]:7: note: 'm' is first acquired here
    n++;
    pthread_mutex_unlock(&m);
  }
}
