// Deadlocks with nobody left to wake anyone: main joins a worker that
// waits on a condition nobody will signal; a channel receive nobody will
// send to. Every thread is blocked: the watchdog ends the program. A
// thread that sleeps (or reads, or any call the models do not name) may
// still wake the others: no deadlock then, only the leak at exit.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/dw
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/dw cond 2> %t/cond
// RUN: FileCheck %s --check-prefix=COND < %t/cond
// RUN: %expect-exit 1 %tvrun --deadlock-timeout 300 --leak-grace 0 -- %t/dw sleeper 2> %t/sleeper
// RUN: FileCheck %s --check-prefix=SLEEPER --implicit-check-not='[deadlock]' < %t/sleeper
#include <pthread.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
int go;

static void *worker(void *arg) {
  pthread_mutex_lock(&mu);
  while (!go)
    pthread_cond_wait(&ready, &mu);
  pthread_mutex_unlock(&mu);
  return arg;
}

int main(int argc, char **argv) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  if (argc > 1 && !strcmp(argv[1], "sleeper")) {
    usleep(700000); // longer than the deadlock timeout, but not blocked for good
    return 0;
  }
  pthread_join(t, NULL); // forgot: go = 1 and a signal
  // COND: deadlock-wait.c:[[@LINE-1]]:3: error: deadlock: main thread waits for thread T1 (worker) to end in pthread_join; thread T1 (worker) waits on a condition (with 'mu') in pthread_cond_wait (every thread is blocked: nobody is left to wake them); the watchdog ended the program [deadlock]
  return 0;
}
// COND: note: thread T1 (worker) waits on a condition (with 'mu') in pthread_cond_wait
// SLEEPER: warning: thread created in 'main' running 'worker' is still blocked in 'pthread_cond_wait' on a condition (with 'mu') at exit: it was never joined [thread-leak]
