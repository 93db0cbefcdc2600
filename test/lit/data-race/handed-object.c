// Ownership by object, not by routine: an engine starts its I/O threads on
// the slots of an array, then fills a background thread's object and
// starts one more thread of the same routine on it. The threads already
// running got other objects, so the filling races with none of them, and
// only the one thread started on it touches it (also when an allocator
// wrapper made it). A write after that create races with the thread, and
// so does a second create of the object.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct engine;
struct worker { struct engine *e; long jobs; int late; };
struct engine { struct worker *slots, *bg; int nslots; };

static void *io_thread(void *arg) {
  struct worker *me = arg;
  struct engine *e = me->e;
  me->jobs++;
  return (void *)(long)(e->nslots + me->late);
}

static void *xcalloc(size_t n, size_t size) { /* an allocator wrapper */
  void *p = calloc(n, size);
  if (!p)
    abort();
  return p;
}

struct engine *engine_new(int n) {
  pthread_t t;
  struct engine *e = calloc(1, sizeof *e);
  e->slots = calloc((size_t)n, sizeof *e->slots);
  e->nslots = n;
  for (int i = 0; i < n; i++) {
    e->slots[i].e = e;
    pthread_create(&t, NULL, io_thread, &e->slots[i]);
    pthread_detach(t);
  }
  e->bg = xcalloc(1, sizeof *e->bg);
  e->bg->e = e;
  e->bg->jobs = 0;
  pthread_create(&t, NULL, io_thread, e->bg);
  pthread_detach(t);
  e->bg->late = 1;
  // CHECK: handed-object.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 24:13)->late': write in 'engine_new' (the main thread) and read in 'io_thread' (thread 'io_thread'), with no lock held at both [data-race]
  // CHECK-NEXT: handed-object.c:[[@LINE-27]]:37: note: the conflicting read in 'io_thread' (thread 'io_thread'), holding no lock
  // CHECK-NEXT: handed-object.c:[[@LINE-3]]:3: note: the write here holds no lock
  return e;
}

struct job { long done; };

static void *runner(void *arg) {
  struct job *j = arg;
  j->done++;
  // CHECK: handed-object.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 66:19)->done': write in 'runner' (thread 'runner', several at once) and write in 'runner' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: handed-object.c:[[@LINE-2]]:3: note: the conflicting write in 'runner' (thread 'runner'), holding no lock
  // CHECK-NEXT: handed-object.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t a, b;
  engine_new(4);
  struct job *j = calloc(1, sizeof *j);
  pthread_create(&a, NULL, runner, j);
  pthread_create(&b, NULL, runner, j);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
