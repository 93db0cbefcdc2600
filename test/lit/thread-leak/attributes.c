// Detached creation: attributes, and threads that detach themselves.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

void *work(void *arg) { return arg; }

void detached_attr(void) {
  pthread_attr_t attr;
  pthread_t t;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, work, NULL);
  pthread_attr_destroy(&attr);
}

void joinable_attr(void) {
  pthread_attr_t attr;
  pthread_t t;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_create(&t, &attr, work, NULL);
  // CHECK: attributes.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  pthread_attr_destroy(&attr);
}
// CHECK: attributes.c:[[@LINE-1]]:1: note: 't' is lost when 'joinable_attr' returns here

static void make_detached(pthread_attr_t *a) {
  pthread_attr_init(a);
  pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED);
}

void detached_by_helper(void) {
  pthread_attr_t attr;
  pthread_t t;
  make_detached(&attr);
  pthread_create(&t, &attr, work, NULL);
}

static void *self_detaching(void *arg) {
  pthread_detach(pthread_self());
  return arg;
}

void starts_self_detaching(void) {
  pthread_t t;
  pthread_create(&t, NULL, self_detaching, NULL);
}

static void detach_me(void) {
  pthread_t me = pthread_self();
  pthread_detach(me);
}

static void *detaches_through_a_call(void *arg) {
  detach_me();
  return arg;
}

void starts_indirect_self_detach(void) {
  pthread_t t;
  pthread_create(&t, NULL, detaches_through_a_call, NULL);
}

// The start routine is defined after its creator: order does not matter.
static void *later(void *arg);
void starts_later(void) {
  pthread_t t;
  pthread_create(&t, NULL, later, NULL);
}
static void *later(void *arg) {
  pthread_detach(pthread_self());
  return arg;
}
