// Channel operations, seen through the models (chan_make, chan_send,
// chan_recv, chan_close, chan_free of the examples' library, wrapped by
// threadvet cc even though the library is the program's own code):
// chan-double-close with both closes' stacks, chan-send-after-close, a
// thread still blocked in chan_recv at exit, and every thread blocked on
// channels (a deadlock, ended by the watchdog).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc --models %rtinputs/chan-models.yaml -I%rtinputs -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/ch
// RUN: %expect-exit 1 %tvrun -- %t/ch > %t/out 2> %t/err
// RUN: FileCheck %s --implicit-check-not=warning: < %t/err
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/ch.sarif -- %t/ch
// RUN: %check-sarif %t/ch.sarif | FileCheck %s --check-prefix=SARIF
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/ch stuck 2> %t/stuck
// RUN: FileCheck %s --check-prefix=STUCK < %t/stuck
// The models can also come from the environment.
// RUN: env THREADVET_MODELS=%rtinputs/chan-models.yaml %tvcc -I%rtinputs -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/ch2
// RUN: %expect-exit 1 %tvrun -- %t/ch2 2>&1 | FileCheck %s --check-prefix=ENV
#include "chan.h"
#include <pthread.h>
#include <string.h>

chan_t *jobs, *results;
pthread_barrier_t sent; // both workers have sent all they will: no send after a close between them

static void *worker(void *arg) {
  void *v;
  while (chan_recv(jobs, &v))
    chan_send(results, v);
  pthread_barrier_wait(&sent);
  chan_close(results); // every worker closes: the second close is a bug
  // CHECK-DAG: channels.c:[[@LINE-1]]:3: warning: the channel made in 'main' closed twice: again here by thread T{{[12]}} (worker), first by thread T{{[12]}} (worker) in 'worker' [chan-double-close]
  return arg;
}

static void *receiver(void *arg) {
  void *v;
  chan_recv(arg, &v); // nobody sends
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "stuck")) {
    chan_t *c = chan_make(0);
    pthread_t r;
    pthread_create(&r, NULL, receiver, c);
    void *v;
    chan_recv(c, &v);
    // STUCK: channels.c:[[@LINE-1]]:5: error: deadlock: main thread waits to receive from the channel made in 'main' in chan_recv{{.*}}; thread T1 (receiver) waits to receive from the channel made in 'main' in chan_recv{{.*}} (every thread is blocked: nobody is left to wake them); the watchdog ended the program [deadlock]
    return 0;
  }
  pthread_barrier_init(&sent, NULL, 2);
  jobs = chan_make(8);
  results = chan_make(64);
  // CHECK-DAG: channels.c:[[@LINE-1]]:13: note: the channel was made here
  pthread_t w[2], r;
  for (int i = 0; i < 2; i++)
    pthread_create(&w[i], NULL, worker, NULL);
  for (long i = 1; i <= 4; i++)
    chan_send(jobs, (void *)i);
  chan_close(jobs);
  for (int i = 0; i < 2; i++)
    pthread_join(w[i], NULL);
  chan_send(results, (void *)9);
  // CHECK-DAG: channels.c:[[@LINE-1]]:3: warning: send by main thread on the channel made in 'main', which was already closed by thread T{{[12]}} (worker) in 'worker' [chan-send-after-close]
  pthread_create(&r, NULL, receiver, chan_make(0));
  // CHECK-DAG: channels.c:[[@LINE-1]]:3: warning: thread created in 'main' running 'receiver' is still blocked in 'chan_recv' on the channel made in 'main' at exit: it was never joined [thread-leak]
  return 0;
}
// SARIF-DAG: RESULT rule=chan-double-close identity=chan-double-close|fn:worker|chan:made:main count=1 threads=2
// SARIF-DAG: RESULT rule=chan-send-after-close identity=chan-send-after-close|fn:main|chan:made:main count=1 threads=2
// SARIF-DAG: RESULT rule=thread-leak identity=thread-leak|fn:main|start:receiver count=1
// SARIF: OK
// ENV: [chan-double-close]
