// Mutexes made by a factory (`mutex_create(&obj->mu)`, nats.c's
// natsMutex_Create) are heap objects; when the factory makes every one
// recursive, a field whose pointers all lead to such objects names
// recursive mutexes, even in a function whose object points-to cannot
// follow (an entry point's parameter). A field that may also hold a
// default mutex does not.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

typedef pthread_mutex_t mutex_t;

static int mutex_create(mutex_t **out) {
  mutex_t *m = calloc(1, sizeof *m);
  if (!m) return -1;
  pthread_mutex_init(m, NULL);
  *out = m;
  return 0;
}

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

static void lock(mutex_t *m) { pthread_mutex_lock(m); }
static void unlock(mutex_t *m) { pthread_mutex_unlock(m); }

// Every 'conn.mu' is recursive: re-entering is fine.
struct conn { mutex_t *mu; int n; };
int conn_new(struct conn **out) {
  struct conn *c = calloc(1, sizeof *c);
  if (!c || recursive_create(&c->mu)) return -1;
  *out = c;
  return 0;
}
static void conn_bump(struct conn *c) { lock(c->mu); c->n++; unlock(c->mu); }
void conn_process(struct conn *c) { lock(c->mu); conn_bump(c); unlock(c->mu); }

// 'sub.mu' may hold a default mutex too (either factory): the same
// re-entry is a self-deadlock.
struct sub { mutex_t *mu; int n; };
int sub_new(struct sub **out, int plain) {
  struct sub *s = calloc(1, sizeof *s);
  if (!s || (plain ? mutex_create(&s->mu) : recursive_create(&s->mu))) return -1;
  *out = s;
  return 0;
}
static void sub_bump(struct sub *s) { lock(s->mu); s->n++; unlock(s->mu); }
void sub_process(struct sub *s) {
  lock(s->mu);
  sub_bump(s);
  // CHECK: recursive-factory.c:[[@LINE-1]]:3: warning: '*s->mu' is acquired by 'sub_bump' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: recursive-factory.c:[[@LINE-3]]:3: note: '*s->mu' is first acquired here
  // CHECK-NEXT: recursive-factory.c:[[@LINE-6]]:39: note: 'sub_bump' acquires it again here
  unlock(s->mu);
}
