// Ordering that excludes a race: a value written before a send and read
// after the receive; data written before a condition variable's mutex is
// taken to signal, read after a wait on it; data filled before a mutex
// that publishes it, read after taking it; a routine pthread_once runs.
// The same shapes without the hand-off race.
// RUN: not %tv %s -- -I%S/../channels/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include "chan.h"

chan_t *ready_ch, *started_ch;
long payload, payload_unsent, count;

static void *producer(void *arg) {
  payload = 42;
  count = 3;
  chan_close(started_ch); // a receive returns once it is closed
  chan_send(ready_ch, NULL);
  payload_unsent = 1;
  // CHECK: handoff.c:[[@LINE-1]]:3: warning: data race on 'payload_unsent': write in 'producer' (thread 'producer') and read in 'consumer' (thread 'consumer'), with no lock held at both [data-race]
  // CHECK-NEXT: handoff.c:[[@LINE+11]]:8: note: the conflicting read in 'consumer' (thread 'consumer'), holding no lock
  // CHECK-NEXT: handoff.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static long v0;
static void *consumer(void *arg) {
  chan_recv(started_ch, NULL);
  v0 = count;
  chan_recv(ready_ch, NULL);
  long v = payload;
  v += payload_unsent;
  return (void *)v;
}

/* A condition variable: the data is written outside the mutex, before the
 * signaller takes it; the waiter reads after waiting under it. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done;
static long result, result_early;

static void *compute(void *arg) {
  result = 7;
  pthread_mutex_lock(&mu);
  done = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  result_early = 1;
  // CHECK: handoff.c:[[@LINE-1]]:3: warning: data race on 'result_early': write in 'compute' (thread 'compute') and read in 'await_result' (thread 'await_result'), with no lock held at both [data-race]
  // CHECK-NEXT: handoff.c:[[@LINE+10]]:28: note: the conflicting read in 'await_result' (thread 'await_result'), holding no lock
  // CHECK-NEXT: handoff.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void *await_result(void *arg) {
  pthread_mutex_lock(&mu);
  while (!done)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return (void *)(result + result_early);
}

/* A queue under a mutex: the config is filled before the lock that
 * publishes it, and read after the lock that takes it; the statistics
 * are read without taking the lock. */
static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static struct { int level; } config;
static int queued;
static long stats;

static void publish(int level) {
  config.level = level;
  stats++;
  pthread_mutex_lock(&qmu);
  queued = 1;
  pthread_mutex_unlock(&qmu);
}

static void *publisher(void *arg) {
  publish(3);
  return arg;
}

static void *taker(void *arg) {
  long s = stats;
  // CHECK: handoff.c:[[@LINE-13]]:3: warning: data race on 'stats': write in 'publish' (thread 'publisher') and read in 'taker' (thread 'taker'), with no lock held at both [data-race]
  // CHECK-NEXT: handoff.c:[[@LINE-2]]:12: note: the conflicting read in 'taker' (thread 'taker'), holding no lock
  // CHECK-NEXT: handoff.c:[[@LINE-15]]:3: note: the write here holds no lock
  pthread_mutex_lock(&qmu);
  int ready = queued;
  pthread_mutex_unlock(&qmu);
  return (void *)(long)(ready ? config.level + s : s);
}

/* pthread_once: the routine runs once, before any caller goes on. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int table[4], table_ready;
static void init_table(void) {
  table[0] = 1;
  table_ready = 1;
}
static void *lookup(void *arg) {
  pthread_once(&once, init_table);
  return (void *)(long)(table[0] + table_ready);
}

int main(void) {
  pthread_t t[8];
  ready_ch = chan_make(1);
  started_ch = chan_make(0);
  pthread_create(&t[0], NULL, producer, NULL);
  pthread_create(&t[1], NULL, consumer, NULL);
  pthread_create(&t[2], NULL, compute, NULL);
  pthread_create(&t[3], NULL, await_result, NULL);
  pthread_create(&t[4], NULL, lookup, NULL);
  pthread_create(&t[5], NULL, lookup, NULL);
  pthread_create(&t[6], NULL, publisher, NULL);
  pthread_create(&t[7], NULL, taker, NULL);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], NULL);
  return 0;
}
