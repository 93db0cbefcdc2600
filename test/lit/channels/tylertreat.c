// tylertreat/chan (rules/models/channels.yaml): chan_init makes, chan_close
// closes (-1 on a second close), chan_dispose frees without closing; the
// typed sends are sends. Workers sending with chan_send_int64 while main
// closes is a send on a closed channel.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "tylertreat-chan.h"

enum { N = 3 };

struct pool { chan_t *results; };

static void *worker(void *arg) {
  struct pool *p = arg;
  chan_send_int64(p->results, 7);
  // CHECK: tylertreat.c:[[@LINE-1]]:3: warning: send on channel 'p->results' by the thread running 'worker', which may still run when 'main' closes it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: tylertreat.c:[[@LINE+31]]:3: note: 'main' closes it here
  // CHECK-NEXT: tylertreat.c:[[@LINE+25]]:9: note: the thread running 'worker' is started here
  return NULL;
}

int typed(void) {
  chan_t *c = chan_init(4);
  if (!c)
    return -1;
  chan_send_double(c, 1.5);
  chan_close(c);
  chan_send_buf(c, "abc", 4);
  // CHECK: tylertreat.c:[[@LINE-1]]:3: warning: send on channel 'c' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: tylertreat.c:[[@LINE-3]]:3: note: 'c' is closed here
  chan_dispose(c);
  return 0;
}

int main(void) {
  struct pool p = {chan_init(N)};
  pthread_t t[N];
  int i;
  int64_t v, sum = 0;
  if (!p.results)
    return 1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, worker, &p) != 0)
      break;
  for (int k = 0; k < i; k++)
    if (chan_recv_int64(p.results, &v) == 0)
      sum += v;
  chan_close(p.results);
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_dispose(p.results);
  return typed() || sum != 21;
}

// --- silent

// Close, receive what is left, dispose; a select on open channels.
int drain_and_dispose(chan_t *c, chan_t *d) {
  int32_t x;
  chan_t *recv[2] = {c, d};
  void *out;
  int r = chan_select(recv, 2, &out, NULL, 0, NULL);
  chan_send_int32(c, 1);
  chan_close(c);
  while (chan_recv_int32(c, &x) == 0)
    ;
  chan_dispose(c);
  return r;
}
