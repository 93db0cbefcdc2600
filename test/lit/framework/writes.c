// What a call may store to. A path keeps what it learnt of memory across
// calls (tests of one flag stay correlated), except what the callee, or a
// function it calls, stores to: a unit test checks a count, calls a
// function that clears it, and checks it again (librdkafka's
// ut_mock_txn_partition_add_and_clear); keeping the first value made the
// passing path, the one that unlocks, impossible, and the test a lock
// wrapper returning holding its mutex. Now the failing check's return is
// the only one holding it: reported. A callee that stores elsewhere, or
// only to its own frame, leaves the flag known: the correlated unlock is
// silent.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct txn { int cnt; int locked; int other; };
pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void reset(struct txn *t) { t->cnt = 0; }
void txn_clear(struct txn *t) { reset(t); } /* through a callee */

int check_clear(struct txn *t) {
  pthread_mutex_lock(&mu);
  if (t->cnt != 3) return 1;
  txn_clear(t);
  if (t->cnt != 0) return 1;
  pthread_mutex_unlock(&mu);
  return 0;
}
// CHECK: writes.c:[[@LINE-6]]:20: warning: 'mu' is still held when 'check_clear' returns here, but released on other paths [lock-held-at-exit]
// CHECK-NEXT: writes.c:[[@LINE-8]]:3: note: 'mu' is acquired here
// CHECK-NEXT: writes.c:[[@LINE-4]]:3: note: other paths release it before returning, like this one

/* Negative: work() stores to another field and to its own locals. */
void work(struct txn *t) {
  int n = t->cnt;
  n++;
  t->other = n;
}

void correlated(struct txn *t) {
  if (t->locked) pthread_mutex_lock(&mu);
  work(t);
  if (t->locked) pthread_mutex_unlock(&mu);
}

int all(struct txn *t) {
  int r = check_clear(t);
  correlated(t);
  return r;
}
