// What a path did to a lock stays known after the last use of the pointer
// it reached the lock through. Unit tests in librdkafka lock a cluster they
// made, bail out early on a failed check (returning 1, still holding it),
// and otherwise unlock, destroy the cluster and return 0 after more code.
// The release on the normal path used to be forgotten with the dead
// pointer: the test looked like a lock wrapper that returns holding when
// its result is 1, and two such tests in a row like one lock taken twice.
// Each early return is the real bug, reported in the test itself.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct cluster { pthread_mutex_t lock; int n; };
struct cluster *cluster_new(void);
void cluster_destroy(struct cluster *c);
void cleanup(void);
extern int verbose;
void report(void);

int test_one(void) {
  struct cluster *c = cluster_new();
  pthread_mutex_lock(&c->lock);
  if (c->n != 0) return 1;
  pthread_mutex_unlock(&c->lock);
  cluster_destroy(c);
  cleanup();
  if (verbose) report();
  return 0;
}
// CHECK: release-outlives-pointer.c:[[@LINE-7]]:18: warning: 'c->lock' is still held when 'test_one' returns here, but released on other paths [lock-held-at-exit]
// CHECK-NEXT: release-outlives-pointer.c:[[@LINE-9]]:3: note: 'c->lock' is acquired here
// CHECK-NEXT: release-outlives-pointer.c:[[@LINE-4]]:3: note: other paths release it before returning, like this one

/* Negative: the same test without the early return. */
int test_two(void) {
  struct cluster *c = cluster_new();
  pthread_mutex_lock(&c->lock);
  c->n = 1;
  pthread_mutex_unlock(&c->lock);
  cluster_destroy(c);
  cleanup();
  if (verbose) report();
  return 0;
}

int all_tests(void) {
  int fails = 0;
  fails += test_one();
  fails += test_one();
  fails += test_two();
  return fails;
}
