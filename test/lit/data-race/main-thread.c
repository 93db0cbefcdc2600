// One worker thread (a single instance) and main: main's writes after the
// create race with the worker's reads; its set-up before the create and
// its reads after the join do not; two workers joined in turn never run
// together.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

int shared, setup, result, phase;

static void *reader(void *arg) {
  result = setup + shared;
  phase++;
  return arg;
}

static void *second(void *arg) {
  phase++; // the first worker was joined before this one starts: silent
  return arg;
}

int main(void) {
  pthread_t t;
  setup = 1;
  pthread_create(&t, NULL, reader, NULL);
  shared = 2;
  // CHECK: main-thread.c:[[@LINE-1]]:3: warning: data race on 'shared': write in 'main' (the main thread) and read in 'reader' (thread 'reader'), with no lock held at both [data-race]
  // CHECK-NEXT: main-thread.c:11:20: note: the conflicting read in 'reader' (thread 'reader'), holding no lock
  // CHECK-NEXT: main-thread.c:[[@LINE-3]]:3: note: the write here holds no lock
  pthread_join(t, NULL);
  pthread_create(&t, NULL, second, NULL);
  pthread_join(t, NULL);
  return result + phase;
}
