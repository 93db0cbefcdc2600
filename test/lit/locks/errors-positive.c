// POSIX thread functions return 0 or a positive error number, never a
// negative value (rules/models/pthreads.yaml: `errors: positive`), so a
// test for a negative result never holds. coturn's turn_mutex_lock logs
// `if (ret < 0)` after pthread_mutex_lock: that branch cannot run, and
// what it would do (take the log's lock while the caller holds another)
// must not order locks. The same test of `!= 0` can hold (EDEADLK,
// EINVAL...): that order is real.
// RUN: %expect-exit 0 %tv %s -- 2>&1 | count 0
// RUN: not %tv %s -- -DFAILS 2>&1 | FileCheck %s --check-prefix=FAILS --implicit-check-not=warning: --implicit-check-not=note:
// A user model says it for its own functions; `errors: any` (the default)
// leaves the branch possible.
// RUN: %expect-exit 0 %tv --models %S/Inputs/errors-positive.yaml %s -- -DWRAPPED 2>&1 | count 0
// RUN: not %tv --models %S/Inputs/errors-any.yaml %s -- -DWRAPPED 2>&1 | FileCheck %s --check-prefix=FAILS --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %expect-exit 2 %tv --models %S/Inputs/errors-bad.yaml %s -- 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: threadvet: error: {{.*}}errors-bad.yaml:1:9: 'errors' must be 'positive' (it returns 0 or a positive error number, never a negative value) or 'any'
#include <pthread.h>
#include <stdio.h>

#ifdef WRAPPED
int my_lock(pthread_mutex_t *m);
int my_unlock(pthread_mutex_t *m);
#define LOCK my_lock
#define UNLOCK my_unlock
#else
#define LOCK pthread_mutex_lock
#define UNLOCK pthread_mutex_unlock
#endif

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int n;

static void log_msg(const char *s) {
  LOCK(&log_mu);
  fputs(s, stderr);
  UNLOCK(&log_mu);
}

static int lock_a(void) {
  int rc = LOCK(&a);
#ifdef FAILS
  if (rc != 0) log_msg("cannot lock a");
#else
  if (rc < 0) log_msg("cannot lock a");
#endif
  return rc;
}

static void *first(void *arg) {
  LOCK(&b);
  if (lock_a() == 0) {
    n++;
    UNLOCK(&a);
  }
  UNLOCK(&b);
  return arg;
}

static void *second(void *arg) {
  LOCK(&log_mu);
  LOCK(&b);
  // FAILS: errors-positive.c:[[@LINE-1]]:3: warning: lock order inversion: 'log_mu' then 'b' here, 'b' then 'log_mu' in 'log_msg' (potential deadlock) [lock-order-inversion]
  // FAILS-NEXT: errors-positive.c:[[@LINE-3]]:3: note: 'log_mu' acquired here
  // FAILS-NEXT: errors-positive.c:[[@LINE-3]]:3: note: 'b' acquired here while 'log_mu' is held
  // FAILS-NEXT: errors-positive.c:[[@LINE-15]]:3: note: 'b' acquired here
  // FAILS-NEXT: errors-positive.c:[[@LINE-32]]:3: note: 'log_mu' acquired here while 'b' is held
  n--;
  UNLOCK(&b);
  UNLOCK(&log_mu);
  return arg;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, 0, first, 0);
  pthread_create(&t2, 0, second, 0);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  return 0;
}
