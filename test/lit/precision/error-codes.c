// Error paths that meet at one label with different nonzero codes
// (`err = -4; break;` here, `err = -2; break;` there) still have an error
// when they meet: `if (!err)` after the label is not taken on either, so
// the pool is freed (its lock taken again) only on the path that released
// it. The path that returns holding the lock (already shutting down) is
// reported; a path that must have set a code other than -2 or -4 is not
// mistaken for one with no error.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t lock;
  pthread_cond_t notify;
  int shutdown;
};

static void pool_free(struct pool *pool) {
  pthread_mutex_lock(&pool->lock);
  pthread_mutex_unlock(&pool->lock);
  free(pool);
}

int pool_destroy(struct pool *pool) {
  int err = 0;
  pthread_mutex_lock(&pool->lock);
  do {
    if (pool->shutdown) {
      err = -4;
      break;
    }
    pool->shutdown = 1;
    if (pthread_cond_broadcast(&pool->notify) != 0 || pthread_mutex_unlock(&pool->lock) != 0) {
      err = -2;
      break;
    }
  } while (0);
  if (!err)
    pool_free(pool);
  return err;
  // CHECK: error-codes.c:[[@LINE-1]]:3: warning: 'pool->lock' is still held when 'pool_destroy' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: error-codes.c:[[@LINE-16]]:3: note: 'pool->lock' is acquired here
  // CHECK-NEXT: error-codes.c:[[@LINE-3]]:3: note: other paths release it before returning, like this one
}

// A code that may be 0 on one of the paths: the test can go either way,
// and the path where it is 0 holds the lock when it frees.
int pool_reset(struct pool *pool, int code) {
  int err = -3;
  pthread_mutex_lock(&pool->lock);
  if (code)
    err = 0;
  if (!err)
    pool_free(pool);
  // CHECK: error-codes.c:[[@LINE-1]]:5: warning: 'pool->lock' is acquired by 'pool_free' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: error-codes.c:[[@LINE-6]]:3: note: 'pool->lock' is first acquired here
  // CHECK-NEXT: error-codes.c:[[@LINE-38]]:3: note: 'pool_free' acquires it again here
  pthread_mutex_unlock(&pool->lock);
  return err;
}
