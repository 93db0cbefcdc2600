// Ownership transfer: a job allocated, filled and handed to the one thread
// created for it is that thread's, even when a loop creates many. The
// same job handed to two threads, or written by its creator after the
// create, races.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct job { int id; long sum; };

static void *run_job(void *arg) {
  struct job *j = arg;
  j->sum += j->id;
  return NULL;
}

void start_jobs(pthread_t *t, int n) {
  for (int i = 0; i < n; i++) {
    struct job *j = malloc(sizeof *j);
    j->id = i;
    j->sum = 0;
    pthread_create(&t[i], NULL, run_job, j);
  }
}

struct shared { int id; long sum; };

static void *run_shared(void *arg) {
  struct shared *s = arg;
  s->sum += s->id;
  // CHECK: ownership.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[#@LINE+7]]:22)->sum': write in 'run_shared' (thread 'run_shared', several at once) and write in 'run_shared' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: ownership.c:[[@LINE-2]]:3: note: the conflicting write in 'run_shared' (thread 'run_shared'), holding no lock
  // CHECK-NEXT: ownership.c:[[@LINE-3]]:3: note: the write here holds no lock
  return NULL;
}

void start_shared(pthread_t *t) {
  struct shared *s = malloc(sizeof *s);
  s->id = 1;
  s->sum = 0;
  pthread_create(&t[0], NULL, run_shared, s);
  pthread_create(&t[1], NULL, run_shared, s);
}

struct late { int id; long sum; };

static void *run_late(void *arg) {
  struct late *l = arg;
  return (void *)(long)l->id;
}

void start_late(pthread_t *t) {
  struct late *l = malloc(sizeof *l);
  l->id = 0;
  pthread_create(t, NULL, run_late, l);
  l->id = 1;
  // CHECK: ownership.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[#@LINE-4]]:20)->id': write in 'start_late' (the main thread) and read in 'run_late' (thread 'run_late'), with no lock held at both [data-race]
  // CHECK-NEXT: ownership.c:49:24: note: the conflicting read in 'run_late' (thread 'run_late'), holding no lock
  // CHECK-NEXT: ownership.c:[[@LINE-3]]:3: note: the write here holds no lock
}

int main(void) {
  pthread_t t[8];
  start_jobs(t, 4);
  start_shared(t + 4);
  start_late(t + 6);
  for (int i = 0; i < 7; i++)
    pthread_join(t[i], NULL);
  return 0;
}
