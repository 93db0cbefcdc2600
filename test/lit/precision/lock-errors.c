// A lock call that reports failure did not take the lock: the path that
// tests its error holds nothing, directly or through a wrapper that
// returns 0 only when it locked (nginx's ngx_thread_mutex_lock). And a
// lock released and taken again is taken again: a further acquisition
// while it is held is a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdio.h>

struct pool { pthread_mutex_t mu; int waiting; };

int post(struct pool *p) {
  if (pthread_mutex_lock(&p->mu) != 0)
    return -1; /* not taken on this path */
  p->waiting++;
  pthread_mutex_unlock(&p->mu);
  return 0;
}

static int pool_lock(pthread_mutex_t *m) {
  int err = pthread_mutex_lock(m);
  if (err == 0)
    return 0;
  fprintf(stderr, "lock failed: %d\n", err);
  return -1;
}
int post_wrapped(struct pool *p) {
  if (pool_lock(&p->mu) != 0)
    return -1;
  p->waiting++;
  pthread_mutex_unlock(&p->mu);
  return 0;
}

// Still a bug: a later error path returns with the lock held.
int post_full(struct pool *p, int limit) {
  if (pthread_mutex_lock(&p->mu) != 0)
    return -1;
  if (p->waiting >= limit)
    return -2;
  // CHECK: lock-errors.c:[[@LINE-1]]:5: warning: 'p->mu' is still held when 'post_full' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: note: 'p->mu' is acquired here
  // CHECK-NEXT: note: other paths release it before returning, like this one
  p->waiting++;
  pthread_mutex_unlock(&p->mu);
  return 0;
}

// Released, taken again, then taken once more while held (zstd pool.c).
static pthread_mutex_t q = PTHREAD_MUTEX_INITIALIZER;
void relock(void) {
  pthread_mutex_lock(&q);
  pthread_mutex_unlock(&q);
  pthread_mutex_lock(&q);
  pthread_mutex_lock(&q);
  // CHECK: lock-errors.c:[[@LINE-1]]:3: warning: 'q' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'q' is first acquired here
  pthread_mutex_unlock(&q);
  pthread_mutex_unlock(&q);
}
