// chan-send-after-close from another thread: a thread that sends on a
// channel may still be running when another thread (or main) closes it,
// because it was not joined before the close. Reported at the send.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

#include "chan.h"

enum { N = 4 };

struct pool { chan_t *jobs, *results; };

static void *worker(void *arg) {
  struct pool *p = arg;
  void *v;
  while (chan_recv(p->jobs, &v))
    chan_send(p->results, v);
  // CHECK: send-thread.c:[[@LINE-1]]:5: warning: send on channel 'p->results' by the thread running 'worker', which may still run when 'run_pool' closes it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-thread.c:[[@LINE+17]]:3: note: 'run_pool' closes it here
  // CHECK-NEXT: send-thread.c:[[@LINE+9]]:9: note: the thread running 'worker' is started here
  return NULL;
}

// The results channel is closed before the workers, its senders, are joined.
int run_pool(struct pool *p) {
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, worker, p) != 0)
      break;
  for (int n = 0; n < 8; n++)
    chan_send(p->jobs, 0);
  chan_close(p->jobs);
  for (int n = 0; n < 8; n++)
    chan_recv(p->results, NULL);
  chan_close(p->results);
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return 0;
}

// A closer thread that closes while the ticker, which it never joins, sends.
static chan_t *g_ticks;

static void *ticker(void *arg) {
  for (;;)
    if (chan_send(g_ticks, arg) != 0)
      break;
  // CHECK: send-thread.c:[[@LINE-2]]:9: warning: send on channel 'g_ticks' by the thread running 'ticker', which may still run when 'stopper' closes it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-thread.c:[[@LINE+6]]:3: note: 'stopper' closes it here
  // CHECK-NEXT: send-thread.c:[[@LINE+11]]:7: note: the thread running 'ticker' is started here
  return NULL;
}

static void *stopper(void *arg) {
  chan_close(g_ticks);
  return arg;
}

int run_ticker(void) {
  pthread_t a, b;
  if (pthread_create(&a, NULL, ticker, NULL) != 0)
    return -1;
  if (pthread_create(&b, NULL, stopper, NULL) != 0) {
    pthread_join(a, NULL);
    return -1;
  }
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

// --- silent

// The senders are joined before the close (Go: wg.Wait(); close(results)).
struct pool2 { chan_t *jobs, *results; };

static void *worker2(void *arg) {
  struct pool2 *p = arg;
  void *v;
  while (chan_recv(p->jobs, &v))
    chan_send(p->results, v);
  return NULL;
}

int run_pool2(struct pool2 *p) {
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, worker2, p) != 0)
      break;
  chan_close(p->jobs);   // the workers only receive from jobs
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_close(p->results);
  return 0;
}

// A closer thread that joins the senders first (fan-in's merge).
struct merge { chan_t *out; pthread_t fwd[N]; int n; };

static void *forward(void *arg) {
  struct merge *m = arg;
  chan_send(m->out, 0);
  return NULL;
}

static void *close_when_done(void *arg) {
  struct merge *m = arg;
  for (int i = 0; i < m->n; i++)
    pthread_join(m->fwd[i], NULL);
  chan_close(m->out);
  return NULL;
}

int run_merge(struct merge *m) {
  pthread_t closer;
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&m->fwd[i], NULL, forward, m) != 0)
      break;
  m->n = i;
  if (pthread_create(&closer, NULL, close_when_done, m) != 0) {
    while (i-- > 0)
      pthread_join(m->fwd[i], NULL);
    return -1;
  }
  while (chan_recv(m->out, NULL))
    ;
  pthread_join(closer, NULL);
  return 0;
}

int main(void) {
  struct pool p = {chan_make(8), chan_make(8)};
  struct pool2 p2 = {chan_make(8), chan_make(8)};
  struct merge *m = calloc(1, sizeof *m);
  if (!m || !(m->out = chan_make(0)))
    return 1;
  g_ticks = chan_make(0);
  return run_pool(&p) || run_ticker() || run_pool2(&p2) || run_merge(m);
}
