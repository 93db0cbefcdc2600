// Locks behind global pointers that main sets to heap mutexes it
// initialises, and behind a heap context a thread gets as its argument:
// the inversions are found, and the context's locks are named by what
// they point to.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t *ga, *gb;
static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;
struct ctx { pthread_mutex_t *in, *out; };

static void *ab(void *arg) {
  pthread_mutex_lock(ga);
  pthread_mutex_lock(gb);
  pthread_mutex_unlock(gb);
  pthread_mutex_unlock(ga);
  return arg;
}
static void *ba(void *arg) {
  pthread_mutex_lock(gb);
  pthread_mutex_lock(ga);
  pthread_mutex_unlock(ga);
  pthread_mutex_unlock(gb);
  return arg;
}
// CHECK: heap-globals.c:22:3: warning: lock order inversion: 'gb' then 'ga' here, 'ga' then 'gb' in 'ab' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: heap-globals.c:21:3: note: 'gb' acquired here
// CHECK-NEXT: heap-globals.c:22:3: note: 'ga' acquired here while 'gb' is held
// CHECK-NEXT: heap-globals.c:14:3: note: 'ga' acquired here
// CHECK-NEXT: heap-globals.c:15:3: note: 'gb' acquired here while 'ga' is held

static void *up(void *arg) {
  struct ctx *c = arg;
  pthread_mutex_lock(c->in);
  pthread_mutex_lock(c->out);
  pthread_mutex_unlock(c->out);
  pthread_mutex_unlock(c->in);
  return NULL;
}
static void *down(void *arg) {
  pthread_mutex_lock(&m2);
  pthread_mutex_lock(&m1);
  pthread_mutex_unlock(&m1);
  pthread_mutex_unlock(&m2);
  return arg;
}
// CHECK: heap-globals.c:43:3: warning: lock order inversion: 'm2' then 'm1' here, '*c->in' (that is 'm1') then '*c->out' (that is 'm2') in 'up' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: heap-globals.c:42:3: note: 'm2' acquired here
// CHECK-NEXT: heap-globals.c:43:3: note: 'm1' acquired here while 'm2' is held
// CHECK-NEXT: heap-globals.c:35:3: note: '*c->in' (that is 'm1') acquired here
// CHECK-NEXT: heap-globals.c:36:3: note: '*c->out' (that is 'm2') acquired here while '*c->in' (that is 'm1') is held

int main(void) {
  pthread_t t[4];
  ga = malloc(sizeof *ga);
  gb = malloc(sizeof *gb);
  pthread_mutex_init(ga, NULL);
  pthread_mutex_init(gb, NULL);
  struct ctx *c = malloc(sizeof *c);
  c->in = &m1;
  c->out = &m2;
  pthread_create(&t[0], NULL, ab, NULL);
  pthread_create(&t[1], NULL, ba, NULL);
  pthread_create(&t[2], NULL, up, c);
  pthread_create(&t[3], NULL, down, NULL);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  free(c);
  return 0;
}
