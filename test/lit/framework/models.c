// Model descriptors: several effects in order, `noreturn` for a function
// we only see declared, and what a modelled function does with arguments.
// RUN: not %tv --models %S/Inputs/effects.yaml %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// Without the models: unknown code may keep anything (no leak), may return
// (held at exit) and lock_yield does nothing we know of.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --check-prefix=NOMODEL --implicit-check-not=warning:
// Roles past the arity, and `op` beside `effects`, are load errors.
// RUN: %expect-exit 2 %tv --models %S/Inputs/bad-arity.yaml %s -- 2>&1 | FileCheck %s --check-prefix=ARITY
// ARITY: threadvet: error: {{.*}}bad-arity.yaml:2:5: model for 'my_lock': 'lock' is argument 1, but 'my_lock' has 1 parameter (arity)
// RUN: %expect-exit 2 %tv --models %S/Inputs/bad-effects.yaml %s -- 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: threadvet: error: {{.*}}bad-effects.yaml:2:5: model for 'both' gives both 'op' and 'effects'; put every op in 'effects'
#include <pthread.h>

void lock_yield(pthread_mutex_t *m);
void panic_now(const char *why);
void log_object(int level, const void *p);
void clear_handle(pthread_t *t);
void keep(void *p);
static void *work(void *arg) { return arg; }
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

// Unlock then lock: balanced, and m is held after it.
void yield_twice(void) {
  pthread_mutex_lock(&m);
  lock_yield(&m);
  lock_yield(&m);
  pthread_mutex_unlock(&m);
}
// A thread that starts without m: the first effect releases what is not held.
static void *yield_unheld(void *arg) {
  lock_yield(&m);
  // CHECK: models.c:[[@LINE-1]]:3: warning: 'm' is released on a path that does not hold it [lock-release-unheld]
  pthread_mutex_unlock(&m);
  return arg;
}
int start_yield(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, yield_unheld, NULL)) return 1;
  return pthread_join(t, NULL);
}

int checked(int x) {
  pthread_mutex_lock(&m);
  if (x < 0) {
    panic_now("negative");
    return -1;
  }
  // NOMODEL: models.c:[[@LINE-2]]:5: warning: 'm' is still held when 'checked' returns here
  pthread_mutex_unlock(&m);
  return 0;
}

// log_object only reads: the thread is still ours, and leaks.
int logged(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL)) return 1;
  // CHECK: models.c:[[@LINE-1]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: note: 't' is lost when 'logged' returns here
  log_object(1, &t);
  return 0;
}
// keep() has no model: it may join t; nothing said.
int kept(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL)) return 1;
  keep(&t);
  return 0;
}
// clear_handle writes the handle: the thread is lost there.
int cleared(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL)) return 1;
  // CHECK: models.c:[[@LINE-1]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: note: 't' is overwritten here while its thread is neither joined nor detached
  clear_handle(&t);
  return pthread_join(t, NULL);
}
