// chan-double-close in a loop: a close of the same channel on every
// iteration closes it again on the next one. A loop that leaves after the
// close, a channel made anew on each iteration, and one channel per
// iteration (indexed by the loop variable) are fine.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

struct pool { chan_t *jobs; int n; };

void stop_workers(struct pool *p) {
  for (int i = 0; i < p->n; i++)
    chan_close(p->jobs);   // meant: one "stop" per worker
  // CHECK: close-loop.c:[[@LINE-1]]:5: warning: channel 'p->jobs' is closed again in the next iteration of the loop (close of closed channel) [chan-double-close]
}

void retry_close(chan_t *c) {
  int tries = 3;
  while (tries-- > 0) {
    if (chan_recv(c, NULL) == 0)
      continue;
    chan_close(c);
    // CHECK: close-loop.c:[[@LINE-1]]:5: warning: channel 'c' is closed again in the next iteration of the loop (close of closed channel) [chan-double-close]
  }
}

// --- silent

// The loop ends at the close.
void close_and_leave(chan_t *c) {
  void *v;
  while (chan_recv(c, &v)) {
    if (!v) {
      chan_close(c);
      break;
    }
  }
}

void close_and_return(chan_t *c, int n) {
  for (int i = 0; i < n; i++) {
    if (chan_send(c, 0) != 0)
      continue;
    if (i == n - 1) {
      chan_close(c);
      return;
    }
  }
}

// A new channel every round.
void rounds(int n) {
  for (int i = 0; i < n; i++) {
    chan_t *c = chan_make(1);
    if (!c)
      return;
    chan_send(c, 0);
    chan_close(c);
    chan_free(c);
  }
}

// One channel per iteration.
void close_each(chan_t **cs, int n) {
  for (int i = 0; i < n; i++)
    chan_close(cs[i]);
}
