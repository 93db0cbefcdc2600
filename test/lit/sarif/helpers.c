// SARIF of leaks that go through other functions: a wrapper whose result is
// the create's, a function that returns its thread, and a handle stored in a
// global that nothing joins. The related locations name the underlying create.
// RUN: not %tv-sarif --srcroot %S %s -- > %t.sarif
// RUN: %sarif-query %t.sarif 'len(result)' 'loc(result[*])' 'loc(result[*].relatedLocations[*])' 'result[*].relatedLocations[*].id' 'loc(result[*].codeFlows[0].threadFlows[0].locations[*])' 'len(result[2].codeFlows)' | FileCheck %s
#include <pthread.h>

void *work(void *arg) { return arg; }

static int start(pthread_t *t) { return pthread_create(t, NULL, work, NULL); }

int start_badly(int fail) {
  pthread_t t;
  if (start(&t) != 0)
    return -1;
  if (fail)
    return -2;
  return pthread_join(t, NULL);
}

pthread_t spawn(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  return t;
}

void spawn_and_drop(void) {
  spawn();
}

pthread_t reaper;
void reaper_start(void) {
  pthread_create(&reaper, NULL, work, NULL);
}

// CHECK:      len(result)=3
// CHECK-NEXT: result[0]: helpers.c:14:7-14:16: thread started by 'start' into 't' is neither joined nor detached on some path
// CHECK-NEXT: result[1]: helpers.c:28:3-28:10: thread started by 'spawn' is neither joined nor detached on some path
// CHECK-NEXT: result[2]: helpers.c:33:3-33:44: thread created into 'reaper' is never joined or detached: nothing in the program joins or detaches 'reaper'

// Where the handle is lost, then the create inside the helper; for the
// global, where the handle is stored.
// CHECK-NEXT: result[0].relatedLocations[0]: helpers.c:17:5-17:14: 't' is lost when 'start_badly' returns here
// CHECK-NEXT: result[0].relatedLocations[1]: helpers.c:10:41-10:76: the thread is created here, in 'start'
// CHECK-NEXT: result[1].relatedLocations[0]: helpers.c:29:1-29:2: the thread returned by 'spawn' is lost when 'spawn_and_drop' returns here
// CHECK-NEXT: result[1].relatedLocations[1]: helpers.c:23:3-23:39: the thread is created here, in 'spawn'
// CHECK-NEXT: result[2].relatedLocations[0]: helpers.c:33:3-33:44: the handle is stored in 'reaper' here
// CHECK-NEXT: result[0].relatedLocations[0].id=1
// CHECK-NEXT: result[0].relatedLocations[1].id=2
// CHECK-NEXT: result[1].relatedLocations[0].id=1
// CHECK-NEXT: result[1].relatedLocations[1].id=2
// CHECK-NEXT: result[2].relatedLocations[0].id=1

// The paths: the call that starts the thread, the branches taken (the
// wrapper's result says it worked), the loss. The global's finding is about
// the whole program, not a path: it has no code flow.
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0]: helpers.c:14:7-14:16: thread started by a call to 'start'
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[1]: helpers.c:14:7-14:21: taking the false branch
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[2]: helpers.c:16:7-16:11: taking the true branch
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[3]: helpers.c:17:5-17:14: 't' is lost when 'start_badly' returns here
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[0]: helpers.c:28:3-28:10: thread started by a call to 'spawn'
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[1]: helpers.c:29:1-29:2: the thread returned by 'spawn' is lost when 'spawn_and_drop' returns here
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[*]: <missing>
// CHECK-NEXT: len(result[2].codeFlows)=0
