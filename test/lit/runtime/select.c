// chan-select: the shipped models name tylertreat/chan's chan_select, and
// threadvet cc wraps the program's own (Inputs/select-lib.c, another
// object: --wrap redirects calls between objects). A select that returns
// is in the interleaving; a thread blocked in one for good is part of a
// deadlock, with every other thread blocked.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s %rtinputs/select-lib.c -o %t/sel
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/sel 2> %t/err
// RUN: FileCheck %s < %t/err
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 --format sarif -o %t/sel.sarif -- %t/sel
// RUN: %check-sarif %t/sel.sarif | FileCheck %s --check-prefix=SARIF
#include <pthread.h>
#include <stddef.h>

typedef struct chan { int ready; } chan_t;
int chan_select(chan_t *recv_chans[], int recv_count, void **recv_out, chan_t *send_chans[], int send_count,
                void *send_msgs[]);

static chan_t a = {1}, b = {0};

static void *selector(void *arg) {
  chan_t *cs[] = {&b};
  void *v;
  chan_select(cs, 1, &v, NULL, 0, NULL); // nothing will be ready
  return arg;
}

int main(void) {
  chan_t *cs[] = {&a};
  void *v;
  chan_select(cs, 1, &v, NULL, 0, NULL); // ready: returns
  // CHECK-DAG: select.c:[[@LINE-1]]:3: note: [main thread] selects on channels (chan_select)
  pthread_t t;
  pthread_create(&t, NULL, selector, NULL);
  pthread_join(t, NULL);
  // CHECK-DAG: select.c:[[@LINE-1]]:3: error: deadlock: main thread waits for thread T1 (selector) to end in pthread_join; thread T1 (selector) waits on the channels it selects on in chan_select (every thread is blocked: nobody is left to wake them); the watchdog ended the program [deadlock]
  return 0;
}
// CHECK-DAG: select.c:24:3: note: thread T1 (selector) waits on the channels it selects on in chan_select
// SARIF: RESULT rule=deadlock identity=deadlock|chan:select|fn:main|fn:selector|join:start:selector count=1 threads=2
// SARIF: OK
