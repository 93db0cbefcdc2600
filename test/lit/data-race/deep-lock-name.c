// A lock the thread reaches through its argument more than one pointer
// deep (`thread->pool->mu`) has no class in the locksets: a note names it
// as the start routine spells it, never "holds no lock" for an access that
// holds it. The race is still one: the main thread reads without a lock.
// RUN: not %tv --enable data-race %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t mu;
  volatile int alive;
};
struct worker {
  struct pool *pool;
};

static void count_in(struct pool *q) { q->alive += 1; }
// CHECK: deep-lock-name.c:[[@LINE-1]]:40: warning: data race on '(memory allocated at [[@LINE+14]]:20)->alive': write in 'count_in' (thread 'work') and read in 'main' (the main thread), with no lock held at both [data-race]
// CHECK-NEXT: deep-lock-name.c:[[@LINE+21]]:10: note: the conflicting read in 'main' (the main thread), holding no lock
// CHECK-NEXT: deep-lock-name.c:[[@LINE-3]]:40: note: the write here holds 'w->pool->mu'

static void *work(void *w) {
  struct worker *self = w;
  struct pool *p = self->pool;
  pthread_mutex_lock(&p->mu);
  count_in(p);
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int main(void) {
  struct pool *p = calloc(1, sizeof *p);
  struct worker *w = malloc(sizeof *w);
  if (!p || !w)
    return 1;
  pthread_mutex_init(&p->mu, NULL);
  w->pool = p;
  pthread_t id;
  pthread_create(&id, NULL, work, w);
  while (p->alive != 1) {
  }
  pthread_join(id, NULL);
  return 0;
}
