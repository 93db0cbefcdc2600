// Memory reached through a shared object's fields: a queue every worker
// gets through its argument, guarded by its own mutex for one field and
// not for another; a local whose address main gives to its workers; a
// routine started once (one instance: no race with itself) against one
// started at two sites.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct queue {
  pthread_mutex_t mu;
  int len;
  int drops;
};

static void *worker(void *arg) {
  struct queue *q = arg;
  pthread_mutex_lock(&q->mu);
  q->len++;
  pthread_mutex_unlock(&q->mu);
  q->drops++;
  // CHECK: shared-objects.c:[[@LINE-1]]:3: warning: data race on 'q.drops': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: shared-objects.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: shared-objects.c:[[@LINE-3]]:3: note: the write here holds no lock
  return NULL;
}

struct state { long ticks; } *g_state;
static long once_count, twice_count;

static void *ticker(void *arg) {
  g_state->ticks++; // one ticker thread, reached through a global pointer: silent
  once_count++;
  return arg;
}

static void *twice(void *arg) {
  twice_count = 1;
  // CHECK: shared-objects.c:[[@LINE-1]]:3: warning: data race on 'twice_count': write in 'twice' (thread 'twice', several at once) and write in 'twice' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: shared-objects.c:[[@LINE-2]]:3: note: the conflicting write in 'twice' (thread 'twice'), holding no lock
  // CHECK-NEXT: shared-objects.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  struct queue q = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
  static struct state st;
  pthread_t t[5];
  g_state = &st;
  pthread_create(&t[0], NULL, worker, &q);
  pthread_create(&t[1], NULL, worker, &q);
  pthread_create(&t[2], NULL, ticker, NULL);
  pthread_create(&t[3], NULL, twice, NULL);
  pthread_create(&t[4], NULL, twice, NULL);
  for (int i = 0; i < 5; i++)
    pthread_join(t[i], NULL);
  return q.len + q.drops;
}
