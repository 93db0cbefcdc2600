// The same finding reached many ways in one function (one cause: here a
// helper that takes the stats lock on its rare failure path, called under
// that lock) is reported once, the other places as related locations, and
// counted past eight. Different causes stay apart.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long fails;
static char *buf;

static int grow(size_t n) {
  char *p = realloc(buf, n);
  if (!p) {
    pthread_mutex_lock(&stats_lock);
    fails++;
    pthread_mutex_unlock(&stats_lock);
    return 0;
  }
  buf = p;
  return 1;
}

void report(void) {
  pthread_mutex_lock(&stats_lock);
  grow(1);
  // CHECK: repeats.c:[[@LINE-1]]:3: warning: 'stats_lock' is acquired by 'grow' while this path already holds it (self-deadlock) (and 2 more places) [lock-double-acquire]
  // CHECK-NEXT: note: 'stats_lock' is first acquired here
  // CHECK-NEXT: note: 'grow' acquires it again here
  // CHECK-COUNT-8: note: the same happens here
  // CHECK-NOT: note:
  grow(2); grow(3); grow(4); grow(5); grow(6); grow(7); grow(8); grow(9); grow(10); grow(11);
  pthread_mutex_unlock(&stats_lock);
}

// Another function: its own finding.
void report_small(void) {
  pthread_mutex_lock(&stats_lock);
  grow(1);
  // CHECK: repeats.c:[[@LINE-1]]:3: warning: 'stats_lock' is acquired by 'grow' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'stats_lock' is first acquired here
  // CHECK-NEXT: note: 'grow' acquires it again here
  // CHECK-NEXT: note: the same happens here
  grow(2);
  pthread_mutex_unlock(&stats_lock);
}
