// A mutex wrapped twice by value (nng: nni_mtx holds nni_plat_mtx holds a
// pthread mutex, each field named `mtx`): `l->mtx.mtx.mtx` repeats a field
// name with no pointer between, which is not a recursive structure, so
// the lock keeps its own name instead of becoming every such mutex.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

typedef struct { pthread_mutex_t mtx; } plat_mtx;
typedef struct { plat_mtx mtx; } nni_mtx;
void plat_lock(plat_mtx *m) { pthread_mutex_lock(&m->mtx); }
void plat_unlock(plat_mtx *m) { pthread_mutex_unlock(&m->mtx); }
void nni_mtx_lock(nni_mtx *m) { plat_lock(&m->mtx); }
void nni_mtx_unlock(nni_mtx *m) { plat_unlock(&m->mtx); }

struct expire_q { nni_mtx eq_mtx; int n; };
struct aio { struct expire_q *q; int result; };
struct listener { nni_mtx mtx; int closed; struct aio *first; };

void aio_finish(struct aio *aio, int rv) {
  struct expire_q *eq = aio->q;
  nni_mtx_lock(&eq->eq_mtx);
  aio->result = rv;
  nni_mtx_unlock(&eq->eq_mtx);
}

// The listener's mutex, then an expiry queue's: two locks.
void listener_close(struct listener *l) {
  nni_mtx_lock(&l->mtx);
  l->closed = 1;
  aio_finish(l->first, -1);
  nni_mtx_unlock(&l->mtx);
}

// The same wrapped mutex twice is still a self-deadlock.
void listener_twice(struct listener *l) {
  nni_mtx_lock(&l->mtx);
  nni_mtx_lock(&l->mtx);
  // CHECK: embedded-wrapper.c:[[@LINE-1]]:3: warning: 'l->mtx.mtx.mtx' is acquired by 'nni_mtx_lock' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK: embedded-wrapper.c:[[@LINE-3]]:3: note: 'l->mtx.mtx.mtx' is first acquired here
  // CHECK: embedded-wrapper.c:12:33: note: 'nni_mtx_lock' acquires it again here
  nni_mtx_unlock(&l->mtx);
  nni_mtx_unlock(&l->mtx);
}

// A list walked through `next` pointers stays one class of lock.
struct node { nni_mtx mtx; struct node *next; };
void walk(struct node *n) {
  nni_mtx_lock(&n->next->next->next->next->next->mtx);
  nni_mtx_unlock(&n->next->next->next->next->next->mtx);
}
