// `__builtin_expect(x, c)` (LIKELY, UNLIKELY) is x: lwan's
// `if (LIKELY(!pthread_mutex_lock(&m)))` tests the lock's result, so the
// path where the lock failed holds nothing.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdbool.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static pthread_mutex_t queue = PTHREAD_MUTEX_INITIALIZER;
static bool running = true;
int work(void);

void *loop(void *arg) {
  while (running) {
    if (LIKELY(!pthread_mutex_lock(&queue))) {
      work();
      pthread_mutex_unlock(&queue);
    }
  }
  return arg;
}

// The hint does not hide a path that keeps the lock.
void *leaky(void *arg) {
  pthread_mutex_lock(&queue);
  if (UNLIKELY(work() < 0))
    return NULL;
  // CHECK: branch-hint.c:[[@LINE-1]]:5: warning: 'queue' is still held when 'leaky' returns here, but released on other paths [lock-held-at-exit]
  // CHECK: branch-hint.c:[[@LINE-4]]:3: note: 'queue' is acquired here
  pthread_mutex_unlock(&queue);
  return arg;
  // CHECK: branch-hint.c:[[@LINE-1]]:3: note: other paths release it before returning, like this one
}

int start(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, loop, NULL);
  pthread_create(&b, NULL, leaky, NULL);
  pthread_join(a, NULL);
  return pthread_join(b, NULL);
}
