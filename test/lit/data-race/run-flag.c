// A join behind the flag that says the thread was started: a global the
// function that creates the thread (and no other) sets, cleared only where
// the thread is joined. Where it
// reads 0 no thread of the routine runs (not yet created, or joined), so
// the path that skips the join (an early return, or `if (started) join`)
// orders the accesses after it as well. A flag the thread clears itself
// says nothing of the sort.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static pthread_t reaper_tid, sweeper_tid, pruner_tid;
static int reaper_running, sweeper_started, pruner_busy;
static long reaped, swept, pruned;

static void *reaper(void *arg) {
  reaped++;
  return arg;
}

static void *sweeper(void *arg) {
  swept++;
  return arg;
}

static void *pruner(void *arg) {
  pruned++;
  // CHECK: run-flag.c:[[@LINE-1]]:3: warning: data race on 'pruned': write in 'pruner' (thread 'pruner') and write in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: run-flag.c:[[@LINE+49]]:3: note: the conflicting write in 'main' (the main thread), holding no lock
  // CHECK-NEXT: run-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  pruner_busy = 0;
  // CHECK: run-flag.c:[[@LINE-1]]:3: warning: data race on 'pruner_busy': write in 'pruner' (thread 'pruner') and read in 'stop_pruner' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: run-flag.c:[[@LINE+29]]:8: note: the conflicting read in 'stop_pruner' (the main thread), holding no lock
  // CHECK-NEXT: run-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void start_reaper(void) {
  reaper_running = 1;
  pthread_create(&reaper_tid, NULL, reaper, NULL);
}

static int stop_reaper(void) {
  if (!reaper_running)
    return -1;
  reaper_running = 0;
  pthread_join(reaper_tid, NULL);
  return 0;
}

static void start_sweeper(void) {
  sweeper_started = 1;
  pthread_create(&sweeper_tid, NULL, sweeper, NULL);
}

static void stop_sweeper(void) {
  if (sweeper_started)
    pthread_join(sweeper_tid, NULL);
}

static void stop_pruner(void) {
  if (!pruner_busy)
    return;
  pthread_join(pruner_tid, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1)
    start_reaper();
  start_sweeper();
  pruner_busy = 1;
  pthread_create(&pruner_tid, NULL, pruner, NULL);
  stop_reaper();
  stop_sweeper();
  stop_pruner();
  reaped = 0;
  swept = 0;
  pruned = 0;
  return 0;
}
