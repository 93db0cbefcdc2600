// Memory a local holds from its allocation is unpublished until it is given
// away: accesses through the local before that cannot race. Handing it to a
// function that starts a thread on it (through a local of its own) gives
// it away there, and main's later write races with the thread; handing it
// to a function that only fills it does not. The same holds for a local
// whose address is handed over (each call has a new frame): main's writes
// to it before are its own, those after race.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct job { pthread_t t; int stop, size; long done; };

static void *run(void *arg) {
  struct job *j = arg;
  while (!j->stop)
    j->done += j->size;
  return NULL;
}

static void fill(struct job *j, int size) { j->size = size; }

static void start(struct job *j) {
  struct job *mine = j;
  pthread_create(&mine->t, NULL, run, mine);
}

static void stop(struct job *j) { pthread_join(j->t, NULL); }

int main(void) {
  struct job *j = calloc(1, sizeof *j);
  fill(j, 4096);
  j->stop = 0;
  start(j);
  j->stop = 1;
  // CHECK: start-wrapper.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 31:19)->stop': write in 'main' (the main thread) and read in 'run' (thread 'run'), with no lock held at both [data-race]
  // CHECK-NEXT: start-wrapper.c:16:11: note: the conflicting read in 'run' (thread 'run'), holding no lock
  // CHECK-NEXT: start-wrapper.c:[[@LINE-3]]:3: note: the write here holds no lock
  stop(j);
  struct job k = {.size = 512};
  k.stop = 0;
  fill(&k, 1024);
  start(&k);
  k.stop = 1;
  // CHECK: start-wrapper.c:[[@LINE-1]]:3: warning: data race on 'k.stop': write in 'main' (the main thread) and read in 'run' (thread 'run'), with no lock held at both [data-race]
  // CHECK-NEXT: start-wrapper.c:16:11: note: the conflicting read in 'run' (thread 'run'), holding no lock
  // CHECK-NEXT: start-wrapper.c:[[@LINE-3]]:3: note: the write here holds no lock
  stop(&k);
  long done = j->done + k.done;
  free(j);
  return (int)done;
}
