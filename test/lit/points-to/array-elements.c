// Array elements: one object per constant index, and one for the rest.
// `locks[0]` and `locks[1]` are two locks (their inversion is found, the
// same element taken twice is a self-deadlock); `locks[k]` may be any
// element, so it meets `locks[2]`. Elements by variable indexes stay one
// summary object: taking two of them is not a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

pthread_mutex_t locks[4];
pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
int k;

void *t1(void *arg) {
  pthread_mutex_lock(&locks[0]);
  pthread_mutex_lock(&locks[1]);
  pthread_mutex_unlock(&locks[1]);
  pthread_mutex_unlock(&locks[0]);
  pthread_mutex_lock(&locks[2]);
  pthread_mutex_lock(&g);
  pthread_mutex_unlock(&g);
  pthread_mutex_unlock(&locks[2]);
  return arg;
}
void *t2(void *arg) {
  pthread_mutex_lock(&locks[1]);
  pthread_mutex_lock(&locks[0]);
  pthread_mutex_unlock(&locks[0]);
  pthread_mutex_unlock(&locks[1]);
  pthread_mutex_lock(&g);
  pthread_mutex_lock(&locks[k]);
  pthread_mutex_unlock(&locks[k]);
  pthread_mutex_unlock(&g);
  return arg;
}
// CHECK: array-elements.c:26:3: warning: lock order inversion: 'locks[1]' then 'locks[0]' here, 'locks[0]' then 'locks[1]' in 't1' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: array-elements.c:25:3: note: 'locks[1]' acquired here
// CHECK-NEXT: array-elements.c:26:3: note: 'locks[0]' acquired here while 'locks[1]' is held
// CHECK-NEXT: array-elements.c:14:3: note: 'locks[0]' acquired here
// CHECK-NEXT: array-elements.c:15:3: note: 'locks[1]' acquired here while 'locks[0]' is held
// CHECK: array-elements.c:30:3: warning: lock order inversion: 'g' then 'locks[k]' here, 'locks[2]' then 'g' in 't1' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: array-elements.c:29:3: note: 'g' acquired here
// CHECK-NEXT: array-elements.c:30:3: note: 'locks[k]' acquired here while 'g' is held
// CHECK-NEXT: array-elements.c:18:3: note: 'locks[2]' acquired here
// CHECK-NEXT: array-elements.c:19:3: note: 'g' acquired here while 'locks[2]' is held

void twice(void) {
  pthread_mutex_lock(&locks[3]);
  pthread_mutex_lock(&locks[3]);
  pthread_mutex_unlock(&locks[3]);
  pthread_mutex_unlock(&locks[3]);
}
// CHECK: array-elements.c:[[@LINE-4]]:3: warning: 'locks[3]' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: array-elements.c:[[@LINE-6]]:3: note: 'locks[3]' is first acquired here

void pair(int i, int j) {
  pthread_mutex_lock(&locks[i]);
  pthread_mutex_lock(&locks[j]);
  pthread_mutex_unlock(&locks[j]);
  pthread_mutex_unlock(&locks[i]);
}

int main(void) {
  pthread_t a, b;
  for (int i = 0; i < 4; i++) pthread_mutex_init(&locks[i], NULL);
  pthread_create(&a, NULL, t1, NULL);
  pthread_create(&b, NULL, t2, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  twice();
  pair(0, 1);
  return 0;
}
