// Wrappers: inferred from summaries, or declared in a user's model file.
// MODEL: wrappers.c:23:7: warning: thread started by 'start' into 't' is neither joined nor detached on some path [thread-leak]
// MODEL: wrappers.c:27:5: note: 't' is lost when 'uses_start_badly' returns here
// MODEL: wrappers.c:12:41: note: the thread is created here, in 'start'
// RUN: not %tv %s -- 2>&1 | FileCheck %s --check-prefix=INFERRED --implicit-check-not=warning: --implicit-check-not=note:
// RUN: not %tv --models %S/Inputs/wrappers.yaml %s -- -DUSE_MODEL 2>&1 | FileCheck %s --check-prefix=MODEL --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

void *work(void *arg) { return arg; }

// A wrapper whose result is the create's: callers check it like the real thing.
static int start(pthread_t *t) { return pthread_create(t, NULL, work, NULL); }

int uses_start(void) {
  pthread_t t;
  if (start(&t) != 0)
    return -1;
  return pthread_join(t, NULL);
}

int uses_start_badly(int fail) {
  pthread_t t;
  if (start(&t) != 0)
    return -1;
  // INFERRED: wrappers.c:[[@LINE-2]]:7: warning: thread started by 'start' into 't' is neither joined nor detached on some path [thread-leak]
  if (fail)
    return -2;
  // INFERRED: wrappers.c:[[@LINE-1]]:5: note: 't' is lost when 'uses_start_badly' returns here
  // INFERRED: wrappers.c:12:41: note: the thread is created here, in 'start'
  return pthread_join(t, NULL);
}

#ifdef USE_MODEL
// A library we only have the header of: the model file says what it does.
typedef struct fiber fiber_t;
int fiber_spawn(fiber_t **f, void (*fn)(void *), void *arg);
int fiber_wait(fiber_t *f);
void body(void *arg);

int fibers(int fail) {
  fiber_t *a, *b;
  if (fiber_spawn(&a, body, 0) != 0)
    return -1;
  // MODEL: wrappers.c:[[@LINE-2]]:7: warning: thread created into 'a' is neither joined nor detached on some path [thread-leak]
  // MODEL: wrappers.c:[[@LINE+4]]:5: note: 'a' is lost when 'fibers' returns here
  fiber_spawn(&b, body, 0);
  // MODEL: wrappers.c:[[@LINE-1]]:3: warning: thread created into 'b' is neither joined nor detached on some path [thread-leak]
  if (fail)
    return -1;
  // MODEL: wrappers.c:[[@LINE-1]]:5: note: 'b' is lost when 'fibers' returns here
  fiber_wait(a);
  fiber_wait(b);
  return 0;
}
#endif
