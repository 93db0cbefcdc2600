// A correct program reports nothing: many threads sharing data under
// locks, condition variables, a read-write lock, joins, detached threads
// that finish, channels. In particular no data race from the runtime's own
// bookkeeping (it runs in every thread, on shared memory, with no lock TSan
// could see). The exit status is the program's own.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc -O1 --models %rtinputs/chan-models.yaml -I%rtinputs -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/clean
// RUN: %expect-exit 0 %tvrun -- %t/clean > %t/out 2> %t/err
// RUN: FileCheck %s < %t/err --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=note:
// RUN: %expect-exit 7 %tvrun -- %t/clean 7 2>&1 | FileCheck %s --check-prefix=SEVEN
// RUN: %expect-exit 0 %tvrun --format sarif -o %t/clean.sarif -- %t/clean
// RUN: %sarif-query %t/clean.sarif 'result' 'invocation.exitCode' | FileCheck %s --check-prefix=SARIF
// RUN: %validate-sarif %t/clean.sarif
#include "chan.h"
#include <pthread.h>
#include <stdlib.h>

#define N 8
pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
long total, table[64];
int ready;
chan_t *ch;

static void *worker(void *arg) {
  long id = (long)arg;
  pthread_mutex_lock(&mu);
  while (!ready)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < 2000; i++) {
    pthread_mutex_lock(&mu);
    total += id;
    pthread_mutex_unlock(&mu);
    pthread_rwlock_rdlock(&rw);
    long x = table[i % 64];
    pthread_rwlock_unlock(&rw);
    (void)x;
    if (i % 100 == 0) {
      pthread_rwlock_wrlock(&rw);
      table[i % 64]++;
      pthread_rwlock_unlock(&rw);
    }
  }
  chan_send(ch, arg);
  return NULL;
}

static void *detached(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t t[N], d;
  ch = chan_make(N);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_create(&d, NULL, detached, NULL);
  pthread_detach(d);
  pthread_mutex_lock(&mu);
  ready = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < N; i++) {
    void *v;
    chan_recv(ch, &v);
  }
  for (int i = 0; i < N; i++)
    pthread_join(t[i], NULL);
  chan_close(ch);
  chan_free(ch);
  return argc > 1 ? atoi(argv[1]) : 0;
}
// CHECK: threadvet: {{.*}}clean exited with status 0; 0 findings
// SEVEN: threadvet: {{.*}}clean exited with status 7; 0 findings
// SARIF: result=[]
// SARIF: invocation.exitCode=0
