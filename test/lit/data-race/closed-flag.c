// A "closed" field of the object that holds the handle: 0 where the
// thread is created, set to a constant but 0 only by the function that
// then joins it. A second call that finds it set returns early: the thread
// was joined by the first, so what follows a call of it comes after the
// thread. A field another function sets without joining says nothing.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct crew { pthread_t th; int closed; long done; };

static void *crew_work(void *arg) {
  struct crew *c = arg;
  c->done++;
  return NULL;
}

static void crew_start(struct crew *c) {
  c->closed = 0;
  pthread_create(&c->th, NULL, crew_work, c);
}

static void crew_join(struct crew *c) {
  if (c->closed)
    return;
  c->closed = 1;
  pthread_join(c->th, NULL);
}

struct pool { pthread_t th; int closed; long done; };

static void *pool_work(void *arg) {
  struct pool *p = arg;
  p->done++;
  // CHECK: closed-flag.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[@LINE+26]]:14)->done': write in 'pool_work' (thread 'pool_work') and read in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: closed-flag.c:[[@LINE+32]]:33: note: the conflicting read in 'main' (the main thread), holding no lock
  // CHECK-NEXT: closed-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  return NULL;
}

static void pool_start(struct pool *p) {
  p->closed = 0;
  pthread_create(&p->th, NULL, pool_work, p);
}

static void pool_close(struct pool *p) { p->closed = 1; }

static void pool_join(struct pool *p) {
  if (p->closed)
    return;
  p->closed = 1;
  pthread_join(p->th, NULL);
}

static struct crew *the_crew;
static struct pool *the_pool;

int main(int argc, char **argv) {
  (void)argv;
  the_crew = calloc(1, sizeof(struct crew));
  the_pool = calloc(1, sizeof(struct pool));
  crew_start(the_crew);
  pool_start(the_pool);
  if (argc > 1)
    pool_close(the_pool);
  crew_join(the_crew);
  pool_join(the_pool);
  return (int)(the_crew->done + the_pool->done);
}
