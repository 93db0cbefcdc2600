// Summaries of a recursive cycle are iterated until they settle, so a call
// into the caller's own cycle is not unknown code.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --summaries %s -- | FileCheck %s --check-prefix=SUM
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

// f holds a while g takes b; g holds b while f takes a: each order is
// only visible through the other function's summary. The two locks are
// taken only by this recursive cycle: they form one group, and the cycle
// is one finding (a cycle of 1,000 such functions is one finding too).
void g(int n);
void f(int n) {
  pthread_mutex_lock(&a);
  // CHECK: recursion.c:[[@LINE-1]]:3: warning: lock order cycle: 'b' then 'a' here, inside the recursive calls of 'g', which take 2 locks in a circle (potential deadlock) [lock-order-inversion]
  // CHECK-NEXT: note: 'b' acquired here
  // CHECK-NEXT: note: 'a' acquired here while 'b' is held
  if (n > 0)
    g(n - 1);
  pthread_mutex_unlock(&a);
}
void g(int n) {
  pthread_mutex_lock(&b);
  if (n > 0)
    f(n - 1);
  pthread_mutex_unlock(&b);
}

// One recursive function and one lock: a plain self-deadlock.
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
void walk(int n) {
  pthread_mutex_lock(&c);
  if (n > 0)
    walk(n - 1);
  // CHECK: recursion.c:[[@LINE-1]]:5: warning: 'c' is acquired by 'walk' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'c' is first acquired here
  // CHECK-NEXT: note: 'walk' acquires it again here
  pthread_mutex_unlock(&c);
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
// SUM-NEXT:   acquires the locks of a recursive cycle (g)
// SUM-LABEL: locks summary of f:
// SUM-NEXT:   acquires the locks of a recursive cycle (g)
// SUM-LABEL: locks summary of walk:
// SUM-NEXT:   acquires c

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
