// One identity scheme for findings: the rule, then the functions and
// objects involved, named as a run could name them (no lines, no paths, no
// variable names a run cannot see); a cycle's locks in sorted order.
// RUN: not %tv-sarif %s -- > %t.sarif
// RUN: %sarif-query %t.sarif result[*].ruleId result[*].properties.identity | FileCheck %s
// Renaming the handle and moving the code keep every identity.
// RUN: sed -e 's/\<t\>/renamed/g' -e '1s/^/\/\/ moved\n\/\/ down\n/' %s > %t.c
// RUN: not %tv-sarif %t.c -- > %t2.sarif
// RUN: %sarif-query %t2.sarif result[*].properties.identity | FileCheck %s --check-prefix=SAME
#include <pthread.h>

struct queue { pthread_mutex_t mu; int n; };
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) { return arg; }

int leak(void) {
  pthread_t t;
  return pthread_create(&t, NULL, work, NULL);
}
int held(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  if (q->n == 0)
    return -1;
  pthread_mutex_unlock(&q->mu);
  return 0;
}
static void *ab(void *arg) {
  pthread_mutex_lock(&a); pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b); pthread_mutex_unlock(&a);
  return arg;
}
static void *ba(void *arg) {
  pthread_mutex_lock(&b); pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a); pthread_mutex_unlock(&b);
  return arg;
}
int main(void) {
  pthread_t x, y;
  pthread_create(&x, NULL, ab, NULL);
  pthread_create(&y, NULL, ba, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
// CHECK:      result[0].ruleId=thread-leak
// CHECK-NEXT: result[1].ruleId=lock-held-at-exit
// CHECK-NEXT: result[2].ruleId=lock-order-inversion
// CHECK-NEXT: result[0].properties.identity=thread-leak|fn:leak|start:work
// CHECK-NEXT: result[1].properties.identity=lock-held-at-exit|fn:held|lock:field:struct queue.mu
// CHECK-NEXT: result[2].properties.identity=lock-order-inversion|lock:global:a|lock:global:b
// SAME:      result[0].properties.identity=thread-leak|fn:leak|start:work
// SAME-NEXT: result[1].properties.identity=lock-held-at-exit|fn:held|lock:field:struct queue.mu
// SAME-NEXT: result[2].properties.identity=lock-order-inversion|lock:global:a|lock:global:b
