// A routine started from two functions (a start and a restart) is counted
// as many by the thread topology, but programs usually start it only when
// none runs: its accesses are not paired with its own. Created twice in
// one function, it is paired.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static int crawling;
static pthread_t crawler_tid;

static void *crawler(void *arg) {
  crawling = 0; // one crawler at a time: silent
  return arg;
}

int start_crawler(void) { return pthread_create(&crawler_tid, NULL, crawler, NULL); }
int restart_crawler(void) {
  pthread_join(crawler_tid, NULL);
  return start_crawler();
}

static int sweeps;
static void *sweeper(void *arg) {
  sweeps++;
  // CHECK: restart.c:[[@LINE-1]]:3: warning: data race on 'sweeps': write in 'sweeper' (thread 'sweeper', several at once) and write in 'sweeper' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: restart.c:[[@LINE-2]]:3: note: the conflicting write in 'sweeper' (thread 'sweeper'), holding no lock
  // CHECK-NEXT: restart.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t a, b;
  start_crawler();
  restart_crawler();
  pthread_create(&a, NULL, sweeper, NULL);
  pthread_create(&b, NULL, sweeper, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(crawler_tid, NULL);
  return crawling + sweeps;
}
