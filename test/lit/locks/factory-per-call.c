// A factory that allocates a mutex and stores it through its parameter
// (`mutex_create(&t->mu)`, nats.c's natsMutex_Create) makes a different
// mutex at each call: the points-to object is the call site's, not the
// factory's one allocation, so the mutexes of different structs are not
// one lock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

typedef pthread_mutex_t mutex_t;
static mutex_t glob = PTHREAD_MUTEX_INITIALIZER;

static void mutex_lock(mutex_t *m) { pthread_mutex_lock(m); }
static void mutex_unlock(mutex_t *m) { pthread_mutex_unlock(m); }

static int mutex_create(mutex_t **out) {
  mutex_t *m = calloc(1, sizeof *m);
  if (!m) return -1;
  pthread_mutex_init(m, NULL);
  *out = m;
  return 0;
}

struct timer { mutex_t *mu; int n; };
struct buf { mutex_t *mu; int n; };

struct timer *timer_new(void) {
  struct timer *t = calloc(1, sizeof *t);
  if (t && mutex_create(&t->mu)) return NULL;
  return t;
}

struct buf *buf_new(void) {
  struct buf *b = calloc(1, sizeof *b);
  if (b && mutex_create(&b->mu)) return NULL;
  return b;
}

// 'glob' then a timer's mutex here, a buffer's mutex then 'glob' below:
// two different mutexes, no cycle.
void timer_fire(struct timer *t) {
  pthread_mutex_lock(&glob);
  mutex_lock(t->mu);
  t->n++;
  mutex_unlock(t->mu);
  pthread_mutex_unlock(&glob);
}

void buf_flush(struct buf *b) {
  mutex_lock(b->mu);
  pthread_mutex_lock(&glob);
  b->n = 0;
  pthread_mutex_unlock(&glob);
  mutex_unlock(b->mu);
}

// A timer's mutex then 'glob': the inversion with timer_fire is real
// (the mutex is named by the factory's call that made it, line 29).
void timer_stop(struct timer *t) {
  mutex_lock(t->mu);
  pthread_mutex_lock(&glob);
  // CHECK: factory-per-call.c:[[@LINE-1]]:3: warning: lock order inversion: '*t->mu' (that is '(memory allocated at 29:12)') then 'glob' here, 'glob' then '*t->mu' (that is '(memory allocated at 29:12)') in 'timer_fire' (potential deadlock) [lock-order-inversion]
  // CHECK-NEXT: factory-per-call.c:[[@LINE-3]]:3: note: '*t->mu' (that is '(memory allocated at 29:12)') acquired here
  // CHECK-NEXT: factory-per-call.c:[[@LINE-3]]:3: note: 'glob' acquired here while '*t->mu' (that is '(memory allocated at 29:12)') is held
  // CHECK-NEXT: factory-per-call.c:42:3: note: 'glob' acquired here
  // CHECK-NEXT: factory-per-call.c:43:3: note: '*t->mu' (that is '(memory allocated at 29:12)') acquired here while 'glob' is held
  t->n = -1;
  pthread_mutex_unlock(&glob);
  mutex_unlock(t->mu);
}

// Each thread makes its own objects: what their mutexes are is known only
// through points-to (the factory's calls), not through a global's name.
static void *ticker(void *arg) {
  struct timer *t = timer_new();
  struct buf *b = buf_new();
  if (t && b) {
    timer_fire(t);
    buf_flush(b);
  }
  return arg;
}

static void *stopper(void *arg) {
  struct timer *t = timer_new();
  if (t) timer_stop(t);
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, ticker, NULL);
  pthread_create(&b, NULL, stopper, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
