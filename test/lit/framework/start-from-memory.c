// A thread's start routine read from memory (a table of routines, a local
// pointer) is each function stored there: its threads run, and their lock
// orders meet the others'. They were unknown, and the orders those threads
// take were never checked.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;

void *a_then_b(void *p) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return p;
}

/* Positive: started from a table, the other order. */
void *b_then_a(void *p) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return p;
}
// CHECK: start-from-memory.c:[[@LINE-5]]:3: warning: lock order inversion: 'b' then 'a' here, 'a' then 'b' in 'a_then_b' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: start-from-memory.c:[[@LINE-7]]:3: note: 'b' acquired here
// CHECK-NEXT: start-from-memory.c:[[@LINE-7]]:3: note: 'a' acquired here while 'b' is held
// CHECK-NEXT: start-from-memory.c:[[@LINE-18]]:3: note: 'a' acquired here
// CHECK-NEXT: start-from-memory.c:[[@LINE-18]]:3: note: 'b' acquired here while 'a' is held

/* Negative: started through a local pointer; the other order is only
 * stored in a table no create reads, so no thread runs it. */
void *c_then_d(void *p) {
  pthread_mutex_lock(&c);
  pthread_mutex_lock(&d);
  pthread_mutex_unlock(&d);
  pthread_mutex_unlock(&c);
  return p;
}

void *d_then_c(void *p) {
  pthread_mutex_lock(&d);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(&d);
  return p;
}

int main(void) {
  void *(*table[])(void *) = {a_then_b, b_then_a};
  void *(*one)(void *) = c_then_d;
  void *(*spare[])(void *) = {d_then_c};
  (void)spare;
  pthread_t t[4];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, table[i], 0);
  pthread_create(&t[2], 0, one, 0);
  pthread_create(&t[3], 0, one, 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  return 0;
}
