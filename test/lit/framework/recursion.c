// Summaries of a recursive cycle are iterated until they settle, so a call
// into the caller's own cycle is not unknown code.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --summaries %s -- | FileCheck %s --check-prefix=SUM
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

// f holds a while g takes b; g holds b while f takes a: each order is
// only visible through the other function's summary. (And f, through g,
// takes a again while holding it: a real self-deadlock for n >= 2.)
void g(int n);
void f(int n) {
  pthread_mutex_lock(&a);
  if (n > 0)
    g(n - 1);
  // CHECK: recursion.c:[[@LINE-1]]:5: warning: 'a' is acquired by 'g' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'a' is first acquired here
  // CHECK-NEXT: note: 'f' acquires it again here
  pthread_mutex_unlock(&a);
}
void g(int n) {
  pthread_mutex_lock(&b);
  // CHECK: recursion.c:[[@LINE-1]]:3: warning: lock order inversion: 'a' then 'b' here, 'b' then 'a' in 'f' (potential deadlock) [lock-order-inversion]
  // CHECK-COUNT-4: note:
  if (n > 0)
    f(n - 1);
  // CHECK: recursion.c:[[@LINE-1]]:5: warning: 'b' is acquired by 'f' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-COUNT-2: note:
  pthread_mutex_unlock(&b);
}

static void *t1(void *arg) { f(3); return arg; }
static void *t2(void *arg) { g(3); return arg; }
int main(void) {
  pthread_t x, y;
  pthread_create(&x, NULL, t1, NULL);
  pthread_create(&y, NULL, t2, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
// SUM-LABEL: locks summary of g:
// SUM-NEXT:   acquires b
// SUM-NEXT:   acquires a
// SUM-LABEL: locks summary of f:
// SUM-NEXT:   acquires a
// SUM-NEXT:   acquires b

// A recursive joiner: its summary says it joins what its argument holds.
static void *work(void *p) { return p; }
static void join_all(pthread_t *t, int n) {
  if (n == 0)
    return;
  pthread_join(t[0], NULL);
  join_all(t + 1, n - 1);
}
// SUM-LABEL: threads summary of join_all:
// SUM-NEXT:   joins t[]
int spawn_two(void) {
  pthread_t t[2];
  pthread_create(&t[0], NULL, work, NULL);
  pthread_create(&t[1], NULL, work, NULL);
  join_all(t, 2);
  return 0;
}
