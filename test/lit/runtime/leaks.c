// thread-leak at run time: a thread that finished but nobody joined
// (TSan's report), a thread still blocked at exit (the runtime's check,
// after the grace period: with where it is blocked), a thread still
// running at exit; a detached thread still working at exit and a thread
// that ends within the grace period are not leaks. The identity is the
// static family's: the creating function and the start routine.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/leaks
// RUN: %expect-exit 1 %tvrun --leak-grace 300 -- %t/leaks > %t/out 2> %t/err
// RUN: FileCheck %s --implicit-check-not=warning: < %t/err
// RUN: %expect-exit 1 %tvrun --leak-grace 300 --format sarif -o %t/leaks.sarif -- %t/leaks
// RUN: %check-sarif %t/leaks.sarif | FileCheck %s --check-prefix=SARIF
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t never = PTHREAD_COND_INITIALIZER;
volatile int stop;

static void *quick(void *arg) { return arg; }
static void *waiter(void *arg) {
  pthread_mutex_lock(&mu);
  pthread_cond_wait(&never, &mu); // nobody signals
  pthread_mutex_unlock(&mu);
  return arg;
}
static void *spinner(void *arg) {
  while (!stop)
    usleep(1000);
  return arg;
}
static void *late(void *arg) {
  usleep(50000); // ends within the grace period
  return arg;
}

static void spawn_quick(void) {
  pthread_t t;
  pthread_create(&t, NULL, quick, NULL);
  // CHECK-DAG: leaks.c:[[@LINE-1]]:3: warning: thread created in 'spawn_quick' running 'quick' finished but was never joined or detached [thread-leak]
}

int main(void) {
  pthread_t w, s, d, l;
  spawn_quick();
  pthread_create(&w, NULL, waiter, NULL);
  // CHECK-DAG: leaks.c:[[@LINE-1]]:3: warning: thread created in 'main' running 'waiter' is still blocked in 'pthread_cond_wait' on a condition (with 'mu') at exit: it was never joined [thread-leak]
  // CHECK-DAG: leaks.c:23:3: note: thread T{{[0-9]}} (waiter) is blocked here on a condition (with 'mu')
  pthread_create(&s, NULL, spinner, NULL);
  // CHECK-DAG: leaks.c:[[@LINE-1]]:3: warning: thread created in 'main' running 'spinner' is still running at exit: it was never joined [thread-leak]
  pthread_create(&d, NULL, spinner, NULL);
  pthread_detach(d);
  pthread_create(&l, NULL, late, NULL);
  pthread_detach(l);
  usleep(20000);
  return 0;
}
// SARIF-DAG: RESULT rule=thread-leak identity=thread-leak|fn:spawn_quick|start:quick count=1
// SARIF-DAG: RESULT rule=thread-leak identity=thread-leak|fn:main|start:waiter count=1
// SARIF-DAG: RESULT rule=thread-leak identity=thread-leak|fn:main|start:spinner count=1
// SARIF: OK
