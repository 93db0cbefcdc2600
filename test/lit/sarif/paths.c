// The code flow of a leak step by step: a loop that overwrites its handle, a
// handle that goes out of scope when its loop comes round, and an error path
// through `goto`. Branch steps are recorded once a thread is live.
// RUN: not %tv-sarif --srcroot %S %s -- > %t.sarif
// RUN: %sarif-query %t.sarif 'len(result)' 'loc(result[*])' 'loc(result[*].relatedLocations[*])' 'loc(result[*].codeFlows[0].threadFlows[0].locations[*])' 'result[*].codeFlows[0].threadFlows[0].locations[*].nestingLevel' | FileCheck %s
#include <pthread.h>
#include <stdlib.h>

void *work(void *arg) { return arg; }

void overwrite(int n) {
  pthread_t tid;
  for (int i = 0; i < n; i++)
    pthread_create(&tid, NULL, work, NULL);
  pthread_join(tid, NULL);
}

void scope(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, work, NULL) != 0)
      break;
  }
}

int cleanup(int n) {
  pthread_t a, b;
  int rc = -1;
  if (pthread_create(&a, NULL, work, NULL) != 0)
    goto out;
  if (pthread_create(&b, NULL, work, NULL) != 0)
    goto out;
  switch (n) {
  case 0:
    pthread_join(b, NULL);
    break;
  default:
    pthread_detach(b);
  }
  pthread_join(a, NULL);
  rc = 0;
out:
  return rc;
}

// CHECK:      len(result)=3
// CHECK-NEXT: result[0]: paths.c:14:5-14:43: thread created into 'tid' is neither joined nor detached on some path
// CHECK-NEXT: result[1]: paths.c:21:9-21:45: thread created into 't' is neither joined nor detached on some path
// CHECK-NEXT: result[2]: paths.c:29:7-29:43: thread created into 'a' is neither joined nor detached on some path
// CHECK-NEXT: result[0].relatedLocations[0]: paths.c:14:5-14:43: 'tid' is overwritten here while its thread is neither joined nor detached
// CHECK-NEXT: result[1].relatedLocations[0]: paths.c:20:5-20:16: 't' goes out of scope here, before its thread is joined or detached
// CHECK-NEXT: result[2].relatedLocations[0]: paths.c:43:3-43:12: 'a' is lost when 'cleanup' returns here

// The second time round the loop, the create overwrites the first thread.
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0]: paths.c:14:5-14:43: thread created into 'tid'
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[1]: paths.c:13:19-13:24: taking the true branch
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[2]: paths.c:14:5-14:43: thread created into 'tid'
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[3]: paths.c:14:5-14:43: 'tid' is overwritten here while its thread is neither joined nor detached
// The create worked (its `!= 0` test is false), and the loop comes round to
// the declaration again.
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[0]: paths.c:21:9-21:45: thread created into 't'
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[1]: paths.c:21:9-21:50: taking the false branch
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[2]: paths.c:19:19-19:24: taking the true branch
// CHECK-NEXT: result[1].codeFlows[0].threadFlows[0].locations[3]: paths.c:20:5-20:16: 't' goes out of scope here, before its thread is joined or detached
// The second create fails and `goto out` returns with 'a' still running.
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[0]: paths.c:29:7-29:43: thread created into 'a'
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[1]: paths.c:29:7-29:48: taking the false branch
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[2]: paths.c:31:7-31:43: thread created into 'b'
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[3]: paths.c:31:7-31:48: taking the true branch
// CHECK-NEXT: result[2].codeFlows[0].threadFlows[0].locations[4]: paths.c:43:3-43:12: 'a' is lost when 'cleanup' returns here
// All in one function: no nesting.
// CHECK-COUNT-13: .nestingLevel=0
// CHECK-NOT: nestingLevel
