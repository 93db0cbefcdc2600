// A pool's thread_init, called in a loop, allocates each thread's object
// into a slot its caller gives it (`*slot = malloc(...)`: points-to names
// the object by the caller's call site), fills it and then starts the
// thread on it. Every call makes a new object, so the filling races with
// none of the threads earlier calls started: they got other objects and
// read only their own through their argument. Still reported: a fill
// after the create; a fill through a slot that may hold an earlier call's
// object (spare_init allocates only into an empty slot); a thread reading
// another thread's object through a pointer kept in its own (t->next).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct pool;
struct thread { struct pool *pool; int id, late, reused, peer; struct thread *next; pthread_t tid; };
struct pool { struct thread **threads, **spare; int alive; pthread_mutex_t m; };

static void *thread_do(struct thread *t) {
  struct pool *p = t->pool;
  pthread_mutex_lock(&p->m);
  p->alive += t->id + t->late + t->next->peer;
  pthread_mutex_unlock(&p->m);
  return NULL;
}

static void *spare_do(struct thread *t) {
  struct pool *p = t->pool;
  pthread_mutex_lock(&p->m);
  p->alive += t->reused;
  pthread_mutex_unlock(&p->m);
  return NULL;
}

static int thread_init(struct pool *p, struct thread **slot, int id) {
  *slot = malloc(sizeof(struct thread));
  if (!*slot)
    return -1;
  (*slot)->pool = p;
  (*slot)->id = id;
  (*slot)->peer = id;
  // CHECK: factory-fill.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 77:5)->peer': write in 'thread_init' (the main thread) and read in 'thread_do' (thread 'thread_do'), with no lock held at both [data-race]
  // CHECK-NEXT: factory-fill.c:21:33: note: the conflicting read in 'thread_do' (thread 'thread_do'), holding 't->pool->m'
  // CHECK-NEXT: factory-fill.c:[[@LINE-3]]:3: note: the write here holds no lock
  (*slot)->next = *slot; /* the last one reads its own peer */
  if (id)
    p->threads[id - 1]->next = *slot;
  pthread_create(&(*slot)->tid, NULL, (void *(*)(void *))thread_do, *slot);
  pthread_detach((*slot)->tid);
  (*slot)->late = 1;
  // CHECK: factory-fill.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 77:5)->late': write in 'thread_init' (the main thread) and read in 'thread_do' (thread 'thread_do'), with no lock held at both [data-race]
  // CHECK-NEXT: factory-fill.c:21:23: note: the conflicting read in 'thread_do' (thread 'thread_do'), holding 't->pool->m'
  // CHECK-NEXT: factory-fill.c:[[@LINE-3]]:3: note: the write here holds no lock
  return 0;
}

static void spare_init(struct pool *p, struct thread **slot) {
  if (!*slot)
    *slot = malloc(sizeof(struct thread));
  (*slot)->pool = p;
  // CHECK: factory-fill.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 80:5)->pool': write in 'spare_init' (the main thread) and read in 'spare_do' (thread 'spare_do'), with no lock held at both [data-race]
  // CHECK-NEXT: factory-fill.c:27:20: note: the conflicting read in 'spare_do' (thread 'spare_do'), holding no lock
  // CHECK-NEXT: factory-fill.c:[[@LINE-3]]:3: note: the write here holds no lock
  (*slot)->reused = 1;
  // CHECK: factory-fill.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 80:5)->reused': write in 'spare_init' (the main thread) and read in 'spare_do' (thread 'spare_do'), with no lock held at both [data-race]
  // CHECK-NEXT: factory-fill.c:29:15: note: the conflicting read in 'spare_do' (thread 'spare_do'), holding 't->pool->m'
  // CHECK-NEXT: factory-fill.c:[[@LINE-3]]:3: note: the write here holds no lock
  pthread_create(&(*slot)->tid, NULL, (void *(*)(void *))spare_do, *slot);
  pthread_detach((*slot)->tid);
}

struct pool *pool_new(int n) {
  struct pool *p = malloc(sizeof *p);
  p->alive = 0;
  pthread_mutex_init(&p->m, NULL);
  p->threads = malloc((size_t)n * sizeof *p->threads);
  for (int i = 0; i < n; i++)
    thread_init(p, &p->threads[i], i);
  p->spare = calloc((size_t)n, sizeof *p->spare);
  for (int i = 0; i < n; i++)
    spare_init(p, &p->spare[i]);
  return p;
}

int main(void) {
  pool_new(4);
  return 0;
}
