// Findings are deduplicated by rule and stacks: a misuse repeated in a
// loop is one result with its count ("(N times)" in the text, the count
// in the SARIF properties), and the same misuse from another place is a
// result of its own.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc --models %rtinputs/chan-models.yaml -I%rtinputs -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/dedup
// RUN: %expect-exit 1 %tvrun -- %t/dedup 2> %t/err
// RUN: FileCheck %s --implicit-check-not=warning: < %t/err
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/dedup.sarif -- %t/dedup
// RUN: %check-sarif %t/dedup.sarif | FileCheck %s --check-prefix=SARIF
#include "chan.h"
#include <pthread.h>

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void release(void) {
  pthread_mutex_unlock(&mu);
  // CHECK-DAG: dedup.c:[[@LINE-1]]:3: warning: 'mu' released by main thread, which does not hold it (5 times) [lock-release-unheld]
}

int main(void) {
  for (int i = 0; i < 5; i++)
    release();
  pthread_mutex_unlock(&mu);
  // CHECK-DAG: dedup.c:[[@LINE-1]]:3: warning: 'mu' released by main thread, which does not hold it [lock-release-unheld]
  chan_t *c = chan_make(4);
  chan_close(c);
  for (int i = 0; i < 3; i++)
    chan_send(c, 0);
  // CHECK-DAG: dedup.c:[[@LINE-1]]:5: warning: {{.*}} (3 times) [chan-send-after-close]
  chan_free(c);
  return 0;
}
// SARIF-DAG: RESULT rule=lock-release-unheld identity={{.*}} count=5
// SARIF-DAG: RESULT rule=lock-release-unheld identity={{.*}} count=1
// SARIF-DAG: RESULT rule=chan-send-after-close identity={{.*}} count=3
// SARIF: OK
