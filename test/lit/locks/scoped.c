// Scoped releases: pthread_cleanup_push/pop and __attribute__((cleanup)).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int counter;

static void unlock_it(void *p) { pthread_mutex_unlock(p); }
static void guard_release(pthread_mutex_t **g) { pthread_mutex_unlock(*g); }

void cleanup_handler(void) {
  pthread_mutex_lock(&m);
  pthread_cleanup_push(unlock_it, &m);
  counter++;
  pthread_cleanup_pop(1);
}

void cleanup_unlock_directly(void) {
  pthread_mutex_lock(&m);
  pthread_cleanup_push((void (*)(void *))pthread_mutex_unlock, &m);
  counter++;
  pthread_cleanup_pop(1);
}

int guarded(int x) {
  __attribute__((cleanup(guard_release))) pthread_mutex_t *held = &m;
  pthread_mutex_lock(held);
  if (x)
    return -1;
  counter += x;
  return 0;
}

// pop(0) does not run the handler: only cancellation would unlock.
void popped_without_running(void) {
  pthread_mutex_lock(&m);
  pthread_cleanup_push(unlock_it, &m);
  counter++;
  pthread_cleanup_pop(0);
}
// CHECK: scoped.c:[[@LINE-1]]:1: warning: 'm' is still held when 'popped_without_running' returns here, but released on other paths [lock-held-at-exit]
// CHECK-NEXT: scoped.c:[[@LINE-6]]:3: note: 'm' is acquired here
// CHECK-NEXT: scoped.c:[[@LINE-6]]:3: note: other paths release it before returning, like this one

void *thread(void *arg) {
  cleanup_handler();
  cleanup_unlock_directly();
  guarded(1);
  guarded(0);
  return arg;
}
