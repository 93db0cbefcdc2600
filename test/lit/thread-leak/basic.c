// Creation, join, detach, and the success path of a create.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

void *work(void *arg) { return arg; }

int joined(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  return pthread_join(t, NULL);
}

void detached(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) == 0)
    pthread_detach(t);
}

void never_joined(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  // CHECK: basic.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
}
// CHECK: basic.c:[[@LINE-1]]:1: note: 't' is lost when 'never_joined' returns here

int early_return(int fail) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  // CHECK: basic.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  if (fail)
    return -1;
  // CHECK: basic.c:[[@LINE-1]]:5: note: 't' is lost when 'early_return' returns here
  pthread_join(t, NULL);
  return 0;
}

// A failed create needs no join: only the success path owns a thread.
int checked_create(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  pthread_join(t, NULL);
  return 0;
}

int checked_negated(void) {
  pthread_t t;
  if (!pthread_create(&t, NULL, work, NULL)) {
    pthread_join(t, NULL);
    return 0;
  }
  return -1;
}

int stored_result(void) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, work, NULL);
  if (rc)
    return rc;
  return pthread_join(t, NULL);
}

int stored_result_checked_late(int x) {
  pthread_t t;
  int err;
  if ((err = pthread_create(&t, NULL, work, NULL)) != 0)
    goto out;
  x++;
  pthread_join(t, NULL);
out:
  return err + x;
}

// A flag set on success and tested later: the paths stay apart.
int success_flag(void) {
  pthread_t t;
  int started = 0;
  if (pthread_create(&t, NULL, work, NULL) == 0)
    started = 1;
  if (started)
    pthread_join(t, NULL);
  return started;
}

int unchecked_then_lost(int fail) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, work, NULL);
  // CHECK: basic.c:[[@LINE-1]]:12: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  if (fail)
    return rc;
  // CHECK: basic.c:[[@LINE-1]]:5: note: 't' is lost when 'unchecked_then_lost' returns here
  pthread_join(t, NULL);
  return 0;
}

// The process ends: nothing leaks past exit() or abort().
void exits(int fatal) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  if (fatal)
    exit(1);
  if (fatal > 1)
    abort();
  pthread_join(t, NULL);
}

// pthread_exit ends the thread that calls it: the handle is lost.
void *spawner(void *arg) {
  pthread_t t;
  pthread_create(&t, NULL, work, arg);
  // CHECK: basic.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  pthread_exit(NULL);
  // CHECK: basic.c:[[@LINE-1]]:3: note: 't' is lost when 'spawner' returns here
}

// A copy of the handle is as good as the original.
void copied(void) {
  pthread_t t, u;
  pthread_create(&t, NULL, work, NULL);
  u = t;
  pthread_join(u, NULL);
}
