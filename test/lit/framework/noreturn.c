// PASS_NORETURN: a helper whose every path ends the process ends its
// caller's path too, for every rule family; one that may return does not.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s --check-prefix=IR
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) { return arg; }

static void die(const char *why) {
  fprintf(stderr, "%s\n", why);
  exit(1);
}
// IR-LABEL: function die(why) static line 12
// IR-NEXT: never returns

// Mutual recursion that never returns, and a wrapper of a wrapper.
static void spin_b(int n);
static void spin_a(int n) { spin_b(n + 1); }
static void spin_b(int n) { spin_a(n - 1); }
static void fatal(void) { die("fatal"); }
// IR-LABEL: function spin_a(n) static
// IR-NEXT: never returns
// IR-LABEL: function spin_b(n) static
// IR-NEXT: never returns
// IR-LABEL: function fatal() static
// IR-NEXT: never returns

// Exits only sometimes: it returns.
static void check(int bad) {
  if (bad)
    exit(2);
}
// IR-LABEL: function check(bad) static
// IR-NOT: never returns
// IR: ret

// lock-held-at-exit: the return after die() is never reached.
int locked_die(int x) {
  pthread_mutex_lock(&m);
  if (x < 0) {
    die("negative");
    return -1;
  }
  pthread_mutex_unlock(&m);
  return 0;
}

int locked_fatal(int x) {
  pthread_mutex_lock(&m);
  if (x < 0) {
    fatal();
    return -1;
  }
  pthread_mutex_unlock(&m);
  return 0;
}

// The same through a helper that may return: the bug is real.
int locked_check(int x) {
  pthread_mutex_lock(&m);
  if (x < 0) {
    check(x);
    return -1;
  }
  // CHECK: noreturn.c:[[@LINE-2]]:5: warning: 'm' is still held when 'locked_check' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: note: 'm' is acquired here
  // CHECK-NEXT: note: other paths release it before returning, like this one
  pthread_mutex_unlock(&m);
  return 0;
}

// thread-leak agrees: no leak past die(), a leak past check().
int spawn_die(int x) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL))
    return -1;
  if (x < 0)
    die("spawn");
  return pthread_join(t, NULL);
}

int spawn_check(int x) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL))
    return -1;
  // CHECK: noreturn.c:[[@LINE-2]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: note: 't' is lost when 'spawn_check' returns here
  if (x < 0) {
    check(x);
    return -1;
  }
  return pthread_join(t, NULL);
}
