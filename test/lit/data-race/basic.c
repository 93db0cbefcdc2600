// Globals and statics shared by main and loop-created workers: a counter
// bumped without a lock races; a locked one, read-only data, main's set-up
// before the creates and its reads after the joins do not.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static long hits;
static long guarded;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static const int limit = 10;
static int config;
long progress;

static void *worker(void *arg) {
  hits++;
  // CHECK: basic.c:[[@LINE-1]]:3: warning: data race on 'hits': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: basic.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: basic.c:[[@LINE-3]]:3: note: the write here holds no lock
  pthread_mutex_lock(&mu);
  guarded += limit + config;
  pthread_mutex_unlock(&mu);
  progress = 1;
  // CHECK: basic.c:[[@LINE-1]]:3: warning: data race on 'progress': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: basic.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: basic.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t t[4];
  config = 3; // before any thread exists: silent
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  long seen = progress; // races too, with the workers' writes: one finding per object
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  pthread_mutex_lock(&mu);
  guarded = 0;
  pthread_mutex_unlock(&mu);
  return (int)(hits + seen + progress); // after the joins: silent
}
