// C11 threads under TSan: TSan does not intercept thrd_create (a plain
// TSan build crashes in its runtime) nor mtx_lock (its synchronisation is
// invisible: false races). threadvet cc wraps them from the C11 models and
// runs them on the pthread functions TSan sees: no crash, no false race,
// and the leak, the double lock and the deadlock are still found.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/c11
// RUN: %expect-exit 1 %tvrun -- %t/c11 2> %t/err
// RUN: FileCheck %s < %t/err --implicit-check-not=warning: --implicit-check-not=error:
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/c11 twice 2> %t/twice
// RUN: FileCheck %s --check-prefix=TWICE < %t/twice
#include <string.h>
#include <threads.h>

mtx_t mu;
long shared;

static int worker(void *arg) {
  for (int i = 0; i < 1000; i++) {
    mtx_lock(&mu);
    shared++;
    mtx_unlock(&mu);
  }
  return (int)(long)arg;
}

int main(int argc, char **argv) {
  thrd_t t[4], lost;
  mtx_init(&mu, mtx_plain);
  for (long i = 0; i < 4; i++)
    thrd_create(&t[i], worker, (void *)i);
  int sum = 0;
  for (int i = 0; i < 4; i++) {
    int r;
    thrd_join(t[i], &r);
    sum += r;
  }
  thrd_create(&lost, worker, (void *)9);
  // CHECK: c11.c:[[@LINE-1]]:3: warning: thread created in 'main' running 'worker' finished but was never joined or detached [thread-leak]
  thrd_sleep(&(struct timespec){0, 50000000}, NULL);
  if (argc > 1 && !strcmp(argv[1], "twice")) {
    mtx_lock(&mu);
    mtx_lock(&mu);
    // TWICE-DAG: c11.c:[[@LINE-1]]:5: warning: 'mu' acquired again by main thread, which already holds it (not a recursive lock: the thread waits for itself) [lock-double-acquire]
    // TWICE-DAG: c11.c:[[@LINE-2]]:5: error: deadlock: main thread waits for 'mu' in mtx_lock, which it holds itself; the watchdog ended the program [deadlock]
  }
  return sum == 6 ? 0 : 5;
}
// CHECK: threadvet: {{.*}}c11 exited with status 0; 1 finding
