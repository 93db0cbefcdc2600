// A predicate (a function that only tests, like fio's td_offload_overlap)
// tested where the code means its fields: what its path knew holds in the
// caller, and a second test of the same call decides as the first did.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdbool.h>

enum { MODE_INLINE, MODE_OFFLOAD };
struct opts { int serialize; int mode; };
struct td { struct opts o; int state; };
static pthread_mutex_t overlap = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;

static inline bool offload_overlap(struct td *td) {
  return td->o.serialize && td->o.mode == MODE_OFFLOAD;
}

void set_state(struct td *td, int s);
int check(struct td *td);

// Releases what a worker's overlap check took: only in offload mode.
int queue_io(struct td *td) {
  if (offload_overlap(td))
    pthread_mutex_unlock(&overlap);
  return 0;
}

// Offload mode never reaches queue_io: no release without the lock.
int submit(struct td *td) {
  if (td->o.mode == MODE_OFFLOAD)
    return 1;
  return queue_io(td);
}

// Taken and released under the same test, a call between.
void *thread_main(void *arg) {
  struct td *td = arg;
  submit(td);
  if (offload_overlap(td))
    pthread_mutex_lock(&overlap);
  set_state(td, 3);
  if (offload_overlap(td))
    pthread_mutex_unlock(&overlap);
  return NULL;
}

// A store to what the predicate reads: the second test is a new one.
void *changes_mode(void *arg) {
  struct td *td = arg;
  if (offload_overlap(td))
    pthread_mutex_lock(&other);
  td->o.mode = td->state;
  if (offload_overlap(td))
    pthread_mutex_unlock(&other);
  // CHECK: predicates.c:[[@LINE-1]]:5: warning: 'other' is released on a path that does not hold it [lock-release-unheld]
  return NULL;
  // CHECK: predicates.c:[[@LINE-1]]:3: warning: thread start routine 'changes_mode' ends holding 'other' [lock-held-at-exit]
  // CHECK: predicates.c:[[@LINE-7]]:5: note: 'other' is acquired here
}

// Not a predicate (it calls something): its result says nothing.
static bool checked(struct td *td) { return check(td) && td->o.serialize; }
void *not_a_predicate(void *arg) {
  struct td *td = arg;
  if (checked(td))
    pthread_mutex_lock(&other);
  if (checked(td))
    pthread_mutex_unlock(&other);
  // CHECK: predicates.c:[[@LINE-1]]:5: warning: 'other' is released on a path that does not hold it [lock-release-unheld]
  return NULL;
  // CHECK: predicates.c:[[@LINE-1]]:3: warning: thread start routine 'not_a_predicate' ends holding 'other' [lock-held-at-exit]
  // CHECK: predicates.c:[[@LINE-6]]:5: note: 'other' is acquired here
}

int start(struct td *td) {
  pthread_t t[3];
  pthread_create(&t[0], NULL, thread_main, td);
  pthread_create(&t[1], NULL, changes_mode, td);
  pthread_create(&t[2], NULL, not_a_predicate, td);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  return 0;
}
