// Two threads of one routine, each given the address of its own local of
// the creator (c-blosc2's test_shared_thread_pool: `&state_a` to one,
// `&state_b` to the other): each thread owns the object its parameter
// points to, so their writes to it never meet. Still reported: one local
// given to both threads, and a local given at a create in a loop (every
// iteration's thread gets the same object).
// RUN: not %tv --enable data-race %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct state { int rc; int n; };

static void *work(void *arg) {
  struct state *st = arg;
  st->rc = st->n * 2;
  return 0;
}

int two_states(void) {
  struct state a = {0, 1}, b = {0, 2};
  pthread_t ta, tb;
  pthread_create(&ta, 0, work, &a);
  pthread_create(&tb, 0, work, &b);
  pthread_join(ta, 0);
  pthread_join(tb, 0);
  return a.rc + b.rc;
}

static void *work_shared(void *arg) {
  struct state *st = arg;
  st->rc = st->n * 2;
  // CHECK: own-local-argument.c:[[@LINE-1]]:3: warning: data race on 'shared.rc': write in 'work_shared' (thread 'work_shared', several at once) and write in 'work_shared' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: own-local-argument.c:[[@LINE-2]]:3: note: the conflicting write in 'work_shared' (thread 'work_shared'), holding no lock
  // CHECK-NEXT: own-local-argument.c:[[@LINE-3]]:3: note: the write here holds no lock
  return 0;
}

int one_state(void) {
  struct state shared = {0, 1};
  pthread_t ta, tb;
  pthread_create(&ta, 0, work_shared, &shared);
  pthread_create(&tb, 0, work_shared, &shared);
  pthread_join(ta, 0);
  pthread_join(tb, 0);
  return shared.rc;
}

static void *work_looped(void *arg) {
  struct state *st = arg;
  st->rc = st->n * 2;
  // CHECK: own-local-argument.c:[[@LINE-1]]:3: warning: data race on 'one.rc': write in 'work_looped' (thread 'work_looped', several at once) and write in 'work_looped' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: own-local-argument.c:[[@LINE-2]]:3: note: the conflicting write in 'work_looped' (thread 'work_looped'), holding no lock
  // CHECK-NEXT: own-local-argument.c:[[@LINE-3]]:3: note: the write here holds no lock
  return 0;
}

int looped(void) {
  struct state one = {0, 1};
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work_looped, &one);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  return one.rc;
}

int main(void) { return two_states() + one_state() + looped(); }
