// Two findings must not share a threadvet/v1 fingerprint: here the same
// function leaks two threads, both created into 't' by pthread_create.
// Their keys are equal (rule, function, creating call, handle); the second
// finding of a key in a file is numbered, like GitHub's line hashes.
// RUN: not %tv-sarif --srcroot %S %s -- | %sarif-query - 'loc(result[*])' 'result[*].partialFingerprints.threadvet/v1' 'len(result)' | FileCheck %s
#include <pthread.h>

void *work(void *arg) { return arg; }

int twice(int fail, int fail_again) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  if (fail)
    return -1;
  pthread_join(t, NULL);
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  if (fail_again)
    return -2;
  return pthread_join(t, NULL);
}

// CHECK:      result[0]: fingerprint-unique.c:12:7-12:43: thread created into 't' is neither joined nor detached on some path
// CHECK-NEXT: result[1]: fingerprint-unique.c:17:7-17:43: thread created into 't' is neither joined nor detached on some path
// CHECK-NEXT: result[0].partialFingerprints.threadvet/v1=[[FIRST:[0-9a-f]{16}]]
// CHECK-NOT:  [[FIRST]]
// CHECK:      len(result)=2
