// Threads started on a path that never returns (a forked child that runs
// the work and calls _exit, like fio's server starting a job) are not
// running when the function that started them returns: its caller's later
// writes race with none of them.
// RUN: not %tv --enable data-race %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int interval;
static int limit;

static void *helper(void *arg) {
  while (interval + limit > 0)
    ;
  return arg;
}

static void backend(void) {
  pthread_t t;
  pthread_create(&t, NULL, helper, NULL);
  pthread_join(t, NULL);
}

// The job runs in the child, which never comes back.
static int run_job(void) {
  pid_t pid = fork();
  if (pid)
    return 0;
  backend();
  _exit(0);
}

// Starts the helper in this process, and returns with it running.
static pthread_t helper_thread;
static void start_here(void) { pthread_create(&helper_thread, NULL, helper, NULL); }

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    interval = atoi(argv[i]); // each command's options, then its job
    run_job();
  }
  start_here();
  limit = 1;
  // CHECK: forked-child.c:[[@LINE-1]]:3: warning: data race on 'limit': write in 'main' (the main thread) and read in 'helper' (thread 'helper'), with no lock held at both [data-race]
  // CHECK: forked-child.c:14:21: note: the conflicting read in 'helper' (thread 'helper'), holding no lock
  // CHECK: forked-child.c:[[@LINE-3]]:3: note: the write here holds no lock
  return pthread_join(helper_thread, NULL);
}
