// lock-order-inversion: two threads take a and b in opposite orders (one
// after the other: the run does not hang, TSan sees the cycle). The
// identity is the static family's: the cycle's locks, sorted.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/lo
// RUN: %expect-exit 1 %tvrun -- %t/lo 2> %t/err
// RUN: FileCheck %s < %t/err
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/lo.sarif -- %t/lo
// RUN: %check-sarif %t/lo.sarif | FileCheck %s --check-prefix=SARIF
// RUN: %sarif-query %t/lo.sarif 'result[0].relatedLocations[*].message.text' | FileCheck %s --check-prefix=RELATED
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static void ab(void) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  // CHECK: lock-order.c:[[@LINE-1]]:3: warning: lock order inversion: 'a' then 'b' here, 'b' then 'a' in 'ba' (potential deadlock) [lock-order-inversion]
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}

static void ba(void) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
}

static void *worker(void *arg) {
  ba();
  return arg;
}

int main(void) {
  pthread_t t;
  ab();
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  return 0;
}
// CHECK: note: [main thread] acquires 'a' (pthread_mutex_lock)
// CHECK: note: [main thread] acquires 'b' (pthread_mutex_lock)
// SARIF: RESULT rule=lock-order-inversion identity=lock-order-inversion|lock:global:a|lock:global:b count=1 threads=2
// RELATED: 'a' acquired here
// RELATED: 'b' acquired here while 'a' is held (main thread)
// RELATED: 'b' acquired here
// RELATED: 'a' acquired here while 'b' is held (thread T1 (worker))
