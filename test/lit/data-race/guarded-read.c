// A read ordered through a state flag: the pool sets 'empty' before it
// starts its workers and 'limit' after; a worker reads 'limit' only once
// 'empty' is 0, which only adding a job (after the pool was made) or the
// worker itself past that test sets. A field a worker reads before that
// test, written after the creates, races.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int empty, busy, limit, head, tail, size;
  long started;
};

static void *worker(void *arg) {
  struct pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    p->started++;
    // CHECK: guarded-read.c:[[@LINE-1]]:5: warning: data race on '(memory allocated at 40:20)->started': write in 'worker' (thread 'worker', several at once) and write in 'pool_new' (the main thread), with no lock held at both [data-race]
    // CHECK-NEXT: guarded-read.c:[[@LINE+28]]:3: note: the conflicting write in 'pool_new' (the main thread), holding no lock
    // CHECK-NEXT: guarded-read.c:[[@LINE-3]]:5: note: the write here holds 'struct pool.mu'
    while (p->empty || p->busy >= p->limit)
      pthread_cond_wait(&p->cv, &p->mu);
    p->head = (p->head + 1) % p->size;
    p->busy++;
    p->empty = p->head == p->tail;
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_lock(&p->mu);
    p->busy--;
    pthread_mutex_unlock(&p->mu);
  }
  return NULL;
}

struct pool *pool_new(int n) {
  pthread_t t;
  struct pool *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  p->size = 8;
  p->empty = 1;
  for (int i = 0; i < n; i++) {
    pthread_create(&t, NULL, worker, p);
    pthread_detach(t);
  }
  p->started = 0;
  p->limit = n;
  return p;
}

void pool_add(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  p->tail = (p->tail + 1) % p->size;
  p->empty = 0;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

int main(void) {
  struct pool *p = pool_new(4);
  pool_add(p);
  return 0;
}
