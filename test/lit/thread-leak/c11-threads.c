// C11 <threads.h>: thrd_create / thrd_join / thrd_detach, thrd_success.
// RUN: not %tv %s -- -std=c11 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <threads.h>

int run(void *arg) { (void)arg; return 0; }

int joined(void) {
  thrd_t t;
  if (thrd_create(&t, run, NULL) != thrd_success)
    return -1;
  return thrd_join(t, NULL);
}

int detached(void) {
  thrd_t t;
  if (thrd_create(&t, run, NULL) == thrd_success)
    thrd_detach(t);
  return 0;
}

int leaked(int fail) {
  thrd_t t;
  if (thrd_create(&t, run, NULL) != thrd_success)
    return -1;
  // CHECK: c11-threads.c:[[@LINE-2]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  if (fail)
    return -2;
  // CHECK: c11-threads.c:[[@LINE-1]]:5: note: 't' is lost when 'leaked' returns here
  return thrd_join(t, NULL);
}

static int self_detach(void *arg) {
  thrd_detach(thrd_current());
  return arg != 0;
}

void fire_and_forget(void) {
  thrd_t t;
  thrd_create(&t, self_detach, NULL);
}
