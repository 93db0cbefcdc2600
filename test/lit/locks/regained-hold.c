// A function called with its object's lock held that, in one mode only,
// lets the lock go around a call and takes it again (librdkafka's
// rd_kafka_broker_set_state: `unlock(rkb); notify(); lock(rkb);` when a
// state change must be broadcast). Its callers still hold the lock after
// it on every path: the retaking is the caller's hold given back, under
// the conditions of its release (not of its returns, which may know less
// by then), not a lock the function returns holding.
// A caller that holds the lock is silent whatever the mode; one that does
// takes another lock after it and calls the releasing mode has the
// retaking ordered after that lock, and a function that returns holding a
// lock of its own still counts as taking it.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct broker { pthread_mutex_t lock; int state; };
void broadcast(void);

void set_state(struct broker *b, int state) {
  int notify = 0;
  if (b->state == state) return;
  if (state == 1 && b->state != 1) notify = 1;
  b->state = state;
  if (notify) {
    pthread_mutex_unlock(&b->lock); /* lock order: broadcast takes others */
    broadcast();
    pthread_mutex_lock(&b->lock);
  }
}

/* Negative: held around both modes of set_state. */
void fail(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  set_state(b, 0);
  pthread_mutex_unlock(&b->lock);
}

void up(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  set_state(b, 1);
  pthread_mutex_unlock(&b->lock);
}

void either(struct broker *b, int s) {
  pthread_mutex_lock(&b->lock);
  set_state(b, s);
  set_state(b, 0);
  pthread_mutex_unlock(&b->lock);
}

/* Negative: after retaking the lock, a call stores to the field the
 * release's condition reads (the returns no longer know it); the hold
 * given back still goes with the release's conditions, so a caller that
 * knows the state is not the releasing one still holds the lock once. */
void refresh(struct broker *b) { b->state = b->state + 0; }

void set_state2(struct broker *b, int state) {
  int notify = 0;
  if (b->state == state) return;
  if (state == 1 && b->state != 1) notify = 1;
  b->state = state;
  if (notify) {
    pthread_mutex_unlock(&b->lock);
    broadcast();
    pthread_mutex_lock(&b->lock);
  }
  refresh(b);
}

void known_state(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  if (b->state == 2) set_state2(b, 1);
  pthread_mutex_unlock(&b->lock);
}

/* Positive: the releasing mode retakes the lock while the caller holds
 * another, taken after it: two threads here can deadlock (one retaking
 * b->lock holding m, the other holding b->lock and waiting for m). */
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void nested_up(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  pthread_mutex_lock(&m);
  set_state(b, 1);
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&b->lock);
}
// CHECK: regained-hold.c:[[@LINE-4]]:3: warning: lock order inversion: 'm' then 'b->lock' here, 'b->lock' then 'm' in 'nested_up' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: regained-hold.c:[[@LINE-6]]:3: note: 'm' acquired here
// CHECK-NEXT: regained-hold.c:[[@LINE-6]]:3: note: 'b->lock' acquired here while 'm' is held
// CHECK-NEXT: regained-hold.c:[[@LINE-9]]:3: note: 'b->lock' acquired here
// CHECK-NEXT: regained-hold.c:[[@LINE-9]]:3: note: 'm' acquired here while 'b->lock' is held

/* Positive: a function that takes the lock for itself and returns holding
 * it, called while the lock is held. */
void take(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  b->state = 2;
}
// CHECK: regained-hold.c:[[@LINE-1]]:1: warning: 'b->lock' is still held when 'take' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: regained-hold.c:[[@LINE-4]]:3: note: 'b->lock' is acquired here

void twice(struct broker *b) {
  pthread_mutex_lock(&b->lock);
  take(b);
  pthread_mutex_unlock(&b->lock);
}
// CHECK: regained-hold.c:[[@LINE-3]]:3: warning: 'b->lock' is acquired by 'take' while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: regained-hold.c:[[@LINE-5]]:3: note: 'b->lock' is first acquired here
// CHECK-NEXT: regained-hold.c:{{[0-9]+}}:3: note: 'take' acquires it again here
