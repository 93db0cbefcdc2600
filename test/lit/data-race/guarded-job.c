// A read ordered through a state flag (see guarded-read.c) stays ordered
// when the jobs a worker runs past the flag's test add jobs themselves:
// a worker sets 'empty' to 0 only after it saw it 0. A worker that adds a
// job before that test may set it first, and its read of 'limit' races
// with the pool's write after the creates.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

typedef void (*job_fn)(void *);

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int empty, busy, limit;
  job_fn fn;
  void *arg;
};

struct eager {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int empty, busy, limit;
};

static void submit(struct pool *p, job_fn fn, void *arg) {
  pthread_mutex_lock(&p->mu);
  p->fn = fn, p->arg = arg;
  p->empty = 0;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg) {
  struct pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->empty || p->busy >= p->limit)
      pthread_cond_wait(&p->cv, &p->mu);
    job_fn fn = p->fn;
    void *a = p->arg;
    p->empty = 1;
    p->busy++;
    pthread_mutex_unlock(&p->mu);
    fn(a);
  }
  return NULL;
}

static struct pool *pool_new(int n) {
  struct pool *p = calloc(1, sizeof *p);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  p->empty = 1;
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, worker, p);
    pthread_detach(t);
  }
  p->limit = n;
  return p;
}

static void eager_add(struct eager *e) {
  pthread_mutex_lock(&e->mu);
  e->empty = 0;
  pthread_mutex_unlock(&e->mu);
}

static void *eager_worker(void *arg) {
  struct eager *e = arg;
  eager_add(e);
  pthread_mutex_lock(&e->mu);
  while (e->empty || e->busy >= e->limit)
    pthread_cond_wait(&e->cv, &e->mu);
  pthread_mutex_unlock(&e->mu);
  return NULL;
}

static struct eager *eager_new(void) {
  struct eager *e = calloc(1, sizeof *e);
  pthread_mutex_init(&e->mu, NULL);
  pthread_cond_init(&e->cv, NULL);
  e->empty = 1;
  pthread_t t;
  pthread_create(&t, NULL, eager_worker, e);
  pthread_detach(t);
  e->limit = 1;
  // CHECK: guarded-job.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 81:21)->limit': write in 'eager_new' (the main thread) and read in 'eager_worker' (thread 'eager_worker'), with no lock held at both [data-race]
  // CHECK-NEXT: guarded-job.c:74:33: note: the conflicting read in 'eager_worker' (thread 'eager_worker'), holding 'struct eager.mu'
  // CHECK-NEXT: guarded-job.c:[[@LINE-3]]:3: note: the write here holds no lock
  return e;
}

static void chain(void *arg) { submit(arg, chain, arg); }

int main(void) {
  struct pool *p = pool_new(2);
  submit(p, chain, p);
  eager_new();
  pthread_exit(NULL);
}
