// A recursive cycle whose lock wrappers log their own failures through the
// logger that takes the lock (coturn's turn_mutex_lock/unlock and
// turn_log_func_default). In the cycle's first round the unlock wrapper's
// summary is not known yet; read as "does nothing", it made the logger
// return holding the lock, and that hold fed itself round after round
// (three false reports). Summaries that need no unfinished one are settled
// first, so the logger balances its lock; a logger that really returns
// holding it on one path is still reported, there and only there.
// RUN: %expect-exit 0 %tv %s -- 2>&1 | count 0
// RUN: not %tv %s -- -DLEAK 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t log_mu;
static FILE *out;
void log_msg(const char *msg);

static void log_lock(void) {
  if (pthread_mutex_lock(&log_mu) != 0) log_msg("lock failed");
}

static void log_unlock(void) {
  if (pthread_mutex_unlock(&log_mu) != 0) log_msg("unlock failed");
}

static void open_log(void) {
  if (!out) {
    out = fopen("log", "a");
    if (out) log_msg("log opened"); /* under the lock: it is recursive */
  }
}

void log_msg(const char *msg) {
  log_lock();
  // CHECK: recursion-release.c:[[@LINE+5]]:13: warning: 'log_mu' is still held when 'log_msg' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: recursion-release.c:[[@LINE-2]]:3: note: 'log_mu' is acquired here
  // CHECK-NEXT: recursion-release.c:[[@LINE+7]]:1: note: other paths release it before returning, like this one
  open_log();
#ifdef LEAK
  if (!out) return;
#endif
  if (out) fputs(msg, out);
  log_unlock();
}

static void *worker(void *arg) {
  log_msg("worker");
  return arg;
}

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&log_mu, &a);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  log_msg("main");
  pthread_join(t, NULL);
  return 0;
}
