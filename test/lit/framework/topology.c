// PASS_TOPOLOGY: start routines, their create sites and instances, where
// each function runs, and which threads may run beside which.
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s
#include <pthread.h>

static void *worker(void *arg) { return arg; }
static void *reaper(void *arg) { return arg; }
static void *logger(void *arg) { return arg; }
static void helper(void) {}
static void *spawner(void *arg) {
  pthread_t t;
  pthread_create(&t, NULL, logger, NULL);
  pthread_detach(t);
  return arg;
}

int main(void) {
  pthread_t pool[4], r, s;
  for (int i = 0; i < 4; i++)
    pthread_create(&pool[i], NULL, worker, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(pool[i], NULL);
  pthread_create(&r, NULL, reaper, NULL);
  pthread_create(&s, NULL, spawner, NULL);
  helper();
  pthread_join(r, NULL);
  pthread_join(s, NULL);
  return 0;
}
// CHECK-LABEL: function worker(arg) static
// CHECK-NEXT: runs in: threads (only 'worker')
// CHECK-LABEL: function logger(arg) static
// CHECK-NEXT: runs in: threads (only 'logger')
// CHECK-LABEL: function helper() static
// CHECK-NEXT: runs in: main; joined before every call: 'worker'
// CHECK-LABEL: function main()
// CHECK-NEXT: runs in: main
// CHECK-LABEL: threads:
// CHECK-NEXT: thread 'worker': many instances
// CHECK-NEXT:   created in 'main' at 20:5 (in a loop)
// CHECK-NEXT:   parallel with: main, 'worker'
// CHECK-NEXT: thread 'reaper': one instance
// CHECK-NEXT:   created in 'main' at 23:3, after joining 'worker'
// CHECK-NEXT:   parallel with: main, 'logger', 'spawner'
// CHECK-NEXT: thread 'logger': one instance
// CHECK-NEXT:   created in 'spawner' at 12:3
// CHECK-NEXT:   parallel with: main, 'reaper', 'spawner'
// CHECK-NEXT: thread 'spawner': one instance
// CHECK-NEXT:   created in 'main' at 24:3, after joining 'worker'
// CHECK-NEXT:   parallel with: main, 'reaper', 'logger'
