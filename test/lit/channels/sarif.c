// The SARIF of channel findings: a double close on one path has the first
// close as a related location and a code flow through it to the second; a
// close by two threads has the other close and the other thread's creation
// as related locations. The log passes GitHub's ingestion rules.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %tv-sarif --srcroot %S %s -- -I%S/Inputs > %t/log.sarif
// RUN: %sarif-query %t/log.sarif 'len(result)' \
// RUN:   result[0].ruleId result[0].message 'loc(result[0].locations[*])' 'loc(result[0].relatedLocations[*])' \
// RUN:   'len(result[0].codeFlows)' 'loc(result[0].codeFlows[0].threadFlows[0].locations[*])' \
// RUN:   result[1].ruleId result[1].message 'loc(result[1].locations[*])' 'loc(result[1].relatedLocations[*])' \
// RUN:   | FileCheck %s
// RUN: %validate-sarif %t/log.sarif
#include <pthread.h>

#include "chan.h"

void twice(chan_t *c, int err) {
  chan_send(c, 0);
  if (err)
    chan_close(c);
  chan_close(c);
}

static chan_t *g_stop;
static void *left(void *arg) { chan_close(g_stop); return arg; }
static void *right(void *arg) { chan_close(g_stop); return arg; }

int main(void) {
  pthread_t a, b;
  if (!(g_stop = chan_make(0)))
    return 1;
  if (pthread_create(&a, NULL, left, NULL) != 0)
    return 1;
  if (pthread_create(&b, NULL, right, NULL) != 0) {
    pthread_join(a, NULL);
    return 1;
  }
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  chan_free(g_stop);
  return 0;
}

// CHECK: len(result)=2
// CHECK-NEXT: result[0].ruleId=chan-double-close
// CHECK-NEXT: result[0].message.text=channel 'c' is closed twice on this path (close of closed channel)
// CHECK-NEXT: result[0].locations[0]: sarif.c:21:3-21:16
// CHECK-NEXT: result[0].relatedLocations[0]: sarif.c:20:5-20:18: 'c' is first closed here
// CHECK-NEXT: len(result[0].codeFlows)=1
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0]: sarif.c:19:7-19:10: {{.+}}
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[1]: sarif.c:20:5-20:18: {{.+}}
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[2]: sarif.c:21:3-21:16: {{.+}}
// CHECK-NEXT: result[1].ruleId=chan-double-close
// CHECK-NEXT: result[1].message.text=channel 'g_stop' is closed here and by the thread running 'left' (close of closed channel)
// CHECK-NEXT: result[1].locations[0]: sarif.c:26:33-26:51
// CHECK-NEXT: result[1].relatedLocations[0]: sarif.c:25:32-25:50: 'left' closes it here
// CHECK-NEXT: result[1].relatedLocations[1]: sarif.c:32:7-32:43: the thread running 'left' is started here
