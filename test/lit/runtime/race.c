// data-race: TSan's report, captured through __tsan_on_report, as a finding:
// both accesses, the threads, the global by name, the interleaving; in a
// loop it is one result. TSan's own text stays off stderr, unless asked
// for (--tsan-output).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc -O1 %s -o %t/race
// RUN: %expect-exit 1 %tvrun -- %t/race > %t/out 2> %t/err
// RUN: FileCheck %s < %t/err
// RUN: count 1 < %t/out
// RUN: not grep -q ThreadSanitizer %t/err
// RUN: %expect-exit 1 %tvrun --tsan-output -- %t/race > /dev/null 2> %t/tsan-err
// RUN: FileCheck %s --check-prefix=TSAN-TEXT < %t/tsan-err
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/race.sarif -- %t/race
// RUN: %check-sarif %t/race.sarif | FileCheck %s --check-prefix=SARIF
// RUN: %validate-sarif %t/race.sarif
#include <pthread.h>
#include <stdio.h>

long hits;

static void *worker(void *arg) {
  for (int i = 0; i < 1000; i++)
    hits++;
  // CHECK: race.c:[[@LINE-1]]:9: warning: data race on 'hits': {{write|read}} of size 8 by {{.*}} [data-race]
  return arg;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("%ld\n", hits > 0 ? 1L : 0L);
  return 0;
}
// CHECK: note: the earlier {{write|read}} by thread T{{[12]}}
// CHECK: note: [thread T{{[12]}} (worker)] starts in 'worker'
// CHECK: note: [thread T{{[12]}} (worker)] {{write|read}} of 'hits' (racing)
// CHECK: threadvet: {{.*}}race exited with status 0; 1 finding
// SARIF: RESULT rule=data-race identity=data-race|fn:worker|fn:worker|obj:global:hits count={{[0-9]+}} threads=2
// SARIF: OK
// TSAN-TEXT: WARNING: ThreadSanitizer: data race
// TSAN-TEXT: [data-race]
