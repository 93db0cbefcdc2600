// lock-double-acquire and lock-release-unheld, seen by the runtime (and
// TSan's duplicate of the release dropped): a release of a lock the thread
// does not hold, then a non-recursive lock taken again, which hangs: the
// watchdog reports the self-deadlock and ends the program (exit 3). A
// recursive mutex taken twice is fine.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/misuse
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/misuse 2> %t/err
// RUN: FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: < %t/err
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 --format sarif -o %t/misuse.sarif -- %t/misuse
// RUN: %check-sarif %t/misuse.sarif | FileCheck %s --check-prefix=SARIF
#include <pthread.h>

pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t rec;

static void take_twice(pthread_mutex_t *m) {
  pthread_mutex_lock(m);
  pthread_mutex_lock(m);
}

int main(void) {
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&rec, &at);
  take_twice(&rec); // recursive: fine
  pthread_mutex_unlock(&rec);
  pthread_mutex_unlock(&rec);

  pthread_mutex_unlock(&plain);
  // CHECK-DAG: misuse.c:[[@LINE-1]]:3: warning: 'plain' released by main thread, which does not hold it [lock-release-unheld]
  take_twice(&plain);
  // CHECK-DAG: misuse.c:19:3: warning: 'plain' acquired again by main thread, which already holds it (not a recursive lock: the thread waits for itself) [lock-double-acquire]
  // CHECK-DAG: misuse.c:18:3: note: 'plain' first acquired here
  // CHECK-DAG: misuse.c:19:3: error: deadlock: main thread waits for 'plain' in pthread_mutex_lock, which it holds itself; the watchdog ended the program [deadlock]
  return 0;
}
// CHECK-DAG: threadvet: deadlock: 1 thread blocked for good; the watchdog ended the program (exit status 86)
// CHECK-DAG: threadvet: {{.*}}misuse was ended by the watchdog (deadlock); 3 findings
// SARIF-DAG: RESULT rule=lock-release-unheld identity=lock-release-unheld|fn:main|lock:global:plain count=1
// SARIF-DAG: RESULT rule=lock-double-acquire identity=lock-double-acquire|fn:take_twice|lock:global:plain count=1
// SARIF-DAG: RESULT rule=deadlock identity=deadlock|fn:take_twice|lock:global:plain count=1
