// Two objects locked in an order chosen by comparing them (a key field, or
// their addresses; in a branch or through `c ? x : y`) are in one
// consistent order: silent. Locked in the caller's order, they invert.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct acct { int id; pthread_mutex_t mu; long bal; };
struct acct A = {1, PTHREAD_MUTEX_INITIALIZER, 0}, B = {2, PTHREAD_MUTEX_INITIALIZER, 0};

void by_key(struct acct *x, struct acct *y, long n) {
  if (x->id < y->id) {
    pthread_mutex_lock(&x->mu);
    pthread_mutex_lock(&y->mu);
  } else {
    pthread_mutex_lock(&y->mu);
    pthread_mutex_lock(&x->mu);
  }
  x->bal -= n, y->bal += n;
  pthread_mutex_unlock(&x->mu);
  pthread_mutex_unlock(&y->mu);
}

void by_address(struct acct *x, struct acct *y, long n) {
  struct acct *first = x < y ? x : y, *second = x < y ? y : x;
  pthread_mutex_lock(&first->mu);
  pthread_mutex_lock(&second->mu);
  x->bal -= n, y->bal += n;
  pthread_mutex_unlock(&second->mu);
  pthread_mutex_unlock(&first->mu);
}

void as_given(struct acct *x, struct acct *y, long n) {
  pthread_mutex_lock(&x->mu);
  pthread_mutex_lock(&y->mu);
  x->bal -= n, y->bal += n;
  pthread_mutex_unlock(&y->mu);
  pthread_mutex_unlock(&x->mu);
}
// CHECK: comparison-order.c:34:3: warning: lock order inversion: 'x->mu' then 'y->mu' here, 'x->mu' then 'y->mu' in 'as_given' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: comparison-order.c:33:3: note: 'x->mu' acquired here
// CHECK-NEXT: comparison-order.c:34:3: note: 'y->mu' acquired here while 'x->mu' is held
// CHECK-NEXT: comparison-order.c:33:3: note: 'x->mu' acquired here
// CHECK-NEXT: comparison-order.c:34:3: note: 'y->mu' acquired here while 'x->mu' is held

void *one_way(void *arg) {
  by_key(&A, &B, 1);
  by_address(&A, &B, 1);
  as_given(&A, &B, 1);
  return arg;
}
void *other_way(void *arg) {
  by_key(&B, &A, 1);
  by_address(&B, &A, 1);
  as_given(&B, &A, 1);
  return arg;
}
int main(void) {
  pthread_t x, y;
  pthread_create(&x, NULL, one_way, NULL);
  pthread_create(&y, NULL, other_way, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
