// Mutexes made recursive by a static initializer (the models'
// recursive-initializers): alone, in a struct by position or by designator,
// and in a nested struct. Taking one twice is fine; the same shapes with the
// plain initializer are self-deadlocks.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#define _GNU_SOURCE
#include <pthread.h>

static pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
struct box { int n; pthread_mutex_t mu; };
static struct box by_position = {0, PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};
static struct box by_name = {.mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, .n = 1};
static struct box plain_box = {0, PTHREAD_MUTEX_INITIALIZER};
struct outer { struct box inner; pthread_mutex_t other; };
static struct outer nested = {{1, PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP}, PTHREAD_MUTEX_INITIALIZER};

#define TWICE(m) \
  do { \
    pthread_mutex_lock(m); \
    pthread_mutex_lock(m); \
    pthread_mutex_unlock(m); \
    pthread_mutex_unlock(m); \
  } while (0)

void silent(void) {
  TWICE(&rec);
  TWICE(&by_position.mu);
  TWICE(&by_name.mu);
  TWICE(&nested.inner.mu);
}

void self_deadlocks(void) {
  pthread_mutex_lock(&plain);
  pthread_mutex_lock(&plain);
  // CHECK: recursive-static.c:[[@LINE-1]]:3: warning: 'plain' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: recursive-static.c:[[@LINE-3]]:3: note: 'plain' is first acquired here
  pthread_mutex_unlock(&plain);
  pthread_mutex_unlock(&plain);
  pthread_mutex_lock(&plain_box.mu);
  pthread_mutex_lock(&plain_box.mu);
  // CHECK: recursive-static.c:[[@LINE-1]]:3: warning: 'plain_box.mu' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: recursive-static.c:[[@LINE-3]]:3: note: 'plain_box.mu' is first acquired here
  pthread_mutex_unlock(&plain_box.mu);
  pthread_mutex_unlock(&plain_box.mu);
  pthread_mutex_lock(&nested.other);
  pthread_mutex_lock(&nested.other);
  // CHECK: recursive-static.c:[[@LINE-1]]:3: warning: 'nested.other' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: recursive-static.c:[[@LINE-3]]:3: note: 'nested.other' is first acquired here
  pthread_mutex_unlock(&nested.other);
  pthread_mutex_unlock(&nested.other);
}
