// Memory a local holds from its allocation is unpublished until it is given
// away: accesses through the local before that cannot race. Handing it to a
// function that starts a thread on it (through a local of its own) gives
// it away there, and main's later write races with the thread; handing it
// to a function that only fills it does not. The same holds for a local
// whose address is handed over (each call has a new frame): main's writes
// to it before are its own, those after race. Storing its address in
// memory only the frame reaches yet (a stage it fills in a loop) gives
// nothing away: the create that hands the stage over does.
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

struct stage { struct pipe *pl; int index; };
struct pipe { int index; struct stage *st; };

static void *stage_run(void *arg) {
  struct stage *s = arg;
  return (void *)(long)(s->pl->index + s->index);
}

static void pipeline(int n) {
  struct pipe p;
  pthread_t t[4];
  p.index = 0;
  p.st = calloc(4, sizeof *p.st);
  for (int i = 0; i < 4; i++) {
    struct stage *s = &p.st[i];
    s->pl = &p;
    s->index = p.index++;
  }
  for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, stage_run, &p.st[i]);
  for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
  free(p.st);
}

int main(void) {
  struct job *j = calloc(1, sizeof *j);
  fill(j, 4096);
  j->stop = 0;
  start(j);
  j->stop = 1;
  // CHECK: start-wrapper.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at 56:19)->stop': write in 'main' (the main thread) and read in 'run' (thread 'run'), with no lock held at both [data-race]
  // CHECK-NEXT: start-wrapper.c:18:11: note: the conflicting read in 'run' (thread 'run'), holding no lock
  // CHECK-NEXT: start-wrapper.c:[[@LINE-3]]:3: note: the write here holds no lock
  stop(j);
  struct job k = {.size = 512};
  k.stop = 0;
  fill(&k, 1024);
  start(&k);
  k.stop = 1;
  // CHECK: start-wrapper.c:[[@LINE-1]]:3: warning: data race on 'k.stop': write in 'main' (the main thread) and read in 'run' (thread 'run'), with no lock held at both [data-race]
  // CHECK-NEXT: start-wrapper.c:18:11: note: the conflicting read in 'run' (thread 'run'), holding no lock
  // CHECK-NEXT: start-wrapper.c:[[@LINE-3]]:3: note: the write here holds no lock
  stop(&k);
  pipeline(2);
  pipeline(4);
  long done = j->done + k.done;
  free(j);
  return (int)done;
}
