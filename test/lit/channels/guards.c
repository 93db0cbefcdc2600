// What is not an idempotent close: tests of shared state that do not make
// the close happen once. A close is idempotent when the test and an update
// of what it tests go together (a flag set, a counter counted down, under a
// lock or atomically: see idiom-closed-flag.c, idiom-last-one-out.c); a
// NULL check of the channel, or an error check of a call that was given a
// shared object, updates nothing and guards nothing.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "chan.h"

enum { N = 4 };

struct svc { chan_t *quit; int port; };

// A NULL check of the channel before the close.
static void svc_stop(struct svc *s) {
  if (!s->quit)
    return;
  chan_close(s->quit);
}

void stop_twice(struct svc *s) {
  svc_stop(s);
  svc_stop(s);
  // CHECK: guards.c:[[@LINE-1]]:3: warning: channel 's->quit' is closed by 'svc_stop' after this path already closed it (close of closed channel) [chan-double-close]
  // CHECK-NEXT: guards.c:[[@LINE-3]]:3: note: 's->quit' is first closed here
  // CHECK-NEXT: guards.c:20:3: note: 'svc_stop' closes it here
}

static void *client(void *arg) {
  struct svc *s = arg;
  if (s->quit)
    chan_close(s->quit);
  // CHECK: guards.c:[[@LINE-1]]:5: warning: channel 's->quit' is closed by every thread that runs 'client', and 'client' is started more than once (close of closed channel) [chan-double-close]
  // CHECK-NEXT: guards.c:[[@LINE+9]]:9: note: a thread running 'client' is started here
  return NULL;
}

int run_clients(void) {
  struct svc s = {chan_make(0), 80};
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, client, &s) != 0)
      break;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(s.quit);
  return 0;
}

// An error check of a start function given a static object, then a close
// before the senders are joined.
struct pool { chan_t *results; pthread_t t[N]; int n; };

static void *worker(void *arg) {
  struct pool *p = arg;
  chan_send(p->results, 0);
  // CHECK: guards.c:[[@LINE-1]]:3: warning: send on channel 'p->results' by the thread running 'worker', which may still run when 'pool_stop' closes it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: guards.c:[[@LINE+15]]:3: note: 'pool_stop' closes it here
  // CHECK-NEXT: guards.c:[[@LINE+8]]:9: note: the thread running 'worker' is started here
  return NULL;
}

int pool_start(struct pool *p) {
  if (!(p->results = chan_make(N)))
    return -1;
  for (p->n = 0; p->n < N; p->n++)
    if (pthread_create(&p->t[p->n], NULL, worker, p) != 0)
      break;
  return 0;
}

void pool_stop(struct pool *p) {
  chan_close(p->results);
  while (p->n-- > 0)
    pthread_join(p->t[p->n], NULL);
  chan_free(p->results);
}

int main(void) {
  static struct pool pool;
  if (pool_start(&pool) != 0)
    return 1;
  pool_stop(&pool);
  return run_clients();
}
