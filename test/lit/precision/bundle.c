// Every definition written in the unit's own code is analysed: functions
// whose name a macro makes (libuv's TEST_IMPL), and the functions of `.c`
// files #included into a bundle unit. Their joins are seen (no false leak)
// and their bugs are found.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

#define TEST_IMPL(name) int run_test_##name(void); int run_test_##name(void)
static pthread_t thread;
static void *worker(void *arg) { return arg; }
static void on_start(void) { pthread_create(&thread, NULL, worker, NULL); }
TEST_IMPL(start) {
  on_start();
  pthread_join(thread, NULL);
  return 0;
}

#include "bundle-part.c"
// CHECK: bundle-part.c:8:38: warning: thread created into 'lost_thread' is never joined or detached: nothing in the program joins or detaches 'lost_thread' [thread-leak]
int use_parts(void) {
  if (start_helper()) return -1;
  stop_helper();
  return start_lost();
}
