// Mutex kinds flow to what a pointer may be: a mutex made recursive in
// main and passed to a thread as its argument may be taken twice there;
// a normal one may not. A may set never makes a double acquisition: the
// lock chosen among two and then one of them by name is not reported.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: not %tv %s -- -DNORMAL 2>&1 | FileCheck %s --check-prefix=NORMAL --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static void *worker(void *arg) {
  pthread_mutex_t *m = arg;
  pthread_mutex_lock(m);
  pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
  pthread_mutex_unlock(m);
  return NULL;
}
// NORMAL: recursive-arg.c:12:3: warning: 'm' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// NORMAL-NEXT: recursive-arg.c:11:3: note: 'm' is first acquired here

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
int sel;
static void *maybe_same(void *arg) {
  pthread_mutex_t *m = sel ? &a : &b;
  pthread_mutex_lock(m);
  pthread_mutex_lock(&a); /* m may be a, or not: no finding from a may set */
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(m);
  return arg;
}
static void *surely_same(void *arg) {
  pthread_mutex_t *m = &b;
  pthread_mutex_lock(m);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(m);
  return arg;
}
// CHECK: recursive-arg.c:33:3: warning: 'b' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: recursive-arg.c:32:3: note: 'm' is first acquired here
// NORMAL: recursive-arg.c:33:3: warning: 'b' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// NORMAL-NEXT: recursive-arg.c:32:3: note: 'm' is first acquired here

int main(void) {
  pthread_mutex_t m;
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
#ifndef NORMAL
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
#endif
  pthread_mutex_init(&m, &at);
  pthread_t t[3];
  pthread_create(&t[0], NULL, worker, &m);
  pthread_create(&t[1], NULL, maybe_same, NULL);
  pthread_create(&t[2], NULL, surely_same, NULL);
  for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
  return 0;
}
