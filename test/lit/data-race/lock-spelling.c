// A lock's class is known by how each function spells the lock: `$0*.m`
// in a routine taking a `struct a *` is not the `$0*.m` of one taking a
// `struct b *` (the two locks are different, and `total` races), and a
// local only ever given the argument (`struct pool *p = arg`) spells the
// lock the locksets call `$0*.m`; a lock wrapper's lock is its caller's
// by the caller's argument. Where points-to does not know the pool (an
// unseen function returns it), the class says the main thread holds the
// same lock: `pooled` and `wrapped` do not race.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct a { pthread_mutex_t m; int x; };
struct b { pthread_mutex_t m; int y; };
struct pool { pthread_mutex_t m; int n; };
static long total, pooled, wrapped;
struct pool *pool_get(void);

static void *wa(struct a *p) {
  pthread_mutex_lock(&p->m);
  total++;
  // CHECK: lock-spelling.c:[[@LINE-1]]:3: warning: data race on 'total': write in 'wa' (thread 'wa') and write in 'wb' (thread 'wb'), with no lock held at both [data-race]
  // CHECK-NEXT: lock-spelling.c:[[@LINE+8]]:3: note: the conflicting write in 'wb' (thread 'wb'), holding 'struct b.m'
  // CHECK-NEXT: lock-spelling.c:[[@LINE-3]]:3: note: the write here holds 'struct a.m'
  pthread_mutex_unlock(&p->m);
  return NULL;
}

static void *wb(struct b *p) {
  pthread_mutex_lock(&p->m);
  total++;
  pthread_mutex_unlock(&p->m);
  return NULL;
}

static void pool_lock(struct pool *p) { pthread_mutex_lock(&p->m); }
static void pool_unlock(struct pool *p) { pthread_mutex_unlock(&p->m); }

static void *worker(void *arg) {
  struct pool *p = arg;
  pthread_mutex_lock(&p->m);
  pooled++;
  pthread_mutex_unlock(&p->m);
  pool_lock(p);
  wrapped++;
  pool_unlock(p);
  return NULL;
}

int main(void) {
  pthread_t t1, t2, t3;
  struct a *x = calloc(1, sizeof *x);
  struct b *y = calloc(1, sizeof *y);
  struct pool *q = pool_get();
  pthread_mutex_init(&x->m, NULL);
  pthread_mutex_init(&y->m, NULL);
  pthread_create(&t1, NULL, (void *(*)(void *))wa, x);
  pthread_create(&t2, NULL, (void *(*)(void *))wb, y);
  pthread_create(&t3, NULL, worker, q);
  pthread_mutex_lock(&q->m);
  pooled++;
  wrapped++;
  pthread_mutex_unlock(&q->m);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_join(t3, NULL);
  return 0;
}
