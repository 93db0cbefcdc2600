// Objects only one thread reaches are not shared: memory each worker
// allocates for itself (through a helper, the same allocation site for
// every worker), a global only one thread (a single instance) touches.
// Shared, and racing: the same global read by main while that thread
// runs, and memory a thread allocates and publishes through a global.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct buf { int n; };

static struct buf *new_buf(void) { return calloc(1, sizeof(struct buf)); }

static long logger_lines, logger_seen;
static struct buf *published;

static void *worker(void *arg) {
  struct buf *b = new_buf();
  b->n++; // every worker's own buffer: silent
  free(b);
  return arg;
}

static void *logger(void *arg) {
  logger_lines++; // only this thread: silent
  logger_seen++;
  // CHECK: one-thread.c:[[@LINE-1]]:3: warning: data race on 'logger_seen': write in 'logger' (thread 'logger') and read in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: one-thread.c:[[@LINE+23]]:15: note: the conflicting read in 'main' (the main thread), holding no lock
  // CHECK-NEXT: one-thread.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void *maker(void *arg) {
  struct buf *b = new_buf();
  published = b;
  // CHECK: one-thread.c:[[@LINE-1]]:3: warning: data race on 'published': write in 'maker' (thread 'maker') and read in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: one-thread.c:[[@LINE+15]]:11: note: the conflicting read in 'main' (the main thread), holding no lock
  // CHECK-NEXT: one-thread.c:[[@LINE-3]]:3: note: the write here holds no lock
  b->n = 2;
  // CHECK: one-thread.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[@LINE-6]]:19)->n': write in 'maker' (thread 'maker') and read in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: one-thread.c:[[@LINE+11]]:23: note: the conflicting read in 'main' (the main thread), holding no lock
  // CHECK-NEXT: one-thread.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t t[4], l, m;
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, worker, 0);
  pthread_create(&l, 0, logger, 0);
  pthread_create(&m, 0, maker, 0);
  long seen = logger_seen;
  int n = published ? published->n : 0;
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  pthread_join(l, 0);
  pthread_join(m, 0);
  return (int)seen + n;
}
