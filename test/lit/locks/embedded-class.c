// A lock wrapper embedded by value in many structs (`struct mutex {
// pthread_mutex_t m; }` in a socket and in a pipe) is as many lock classes
// as the fields that embed it: a lock returned held by one function and
// one taken after it are told apart by the embedding field (`struct
// sock.mx.m`, `struct pipe.mx.m`), not taken for one class (`struct
// mutex.m`) and so for a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct mutex { pthread_mutex_t m; };
static void mutex_lock(struct mutex *x) { pthread_mutex_lock(&x->m); }
static void mutex_unlock(struct mutex *x) { pthread_mutex_unlock(&x->m); }

struct sock { struct mutex mx; int n; };
struct pipe { struct mutex mx; int n; };
struct sock *sock_find(int id);
struct pipe *pipe_find(int id);

struct sock *sock_hold(int id) {
  struct sock *s = sock_find(id);
  mutex_lock(&s->mx);
  return s;
}

struct pipe *pipe_hold(int id) {
  struct pipe *p = pipe_find(id);
  mutex_lock(&p->mx);
  return p;
}

void copy_count(int id) {
  struct sock *s = sock_hold(id);
  struct pipe *p = pipe_hold(id);
  p->n = s->n;
  mutex_unlock(&p->mx);
  mutex_unlock(&s->mx);
}

// The other order: a cycle between the two classes.
void copy_back(int id) {
  struct pipe *p = pipe_hold(id);
  struct sock *s = sock_hold(id);
  s->n = p->n;
  mutex_unlock(&s->mx);
  mutex_unlock(&p->mx);
}
// CHECK: embedded-class.c:42:20: warning: lock order inversion: 'p->mx.m' then 's->mx.m' here, 's->mx.m' then 'p->mx.m' in 'copy_count' (potential deadlock) [lock-order-inversion]
// CHECK: embedded-class.c:41:20: note: 'p->mx.m' acquired here
// CHECK: embedded-class.c:42:20: note: 's->mx.m' acquired here while 'p->mx.m' is held
// CHECK: embedded-class.c:32:20: note: 's->mx.m' acquired here
// CHECK: embedded-class.c:33:20: note: 'p->mx.m' acquired here while 's->mx.m' is held
