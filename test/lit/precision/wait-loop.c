// A loop that waits for another thread to change shared memory
// (`while (ctx->state != STOPPED) sleep`) ends, even though this thread
// wrote another value there just before: going round the loop, what the
// path knew of shared locations the loop does not assign is forgotten.
// The code after such a loop is analysed: a join there counts (no false
// leak), a missing join there is found.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

enum { RUNNING = 1, STOPPING = 2, STOPPED = 3 };
struct server { pthread_t master; int state; };

static void *serve(void *arg) {
  struct server *s = arg;
  while (s->state == RUNNING)
    usleep(100);
  s->state = STOPPED;
  return NULL;
}

void server_start(struct server *s) {
  s->state = RUNNING;
  pthread_create(&s->master, NULL, serve, s);
}

// The join after the wait loop discharges 'struct server.master'.
void server_stop(struct server *s) {
  pthread_t mt = s->master;
  s->state = STOPPING;
  while (s->state != STOPPED)
    usleep(100);
  pthread_join(mt, NULL);
}

// After the same wait, this path forgets its thread.
int run_once(struct server *s) {
  pthread_t t;
  s->state = RUNNING;
  if (pthread_create(&t, NULL, serve, s) != 0)
    return -1;
  s->state = STOPPING;
  while (s->state != STOPPED)
    usleep(100);
  return 0;
  // CHECK: wait-loop.c:[[@LINE-6]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: wait-loop.c:[[@LINE-2]]:3: note: 't' is lost when 'run_once' returns here
}
