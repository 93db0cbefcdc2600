// A real deadlock: two threads each hold one lock and wait for the other's
// (a barrier makes them meet). The watchdog sees the cycle, reports it
// with every thread's place and where the locks were taken, and ends the
// program instead of letting it hang: exit status 86 from the program,
// 3 from threadvet run. Never a hang: the test is bounded by `timeout`.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/dl
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/dl 2> %t/err
// RUN: FileCheck %s < %t/err
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 --format sarif -o %t/dl.sarif -- %t/dl
// RUN: %check-sarif %t/dl.sarif | FileCheck %s --check-prefix=SARIF
// Run directly, with a record directory but no threadvet run: the runtime
// still ends it, with its own exit status.
// RUN: mkdir -p %t/rec
// RUN: env THREADVET_RECORD=%t/rec THREADVET_DEADLOCK_MS=300 TSAN_OPTIONS=report_bugs=0 %expect-exit 86 timeout 60 %t/dl
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t meet;

static void *one(void *arg) {
  pthread_mutex_lock(&a);
  pthread_barrier_wait(&meet);
  pthread_mutex_lock(&b);
  return arg;
}

static void *two(void *arg) {
  pthread_mutex_lock(&b);
  pthread_barrier_wait(&meet);
  pthread_mutex_lock(&a);
  return arg;
}

int main(void) {
  pthread_t x, y;
  pthread_barrier_init(&meet, NULL, 2);
  pthread_create(&x, NULL, one, NULL);
  pthread_create(&y, NULL, two, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
// CHECK: threadvet: deadlock: 2 threads blocked for good; the watchdog ended the program (exit status 86)
// CHECK: deadlock.c:{{25|32}}:3: error: deadlock: thread T{{[12]}} ({{one|two}}) waits for '{{a|b}}' in pthread_mutex_lock, held by thread T{{[12]}} ({{one|two}}); thread T{{[12]}} ({{one|two}}) waits for '{{a|b}}' in pthread_mutex_lock, held by thread T{{[12]}} ({{one|two}}); the watchdog ended the program [deadlock]
// CHECK-DAG: deadlock.c:23:3: note: 'a' acquired here by thread T1 (one)
// CHECK-DAG: deadlock.c:30:3: note: 'b' acquired here by thread T2 (two)
// CHECK: threadvet: {{.*}}dl was ended by the watchdog (deadlock); 1 finding
// SARIF: RESULT rule=deadlock identity=deadlock|fn:one|fn:two|lock:global:a|lock:global:b count=1 threads=2
// SARIF: OK
