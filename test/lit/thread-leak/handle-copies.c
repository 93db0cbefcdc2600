// A handle kept in a struct field and joined through a local copy of the
// field (`mt = ctx->master; ... join(mt)`): that joins the field's class.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stddef.h>

struct server { pthread_t master, logger; int stop; };
static void *serve(void *arg) { return arg; }

static int join_thread(pthread_t t) { return pthread_join(t, NULL); }

void server_start(struct server *s) {
  pthread_create(&s->master, NULL, serve, s);
  pthread_create(&s->logger, NULL, serve, s);
  // CHECK: handle-copies.c:[[@LINE-1]]:3: warning: thread created into 's->logger' is never joined or detached: nothing in the program joins or detaches 'struct server.logger' [thread-leak]
  // CHECK: handle-copies.c:[[@LINE-2]]:3: note: the handle is stored in 's->logger' here
}

// The copy is taken before the field is cleared, and joined through a wrapper.
void server_stop(struct server *s) {
  pthread_t mt = s->master;
  if (mt == 0)
    return;
  s->master = 0;
  s->stop = 1;
  join_thread(mt);
}

// A copy of 'logger' that is only read, never joined, discharges nothing.
int server_logger_running(struct server *s) {
  pthread_t lt = s->logger;
  return lt != 0;
}
