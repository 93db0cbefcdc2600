// Scoped-lock macros built from `for` loops: xz's mythread_sync (a
// conditional expression as the loop test: unlock when the flag is set,
// lock otherwise) and a counter form (`++once`, a known value the engine
// follows). Both run their body once, holding the lock: silent; a body
// that takes the lock again is a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#define sync_on(m) \
  for (unsigned i_ = 0; i_ ? (pthread_mutex_unlock(&(m)), 0) : (pthread_mutex_lock(&(m)), 1); i_ = 1) \
    for (unsigned j_ = 0; !j_; j_ = 1)

#define with_lock(m) for (unsigned once_ = 0; once_ == 0 && (pthread_mutex_lock(&(m)), 1); ++once_, pthread_mutex_unlock(&(m)))

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int counter;

void bump(void) {
  sync_on(mu) {
    counter++;
    if (counter > 10)
      break;
    counter++;
  }
}

void bump2(void) {
  with_lock(mu) counter += 2;
}

void nested(void) {
  sync_on(mu) {
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
  }
}
// CHECK: scoped-macros.c:[[@LINE-5]]:5: warning: 'mu' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: scoped-macros.c:[[@LINE-7]]:3: note: 'mu' is first acquired here

void counted(void) {
  with_lock(mu) {
    with_lock(mu) counter++;
  }
}
// CHECK: scoped-macros.c:[[@LINE-3]]:5: warning: 'mu' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: scoped-macros.c:[[@LINE-5]]:3: note: 'mu' is first acquired here
