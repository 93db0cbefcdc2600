// A local pointer the code reaches through is not null from there on (had
// it been, the program would have crashed), so a later test of it is
// decided: haproxy's peer state machine takes `curpeer->lock` in one state
// and, in the next, locks it only `if (!curpeer)`. A test that can hold
// after the lock still reports. Knowing it only this way is not knowing
// what a callee may have stored there (`*poh = NULL`), nor a value the
// function returns.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct peer { pthread_mutex_t lock; int n; };
struct app { struct peer *peer; int st; };

int serve(struct app *a, int fast) {
  struct peer *cur = 0;
  if (fast) {
    cur = a->peer;
    pthread_mutex_lock(&cur->lock);
  }
  if (!cur) {
    cur = a->peer;
    pthread_mutex_lock(&cur->lock);
  }
  cur->n++;
  pthread_mutex_unlock(&cur->lock);
  return 0;
}

int serve_twice(struct app *a, int fast) {
  struct peer *cur = 0;
  if (fast) {
    cur = a->peer;
    pthread_mutex_lock(&cur->lock);
  }
  if (cur) {
    cur->n++;
    pthread_mutex_lock(&cur->lock);
    // CHECK: deref-nonnull.c:[[@LINE-1]]:5: warning: 'cur->lock' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
    // CHECK-NEXT: deref-nonnull.c:[[@LINE-6]]:5: note: 'cur->lock' is first acquired here
  }
  return 0;
}

// The lock a wrapper returns holding with the object it found: still held
// by the caller however the pointer is known not null.
struct peer *peer_hold(struct app *a) {
  struct peer *p = a->peer;
  pthread_mutex_lock(&p->lock);
  return p;
}

void peer_bump(struct app *a) {
  struct peer *p = peer_hold(a);
  p->n++;
  pthread_mutex_unlock(&p->lock);
}
