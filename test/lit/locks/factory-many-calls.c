// A factory called from more places than a points-to set keeps (40 here,
// nats.c's natsMutex_Create from every struct with a mutex): each call's
// mutex is its own object, and what the factory does to its mutex (makes
// it recursive) holds for each. Re-entering any of them through an entry
// point's parameter is fine; the same with a default-mutex factory is a
// self-deadlock. Before, the factory's parameter pointed to too many
// objects and its store went to an arbitrary 32 of them.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

typedef pthread_mutex_t mutex_t;

static int recursive_create(mutex_t **out) {
  pthread_mutexattr_t attr;
  mutex_t *m = calloc(1, sizeof *m);
  if (!m) return -1;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  *out = m;
  return 0;
}

static int plain_create(mutex_t **out) {
  mutex_t *m = calloc(1, sizeof *m);
  if (!m) return -1;
  pthread_mutex_init(m, NULL);
  *out = m;
  return 0;
}

static void lock(mutex_t *m) { pthread_mutex_lock(m); }
static void unlock(mutex_t *m) { pthread_mutex_unlock(m); }

#define OBJECT(N)                                                              \
  struct obj##N { mutex_t *mu; int n; };                                       \
  struct obj##N *obj##N##_new(void) {                                          \
    struct obj##N *o = calloc(1, sizeof *o);                                   \
    if (o && recursive_create(&o->mu)) return NULL;                            \
    return o;                                                                  \
  }                                                                            \
  static void obj##N##_bump(struct obj##N *o) { lock(o->mu); o->n++; unlock(o->mu); } \
  void obj##N##_process(struct obj##N *o) { lock(o->mu); obj##N##_bump(o); unlock(o->mu); }
#define TEN(P) OBJECT(P##0) OBJECT(P##1) OBJECT(P##2) OBJECT(P##3) OBJECT(P##4) \
               OBJECT(P##5) OBJECT(P##6) OBJECT(P##7) OBJECT(P##8) OBJECT(P##9)
TEN(1) TEN(2) TEN(3) TEN(4)

// The same shape with the default-mutex factory: a self-deadlock.
struct plain { mutex_t *mu; int n; };
struct plain *plain_new(void) {
  struct plain *p = calloc(1, sizeof *p);
  if (p && plain_create(&p->mu)) return NULL;
  return p;
}
static void plain_bump(struct plain *p) { lock(p->mu); p->n++; unlock(p->mu); }
void plain_process(struct plain *p) {
  lock(p->mu);
  plain_bump(p);
  // CHECK: factory-many-calls.c:[[@LINE-1]]:3: warning: '*p->mu' is acquired by 'plain_bump' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: factory-many-calls.c:[[@LINE-3]]:3: note: '*p->mu' is first acquired here
  // CHECK-NEXT: factory-many-calls.c:[[@LINE-6]]:43: note: 'plain_bump' acquires it again here
  unlock(p->mu);
}
