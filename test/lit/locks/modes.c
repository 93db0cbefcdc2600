// A function whose paths differ by a parameter's value has one summary
// effect per mode; a call that several modes allow applies the effect
// once (pigz's twist_: `if (op == TO) ... else if (op == BY) ...` then one
// unlock on every path).
// RUN: not %tv --disable data-race %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

enum op { TO, BY };
typedef struct lock { pthread_mutex_t mutex; pthread_cond_t cond; long value; } lock;
static lock threads_lock = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static void fail(int err) { exit(err); }
static void possess(lock *bolt) {
  int ret = pthread_mutex_lock(&bolt->mutex);
  if (ret)
    fail(ret);
}
static void twist(lock *bolt, enum op op, long val) {
  if (op == TO)
    bolt->value = val;
  else if (op == BY)
    bolt->value += val;
  pthread_cond_broadcast(&bolt->cond);
  int ret = pthread_mutex_unlock(&bolt->mutex);
  if (ret)
    fail(ret);
}

// Balanced: possess, then one release by twist, whatever its mode.
static void *balanced(void *arg) {
  possess(&threads_lock);
  twist(&threads_lock, BY, 1);
  return arg;
}
static void *balanced_to(void *arg) {
  possess(&threads_lock);
  twist(&threads_lock, TO, 0);
  return arg;
}
// Released twice: the second twist releases what this thread no longer holds.
static void *twice(void *arg) {
  possess(&threads_lock);
  twist(&threads_lock, BY, 1);
  twist(&threads_lock, BY, 1);
  // CHECK: modes.c:[[@LINE-1]]:3: warning: 'threads_lock.mutex' is released by 'twist' on a path that does not hold it [lock-release-unheld]
  // CHECK-NEXT: note: 'twist' releases it here
  return arg;
}

int main(void) {
  pthread_t t[3];
  pthread_create(&t[0], NULL, balanced, NULL);
  pthread_create(&t[1], NULL, balanced_to, NULL);
  pthread_create(&t[2], NULL, twice, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  return 0;
}
