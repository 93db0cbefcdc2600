// A local copied from a parameter's field points where that field does:
// `il = lck->priv; lock(&il->mtx)` takes the argument's `lck->priv->mtx`
// (Varnish's `struct lock` around a private `struct ilck`), and
// `ep = p->ep; lock(&ep->mtx); ... unlock(&p->ep->mtx)` releases what it
// took (nng's ipc_pipe_nego_cb). A later store to the field leaves the
// local naming what it named (`d = ws->dialer; lock(&d->mtx);
// ws->dialer = NULL; unlock(&d->mtx)`). A lock reached through a wrapper
// embedded in its owner (`&oh->mtx`) is that owner's field's class, so two
// owners' locks are two classes.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct ilck { unsigned magic; pthread_mutex_t mtx; };
struct lock { void *priv; };
void Lck_Lock(struct lock *lck) {
  struct ilck *il = lck->priv;
  pthread_mutex_lock(&il->mtx);
}
void Lck_Unlock(struct lock *lck) {
  struct ilck *il = lck->priv;
  pthread_mutex_unlock(&il->mtx);
}

struct objhead { struct lock mtx; int refs; };
struct ban { struct lock mtx; int n; };
struct objhead *oh_find(int);
struct ban *ban_find(int);

// An objhead's lock, then a ban's: two classes, not one lock taken twice.
void ban_check(int id) {
  struct objhead *oh = oh_find(id);
  struct ban *b = ban_find(id);
  Lck_Lock(&oh->mtx);
  Lck_Lock(&b->mtx);
  b->n += oh->refs;
  Lck_Unlock(&b->mtx);
  Lck_Unlock(&oh->mtx);
}

struct ep { pthread_mutex_t mtx; int busy; };
struct pipe { struct ep *ep; int state; };
void nego_cb(struct pipe *p) {
  struct ep *ep = p->ep;
  pthread_mutex_lock(&ep->mtx);
  ep->busy = 0;
  pthread_mutex_unlock(&p->ep->mtx);
}

struct dialer { pthread_mutex_t mtx; int pending; };
struct ws { struct dialer *dialer; };
void dial_done(struct ws *ws) {
  struct dialer *d = ws->dialer;
  pthread_mutex_lock(&d->mtx);
  ws->dialer = 0;
  d->pending--;
  pthread_mutex_unlock(&d->mtx);
}

// The other order of ban_check's: a cycle between the two classes.
void ban_expire(int id) {
  struct objhead *oh = oh_find(id);
  struct ban *b = ban_find(id);
  Lck_Lock(&b->mtx);
  Lck_Lock(&oh->mtx);
  oh->refs--;
  Lck_Unlock(&oh->mtx);
  Lck_Unlock(&b->mtx);
}
// CHECK: field-alias.c:64:3: warning: lock order inversion: 'b->mtx.priv->mtx' then 'oh->mtx.priv->mtx' here, 'oh->mtx.priv->mtx' then 'b->mtx.priv->mtx' in 'ban_check' (potential deadlock) [lock-order-inversion]
// CHECK: field-alias.c:63:3: note: 'b->mtx.priv->mtx' acquired here
// CHECK: field-alias.c:64:3: note: 'oh->mtx.priv->mtx' acquired here while 'b->mtx.priv->mtx' is held
// CHECK: field-alias.c:33:3: note: 'oh->mtx.priv->mtx' acquired here
// CHECK: field-alias.c:34:3: note: 'b->mtx.priv->mtx' acquired here while 'oh->mtx.priv->mtx' is held
