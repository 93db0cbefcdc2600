// Locking switched by a flag: the branches that lock and unlock, and the
// code that sets the flag before a call, are correlated through the same
// global or field across calls (conditions travel with summary effects).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int use_lock;
static inline void my_lock(void) { if (use_lock) pthread_mutex_lock(&m); }
static inline void my_unlock(void) { if (use_lock) pthread_mutex_unlock(&m); }

// No code between the two calls writes use_lock: balanced.
int counter;
void bump(void) {
  my_lock();
  counter++;
  my_unlock();
}
void bump_twice(void) {
  my_lock();
  counter++;
  my_unlock();
  my_lock();
  counter++;
  my_unlock();
}

// A field flag set by the caller before a call excludes the callee's path
// that takes the lock (mosquitto's in_callback).
struct conn { pthread_mutex_t cb_mutex; bool in_callback; int queued; };
static void flush(struct conn *c) {
  pthread_mutex_lock(&c->cb_mutex);
  c->queued = 0;
  pthread_mutex_unlock(&c->cb_mutex);
}
void queue_packet(struct conn *c) {
  c->queued++;
  if (!c->in_callback)
    flush(c);
}
void callback(struct conn *c) {
  pthread_mutex_lock(&c->cb_mutex);
  c->in_callback = true;
  queue_packet(c); /* in_callback is set: flush is not reached */
  c->in_callback = false;
  pthread_mutex_unlock(&c->cb_mutex);
}
// Without the flag the same call deadlocks on cb_mutex.
void callback_unflagged(struct conn *c) {
  pthread_mutex_lock(&c->cb_mutex);
  c->in_callback = false;
  queue_packet(c);
  // CHECK: flags.c:[[@LINE-1]]:3: warning: 'c->cb_mutex' is acquired by 'queue_packet' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'c->cb_mutex' is first acquired here
  // CHECK-NEXT: note: 'flush' acquires it again here
  pthread_mutex_unlock(&c->cb_mutex);
}
